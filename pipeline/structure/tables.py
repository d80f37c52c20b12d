"""Layout stage, part 1b: the cells of a ruled table → lines read as the Word reader reads a table.

A row of two cells whose first is a short label (合作协议, 拟支持项目数 …) reads as one line
`label：value` (the colon added when the label has none), the value's wrapped lines joined as
a paragraph's are; any other row reads cell by cell, left to right. Every table line is a
paragraph of its own (`Line.block`), and each character keeps its cell's box as its box, so a
value's provenance is the page and the cell it was printed in.

Characters are assigned to the cell their centre falls in; characters outside every table
go on to `chars_to_lines` as usual.
"""

from __future__ import annotations

import re

from .layout import Char, Line, chars_to_lines
from .paragraphs import join_lines

LABEL_MAX_CHARS = 14  # a label is short and no sentence: 合作协议, 拟支持项目数量, 共拟支持经费
SENTENCE = re.compile(r"[。；;，,！？]")


def _inside(ch: Char, box) -> bool:
    x = (ch.x0 + ch.x1) / 2
    y = (ch.top + ch.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _cell_text(chars: list[Char], page: int) -> tuple[str, list[Char]]:
    """A cell's characters → its text (its lines joined as a wrapped paragraph's) and the characters in order."""
    lines = chars_to_lines(chars, page)
    text = ""
    for ln in lines:
        piece = ln.text.strip()
        text = text + join_lines(text, piece) + piece if text else piece
    return text, chars


def _line(page: int, text: str, cells: list[tuple[str, tuple]], size: float, font: str) -> Line:
    """One table line: each character's box is the cell box it came from (None for an added separator)."""
    boxes = []
    for piece, box in cells:
        boxes.extend([box] * len(piece) if box else [None] * len(piece))
    real = [b for _, b in cells if b]
    x0, top = min(b[0] for b in real), min(b[1] for b in real)
    x1, bottom = max(b[2] for b in real), max(b[3] for b in real)
    return Line(page, text, x0, top, x1, bottom, font, size, boxes, confidences=[None] * len(text), block=True)


def chars_to_table_lines(chars: list[Char], tables, page: int) -> tuple[list[Char], list[Line]]:
    """Split a page's characters: those outside every table, and the table rows read as lines."""
    rest = list(chars)
    lines: list[Line] = []
    for table in tables:
        in_table = [c for c in rest if _inside(c, table.bbox)]
        if not in_table:
            continue
        taken = set()
        for row in table.rows:
            cells = []
            for box in row:
                if box is None:
                    continue
                members = [c for c in in_table if id(c) not in taken and _inside(c, box)]
                taken.update(id(c) for c in members)
                if members:
                    text, _ = _cell_text(members, page)
                    if text:
                        cells.append((text, box, members))
            if not cells:
                continue
            size = max((c.size for _, _, ms in cells for c in ms), default=0.0)
            font = cells[0][2][0].font
            label = cells[0][0]
            if len(cells) == 2 and len(label) <= LABEL_MAX_CHARS and not SENTENCE.search(label):
                colon = "" if label.endswith(("：", ":")) else "："
                text = label + colon + cells[1][0]
                lines.append(_line(page, text, [(label, cells[0][1]), (colon, None), (cells[1][0], cells[1][1])],
                                   size, font))
            else:
                for text, box, _ in cells:
                    lines.append(_line(page, text, [(text, box)], size, font))
        rest = [c for c in rest if id(c) not in taken]
    return rest, lines


def page_chars_to_lines(chars: list[Char], page: int, tables=()) -> list[Line]:
    """A page's characters → lines, top to bottom; rows of ruled tables read as label：value lines."""
    if not tables:
        return chars_to_lines(chars, page)
    rest, table_lines = chars_to_table_lines(chars, tables, page)
    lines = chars_to_lines(rest, page) + table_lines
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))
