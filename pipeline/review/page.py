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
from ..compare.render import count_text, org_names, outline_of, per_project_text, years_text
from ..editions import edition_digest, load_edition_ref, read_edition
from ..errors import InputMissing
from ..fileio import sha256_of, write_output
from ..i18n import N_, translator
from ..project import resolve_recorded
from ..quality.warnings import ocr_confidence
from ..records.derived import stored_eligibility
from ..records.eligibility import narrowing_rules
from ..records.values import format_wan
from ..style import bar_chart_html, head as page_head

SCALE = 1.5  # page pixels per PDF point (108 dpi): small print stays legible
JPEG_QUALITY = 55
LINE_SEARCH = 10  # points above and below a source box searched for the gap between two lines
MAX_CROP_HEIGHT = 300  # points; a longer source shows its start
MIN_CROP_WIDTH = 320  # points; a short value still shows the words around it
SIDE_PAD = 6  # points of white beside the text
OPEN_LIMIT = 3  # lists longer than this are collapsed in <details>
INK = 110  # grey level (0 black … 255 white) darker than which a pixel is ink, not paper or JPEG noise


class PageImages:
    """The PDF's pages rendered once each (grey, SCALE px/pt); crops of them as JPEG data URIs.

    A page (or an image it draws) too large to render within the reading limit (`ocr/render.py`, an A0
    page is well within) has no crop: its values show their text, as a Word source's do."""

    def __init__(self, pdf: Path | None):
        self.pdf = None
        self.pages: dict[int, object] = {}
        if pdf is not None:
            import pypdfium2

            self.pdf = pypdfium2.PdfDocument(str(pdf))

    def page(self, number: int):
        """Page number's image, or None when it is too large to render."""
        from ..reading.ocr.render import DEFAULT_MAX_PIXELS, PixelLimit, render_page

        if number not in self.pages:
            page = self.pdf[number - 1]
            try:
                self.pages[number] = render_page(page, SCALE * 72, DEFAULT_MAX_PIXELS, grayscale=True)[0]
            except PixelLimit:
                self.pages[number] = None
            page.close()
        return self.pages[number]

    def crop(self, number: int, bboxes: list[list[float]]) -> tuple[str, list[tuple[float, ...]]] | None:
        """The whole lines around bboxes on page number: (data URI, each box in % of the crop: left, top, width,
        height); None when the page is too large to render.

        A crop never cuts a line: sideways it takes every line's ink within the source's rows (a title
        centred on its line, a value in mid-sentence: the whole line), and its top and bottom edges sit in
        the white gap between two lines, found in the page image."""
        image = self.page(number)
        if image is None:
            return None
        width, height = image.width / SCALE, image.height / SCALE
        x0, x1 = min(b[0] for b in bboxes), max(b[2] for b in bboxes)
        top, bottom = min(b[1] for b in bboxes), max(b[3] for b in bboxes)
        bottom = min(bottom, top + MAX_CROP_HEIGHT)
        ink = _ink_box(image, (0, top, width, bottom))
        if ink is not None:  # the lines the source sits on, edge to edge
            x0, x1 = min(x0, ink[0]), max(x1, ink[2])
        pad = max(0.0, (MIN_CROP_WIDTH - (x1 - x0)) / 2)
        left, right = max(0.0, x0 - SIDE_PAD - pad), min(width, x1 + SIDE_PAD + pad)
        upper = _gap_row(image, left, right, top, -1)
        lower = _gap_row(image, left, right, bottom, +1)
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
            if image is not None:
                image.close()
        if self.pdf is not None:
            self.pdf.close()


def _ink_rows(image, left: float, right: float, upper: float, lower: float) -> list[bool]:
    """For each pixel row between upper and lower (points), whether it holds ink between left and right."""
    from PIL import ImageOps

    box = tuple(round(v * SCALE) for v in (left, upper, right, lower))
    if box[2] <= box[0] or box[3] <= box[1]:
        return []
    darkest = ImageOps.invert(image.crop(box)).point(lambda p: 255 if p > 255 - INK else 0)
    return [v > 0 for v in darkest.resize((1, box[3] - box[1]), resample=4).tobytes()]  # 4: BOX, a row's mean


