"""Reading a PDF's glyphs with pdfium: the default reader, at the speed of the PDF engine.

pdfium (the engine of Chrome's PDF viewer, through pypdfium2's raw ctypes API) parses each
page and lays out its text page; `read_pages` turns that text page into the raw character
records the pdfminer reader (`pdf.read_pdf_pdfminer`, the reference) gives, one record per
glyph the content stream draws:

| field              | meaning                                                                |
|--------------------|------------------------------------------------------------------------|
| text               | the glyph's Unicode text (`(cid:N)` when its font does not map it)     |
| x0, x1             | left edge (the glyph's origin) and origin + advance width, in points   |
| top, bottom        | from the page box's top edge: the baseline moved by the font's descent, and that less the size |
| size               | the height of that box (the font size times the text matrix's scale)   |
| fontname           | the font descriptor's FontName, as pdfminer reads it (subsets of one font, `ABCDEF+Name` and `GHIJKL+Name`, are one font to pdfium and carry the first's tag) |
| upright, matrix    | pdfminer's: text matrix × CTM (a, b, c, d) and the glyph's origin (e, f) |
| non_stroking_color | fill colour as (r, g, b), 0…1 (gray and CMYK converted by pdfium)      |
| render_mode        | the text render mode, when not 0 (fill): 3 is invisible, someone's OCR layer |
| hidden             | why the glyph is never seen, when it is not: "invisible render mode" (3 or 7), "under an image" (one covering the page, drawn after it) |

A page also says whether it draws ruling lines (two across and two down at least: a
table's grid), counted from its path objects as the pdfminer reader counts its paths, and
where it draws images (each image's box on the page, as pdfminer's figure for it: a scan is
one image covering the page, and a thin text layer over it is a scanned page's label).

Coordinates are pdfplumber's (origin at the top-left of the page box) in the page as
displayed: /Rotate is applied as pdfminer applies it.

How the text page differs from pdfminer's glyph stream, and what is done about it:
- pdfium inserts characters of its own (spaces where it sees a gap, CR LF at line ends):
  dropped (`FPDFText_IsGenerated`); the layout stage judges gaps itself.
- a hyphen that ends a line before a letter becomes U+0002 (`FPDFText_IsHyphen`): read
  back as "-".
- a code its font does not map to Unicode comes back as the code itself
  (`FPDFText_HasUnicodeMapError`): written `(cid:N)` as pdfminer writes it, so
  `page_text_status` refuses the page as before.
- one glyph that maps to several characters (a ligature, ToUnicode "fi") comes as several
  characters at one origin: joined again into one record, as wide as pdfium's loose box of
  it (its advance, or its ink where that reaches further: ≤ 1 pt more than pdfminer's).
- pdfium drops a glyph drawn twice at the same place (emulated bold) and repeated spaces,
  and orders the objects of a line by x. None of this changes a line the layout stage
  builds (it drops the same doubles, never reads a second space, and sorts glyphs itself).
- boxes are pdfminer's, made the way it makes them: the glyph's origin, its advance from
  the font's widths (`FPDFFont_GetGlyphWidth`), the size and the matrix, and the descent
  pdfminer reads — the font descriptor's /Descent, 0 when it states none, found by the
  scan (pdfium's `FPDFFont_GetDescent` would take the font program's; it is used only for
  a font without a descriptor, a standard one, whose metrics pdfminer takes from its own
  tables: 0.02 em apart). pdfium places glyphs in single precision: along a justified line
  a box drifts up to ~0.3 pt from pdfminer's (`tests/test_pdfium.py` allows 0.5 pt).
- a text object that draws only blank glyphs (a space by itself) is left out of the text
  page: a space record is put back where it is drawn; a space pdfium makes up inside an
  object at a space glyph it then drops is read as that glyph (`stands_for_a_space`).

What pdfium cannot tell, and who tells it instead. `scan_streams` reads the file's bytes
before pdfium does; where pdfium cannot vouch for a file, `Unsure` is raised and the
pdfminer reader (`pdf.read_pdf_pdfminer`), which checks all of these as it goes, reads the
whole file, as every file was read before:
- the size a stream inflates to: pdfium inflates without a bound, so every stream but an
  image's is inflated here first, within `max_stream_mb` (exit 18 names the option).
- what a page draws, before pdfium holds it: pdfium keeps every drawing operator of a page
  (~20 bytes each) and ~200 bytes for each glyph of its text page, and cannot be stopped
  part-way. A page's content streams, with the forms it draws, bound both; a page over
  `PAGE_CONTENT_BUDGET` bytes of content, or `PAGE_GLYPH_BUDGET` bytes of content that
  shows text, is left to pdfminer, which stops at the glyph limit. Under them, the text page
  is built and its glyphs are counted exactly against `max_glyphs_per_page`.
- a damaged file: pdfium repairs a broken cross-reference table without a word, and
  may not open what pdfminer's fallback parser reads. A file pdfium opens only by repairing
  it, or does not open, a stream whose extent the scan cannot find: pdfminer reads or
  refuses it.
- an encrypted file: its streams cannot be measured before decryption (pdfminer refuses
  one that needs a password, reads one that opens without).
- glyphs a marked-content span's /ActualText replaces: pdfium reads the span's text, pdfminer
  the glyphs' ToUnicode (Chromium's print names a glyph Noto CJK shares between 目 and ⽬ by
  the radical and adds a span saying 目; the text fixes mend the radical and report it). The
  scan notes whether the file writes /ActualText at all; only then is each text object's
  marked content looked at, and a file with such a span is left to pdfminer.
- a Type3 font (glyphs drawn as small pictures): it has no /BaseFont, so pdfium gives it no
  name where pdfminer reads its descriptor's FontName, and its glyphs' boxes come from
  pdfium's guess of the descent, not from the FontBBox as pdfminer takes them (~1.4 pt).
"""

from __future__ import annotations

import ctypes
import re
import zlib
from dataclasses import dataclass

