"""The review page: one self-contained HTML page to check an edition against its PDF in minutes.

Top: the edition at a glance — the preamble's totals beside the sums of the directions,
the check results and warnings, budget charts (inline SVG), the corrections a person
made and the changes from the previous edition. Then one card per direction: every
value beside a crop of the PDF page with its source box drawn over it (JPEG, embedded as
a data URI), a failed check or warning at the value it concerns, corrected values
marked. A value with no box (Word sources) shows its paragraph text instead of a crop;
an OCR'd value shows its confidence when the provenance records one.

`review_html` is the core (edition, PDF, report, previous edition → page); `write_review`
does the IO. Nothing here loads Great Expectations or NLP models: a page builds in about a second.
The page is in Chinese or English (`lang`); what the files record — the document's text, check
names and messages, warnings, correction reasons — is shown as recorded.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..compare.diff import diff_editions
from ..compare.render import count_text, outline_of, years_text
from ..editions import edition_digest, load_edition_ref, read_edition
from ..errors import InputMissing
from ..fileio import sha256_of, write_output
from ..i18n import N_, translator
from ..project import resolve_recorded
from ..records.values import format_wan
from ..style import STYLESHEET, bar_chart_svg

SCALE = 1.5  # page pixels per PDF point (108 dpi): small print stays legible
JPEG_QUALITY = 55
MARGIN = 14  # points of context above and below a source box
MAX_CROP_HEIGHT = 300  # points; a longer source shows its start
MIN_CROP_WIDTH = 320  # points; a short value still shows the words around it
OPEN_LIMIT = 3  # lists longer than this are collapsed in <details>

# which value a failed check concerns (quality/checks.py); others are shown on the card's head
CHECK_VALUE = {
    "every direction has a title": "title", "every direction names a partner": "partner",
    "every partner has an ISO or organisation code": "partner", "partner ISO codes are valid": "partner",
    "every direction states a budget": "budget_cny", "budgets are positive": "budget_cny",
    "project counts are ranges with 1 ≤ min ≤ max": "project_count",
    "every direction cites an agreement": "agreements", "contact e-mails are valid": "contacts",
    "contact phones are valid E.164 numbers of the partner's country": "contacts",
    "URLs are valid http(s) addresses": "urls",
}


class PageImages:
    """The PDF's pages rendered once each (grey, SCALE px/pt); crops of them as JPEG data URIs."""

    def __init__(self, pdf: Path | None):
        self.pdf = None
        self.pages: dict[int, object] = {}
        if pdf is not None:
            import pypdfium2

            self.pdf = pypdfium2.PdfDocument(str(pdf))

    def page(self, number: int):
        if number not in self.pages:
            page = self.pdf[number - 1]
            self.pages[number] = page.render(scale=SCALE, grayscale=True).to_pil().convert("L")
            page.close()
        return self.pages[number]

    def crop(self, number: int, bboxes: list[list[float]]) -> tuple[str, list[tuple[float, float, float, float]]]:
        """The region around bboxes on page number: (data URI, each box in % of the crop: left, top, width, height)."""
        image = self.page(number)
        width, height = image.width / SCALE, image.height / SCALE
        x0 = min(b[0] for b in bboxes)
        x1 = max(b[2] for b in bboxes)
        top = min(b[1] for b in bboxes)
        bottom = max(b[3] for b in bboxes)
        pad = max(0.0, (MIN_CROP_WIDTH - (x1 - x0)) / 2)
        left, right = max(0.0, x0 - 8 - pad), min(width, x1 + 8 + pad)
        upper = max(0.0, top - MARGIN)
        lower = min(height, bottom + MARGIN, upper + MAX_CROP_HEIGHT)
        region = image.crop(tuple(round(v * SCALE) for v in (left, upper, right, lower)))
        buffer = io.BytesIO()
        region.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        uri = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
        w, h = right - left, lower - upper
        boxes = []
        for b in bboxes:
            bt, bb = max(b[1], upper), min(b[3], lower)
            if bb > bt:
                boxes.append(((b[0] - left) / w * 100, (bt - upper) / h * 100, (b[2] - b[0]) / w * 100,
                              (bb - bt) / h * 100))
        return uri, boxes

    def close(self):
        for image in self.pages.values():
            image.close()
        if self.pdf is not None:
            self.pdf.close()


