"""Ink a word's reading does not explain: the accent, ring or cedilla both readings lost, a lost word space.

Where neither OCR reading can print a letter (`Horváthová` read `Horvathova` by both), the word
image still shows it: the acute stands above an `a`, where a plain `a` has no ink at all. So each
letter of a word read as a plain ASCII letter is checked against its own column of the word image:

- a small letter without ascender (a c e m n o r s u v w x z) has no ink above the mean line
  (á é ñ ö ř š ž …) and none below the baseline (ç ş ę ą …);
- a capital has no ink above the capitals' line (Á Å Č Š Ž …);
- i, t and the small letters with ascenders have none below the baseline (ị ḍ ḥ ț ķ ļ).

Lines are measured on the word itself (the small letters' bodies give the mean line and the
baseline, the capitals' and ascenders' the top), so size and resolution do not matter; ink counts
only as a blob of some size (a speck or a JPEG ring is not an accent). A glued word
(`Pietervan`) shows a blank between two of its letters as wide as the word spaces around it.

Not seen: a mark in place of another (í read as i: a mark above either way), and a stroke through the
letter's own body (đ Đ ł Ł; æ read as e): the word's other letters, or the second reading, must tell.

`unexplained_ink(word, crop, centers)` gives the indexes of the letters whose column holds such
ink (and of the letter after a lost space): the word is then doubted (`words.second_reading`),
so the value it ends up in is a needs-review warning that names it, never silently wrong.
"""

from __future__ import annotations

import math
from statistics import median

from .lines import SPECK_LEAST, SPECK_SIZE, without_specks

BODY_ONLY = set("acemnorsuvwxz")  # small letters with neither ascender nor descender
PLAIN_CAPITALS = set("ABCDEFGHIKLMNOPRSTUVWXYZ")  # J and Q may reach below the baseline in some faces
TALL = set("bdhkl") | PLAIN_CAPITALS  # as high as a capital (not t, f or i: lower or hooked)
# letters with no descender whose top says nothing (a dot, an ascender's height varies): only ink below the
# baseline is theirs to lack (ị ḍ ḥ ț ķ ļ: a dot, comma or cedilla below)
BELOW_ONLY = set("ibdhklt")
# neighbours whose ink overhangs a letter's columns: above (a hook, a bar, an arm) and below (a descender)
OVERHANG_ABOVE, OVERHANG_BELOW = set("fTFPVWY7"), set("gjpqyJQ,;")
FOOT_RIGHT = set("L")  # a foot at the baseline reaching right, under the x-height band a blank is measured in
HOLED = set("oO")  # one hole; `ø`/`Ø` have two (the slash cuts it)
# of the x-height: a glyph this far past its line holds a mark touching it (ó at 150 dpi; Å, whose capital is
# measured against the word's other tall letters: capitals are never taller than ascenders)
MERGED, MERGED_CAPITAL = 0.3, 0.2
REACH = 1.0  # of the x-height: how far past a line a mark may stand
APART = 0.1  # of the x-height: how far inside its line a mark apart from the letter may begin
TALLER = 0.3  # of the x-height: capitals and ascenders stand at least this far above the small letters
CAP_HEIGHT = 1.45  # capitals' height in x-heights when the word has no other tall letter (serif and sans: 1.3–1.5)
MARK_AREA = 0.02  # of the x-height squared: the least ink a mark has (a dot of ü at 200 dpi: 0.023)
MIN_MARK_PIXELS = 4  # a speck after JPEG is 1–2 pixels
DOT_PIXELS, LEVEL = 2, 0.15  # a dot of a pair: its least pixels; how level the pair (of the x-height)
CONTRAST = 40  # grey levels between paper and ink below which a crop says nothing
HOLE_AREA = 0.01  # of the x-height squared: the least paper a hole encloses
# a blank inside a word is a lost word space when it is this wide: in x-heights, against the usual blank between
# two letters of the run, against the next widest, against the run's word spaces (measured: README, OCR)
GLUE_HEIGHT, GLUE_LETTER_RATIO, GLUE_NEXT_RATIO, GLUE_RATIO = 0.35, 2.0, 1.5, 0.6
GLUE_MOST = 3  # spaces one word may have lost


def _ink(crop):
    """Ink pixels: dark in every channel (a red seal, dark only in green and blue, is not ink); None when the
    crop is empty (a box off the page) or holds no contrast."""
    import numpy as np

    if crop is None or getattr(crop, "ndim", 0) < 2 or crop.shape[0] < 3 or crop.shape[1] < 3:
        return None
    gray = crop[..., :3].max(axis=2).astype(float) if crop.ndim == 3 else crop.astype(float)  # RGB(A)
    lo, hi = np.percentile(gray, 1), np.percentile(gray, 99)
    if hi - lo < CONTRAST:
        return None
    return gray < (lo + hi) / 2


