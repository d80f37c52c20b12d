"""Warnings: doubts about an edition that do not withhold it but that a person should review.

A check (checks.py) fails the edition; a warning rule only flags a value. Each rule is a
function edition → list of `QualityWarning`, listed in `WARNING_RULES` in report order;
`validate_edition` runs them all and puts what they find in `validation.json`.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urlsplit

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


def per_project_cap_short_of_budget(edition: dict) -> list[QualityWarning]:
    """A per-project cap × the most projects below the budget: the money cannot all be spent as stated.

    Either the cap, the count or the budget was misread, or the guideline itself is inconsistent;
    a person should look. (Not a failure: guidelines do leave money unallocated.)
    """
    from ..records.values import format_wan

    found = []
    for d in edition["directions"]:
        cap, budget = d.get("per_project_cap_cny"), d.get("budget_cny")
        most = d["derived"]["projects_high"]  # max, else min: derived once (records/derived.py)
        if cap is None or budget is None or most is None:
            continue
        if cap * most < budget:
            found.append(QualityWarning(
                rule="per_project_cap_short_of_budget", direction=d.get("id"), path="per_project_cap_cny",
                message=f"{most} project(s) × at most {format_wan(cap)} = {format_wan(cap * most)}, less than the "
                        f"budget of {format_wan(budget)}: check the cap, the project count and the budget"))
    return found


OCR_REVIEW_BELOW = 0.8  # an OCR'd value whose least sure character is below this needs review


def ocr_confidence(source: dict | None) -> float | None:
    """The lowest OCR confidence over a provenance entry's locations; None when not read by OCR."""
    values = [loc["ocr"]["confidence"] for loc in (source or {}).get("locations", [])
              if (loc.get("ocr") or {}).get("confidence") is not None]  # someone else's OCR layer states none
    return min(values) if values else None


# the values a misread character changes: numbers, addresses, and the names a record is matched by
# (a direction's title, its agreements; contacts are reviewed below)
REVIEWED_VALUES = ("budget_cny", "project_count", "max_duration_years", "direction_count", "partner_count",
                   "duration_years", "urls[", "title", "agreements[", "per_project_cap_cny")


def ocr_sources(edition: dict):
    """The provenance of every value: (direction id or None, path, source)."""
    for key, source in edition["edition"].get("provenance", {}).items():
        if key.startswith(REVIEWED_VALUES):
            yield None, f"edition.{key}", source
    for d in edition["directions"]:
        for key, source in d.get("provenance", {}).items():
            if key.startswith(REVIEWED_VALUES):
                yield d["id"], key, source
        for kind in ("contacts", "fields", "requirements"):
            for i, item in enumerate(d.get(kind) or []):
                yield d["id"], f"{kind}[{i}]", item.get("source")


def ocr_low_confidence(edition: dict) -> list[QualityWarning]:
    """A value read from a scan with low confidence: a person should compare it with the scan."""
    out = []
    for direction, path, source in ocr_sources(edition):
        confidence = ocr_confidence(source)
        if confidence is not None and confidence < OCR_REVIEW_BELOW:
            pages = sorted({loc["page"] for loc in source["locations"] if loc.get("ocr")})
            word = next((loc["ocr"].get("word") for loc in source["locations"]
                         if (loc.get("ocr") or {}).get("confidence") == confidence), None)
            doubt = f"“{word}” " if word else ""
            out.append(QualityWarning(
                rule="ocr_low_confidence", direction=direction, path=path,
                message=f"{doubt}read by OCR with confidence {confidence:.2f} (below {OCR_REVIEW_BELOW}) "
                        f"in “{source['text'][:60]}” on page {', '.join(map(str, pages))}; "
                        "check it against the scan"))
    return out


def every_source(edition: dict):
    """The provenance of every value, titles and texts included: (direction id or None, path, source)."""
    for key, source in edition["edition"].get("provenance", {}).items():
        yield None, f"edition.{key}", source
    for d in edition["directions"]:
        for key, source in d.get("provenance", {}).items():
            yield d["id"], key, source
        for kind in ("contacts", "requirements", "fields"):
            for i, item in enumerate(d.get(kind) or []):
                yield d["id"], f"{kind}[{i}]", item.get("source")


def _layer_pages(source: dict | None, test) -> list[int]:
    return sorted({loc.get("page") for loc in (source or {}).get("locations", []) if test(loc.get("ocr") or {})})


