"""The benchmarks still run against today's command line and package (bench_validate had been failing on
`--publish DIR` since publishing took `--to`, and bench_html on the pydantic-only `model_dump_json` since
extract builds plain records; nothing ran them). Each once, with its fewest runs; bench_ocr.py and
compare_engines.py are run by their own tests (test_ocr_parallel.py) or take many minutes."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT, env={**os.environ, "DVC_NO_ANALYTICS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_bench_validate_runs_and_reports_each_figure():
    figures = re.findall(r"^(.+?)\s*: (?:median )?([\d.]+) s$", _bench("bench_validate.py", "--runs", "1"), re.M)
    assert len(figures) == 5 and all(float(seconds) > 0 for _, seconds in figures), figures


@pytest.mark.slow
def test_bench_html_scores_the_lxml_rules():
    summary = re.search(r"^\| lxml rules \| ([\d.]+) \| ([\d.]+) \|", _bench("bench_html.py"), re.M)
    assert summary and float(summary[1]) > 0.9, "no summary row for the lxml rules"


@pytest.mark.slow
@pytest.mark.parametrize("script", ["bench_extract.py", "bench_review.py", "bench_enrich.py", "bench_word.py",
                                    "bench_large.py"])
def test_a_benchmark_runs(script):
    assert re.search(r"\d+(\.\d+)?\s*(s\b|×|x\b)", _bench(script, "--runs", "1"))  # a time or a ratio
