"""The few numbers worth tracking across revisions (`dvc metrics show/diff`): metrics/<id>.json, written by the
validate stage from its report."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..fileio import check_output_file, write_json_atomic
from ..i18n import N_
from ..models import ValidationReport
from ..records.partners import partner_code


def report_metrics(report: ValidationReport, edition: dict) -> dict:
    """The few numbers worth tracking across revisions (`dvc metrics show/diff`)."""
    directions = edition["directions"]
    return {
        "passed": report.status == "passed",
        "checks_passed": report.summary.passed, "checks_failed": report.summary.failed,
        "checks_skipped": report.summary.skipped,
        "directions": len(directions),
        "partners": len({partner_code(d.get("partner")) for d in directions} - {None}),
        "budget_cny": sum(d.get("budget_cny") or 0 for d in directions),
        "contacts": sum(len(d.get("contacts") or []) for d in directions),
    }


def write_metrics(path: Path, report: ValidationReport, edition: dict) -> None:
    check_output_file(Path(path), "--metrics")  # a device or FIFO is refused, never replaced
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(Path(path), report_metrics(report, edition))
    except OSError as exc:
        raise OutputError(N_("{path}: cannot be written ({reason}); choose another --metrics"), path=path,
                          reason=exc.strerror) from None
