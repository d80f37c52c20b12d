"""Reading a PDF: raw characters per page, with every way a file can be unreadable turned
into a `GuidelineError` that says what to do.

`read_pdf` is the one entry: it checks the file, then reads its glyphs with pdfium
(`pdfium.py`, the default: the speed of the PDF engine) or with pdfminer
(`read_pdf_pdfminer`, the reference, and the reader of every file pdfium cannot vouch for:
damaged, encrypted, or a page that may draw more glyphs than is safe to lay out; see
pdfium.py). Both give the same raw character records, in the same order (boxes within
0.5 pt; `RawDocument.reader` says which read a file, and why pdfminer did).
`GUIDELINES_PDF_READER=pdfminer` reads every file with pdfminer (for debugging).

Hostile or broken files are read within limits (`Limits`): the size a compressed stream
may inflate to, the glyphs on one page, the number of pages, and the pixels a page is rendered
at for OCR (`ocr/render.py`). Going past one is a
one-line `InputTooLarge` error that names the limit and the option that raises it, so no
file can make the reader run for minutes or take gigabytes.

`page_text_status` is the one place that decides whether a page's text layer can be
trusted as text: "text", "none" (a scan, or a few stray glyphs) or "undecodable" (glyphs
that do not map to Unicode, or map to characters no guideline is written in). Pages that
are not "text" are never published as text.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..fileio import sha256_of
from ..errors import CorruptPdf, EmptyFile, EncryptedPdf, InputMissing, InputTooLarge, NotAPdf
from ..i18n import N_


@dataclass(frozen=True)
class Limits:
    """What one PDF (or Word file) may cost. Each limit has a command-line option that raises it."""

    max_stream_mb: float = 16.0  # a compressed stream inflated (content, fonts, object streams; a Word file's XML part)
    max_glyphs_per_page: int = 20_000  # a dense A4 page of CJK text holds ~1,500
    max_pages: int = 1_000
    max_paragraphs: int = 100_000  # a Word file's (table cells' included); a 40-page guideline has ~1,000
    max_pixels: int = 25_000_000  # a page rendered for OCR or a crop (A4 at 300 dpi: 8.7 Mpx; ocr/render.py)

    OPTIONS = {"max_stream_mb": "--max-stream-mb", "max_glyphs_per_page": "--max-glyphs-per-page",
               "max_pages": "--max-pages", "max_paragraphs": "--max-paragraphs", "max_pixels": "--max-pixels"}


DEFAULT_LIMITS = Limits()


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    chars: list[dict]
    images: list[tuple[float, float, float, float]] = field(default_factory=list)  # drawn images' boxes
    # (x0, top, x1, bottom), origin top-left like the chars
    rulings: bool = False  # the page draws ruling lines (two horizontal and two vertical at least): a table's grid


@dataclass
class RawDocument:
    path: str
    sha256: str
    pages: list[RawPage]
    reader: str = "pdfminer"  # which glyph reader read it: pdfium, or pdfminer (and why, when pdfium was not sure)




PDF_HEADER = re.compile(rb"(?:\A|[\r\n])%PDF-\d")


def joined_documents(path: Path) -> int:
    """How many whole PDF files were concatenated into this one (1 for a normal file).

    An incremental update appends objects and a trailer but no second `%PDF-` header; a
    second header after an `%%EOF` means another file was glued on (`cat a.pdf b.pdf`).
    """
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        starts = []
        at = data.find(b"%PDF-")  # find, not the regex: a regex that begins with a class tries every byte
        while at >= 0:
            if PDF_HEADER.match(data, max(0, at - 1)):  # at the start of the file or of a line
                starts.append(at + 6)
            at = data.find(b"%PDF-", at + 1)
        return 1 + sum(1 for a, b in zip(starts, starts[1:]) if data.find(b"%%EOF", a, b) != -1)


def check_pdf_file(path: Path) -> None:
    """Refuse what is plainly not a PDF before handing it to the parser."""
    if not path.exists():
        raise InputMissing(N_("{path}: no such file; give the path of a guideline PDF"), path=path)
    if not path.is_file():
        raise InputMissing(N_("{path}: is a directory, not a file; give the path of a guideline PDF"), path=path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(N_("{path}: the file is empty; download the guideline PDF again"), path=path)
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(N_("{path}: not a PDF (no %PDF header), Word file or web page; save the guideline as a PDF, "
                         ".docx or .html and extract that"), path=path)
    joined = joined_documents(path)
    if joined > 1:
        # viewers show the last document and parsers may read the first: refuse rather than guess
        raise CorruptPdf(N_("{path}: {joined} PDF files are joined into this one (viewers show only the last); "
                            "split it (e.g. qpdf --split-pages) or download the guideline again"),
                         path=path, joined=joined)


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
    """pdfminer's glyphs → pdfplumber-style char dicts (origin top-left), glyphs only.

    x_origin, y_top: where the displayed page's left and top edges are in pdfminer's
    device space (its page CTM has already moved the page box to the origin)."""
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
            if getattr(obj, "render_mode", 0):  # when not 0 (fill); 3: invisible, an OCR layer
                chars[-1]["render_mode"] = obj.render_mode
            if getattr(obj, "hidden", None):  # never seen on the page (see _glyph_device)
                chars[-1]["hidden"] = obj.hidden
        elif hasattr(obj, "_objs"):
            stack.extend(reversed(obj._objs))
    return chars


# --- decoding: is a page's text layer text? --------------------------------------------------

MIN_TEXT_GLYPHS = 20  # fewer visible glyphs on a page: a scan with a stamp or an OCR'd page number, not text

# the blocks a Chinese guideline is written in: Latin (partner names, URLs) and its combining marks, Greek and Cyrillic,
# punctuation and symbols, CJK ideographs, kana, full-width forms
PLAUSIBLE_BLOCKS = (
    (0x0020, 0x024F), (0x0300, 0x036F), (0x0370, 0x04FF), (0x1E00, 0x1EFF), (0x2000, 0x2BFF), (0x2E80, 0x2FDF),
    (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3134F),
)


@lru_cache(maxsize=8192)  # called for every glyph of every page; a page has a few hundred distinct ones
def implausible_char(text: str) -> bool:
    """A glyph that did not decode to a character a guideline is written in.

    `(cid:N)` (no Unicode map), U+FFFD, control characters, private-use and unassigned
    code points, surrogates, and scripts no guideline uses (a flipped bit in a ToUnicode
    map turns 在 into ᜨ).
    """
    if text.startswith("(cid:"):
        return True
    for ch in text:
        if ch in "\n\t ":
            continue
        if ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"):
            return True
        if not any(lo <= ord(ch) <= hi for lo, hi in PLAUSIBLE_BLOCKS):
            return True
    return False


def _wide_ascii_fonts(chars: list[dict]) -> set[str]:
    """Fonts whose glyphs are em-square wide yet decode to ASCII: CJK glyphs read through a
    wrong encoding (a font without a ToUnicode map). Latin text averages half an em. Rotated
    glyphs do not vote (a watermark's `www.example.org` set in the CJK font while the body's
    Latin text is in Times New Roman)."""
    per_font: dict[str, list[bool]] = {}
    for c in chars:
        text = c["text"]
        if len(text) != 1 or not ("!" <= text <= "~") or not c.get("size"):
            continue
        a, b, cc, d = (c.get("matrix") or (1, 0, 0, 1))[:4]
        if abs(b) > 1e-3 or abs(cc) > 1e-3:
            continue  # a rotated watermark's box is wider than its glyph: it says nothing about the encoding
        width = c["x1"] - c["x0"]
        per_font.setdefault(c.get("fontname", ""), []).append(width >= 0.85 * c["size"])
    return {font for font, wide in per_font.items() if len(wide) >= 5 and sum(wide) > 0.5 * len(wide)}


SCAN_IMAGE_SHARE = 0.6  # an image covering this much of the page is the page (a scan)
THIN_TEXT_GLYPHS = 80  # fewer glyphs than this over a scan: a stamp, a scanner's label, a page number
THIN_TEXT_INK = 0.02  # glyph boxes covering less of the scan than this: labels, not the page's text


def _area(box) -> float:
    x0, top, x1, bottom = box
    return max(0.0, x1 - x0) * max(0.0, bottom - top)


def thin_text_over_scan(page: RawPage, visible: list[dict]) -> bool:
    """A text layer too thin to be the page drawn over a full-page image: the page is a scan.

    A scanner's or re-posting site's label (`CamScanner`), a stamp, a page number or a
    watermark put as text onto a scanned page is a few dozen glyphs, or glyphs whose boxes
    cover a tiny part of the image; a page of text holds hundreds, covering a fifth of it.
    (A born-digital page with a background image keeps its text: it is thick.)"""
    page_area = page.width * page.height
    scan = max((_area(box) for box in page.images), default=0.0)
    if page_area <= 0 or scan < SCAN_IMAGE_SHARE * page_area:
        return False
    ink = sum(_area((c["x0"], c["top"], c["x1"], c["bottom"])) for c in visible)
    return len(visible) < THIN_TEXT_GLYPHS or ink < THIN_TEXT_INK * scan


def page_text_status(page: RawPage) -> str:
    """"text", "none" or "undecodable": whether the page's text layer can be published as text.

    none: no text layer, or only a few stray glyphs (a scan with a stamp or an OCR'd page
    number), or a text layer too thin to be the page over a full-page image
    (`thin_text_over_scan`). undecodable: glyphs without a Unicode mapping (`(cid:N)`), decodes to
    private-use or control characters, or CJK glyphs decoded as ASCII through a wrong
    encoding. Pages that are not "text" go to OCR; they are never published as text.
    """
    visible = [c for c in page.chars if c["text"].strip()]
    wide = _wide_ascii_fonts(visible)
    if any(implausible_char(c["text"]) or c.get("fontname", "") in wide for c in visible):
        return "undecodable"  # one glyph is enough: a hole in a published text is a wrong value
    if len(visible) < MIN_TEXT_GLYPHS:
        return "none"
    if thin_text_over_scan(page, visible):
        return "none"
    return "text"


# --- limits ----------------------------------------------------------------------------------

class _LimitReached(Exception):
    def __init__(self, limit: str, found: str):
        super().__init__(limit)
        self.limit, self.found = limit, found


def _bounded_inflate(limit_bytes: int):
    def decompress(data: bytes, *args, **kwargs) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, limit_bytes + 1)
        if len(out) > limit_bytes or d.unconsumed_tail:
            raise _LimitReached("max_stream_mb", f"a stream inflates to more than {limit_bytes / 2**20:g} MB")
        return out + d.flush()
    return decompress


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes while a file is read."""

    def __init__(self, limit_bytes: int):
        self.decompress = _bounded_inflate(limit_bytes)
        self.decompressobj, self.error = zlib.decompressobj, zlib.error


