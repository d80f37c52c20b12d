"""The fuzz tests (tests/fuzz.py). Issue 11: 100 seeded mutants of the bundled 2021-2 PDF.
Issue 22: mutants of the Word twin (XML and ZIP), of a one-page scan's image (extracted with
OCR allowed), of a corrections file and of a project's params.yaml.

Every mutant is run in its own process (PDF: 30 s, 500 MB address space; the issue 22 kinds:
60 s, 1 GB). The tests assert what must hold on any input: no traceback, no hang, memory
bounded, a known exit code with one line, nothing left behind on failure, and that the gate
passes no edition whose structure (directions, their requirements, contacts, fields,
agreements, budgets, counts) differs from the clean file's. Mutants whose other values differ
and still pass are listed by `python tests/fuzz.py` for a person to look at;
`python tests/fuzz.py all` lists how each issue 22 mutant ended.
"""

import pytest
from conftest import EDITIONS

import fuzz

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result():
    return fuzz.run(EDITIONS["2021-2"][0], n=100, seed=11)


def test_every_mutant_ends_cleanly(result):
    rows = result["rows"]
    assert len(rows) == 100
    for row in rows:
        assert row["code"] != "timeout", row
        assert row["code"] in fuzz.KNOWN_EXITS, row  # 1 would be an internal error; -9 a memory kill
        assert "Traceback" not in row["stderr"] and "MemoryError" not in row["stderr"], row
        if row["code"] != 0:
            assert len(row["stderr"].splitlines()) == 1 and row["stderr"].startswith("error: "), row
        assert row["left_behind"] == [], row


def test_the_gate_passes_no_damaged_structure(result):
    damaged = [r for r in result["rows"] if r.get("gate") == "passed" and r["structure_damaged"]]
    assert damaged == [], fuzz.summary(result)


def test_the_mutants_exercise_both_outcomes(result):
    codes = {r["code"] for r in result["rows"]}
    assert 0 in codes and len(codes) >= 3  # some read, some refused for several reasons


@pytest.fixture(scope="module", params=list(fuzz.KINDS))
def kind_result(request):
    return fuzz.run_kind(request.param)


def test_every_mutant_of_each_kind_ends_cleanly(kind_result):
    """A documented exit code (0 too), one `error:` line, no traceback, hang or kill, nothing left behind."""
    assert len(kind_result["rows"]) >= fuzz.DEFAULT_COUNTS[kind_result["kind"]]
    assert [r for r in kind_result["rows"] if r["problem"]] == [], fuzz.kind_summary(kind_result)


# how the unmutated input of each kind ends: the mutants start from an input the command really reads
UNMUTATED = {
    "image": {("the clean scan (a JPEG, DeviceGray 8 bit)", "extract"): 8,  # OCR reads the title: not a guideline
              ("the clean scan (Flate, DeviceGray 8 bit)", "extract"): 8},
    "corrections": {("the good file", "extract"): 0, ("the good file", "correct"): 0},
    "params": {("the good file", "ingest"): 14},  # read, then refused: the project holds another version
}


def test_the_unmutated_input_is_read(kind_result):
    expected = UNMUTATED.get(kind_result["kind"], {})  # word: run_kind extracts the clean twin first (exit 0)
    got = {(r["how"], r["command"]): r["code"] for r in kind_result["rows"] if (r["how"], r["command"]) in expected}
    assert got == expected, fuzz.kind_summary(kind_result)


def _outcome(row) -> tuple:
    # every params run ends 14 (the project holds another version of the PDF): what tells the mutants apart is
    # whether ingest refused params.yaml itself or read it through to that later refusal
    return (row["code"], "params.yaml" in row["said"]) if row["command"] == "ingest" else (row["code"],)


def test_the_mutants_of_each_kind_end_several_ways(kind_result):
    assert len({_outcome(r) for r in kind_result["rows"]}) >= 2, fuzz.kind_summary(kind_result)
