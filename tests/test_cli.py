"""The `guidelines` command: help, extract, schema, and one-line errors on bad input."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EDITIONS, ROOT
from click.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_extract_writes_edition(tmp_path):
    result = runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "2021-2: 8 directions, 2.578 亿元" in result.output
    edition = json.loads((tmp_path / "out" / "edition.json").read_text(encoding="utf-8"))
    assert edition["edition"]["id"] == "2021-2"


def test_extract_default_out_is_extracted_edition_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", str(EDITIONS["synthetic-2022-1"][0])])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "extracted" / "2022-1" / "edition.json").is_file()


def test_edition_option_overrides_the_id(tmp_path):
    result = runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "-o", str(tmp_path / "o"), "--edition", "x-1"])
    assert result.exit_code == 0
    assert json.loads((tmp_path / "o" / "edition.json").read_text(encoding="utf-8"))["edition"]["id"] == "x-1"


# --- bad input ------------------------------------------------------------------------------

def _encrypted(path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for page in PdfReader(str(EDITIONS["2021-2"][0])).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    writer.write(str(path))


def _scan(path: Path) -> None:
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 300, fill=1)  # an image of a page: no text at all
    c.showPage()
    c.save()


def _notice(path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 14)
    c.drawString(72, 700, "关于举办全国科技活动周的通知")
    c.drawString(72, 670, "各有关单位：现将有关事项通知如下。")
    c.showPage()
    c.save()


def _truncated(path: Path) -> None:
    data = EDITIONS["2021-2"][0].read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _corrupt(path: Path) -> None:
    data = EDITIONS["2021-2"][0].read_bytes()
    path.write_bytes(data[:2000] + b"\x00garbage" * 500)


BAD_INPUTS = {
    # name: (make the file, exit code, words the message must have)
    "missing": (None, 3, "no such file"),
    "empty": (lambda p: p.write_bytes(b""), 11, "empty"),
    "not a pdf": (lambda p: p.write_text("申报指南 as plain text, no markup", encoding="utf-8"), 4, "not a PDF"),
    "a web page named .pdf that is no guideline": (lambda p: p.write_text("<html>申报指南</html>", encoding="utf-8"), 8,
                                                   "no numbered directions"),
    "truncated": (_truncated, 5, "truncated or damaged"),
    "corrupt": (_corrupt, 5, "truncated or damaged"),
    "encrypted": (_encrypted, 6, "encrypted"),
    "blank scan": (_scan, 24, "OCR found no text"),  # read by OCR (the ocr extra), which finds nothing
    "not a guideline": (_notice, 8, "does not look like a 申报指南"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_one_line_error_and_nothing_left(tmp_path, name):
    make, code, words = BAD_INPUTS[name]
    pdf = tmp_path / "input.pdf"
    if make:
        make(pdf)
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(pdf), "--out", str(out)])
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == (["input.pdf"] if make else [])  # no temp dir left


def test_each_kind_of_error_has_its_own_exit_code():
    from pipeline.errors import GuidelineError

    def kinds(cls):
        return [cls] + [k for sub in cls.__subclasses__() for k in kinds(sub)]

    codes = {cls.__name__: cls.exit_code for cls in kinds(GuidelineError)[1:]}
    assert len(set(codes.values())) == len(codes), codes
    assert 1 not in codes.values() and 2 not in codes.values()  # 1: a bug; 2: click's usage errors


def test_failed_extract_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.pdf"
    _truncated(bad)
    assert runner.invoke(app, ["extract", str(bad), "--out", str(out)]).exit_code == 5
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_reextract_replaces_stale_files(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(out)]).exit_code == 0
    (out / "validation.json").write_text('{"status": "passed"}')  # a report of the edition being replaced
    (out / "data_docs").mkdir()
    # another edition replaces it only when asked (issue 11: an analyst's mistake deleted 2021-2's reports)
    refused = runner.invoke(app, ["extract", str(EDITIONS["synthetic-2022-1"][0]), "--out", str(out)])
    assert refused.exit_code == 9 and "holds edition 2021-2, not 2022-1" in refused.stderr and "--replace" in refused.stderr
    assert (out / "validation.json").exists()
    assert runner.invoke(app, ["extract", str(EDITIONS["synthetic-2022-1"][0]), "--out", str(out),
                               "--replace"]).exit_code == 0
    assert not (out / "validation.json").exists() and not (out / "data_docs").exists()
    assert json.loads((out / "edition.json").read_text(encoding="utf-8"))["edition"]["id"] == "2022-1"


def test_refuses_to_overwrite_a_foreign_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(tmp_path)])
    assert result.exit_code == 9
    assert "did not make (notes.txt)" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_console_script_prints_no_traceback(tmp_path):
    exe = shutil.which("guidelines", path=str(Path(sys.executable).parent))
    assert exe, "the console script is installed with the package"
    result = subprocess.run([exe, "extract", str(tmp_path / "nope.pdf")], capture_output=True, text=True)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_extract_does_not_import_heavy_modules(tmp_path):
    code = ("import sys; from pipeline.cli import app; from click.testing import CliRunner; "
            f"r = CliRunner().invoke(app, ['extract', r'{EDITIONS['2021-2'][0]}', '-o', r'{tmp_path / 'out'}']); "
            "print(r.exit_code, sorted(m for m in ('great_expectations', 'spacy', 'pandas', 'jieba') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "0 []", result.stderr  # the extract succeeded, and loaded none of them


@pytest.mark.parametrize("command", sorted(app.commands))
def test_every_command_has_help_with_an_example(command):
    """One rule for every command: `--help` works and shows a runnable example of that command."""
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: guidelines {command}" in " ".join(result.output.split())
