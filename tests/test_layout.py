"""Layout stage: text fidelity, spaces, URL rejoining, furniture and watermark removal."""

import re

import pytest
from conftest import EDITIONS

from pipeline.extract import document_to_paragraphs
from pipeline.structure.layout import Line, color_luminance
from pipeline.structure.paragraphs import join_lines, lines_to_paragraphs
from pipeline.reading.pdf import read_pdf
from pipeline.text import is_cjk


def fold(text: str) -> str:
    """Fold white space that touches CJK text (presentational), keep one space between Latin words."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r" ", lambda m: "" if is_cjk(text[m.start() - 1]) or is_cjk(text[m.end()]) else " ", text)


@pytest.mark.parametrize("edition", EDITIONS)
def test_paragraphs_reproduce_the_document_text(edition):
    """Every paragraph of the reference text (one per line, written from the document) comes out whole."""
    pdf, txt, _ = EDITIONS[edition]
    expected = [fold(line.split("\t", 1)[1]) for line in txt.read_text(encoding="utf-8").splitlines() if "\t" in line]
    _, paragraphs = document_to_paragraphs(read_pdf(pdf))
    assert [fold(p.text) for p in paragraphs] == expected


def test_no_space_invented_between_ideographs(extracted):
    stages, _ = extracted["2021-2"]
    text = "\n".join(p.text for p in stages.paragraphs)
    # the justified line on page 7 that pdfplumber's extract_text renders as "须 为 其 参 与"
    assert "须为其参与地平线" in text
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)


def test_spaces_between_latin_words_kept(extracted):
    stages, _ = extracted["2021-2"]
    text = "\n".join(p.text for p in stages.paragraphs)
    for phrase in ("Nofar Hamrany", "Sune Dalgaard Ebbesen", "Dr. Ingerid Fossum", "Mr. Thomas Hansteen"):
        assert phrase in text


def test_urls_split_over_lines_rejoined_exactly(extracted):
    stages, _ = extracted["2021-2"]
    text = "\n".join(p.text for p in stages.paragraphs)
    # each of these wraps in the PDF, two of them at a hyphen that belongs to the URL
    for url in ("https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/programmes/h2020",
                "https://ec.europa.eu/programmes/horizon2020/en/what-work-programme",
                "http://ec.europa.eu/research/participants/data/ref/h2020/other/hi/h2020_localsupp_china_en.pdf",
                "https://eeas.europa.eu/sites/eeas/files/questions_answers_on_eu-china_co-funding_mechanism_for_"
                "research_and_innovation_cooperation_0.pdf"):
        assert url in text


def test_page_numbers_removed(extracted):
    stages, _ = extracted["2021-2"]
    dropped = stages.layout["dropped"]
    assert [d["text"] for d in dropped if d["reason"] == "page number"] == [f"— {n} —" for n in range(1, 14)]
    assert not any(re.fullmatch(r"—\s*\d+\s*—", p.text) for p in stages.paragraphs)


def _line(page, text, x0, top, size=16.0, x1=None, trailing_space=False):
    x1 = x1 if x1 is not None else x0 + size * len(text) * 0.6
    return Line(page, text, x0, top, x1, top + size, "F", size, [(x0, top, x1, top + size)] * len(text),
                trailing_space)


def test_url_rejoined_across_a_page_break():
    page1 = [_line(1, "相关信息请登录如下链接查询：", 112, 100, x1=520), _line(1, "这是一行占满宽度的正文文字内容内容内容", 80, 129, x1=520),
             _line(1, "https://ec.europa.eu/info/funding-", 80, 158, x1=400)]
    page2 = [_line(2, "tenders/opportunities/portal。", 80, 100, x1=300)]
    paragraphs = lines_to_paragraphs([page1, page2], 16.0)
    assert "https://ec.europa.eu/info/funding-tenders/opportunities/portal。" in paragraphs[-1].text
    assert paragraphs[-1].pages == [1, 2]


@pytest.mark.parametrize("before, after, break_at_space, sep", [
    ("中方申报单位", "须为其", False, ""),
    ("地平线", "2020 计划", True, " "),  # the PDF broke the line at a space
    ("地平线", "2020 计划", False, ""),
    ("Martin", "Kyvsgaard", False, " "),
    ("https://ec.europa.eu/info/funding-tenders/", "screen/programmes", False, ""),
    ("https://eeas.europa.eu/questions_answers_on_eu-china_co-", "funding_mechanism", False, ""),
    ("常见问题：https://eeas.europa.eu/sites/eeas/files/cooperation_0.p", "df;", False, ""),
    ("网址：most.gov.cn/kjbgz/", "202101/t20210105.html", False, ""),  # no scheme, but a domain/path
    ("中欧联合资助机制整体方案：http://", "ec.europa.eu/research", False, ""),
    ("邮箱：glorianne.b.camilleri@gov.", "mt", False, ""),
    ("in-", "novation", False, ""),
    ("the", "programme", False, " "),
    # known gap: a Latin word broken mid-word at a line end without a hyphen gets a space (the text alone
    # cannot tell "Coun|cil" from two words)
    pytest.param("Research Coun", "cil of Norway", False, "",
                 marks=pytest.mark.xfail(strict=True, reason="a word broken without a hyphen is read as two")),
])
def test_join_lines(before, after, break_at_space, sep):
    assert join_lines(before, after, break_at_space) == sep


@pytest.mark.parametrize("color, luminance", [((0,), 0.0), ((0.8,), 0.8), ((1, 1, 1), 1.0), ((0, 0, 0, 1), 0.0),
                                              ((0, 0, 0, 0.2), 0.8), (None, None)])
def test_color_luminance(color, luminance):
    got = color_luminance(color)
    assert got == luminance if luminance is None else abs(got - luminance) < 1e-9


@pytest.mark.slow
def test_url_rejoined_across_a_rendered_page_break(tmp_path):
    """Render filler until a long URL wraps over a page break, then extract it whole."""
    import build

    url = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/programmes/h2020-call-documents-2021"
    # identical filler sentences recur at the same height on every page: they must stay body text
    filler = ("p", "本专项继续支持我国与相关国家、地区、国际组织和多边机制签署的有关政府间协议框架下开展的各类国际科技创新合作与交流项目。")
    long_item = "(1) " + "项目申请人须与其欧方合作伙伴共同申请欧盟地平线计划发布的指南项目，" * 4 + \
        f"相关指南信息可以登录如下链接查询：{url}，其他年度项目不在本次征集之列。" + "中方单位须提交申请书的英文版。" * 6
    for n in range(10, 40):
        styled = [filler] * n + [("item", long_item)]
        pdf = build.render(styled, tmp_path / f"{n}.pdf", build.Layout(footer="page_of"))
        layout, paragraphs = document_to_paragraphs(read_pdf(pdf))
        last = paragraphs[-1]
        first_page = "".join(ln.text for ln in last.lines if ln.page == last.pages[0])
        if len(last.pages) == 2 and "https" in first_page and url not in first_page:
            break  # the URL starts on one page and ends on the next
    else:
        pytest.fail("no rendering put the URL across a page break")
    assert f"查询：{url}，其他" in last.text
    assert sum(p.text == filler[1] for p in paragraphs) == n


def _chars(text, x0=80.0, advance=8.0, gap=0.0, size=16.0):
    """Glyphs of text laid left to right, each `advance` wide, `gap` apart (spaces are glyphs too)."""
    from pipeline.structure.layout import Char
    chars, x = [], x0
    for ch in text:
        chars.append(Char(ch, x, 100, x + advance, 100 + size, size, "F"))
        x += advance + gap
    return chars


@pytest.mark.parametrize("text, gap, expected", [
    ("participants", 0.0, "participants"),
    ("participants", 5.0, "participants"),  # distributed justification spreads the letters
    ("地平线 2020 计划", 4.7, "地平线 2020 计划"),
    ("Nofar Hamrany", 0.0, "Nofar Hamrany"),
    ("Nofar Hamrany", 5.0, "Nofar Hamrany"),
])
def test_letter_spacing_is_not_word_spacing(text, gap, expected):
    from pipeline.structure.layout import row_to_line
    assert row_to_line(_chars(text, gap=gap), 1).text == expected


def test_words_positioned_apart_without_space_glyphs():
    from pipeline.structure.layout import row_to_line
    chars = _chars("Nofar") + _chars("Hamrany", x0=80 + 5 * 8 + 6)  # a 6 pt gap, no space glyph
    assert row_to_line(chars, 1).text == "Nofar Hamrany"


def test_glyphs_without_unicode_are_no_text_layer():
    from pipeline.errors import NoTextLayer
    from pipeline.reading.pdf import RawDocument, RawPage
    chars = [{"text": f"(cid:{i})", "x0": 80 + 10 * i, "x1": 90 + 10 * i, "top": 100, "bottom": 116, "size": 16,
              "fontname": "F", "upright": True, "matrix": (1, 0, 0, 1, 0, 0), "non_stroking_color": (0,)}
             for i in range(40)]
    with pytest.raises(NoTextLayer, match="cannot be decoded"):
        document_to_paragraphs(RawDocument("x.pdf", "0" * 64, [RawPage(1, 595, 842, chars)]))


def test_a_label_every_direction_repeats_is_no_running_header():
    """申报要求： at the top of 4 of 10 pages (by chance) and between the bands 14 more times: body text.
    The running header is in the top band of every page and nowhere else."""
    from pipeline.structure.furniture import remove_furniture

    words = "甲乙丙丁戊己庚辛壬癸"
    pages = []
    for n in range(1, 11):
        body = f"{words[n - 1]}方向的正文内容。"  # a different sentence on every page
        lines = [_line(n, "“政府间国际科技创新合作”重点专项", 200, 40),
                 _line(n, "申报要求：" if n in (2, 5, 7, 9) else body, 100, 74)]
        if n <= 7:  # twice more on the page, never at the same height on two pages
            lines += [_line(n, "申报要求：", 100, 200 + 20 * n), _line(n, "申报要求：", 100, 420 + 25 * n)]
        pages.append(lines)
    kept, dropped = remove_furniture(pages, [842.0] * 10)
    assert {d.text for d in dropped} == {"“政府间国际科技创新合作”重点专项"}
    assert sum(ln.text == "申报要求：" for page in kept for ln in page) == 4 + 14


@pytest.mark.parametrize("readings", [
    # OCR's readings of one running header on a scan of 12 pages (a harsher scan's, measured): quotes read
    # differently or lost, on a few pages a character misread
    ["“政府间国际科技创新合作”重点专项"] * 6 + ["“政府间国际科技创新合作\"重点专项", "政府间国际科技创新合作”重点专项",
                                         "政府间国际科技创新合作重点专项", "\"政府间国际科技创新合作\"重点专项",
                                         "“政府间国际科技创新合怍”重点专项", "“政府间国际科技刨新合作”重点专项"],
    # a header two tops apart on the page (tilt) and spaced by OCR
    ["“政府间国际科技创新合作”重点专项"] * 8 + ["“政府间国际 科技创新合作” 重点专项"] * 4,
])
def test_a_running_header_read_differently_by_ocr_is_furniture_on_every_page(readings):
    from pipeline.structure.furniture import remove_furniture

    words = "甲乙丙丁戊己庚辛壬癸子丑"
    pages = [[_line(n + 1, text, 200, 25 + (n % 3) * 5), _line(n + 1, f"{words[n]}方向的正文内容。", 100, 300)]
             for n, text in enumerate(readings)]
    kept, dropped = remove_furniture(pages, [842.0] * len(readings))
    assert sorted(d.text for d in dropped) == sorted(readings)
    assert [[ln.text for ln in page] for page in kept] == [[f"{w}方向的正文内容。"] for w in words[:len(readings)]]


@pytest.mark.parametrize("text, other, same", [
    ("“政府间国际科技创新合作”重点专项", "政府间国际科技创新合作重点专项", True),
    ("第 3 页", "第 14 页", True),
    ("——", "……", False),  # punctuation only: kept as it is
    ("申报要求：", "申报条件：", False),
    ("Page 3", "page 3", False),  # case is kept: folding it is not needed and would merge more
])
def test_furniture_key_folds_digits_spacing_and_punctuation(text, other, same):
    from pipeline.structure.furniture import furniture_key
    assert (furniture_key(text) == furniture_key(other)) is same


def test_a_short_line_one_character_off_a_running_header_is_not_it():
    """申报条件 is not 申报要求 misread: keys shorter than FUZZY_MIN_CHARS are never matched."""
    from pipeline.structure.furniture import _misread_keys
    assert _misread_keys({"申报要求": 9, "申报条件": 1}, 4) == {}
    assert _misread_keys({"政府间国际科技创新合作重点专项": 9, "政府间国际科技创新合怍重点专项": 1}, 4) \
        == {"政府间国际科技创新合怍重点专项": "政府间国际科技创新合作重点专项"}
    # a body line that starts like the header but runs on is not it
    assert _misread_keys({"政府间国际科技创新合作重点专项": 9, "政府间国际科技创新合作重点专项年度项目申报指南": 1}, 4) == {}


def test_a_wrapped_amount_does_not_open_a_paragraph():
    """A line ended short because `4.14亿元` did not fit: the next line, which starts with it, continues."""
    lines = [_line(1, "项目任务数144~170项，国拨经费总概算", 80, 100, x1=483),
             _line(1, "4.14亿元，每个项目实施周期一般为2~3年。具体指南方向及", 80, 127, x1=509),
             _line(1, "要求如下。", 80, 154, x1=160)]
    [paragraph] = lines_to_paragraphs([lines], 16.0)
    assert "总概算4.14亿元" in paragraph.text


def test_a_rotated_watermark_in_the_cjk_font_is_no_wrong_encoding():
    """The body's Latin text in Times New Roman, the watermark `www.example.org` rotated in the CJK font: the
    watermark's wide boxes say nothing about the CJK font's encoding, so the page is text, not OCR'd."""
    from pipeline.reading.pdf import RawPage, page_text_status

    def char(text, x0, font, size=14.0, matrix=(1, 0, 0, 1, 0, 0), width=None):
        return {"text": text, "x0": x0, "x1": x0 + (width if width is not None else size * 0.5), "top": 100,
                "bottom": 114, "size": size, "fontname": font, "matrix": matrix}

    body = [char(c, 80 + 14 * i, "SimSun", width=14) for i, c in enumerate("中方联系人王芳电话邮箱")]
    body += [char(c, 300 + 7 * i, "TimesNewRoman") for i, c in enumerate("wangfang@cstec.org.cn")]
    rotated = (0.766, 0.643, -0.643, 0.766, 0, 0)
    watermark = [char(c, 100 + 30 * i, "SimSun", size=45, matrix=rotated, width=40) for i, c in enumerate("example.org")]
    page = RawPage(number=1, width=595, height=842, chars=body + watermark)
    assert page_text_status(page) == "text"
    misread = [char(c, 100 + 14 * i, "SimSun", width=14) for i, c in enumerate("HGLR&%$#")]  # CJK read as ASCII
    assert page_text_status(RawPage(number=1, width=595, height=842, chars=body + misread)) == "undecodable"


