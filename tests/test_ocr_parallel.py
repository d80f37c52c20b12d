"""OCR on both cores (reading/ocr/document.py, engine.py): what is read never depends on how.

Editions are reproduced byte for byte (DVC), so the characters and confidences OCR reads
must be the same whether pages are read one at a time or two at once, whichever finishes
first, and whether a model run uses one core or every core; and both cores must have work
to the last page (a page's lines are spread over the threads: `cores.py`). Speed and memory are
measured in benchmarks/bench_ocr.py, not here. The slow cases read three pages of the 2021-2 text,
scanned by the fixture builder at 200 dpi.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from conftest import EDITIONS
from pipeline.reading.ocr import cores, document, engine
from test_ocr import needs_engine

TEXT_2021 = EDITIONS["2021-2"][1]
WAIT = 10  # seconds a part waits for the other thread before the test fails (it never should)


@pytest.mark.parametrize("cores, workers", [({0}, 1), ({0, 1}, 2), ({0, 1, 2, 3}, document.MAX_WORKERS)])
def test_pages_read_at_once_follow_the_usable_cores(monkeypatch, cores, workers):
    """A container given one core reads one page at a time; more cores than MAX_WORKERS add no reading."""
    monkeypatch.setattr(document.os, "sched_getaffinity", lambda pid: cores, raising=False)
    assert document.usable_cores() == len(cores)
    assert document.default_workers() == workers


def _page_spreading(parts: int, barrier: threading.Barrier, threads: set):
    """A page's reading: its parts, each waiting (at a barrier of two) until another thread runs one too."""
    def part(i):
        threads.add(threading.current_thread().name)
        barrier.wait()
        return i * i
    return cores.spread([lambda i=i: part(i) for i in range(parts)])


def test_one_page_spreads_its_parts_over_both_threads():
    """A single page (the last of an odd count, or one read alone) keeps both threads busy: its parts
    meet at a barrier of two, which one thread alone would never pass; the results come back in order."""
    barrier, threads = threading.Barrier(2, timeout=WAIT), set()
    with cores.Pool(2) as pool:
        assert pool.submit(_page_spreading, 6, barrier, threads).result(timeout=WAIT) == [i * i for i in range(6)]
    assert len(threads) == 2


def test_a_part_that_fails_fails_its_page_and_outside_a_pool_parts_run_in_turn():
    def page():
        return cores.spread([lambda: 1, lambda: 1 / 0, lambda: 3])

    with cores.Pool(2) as pool:
        with pytest.raises(ZeroDivisionError):
            pool.submit(page).result(timeout=WAIT)
    assert cores.spread([lambda: 1, lambda: 2]) == [1, 2]  # no pool: in the calling thread, in order
    with pytest.raises(ZeroDivisionError):
        page()


class _FakeRecogniser:
    """What `engine.recognise_lines` uses of the engine's recogniser: a line's reading is its crop's width
    and the width it was padded to, so a line padded otherwise than its batch would be seen."""

    rec_image_shape = [3, 48, 320]

    def __init__(self, meet: threading.Barrier | None = None):
        self.threads, self.meet, self.runs, self.counting = set(), meet, 0, threading.Lock()

    def resize_norm_img(self, crop, widest):
        import numpy as np
        return np.full((3, 48, 8), widest, dtype=np.float32)

    def session(self, line):
        self.threads.add(threading.current_thread().name)
        with self.counting:
            self.runs += 1
            first_two = self.runs <= 2
        if self.meet is not None and first_two:
            self.meet.wait()  # the first two lines are read at once, on two threads, or the test fails
        return [line]

    def postprocess_op(self, preds, _return_word_box, wh_ratio_list, max_wh_ratio):
        return [(f"{wh_ratio_list[0]:.3f} padded to {float(preds[0][0, 0, 0]):.3f}", 1.0, None)]


def test_a_pages_lines_read_on_both_threads_as_in_one():
    """The recogniser's lines of one page, spread over two threads, read exactly as one after another:
    each padded to the widest of its batch of REC_BATCH neighbours in width order."""
    import numpy as np
    crops = [np.zeros((20, 20 + 37 * k % 300, 3), dtype=np.uint8) for k in range(4 * engine.REC_BATCH + 1)]
    ratios = [c.shape[1] / 20 for c in crops]  # distinct widths: 37 and 300 share no factor
    in_order = sorted(ratios)
    batch_widest = [max([320 / 48] + in_order[k:k + engine.REC_BATCH]) for k in range(0, len(crops), engine.REC_BATCH)]
    expected = [f"{r:.3f} padded to {batch_widest[in_order.index(r) // engine.REC_BATCH]:.3f}" for r in ratios]
    alone = engine.recognise_lines(_FakeRecogniser(), crops)
    assert [text for text, _, _ in alone] == expected
    spread = _FakeRecogniser(meet=threading.Barrier(2, timeout=WAIT))
    with cores.Pool(2) as pool:
        assert pool.submit(engine.recognise_lines, spread, crops).result(timeout=WAIT) == alone
    assert len(spread.threads) == 2


