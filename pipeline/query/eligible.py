"""Which directions may an enterprise, a university or a research institute lead?

`eligible_directions(editions, lead)` is the core: editions (dicts) and a kind of Chinese
organisation in, one row per direction out — those it may lead, then those it may not, each
with the requirement that says so. `query/render.py` writes the rows as text or JSON lines.
"""

from __future__ import annotations

from ..records.derived import stored_eligibility
from ..records.eligibility import refusing_rule

LEAD_TYPES = {"enterprise": "企业", "university": "高校", "research_institute": "科研院所"}


def eligible_directions(editions: list[dict], lead: str) -> list[dict]:
    """Every direction of the editions, in order: {edition, id, title, partner, may_lead, eligible, because}.

    `because` is the refusing requirement ({requirement, text}) of a direction the kind may not lead
    (None when no single requirement says so); rows it may lead come first."""
    if lead not in LEAD_TYPES:
        raise ValueError(f"lead must be one of {', '.join(LEAD_TYPES)}, not {lead!r}")
    allowed, refused = [], []
    for edition in editions:
        for d in edition["directions"]:
            rules = stored_eligibility(d)  # derived once with the records, corrections applied
            row = {"edition": edition["edition"]["id"], "id": d["id"], "title": d["title"],
                   "partner": (d.get("partner") or {}).get("iso_code"), "may_lead": rules.may_lead}
            if lead in rules.may_lead:
                allowed.append({**row, "eligible": True})
            else:
                why = refusing_rule(rules)
                refused.append({**row, "because": {"requirement": why.requirement, "text": why.text} if why else None,
                                "eligible": False})
    return allowed + refused