@dataclass
class Value:
    """One value on a direction card."""

    path: str  # budget_cny, contacts[0] …: where in the record
    label: str
    text: str
    source: dict | None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def _partner_text(partner: dict, _=str) -> str:
    code = partner.get("iso_code") or partner.get("organisation") or _("no code")
    return f"{partner.get('name') or '—'} ({code})"


def _contact_text(contact: dict, _=str) -> str:
    parts = [" ".join(x for x in (contact.get("name"), contact.get("honorific")) if x) or _("(no name)")]
    if contact.get("phone") or contact.get("phone_text"):
        parts.append(f"☎ {contact.get('phone') or ''}" + (f" ({contact['phone_text']})" if contact.get("phone_text")
                                                          and contact.get("phone_text") != contact.get("phone") else ""))
    if contact.get("email"):
        parts.append(f"✉ {contact['email']}")
    return " · ".join(parts)


def direction_values(d: dict, _=str) -> list[Value]:
    """Every value of a direction that a person checks, each with its source (or None); _ translates the labels."""
    prov = d.get("provenance") or {}
    values = [Value("title", _("Title"), d.get("title"), prov.get("title")),
              Value("partner", _("Partner"), _partner_text(d.get("partner") or {}, _), prov.get("partner"))]
    values += [Value(f"agreements[{i}]", _("Agreement"), f"《{a}》", prov.get(f"agreements[{i}]"))
               for i, a in enumerate(d.get("agreements") or [])]
    if d.get("fields_unrestricted"):  # the document's words, glossed in English
        values.append(Value("fields", _("Fields"), _("{term} (any field)").format(term="不限领域"),
                            prov.get("fields")))
    values += [Value(f"fields[{i}]", _("Field"),
                     f["name"] + (f" — {'、'.join(f['topics'])}" if f.get("topics") else ""), f.get("source"))
               for i, f in enumerate(d.get("fields") or [])]
    pc = d.get("project_count")
    values.append(Value("project_count", _("Project count"),
                        (count_text(pc) + (_(" (approx.)") if pc.get("approximate") else "")) if pc else "—",
                        prov.get("project_count")))
    values.append(Value("budget_cny", _("Budget"), f"{format_wan(d.get('budget_cny'))}"
                        + (f" ({d['budget_cny']:,} 元)" if d.get("budget_cny") else ""), prov.get("budget_cny")))
    values += [Value(f"requirements[{i}]", _("Requirement"), f"({r.get('number') or '·'}) {r['text']}",
                     r.get("source")) for i, r in enumerate(d.get("requirements") or [])]
    values.append(Value("max_duration_years", _("Longest duration"), years_text(d.get("max_duration_years"), _),
                        prov.get("max_duration_years")))
    values += [Value(f"contacts[{i}]", _("Contact"), _contact_text(c, _), c.get("source"))
               for i, c in enumerate(d.get("contacts") or [])]
    values += [Value(f"urls[{i}]", _("URL"), u, prov.get(f"urls[{i}]")) for i, u in enumerate(d.get("urls") or [])]
    return values


def _head(path: str) -> str:
    """'contacts[0].name' → 'contacts'; the list or value a path belongs to."""
    return path.split(".")[0].split("[")[0]


def _concerns(value_path: str, path: str) -> bool:
    """Whether a correction or warning at path concerns the value at value_path."""
    return path == value_path or path.startswith(value_path + ".") or path.startswith(value_path + "[") or (
        "[" not in value_path and _head(path) == value_path)


def _sourced(source: dict | None) -> list[dict]:
    return [loc for loc in (source or {}).get("locations") or [] if loc.get("bbox") and loc.get("page")]


