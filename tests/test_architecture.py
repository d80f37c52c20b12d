"""The package's folders are the pipeline's stages, and imports point one way.

    reading → structure → records → quality, enrich, compare → review, query → publish

Imports are read from the source (every `import`, at module level or inside a
function), so a cycle hidden by a function-level import is found too.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"

# the layer each folder sits in; a module may import its own layer, lower layers and the base
# review (the page a person checks before the gate) and query (questions across editions) read what the
# stages before them derive; publish comes last
LAYERS = {"reading": 1, "structure": 2, "records": 3, "quality": 4, "enrich": 4, "compare": 4, "review": 5,
          "query": 5, "publish": 6}
BASE = {"pipeline", "pipeline.models", "pipeline.errors", "pipeline.fileio", "pipeline.editions", "pipeline.text",
        "pipeline.i18n", "pipeline.style", "pipeline.project", "pipeline.console",
        "pipeline.yamlsafe",  # yamlsafe: the safe YAML reading corrections and params.yaml share
        "pipeline.names"}  # names: the partner names table the records and the OCR reader (gaps) read
DRIVERS = {"pipeline.extract", "pipeline.ingest"}  # run stages; nothing imports them but the CLI (and ingest)
CLI = "pipeline.cli"  # the command line: pipeline/cli/, a thin layer over everything, imported by nothing
# the diff reads editions and the records' rules (partners, the derived facts it compares: who may apply);
# nothing from enrich: eligibility is derived once, with the records
COMPARE_MAY_READ = {"records"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return _modules(ROOT, PACKAGE)


@lru_cache(maxsize=4)
def _modules(root: Path, package: Path) -> dict[str, Path]:  # keyed by the tree, so a test may point at another
    return {module_name(p): p for p in package.rglob("*.py")}


def imports_of(name: str, path: Path, module_level_only: bool = False) -> set[str]:
    """Package modules that name imports, anywhere in its source (or only at module level)."""
    known = modules()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in (tree.body if module_level_only else ast.walk(tree)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found |= {c for c in candidates if c in known and c != name}
    return found


def graph() -> dict[str, set[str]]:
    return _graph(ROOT, PACKAGE)


@lru_cache(maxsize=4)
def _graph(root: Path, package: Path) -> dict[str, set[str]]:
    return {name: imports_of(name, path) for name, path in modules().items()}


def is_cli(name: str) -> bool:
    return name == CLI or name.startswith(CLI + ".")


def closure(starts: set[str]) -> set[str]:
    g, seen, todo = graph(), set(), list(starts)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += g[name]
    return seen


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def test_no_import_cycles():
    g = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(g[node]):
            if nxt.startswith(node + ".") or node == "pipeline":
                continue  # a package importing its own submodules is no cycle
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_imports_point_one_way():
    wrong = []
    for name, targets in graph().items():
        if is_cli(name):
            continue  # the command line sits on top of everything
        for target in targets:
            if is_cli(target):
                wrong.append(f"{name} imports the command line {target}")
            elif name in DRIVERS:
                continue  # a driver runs stages: it may import any of them
            elif target in DRIVERS:
                wrong.append(f"{name} imports the driver {target}")
            elif name in BASE and target not in BASE:
                wrong.append(f"{name} (base) imports {target}")
            elif layer(name) and layer(target) and layer(name) != layer(target):
                src, dst = layer(name), layer(target)
                if src == "compare":
                    ok = dst in COMPARE_MAY_READ
                else:
                    ok = LAYERS[dst] < LAYERS[src]
                if not ok:
                    wrong.append(f"{name} imports {target} ({src} → {dst})")
    assert not wrong, "\n".join(sorted(wrong))


def test_every_module_is_in_the_folder_of_its_stage():
    """Only the contracts, shared helpers and drivers live at the top; every stage's code is in its folder, the
    command line in cli/."""
    top = {name for name, path in modules().items() if name.count(".") <= 1 and path.name != "__init__.py"}
    top |= {"pipeline"}
    assert top <= BASE | DRIVERS, sorted(top - BASE - DRIVERS)
    assert {name.split(".")[1] for name in modules() if name.count(".") >= 2} <= set(LAYERS) | {"cli"}


def test_the_checker_sees_a_function_level_cycle(tmp_path, monkeypatch):
    """The cycle test reads imports inside functions too (the cycle this layout replaced was hidden there)."""
    fake = tmp_path / "pipeline"
    (fake / "enrich").mkdir(parents=True)
    (fake / "quality").mkdir()
    (fake / "__init__.py").write_text("")
    for pkg in ("enrich", "quality"):
        (fake / pkg / "__init__.py").write_text("")
    (fake / "enrich" / "enrichment.py").write_text("def f():\n    from ..quality.validate import g\n")
    (fake / "quality" / "validate.py").write_text("from ..enrich.enrichment import f\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycles()
    with pytest.raises(AssertionError, match="quality → enrich"):
        test_imports_point_one_way()


# --- each DVC stage declares the code it runs --------------------------------------------------

STAGES = ("extract", "validate", "enrich", "publish", "review", "tables", "index")


def stage_spec(stage: str) -> dict:
    spec = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"][stage]
    return spec.get("do") or spec


def stage_module(stage: str) -> str:
    """The module a stage runs: its cmd is `python -m pipeline.<module> …` (never the guidelines CLI)."""
    match = re.match(r"python -m (pipeline(?:\.\w+)+)\s", stage_spec(stage)["cmd"])
    assert match, f"stage {stage} does not run a stage module: {stage_spec(stage)['cmd']}"
    return match.group(1)


# modules that read the data files shipped in pipeline/data
READS_DATA = {"pipeline.records.partners", "pipeline.enrich.nlp"}
# modules that read the message catalogs in pipeline/locale; a stage reads the library's (guidelines.po), never
# the CLI's (cli.po: help texts and click's words), which only pipeline/cli asks for
READS_LOCALE = {"pipeline.i18n"}
LIBRARY_CATALOGS = {"pipeline/locale/zh/LC_MESSAGES/guidelines.po"}


def declared_code(stage: str) -> set[str]:
    return {d for d in stage_spec(stage)["deps"] if d.startswith("pipeline")}


def needed_code(stage: str) -> set[str]:
    """The stage module and everything it imports (at module level or inside a function), with the packages
    `python -m` runs first."""
    needed = {"pipeline"} | closure({stage_module(stage)})
    # importing pipeline.a.b runs pipeline/a/__init__.py first
    return needed | {".".join(m.split(".")[:i]) for m in needed for i in range(1, m.count(".") + 1)}


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_runs_its_stage_module_with_a_main(stage):
    module = stage_module(stage)
    assert module in modules(), module
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body), f"{module} has no main()"
    assert "if __name__ == \"__main__\":" in modules()[module].read_text(encoding="utf-8")


def test_no_stage_depends_on_the_cli():
    """Editing a help text re-runs nothing: no stage runs or lists the CLI, and no stage module imports it."""
    for stage in STAGES:
        assert not any(d.startswith("pipeline/cli") for d in declared_code(stage)), stage
        assert not any(m == "pipeline.cli" or m.startswith("pipeline.cli.") for m in needed_code(stage)), stage
        assert "guidelines " not in stage_spec(stage)["cmd"], stage
        assert not any(d == "pipeline/locale" or d.endswith("/cli.po") for d in declared_code(stage)), stage


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_declares_exactly_the_code_it_runs(stage):
    needed = needed_code(stage)
    files = {modules()[m].relative_to(ROOT).as_posix() for m in needed}
    if needed & READS_DATA:
        files.add("pipeline/data")
    if needed & READS_LOCALE:
        files |= LIBRARY_CATALOGS
    declared = declared_code(stage)

    def covered(path: str) -> bool:
        return any(path == d or path.startswith(d.rstrip("/") + "/") for d in declared)

    missing = sorted(f for f in files if not covered(f))
    assert not missing, f"stage {stage} runs code it does not declare: {missing}"
    declared_files = set()
    for d in declared:
        path = ROOT / d
        declared_files |= ({p.relative_to(ROOT).as_posix() for p in path.rglob("*.py")} if path.is_dir()
                           and d != "pipeline/data" else {d})
    unused = sorted(declared_files - files)
    assert not unused, f"stage {stage} declares code it does not run: {unused}"
