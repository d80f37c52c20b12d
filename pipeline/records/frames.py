"""Edition records → flat tables (pandas), one row per direction, contact, URL ….

These tables feed the quality checks (`quality/`) and the analyst exports
(`publish/tables.py`, which adds the eligibility table). Derived columns (project bounds,
money per project) are read from the edition's `derived` facts, never computed here.
Column names are stable;
`COLUMNS` documents them and `schemas/tables.md` is generated from it.
"""

from __future__ import annotations

import re

from .partners import partner_code

COLUMNS = {
    "directions": {
        "edition": "edition id (2021-2)",
        "id": "direction number as printed (1.1)",
        "title": "direction title, cleaned",
        "partner_name": "partner as written in the title",
        "iso_code": "ISO 3166-1 alpha-2 of the partner; EU for the European Union",
        "organisation": "organisation code (ASEAN, BRICS …) of a partner that is no territory",
        "partner_code": "iso_code, else organisation: what identifies the partner",
        "budget_cny": "budget in yuan",
        "budget_per_project_cny_min": "average money per project when the most projects are funded: budget ÷ "
                                      "pc_max (yuan); null when no maximum is stated",
        "budget_per_project_cny_max": "average money per project when the fewest are funded: budget ÷ pc_min "
                                      "(yuan); null when no minimum is stated (不超过 10 个 allows one project)",
        "per_project_cap_cny": "most one project may get as the guideline states it (每个项目不超过 …), in yuan",
        "pc_min": "stated minimum number of projects (null when only a maximum is given)",
        "pc_max": "stated maximum number of projects",
        "pc_low": "lowest number of projects the direction may fund: pc_min, else pc_max (derived.projects_low)",
        "pc_high": "highest number of projects: pc_max, else pc_min (derived.projects_high)",
        "pc_problem": "why the project-count range is malformed, or null",
        "pc_approximate": "the count is approximate (左右)",
        "agreement_count": "number of agreements cited",
        "field_count": "number of fields of research",
        "fields_unrestricted": "the guideline says 不限领域",
        "requirement_count": "number of numbered requirements",
        "max_duration_years": "longest duration a requirement allows",
        "contact_count": "number of foreign contacts",
        "missing_sections": "labelled sections the direction lacks (fields, requirements), or null",
        "requirement_numbering": "how the requirement numbers break 1..n (a gap, a repeat, none), or null",
        "direction_numbering": "how the direction's number breaks the sequence 1.1, 1.2 … 2.1 … from the one "
                               "before (a number skipped: a heading merged into its neighbour or lost), or null",
        "duration_problem": "why the duration limit is in doubt (requirements stating different limits, or one no "
                            "project has), or null",
        "radical_problem": "the Kangxi or CJK-radical code points the direction's values hold (print-pipeline "
                           "text that was not mended), or null",
        "pages": "pages the direction's heading is on",
    },
    "contacts": {
        "edition": "edition id", "direction_id": "direction number", "iso_code": "partner ISO code",
        "name": "contact name, honorific removed", "honorific": "Dr., Mr., 博士 …",
        "side": "whose contact the text says it is: china (中方, 内地, 大陆), partner (韩方, 港方, 外方 …), or null",
        "phone": "E.164, without the extension", "phone_extension": "extension dialled after the number "
                                                                    "(分机, 转, ext.), digits",
        "phone_text": "phone as written",
        "phone_region_source": "how the phone's country was decided: number (+, 00), side (the label), name (a "
                               "Chinese name, a Chinese-format number), form or partner (guessed: needs review)",
        "email": "e-mail, lower case",
        "phone_problem": "why the phone is not a valid number of the contact's side (中方 → CN, else the partner's "
                         "country), or null",
        "china_side_problem": "why a contact labelled 中方 has a phone that is not +86, or null",
        "contact_problem": "why the clause is no contact: neither a name nor an organisation mailbox, or null",
    },
    "urls": {"edition": "edition id", "direction_id": "direction number", "url": "the URL"},
    "requirements": {"edition": "edition id", "direction_id": "direction number", "number": "item number",
                     "text": "requirement text, cleaned"},
    "fields": {"edition": "edition id", "direction_id": "direction number", "name": "field name",
               "topics": "topics joined by 、", "description": "description, if any"},
}


PATH = "_path"  # not a documented column: the row's place in edition.json, for the checks' messages


def _nonblank(value):
    return value if isinstance(value, str) and value.strip() else None


