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
from pipeline.i18n import CLI_DOMAIN, translations

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


def test_extract_root_option_names_where_edition_directories_go(tmp_path):
    result = runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--root", str(tmp_path / "elsewhere")])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"→ {tmp_path / 'elsewhere' / '2021-2' / 'edition.json'}\n")


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


# --- issue 18: a thin CLI, split by command group ------------------------------------------------------

def test_the_cli_is_split_by_command_group():
    """Every command lives in the module of its group, and `guidelines --help` lists them under the group."""
    from pipeline.cli import build, gate, reports

    groups = {"build": build, "gate": gate, "reports": reports}
    assert {c.name for m in groups.values() for c in m.COMMANDS} == set(app.commands)
    for section, module in groups.items():
        assert {c.section for c in module.COMMANDS} == {section}
    text = runner.invoke(app, ["--help", "--lang", "en"]).output
    headings = [line for line in text.splitlines() if line and not line.startswith(" ") and line.endswith(":")]
    assert headings[-3:] == ["Build and correct editions:", "The quality gate and its pages:", "Reports and tables:"]
    build_part = text.split("Build and correct editions:")[1].split("The quality gate")[0]
    assert [w.split()[0] for w in build_part.splitlines() if w.startswith("  ") and not w.startswith("   ")] == \
        ["correct", "enrich", "extract", "ingest"]


def test_the_limits_defaults_are_the_librarys():
    import dataclasses

    from pipeline.reading.pdf import Limits

    params = {p.name: p for p in app.commands["extract"].params}
    for field in dataclasses.fields(Limits):
        option = params[field.name]
        assert option.default == field.default and Limits.OPTIONS[field.name] in option.opts


def test_lead_types_are_the_librarys():
    from pipeline.query.eligible import LEAD_TYPES

    [lead] = [p for p in app.commands["eligible"].params if p.name == "lead"]
    assert list(lead.type.choices) == list(LEAD_TYPES)


def test_eligible_rows_from_the_library(extracted):
    """Data in, rows out: a university may lead every 2021-2 direction but 1.1 (Israel: 牵头申报单位必须为企业)."""
    from pipeline.query.eligible import eligible_directions

    edition = json.loads((extracted["2021-2"][1] / "edition.json").read_text(encoding="utf-8"))
    rows = eligible_directions([edition], "university")
    assert [r["id"] for r in rows if r["eligible"]] == ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]
    [israel] = [r for r in rows if not r["eligible"]]
    assert israel["id"] == "1.1" and israel["because"]["requirement"] == 1
    assert "牵头申报单位必须为企业" in israel["because"]["text"]
    with pytest.raises(ValueError):
        eligible_directions([edition], "ministry")


@pytest.fixture()
def edition_copy(extracted, tmp_path):
    directory = tmp_path / "extracted" / "2021-2"
    shutil.copytree(extracted["2021-2"][1], directory)
    return directory


