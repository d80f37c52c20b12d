"""Plausible values: the bounds beyond which a number is a misreading or a typo, never a call's real figure.

A budget of 10^30 yuan (a PDF stating 1000000000000000000000000000000 万元, or a correction
with a digit too many) is not a budget: the quality check `values_plausible` fails the
edition, and the gate withholds it. The bounds are generous by orders of magnitude, so a
real figure never trips them:

| value                                   | plausible             | why                                                   |
|-----------------------------------------|-----------------------|-------------------------------------------------------|
| money: a direction's budget, its cap per project, the edition's total budget | at most 10^12 yuan (10^4 亿元) | a whole call states some 10^8–10^9 yuan (2.578 亿元); the national R&D budget of a year is some 3×10^12 |
| counts: projects (min, max) per direction and in the edition; the number of directions and of partners | at most 10,000 | a call funds tens of projects in tens of directions |

Lower bounds are other checks' (a budget below 1 yuan: `budget_positive`; a count below 1:
`project_count_is_range`), and so are durations (`duration_limit_single`: 0 < years ≤ 10).

`value_rows` lists every such number of an edition with where it is (`directions[3].budget_cny`)
and why it is implausible (None when it is not): the table the check runs on.
"""

from __future__ import annotations

MAX_YUAN = 10 ** 12  # 10^4 亿元
MAX_COUNT = 10_000

# (path inside the record, kind) of every number the check bounds
DIRECTION_VALUES = (("budget_cny", "money"), ("per_project_cap_cny", "money"), ("project_count.min", "count"),
                    ("project_count.max", "count"))
EDITION_VALUES = (("budget_cny", "money"), ("project_count.min", "count"), ("project_count.max", "count"),
                  ("direction_count", "count"), ("partner_count", "count"))
BOUND = {"money": MAX_YUAN, "count": MAX_COUNT}
UNIT = {"money": "yuan", "count": ""}
NOUN = {"money": "amount", "count": "count"}


def _at(record: dict, path: str):
    value = record
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def digits(value: int) -> str:
    """An integer as a person reads it: 25,780,000; one too long to read as 1.0 × 10^30 (exactly its size)."""
    text = str(abs(value))
    if len(text) <= 16:
        return f"{value:,}"
    sign = "-" if value < 0 else ""
    return f"{sign}{text[0]}.{text[1:3]} × 10^{len(text) - 1}"


def implausible(value, kind: str) -> str | None:
    """Why a number is not a plausible value of its kind, or None (a missing value is other checks' concern)."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return f"{value} is not a number"
    if abs(value) > BOUND[kind]:
        unit = f" {UNIT[kind]}" if UNIT[kind] else ""
        shown = digits(int(value)) if isinstance(value, int) else f"{value:g}"
        return f"{shown}{unit} is beyond any plausible {NOUN[kind]} (at most {digits(BOUND[kind])}{unit})"
    return None


def value_rows(edition: dict, path_key: str = "_path") -> list[dict]:
    """Every bounded number of the edition: {path_key: its path, direction_id, value (as text), problem}."""
    rows = []
    info = edition["edition"]
    for path, kind in EDITION_VALUES:
        value = _at(info, path)
        rows.append({path_key: f"edition.{path}", "direction_id": None,
                     "value": None if value is None else str(value)[:40], "problem": implausible(value, kind)})
    for i, direction in enumerate(edition["directions"]):
        for path, kind in DIRECTION_VALUES:
            value = _at(direction, path)
            rows.append({path_key: f"directions[{i}].{path}", "direction_id": direction.get("id"),
                         "value": None if value is None else str(value)[:40], "problem": implausible(value, kind)})
    return rows
