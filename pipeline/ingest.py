"""Ingest: add a new guideline PDF to the project and run the pipeline for it.

1. Read and extract the PDF in memory first: a file that is not a guideline, or whose
   edition id cannot be inferred (and was not given), is refused before anything is written.
2. Copy it to raw/<id>.pdf and add <id> to params.yaml (the same file again: nothing to
   do; a different file under an existing id: refused unless --replace).
3. Run `dvc repro publish@<id> tables index` (that edition's stages, then the stages
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
from .fileio import is_temporary, write_bytes_atomic
from .reading.pdf import read_pdf, sha256_of

ID_HINT = "give it with --edition YYYY-N (e.g. --edition 2023-1)"
ACROSS_EDITIONS = ("tables", "index")  # the stages that span every edition, after the edition's own


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
    raise IngestRefused(f"{start}: not inside a guidelines project (no params.yaml and dvc.yaml); "
                        "run ingest from the project, or give --project DIR")


def read_editions(params_path: Path) -> list[str]:
    import yaml

    data = yaml.safe_load(params_path.read_text(encoding="utf-8")) or {}
    return [str(e) for e in ((data.get("extract") or {}).get("editions") or [])]


def params_with(params_text: str, edition_id: str) -> str:
    """params.yaml text with edition_id added to extract.editions (leading comments kept)."""
    import yaml

    header = []
    for line in params_text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    data = yaml.safe_load(params_text) or {}
    editions = [str(e) for e in ((data.setdefault("extract", {}) or {}).get("editions") or [])]
    if edition_id not in editions:
        editions.append(edition_id)
    data["extract"]["editions"] = editions
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return "\n".join(header + [body.rstrip()]) + "\n"


def _run_dvc(root: Path, edition_id: str) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    dvc = shutil.which("dvc", path=env["PATH"])
    if dvc is None:
        raise PipelineFailed("dvc is not installed; pip install dvc (it comes with this package) and retry")
    import yaml

    stages = (yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8")) or {}).get("stages") or {}
    targets = [f"publish@{edition_id}"] + [name for name in ACROSS_EDITIONS if name in stages]
    result = subprocess.run([dvc, "repro", *targets], cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise PipelineFailed(f"dvc repro failed for {edition_id}: {dvc_error(result.stderr + result.stdout)}; "
                             "raw/, params.yaml and dvc.lock were restored")


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
            raise ProjectBusy(f"{root}: another ingest is running in this project; wait for it to finish, "
                              "or run without --no-wait to queue behind it") from None
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
    from .publish.tables import write_tables_dir
    from .quality.validate import validate_dir

    directory = root / "extracted" / edition_id
    extract_to_dir(root / "raw" / f"{edition_id}.pdf", directory, edition_id)
    enrich_dir(directory)  # before publishing, so the published edition carries its enrichment
    validate_dir(directory)
    publish_dir(directory, root / "published")
    published = root / "published"
    editions = [load_edition_ref(str(published / i), published)[0] for i in edition_ids(published)]  # no temp dirs
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

    from .extract import pdf_to_stages

    doc = read_pdf(pdf)  # refuses what is not a readable PDF
    stages = pdf_to_stages(doc, str(pdf), edition_id)  # refuses what is not a guideline
    info = stages.edition.edition
    if edition_id is None:
        if info.year is None:
            raise IngestRefused(f"{pdf}: the edition id cannot be inferred (no year in the title); {ID_HINT}")
        edition_id = info.id
    check_edition_id(edition_id)

    raw_dir = root / "raw"
    raw = raw_dir / f"{edition_id}.pdf"
    params_path = root / "params.yaml"
    editions = read_editions(params_path)
    status = "ingested"
    for other in sorted(raw_dir.glob("*.pdf")):
        if sha256_of(other) != doc.sha256:
            continue
        if other.stem in editions and is_built(root, other.stem):
            return IngestResult(other.stem, "unchanged", other,
                                message=f"{pdf} is already ingested as {other.stem} (same file); nothing to do")
        if other.stem == edition_id:  # an ingest of this very file was interrupted: finish it
            progress(f"completing the interrupted ingest of {edition_id}")
            status = "completed"
    if status == "ingested" and (raw.exists() or edition_id in editions):
        if not replace:
            raise IngestRefused(f"edition {edition_id} exists with a different file (raw/{edition_id}.pdf); "
                                "use --replace to replace it, or --edition to ingest it under another id")
        status = "replaced"

    params_before = params_path.read_text(encoding="utf-8")
    raw_before = raw.read_bytes() if raw.exists() else None
    lock_path = root / "dvc.lock"  # a failed repro may leave entries for an edition params.yaml does not list
    lock_before = lock_path.read_bytes() if lock_path.exists() else None
    raw_dir.mkdir(exist_ok=True)
    progress(f"copying to raw/{edition_id}.pdf and registering {edition_id} in params.yaml")
    try:
        write_bytes_atomic(raw, pdf.read_bytes())
        write_bytes_atomic(params_path, params_with(params_before, edition_id).encode("utf-8"))
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