@contextlib.contextmanager
def _reading_within(limits: Limits):
    """Bound pdfminer's stream decoding and silence its logging, for the duration of one read."""
    from pdfminer import pdftypes

    limit_bytes = int(limits.max_stream_mb * 2**20)
    saved = {name: getattr(pdftypes, name) for name in ("zlib", "lzwdecode", "rldecode", "decompress_corrupted")}

    def bounded(decode):
        def run(data, *args):
            out = decode(data, *args)
            if len(out) > limit_bytes:
                raise _LimitReached("max_stream_mb", f"a stream inflates to more than {limits.max_stream_mb:g} MB")
            return out
        return run

    def corrupted(data: bytes) -> bytes:  # pdfminer's own fallback is quadratic: inflate what can be
        d = zlib.decompressobj()
        try:
            out = d.decompress(data, limit_bytes + 1)
        except zlib.error:
            return b""
        if len(out) > limit_bytes:
            raise _LimitReached("max_stream_mb", f"a stream inflates to more than {limits.max_stream_mb:g} MB")
        return out

    logger = logging.getLogger("pdfminer")
    level = logger.level
    pdftypes.zlib = _BoundedZlib(limit_bytes)
    pdftypes.lzwdecode, pdftypes.rldecode = bounded(saved["lzwdecode"]), bounded(saved["rldecode"])
    pdftypes.decompress_corrupted = corrupted
    logger.setLevel(logging.CRITICAL + 1)  # the README promises one line: pdfminer's warnings are not for users
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(pdftypes, name, value)
        logger.setLevel(level)