# what one page may draw for pdfium to lay it out (pdfminer reads larger pages, within the limits):
PAGE_CONTENT_BUDGET = 4 << 20  # bytes of content: pdfium holds each drawing operator (~20 bytes a byte: ~90 MB)
PAGE_GLYPH_BUDGET = 1 << 20  # bytes of content that may show glyphs: ≤ 1M glyphs (~200 bytes each in a text page)


@dataclass(frozen=True)
class Marks:
    """What the reading module (pdf.py) counts as a ruling line and as a hidden glyph; both readers apply it."""

    rule_thickness: float = 3.0  # a path thinner than this across and …
    rule_length: float = 12.0  # … at least this long is a ruling line
    invisible_render_modes: tuple[int, ...] = (3, 7)
    covering_image: float = 0.85  # an image over this share of the page hides the glyphs drawn before it


class Unsure(Exception):
    """pdfium cannot vouch for this file's limits or integrity: the pdfminer reader decides."""


class LimitReached(Exception):
    def __init__(self, limit: str, found: str):
        super().__init__(limit)
        self.limit, self.found = limit, found


class Encrypted(Exception):
    pass


# --- the file's streams, measured before pdfium inflates them ---------------------------------

_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_STREAM_OR_END = re.compile(rb"\bstream(?:\r\n|\n|\r)|\bendobj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
# fonts, object and xref streams, metadata, attachments: never a page's content
_NOT_CONTENT = re.compile(rb"/Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile)\b|/Length[123]\b|/Subtype\s*/"
                          rb"(?:Type1C|CIDFontType0C|OpenType|XML)\b")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_OBJSTM_FIRST = re.compile(rb"/First\s+(\d+)")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_CONTENTS = re.compile(rb"/Contents\s*(?:(\d+)\s+\d+\s+R|\[([^\]]*)\])")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()]+)")
_DESCRIPTOR_REF = re.compile(rb"/FontDescriptor\s+(\d+)\s+\d+\s+R")
_DESCENDANTS = re.compile(rb"/DescendantFonts\s*(?:\[\s*(\d+)\s+\d+\s+R|(\d+)\s+\d+\s+R)")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/\[\]<>()]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?(?:\d+\.?\d*|\.\d+))(?!\s+\d+\s+R)")
_DO = re.compile(rb"(?<![A-Za-z])Do(?![A-Za-z#])")
_SHOWS = re.compile(rb"T[jJ]|['\"]")
_ACTUAL_TEXT = b"/ActualText"
FLATE, LZW, A85, AHX, RL = "FlateDecode", "LZWDecode", "ASCII85Decode", "ASCIIHexDecode", "RunLengthDecode"
SHORT_FILTERS = {"Fl": FLATE, "LZW": LZW, "A85": A85, "AHx": AHX, "RL": RL}


@dataclass
class StreamFacts:
    decoded: int  # bytes it inflates to (what could be decoded of it)
    form: bool  # a Form XObject: a page may draw it
    shows: bool  # has a text-showing operator (Tj, TJ, ', "): may draw glyphs
    draws: int  # `Do` operators in it (the forms and images it draws)


@dataclass
class FileFacts:
    streams: dict[int, StreamFacts]
    objects: dict[int, bytes]  # every object that is not a stream (inside object streams too)
    actual_text: bool = False  # "/ActualText" is written somewhere (a marked-content span may replace glyphs)

    def page_bounds(self) -> list[tuple[int, int]]:
        """For every page dictionary, (bytes of content it draws, bytes of it that may show
        glyphs): its content streams, and for each `Do` the most a form can add. A form drawing
        forms multiplies: pdfium parses a form once per path, so at most as deep as there are
        such forms."""
        forms = [s for s in self.streams.values() if s.form]
        drawing = [s.draws for s in forms if s.draws]
        spread = (1 + max(drawing)) ** len(drawing) if drawing else 1
        form_content = max((s.decoded for s in forms), default=0) * spread
        form_glyphs = max((s.decoded for s in forms if s.shows), default=0) * spread
        bounds = []
        for body in self.objects.values():
            if not _PAGE.search(body):
                continue
            content = glyphs = 0
            for num in self.contents_of(body):
                facts = self.streams.get(num)
                if facts is None:
                    raise Unsure("a page's content is not a stream this scan measured")
                content += facts.decoded + facts.draws * form_content
                glyphs += facts.decoded * facts.shows + facts.draws * form_glyphs
            bounds.append((content, glyphs))
        return bounds

    def declared_fonts(self) -> dict[str, tuple[str, float] | None]:
        """What pdfminer reads from each font's descriptor, by the font's /BaseFont without its
        subset tag (the name pdfium gives): (FontName, Descent as a fraction of the size; 0
        when missing, a positive one negated). None where fonts of one name disagree."""
        found: dict[str, tuple[str, float] | None] = {}
        for body in self.objects.values():
            base = _BASE_FONT.search(body)
            if not base:  # a font dictionary (a descriptor has a FontName, never a BaseFont)
                continue
            descriptor = self.font_descriptor(body)
            if descriptor is None:
                continue
            name = _FONT_NAME.search(descriptor)
            descent = _DESCENT.search(descriptor)
            facts = (name.group(1).decode("latin-1") if name else "unknown",
                     -abs(float(descent.group(1))) / 1000 if descent else 0.0)
            key = _strip_subset(base.group(1).decode("latin-1"))
            if key in found and (found[key] is None or found[key][1] != facts[1]):
                found[key] = None
            else:
                found.setdefault(key, facts)
        return found

    def font_descriptor(self, font: bytes) -> bytes | None:
        """A font dictionary's descriptor, referred to or written inline (a Type0 font's is its descendant's)."""
        m = _DESCENDANTS.search(font)
        if m:
            if m.group(2):  # /DescendantFonts 12 0 R: an array object
                refs = _REF.findall(self.objects.get(int(m.group(2)), b""))
                font = self.objects.get(int(refs[0]), b"") if refs else b""
            else:
                font = self.objects.get(int(m.group(1)), b"")
        at = font.find(b"/FontDescriptor")
        if at < 0:
            return None
        m = _DESCRIPTOR_REF.match(font, at)
        return self.objects.get(int(m.group(1))) if m else font[at:]

    def contents_of(self, page: bytes) -> list[int]:
        m = _CONTENTS.search(page)
        if not m:
            return []
        if m.group(1):
            num = int(m.group(1))
            if num in self.streams:
                return [num]
            array = self.objects.get(num, b"")  # /Contents 12 0 R, where 12 is an array of streams
            return [int(r) for r in _REF.findall(array)]
        return [int(r) for r in _REF.findall(m.group(2))]


