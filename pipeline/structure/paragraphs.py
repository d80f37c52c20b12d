"""Layout stage, part 3: body lines → paragraphs, across line wraps and page breaks.

Paragraph record (`Paragraph`):

| field  | meaning                                                                   |
|--------|---------------------------------------------------------------------------|
| index  | 0-based position in the document                                          |
| text   | the joined text (see `join_lines` for what goes between two lines)        |
| lines  | the `Line`s it was made of (pages and boxes for provenance); none for Word |
| size   | font size of its first line; `font` likewise                              |
| source_paragraph | Word, web page: the paragraph's index in the .docx or among the page's paragraphs (its provenance) |
| css_path | web page only: the CSS path of its element (provenance, with source_paragraph) |

Paragraphs of a Word file come whole from the file (`texts_to_paragraphs`); a PDF's are
built from lines here (`lines_to_paragraphs`). Both give the same records downstream.

A new paragraph starts where a line is indented past the text's left edge after a line
that ended a sentence or stopped short, where the vertical gap is wider than the line
pitch, where the font size changes, or where a numbered item, direction or field label
starts after a line that ended a sentence or stopped short; a field label also after a line
that closes a title (`《…》`), and a numbered line after one that ends in an e-mail or URL
(a scan's reading may have lost the full stop between them).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .layout import Box, Line
from .markers import starts_block, starts_label
from ..text import is_cjk, is_han

TERMINAL = "。；;：:！!？?"
CLOSING = "》"  # what closes an agreement's title
# a field's label, short, opening the line (合作协议：, 领域方向：, 拟支持项目数：): not a phrase ending in a colon
LABEL_AFTER_TITLE = re.compile(r"^\s*[\u4e00-\u9fff]{2,7}\s*[:：]")
# an item's or a direction's number before Han text (not an amount or a date: 10个, 2024年, 2万元)
NUMBERED_HAN = re.compile(r"^\s*(?:[(（]\d{1,2}[)）]|\d{1,2}\s*[.．,，、·:：]?\s*\d{1,2}\s*[.．、]?)\s*"
                          r"(?![年月日个万亿元名人次期%％]|项(?!目))[\u4e00-\u9fff]")
# a line that ends in an e-mail address or a URL (ASCII to the end: no Chinese text after it)
ADDRESS_AT_LINE_END = re.compile(r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?|ftp)://[\x21-\x7e]+)[.。]?$", re.ASCII)


@dataclass
class Paragraph:
    index: int
    text: str
    lines: list[Line] = field(repr=False)
    boxes: list[tuple[int, Box] | None] = field(repr=False, default_factory=list)
    confidences: list[float | None] = field(repr=False, default_factory=list)  # OCR, per character of text
    readings: list[str | None] = field(repr=False, default_factory=list)  # foreign text layer, per character
    source_paragraph: int | None = None  # Word, web page: index of the paragraph in the document body
    word_size: float | None = field(default=None, repr=False)  # Word, web page: font size (there are no lines)
    css_path: str | None = None  # web page: the CSS path of the element the paragraph is in

    @property
    def size(self) -> float:
        return self.lines[0].size if self.lines else (self.word_size or 0.0)

    @property
    def font(self) -> str:
        return self.lines[0].font if self.lines else ""

    @property
    def pages(self) -> list[int]:
        return sorted({ln.page for ln in self.lines})

    def locate(self, start: int, end: int) -> list[dict]:
        """Page and bounding box of text[start:end], one entry per page it spans (Word: the paragraph)."""
        if self.source_paragraph is not None:
            where = {"paragraph": self.source_paragraph}
            if self.css_path:
                where["css_path"] = self.css_path
            return [where]
        per_page: dict[int, list[Box]] = {}
        read: dict[int, list[tuple[float, int]]] = {}  # OCR confidences per page, with the character's index
        layer: dict[int, set[str]] = {}  # on a page with someone else's text layer: how each character was read
        lo, hi = max(0, start), max(start, end)
        for k, entry in enumerate(self.boxes[lo:hi], start=lo):
            if entry:
                per_page.setdefault(entry[0], []).append(entry[1])
                if k < len(self.readings) and self.readings[k]:
                    layer.setdefault(entry[0], set()).add(self.readings[k])
                # punctuation is read least surely (；or ;) and matters least: letters, digits and Han count
                if k < len(self.confidences) and self.confidences[k] is not None and self.text[k].isalnum():
                    read.setdefault(entry[0], []).append((self.confidences[k], k))
        out = []
        for page, bs in sorted(per_page.items()):
            loc = {"page": page, "bbox": [round(min(b[0] for b in bs), 2), round(min(b[1] for b in bs), 2),
                                          round(max(b[2] for b in bs), 2), round(max(b[3] for b in bs), 2)]}
            if page in read:  # read by OCR: as sure as its least sure character, which sits in `word`
                confidence, k = min(read[page])
                loc["ocr"] = {"confidence": round(confidence, 3), "word": self.word_at(k, lo, hi)}
            if "foreign" in layer.get(page, ()):  # someone else's OCR, unchecked
                loc["ocr"] = {"source": "foreign text layer"}
            elif layer.get(page):  # our OCR, compared with someone else's layer
                loc.setdefault("ocr", {})["foreign_layer"] = "disagrees" if "disagrees" in layer[page] else "agrees"
            out.append(loc)
        return out

    def word_at(self, k: int, lo: int = 0, hi: int | None = None) -> str:
        """The word around text[k], within [lo, hi): a run of letters of one kind (Latin-script words and
        numbers end at a space or a mark; Han text: four characters either side)."""
        hi = len(self.text) if hi is None else hi
        def is_han(ch: str) -> bool:
            return "\u2e80" <= ch <= "\u9fff"

        han = is_han(self.text[k])

        def same(ch: str) -> bool:
            return is_han(ch) if han else (ch.isalnum() and not is_han(ch)) or ch in "-'’.@_"

        a, b = k, k + 1
        while a > lo and same(self.text[a - 1]) and (not han or k - a < 4):
            a -= 1
        while b < hi and same(self.text[b]) and (not han or b - k < 5):
            b += 1
        return self.text[a:b].strip(".")

    def find(self, needle: str, start: int = 0) -> list[dict]:
        """Provenance of the first occurrence of needle (white space ignored) at or after start."""
        if not needle:
            return []
        span = find_loose(self.text, needle, start)
        return self.locate(*span) if span else self.locate(0, len(self.text))

    def to_dict(self) -> dict:
        if self.source_paragraph is not None:
            out = {"index": self.index, "text": self.text, "source_paragraph": self.source_paragraph,
                   "size": self.size}
            if self.css_path:
                out["css_path"] = self.css_path
            return out
        return {"index": self.index, "text": self.text, "pages": self.pages,
                "font": self.font, "size": self.size,
                "lines": [ln.to_dict() for ln in self.lines]}


def find_loose(haystack: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """Span of needle in haystack when white space is ignored on both sides."""
    target = "".join(c for c in needle if not c.isspace())
    if not target:
        return None
    squeezed, where = _squeezed(haystack)
    k = squeezed.find(target, bisect_left(where, start))
    return (where[k], where[k + len(target) - 1] + 1) if k >= 0 else None


@lru_cache(maxsize=64)  # a paragraph is searched once for every value read from it
def _squeezed(text: str) -> tuple[str, list[int]]:
    """text without its white space, and where each character left stood in text."""
    where = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in where), where


# --- joining lines --------------------------------------------------------------------------

URL_OR_EMAIL_TAIL = re.compile(
    r"(?:(?:https?|ftp)://|www\.|[\w.+-]+@)[^\s]*$"  # a URL or address under way
    r"|(?:https?|ftp):?/*$"  # a scheme cut at the line end
    r"|[\w-]+(?:\.[\w-]+)+/\S*$",  # domain/path without a scheme
    re.I)
URL_CHAR = re.compile(r"[\w/%?=&#.~+\-:@]")
# the next line carries on an address: the rest of an e-mail's local part and its @domain, or a URL's scheme
ADDRESS_AHEAD = re.compile(r"^[\w.+%-]*(?:@[\w-]|://|\.[\w-]+(?:\.[\w-]+)*/)", re.ASCII)
# an e-mail or URL label a cut address follows: 邮箱：, E-mail:, 网址：
ADDRESS_LABEL = re.compile(r"(?:[:：]|邮箱|邮件|网址|链接|E-?mail|Website|URL)\s*$", re.I)
# a line that ends with the label itself, its colon lost (OCR) or never printed: the address is the next word
LABEL_WORD = re.compile(r"E-?mail|Website|URL", re.I)


def join_lines(before: str, after: str, break_at_space: bool = False) -> str:
    """What goes between two wrapped lines of one paragraph: '' or ' '.

    Nothing between CJK text (Chinese has no word spaces); nothing inside a URL or an
    e-mail address split across lines (a hyphen at the break stays, it belongs to the
    URL); nothing after a word broken at a hyphen; one space between two Latin words.
    Where the PDF itself has a space at the break, the lines broke at that space: keep it
    (beside CJK text too, where the source spaced Latin text off).
    """
    if not before or not after:
        return ""
    a, b = before[-1], after[0]
    if is_han(a) and is_han(b):
        return ""
    if break_at_space:
        return " "
    if is_cjk(a) or is_cjk(b):
        return ""
    token = before.split()[-1] if before.split() else ""
    # the Latin run at the end of the line, after any CJK text it follows
    tail = regex.split(r"[\p{Han}\p{Block=CJK_Symbols_and_Punctuation}\p{Block=Halfwidth_and_Fullwidth_Forms}]",
                       token)[-1]
    if URL_OR_EMAIL_TAIL.search(tail) and URL_CHAR.match(b):
        return ""
    if tail and re.fullmatch(r"[\w.+%-]+", tail, re.ASCII) and ADDRESS_AHEAD.match(after):
        # an address cut before its @ or ://: one word only if nothing but a label or CJK text precedes
        # the cut piece ("邮箱：th|h@rcn.no"); "write to | doe@x.org" keeps its space
        head = before[:len(before) - len(tail)]
        if LABEL_WORD.fullmatch(tail):
            return " "
        if not head.strip() or tail != token or ADDRESS_LABEL.search(head):
            return ""
    if a in "-‐/" and b.isalnum():
        return ""
    return " "


# --- deciding where paragraphs break ---------------------------------------------------------

@dataclass
class PageGeometry:
    left: float
    right: float
    pitch: float
    body_size: float | None = None


def page_geometry(lines: list[Line], body_size: float) -> PageGeometry:
    """Left text edge, right text edge and line pitch of one page's body lines."""
    body = [ln for ln in lines if abs(ln.size - body_size) < 1.0] or lines
    xs = Counter(round(ln.x0) for ln in body)
    # the left edge is the leftmost x0 that several lines share (single stray lines aside)
    common = [x for x, n in xs.items() if n >= 2]
    left = min(common) if common else min(xs)
    right = max(ln.x1 for ln in body)
    steps = Counter(round(b.top - a.top) for a, b in zip(body, body[1:]) if 0.8 * body_size < b.top - a.top < 4 * body_size)
    # the line pitch is the smallest step that recurs: with block paragraphs, most steps
    # may be paragraph gaps, so the median would be the gap, not the pitch
    recurring = [step for step, n in steps.items() if n >= 2]
    pitch = float(min(recurring or steps or [1.5 * body_size]))
    return PageGeometry(left, right, pitch, body_size)


