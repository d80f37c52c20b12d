"""Commands that build and correct editions: extract, enrich, correct, ingest.

Each reads its arguments, calls the library and prints what it did; heavy libraries are
imported inside the command that needs them, so `extract` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import console
from ..i18n import N_
from .base import _, Command, edition_dir, lang_option, limit_options, located, option, progress



def command(help_text: str):
    return click.command(cls=Command, section="build", help=help_text)


EXTRACT_HELP = N_("""Extract the guideline in a PDF (born-digital, scanned, printed from a browser, or the ministry's notice bundle), a Word file (.docx; .doc/.wps with LibreOffice) or a web page (.html, .mhtml) into DIR/edition.json.

Every stage's output is written beside it. Scanned pages are read by OCR (--ocr auto). A notice, annexes and guidelines of other programmes are left out and named in the warnings; a file holding several guidelines of this programme writes extracted/<id>/ (or ROOT/<id>/ with --root) for each (one line each), or the one --edition names. Re-extracting an edition keeps the other stages' outputs in DIR (validation.json, data_docs/, enrichment.json, review.html) while they are of the same edition.json, and says which it removed.

With --corrections, the edition's corrections are applied before anything is written; a stale, malformed or misdirected entry stops the extraction (exit 16) and writes nothing.

\b
Example: guidelines extract raw/2021-2.pdf --out extracted/2021-2 --corrections corrections""")


def ocr_progress(i: int, n: int, page: int, seconds: float) -> None:
    """One line per OCR'd page on stderr (a page takes seconds); none for a single page."""
    if n > 1:
        console.err(f"… OCR [{i}/{n}] page {page} ({seconds:.1f} s)")


@command(EXTRACT_HELP)
@click.argument("pdf", type=click.Path(path_type=Path))
@option("--out", "-o", type=click.Path(path_type=Path), default=None,
        help=N_("output directory  [default: extracted/<edition id> in the project]"))
@option("--root", type=click.Path(path_type=Path), default=None,
        help=N_("where each edition's directory <id>/ goes when --out is not given  "
                "[default: extracted/ in the project]"))
@option("--edition", default=None, help=N_("edition id, e.g. 2021-2  [default: from the title]"))
@option("--corrections", type=click.Path(path_type=Path), default=None,
        help=N_("a person's fixes to apply: a corrections YAML file, or a directory holding <id>.yaml "
                "(none there: nothing to apply)"))
@option("--replace", is_flag=True, help=N_("replace an extraction of a DIFFERENT edition in --out"))
@option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
        help=N_("OCR pages: auto = those without a readable text layer (scans); needs the ocr extra"))
@limit_options
@lang_option
def extract(pdf: Path, out: Path | None, root: Path | None, edition: str | None, corrections: Path | None,
            replace: bool, ocr: str, lang: str, **limits) -> None:
    from ..extract import extract_editions, extraction_notes, extraction_summary, removal_note
    from ..reading.pdf import Limits

    written = extract_editions(pdf, out, edition, default_root=located(root, "extracted"), corrections=corrections,
                               replace=replace, limits=Limits(**limits), ocr=ocr, progress=ocr_progress,
                               removed=lambda directory, gone: console.err(removal_note(directory, gone, lang)))
    for stages, out_dir in written:  # one line per edition (a file may hold several guidelines)
        console.out(extraction_summary(stages, out_dir, lang))
        for note in extraction_notes(stages, lang):
            console.err(note)


ENRICH_HELP = N_("""Add agencies, keywords and eligibility rules for every direction (DIR/enrichment.json).

DIRS are edition ids (looked up in extracted/) or edition directories. Loads spaCy and jieba (about two seconds), which `extract` never does.

\b
Example: guidelines enrich 2021-2""")

ROOT_HELP = N_("where edition ids are looked up  [default: extracted/ in the project]")


@command(ENRICH_HELP)
@click.argument("dirs", nargs=-1, required=True)
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@lang_option
def enrich(dirs: tuple[str, ...], root: Path | None, lang: str) -> None:
    from ..enrich.enrichment import enrich_dir, enrichment_summary

    root = located(root, "extracted")
    for i, ref in enumerate(dirs, start=1):
        progress(i, len(dirs), ref)
        directory = edition_dir(ref, root)
        console.out(enrichment_summary(enrich_dir(directory), directory, lang))


CORRECT_HELP = N_("""Record a correction in corrections/<id>.yaml, checked against the current extraction.

`was` is filled in from EDITION (an id, directory or edition.json) and the value is checked against the contract. The correction is applied by the next `dvc repro` (or `guidelines extract … --corrections corrections`) and kept across re-extractions.

\b
Example: guidelines correct 2021-2 --direction 1.4 --path partner.name --value 欧洲联盟 --reason 'full name'""")


