"""OCR on both cores (reading/ocr/document.py, engine.py): what is read never depends on how.

Editions are reproduced byte for byte (DVC), so the characters and confidences OCR reads
must be the same whether pages are read one at a time or two at once, whichever finishes
first, and whether a model run uses one core or every core. Speed and memory are measured
in benchmarks/bench_ocr.py, not here. The slow cases read three pages of the 2021-2 text,
scanned by the fixture builder at 200 dpi.
"""

from __future__ import annotations

import json

import pytest

from conftest import EDITIONS
from pipeline.reading.ocr import document, engine
from test_ocr import needs_engine

TEXT_2021 = EDITIONS["2021-2"][1]



@pytest.mark.parametrize("cores, workers", [({0}, 1), ({0, 1}, 2), ({0, 1, 2, 3}, document.MAX_WORKERS)])
def test_pages_read_at_once_follow_the_usable_cores(monkeypatch, cores, workers):
    """A container given one core reads one page at a time; more cores than MAX_WORKERS add no reading."""
    monkeypatch.setattr(document.os, "sched_getaffinity", lambda pid: cores, raising=False)
    assert document.usable_cores() == len(cores)
    assert document.default_workers() == workers


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
