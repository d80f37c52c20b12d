"""Validate stage: the quality gate. No edition is published unchecked.

`validate_edition` is the core (edition dict in, report out; Great Expectations does the
checking). `validate_dir` does the IO for one extracted edition:

- `DIR/validation.json`: every check with its status, observed and unexpected values and
  a message (schema: schemas/validation.schema.json);
- `DIR/data_docs/`: GX Data Docs for the edition (offline: CDN links stripped, a small
  inline stylesheet instead), linked from `<DIR's parent>/index.html`;
- the gate: a passing edition is copied to `PUBLISH/<id>/edition.json` with
  `quality.status = "passed"`; a failing one is never published: `PUBLISH/<id>/` then
  holds only `withheld.json` (why), and any earlier published copy is gone.
  `edition.json` in DIR always says "unchecked".

Great Expectations takes seconds to import: it is imported here only, once per process;
each edition then costs only its own checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from .checks import checks
from .editions import edition_ids, read_edition
from .errors import OutputError, StaleValidation
from .fileio import write_json_atomic
from .models import CheckResult, Quality, ValidationReport, ValidationSummary
from .tables import edition_to_frames

INDEX_COLUMN = {"directions": "id", "contacts": "direction_id", "urls": "direction_id"}
OFFLINE_CSS = """<style>
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
.alert-danger,.text-danger{color:#a00}.alert-success,.text-success{color:#070}
nav,.ge-index-page-site-name-title-container img{display:none}
</style>"""


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

    sites = {}
    if docs_dir is not None:
        sites["local"] = {
            "class_name": "SiteBuilder", "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(Path(docs_dir).resolve())},  # GX requires absolute
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
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


def validate_edition(edition: dict, docs_dir: Path | None = None) -> ValidationReport:
    """Run every check on one edition; build Data Docs into docs_dir when given."""
    gx = _gx()
    context = _context(docs_dir)
    eid = edition["edition"]["id"]
    frames = edition_to_frames(edition)
    source = context.data_sources.add_pandas("edition")
    results: dict[int, CheckResult] = {}
    planned: dict[str, list[tuple[int, object]]] = {}
    all_checks = checks()
    for i, check in enumerate(all_checks):
        expectation = check.build(edition)
        if expectation is None:
            results[i] = CheckResult(name=check.name, table=check.table, expectation="", status="skipped",
                                     success=None, message=check.skip_reason)
            continue
        expectation.description = check.name
        expectation.meta = {"check": check.name}
        planned.setdefault(check.table, []).append((i, expectation))

    definitions = []
    for table, items in planned.items():
        asset = source.add_dataframe_asset(name=table)
        batch = asset.add_batch_definition_whole_dataframe(table)
        suite = context.suites.add(gx.ExpectationSuite(name=f"{eid}.{table}"))
        for _, expectation in items:
            suite.add_expectation(expectation)
        definitions.append((table, context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{eid}.{table}", data=batch, suite=suite))))

    for table, definition in definitions:
        validation = definition.run(
            batch_parameters={"dataframe": frames[table]},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [INDEX_COLUMN[table]]})
        index_of = {exp.id: i for i, exp in planned[table]}  # GX gives each added expectation an id
        for res in validation.results:
            i = index_of[res.expectation_config.id]
            check = all_checks[i]
            result = res.result or {}
            unexpected = _plain(result.get("unexpected_list") or result.get("partial_unexpected_list") or [])
            where = sorted({str(row.get(INDEX_COLUMN[table])) for row in result.get("unexpected_index_list") or []
                            if isinstance(row, dict)})
            observed = _plain(result.get("observed_value"))
            message = None
            if not res.success:
                message = check.explain(edition, observed, unexpected)
                if where:
                    message += f" (direction {', '.join(where)})"
            results[i] = CheckResult(name=check.name, table=table, expectation=res.expectation_config.type,
                                     status="passed" if res.success else "failed", success=bool(res.success),
                                     observed_value=observed, unexpected_values=unexpected, where=where,
                                     message=message)
    if docs_dir is not None:
        context.build_data_docs()  # once, after all tables (a checkpoint action would rebuild per table)
    ordered = [results[i] for i in range(len(all_checks))]
    summary = ValidationSummary(checks=len(ordered), passed=sum(r.status == "passed" for r in ordered),
                                failed=sum(r.status == "failed" for r in ordered),
                                skipped=sum(r.status == "skipped" for r in ordered))
    return ValidationReport(
        edition_id=eid, edition_sha256=edition_digest(edition),
        status="failed" if summary.failed else "passed",
        validated_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        great_expectations_version=gx.__version__, summary=summary, checks=ordered,
        data_docs="data_docs/index.html" if docs_dir is not None else None)


# --- IO -------------------------------------------------------------------------------------

def load_edition(directory: Path) -> dict:
    """Read DIR/edition.json and check it against the contract."""
    return read_edition(Path(directory) / "edition.json")


def make_offline(docs_dir: Path) -> None:
    """Strip CDN stylesheets and scripts from Data Docs pages; add a small inline stylesheet."""
    external = re.compile(r"<link[^>]+href=\"https?://[^\"]*\"[^>]*>|<script[^>]+src=\"https?://[^\"]*\"[^>]*>\s*</script>",
                          re.I)
    for page in Path(docs_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = external.sub("", text)
        text = text.replace("</head>", OFFLINE_CSS + "</head>", 1)
        page.write_text(text, encoding="utf-8")
    # GX's web fonts and marketing images (4 MB an edition) serve only the CDN-styled look
    shutil.rmtree(Path(docs_dir) / "static" / "fonts", ignore_errors=True)
    for image in (Path(docs_dir) / "static" / "images").glob("*"):
        if image.name != "favicon.ico":
            image.unlink()


def edition_digest(edition: dict) -> str:
    """sha256 of an edition's canonical JSON: ties a validation report to the edition it checked."""
    return hashlib.sha256(json.dumps(edition, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def publish(edition: dict, report: ValidationReport, publish_root: Path, source_dir: Path | None = None) -> Path:
    """The gate: PUBLISH/<id>/edition.json for a passing edition, PUBLISH/<id>/withheld.json otherwise.

    The directory is replaced whole, so a withheld edition leaves no earlier clean copy behind.
    A passing edition's enrichment (source_dir/enrichment.json) is published beside it.
    """
    if report.edition_sha256 != edition_digest(edition):
        raise StaleValidation(f"the validation report of {report.edition_id} is for another edition.json; "
                              "run `guidelines validate` on it again")
    target = Path(publish_root) / report.edition_id
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        if report.status == "passed":
            clean = dict(edition)
            clean["quality"] = Quality(status="passed", checks_passed=report.summary.passed,
                                       checks_failed=report.summary.failed, checks_skipped=report.summary.skipped,
                                       validated_at=report.validated_at).model_dump()
            write_json_atomic(tmp / "edition.json", clean)
            written = target / "edition.json"
        else:
            write_json_atomic(tmp / "withheld.json", {
                "edition_id": report.edition_id, "status": "withheld", "reason": "failed quality checks",
                "failed_checks": [c.message for c in report.checks if c.status == "failed"],
                "validated_at": report.validated_at})
            written = target / "withheld.json"
        enrichment = source_dir / "enrichment.json" if source_dir else None
        if enrichment and enrichment.is_file() and report.status == "passed":
            data = json.loads(enrichment.read_text(encoding="utf-8"))
            if data.get("edition_sha256") == report.edition_sha256:  # only an enrichment of this very edition
                shutil.copy(enrichment, tmp / "enrichment.json")
        from .extract import replace_dir

        replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def publish_dir(directory: Path, publish_root: Path) -> Path:
    """Publish (or withhold) DIR/edition.json according to DIR/validation.json."""
    directory = Path(directory)
    edition = load_edition(directory)
    report_path = directory / "validation.json"
    if not report_path.is_file():
        raise StaleValidation(f"{report_path}: no such file; run `guidelines validate {directory}` first")
    report = ValidationReport.model_validate_json(report_path.read_text(encoding="utf-8"))
    return publish(edition, report, publish_root, directory)


def report_metrics(report: ValidationReport, edition: dict) -> dict:
    """The few numbers worth tracking across revisions (`dvc metrics show/diff`)."""
    directions = edition["directions"]
    return {
        "passed": report.status == "passed",
        "checks_passed": report.summary.passed, "checks_failed": report.summary.failed,
        "checks_skipped": report.summary.skipped,
        "directions": len(directions),
        "partners": len({(d.get("partner") or {}).get("iso_code") for d in directions} - {None}),
        "budget_cny": sum(d.get("budget_cny") or 0 for d in directions),
        "contacts": sum(len(d.get("contacts") or []) for d in directions),
    }


def write_index(root: Path) -> Path:
    """root/index.html: every edition directory under root with its validation status."""
    rows = []
    for directory in (Path(root) / name for name in edition_ids(root)):
        report_path = directory / "validation.json"
        if report_path.is_file():
            report = json.loads(report_path.read_text(encoding="utf-8"))
            status = report["status"]
            summary = report["summary"]
            counts = f"{summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} skipped"
            failed = "".join(f"<li>{html.escape(c['message'] or c['name'])}</li>"
                             for c in report["checks"] if c["status"] == "failed")
            docs = f'<a href="{directory.name}/{report["data_docs"]}">Data Docs</a>' if report.get("data_docs") else ""
        else:
            status, counts, failed, docs = "unchecked", "not validated yet", "", ""
        rows.append(f'<tr class="{status}"><td>{html.escape(directory.name)}</td><td>{status}</td><td>{counts}'
                    f'{"<ul>" + failed + "</ul>" if failed else ""}</td><td>{docs} '
                    f'<a href="{directory.name}/validation.json">validation.json</a></td></tr>')
    page = ("<!doctype html><meta charset=utf-8><title>Edition quality</title>" + OFFLINE_CSS +
            "<style>.passed td:nth-child(2){color:#070}.failed td:nth-child(2){color:#a00}</style>"
            "<h1>Edition quality</h1><p>Only editions that passed are published as clean.</p>"
            "<table><tr><th>edition</th><th>status</th><th>checks</th><th>reports</th></tr>"
            + "".join(rows) + "</table>\n")
    index = Path(root) / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def validate_dir(directory: Path, publish_root: Path | None = Path("published"), docs: bool = True,
                 metrics_path: Path | None = None) -> ValidationReport:
    """Validate DIR/edition.json; write validation.json, Data Docs and metrics; apply the gate."""
    directory = Path(directory)
    edition = load_edition(directory)
    try:
        tmp_docs = Path(tempfile.mkdtemp(prefix=".data_docs.", dir=directory)) if docs else None
    except OSError as exc:
        raise OutputError(f"{directory}: cannot be written ({exc.strerror}); choose a writable directory")
    try:
        report = validate_edition(edition, tmp_docs)
        if tmp_docs is not None:
            make_offline(tmp_docs)
            final = directory / "data_docs"
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp_docs, final)
        write_json_atomic(directory / "validation.json", report.model_dump(mode="json"))
    finally:
        if tmp_docs is not None and tmp_docs.exists():
            shutil.rmtree(tmp_docs, ignore_errors=True)
    if metrics_path is not None:
        Path(metrics_path).parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(Path(metrics_path), report_metrics(report, edition))
    if publish_root is not None:
        publish(edition, report, publish_root, directory)
    write_index(directory.parent)
    return report
