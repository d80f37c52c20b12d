"""End to end: PDF → edition.json, on the bundled editions and on renderings of them.

Expectations come from reading the documents: the gold fact files (written by hand,
not by any parser) and the assertions below. The 2022-1 edition is SYNTHETIC.
"""

import json

import pytest
from conftest import EDITIONS, score

import build
from pipeline.extract import extract_to_dir

PERFECT = "precision=1.000 recall=1.000 f1=1.000"


@pytest.mark.parametrize("edition", EDITIONS)
def test_gold_facts(extracted, edition):
    _, out = extracted[edition]
    assert PERFECT in score(EDITIONS[edition][2], out / "edition.json")


def test_every_stage_written(extracted):
    _, out = extracted["2021-2"]
    assert sorted(p.name for p in out.iterdir()) == ["edition.json", "layout.json", "outline.json", "paragraphs.json"]


def test_2021_2_read_from_the_document(extracted):
    stages, out = extracted["2021-2"]
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    info = ed["edition"]
    assert info["id"] == "2021-2"
    assert info["project_count"] == {"min": 79, "max": 82, "approximate": True, "text": "项目任务数79~82项左右"}
    assert info["duration_years"] == {"min": 2, "max": 3}
    assert info["budget_cny"] == 257_800_000
    by_id = {d["id"]: d for d in ed["directions"]}
    israel = by_id["1.1"]
    assert israel["fields_unrestricted"] is True and israel["fields"] == []
    assert israel["budget_text"].replace(" ", "") == "2000万元"  # the amount as printed, not the whole field
    assert israel["project_count"]["text"] == "不超过10个"
    eu = by_id["1.4"]
    network = next(f for f in eu["fields"] if f["name"] == "新一代信息网络")
    assert network["topics"] == ["5G通讯技术", "光通讯技术", "处理器（CPU）技术", "物联网技术", "虚拟现实技术",
                                 "量子计算", "大数据技术"]
    assert eu["requirements"][5] == {**eu["requirements"][5], "number": 6, "text": "项目执行期一般为2至3年。"}
    denmark = by_id["1.5"]
    assert denmark["fields"][0]["description"].startswith("研发低成本的二氧化碳捕集和封存方案")
    assert [c["honorific"] for c in denmark["contacts"]] == [None, "博士"]
    norway = by_id["1.6"]
    assert [c["honorific"] for c in norway["contacts"]] == ["Dr.", "Mr."]
    assert norway["fields_text"].startswith("加深对气候和地球系统")  # the intro before the numbered fields
    malta = by_id["1.7"]
    # the contact's e-mail and the URL continue item (3) in unnumbered paragraphs
    assert malta["requirements"][2]["text"].startswith("马耳他项目联系人：Glorianne Camilleri")
    assert "http://mcst.gov.mt/science-technology-cooperation-sino-malta-fund/" in malta["requirements"][2]["text"]


def test_provenance_points_at_the_page_and_text(extracted):
    _, out = extracted["2021-2"]
    ed = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    denmark = next(d for d in ed["directions"] if d["id"] == "1.5")
    budget = denmark["provenance"]["budget_cny"]
    # page 9 of the PDF opens with 拟支持项目数：4~5 个 and 共拟支持经费：2000 万元人民币
    assert budget["text"].replace(" ", "") == "2000万元"  # the span the amount was read from
    assert [loc["page"] for loc in budget["locations"]] == [9]
    x0, top, x1, bottom = budget["locations"][0]["bbox"]
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 300  # near the top of the page
    # a requirement that runs over a page break keeps both pages
    eu = next(d for d in ed["directions"] if d["id"] == "1.4")
    assert [loc["page"] for loc in eu["requirements"][2]["source"]["locations"]] == [6, 7]
    assert ed["edition"]["provenance"]["budget_cny"]["locations"][0]["page"] == 2
    # Martin Kyvsgaard and Sune Dalgaard Ebbesen, both in item (7) on page 9
    assert [c["source"]["locations"][0]["page"] for c in denmark["contacts"]] == [9, 9]
    assert denmark["provenance"]["partner"]["text"] == "丹麦"  # read from the heading of 1.5 on page 8
    assert [loc["page"] for loc in denmark["provenance"]["partner"]["locations"]] == [8]


# --- the same content rendered otherwise must give the same records ---------------------------

LAYOUTS = {
    "a4-stsong-justified": build.Layout(),
    "letter-wqy-ragged": build.Layout(pagesize="Letter", font="wqy", justified=False),
    "uming-block-paragraphs-page-of-footer": build.Layout(font="uming", indent=False, footer="page_of",
                                                         header="科技部 申报指南"),
    "watermark-and-running-header": build.Layout(footer="hyphen", watermark="转载自 www.example.org",
                                                 header="“政府间国际科技创新合作”重点专项 2021年度第二批"),
    "letter-no-footer-small-font": build.Layout(pagesize="Letter", footer="none", body_size=12),
}


@pytest.fixture(scope="module")
def styled_2021():
    _, txt, gold = EDITIONS["2021-2"]
    return build.read_styled(txt.read_text(encoding="utf-8")), json.loads(gold.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_variants_give_the_same_records(tmp_path, styled_2021, name):
    layout = LAYOUTS[name]
    if layout.font not in build.available_fonts():
        pytest.skip(f"font {layout.font} is not installed (apt-get install fonts-wqy-zenhei fonts-arphic-uming)")
    styled, gold = styled_2021
    pdf = build.render(styled, tmp_path / f"{name}.pdf", layout)
    stages, out = extract_to_dir(pdf, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    reasons = {d["reason"] for d in stages.layout["dropped"]}
    if layout.watermark:
        assert "rotated" in reasons
    if layout.header:
        assert "running header or footer" in reasons
    assert not any(layout.header and layout.header.replace(" ", "") in p.text.replace(" ", "") for p in stages.paragraphs)


@pytest.mark.slow
@pytest.mark.parametrize("variant", build.CONTENT_VARIANTS)
def test_content_variants_give_the_changed_records(tmp_path, styled_2021, variant):
    styled, gold = build.CONTENT_VARIANTS[variant](*styled_2021)
    layout = build.VARIANT_LAYOUTS.get(variant, build.Layout())
    for font in filter(None, (layout.font, layout.latin_font)):
        if font not in build.available_fonts():
            pytest.skip(f"font {font} not installed")
    pdf = build.render(styled, tmp_path / f"{variant}.pdf", layout)
    _, out = extract_to_dir(pdf, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")


@pytest.mark.slow
def test_flat_light_and_oversized_watermarks_ignored(tmp_path, styled_2021):
    """Watermarks that are not rotated: a light one and a black one far larger than the text."""
    from reportlab.lib.colors import Color, black
    styled, gold = styled_2021
    for name, color, scale in (("light", Color(0.85, 0.85, 0.85), 2.0), ("oversized", black, 4.0)):
        pdf = build.render(styled, tmp_path / f"{name}.pdf",
                           build.Layout(extra={"flat_watermark": ("内部资料 请勿外传", color, scale)}))
        stages, out = extract_to_dir(pdf, tmp_path / name)
        assert PERFECT in score(gold, out / "edition.json"), name
        assert any("内部资料" in d["text"] for d in stages.layout["dropped"]), name
