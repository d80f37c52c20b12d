"""Ruled tables in a PDF: where their cells are, so each row can be read as the Word reader reads it.

A guideline may print a direction's fields as a ruled two-column table (合作协议 │ 《…》,
拟支持项目数 │ 不超过 10 个 …). Read line by line, a row's label and value are two unrelated
lines, a value wrapped inside its cell breaks into pieces, and nothing says which label a value
belongs to. This step finds the tables with pdfplumber's table finder (`page.find_tables`,
ruling-line strategy) and gives every cell's box; the layout stage (structure/tables.py) then
reads a "label │ value" row as one `label：value` line whose characters keep their cell's box.

It is kept apart from glyph reading on purpose: it runs only on the pages that draw ruling
lines (`pages_with_rulings`, a cheap look at the page's path objects with pypdfium2), so a
PDF without tables never pays for pdfplumber, whichever reader gives the glyphs.

Table record (`RuledTable`):

| field | meaning |
|---|---|
| page  | 1-based page number |
| bbox  | the table's box (x0, top, x1, bottom), PDF points, origin top-left |
| rows  | per row, its cells' boxes left to right (None where a cell spans from the row above) |
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

Box = tuple[float, float, float, float]

RULE_THICKNESS = 3.0  # points: a path object thinner than this across is a drawn line
RULE_LENGTH = 12.0  # and at least this long
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "join_tolerance": 3, "intersection_tolerance": 3}


@dataclass
class RuledTable:
    page: int
    bbox: Box
    rows: list[list[Box | None]]

    def to_dict(self) -> dict:
        return {"page": self.page, "bbox": [round(v, 2) for v in self.bbox],
                "rows": [[[round(v, 2) for v in cell] if cell else None for cell in row] for row in self.rows]}


def pages_with_rulings(path: Path) -> list[int]:
    """Pages (1-based) that draw at least two horizontal and two vertical lines (a grid's least), or boxes.

    Looks only at the path objects' bounds (pypdfium2): a thin, long path is a rule; a path that is
    a box in both directions (a cell border drawn as one rectangle, or a whole grid drawn as one path)
    counts as two of each."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    found = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            horizontal = vertical = 0
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
                try:
                    x0, y0, x1, y1 = obj.get_bounds()
                except Exception:  # a path pdfium cannot measure: not a rule
                    continue
                w, h = abs(x1 - x0), abs(y1 - y0)
                if h < RULE_THICKNESS and w >= RULE_LENGTH:
                    horizontal += 1
                elif w < RULE_THICKNESS and h >= RULE_LENGTH:
                    vertical += 1
                elif w >= RULE_LENGTH and h >= RULE_LENGTH:
                    horizontal += 2
                    vertical += 2
                if horizontal >= 2 and vertical >= 2:
                    found.append(index + 1)
                    break
            page.close()
    finally:
        document.close()
    return found


def find_ruled_tables(path: Path, pages: list[int]) -> dict[int, list[RuledTable]]:
    """The ruled tables pdfplumber's finder sees on the given pages (1-based), page → tables."""
    import pdfplumber

    out: dict[int, list[RuledTable]] = {}
    if not pages:
        return out
    with pdfplumber.open(str(path)) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            x0, top = float(page.bbox[0]), float(page.bbox[1])
            tables = []
            for table in page.find_tables(table_settings=TABLE_SETTINGS):
                rows = [[_shift(cell, x0, top) if cell else None for cell in row.cells] for row in table.rows]
                if rows and any(any(row) for row in rows):
                    tables.append(RuledTable(number, _shift(table.bbox, x0, top), rows))
            if tables:
                out[number] = tables
            page.flush_cache()
    return out


def _shift(box, x0: float, top: float) -> Box:
    """pdfplumber's boxes are in the page's coordinates; the glyph reader's origin is the page box's corner."""
    return (float(box[0]) - x0, float(box[1]) - top, float(box[2]) - x0, float(box[3]) - top)


def read_ruled_tables(doc, limits=None) -> dict[int, list[RuledTable]]:
    """The ruled tables of a read PDF (a RawDocument), page → tables; pages read by OCR are left out.

    Run within the same reading limits as the glyphs (the stream inflation bound)."""
    from .pdf import DEFAULT_LIMITS, _reading_within

    with _reading_within(limits or DEFAULT_LIMITS):
        candidates = [n for n in pages_with_rulings(Path(doc.path))
                      if n <= len(doc.pages) and not any(c.get("confidence") is not None for c in doc.pages[n - 1].chars[:1])]
        return find_ruled_tables(Path(doc.path), candidates)
