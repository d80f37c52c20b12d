"""Reading a scan: OCR a page image into the same raw characters the PDF reader gives.

The engine is RapidOCR (`rapidocr_onnxruntime` 1.4.x, the `ocr` extra): PP-OCRv4 detection
and recognition models shipped inside the wheel, run by onnxruntime; nothing is downloaded.
It is imported only when a page needs it, so reading a born-digital PDF never loads it.

A page is rendered with pypdfium2 at a resolution chosen from its embedded image
(`render_dpi`): rendering above the scan's own resolution adds nothing, below ~150 dpi
small glyphs (parentheses, digits) blur together. Text lines are found on a smaller copy
(detection needs ~20 px per line, and costs grow with the pixel count) and read from the
full-resolution image.

Each recognised character becomes a raw char dict like `pdf._page_chars` produces
(`text`, `x0`, `x1`, `top`, `bottom` in PDF points, `size`, `fontname`, …) plus
`confidence` (the recogniser's probability for that character, 0…1), so layout,
furniture, paragraphs, outline and records run unchanged on it.

Fixes applied to what the engine reads (`fix_ocr_text`, one rule per function, each
switchable): word spaces between Latin letters from the image's own gaps; no spaces inside
e-mails, URLs and phone numbers, and `l`/`1`, `O`/`0` read by context there; a lone `o`
ending a line is a misread `。`; `丶` is `、`; a dash read as `一` beside digits is `-`;
a `:` inside an address is a misread `.`; a half-width `;` glued to the next word in a
Chinese line is `；`. Across lines (`wrapped_address_lines`): the head of the line that
carries on an address wrapped at the line before is mended from that line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..errors import OcrUnavailable
from ..i18n import N_, Message

INSTALL_HINT = "pip install 'guidelines[ocr]'"
MIN_RENDER_DPI = 150  # below this, parentheses and digits of body text blur together
MAX_RENDER_DPI = 300  # above this the recogniser gains nothing (it reads lines 48 px high)
DEFAULT_RENDER_DPI = 200  # a page with no embedded image (vector outlines): render at this
DETECT_DPI = 110  # text lines are found on a copy at this resolution
SIZE_PER_BOX_HEIGHT = 1 / 1.3  # font size ≈ detected box height / 1.3 (boxes are padded)
# word spaces between Latin characters (fractions of the line box height; see is_word_space)
KEEP_SPACE_BLANK = 0.2  # before a capital
ADD_SPACE_BLANK = 0.3
ADD_SPACE_PITCH = 0.6
CAPS_SPACE_PITCH = 0.8  # capitals are wide: two of an acronym stand ~0.67 apart (CC|US), two words ~1.0
BODY_SIZE_TOLERANCE = 0.2  # lines up to 20 % larger than the page's usual size are body text (Latin-only
# and short lines have lower boxes than CJK ones, so smaller is body text too)

_engine = None


def load_engine():
    """The OCR engine (loaded once per process); OcrUnavailable when the extra is not installed."""
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise OcrUnavailable(N_("reading a scan needs the OCR engine: {hint}"), hint=INSTALL_HINT) from None
        _engine = RapidOCR(print_verbose=False)
    return _engine


# --- which resolution ------------------------------------------------------------------------

def embedded_image_dpi(pdf_page) -> float | None:
    """The resolution of the largest image drawn on a pypdfium2 page (pixels per inch on the page)."""
    import pypdfium2.raw as pdfium_c

    best: tuple[float, float] | None = None  # (area on page, dpi)
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, px_h = obj.get_px_size()
            x0, y0, x1, y1 = obj.get_bounds()
        except Exception:  # an image pdfium cannot measure: no opinion
            continue
        w_pt, h_pt = abs(x1 - x0), abs(y1 - y0)
        if w_pt < 1 or h_pt < 1:
            continue
        dpi = max(px_w / w_pt, px_h / h_pt) * 72
        if best is None or w_pt * h_pt > best[0]:
            best = (w_pt * h_pt, dpi)
    return best[1] if best else None


def render_dpi(image_dpi: float | None) -> int:
    """Render at the scan's own resolution, within [MIN_RENDER_DPI, MAX_RENDER_DPI]."""
    if image_dpi is None:
        return DEFAULT_RENDER_DPI
    return int(round(min(MAX_RENDER_DPI, max(MIN_RENDER_DPI, image_dpi))))


