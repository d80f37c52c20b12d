import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))  # the fixture builder

os.environ.setdefault("DVC_NO_ANALYTICS", "1")
# messages in English unless a test asks for Chinese (--lang zh): the default follows the locale
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

# The real 2021-2 edition is bundled in raw/; the 2022-1 edition is SYNTHETIC (constructed for tests).
EDITIONS = {
    "2021-2": (ROOT / "raw" / "2021-2.pdf", FIXTURES / "2021-2" / "2021-2.txt", FIXTURES / "2021-2" / "2021-2.gold.json"),
    "synthetic-2022-1": (FIXTURES / "synthetic-2022-1" / "2022-1.pdf", FIXTURES / "synthetic-2022-1" / "2022-1.txt",
                         FIXTURES / "synthetic-2022-1" / "2022-1.gold.json"),
}


def score(gold: dict | Path, edition_json: Path) -> str:
    """The shared scorer's verdict line for an edition.json against gold facts."""
    if isinstance(gold, dict):
        path = edition_json.parent / "gold.json"
        path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        gold = path
    result = subprocess.run([sys.executable, str(FIXTURES / "score_edition.py"), str(gold), str(edition_json), "--show"],
                            capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture(scope="session")
def extracted(tmp_path_factory):
    """Both editions extracted once per session: id → (Stages, out_dir)."""
    from pipeline.extract import extract_to_dir

    out = {}
    for name, (pdf, _, _) in EDITIONS.items():
        out[name] = extract_to_dir(pdf, tmp_path_factory.mktemp("ed") / name)
    return out


def fresh_clone(dest: Path) -> Path:
    """What a fresh clone of this repository holds (its tracked and new, not ignored files, as in the
    work tree), copied to dest: no extracted/, published/ or tables/, nothing copied into raw/."""
    import shutil

    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}


@pytest.fixture(scope="session")
def built_clone(tmp_path_factory) -> Path:
    """A fresh clone, built once per session: the repository's files (`fresh_clone`) in a new git repository
    with one commit. Modules that need a clone take their own copy (`clone`), so none sees another's changes."""
    clone = fresh_clone(tmp_path_factory.mktemp("built-clone"))
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "clone"]):
        subprocess.run(["git", *args], cwd=clone, env=env, capture_output=True, check=True)
    return clone


def copy_of_clone(built_clone: Path, dest: Path) -> Path:
    import shutil

    shutil.copytree(built_clone, dest, symlinks=True)
    return dest


@pytest.fixture(scope="module")
def clone(built_clone, tmp_path_factory) -> Path:
    """This module's own copy of the built clone (a git repository holding what a fresh clone holds)."""
    return copy_of_clone(built_clone, tmp_path_factory.mktemp("clone") / "repo")


@pytest.fixture(scope="module")
def root(extracted, tmp_path_factory):
    """An extracted/ folder holding both editions under their ids (2021-2, 2022-1), one per test module."""
    import shutil

    root = tmp_path_factory.mktemp("editions") / "extracted"
    for name, (_, out) in extracted.items():
        shutil.copytree(out, root / name.replace("synthetic-", ""))
    return root
