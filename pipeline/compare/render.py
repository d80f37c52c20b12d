"""Render a DiffReport as Markdown (default), JSON or one self-contained HTML page.

Both text formats are made from one outline (`outline_of`): a summary table first, then
sections of short lines, so Markdown and HTML always say the same thing.
"""

from __future__ import annotations

import html
import json

from ..models import DiffReport, DirectionDiff, FieldChange
from ..records.values import format_wan


def count_text(pc) -> str:
    if not pc or (pc.get("min") is None and pc.get("max") is None):
        return "—"
    lo, hi = pc.get("min"), pc.get("max")
    if lo is None:
        return f"≤{hi}"
    if hi is None:
        return f"≥{lo}"
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def years_text(value) -> str:
    if isinstance(value, dict):
        return count_text(value) + " years" if value else "—"
    return "—" if value is None else f"{value:g} years"


def signed(value, fmt=str) -> str:
    return ("+" if value > 0 else "−") + fmt(abs(value))


def pct_text(pct: float) -> str:
    return signed(pct, lambda v: f"{v:g}%") if pct else "0%"


def range_delta(old, new) -> str:
    """'−12 / −12' for a {min, max} range that moved."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return "changed"
    parts = []
    for end in ("min", "max"):
        a, b = old.get(end), new.get(end)
        parts.append("—" if a is None or b is None else ("0" if a == b else signed(b - a, lambda v: f"{v:g}")))
    return " / ".join(parts) + " (min / max)"


def change_text(change: FieldChange) -> str:
    """'2,000 万元 → 1,600 万元 (−400 万元, −20%)' and the like."""
    render = {"budget_cny": format_wan, "project_count": count_text, "max_duration_years": years_text,
              "duration_years": years_text}.get(change.field, lambda v: "—" if v is None else str(v))
    text = f"{render(change.old)} → {render(change.new)}"
    if change.diff is not None:
        delta = signed(change.diff, format_wan) if change.field == "budget_cny" else signed(change.diff, lambda v: f"{v:g}")
        text += f" ({delta}" + (f", {pct_text(change.pct)})" if change.pct is not None else ")")
    return text


LABELS = {"title": "Title", "partner": "Partner", "budget_cny": "Budget", "project_count": "Project count",
          "max_duration_years": "Longest duration", "fields_unrestricted": "Any field allowed",
          "direction_count": "Directions", "partner_count": "Partners", "duration_years": "Usual duration"}


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


def direction_lines(d: DirectionDiff) -> list[str]:
    c = d.changes
    lines = [f"{LABELS.get(v.field, v.field)}: {change_text(v)}" for v in c.values]
    if d.old.id != d.new.id:
        lines.insert(0, f"Renumbered: {d.old.id} → {d.new.id}")
    lines += [f"Agreement added: 《{a}》" for a in c.agreements.added]
    lines += [f"Agreement removed: 《{a}》" for a in c.agreements.removed]
    lines += [f"Agreement reworded: {_edits(r.edits)} in 《{r.new}》" for r in c.agreements.reworded]
    lines += [f"Field added: {f}" for f in c.fields.added]
    lines += [f"Field removed: {f}" for f in c.fields.removed]
    for t in c.fields.topics_changed:
        if t.added:
            lines.append(f"Field {t.field}: topics added {'、'.join(t.added)}")
        if t.removed:
            lines.append(f"Field {t.field}: topics removed {'、'.join(t.removed)}")
    lines += [f"Requirement added: {r}" for r in c.requirements.added]
    lines += [f"Requirement removed: {r}" for r in c.requirements.removed]
    lines += [f"Requirement reworded: {_edits(r.edits)} — now: {r.new}" for r in c.requirements.reworded]
    lines += [f"Contact added: {n}" for n in c.contacts.added]
    lines += [f"Contact removed: {n}" for n in c.contacts.removed]
    lines += [f"Contact {ch.contact}: {ch.field} {ch.old or '—'} → {ch.new or '—'}" for ch in c.contacts.changed]
    lines += [f"URL added: {u}" for u in c.urls.added]
    lines += [f"URL removed: {u}" for u in c.urls.removed]
    return lines


def _ref_text(ref) -> str:
    partner = " ".join(x for x in (ref.partner_iso, ref.partner_name) if x)
    return f"{ref.id} {ref.title}" + (f" ({partner})" if partner else "")


def outline_of(report: DiffReport) -> tuple[str, list[list[str]], list[tuple[str, list[str]]]]:
    """Title, summary table rows (first row is the header), and sections of lines."""
    old, new = report.old.id, report.new.id
    by_field = {t.field: t for t in report.totals}
    table = [["", old, new, "change"]]
    for field, render in (("budget_cny", format_wan), ("project_count", count_text), ("direction_count", str),
                          ("partner_count", str), ("duration_years", years_text)):
        change = by_field.get(field)
        delta = "—"
        if change and change.diff is not None:
            delta = signed(change.diff, format_wan if field == "budget_cny" else lambda v: f"{v:g}")
            delta += f" ({pct_text(change.pct)})" if change.pct is not None else ""
        elif change:
            delta = range_delta(change.old, change.new)
        before, after = getattr(report.old, field), getattr(report.new, field)
        table.append([LABELS.get(field, field), "—" if before is None else render(before),
                      "—" if after is None else render(after), delta])
    s = report.summary
    table.append(["Directions added / removed", "", "", f"{s.directions_added} / {s.directions_removed}"])
    table.append(["Directions changed / unchanged", "", "", f"{s.directions_changed} / {s.directions_unchanged}"])
    sections = []
    if report.identical:
        sections.append(("No changes", [f"{old} and {new} state the same totals and the same directions."]))
    if report.added:
        sections.append(("Directions added", [_ref_text(r) for r in report.added]))
    if report.removed:
        sections.append(("Directions removed", [_ref_text(r) for r in report.removed]))
    for d in report.changed:
        sections.append((f"Changed: {_ref_text(d.new)}", direction_lines(d)))
    sections.append(("Matching", [f"{m.old_id} → {m.new_id} {m.partner_iso or ''} {m.title} "
                                  f"(score {m.score:.2f}, title similarity {m.title_similarity:.2f})"
                                  for m in report.matching]))
    return f"{old} → {new}", table, sections


def md_text(text: str) -> str:
    """Text from a PDF made inert in Markdown: HTML escaped (a `<script>` or `<img onerror>` stays
    text once rendered), line breaks joined and Markdown's own marks backslashed."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    return "".join("\\" + ch if ch in "\\`*_[]|#" else ch for ch in text)


def to_markdown(report: DiffReport) -> str:
    title, table, sections = outline_of(report)
    out = [f"# {md_text(title)}", ""]
    out.append("| " + " | ".join(md_text(c) for c in table[0]) + " |")
    out.append("|" + "---|" * len(table[0]))
    out += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in table[1:]]
    for heading, lines in sections:
        out += ["", f"## {md_text(heading)}", ""]
        out += [f"- {md_text(line)}" for line in lines] or ["- (none)"]
    return "\n".join(out) + "\n"


def to_html(report: DiffReport) -> str:
    title, table, sections = outline_of(report)
    esc = html.escape
    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table[1:])
    head = "".join(f"<th>{esc(c)}</th>" for c in table[0])
    body = "".join(f"<h2>{esc(h)}</h2><ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
                   for h, lines in sections)
    return ("<!doctype html><html lang=zh><meta charset=utf-8>"
            f"<title>{esc(title)}</title><style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:60em}}"
            "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em}"
            "h2{margin-top:1.5em;font-size:1.15em}</style>"
            f"<h1>{esc(title)}</h1><table><tr>{head}</tr>{rows}</table>{body}</html>\n")


def to_json(report: DiffReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


RENDERERS = {"md": to_markdown, "json": to_json, "html": to_html}
