"""A character the engine dropped between two Han characters: a cell-wide gap in the reading, ink in the image.

Han text is set one em a character, so a reading whose centres jump two ems between two Han
characters skipped one. The recogniser drops small marks most (`人工智能与机器人丶生物医药新材料`:
the `、` before 新材料 is gone, and with it a field), sometimes a whole character. The line image
tells which: the skipped cell holds one small compact mark low in it — a comma, put back as `、`
in a list (a line with `、`, or a label's text without `，`) or after a section's numeral, else as
`，` —, or a character's worth of ink, or a mark of another shape (a colon's two dots, a bracket,
a dash: nothing is put back, the neighbours are doubted), or nothing (a blank the setting left).

A character's worth of ink where a partner's name lacks one character (`和牙利政府`: 匈 of 匈牙利, a character
PP-OCRv4 drops) is put back as that character (`name_lacking_one`).

What is put back is a guess from the image, so it is doubted (`LOST_DOUBT`): the value it ends
up in is a needs-review warning; the change is recorded, and the fix is switchable, as `lost_character`
(`fixes.IMAGE_FIXES`: it needs the page image, so it runs before the second reading).
"""

from __future__ import annotations

import dataclasses
import re
from statistics import median

from ...text import is_cjk
from .lines import Change, OcrLine

SECTION_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,3}")
LOST_DOUBT = 0.5  # the confidence of what is put back, and of the neighbours of a character dropped
SKIPPED = (1.7, 2.45)  # a jump between two Han centres of this many usual pitches skipped one cell
MARK_INK = (0.006, 0.14)  # of the cell's area: a comma's blob at least, all ink less (more: a character)
CHARACTER_INK = 0.14
LOW_MARK = 0.35  # a comma's ink sits below this height of the glyph band (0 its top, 1 its bottom;
# measured: wqy-zenhei's 、 at 0.49)
MIN_BLOB = 3  # pixels: a speck
MARK_HEIGHT = 0.45  # of the glyph band: a comma is no taller
FLAT = 2.5  # a blob this many times as wide as high is a dash, no comma
CONTRAST = 40


def _ink(image, top: int, bottom: int):
    """The line's rows of the page image as ink (True) and paper, None when they hold no contrast."""
    import numpy as np

    rows = image[max(top, 0):min(bottom, image.shape[0])]
    gray = rows.max(axis=2) if rows.ndim == 3 else rows
    if gray.size == 0:
        return None
    lo, hi = float(np.percentile(gray, 1)), float(np.percentile(gray, 99))
    return gray < (lo + hi) / 2 if hi - lo >= CONTRAST else None


def _band(ink, x0: int, x1: int) -> tuple[int, int] | None:
    """The rows a Han character's ink spans in columns x0..x1: the glyph band of the line."""
    import numpy as np

    ys = np.nonzero(ink[:, max(x0, 0):max(x1, 0)])[0]
    if len(ys) < 10:
        return None
    # of its ink pixels' rows, without the outermost few (a speck above or below would stretch it)
    return int(np.percentile(ys, 2)), int(np.percentile(ys, 98)) + 1


def _cell(ink, x0: int, x1: int, band: tuple[int, int]):
    """(the cell's ink as a share of the cell, and its one mark's shape: None when the cell holds other than
    one compact blob, else (the blob's share of the cell, the height of its centre in the glyph band, 0 top
    to 1 bottom)), specks left out (a blob of MIN_BLOB pixels or fewer). A comma is one compact blob; a
    colon's two dots, a bracket's or a rule's tall stroke and a dash's flat one are not."""
    import cv2
    import numpy as np

    x0, x1 = max(x0, 0), min(x1, ink.shape[1])
    top, bottom = band
    cell = ink[top:bottom, x0:x1]
    if x1 - x0 < 3 or cell.size == 0:
        return None
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(cell.astype(np.uint8), connectivity=8)
    inked = [k for k in range(1, count) if stats[k, cv2.CC_STAT_AREA] > MIN_BLOB]  # not specks
    total = sum(int(stats[k, cv2.CC_STAT_AREA]) for k in inked)
    # a mark stands free in the cell: what reaches in at a side is a neighbour's stroke (or a dash, a rule)
    blobs = [k for k in inked if stats[k, cv2.CC_STAT_LEFT] > 0
             and stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH] < cell.shape[1]]
    if len(blobs) != 1 or total > 2 * stats[blobs[0], cv2.CC_STAT_AREA]:
        return total / cell.size, None
    k = blobs[0]
    width, height = stats[k, cv2.CC_STAT_WIDTH], stats[k, cv2.CC_STAT_HEIGHT]
    if height > MARK_HEIGHT * (bottom - top) or width > FLAT * height:
        return total / cell.size, None
    return total / cell.size, (stats[k, cv2.CC_STAT_AREA] / cell.size, (float(centroids[k][1]) + 0.5) / (bottom - top))


NAME_LEFT = 2  # of a partner's name, the characters that must be read around the one lost (`牙利` of 匈牙利)