def _strip_subset(name: str) -> str:
    return name.split("+", 1)[1] if "+" in name[:8] else name


def _filters(dictionary: bytes) -> list[str]:
    m = _FILTERS.search(dictionary)
    if not m:
        return []
    return [SHORT_FILTERS.get(name, name) for name in (n.decode("latin-1") for n in _NAME.findall(m.group(1)))]


def _decode(data: bytes, filters: list[str], limit: int) -> bytes | None:
    """data through its filters, refusing past limit bytes; None when a filter is not one that
    inflates text (an image codec, a crypt filter): nothing more to measure."""
    for name in filters:
        if name == FLATE:
            d = zlib.decompressobj()
            try:
                out = d.decompress(data, limit + 1)
            except zlib.error:  # damaged: what inflated before the damage is all there is
                out, d = b"", None
            if len(out) > limit or (d is not None and d.unconsumed_tail):
                raise LimitReached("max_stream_mb", f"a stream inflates to more than {limit / 2**20:g} MB")
            data = out
        elif name == AHX:
            import binascii

            digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
            data = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        elif name == A85:
            data = _a85decode(data)
        elif name in (LZW, RL):
            from pdfminer.lzw import lzwdecode  # rare filters: pdfminer's decoders (a small import)
            from pdfminer.runlength import rldecode

            data = (lzwdecode if name == LZW else rldecode)(data)
        else:
            return None
        if len(data) > limit:
            raise LimitReached("max_stream_mb", f"a stream inflates to more than {limit / 2**20:g} MB")
    return data


_A85_DIGITS = bytes.maketrans(bytes(range(33, 118)), bytes(range(85)))
_NOT_A85 = re.compile(rb"[^!-uz]")
_WHITE = re.compile(rb"[ \t\n\r\x0b\x0c\x00]+")


def _a85decode(data: bytes) -> bytes:
    """ASCII85 (what ReportLab writes before Flate), as base64.a85decode decodes it, ~20× faster:
    the standard library's loops in Python over every group of five."""
    import struct

    body = _WHITE.sub(b"", data)
    body = body[2:] if body.startswith(b"<~") else body
    end = body.find(b"~>")
    body = body[:end] if end >= 0 else body
    if _NOT_A85.search(body):
        return b""  # damaged: nothing to measure
    body = body.replace(b"z", b"!!!!!")
    pad = -len(body) % 5
    if pad == 4:
        return b""  # a lone last digit: not ASCII85
    digits = (body + b"u" * pad).translate(_A85_DIGITS)
    words = [((((a * 85 + b) * 85 + c) * 85 + d) * 85 + e)
             for a, b, c, d, e in zip(digits[0::5], digits[1::5], digits[2::5], digits[3::5], digits[4::5])]
    if any(w > 0xFFFFFFFF for w in words):
        return b""
    out = struct.pack(f">{len(words)}I", *words)
    return out[:len(out) - pad] if pad else out


def _objstm_objects(decoded: bytes, dictionary: bytes) -> dict[int, bytes]:
    m = _OBJSTM_FIRST.search(dictionary)
    if not m:
        return {}
    first = int(m.group(1))
    header = decoded[:first].split()
    pairs = [(int(header[i]), int(header[i + 1])) for i in range(0, len(header) - 1, 2)
             if header[i].isdigit() and header[i + 1].isdigit()]
    out = {}
    for k, (num, offset) in enumerate(pairs):
        end = pairs[k + 1][1] if k + 1 < len(pairs) else len(decoded) - first
        out[num] = decoded[first + offset:first + end]
    return out


_INT_BODY = re.compile(rb"obj\s*(\d+)\s*endobj")  # a literal first: the regex searches as fast as find
_INT_HEAD = re.compile(rb"(\d+)\s+\d+\s+$")


def _integer_objects(data: bytes) -> dict[int, int]:
    """Every `N G obj 1234 endobj` (a stream's indirect /Length), the last of a number winning."""
    found = {}
    for m in _INT_BODY.finditer(data):
        head = _INT_HEAD.search(data, max(0, m.start() - 24), m.start())
        if head:
            found[int(head.group(1))] = int(m.group(1))
    return found


