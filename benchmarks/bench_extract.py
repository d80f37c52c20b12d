"""Benchmark: the whole `guidelines extract` process against bare pdfplumber `extract_text`.

Both run as fresh processes over the same PDF, alternating (A B A B …) so that machine
load affects both alike; the result is the median of the per-pair time ratios.
Target: ≤ 1.5×.

usage: python benchmarks/bench_extract.py [PDF] [--runs N]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import ROOT, compile_package, guidelines_exe, timed

BASELINE = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_text() for p in pdf.pages]"




def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    pdf = Path(args[0]) if args and args[0] != str(runs) else ROOT / "raw" / "2021-2.pdf"
    exe = guidelines_exe()
    out = Path(tempfile.mkdtemp()) / "out"
    compile_package()
    ours, base, ratios = [], [], []
    timed([sys.executable, "-c", BASELINE, str(pdf)])  # warm the file cache
    for _ in range(runs):
        a = timed([exe, "extract", str(pdf), "--out", str(out)])
        b = timed([sys.executable, "-c", BASELINE, str(pdf)])
        ours.append(a)
        base.append(b)
        ratios.append(a / b)
    shutil.rmtree(out.parent, ignore_errors=True)
    print(f"pdf: {pdf.name}, {runs} alternating runs")
    print(f"guidelines extract : median {statistics.median(ours):.3f} s")
    print(f"pdfplumber baseline: median {statistics.median(base):.3f} s")
    print(f"ratio (median of pairs): {statistics.median(ratios):.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
