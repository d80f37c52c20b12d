"""Reading a Word guideline (.docx; .doc and .wps through LibreOffice): its paragraphs in order,
as printed, with every way a file can be unreadable turned into a `GuidelineError`.

Word paragraph record (`WordParagraph`):

| field    | meaning                                                                         |
|----------|---------------------------------------------------------------------------------|
| index    | 0-based position among the document body's paragraphs, table cells included (provenance) |
| text     | the text as printed: the list number Word generates ((1), 1.1, 一、) and the runs |
| size     | font size in points (the run's, else the paragraph style's, else the document default) |
| style    | the paragraph style's name (Title, Heading 1, Normal …)                         |

What is read: body paragraphs and tables (row by row, a cell's paragraphs in order; a two-cell
row whose first cell is a short label reads as one "label：value" paragraph). What is not:
headers and footers (running furniture, like a PDF's), deleted revisions, hidden text, field
codes and text boxes.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorruptWordFile, EmptyFile, InputMissing, InputTooLarge, NotAWordFile, WordConversionNeeded
from ..fileio import sha256_of
from ..i18n import N_
from .pdf import DEFAULT_LIMITS, Limits

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .wps (Compound File Binary)
WORD_SUFFIXES = (".docx", ".docm", ".doc", ".wps")
CONVERT_HINT = "soffice --headless --convert-to docx FILE"

# fixed limits (no option: no genuine file comes near them). Word's own dialog stops list numbers at 32,767;
# a longer style chain than this is no hand's work, and each paragraph walks its chain
MAX_LIST_NUMBER = 10**6
MAX_STYLE_DEPTH = 64

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


@dataclass
class WordParagraph:
    index: int
    text: str
    size: float | None = None
    style: str | None = None


@dataclass
class WordDocument:
    path: str
    sha256: str
    paragraphs: list[WordParagraph] = field(default_factory=list)


def is_word_signature(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)


# --- list numbers as Word prints them -------------------------------------------------------------

CN_DIGITS = "〇一二三四五六七八九"


def _chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and not out) else CN_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
              (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = []
    for value, letters in values:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter value in one of Word's w:numFmt formats."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese_counting(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and anything unknown


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"  # what separates the number from the text: tab | space | nothing
    legal: bool = False  # w:isLgl: every level's number in decimal


class Numbering:
    """numbering.xml: w:num instances → abstract definitions, and the counters as the document runs."""

    def __init__(self, numbering_element, path: str = "the Word file"):
        self.path = path
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.num_to_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}  # numId → level → startOverride
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId → level → current value
        self.started: set[str] = set()
        if numbering_element is None:
            return
        for abstract in numbering_element.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                level = _Level()
                for tag, attr in (("start", "start"), ("numFmt", "fmt"), ("lvlText", "text"), ("suff", "suffix")):
                    el = lvl.find(f"{W}{tag}")
                    if el is not None and el.get(f"{W}val") is not None:
                        value = el.get(f"{W}val")
                        setattr(level, attr, self._number(value) if attr == "start" else value)
                level.legal = lvl.find(f"{W}isLgl") is not None
                levels[int(lvl.get(f"{W}ilvl", "0"))] = level
            self.abstract[abstract.get(f"{W}abstractNumId")] = levels
        for num in numbering_element.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            if ref is None:
                continue
            self.num_to_abstract[num_id] = ref.get(f"{W}val")
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    self.overrides.setdefault(num_id, {})[int(override.get(f"{W}ilvl", "0"))] = self._number(
                        start.get(f"{W}val"))

    def _number(self, value) -> int:
        """A list number from the file or the count; beyond MAX_LIST_NUMBER it is refused (printing
        10^15 in roman numerals never ends, 2·10^9 in letters takes gigabytes)."""
        number = int(value)
        if number > MAX_LIST_NUMBER:
            raise InputTooLarge(N_("{path}: a list number is {number}, beyond {limit} (Word stops at 32767); "
                                   "re-number the list in Word or WPS and save it again"),
                                path=self.path, number=number, limit=MAX_LIST_NUMBER)
        return number

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Advance the list's counter at ilvl; the number as printed and the separator after it."""
        abstract_id = self.num_to_abstract.get(num_id)
        levels = self.abstract.get(abstract_id) if abstract_id is not None else None
        if not levels or ilvl not in levels:
            return "", ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            # a list instance with a start override begins anew (Word's "restart numbering");
            # without one it continues the abstract list's numbering
            self.started.add(num_id)
            for level, start in self.overrides.get(num_id, {}).items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = self._number(counters.get(ilvl, level.start - 1) + 1)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts the levels below it

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            n = counters.get(k, lv.start)
            return format_number(n, "decimal" if level.legal and k < ilvl else lv.fmt)

        text = re.sub(r"%(\d)", value, level.text)
        if level.fmt == "bullet":
            text = ""  # a bullet glyph (often a private-use symbol) carries no number
        separator = {"tab": " ", "space": " ", "nothing": ""}.get(level.suffix, " ")
        return text, (separator if text else "")


