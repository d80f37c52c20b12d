"""Rendering the answers of the query folder: a partner's history and search hits as Markdown, JSON or one
HTML page; the rows of `eligible` as text or JSON lines. Data in, text out (the questions are answered in
`partner.py`, `search.py` and `eligible.py`).
"""

from __future__ import annotations

import html
import json

from ..compare.render import count_text, direction_lines, eligibility_line, org_names, per_project_text
from ..i18n import translator
from ..records.partners import partner_code
from ..records.values import format_wan
from ..style import bar_chart_html, html_page, md_escape
from .eligible import LEAD_TYPES
from .search import Hit, query_concepts, snippet


# --- a partner's history ------------------------------------------------------------------------------

def _changes_lines(entry: dict, _) -> list[str]:
    if not entry["changes"]:
        return []
    lines = direction_lines(entry["changes"]["direction"], _)
    lines += [eligibility_line(c, _).split(": ", 1)[-1] for c in entry["changes"]["eligibility"]]
    return lines


def partner_outline(history: dict, lang: str = "en"):
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
                      count_text(e["project_count"]) + mark("project_count"),
                      per_project_text(e["budget_per_project_cny"]),
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
                contact=" ".join(x for x in (c["name"], c["honorific"], c["phone"],
                                             c["phone_extension"] and f"ext. {c['phone_extension']}", c["email"]) if x)))
        if e["since"] and e["since"]["direction"] is None:
            lines.append(_("New since {edition}").format(edition=e["since"]["edition"]))
        elif e["since"]:
            changed = _changes_lines(e, _)
            lines += [_("Changed since {edition}: {change}").format(edition=e["since"]["edition"], change=c)
                      for c in changed] or [_("Unchanged since {edition}").format(edition=e["since"]["edition"])]
        sections.append((f"{e['edition']} · {e['direction']} {e['title']}", lines))
    return title, table, sections


def partner_markdown(history: dict, lang: str = "en") -> str:
    title, table, sections = partner_outline(history, lang)
    out = [f"# {md_escape(title)}", "", "| " + " | ".join(md_escape(c) for c in table[0]) + " |",
           "|" + "---|" * len(table[0])]
    out += ["| " + " | ".join(md_escape(str(c)) for c in row) + " |" for row in table[1:]]
    for heading, lines in sections:
        out += ["", f"## {md_escape(heading)}", ""] + [f"- {md_escape(line)}" for line in lines]
    _ = translator(lang)
    out += ["", _("* changed since the previous edition")]
    return "\n".join(out) + "\n"


def partner_html(history: dict, lang: str = "en") -> str:
    _ = translator(lang)
    title, table, sections = partner_outline(history, lang)
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


def partner_json(history: dict, lang: str = "en") -> str:
    def plain(value):
        if hasattr(value, "model_dump"):
            return value.model_dump(mode="json")
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(history), ensure_ascii=False, indent=1) + "\n"


PARTNER_RENDERERS = {"md": partner_markdown, "json": partner_json, "html": partner_html}


# --- search hits --------------------------------------------------------------------------------------

def search_outline(hits: list[Hit], query: str, lang: str = "en"):
    _ = translator(lang)
    whole, parts = query_concepts(query)
    words = whole | {w for p in parts for w in p}
    where = {"title": _("title"), "field": _("field"), "agreement": _("agreement"), "requirement": _("requirement")}
    title = _("Search “{query}”: {count} direction(s)").format(query=query, count=len(hits))
    sections = []
    for hit in hits:
        heading = f"{hit.edition} · {hit.direction} {hit.title}" + (f" ({hit.partner})" if hit.partner else "")
        sections.append((heading, [f"{where[m['where']]}: {snippet(m['text'], words)}" for m in hit.matches[:4]]))
    return title, sections


def search_markdown(hits: list[Hit], query: str, lang: str = "en") -> str:
    title, sections = search_outline(hits, query, lang)
    out = [f"# {md_escape(title)}"]
    for heading, lines in sections:
        out += ["", f"## {md_escape(heading)}", ""] + [f"- {md_escape(line)}" for line in lines]
    return "\n".join(out) + "\n"


def search_html(hits: list[Hit], query: str, lang: str = "en") -> str:
    title, sections = search_outline(hits, query, lang)
    esc = html.escape
    body = "".join(f"<h2>{esc(h)}</h2><ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
                   for h, lines in sections)
    return html_page(title, body, lang)


def search_json(hits: list[Hit], query: str, lang: str = "en") -> str:
    return json.dumps({"query": query, "hits": [h.as_dict() for h in hits]}, ensure_ascii=False, indent=1) + "\n"


SEARCH_RENDERERS = {"md": search_markdown, "json": search_json, "html": search_html}


# --- who may lead -------------------------------------------------------------------------------------

def eligible_text(rows: list[dict], lead: str, lang: str = "en") -> str:
    """The directions the kind of organisation may lead, then those it may not, with the requirement that says so."""
    _ = translator(lang)
    allowed = [row for row in rows if row["eligible"]]
    refused = [row for row in rows if not row["eligible"]]
    lines = [_("may be led by a {kind} ({lead}): {count} direction(s)").format(kind=LEAD_TYPES[lead], lead=lead,
                                                                                count=len(allowed))]
    lines += [f"  {row['edition']} {row['id']} {row['title']} ({row['partner']})" for row in allowed]
    if refused:
        lines.append(_("may not: {count} direction(s)").format(count=len(refused)))
        for row in refused:
            because = row.get("because")
            reason = _(" — requirement ({number}): {text}").format(number=because["requirement"],
                                                                   text=because["text"]) if because else ""
            lines.append(f"  {row['edition']} {row['id']} {row['title']} ({row['partner']}){reason}")
    return "\n".join(lines) + "\n"


def eligible_json_lines(rows: list[dict], lead: str | None = None, lang: str = "en") -> str:
    """One JSON object per direction."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
