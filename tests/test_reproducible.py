"""A fresh clone reproduces the committed pipeline byte for byte.

The project's tracked files (as they are in the work tree) are copied into a new git
repository, as a clone would have them. Then:
- `dvc status` reports no changed dependency: the committed dvc.lock is in step with the code;
- `dvc repro` rebuilds every stage and leaves `git status` clean: the same inputs give
  the same bytes (no run time, absolute path or random id in any hashed output);
- a second `dvc repro` runs nothing.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GIT_ENV, copy_of_clone

pytestmark = pytest.mark.slow

BIN = str(Path(sys.executable).parent)
ENV = {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), **GIT_ENV}
FIX = "run `dvc repro` in the project and commit dvc.lock and metrics/"


def sh(cwd, *args):
    result = subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_committed_lock_is_in_step_with_the_code(clone):
    """On a clone the outputs are absent (their deps downstream read as deleted); no dependency is modified."""
    status = json.loads(sh(clone, "dvc", "status", "--json"))
    modified = sorted(f"{stage}: {path}" for stage, changes in status.items() for change in changes
                      if isinstance(change, dict) for path, state in (change.get("changed deps") or {}).items()
                      if state != "deleted")
    assert not modified, f"dvc.lock is older than the code or raw/ ({FIX}): {modified}"
    assert sh(clone, "dvc", "status")  # and there is something to reproduce: the outputs are not in git


def test_fresh_repro_leaves_git_status_clean(clone):
    sh(clone, "dvc", "repro")
    changed = sh(clone, "git", "status", "--porcelain")
    assert changed == "", f"a fresh `dvc repro` changed tracked files ({FIX}, or make the output reproducible):\n" \
                          + changed + sh(clone, "git", "diff")[:3000]


def test_second_repro_runs_nothing(clone):
    sh(clone, "dvc", "repro")  # a no-op after the test above; makes this test stand on its own
    out = sh(clone, "dvc", "repro")
    assert "Running stage" not in out and "up to date" in out


def modified_deps(project: Path) -> dict[str, list[str]]:
    """`dvc status`: the dependencies each stage sees modified (deleted outputs of a fresh clone left out)."""
    status = json.loads(sh(project, "dvc", "status", "--json"))
    found: dict[str, list[str]] = {}
    for stage, changes in status.items():
        for change in changes:
            if isinstance(change, dict):
                paths = [p for p, state in (change.get("changed deps") or {}).items() if state == "modified"]
                if paths:
                    found.setdefault(stage, []).extend(paths)
    return found


def test_editing_the_cli_re_runs_nothing(built_clone, tmp_path):
    """Every stage runs its stage module, not the CLI: a reworded help text (or any change to pipeline/cli/),
    and its msgids brought into the catalogs (`python -m pipeline.i18n`, as a developer must), leave
    `dvc status` clean: the help texts are in cli.po, which no stage reads. A change to the checks is seen by
    validation only."""
    project = copy_of_clone(built_clone, tmp_path / "repo")
    assert modified_deps(project) == {}
    catalogs = project / "pipeline" / "locale" / "zh" / "LC_MESSAGES"
    library_catalog, cli_catalog = (catalogs / "guidelines.po").read_bytes(), (catalogs / "cli.po").read_bytes()
    for path in sorted((project / "pipeline" / "cli").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Example: guidelines", "For example: guidelines") + "\n# edited\n",
                        encoding="utf-8")
    untranslated = sh(project, sys.executable, "-m", "pipeline.i18n")  # this copy's package: -m runs from cwd
    assert "untranslated: " in untranslated and "For example: guidelines" in untranslated
    assert (catalogs / "cli.po").read_bytes() != cli_catalog
    assert (catalogs / "guidelines.po").read_bytes() == library_catalog
    assert modified_deps(project) == {}
    checks = project / "pipeline" / "quality" / "checks.py"
    checks.write_text(checks.read_text(encoding="utf-8") + "\n# a change to the checks\n", encoding="utf-8")
    assert modified_deps(project) == {"validate@2021-2": ["pipeline/quality"]}
