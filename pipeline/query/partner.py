"""A partner's history across editions: budget, project counts, fields, who may lead, contacts.

`partner_history(editions, query)` is the core: editions (dicts) and a partner code or name
(DK, 丹麦, Denmark) in, one entry per edition and direction out, each with what changed since
the same programme's previous edition (matched as the diff matches: partner and programme,
never number). `RENDERERS` turn it into Markdown, JSON or one HTML page with a budget chart.
"""

from __future__ import annotations

import html
import json

from ..errors import BadEdition
from ..i18n import N_, translator
from ..records.derived import stored_eligibility
from ..records.partners import partner_code, territory_names
from ..records.values import format_wan
from ..style import bar_chart_html, html_page, md_escape
from ..compare.diff import direction_changes, eligibility_changes, match_directions
from ..compare.render import count_text, direction_lines, eligibility_line, org_names, per_project_text
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
        "contacts": [{k: c.get(k) for k in ("name", "honorific", "phone", "email")} for c in d.get("contacts") or []],
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


def _changes_lines(entry: dict, _) -> list[str]:
    if not entry["changes"]:
        return []
    lines = direction_lines(entry["changes"]["direction"], _)
    lines += [eligibility_line(c, _).split(": ", 1)[-1] for c in entry["changes"]["eligibility"]]
    return lines


def outline_of(history: dict, lang: str = "en"):
    """Title, table rows (header first), and one section of lines per edition and direction."""
    _ = translator(lang)
    partner = history["partner"] or {}
    name = " ".join(x for x in (partner_code(partner), partner.get("name")) if x)
    title = _("Partner {partner}: {count} edition(s)").format(partner=name, count=len(history["editions"]))
    table = [[_("edition"), _("direction"), _("budget"), _("projects"), _("per project"), _("cap per project")]]
    sections = []
    orgs = org_names(_)
    for e in history["entries"]:
        change = {v.field for v in e["changes"]["direction"].changes.values} if e["changes"] else set()
        mark = lambda field: " *" if field in change else ""  # noqa: E731
        table.append([e["edition"], e["direction"], format_wan(e["budget_cny"]) + mark("budget_cny"),
                      count_text(e["project_count"]) + mark("project_count"), per_project_text(e["budget_per_project_cny"]),
                      format_wan(e["per_project_cap_cny"]) + mark("per_project_cap_cny")])
        lines = [_("Fields: {fields}").format(fields="；".join(e["fields"]) or
                                               (_("any field") if e["fields_unrestricted"] else "—")),
                 _("May lead: {who}").format(who="、".join(orgs[o] for o in e["may_lead"]) or "—")]
        musts = [label for key, label in (("joint_application_required", _("joint application")),
                                          ("ip_agreement_required", _("IP agreement")),
                                          ("matching_funds_required", _("matching funds"))) if e[key]]
        if musts:
            lines.append(_("Required: {what}").format(what="、".join(musts)))
        for c in e["contacts"]:
            lines.append(_("Contact: {contact}").format(
                contact=" ".join(x for x in (c["name"], c["honorific"], c["phone"], c["email"]) if x)))
        if e["since"] and e["since"]["direction"] is None:
            lines.append(_("New since {edition}").format(edition=e["since"]["edition"]))
        elif e["since"]:
            changed = _changes_lines(e, _)
            lines += [_("Changed since {edition}: {change}").format(edition=e["since"]["edition"], change=c)
                      for c in changed] or [_("Unchanged since {edition}").format(edition=e["since"]["edition"])]
        sections.append((f"{e['edition']} · {e['direction']} {e['title']}", lines))
    return title, table, sections


def to_markdown(history: dict, lang: str = "en") -> str:
    title, table, sections = outline_of(history, lang)
    out = [f"# {md_escape(title)}", "", "| " + " | ".join(md_escape(c) for c in table[0]) + " |",
           "|" + "---|" * len(table[0])]
    out += ["| " + " | ".join(md_escape(str(c)) for c in row) + " |" for row in table[1:]]
    for heading, lines in sections:
        out += ["", f"## {md_escape(heading)}", ""] + [f"- {md_escape(line)}" for line in lines]
    _ = translator(lang)
    out += ["", _("* changed since the previous edition")]
    return "\n".join(out) + "\n"


def to_html(history: dict, lang: str = "en") -> str:
    _ = translator(lang)
    title, table, sections = outline_of(history, lang)
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in table[0])
    rows = "".join("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in table[1:])
    chart = bar_chart_html([(f"{e['edition']} {e['direction']}", None, e["budget_cny"])
                            for e in history["entries"]], None, format_wan)
    body = "".join(f"<h2>{esc(h)}</h2><ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
                   for h, lines in sections)
    note, heading = esc(_("* changed since the previous edition")), esc(_("Budget per edition"))
    return html_page(title, f"<table><tr>{head}</tr>{rows}</table><p class=muted>{note}</p>"
                            f"<h2>{heading}</h2>{chart}{body}", lang)


def to_json(history: dict, lang: str = "en") -> str:
    def plain(value):
        if hasattr(value, "model_dump"):
            return value.model_dump(mode="json")
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(history), ensure_ascii=False, indent=1) + "\n"


RENDERERS = {"md": to_markdown, "json": to_json, "html": to_html}
