"""Quality gate: both editions pass; each corruption fails exactly its own check."""

import copy
import json
import re

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.quality.checks import checks
from pipeline.cli import app
from pipeline.quality.validate import validate_edition
from pipeline.records.derived import with_derived

runner = CliRunner()


@pytest.fixture(scope="module")
def editions(extracted):
    return {name: json.loads((out / "edition.json").read_text(encoding="utf-8"))
            for name, (_, out) in extracted.items()}


@pytest.mark.parametrize("name", ["2021-2", "synthetic-2022-1"])
def test_shared_editions_pass_every_check(editions, name):
    report = validate_edition(editions[name])
    assert report.status == "passed"
    assert [c.name for c in report.checks if c.status != "passed"] == []
    assert report.summary.checks == len(checks()) == report.summary.passed


def _d(edition, direction_id):
    return next(d for d in edition["directions"] if d["id"] == direction_id)


def dup_id(e):
    _d(e, "1.2")["id"] = "1.1"


def bad_id(e):
    _d(e, "1.1")["id"] = "1-1"


def no_title(e):
    _d(e, "1.1")["title"] = ""


def no_partner(e):
    _d(e, "1.1")["partner"]["name"] = None


def no_iso(e):
    _d(e, "1.3")["partner"]["iso_code"] = None  # Japan is still counted through 1.2


def bad_iso(e):
    _d(e, "1.7")["partner"]["iso_code"] = "XM"  # Malta's contact has no phone to disagree


def no_budget(e):
    _d(e, "1.2")["budget_cny"] += _d(e, "1.1")["budget_cny"]  # keep the sum
    _d(e, "1.1")["budget_cny"] = None


def negative_budget(e):
    _d(e, "1.1")["budget_cny"] = -10_000_000
    _d(e, "1.2")["budget_cny"] += 30_000_000  # keep the sum


def inverted_range(e):
    _d(e, "1.5")["project_count"].update(min=5, max=4)  # low +1, high -1
    _d(e, "1.6")["project_count"].update(min=9, max=13)  # low -1, high +1: sums unchanged


def no_agreement(e):
    _d(e, "1.2")["agreements"] = []


def broken_email(e):
    _d(e, "1.6")["contacts"][0]["email"] = "ifo@rcn"


def foreign_phone(e):
    _d(e, "1.6")["contacts"][0]["phone"] = "+4561905081"  # the Danish contact's number, for the Norwegian partner


def china_side_foreign_phone(e):
    _d(e, "1.6")["contacts"][0]["side"] = "china"  # a Norwegian number read as a 中方 contact's


def broken_url(e):
    _d(e, "1.3")["urls"] = ["htps//www.jica.go.jp/china"]


def budget_changed(e):
    _d(e, "1.1")["budget_cny"] = 21_000_000


def stated_min_changed(e):
    e["edition"]["project_count"]["min"] = 80


def stated_max_changed(e):
    e["edition"]["project_count"]["max"] = 83


def stated_directions_changed(e):
    e["edition"]["direction_count"] = 9


def _drop_direction(e, direction_id):
    """The direction gone from the directions and from the stated sums (not from the stated count)."""
    gone = _d(e, direction_id)
    e["directions"].remove(gone)
    e["edition"]["budget_cny"] -= gone["budget_cny"]
    low, high = gone["project_count"]["min"], gone["project_count"]["max"]  # 不超过 N: no minimum, N at least one
    e["edition"]["project_count"]["min"] -= low if low is not None else high
    e["edition"]["project_count"]["max"] -= high if high is not None else low
    return gone


def direction_dropped(e):
    """Drop Croatia (1.8, the last; no other direction's partner) and take it out of the stated sums and partners
    too: only the count disagrees."""
    _drop_direction(e, "1.8")
    e["edition"]["partner_count"] -= 1


def direction_heading_lost(e):
    """JICA's heading (1.3) lost, so its direction went into RIKEN's (1.2) before it; the stated count and sums
    taken down too (Japan stays a partner through 1.2): only the numbering tells."""
    _drop_direction(e, "1.3")
    e["edition"]["direction_count"] -= 1


def stated_partners_changed(e):
    e["edition"]["partner_count"] = 8


def requirements_lost(e):
    _d(e, "1.2")["requirements"] = []  # its items merged into the direction before


def requirements_merged(e):
    """Item (4) read as part of item (3): a damaged text layer hid its number."""
    items = _d(e, "1.5")["requirements"]
    items[2]["text"] += items[3]["text"]
    del items[3]


