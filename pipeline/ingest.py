"""Ingest: add a new guideline (PDF or Word) to the project and run the pipeline for it.

1. Read and extract the file in memory first: a file that is not a guideline, or whose
   edition id cannot be inferred (and was not given), is refused before anything is written.
2. Copy it to raw/<id>.pdf (or raw/<id>.docx …) and add <id> → that file to params.yaml
   (the same file again: nothing to do; a different file under an existing id: refused
   unless --replace).
3. Run `dvc repro publish@<id> review tables index` (that edition's stages, then the stages
   across editions); in a project without DVC, the same stages run in-process. If the
   pipeline fails (or is interrupted: Ctrl-C, SIGTERM), raw/, params.yaml, dvc.lock and
   metrics/<id>.json are put back as they were (extracted/<id>/ and published/<id>/, when
   this run made them for a new edition, are removed). params.yaml gains one line: everything
   else in it is kept byte for byte.

The whole of it holds a project lock (flock on the project directory): a second ingest waits.
A run killed part-way is finished by the next ingest of the same file (or by `dvc repro`,
once params.yaml lists the edition); the temporaries it left (fileio's exact names only)
are removed. A refused ingest changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .editions import check_edition_id
from .errors import IngestRefused, PipelineFailed, ProjectBusy
from .fileio import is_temporary, sha256_of, write_bytes_atomic
from .i18n import N_
from .yamlsafe import PREVIEW, plain_loader, preview, refused_tag, tag_as_written

ID_HINT = "give it with --edition YYYY-N (e.g. --edition 2023-1)"
# the stages that span every edition, after the edition's own; every review page shows the changes from the
# published edition before it, so all of them depend on published/ (`review` names every review@<id>)
ACROSS_EDITIONS = ("review", "tables", "index")


@dataclass
class IngestResult:
    edition_id: str
    status: str  # ingested | replaced | completed | unchanged
    raw: Path
    extracted: Path | None = None
    validation: dict | None = None
    published: Path | None = None
    message: str = ""


def project_root(start: Path) -> Path:
    start = Path(start).resolve()
    for directory in (start, *start.parents):
        if (directory / "params.yaml").is_file() and (directory / "dvc.yaml").is_file():
            return directory
    raise IngestRefused(N_("{start}: not inside a guidelines project (no params.yaml and dvc.yaml); "
                           "run ingest from the project, or give --project DIR"),
                        start=start)


PARAMS = "params.yaml"


def _yaml(text: str, name: str, compose: bool = False):
    """The data (or, with compose, the node tree) of a YAML file; IngestRefused (one line) when it is not valid
    YAML, uses an alias, is nested too deeply, holds a tag that is not plain YAML (`!!python/…`) or a value
    that cannot be built (a 30 February, a 5,000-digit number): pipeline/yamlsafe.py."""
    import yaml

    def refused(problem: str, mark=None):
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return IngestRefused(N_("{file}: cannot be read ({problem}); fix it and retry"), file=name,
                             problem=where + problem[:PREVIEW])

    loader = None
    try:
        loader = plain_loader()(text)  # the reader refuses a raw NUL or ESC here, at once
        root = loader.get_single_node()
        if root is not None and (odd := refused_tag(root)) is not None:
            raise refused(f"the tag {tag_as_written(odd.tag)} is not plain YAML", odd.start_mark)
        return root if compose else (None if root is None else loader.construct_document(root))
    except yaml.YAMLError as exc:
        raise refused(str(getattr(exc, "problem", None) or exc), getattr(exc, "problem_mark", None)) from None
    except (ValueError, OverflowError) as exc:  # a timestamp or an integer YAML resolved but cannot build
        raise refused(str(exc)) from None
    finally:
        if loader is not None:
            loader.dispose()


def _read_text(path: Path) -> str:
    """A project file a person edits (params.yaml, dvc.yaml), as UTF-8; IngestRefused (one line) when it is not."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestRefused(N_("{file}: not UTF-8 text (byte {offset}); convert it to UTF-8, e.g. "
                               "iconv -f GB18030 -t UTF-8, and retry"), file=path.name, offset=exc.start) from None


def _params_data(params_text: str) -> dict:
    data = _yaml(params_text, PARAMS)
    if data is None:
        return {}
    extract = data.get("extract") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(extract, (dict, type(None))) \
            or not isinstance((extract or {}).get("editions"), (dict, list, type(None))):
        raise IngestRefused(N_("{file}: extract.editions must map edition ids to raw files (found {found}); "
                               "fix it and retry"), file=PARAMS, found=preview(data))
    return data


