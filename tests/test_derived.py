"""A correction reaches every output: derived facts are computed once, after corrections, and read everywhere.

2021-2 as printed (read from the document): 1.5 Denmark has 2000 万元 for 4~5 projects and
requirement (5) 项目执行期原则上不超过3年; 1.1 Israel's requirement (1) is 牵头申报单位必须为企业.
A person corrects Denmark's budget to 2100 万元, its count to 4~6 and its duration to 5 years,
and Israel's requirement (1) to 牵头申报单位必须为企业或高校. What each output must then say is
worked out by hand below: 2100 万元 ÷ 6 = 350 万元 and ÷ 4 = 525 万元 per project; the budgets
now sum to 25,880 万元 against the stated 25,780 万元 and the highest counts to 83 against 82;
a university may now lead 1.1.
"""

import copy
import json

import pytest
from click.testing import CliRunner
from conftest import EDITIONS

from pipeline.cli import app
from pipeline.extract import correct_stages, write_stages

runner = CliRunner()

CORRECTIONS = """\
- direction: "1.5"
  path: budget_cny
  was: 20000000
  value: 21000000
  reason: misread budget
- direction: "1.5"
  path: project_count.max
  was: 5
  value: 6
  reason: misread count
- direction: "1.5"
  path: max_duration_years
  was: 3
  value: 5
  reason: misread duration
- direction: "1.1"
  path: requirements[0].text
  was: 牵头申报单位必须为企业；
  value: 牵头申报单位必须为企业或高校；
  reason: misread requirement
"""


@pytest.fixture(scope="module")
def project(extracted, tmp_path_factory):
    """extracted/2021-2 re-corrected as `extract --corrections` does it, extracted/2022-1 as it is."""
    root = tmp_path_factory.mktemp("corrected")
    (root / "corrections").mkdir()
    (root / "corrections" / "2021-2.yaml").write_text(CORRECTIONS, encoding="utf-8")
    stages, _ = extracted["2021-2"]
    out = root / "extracted" / "2021-2"
    out.mkdir(parents=True)
    write_stages(correct_stages(stages, root / "corrections"), out)
    import shutil

    shutil.copytree(extracted["synthetic-2022-1"][1], root / "extracted" / "2022-1")
    return root


@pytest.fixture(scope="module")
def editions(project):
    return {i: json.loads((project / "extracted" / i / "edition.json").read_text(encoding="utf-8"))
            for i in ("2021-2", "2022-1")}


def by_id(edition, direction_id):
    return next(d for d in edition["directions"] if d["id"] == direction_id)


def test_edition_json_stores_the_corrected_values_and_what_follows(editions):
    dk, il = by_id(editions["2021-2"], "1.5"), by_id(editions["2021-2"], "1.1")
    assert (dk["budget_cny"], dk["project_count"]["max"], dk["max_duration_years"]) == (21_000_000, 6, 5)
    assert dk["derived"]["projects_low"] == 4 and dk["derived"]["projects_high"] == 6
    assert dk["derived"]["budget_per_project_cny"] == {"min": 3_500_000, "max": 5_250_000}
    assert dk["derived"]["eligibility"]["max_duration_years"] == 5
    assert il["derived"]["eligibility"]["may_lead"] == ["enterprise", "university"]


def _tables(project, editions, fmt):
    import pandas as pd

    from pipeline.publish.tables import write_tables_dir

    out = project / f"tables-{fmt}"
    write_tables_dir(list(editions.values()), out, formats=(fmt,))
    if fmt == "csv":
        read = lambda name: pd.read_csv(out / f"{name}.csv", dtype=str)  # noqa: E731
    elif fmt == "parquet":
        read = lambda name: pd.read_parquet(out / f"{name}.parquet").astype(str)  # noqa: E731
    else:
        read = lambda name: pd.read_excel(out / "tables.xlsx", sheet_name=name, dtype=str)  # noqa: E731
    directions, eligibility = read("directions"), read("eligibility")
    return (directions[(directions.iloc[:, 0] == "2021-2") & (directions.iloc[:, 1] == "1.5")].iloc[0],
            eligibility[(eligibility.iloc[:, 0] == "2021-2") & (eligibility.iloc[:, 1] == "1.1")].iloc[0],
            eligibility[(eligibility.iloc[:, 0] == "2021-2") & (eligibility.iloc[:, 1] == "1.5")].iloc[0])


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_tables_show_the_correction(project, editions, fmt):
    # the workbook's headers are the English column names (--lang en): read every table by position
    dk, il_rules, dk_rules = (row.tolist() for row in _tables(project, editions, fmt))
    from pipeline.publish.tables import COLUMNS

    dk = dict(zip(COLUMNS["directions"], dk))
    il_rules, dk_rules = dict(zip(COLUMNS["eligibility"], il_rules)), dict(zip(COLUMNS["eligibility"], dk_rules))
    as_number = lambda v: float(v)  # noqa: E731 - CSV/xlsx text, Parquet numbers, all compared as numbers
    assert as_number(dk["budget_cny"]) == 21_000_000 and as_number(dk["pc_max"]) == 6 and as_number(dk["pc_high"]) == 6
    assert as_number(dk["budget_per_project_cny_min"]) == 3_500_000
    assert as_number(dk["budget_per_project_cny_max"]) == 5_250_000
    assert as_number(dk["max_duration_years"]) == 5 and as_number(dk_rules["max_duration_years"]) == 5
    assert str(il_rules["lead_university"]).lower() == "true" and str(il_rules["lead_enterprise"]).lower() == "true"