def scan_streams(data: bytes, max_stream_bytes: int) -> FileFacts:
    """Inflate every stream of the file (images aside) within max_stream_bytes, and note what
    each is; raise LimitReached past the limit, Unsure when a stream's extent is unknown."""
    if _ENCRYPT.search(data):
        raise Unsure("it is encrypted: its streams cannot be measured before decryption")
    lengths: dict[int, int] | None = None  # the integer objects, found when a stream's /Length is one
    streams: dict[int, StreamFacts] = {}
    objects: dict[int, bytes] = {}
    decoded_texts: list[bytes] = []  # contents and object streams, where an /ActualText may be written
    pos = 0
    while True:
        header = _OBJ.search(data, pos)
        if header is None:
            break
        num, start = int(header.group(1)), header.end()
        kind = _STREAM_OR_END.search(data, start)
        if kind is None:
            objects[num] = data[start:]
            break
        if kind.group(0).startswith(b"endobj"):
            objects[num] = data[start:kind.start()]
            pos = kind.end()
            continue
        dictionary, begin = data[start:kind.start()], kind.end()
        m = _LENGTH.search(dictionary)
        length = None
        if m and m.group(2) is None:
            length = int(m.group(1))
        elif m:
            lengths = _integer_objects(data) if lengths is None else lengths
            length = lengths.get(int(m.group(1)))
        if length is not None and b"endstream" in data[begin + length:begin + length + 32]:
            end = begin + length
        elif m and m.group(2) is not None and length is None:
            raise Unsure("a stream's /Length is an object this scan cannot find")
        else:
            end = data.find(b"endstream", begin)
            end = len(data) if end < 0 else end
        pos = end
        if _IMAGE.search(dictionary):
            continue  # pixels: decoded only to render, never to read text
        decoded = _decode(data[begin:end], _filters(dictionary), max_stream_bytes)
        if decoded is None:
            continue
        if _OBJSTM.search(dictionary):
            objects.update(_objstm_objects(decoded, dictionary))
        if _NOT_CONTENT.search(dictionary):
            streams[num] = StreamFacts(len(decoded), False, False, 0)
            if _OBJSTM.search(dictionary):
                decoded_texts.append(decoded)
        else:
            decoded_texts.append(decoded)
            streams[num] = StreamFacts(len(decoded), bool(_FORM.search(dictionary)), bool(_SHOWS.search(decoded)),
                                       len(_DO.findall(decoded)))
    actual_text = _ACTUAL_TEXT in data or any(_ACTUAL_TEXT in text for text in decoded_texts)
    return FileFacts(streams, objects, actual_text)


# --- pdfium through ctypes --------------------------------------------------------------------

_lib = None
_P = ctypes.c_void_p  # handles and out-parameters are plain integers: cheaper to pass, and hashable
_I = ctypes.c_int

# name: (result type, argument types)
_SIGNATURES = {
    "FPDF_LoadMemDocument64": (_P, (_P, ctypes.c_size_t, ctypes.c_char_p)),
    "FPDF_CloseDocument": (None, (_P,)),
    "FPDF_GetLastError": (ctypes.c_ulong, ()),
    "FPDF_GetPageCount": (_I, (_P,)),
    "FPDF_DocumentHasValidCrossReferenceTable": (_I, (_P,)),
    "FPDF_GetSecurityHandlerRevision": (_I, (_P,)),
    "FPDF_LoadPage": (_P, (_P, _I)),
    "FPDF_ClosePage": (None, (_P,)),
    "FPDFPage_GetRotation": (_I, (_P,)),
    "FPDFPage_GetMediaBox": (_I, (_P, _P, _P, _P, _P)),
    "FPDFPage_GetCropBox": (_I, (_P, _P, _P, _P, _P)),
    "FPDFText_LoadPage": (_P, (_P,)),
    "FPDFText_ClosePage": (None, (_P,)),
    "FPDFText_CountChars": (_I, (_P,)),
    "FPDFText_GetUnicode": (ctypes.c_uint, (_P, _I)),
    "FPDFText_IsGenerated": (_I, (_P, _I)),
    "FPDFText_IsHyphen": (_I, (_P, _I)),
    "FPDFText_HasUnicodeMapError": (_I, (_P, _I)),
    "FPDFText_GetTextObject": (_P, (_P, _I)),
    "FPDFText_GetCharOrigin": (_I, (_P, _I, _P, _P)),
    "FPDFText_GetLooseCharBox": (_I, (_P, _I, _P)),
    "FPDFText_GetFontSize": (ctypes.c_double, (_P, _I)),
    "FPDFText_GetMatrix": (_I, (_P, _I, _P)),
    "FPDFText_GetFillColor": (_I, (_P, _I, _P, _P, _P, _P)),
    "FPDFPage_CountObjects": (_I, (_P,)),
    "FPDFPage_GetObject": (_P, (_P, _I)),
    "FPDFPageObj_GetType": (_I, (_P,)),
    "FPDFPageObj_GetBounds": (_I, (_P, _P, _P, _P, _P)),
    "FPDFPageObj_GetMatrix": (_I, (_P, _P)),
    "FPDFPageObj_GetFillColor": (_I, (_P, _P, _P, _P, _P)),
    "FPDFFormObj_CountObjects": (_I, (_P,)),
    "FPDFFormObj_GetObject": (_P, (_P, ctypes.c_ulong)),
    "FPDFTextObj_GetFontSize": (_I, (_P, _P)),
    "FPDFTextObj_GetFont": (_P, (_P,)),
    "FPDFTextObj_GetTextRenderMode": (_I, (_P,)),
    "FPDFFont_GetBaseFontName": (ctypes.c_size_t, (_P, _P, ctypes.c_size_t)),
    "FPDFPageObj_CountMarks": (_I, (_P,)),
    "FPDFPageObj_GetMark": (_P, (_P, ctypes.c_ulong)),
    "FPDFPageObjMark_GetParamValueType": (_I, (_P, ctypes.c_char_p)),
    "FPDFFont_GetDescent": (_I, (_P, ctypes.c_float, _P)),
    "FPDFFont_GetGlyphWidth": (_I, (_P, ctypes.c_uint, ctypes.c_float, _P)),
}


class _Pdfium:
    """pdfium's functions with plain C types, from the library pypdfium2 ships.

    The library is loaded from pypdfium2_raw's folder without running its bindings module
    (ctypes definitions of ~700 functions: ~20 ms); pypdfium2, when OCR imports it later,
    loads the same file, and pdfium ignores the second initialisation."""

    def __init__(self):
        lib = _load_library()
        lib.FPDF_InitLibrary.restype, lib.FPDF_InitLibrary.argtypes = None, ()
        lib.FPDF_InitLibrary()
        for name, (restype, argtypes) in _SIGNATURES.items():
            function = lib[name]  # a function object of our own: pypdfium2's keep their types
            function.restype, function.argtypes = restype, argtypes
            setattr(self, name, function)


