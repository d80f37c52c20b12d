"""Text layers someone else made: the invisible text a scanner's or a re-posting site's OCR put over
page images. It is OCR of unknown quality, never born-digital text: a name, an e-mail or a phone
digit in it can be wrong while the page image shows it right.

A page has a foreign text layer when most of its glyphs are never seen (`pdf._glyph_device`):
drawn in an invisible render mode (3, what OCR tools write), or drawn before an image that covers
the page. On such a page:

- with the OCR extra (and `--ocr` not `never`), the page is OCR'd here (reading/ocr/'s
  `ocr_document`) and the two readings are compared word by word (`merge_readings`): where they
  agree the hidden layer's glyphs stay (`reading: "agrees"`), where they disagree our OCR's
  words replace them (`reading: "disagrees"`), and every disagreement is recorded
  (`ForeignReport`, layout.json and the warnings); provenance shows it as
  `ocr.foreign_layer`, and validation lists every value where the readings disagreed;
- without it, the hidden text is kept but every character carries `reading: "foreign"`, which
  provenance shows as `ocr: {source: "foreign text layer"}` and validation lists, value by value,
  as needing review.

Either way nothing read from such a layer passes unflagged. A page where only a few glyphs are
hidden keeps its visible text; the hidden ones are dropped (layout.json: "invisible").
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field

from .pdf import DEFAULT_LIMITS

FOREIGN_SHARE = 0.5  # most of the page's glyphs hidden: its text layer is someone else's OCR
MIN_HIDDEN_GLYPHS = 20



def hidden_share(page) -> tuple[int, int]:
    """(hidden glyphs, all glyphs) of a page, white space not counted."""
    glyphs = [c for c in page.chars if c["text"].strip()]
    return sum(1 for c in glyphs if c.get("hidden")), len(glyphs)


def foreign_layer_pages(doc) -> list[int]:
    """The pages whose text layer is someone else's OCR: most of their glyphs are never seen."""
    out = []
    for page in doc.pages:
        hidden, total = hidden_share(page)
        if hidden >= MIN_HIDDEN_GLYPHS and hidden >= FOREIGN_SHARE * total:
            out.append(page.number)
    return out


WORD_GAP = 0.25  # of the font size: a wider gap between two glyphs is a word space
SAME_MARK = {"·": "。", "．": "。"}  # the engine reads a full stop as a middle dot: the same mark when comparing


def reading_lines(chars: list[dict]) -> list[list[dict]]:
    """Glyphs in lines, top to bottom, each line left to right (a line: glyphs whose vertical centres agree);
    space glyphs included (they part words)."""
    glyphs = sorted((c for c in chars if c["text"]), key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    lines: list[list[dict]] = []
    for c in glyphs:
        middle = (c["top"] + c["bottom"]) / 2
        if lines:
            last = lines[-1]
            centre = sum((d["top"] + d["bottom"]) / 2 for d in last) / len(last)
            if abs(middle - centre) < 0.45 * max(c.get("size") or 1, 1):
                last.append(c)
                continue
        lines.append([c])
    return [sorted(line, key=lambda d: (d["x0"] + d["x1"]) / 2) for line in lines]


def _is_latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "@._%+-/:#~=&?")


def glyph_words(chars: list[dict]) -> tuple[list[dict], list[int]]:
    """A page's glyphs in reading order (spaces left out) and the word each belongs to: a Latin run (a name,
    an e-mail, a number) is one word, any other glyph (an ideograph, a mark) a word by itself; words part
    at a space, a word-wide gap and a line's end."""
    import unicodedata

    glyphs, word_of = [], []
    word = -1
    for line in reading_lines(chars):
        prev = None
        for c in line:
            text = c["text"]
            if not text.strip():
                prev = None  # a space glyph: the next glyph starts a word
                continue
            size = c.get("size") or 10.0
            latin = _is_latin(unicodedata.normalize("NFKC", text)[:1])
            joined = prev is not None and latin and prev[1] and c["x0"] - prev[0]["x1"] <= WORD_GAP * size
            if not joined:
                word += 1
            glyphs.append(c)
            word_of.append(word)
            prev = (c, latin)
    return glyphs, word_of


def _key(c: dict) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", c["text"]).strip()
    return SAME_MARK.get(text, text)


