"""Corrections (corrections/<id>.yaml): applied after extraction, recorded, kept across re-extraction;
stale, misdirected, mistyped and malformed files stop with one line and write nothing."""

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import EDITIONS

from pipeline.cli import app
from pipeline.errors import BadCorrections
from pipeline.records.corrections import apply_corrections, read_entries, uncorrected

runner = CliRunner()
PDF = EDITIONS["2021-2"][0]

# 1.5 (Denmark) states 2000 万元 and the preamble 2.578 亿元 (read from the document)
GOOD = """# a person's fixes to 2021-2
- direction: "1.5"
  path: budget_cny
  was: 20000000
  value: 21000000
  reason: test of a budget fix
- edition: true
  path: budget_cny
  was: 257800000
  value: 258800000
  reason: the preamble total moves with it
"""


@pytest.fixture
def edition(extracted):
    stages, out_dir = extracted["2021-2"]
    return json.loads((out_dir / "edition.json").read_text(encoding="utf-8"))


def apply(edition, text, file="corrections/2021-2.yaml"):
    return apply_corrections(edition, read_entries(text, file), file)


def direction(edition, did):
    return next(d for d in edition["directions"] if d["id"] == did)


def test_corrections_are_applied_and_recorded(edition):
    fixed = apply(edition, GOOD)
    assert direction(fixed, "1.5")["budget_cny"] == 21_000_000
    assert direction(fixed, "1.5")["corrections"] == [
        {"path": "budget_cny", "was": 20_000_000, "value": 21_000_000, "reason": "test of a budget fix"}]
    assert fixed["edition"]["budget_cny"] == 258_800_000 and len(fixed["edition"]["corrections"]) == 1
    assert direction(fixed, "1.1")["corrections"] == []
    assert direction(edition, "1.5")["budget_cny"] == 20_000_000  # the input is left as it was
    assert uncorrected(fixed) == {**edition, "edition": {**edition["edition"], "corrections": []},
                                  "directions": [{**d, "corrections": []} for d in edition["directions"]]}


def test_nested_paths_into_lists(edition):
    name = direction(edition, "1.5")["contacts"][0]["name"]
    text = (f'- direction: "1.5"\n  path: contacts[0].name\n  was: {json.dumps(name)}\n'
            '  value: Søren Østergaard\n  reason: name with ø not read\n')
    fixed = apply(edition, text)
    assert direction(fixed, "1.5")["contacts"][0]["name"] == "Søren Østergaard"
    assert direction(fixed, "1.5")["corrections"][0]["was"] == name