def source_html(source: dict | None, pages: PageImages, value: Value, _=str) -> str:
    """Crops with the source box for a value read from a PDF; the paragraph for one without a box."""
    if not source:
        return '<div class="muted note">' + esc(_("no source recorded")) + "</div>"
    out = []
    located = _sourced(source)
    if located and pages.pdf is not None:
        by_page: dict[int, list] = {}
        for loc in located:
            by_page.setdefault(loc["page"], []).append(loc["bbox"])
        for number, bboxes in list(by_page.items())[:2]:
            uri, boxes = pages.crop(number, bboxes)
            spans = "".join(f'<i class="box" style="left:{b[0]:.2f}%;top:{b[1]:.2f}%;width:{b[2]:.2f}%;'
                            f'height:{b[3]:.2f}%"></i>' for b in boxes)
            alt = _("page {number}: {label}").format(number=number, label=value.label)
            caption = _("page {number}").format(number=number)
            out.append(f'<figure class="crop" data-page="{number}"><img src="{uri}" alt="{esc(alt)}">{spans}'
                       f"<figcaption>{esc(caption)}</figcaption></figure>")
    else:
        where = ", ".join(_("paragraph {number}").format(number=loc["paragraph"]) if loc.get("paragraph") is not None
                          else _("page {number}").format(number=loc.get("page"))
                          for loc in source.get("locations") or []
                          if loc.get("paragraph") is not None or loc.get("page"))
        out.append(f'<blockquote class="paragraph">{esc(source.get("text"))}'
                   + (f'<div class="muted note">{esc(where)}</div>' if where else "") + "</blockquote>")
    confidence = _ocr_confidence(source)
    if confidence is not None:
        cls = "warn" if confidence < 0.9 else "muted"
        text = _("OCR confidence {percent}").format(percent=f"{confidence:.0%}")
        out.append(f'<div class="note {cls} ocr">{esc(text)}</div>')
    return "".join(out)

def _ocr_confidence(source: dict) -> float | None:
    """The OCR confidence the provenance records, if any (0…1; a percentage is scaled)."""
    ocr = source.get("ocr")
    value = ocr.get("confidence") if isinstance(ocr, dict) else (ocr if isinstance(ocr, (int, float)) else None)
    if value is None:
        value = source.get("confidence")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return value / 100 if value > 1 else float(value)




def value_html(value: Value, pages: PageImages, _=str) -> str:
    classes = ["value"] + sorted({cls for cls, _text in value.notes if cls in ("failed", "warned", "corrected")})
    notes = "".join(f'<div class="note {"fix" if cls == "corrected" else cls}">{esc(text)}</div>'
                    for cls, text in value.notes)
    has_box = "true" if _sourced(value.source) else "false"
    return (f'<div class="{" ".join(classes)}" data-path="{esc(value.path)}" data-has-box="{has_box}">'
            f'<div class="label">{esc(value.label)}</div><div class="text">{esc(value.text)}{notes}</div>'
            f'<div class="source">{source_html(value.source, pages, value, _)}</div></div>')


def _annotate(values: list[Value], d: dict, failed: list, warnings: list, _=str) -> list[str]:
    """Put each correction, failed check and warning at its value; what fits no value is returned for the head."""
    head = []
    for change in d.get("corrections") or []:
        target = next((v for v in values if _concerns(v.path, change["path"])), None)
        text = _("corrected {path}: {was} → {value} ({reason})").format(
            path=change["path"], was=repr(change["was"]), value=repr(change["value"]), reason=change["reason"])
        (target.notes.append(("corrected", text)) if target else head.append(text))
    for check in failed:
        key = CHECK_VALUE.get(check["name"])
        targets = [v for v in values if key and _head(v.path) == key] or []
        text = f"✗ {check['name']}: {check.get('message') or ''}"
        if targets:
            targets[0].notes.append(("failed", text))
        else:
            head.append(text)
    for w in warnings:
        target = next((v for v in values if w.get("path") and _concerns(v.path, w["path"])), None)
        text = _("needs review: {message}").format(message=w["message"])
        (target.notes.append(("warned", text)) if target else head.append(text))
    return head


def _group_html(values: list[Value], pages: PageImages, _=str) -> str:
    """Values in card order; a run of more than OPEN_LIMIT fields or requirements is collapsed in <details>."""
    collapsed = {"fields": _("{count} fields"), "requirements": _("{count} requirements")}
    out, i = [], 0
    while i < len(values):
        kind = _head(values[i].path)
        j = i
        while j < len(values) and _head(values[j].path) == kind:
            j += 1
        run = values[i:j]
        body = "".join(value_html(v, pages, _) for v in run)
        if kind in collapsed and len(run) > OPEN_LIMIT:
            flagged = any(v.notes for v in run)
            out.append(f'<details{" open" if flagged else ""}><summary>{esc(collapsed[kind].format(count=len(run)))}'
                       f"</summary>{body}</details>")
        else:
            out.append(body)
        i = j
    return "".join(out)


