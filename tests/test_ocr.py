"""Scanned guidelines read by OCR (reading/ocr/): text fixes, routing, confidence, the gate.

Fast tests need no engine. Tests marked slow run the real engine (the `ocr` extra) on
scans the fixture builder makes from the hand-written 2021-2 text: rendered with ReportLab,
rasterised, tilted ±0.7°, blurred, speckled and JPEG-compressed. The OCR'd edition is made
once per session; the cases around it use one or two pages.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from conftest import EDITIONS, ROOT, score
from pipeline.cli import app
from pipeline.reading import ocr
from pipeline.reading.ocr import engine, fixes, lines, render, words
from pipeline.reading.pdf import RawPage, page_text_status

TEXT_2021 = EDITIONS["2021-2"][1]
GOLD_2021 = EDITIONS["2021-2"][2]


def has_engine() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


needs_engine = pytest.mark.skipif(not has_engine(), reason="the ocr extra is not installed")


# --- text fixes (no engine) ------------------------------------------------------------------

@pytest.mark.parametrize("read, fixed", [
    # URLs: spaces the engine invents, l read as 1, 。 read as a lone o
    ("https://w.w w.jica.go.jp/china/office/others/pr/2021.ht m1 o",
     "https://www.jica.go.jp/china/office/others/pr/2021.html。"),
    ("https://ec.europa.eu/com mission/presscorner/detail/en/ip_20_16", "https://ec.europa.eu/commission/presscorner/detail/en/ip_20_16"),
    ("0_1ocalsupp_china_en.pdf；中欧", "0_localsupp_china_en.pdf；中欧"),  # the rest of a wrapped URL
    ("ation_O.pdf;", "ation_0.pdf;"),
    ("69.°", "69。"),
    ("http://a.example.org/v1/x", "http://a.example.org/v1/x"),  # a digit after one letter stays
    ("reen/program mes/h2020,", "reen/programmes/h2020,"),
    # a half-width ; glued to the next word in a Chinese line is a ；
    ("邮箱：ifo@rcn.no;Mr. Thomas Hansteen，电话", "邮箱：ifo@rcn.no；Mr. Thomas Hansteen，电话"),
    ("ation_0.pdf;", "ation_0.pdf;"),
    ("网址：http://x.cn/a;jsessionid=1", "网址：http://x.cn/a;jsessionid=1"),
    ("see a; b and c", "see a; b and c"),
    # a name glued to an address by a half-width ; or , keeps its spaces
    ("邮箱：ifo@rcn.no,Mr. Thomas Hansteen，电话", "邮箱：ifo@rcn.no,Mr. Thomas Hansteen，电话"),
    # a colon read inside an address is a dot; a label's colon stays
    ("邮箱：sune.dalgaard:ebbesen@innofond.dk", "邮箱：sune.dalgaard.ebbesen@innofond.dk"),
    ("http://ec:europa.eu/research", "http://ec.europa.eu/research"),
    ("http://localhost:8080/a", "http://localhost:8080/a"),  # a port is digits
    ("https://ec,europa.eu/programmes/horizon2020", "https://ec.europa.eu/programmes/horizon2020"),
    ("见 https://a.org,https://b.org", "见 https://a.org,https://b.org"),
    ("E-mail:john@x.org", "E-mail:john@x.org"),
    # the label's colon and space lost, the label read into the address
    ("，E-mailemilie.tremblay@nrc-cnrc.gc.ca。", "，E-mail：emilie.tremblay@nrc-cnrc.gc.ca。"),
    ("，e-mailj.doe@x.org", "，e-mail：j.doe@x.org"),
    ("，emailme@x.org", "，emailme@x.org"),  # without the hyphen it may be the address's own
    ("a.e-mailb@x.org", "a.e-mailb@x.org"),  # inside an address
    ("Email:j.doe@x.org", "Email:j.doe@x.org"),
    # e-mails: no spaces, full-width dot
    ("邮箱：nofar.hamrany @innovationisrael．org。", "邮箱：nofar.hamrany@innovationisrael.org。"),
    ("邮箱：ifo@rcn.n0；", "邮箱：ifo@rcn.no；"),
    ("邮箱：stefan.gruber@bmbwf.gv.at o.", "邮箱：stefan.gruber@bmbwf.gv.at。"),  # the 。 read as `o` and a speck
    ("邮箱：jose.conceicao@mcti.gov.br o", "邮箱：jose.conceicao@mcti.gov.br。"),
    # phones: O for 0, l for 1 inside the number; printed spaces kept
    ("电话：+972 3 5118ll7，", "电话：+972 3 5118117，"),
    ("电话：+47 22O37006", "电话：+47 2203700" + "6"),
    ("电话：+331456810:00，邮", "电话：+33145681000，邮"),  # a speck read as a colon between digits
    ("Tel:+41227676i11x4321", "Tel:+41227676111x4321"),  # a 1 read as i
    ("会议时间：14:00，电话：+33 1 4568 1000", "会议时间：14:00，电话：+33 1 4568 1000"),  # a time stays
    # доб. (extension) read as digits or Latin look-alikes after a number that writes it so
    ("电话：+7 7172 74 00 00 06.115，邮箱", "电话：+7 7172 74 00 00 доб. 115，邮箱"),
    ("电话：+77172740000 06.115，", "电话：+77172740000 доб. 115，"),
    ("电话：+375 17 200 12 34 0б. 21", "电话：+375 17 200 12 34 доб. 21"),
    ("电话：+380 44 235 10 10 до6. 7", "电话：+380 44 235 10 10 доб. 7"),
    ("电话：+7 7172 74 00 00 доб. 115", "电话：+7 7172 74 00 00 доб. 115"),  # read right: stays
    ("电话：+33 1 4568 1000 06.115", "电话：+33 1 4568 1000 06.115"),  # France writes no доб.
    # dashes read as 一 beside digits; page numbers
    ("一8一", "-8-"),
    ("— 8 —", "— 8 —"),
    ("2018一2020年度", "2018—2020年度"),
    ("一是加强合作", "一是加强合作"),  # 一 meaning one stays
    ("技术丶智能电网", "技术、智能电网"),
    ("(2)鼓励中方企业", "(2)鼓励中方企业"),
    ("版本v1.0发布", "版本v1.0发布"),
    ("绿色燃料（“电转×”等）", "绿色燃料（“电转X”等）"),
    ("面积3×4米", "面积3×4米"),
    ("Dr.Ingerid Fossum", "Dr. Ingerid Fossum"),
    ("关于2019—2022.年共同研究", "关于2019—2022年共同研究"),  # a speck read as a dot
    ("共拟支持经费：6000.万元", "共拟支持经费：6000万元"),
    ("总概算2.578亿元", "总概算2.578亿元"),
    ("1.8 中国一东盟科技伙伴计划联合研究项目", "1.8 中国—东盟科技伙伴计划联合研究项目"),
    ("《中国-东盟科技伙伴计划合作框架》", "《中国—东盟科技伙伴计划合作框架》"),
    ("建设中国一流大学", "建设中国一流大学"),  # 一流: first-class
    ("2.12 澜沧江一湄公河合作科技创新项目", "2.12 澜沧江—湄公河合作科技创新项目"),  # a name written with a dash
    ("《澜沧江-湄公河合作五年行动计划》", "《澜沧江—湄公河合作五年行动计划》"),
    ("澜沧江一带", "澜沧江一带"),
    ("中国和以色列产业技术研发合作项自", "中国和以色列产业技术研发合作项目"),
    ("自主创新", "自主创新"),
    ("中俄总理定期会唔委员会", "中俄总理定期会晤委员会"),
    ("共拟支持经费：1500方元人民币。", "共拟支持经费：1500万元人民币。"),  # 万 read as 方
    ("中方单位所在地方元素", "中方单位所在地方元素"),  # no number before it: stays
    ("网址：https:/lcouncil.science/contact/。", "网址：https://council.science/contact/。"),  # the second slash read l
    ("网址：https://lcouncil.science", "网址：https://lcouncil.science"),
    ("网址：https:/iiasa.ac.at/contact。", "网址：https://iiasa.ac.at/contact。"),  # the second slash not read
    ("见 http:/www.example.org", "见 http://www.example.org"),
    ("网址：https://iiasa.ac.at/a/b", "网址：https://iiasa.ac.at/a/b"),
    # a bracketed item number read as a circled one
    ("项目执行期一般为3年；（③）各方联系人：", "项目执行期一般为3年；（3）各方联系人："),
    ("(⑫) 大科学", "(12) 大科学"), ("（ ② ）", "（2）"),
    ("①在中国大陆境内注册；②具有合作基础", "①在中国大陆境内注册；②具有合作基础"),  # sub-items stay
    ("网址：https://www.jst:.go.jp/inquiry", "网址：https://www.jst.go.jp/inquiry"),  # a speck read as a colon
    ("网址：https://www.example.org:8080/x", "网址：https://www.example.org:8080/x"),  # a port stays
    # a year whose digits the engine split
    ("重点专项2 024年度第二批项目申报指南", "重点专项2024年度第二批项目申报指南"),
    ("2021 年度", "2021 年度"), ("20 23 年", "2023 年"), ("２０２４年", "２０２４年"),
    ("电话：010-5888 2999年", "电话：010-5888 2999年"),  # no year: 5888 2999
    ("执行期为 1 2 年", "执行期为 1 2 年"), ("共 3 000 万元，2 年", "共 3 000 万元，2 年"),
])



def test_fix_ocr_text(read, fixed):
    assert fixes.fix_text(read) == fixed


@pytest.mark.parametrize("read, fixed", [
    # an item number that lost its full stop or brackets gets its list's marks (item n−1 or n+1 nearby)
    (["申报要求：", "1项目执行期一般不超过4年；", "2.申报单位须符合以下条件："],
     ["申报要求：", "1.项目执行期一般不超过4年；", "2.申报单位须符合以下条件："]),
    (["(1)中方单位须具备研发能力；", "2外方单位须为研究机构；", "(3)外方联系人：Anna"],
     ["(1)中方单位须具备研发能力；", "(2)外方单位须为研究机构；", "(3)外方联系人：Anna"]),
    (["（1）中方单位", "2）外方单位"], ["（1）中方单位", "（2）外方单位"]),
    (["1、支持方向", "2优先支持"], ["1、支持方向", "2、优先支持"]),
    # no neighbour in sequence: a number before Han text stays (`2个项目`, a list of another style)
    (["拟支持项目数：", "2项目为宜"], ["拟支持项目数：", "2项目为宜"]),
    (["1.中方单位", "3外方单位"], ["1.中方单位", "3外方单位"]),
    (["1.中方单位", "2）外方单位"], ["1.中方单位", "2）外方单位"]),
])
def test_an_item_number_gets_its_lists_marks_back(read, fixed):
    assert [line.text for line in fixes.item_number_marks([_line(text) for text in read])] == fixed


@pytest.mark.parametrize("read, doubted_first, fixed", [
    (".（1）外方合作单位须来自非洲联盟成员国；", False, "（1）外方合作单位须来自非洲联盟成员国；"),
    ("：（3）中方联系人：马丽，电话：0951-504 1234", False, "（3）中方联系人：马丽，电话：0951-504 1234"),
    ("“《中国—太平洋岛国应对气候变化合作中心合作框架", True, "《中国—太平洋岛国应对气候变化合作中心合作框架"),
    ("“《中国—太平洋岛国应对气候变化合作中心合作框架", False, "“《中国—太平洋岛国应对气候变化合作中心合作框架"),
    ("（1）外方合作单位", True, "（1）外方合作单位"),
    ("1.2 中国和日本联合研究项目", True, "1.2 中国和日本联合研究项目"),
])
def test_a_speck_opening_a_line_before_an_item_or_a_title_goes(read, doubted_first, fixed):
    out = fixes.fix_line(_line(read, doubted={0: 0.3} if doubted_first else None))
    assert out.text == fixed


@pytest.mark.parametrize("read, fixed, doubted", [
    ("领域方向：中医药、智慧城市～海洋科学。", "领域方向：中医药、智慧城市、海洋科学。", "、"),  # 、 read as a tilde
    ("领域方向：新材料~生物医药。", "领域方向：新材料、生物医药。", "、"),
    ("拟支持项目数：4～5个。", "拟支持项目数：4～5个。", ""),  # a range between numbers stays
    ("领域方向：农业与水产·传统医药。", "领域方向：农业与水产、传统医药。", "、"),  # 、 read as a middle dot in a list
    ("联系人：玛丽·居里，电话：", "联系人：玛丽·居里，电话：", ""),  # a translated name's dot, in a sentence
    ("支持经费：2000～3000万元", "支持经费：2000～3000万元", ""),
])
def test_a_tilde_between_han_is_a_doubted_enumeration_comma(read, fixed, doubted):
    out = fixes.fix_line(_line(read))
    assert out.text == fixed
    assert "".join(ch for ch, c in zip(out.text, out.confidences) if c <= fixes.TILDE_DOUBT) == doubted


@pytest.mark.parametrize("heading", ["1,3 中国科技部与日本国际协力机构联合研究项目", "l.3 中国科技部与日本国际协力机构联合研究项目",
                                     "1·3中国科技部与日本国际协力机构联合研究项目", "1 3 中国科技部与日本国际协力机构联合研究项自",
                                     "1.3中国科技部与日本国际协力机构联合研究项目："])  # a speck read as a colon
def test_a_misread_direction_number_still_opens_the_direction(heading):
    """OCR'd headings whose number is misread (the dot, a 1 read as l): the next direction in sequence,
    not a paragraph merged into the one before (its contacts would go to the wrong partner)."""
    from pipeline.structure.outline import paragraphs_to_tree
    from pipeline.structure.paragraphs import Paragraph

    texts = ["1.2 中国和日本理化学研究所联合资助项目", "拟支持项目数：10 个。", heading, "拟支持项目数：20 个。"]
    read = [Paragraph(i, t, [], [], [0.9] * len(t)) for i, t in enumerate(texts)]
    tree = paragraphs_to_tree(read)
    assert [(n.kind, n.number) for n in tree.children] == [("direction", "1.2"), ("direction", "1.3")]
    assert tree.children[1].text.startswith("中国科技部") and not tree.children[1].text.endswith("：")
    # from a text layer, a number that is not one stays text (nothing was misread)
    typed = [Paragraph(i, t, [], [], [None] * len(t)) for i, t in enumerate(texts)]
    assert [n.number for n in paragraphs_to_tree(typed).children] == ["1.2"]



def test_only_the_next_direction_number_is_read_through_a_misread():
    from pipeline.structure.outline import paragraphs_to_tree
    from pipeline.structure.paragraphs import Paragraph

    texts = ["1.2 中国和日本理化学研究所联合资助项目", "拟支持项目数：10 个。", "1,5 中国科技部与日本国际协力机构联合研究项目",
             "1.5 中国科技部与日本国际协力机构联合研究项目："]  # a colon ends a label unless the number is the next
    tree = paragraphs_to_tree([Paragraph(i, t, [], [], [0.9] * len(t)) for i, t in enumerate(texts)])
    assert [n.number for n in tree.children] == ["1.2"]


def test_an_address_piece_ends_at_a_semicolon():
    with_name = "邮箱：a.b@innofond.dk;Sune Dalgaard Ebbesen 博士"
    assert fixes.join_address_pieces(with_name) == with_name


@pytest.mark.parametrize("read, confidences, fixed", [
    ("邮箱：thh@rcn.noo", [1.0, 0.98, 0.37], "邮箱：thh@rcn.no。"),  # 。 glued to the address, read as o
    ("r/2021.htm10", [1.0, 0.93, 0.58], "r/2021.htm1。"),
    (": https://www.jst.go.jp/inquiry/o", [1.0, 1.0, 0.14], ": https://www.jst.go.jp/inquiry/。"),  # after a path's /
    ("见 https://x.org/o", [1.0, 1.0, 0.98], "见 https://x.org/o"),  # a sure o after a / is the path's
    ("和/o", [1.0, 1.0, 0.3], "和/o"),  # a / that ends no address
    ("邮箱：a@yahoo", [1.0, 0.98, 0.97], "邮箱：a@yahoo"),  # a sure o is an o
    # a sure o that would end the address in a country's two letters and an o: no such domain, a 。
    (":jose.conceicao@mcti.gov.bro", [1.0, 0.98, 0.99], ":jose.conceicao@mcti.gov.br。"),
    ("见 https://www.example.cno", [1.0, 0.98, 0.99], "见 https://www.example.cn。"),
    ("邮箱：a@example.pro", [1.0, 0.98, 0.99], "邮箱：a@example.pro"),  # a generic domain
    ("邮箱：a@mail.gov.bio", [1.0, 0.98, 0.99], "邮箱：a@mail.gov.bio"),
    ("see Rio de Janeiro, Brazil. Mexico", [1.0, 0.98, 0.99], "see Rio de Janeiro, Brazil. Mexico"),  # no address
])
def test_final_round_glyph_to_full_stop(read, confidences, fixed):
    assert fixes.final_round_glyph_to_full_stop(read, [1.0] * (len(read) - 3) + confidences) == fixed


@pytest.mark.parametrize("read, dot_confidence, fixed", [
    ("Mr. Tho.mas Hansteen", 0.56, "Mr. Thomas Hansteen"),  # a speck between two letters
    ("sune.dalgaard", 0.95, "sune.dalgaard"),  # a dot read surely is a dot
    ("Scitech@eeas.europa.eu。", 0.45, "Scitech@eeas.europa.eu。"),  # never inside an address
    ("料，·单方申报", 0.49, "料，单方申报"),
    ("(12).大科学装置", 0.45, "(12)大科学装置"),  # after an item number, before Chinese: a speck
    ("(12).大科学装置", 0.95, "(12).大科学装置"),
    ("结束。", 0.3, "结束。"),
])
def test_drop_speck_dots(read, dot_confidence, fixed):
    confidences = [dot_confidence if ch in ".·" else 0.99 for ch in read]
    assert fixes.drop_speck_dots(read, confidences)[0] == fixed


def _line(text: str, confidence: float = 0.99, doubted: dict[int, float] | None = None) -> lines.OcrLine:
    doubted = {k % len(text): v for k, v in (doubted or {}).items()}  # -1: the last character
    confidences = [doubted.get(i, confidence) for i in range(len(text))]
    return lines.OcrLine(text, 0, 0, 10 * len(text), 12, [10 * i + 5.0 for i in range(len(text))], confidences)


@pytest.mark.parametrize("read, dot_at, fixed, doubted", [
    # measured (150 dpi): the 、 read `·` at 0.34; in a label's list it is the comma, doubted
    ("领域方向：农业与水产·传统医药。", 10, "领域方向：农业与水产、传统医药。", "、"),
    ("领域方向：农业与水产·传统医药。", None, "领域方向：农业与水产、传统医药。", "、"),  # read surely: the same
    # elsewhere a doubted `·` between Han characters is dropped as a speck, but its neighbours keep its doubt
    ("支持农业与水产·传统医药等方向，", 7, "支持农业与水产传统医药等方向，", "产传"),
    ("外方联系人：安娜·彼得森", None, "外方联系人：安娜·彼得森", ""),  # a translated name's dot, read surely
    ("Mr. Tho.mas Hansteen", 7, "Mr. Thomas Hansteen", ""),  # a speck between two letters: nothing doubted
])
def test_a_doubted_dot_between_han_characters_is_never_dropped_silently(read, dot_at, fixed, doubted):
    line = fixes.fix_line(_line(read, doubted={dot_at: 0.34} if dot_at is not None else None))
    assert line.text == fixed
    assert "".join(ch for ch, c in zip(line.text, line.confidences) if c < 0.8) == doubted


@pytest.mark.parametrize("read, fixed, doubted", [
    # a space the engine read in a local part (an underscore the blur took, 250 dpi): out, the letters beside
    # it doubted, so the address is named by a needs-review warning
    ("6111,邮箱： tan_wei ling@a-star.edu.sg", "6111,邮箱： tan_weiling@a-star.edu.sg", "il"),
    ("邮箱：tan ling@x.org", "邮箱：tanling@x.org", "nl"),  # after the label's colon
    ("邮箱：a.b c.d@x.org；e.f g@y.org", "邮箱：a.bc.d@x.org；e.fg@y.org", "bcfg"),
    # a word before it that is no piece of it: the space and the word stay, nothing doubted
    ("write to ling@x.org", "write to ling@x.org", ""),
    ("，E-mail ling@x.org", "，E-mail ling@x.org", ""),  # the label, its colon lost
    ("Mr. Tan ling@x.org", "Mr. Tan ling@x.org", ""),
    ("邮箱：nofar.hamrany @innovationisrael．org。", "邮箱：nofar.hamrany@innovationisrael.org。", ""),  # before the @
])
def test_a_space_in_a_local_part_goes_and_its_neighbours_are_doubted(read, fixed, doubted):
    line = fixes.fix_line(_line(read))
    assert line.text == fixed
    assert "".join(ch for ch, c in zip(line.text, line.confidences) if c < 0.8) == doubted
    assert len(line.centers) == len(line.confidences) == len(line.text)


@pytest.mark.parametrize("before, after, fixed_before, fixed_after", [
    # the rest of a URL wrapped onto the next line, read without the address around it
    ("http://ec.europa.eu/data/hi/h202", "o_localsupp_china_en.pdf；中欧", "http://ec.europa.eu/data/hi/h202",
     "0_localsupp_china_en.pdf；中欧"),
    ("https://ec.europa.eu/en/what-work-progra", "m me；中欧科技", "https://ec.europa.eu/en/what-work-progra",
     "mme；中欧科技"),
    ("https://ec.europa.eu/en/what-work-progra", "m:me；中欧科技", "https://ec.europa.eu/en/what-work-progra",
     "mme；中欧科技"),
    ("https://ec.europa.eu/en/what-work-", "programme；中欧", "https://ec.europa.eu/en/what-work-", "programme；中欧"),
    ("https://ec.europa.eu/en/", "what-work-programme；中", "https://ec.europa.eu/en/", "what-work-programme；中"),
    ("邮箱：sune.dalgaard.ebbesen@innofond.d", "k。", "邮箱：sune.dalgaard.ebbesen@innofond.d", "k。"),
    # not after an address: an English line's words and a round o stay
    ("项目执行期一般为2至3年，见附件2", "o_x 中方", "项目执行期一般为2至3年，见附件2", "o_x 中方"),
    ("Contact Dr. Lee at 2021", "on the UK side：", "Contact Dr. Lee at 2021", "on the UK side："),
    ("邮箱：a@b.cn", "14:00前提交", "邮箱：a@b.cn", "14:00前提交"),  # a time stays
    ("见 https://www.nsfc.gov.cn/guide", "and the UK side：", "见 https://www.nsfc.gov.cn/guide", "and the UK side："),
])
def test_wrapped_address_lines(before, after, fixed_before, fixed_after):
    lines = fixes.wrapped_address_lines([_line(before), _line(after)])
    assert [ln.text for ln in lines] == [fixed_before, fixed_after]
    assert all(len(ln.centers) == len(ln.confidences) == len(ln.text) for ln in lines)


def test_a_doubted_hyphen_in_a_continuation_head_is_the_engines():
    after = _line("m-me；中欧", doubted={1: 0.3})
    assert fixes.wrapped_address_lines([_line("https://ec.europa.eu/en/progra"), after])[1].text == "mme；中欧"


def test_a_doubted_dot_ending_an_address_line_is_a_speck():
    before = _line("https://ec.europa.eu/en/what-work-progra.", doubted={-1: 0.4})
    lines = fixes.wrapped_address_lines([before, _line("mme；中欧")])
    assert lines[0].text == "https://ec.europa.eu/en/what-work-progra" and len(lines[0].centers) == len(lines[0].text)
    sure = fixes.wrapped_address_lines([_line("见 www.example."), _line("org；中欧")])
    assert sure[0].text == "见 www.example."  # a dot read surely is part of the address


def _ink(*runs):
    """A line's ink columns from (ink?, width) runs."""
    return [bool(ink) for ink, width in runs for _ in range(width)]


