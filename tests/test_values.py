"""Tables of real cases for every value parser (expectations written from the wording)."""

import pytest

from pipeline.records import values
from pipeline.records.contacts import split_honorific, text_to_contacts, to_e164
from pipeline.structure.furniture import PAGE_NUMBER
from pipeline.structure.markers import field_kind, cn_number
from pipeline.records.partners import find_partner
from pipeline.text import clean, fix_halfwidth_punct_in_cjk, fix_spaces_around_cjk, split_top_level


@pytest.mark.parametrize("text, lo, hi, approx", [
    ("不超过 10 个。", None, 10, False),
    ("不超过10个", None, 10, False),
    ("不超过 2 项。", None, 2, False),
    ("10 个。", 10, 10, False),
    ("１０ 个", 10, 10, False),  # full-width digits
    ("4~5 个。", 4, 5, False),
    ("4～5 个", 4, 5, False),
    ("4 〜 5 个", 4, 5, False),
    ("4-5 个", 4, 5, False),
    ("4－5 个", 4, 5, False),
    ("4—5 个", 4, 5, False),
    ("4–5 项", 4, 5, False),
    ("4 至 5 项", 4, 5, False),
    ("4 个至 5 个", 4, 5, False),
    ("10 项左右", 10, 10, True),
    ("约 10 项", 10, 10, True),
    ("79~82项左右", 79, 82, True),
    ("最多 6 个", None, 6, False),
    ("原则上不超过 3 个", None, 3, False),
    ("3 个以内", None, 3, False),
    ("不少于 2 个", 2, None, False),
    ("8", 8, 8, False),  # a bare number after the label
    ("10~12", 10, 12, False),
])
def test_parse_project_count(text, lo, hi, approx):
    got = values.parse_project_count(text)
    assert (got.min, got.max, got.approximate) == (lo, hi, approx)
    assert got.text == text.strip()


@pytest.mark.parametrize("text", ["若干", "", "视情况而定"])
def test_parse_project_count_says_nothing(text):
    assert values.parse_project_count(text) is None


@pytest.mark.parametrize("text, lo, hi", [
    ("不超过十个", None, 10), ("三至五项", 3, 5), ("十二个", 12, 12), ("两项", 2, 2), ("十个", 10, 10),
    ("十二项", 12, 12), ("二十个左右", 20, 20), ("八～十个", 8, 10), ("五到八项", 5, 8), ("不少于三个", 3, None),
    ("十五个以内", None, 15), ("一百个", 100, 100), ("拟支持项目数：十二项。", 12, 12),
    # a count written in words without a unit (拟支持项目数：十)
    ("十", 10, 10), ("十。", 10, 10), ("三至五", 3, 5), ("十二；", 12, 12),
])
def test_parse_project_count_chinese_numerals(text, lo, hi):
    got = values.parse_project_count(text)
    assert (got.min, got.max) == (lo, hi)


@pytest.mark.parametrize("text", ["十分重要", "若干项"])
def test_parse_project_count_chinese_words_that_are_not_counts(text):
    assert values.parse_project_count(text) is None


@pytest.mark.parametrize("text, yuan, printed", [
    ("2000 万元人民币。", 20_000_000, "2000 万元"),
    ("2000万元", 20_000_000, "2000万元"),
    ("２０００万元人民币", 20_000_000, "２０００万元"),  # .text is the span as printed: full-width digits kept
    ("480 万元人民币", 4_800_000, "480 万元"),
    ("2.578 亿元", 257_800_000, "2.578 亿元"),
    ("2.578亿元", 257_800_000, "2.578亿元"),
    ("0.2 亿元人民币", 20_000_000, "0.2 亿元"),
    ("1 亿元", 100_000_000, "1 亿元"),
    ("1,200 万元", 12_000_000, "1,200 万元"),
    ("不超过 300 万元", 3_000_000, "300 万元"),
    ("30000000 元", 30_000_000, "30000000 元"),
    ("国拨经费总概算 2.208 亿元", 220_800_000, "2.208 亿元"),
    ("1500万人民币", 15_000_000, "1500万人民币"),
    ("２．５ 亿元", 250_000_000, "２．５ 亿元"),
])
def test_parse_amount(text, yuan, printed):
    got = values.parse_amount(text)
    assert (got.yuan, got.text) == (yuan, printed)


