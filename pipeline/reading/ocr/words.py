"""Words in the alphabetic scripts (names above all): a second reading, and doubt where none agrees.

The PP-OCR recogniser's dictionary lacks most letters partners write with (PP-OCRv4: ø å æ
š č ć ž đ ő ű ł ñ ç ß, Vietnamese tones, Cyrillic, accented Greek; PP-OCRv5 still lacks Ø Æ
Đ Ć ő ű Ñ), and where it cannot print a letter it prints another, surely (`Østergaard` →
`Ostergaard`, `Анна` → `AHHa`). So every run of letters in an alphabetic script that is not
part of an address is read a second time by Tesseract's script models (Latin; Cyrillic and
Greek too where the first reading looks like their look-alikes), from crops of the same page
images, all of a document's runs in one call per script (loading a model takes a second), each crop a
page of its own (Tesseract sets its threshold and line height per page). E-mail addresses are read in
the same call and settled by `addresses.py` (two readings and the rest of the document).

The second reading replaces the first only where both spell the same word once accents, case
and look-alikes are set aside (`skeleton`) and Tesseract is sure of it (`reconcile`). A word
no reading confirms keeps the first reading, its letters' confidence lowered to `WORD_DOUBT`,
so the value it ends up in is a needs-review warning that names the word. (Without Tesseract,
only words that may hold a letter the dictionary lacks, or read with doubt, are lowered.)
A letter is never silently swapped for another.

The word image is the third witness (`marks.py`): a word both readings spell alike is doubted
where the image holds ink its plain letters lack (an accent, ring, slash or cedilla neither
printed), an unsure second reading (from `INKED_UNSURE`) is taken, doubted, where it prints exactly
those marks (a half-sure one, from `SECOND_UNSURE`, wherever it differs by marks alone: `_marks_only`),
and a word space the image shows is put back, the words beside it doubted. In either script,
Tesseract's words centred outside the run's letters (`run_core`) are another line's and go. A sure
Cyrillic or Greek reading replaces Latin look-alikes too far from it for `skeleton` (`sure_foreign`).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import unicodedata
from difflib import SequenceMatcher

import regex

from .addresses import addresses_to_check, document_pieces, settle, wrapped_address_tail
from .lines import Change, OcrLine, Span, page_slope, realign, text_height
from .marks import lost_spaces, unexplained_ink

WORD_DOUBT = 0.5  # the confidence a word gets when no second reading confirms it and it may be wrong
DOUBTED = 0.8  # a letter read with less confidence than this, and not confirmed, makes its word doubtful
SURE = 0.95  # a first reading this sure of every letter, in ASCII, needs no second reading
SECOND_SURE = 90  # Tesseract's word confidence (0–100) for its reading to be taken whole
SECOND_UNSURE = 60  # below this its reading says nothing; between, only its letters the first could not print
INKED_UNSURE = 40  # … unless the image shows the marks it prints (`_marked_reading`: taken, doubted)
TESSERACT_TIMEOUT = 120  # seconds for one sheet of a document's words
AGREE = 0.8  # how alike the two readings' skeletons must be (difflib ratio)
ELSEWHERE = 0.6  # a second-reading word whose skeleton runs on in the first's for less than this is another line's
WHOLE_LENGTH = (0.85, 1.2)  # a run read whole (other word counts) must keep about as many letters: no word lost
# a run of letters in an alphabetic script, with the marks names hold inside (Jean-Luc, O'Neill)
# (a digit inside is a misread letter: `BoJK0Ba`)
RUN = regex.compile(r"[\p{Latin}\p{Greek}\p{Cyrillic}](?:[\p{Latin}\p{Greek}\p{Cyrillic}\p{M}0-9'’\-]"
                    r"|\s(?=[\p{Latin}\p{Greek}\p{Cyrillic}]))*[\p{Latin}\p{Greek}\p{Cyrillic}\p{M}]")
# what an address is written with (not `;` or `,`: `…@innofond.dk;Mette` is an address and a name)
TOKEN_CHAR = regex.compile(r"[\x21-\x7e\p{Latin}\p{Greek}\p{Cyrillic}\p{M}--[;,]]", regex.V1)
# letters of Cyrillic and Greek that an ASCII-only reading gives as Latin look-alikes
LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "л": "ji", "и": "n", "п": "n", "г": "r", "з": "3", "ь": "b", "я": "r", "д": "a",
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ς": "c", "σ": "o", "λ": "a", "π": "n", "δ": "d", "μ": "u", "ψ": "y", "φ": "o",
    "0": "o", "1": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "ı": "i",
})


def skeleton(word: str) -> str:
    """A word without accents, case or script: what the two readings must share."""
    base = "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))
    return base.translate(LOOK_ALIKES).replace(" ", "").replace("-", "").replace("'", "").replace("’", "")


def looks_foreign(word: str) -> bool:
    """A first reading that may be Cyrillic or Greek read as Latin look-alikes (`AHHa`, `BoJIKOBa`,
    `TtpyocTIα`): Greek or Cyrillic letters in it, or a capital or digit after a small letter."""
    if regex.search(r"[\p{Greek}\p{Cyrillic}]", word):
        return True
    for piece in word.split():
        if any(a.islower() and (b.isupper() or b.isdigit()) for a, b in zip(piece, piece[1:])):
            return True
        # capitals inside a word with small letters, all Cyrillic look-alikes (АННа read as AHHa)
        if any(c.islower() for c in piece) and any(c.isupper() for c in piece[1:]) \
                and all(c in CYRILLIC_LOOK_ALIKES for c in piece):
            return True
    return False


CYRILLIC_LOOK_ALIKES = set("ABEHKMOPCTXaceopxyJI03")


Run = Span  # a run of letters to read again


def in_address(text: str, start: int, end: int) -> bool:
    """text[start:end] is part of an e-mail, URL, file or host name (its token holds @, /, _ or a dot between
    letters), or of the rest of one wrapped onto this line (`research_and_innovation_0.pdf`)."""
    while start > 0 and TOKEN_CHAR.match(text[start - 1]):
        start -= 1
    while end < len(text) and TOKEN_CHAR.match(text[end]):
        end += 1
    token = text[start:end].rstrip(".,;:)")
    # a dot between letters is a host name's (`bmbwf.gv.at`), not a title's before a name (`Dr.Katarina`, `Ing.Jiří`)
    return "@" in token or "/" in token or "_" in token or bool(regex.search(r"\w\.(?!\p{Lu}\p{Ll})\w", token))


def runs_to_check(lines: list[OcrLine]) -> list[Run]:
    """The runs of letters worth a second reading: not part of an address (nor of the rest of one wrapped
    onto the line), and either holding a letter beyond ASCII, a letter read with doubt, a look-alike
    pattern, or a small letter (a name; an acronym such as JICA is read surely)."""
    out = []
    for k, line in enumerate(lines):
        for m in RUN.finditer(line.text, wrapped_address_tail(lines, k)):
            start, end = m.span()
            if end - start < 2 or in_address(line.text, start, end):
                continue
            word = m.group(0)
            sure = min(line.confidences[start:end]) >= SURE
            if word.isascii() and sure and not looks_foreign(word) and not any(c.islower() for c in word):
                continue
            out.append(Run(k, start, end, word))
    return out


def run_box(line: OcrLine, run: Run, scale: float) -> tuple[int, int, int, int]:
    """The run's box in image pixels (x0, top, x1, bottom), with half a line height to either side."""
    height = line.bottom - line.top
    pad = height * 0.35
    x0 = max(line.x0, line.centers[run.start] - pad)
    x1 = min(line.x1 + pad, line.centers[run.end - 1] + pad)
    # a fifth of the line height above and below: the detector's box can clip the ring of Å or the caron of Š
    top, bottom = line.top - height * 0.2, line.bottom + height * 0.2
    return int(x0 * scale), int(top * scale), int(x1 * scale) + 1, int(bottom * scale) + 1


