"""Money per project: the cap parser (a table of real phrasings), the table columns, and the warning."""

import pytest

from pipeline.quality.warnings import per_project_cap_short_of_budget
from pipeline.records.derived import with_derived
from pipeline.records.frames import edition_to_rows
from pipeline.records.money import parse_per_project_cap


@pytest.mark.parametrize("text, yuan, printed", [
    ("每个项目国拨经费不超过500万元。", 5_000_000, "每个项目国拨经费不超过500万元"),
    ("每个项目（国拨经费）不超过 500 万元；", 5_000_000, "每个项目（国拨经费）不超过 500 万元"),
    ("每个项目(国拨经费)不超过500万元", 5_000_000, "每个项目(国拨经费)不超过500万元"),
    ("单个项目资助额度不超过300万元。", 3_000_000, "单个项目资助额度不超过300万元"),
    ("每项国拨经费原则上不超过 200 万元人民币", 2_000_000, "每项国拨经费原则上不超过 200 万元"),
    ("单项资助最高为0.05亿元", 5_000_000, "单项资助最高为0.05亿元"),
    ("每个项目资助经费不超过５００万元。", 5_000_000, "每个项目资助经费不超过５００万元"),  # full-width digits
    ("每个项目国拨经费不超过五百万元。", 5_000_000, "每个项目国拨经费不超过五百万元"),  # Chinese numerals
    ("每个项目的资助金额上限为 1,200 万元", 12_000_000, "每个项目的资助金额上限为 1,200 万元"),
    ("共拟支持经费：2000万元人民币，每个项目不超过400万元。", 4_000_000, "每个项目不超过400万元"),
    ("项目执行期不超过3年，每一个项目经费不得超过一百五十万元。", 1_500_000, "每一个项目经费不得超过一百五十万元"),
    # the 亿 part counts: one amount rule for budgets, caps and totals (values.AMOUNT)
    ("每个项目不超过1亿2000万元。", 120_000_000, "每个项目不超过1亿2000万元"),
    ("每个项目不超过一亿两千万元", 120_000_000, "每个项目不超过一亿两千万元"),
    ("单个项目资助不超过１亿２０００万元", 120_000_000, "单个项目资助不超过１亿２０００万元"),
    ("每个项目资助额度最高为1.2亿元", 120_000_000, "每个项目资助额度最高为1.2亿元"),
    # capital (大写) numerals, as amounts of money are often written
    ("每项国拨经费原则上不超过伍佰万元", 5_000_000, "每项国拨经费原则上不超过伍佰万元"),
    ("每个项目不超过贰佰伍拾万元人民币", 2_500_000, "每个项目不超过贰佰伍拾万元"),
    ("每个项目经费原则上不超过 300 万元左右", 3_000_000, "每个项目经费原则上不超过 300 万元"),
])
def test_parse_per_project_cap(text, yuan, printed):
    cap = parse_per_project_cap(text)
    assert cap is not None and cap.yuan == yuan and cap.text == printed


@pytest.mark.parametrize("text", [
    "共拟支持经费：2000 万元人民币。",  # a direction's budget, not a cap
    "每个项目资助 300 万元左右。",  # a typical sum, not a bound
    "项目执行期原则上不超过 3 年；",  # a bound, but on years
    "拟支持项目数：不超过 10 个。",
    "中方单位提交科技部的项目申请中预算不超过地平线 2020 计划项目中的中方单位预算",  # a bound with no amount
    "每个项目应提供至少与其获得的政府资助等额的配套资金；",
    "每个项目资助 300~500 万元。",  # a range is no upper bound
    "每个项目不超过 300~500 万元。",  # nor one amount
    "",
])
def test_parse_per_project_cap_says_nothing(text):
    assert parse_per_project_cap(text) is None


def _edition(**direction):
    """One direction, its derived facts computed as extraction computes them (records/derived.py)."""
    base = {"id": "1.1", "title": "t", "partner": {"name": "丹麦", "iso_code": "DK"}, "budget_cny": 20_000_000,
            "project_count": {"min": 4, "max": 5, "approximate": False}, "per_project_cap_cny": None,
            "requirements": []}
    return with_derived({"edition": {"id": "x"}, "directions": [{**base, **direction}]})