def foreign_text_layer(edition: dict) -> list[QualityWarning]:
    """A value read from someone else's invisible OCR layer over a scan: unchecked, so every one needs review;
    a value our OCR read where that layer said otherwise: the two disagree, so a person decides."""
    out = []
    for direction, path, source in every_source(edition):
        unchecked = _layer_pages(source, lambda ocr: ocr.get("source") == "foreign text layer")
        disputed = _layer_pages(source, lambda ocr: ocr.get("foreign_layer") == "disagrees")
        text = (source or {}).get("text", "")[:60]
        if unchecked:
            out.append(QualityWarning(
                rule="foreign_text_layer", direction=direction, path=path,
                message=f"read from someone else's invisible OCR text layer on page {', '.join(map(str, unchecked))}, "
                        f"not checked: compare “{text}” with the page image"))
        elif disputed:
            out.append(QualityWarning(
                rule="foreign_text_layer_disagrees", direction=direction, path=path,
                message=f"the invisible text layer that came with the scan disagrees with our OCR on page "
                        f"{', '.join(map(str, disputed))} (our reading “{text}” is used): check it against the page image"))
    return out


def source_not_located(edition: dict) -> list[QualityWarning]:
    """A value whose source text was not found where the document says it: no page or box to check it
    against, and (read by OCR) no confidence either: a person should find it in the document."""
    return [QualityWarning(rule="source_not_located", direction=direction, path=path,
                           message=f"“{source.get('text', '')[:60]}” was not found in the document's pages, so "
                                   "it has no page or box (nor an OCR confidence): find it in the document and check it")
            for direction, path, source in every_source(edition)
            if source is not None and source.get("text") and not source.get("locations")]


GUESSED_REGION = {
    "form": "it is written the way numbers inside China are, so it is read as a Chinese number",
    "partner": "it is read as a number of the partner's country",
}


def phone_region_guessed(edition: dict) -> list[QualityWarning]:
    """A phone with no country code whose contact no label (中方, 韩方 …) or name places: its country was guessed."""
    out = []
    for d in edition["directions"]:
        for i, contact in enumerate(d.get("contacts") or []):
            how = contact.get("phone_region_source")
            if how in GUESSED_REGION and contact.get("phone"):
                who = contact.get("name") or contact.get("email") or "a contact"
                out.append(QualityWarning(
                    rule="phone_region_guessed", direction=d.get("id"), path=f"contacts[{i}].phone",
                    message=f"{who}'s phone {contact.get('phone_text')!r} has no country code and no label says "
                            f"whose contact this is; {GUESSED_REGION[how]} ({contact['phone']}): check it"))
    return out


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def email_domain_one_letter_off(edition: dict) -> list[QualityWarning]:
    """An e-mail whose domain is one letter off another e-mail's in the same edition (`innofomd.dk` beside
    `innofond.dk`) was most likely misread from a scan, or mistyped: a person should look. Of the two, the
    domain fewer addresses use is named (both, when as many use each)."""
    seen: dict[str, list[tuple[str, int, str]]] = {}
    for d in edition["directions"]:
        for i, c in enumerate(d.get("contacts") or []):
            if c.get("email") and "@" in c["email"]:
                seen.setdefault(c["email"].rsplit("@", 1)[1].lower(), []).append((d["id"], i, c["email"]))
    out = []
    for domain, uses in seen.items():
        for other, other_uses in seen.items():
            if len(uses) <= len(other_uses):  # as many on each side: either may be the wrong one
                if _one_edit_apart(domain, other):
                    out += [QualityWarning(rule="email_domain_one_letter_off", direction=direction,
                                           path=f"contacts[{i}].email",
                                           message=f"the e-mail {email} is one letter off {other} "
                                                   f"({len(other_uses)} other address(es)): check its domain")
                            for direction, i, email in uses]
    return out


LATIN_NAME = re.compile(r"[A-Za-z]{4,}")  # shorter codes (NSF, EU) are too many letters off one another to tell


