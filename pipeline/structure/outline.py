"""Outline stage: paragraphs → document tree.

Node record (`Node`):

| field     | meaning                                                                      |
|-----------|------------------------------------------------------------------------------|
| kind      | document, attachment, title, section (一、), group (（一） or 1. before 1.1, 2.1 …), direction (1.1), field, item ((1)), paragraph |
| number    | "二", "1.1", 3 … as numbered in the document; None for unnumbered nodes       |
| label     | a field's label as written (合作协议, 拟支持项目数量 …)                          |
| field     | what a field label means: agreements, fields, project_count, budget, requirements, contacts |
| text      | the node's own text, its number or label removed                              |
| paragraph | the `Paragraph` it came from (provenance)                                     |
| children  | nested nodes; an unnumbered paragraph after an item continues that item, and so does a sub-item numbered in another style ((2) …：① … ② …) |
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable
from dataclasses import field as dc_field

from .markers import DIRECTION, ITEM, LABEL, SECTION, cn_number, field_kind, item_number
from .layout import LEAD_CHARS
from .paragraphs import Paragraph

MAX_HEADING_CHARS = 90


@dataclass
class Node:
    kind: str
    text: str = ""
    number: str | int | None = None
    label: str | None = None
    field: str | None = None
    paragraph: Paragraph | None = dc_field(default=None, repr=False)
    children: list["Node"] = dc_field(default_factory=list)
    # where `text` starts inside paragraph.text (after the number or label)
    offset: int = 0

    def to_dict(self) -> dict:
        out: dict = {"kind": self.kind}
        for key in ("number", "label", "field"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["text"] = self.text
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph.index
            out["pages"] = self.paragraph.pages
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_text(self) -> str:
        """Own text and every descendant's, one paragraph a line."""
        return "\n".join(n.text for n in self.walk() if n.text)


