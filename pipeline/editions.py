"""Finding and reading an extracted edition: by id, by directory or by edition.json path."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .errors import BadEdition, OutputError
from .i18n import N_

EDITION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")


def is_edition_id(text: str) -> bool:
    """An id that is safe as one path component: letters, digits, '.', '_' and '-', not starting with a dot."""
    return bool(EDITION_ID.fullmatch(text or "")) and ".." not in text


def check_edition_id(edition_id: str) -> None:
    if not is_edition_id(edition_id):
        raise OutputError(N_("edition id {edition_id!r} is not valid; use letters, digits, '.', '_' or '-' "
                             "(e.g. 2021-2)"), edition_id=edition_id)


def read_edition(path: Path) -> dict:
    """edition.json → dict, checked against the contract; a BadEdition that says what to do otherwise."""
    from pydantic import ValidationError

    from .models import Edition

    path = Path(path)
    if not path.is_file():
        raise BadEdition(N_("{path}: no such file; run `guidelines extract PDF --out {folder}` first"),
                         path=path, folder=path.parent)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        Edition.model_validate(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadEdition(N_("{path}: not valid JSON ({error}); extract the PDF again"),
                         path=path, error=type(exc).__name__) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadEdition(N_("{path}: does not follow the edition contract ({where}: {problem}); "
                            "extract the PDF again"),
                         path=path, where=where, problem=first['msg']) from None
    edition_id = data["edition"]["id"]
    if not is_edition_id(edition_id):  # the id names directories in published/ and tables/
        raise BadEdition(N_("{path}: edition id {edition_id!r} is not valid (letters, digits, '.', '_' or '-'); "
                            "extract the PDF again with --edition YYYY-N"), path=path, edition_id=edition_id)
    return data


def edition_ids(root: Path) -> list[str]:
    """Names of the edition directories under root (those holding an edition.json), sorted."""
    root = Path(root)  # temporary siblings of a killed run (.<id>.guidelines-tmp-…) are no editions
    return sorted(p.parent.name for p in root.glob("*/edition.json") if is_edition_id(p.parent.name)) \
        if root.is_dir() else []


def edition_refs(refs, root: Path) -> list[str]:
    """The editions a command was given, or every edition under root; BadEdition when there are none."""
    refs = list(refs) or edition_ids(root)
    if not refs:
        raise BadEdition(N_("no editions in {root}/; extract one first or name edition.json paths"), root=root)
    return refs


def resolve_edition(ref: str, root: Path = Path("extracted")) -> Path:
    """An edition id (from root/), a directory with edition.json, or an edition.json path."""
    path = Path(ref)
    if path.is_file():
        return path
    if path.is_dir() and (path / "edition.json").is_file():
        return path / "edition.json"
    by_id = Path(root) / ref / "edition.json"
    if by_id.is_file():
        return by_id
    known = edition_ids(root)
    hint = f" (known: {', '.join(known)})" if known else ""
    raise BadEdition(N_("{ref}: no such edition.json, edition directory or edition id in {root}/{hint}; "
                        "extract the edition first or give the path of its edition.json"),
                     ref=ref, root=root, hint=hint)


def load_edition_ref(ref: str, root: Path = Path("extracted")) -> tuple[dict, str]:
    """Resolve and read: (edition, the path it came from)."""
    path = resolve_edition(ref, root)
    return read_edition(path), str(path)


def load_editions(refs, root: Path = Path("extracted")) -> list[dict]:
    """The editions a command was given (ids, directories, edition.json paths), or every edition under root."""
    return [load_edition_ref(ref, root)[0] for ref in edition_refs(refs, root)]


def edition_digest(edition: dict) -> str:
    """sha256 of an edition's canonical JSON: ties a report or an enrichment to the edition it was made from."""
    return hashlib.sha256(json.dumps(edition, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def load_edition_dir(directory: Path) -> dict:
    """Read DIR/edition.json and check it against the contract."""
    return read_edition(Path(directory) / "edition.json")
