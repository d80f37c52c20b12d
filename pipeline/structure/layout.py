"""Layout stage, part 1: PDF characters → text lines.

pdfplumber's own `extract_text` inserts spaces between CJK characters that justified
text spreads apart, so lines are built here from `page.chars`.

Line record (`Line`):

| field     | meaning                                                                  |
|-----------|--------------------------------------------------------------------------|
| page      | 1-based page number                                                      |
| text      | the line's text; a space only where the PDF has one or Latin words part  |
| x0, top, x1, bottom | bounding box in PDF points, origin top-left (pdfplumber's)     |
| font      | the most common font name on the line, subset prefix removed             |
| size      | the most common font size on the line                                    |
| boxes     | per character of `text`, its (x0, top, x1, bottom) or None for a space   |
| confidences | per character of `text`, the OCR engine's confidence (None: a text layer) |
| readings  | per character, on a page that came with someone else's OCR layer: foreign (read from that layer, unchecked), agrees / disagrees (our OCR, compared with it); empty elsewhere |
| block     | a paragraph of its own: a ruled table's row read as `label：value` (structure/tables.py) |

Characters that are not body text are dropped before lines are built: rotated or
skewed text, very light text and text far larger than the body size — the
watermarks that re-posting sites stamp on every page — and glyphs that are never seen
(an invisible render mode, or drawn under an image; a whole hidden layer is someone
else's OCR, which reading/foreign.py deals with first).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import is_cjk, is_han

Box = tuple[float, float, float, float]


@dataclass(slots=True)  # a page has thousands: slots halve their memory and speed their reads
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    confidence: float | None = None  # set when the character was read by OCR
    reading: str | None = None  # on a page with someone else's text layer: foreign, agrees, disagrees (reading/foreign)

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    font: str
    size: float
    boxes: list[Box | None] = field(default_factory=list, repr=False)
    trailing_space: bool = False  # the PDF has a space after the last glyph (a break at a space)
    confidences: list[float | None] = field(default_factory=list, repr=False)
    block: bool = False  # a paragraph of its own: a ruled table's row (structure/tables.py)
    readings: list[str | None] = field(default_factory=list, repr=False)  # per character: see Char.reading

    @property
    def ocr_confidence(self) -> float | None:
        """The lowest OCR confidence of the line's characters; None when it came from a text layer."""
        read = [c for c in self.confidences if c is not None]
        return min(read) if read else None

    def to_dict(self) -> dict:
        out = {
            "page": self.page,
            "text": self.text,
            "bbox": [round(v, 2) for v in (self.x0, self.top, self.x1, self.bottom)],
            "font": self.font,
            "size": round(self.size, 2),
        }
        if self.ocr_confidence is not None:
            out["ocr"] = {"confidence": round(self.ocr_confidence, 3)}
        if "foreign" in self.readings:
            out["ocr"] = {"source": "foreign text layer"}
        elif "disagrees" in self.readings:
            out.setdefault("ocr", {})["foreign_layer"] = "disagrees"
        if self.block:
            out["table_row"] = True
        return out


@dataclass
class Dropped:
    """Text that was removed from the body, with the reason (for the layout report)."""

    page: int
    text: str
    reason: str
    bbox: Box

    def to_dict(self) -> dict:
        return {"page": self.page, "text": self.text, "reason": self.reason,
                "bbox": [round(v, 2) for v in self.bbox]}


# --- which characters are body text ----------------------------------------------------------

LIGHT_LUMINANCE = 0.72  # gray watermarks are typically 0.75–0.9; body text is black or dark
OVERSIZE_RATIO = 2.2  # titles reach ~1.5× the body size; watermarks are 3× and more


_LUMINANCE: dict = {}  # colour → luminance: a page has a few colours and thousands of glyphs


def color_luminance(color) -> float | None:
    """Luminance 0 (black) … 1 (white) of a pdfplumber colour tuple (gray, RGB or CMYK)."""
    try:
        return _LUMINANCE[color]
    except (KeyError, TypeError):  # not seen yet, or a list (unhashable)
        pass
    lum = _luminance(color)
    if len(_LUMINANCE) < 4096:
        try:
            _LUMINANCE[color] = lum
        except TypeError:
            pass
    return lum


def _luminance(color) -> float | None:
    if color is None:
        return None
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        values = [float(v) for v in color]
    except (TypeError, ValueError):
        return None  # pattern colours and the like: no opinion
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(values) == 4:
        c, m, y, k = values
        return 0.299 * (1 - c) * (1 - k) + 0.587 * (1 - m) * (1 - k) + 0.114 * (1 - y) * (1 - k)
    return None