# --- text fixes ------------------------------------------------------------------------------

_LATIN = re.compile(r"[A-Za-z0-9@._%+\-/:#?=&~]")
EMAIL_LOOSE = re.compile(r"[A-Za-z0-9._%+\-](?:[A-Za-z0-9._%+\- ]*[A-Za-z0-9_%+\-])?\s*[@＠]\s*"
                         r"[A-Za-z0-9\-]+(?:\s*[.．]\s*[A-Za-z0-9\-]+)+")
URL_LOOSE = re.compile(r"(?:https?\s*:\s*/\s*/|www\s*\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%\- ]+")
PHONE_LOOSE = re.compile(r"(?<![A-Za-z0-9])[+＋]?\s*[0-9OoIl]{1,4}(?:[\s\-－]*\(?[0-9OoIl]{1,5}\)?){2,6}(?![A-Za-z])")


def fix_dash_read_as_yi(text: str) -> str:
    """`一` (one) beside digits is a dash the engine misread: `一8一` → `-8-`, `2018一2020` → `2018—2020`.

    (The engine reads a hyphen as `-`; the long dash it reads as `一` is `—`.)"""
    text = re.sub(r"(?<=\d)\s*一\s*(?=\d)", "—", text)
    return re.sub(r"^\s*[一-]+\s*(\d{1,4})\s*[一-]+\s*$", r"-\1-", text)


def fix_title_space(text: str) -> str:
    """`Dr.Ingerid` → `Dr. Ingerid`: an English title abbreviation is followed by a space."""
    return re.sub(r"\b(Dr|Mr|Mrs|Ms|Prof)\.(?=[A-Z])", r"\1. ", text)


def fix_times_for_x(text: str) -> str:
    """`×` not beside a digit is the letter `X` (`电转×` → `电转X`); `3×4` stays a product."""
    return re.sub(r"(?<![\d\s])\s*×\s*(?![\d\s])|(?<![\d\s])×$|^×(?![\d\s])",
                  lambda m: m.group(0).replace("×", "X"), text)


def fix_dot_before_unit(text: str) -> str:
    """`2022.年` → `2022年`: no dot stands between a number and 年/月/日/个/项/万 (a speck read as one)."""
    return re.sub(r"(?<=\d)[.·](?=[年月日个项万亿])", "", text)


def fix_dot_comma(text: str) -> str:
    """`丶` (a radical no guideline uses) is the enumeration comma `、`."""
    return text.replace("丶", "、")


def fix_lone_o_at_end(text: str) -> str:
    """A lone `o`/`O`/`0`/`°` after a space at the end of a line is a misread `。`."""
    return re.sub(r"(?<=[A-Za-z0-9/\u4e00-\u9fff）)])(?:\s+[oO0°]|\.?°)$", "。", text)


def _letters_for_digits(token: str) -> str:
    """In an address, `1`/`0` among letters are `l`/`o`, `O` between non-letters is `0`.

    `htm1` → `html`, `g0v` → `gov`, `_1ocal` → `_local`, `_O.pdf` → `_0.pdf`; digits beside
    digits (`h2020`, `ip_20_16`) stay, and so does a digit after a single letter (`/v1/`).
    """
    chars = list(token)
    for i, ch in enumerate(chars):
        left = chars[i - 1] if i else ""
        right = chars[i + 1] if i + 1 < len(chars) else ""
        letter = lambda c: c.isascii() and c.isalpha()  # noqa: E731
        if ch in "10" and not left.isdigit() and not right.isdigit():
            left_run = len(re.search(r"[A-Za-z]*$", "".join(chars[:i])).group(0))
            if letter(right) or left_run >= 2:
                chars[i] = "l" if ch == "1" else "o"
        elif ch == "O" and not (left.isalpha() or right.isalpha()):
            chars[i] = "0"
    text = "".join(chars)
    # `www.` read as `w.ww.` / `ww.w.`
    return re.sub(r"(?<![A-Za-z.])(?=[w.]{4,5}\.)(?:w\.?){3}(?=\.)", "www", text)


