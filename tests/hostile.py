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


# --- issue 22: corrections and values (i22e) ---

def billion_laughs(levels: int = 9) -> str:
    """A corrections file of under 1 KB whose value, built, would be 9^levels strings: each anchor a list of nine
    aliases of the one before (the "billion laughs"). The first alias is on line 4."""
    lines = ['- direction: "1.5"', "  path: title", "  was: &a0 [" + ",".join(["lol"] * 9) + "]"]
    for level in range(1, levels):
        key = "value" if level == levels - 1 else f"x{level}"
        lines.append(f"  {key}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    lines.append("  reason: laughs")
    return "\n".join(lines) + "\n"


def pdf_with_budget(out: Path, budget: str = "1000000000000000000000000000000") -> Path:
    """The 2021-2 reference text typeset again (tests/fixtures/build.py) with direction 1.1's budget, 2000 万元,
    stated as budget 万元."""
    import build

    from conftest import EDITIONS

    text = EDITIONS["2021-2"][1].read_text(encoding="utf-8")
    assert "共拟支持经费：2000 万元" in text
    return build.render(build.read_styled(text.replace("共拟支持经费：2000 万元", f"共拟支持经费：{budget} 万元", 1)),
                        Path(out))
# --- Word files (issue 22): zip surgery on a good .docx ------------------------------------------------

def _gf2_times(matrix, vector):
    out, i = 0, 0
    while vector:
        if vector & 1:
            out ^= matrix[i]
        vector, i = vector >> 1, i + 1
    return out


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from those of A and B (Python's zlib lacks it)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = [_gf2_times(odd, row) for row in odd]
    odd = [_gf2_times(even, row) for row in even]
    while True:
        even = [_gf2_times(odd, row) for row in odd]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, row) for row in even]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


CHUNK = 1 << 20


def _zeros_member(size: int) -> tuple[int, bytes]:
    """(CRC, raw deflate) of size zero bytes (a multiple of 1 MiB), without making them: the deflate of one
    megabyte after a full flush is the same bytes each time (~1 KB), and the CRC is combined by doubling."""
    assert size % CHUNK == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(CHUNK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, power_crc, power_len, count = 0, zlib.crc32(bytes(CHUNK)), CHUNK, size // CHUNK
    while count:
        if count & 1:
            crc = _crc32_combine(crc, power_crc, power_len)
        power_crc, power_len, count = _crc32_combine(power_crc, power_crc, power_len), power_len * 2, count >> 1
    return crc, block * (size // CHUNK) + compressor.flush()


def write_zip(out: Path, members: dict[str, bytes], zeros: dict[str, int] = {},
              declared: dict[str, int] = {}) -> Path:
    """A zip of members (deflated), and of members of n zero bytes made cheaply (`_zeros_member`; 4 GiB is
    4 MB on disk, in zip64). declared: a size to write in a member's headers instead of its true one (a lie)."""
    import struct

    entries = []
    for name, data in members.items():
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((name, zlib.crc32(data), compressor.compress(data) + compressor.flush(), len(data)))
    for name, size in zeros.items():
        crc, deflated = _zeros_member(size)
        entries.append((name, crc, deflated, size))
    with open(out, "wb") as fh:
        central = b""
        for name, crc, deflated, size in entries:
            size = declared.get(name, size)
            encoded, offset = name.encode(), fh.tell()
            big = size >= 0xFFFFFFFF or len(deflated) >= 0xFFFFFFFF
            extra = struct.pack("<2H2Q", 1, 16, size, len(deflated)) if big else b""
            sizes = (0xFFFFFFFF, 0xFFFFFFFF) if big else (len(deflated), size)
            version = 45 if big else 20
            fh.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", version, 0, 8, 0, 0x21, crc, *sizes, len(encoded),
                                 len(extra)) + encoded + extra)
            fh.write(deflated)
            central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", version, version, 0, 8, 0, 0x21, crc, *sizes,
                                   len(encoded), len(extra), 0, 0, 0, 0, offset) + encoded + extra
        start = fh.tell()
        fh.write(central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                                       start, 0))
    return Path(out)


def docx_rewritten(src: Path, out: Path, changes=None, zeros: dict[str, int] = {},
                   declared: dict[str, int] = {}) -> Path:
    """A copy of the Word file src: changes maps a member to its new bytes, or to a function of its bytes;
    zeros adds (or replaces) members of n zero bytes (`write_zip`)."""
    import zipfile

    with zipfile.ZipFile(src) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name not in zeros}
    for name, change in (changes or {}).items():
        members[name] = change(members.get(name, b"")) if callable(change) else change
    return write_zip(Path(out), members, zeros, declared)