def _ends_short(line: Line, geo: PageGeometry, following: Line | None = None) -> bool:
    """The line stops clearly before the right edge — unless the following line's first word would not
    have fitted in the space left (ragged-right text wraps a long Latin word whole: `…；Sune` / `Dalgaard`)."""
    if line.x1 >= geo.right - 1.5 * line.size:
        return False
    body_text = geo.body_size is None or abs(line.size - geo.body_size) < 1.0  # not a heading or title
    if body_text and following is not None and following.page == line.page and following.boxes \
            and following.x0 <= max(geo.left + 0.8 * following.size, line.x0 + 1.5 * following.size):
        # a wrapped line starts at the left edge, or a list item's hanging indent in (after its "7. ")
        word = _first_word_width(following)
        if word is not None and word > geo.right - line.x1 - 0.5 * line.size:
            return False
    return True


def _first_word_width(line: Line) -> float | None:
    """Width of the line's first Latin word (up to a space or a CJK character), None when it starts with CJK."""
    text = line.text
    if not text or is_cjk(text[0]):
        return None
    end = 0
    while end < len(text) and not text[end].isspace() and not is_cjk(text[end]):
        end += 1
    boxes = [b for b in line.boxes[:end] if b]
    return (max(b[2] for b in boxes) - line.x0) if boxes else None


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in TERMINAL


