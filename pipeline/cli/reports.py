"""Commands that read editions and report on them: diff, partner, search, eligible, tables, schema."""

from __future__ import annotations

from pathlib import Path

import click

from .. import console
from ..i18n import N_
from .base import _, Command, emit, lang_option, located, option, progress



def command(help_text: str):
    return click.command(cls=Command, section="reports", help=help_text)


ROOT_HELP = N_("where edition ids are looked up  [default: extracted/ in the project]")
ALL_ROOT_HELP = N_("where edition ids are looked up; all its editions when none are named  "
                   "[default: extracted/ in the project]")
OUT_HELP = N_("write to FILE instead of stdout")
EDITIONS_HELP = N_("only these editions (ids or paths; repeat)  [default: every edition in --root]")

DIFF_HELP = N_("""Show what changed from edition OLD to edition NEW.

OLD and NEW are edition ids (looked up in extracted/), edition directories or edition.json paths. Directions are matched by partner and programme, not by number.

\b
Example: guidelines diff 2021-2 2022-1 --format html --out changes.html""")


@command(DIFF_HELP)
@click.argument("old")
@click.argument("new")
@option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
        help=N_("md: readable report; json: for downstream systems (schemas/diff.schema.json); html: one page"))
@option("--out", "-o", type=click.Path(path_type=Path), default=None, help=OUT_HELP)
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@lang_option
def diff(old: str, new: str, fmt: str, out: Path | None, root: Path | None, lang: str) -> None:
    from ..compare.diff import diff_editions
    from ..compare.render import RENDERERS
    from ..editions import load_edition_ref

    root = located(root, "extracted")
    (a, path_a), (b, path_b) = load_edition_ref(old, root), load_edition_ref(new, root)
    emit(RENDERERS[fmt](diff_editions(a, b, path_a, path_b), lang), out)


PARTNER_HELP = N_("""A partner's history across editions: budget, projects, fields, who may lead, contacts.

PARTNER is an ISO code (DK), an organisation code (ASEAN), or a name in Chinese (丹麦) or English (Denmark). Each edition's directions with that partner are listed, and what changed since the previous edition is marked.

\b
Example: guidelines partner DK --format html --out denmark.html""")


@command(PARTNER_HELP)
@click.argument("partner")
@option("--edition", "editions", multiple=True, help=EDITIONS_HELP)
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
        help=N_("md: readable report; json: for programs; html: one page with a budget chart"))
@option("--out", "-o", type=click.Path(path_type=Path), default=None, help=OUT_HELP)
@lang_option
def partner(partner: str, editions: tuple[str, ...], root: Path | None, fmt: str, out: Path | None, lang: str) -> None:
    from ..editions import load_editions
    from ..query.partner import partner_history
    from ..query.render import PARTNER_RENDERERS

    loaded = load_editions(editions, located(root, "extracted"))
    emit(PARTNER_RENDERERS[fmt](partner_history(loaded, partner), lang), out)


SEARCH_HELP = N_("""Find directions, fields, requirements and agreements across editions, best match first.

WORDS are segmented (jieba) and widened to their synonyms, so 碳捕集, CCUS and 二氧化碳捕集 find the same field. Each hit shows the edition, the direction and the matching text.

\b
Example: guidelines search 碳捕集""")


@command(SEARCH_HELP)
@click.argument("words", nargs=-1, required=True)
@option("--edition", "editions", multiple=True, help=EDITIONS_HELP)
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help=N_("most directions to show"))
@option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
        help=N_("md: readable list; json: for programs; html: one page"))
@option("--out", "-o", type=click.Path(path_type=Path), default=None, help=OUT_HELP)
@lang_option
def search(words: tuple[str, ...], editions: tuple[str, ...], root: Path | None, limit: int, fmt: str,
           out: Path | None, lang: str) -> None:
    from ..editions import load_editions
    from ..query.render import SEARCH_RENDERERS
    from ..query.search import search as search_editions

    query = " ".join(words)
    loaded = load_editions(editions, located(root, "extracted"))
    emit(SEARCH_RENDERERS[fmt](search_editions(loaded, query, limit), query, lang), out)