def docx_style_loop(src: Path, out: Path, loop: list[str]) -> Path:
    """The body style Normal based on itself (loop ["Normal"]) or through others (["Normal", "Loop"])."""
    def edit(styles: bytes) -> bytes:
        after = loop[1:] + loop[:1]
        for style, base in zip(loop, after):
            if style == "Normal":
                styles = styles.replace(b'<w:name w:val="Normal"/>',
                                        b'<w:name w:val="Normal"/><w:basedOn w:val="%s"/>' % base.encode(), 1)
            else:
                styles = styles.replace(b"</w:styles>", b'<w:style w:type="paragraph" w:styleId="%s"><w:name '
                                        b'w:val="%s"/><w:basedOn w:val="%s"/></w:style></w:styles>'
                                        % (style.encode(), style.encode(), base.encode()))
        return styles
    return docx_rewritten(src, out, {"word/styles.xml": edit})


def docx_style_chain(src: Path, out: Path, depth: int) -> Path:
    """Normal based on S1, based on S2 … on S<depth>: a chain of depth + 1 styles."""
    def edit(styles: bytes) -> bytes:
        styles = styles.replace(b'<w:name w:val="Normal"/>', b'<w:name w:val="Normal"/><w:basedOn w:val="S1"/>', 1)
        chain = b"".join(b'<w:style w:type="paragraph" w:styleId="S%d"><w:name w:val="S%d"/>%s</w:style>'
                         % (i, i, b'<w:basedOn w:val="S%d"/>' % (i + 1) if i < depth else b"")
                         for i in range(1, depth + 1))
        return styles.replace(b"</w:styles>", chain + b"</w:styles>")
    return docx_rewritten(src, out, {"word/styles.xml": edit})


def docx_list_start(src: Path, out: Path, start: int, fmt: str | None = None, override: bool = False) -> Path:
    """Every list level of numbering.xml starting at start (in format fmt), or with override every
    "restart numbering" (w:startOverride) restarting there."""
    import re

    def edit(numbering: bytes) -> bytes:
        if override:
            return re.sub(rb'<w:startOverride w:val="\d+"/>', b'<w:startOverride w:val="%d"/>' % start, numbering)
        numbering = re.sub(rb'<w:start w:val="\d+"/>', b'<w:start w:val="%d"/>' % start, numbering)
        if fmt:
            numbering = re.sub(rb'<w:numFmt w:val="[^"]+"/>', b'<w:numFmt w:val="%s"/>' % fmt.encode(), numbering)
        return numbering
    return docx_rewritten(src, out, {"word/numbering.xml": edit})


def docx_with_entity(src: Path, out: Path, member: str = "word/document.xml", text: bytes = b"@") -> Path:
    """A DOCTYPE declaring an entity in member; in document.xml the first `text` (an e-mail's @ in a contact
    line) is written as that entity, so a reader that does not expand it drops the rest of the run."""
    def edit(data: bytes) -> bytes:
        declaration_end = data.index(b"?>") + 2
        root = data[declaration_end:].lstrip()[1:].split(None, 1)[0].decode()
        doctype = f'<!DOCTYPE {root} [<!ENTITY e "{text.decode()}">]>'.encode()
        body = data[declaration_end:]
        if member == "word/document.xml":
            body = body.replace(text, b"&e;", 1)
        return data[:declaration_end] + doctype + body
    return docx_rewritten(src, out, {member: edit})


def docx_with_big_image(src: Path, out: Path, size: int = 4 << 30) -> Path:
    """An image part the document refers to (as Word refers to a picture) that inflates to size bytes."""
    rel = (b'<Relationship Id="rIdBig" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'image" Target="media/image1.png"/></Relationships>')
    png = b'<Default Extension="png" ContentType="image/png"/></Types>'
    return docx_rewritten(src, out, {"word/_rels/document.xml.rels": lambda x: x.replace(b"</Relationships>", rel),
                                     "[Content_Types].xml": lambda x: x.replace(b"</Types>", png)},
                          zeros={"word/media/image1.png": size})
# --- issue 22: page and image pixels (i22c) ---

def huge_page_pdf(out: Path, width_pt: float = 14400, height_pt: float = 14400) -> Path:
    """A page of this size (14400 pt: the largest a PDF page may be, 200 inches) with a stroke and no text: a
    "scan" to OCR, whose render at 200 dpi would be 40000 × 40000 pixels (4.8 GB)."""
    return minimal_pdf(b"0 0 m 100 100 l S", out, mediabox=f"0 0 {width_pt:g} {height_pt:g}")


def wide_image_pdf(out: Path, width_px: int = 2_000_000_000, height_px: int = 1, page: str = "0 0 595 842") -> Path:
    """An A4 page covered by one image declared width_px × height_px (RGB, 8 bits) whose data is a few
    compressed bytes: decoding it as declared takes width × height × 3 bytes (6 GB for the default)."""
    x0, y0, x1, y1 = (float(v) for v in page.split())
    content = f"q {x1 - x0:g} 0 0 {y1 - y0:g} {x0:g} {y0:g} cm /Im1 Do Q".encode()
    image = stream(b"\x80" * 3000, f"/Type /XObject /Subtype /Image /Width {width_px} /Height {height_px} "
                                    f"/ColorSpace /DeviceRGB /BitsPerComponent 8".encode())
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [{page}] /Resources << /XObject << /Im1 5 0 R >> >> "
               f"/Contents 4 0 R >>".encode(), stream(content), image]
    return pdf_of_objects(objects, out)


