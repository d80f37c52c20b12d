"""Hostile and broken PDFs, made from a good one, for the regression and fuzz tests (issue 11).

Each function writes a new PDF and returns its path; none of them needs a network or a
font that is not installed.
"""

from __future__ import annotations

import zlib
from pathlib import Path


def _fonts(writer):
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else []):
            yield ref.get_object()


def strip_tounicode(src: Path, out: Path, font_contains: str = "") -> Path:
    """Remove the ToUnicode map of every font whose name contains font_contains (all when empty)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    for font in _fonts(writer):
        if font_contains in str(font.get("/BaseFont", "")) and "/ToUnicode" in font:
            del font[NameObject("/ToUnicode")]
    writer.write(str(out))
    return Path(out)


def set_mediabox(src: Path, out: Path, box=(0, 0, 0, 0)) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NumberObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    for page in writer.pages:
        page[NameObject("/MediaBox")] = ArrayObject([NumberObject(v) for v in box])
        for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            if name in page:
                del page[NameObject(name)]
    writer.write(str(out))
    return Path(out)


def concatenate(first: Path, second: Path, out: Path) -> Path:
    """`cat first second > out`: two whole PDF files in one."""
    Path(out).write_bytes(Path(first).read_bytes() + Path(second).read_bytes())
    return Path(out)


def minimal_pdf(content: bytes, out: Path, filter_flate: bool = True, pages: int = 1,
                mediabox: str = "0 0 595 842") -> Path:
    """A hand-written PDF whose every page has the given content stream (Helvetica), with a correct xref."""
    stream = zlib.compress(content, 9) if filter_flate else content
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [{mediabox}] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        head = f"<< /Length {len(stream)}" + (" /Filter /FlateDecode" if filter_flate else "") + " >>"
        objects.append(head.encode() + b"\nstream\n" + stream + b"\nendstream")
    out_bytes = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out_bytes))
        out_bytes += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out_bytes)
    out_bytes += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out_bytes += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out_bytes += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    Path(out).write_bytes(bytes(out_bytes))
    return Path(out)


def stream(data: bytes, entries: bytes = b"", flate: bool = True) -> bytes:
    """The body of a stream object: its dictionary (entries plus Length and Filter) and data."""
    data = zlib.compress(data, 9) if flate else data
    head = b"<< " + entries + f" /Length {len(data)}".encode() + (b" /Filter /FlateDecode" if flate else b"") + b" >>"
    return head + b"\nstream\n" + data + b"\nendstream"


def pdf_of_objects(objects: list[bytes], out: Path) -> Path:
    """A PDF of these object bodies, numbered 1, 2 … (1 is the catalog), with a correct xref."""
    out_bytes = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out_bytes))
        out_bytes += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out_bytes)
    out_bytes += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out_bytes += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out_bytes += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    Path(out).write_bytes(bytes(out_bytes))
    return Path(out)


def one_page_pdf(contents: list[bytes], out: Path, xobjects: dict[str, bytes] | None = None,
                 flate: bool = True) -> Path:
    """One A4 page drawn by several content streams (Helvetica as /F1), with Form XObjects by name."""
    xobjects = xobjects or {}
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b""]
    content_refs = []
    for data in contents:
        objects.append(stream(data, flate=flate))
        content_refs.append(f"{len(objects)} 0 R")
    xobject_refs = []
    for name, data in xobjects.items():
        objects.append(stream(data, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                    b"/Resources << /Font << /F1 3 0 R >> >>", flate=flate))
        xobject_refs.append(f"/{name} {len(objects)} 0 R")
    objects[3] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
                  f"/XObject << {' '.join(xobject_refs)} >> >> /Contents [{' '.join(content_refs)}] >>").encode()
    return pdf_of_objects(objects, out)


def flip_tounicode(src: Path, out: Path, unicode_from: str, unicode_to: str) -> Path:
    """Change one destination code point in every ToUnicode map (a few flipped bits): the page
    looks the same, the text layer says unicode_to where unicode_from is drawn."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    old, new = f"<{ord(unicode_from):04X}>".encode(), f"<{ord(unicode_to):04X}>".encode()
    done = set()
    for font in _fonts(writer):
        ref = font.get("/ToUnicode")
        if ref is None or id(ref.get_object()) in done:
            continue
        cmap = ref.get_object()
        done.add(id(cmap))
        data = cmap.get_data()
        if old in data or old.lower() in data:
            cmap.set_data(data.replace(old, new).replace(old.lower(), new))
    writer.write(str(out))
    return Path(out)


# --- issue 22: a project holding the user's own files (i22a) ----------------------------------------------

# files of the user's whose names look like a temporary (`.old-`, `.tmp-`) but that no run of ours made
USERS_FILES = {
    ".env.old-2023": "SECRET=old\n",
    ".vscode.old-settings/settings.json": '{"editor.tabSize": 4}\n',
    ".cache.tmp-notes": "mine\n",
    "raw/.notes.tmp-1": "notes on the raw files\n",
    "raw/.env.old-2023": "RAW=1\n",
    "published/.readme.old-1": "kept\n",
    "extracted/.todo.tmp-x": "kept too\n",
}

# params.yaml as a person writes it: comments, a flow list whose `NO` YAML 1.1 reads as false, 4-space indents
USERS_PARAMS = """# Editions the pipeline reproduces (maintained by hand)
extract:
    editions:
        2022-1: raw/2022-1.pdf   # the synthetic one
    # new editions go above this line
review:
    partners: [DK, NO, EU]   # YAML 1.1: NO is false; keep it NO
    strict: yes
"""


def users_project(root: Path, params: str = USERS_PARAMS) -> Path:
    """The user's own files (USERS_FILES) and params.yaml in a project root; returns root."""
    for name, text in USERS_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "params.yaml").write_text(params, encoding="utf-8")
    return Path(root)


def tree_bytes(root: Path, skip=()) -> dict[str, bytes]:
    """Every file under root (relative path → bytes), but those under a folder named in skip."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(Path(root).rglob("*"))
            if p.is_file() and not any(str(p.relative_to(root)).startswith(s) for s in skip)}


def alias_bomb(levels: int = 40) -> str:
    """A YAML 'billion laughs': each level an anchor holding nine aliases of the one before (9^levels strings)."""
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append(f"extract:\n  editions: *a{levels - 1}")
    return "\n".join(lines) + "\n"
