"""Diff round two, partner histories, search and the Excel workbook.

Expected values are read from the documents: 2021-2 (real) and 2022-1 (SYNTHETIC, constructed
for tests: Denmark's budget 2000 → 1500 万元, 4~5 → 3~4 projects, Sune Dalgaard Ebbesen's phone
+45 61905030 → +45 61905031; Denmark's field 1 is 二氧化碳捕集、封存与利用 (CCUS)).
"""

import copy
import json
import re
import shutil
import subprocess
import tempfile

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import app
from pipeline.compare.diff import diff_editions
from pipeline.compare.render import to_html, to_markdown
from pipeline.records.derived import with_derived
from pipeline.style import STYLESHEET

runner = CliRunner()


@pytest.fixture(scope="module")
def editions(extracted):
    return {name.replace("synthetic-", ""): json.loads((out / "edition.json").read_text(encoding="utf-8"))
            for name, (_, out) in extracted.items()}


def direction(edition, iso):
    return next(d for d in edition["directions"] if d["partner"]["iso_code"] == iso)


# --- diff, round two ---------------------------------------------------------------------------

def test_a_contact_change_is_reported_once(editions):
    report = diff_editions(editions["2021-2"], editions["2022-1"])
    denmark = next(d.changes for d in report.changed if d.new.partner_iso == "DK")
    assert [(c.contact, c.field) for c in denmark.contacts.changed] == [("Sune Dalgaard Ebbesen", "phone")]
    assert denmark.requirements.empty()  # requirement (7) holds the phone: not a second, requirement, change
    text = to_markdown(report)
    assert text.count("+4561905031") == 1 and "Requirement reworded: “30” → “31”" not in text


def test_a_requirement_that_changes_beyond_its_contact_is_still_reported(editions):
    old, new = editions["2021-2"], copy.deepcopy(editions["2022-1"])
    req = direction(new, "DK")["requirements"][-1]
    req["text"] = req["text"].replace("丹方联系人", "丹方项目联系人（仅限英文邮件）")
    denmark = next(d.changes for d in diff_editions(old, new).changed if d.new.partner_iso == "DK")
    assert len(denmark.requirements.reworded) == 1


def _norway_without_its_ban(editions):
    new = copy.deepcopy(editions["2022-1"])
    norway = direction(new, "NO")
    assert "不能为企业" in norway["requirements"][0]["text"]  # (1) … 项目申报和参与单位不能为企业
    norway["requirements"] = norway["requirements"][1:]
    return with_derived(new)  # as extraction does: who may lead follows from the requirements


def test_eligibility_change_when_a_ban_is_dropped(editions):
    report = diff_editions(editions["2021-2"], _norway_without_its_ban(editions))
    [change] = [c for c in report.eligibility if c.direction == "1.6"]
    assert (change.what, change.org_type, change.old, change.new) == ("may_lead", "enterprise", False, True)
    assert (change.requirement, change.requirement_change) == (1, "removed")
    md = to_markdown(report)
    assert "## Eligibility changes\n\n- 1.6 NO: enterprises may now lead (requirement (1) removed)" in md
    # the README's example is this constructed case, and says so
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "for a constructed case" in readme and "`1.6 NO: enterprises may now lead (requirement (1) removed)`" in readme
    assert "## 申报资格变化\n\n- 1.6 NO：现在企业可以牵头（删除了要求(1)）" in to_markdown(report, "zh")


def test_eligibility_change_when_a_ban_is_added(editions):
    report = diff_editions(_norway_without_its_ban(editions), editions["2021-2"])
    [change] = [c for c in report.eligibility if c.direction == "1.6"]
    assert (change.org_type, change.new, change.requirement_change) == ("enterprise", False, "added")
    assert "1.6 NO: enterprises may no longer lead (requirement (1) added)" in to_markdown(report)


def test_no_eligibility_changes_between_the_bundled_editions(editions):
    assert diff_editions(editions["2021-2"], editions["2022-1"]).eligibility == []


def test_html_diff_has_a_budget_chart_and_the_shared_look(editions):
    page = to_html(diff_editions(editions["2021-2"], editions["2022-1"]))
    assert STYLESHEET in page and page.count('<figure class="chart">') == 1
    # six matched directions changed budget: IL, JP ×2, EU, DK, NO (Malta kept 480 万元); New Zealand (1.8, 1,200 万元)
    # was added and Croatia (1.8, 300 万元) removed: eight rows, each in 万元 as the table beside it
    chart = page[page.index('<figure class="chart">'):page.index("</figure>")]
    assert chart.count('<div class="row">') == 8
    assert len(re.findall(r'<span class="bar new"', chart)) == 7 and len(re.findall(r'<span class="bar old"', chart)) == 7
    assert '1.8 NZ (added)' in chart and '1.8 HR (removed)' in chart
    assert '<span class="num">1,200 万元</span>' in chart and '<span class="num">300 万元</span>' in chart
    assert '<span class="num">1,500 万元</span>' in chart and "10k yuan" not in page and "2,000 万元" in page


