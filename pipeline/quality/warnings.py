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


WARNING_RULES: list[WarningRule] = [preamble_totals_missing]


def edition_warnings(edition: dict) -> list[QualityWarning]:
    return [w for rule in WARNING_RULES for w in rule(edition)]
