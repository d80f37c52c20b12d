"""The quality checks an edition must pass, as data: id, name, table, GX expectation, message.

A check's `id` (budget_sum_matches_preamble) is stable: validation.json, the review page
and programs key on it, so its English `name` may be reworded freely. A failed check names
the values it concerns as paths into edition.json (`directions[3].budget_cny`).

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
    id: str  # stable: programs and the review page key on it, whatever the name says
    name: str
    table: str
    build: Callable[[dict], object | None]  # edition → GX expectation, or None to skip
    explain: Callable[[dict, object, list], str]  # (edition, observed, unexpected) → message
    skip_reason: str = ""
    # the value a failure concerns: for a check on rows, the path inside each offending row ("budget_cny",
    # "partner.iso_code"; "" for the row itself); for a check on the whole table, (edition, observed) → paths
    value: str | None = None
    concerns: Callable[[dict, object], list[str]] | None = None


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


def suspect_ocr(edition: dict, column: str, observed, stated) -> tuple[int, float, int] | None:
    """For a failed sum over values read by OCR: the suspect term as (direction index, confidence, value).

    Among the terms read by OCR, those whose one-digit correction would balance the sum
    come first; of these, the one the engine was least sure of. None when no term was
    read by OCR (a text-layer PDF has no misreads to suspect).
    """
    from .warnings import ocr_confidence

    if observed is None or stated is None:
        return None
    key, unit = {"budget_cny": ("budget_cny", 10_000), "pc_low": ("project_count", 1),
                 "pc_high": ("project_count", 1)}[column]
    delta = int(round(observed - stated))
    terms = []
    for i, d in enumerate(edition["directions"]):
        confidence = ocr_confidence(d.get("provenance", {}).get(key))
        if confidence is None:
            continue
        if column == "budget_cny":
            value = d.get("budget_cny")
        else:  # the bounds the sum is over, as derived once (derived.py)
            value = d["derived"]["projects_low" if column == "pc_low" else "projects_high"]
        if value is None:
            continue
        fits = value - delta >= 0 and _one_digit_apart(value // unit, (value - delta) // unit)
        terms.append((not fits, confidence, i, value))
    if not terms:
        return None
    _, confidence, index, value = min(terms)
    return index, confidence, value


def suspect_ocr_term(edition: dict, column: str, observed, stated) -> str:
    """The suspect term of a failed sum (suspect_ocr) as a clause of the message; empty when there is none."""
    found = suspect_ocr(edition, column, observed, stated)
    if found is None:
        return ""
    index, confidence, value = found
    direction = edition["directions"][index]["id"]
    shown = format_wan(value) if column == "budget_cny" else str(value)
    what = "budget" if column == "budget_cny" else "project count"
    return (f"; suspect: direction {direction}'s {what} {shown} (read by OCR, confidence {confidence:.2f}): "
            "check it against the scan")


def _sum_concerns(stated_path: str, column: str, stated: Callable[[dict], object]):
    """The paths a failed sum concerns: the stated total, and the suspect term when OCR read the terms."""
    def concerns(edition: dict, observed) -> list[str]:
        found = suspect_ocr(edition, column, observed, stated(edition))
        value = "budget_cny" if column == "budget_cny" else "project_count"
        return [stated_path] + ([f"directions[{found[0]}].{value}"] if found else [])
    return concerns


def checks() -> list[Check]:
    """Every check, in report order."""
    import great_expectations.expectations as gxe

    def stated_pc(edition, end):
        pc = _stated(edition, "project_count") or {}
        return pc.get(end)

    def fixed(value):
        return {"min_value": value, "max_value": value}

    budget = lambda e: _stated(e, "budget_cny")  # noqa: E731
    return [
        Check("direction_ids_unique", "direction ids are unique", "directions",
              lambda e: gxe.ExpectColumnValuesToBeUnique(column="id"),
              lambda e, obs, bad: f"direction id {_listing(sorted(set(bad)))} occurs more than once", value="id"),
        Check("direction_ids_numbered", "direction ids are numbered N.N", "directions",
              lambda e: gxe.ExpectColumnValuesToMatchRegex(column="id", regex=ID_RE),
              lambda e, obs, bad: f"direction ids {_listing(bad)} are not of the form 1.1", value="id"),
        Check("direction_has_title", "every direction has a title", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="title"),
              lambda e, obs, bad: f"{len(bad)} direction(s) have no title", value="title"),
        Check("direction_names_partner", "every direction names a partner", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="partner_name"),
              lambda e, obs, bad: f"{len(bad)} direction(s) name no partner country or organisation",
              value="partner.name"),
        Check("partner_has_code", "every partner has an ISO or organisation code", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="partner_code"),
              lambda e, obs, bad: f"{len(bad)} direction(s) have a partner with neither an ISO 3166-1 code nor "
                                  "an organisation code", value="partner.iso_code"),
        Check("partner_iso_code_valid", "partner ISO codes are valid", "directions",
              lambda e: gxe.ExpectColumnValuesToBeInSet(column="iso_code", value_set=valid_iso_codes()),
              lambda e, obs, bad: f"ISO codes {_listing(bad)} are not ISO 3166-1 alpha-2 codes (or EU)",
              value="partner.iso_code"),
        Check("direction_states_budget", "every direction states a budget", "directions",
              lambda e: gxe.ExpectColumnValuesToNotBeNull(column="budget_cny"),
              lambda e, obs, bad: f"{len(bad)} direction(s) state no budget", value="budget_cny"),
        Check("budget_positive", "budgets are positive", "directions",
              lambda e: gxe.ExpectColumnValuesToBeBetween(column="budget_cny", min_value=1),
              lambda e, obs, bad: f"budgets {_listing([format_wan(b) for b in bad])} are not positive",
              value="budget_cny"),
        Check("project_count_is_range", "project counts are ranges with 1 ≤ min ≤ max", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="pc_problem"),
              lambda e, obs, bad: f"project counts malformed: {_listing(bad)}", value="project_count"),
        Check("values_plausible", "budgets and counts are within plausible bounds", "values",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="problem"),
              lambda e, obs, bad: "implausible values, a misreading or a typo: " + "; ".join(bad[:5]), value=""),
        Check("direction_cites_agreement", "every direction cites an agreement", "directions",
              lambda e: gxe.ExpectColumnValuesToBeBetween(column="agreement_count", min_value=1),
              lambda e, obs, bad: f"{len(bad)} direction(s) cite no agreement 《…》", value="agreements"),
        # structure: a direction whose sections were merged into another's, or lost, is not published
        Check("direction_has_sections", "every direction has its labelled sections", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="missing_sections"),
              lambda e, obs, bad: f"directions lack labelled sections ({_listing(bad)}): merged or lost structure",
              value=""),
        Check("directions_numbered_in_sequence", "directions are numbered 1.1, 1.2 … without gaps", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="direction_numbering"),
              lambda e, obs, bad: "; ".join(bad), value="id"),
        Check("requirements_numbered", "requirements are numbered 1..n without gaps", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="requirement_numbering"),
              lambda e, obs, bad: f"requirements {_listing(bad)}: items merged or lost", value="requirements"),
        Check("duration_limit_single", "each direction states one duration limit", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="duration_problem"),
              lambda e, obs, bad: f"duration in doubt: {_listing(bad)}", value="max_duration_years"),
        Check("no_radical_code_points", "values hold no Kangxi or CJK-radical code points", "directions",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="radical_problem"),
              lambda e, obs, bad: f"radical code points in values ({_listing(sorted(set(bad)))}): text a print "
                                  "pipeline named wrongly; extract again with the radicals_to_ideographs text fix",
              value=""),
        Check("contact_named", "every contact has a name or is an organisation mailbox", "contacts",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="contact_problem"),
              lambda e, obs, bad: "; ".join(bad), value="name"),
        Check("contact_email_valid", "contact e-mails are valid", "contacts",
              lambda e: gxe.ExpectColumnValuesToMatchRegex(column="email", regex=EMAIL_RE),
              lambda e, obs, bad: f"e-mails {_listing(bad)} are not valid addresses", value="email"),
        Check("contact_phone_valid", "contact phones are valid E.164 numbers of their side's country", "contacts",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="phone_problem"),
              lambda e, obs, bad: "; ".join(bad), value="phone"),
        Check("contact_china_side_phone", "contacts labelled 中方 have +86 numbers", "contacts",
              lambda e: gxe.ExpectColumnValuesToBeNull(column="china_side_problem"),
              lambda e, obs, bad: "; ".join(bad), value="phone"),
        Check("url_valid", "URLs are valid http(s) addresses", "urls",
              lambda e: gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_RE),
              lambda e, obs, bad: f"URLs {_listing(bad)} are not valid http(s) URLs", value=""),
        Check("budget_sum_matches_preamble", "direction budgets sum to the stated total", "directions",
              lambda e: None if budget(e) is None else
              gxe.ExpectColumnSumToBeBetween(column="budget_cny", **fixed(budget(e))),
              lambda e, obs, bad: f"direction budgets sum to {format_wan(obs)} but the preamble states "
                                  f"{format_wan(budget(e))}" + suspect_ocr_term(e, "budget_cny", obs, budget(e)),
              "the preamble states no total budget",
              concerns=_sum_concerns("edition.budget_cny", "budget_cny", budget)),
        Check("project_min_sum_matches_preamble", "lowest project counts sum to the stated minimum", "directions",
              lambda e: None if stated_pc(e, "min") is None else
              gxe.ExpectColumnSumToBeBetween(column="pc_low", **fixed(stated_pc(e, "min"))),
              lambda e, obs, bad: f"the directions fund at least {obs} projects but the preamble states "
                                  f"{stated_pc(e, 'min')}" + suspect_ocr_term(e, "pc_low", obs, stated_pc(e, "min")),
              "the preamble states no project-count range",
              concerns=_sum_concerns("edition.project_count.min", "pc_low", lambda e: stated_pc(e, "min"))),
        Check("project_max_sum_matches_preamble", "highest project counts sum to the stated maximum", "directions",
              lambda e: None if stated_pc(e, "max") is None else
              gxe.ExpectColumnSumToBeBetween(column="pc_high", **fixed(stated_pc(e, "max"))),
              lambda e, obs, bad: f"the directions fund at most {obs} projects but the preamble states "
                                  f"{stated_pc(e, 'max')}" + suspect_ocr_term(e, "pc_high", obs, stated_pc(e, "max")),
              "the preamble states no project-count range",
              concerns=_sum_concerns("edition.project_count.max", "pc_high", lambda e: stated_pc(e, "max"))),
        Check("direction_count_matches_preamble", "number of directions is the stated one", "directions",
              lambda e: None if _stated(e, "direction_count") is None else
              gxe.ExpectTableRowCountToEqual(value=_stated(e, "direction_count")),
              lambda e, obs, bad: f"{obs} directions found but the preamble states {_stated(e, 'direction_count')}",
              "the preamble states no number of directions",
              concerns=lambda e, obs: ["edition.direction_count"]),
        Check("partner_count_matches_preamble", "number of distinct partners is the stated one", "directions",
              lambda e: None if _stated(e, "partner_count") is None else
              gxe.ExpectColumnUniqueValueCountToBeBetween(column="partner_code", **fixed(_stated(e, "partner_count"))),
              lambda e, obs, bad: f"{obs} distinct partners found but the preamble states {_stated(e, 'partner_count')}",
              "the preamble states no number of partners",
              concerns=lambda e, obs: ["edition.partner_count"]),
    ]
