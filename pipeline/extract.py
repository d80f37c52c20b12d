"""Extract stage: a PDF, Word file or web page → DIR/{layout,paragraphs,outline,edition}.json, per guideline.

Chains the pure steps reading → structure → records: `read_and_fix` reads the file and mends its
text (text fixes, someone else's OCR layer, OCR of scans, ruled tables); `document_to_editions` is
the core (data in, data out: the file cut into its parts, each guideline of this programme to an
edition); `extract_editions` does the IO and writes each output directory at once: everything goes
to a temporary sibling directory that replaces DIR only when every stage has succeeded, so a
failure leaves DIR as it was (or absent) and never a half-written or stale mix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .editions import check_edition_id, edition_digest
from .errors import BlankScan, InputTooLarge, NoTextLayer, NotAGuideline, OutputError, SeveralGuidelines
from .i18n import N_
from .fileio import building_dir, check_replaceable_dir, dump_json, is_temporary
from .structure.furniture import remove_furniture
from .structure.layout import body_font_size, raw_chars_to_chars
from .structure.outline import Node, paragraphs_to_tree
from .structure.paragraphs import Paragraph, lines_to_paragraphs, texts_to_paragraphs
from .structure.segments import Segment, paragraphs_to_segments, skipped_warnings
from .structure.tables import page_chars_to_lines
from .reading.docx import WORD_SUFFIXES, WordDocument, is_word_signature, read_docx
from .reading.html import HTML_SUFFIXES, HtmlDocument, is_html_signature, read_html
from .reading.foreign import ForeignReport, read_foreign_layers
from .reading.ocr import engine_name as ocr_engine_name, ocr_document
from .reading.ocr.render import MAX_IMAGES_PER_PAGE, ImageCountLimit, PixelLimit
from .reading.pdf import DEFAULT_LIMITS, Limits, RawDocument, _too_large, page_text_status, read_pdf
from .reading.tables import read_ruled_tables
from .reading.textfixes import DEFAULT_TEXT_FIXES, FixReport, fix_chars, fix_text
from .records.build import tree_to_edition
from .records.corrections import apply_corrections_file, corrections_file
from .records.partners import find_partner
from .records.plain import Edition, SourceFile

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


def document_to_paragraphs(doc: RawDocument, ocr: dict | None = None,
                           tables: dict[int, list] | None = None) -> tuple[dict, list[Paragraph]]:
    """Layout stage: raw characters → body lines → paragraphs; also the report of what was dropped.

    ocr: what the OCR reader did (reading/ocr/), recorded in the layout report; tables: the ruled
    tables found on each page (reading/tables.py), whose rows are read as label：value lines."""
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
        pages.append(page_chars_to_lines(chars, page.number, (tables or {}).get(page.number, ())))
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
    if tables:
        layout["tables"] = [t.to_dict() for number in sorted(tables) for t in tables[number]]
    return layout, paragraphs


def word_to_paragraphs(doc: WordDocument) -> tuple[dict, list[Paragraph]]:
    """A Word file's paragraphs come whole from the file; its layout report lists them as read."""
    paragraphs = texts_to_paragraphs([(p.index, p.text, p.size) for p in doc.paragraphs])
    layout = {"format": "docx", "paragraphs": [{"index": p.index, "text": p.text, "style": p.style, "size": p.size}
                                               for p in doc.paragraphs], "dropped": []}
    return layout, paragraphs


def html_to_paragraphs(doc: HtmlDocument) -> tuple[dict, list[Paragraph]]:
    """A web page's article paragraphs come whole from the page; its layout report lists them and the
    page furniture that was left out."""
    paragraphs = texts_to_paragraphs([(p.index, p.text, p.size, p.css_path) for p in doc.paragraphs])
    layout = {"format": doc.format, "title": doc.title, "url": doc.url, "article": doc.article,
              "paragraphs": [{"index": p.index, "text": p.text, "css_path": p.css_path, "style": p.style,
                              "size": p.size} for p in doc.paragraphs],
              "dropped": doc.dropped}
    return layout, paragraphs


