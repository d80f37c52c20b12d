"""Recognised text lines: the record the engine's reading becomes, word spaces from the line
image, and lines → the raw characters the PDF reader gives.

Each recognised character becomes a raw char dict like `pdf._page_chars` produces (`text`,
`x0`, `x1`, `top`, `bottom` in PDF points, `size`, `fontname`, …) plus `confidence` (the
recogniser's probability for that character, 0…1), so layout, furniture, paragraphs,
outline and records run unchanged on it. Nothing here changes what it is given: every
step returns new lines or chars.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ...text import is_cjk

SIZE_PER_BOX_HEIGHT = 1 / 1.3  # font size ≈ detected box height / 1.3 (boxes are padded)
# word spaces between Latin characters (fractions of the line box height; see is_word_space)
KEEP_SPACE_BLANK = 0.2  # before a capital
ADD_SPACE_BLANK = 0.3
ADD_SPACE_PITCH = 0.6
CAPS_SPACE_PITCH = 0.8  # capitals are wide: two of an acronym stand ~0.67 apart (CC|US), two words ~1.0
# a font's word space is narrower than the blanks above in some faces (Times / Liberation Serif: ~0.2): a blank
# this many times the line's usual blank between two letters, and at least WORD_GAP_MIN_BLANK, is a word space
WORD_GAP_RATIO = 3.0
WORD_GAP_MIN_BLANK = 0.15
# … at a shorter pitch too when the blank is at least WIDE_GAP_MIN_BLANK: the engine's centres come in steps of
# ~1/6 of the line height, and a lost space's letters may be set a step closer (`dela` for `de la`: blank 0.28
# against a usual 0.08, pitch 0.5, on a blurred 250-dpi scan); inside a word no blank is that wide
WIDE_GAP_MIN_BLANK, WIDE_GAP_PITCH = 0.25, 0.45  # three of those steps
LETTER_BLANK_FLOOR = 0.04  # a proportional face's letters nearly touch: a usual blank under this counts as this
# a blob of ink no wider and no taller than this (of the line box height, and at least SPECK_LEAST pixels) is a
# speck (dust, salt-and-pepper noise, a JPEG block's ringing), not a glyph: a full stop stands 0.07 and more
SPECK_SIZE, SPECK_LEAST = 0.04, 2
BODY_SIZE_TOLERANCE = 0.2  # lines up to 20 % larger than the page's usual size are body text (Latin-only
# and short lines have lower boxes than CJK ones, so smaller is body text too)

LATIN_RUN_CHAR = re.compile(r"[A-Za-z0-9@._%+\-/:#?=&~]")


@dataclass(frozen=True)
class Change:
    """One fix that changed a line: which rule, and the line's text before and after it."""

    fix: str
    before: str
    after: str

    def to_dict(self) -> dict:
        return {"fix": self.fix, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Span:
    """Characters start:end of the page's line number `line`, as first read (text): a run of letters or an
    address to read a second time."""

    line: int  # index of the line in the page's lines
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class OcrLine:
    """One text line as the engine read it, in PDF points (origin top-left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    centers: list[float]  # x of each character of text
    confidences: list[float]  # per character of text
    changes: tuple[Change, ...] = ()  # the fixes applied to what the engine read, in order
    slope: float = 0.0  # of the line's box as the detector found it (dy/dx, y down): a tilted scan's lines slope

    @property
    def confidence(self) -> float:
        return min(self.confidences) if self.confidences else 0.0

    def with_text(self, text: str, fix: str, confidences: list[float] | None = None) -> "OcrLine":
        """This line with its text changed by fix; centres (and confidences, unless given) carried over."""
        if text == self.text:
            return self
        confidences = confidences if confidences is not None else realign(self.text, text, self.confidences)
        return dataclasses.replace(self, text=text, centers=realign(self.text, text, self.centers),
                                   confidences=list(confidences),
                                   changes=self.changes + (Change(fix, self.text, text),))


def realign(old: str, new: str, values: list[float]) -> list[float]:
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


# --- word spaces from the line image ---------------------------------------------------------

def without_specks(ink, most: int):
    """ink (a boolean image) without its blobs no wider and no taller than `most` pixels: a speck in a word
    space cuts its blank in two, and the space was lost (`GiuliaBianchi`, `Pietervander` on a speckled scan)."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if count <= 1:
        return ink
    speck = (stats[:, cv2.CC_STAT_WIDTH] <= most) & (stats[:, cv2.CC_STAT_HEIGHT] <= most)
    speck[0] = False  # the paper
    return ink & ~speck[labels]


def ink_columns(core, box_height: float):
    """Which columns of a line image's core band (grey levels) hold ink: darker than half-way between its
    lightest and darkest pixel, specks aside (`without_specks`); none when the band has no contrast."""
    import numpy as np

    lo, hi = float(core.min()), float(core.max())
    if hi - lo <= 30:
        return np.zeros(core.shape[1], dtype=bool)
    most = max(SPECK_LEAST, int(SPECK_SIZE * box_height))
    return without_specks(core < (lo + hi) / 2, most).any(axis=0)


def blank_run(ink_columns, left: float, right: float) -> int:
    """The widest run of ink-free columns between x=left and x=right of a line image."""
    run = best = 0
    for col in range(max(int(left), 0), min(int(right), len(ink_columns))):
        run = 0 if ink_columns[col] else run + 1
        best = max(best, run)
    return best


def is_word_space(a: str, b: str, engine_space: bool, blank: float, pitch: float,
                  usual_blank: float | None = None) -> bool:
    """Whether two Latin characters are two words, from the line image (sizes as fractions of line height).

    blank: the widest ink-free run between them; pitch: the distance between their centres.
    A word space adds a blank of ~0.35 and a pitch of ~0.65 and more; inside a word blanks
    stay under ~0.3 (a fixed-pitch `I` or `m m`) and the pitch under ~0.5. The engine both
    drops spaces (`MartinKyvsgaard`) and invents them (`program mes`): its space is kept
    only when the image shows a gap, and one is added only when the image clearly does, or
    shows some gap where a new capitalised word starts (`nK` of a name, `Dr.I`): words do
    not change case inside (`McDonald` is set tight). usual_blank (the line's median blank between
    two letters) tells a face whose word space is narrow (`Giulia Bianchi` in Times: 0.18 against
    0.04 inside words) from a fixed-pitch one whose letters stand apart (`programmes`: ~0.28 each); a blank
    that wide and at least `WIDE_GAP_MIN_BLANK` needs less pitch.
    """
    if usual_blank is not None and a.isalpha() and b.isalpha() and not (a.isupper() and b.isupper()):
        if blank >= max(WORD_GAP_MIN_BLANK, WORD_GAP_RATIO * max(usual_blank, LETTER_BLANK_FLOOR)) and (
                pitch >= ADD_SPACE_PITCH or blank >= WIDE_GAP_MIN_BLANK and pitch >= WIDE_GAP_PITCH):
            return True
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
    letter_blanks = sorted(blank_run(ink_columns, centers[j], centers[i]) / height_px
                           for j, i in zip(keep, keep[1:]) if i - j == 1 and text[j].isalpha() and text[i].isalpha()
                           and text[j].isascii() and text[i].isascii())
    usual = letter_blanks[len(letter_blanks) // 2] if len(letter_blanks) >= 5 else None
    out, out_c, out_p = [], [], []
    for k, i in enumerate(keep):
        if k:
            j = keep[k - 1]
            a, b = text[j], text[i]
            engine_space = i - j > 1
            if LATIN_RUN_CHAR.match(a) and LATIN_RUN_CHAR.match(b):
                blank = blank_run(ink_columns, centers[j], centers[i]) / height_px
                space = is_word_space(a, b, engine_space, blank, (centers[i] - centers[j]) / height_px, usual)
            else:
                space = engine_space and not (is_cjk(a) and is_cjk(b))
            if space:
                out.append(" ")
                out_c.append((centers[j] + centers[i]) / 2)
                out_p.append(min(confidences[j], confidences[i]))
        out.append(text[i])
        out_c.append(centers[i])
        out_p.append(confidences[i])
    return "".join(out), out_c, out_p


# --- lines → characters ----------------------------------------------------------------------

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


SKEW_LONG = 6  # a line this many times as wide as high tells the page's tilt (its slope is measured over its width)
SKEW_FEWEST = 3  # long lines needed to tell it
SKEW_IGNORED = 0.002  # a slope under this (0.1°) moves nothing by a tenth of a point over a line: left alone
SKEW_MOST = 0.06  # a slope past this (3.4°) is no scan's tilt but a line's own (a stamp's arc): left alone


def page_slope(lines: list[OcrLine]) -> float:
    """The page's tilt (dy/dx) as its long lines' median slope; 0 when too few tell it, or it is negligible."""
    from statistics import median

    long = [ln.slope for ln in lines if ln.x1 - ln.x0 >= SKEW_LONG * max(ln.bottom - ln.top, 1e-6)]
    if len(long) < SKEW_FEWEST:
        return 0.0
    slope = median(long)
    return slope if SKEW_IGNORED <= abs(slope) <= SKEW_MOST else 0.0


def text_height(line: OcrLine, slope: float) -> float:
    """The height of a line's text on a page tilted by slope (dy/dx): the box of a level line of height h,
    tilted, is h·cos + width·|sin| high (a long line's box is much taller than its text)."""
    import math

    theta = math.atan(slope)
    box = line.bottom - line.top
    return max((box - (line.x1 - line.x0) * abs(math.sin(theta))) / math.cos(theta), 0.5 * box)


def deskewed(lines: list[OcrLine]) -> list[OcrLine]:
    """A tilted scan's lines as on the page turned level (about its origin): every line's box, centres and
    height as they would be, so the left edge, the line pitch and the body size measure true (tilted 0.7°,
    a page's lines drift 10 pt right from top to bottom, and a long line's box grows by 5 pt)."""
    import math

    slope = page_slope(lines)
    if not slope:
        return lines
    theta = math.atan(slope)
    cos, sin = math.cos(theta), math.sin(theta)
    out = []
    for ln in lines:
        middle_x, middle_y = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
        height = text_height(ln, slope)
        y = -middle_x * sin + middle_y * cos
        shift = middle_y * sin  # x moves by y·sin at the line's height (x·cos ≈ x: under 0.1 pt at 3°)
        out.append(dataclasses.replace(
            ln, x0=ln.x0 * cos + shift, x1=ln.x1 * cos + shift, top=y - height / 2, bottom=y + height / 2,
            centers=[c * cos + shift for c in ln.centers], slope=ln.slope - slope))
    return out


def lines_to_chars(lines: list[OcrLine]) -> list[dict]:
    """Every line's characters (on a tilted scan, as on the page turned level: `deskewed`), sizes estimated
    from box heights and snapped to the page's usual size."""
    if not lines:
        return []
    lines = deskewed(lines)
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
            ln = dataclasses.replace(ln, top=middle - body_height / 2, bottom=middle + body_height / 2)
        else:
            size = round(size * 2) / 2
        chars.extend(line_to_chars(ln, size))
    return chars


def snap_sizes(ocr_chars: dict[int, list[dict]], text_chars: list[dict]) -> dict[int, list[dict]]:
    """One body size for the whole document: per-page estimates differ by a point, which would
    split paragraphs at page breaks. Text-layer pages (text_chars), when there are any, set it.

    ocr_chars: page number → that OCR'd page's chars; returns new chars, the same keys."""
    from statistics import median

    ocr_sizes = [c["size"] for chars in ocr_chars.values() for c in chars]
    if not ocr_sizes:
        return ocr_chars
    text_sizes = [c["size"] for c in text_chars if c["text"].strip()]
    body = median(ocr_sizes)
    target = round(median(text_sizes) * 2) / 2 if text_sizes else body

    def snapped(size: float) -> float:
        return target if size <= body * (1 + BODY_SIZE_TOLERANCE) else round(size * target / body * 2) / 2

    return {number: [{**c, "size": snapped(c["size"])} for c in chars] for number, chars in ocr_chars.items()}