def _spelled_names(d: dict):
    """(path, word, read by OCR) for every Latin name a direction spells: acronyms in its title and agreements,
    its partner's organisation code, the labels of its e-mail and URL hosts (`iiasa` in `iiasa.ac.at`)."""
    provenance = d.get("provenance") or {}
    texts = [("title", d.get("title"), provenance.get("title"))]
    texts += [(f"agreements[{i}]", a, provenance.get(f"agreements[{i}]")) for i, a in enumerate(d.get("agreements") or [])]
    texts.append(("partner", (d.get("partner") or {}).get("organisation"), None))  # a code from our own table
    for path, text, source in texts:
        for word in LATIN_NAME.findall(text or ""):
            yield path, word, ocr_confidence(source) is not None
    hosts = [(f"contacts[{i}].email", c["email"].rsplit("@", 1)[1], c.get("source"))
             for i, c in enumerate(d.get("contacts") or []) if "@" in (c.get("email") or "")]
    hosts += [(f"urls[{i}]", urlsplit(u).hostname or "", provenance.get(f"urls[{i}]"))
              for i, u in enumerate(d.get("urls") or [])]
    for path, host, source in hosts:
        for label in host.split(".")[:-1]:  # the top-level domain names no one
            if LATIN_NAME.fullmatch(label):
                yield path, label, ocr_confidence(source) is not None


def name_one_letter_off_in_direction(edition: dict) -> list[QualityWarning]:
    """A name a direction spells twice, once one letter off (the title's `IASA` beside `iiasa.ac.at`, the
    e-mail `horvathova@iasa.ac.at` beside the partner IIASA): one of them was misread from the scan. Only
    OCR'd editions: in a text layer both spellings are the document's own. Each OCR'd side is named."""
    out = []
    for d in edition["directions"]:
        names = list(_spelled_names(d))
        if not any(ocr for _, _, ocr in names):
            continue
        flagged = set()
        for path, word, ocr in names:
            for other_path, other, _ in names:
                if ocr and other_path != path and (path, other) not in flagged \
                        and _one_edit_apart(word.lower(), other.lower()):
                    flagged.add((path, other))
                    out.append(QualityWarning(
                        rule="name_one_letter_off_in_direction", direction=d.get("id"), path=path,
                        message=f"“{word}” read by OCR is one letter off “{other}” in {other_path} of the same "
                                "direction: one of them was misread; check both against the scan"))
    return out


def agreement_unclosed(edition: dict) -> list[QualityWarning]:
    """An agreement whose 《 nothing closes on the page (its `》` lost in print, or by OCR at a line's end) was
    taken to the end of its paragraph: a person should check where its title ends. (Its source quotes the
    《 as printed: records/build.py.)"""
    out = []
    for direction, path, source in every_source(edition):
        text = (source or {}).get("text", "")
        if path.startswith("agreements[") and text.startswith("《") and "》" not in text:
            pages = sorted({loc["page"] for loc in source.get("locations", [])})
            out.append(QualityWarning(
                rule="agreement_unclosed", direction=direction, path=path,
                message=f"the agreement “{text[:60]}” has no closing 》"
                        f"{' on page ' + ', '.join(map(str, pages)) if pages else ''}: it was taken to the end "
                        "of its paragraph; check where its title ends"))
    return out


OPENING, CLOSING = "（(", "）)"  # full- and half-width alike: OCR mixes them (`（RIKEN)`)


def brackets_unbalanced(text: str) -> bool:
    """Whether a bracket in text is never closed, or closes one never opened."""
    depth = 0
    for ch in text:
        depth += (ch in OPENING) - (ch in CLOSING)
        if depth < 0:
            return True
    return depth != 0


def bracket_unclosed(edition: dict) -> list[QualityWarning]:
    """A title or an agreement with a bracket never closed (`中国和日本理化学研究所（RIKEN联合资助项目`: the `）`
    lost by OCR, or in print): a person should check what it says. No value is changed: where the bracket
    closed cannot be known."""
    out = []
    for d in edition["directions"]:
        texts = [("title", d.get("title"))] + [(f"agreements[{i}]", a) for i, a in enumerate(d.get("agreements") or [])]
        for path, text in texts:
            if text and brackets_unbalanced(text):
                out.append(QualityWarning(
                    rule="bracket_unclosed", direction=d.get("id"), path=path,
                    message=f"“{text[:60]}” has a bracket that is never closed, or closed and never opened: "
                            "check it against the page"))
    return out


WARNING_RULES: list[WarningRule] = [preamble_totals_missing, per_project_cap_short_of_budget, ocr_low_confidence,
                                    foreign_text_layer, source_not_located, phone_region_guessed,
                                    email_domain_one_letter_off, name_one_letter_off_in_direction, agreement_unclosed,
                                    bracket_unclosed]


def edition_warnings(edition: dict) -> list[QualityWarning]:
    return [w for rule in WARNING_RULES for w in rule(edition)]