# an attachment heading (附件 1, 附件2：) is a paragraph of its own: a part of the file starts there
ATTACHMENT_LINE = re.compile(r"^\s*附\s*件\s*[\d一二三四五六七八九十]{1,3}\s*[:：]?\s*$")


def starts_new_paragraph(prev: Line, line: Line, prev_geo: PageGeometry, geo: PageGeometry) -> bool:
    if line.block or prev.block or ATTACHMENT_LINE.match(line.text) or ATTACHMENT_LINE.match(prev.text):
        return True
    closed = _ends_sentence(prev.text) or _ends_short(prev, prev_geo, line)
    indented = line.x0 > geo.left + 0.8 * line.size
    if abs(line.size - prev.size) > 1.0:
        return True
    if indented and (closed or starts_block(line.text)):
        return True  # an indented label or item after a full-width line: the line was a heading
    if prev.page == line.page and line.top - prev.top > 1.25 * geo.pitch:
        return True
    if starts_block(line.text) and closed:
        return True
    # a labelled field after a line that ends with a title's or a bracket's close (《…框架》 / 领域方向：…): a
    # full-width line, so it did not stop short, but a sentence never runs on from 》 into a label
    if prev.text.rstrip()[-1:] in CLOSING and LABEL_AFTER_TITLE.match(line.text) and starts_label(line.text):
        return True
    # a heading's or an item's number opening Han text after a line ending in an e-mail or URL: its number
    # lost a mark (`2.3` read `23`) and the address its full stop, not the rest of the address
    if NUMBERED_HAN.match(line.text) and ADDRESS_AT_LINE_END.search(prev.text.rstrip()):
        return True
    return False


