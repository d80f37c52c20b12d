"""The `guidelines` command: a thin layer (click) over the library.

Every error a user can cause ends in one line on stderr that says what is wrong and
what to do, and an exit code per kind of error (see errors.py); no traceback.
Set GUIDELINES_DEBUG=1 to see the traceback of an unexpected failure.
Heavy libraries are imported inside the command that needs them, so `extract` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from .errors import GuidelineError


def fail(message: str, code: int):
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def run(action):
    """Run action, turning every error into one line and an exit code."""
    try:
        return action()
    except GuidelineError as exc:
        fail(exc.message, exc.exit_code)
    except (click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug, not bad input: still one line, but say so
        if os.environ.get("GUIDELINES_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); rerun with GUIDELINES_DEBUG=1 and report it", 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="guidelines")
def app() -> None:
    """Turn 申报指南 PDFs into clean, traceable edition records."""


@app.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
              help="output directory  [default: extracted/<edition id>]")
@click.option("--edition", default=None, help="edition id, e.g. 2021-2  [default: from the title]")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="OCR pages: auto = those without a readable text layer (scans); needs the ocr extra")
def extract(pdf: Path, out: Path | None, edition: str | None, ocr: str) -> None:
    """Extract one guideline PDF into DIR/edition.json (and every stage's output beside it).

    \b
    Example: guidelines extract raw/2021-2.pdf --out extracted/2021-2
    """
    from .extract import extract_to_dir

    stages, out_dir = run(lambda: extract_to_dir(pdf, out, edition, ocr=ocr, progress=ocr_progress))
    info = stages.edition.edition
    budget = f"{info.budget_cny / 1e8:g} 亿元" if info.budget_cny else "budget not stated"
    click.echo(f"{info.id}: {len(stages.edition.directions)} directions, {budget} → {out_dir / 'edition.json'}")
    for warning in stages.edition.warnings:
        click.echo(f"warning: {warning}", err=True)


@app.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--publish", "publish_root", type=click.Path(path_type=Path), default=Path("published"),
              show_default=True, help="where editions that pass are published as clean")
@click.option("--no-publish", is_flag=True, help="check only; leave the published editions as they are")
@click.option("--docs/--no-docs", default=True, show_default=True, help="build Great Expectations Data Docs")
@click.option("--metrics", "metrics_path", type=click.Path(path_type=Path), default=None,
              help="also write a small metrics JSON (one DIR only), e.g. for `dvc metrics`")
@click.option("--no-fail", is_flag=True, help="exit 0 even when checks fail (pipelines: the gate still applies)")
def validate(dirs: tuple[Path, ...], publish_root: Path, no_publish: bool, docs: bool, metrics_path: Path | None,
             no_fail: bool) -> None:
    """Run the quality checks on extracted editions (DIR/edition.json).

    Writes DIR/validation.json and DIR/data_docs/. An edition that passes is published
    to PUBLISH/<id>/edition.json; one that fails is not (and an earlier published copy
    is withdrawn). Exit code 12 when any edition fails a check.

    \b
    Example: guidelines validate extracted/2021-2
    """
    from .editions import load_edition_dir
    from .errors import ChecksFailed
    from .publish.gate import publish
    from .publish.metrics import write_metrics
    from .quality.validate import validate_dir

    if metrics_path is not None and len(dirs) > 1:
        raise click.UsageError("--metrics takes one edition directory; validate the others in separate calls")
    failed = False
    for i, directory in enumerate(dirs, start=1):
        progress(i, len(dirs), directory)

        def one():
            report = validate_dir(directory, docs)
            edition = load_edition_dir(directory)
            if metrics_path is not None:
                write_metrics(metrics_path, report, edition)
            if not no_publish:
                publish(edition, report, publish_root, Path(directory))
            return report

        report = run(one)
        s = report.summary
        if report.status == "passed":
            click.echo(f"{report.edition_id}: passed ({s.passed} checks passed, {s.skipped} skipped) "
                       f"→ {directory / 'validation.json'}")
        else:
            failed = True
            click.echo(f"{report.edition_id}: FAILED — {s.failed} of {s.checks} checks failed "
                       f"({directory / 'validation.json'})", err=True)
            for check in report.checks:
                if check.status == "failed":
                    click.echo(f"  ✗ {check.name}: {check.message}", err=True)
        for warning in report.warnings:
            where = f" (direction {warning.direction})" if warning.direction else ""
            click.echo(f"  needs review{where}: {warning.message}", err=True)
    if failed and not no_fail:
        raise SystemExit(ChecksFailed.exit_code)


@app.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--to", "publish_root", type=click.Path(path_type=Path), default=Path("published"), show_default=True,
              help="root of the published editions")
def publish(directory: Path, publish_root: Path) -> None:
    """Publish an edition that passed validation; withhold one that did not.

    Reads DIR/edition.json and DIR/validation.json (which must be the report of that
    very edition.json) and writes PUBLISH/<id>/edition.json, or PUBLISH/<id>/withheld.json.

    \b
    Example: guidelines publish extracted/2021-2 --to published
    """
    from .publish.gate import publish_dir

    written = run(lambda: publish_dir(directory, publish_root))
    click.echo(f"{'published' if written.name == 'edition.json' else 'withheld'}: {written}")


@app.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--edition", default=None, help="edition id, e.g. 2023-1  [default: year and batch from the title]")
@click.option("--replace", is_flag=True, help="replace the PDF of an edition that exists with a different file")
@click.option("--project", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="the project directory (with params.yaml and dvc.yaml)")
def ingest(pdf: Path, edition: str | None, replace: bool, project: Path) -> None:
    """Add a new guideline PDF: copy it to raw/<id>.pdf, register it, run its pipeline.

    The same file again does nothing; a different file under an existing id is refused
    unless --replace; a PDF that is not a guideline, or whose id cannot be inferred, is
    refused and nothing is changed.

    \b
    Example: guidelines ingest ~/Downloads/2023年度第一批指南.pdf
    """
    from .ingest import ingest as ingest_pdf

    result = run(lambda: ingest_pdf(pdf, project, edition, replace, progress=lambda m: click.echo(f"… {m}", err=True)))
    if result.status == "unchanged":
        click.echo(result.message)
        return
    click.echo(f"{result.status} {result.edition_id}: raw/{result.edition_id}.pdf, extracted/{result.edition_id}/")
    if result.validation:
        s = result.validation["summary"]
        click.echo(f"validation {result.validation['status']}: {s['passed']} passed, {s['failed']} failed, "
                   f"{s['skipped']} skipped (extracted/{result.edition_id}/validation.json)")
        for check in result.validation["checks"]:
            if check["status"] == "failed":
                click.echo(f"  ✗ {check['name']}: {check['message']}")
    if result.published:
        click.echo(f"published: published/{result.edition_id}/edition.json")
    else:
        click.echo(f"withheld: published/{result.edition_id}/ (not clean; see the validation report)")


@app.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
              help="md: readable report; json: for downstream systems (schemas/diff.schema.json); html: one page")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None, help="write to FILE instead of stdout")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
def diff(old: str, new: str, fmt: str, out: Path | None, root: Path) -> None:
    """Show what changed from edition OLD to edition NEW.

    OLD and NEW are edition ids (looked up in extracted/), edition directories or
    edition.json paths. Directions are matched by partner and programme, not by number.

    \b
    Example: guidelines diff 2021-2 2022-1 --format html --out changes.html
    """
    from .compare.diff import diff_editions
    from .editions import load_edition_ref
    from .compare.render import RENDERERS

    def build() -> str:
        (a, path_a), (b, path_b) = load_edition_ref(old, root), load_edition_ref(new, root)
        return RENDERERS[fmt](diff_editions(a, b, path_a, path_b))

    text = run(build)
    if out is None:
        click.echo(text, nl=False)
    else:
        run(lambda: _write_output(out, text))
        click.echo(f"wrote {out}", err=True)


@app.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
def enrich(dirs: tuple[Path, ...]) -> None:
    """Add agencies, keywords and eligibility rules for every direction (DIR/enrichment.json).

    Loads spaCy and jieba (about two seconds), which `extract` never does.

    \b
    Example: guidelines enrich extracted/2021-2
    """
    from .enrich.enrichment import enrich_dir

    for i, directory in enumerate(dirs, start=1):
        progress(i, len(dirs), directory)
        result = run(lambda: enrich_dir(directory))
        agencies = sum(len(d.agencies) for d in result.directions)
        click.echo(f"{result.edition_id}: {len(result.directions)} directions, {agencies} agency mentions "
                   f"→ {Path(directory) / 'enrichment.json'}")


LEAD_TYPES = {"enterprise": "企业", "university": "高校", "research_institute": "科研院所"}


@app.command()
@click.argument("editions", nargs=-1)
@click.option("--lead", type=click.Choice(list(LEAD_TYPES)), required=True,
              help="the kind of Chinese organisation that would lead the application")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up; all its editions when none are named")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per direction instead of text")
def eligible(editions: tuple[str, ...], lead: str, root: Path, as_json: bool) -> None:
    """Which directions may an enterprise, a university or a research institute lead?

    Reads the requirements of each edition (ids, edition directories or edition.json
    paths; default: every edition in extracted/) and lists the directions the kind of
    organisation may lead, then those it may not, with the requirement that says so.

    \b
    Example: guidelines eligible 2021-2 --lead university
    """
    import json as json_lib

    from .editions import edition_refs, load_edition_ref
    from .enrich.eligibility import eligibility_of, refusing_rule

    refs = run(lambda: edition_refs(editions, root))
    allowed, refused = [], []
    for ref in refs:
        edition, _ = run(lambda: load_edition_ref(ref, root))
        for d in edition["directions"]:
            rules = eligibility_of(d)
            row = {"edition": edition["edition"]["id"], "id": d["id"], "title": d["title"],
                   "partner": (d.get("partner") or {}).get("iso_code"), "may_lead": rules.may_lead}
            if lead in rules.may_lead:
                allowed.append(row)
            else:
                why = refusing_rule(rules)
                row["because"] = {"requirement": why.requirement, "text": why.text} if why else None
                refused.append(row)
    if as_json:
        for row in allowed + refused:
            click.echo(json_lib.dumps({**row, "eligible": row in allowed}, ensure_ascii=False))
        return
    click.echo(f"may be led by a {LEAD_TYPES[lead]} ({lead}): {len(allowed)} direction(s)")
    for row in allowed:
        click.echo(f"  {row['edition']} {row['id']} {row['title']} ({row['partner']})")
    if refused:
        click.echo(f"may not: {len(refused)} direction(s)")
        for row in refused:
            because = row.get("because")
            reason = f" — requirement ({because['requirement']}): {because['text']}" if because else ""
            click.echo(f"  {row['edition']} {row['id']} {row['title']} ({row['partner']}){reason}")


def _write_output(path: Path, text: str) -> None:
    from .errors import OutputError
    from .fileio import write_text_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror}); choose another --out") from None


def ocr_progress(i: int, n: int, page: int, seconds: float) -> None:
    """One line per OCR'd page on stderr (a page takes seconds); none for a single page."""
    if n > 1:
        click.echo(f"… OCR [{i}/{n}] page {page} ({seconds:.1f} s)", err=True)


def progress(i: int, n: int, what) -> None:
    """One line per item on stderr when a command works through several."""
    if n > 1:
        click.echo(f"… [{i}/{n}] {what}", err=True)


@app.command()
@click.argument("editions", nargs=-1)
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up; all its editions when none are named")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("tables"), show_default=True,
              help="output directory")
