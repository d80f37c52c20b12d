"""Large editions, end to end: 27 and 40 directions in groups, every kind of partner and contact,
rendered by ReportLab, by LibreOffice from Word, and as the Word file itself.

The editions are SYNTHETIC (tests/fixtures/large_editions.py: each direction's printed text
beside the facts typed by hand). Every rendering must score F1 = 1.000 with the shared
scorer, pass the gate, and give the facts the scorer does not look at too: extensions,
sides, titles, per-project caps, the budget's own words, organisation codes.
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, score

import large
from pipeline.extract import extract_to_dir

PERFECT = "precision=1.000 recall=1.000 f1=1.000"
LARGE = {name: (FIXTURES / name / f"{stem}.txt", FIXTURES / name / f"{stem}.gold.json")
         for name, stem in (("synthetic-large-2023-1", "2023-1"), ("synthetic-large-2024-2", "2024-2"))}
RENDERINGS = large.RENDERINGS
CASES = [(edition, rendering) for edition in LARGE for rendering in RENDERINGS]


@pytest.fixture(scope="session")
def large_extracted(tmp_path_factory):
    """Every rendering of both editions, made and extracted once per session: (edition, rendering) → dict."""
    root = tmp_path_factory.mktemp("large")
    wanted = RENDERINGS if shutil.which("soffice") or shutil.which("libreoffice") else ("reportlab", "docx")
    out = {}
    for edition, (txt, _) in LARGE.items():
        files = large.render_all(txt, root / edition, wanted)
        for rendering, path in files.items():
            _, out_dir = extract_to_dir(path, root / edition / f"out-{rendering}")
            out[edition, rendering] = (json.loads((out_dir / "edition.json").read_text(encoding="utf-8")), out_dir)
    return out


def _case(large_extracted, edition, rendering):
    if (edition, rendering) not in large_extracted:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return large_extracted[edition, rendering]


def _gold(edition):
    return json.loads(LARGE[edition][1].read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("edition, rendering", CASES)
def test_large_edition_scores_perfectly(large_extracted, edition, rendering):
    _, out_dir = _case(large_extracted, edition, rendering)
    assert PERFECT in score(LARGE[edition][1], out_dir / "edition.json")


@pytest.mark.slow
@pytest.mark.parametrize("edition, rendering", CASES)
def test_large_edition_passes_the_gate(large_extracted, edition, rendering):
    from pipeline.quality.validate import validate_edition

    data, _ = _case(large_extracted, edition, rendering)
    report = validate_edition(data)
    assert [c.message for c in report.checks if c.status == "failed"] == []
    assert report.summary.skipped == 0
    assert report.warnings == []  # every phone's country is known: nothing was guessed
    assert data["warnings"] == []


@pytest.mark.slow
@pytest.mark.parametrize("edition, rendering", CASES)
def test_large_edition_facts_beyond_the_scorer(large_extracted, edition, rendering):
    """Extensions, sides and titles of every contact; caps, budget words, organisation codes."""
    data, _ = _case(large_extracted, edition, rendering)
    got = {d["id"]: d for d in data["directions"]}
    for d in _gold(edition)["directions"]:
        mine = got[d["id"]]
        assert mine["per_project_cap_cny"] == d["per_project_cap_cny"], d["id"]
        assert mine["budget_text"].replace(" ", "") == d["budget_text"], d["id"]
        assert mine["partner"]["organisation"] == d["organisation"], d["id"]
        assert [(c["name"], c["phone"], c["phone_extension"], c["email"], c["honorific"], c["side"])
                for c in mine["contacts"]] == \
               [(c["name"], c["phone"], c["extension"], c["email"], c["honorific"], c["side"]) for c in d["contacts"]]


@pytest.mark.slow
@pytest.mark.parametrize("edition", LARGE)
def test_renderings_give_the_same_records(large_extracted, edition):
    """The three producers' files of one text give the same records (where they came from aside)."""
    def strip(o):
        if isinstance(o, dict):
            if set(o) == {"text", "locations"}:
                return re.sub(r"\s+", "", o["text"])
            return {k: strip(v) for k, v in o.items() if k not in ("locations", "pages", "provenance")}
        if isinstance(o, list):
            return [strip(v) for v in o]
        return o

    records = {r: strip(large_extracted[edition, r][0]["directions"]) for r in RENDERINGS
               if (edition, r) in large_extracted}
    first = next(iter(records.values()))
    assert all(r == first for r in records.values())


@pytest.mark.slow
def test_groups_are_outline_nodes_and_directions_cross_pages(large_extracted):
    """The group headings are groups, not text of the direction before; some directions run over a page."""
    data, out_dir = large_extracted["synthetic-large-2023-1", "reportlab"]
    outline = json.loads((out_dir / "outline.json").read_text(encoding="utf-8"))

    def nodes(node):
        yield node
        for child in node.get("children", []):
            yield from nodes(child)

    groups = [n for n in nodes(outline) if n["kind"] == "group"]
    assert [g["text"] for g in groups] == ["政府间双边科技合作", "多边机制及国际组织合作", "内地与港澳、海峡两岸科技合作"]
    assert [len([c for c in g["children"] if c["kind"] == "direction"]) for g in groups] == [24, 13, 3]
    last_of_group_1 = next(d for d in data["directions"] if d["id"] == "1.24")
    assert "多边机制" not in last_of_group_1["requirements"][-1]["text"]
    spread = [d["id"] for d in data["directions"]
              if len({loc["page"] for r in d["requirements"] for loc in r["source"]["locations"]}
                     | set(d["pages"])) > 1]
    assert len(spread) >= 5