def last_requirement_merged(e):
    """Item (4), the last, read as part of item (3): the numbers 1..3 leave no gap (a fuzzed content stream did it)."""
    items = _d(e, "1.1")["requirements"]
    items[2]["text"] += "，（4）" + items[3]["text"]
    del items[3]


def annex_duration_in_last_direction(e):
    """An annex's 项目执行期一般不超过 3 年 read as a requirement of Malta's direction (which allows 2 years)."""
    malta = _d(e, "1.7")
    malta["requirements"].append({"number": 4, "text": "项目执行期一般不超过3年。", "source": {"text": "…", "locations": []}})
    malta["max_duration_years"] = 3


def radical_in_title(e):
    _d(e, "1.2")["title"] = "中国和日本理化学研究所（RIKEN）联合资助项⽬"  # ⽬ U+2F6C, as a browser print names 目


def unnamed_contact(e):
    _d(e, "1.6")["contacts"][0]["name"] = None  # ifo@rcn.no is a person's mailbox, not an office's


def implausible_cap(e):
    _d(e, "1.1")["per_project_cap_cny"] = 10 ** 30  # beyond 64 bits: the tables' Int64 overflowed (OverflowError)


def implausible_budget_and_total(e):
    _d(e, "1.5")["budget_cny"] += 10 ** 13  # a digit too many in both, so the sum still matches: 10^5 亿元 is no budget
    e["edition"]["budget_cny"] += 10 ** 13


CORRUPTIONS = [
    (requirements_lost, "every direction has its labelled sections",
     "directions lack labelled sections (requirements): merged or lost structure (direction 1.2)"),
    (requirements_merged, "requirements are numbered 1..n without gaps",
     "requirements numbered 1,2,3,5,6,7 instead of 1..6: items merged or lost (direction 1.5)"),
    (last_requirement_merged, "requirements are numbered 1..n without gaps",
     "requirements item 3 holds item 4's number: items merged or lost (direction 1.1)"),
    (annex_duration_in_last_direction, "each direction states one duration limit",
     "requirements state different duration limits: (1) 2 years, (4) 3 years (direction 1.7)"),
    (radical_in_title, "values hold no Kangxi or CJK-radical code points", "title: ⽬ (U+2F6C)"),
    (unnamed_contact, "every contact has a name or is an organisation mailbox",
     "ifo@rcn.no has no name and is not an organisation mailbox (direction 1.6)"),
    (implausible_cap, "budgets and counts are within plausible bounds",
     "1.00 × 10^30 yuan is beyond any plausible amount (at most 1,000,000,000,000 yuan) (direction 1.1)"),
    (implausible_budget_and_total, "budgets and counts are within plausible bounds",
     "10,000,257,800,000 yuan is beyond any plausible amount (at most 1,000,000,000,000 yuan); "
     "10,000,020,000,000 yuan is beyond"),
    (dup_id, "direction ids are unique", "direction id 1.1 occurs more than once"),
    (bad_id, "direction ids are numbered N.N", "1-1"),
    (no_title, "every direction has a title", "(direction 1.1)"),
    (no_partner, "every direction names a partner", "(direction 1.1)"),
    (no_iso, "every partner has an ISO or organisation code", "(direction 1.3)"),
    (bad_iso, "partner ISO codes are valid", "XM"),
    (no_budget, "every direction states a budget", "(direction 1.1)"),
    (negative_budget, "budgets are positive", "-1,000 万元"),
    (inverted_range, "project counts are ranges with 1 ≤ min ≤ max", "minimum 5 exceeds maximum 4 (direction 1.5)"),
    (no_agreement, "every direction cites an agreement", "(direction 1.2)"),
    (broken_email, "contact e-mails are valid", "ifo@rcn"),
    (foreign_phone, "contact phones are valid E.164 numbers of their side's country",
     "+4561905081 is a DK number but the partner is NO (direction 1.6)"),
    (china_side_foreign_phone, "contacts labelled 中方 have +86 numbers",
     "Ingerid Fossum is labelled 中方 but has the phone +4722037006 (direction 1.6)"),
    (broken_url, "URLs are valid http(s) addresses", "htps//www.jica.go.jp/china"),
    (budget_changed, "direction budgets sum to the stated total",
     "direction budgets sum to 25,880 万元 but the preamble states 25,780 万元"),
    (stated_min_changed, "lowest project counts sum to the stated minimum", "at least 79 projects but the preamble states 80"),
    (stated_max_changed, "highest project counts sum to the stated maximum", "at most 82 projects but the preamble states 83"),
    (stated_directions_changed, "number of directions is the stated one", "8 directions found but the preamble states 9"),
    (direction_dropped, "number of directions is the stated one", "7 directions found but the preamble states 8"),
    (direction_heading_lost, "directions are numbered 1.1, 1.2 … without gaps",
     "1.4 follows 1.2: 1.3 missing (a heading merged into the direction before, or lost)"),
    (stated_partners_changed, "number of distinct partners is the stated one",
     "7 distinct partners found but the preamble states 8"),
]