def test_diff_shows_the_correction(editions):
    from pipeline.compare.diff import diff_editions
    from pipeline.compare.render import to_html, to_markdown

    report = diff_editions(editions["2021-2"], editions["2022-1"])
    md = to_markdown(report)
    assert "- Budget: 2,100 万元 → 1,500 万元 (−600 万元, −28.57%)" in md
    assert "- Project count: 4–6 → 3–4" in md and "- Longest duration: 5 years → 3 years" in md
    assert "1.1 IL: universities may no longer lead (requirement (1) reworded)" in md  # 2022-1 says 必须为企业
    assert '<span class="num">2,100 万元</span>' in to_html(report)


def test_partner_history_shows_the_correction(editions):
    from pipeline.query.partner import partner_history
    from pipeline.query.render import partner_markdown as to_markdown

    history = partner_history(list(editions.values()), "DK")
    first = history["entries"][0]
    assert first["budget_cny"] == 21_000_000 and first["budget_per_project_cny"] == {"min": 3_500_000,
                                                                                     "max": 5_250_000}
    assert "| 2021-2 | 1.5 | 2,100 万元 | 4–6 | 350–525 万元 | — |" in to_markdown(history)


def test_review_page_shows_the_correction(editions):
    from pipeline.review.page import review_html

    page = review_html(editions["2021-2"], EDITIONS["2021-2"][0])
    dk = page[page.index('data-direction="1.5"'):page.index('data-direction="1.6"')]
    for shown in ("2,100 万元", "4–6", "5 years", "350–525 万元", "corrected max_duration_years: 3 → 5"):
        assert shown in dk, shown
    il = page[page.index('data-direction="1.1"'):page.index('data-direction="1.2"')]
    assert "enterprises、universities" in il


def test_checks_and_warnings_see_the_correction(editions):
    from pipeline.quality.validate import validate_edition

    report = validate_edition(editions["2021-2"])
    failed = {c.id: c for c in report.checks if c.status == "failed"}
    assert set(failed) == {"budget_sum_matches_preamble", "project_max_sum_matches_preamble"}
    assert "sum to 25,880 万元 but the preamble states 25,780 万元" in failed["budget_sum_matches_preamble"].message
    assert "at most 83 projects but the preamble states 82" in failed["project_max_sum_matches_preamble"].message
    # with a cap of 300 万元, six projects (the corrected count) × 300 万元 fall short of 2100 万元
    from pipeline.quality.warnings import per_project_cap_short_of_budget
    from pipeline.records.corrections import apply_corrections, read_entries

    capped = apply_corrections(editions["2021-2"], read_entries(
        '- direction: "1.5"\n  path: per_project_cap_cny\n  was: null\n  value: 3000000\n  reason: cap\n', "f"), "f")
    [warning] = per_project_cap_short_of_budget(capped)
    assert "6 project(s) × at most 300 万元 = 1,800 万元" in warning.message


def test_eligible_and_enrichment_read_the_correction(project, editions):
    result = runner.invoke(app, ["eligible", "2021-2", "--lead", "university", "--root",
                                 str(project / "extracted"), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, result.output.splitlines())}
    assert rows["1.1"]["eligible"] is True and rows["1.1"]["may_lead"] == ["enterprise", "university"]
    from pipeline.enrich.enrichment import edition_to_enrichment

    enrichment = edition_to_enrichment(editions["2021-2"])
    dk = next(d for d in enrichment.directions if d.id == "1.5")
    assert dk.eligibility.max_duration_years == 5


def test_a_derived_fact_cannot_be_corrected(editions):
    from pipeline.errors import BadCorrections
    from pipeline.records.corrections import apply_corrections, read_entries

    entry = '- direction: "1.5"\n  path: derived.projects_high\n  was: 6\n  value: 7\n  reason: x\n'
    with pytest.raises(BadCorrections) as caught:
        apply_corrections(copy.deepcopy(editions["2021-2"]), read_entries(entry, "c.yaml"), "c.yaml")
    assert "derived from the other values" in str(caught.value.args[0] if caught.value.args else caught.value)
