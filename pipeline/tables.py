"""Edition records → flat tables (pandas), one row per direction, contact, URL ….

These tables feed the quality checks and the analyst exports (`guidelines tables`:
CSV and Parquet, per edition and across editions). Column names are stable; `COLUMNS`
documents them and `schemas/tables.md` is generated from it.
"""

from __future__ import annotations

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
        "pc_min": "stated minimum number of projects (null when only a maximum is given)",
        "pc_max": "stated maximum number of projects",
        "pc_low": "lowest number of projects the direction may fund: pc_min, else pc_max",
        "pc_high": "highest number of projects: pc_max, else pc_min",
        "pc_problem": "why the project-count range is malformed, or null",
        "pc_approximate": "the count is approximate (左右)",
        "agreement_count": "number of agreements cited",
        "field_count": "number of fields of research",
        "fields_unrestricted": "the guideline says 不限领域",
        "requirement_count": "number of numbered requirements",
        "max_duration_years": "longest duration a requirement allows",
        "contact_count": "number of foreign contacts",
        "pages": "pages the direction's heading is on",
    },
    "contacts": {
        "edition": "edition id", "direction_id": "direction number", "iso_code": "partner ISO code",
        "name": "contact name, honorific removed", "honorific": "Dr., Mr., 博士 …",
        "phone": "E.164", "phone_text": "phone as written", "email": "e-mail, lower case",
        "phone_problem": "why the phone is not a valid number of the partner's country, or null",
    },
    "urls": {"edition": "edition id", "direction_id": "direction number", "url": "the URL"},
    "requirements": {"edition": "edition id", "direction_id": "direction number", "number": "item number",
                     "text": "requirement text, cleaned"},
    "fields": {"edition": "edition id", "direction_id": "direction number", "name": "field name",
               "topics": "topics joined by 、", "description": "description, if any"},
    "eligibility": {
        "edition": "edition id", "direction_id": "direction number", "title": "direction title",
        "iso_code": "partner ISO code",
        "lead_enterprise": "an enterprise may lead", "lead_university": "a university may lead",
        "lead_research_institute": "a research institute may lead",
        "joint_application_required": "both sides must apply", "ip_agreement_required": "an IP agreement is required",
        "matching_funds_required": "matching funds are required",
        "partner_constraints": "constraints on the foreign partner, joined by ；",
        "max_duration_years": "longest duration allowed",
        "rule_sources": "requirement numbers the rules came from, e.g. 1,3",
    },
}


def _nonblank(value):
    return value if isinstance(value, str) and value.strip() else None


def phone_problem(phone: str | None, phone_text: str | None, iso_code: str | None) -> str | None:
    """Why a contact's phone is not a valid number of the partner's country, or None when it is."""
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
    if iso_code and iso_code != "EU" and len(iso_code) == 2 and region and region != iso_code:
        return f"{phone} is a {region} number but the partner is {iso_code}"
    return None


def range_problem(lo, hi) -> str | None:
    if lo is None and hi is None:
        return "no project count"
    for value in (lo, hi):
        if value is not None and value < 1:
            return f"count {value} is below 1"
    if lo is not None and hi is not None and lo > hi:
        return f"minimum {lo} exceeds maximum {hi}"
    return None


