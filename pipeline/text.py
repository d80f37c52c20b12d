"""Character classes and the text clean-up applied to extracted values.

Clean-up follows ftfy's shape: one fix per function, each switchable by name.
A cleaned value's `source.text` keeps the words as printed, so what a fix changed
is always visible beside it.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs, CJK punctuation, full-width forms, and the quotes Chinese text uses.
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation (。、「」…)
    (0x3040, 0x30FF),  # kana
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFF60),  # full-width ASCII variants and punctuation
    (0xFFE0, 0xFFEF),
    (0x20000, 0x2FA1F),
)
# Punctuation that Chinese typesetting treats as wide even though it lives in general blocks.
_WIDE_PUNCT = set("“”‘’—…·")


def is_cjk(ch: str) -> bool:
    """True for Han, kana, CJK punctuation and full-width forms."""
    if not ch:
        return False
    cp = ord(ch)
    if ch in _WIDE_PUNCT:
        return True
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def is_han(ch: str) -> bool:
    """True for Han ideographs and kana (the characters justification spreads apart)."""
    if not ch:
        return False
    cp = ord(ch)
    return 0x3040 <= cp <= 0x30FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF


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