@pytest.mark.slow
def test_sub_clauses_stay_in_their_requirement(large_extracted):
    data, _ = large_extracted["synthetic-large-2023-1", "reportlab"]
    singapore = next(d for d in data["directions"] if d["id"] == "1.3")
    assert [r["number"] for r in singapore["requirements"]] == [1, 2, 3]
    assert singapore["requirements"][0]["text"] == ("申报单位应满足以下条件：①在中国大陆境内注册的高校、科研院所或企业；"
                                                    "②具有与新方合作单位的良好合作基础；③项目负责人具有高级职称。")
    eu = next(d for d in data["directions"] if d["id"] == "2.13")
    assert [r["number"] for r in eu["requirements"]] == [1, 2, 3, 4]
    assert "②项目预算的中文翻译" in eu["requirements"][2]["text"]


@pytest.mark.slow
def test_the_large_editions_go_through_validate_and_publish(large_extracted, tmp_path):
    """The whole command line on the 40-direction LibreOffice PDF: extract, validate, published."""
    from click.testing import CliRunner

    from pipeline.cli import app

    key = ("synthetic-large-2023-1", "libreoffice")
    _, out_dir = _case(large_extracted, *key)
    shutil.copytree(out_dir, tmp_path / "extracted" / "2023-1")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "extracted" / "2023-1"),
                                      "--publish", "--to", str(tmp_path / "published")])
    assert result.exit_code == 0, result.output
    passed = re.match(r"2023-1: passed \((\d+) checks passed, 0 skipped\)", result.output)
    assert passed, result.output
    validation = json.loads((tmp_path / "extracted" / "2023-1" / "validation.json").read_text(encoding="utf-8"))
    assert int(passed[1]) == len(validation["checks"]) >= 24  # main's 23 and the 中方 +86 check
    published = json.loads((tmp_path / "published" / "2023-1" / "edition.json").read_text(encoding="utf-8"))
    assert published["quality"]["status"] == "passed" and len(published["directions"]) == 40


VARIANTS = {  # the same texts set other ways: fonts, page size, block paragraphs, a watermark, glyphs placed apart
    "letter-wqy-ragged": lambda styled, pdf: large.build.render(styled, pdf, large.build.Layout(
        pagesize="Letter", font="wqy", justified=False, footer="hyphen", latin_font="liberation-serif")),
    "stsong-blocks-watermark": lambda styled, pdf: large.build.render(styled, pdf, large.build.Layout(
        indent=False, watermark="转载自 www.example.org", footer="page_of", latin_font="dejavu-serif")),
    "letter-spaced": lambda styled, pdf: large.build.render_spread(styled, pdf, large.build.Spread(
        font="uming", char_space=1.5, latin_font="liberation-serif")),
    "distributed-addresses-cut": lambda styled, pdf: large.build.render_spread(styled, pdf, large.build.Spread(
        distributed=True, break_in_addresses=True, latin_font="liberation-serif")),
}


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("edition", LARGE)
def test_large_edition_in_other_layouts(tmp_path, edition, variant):
    fonts = {"letter-wqy-ragged": "wqy", "letter-spaced": "uming"}
    if variant in fonts and fonts[variant] not in large.build.available_fonts():
        pytest.skip(f"font {fonts[variant]} is not installed")
    if not large.build.available_latin_fonts():
        pytest.skip("no Latin font (fonts-liberation2 or fonts-dejavu-core) is installed")
    pdf = VARIANTS[variant](large.styled_of(LARGE[edition][0]), tmp_path / f"{variant}.pdf")
    stages, out_dir = extract_to_dir(pdf, tmp_path / "out")
    assert PERFECT in score(LARGE[edition][1], out_dir / "edition.json")
    assert not stages.layout.get("ocr")  # every page read from its text layer


def test_large_gold_is_consistent_with_its_text():
    """The hand-typed facts agree with the words they were typed from (a typo in either shows here)."""
    for edition, (txt, gold_path) in LARGE.items():
        text = txt.read_text(encoding="utf-8")
        assert text.startswith("# SYNTHETIC")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert gold["_note"].startswith("SYNTHETIC")
        squeezed = re.sub(r"\s+", "", text)
        for d in gold["directions"]:
            assert d["title"] in text
            for c in d["contacts"]:
                for value in (c["name"], c["email"]):
                    if value:
                        assert value.lower() in squeezed.lower() or value.replace(" ", "") in squeezed, value
                if c["extension"]:
                    assert re.search(rf"(?:分机|转|ext\.|x|доб\.)\s*{c['extension']}\b", text), c
            for a in d["agreements"]:
                assert f"《{a}》" in squeezed
        stated = gold["edition"]
        assert stated["direction_count"] == len(gold["directions"])
        assert f"{stated['direction_count']}个指南方向" in squeezed
        assert f"{stated['project_count']['min']}~{stated['project_count']['max']}项" in squeezed
