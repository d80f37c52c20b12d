"""Benchmark: what validation costs, once GX is imported and for a whole `guidelines validate`.

Reports (1) the import of great_expectations, (2) the first edition's validation in a
process, (3) the median per-edition validation time after the first, with and without
Data Docs, and (4) the median whole-process time of `guidelines validate DIR`.

usage: python benchmarks/bench_validate.py [--runs N]
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, compile_package, guidelines_exe

EDITIONS = [ROOT / "raw" / "2021-2.pdf", ROOT / "tests" / "fixtures" / "synthetic-2022-1" / "2022-1.pdf"]


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 6
    exe = guidelines_exe()
    compile_package()
    work = Path(tempfile.mkdtemp())
    dirs = []
    for pdf in EDITIONS:
        out = work / "extracted" / pdf.stem
        subprocess.run([exe, "extract", str(pdf), "--out", str(out)], check=True, capture_output=True)
        dirs.append(out)

    start = time.perf_counter()
    import great_expectations  # noqa: F401
    gx_import = time.perf_counter() - start

    from pipeline.quality.validate import validate_dir, validate_edition

    editions = [json.loads((d / "edition.json").read_text(encoding="utf-8")) for d in dirs]
    start = time.perf_counter()
    validate_edition(editions[0])
    first = time.perf_counter() - start
    later, later_docs = [], []
    for i in range(runs):
        start = time.perf_counter()
        validate_edition(editions[i % 2])
        later.append(time.perf_counter() - start)
        start = time.perf_counter()
        validate_dir(dirs[i % 2], docs=True)
        later_docs.append(time.perf_counter() - start)

    whole = []
    for _ in range(max(3, runs // 2)):
        start = time.perf_counter()
        subprocess.run([exe, "validate", str(dirs[0]), "--publish", "--to", str(work / "published")], check=True,
                       capture_output=True)
        whole.append(time.perf_counter() - start)
    shutil.rmtree(work, ignore_errors=True)
    print(f"import great_expectations            : {gx_import:.2f} s")
    print(f"first edition in a process (checks)  : {first:.2f} s")
    print(f"each later edition, checks only      : median {statistics.median(later):.2f} s")
    print(f"each later edition, checks + docs    : median {statistics.median(later_docs):.2f} s")
    print(f"whole process `guidelines validate`  : median {statistics.median(whole):.2f} s")


if __name__ == "__main__":
    main()