def read_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument | WordDocument | HtmlDocument:
    """Choose the reader by the file's first bytes (a PDF named .docx is still a PDF, a web page named
    .pdf is still a web page), else by its suffix."""
    path = Path(path)
    if path.is_file():
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if b"%PDF-" not in head[:1024]:
            if is_word_signature(head):
                return read_docx(path, limits)
            if is_html_signature(head):
                return read_html(path)
            if path.suffix.lower() in WORD_SUFFIXES:
                return read_docx(path, limits)
            if path.suffix.lower() in HTML_SUFFIXES:
                return read_html(path)
    return read_pdf(path, limits)


def document_to_editions(doc: RawDocument | WordDocument | HtmlDocument, source_path: str | None = None,
                         edition_id: str | None = None, ocr: dict | None = None,
                         fixes: FixReport | None = None, tables: dict[int, list] | None = None,
                         foreign: ForeignReport | None = None) -> list[Stages]:
    """Core of the extract stage: a read PDF (or Word file) → every stage's output, for each guideline
    of this programme the file holds (a notice, annexes and guidelines of other programmes are cut off:
    structure/segments.py).

    edition_id: with one guideline, its id; with several, the one to extract (all of them when None).
    ocr: what the OCR reader did on the PDF's scanned pages (reading/ocr/), or None; fixes: what the
    text fixes changed (reading/textfixes.py), recorded in the layout report and the warnings; tables:
    ruled tables per page (reading/tables.py); foreign: what was done with pages that came with someone
    else's OCR text layer (reading/foreign.py), recorded in the layout report and the warnings."""
    if isinstance(doc, WordDocument):
        layout, paragraphs = word_to_paragraphs(doc)
        source = SourceFile(path=source_path or doc.path, sha256=doc.sha256, pages=None, format="docx")
    elif isinstance(doc, HtmlDocument):
        layout, paragraphs = html_to_paragraphs(doc)
        source = SourceFile(path=source_path or doc.path, sha256=doc.sha256, pages=None, format=doc.format,
                            url=doc.url)
    else:
        layout, paragraphs = document_to_paragraphs(doc, ocr, tables)
        source = SourceFile(path=source_path or doc.path, sha256=doc.sha256, pages=len(doc.pages))
    if fixes is not None and fixes.to_list():
        layout["text_fixes"] = fixes.to_list()
    if foreign is not None:
        layout["foreign_text_layer"] = foreign.to_dict()
    segments = paragraphs_to_segments(paragraphs)
    layout["segments"] = [s.to_dict() for s in segments]
    built = []
    for segment in (s for s in segments if s.ours):
        tree = paragraphs_to_tree(paragraphs[segment.start:segment.end],
                                  names_partner=lambda text: find_partner(text) is not None)
        edition = tree_to_edition(tree, source)
        if edition.directions:
            built.append((segment, tree, edition))
    if not built:
        others = [s for s in segments if s.kind == "guideline" and not s.ours]
        if others:
            raise NotAGuideline(N_("{path}: holds a guideline of another programme ({programme}: “{title}”), "
                                   "not one of 政府间国际科技创新合作; this tool extracts that programme's guidelines"),
                                path=doc.path, programme=others[0].programme or "?", title=others[0].title)
        raise NotAGuideline(N_("{path}: no numbered directions (1.1, 1.2 …) found; "
                               "this does not look like a 申报指南 — check that it is the guideline itself and not a notice or an annex"),
                            path=doc.path)
    chosen = _choose(built, edition_id, doc.path)
    ids = {segment.start: edition.edition.id for segment, _, edition in built}
    out = []
    for segment, tree, edition in chosen:
        if edition_id is not None and len(built) == 1:
            # one guideline: --edition names it (the id is all tree_to_edition would make differently)
            edition = edition.model_copy(update={"edition": edition.edition.model_copy(update={"id": edition_id})})
        warnings = (fixes.warnings() if fixes else []) + (foreign.warnings() if foreign else []) \
            + skipped_warnings(segments, [segment], ids) + edition.warnings
        edition = edition.model_copy(update={"warnings": warnings})
        out.append(Stages({**layout, "extracted": segment.to_dict()}, paragraphs, tree, edition))
    return out


