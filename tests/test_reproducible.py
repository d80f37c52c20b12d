"""A fresh clone reproduces the committed pipeline byte for byte.

The project's tracked files (as they are in the work tree) are copied into a new git
repository, as a clone would have them. Then:
- `dvc status` reports no changed dependency: the committed dvc.lock is in step with the code;
- `dvc repro` rebuilds every stage and leaves `git status` clean: the same inputs give
  the same bytes (no run time, absolute path or random id in any hashed output);
- a second `dvc repro` runs nothing.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

BIN = str(Path(sys.executable).parent)
ENV = {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
       "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org"}
FIX = "run `dvc repro` in the project and commit dvc.lock and metrics/"


def sh(cwd, *args):
    result = subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    clone = tmp_path_factory.mktemp("clone")
    tracked = sh(ROOT, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    sh(clone, "git", "init", "-q")
    sh(clone, "git", "add", "-A")
    sh(clone, "git", "commit", "-qm", "clone")
    return clone


def test_committed_lock_is_in_step_with_the_code(clone):
    """On a clone the outputs are absent (their deps downstream read as deleted); no dependency is modified."""
    status = json.loads(sh(clone, "dvc", "status", "--json"))
    modified = sorted(f"{stage}: {path}" for stage, changes in status.items() for change in changes
                      if isinstance(change, dict) for path, state in (change.get("changed deps") or {}).items()
                      if state != "deleted")
    assert not modified, f"dvc.lock is older than the code or raw/ ({FIX}): {modified}"
    assert sh(clone, "dvc", "status")  # and there is something to reproduce: the outputs are not in git


def test_fresh_repro_leaves_git_status_clean(clone):
    sh(clone, "dvc", "repro")
    changed = sh(clone, "git", "status", "--porcelain")
    assert changed == "", f"a fresh `dvc repro` changed tracked files ({FIX}, or make the output reproducible):\n" \
                          + changed + sh(clone, "git", "diff")[:3000]


def test_second_repro_runs_nothing(clone):
    sh(clone, "dvc", "repro")  # a no-op after the test above; makes this test stand on its own
    out = sh(clone, "dvc", "repro")
    assert "Running stage" not in out and "up to date" in out
