"""Extract stage: PDF or Word file → DIR/{layout,paragraphs,outline,edition}.json.

Chains the pure steps reading → structure → records: `pdf_to_stages` is the core (data
in, data out); `extract_to_dir` does the IO and writes the whole output directory at
once: everything goes to a temporary sibling directory that replaces DIR only when every
stage has succeeded, so a failure leaves DIR as it was (or absent) and never a
half-written or stale mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .editions import check_edition_id, edition_digest
from .errors import BlankScan, NoTextLayer, NotAGuideline, OutputError
from .i18n import N_
from .fileio import building_dir, check_replaceable_dir, dump_json
from .structure.furniture import remove_furniture
from .structure.layout import body_font_size, chars_to_lines, raw_chars_to_chars
from .models import Edition, SourceFile
from .structure.outline import Node, paragraphs_to_tree
from .structure.paragraphs import Paragraph, lines_to_paragraphs, texts_to_paragraphs
from .reading.docx import WORD_SUFFIXES, WordDocument, is_word_signature, read_docx
from .reading.ocr import ocr_document
from .reading.pdf import DEFAULT_LIMITS, Limits, RawDocument, page_text_status, read_pdf
from .records.build import tree_to_edition
from .records.corrections import apply_corrections_file, corrections_file
from .records.partners import find_partner

OUTPUT_FILES = ("layout.json", "paragraphs.json", "outline.json", "edition.json")


@dataclass
class Stages:
    """Every stage's output, for inspection."""

    layout: dict
    paragraphs: list[Paragraph]
    tree: Node
    edition: Edition


def check_text_layer(doc: RawDocument, ocr_pages: set[int] = frozenset()) -> None:
    """Refuse a document whose text cannot be published as text (`page_text_status`).

    Any undecodable page refuses the whole file (text that does not decode is never
    published); so does a file most of whose pages have no text layer (a scan with a few
    stray glyphs), or with a page without text between pages with text (a scanned page, or
    one whose content was lost). With OCR (`--ocr auto`, the default) such pages are read
    from their image first (ocr_pages): an OCR'd page that is still empty is a blank page.
    """
    statuses = [("text" if page.number in ocr_pages else page_text_status(page)) for page in doc.pages]
    undecodable = [page.number for page, s in zip(doc.pages, statuses) if s == "undecodable"]
    if undecodable:
        raise NoTextLayer(N_("{path}: the text layer of page(s) {pages} cannot be decoded (fonts without a Unicode "
                             "map); extract it with --ocr auto (needs pip install 'guidelines[ocr]')"),
                          path=doc.path, pages=_pages(undecodable))
    if statuses.count("none") * 2 > len(statuses) or "text" not in statuses:
        raise NoTextLayer(N_("{path}: the PDF has no text layer (a scan?); extract it with --ocr auto "
                             "(needs pip install 'guidelines[ocr]')"), path=doc.path)
    first, last = statuses.index("text"), len(statuses) - 1 - statuses[::-1].index("text")
    inside = [doc.pages[i].number for i in range(first, last + 1) if statuses[i] == "none"]
    if inside:  # a page without text amid the text: scanned, or its content lost; its values would be missing
        raise NoTextLayer(N_("{path}: page(s) {pages} have no text layer amid pages that do; extract it with "
                             "--ocr auto (needs pip install 'guidelines[ocr]')"), path=doc.path, pages=_pages(inside))


def _pages(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:5])) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


def document_to_paragraphs(doc: RawDocument, ocr: dict | None = None) -> tuple[dict, list[Paragraph]]:
    """Layout stage: raw characters → body lines → paragraphs; also the report of what was dropped.

    ocr: what the OCR reader did (reading/ocr.py), recorded in the layout report."""
    all_chars = [c for page in doc.pages for c in page.chars]
    ocr_pages = {entry["page"] for entry in (ocr or {}).get("pages", [])}
    if ocr_pages and not any(c["text"].strip() for c in all_chars):
        raise BlankScan(N_("{path}: OCR found no text on the scanned page(s) (blank pages?); "
                           "scan the guideline again, text side up"), path=doc.path)
    check_text_layer(doc, ocr_pages)
    size = body_font_size(all_chars)
    pages, dropped = [], []
    for page in doc.pages:
        chars, removed = raw_chars_to_chars(page.chars, size, page.number)
        dropped.extend(removed)
        pages.append(chars_to_lines(chars, page.number))
    body, furniture = remove_furniture(pages, [p.height for p in doc.pages])
    dropped.extend(furniture)
    paragraphs = lines_to_paragraphs(body, size)
    layout = {
        "body_font_size": size,
        "pages": [{"page": p.number, "width": round(p.width, 2), "height": round(p.height, 2),
                   "lines": [ln.to_dict() for ln in lines]} for p, lines in zip(doc.pages, body)],
        "dropped": [d.to_dict() for d in sorted(dropped, key=lambda d: (d.page, d.bbox[1]))],
    }
    if ocr is not None:
        layout["ocr"] = ocr
    return layout, paragraphs