@pytest.mark.parametrize("text", ["待定", "另行通知", "2000 个"])
def test_parse_amount_says_nothing(text):
    assert values.parse_amount(text) is None


@pytest.mark.parametrize("text, yuan, printed", [
    ("两千万元", 20_000_000, "两千万元"), ("三百万元人民币", 3_000_000, "三百万元"), ("一亿元", 100_000_000, "一亿元"),
    ("一千零五十万元", 10_500_000, "一千零五十万元"), ("国拨经费总概算两亿元", 200_000_000, "两亿元"),
    ("两亿元", 200_000_000, "两亿元"), ("两亿元人民币", 200_000_000, "两亿元"), ("五百万元", 5_000_000, "五百万元"),
    ("二点五亿元", 250_000_000, "二点五亿元"), ("一亿两千万元", 120_000_000, "一亿两千万元"),
    ("十二亿元", 1_200_000_000, "十二亿元"), ("不超过八百万元", 8_000_000, "八百万元"),
    # digits with a Chinese unit word: 千/百 after digits belong to the unit
    ("2.5千万元", 25_000_000, "2.5千万元"), ("3千万元", 30_000_000, "3千万元"), ("5百万元", 5_000_000, "5百万元"),
    ("2亿5千万元", 250_000_000, "2亿5千万元"), ("1亿2000万元", 120_000_000, "1亿2000万元"),
    ("８千元", 8_000, "８千元"),
])
def test_parse_amount_chinese_numerals(text, yuan, printed):
    got = values.parse_amount(text)
    assert (got.yuan, got.text) == (yuan, printed)


@pytest.mark.parametrize("text, yuan, printed", [
    # capital (大写) numerals, as money is written on forms and in some guidelines
    ("伍佰万元", 5_000_000, "伍佰万元"), ("贰仟万元人民币", 20_000_000, "贰仟万元"), ("壹亿元", 100_000_000, "壹亿元"),
    ("壹亿贰仟万元", 120_000_000, "壹亿贰仟万元"), ("叁佰伍拾万元", 3_500_000, "叁佰伍拾万元"),
    # the 亿 part of a mixed amount, in every script
    ("1亿2000万元", 120_000_000, "1亿2000万元"), ("１亿２０００万元", 120_000_000, "１亿２０００万元"),
    ("每个项目不超过1亿2000万元", 120_000_000, "1亿2000万元"), ("两亿五千万元", 250_000_000, "两亿五千万元"),
    ("国拨经费总概算两亿五千万元。", 250_000_000, "两亿五千万元"),
    # an approximate or bounded amount: the amount, its words kept out of the span
    ("2000万元左右", 20_000_000, "2000万元"), ("约 2000 万元", 20_000_000, "2000 万元"),
    ("原则上不超过 1.5 亿元", 150_000_000, "1.5 亿元"), ("不超过５００万元", 5_000_000, "５００万元"),
    # the span is the amount as printed, not the field around it (a cap sentence after it stays out)
    ("共拟支持经费：2000 万元人民币，每个项目不超过 500 万元。", 20_000_000, "2000 万元"),
    ("1,500万元", 15_000_000, "1,500万元"), ("１，５００万元", 15_000_000, "１，５００万元"),
])
def test_parse_amount_spans_and_numerals(text, yuan, printed):
    got = values.parse_amount(text)
    assert (got.yuan, got.text) == (yuan, printed)


@pytest.mark.parametrize("text", [
    "1亿2000元", "十分重要",
    # a range is not one amount: which end would it be? (a wrong budget is worse than none)
    "300~500万元", "300～500 万元", "300-500万元", "300 至 500 万元", "三百至五百万元", "300万元至500万元",
    "1亿至2亿元",
])
def test_parse_amount_refuses_what_it_cannot_read_safely(text):
    assert values.parse_amount(text) is None


def test_docstring_examples_run():
    """The examples in the parsers' docstrings are doctests, and they pass."""
    import doctest

    from pipeline.records import derived, money

    for module in (values, money, derived):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0, module.__name__


