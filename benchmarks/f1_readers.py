"""F1 of both PDF readers on every PDF the suite builds: pdfium (the default) and pdfminer (the reference).

Each PDF `tests/test_pdfium.py` reads with both readers is built again here (the bundled
editions, the layout, content and spread variants, flat watermarks, pages stored turned, a
page box away from the origin, an invisible OCR layer, the LibreOffice printout of the Word
twin, i20's packagings, a scan with someone else's OCR layer, Chromium's print), read with
each reader (`--ocr never`, as the tests read them) and scored with the shared scorer
against the gold facts of the document it was built from (hand-written: the bundled
editions' gold files, and the gold each content variant states). A PDF built from part of
an edition has no gold: only whether both readers' edition.json are the same is reported
(boxes within the 0.5 pt `tests/test_pdfium.py` allows).
The 2022-1 edition is SYNTHETIC.

usage: python benchmarks/f1_readers.py [--only SUBSTRING]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT

sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "fixtures")]

import build  # noqa: E402
import packagings  # noqa: E402

SCORER = ROOT / "tests" / "fixtures" / "score_edition.py"
EDITIONS = {
    "2021-2": (ROOT / "raw" / "2021-2.pdf", ROOT / "tests/fixtures/2021-2/2021-2.txt",
               ROOT / "tests/fixtures/2021-2/2021-2.gold.json"),
    "synthetic-2022-1": (ROOT / "tests/fixtures/synthetic-2022-1/2022-1.pdf",
                         ROOT / "tests/fixtures/synthetic-2022-1/2022-1.txt",
                         ROOT / "tests/fixtures/synthetic-2022-1/2022-1.gold.json"),
}


def styled(edition: str):
    return build.read_styled(EDITIONS[edition][1].read_text(encoding="utf-8"))


def gold(edition: str) -> dict:
    return json.loads(EDITIONS[edition][2].read_text(encoding="utf-8"))


def cases(work: Path):
    """(name, a function building the PDF, [gold of each guideline in it, in order] or None)."""
    from test_extract import LAYOUTS
    from test_spread import VARIANTS

    s21, g21, g22 = styled("2021-2"), gold("2021-2"), gold("synthetic-2022-1")
    fonts = build.available_fonts()
    yield "bundled 2021-2", lambda: EDITIONS["2021-2"][0], [g21]
    yield "bundled synthetic-2022-1", lambda: EDITIONS["synthetic-2022-1"][0], [g22]
    for name in ("a4-stsong-justified", "letter-wqy-ragged", "uming-block-paragraphs-page-of-footer",
                 "watermark-and-running-header", "letter-no-footer-small-font"):
        if LAYOUTS[name].font in fonts:
            yield f"layout {name}", lambda n=name: build.render(s21, work / f"{n}.pdf", LAYOUTS[n]), [g21]
    for variant, make in build.CONTENT_VARIANTS.items():
        text, variant_gold = make(s21, json.loads(json.dumps(g21)))
        layout = build.VARIANT_LAYOUTS.get(variant, build.Layout())
        if all(font in fonts for font in (layout.font, layout.latin_font) if font):
            yield (f"content {variant}", lambda t=text, v=variant, ly=layout:
                   build.render(t, work / f"{v}.pdf", ly), [variant_gold])
    for variant, (edition, spread, content) in VARIANTS.items():
        if spread.font not in fonts:
            continue
        text, spread_gold = styled(edition), gold(edition)
        if content:
            text, spread_gold = build.CONTENT_VARIANTS[content](text, spread_gold)
        yield (f"spread {variant}", lambda t=text, s=spread, v=variant:
               build.render_spread(t, work / f"spread-{len(v)}.pdf", s), [spread_gold])
    from reportlab.lib.colors import Color, black

    for name, color, scale in (("light", Color(0.85, 0.85, 0.85), 2.0), ("oversized", black, 4.0)):
        yield (f"flat watermark {name}", lambda n=name, c=color, k=scale: build.render(
            s21, work / f"wm-{n}.pdf", build.Layout(extra={"flat_watermark": ("内部资料 请勿外传", c, k)})), [g21])
    plain = lambda: build.render(s21, work / "plain.pdf")  # noqa: E731
    for rotation in (90, 180, 270):
        yield (f"stored turned {rotation}", lambda r=rotation: build.stored_turned(plain(), work / f"turned-{r}.pdf", r),
               [g21])
    yield "page box moved", lambda: build.page_box_moved(plain(), work / "moved.pdf", dx=100, dy=-50), [g21]
    yield "invisible OCR line", lambda: build.with_invisible_layer(plain(), work / "ocr-layer.pdf"), [g21]
    if shutil.which("soffice"):
        def libreoffice():
            docx = build.render_docx(s21, work / "guide.docx")
            subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{work}/lo",
                            "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                           check=True, capture_output=True, timeout=180)
            return work / "guide.pdf"
        yield "Word twin printed by LibreOffice", libreoffice, [g21]
    s22 = styled("synthetic-2022-1")
    yield "ruled tables", lambda: build.render(packagings.with_ruled_tables(s21), work / "ruled.pdf"), [g21]
    yield "notice bundle", lambda: build.render(packagings.notice_bundle(s21), work / "bundle.pdf"), [g21]
    yield "two guidelines", lambda: build.render(packagings.back_to_back(s21, s22), work / "two.pdf"), [g21, g22]
    large, large_gold = packagings.large_edition((s21, g21), (s22, g22))
    yield "large edition", lambda: build.render(large, work / "large.pdf"), [large_gold]
    for mode in ("invisible", "under_image"):
        yield (f"scan with a foreign OCR layer ({mode})", lambda m=mode: packagings.foreign_text_layer(
            build.render(s21[:40], work / "part.pdf"), work / f"foreign-{m}.pdf", mode=m, dpi=100), None)
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        yield ("web page printed by Chromium",
               lambda: packagings.browser_print(packagings.html_repost(s21), work / "print.pdf"), [g21])


def read_with(pdf: Path, reader: str):
    from pipeline.extract import read_and_fix

    from pipeline.errors import GuidelineError

    os.environ["GUIDELINES_PDF_READER"] = reader
    try:
        reading = read_and_fix(pdf, ocr="never")
        return reading.doc.reader, [stages.edition.model_dump(mode="json") for stages in reading.editions("in.pdf")]
    except GuidelineError as refused:  # a font without some letters: the page goes to OCR, not read here
        return reader, f"refused ({type(refused).__name__})"
    finally:
        del os.environ["GUIDELINES_PDF_READER"]


def f1(gold_facts: dict, edition: dict, work: Path) -> str:
    (work / "gold.json").write_text(json.dumps(gold_facts, ensure_ascii=False), encoding="utf-8")
    (work / "pred.json").write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORER), str(work / "gold.json"), str(work / "pred.json")],
                         capture_output=True, text=True, check=True).stdout
    return re.search(r"f1=([0-9.]+)", out).group(1)


def main() -> None:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    work = Path(tempfile.mkdtemp())
    rows = []
    try:
        for name, make, golds in cases(work):
            if only not in name:
                continue
            pdf = make()
            (reader_a, a), (reader_b, b) = read_with(pdf, "pdfium"), read_with(pdf, "pdfminer")
            refused = isinstance(a, str) or isinstance(b, str)
            scores = [(f1(g, x, work), f1(g, y, work)) for g, x, y in zip(golds, a, b)] if golds and not refused \
                else [(a, b)] if refused else []
            from test_pdfium import _differences  # the test's comparison: boxes within its 0.5 pt

            same = "same" if a == b else "same, boxes within 0.5 pt" if not _differences(a, b) else "DIFFERENT"
            row = (f"{name:50s} pdfium F1 {'/'.join(s for s, _ in scores) or '-':12s} "
                   f"pdfminer F1 {'/'.join(s for _, s in scores) or '-':12s} edition.json: {same}"
                   + ("" if reader_a == "pdfium" else f"  (read by {reader_a})"))
            print(row, flush=True)
            rows.append(not _differences(a, b))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(rows)} PDFs; both readers' edition.json the same (boxes within 0.5 pt) on {sum(rows)}")


if __name__ == "__main__":
    main()
