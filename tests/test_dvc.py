"""Real DVC in a temporary git repository: repro, no-op repro, one edition changed, metrics diff, ingest.

The tests in this module run in order on one project (each builds on the state the one
before left), as a user would: no mocks of DVC.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EDITIONS, ROOT

import build

pytestmark = pytest.mark.slow

BIN = str(Path(sys.executable).parent)
ENV = {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
       "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org"}


def sh(project, *args, check=True):
    result = subprocess.run(list(args), cwd=project, env=ENV, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def ran_stages(output: str) -> list[str]:
    return sorted(line.split("'")[1] for line in output.splitlines() if line.startswith("Running stage"))


def snapshot(project: Path) -> dict:
    """What ingest must not touch when it refuses: raw/, params.yaml, extracted/."""
    files = {}
    for sub in ("raw", "extracted"):
        for path in sorted((project / sub).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(project))] = hashlib.sha256(path.read_bytes()).hexdigest()
    files["params.yaml"] = (project / "params.yaml").read_text(encoding="utf-8")
    return files


def synthetic_styled():
    return build.read_styled(EDITIONS["synthetic-2022-1"][1].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    for name in ("dvc.yaml", ".gitignore", ".dvcignore"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "pipeline", project / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "corrections", project / "corrections", ignore=shutil.ignore_patterns("*.yaml"))
    (project / "raw").mkdir()
    shutil.copy(EDITIONS["2021-2"][0], project / "raw" / "2021-2.pdf")
    shutil.copy(EDITIONS["synthetic-2022-1"][0], project / "raw" / "2022-1.pdf")
    (project / "params.yaml").write_text("extract:\n  editions:\n    2021-2: raw/2021-2.pdf\n    2022-1: raw/2022-1.pdf\n",
                                         encoding="utf-8")
    sh(project, "git", "init", "-q")
    shutil.copytree(ROOT / ".dvc", project / ".dvc", ignore=shutil.ignore_patterns("tmp", "cache", "config.local"))
    sh(project, "git", "add", "-A")
    sh(project, "git", "commit", "-qm", "project")
    return project


def test_repo_config_keeps_dvc_offline(project):
    config = (ROOT / ".dvc" / "config").read_text(encoding="utf-8")
    assert "analytics = false" in config and "check_update = false" in config


def test_first_repro_builds_every_edition(project):
    out = sh(project, "dvc", "repro").stdout
    assert ran_stages(out) == sorted([f"{stage}@{e}" for stage in ("extract", "validate", "enrich", "publish", "review")
                                      for e in ("2021-2", "2022-1")] + ["index", "tables"])
    for edition in ("2021-2", "2022-1"):
        assert (project / "extracted" / edition / "edition.json").is_file()
        assert json.loads((project / "metrics" / f"{edition}.json").read_text())["passed"] is True
        published = json.loads((project / "published" / edition / "edition.json").read_text(encoding="utf-8"))
        assert published["quality"]["status"] == "passed"
        assert (project / "published" / edition / "enrichment.json").is_file()
    import pandas as pd
    directions = pd.read_parquet(project / "tables" / "directions.parquet")
    assert sorted(directions["edition"].unique()) == ["2021-2", "2022-1"] and len(directions) == 16
    shown = sh(project, "dvc", "metrics", "show").stdout
    assert "metrics/2021-2.json" in shown and "257800000" in shown
    sh(project, "git", "add", "-A")
    sh(project, "git", "commit", "-qm", "first repro")


def test_second_repro_runs_nothing(project):
    cache = project / "pipeline" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "extract.cpython-311.pyc").write_bytes(b"bytecode written by running the code")
    out = sh(project, "dvc", "repro").stdout
    assert ran_stages(out) == []
    assert "Data and pipelines are up to date" in out


def test_changing_one_pdf_reruns_only_that_edition(project):
    """A new 2022-1 PDF whose Israel budget is 1700 万元: only 2022-1 re-runs, and its gate withholds it.

    (The review pages re-run too: each shows the changes from the published edition before it.)"""
    styled = [(s, t.replace("共拟支持经费：1600 万元人民币", "共拟支持经费：1700 万元人民币")) for s, t in synthetic_styled()]
    build.render(styled, project / "raw" / "2022-1.pdf")
    out = sh(project, "dvc", "repro").stdout
    assert ran_stages(out) == ["enrich@2022-1", "extract@2022-1", "index", "publish@2022-1", "review@2021-2",
                               "review@2022-1", "tables", "validate@2022-1"]
    metrics = json.loads((project / "metrics" / "2022-1.json").read_text())
    assert metrics["passed"] is False and metrics["budget_cny"] == 221_800_000
    assert not (project / "published" / "2022-1" / "edition.json").exists()
    import pandas as pd  # the withheld edition has left the analyst tables
    assert list(pd.read_parquet(project / "tables" / "directions.parquet")["edition"].unique()) == ["2021-2"]
    withheld = json.loads((project / "published" / "2022-1" / "withheld.json").read_text(encoding="utf-8"))
    assert "22,180 万元 but the preamble states 22,080 万元" in withheld["failed_checks"][0]


def test_metrics_diff_across_revisions(project):
    diff = sh(project, "dvc", "metrics", "diff", "HEAD", "--json").stdout
    changes = json.loads(diff)["metrics/2022-1.json"]
    assert changes["budget_cny"] == {"old": 220_800_000, "new": 221_800_000, "diff": 1_000_000}
    assert changes["checks_failed"]["new"] == 1
    assert "metrics/2021-2.json" not in json.loads(diff)
    sh(project, "git", "add", "-A")
    sh(project, "git", "commit", "-qm", "2022-1 changed")


FIX = """- direction: "1.5"
  path: budget_cny
  was: 20000000
  value: 21000000
  reason: a person's fix (test)
