"""Benchmark: building the review page of each shared edition (target ≤ 5 s each), against extraction.

Reports, per edition, the median whole-process time of `guidelines review` (page size
too) beside `guidelines extract` of the same PDF (alternating runs), and the in-process
build time of the page once Python is up. The 2022-1 edition is SYNTHETIC (tests/fixtures).

usage: python benchmarks/bench_review.py [--runs N]
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, compile_package, guidelines_exe, timed

EDITIONS = {"2021-2": ROOT / "raw" / "2021-2.pdf",
            "2022-1 (synthetic)": ROOT / "tests" / "fixtures" / "synthetic-2022-1" / "2022-1.pdf"}


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    exe = guidelines_exe()
    compile_package()
    work = Path(tempfile.mkdtemp())
    from pipeline.review.page import review_html

    for name, pdf in EDITIONS.items():
        out = work / name.split()[0]
        page = work / f"{out.name}.html"
        extract, review = [], []
        for _ in range(runs):
            extract.append(timed([exe, "extract", str(pdf), "--out", str(out)]))
            review.append(timed([exe, "review", str(out), "--pdf", str(pdf), "--out", str(page),
                                 "--published", str(work / "none")]))
        edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
        inside = []
        for _ in range(runs):
            start = time.perf_counter()
            review_html(edition, pdf)
            inside.append(time.perf_counter() - start)
        print(f"{name}: guidelines review median {statistics.median(review):.2f} s "
              f"(extract {statistics.median(extract):.2f} s; page built in-process in "
              f"{statistics.median(inside):.2f} s), page {page.stat().st_size / 1e6:.2f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
