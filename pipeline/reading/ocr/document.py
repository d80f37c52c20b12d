"""Which pages of a PDF are read by OCR, and the document with those pages read.

`ocr_document` takes a read PDF (`pdf.RawDocument`) and returns a new one whose pages
that need OCR hold what the engine read there (rendered → read → fixed → characters),
plus a report for layout.json; the document it is given is left as it was.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Callable

from ...errors import OcrUnavailable
from ...i18n import N_, Message
from .engine import INSTALL_HINT, EngineReader
from .fixes import ALL_FIXES, fix_lines
from .lines import OcrLine, lines_to_chars, snap_sizes
from .render import page_to_image

OCR_MODES = ("auto", "always", "never")
REASONS = {"none": "no text layer", "undecodable": "text layer does not decode", "forced": "--ocr always"}


@dataclass
class OcrReport:
    """What OCR did to a document, for layout.json."""

    engine: str
    pages: list[dict]  # {page, reason, dpi, lines}

    def to_dict(self) -> dict:
        return {"engine": self.engine, "pages": self.pages}


def pages_to_ocr(doc, mode: str) -> list[tuple[int, str]]:
    """(page number, reason) of every page to read by OCR: under auto those whose text layer is
    missing or does not decode (`pdf.page_text_status`), under always every page, under never none."""
    from ..pdf import page_text_status

    if mode not in OCR_MODES:
        raise ValueError(f"OCR mode {mode!r}: expected one of {OCR_MODES}")
    if mode == "never":
        return []
    statuses = [(page.number, page_text_status(page)) for page in doc.pages]
    if mode == "always":
        return [(number, "forced" if status == "text" else status) for number, status in statuses]
    return [(number, status) for number, status in statuses if status != "text"]


def read_page(pdf_page, reader, fixes: tuple[str, ...] = ALL_FIXES) -> tuple[list[OcrLine], int]:
    """One pypdfium2 page → (its fixed lines, the dpi it was rendered at)."""
    image, dpi = page_to_image(pdf_page)
    return fix_lines(reader.read(image, dpi / 72), fixes), dpi


def ocr_document(doc, mode: str = "auto", progress: Callable[[int, int, int, float], None] | None = None,
                 reader=None, fixes: tuple[str, ...] = ALL_FIXES):
    """The document with every page that needs OCR replaced by what the engine reads there.

    Returns (new doc, OcrReport or None); doc itself is not changed. reader: what reads a page
    image into lines (default: the engine, `EngineReader`); fixes: the names of the fixes to
    apply (`fixes.ALL_FIXES`). progress(i, n, page, seconds) is called after each OCR'd page.
    """
    todo = pages_to_ocr(doc, mode)
    if not todo:
        return doc, None
    reader = reader or EngineReader()
    try:
        reader.load()
    except OcrUnavailable:
        if mode == "always":
            raise
        first, status = todo[0]
        why = N_("page {page} has no text layer (a scan?)") if status == "none" else \
            N_("page {page} has no readable text layer")
        raise OcrUnavailable(N_("{path}: {why}; reading it needs the OCR engine: {hint} "
                                "(or --ocr never to refuse scans)"),
                             path=doc.path, why=Message(why, page=first), hint=INSTALL_HINT) from None
    import pypdfium2

    report = OcrReport(reader.name, [])
    read: dict[int, list[dict]] = {}
    pdf = pypdfium2.PdfDocument(doc.path)
    try:
        for i, (number, reason) in enumerate(todo, start=1):
            started = time.perf_counter()
            lines, dpi = read_page(pdf[number - 1], reader, fixes)
            read[number] = lines_to_chars(lines)
            report.pages.append({"page": number, "reason": REASONS[reason], "dpi": dpi,
                                 "lines": len({(c["top"], c["bottom"]) for c in read[number]})})
            if progress:
                progress(i, len(todo), number, time.perf_counter() - started)
    finally:
        pdf.close()
    text_chars = [c for page in doc.pages if page.number not in read for c in page.chars]
    read = snap_sizes(read, text_chars)
    pages = [dataclasses.replace(page, chars=read[page.number]) if page.number in read else page
             for page in doc.pages]
    return dataclasses.replace(doc, pages=pages), report