# each corruption's check by its stable id, and the values the failure names (2021-2's directions in order:
# 1.1 IL, 1.2 JP, 1.3 JP, 1.4 EU, 1.5 DK, 1.6 NO, 1.7 MT, 1.8 HR)
CONCERNS = {
    requirements_lost: ("direction_has_sections", ["directions[1]"]),
    requirements_merged: ("requirements_numbered", ["directions[4].requirements"]),
    last_requirement_merged: ("requirements_numbered", ["directions[0].requirements"]),
    unnamed_contact: ("contact_named", ["directions[5].contacts[0].name"]),
    implausible_cap: ("values_plausible", ["directions[0].per_project_cap_cny"]),
    implausible_budget_and_total: ("values_plausible", ["edition.budget_cny", "directions[4].budget_cny"]),
    dup_id: ("direction_ids_unique", ["directions[0].id", "directions[1].id"]),
    bad_id: ("direction_ids_numbered", ["directions[0].id"]),
    no_title: ("direction_has_title", ["directions[0].title"]),
    no_partner: ("direction_names_partner", ["directions[0].partner.name"]),
    no_iso: ("partner_has_code", ["directions[2].partner.iso_code"]),
    bad_iso: ("partner_iso_code_valid", ["directions[6].partner.iso_code"]),
    no_budget: ("direction_states_budget", ["directions[0].budget_cny"]),
    negative_budget: ("budget_positive", ["directions[0].budget_cny"]),
    inverted_range: ("project_count_is_range", ["directions[4].project_count"]),
    no_agreement: ("direction_cites_agreement", ["directions[1].agreements"]),
    broken_email: ("contact_email_valid", ["directions[5].contacts[0].email"]),
    foreign_phone: ("contact_phone_valid", ["directions[5].contacts[0].phone"]),
    china_side_foreign_phone: ("contact_china_side_phone", ["directions[5].contacts[0].phone"]),
    broken_url: ("url_valid", ["directions[2].urls[0]"]),
    budget_changed: ("budget_sum_matches_preamble", ["edition.budget_cny"]),
    stated_min_changed: ("project_min_sum_matches_preamble", ["edition.project_count.min"]),
    stated_max_changed: ("project_max_sum_matches_preamble", ["edition.project_count.max"]),
    stated_directions_changed: ("direction_count_matches_preamble", ["edition.direction_count"]),
    direction_dropped: ("direction_count_matches_preamble", ["edition.direction_count"]),
    direction_heading_lost: ("directions_numbered_in_sequence", ["directions[2].id"]),
    stated_partners_changed: ("partner_count_matches_preamble", ["edition.partner_count"]),
    annex_duration_in_last_direction: ("duration_limit_single", ["directions[6].max_duration_years"]),
    radical_in_title: ("no_radical_code_points", ["directions[1]"]),
}


def test_every_check_has_a_corruption():
    assert {name for _, name, _ in CORRUPTIONS} == {c.name for c in checks()}
    assert {check_id for check_id, _ in CONCERNS.values()} == {c.id for c in checks()}


def test_check_ids_are_stable_and_unique():
    ids = [c.id for c in checks()]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-z][a-z0-9_]+", i) for i in ids)
    assert "budget_sum_matches_preamble" in ids


@pytest.mark.parametrize("corrupt, check, words", CORRUPTIONS, ids=[c[0].__name__ for c in CORRUPTIONS])
def test_corruption_fails_exactly_its_check(editions, corrupt, check, words):
    edition = copy.deepcopy(editions["2021-2"])
    corrupt(edition)
    report = validate_edition(with_derived(edition))  # as after a correction: derived facts follow the values
    failed = [c for c in report.checks if c.status == "failed"]
    assert [c.name for c in failed] == [check]
    assert words in failed[0].message
    assert (failed[0].id, failed[0].paths) == CONCERNS[corrupt]
    assert report.status == "failed"


