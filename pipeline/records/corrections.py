"""Corrections: a person's fixes to an extracted edition, kept in `corrections/<id>.yaml` so they survive re-extraction.

A corrections file is a YAML list of entries:

| key       | meaning                                                                    |
|-----------|----------------------------------------------------------------------------|
| direction | the direction id ("1.2"); or `edition: true` for the preamble's totals     |
| path      | where in that record: `title`, `budget_cny`, `fields[2].name`, `contacts[0].name` … |
| was       | what the extractor produces there; must still match, or the entry is stale |
| value     | the right value (checked against the contract's type for that path)         |
| reason    | why, in a few words                                                        |

`apply_corrections` (edition dict + entries → corrected edition dict) runs after
extraction and before validation. Every entry is checked first and any problem — a
stale `was`, an unknown direction or path, a value of the wrong type, a YAML syntax
error — raises `BadCorrections` with one line naming the file, the line and the entry:
nothing is half-corrected.

The file is plain data: UTF-8 text (a GBK or UTF-16 file is refused with how to convert
it), no YAML aliases (`*name`: a kilobyte of nested aliases expands to gigabytes, the
"billion laughs"), no tags but the plain ones (`!!python/object/apply:…` is refused
before anything is built), and no control character (ESC, BEL, NUL …) in a value or a
reason: such a character is never part of a guideline's text, and would drive a terminal
or break a workbook. Every value an error message shows is cut to a short preview. The line's parts (the entry, what is wrong with it) are
`Message`s, N_() templates with their values, so the CLI shows all of it in the reader's
language. Each corrected record lists what a person changed in its `corrections` field
(`[{path, was, value, reason}]`).
"""

from __future__ import annotations

import copy
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from ..console import printable
from ..errors import BadCorrections
from ..i18n import N_, Message
from ..yamlsafe import ALIAS, PREVIEW, TOO_DEEP, plain_loader, preview, refused_tag, tag_as_written
from .derived import with_derived
from .values import MAX_DIGITS

PATH = re.compile(r"[a-z_]+(?:\[\d+\])*(?:\.[a-z_]+(?:\[\d+\])*)*")
TOKEN = re.compile(r"([a-z_]+)|\[(\d+)\]")
ENTRY_KEYS = {"direction", "edition", "path", "was", "value", "reason"}
NOT_CORRECTABLE = {"id", "corrections", "provenance", "source"}  # what ties a record to its PDF stays the extractor's
DERIVED = "derived"  # computed from the other values (derived.py): correct those, and it follows
MAX_PATH = 100  # no path into a record is longer (requirements[12].text); a longer one is refused, so no message
# that names a path (or a part of it) grows long


def _too_long_a_number(value) -> bool:
    """A number with more than MAX_DIGITS digits anywhere in value (10^30 is a figure, implausible but a figure: the
    gate's check values_plausible fails it; 10^400 would overflow every float it met)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return abs(value) >= 10 ** MAX_DIGITS
    if isinstance(value, dict):
        return any(_too_long_a_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_too_long_a_number(v) for v in value)
    return False


def short(text, limit: int = PREVIEW) -> str:
    """text cut to limit characters, for the paths and ids a message repeats from the file."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def control_character(value) -> str | None:
    """The first control character (ESC, BEL, NUL, DEL, C1, a bidi override …) in the text of value, as the escape
    the console writes for it (\\x1b), or None. The console's own rule decides what counts (newline and tab do not)."""
    if isinstance(value, str):
        for ch in value:
            if printable(ch) != ch:
                return printable(ch)
    elif isinstance(value, dict):
        for inner in [*value.keys(), *value.values()]:
            found = control_character(inner)
            if found:
                return found
    elif isinstance(value, list):
        for inner in value:
            found = control_character(inner)
            if found:
                return found
    return None


def problem(message: str, **params) -> ValueError:
    """A ValueError whose text is a translatable Message (read it back with `_message`)."""
    return ValueError(Message(message, **params))


def _message(exc: ValueError):
    return exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)