def expected_region(contact: dict, iso_code: str | None) -> tuple[str | None, str]:
    """The country a contact's phone should be of, and why: its side's, else the partner's; None for a
    partner with no country (ASEAN, EU) and for a contact labelled 中方 (`china_side_problem` checks those)."""
    if contact.get("side") == "china":
        return None, ""
    if contact.get("phone_region_source") in ("name", "form"):
        return "CN", "the contact is on the Chinese side"
    if iso_code and iso_code != "EU" and len(iso_code) == 2:
        return iso_code, f"the partner is {iso_code}"
    return None, ""


def phone_problem(phone: str | None, phone_text: str | None, iso_code: str | None,
                  contact: dict | None = None) -> str | None:
    """Why a contact's phone is not a valid number of its side's country, or None when it is."""
    if phone is None:
        return f"{phone_text!r} is not a phone number" if phone_text else None
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return f"{phone} is not a phone number"
    if not phonenumbers.is_valid_number(number):
        return f"{phone} is not a valid number"
    region = phonenumbers.region_code_for_number(number)
    expected, why = expected_region(contact or {}, iso_code)
    if expected and region and region != expected:
        return f"{phone} is a {region} number but {why}"
    return None


def china_side_problem(contact: dict) -> str | None:
    """A contact labelled 中方 (内地, 大陆) has a +86 number or none: anything else is a misread."""
    phone = contact.get("phone")
    if contact.get("side") != "china" or not (phone or contact.get("phone_text")):
        return None
    if phone and phone.startswith("+86"):
        return None
    return f"{contact.get('name') or 'a contact'} is labelled 中方 but has the phone {phone or contact.get('phone_text')}"


def range_problem(lo, hi) -> str | None:
    if lo is None and hi is None:
        return "no project count"
    for value in (lo, hi):
        if value is not None and value < 1:
            return f"count {value} is below 1"
    if lo is not None and hi is not None and lo > hi:
        return f"minimum {lo} exceeds maximum {hi}"
    return None


def missing_sections(direction: dict) -> str | None:
    """The labelled sections every direction has that this one lacks (merged or lost structure)."""
    missing = []
    if not (direction.get("fields") or direction.get("fields_unrestricted") or direction.get("fields_text")):
        missing.append("fields")
    elif any(not _nonblank(f.get("name")) for f in direction.get("fields") or []):
        missing.append("a field's name")
    if not direction.get("requirements"):
        missing.append("requirements")
    return ", ".join(missing) or None


def requirement_numbering(numbers: list, texts: list[str] | None = None) -> str | None:
    """Requirements are numbered 1..n: a gap, a repeat or an unnumbered item means items were merged or lost.

    So does an item whose text, after the end of a clause, goes on with the next item's
    number — （4） inside item (3): the last item merged into the one before leaves no gap."""
    if not numbers:
        return None
    if any(n is None for n in numbers):
        return f"{sum(n is None for n in numbers)} requirement(s) without a number"
    expected = list(range(1, len(numbers) + 1))
    if numbers != expected:
        return f"numbered {','.join(map(str, numbers))} instead of 1..{len(numbers)}"
    for n, text in zip(numbers, texts or []):
        if re.search(rf"[；;。.，,]\s*[（(]\s*{n + 1}\s*[)）]", text or ""):
            return f"item {n} holds item {n + 1}'s number"
    return None


DIRECTION_ID = re.compile(r"^(\d+)\.(\d+)$")


def direction_numbering(ids: list) -> list[str | None]:
    """Per direction, how its number breaks the sequence from the one before, else None: a group's directions are
    numbered M.1, M.2 … and groups 1, 2 …, so a number skipped is a heading lost, its direction merged into the
    one before (`1.14` misread or under a seal: 1.13's sections then hold 1.14's contact). Ids not of the form
    M.N and repeats are other checks' (`direction_ids_numbered`, `direction_ids_unique`): each stands for the number
    it took (`1.1, 1.1, 1.3`: the second 1.1 is 1.2 misread), so it is not named twice."""
    out: list[str | None] = []
    before: tuple[int, int] | None = None
    unknown = False  # the one before is not N.N: whatever follows it is not judged
    for id_ in ids:
        found = DIRECTION_ID.match(id_ or "")
        if not found:  # it stands for the number after the one before
            out.append(None)
            before, unknown = (before[0], before[1] + 1) if before else None, True
            continue
        group, number = int(found[1]), int(found[2])
        if unknown or (group, number) == before:  # after an id not N.N, or a repeat: not judged
            out.append(None)
            before, unknown = (group, number) if unknown else (group, number + 1), False
            continue
        if before is None:
            expected = [(group, 1)] if number != 1 else []
        elif group == before[0]:
            expected = [(group, n) for n in range(before[1] + 1, number)]
        elif group == before[0] + 1:
            expected = [(group, n) for n in range(1, number)]
        elif group > before[0]:
            expected = [(g, 1) for g in range(before[0] + 1, group)]
        else:
            expected = []  # out of order: the ids say nothing of what is lost
        if expected:
            missing = ", ".join(f"{g}.{n}" for g, n in expected[:3]) + (" …" if len(expected) > 3 else "")
            after = f"follows {before[0]}.{before[1]}" if before else "comes first"
            out.append(f"{group}.{number} {after}: {missing} missing (a heading merged into the direction before, "
                       "or lost)")
        else:
            out.append(None)
        before = (group, number)
    return out