def _ink_box(image, box: tuple[float, float, float, float]) -> tuple[float, float, float, float] | None:
    """The box (points) of the ink inside box on the page image, or None when it is blank."""
    from PIL import ImageOps

    pixels = tuple(round(v * SCALE) for v in box)
    found = ImageOps.invert(image.crop(pixels)).point(lambda p: 255 if p > 255 - INK else 0).getbbox()
    if found is None:
        return None
    return tuple(pixels[i % 2] / SCALE + found[i] / SCALE for i in range(4))


GAP_PAD = 3  # points of the white gap kept above and below the text, when the gap is that wide


def _gap_row(image, left: float, right: float, edge: float, direction: int) -> float:
    """The edge (points) of a crop moved off the text: from edge outwards (direction −1 up, +1 down) to the first
    row without ink within LINE_SEARCH points, then up to GAP_PAD further while the rows stay white; edge itself
    when no such row is found (lines that touch)."""
    height = image.height / SCALE
    start, stop = (max(0.0, edge - LINE_SEARCH), edge) if direction < 0 else (edge, min(height, edge + LINE_SEARCH))
    rows = _ink_rows(image, left, right, start, stop)
    order = range(len(rows) - 1, -1, -1) if direction < 0 else range(len(rows))
    blank = [i for i in order if not rows[i]]
    if not blank:
        return edge
    first, kept = blank[0], blank[0]
    for i in blank[1:]:  # the white run beyond the first blank row, at most GAP_PAD
        if abs(i - kept) != 1 or abs(i - first) > GAP_PAD * SCALE:
            break
        kept = i
    return start + (kept + (0 if direction < 0 else 1)) / SCALE


@dataclass
class Value:
    """One value on a direction card."""

    path: str  # budget_cny, contacts[0] …: where in the record
    label: str
    text: str
    source: dict | None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)
    derived_from: str | None = None  # a derived fact (derived.py): what it follows from, instead of a crop
    checks: list[str] = field(default_factory=list)  # ids of the failed checks shown at it


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def _partner_text(partner: dict, _=str) -> str:
    code = partner.get("iso_code") or partner.get("organisation") or _("no code")
    return f"{partner.get('name') or '—'} ({code})"


def _contact_text(contact: dict, _=str) -> str:
    parts = [" ".join(x for x in (contact.get("name"), contact.get("honorific")) if x) or _("(no name)")]
    if contact.get("phone") or contact.get("phone_text"):
        extension = f" ext. {contact['phone_extension']}" if contact.get("phone_extension") else ""
        parts.append(f"☎ {contact.get('phone') or ''}{extension}" + (
            f" ({contact['phone_text']})" if contact.get("phone_text") and contact.get("phone_text") != contact.get("phone")
            else ""))
    if contact.get("email"):
        parts.append(f"✉ {contact['email']}")
    return " · ".join(parts)