@dataclass
class Entry:
    """One correction as read from the file, with where it is (for the one-line errors)."""

    number: int  # 1-based position in the file
    line: int  # 1-based line of the entry
    direction: str | None  # None for an edition-level entry
    path: str
    was: object
    value: object
    reason: str
    lines: dict = field(default_factory=dict)  # key → 1-based line of its value

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def label(self) -> Message:
        where = Message(N_("edition")) if self.direction is None else Message(N_("direction {id}"), id=self.direction)
        return Message(N_("entry {number} ({where}, {path})"), number=self.number, where=where,
                       path=short(self.path))

    def record(self) -> dict:
        return {"path": self.path, "was": self.was, "value": self.value, "reason": self.reason}


def _fail(file: str, line: int, what: Message) -> BadCorrections:
    return BadCorrections(N_("{file}:{line}: {problem}"), file=file, line=line, problem=what)


def path_tokens(path: str) -> list[str | int]:
    """'contacts[0].name' → ['contacts', 0, 'name']; ValueError when the path is not of that form."""
    if not isinstance(path, str) or len(path) > MAX_PATH or not PATH.fullmatch(path):
        raise problem(N_("path {path} is not of the form title, budget_cny, fields[2].name, contacts[0].name"),
                      path=preview(path))
    return [name if name else int(index) for name, index in TOKEN.findall(path)]


def _unwrap(annotation):
    """X | None → X (the first non-None member of a union)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation


def annotation_at(model, tokens: list[str | int]):
    """The contract's type of the value at tokens inside a record of model; ValueError for an unknown path."""
    from pydantic import BaseModel

    annotation = model
    for i, token in enumerate(tokens):
        inner = _unwrap(annotation)
        if isinstance(token, int):
            if typing.get_origin(inner) is not list:
                raise problem(N_("{path} is not a list"), path=_join(tokens[:i]))
            annotation = typing.get_args(inner)[0]
        else:
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)) or token not in inner.model_fields:
                raise problem(N_("{path} is not a field of the record"), path=_join(tokens[:i + 1]))
            annotation = inner.model_fields[token].annotation
    return annotation


def _join(tokens) -> str:
    return "".join(f"[{t}]" if isinstance(t, int) else (f".{t}" if i else t) for i, t in enumerate(tokens))


_MISSING = object()


def value_at(record, tokens: list[str | int]):
    """The value at tokens in record (dicts and lists); ValueError naming the first step that does not exist."""
    value = record
    for i, token in enumerate(tokens):
        if isinstance(token, int):
            if not isinstance(value, list) or token >= len(value):
                size = len(value) if isinstance(value, list) else 0
                raise problem(N_("{path} does not exist ({parent} has {size} item(s))"), path=_join(tokens[:i + 1]),
                              parent=_join(tokens[:i]), size=size)
        elif value is None:
            raise problem(N_("{path} does not exist ({parent} is null)"), path=_join(tokens[:i + 1]),
                          parent=_join(tokens[:i]))
        elif not isinstance(value, dict) or token not in value:
            raise problem(N_("{path} does not exist"), path=_join(tokens[:i + 1]))
        value = value[token]
    return value


def _set_at(record, tokens, value) -> None:
    target = record
    for token in tokens[:-1]:
        target = target[token]
    target[tokens[-1]] = value


def check_correctable(tokens: list[str | int], path: str) -> None:
    """ValueError for a path a person may not correct: what ties a record to its source, or a derived fact."""
    if tokens and tokens[0] == DERIVED:
        raise problem(N_("{path} is derived from the other values; correct those (budget_cny, project_count, "
                         "requirements[N].text, max_duration_years) and it follows"), path=path)
    if any(t in NOT_CORRECTABLE for t in tokens if isinstance(t, str)):
        raise problem(N_("{path} ties the record to its source and cannot be corrected"), path=path)


