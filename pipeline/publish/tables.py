"""Analyst tables: the record tables (records/frames.py) plus eligibility, as CSV and Parquet.

`edition_to_tables` is the core (edition in, DataFrames out); `write_tables_dir` writes
every edition's tables and the tables across editions into one directory, built aside
and swapped in whole. `schemas/tables.md` is generated from `COLUMNS`.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..editions import is_edition_id
from ..errors import BadEdition, OutputError
from ..i18n import N_
from ..fileio import building_dir, check_replaceable_dir, is_temporary
from ..records.frames import COLUMNS as RECORD_COLUMNS
from ..records.derived import stored_eligibility
from ..records.frames import edition_to_frames, within_64_bits

COLUMNS = {
    **RECORD_COLUMNS,
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

TABLE_DOC = {
    "directions": "one row per direction",
    "contacts": "one row per foreign contact",
    "requirements": "one row per numbered requirement",
    "fields": "one row per field of research",
    "urls": "one row per URL",
    "eligibility": "one row per direction: who may lead, what is required",
}

TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")
FORMATS = ("csv", "parquet", "xlsx")  # xlsx: one workbook across editions, out/tables.xlsx (publish/xlsx.py)


def eligibility_rows(edition: dict) -> list[dict]:
    rows = []
    for d in edition["directions"]:
        rules = stored_eligibility(d)  # derived once, corrections applied: never parsed again here
        rows.append({
            "edition": edition["edition"]["id"], "direction_id": d.get("id"), "title": d.get("title"),
            "iso_code": (d.get("partner") or {}).get("iso_code"),
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


def edition_to_tables(edition: dict) -> dict:
    """edition.json (as a dict) → every analyst table as a DataFrame with the documented columns."""
    import pandas as pd

    frames = edition_to_frames(edition)
    frames["eligibility"] = pd.DataFrame(eligibility_rows(edition), columns=list(COLUMNS["eligibility"]))
    frames["eligibility"]["max_duration_years"] = within_64_bits(frames["eligibility"]["max_duration_years"])
    return frames


def load_tables(paths) -> dict:
    """Tables of several editions (edition directories or edition.json paths), concatenated.

    >>> tables = load_tables(["extracted/2021-2", "extracted/2022-1"])
    >>> tables["eligibility"].query("lead_university")
    """
    import json

    import pandas as pd

    per_table: dict[str, list] = {name: [] for name in COLUMNS}
    for path in paths:
        path = Path(path)
        path = path / "edition.json" if path.is_dir() else path
        for name, frame in edition_to_tables(json.loads(path.read_text(encoding="utf-8"))).items():
            per_table[name].append(frame)
    return {name: (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS[name])))
            for name, frames in per_table.items()}


def tables_markdown() -> str:
    """schemas/tables.md: every table and column, generated from COLUMNS."""
    out = ["# Analyst tables", "",
           "Written by `guidelines tables` as CSV (UTF-8 with BOM, for spreadsheets) and Parquet,",
           "per edition (`tables/<edition>/<table>.csv`) and across editions (`tables/<table>.csv`).",
           "Generated from `pipeline/records/frames.py` and `pipeline/publish/tables.py`; "
           "the JSON contract is `edition.schema.json`.", "",
           "**Formula cells.** Text from a PDF may begin like a spreadsheet formula (`=HYPERLINK(…)`, "
           "`@SUM(…)`). Following OWASP's rule against CSV injection, a CSV cell that begins with `=`, "
           "`+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe (`'=HYPERLINK(…)`), so "
           "spreadsheets show it as text. Phone numbers and other plain numbers (`+4561905030`) are "
           "written as they are: digits cannot call a function. Parquet holds the values unchanged.", "",
           "**Manifest.** `manifest.json` beside the tables lists every edition in them (`id`; `quality`: "
           "`passed` for a published copy, `unchecked` for an extraction; `edition_sha256`) and `checked`, "
           "true when the gate passed every one. `guidelines tables` never replaces a checked tables "
           "directory (the pipeline's `tables/`, built from `published/`) with one holding an unchecked "
           "edition unless `--include-unchecked`; a tables directory without a manifest counts as checked.", ""]
    for name, columns in COLUMNS.items():
        out += [f"## {name}", "", TABLE_DOC.get(name, ""), "", "| column | meaning |", "|---|---|"]
        out += [f"| `{column}` | {meaning} |" for column, meaning in columns.items()]
        out.append("")
    return "\n".join(out)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP)
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ().-]*")  # a phone or a number: digits cannot call a function


def neutralise_formula(value):
    """OWASP's rule against CSV injection: a text cell that starts like a formula gets a leading
    apostrophe, so a spreadsheet shows it as text; a plain phone number (+4561905030) or number
    is kept as written."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_safe(frame):
    """The frame with every text cell neutralised (Parquet keeps the values as they are)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
            frame[column] = frame[column].map(neutralise_formula)
    return frame


def write_tables(frames: dict, out_dir: Path, formats=("csv", "parquet")) -> list[Path]:
    """Each table as out_dir/<name>.csv (formula cells neutralised) and .parquet (the formats asked for)."""
    if not {"csv", "parquet"} & set(formats):
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        csv, parquet = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
        if "csv" in formats:
            csv_safe(frame).to_csv(csv, index=False, encoding="utf-8-sig")
            written.append(csv)
        if "parquet" in formats:
            frame.to_parquet(parquet, index=False)
            written.append(parquet)
    return written


MANIFEST = "manifest.json"  # what a tables directory holds: its editions and whether the gate passed each


def tables_manifest(editions: list[dict]) -> dict:
    """OUT/manifest.json: every edition with its quality status; `checked` when the gate passed all of them (the
    published copies carry `quality.status: passed`, an extraction `unchecked`)."""
    from ..editions import edition_digest

    rows = [{"id": e["edition"]["id"], "quality": (e.get("quality") or {}).get("status") or "unchecked",
             "edition_sha256": edition_digest(e)} for e in editions]
    return {"checked": all(r["quality"] == "passed" for r in rows), "editions": rows}


def table_files(out: Path) -> set[str]:
    """The paths (relative to out) a tables directory of ours may hold: <table>.csv|.parquet at the
    top and in one directory per edition id, the workbook and the manifest."""
    from ..editions import is_edition_id

    names = {f"{name}{suffix}" for name in COLUMNS for suffix in TABLE_SUFFIXES}
    ours = set(names) | {".gitignore", "tables.xlsx", MANIFEST}
    for sub in Path(out).iterdir():
        if sub.is_dir() and is_edition_id(sub.name):
            ours.add(sub.name)
            ours |= {f"{sub.name}/{n}" for n in names}
    return ours


def check_tables_dir(out: Path) -> None:
    """Refuse an --out the tool did not make: it is replaced whole, so it may hold only our tables."""
    out = Path(out)
    if not check_replaceable_dir(out):
        return
    ours = table_files(out)
    foreign = sorted(str(p.relative_to(out)) for p in out.rglob("*") if str(p.relative_to(out)) not in ours
                     and not any(map(is_temporary, p.relative_to(out).parts)))  # a killed run's temporary is ours
    if foreign:
        raise OutputError(N_("{out}: holds files guidelines did not make ({shown}); give a new or empty directory"),
                          out=out, shown=", ".join(foreign[:3]))


def holds_checked_tables(out: Path) -> bool:
    """out holds tables of checked editions only (the pipeline's tables/, built from published/): its manifest
    says so, or it has tables and no manifest to say otherwise."""
    import json

    out = Path(out)
    if not out.is_dir() or not any(out.iterdir()):
        return False
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("checked") is not False
    except (OSError, ValueError, AttributeError):
        return True


def check_no_unchecked_over_checked(out: Path, editions: list[dict], include_unchecked: bool = False) -> None:
    """Refuse to replace tables of checked editions with tables holding an edition the gate has not passed
    (an extraction, a withheld edition), unless include_unchecked: downstream systems read the pipeline's tables/."""
    unchecked = [e["edition"]["id"] for e in editions if (e.get("quality") or {}).get("status") != "passed"]
    if unchecked and not include_unchecked and holds_checked_tables(out):
        raise OutputError(N_("{out}: holds the tables of checked (published) editions, and {editions} have not passed "
                             "the gate; write them elsewhere with --out, read the published ones with --root "
                             "published, or give --include-unchecked to replace them"),
                          out=out, editions=", ".join(unchecked[:3]) + (" …" if len(unchecked) > 3 else ""))


def write_tables_dir(editions: list[dict], out: Path, formats=("csv", "parquet"), lang: str = "en",
                     include_unchecked: bool = False) -> dict:
    """out/<id>/<table>.{csv,parquet} per edition and out/<table>.{csv,parquet} across them, swapped in whole;
    with "xlsx" in formats, also out/tables.xlsx (every table across editions, headers in `lang`); and
    out/manifest.json (`tables_manifest`). Tables of checked editions are replaced by unchecked ones only
    with include_unchecked.

    Returns the tables across editions.
    """
    import pandas as pd

    from ..fileio import write_json_atomic

    check_tables_dir(out)
    check_no_unchecked_over_checked(out, editions, include_unchecked)
    every: dict[str, list] = {name: [] for name in COLUMNS}
    try:
        with building_dir(out) as tmp:
            for edition in editions:
                if not is_edition_id(edition["edition"]["id"]):  # the id names a directory
                    raise BadEdition(f"edition id {edition['edition']['id']!r} is not valid; extract it again")
                frames = edition_to_tables(edition)
                write_tables(frames, tmp / edition["edition"]["id"], formats)
                for name, frame in frames.items():
                    every[name].append(frame)
            combined = {name: pd.concat(frames, ignore_index=True) if frames
                        else pd.DataFrame(columns=list(COLUMNS[name])) for name, frames in every.items()}
            write_tables(combined, tmp, formats)
            if "xlsx" in formats:
                from .xlsx import write_workbook

                write_workbook(combined, tmp / "tables.xlsx", lang)
            write_json_atomic(tmp / MANIFEST, tables_manifest(editions))
    except OSError as exc:
        raise OutputError(N_("{out}: cannot be written ({reason}); choose another --out"),
                          out=out, reason=exc.strerror) from None
    return combined


def tables_summary(combined: dict, count: int, out: Path, lang: str | None = None) -> str:
    """'2 edition(s): 16 directions, 16 contacts, … → tables/'."""
    from ..i18n import translator

    _ = translator(lang)
    names = {"directions": _("directions"), "contacts": _("contacts"), "urls": _("urls"),
             "requirements": _("requirements"), "fields": _("fields"), "eligibility": _("eligibility")}
    counts = ", ".join(f"{len(frame)} {names.get(name, name)}" for name, frame in combined.items())
    return _("{count} edition(s): {tables} → {path}/").format(count=count, tables=counts, path=out)


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `tables`: `python -m pipeline.publish.tables --root published --out tables --lang en`."""
    import argparse

    from .. import console
    from ..editions import load_editions

    parser = argparse.ArgumentParser(prog="python -m pipeline.publish.tables", description=__doc__.split("\n")[0])
    parser.add_argument("editions", nargs="*", help="edition ids or paths [default: every edition in --root]")
    parser.add_argument("--root", type=Path, default=Path("published"), help="where edition ids are looked up")
    parser.add_argument("--out", type=Path, default=Path("tables"), help="output directory")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS, help="csv, parquet, xlsx")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the workbook's headers")
    args = parser.parse_args(argv)
    with console.guarded():
        editions = load_editions(args.editions, args.root)
        combined = write_tables_dir(editions, args.out, tuple(args.formats or ("csv", "parquet")), args.lang)
        console.out(tables_summary(combined, len(editions), args.out, args.lang))


if __name__ == "__main__":
    main()
