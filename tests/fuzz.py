"""Seeded mutants of good inputs, and what the pipeline makes of each (issues 11 and 22's fuzz test).

Issue 11, the PDF (`run`):
Half the mutants change the file's bytes (flipped bits, a cut, a deleted or repeated
slice); half change the decoded content of one stream (a content stream, a font's
ToUnicode map, an object stream) and re-encode it, which is how pixel-identical but
wrongly-decoding files arise. Each mutant is extracted in its own process, with a
timeout and an address-space limit; editions that come out are put through the gate and
compared with the clean file's edition.

Issue 22 adds four kinds (`run_kind`), each input run by the command that reads it, as a user
would, in its own process under a 1 GB address-space limit and a 60 s timeout:

- word: the bundled edition's Word twin (the fixture builder's .docx) with its XML mutated
  (elements and attributes dropped, repeated, renamed; huge and negative list numbers; style
  basedOn cycles; a DOCTYPE with entities; wrong encodings; cut XML) or its ZIP (cut, members
  missing or repeated, an unknown compression method, a damaged CRC, a member that inflates to
  1 GB, paths out of the archive) → `extract`;
- image: a one-page scan (a strip of the edition's first page, a JPEG) whose image dictionary
  is mutated (Width/Height, ColorSpace, BitsPerComponent, Filter, Decode, SMask) or whose page
  box is huge → `extract --ocr auto`;
- corrections: a valid corrections file for the edition, mutated (YAML syntax, alias bombs,
  python tags, control characters, huge numbers, wrong types, GBK/UTF-16/BOM, deep nesting)
  → `extract --corrections FILE` and `correct` (which reads the file it appends to);
- params: a project's params.yaml, mutated the same way → `ingest` (of a file the project
  holds another version of: params.yaml is read, then the ingest is refused without running
  the pipeline, so no dvc run is needed).

Every run must end with a documented exit code (pipeline/errors.py; 0 too), one `error:` line
when it fails, no traceback or internal error, no hang and no kill by a signal.

    python tests/fuzz.py [N] [SEED]     # the PDF mutants: prints the summary issue 11 asks for
    python tests/fuzz.py KIND [N] [SEED]   # word | image | corrections | params | all: a summary per kind
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDELINES = str(Path(sys.executable).parent / "guidelines")
KNOWN_EXITS = {0, 5, 7, 8, 18}  # extracted, damaged, no readable text, not a guideline, over a limit
TIMEOUT_S = 30
MEMORY_MB = 500


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["flip", "flip", "cut", "delete", "repeat"])
    data = bytearray(data)
    if kind == "flip":
        n = rng.randint(1, 8)
        for _ in range(n):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        return bytes(data), f"{n} bit(s) flipped in the file"
    i = rng.randrange(len(data))
    if kind == "cut":
        return bytes(data[:i]), f"cut at byte {i}"
    span = rng.randint(1, 4096)
    if kind == "delete":
        return bytes(data[:i] + data[i + span:]), f"{span} bytes deleted at {i}"
    return bytes(data[:i] + data[i:i + span] * 2 + data[i + span:]), f"{span} bytes repeated at {i}"


def mutate_stream(src: Path, out: Path, rng: random.Random) -> str:
    """Change the decoded data of one stream and write it back properly encoded."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import StreamObject

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    streams = []
    for i, obj in enumerate(writer._objects):
        if isinstance(obj, StreamObject):
            streams.append((i + 1, obj))
    number, stream = rng.choice(streams)
    data = bytearray(stream.get_data())
    what = "ToUnicode map" if b"begincmap" in data else ("content stream" if b"Tj" in data or b"TJ" in data
                                                          else "stream")
    kind = rng.choice(["flip", "digit", "delete"])
    if kind == "flip" and data:
        n = rng.randint(1, 3)
        for _ in range(n):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        change = f"{n} bit(s) flipped"
    elif kind == "digit" and any(48 <= b <= 57 for b in data):
        digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
        i = rng.choice(digits)
        data[i] = 48 + (data[i] - 48 + rng.randint(1, 9)) % 10
        change = "one digit changed"
    else:
        i = rng.randrange(max(1, len(data)))
        span = rng.randint(1, 64)
        del data[i:i + span]
        change = f"{span} bytes deleted"
    stream.set_data(bytes(data))
    writer.write(str(out))
    return f"{change} in the {what} (object {number})"


def make_mutants(src: Path, out_dir: Path, n: int, seed: int) -> list[tuple[Path, str]]:
    rng = random.Random(seed)
    data = Path(src).read_bytes()
    mutants = []
    for k in range(n):
        path = Path(out_dir) / f"m{k:03d}.pdf"
        if k % 2 == 0:
            mutated, how = mutate_bytes(data, rng)
            path.write_bytes(mutated)
        else:
            try:
                how = mutate_stream(src, path, rng)
            except Exception as exc:  # pypdf refused the change: fall back to bytes
                mutated, how = mutate_bytes(data, rng)
                path.write_bytes(mutated)
                how += f" (stream mutation failed: {type(exc).__name__})"
        mutants.append((path, how))
    return mutants


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_MB << 20, MEMORY_MB << 20))


def extract_one(pdf: Path, out: Path) -> dict:
    """guidelines extract in a child process with a timeout and an address-space limit.

    The PDF reading path is what the mutants attack: pages whose text a mutant made unreadable
    are refused (--ocr never) instead of read by OCR, whose engine alone needs more than the
    limit (see README, "Limits and guarantees")."""
    try:
        result = subprocess.run([GUIDELINES, "extract", str(pdf), "--out", str(out), "--edition", "2021-2",
                                 "--ocr", "never"],
                                capture_output=True, text=True, timeout=TIMEOUT_S, preexec_fn=_limit_memory,
                                env={**os.environ, "DVC_NO_ANALYTICS": "1"})
    except subprocess.TimeoutExpired:
        return {"code": "timeout", "stderr": ""}
    return {"code": result.returncode, "stderr": result.stderr}


def structure(edition: dict) -> list:
    """What a damaged structure changes: directions, and per direction its sections' sizes."""
    return [(d["id"], d["partner"].get("iso_code"), len(d["requirements"]), len(d["contacts"]), len(d["fields"]),
             len(d["agreements"]), d["budget_cny"], (d["project_count"] or {}).get("max")) for d in edition["directions"]]


def differences(clean: dict, other: dict) -> list[str]:
    """The values that differ, as paths (source and provenance set aside)."""
    out = []

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if key in ("source", "provenance", "sha256"):
                    continue
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif a != b:
            out.append(f"{path}: {str(a)[:60]!r} → {str(b)[:60]!r}")
    walk(clean, other, "")
    return out


