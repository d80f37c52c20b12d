"""Issue 11: nothing lost, nothing wrong published. One regression test (or more) per item.

Files are made from the bundled 2021-2 PDF by `tests/hostile.py` (pypdf edits, byte
surgery, hand-written PDFs); each test says which item of the issue it covers.

The command runs in this process (`cli_here`, conftest.py) unless what a test checks needs a
process of its own (`cli`: an address-space limit, the stream's encoding, a closed pipe, a
signal, a lock another process holds, a library writing to the process's stderr). `bounded`
runs a refusal that must be fast and small both ways: in this process in the fast loop, and
under its memory limit in a process of its own with the slow tests.
"""

import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EDITIONS, GUIDELINES, real_cli

import hostile
from pipeline.cli import app

runner = CliRunner()
REAL = EDITIONS["2021-2"][0]
SYNTHETIC = EDITIONS["synthetic-2022-1"][0]
cli = real_cli  # the real command in a subprocess (pdfminer logs to the process's stderr, which CliRunner misses)


def one_line_error(result, code: int, *words: str) -> str:
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    for word in words:
        assert word in line
    return line


@pytest.fixture(scope="module")
def extracted_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("ok") / "2021-2"
    assert runner.invoke(app, ["extract", str(REAL), "--out", str(out)]).exit_code == 0
    return out


# --- 1. --out holding only dot-entries; --out . ---------------------------------------------------

@pytest.mark.parametrize("entries", [[".git/config"], [".env"], [".git/HEAD", ".env"]])
def test_extract_never_replaces_a_directory_of_dot_entries(tmp_path, entries):
    out = tmp_path / "repo"
    for entry in entries:
        (out / entry).parent.mkdir(parents=True, exist_ok=True)
        (out / entry).write_text("SECRET=1")
    result = runner.invoke(app, ["extract", str(REAL), "--out", str(out)])
    assert result.exit_code == 9 and "did not make" in result.stderr
    assert all((out / entry).read_text() == "SECRET=1" for entry in entries)
    assert runner.invoke(app, ["extract", str(REAL), "--out", str(out), "--replace"]).exit_code == 9  # not even so


@pytest.mark.parametrize("out", [".", "..", "./"])
def test_extract_out_dot_is_one_line_not_a_traceback(tmp_path, monkeypatch, out):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    result = runner.invoke(app, ["extract", str(REAL), "--out", out])
    assert result.exit_code == 9 and "current directory" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(Path(".").iterdir()) == []


# --- 2. tables --out: the user's files --------------------------------------------------------------

def test_tables_never_deletes_the_users_tables(tmp_path, extracted_dir):
    root = tmp_path / "extracted"
    shutil.copytree(extracted_dir, root / "2021-2")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "budget.csv").write_text("a,b\n1,2\n")
    (mine / "old.parquet").write_bytes(b"PAR1")
    result = runner.invoke(app, ["tables", "--root", str(root), "--out", str(mine)])
    assert result.exit_code == 9 and "did not make (budget.csv, old.parquet)" in result.stderr
    assert (mine / "budget.csv").read_text() == "a,b\n1,2\n" and (mine / "old.parquet").read_bytes() == b"PAR1"
    # a directory the tool made is replaced, again and again
    ours = tmp_path / "tables"
    assert runner.invoke(app, ["tables", "--root", str(root), "--out", str(ours)]).exit_code == 0
    assert runner.invoke(app, ["tables", "--root", str(root), "--out", str(ours)]).exit_code == 0


def test_tables_out_file_stays_a_file(tmp_path, extracted_dir):
    root = tmp_path / "extracted"
    shutil.copytree(extracted_dir, root / "2021-2")
    target = tmp_path / "report.csv"
    target.write_text("mine")
    result = runner.invoke(app, ["tables", "--root", str(root), "--out", str(target)])
    assert result.exit_code == 9 and target.read_text() == "mine"


# --- 3. edition ids from edition.json; another edition in --out ----------------------------------------

@pytest.mark.parametrize("bad_id", ["../victim", "ABSOLUTE", "a/../../b", ".hidden", ""])
def test_an_edition_id_is_checked_wherever_it_is_read(tmp_path, extracted_dir, bad_id):
    directory = tmp_path / "work" / "ed"
    shutil.copytree(extracted_dir, directory)
    data = json.loads((directory / "edition.json").read_text(encoding="utf-8"))
    absolute = tmp_path / "victim-abs"
    data["edition"]["id"] = str(absolute) if bad_id == "ABSOLUTE" else bad_id
    (directory / "edition.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    published = tmp_path / "work" / "published"
    for args in (["validate", directory, "--publish", "--to", published, "--no-docs"],
                 ["publish", directory, "--to", published],
                 ["tables", directory, "--out", tmp_path / "work" / "tables"]):
        result = runner.invoke(app, list(map(str, args)))
        assert result.exit_code == 10 and "is not valid" in result.stderr, (args, result.output)
    assert (victim / "keep.txt").read_text() == "keep" and not absolute.exists()
    assert not published.exists() and not (tmp_path / "work" / "tables").exists()


def test_a_validation_report_cannot_name_another_directory(tmp_path, extracted_dir):
    from pipeline.editions import load_edition_dir
    from pipeline.errors import BadEdition
    from pipeline.models import ValidationReport
    from pipeline.publish.gate import publish
    from pipeline.editions import edition_digest

    edition = load_edition_dir(extracted_dir)
    report = ValidationReport(edition_id="../victim", edition_sha256=edition_digest(edition), status="passed",
                              great_expectations_version="x", summary={"checks": 0, "passed": 0, "failed": 0,
                                                                        "skipped": 0}, checks=[])
    with pytest.raises(BadEdition):
        publish(edition, report, tmp_path / "published")
    assert not (tmp_path / "victim").exists()


def test_extracting_another_edition_into_an_edition_directory_is_refused(tmp_path):
    out = tmp_path / "extracted" / "2021-2"
    assert runner.invoke(app, ["extract", str(REAL), "--out", str(out)]).exit_code == 0
    (out / "validation.json").write_text(json.dumps({"edition_id": "2021-2"}))
    (out / "enrichment.json").write_text(json.dumps({"edition_id": "2021-2"}))
    result = runner.invoke(app, ["extract", str(SYNTHETIC), "--out", str(out)])
    assert result.exit_code == 9 and "holds edition 2021-2, not 2022-1" in result.stderr
    assert (out / "validation.json").exists() and (out / "enrichment.json").exists()
    # the same edition again is replaced as before
    assert runner.invoke(app, ["extract", str(REAL), "--out", str(out)]).exit_code == 0


# --- 4. ingest: lock, DVC's error, temporary directories, interruptions -----------------------------

def _project(tmp_path) -> Path:
    from conftest import ROOT

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "dvc.yaml", project / "dvc.yaml")
    (project / "params.yaml").write_text("extract:\n  editions: []\n", encoding="utf-8")
    return project


def test_a_second_ingest_with_no_wait_is_refused_in_one_line(tmp_path):
    from pipeline.ingest import project_lock

    project = _project(tmp_path)
    with project_lock(project):
        result = cli("ingest", REAL, "--project", project, "--no-wait")
    one_line_error(result, 19, "another ingest is running")
    assert not (project / "raw").exists()


def test_a_second_ingest_waits_for_the_first(tmp_path):
    import threading
    import time

    from pipeline.ingest import project_lock

    project = _project(tmp_path)
    order = []

    def second():
        with project_lock(project):
            order.append("second")

    with project_lock(project):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        order.append("first")
    thread.join(5)
    assert order == ["first", "second"]


DVC_OUTPUT = """Running stage 'extract@2023-1':
> guidelines extract raw/2023-1.pdf --out extracted/2023-1 --edition 2023-1
ERROR: failed to reproduce 'extract@2023-1': Unable to acquire lock. Most likely another DVC process is running
Updating lock file 'dvc.lock'
"""


def test_the_message_is_dvcs_error_line_not_its_last_progress_line():
    from pipeline.ingest import dvc_error

    assert dvc_error(DVC_OUTPUT) == ("failed to reproduce 'extract@2023-1': Unable to acquire lock. "
                                     "Most likely another DVC process is running (DVC's lock file: .dvc/tmp/lock)")
    assert dvc_error("only progress\n") == "only progress"


def test_a_failed_repro_leaves_no_dvc_lock_entry(tmp_path, monkeypatch):
    from pipeline import ingest as ingest_module
    from pipeline.errors import PipelineFailed

    project = _project(tmp_path)
    (project / ".dvc").mkdir()
    (project / "dvc.lock").write_text("schema: '2.0'\nstages: {}\n")

    def failing(root, edition_id):
        (root / "dvc.lock").write_text(f"schema: '2.0'\nstages:\n  extract@{edition_id}: {{}}\n")
        raise PipelineFailed("dvc repro failed")

    monkeypatch.setattr(ingest_module, "_run_dvc", failing)
    with pytest.raises(PipelineFailed):
        ingest_module.ingest(REAL, project, "2021-2")
    assert (project / "dvc.lock").read_text() == "schema: '2.0'\nstages: {}\n"
    assert (project / "params.yaml").read_text() == "extract:\n  editions: []\n"
    assert not (project / "raw" / "2021-2.pdf").exists()


def test_temporary_directories_are_no_editions_and_are_cleaned(tmp_path, extracted_dir):
    from pipeline.editions import edition_ids
    from pipeline.ingest import clean_temporary
    from pipeline.publish.index import edition_statuses

    project = _project(tmp_path)
    extracted = project / "extracted"
    shutil.copytree(extracted_dir, extracted / "2021-2")
    shutil.copytree(extracted_dir, extracted / ".2021-2.guidelines-tmp-0abc1234")  # a kill in extract's write window
    shutil.copytree(extracted_dir, project / "published" / ".2021-2.guidelines-old-00004242")
    assert edition_ids(extracted) == ["2021-2"]
    result = runner.invoke(app, ["tables", "--root", str(extracted), "--out", str(project / "tables")])
    assert result.exit_code == 0 and result.output.startswith("1 edition(s)")
    assert [row["id"] for row in edition_statuses(project / "published")] == []
    removed = clean_temporary(project)
    assert sorted(p.name for p in removed) == [".2021-2.guidelines-old-00004242", ".2021-2.guidelines-tmp-0abc1234"]
    assert sorted(p.name for p in extracted.iterdir()) == ["2021-2"]