def run_core(line: OcrLine, run: Run, scale: float, slope: float, origin: tuple[int, int]) -> tuple[float, ...]:
    """Where the run's letters are in its crop (pixels: x0, top, x1, bottom): from its first letter's centre to
    its last's, a quarter of the text's height beyond, and the text's own band of the line's box (on a tilted
    page, slope as `lines.page_slope`, a long line's box is much taller than its text). A word Tesseract reads
    with its centre outside is another line's end caught in the crop, or a piece of the Han character beside
    the run (`113`, `σων`, `аш` around `Ярослава Ковальчук`)."""
    height = line.bottom - line.top
    x_first, x_last = line.centers[run.start], line.centers[run.end - 1]
    top, bottom = line.top, line.bottom
    if slope:
        height = text_height(line, slope)
        middle_x, middle_y = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
        ends = [middle_y + slope * (x - middle_x) for x in (x_first, x_last)]
        top, bottom = max(top, min(ends) - height / 2), min(bottom, max(ends) + height / 2)
    x0, x1 = x_first - height / 4, x_last + height / 4
    return (x0 * scale - origin[0], top * scale - origin[1], x1 * scale - origin[0], bottom * scale - origin[1])


def in_core(words: list[tuple], core: tuple[float, ...]) -> list[tuple[str, float]]:
    """The words (text, confidence, centre) whose centre is in the run's core (`run_core`)."""
    x0, top, x1, bottom = core
    return [(w, c) for w, c, (x, y) in words if x0 <= x <= x1 and top <= y <= bottom]


