"""Commands of the quality gate and its pages: validate, publish, review, index.

`validate` only validates; `publish` publishes (`validate --publish` does both, and says so).
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import console
from ..i18n import N_
from .base import _, Command, edition_dir, lang_option, located, option, progress



def command(help_text: str):
    return click.command(cls=Command, section="gate", help=help_text)


ROOT_HELP = N_("where edition ids are looked up  [default: extracted/ in the project]")
PUBLISHED_HELP = N_("root of the published editions  [default: published/ in the project]")

VALIDATE_HELP = N_("""Run the quality checks on extracted editions (DIR/edition.json; DIR may be an edition id).

Writes DIR/validation.json and DIR/data_docs/, and nothing else: publishing is `guidelines publish`'s job, or ask for it here with --publish (an edition that passes is then published to PUBLISHED/<id>/edition.json, one that fails is withheld and an earlier published copy withdrawn). Exit code 12 when any edition fails a check.

\b
Example: guidelines validate extracted/2021-2""")


@command(VALIDATE_HELP)
@click.argument("dirs", nargs=-1, required=True)
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@option("--publish/--no-publish", "publish", default=False, show_default=True,
        help=N_("also publish each edition that passes (and withhold each that fails), as `guidelines publish` does"))
@option("--to", "publish_root", type=click.Path(path_type=Path), default=None,
        help=N_("where --publish publishes  [default: published/ in the project]"))
@option("--docs/--no-docs", default=True, show_default=True, help=N_("build Great Expectations Data Docs"))
@option("--metrics", "metrics_path", type=click.Path(path_type=Path), default=None,
        help=N_("also write a small metrics JSON (one DIR only), e.g. for `dvc metrics`"))
@option("--no-fail", is_flag=True, help=N_("exit 0 even when checks fail (pipelines: the gate still applies)"))
@lang_option
def validate(dirs: tuple[str, ...], root: Path | None, publish: bool, publish_root: Path | None, docs: bool,
             metrics_path: Path | None, no_fail: bool, lang: str) -> None:
    from ..editions import load_edition_dir
    from ..errors import ChecksFailed
    from ..publish.gate import publish as publish_edition
    from ..publish.gate import publish_summary, withdraw
    from ..quality.metrics import write_metrics
    from ..quality.validate import report_lines, validate_dir

    if metrics_path is not None and len(dirs) > 1:
        raise click.UsageError(_("--metrics takes one edition directory; validate the others in separate calls"))
    root, publish_root = located(root, "extracted"), located(publish_root, "published")
    failed = False
    for i, ref in enumerate(dirs, start=1):
        progress(i, len(dirs), ref)
        directory = edition_dir(ref, root)
        if publish:  # the earlier published copy goes first: a validation that cannot be written leaves none
            withdraw(Path(publish_root) / load_edition_dir(directory)["edition"]["id"])
        report = validate_dir(directory, docs)
        if metrics_path is not None or publish:
            edition = load_edition_dir(directory)
            if metrics_path is not None:
                write_metrics(metrics_path, report, edition)
        for line, to_stderr in report_lines(report, directory, lang):
            (console.err if to_stderr else console.out)(line)
        if publish:
            console.out(publish_summary(publish_edition(edition, report, publish_root, Path(directory)), lang))
        failed = failed or report.status != "passed"
    if failed and not no_fail:
        raise SystemExit(ChecksFailed.exit_code)


PUBLISH_HELP = N_("""Publish an edition that passed validation; withhold one that did not.

DIRECTORY is an edition directory or an edition id (looked up in --root). Reads DIR/edition.json and DIR/validation.json (which must be the report of that very edition.json) and writes PUBLISHED/<id>/edition.json, or PUBLISHED/<id>/withheld.json.

\b
Example: guidelines publish extracted/2021-2 --to published""")


@command(PUBLISH_HELP)
@click.argument("directory")
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@option("--to", "publish_root", type=click.Path(path_type=Path), default=None, help=PUBLISHED_HELP)
@lang_option
def publish(directory: str, root: Path | None, publish_root: Path | None, lang: str) -> None:
    from ..publish.gate import publish_dir, publish_summary

    written = publish_dir(edition_dir(directory, located(root, "extracted")), located(publish_root, "published"))
    console.out(publish_summary(written, lang))


REVIEW_HELP = N_("""Write one self-contained HTML page to check an edition against its PDF.

EDITION is an id (in extracted/), an edition directory or an edition.json. The page shows the preamble's totals against the directions, the check results (from DIR/validation.json), budget charts and the changes from the previous edition, then every value of every direction beside a crop of the PDF with its source box.

\b
Example: guidelines review 2021-2 --out review.html""")


@command(REVIEW_HELP)
@click.argument("edition")
@option("--out", "-o", type=click.Path(path_type=Path), default=None,
        help=N_("the page to write  [default: DIR/review.html beside the edition]"))
@option("--pdf", type=click.Path(path_type=Path), default=None,
        help=N_("the source PDF  [default: the path recorded in edition.json]"))
@option("--previous", default=None,
        help=N_("the edition to show changes from  [default: the latest published edition before this one]"))
@option("--published", "published_root", type=click.Path(path_type=Path), default=None,
        help=N_("where the previous edition is looked for  [default: published/ in the project]"))
@option("--root", type=click.Path(path_type=Path), default=None, help=ROOT_HELP)
@lang_option
def review(edition: str, out: Path | None, pdf: Path | None, previous: str | None, published_root: Path | None,
           root: Path | None, lang: str) -> None:
    from ..review.page import write_review

    path = write_review(edition, out, located(root, "extracted"), pdf, previous, located(published_root, "published"),
                        lang)
    console.out(_("wrote {path}").format(path=path))


INDEX_HELP = N_("""Write one page listing every edition the gate has seen: published or withheld, and why.

\b
Example: guidelines index --out extracted/index.html""")


@command(INDEX_HELP)
@option("--published", "published_root", type=click.Path(path_type=Path), default=None,
        help=N_("root of the published (and withheld) editions  [default: published/ in the project]"))
@option("--reports", "reports_root", type=click.Path(path_type=Path), default=None,
        help=N_("where each edition's validation.json and Data Docs are  [default: extracted/ in the project]"))
@option("--out", "-o", type=click.Path(path_type=Path), default=None,
        help=N_("the page to write  [default: extracted/index.html in the project]"))
@lang_option
def index(published_root: Path | None, reports_root: Path | None, out: Path | None, lang: str) -> None:
    from ..publish.index import write_index

    path = write_index(located(published_root, "published"), located(out, "extracted/index.html"),
                       located(reports_root, "extracted"), lang)
    console.out(_("wrote {path}").format(path=path))


COMMANDS = [validate, publish, review, index]
