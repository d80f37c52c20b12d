import json
import os
import re
import resource
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


# --- the command: in a process of its own, or in this one ---------------------------------------------

GUIDELINES = str(Path(sys.executable).parent / "guidelines")


def real_cli(*args, cwd=None, limit_mb=None, timeout=60):
    """The real command in a subprocess of its own, with at most limit_mb of address space: a result with returncode,
    stdout and stderr (text). What only a process shows: a library's logging and warnings on its stderr, a memory
    limit, exit codes of the entry point itself."""
    def limit():
        if limit_mb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    return subprocess.run([GUIDELINES, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, env={**os.environ, "DVC_NO_ANALYTICS": "1"})


class _TimedOut(BaseException):
    """Raised by the alarm of `cli_here`: a BaseException, so neither the CLI's handler nor CliRunner takes it."""


@pytest.fixture
def cli_here(capfd, caplog):
    """The same click command (`app`) in this process (CliRunner), where a subprocess would only be slower: a result
    with returncode, stdout and stderr as `real_cli` gives. Its stderr is what the process would have written there:
    click's stderr, then whatever reached file descriptor 2 directly (a C library), the log records Python's
    last-resort handler would print (a library logging outside click: no handler of the process's own, WARNING or
    above), the warnings Python shows by default, and the traceback of an exception past the CLI's handler. A run
    longer than `timeout` seconds fails the test, as the subprocess's timeout did. With guard_mb this process may map
    only that much more address space meanwhile, so a run that would need more fails (a MemoryError is exit 1 in one
    line, a C library may crash the run) instead of taking the machine's memory. The guard is a little looser than
    a process's own limit of as many MB, which counts the interpreter and its libraries too (a fresh `guidelines
    extract` maps about 50-65 MB of its own); the exact limit stays with `real_cli`, as does what only a process of
    its own shows (the stream's encoding, a closed pipe, a signal, a lock held by another process)."""
    import contextlib
    import logging
    import signal
    import traceback
    import types
    import warnings

    from click.testing import CliRunner

    from pipeline.cli import app

    def ours(handler):  # pytest's capturing handlers: a real run has none
        return type(handler).__module__.startswith("_pytest")

    def printed_by_last_resort(record):
        logger = logging.getLogger(record.name)
        while logger is not None:
            if any(not ours(h) for h in logger.handlers):
                return False
            if not logger.propagate:
                break
            logger = logger.parent
        return record.levelno >= logging.lastResort.level

    def timed_out(signum, frame):
        raise _TimedOut

    def run(*args, cwd=None, timeout=60, guard_mb=None):
        earlier = capfd.readouterr()  # the test's own output so far: written back below, for pytest's report
        before = len(caplog.records)
        previous = signal.signal(signal.SIGALRM, timed_out)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        limits = resource.getrlimit(resource.RLIMIT_AS)
        if guard_mb:  # a regression fails here instead of taking the machine's memory
            mapped = int(re.search(r"VmSize:\s+(\d+) kB", Path("/proc/self/status").read_text())[1]) << 10
            soft = mapped + (guard_mb << 20)
            if limits[1] == resource.RLIM_INFINITY or soft < limits[1]:
                resource.setrlimit(resource.RLIMIT_AS, (soft, limits[1]))
        try:
            with contextlib.chdir(cwd or os.getcwd()), warnings.catch_warnings(record=True) as shown:
                warnings.simplefilter("default")
                for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
                    warnings.simplefilter("ignore", category)
                result = CliRunner().invoke(app, list(map(str, args)))
        except _TimedOut:
            pytest.fail(f"{args}: still running after {timeout} s")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            resource.setrlimit(resource.RLIMIT_AS, limits)
        leaked = capfd.readouterr()
        sys.stdout.write(earlier.out)
        sys.stderr.write(earlier.err)
        logged = [r.getMessage() + "\n" for r in caplog.records[before:] if printed_by_last_resort(r)]
        seen = {(str(w.message), w.category, w.filename, w.lineno): w for w in shown}
        warned = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line) for w in seen.values()]
        escaped = []  # an exception past the CLI's handler: the interpreter would print its traceback
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            escaped = traceback.format_exception(result.exception)
        return types.SimpleNamespace(returncode=result.exit_code, stdout=result.stdout + leaked.out,
                                     stderr=result.stderr + leaked.err + "".join(logged + warned + escaped),
                                     result=result)
    return run


@pytest.fixture(params=["in-process", pytest.param("limited process", marks=pytest.mark.slow)])
def bounded(request):
    """The runner of a command that must also be fast and small, run twice. In-process (`cli_here`, the fast loop):
    the same exit code, one line and files left, under the same timeout, this process guarded to limit_mb more
    address space meanwhile. In a process of its own (`real_cli`, slow: CI runs it): the real command under its
    exact address-space limit."""
    if request.param == "limited process":
        return real_cli
    here = request.getfixturevalue("cli_here")

    def run(*args, cwd=None, limit_mb=None, timeout=60):  # limit_mb: checked by the "limited process" variant
        return here(*args, cwd=cwd, timeout=timeout, guard_mb=limit_mb)
    return run


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