def test_document_text_is_escaped_in_every_report(editions):
    old, new = copy.deepcopy(editions["2021-2"]), copy.deepcopy(editions["2022-1"])
    direction(new, "DK")["title"] = "中国和丹麦<script>alert(1)</script>合作|项目"
    direction(new, "DK")["budget_cny"] = 12_340_000
    report = diff_editions(old, new)
    assert "<script>" not in to_html(report) and "&lt;script&gt;" in to_html(report)
    md = to_markdown(report)
    assert "<script>" not in md and "&lt;script&gt;" in md and "合作\\|项目" in md


def _chromium_dom(path, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed")
    profile = tempfile.mkdtemp(dir=tmp_path)
    return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
                          capture_output=True, text=True, timeout=120).stdout


@pytest.mark.slow
def test_html_reports_render_in_chromium(root, tmp_path):
    diff_page, partner_page = tmp_path / "diff.html", tmp_path / "dk.html"
    assert runner.invoke(app, ["diff", "2021-2", "2022-1", "--root", str(root), "--format", "html", "--lang", "zh",
                               "-o", str(diff_page)]).exit_code == 0
    assert runner.invoke(app, ["partner", "DK", "--root", str(root), "--format", "html", "-o",
                               str(partner_page)]).exit_code == 0
    for page in (diff_page, partner_page):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href)=\"?(?:https?:)?//", text)
        dom = _chromium_dom(page, tmp_path)
        assert '<figure class="chart">' in dom and "<table>" in dom
    assert "经费变化" in _chromium_dom(diff_page, tmp_path)