@pytest.mark.parametrize("text, expected", [
    ("经与有关合作方磋商议定，将设立八个指南方向，支持与七个国家开展合作，拟支持项目数为六十七至七十个，"
     "国拨经费总概算两亿两千零八十万元。", {"direction_count": 8, "partner_count": 7, "budget_cny": 220_800_000}),
    ("将设立十个指南方向，与十二个国家和地区开展合作，国拨经费总概算2.5千万元。",
     {"direction_count": 10, "partner_count": 12, "budget_cny": 25_000_000}),
])
def test_preamble_totals_in_chinese_numerals(text, expected):
    from pipeline.records.build import preamble_totals
    from pipeline.structure.outline import Node

    found, _ = preamble_totals([Node("paragraph", text)])
    assert {k: found[k] for k in expected} == expected
    if "六十七" in text:
        assert (found["project_count"].min, found["project_count"].max) == (67, 70)


@pytest.mark.parametrize("text, lo, hi", [
    ("项目执行期一般为 2 至 3 年。", 2, 3),
    ("项目执行期原则上不超过 4 年；", None, 4),
    ("项目执行期一般不超过 2 年；", None, 2),
    ("项目实施周期为 3 年", 3, 3),
    ("每个项目实施周期一般为2~3年", 2, 3),
    ("执行期 2－3 年", 2, 3),
    ("项目执行期不超过 36 个月", None, 3),
    ("项目执行期 3 年以内", None, 3),
    ("项目执行期一般不超过三年", None, 3),
])
def test_parse_duration(text, lo, hi):
    got = values.parse_duration(text)
    assert (got.min, got.max) == (lo, hi)


@pytest.mark.parametrize("text", ["鼓励中方企业与进入 2020 年中以创新创业大赛总决赛的以方企业开展合作",
                                  "2018—2020 年工作方案", "项目执行期一般视情况而定"])
def test_parse_duration_ignores_other_years(text):
    assert values.parse_duration(text) is None


def test_max_duration_takes_the_longest_stated():
    assert values.max_duration_years(["项目执行期一般为 2 至 3 年。", "单方申报项目无效"]) == 3
    assert values.max_duration_years(["项目执行期一般不超过 4 年；", "项目执行期一般为 2 至 3 年。"]) == 4
    assert values.max_duration_years(["项目执行期一般为 2 至 3 年。", "项目执行期一般不超过 4 年；"]) == 4
    assert values.max_duration_years(["单方申报项目无效"]) is None


@pytest.mark.parametrize("text, titles", [
    ("《中华人民共和国政府与马耳他政府科学技术合作协定》。", ["中华人民共和国政府与马耳他政府科学技术合作协定"]),
    ("《A 协定》《中国科技部与以色列创新署关于 2021 年度产业技术研发合作项目的会议纪要》",
     ["A协定", "中国科技部与以色列创新署关于2021年度产业技术研发合作项目的会议纪要"]),
    ("《关于〈某某〉的议定书》", ["关于〈某某〉的议定书"]),
    ("无", []),
])
def test_parse_agreements(text, titles):
    assert values.parse_agreements(text) == titles


@pytest.mark.parametrize("text, title", [
    ("合作依据：《中国—太平洋岛国应对气候变化合作中心合作框架", "中国—太平洋岛国应对气候变化合作中心合作框架"),  # 》。 lost
    ("《A协定》和《中国和新西兰科学技术合作协定。", "中国和新西兰科学技术合作协定"),
    ("《中华人民共和国政府和 澳大利亚政府科学技术合作协定\n其他说明：无", "中华人民共和国政府和澳大利亚政府科学技术合作协定"),
    ("《中华人民共和国政府与马耳他政府科学技术合作协定》。", None),
    ("《关于〈某某〉的议定书》", None),
    ("无", None), ("依据《", None), ("依据《A。", None),
])
def test_unclosed_agreement(text, title):
    assert values.unclosed_agreement(text) == title