def _choose(built: list[tuple[Segment, Node, Edition]], edition_id: str | None, path: str):
    """The guidelines to extract: all, or the one --edition names when the file holds several."""
    if edition_id is None or len(built) == 1:
        return built
    chosen = [b for b in built if b[2].edition.id == edition_id]
    if not chosen:
        raise SeveralGuidelines(N_("{path}: holds {count} guidelines of this programme ({found}) and none is "
                                   "{edition_id}; give one of those ids with --edition"),
                                path=path, count=len(built), found=guideline_listing(built), edition_id=edition_id)
    return chosen[:1]


def guideline_listing(built) -> str:
    """2021-2 on pages 1–13, 2022-1 on pages 14–26."""
    return ", ".join(f"{edition.edition.id} on {segment.where()}" for segment, _, edition in built)


def pdf_to_stages(doc: RawDocument | WordDocument, source_path: str | None = None,
                  edition_id: str | None = None, ocr: dict | None = None, fixes: FixReport | None = None) -> Stages:
    """The one guideline of the file (see document_to_editions); SeveralGuidelines when it holds more
    than one and edition_id names none of them."""
    stages = document_to_editions(doc, source_path, edition_id, ocr, fixes)
    if len(stages) > 1:
        raise SeveralGuidelines(N_("{path}: holds {count} guidelines of this programme ({found}); "
                                   "give --edition ID to choose one"),
                                path=doc.path, count=len(stages),
                                found=", ".join(f"{s.edition.edition.id}" for s in stages))
    return stages[0]


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
    """Entries of directory that no stage made (dot-entries included: a .git or .env is never ours). A stage's
    own temporary, left by a killed run (`.data_docs.guidelines-tmp-…`), is ours: it never blocks a run, and
    goes when the directory is replaced."""
    return sorted(p.name for p in Path(directory).iterdir() if p.name not in STAGE_OUTPUTS and not is_temporary(p))


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
    from .models import Edition as Contract  # a corrected edition is checked against the contract itself

    return Stages(stages.layout, stages.paragraphs, stages.tree, Contract.model_validate(corrected))


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


@dataclass
class Reading:
    """A file as the readers give it, text mended, with what each reading step did."""

    doc: RawDocument | WordDocument | HtmlDocument
    ocr: dict | None = None  # what OCR did (reading/ocr/)
    fixes: FixReport | None = None  # what the text fixes changed (reading/textfixes.py)
    tables: dict[int, list] | None = None  # ruled tables per page (reading/tables.py)
    foreign: ForeignReport | None = None  # pages with someone else's OCR text layer (reading/foreign.py)

    def editions(self, source_path: str | None = None, edition_id: str | None = None) -> list[Stages]:
        return document_to_editions(self.doc, source_path, edition_id, self.ocr, self.fixes, self.tables,
                                    self.foreign)

    def edition(self, source_path: str | None = None, edition_id: str | None = None) -> Stages:
        """The one guideline of the file; SeveralGuidelines when it holds more and edition_id names none."""
        found = self.editions(source_path, edition_id)
        if len(found) > 1:
            raise SeveralGuidelines(N_("{path}: holds {count} guidelines of this programme ({found}); "
                                       "give --edition ID to choose one"), path=self.doc.path, count=len(found),
                                    found=", ".join(s.edition.edition.id for s in found))
        return found[0]