# --- partner -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["DK", "dk", "丹麦", "Denmark"])
def test_partner_history_of_denmark(root, query):
    result = runner.invoke(app, ["partner", query, "--root", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    history = json.loads(result.output)
    assert history["editions"] == ["2021-2", "2022-1"]
    first, second = history["entries"]
    assert (first["edition"], first["direction"], first["budget_cny"]) == ("2021-2", "1.5", 20_000_000)
    assert (second["edition"], second["budget_cny"]) == ("2022-1", 15_000_000)
    assert first["project_count"] == {"min": 4, "max": 5} and second["project_count"] == {"min": 3, "max": 4}
    assert first["budget_per_project_cny"] == {"min": 4_000_000, "max": 5_000_000}  # 2000 万 ÷ 5 … ÷ 4
    assert [c["phone"] for c in first["contacts"]] == ["+4561905081", "+4561905030"]
    assert [c["phone"] for c in second["contacts"]] == ["+4561905081", "+4561905031"]
    assert first["fields"][0] == "二氧化碳捕集、封存与利用（CCUS）"
    assert first["since"] is None and second["since"] == {"edition": "2021-2", "direction": "1.5"}
    changed = {v["field"] for v in second["changes"]["direction"]["changes"]["values"]}
    assert changed == {"budget_cny", "project_count"}


def test_partner_markdown_marks_the_changes(root):
    result = runner.invoke(app, ["partner", "DK", "--root", str(root)])
    assert "| 2022-1 | 1.5 | 1,500 万元 \\* | 3–4 \\* | 375–500 万元 | — |" in result.output  # \\* shows *
    assert "| 2021-2 | 1.5 | 2,000 万元 | 4–5 | 400–500 万元 | — |" in result.output
    assert "Changed since 2021-2: Contact Sune Dalgaard Ebbesen: phone +4561905030 → +4561905031" in result.output


def test_partner_that_appears_once_and_one_unknown(root):
    nz = runner.invoke(app, ["partner", "NZ", "--root", str(root), "--format", "json"])
    [entry] = json.loads(nz.output)["entries"]
    assert entry["edition"] == "2022-1" and entry["since"] == {"edition": "2021-2", "direction": None}
    missing = runner.invoke(app, ["partner", "Atlantis", "--root", str(root)])
    assert missing.exit_code == 10 and len(missing.output.strip().splitlines()) == 1
    assert "no direction with this partner in 2 edition(s)" in missing.output


# --- search --------------------------------------------------------------------------------------

@pytest.mark.parametrize("words", [["碳捕集"], ["CCUS"], ["二氧化碳捕集"], ["ccus"], ["carbon", "capture"]])
def test_search_finds_the_ccus_field_by_any_name(root, words):
    result = runner.invoke(app, ["search", *words, "--root", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)["hits"]
    assert [(h["edition"], h["direction"], h["partner"]) for h in hits[:2]] == [("2021-2", "1.5", "DK"),
                                                                            ("2022-1", "1.5", "DK")]
    assert any(m["where"] == "field" and "（CCUS）" in m["text"] for m in hits[0]["matches"])


def test_search_ranks_titles_above_requirements(root):
    hits = json.loads(runner.invoke(app, ["search", "RIKEN", "--root", str(root), "--format", "json"]).output)["hits"]
    assert hits[0]["direction"] == "1.2" and hits[0]["matches"][0]["where"] == "title"


def test_search_shows_edition_direction_and_text(root):
    result = runner.invoke(app, ["search", "碳捕集", "--root", str(root)])
    assert "## 2021-2 · 1.5 中国和丹麦政府间科技合作项目 (DK)" in result.output
    assert "- field: 二氧化碳捕集、封存与利用（CCUS）" in result.output


def test_search_without_hits(root):
    result = runner.invoke(app, ["search", "区块链", "xyzzy", "--root", str(root), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["hits"] == []


# --- Excel ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, sheet, phone_header", [("en", "contacts", "phone"), ("zh", "联系人", "电话（E.164）")])
def test_xlsx_workbook(root, tmp_path, lang, sheet, phone_header):
    from openpyxl import load_workbook

    out = tmp_path / "tables"
    result = runner.invoke(app, ["tables", "--root", str(root), "--out", str(out), "--format", "xlsx",
                                 "--lang", lang])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "tables.xlsx"]  # xlsx only: no CSV, no Parquet
    book = load_workbook(out / "tables.xlsx")
    assert len(book.sheetnames) == 6
    contacts = book[sheet]
    headers = [c.value for c in contacts[1]]
    phones = [row[headers.index(phone_header)] for row in contacts.iter_rows(min_row=2)]
    assert "+4561905081" in [c.value for c in phones]  # Martin Kyvsgaard, as text with its plus
    assert all(isinstance(c.value, str) and c.value.startswith("+") for c in phones if c.value is not None)
    assert all(c.number_format == "@" for c in phones)
    assert contacts.freeze_panes == "A2"
    directions = book["directions" if lang == "en" else "方向"]
    dheaders = [c.value for c in directions[1]]
    ids = [row[dheaders.index("id" if lang == "en" else "方向编号")].value for row in directions.iter_rows(min_row=2)]
    assert "1.5" in ids and all(isinstance(i, str) for i in ids)
    budgets = [row[dheaders.index("budget_cny" if lang == "en" else "拟支持经费（元）")].value
               for row in directions.iter_rows(min_row=2)]
    assert 20_000_000 in budgets  # numbers stay numbers
    assert directions.column_dimensions["C"].width > 30  # sized to the titles


def test_every_column_has_a_chinese_header():
    from pipeline.publish.tables import COLUMNS
    from pipeline.publish.xlsx import HEADERS_ZH, SHEETS_ZH

    assert set(COLUMNS) <= set(SHEETS_ZH)
    assert {c for columns in COLUMNS.values() for c in columns} <= set(HEADERS_ZH)


# --- every command takes an edition id where it takes a directory ----------------------------------

def test_commands_accept_an_edition_id(root, tmp_path):
    local = tmp_path / "extracted"
    shutil.copytree(root / "2021-2", local / "2021-2")
    published = tmp_path / "published"
    steps = [["validate", "2021-2", "--root", str(local), "--no-docs", "--publish", "--to", str(published)],
             ["publish", "2021-2", "--root", str(local), "--to", str(published)],
             ["enrich", "2021-2", "--root", str(local)],
             ["eligible", "2021-2", "--root", str(local), "--lead", "enterprise"],
             ["tables", "2021-2", "--root", str(local), "--out", str(tmp_path / "t")],
             ["diff", "2021-2", "2021-2", "--root", str(local)],
             ["partner", "DK", "--edition", "2021-2", "--root", str(local)],
             ["search", "CCUS", "--edition", "2021-2", "--root", str(local)]]
    for args in steps:
        result = runner.invoke(app, [*args, "--lang", "en"])
        assert result.exit_code == 0, (args, result.output)
    assert (local / "2021-2" / "validation.json").is_file() and (local / "2021-2" / "enrichment.json").is_file()
    assert (published / "2021-2" / "edition.json").is_file()
    missing = runner.invoke(app, ["validate", "2099-9", "--root", str(local), "--no-docs", "--lang", "en"])
    assert missing.exit_code == 10 and len(missing.output.strip().splitlines()) == 1