ADDRESS_TOKEN = re.compile(r"[A-Za-z0-9._%+\-/:@?=&~#]*[/@_][A-Za-z0-9._%+\-/:@?=&~#]*")


def fix_colon_in_address(text: str) -> str:
    """A `:` read inside an address is a misread `.`: `http://ec:europa.eu` → `http://ec.europa.eu`
    (a host name holds no colon before letters; a port is digits), `sune.dalgaard:ebbesen@x.dk` →
    `sune.dalgaard.ebbesen@x.dk` (an e-mail's dotted local part holds no colon; a label such as
    `E-mail:` has no dot, so it stays)."""
    host = re.compile(r"((?:https?|ftp)://[A-Za-z0-9.\-]*[A-Za-z0-9]):(?=[A-Za-z])")
    while host.search(text):
        text = host.sub(r"\1.", text)
    local = re.compile(r"((?<![A-Za-z0-9._%+\-])[A-Za-z0-9_%+\-]+\.[A-Za-z0-9_%+\-.]*[A-Za-z0-9]):"
                       r"(?=[A-Za-z0-9][A-Za-z0-9._%+\-]*@)")
    return local.sub(r"\1.", text)


def fix_half_width_semicolon(text: str) -> str:
    """In a Chinese line, a `;` with no space after it is the full-width `；` read small:
    `ifo@rcn.no;Mr. Thomas` → `ifo@rcn.no；Mr. Thomas` (English sets a space after `;`)."""
    if not any(is_cjk_char(ch) for ch in text):
        return text
    # a URL's path may hold one (`/a;jsessionid=1`): not after a run with a `/`
    return re.sub(r"(?<![\x21-\x7e])([\x21-\x3a\x3c-\x7e]*);(?=[^\s;])",
                  lambda m: m.group(0) if "/" in m.group(1) else m.group(1) + "；", text)


def fix_addresses(text: str) -> str:
    """E-mails and URLs: no spaces inside, full-width punctuation half-width, letters for digits in words."""
    def squeeze(m: re.Match) -> str:
        token = re.sub(r"\s+", "", m.group(0))
        token = token.replace("，", ",").replace("．", ".").replace("：", ":").replace("／", "/").replace("＠", "@")
        return _letters_for_digits(token)

    def email(m: re.Match) -> str:
        address = squeeze(m)
        # a top-level domain has no digits: rcn.n0 → rcn.no
        return re.sub(r"\.([A-Za-z01]+)$", lambda t: "." + t.group(1).translate(str.maketrans("01", "ol")), address)

    text = EMAIL_LOOSE.sub(email, text)
    text = URL_LOOSE.sub(lambda m: squeeze(m) + (" " if m.group(0).endswith(" ") else ""), text)
    text = join_address_pieces(text)
    # the rest of an address wrapped onto this line (no http:// here): `0_1ocalsupp_china_en.pdf`
    return ADDRESS_TOKEN.sub(lambda m: _letters_for_digits(m.group(0)), text)