def _spans(centers: list[float], width: int, shrink: float) -> list[tuple[int, int]]:
    """Each letter's columns: half-way to its neighbours' centres, less `shrink` of that on either side."""
    out = []
    for i, c in enumerate(centers):
        left = (centers[i - 1] + c) / 2 if i else c - (centers[1] - c if len(centers) > 1 else 4) / 2
        right = (c + centers[i + 1]) / 2 if i + 1 < len(centers) else c + (c - centers[i - 1] if i else 4) / 2
        cut = (right - left) * shrink
        a = min(max(int(round(left + cut)), 0), width)
        b = min(max(int(round(right - cut)), a + 1), width)
        out.append((a, b))
    return out


def _letters(labels, stats, columns) -> list[tuple[int, int, int] | None]:
    """Each letter's glyph: (component, top, bottom) of the ink component with most pixels in its columns
    (its rows there), None for a letter with no ink in them."""
    import numpy as np

    out = []
    for a, b in columns:
        sub = labels[:, a:b]
        found = np.bincount(sub.ravel(), minlength=len(stats))
        found[0] = 0
        if b <= a or not found.any():
            out.append(None)
            continue
        main = int(found.argmax())
        rows = np.nonzero((sub == main).any(axis=1))[0]
        out.append((main, int(rows[0]), int(rows[-1]) + 1))
    return out


def _holes(region, least: float) -> int:
    """Paper regions the ink encloses (not touching the region's edge), of at least `least` pixels."""
    import cv2
    import numpy as np

    if region.size == 0:
        return 0
    count, _labels, stats, _ = cv2.connectedComponentsWithStats((~region).astype(np.uint8), connectivity=4)
    h, w = region.shape
    holes = 0
    for k in range(1, count):
        x, y, bw, bh, area = stats[k]
        if x > 0 and y > 0 and x + bw < w and y + bh < h and area >= least:
            holes += 1
    return holes


def unexplained_ink(word: str, crop, centers: list[float]) -> list[int]:
    """Indexes of word's letters whose image holds ink the letter read there does not have (see the module).

    crop: the image of the word (or of a run of words), RGB or grey; centers: each character's centre,
    in the crop's pixel columns. [] when the crop cannot tell (too little contrast, too few letters)."""
    import cv2
    import numpy as np

    if len(word) != len(centers) or len(word) < 2 or not all(math.isfinite(c) for c in centers):
        return []
    ink = _ink(crop)
    if ink is None:
        return []
    height, width = ink.shape
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    middles, wholes = _spans(centers, width, 0.25), _spans(centers, width, 0.0)
    glyphs = _letters(labels, stats, middles)
    small = [i for i, ch in enumerate(word) if ch in BODY_ONLY and glyphs[i]]
    if len(small) < 2:
        return []
    if median(glyphs[i][2] for i in small) - median(glyphs[i][1] for i in small) < 4:
        return []
    out = []
    for i, ch in enumerate(word):
        if glyphs[i] is None:
            continue
        # the lines from the other small letters: a letter's own lost mark must not move them (`Ödön`, `Weiß`)
        others = [j for j in small if j != i]
        mean_line, baseline = median(glyphs[j][1] for j in others), median(glyphs[j][2] for j in others)
        x_height = baseline - mean_line
        if x_height < 4:
            continue
        least = max(MIN_MARK_PIXELS, MARK_AREA * x_height * x_height)
        if ch in BODY_ONLY or ch in BELOW_ONLY:  # (a BELOW_ONLY letter's ink above is never looked at)
            line_above = mean_line
        elif ch in PLAIN_CAPITALS:
            # a tall glyph's top is its component's (the middle columns of an `M` or a `W` start lower)
            others = [stats[glyphs[j][0], cv2.CC_STAT_TOP] for j, c in enumerate(word)
                      if c in TALL and j != i and glyphs[j]]
            line_above = median(others) if others else baseline - CAP_HEIGHT * x_height
            # a capital stands well above the small letters: a lower line is the others' damage (a seal's ring
            # through an `L`), not the capitals'
            line_above = min(line_above, mean_line - TALLER * x_height)
        else:
            continue
        neighbours = {word[i - 1] if i else "", word[i + 1] if i + 1 < len(word) else ""}
        main, top, bottom = glyphs[i]
        if ch in PLAIN_CAPITALS:
            top = min(top, int(stats[main, cv2.CC_STAT_TOP]))
        a, b = wholes[i]
        others = set(np.unique(labels[:, a:b])) - {0, main}
        # a mark apart from the glyph: a blob of some size wholly above (below) it, within reach of its line,
        # centred over this letter (the two dots of ü stand at its sides; a neighbour's accent over the neighbour)
        above = below = False
        dots = []  # small blobs above: two side by side at one height are the dots of ü, ö, ä, ë (at 150 dpi
        # each is as small as a speck; specks do not come in level pairs)
        for k in others:
            y, h, area = stats[k, cv2.CC_STAT_TOP], stats[k, cv2.CC_STAT_HEIGHT], stats[k, cv2.CC_STAT_AREA]
            centre = stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH] / 2
            if y <= 0 or y + h >= height or not a <= centre < b:  # the next line's ink, or a neighbour's
                continue
            if area < least:
                if area >= DOT_PIXELS and y + h <= min(top, line_above) and y >= line_above - REACH * x_height:
                    dots.append(y + h / 2)
                continue
            # beyond the letter's line too: a piece of its own stroke a speck broke off stays inside
            above |= y + h <= min(top, line_above + APART * x_height) and y >= line_above - REACH * x_height
            below |= y >= max(bottom, baseline - APART * x_height) and y + h <= baseline + REACH * x_height
        above |= any(abs(p - q) <= LEVEL * x_height for n, p in enumerate(dots) for q in dots[n + 1:])
        # a mark touching the glyph (Å, or an acute merged at 150 dpi): the glyph reaches past its line
        above |= top < line_above - (MERGED_CAPITAL if ch in PLAIN_CAPITALS else MERGED) * x_height
        below |= bottom > baseline + MERGED * x_height and ch not in "QJ"
        if (above and ch not in BELOW_ONLY and not OVERHANG_ABOVE & neighbours) or (below and not OVERHANG_BELOW & neighbours):
            out.append(i)
        elif ch in HOLED:  # ø read as o: the slash cuts the hole in two
            a, b = wholes[i]
            if _holes(ink[max(top - 1, 0):bottom + 1, a:b], HOLE_AREA * x_height * x_height) >= 2:
                out.append(i)
    return sorted(set(out) | set(_lost_spaces(word, ink, glyphs, small, centers)))


