"""The quality checks an edition must pass, as data: name, table, GX expectation, message.

Each check is one Great Expectations expectation on one table from `records/frames.py`. The
expectation is built from the edition (cross-record checks compare with the totals the
preamble states); `explain` turns a failed result into a sentence that says what was
expected, what was found and where.

A check whose stated total is missing from the preamble is *skipped* (there is nothing
to compare with) and reported as such; it does not fail the edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..records.values import EMAIL_PATTERN, format_wan

EMAIL_RE = f"^{EMAIL_PATTERN}$"
URL_RE = r"^https?://[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+(?::\d+)?(?:[/?#]\S*)?$"
ID_RE = r"^\d+\.\d+$"


@dataclass(frozen=True)
class Check:
    name: str
    table: str
    build: Callable[[dict], object | None]  # edition → GX expectation, or None to skip
    explain: Callable[[dict, object, list], str]  # (edition, observed, unexpected) → message
    skip_reason: str = ""


def valid_iso_codes() -> list[str]:
    """The codes CLDR names (ISO 3166-1 alpha-2, and EU), as partners.py reads them."""
    from ..records.partners import territory_names

    return sorted(set(territory_names().values()) | {"EU"})


def _stated(edition: dict, key: str):
    return edition["edition"].get(key)


def _listing(values: list, limit: int = 5) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _one_digit_apart(a: int, b: int) -> bool:
    """a and b differ in exactly one decimal digit (a misread digit), same length."""
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb)) == 1


def suspect_ocr_term(edition: dict, column: str, observed, stated) -> str:
    """For a failed sum over values read by OCR: which direction's value is suspect, as a clause.

    Among the terms read by OCR, those whose one-digit correction would balance the sum
    come first; of these, the one the engine was least sure of. Empty when no term was
    read by OCR (a text-layer PDF has no misreads to suspect).
    """
    from .warnings import ocr_confidence

    if observed is None or stated is None:
        return ""
    key, unit = {"budget_cny": ("budget_cny", 10_000), "pc_low": ("project_count", 1),
                 "pc_high": ("project_count", 1)}[column]
    delta = int(round(observed - stated))
    terms = []
    for d in edition["directions"]:
        confidence = ocr_confidence(d.get("provenance", {}).get(key))
        if confidence is None:
            continue
        if column == "budget_cny":
            value = d.get("budget_cny")
        else:
            pc = d.get("project_count") or {}
            lo, hi = pc.get("min"), pc.get("max")
            value = (lo if lo is not None else hi) if column == "pc_low" else (hi if hi is not None else lo)
        if value is None:
            continue
        fits = value - delta >= 0 and _one_digit_apart(value // unit, (value - delta) // unit)
        terms.append((not fits, confidence, d["id"], value))
    if not terms:
        return ""
    _, confidence, direction, value = min(terms)
    shown = format_wan(value) if column == "budget_cny" else str(value)
    what = "budget" if column == "budget_cny" else "project count"
    return (f"; suspect: direction {direction}'s {what} {shown} (read by OCR, confidence {confidence:.2f}): "
            "check it against the scan")


def checks() -> list[Check]:
    """Every check, in report order."""
    import great_expectations.expectations as gxe

    def stated_pc(edition, end):
        pc = _stated(edition, "project_count") or {}
        return pc.get(end)

    def fixed(value):
        return {"min_value": value, "max_value": value}

    return [
        Check("direction ids are unique", "directions",
              lambda e: gxe.ExpectColumnValuesToBeUnique(column="id"),
              lambda e, obs, bad: f"direction id {_listing(sorted(set(bad)))} occurs more than once"),
        Check("direction ids are numbered N.N", "directions",
              lambda e: gxe.ExpectColumnValuesToMatchRegex(column="id", regex=ID_RE),
              lambda e, obs, bad: f"direction ids {_listing(bad)} are not of the form 1.1"),
        Check("every direction has a title", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="title"),
              lambda e, obs, bad: f"{len(bad)} direction(s) have no title"),
        Check("every direction names a partner", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="partner_name"),
              lambda e, obs, bad: f"{len(bad)} direction(s) name no partner country or organisation"),
        Check("every partner has an ISO or organisation code", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="partner_code"),
              lambda e, obs, bad: f"{len(bad)} direction(s) have a partner with neither an ISO 3166-1 code nor "
                                  "an organisation code"),
        Check("partner ISO codes are valid", "directions",
              lambda e: gxe.ExpectColumnValuesToBeInSet(column="iso_code", value_set=valid_iso_codes()),
              lambda e, obs, bad: f"ISO codes {_listing(bad)} are not ISO 3166-1 alpha-2 codes (or EU)"),
        Check("every direction states a budget", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="budget_cny"),
              lambda e, obs, bad: f"{len(bad)} direction(s) state no budget"),
        Check("budgets are positive", "directions",
              lambda e: gxe.ExpectColumnValuesToBeBetween(column="budget_cny", min_value=1),
              lambda e, obs, bad: f"budgets {_listing([format_wan(b) for b in bad])} are not positive"),
        Check("project counts are ranges with 1 ≤ min ≤ max", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="pc_problem"),
              lambda e, obs, bad: f"project counts malformed: {_listing(bad)}"),
        Check("every direction cites an agreement", "directions",
              lambda e: gxe.ExpectColumnValuesToBeBetween(column="agreement_count", min_value=1),
              lambda e, obs, bad: f"{len(bad)} direction(s) cite no agreement 《…》"),
        # structure: a direction whose sections were merged into another's, or lost, is not published
        Check("every direction has its labelled sections", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="missing_sections"),
              lambda e, obs, bad: f"directions lack labelled sections ({_listing(bad)}): merged or lost structure"),
        Check("requirements are numbered 1..n without gaps", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="requirement_numbering"),
              lambda e, obs, bad: f"requirements {_listing(bad)}: items merged or lost"),
        Check("each direction states one duration limit", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="duration_problem"),
              lambda e, obs, bad: f"duration in doubt: {_listing(bad)}"),
        Check("values hold no Kangxi or CJK-radical code points", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="radical_problem"),
              lambda e, obs, bad: f"radical code points in values ({_listing(sorted(set(bad)))}): text a print "
                                  "pipeline named wrongly; extract again with the radicals_to_ideographs text fix"),
        Check("every contact has a name or is an organisation mailbox", "contacts",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="contact_problem"),
              lambda e, obs, bad: "; ".join(bad)),
        Check("contact e-mails are valid", "contacts",
              lambda e: gxe.ExpectColumnValuesToMatchRegex(column="email", regex=EMAIL_RE),
              lambda e, obs, bad: f"e-mails {_listing(bad)} are not valid addresses"),
        Check("contact phones are valid E.164 numbers of the partner's country", "contacts",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="phone_problem"),
              lambda e, obs, bad: "; ".join(bad)),
        Check("URLs are valid http(s) addresses", "urls",
              lambda e: gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_RE),
              lambda e, obs, bad: f"URLs {_listing(bad)} are not valid http(s) URLs"),
        Check("direction budgets sum to the stated total", "directions",
              lambda e: None if _stated(e, "budget_cny") is None else
              gxe.ExpectColumnSumToBeBetween(column="budget_cny", **fixed(_stated(e, "budget_cny"))),
              lambda e, obs, bad: f"direction budgets sum to {format_wan(obs)} but the preamble states "
                                  f"{format_wan(_stated(e, 'budget_cny'))}"
                                  + suspect_ocr_term(e, "budget_cny", obs, _stated(e, "budget_cny")),
              "the preamble states no total budget"),
        Check("lowest project counts sum to the stated minimum", "directions",
              lambda e: None if stated_pc(e, "min") is None else
              gxe.ExpectColumnSumToBeBetween(column="pc_low", **fixed(stated_pc(e, "min"))),
              lambda e, obs, bad: f"the directions fund at least {obs} projects but the preamble states "
                                  f"{stated_pc(e, 'min')}" + suspect_ocr_term(e, "pc_low", obs, stated_pc(e, "min")),
              "the preamble states no project-count range"),
        Check("highest project counts sum to the stated maximum", "directions",
              lambda e: None if stated_pc(e, "max") is None else
              gxe.ExpectColumnSumToBeBetween(column="pc_high", **fixed(stated_pc(e, "max"))),
              lambda e, obs, bad: f"the directions fund at most {obs} projects but the preamble states "
                                  f"{stated_pc(e, 'max')}" + suspect_ocr_term(e, "pc_high", obs, stated_pc(e, "max")),
              "the preamble states no project-count range"),
        Check("number of directions is the stated one", "directions",
              lambda e: None if _stated(e, "direction_count") is None else
              gxe.ExpectTableRowCountToEqual(value=_stated(e, "direction_count")),
              lambda e, obs, bad: f"{obs} directions found but the preamble states {_stated(e, 'direction_count')}",
              "the preamble states no number of directions"),
        Check("number of distinct partners is the stated one", "directions",
              lambda e: None if _stated(e, "partner_count") is None else
              gxe.ExpectColumnUniqueValueCountToBeBetween(column="partner_code", **fixed(_stated(e, "partner_count"))),
              lambda e, obs, bad: f"{obs} distinct partners found but the preamble states {_stated(e, 'partner_count')}",
              "the preamble states no number of partners"),
    ]