def card_html(d: dict, pages: PageImages, failed: list, warnings: list, _=str) -> str:
    values = direction_values(d, _)
    head = _annotate(values, d, failed, warnings, _)
    status = '<span class="badge failed">' + esc(_("check failed")) + "</span>" if failed else ""
    fixed = ('<span class="badge" style="color:var(--fix)">' + esc(_("corrected")) + "</span>"
             if d.get("corrections") else "")
    notes = "".join(f'<div class="note bad">{esc(t)}</div>' for t in head)
    pages_text = _("pages {pages}").format(pages=", ".join(str(p) for p in d.get("pages") or []))
    return (f'<section class="card" id="d{esc(d["id"])}" data-direction="{esc(d["id"])}"><header>'
            f'<h3>{esc(d["id"])} {esc(d.get("title"))}</h3>'
            f'<span class="muted">{esc(pages_text)}</span>'
            f"{status}{fixed}</header>{notes}{_group_html(values, pages, _)}</section>")


def _stated_vs_sum(edition: dict, _=str) -> list[tuple[str, str, str, bool | None]]:
    info, dirs = edition["edition"], edition["directions"]
    pcs = [d.get("project_count") or {} for d in dirs]
    stated_pc = info.get("project_count") or {}
    partners = {(d.get("partner") or {}).get("iso_code") or (d.get("partner") or {}).get("organisation")
                for d in dirs} - {None}

    def row(label, stated, summed, render):
        return (label, "—" if stated is None else render(stated), render(summed),
                None if stated is None else stated == summed)

    lows = [p.get("min") if p.get("min") is not None else p.get("max") for p in pcs]
    highs = [p.get("max") if p.get("max") is not None else p.get("min") for p in pcs]
    return [row(_("Budget"), info.get("budget_cny"), sum(d.get("budget_cny") or 0 for d in dirs), format_wan),
            row(_("Projects, lowest"), stated_pc.get("min"), sum(x or 0 for x in lows), str),
            row(_("Projects, highest"), stated_pc.get("max"), sum(x or 0 for x in highs), str),
            row(_("Directions"), info.get("direction_count"), len(dirs), str),
            row(_("Partners"), info.get("partner_count"), len(partners), str)]


def _panel(heading: str, body: str, cls: str = "panel", style: str = "") -> str:
    """A panel of the top grid; heading is text (escaped here), body is HTML."""
    return f'<div class="{cls}"><h3{style}>{esc(heading)}</h3>{body}</div>'


