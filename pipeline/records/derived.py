"""Derived facts: what follows from a direction's values, computed once and stored in the edition.

| fact (`direction.derived`) | follows from | read by |
|---|---|---|
| `projects_low`, `projects_high` | project_count: min, else max (and the other way round) | checks (Σ against the preamble), warnings (cap × projects), tables, review |
| `budget_per_project_cny` {min, max} | budget_cny ÷ project_count.max / .min | tables, partner |
| `eligibility` | requirements (eligibility.py) and max_duration_years | tables, diff, partner, eligible, enrichment |

`with_derived` runs when the records are built and again after a person's corrections are
applied (corrections.py), so a corrected count, budget, requirement or duration reaches
every consumer; no consumer derives these facts again.

>>> facts = direction_facts({"budget_cny": 20_000_000, "project_count": {"min": 4, "max": 5},
...                          "requirements": [], "max_duration_years": 3})
>>> facts.projects_low, facts.projects_high, facts.budget_per_project_cny.min, facts.budget_per_project_cny.max
(4, 5, 4000000, 5000000)
>>> direction_facts({"budget_cny": 20_000_000, "project_count": {"min": None, "max": 10},
...                  "requirements": []}).budget_per_project_cny  # 不超过 10 个: one project may get it all
PerProject(min=2000000, max=None)
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import TYPE_CHECKING

from .plain import DirectionDerived, PerProject  # the contract's twins: extract builds these (plain.py)
from .eligibility import eligibility_of

if TYPE_CHECKING:
    from ..models import DirectionEligibility


def project_bounds(count: dict | None) -> tuple[int | None, int | None]:
    """(lowest, highest) number of projects a count allows: min, else max; max, else min."""
    count = count or {}
    low, high = count.get("min"), count.get("max")
    return (low if low is not None else high), (high if high is not None else low)


def per_project(budget: int | None, projects: int | None) -> int | None:
    """Budget ÷ number of projects, in whole yuan; None when either is unknown or the count is not positive."""
    if budget is None or not projects or projects < 1:
        return None
    return round(Fraction(budget, projects))  # exact: a float overflows on a misread budget of 10^400


def direction_facts(direction: dict) -> DirectionDerived:
    """The derived facts of one direction (a dict as edition.json holds it)."""
    count = direction.get("project_count") or {}
    low, high = project_bounds(count)
    budget = direction.get("budget_cny")
    return DirectionDerived(
        projects_low=low, projects_high=high,
        budget_per_project_cny=PerProject(min=per_project(budget, count.get("max")),
                                          max=per_project(budget, count.get("min"))),
        eligibility=eligibility_of(direction))


def with_derived(edition: dict) -> dict:
    """The edition (a dict) with every direction's derived facts computed from its current values."""
    out = copy.copy(edition)
    out["directions"] = [{**d, "derived": direction_facts(d).model_dump(mode="json")} for d in edition["directions"]]
    return out


def stored_eligibility(direction: dict) -> DirectionEligibility:
    """The eligibility the edition stores for a direction (derived once, corrections applied)."""
    from ..models import DirectionEligibility  # the contract's, for the stages that read an edition

    return DirectionEligibility.model_validate(direction["derived"]["eligibility"])
