"""Ingest: add a new guideline (PDF or Word) to the project and run the pipeline for it.

1. Read and extract the file in memory first: a file that is not a guideline, or whose
   edition id cannot be inferred (and was not given), is refused before anything is written.
2. Copy it to raw/<id>.pdf (or raw/<id>.docx …) and add <id> → that file to params.yaml
   (the same file again: nothing to do; a different file under an existing id: refused
   unless --replace).
3. Run `dvc repro publish@<id> review tables index` (that edition's stages, then the stages
   across editions); in a project without DVC, the same stages run in-process. If the
   pipeline fails, raw/, params.yaml and dvc.lock are put back as they were.

The whole of it holds a project lock (`.guidelines-ingest.lock`): a second ingest waits.
A run killed part-way is finished by the next ingest of the same file (or by `dvc repro`,
once params.yaml lists the edition); the temporary directories it left are removed.
"""

from __future__ import annotations

import contextlib
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


def raw_files(params_text: str) -> dict[str, str]:
    """extract.editions of params.yaml: edition id → raw file (a plain list of ids means raw/<id>.pdf)."""
    import yaml

    data = yaml.safe_load(params_text) or {}
    editions = (data.get("extract") or {}).get("editions") or {}
    if isinstance(editions, list):
        return {str(e): f"raw/{e}.pdf" for e in editions}
    return {str(k): str(v) for k, v in editions.items()}


def read_editions(params_path: Path) -> list[str]:
    return list(raw_files(params_path.read_text(encoding="utf-8")))


def params_with(params_text: str, edition_id: str, raw_name: str | None = None) -> str:
    """params.yaml text with edition_id → raw_name (default raw/<id>.pdf) in extract.editions (leading comments kept)."""
    import yaml

    header = []
    for line in params_text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    data = yaml.safe_load(params_text) or {}
    editions = raw_files(params_text)
    editions[edition_id] = raw_name or f"raw/{edition_id}.pdf"
    data.setdefault("extract", {})
    data["extract"] = data["extract"] or {}
    data["extract"]["editions"] = editions
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return "\n".join(header + [body.rstrip()]) + "\n"


def _run_dvc(root: Path, edition_id: str) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    dvc = shutil.which("dvc", path=env["PATH"])
    if dvc is None:
        raise PipelineFailed(N_("dvc is not installed; pip install dvc (it comes with this package) and retry"))
    import yaml

    stages = (yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8")) or {}).get("stages") or {}
    targets = [f"publish@{edition_id}"] + [name for name in ACROSS_EDITIONS if name in stages]
    result = subprocess.run([dvc, "repro", *targets], cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise PipelineFailed(N_("dvc repro failed for {edition_id}: {detail}; raw/, params.yaml and dvc.lock "
                                "were restored"), edition_id=edition_id, detail=dvc_error(result.stderr + result.stdout))


def dvc_error(output: str) -> str:
    """The line that says why DVC failed: its `ERROR:` line (the last lines are progress messages)."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ERROR:")]
    return errors[0].removeprefix("ERROR:").strip() if errors else (lines[-1] if lines else "no output")


LOCK_NAME = ".guidelines-ingest.lock"  # in the project root; holds nothing, only the lock


@contextlib.contextmanager
def project_lock(root: Path, wait: bool = True):
    """One ingest at a time per project: a second one waits (or, with wait=False, is refused)."""
    import fcntl

    with open(Path(root) / LOCK_NAME, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise ProjectBusy(N_("{root}: another ingest is running in this project; wait for it to finish, "
                                 "or run without --no-wait to queue behind it"), root=root) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def clean_temporary(root: Path) -> list[Path]:
    """Remove the temporary siblings (.<name>.tmp-…, .<name>.old-…) a killed run left in the output
    folders. Called with the project lock held, so no running stage owns them."""
    removed = []
    for folder in ("extracted", "published", "tables", "raw", "."):
        directory = Path(root) / folder
        for path in (directory.iterdir() if directory.is_dir() else []):
            if is_temporary(path):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
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
    raw = root / raw_files((root / "params.yaml").read_text(encoding="utf-8"))[edition_id]
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
        clean_temporary(root)
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

    params_before = params_path.read_text(encoding="utf-8")
    raw_before = raw.read_bytes() if raw.exists() else None
    lock_path = root / "dvc.lock"  # a failed repro may leave entries for an edition params.yaml does not list
    lock_before = lock_path.read_bytes() if lock_path.exists() else None
    raw_dir.mkdir(exist_ok=True)
    progress(f"copying to raw/{raw.name} and registering {edition_id} in params.yaml")
    try:
        write_bytes_atomic(raw, pdf.read_bytes())
        write_bytes_atomic(params_path, params_with(params_before, edition_id, f"raw/{raw.name}").encode("utf-8"))
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
        raise

    extracted = root / "extracted" / edition_id
    report_path = extracted / "validation.json"
    validation = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else None
    published = root / "published" / edition_id / "edition.json"
    return IngestResult(edition_id, status, raw, extracted, validation, published if published.is_file() else None)
