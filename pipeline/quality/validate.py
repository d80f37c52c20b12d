"""Validate stage: run every quality check on one edition (Great Expectations does the checking).

`validate_edition` is the core (edition dict in, report out). `validate_dir` does the IO
for one extracted edition: `DIR/validation.json` (every check with its status, observed
and unexpected values and a message; schemas/validation.schema.json) and `DIR/data_docs/`.
What happens next — publish or withhold — is `publish/gate.py`'s job.

Great Expectations takes seconds to import: it is imported here only, once per process;
each edition then costs only its own checks.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ..editions import edition_digest, load_edition_dir
from ..errors import OutputError
from ..i18n import N_
from ..fileio import building_dir, write_json_atomic
from ..models import CheckResult, ValidationReport, ValidationSummary
from ..records.frames import PATH, edition_to_frames
from ..records.plausible import value_rows
from .checks import checks
from .data_docs import make_offline, run_id, site_config
from .warnings import edition_warnings

INDEX_COLUMN = {"directions": "id", "contacts": "direction_id", "urls": "direction_id", "values": "direction_id"}


def _gx():
    """Import GX quietly (it logs and shows progress bars by default)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    return gx


def _context(docs_dir: Path | None):
    gx = _gx()
    from great_expectations.data_context.types.base import (DataContextConfig, InMemoryStoreBackendDefaults,
                                                            ProgressBarsConfig)

    sites = site_config(docs_dir) if docs_dir is not None else {}
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        # `globally` alone is ignored by the validator; metric_calculations must be off too
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False, data_docs_sites=sites)
    return gx.get_context(project_config=config, mode="ephemeral")