def read_and_fix(path: Path, limits: Limits = DEFAULT_LIMITS, ocr: str = "auto", progress=None,
                 text_fixes: tuple[str, ...] = DEFAULT_TEXT_FIXES, ocr_reader=None) -> Reading:
    """Read a file and mend its text before anything else reads it.

    The text fixes (reading/textfixes.py: radicals, ligatures, the dash) run first, so that deciding
    which pages need OCR already sees the mended text; then pages whose text layer someone else's OCR
    made (reading/foreign.py), then scans; ruled tables are looked for last, on the pages that kept
    their text layer. ocr_reader reads the page images of both (default: the engine; see
    `reading.ocr.ocr_document`)."""
    doc = read_document(path, limits)
    if not isinstance(doc, RawDocument):
        return Reading(doc, fixes=fix_paragraph_texts(doc, text_fixes))
    fixes = fix_chars(doc.pages, text_fixes)
    try:  # a page too large to render for OCR (ocr/render.py) is refused before it is rendered
        doc, foreign = read_foreign_layers(doc, ocr, progress, ocr_reader, limits.max_pixels)
        checked = {entry["page"] for entry in foreign.ocr_pages} if foreign else set()
        # the one place pages are routed to the OCR reader (the engine is imported only if a page needs it);
        # the pages our OCR already read against someone else's layer are not read again
        rest = dataclasses.replace(doc, pages=[p for p in doc.pages if p.number not in checked])
        rest, ocr_report = ocr_document(rest, ocr, progress, ocr_reader, max_pixels=limits.max_pixels)
    except ImageCountLimit:
        raise InputTooLarge(N_("{path}: a page draws more than {limit} images, more than a page read by OCR may "
                               "draw (a scan draws one, or a few strips); re-save it from a PDF viewer (print to "
                               "PDF), or use --ocr never to refuse scans"),
                            path=path, limit=f"{MAX_IMAGES_PER_PAGE:,}") from None
    except PixelLimit as exc:
        raise _too_large(path, exc.limit, exc.found) from None
    read = {page.number: page for page in rest.pages}
    doc = dataclasses.replace(doc, pages=[read.get(page.number, page) for page in doc.pages])
    ocr_pages = (ocr_report.pages if ocr_report else []) + (foreign.ocr_pages if foreign else [])
    ocr_dict = None
    if ocr_pages:
        engine = ocr_report.engine if ocr_report else foreign.engine or ocr_engine_name()
        ocr_dict = {"engine": engine, "pages": sorted(ocr_pages, key=lambda entry: entry["page"])}
    tables = read_ruled_tables(doc, limits)
    return Reading(doc, ocr_dict, fixes, tables, foreign)


def fix_paragraph_texts(doc, text_fixes: tuple[str, ...] = DEFAULT_TEXT_FIXES) -> FixReport:
    """The text fixes on a document read as whole paragraphs (Word, HTML), in place; the report by paragraph."""
    report = FixReport("paragraphs")
    for p in doc.paragraphs:
        if not p.text.isascii():
            p.text = fix_text(p.text, p.index, report, text_fixes)
    return report


