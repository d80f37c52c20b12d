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
from typing import TYPE_CHECKING

from .editions import check_edition_id
from .errors import BlankScan, NoTextLayer, NotAGuideline, OutputError
from .i18n import N_
from .fileio import building_dir, check_replaceable_dir, dump_json
from .structure.furniture import remove_furniture
from .structure.layout import body_font_size, chars_to_lines, raw_chars_to_chars
from .structure.outline import Node, paragraphs_to_tree
from .structure.paragraphs import Paragraph, lines_to_paragraphs, texts_to_paragraphs
from .reading.pdf import DEFAULT_LIMITS, Limits, RawDocument, page_text_status, read_pdf
from .records.build import tree_to_edition
from .records.corrections import apply_corrections_file, corrections_file
from .records.plain import Edition, SourceFile
from .records.partners import find_partner

if TYPE_CHECKING:
    from .reading.docx import WordDocument

OUTPUT_FILES = ("layout.json", "paragraphs.json", "outline.json", "edition.json")


@dataclass
class Stages:
    """Every stage's output, for inspection. edition: the records as built (records/plain.py), or
    the contract's `models.Edition` once corrections were applied; both dump the same JSON."""

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
        if b"%PDF-" not in head:  # the Word reader is imported only for what is not a PDF
            from .reading.docx import WORD_SUFFIXES, is_word_signature, read_docx

            if is_word_signature(head) or path.suffix.lower() in WORD_SUFFIXES:
                return read_docx(path)
    return read_pdf(path, limits)


def pdf_to_stages(doc: RawDocument | WordDocument, source_path: str | None = None,
                  edition_id: str | None = None, ocr: dict | None = None) -> Stages:
    """Core of the extract stage: a read PDF (or Word file) → every stage's output.

    ocr: what the OCR reader did on the PDF's scanned pages (reading/ocr.py), or None."""
    if not isinstance(doc, RawDocument):  # a WordDocument
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
    """The PDF path as recorded in edition.json: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
    from .models import Edition as Contract  # a corrected edition is checked against the contract itself

    corrected = apply_corrections_file(stages.edition.model_dump(mode="json"), path)
    return Stages(stages.layout, stages.paragraphs, stages.tree, Contract.model_validate(corrected))


def extract_to_dir(pdf: Path, out_dir: Path | None = None, edition_id: str | None = None,
                   default_root: Path = Path("extracted"), corrections: Path | None = None, replace: bool = False,
                   limits: Limits = DEFAULT_LIMITS, ocr: str = "auto", progress=None) -> tuple[Stages, Path]:
    """Extract pdf (or a Word file) into out_dir (default: default_root/<edition id>) atomically, corrections applied.

    out_dir is replaced only when the tool made it and it holds the same edition (any
    edition with replace). ocr: auto (OCR the pages without a readable text layer), always
    or never; progress(i, n, page, seconds) is called after each OCR'd page. Raises a
    GuidelineError on bad input (a bad corrections file included: then nothing is
    written); returns the stages and the directory written.
    """
    pdf = Path(pdf)
    if edition_id is not None:
        check_edition_id(edition_id)
    if out_dir is not None:
        check_out_dir(Path(out_dir), edition_id, replace)  # before the slow part: fail fast on a wrong --out
    doc = read_document(pdf, limits)
    ocr_report = None
    if isinstance(doc, RawDocument):
        # the one place pages are routed to the OCR reader (the engine is imported only if a page needs it)
        from .reading.ocr import ocr_document

        doc, ocr_report = ocr_document(doc, ocr, progress)
    stages = correct_stages(pdf_to_stages(doc, display_path(pdf), edition_id,
                                          ocr_report.to_dict() if ocr_report else None), corrections)
    new_id = stages.edition.edition.id
    check_edition_id(new_id)
    out_dir = Path(out_dir) if out_dir is not None else Path(default_root) / new_id
    check_out_dir(out_dir, new_id, replace)
    try:
        with building_dir(out_dir) as tmp:
            write_stages(stages, tmp)
    except OSError as exc:
        raise OutputError(N_("{out_dir}: cannot be written ({reason}); choose a writable directory"),
                          out_dir=out_dir, reason=exc.strerror) from None
    return stages, out_dir