def check_value(model, tokens, value):
    """value as the contract wants it at tokens (strictly: no text for a number); ValueError otherwise."""
    from pydantic import TypeAdapter, ValidationError

    annotation = annotation_at(model, tokens)
    try:
        checked = TypeAdapter(annotation).validate_python(value, strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise problem(N_("value {value} does not fit {path}{where}: {reason}"), value=preview(value),
                      path=_join(tokens), where=where, reason=first["msg"].lower()) from None
    dumped = TypeAdapter(annotation).dump_python(checked, mode="json")
    if _too_long_a_number(dumped):
        raise problem(N_("value {value} has more than {digits} digits: no figure of a guideline; check the value"),
                      value=preview(value), digits=MAX_DIGITS)
    control = control_character(dumped)
    if control:
        raise problem(N_("value {value} holds the control character {char}; a guideline's text has none: remove it"),
                      value=preview(value), char=control)
    return dumped


def _compose(text: str, file: str):
    """The node tree of the file: BadCorrections for a syntax error, an alias, a tag that is not plain, or nesting
    too deep to be a corrections file."""
    import yaml

    try:
        root = yaml.compose(text, Loader=plain_loader())
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise _fail(file, line, Message(N_("character {char} is not allowed in YAML; remove it"),
                                        char=printable(chr(exc.character)))) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(exc, "problem", None) or "syntax error"
        if what == TOO_DEEP:
            raise _fail(file, line, Message(N_("YAML nested too deeply to be a corrections file; fix the file"))) \
                from None
        if what == ALIAS:
            raise _fail(file, line, Message(N_("YAML aliases (*name) are not allowed in a corrections file; write "
                                               "each value out"))) from None
        raise _fail(file, line, Message(N_("YAML syntax error ({problem}); fix the file"), problem=what)) from None
    refused = None if root is None else refused_tag(root)
    if refused is not None:
        raise _fail(file, refused.start_mark.line + 1, Message(
            N_("the YAML tag {tag} is not allowed in a corrections file; write plain values (text, numbers, "
               "lists, null)"), tag=short(tag_as_written(refused.tag))))
    return root


def read_entries(text: str, file: str) -> list[Entry]:
    """Parse a corrections file; BadCorrections (file:line: …) for a syntax error or a malformed entry."""
    import yaml

    root = _compose(text, file)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise _fail(file, root.start_mark.line + 1, Message(N_("a corrections file is a list of entries "
                                                              "(- direction: …)")))
    entries = []
    for number, node in enumerate(root.value, start=1):
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise _fail(file, line, Message(N_("entry {number} is not a mapping of direction, path, was, value, "
                                               "reason"), number=number))
        raw = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
        try:
            data = yaml.SafeLoader("").construct_document(node)
        except (yaml.YAMLError, ValueError) as exc:  # an unhashable key, a date that is none, 5,000 digits …
            mark = getattr(exc, "problem_mark", None)
            raise _fail(file, mark.line + 1 if mark else line, Message(
                N_("YAML syntax error ({problem}); fix the file"),
                problem=getattr(exc, "problem", None) or "a value that cannot be read")) from None
        unknown = sorted(set(map(str, data)) - ENTRY_KEYS)
        if unknown:
            raise _fail(file, line, Message(N_("entry {number} has unknown key(s) {keys}; use direction "
                                               "(or edition: true), path, was, value, reason"),
                                            number=number, keys=", ".join(unknown)))
        missing = [k for k in ("path", "was", "value", "reason") if k not in data]
        if missing:
            raise _fail(file, line, Message(N_("entry {number} lacks {keys} (was: null when the extractor gives "
                                               "nothing)"), number=number, keys=", ".join(missing)))
        if ("direction" in data) == bool(data.get("edition")):
            raise _fail(file, line, Message(N_("entry {number} needs either direction: \"1.2\" or edition: true"),
                                            number=number))
        if not isinstance(data["reason"], str) or not data["reason"].strip():
            raise _fail(file, line, Message(N_("entry {number} needs a reason (a few words)"), number=number))
        if control_character(data["reason"]):
            raise _fail(file, raw["reason"].start_mark.line + 1, Message(
                N_("entry {number}: the reason holds the control character {char}; remove it"), number=number,
                char=control_character(data["reason"])))
        # the id as written: 1.10 must not become the number 1.1
        direction = raw["direction"].value if "direction" in raw and isinstance(raw["direction"], yaml.ScalarNode) \
            else (None if "direction" not in data else str(data["direction"]))
        entries.append(Entry(number, line, direction, str(data["path"]), data["was"], data["value"],
                             data["reason"].strip(), {k: v.start_mark.line + 1 for k, v in raw.items()}))
    return entries


def _record_of(edition: dict, entry: Entry):
    if entry.direction is None:
        return edition["edition"]
    for direction in edition["directions"]:
        if direction["id"] == entry.direction:
            return direction
    return None


def _same(a, b) -> bool:
    """Equal as JSON values (True is not 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def apply_corrections(edition: dict, entries: list[Entry], file: str) -> dict:
    """The edition with every entry applied, each recorded in its record's `corrections`.

    All entries are checked before anything is changed; the first problem raises
    BadCorrections (file:line: entry N …) and the input edition is left as it was.
    """
    from ..models import Direction, EditionInfo

    corrected = copy.deepcopy(edition)
    seen: dict[tuple, int] = {}
    for entry in entries:
        record = _record_of(corrected, entry)
        if record is None:
            known = ", ".join(d["id"] for d in edition["directions"])
            raise _fail(file, entry.line_of("direction"), Message(
                N_("{entry}: no direction {direction} in edition {edition_id} (it has {known})"), entry=entry.label(),
                direction=entry.direction, edition_id=edition["edition"]["id"], known=known))
        key = (entry.direction, entry.path)
        if key in seen:
            raise _fail(file, entry.line, Message(N_("{entry}: the same value is corrected by entry {other}; keep one "
                                                     "entry per value"), entry=entry.label(), other=seen[key]))
        seen[key] = entry.number
        model = EditionInfo if entry.direction is None else Direction
        try:
            tokens = path_tokens(entry.path)
            check_correctable(tokens, entry.path)
            annotation_at(model, tokens)
            current = value_at(record, tokens)
        except ValueError as exc:
            raise _fail(file, entry.line_of("path"), Message(N_("{entry}: {problem}"), entry=entry.label(),
                                                             problem=_message(exc))) from None
        try:
            value = check_value(model, tokens, entry.value)
        except ValueError as exc:
            raise _fail(file, entry.line_of("value"), Message(N_("{entry}: {problem}"), entry=entry.label(),
                                                              problem=_message(exc))) from None
        if not _same(current, entry.was):
            raise _fail(file, entry.line_of("was"), Message(
                N_("{entry} is stale: the extraction now gives {current}, not was: {was}; check the value and "
                   "update or remove the entry"), entry=entry.label(), current=preview(current),
                was=preview(entry.was)))
        _set_at(record, tokens, value)
        record.setdefault("corrections", []).append({**entry.record(), "value": value})
    return with_derived(corrected)  # a corrected count, budget or requirement reaches every derived fact


def corrections_file(corrections: Path | None, edition_id: str) -> Path | None:
    """The corrections file for an edition: corrections itself when a file, DIR/<id>.yaml when it exists, else None."""
    if corrections is None:
        return None
    corrections = Path(corrections)
    if corrections.is_dir():
        candidate = corrections / f"{edition_id}.yaml"
        return candidate if candidate.is_file() else None
    if corrections.is_file():
        return corrections
    raise BadCorrections(N_("{corrections}: no such corrections file or directory; give corrections/ or a .yaml "
                            "file"), corrections=corrections)


def read_text(path: Path) -> str:
    """The text of a corrections file: BadCorrections when it cannot be read or is not UTF-8 (saying how to convert
    it: a GBK file saved by a Chinese Windows editor, a UTF-16 one by Notepad)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BadCorrections(N_("{path}: cannot be read ({error}); fix or remove the file"), path=path,
                             error=exc.strerror or exc) from None
    try:
        return data.decode("utf-8-sig")  # a UTF-8 file with a byte-order mark is UTF-8 too
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        encoding = _likely_encoding(data)
        raise BadCorrections(N_("{path}:{line}: not UTF-8 text (it looks like {encoding}); a corrections file must be "
                                "UTF-8: convert it, e.g. iconv -f {encoding} -t UTF-8 {path} > fixed.yaml, "
                                "and put fixed.yaml in its place"),
                             path=path, line=line, encoding=encoding) from None


def _likely_encoding(data: bytes) -> str:
    """The encoding a file that is not UTF-8 is most likely in (the name iconv knows it by)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > len(data[:200]) // 4:
        return "UTF-16"
    try:
        data.decode("gb18030")
        return "GB18030"
    except UnicodeDecodeError:
        return "LATIN1"


def apply_corrections_file(edition: dict, path: Path | None) -> dict:
    """Read path (when given) and apply it to edition."""
    if path is None:
        return edition
    return apply_corrections(edition, read_entries(read_text(path), str(path)), str(path))


def uncorrected(edition: dict) -> dict:
    """The edition as the extractor produced it: every recorded correction undone, latest first."""
    original = copy.deepcopy(edition)
    for record in [original["edition"], *original["directions"]]:
        for change in reversed(record.get("corrections") or []):
            _set_at(record, path_tokens(change["path"]), change["was"])
        record["corrections"] = []
    return with_derived(original)


def parse_cli_value(model, tokens, text: str):
    """A value typed on the command line: the text itself when the field takes text, else its YAML reading (2000 →
    a number, null → nothing); ValueError when neither fits."""
    import yaml

    try:
        return check_value(model, tokens, text)
    except ValueError as as_text:
        try:
            parsed = yaml.load(text, Loader=plain_loader())  # noqa: S506 (safe: SafeLoader, aliases refused)
        except yaml.YAMLError:
            raise as_text from None
        return check_value(model, tokens, parsed)


def new_entry(edition: dict, direction: str | None, path: str, value_text: str, reason: str) -> dict:
    """A checked entry for `guidelines correct`: `was` is what the current extraction gives at path."""
    from ..models import Direction, EditionInfo

    if not reason.strip():
        raise BadCorrections(N_("give a --reason (a few words: why the extraction is wrong)"))
    if control_character(reason):
        raise BadCorrections(N_("the --reason holds the control character {char}; remove it"),
                             char=control_character(reason))
    probe = Entry(0, 0, direction, path, None, None, reason)
    record = _record_of(edition, probe)
    if record is None:
        known = ", ".join(d["id"] for d in edition["directions"])
        raise BadCorrections(N_("no direction {direction} in edition {edition_id} (it has {known})"),
                             direction=direction, edition_id=edition["edition"]["id"], known=known)
    model = EditionInfo if direction is None else Direction
    try:
        tokens = path_tokens(path)
        check_correctable(tokens, path)
        annotation_at(model, tokens)
        was = value_at(record, tokens)
        value = parse_cli_value(model, tokens, value_text)
    except ValueError as exc:
        where = Message(N_("direction {id}"), id=direction) if direction is not None else Message(N_("edition"))
        raise BadCorrections(N_("{where}: {problem}"), where=where, problem=_message(exc)) from None
    for change in record.get("corrections") or []:
        if change["path"] == path:
            raise BadCorrections(N_("{path} is already corrected (to {value}); edit that entry in the corrections "
                                    "file instead"), path=path, value=preview(change["value"]))
    if _same(was, value):
        raise BadCorrections(N_("{path} is already {was}; nothing to correct"), path=path, was=preview(was))
    entry = {"direction": direction} if direction is not None else {"edition": True}
    return {**entry, "path": path, "was": was, "value": value, "reason": reason.strip()}


def append_entry(file: Path, entry: dict, edition: dict) -> int:
    """Append entry to file (created when missing), after checking the whole new file against the extraction.

    Returns the entry's number in the file. The file is replaced atomically, comments kept.
    """
    import yaml

    from ..fileio import write_text_atomic

    file = Path(file)
    text = read_text(file) if file.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    new_text = text + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False)
    entries = read_entries(new_text, str(file))
    apply_corrections(uncorrected(edition), entries, str(file))  # the whole file must still apply
    file.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(file, new_text)
    return len(entries)