def _plain(value):
    """numpy and pandas scalars → JSON-able Python values."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _paths(check, edition: dict, observed, unexpected_rows: list) -> list[str]:
    """The values a failed check concerns, as paths into edition.json (directions[3].budget_cny)."""
    if check.concerns is not None:
        return check.concerns(edition, observed)
    rows = sorted({row[PATH] for row in unexpected_rows if isinstance(row, dict) and row.get(PATH)},
                  key=lambda p: [int(n) for n in re.findall(r"\d+", p)])
    return [f"{row}.{check.value}" if check.value else row for row in rows]


def validate_edition(edition: dict, docs_dir: Path | None = None) -> ValidationReport:
    """Run every check on one edition; build Data Docs into docs_dir when given."""
    import pandas as pd

    gx = _gx()
    context = _context(docs_dir)
    eid = edition["edition"]["id"]
    frames = edition_to_frames(edition, with_paths=True)
    # the check-only table of every bounded number (values_plausible); not an analyst table
    frames["values"] = pd.DataFrame(value_rows(edition, PATH), columns=[PATH, "direction_id", "value", "problem"])
    source = context.data_sources.add_pandas("edition")
    results: dict[int, CheckResult] = {}
    planned: dict[str, list[tuple[int, object]]] = {}
    all_checks = checks()
    for i, check in enumerate(all_checks):
        expectation = check.build(edition)
        if expectation is None:
            results[i] = CheckResult(id=check.id, name=check.name, table=check.table, expectation="",
                                     status="skipped", success=None, message=check.skip_reason)
            continue
        expectation.description = check.name
        expectation.meta = {"check": check.id}
        planned.setdefault(check.table, []).append((i, expectation))

    definitions = []
    for table, items in planned.items():
        asset = source.add_dataframe_asset(name=table)
        batch = asset.add_batch_definition_whole_dataframe(table)
        # the expectations given with the suite: the store writes it once, not once an expectation (0.5 s an edition)
        suite = context.suites.add(gx.ExpectationSuite(name=f"{eid}.{table}",
                                                       expectations=[expectation for _, expectation in items]))
        planned[table] = list(zip((i for i, _ in items), suite.expectations))  # as stored: with the ids GX gave
        definitions.append((table, context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{eid}.{table}", data=batch, suite=suite))))

    digest = edition_digest(edition)
    for table, definition in definitions:
        validation = definition.run(
            run_id=run_id(eid, digest),
            batch_parameters={"dataframe": frames[table]},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [INDEX_COLUMN[table], PATH]})
        index_of = {exp.id: i for i, exp in planned[table]}  # GX gives each added expectation an id
        for res in validation.results:
            i = index_of[res.expectation_config.id]
            check = all_checks[i]
            result = res.result or {}
            unexpected = _plain(result.get("unexpected_list") or result.get("partial_unexpected_list") or [])
            where = sorted({str(row.get(INDEX_COLUMN[table])) for row in result.get("unexpected_index_list") or []
                            if isinstance(row, dict) and _plain(row.get(INDEX_COLUMN[table])) is not None})
            observed = _plain(result.get("observed_value"))
            message, paths = None, []
            if not res.success:
                message = check.explain(edition, observed, unexpected)
                if where:
                    message += f" (direction {', '.join(where)})"
                paths = _paths(check, edition, observed, result.get("unexpected_index_list") or [])
            results[i] = CheckResult(id=check.id, name=check.name, table=table,
                                     expectation=res.expectation_config.type,
                                     status="passed" if res.success else "failed", success=bool(res.success),
                                     observed_value=observed, unexpected_values=unexpected, where=where,
                                     paths=paths, message=message)
    if docs_dir is not None:
        context.build_data_docs()  # once, after all tables (a checkpoint action would rebuild per table)
    ordered = [results[i] for i in range(len(all_checks))]
    summary = ValidationSummary(checks=len(ordered), passed=sum(r.status == "passed" for r in ordered),
                                failed=sum(r.status == "failed" for r in ordered),
                                skipped=sum(r.status == "skipped" for r in ordered))
    return ValidationReport(
        edition_id=eid, edition_sha256=digest,
        status="failed" if summary.failed else "passed",
        great_expectations_version=gx.__version__, summary=summary, checks=ordered,
        warnings=edition_warnings(edition),
        data_docs="data_docs/index.html" if docs_dir is not None else None)


def validate_dir(directory: Path, docs: bool = True) -> ValidationReport:
    """Validate DIR/edition.json; write DIR/validation.json and DIR/data_docs/ (both replaced whole)."""
    directory = Path(directory)
    edition = load_edition_dir(directory)
    try:
        if docs:
            with building_dir(directory / "data_docs") as tmp_docs:
                report = validate_edition(edition, tmp_docs)
                make_offline(tmp_docs, edition)
        else:
            report = validate_edition(edition)
        write_json_atomic(directory / "validation.json", report.model_dump(mode="json"))
    except OSError as exc:
        raise OutputError(N_("{directory}: cannot be written ({reason}); choose a writable directory"),
                          directory=directory, reason=exc.strerror) from None
    return report


# --- the command-line face: what `guidelines validate` and `python -m pipeline.quality.validate` print --------

def report_lines(report: ValidationReport, directory: Path, lang: str | None = None) -> list[tuple[str, bool]]:
    """The lines a validation is summed up in, each with whether it goes to stderr: the verdict, every failed
    check, every value that needs review."""
    from ..i18n import translator

    _ = translator(lang)
    s = report.summary
    path = Path(directory) / "validation.json"
    if report.status == "passed":
        lines = [(_("{id}: passed ({passed} checks passed, {skipped} skipped) → {path}").format(
            id=report.edition_id, passed=s.passed, skipped=s.skipped, path=path), False)]
    else:
        lines = [(_("{id}: FAILED — {failed} of {checks} checks failed ({path})").format(
            id=report.edition_id, failed=s.failed, checks=s.checks, path=path), True)]
        lines += [(f"  ✗ {check.name}: {check.message}", True) for check in report.checks if check.status == "failed"]
    for warning in report.warnings:
        where = _(" (direction {id})").format(id=warning.direction) if warning.direction else ""
        lines.append((_("  needs review{where}: {message}").format(where=where, message=warning.message), True))
    return lines


def main(argv: list[str] | None = None) -> None:
    """The DVC stage `validate@<id>`: `python -m pipeline.quality.validate DIR [--metrics FILE] [--no-fail]`.

    Validates only: publishing is the publish stage's (`python -m pipeline.publish.gate`)."""
    import argparse

    from .. import console
    from ..errors import ChecksFailed
    from .metrics import write_metrics

    parser = argparse.ArgumentParser(prog="python -m pipeline.quality.validate", description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, help="an extracted edition directory (DIR/edition.json)")
    parser.add_argument("--metrics", type=Path, default=None, help="also write the metrics JSON here")
    parser.add_argument("--no-docs", action="store_true", help="no Great Expectations Data Docs")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when checks fail (the gate still applies)")
    args = parser.parse_args(argv)
    with console.guarded():
        report = validate_dir(args.directory, not args.no_docs)
        if args.metrics is not None:
            write_metrics(args.metrics, report, load_edition_dir(args.directory))
        for line, to_stderr in report_lines(report, args.directory):
            (console.err if to_stderr else console.out)(line)
    if report.status != "passed" and not args.no_fail:
        raise SystemExit(ChecksFailed.exit_code)


if __name__ == "__main__":
    main()
