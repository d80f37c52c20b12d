"""Layout stage, part 2: remove running headers, footers and page numbers.

Page furniture is recognised by what it is, not by where one producer puts it:
- a page number in any common form (`— 3 —`, `- 3 -`, `3`, `第 3 页 共 13 页`,
  `3 / 13`, `Page 3 of 13`) in the top or bottom band of the page;
- a line that repeats (digits aside) at the same height in the top or bottom band of many
  pages: a running header or footer, whether it alternates sides or not (a body line that
  recurs near the edge of two pages at different heights is body text);
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
    """Text with digits and spacing folded, so `第 3 页` and `第 4 页` compare equal."""
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", text))


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
    # where each text (digits folded) stands in the top or bottom band, page by page: a running header or
    # footer recurs at the same place, a body line that happens to recur near a page's edge does not
    band_tops: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    place_pages: dict[tuple[str, int], set[int]] = defaultdict(set)
    edge_pages: dict[str, set[int]] = defaultdict(set)
    for i, (lines, height) in enumerate(zip(pages, heights)):
        for ln in lines:
            key = furniture_key(ln.text)
            if _in_band(ln, height):
                band_tops[key][i].append(ln.top)
            place_pages[(key, round(ln.top / height * 50))].add(i)
            # a browser's own header and footer are dropped as such: their first characters (`http`, a date)
            # would otherwise make a body line that starts alike at a print's top edge a label
            if _on_edge(ln, height) and len(_label_key(ln.text)) == LABEL_PREFIX \
                    and not PRINTER_LINE.match(ln.text.strip()):
                edge_pages[_label_key(ln.text)].add(i)

    # a running header needs to recur; in a short document two pages are enough
    band_min = max(2, round(0.4 * n_pages))
    place_min = max(3, round(0.6 * n_pages))

    kept_pages: list[list[Line]] = []
    removed: list[Dropped] = []
    for i, (lines, height) in enumerate(zip(pages, heights)):
        kept = []
        for ln in lines:
            key = furniture_key(ln.text)
            reason = None
            if _in_band(ln, height) and PAGE_NUMBER.match(ln.text.strip()):
                reason = "page number"
            elif _in_band(ln, height) and PRINTER_LINE.match(ln.text.strip()):
                reason = "printer's header or footer"
            elif _in_band(ln, height) and n_pages >= 2 and \
                    sum(1 for tops in band_tops[key].values() if _same_place(tops, ln.top, height)) >= band_min:
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