@pytest.mark.parametrize("text, name, topics, description", [
    ("农业、食品和生物技术；", "农业、食品和生物技术", [], None),
    ("新一代信息网络：5G 通讯技术、光通讯技术、处理器（CPU）技术；", "新一代信息网络",
     ["5G通讯技术", "光通讯技术", "处理器（CPU）技术"], None),
    ("新材料: 石墨烯技术、纳米材料;", "新材料", ["石墨烯技术", "纳米材料"], None),
    ("航天：卫星应用技术（小卫星及载荷技术)、遥感技术(深空探测、卫星成像);", "航天",
     ["卫星应用技术（小卫星及载荷技术）", "遥感技术（深空探测、卫星成像）"], None),
    ("二氧化碳捕集、封存与利用 (CCUS)。研发低成本的方案。", "二氧化碳捕集、封存与利用（CCUS）", [], "研发低成本的方案。"),
    ("交通和工业部门的绿色燃料 (“电转 X” 等)。考虑到……", "交通和工业部门的绿色燃料（“电转X”等）", [], "考虑到……"),
    ("环境（包括但不限于可持续城镇化、气候变化等）；", "环境（包括但不限于可持续城镇化、气候变化等）", [], None),
])
def test_parse_field_item(text, name, topics, description):
    got = values.parse_field_item(text)
    assert (got.name, got.topics, got.description) == (name, topics, description)


@pytest.mark.parametrize("text, names", [
    ("环境（含能源）、医疗、减灾防灾。", ["环境（含能源）", "医疗", "减灾防灾"]),
    ("公共卫生与疫情防控。", ["公共卫生与疫情防控"]),
    ("食品安全；环境与气候变化", ["食品安全", "环境与气候变化"]),
])
def test_parse_field_list(text, names):
    assert values.parse_field_list(text) == names


@pytest.mark.parametrize("text, unrestricted", [
    ("不限领域。", True), ("不限", True), ("领域不限。", True), ("不限 领域", True),
    ("医疗、不限于此", False), ("交通", False),
])
def test_is_unrestricted(text, unrestricted):
    assert values.is_unrestricted(text) is unrestricted


@pytest.mark.parametrize("text, urls", [
    ("网址：https://www.jica.go.jp/china/office/others/pr/2021.html。", ["https://www.jica.go.jp/china/office/others/pr/2021.html"]),
    ("指南: https://ec.europa.eu/a/h2020,", ["https://ec.europa.eu/a/h2020"]),
    ("见 http://mcst.gov.mt/fund/。", ["http://mcst.gov.mt/fund/"]),
    ("https://a.org/x_0.pdf;", ["https://a.org/x_0.pdf"]),
    ("（见 https://a.org/page）", ["https://a.org/page"]),
    ("see https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
    ("方案：http://x.org/a；常见问题：https://y.org/b", ["http://x.org/a", "https://y.org/b"]),
    ("www.most.gov.cn。", ["www.most.gov.cn"]),
    ("邮箱：ifo@rcn.no", []),
])
def test_find_urls(text, urls):
    assert [u for u, _, _ in values.find_urls(text)] == urls


@pytest.mark.parametrize("text, emails", [
    ("邮箱：ifo@rcn.no；", ["ifo@rcn.no"]),
    ("邮箱：Silvana.Siebert@mzo.hr。", ["Silvana.Siebert@mzo.hr"]),
    ("Delegation-China-Scitech@eeas.europa.eu。", ["Delegation-China-Scitech@eeas.europa.eu"]),
    ("a@b.c", []),
])
def test_find_emails(text, emails):
    assert [e for e, _, _ in values.find_emails(text)] == emails


@pytest.mark.parametrize("title, year, batch", [
    ("2021 年度第二批项目申报指南", 2021, 2),
    ("2022年度第一批项目申报指南", 2022, 1),
    ("２０２３年度第十二批", 2023, 12),
    ("2024 年度项目申报指南", 2024, None),
    ("第3批 2025年度", 2025, 3),
])
def test_parse_year_batch(title, year, batch):
    assert values.parse_year_batch(title) == (year, batch)


@pytest.mark.parametrize("text, number", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7),
                                          ("两千", 2000), ("一千零五", 1005), ("三百", 300)])
def test_cn_number(text, number):
    assert cn_number(text) == number