@pytest.mark.parametrize("text, line, words", [
    # the line is that of the key at fault (was: for a stale entry, value: for a wrong type …)
    (GOOD.replace("was: 20000000", "was: 19000000"), 4, "entry 1 (direction 1.5, budget_cny) is stale"),
    (GOOD.replace('direction: "1.5"', 'direction: "1.9"'), 2, "no direction 1.9"),
    (GOOD.replace("path: budget_cny\n  was: 2000", "path: budget\n  was: 2000"), 3, "budget is not a field"),
    (GOOD.replace("value: 21000000", 'value: "2100 万元"'), 5, "does not fit budget_cny"),
    (GOOD.replace("value: 21000000", "value: 21000000.5"), 5, "does not fit budget_cny"),
    (GOOD.replace("path: budget_cny\n  was: 2000", "path: contacts[9].name\n  was: 2000"), 3,
     "contacts[9] does not exist"),
    (GOOD.replace("path: budget_cny\n  was: 2578", "path: title\n  was: 2578"), 10, "entry 2 (edition, title)"),
    (GOOD.replace("  reason: the preamble total moves with it\n", ""), 7, "entry 2 lacks reason"),
    (GOOD.replace("- edition: true", "- edition: true\n  direction: \"1.1\""), 7, "either direction"),
    (GOOD.replace("  value: 21000000\n", "  value: [21000000\n"), 6, "YAML syntax error"),
    (GOOD.replace("path: budget_cny\n  was: 2000", "path: id\n  was: 2000"), 3, "cannot be corrected"),
    (GOOD + '- direction: "1.5"\n  path: budget_cny\n  was: 20000000\n  value: 1\n  reason: again\n', 12,
     "the same value is corrected by entry 1"),
    ("direction: 1.5\n", 1, "a list of entries"),
    # issue 22: plain data only. An alias (where a billion-laughs file expands) and a tag that is not plain are
    # refused while the file is composed; a control character in a value or a reason when the entry is checked
    (GOOD.replace("value: 21000000", "value: &n 21000000").replace("value: 258800000", "value: *n"), 10,
     "YAML aliases (*name) are not allowed"),
    (GOOD.replace("was: 20000000", "was: !!python/object/apply:os.system [echo]"), 4,
     "the YAML tag !!python/object/apply:os.system is not allowed"),
    (GOOD.replace("value: 21000000", "value: !!set {1: null}"), 5, "the YAML tag !!set is not allowed"),
    (GOOD.replace("value: 21000000", "value: !custom 1"), 5, "the YAML tag !custom is not allowed"),
    (GOOD.replace('path: budget_cny\n  was: 2000', 'path: title\n  was: 2000').replace(
        "value: 21000000", 'value: "丹麦\\e]0;pwned\\a"'), 5,
     "holds the control character \\x1b; a guideline's text has none"),
    (GOOD.replace("reason: test of a budget fix", 'reason: "fix\\0"'), 6, "the reason holds the control character "
     "\\x00"),
    (GOOD.replace("value: 21000000", "value: 21000000\x07"), 5, "character \\x07 is not allowed in YAML"),
    ("- " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested too deeply"),
    (GOOD.replace("value: 21000000", "value: 1" + "0" * 100), 5, "has more than 100 digits"),
])
def test_bad_entries_are_one_line_with_file_and_line(edition, text, line, words):
    with pytest.raises(BadCorrections) as caught:
        apply(edition, text)
    message = caught.value.message
    assert message.startswith(f"corrections/2021-2.yaml:{line}: ") and words in message, message
    assert "\n" not in message


@pytest.mark.parametrize("text, shown", [
    (GOOD.replace("was: 20000000", "was: " + "9" * 500), "not was: " + "9" * 60 + "…; check the value"),
    (GOOD.replace("value: 21000000", "value: " + json.dumps("x" * 5000)), "value '" + "x" * 59 + "… does not fit"),
    (GOOD.replace("path: budget_cny\n  was: 2000", "path: " + "a" * 3000 + "\n  was: 2000"),
     "entry 1 (direction 1.5, " + "a" * 60 + "…)"),
])
def test_error_messages_show_a_preview_of_a_value(edition, text, shown):
    """Issue 22 item 10: every value a message repeats is cut to 60 characters and an ellipsis."""
    with pytest.raises(BadCorrections) as caught:
        apply(edition, text)
    assert shown in caught.value.message and len(caught.value.message) < 400, caught.value.message


def test_a_billion_laughs_is_refused_before_anything_is_built(edition):
    """Issue 22 item 10: 1 KB of nested aliases would be 9^9 strings once built (90 s, 2.9 GB formatting the error)."""
    import hostile

    text = hostile.billion_laughs()
    assert len(text) < 1024
    with pytest.raises(BadCorrections) as caught:
        apply(edition, text)
    assert caught.value.message == ("corrections/2021-2.yaml:4: YAML aliases (*name) are not allowed in a corrections "
                                    "file; write each value out")


@pytest.mark.parametrize("encoding, named", [("gbk", "GB18030"), ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"),
                                             ("latin-1", "GB18030")])
def test_a_file_that_is_not_utf8_is_refused_saying_how_to_convert_it(tmp_path, encoding, named):
    """Issue 22 item 15. (Latin-1 bytes of 'Søren' decode as GB18030 too: the guess is a guess, iconv tells.)"""
    from pipeline.records.corrections import read_text

    path = tmp_path / "2021-2.yaml"
    path.write_bytes(GOOD.replace("test of a budget fix", "Søren" if encoding == "latin-1" else "丹麦的预算")
                     .encode(encoding))
    with pytest.raises(BadCorrections) as caught:
        read_text(path)
    assert f"not UTF-8 text (it looks like {named})" in caught.value.message
    assert f"iconv -f {named} -t UTF-8 {path} > fixed.yaml" in caught.value.message


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path, edition):
    from pipeline.records.corrections import read_text

    path = tmp_path / "2021-2.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert direction(apply(edition, read_text(path)), "1.5")["budget_cny"] == 21_000_000