def is_rotated(raw: dict) -> bool:
    matrix = raw.get("matrix") or (1, 0, 0, 1, 0, 0)
    a, b, c, d = matrix[0], matrix[1], matrix[2], matrix[3]
    return not raw.get("upright", True) or abs(b) > 1e-3 or abs(c) > 1e-3 or a <= 0 or d <= 0


LEAD_CHARS = 3000  # the guideline's own text comes first: about two pages of it fix the body size


def body_font_size(raw_chars: list[dict], lead: int = LEAD_CHARS) -> float:
    """The size most of the document's first `lead` characters are set in (rounded to half points).

    Only the leading text votes: an annex after the guideline (application forms in
    10.5 pt, often longer than the guideline itself) must not set the body size.
    """
    visible = [c for c in raw_chars if c["text"].strip()][:lead]
    sizes = Counter(round(c["size"] * 2) / 2 for c in visible)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def non_body_reason(raw: dict, body_size: float) -> str | None:
    """Why a character is not body text, or None when it is."""
    if raw.get("hidden"):
        return "invisible"  # never seen on the page (a few hidden glyphs; a hidden layer is reading/foreign's)
    if is_rotated(raw):
        return "rotated"
    lum = color_luminance(raw.get("non_stroking_color"))
    if lum is not None and lum > LIGHT_LUMINANCE:
        return "light"
    if raw["size"] > OVERSIZE_RATIO * body_size:
        return "oversized"
    return None


@lru_cache(maxsize=1024)
def _strip_subset(fontname: str) -> str:
    # "FAAAAA+NotoSerifCJKjp-Regular" → "NotoSerifCJKjp-Regular"
    return fontname.split("+", 1)[1] if "+" in fontname[:8] else fontname


def raw_chars_to_chars(raw_chars: list[dict], body_size: float, page: int) -> tuple[list[Char], list[Dropped]]:
    kept: list[Char] = []
    append = kept.append
    dropped: dict[str, list[dict]] = {}
    reasons: dict[tuple, str | None] = {}  # what decides non_body_reason → its answer: glyphs of a run share it
    for raw in raw_chars:
        text = raw["text"]
        if not text:
            continue
        matrix = raw.get("matrix") or (1, 0, 0, 1)
        # every value non_body_reason reads
        key = (raw.get("hidden"), raw.get("upright", True), matrix[0], matrix[1], matrix[2], matrix[3],
               raw.get("non_stroking_color"), raw["size"])
        try:
            reason = reasons[key]
        except KeyError:
            reason = reasons[key] = non_body_reason(raw, body_size)
        except TypeError:  # a colour given as a list
            reason = non_body_reason(raw, body_size)
        if reason:
            dropped.setdefault(reason, []).append(raw)
            continue
        append(Char(text, raw["x0"], raw["top"], raw["x1"], raw["bottom"], raw["size"],
                    _strip_subset(raw.get("fontname", "")), raw.get("confidence"), raw.get("reading")))
    report = []
    for reason, chars in dropped.items():
        text = "".join(c["text"] for c in chars).strip()
        box = (min(c["x0"] for c in chars), min(c["top"] for c in chars),
               max(c["x1"] for c in chars), max(c["bottom"] for c in chars))
        if text:
            report.append(Dropped(page, text[:200], reason, box))
    return kept, report


# --- characters → lines ----------------------------------------------------------------------

def _group_rows(chars: list[Char]) -> list[list[Char]]:
    """Group characters whose vertical centres agree (tolerant of mixed sizes on one line)."""
    rows: list[list[Char]] = []
    row: list[Char] = []
    center = size = 0.0  # of the row being built
    # sorted by (centre, x0), ties in the page's order
    for c, _, _, ch in sorted([((ch.top + ch.bottom) / 2, ch.x0, i, ch) for i, ch in enumerate(chars)]):
        if row and abs(c - center) < 0.45 * min(ch.size, size):
            row.append(ch)
            center += (c - center) / len(row)
            size = max(size, ch.size)
        else:
            row = [ch]
            rows.append(row)
            center, size = c, ch.size
    return rows


LATIN_SPACE_GAP = 0.22  # of the font size: a gap this much wider than the line's letter spacing is a word space


