"""Character classes and the text clean-up applied to extracted values.

Clean-up follows ftfy's shape: one fix per function, each switchable by name.
A cleaned value's `source.text` keeps the words as printed, so what a fix changed
is always visible beside it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

# Han ideographs (every extension), kana, CJK punctuation, full-width forms, and the quotes Chinese text uses.
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Block=CJK_Radicals_Supplement}"
                     r"\p{Block=Kangxi_Radicals}\p{Block=CJK_Symbols_and_Punctuation}\p{Block=CJK_Compatibility_Forms}"
                     r"\p{Block=Halfwidth_and_Fullwidth_Forms}“”‘’—…·]")
# Ideographs and kana: the characters justification spreads apart (and Chinese has no word spaces between)
_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


@lru_cache(maxsize=4096)
def is_cjk(ch: str) -> bool:
    """True for Han, kana, CJK punctuation and full-width forms."""
    return bool(ch) and _CJK.match(ch) is not None


@lru_cache(maxsize=4096)
def is_han(ch: str) -> bool:
    """True for Han ideographs and kana (the characters justification spreads apart)."""
    return bool(ch) and _HAN.match(ch) is not None


KANGXI_RADICALS = (0x2F00, 0x2FD5)
CJK_RADICALS_SUPPLEMENT = (0x2E80, 0x2EF3)


def is_radical(ch: str) -> bool:
    """A Kangxi radical or CJK Radicals Supplement code point: what a print pipeline writes for an ideograph
    whose glyph the radical shares (⽬ U+2F6C for 目); never the text of a published value."""
    return len(ch) == 1 and (KANGXI_RADICALS[0] <= ord(ch) <= KANGXI_RADICALS[1]
                             or CJK_RADICALS_SUPPLEMENT[0] <= ord(ch) <= CJK_RADICALS_SUPPLEMENT[1])


def is_latin(ch: str) -> bool:
    """True for characters that make up Latin words, numbers, URLs and e-mail addresses."""
    return bool(ch) and not is_cjk(ch) and not ch.isspace()


# --- fixes: each takes text and returns text -------------------------------------------------

_SPACE_NEAR_CJK = re.compile(r"\s+")


def fix_spaces_around_cjk(text: str) -> str:
    """Drop white space that touches a CJK character (presentational in Chinese typesetting).

    White space between two Latin characters is kept as one space: it separates words.
    """

    def repl(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before and after and is_latin(before) and is_latin(after):
            return " "
        return ""

    return _SPACE_NEAR_CJK.sub(repl, text)


_HALF_TO_FULL = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"}


def fix_halfwidth_punct_in_cjk(text: str) -> str:
    """Use full-width brackets, colons, semicolons and commas where they sit in Chinese text.

    A half-width mark is changed only when a CJK character stands on one side of it (or,
    for brackets, on the outside of the pair), so `(CCUS)` inside a Chinese phrase becomes
    `（CCUS）` while `f(x)` or `a, b` in Latin text stay as they are.
    """
    chars = list(text)
    n = len(chars)

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < n and chars[j].isspace():
            j += step
        return chars[j] if 0 <= j < n else ""

    # brackets: convert a matched pair when the outside of either bracket touches CJK
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            pairs.append((stack.pop(), i))
    for open_i, close_i in pairs:
        if chars[open_i] == "(" or chars[close_i] == ")":
            outside = (neighbour(open_i, -1), neighbour(close_i, +1))
            inside_wide = chars[open_i] == "（" or chars[close_i] == "）"
            if inside_wide or any(is_cjk(c) for c in outside):
                chars[open_i], chars[close_i] = "（", "）"
    for i, ch in enumerate(chars):
        if ch in ":;,":
            left, right = neighbour(i, -1), neighbour(i, +1)
            # keep URL and number syntax (http://, 1,000, 10:30) intact
            if left.isdigit() and right.isdigit():
                continue
            if right == "/":
                continue
            if is_cjk(left) or (is_cjk(right) and not is_latin(left)):
                chars[i] = _HALF_TO_FULL[ch]
    return "".join(chars)


FIXES = {
    "spaces_around_cjk": fix_spaces_around_cjk,
    "halfwidth_punct_in_cjk": fix_halfwidth_punct_in_cjk,
}


def clean(text: str, fixes: tuple[str, ...] = tuple(FIXES)) -> str:
    """Apply the named fixes (all by default) in order."""
    for name in fixes:
        text = FIXES[name](text)
    return text.strip()


def nfkc(text: str) -> str:
    """Unicode compatibility form: full-width digits and letters become ASCII."""
    return unicodedata.normalize("NFKC", text)


STRIP_TRAILING = "。；;，,、.．:：!！?？ \t\n"


def strip_trailing_punct(text: str) -> str:
    """Remove the sentence punctuation a list item or value ends with."""
    return text.strip().rstrip(STRIP_TRAILING).strip()


def split_top_level(text: str, separators: str = "、") -> list[str]:
    """Split on separators that are not inside brackets (full- or half-width, possibly mixed)."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "(（[【《“":
            depth += 1
        elif ch in ")）]】》”" and depth > 0:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]