def _load_library() -> ctypes.CDLL:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pypdfium2_raw")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("libpdfium.so", "libpdfium.dylib", "pdfium.dll"):
            if (Path(folder) / name).is_file():
                return ctypes.CDLL(str(Path(folder) / name))
    import pypdfium2_raw.bindings  # a pypdfium2 that keeps its library elsewhere: ask its loader

    return pypdfium2_raw.bindings._libs["pdfium"]


def pdfium() -> _Pdfium:
    global _lib
    if _lib is None:
        _lib = _Pdfium()
    return _lib


class _Out(ctypes.Structure):
    """Out-parameters of one call, reused for every call (their addresses are passed)."""

    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double), ("matrix", ctypes.c_float * 6),  # FS_MATRIX
                ("box", ctypes.c_float * 4), ("rgba", ctypes.c_uint * 4), ("number", ctypes.c_float),
                ("name", ctypes.c_char * 256)]

    def address(self, field: str) -> int:
        return ctypes.addressof(self) + getattr(_Out, field).offset

    @property
    def refs(self):
        """The addresses of the out-parameters, as calls take them."""
        from types import SimpleNamespace

        rgba = self.address("rgba")
        return SimpleNamespace(matrix=self.address("matrix"), rgba=(rgba, rgba + 4, rgba + 8, rgba + 12))


FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY = 4, 5
FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_PATH, FPDF_PAGEOBJ_IMAGE, FPDF_PAGEOBJ_FORM = 1, 2, 3, 5
FPDF_OBJECT_UNKNOWN = 0  # FPDFPageObjMark_GetParamValueType: the mark has no such key
MAX_FORM_DEPTH = 16  # forms inside forms, looked into for blank text objects
US_LETTER = (0.0, 0.0, 612.0, 792.0)


def _page_box(lib, page, out: _Out) -> tuple[float, float, float, float]:
    """The MediaBox; a zero or inverted one falls back to the CropBox, then US Letter (as the pdfminer reader)."""
    box = out.address("box")
    refs = (box, box + 4, box + 8, box + 12)
    for get in (lib.FPDFPage_GetMediaBox, lib.FPDFPage_GetCropBox):
        if get(page, *refs):
            x0, y0, x1, y1 = out.box
            if abs(x1 - x0) > 1 and abs(y1 - y0) > 1:
                return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    return US_LETTER


