"""Ruled tables in a PDF: where their cells are, so each row can be read as the Word reader reads it.

A guideline may print a direction's fields as a ruled two-column table (合作协议 │ 《…》,
拟支持项目数 │ 不超过 10 个 …). Read line by line, a row's label and value are two unrelated
lines, a value wrapped inside its cell breaks into pieces, and nothing says which label a value
belongs to. This step finds the tables with pdfplumber's table finder (`page.find_tables`,
ruling-line strategy) and gives every cell's box; the layout stage (structure/tables.py) then
reads a "label │ value" row as one `label：value` line whose characters keep their cell's box.

It is kept apart from glyph reading on purpose: it runs only on the pages that draw ruling
lines (`RawPage.rulings`, which the glyph reader sets by counting thin long paths as it meets
them, never keeping one), so a PDF without tables never pays for pdfplumber, whichever reader
gives the glyphs (a reader that does not set `rulings` gets no table finding).

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

    candidates = [page.number for page in doc.pages if getattr(page, "rulings", False)
                  and not any(c.get("confidence") is not None for c in page.chars[:1])]
    if not candidates:
        return {}
    with _reading_within(limits or DEFAULT_LIMITS):
        return find_ruled_tables(Path(doc.path), candidates)
