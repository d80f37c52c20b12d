"""Analyst tables: CSV and Parquet per edition and across editions, columns as documented."""

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import app
from pipeline.publish.tables import COLUMNS, tables_markdown

runner = CliRunner()


@pytest.fixture
def root(tmp_path, extracted):
    for name, (_, out) in extracted.items():
        shutil.copytree(out, tmp_path / "extracted" / name)
    return tmp_path / "extracted"


def test_tables_per_edition_and_across(root, tmp_path):
    out = tmp_path / "tables"
    result = runner.invoke(app, ["tables", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"→ {out}/")
    assert result.stderr.splitlines() == ["… [1/2] 2021-2", "… [2/2] synthetic-2022-1"]  # progress
    for name, columns in COLUMNS.items():
        combined = pd.read_parquet(out / f"{name}.parquet")
        assert list(combined.columns) == list(columns)
        assert list(pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig").columns) == list(columns)
        for edition in ("2021-2", "2022-1"):
            assert list(pd.read_parquet(out / edition / f"{name}.parquet").columns) == list(columns)
    directions = pd.read_parquet(out / "directions.parquet")
    assert len(directions) == 16 and directions.groupby("edition")["budget_cny"].sum().to_dict() == {
        "2021-2": 257_800_000, "2022-1": 220_800_000}
    contacts = pd.read_csv(out / "contacts.csv", encoding="utf-8-sig", dtype=str)
    assert "+4561905031" in set(contacts["phone"])  # phones stay text, not numbers


def test_a_rerun_leaves_no_stale_edition(root, tmp_path):
    out = tmp_path / "tables"
    assert runner.invoke(app, ["tables", "--root", str(root), "--out", str(out)]).exit_code == 0
    assert runner.invoke(app, ["tables", "2021-2", "--root", str(root), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["2021-2"]
    assert set(pd.read_parquet(out / "directions.parquet")["edition"]) == {"2021-2"}


def test_refuses_a_directory_with_other_files(root, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    result = runner.invoke(app, ["tables", "--root", str(root), "--out", str(tmp_path / "mine")])
    assert result.exit_code == 9 and (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_column_documentation_is_current():
    assert (ROOT / "schemas" / "tables.md").read_text(encoding="utf-8") == tables_markdown(), \
        "schemas/tables.md is stale: run `guidelines schema`"
