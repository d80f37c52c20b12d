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
