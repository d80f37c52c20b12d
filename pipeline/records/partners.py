"""Partner countries and organisations: Chinese names → ISO 3166-1 alpha-2, from CLDR (Babel).

The names are CLDR's Chinese territory names in every Chinese locale Babel ships (zh, zh_Hant,
zh_Hant_HK's 馬耳他 and 老撾 …), so a new country needs no code change. Hong Kong, Macao and
Taiwan are partners by their region codes HK, MO, TW (香港, 澳门, 台湾, 海峡两岸).
"EU" is CLDR's own code for the European Union (an ISO 3166 exceptionally reserved code).
International organisations and multilateral mechanisms (东盟, 金砖国家 …) have no ISO code:
they come from `data/organisations.yaml` with an organisation code (ASEAN, BRICS …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import DATA

HOME = {"CN"}  # the Chinese side of every direction is not the partner
# CLDR pseudo-regions that are not partners (euro area, UN, unknown, outlying Oceania …)
NOT_PARTNERS = {"EZ", "UN", "ZZ", "QO", "XA", "XB"}
# Names guidelines use that CLDR lists differently (欧盟, 中国香港特别行政区 …)
ALIASES = {"欧洲联盟": "EU", "香港": "HK", "澳门": "MO", "海峡两岸": "TW"}


@lru_cache(maxsize=1)
def territory_names() -> dict[str, str]:
    """Chinese name → ISO code for every CLDR territory with a two-letter code."""
    from babel import Locale

    from babel.localedata import locale_identifiers

    names: dict[str, str] = {}
    chinese = ["zh", "zh_Hant"] + sorted(loc for loc in locale_identifiers() if loc.startswith("zh_"))
    for locale in dict.fromkeys(chinese):  # zh first: its names win where locales disagree
        for code, name in Locale.parse(locale).territories.items():
            if re.fullmatch(r"[A-Z]{2}", code) and code not in NOT_PARTNERS:
                names.setdefault(name, code)
                # CLDR writes some names with a qualifier in brackets: 刚果（金）
                bare = re.sub(r"[（(].*?[)）]", "", name)
                if bare and bare != name:
                    names.setdefault(bare, code)
    for name, code in ALIASES.items():
        names.setdefault(name, code)
    return names


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    names = sorted(territory_names(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


@lru_cache(maxsize=1)
def organisation_names() -> dict[str, str]:
    """Chinese name → organisation code, from data/organisations.yaml."""

    import yaml

    entries = yaml.safe_load((DATA / "organisations.yaml").read_text(encoding="utf-8"))
    return {name: str(entry["code"]) for entry in entries for name in entry["zh"]}


@lru_cache(maxsize=1)
def _organisation_pattern() -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in sorted(organisation_names(), key=len, reverse=True)))


@dataclass(frozen=True)
class PartnerMatch:
    name: str
    iso_code: str | None
    start: int
    end: int
    organisation: str | None = None


def find_partners(text: str) -> list[PartnerMatch]:
    """Every foreign territory or organisation named in text, in order (longest name wins at a position)."""
    found = []
    for m in _name_pattern().finditer(text):
        code = territory_names()[m.group(0)]
        if code not in HOME:
            found.append(PartnerMatch(m.group(0), code, m.start(), m.end()))
    for m in _organisation_pattern().finditer(text):
        if not any(p.start <= m.start() < p.end or m.start() <= p.start < m.end() for p in found):
            found.append(PartnerMatch(m.group(0), None, m.start(), m.end(), organisation_names()[m.group(0)]))
    return sorted(found, key=lambda p: p.start)


def find_partner(*texts: str) -> PartnerMatch | None:
    """The partner of a direction: the first foreign territory named in its title, else in the other texts."""
    for text in texts:
        found = find_partners(text or "")
        if found:
            return found[0]
    return None


def partner_code(partner: dict | None) -> str | None:
    """What identifies a partner: its ISO code, else its organisation code (ASEAN …); None when neither.

    The one rule behind the tables' `partner_code`, the partner-count check, the metrics and the diff's matching.
    """
    partner = partner or {}
    return (partner.get("iso_code") or "").strip() or (partner.get("organisation") or "").strip() or None
