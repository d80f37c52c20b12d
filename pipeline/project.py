"""The project a command works in, found the way git finds `.git`: the nearest folder upward holding `dvc.yaml`.

Default locations (extracted/, published/, tables/, corrections/, raw/, params.yaml, schemas/)
are resolved against it, so a command run from a subfolder (`tests/`) reads and writes the
project's folders and never makes its own; paths given on the command line stay relative to
the current folder. Outside any project the defaults are relative to the current folder.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = "dvc.yaml"


def find_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above start (default: the current one) holding dvc.yaml; None outside a project."""
    start = Path(start if start is not None else Path.cwd()).resolve()
    for directory in (start, *start.parents):
        if (directory / MARKER).is_file():
            return directory
    return None


def default_path(name: str, start: Path | None = None) -> Path:
    """A default location: name in the project root, as a path relative to the current folder (`extracted`
    from the root, `../extracted` from `tests/`); name itself, relative to the current folder, outside a project."""
    root = find_root(start)
    if root is None:
        return Path(name)
    return Path(os.path.relpath(root / name, Path.cwd().resolve()))


def project_relative(path: Path, start: Path | None = None) -> str:
    """How a file is recorded in an output: relative to the project root when it lies inside the project
    (so the record does not depend on the folder a command was run from), else relative to the current
    folder when inside it, else as given."""
    path = Path(path)
    resolved = path.resolve()
    for base in (find_root(start), Path.cwd().resolve()):
        if base is None:
            continue
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def resolve_recorded(recorded: str, start: Path | None = None) -> Path:
    """A path an output recorded (`project_relative`): relative to the project root when it is there,
    else as it is (relative to the current folder)."""
    path = Path(recorded)
    root = find_root(start)
    if not path.is_absolute() and root is not None and (root / path).exists():
        return Path(os.path.relpath(root / path, Path.cwd().resolve()))
    return path
