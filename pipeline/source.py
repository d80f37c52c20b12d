"""Reading a PDF: raw characters per page, with every way a file can be unreadable turned
into a `GuidelineError` that says what to do."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import CorruptPdf, EncryptedPdf, InputMissing, NotAPdf


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
        raise NotAPdf(f"{path}: the file is empty; download the guideline PDF again")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(f"{path}: not a PDF (no %PDF header); convert the document to PDF first")


_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "fontname", "upright", "matrix",
              "non_stroking_color")


def read_pdf(path: Path) -> RawDocument:
    """Open a PDF and return its characters page by page."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    path = Path(path)
    check_pdf_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(path) as pdf:
                pages = [RawPage(p.page_number, float(p.width), float(p.height),
                                 [{k: c.get(k) for k in _CHAR_KEYS} for c in p.chars])
                         for p in pdf.pages]
    except PDFPasswordIncorrect:
        raise EncryptedPdf(f"{path}: the PDF is encrypted; save an unprotected copy (e.g. qpdf --decrypt) and extract that")
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise EncryptedPdf(f"{path}: the PDF is encrypted; save an unprotected copy (e.g. qpdf --decrypt) and extract that")
        kind = "truncated or damaged" if isinstance(exc, (PDFSyntaxError, ValueError, KeyError, TypeError, IndexError, AttributeError, EOFError, OSError)) else "unreadable"
        raise CorruptPdf(f"{path}: the PDF is {kind} ({type(exc).__name__}); download it again or re-save it from a PDF viewer")
    if not pages:
        raise CorruptPdf(f"{path}: the PDF has no pages; download it again or re-save it from a PDF viewer")
    return RawDocument(str(path), sha256_of(path), pages)
