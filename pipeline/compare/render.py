"""Render a DiffReport as Markdown (default), JSON or one self-contained HTML page, in Chinese or English.

Both text formats are made from one outline (`outline_of`): a summary table first, then
sections of short lines, so Markdown and HTML always say the same thing. Text from the
documents is escaped in both: HTML with html.escape, Markdown so that no raw HTML or
table break passes through.
"""

from __future__ import annotations

import html
import json

from ..i18n import translator
from ..models import DiffReport, DirectionDiff, EligibilityChange, FieldChange
from ..records.values import format_wan
from ..style import bar_chart_html, html_page, md_escape


def count_text(pc) -> str:
    if not pc or (pc.get("min") is None and pc.get("max") is None):
        return "—"
    lo, hi = pc.get("min"), pc.get("max")
    if lo is None:
        return f"≤{hi}"
    if hi is None:
        return f"≥{lo}"
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def per_project_text(per_project: dict) -> str:
    """Money per project {min, max} (yuan) for people: '400–500 万元', '≥200 万元' (no minimum count stated)."""
    lo, hi = per_project.get("min"), per_project.get("max")
    if lo is None and hi is None:
        return "—"
    if hi is None:
        return f"≥{format_wan(lo)}"
    if lo is None:
        return f"≤{format_wan(hi)}"
    return format_wan(lo) if lo == hi else f"{format_wan(lo).replace(' 万元', '')}–{format_wan(hi)}"


def years_text(value, _=str) -> str:
    if isinstance(value, dict):
        return _("{n} years").format(n=count_text(value)) if value else "—"
    return "—" if value is None else _("{n} years").format(n=f"{value:g}")


def signed(value, fmt=str) -> str:
    return ("+" if value > 0 else "−") + fmt(abs(value))


def pct_text(pct: float) -> str:
    return signed(pct, lambda v: f"{v:g}%") if pct else "0%"