def scanned_page_pdf(out: Path, dpi: int = 300, page: tuple[float, float] = (595.28, 841.89)) -> Path:
    """One page covered by a grey image of the page's size at dpi (a scan of a blank sheet: nothing to read)."""
    width_px, height_px = round(page[0] * dpi / 72), round(page[1] * dpi / 72)
    content = f"q {page[0]:g} 0 0 {page[1]:g} 0 0 cm /Im1 Do Q".encode()
    image = stream(b"\xf0" * (width_px * height_px), f"/Type /XObject /Subtype /Image /Width {width_px} "
                                                     f"/Height {height_px} /ColorSpace /DeviceGray "
                                                     f"/BitsPerComponent 8".encode())
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page[0]:g} {page[1]:g}] "
               f"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".encode(), stream(content), image]
    return pdf_of_objects(objects, out)
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


# --- issue 22: fuzz findings (i22h) ---

def docx_with_method(src: Path, out: Path, method: int) -> Path:
    """A copy of the Word file src whose every member claims compression method `method` (7: reserved, 99: AES
    encryption), in its local header and in the central directory; the bytes stay as they were."""
    import struct

    data = bytearray(Path(src).read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.find(signature)
        while at != -1:
            data[at + offset:at + offset + 2] = struct.pack("<H", method)
            at = data.find(signature, at + 4)
    Path(out).write_bytes(bytes(data))
    return Path(out)


def docx_with_zlib_member(src: Path, out: Path, member: str = "word/document.xml") -> Path:
    """A copy of src whose member is zlib-compressed with its 2-byte header and checksum, yet labelled raw deflate
    (what a ZIP member must be): the inflater meets a header it cannot read."""
    import zipfile
    import zlib

    with zipfile.ZipFile(src) as archive:
        infos = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info, data in infos:
            copy.writestr(info.filename, data)
    raw = Path(out).read_bytes()
    with zipfile.ZipFile(out) as archive:
        target = archive.getinfo(member)
    start = target.header_offset + 30 + len(target.filename.encode()) + len(target.extra)
    wrapped = zlib.compress(dict((i.filename, d) for i, d in infos)[member])[:target.compress_size]
    wrapped = wrapped.ljust(target.compress_size, b"\0")  # the same length: the archive's offsets stay true
    Path(out).write_bytes(raw[:start] + wrapped + raw[start + target.compress_size:])
    return Path(out)


def docx_with_duplicate(src: Path, out: Path, member: str = "word/styles.xml") -> Path:
    """A copy of src holding member twice, the second copy cut in half."""
    import warnings
    import zipfile

    with zipfile.ZipFile(src) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()]
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        for name, data in members:
            copy.writestr(name, data)
        copy.writestr(member, dict(members)[member][:len(dict(members)[member]) // 2])
    return Path(out)


def title_scan_pdf(out: Path, src: Path, dpi: int = 150) -> Path:
    """A scan of the title of src's first page: the strip rendered at dpi as a grey JPEG, over the whole page."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(str(src))
    image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    document.close()
    image = image.crop((0, int(image.height * 0.08), image.width, int(image.height * 0.30)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    w_pt, h_pt = round(image.width * 72 / dpi, 2), round(image.height * 72 / dpi, 2)
    jpeg = stream(buffer.getvalue(), f"/Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} "
                                     f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode".encode(), flate=False)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt:g} {h_pt:g}] "
               f"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".encode(),
               stream(f"q {w_pt:g} 0 0 {h_pt:g} 0 0 cm /Im1 Do Q".encode()), jpeg]
    return pdf_of_objects(objects, out)


def image_drawn_pdf(out: Path, times: int) -> Path:
    """One A4 page drawing one small grey image `times` times, each over the whole page (a content stream of
    ~30 bytes a placement)."""
    content = b"".join(b"q 595 0 0 842 0 0 cm /Im1 Do Q\n" for _ in range(times))
    image = stream(b"\x80" * 64, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                                 b"/BitsPerComponent 8")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> "
               b"/Contents 4 0 R >>", stream(content), image]
    return pdf_of_objects(objects, out)
