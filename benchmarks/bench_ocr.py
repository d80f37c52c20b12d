"""Benchmark: OCR seconds per page and peak memory, one page at a time vs two pages at once.

The 2021-2 fixture text is rendered with ReportLab and scanned by the fixture builder (tilt,
blur, speckle, JPEG) at 150, 200 and 300 dpi; `ocr_document` reads every page of each scan
(rendering, the engine, the second reading of names by Tesseract and every fix included), in a
fresh process per run so each run's peak resident memory is its own:

- serial: one page at a time, onnxruntime using both cores inside each model run (the default);
- 2 threads: two pages at once (`workers=2`, one engine shared, one detection at a time).

The lower bound on an idle 2-core machine is half the CPU seconds (both cores busy all the time).

Wall time depends on what else the machine runs; CPU seconds (all threads, Tesseract's included)
hardly do. Targets:
≤ 1.5 s/page at 200 dpi on 2 cores, peak resident memory ≤ 800 MB at 300 dpi.

usage: python benchmarks/bench_ocr.py [--pages N]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))


def child(pdf: str, workers: int) -> None:
    """One run, in its own process: seconds, CPU seconds and peak memory as JSON on stdout."""
    from pipeline.reading.ocr import ocr_document
    from pipeline.reading.pdf import read_pdf

    doc = read_pdf(Path(pdf))
    start, cpu = time.perf_counter(), time.process_time()
    _, report = ocr_document(doc, "always", workers=workers)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    own = resource.getrusage(resource.RUSAGE_SELF)
    tesseract = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"pages": len(report.pages), "wall": wall, "cpu": cpu + tesseract.ru_utime + tesseract.ru_stime,
                      "rss_mb": own.ru_maxrss / 1024}))


def main() -> None:
    from build import Layout, Scan, read_styled, render, scan

    n_pages = int(sys.argv[sys.argv.index("--pages") + 1]) if "--pages" in sys.argv else 6
    work = Path(tempfile.mkdtemp())
    text = (ROOT / "tests" / "fixtures" / "2021-2" / "2021-2.txt").read_text(encoding="utf-8")
    born = render(read_styled(text), work / "born.pdf", Layout(footer="hyphen"))
    print(f"{n_pages} pages per resolution; each run in a fresh process (engine loading included, ~1 s)")
    print("| dpi | run | s/page wall | CPU s/page (Tesseract's included) | s/page on 2 idle cores | peak RSS |")
    print("|---|---|---|---|---|---|")
    for dpi in (150, 200, 300):
        pdf = scan(born, work / f"scan{dpi}.pdf", Scan(dpi=dpi), pages=list(range(1, n_pages + 1)))
        for label, workers in (("serial", 1), ("2 threads", 2)):
            out = subprocess.run([sys.executable, __file__, "--child", str(pdf), str(workers)], capture_output=True,
                                 text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            per = r["pages"]
            idle = f"{r['cpu'] / 2 / per:.2f}"  # both cores busy the whole time, at best
            print(f"| {dpi} | {label} | {r['wall'] / per:.2f} | {r['cpu'] / per:.2f} | {idle} | "
                  f"{r['rss_mb']:.0f} MB |", flush=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        i = sys.argv.index("--child")
        child(sys.argv[i + 1], int(sys.argv[i + 2]))
    else:
        main()
