"""Outline stage: which paragraphs open sections, directions, fields and items."""

import pytest

from pipeline.structure.layout import Line
from pipeline.structure.outline import paragraphs_to_tree
from pipeline.structure.paragraphs import Paragraph


def paragraphs(*texts, size=16.0):
    out = []
    for i, text in enumerate(texts):
        line = Line(1, text, 80, 100 + 30 * i, 500, 116 + 30 * i, "F", size, [None] * len(text))
        out.append(Paragraph(i, text, [line], [None] * len(text)))
    return out


def kinds(tree):
    return [(n.kind, n.number, n.field) for n in tree.walk()][1:]


@pytest.mark.parametrize("heading, is_direction", [
    ("1.1 中国和以色列产业技术研发合作项目", True),
    ("1.10 中国和新西兰政府间科技合作项目", True),
    ("2.3 中国—东盟科技伙伴计划", True),  # no ISO partner, but a programme
    ("3.1 申报材料须通过国家科技管理信息系统在线提交。", False),  # a sentence
    ("1.5 万元以下的项目不予支持", False),  # an amount, not a number
    ("3.2 联系方式", False),  # neither partner nor programme
])
def test_direction_headings(heading, is_direction):
    tree = paragraphs_to_tree(paragraphs("二、领域和方向", heading, "拟支持项目数：3 个。"))
    assert ("direction" in [n.kind for n in tree.walk()]) is is_direction


def test_tree_of_a_direction():
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", "1.1 中国和丹麦政府间科技合作项目", "合作协议：《谅解备忘录》。", "合作领域：",
        "(1) 循环经济。通过发展循环经济解决方案。", "拟支持项目数量：4~5 个。", "拟安排国拨经费：0.2 亿元。", "申报要求：",
        "（1）项目执行期原则上不超过 3 年；", "(2) 丹方联系人：Martin Kyvsgaard，", "邮箱：martin.kyvsgaard@innofond.dk。",
        "三、申报要求", "1. 申报单位应具有独立法人资格。"))
    assert kinds(tree) == [
        ("section", "二", None), ("direction", "1.1", None), ("field", None, "agreements"), ("field", None, "fields"),
        ("item", 1, None), ("field", None, "project_count"), ("field", None, "budget"), ("field", None, "requirements"),
        ("item", 1, None), ("item", 2, None), ("paragraph", None, None),  # the e-mail continues item (2)
        ("section", "三", None), ("paragraph", None, None)]  # general rules are no direction's items


# --- groups of directions and sub-clauses of a requirement --------------------------------------

def _requirements(tree):
    return [[(n.kind, n.number) for n in d.walk() if n.kind in ("item", "paragraph")]
            for d in tree.walk() if d.kind == "direction"]


@pytest.mark.parametrize("first, second", [
    ("（一）政府间双边科技合作", "（二）多边机制及国际组织合作"),
    ("(一) 双边合作项目", "(二) 多边合作项目"),
    ("1. 政府间双边科技合作项目", "2. 多边机制及国际组织合作项目"),
    ("1、双边合作", "2、多边合作"),
])
def test_group_headings_open_groups(first, second):
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", first, "1.1 中国和丹麦政府间科技合作项目", "其他要求：", "1. 项目执行期不超过 3 年；",
        "2. 丹方联系人：Martin Kyvsgaard，邮箱：mk@innofond.dk。", second, "2.1 中国—东盟科技伙伴计划联合研究项目",
        "其他要求：", "1. 项目执行期不超过 2 年。"))
    groups = [n for n in tree.walk() if n.kind == "group"]
    assert [g.number for g in groups] == [first[1] if first[0] in "（(" else "1", second[1] if second[0] in "（(" else "2"]
    assert [[c.number for c in g.children] for g in groups] == [["1.1"], ["2.1"]]
    # the second heading is no item (2) of direction 1.1, nor text of its last item
    assert _requirements(tree) == [[("item", 1), ("item", 2)], [("item", 1)]]


@pytest.mark.parametrize("texts", [
    ("1. 政府间双边科技合作项目", "2. 牵头单位须为企业。"),  # a sentence, not a heading
    ("1. 政府间双边科技合作项目", "2. 丹麦合作项目"),  # no direction 2.1 after it: an item
])
def test_numbered_paragraphs_that_head_no_group_stay_items(texts):
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", "1.1 中国和丹麦政府间科技合作项目", "其他要求：", *texts, "1.2 中国和挪威政府间科技合作项目"))
    assert [n.kind for n in tree.walk()].count("group") == 0
    assert _requirements(tree)[0] == [("item", 1), ("item", 2)]