def test_progress_is_in_page_order_when_a_later_page_is_read_first(born_pdf):
    """Pages are handed on in page order, whichever thread ends first: the first page read is the slowest."""
    from pipeline.reading.pdf import read_pdf

    class SlowFirstReader:
        name, dictionary = "slow first", None

        def __init__(self):
            self.calls, self.lock = 0, threading.Lock()

        def load(self):
            pass

        def read(self, image, scale):
            with self.lock:
                self.calls += 1
                first = self.calls == 1
            time.sleep(0.3 if first else 0)
            return []

    seen = []
    doc = read_pdf(born_pdf)
    document.ocr_document(doc, "always", reader=SlowFirstReader(), words=None, workers=2,
                          progress=lambda i, n, page, seconds: seen.append((i, page)))
    assert seen == [(i, i) for i in range(1, len(doc.pages) + 1)]


@pytest.fixture(scope="module")
def born_pdf(tmp_path_factory):
    from build import Layout, read_styled, render
    return render(read_styled(TEXT_2021.read_text(encoding="utf-8")), tmp_path_factory.mktemp("born") / "born.pdf",
                  Layout(footer="hyphen"))


def test_the_engine_missing_is_said_before_a_page_too_large(born_pdf, monkeypatch):
    """The engine loads while the first page is rendered; when it is not installed, that is what is said,
    as when it was loaded before any page, not the page's own refusal (over the pixel budget)."""
    from pipeline.errors import OcrUnavailable
    from pipeline.reading.ocr.render import PixelLimit
    from pipeline.reading.pdf import read_pdf

    def unavailable(*args, **kwargs):
        raise OcrUnavailable("the test has no engine")

    doc = read_pdf(born_pdf)
    with pytest.raises(PixelLimit):
        document.ocr_document(doc, "always", reader=_NoLines(), words=None, max_pixels=1000)
    monkeypatch.setattr(engine, "load_engine", unavailable)
    with pytest.raises(OcrUnavailable):
        document.ocr_document(doc, "always", words=None, max_pixels=1000)


class _NoLines:
    name, dictionary = "no lines", None

    def load(self):
        pass

    def read(self, image, scale):
        return []


@pytest.fixture(scope="module")
def small_scan(tmp_path_factory):
    """Three pages of the 2021-2 text scanned at 200 dpi (3.9 Mpx a page: read two at a time)."""
    from build import Layout, Scan, read_styled, render, scan
    base = tmp_path_factory.mktemp("cores")
    born = render(read_styled(TEXT_2021.read_text(encoding="utf-8")), base / "born.pdf", Layout(footer="hyphen"))
    return scan(born, base / "scan200.pdf", Scan(dpi=200), pages=[1, 2, 3])


def _read(pdf, **how) -> str:
    """Everything OCR gave: each page's characters (text, box, size, confidence) and the report, as text."""
    from pipeline.reading.pdf import read_pdf
    new, report = document.ocr_document(read_pdf(pdf), "always", **how)
    return json.dumps({"pages": [[page.number, page.chars] for page in new.pages], "report": report.to_dict()},
                      sort_keys=True, ensure_ascii=False, default=repr)


@pytest.mark.slow
@needs_engine
def test_pages_read_two_at_once_read_exactly_as_one_at_a_time(small_scan):
    """Serial (each model run on every core) and parallel (two pages at once, each run on one core):
    the same characters and confidences, to the last digit."""
    serial = _read(small_scan, workers=1)
    parallel = _read(small_scan, workers=2)
    assert '"confidence"' in serial, "the pages should hold characters read by OCR"
    assert "申报" in "".join(char["text"] for page in json.loads(serial)["pages"] for char in page[1])
    assert parallel == serial