@pytest.mark.parametrize("a, b, engine_space, blank, pitch, expected", [
    ("n", "K", False, 0.35, 0.67, True),  # MartinKyvsgaard: a new capitalised word, a gap
    ("d", "F", False, 0.28, 0.50, True),  # IngeridFossum
    ("c", "D", False, 0.05, 0.33, False),  # McDonald is set tight
    ("C", "C", False, 0.24, 0.50, False),  # CCUS in a fixed-pitch font: wide, but one word
    ("m", "m", True, 0.28, 0.50, False),  # program mes: the engine's space, a fixed-pitch m's blank only
    ("r", "H", True, 0.31, 0.50, True),  # Nofar Hamrany: kept, the image shows a word gap
    ("1", "1", True, 0.30, 0.50, False),  # "1 1" is page 11
    ("2", "3", True, 0.30, 0.67, True),  # +972 3 5118117
    ("m", "m", True, 0.10, 0.33, False),  # programmes: the engine's space, no gap in the image
    ("e", "D", True, 0.37, 0.67, True),  # Sune Dalgaard
    ("r", "t", False, 0.06, 0.33, False),
    ("a", "S", True, 0.23, 0.50, True),  # Silvana Siebert: the engine's space before a capital, a gap
    ("C", "A", True, 0.31, 0.50, False),  # JICA: the engine's space inside an acronym
    ("C", "U", False, 0.30, 0.67, False),  # CCUS at 300 dpi: wide capitals leave a blank, the pitch is a letter's
    ("C", "U", True, 0.30, 0.67, False),
    ("U", "H", True, 0.35, 1.00, True),  # EU H2020: a word space between capitals adds a blank's width
])
def test_is_word_space(a, b, engine_space, blank, pitch, expected):
    assert lines.is_word_space(a, b, engine_space, blank, pitch) is expected


