"""Partners: every organisation of the documented list, Hong Kong, Macao and Taiwan, CLDR's names."""

import pytest
import yaml

from pipeline import DATA
from pipeline.records.partners import find_partner, organisation_names, territory_names

ORGANISATIONS = yaml.safe_load((DATA / "organisations.yaml").read_text(encoding="utf-8"))
EVERY_NAME = [(name, entry["code"]) for entry in ORGANISATIONS for name in entry["zh"]]


@pytest.mark.parametrize("name, code", EVERY_NAME, ids=[n for n, _ in EVERY_NAME])
def test_every_listed_organisation_is_the_partner_of_its_title(name, code):
    for title in (f"中国和{name}科技合作项目", f"中国—{name}联合研究项目", f"{name}科技创新合作项目"):
        partner = find_partner(title)
        assert (partner.iso_code, partner.organisation) == (None, code), title


@pytest.mark.parametrize("title, code", [
    ("中国和国际应用系统分析研究所合作研究项目", "IIASA"),
    ("中国和国际应用系统分析研究所（IIASA）青年科学家合作项目", "IIASA"),
    ("中国和地球观测组织（GEO）合作项目", "GEO"),
    ("中国—中东欧国家科技创新合作项目", "CEEC"),
    ("中国-中东欧国家合作联合研究项目", "CEEC"),
    ("澜沧江—湄公河合作科技创新项目", "LMC"),
    ("金砖国家科技创新框架计划合作项目", "BRICS"),
    ("中国和非洲联盟科技合作项目", "AUC"),
    ("中国和联合国教育、科学及文化组织合作项目", "UNESCO"),
    ("中国和欧洲核子研究中心合作项目", "CERN"),
])
def test_organisations_in_real_titles(title, code):
    assert find_partner(title).organisation == code


@pytest.mark.parametrize("title, iso", [
    ("内地与香港科技合作项目", "HK"), ("内地与香港特别行政区科技创新合作项目", "HK"),
    ("内地与澳门科技合作项目", "MO"), ("内地与澳门特别行政区科技合作项目", "MO"),
    ("海峡两岸科技创新合作项目", "TW"), ("大陆与台湾地区科技交流合作项目", "TW"),
    ("中国和欧盟科技创新合作联合资助机制项目", "EU"), ("中国和欧洲联盟科技合作项目", "EU"),
    ("中国和澳大利亚政府间科技合作项目", "AU"),
    ("中國和馬耳他政府間科技合作項目", "MT"),  # a Hong Kong repost: CLDR's zh_Hant_HK name
    ("中国和老撾政府间科技合作项目", "LA"),
])
def test_regions_and_territories(title, iso):
    assert find_partner(title).iso_code == iso


def test_organisation_codes_never_look_like_iso_codes():
    """A two-letter organisation code would count as the same partner as a country (AU: Australia)."""
    codes = [entry["code"] for entry in ORGANISATIONS]
    assert len(codes) == len(set(codes))
    assert not set(codes) & set(territory_names().values())
    assert all(len(code) >= 3 for code in codes)


def test_no_organisation_name_is_shadowed_by_a_territory_name():
    """Each listed name is found whole: no country's name inside it wins."""
    for name, code in organisation_names().items():
        partner = find_partner(f"中国和{name}研究项目")
        assert partner.organisation == code and name in partner.name, (name, partner)

