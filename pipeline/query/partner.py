"""A partner's history across editions: budget, project counts, fields, who may lead, contacts.

`partner_history(editions, query)` is the core: editions (dicts) and a partner code or name
(DK, 丹麦, Denmark) in, one entry per edition and direction out, each with what changed since
the same programme's previous edition (matched as the diff matches: partner and programme,
never number). `query/render.py` turns it into Markdown, JSON or one HTML page with a budget chart.
"""

from __future__ import annotations

from ..errors import BadEdition
from ..i18n import N_
from ..records.derived import stored_eligibility
from ..records.partners import partner_code, territory_names
from ..compare.diff import direction_changes, eligibility_changes, match_directions
from ..models import DirectionDiff, DirectionRef


def _english_names() -> dict[str, str]:
    from babel import Locale

    return {name.lower(): code for code, name in Locale.parse("en").territories.items() if len(code) == 2}


def partner_codes_for(query: str) -> set[str]:
    """Codes a query names: a code itself (DK, EU, ASEAN), a Chinese name (丹麦) or an English one (Denmark)."""
    q = query.strip()
    codes = {q.upper()}
    if q in territory_names():
        codes.add(territory_names()[q])
    if q.lower() in _english_names():
        codes.add(_english_names()[q.lower()])
    return codes


def _order(edition: dict):
    info = edition["edition"]
    return (info.get("year") or 0, info.get("batch") or 0, info.get("id") or "")


def _matches(direction: dict, query: str, codes: set[str]) -> bool:
    partner = direction.get("partner") or {}
    name = partner.get("name") or ""
    return partner_code(partner) in codes or (bool(name) and (query.strip() == name or query.strip() in name))


def _entry(edition: dict, d: dict) -> dict:
    pc = d.get("project_count") or {}
    budget = d.get("budget_cny")
    rules = stored_eligibility(d)  # derived once with the records, corrections applied
    return {
        "edition": edition["edition"]["id"], "direction": d.get("id"), "title": d.get("title"),
        "partner": d.get("partner"), "budget_cny": budget,
        "project_count": {"min": pc.get("min"), "max": pc.get("max")} if pc else None,
        "budget_per_project_cny": dict(d["derived"]["budget_per_project_cny"]),
        "per_project_cap_cny": d.get("per_project_cap_cny"),
        "fields": [f["name"] for f in d.get("fields") or []], "fields_unrestricted": bool(d.get("fields_unrestricted")),
        "may_lead": rules.may_lead, "joint_application_required": rules.joint_application_required,
        "ip_agreement_required": rules.ip_agreement_required,
        "matching_funds_required": rules.matching_funds_required,
        "contacts": [{k: c.get(k) for k in ("name", "honorific", "phone", "phone_extension", "email")}
                     for c in d.get("contacts") or []],
        "since": None, "changes": [],
    }


def partner_history(editions: list[dict], query: str) -> dict:
    """{query, partner, editions: [ids], entries: [...]} for every direction of the partner, oldest edition first."""
    codes = partner_codes_for(query)
    entries, seen, partner = [], [], None
    previous, previous_edition = [], None
    for edition in sorted(editions, key=_order):
        mine = [d for d in edition["directions"] if _matches(d, query, codes)]
        seen.append(edition["edition"]["id"])
        pairs = {j: i for i, j, _ in match_directions(previous, mine)} if previous else {}
        for j, d in enumerate(mine):
            entry = _entry(edition, d)
            partner = partner or d.get("partner")
            if j in pairs:
                old = previous[pairs[j]]
                refs = [DirectionRef(id=x.get("id"), title=x.get("title"), partner_name=None, partner_iso=None)
                        for x in (old, d)]
                entry["since"] = {"edition": previous_edition, "direction": old.get("id")}
                entry["changes"] = {"direction": DirectionDiff(old=refs[0], new=refs[1],
                                                               changes=direction_changes(old, d)),
                                    "eligibility": eligibility_changes(old, d)}
            elif len(seen) > 1:
                entry["since"] = {"edition": seen[-2], "direction": None}  # not in the edition before
            entries.append(entry)
        if mine:
            previous, previous_edition = mine, edition["edition"]["id"]
    if not entries:
        raise BadEdition(N_("{query}: no direction with this partner in {count} edition(s); "
                            "give an ISO code (DK), a Chinese name (丹麦) or an English one (Denmark)"),
                         query=query, count=len(seen))
    return {"query": query, "partner": partner, "editions": seen, "entries": entries}