def extract_editions(pdf: Path, out_dir: Path | None = None, edition_id: str | None = None,
                     default_root: Path = Path("extracted"), corrections: Path | None = None, replace: bool = False,
                     limits: Limits = DEFAULT_LIMITS, ocr: str = "auto", progress=None,
                     text_fixes: tuple[str, ...] = DEFAULT_TEXT_FIXES, single: bool = False,
                     removed=None, ocr_reader=None) -> list[tuple[Stages, Path]]:
    """Extract every guideline of this programme in pdf (or a Word file), each into its own directory
    (default: default_root/<edition id>) atomically, corrections applied.

    A file with several guidelines writes one directory per guideline, or, with edition_id, only that
    one; out_dir names one directory, so several guidelines and an out_dir (or single) need edition_id
    (SeveralGuidelines otherwise, and nothing is written). out_dir is replaced only when the tool made it
    and it holds the same edition (any edition with replace); the other stages' outputs in it
    (validation.json, data_docs/, enrichment.json, review.html) and DVC's .gitignore are kept while they
    are of the edition written (`kept_outputs`), and removed(out_dir, [(name, why)]) is told of those
    that are not. ocr: auto (OCR the pages without a readable text layer), always or never;
    progress(i, n, page, seconds) is called after each OCR'd page;
    text_fixes: the fixes of reading/textfixes.py to apply (all by default); ocr_reader reads the
    scanned pages' images (default: the engine; see `reading.ocr.ocr_document`). Raises a GuidelineError on
    bad input (a bad corrections file included: then nothing is written); returns the stages and the
    directory written, per guideline.
    """
    import shutil

    pdf = Path(pdf)
    if edition_id is not None:
        check_edition_id(edition_id)
    if out_dir is not None:
        check_out_dir(Path(out_dir), edition_id, replace)  # before the slow part: fail fast on a wrong --out
    editions = read_and_fix(pdf, limits, ocr, progress, text_fixes, ocr_reader).editions(display_path(pdf),
                                                                                      edition_id)
    found = ", ".join(s.edition.edition.id for s in editions)
    if len(editions) > 1 and out_dir is not None:
        raise SeveralGuidelines(N_("{path}: holds {count} guidelines of this programme ({found}); give --edition "
                                   "ID to extract one into {out_dir}, or leave out --out to write {root}/<id>/ "
                                   "for each"), path=pdf, count=len(editions), out_dir=out_dir, root=default_root,
                                found=found)
    if len(editions) > 1 and single:
        raise SeveralGuidelines(N_("{path}: holds {count} guidelines of this programme ({found}); "
                                   "give --edition ID to choose one"), path=pdf, count=len(editions), found=found)
    planned = []
    for stages in editions:
        stages = correct_stages(stages, corrections)
        new_id = stages.edition.edition.id
        check_edition_id(new_id)
        target = Path(out_dir) if out_dir is not None else Path(default_root) / new_id
        check_out_dir(target, new_id, replace)
        planned.append((stages, target))
    if len({target.resolve() for _, target in planned}) < len(planned):
        raise SeveralGuidelines(N_("{path}: holds {count} guidelines of this programme with the same id ({found}); "
                                   "give them ids of their own: extract each with --edition"),
                                path=pdf, count=len(planned), found=found)
    for stages, target in planned:
        kept, stale = kept_outputs(target, edition_digest(stages.edition.model_dump(mode="json")))
        try:
            with building_dir(target) as tmp:
                write_stages(stages, tmp)
                for name in kept + [".gitignore"]:
                    source = target / name
                    if source.is_dir():
                        shutil.copytree(source, tmp / name)
                    elif source.is_file():
                        shutil.copy2(source, tmp / name)
        except OSError as exc:
            raise OutputError(N_("{out_dir}: cannot be written ({reason}); choose a writable directory"),
                              out_dir=target, reason=exc.strerror) from None
        if stale and removed is not None:
            removed(target, stale)
    return planned


def extract_to_dir(pdf: Path, out_dir: Path | None = None, edition_id: str | None = None,
                   default_root: Path = Path("extracted"), corrections: Path | None = None, replace: bool = False,
                   limits: Limits = DEFAULT_LIMITS, ocr: str = "auto", progress=None,
                   text_fixes: tuple[str, ...] = DEFAULT_TEXT_FIXES, removed=None,
                   ocr_reader=None) -> tuple[Stages, Path]:
    """Extract the one guideline of pdf (or a Word file) into out_dir (see extract_editions); a file with
    several guidelines needs edition_id to choose one (SeveralGuidelines otherwise)."""
    return extract_editions(pdf, out_dir, edition_id, default_root, corrections, replace, limits, ocr, progress,
                            text_fixes, single=True, removed=removed, ocr_reader=ocr_reader)[0]


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
        written = extract_editions(args.source, args.out, args.edition, corrections=args.corrections, ocr=args.ocr,
                                   removed=lambda d, r: console.err(removal_note(d, r)))
        for stages, out_dir in written:  # one line per edition (a file may hold several guidelines)
            console.out(extraction_summary(stages, out_dir))
            for note in extraction_notes(stages):
                console.err(note)


if __name__ == "__main__":
    main()