- edition: true
  path: budget_cny
  was: 257800000
  value: 258800000
  reason: the total moves with it
"""


def test_a_correction_is_applied_by_repro_published_and_reviewed(project):
    (project / "corrections" / "2021-2.yaml").write_text(FIX, encoding="utf-8")
    out = sh(project, "dvc", "repro").stdout
    # the folder is the dependency: both extractions re-run, only 2021-2's record changed
    assert ran_stages(out) == ["enrich@2021-2", "extract@2021-2", "extract@2022-1", "index", "publish@2021-2",
                               "review@2021-2", "review@2022-1", "tables", "validate@2021-2"]
    published = json.loads((project / "published" / "2021-2" / "edition.json").read_text(encoding="utf-8"))
    [denmark] = [d for d in published["directions"] if d["id"] == "1.5"]
    assert denmark["budget_cny"] == 21_000_000 and denmark["corrections"][0]["was"] == 20_000_000
    assert published["quality"]["status"] == "passed"
    review = (project / "extracted" / "2021-2" / "review.html").read_text(encoding="utf-8")
    assert 'class="value corrected"' in review and "a person&#x27;s fix (test)" in review


def test_a_stale_correction_stops_repro_with_one_line(project):
    stale = FIX.replace("was: 20000000", "was: 19000000")
    (project / "corrections" / "2021-2.yaml").write_text(stale, encoding="utf-8")
    before = (project / "published" / "2021-2" / "edition.json").read_bytes()
    result = sh(project, "dvc", "repro", check=False)
    assert result.returncode != 0
    assert "error: corrections/2021-2.yaml:3: entry 1 (direction 1.5, budget_cny) is stale" in result.stderr
    assert not (project / "extracted" / "2021-2" / "edition.json").exists()  # nothing half-corrected goes on
    assert (project / "published" / "2021-2" / "edition.json").read_bytes() == before  # nothing new published
    (project / "corrections" / "2021-2.yaml").unlink()
    sh(project, "dvc", "repro")
    published = json.loads((project / "published" / "2021-2" / "edition.json").read_text(encoding="utf-8"))
    assert published["edition"]["budget_cny"] == 257_800_000 and published["edition"]["corrections"] == []


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory):
    """The synthetic text retitled as a 2023 first batch: a new edition to ingest."""
    styled = [(s, t.replace("2022 年度第一批", "2023 年度第一批")) for s, t in synthetic_styled()]
    return build.render(styled, tmp_path_factory.mktemp("incoming") / "new.pdf")


def ingest(project, *args):
    return sh(project, "guidelines", "ingest", *map(str, args), check=False)


def test_ingest_infers_the_id_and_builds_the_edition(project, new_edition):
    result = ingest(project, new_edition)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "ingested 2023-1: raw/2023-1.pdf, extracted/2023-1/"
    assert "validation passed: 26 passed, 0 failed, 0 skipped" in result.stdout
    assert (project / "raw" / "2023-1.pdf").read_bytes() == new_edition.read_bytes()
    assert "2023-1: raw/2023-1.pdf" in (project / "params.yaml").read_text()
    assert (project / "published" / "2023-1" / "edition.json").is_file()
    assert ran_stages(sh(project, "dvc", "repro").stdout) == []  # the pipeline is up to date


def test_ingesting_the_same_file_again_does_nothing(project, new_edition):
    before = snapshot(project)
    result = ingest(project, new_edition)
    assert result.returncode == 0
    assert "already ingested as 2023-1" in result.stdout and "nothing to do" in result.stdout
    assert snapshot(project) == before


def test_a_different_file_under_an_existing_id_needs_replace(project, tmp_path):
    other = build.render(synthetic_styled()[:-1], tmp_path / "other.pdf")  # one line shorter
    before = snapshot(project)
    result = ingest(project, other, "--edition", "2023-1")
    assert result.returncode == 14
    assert "exists with a different file" in result.stderr and "--replace" in result.stderr
    assert snapshot(project) == before
    result = ingest(project, other, "--edition", "2023-1", "--replace")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("replaced 2023-1")
    assert (project / "raw" / "2023-1.pdf").read_bytes() == other.read_bytes()


def test_ingest_a_word_file(project, tmp_path):
    """A .docx guideline goes in as raw/<id>.docx; DVC's extract stage reads it from there."""
    styled = [(s, t.replace("2022 年度第一批", "2025 年度第一批")) for s, t in synthetic_styled()]
    docx = build.render_docx(styled, tmp_path / "指南.docx")
    result = ingest(project, docx)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "ingested 2025-1: raw/2025-1.docx, extracted/2025-1/"
    assert "validation passed: 26 passed, 0 failed, 0 skipped" in result.stdout
    assert "2025-1: raw/2025-1.docx" in (project / "params.yaml").read_text()
    edition = json.loads((project / "published" / "2025-1" / "edition.json").read_text(encoding="utf-8"))
    assert edition["edition"]["source"] == {**edition["edition"]["source"], "path": "raw/2025-1.docx",
                                            "format": "docx", "pages": None}
    assert ran_stages(sh(project, "dvc", "repro").stdout) == []
    assert ingest(project, docx).stdout.startswith(f"{docx} is already ingested as 2025-1")