# --- paragraphs ------------------------------------------------------------------------------------

class StyleChains:
    """Each paragraph style with the styles it is based on, in order (the style first), looked up by id once.

    A style based on itself, directly or through others, is a damaged file (Word never saves one) and
    is refused, as is a chain longer than MAX_STYLE_DEPTH."""

    def __init__(self, styles: dict, path: str = "the Word file"):
        self.styles, self.path = styles, path
        self.chains: dict[str, list] = {}

    def __call__(self, style) -> list:
        if style is None:
            return []
        key = style.style_id
        if key not in self.chains:
            chain, seen = [], set()
            while style is not None:
                if style.style_id in seen:
                    raise CorruptWordFile(N_("{path}: the paragraph style {style} is based on itself (through "
                                             "{chain}); re-save it from Word or WPS as .docx"),
                                          path=self.path, style=style.style_id,
                                          chain=" → ".join(s.style_id for s in chain + [style]))
                if len(chain) == MAX_STYLE_DEPTH:
                    raise InputTooLarge(N_("{path}: the paragraph style {style} is based on a chain of more than "
                                           "{limit} styles; simplify its styles in Word or WPS and save it again"),
                                        path=self.path, style=chain[0].style_id, limit=MAX_STYLE_DEPTH)
                seen.add(style.style_id)
                chain.append(style)
                based_on = style.element.basedOn_val
                style = self.styles.get(based_on) if based_on is not None else None
            self.chains[key] = chain
        return self.chains[key]


def _num_pr(p_element, chain: list):
    """(numId, ilvl) of a paragraph's list, direct or through its style chain; None when it is not numbered."""
    candidates = [p_element.pPr] + [s.element.pPr for s in chain]
    num_id = ilvl = None
    for ppr in candidates:
        if ppr is None or ppr.numPr is None:
            continue
        numpr = ppr.numPr
        if num_id is None and numpr.numId is not None:
            num_id = str(numpr.numId.val)
        if ilvl is None and numpr.ilvl is not None:
            ilvl = int(numpr.ilvl.val)
    if num_id is None or num_id == "0":  # numId 0 switches numbering off
        return None
    return num_id, ilvl or 0


def _is_hidden(run) -> bool:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return False
    vanish = rpr.find(f"{W}vanish")
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false")


