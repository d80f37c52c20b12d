"""The numbering and labels that structure a guideline, shared by the paragraph and outline stages.

Labels are recognised by the words they contain, not by a fixed list, so that a later
edition's rewording (拟支持项目数量, 拟安排国拨经费, 合作领域 …) lands in the same field.
"""

from __future__ import annotations

import re

CN_DIGITS = "零〇一二三四五六七八九十百"

SECTION = re.compile(rf"^\s*(?P<num>[{CN_DIGITS}]+)\s*[、．.]\s*(?P<rest>.*)$", re.S)
SUBSECTION = re.compile(rf"^\s*[（(]\s*(?P<num>[{CN_DIGITS}]+)\s*[)）]\s*(?P<rest>.*)$", re.S)
DIRECTION = re.compile(r"^\s*(?P<num>\d{1,2}\s*[.．]\s*\d{1,2})(?![.．]?\d)\s*[.．、]?\s*(?P<rest>\S.*)$", re.S)
ITEM = re.compile(
    r"^\s*(?:[（(]\s*(?P<paren>\d{1,2})\s*[)）]|(?P<circled>[①-⑳])|(?P<dot>\d{1,2})\s*[、．.](?!\d))\s*(?P<rest>.*)$",
    re.S,
)
# "label：value" at the start of a paragraph; a label is short and has no sentence punctuation
LABEL = re.compile(r"^\s*(?P<label>[^\s:：，,。；;（(]{2,14})\s*[:：]\s*(?P<rest>.*)$", re.S)

# field kind → words whose presence in a label names that field (first match wins)
FIELD_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("agreements", ("协议", "协定", "备忘录", "合作文件", "依据")),
    ("project_count", ("项目数", "项目数量", "项目个数", "支持数量", "资助数量", "项数")),
    ("budget", ("经费", "资金", "预算", "金额")),
    ("requirements", ("要求", "说明", "注意事项", "申报条件")),
    ("fields", ("领域", "方向", "主题", "内容")),
    ("contacts", ("联系",)),
]


def field_kind(label: str) -> str | None:
    """Which record field a label introduces, or None when it is not a field label."""
    label = re.sub(r"\s+", "", label)
    for kind, words in FIELD_KINDS:
        if any(w in label for w in words):
            return kind
    return None


CN_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9,
                   # the capital (大写) numerals that amounts of money are written in: 伍佰万元
                   "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8,
                   "玖": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 两千 → 2000, 一千零五 → 1005, 伍佰 → 500; digits pass through."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGIT_VALUES and c not in CN_UNITS for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c in CN_UNITS:
            total += (current or 1) * CN_UNITS[c]
            current = 0
        else:
            current = CN_DIGIT_VALUES[c]
    return total + current


def item_number(match: re.Match) -> int:
    if match.group("paren"):
        return int(match.group("paren"))
    if match.group("dot"):
        return int(match.group("dot"))
    return ord(match.group("circled")) - ord("①") + 1


# a number with a unit after it (4.14 亿元, 2.5 万元) is no direction number
AMOUNT_AHEAD = re.compile(r"^\s*(?:万|亿|元|个|项|年|%)")


def starts_label(text: str) -> bool:
    """True when a line opens a labelled field (领域方向：, 合作协议：…)."""
    m = LABEL.match(text)
    return bool(m and field_kind(m.group("label")))


def starts_block(text: str) -> bool:
    """True when a line opens a structural unit (section, direction, item or labelled field)."""
    direction = DIRECTION.match(text)
    if direction and AMOUNT_AHEAD.match(direction.group("rest")):
        direction = None  # a wrapped line that begins with an amount: 4.14亿元，每个项目…
    if SECTION.match(text) or SUBSECTION.match(text) or direction or ITEM.match(text):
        return True
    return starts_label(text)
