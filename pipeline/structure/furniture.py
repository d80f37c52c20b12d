"""Layout stage, part 2: remove running headers, footers and page numbers.

Page furniture is recognised by what it is, not by where one producer puts it:
- a page number in any common form (`— 3 —`, `- 3 -`, `3`, `第 3 页 共 13 页`,
  `3 / 13`, `Page 3 of 13`) in the top or bottom band of the page;
- a line that repeats (digits, spacing and punctuation aside; on long lines, one OCR misreading
  aside) at the same height in the top or bottom band of many
  pages, and less often between the bands: a running header or footer, whether it alternates
  sides or not (a body line that recurs near the edge of two pages at different heights is
  body text, and so is a label every direction repeats, 申报要求：, that lands at the top of
  some pages);
- a browser's own header and footer lines (`12/2/26, 12:52 AM`, the page's URL and `1/7`) in
  the top or bottom band, on any page;
- a short line that repeats at the same place on most pages anywhere on the page
  (a stamped notice or a black watermark); long lines are body text even when a
  sentence recurs;
- a line at the very edge of the page (below the body's margins) whose first characters
  recur there on many pages: a label a scanner app or a site adds, read by OCR a little
  differently each time and with the page number run into it (`扫描全能王 CamScanner 第 3 页`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher

from .layout import Dropped, Line

MARGIN_BAND = 0.13  # fraction of the page height at top and bottom where furniture lives
STAMP_MAX_CHARS = 30  # a line repeated mid-page is a stamp only if short; body sentences can recur

_DASH = r"[-‐‑‒–—―－~～·•\s]*"
PAGE_NUMBER = re.compile(
    r"^(?:"
    rf"{_DASH}\d{{1,4}}{_DASH}"  # — 3 —, - 3 -, 3
    r"|第\s*\d{1,4}\s*页\s*[,，/／]?\s*(?:共\s*\d{1,4}\s*页)?"  # 第 3 页 共 13 页
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"  # 3 / 13
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"  # Page 3 of 13
    r")$",
    re.IGNORECASE,
)


def furniture_key(text: str) -> str:
    """Text with digits folded and spacing and punctuation left out, so `第 3 页` and `第 4 页` compare equal,
    and so do a running header's readings by OCR with its quotes read differently or lost
    (`“政府间国际科技创新合作”重点专项`, `“政府间国际科技创新合作"重点专项`, `政府间国际科技创新合作重点专项`).
    A line of punctuation only keeps its punctuation (`——` is not `……`)."""
    folded = re.sub(r"\d+", "#", text)
    letters = re.sub(r"[^\w#]|_", "", folded)
    return letters or re.sub(r"\s+", "", folded)


FUZZY_MIN_CHARS = 8  # a key this long recurring one character off is the same header misread by OCR
FUZZY_RATIO = 0.85  # one character off in 8 is 0.875; two in 15 is 0.87


def _misread_keys(counts: dict[str, int], established: int) -> dict[str, str]:
    """Each rarer key that is one of the established keys (on `established` pages or more) misread:
    as long as FUZZY_MIN_CHARS, similar by FUZZY_RATIO (`政府间国际科技创新合怍重点专项` for
    `政府间国际科技创新合作重点专项`). Short keys are never matched: `申报要求` and `申报条件` are not one."""
    common = [k for k, n in counts.items() if n >= established and len(k) >= FUZZY_MIN_CHARS]
    mapping = {}
    for key, n in counts.items():
        if n >= established or len(key) < FUZZY_MIN_CHARS:
            continue
        best = max(common, key=lambda c: SequenceMatcher(None, key, c).ratio(), default=None)
        if best and abs(len(best) - len(key)) <= 2 and SequenceMatcher(None, key, best).ratio() >= FUZZY_RATIO:
            mapping[key] = best
    return mapping


EDGE_BAND = 0.06  # the outer strip of the page, below the body's margin: labels a scanner app or a site adds
LABEL_PREFIX = 4  # characters a label's readings share however OCR reads the rest (`扫描全能王CamS第9页`)


def _on_edge(line: Line, height: float) -> bool:
    return line.bottom < EDGE_BAND * height or line.top > (1 - EDGE_BAND) * height


def _label_key(text: str) -> str:
    return furniture_key(text)[:LABEL_PREFIX]


def _in_band(line: Line, height: float) -> bool:
    return line.bottom < MARGIN_BAND * height or line.top > (1 - MARGIN_BAND) * height


# a browser prints its own header and footer: the date and time, the page's title, its URL, page x/y
PRINTER_LINE = re.compile(
    r"^(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s|$)"  # 12/2/26, 12:52 AM
    r"|(?:上午|下午)\s*\d{1,2}:\d{2}\s"
    r"|(?:https?|file)://\S+\s+(?:\d{1,4}\s*/\s*\d{1,4}|\d{1,4}\s+of\s+\d{1,4}|第\s*\d{1,4}\s*页.{0,8})$)",  # …/2345.htm 1/7
    re.IGNORECASE)
PLACE_TOLERANCE = 0.012  # of the page height: a running header or footer is printed at the same place


def _same_place(tops: list[float], top: float, height: float) -> int:
    return sum(1 for t in tops if abs(t - top) <= PLACE_TOLERANCE * height)


def remove_furniture(pages: list[list[Line]], heights: list[float]) -> tuple[list[list[Line]], list[Dropped]]:
    """Return the body lines of every page and the lines removed, each with its reason."""
    n_pages = len(pages)
    # a running header needs to recur; in a short document two pages are enough
    band_min = max(2, round(0.4 * n_pages))
    place_min = max(3, round(0.6 * n_pages))
    # a running header OCR misread on a few pages is still the header: its rarer readings count as it
    band_pages: dict[str, set[int]] = defaultdict(set)
    for i, (lines, height) in enumerate(zip(pages, heights)):
        for ln in lines:
            if _in_band(ln, height):
                band_pages[furniture_key(ln.text)].add(i)
    misread = _misread_keys({k: len(v) for k, v in band_pages.items()}, band_min)

    def key_of(text: str) -> str:
        key = furniture_key(text)
        return misread.get(key, key)

    # where each text (its key) stands in the top or bottom band, page by page: a running header or
    # footer recurs at the same place, a body line that happens to recur near a page's edge does not
    band_tops: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    body_lines: dict[str, int] = defaultdict(int)  # how often a text occurs between the bands
    place_pages: dict[tuple[str, int], set[int]] = defaultdict(set)
    edge_pages: dict[str, set[int]] = defaultdict(set)
    for i, (lines, height) in enumerate(zip(pages, heights)):
        for ln in lines:
            key = key_of(ln.text)
            if _in_band(ln, height):
                band_tops[key][i].append(ln.top)
            else:
                body_lines[key] += 1
            place_pages[(key, round(ln.top / height * 50))].add(i)
            # a browser's own header and footer are dropped as such: their first characters (`http`, a date)
            # would otherwise make a body line that starts alike at a print's top edge a label
            if _on_edge(ln, height) and len(_label_key(ln.text)) == LABEL_PREFIX \
                    and not PRINTER_LINE.match(ln.text.strip()):
                edge_pages[_label_key(ln.text)].add(i)

    kept_pages: list[list[Line]] = []
    removed: list[Dropped] = []
    for i, (lines, height) in enumerate(zip(pages, heights)):
        kept = []
        for ln in lines:
            key = key_of(ln.text)
            reason = None
            if _in_band(ln, height) and PAGE_NUMBER.match(ln.text.strip()):
                reason = "page number"
            elif _in_band(ln, height) and PRINTER_LINE.match(ln.text.strip()):
                reason = "printer's header or footer"
            elif _in_band(ln, height) and n_pages >= 2 and body_lines[key] < len(band_tops[key]) and \
                    sum(1 for tops in band_tops[key].values() if _same_place(tops, ln.top, height)) >= band_min:
                # a running header is in the band far more often than between the bands; a label every
                # direction repeats (申报要求：) lands at the same place at the top of a few pages by chance
                reason = "running header or footer"
            elif _on_edge(ln, height) and n_pages >= 3 and len(edge_pages[_label_key(ln.text)]) >= band_min:
                reason = "running label at the page's edge"
            elif n_pages >= 3 and len(ln.text) <= STAMP_MAX_CHARS \
                    and len(place_pages[(key, round(ln.top / height * 50))]) >= place_min:
                reason = "repeated on most pages"
            if reason:
                removed.append(Dropped(ln.page, ln.text, reason, (ln.x0, ln.top, ln.x1, ln.bottom)))
            else:
                kept.append(ln)
        kept_pages.append(kept)
    return kept_pages, removed