def _lower_quartile(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 4]


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def latin_space_gap(row: list[Char]) -> float:
    """The gap (as a fraction of the font size) above which two Latin glyphs of this line are two words.

    Judged against the line's own letter spacing: character spacing (Word, 0.5–3 pt) and
    distributed justification (WPS 分散对齐, ReportLab placing each glyph) put the same gap
    between every two glyphs, Latin letters and digits too. The spacing is read from the
    line's Latin glyphs when it has a few (their lower quartile: most gaps are inside words),
    else from all its glyphs (the median: a short number inside Chinese text, 不超过10个);
    a word space is a gap clearly wider than that.
    """
    glyphs = [c for c in row if not c.text.isspace()]
    latin, every = [], []
    for a, b in zip(glyphs, glyphs[1:]):
        gap = (b.x0 - a.x1) / (a.size if a.size < b.size else b.size)
        if gap < -0.5:  # a glyph drawn over another (emulated bold): no spacing to learn from
            continue
        every.append(gap)
        if not (is_cjk(a.text[-1:]) or is_cjk(b.text[:1])):
            latin.append(gap)
    if len(latin) >= 3:
        spacing = _lower_quartile(latin)
    elif len(every) >= 3:
        spacing = _median(every)
    elif every and max(every) - min(every) < 0.1:
        # two or three glyphs, evenly spread (a short last line stretched by 分散对齐): nothing tells
        # letter spacing from word spacing, and a space invented inside an address changes it
        return float("inf")
    else:
        spacing = 0.0
    return max(spacing, 0.0) + LATIN_SPACE_GAP


def row_to_line(row: list[Char], page: int) -> Line | None:
    # in reading order by the glyphs' centres: a glyph whose box starts before its neighbour's (a full-width
    # quote trimmed to half width after a bracket, as browsers set “电转 X” after "(") still follows it
    row = sorted(row, key=lambda c: (c.x0 + c.x1) / 2)
    word_gap = latin_space_gap(row)
    text: list[str] = []
    boxes: list[Box | None] = []
    confidences: list[float | None] = []
    readings: list[str | None] = []
    prev: Char | None = None
    pending_space = False
    for ch in row:
        t = ch.text
        if t.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            # bold emulated by drawing a glyph twice at (nearly) the same place
            if t == prev.text and abs(ch.x0 - prev.x0) < 0.15 * ch.size:
                continue
            a, b = prev.text[-1], t[0]
            if is_han(a) and is_han(b):
                space = False  # justification spreads (or pads) ideographs; Chinese has no word spaces
            elif is_cjk(a) or is_cjk(b):
                space = pending_space  # keep the spaces the source put beside Latin text
            elif "@" in (a, b):
                space = pending_space  # no address has a space beside its @: never one by geometry
            else:
                space = pending_space or (ch.x0 - prev.x1) > word_gap * min(ch.size, prev.size)
            if space:
                text.append(" ")
                boxes.append(None)
                confidences.append(None)
                readings.append(None)
        box = (ch.x0, ch.top, ch.x1, ch.bottom)
        if len(t) == 1:
            text.append(t)
            boxes.append(box)
            confidences.append(ch.confidence)
            readings.append(ch.reading)
        else:
            for piece in t:  # ligatures arrive as several letters in one glyph
                text.append(piece)
                boxes.append(box)
                confidences.append(ch.confidence)
                readings.append(ch.reading)
        prev = ch
        pending_space = False
    if not text:
        return None
    glyphs = [c for c in row if not c.text.isspace()]
    font = _most_common([c.font for c in glyphs])
    size = _most_common([round(c.size, 1) for c in glyphs])
    return Line(page, "".join(text), min([c.x0 for c in glyphs]), min([c.top for c in glyphs]),
                max([c.x1 for c in glyphs]), max([c.bottom for c in glyphs]), font, size, boxes,
                trailing_space=pending_space, confidences=confidences,
                readings=readings if any(readings) else [])


def _most_common(values: list):
    """Counter(values).most_common(1)'s value (the first seen of the most frequent), fast when all agree."""
    first = values[0]
    if values.count(first) == len(values):
        return first
    return Counter(values).most_common(1)[0][0]


def chars_to_lines(chars: list[Char], page: int) -> list[Line]:
    """Characters of one page → lines, top to bottom."""
    lines = [row_to_line(row, page) for row in _group_rows(chars)]
    return sorted((ln for ln in lines if ln), key=lambda ln: (ln.top, ln.x0))