@pytest.mark.parametrize("a, b, blank, pitch, usual, expected", [
    # a serif face's narrow word space (Times / Liberation Serif), letters inside words nearly touching
    ("a", "B", 0.18, 0.67, 0.04, True),  # GiuliaBianchi
    ("r", "v", 0.22, 0.67, 0.04, True),  # Pietervan
    ("n", "d", 0.27, 0.67, 0.04, True),  # vander
    ("c", "h", 0.04, 0.50, 0.04, False),
    ("a", "B", 0.18, 0.50, 0.04, False),  # a blank without a word's pitch
    ("m", "m", 0.28, 0.67, 0.26, False),  # a fixed-pitch face: every letter stands that far apart
    ("C", "U", 0.30, 0.67, 0.04, False),  # an acronym's wide capitals beside tight lower case (CCUS)
    ("a", "B", 0.12, 0.67, 0.02, False),  # under the least word space
    # a blank that wide at three of the engine's steps (1/6 of the line height each): `dela` for `de la` at 250 dpi
    ("e", "l", 0.28, 0.49, 0.08, True),
    ("e", "l", 0.22, 0.49, 0.04, False),  # narrower: a word's pitch needed
    ("e", "l", 0.28, 0.33, 0.08, False),  # two steps: letters side by side
    ("m", "m", 0.28, 0.50, 0.26, False),  # a fixed-pitch face's blanks are usual there
])
def test_a_word_space_is_wide_for_its_line(a, b, blank, pitch, usual, expected):
    assert lines.is_word_space(a, b, False, blank, pitch, usual) is expected


def test_red_seal_ink_is_taken_out_before_reading():
    """Red ink on paper becomes paper; red ink over black text becomes the text; other ink stays."""
    import numpy as np

    from pipeline.reading.ocr.seal import drop_red_ink
    pixels = {"paper": (250, 250, 250), "text": (20, 20, 20), "seal on paper": (228, 104, 104),
              "seal over text": (144, 20, 20), "blue link": (30, 60, 200), "grey": (128, 128, 128)}
    image = np.array([list(pixels.values())], dtype=np.uint8)
    out = drop_red_ink(image)
    assert [tuple(int(v) for v in px) for px in out[0]] == [(250, 250, 250), (20, 20, 20), (255, 255, 255),
                                                              (20, 20, 20), (30, 60, 200), (128, 128, 128)]
    assert image[0, 2].tolist() == [228, 104, 104]  # the image given is left alone
    plain = np.full((2, 2, 3), 200, dtype=np.uint8)
    assert drop_red_ink(plain) is plain


def test_a_speck_in_a_word_space_is_no_ink():
    """A line image's ink columns leave out specks (dust, salt-and-pepper noise): one pixel in a word space cut
    its blank in two on a speckled scan, and the space was lost (`GiuliaBianchi`); a full stop stays ink."""
    import numpy as np

    band = np.full((40, 100), 250, dtype=np.uint8)
    band[5:35, 10:30] = band[5:35, 60:80] = 10  # two letters, a 30-column blank between them
    band[20, 45] = 10  # a speck in the blank
    band[30:34, 85:89] = 10  # a full stop: 4 pixels square at 58 px line height
    columns = lines.ink_columns(band, 58)
    assert lines.blank_run(columns, 20, 70) == 30
    assert columns[85:89].all()
    assert not lines.ink_columns(np.full((40, 100), 128, dtype=np.uint8), 58).any()  # no contrast: no ink


def test_respace_latin_uses_the_image_gap():
    # "ab cd" read without the space; the image has a wide blank between b and c
    ink = _ink((1, 10), (0, 2), (1, 10), (0, 30), (1, 10), (0, 2), (1, 10))
    centers = [5.0, 17.0, 59.0, 71.0]
    text, cs, ps = lines.respace_latin("abCd", centers, [0.9, 0.9, 0.8, 0.9], ink, 60)
    assert text == "ab Cd" and len(cs) == len(ps) == 5 and ps[2] == 0.8
    # and no space between two Han characters, whatever the engine says
    assert lines.respace_latin("中 国", [5.0, 30.0, 55.0], [1, 1, 1], _ink((1, 60)), 60)[0] == "中国"


@pytest.mark.parametrize("image_dpi, dpi", [(None, 200), (72, 150), (150, 150), (200, 200), (300, 300), (600, 300)])
def test_render_dpi_follows_the_scan(image_dpi, dpi):
    assert render.render_dpi(image_dpi) == dpi


def _raw_page(texts: list[str], number: int = 1) -> RawPage:
    chars = [{"text": t, "x0": 80 + 10 * i, "x1": 90 + 10 * i, "top": 100, "bottom": 116, "size": 16,
              "fontname": "F", "upright": True, "matrix": (1, 0, 0, 1, 0, 0), "non_stroking_color": (0,)}
             for i, t in enumerate(texts)]
    return RawPage(number, 595, 842, chars)


@pytest.mark.parametrize("texts, status", [
    (list("中国和以色列产业技术研发合作项目" * 2), "text"),
    (list("中国和以色列产业技术研发合作项目"), "none"),  # a few stray glyphs (a stamp on a scan): OCR the page
    ([], "none"),
    ([" ", " "], "none"),
    ([f"(cid:{i})" for i in range(30)], "undecodable"),
    ([f"(cid:{i})" for i in range(2)] + list("中国和以色列产业技术研发合作项目" * 2), "undecodable"),  # one hole is enough
])
def test_page_text_status(texts, status):
    assert page_text_status(_raw_page(texts)) == status


def _scan_page(labels: list[tuple[str, float]], image_share: float = 1.0) -> RawPage:
    """A scanned page (one image over image_share of it) with text drawn on it: (text, font size) per label."""
    chars, y = [], 30.0
    for text, size in labels:
        x = 40.0
        for t in text:
            width = size * (0.5 if t.isascii() else 1.0)  # Latin glyphs are half an em wide
            chars.append({"text": t, "x0": x, "x1": x + width, "top": y, "bottom": y + size, "size": size,
                          "fontname": "F", "upright": True, "matrix": (1, 0, 0, 1, 0, 0), "non_stroking_color": (0,)})
            x += width
        y += size * 1.8
    side = image_share ** 0.5
    return RawPage(1, 595, 842, chars, [(0, 0, 595 * side, 842 * side)])


BODY_LINE = "中国和以色列产业技术研发合作项目牵头申报单位必须为企业鼓励中方企业"


@pytest.mark.parametrize("labels, image_share, status", [
    # a scanner's label, a page number, a watermark, a stamp's caption over a scan: 40 glyphs → OCR it
    ([("扫描全能王 CamScanner", 7), ("第 3 页", 7), ("转载自 example.org", 9), ("国际合作司（章）", 9)], 1.0, "none"),
    ([("- 8 -", 10)] * 12, 1.0, "none"),  # page numbers only
    ([("转载自 example.org 仅供参考", 4)] * 6, 1.0, "none"),  # 90 tiny glyphs: cover under 2 % of the scan
    # a page of text over a full-page background image (a letterhead): its own text layer
    ([(BODY_LINE, 15.5)] * 20, 1.0, "text"),
    # the same few labels without an image under them: a short page of text
    ([("扫描全能王 CamScanner", 7), ("第 3 页", 7), ("转载自 example.org", 9), ("国际合作司（章）", 9)], 0.0, "text"),
    ([("扫描全能王 CamScanner", 7), ("第 3 页", 7), ("转载自 example.org", 9), ("国际合作司（章）", 9)], 0.3, "text"),
])
def test_thin_text_over_a_scan_is_a_scanned_page(labels, image_share, status):
    page = _scan_page(labels, image_share) if image_share else RawPage(1, 595, 842, _scan_page(labels).chars)
    assert page_text_status(page) == status


def test_never_mode_leaves_the_document_alone():
    from pipeline.reading.pdf import RawDocument
    doc = RawDocument("x.pdf", "0", [_raw_page([])])
    assert ocr.ocr_document(doc, "never") == (doc, None)


def test_a_scan_without_the_engine_names_the_extra(tmp_path, monkeypatch):
    """OCR not installed: one line naming pip install 'guidelines[ocr]', exit 20."""
    from build import blank_scan
    pdf = blank_scan(tmp_path / "scan.pdf", dpi=50)
    monkeypatch.setattr(engine, "load_engine", functools.lru_cache(maxsize=1)(engine.load_engine.__wrapped__))
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails as when not installed
    result = CliRunner().invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "out")])
    assert result.exit_code == 23
    assert "pip install 'guidelines[ocr]'" in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_never_mode_refuses_a_scan_in_one_line(tmp_path):
    from build import blank_scan
    pdf = blank_scan(tmp_path / "scan.pdf", dpi=50)
    result = CliRunner().invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "out"), "--ocr", "never"])
    assert result.exit_code == 7 and "--ocr auto" in result.output and result.output.count("\n") == 1