def lost_spaces(word: str, crop, centers: list[float]) -> list[int]:
    """Indexes of word's letters before which the image shows a word space the reading lost (`Pietervan`:
    the `v`), [] when the crop cannot tell. crop, centers: as for `unexplained_ink`."""
    import cv2
    import numpy as np

    if len(word) != len(centers) or len(word) < 2 or not all(math.isfinite(c) for c in centers):
        return []
    ink = _ink(crop)
    if ink is None:
        return []
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    glyphs = _letters(labels, stats, _spans(centers, ink.shape[1], 0.25))
    small = [i for i, ch in enumerate(word) if ch in BODY_ONLY and glyphs[i]]
    return _lost_spaces(word, ink, glyphs, small, centers) if len(small) >= 2 else []


def _lost_spaces(word, ink, glyphs, small, centers) -> list[int]:
    mean_line, baseline = int(median(glyphs[i][1] for i in small)), int(median(glyphs[i][2] for i in small))
    if baseline - mean_line < 4:
        return []
    # blanks are measured in the x-height band: a speck above or below a gap does not close it, nor one inside
    ink = without_specks(ink, max(SPECK_LEAST, int(SPECK_SIZE * ink.shape[0])))
    return _glued(word, ink[mean_line:baseline], centers, baseline - mean_line)


def _blank(ink_columns, left: float, right: float) -> int:
    """The widest run of columns without ink between two centres."""
    best = run = 0
    for x in range(int(left) + 1, int(right)):
        run = run + 1 if 0 <= x < len(ink_columns) and not ink_columns[x] else 0
        best = max(best, run)
    return best


def _glued(word: str, ink, centers: list[float], x_height: float) -> list[int]:
    """The letters after the blanks inside a word that stand out as word spaces would (`Pietervan`: the `v`;
    `Lucdela`: `d` and `l`): wider than a third of the x-height, than twice the usual blank between two letters
    and than half the run's word spaces (a `T` or `W` beside a space narrows it), and half as wide again as
    the widest other blank."""
    core = ink.any(axis=0)
    spaces, letters = [], []
    for i in range(1, len(word)):
        a, b = word[i - 1], word[i]
        if a == " " and i >= 2 and i + 1 < len(word) and word[i - 2].isalpha() and word[i + 1].isalpha():
            spaces.append(_blank(core, centers[i - 2], centers[i + 1]))
        elif a.isalpha() and b.isalpha() and not OVERHANG_ABOVE & {a, b} and a not in FOOT_RIGHT:
            # `Th`: the bar overhangs the gap; `Li`: the foot does
            letters.append((_blank(core, centers[i - 1], centers[i]), i))
    if len(letters) < 4:
        return []
    letters.sort(reverse=True)
    usual = median(blank for blank, _ in letters)
    floor = max(GLUE_HEIGHT * x_height, GLUE_LETTER_RATIO * max(usual, 1), GLUE_RATIO * median(spaces) if spaces else 0)
    # the widest blanks (up to GLUE_MOST: `Lucdela` lost two spaces) that stand out from the rest of the word's
    for count in range(1, min(GLUE_MOST, len(letters) - 1) + 1):
        if letters[count - 1][0] >= floor and letters[count - 1][0] >= GLUE_NEXT_RATIO * letters[count][0]:
            # never a word's last letter put apart (`Grube r`, `Nkos i`: the last centre, beside a Han
            # character, is the engine's least certain; no name ends in a letter of its own)
            return [at for _, at in letters[:count] if at + 1 < len(word) and not word[at + 1].isspace()]
    return []