def _runs_text(p_element) -> str:
    """The visible text of a paragraph: w:t of runs (hyperlinks and insertions included), tabs and breaks.

    Skipped: deleted text (w:delText is another tag), hidden runs, field codes (w:instrText),
    text boxes and the fallback copy of alternate content.
    """
    out: list[str] = []

    def walk(element, hidden: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in (f"{W}txbxContent", MC_FALLBACK, f"{W}del", f"{W}pPr", f"{W}rPr"):
                continue
            if tag == f"{W}r":
                walk(child, _is_hidden(child))
            elif tag == f"{W}t" and not hidden:
                out.append(child.text or "")
            elif tag == f"{W}tab" and not hidden:
                out.append("\t")
            elif tag in (f"{W}br", f"{W}cr") and not hidden:
                out.append("\n")
            elif tag == f"{W}noBreakHyphen" and not hidden:
                out.append("-")
            else:
                walk(child, hidden)

    walk(p_element, False)
    return "".join(out)


def _size_of(paragraph, style_size: float | None) -> float | None:
    """The size of the paragraph's first sized run, else its style's (inherited, else the document default)."""
    for run in paragraph.runs:
        if run.text.strip() and run.font.size is not None:
            return run.font.size.pt
    return style_size


def _default_size(document) -> float | None:
    styles = document.styles.element
    sz = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    return int(sz.get(f"{W}val")) / 2 if sz is not None else None


LABEL_CELL = re.compile(r"^[^\s。；;，,]{2,14}$")


def _body_blocks(document):
    """Body paragraphs and tables in document order (python-docx Paragraph / Table objects), content controls opened."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent):
        for child in parent.iterchildren():
            if child.tag == f"{W}p":
                yield Paragraph(child, document)
            elif child.tag == f"{W}tbl":
                yield Table(child, document)
            elif child.tag == f"{W}sdt":  # a content control (templates wrap whole sections in them)
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from walk(content)

    yield from walk(document.element.body)


def document_to_paragraphs(document, path: str = "the Word file", max_paragraphs: int = DEFAULT_LIMITS.max_paragraphs
                           ) -> list[WordParagraph]:
    """A python-docx Document → its paragraphs as printed, numbers generated by Word included.
    InputTooLarge past max_paragraphs (table cells' paragraphs count), a list number or a style chain too large."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.table import Table, _Cell

    try:
        numbering_element = document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # a document without lists
        numbering_element = None
    numbering = Numbering(numbering_element, path)
    default_size = _default_size(document)
    # python-docx looks a paragraph's style up by scanning every style: look each up once
    styles = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    default_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    chain_of = StyleChains(styles, path)
    sizes: dict[str | None, float | None] = {}
    out: list[WordParagraph] = []
    counter = 0

    def read(paragraph) -> WordParagraph:
        nonlocal counter
        if counter == max_paragraphs:
            raise InputTooLarge(N_("{path}: more than {limit} paragraphs (limit max_paragraphs); if the file is "
                                   "genuine, raise the limit with --max-paragraphs"), path=path, limit=max_paragraphs)
        index = counter
        counter += 1
        text = _runs_text(paragraph._p)
        ppr = paragraph._p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        style = styles.get(style_id, default_style)
        chain = chain_of(style)
        num = _num_pr(paragraph._p, chain)
        if num is not None and text.strip():
            label, separator = numbering.label(*num)
            text = label + separator + text.lstrip()
        if style_id not in sizes:
            sizes[style_id] = next((s.font.size.pt for s in chain if s.font.size is not None),
                                   default_size)
        return WordParagraph(index, text, _size_of(paragraph, sizes[style_id]), style.name if style else None)

    for block in _body_blocks(document):
        if not isinstance(block, Table):
            out.append(read(block))
            continue
        for row in block._tbl.tr_lst:
            cells = []
            for tc in row.tc_lst:
                if tc.vMerge == "continue":
                    continue  # the lower part of a vertically merged cell: already read above
                cell = _Cell(tc, block)
                cells.append([read(p) for p in cell.paragraphs])
            cells = [[p for p in c if p.text.strip()] for c in cells]
            cells = [c for c in cells if c]
            if len(cells) == 2 and len(cells[0]) == 1 and LABEL_CELL.match(cells[0][0].text.strip().rstrip("：:")):
                label, values = cells[0][0], cells[1]
                out.append(WordParagraph(label.index, label.text.strip().rstrip("：:") + "：" + values[0].text.strip(),
                                         values[0].size, values[0].style))
                out.extend(values[1:])
            else:
                out.extend(p for c in cells for p in c)
    return out


# --- files -----------------------------------------------------------------------------------------

def check_word_file(path: Path) -> bytes:
    """Refuse what is plainly not a Word file; return its first bytes."""
    if not path.exists():
        raise InputMissing(f"{path}: no such file; give the path of a guideline PDF or Word file")
    if not path.is_file():
        raise InputMissing(f"{path}: is a directory, not a file; give the path of a guideline PDF or Word file")
    if path.stat().st_size == 0:
        raise EmptyFile(f"{path}: the file is empty; download the guideline again")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not is_word_signature(head):
        raise NotAWordFile(f"{path}: not a Word document (no .docx or .doc signature; a renamed file?); "
                           "open it and save it as .docx or PDF")
    return head


def convert_to_docx(path: Path, out_dir: Path) -> Path:
    """A .doc or .wps file → .docx with LibreOffice (headless) in out_dir."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise WordConversionNeeded(f"{path}: a .doc/.wps file needs converting and LibreOffice is not installed; "
                                   f"run `{CONVERT_HINT.replace('FILE', str(path))}` and extract the .docx")
    result = subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", str(out_dir), str(path)],
                            capture_output=True, text=True, timeout=300)
    converted = out_dir / (path.stem + ".docx")
    if result.returncode != 0 or not converted.is_file():
        raise CorruptWordFile(f"{path}: LibreOffice could not convert it to .docx; open it in Word or WPS and "
                              "save it as .docx")
    return converted


class _Doctype(Exception):
    pass


class _PrologEnd(Exception):
    pass


def declares_doctype(data: bytes) -> bool:
    """Whether an XML part declares a DOCTYPE (read up to its first element only, in any encoding)."""
    def doctype(*_):
        raise _Doctype

    def element(*_):
        raise _PrologEnd

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler, parser.StartElementHandler = doctype, element
    try:
        parser.Parse(data, True)
    except _Doctype:
        return True
    except (_PrologEnd, xml.parsers.expat.ExpatError, LookupError):  # malformed XML (or an unknown encoding) is
        # python-docx's to refuse
        pass
    return False


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int, path: Path) -> bytes:
    """A member inflated a megabyte at a time, counted as it comes (the size its header declares may lie)."""
    chunks, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(1 << 20):
            size += len(chunk)
            if size > max_bytes:
                raise InputTooLarge(N_("{path}: the part {member} inflates to more than {limit:g} MB (limit "
                                       "max_stream_mb); if the file is genuine, raise the limit with --max-stream-mb"),
                                    path=path, member=info.filename, limit=max_bytes / 2**20)
            chunks.append(chunk)
    data = b"".join(chunks)
    if declares_doctype(data):
        raise CorruptWordFile(N_("{path}: the part {member} declares a DOCTYPE, which Word never writes (its "
                                 "entities could hide text); re-save it from Word or WPS as .docx"),
                              path=path, member=info.filename)
    return data


def _xml_members(archive: zipfile.ZipFile, max_bytes: int, path: Path) -> set[str]:
    """The members python-docx parses as XML: those whose content type ([Content_Types].xml) is XML, and the
    relationship files."""
    from lxml import etree

    types = etree.fromstring(_inflate(archive, archive.getinfo("[Content_Types].xml"), max_bytes, path))
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    by_extension = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in types.iter(f"{ns}Default")}
    by_name = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in types.iter(f"{ns}Override")}
    names = set()
    for name in archive.namelist():
        content_type = by_name.get(name, by_extension.get(name.rpartition(".")[2].lower(), ""))
        if content_type.endswith("xml") or name.endswith(".rels"):
            names.add(name)
    return names


def bounded_package(archive: zipfile.ZipFile, max_bytes: int, path: Path) -> io.BytesIO:
    """A copy of the package for python-docx, which inflates every part it meets without a bound: each XML
    part inflated within max_bytes and refused if it declares a DOCTYPE; the other parts (images, embedded
    files, fonts), which are never read, left empty and never inflated."""
    names = [info.filename for info in archive.infolist()]
    twice = next((name for name in names if names.count(name) > 1), None) if len(set(names)) < len(names) else None
    if twice is not None:  # which copy a reader takes is its own choice: Word refuses such a file
        raise CorruptWordFile(N_("{path}: the part {member} appears twice in the Word file; re-save it from Word "
                                 "or WPS as .docx"), path=path, member=twice)
    xml_members = _xml_members(archive, max_bytes, path) | {"[Content_Types].xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            if not info.is_dir():
                copy.writestr(info.filename, _inflate(archive, info, max_bytes, path)
                              if info.filename in xml_members else b"")
    out.seek(0)
    return out


def read_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> WordDocument:
    """Open a Word file (.docx directly; .doc and .wps converted by LibreOffice) and return its paragraphs.

    Within limits: each XML part inflates to at most max_stream_mb (the rest is never inflated), at most
    max_paragraphs paragraphs; list numbers and style chains within MAX_LIST_NUMBER and MAX_STYLE_DEPTH."""
    import docx

    path = Path(path)
    head = check_word_file(path)
    with tempfile.TemporaryDirectory(prefix="guidelines-docx-") as tmp:
        source = convert_to_docx(path, Path(tmp)) if head.startswith(OLE_MAGIC) else path
        try:
            with zipfile.ZipFile(source) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise NotAWordFile(f"{path}: a ZIP archive but not a Word document (no word/document.xml); "
                                       "give the guideline's .docx or PDF")
                package = bounded_package(archive, int(limits.max_stream_mb * 2**20), path)
        except zipfile.BadZipFile as exc:
            if "CRC" in str(exc):
                raise CorruptWordFile(f"{path}: the Word file is damaged (a part fails its checksum); "
                                      "download it again or re-save it from Word or WPS") from None
            raise CorruptWordFile(f"{path}: the Word file is truncated or damaged ({type(exc).__name__}); "
                                  "download it again or re-save it from Word or WPS") from None
        except (OSError, EOFError, ValueError, KeyError, NotImplementedError, SyntaxError, zlib.error) as exc:
            # KeyError: no [Content_Types].xml; NotImplementedError: a compression zipfile lacks;
            # SyntaxError: lxml's XMLSyntaxError in [Content_Types].xml
            raise CorruptWordFile(f"{path}: the Word file is truncated or damaged ({type(exc).__name__}); "
                                  "download it again or re-save it from Word or WPS") from None
        try:
            document = docx.Document(package)
            paragraphs = document_to_paragraphs(document, str(path), limits.max_paragraphs)
        except (InputTooLarge, CorruptWordFile):
            raise
        except MemoryError:
            raise InputTooLarge(N_("{path}: the Word file is too large to read within memory; lower "
                                   "--max-stream-mb, or re-save it from Word or WPS"), path=path) from None
        except Exception as exc:  # python-docx and lxml raise many types for damaged parts
            raise CorruptWordFile(f"{path}: the Word file cannot be read ({type(exc).__name__}); "
                                  "re-save it from Word or WPS as .docx") from None
    return WordDocument(str(path), sha256_of(path), paragraphs)
