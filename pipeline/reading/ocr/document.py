"""Which pages of a PDF are read by OCR, and the document with those pages read.

`ocr_document` takes a read PDF (`pdf.RawDocument`) and returns a new one whose pages
that need OCR hold what the engine read there (rendered → read → fixed → characters),
plus a report for layout.json; the document it is given is left as it was.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from typing import Callable

from ...errors import InputTooLarge, OcrUnavailable
from ...i18n import N_, Message
from .cores import Pool
from .engine import INSTALL_HINT, EngineReader, cap_malloc_arenas, out_of_memory
from .fixes import ALL_FIXES, fix_lines
from .lines import OcrLine, lines_to_chars, snap_sizes
from .render import DEFAULT_MAX_PIXELS, page_to_image
from .gaps import lines_with_lost_characters
from .words import TesseractWords, page_runs, second_reading

OCR_MODES = ("auto", "always", "never")
# threads running the model runs, each run on one core (and pages in flight): two use both cores of the machine
# this is built on; more would add a page image and a recogniser's working memory each for no core to run them
# (benchmarks/bench_ocr.py)
MAX_WORKERS = 2
# each reading in flight holds its page image and the recogniser's working memory: pages above this many pixels
# (A4 at ~250 dpi) are read one at a time, so the peak stays under 800 MB on a 300-dpi scan
PARALLEL_MAX_PIXELS = 6_000_000
REASONS = {"none": "no text layer", "undecodable": "text layer does not decode", "forced": "--ocr always"}


@dataclass
class OcrReport:
    """What OCR did to a document, for layout.json."""

    engine: str
    pages: list[dict]  # {page, reason, dpi, lines}

    def to_dict(self) -> dict:
        return {"engine": self.engine, "pages": self.pages}


def pages_to_ocr(doc, mode: str) -> list[tuple[int, str]]:
    """(page number, reason) of every page to read by OCR: under auto those whose text layer is
    missing or does not decode (`pdf.page_text_status`), under always every page, under never none."""
    from ..pdf import page_text_status

    if mode not in OCR_MODES:
        raise ValueError(f"OCR mode {mode!r}: expected one of {OCR_MODES}")
    if mode == "never":
        return []
    statuses = [(page.number, page_text_status(page)) for page in doc.pages]
    if mode == "always":
        return [(number, "forced" if status == "text" else status) for number, status in statuses]
    return [(number, status) for number, status in statuses if status != "text"]


def read_page(pdf_page, reader, fixes: tuple[str, ...] = ALL_FIXES, words=None,
              max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[list[OcrLine], int]:
    """One pypdfium2 page → (its fixed lines, the dpi it was rendered at)."""
    image, dpi = page_to_image(pdf_page, max_pixels)
    lines = reader.read(image, dpi / 72)
    if "lost_character" in fixes:
        lines = lines_with_lost_characters(lines, image, dpi / 72)
    first = page_runs(lines, image, dpi / 72)
    lines = second_reading([first], words, getattr(reader, "dictionary", None))[0]
    return fix_lines(lines, fixes), dpi


def read_within_memory(reader, image, scale: float, path: str, number: int) -> list[OcrLine]:
    """reader.read(image, scale); InputTooLarge when the system refuses the memory to read the page (a
    ulimit -v, a container's limit): one line that says so, not the engine's traceback."""
    try:
        return reader.read(image, scale)
    except Exception as exc:  # MemoryError, onnxruntime's failed allocations, OpenCV's
        what = out_of_memory(exc)
        if what is None:
            raise
        raise InputTooLarge(N_("{path}: not enough memory to read page {page} by OCR ({what}); raise the memory "
                               "limit, or use --ocr never to refuse scans"), path=path, page=number,
                            what=what) from None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity: a container given one core reads serially)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # no affinity on this system (macOS, Windows)
        return os.cpu_count() or 1


def default_workers() -> int:
    """Pages read at once: one a usable core, at most MAX_WORKERS."""
    return max(1, min(MAX_WORKERS, usable_cores()))


def ocr_document(doc, mode: str = "auto", progress: Callable[[int, int, int, float], None] | None = None,
                 reader=None, fixes: tuple[str, ...] = ALL_FIXES, words="tesseract", workers: int | None = None,
                 max_pixels: int = DEFAULT_MAX_PIXELS):
    """The document with every page that needs OCR replaced by what the engine reads there.

    Returns (new doc, OcrReport or None); doc itself is not changed. reader: what reads a page
    image into lines (default: the engine, `EngineReader`); words: what reads the words in
    alphabetic scripts a second time (`words.TesseractWords`; None: no second reading, doubtful
    words are only flagged); fixes: the names of the fixes to apply (`fixes.ALL_FIXES`);
    workers: threads reading, and pages in flight (default: `default_workers`); max_pixels: the render
    budget of a page (`render.py`; `render.PixelLimit` past it, before the page is rendered).

    How the cores are kept busy: pages are rendered here, one at a time (pdfium is not
    thread-safe), and read by one `cores.Pool` of `workers` threads sharing one engine. A page's
    reading is a task; its detection runs on one thread (one detection at a time, engine.DETECTING),
    then its lines are spread over every thread (`engine.recognise_lines`), the oldest page's
    first, while a free thread starts the next page's detection. So an uneven page, the last
    page of an odd count and a page read alone use both cores. Fixed costs run beside the
    readings: Tesseract is started (and loads its Latin model) before the engine loads, and the
    engine loads while the first page is rendered. Memory holds one engine and at most `workers`
    small page images, or one above PARALLEL_MAX_PIXELS (read alone, its lines still spread).
    What is read does not depend on `workers` or on which thread reads what: each line is read on
    its own, padded as in its batch, and the pages are collected in page order.
    progress(i, n, page, seconds) is called after each OCR'd page, in page order.
    """
    todo = pages_to_ocr(doc, mode)
    if not todo:
        return doc, None
    workers = workers or default_workers()
    # threads sharing the model runs: each run on one core; one thread: each run on every core
    reader = reader or EngineReader(threads=1 if workers > 1 else None)
    if words == "tesseract":
        words = TesseractWords()
    try:
        if isinstance(words, TesseractWords):
            words.start("latin")  # its model loads beside the engine's and the first readings (one core is free)
        first_read = _first_readings(doc.path, [number for number, _ in todo], reader, workers, progress,
                                     max_pixels, load=lambda: _load(reader, mode, doc.path, todo[0]), fixes=fixes)
        second = second_reading([runs for runs, _ in first_read.values()], words,
                                getattr(reader, "dictionary", None))
    finally:
        if isinstance(words, TesseractWords):
            words.close()
    report = OcrReport(reader.name + (f"; {words.name}" if words is not None and words.load() else ""), [])
    read: dict[int, list[dict]] = {}
    for (number, reason), lines in zip(todo, second):
        fixed = fix_lines(lines, fixes)
        read[number] = lines_to_chars(fixed)
        report.pages.append({"page": number, "reason": REASONS[reason], "dpi": first_read[number][1],
                             "lines": len(fixed), "fixes": [c.to_dict() for ln in fixed for c in ln.changes]})
    text_chars = [c for page in doc.pages if page.number not in read for c in page.chars]
    read = snap_sizes(read, text_chars)
    pages = [dataclasses.replace(page, chars=read[page.number]) if page.number in read else page
             for page in doc.pages]
    return dataclasses.replace(doc, pages=pages), report


def _load(reader, mode: str, path: str, first: tuple[int, str]) -> None:
    """Load the reader's engine; OcrUnavailable saying which page needs it when it is not installed."""
    try:
        reader.load()
    except OcrUnavailable:
        if mode == "always":
            raise
        number, status = first
        why = N_("page {page} has no text layer (a scan?)") if status == "none" else \
            N_("page {page} has no readable text layer")
        raise OcrUnavailable(N_("{path}: {why}; reading it needs the OCR engine: {hint} "
                                "(or --ocr never to refuse scans)"),
                             path=path, why=Message(why, page=number), hint=INSTALL_HINT) from None


def _first_readings(path: str, numbers: list[int], reader, workers: int, progress,
                    max_pixels: int = DEFAULT_MAX_PIXELS, load: Callable[[], None] | None = None,
                    fixes: tuple[str, ...] = ALL_FIXES) -> dict[int, tuple]:
    """page number → (PageRuns, dpi): each page rendered here, read by a `cores.Pool` of `workers` threads
    (a page's lines spread over all of them: `engine.recognise_lines`). load (the engine's loading) runs in
    the pool while the first page is rendered; its error comes first, as if it had run before."""
    from concurrent.futures import FIRST_COMPLETED, wait

    import pypdfium2

    def read(image, dpi, number):
        lines = read_within_memory(reader, image, dpi / 72, path, number)
        if "lost_character" in fixes:  # a character dropped between Han characters, seen in the image
            lines = lines_with_lost_characters(lines, image, dpi / 72)
        return page_runs(lines, image, dpi / 72), dpi

    out: dict[int, tuple] = {}
    reading: dict[int, tuple] = {}  # page number → (its future, when it began), until collected in page order

    def collect(until: int) -> None:
        """Wait until at most `until` pages are being read; hand on the pages done, in page order."""
        while True:
            running = [future for future, _ in reading.values() if not future.done()]
            if len(running) > until:
                wait(running, return_when=FIRST_COMPLETED)
            for number in sorted(reading):
                future, began = reading[number]
                if not future.done():
                    break
                del reading[number]
                out[number] = future.result()  # a page's error is raised here, in page order
                if progress:
                    progress(len(out), len(numbers), number, time.perf_counter() - began)
            if len(running) <= until:
                return

    cap_malloc_arenas()  # before the pool's threads exist: each would get a malloc arena of its own
    pdf = pypdfium2.PdfDocument(path)
    try:
        with Pool(workers) as pool:
            loading = pool.submit(load or (lambda: None))
            for number in numbers:
                began = time.perf_counter()
                try:
                    image, dpi = page_to_image(pdf[number - 1], max_pixels)
                finally:
                    if loading is not None:
                        loading, loaded = None, loading
                        loaded.result()  # the engine's own error (not installed) before the page's
                # a large page is read alone: two page images of 300 dpi and their readings pass the memory budget
                alone = image.shape[0] * image.shape[1] > PARALLEL_MAX_PIXELS
                if alone:
                    collect(0)
                reading[number] = (pool.submit(read, image, dpi, number), began)
                del image
                collect(0 if alone else workers - 1)  # at most `workers` page images: this one and the next
            collect(0)
    finally:
        pdf.close()
    return out