def name_lacking_one(text: str, at: int) -> str | None:
    """The character that, put in at text[at], completes a partner's name (`names.partner_name_table`: CLDR's
    Chinese territory names, the organisations') read around it without it (`中国和牙利政府` → `匈`: PP-OCRv4
    drops 匈 of 匈牙利); None when no name of NAME_LEFT + 1 characters or more fits, or names disagree on it."""
    from ...names import partner_name_table

    territories, organisations = partner_name_table()
    found = set()
    for name in (*territories, *organisations):
        if len(name) <= NAME_LEFT:
            continue
        for k in range(len(name)):  # name[k] is the one lost: name[:k] ends at `at`, name[k + 1:] starts there
            if at >= k and text[at - k:at] == name[:k] and text[at:at + len(name) - k - 1] == name[k + 1:]:
                found.add(name[k])
    return found.pop() if len(found) == 1 else None


def line_with_lost_characters(line: OcrLine, image, scale: float) -> OcrLine:
    """line with a comma the engine dropped between two Han characters put back (doubted), and the two
    characters around a dropped Han character doubted (and it put back where a partner's name lacks it);
    line itself when nothing was dropped."""
    import math

    if len(line.centers) != len(line.text) or len(line.confidences) != len(line.text) \
            or not all(math.isfinite(c) for c in line.centers):
        return line
    han = [i for i, ch in enumerate(line.text) if is_cjk(ch) and ch.isalpha()]
    pitches = [line.centers[b] - line.centers[a] for a, b in zip(han, han[1:]) if b == a + 1]
    if len(pitches) < 4:
        return line
    pitch = median(pitches)
    if pitch <= 0:
        return line
    text, centers, confidences = line.text, list(line.centers), list(line.confidences)
    # a list: the line holds 、 already, or its text follows a label (领域方向：…), not a sentence's ，
    enumeration = "、" in text or "丶" in text or ("：" in text[:12] and "，" not in text)
    ink = _ink(image, int(line.top * scale), int(line.bottom * scale) + 1)
    if ink is None:
        return line
    half = 0.48 * pitch * scale  # a cell, less a hair at either side (the neighbours' side bearings)
    # the glyph band: the median of the Han characters' (one 一 or a speck says little)
    bands = [band for band in (_band(ink, int(line.centers[i] * scale - half), int(line.centers[i] * scale + half))
                               for i in han) if band]
    if len(bands) < 3:
        return line
    band = (int(median(t for t, _ in bands)), int(median(b for _, b in bands)))
    if band[1] - band[0] < 4:
        return line
    # from the right: inserting keeps the offsets to the left valid
    for a in reversed(range(len(text) - 1)):
        b = a + 1
        if not (is_cjk(text[a]) and text[a].isalpha() and is_cjk(text[b]) and text[b].isalpha()):
            continue
        jump = centers[b] - centers[a]
        if not SKIPPED[0] * pitch <= jump <= SKIPPED[1] * pitch:
            continue
        middle = (centers[a] + centers[b]) / 2 * scale
        # the free space between the two characters' own cells (a jump under two pitches leaves less than one)
        found = _cell(ink, int(centers[a] * scale + half) + 1, int(centers[b] * scale - half), band)
        if found is None:
            continue
        share, mark_shape = found
        if mark_shape and MARK_INK[0] <= mark_shape[0] and share < MARK_INK[1] and mark_shape[1] >= LOW_MARK:
            # after a section's numeral (一、总体目标) or in a list, the enumeration comma; else a comma
            mark = "、" if enumeration or SECTION_NUMERAL.fullmatch(text[:b].strip()) else "，"
            text = text[:b] + mark + text[b:]
            centers.insert(b, middle / scale)
            confidences.insert(b, LOST_DOUBT)
        elif share >= CHARACTER_INK or (share >= MARK_INK[0] and mark_shape is None):  # a character, or a mark
            # that is no comma (a colon, a bracket, a dash): the neighbours are doubted; a character that is the
            # one a partner's name lacks there is put in (doubted too), nothing else is
            missing = name_lacking_one(text, b) if share >= CHARACTER_INK else None
            after = b  # the character after the gap, where it is once anything is put in
            if missing:
                text = text[:b] + missing + text[b:]
                centers.insert(b, middle / scale)
                confidences.insert(b, LOST_DOUBT)
                after = b + 1
            confidences[a] = min(confidences[a], LOST_DOUBT)
            confidences[after] = min(confidences[after], LOST_DOUBT)
    if text == line.text and confidences == list(line.confidences):
        return line
    changes = line.changes + ((Change("lost_character", line.text, text),) if text != line.text else ())
    return dataclasses.replace(line, text=text, centers=centers, confidences=confidences, changes=changes)


def lines_with_lost_characters(lines: list[OcrLine], image, scale: float) -> list[OcrLine]:
    """Every line of a page image through `line_with_lost_characters`."""
    return [line_with_lost_characters(line, image, scale) for line in lines]