def run(src: Path, n: int = 100, seed: int = 11, workers: int = 2) -> dict:
    from pipeline.quality.validate import validate_edition

    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        clean_out = work / "clean" / "2021-2"
        assert extract_one(src, clean_out)["code"] == 0
        clean = json.loads((clean_out / "edition.json").read_text(encoding="utf-8"))
        mutants = make_mutants(src, work, n, seed)
        outs = [work / "out" / p.stem for p, _ in mutants]
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(extract_one, [p for p, _ in mutants], outs))
        rows = []
        for (pdf, how), out, res in zip(mutants, outs, results):
            row = {"mutant": pdf.name, "how": how, "code": res["code"], "stderr": res["stderr"].strip()[-300:]}
            leftovers = [p.name for p in (work / "out").glob(f".{out.name}*")] if (work / "out").exists() else []
            row["left_behind"] = leftovers + ([out.name] if res["code"] != 0 and out.exists() else [])
            if res["code"] == 0:
                edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
                row["same_as_clean"] = not differences(clean, edition)
                if not row["same_as_clean"]:
                    report = validate_edition(edition)
                    row["gate"] = report.status
                    row["failed_checks"] = [c.name for c in report.checks if c.status == "failed"]
                    row["structure_damaged"] = structure(edition) != structure(clean)
                    row["differences"] = differences(clean, edition)[:8]
            rows.append(row)
        return {"n": n, "seed": seed, "rows": rows}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def exit_codes(rows: list[dict]) -> dict:
    """How many runs ended with each exit code ("timeout" for a hang)."""
    codes: dict = {}
    for r in rows:
        codes[r["code"]] = codes.get(r["code"], 0) + 1
    return codes


def summary(result: dict) -> str:
    rows = result["rows"]
    codes = exit_codes(rows)
    differ = [r for r in rows if r["code"] == 0 and not r["same_as_clean"]]
    passed = [r for r in differ if r["gate"] == "passed"]
    lines = [f"{result['n']} mutants (seed {result['seed']}); exit codes {dict(sorted(codes.items(), key=str))}",
             f"extracted with data different from the clean file: {len(differ)}; of these the gate passed "
             f"{len(passed)} and withheld {len(differ) - len(passed)}"]
    for r in differ:
        lines.append(f"  {r['mutant']} [{r['gate']}] {r['how']}: " + "; ".join(r["differences"][:3])
                     + (f" — failed: {', '.join(r['failed_checks'])}" if r["failed_checks"] else ""))
    return "\n".join(lines)




# ---------------------------------------------------------------------------------------------------------------
# Issue 22: Word, image, corrections and params mutants

KIND_MEMORY_MB = 1024
KIND_TIMEOUT_S = 60
EDITION = "2021-2"
TWIN_TEXT = ROOT / "tests" / "fixtures" / "2021-2" / "2021-2.txt"
DEFAULT_COUNTS = {"word": 60, "image": 20, "corrections": 20, "params": 10}  # OCR is the slow part


def documented_exits() -> set[int]:
    """0, click's usage error, and every exit code of pipeline/errors.py but 1 (a bug)."""
    from pipeline import errors

    codes = {cls.exit_code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.GuidelineError)}
    return ({0, 2} | codes) - {1}


def _limit_kind_memory():
    resource.setrlimit(resource.RLIMIT_AS, (KIND_MEMORY_MB << 20, KIND_MEMORY_MB << 20))


def run_cli(args: list[str], cwd: Path | None = None) -> dict:
    """`guidelines ARGS` in its own process, under the address-space limit, with the timeout."""
    try:
        result = subprocess.run([GUIDELINES, *args], cwd=cwd, capture_output=True, timeout=KIND_TIMEOUT_S,
                                preexec_fn=_limit_kind_memory, env={**os.environ, "DVC_NO_ANALYTICS": "1"})
    except subprocess.TimeoutExpired:
        return {"code": "timeout", "stderr": ""}
    return {"code": result.returncode, "stderr": result.stderr.decode("utf-8", "replace")}


def problem_of(code, stderr: str) -> str | None:
    """What is wrong with how a run ended (None: it ended as any input may make it end)."""
    lines = stderr.strip().splitlines()
    if code == "timeout":
        return f"hang (no end in {KIND_TIMEOUT_S} s)"
    if code < 0:
        return f"killed by signal {-code}"  # 9: the memory limit's kill; 11: a crash in native code
    if "Traceback" in stderr or "internal error" in stderr or "MemoryError" in stderr:
        return "traceback / internal error"
    if code not in documented_exits():
        return f"undocumented exit {code}"
    if code != 0 and (len(lines) != 1 or not lines[0].startswith("error: ")):
        return f"stderr is {len(lines)} lines, not one error line"
    return None


def _run_rows(jobs: list[tuple[str, str, list[str], Path | None]], workers: int) -> list[dict]:
    """jobs: (mutant, how, args, cwd) → one row each, with the run's code, last stderr line and problem."""
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda job: run_cli(job[2], job[3]), jobs))
    rows = []
    for (name, how, args, _), res in zip(jobs, results):
        lines = res["stderr"].strip().splitlines()
        said = [ln for ln in lines if ln.startswith("error: ")] or lines[-1:]  # a traceback's summary, when one
        rows.append({"mutant": name, "how": how, "command": args[0], "code": res["code"],
                     "stderr": res["stderr"].strip()[-300:], "said": said[0][:240] if said else "",
                     "problem": problem_of(res["code"], res["stderr"])})
    return rows


# --- Word -------------------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_MEMBERS = ["word/document.xml", "word/numbering.xml", "word/styles.xml", "[Content_Types].xml", "_rels/.rels",
               "word/_rels/document.xml.rels", "word/settings.xml", "word/header1.xml"]