@pytest.mark.parametrize("subs", [
    ("①具有独立法人资格；", "②具有良好合作基础；", "③项目负责人具有高级职称。"),
    ("1. 具有独立法人资格；", "2. 具有良好合作基础；", "3. 项目负责人具有高级职称。"),
    ("a) 具有独立法人资格；", "b) 具有良好合作基础；", "c) 项目负责人具有高级职称。"),
    ("（a）具有独立法人资格；", "（b）具有良好合作基础；", "（c）项目负责人具有高级职称。"),
])
def test_sub_clauses_stay_in_their_requirement(subs):
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", "1.1 中国和新加坡政府间科技合作项目", "其他要求：", "(1) 项目执行期一般不超过 3 年；",
        "(2) 申报单位应满足以下条件：", *subs, "(3) 项目合作双方须分别提交申报材料。"))
    assert [n.number for n in tree.walk() if n.kind == "item"] == [1, 2, 3]
    second = [n for n in tree.walk() if n.kind == "item"][1]
    assert [c.text for c in second.children] == list(subs)


def test_circled_items_of_their_own_field_are_items():
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", "1.1 中国和新加坡政府间科技合作项目", "领域方向：", "①人工智能；", "②先进制造。",
        "其他要求：", "(1) 项目执行期一般不超过 3 年。"))
    assert [(n.kind, n.number) for n in tree.walk() if n.kind == "item"] == [("item", 1), ("item", 2), ("item", 1)]


@pytest.mark.xfail(strict=True, reason="a group heading without a number is read as text of the last requirement")
def test_unnumbered_group_heading():
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", "1.1 中国和丹麦政府间科技合作项目", "其他要求：", "(1) 项目执行期不超过 3 年。",
        "多边机制及国际组织合作", "2.1 中国—东盟科技伙伴计划联合研究项目", "其他要求：", "(1) 项目执行期不超过 2 年。"))
    last = [n for n in tree.walk() if n.kind == "item"][0]
    assert last.children == []


def test_only_the_heading_nearest_the_group_opens_it():
    """A field item `2. 人工智能` before the real group heading stays an item."""
    tree = paragraphs_to_tree(paragraphs(
        "二、领域和方向", "1. 双边合作", "1.1 中国和丹麦政府间科技合作项目", "领域方向：", "1. 循环经济", "2. 人工智能",
        "其他要求：", "(1) 项目执行期不超过 3 年。", "2. 多边合作", "2.1 中国—东盟科技伙伴计划联合研究项目",
        "其他要求：", "(1) 项目执行期不超过 2 年。"))
    assert [g.text for g in tree.walk() if g.kind == "group"] == ["双边合作", "多边合作"]
    fields = next(n for n in tree.walk() if n.kind == "field" and n.field == "fields")
    assert [c.number for c in fields.children] == [1, 2]


@pytest.mark.parametrize("texts, titles", [
    # a body-size title whose line break cut 专项 (a scan's reading gives every line the body size)
    (["国家重点研发计划“政府间国际科技创新合作”重点专", "项2024年度第二批项目申报指南", "为落实政府间科技合作协定，科技部编制形成本批次项目申报指南。",
      "一、指南说明"], 2),
    (["国家重点研发计划“政府间国际科技创新合作”重点专项", "2024年度第二批项目申报指南", "为落实……。", "一、指南说明"], 2),
    (["为落实政府间科技合作协定，科技部编制形成本批次项目申报指南。", "一、指南说明"], 0),  # a sentence is no title
    # the word must cross the break: one wholly in the next paragraph's head makes no title of this one
    (["科技部办公厅", "通知各有关单位做好申报工作，现将有关事项通知如下。", "一、指南说明"], 0),
])
def test_a_title_cut_by_its_line_break_is_a_title(texts, titles):
    tree = paragraphs_to_tree(paragraphs(*texts))
    assert [n.kind for n in tree.children[:titles]] == ["title"] * titles
    assert titles == len(tree.children) or tree.children[titles].kind != "title"
