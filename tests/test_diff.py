"""guidelines diff: expected changes written by reading both documents (2022-1 is SYNTHETIC)."""

import json
import re

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import EDITIONS, ROOT

import build
from pipeline.cli import app
from pipeline.compare.diff import diff_editions, list_diff, match_score, word_edits
from pipeline.extract import extract_to_dir

runner = CliRunner()


@pytest.fixture(scope="module")
def editions(extracted):
    return {name: json.loads((out / "edition.json").read_text(encoding="utf-8")) for name, (_, out) in extracted.items()}


@pytest.fixture(scope="module")
def report(editions):
    return diff_editions(editions["2021-2"], editions["synthetic-2022-1"])


def changed(report, partner_iso, title_word=""):
    return next(d.changes for d in report.changed if d.new.partner_iso == partner_iso and title_word in d.new.title)


def values(changes) -> dict:
    return {v.field: (v.old, v.new) for v in changes.values}


def test_directions_added_and_removed(report):
    assert [(r.partner_iso, r.title) for r in report.removed] == [("HR", "中国和克罗地亚政府间科技创新合作项目")]
    assert [(r.partner_iso, r.title) for r in report.added] == [("NZ", "中国和新西兰政府间科技合作项目")]
    assert report.summary.directions_changed == 7 and report.identical is False


def test_totals(report):
    totals = {t.field: t for t in report.totals}
    assert (totals["budget_cny"].old, totals["budget_cny"].new) == (257_800_000, 220_800_000)  # 2.578 → 2.208 亿元
    assert totals["budget_cny"].diff == -37_000_000 and totals["budget_cny"].pct == -14.35
    assert (totals["project_count"].old, totals["project_count"].new) == ({"min": 79, "max": 82}, {"min": 67, "max": 70})
    assert "direction_count" not in totals and "partner_count" not in totals  # 8 and 7 both years


def test_israel_budget_and_count(report):
    israel = changed(report, "IL")
    assert values(israel)["budget_cny"] == (20_000_000, 16_000_000)  # 2000 → 1600 万元
    assert values(israel)["project_count"] == ({"min": None, "max": 10}, {"min": None, "max": 8})
    [agreement] = israel.agreements.reworded  # 关于 2021 年度 → 2022 年度 … 会议纪要
    assert [(e.old, e.new) for e in agreement.edits] == [("2021", "2022")]
    [requirement] = israel.requirements.reworded  # 进入 2020 年 → 2021 年 中以创新创业大赛
    assert [(e.old, e.new) for e in requirement.edits] == [("2020", "2021")]


def test_jica_gains_agriculture(report):
    jica = changed(report, "JP", "JICA")
    assert jica.fields.added == ["农业"] and jica.fields.removed == []
    assert values(jica)["budget_cny"] == (60_000_000, 45_000_000)


def test_riken_matched_to_riken_not_jica(report):
    riken = changed(report, "JP", "RIKEN")
    assert values(riken)["budget_cny"] == (30_000_000, 24_000_000)
    assert riken.fields.added == []


def test_eu_network_field_gains_a_topic(report):
    eu = changed(report, "EU")
    assert [(t.field, t.added, t.removed) for t in eu.fields.topics_changed] == [("新一代信息网络", ["人工智能"], [])]


def test_one_danish_phone_changed(report):
    denmark = changed(report, "DK")
    assert [(c.contact, c.field, c.old, c.new) for c in denmark.contacts.changed] == [
        ("Sune Dalgaard Ebbesen", "phone", "+4561905030", "+4561905031")]
    assert denmark.contacts.added == [] and denmark.contacts.removed == []


def test_malta_duration_two_to_three_years(report):
    malta = changed(report, "MT")
    assert values(malta) == {"max_duration_years": (2, 3)}  # budget 480 万元 both years
    [requirement] = malta.requirements.reworded
    assert [(e.old, e.new) for e in requirement.edits] == [("2", "3")]


def test_norway_unchanged_but_for_money_and_count(report):
    norway = changed(report, "NO")
    assert set(values(norway)) == {"budget_cny", "project_count"}
    assert norway.requirements.empty() and norway.contacts.empty() and norway.fields.empty()


def test_self_diff_has_no_changes(editions):
    same = diff_editions(editions["2021-2"], editions["2021-2"])
    assert same.identical is True
    assert same.changed == [] and same.added == [] and same.removed == [] and same.totals == []
    assert len(same.unchanged) == 8


