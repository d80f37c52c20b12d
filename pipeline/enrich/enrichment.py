"""Enrich stage: agencies, keywords and eligibility for every direction → DIR/enrichment.json.

`edition_to_enrichment` is the core; `enrich_dir` does the IO. Eligibility is no NLP: it is
derived once with the records (records/eligibility.py, corrections applied) and stored in
the edition; the enrichment carries that same stored value for its readers.
"""

from __future__ import annotations

from pathlib import Path

from ..records.derived import stored_eligibility
from ..editions import edition_digest, load_edition_dir
from ..errors import OutputError
from ..fileio import write_json_atomic
from ..i18n import N_
from ..models import (AgencyMention, DirectionEnrichment, Enrichment, Keyword,
                     PartnerCheck, TextSpan)


def _texts(direction: dict) -> list[tuple[str, str]]:
    """(field, text) pairs that name the parties: the title and the agreements."""
    return [("title", direction.get("title") or "")] + [
        (f"agreements[{i}]", a) for i, a in enumerate(direction.get("agreements") or [])]


def agencies_of(direction: dict) -> tuple[list[AgencyMention], PartnerCheck]:
    from .nlp import agencies, entities

    gazetteer = agencies()
    mentions: dict[str, AgencyMention] = {}
    countries: list[str] = []
    for field, text in _texts(direction):
        for ent in entities(text):
            if ent.label == "GPE":
                if ent.id != "CN" and ent.id not in countries:
                    countries.append(ent.id)
                continue
            agency = gazetteer[ent.id]
            if agency.country != "CN" and agency.country not in countries:
                countries.append(agency.country)
            if agency.id not in mentions:
                mentions[agency.id] = AgencyMention(
                    id=agency.id, name=ent.text, en=agency.en, country=agency.country,
                    side="china" if agency.country == "CN" else "partner",
                    source=TextSpan(field=field, text=text, start=ent.start, end=ent.end))
    iso = (direction.get("partner") or {}).get("iso_code")
    check = PartnerCheck(iso_code=iso, entity_countries=countries,
                         consistent=(iso in countries) if countries else None)
    return list(mentions.values()), check


def keyword_text(direction: dict) -> list[tuple[str, str]]:
    """(field, text) pairs the keywords are drawn from: fields, their topics and descriptions."""
    parts = []
    for i, f in enumerate(direction.get("fields") or []):
        text = "。".join(filter(None, [f.get("name"), "、".join(f.get("topics") or []), f.get("description")]))
        parts.append((f"fields[{i}]", text))
    if direction.get("fields_text"):
        parts.append(("fields_text", direction["fields_text"]))
    if not parts:  # 不限领域: the title is all there is
        parts.append(("title", direction.get("title") or ""))
    return parts


def keywords_of(direction: dict) -> list[Keyword]:
    from .nlp import keywords

    parts = keyword_text(direction)
    found = []
    for term, weight in keywords("\n".join(text for _, text in parts)):
        where = next(((field, text) for field, text in parts if term.lower() in text.lower()), None)
        start = where[1].lower().index(term.lower()) if where else None
        found.append(Keyword(term=term, weight=weight, source=TextSpan(
            field=where[0], text=where[1], start=start, end=start + len(term)) if where else None))
    return found


def edition_to_enrichment(edition: dict) -> Enrichment:
    directions = []
    for d in edition["directions"]:
        mentions, check = agencies_of(d)
        directions.append(DirectionEnrichment(id=d["id"], agencies=mentions, partner_check=check,
                                              keywords=keywords_of(d),
                                              eligibility=stored_eligibility(d)))
    return Enrichment(edition_id=edition["edition"]["id"], edition_sha256=edition_digest(edition),
                      directions=directions)


def enrich_dir(directory: Path) -> Enrichment:
    """Enrich DIR/edition.json into DIR/enrichment.json."""
    directory = Path(directory)
    enrichment = edition_to_enrichment(load_edition_dir(directory))
    try:
        write_json_atomic(directory / "enrichment.json", enrichment.model_dump(mode="json"))
    except OSError as exc:
        raise OutputError(N_("{directory}: cannot be written ({reason}); choose a writable directory"),
                          directory=directory, reason=exc.strerror) from None
    return enrichment


def enrichment_summary(enrichment: Enrichment, directory: Path, lang: str | None = None) -> str:
    """'2021-2: 8 directions, 18 agency mentions → extracted/2021-2/enrichment.json'."""
    from ..i18n import translator

    _ = translator(lang)
    agencies = sum(len(d.agencies) for d in enrichment.directions)
    return _("{id}: {count} directions, {agencies} agency mentions → {path}").format(
        id=enrichment.edition_id, count=len(enrichment.directions), agencies=agencies,
        path=Path(directory) / "enrichment.json")


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `enrich@<id>`: `python -m pipeline.enrich.enrichment DIR`."""
    import argparse

    from .. import console

    parser = argparse.ArgumentParser(prog="python -m pipeline.enrich.enrichment", description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, help="an extracted edition directory (DIR/edition.json)")
    args = parser.parse_args(argv)
    with console.guarded():
        console.out(enrichment_summary(enrich_dir(args.directory), args.directory))


if __name__ == "__main__":
    main()