def _grow(lo: int, hi: int, word_of: list[int]) -> tuple[int, int]:
    """[lo, hi) widened to whole words."""
    if lo < hi:
        while lo > 0 and word_of[lo - 1] == word_of[lo]:
            lo -= 1
        while hi < len(word_of) and word_of[hi] == word_of[hi - 1]:
            hi += 1
    return lo, hi


@dataclass
class Disagreement:
    page: int
    hidden: str  # what the foreign text layer says
    ocr: str  # what our OCR read (the text used)
    bbox: tuple[float, float, float, float] | None

    def to_dict(self) -> dict:
        return {"page": self.page, "hidden": self.hidden, "ocr": self.ocr,
                "bbox": [round(v, 2) for v in self.bbox] if self.bbox else None}


def merge_readings(hidden: list[dict], ocr: list[dict], page: int) -> tuple[list[dict], list[Disagreement]]:
    """The page's text from both readings, compared word by word: where they agree, the hidden layer's glyphs
    (their places are the printed glyphs'), tagged `reading: agrees`; where they disagree, our OCR's words
    replace the hidden ones, tagged `reading: disagrees` (and set on the hidden line they replace); where
    our OCR read nothing at all (a mark it missed), the hidden glyphs stay, tagged `reading: foreign`
    (unchecked).

    Comparison is of the characters, folded for width (NFKC) and white space left out, so a full-width
    `；` against `;` or a space the engine put inside `2021` is no disagreement; a difference anywhere in
    a word (one letter of an e-mail, one digit of a phone) makes the whole word disagree."""
    h, h_word = glyph_words(hidden)
    o, o_word = glyph_words(ocr)
    matcher = difflib.SequenceMatcher(None, [_key(c) for c in h], [_key(c) for c in o], autojunk=False)
    groups: list[list[int]] = []  # [i1, i2, j1, j2] in glyph positions, widened to words, merged when they touch
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        i1, i2 = _grow(i1, i2, h_word)
        j1, j2 = _grow(j1, j2, o_word)
        if groups and (i1 <= groups[-1][1] and j1 <= groups[-1][3]):
            last = groups[-1]
            last[1], last[3] = max(last[1], i2), max(last[3], j2)
            last[0], last[2] = min(last[0], i1), min(last[2], j1)
        else:
            groups.append([i1, i2, j1, j2])
    removed: set[int] = set()
    inserted: list[dict] = []
    out_disagreements = []
    unread: set[int] = set()
    for i1, i2, j1, j2 in groups:
        if j1 == j2:  # our OCR read nothing there (a mark it missed): the hidden glyphs stay, unchecked
            unread.update(id(c) for c in h[i1:i2])
        removed.update(id(c) for c in h[i1:i2] if j1 < j2)
        near = h[i1:i2] or h[max(i1 - 1, 0):i1] or h[:1]
        for c in o[j1:j2]:
            c = dict(c, reading="disagrees")
            if near:  # on the hidden line it replaces, at its size, so lines and paragraphs read on
                anchor = min(near, key=lambda d: abs((d["top"] + d["bottom"]) / 2 - (c["top"] + c["bottom"]) / 2))
                c.update(top=anchor["top"], bottom=anchor["bottom"], size=anchor.get("size") or c["size"])
            inserted.append(c)
        members = h[i1:i2] + o[j1:j2]
        bbox = (min(c["x0"] for c in members), min(c["top"] for c in members), max(c["x1"] for c in members),
                max(c["bottom"] for c in members)) if members else None
        out_disagreements.append(Disagreement(page, _text(h[i1:i2], h_word[i1:i2]), _text(o[j1:j2], o_word[j1:j2]),
                                              bbox))
    kept = []
    for c in hidden:
        if id(c) in removed:
            continue
        tag = "foreign" if id(c) in unread else "agrees"
        c = {k: v for k, v in c.items() if k != "hidden"}
        c["reading"] = tag
        kept.append(c)
    return kept + inserted, out_disagreements


def _text(glyphs: list[dict], word_of: list[int]) -> str:
    out, prev = "", None
    for c, w in zip(glyphs, word_of):
        if prev is not None and w != prev and out[-1:].isascii() and out[-1:].isalnum() and c["text"][:1].isascii():
            out += " "
        out += c["text"]
        prev = w
    return out