def raw_files(params_text: str) -> dict[str, str]:
    """extract.editions of params.yaml: edition id → raw file (a plain list of ids means raw/<id>.pdf)."""
    editions = (_params_data(params_text).get("extract") or {}).get("editions") or {}
    if isinstance(editions, list):
        return {str(e): f"raw/{e}.pdf" for e in editions}
    return {str(k): str(v) for k, v in editions.items()}


def read_editions(params_path: Path) -> list[str]:
    return list(raw_files(_read_text(params_path)))


def _scalar(text: str) -> str:
    """text as a YAML scalar that reads back as that very string (plain when it can be, else quoted)."""
    import json

    import yaml

    return text if yaml.safe_load(text) == text and ": " not in text and " #" not in text else json.dumps(text)


def _edited(params_text: str, edition_id: str, raw_name: str) -> str | None:
    """params.yaml with edition_id → raw_name, by a text edit where extract.editions is: every byte outside the
    one line (or value) added kept. None when its layout is not one this edit knows."""
    import yaml

    root = _yaml(params_text, PARAMS, compose=True)
    entry = f"{_scalar(edition_id)}: {_scalar(raw_name)}"

    def value_of(node, key):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    return k, v
        return None, None

    _, extract = value_of(root, "extract")
    if extract is None and (root is None or isinstance(root, yaml.MappingNode) and not root.flow_style):
        # an empty params.yaml (or one without extract:): the section goes at its end
        gap = "" if not params_text or params_text.endswith("\n") else "\n"
        return params_text + gap + "extract:\n  editions:\n    " + entry + "\n"
    key, editions = value_of(extract, "editions")
    if editions is None:
        return None
    if isinstance(editions, yaml.MappingNode) and editions.value and not editions.flow_style:
        for k, v in editions.value:
            if k.value == edition_id:
                if not isinstance(v, yaml.ScalarNode) or "\n" in params_text[v.start_mark.index:v.end_mark.index]:
                    return None
                return params_text[:v.start_mark.index] + _scalar(raw_name) + params_text[v.end_mark.index:]
        if edition_id in raw_files(params_text):  # a key spelled otherwise (`"2021-2"`): never a second one
            return None
        first, last = editions.value[0][0], editions.value[-1][1]
        end = params_text.find("\n", last.end_mark.index)
        head, tail = (params_text + "\n", "") if end < 0 else (params_text[:end + 1], params_text[end + 1:])
        return head + " " * first.start_mark.column + entry + "\n" + tail
    if isinstance(editions, yaml.MappingNode) and editions.value and editions.flow_style \
            and edition_id not in raw_files(params_text) and params_text[editions.end_mark.index - 1] == "}":
        close = editions.end_mark.index - 1  # `{2021-2: raw/a.pdf}` → `{2021-2: raw/a.pdf, 2023-1: …}`
        return params_text[:close].rstrip() + ", " + entry + params_text[close:]
    if isinstance(editions, yaml.SequenceNode) and editions.value and raw_name == f"raw/{edition_id}.pdf":
        if editions.flow_style and params_text[editions.end_mark.index - 1] == "]":  # `[2021-2]` → `[2021-2, 2023-1]`
            close = editions.end_mark.index - 1
            return params_text[:close].rstrip() + ", " + _scalar(edition_id) + params_text[close:]
        if not editions.flow_style:  # a `- 2021-2` line each: one more
            first, last = editions.value[0], editions.value[-1]
            end = params_text.find("\n", last.end_mark.index)
            head, tail = (params_text + "\n", "") if end < 0 else (params_text[:end + 1], params_text[end + 1:])
            dash = params_text.rfind("-", 0, first.start_mark.index)
            return head + params_text[params_text.rfind("\n", 0, dash) + 1:first.start_mark.index] \
                + _scalar(edition_id) + "\n" + tail
    empty = (isinstance(editions, yaml.ScalarNode) and editions.tag.endswith(":null")) or \
        (isinstance(editions, (yaml.MappingNode, yaml.SequenceNode)) and not editions.value)
    if empty and editions.start_mark.line == key.start_mark.line:  # `editions: []`, `editions: {}`, `editions:`
        start = editions.start_mark.index if editions.end_mark.index > editions.start_mark.index else key.end_mark.index
        if start == key.end_mark.index:  # an empty value: after the colon
            start = params_text.index(":", key.end_mark.index) + 1
        end = max(editions.end_mark.index, start)
        return (params_text[:start].rstrip(" ") + "\n" + " " * (key.start_mark.column + 2) + entry
                + params_text[end:])
    return None