def glance_html(edition: dict, report: dict | None, previous: tuple[dict, str] | None, edition_path: str,
                lang: str = "en") -> str:
    """The top of the page: totals, checks, warnings, charts, corrections, changes from the previous edition."""
    _ = translator(lang)
    out = []
    not_stated = esc(_("not stated"))
    rows = "".join(f'<tr><td>{esc(label)}</td><td>{esc(stated)}</td><td>{esc(summed)}</td>'
                   f'<td class="{"ok" if ok else "bad" if ok is False else "muted"}">'
                   f'{"✓" if ok else "✗" if ok is False else not_stated}</td></tr>'
                   for label, stated, summed, ok in _stated_vs_sum(edition, _))
    columns = "".join(f"<th>{esc(c)}</th>" for c in ("", _("preamble states"), _("directions sum to"), ""))
    out.append(_panel(_("Preamble totals vs the directions"), f"<table><tr>{columns}</tr>{rows}</table>"))
    if report is None:
        advice = esc(_("not validated yet: run {command}")).format(command="<code>guidelines validate</code>")
        out.append(_panel(_("Checks"), f'<p class="muted">{advice}</p>'))
    else:
        s = report["summary"]
        status = {"passed": _("passed"), "failed": _("failed")}.get(report["status"], report["status"])
        checks = "".join(f'<li class="{c["status"]}">{"✓" if c["status"] == "passed" else "✗" if c["status"] == "failed" else "–"} '
                         f'{esc(c["name"])}' + (f': {esc(c["message"])}' if c.get("message") else "") + "</li>"
                         for c in report["checks"])
        edition_word = _("edition")
        warnings = "".join(f'<li class="warn">{esc(w.get("direction") or edition_word)} {esc(w.get("path") or "")}: '
                           f'{esc(w["message"])}</li>' for w in report.get("warnings") or [])
        heading = esc(_("Checks: {status} ({passed} passed, {failed} failed, {skipped} skipped)")).format(
            status=f'<span class="{esc(report["status"])}">{esc(status)}</span>', passed=s["passed"],
            failed=s["failed"], skipped=s["skipped"])
        all_checks = _("all {count} checks").format(count=s["checks"])
        needs_review = _("Needs review")
        out.append(f'<div class="panel"><h3>{heading}</h3>'
                   f'<details{" open" if s["failed"] else ""}><summary>{esc(all_checks)}</summary>'
                   f'<ul class="items">{checks}</ul></details>'
                   + (f'<h3 class="warn">{esc(needs_review)}</h3><ul class="items">{warnings}</ul>' if warnings else "")
                   + "</div>")
    dirs = edition["directions"]
    by_partner: dict[str, float] = {}
    for d in dirs:
        partner = d.get("partner") or {}
        name = partner.get("name") or partner.get("iso_code") or "?"
        by_partner[name] = by_partner.get(name, 0) + (d.get("budget_cny") or 0)
    per_direction = [(f"{d['id']} {(d.get('partner') or {}).get('name') or ''}", None, (d.get("budget_cny") or 0) / 1e4)
                     for d in dirs]
    per_partner = [(name, None, yuan / 1e4) for name, yuan in sorted(by_partner.items(), key=lambda kv: -kv[1])]
    out.append(_panel(_("Budget per direction"), bar_chart_svg(per_direction, None, " 万元")))
    out.append(_panel(_("Budget per partner"), bar_chart_svg(per_partner, None, " 万元")))
    corrections = [(d["id"], c) for d in dirs for c in d.get("corrections") or []]
    corrections = [("edition", c) for c in edition["edition"].get("corrections") or []] + corrections
    if corrections:
        edition_word = _("edition")
        items = "".join(f'<li><a href="#d{esc(where)}">{esc(edition_word if where == "edition" else where)}</a> '
                        f'{esc(c["path"])}: {esc(repr(c["was"]))} → {esc(repr(c["value"]))} — '
                        f'{esc(c["reason"])}</li>' for where, c in corrections)
        out.append(_panel(_("Corrected by a person ({count})").format(count=len(corrections)),
                          f'<ul class="items">{items}</ul>', style=' style="color:var(--fix)"'))
    changes = '<p class="muted">' + esc(_("no previous edition to compare with")) + "</p>"
    if previous is not None:
        old, old_path = previous
        title, table, sections = outline_of(diff_editions(old, edition, old_path, edition_path), lang)
        rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table[1:])
        body = "".join(f"<details><summary>{esc(h)} ({len(lines)})</summary><ul class='items'>"
                       + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul></details>"
                       for h, lines in sections)
        changes = (f"<p>{esc(title)}</p><table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in table[0])
                   + f"</tr>{rows}</table>{body}")
    out.append(_panel(_("Changes from the previous edition"), changes, cls="panel changes"))
    return '<div class="grid">' + "".join(out) + "</div>"


def review_html(edition: dict, pdf: Path | None, report: dict | None = None,
                previous: tuple[dict, str] | None = None, edition_path: str = "edition.json",
                lang: str = "en") -> str:
    """The review page of an edition in lang (zh or en); pdf None (or missing) gives the page without crops,
    saying so."""
    _ = translator(lang)
    info = edition["edition"]
    failed = [c for c in (report or {}).get("checks") or [] if c["status"] == "failed"]
    warnings = (report or {}).get("warnings") or []
    pages = PageImages(pdf)
    try:
        cards = "".join(card_html(d, pages, [c for c in failed if d["id"] in (c.get("where") or [])],
                                  [w for w in warnings if w.get("direction") == d["id"]], _)
                        for d in edition["directions"])
    finally:
        pages.close()
    toc = " ".join(f'<a href="#d{esc(d["id"])}">{esc(d["id"])}</a>' for d in edition["directions"])
    no_pdf = "" if pdf is not None else (
        '<p class="bad">' + esc(_("The source PDF was not found or is not the one extracted: no crops; give it with "
                                  "{option}.")).format(option="<code>--pdf</code>") + "</p>")
    if pdf is None and (info.get("source") or {}).get("format") == "docx":
        no_pdf = '<p class="muted">' + esc(_("Read from a Word file: each value names its paragraph (no page crops).")) + "</p>"
    source = info.get("source") or {}
    where = _("source {path}, {pages} pages, sha256 {sha256}…").format(
        path=source.get("path"), pages=source.get("pages"), sha256=(source.get("sha256") or "")[:12])
    title = _("Review {id}").format(id=info["id"])
    heading = _("Review of edition {id}").format(id=info["id"])
    directions = _("Directions, value by value")
    return (f"<!doctype html><html lang={'zh-CN' if lang == 'zh' else 'en'}><head><meta charset=utf-8>"
            f"<title>{esc(title)}</title><style>{STYLESHEET}</style></head><body>"
            f"<h1>{esc(heading)}</h1><p>{esc(info.get('title'))}<br>"
            f'<span class="muted">{esc(where)}</span></p>{no_pdf}'
            f"{glance_html(edition, report, previous, edition_path, lang)}"
            f'<h2>{esc(directions)}</h2><nav class="toc">{toc}</nav>{cards}</body></html>\n')



