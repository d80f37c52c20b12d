"""Benchmark: the whole `guidelines extract` process against bare pdfplumber and bare pypdfium2.

1. Ratios. Four fresh processes over the same PDF, in turn (ours, ours with the pdfminer
   reader, pdfplumber, pypdfium2, ours, …) so that machine load affects all alike:
   `guidelines extract` (the whole pipeline: reading, layout, records, four JSON files),
   the same with `GUIDELINES_PDF_READER=pdfminer` (the reference reader: the baseline
   before pdfium), pdfplumber's `extract_text` of every page, and pypdfium2's text of
   every page (the PDF engine alone). Reported: the median of the per-round ratios, wall
   clock and CPU (user + system) time. Targets: ≤ 1.0× pdfplumber (goal 0.5×).
2. A 600-page file built by the fixture builder (the 2021-2 directions repeated and
   renumbered, `build.repeat_directions`): `guidelines extract` once with each PDF reader
   (pdfium, the default; pdfminer, the reference), pages per second and peak resident
   memory of the process. Targets: under 10 s, ≤ 500 MB.

usage: python benchmarks/bench_extract.py [PDF] [--runs N] [--pages N] [--no-big]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, compile_package, guidelines_exe

PDFPLUMBER = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_text() for p in pdf.pages]"
PYPDFIUM2 = ("import sys, pypdfium2\npdf = pypdfium2.PdfDocument(sys.argv[1])\n"
             "[pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]")


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident MB of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def ratios(pdf: Path, runs: int) -> None:
    exe = guidelines_exe()
    work = Path(tempfile.mkdtemp())
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    env.pop("GUIDELINES_PDF_READER", None)
    subjects = {  # name: (command, environment)
        "guidelines extract": ([exe, "extract", str(pdf), "--out", str(work / "out")], env),
        "extract, pdfminer reader": ([exe, "extract", str(pdf), "--out", str(work / "out-pdfminer")],
                                     {**env, "GUIDELINES_PDF_READER": "pdfminer"}),
        "pdfplumber extract_text": ([sys.executable, "-c", PDFPLUMBER, str(pdf)], env),
        "pypdfium2 text": ([sys.executable, "-c", PYPDFIUM2, str(pdf)], env),
    }
    for cmd, cmd_env in subjects.values():  # warm the file cache and the bytecode
        run(cmd, cmd_env)
    times = {name: [] for name in subjects}
    for _ in range(runs):
        for name, (cmd, cmd_env) in subjects.items():
            times[name].append(run(cmd, cmd_env))
    shutil.rmtree(work, ignore_errors=True)
    print(f"{pdf.name}: {runs} rounds, each process once per round in turn")
    for name, samples in times.items():
        print(f"  {name:26s} median {statistics.median(s[0] for s in samples):.3f} s wall, "
              f"{statistics.median(s[1] for s in samples):.3f} s CPU, {max(s[2] for s in samples)} MB peak")
    ours = times["guidelines extract"]
    for name in ("extract, pdfminer reader", "pdfplumber extract_text", "pypdfium2 text"):
        wall = statistics.median(a[0] / b[0] for a, b in zip(ours, times[name]))
        cpu = statistics.median(a[1] / b[1] for a, b in zip(ours, times[name]))
        target = "  (target <= 1.0x, goal 0.5x)" if name.startswith("pdfplumber") else ""
        print(f"  ratio to {name}: {wall:.2f}x wall, {cpu:.2f}x CPU (medians of rounds){target}")


def big_file(pages: int, work: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import build

    from pypdfium2 import PdfDocument

    styled = build.read_styled((ROOT / "tests" / "fixtures" / "2021-2" / "2021-2.txt").read_text(encoding="utf-8"))
    out = work / f"compendium-{pages}.pdf"
    copies = max(1, pages // 10)
    for _ in range(3):  # about `pages` pages: a copy of the directions takes ~10
        count = len(PdfDocument(str(build.render(build.repeat_directions(styled, copies), out))))
        if abs(count - pages) <= pages // 50:
            break
        copies = max(1, round(copies * pages / count))
    return out


def big(pages: int) -> None:
    from pypdfium2 import PdfDocument

    work = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    pdf = big_file(pages, work)
    count = len(PdfDocument(str(pdf)))
    print(f"{pdf.name}: {count} pages, {pdf.stat().st_size / 2**20:.1f} MB "
          f"(built by the fixture builder in {time.perf_counter() - started:.0f} s)")
    for reader in ("pdfium", "pdfminer"):
        env = {**os.environ, "GUIDELINES_PDF_READER": reader, "DVC_NO_ANALYTICS": "1"}
        wall, cpu, peak = run([guidelines_exe(), "extract", str(pdf), "--out", str(work / reader),
                               "--edition", "compendium"], env)
        print(f"  guidelines extract, {reader} reader: {wall:.1f} s wall ({count / wall:.0f} pages/s), "
              f"{cpu:.1f} s CPU, {peak} MB peak resident" + ("  (targets: < 10 s, <= 500 MB)"
                                                            if reader == "pdfium" else ""))
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 9
    pages = int(sys.argv[sys.argv.index("--pages") + 1]) if "--pages" in sys.argv else 600
    args = [a for a in args if a not in (str(runs), str(pages))]
    pdf = Path(args[0]) if args else ROOT / "raw" / "2021-2.pdf"
    compile_package()
    ratios(pdf, runs)
    if "--no-big" not in sys.argv:
        big(pages)


if __name__ == "__main__":
    main()