@pytest.mark.slow
def test_an_interrupted_ingest_is_completed_by_the_next(tmp_path):
    from pipeline.ingest import ingest, params_with

    project = _project(tmp_path)
    # killed after raw/ and params.yaml were written, before any stage ran
    (project / "raw").mkdir()
    shutil.copy(REAL, project / "raw" / "2021-2.pdf")
    params = project / "params.yaml"
    params.write_text(params_with(params.read_text(), "2021-2"))
    result = ingest(REAL, project)
    assert result.status == "completed" and result.published and result.published.is_file()
    assert ingest(REAL, project).status == "unchanged"
    # killed between raw/ and params.yaml
    shutil.rmtree(project / "published")
    params.write_text("extract:\n  editions: []\n")
    result = ingest(REAL, project)
    assert result.status == "completed" and "2021-2: raw/2021-2.pdf" in params.read_text()


# --- 5. modes follow the umask -----------------------------------------------------------------------

@pytest.mark.parametrize("umask, file_mode, dir_mode", [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)])
def test_outputs_follow_the_umask(tmp_path, umask, file_mode, dir_mode):
    from pipeline.extract import extract_to_dir
    from pipeline.publish.gate import publish_dir
    from pipeline.publish.index import write_index
    from pipeline.publish.tables import write_tables_dir
    from pipeline.quality.validate import validate_dir
    from pipeline.editions import load_edition_dir

    old = os.umask(umask)
    try:
        _, directory = extract_to_dir(REAL, tmp_path / "extracted" / "2021-2")
        validate_dir(directory, docs=True)
        publish_dir(directory, tmp_path / "published")
        write_tables_dir([load_edition_dir(tmp_path / "published" / "2021-2")], tmp_path / "tables")
        write_index(tmp_path / "published", tmp_path / "extracted" / "index.html", tmp_path / "extracted")
    finally:
        os.umask(old)
    paths = [p for p in tmp_path.rglob("*")]
    assert len(paths) > 20
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (dir_mode if path.is_dir() else file_mode), (path, oct(mode))


# --- 6. text that does not decode -------------------------------------------------------------------

def _page(texts, size=12.0, width=None, font="F"):
    from pipeline.reading.pdf import RawPage

    chars = []
    for i, text in enumerate(texts):
        w = width if width is not None else (size if ord(text[0]) > 0x2E80 else size / 2)
        chars.append({"text": text, "x0": 10 + i * w, "x1": 10 + (i + 1) * w, "top": 10, "bottom": 10 + size,
                      "size": size, "fontname": font})
    return RawPage(1, 595, 842, chars)


BODY = list("中国和以色列产业技术研发合作项目支持领域不限拟支持项目数约个")


@pytest.mark.parametrize("texts, expected", [
    (BODY, "text"),
    (list("the quick brown fox jumps over the lazy dog"), "text"),
    ([], "none"),
    (list("第 1 页"), "none"),  # a scan with a stray page number
    (BODY + ["(cid:1)", "(cid:2)"], "undecodable"),
    (BODY + ["\ue001", "\ue002", "\ue003"], "undecodable"),  # private use
    (BODY + ["\x01", "\x02"], "undecodable"),  # control characters
    (BODY + ["(cid:7)"], "undecodable"),  # one hole is enough: never published as text
    (BODY[:10] + ["ᜨ"] + BODY[10:], "undecodable"),  # 在 (U+5728) with a flipped bit: a script no guideline uses
    (BODY + list("Sune Dalgaard Ebbesen, Silvana Siebert, Čakovec ①—“”…±≤"), "text"),
])
def test_page_text_status(texts, expected):
    from pipeline.reading.pdf import page_text_status

    assert page_text_status(_page(texts)) == expected


def test_cjk_glyphs_decoded_as_ascii_are_undecodable():
    """A CJK font read through a wrong encoding: em-square glyphs that claim to be ASCII letters."""
    from pipeline.reading.pdf import page_text_status

    wrong = _page(BODY + list("!#%&()*+-./"), width=12.0)
    assert page_text_status(wrong) == "undecodable"


@pytest.mark.parametrize("font", ["Bold", ""])
def test_fonts_without_a_unicode_map_are_exit_7(tmp_path, font):
    """The bold title font (or every font) without ToUnicode: was `(cid:1)(cid:2)…`, id 2021, all checks passed."""
    pdf = hostile.strip_tounicode(REAL, tmp_path / "stripped.pdf", font)
    # without OCR it is refused (with --ocr auto, the default, such pages are read by OCR instead)
    result = runner.invoke(app, ["extract", str(pdf), "--out", str(tmp_path / "out"), "--ocr", "never"])
    assert result.exit_code == 7 and "cannot be decoded" in result.stderr
    assert not (tmp_path / "out").exists()