def test_a_missing_stated_total_is_skipped_not_failed(editions):
    edition = copy.deepcopy(editions["2021-2"])
    edition["edition"]["budget_cny"] = None
    report = validate_edition(edition)
    skipped = [c for c in report.checks if c.status == "skipped"]
    assert [(c.name, c.message) for c in skipped] == [("direction budgets sum to the stated total",
                                                       "the preamble states no total budget")]
    assert report.status == "passed"


# --- the command, its files, and the gate -----------------------------------------------------

@pytest.fixture
def workdir(tmp_path, extracted):
    """A project-like layout: extracted/<id>/ copies of both editions, published/ beside."""
    import shutil
    for name, (_, out) in extracted.items():
        shutil.copytree(out, tmp_path / "extracted" / name)
    return tmp_path


def test_validate_passes_writes_report_docs_and_publishes(workdir):
    ed = workdir / "extracted" / "2021-2"
    result = runner.invoke(app, ["validate", str(ed), "--publish", "--to", str(workdir / "published")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2021-2: passed (26 checks passed, 0 skipped)")
    assert result.stderr == ""  # quiet: no progress bars, no logging
    report = json.loads((ed / "validation.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads((ROOT / "schemas" / "validation.schema.json").read_text(encoding="utf-8")))
    assert report["status"] == "passed" and len(report["checks"]) == 26
    published = json.loads((workdir / "published" / "2021-2" / "edition.json").read_text(encoding="utf-8"))
    assert published["quality"]["status"] == "passed" and published["quality"]["checks_passed"] == 26
    assert json.loads((ed / "edition.json").read_text(encoding="utf-8"))["quality"]["status"] == "unchecked"
    # Data Docs inside the project, offline, reachable from one index of all editions (its own command)
    docs_index = ed / "data_docs" / "index.html"
    assert docs_index.is_file()
    assert not (workdir / "extracted" / "index.html").exists()  # the index is the `index` stage's, not validate's
    result = runner.invoke(app, ["index", "--published", str(workdir / "published"),
                                 "--reports", str(workdir / "extracted"), "--out", str(workdir / "extracted" / "index.html")])
    assert result.exit_code == 0, result.output
    index = (workdir / "extracted" / "index.html").read_text(encoding="utf-8")
    assert 'href="2021-2/data_docs/index.html"' in index and ">published<" in index
    for page in (ed / "data_docs").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:link|script)[^>]+(?:href|src)=\"https?://", text), page
    validation_pages = list((ed / "data_docs" / "validations").rglob("*.html"))
    assert any("direction budgets sum to the stated total" in p.read_text(encoding="utf-8") for p in validation_pages)


def test_failing_edition_is_not_published_and_earlier_copy_withdrawn(workdir):
    ed = workdir / "extracted" / "2021-2"
    publish = workdir / "published"
    assert runner.invoke(app, ["validate", str(ed), "--publish", "--to", str(publish)]).exit_code == 0
    assert (publish / "2021-2" / "edition.json").is_file()
    edition = json.loads((ed / "edition.json").read_text(encoding="utf-8"))
    budget_changed(edition)
    (ed / "edition.json").write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(ed), "--publish", "--to", str(publish)])
    assert result.exit_code == 12
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"2021-2: FAILED — 1 of 26 checks failed ({ed / 'validation.json'})"
    assert lines[1:] == ["  ✗ direction budgets sum to the stated total: direction budgets sum to 25,880 万元 "
                         "but the preamble states 25,780 万元"]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (publish / "2021-2").iterdir()) == ["withheld.json"]
    withheld = json.loads((publish / "2021-2" / "withheld.json").read_text(encoding="utf-8"))
    assert withheld["status"] == "withheld" and "25,880 万元" in withheld["failed_checks"][0]
    assert json.loads((ed / "validation.json").read_text(encoding="utf-8"))["status"] == "failed"
    runner.invoke(app, ["index", "--published", str(publish), "--out", str(workdir / "index.html"),
                        "--reports", str(workdir / "extracted")])
    index = (workdir / "index.html").read_text(encoding="utf-8")
    assert ">withheld<" in index and "25,880 万元" in index
    assert 'href="extracted/2021-2/validation.json"' in index  # links relative to where the page is