def direction_values(d: dict, _=str, edition: dict | None = None) -> list[Value]:
    """Every value of a direction that a person checks, each with its source (or None); _ translates the labels.

    The derived facts (money per project, who may lead) are shown as the edition stores them, saying
    what they follow from; a duration the requirements do not state shows the preamble's, with its source."""
    prov = d.get("provenance") or {}
    derived = d["derived"]
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
    if d.get("per_project_cap_cny") is not None:
        values.append(Value("per_project_cap_cny", _("Cap per project"), format_wan(d["per_project_cap_cny"]),
                            prov.get("per_project_cap_cny")))
    values.append(Value("derived.budget_per_project_cny", _("Money per project"),
                        per_project_text(derived["budget_per_project_cny"]), None,
                        derived_from=_("derived: the budget ÷ the project count")))
    values += [Value(f"requirements[{i}]", _("Requirement"), f"({r.get('number') or '·'}) {r['text']}",
                     r.get("source")) for i, r in enumerate(d.get("requirements") or [])]
    eligibility = stored_eligibility(d)
    narrowed = sorted({r.requirement for r in narrowing_rules(eligibility) if r.requirement is not None})
    orgs = org_names(_)
    values.append(Value("derived.eligibility.may_lead", _("May lead"),
                        "、".join(orgs[o] for o in eligibility.may_lead) or "—", None,
                        derived_from=(_("derived from requirement(s) {numbers}").format(
                            numbers=", ".join(f"({n})" for n in narrowed)) if narrowed
                                      else _("derived: no requirement narrows who may lead"))))
    duration, duration_source = d.get("max_duration_years"), prov.get("max_duration_years")
    duration_text = years_text(duration, _)
    if duration is None:
        usual = ((edition or {}).get("edition") or {}).get("duration_years")
        duration_text = _("not stated in the requirements") + (
            "; " + _("the preamble: usually {years}").format(years=years_text(usual, _)) if usual else "")
        duration_source = ((edition or {}).get("edition") or {}).get("provenance", {}).get("duration_years")
    values.append(Value("max_duration_years", _("Longest duration"), duration_text, duration_source))
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
    if value.derived_from:
        return '<div class="muted note">' + esc(value.derived_from) + "</div>"
    if not source:
        return '<div class="muted note">' + esc(_("no source recorded")) + "</div>"
    out = []
    located = _sourced(source)
    by_page: dict[int, list] = {}
    for loc in located if pages.pdf is not None else []:
        by_page.setdefault(loc["page"], []).append(loc["bbox"])
    crops = [(number, pages.crop(number, bboxes)) for number, bboxes in list(by_page.items())[:2]]
    crops = [(number, crop) for number, crop in crops if crop is not None]  # a page too large has none
    if crops:
        for number, (uri, boxes) in crops:
            spans = "".join(f'<i class="box" style="left:{b[0]:.2f}%;top:{b[1]:.2f}%;width:{b[2]:.2f}%;'
                            f'height:{b[3]:.2f}%"></i>' for b in boxes)
            alt = _("page {number}: {label}").format(number=number, label=value.label)
            caption = _("page {number}").format(number=number)
            # the boxes are placed in % of the image, so they sit in a frame of the image's own size
            out.append(f'<figure class="crop" data-page="{number}"><span class="frame"><img src="{uri}" '
                       f'alt="{esc(alt)}">{spans}</span><figcaption>{esc(caption)}</figcaption></figure>')
    else:
        where = ", ".join(_("paragraph {number}").format(number=loc["paragraph"]) if loc.get("paragraph") is not None
                          else _("page {number}").format(number=loc.get("page"))
                          for loc in source.get("locations") or []
                          if loc.get("paragraph") is not None or loc.get("page"))
        out.append(f'<blockquote class="paragraph">{esc(source.get("text"))}'
                   + (f'<div class="muted note">{esc(where)}</div>' if where else "") + "</blockquote>")
    confidence = ocr_confidence(source)  # the contract's place: locations[].ocr.confidence, the least sure
    if confidence is not None:
        cls = "warn" if confidence < 0.9 else "muted"
        text = _("OCR confidence {percent}").format(percent=f"{confidence:.0%}")
        out.append(f'<div class="note {cls} ocr">{esc(text)}</div>')
    return "".join(out)


def value_html(value: Value, pages: PageImages, _=str) -> str:
    classes = ["value"] + sorted({cls for cls, _text in value.notes if cls in ("failed", "warned", "corrected")})
    notes = "".join(f'<div class="note {"fix" if cls == "corrected" else cls}">{esc(text)}</div>'
                    for cls, text in value.notes)
    has_box = "true" if _sourced(value.source) else "false"
    checks = f' data-checks="{esc(" ".join(value.checks))}"' if value.checks else ""
    return (f'<div class="{" ".join(classes)}" data-path="{esc(value.path)}" data-has-box="{has_box}"{checks}>'
            f'<div class="label">{esc(value.label)}</div><div class="text">{esc(value.text)}{notes}</div>'
            f'<div class="source">{source_html(value.source, pages, value, _)}</div></div>')


