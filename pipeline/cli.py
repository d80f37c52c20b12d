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
from .i18n import LANGS, default_lang, translate

LANG = {"current": None}  # the --lang of the running command (None: from the environment)


def _(message: str) -> str:
    """A CLI message in the language asked for (--lang, else LANG)."""
    return translate(message, LANG["current"])


def set_lang(ctx, param, value):
    LANG["current"] = value or default_lang()
    return LANG["current"]


def lang_option(command):
    """--lang zh|en on a command: its reports, summaries and errors in that language."""
    return click.option("--lang", type=click.Choice(LANGS), default=None, callback=set_lang, is_eager=True,
                        expose_value=True,
                        help="language of reports and messages  [default: zh when LANG is Chinese, else en]")(command)


def fail(message: str, code: int):
    click.echo(_("error: {message}").format(message=message), err=True)
    raise SystemExit(code)


def run(action):
    """Run action, turning every error into one line and an exit code."""
    try:
        return action()
    except GuidelineError as exc:
        fail(exc.translated(LANG["current"]), exc.exit_code)
    except (click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug, not bad input: still one line, but say so
        if os.environ.get("GUIDELINES_DEBUG"):
            raise
        fail(_("internal error ({error}); rerun with GUIDELINES_DEBUG=1 and report it").format(
            error=f"{type(exc).__name__}: {exc}"), 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="guidelines")
def app() -> None:
    """Turn 申报指南 PDFs into clean, traceable edition records."""


@app.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
              help="output directory  [default: extracted/<edition id>]")
@click.option("--edition", default=None, help="edition id, e.g. 2021-2  [default: from the title]")
@click.option("--corrections", type=click.Path(path_type=Path), default=None,
              help="a person's fixes to apply: a corrections YAML file, or a directory holding <id>.yaml "
                   "(none there: nothing to apply)")
@click.option("--replace", is_flag=True, help="replace an extraction of a DIFFERENT edition in --out")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="OCR pages: auto = those without a readable text layer (scans); needs the ocr extra")
@click.option("--max-stream-mb", type=float, default=16.0, show_default=True,
              help="largest size a compressed stream may inflate to")
@click.option("--max-glyphs-per-page", type=int, default=20_000, show_default=True, help="most glyphs on one page")
@click.option("--max-pages", type=int, default=1_000, show_default=True, help="most pages")
@lang_option
def extract(pdf: Path, out: Path | None, edition: str | None, corrections: Path | None, replace: bool, ocr: str,
            max_stream_mb: float, max_glyphs_per_page: int, max_pages: int, lang: str) -> None:
    """Extract the guideline in a PDF (born-digital, scanned, printed from a browser, or the ministry's notice
    bundle), a Word file (.docx; .doc/.wps with LibreOffice) or a web page (.html, .mhtml) into
    DIR/edition.json.

    Every stage's output is written beside it. Scanned pages are read by OCR (--ocr auto). A notice,
    annexes and guidelines of other programmes are left out and named in the warnings; a file holding
    several guidelines of this programme writes extracted/<id>/ for each (one line each), or the one
    --edition names.

    With --corrections, the edition's corrections are applied before anything is written;
    a stale, malformed or misdirected entry stops the extraction (exit 16) and writes nothing.

    \b
    Example: guidelines extract raw/2021-2.pdf --out extracted/2021-2 --corrections corrections
    """
    from .extract import extract_editions
    from .reading.pdf import Limits

    limits = Limits(max_stream_mb, max_glyphs_per_page, max_pages)
    written = run(lambda: extract_editions(pdf, out, edition, corrections=corrections, replace=replace,
                                           limits=limits, ocr=ocr, progress=ocr_progress))
    for stages, out_dir in written:  # one line per edition (a file may hold several guidelines)
        info = stages.edition.edition
        budget = f"{info.budget_cny / 1e8:g} 亿元" if info.budget_cny else _("budget not stated")
        click.echo(_("{id}: {count} directions, {budget} → {path}").format(
            id=info.id, count=len(stages.edition.directions), budget=budget, path=out_dir / "edition.json"))
        for warning in stages.edition.warnings:
            click.echo(_("warning: {message}").format(message=warning), err=True)
        corrected = sum(len(r.corrections) for r in [stages.edition.edition, *stages.edition.directions])
        if corrected:
            click.echo(_("{count} correction(s) applied").format(count=corrected), err=True)


ROOT_OPTION = dict(type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
                   help="where edition ids are looked up")