def test_validate_several_editions_in_one_call(workdir):
    dirs = [str(workdir / "extracted" / n) for n in ("2021-2", "synthetic-2022-1")]
    result = runner.invoke(app, ["validate", *dirs, "--no-publish", "--no-docs"])
    assert result.exit_code == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["2021-2", "2022-1"]
    assert [line.split("]")[0] for line in result.stderr.splitlines()] == ["… [1/2", "… [2/2"]  # progress
    assert not (workdir / "published").exists()


@pytest.mark.parametrize("content, words", [(None, "no such file"), ("{not json", "not valid JSON"),
                                            ('{"edition": {}}', "does not follow the edition contract")])
def test_bad_edition_one_line_error(tmp_path, content, words):
    ed = tmp_path / "ed"
    ed.mkdir()
    if content is not None:
        (ed / "edition.json").write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(ed), "--no-publish"])
    assert result.exit_code == 10
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert not (ed / "validation.json").exists()


def test_publish_refuses_a_report_of_another_edition_json(workdir):
    ed = workdir / "extracted" / "2021-2"
    assert runner.invoke(app, ["validate", str(ed), "--no-publish", "--no-docs"]).exit_code == 0
    result = runner.invoke(app, ["publish", str(ed), "--to", str(workdir / "published")])
    assert result.exit_code == 0 and result.output.startswith("published: ")
    edition = json.loads((ed / "edition.json").read_text(encoding="utf-8"))
    budget_changed(edition)  # edited after validation: the report no longer speaks for it
    (ed / "edition.json").write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["publish", str(ed), "--to", str(workdir / "published")])
    assert result.exit_code == 13 and "for another edition.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_an_organisation_partner_passes_the_gate(tmp_path):
    """中国—东盟: no ISO code, but an organisation code that identifies the partner."""
    import build
    from conftest import EDITIONS

    from pipeline.extract import extract_to_dir
    _, txt, gold = EDITIONS["2021-2"]
    styled, _ = build.organisation_partner(build.read_styled(txt.read_text(encoding="utf-8")),
                                           json.loads(gold.read_text(encoding="utf-8")))
    stages, _ = extract_to_dir(build.render(styled, tmp_path / "asean.pdf"), tmp_path / "out")
    asean = next(d for d in stages.edition.directions if d.id == "1.8")
    assert (asean.partner.name, asean.partner.iso_code, asean.partner.organisation) == ("东盟", None, "ASEAN")
    report = validate_edition(stages.edition.model_dump(mode="json"))
    assert report.status == "passed", [c.message for c in report.checks if c.status == "failed"]


@pytest.mark.slow
def test_data_docs_are_the_same_bytes_every_run_and_hold_their_tables_without_script(tmp_path, extracted):
    """Two runs give byte-identical Data Docs; their pages carry no script, and every table GX's scripts would fill
    is written out with rows (tests/test_browser.py opens them in Chromium)."""
    import shutil

    from pipeline.quality.validate import validate_dir

    built = []
    for run in ("a", "b"):
        directory = tmp_path / run / "2021-2"
        shutil.copytree(extracted["2021-2"][1], directory)
        validate_dir(directory)
        built.append({str(p.relative_to(directory / "data_docs")): p.read_bytes()
                      for p in sorted((directory / "data_docs").rglob("*")) if p.is_file()})
    assert built[0] == built[1] and len(built[0]) >= 8
    pages = {name: data.decode("utf-8") for name, data in built[0].items() if name.endswith(".html")}
    assert all("<script" not in page and "bootstrapTable" not in page for page in pages.values())
    index = pages["index.html"]
    for table in re.findall(r"<table\b[^>]*>(.*?)</table>", index, re.S):
        assert table.count("<tr>") >= 2, table[:200]  # a header and at least one row
    links = re.findall(r'<a href="(validations/[^"]+)"', index)
    assert len(links) == 4 and all(link in pages for link in links)  # each table's result page (directions, contacts,
    # urls, values), linked from its status