@pytest.mark.parametrize("label, kind", [
    ("合作协议", "agreements"), ("合作协定", "agreements"), ("合作协议依据", "agreements"),
    ("领域方向", "fields"), ("合作领域", "fields"), ("支持领域", "fields"), ("研究方向", "fields"),
    ("拟支持项目数", "project_count"), ("拟支持项目数量", "project_count"), ("支持项目数", "project_count"),
    ("共拟支持经费", "budget"), ("拟安排国拨经费", "budget"), ("国拨经费", "budget"), ("支持资金", "budget"),
    ("其他要求", "requirements"), ("申报要求", "requirements"), ("其它要求", "requirements"),
    ("欧方联系邮箱", "contacts"), ("丹方联系人", "contacts"),
    ("电话", None), ("邮箱", None), ("网址", None),
])
def test_field_kind(label, kind):
    assert field_kind(label) == kind


@pytest.mark.parametrize("text", ["— 3 —", "—3—", "- 3 -", "3", "第 3 页 共 13 页", "第3页", "3 / 13", "Page 3 of 13",
                                  "－ 12 －", "共 13 页 第 3 页"])
def test_page_number_forms(text):
    assert PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["1.1 中国和以色列", "(3) 交通；", "2021 年度", "3 个"])
def test_not_page_numbers(text):
    assert not PAGE_NUMBER.match(text)


@pytest.mark.parametrize("raw, name, honorific", [
    ("Dr. Ingerid Fossum", "Ingerid Fossum", "Dr."),
    ("Mr. Thomas Hansteen", "Thomas Hansteen", "Mr."),
    ("Ms Dana Levi", "Dana Levi", "Ms"),
    ("Prof. A. Smith", "A. Smith", "Prof."),
    ("Sune Dalgaard Ebbesen 博士", "Sune Dalgaard Ebbesen", "博士"),
    ("王伟先生", "王伟", "先生"),
    ("Nofar Hamrany", "Nofar Hamrany", None),
])
def test_split_honorific(raw, name, honorific):
    assert split_honorific(raw) == (name, honorific)


@pytest.mark.parametrize("raw, region, e164", [
    ("+972 3 5118117", "IL", "+97235118117"),
    ("+45 61905081", "DK", "+4561905081"),
    ("+385 1 4594 452", "HR", "+38514594452"),
    ("＋47 22037006", None, "+4722037006"),
    ("03 511 8100", "IL", "+97235118100"),  # national format: the partner's country is the region
    ("+47 (0)22 03 70 06", None, "+4722037006"),
    ("12", "DK", None),
])
def test_to_e164(raw, region, e164):
    assert to_e164(raw, region) == e164


