"""The review page: one card per direction, a crop per value with a source box, everything inside the file."""

import copy
import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import EDITIONS

from pipeline.cli import app
from pipeline.review.page import review_html
from pipeline.records.corrections import apply_corrections, read_entries

runner = CliRunner()
PDF = EDITIONS["2021-2"][0]


class Page(HTMLParser):
    """The elements of a page as (tag, attributes, the card and value they sit in)."""

    def __init__(self, text):
        super().__init__()
        self.elements, self.card, self.value, self.stack = [], None, None, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-direction" in attrs:
            self.card = attrs["data-direction"]
        if "data-path" in attrs:
            self.value = (self.card, attrs["data-path"])
        self.elements.append((tag, attrs, self.card, self.value))

    def of(self, tag, cls=None):
        return [e for e in self.elements if e[0] == tag and (cls is None or cls in (e[1].get("class") or "").split())]


@pytest.fixture(scope="module")
def edition(extracted):
    _, out_dir = extracted["2021-2"]
    return json.loads((out_dir / "edition.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(edition):
    return review_html(edition, PDF)


def boxed(source):
    return any(loc.get("bbox") for loc in (source or {}).get("locations") or [])


def located_values(d: dict, edition: dict) -> set[str]:
    """Paths of the values that carry a source box, read from the record (not from the page): a duration the
    requirements do not state shows the preamble's usual one, 不限领域 its own words."""
    paths = {k for k, s in d["provenance"].items() if boxed(s) and k in ("title", "partner", "project_count",
                                                                         "budget_cny", "max_duration_years",
                                                                         "fields", "per_project_cap_cny")}
    if d["max_duration_years"] is None and boxed(edition["edition"]["provenance"].get("duration_years")):
        paths.add("max_duration_years")
    paths |= {k for k, s in d["provenance"].items() if boxed(s) and re.fullmatch(r"(agreements|urls)\[\d+\]", k)}
    for key in ("fields", "requirements", "contacts"):
        paths |= {f"{key}[{i}]" for i, item in enumerate(d[key]) if boxed(item["source"])}
    return paths


def test_one_card_per_direction_and_a_crop_with_a_box_per_located_value(edition, page):
    parsed = Page(page)
    assert [e[1]["data-direction"] for e in parsed.of("section", "card")] == [d["id"] for d in edition["directions"]]
    crops = parsed.of("figure", "crop")
    for d in edition["directions"]:
        expected = located_values(d, edition)
        assert len(expected) >= 6  # title, partner, agreement, count, budget, a requirement at least
        shown = {value[1] for _, _, card, value in crops if card == d["id"]}
        assert shown == expected, d["id"]
    images = parsed.of("img")
    assert len(images) == len(crops) and all(i[1]["src"].startswith("data:image/jpeg;base64,") for i in images)
    boxes = parsed.of("i", "box")
    assert {e[3] for e in boxes} == {e[3] for e in crops}  # every crop has its source box drawn


def test_the_page_is_self_contained_and_small(page):
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", page)
    assert refs and all(r.startswith(("data:", "#")) for r in refs), [r for r in refs if not r.startswith("data:")][:5]
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert len(page.encode("utf-8")) < 3_000_000  # a 13-page guideline


def test_top_states_totals_against_the_directions(page):
    # 2021-2's preamble: 25,780 万元, 79–82 projects, 8 directions, 7 partners — and the directions add up
    assert "25,780 万元" in page and "Budget per direction" in page and "Budget per partner" in page
    assert page.count("✗") == 0 and "not validated yet" in page


def failed_report(name: str = "budgets are positive") -> dict:
    """A validation.json (through the contract's models) whose one failure concerns 1.5's budget (directions[4])."""
    from pipeline.models import CheckResult, QualityWarning, ValidationReport, ValidationSummary

    return ValidationReport(
        edition_id="2021-2", edition_sha256="0" * 64, status="failed", great_expectations_version="1",
        summary=ValidationSummary(checks=2, passed=1, failed=1, skipped=0),
        checks=[CheckResult(id="budget_positive", name=name, table="directions", expectation="x", status="failed",
                            success=False, where=["1.5"], paths=["directions[4].budget_cny"],
                            message="budgets 0 万元 are not positive (direction 1.5)"),
                CheckResult(id="direction_ids_unique", name="direction ids are unique", table="directions",
                            expectation="x", status="passed", success=True)],
        warnings=[QualityWarning(rule="r", direction="1.1", path="contacts[0].email", message="odd e-mail")],
    ).model_dump(mode="json")


def test_failed_check_warning_and_correction_shown_at_their_value(edition):
    report = failed_report()
    fixed = apply_corrections(edition, read_entries(
        '- direction: "1.2"\n  path: budget_cny\n  was: 30000000\n  value: 31000000\n  reason: misread\n', "f"), "f")
    parsed = Page(review_html(fixed, PDF, report))
    classes = {e[3]: e[1]["class"].split() for e in parsed.of("div", "value")}
    assert "failed" in classes[("1.5", "budget_cny")]
    assert "warned" in classes[("1.1", "contacts[0]")]
    assert "corrected" in classes[("1.2", "budget_cny")]
    assert sum("failed" in c for c in classes.values()) == 1 and sum("corrected" in c for c in classes.values()) == 1
    text = review_html(fixed, PDF, report)
    assert "budgets 0 万元 are not positive" in text and "misread" in text and "3,100 万元" in text


def test_a_failed_check_is_placed_by_its_id_and_path_not_its_wording(edition):
    """Rewording a check moves nothing: the note stays at the value the result's path names."""
    def placed(report):
        parsed = Page(review_html(edition, None, report))
        return {e[3]: e[1].get("data-checks") for e in parsed.of("div", "value") if e[1].get("data-checks")}

    assert placed(failed_report()) == {("1.5", "budget_cny"): "budget_positive"}
    assert placed(failed_report("budgets must be above zero")) == {("1.5", "budget_cny"): "budget_positive"}


def test_word_sourced_value_shows_its_paragraph_and_ocr_its_confidence(edition):
    """Provenance built through the contract's models: a Word paragraph, and a location read by OCR."""
    from pipeline.models import Edition, Location, OcrReading, Source

    changed = copy.deepcopy(edition)
    d = changed["directions"][0]
    d["provenance"]["title"] = Source(text="1.1 中国和以色列产业技术研发合作项目",
                                      locations=[Location(paragraph=12)]).model_dump(mode="json")
    budget = d["provenance"]["budget_cny"]
    d["provenance"]["budget_cny"] = Source(text=budget["text"], locations=[
        Location(page=loc["page"], bbox=loc["bbox"], ocr=OcrReading(confidence=0.82))
        for loc in budget["locations"]]).model_dump(mode="json")
    changed = Edition.model_validate(changed).model_dump(mode="json")  # the contract accepts the shape
    parsed = Page(review_html(changed, PDF))
    in_title = [e for e in parsed.elements if e[3] == ("1.1", "title")]
    assert not [e for e in in_title if e[0] == "figure"] and [e for e in in_title if e[0] == "blockquote"]
    page = review_html(changed, PDF)
    assert "OCR confidence 82%" in page and page.count("OCR confidence") == 1
    in_budget = [e for e in parsed.elements if e[3] == ("1.1", "budget_cny")]
    assert [e for e in in_budget if "ocr" in (e[1].get("class") or "").split()]


def test_long_lists_collapse(page, edition):
    longest = max(len(d["requirements"]) for d in edition["directions"])
    assert longest > 3 and f"<summary>{longest} requirements</summary>" in page


def test_changes_from_the_previous_edition(extracted):
    _, old_dir = extracted["2021-2"]
    _, new_dir = extracted["synthetic-2022-1"]
    new = json.loads((new_dir / "edition.json").read_text(encoding="utf-8"))
    old = json.loads((old_dir / "edition.json").read_text(encoding="utf-8"))
    page = review_html(new, EDITIONS["synthetic-2022-1"][0], previous=(old, "2021-2"))
    assert "2021-2 → 2022-1" in page and "Directions added" in page  # synthetic 2022-1 adds New Zealand (1.8)


def test_cli_writes_beside_the_edition_and_refuses_another_pdf(tmp_path, extracted):
    _, out_dir = extracted["2021-2"]
    result = runner.invoke(app, ["review", str(out_dir), "--pdf", str(PDF), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    result = runner.invoke(app, ["review", str(out_dir), "--pdf", str(EDITIONS["synthetic-2022-1"][0]),
                                 "--out", str(tmp_path / "s.html")])
    assert result.exit_code == 3 and "sha256 differs" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "s.html").exists()


def test_data_docs_pages_keep_nothing_that_needs_the_web():
    """What GX writes, and what is left of it offline: status icons as text, no CDN, no newsletter (no browser needed;
    tests/test_browser.py opens the real pages)."""
    from pipeline.quality.data_docs import offline_page

    gx = ('<link rel="stylesheet" href="https://cdn.example.org/bootstrap.min.css">'
          '<style>.logo{background: url(\'https://assets.example.org/logo.png\') 0 0 no-repeat}</style>'
          '<a href="https://greatexpectations.io">GX</a><a href="../index.html">home</a>'
          '<td><span><i class="fas fa-check-circle text-success" ></i></span></td>'
          '<td><i class="fas fa-times text-danger" ></i></td>'
          '<footer>\n  <p>Stay current with our newsletter <a href="https://greatexpectations.io/newsletter">'
          'Subscribe</a></p>\n</footer>')
    page = offline_page(gx)
    assert "http" not in page and "Subscribe" not in page
    assert '<i class="fas fa-check-circle text-success" >✔</i>' in page and ">✘</i>" in page
    assert '<a href="../index.html">home</a>' in page and "<a>GX</a>" in page


def test_data_docs_tables_are_written_out_from_their_scripts():
    """What GX writes for its index (an empty table its script fills with bootstrap-table, a button and a card only a
    script can work) and what is left of it: the table's rows, sorted as the script would, and no script."""
    from pipeline.quality.data_docs import static_tables

    gx = ('<div class="card mb-3"><div class="card-header p-2"><strong>Actions</strong></div>'
          '<div class="card-body"><label onclick="showAllValidations()">Show All</label></div></div>'
          '<button class="btn" onclick="clearTableFilters(\'t1\')">Clear Filters</button>'
          '<table\n  id="t1"\n  class="table-sm" data-toggle="table"\n>\n</table>\n<script>\n'
          "  $('#t1').bootstrapTable(\n    Object.assign(\n      {\n        columns: [{'field': 'suite', 'title': "
          "'Expectation Suite', 'sortable': 'true'}, {'field': 'n', 'title': 'Checks'}],\n        data: [{'suite': "
          "'2021-2.urls', 'n': '1', '_table_row_link_path': 'expectations/urls.html'}, {'suite': '2021-2.contacts', "
          "'n': '3 [a] {b}', '_table_row_link_path': 'expectations/contacts.html'}],\n        toolbar: '#t1-toolbar'"
          "\n      },\n      {'search': 'true', 'sortName': 'suite', 'sortOrder': 'asc'}\n    )\n  );\n</script>")
    page = static_tables(gx)
    assert "<script" not in page and "onclick" not in page and "Clear Filters" not in page and "Actions" not in page
    assert "<thead><tr><th>Expectation Suite</th><th>Checks</th></tr></thead>" in page
    rows = page[page.index("<tbody>"):page.index("</tbody>")]
    assert rows == ('<tbody><tr><td><a href="expectations/contacts.html">2021-2.contacts</a></td><td>3 [a] {b}</td>'
                    '</tr><tr><td><a href="expectations/urls.html">2021-2.urls</a></td><td>1</td></tr>')


def test_any_field_and_an_unstated_duration_show_their_source(page):
    """1.1 (Israel) says 领域方向：不限领域 on page 3 and states no duration; the preamble (page 2) says
    实施周期一般为2~3年: both values show a crop, neither says "no source recorded"."""
    parsed = Page(page)
    crops = {value: e[1]["data-page"] for e in parsed.of("figure", "crop") for value in [e[3]] if value[0] == "1.1"}
    assert crops[("1.1", "fields")] == "3" and crops[("1.1", "max_duration_years")] == "2"
    card = page[page.index('data-direction="1.1"'):page.index('data-direction="1.2"')]
    assert "no source recorded" not in card and "not stated in the requirements; the preamble: usually 2–3 years" in card