def edition_dir(ref, root: Path) -> Path:
    """An edition directory from what a command was given: a directory, an edition.json path, or an
    edition id (ROOT/<id>). Anything else is passed on as given, for the command's own error."""
    from .editions import is_edition_id

    path = Path(ref)
    if path.is_dir():
        return path
    if path.is_file() and path.name == "edition.json":
        return path.parent
    if is_edition_id(str(ref)) and (Path(root) / str(ref)).is_dir():
        return Path(root) / str(ref)
    return path


@app.command()
@click.argument("dirs", nargs=-1, required=True)
@click.option("--root", **ROOT_OPTION)
@click.option("--publish", "publish_root", type=click.Path(path_type=Path), default=Path("published"),
              show_default=True, help="where editions that pass are published as clean")
@click.option("--no-publish", is_flag=True, help="check only; leave the published editions as they are")
@click.option("--docs/--no-docs", default=True, show_default=True, help="build Great Expectations Data Docs")
@click.option("--metrics", "metrics_path", type=click.Path(path_type=Path), default=None,
              help="also write a small metrics JSON (one DIR only), e.g. for `dvc metrics`")
@click.option("--no-fail", is_flag=True, help="exit 0 even when checks fail (pipelines: the gate still applies)")
@lang_option
def validate(dirs: tuple[str, ...], root: Path, publish_root: Path, no_publish: bool, docs: bool,
             metrics_path: Path | None, no_fail: bool, lang: str) -> None:
    """Run the quality checks on extracted editions (DIR/edition.json; DIR may be an edition id).

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
    for i, ref in enumerate(dirs, start=1):
        progress(i, len(dirs), ref)
        directory = edition_dir(ref, root)

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
            click.echo(_("{id}: passed ({passed} checks passed, {skipped} skipped) → {path}").format(
                id=report.edition_id, passed=s.passed, skipped=s.skipped, path=directory / "validation.json"))
        else:
            failed = True
            click.echo(_("{id}: FAILED — {failed} of {checks} checks failed ({path})").format(
                id=report.edition_id, failed=s.failed, checks=s.checks, path=directory / "validation.json"), err=True)
            for check in report.checks:
                if check.status == "failed":
                    click.echo(f"  ✗ {check.name}: {check.message}", err=True)
        for warning in report.warnings:
            where = _(" (direction {id})").format(id=warning.direction) if warning.direction else ""
            click.echo(_("  needs review{where}: {message}").format(where=where, message=warning.message), err=True)
    if failed and not no_fail:
        raise SystemExit(ChecksFailed.exit_code)


@app.command()
@click.argument("directory")
@click.option("--root", **ROOT_OPTION)
@click.option("--to", "publish_root", type=click.Path(path_type=Path), default=Path("published"), show_default=True,
              help="root of the published editions")
@lang_option
def publish(directory: str, root: Path, publish_root: Path, lang: str) -> None:
    """Publish an edition that passed validation; withhold one that did not.

    DIRECTORY is an edition directory or an edition id (looked up in --root). Reads
    DIR/edition.json and DIR/validation.json (which must be the report of that
    very edition.json) and writes PUBLISH/<id>/edition.json, or PUBLISH/<id>/withheld.json.

    \b
    Example: guidelines publish extracted/2021-2 --to published
    """
    from .publish.gate import publish_dir

    written = run(lambda: publish_dir(edition_dir(directory, root), publish_root))
    click.echo((_("published: {path}") if written.name == "edition.json" else _("withheld: {path}")).format(path=written))


@app.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--edition", default=None, help="edition id, e.g. 2023-1  [default: year and batch from the title]")
@click.option("--replace", is_flag=True, help="replace the PDF of an edition that exists with a different file")
@click.option("--project", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="the project directory (with params.yaml and dvc.yaml)")
@click.option("--no-wait", is_flag=True, help="refuse at once when another ingest is running (default: wait for it)")
@lang_option
def ingest(pdf: Path, edition: str | None, replace: bool, project: Path, no_wait: bool, lang: str) -> None:
    """Add a new guideline PDF or Word file: copy it to raw/<id>.pdf (.docx), register it, run its pipeline.

    The same file again does nothing; a different file under an existing id is refused
    unless --replace; a PDF that is not a guideline, or whose id cannot be inferred, is
    refused and nothing is changed. One ingest runs at a time per project (a second one
    waits, or with --no-wait is refused); an ingest that was interrupted is completed.

    \b
    Example: guidelines ingest ~/Downloads/2023年度第一批指南.pdf
    """
    from .ingest import ingest as ingest_pdf

    result = run(lambda: ingest_pdf(pdf, project, edition, replace, progress=lambda m: click.echo(f"… {m}", err=True),
                                    wait=not no_wait))
    if result.status == "unchanged":
        click.echo(result.message)
        return
    status = {"ingested": _("ingested"), "replaced": _("replaced")}.get(result.status, result.status)
    click.echo(_("{status} {id}: raw/{raw}, extracted/{id}/").format(status=status, id=result.edition_id,
                                                                     raw=result.raw.name))
    if result.validation:
        s = result.validation["summary"]
        verdict = {"passed": _("passed"), "failed": _("failed")}.get(result.validation["status"],
                                                                    result.validation["status"])
        click.echo(_("validation {status}: {passed} passed, {failed} failed, {skipped} skipped "
                     "(extracted/{id}/validation.json)").format(status=verdict, passed=s["passed"],
                                                                failed=s["failed"], skipped=s["skipped"],
                                                                id=result.edition_id))
        for check in result.validation["checks"]:
            if check["status"] == "failed":
                click.echo(f"  ✗ {check['name']}: {check['message']}")
    if result.published:
        click.echo(_("published: {path}").format(path=f"published/{result.edition_id}/edition.json"))
    else:
        click.echo(_("withheld: published/{id}/ (not clean; see the validation report)").format(id=result.edition_id))


@app.command()
@click.argument("edition")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
              help="the page to write  [default: DIR/review.html beside the edition]")
@click.option("--pdf", type=click.Path(path_type=Path), default=None,
              help="the source PDF  [default: the path recorded in edition.json]")
@click.option("--previous", default=None, help="the edition to show changes from  [default: the latest "
                                               "published edition before this one]")
@click.option("--published", "published_root", type=click.Path(path_type=Path), default=Path("published"),
              show_default=True, help="where the previous edition is looked for")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
@lang_option
def review(edition: str, out: Path | None, pdf: Path | None, previous: str | None, published_root: Path,
           root: Path, lang: str) -> None:
    """Write one self-contained HTML page to check an edition against its PDF.

    EDITION is an id (in extracted/), an edition directory or an edition.json. The page
    shows the preamble's totals against the directions, the check results (from
    DIR/validation.json), budget charts and the changes from the previous edition, then
    every value of every direction beside a crop of the PDF with its source box.

    \b
    Example: guidelines review 2021-2 --out review.html
    """
    from .review.page import write_review

    path = run(lambda: write_review(edition, out, root, pdf, previous, published_root, lang))
    click.echo(_("wrote {path}").format(path=path))


@app.command()
@click.argument("edition")
@click.option("--direction", default=None, help='the direction id, e.g. "1.2"')
@click.option("--edition-level", "edition_level", is_flag=True,
              help="correct the preamble's totals (edition.budget_cny …) instead of a direction")
@click.option("--path", "value_path", required=True, help="the value: title, budget_cny, fields[2].name, "
                                                            "contacts[0].name …")
@click.option("--value", required=True, help="the right value (numbers and null are read as such where the "
                                             "field takes no text)")
@click.option("--reason", required=True, help="why the extraction is wrong, in a few words")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
@click.option("--corrections", "corrections_dir", type=click.Path(path_type=Path), default=Path("corrections"),
              show_default=True, help="directory of the corrections files (<id>.yaml)")
@lang_option
def correct(edition: str, direction: str | None, edition_level: bool, value_path: str, value: str, reason: str,
            root: Path, corrections_dir: Path, lang: str) -> None:
    """Record a correction in corrections/<id>.yaml, checked against the current extraction.

    `was` is filled in from EDITION (an id, directory or edition.json) and the value is
    checked against the contract. The correction is applied by the next `dvc repro`
    (or `guidelines extract … --corrections corrections`) and kept across re-extractions.

    \b
    Example: guidelines correct 2021-2 --direction 1.4 --path partner.name --value 欧洲联盟 --reason "full name"
    """
    from .editions import load_edition_ref
    from .records.corrections import append_entry, new_entry

    if (direction is None) == (not edition_level):
        raise click.UsageError(_("give either --direction ID or --edition-level"))

    def add():
        data, _path = load_edition_ref(edition, root)
        entry = new_entry(data, direction, value_path, value, reason)
        file = corrections_dir / f"{data['edition']['id']}.yaml"
        return entry, file, append_entry(file, entry, data)

    entry, file, number = run(add)
    where = _("direction {id}").format(id=direction) if direction else _("edition")
    click.echo(_("{file}: entry {number} ({where}, {path}): {was} → {value}; run `dvc repro` to apply it").format(
        file=file, number=number, where=where, path=value_path, was=repr(entry["was"]), value=repr(entry["value"])))


@app.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
              help="md: readable report; json: for downstream systems (schemas/diff.schema.json); html: one page")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None, help="write to FILE instead of stdout")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
@lang_option
def diff(old: str, new: str, fmt: str, out: Path | None, root: Path, lang: str) -> None:
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
        return RENDERERS[fmt](diff_editions(a, b, path_a, path_b), lang)

    emit(run(build), out)


@app.command()
@click.argument("dirs", nargs=-1, required=True)
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
@lang_option
def enrich(dirs: tuple[str, ...], root: Path, lang: str) -> None:
    """Add agencies, keywords and eligibility rules for every direction (DIR/enrichment.json).

    DIRS are edition ids (looked up in extracted/) or edition directories. Loads spaCy and
    jieba (about two seconds), which `extract` never does.

    \b
    Example: guidelines enrich 2021-2
    """
    from .enrich.enrichment import enrich_dir

    for i, ref in enumerate(dirs, start=1):
        progress(i, len(dirs), ref)
        directory = edition_dir(ref, root)
        result = run(lambda: enrich_dir(directory))
        agencies = sum(len(d.agencies) for d in result.directions)
        click.echo(_("{id}: {count} directions, {agencies} agency mentions → {path}").format(
            id=result.edition_id, count=len(result.directions), agencies=agencies, path=directory / "enrichment.json"))


LEAD_TYPES = {"enterprise": "企业", "university": "高校", "research_institute": "科研院所"}


@app.command()
@click.argument("editions", nargs=-1)
@click.option("--lead", type=click.Choice(list(LEAD_TYPES)), required=True,
              help="the kind of Chinese organisation that would lead the application")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up; all its editions when none are named")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per direction instead of text")
@lang_option
def eligible(editions: tuple[str, ...], lead: str, root: Path, as_json: bool, lang: str) -> None:
    """Which directions may an enterprise, a university or a research institute lead?

    Reads the requirements of each edition (ids, edition directories or edition.json
    paths; default: every edition in extracted/) and lists the directions the kind of
    organisation may lead, then those it may not, with the requirement that says so.

    \b
    Example: guidelines eligible 2021-2 --lead university
    """
    import json as json_lib

    from .editions import edition_refs, load_edition_ref
    from .records.derived import stored_eligibility
    from .records.eligibility import refusing_rule

    refs = run(lambda: edition_refs(editions, root))
    allowed, refused = [], []
    for ref in refs:
        edition, _path = run(lambda: load_edition_ref(ref, root))
        for d in edition["directions"]:
            rules = stored_eligibility(d)  # derived once with the records, corrections applied
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
    click.echo(_("may be led by a {kind} ({lead}): {count} direction(s)").format(
        kind=LEAD_TYPES[lead], lead=lead, count=len(allowed)))
    for row in allowed:
        click.echo(f"  {row['edition']} {row['id']} {row['title']} ({row['partner']})")
    if refused:
        click.echo(_("may not: {count} direction(s)").format(count=len(refused)))
        for row in refused:
            because = row.get("because")
            reason = _(" — requirement ({number}): {text}").format(number=because["requirement"],
                                                                   text=because["text"]) if because else ""
            click.echo(f"  {row['edition']} {row['id']} {row['title']} ({row['partner']}){reason}")


def _all_editions(root: Path, refs: tuple[str, ...] = ()) -> list[dict]:
    from .editions import edition_refs, load_edition_ref

    return [run(lambda: load_edition_ref(ref, root))[0] for ref in run(lambda: edition_refs(refs, root))]


@app.command()
@click.argument("partner")
@click.option("--edition", "editions", multiple=True, help="only these editions (ids or paths; repeat)  "
                                                           "[default: every edition in --root]")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
              help="md: readable report; json: for programs; html: one page with a budget chart")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None, help="write to FILE instead of stdout")
@lang_option
def partner(partner: str, editions: tuple[str, ...], root: Path, fmt: str, out: Path | None, lang: str) -> None:
    """A partner's history across editions: budget, projects, fields, who may lead, contacts.

    PARTNER is an ISO code (DK), an organisation code (ASEAN), or a name in Chinese (丹麦) or
    English (Denmark). Each edition's directions with that partner are listed, and what
    changed since the previous edition is marked.

    \b
    Example: guidelines partner DK --format html --out denmark.html
    """
    from .query.partner import RENDERERS, partner_history

    loaded = _all_editions(root, editions)
    emit(run(lambda: RENDERERS[fmt](partner_history(loaded, partner), lang)), out)


@app.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--edition", "editions", multiple=True, help="only these editions (ids or paths; repeat)  "
                                                           "[default: every edition in --root]")
@click.option("--root", type=click.Path(path_type=Path), default=Path("extracted"), show_default=True,
              help="where edition ids are looked up")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="most directions to show")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
              help="md: readable list; json: for programs; html: one page")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None, help="write to FILE instead of stdout")
@lang_option
def search(words: tuple[str, ...], editions: tuple[str, ...], root: Path, limit: int, fmt: str, out: Path | None,
           lang: str) -> None:
    """Find directions, fields, requirements and agreements across editions, best match first.

    WORDS are segmented (jieba) and widened to their synonyms, so 碳捕集, CCUS and
    二氧化碳捕集 find the same field. Each hit shows the edition, the direction and the
    matching text.

    \b
    Example: guidelines search 碳捕集
    """
    from .query.search import RENDERERS, search as search_editions

    query = " ".join(words)
    loaded = _all_editions(root, editions)
    emit(RENDERERS[fmt](search_editions(loaded, query, limit), query, lang), out)


def emit(text: str, out: Path | None) -> None:
    """A report to stdout, or to --out (written whole or not at all)."""
    if out is None:
        click.echo(text, nl=False)
    else:
        from .fileio import write_output

        run(lambda: write_output(out, text))
        click.echo(_("wrote {path}").format(path=out), err=True)


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
@click.option("--format", "formats", type=click.Choice(["csv", "parquet", "xlsx"]), multiple=True,
              help="csv, parquet (per edition and across editions), xlsx (one workbook, OUT/tables.xlsx); "
                   "repeat for several  [default: csv and parquet]")
@lang_option
def tables(editions: tuple[str, ...], root: Path, out: Path, formats: tuple[str, ...], lang: str) -> None:
    """Write the analyst tables (CSV, Parquet, Excel), per edition and across editions.

    Tables: directions, contacts, requirements, fields, urls, eligibility; their columns
    are documented in schemas/tables.md. The Excel workbook has one sheet per table,
    phones, ids and codes as text, and headers in Chinese or English (--lang).

    \b
    Example: guidelines tables --out tables --format xlsx --lang zh
    """
    from .editions import edition_refs, load_edition_ref
    from .publish.tables import check_tables_dir, write_tables_dir

    refs = run(lambda: edition_refs(editions, root))
    run(lambda: check_tables_dir(out))  # before reading anything: fail fast on a wrong --out
    loaded = []
    for i, ref in enumerate(refs, start=1):
        progress(i, len(refs), ref)
        loaded.append(run(lambda: load_edition_ref(ref, root))[0])
    combined = run(lambda: write_tables_dir(loaded, out, formats or ("csv", "parquet"), lang))
    names = {"directions": _("directions"), "contacts": _("contacts"), "urls": _("urls"),
             "requirements": _("requirements"), "fields": _("fields"), "eligibility": _("eligibility")}
    counts = ", ".join(f"{len(frame)} {names.get(name, name)}" for name, frame in combined.items())
    click.echo(_("{count} edition(s): {tables} → {path}/").format(count=len(refs), tables=counts, path=out))


@app.command()
@click.option("--published", "published_root", type=click.Path(path_type=Path), default=Path("published"),
              show_default=True, help="root of the published (and withheld) editions")
@click.option("--reports", "reports_root", type=click.Path(path_type=Path), default=Path("extracted"),
              show_default=True, help="where each edition's validation.json and Data Docs are")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("extracted/index.html"),
              show_default=True, help="the page to write")
@lang_option
def index(published_root: Path, reports_root: Path, out: Path, lang: str) -> None:
    """Write one page listing every edition the gate has seen: published or withheld, and why.

    \b
    Example: guidelines index --out extracted/index.html
    """
    from .publish.index import write_index

    click.echo(_("wrote {path}").format(path=run(lambda: write_index(published_root, out, reports_root, lang))))


@app.command()
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True,
              help="directory for the JSON Schema files")
@lang_option
def schema(out: Path, lang: str) -> None:
    """Write the JSON Schemas of the outputs, generated from the models.

    \b
    Example: guidelines schema --out schemas
    """
    from .publish.schemas import write_schemas

    for path in run(lambda: write_schemas(out)):
        click.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    app()