def test_a_scanner_label_at_the_page_edge_read_differently_on_each_page_is_furniture():
    from pipeline.structure.furniture import remove_furniture
    from pipeline.structure.layout import Line

    def line(page, text, top):
        return Line(page=page, text=text, x0=20.0, top=top, x1=300.0, bottom=top + 8, size=8.0, font="OCR")

    labels = ["扫描全能王 CamScanner 第 1 页", "扫描全能王（第2页", "扫描全能王CamS第3页", "扫描全能王 CamScanner 第 4 页"]
    pages = [[line(i + 1, "合作协议：《中华人民共和国政府与马耳他政府科学技术合作协定》。", 300.0), line(i + 1, label, 826.0)]
             for i, label in enumerate(labels)]
    body, dropped = remove_furniture(pages, [842.0] * 4)
    assert [[ln.text for ln in p] for p in body] == [["合作协议：《中华人民共和国政府与马耳他政府科学技术合作协定》。"]] * 4
    assert sorted(d.text for d in dropped) == sorted(labels)
    assert "running label at the page's edge" in {d.reason for d in dropped}  # those read differently each time


def test_a_body_line_at_a_prints_top_edge_is_not_a_label_because_the_printer_lines_start_alike():
    """A browser print's footer (`http://…/2345.htm 4/7`) is the printer's line on every page; a body line at the
    top edge of one page that starts with `https` too (a URL wrapped onto it) is body text, not a scanner label."""
    from pipeline.structure.furniture import remove_furniture
    from pipeline.structure.layout import Line

    def line(page, text, top):
        return Line(page=page, text=text, x0=50.0, top=top, x1=560.0, bottom=top + 11, size=10.5, font="Noto")

    url = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/programmes/h2020,"
    pages = [[line(i + 1, "12/2/26, 3:41 AM 关于转发申报指南的通知-科学技术处", 16.4)]
             + ([line(i + 1, url, 30.7)] if i == 3 else [])
             + [line(i + 1, f"第 {i + 1} 页的正文：中欧科技创新合作联合资助机制的有关信息{'请参阅以下网站' * (i + 1)}。", 300.0),
                line(i + 1, f"http://www.kjc.example.edu.cn/info/1041/2345.htm {i + 1}/7", 768.6)]
             for i in range(7)]
    body, dropped = remove_furniture(pages, [792.0] * 7)
    assert url in [ln.text for ln in body[3]]
    assert {d.reason for d in dropped} == {"printer's header or footer"} and len(dropped) == 14