@pytest.mark.slow
def test_reordered_and_renumbered_edition_matches_every_direction(tmp_path, editions):
    _, txt, gold = EDITIONS["2021-2"]
    styled, _ = build.reorder_directions(build.read_styled(txt.read_text(encoding="utf-8")),
                                         json.loads(gold.read_text(encoding="utf-8")))
    _, out = extract_to_dir(build.render(styled, tmp_path / "reordered.pdf"), tmp_path / "out")
    reordered = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    result = diff_editions(editions["2021-2"], reordered)
    assert result.added == [] and result.removed == [] and result.totals == []
    # reversed order: 1.1 is now 1.8, 1.8 is now 1.1 …
    assert {(m.old_id, m.new_id) for m in result.matching} == {(f"1.{i}", f"1.{9 - i}") for i in range(1, 9)}
    # only the numbers moved: a new number alone is no change
    assert result.changed == [] and sorted(result.unchanged) == [f"1.{i}" for i in range(1, 9)]
    assert result.identical is True


@pytest.mark.parametrize("old, new, edits", [
    ("项目执行期一般不超过2年；", "项目执行期一般不超过3年；", [("replace", "2", "3")]),
    ("电话：+45 61905030", "电话：+45 61905031", [("replace", "61905030", "61905031")]),
    ("鼓励企业参与", "鼓励企业和高校参与", [("insert", None, "和高校")]),
    ("须为企业", "须为企业", []),
])
def test_word_edits(old, new, edits):
    assert [(e.op, e.old, e.new) for e in word_edits(old, new)] == edits


def test_list_diff_pairs_reworded_items_by_text_not_position():
    old = ["项目执行期一般不超过2年；", "单方申报项目无效。"]
    new = ["单方申报项目无效。", "中丹合作单位要签署明确的知识产权协议；", "项目执行期一般不超过3年；"]
    result = list_diff(old, new)
    assert result.added == ["中丹合作单位要签署明确的知识产权协议；"] and result.removed == []
    assert [(r.old, r.new) for r in result.reworded] == [("项目执行期一般不超过2年；", "项目执行期一般不超过3年；")]


def test_directions_of_different_partners_never_match():
    a = {"title": "中国和丹麦政府间科技合作项目", "partner": {"iso_code": "DK"}, "agreements": []}
    b = {"title": "中国和挪威政府间科技合作项目", "partner": {"iso_code": "NO"}, "agreements": []}
    assert match_score(a, b) is None


# --- the command --------------------------------------------------------------------------------

@pytest.fixture
def root(tmp_path, extracted):
    import shutil
    for name, (_, out) in extracted.items():
        shutil.copytree(out, tmp_path / "extracted" / name.replace("synthetic-", ""))
    return tmp_path / "extracted"


def test_markdown_by_edition_id_summary_table_first(root):
    result = runner.invoke(app, ["diff", "2021-2", "2022-1", "--root", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "# 2021-2 → 2022-1"
    assert lines[2] == "|  | 2021-2 | 2022-1 | change |"
    assert "| Budget | 25,780 万元 | 22,080 万元 | −3,700 万元 (−14.35%) |" in lines
    assert "- Budget: 2,000 万元 → 1,600 万元 (−400 万元, −20%)" in lines
    assert "- Contact Sune Dalgaard Ebbesen: phone +4561905030 → +4561905031" in lines


def test_json_is_stable_and_follows_its_schema(root, tmp_path):
    out = tmp_path / "d.json"
    result = runner.invoke(app, ["diff", str(root / "2021-2"), str(root / "2022-1" / "edition.json"),
                                 "--format", "json", "--out", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8")))
    assert data["identical"] is False
    again = runner.invoke(app, ["diff", str(root / "2021-2"), str(root / "2022-1" / "edition.json"), "--format", "json"])
    assert json.loads(again.output) == data  # same input, same output


def test_json_self_diff_says_identical_in_one_field(root):
    result = runner.invoke(app, ["diff", "2021-2", "2021-2", "--root", str(root), "--format", "json"])
    assert json.loads(result.output)["identical"] is True


def test_html_is_one_self_contained_page(root, tmp_path):
    out = tmp_path / "diff.html"
    assert runner.invoke(app, ["diff", "2021-2", "2022-1", "--root", str(root), "--format", "html",
                               "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<table>" in page
    assert not re.search(r"(?:src|href)=\"?https?://", page)
    assert "中国和新西兰政府间科技合作项目" in page


@pytest.mark.parametrize("content, words", [(None, "no such edition.json"), ("{", "not valid JSON"),
                                            ('{"directions": []}', "does not follow the edition contract")])
def test_missing_or_malformed_input_one_line_error(root, tmp_path, content, words):
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["diff", "2021-2", str(bad), "--root", str(root)])
    assert result.exit_code == 10
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
