"""spaCy + jieba: entities (countries, agencies) and keywords for the enrich stage.

Loaded only by `guidelines enrich` (and what calls it): spaCy and jieba cost about two
seconds to load and stay off the extract path.

- The pipeline is `spacy.blank("zh")` with the jieba segmenter (no model download) and an
  EntityRuler. Every gazetteer name is first added to jieba's dictionary, so that it is one
  token: EntityRuler patterns match only on token boundaries.
- Countries: CLDR's Chinese territory names (Babel), each with its ISO code, plus the
  official long forms 以色列国, 克罗地亚共和国 … and their governments (…政府), generated.
- Agencies: `data/agencies.yaml` (Chinese spellings, English name, country).
- Keywords: jieba's TF-IDF with `data/userdict.txt` (terms kept whole: CCUS, 电转X,
  地平线2020 …) and `data/stopwords.txt` (boilerplate every direction shares).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import DATA


@dataclass(frozen=True)
class Agency:
    id: str
    names: tuple[str, ...]
    en: str
    country: str


@lru_cache(maxsize=1)
def agencies() -> dict[str, Agency]:
    """The agencies gazetteer, plus a government for every CLDR territory."""
    import yaml
    from babel import Locale

    from ..records.partners import territory_names

    out = {}
    for entry in yaml.safe_load((DATA / "agencies.yaml").read_text(encoding="utf-8")):
        out[entry["id"]] = Agency(entry["id"], tuple(entry["zh"]), entry["en"], entry["country"])
    english = Locale.parse("en").territories
    by_code: dict[str, list[str]] = {}
    for name, code in territory_names().items():
        by_code.setdefault(code, []).append(name)
    by_code.setdefault("CN", []).append("中华人民共和国")
    for code, names in by_code.items():
        forms = {f"{n}{suffix}政府" for n in names for suffix in ("", "国", "共和国") if not n.endswith("国") or suffix == ""}
        out[f"gov-{code}"] = Agency(f"gov-{code}", tuple(sorted(forms)), f"Government of {english.get(code, code)}", code)
    return out


@lru_cache(maxsize=1)
def country_forms() -> dict[str, str]:
    """Every Chinese way of naming a territory in these texts → ISO code."""
    from ..records.partners import territory_names

    forms = dict(territory_names())
    forms["中华人民共和国"] = "CN"
    for name, code in list(territory_names().items()):
        if not name.endswith("国"):
            forms.setdefault(f"{name}国", code)  # 以色列国
        forms.setdefault(f"{name}共和国", code)  # 克罗地亚共和国
    return forms


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "guidelines"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=1)
def jieba_ready():
    """jieba, quiet, caching in ~/.cache/guidelines, with the domain dictionary and every gazetteer name."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(_cache_dir())
    jieba.load_userdict(str(DATA / "userdict.txt"))
    for name in country_forms():
        jieba.add_word(name, freq=100_000)
    for agency in agencies().values():
        for name in agency.names:
            jieba.add_word(name, freq=200_000)
    jieba.analyse.set_stop_words(str(DATA / "stopwords.txt"))
    return jieba


@lru_cache(maxsize=1)
def pipeline():
    """spaCy blank Chinese with the jieba segmenter and the gazetteer EntityRuler."""
    jieba_ready()  # words first: patterns are tokenised with the same segmenter
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler")
    patterns = [{"label": "GPE", "pattern": name, "id": code} for name, code in country_forms().items()]
    patterns += [{"label": "ORG", "pattern": name, "id": agency.id}
                 for agency in agencies().values() for name in agency.names]
    ruler.add_patterns(patterns)
    return nlp


@dataclass(frozen=True)
class Entity:
    label: str  # GPE | ORG
    id: str  # ISO code for GPE, agency id for ORG
    text: str
    start: int
    end: int


def entities(text: str) -> list[Entity]:
    doc = pipeline()(text)
    found = []
    for e in doc.ents:
        if e.ent_id_.startswith("gov-") and text[e.end_char:e.end_char + 1] == "间":
            # 政府间 is "intergovernmental": it names the country, not its government
            found.append(Entity("GPE", e.ent_id_[4:], e.text[:-2], e.start_char, e.end_char - 2))
        else:
            found.append(Entity(e.label_, e.ent_id_, e.text, e.start_char, e.end_char))
    return found


def keywords(text: str, top: int = 8) -> list[tuple[str, float]]:
    """The direction's most characteristic terms (TF-IDF), highest weight first."""
    jieba = jieba_ready()
    names = set(country_forms()) | {n for a in agencies().values() for n in a.names}
    found = jieba.analyse.extract_tags(text, topK=top + 10, withWeight=True)
    # parties are entities, not topics: keep countries and agencies out of the keywords
    return [(term, round(weight, 4)) for term, weight in found if not term.isdigit() and term not in names][:top]