def _round_trip(params_text: str, edition_id: str, raw_name: str) -> str | None:
    """params.yaml with the edition added through ruamel.yaml's round trip (comments and flow style kept):
    for a layout the text edit does not know."""
    import io

    try:
        from ruamel.yaml import YAML
    except ImportError:  # pragma: no cover - dvc depends on it
        return None
    yaml = YAML()
    yaml.preserve_quotes = True
    try:
        data = yaml.load(params_text)
        extract = data.setdefault("extract", {})
        if extract is None:
            data["extract"] = extract = {}
        editions = extract.get("editions")
        if not isinstance(editions, dict):
            from ruamel.yaml.comments import CommentedMap

            mapping = CommentedMap((str(e), f"raw/{e}.pdf") for e in (editions or []))
            extract["editions"] = editions = mapping
        editions[edition_id] = raw_name
        out = io.StringIO()
        yaml.dump(data, out)
        return out.getvalue()
    except Exception:  # ruamel's own errors: then the edit is refused below
        return None


def params_with(params_text: str, edition_id: str, raw_name: str | None = None) -> str:
    """params.yaml text with edition_id → raw_name (default raw/<id>.pdf) in extract.editions.

    Everything else is kept byte for byte (comments, `[DK, NO, EU]`, quoting): one line is added (or one
    value changed) where the editions are listed; a layout that edit does not know goes through ruamel.yaml's
    round trip. Either result must read back as the same data with only that edition added, else
    IngestRefused: params.yaml is never rewritten into something else."""
    raw_name = raw_name or f"raw/{edition_id}.pdf"
    if raw_files(params_text).get(edition_id) == raw_name:  # registered already (an interrupted ingest)
        return params_text
    data = _params_data(params_text)
    expected = {**raw_files(params_text), edition_id: raw_name}
    rest = {k: v for k, v in data.items() if k != "extract"}
    extract_rest = {k: v for k, v in (data.get("extract") or {}).items() if k != "editions"}
    for edit in (_edited, _round_trip):
        text = edit(params_text, edition_id, raw_name)
        if text is None:
            continue
        try:
            new = _params_data(text)
        except IngestRefused:
            continue
        if raw_files(text) == expected and {k: v for k, v in new.items() if k != "extract"} == rest \
                and {k: v for k, v in (new.get("extract") or {}).items() if k != "editions"} == extract_rest:
            return text
    raise IngestRefused(N_("{file}: cannot add {edition_id} without rewriting what it holds; add the line "
                           "`{edition_id}: {raw}` under extract.editions yourself and run `dvc repro`"),
                        file=PARAMS, edition_id=edition_id, raw=raw_name)