ELIGIBLE_HELP = N_("""Which directions may an enterprise, a university or a research institute lead?

Reads the requirements of each edition (ids, edition directories or edition.json paths; default: every edition in extracted/) and lists the directions the kind of organisation may lead, then those it may not, with the requirement that says so.

\b
Example: guidelines eligible 2021-2 --lead university""")


@command(ELIGIBLE_HELP)
@click.argument("editions", nargs=-1)
@option("--lead", type=click.Choice(["enterprise", "university", "research_institute"]), required=True,
        help=N_("the kind of Chinese organisation that would lead the application"))
@option("--root", type=click.Path(path_type=Path), default=None, help=ALL_ROOT_HELP)
@option("--json", "as_json", is_flag=True, help=N_("one JSON object per direction instead of text"))
@lang_option
def eligible(editions: tuple[str, ...], lead: str, root: Path | None, as_json: bool, lang: str) -> None:
    from ..editions import load_editions
    from ..query.eligible import eligible_directions
    from ..query.render import eligible_json_lines, eligible_text

    rows = eligible_directions(load_editions(editions, located(root, "extracted")), lead)
    console.out((eligible_json_lines if as_json else eligible_text)(rows, lead, lang), nl=False)


TABLES_HELP = N_("""Write the analyst tables (CSV, Parquet, Excel), per edition and across editions.

Tables: directions, contacts, requirements, fields, urls, eligibility; their columns are documented in schemas/tables.md. The Excel workbook has one sheet per table, phones, ids and codes as text, and headers in Chinese or English (--lang). OUT/manifest.json lists the editions and whether the gate passed each: tables of checked (published) editions, such as the pipeline's tables/, are never replaced by unchecked ones unless --include-unchecked.

\b
Example: guidelines tables --out tables --format xlsx --lang zh""")


@command(TABLES_HELP)
@click.argument("editions", nargs=-1)
@option("--root", type=click.Path(path_type=Path), default=None, help=ALL_ROOT_HELP)
@option("--out", "-o", type=click.Path(path_type=Path), default=None,
        help=N_("output directory  [default: tables/ in the project]"))
@option("--format", "formats", type=click.Choice(["csv", "parquet", "xlsx"]), multiple=True,
        help=N_("csv, parquet (per edition and across editions), xlsx (one workbook, OUT/tables.xlsx); "
                "repeat for several  [default: csv and parquet]"))
@option("--include-unchecked", is_flag=True,
        help=N_("replace tables of checked editions with ones holding editions the gate has not passed"))
@lang_option
def tables(editions: tuple[str, ...], root: Path | None, out: Path | None, formats: tuple[str, ...],
           include_unchecked: bool, lang: str) -> None:
    from ..editions import edition_refs, load_edition_ref
    from ..publish.tables import check_tables_dir, tables_summary, write_tables_dir

    root, out = located(root, "extracted"), located(out, "tables")
    refs = edition_refs(editions, root)
    check_tables_dir(out)  # before reading anything: fail fast on a wrong --out
    loaded = []
    for i, ref in enumerate(refs, start=1):
        progress(i, len(refs), ref)
        loaded.append(load_edition_ref(ref, root)[0])
    combined = write_tables_dir(loaded, out, formats or ("csv", "parquet"), lang, include_unchecked)
    console.out(tables_summary(combined, len(refs), out, lang))


SCHEMA_HELP = N_("""Write the JSON Schemas of the outputs, generated from the models.

\b
Example: guidelines schema --out schemas""")


@command(SCHEMA_HELP)
@option("--out", "-o", type=click.Path(path_type=Path), default=None,
        help=N_("directory for the JSON Schema files  [default: schemas/ in the project]"))
@lang_option
def schema(out: Path | None, lang: str) -> None:
    from ..publish.schemas import write_schemas

    for path in write_schemas(located(out, "schemas")):
        console.out(str(path))


COMMANDS = [diff, partner, search, eligible, tables, schema]
