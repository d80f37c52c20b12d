"""Seeded mutants of a good PDF, and what the pipeline makes of each (issue 11's fuzz test).

Half the mutants change the file's bytes (flipped bits, a cut, a deleted or repeated
slice); half change the decoded content of one stream (a content stream, a font's
ToUnicode map, an object stream) and re-encode it, which is how pixel-identical but
wrongly-decoding files arise. Each mutant is extracted in its own process, with a
timeout and an address-space limit; editions that come out are put through the gate and
compared with the clean file's edition.

    python tests/fuzz.py [N] [SEED]     # prints the summary the issue asks for
"""

from __future__ import annotations

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


def summary(result: dict) -> str:
    rows = result["rows"]
    codes: dict = {}
    for r in rows:
        codes[r["code"]] = codes.get(r["code"], 0) + 1
    differ = [r for r in rows if r["code"] == 0 and not r["same_as_clean"]]
    passed = [r for r in differ if r["gate"] == "passed"]
    lines = [f"{result['n']} mutants (seed {result['seed']}); exit codes {dict(sorted(codes.items(), key=str))}",
             f"extracted with data different from the clean file: {len(differ)}; of these the gate passed "
             f"{len(passed)} and withheld {len(differ) - len(passed)}"]
    for r in differ:
        lines.append(f"  {r['mutant']} [{r['gate']}] {r['how']}: " + "; ".join(r["differences"][:3])
                     + (f" — failed: {', '.join(r['failed_checks'])}" if r["failed_checks"] else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    print(summary(run(ROOT / "raw" / "2021-2.pdf", n, seed)))