RULE_THICKNESS = 3.0  # points: a path thinner than this across and …
RULE_LENGTH = 12.0  # … at least this long is a ruling line
INVISIBLE_RENDER_MODES = (3, 7)  # neither filled nor stroked (7: a clipping path only): what OCR tools write
COVERING_IMAGE = 0.85  # an image over this share of the page hides the glyphs drawn before it


def _glyph_device(resources, limits: Limits):
    """A page aggregator that keeps glyphs and where images are drawn (no paths, no image data), and stops
    past the glyph limit.

    It notes which glyphs are never seen: drawn in an invisible text render mode, or drawn before an
    image that covers the page (someone else's OCR layer under the scan it was read from)."""
    from pdfminer.converter import PDFPageAggregator

    class GlyphsOnly(PDFPageAggregator):
        def begin_page(self, page, ctm):
            self.glyphs, self.images = 0, []
            self.render_mode = 0
            self.drawn = []  # this page's LTChars so far
            self.rules = [0, 0]  # horizontal and vertical ruling lines seen
            x0, y0, x1, y1 = page.mediabox
            self.page_area = abs((x1 - x0) * (y1 - y0)) or 1.0
            super().begin_page(page, ctm)

        def render_string(self, textstate, seq, ncs, graphicstate):
            self.render_mode = textstate.render  # 3: invisible (an OCR layer)
            return super().render_string(textstate, seq, ncs, graphicstate)

        def render_char(self, *args, **kwargs):
            self.glyphs += 1
            if self.glyphs > limits.max_glyphs_per_page:
                raise _LimitReached("max_glyphs_per_page", f"a page draws more than {limits.max_glyphs_per_page} glyphs")
            advance = super().render_char(*args, **kwargs)
            item = self.cur_item._objs[-1]
            item.render_mode = self.render_mode
            if self.render_mode in INVISIBLE_RENDER_MODES:
                item.hidden = "invisible render mode"
            self.drawn.append(item)
            return advance

        def paint_path(self, gstate, stroke, fill, evenodd, path):
            # only counted, never kept: thin long paths are rules, a box counts as two of each (tables.py)
            if self.rules[0] >= 2 and self.rules[1] >= 2:
                return None
            from pdfminer.utils import apply_matrix_pt

            points = [apply_matrix_pt(self.ctm, (seg[i], seg[i + 1])) for seg in path
                      for i in range(1, len(seg) - 1, 2)]
            if len(points) < 2:
                return None
            w = max(x for x, _ in points) - min(x for x, _ in points)
            h = max(y for _, y in points) - min(y for _, y in points)
            if h < RULE_THICKNESS and w >= RULE_LENGTH:
                self.rules[0] += 1
            elif w < RULE_THICKNESS and h >= RULE_LENGTH:
                self.rules[1] += 1
            elif w >= RULE_LENGTH and h >= RULE_LENGTH:
                self.rules[0] += 2
                self.rules[1] += 2
            return None

        def render_image(self, name, stream):
            # only where it is drawn (the figure's box): a scanned page is one image covering the page
            figure = self.cur_item  # an image is drawn inside the figure pdfminer opened for it
            self.images.append((figure.x0, figure.y0, figure.x1, figure.y1))
            if abs(figure.width * figure.height) >= COVERING_IMAGE * self.page_area:
                for item in self.drawn:
                    if not getattr(item, "hidden", None):
                        item.hidden = "under an image"
            return None

    return GlyphsOnly(resources, laparams=None)