@pytest.mark.parametrize("case", ["not a guideline", "no id", "not a pdf"])
def test_refusals_leave_nothing_behind(project, tmp_path, case):
    if case == "not a guideline":
        pdf = build.render([("title", "关于举办全国科技活动周的通知"), ("p", "各有关单位：现将有关事项通知如下。")],
                           tmp_path / "notice.pdf")
        code, words = 8, "does not look like a 申报指南"
    elif case == "no id":
        # the same guideline with every year removed from title and preamble
        styled = [(s, t.replace("2022 年度", "本年度").replace("2022年", "本年").replace("2021年度", "上年度")
                   .replace("2022年度", "本年度")) for s, t in synthetic_styled()]
        pdf = build.render(styled, tmp_path / "undated.pdf")
        code, words = 14, "cannot be inferred"
    else:
        pdf = tmp_path / "page.pdf"
        pdf.write_text("just text: no PDF, Word file or web page")  # a web page named .pdf is read as one
        code, words = 4, "not a PDF"
    before = snapshot(project)
    result = ingest(project, pdf)
    assert result.returncode == code
    assert words in result.stderr and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()  # one line: the reason
    assert line.startswith("error: ")
    assert snapshot(project) == before
    if case == "no id":  # …and it goes in once an id is given
        assert ingest(project, pdf, "--edition", "2024-9").returncode == 0


def test_ingest_without_dvc_runs_the_same_stages_in_process(tmp_path, new_edition):
    """A project with params.yaml and dvc.yaml but no .dvc/: extract, enrich, validate, publish in-process."""
    shutil.copy(ROOT / "dvc.yaml", tmp_path / "dvc.yaml")
    (tmp_path / "params.yaml").write_text("extract:\n  editions: []\n", encoding="utf-8")
    result = ingest(tmp_path, new_edition)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "ingested 2023-1: raw/2023-1.pdf, extracted/2023-1/"
    assert sorted(p.name for p in (tmp_path / "published" / "2023-1").iterdir()) == ["edition.json", "enrichment.json"]
    assert "2023-1: raw/2023-1.pdf" in (tmp_path / "params.yaml").read_text()
    # …and the stages across editions, as `dvc repro` would run them
    assert (tmp_path / "tables" / "2023-1" / "directions.csv").is_file()
    assert ">2023-1<" in (tmp_path / "extracted" / "index.html").read_text(encoding="utf-8")


# --- issue 22: data lost or overwritten (i22a) ---

def test_the_users_files_survive_repro_and_ingest_and_a_stale_temporary_blocks_nothing(project, tmp_path):
    """Items 1, 2, 5 with real DVC: a temporary of validate's left by a kill inside a stage directory never
    makes `dvc repro` refuse it; the user's dot-files and the comments in params.yaml survive an ingest, which
    adds one line."""
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile

    stale = project / "extracted" / "2021-2" / ".data_docs.guidelines-tmp-0123abcd"
    stale.mkdir()
    (stale / "index.html").write_text("half")
    params = project / "params.yaml"
    lines = params.read_text(encoding="utf-8").splitlines(keepends=True)
    commented = ["# Editions (kept by hand)\n", *lines[:-1], lines[-1].rstrip("\n") + "  # last one\n",
                 "partners: [DK, NO, EU]  # YAML 1.1 reads NO as false\n"]
    params.write_text("".join(commented), encoding="utf-8")
    for name, text in hostile.USERS_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    users = {name: (project / name).read_bytes() for name in hostile.USERS_FILES}
    sh(project, "dvc", "repro", "--force", "--single-item", "extract@2021-2")
    assert not stale.exists()
    styled = [(s, t.replace("2022 年度第一批", "2026 年度第一批")) for s, t in synthetic_styled()]
    result = ingest(project, build.render(styled, tmp_path / "new.pdf"))
    assert result.returncode == 0, result.stderr
    assert params.read_text(encoding="utf-8") == "".join(commented).replace(
        "  # last one\n", "  # last one\n    2026-1: raw/2026-1.pdf\n")
    assert {name: (project / name).read_bytes() for name in hostile.USERS_FILES} == users