def join_address_pieces(text: str) -> str:
    """A space after a piece of an address (it holds / @ or _) and before more ASCII is the engine's:
    `program mes/h2020` → `programmes/h2020`, `camilleri@gov.m t,` → `camilleri@gov.mt,`."""
    def ascii_run(piece: str) -> bool:
        return bool(piece) and all(c.isascii() and not c.isspace() for c in piece)

    parts = re.split(r"( +)", text)
    out = [parts[0]]
    for k in range(1, len(parts) - 1, 2):
        # after a `;`/`,` a new item starts: `a@x.dk;Sune Dalgaard` keeps the name's space
        left_tail = re.split(r"[^\x21-\x7e]|[,;]", out[-1])[-1]
        right_head = re.split(r"[^\x21-\x7e]", parts[k + 1])[0]
        if ascii_run(left_tail) and ascii_run(right_head) and re.search(r"[/@_]", left_tail + right_head):
            out[-1] += parts[k + 1]
        else:
            out.extend([parts[k], parts[k + 1]])
    return "".join(out)


def fix_phone_digits(text: str) -> str:
    """In a phone number, `O`/`o` is `0` and `l`/`I` is `1`; spaces are kept (they are printed)."""
    def digits(m: re.Match) -> str:
        s = m.group(0)
        if sum(c.isdigit() for c in s) < 6:
            return s
        return s.translate(str.maketrans("OoIl", "0011"))

    return PHONE_LOOSE.sub(digits, text)


OCR_FIXES: dict[str, Callable[[str], str]] = {
    "dash_read_as_yi": fix_dash_read_as_yi,
    "dot_comma": fix_dot_comma,
    "dot_before_unit": fix_dot_before_unit,
    "times_for_x": fix_times_for_x,
    "title_space": fix_title_space,
    "lone_o_at_end": fix_lone_o_at_end,
    "half_width_semicolon": fix_half_width_semicolon,
    "colon_in_address": fix_colon_in_address,
    "addresses": fix_addresses,
    "phone_digits": fix_phone_digits,
}


def fix_ocr_text(text: str, fixes: tuple[str, ...] = tuple(OCR_FIXES)) -> str:
    for name in fixes:
        text = OCR_FIXES[name](text)
    return text


# --- recognised text → characters ------------------------------------------------------------

