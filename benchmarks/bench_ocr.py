"""Benchmark: seconds per page of OCR (reading/ocr/) on scans at 150, 200 and 300 dpi.

The 2021-2 fixture text is rendered with ReportLab and scanned by the fixture builder
(tilt, blur, speckle, JPEG) at each resolution; `read_page` runs on the same pages of
each scan, rendering included, with the engine loaded once beforehand (loading takes
~0.5 s once per process). Target: ≤ 3 s/page at 200 dpi on 2 cores. Wall time depends on
what else the machine runs; CPU seconds (all threads) do not, and half of them is the wall
time on an idle 2-core machine.

usage: python benchmarks/bench_ocr.py [--pages N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))


def main() -> None:
    import pypdfium2

    from build import Layout, Scan, read_styled, render, scan
    from pipeline.reading import ocr

    n_pages = int(sys.argv[sys.argv.index("--pages") + 1]) if "--pages" in sys.argv else 4
    work = Path(tempfile.mkdtemp())
    text = (ROOT / "tests" / "fixtures" / "2021-2" / "2021-2.txt").read_text(encoding="utf-8")
    born = render(read_styled(text), work / "born.pdf", Layout(footer="hyphen"))
    reader = ocr.EngineReader()
    reader.load()
    print(f"engine: {reader.name}; {n_pages} pages per resolution")
    for dpi in (150, 200, 300):
        pdf = scan(born, work / f"scan{dpi}.pdf", Scan(dpi=dpi), pages=list(range(1, n_pages + 1)))
        document = pypdfium2.PdfDocument(str(pdf))
        seconds, cpu = [], []
        for page in document:
            start, start_cpu = time.perf_counter(), time.process_time()
            _, used = ocr.read_page(page, reader)
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        document.close()
        # CPU seconds (all threads) do not depend on what else the machine runs; on an idle 2-core
        # machine the wall time is about half of them (onnxruntime uses both cores)
        print(f"{dpi} dpi (rendered at {used}): {statistics.median(seconds):.2f} s/page wall (median), "
              f"{statistics.median(cpu):.2f} CPU s/page, {statistics.median(cpu) / 2:.2f} s/page on 2 idle cores")


if __name__ == "__main__":
    main()
