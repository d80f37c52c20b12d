"""Extract stage: PDF → DIR/{layout,paragraphs,outline,edition}.json.

Chains the pure steps reading → structure → records: `pdf_to_stages` is the core (data
in, data out); `extract_to_dir` does the IO and writes the whole output directory at
once: everything goes to a temporary sibling directory that replaces DIR only when every
stage has succeeded, so a failure leaves DIR as it was (or absent) and never a
half-written or stale mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .editions import check_edition_id
from .errors import BlankScan, NoTextLayer, NotAGuideline, OutputError
from .fileio import building_dir, dump_json
from .structure.furniture import remove_furniture
from .structure.layout import body_font_size, chars_to_lines, raw_chars_to_chars
from .models import Edition, SourceFile
from .structure.outline import Node, paragraphs_to_tree
from .structure.paragraphs import Paragraph, lines_to_paragraphs
from .reading.ocr import ocr_document
from .reading.pdf import RawDocument, read_pdf
from .records.build import tree_to_edition
from .records.partners import find_partner

OUTPUT_FILES = ("layout.json", "paragraphs.json", "outline.json", "edition.json")


@dataclass
class Stages:
    """Every stage's output, for inspection."""

    layout: dict
    paragraphs: list[Paragraph]
    tree: Node
    edition: Edition


def document_to_paragraphs(doc: RawDocument, ocr: dict | None = None) -> tuple[dict, list[Paragraph]]:
    """Layout stage: raw characters → body lines → paragraphs; also the report of what was dropped.

    ocr: what the OCR reader did (reading/ocr.py), recorded in the layout report."""
    all_chars = [c for page in doc.pages for c in page.chars]
    if not any(c["text"].strip() for c in all_chars):
        if ocr is not None:
            raise BlankScan(f"{doc.path}: OCR found no text on the scanned page(s) (blank pages?); "
                            "scan the guideline again, text side up")
        raise NoTextLayer(f"{doc.path}: the PDF has no text layer (a scan?); extract it with --ocr auto "
                          "(needs pip install 'guidelines[ocr]')")
    undecodable = sum(1 for c in all_chars if c["text"].startswith("(cid:"))
    if undecodable > 0.2 * len(all_chars):
        raise NoTextLayer(f"{doc.path}: the text layer cannot be decoded (fonts without a Unicode map); "
                          "extract it with --ocr auto (needs pip install 'guidelines[ocr]')")
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


def pdf_to_stages(doc: RawDocument, source_path: str | None = None, edition_id: str | None = None,
                  ocr: dict | None = None) -> Stages:
    """Core of the extract stage: a read PDF → every stage's output."""
    layout, paragraphs = document_to_paragraphs(doc, ocr)
    tree = paragraphs_to_tree(paragraphs, names_partner=lambda text: find_partner(text) is not None)
    source = SourceFile(path=source_path or doc.path, sha256=doc.sha256, pages=len(doc.pages))
    edition = tree_to_edition(tree, source, edition_id)
    if not edition.directions:
        raise NotAGuideline(f"{doc.path}: no numbered directions (1.1, 1.2 …) found; this does not look like a "
                            "申报指南 — check that it is the guideline itself and not a notice or an annex")
    return Stages(layout, paragraphs, tree, edition)


def write_stages(stages: Stages, out_dir: Path) -> None:
    for name, data in (("layout.json", stages.layout), ("paragraphs.json", [p.to_dict() for p in stages.paragraphs]),
                       ("outline.json", stages.tree.to_dict()),
                       ("edition.json", stages.edition.model_dump(mode="json"))):
        (out_dir / name).write_text(dump_json(data), encoding="utf-8")


# what the extract and validate stages write into an edition directory (and git/DVC beside them)
STAGE_OUTPUTS = set(OUTPUT_FILES) | {"validation.json", "data_docs", "enrichment.json", ".gitignore"}


def _is_ours(directory: Path) -> bool:
    """True when everything in directory is a stage output: safe to replace whole."""
    return all(p.name in STAGE_OUTPUTS or p.name.startswith(".") for p in directory.iterdir())


def display_path(path: Path) -> str:
    """The PDF path as recorded in edition.json: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or not _is_ours(out_dir)):
        raise OutputError(f"{out_dir}: exists and is not an extraction output; give a new or empty directory")


def extract_to_dir(pdf: Path, out_dir: Path | None = None, edition_id: str | None = None,
                   default_root: Path = Path("extracted"), ocr: str = "auto",
                   progress=None) -> tuple[Stages, Path]:
    """Extract pdf into out_dir (default: default_root/<edition id>) atomically.

    ocr: auto (OCR the pages without a readable text layer), always or never.
    progress(i, n, page, seconds): called after each OCR'd page.
    Raises a GuidelineError on bad input; returns the stages and the directory written.
    """
    pdf = Path(pdf)
    if edition_id is not None:
        check_edition_id(edition_id)
    if out_dir is not None:
        _check_out_dir(Path(out_dir))  # before the slow part: fail fast on a wrong --out
    doc = read_pdf(pdf)
    # the one place pages are routed to the OCR reader (the engine is imported only if a page needs it)
    doc, ocr_report = ocr_document(doc, ocr, progress)
    stages = pdf_to_stages(doc, display_path(pdf), edition_id, ocr_report.to_dict() if ocr_report else None)
    out_dir = Path(out_dir) if out_dir is not None else Path(default_root) / stages.edition.edition.id
    _check_out_dir(out_dir)
    try:
        with building_dir(out_dir) as tmp:
            write_stages(stages, tmp)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot be written ({exc.strerror}); choose a writable directory") from None
    return stages, out_dir
