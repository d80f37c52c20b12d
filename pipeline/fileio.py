"""Writing files and directories so that readers see the old version or the new one, never half of either.

Everything is built beside its target (a dot-named temporary sibling) and moved into
place with one rename. Temporary files and directories are created private (0600/0700);
before they are moved into place they get the mode the user's umask gives new files, so
colleagues can read what the pipeline publishes.

Every temporary this module makes is named exactly `.<name>.guidelines-tmp-<8 hex digits>`
(a target moved aside: `.<name>.guidelines-old-<8 hex digits>`), and `is_temporary`
recognises only that shape: a user's `.env.old-2023` or `.notes.tmp-1` is never taken for
one of ours, so nothing cleans it up.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

TMP_MARK = ".guidelines-tmp-"  # a temporary sibling: `.<name>.guidelines-tmp-<8 hex digits>`
OLD_MARK = ".guidelines-old-"  # a target moved aside while its replacement is moved in
TEMPORARY_NAME = re.compile(r"\..+\.guidelines-(?:tmp|old)-[0-9a-f]{8}")


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


def _sibling_name(target: Path, mark: str) -> Path:
    return target.with_name(f".{target.name}{mark}{secrets.token_hex(4)}")


def _new_temporary_file(target: Path) -> tuple[int, Path]:
    """A new private file beside target, named with the exact temporary marker; (fd, path)."""
    while True:
        tmp = _sibling_name(target, TMP_MARK)
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), tmp
        except FileExistsError:
            continue


def _new_temporary_dir(target: Path) -> Path:
    while True:
        tmp = _sibling_name(target, TMP_MARK)
        try:
            tmp.mkdir(mode=0o700)
            return tmp
        except FileExistsError:
            continue


def check_output_file(path: Path, option: str = "--out") -> None:
    """Refuse a file output that exists and is not a regular file (a device such as /dev/null, a FIFO, a
    socket, a directory; a symlink is followed): the atomic write would replace it with a regular file."""
    from .errors import OutputError
    from .i18n import N_

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(N_("{path}: cannot be written ({reason}); choose another {option}"), path=path,
                          reason=exc.strerror, option=option) from None
    if stat.S_ISDIR(mode):
        raise OutputError(N_("{path}: is a directory; give a file name to {option}"), path=path, option=option)
    if not stat.S_ISREG(mode):
        raise OutputError(N_("{path}: exists and is not a regular file (a device, FIFO or socket), which would "
                             "be replaced; choose another {option}"), path=path, option=option)


def _is_special(path: Path) -> bool:
    """path exists and is not a regular file (a symlink is followed)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def write_output(path: Path, text: str, option: str = "--out") -> Path:
    """A report the user asked for (--out): written atomically, its folder made; an OutputError that
    says what to do when it cannot be (a device or FIFO at path is refused, never replaced)."""
    from .errors import OutputError
    from .i18n import N_

    path = Path(path)
    check_output_file(path, option)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise OutputError(N_("{path}: cannot be written ({reason}); choose another {option}"), path=path,
                          reason=exc.strerror, option=option) from None
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
    """Write to a temporary file beside path, then move it into place (never over a device, FIFO or
    directory: that is an OSError)."""
    path = Path(path)
    if _is_special(path):  # the caller's OSError handler names the path and what to do
        raise OSError(errno.EEXIST, "exists and is not a regular file", str(path))
    fd, tmp = _new_temporary_file(path)
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
        backup = _sibling_name(target, OLD_MARK)
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
    tmp = _new_temporary_dir(target)
    try:
        yield tmp
        replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def is_temporary(path: Path) -> bool:
    """A temporary sibling this module made, left by a run that was killed (never an edition or a table):
    exactly `.<name>.guidelines-tmp-<8 hex>` or `.<name>.guidelines-old-<8 hex>`, nothing a user named."""
    return TEMPORARY_NAME.fullmatch(Path(path).name) is not None