def _display(box, rotation: int) -> tuple[tuple, tuple, float, float]:
    """PDF user space → the page as displayed, pdfplumber's way (origin top-left, y down).

    /Rotate turns the page clockwise, as pdfminer turns it. Returns the affine map of a
    point (dx = A·x + B·y + E, dy = C·x + D·y + F), the turn of a direction in y-up space
    (pdfminer's page CTM), and the displayed width and height."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if rotation == 1:  # 90°
        return (0, 1, -y0, 1, 0, -x0), (0, -1, 1, 0), h, w
    if rotation == 2:
        return (-1, 0, x1, 0, 1, -y0), (-1, 0, 0, -1), w, h
    if rotation == 3:
        return (0, -1, y1, -1, 0, x1), (0, 1, -1, 0), h, w
    return (1, 0, -x0, 0, -1, y1), (1, 0, 0, 1), w, h


class _Page:
    """One page's glyph records from pdfium's text page (see the module's field table)."""

    def __init__(self, lib, page, fonts: dict, declared: dict, out: _Out, marks: Marks = Marks(),
                 actual_text: bool = False):
        self.lib, self.page, self.fonts, self.declared, self.out, self.marks = lib, page, fonts, declared, out, marks
        self.actual_text = actual_text  # the file writes /ActualText: look for it on each text object
        self.point, self.turn, self.width, self.height = _display(_page_box(lib, page, out),
                                                                  lib.FPDFPage_GetRotation(page) % 4)
        self.area = abs(self.width * self.height) or 1.0
        self.rulings, self.images = False, []
        self.objects: dict[int, tuple] = {}  # text object → what its glyphs share
        self.shared: dict[tuple, tuple] = {}  # (font, size, matrix, colour, mode) → the same, once
        self.raw_matrix: dict[int, tuple] = {}  # text object → its matrix in user space (a, b, c, d)
        self.refs = out.refs

    def chars(self, textpage, max_glyphs: int) -> list[dict]:
        lib, out = self.lib, self.out
        count = lib.FPDFText_CountChars(textpage)
        get_unicode, get_object = lib.FPDFText_GetUnicode, lib.FPDFText_GetTextObject
        is_generated, has_map_error = lib.FPDFText_IsGenerated, lib.FPDFText_HasUnicodeMapError
        get_origin, get_width = lib.FPDFText_GetCharOrigin, lib.FPDFFont_GetGlyphWidth
        xy = (ctypes.c_double * 2)()
        x_ref, y_ref = ctypes.addressof(xy), ctypes.addressof(xy) + 8
        number_ref = out.address("number")
        pa, pb, pe, pc, pd, pf = self.point
        height = self.height
        invisible = self.marks.invisible_render_modes
        objects = self.objects
        chars: list[dict] = []
        append = chars.append
        owners: list[int] = []  # the text object of each record
        own = owners.append
        last_obj = last_x = last_y = None
        current = None  # the text object whose facts are unpacked below
        for i in range(count):
            u = get_unicode(textpage, i)
            if u in (0x20, 0x0D, 0x0A) and is_generated(textpage, i) and not self.stands_for_a_space(textpage, i, u):
                continue
            obj = get_object(textpage, i)
            if not obj:
                continue
            get_origin(textpage, i, x_ref, y_ref)
            x, y = xy
            if u == 0x02 and lib.FPDFText_IsHyphen(textpage, i):
                text, u = "-", 0x2D  # pdfium's mark for a hyphen ending a line
            elif has_map_error(textpage, i):
                text = f"(cid:{u})"
            else:
                text = chr(u) if u < 0x110000 else "\ufffd"
            if obj == last_obj and x == last_x and y == last_y:  # one glyph, several characters (a ligature)
                chars[-1] = self.glyph_of_pieces(textpage, i, obj, chars[-1]["text"] + text, x, y, facts)
                continue
            last_obj, last_x, last_y = obj, x, y
            if len(chars) >= max_glyphs:
                raise LimitReached("max_glyphs_per_page", f"a page draws more than {max_glyphs} glyphs")
            if obj != current:
                facts = objects.get(obj)
                if facts is None:
                    facts = objects[obj] = self.text_page_facts(textpage, i, obj)
                font, size, widths, ma, mb, mc, md, cx0, cx1, cy0, cy1, common = facts
                name, upright, colour, mode = common
                current = obj
            advance = widths.get(u)
            if advance is None:
                ok = font and get_width(font, u, 1.0, number_ref)
                advance = widths[u] = out.number * size if ok else 0.0
            # pdfminer's box: (0, descent) … (advance, descent + size) in text space through the matrix;
            # the corners' offsets from the origin split into the advance's part and the height's part
            ax, ay = ma * advance, mb * advance
            dx, dy = pa * x + pb * y + pe, pc * x + pd * y + pf
            top = dy - (ay if ay > 0 else 0.0) - cy1
            bottom = dy - (ay if ay < 0 else 0.0) - cy0
            glyph = {"text": text, "x0": dx + (ax if ax < 0 else 0.0) + cx0, "x1": dx + (ax if ax > 0 else 0.0) + cx1,
                     "top": top, "bottom": bottom, "size": bottom - top, "fontname": name, "upright": upright,
                     "matrix": (ma, mb, mc, md, dx, height - dy), "non_stroking_color": colour}
            if mode:  # ten keys or fewer keep a dict at 272 bytes, not 464: a page has thousands
                glyph["render_mode"] = mode
                if mode in invisible:
                    glyph["hidden"] = "invisible render mode"
            append(glyph)
            own(obj)
        return self.in_drawing_order(chars, owners)

    def stands_for_a_space(self, textpage, i: int, u: int) -> bool:
        """A space pdfium generated inside a text object where the object draws a space glyph.

        pdfium generates a space inside an object before the glyph a kerning gap sets apart,
        at that glyph's origin, and then drops a space glyph that follows a space. So a
        generated space not followed by a glyph of its object at its origin stands where the
        object drew a space glyph (pdfminer has it)."""
        lib, out = self.lib, self.out
        obj = lib.FPDFText_GetTextObject(textpage, i) if u == 0x20 else None
        if not obj:
            return False  # between objects, or a line break: pdfium's own
        if i + 1 >= lib.FPDFText_CountChars(textpage) or lib.FPDFText_GetTextObject(textpage, i + 1) != obj:
            return True
        lib.FPDFText_GetCharOrigin(textpage, i, out.address("x"), out.address("y"))
        x, y = out.x, out.y
        lib.FPDFText_GetCharOrigin(textpage, i + 1, out.address("x"), out.address("y"))
        return abs(out.x - x) + abs(out.y - y) > 0.01

    def glyph_of_pieces(self, textpage, i: int, obj: int, text: str, x: float, y: float, facts: tuple) -> dict:
        """One record for a glyph pdfium gives as several characters (ToUnicode "ffi", or ﬁ split
        into f i), as pdfminer gives it: the glyph's own advance, which pdfium's loose box spans
        (the first character's width would leave a gap that reads as a word space: "off ice")."""
        lib, out = self.lib, self.out
        a, b, c, _ = self.raw_matrix.get(obj, (1.0, 0.0, 0.0, 1.0))
        advance = None
        if abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and lib.FPDFText_GetLooseCharBox(textpage, i, out.address("box")):
            advance = max(0.0, (out.box[2] - x) / a)  # FS_RECTF: left, top, right, bottom
        return self.record(text, ord(text[0]), x, y, facts, advance)

    def record(self, text: str, u: int, x: float, y: float, facts: tuple, advance: float | None = None) -> dict:
        """One glyph's record (the loop in `chars` makes them the same way, inline)."""
        font, size, widths, ma, mb, mc, md, cx0, cx1, cy0, cy1, (name, upright, colour, mode) = facts
        advance = widths.get(u) if advance is None else advance
        if advance is None:
            ok = font and self.lib.FPDFFont_GetGlyphWidth(font, u, 1.0, self.out.address("number"))
            advance = widths[u] = self.out.number * size if ok else 0.0
        ax, ay = ma * advance, mb * advance
        pa, pb, pe, pc, pd, pf = self.point
        dx, dy = pa * x + pb * y + pe, pc * x + pd * y + pf
        top, bottom = dy - (ay if ay > 0 else 0.0) - cy1, dy - (ay if ay < 0 else 0.0) - cy0
        glyph = {"text": text, "x0": dx + (ax if ax < 0 else 0.0) + cx0, "x1": dx + (ax if ax > 0 else 0.0) + cx1,
                 "top": top, "bottom": bottom, "size": bottom - top, "fontname": name, "upright": upright,
                 "matrix": (ma, mb, mc, md, dx, self.height - dy), "non_stroking_color": colour}
        if mode:
            glyph["render_mode"] = mode
            if mode in self.marks.invisible_render_modes:
                glyph["hidden"] = "invisible render mode"
        return glyph

    def text_page_facts(self, textpage, index: int, obj: int) -> tuple:
        lib, out, refs = self.lib, self.out, self.refs
        font = lib.FPDFTextObj_GetFont(obj) or 0
        size = lib.FPDFText_GetFontSize(textpage, index)
        matrix = tuple(out.matrix[:4]) if lib.FPDFText_GetMatrix(textpage, index, refs.matrix) else (1, 0, 0, 1)
        colour = tuple(out.rgba[:3]) if lib.FPDFText_GetFillColor(textpage, index, *refs.rgba) else None
        self.raw_matrix[obj] = matrix
        key = (font, size, matrix, colour, lib.FPDFTextObj_GetTextRenderMode(obj))
        facts = self.shared.get(key)  # a page's objects share a few fonts, sizes and colours
        if facts is None:
            facts = self.shared[key] = self.facts(font, size, matrix, colour and tuple(v / 255 for v in colour),
                                                  key[4])
        return facts

    def facts(self, font: int, size: float, matrix, colour, mode: int) -> tuple:
        """What every glyph of one text object shares: font, size, matrix, colour, render mode."""
        name, descent, widths = _font_facts(self.lib, font, self.fonts, self.out, self.declared)
        a, b, c, d = matrix
        ta, tb, tc, td = self.turn  # pdfminer's matrix: text matrix × CTM × the page's turn
        ma, mb, mc, md = a * ta + b * tc, a * tb + b * td, c * ta + d * tc, c * tb + d * td
        lo, hi = descent * size, (descent + 1.0) * size
        common = (name, ma * md > 0 and mb * mc <= 0, colour, mode)
        return (font, size, widths.setdefault(size, {}), ma, mb, mc, md,
                min(mc * lo, mc * hi), max(mc * lo, mc * hi), min(md * lo, md * hi), max(md * lo, md * hi), common)

    def in_drawing_order(self, chars: list[dict], owners: list[int]) -> list[dict]:
        """The records in the order the page draws its objects (pdfminer's order: pdfium's text page
        orders a line's objects by x), each object's glyphs in its own order; and with them a
        record for each text object the text page leaves out for having no ink (a space drawn
        by itself: pdfium may make up a space there or not, pdfminer gives its glyph).

        The same walk counts the page's ruling lines (`rulings`), notes where images are drawn
        (`images`) and marks the glyphs an image over most of the page covers (`hidden`), as the
        pdfminer reader does."""
        order: dict[int, tuple] = {}
        blanks: list[tuple[tuple, dict]] = []
        self.rules, self.covering, self.images = [0, 0], [], []
        lib = self.lib
        self._walk(lib.FPDFPage_CountObjects(self.page), lambda k: lib.FPDFPage_GetObject(self.page, k),
                   (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), (), order, blanks, 0)
        self.rulings = self.rules[0] >= 2 and self.rules[1] >= 2
        last = (float("inf"),)
        keys = [order.get(obj, last) for obj in owners]
        if self.covering:  # what was drawn before an image that covers the page is not seen
            under = max(self.covering)
            for key, glyph in zip(keys, chars):
                if key < under and not glyph.get("hidden"):
                    glyph["hidden"] = "under an image"
            for key, glyph in blanks:
                if key < under and not glyph.get("hidden"):
                    glyph["hidden"] = "under an image"
        if not blanks and all(a <= b for a, b in zip(keys, keys[1:])):
            return chars  # already in drawing order (most pages)
        keyed = [(key, i, glyph) for i, (key, glyph) in enumerate(zip(keys, chars))]
        keyed += [(key, -1, glyph) for key, glyph in blanks]
        keyed.sort(key=lambda entry: entry[:2])
        return [glyph for _, _, glyph in keyed]

    def _object_box(self, obj):
        """pdfium's bounds of an object in its own space, (x0, y0, x1, y1); None when pdfium has none."""
        box = self.out.address("box")
        if not self.lib.FPDFPageObj_GetBounds(obj, box, box + 4, box + 8, box + 12):
            return None
        return self.out.box

    def _bounds(self, obj, form_matrix) -> tuple[float, float] | None:
        """Width and height of an object's bounds on the page (a form's child: through the form's matrix)."""
        corners = self._object_box(obj)
        if corners is None:
            return None
        x0, y0, x1, y1 = corners
        a, b, c, d, _, _ = form_matrix
        xs = [a * x + c * y for x in (x0, x1) for y in (y0, y1)]
        ys = [b * x + d * y for x in (x0, x1) for y in (y0, y1)]
        return max(xs) - min(xs), max(ys) - min(ys)

    def _displayed_bounds(self, obj, form_matrix) -> tuple[float, float, float, float] | None:
        """An object's bounds on the page as displayed, (x0, top, x1, bottom) as the glyphs' (a form's
        child: through the form's matrix); an image's are its unit square's corners, as pdfminer's figure."""
        corners = self._object_box(obj)
        if corners is None:
            return None
        x0, y0, x1, y1 = corners
        a, b, c, d, e, f = form_matrix
        pa, pb, pe, pc, pd, pf = self.point
        xs, ys = [], []
        for x in (x0, x1):
            for y in (y0, y1):
                ux, uy = a * x + c * y + e, b * x + d * y + f
                xs.append(pa * ux + pb * uy + pe)
                ys.append(pc * ux + pd * uy + pf)
        return min(xs), min(ys), max(xs), max(ys)

    def _walk(self, count: int, get, form_matrix, where: tuple, order: dict, blanks: list, depth: int) -> None:
        lib, out, marks = self.lib, self.out, self.marks
        box = out.address("box")
        for k in range(count):
            obj = get(k)
            kind = lib.FPDFPageObj_GetType(obj)
            if kind == FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                if lib.FPDFPageObj_GetMatrix(obj, out.address("matrix")):
                    inner = _compose(tuple(out.matrix), form_matrix)
                    self._walk(lib.FPDFFormObj_CountObjects(obj), lambda i, o=obj: lib.FPDFFormObj_GetObject(o, i),
                               inner, where + (k,), order, blanks, depth + 1)
                continue
            if kind == FPDF_PAGEOBJ_PATH and not (self.rules[0] >= 2 and self.rules[1] >= 2):
                size = self._bounds(obj, form_matrix)  # a stroke's bounds take in its width: rules are thinner
                if size:
                    w, h = size
                    if h < marks.rule_thickness and w >= marks.rule_length:
                        self.rules[0] += 1
                    elif w < marks.rule_thickness and h >= marks.rule_length:
                        self.rules[1] += 1
                    elif w >= marks.rule_length and h >= marks.rule_length:
                        self.rules[0] += 2
                        self.rules[1] += 2
                continue
            if kind == FPDF_PAGEOBJ_IMAGE:
                placed = self._displayed_bounds(obj, form_matrix)
                if placed:
                    self.images.append(placed)
                    if (placed[2] - placed[0]) * (placed[3] - placed[1]) >= marks.covering_image * self.area:
                        self.covering.append(where + (k,))
                continue
            if kind != FPDF_PAGEOBJ_TEXT:
                continue
            order[obj] = where + (k,)
            if self.actual_text and self._replaced(obj):
                raise Unsure("a marked-content /ActualText replaces glyphs (pdfium reads it, pdfminer the glyphs)")
            if obj in self.objects:
                continue
            if not lib.FPDFPageObj_GetBounds(obj, box, box + 4, box + 8, box + 12) or \
                    abs(out.box[2] - out.box[0]) >= 0.01:
                continue  # inked, and so left out for another reason (a double of the object before it)
            if not lib.FPDFPageObj_GetMatrix(obj, out.address("matrix")):
                continue
            a, b, c, d, e, f = _compose(tuple(out.matrix), form_matrix)
            size = out.number if lib.FPDFTextObj_GetFontSize(obj, out.address("number")) else 0.0
            rgba = out.address("rgba")
            colour = lib.FPDFPageObj_GetFillColor(obj, rgba, rgba + 4, rgba + 8, rgba + 12)
            facts = self.objects[obj] = self.facts(
                lib.FPDFTextObj_GetFont(obj) or 0, size, (a, b, c, d),
                (out.rgba[0] / 255, out.rgba[1] / 255, out.rgba[2] / 255) if colour else None,
                lib.FPDFTextObj_GetTextRenderMode(obj))
            blanks.append((where + (k,), self.record(" ", 0x20, e, f, facts)))


    def _replaced(self, obj) -> bool:
        """Whether a text object lies in a marked-content span with an /ActualText."""
        lib = self.lib
        for i in range(lib.FPDFPageObj_CountMarks(obj)):
            mark = lib.FPDFPageObj_GetMark(obj, i)
            if mark and lib.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != FPDF_OBJECT_UNKNOWN:
                return True
        return False


def _compose(m, n) -> tuple:
    """m then n, PDF matrices (a, b, c, d, e, f) applied to row vectors."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _font_facts(lib, font, fonts: dict, out: _Out, declared: dict) -> tuple[str, float, dict]:
    """(name, descent as a fraction of the size, advance widths by size) of a font, once per font.

    Name and descent are the ones pdfminer reads, from the font descriptor: its FontName,
    and its /Descent, 0 when it states none (where pdfium would take the font program's).
    A font the scan found no descriptor for (a standard font) keeps pdfium's."""
    facts = fonts.get(font)
    if facts is None:
        name = ""
        if font and lib.FPDFFont_GetBaseFontName(font, out.address("name"), 256):
            name = out.name.decode("utf-8", "replace")
        if font and not name:  # no /BaseFont: a Type3 font, its glyphs small drawings
            raise Unsure("a Type3 font: pdfium neither names it nor places its glyphs as pdfminer does")
        descriptor = declared.get(name)
        if descriptor is not None:
            name, descent = descriptor
        else:
            ok = font and lib.FPDFFont_GetDescent(font, 1000.0, out.address("number"))
            descent = out.number / 1000.0 if ok else 0.0
        facts = fonts[font] = (name, descent, {})
    return facts


def read_pages(path: str, max_pages: int, max_glyphs_per_page: int, max_stream_bytes: int,
               marks: Marks = Marks()) -> list[tuple[float, float, list[dict], list[tuple], bool]]:
    """Every page of the PDF at path as (width, height, glyph records, the boxes of the images it
    draws (x0, top, x1, bottom), whether it draws ruling lines), read by pdfium.

    Raises LimitReached (a limit of `pdf.Limits`), Encrypted (a password is needed), or
    Unsure: pdfium cannot vouch for the file (damaged, encrypted, a page that may draw
    more glyphs than it is safe to lay out); then the pdfminer reader is the one to read it.
    """
    with open(path, "rb") as fh:
        data = fh.read()  # pdfium reads from this buffer until the document is closed, below
    facts = scan_streams(data, max_stream_bytes)
    lib = pdfium()
    doc = lib.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        error = lib.FPDF_GetLastError()
        if error in (FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY):
            raise Encrypted()
        raise Unsure(f"pdfium cannot open it (error {error})")
    try:
        if not lib.FPDF_DocumentHasValidCrossReferenceTable(doc):
            raise Unsure("its cross-reference table is damaged")
        if lib.FPDF_GetSecurityHandlerRevision(doc) != -1:
            raise Unsure("it is encrypted: its streams cannot be measured before decryption")
        count = lib.FPDF_GetPageCount(doc)
        if count > max_pages:
            raise LimitReached("max_pages", f"the PDF has more than {max_pages} pages")
        bounds = facts.page_bounds()
        if len(bounds) < count or any(content > PAGE_CONTENT_BUDGET or glyphs > PAGE_GLYPH_BUDGET
                                      for content, glyphs in bounds):
            raise Unsure("a page may draw more than pdfium can safely lay out")
        pages = []
        fonts: dict = {}
        declared = facts.declared_fonts()
        out = _Out()
        for index in range(count):
            page = lib.FPDF_LoadPage(doc, index)
            if not page:
                raise Unsure(f"pdfium cannot load page {index + 1}")
            try:
                reader = _Page(lib, page, fonts, declared, out, marks, facts.actual_text)
                textpage = lib.FPDFText_LoadPage(page)
                if not textpage:
                    raise Unsure(f"pdfium cannot read the text of page {index + 1}")
                try:
                    chars = reader.chars(textpage, max_glyphs_per_page)
                    pages.append((reader.width, reader.height, chars, reader.images, reader.rulings))
                finally:
                    lib.FPDFText_ClosePage(textpage)
            finally:
                lib.FPDF_ClosePage(page)
        return pages
    finally:
        lib.FPDF_CloseDocument(doc)