def _annotate(values: list[Value], d: dict, failed: list[tuple[dict, str | None]], warnings: list,
              _=str) -> list[str]:
    """Put each correction, failed check and warning at its value; what fits no value is returned for the head.

    failed: (check result, path inside this direction or None); a check is placed by the paths its result
    names (checks.py), and known by its id, never by its wording."""
    head = []
    for change in d.get("corrections") or []:
        target = next((v for v in values if _concerns(v.path, change["path"])), None)
        text = _("corrected {path}: {was} → {value} ({reason})").format(
            path=change["path"], was=repr(change["was"]), value=repr(change["value"]), reason=change["reason"])
        (target.notes.append(("corrected", text)) if target else head.append(text))
    for check, path in failed:
        target = next((v for v in values if path and _concerns(v.path, path)), None)
        text = f"✗ {check['name']}: {check.get('message') or ''}"
        if target is None:
            head.append(text)
        elif check["id"] not in target.checks:  # one note per check and value
            target.checks.append(check["id"])
            target.notes.append(("failed", text))
    for w in warnings:
        target = next((v for v in values if w.get("path") and _concerns(v.path, w["path"])), None)
        text = _("needs review: {message}").format(message=w["message"])
        (target.notes.append(("warned", text)) if target else head.append(text))
    return head


def failed_at(report: dict | None, index: int, direction_id: str) -> list[tuple[dict, str | None]]:
    """The failed checks of a report that concern direction number index: (check, path inside the direction,
    or None for the direction as a whole)."""
    prefix = f"directions[{index}]"
    found = []
    for check in (report or {}).get("checks") or []:
        if check["status"] != "failed":
            continue
        paths = check.get("paths") or []
        inside = [p[len(prefix) + 1:] for p in paths if p.startswith(prefix + ".")]
        if inside:
            found += [(check, p) for p in dict.fromkeys(inside)]
        elif prefix in paths or (not paths and direction_id in (check.get("where") or [])):
            found.append((check, None))
    return found


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


def card_html(d: dict, pages: PageImages, failed: list, warnings: list, _=str, edition: dict | None = None) -> str:
    values = direction_values(d, _, edition)
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
    stated_pc = info.get("project_count") or {}
    partners = {(d.get("partner") or {}).get("iso_code") or (d.get("partner") or {}).get("organisation")
                for d in dirs} - {None}

    def row(label, stated, summed, render):
        return (label, "—" if stated is None else render(stated), render(summed),
                None if stated is None else stated == summed)

    lows = [d["derived"]["projects_low"] for d in dirs]  # min, else max: derived once (records/derived.py)
    highs = [d["derived"]["projects_high"] for d in dirs]
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
        checks = "".join(f'<li class="{c["status"]}" data-check="{esc(c.get("id"))}">'
                         f'{"✓" if c["status"] == "passed" else "✗" if c["status"] == "failed" else "–"} '
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
    per_direction = [(f"{d['id']} {(d.get('partner') or {}).get('name') or ''}", None, d.get("budget_cny") or 0)
                     for d in dirs]
    per_partner = [(name, None, yuan) for name, yuan in sorted(by_partner.items(), key=lambda kv: -kv[1])]
    out.append(_panel(_("Budget per direction"), bar_chart_html(per_direction, None, format_wan)))
    out.append(_panel(_("Budget per partner"), bar_chart_html(per_partner, None, format_wan)))
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
    warnings = (report or {}).get("warnings") or []
    pages = PageImages(pdf)
    try:
        cards = "".join(card_html(d, pages, failed_at(report, i, d["id"]),
                                  [w for w in warnings if w.get("direction") == d["id"]], _, edition)
                        for i, d in enumerate(edition["directions"]))
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
    return (f"{page_head(title, lang)}"
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