@dataclass
class ForeignReport:
    """What was done with the pages that came with someone else's text layer, for layout.json."""

    pages: list[int]
    checked_by_ocr: bool
    engine: str | None = None  # the OCR engine that checked the layer (OcrReport.engine)
    ocr_pages: list[dict] = field(default_factory=list)  # as OcrReport.pages: {page, reason, dpi, lines, fixes}
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"pages": self.pages, "checked_by_ocr": self.checked_by_ocr,
                "disagreements": [d.to_dict() for d in self.disagreements]}

    def warnings(self) -> list[str]:
        """For edition.json's warnings: which pages, and each disagreement (our reading was used)."""
        if not self.pages:
            return []
        shown = ", ".join(map(str, self.pages[:8])) + (" …" if len(self.pages) > 8 else "")
        if not self.checked_by_ocr:
            return [f"pages {shown}: the text comes from someone else's invisible OCR layer over page images, "
                    "not checked (no OCR engine: pip install 'guidelines[ocr]'); every value read from it needs "
                    "review against the page image"]
        out = [f"pages {shown}: someone else's invisible OCR layer over page images was replaced by our own OCR "
               f"of the images ({len(self.disagreements)} disagreement(s) between the two)"]
        for d in self.disagreements[:40]:
            out.append(f"page {d.page}: the hidden text layer reads “{d.hidden}” where our OCR reads “{d.ocr}”; "
                       "our reading is used")
        if len(self.disagreements) > 40:
            out.append(f"… and {len(self.disagreements) - 40} more disagreement(s) (layout.json: foreign_text_layer)")
        return out


def mark_unchecked(doc, pages: list[int]):
    """The document with a foreign layer's text kept, every character of it marked as read from it (no OCR to
    check it with); doc itself is not changed."""
    return dataclasses.replace(doc, pages=[
        dataclasses.replace(page, chars=[_unchecked(c) for c in page.chars]) if page.number in pages else page
        for page in doc.pages])


def _unchecked(c: dict) -> dict:
    if not c.get("hidden"):
        return c
    c = {k: v for k, v in c.items() if k != "hidden"}
    c["reading"] = "foreign"
    return c


def read_foreign_layers(doc, mode: str = "auto", progress=None, reader=None,
                        max_pixels: int = DEFAULT_LIMITS.max_pixels):
    """Find the pages whose text layer someone else made and deal with them (see the module's doc).

    mode: the --ocr mode; never leaves the layer unchecked (marked). reader: what reads the page images
    (as `ocr.ocr_document`'s; default: the engine); max_pixels: a page's render budget (`pdf.Limits`).
    Returns (the document with those pages replaced, the report or None when no page has a foreign layer);
    doc itself is not changed."""
    from ..errors import OcrUnavailable
    from .ocr import ocr_document

    pages = foreign_layer_pages(doc)
    if not pages:
        return doc, None
    if mode == "never":
        return mark_unchecked(doc, pages), ForeignReport(pages, checked_by_ocr=False)
    layered = dataclasses.replace(doc, pages=[page for page in doc.pages if page.number in pages])
    try:
        # every one of these pages is read ("always"): the hidden layer is what our OCR checks
        read, ocr_report = ocr_document(layered, "always", progress, reader, max_pixels=max_pixels)
    except OcrUnavailable:
        return mark_unchecked(doc, pages), ForeignReport(pages, checked_by_ocr=False)
    report = ForeignReport(pages, checked_by_ocr=True, engine=ocr_report.engine)
    ours = {page.number: page.chars for page in read.pages}
    read_at = {entry["page"]: entry for entry in ocr_report.pages}
    replaced = {}
    for page in layered.pages:
        hidden = [c for c in page.chars if c.get("hidden")]
        visible = [c for c in page.chars if not c.get("hidden")]
        merged, disagreements = merge_readings(hidden, ours[page.number], page.number)
        replaced[page.number] = dataclasses.replace(page, chars=visible + merged)
        report.disagreements.extend(disagreements)
        entry = read_at[page.number]
        report.ocr_pages.append({"page": page.number, "reason": "foreign text layer", "dpi": entry["dpi"],
                                 "lines": entry["lines"], "fixes": entry.get("fixes", [])})
    return dataclasses.replace(doc, pages=[replaced.get(page.number, page) for page in doc.pages]), report
