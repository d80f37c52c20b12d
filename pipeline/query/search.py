"""Search directions, fields, requirements and agreements across editions, ranked.

A query is read three ways, so that 碳捕集, CCUS and 二氧化碳捕集 all find the CCUS field:
- whole, and segmented by jieba (with the enrich domain dictionary: CCUS, 电转X … stay whole);
- each part widened to its synonyms (data/synonyms.yaml: one concept, several spellings);
- against each direction's text and its enrich keywords (jieba TF-IDF).

`search(editions, query)` is the core: editions (dicts) and words in, hits out, best first.
A hit names the edition, the direction, where it matched (title, field, requirement,
agreement) and the matching text (`query/render.py` writes hits as Markdown, JSON or HTML).
Ranking: the whole query (or a synonym of it) beats its parts; a title or a field beats a
requirement; rarer terms weigh more.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from .. import DATA

KIND_WEIGHT = {"title": 3.0, "field": 2.5, "keyword": 1.5, "agreement": 1.0, "requirement": 1.0}


def _fold(text: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


@lru_cache(maxsize=1)
def synonym_groups() -> list[list[str]]:
    import yaml

    return [[str(w) for w in group] for group in yaml.safe_load((DATA / "synonyms.yaml").read_text(encoding="utf-8"))]


def expand(term: str) -> set[str]:
    """A term and every synonym of a group it belongs to (folded)."""
    folded = _fold(term)
    out = {folded}
    for group in synonym_groups():
        if folded in {_fold(w) for w in group}:
            out |= {_fold(w) for w in group}
    return out


def query_concepts(query: str) -> tuple[set[str], list[set[str]]]:
    """(the whole query with its synonyms, the query's parts each with its synonyms)."""
    from ..enrich.nlp import jieba_ready

    jieba = jieba_ready()
    whole = expand(query)
    parts = []
    for word in query.split():
        for token in jieba.lcut_for_search(word):
            token = token.strip()
            if len(token) >= 2:  # one character (一 CJK or Latin) says too little
                concept = expand(token)
                if concept not in parts:
                    parts.append(concept)
    return whole, parts


@dataclass
class Hit:
    edition: str
    direction: str | None
    title: str | None
    partner: str | None
    score: float
    matches: list[dict] = field(default_factory=list)  # {where, text}

    def as_dict(self) -> dict:
        return asdict(self)


def _texts(direction: dict) -> list[tuple[str, str]]:
    """(where, text) for everything searchable in a direction."""
    out = [("title", direction.get("title") or "")]
    for f in direction.get("fields") or []:
        out.append(("field", "：".join(filter(None, [f.get("name"), "、".join(f.get("topics") or []),
                                                   f.get("description")]))))
    if direction.get("fields_text"):
        out.append(("field", direction["fields_text"]))
    out += [("agreement", a) for a in direction.get("agreements") or []]
    out += [("requirement", r.get("text") or "") for r in direction.get("requirements") or []]
    return out


def _keywords(direction: dict) -> list[str]:
    from ..enrich.nlp import keywords

    text = "\n".join(t for where, t in _texts(direction) if where in ("title", "field"))
    return [term for term, _ in keywords(text)] if text else []


def search(editions: list[dict], query: str, limit: int = 20) -> list[Hit]:
    """Directions matching query across editions, best first."""
    whole, parts = query_concepts(query)
    docs = []
    for edition in editions:
        for d in edition["directions"]:
            texts = [(where, text, _fold(text)) for where, text in _texts(d)]
            texts += [("keyword", k, _fold(k)) for k in _keywords(d)]
            docs.append((edition, d, texts))
    n = max(len(docs), 1)

    def found(concept: set[str], folded: str) -> bool:
        return any(variant and variant in folded for variant in concept)

    frequency = [sum(1 for _, _, texts in docs if any(found(p, f) for _, _, f in texts)) for p in parts]
    hits = []
    for edition, d, texts in docs:
        score, matches = 0.0, []
        for where, text, folded in texts:
            gain = 0.0
            if found(whole, folded):
                gain += 10.0 * KIND_WEIGHT[where]
            for concept, df in zip(parts, frequency):
                if df and found(concept, folded):
                    gain += KIND_WEIGHT[where] * (1.0 + math.log(n / df))
            if gain:
                score += gain
                if where != "keyword":
                    matches.append({"where": where, "text": text})
        if score and matches:
            hits.append(Hit(edition=edition["edition"]["id"], direction=d.get("id"), title=d.get("title"),
                            partner=(d.get("partner") or {}).get("iso_code") or (d.get("partner") or {}).get("name"),
                            score=round(score, 2), matches=matches))
    hits.sort(key=lambda h: (-h.score, h.edition, h.direction or ""))
    return hits[:limit]


def snippet(text: str, concept_words: set[str], width: int = 60) -> str:
    """The part of text around the first match, at most width characters either side."""
    folded_positions = []
    for word in concept_words:
        m = re.search(r"\s*".join(re.escape(c) for c in word), text, re.I) if word else None
        if m:
            folded_positions.append(m.start())
    start = max(0, min(folded_positions) - width) if folded_positions else 0
    cut = text[start:start + 2 * width + 20]
    return ("…" if start else "") + cut + ("…" if start + len(cut) < len(text) else "")
