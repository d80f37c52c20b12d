"""The analyst's four questions, answered from a fresh clone with the commands the README shows.

Expected answers were written by reading the documents (/work/shared/editions/*.txt; the real
2021-2 guideline and the SYNTHETIC 2022-1 edition constructed for tests), not by running the tool:

1. Who may lead — a university may lead every 2021-2 direction but 1.1 (Israel), whose
   requirement (1) says 牵头申报单位必须为企业.
2. Money per project — 2021-2: budget ÷ the project-count range: Denmark 2000 万元 / 4~5 个 →
   400–500 万元; Norway 6000 万元 / 10~12 个 → 500–600 万元; Malta 480 万元 / 3 个 → 160 万元;
   Israel 2000 万元 / 不超过 10 个 → at least 200 万元, no maximum (one project may get it all).
   No 2021-2 direction states a per-project cap.
3. Budgets down from 2021-2 to 2022-1 — Israel 2000→1600, RIKEN 3000→2400, JICA 6000→4500,
   EU 6000→5400, Denmark 2000→1500, Norway 6000→5000 万元; Malta stays at 480 万元.
4. Denmark's contacts — both editions: Martin Kyvsgaard +45 61905081 and Dr Sune Dalgaard Ebbesen,
   +45 61905030 in 2021-2 and +45 61905031 in 2022-1.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sh(clone: Path, command: str) -> str:
    """Run a command the README shows, as written, in the clone."""
    assert f"$ {command}\n" in README, f"the README does not show `{command}`"
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
           "DVC_NO_ANALYTICS": "1", "LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": ""}
    result = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def extracted(clone):
    sh(clone, "guidelines extract raw/2021-2.pdf --out extracted/2021-2")
    sh(clone, "guidelines extract tests/fixtures/synthetic-2022-1/2022-1.pdf --out extracted/2022-1")
    return clone


@pytest.mark.slow
def test_who_may_lead(extracted):
    out = sh(extracted, "guidelines eligible 2021-2 --lead university")
    allowed, refused = out.split("may not:")
    assert re.findall(r"^  2021-2 (\d\.\d) ", allowed, re.M) == ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]
    assert re.findall(r"^  2021-2 (\d\.\d) ", refused, re.M) == ["1.1"]
    assert "requirement (1): 牵头申报单位必须为企业" in refused


@pytest.mark.slow
def test_money_per_project(extracted):
    import pandas as pd

    sh(extracted, "guidelines tables --out tables")
    d = pd.read_parquet(extracted / "tables" / "directions.parquet").query("edition == '2021-2'").set_index("id")
    per = lambda i: (d.loc[i, "budget_per_project_cny_min"], d.loc[i, "budget_per_project_cny_max"])  # noqa: E731
    assert per("1.5") == (4_000_000, 5_000_000)
    assert per("1.6") == (5_000_000, 6_000_000)
    assert per("1.7") == (1_600_000, 1_600_000)
    assert d.loc["1.1", "budget_per_project_cny_min"] == 2_000_000 and pd.isna(d.loc["1.1", "budget_per_project_cny_max"])
    assert d["per_project_cap_cny"].isna().all()


@pytest.mark.slow
def test_budgets_down(extracted):
    out = sh(extracted, "guidelines diff 2021-2 2022-1")
    down = {}
    for section in out.split("\n## Changed: ")[1:]:
        heading = section.splitlines()[0]
        m = re.search(r"^- Budget: ([\d,]+) 万元 → ([\d,]+) 万元", section, re.M)
        if m:
            down[heading.split()[0]] = (int(m[1].replace(",", "")), int(m[2].replace(",", "")))
    assert down == {"1.1": (2000, 1600), "1.2": (3000, 2400), "1.3": (6000, 4500), "1.4": (6000, 5400),
                    "1.5": (2000, 1500), "1.6": (6000, 5000)}


@pytest.mark.slow
def test_denmarks_contacts_across_editions(extracted):
    out = sh(extracted, "guidelines partner DK")
    sections = {m[0]: m[1] for m in re.findall(r"^## (\S+) · 1\.5 .*?\n(.*?)(?=^## |\Z)", out, re.M | re.S)}
    assert set(sections) == {"2021-2", "2022-1"}
    contacts = {e: re.findall(r"^- Contact: (.+)$", text, re.M) for e, text in sections.items()}
    assert contacts["2021-2"] == ["Martin Kyvsgaard +4561905081 martin.kyvsgaard@innofond.dk",
                                  "Sune Dalgaard Ebbesen 博士 +4561905030 sune.dalgaard.ebbesen@innofond.dk"]
    assert contacts["2022-1"] == ["Martin Kyvsgaard +4561905081 martin.kyvsgaard@innofond.dk",
                                  "Sune Dalgaard Ebbesen 博士 +4561905031 sune.dalgaard.ebbesen@innofond.dk"]
