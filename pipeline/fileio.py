"""Writing files and directories so that readers see the old version or the new one, never half of either.

Everything is built beside its target (a dot-named temporary sibling) and moved into
place with one rename. Temporary files and directories are created private (0600/0700)
by `tempfile`; before they are moved into place they get the mode the user's umask
gives new files, so colleagues can read what the pipeline publishes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

TMP_MARK = ".tmp-"  # in the name of every temporary sibling: `.<name>.tmp-XXXX`
OLD_MARK = ".old-"  # a target moved aside while its replacement is moved in


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _open_up(path: Path) -> None:
    """Give path (and, for a directory, everything in it) the modes the umask gives new files."""
    mask = _umask()
    if path.is_dir():
        for p in [path, *path.rglob("*")]:
            p.chmod((0o777 if p.is_dir() else 0o666) & ~mask)
    else:
        path.chmod(0o666 & ~mask)


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in blocks: ties outputs to the very source they came from."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_output(path: Path, text: str) -> Path:
    """A report the user asked for (--out): written atomically, its folder made; an OutputError that
    says what to do when it cannot be."""
    from .errors import OutputError
    from .i18n import N_

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise OutputError(N_("{path}: cannot be written ({reason}); choose another --out"), path=path,
                          reason=exc.strerror) from None
    return path


def check_replaceable_dir(path: Path) -> bool:
    """Refuse a directory the tool would replace whole when it is the working directory or one above
    it, or not a directory at all; True when it exists (the caller then checks what it holds)."""
    from .errors import OutputError
    from .i18n import N_

    path = Path(path)
    if path.name in ("", ".", "..") or path.resolve() in (Path.cwd().resolve(), *Path.cwd().resolve().parents):
        raise OutputError(N_("{path}: is the current directory or one above it, which would be replaced whole; "
                             "give a subdirectory"), path=path)
    if not path.exists():
        return False
    if not path.is_dir():
        raise OutputError(N_("{path}: exists and is not a directory; give a new or empty directory"), path=path)
    return True


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then move it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        _open_up(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def dump_json(data) -> str:
    """The one JSON layout of every file the pipeline writes (stable, so outputs are byte-reproducible)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_json_atomic(path: Path, data) -> None:
    write_text_atomic(path, dump_json(data))


def replace_dir(tmp: Path, target: Path) -> None:
    """Move a finished tmp directory into place of target (kept intact until the move)."""
    tmp, target = Path(tmp), Path(target)
    _open_up(tmp)
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}{OLD_MARK}{os.getpid()}")
        os.replace(target, backup)
    try:
        os.replace(tmp, target)
    except OSError:
        if backup is not None:
            os.replace(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


@contextlib.contextmanager
def building_dir(target: Path):
    """Yield an empty temporary sibling of target; on success it replaces target whole.

    On any error the temporary directory is removed and target is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{TMP_MARK}", dir=target.parent))
    try:
        yield tmp
        replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def is_temporary(path: Path) -> bool:
    """A temporary sibling left by a run that was killed (never an edition or a table)."""
    name = Path(path).name
    return name.startswith(".") and (TMP_MARK in name or OLD_MARK in name)