def tables(editions: tuple[str, ...], root: Path, out: Path) -> None:
    """Write the analyst tables (CSV and Parquet), per edition and across editions.

    Tables: directions, contacts, requirements, fields, urls, eligibility; their columns
    are documented in schemas/tables.md.

    \b
    Example: guidelines tables --out tables
    """
    from .editions import edition_refs, load_edition_ref
    from .publish.tables import check_tables_dir, write_tables_dir

    refs = run(lambda: edition_refs(editions, root))
    run(lambda: check_tables_dir(out))  # before reading anything: fail fast on a wrong --out
    loaded = []
    for i, ref in enumerate(refs, start=1):
        progress(i, len(refs), ref)
        loaded.append(run(lambda: load_edition_ref(ref, root))[0])
    combined = run(lambda: write_tables_dir(loaded, out))
    counts = ", ".join(f"{len(frame)} {name}" for name, frame in combined.items())
    click.echo(f"{len(refs)} edition(s): {counts} → {out}/")


@app.command()
@click.option("--published", "published_root", type=click.Path(path_type=Path), default=Path("published"),
              show_default=True, help="root of the published (and withheld) editions")
@click.option("--reports", "reports_root", type=click.Path(path_type=Path), default=Path("extracted"),
              show_default=True, help="where each edition's validation.json and Data Docs are")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("extracted/index.html"),
              show_default=True, help="the page to write")
def index(published_root: Path, reports_root: Path, out: Path) -> None:
    """Write one page listing every edition the gate has seen: published or withheld, and why.

    \b
    Example: guidelines index --out extracted/index.html
    """
    from .publish.index import write_index

    click.echo(f"wrote {run(lambda: write_index(published_root, out, reports_root))}")


@app.command()
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True,
              help="directory for the JSON Schema files")
def schema(out: Path) -> None:
    """Write the JSON Schemas of the outputs, generated from the models.

    \b
    Example: guidelines schema --out schemas
    """
    from .publish.schemas import write_schemas

    for path in run(lambda: write_schemas(out)):
        click.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    app()