def edition_to_rows(edition: dict) -> dict[str, list[dict]]:
    """edition.json (as a dict) → rows per table. Pure, no pandas."""
    from .enrich import eligibility_of

    eid = edition["edition"]["id"]
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for d in edition["directions"]:
        pc = d.get("project_count") or {}
        lo, hi = pc.get("min"), pc.get("max")
        partner = d.get("partner") or {}
        rows["directions"].append({
            "edition": eid, "id": _nonblank(d.get("id")), "title": _nonblank(d.get("title")),
            "partner_name": _nonblank(partner.get("name")), "iso_code": _nonblank(partner.get("iso_code")),
            "organisation": _nonblank(partner.get("organisation")),
            "partner_code": _nonblank(partner.get("iso_code")) or _nonblank(partner.get("organisation")),
            "budget_cny": d.get("budget_cny"), "pc_min": lo, "pc_max": hi,
            "pc_low": lo if lo is not None else hi, "pc_high": hi if hi is not None else lo,
            "pc_problem": range_problem(lo, hi), "pc_approximate": bool(pc.get("approximate")),
            "agreement_count": len(d.get("agreements") or []), "field_count": len(d.get("fields") or []),
            "fields_unrestricted": bool(d.get("fields_unrestricted")),
            "requirement_count": len(d.get("requirements") or []),
            "max_duration_years": d.get("max_duration_years"), "contact_count": len(d.get("contacts") or []),
            "pages": ",".join(str(p) for p in d.get("pages") or []),
        })
        for c in d.get("contacts") or []:
            rows["contacts"].append({
                "edition": eid, "direction_id": d.get("id"), "iso_code": partner.get("iso_code"),
                "name": c.get("name"), "honorific": c.get("honorific"), "phone": c.get("phone"),
                "phone_text": c.get("phone_text"), "email": c.get("email"),
                "phone_problem": phone_problem(c.get("phone"), c.get("phone_text"), partner.get("iso_code")),
            })
        for url in d.get("urls") or []:
            rows["urls"].append({"edition": eid, "direction_id": d.get("id"), "url": url})
        for r in d.get("requirements") or []:
            rows["requirements"].append({"edition": eid, "direction_id": d.get("id"), "number": r.get("number"),
                                         "text": r.get("text")})
        for f in d.get("fields") or []:
            rows["fields"].append({"edition": eid, "direction_id": d.get("id"), "name": f.get("name"),
                                   "topics": "、".join(f.get("topics") or []), "description": f.get("description")})
        rules = eligibility_of(d)
        rows["eligibility"].append({
            "edition": eid, "direction_id": d.get("id"), "title": d.get("title"), "iso_code": partner.get("iso_code"),
            "lead_enterprise": "enterprise" in rules.may_lead, "lead_university": "university" in rules.may_lead,
            "lead_research_institute": "research_institute" in rules.may_lead,
            "joint_application_required": rules.joint_application_required,
            "ip_agreement_required": rules.ip_agreement_required,
            "matching_funds_required": rules.matching_funds_required,
            "partner_constraints": "；".join(rules.partner_constraints),
            "max_duration_years": rules.max_duration_years,
            "rule_sources": ",".join(sorted({str(r.requirement) for r in rules.rules if r.requirement is not None},
                                            key=int)),
        })
    return rows


def edition_to_frames(edition: dict):
    """edition.json (as a dict) → pandas DataFrames with the documented columns, even when empty."""
    import pandas as pd

    frames = {}
    for name, rows in edition_to_rows(edition).items():
        frame = pd.DataFrame(rows, columns=list(COLUMNS[name]))
        for column in ("budget_cny", "pc_min", "pc_max", "pc_low", "pc_high", "number"):
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        frames[name] = frame
    return frames


def load_tables(paths) -> dict:
    """Tables of several editions (edition directories or edition.json paths), concatenated.

    >>> tables = load_tables(["extracted/2021-2", "extracted/2022-1"])
    >>> tables["eligibility"].query("lead_university")
    """
    import json
    from pathlib import Path

    import pandas as pd

    per_table: dict[str, list] = {name: [] for name in COLUMNS}
    for path in paths:
        path = Path(path)
        path = path / "edition.json" if path.is_dir() else path
        for name, frame in edition_to_frames(json.loads(path.read_text(encoding="utf-8"))).items():
            per_table[name].append(frame)
    return {name: (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS[name])))
            for name, frames in per_table.items()}


TABLE_DOC = {
    "directions": "one row per direction",
    "contacts": "one row per foreign contact",
    "requirements": "one row per numbered requirement",
    "fields": "one row per field of research",
    "urls": "one row per URL",
    "eligibility": "one row per direction: who may lead, what is required",
}


def tables_markdown() -> str:
    """schemas/tables.md: every table and column, generated from COLUMNS."""
    out = ["# Analyst tables", "",
           "Written by `guidelines tables` as CSV (UTF-8 with BOM, for spreadsheets) and Parquet,",
           "per edition (`tables/<edition>/<table>.csv`) and across editions (`tables/<table>.csv`).",
           "Generated from `pipeline/tables.py`; the JSON contract is `edition.schema.json`.", ""]
    for name, columns in COLUMNS.items():
        out += [f"## {name}", "", TABLE_DOC.get(name, ""), "", "| column | meaning |", "|---|---|"]
        out += [f"| `{column}` | {meaning} |" for column, meaning in columns.items()]
        out.append("")
    return "\n".join(out)


def write_tables(frames: dict, out_dir) -> list:
    """Each table as out_dir/<name>.csv and .parquet (written to temp files, then moved into place)."""
    import os
    from pathlib import Path

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        for suffix in ("csv", "parquet"):
            path = out_dir / f"{name}.{suffix}"
            tmp = out_dir / f".{name}.{suffix}.tmp"
            if suffix == "csv":
                frame.to_csv(tmp, index=False, encoding="utf-8-sig")
            else:
                frame.to_parquet(tmp, index=False)
            os.replace(tmp, path)
            written.append(path)
    return written