def test_validate_only_validates(edition_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", str(edition_copy), "--no-docs"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"2021-2: passed (26 checks passed, 0 skipped) → {edition_copy / 'validation.json'}\n"
    assert not (tmp_path / "published").exists()
    assert sorted(p.name for p in edition_copy.iterdir()) == ["edition.json", "layout.json", "outline.json",
                                                              "paragraphs.json", "validation.json"]


def test_validate_publish_publishes_when_asked_and_says_so(edition_copy, tmp_path):
    published = tmp_path / "out"
    result = runner.invoke(app, ["validate", str(edition_copy), "--no-docs", "--publish", "--to", str(published)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"published: {published / '2021-2' / 'edition.json'}"
    assert json.loads((published / "2021-2" / "edition.json").read_text(encoding="utf-8"))["quality"]["status"] \
        == "passed"


def test_every_command_goes_through_the_one_error_handler(tmp_path, monkeypatch):
    """A bug anywhere in any command (search included) is one line, exit 1; bad input is one line and its code."""
    import importlib

    import pipeline.editions

    for module in ("extract", "ingest", "review.page", "query.partner", "query.search", "query.render", "query.eligible",
                   "compare.diff", "compare.render", "publish.tables", "publish.gate", "publish.index", "publish.schemas",
                   "quality.validate", "enrich.enrichment", "records.corrections"):
        importlib.import_module(f"pipeline.{module}")  # before the patch: none may keep the broken function
    monkeypatch.chdir(tmp_path)
    args = {"extract": ["x.pdf"], "enrich": ["x"], "correct": ["x", "--direction", "1.1", "--path", "title",
                                                              "--value", "v", "--reason", "r"],
            "ingest": ["x.pdf"], "validate": ["x"], "publish": ["x"], "review": ["x"], "index": [],
            "diff": ["a", "b"], "partner": ["DK"], "search": ["CCUS"], "eligible": ["--lead", "university"],
            "tables": [], "schema": ["--out", "s"]}
    assert set(args) == set(app.commands)

    def broken(*a, **k):
        raise RuntimeError("boom \x1b[31m")

    for name in ("read_edition", "edition_refs", "resolve_edition"):
        monkeypatch.setattr(pipeline.editions, name, broken)
    monkeypatch.setattr("pipeline.extract.read_document", broken)
    monkeypatch.setattr("pipeline.ingest.project_root", broken)
    monkeypatch.setattr("pipeline.publish.index.edition_statuses", broken)
    monkeypatch.setattr("pipeline.publish.schemas.write_schemas", broken)
    for command, argv in args.items():
        result = runner.invoke(app, [command, *argv, "--lang", "en"])
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr == "error: internal error (RuntimeError: boom \\x1b[31m); rerun with GUIDELINES_DEBUG=1 " \
                                "and report it\n", (command, result.stderr)


@pytest.mark.parametrize("argv, words", [
    (["extract", "--max-pages", "0", "x.pdf"], "0 is not a positive finite number"),
    (["extract", "--bogus", "x.pdf"], "No such option '--bogus'"),
    (["search"], "Missing argument 'WORDS...'"),
    (["eligible", "--lead", "ministry"], "'ministry' is not one of"),
    (["nonsense"], "No such command 'nonsense'"),
])
def test_usage_errors_are_one_line_exit_2(argv, words):
    result = runner.invoke(app, [*argv, "--lang", "en"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and words in line and line.endswith("--help`)"), line


def test_guidelines_alone_shows_its_help_not_an_error_line():
    result = runner.invoke(app, [])
    assert result.exit_code in (0, 2)  # click ≥ 8.2 exits 2 without a command
    assert (result.stderr or result.stdout).startswith("Usage: guidelines [OPTIONS] COMMAND")
    assert "error:" not in result.output
    missing = runner.invoke(app, ["--lang", "en"])  # options but no command: a usage error, in one line
    assert missing.exit_code == 2 and missing.stderr == "error: Missing command. (see `guidelines --help`)\n"


def test_help_and_usage_errors_in_chinese():
    """Under --lang zh or a Chinese LANG: click's words (Usage, Options, its errors) and every help text."""
    zh_env = {"LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": ""}
    top = runner.invoke(app, ["--help"], env=zh_env).output
    assert top.startswith("用法: guidelines") and "选项:" in top and "构建与更正批次:" in top and "显示本帮助后退出。" in top
    for name, command in app.commands.items():
        text = runner.invoke(app, [name, "--help", "--lang", "zh"]).output
        assert f"示例：guidelines {name}" in " ".join(text.split()), name
        assert "Options:" not in text and "Show this message" not in text, name
        flat = "".join(text.split())  # wrapped Chinese lines break anywhere
        for param in command.params:
            if getattr(param, "help", None):
                chinese = translations("zh", CLI_DOMAIN).gettext(param.help)  # the CLI's catalog (cli.po)
                assert chinese != param.help and "".join(chinese.split()) in flat, (name, param.name)
    error = runner.invoke(app, ["extract", "--max-pages", "-3", "x.pdf"], env=zh_env)
    assert error.exit_code == 2 and error.stderr == \
        "错误：'--max-pages' 的值无效：-3 不是有限的正数（见 `guidelines extract --help`）\n"
    missing = runner.invoke(app, ["diff", "a", "--lang", "zh"])
    assert missing.exit_code == 2 and missing.stderr.startswith("错误：缺少参数 'NEW'")
    assert runner.invoke(app, ["--version", "--lang", "zh"]).output.startswith("guidelines，版本 ")


# --- issue 18: paths from the project root ------------------------------------------------------------

@pytest.fixture()
def project(tmp_path):
    """A project (dvc.yaml, params.yaml, raw/) with a tests/ subfolder, as a fresh clone has it."""
    project = tmp_path / "project"
    (project / "raw").mkdir(parents=True)
    (project / "tests").mkdir()
    shutil.copy(ROOT / "dvc.yaml", project / "dvc.yaml")
    (project / "params.yaml").write_text("extract:\n  editions:\n    2021-2: raw/2021-2.pdf\n", encoding="utf-8")
    shutil.copy(EDITIONS["2021-2"][0], project / "raw" / "2021-2.pdf")
    return project


def test_every_command_run_from_a_subfolder_uses_the_projects_folders(project, monkeypatch):
    """Run from tests/: defaults are the project's (extracted/, published/, tables/, corrections/, schemas/),
    paths given on the command line are relative to tests/, and nothing is created in tests/."""
    monkeypatch.chdir(project / "tests")
    steps = [
        (["extract", "../raw/2021-2.pdf"], "2021-2: 8 directions, 2.578 亿元 → ../extracted/2021-2/edition.json"),
        (["validate", "2021-2", "--no-docs"], "2021-2: passed (26 checks passed, 0 skipped) → "
                                              "../extracted/2021-2/validation.json"),
        (["enrich", "2021-2"], "2021-2: 8 directions, 18 agency mentions → ../extracted/2021-2/enrichment.json"),
        (["publish", "2021-2"], "published: ../published/2021-2/edition.json"),
        (["review", "2021-2"], "wrote ../extracted/2021-2/review.html"),
        (["correct", "2021-2", "--direction", "1.4", "--path", "partner.name", "--value", "欧洲联盟", "--reason", "r"],
         "../corrections/2021-2.yaml: entry 1 (direction 1.4, partner.name): '欧盟' → '欧洲联盟'; "
         "run `dvc repro` to apply it"),
        (["diff", "2021-2", "2021-2"], "# 2021-2 → 2021-2"),
        (["partner", "DK"], "# Partner DK 丹麦: 1 edition(s)"),
        (["search", "CCUS"], "# Search “CCUS”: 1 direction(s)"),
        (["eligible", "--lead", "university"], "may be led by a 高校 (university): 7 direction(s)"),
        (["tables"], "… 8 eligibility → ../tables/"),
        (["index"], "wrote ../extracted/index.html"),
        (["schema"], "../schemas/edition.schema.json"),
    ]
    assert {argv[0] for argv, _ in steps} == set(app.commands) - {"ingest"}  # ingest: the slow test below
    for argv, first_line in steps:
        result = runner.invoke(app, [*argv, "--lang", "en"])
        assert result.exit_code == 0, (argv, result.output)
        line = result.stdout.splitlines()[0]
        assert line == first_line or first_line.startswith("…") and line.endswith(first_line[1:]), (argv, line)
    assert list((project / "tests").iterdir()) == []
    for made in ("extracted/2021-2/validation.json", "extracted/2021-2/enrichment.json", "published/2021-2/edition.json",
                 "extracted/2021-2/review.html", "corrections/2021-2.yaml", "tables/directions.csv",
                 "extracted/index.html", "schemas/edition.schema.json"):
        assert (project / made).is_file(), made
    # the record does not depend on the folder it was extracted from
    source = json.loads((project / "extracted/2021-2/edition.json").read_text(encoding="utf-8"))["edition"]["source"]
    assert source["path"] == "raw/2021-2.pdf"
    # an id that is not there: the error names where it was looked for, and the --out that would make it
    missing = runner.invoke(app, ["validate", "2023-1", "--lang", "en"])
    assert missing.exit_code == 10 and missing.stderr == (
        "error: ../extracted/2023-1/edition.json: no such file; run `guidelines extract PDF --out "
        "../extracted/2023-1` first\n")
    assert list((project / "tests").iterdir()) == []


@pytest.mark.slow
def test_ingest_from_a_subfolder_builds_in_the_project(project, monkeypatch, tmp_path):
    shutil.copy(EDITIONS["synthetic-2022-1"][0], tmp_path / "new.pdf")
    monkeypatch.chdir(project / "tests")
    result = runner.invoke(app, ["ingest", str(tmp_path / "new.pdf"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "ingested 2022-1: raw/2022-1.pdf, extracted/2022-1/"
    assert (project / "raw" / "2022-1.pdf").is_file() and (project / "published" / "2022-1" / "edition.json").is_file()
    assert list((project / "tests").iterdir()) == []


def test_outside_a_project_defaults_follow_the_current_folder(tmp_path, monkeypatch):
    from pipeline.project import default_path, find_root

    monkeypatch.chdir(tmp_path)
    assert find_root() is None and default_path("extracted") == Path("extracted")
    (tmp_path / "dvc.yaml").write_text("stages: {}\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert find_root() == tmp_path.resolve() and default_path("extracted") == Path("../../extracted")


# --- issue 18: side effects said and safe ----------------------------------------------------------

OTHER_OUTPUTS = ("validation.json", "data_docs", "enrichment.json", "review.html")


def _with_other_outputs(out: Path) -> dict:
    """The other stages' outputs of the edition in out, as validate, enrich and review write them."""
    from pipeline.editions import edition_digest, load_edition_dir

    digest = edition_digest(load_edition_dir(out))
    (out / "validation.json").write_text(json.dumps({"edition_id": "2021-2", "edition_sha256": digest}))
    (out / "enrichment.json").write_text(json.dumps({"edition_id": "2021-2", "edition_sha256": digest}))
    (out / "data_docs").mkdir()
    (out / "data_docs" / "index.html").write_text("<p>docs</p>")
    (out / "review.html").write_text("<p>review</p>")
    (out / ".gitignore").write_text("/edition.json\n")
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_reextracting_the_same_edition_keeps_the_other_stages_outputs(tmp_path):
    out = tmp_path / "2021-2"
    assert runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(out)]).exit_code == 0
    before = _with_other_outputs(out)
    result = runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0 and result.stderr == ""
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_reextracting_a_changed_edition_removes_and_names_what_is_stale(tmp_path):
    """A correction changes edition.json: validation.json, data_docs/, enrichment.json and review.html were made from
    the old one, so they go, and the note says which and why."""
    out = tmp_path / "2021-2"
    assert runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(out)]).exit_code == 0
    _with_other_outputs(out)
    fix = tmp_path / "fix.yaml"
    fix.write_text("- direction: '1.4'\n  path: partner.name\n  was: 欧盟\n  value: 欧洲联盟\n  reason: full name\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["extract", str(EDITIONS["2021-2"][0]), "--out", str(out), "--corrections", str(fix),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"note: removed from {out}: validation.json, data_docs/, enrichment.json, review.html (made from another "
        "edition.json); run validate, enrich and review again (or dvc repro)")
    assert not any((out / name).exists() for name in OTHER_OUTPUTS) and (out / ".gitignore").is_file()


ANOTHER, UNKNOWN = "made from another edition.json", "no record of the edition.json it was made from"


@pytest.mark.parametrize("present, digests, removed", [
    # the edition.json in the directory ("new": the one about to be written; None: removed by DVC first), the
    # digests validation.json and enrichment.json record, and what goes and why (the rest stays)
    ("new", {"validation.json": "new", "enrichment.json": "new"}, {}),
    ("old", {"validation.json": "old", "enrichment.json": "old"},
     {"validation.json": ANOTHER, "data_docs": ANOTHER, "enrichment.json": ANOTHER, "review.html": ANOTHER}),
    ("new", {"validation.json": "old", "enrichment.json": "new"}, {"validation.json": ANOTHER, "data_docs": ANOTHER}),
    (None, {"validation.json": "new", "enrichment.json": "old"}, {"enrichment.json": ANOTHER}),
    (None, {}, {"data_docs": UNKNOWN, "review.html": UNKNOWN}),  # nothing says which edition they were made from
])
def test_which_other_outputs_a_reextraction_keeps(tmp_path, present, digests, removed):
    from pipeline.editions import edition_digest
    from pipeline.extract import kept_outputs

    editions = {"new": {"edition": {"id": "2021-2"}, "directions": [1]}, "old": {"edition": {"id": "2021-2"}}}
    if present:
        (tmp_path / "edition.json").write_text(json.dumps(editions[present]))
    for name, which in digests.items():
        (tmp_path / name).write_text(json.dumps({"edition_sha256": edition_digest(editions[which])}))
    (tmp_path / "data_docs").mkdir()
    (tmp_path / "review.html").write_text("<p>review</p>")
    kept, gone = kept_outputs(tmp_path, edition_digest(editions["new"]))
    assert dict(gone) == removed
    assert sorted(kept) == sorted({"data_docs", "review.html", *digests} - set(removed))


def _published_copy(extracted_dir: Path, published: Path) -> Path:
    """published/<id>/edition.json as the gate writes it (quality: passed)."""
    edition = json.loads((extracted_dir / "edition.json").read_text(encoding="utf-8"))
    edition["quality"] = {"status": "passed", "checks_passed": 23, "checks_failed": 0, "checks_skipped": 0}
    (published / "2021-2").mkdir(parents=True)
    (published / "2021-2" / "edition.json").write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
    return published


def test_tables_never_replace_checked_tables_with_unchecked_ones(extracted, tmp_path):
    published = _published_copy(extracted["2021-2"][1], tmp_path / "published")
    unchecked = tmp_path / "extracted"
    shutil.copytree(extracted["2021-2"][1], unchecked / "2021-2")
    tables = tmp_path / "tables"
    assert runner.invoke(app, ["tables", "--root", str(published), "--out", str(tables)]).exit_code == 0
    manifest = json.loads((tables / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["checked"] is True and [e["quality"] for e in manifest["editions"]] == ["passed"]
    before = (tables / "directions.csv").read_bytes()
    refused = runner.invoke(app, ["tables", "--root", str(unchecked), "--out", str(tables), "--lang", "en"])
    assert refused.exit_code == 9 and refused.stderr == (
        f"error: {tables}: holds the tables of checked (published) editions, and 2021-2 have not passed the gate; "
        "write them elsewhere with --out, read the published ones with --root published, or give "
        "--include-unchecked to replace them\n")
    assert (tables / "directions.csv").read_bytes() == before
    forced = runner.invoke(app, ["tables", "--root", str(unchecked), "--out", str(tables), "--include-unchecked"])
    assert forced.exit_code == 0
    assert json.loads((tables / "manifest.json").read_text(encoding="utf-8"))["checked"] is False
    # unchecked tables may be rewritten with unchecked ones, and replaced by checked ones
    assert runner.invoke(app, ["tables", "--root", str(unchecked), "--out", str(tables)]).exit_code == 0
    assert runner.invoke(app, ["tables", "--root", str(published), "--out", str(tables)]).exit_code == 0
    # a tables directory without a manifest (an older one) counts as checked
    (tables / "manifest.json").unlink()
    assert runner.invoke(app, ["tables", "--root", str(unchecked), "--out", str(tables)]).exit_code == 9


# --- the stage modules DVC runs: main() does the IO, in one line per error too ----------------------

@pytest.mark.parametrize("module, argv, code, words", [
    ("pipeline.extract", ["nope.pdf"], 3, "nope.pdf: no such file"),
    ("pipeline.quality.validate", ["nope"], 10, "nope/edition.json: no such file"),
    ("pipeline.enrich.enrichment", ["nope"], 10, "nope/edition.json: no such file"),
    ("pipeline.publish.gate", ["nope"], 10, "nope/edition.json: no such file"),
    ("pipeline.review.page", ["nope"], 10, "nope: no such edition.json"),
    ("pipeline.publish.tables", ["--root", "nope"], 10, "no editions in nope/"),
])
def test_stage_mains_fail_in_one_line(tmp_path, monkeypatch, capsys, module, argv, code, words):
    import importlib

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        importlib.import_module(module).main(argv)
    assert exited.value.code == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and words in err, err


def test_stage_mains_do_their_stage_only(edition_copy, tmp_path, monkeypatch, capsys):
    """validate's main validates (and writes metrics), never publishes; publish's main publishes."""
    from pipeline.publish.gate import main as publish_main
    from pipeline.quality.validate import main as validate_main

    monkeypatch.chdir(tmp_path)
    validate_main([str(edition_copy), "--no-docs", "--metrics", "metrics/2021-2.json"])
    assert capsys.readouterr().out.startswith("2021-2: passed (26 checks passed")
    assert json.loads((tmp_path / "metrics" / "2021-2.json").read_text())["passed"] is True
    assert not (tmp_path / "published").exists()
    publish_main([str(edition_copy), "--to", "published"])
    assert capsys.readouterr().out == "published: published/2021-2/edition.json\n"