def test_direction_ids_keep_their_written_form(edition):
    """An unquoted 1.10 is the direction 1.10, not the number 1.1."""
    [entry] = read_entries("- direction: 1.10\n  path: title\n  was: x\n  value: y\n  reason: r\n", "f.yaml")
    assert entry.direction == "1.10"


def test_extract_applies_the_file_and_keeps_it_across_reextraction(tmp_path):
    corrections = tmp_path / "corrections"
    corrections.mkdir()
    (corrections / "2021-2.yaml").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):  # a re-extraction applies the file again
        result = runner.invoke(app, ["extract", str(PDF), "--out", str(out), "--edition", "2021-2",
                                     "--corrections", str(corrections)])
        assert result.exit_code == 0, result.output
        data = json.loads((out / "edition.json").read_text(encoding="utf-8"))
        assert direction(data, "1.5")["budget_cny"] == 21_000_000
        assert "2 correction(s) applied" in result.stderr
    # a directory without a file for the edition: nothing to apply
    other = tmp_path / "none"
    other.mkdir()
    result = runner.invoke(app, ["extract", str(PDF), "--out", str(out), "--corrections", str(other)])
    assert result.exit_code == 0
    assert direction(json.loads((out / "edition.json").read_text(encoding="utf-8")), "1.5")["corrections"] == []


def test_a_bad_file_writes_nothing_and_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(PDF), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "2021-2.yaml"
    bad.write_text(GOOD.replace("was: 257800000", "was: 1"), encoding="utf-8")  # entry 1 fine, entry 2 stale
    result = runner.invoke(app, ["extract", str(PDF), "--out", str(out), "--corrections", str(bad)])
    assert result.exit_code == BadCorrections.exit_code == 16
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {bad}:9: entry 2 (edition, budget_cny) is stale")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-corrected
    fresh = tmp_path / "fresh"
    assert runner.invoke(app, ["extract", str(PDF), "--out", str(fresh), "--corrections", str(bad)]).exit_code == 16
    assert not fresh.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["2021-2.yaml", "out"]


def test_correct_appends_a_checked_entry_with_was_filled_in(tmp_path, extracted):
    _, out_dir = extracted["2021-2"]
    shutil.copytree(out_dir, tmp_path / "extracted" / "2021-2")
    corrections = tmp_path / "corrections"
    corrections.mkdir()
    (corrections / "2021-2.yaml").write_text("# fixes, kept\n", encoding="utf-8")
    args = ["correct", "2021-2", "--root", str(tmp_path / "extracted"), "--corrections", str(corrections)]
    result = runner.invoke(app, args + ["--direction", "1.5", "--path", "budget_cny", "--value", "21000000",
                                        "--reason", "budget misread"])
    assert result.exit_code == 0, result.output
    assert "entry 1 (direction 1.5, budget_cny): 20000000 → 21000000" in result.output
    text = (corrections / "2021-2.yaml").read_text(encoding="utf-8")
    assert text.startswith("# fixes, kept\n")
    [entry] = read_entries(text, "f")
    assert (entry.direction, entry.path, entry.was, entry.value, entry.reason) == (
        "1.5", "budget_cny", 20_000_000, 21_000_000, "budget misread")
    # text for a number, a path that does not exist, a direction that does not exist: refused, file unchanged
    for extra, words in ((["--direction", "1.5", "--path", "max_duration_years", "--value", "three"], "does not fit"),
                         (["--direction", "1.5", "--path", "contacts[7].name", "--value", "x"], "does not exist"),
                         (["--direction", "2.1", "--path", "title", "--value", "x"], "no direction 2.1"),
                         (["--direction", "1.5", "--path", "budget_cny", "--value", "3"], "corrected by entry 1")):
        result = runner.invoke(app, args + extra + ["--reason", "r"])
        assert result.exit_code == 16 and words in result.stderr, result.output
        assert (corrections / "2021-2.yaml").read_text(encoding="utf-8") == text
    result = runner.invoke(app, args + ["--edition-level", "--path", "budget_cny", "--value", "258800000",
                                        "--reason", "total"])
    assert result.exit_code == 0, result.output
    assert [e.direction for e in read_entries((corrections / "2021-2.yaml").read_text(encoding="utf-8"), "f")] == [
        "1.5", None]