US_LETTER = (0.0, 0.0, 612.0, 792.0)


def _usable_box(page) -> tuple[float, float, float, float]:
    """The page box; a zero or inverted MediaBox falls back to the CropBox, then US Letter, as viewers do."""
    for box in (page.mediabox, page.cropbox, US_LETTER):
        x0, y0, x1, y1 = (float(v) for v in box)
        if abs(x1 - x0) > 1 and abs(y1 - y0) > 1:
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    return US_LETTER


READERS = ("pdfium", "pdfminer")


def read_pdf(path: Path, limits: Limits = DEFAULT_LIMITS, reader: str | None = None) -> RawDocument:
    """Open a PDF and return its characters page by page (origin at the top-left of the page as displayed).

    reader: "pdfium" (the default; a file it cannot vouch for is read by pdfminer) or
    "pdfminer"; None: $GUIDELINES_PDF_READER, else pdfium."""
    from . import pdfium

    path = Path(path)
    check_pdf_file(path)
    reader = reader or os.environ.get("GUIDELINES_PDF_READER") or "pdfium"
    if reader not in READERS:
        raise ValueError(f"PDF reader {reader!r}: expected one of {READERS}")
    if reader == "pdfminer":
        return read_pdf_pdfminer(path, limits)
    try:
        pages = pdfium.read_pages(str(path), limits.max_pages, limits.max_glyphs_per_page,
                                  int(limits.max_stream_mb * 2**20),
                                  pdfium.Marks(RULE_THICKNESS, RULE_LENGTH, INVISIBLE_RENDER_MODES, COVERING_IMAGE))
    except pdfium.Unsure as unsure:
        doc = read_pdf_pdfminer(path, limits)
        doc.reader = f"pdfminer: {unsure}"
        return doc
    except pdfium.LimitReached as exc:
        raise _too_large(path, exc.limit, exc.found) from None
    except pdfium.Encrypted:
        raise _encrypted(path) from None
    except (MemoryError, RecursionError):
        raise _too_complex(path) from None
    if not pages:
        raise _no_pages(path)
    return RawDocument(str(path), sha256_of(path),
                       [RawPage(number, width, height, chars, images, rulings=rulings)
                        for number, (width, height, chars, images, rulings) in enumerate(pages, start=1)], reader="pdfium")