def source_pdf(edition: dict, pdf: Path | None) -> Path | None:
    """The PDF the edition was extracted from (its recorded path, or pdf), checked by its sha256.

    None for an edition read from a Word file: its values are located by paragraph, there is nothing to crop.
    """
    source = edition["edition"].get("source") or {}
    if source.get("format") == "docx" and pdf is None:
        return None
    # a recorded path is relative to the project root (extract records it so), wherever the page is made from
    path = Path(pdf) if pdf is not None else resolve_recorded(source.get("path") or "")
    if not path.is_file():
        raise InputMissing(N_("{path}: the source PDF of {edition_id} is not there; give it with --pdf"),
                           path=path, edition_id=edition["edition"]["id"])
    if source.get("sha256") and sha256_of(path) != source["sha256"]:
        raise InputMissing(N_("{path}: not the PDF edition {edition_id} was extracted from (sha256 differs); "
                              "give the right one with --pdf or extract again"),
                           path=path, edition_id=edition["edition"]["id"])
    return path


def _edition_order(edition: dict) -> tuple:
    info = edition["edition"]
    return (info.get("year") or 0, info.get("batch") or 0, info["id"])


def previous_published(edition: dict, published_root: Path) -> tuple[dict, str] | None:
    """The latest published edition before this one (by year and batch), if any."""
    root = Path(published_root)
    here = _edition_order(edition)
    best = None
    for path in sorted(root.glob("*/edition.json")) if root.is_dir() else []:
        other = read_edition(path)
        if other["edition"]["id"] != edition["edition"]["id"] and _edition_order(other) < here:
            if best is None or _edition_order(other) > _edition_order(best[0]):
                best = (other, str(path))
    return best


def write_review(ref: str, out: Path | None = None, root: Path = Path("extracted"), pdf: Path | None = None,
                 previous: str | None = None, published_root: Path | None = Path("published"),
                 lang: str = "en") -> Path:
    """Build the review page of an edition (id, directory or edition.json) in lang and write it
    (default DIR/review.html)."""
    import json

    edition, path = load_edition_ref(ref, root)
    directory = Path(path).parent
    report_path = directory / "validation.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else None
    if report is not None and report.get("edition_sha256") != edition_digest(edition):
        report = None  # a report of another edition.json says nothing about this one
    if previous is not None:
        before = load_edition_ref(previous, root)
    else:
        before = previous_published(edition, published_root) if published_root is not None else None
    page = review_html(edition, source_pdf(edition, pdf), report, before, path, lang)
    return write_output(Path(out) if out is not None else directory / "review.html", page)


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `review@<id>`: `python -m pipeline.review.page DIR --out FILE --published P --lang en`."""
    import argparse

    from .. import console

    parser = argparse.ArgumentParser(prog="python -m pipeline.review.page", description=__doc__.split("\n")[0])
    parser.add_argument("edition", help="an edition directory, edition.json or id (in --root)")
    parser.add_argument("--out", type=Path, default=None, help="the page [default: DIR/review.html]")
    parser.add_argument("--root", type=Path, default=Path("extracted"), help="where edition ids are looked up")
    parser.add_argument("--pdf", type=Path, default=None, help="the source PDF [default: as recorded]")
    parser.add_argument("--published", type=Path, default=Path("published"), help="where the previous edition is")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the page")
    args = parser.parse_args(argv)
    with console.guarded():
        path = write_review(args.edition, args.out, args.root, args.pdf, None, args.published, args.lang)
        _ = translator(args.lang)
        console.out(_("wrote {path}").format(path=path))


if __name__ == "__main__":
    main()
