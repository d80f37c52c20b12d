"""Benchmark: what the enrichments cost, against extraction, in one run.

Reports the median whole-process time of `guidelines extract` and of `guidelines enrich`
on the same edition (alternating runs), the cost of loading spaCy + jieba, and the
per-edition enrichment time once they are loaded.

usage: python benchmarks/bench_enrich.py [--runs N]
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





def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    exe = guidelines_exe()
    compile_package()
    out = Path(tempfile.mkdtemp()) / "2021-2"
    extract, enrich = [], []
    for _ in range(runs):
        extract.append(timed([exe, "extract", str(ROOT / "raw" / "2021-2.pdf"), "--out", str(out)]))
        enrich.append(timed([exe, "enrich", str(out)]))
    edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    start = time.perf_counter()
    from pipeline.enrich.nlp import pipeline
    pipeline()
    load = time.perf_counter() - start
    from pipeline.enrich.enrichment import edition_to_enrichment
    per_edition = []
    for _ in range(runs):
        start = time.perf_counter()
        edition_to_enrichment(edition)
        per_edition.append(time.perf_counter() - start)
    shutil.rmtree(out.parent, ignore_errors=True)
    print(f"guidelines extract (whole process) : median {statistics.median(extract):.2f} s")
    print(f"guidelines enrich  (whole process) : median {statistics.median(enrich):.2f} s")
    print(f"loading spaCy + jieba + gazetteer  : {load:.2f} s")
    print(f"enriching one edition once loaded  : median {statistics.median(per_edition):.3f} s")


if __name__ == "__main__":
    main()
