"""Benchmark: OCR seconds per page and peak memory, one page at a time vs both cores.

The 2021-2 fixture text is rendered with ReportLab and scanned by the fixture builder (tilt,
blur, speckle, JPEG) at 150, 200 and 300 dpi; `ocr_document` reads every page of each scan
(rendering, the engine, the second reading of names by Tesseract and every fix included), in a
fresh process per run so each run's peak resident memory is its own. Each resolution is read as a
4-page scan (its first pages) and as the whole 11-page document (a realistic one: the fixed costs,
engine and Tesseract loading, spread over more pages):

- before (with `--code-before DIR`, the `pipeline/` package of another revision, e.g.
  `git archive main pipeline | tar -x -C DIR`): that code's default;
- serial: one page at a time (`workers=1`), each model run on every core (the 4 pages only);
- parallel: this code's default, `default_workers()` threads (2 on this machine) sharing every
  model run (a page's detection, its lines: `reading/ocr/cores.py`), each run on one core.

Columns:

- CPU s/page: every thread's CPU seconds and Tesseract's child processes' (the second reading
  of names), divided by the pages; the steady figure on a shared machine;
- est. idle s/page: what the wall time would be on idle cores: the CPU seconds of the first
  readings (`document._first_readings`: the pages and, with this code, the engine's loading, which
  runs beside the first page's rendering) divided by the usable cores, plus the rest (Tesseract,
  fixes), which runs on one core; a lower bound (no thread ever waits for another in it);
- wall s/page: measured, inflated by whatever else the machine runs (the load average is printed);
- peak RSS: of the whole process tree (the run and its Tesseract processes: the sum of their
  proportional set sizes, sampled every 20 ms), never below the run's own peak (`ru_maxrss`),
  which is given in brackets;
- digest: of every character read (text, position, size, confidence) and of the report: runs
  whose digests are equal read exactly the same.

Targets: ≤ 1.5 s/page at 200 dpi on 2 cores, peak resident memory ≤ 800 MB at 300 dpi.

usage: python benchmarks/bench_ocr.py [--pages N] [--dpi 150,200,300] [--code-before DIR]
       python benchmarks/bench_ocr.py --child PDF WORKERS   (one run, its figures as JSON; 0: the default)
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, compile_package

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))


def child(pdf: str, workers: int | None) -> None:
    """One run, in its own process: seconds, CPU seconds, peak memory and a digest as JSON on stdout."""
    from pipeline.reading.ocr import document, ocr_document
    from pipeline.reading.pdf import read_pdf

    doc = read_pdf(Path(pdf))
    reading_cpu = [0.0]
    first_readings = document._first_readings

    def timed_first_readings(*args, **kwargs):  # the part that runs on every core (and the engine's loading)
        cpu = time.process_time()
        try:
            return first_readings(*args, **kwargs)
        finally:
            reading_cpu[0] += time.process_time() - cpu

    document._first_readings = timed_first_readings
    start, cpu = time.perf_counter(), time.process_time()
    new, report = ocr_document(doc, "always", **({"workers": workers} if workers else {}))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    own = resource.getrusage(resource.RUSAGE_SELF)
    tesseract = resource.getrusage(resource.RUSAGE_CHILDREN)
    read = json.dumps([[page.number, page.chars] for page in new.pages], sort_keys=True, default=str)
    digest = hashlib.sha256((read + json.dumps(report.pages, sort_keys=True)).encode()).hexdigest()[:12]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(json.dumps({"pages": len(report.pages), "wall": wall, "cpu": cpu + tesseract.ru_utime + tesseract.ru_stime,
                      "reading_cpu": reading_cpu[0], "cores": cores,
                      "own_mb": own.ru_maxrss / 1024, "digest": digest}))


def tree_memory(pid: int, parent_exe: str | None = None) -> int:
    """Resident bytes of a process and all its descendants, now: the sum of their Pss (proportional set
    size: a shared page counted once; Linux /proc; 0 once gone). A child still running the parent's
    program is skipped: between (v)fork and exec it holds the parent's own pages, not memory of its own."""
    total = 0
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
        if exe != parent_exe:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total = int(rollup.split("\nPss:", 1)[1].split()[0]) * 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for kid in (task / "children").read_text().split():
                total += tree_memory(int(kid), exe)
    except (OSError, ValueError, IndexError):
        pass
    return total


def run(pdf: Path, workers: int | None, code: Path | None) -> dict:
    """One run in a fresh process, its process tree's resident memory sampled every 20 ms."""
    env = {**os.environ, "PYTHONPATH": str(code)} if code else dict(os.environ)
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(pdf), str(workers or 0)], stdout=out,
                                stderr=subprocess.DEVNULL, text=True, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_memory(proc.pid))
            time.sleep(0.02)
        if proc.returncode:
            raise SystemExit(f"the run of {pdf} failed (exit {proc.returncode})")
        out.seek(0)
        result = json.loads(out.read().strip().splitlines()[-1])
    # Tesseract's ru_maxrss counts the parent's pages it was forked with: the samples measure the tree
    result["tree_mb"] = max(peak / 2**20, result["own_mb"])
    return result


def main() -> None:
    from build import Layout, Scan, read_styled, render, scan

    n_pages = int(sys.argv[sys.argv.index("--pages") + 1]) if "--pages" in sys.argv else 4
    dpis = [int(d) for d in sys.argv[sys.argv.index("--dpi") + 1].split(",")] if "--dpi" in sys.argv \
        else [150, 200, 300]
    before = Path(sys.argv[sys.argv.index("--code-before") + 1]).resolve() if "--code-before" in sys.argv else None
    compile_package()
    work = Path(tempfile.mkdtemp())
    text = (ROOT / "tests" / "fixtures" / "2021-2" / "2021-2.txt").read_text(encoding="utf-8")
    born = render(read_styled(text), work / "born.pdf", Layout(footer="hyphen"))
    print(f"{n_pages} pages and the whole document per resolution; each run in a fresh process (engine loading "
          f"included, ~0.4 s); "
          f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}")
    print("| dpi | run | CPU s/page | est. idle s/page | wall s/page | peak RSS | digest |")
    print("|---|---|---|---|---|---|---|")
    runs = ([("before", None, before)] if before else []) + [("serial", 1, None), ("parallel", None, None)]
    for dpi in dpis:
        pdf = scan(born, work / f"scan{dpi}.pdf", Scan(dpi=dpi), pages=list(range(1, n_pages + 1)))
        whole = scan(born, work / f"whole{dpi}.pdf", Scan(dpi=dpi))
        for label, workers, code, path in [(label, workers, code, pdf) for label, workers, code in runs] + \
                [(f"{label}, whole document", workers, code, whole) for label, workers, code in runs if workers != 1]:
            r = run(path, workers, code)
            per = r["pages"]
            idle = (r["reading_cpu"] / r["cores"] + r["cpu"] - r["reading_cpu"]) / per
            print(f"| {dpi} | {label} ({per} pages) | {r['cpu'] / per:.2f} | {idle:.2f} | {r['wall'] / per:.2f} | "
                  f"{r['tree_mb']:.0f} MB ({r['own_mb']:.0f}) | {r['digest']} |", flush=True)
    print(f"load average at the end: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        i = sys.argv.index("--child")
        child(sys.argv[i + 1], int(sys.argv[i + 2]) or None)
    else:
        main()