def _too_large(path: Path, limit: str, found: str) -> InputTooLarge:
    return InputTooLarge(f"{path}: {found} (limit {limit}); if the file is genuine, "
                         f"raise the limit with {Limits.OPTIONS[limit]}")


def _too_complex(path: Path) -> InputTooLarge:
    return InputTooLarge(f"{path}: the PDF is too complex to read within memory; "
                         "re-save it from a PDF viewer (print to PDF) and extract that")


def _encrypted(path: Path) -> EncryptedPdf:
    return EncryptedPdf(N_("{path}: the PDF is encrypted; "
                           "save an unprotected copy (e.g. qpdf --decrypt IN OUT) and extract that"), path=path)


def _no_pages(path: Path) -> CorruptPdf:
    return CorruptPdf(N_("{path}: the PDF has no pages; download it again or re-save it from a PDF viewer"),
                      path=path)


def _displayed(page) -> tuple[float, float, float, float]:
    """Where the displayed page's edges are in pdfminer's device space: (left, top, width, height).

    pdfminer's page CTM moves the page box's corner to the origin and turns the page by
    its /Rotate, so the displayed page spans (0, 0) … (width, height) there."""
    x0, y0, x1, y1 = page.mediabox
    w, h = x1 - x0, y1 - y0
    if page.rotate % 180 == 90:
        w, h = h, w
    return 0.0, h, w, h


def read_pdf_pdfminer(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """The reference reader: pdfminer, glyph by glyph, each limit checked as it goes.

    pdfminer is used directly (pdfplumber wraps it): pdfplumber turns every drawing object
    into a dict, which costs as much again as parsing; only glyphs are needed here.
    """
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    path = Path(path)
    check_pdf_file(path)
    try:
        with warnings.catch_warnings(), _reading_within(limits), open(path, "rb") as fh:
            warnings.simplefilter("ignore")
            document = PDFDocument(PDFParser(fh))
            page_count = 0
            for _ in PDFPage.create_pages(document):
                page_count += 1
                if page_count > limits.max_pages:
                    raise _LimitReached("max_pages", f"the PDF has more than {limits.max_pages} pages")
            resources = PDFResourceManager(caching=True)
            device = _glyph_device(resources, limits)
            interpreter = PDFPageInterpreter(resources, device)
            pages = []
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                page.mediabox = _usable_box(page)
                interpreter.process_page(page)
                left, top, width, height = _displayed(page)
                pages.append(RawPage(number, width, height, _page_chars(device.get_result(), left, top),
                                     [(a - left, top - d, c - left, top - b) for a, b, c, d in device.images],
                                     rulings=device.rules[0] >= 2 and device.rules[1] >= 2))
    except _LimitReached as exc:
        raise _too_large(path, exc.limit, exc.found) from None
    except (MemoryError, RecursionError):
        raise _too_complex(path) from None
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        cause = _root_cause(exc)
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower() \
                or "encrypt" in type(cause).__name__.lower():
            raise _encrypted(path) from None
        raise CorruptPdf(N_("{path}: the PDF is truncated or damaged ({error}); "
                            "download it again or re-save it from a PDF viewer"),
                         path=path, error=type(cause).__name__) from None
    if not pages:
        raise _no_pages(path)
    return RawDocument(str(path), sha256_of(path), pages)