def word_to_paragraphs(doc: WordDocument) -> tuple[dict, list[Paragraph]]:
    """A Word file's paragraphs come whole from the file; its layout report lists them as read."""
    paragraphs = texts_to_paragraphs([(p.index, p.text, p.size) for p in doc.paragraphs])
    layout = {"format": "docx", "paragraphs": [{"index": p.index, "text": p.text, "style": p.style, "size": p.size}
                                               for p in doc.paragraphs], "dropped": []}
    return layout, paragraphs


def read_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument | WordDocument:
    """Choose the reader by the file's first bytes (a PDF named .docx is still a PDF), else by its suffix."""
    path = Path(path)
    if path.is_file():
        with open(path, "rb") as fh:
            head = fh.read(1024)
        if b"%PDF-" not in head and (is_word_signature(head) or path.suffix.lower() in WORD_SUFFIXES):
            return read_docx(path)
    return read_pdf(path, limits)


def pdf_to_stages(doc: RawDocument | WordDocument, source_path: str | None = None,
                  edition_id: str | None = None, ocr: dict | None = None) -> Stages:
    """Core of the extract stage: a read PDF (or Word file) → every stage's output.

    ocr: what the OCR reader did on the PDF's scanned pages (reading/ocr.py), or None."""
    if isinstance(doc, WordDocument):
        layout, paragraphs = word_to_paragraphs(doc)
        source = SourceFile(path=source_path or doc.path, sha256=doc.sha256, pages=None, format="docx")
    else:
        layout, paragraphs = document_to_paragraphs(doc, ocr)
        source = SourceFile(path=source_path or doc.path, sha256=doc.sha256, pages=len(doc.pages))
    tree = paragraphs_to_tree(paragraphs, names_partner=lambda text: find_partner(text) is not None)
    edition = tree_to_edition(tree, source, edition_id)
    if not edition.directions:
        raise NotAGuideline(N_("{path}: no numbered directions (1.1, 1.2 …) found; "
                               "this does not look like a 申报指南 — check that it is the guideline itself and not a notice or an annex"),
                            path=doc.path)
    return Stages(layout, paragraphs, tree, edition)


def write_stages(stages: Stages, out_dir: Path) -> None:
    for name, data in (("layout.json", stages.layout), ("paragraphs.json", [p.to_dict() for p in stages.paragraphs]),
                       ("outline.json", stages.tree.to_dict()),
                       ("edition.json", stages.edition.model_dump(mode="json"))):
        (out_dir / name).write_text(dump_json(data), encoding="utf-8")


# what the extract, validate, enrich and review stages write into an edition directory, and the
# .gitignore DVC writes beside them; anything else (a .git, a .env, notes) is the user's
STAGE_OUTPUTS = set(OUTPUT_FILES) | {"validation.json", "data_docs", "enrichment.json", "review.html", ".gitignore"}
ID_SOURCES = {"edition.json": ("edition", "id"), "validation.json": ("edition_id",), "enrichment.json": ("edition_id",)}


def foreign_entries(directory: Path) -> list[str]:
    """Entries of directory that no stage made (dot-entries included: a .git or .env is never ours)."""
    return sorted(p.name for p in Path(directory).iterdir() if p.name not in STAGE_OUTPUTS)


def held_editions(directory: Path) -> set[str]:
    """The edition ids the stage outputs in directory name (empty when none says)."""
    import json

    ids = set()
    for name, keys in ID_SOURCES.items():
        try:
            value = json.loads((Path(directory) / name).read_text(encoding="utf-8"))
            for key in keys:
                value = value[key]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        ids.add(str(value))
    return ids


def display_path(path: Path) -> str:
    """The PDF path as recorded in edition.json: relative to the project root when inside the project (so the
    record is the same from any folder), else to the working directory when inside it. Bytes of a file name
    that are not UTF-8 are recorded as their escapes (\\xff), which JSON can hold."""
    import os

    from .project import project_relative

    return os.fsencode(project_relative(Path(path))).decode("utf-8", "backslashreplace")


