"""Reading a PDF: raw characters per page, with every way a file can be unreadable turned
into a `GuidelineError` that says what to do."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorruptPdf, EmptyFile, EncryptedPdf, InputMissing, NotAPdf


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    chars: list[dict]


@dataclass
class RawDocument:
    path: str
    sha256: str
    pages: list[RawPage]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def check_pdf_file(path: Path) -> None:
    """Refuse what is plainly not a PDF before handing it to the parser."""
    if not path.exists():
        raise InputMissing(f"{path}: no such file; give the path of a guideline PDF")
    if not path.is_file():
        raise InputMissing(f"{path}: is a directory, not a file; give the path of a guideline PDF")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(f"{path}: the file is empty; download the guideline PDF again")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(f"{path}: not a PDF (no %PDF header); convert the document to PDF first")


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors; the innermost one says what is wrong."""
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = exc.__cause__ or next((a for a in exc.args if isinstance(a, BaseException)), None)
        if inner is None:
            break
        exc = inner
    return exc


def _page_chars(layout, x_origin: float, y_top: float) -> list[dict]:
    """pdfminer's glyphs → pdfplumber-style char dicts (origin top-left), glyphs only."""
    from pdfminer.layout import LTChar

    chars: list[dict] = []
    stack = [layout]
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            chars.append({
                "text": obj.get_text(), "x0": obj.x0 - x_origin, "x1": obj.x1 - x_origin,
                "top": y_top - obj.y1, "bottom": y_top - obj.y0, "size": obj.size, "fontname": obj.fontname,
                "upright": obj.upright, "matrix": obj.matrix,
                "non_stroking_color": getattr(obj.graphicstate, "ncolor", None),
            })
        elif hasattr(obj, "_objs"):
            stack.extend(reversed(obj._objs))
    return chars


def read_pdf(path: Path) -> RawDocument:
    """Open a PDF and return its characters page by page.

    pdfminer is used directly (pdfplumber wraps it): pdfplumber turns every drawing object
    into a dict, which costs as much again as parsing; only glyphs are needed here.
    Coordinates follow pdfplumber's convention (origin at the top-left of the page box).
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    path = Path(path)
    check_pdf_file(path)
    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            warnings.simplefilter("ignore")
            document = PDFDocument(PDFParser(fh))
            resources = PDFResourceManager(caching=True)
            device = PDFPageAggregator(resources, laparams=None)
            interpreter = PDFPageInterpreter(resources, device)
            pages = []
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                interpreter.process_page(page)
                x0, y0, x1, y1 = page.mediabox
                pages.append(RawPage(number, float(x1 - x0), float(y1 - y0),
                                     _page_chars(device.get_result(), float(x0), float(y1))))
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        cause = _root_cause(exc)
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower() \
                or "encrypt" in type(cause).__name__.lower():
            raise EncryptedPdf(f"{path}: the PDF is encrypted; save an unprotected copy "
                               "(e.g. qpdf --decrypt IN OUT) and extract that") from None
        raise CorruptPdf(f"{path}: the PDF is truncated or damaged ({type(cause).__name__}); "
                         "download it again or re-save it from a PDF viewer") from None
    if not pages:
        raise CorruptPdf(f"{path}: the PDF has no pages; download it again or re-save it from a PDF viewer")
    return RawDocument(str(path), sha256_of(path), pages)


def page_text_status(page: RawPage) -> str:
    """Whether a page's text layer can be read: "text", "none" (no glyphs: a scan) or
    "undecodable" (glyphs without a Unicode map, read as `(cid:N)`)."""
    glyphs = [c for c in page.chars if c["text"].strip()]
    if not glyphs:
        return "none"
    if sum(1 for c in glyphs if c["text"].startswith("(cid:")) > 0.2 * len(glyphs):
        return "undecodable"
    return "text"