@command(CORRECT_HELP)
@click.argument("edition")
@option("--direction", default=None, help=N_("the direction to correct, e.g. 1.2"))
@option("--edition-level", "edition_level", is_flag=True,
        help=N_("correct the preamble's totals (edition.budget_cny …) instead of a direction"))
@option("--path", "value_path", required=True,
        help=N_("the value: title, budget_cny, fields[2].name, contacts[0].name …"))
@option("--value", required=True,
        help=N_("the right value (numbers and null are read as such where the field takes no text)"))
@option("--reason", required=True, help=N_("why the extraction is wrong, in a few words"))
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@option("--corrections", "corrections_dir", type=click.Path(path_type=Path), default=None,
        help=N_("directory of the corrections files (<id>.yaml)  [default: corrections/ in the project]"))
@lang_option
def correct(edition: str, direction: str | None, edition_level: bool, value_path: str, value: str, reason: str,
            root: Path | None, corrections_dir: Path | None, lang: str) -> None:
    from ..editions import load_edition_ref
    from ..records.corrections import append_entry, new_entry

    if (direction is None) == (not edition_level):
        raise click.UsageError(_("give either --direction ID or --edition-level"))
    data, _path = load_edition_ref(edition, located(root, "extracted"))
    entry = new_entry(data, direction, value_path, value, reason)
    file = located(corrections_dir, "corrections") / f"{data['edition']['id']}.yaml"
    number = append_entry(file, entry, data)
    where = _("direction {id}").format(id=direction) if direction else _("edition")
    console.out(_("{file}: entry {number} ({where}, {path}): {was} → {value}; run `dvc repro` to apply it").format(
        file=file, number=number, where=where, path=value_path, was=repr(entry["was"]), value=repr(entry["value"])))


INGEST_HELP = N_("""Add a new guideline PDF or Word file: copy it to raw/<id>.pdf (.docx), register it, run its pipeline.

The same file again does nothing; a different file under an existing id is refused unless --replace; a PDF that is not a guideline, or whose id cannot be inferred, is refused and nothing is changed. One ingest runs at a time per project (a second one waits, or with --no-wait is refused); an ingest that was interrupted is completed.

\b
Example: guidelines ingest ~/Downloads/2023年度第一批指南.pdf""")


@command(INGEST_HELP)
@click.argument("pdf", type=click.Path(path_type=Path))
@option("--edition", default=None, help=N_("edition id, e.g. 2023-1  [default: year and batch from the title]"))
@option("--replace", is_flag=True, help=N_("replace the PDF of an edition that exists with a different file"))
@option("--project", type=click.Path(path_type=Path), default=None,
        help=N_("the project directory (with params.yaml and dvc.yaml)  [default: the one this folder is in]"))
@option("--no-wait", is_flag=True, help=N_("refuse at once when another ingest is running (default: wait for it)"))
@lang_option
def ingest(pdf: Path, edition: str | None, replace: bool, project: Path | None, no_wait: bool, lang: str) -> None:
    from ..ingest import ingest as ingest_pdf

    result = ingest_pdf(pdf, project if project is not None else Path("."), edition, replace,
                        progress=lambda m: console.err(f"… {m}"), wait=not no_wait)
    if result.status == "unchanged":
        console.out(result.message)
        return
    status = {"ingested": _("ingested"), "replaced": _("replaced")}.get(result.status, result.status)
    console.out(_("{status} {id}: raw/{raw}, extracted/{id}/").format(status=status, id=result.edition_id,
                                                                      raw=result.raw.name))
    if result.validation:
        s = result.validation["summary"]
        verdict = {"passed": _("passed"), "failed": _("failed")}.get(result.validation["status"],
                                                                    result.validation["status"])
        console.out(_("validation {status}: {passed} passed, {failed} failed, {skipped} skipped "
                      "(extracted/{id}/validation.json)").format(status=verdict, passed=s["passed"],
                                                                 failed=s["failed"], skipped=s["skipped"],
                                                                 id=result.edition_id))
        for check in result.validation["checks"]:
            if check["status"] == "failed":
                console.out(f"  ✗ {check['name']}: {check['message']}")
    if result.published:
        console.out(_("published: {path}").format(path=f"published/{result.edition_id}/edition.json"))
    else:
        console.out(_("withheld: published/{id}/ (not clean; see the validation report)").format(id=result.edition_id))


COMMANDS = [extract, enrich, correct, ingest]
