"""Benchmark: `extract` pages per second on a 40-direction edition against the 13-page 2021-2 edition.

The large edition is the SYNTHETIC synthetic-large-2023-1 text (40 directions in three
groups, every kind of partner and contact) rendered by the fixture builder with ReportLab
and, when LibreOffice is installed, exported from Word by LibreOffice. Each PDF is
extracted alternately with raw/2021-2.pdf (A B A B …), so machine load affects both alike:

- whole process: `guidelines extract` wall time, pages ÷ seconds (a fixed ~0.4 s of start-up
  weighs more on fewer pages, so this favours the larger file);
- in process: read → edition (`pdf_to_stages(read_pdf(...))`), pages ÷ seconds, start-up excluded.

The ratio large ÷ 2021-2 of pages per second must not fall below ~1: a larger edition
may not cost more per page.

With `--code-before DIR` (the `pipeline/` package of another revision, e.g.
`git archive main pipeline | tar -x -C DIR`), each PDF is also read → edition by that code
and by this one, alternating in fresh processes: the ratio before ÷ now of seconds on the
same file says whether a change made extraction slower.

usage: python benchmarks/bench_large.py [--runs N] [--code-before DIR]
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

from common import ROOT, compile_package, guidelines_exe, timed

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))


def _in_process(pdf: Path) -> float:
    from pipeline.extract import pdf_to_stages
    from pipeline.reading.pdf import read_pdf

    start = time.perf_counter()
    pdf_to_stages(read_pdf(pdf))
    return time.perf_counter() - start


CORE = """import sys, time
from pathlib import Path
from pipeline.extract import pdf_to_stages
from pipeline.reading.pdf import read_pdf
pdf = Path(sys.argv[1]); pdf_to_stages(read_pdf(pdf)); times = []
for _ in range(3):
    start = time.perf_counter(); pdf_to_stages(read_pdf(pdf)); times.append(time.perf_counter() - start)
print(min(times))"""


def _core_seconds(pdf: Path, code: Path | None) -> float:
    """Fastest of three read → edition runs in a fresh process, with code's package first on the path."""
    env = {**os.environ, "PYTHONPATH": str(code)} if code else dict(os.environ)
    out = subprocess.run([sys.executable, "-c", CORE, str(pdf)], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    import large
    from pypdf import PdfReader

    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    exe = guidelines_exe()
    compile_package()
    tmp = Path(tempfile.mkdtemp())
    text = ROOT / "tests" / "fixtures" / "synthetic-large-2023-1" / "2023-1.txt"
    renderings = ("reportlab", "libreoffice") if shutil.which("soffice") else ("reportlab",)
    files = large.render_all(text, tmp, renderings)
    base = ROOT / "raw" / "2021-2.pdf"
    from pipeline.reading.pdf import read_pdf

    pages = {p: len(PdfReader(str(p)).pages) for p in [base, *files.values()]}
    glyphs = {p: sum(len(page.chars) for page in read_pdf(p).pages) for p in pages}  # denser pages cost more
    _in_process(base)  # imports and caches (CLDR names, regexes) once, as a long-running process would have them
    print(f"2021-2.pdf: {pages[base]} pages, {glyphs[base] / pages[base]:.0f} glyphs a page; " + ", ".join(
        f"large {k}: {pages[p]} pages, {glyphs[p] / pages[p]:.0f} glyphs a page" for k, p in files.items()))
    print(f"{runs} alternating runs each\n")
    for kind, pdf in files.items():
        whole = {base: [], pdf: []}
        core = {base: [], pdf: []}
        for i in range(runs):
            for path in (base, pdf):
                whole[path].append(pages[path] / timed([exe, "extract", str(path), "--out", str(tmp / f"o{i}")]))
                shutil.rmtree(tmp / f"o{i}", ignore_errors=True)
                core[path].append(pages[path] / _in_process(path))
        for label, series in (("whole process", whole), ("in process (read → edition)", core)):
            b, g = statistics.median(series[base]), statistics.median(series[pdf])
            ratios = [y / x for x, y in zip(series[base], series[pdf])]
            density = (glyphs[pdf] / pages[pdf]) / (glyphs[base] / pages[base])
            print(f"{kind:11s} {label:28s}: 2021-2 {b:5.1f} pages/s, large {g:5.1f} pages/s, "
                  f"large / 2021-2 {statistics.median(ratios):.2f}× per page, "
                  f"{statistics.median(ratios) * density:.2f}× per glyph")
    if "--code-before" in sys.argv:
        before = Path(sys.argv[sys.argv.index("--code-before") + 1]).resolve()
        print(f"\nread → edition, code in {before} vs this checkout ({runs} alternating fresh processes each):")
        for name, pdf in [("2021-2", base), *files.items()]:
            ratios = []
            for _ in range(runs):
                old, new = _core_seconds(pdf, before), _core_seconds(pdf, None)
                ratios.append(new / old)
            print(f"{name:11s}: now / before {statistics.median(ratios):.2f}× (seconds on the same file)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