def test_money_per_project_columns():
    row = edition_to_rows(_edition(per_project_cap_cny=5_000_000))["directions"][0]
    assert row["budget_per_project_cny_min"] == 4_000_000  # 2000 万元 ÷ 5
    assert row["budget_per_project_cny_max"] == 5_000_000  # 2000 万元 ÷ 4
    assert row["per_project_cap_cny"] == 5_000_000
    only_max = edition_to_rows(_edition(project_count={"min": None, "max": 10}))["directions"][0]
    # 不超过 10 个: at least 200 万元 each if all ten are funded; one project could get it all: no maximum
    assert only_max["budget_per_project_cny_min"] == 2_000_000 and only_max["budget_per_project_cny_max"] is None
    none = edition_to_rows(_edition(project_count=None))["directions"][0]
    assert none["budget_per_project_cny_min"] is None and none["budget_per_project_cny_max"] is None


@pytest.mark.parametrize("cap, count, warned", [
    (3_000_000, {"min": 4, "max": 5}, True),  # 5 × 300 万 = 1500 万 < 2000 万
    (4_000_000, {"min": 4, "max": 5}, False),  # 5 × 400 万 covers it exactly
    (3_000_000, {"min": None, "max": 10}, False),
    (None, {"min": 4, "max": 5}, False),
])
def test_cap_short_of_budget_is_a_warning(cap, count, warned):
    found = per_project_cap_short_of_budget(_edition(per_project_cap_cny=cap, project_count=count))
    assert bool(found) is warned
    if warned:
        assert found[0].direction == "1.1" and "1,500 万元" in found[0].message and "2,000 万元" in found[0].message


def test_cap_warning_is_in_the_warning_rules():
    from pipeline.quality.warnings import edition_warnings

    edition = _edition(per_project_cap_cny=3_000_000)
    edition["edition"].update(budget_cny=1, project_count={"min": 1, "max": 1}, direction_count=1, partner_count=1)
    assert [w.rule for w in edition_warnings(edition)] == ["per_project_cap_short_of_budget"]


@pytest.mark.slow
def test_cap_read_from_a_rendered_guideline(tmp_path):
    """The 2021-2 text with caps added (a variant, rendered with ReportLab): one in a budget field, one in a
    requirement (full-width digits); each keeps the words and the page it came from."""
    import build
    from conftest import EDITIONS

    from pipeline.extract import extract_to_dir

    styled = build.read_styled(EDITIONS["2021-2"][1].read_text(encoding="utf-8"))
    out, in_dk, in_no = [], False, False
    for style, text in styled:
        in_dk = (in_dk or text.startswith("1.5 ")) and not text.startswith("1.6 ")
        in_no = (in_no or text.startswith("1.6 ")) and not text.startswith("1.7 ")
        if in_dk and text.startswith("共拟支持经费"):
            text = "共拟支持经费：2000 万元人民币，每个项目（国拨经费）不超过 500 万元。"
        out.append((style, text))
        if in_no and text.startswith("(5) 项目合作双方"):
            out.append(("item", "(7) 单个项目资助额度不超过６００万元。"))
    pdf = build.render(out, tmp_path / "caps.pdf")
    stages, _ = extract_to_dir(pdf, tmp_path / "out", "caps")
    caps = {d.partner.iso_code: d for d in stages.edition.directions}
    assert caps["DK"].per_project_cap_cny == 5_000_000 and caps["NO"].per_project_cap_cny == 6_000_000
    assert caps["DK"].provenance["per_project_cap_cny"].text == "每个项目（国拨经费）不超过 500 万元"
    assert caps["NO"].provenance["per_project_cap_cny"].text == "单个项目资助额度不超过６００万元"
    assert caps["NO"].provenance["per_project_cap_cny"].locations
    assert all(d.per_project_cap_cny is None for iso, d in caps.items() if iso not in ("DK", "NO"))