def _run_dvc(root: Path, edition_id: str) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    dvc = shutil.which("dvc", path=env["PATH"])
    if dvc is None:
        raise PipelineFailed(N_("dvc is not installed; pip install dvc (it comes with this package) and retry"))
    stages = (_yaml(_read_text(root / "dvc.yaml"), "dvc.yaml") or {}).get("stages") or {}
    targets = [f"publish@{edition_id}"] + [name for name in ACROSS_EDITIONS if name in stages]
    # its own process group: an interrupted ingest (Ctrl-C, SIGTERM) passes SIGTERM on to DVC and the stage it
    # runs, which clean up as this process does, before raw/ and params.yaml are put back
    with subprocess.Popen([dvc, "repro", *targets], cwd=root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate()
        except BaseException:
            _stop(process)
            raise
    if process.returncode != 0:
        raise PipelineFailed(N_("dvc repro failed for {edition_id}: {detail}; raw/, params.yaml and dvc.lock "
                                "were restored"), edition_id=edition_id, detail=dvc_error(stderr + stdout))


def _stop(process: subprocess.Popen, grace: float = 30.0) -> None:
    """SIGTERM to DVC's process group, then SIGKILL if it has not ended within grace seconds."""
    import signal

    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.communicate(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def dvc_error(output: str) -> str:
    """What DVC said went wrong: its `ERROR:` line with the indented lines that continue it (a lock message
    names the blocking process there: `(PID 4242): dvc repro`), else its last line (the others are progress).
    A lock message that names no process names DVC's lock file instead."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("ERROR:"):
            parts = [line.removeprefix("ERROR:").strip()]
            parts += [ln.strip() for ln in itertools.takewhile(lambda ln: ln[:1].isspace() and ln.strip(),
                                                                lines[i + 1:])]
            message = " ".join(parts)
            if message.endswith("blocked by:"):
                message += " (no process named; DVC's lock file is .dvc/tmp/rwlock)"
            elif "Unable to acquire lock" in message and "PID" not in message:
                message += " (DVC's lock file: .dvc/tmp/lock)"
            return message if len(message) <= 400 else message[:399] + "…"
    rest = [ln.strip() for ln in lines if ln.strip()]
    return rest[-1][:400] if rest else "no output"


@contextlib.contextmanager
def project_lock(root: Path, wait: bool = True):
    """One ingest at a time per project: a second one waits (or, with wait=False, is refused). The lock is
    flock(2) on the project directory itself, so taking it writes nothing: a refused ingest leaves no file."""
    import fcntl

    fd = os.open(Path(root), os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise ProjectBusy(N_("{root}: another ingest is running in this project; wait for it to finish, "
                                 "or run without --no-wait to queue behind it"), root=root) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# where a killed run can leave a temporary (fileio's exact `.<name>.guidelines-tmp-<hex>` names): beside each
# output, and inside the stage directories (extracted/<id>/.data_docs.guidelines-tmp-…)
TEMPORARY_FOLDERS = (".", "raw", "metrics", "corrections", "extracted", "extracted/*", "published", "published/*",
                     "tables", "tables/*")


def clean_temporary(root: Path) -> list[Path]:
    """Remove the temporaries a killed run of this tool left (`fileio.is_temporary`: only the exact names
    fileio makes; a user's `.env.old-2023` or `.notes.tmp-1` is never one). Called with the project lock
    held, once the ingest is going ahead, so no running stage owns them and a refused ingest removes nothing."""
    root = Path(root)
    removed = []
    for pattern in TEMPORARY_FOLDERS:
        for directory in ([root] if pattern == "." else sorted(root.glob(pattern))):
            if directory.is_symlink() or not directory.is_dir() or is_temporary(directory):
                continue
            for path in sorted(directory.iterdir()):
                if is_temporary(path):
                    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
                    removed.append(path)
    return removed


def is_built(root: Path, edition_id: str) -> bool:
    """The gate has decided on the edition (published or withheld) and the tables are written."""
    published = Path(root) / "published" / edition_id
    return ((published / "edition.json").is_file() or (published / "withheld.json").is_file()) \
        and (Path(root) / "tables").is_dir()


def _run_in_process(root: Path, edition_id: str) -> None:
    """The stages of dvc.yaml, in its order: extract, enrich, validate, publish; then tables and index."""
    from .editions import edition_ids, load_edition_ref
    from .enrich.enrichment import enrich_dir
    from .extract import extract_to_dir
    from .publish.gate import publish_dir
    from .publish.index import write_index
    from .review.page import write_review
    from .publish.tables import write_tables_dir
    from .quality.validate import validate_dir

    directory = root / "extracted" / edition_id
    corrections = root / "corrections"
    raw = root / raw_files(_read_text(root / "params.yaml"))[edition_id]
    extract_to_dir(raw, directory, edition_id, corrections=corrections if corrections.is_dir() else None)
    enrich_dir(directory)  # before publishing, so the published edition carries its enrichment
    validate_dir(directory)
    publish_dir(directory, root / "published")
    published = root / "published"
    editions = [load_edition_ref(str(published / i), published)[0] for i in edition_ids(published)]  # no temp dirs
    write_review(str(directory), directory / "review.html", root / "extracted", raw, published_root=published)
    write_tables_dir(editions, root / "tables")
    write_index(published, root / "extracted" / "index.html", root / "extracted")


def ingest(pdf: Path, project: Path = Path("."), edition_id: str | None = None, replace: bool = False,
           progress=lambda message: None, wait: bool = True) -> IngestResult:
    """Add pdf to the project as edition_id (inferred from the title when None) and build it.

    Holds the project lock throughout (a second ingest waits, or is refused when wait is
    False); first removes what a killed run left behind and completes an ingest that was
    interrupted.
    """
    root = project_root(project)
    with project_lock(root, wait):
        return _ingest_locked(root, Path(pdf), edition_id, replace, progress)


def _ingest_locked(root: Path, pdf: Path, edition_id: str | None, replace: bool, progress) -> IngestResult:
    import json

    from .extract import read_and_fix
    from .reading.docx import WordDocument
    from .reading.html import HtmlDocument

    reading = read_and_fix(pdf, ocr="never")  # refuses what is not a readable PDF, Word file or web page
    doc = reading.doc
    stages = reading.edition(str(pdf), edition_id)  # refuses what is not a guideline, or several
    info = stages.edition.edition
    if edition_id is None:
        if info.year is None:
            raise IngestRefused(N_("{pdf}: the edition id cannot be inferred (no year in the title); {hint}"),
                                pdf=pdf, hint=ID_HINT)
        edition_id = info.id
    check_edition_id(edition_id)

    raw_dir = root / "raw"
    # a Word file keeps its own suffix (.docx; .doc and .wps are converted at each extract)
    suffix = pdf.suffix.lower() if isinstance(doc, WordDocument) and pdf.suffix.lower() in (".doc", ".wps") else (
        ".docx" if isinstance(doc, WordDocument) else f".{doc.format}" if isinstance(doc, HtmlDocument) else ".pdf")
    raw = raw_dir / f"{edition_id}{suffix}"
    params_path = root / "params.yaml"
    editions = read_editions(params_path)
    status = "ingested"
    for other in sorted(raw_dir.glob("*.*")):
        if other.suffix.lower() not in (".pdf", ".docx", ".doc", ".wps", ".html", ".mhtml") \
                or sha256_of(other) != doc.sha256:
            continue
        if other.stem in editions and is_built(root, other.stem):
            return IngestResult(other.stem, "unchanged", other,
                                message=f"{pdf} is already ingested as {other.stem} (same file); nothing to do")
        if other.stem == edition_id:  # an ingest of this very file was interrupted: finish it
            progress(f"completing the interrupted ingest of {edition_id}")
            status = "completed"
    if status == "ingested" and (raw.exists() or edition_id in editions):
        if not replace:
            raise IngestRefused(N_("edition {edition_id} exists with a different file (raw/{edition_id}.*); "
                                   "use --replace to replace it, or --edition to ingest it under another id"),
                                edition_id=edition_id)
        status = "replaced"

    params_before = _read_text(params_path)
    params_after = params_with(params_before, edition_id, f"raw/{raw.name}")  # refuses before anything is written
    raw_before = raw.read_bytes() if raw.exists() else None
    lock_path = root / "dvc.lock"  # a failed repro may leave entries for an edition params.yaml does not list
    lock_before = lock_path.read_bytes() if lock_path.exists() else None
    metrics_path = root / "metrics" / f"{edition_id}.json"  # the validate stage's, kept in git, not by DVC
    metrics_before = metrics_path.read_bytes() if metrics_path.is_file() else None
    # folders this run makes, for a new edition only: a failed or interrupted run removes them again
    folders = (raw_dir, root / "metrics", root / "extracted", root / "published")  # removed only when left empty
    made = [d for d in (*folders, root / "extracted" / edition_id, root / "published" / edition_id)
            if status == "ingested" and not d.exists()]
    clean_temporary(root)  # the ingest goes ahead: what a killed run of ours left goes first
    raw_dir.mkdir(exist_ok=True)
    progress(f"copying to raw/{raw.name} and registering {edition_id} in params.yaml")
    try:
        write_bytes_atomic(raw, pdf.read_bytes())
        write_bytes_atomic(params_path, params_after.encode("utf-8"))
        progress(f"running the pipeline for {edition_id} (extract → validate → publish)")
        if (root / ".dvc").is_dir():
            _run_dvc(root, edition_id)
        else:
            _run_in_process(root, edition_id)
    except BaseException:
        if status == "completed":  # the file was registered before this run: leave it for the next one
            raise
        write_bytes_atomic(params_path, params_before.encode("utf-8"))
        if lock_before is None:
            lock_path.unlink(missing_ok=True)
        else:
            write_bytes_atomic(lock_path, lock_before)
        if raw_before is None:
            raw.unlink(missing_ok=True)
        else:
            write_bytes_atomic(raw, raw_before)
        if metrics_before is None:
            metrics_path.unlink(missing_ok=True)
        else:
            write_bytes_atomic(metrics_path, metrics_before)
        for directory in reversed(made):  # the edition's outputs first, then the folders if left empty
            if directory in folders:
                with contextlib.suppress(OSError):
                    directory.rmdir()
            else:
                shutil.rmtree(directory, ignore_errors=True)
        raise

    extracted = root / "extracted" / edition_id
    report_path = extracted / "validation.json"
    validation = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else None
    published = root / "published" / edition_id / "edition.json"
    return IngestResult(edition_id, status, raw, extracted, validation, published if published.is_file() else None)