MAX_PLAUSIBLE_YEARS = 10  # no call of this programme funds a project longer


def duration_problem(direction: dict) -> str | None:
    """A direction states one duration limit: requirements that state different ones (an annex's rule read into
    the last direction, two directions merged) or a limit no project has put the duration in doubt."""
    from .values import parse_duration

    stated = []
    for r in direction.get("requirements") or []:
        found = parse_duration(r.get("text") or "")
        if found:
            longest = found.max if found.max is not None else found.min
            if longest is not None:
                stated.append((r.get("number"), longest))
    limits = sorted({years for _, years in stated})
    if len(limits) > 1:
        shown = ", ".join(f"({n}) {years:g} years" if n is not None else f"{years:g} years" for n, years in stated)
        return f"requirements state different duration limits: {shown}"
    longest = direction.get("max_duration_years")
    if longest is not None and not 0 < longest <= MAX_PLAUSIBLE_YEARS:
        return f"a duration limit of {longest:g} years"
    return None


def radical_problem(direction: dict, title: str = "") -> str | None:
    """The radical code points a direction's values (and the edition's title) hold: ⽬ (U+2F6C) in 项⽬ is text
    a print pipeline named wrongly; a published value never holds one."""
    from ..text import is_radical

    found: dict[str, set[str]] = {}

    def walk(value, where: str) -> None:
        if isinstance(value, str):
            for ch in value:
                if is_radical(ch):
                    found.setdefault(where, set()).add(ch)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("provenance", "source"):  # sources keep the text as printed
                    walk(inner, f"{where}.{key}" if where else key)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(inner, f"{where}[{i}]")

    walk(direction, "")
    walk(title, "edition title")
    if not found:
        return None
    return "; ".join(f"{where}: " + " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(chars))
                     for where, chars in sorted(found.items())[:4])


ROLE_MAILBOX = re.compile(r"info|contact|office|delegation|secretar|admin|support|enquir|inquir|help|desk|mail|"
                          r"international|cooperation|programme|program|team|service|ncp|post|general",
                          re.IGNORECASE)


def contact_problem(contact: dict) -> str | None:
    """A contact clause names a person, or gives an organisation's mailbox (delegation-…@, info@ …)."""
    if _nonblank(contact.get("name")):
        return None
    email = contact.get("email") or ""
    if email and ROLE_MAILBOX.search(email.split("@")[0]):
        return None
    shown = email or contact.get("phone_text") or contact.get("phone") or "a contact"
    return f"{shown} has no name and is not an organisation mailbox"