def body_size(paragraphs: list[Paragraph], lead: int = LEAD_CHARS) -> float:
    """The size most of the leading text is set in (an annex after the guideline does not vote)."""
    sizes = Counter()
    seen = 0
    for p in paragraphs:
        if seen >= lead:
            break
        sizes[round(p.size * 2) / 2] += min(len(p.text), lead - seen)
        seen += len(p.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


ATTACHMENT = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$")


PROGRAMME_WORDS = re.compile(r"项目|合作|计划|机制|专项|研究")


def _is_direction_heading(p: Paragraph, m: re.Match, names_partner: Callable[[str], bool],
                          expected_by_ocr: bool = False) -> bool:
    """A numbered heading that reads like a direction: short, not a sentence, names a partner or a programme.

    expected_by_ocr: the paragraph was read by OCR and is numbered as the next direction; a colon
    ending it is then a speck read as `：` (`1.2中国和加拿大政府间科技合作项目：`), not a label's."""
    rest = m.group("rest").strip()
    if expected_by_ocr:
        rest = rest.rstrip("：:").rstrip()
    if len(p.text) > MAX_HEADING_CHARS or re.match(r"^\s*(?:万|亿|元|个|项|年|%)", rest):
        return False
    if rest[-1:] in "。；;，,：:":  # "3.1 申报材料须通过……提交。" is a sentence, not a heading
        return False
    lab = LABEL.match(rest)
    if lab and field_kind(lab.group("label")):
        return False
    return bool(names_partner(rest) or PROGRAMME_WORDS.search(rest))


# a heading that opens a group of directions: （一）双边合作 before 1.1, 2. 多边合作 before 2.1
GROUP = re.compile(r"^\s*(?:[（(]\s*(?P<cn>[一二三四五六七八九十]+)\s*[)）]|(?P<num>\d{1,2})\s*[.．、](?!\d))\s*(?P<rest>\S.*)$",
                   re.S)
MAX_GROUP_HEADING_CHARS = 40


def _direction_number(p: Paragraph, names_partner: Callable[[str], bool]) -> tuple[int, int] | None:
    m = DIRECTION.match(p.text)
    if not m or not _is_direction_heading(p, m, names_partner):
        return None
    major, minor = re.split(r"\s*[.．]\s*", m.group("num").strip())
    return int(major), int(minor)


def _group_headings(paragraphs: list[Paragraph], names_partner: Callable[[str], bool]) -> set[int]:
    """Indices of the paragraphs that head a group of directions.

    A short numbered heading, not a sentence, whose next direction is the first of a group
    numbered as it is: （二）多边合作 or 2. 多边合作 followed by 2.1 (the nearest such heading
    before it). Without that direction after it, `2. …` is an item like any other.
    """
    heads = {}
    for i, p in enumerate(paragraphs):
        number = _direction_number(p, names_partner)
        if number:
            heads[i] = number
    out = set()
    pending: list[tuple[int, int]] = []  # (paragraph index, group number) waiting for the next direction
    for i, p in enumerate(paragraphs):
        if i in heads:
            major, minor = heads[i]
            out.update(k for k, g in pending[-1:] if minor == 1 and g == major)  # the nearest heading only
            pending = []
            continue
        m = GROUP.match(p.text)
        if m and len(p.text.strip()) <= MAX_GROUP_HEADING_CHARS and p.text.rstrip()[-1:] not in "。；;，,：:":
            pending.append((i, cn_number(m["cn"]) if m["cn"] else int(m["num"])))
    return out


ITEM_STYLES = ("paren", "circled", "dot")


def item_style(match: re.Match) -> str:
    return next(style for style in ITEM_STYLES if match.group(style))


# a direction number as OCR misreads it: the dot read as a comma, colon or middle dot, 1 as l or I, 0 as O
MISREAD_DIRECTION = re.compile(r"^\s*(?P<major>[\dlIO]{1,2})\s*[.．,，、·:：;；]?\s*(?P<minor>[\dlIO]{1,2})"
                               r"(?![.．]?\d)\s*[.．、]?\s*(?P<rest>[\u4e00-\u9fff].*)$", re.S)


GLUED_DIRECTION = re.compile(r"^\s*(?P<num>[\dlIO]{2,4})(?![.．]?\d)\s*[.．、]?\s*(?P<rest>[\u4e00-\u9fff].*)$", re.S)


BARE_LABEL = re.compile(r"^\s*(?P<label>[\u4e00-\u9fff]{2,8})\s*(?P<rest>)$")


def _bare_label(p: Paragraph, following: Paragraph | None):
    """An OCR'd paragraph that is a field's label alone, its colon lost (`其他要求` before `(1)…`): its match as a
    LABEL would give (an empty rest), when an item follows; else None."""
    if following is None or not _read_by_ocr(p) or not ITEM.match(following.text):
        return None
    m = BARE_LABEL.match(p.text)
    return m if m and field_kind(m.group("label")) else None


def _read_by_ocr(p: Paragraph) -> bool:
    return any(c is not None for c in p.confidences)


class _Renumbered:
    """A DIRECTION match whose number is the one the sequence expects (the OCR'd glyphs misread it)."""

    def __init__(self, m: re.Match, number: str):
        self._m, self._number = m, number

    def group(self, name):
        return self._number if name == "num" else self._m.group(name)

    def start(self, name):
        return self._m.start(name)


def _misread_direction(text: str, previous: str):
    """In an OCR'd paragraph, a heading numbered as the next direction once misread glyphs are read as
    digits and a dot (`1,3`, `l.3`, `1·3`, `13` after 1.2): its match, numbered as expected; else None."""
    if "." not in previous:
        return None
    major, minor = (re.sub(r"\D", "", x) for x in previous.split(".", 1))
    digits = str.maketrans("lIO", "110")
    m = MISREAD_DIRECTION.match(text)
    if m and m.group("major").translate(digits) == major and m.group("minor").translate(digits) == str(int(minor) + 1):
        return _Renumbered(m, f"{major}.{int(minor) + 1}")
    # the dot lost between digits that split more than one way (`211` after 2.10 is 2.11, not 21.1)
    glued = GLUED_DIRECTION.match(text)
    if glued and glued.group("num").translate(digits) == f"{major}{int(minor) + 1}":
        return _Renumbered(glued, f"{major}.{int(minor) + 1}")
    return None


def _is_next_number(number: str, previous: str) -> bool:
    """Whether a direction number (`1.3`) follows the previous one (`1.2`) in sequence."""
    parts = re.split(r"\s*[.．]\s*", number.strip())
    before = previous.split(".")
    return len(parts) == len(before) == 2 and all(x.isdigit() for x in parts + before) \
        and int(parts[0]) == int(before[0]) and int(parts[1]) == int(before[1]) + 1


def paragraphs_to_tree(paragraphs: list[Paragraph], names_partner: Callable[[str], bool] = lambda text: False) -> Node:
    """Build the document tree. Pure: paragraphs in, tree out.

    names_partner tells whether a text names a partner country or organisation (the
    records' gazetteer, passed in by the extract stage so that structure does not depend on records).
    """
    root = Node("document")
    size = body_size(paragraphs)
    section: Node | None = None
    group: Node | None = None
    direction: Node | None = None
    fld: Node | None = None
    item: Node | None = None
    style: str | None = None  # how the current field's items are numbered: (1), ① or 1.
    in_front = True  # attachment marker and title lines before the body starts
    group_heads = _group_headings(paragraphs, names_partner)

    for index, p in enumerate(paragraphs):
        text = p.text
        if in_front:
            if ATTACHMENT.match(text):
                root.children.append(Node("attachment", text, paragraph=p))
                continue
            # a title's words may be cut by its line break (`…重点专` / `项2024年度…`): read on into the next paragraph
            ahead = paragraphs[index + 1].text[:1] if index + 1 < len(paragraphs) else ""
            if p.size > size + 0.5 or (not root.children or root.children[-1].kind in ("attachment", "title")) and \
                    len(text) <= 40 and re.search(r"指南|专项|通知", text + ahead) and not SECTION.match(text) \
                    and not re.search(r"[，。；]", text):  # a sentence is no title
                root.children.append(Node("title", text, paragraph=p))
                continue
            in_front = False

        m = SECTION.match(text)
        if m and len(text) <= 40:
            section = Node("section", m.group("rest").strip(), number=m.group("num"), paragraph=p,
                           offset=m.start("rest"))
            root.children.append(section)
            group = direction = fld = item = style = None
            continue

        if index in group_heads:
            m = GROUP.match(text)
            group = Node("group", m.group("rest").strip(), number=m["cn"] or m["num"], paragraph=p,
                         offset=m.start("rest"))
            (section or root).children.append(group)
            direction = fld = item = style = None
            continue

        m = DIRECTION.match(text)
        if not m and direction is not None and direction.number and _read_by_ocr(p):
            m = _misread_direction(text, str(direction.number))
        expected_by_ocr = m is not None and _read_by_ocr(p) and direction is not None \
            and _is_next_number(m.group("num"), str(direction.number))
        if m and _is_direction_heading(p, m, names_partner, expected_by_ocr):
            number = re.sub(r"\s+", "", m.group("num")).replace("．", ".")
            title = m.group("rest").strip()
            direction = Node("direction", title.rstrip("：:").rstrip() if expected_by_ocr else title, number=number,
                             paragraph=p,
                             offset=m.start("rest"))
            (group or section or root).children.append(direction)
            fld = item = style = None
            continue

        if direction is not None:
            m = ITEM.match(text)
            if m and item is not None and style is not None and item_style(m) != style:
                # a sub-clause ((2) 须满足：① … ②) numbered in another style: it belongs to the item it follows
                item.children.append(Node("paragraph", text.strip(), paragraph=p))
                continue
            if m:
                item = Node("item", m.group("rest").strip(), number=item_number(m), paragraph=p,
                            offset=m.start("rest"))
                (fld or direction).children.append(item)
                style = item_style(m)
                continue
            m = LABEL.match(text) or _bare_label(p, paragraphs[index + 1] if index + 1 < len(paragraphs) else None)
            kind = field_kind(m.group("label")) if m else None
            if kind:
                fld = Node("field", m.group("rest").strip(), label=m.group("label").strip(), field=kind,
                           paragraph=p, offset=m.start("rest"))
                direction.children.append(fld)
                item = style = None
                continue

        node = Node("paragraph", text.strip(), paragraph=p)
        (item or fld or direction or section or root).children.append(node)
    return root