def range_delta(old, new, _=str) -> str:
    """'−12 / −12 (min / max)' for a {min, max} range that moved."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return _("changed")
    parts = []
    for end in ("min", "max"):
        a, b = old.get(end), new.get(end)
        parts.append("—" if a is None or b is None else ("0" if a == b else signed(b - a, lambda v: f"{v:g}")))
    return " / ".join(parts) + " " + _("(min / max)")


def change_text(change: FieldChange, _=str) -> str:
    """'2,000 万元 → 1,600 万元 (−400 万元, −20%)' and the like."""
    years = lambda v: years_text(v, _)  # noqa: E731
    render = {"budget_cny": format_wan, "per_project_cap_cny": format_wan, "project_count": count_text,
              "max_duration_years": years, "duration_years": years}.get(
        change.field, lambda v: "—" if v is None else (_("yes") if v is True else _("no") if v is False else str(v)))
    text = f"{render(change.old)} → {render(change.new)}"
    if change.diff is not None:
        money = change.field in ("budget_cny", "per_project_cap_cny")
        delta = signed(change.diff, format_wan) if money else signed(change.diff, lambda v: f"{v:g}")
        text += f" ({delta}" + (f", {pct_text(change.pct)})" if change.pct is not None else ")")
    return text


def labels(_) -> dict[str, str]:
    return {"title": _("Title"), "partner": _("Partner"), "budget_cny": _("Budget"),
            "per_project_cap_cny": _("Cap per project"), "project_count": _("Project count"),
            "max_duration_years": _("Longest duration"), "fields_unrestricted": _("Any field allowed"),
            "direction_count": _("Directions"), "partner_count": _("Partners"), "duration_years": _("Usual duration")}


def org_names(_) -> dict[str, str]:
    return {"enterprise": _("enterprises"), "university": _("universities"),
            "research_institute": _("research institutes")}


def _edits(edits) -> str:
    parts = []
    for e in edits:
        old, new = e.old or "", e.new or ""  # a replaced space is an insertion: no "None" in the text
        if e.op == "replace" and old and new:
            parts.append(f"“{old}” → “{new}”")
        elif new:
            parts.append(f"+“{new}”")
        else:
            parts.append(f"−“{old}”")
    return "; ".join(parts)


def direction_lines(d: DirectionDiff, _=str) -> list[str]:
    c = d.changes
    names = labels(_)
    lines = [f"{names.get(v.field, v.field)}: {change_text(v, _)}" for v in c.values]
    if d.old.id != d.new.id:
        lines.insert(0, _("Renumbered: {old} → {new}").format(old=d.old.id, new=d.new.id))
    lines += [_("Agreement added: 《{title}》").format(title=a) for a in c.agreements.added]
    lines += [_("Agreement removed: 《{title}》").format(title=a) for a in c.agreements.removed]
    lines += [_("Agreement reworded: {edits} in 《{title}》").format(edits=_edits(r.edits), title=r.new)
              for r in c.agreements.reworded]
    lines += [_("Field added: {name}").format(name=f) for f in c.fields.added]
    lines += [_("Field removed: {name}").format(name=f) for f in c.fields.removed]
    for t in c.fields.topics_changed:
        if t.added:
            lines.append(_("Field {name}: topics added {topics}").format(name=t.field, topics="、".join(t.added)))
        if t.removed:
            lines.append(_("Field {name}: topics removed {topics}").format(name=t.field, topics="、".join(t.removed)))
    lines += [_("Requirement added: {text}").format(text=r) for r in c.requirements.added]
    lines += [_("Requirement removed: {text}").format(text=r) for r in c.requirements.removed]
    lines += [_("Requirement reworded: {edits} — now: {text}").format(edits=_edits(r.edits), text=r.new)
              for r in c.requirements.reworded]
    lines += [_("Contact added: {name}").format(name=n) for n in c.contacts.added]
    lines += [_("Contact removed: {name}").format(name=n) for n in c.contacts.removed]
    fields = {"name": _("name"), "phone": _("phone"), "email": _("e-mail")}
    lines += [_("Contact {name}: {field} {old} → {new}").format(name=ch.contact, field=fields[ch.field],
                                                              old=ch.old or "—", new=ch.new or "—")
              for ch in c.contacts.changed]
    lines += [_("URL added: {url}").format(url=u) for u in c.urls.added]
    lines += [_("URL removed: {url}").format(url=u) for u in c.urls.removed]
    return lines


def eligibility_line(change: EligibilityChange, _=str) -> str:
    """'1.6 NO: enterprises may now lead (requirement (1) removed)'."""
    head = " ".join(x for x in (change.direction, change.partner_iso) if x)
    if change.what == "may_lead":
        who = org_names(_)[change.org_type]
        what = (_("{who} may now lead") if change.new else _("{who} may no longer lead")).format(who=who)
    elif change.what == "partner_constraints":
        now = "；".join(change.new or []) or "—"
        what = _("constraints on the foreign partner now: {constraints}").format(constraints=now)
    else:
        what = {("joint_application_required", True): _("both sides must now apply jointly"),
                ("joint_application_required", False): _("a joint application is no longer required"),
                ("ip_agreement_required", True): _("an IP agreement is now required"),
                ("ip_agreement_required", False): _("an IP agreement is no longer required"),
                ("matching_funds_required", True): _("matching funds are now required"),
                ("matching_funds_required", False): _("matching funds are no longer required"),
                }.get((change.what, bool(change.new)), change.what)
    reason = ""
    if change.requirement is not None or change.requirement_change:
        number = f"({change.requirement})" if change.requirement is not None else ""
        reason = {"removed": _(" (requirement {number} removed)"), "added": _(" (requirement {number} added)"),
                  "reworded": _(" (requirement {number} reworded)")}.get(change.requirement_change or "",
                                                                          _(" (requirement {number})"))
        reason = reason.format(number=number)
    return _("{direction}: {change}").format(direction=head, change=what + reason)


def _ref_text(ref) -> str:
    partner = " ".join(x for x in (ref.partner_iso, ref.partner_name) if x)
    return f"{ref.id} {ref.title}" + (f" ({partner})" if partner else "")


def outline_of(report: DiffReport, lang: str = "en") -> tuple[str, list[list[str]], list[tuple[str, list[str]]]]:
    """Title, summary table rows (first row is the header), and sections of lines."""
    _ = translator(lang)
    names = labels(_)
    old, new = report.old.id, report.new.id
    by_field = {t.field: t for t in report.totals}
    table = [["", old, new, _("change")]]
    for field, render in (("budget_cny", format_wan), ("project_count", count_text), ("direction_count", str),
                          ("partner_count", str), ("duration_years", lambda v: years_text(v, _))):
        change = by_field.get(field)
        delta = "—"
        if change and change.diff is not None:
            delta = signed(change.diff, format_wan if field == "budget_cny" else lambda v: f"{v:g}")
            delta += f" ({pct_text(change.pct)})" if change.pct is not None else ""
        elif change:
            delta = range_delta(change.old, change.new, _)
        before, after = getattr(report.old, field), getattr(report.new, field)
        table.append([names.get(field, field), "—" if before is None else render(before),
                      "—" if after is None else render(after), delta])
    s = report.summary
    table.append([_("Directions added / removed"), "", "", f"{s.directions_added} / {s.directions_removed}"])
    table.append([_("Directions changed / unchanged"), "", "", f"{s.directions_changed} / {s.directions_unchanged}"])
    sections = []
    if report.identical:
        sections.append((_("No changes"),
                         [_("{old} and {new} state the same totals and the same directions.").format(old=old, new=new)]))
    if report.eligibility:
        sections.append((_("Eligibility changes"), [eligibility_line(c, _) for c in report.eligibility]))
    if report.added:
        sections.append((_("Directions added"), [_ref_text(r) for r in report.added]))
    if report.removed:
        sections.append((_("Directions removed"), [_ref_text(r) for r in report.removed]))
    for d in report.changed:
        sections.append((_("Changed: {direction}").format(direction=_ref_text(d.new)), direction_lines(d, _)))
    sections.append((_("Matching"), [_("{old} → {new} {partner} {title} (score {score}, title similarity {similarity})")
                                     .format(old=m.old_id, new=m.new_id, partner=m.partner_iso or "", title=m.title,
                                             score=f"{m.score:.2f}", similarity=f"{m.title_similarity:.2f}")
                                     for m in report.matching]))
    return f"{old} → {new}", table, sections


def to_markdown(report: DiffReport, lang: str = "en") -> str:
    _ = translator(lang)
    title, table, sections = outline_of(report, lang)
    out = [f"# {md_escape(title)}", ""]
    out.append("| " + " | ".join(md_escape(c) for c in table[0]) + " |")
    out.append("|" + "---|" * len(table[0]))
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table[1:]]
    for heading, lines in sections:
        out += ["", f"## {md_escape(heading)}", ""]
        out += [f"- {md_escape(line)}" for line in lines] or ["- " + _("(none)")]
    return "\n".join(out) + "\n"


def budget_chart(report: DiffReport, lang: str = "en") -> str:
    """Budget of every direction whose budget changed, added or removed, old beside new, in 万元 like the table."""
    _ = translator(lang)
    rows = []
    for d in report.changed:
        budget = next((v for v in d.changes.values if v.field == "budget_cny"), None)
        if budget is not None:
            rows.append((f"{d.new.id} {d.new.partner_iso or d.new.partner_name or ''}", budget.old, budget.new))
    added, removed = _("added"), _("removed")
    rows += [(f"{r.id} {r.partner_iso or r.partner_name or ''} ({added})", None, r.budget_cny) for r in report.added]
    rows += [(f"{r.id} {r.partner_iso or r.partner_name or ''} ({removed})", r.budget_cny, None)
             for r in report.removed]
    if not rows:
        return ""
    return bar_chart_html(rows, (report.old.id or _("old"), report.new.id or _("new")), format_wan)


def to_html(report: DiffReport, lang: str = "en") -> str:
    _ = translator(lang)
    title, table, sections = outline_of(report, lang)
    esc = html.escape
    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table[1:])
    head = "".join(f"<th>{esc(c)}</th>" for c in table[0])
    chart = budget_chart(report, lang)
    heading = esc(_("Budget changes"))
    chart = f"<h2>{heading}</h2>{chart}" if chart else ""
    body = "".join(f"<h2>{esc(h)}</h2><ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
                   for h, lines in sections)
    return html_page(title, f"<table><tr>{head}</tr>{rows}</table>{chart}{body}", lang)


def to_json(report: DiffReport, lang: str = "en") -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


RENDERERS = {"md": to_markdown, "json": to_json, "html": to_html}