def edition_to_rows(edition: dict) -> dict[str, list[dict]]:
    """edition.json (as a dict) → rows per table. Pure, no pandas."""
    eid = edition["edition"]["id"]
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    numbering = direction_numbering([d.get("id") for d in edition["directions"]])
    for i, d in enumerate(edition["directions"]):
        pc = d.get("project_count") or {}
        lo, hi = pc.get("min"), pc.get("max")
        derived = d["derived"]  # computed once, corrections applied (derived.py)
        partner = d.get("partner") or {}
        rows["directions"].append({
            PATH: f"directions[{i}]", "edition": eid, "id": _nonblank(d.get("id")), "title": _nonblank(d.get("title")),
            "partner_name": _nonblank(partner.get("name")), "iso_code": _nonblank(partner.get("iso_code")),
            "organisation": _nonblank(partner.get("organisation")),
            "partner_code": partner_code(partner),
            "budget_cny": d.get("budget_cny"),
            "budget_per_project_cny_min": derived["budget_per_project_cny"]["min"],
            "budget_per_project_cny_max": derived["budget_per_project_cny"]["max"],
            "per_project_cap_cny": d.get("per_project_cap_cny"),
            "pc_min": lo, "pc_max": hi, "pc_low": derived["projects_low"], "pc_high": derived["projects_high"],
            "pc_problem": range_problem(lo, hi), "pc_approximate": bool(pc.get("approximate")),
            "agreement_count": len(d.get("agreements") or []), "field_count": len(d.get("fields") or []),
            "fields_unrestricted": bool(d.get("fields_unrestricted")),
            "requirement_count": len(d.get("requirements") or []),
            "max_duration_years": d.get("max_duration_years"), "contact_count": len(d.get("contacts") or []),
            "missing_sections": missing_sections(d),
            "requirement_numbering": requirement_numbering([r.get("number") for r in d.get("requirements") or []],
                                                           [r.get("text") for r in d.get("requirements") or []]),
            "direction_numbering": numbering[i],
            "duration_problem": duration_problem(d),
            "radical_problem": radical_problem(d, edition["edition"].get("title") or ""),
            "pages": ",".join(str(p) for p in d.get("pages") or []),
        })
        for j, c in enumerate(d.get("contacts") or []):
            rows["contacts"].append({
                PATH: f"directions[{i}].contacts[{j}]", "edition": eid, "direction_id": d.get("id"),
                "iso_code": partner.get("iso_code"),
                "name": c.get("name"), "honorific": c.get("honorific"), "side": c.get("side"),
                "phone": c.get("phone"), "phone_extension": c.get("phone_extension"), "phone_text": c.get("phone_text"),
                "phone_region_source": c.get("phone_region_source"), "email": c.get("email"),
                "phone_problem": phone_problem(c.get("phone"), c.get("phone_text"), partner.get("iso_code"), c),
                "china_side_problem": china_side_problem(c),
                "contact_problem": contact_problem(c),
            })
        for j, url in enumerate(d.get("urls") or []):
            rows["urls"].append({PATH: f"directions[{i}].urls[{j}]", "edition": eid, "direction_id": d.get("id"),
                                 "url": url})
        for r in d.get("requirements") or []:
            rows["requirements"].append({"edition": eid, "direction_id": d.get("id"), "number": r.get("number"),
                                         "text": r.get("text")})
        for f in d.get("fields") or []:
            rows["fields"].append({"edition": eid, "direction_id": d.get("id"), "name": f.get("name"),
                                   "topics": "、".join(f.get("topics") or []), "description": f.get("description")})
    return rows


INT64 = 2 ** 63 - 1


def _integers(column):
    """A column of whole numbers as Int64; one holding a number beyond 64 bits (10^30 yuan: a misreading, which the
    check values_plausible names) as float64 instead, so that it is neither a crash nor a number wrapped round
    (and beyond a float, 10^400, infinite)."""
    import math

    values = column.tolist()
    if all(v is None or (isinstance(v, float) and math.isnan(v)) or -INT64 <= v <= INT64 for v in values):
        return column.astype("Int64")

    def as_float(v):
        try:
            return float("nan") if v is None else float(v)
        except OverflowError:  # beyond a float: infinite, which no check takes for a budget stated
            return float("inf") if v > 0 else float("-inf")
    return column.map(as_float).astype("float64")


def within_64_bits(column):
    """A column of numbers as it is, unless one is beyond 64 bits (a duration of 10^30 years): then as float64 (see
    _integers), which Parquet and the checks can hold."""
    values = column.tolist()
    if all(not isinstance(v, int) or -INT64 <= v <= INT64 for v in values):
        return column
    return _integers(column)


def edition_to_frames(edition: dict, with_paths: bool = False):
    """edition.json (as a dict) → pandas DataFrames with the documented columns, even when empty.

    with_paths adds the column PATH: where each row's record is in edition.json (directions[3],
    directions[3].contacts[0]), so a failed check can name the value it concerns."""
    import pandas as pd

    frames = {}
    for name, rows in edition_to_rows(edition).items():
        frame = pd.DataFrame(rows, columns=([PATH] if with_paths else []) + list(COLUMNS[name]))
        for column in ("budget_cny", "budget_per_project_cny_min", "budget_per_project_cny_max",
                       "per_project_cap_cny", "pc_min", "pc_max", "pc_low", "pc_high", "number"):
            if column in frame:
                frame[column] = _integers(frame[column])
        if "max_duration_years" in frame:
            frame["max_duration_years"] = within_64_bits(frame["max_duration_years"])
        frames[name] = frame
    return frames