def test_flipped_bits_in_a_unicode_map_are_withheld(tmp_path):
    """'（' decoded as 'ｈ': the page looks the same, item numbers vanish and items merge; the gate says so."""
    pdf = hostile.flip_tounicode(REAL, tmp_path / "flipped.pdf", "（", "ｈ")
    out = tmp_path / "extracted" / "2021-2"
    assert runner.invoke(app, ["extract", str(pdf), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["validate", str(out), "--publish", "--to", str(tmp_path / "published"), "--no-docs"])
    assert result.exit_code == 12 and "requirements are numbered 1..n without gaps" in result.stderr
    assert not (tmp_path / "published" / "2021-2" / "edition.json").exists()


def test_a_page_without_text_amid_text_pages_is_exit_7(tmp_path, cli_here):
    """A flipped bit that loses one page's content stream lost 9 of direction 1.4's fields, and the gate passed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(REAL)))
    del writer.pages[4][NameObject("/Contents")]
    writer.write(str(tmp_path / "lost.pdf"))
    one_line_error(cli_here("extract", tmp_path / "lost.pdf", "--out", tmp_path / "out", "--ocr", "never"), 7,
                   "page(s) 5 have no text layer")


# --- 7. two PDFs in one file ----------------------------------------------------------------------------

def test_concatenated_pdfs_are_refused(tmp_path):
    pdf = hostile.concatenate(REAL, SYNTHETIC, tmp_path / "both.pdf")
    result = runner.invoke(app, ["extract", str(pdf), "--out", str(tmp_path / "out")])
    assert result.exit_code == 5 and "2 PDF files are joined" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_incremental_update_is_not_a_concatenation(tmp_path):
    from pypdf import PdfWriter

    from pipeline.reading.pdf import joined_documents

    writer = PdfWriter(str(REAL), incremental=True)
    writer.add_metadata({"/Title": "updated"})
    out = tmp_path / "updated.pdf"
    writer.write(str(out))
    assert out.read_bytes().count(b"%%EOF") >= 2
    assert joined_documents(out) == 1
    assert runner.invoke(app, ["extract", str(out), "--out", str(tmp_path / "o")]).exit_code == 0


# --- 8. a big annex; a scan with stray glyphs --------------------------------------------------------

@pytest.mark.slow
def test_a_guideline_with_an_annex_larger_than_itself(tmp_path):
    import build

    styled = build.read_styled(EDITIONS["2021-2"][1].read_text(encoding="utf-8"))
    sentence = "申报单位应当如实填写本表各项内容，所填信息须与单位法人证书及营业执照一致，并由单位负责人签字盖章后上传。"
    annex = [("attach", "附件2"), ("title", "申报单位信息表填写说明")] + [("small", sentence * 3)] * 80
    assert sum(len(t) for s, t in annex if s == "small") >= 12_000
    pdf = build.render(styled + annex, tmp_path / "annex.pdf")
    result = runner.invoke(app, ["extract", str(pdf), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    edition = json.loads((tmp_path / "out" / "edition.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in edition["directions"]] == [f"1.{i}" for i in range(1, 9)]


def test_body_size_ignores_a_long_annex_in_a_smaller_size():
    from pipeline.structure.layout import body_font_size

    chars = [{"text": "字", "size": 16.0}] * 2500 + [{"text": "表", "size": 10.5}] * 12000
    assert body_font_size(chars) == 16.0


def test_a_scan_with_stray_glyphs_is_exit_7_not_8(tmp_path, cli_here):
    pdf = hostile.minimal_pdf(b"BT /F1 9 Tf 280 30 Td (- 1 -) Tj ET", tmp_path / "scan.pdf", pages=4)
    one_line_error(cli_here("extract", pdf, "--out", tmp_path / "out", "--ocr", "never"), 7, "no text layer")


# --- 9. CSV formula injection ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, written", [
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("+4561905030", "+4561905030"),  # a phone stays as written
    ("+45 61 90 50 30", "+45 61 90 50 30"),
    ("-5", "-5"),
    ("中国和丹麦政府间科技合作项目", "中国和丹麦政府间科技合作项目"),
    ("a=b", "a=b"),
])
def test_formula_cells_are_neutralised(value, written):
    from pipeline.publish.tables import neutralise_formula

    assert neutralise_formula(value) == written


def test_tables_csv_from_a_hostile_edition(tmp_path, extracted_dir):
    import pandas as pd

    directory = tmp_path / "extracted" / "2021-2"
    shutil.copytree(extracted_dir, directory)
    data = json.loads((directory / "edition.json").read_text(encoding="utf-8"))
    data["directions"][0]["title"] = '=HYPERLINK("http://evil.example","1.1")'
    data["directions"][0]["requirements"][0]["text"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    (directory / "edition.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["tables", "--root", str(tmp_path / "extracted"), "--out",
                               str(tmp_path / "tables")]).exit_code == 0
    directions = pd.read_csv(tmp_path / "tables" / "directions.csv", encoding="utf-8-sig", dtype=str)
    assert directions["title"][0] == '\'=HYPERLINK("http://evil.example","1.1")'
    requirements = pd.read_csv(tmp_path / "tables" / "requirements.csv", encoding="utf-8-sig", dtype=str)
    assert requirements["text"][0].startswith("'@SUM")
    contacts = pd.read_csv(tmp_path / "tables" / "contacts.csv", encoding="utf-8-sig", dtype=str)
    assert "+97235118117" in set(contacts["phone"])
    assert pd.read_parquet(tmp_path / "tables" / "directions.parquet")["title"][0].startswith("=HYPERLINK")
    from pipeline.publish.tables import tables_markdown
    assert "OWASP" in tables_markdown() and "+4561905030" in tables_markdown()


# --- 10. escaping: diff markdown, Data Docs, index ------------------------------------------------------

def _hostile_report():
    from pipeline.compare.diff import diff_editions

    old = json.loads(json.dumps(_edition()))
    new = json.loads(json.dumps(old))
    d = new["directions"][0]
    d["requirements"][0]["text"] += "<script>alert(1)</script>"
    d["agreements"].append('<img src=x onerror="alert(2)">')
    d["title"] = d["title"] + "|<b>x</b>"
    return diff_editions(old, new, "a", "b")


def _edition():
    from pipeline.editions import load_edition_dir
    from pipeline.extract import extract_to_dir
    import tempfile

    global _EDITION
    try:
        return _EDITION
    except NameError:
        with tempfile.TemporaryDirectory() as tmp:
            _, out = extract_to_dir(REAL, Path(tmp) / "e")
            _EDITION = load_edition_dir(out)
        return _EDITION


def test_markdown_diff_escapes_html():
    from pipeline.compare.render import to_html, to_markdown

    report = _hostile_report()
    md = to_markdown(report)
    assert "<script>" not in md and "<img" not in md and "&lt;script&gt;" in md
    assert "&lt;img src=x onerror=\"alert(2)\"&gt;" in md
    html = to_html(report)
    assert "<script>" not in html and "<img" not in html


def test_markdown_diff_never_prints_none_for_an_insertion():
    from pipeline.compare.render import _edits
    from pipeline.models import Edit

    # word_edits gives a replaced white space as old=None: an insertion
    text = _edits([Edit(op="replace", old=None, new="以及"), Edit(op="replace", old="或", new=None),
                   Edit(op="insert", new="和"), Edit(op="replace", old="a", new="b")])
    assert "None" not in text and text == "+“以及”; −“或”; +“和”; “a” → “b”"


@pytest.mark.slow
def test_data_docs_escape_unexpected_values(tmp_path, extracted_dir):
    directory = tmp_path / "2021-2"
    shutil.copytree(extracted_dir, directory)
    data = json.loads((directory / "edition.json").read_text(encoding="utf-8"))
    data["directions"][5]["contacts"][0]["email"] = "<img src=x onerror=alert(1)>"
    data["directions"][2]["urls"] = ["<script>alert(2)</script>"]
    (directory / "edition.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["validate", str(directory), "--no-publish"]).exit_code == 12
    pages = [p.read_text(encoding="utf-8") for p in (directory / "data_docs").rglob("*.html")]
    assert pages and not any("<img src=x" in p or "<script>alert" in p for p in pages)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in p for p in pages)
    assert all("Content-Security-Policy" in p for p in pages)


def test_index_href_is_escaped():
    from pipeline.publish.index import index_html

    page = index_html([{"id": "2021-2", "status": "published", "failed_checks": ["<b>x</b>"], "counts": "1"}],
                      'r"><script>x</script>')
    assert "<script>" not in page and "<b>" not in page
    assert 'href="r%22%3E%3Cscript%3Ex%3C/script%3E/2021-2/validation.json"' in page


# --- 11. resource limits ----------------------------------------------------------------------------------

def test_a_stream_that_inflates_past_the_limit_is_refused_fast_and_small(tmp_path, bounded):
    """52 KB that inflates to 64 MB: was 100 s and 950 MB for 21 MB."""
    content = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * (64 << 20)
    pdf = hostile.minimal_pdf(content, tmp_path / "bomb.pdf")
    assert pdf.stat().st_size < 200_000
    result = bounded("extract", pdf, "--out", tmp_path / "out", limit_mb=500, timeout=30)
    line = one_line_error(result, 18, "inflates to more than 16 MB", "--max-stream-mb")
    assert len(line) < 300 and not (tmp_path / "out").exists()


def test_glyph_and_page_limits_name_their_option(tmp_path, cli_here, bounded):
    one_line_error(cli_here("extract", REAL, "--out", tmp_path / "a", "--max-glyphs-per-page", "100"), 18,
                   "more than 100 glyphs", "--max-glyphs-per-page")
    one_line_error(cli_here("extract", REAL, "--out", tmp_path / "b", "--max-pages", "5"), 18,
                   "more than 5 pages", "--max-pages")
    show = b"BT /F1 6 Tf 10 10 Td " + b"(abcdefghij) Tj " * 3000 + b"ET"  # 30,000 glyphs on a page
    pdf = hostile.minimal_pdf(show, tmp_path / "dense.pdf")
    one_line_error(bounded("extract", pdf, "--out", tmp_path / "c", limit_mb=500, timeout=30), 18,
                   "more than 20000 glyphs")


def test_limits_can_be_raised(tmp_path, cli_here):
    content = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * (20 << 20)
    pdf = hostile.minimal_pdf(content, tmp_path / "big.pdf")
    assert cli_here("extract", pdf, "--out", tmp_path / "a").returncode == 18
    # past the limit the file is read, and refused for what it is: no text to speak of
    assert cli_here("extract", pdf, "--out", tmp_path / "b", "--max-stream-mb", "32", "--ocr", "never",
                    timeout=120).returncode == 7


# --- 12. crashes and noise ------------------------------------------------------------------------------

def test_a_zero_mediabox_is_read_as_viewers_do(tmp_path, cli_here):
    pdf = hostile.set_mediabox(REAL, tmp_path / "zero.pdf", (0, 0, 0, 0))
    result = cli_here("extract", pdf, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "edition.json").read_text(encoding="utf-8"))["edition"]["id"] == "2021-2"


def test_pdfminer_never_adds_lines_to_the_one_line_error(tmp_path):
    """Fonts without FontBBox and broken objects made pdfminer log hundreds of warnings."""
    data = REAL.read_bytes().replace(b"/FontBBox", b"/FontBBoX")
    pdf = tmp_path / "nobbox.pdf"
    pdf.write_bytes(data)
    result = cli("extract", pdf, "--out", tmp_path / "out", "--ocr", "never")
    assert "FontBBox" not in result.stderr and "WARNING" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 1
    stripped = hostile.strip_tounicode(REAL, tmp_path / "stripped.pdf")
    one_line_error(cli("extract", stripped, "--out", tmp_path / "o2", "--ocr", "never"), 7)


def test_excel_workbook_never_holds_a_formula_from_the_pdf(tmp_path):
    """openpyxl writes a string that starts with '=' as a formula; text from a PDF must stay text."""
    import pandas as pd
    from openpyxl import load_workbook

    from pipeline.publish.xlsx import write_workbook

    frame = pd.DataFrame({"text": ['=HYPERLINK("http://evil.example","x")', "+4561905030", "普通文本"]})
    write_workbook({"requirements": frame}, tmp_path / "t.xlsx", "en")
    sheet = load_workbook(tmp_path / "t.xlsx")["requirements"]
    cells = [sheet.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert cells[0].value.startswith("=HYPERLINK") and cells[1].value == "+4561905030"


# =====================================================================================================
# Issue 22, items 16–18 (console output; branch i18a): one output writer for the CLI — every command's
# output and every error line are encoded for the stream, a full disk or a closed pipe is one line, and
# no control character from the data reaches a terminal; the limits' nonsense values are usage errors; a
# file name that is not UTF-8 works.
# =====================================================================================================

@pytest.fixture(scope="module")
def editions_root(extracted, tmp_path_factory):
    """extracted/ with 2021-2 and the SYNTHETIC 2022-1 under their ids."""
    root = tmp_path_factory.mktemp("console") / "extracted"
    for name, (_, out) in extracted.items():
        shutil.copytree(out, root / name.replace("synthetic-", ""))
    return root


def cli_env(**env):
    """The real command with the environment given (an encoding, a locale)."""
    def run(*args, stdout=subprocess.PIPE):
        return subprocess.run([GUIDELINES, *args], stdout=stdout, stderr=subprocess.PIPE, timeout=120,
                              env={**os.environ, "DVC_NO_ANALYTICS": "1", **env})
    return run


def no_traceback(result) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Exception ignored" not in err, err[-2000:]
    return err


def test_latin1_stdout_gets_stand_ins_and_escapes_never_a_traceback(editions_root):
    """Item 16: stdout in latin-1. −, → and ✗ get stand-ins; Chinese is written as \\u escapes (nothing lost)."""
    run = cli_env(PYTHONIOENCODING="latin-1")
    result = run("diff", "2021-2", "2022-1", "--root", str(editions_root), "--lang", "en")
    no_traceback(result)
    assert result.returncode == 0
    text = result.stdout.decode("latin-1")
    assert text.startswith("# 2021-2 -> 2022-1\n")
    assert "| Budget | 25,780 \\u4e07\\u5143 | 22,080 \\u4e07\\u5143 | -3,700 \\u4e07\\u5143 (-14.35%) |" in text
    assert "\\u4e2d\\u56fd\\u548c\\u4e39\\u9ea6" in text  # 中国和丹麦: recoverable, not "?"
    # (the other report commands under latin-1, GBK and ASCII: test_every_report_command_writes_what_… below)


def test_c_locale_stdout_works():
    """LANG=C: Python reads the C locale as UTF-8 (PEP 538); the help in Chinese prints as it is."""
    result = cli_env(LANG="C", LC_ALL="C", LANGUAGE="")("--help", "--lang", "zh")
    assert result.returncode == 0 and no_traceback(result) == ""
    assert "构建与更正批次" in result.stdout.decode("utf-8")


def test_gbk_stdout_keeps_chinese_and_replaces_what_gbk_lacks(editions_root, tmp_path):
    """Item 16: GBK (a Chinese Windows console, `> file` under cp936): diff and partner crashed on −."""
    run = cli_env(PYTHONIOENCODING="gbk")
    with open(tmp_path / "diff.md", "wb") as fh:
        result = run("diff", "2021-2", "2022-1", "--root", str(editions_root), "--lang", "zh", stdout=fh)
    no_traceback(result)
    assert result.returncode == 0
    text = (tmp_path / "diff.md").read_bytes().decode("gbk")
    assert "| 经费 | 25,780 万元 | 22,080 万元 | -3,700 万元 (-14.35%) |" in text


@pytest.mark.parametrize("charset", ["latin-1", "gbk", "ascii"])
def test_every_report_command_writes_what_the_stream_can_carry(editions_root, charset):
    narrow = CliRunner(charset=charset)
    for command in (["diff", "2021-2", "2022-1"], ["partner", "丹麦"], ["search", "碳捕集"],
                    ["eligible", "--lead", "enterprise"], ["diff", "2021-2", "2022-1", "--format", "json"]):
        result = narrow.invoke(app, [*command, "--root", str(editions_root), "--lang", "zh"])
        assert result.exit_code == 0, (command, result.output)
        result.stdout_bytes.decode(charset)  # strict: every byte is of the stream's encoding


def test_printable_table():
    from pipeline.console import printable

    assert printable("a\x1b[31mb\x07c\x00d\x7fe\x9bf", "utf-8") == "a\\x1b[31mb\\x07c\\x00d\\x7fe\\x9bf"
    assert printable("line\nnext\tcell", "utf-8") == "line\nnext\tcell"
    assert printable("\u202egnp.exe", "utf-8") == "\\u202egnp.exe"  # a bidi override cannot flip a line
    assert printable("−3,700 → ✗ ✔ … 2000 万元", "latin-1") == "-3,700 -> x v ... 2000 \\u4e07\\u5143"
    assert printable("−3,700 → 万元：", "gbk") == "-3,700 → 万元："
    assert printable("万元：（1）", "ascii") == "\\u4e07\\u5143:(1)"
    assert printable("\udcff.pdf", "utf-8") == "\\xff.pdf"  # a file name byte that is not UTF-8


def test_control_characters_from_the_data_are_escaped_in_reports_and_messages(editions_root, tmp_path):
    """Item 12's terminal half: ESC, BEL and NUL in a PDF's text or a file name never reach the terminal raw."""
    local = tmp_path / "extracted"
    shutil.copytree(editions_root / "2021-2", local / "2021-2")
    edition = json.loads((local / "2021-2" / "edition.json").read_text(encoding="utf-8"))
    edition["directions"][4]["title"] += "\x1b]0;pwned\x07\x1b[2J"
    (local / "2021-2" / "edition.json").write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    for command in (["partner", "DK"], ["search", "丹麦"], ["diff", "2021-2", "2021-2"],
                    ["eligible", "--lead", "university"]):
        result = runner.invoke(app, [*command, "--root", str(local), "--lang", "en"])
        assert result.exit_code == 0, (command, result.output)
        assert "\x1b" not in result.output and "\x07" not in result.output, command
    shown = runner.invoke(app, ["partner", "DK", "--root", str(local)]).output
    assert "\\x1b" in shown and "pwned\\x07\\x1b" in shown  # visible, as escapes
    result = runner.invoke(app, ["extract", str(tmp_path / "a\x1b[31mb\x07.pdf"), "--lang", "en"])  # argv has no NUL
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "a\\x1b[31mb\\x07.pdf" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_on_stdout_is_one_line(editions_root):
    """Item 17: `diff > file` on a full disk: one line, exit 9, no traceback (not even at exit)."""
    for command in (["diff", "2021-2", "2022-1", "--root", str(editions_root), "--lang", "en"], ["--help"]):
        with open("/dev/full", "wb") as full:
            result = cli_env()(*command, stdout=full)
        err = no_traceback(result)
        assert result.returncode == 9, (command, err)
        assert err == "error: standard output: cannot be written (No space left on device); free some space, or " \
                      "write to a file elsewhere with --out\n", command


def test_a_closed_pipe_is_one_line(editions_root):
    """`search … | head -1` whose reader has gone: one line, exit 9, never a BrokenPipeError traceback."""
    process = subprocess.Popen([GUIDELINES, "diff", "2021-2", "2022-1", "--root", str(editions_root), "--lang", "en"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader goes away before anything is written
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 9
    assert err == "error: standard output: closed by the reader before everything was written (broken pipe); " \
                  "the output is incomplete\n"


@pytest.mark.parametrize("option, value", [
    ("--max-stream-mb", "-1"), ("--max-stream-mb", "nan"), ("--max-stream-mb", "inf"), ("--max-stream-mb", "0"),
    ("--max-stream-mb", "-inf"), ("--max-stream-mb", "lots"), ("--max-glyphs-per-page", "0"),
    ("--max-glyphs-per-page", "-5"), ("--max-pages", "1.5"), ("--max-pages", "nan"),
])
def test_a_nonsense_limit_is_a_usage_error_in_one_line(tmp_path, option, value):
    """Item 18: `--max-stream-mb -1` on a good PDF said "truncated or damaged" (exit 5)."""
    result = runner.invoke(app, ["extract", str(REAL), "--out", str(tmp_path / "out"), option, value, "--lang", "en"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: Invalid value for '{option}': ") and value in line
    assert line.endswith("(see `guidelines extract --help`)")
    assert not (tmp_path / "out").exists()


def test_a_file_name_that_is_not_utf8_works(tmp_path, monkeypatch):
    """Item 18: a file name in another encoding (GBK names unpacked from a zip are common) extracts, and its bytes
    are recorded as escapes; a missing one is one line. (Python gives such argv bytes as surrogates, as here.)"""
    folder = os.fsencode(tmp_path)
    with open(folder + b"/\xb9\xfa.pdf", "wb") as fh:  # 国 in GBK
        fh.write(REAL.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", os.fsdecode(b"\xb9\xfa.pdf"), "--out", os.fsdecode(b"out\xff"),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "2021-2: 8 directions, 2.578 亿元 → out\\xff/edition.json\n"
    edition = json.loads(open(folder + b"/out\xff/edition.json", "rb").read())
    assert edition["edition"]["source"]["path"] == "\\xb9\\xfa.pdf"  # relative to the folder it was run from
    missing = runner.invoke(app, ["extract", os.fsdecode(b"\xfe.pdf"), "--lang", "en"])
    assert missing.exit_code == 3
    assert missing.stderr == "error: \\xfe.pdf: no such file; give the path of a guideline PDF\n"


# --- issue 22: corrections and values (i22e) ---
# A corrections file is plain data: aliases (a billion laughs), non-plain tags (!!python/object/apply:…), control
# characters and encodings other than UTF-8 are one line and exit 16; a budget of 10^30 is a failed check (exit 12),
# never an exception, in every command that reads the edition.

def _corrections(tmp_path, text: str | bytes, name: str = "2021-2.yaml") -> Path:
    folder = tmp_path / "corrections"
    folder.mkdir(exist_ok=True)
    path = folder / name
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


CORRECTION = '- direction: "1.1"\n  path: {path}\n  was: {was}\n  value: {value}\n  reason: test\n'
TITLE_1_1 = "中国和以色列产业技术研发合作项目"  # direction 1.1's title, as the 2021-2 PDF prints it


@pytest.mark.parametrize("text, line, words", [
    (hostile.billion_laughs(), 4, "YAML aliases (*name) are not allowed in a corrections file"),  # item 10
    (CORRECTION.format(path="title", was="!!python/object/apply:os.system [touch pwned]", value="x"), 3,
     "the YAML tag !!python/object/apply:os.system is not allowed"),  # item 14
    (CORRECTION.format(path="title", was=TITLE_1_1, value='"新\\e]0;pwned\\a\\0标题"'), 4,
     "holds the control character \\x1b"),  # item 12
])
def test_a_hostile_corrections_file_is_one_line_exit_16_fast_and_small(tmp_path, bounded, text, line, words):
    path = _corrections(tmp_path, text)
    result = bounded("extract", REAL, "--out", tmp_path / "out", "--corrections", path, "--lang", "en", limit_mb=1500,
                     timeout=60, cwd=tmp_path)
    error = one_line_error(result, 16, f"{path}:{line}: ", words)
    assert "\x1b" not in error and "\x07" not in error and len(error) < 300
    assert not (tmp_path / "out").exists() and not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("encoding, named", [("gbk", "GB18030"), ("utf-16", "UTF-16")])
def test_correct_and_extract_refuse_a_file_that_is_not_utf8(tmp_path, extracted_dir, cli_here, encoding, named):
    """Item 15: `correct` crashed with UnicodeDecodeError (exit 1) where extract refused the same file."""
    path = _corrections(tmp_path, CORRECTION.format(path="title", was=TITLE_1_1, value="新标题").encode(encoding))
    before = path.read_bytes()
    extract = cli_here("extract", REAL, "--out", tmp_path / "out", "--corrections", path, "--lang", "en")
    correct = cli_here("correct", extracted_dir, "--direction", "1.2", "--path", "title", "--value", "x",
                       "--reason", "r", "--corrections", path.parent, "--lang", "en")
    for result in (extract, correct):
        one_line_error(result, 16, f"not UTF-8 text (it looks like {named}); a corrections file must be UTF-8",
                       f"iconv -f {named} -t UTF-8 {path}")
    assert path.read_bytes() == before


def test_correct_refuses_what_a_corrections_file_may_not_hold(tmp_path, extracted_dir):
    """Items 12 and 14 through `guidelines correct`: a control character in --value or --reason, and an existing file
    holding a tag, are refused and the file is left as it was."""
    folder = tmp_path / "corrections"
    base = ["correct", str(extracted_dir), "--direction", "1.1", "--path", "title", "--corrections", str(folder),
            "--lang", "en"]
    for extra, words in ((["--value", "新\x1b[2J标题", "--reason", "r"], "control character \\x1b"),
                         (["--value", "新标题", "--reason", "r\x07"], "the --reason holds the control character \\x07")):
        result = runner.invoke(app, base + extra)
        assert result.exit_code == 16 and words in result.stderr and "\x1b" not in result.stderr, result.output
        assert not folder.exists()
    path = _corrections(tmp_path, CORRECTION.format(path="title", was="!!python/object/new:os.system [x]", value="x"))
    result = runner.invoke(app, base + ["--value", "新标题", "--reason", "r"])
    assert result.exit_code == 16 and result.stderr.count("\n") == 1
    assert "the YAML tag !!python/object/new:os.system is not allowed" in result.stderr
    assert "!!python/object/new" in path.read_text()  # unchanged


def test_a_control_character_in_a_value_from_the_pdf_never_crashes_the_workbook(tmp_path, extracted_dir):
    """Item 12's other half: openpyxl refuses ESC in a cell (IllegalCharacterError, exit 1); the cell holds the
    escape and a comment says so."""
    from openpyxl import load_workbook

    directory = tmp_path / "extracted" / "2021-2"
    shutil.copytree(extracted_dir, directory)
    data = json.loads((directory / "edition.json").read_text(encoding="utf-8"))
    data["directions"][0]["title"] += "\x1b]0;pwned\x07\x00"
    (directory / "edition.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["tables", str(directory), "--out", str(tmp_path / "tables"), "--format", "xlsx",
                                 "--include-unchecked", "--lang", "en"])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "tables" / "tables.xlsx")["directions"]
    titles = [c.value for c in sheet["C"]]
    assert titles[1] == TITLE_1_1 + "\\x1b]0;pwned\\x07\\x00"
    assert "written as escapes" in sheet["C2"].comment.text and sheet["C3"].comment is None


@pytest.fixture(scope="module")
def implausible_editions(tmp_path_factory):
    """2021-2 with direction 1.1's budget 10^30 万元 twice: stated so in a PDF, and set by a correction (10^30 yuan)."""
    root = tmp_path_factory.mktemp("implausible")
    pdf = hostile.pdf_with_budget(root / "huge.pdf")
    assert runner.invoke(app, ["extract", str(pdf), "--out", str(root / "pdf" / "2021-2")]).exit_code == 0
    path = _corrections(root, CORRECTION.format(path="budget_cny", was=20000000, value=10 ** 30))
    result = runner.invoke(app, ["extract", str(REAL), "--out", str(root / "corrected" / "2021-2"),
                                 "--corrections", str(path)])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.slow
@pytest.mark.parametrize("source, yuan", [("pdf", "1.00 × 10^34 yuan"), ("corrected", "1.00 × 10^30 yuan")])
def test_a_budget_of_ten_to_the_thirty_is_a_failed_check_never_an_exception(implausible_editions, tmp_path,
                                                                              extracted_dir, source, yuan):
    """Item 13: OverflowError (exit 1) in validate and tables. Now the gate withholds the edition naming the check
    and the value, and every command that reads it works."""
    directory = implausible_editions / source / "2021-2"
    edition = json.loads((directory / "edition.json").read_text(encoding="utf-8"))
    assert edition["directions"][0]["budget_cny"] == (10 ** 34 if source == "pdf" else 10 ** 30)  # read as printed
    result = runner.invoke(app, ["validate", str(directory), "--no-docs", "--publish", "--to",
                                 str(tmp_path / "published"), "--lang", "en"])
    assert result.exit_code == 12, result.output
    assert (f"✗ budgets and counts are within plausible bounds: implausible values, a misreading or a typo: {yuan} "
            "is beyond any plausible amount (at most 1,000,000,000,000 yuan) (direction 1.1)") in result.stderr
    report = json.loads((directory / "validation.json").read_text(encoding="utf-8"))
    [check] = [c for c in report["checks"] if c["id"] == "values_plausible"]
    assert check["status"] == "failed" and check["paths"] == ["directions[0].budget_cny"]
    assert [p.name for p in (tmp_path / "published" / "2021-2").iterdir()] == ["withheld.json"]
    for command in (["tables", str(directory), "--out", str(tmp_path / "t"), "--include-unchecked",
                     "--format", "csv", "--format", "parquet", "--format", "xlsx"],
                    ["diff", str(extracted_dir), str(directory)], ["diff", str(extracted_dir), str(directory),
                                                                   "--format", "json"],
                    ["review", str(directory), "--out", str(tmp_path / "review.html")],
                    ["partner", "IL", "--root", str(directory.parent)]):
        result = runner.invoke(app, [*command, "--lang", "en"])
        assert result.exit_code == 0, (command, result.output)
    # beyond 64 bits, the budget column is float64: the value as it is, never wrapped round or dropped
    first_row = (tmp_path / "t" / "directions.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert f",{'1e+34' if source == 'pdf' else '1e+30'}," in first_row
# --- issue 22: Word limits (i22b) ---

@pytest.fixture(scope="module")
def word_twin(tmp_path_factory):
    """The 2021-2 guideline as a Word file (its contact lines hold e-mail addresses)."""
    import build

    text = EDITIONS["2021-2"][1].read_text(encoding="utf-8")
    return build.render_docx(build.read_styled(text), tmp_path_factory.mktemp("word") / "2021-2.docx")


@pytest.mark.parametrize("make, code, words", [
    # item 6: was an endless loop
    (lambda src, out: hostile.docx_style_loop(src, out, ["Normal"]), 21, ["style Normal is based on itself",
                                                                          "Normal → Normal", "re-save"]),
    (lambda src, out: hostile.docx_style_loop(src, out, ["Normal", "Loop"]), 21, ["Normal → Loop → Normal"]),
    # item 7: 10^15 in roman numerals never ended; 2·10^9 in letters grew past 5.7 GB
    (lambda src, out: hostile.docx_list_start(src, out, 10**15, "lowerRoman"), 18, ["1000000000000000",
                                                                                     "beyond 1000000", "re-number"]),
    (lambda src, out: hostile.docx_list_start(src, out, 2 * 10**9, "lowerLetter"), 18, ["2000000000"]),
    # item 8: a 4 GiB document part (4 MB on disk) is refused at the limit, whatever its header says
    (lambda src, out: hostile.docx_rewritten(src, out, zeros={"word/document.xml": 4 << 30}), 18,
     ["word/document.xml inflates to more than 16 MB", "--max-stream-mb"]),
])
def test_a_hostile_word_file_is_refused_fast_and_small(tmp_path, word_twin, bounded, make, code, words):
    docx = make(word_twin, tmp_path / "hostile.docx")
    result = bounded("extract", docx, "--out", tmp_path / "out", limit_mb=1000, timeout=30)
    one_line_error(result, code, *words)
    assert not (tmp_path / "out").exists()


def test_a_word_image_that_inflates_to_4_gib_is_never_inflated(tmp_path, word_twin, bounded):
    """Item 8: 8.4 GB resident (exit 0), or under a memory limit "re-save it from Word"; now never read."""
    docx = hostile.docx_with_big_image(word_twin, tmp_path / "image.docx")
    assert docx.stat().st_size < 8 << 20
    result = bounded("extract", docx, "--out", tmp_path / "out", limit_mb=1000, timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("2021-2: 8 directions")


@pytest.mark.parametrize("member", ["word/document.xml", "word/styles.xml", "word/numbering.xml",
                                    "[Content_Types].xml", "word/_rels/document.xml.rels"])
def test_a_word_part_with_a_doctype_is_refused(tmp_path, word_twin, member):
    """Item 11: an entity in a contact line (nofar.hamrany&e;innovationisrael.org) dropped the rest of the
    line and the contact, and the gate passed. Word never writes a DOCTYPE."""
    docx = hostile.docx_with_entity(word_twin, tmp_path / "entity.docx", member)
    if member == "word/document.xml":
        assert b"nofar.hamrany&e;innovationisrael.org" in zipfile.ZipFile(docx).read(member)
    result = runner.invoke(app, ["extract", str(docx), "--out", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 21, result.output
    assert result.stderr == (f"error: {docx}: the part {member} declares a DOCTYPE, which Word never writes (its "
                             "entities could hide text); re-save it from Word or WPS as .docx\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("data, declares", [
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', True),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16"), True),  # a byte search misses it
    (b'<?xml version="1.0"?><!-- c --><!DOCTYPE a SYSTEM "x.dtd"><a/>', True),
    (b'<?xml version="1.0"?><a><t>&lt;!DOCTYPE a&gt;</t></a>', False),  # text that reads like one
    (b'<?xml version="1.0"?><a/>', False),
    (b"not xml at all", False),  # python-docx refuses it (CorruptWordFile)
])
def test_declares_doctype(data, declares):
    from pipeline.reading.docx import declares_doctype

    assert declares_doctype(data) is declares


def test_word_style_chains_and_list_restarts_are_bounded(tmp_path, word_twin):
    from pipeline.reading.docx import MAX_STYLE_DEPTH

    deep = hostile.docx_style_chain(word_twin, tmp_path / "deep.docx", MAX_STYLE_DEPTH)
    result = runner.invoke(app, ["extract", str(deep), "--out", str(tmp_path / "deep"), "--lang", "en"])
    assert result.exit_code == 18, result.output
    assert f"the paragraph style Normal is based on a chain of more than {MAX_STYLE_DEPTH} styles" in result.stderr
    shallow = hostile.docx_style_chain(word_twin, tmp_path / "shallow.docx", MAX_STYLE_DEPTH - 1)
    assert runner.invoke(app, ["extract", str(shallow), "--out", str(tmp_path / "shallow")]).exit_code == 0
    restart = hostile.docx_list_start(word_twin, tmp_path / "restart.docx", 10**6 + 1, override=True)
    result = runner.invoke(app, ["extract", str(restart), "--out", str(tmp_path / "restart"), "--lang", "en"])
    assert result.exit_code == 18 and "a list number is 1000001, beyond 1000000" in result.stderr


def test_word_paragraph_and_part_limits_name_their_option_and_can_be_raised(tmp_path, word_twin):
    def extract(*options):
        return runner.invoke(app, ["extract", str(word_twin), "--out", str(tmp_path / "out"), *options,
                                   "--lang", "en"])

    result = extract("--max-paragraphs", "50")
    assert result.exit_code == 18
    assert result.stderr == (f"error: {word_twin}: more than 50 paragraphs (limit max_paragraphs); if the file is "
                             "genuine, raise the limit with --max-paragraphs\n")
    result = extract("--max-stream-mb", "0.25")  # styles.xml is 349 KB
    assert result.exit_code == 18
    assert "the part word/styles.xml inflates to more than 0.25 MB" in result.stderr
    assert not (tmp_path / "out").exists()
    assert extract("--max-paragraphs", "200", "--max-stream-mb", "1").exit_code == 0


@pytest.mark.parametrize("value", ["0", "-1", "nan", "1.5", "lots"])
def test_a_nonsense_paragraph_limit_is_a_usage_error(tmp_path, word_twin, value):
    result = runner.invoke(app, ["extract", str(word_twin), "--out", str(tmp_path / "out"), "--max-paragraphs",
                                 value, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: Invalid value for '--max-paragraphs': ")
# --- issue 22: page and image pixels (i22c) ---

from pipeline.reading.ocr import render  # noqa: E402
from test_ocr import needs_engine  # noqa: E402

A4, A2, A0 = (595.28, 841.89), (1190.55, 1683.78), (2383.94, 3370.39)


def limited_python(code: str, limit_mb: int = 1000, timeout: int = 60) -> subprocess.CompletedProcess:
    """code in a fresh interpreter that may map at most limit_mb: a regression fails instead of taking the
    machine's memory."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit, cwd=Path(__file__).parent.parent)


@pytest.mark.parametrize("page, dpi, expected", [
    (A4, 300, 300),  # 2481 × 3508 = 8.7 Mpx: as before the limit
    (A4, 200, 200),
    ((612, 792), 300, 300),  # US Letter
    ((841.89, 1190.55), 300, 300),  # A3: 17.4 Mpx
    (A2, 300, 254),  # 34.8 Mpx at 300; at 254 dpi 4200 × 5941 = 24.95 Mpx, at 255 dpi 25.15 Mpx
    (A0, 200, 126),  # at 127 dpi 4206 × 5945 = 25.004 Mpx: just past
    ((14400, 14400), 200, None),  # the largest page a PDF may have: 20000² = 400 Mpx even at 100 dpi
    ((5000, 5000), 150, None),  # 69 inches square: 6945² = 48 Mpx even at 100 dpi
])
def test_a_page_is_rendered_within_the_pixel_budget(page, dpi, expected):
    if expected is None:
        with pytest.raises(render.PixelLimit, match="even at 100 dpi, more than 25 Mpx"):
            render.fitting_dpi(*page, dpi, 25_000_000, render.LOWEST_RENDER_DPI)
        return
    got = render.fitting_dpi(*page, dpi, 25_000_000, render.LOWEST_RENDER_DPI)
    assert got == expected
    w, h = render.rendered_size(*page, got)
    assert w * h <= 25_000_000


@pytest.mark.parametrize("pixels, dpi, refused", [
    ((2481, 3508), 300, False),  # A4: the detector's copy at 110 dpi is 909 × 1286, enlarged no further
    ((3508, 2481), 300, False),  # A4 turned
    ((4200, 5941), 254, False),  # A2 read at 254 dpi: a 1819 × 2572 copy, 4.7 Mpx
    ((4093, 5795), 175, True),  # A1: a 2572 × 3642 copy, 9.4 Mpx (1.9 GB resident, measured)
    ((1653, 278), 200, False),  # a 595 × 100 pt strip: 909 × 152 at 110 dpi, enlarged to 4401 × 736 = 3.2 Mpx
    ((40000, 1111), 200, True),  # 14400 × 400 pt: 22000 × 611, enlarged to 26500 × 736 = 19.5 Mpx
    ((60000, 5), 300, True),  # 14400 × 1 pt: 22000 × 1, enlarged to 16 million × 736
])
def test_a_page_whose_detector_copy_passes_a_fifth_of_the_budget_is_refused(pixels, dpi, refused):
    if refused:
        with pytest.raises(render.PixelLimit, match=r"copy \(.*\) to find its lines, more than 5 Mpx"):
            render.check_detector_copy(*pixels, dpi, 25_000_000)
    else:
        render.check_detector_copy(*pixels, dpi, 25_000_000)
    assert render.detector_copy_size(2481, 3508, 300) == (909, 1286)


def _old_render(pdf_page, dpi: float, grayscale: bool = False):
    """How pages were rendered before the pixel budget (OCR: RGB at dpi; the review: grey at 1.5 px/pt)."""
    import numpy as np
    image = pdf_page.render(scale=dpi / 72, grayscale=grayscale).to_pil().convert("L" if grayscale else "RGB")
    return np.asarray(image)


@pytest.mark.parametrize("make, dpi, shape", [
    (lambda tmp: REAL, 200, (2339, 1654, 3)),  # a born-digital A4 page: vector outlines, 200 dpi
    (lambda tmp: hostile.scanned_page_pdf(tmp / "s300.pdf", 300), 300, (3508, 2481, 3)),  # 8.7 Mpx
    (lambda tmp: hostile.scanned_page_pdf(tmp / "s150.pdf", 150), 150, (1754, 1241, 3)),
    (lambda tmp: hostile.scanned_page_pdf(tmp / "s600.pdf", 600), 300, (3508, 2481, 3)),  # 35 Mpx declared: drawn
    (lambda tmp: hostile.scanned_page_pdf(tmp / "letter.pdf", 200, (612, 792)), 200, (2200, 1700, 3)),
])
def test_normal_pages_render_exactly_as_before_the_limit(tmp_path, make, dpi, shape):
    """The budget changes nothing for the pages guidelines have: same dpi, same pixels (so the same OCR)."""
    import numpy as np
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(make(tmp_path)))
    try:
        image, got = render.page_to_image(pdf[0])
        assert (got, image.shape) == (dpi, shape)
        assert np.array_equal(image, _old_render(pdf[0], dpi))
        crop_page, crop_dpi = render.render_page(pdf[0], 1.5 * 72, render.DEFAULT_MAX_PIXELS, grayscale=True)
        assert crop_dpi == 108 and np.array_equal(np.asarray(crop_page), _old_render(pdf[0], 108, grayscale=True))
    finally:
        pdf.close()


def test_a_page_larger_than_the_budget_is_read_at_a_lower_dpi_unless_the_limit_is_raised(tmp_path):
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(hostile.scanned_page_pdf(tmp_path / "a2.pdf", 300, A2)))
    try:
        image, dpi = render.page_to_image(pdf[0])
        assert (dpi, image.shape) == (254, (5941, 4200, 3))  # 24.95 Mpx
        assert render.page_to_image(pdf[0], max_pixels=40_000_000)[1] == 300
        with pytest.raises(render.PixelLimit, match=r"an image on a page declares 4961 × 7016 pixels \(34.8 Mpx\)"):
            render.check_drawn_images(pdf[0], max_pixels=8_000_000)  # more than 4 × 8 Mpx
    finally:
        pdf.close()


HOSTILE_PIXELS = {  # name: (maker, what the one line says)
    "a 14400-pt page": (lambda tmp: hostile.huge_page_pdf(tmp / "huge.pdf"),
                        "a page of 14400 × 14400 pt is 20000 × 20000 pixels (400 Mpx) even at 100 dpi"),
    "an image of 2e9 × 1 px": (lambda tmp: hostile.wide_image_pdf(tmp / "wide.pdf"),
                               "an image on a page declares 2000000000 × 1 pixels (2 Gpx)"),
    "a page 14400 × 2 pt": (lambda tmp: hostile.huge_page_pdf(tmp / "strip.pdf", 14400, 2),
                            "a page image of 40000 × 6 pixels needs a 5397333 × 736 copy (3.97 Gpx)"),  # 22000 × 3 at 110 dpi
    "an image of 20000² px": (lambda tmp: hostile.wide_image_pdf(tmp / "square.pdf", 20000, 20000),
                              "an image on a page declares 20000 × 20000 pixels (400 Mpx)"),
}


@needs_engine
@pytest.mark.parametrize("name", HOSTILE_PIXELS)
def test_a_page_or_image_too_large_to_render_is_refused_before_it_is_rendered(tmp_path, bounded, name):
    """Item 9: a 1.1 KB PDF with a 14400 × 14400 pt page and a 2.3 KB one with a 1-pixel-tall image took all 24 GB
    and were killed, even with --max-pages 1 --max-stream-mb 1."""
    make, says = HOSTILE_PIXELS[name]
    pdf = make(tmp_path)
    assert pdf.stat().st_size < 3000
    result = bounded("extract", pdf, "--out", tmp_path / "out", "--max-pages", "1", "--max-stream-mb", "1",
                     "--lang", "en", limit_mb=1000, timeout=60)
    line = one_line_error(result, 18, says, "(limit max_pixels)", "raise the limit with --max-pixels")
    assert len(line) < 300 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", HOSTILE_PIXELS)
def test_reading_the_layout_decodes_no_image(tmp_path, bounded, name):
    """The text layer, the scan and image-placement checks read images' boxes, never their pixels: without OCR
    each file is read (a page without text, exit 7) within 1 GB."""
    result = bounded("extract", HOSTILE_PIXELS[name][0](tmp_path), "--out", tmp_path / "out", "--ocr", "never",
                     "--lang", "en", limit_mb=1000)
    one_line_error(result, 7)


def test_the_review_shows_no_crop_of_a_page_too_large_to_render(tmp_path):
    """The review renders pages through the same budget: a page too large gets its value's text, not a crop."""
    pdfs = [str(make(tmp_path)) for make, _says in HOSTILE_PIXELS.values()]
    code = ("import sys\nfrom pathlib import Path\nfrom pipeline.review.page import PageImages\n"
            f"for pdf in {pdfs!r}:\n"
            "    pages = PageImages(Path(pdf))\n"
            "    print(pages.crop(1, [[10, 10, 50, 20]]) is None)\n"
            "    pages.close()\n")
    result = limited_python(code)
    assert result.returncode == 0, result.stderr[-2000:]
    # the strip is rendered for a crop (40000 × 6 pixels at 1.5 px/pt … 21600 × 3): only OCR enlarges it
    assert result.stdout.split() == ["True", "True", "False", "True"]


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1.5", "lots", "25e6"])
def test_a_nonsense_max_pixels_is_a_usage_error_in_one_line(tmp_path, value):
    result = runner.invoke(app, ["extract", str(REAL), "--out", str(tmp_path / "out"), "--max-pixels", value,
                                 "--lang", "en"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: Invalid value for '--max-pixels': ") and value in line
    assert not (tmp_path / "out").exists()
# --- issue 22: data lost or overwritten (i22a) ---
# Root ignores directory permissions (these tests run as root), so a full disk or a read-only published/ is
# made in-process: the writer is patched to fail as the kernel would (ENOSPC, EROFS).

def _users_project(tmp_path) -> Path:
    project = _project(tmp_path)
    return hostile.users_project(project)


def test_a_refused_ingest_changes_nothing_of_the_users(tmp_path, cli_here):
    """Items 1 and 2: `.env.old-2023`, `.vscode.old-settings/`, `raw/.notes.tmp-1` … survive a refused ingest
    (exit 14), and so does every byte of params.yaml."""
    project = _users_project(tmp_path)
    (project / "raw" / "2022-1.pdf").write_bytes(b"%PDF-1.4 another file\n")
    before = hostile.tree_bytes(project)
    result = cli_here("ingest", REAL, "--project", project, "--edition", "2022-1")
    one_line_error(result, 14, "exists with a different file")
    assert hostile.tree_bytes(project) == before  # not even a lock file: the lock is on the directory


@pytest.mark.slow
def test_a_successful_ingest_keeps_every_user_file_and_params_byte_for_byte(tmp_path):
    """Items 1, 2, 5: a successful ingest (stages in-process) adds one line to params.yaml and leaves every file
    of the user's as it was; the temporaries a killed run of ours left, inside the stage directories too, go."""
    project = _users_project(tmp_path)
    before = hostile.tree_bytes(project)
    ours = [project / "extracted" / ".2021-2.guidelines-tmp-0123abcd",
            project / "published" / ".2021-2.guidelines-old-89abcdef", project / ".params.yaml.guidelines-tmp-00ff00ff"]
    for path in ours[:2]:
        path.mkdir(parents=True)
        (path / "edition.json").write_text("{}")
    ours[2].write_text("half")
    result = cli("ingest", REAL, "--project", project, timeout=300)
    assert result.returncode == 0, result.stderr
    after = hostile.tree_bytes(project, skip=("extracted/2021-2", "published/2021-2", "tables", "extracted/index"))
    assert after.pop("raw/2021-2.pdf") == REAL.read_bytes()
    params = after.pop("params.yaml").decode("utf-8")
    assert params == hostile.USERS_PARAMS.replace("# the synthetic one\n",
                                                  "# the synthetic one\n        2021-2: raw/2021-2.pdf\n")
    del before["params.yaml"]
    assert after == before
    assert not any(path.exists() for path in ours)
    # the stage directories written in the project: a stale temporary of validate's never blocks extract
    stale = project / "extracted" / "2021-2" / ".data_docs.guidelines-tmp-deadbeef"
    stale.mkdir()
    result = cli("extract", REAL, "--out", project / "extracted" / "2021-2")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()


@pytest.mark.parametrize("params, expected", [
    ("extract:\n  editions: []\n", "extract:\n  editions:\n    2023-1: raw/2023-1.pdf\n"),
    ("extract:\n  editions: []  # none yet\nx: [DK, NO]\n",
     "extract:\n  editions:\n    2023-1: raw/2023-1.pdf  # none yet\nx: [DK, NO]\n"),
    ("# h\nextract:\n  editions:\n    2021-2: raw/2021-2.pdf  # c\n# t\n",
     "# h\nextract:\n  editions:\n    2021-2: raw/2021-2.pdf  # c\n    2023-1: raw/2023-1.pdf\n# t\n"),
    ("extract:\n  editions:\n    2021-2: raw/2021-2.pdf", "extract:\n  editions:\n    2021-2: raw/2021-2.pdf\n"
                                                          "    2023-1: raw/2023-1.pdf\n"),
    ("extract:\n  editions:\n    2023-1: raw/old.pdf # was\n", "extract:\n  editions:\n    2023-1: raw/2023-1.pdf # was\n"),
    ("extract:\n  editions: {2021-2: raw/a.pdf}  # flow\n",
     "extract:\n  editions: {2021-2: raw/a.pdf, 2023-1: raw/2023-1.pdf}  # flow\n"),
    ("extract:\n  editions:\n    '2023-1': 'raw/2023-1.pdf'\n", "extract:\n  editions:\n    '2023-1': 'raw/2023-1.pdf'\n"),
    ("extract:\n  editions: [2021-2]  # ids\n", "extract:\n  editions: [2021-2, 2023-1]  # ids\n"),
    ("", "extract:\n  editions:\n    2023-1: raw/2023-1.pdf\n"),
    ("# only a comment", "# only a comment\nextract:\n  editions:\n    2023-1: raw/2023-1.pdf\n"),
    ("review:\n  strict: yes\n", "review:\n  strict: yes\nextract:\n  editions:\n    2023-1: raw/2023-1.pdf\n"),
    ("extract:\n  editions:\n  - 2021-2 # a\n  # b\n", "extract:\n  editions:\n  - 2021-2 # a\n  - 2023-1\n  # b\n"),
])
def test_params_gain_one_line_and_keep_every_other_byte(params, expected):
    from pipeline.ingest import params_with

    assert params_with(params, "2023-1") == expected


@pytest.mark.parametrize("params, words", [
    (hostile.alias_bomb(), "alias"),
    ("extract:\n  editions: [unclosed\n", "cannot be read"),
    ("extract:\n  editions: '" + "x" * 100_000 + "'\n", "must map edition ids"),
    ("- a list\n", "must map edition ids"),
    ("extract: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system"),  # fuzz findings
    ("extract: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested too deeply"),
    ("extract:\n  when: 2021-02-30T25:61:61Z\n", "cannot be read"),
    ("extract:\n  editions:\n    2021-2: raw/\x00.pdf\n", "#x0000"),
])
def test_a_hostile_params_yaml_is_one_short_line(tmp_path, cli_here, params, words):
    """Item 2: params.yaml is read with aliases refused (a billion laughs is one line, at once) and a message
    shows a value only as a short preview."""
    project = _project(tmp_path)
    (project / "params.yaml").write_text(params, encoding="utf-8")
    result = cli_here("ingest", REAL, "--project", project, timeout=30)
    line = one_line_error(result, 14, words, "params.yaml")
    assert len(line) < 300
    assert (project / "params.yaml").read_text(encoding="utf-8") == params and not (project / "raw").exists()


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_params_yaml_not_in_utf8_is_one_line(tmp_path, cli_here, encoding):
    """A params.yaml saved by a Chinese Windows editor (GBK) or as UTF-16 is refused in one line that says to
    convert it, and is left as it was (it was an internal error, UnicodeDecodeError)."""
    project = _project(tmp_path)
    data = "# 政府间合作 指南\nextract:\n  editions:\n    2021-2: raw/2021-2.pdf\n".encode(encoding)
    (project / "params.yaml").write_bytes(data)
    result = cli_here("ingest", REAL, "--project", project, timeout=30)
    one_line_error(result, 14, "not UTF-8", "iconv", "params.yaml")
    assert (project / "params.yaml").read_bytes() == data and not (project / "raw").exists()


@pytest.fixture()
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def _out_commands(editions_root, target):
    root = ["--root", str(editions_root)]
    return {
        "diff": ["diff", "2021-2", "2022-1", *root, "--out", target],
        "partner": ["partner", "DK", *root, "--out", target],
        "search": ["search", "丹麦", *root, "--out", target],
        "review": ["review", "2021-2", *root, "--out", target],
        "index": ["index", "--published", str(editions_root), "--out", target],
        "extract": ["extract", str(REAL), "--out", target],
        "tables": ["tables", *root, "--out", target],
        "schema": ["schema", "--out", target],
    }


@pytest.mark.parametrize("command", ["diff", "partner", "search", "review", "index", "extract", "tables", "schema"])
@pytest.mark.parametrize("kind", ["fifo", "symlink to /dev/null"])
def test_out_onto_a_fifo_or_device_is_refused_and_it_stays(editions_root, tmp_path, fifo, command, kind):
    """Item 3: --out onto a FIFO (or a symlink to a device) is exit 9 in one line; the FIFO stays a FIFO and
    /dev/null a device (the test never points --out at /dev/null itself)."""
    target = fifo
    if kind != "fifo":
        target = tmp_path / "null-link"
        target.symlink_to("/dev/null")
    result = runner.invoke(app, [*map(str, _out_commands(editions_root, str(target))[command]), "--lang", "en"])
    assert result.exit_code == 9, (result.exit_code, result.stderr)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and ("not a regular file" in line or "not a directory" in line), line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if kind != "fifo":
        assert os.path.islink(target) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["fifo"] + ([] if kind == "fifo" else ["null-link"]))


def test_validate_metrics_onto_a_fifo_is_refused(tmp_path, fifo):
    """--metrics onto a FIFO; a report --out onto a directory; a FIFO among schema's files: nothing written."""
    from pipeline.fileio import write_output
    from pipeline.errors import OutputError
    from pipeline.quality.metrics import write_metrics

    with pytest.raises(OutputError, match="not a regular file .* choose another --metrics"):
        write_metrics(fifo, None, {})  # before anything is computed
    with pytest.raises(OutputError, match="is a directory"):
        write_output(tmp_path, "text")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    os.mkfifo(schemas / "tables.md")
    result = runner.invoke(app, ["schema", "--out", str(schemas)])
    assert result.exit_code == 9 and "tables.md: exists and is not a regular file" in result.stderr
    assert [p.name for p in schemas.iterdir()] == ["tables.md"]


def _validated(tmp_path, extracted_dir, status="passed") -> Path:
    """An edition directory with a validation report of its very edition.json (made by hand: the gate's input)."""
    from pipeline.editions import edition_digest, load_edition_dir
    from pipeline.models import ValidationReport, ValidationSummary

    directory = tmp_path / "extracted" / "2021-2"
    shutil.copytree(extracted_dir, directory)
    edition = load_edition_dir(directory)
    report = ValidationReport(edition_id="2021-2", edition_sha256=edition_digest(edition), status=status,
                              great_expectations_version="test",
                              summary=ValidationSummary(checks=1, passed=int(status == "passed"),
                                                        failed=int(status != "passed"), skipped=0), checks=[])
    (directory / "validation.json").write_text(report.model_dump_json(), encoding="utf-8")
    return directory


def _disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_publish_on_a_full_disk_withdraws_the_earlier_copy(tmp_path, extracted_dir, monkeypatch):
    """Item 4: the earlier passing copy is withdrawn before anything is written, so a full disk is exit 9 in one
    line and nothing stale stays published."""
    from pipeline.publish import gate

    directory = _validated(tmp_path, extracted_dir)
    published = tmp_path / "published"
    assert runner.invoke(app, ["publish", str(directory), "--to", str(published)]).exit_code == 0
    assert (published / "2021-2" / "edition.json").is_file()
    monkeypatch.setattr(gate, "write_json_atomic", _disk_full)
    result = runner.invoke(app, ["publish", str(directory), "--to", str(published), "--lang", "en"])
    assert result.exit_code == 9, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "No space left on device" in line and "nothing is published for 2021-2" in line
    assert list(published.iterdir()) == []  # no copy, no temporary


def test_a_copy_that_cannot_be_withdrawn_is_exit_9_and_says_it_is_still_published(tmp_path, extracted_dir,
                                                                                  monkeypatch):
    """Item 4, a read-only published/ (EROFS: neither the rename nor a delete works): exit 9, one line that says
    the earlier copy is still there."""
    from pipeline.publish import gate

    directory = _validated(tmp_path, extracted_dir)
    published = tmp_path / "published"
    assert runner.invoke(app, ["publish", str(directory), "--to", str(published)]).exit_code == 0

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(gate.os, "replace", read_only)
    monkeypatch.setattr(Path, "unlink", read_only)
    result = runner.invoke(app, ["publish", str(directory), "--to", str(published), "--lang", "en"])
    assert result.exit_code == 9, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "cannot be withdrawn (Read-only file system) and is still published" in line


def test_withdrawing_falls_back_to_removing_the_edition(tmp_path, extracted_dir, monkeypatch):
    """published/ itself not writable (the rename fails), PUBLISH/<id>/ writable: its edition.json is removed."""
    from pipeline.publish import gate

    target = tmp_path / "published" / "2021-2"
    target.mkdir(parents=True)
    (target / "edition.json").write_text("{}")
    (target / "enrichment.json").write_text("{}")
    monkeypatch.setattr(gate.os, "replace", lambda *a: _disk_full())
    gate.withdraw(target)
    assert list(target.iterdir()) == []


@pytest.mark.slow
def test_validate_publish_on_a_full_disk_leaves_no_earlier_copy(tmp_path, extracted_dir, monkeypatch):
    """Item 4: `validate --publish` whose report cannot be written: exit 9 in one line, and the copy published
    earlier is gone (withdrawn before validating)."""
    from pipeline.quality import validate

    directory = _validated(tmp_path, extracted_dir)
    published = tmp_path / "published"
    assert runner.invoke(app, ["publish", str(directory), "--to", str(published)]).exit_code == 0
    monkeypatch.setattr(validate, "write_json_atomic", _disk_full)
    result = runner.invoke(app, ["validate", str(directory), "--no-docs", "--publish", "--to", str(published),
                                 "--lang", "en"])
    assert result.exit_code == 9, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "No space left on device" in line
    assert list(published.iterdir()) == []


def test_sigterm_during_validate_cleans_up_and_is_exit_130(tmp_path, extracted_dir):
    """Item 5: SIGTERM while the Data Docs are built: the temporary goes, one line, exit 130 (as Ctrl-C)."""
    import signal
    import time

    directory = tmp_path / "2021-2"
    shutil.copytree(extracted_dir, directory)
    process = subprocess.Popen([sys.executable, "-m", "pipeline.quality.validate", str(directory)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(directory.glob(".data_docs*tmp-*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["error: interrupted (SIGTERM); nothing half-written was left behind; "
                                           "run the command again"]
    assert sorted(p.name for p in directory.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("name, ours", [
    (".2021-2.guidelines-tmp-0123abcd", True), (".data_docs.guidelines-old-89abcdef", True),
    (".params.yaml.guidelines-tmp-00ff00ff", True),
    (".env.old-2023", False), (".vscode.old-settings", False), (".notes.tmp-1", False),
    (".2021-2.tmp-abc12345", False), ("2021-2.guidelines-tmp-0123abcd", False),
    (".x.guidelines-tmp-0123abc", False), (".x.guidelines-tmp-0123abcdef", False), (".x.guidelines-tmp-0123ABCD", False),
])
def test_only_the_tools_exact_temporary_names_are_its_own(name, ours):
    from pipeline.fileio import is_temporary

    assert is_temporary(Path(name)) is ours


def test_interrupting_an_ingest_restores_the_metrics(tmp_path, monkeypatch):
    """Item 19: Ctrl-C while the stages run: metrics/<id>.json is put back as it was (gone when it was not there),
    with raw/ and params.yaml; the interruption goes on (KeyboardInterrupt)."""
    from pipeline import ingest as ingest_module

    project = _project(tmp_path)

    def interrupted(root, edition_id):
        (root / "metrics").mkdir(exist_ok=True)
        (root / "metrics" / f"{edition_id}.json").write_text('{"passed": true}')
        (root / "extracted" / edition_id).mkdir(parents=True, exist_ok=True)
        (root / "extracted" / edition_id / "edition.json").write_text("{}")
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest_module, "_run_in_process", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest_module.ingest(REAL, project, "2021-2")
    # what this run made for the new edition is gone, and the folders it made for it
    assert sorted(p.name for p in project.iterdir()) == ["dvc.yaml", "params.yaml"]
    (project / "metrics").mkdir()
    (project / "metrics" / "2021-2.json").write_text('{"passed": false}')
    with pytest.raises(KeyboardInterrupt):
        ingest_module.ingest(REAL, project, "2021-2")
    assert (project / "metrics" / "2021-2.json").read_text() == '{"passed": false}'
    assert (project / "params.yaml").read_text() == "extract:\n  editions: []\n"


DVC_BUSY = """Running stage 'extract@2023-1':
ERROR: failed to reproduce 'extract@2023-1': '/p/extracted/2023-1/edition.json' is busy, it is being blocked by:
  (PID 4242): dvc repro

If there are no processes with such PIDs, you can manually remove '.dvc/tmp/rwlock' and try again.
"""


def test_a_repro_blocked_by_the_users_dvc_names_its_pid():
    """Item 19: DVC's lock message continues on the lines after `ERROR:`: the PID is kept."""
    from pipeline.ingest import dvc_error

    assert dvc_error(DVC_BUSY) == ("failed to reproduce 'extract@2023-1': '/p/extracted/2023-1/edition.json' is busy, "
                                   "it is being blocked by: (PID 4242): dvc repro")
    no_pid = DVC_BUSY.replace("  (PID 4242): dvc repro\n", "")
    assert dvc_error(no_pid).endswith("blocked by: (no process named; DVC's lock file is .dvc/tmp/rwlock)")


# --- issue 22: fuzz findings (i22h) ---

@pytest.mark.parametrize("make, code, words", [
    (lambda src, out: hostile.docx_with_method(src, out, 7), 21, ["truncated or damaged"]),  # reserved method
    (lambda src, out: hostile.docx_with_method(src, out, 99), 21, ["truncated or damaged"]),  # AES encryption
    (hostile.docx_with_zlib_member, 21, ["truncated or damaged"]),  # a zlib header where raw deflate belongs
    (hostile.docx_with_duplicate, 21, ["word/styles.xml", "twice"]),
    (lambda src, out: hostile.docx_rewritten(src, out, {"word/document.xml": lambda xml: re.sub(
        rb"encoding=['\"][^'\"]*['\"]", b"encoding='x-no-such'", xml, count=1)}), 21, ["cannot be read"]),
])
def test_a_word_file_the_fuzz_damaged_is_refused_in_one_line(tmp_path, word_twin, bounded, make, code, words):
    docx = make(word_twin, tmp_path / "damaged.docx")
    result = bounded("extract", docx, "--out", tmp_path / "out", "--ocr", "never", "--lang", "en", limit_mb=1000)
    one_line_error(result, code, *words)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_clean_scan_is_read_by_ocr_within_1_gb(tmp_path):
    """The engine loaded and a page read under a 1 GB address-space limit (glibc's per-thread malloc arenas
    reserved ~550 MB of it before they were capped): the strip is read, and refused only as no guideline."""
    pytest.importorskip("rapidocr_onnxruntime")
    pdf = hostile.title_scan_pdf(tmp_path / "scan.pdf", REAL)
    result = cli("extract", pdf, "--out", tmp_path / "out", "--ocr", "auto", "--lang", "en", limit_mb=1024,
                 timeout=120)
    one_line_error(result, 8, "no numbered directions")


class _OutOfMemoryReader:
    """A reader whose every page meets the system's refusal, as onnxruntime reports it."""

    name, dictionary = "out of memory", None

    def __init__(self, exc):
        self.exc = exc

    def load(self):
        pass

    def read(self, image, scale):
        raise self.exc


@pytest.mark.parametrize("exc", [
    MemoryError(),
    RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running Conv "
                 "node. Name:'Conv.0' Status Message: std::bad_alloc"),
    RuntimeError("FAIL : bfc_arena.cc:360 AllocateRawInternal Failed to allocate memory for requested buffer"),
])
def test_memory_refused_while_reading_a_scan_is_one_line_exit_18(tmp_path, exc):
    from pipeline.errors import InputTooLarge
    from pipeline.extract import extract_to_dir

    pdf = hostile.scanned_page_pdf(tmp_path / "scan.pdf", dpi=100)
    with pytest.raises(InputTooLarge) as raised:
        extract_to_dir(pdf, tmp_path / "out", "scan", ocr_reader=_OutOfMemoryReader(exc))
    assert raised.value.exit_code == 18
    assert "not enough memory to read page 1 by OCR" in raised.value.message
    assert "--ocr never" in raised.value.message
    assert not (tmp_path / "out").exists()


def test_an_engine_error_that_is_not_memory_stays_a_bug(tmp_path):
    from pipeline.extract import extract_to_dir

    pdf = hostile.scanned_page_pdf(tmp_path / "scan.pdf", dpi=100)
    with pytest.raises(ValueError, match="a shape"):
        extract_to_dir(pdf, tmp_path / "out", "scan", ocr_reader=_OutOfMemoryReader(ValueError("a shape")))


ONE_CORRECTION = '- direction: "1.5"\n  path: budget_cny\n  was: 20000000\n  value: {value}\n  reason: a fix\n'


@pytest.mark.parametrize("value, line, words", [
    ("[" * 10_000 + "]" * 10_000, 4, "YAML nested too deeply"),  # was a RecursionError (exit 1)
    ("{a: " * 10_000 + "1" + "}" * 10_000, 4, "YAML nested too deeply"),
    ("!!timestamp 2021-02-30T25:61:61Z", 1, "YAML syntax error"),  # was a ValueError (exit 1)
    ("2021-02-30", 1, "YAML syntax error"),  # a plain scalar YAML resolves to a date that does not exist
])
def test_a_corrections_file_nested_or_dated_impossibly_is_one_line_with_its_line(value, line, words):
    from pipeline.errors import BadCorrections
    from pipeline.records.corrections import read_entries

    with pytest.raises(BadCorrections) as caught:
        read_entries(ONE_CORRECTION.format(value=value), "corrections/2021-2.yaml")
    message = caught.value.message
    assert caught.value.exit_code == 16
    assert message.startswith(f"corrections/2021-2.yaml:{line}: ") and words in message and "\n" not in message


def test_the_yaml_depth_bound_is_exact():
    """plain_loader composes MAX_DEPTH lists inside each other and refuses one more, before building anything."""
    import yaml

    from pipeline.yamlsafe import MAX_DEPTH, TOO_DEEP, plain_loader

    assert yaml.load("[" * MAX_DEPTH + "]" * MAX_DEPTH, Loader=plain_loader()) is not None  # noqa: S506
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), Loader=plain_loader())  # noqa: S506
    assert caught.value.problem == TOO_DEEP


def test_a_page_drawing_an_image_10000_times_is_refused_before_it_is_rendered(tmp_path, bounded):
    """Rendering it for OCR took ~5 s (100,000 times: about a minute), and it ran out of 1 GB beside the engine."""
    pytest.importorskip("rapidocr_onnxruntime")  # without the engine the scan is refused first (exit 23)
    pdf = hostile.image_drawn_pdf(tmp_path / "many.pdf", 10_000)
    result = bounded("extract", pdf, "--out", tmp_path / "out", "--ocr", "auto", "--lang", "en", limit_mb=1000)
    one_line_error(result, 18, "more than 1,000 images", "--ocr never")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("times, refused", [(1, False), (1000, False), (1001, True)])
def test_the_image_count_of_a_page_is_bounded_exactly(tmp_path, times, refused):
    import pypdfium2

    from pipeline.reading.ocr.render import MAX_IMAGES_PER_PAGE, ImageCountLimit, check_image_count

    assert MAX_IMAGES_PER_PAGE == 1000
    pdf = pypdfium2.PdfDocument(str(hostile.image_drawn_pdf(tmp_path / "many.pdf", times)))
    try:
        if refused:
            with pytest.raises(ImageCountLimit):
                check_image_count(pdf[0])
        else:
            check_image_count(pdf[0])
    finally:
        pdf.close()
