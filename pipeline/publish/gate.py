"""Publish stage: the gate. No edition is published unchecked.

A passing edition is copied to `PUBLISH/<id>/edition.json` with `quality.status =
"passed"` (and its enrichment beside it); a failing one is never published:
`PUBLISH/<id>/` then holds only `withheld.json` (why), and any earlier published copy is
gone. The earlier copy is withdrawn before anything new is written, so a full disk or a
failed write leaves nothing published rather than a stale copy. `edition.json` in the
extracted directory always says "unchecked".
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..editions import edition_digest, is_edition_id, load_edition_dir
from ..errors import BadEdition, OutputError, StaleValidation
from ..i18n import N_
from ..fileio import OLD_MARK, building_dir, write_json_atomic

# what PUBLISH/<id>/ may hold; edition.json first: once it is gone, nothing is published
PUBLISHED_FILES = ("edition.json", "enrichment.json", "withheld.json")


def withdraw(target: Path) -> None:
    """Take an earlier copy in PUBLISH/<id>/ out of published/ before anything new is written: moved aside
    (then removed) in one rename, or, when its parent cannot be written, its edition.json removed. An
    OutputError (exit 9) when neither can be done: the earlier copy is then still there, and the line says so."""
    import secrets

    target = Path(target)
    if not target.exists():
        return
    aside = target.with_name(f".{target.name}{OLD_MARK}{secrets.token_hex(4)}")
    try:
        os.replace(target, aside)
    except OSError:
        pass
    else:
        shutil.rmtree(aside, ignore_errors=True)  # what stays (a full disk cannot stop a delete) is no edition
        return
    try:
        for name in PUBLISHED_FILES:
            (target / name).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(N_("{target}: the earlier published copy cannot be withdrawn ({reason}) and is still "
                             "published; make {target} writable and run the gate again"),
                          target=target, reason=exc.strerror) from None
from ..models import Quality, ValidationReport


def publish(edition: dict, report: ValidationReport, publish_root: Path, source_dir: Path | None = None) -> Path:
    """The gate: PUBLISH/<id>/edition.json for a passing edition, PUBLISH/<id>/withheld.json otherwise.

    The directory is replaced whole, so a withheld edition leaves no earlier clean copy behind.
    A passing edition's enrichment (source_dir/enrichment.json) is published beside it.
    """
    if report.edition_sha256 != edition_digest(edition):
        raise StaleValidation(N_("the validation report of {edition} is for another edition.json; "
                                 "run `guidelines validate` on it again"),
                              edition=report.edition_id)
    edition_id = edition["edition"]["id"]
    if report.edition_id != edition_id or not is_edition_id(edition_id):  # the id is a path: check it here too
        raise BadEdition(N_("edition id {edition_id!r} of the validation report is not a valid id of this "
                            "edition; extract and validate the edition again"), edition_id=report.edition_id)
    target = Path(publish_root) / edition_id
    withdraw(target)  # first: withholding never depends on writing a new file
    try:
        return _write_published(edition, report, target, source_dir)
    except OSError as exc:
        raise OutputError(N_("{target}: cannot be written ({reason}); nothing is published for {edition_id} "
                             "(any earlier copy was withdrawn); free some space or make it writable, "
                             "and run the gate again"), target=target, reason=exc.strerror,
                          edition_id=edition_id) from None


def _write_published(edition: dict, report: ValidationReport, target: Path, source_dir: Path | None) -> Path:
    with building_dir(target) as tmp:
        if report.status == "passed":
            clean = dict(edition)
            clean["quality"] = Quality(status="passed", checks_passed=report.summary.passed,
                                       checks_failed=report.summary.failed,
                                       checks_skipped=report.summary.skipped).model_dump()
            write_json_atomic(tmp / "edition.json", clean)
            written = target / "edition.json"
        else:
            write_json_atomic(tmp / "withheld.json", {
                "edition_id": report.edition_id, "status": "withheld", "reason": "failed quality checks",
                "failed_checks": [c.message for c in report.checks if c.status == "failed"]})
            written = target / "withheld.json"
        enrichment = source_dir / "enrichment.json" if source_dir else None
        if enrichment and enrichment.is_file() and report.status == "passed":
            data = json.loads(enrichment.read_text(encoding="utf-8"))
            if data.get("edition_sha256") == report.edition_sha256:  # only an enrichment of this very edition
                shutil.copy(enrichment, tmp / "enrichment.json")
    return written


def publish_dir(directory: Path, publish_root: Path) -> Path:
    """Publish (or withhold) DIR/edition.json according to DIR/validation.json."""
    directory = Path(directory)
    edition = load_edition_dir(directory)
    report_path = directory / "validation.json"
    if not report_path.is_file():
        raise StaleValidation(N_("{report_path}: no such file; run `guidelines validate {directory}` first"),
                              report_path=report_path, directory=directory)
    report = ValidationReport.model_validate_json(report_path.read_text(encoding="utf-8"))
    return publish(edition, report, publish_root, directory)


def publish_summary(written: Path, lang: str | None = None) -> str:
    """'published: published/2021-2/edition.json' or 'withheld: published/2021-2/withheld.json'."""
    from ..i18n import translator

    _ = translator(lang)
    return (_("published: {path}") if Path(written).name == "edition.json" else _("withheld: {path}")).format(
        path=written)


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `publish@<id>`: `python -m pipeline.publish.gate DIR --to PUBLISHED`."""
    import argparse

    from .. import console

    parser = argparse.ArgumentParser(prog="python -m pipeline.publish.gate", description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, help="a validated edition directory (edition.json, validation.json)")
    parser.add_argument("--to", type=Path, default=Path("published"), help="root of the published editions")
    args = parser.parse_args(argv)
    with console.guarded():
        console.out(publish_summary(publish_dir(args.directory, args.to)))


if __name__ == "__main__":
    main()