def lines_to_paragraphs(pages: list[list[Line]], body_size: float) -> list[Paragraph]:
    """Body lines of all pages, in reading order → paragraphs."""
    geos = [page_geometry(lines, body_size) if lines else None for lines in pages]
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    prev: Line | None = None
    prev_geo: PageGeometry | None = None
    for lines, geo in zip(pages, geos):
        for line in lines:
            if prev is not None and starts_new_paragraph(prev, line, prev_geo, geo):
                paragraphs.append(_make_paragraph(len(paragraphs), current))
                current = []
            current.append(line)
            prev, prev_geo = line, geo
    if current:
        paragraphs.append(_make_paragraph(len(paragraphs), current))
    return paragraphs


def _make_paragraph(index: int, lines: list[Line]) -> Paragraph:
    text = ""
    boxes: list[tuple[int, Box] | None] = []
    confidences: list[float | None] = []
    readings: list[str | None] = []
    break_at_space = False
    for i, ln in enumerate(lines):
        piece = ln.text.strip()
        lead = len(ln.text) - len(ln.text.lstrip())
        piece_boxes = ln.boxes[lead:lead + len(piece)]
        piece_conf = (ln.confidences or [None] * len(ln.text))[lead:lead + len(piece)]
        piece_read = (ln.readings or [None] * len(ln.text))[lead:lead + len(piece)]
        if text:
            text = text.rstrip()
            boxes = boxes[:len(text)]
            # an address may be cut over several short lines: look at what follows this one too
            ahead = piece + "".join(other.text.strip() for other in lines[i + 1:i + 3]) if " " not in piece else piece
            confidences = confidences[:len(text)]
            readings = readings[:len(text)]
            sep = join_lines(text, ahead, break_at_space)
            text += sep
            boxes.extend([None] * len(sep))
            confidences.extend([None] * len(sep))
            readings.extend([None] * len(sep))
        text += piece
        boxes.extend((ln.page, b) if b else None for b in piece_boxes)
        confidences.extend(piece_conf)
        readings.extend(piece_read)
        break_at_space = ln.trailing_space
    return Paragraph(index, text, lines, boxes, confidences, readings if any(readings) else [])


def text_to_paragraph_text(text: str) -> str:
    """A paragraph's text as a source gives it whole (Word): tabs as spaces, line breaks joined as wraps are."""
    pieces = [re.sub(r"[ \t\u00a0]+", " ", piece).strip() for piece in text.split("\n")]
    out = ""
    for piece in pieces:
        if not piece:
            continue
        out += join_lines(out, piece) + piece if out else piece
    return out


def texts_to_paragraphs(texts: list[tuple]) -> list[Paragraph]:
    """(source index, text, font size[, CSS path]) of paragraphs a source gives whole (Word, a web page)
    → paragraphs; empty ones dropped."""
    sizes = [t[2] for t in texts if t[2]]
    default = max(set(sizes), key=sizes.count) if sizes else 12.0
    paragraphs: list[Paragraph] = []
    for source_index, text, size, *rest in texts:
        text = text_to_paragraph_text(text)
        if text:
            paragraphs.append(Paragraph(len(paragraphs), text, [], [], source_paragraph=source_index,
                                        word_size=size or default, css_path=rest[0] if rest else None))
    return paragraphs