@pytest.mark.slow
def test_an_agreement_whose_closing_bracket_is_lost_is_taken_and_flagged(tmp_path):
    """`《…合作备忘录。` with no 》 (lost in print, or by OCR at a line's end): the title is taken to the end of
    its paragraph, its source quotes the 《 as printed, and a review warning names it; the gate still passes."""
    import build
    from conftest import EDITIONS

    from pipeline.extract import extract_to_dir
    _, txt, _ = EDITIONS["2021-2"]
    text = txt.read_text(encoding="utf-8").replace("日本理化学研究所合作备忘录》。", "日本理化学研究所合作备忘录。")
    stages, _ = extract_to_dir(build.render(build.read_styled(text), tmp_path / "unclosed.pdf"), tmp_path / "out")
    riken = next(d for d in stages.edition.directions if d.id == "1.2")
    assert riken.agreements == ["中国科技部国际合作司与日本理化学研究所合作备忘录"]
    assert riken.provenance["agreements[0]"].text.startswith("《中国科技部")
    assert riken.provenance["agreements[0]"].locations, "located on its page"
    report = validate_edition(stages.edition.model_dump(mode="json"))
    flagged = [w for w in report.warnings if w.rule == "agreement_unclosed"]
    assert [(w.direction, w.path) for w in flagged] == [("1.2", "agreements[0]")]
    assert "合作备忘录" in flagged[0].message and "no closing 》" in flagged[0].message
    assert report.status == "passed"


@pytest.mark.parametrize("text, unbalanced", [
    ("中国和日本理化学研究所（RIKEN联合资助项目", True),  # the ） lost by OCR (measured, 250 dpi)
    ("中国和日本理化学研究所（RIKEN）联合资助项目", False),
    ("中国和日本理化学研究所（RIKEN)联合资助项目", False),  # full- and half-width mixed by OCR: closed
    ("中国和国际应用系统分析研究所IIASA）合作项目", True),  # closed, never opened
    ("中国和欧盟（EU）（ERC）合作", False), ("a (b (c) d) e", False), ("a ) b (", True), ("", False),
])
def test_brackets_unbalanced(text, unbalanced):
    from pipeline.quality.warnings import brackets_unbalanced
    assert brackets_unbalanced(text) is unbalanced


def test_a_title_with_a_bracket_never_closed_needs_review(editions):
    edition = copy.deepcopy(editions["2021-2"])
    edition["directions"][1]["title"] = edition["directions"][1]["title"].replace("）", "") + "（RIKEN联合资助项目"
    edition["directions"][2]["agreements"] = ["《中国和某国（甲方政府间科技合作协定》"]
    report = validate_edition(edition)
    flagged = [(w.direction, w.path) for w in report.warnings if w.rule == "bracket_unclosed"]
    assert flagged == [(edition["directions"][1]["id"], "title"), (edition["directions"][2]["id"], "agreements[0]")]
    assert report.status == "passed"
    assert not [w for w in validate_edition(editions["2021-2"]).warnings if w.rule == "bracket_unclosed"]


@pytest.mark.parametrize("ids, problems", [
    (["1.1", "1.2", "1.3", "2.1", "2.2"], [None] * 5),  # groups restart at 1
    (["1.1", "1.2", "1.4"], [None, None, "1.4 follows 1.2: 1.3 missing"]),  # 1.3's heading lost
    (["1.12", "1.13", "1.15"], ["1.12 comes first: 1.1 missing", None, "1.15 follows 1.13: 1.14 missing"]),
    (["1.1", "1.2", "2.2"], [None, None, "2.2 follows 1.2: 2.1 missing"]),  # the new group's first lost
    (["1.1", "3.1"], [None, "3.1 follows 1.1: 2.1 missing"]),  # a whole group skipped
    # a repeat (direction_ids_unique's) or an id not N.N (direction_ids_numbered's) stands for the number it took
    (["1.1", "1.2", "1.2", "1.3"], [None, None, None, None]), (["1.1", "1.1", "1.3"], [None, None, None]),
    (["1-1", "1.2"], [None, None]), (["1.1", "1-2", "1.3", None, "1.5"], [None] * 5),
    (["1.1", "1.1", "1.4"], [None, None, "1.4 follows 1.2: 1.3 missing"]),
    (["1.1", "1.2", "1.7"], [None, None, "1.7 follows 1.2: 1.3, 1.4, 1.5 … missing"]),
    (["1.1", "2.1", "1.2"], [None, None, None]), (["1.1", "1.3", "1.2"], [None, "1.3 follows 1.1: 1.2 missing", None]),
    ([], []),
])
def test_direction_numbering_names_each_number_skipped(ids, problems):
    from pipeline.records.frames import direction_numbering

    found = direction_numbering(ids)
    assert [p and p.split(" (")[0] for p in found] == problems