def word_twin(out: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import build

    return build.render_docx(build.read_styled(TWIN_TEXT.read_text(encoding="utf-8")), out)


def _members(docx: bytes) -> list[tuple[str, bytes]]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2021, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _replace_member(members, name, data):
    return [(n, data if n == name else d) for n, d in members]


def _xml_tree_mutation(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    from lxml import etree

    root = etree.fromstring(xml)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    element = rng.choice(elements[1:] or elements)
    tag = etree.QName(element).localname
    kind = rng.choice(["drop", "duplicate", "rename", "drop attribute", "rename attribute", "attribute value"])
    if kind == "drop" and element.getparent() is not None:
        element.getparent().remove(element)
    elif kind == "duplicate" and element.getparent() is not None:
        for _ in range(rng.choice([1, 1, 50])):
            element.addnext(etree.fromstring(etree.tostring(element)))
    elif kind == "rename":
        element.tag = rng.choice([f"{{{W}}}tbl", f"{{{W}}}p", f"{{{W}}}numPr", f"{{{W}}}x", "plain"])
    elif kind in ("drop attribute", "rename attribute", "attribute value") and element.attrib:
        name = rng.choice(list(element.attrib))
        value = element.attrib.pop(name)
        if kind == "rename attribute":
            element.set(name + "x", value)
        elif kind == "attribute value":
            element.set(name, rng.choice(["", "-1", "99999999999999999999", "1e309", "NaN", "abc", "0x10", "-2147483649", value * 1000]))
    else:
        kind = "drop" if element.getparent() is not None else "none"
        if element.getparent() is not None:
            element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), f"{kind} <{tag}>"


def _set_all(xml: bytes, pattern: str, value: str) -> bytes:
    import re

    return re.sub(pattern.encode(), value.encode(), xml)


BILLION_LAUGHS = ('<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
                  '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
                  '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
                  '<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;"><!ENTITY j "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">]>')


def _doctype(xml: bytes, doctype: str, use: str) -> bytes:
    """xml with a DOCTYPE after the declaration and `use` (an entity reference) in its first text run."""
    head, sep, body = xml.partition(b"?>")
    body = body.replace(b"<w:t>", b"<w:t>" + use.encode(), 1).replace(b'<w:t xml:space="preserve">',
                                                                        b'<w:t xml:space="preserve">' + use.encode(), 1)
    return head + sep + b"\n" + doctype.encode() + body


def word_xml_recipes(members) -> list[tuple[str, object]]:
    """Named XML changes (each a function members, rng → members) beside the random tree mutations."""
    doc = dict(members)["word/document.xml"]
    styles = dict(members)["word/styles.xml"]
    numbering = dict(members)["word/numbering.xml"]

    def numbering_value(value):
        return lambda m, rng: _replace_member(m, "word/numbering.xml",
                                              _set_all(numbering, r'<w:start w:val="\d+"/>', f'<w:start w:val="{value}"/>'))

    def ilvl(value):
        return lambda m, rng: _replace_member(m, "word/document.xml",
                                              _set_all(doc, r'<w:ilvl w:val="\d+"/>', f'<w:ilvl w:val="{value}"/>'))

    def num_id(value):
        return lambda m, rng: _replace_member(m, "word/document.xml",
                                              _set_all(doc, r'<w:numId w:val="\d+"/>', f'<w:numId w:val="{value}"/>'))

    def based_on_cycle(m, rng):  # every paragraph style based on the next, the last on the first
        import re

        ids = re.findall(rb'<w:style w:type="paragraph"[^>]*w:styleId="([^"]+)"', styles)
        text = styles
        for a, b in zip(ids, ids[1:] + ids[:1]):
            text = re.sub(rb'(<w:style w:type="paragraph"[^>]*w:styleId="' + re.escape(a) + rb'"[^>]*>)',
                          rb'\1<w:basedOn w:val="' + b + rb'"/>', text, count=1)
        return _replace_member(m, "word/styles.xml", text)

    def self_based(m, rng):
        return _replace_member(m, "word/styles.xml", styles.replace(
            b'w:styleId="Normal">', b'w:styleId="Normal"><w:basedOn w:val="Normal"/>', 1))

    def encoded(encoding, declared=None, bom=b""):
        def change(m, rng):
            text = doc.decode("utf-8")
            if declared is not None:
                text = text.replace("encoding='UTF-8'", f"encoding='{declared}'").replace(
                    'encoding="UTF-8"', f'encoding="{declared}"')
            return _replace_member(m, "word/document.xml", bom + text.encode(encoding, "replace"))
        return change

    def invalid_bytes(m, rng):
        i = doc.index(b"<w:t")
        return _replace_member(m, "word/document.xml", doc[:i] + b"\xff\xfe\xc3\x28\x80" + doc[i:])

    def cut(fraction):
        return lambda m, rng: _replace_member(m, "word/document.xml", doc[:int(len(doc) * fraction)])

    def doctype(decl, use):
        return lambda m, rng: _replace_member(m, "word/document.xml", _doctype(doc, decl, use))

    def huge_text(m, rng):  # one paragraph of 50 MB of text
        i = doc.index(b"<w:t>") + 5 if b"<w:t>" in doc else doc.index(b"<w:t ") + doc[doc.index(b"<w:t "):].index(b">") + 1
        return _replace_member(m, "word/document.xml", doc[:i] + "申".encode() * 17_000_000 + doc[i:])

    def deep(m, rng):  # elements nested 100,000 deep inside the body
        i = doc.index(b"<w:body>") + len(b"<w:body>")
        return _replace_member(m, "word/document.xml", doc[:i] + b"<w:sdt>" * 100_000 + b"</w:sdt>" * 100_000 + doc[i:])

    return [
        ("list start 10^9", numbering_value(10 ** 9)), ("list start 2^63", numbering_value(2 ** 63)),
        ("list start -5", numbering_value(-5)), ("list start 'abc'", numbering_value("abc")),
        ("list start 10^20", numbering_value(10 ** 20)),
        ("list level 9999", ilvl(9999)), ("list level -1", ilvl(-1)), ("numId 999 (no such list)", num_id(999)),
        ("numId 0", num_id(0)), ("numId -7", num_id(-7)),
        ("style basedOn cycle (all paragraph styles)", based_on_cycle), ("style basedOn itself", self_based),
        ("DOCTYPE billion laughs", doctype(BILLION_LAUGHS, "&j;")),
        ("DOCTYPE external entity file:///etc/passwd", doctype(
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")),
        ("DOCTYPE external DTD http://", doctype('<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/x.dtd">', "")),
        ("DOCTYPE parameter entity", doctype(
            '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///dev/zero"> %p;]>', "")),
        ("document.xml in UTF-16 declared UTF-8", encoded("utf-16")),
        ("document.xml in UTF-16 with BOM, declared UTF-16", encoded("utf-16", "UTF-16")),
        ("document.xml in GBK declared UTF-8", encoded("gbk")),
        ("document.xml in GBK declared GBK", encoded("gbk", "GBK")),
        ("document.xml declared EBCDIC (cp500)", encoded("utf-8", "cp500")),
        ("document.xml declared an unknown encoding", encoded("utf-8", "x-no-such")),
        ("document.xml with a UTF-8 BOM", encoded("utf-8", None, b"\xef\xbb\xbf")),
        ("invalid UTF-8 bytes in document.xml", invalid_bytes),
        ("document.xml cut at 50%", cut(0.5)), ("document.xml cut at 1 byte", cut(0.00001)),
        ("document.xml empty", cut(0)),
        ("styles.xml cut", lambda m, rng: _replace_member(m, "word/styles.xml", styles[:len(styles) // 3])),
        ("numbering.xml cut", lambda m, rng: _replace_member(m, "word/numbering.xml", numbering[:len(numbering) // 2])),
        ("a 50 MB paragraph", huge_text), ("elements nested 100,000 deep", deep),
    ]


@functools.lru_cache(maxsize=4)
def crc_of_run(byte: bytes, size: int = 1 << 30) -> int:
    import zlib

    crc, chunk = 0, byte * (1 << 20)
    for _ in range(size >> 20):
        crc = zlib.crc32(chunk, crc)
    return crc


def _zip_records(data: bytes, signature: bytes):
    i = data.find(signature)
    while i >= 0:
        yield i
        i = data.find(signature, i + 1)


def _patched(data: bytes, offset: int, value: bytes) -> bytes:
    return data[:offset] + value + data[offset + len(value):]


@functools.lru_cache(maxsize=4)
def deflated_run(byte: bytes, size: int = 1 << 30, zlib_header: bool = False) -> bytes:
    """size copies of byte, deflated (about 1 MB for 1 GB), made a megabyte at a time: the bomb is never in memory."""
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, 15 if zlib_header else -15)
    chunk = byte * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(size >> 20)]
    return b"".join(parts) + compressor.flush()


def _zip_with_raw(members: list[tuple[str, bytes]], raw_name: str, raw_deflate: bytes, size: int, crc: int) -> bytes:
    """A ZIP of members in which raw_name is the given, already deflated, data (a member built by hand)."""
    import io
    import struct
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name != raw_name:
                archive.writestr(zipfile.ZipInfo(name, (2021, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    body = buffer.getvalue()
    central = body.find(b"PK\x01\x02")
    locals_, directory = body[:central], body[central:body.rfind(b"PK\x05\x06")]
    end = body[body.rfind(b"PK\x05\x06"):]

    name = raw_name.encode()
    offset = len(locals_)
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw_deflate), size & 0xFFFFFFFF,
                        len(name), 0) + name + raw_deflate
    entry = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(raw_deflate),
                        size & 0xFFFFFFFF, len(name), 0, 0, 0, 0, 0, offset) + name
    count = struct.unpack("<H", end[10:12])[0] + 1
    directory += entry
    new_end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset + len(local), 0)
    return locals_ + local + directory + new_end


def word_zip_recipes(members, docx: bytes) -> list[tuple[str, object]]:
    """Named ZIP-level changes (each a function rng → bytes of the whole file)."""
    import zlib

    def missing(name):
        return lambda rng: _zip([(n, d) for n, d in members if n != name])

    def duplicated(name, data=None):
        def change(rng):
            out = []
            for n, d in members:
                out.append((n, d))
                if n == name:
                    out.append((n, data if data is not None else d))
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
                return _zip(out)
        return change

    def method(value):  # the compression method of every member, in local headers and the central directory
        def change(rng):
            data = docx
            for i in _zip_records(data, b"PK\x03\x04"):
                data = _patched(data, i + 8, value.to_bytes(2, "little"))
            for i in _zip_records(data, b"PK\x01\x02"):
                data = _patched(data, i + 10, value.to_bytes(2, "little"))
            return data
        return change

    def crc(name):
        def change(rng):
            data = bytearray(docx)
            for i in list(_zip_records(bytes(data), b"PK\x01\x02")):
                length = int.from_bytes(data[i + 28:i + 30], "little")
                if data[i + 46:i + 46 + length] == name.encode():
                    data[i + 16] ^= 0xFF
            for i in list(_zip_records(bytes(data), b"PK\x03\x04")):
                length = int.from_bytes(data[i + 26:i + 28], "little")
                if data[i + 30:i + 30 + length] == name.encode():
                    data[i + 14] ^= 0xFF
            return bytes(data)
        return change

    def sizes_lie(factor):  # the stated uncompressed size of document.xml is wrong
        def change(rng):
            data = bytearray(docx)
            size = len(dict(members)["word/document.xml"])
            for i in list(_zip_records(bytes(data), b"PK\x01\x02")):
                length = int.from_bytes(data[i + 28:i + 30], "little")
                if data[i + 46:i + 46 + length] == b"word/document.xml":
                    data[i + 24:i + 28] = min(int(size * factor), 0xFFFFFFFE).to_bytes(4, "little")
            return bytes(data)
        return change

    def bomb(name):
        def change(rng):
            return _zip_with_raw(members, name, deflated_run(b" "), 1 << 30, crc_of_run(b" "))
        return change

    def nested(names):
        def change(rng):
            doc = dict(members)["word/document.xml"]
            return _zip(list(members) + [(n, doc) for n in names])
        return change

    def rels_target(target):
        def change(rng):
            rels = dict(members)["_rels/.rels"].replace(b'Target="word/document.xml"', f'Target="{target}"'.encode())
            return _zip(_replace_member(members, "_rels/.rels", rels) + [(target.lstrip("/"), dict(members)["word/document.xml"])]
                        if not target.startswith(("/", "..")) else _replace_member(members, "_rels/.rels", rels))
        return change

    cut_at = [10, 200, len(docx) // 2, len(docx) - 30, len(docx) - 1]
    return [
        *[(f"archive cut at byte {n}", (lambda n: lambda rng: docx[:n])(n)) for n in cut_at],
        ("the central directory removed", lambda rng: docx[:docx.find(b"PK\x01\x02")]),
        ("garbage before the archive", lambda rng: b"\x00" * 4096 + docx),
        *[(f"member {n} missing", missing(n)) for n in ("word/document.xml", "[Content_Types].xml", "_rels/.rels",
                                                         "word/styles.xml", "word/numbering.xml",
                                                         "word/_rels/document.xml.rels")],
        ("word/document.xml twice (the second empty)", duplicated("word/document.xml", b"")),
        ("word/document.xml twice (the same)", duplicated("word/document.xml")),
        ("word/styles.xml twice (the second cut)", duplicated("word/styles.xml", b"<w:styles")),
        ("compression method 99 (AES)", method(99)), ("compression method 12 (bzip2)", method(12)),
        ("compression method 14 (LZMA)", method(14)), ("compression method 0 (stored) for deflated data", method(0)),
        ("compression method 7 (unknown)", method(7)),
        ("CRC of word/document.xml damaged", crc("word/document.xml")),
        ("CRC of word/styles.xml damaged", crc("word/styles.xml")),
        ("stated size of document.xml 1000× too large", sizes_lie(1000)),
        ("stated size of document.xml too small", sizes_lie(0.1)),
        ("word/document.xml inflates to 1 GB", bomb("word/document.xml")),
        ("word/styles.xml inflates to 1 GB", bomb("word/styles.xml")),
        ("an unused member inflates to 1 GB", bomb("word/media/huge.bin")),
        ("member paths out of the archive (../, /, C:\\)", nested(["../../evil.xml", "/etc/evil.xml", "C:\\evil.xml",
                                                                 "word/../../../evil.xml"])),
        ("a member 300 directories deep", nested(["a/" * 300 + "document.xml"])),
        ("officeDocument at ../../document.xml", rels_target("../../document.xml")),
        ("officeDocument at /etc/passwd", rels_target("/etc/passwd")),
        ("officeDocument at a nested path", rels_target("deep/er/still/document.xml")),
        ("zlib-deflated (with header) document.xml stored raw", lambda rng: _zip_with_raw(
            members, "word/document.xml", zlib.compress(dict(members)["word/document.xml"]),
            len(dict(members)["word/document.xml"]), zlib.crc32(dict(members)["word/document.xml"]))),
    ]


def word_mutants(docx: Path, out_dir: Path, n: int, seed: int) -> list[tuple[Path, str]]:
    """n mutants of the Word twin: three quarters named recipes (a seeded choice), the rest random tree mutations
    (mostly of document.xml, numbering.xml and styles.xml)."""
    rng = random.Random(seed)
    data = docx.read_bytes()
    members = _members(data)
    named = [(how, lambda rng, f=f: _zip(f(members, rng))) for how, f in word_xml_recipes(members)]
    named += word_zip_recipes(members, data)
    rng.shuffle(named)
    chosen = named[:n - n // 4]  # a quarter random tree mutations
    mutants = []
    for k, (how, make) in enumerate(chosen):
        path = Path(out_dir) / f"w{k:03d}.docx"
        path.write_bytes(make(rng))
        mutants.append((path, how))
    for k in range(len(chosen), n):
        name = rng.choice(XML_MEMBERS + ["word/document.xml"] * 4 + ["word/numbering.xml", "word/styles.xml"])
        xml, change = _xml_tree_mutation(dict(members)[name], rng)
        path = Path(out_dir) / f"w{k:03d}.docx"
        path.write_bytes(_zip(_replace_member(members, name, xml)))
        mutants.append((path, f"{change} in {name}"))
    return mutants


# --- images -----------------------------------------------------------------------------------------------------

SCAN_DPI = 150  # the lowest resolution OCR renders at: the cheapest page to read


def scan_strip() -> tuple[bytes, bytes, int, int]:
    """A strip of the edition's first page (its title) as a grey JPEG and as raw grey pixels: (jpeg, raw, w, h)."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(str(ROOT / "raw" / f"{EDITION}.pdf"))
    image = document[0].render(scale=SCAN_DPI / 72).to_pil().convert("L")
    document.close()
    w, h = image.size
    image = image.crop((0, int(h * 0.08), w, int(h * 0.30)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    return buffer.getvalue(), image.tobytes(), image.size[0], image.size[1]


def image_pdf(out: Path, image: dict, data: bytes, extra: list[bytes] = (), page: dict | None = None,
              draw: str | None = None) -> Path:
    """One page drawing one image XObject (object 5) over the whole page; extra objects are 6, 7 …

    image and page: dictionary entries (name → PDF text) that replace or add to the defaults."""
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile

    entries = {"/Type": "/XObject", "/Subtype": "/Image", **image, "/Length": str(len(data))}
    entries = {k: v for k, v in entries.items() if v is not None}
    body = ("<< " + " ".join(f"{k} {v}" for k, v in entries.items()) + " >>").encode()
    page_entries = {"/Type": "/Page", "/Parent": "2 0 R", "/Resources": "<< /XObject << /Im0 5 0 R >> >>",
                    "/Contents": "4 0 R", **(page or {})}
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               ("<< " + " ".join(f"{k} {v}" for k, v in page_entries.items()) + " >>").encode(),
               hostile.stream(draw.encode()), body + b"\nstream\n" + data + b"\nendstream", *extra]
    return hostile.pdf_of_objects(objects, out)


def image_recipes(jpeg: bytes, raw: bytes, w: int, h: int) -> list[tuple[str, dict]]:
    """Named image PDFs: (how, image_pdf keyword arguments)."""
    import zlib

    pw, ph = round(w * 72 / SCAN_DPI, 2), round(h * 72 / SCAN_DPI, 2)
    box = f"[0 0 {pw} {ph}]"
    draw = f"q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q"
    gray = {"/Width": str(w), "/Height": str(h), "/ColorSpace": "/DeviceGray", "/BitsPerComponent": "8"}
    dct = {**gray, "/Filter": "/DCTDecode"}
    flate = {**gray, "/Filter": "/FlateDecode"}
    flate_raw = zlib.compress(raw, 6)

    def jpg(how, **image):
        return how, {"image": {**dct, **image}, "data": jpeg}

    def flt(how, data=flate_raw, **image):
        return how, {"image": {**flate, **image}, "data": data}

    def with_objects(how, image, data, *extra):
        return how, {"image": image, "data": data, "extra": list(extra)}

    def icc(n, data=b"not an ICC profile"):
        return f"<< /N {n} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    def huge_page(how, width, height, **page):
        return how, {"image": dct, "data": jpeg, "page": {"/MediaBox": f"[0 0 {width} {height}]", **page},
                     "draw": f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q"}

    bomb = deflated_run(b"\0", zlib_header=True)  # a grey image of 1 GB pixels, 1 MB compressed
    recipes = [
        jpg("the clean scan (a JPEG, DeviceGray 8 bit)"),
        flt("the clean scan (Flate, DeviceGray 8 bit)"),
        *[jpg(f"/Width {v}", **{"/Width": v}) for v in ("0", "-1", "2000000000", "100000", "1.5", "(text)")],
        *[jpg(f"/Height {v}", **{"/Height": v}) for v in ("0", "-5", "2000000000", "99999999999999999999")],
        jpg("/Width 1 /Height 2000000000", **{"/Width": "1", "/Height": "2000000000"}),
        jpg("/Width 100000 /Height 100000", **{"/Width": "100000", "/Height": "100000"}),
        flt("/Width 100000 /Height 100000 (Flate, data short)", **{"/Width": "100000", "/Height": "100000"}),
        flt("/Width 32768 /Height 32768 (Flate, 1 GB of pixels that inflate)", bomb,
            **{"/Width": "32768", "/Height": "32768"}),
        jpg("/ColorSpace /DeviceRGB", **{"/ColorSpace": "/DeviceRGB"}),
        flt("/ColorSpace /DeviceRGB (Flate: a third of the data)", **{"/ColorSpace": "/DeviceRGB"}),
        flt("/ColorSpace /DeviceCMYK (Flate)", **{"/ColorSpace": "/DeviceCMYK"}),
        jpg("/ColorSpace /DeviceCMYK", **{"/ColorSpace": "/DeviceCMYK"}),
        flt("/Indexed with a 2-colour palette for 256 values",
            **{"/ColorSpace": "[/Indexed /DeviceRGB 255 <000000ffffff>]"}),
        flt("/Indexed hival -1", **{"/ColorSpace": "[/Indexed /DeviceRGB -1 <>]"}),
        flt("/Indexed hival 100000", **{"/ColorSpace": "[/Indexed /DeviceRGB 100000 <00>]"}),
        flt("/Indexed palette a string of text", **{"/ColorSpace": "[/Indexed /DeviceRGB 255 (palette)]"}),
        flt("/Indexed base /Indexed", **{"/ColorSpace": "[/Indexed [/Indexed /DeviceGray 1 <00ff>] 1 <0001>]"}),
        with_objects("/Indexed palette a stream that refers to itself",
                     {**flate, "/ColorSpace": "[/Indexed 6 0 R 255 6 0 R]"}, flate_raw, b"[/Indexed 6 0 R 1 <00>]"),
        with_objects("/ICCBased with a garbage profile, /N 1", {**flate, "/ColorSpace": "[/ICCBased 6 0 R]"},
                     flate_raw, icc(1)),
        with_objects("/ICCBased /N 0", {**flate, "/ColorSpace": "[/ICCBased 6 0 R]"}, flate_raw, icc(0)),
        with_objects("/ICCBased /N 7", {**dct, "/ColorSpace": "[/ICCBased 6 0 R]"}, jpeg, icc(7)),
        flt("/ICCBased naming no stream", **{"/ColorSpace": "[/ICCBased 99 0 R]"}),
        flt("/ColorSpace /Foo (unknown)", **{"/ColorSpace": "/Foo"}),
        jpg("/ColorSpace missing", **{"/ColorSpace": None}),
        flt("/ColorSpace [/Lab] without its dictionary", **{"/ColorSpace": "[/Lab]"}),
        flt("/ColorSpace /Separation without a function",
            **{"/ColorSpace": "[/Separation /Ink /DeviceGray 99 0 R]"}),
        flt("/ColorSpace /Pattern", **{"/ColorSpace": "/Pattern"}),
        *[flt(f"/BitsPerComponent {v} (Flate)", **{"/BitsPerComponent": v}) for v in ("1", "2", "4", "16", "0", "3",
                                                                                       "32", "-8", "1000000")],
        *[jpg(f"/BitsPerComponent {v} (JPEG)", **{"/BitsPerComponent": v}) for v in ("1", "16", "0")],
        jpg("/Filter /FlateDecode on JPEG data", **{"/Filter": "/FlateDecode"}),
        flt("/Filter /DCTDecode on Flate data", **{"/Filter": "/DCTDecode"}),
        jpg("/Filter /JPXDecode on JPEG data", **{"/Filter": "/JPXDecode"}),
        jpg("/Filter /JBIG2Decode on JPEG data", **{"/Filter": "/JBIG2Decode"}),
        jpg("/Filter /CCITTFaxDecode /K -1 on JPEG data",
            **{"/Filter": "/CCITTFaxDecode", "/BitsPerComponent": "1",
               "/DecodeParms": f"<< /K -1 /Columns {w} /Rows {h} >>"}),
        jpg("/Filter /CCITTFaxDecode /Columns 1000000000",
            **{"/Filter": "/CCITTFaxDecode", "/BitsPerComponent": "1",
               "/DecodeParms": "<< /K 0 /Columns 1000000000 /Rows 1000000000 >>"}),
        ("/Filter [/FlateDecode /DCTDecode] (a JPEG deflated: valid)",
         {"image": {**dct, "/Filter": "[/FlateDecode /DCTDecode]"}, "data": zlib.compress(jpeg)}),
        ("/Filter [/DCTDecode /FlateDecode] (the wrong order)",
         {"image": {**dct, "/Filter": "[/DCTDecode /FlateDecode]"}, "data": zlib.compress(jpeg)}),
        jpg("/Filter [/ASCIIHexDecode /ASCII85Decode /LZWDecode /RunLengthDecode] on JPEG data",
            **{"/Filter": "[/ASCIIHexDecode /ASCII85Decode /LZWDecode /RunLengthDecode]"}),
        jpg("/Filter /NoSuchFilter", **{"/Filter": "/NoSuchFilter"}),
        jpg("/Filter /Crypt", **{"/Filter": "/Crypt"}),
        ("/Filter: 200 FlateDecodes", {"image": {**flate, "/Filter": "[" + " /FlateDecode" * 200 + "]"},
                                       "data": _deflated_times(raw, 200)}),
        *[flt(f"/Decode {v}", **{"/Decode": v}) for v in ("[1 0]", "[]", "[0 1 0 1 0 1 0 1]", "[1e30 -1e30]",
                                                         "(x)", "[0]")],
        with_objects("/SMask 1×1", {**dct, "/SMask": "6 0 R"}, jpeg,
                     b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                     b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"),
        with_objects("/SMask 100000×100000 with 1 byte", {**dct, "/SMask": "6 0 R"}, jpeg,
                     b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray "
                     b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"),
        jpg("/SMask the image itself", **{"/SMask": "5 0 R"}),
        with_objects("/SMask whose /SMask is itself", {**dct, "/SMask": "6 0 R"}, jpeg,
                     b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                     b"/BitsPerComponent 8 /SMask 6 0 R /Length 1 >>\nstream\n\x80\nendstream"),
        jpg("/SMask a number", **{"/SMask": "7"}),
        jpg("/Mask [0 255 0 255 0 255] on a grey image", **{"/Mask": "[0 255 0 255 0 255]"}),
        jpg("/ImageMask true on an 8-bit JPEG", **{"/ImageMask": "true"}),
        huge_page("page box 14400×14400 pt (the most PDF allows)", 14400, 14400),
        huge_page("page box 200000×200000 pt", 200000, 200000),
        huge_page("page box 595×10^9 pt", 595, 10 ** 9),
        huge_page("page box 14400×14400 at /UserUnit 75000", 14400, 14400, **{"/UserUnit": "75000"}),
        ("page box negative", {"image": dct, "data": jpeg, "page": {"/MediaBox": f"[0 0 -{pw} -{ph}]"}}),
        ("page box 1e308", {"image": dct, "data": jpeg, "page": {"/MediaBox": "[0 0 1e308 1e308]"},
                            "draw": "q 1e308 0 0 1e308 0 0 cm /Im0 Do Q"}),
        ("the image drawn 10,000 times", {"image": dct, "data": jpeg, "draw": (draw + " ") * 10_000}),
    ]
    for how, kwargs in recipes:
        kwargs.setdefault("page", {})
        kwargs["page"].setdefault("/MediaBox", box)
        kwargs.setdefault("draw", draw)
    return recipes


def _deflated_times(data: bytes, times: int) -> bytes:
    import zlib

    for _ in range(times):
        data = zlib.compress(data, 1)
    return data


def image_mutants(out_dir: Path, n: int, seed: int) -> list[tuple[Path, str]]:
    """The two clean scans, then n - 2 of the named recipes (seeded choice), then pairs of them."""
    rng = random.Random(seed)
    jpeg, raw, w, h = scan_strip()
    recipes = image_recipes(jpeg, raw, w, h)
    clean, rest = recipes[:2], recipes[2:]
    rng.shuffle(rest)
    families: dict[str, list] = {}  # /Width, /ColorSpace, /Filter, page …: taken in turn, so a few cover them all
    for recipe in rest:
        families.setdefault(recipe[0].split()[0], []).append(recipe)
    rest = [r for group in itertools.zip_longest(*families.values()) for r in group if r is not None]
    chosen = (clean + rest)[:n]
    while len(chosen) < n:  # more than the recipes: two image changes at once
        (a, ka), (b, kb) = rng.sample(rest, 2)
        chosen.append((f"{a} + {b}", {**ka, "image": {**ka["image"], **kb["image"]}}))
    mutants = []
    for k, (how, kwargs) in enumerate(chosen):
        path = Path(out_dir) / f"i{k:03d}.pdf"
        image_pdf(path, **kwargs)
        mutants.append((path, how))
    return mutants


# --- corrections and params.yaml --------------------------------------------------------------------------------

# 1.5 (Denmark) states 2000 万元 and the preamble 2.578 亿元 (read from the document; tests/test_corrections.py)
GOOD_CORRECTIONS = """# a person's fixes to 2021-2
- direction: "1.5"
  path: budget_cny
  was: 20000000
  value: 21000000
  reason: 预算笔误 (a budget fix)
- edition: true
  path: budget_cny
  was: 257800000
  value: 258800000
  reason: the preamble total moves with it
"""
GOOD_PARAMS = """# Editions the pipeline reproduces: id → its source in raw/
extract:
  editions:
    2021-2: raw/2021-2.pdf
"""

FLOW_BOMB = ("[&a [lol, lol, lol, lol, lol, lol, lol, lol, lol], "
             + ", ".join(f"&{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")) + "]")
YAML_BOMB = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
             + "".join(f'{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n'
                       for p, c in zip("abcdefgh", "bcdefghi")))


def yaml_recipes(good: str, list_root: bool) -> list[tuple[str, bytes]]:
    """Named mutants of a good YAML file: syntax, aliases, tags, control characters, numbers, types, encodings,
    nesting. list_root: the file is a list of entries (corrections), else a mapping (params.yaml)."""
    lines = good.splitlines(keepends=True)
    item = "- " if list_root else "extract:\n  editions:\n    "
    value_line = [i for i, ln in enumerate(lines) if ":" in ln and not ln.lstrip().startswith("#")][-1]
    key, _, _ = lines[value_line].partition(":")

    def at_value(text: str) -> str:
        return "".join(lines[:value_line] + [f"{key}: {text}\n"] + lines[value_line + 1:])

    def at_first_value(text: str) -> str:  # corrections: the first entry's value; params: the first edition's file
        first = next(i for i, ln in enumerate(lines) if ln.strip().startswith(("value:", "2021-2:")))
        name = lines[first].partition(":")[0]
        return "".join(lines[:first] + [f"{name}: {text}\n"] + lines[first + 1:])

    recipes = [
        ("a tab in the indentation", good.replace("  ", "\t", 1)),
        ("an unclosed quote", good.replace('"', "", 1) if '"' in good else good.replace(":", ': "', 1)),
        ("an unclosed flow list", at_value("[1, 2")),
        ("a line cut in half", good[:len(good) // 2]),
        ("a colon in a key", good.replace(":", "::", 1)),
        ("bad indentation", "".join(ln if i != value_line else "     " + ln for i, ln in enumerate(lines))),
        ("a document separator and a second document", good + "---\n" + good),
        ("an alias bomb (9^9 items) as the last value", at_value(FLOW_BOMB)),
        ("an alias bomb (9^9 items) as the first value", at_first_value(FLOW_BOMB)),
        ("an alias bomb in block style", (YAML_BOMB + good) if not list_root else good + "- direction: \"1.1\"\n"
         "  path: title\n  was: x\n  reason: r\n  value:\n" + "".join("    " + ln + "\n" for ln in
                                                                       YAML_BOMB.replace(": &", ":\n    - &").splitlines())),
        ("an undefined alias", at_value("*nowhere")),
        ("a recursive alias", at_value("&r [*r]")),
        ("a merge key of an alias", good + ("- &m {path: title}\n- <<: *m\n" if list_root else "other: &m {a: 1}\nmore:\n  <<: *m\n")),
        ("!!python/object/apply:os.system", at_value('!!python/object/apply:os.system ["echo pwned > /tmp/fuzz-pwned"]')),
        ("!!python/name:os.system", at_value("!!python/name:os.system")),
        ("!!python/object/new:type", at_value("!!python/object/new:type [x, [], {}]")),
        ("!!binary", at_value("!!binary aGVsbG8=")),
        ("!!set", at_value("!!set {a, b}")),
        ("!!timestamp", at_value("2021-02-30T25:61:61Z")),
        ("an unknown local tag", at_value("!foo bar")),
        ("NUL in a value", at_value('"a\\0b"')),
        ("a raw NUL byte", good.replace(":", ":\x00", 1)),
        ("ESC[31m in a value", at_value('"\\e[31mred\\e[0m"')),
        ("raw ESC and BEL bytes", good.replace(" ", " \x1b[2J\x07", 1)),
        ("a bidi override in a value", at_value('"\u202eevil"')),
        ("C1 control NEL (\\x85) raw", good.replace(" ", "\x85", 1)),
        ("a line separator U+2028", good.replace("\n", "\u2028", 1)),
        ("a number with 5,000 digits", at_value("9" * 5000)),
        ("1e309", at_value("1e309")), (".inf", at_value(".inf")), (".nan", at_value(".nan")), ("-0", at_value("-0")),
        ("0x7fffffffffffffffffff", at_value("0x7fffffffffffffffffff")), ("a base-60 number", at_value("190:20:30")),
        ("a list for a scalar", at_value("[1, 2, 3]")), ("a mapping for a scalar", at_value("{a: 1}")),
        ("null for a scalar", at_value("null")), ("true for a scalar", at_value("true")),
        ("a date for a scalar", at_value("2021-02-01")),
        ("the whole file a scalar", "just text\n"), ("the whole file a number", "42\n"),
        ("the whole file a mapping" if list_root else "the whole file a list", "a: 1\n" if list_root else "- a\n"),
        ("an empty file", ""), ("only a comment", "# nothing\n"),
        ("a list nested 10,000 deep", at_value("[" * 10_000 + "]" * 10_000)),
        ("a mapping nested 10,000 deep", at_value("{a: " * 10_000 + "1" + "}" * 10_000)),
        ("block mappings nested 2,000 deep", good + "".join("  " * i + f"k{i}:\n" for i in range(2000)) + "  " * 2000 + "v\n"),
        ("a 10 MB line", at_value('"' + "x" * 10_000_000 + '"')),
        ("a 64 KB key", at_value("x").replace(key + ":", "k" * 65_536 + ":") if list_root else good + "k" * 65_536 + ": 1\n"),
        ("duplicate keys", good + (lines[value_line] if list_root else "extract:\n  editions: {}\n")),
        ("10,000 entries" if list_root else "10,000 editions",
         good + (("- direction: \"1.1\"\n  path: title\n  was: x\n  value: y\n  reason: r\n" * 10_000) if list_root
                 else "".join(f"    e{i}: raw/e{i}.pdf\n" for i in range(10_000)))),
    ]
    encoded = [(how, text.encode("utf-8", "surrogatepass")) for how, text in recipes]
    encoded += [
        ("GBK", good.encode("gbk")), ("UTF-16 LE with BOM", good.encode("utf-16")),
        ("UTF-16 BE without BOM", good.encode("utf-16-be")), ("UTF-32", good.encode("utf-32")),
        ("UTF-8 with BOM", b"\xef\xbb\xbf" + good.encode()), ("latin-1 bytes", good.encode("utf-8").replace(
            b"#", b"# caf\xe9", 1)), ("invalid UTF-8 (\\xff\\xfe\\xc3\\x28)", good.encode() + b"# \xff\xfe\xc3\x28\n"),
        ("a lone surrogate (\\xed\\xa0\\x80)", good.encode() + b"# \xed\xa0\x80\n"),
    ]
    return encoded


def text_mutants(good: str, list_root: bool, out_dir: Path, prefix: str, n: int, seed: int) -> list[tuple[Path, str]]:
    """The good file, then n - 1 named recipes (a seeded choice, all when n allows), then random byte damage."""
    rng = random.Random(seed)
    named = yaml_recipes(good, list_root)
    rng.shuffle(named)
    chosen = [("the good file", good.encode())] + named[:max(0, n - 1)]
    while len(chosen) < n:
        data, how = mutate_bytes(good.encode(), rng)
        chosen.append((how, data))
    mutants = []
    for k, (how, data) in enumerate(chosen):
        path = Path(out_dir) / f"{prefix}{k:03d}.yaml"
        path.write_bytes(data)
        mutants.append((path, how))
    return mutants


def corrections_jobs(work: Path, n: int, seed: int) -> list[tuple[str, str, list[str], Path | None]]:
    """Each corrections mutant applied by `extract --corrections FILE`, and read by `correct` when it appends."""
    extracted = work / "extracted"
    clean = run_cli(["extract", str(ROOT / "raw" / f"{EDITION}.pdf"), "--out", str(extracted / EDITION),
                     "--ocr", "never"])
    assert clean["code"] == 0, clean
    jobs = []
    for path, how in text_mutants(GOOD_CORRECTIONS, True, work, "c", n, seed):
        jobs.append((path.name, how, ["extract", str(ROOT / "raw" / f"{EDITION}.pdf"), "--out",
                                      str(work / "out" / path.stem), "--ocr", "never", "--corrections", str(path)],
                     None))
        folder = work / "corrections" / path.stem
        folder.mkdir(parents=True)
        shutil.copy(path, folder / f"{EDITION}.yaml")
        jobs.append((path.name, how, ["correct", EDITION, "--root", str(extracted), "--corrections", str(folder),
                                      "--direction", "1.1", "--path", "max_duration_years", "--value", "4",
                                      "--reason", "fuzz"], None))
    return jobs


def params_jobs(work: Path, n: int, seed: int) -> list[tuple[str, str, list[str], Path | None]]:
    """Each params.yaml mutant read by `ingest` in a project (no .dvc/: nothing runs dvc) that holds another
    version of the file ingested: ingest reads params.yaml, then refuses (exit 14) without running the pipeline."""
    source = ROOT / "raw" / f"{EDITION}.pdf"
    jobs = []
    for path, how in text_mutants(GOOD_PARAMS, False, work, "p", n, seed):
        project = work / "projects" / path.stem
        (project / "raw").mkdir(parents=True)
        shutil.copy(ROOT / "dvc.yaml", project / "dvc.yaml")
        shutil.copy(path, project / "params.yaml")
        (project / "raw" / f"{EDITION}.pdf").write_bytes(source.read_bytes() + b"%another version\n")
        jobs.append((path.name, how, ["ingest", str(source), "--edition", EDITION, "--project", str(project),
                                      "--no-wait"], None))
    return jobs


def word_jobs(work: Path, n: int, seed: int) -> list[tuple[str, str, list[str], Path | None]]:
    twin = word_twin(work / f"{EDITION}.docx")
    clean = run_cli(["extract", str(twin), "--out", str(work / "clean"), "--ocr", "never"])
    assert clean["code"] == 0, clean
    return [(path.name, how, ["extract", str(path), "--out", str(work / "out" / path.stem), "--ocr", "never"], None)
            for path, how in word_mutants(twin, work, n, seed)]


def image_jobs(work: Path, n: int, seed: int) -> list[tuple[str, str, list[str], Path | None]]:
    return [(path.name, how, ["extract", str(path), "--out", str(work / "out" / path.stem), "--ocr", "auto"], None)
            for path, how in image_mutants(work, n, seed)]


KINDS = {"word": word_jobs, "image": image_jobs, "corrections": corrections_jobs, "params": params_jobs}


def run_kind(kind: str, n: int | None = None, seed: int = 22, workers: int = 2) -> dict:
    """Make kind's mutants, run each, and check how every run ended (and that a failed extract left nothing)."""
    n = DEFAULT_COUNTS[kind] if n is None else n
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{kind}-"))
    try:
        jobs = KINDS[kind](work, n, seed)
        rows = _run_rows(jobs, workers)
        for row, (_, _, args, _) in zip(rows, jobs):
            if args[0] == "extract" and row["code"] != 0 and row["problem"] is None:
                out = Path(args[args.index("--out") + 1])
                leftovers = [p.name for p in out.parent.glob(f".{out.name}*")] + ([out.name] if out.exists() else [])
                if leftovers:
                    row["problem"] = f"left behind {leftovers}"
            if args[0] == "correct" and row["code"] != 0 and row["problem"] is None:
                file = Path(args[args.index("--corrections") + 1]) / f"{EDITION}.yaml"
                if file.read_bytes() != (work / row["mutant"]).read_bytes():
                    row["problem"] = "refused, yet changed the corrections file"
        return {"kind": kind, "n": n, "seed": seed, "rows": rows}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def kind_summary(result: dict) -> str:
    rows = result["rows"]
    codes = exit_codes(rows)
    bad = [r for r in rows if r["problem"]]
    lines = [f"{result['kind']}: {result['n']} mutants, {len(rows)} runs (seed {result['seed']}); exit codes "
             f"{dict(sorted(codes.items(), key=str))}; {len(bad)} ended badly"]
    for r in bad:
        lines.append(f"  {r['mutant']} {r['command']} [{r['problem']}; exit {r['code']}] {r['how']}: {r['said']}")
    return "\n".join(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--memory-mb" in args:  # a diagnosis: what fails beyond what a larger limit would let through
        i = args.index("--memory-mb")
        KIND_MEMORY_MB = int(args[i + 1])
        del args[i:i + 2]
    if args and not args[0].isdigit():
        kinds = list(KINDS) if args[0] == "all" else [args[0]]
        n = int(args[1]) if len(args) > 1 else None
        seed = int(args[2]) if len(args) > 2 else 22
        for kind in kinds:
            print(kind_summary(run_kind(kind, n, seed)), flush=True)
    else:
        n = int(args[0]) if args else 100
        seed = int(args[1]) if len(args) > 1 else 11
        print(summary(run(ROOT / "raw" / "2021-2.pdf", n, seed)))