@dataclass
class OcrLine:
    """One text line as the engine read it, in PDF points (origin top-left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    centers: list[float]  # x of each character of text
    confidences: list[float]  # per character of text

    @property
    def confidence(self) -> float:
        return min(self.confidences) if self.confidences else 0.0


def blank_run(ink_columns, left: float, right: float) -> int:
    """The widest run of ink-free columns between x=left and x=right of a line image."""
    run = best = 0
    for col in range(max(int(left), 0), min(int(right), len(ink_columns))):
        run = 0 if ink_columns[col] else run + 1
        best = max(best, run)
    return best


def is_word_space(a: str, b: str, engine_space: bool, blank: float, pitch: float) -> bool:
    """Whether two Latin characters are two words, from the line image (sizes as fractions of line height).

    blank: the widest ink-free run between them; pitch: the distance between their centres.
    A word space adds a blank of ~0.35 and a pitch of ~0.65 and more; inside a word blanks
    stay under ~0.3 (a fixed-pitch `I` or `m m`) and the pitch under ~0.5. The engine both
    drops spaces (`MartinKyvsgaard`) and invents them (`program mes`): its space is kept
    only when the image shows a gap, and one is added only when the image clearly does, or
    shows some gap where a new capitalised word starts (`nK` of a name, `Dr.I`): words do
    not change case inside (`McDonald` is set tight).
    """
    if a.isdigit() and b.isdigit():  # a fixed-pitch `1` leaves wide blanks: only the pitch tells (`1 1` is 11)
        return pitch >= ADD_SPACE_PITCH
    if b.isupper() and (a.islower() or a == ".") and blank >= KEEP_SPACE_BLANK:
        return True
    if a.isupper() and b.isupper():  # an acronym (JICA, CCUS) is set tight, its capitals wide: both signs needed
        return blank >= ADD_SPACE_BLANK and pitch >= CAPS_SPACE_PITCH
    if engine_space:
        return blank >= ADD_SPACE_BLANK or pitch >= ADD_SPACE_PITCH
    return blank >= ADD_SPACE_BLANK and pitch >= ADD_SPACE_PITCH


def respace_latin(text: str, centers: list[float], confidences: list[float], ink_columns, height_px: float):
    """Text with spaces between Latin characters where the line image shows word gaps.

    Beside CJK text the engine's own spaces are kept, as the PDF reader keeps a text
    layer's; between two Han characters there is never one.
    """
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    out, out_c, out_p = [], [], []
    for k, i in enumerate(keep):
        if k:
            j = keep[k - 1]
            a, b = text[j], text[i]
            engine_space = i - j > 1
            if _LATIN.match(a) and _LATIN.match(b):
                blank = blank_run(ink_columns, centers[j], centers[i]) / height_px
                space = is_word_space(a, b, engine_space, blank, (centers[i] - centers[j]) / height_px)
            else:
                space = engine_space and not (is_cjk_char(a) and is_cjk_char(b))
            if space:
                out.append(" ")
                out_c.append((centers[j] + centers[i]) / 2)
                out_p.append(min(confidences[j], confidences[i]))
        out.append(text[i])
        out_c.append(centers[i])
        out_p.append(confidences[i])
    return "".join(out), out_c, out_p


def is_cjk_char(ch: str) -> bool:
    from ..text import is_cjk

    return is_cjk(ch)


def _in_address(text: str, i: int) -> bool:
    """text[i] sits in a run of ASCII that holds @ or / (an e-mail or URL): its dots are real."""
    left = re.search(r"[\x21-\x7e]*$", text[:i]).group(0)
    right = re.match(r"[\x21-\x7e]*", text[i + 1:]).group(0)
    return bool(re.search(r"[@/]", left + right))


SPECK_DOUBT = 0.6  # a dot read with less confidence than this inside a word is a speck of the scan


def drop_speck_dots(text: str, confidences: list[float]) -> tuple[str, list[float]]:
    """`Tho.mas` → `Thomas`, `(12).大科学` → `(12)大科学`: a `.`/`·` inside a word (or between an item
    number's parenthesis and Chinese text, where a full stop would be `。`) that the engine doubts is a
    speck of dirt on the scan (a real dot in an address or a number is read surely)."""
    keep = []
    for i, ch in enumerate(text):
        inside = 0 < i < len(text) - 1 and confidences[i] < SPECK_DOUBT and not _in_address(text, i)
        if inside and ((ch == "." and text[i - 1].isalnum() and text[i + 1].isalnum())
                       or (ch == "." and text[i - 1] in ")）" and is_cjk_char(text[i + 1]))
                       or (ch == "·" and not text[i - 1].isspace() and not text[i + 1].isspace())):
            continue
        keep.append(i)
    return "".join(text[i] for i in keep), [confidences[i] for i in keep]


FULL_STOP_DOUBT = 0.7  # a final o/0 read with less confidence than this after Latin text is a 。


def final_round_glyph_to_full_stop(text: str, confidences: list[float]) -> str:
    """`thh@rcn.noo` → `thh@rcn.no。`, `2021.htm10` → `2021.htm1。`: a `。` closing a line after an
    address is read as a Latin `o`/`0` glued to it, and the engine is unsure of that glyph."""
    if len(text) >= 2 and text[-1] in "oO0" and text[-2].isascii() and text[-2].isalnum() \
            and confidences and confidences[-1] < FULL_STOP_DOUBT:
        return text[:-1] + "。"
    return text


ADDRESS_LINE_END = re.compile(r"(?:(?:https?|ftp)://|www\.|[A-Za-z0-9._%+\-]+@)[\x21-\x7e]*$")
# the ASCII head of the next line, up to where Chinese text starts
CONTINUATION_HEAD = re.compile(r"^[A-Za-z0-9._/\-: ]+(?=[^\x00-\x7f])")


def _engine_marks_in_head(head: str, confidences: list[float]) -> set[int]:
    """Positions in a continuation head the engine made up, each between two letters: a `:` (no URL
    path or e-mail has one there), a doubted `-`/`.`, and a space when it is the head's only one
    (`m me`; an English phrase after an address, `and the NSFC guide：`, keeps its words)."""
    drop = set()
    for i in range(1, len(head) - 1):
        letters = head[i - 1].isascii() and head[i - 1].isalpha() and head[i + 1].isascii() and head[i + 1].isalpha()
        if not letters:  # a time (`14:00`) or a number's parts stay
            continue
        if (head[i] == " " and head.count(" ") == 1) or head[i] == ":" or \
                (head[i] in "-." and confidences[i] < SPECK_DOUBT):
            drop.add(i)
    return drop


def wrapped_address_lines(lines: list[OcrLine]) -> list[OcrLine]:
    """The rest of an address wrapped onto the next line is read as a fresh line, without the address
    around it; fix its head from the line before, which ends inside an e-mail or URL:
    a doubted `.` ending that line is a speck (`what-work-progra.`), a round glyph opening the next
    line after a digit is `0` (`h202` + `o_local` → `0_local`), and what the engine made up in an
    ASCII head that runs straight into Chinese text goes (`m me；`, `m:me；` → `mme；`)."""
    for before, after in zip(lines, lines[1:]):
        if not ADDRESS_LINE_END.search(before.text) or not after.text:
            continue
        if before.text.endswith(".") and before.confidences and before.confidences[-1] < SPECK_DOUBT:
            before.text, before.centers, before.confidences = (before.text[:-1], before.centers[:-1],
                                                               before.confidences[:-1])
        if before.text[-1:].isdigit() and re.match(r"[oO](?=[_./\-0-9])", after.text):
            after.text = "0" + after.text[1:]
        head = CONTINUATION_HEAD.match(after.text)
        if head:
            drop = _engine_marks_in_head(head.group(0), after.confidences)
            keep = [i for i in range(len(after.text)) if i not in drop]
            after.text = "".join(after.text[i] for i in keep)
            after.centers = [after.centers[i] for i in keep]
            after.confidences = [after.confidences[i] for i in keep]
    return lines


def _realign(old: str, new: str, values: list[float]) -> list[float]:
    """Per-character values of old carried over to new (after a fix changed a few characters)."""
    import difflib

    out: list[float] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(values[i1:i2])
        else:
            span = values[i1:i2] or values[max(i1 - 1, 0):i1 + 1] or [values[-1] if values else 0.0]
            for k in range(j2 - j1):
                out.append(span[min(k * len(span) // max(j2 - j1, 1), len(span) - 1)])
    return out


def line_to_chars(line: OcrLine, size: float) -> list[dict]:
    """A recognised line → raw char dicts; character boxes split the line at midpoints between centres."""
    n = len(line.text)
    chars = []
    for i, ch in enumerate(line.text):
        left = line.x0 if i == 0 else (line.centers[i - 1] + line.centers[i]) / 2
        right = line.x1 if i == n - 1 else (line.centers[i] + line.centers[i + 1]) / 2
        chars.append({"text": ch, "x0": left, "x1": max(right, left + 0.1), "top": line.top, "bottom": line.bottom,
                      "size": size, "fontname": "OCR", "upright": True, "matrix": (1, 0, 0, 1, 0, 0),
                      "non_stroking_color": None, "confidence": round(line.confidences[i], 4)})
    return chars


def lines_to_chars(lines: list[OcrLine]) -> list[dict]:
    """Every line's characters, sizes estimated from box heights and snapped to the page's usual size."""
    if not lines:
        return []
    raw = [(ln.bottom - ln.top) * SIZE_PER_BOX_HEIGHT for ln in lines]
    body = sorted(raw)[len(raw) // 2]
    body = round(body * 2) / 2
    heights = sorted(ln.bottom - ln.top for ln in lines)
    body_height = heights[len(heights) // 2]
    chars = []
    for ln, size in zip(lines, raw):
        if size <= body * (1 + BODY_SIZE_TOLERANCE):
            # a body line's box is as high as its glyphs (Latin-only lines are lower): give every body
            # line the usual height about its centre, so line pitch and gaps measure true
            size, middle = body, (ln.top + ln.bottom) / 2
            ln = OcrLine(ln.text, ln.x0, middle - body_height / 2, ln.x1, middle + body_height / 2, ln.centers,
                         ln.confidences)
        else:
            size = round(size * 2) / 2
        chars.extend(line_to_chars(ln, size))
    return chars


# --- the engine ------------------------------------------------------------------------------

def recognise_image(image, scale: float, engine=None) -> list[OcrLine]:
    """OCR an RGB numpy image rendered at `scale` pixels per point → lines in PDF points."""
    import numpy as np

    engine = engine or load_engine()
    height, width = image.shape[:2]
    det_ratio = min(1.0, DETECT_DPI / (scale * 72))
    import cv2

    small = cv2.resize(image, (max(1, int(width * det_ratio)), max(1, int(height * det_ratio))),
                       interpolation=cv2.INTER_AREA) if det_ratio < 1 else image
    boxes, _ = engine.text_det(small)
    if boxes is None or len(boxes) == 0:
        return []
    boxes = engine.sorted_boxes(boxes)
    boxes = [np.array(b, dtype=np.float32) / det_ratio for b in boxes]
    crops = engine.get_crop_img_list(image, boxes)
    results, _ = engine.text_rec(crops, True)
    lines = []
    for box, crop, result in zip(boxes, crops, results):
        text, _mean, info = result
        if not text.strip():
            continue
        n_cols, _words, word_cols, _states, confs = info
        cols = [c for word in word_cols for c in word]
        if len(cols) != len(text) or len(confs) != len(text):
            continue
        crop_h, crop_w = crop.shape[:2]
        centers_crop = [(c + 0.5) / n_cols * crop_w for c in cols]
        # ink profile of the rectified line image; the outer rows are padding (or a neighbour's descenders)
        line_gray = crop.mean(axis=2) if crop.ndim == 3 else crop
        core = line_gray[int(crop_h * 0.15):max(int(crop_h * 0.85), int(crop_h * 0.15) + 1)]
        lo, hi = float(core.min()), float(core.max())
        ink = (core < (lo + hi) / 2).any(axis=0) if hi - lo > 30 else np.zeros(crop_w, dtype=bool)
        spaced, centers_crop, confs = respace_latin(text, centers_crop, list(confs), ink, crop_h)
        kept_text, kept_confs = drop_speck_dots(spaced, confs)
        centers_crop = _realign(spaced, kept_text, centers_crop)
        spaced, confs = kept_text, kept_confs
        xs, ys = box[:, 0], box[:, 1]
        x0, x1, top, bottom = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        scale_x = (x1 - x0) / max(crop_w, 1)
        centers_px = [c * scale_x for c in centers_crop]
        spaced = final_round_glyph_to_full_stop(spaced, confs)
        fixed = fix_ocr_text(spaced)
        centers_px = _realign(spaced, fixed, centers_px)
        confs = _realign(spaced, fixed, confs)
        lines.append(OcrLine(fixed, x0 / scale, top / scale, x1 / scale, bottom / scale,
                             [(x0 + c) / scale for c in centers_px], [float(c) for c in confs]))
    return wrapped_address_lines([ln for ln in lines if ln.text.strip()])


def ocr_page(pdf_page, engine=None) -> tuple[list[dict], int]:
    """OCR one pypdfium2 page → (raw char dicts, the dpi it was rendered at)."""
    import numpy as np

    dpi = render_dpi(embedded_image_dpi(pdf_page))
    scale = dpi / 72
    image = np.asarray(pdf_page.render(scale=scale, grayscale=False).to_pil().convert("RGB"))
    return lines_to_chars(OCR_LINES_HOOK(recognise_image(image, scale, engine), pdf_page)), dpi


def _no_change(lines: list[OcrLine], pdf_page) -> list[OcrLine]:
    return lines


# Tests replace this to alter what the engine read (e.g. one misread digit) and see the gate catch it.
OCR_LINES_HOOK: Callable[[list[OcrLine], object], list[OcrLine]] = _no_change


# --- which pages ------------------------------------------------------------------------------

OCR_MODES = ("auto", "always", "never")


@dataclass
class OcrReport:
    """What OCR did to a document, for layout.json."""

    engine: str
    pages: list[dict]  # {page, reason, dpi, lines}

    def to_dict(self) -> dict:
        return {"engine": self.engine, "pages": self.pages}


def engine_name() -> str:
    from importlib.metadata import version

    return f"rapidocr_onnxruntime {version('rapidocr_onnxruntime')} (PP-OCRv4)"


def ocr_document(doc, mode: str = "auto", progress: Callable[[int, int, int, float], None] | None = None):
    """Replace the characters of every page that needs OCR by what the engine reads there.

    mode auto: pages whose text layer is missing or does not decode (`pdf.page_text_status`);
    always: every page; never: none. Returns (doc, OcrReport or None); doc.pages are
    updated in place. progress(i, n, page, seconds) is called after each OCR'd page.
    """
    import time

    from .pdf import page_text_status

    if mode not in OCR_MODES:
        raise ValueError(f"OCR mode {mode!r}: expected one of {OCR_MODES}")
    if mode == "never":
        return doc, None
    todo = [(page, page_text_status(page)) for page in doc.pages]
    todo = [(page, "forced" if mode == "always" and status == "text" else status)
            for page, status in todo if mode == "always" or status != "text"]
    if not todo:
        return doc, None
    first = todo[0][0].number
    why = N_("page {page} has no text layer (a scan?)") if todo[0][1] == "none" else \
        N_("page {page} has no readable text layer")
    try:
        engine = load_engine()
    except OcrUnavailable:
        if mode == "always":
            raise
        raise OcrUnavailable(N_("{path}: {why}; reading it needs the OCR engine: {hint} "
                                "(or --ocr never to refuse scans)"),
                             path=doc.path, why=Message(why, page=first), hint=INSTALL_HINT) from None
    import pypdfium2

    report = OcrReport(engine_name(), [])
    pdf = pypdfium2.PdfDocument(doc.path)
    try:
        for i, (page, reason) in enumerate(todo, start=1):
            started = time.perf_counter()
            chars, dpi = ocr_page(pdf[page.number - 1], engine)
            page.chars = chars
            lines = len({(c["top"], c["bottom"]) for c in chars})
            report.pages.append({"page": page.number, "reason": {"none": "no text layer",
                                                                  "undecodable": "text layer does not decode",
                                                                  "forced": "--ocr always"}[reason],
                                 "dpi": dpi, "lines": lines})
            if progress:
                progress(i, len(todo), page.number, time.perf_counter() - started)
    finally:
        pdf.close()
    snap_sizes(doc, [page for page, _ in todo])
    return doc, report


def snap_sizes(doc, ocr_pages) -> None:
    """One body size for the whole document: per-page estimates differ by a point, which would
    split paragraphs at page breaks. Text-layer pages, when there are any, set it."""
    from statistics import median

    ocr_numbers = {p.number for p in ocr_pages}
    text_sizes = [c["size"] for p in doc.pages if p.number not in ocr_numbers for c in p.chars if c["text"].strip()]
    ocr_sizes = [c["size"] for p in ocr_pages for c in p.chars]
    if not ocr_sizes:
        return
    body = median(ocr_sizes)
    target = round(median(text_sizes) * 2) / 2 if text_sizes else body
    for page in ocr_pages:
        for c in page.chars:
            if c["size"] <= body * (1 + BODY_SIZE_TOLERANCE):
                c["size"] = target
            else:
                c["size"] = round(c["size"] * target / body * 2) / 2