@pytest.mark.slow
@needs_engine
def test_one_line_per_model_run_reads_as_the_engines_batches(small_scan):
    """The recogniser run line by line (each padded to its batch's width) gives what the engine's own
    batched call gives, on every line of a page: text, columns and each character's confidence."""
    import numpy as np
    import pypdfium2

    from pipeline.reading.ocr.render import page_to_image
    ocr = engine.load_engine(threads=1)
    pdf = pypdfium2.PdfDocument(small_scan)
    try:
        image, dpi = page_to_image(pdf[0])
    finally:
        pdf.close()
    boxes = ocr.sorted_boxes(ocr.text_det(image)[0])
    crops = ocr.get_crop_img_list(image, [np.array(b, dtype=np.float32) for b in boxes])
    assert len(crops) > engine.REC_BATCH * 3, "a page of text holds many batches of lines"
    batched, _ = ocr.text_rec(crops, True)
    assert engine.recognise_lines(ocr.text_rec, crops) == batched


def _has_script_models() -> bool:
    from pipeline.reading.ocr.words import TesseractWords
    return TesseractWords().load()


needs_tesseract = pytest.mark.skipif(not _has_script_models(), reason="tesseract and its script models are not "
                                                                       "installed")


NAMES = ["Søren Østergaard", "Jürgen Weiß, Łukasz Wróbel", "Анна Волкова", "Dr. Đặng Thị Hà"]


def _crops(background=(255, 255, 255, 255), ink=(0, 0, 0, 0)):
    """A grey crop per name, as the second reading cuts them from a page (letters the engine's dictionary lacks
    among them), drawn in the fixture builder's font for Latin, Vietnamese, Greek and Cyrillic, each its size;
    background/ink: each crop's grey levels."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from build import FONT_FILES
    font = FONT_FILES["dejavu"][0]
    out = []
    for k, name in enumerate(NAMES):
        size = 30 + 2 * k
        image = Image.new("L", (int(size * 0.62 * len(name)) + 40, int(size * 1.6)), background[k])
        ImageDraw.Draw(image).text((20, size * 0.2), name, fill=ink[k], font=ImageFont.truetype(font, size))
        out.append(np.array(image))
    return out


@pytest.mark.slow  # Tesseract run three times per script: about 2 s each
@needs_tesseract
@pytest.mark.parametrize("script", ["latin", "foreign"])
def test_tesseract_started_early_reads_as_pytesseract(script, tmp_path):
    """The second reading's Tesseract, started before the pages are read and fed its crops on stdin (a page
    each, one TIFF), gives what pytesseract.image_to_data gives on the same TIFF and config (words, boxes,
    confidences, pages), and reports the same version."""
    import pytesseract

    from pipeline.reading.ocr.words import TesseractWords
    pages = _crops()
    reader = TesseractWords()
    reader.start(script)
    early = reader.data(pages, script)
    assert not reader.waiting, "the Tesseract started early read the crops"
    late = reader.data(pages, script)  # none waiting: started now
    tiff = tmp_path / "crops.tif"
    tiff.write_bytes(TesseractWords.tiff(pages))
    expected = pytesseract.image_to_data(str(tiff), lang=TesseractWords.SCRIPTS[script], config="--psm 6",
                                         output_type=pytesseract.Output.DICT)
    assert early == late == expected
    assert set(expected["page_num"]) == {1, 2, 3, 4}, "each crop is a page"
    assert any(word.strip() for word in expected["text"]), "the names are read"
    assert reader.name.endswith(f"Tesseract {pytesseract.get_tesseract_version()}")


@pytest.mark.slow  # Tesseract started five times per script: about 5 s
@needs_tesseract
@pytest.mark.parametrize("script", ["latin", "foreign"])
def test_a_crop_reads_among_others_as_it_reads_alone(script):
    """Each crop's words come back with its own crop, centred inside it, and read as that crop read alone
    gives them: a darker crop (a seal's red, a greyer JPEG block) or a larger one does not change how the
    others are read (Tesseract thresholds and finds lines page by page; on one stacked sheet it did not)."""
    from pipeline.reading.ocr.words import TesseractWords
    crops = _crops(background=(255, 150, 235, 255), ink=(0, 20, 90, 60))
    reader = TesseractWords()
    together = reader.read(crops, script)
    alone = [reader.read([crop], script)[0] for crop in crops]
    assert together == alone
    for crop, words in zip(crops, together):
        assert words, "every crop's name is read"
        assert all(0 <= x <= crop.shape[1] and 0 <= y <= crop.shape[0] for _, _, (x, y) in words)
    if script == "latin":
        assert [w for w, _, _ in together[0]] == ["Søren", "Østergaard"]


@needs_tesseract
def test_a_tesseract_never_given_a_sheet_is_ended():
    from pipeline.reading.ocr.words import TesseractWords
    reader = TesseractWords()
    reader.start("latin")
    proc = reader.waiting["latin"]
    reader.close()
    assert proc.poll() is not None and not reader.waiting