@pytest.mark.parametrize("previous, label, apart", [
    # a full-width agreement line, then a labelled field: two paragraphs, though the first did not stop short
    ("合作协议：《亚太经合组织科技创新政策伙伴机制合作框架》", "领域方向：数字经济、清洁能源、食品安全。", True),
    ("合作协议：《中华人民共和国政府和某国政府科学技术合作协定（修订）》", "支持经费：不超过1000万元。", True),
    # a sentence that runs on over the line end stays one paragraph, a label or not
    ("申报单位须与外方合作单位在领域方向所列的范围内开展合作，并提交", "领域方向所列以外的申请不予受理。", False),
    ("合作协议：《亚太经合组织科技创新政策伙伴机制合作框架》及其", "领域方向：数字经济。", False),
])
def test_a_labelled_field_after_a_closing_title_starts_a_paragraph(previous, label, apart):
    lines = [_line(1, previous, 80, 100, size=10.5, x1=515), _line(1, label, 80, 114, size=10.5, x1=300),
             _line(1, "这是一行占满宽度的正文文字内容内容内容", 80, 128, size=10.5, x1=515)]
    paragraphs = lines_to_paragraphs([lines], 10.5)
    assert (paragraphs[0].text == previous) == apart


@pytest.mark.parametrize("after, apart", [
    ("23上海市与外方合作研究项目", True),  # a direction heading whose dot was lost (`2.3`)
    ("2.3 上海市与外方合作研究项目", True),
    ("(4)外方联系人：Anna", True),
    ("cn，电话：0771-561 2345。", False),  # the rest of the address, wrapped
])
def test_a_numbered_line_after_an_address_starts_a_paragraph(after, apart):
    """An e-mail ends the line (its full stop lost by OCR): a numbered line after it is a heading or an item."""
    lines = [_line(1, "(3)中方联系人：周丽，电话：0771-561 2345，邮箱：zhouli@castc.org.cn", 80, 100, size=10.5, x1=515),
             _line(1, after, 80, 114, size=10.5, x1=300)]
    paragraphs = lines_to_paragraphs([lines], 10.5)
    assert (len(paragraphs) == 2) == apart


@pytest.mark.parametrize("previous, after", [
    # a sentence wrapped after an e-mail and Chinese text, then an amount or a date: one paragraph (text layers too)
    ("申报材料电子版请发送至kjc@most.gov.cn，纸质材料须在", "10个工作日内寄送至科技部。"),
    ("详见https://service.most.gov.cn/，申报截止时间为", "2024年6月30日。"),
    # a sentence wrapped after a bracket or a title, then a phrase ending in a colon: one paragraph
    ("申报单位须按照附件要求（见附件1）", "所列的重点研究方向：开展合作研究。"),
    ("根据《中国和东盟科技合作谅解备忘录》", "中确定的合作领域：开展联合研究。"),
])
def test_a_sentence_that_runs_on_is_not_split_by_the_scan_rules(previous, after):
    lines = [_line(1, previous, 80, 100, size=10.5, x1=515), _line(1, after, 80, 114, size=10.5, x1=300)]
    assert len(lines_to_paragraphs([lines], 10.5)) == 1