def check_out_dir(out_dir: Path, edition_id: str | None = None, replace: bool = False) -> None:
    """Refuse an --out the tool may not replace: only a directory it made itself, holding the
    same edition (or nothing yet), is replaced whole; `replace` allows a different edition."""
    out_dir = Path(out_dir)
    if not check_replaceable_dir(out_dir):
        return
    foreign = foreign_entries(out_dir)
    if foreign:
        shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
        raise OutputError(N_("{out_dir}: holds files guidelines did not make ({shown}); "
                             "give a new or empty directory"), out_dir=out_dir, shown=shown)
    held = held_editions(out_dir)
    if edition_id is not None and held and held != {edition_id} and not replace:
        raise OutputError(N_("{out_dir}: holds edition {held}, not {edition_id}; "
                             "give another --out, or --replace to replace it"),
                          out_dir=out_dir, held=", ".join(sorted(held)), edition_id=edition_id)


def correct_stages(stages: Stages, corrections: Path | None) -> Stages:
    """Apply the edition's corrections file (corrections: a file, or a directory holding <id>.yaml) to its record."""
    path = corrections_file(corrections, stages.edition.edition.id)
    if path is None:
        return stages
    corrected = apply_corrections_file(stages.edition.model_dump(mode="json"), path)
    return Stages(stages.layout, stages.paragraphs, stages.tree, Edition.model_validate(corrected))


# the outputs of the other stages in an edition directory, each made from its edition.json: a re-extraction
# keeps them while they are of the edition it writes, and removes (and names) those that are not
OTHER_STAGES_OUTPUTS = ("validation.json", "data_docs", "enrichment.json", "review.html")
MADE_FROM_ANOTHER = N_("made from another edition.json")
UNKNOWN_ORIGIN = N_("no record of the edition.json it was made from")