def test_extract_of_a_text_pdf_never_imports_the_engine():
    code = ("import sys; from pipeline.cli import app; from click.testing import CliRunner; "
            f"r = CliRunner().invoke(app, ['extract', r'{EDITIONS['2021-2'][0]}', '-o', r'{ROOT / '.pytest_cache' / 'no-ocr'}']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2', 'pypdfium2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr


# --- confidence: warnings and the suspect term (no engine) -----------------------------------

def _location(confidence=None):
    loc = {"page": 3, "bbox": [1.0, 2.0, 3.0, 4.0]}
    if confidence is not None:
        loc["ocr"] = {"confidence": confidence}
    return loc


def _edition(budgets: dict[str, tuple[int, float | None]], stated: int) -> dict:
    directions = [{"id": i, "budget_cny": b, "project_count": None, "contacts": [], "fields": [], "requirements": [],
                   "provenance": {"budget_cny": {"text": f"{b // 10000} 万元", "locations": [_location(c)]}}}
                  for i, (b, c) in budgets.items()]
    return {"edition": {"budget_cny": stated, "provenance": {}}, "directions": directions}


def test_low_confidence_values_need_review():
    from pipeline.quality.warnings import ocr_low_confidence
    edition = _edition({"1.1": (20_000_000, 0.99), "1.2": (6_000_000, 0.55), "1.3": (5_000_000, None)}, 31_000_000)
    warnings = ocr_low_confidence(edition)
    assert [(w.direction, w.path) for w in warnings] == [("1.2", "budget_cny")]
    assert "read by OCR with confidence 0.55" in warnings[0].message and "page 3" in warnings[0].message


@pytest.mark.parametrize("text, doubted, word", [
    ("联系人：Zoltán Kovari-Szucs，电话：+972 3 5118117", "K", "Kovari-Szucs"),
    ("共拟支持经费：3500 万元人民币。", "5", "3500"),
    ("邮箱：dorde.zuzic@mzo.hr。", "z", "dorde.zuzic@mzo.hr"),
    ("《中国科技部与日本国际协力机构关于共同研究的谅解备忘录》", "协", "日本国际协力机构关"),  # Han has no word breaks: four characters either side
])
def test_an_ocr_location_names_the_least_sure_word(text, doubted, word):
    from pipeline.structure.paragraphs import Paragraph
    k = text.index(doubted)
    paragraph = Paragraph(0, text, [], [(1, (0.0, 0.0, 1.0, 1.0))] * len(text),
                          [0.4 if i == k else 0.99 for i in range(len(text))])
    assert paragraph.locate(0, len(text))[0]["ocr"] == {"confidence": 0.4, "word": word}


def test_titles_agreements_and_names_read_with_doubt_need_review():
    from pipeline.quality.warnings import ocr_low_confidence
    edition = _edition({"1.1": (20_000_000, 0.99)}, 20_000_000)
    d = edition["directions"][0]
    doubted = {"page": 2, "bbox": [1.0, 2.0, 3.0, 4.0], "ocr": {"confidence": 0.5, "word": "项自"}}
    d["provenance"]["title"] = {"text": "中国和以色列产业技术研发合作项自", "locations": [doubted]}
    d["provenance"]["agreements[0]"] = {"text": "中以协定", "locations": [dict(doubted, ocr={"confidence": 0.6})]}
    d["contacts"] = [{"name": "Kovari", "source": {"text": "Zoltán Kovari，电话", "locations": [
        dict(doubted, ocr={"confidence": 0.5, "word": "Kovari"})]}}]
    found = {w.path: w.message for w in ocr_low_confidence(edition)}
    assert set(found) == {"title", "agreements[0]", "contacts[0]"}
    assert found["title"].startswith("“项自” read by OCR") and found["contacts[0]"].startswith("“Kovari”")


def test_no_review_warnings_for_a_text_layer():
    from pipeline.quality.warnings import ocr_low_confidence
    assert ocr_low_confidence(_edition({"1.1": (20_000_000, None)}, 20_000_000)) == []


def _direction_spelling(title, emails=(), urls=(), organisation=None, confidence=0.97):
    source = {"text": title, "locations": [_location(confidence)]}
    return {"id": "2.8", "title": title, "agreements": [], "urls": list(urls), "fields": [], "requirements": [],
            "partner": {"name": "国际应用系统分析研究所", "iso_code": None, "organisation": organisation},
            "contacts": [{"email": e, "source": source} for e in emails],
            "provenance": {"title": source, **{f"urls[{i}]": source for i, _ in enumerate(urls)}}}


@pytest.mark.parametrize("direction, flagged", [
    # the title's acronym lost a letter; the URL under it kept it (the large 2024-2 scan at 150 dpi)
    (_direction_spelling("中国和国际应用系统分析研究所（IASA）合作项目", urls=["https://iiasa.ac.at/contact"]),
     {"title", "urls[0]"}),
    # the e-mail's host lost a letter; the partner's code (our own table) is the reference, never flagged
    (_direction_spelling("中国和国际应用系统分析研究所合作研究项目", emails=["horvathova@iasa.ac.at"],
                         organisation="IIASA"), {"contacts[0].email"}),
    (_direction_spelling("中国和东盟（ASEAN）合作项目", emails=["a.b@aseam.org"], organisation="ASEAN"),
     {"title", "contacts[0].email"}),
    # spelled alike: nothing to check
    (_direction_spelling("中国和国际应用系统分析研究所（IIASA）合作项目", emails=["x@iiasa.ac.at"],
                         urls=["https://www.iiasa.ac.at/"], organisation="IIASA"), set()),
    # short codes are too few letters to tell a misread from another name (NSF, nsfc.gov.cn)
    (_direction_spelling("中国和美国（NSF）合作项目", emails=["x@nsfc.gov.cn"]), set()),
    # a text layer spells what the document spells: no doubt of reading
    (_direction_spelling("中国和国际应用系统分析研究所（IASA）合作项目", urls=["https://iiasa.ac.at/"],
                         confidence=None), set()),
])
def test_a_name_spelled_one_letter_off_in_its_direction_needs_review(direction, flagged):
    from pipeline.quality.warnings import name_one_letter_off_in_direction
    warnings = name_one_letter_off_in_direction({"edition": {}, "directions": [direction]})
    assert {w.path for w in warnings} == flagged
    assert all(w.direction == "2.8" and "one letter off" in w.message for w in warnings)


@pytest.mark.parametrize("domains, flagged", [
    (["innofond.dk", "innofond.dk", "innofomd.dk"], ["innofomd.dk"]),  # the rarer one is named
    (["innofond.dk", "innofomd.dk"], ["innofomd.dk", "innofond.dk"]),  # as many of each: both
    (["innofond.dk", "mzo.hr"], []),
    (["most.cn", "most.cn"], []),
])
def test_an_email_domain_one_letter_off_another_needs_review(domains, flagged):
    from pipeline.quality.warnings import email_domain_one_letter_off
    directions = [{"id": f"1.{i}", "contacts": [{"email": f"x@{d}"}]} for i, d in enumerate(domains, 1)]
    warnings = email_domain_one_letter_off({"edition": {}, "directions": directions})
    assert sorted(domains[int(w.direction[2:]) - 1] for w in warnings) == flagged
    assert all(w.path == "contacts[0].email" for w in warnings)


@pytest.mark.parametrize("budgets, stated, suspect", [
    # 600 read for 500: of the terms one misread digit away from balancing, the least sure
    ({"1.1": (20_000_000, 0.99), "1.2": (6_000_000, 0.70), "1.3": (5_000_000, 0.98)}, 30_000_000, "1.2"),
    # 1.3 is less sure, but 1000 − 100 = 900 is no one-digit misread (nor 2000 → 1900)
    ({"1.1": (20_000_000, 0.90), "1.2": (6_000_000, 0.95), "1.3": (10_000_000, 0.60)}, 35_000_000, "1.2"),
    # no one-digit candidate: the least sure term
    ({"1.1": (20_000_000, 0.99), "1.2": (6_000_000, 0.80)}, 25_990_000, "1.2"),
])
def test_suspect_ocr_term_names_the_direction(budgets, stated, suspect):
    from pipeline.quality.checks import suspect_ocr_term
    edition = _edition(budgets, stated)
    observed = sum(b for b, _ in budgets.values())
    assert f"direction {suspect}'s budget" in suspect_ocr_term(edition, "budget_cny", observed, stated)


def test_no_suspect_for_a_text_layer():
    from pipeline.quality.checks import suspect_ocr_term
    assert suspect_ocr_term(_edition({"1.1": (20_000_000, None)}, 10_000_000), "budget_cny", 20_000_000,
                            10_000_000) == ""


# --- the engine on rendered scans (slow) -----------------------------------------------------

@pytest.fixture(scope="session")
def born_digital(tmp_path_factory) -> Path:
    from build import Layout, read_styled, render
    out = tmp_path_factory.mktemp("born") / "2021-2.pdf"
    return render(read_styled(TEXT_2021.read_text(encoding="utf-8")), out, Layout(footer="hyphen"))


def _image_key(image) -> str:
    import hashlib
    return hashlib.sha256(image.tobytes()).hexdigest()  # pages are read in threads, in any order


class RecordingReader(engine.EngineReader):
    """The engine, keeping what it read on each page image (pages are rendered the same every time)."""

    def __init__(self):
        super().__init__(threads=1)
        self.pages: dict[str, list[lines.OcrLine]] = {}

    def read(self, image, scale):
        read = super().read(image, scale)
        self.pages[_image_key(image)] = read  # lines are never changed in place: no copy needed
        return read


class ReplayReader:
    """Replays what the engine read on each page image, through alter(lines) → lines."""

    name = "replay"
    dictionary = None

    def __init__(self, pages: dict[str, list[lines.OcrLine]], alter=lambda lines: lines):
        self.pages, self.alter = pages, alter

    def load(self):
        pass

    def read(self, image, scale):
        return self.alter(list(self.pages[_image_key(image)]))


@pytest.fixture(scope="session")
def scanned_edition(born_digital, tmp_path_factory):
    """The 2021-2 text scanned at 200 dpi and extracted once: (out_dir, the engine's lines per page)."""
    if not has_engine():
        pytest.skip("the ocr extra is not installed")
    from build import Scan, scan
    from pipeline.extract import extract_to_dir
    base = tmp_path_factory.mktemp("scan")
    pdf = scan(born_digital, base / "scan200.pdf", Scan(dpi=200))
    reader = RecordingReader()
    _, out = extract_to_dir(pdf, base / "out", "2021-2", ocr_reader=reader)
    return pdf, out, reader.pages


@pytest.mark.slow
@needs_engine
def test_scan_reads_the_edition(scanned_edition):
    """F1 ≥ 0.97 against the hand-written gold facts, every e-mail and phone exact."""
    _, out, _ = scanned_edition
    verdict = score(GOLD_2021, out / "edition.json")
    f1 = float(re.search(r"f1=([\d.]+)", verdict).group(1))
    assert f1 >= 0.97, verdict
    assert not re.search(r"^missed\s+\(.*'contact\.(email|phone)'", verdict, re.M), verdict


@pytest.mark.slow
@needs_engine
def test_ocr_lines_and_confidence_are_kept(scanned_edition):
    _, out, _ = scanned_edition
    layout = json.loads((out / "layout.json").read_text(encoding="utf-8"))
    assert [p["page"] for p in layout["ocr"]["pages"]] == list(range(1, len(layout["pages"]) + 1))
    assert all(p["dpi"] == 200 for p in layout["ocr"]["pages"])
    lines = [ln for p in layout["pages"] for ln in p["lines"]]
    assert lines and all(0 < ln["ocr"]["confidence"] <= 1 for ln in lines)
    # "- 8 -": the detector often does not see a short footer at all; what it reads is dropped as furniture
    from pipeline.structure.furniture import PAGE_NUMBER
    assert not [ln["text"] for ln in lines if PAGE_NUMBER.match(ln["text"].strip())]
    edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    budget = edition["directions"][0]["provenance"]["budget_cny"]
    assert budget["locations"][0]["ocr"]["confidence"] > 0.5
    items = [r["number"] for r in edition["directions"][0]["requirements"]]
    assert items == [1, 2, 3, 4]  # (1) … (4) read


@pytest.mark.slow
@needs_engine
def test_scan_passes_the_gate_and_a_misread_digit_is_caught(scanned_edition, tmp_path):
    """The right scan passes; the same scan with one budget digit misread is withheld, naming the direction."""
    from pipeline.extract import extract_to_dir
    from pipeline.publish.gate import publish_dir
    from pipeline.quality.validate import validate_dir
    pdf, out, read = scanned_edition
    report = validate_dir(out, docs=False)
    assert report.status == "passed", [c.message for c in report.checks if c.status == "failed"]
    assert publish_dir(out, tmp_path / "published").name == "edition.json"

    def misread(page_lines):
        out = []
        for line in page_lines:  # 1.2's budget: 共拟支持经费：3000 万元 → 3500
            if "3000" in line.text and "万元" in line.text:
                k = line.text.index("3000") + 1
                confidences = list(line.confidences)
                confidences[k] = 0.41  # the engine's doubt about the glyph it misread
                line = dataclasses.replace(line, text=line.text[:k] + "5" + line.text[k + 1:], confidences=confidences)
            out.append(line)
        return out

    bad = extract_to_dir(pdf, tmp_path / "bad", "2021-2", ocr_reader=ReplayReader(read, misread))[1]
    assert validate_dir(bad, docs=False).status == "failed"
    failed = json.loads((bad / "validation.json").read_text(encoding="utf-8"))
    message = next(c["message"] for c in failed["checks"] if c["name"] == "direction budgets sum to the stated total")
    assert "direction 1.2's budget" in message, message
    withheld = publish_dir(bad, tmp_path / "published2")
    assert withheld.name == "withheld.json" and "direction 1.2's budget" in withheld.read_text(encoding="utf-8")
    assert any(w["rule"] == "ocr_low_confidence" and w["direction"] == "1.2" for w in failed["warnings"])


@pytest.mark.slow
@needs_engine
@pytest.mark.parametrize("dpi", [150, 300])
def test_contacts_exact_at_other_resolutions(born_digital, tmp_path, dpi):
    """The page with the Israeli contact, scanned at 150 and 300 dpi: e-mail, phone and name exact."""
    from build import Scan, scan
    from pipeline.extract import document_to_paragraphs
    from pipeline.reading.pdf import read_pdf
    from pipeline.records.contacts import text_to_contacts
    pdf = scan(born_digital, tmp_path / f"p{dpi}.pdf", Scan(dpi=dpi, tilt=-1.0), pages=[3])
    doc, report = ocr.ocr_document(read_pdf(pdf), "auto")
    assert report.pages[0]["dpi"] == dpi
    _, paragraphs = document_to_paragraphs(doc, report.to_dict())
    text = "\n".join(p.text for p in paragraphs)
    contacts = [(c.name, c.phone, c.email) for c in text_to_contacts(text, "IL")]
    assert ("Nofar Hamrany", "+97235118117", "nofar.hamrany@innovationisrael.org") in contacts, text


@pytest.mark.slow
@needs_engine
def test_mixed_pdf_is_read_page_by_page(born_digital, tmp_path):
    """A scanned first page, then the text pages: only the scan is OCR'd; the edition is whole."""
    from pypdf import PdfReader, PdfWriter

    from build import Scan, scan
    from pipeline.extract import extract_to_dir
    scanned = scan(born_digital, tmp_path / "first.pdf", Scan(dpi=150), pages=[1])
    writer = PdfWriter()
    writer.add_page(PdfReader(scanned).pages[0])
    for page in PdfReader(born_digital).pages[1:]:
        writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as fh:
        writer.write(fh)
    stages, out = extract_to_dir(mixed, tmp_path / "out")
    assert [p["page"] for p in stages.layout["ocr"]["pages"]] == [1]
    assert stages.edition.edition.id == "2021-2"  # the title is on the scanned page
    assert len(stages.edition.directions) == 8
    assert "Nofar Hamrany" in [c.name for c in stages.edition.directions[0].contacts]


@pytest.mark.slow
@needs_engine
def test_blank_scan_and_photo_are_refused_in_one_line(tmp_path):
    from build import blank_scan, photo
    blank = CliRunner().invoke(app, ["extract", str(blank_scan(tmp_path / "blank.pdf")), "-o", str(tmp_path / "b")])
    assert blank.exit_code == 24 and "blank" in blank.output and blank.output.count("error:") == 1
    picture = CliRunner().invoke(app, ["extract", str(photo(tmp_path / "photo.pdf")), "-o", str(tmp_path / "p")])
    assert picture.exit_code == 8 and "does not look like" in picture.output
    assert not (tmp_path / "b").exists() and not (tmp_path / "p").exists()


def _contacts_of_scanned_page(born_digital, tmp_path, page: int, how) -> tuple[list, str]:
    from build import scan
    from pipeline.extract import document_to_paragraphs
    from pipeline.reading.pdf import read_pdf
    from pipeline.records.contacts import text_to_contacts
    pdf = scan(born_digital, tmp_path / f"p{page}-{how.dpi}.pdf", how, pages=[page])
    doc, report = ocr.ocr_document(read_pdf(pdf), "auto")
    _, paragraphs = document_to_paragraphs(doc, report.to_dict())
    text = "\n".join(p.text for p in paragraphs)
    return text_to_contacts(text, "DK"), text


@pytest.mark.slow
@needs_engine
def test_an_address_wrapped_over_two_lines_is_read_whole_at_150_dpi(born_digital, tmp_path):
    """The Danish contacts' page alone at 150 dpi: the second e-mail wraps after `innofond.d`; it is
    read whole, and no e-mail is published that the page does not hold (a tail such as
    `ebbesen@innofond.dk`). (In the whole 11-page scan the local part's dot is read as `:`; this
    page's own speckle does not reproduce that misread: the rule has its cases in test_fix_ocr_text.)"""
    from build import Scan
    contacts, text = _contacts_of_scanned_page(born_digital, tmp_path, 8, Scan(dpi=150, tilt=-0.7))
    emails = [c.email for c in contacts if c.email]
    assert "sune.dalgaard.ebbesen@innofond.dk" in emails, text
    assert all(e in ("martin.kyvsgaard@innofond.dk", "sune.dalgaard.ebbesen@innofond.dk") for e in emails), emails


# --- words in alphabetic scripts: a second reading (no engine) -------------------------------

V4_LIKE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéáóíüöäàèç")  # lacks ø å æ š ő ß ł …


@pytest.mark.parametrize("first, second, text, doubted", [
    # the second reading is sure: its letters are taken (accents the first could not print)
    ("Soren Ostergaard", [("Søren", 96), ("Østergaard,", 95)], "Søren Østergaard", []),
    ("Ivana Simic Kovacevic", [("Ivana", 96), ("Šimić", 96), ("Kovačević", 96)], "Ivana Šimić Kovačević", []),
    ("JurgenWeis", [("Jürgen", 96), ("Weiß,", 83)], "Jürgen Weiß", []),  # glued words split where it splits
    ("Ase0degard", [("Åse", 96), ("Ødegård", 93)], "Åse Ødegård", []),  # … its capital read as a digit (200 dpi)
    # a space only the second reading has: the first's word stays, doubted (which is right the two cannot tell)
    ("Glorianne Camilleri", [("Glorianne", 96), ("Ca", 93), ("milleri", 95)], "Glorianne Camilleri", [(10, 19)]),
    ("Pietervander Berg", [("Pieter", 96), ("van", 93), ("der", 95), ("Berg", 96)],
     "Pietervander Berg", [(0, 12)]),  # 250 dpi, blur 1.0: the first lost two spaces
    ("Siti Nurhalizabinti Ahmad", [("Siti", 96), ("Nurhaliza", 93), ("binti", 95), ("Ahmad", 96)],
     "Siti Nurhalizabinti Ahmad", [(5, 19)]),
    # a piece of a word the second reading lost is no mark: refused, the word doubted
    ("Mette KjerSorensen", [("Mette", 96), ("Sørensen", 93)], "Mette KjerSorensen", [(6, 18)]),
    ("Jean-Luc", [("Jean-", 95), ("Luc", 95)], "Jean-Luc", []),
    # half sure: letters the first reading's dictionary lacks (ß) confirmed; a mark on one it could have
    # printed (ü) taken, doubted
    ("Weis", [("Weiß", 80)], "Weiß", []),
    ("Lefevre", [("Lefèvre", 67)], "Lefèvre", [(0, 7)]),  # half sure, a mark on the same letter: taken, doubted
    ("Gomez", [("Gómez", 76)], "Gómez", [(0, 5)]),
    ("Aberg", [("Åberg", 76)], "Åberg", []),  # Å the first cannot print: the dictionary rule confirms it
    ("Lefevre", [("Lefèvre", 55)], "Lefevre", [(0, 7)]),  # under 60: the image must show it
    # dots are what specks make: the image must show them (`Tän`, the one false mark of 36, at 150 dpi)
    ("Tan", [("Tän", 82)], "Tan", [(0, 3)]), ("Jurgen", [("Jürgen", 80)], "Jurgen", [(0, 6)]),
    # unsure or other words: the first reading stays, unconfirmed (a needs-review warning)
    ("Zoltan Kovari-Szucs", [("Zoltán", 93), ("Kővári-Szúűcs,", 56)], "Zoltán Kovari-Szucs", [(7, 19)]),
    ("Dorde Zuzic", [("Đorđe", 26), ("Žužić,", 95)], "Dorde Žužić", [(0, 5)]),
    ("Hansteen", [("Hamburg", 96)], "Hansteen", [(0, 8)]),
    ("Hansteen", [], "Hansteen", [(0, 8)]),
])
def test_reconcile_two_readings(first, second, text, doubted):
    assert words.reconcile(first, [(w, float(c)) for w, c in second], V4_LIKE) == (text, doubted)


@pytest.mark.parametrize("first, sure_of, second, text, doubted", [
    # a sure second reading that drops a letter the first read surely is a lost glyph, not an accent: refused
    ("Thabo Nkosi", 0.99, [("Thabo", 95), ("kosi", 92)], "Thabo Nkosi", "Nkosi"),
    ("Claire Dubois", 0.99, [("Claire", 96), ("Duboi", 95)], "Claire Dubois", "Dubois"),
    # … a letter the first itself doubted (a speck read as a letter) may go
    ("Thabo Nkosi", {6: 0.4}, [("Thabo", 95), ("kosi", 92)], "Thabo kosi", ""),
    # letters put in or changed are the second reading's to give
    ("Jii Dvorak", 0.99, [("Jiří", 96), ("Dvořák", 95)], "Jiří Dvořák", ""),
    # a doubled letter read once is refused even where the first doubted it: the count is no mark
    ("IIASA", {1: 0.6}, [("IASA", 93)], "IIASA", "IIASA"),
    ("Jaakko Virtanen", {2: 0.7}, [("Jakko", 95), ("Virtanen", 96)], "Jaakko Virtanen", "Jaakko"),
    ("Anna Muller", {7: 0.7}, [("Anna", 95), ("Müler", 70)], "Anna Muller", "Muller"),
    # … a doubled letter read twice is the second's to mark
    ("Anna Muller", 0.99, [("Anna", 95), ("Müller", 95)], "Anna Müller", ""),
])
def test_a_sure_second_reading_never_drops_a_letter_read_surely(first, sure_of, second, text, doubted):
    confidences = [sure_of] * len(first) if isinstance(sure_of, float) else \
        [sure_of.get(i, 0.99) for i in range(len(first))]
    got, spans = words.reconcile(first, [(w, float(c)) for w, c in second], V4_LIKE, confidences)
    assert got == text and " ".join(got[a:b] for a, b in spans) == doubted


def test_a_half_sure_second_reading_changes_only_letters_the_first_doubted():
    # `Weis`: the first reading doubted its s (a ß it cannot print): taken; `research` read surely: a speck's dot
    # over e or c is no letter
    assert words.reconcile("Weis", [("Weiß", 80.0)], V4_LIKE, [0.99, 0.99, 0.99, 0.46]) == ("Weiß", [])
    assert words.reconcile("research", [("rẹsearċh", 80.0)], V4_LIKE, [0.99] * 8) == ("research", [(0, 8)])


def test_the_rest_of_a_wrapped_address_is_not_read_again():
    assert words.runs_to_check([_line("research_and_innovation_cooperation_0.pdf；中欧")]) == []
    # an e-mail's last letter wrapped onto the next line with its full stop read as o: read again, Tesseract
    # glued `k o` into `ko`, and the fix that reads the lone o as 。 no longer applied (`innofond.dko`)
    assert words.runs_to_check([_line("邮箱：sune.dalgaard.ebbesen@innofond.d"), _line("k o")]) == []
    # a name after an address that ended its line is still read again
    runs = words.runs_to_check([_line("邮箱：sune.dalgaard.ebbesen@innofond.dk"), _line("Sune Dalgaard Ebbesen 博士")])
    assert [r.text for r in runs] == ["Sune Dalgaard Ebbesen"]
    runs = words.runs_to_check([_line("网址：https://ec.europa.eu/programmes/horizon2020/en/what-work-"),
                                _line("programme；联系人：Søren Østergaard")])
    assert [r.text for r in runs] == ["Søren Østergaard"]


@pytest.mark.parametrize("word, foreign", [
    ("AHHa", True), ("BoJIK0Ba", True), ("TtpyocTIα", True), ("Анна", True),
    ("Søren", False), ("JICA", False), ("Hansteen", False), ("ECHO", False), ("Mercator", False),
])
def test_looks_foreign(word, foreign):
    assert words.looks_foreign(word) is foreign


def test_skeleton_sets_accents_case_and_look_alikes_aside():
    assert words.skeleton("Østergaard") == words.skeleton("ostergaard")
    assert words.skeleton("Анна") == words.skeleton("AHHa")
    assert words.skeleton("Weiß") == words.skeleton("Weiss")


class FakeWords:
    """A second reader that reads every crop as given, each word where it is given, or at the middle of the
    crop."""

    available = True
    name = "fake"

    def __init__(self, readings):
        self.readings = readings

    def load(self):
        return True

    def read(self, crops, script):
        found = self.readings.get(script, [])
        return [[(*word[:2], word[2] if len(word) > 2 else (crop.shape[1] / 2, crop.shape[0] / 2)) for word in found]
                for crop in crops]


def _page_of(text: str, confidence: float = 0.99):
    import numpy as np
    line = _line(text, confidence)
    return words.page_runs([line], np.full((40, 10 * len(text) * 3), 255, dtype=np.uint8), 3.0)


def test_second_reading_replaces_confirmed_letters_and_doubts_the_rest():
    page = _page_of("联系人：Soren Ostergaard，电话")
    out = words.second_reading([page], FakeWords({"latin": [("Søren", 96.0), ("Østergaard", 95.0)]}), V4_LIKE)[0][0]
    assert out.text == "联系人：Søren Østergaard，电话" and len(out.centers) == len(out.confidences) == len(out.text)
    assert out.changes[-1].fix == "second_reading"
    doubted = words.second_reading([page], FakeWords({"latin": [("Hamburg", 96.0)]}), V4_LIKE)[0][0]
    assert doubted.text == page.lines[0].text
    assert [c for ch, c in zip(doubted.text, doubted.confidences) if ch.isalpha() and ch.isascii()] == [0.5] * 15
    # Cyrillic read as Latin look-alikes: the Cyrillic reading, when sure, is taken
    cyrillic = _page_of("联系人：AHHa，电话")
    read = FakeWords({"latin": [("AHHa", 95.0)], "foreign": [("Анна", 96.0)]})
    assert words.second_reading([cyrillic], read, V4_LIKE)[0][0].text == "联系人：Анна，电话"
    # two Cyrillic names the second reading glued into one word: a capital inside it starts the next name
    glued = _page_of("联系人：AHHa BoJIKoBa，电话")
    read = FakeWords({"latin": [("AHHa", 95.0), ("BoJIKoBa", 95.0)], "foreign": [("АннаВолкова", 96.0)]})
    assert words.second_reading([glued], read, V4_LIKE)[0][0].text == "联系人：Анна Волкова，电话"


@pytest.mark.parametrize("first, foreign, text, doubted", [
    # Cyrillic and Greek read as Latin look-alikes too far from the letters for the likeness rule
    ("Onmer CMupHoB", [("Олег", 96.0), ("Смирнов,", 92.0)], "Олег Смирнов", ""),
    ("MunomⅡIerpoBuh", [("Милош", 96.0), ("Петровић,", 95.0)], "Милош Петровић", ""),
    ("TepyLos Iaπα8oπouXoc", [("Γεώργιος", 95.0), ("Παπαδόπουλος", 93.0), ("᾿", 39.0)], "Γεώργιος Παπαδόπουλος", ""),
    ("IMuTpuiBonkoB", [("Дмитрий", 95.0), ("Волков;", 81.0)], "Дмитрий Волков", "Волков"),  # fairly sure: doubted
    # Latin names the Cyrillic model reads unsurely: the first reading stays, doubted
    ("ArohaNgata", [("Атоһа", 76.0), ("№аѓа;", 17.0)], "ArohaNgata", "ArohaNgata"),
    ("MmeClaire Dubois", [("Уд", 0.0), ("бае", 49.0), ("Болой,", 22.0)], "MmeClaire Dubois", "MmeClaire Dubois"),
    ("HerrJurgen Weis", [("Нетт", 74.0), ("Јігреп", 8.0), ("Меіб,", 1.0)], "HerrJurgen Weis", "HerrJurgen Weis"),
])
def test_a_sure_cyrillic_or_greek_reading_replaces_look_alikes(first, foreign, text, doubted):
    """Measured Tesseract readings (Cyrillic+Greek models) of the large scans' runs."""
    page = _page_of(f"联系人：{first}，电话")
    read = FakeWords({"latin": [(w, 50.0) for w in first.split()], "foreign": foreign})
    out = words.second_reading([page], read, V4_LIKE)[0][0]
    assert out.text == f"联系人：{text}，电话"
    low = [m.group() for m in regex.finditer(r"\S+", text)
           if min(out.confidences[4 + m.start():4 + m.end()]) <= words.WORD_DOUBT]
    assert " ".join(low) == doubted


def _found_around(page, around, name):
    """Tesseract's words for the page's one run: each junk word (word, confidence, side) just outside the run's
    letters on its side, and the name's own words ("word confidence") in the middle of its letters, in order."""
    x0, top, x1, bottom = page.cores[0]
    middle = ((x0 + x1) / 2, (top + bottom) / 2)
    where = {"left": (x0 - 3, middle[1]), "right": (x1 + 3, middle[1]), "above": (middle[0], top - 2),
             "below": (middle[0], bottom + 2)}
    found = [(word, conf, where[side]) for word, conf, side in around]
    for k, taken in enumerate(name):
        word, conf = taken.split()
        found.append((word, float(conf), (x0 + (k + 1) * (x1 - x0) / (len(name) + 1), middle[1])))
    return found


@pytest.mark.parametrize("first, around, name, cyrillic", [
    # measured (LibreOffice's tight line spacing, tilted 1.1°, 200 dpi): the crop showed the ends of the lines
    # above and below and the Han characters beside the name; each junk word where it was (above, below,
    # left or right of the name's letters)
    ("OneKcaHup leBueHK", [('"-"..Ἠ.νμν', 0.0, "left"), ("аш", 6.0, "right")], ["Олександр 96", "Шевченко 90"],
     "Олександр Шевченко"),
    ("HpocnaBa KoBanbuyk", [("ΗΕΒΗΘΗΚΟ", 79.0, "above"), ("ог", 0.0, "above"), ("113", 93.0, "below"),
                            (",", 88.0, "below"), ("иң", 37.0, "right"), (":", 77.0, "below"), ("+381", 69.0, "below")],
     ["Ярослава 96", "Ковальчук 92"], "Ярослава Ковальчук"),
    ("HypmaHEpMeKOB", [("ейп", 0.0, "left"), ("σων", 69.0, "above"), ("с", 52.0, "right")], ["Нурлан 96", "Ермеков 95"],
     "Нурлан Ермеков"),
])
def test_words_outside_the_names_letters_do_not_spoil_a_sure_cyrillic_reading(first, around, name, cyrillic):
    """Tesseract's words whose centre is outside the run's letters (`words.run_core`) are another line's or a
    neighbour's: dropped before the Cyrillic reading is judged, which was refused for them before."""
    page = _page_of(f"联系人：{first}，电话")
    found = _found_around(page, around, name)
    read = FakeWords({"latin": [(w, 50.0) for w in first.split()], "foreign": found})
    assert words.second_reading([page], read, V4_LIKE)[0][0].text == f"联系人：{cyrillic}，电话"
    # every word kept, the run's letters were never the judge: the junk alone is what spoiled it
    assert words.sure_foreign(first, [w[:2] for w in found]) is None


@pytest.mark.parametrize("first, second, alike", [
    # measured: how the first engine printed Cyrillic it lacks, beside Tesseract's Cyrillic reading
    ("IMurpui BonkoB", "Дмитрий Волков", True), ("IMuTpuiBonkoB", "Дмитрий Волков", True),  # й as i, д as I
    ("Oner CMupHoB", "Олег Смирнов", True), ("HpocnaBa KoBanbuyk", "Ярослава Ковальчук", True),
    ("Teoprn MBaHoB", "Георги Иванов", True),  # Г as T, И as M
    ("AHHa", "Анна", True), ("BoJIKOBa", "Волкова", True), ("OneKcaHup", "Олександр", True),
    ("Oner CMupHoB", "Олег Смирнова", False),  # a letter more
    ("Oner CMupHoB", "Олег Свирнов", False),  # в is never m
    ("Naledi", "Наледи", False),  # и is never i
    ("", "Олег", False), ("Oner", "", False), ("Oner", "Oлег", False),  # a Latin O in the second: no table letter
])
def test_a_reading_spelled_as_the_first_engine_prints_its_letters(first, second, alike):
    assert words.spelled_alike(first, second) is alike


@pytest.mark.parametrize("first, latin, foreign, text, doubted", [
    # measured (ReportLab, 250 dpi, blur 1.0, speckle 0.4 %, JPEG 45): Tesseract's Cyrillic unsure of one word,
    # its Latin unsure of all; both spell the first engine's look-alikes letter for letter: taken, Дмитрий doubted
    ("IMurpui BonkoB", [("-JMuTpuă", 0.0), ("BoJKos", 23.0)], [("„Дмитрий", 38.0), ("Волков,", 95.0)],
     "Дмитрий Волков", "Дмитрий"),
    ("Oner CMupHoB", [("“Oner", 88.0), ("CMAPHOB,", 26.0)], [("Олег", 31.0), ("Смирнов,", 96.0)],
     "Олег Смирнов", "Олег"),
    # a Latin name the Latin model reads surely is never taken for Cyrillic look-alikes, however alike
    ("McKenna", [("McKenna", 93.0)], [("МсКенна", 45.0)], "McKenna", ""),
    # nor a Cyrillic reading that spells other letters
    ("Oner CMupHoB", [("“Oner", 88.0), ("CMAPHOB,", 26.0)], [("Олег", 31.0), ("Свирнов,", 96.0)],
     "Oner CMupHoB", None),
])
def test_an_unsure_cyrillic_reading_spelled_as_the_first_is_taken(first, latin, foreign, text, doubted):
    page = _page_of(f"联系人：{first}，电话")
    out = words.second_reading([page], FakeWords({"latin": latin, "foreign": foreign}), V4_LIKE)[0][0]
    assert out.text == f"联系人：{text}，电话"
    if doubted is not None:
        low = "".join(ch for ch, c in zip(out.text, out.confidences) if c <= words.WORD_DOUBT).strip()
        assert low == doubted


@pytest.mark.parametrize("first, around, name, text", [
    # measured (LibreOffice's tight line spacing, tilted 1.1°, 300 dpi, Latin model): the ends of the lines above
    # and below read as words, which had left both names unconfirmed (`Zsofia KOVACS`, `Francois Lefevre`)
    ("Zsofia KOVACS", [("ICS", 79.0, "above"), ("l", 49.0, "left"), ("me", 37.0, "above"), ("JOGEIE", 0.0, "below"),
                       ("hue", 34.0, "below"), (";", 85.0, "right"), ("OIA", 29.0, "below")],
     ["Zsófia 96", "KOVÁCS 96"], "Zsófia KOVÁCS"),
    ("Francois Lefevre", [(".", 65.0, "left"), ("lo", 68.0, "above"), ("lafaema", 31.0, "below"), ("An", 36.0, "below"),
                          ("L", 48.0, "right"), (",", 71.0, "right")],
     ["François 96", "Lefèvre 92"], "François Lefèvre"),
])
def test_words_outside_the_names_letters_do_not_spoil_a_latin_reading(first, around, name, text):
    """The Latin reading is judged on the words centred in the run's letters too (`words.in_core`)."""
    page = _page_of(f"联系人：{first}，电话")
    found = _found_around(page, around, name)
    out = words.second_reading([page], FakeWords({"latin": found}), V4_LIKE)[0][0]
    assert out.text == f"联系人：{text}，电话"
    assert min(out.confidences[4:4 + len(text)]) > words.WORD_DOUBT, "confirmed"
    # all the words together: the junk is what left the name unconfirmed
    assert words.reconcile(first, [w[:2] for w in found], V4_LIKE)[1]


@pytest.mark.parametrize("slope, band", [
    # a line box 20 pt high over 500 pt: level, its text fills the box; tilted 1.15° (0.02), the text is 10 pt
    # high and runs from y 105 at its left end to 115 at its right: the run at the right end is in 108–120
    (0.0, (100, 120)),
    (0.02, (108.4, 119.6)),
    (-0.02, (100.4, 111.6)),
])
def test_a_runs_core_on_a_tilted_line_is_its_texts_band(slope, band):
    line = lines.OcrLine("联系人：" + "x" * 7, 0, 100, 500, 120, [20.0 * i for i in range(4)] + [420.0 + 10 * i for i in range(7)],
                         [0.99] * 11, slope=slope)
    run = words.Run(0, 4, 11, "x" * 7)
    x0, top, x1, bottom = words.run_core(line, run, 1.0, slope, (0, 0))
    assert (top, bottom) == pytest.approx(band, abs=0.05)
    height = band[1] - band[0] - abs(slope) * 60  # the text's height
    assert (x0, x1) == pytest.approx((420 - height / 4, 480 + height / 4), abs=0.05)


@pytest.mark.parametrize("at, kept", [
    ((50, 15), True), ((10, 10), True), ((90, 20), True),  # inside, edges included
    ((50, 8), False), ((50, 22), False),  # above or below: another line's
    ((9, 15), False), ((91, 15), False),  # beside: the Han character next to the name, its comma
])
def test_in_core_keeps_the_words_centred_in_the_runs_letters(at, kept):
    assert words.in_core([("Анна", 96.0, at)], (10, 10, 90, 20)) == ([("Анна", 96.0)] if kept else [])


def test_without_a_second_reader_only_what_may_be_wrong_is_doubted():
    out = words.second_reading([_page_of("联系人：Zoltán Kovacs，电话")], None, V4_LIKE)[0][0]
    # á's family (ő …) is not all in the dictionary: Zoltán may be wrong; Kovacs is read surely
    doubted = [ch for ch, c in zip(out.text, out.confidences) if c <= words.WORD_DOUBT]
    assert "".join(doubted) == "Zoltán"


def _page_drawn(label: str, printed: str, read: str, tail: str = "，电话"):
    """A page image with `printed` drawn (Liberation Serif, 10.5 pt at 200 dpi, blurred), and its line as a
    reading gave it: label + read + tail, the name's characters at their drawn centres."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    face = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    if not Path(face).exists():
        pytest.skip("fonts-liberation2 is not installed")
    scale, px, x0 = 200 / 72, 29, 200
    font = ImageFont.truetype(face, px)
    image = Image.new("L", (x0 + int(font.getlength(printed)) + 150, 90), 255)
    ImageDraw.Draw(image).text((x0, 25), printed, font=font, fill=0)
    image = np.array(image.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB"))
    drawn = [x0 + (font.getlength(printed[:i]) + font.getlength(printed[:i + 1])) / 2 for i in range(len(printed))]
    assert len(read) == len(printed)
    text = label + read + tail
    centers = [(x0 - 30 * (len(label) - i)) / scale for i in range(len(label))] + [c / scale for c in drawn] + \
              [(drawn[-1] + 30 * (i + 1)) / scale for i in range(len(tail))]
    line = lines.OcrLine(text, centers[0] - 5, 20 / scale, centers[-1] + 5, 65 / scale, centers, [0.99] * len(text))
    return words.page_runs([line], image, scale)


@pytest.mark.parametrize("printed, read, final, doubted", [
    # both readings lost the acutes; í read as i is not seen (a mark above it either way), á is
    ("Katarína Horváthová", "Katarina Horvathova", "Katarina Horvathova", "Horvathova"),
    ("Lars Åberg", "Lars Aberg", "Lars Aberg", "Aberg"),
    ("Mette Sørensen", "Mette Sorensen", "Mette Sorensen", "Sorensen"),
    # a word space lost: the image shows it, so it is put back, and the words on either side are doubted
    ("Pieter van der Berg", "Pietervan der Berg", "Pieter van der Berg", "Pieter van"),
    ("Sarah O'Connor", "SarahO'Connor", "Sarah O'Connor", "Sarah O'Connor"),
    ("Lars Larsen", "Lars Larsen", "Lars Larsen", ""), ("Fiona McDonald", "Fiona McDonald", "Fiona McDonald", ""),
])
def test_ink_the_reading_does_not_explain_doubts_its_word(printed, read, final, doubted):
    """Both readings agree on a name (Tesseract sure of every word), but the image holds an accent, a ring,
    a slash or a word space neither printed: that word is doubted (a lost space is put back); a name whose
    image shows nothing more is not."""
    label = "联系人："
    page = _page_drawn(label, printed, printed)
    if len(read) < len(printed):  # the reading lost a space: the image has it, the reading's centres skip it
        gone = next(i for i, (a, b) in enumerate(zip(printed, read + " ")) if a != b)
        line, k = page.lines[0], len(label) + gone
        line = dataclasses.replace(line, text=line.text[:k] + line.text[k + 1:], centers=line.centers[:k]
                                   + line.centers[k + 1:], confidences=line.confidences[:k] + line.confidences[k + 1:])
    else:
        line = dataclasses.replace(page.lines[0], text=label + read + "，电话")
    page = words.PageRuns([line], words.runs_to_check([line]), page.crops, page.scale, page.origins)
    out = words.second_reading([page], FakeWords({"latin": [(w, 96.0) for w in read.split()]}), V4_LIKE)[0][0]
    assert out.text == label + final + "，电话"
    assert len(out.centers) == len(out.confidences) == len(out.text)
    low = [m.group() for m in regex.finditer(r"\S+", final)
           if min(out.confidences[len(label) + m.start():len(label) + m.end()]) <= words.WORD_DOUBT]
    assert " ".join(low) == doubted


@pytest.mark.parametrize("text, name", [
    ("箱：soren.aero@innofond.dk;Mette Kjer Sorensen博士，电话", "Mette Kjer Sorensen"),  # after an e-mail and `;`
    ("(3)外方联系人：Dr.Katarina Horvathova，电话", "Katarina Horvathova"),  # a title's full stop
    ("(3)捷方联系人：Ing.Jii Dvorak，电话", "Jii Dvorak"),
])
def test_a_name_glued_to_an_address_or_a_title_is_read_again(text, name):
    assert name in [run.text for run in words.runs_to_check([_line(text)])]


def test_addresses_are_not_read_again():
    runs = words.runs_to_check([_line("邮箱：sune.dalgaard@innofond.dk，网址：https://www.rcn.no/x")])
    assert runs == []


@pytest.mark.slow
@needs_engine
def test_a_scan_with_stray_glyphs_is_read_by_ocr_and_passes_the_gate(born_digital, tmp_path):
    """Scanned pages carrying a scanner's label, page numbers, a watermark and a stamp's caption as text
    (40 glyphs a page): --ocr auto reads them by OCR (not as a 40-glyph text, exit 8); the edition passes."""
    from build import Scan, scan, stray_glyphs
    from pipeline.quality.validate import validate_dir
    scanned = scan(born_digital, tmp_path / "scan.pdf", Scan(dpi=200))
    pdf = stray_glyphs(scanned, tmp_path / "stray.pdf")
    result = CliRunner().invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    layout = json.loads((tmp_path / "out" / "layout.json").read_text(encoding="utf-8"))
    assert len(layout["ocr"]["pages"]) == len(layout["pages"])
    report = validate_dir(tmp_path / "out", docs=False)
    assert report.status == "passed", [c.message for c in report.checks if c.status == "failed"]
    verdict = score(GOLD_2021, tmp_path / "out" / "edition.json")
    assert float(re.search(r"f1=([\d.]+)", verdict).group(1)) >= 0.97, verdict


@pytest.fixture(scope="session")
def alphabet_edition(tmp_path_factory):
    """The 2021-2 text with contacts named in every partner alphabet (synthetic), born digital, and gold."""
    from build import FONT_FILES, Layout, names_in_every_alphabet, read_styled, render
    if not all(Path(FONT_FILES[f][0]).exists() for f in ("uming", "dejavu")):
        pytest.skip("fonts-arphic-uming and fonts-dejavu-core are needed for these letters")
    gold = json.loads(GOLD_2021.read_text(encoding="utf-8"))
    styled, gold = names_in_every_alphabet(read_styled(TEXT_2021.read_text(encoding="utf-8")), gold)
    out = tmp_path_factory.mktemp("alphabets")
    return render(styled, out / "alphabets.pdf", Layout(font="uming", latin_font="dejavu", footer="hyphen")), gold


# every letter of ø å æ š č ć ž đ ő ű ł ñ ç ß is in one of these names
ALPHABET_NAMES = ["Zoltán Kővári-Szűcs", "Søren Østergaard", "Åse Ærø Bækgård", "Łukasz Wałęsa", "François Muñoz Peña",
                  "Nguyễn Thị Hương", "Ivana Šimić Kovačević", "Jürgen Weiß", "Анна Волкова", "Đorđe Žužić",
                  "Γιώργος Παπαδόπουλος"]


def test_the_alphabet_names_hold_every_letter():
    assert set("øåæšččćžđőűłñçß") <= set("".join(ALPHABET_NAMES).lower())


@pytest.fixture(scope="session")
def alphabet_scans(alphabet_edition, tmp_path_factory):
    """The alphabet edition scanned at 150, 200 (with a red seal over the text) and 300 dpi and extracted
    and validated once: dpi → (edition, warned (direction, path) pairs, gold)."""
    from build import Scan, scan
    from pipeline.extract import extract_to_dir
    from pipeline.quality.validate import validate_dir
    pdf, gold = alphabet_edition
    out = {}
    for dpi in (150, 200, 300):
        base = tmp_path_factory.mktemp(f"alphabets{dpi}")
        _, folder = extract_to_dir(scan(pdf, base / "scan.pdf", Scan(dpi=dpi, stamp=dpi == 200)), base / "out")
        validate_dir(folder, docs=False)
        warnings = json.loads((folder / "validation.json").read_text(encoding="utf-8"))["warnings"]
        out[dpi] = (json.loads((folder / "edition.json").read_text(encoding="utf-8")),
                    {(w["direction"], w["path"]) for w in warnings if w["rule"] == "ocr_low_confidence"}, gold)
    return out


def _silently_wrong(alphabet_scans, dpi) -> list[tuple]:
    edition, warned, gold = alphabet_scans[dpi]
    expected = {d["id"]: d["contacts"] for d in gold["directions"]}
    return [(d["id"], c["name"], want["name"]) for d in edition["directions"]
            for i, (c, want) in enumerate(zip(d["contacts"], expected[d["id"]]))
            if c["name"] is not None and c["name"] != want["name"] and (d["id"], f"contacts[{i}]") not in warned]


@pytest.mark.slow
@needs_engine
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_names_in_every_alphabet_are_exact_or_flagged(alphabet_scans, dpi):
    """Every contact name read is either exact or named by a needs-review warning: never silently wrong.
    (A name not read at all, e.g. Greek read as Latin look-alikes, is left empty.)"""
    # (the Vietnamese tones and Åse cut at a line break, once read alike wrong by both readings, are flagged now)
    assert _silently_wrong(alphabet_scans, dpi) == []
    edition, _, gold = alphabet_scans[dpi]
    names = {c["name"] for d in edition["directions"] for c in d["contacts"]}
    # the second reading restores most names' letters (the engine alone prints none of ø Ø ł ę Š č ć Ž ž ñ ç)
    restored = {"Søren Østergaard", "Łukasz Wałęsa", "Ivana Šimić Kovačević", "François Muñoz Peña", "Анна Волкова"}
    assert len(restored & names) >= 3, names


@pytest.mark.slow
@needs_engine
# at 150 dpi the Greek contact's phone was lost until its name's look-alikes were read; at 200 dpi the seal over
# the EU mailbox cut its domain until its red ink was taken out
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_phones_and_emails_of_the_alphabet_scan_are_exact(alphabet_scans, dpi):
    edition, _, gold = alphabet_scans[dpi]
    expected = {d["id"]: [(c["phone"], c["email"]) for c in d["contacts"]] for d in gold["directions"]}
    for d in edition["directions"]:
        assert [(c["phone"], c["email"]) for c in d["contacts"]] == expected[d["id"]], d["id"]


def _tilted_page(theta_degrees: float, indent_of_third: float = 0.0):
    """Lines of a page set level (left edge 80 pt, pitch 20 pt, 14 pt high, 400 pt wide; the third line
    indented), then turned by theta about the origin as a tilted scan shows them: axis-aligned boxes."""
    import math

    theta = math.radians(theta_degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    out = []
    for k in range(5):
        x0, top, width, height = 80 + (indent_of_third if k == 2 else 0), 100 + 20 * k, 400, 14
        corners = [(x0, top), (x0 + width, top), (x0 + width, top + height), (x0, top + height)]
        turned = [(x * cos - y * sin, x * sin + y * cos) for x, y in corners]
        xs, ys = [p[0] for p in turned], [p[1] for p in turned]
        centers = [x0 + 10 * i + 5 for i in range(40)]
        mid_y = top + height / 2
        out.append(lines.OcrLine("字" * 40, min(xs), min(ys), max(xs), max(ys),
                                 [c * cos - mid_y * sin for c in centers], [0.99] * 40, slope=math.tan(theta)))
    return out


@pytest.mark.parametrize("theta", [0.7, -0.7, 1.5])
def test_a_tilted_scans_lines_are_measured_level(theta):
    """Tilted 0.7°, lines drift ~2 pt a line to the side and a long line's box grows 5 pt: turned level, the
    left edge, the pitch and the height are the page's again, and an indent still shows."""
    level = lines.deskewed(_tilted_page(theta, indent_of_third=21))
    lefts = [round(ln.x0, 1) for ln in level]
    assert lefts[:2] == lefts[3:] == [lefts[0]] * 2 and abs(lefts[2] - lefts[0] - 21) < 0.5
    tops = [ln.top for ln in level]
    assert all(abs((b - a) - 20) < 0.3 for a, b in zip(tops, tops[1:]))
    assert all(abs((ln.bottom - ln.top) - 14) < 0.3 for ln in level)
    assert all(abs(ln.slope) < 1e-9 for ln in level)


def test_a_level_scan_or_too_few_long_lines_are_left_alone():
    page = _tilted_page(0.05)  # under 0.1°: nothing to turn
    assert lines.deskewed(page) is page
    short = [dataclasses.replace(ln, x1=ln.x0 + 30) for ln in _tilted_page(0.7)]  # no line tells the tilt
    assert lines.deskewed(short) is short


@pytest.mark.parametrize("first, second, sure, marked, text", [
    ("Simic", "Šimić", 81.0, {0, 4}, "Šimić"),  # the image shows both marks: taken (doubted)
    ("Odon", "Ödön", 41.0, {0, 2}, "Ödön"),
    # half sure (60–90), marks on the same letters: taken (doubted) whatever the image shows (`_marks_only`)
    ("Simic", "Šimić", 81.0, {0}, "Šimić"),
    ("Simic", "Šimić", 81.0, set(), "Šimić"),
    ("Simic", "Šimić", 55.0, {0}, "Simic"),  # under that, a mark the image does not show: not taken
    ("Simic", "Šimić", 55.0, set(), "Simic"),
    ("Simic", "Šimić", 35.0, {0, 4}, "Simic"),  # too unsure even so
    ("Weis", "Weiß", 70.0, {3}, "Weis"),  # another letter, not a mark on the same one (the dictionary rule decides)
])
def test_an_unsure_second_reading_is_taken_where_the_image_shows_its_marks(first, second, sure, marked, text):
    got, doubted = words.reconcile(first, [(second, sure)], V4_LIKE, [0.99] * len(first), frozenset(marked))
    assert (got, doubted) == (text, [(0, len(text))])


@pytest.mark.parametrize("first, second, text", [
    ("KOVACS", "kovács", "KOVÁCS"),  # Tesseract lowercases a surname in capitals
    ("KOVAcS", "kovács", "KOVÁCS"),  # … and the first reading's one small letter is its own slip
    ("Kovacs", "kovács", "Kovács"),
    ("KOVAcS", "KOVÁCS", "KOVÁCS"),  # a second reading with capitals keeps its case
])
def test_a_second_reading_takes_the_case_the_page_prints(first, second, text):
    assert words.reconcile(first, [(second, 96.0)], V4_LIKE, [0.99] * len(first)) == (text, [])


@pytest.mark.parametrize("previous, heading, number", [
    ("2.10 中国和国际科学理事会合作项目", "211中国和亚太经合组织科技创新合作项目", "2.11"),  # not 21.1
    ("1.9 中国和捷克政府间科技合作项目", "110中国和克罗地亚政府间科技合作项目", "1.10"),
    ("1.2 中国和日本联合研究项目", "13中国和新加坡政府间科技合作项目", "1.3"),
])
def test_a_direction_number_that_lost_its_dot_opens_the_next_direction(previous, heading, number):
    from pipeline.structure.outline import paragraphs_to_tree
    from pipeline.structure.paragraphs import Paragraph

    texts = [previous, "拟支持项目数：10 个。", heading, "拟支持项目数：20 个。"]
    tree = paragraphs_to_tree([Paragraph(i, t, [], [], [0.9] * len(t)) for i, t in enumerate(texts)])
    assert [n.number for n in tree.children if n.kind == "direction"][1:] == [number]


@pytest.mark.parametrize("label, is_field", [("其他要求", True), ("申报要求", True), ("领域方向", True),
                                             ("合作背景", False)])
def test_an_ocr_label_that_lost_its_colon_still_opens_its_field(label, is_field):
    """`其他要求` alone on its line, its colon lost, before (1)…: the items are that field's requirements."""
    from pipeline.structure.outline import paragraphs_to_tree
    from pipeline.structure.paragraphs import Paragraph

    texts = ["1.3 中国和新加坡政府间科技合作项目", "拟支持项目数：4 个。", label, "(1)项目执行期一般不超过3年；"]
    tree = paragraphs_to_tree([Paragraph(i, t, [], [], [0.9] * len(t)) for i, t in enumerate(texts)])
    fields = [(n.label, n.field) for n in tree.walk() if n.kind == "field"]
    assert ((label, "requirements") in fields or (label, "fields") in fields) == is_field
    typed = paragraphs_to_tree([Paragraph(i, t, [], [], [None] * len(t)) for i, t in enumerate(texts)])
    assert label not in [n.label for n in typed.walk() if n.kind == "field"]  # a text layer's is no misreading


def _boxed(text, x0, top, x1, bottom):
    return lines.OcrLine(text, x0, top, x1, bottom, [x0 + (x1 - x0) * (i + 0.5) / len(text) for i in range(len(text))],
                         [0.99] * len(text))


@pytest.mark.parametrize("before, tiny, after, fixed", [
    # the label's colon wrapped to the next line's head, found as a box of its own and read `1` (measured boxes)
    ("话：+358 29533 0000，邮箱", "1", "matti.jarvinen@businessfinland.fi", "：matti.jarvinen@businessfinland.fi"),
    ("(3）中方联系人：马丽，电话", "l", "0951-504 1234", "：0951-504 1234"),
    # no contact label before it: a 1 of its own stays (`10个项目` split by the detector)
    ("拟支持项目数：", "1", "0个项目", None),
])
def test_a_colon_read_alone_as_a_box_of_its_own_joins_its_line(before, tiny, after, fixed):
    found = fixes.colon_read_alone([_boxed(before, 120, 529, 513, 552), _boxed(tiny, 89, 561, 100, 569),
                                    _boxed(after, 93.6, 555, 300, 575)])
    if fixed is None:
        assert [line.text for line in found] == [before, tiny, after]
    else:
        assert [line.text for line in found] == [before, fixed]
        assert found[1].changes[-1].fix == "colon_read_alone" and len(found[1].centers) == len(fixed)


@pytest.mark.parametrize("read, fixed", [
    # an amount carried over a line break inside item 1 is no item 2 (review: `2万元` had become `2.万元`)
    (["1.每个项目资助经费不超过", "2万元，实行包干制；", "2.申报单位须符合以下条件："],
     ["1.每个项目资助经费不超过", "2万元，实行包干制；", "2.申报单位须符合以下条件："]),
    (["(1)项目执行期不超过", "3年；", "(2)外方联系人"], ["(1)项目执行期不超过", "3年；", "(2)外方联系人"]),
    # item 2 printed already: a bare 2 before Han text is text
    (["1.中方单位", "2.外方单位", "2外方单位须…"], ["1.中方单位", "2.外方单位", "2外方单位须…"]),
    # the list before (another direction's) does not count: its item 1 is not between this 1 and its 2
    (["1.中方单位", "2.外方单位", "1.6 中国和比利时政府间科技合作项目", "申报要求：", "1项目执行期一般不超过4年；", "2.申报单位"],
     ["1.中方单位", "2.外方单位", "1.6 中国和比利时政府间科技合作项目", "申报要求：", "1.项目执行期一般不超过4年；", "2.申报单位"]),
    # an item's closing bracket lost (250 dpi, blur 1.0): its list's brackets put back
    (["（1）申报单位应满足以下条件：", "①在中国大陆境内注册；", "（2）项目执行期一般不超过3年；", "（3中方联系人：王磊，电话："],
     ["（1）申报单位应满足以下条件：", "①在中国大陆境内注册；", "（2）项目执行期一般不超过3年；", "（3）中方联系人：王磊，电话："]),
    (["1.中方单位", "2.外方单位", "（3中方联系人"], ["1.中方单位", "2.外方单位", "（3中方联系人"]),  # not this list's style
    (["（1）中方单位", "（2）外方单位", "（3）中方联系人"], ["（1）中方单位", "（2）外方单位", "（3）中方联系人"]),
    (["（1）中方单位", "（2）外方单位", "（3年内完成）"], ["（1）中方单位", "（2）外方单位", "（3年内完成）"]),  # 3年: no item
])
def test_an_amount_or_a_printed_item_is_no_lost_item_number(read, fixed):
    assert [line.text for line in fixes.item_number_marks([_line(text) for text in read])] == fixed


@pytest.mark.parametrize("read, fixed", [
    ("执行期为二～三年", "执行期为二～三年"), ("周一～周五办公", "周一～周五办公"),  # a range of Han numerals
    ("外方联系人：安娜·彼得森，电话：", "外方联系人：安娜·彼得森，电话："),  # a name's dot
    ("外方联系人：安娜·彼得森", "外方联系人：安娜·彼得森"),
    ("Budget +10.5 %", "Budget +10.5 %"), ("Contact:+10:30", "Contact:+10:30"),  # no phone label there
    ("Tel: +1 800.555.1234", "Tel: +1 800.555.1234"),  # a printed dot stays
])
def test_the_scan_fixes_leave_what_they_do_not_mean_alone(read, fixed):
    assert fixes.fix_line(_line(read)).text == fixed


@pytest.mark.parametrize("first, second", [("Weiss", "weiß"), ("Straße", "strasse"), ("STRASSE", "straße")])
def test_a_second_reading_with_an_sz_keeps_its_letters(first, second):
    """ß is one letter whose small form is two (ss): matching the readings letter by letter must not fail."""
    text, _ = words.reconcile(first, [(second, 96.0)], V4_LIKE, [0.99] * len(first))
    assert text.casefold().replace("ß", "ss") == first.casefold().replace("ß", "ss")


@pytest.mark.parametrize("first, found, text", [
    # measured: a crop taller than its line (LibreOffice's tight spacing) shows the lines above and below
    ("Zsofia KOVACS", [("IUS", 58.0), ("L", 58.0), ("Zsófia", 96.0), ("ama", 32.0), ("JOGE", 44.0), ("baaa", 32.0),
                       ("KOVÁCS", 95.0), (";", 82.0), ("WA", 43.0), (">e", 36.0)], "Zsófia KOVÁCS"),
    ("Odon Szuics", [("i", 41.0), ("Ődön", 42.0), ("MEN,", 23.0), ("Szűcs", 93.0), ("E", 41.0), ("o", 25.0)],
     "Odon Szűcs"),  # Ődön at 42: not taken without the image's marks
])
def test_words_from_the_lines_around_do_not_spoil_the_second_reading(first, found, text):
    assert words.reconcile(first, found, V4_LIKE, [0.99] * len(first))[0] == text


@pytest.mark.parametrize("first, found, text, doubted", [
    # a second reading a word short loses no word: the words it read are taken, the one it did not stays
    # the first's, unconfirmed
    ("Jii Dvorak", [("Dvořák", 93.0)], "Jii Dvořák", "Jii"),
    ("Mette Kjer Sorensen", [("Kjær", 92.0), ("Sørensen", 94.0)], "Mette Kjær Sørensen", "Mette"),
    # measured (150 dpi, blurred, JPEG 50): Tesseract lost the first word
    ("Durdica Simic Cacic", [("E", 6.0), ("Šimić", 96.0), ("Čačić,", 94.0)], "Durdica Šimić Čačić", "Durdica"),
    # each word to the one that spells it best, never to a longer neighbour
    ("Lars Larsen", [("Larsen", 95.0)], "Lars Larsen", "Lars"),
    ("Jii Dvorak", [("Jiří", 91.0), ("Dvořák", 93.0)], "Jiří Dvořák", ""),  # like the word, if not in the run
    ("Jii Dvorak", [("Petrov", 95.0)], "Jii Dvorak", "Jii Dvorak"),  # another word: nothing taken
])
def test_a_second_reading_never_drops_a_word(first, found, text, doubted):
    got, spans = words.reconcile(first, found, V4_LIKE, [0.99] * len(first))
    assert got == text and " ".join(got[a:b] for a, b in spans) == doubted