class TesseractWords:
    """Tesseract's script models (Debian `tesseract-ocr-script-latn`, `-cyrl`, `-grek`) on crops of a page."""

    SCRIPTS = {"latin": "Latin", "foreign": "Cyrillic+Greek"}

    def __init__(self):
        self.available = None
        self.waiting: dict[str, subprocess.Popen] = {}  # script → Tesseract started early, its model loaded

    @property
    def name(self) -> str:
        return f"words in alphabetic scripts read again by Tesseract {self.version()}"

    @staticmethod
    def version() -> str:
        """Tesseract's version as pytesseract.get_tesseract_version gives it (`5.3.0`)."""
        import string

        from packaging.version import parse

        said = subprocess.run(["tesseract", "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, timeout=30).stdout.decode("utf-8")
        return str(parse(said.lstrip(string.printable[10:]).partition(" ")[0].partition("-")[0]))

    def load(self) -> bool:
        if self.available is None:
            have: set[str] = set()
            try:
                if shutil.which("tesseract"):
                    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                            timeout=30).stdout
                    have = set(listed.split()[1:])
            except (OSError, subprocess.SubprocessError):
                pass
            self.available = {"Latin", "Cyrillic", "Greek"} <= have
        return self.available

    @staticmethod
    def columns(tsv: str) -> dict[str, list]:
        """Tesseract's TSV → column → values, numbers as ints and the last column (the text) as written: what
        pytesseract's image_to_data makes of it (its file_to_dict)."""
        rows = [row.split("\t") for row in tsv.strip().split("\n")]
        if len(rows) < 2:
            return {}
        header = rows.pop(0)
        if len(rows[-1]) < len(header):  # the last word's empty text, stripped with the line's end
            rows[-1].append("")

        def number(cell: str):
            try:
                return int(float(cell))
            except ValueError:
                return cell

        return {head: [row[i] if i == len(header) - 1 else number(row[i]) for row in rows if len(row) > i]
                for i, head in enumerate(header)}

    def start(self, script: str) -> None:
        """Start Tesseract for a script now, to read its sheet later (`read`): it loads its model (most of
        its time on a sheet) before it reads its input, so the loading runs beside the engine's loading and
        the first page's detection, when a core is free."""
        if script not in self.waiting and shutil.which("tesseract"):
            try:
                self.waiting[script] = self._tesseract(script)
            except OSError:
                pass

    def close(self) -> None:
        """End the Tesseracts started and never given a sheet."""
        for proc in self.waiting.values():
            proc.kill()
            proc.communicate()
        self.waiting.clear()

    def _tesseract(self, script: str) -> subprocess.Popen:
        """Tesseract reading an image from stdin, writing its words as TSV to stdout: what
        pytesseract.image_to_data(…, config="--psm 6") runs, with stdin and stdout instead of files."""
        # one thread: Tesseract's OpenMP threads spin, costing more CPU than they save on one small sheet
        return subprocess.Popen(["tesseract", "stdin", "stdout", "-l", self.SCRIPTS[script],
                                 "-c", "tessedit_create_tsv=1", "--psm", "6"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env={**os.environ, "OMP_THREAD_LIMIT": "1"})

    @staticmethod
    def tiff(pages: list) -> bytes:
        """Grey images as the pages of one uncompressed multi-page TIFF: what Tesseract reads from stdin."""
        import io

        from PIL import Image

        images = [Image.fromarray(page) for page in pages]
        out = io.BytesIO()
        images[0].save(out, format="TIFF", save_all=True, append_images=images[1:])
        return out.getvalue()

    def data(self, pages: list, script: str) -> dict | None:
        """Tesseract's words on grey images, each a page of one TIFF, as pytesseract.image_to_data(that TIFF's
        path, output_type=DICT) gives them (`page_num` says whose), from the Tesseract started for the script or
        a new one; None when Tesseract fails or takes longer than TESSERACT_TIMEOUT. (pytesseract itself is not
        imported: it imports pandas, 76 MB and 0.25 s; tests/test_ocr_parallel.py checks that both give the
        same.)"""
        try:
            proc = self.waiting.pop(script, None) or self._tesseract(script)
        except OSError:
            return None
        try:
            tsv, _ = proc.communicate(self.tiff(pages), timeout=TESSERACT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None
        if proc.returncode:
            return None
        return self.columns(tsv.decode("utf-8"))

    def read(self, crops: list, script: str) -> list[list[tuple]]:
        """Each crop's words with Tesseract's confidence and the word's centre (x, y) in its crop's pixels: one
        call, each crop a page of its own, its paper around it as wide as it is tall.

        A page each, not one sheet of all the crops stacked: Tesseract sets its threshold and finds its lines
        and their height page by page, so a crop under a red seal or a greyer JPEG block does not set them for
        the others. Measured on six scans' 272 runs (the Latin model): 332 words confirmed as written and 140
        left doubted, against 297 and 160 from one sheet, in about the same time (11–15 s against 11 s)."""
        import numpy as np

        if not crops:
            return []
        pages, margins = [], []
        for crop in crops:
            gray = crop.mean(axis=2).astype(np.uint8) if crop.ndim == 3 else crop
            margin = gray.shape[0]
            # around it, its own paper (its median grey): a grey crop (under a seal) on white is read as a picture
            page = np.full((gray.shape[0] + 2 * margin, gray.shape[1] + 2 * margin), int(np.median(gray)),
                           dtype=np.uint8)
            page[margin:margin + gray.shape[0], margin:margin + gray.shape[1]] = gray
            pages.append(page)
            margins.append(margin)
        data = self.data(pages, script)
        if data is None:  # no second reading: the words stay doubted
            return [[] for _ in crops]
        rows: list[list] = [[] for _ in crops]
        for number, text, conf, top, height, left, wide in zip(data["page_num"], data["text"], data["conf"],
                                                               data["top"], data["height"], data["left"],
                                                               data["width"]):
            if not text.strip() or not 1 <= number <= len(crops):
                continue
            margin = margins[number - 1]
            rows[number - 1].append((left, text, float(conf), (left - margin + wide / 2,
                                                               top + height / 2 - margin)))
        return [[(t, c, xy) for _, t, c, xy in sorted(row)] for row in rows]


def _clean(words: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Tesseract's words without the specks and the punctuation the crop caught (`Weiß,` → `Weiß`)."""
    out = []
    for word, conf in words:
        word = regex.sub(r"^[^\p{L}]+|[^\p{L}\p{M}\-]+$", "", word)  # a hyphen may join the next word
        if regex.search(r"\p{L}", word):
            out.append((word, conf))
    if out and out[-1][0].endswith("-"):
        out[-1] = (out[-1][0].rstrip("-"), out[-1][1])
    return out


def _not_from_elsewhere(words: list[tuple[str, float]], first: str) -> list[tuple[str, float]]:
    """Tesseract's words without those that are not in the run at all: a crop taller than its line (tight line
    spacing) shows the lines above and below, read as `IUS`, `JOGE`, `ama` beside `Zsófia KOVÁCS`. A word
    stays when most of its letters (their skeleton) run on in the first reading's; a one-letter word goes."""
    ours = skeleton(first)
    pieces = [skeleton(piece) for piece in first.split()]
    kept = []
    for word, confidence in words:
        theirs = skeleton(word)
        if len(theirs) < 2:
            continue
        run = SequenceMatcher(None, theirs, ours, autojunk=False).find_longest_match(0, len(theirs), 0, len(ours))
        like_one = any(SequenceMatcher(None, theirs, piece, autojunk=False).ratio() >= ELSEWHERE for piece in pieces)
        if run.size >= ELSEWHERE * len(theirs) or like_one:  # `Jiří` for `Jii`: like the word, if not in the run
            kept.append((word, confidence))
    return kept


def _word_verdict(first: str, second: str, sure: float, dictionary: frozenset[str] | None,
                  confidences: list[float] | None = None) -> str | None:
    """The word to keep when Tesseract's reading of it may replace the first: its own when sure,
    and when half sure, only if it differs from the first in letters the first could not print,
    where the first was itself unsure (a speck read as a dot above `research` is no `ċ`).
    The second reading's letters take the first's case (`KOVACS`, `kovács` → `KOVÁCS`)."""
    if SequenceMatcher(None, skeleton(first), skeleton(second), autojunk=False).ratio() < AGREE:
        return None
    second = _in_case_of(first, second)
    dropped = [(i1, i2) for op, i1, i2, _, _ in SequenceMatcher(None, first, second, autojunk=False).get_opcodes()
               if op == "delete"]
    # a doubled letter the second reading has once (`IIASA` read `IASA` at 93): the strokes' count is as
    # unsure in either reading, and the second is there for the marks, not to count letters: refused
    if any(all(c in (first[i1 - 1:i1] + first[i2:i2 + 1]) for c in first[i1:i2]) for i1, i2 in dropped):
        return None
    # a piece of the word lost (`KjerSorensen` read `Sørensen`: a glued name dropped): marks add no letters and
    # take away none but a stroke read as one; two or more letters in a row gone are a word the second missed
    if any(sum(c.isalpha() for c in first[i1:i2]) >= 2 for i1, i2 in dropped):
        return None
    if sure >= SECOND_SURE:
        # but never a letter the first read surely dropped (`Nkosi` read `kosi` at 92: a lost glyph, no accent)
        if confidences is not None and any(min(confidences[i1:i2]) >= SURE for i1, i2 in dropped):
            return None
        return second
    if sure < SECOND_UNSURE:
        return None
    for op, i1, i2, j1, j2 in SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if any(dictionary is None or ch in dictionary for ch in second[j1:j2]):
            return None
        if confidences is not None and (i1 == i2 or min(confidences[i1:i2]) >= SURE):
            return None
    return second


def _marked_reading(first: str, second: str, sure: float, marked: frozenset[int]) -> str | None:
    """An unsure second reading (INKED_UNSURE and up) that differs from the first only by marks on the same
    letters, each where the image holds ink the first's letter lacks (marked: `marks.unexplained_ink`):
    `Simic` with a caron over its S and an acute over its c, read `Šimić` at 81, is `Šimić`. Two signals
    agree, but the mark's kind may still be wrong (ö for ő): the word stays doubted."""
    if sure < INKED_UNSURE or len(first) != len(second):
        return None
    second = _in_case_of(first, second)
    differ = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
    if not differ or not set(differ) <= marked:
        return None
    return second if all(skeleton(first[i]) == skeleton(second[i]) for i in differ) else None


# words of a contact line that are no name: a half-sure reading's marks on them are specks (`Ẹ-mail` at 86)
NOT_A_NAME = regex.compile(r"e-?mail|mail|tel|fax|url|dr|prof|mr|mrs|ms", regex.I)
# a dot above or below, or two (a diaeresis), is what specks make (`rẹsearċh`, `Tän`): the image must say
SPECK_MARKS = {"\u0307", "\u0323", "\u0308"}


def _marks_only(first: str, second: str, sure: float) -> str | None:
    """A half-sure second reading (SECOND_UNSURE up to SECOND_SURE) that differs from the first only by marks on
    the same plain letters (`Lefevre` read `Lefèvre` at 67, `Aberg` `Åberg` at 76): taken, the word doubted.
    Measured on eight scans of the large editions (three profiles, 150–300 dpi): of 36 such readings the marks
    were right in 29 and wrong in one (`Tan` read `Tän`), the rest neither (another mark: `Ödön` for `Ődön`,
    `Nguyên` for `Nguyễn`); the first reading, which prints plain letters where blur took the marks, was right
    in that one. Doubted either way: the value is a needs-review warning, only more often right. Dots above or below (ä ö ü ċ ẹ: the shape specks make; `Tän` was a speck's
    doing) are left to the image (`_marked_reading`)."""
    if not SECOND_UNSURE <= sure < SECOND_SURE or len(first) != len(second) or NOT_A_NAME.fullmatch(first):
        return None
    second = _in_case_of(first, second)
    differ = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
    if not differ or not all(first[i].isascii() and first[i].isalpha() and not unicodedata.combining(second[i])
                             and _bases(second[i]) == first[i].lower()
                             and not SPECK_MARKS & set(unicodedata.normalize("NFD", second[i])) for i in differ):
        return None
    return second


def _in_case_of(first: str, second: str) -> str:
    """second in the first's case where Tesseract lost it (it reads a capitalised surname `kovács`): a second
    reading with capitals keeps its own case; one all in small letters takes the first's, letter by letter
    (the same base letter, the same place), or all capitals when the first is mostly capitals (`KOVAcS`)."""
    if any(c.isupper() for c in second) or not any(c.isupper() for c in first):
        return second
    letters = [c for c in first if c.isalpha()]
    if sum(c.isupper() for c in letters) >= 0.7 * len(letters):
        return second.upper()
    out = list(second)
    for a, b, size in SequenceMatcher(None, _bases(first), _bases(second), autojunk=False).get_matching_blocks():
        for k in range(size):
            if first[a + k].isupper() and out[b + k].islower():
                out[b + k] = out[b + k].upper()
            elif first[a + k].islower() and out[b + k].isupper():
                out[b + k] = out[b + k].lower()
    return "".join(out)


def _bases(word: str) -> str:
    """One base letter per letter, in small letters (ß stays one: casefold would make it two), so offsets carry
    over between a word and its base."""
    return "".join(unicodedata.normalize("NFKD", c)[0].lower()[0] for c in word)


def _split_like(text: str, words: list[str]) -> list[str]:
    """text cut into as many pieces as words, at the places the words' boundaries fall on it."""
    joined = "".join(words)
    blocks = SequenceMatcher(None, _bases(text), _bases(joined), autojunk=False).get_matching_blocks()
    cuts, at = [], 0
    for word in words[:-1]:
        at += len(word)
        # the place in text that matches the boundary at `at` in joined
        for a, b, size in blocks:
            if b <= at <= b + size:
                cuts.append(a + at - b)
                break
        else:
            return [text]
    pieces = [text[i:j] for i, j in zip([0] + cuts, cuts + [len(text)])]
    return pieces if all(pieces) else [text]


def reconcile(first: str, words: list[tuple[str, float]], dictionary: frozenset[str] | None,
              confidences: list[float] | None = None, marked: frozenset[int] = frozenset()):
    """The run's text after the second reading, and the spans (in that text) no reading confirms.
    confidences: the first reading's, per character of first; marked: the first's characters whose
    image holds a mark they lack (`marks.unexplained_ink`).

    Word by word when both readings have as many words; else the run as a whole, as sure as its
    least sure word, when it keeps about as many letters; else each word the second read to the word it
    spells (`_word_for_word`), the others unconfirmed. A run whose second reading spells other words keeps
    the first, unconfirmed."""
    words = _not_from_elsewhere(_clean(words), first)
    if not words:
        return first, [(0, len(first))]
    ours = first.split(" ")
    split_inside: set[int] = set()  # ours' words the second reading put a space inside
    if len(ours) < len(words):
        # the first reading glued two names (`JurgenWeis`: a capital after a small letter): split it where
        # the second does; any other extra space stays the first's, the word doubted: which reading is right
        # the two cannot tell (`Ca milleri` for `Camilleri`, `Pieter van der` for `Pietervander`)
        pieces = _split_like(first.replace(" ", ""), [w for w, _ in words])
        # (a capital the first read as a digit counts: `Ase0degard` for `Åse Ødegård`)
        glued = len(pieces) == len(words) and all(
            a[-1:].islower() and (b[:1].isupper() or b[:1].isdigit() and w[:1].isupper())
            for a, b, (w, _) in zip(pieces, pieces[1:], words[1:]))
        if glued:
            ours = pieces
        else:
            if len(pieces) == len(words):
                split_inside = _split_inside(ours, pieces)
            sure = min(c for _, c in words)
            words = [(w, sure) for w in _split_like("".join(w for w, _ in words), ours)]
    if len(ours) == len(words):
        pairs = [(a, b, c) for a, (b, c) in zip(ours, words)]
    else:
        whole = " ".join(w for w, _ in words)
        if WHOLE_LENGTH[0] <= len(skeleton(whole)) / max(len(skeleton(first)), 1) <= WHOLE_LENGTH[1]:
            pairs = [(first, whole, min(c for _, c in words))]
        else:  # a word fewer (`Šimić Čačić` for `Durdica Simic Cacic`): the words it has, each to its own
            pairs = _word_for_word(ours, words)
    out, doubted, at, where = [], [], 0, 0
    for n, (a, b, conf) in enumerate(pairs):
        if n in split_inside and len(pairs) == len(ours):
            b = None  # the readings disagree on where its words are: the first's, unconfirmed
        where = max(first.find(a, where), 0)
        own = confidences[where:where + len(a)] if confidences is not None and first.find(a) >= 0 else None
        own_marks = frozenset(i - where for i in marked if where <= i < where + len(a))
        where += len(a)
        kept = _word_verdict(a, b, conf, dictionary, own) if b is not None else None
        inked = (_marked_reading(a, b, conf, own_marks) or _marks_only(a, b, conf)) if b is not None else None
        word = kept if kept is not None else inked or a
        if kept is None:
            doubted.append((at, at + len(word)))
        out.append(word)
        at += len(word) + 1
    return " ".join(out), doubted


def _split_inside(ours: list[str], pieces: list[str]) -> set[int]:
    """The indexes of ours' words inside which a boundary between pieces falls (both cut from the same letters),
    a break after a hyphen aside (`Jean-` `Luc`: a line's or the engine's break, the word is one)."""
    ends, at = [], 0
    for word in ours:
        at += len(word)
        ends.append(at)
    inside, at = set(), 0
    for piece in pieces[:-1]:
        at += len(piece)
        if at not in ends and not piece.endswith(("-", "‐")):
            inside.add(next(i for i, end in enumerate(ends) if at < end))
    return inside


def _word_for_word(ours: list[str], words: list[tuple[str, float]]) -> list[tuple[str, str | None, float]]:
    """Each of the first reading's words with the second's word that spells it (`skeleton` likeness at least
    AGREE), in order, the pairs as alike as can be (`Lars Larsen` read `Larsen`: the second word's), or None:
    a word the second reading did not read stays the first's, unconfirmed."""
    ratios = [[SequenceMatcher(None, skeleton(a), skeleton(b), autojunk=False).ratio() for b, _ in words] for a in ours]
    like = [[ratio if ratio >= AGREE else 0.0 for ratio in row] for row in ratios]
    # best[i][j]: the most likeness pairing ours[i:] with words[j:] in order can have
    best = [[0.0] * (len(words) + 1) for _ in range(len(ours) + 1)]
    for i in range(len(ours) - 1, -1, -1):
        for j in range(len(words) - 1, -1, -1):
            paired = like[i][j] + best[i + 1][j + 1] if like[i][j] else 0.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(ours):
        if j < len(words) and like[i][j] and best[i][j] == like[i][j] + best[i + 1][j + 1]:
            pairs.append((ours[i], *words[j]))
            i, j = i + 1, j + 1
        elif j < len(words) and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            pairs.append((ours[i], None, 0.0))
            i += 1
    return pairs


FOREIGN_WORD = regex.compile(r"[\p{Cyrillic}\p{M}'’\-]+|[\p{Greek}\p{M}'’\-]+")
FOREIGN_LIKENESS = 0.25  # the least skeleton likeness of a sure Cyrillic or Greek reading to the look-alikes
# Tesseract's confidence in a Cyrillic or Greek reading of Latin look-alikes: every word at least FAIR, on
# average MEAN (measured: real names 81–96, average ≥ 88; Latin names read by those models ≤ 76, most < 50)
FOREIGN_FAIR, FOREIGN_MEAN = 80, 88


# how the first engine prints each Cyrillic and Greek letter it lacks (lower case, as measured on the scans of the
# large editions: `IMurpui` for Дмитрий, `Oner` for Олег, `Teoprn` for Георги, `HpocnaBa` for Ярослава,
# `KoBanbuyk` for Ковальчук), its own letter where it has it: a reading the first spells letter for letter this
# way is the same word
AS_FIRST_READS = {
    "а": "a", "б": "b6", "в": "b", "г": "rt", "д": ("i", "a", "u", "g", "d"), "е": "e", "ё": "e", "ж": ("x", "k", "jk"),
    "з": "3z", "и": "unm", "й": "uin", "к": "k", "л": ("n", "ji", "m", "l"), "м": "m", "н": "hn", "о": "o0",
    "п": "np", "р": "p", "с": "c", "т": "trm", "у": "y", "ф": "opf", "х": "x", "ц": "u", "ч": "uy4",
    "ш": ("w", "m", "iii", "lll", "ш"), "щ": "wm", "ъ": "b", "ы": ("bi", "bl"), "ь": "b", "э": "e3", "ю": ("io", "10"),
    "я": "rah", "і": "i", "ї": "i", "є": "e", "ў": "y", "ғ": "fr", "қ": "k", "ң": "hn", "ү": "y", "ұ": "y",
    "һ": "h", "ә": "ea", "ө": "o0", "ј": "j", "љ": ("jb", "ib", "nb"), "њ": ("hb", "nb"), "ћ": "h", "ђ": "h",
    "џ": "u",
    "α": "a", "β": "b", "γ": "yr", "δ": "d8", "ε": "e", "ζ": "z", "η": "nh", "θ": "0", "ι": "il", "κ": "k",
    "λ": ("a", "l", "n"), "μ": "um", "ν": "v", "ξ": "e", "ο": "o0", "π": "n", "ρ": "p", "σ": "o", "ς": "c",
    "τ": "t", "υ": "uv", "φ": "op", "χ": "x", "ψ": "w", "ω": "w",
}


def spelled_alike(first: str, second: str) -> bool:
    """Whether the first reading is the second's Cyrillic or Greek spelled letter for letter as the first engine
    prints those letters (`AS_FIRST_READS`; case, marks, spaces and hyphens set aside)."""
    def bare(word: str) -> str:  # a letter not in the table by its base letter (ά: α; not й, which is)
        word = unicodedata.normalize("NFC", word.casefold())
        word = "".join(c if c in AS_FIRST_READS else unicodedata.normalize("NFD", c)[0] for c in word)
        return regex.sub(r"[\s\-'’]", "", word)

    ours, theirs = bare(first), bare(second)
    if not ours or not theirs:
        return False
    reach = {0}  # the lengths of ours' beginnings the second's letters so far spell
    for letter in theirs:
        forms = AS_FIRST_READS.get(letter)
        if forms is None:
            return False
        reach = {at + len(form) for at in reach for form in forms if ours.startswith(form, at)}
        if not reach:
            return False
    return len(ours) in reach


def sure_foreign(first: str, words: list[tuple[str, float]], latin_unsure: bool = False):
    """The Cyrillic or Greek reading of a run the first reading gave as Latin look-alikes, when Tesseract is
    sure enough of every word (`Onmer CMupHoB` → `Олег Смирнов`, 96 and 92; `IMuTpuiBonkoB` → `Дмитрий
    Волков`, 95 and 81: Волков taken but doubted): (text, the doubted spans), or None. The look-alikes are too
    far from the letters for `reconcile`'s likeness (PP-OCR prints и as u, л as n, д as I), so what is asked
    instead: each word in one script, every word fairly sure, as many letters give or take a third, and some
    likeness left. Or, where the Latin model was unsure of the run too (latin_unsure: a Latin name it reads
    surely), Tesseract's words spell, letter for letter, what the first engine printed (`spelled_alike`:
    `IMurpui Bonkob` and `Дмитрий Волков`, 38 and 95): two readings agree, the unsure words doubted."""
    words = _clean(words)
    if not words or not all(FOREIGN_WORD.fullmatch(w) for w, _ in words):
        return None
    alike = latin_unsure and spelled_alike(first, " ".join(w for w, _ in words))
    if not alike and (any(c < FOREIGN_FAIR for _, c in words) or sum(c for _, c in words) / len(words) < FOREIGN_MEAN):
        return None
    text = " ".join(w for w, _ in words)
    ours = sum(ch.isalpha() for ch in first)
    theirs = sum(ch.isalpha() for ch in text)
    if not 0.67 * ours <= theirs <= 1.5 * ours:
        return None
    if SequenceMatcher(None, skeleton(first), skeleton(text), autojunk=False).ratio() < FOREIGN_LIKENESS:
        return None
    doubted, at = [], 0
    for word, confidence in words:  # taken, but a word Tesseract was only fairly sure of stays doubted
        if confidence < SECOND_SURE:
            doubted.append((at, at + len(word)))
        at += len(word) + 1
    return text, doubted


def may_hold_missing_letter(word: str, dictionary: frozenset[str] | None) -> bool:
    """Whether the dictionary lacks a letter this word could hold: it holds a letter beyond ASCII
    (or a look-alike pattern) whose family (the same base letter with other marks) the dictionary
    does not fully cover, or it is not all ASCII at all."""
    if looks_foreign(word):
        return True
    if dictionary is None:
        return not word.isascii()
    for ch in word:
        if ch.isascii():
            continue
        base = unicodedata.normalize("NFKD", ch)[0]
        if any(sibling not in dictionary for sibling in LETTER_FAMILIES.get(base.casefold(), "")):
            return True
    return False


# the accented letters of each base letter that partners write with
LETTER_FAMILIES = {
    "a": "áàâäãåāăąǎạảấầẩẫậắằẳẵặ", "c": "çćčĉċ", "d": "ďđ", "e": "éèêëēĕėęěẹẻẽếềểễệ", "g": "ğĝġģ",
    "i": "íìîïīĭįịỉı", "l": "ĺļľł", "n": "ñńņňǹ", "o": "óòôöõőøōŏơọỏốồổỗộớờởỡợ", "r": "ŕřŗ",
    "s": "śšşŝș", "t": "ťţț", "u": "úùûüũűůūŭųưụủứừửữự", "y": "ýÿŷỳỵỷỹ", "z": "źżž",
}


@dataclasses.dataclass
class PageRuns:
    """A page's lines as first read, the runs to read again and their crops of the page image."""

    lines: list[OcrLine]
    runs: list[Run]
    crops: list
    scale: float = 1.0  # image pixels per point
    origins: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # each crop's (x0, top) in the image
    cores: list[tuple[float, ...]] = dataclasses.field(default_factory=list)  # where each run's letters are in its crop
    # the e-mail addresses to read again (`addresses.py`), their crops and cores as the runs'
    addresses: list = dataclasses.field(default_factory=list)
    address_crops: list = dataclasses.field(default_factory=list)
    address_cores: list[tuple[float, ...]] = dataclasses.field(default_factory=list)


def page_runs(lines: list[OcrLine], image, scale: float) -> PageRuns:
    runs = runs_to_check(lines)
    found = addresses_to_check(lines)
    slope = page_slope(lines)
    crops, origins, cores = [], [], []
    for run in runs + found:
        x0, top, x1, bottom = run_box(lines[run.line], run, scale)
        crops.append(image[max(top, 0):bottom, max(x0, 0):x1].copy())  # a copy: the page image can go
        origins.append((max(x0, 0), max(top, 0)))
        cores.append(run_core(lines[run.line], run, scale, slope, origins[-1]))
    n = len(runs)
    return PageRuns(lines, runs, crops[:n], scale, origins[:n], cores[:n], found, crops[n:], cores[n:])


def first_marks(page: PageRuns, run: Run) -> frozenset[int]:
    """The run's characters (as first read) whose image holds ink they lack (`marks.unexplained_ink`)."""
    if not page.origins:
        return frozenset()
    i = page.runs.index(run)
    x0 = page.origins[i][0]
    centers = page.lines[run.line].centers[run.start:run.end]
    return frozenset(unexplained_ink(run.text, page.crops[i], [c * page.scale - x0 for c in centers]))


def ink_doubts(text: str, centers: list[float], crop, origin: tuple[int, int], scale: float,
               confirmed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (words of text) that a reading gave without doubt but whose image holds ink the letters read
    do not have (`marks.unexplained_ink`: an accent both readings missed, a lost word space) or that glue two
    names (`SarahO'Connor`, a capital after a small letter: a space lost; `McDonald` is set so)."""
    x0 = origin[0]
    marked = set(unexplained_ink(text, crop, [c * scale - x0 for c in centers])) if crop is not None else set()
    out = []
    for a, b in confirmed:
        word = text[a:b]
        glued = regex.search(r"(?<!^Ma?c)(?<=\p{Ll})\p{Lu}", regex.sub(r"^\P{L}+", "", word))
        if glued or marked & set(range(a, b)):
            out.append((a, b))
    return out


def second_reading(pages: list[PageRuns], words: TesseractWords | None,
                   dictionary: frozenset[str] | None = None) -> list[list[OcrLine]]:
    """Every page's lines with their alphabetic runs read again (see the module's docstring): new lines.

    All pages' runs go to Tesseract in one call per script (its models take a second to load)."""
    runs = [(k, run) for k, page in enumerate(pages) for run in page.runs]
    crops = [crop for page in pages for crop in page.crops]
    # per run: its text after the second reading, and the spans of it no reading confirms
    results = [(run.text, [m.span() for m in regex.finditer(r"\S+", run.text)]) for _, run in runs]
    settled: list[tuple] = []  # per e-mail address: (page, address, (text, how) as `addresses.settle` gives)
    if (runs or any(page.addresses for page in pages)) and words is not None and words.load():
        cores = [core for page in pages for core in page.cores] if all(page.cores for page in pages if page.runs) \
            else None

        def own(i: int, found: list[tuple]) -> list[tuple[str, float]]:
            """Run i's words: in either script, those centred outside its letters are other lines' in the crop."""
            return in_core(found, cores[i]) if cores else [(w, c) for w, c, _ in found]

        addresses = [(k, address) for k, page in enumerate(pages) for address in page.addresses]
        address_crops = [crop for page in pages for crop in page.address_crops]
        address_cores = [core for page in pages for core in page.address_cores]
        latin = words.read(crops + address_crops, "latin")  # one call: the model loads once
        results = [reconcile(run.text, own(i, found), dictionary,
                             pages[k].lines[run.line].confidences[run.start:run.end], first_marks(pages[k], run))
                   for i, ((k, run), found) in enumerate(zip(runs, latin))]
        elsewhere = document_pieces(page.lines for page in pages)
        for (k, address), found, core in zip(addresses, latin[len(runs):], address_cores):
            first = pages[k].lines[address.line].confidences[address.start:address.end]
            settled.append((k, address, settle(address.text, first, in_core(found, core), elsewhere,
                                               DOUBTED, SECOND_UNSURE, INKED_UNSURE, address.kind)))
        foreign = [i for i, (_, run) in enumerate(runs) if looks_foreign(run.text)]
        for i, found in zip(foreign, words.read([crops[i] for i in foreign], "foreign")):
            found = own(i, found)
            latin_unsure = min((c for _, c in _clean(own(i, latin[i]))), default=0) < SECOND_UNSURE
            taken = sure_foreign(runs[i][1].text, found, latin_unsure)
            text, doubted = taken or reconcile(runs[i][1].text, found, None)
            if (taken or not doubted) and regex.fullmatch(r"[\p{Greek}\p{Cyrillic}\p{M} '’\-]+", text):
                if not doubted:
                    # two names read as one word (`ГеоргиИванов`): Cyrillic and Greek names have no capital inside
                    text = regex.sub(r"(?<=\p{Ll})(?=\p{Lu})", " ", text)
                results[i] = (text, doubted)
    out = [list(page.lines) for page in pages]
    # from the right of each line: the offsets of the runs before stay valid
    for (k, run), (text, doubted) in sorted(zip(runs, results), key=lambda rr: (rr[0][0], rr[0][1].line,
                                                                             -rr[0][1].start)):
        line = out[k][run.line]
        page = pages[k]
        crop = page.crops[page.runs.index(run)] if page.origins else None
        origin = page.origins[page.runs.index(run)] if page.origins else (0, 0)
        spaced: list[tuple[int, int]] = []
        reread = text != run.text  # the second reading changed it: its letters are confirmed
        if crop is not None:  # word spaces the image shows and no reading printed: put in, doubted
            centers = realign(run.text, text, line.centers[run.start:run.end])
            text, doubted, spaced = _with_spaces(text, doubted, lost_spaces(text, crop, [c * page.scale - origin[0]
                                                                                        for c in centers]))
        if text != run.text:
            line = _replace(line, run, text, confirmed=reread)
        words_read = [m.span() for m in regex.finditer(r"\S+", text)]
        confirmed = [span for span in words_read if span not in doubted]
        inked = spaced + ink_doubts(text, line.centers[run.start:run.start + len(text)], crop, origin, page.scale,
                                    confirmed)
        confidences = list(line.confidences)
        for a, b in doubted + inked:
            word = text[a:b]
            if (words is None or not words.available) and (a, b) not in inked:
                # nothing to compare with: doubt what may be wrong
                if not (may_hold_missing_letter(word, dictionary)
                        or min(confidences[run.start + a:run.start + b], default=1) < DOUBTED):
                    continue
            for i in range(run.start + a, run.start + b):
                confidences[i] = min(confidences[i], WORD_DOUBT)
        out[k][run.line] = dataclasses.replace(line, confidences=confidences)
    for k, address, (text, how) in settled:  # after the runs: no run holds an address's letters
        out[k][address.line] = _settled(out[k][address.line], address, text, how)
    return out


def _settled(line: OcrLine, address, text: str, how: str) -> OcrLine:
    """line with the address as `addresses.settle` kept it: another reading put in (its letters sure), the
    letters confirmed, or doubted."""
    if how == "unread":
        return line
    # the runs before it on the line may have changed length: the address as first read, nearest where it was
    starts = [m.start() for m in regex.finditer(regex.escape(address.text), line.text)]
    if not starts:
        return line
    start = min(starts, key=lambda s: abs(s - address.start))
    end = start + len(address.text)
    if text != address.text:
        new = _replace(line, Run(address.line, start, end, address.text), text)
        # its characters evenly over the address's span: `realign` gives a character put in the centre of the
        # one beside it, and two glyphs in one place are one glyph and a gap to the layout (`https:/ iiasa`)
        first, last, n = line.centers[start], line.centers[end - 1], len(text)
        even = [first + (last - first) * i / max(n - 1, 1) for i in range(n)]
        return dataclasses.replace(new, centers=new.centers[:start] + even + new.centers[start + n:])
    floor, cap = (SURE, 1.0) if how in ("confirmed", "document", "second") else (0.0, WORD_DOUBT)
    confidences = list(line.confidences)
    confidences[start:end] = [min(max(c, floor), cap) for c in confidences[start:end]]
    return dataclasses.replace(line, confidences=confidences)


def _with_spaces(text: str, doubted: list[tuple[int, int]], before: list[int]):
    """(text with a space put in before each of the indexes, its doubted spans moved with it, the words on
    either side of each new space: to doubt, the space being a reading of the image, not of the letters)."""
    if not before:
        return text, doubted, []
    for i in sorted(before, reverse=True):
        text = text[:i] + " " + text[i:]
        doubted = [(a + (a >= i), b + (b > i)) for a, b in doubted]
    spaces = [i + n for n, i in enumerate(sorted(before))]
    beside = [m.span() for m in regex.finditer(r"\S+", text) if any(m.end() == i or m.start() == i + 1 for i in spaces)]
    return text, doubted, beside


def _replace(line: OcrLine, run: Run, text: str, confirmed: bool = True) -> OcrLine:
    """line with run's characters replaced by text (centres spread over the run's span); confirmed: the second
    reading gave text, so its letters are sure (a space put back from the image alone confirms nothing)."""
    centers = realign(run.text, text, line.centers[run.start:run.end])
    confidences = realign(run.text, text, line.confidences[run.start:run.end])
    new = line.text[:run.start] + text + line.text[run.end:]
    return dataclasses.replace(line, text=new, centers=line.centers[:run.start] + centers + line.centers[run.end:],
                               confidences=line.confidences[:run.start]
                               + [max(c, SURE) if confirmed else c for c in confidences] + line.confidences[run.end:],
                               changes=line.changes + (Change("second_reading", line.text, new),))