@pytest.mark.parametrize("text, region, expected", [
    ("丹方联系人：Martin Kyvsgaard，电话：+45 61905081，邮箱：martin.kyvsgaard@innofond.dk；"
     "Sune Dalgaard Ebbesen 博士，电话：+45 61905030，邮箱：sune.dalgaard.ebbesen@innofond.dk。", "DK",
     [("Martin Kyvsgaard", None, "+4561905081", "martin.kyvsgaard@innofond.dk"),
      ("Sune Dalgaard Ebbesen", "博士", "+4561905030", "sune.dalgaard.ebbesen@innofond.dk")]),
    ("挪方联系人：Dr. Ingerid Fossum，电话：+47 22037006，邮箱：ifo@rcn.no；Mr. Thomas Hansteen，"
     "电话：+47 22037160，邮箱：thh@rcn.no。", "NO",
     [("Ingerid Fossum", "Dr.", "+4722037006", "ifo@rcn.no"), ("Thomas Hansteen", "Mr.", "+4722037160", "thh@rcn.no")]),
    ("马耳他项目联系人：Glorianne Camilleri,\n邮箱：glorianne.b.camilleri@gov.mt,\n网址：\nhttp://mcst.gov.mt/x/。", "MT",
     [("Glorianne Camilleri", None, None, "glorianne.b.camilleri@gov.mt")]),
    ("欧方联系邮箱：Delegation-China-Scitech@eeas.europa.eu。", "EU",
     [(None, None, None, "delegation-china-scitech@eeas.europa.eu")]),
    ("项目外方联系人：Silvana Siebert ，电话：+385 1 4594 452，邮箱：Silvana.Siebert@mzo.hr。", "HR",
     [("Silvana Siebert", None, "+38514594452", "silvana.siebert@mzo.hr")]),
    ("联系人: Dana Levi, Tel: 03 511 8100, E-mail: dana.levi@example.org;", "IL",
     [("Dana Levi", None, "+97235118100", "dana.levi@example.org")]),
    ("中方联系人：王伟 博士，电话：010-58881234，邮箱：wangwei@most.cn", "CN",
     [("王伟", "博士", "+861058881234", "wangwei@most.cn")]),
    ("挪方联系人：Dr. Ingerid Fossum，电话：+47 22037006，邮箱：ifo@rcn.no，Mr. Thomas Hansteen，电话：+47 22037160，"
     "邮箱：thh@rcn.no。", "NO",  # two people in one clause, separated by a comma
     [("Ingerid Fossum", "Dr.", "+4722037006", "ifo@rcn.no"), ("Thomas Hansteen", "Mr.", "+4722037160", "thh@rcn.no")]),
    ("丹方联系人：Martin Kyvsgaard；电话：+4561905081；邮箱：martin.kyvsgaard@innofond.dk；"  # ； for ， (as OCR reads it)
     "Sune Dalgaard Ebbesen 博士，电话：+4561905030，邮箱：sune.dalgaard.ebbesen@innofond.dk。", "DK",
     [("Martin Kyvsgaard", None, "+4561905081", "martin.kyvsgaard@innofond.dk"),
      ("Sune Dalgaard Ebbesen", "博士", "+4561905030", "sune.dalgaard.ebbesen@innofond.dk")]),
    ("联系人：张伟；电话：010-58881234；邮箱：zhangwei@most.cn", "CN",
     [("张伟", None, "+861058881234", "zhangwei@most.cn")]),
    ("中方联系人：王磊；电话：+86 10 5888 1360，邮箱：wanglei@most.cn；新方联系人：Tan Wei Ling 女士，电话：+65 6826 6111，"
     "邮箱：tan_wei_ling@a-star.edu.sg。", "SG",  # one ； for ， before a clause with both phone and e-mail
     [("王磊", None, "+861058881360", "wanglei@most.cn"), ("Tan Wei Ling", "女士", "+6568266111",
                                                           "tan_wei_ling@a-star.edu.sg")]),
    ("联系人：张伟，电话：010-58881234；电话：010-58881235，邮箱：zhangwei@most.cn", "CN",  # a phone already: no rejoin
     [("张伟", None, "+861058881234", None), (None, None, "+861058881235", "zhangwei@most.cn")]),
    ("单方申报项目无效。", "DK", []),
])
def test_text_to_contacts(text, region, expected):
    got = [(c.name, c.honorific, c.phone, c.email) for c in text_to_contacts(text, region)]
    assert got == expected


@pytest.mark.parametrize("title, iso", [
    ("中国和以色列产业技术研发合作项目", "IL"),
    ("中国和日本理化学研究所（RIKEN）联合资助项目", "JP"),
    ("中国科技部与日本国际协力机构 (JICA) 联合研究项目", "JP"),
    ("中国和欧盟科技创新合作联合资助机制研究创新合作项目", "EU"),
    ("中国和丹麦政府间科技合作项目", "DK"),
    ("中国和挪威政府间科技合作项目", "NO"),
    ("中国和马耳他政府间联合研究项目", "MT"),
    ("中国和克罗地亚政府间科技创新合作项目", "HR"),
    ("中国和新西兰政府间科技合作项目", "NZ"),
    ("中国和韩国政府间联合研究项目", "KR"),
    ("中国和南非政府间科技合作项目", "ZA"),
    ("中国和英国联合研究项目", "GB"),
])
def test_find_partner(title, iso):
    assert find_partner(title).iso_code == iso


