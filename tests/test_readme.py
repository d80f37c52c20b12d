"""The README's examples are run: ```console blocks (commands and their output) and ```python blocks.

They run in order, as written, in a sandbox holding what a fresh clone holds (nothing copied
or prepared first: the tour itself extracts the real 2021-2 from raw/ and the synthetic
2022-1 from tests/fixtures/). In expected output, a line "…" stands for any number of lines. Blocks
marked ```text are illustrations and are not run.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def readme_blocks():
    return [(lang, body) for lang, body in BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
            if lang in ("console", "python")]


def console_steps(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line.rstrip())
    return steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality where an expected line '…' matches any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "…":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


def test_readme_has_examples_to_run():
    kinds = [lang for lang, _ in readme_blocks()]
    assert kinds.count("console") >= 5 and "python" in kinds


def test_readme_examples_need_no_copy_step_nor_a_missing_tag():
    """The issue's two failures: a tour that needs raw/2022-1.pdf copied first, a --rev naming a tag no clone has."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "raw/2022-1.pdf" not in text
    assert "--rev edition/2021-2" not in text and 'rev="edition/2021-2"' not in text


@pytest.mark.slow
def test_readme_examples(clone):
    tmp_path = clone  # a fresh clone of the repository (conftest), this module's own copy
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
           "DVC_NO_ANALYTICS": "1"}
    for lang, body in readme_blocks():
        if lang == "python":
            result = subprocess.run([sys.executable, "-c", body], cwd=tmp_path, env=env, capture_output=True, text=True)
            assert result.returncode == 0, f"README python block failed:\n{body}\n{result.stderr}"
            continue
        for command, expected in console_steps(body):
            result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True)
            assert result.returncode == 0, f"$ {command}\n{result.stderr}"
            actual = [line.rstrip() for line in result.stdout.splitlines()]
            while expected and expected[-1] == "":
                expected = expected[:-1]
            assert matches(expected, actual), f"$ {command}\nexpected:\n" + "\n".join(expected) + \
                "\n\ngot:\n" + "\n".join(actual)


# --- the README's claims, checked -----------------------------------------------------------------------

def readme_text() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def table_codes(text: str) -> set[int]:
    return {int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", text, re.M)}


def error_classes() -> dict[str, int]:
    from pipeline.errors import GuidelineError

    def kinds(cls):
        return [cls] + [k for sub in cls.__subclasses__() for k in kinds(sub)]

    return {cls.__name__: cls.exit_code for cls in kinds(GuidelineError)[1:]}


def test_readme_exit_codes_are_the_error_classes():
    """The README's table names every exit code an error class has, and no other (1: a bug, 2: usage)."""
    import pipeline.errors

    section = readme_text().split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {1, 2} | set(error_classes().values())
    assert table_codes(section) == codes
    assert table_codes(pipeline.errors.__doc__) == codes  # and errors.py's own table


# every "exit N" the README's prose names, with the error it means
EXIT_CLAIMS = [("with `--out DIR` you must choose (exit {})", "SeveralGuidelines"),
               ("memory refused while a page is read is one line, exit {}, naming the page", "InputTooLarge"),
               ("a file holding only such a guideline is refused (exit {})", "NotAGuideline"),
               ("`--ocr never` refuses scans (exit {})", "NoTextLayer"),
               ("without it a scan stops with that line, exit {})", "OcrUnavailable"),
               ("and the command exits {}:", "ChecksFailed"),
               ("the line and the entry (exit {})", "BadCorrections"),
               ("with `--ocr never` it is refused, exit {})", "NoTextLayer"),
               ("exit {} names the one reached", "InputTooLarge"),
               ("exited) is one line and exit {}.", "OutputError"),
               ("`inf` is a usage error, exit {};", 2),
               ("is refused at 16 MB (exit {}, 1.4 s, 56 MB)", "InputTooLarge"),
               ("loop and is now exit {} in under", "CorruptWordFile"),
               ("(past 1.7 GB in 20 s, and growing) is exit {} in 1.4 s", "InputTooLarge"),
               ("a part that declares one is refused (exit {})", "CorruptWordFile")]


def test_readme_prose_names_the_right_exit_codes():
    text = " ".join(readme_text().split())
    codes = error_classes()
    for claim, error in EXIT_CLAIMS:
        code = error if isinstance(error, int) else codes[error]
        assert claim.format(code) in text, (claim, error, code)
    assert len(re.findall(r"\bexits? \d+", text)) == len(EXIT_CLAIMS), "an exit code in the prose is not checked"


def test_ci_runs_the_readme_test_command_and_installs_what_a_clean_debian_lacks():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    [command] = [line for line in readme_text().splitlines() if line.startswith("python3 -m venv") and "pytest" in line]
    assert run.rstrip().splitlines()[-1] == command
    assert "python3-venv" in run and '"git"' in run and "apt-get install" in run


def test_readme_names_the_fast_loop_and_it_deselects_the_slow_tests():
    text = readme_text()
    assert '.venv/bin/python -m pytest -q -m "not slow" -n auto' in text


@pytest.mark.parametrize("expected, actual, ok", [
    (["a", "b"], ["a", "b"], True),
    (["a", "b"], ["a", "c"], False),
    (["a", "…", "d"], ["a", "b", "c", "d"], True),
    (["a", "…"], ["a"], True),
    (["a", "…", "d"], ["a", "b"], False),
    (["a"], ["a", "extra"], False),
])
def test_output_matcher(expected, actual, ok):
    assert matches(expected, actual) is ok
