"""Warnings: doubts about an edition that do not withhold it but that a person should review.

A check (checks.py) fails the edition; a warning rule only flags a value. Each rule is a
function edition → list of `QualityWarning`, listed in `WARNING_RULES` in report order;
`validate_edition` runs them all and puts what they find in `validation.json`.
"""

from __future__ import annotations

from typing import Callable

from ..models import QualityWarning

WarningRule = Callable[[dict], list[QualityWarning]]


def preamble_totals_missing(edition: dict) -> list[QualityWarning]:
    """A total the preamble does not state cannot be checked: say which, so a person can look."""
    info = edition["edition"]
    names = {"budget_cny": "total budget", "project_count": "project-count range",
             "direction_count": "number of directions", "partner_count": "number of partners"}
    return [QualityWarning(rule="preamble_totals_missing", path=f"edition.{key}",
                           message=f"the preamble states no {name}, so the directions cannot be checked against it")
            for key, name in names.items() if info.get(key) is None]


def per_project_cap_short_of_budget(edition: dict) -> list[QualityWarning]:
    """A per-project cap × the most projects below the budget: the money cannot all be spent as stated.

    Either the cap, the count or the budget was misread, or the guideline itself is inconsistent;
    a person should look. (Not a failure: guidelines do leave money unallocated.)
    """
    from ..records.values import format_wan

    found = []
    for d in edition["directions"]:
        cap, budget = d.get("per_project_cap_cny"), d.get("budget_cny")
        pc = d.get("project_count") or {}
        most = pc.get("max") if pc.get("max") is not None else pc.get("min")
        if cap is None or budget is None or most is None:
            continue
        if cap * most < budget:
            found.append(QualityWarning(
                rule="per_project_cap_short_of_budget", direction=d.get("id"), path="per_project_cap_cny",
                message=f"{most} project(s) × at most {format_wan(cap)} = {format_wan(cap * most)}, less than the "
                        f"budget of {format_wan(budget)}: check the cap, the project count and the budget"))
    return found


WARNING_RULES: list[WarningRule] = [preamble_totals_missing, per_project_cap_short_of_budget]


def edition_warnings(edition: dict) -> list[QualityWarning]:
    return [w for rule in WARNING_RULES for w in rule(edition)]
