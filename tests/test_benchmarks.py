"""The benchmarks still run against today's command line (bench_validate had been failing on `--publish DIR`
since publishing took `--to`; nothing ran it)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_validate_runs_and_reports_each_figure():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_validate.py"), "--runs", "1"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "DVC_NO_ANALYTICS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    figures = re.findall(r"^(.+?)\s*: (?:median )?([\d.]+) s$", done.stdout, re.M)
    assert len(figures) == 5 and all(float(seconds) > 0 for _, seconds in figures), done.stdout