@pytest.mark.parametrize("title, name, organisation", [
    ("中国—东盟科技伙伴计划联合研究项目", "东盟", "ASEAN"),
    ("金砖国家科技创新框架计划联合研究项目", "金砖国家", "BRICS"),
    ("中国和上海合作组织成员国科技合作项目", "上海合作组织", "SCO"),
])
def test_find_partner_organisations(title, name, organisation):
    found = find_partner(title)
    assert (found.name, found.iso_code, found.organisation) == (name, None, organisation)


def test_a_country_named_first_wins_over_an_organisation():
    assert find_partner("中国和泰国（东盟框架下）联合研究项目").iso_code == "TH"


@pytest.mark.parametrize("text, expected", [
    ("关于 2021 年度产业", "关于2021年度产业"),
    ("日本国际协力机构 (JICA) 联合", "日本国际协力机构(JICA)联合"),
    ("Nofar  Hamrany", "Nofar Hamrany"),  # spaces between Latin words are kept (one)
    ("5G 通讯技术", "5G通讯技术"),
])
def test_fix_spaces_around_cjk(text, expected):
    assert fix_spaces_around_cjk(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("机构(JICA)联合", "机构（JICA）联合"),
    ("燃料(“电转X”等)", "燃料（“电转X”等）"),
    ("技术（小卫星及载荷技术)", "技术（小卫星及载荷技术）"),
    ("新材料: 石墨烯", "新材料： 石墨烯"),
    ("f(x) = 1, 2", "f(x) = 1, 2"),
    ("https://a.org", "https://a.org"),
    ("1,000", "1,000"),
])
def test_fix_halfwidth_punct_in_cjk(text, expected):
    assert fix_halfwidth_punct_in_cjk(text) == expected


def test_clean_applies_both_fixes():
    assert clean("中国科技部与日本国际协力机构 (JICA) 联合研究项目") == "中国科技部与日本国际协力机构（JICA）联合研究项目"


@pytest.mark.parametrize("text, parts", [
    ("环境（含能源）、医疗、减灾防灾", ["环境（含能源）", "医疗", "减灾防灾"]),
    ("遥感技术(深空探测、卫星成像)、航天", ["遥感技术(深空探测、卫星成像)", "航天"]),
    ("卫星（小卫星及载荷技术)、遥感", ["卫星（小卫星及载荷技术)", "遥感"]),
])
def test_split_top_level(text, parts):
    assert split_top_level(text) == parts


def test_each_clean_up_fix_can_be_switched_off():
    from pipeline.text import clean
    text = "机构 (JICA) 联合"
    assert clean(text, fixes=("spaces_around_cjk",)) == "机构(JICA)联合"
    assert clean(text, fixes=("halfwidth_punct_in_cjk",)) == "机构 （JICA） 联合"
    assert clean(text, fixes=()) == text


# --- the preamble's totals are read by the same parsers as the directions' values -----------------

@pytest.mark.parametrize("text, key, value, printed", [
    ("本批次共设 8 个指南方向，国拨经费总概算 2.578 亿元。", "budget_cny", 257_800_000, "2.578 亿元"),
    ("国拨经费总概算两亿元。", "budget_cny", 200_000_000, "两亿元"),
    ("国拨经费总概算两亿五千万元。", "budget_cny", 250_000_000, "两亿五千万元"),
    ("国拨经费总概算２．５亿元。", "budget_cny", 250_000_000, "２．５亿元"),
    ("国拨经费总概算 25,780 万元。", "budget_cny", 257_800_000, "25,780 万元"),
    ("本批次共设十个指南方向。", "direction_count", 10, "十个指南方向"),
    ("与十二个国家和地区开展合作。", "partner_count", 12, "与十二个国家和地区"),
    ("拟支持项目数为79~82个。", "project_count", (79, 82), "项目数为79~82个"),
    ("拟支持项目数为七十九至八十二项。", "project_count", (79, 82), "项目数为七十九至八十二项"),
])
def test_preamble_totals(text, key, value, printed):
    """Each total with its words as printed (the amount's own span for the budget), never the whole paragraph."""
    from pipeline.records.build import preamble_totals
    from pipeline.structure.outline import Node

    found, provenance = preamble_totals([Node("paragraph", text)])
    got = found[key]
    assert ((got.min, got.max) if key == "project_count" else got) == value
    assert provenance[key].text == printed