def _recorded_digest(directory: Path, name: str) -> str | None:
    import json

    try:
        value = json.loads((directory / name).read_text(encoding="utf-8"))
        return value["edition_sha256"] if name != "edition.json" else edition_digest(value)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def kept_outputs(directory: Path, new_digest: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Which of the other stages' outputs in directory are still of the edition about to be written (its digest):
    (kept names, [(removed name, why)]).

    validation.json and enrichment.json record the digest of the edition.json they were made from; data_docs/
    is validation.json's; review.html is of the edition.json it replaces — the one in directory, or, when that
    is gone (DVC removes a stage's outputs before running it), the one validation.json or enrichment.json records.
    An edition.json whose content changed therefore makes all four stale."""
    directory = Path(directory)
    if not directory.is_dir():
        return [], []
    recorded = {name: _recorded_digest(directory, name) for name in ("edition.json", "validation.json",
                                                                     "enrichment.json")}
    previous = recorded["edition.json"] or recorded["validation.json"] or recorded["enrichment.json"]
    of = {"validation.json": recorded["validation.json"], "data_docs": recorded["validation.json"],
          "enrichment.json": recorded["enrichment.json"], "review.html": previous}
    kept, removed = [], []
    for name in OTHER_STAGES_OUTPUTS:
        if not (directory / name).exists():
            continue
        if of[name] == new_digest:
            kept.append(name)
        else:
            removed.append((name, MADE_FROM_ANOTHER if of[name] else UNKNOWN_ORIGIN))
    return kept, removed


def extract_to_dir(pdf: Path, out_dir: Path | None = None, edition_id: str | None = None,
                   default_root: Path = Path("extracted"), corrections: Path | None = None, replace: bool = False,
                   limits: Limits = DEFAULT_LIMITS, ocr: str = "auto", progress=None,
                   removed=None) -> tuple[Stages, Path]:
    """Extract pdf (or a Word file) into out_dir (default: default_root/<edition id>) atomically, corrections applied.

    out_dir is replaced only when the tool made it and it holds the same edition (any
    edition with replace). The other stages' outputs in it (validation.json, data_docs/,
    enrichment.json, review.html) and DVC's .gitignore are kept while they are of the
    edition written (`kept_outputs`); removed(out_dir, [(name, why)]) is told of those that
    are not. ocr: auto (OCR the pages without a readable text layer), always or never;
    progress(i, n, page, seconds) is called after each OCR'd page. Raises a GuidelineError
    on bad input (a bad corrections file included: then nothing is written); returns the
    stages and the directory written.
    """
    import shutil

    pdf = Path(pdf)
    if edition_id is not None:
        check_edition_id(edition_id)
    if out_dir is not None:
        check_out_dir(Path(out_dir), edition_id, replace)  # before the slow part: fail fast on a wrong --out
    doc = read_document(pdf, limits)
    ocr_report = None
    if isinstance(doc, RawDocument):
        # the one place pages are routed to the OCR reader (the engine is imported only if a page needs it)
        doc, ocr_report = ocr_document(doc, ocr, progress)
    stages = correct_stages(pdf_to_stages(doc, display_path(pdf), edition_id,
                                          ocr_report.to_dict() if ocr_report else None), corrections)
    new_id = stages.edition.edition.id
    check_edition_id(new_id)
    out_dir = Path(out_dir) if out_dir is not None else Path(default_root) / new_id
    check_out_dir(out_dir, new_id, replace)
    kept, stale = kept_outputs(out_dir, edition_digest(stages.edition.model_dump(mode="json")))
    try:
        with building_dir(out_dir) as tmp:
            write_stages(stages, tmp)
            for name in kept + [".gitignore"]:
                source = out_dir / name
                if source.is_dir():
                    shutil.copytree(source, tmp / name)
                elif source.is_file():
                    shutil.copy2(source, tmp / name)
    except OSError as exc:
        raise OutputError(N_("{out_dir}: cannot be written ({reason}); choose a writable directory"),
                          out_dir=out_dir, reason=exc.strerror) from None
    if stale and removed is not None:
        removed(out_dir, stale)
    return stages, out_dir


# --- the command-line face: what `guidelines extract` and `python -m pipeline.extract` print ------------

def extraction_summary(stages: Stages, out_dir: Path, lang: str | None = None) -> str:
    """'2021-2: 8 directions, 2.578 亿元 → extracted/2021-2/edition.json'."""
    from .i18n import translator

    _ = translator(lang)
    info = stages.edition.edition
    budget = f"{info.budget_cny / 1e8:g} 亿元" if info.budget_cny else _("budget not stated")
    return _("{id}: {count} directions, {budget} → {path}").format(
        id=info.id, count=len(stages.edition.directions), budget=budget, path=Path(out_dir) / "edition.json")


def extraction_notes(stages: Stages, lang: str | None = None) -> list[str]:
    """The lines for stderr: the extraction's warnings and how many corrections were applied."""
    from .i18n import translator

    _ = translator(lang)
    notes = [_("warning: {message}").format(message=warning) for warning in stages.edition.warnings]
    corrected = sum(len(r.corrections) for r in [stages.edition.edition, *stages.edition.directions])
    if corrected:
        notes.append(_("{count} correction(s) applied").format(count=corrected))
    return notes


def removal_note(out_dir: Path, removed: list[tuple[str, str]], lang: str | None = None) -> str:
    """'note: removed from extracted/2021-2: validation.json, data_docs/ (made from another edition.json); …'."""
    from .i18n import translator

    _ = translator(lang)
    reasons: dict[str, list[str]] = {}
    for name, why in removed:
        reasons.setdefault(why, []).append(name + ("/" if name == "data_docs" else ""))
    parts = "; ".join("{} ({})".format(", ".join(names), _(why)) for why, names in reasons.items())
    return _("note: removed from {directory}: {parts}; run validate, enrich and review again (or dvc repro)").format(
        directory=out_dir, parts=parts)


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `extract@<id>`: `python -m pipeline.extract RAW --out DIR --edition ID --corrections DIR`."""
    import argparse

    from . import console

    parser = argparse.ArgumentParser(prog="python -m pipeline.extract", description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="the guideline: a PDF or a Word file")
    parser.add_argument("--out", type=Path, default=None, help="output directory [default: extracted/<id>]")
    parser.add_argument("--edition", default=None, help="edition id [default: from the title]")
    parser.add_argument("--corrections", type=Path, default=None, help="corrections file or directory")
    parser.add_argument("--ocr", choices=("auto", "always", "never"), default="auto")
    args = parser.parse_args(argv)
    with console.guarded():
        stages, out_dir = extract_to_dir(args.source, args.out, args.edition, corrections=args.corrections,
                                         ocr=args.ocr, removed=lambda d, r: console.err(removal_note(d, r)))
        console.out(extraction_summary(stages, out_dir))
        for note in extraction_notes(stages):
            console.err(note)


if __name__ == "__main__":
    main()
