"""E-mail addresses and URLs read a second time, and settled by the document where the two readings differ.

An address has no dictionary to fall back on: one letter wrong is a wrong address
(`horvathova@iasa.ac.at` for `…@iiasa.ac.at`, a stroke lost; `kmichan` for `kmchan`, one
added; `https:/iasa.ac.at/contact`, a slash and a stroke lost). So each e-mail and URL is read
again by Tesseract's Latin model (with the names, in the same call: `words.second_reading`),
and the two readings are compared (`settle`):

- alike: the address is confirmed (its letters' doubt lifted: two readers agree);
- different, and one side's differing pieces (host labels, a local part) are spelled elsewhere
  in the document (another address, a URL, a title's acronym, an organisation named in Chinese whose
  code it is) while the other's is not: that side (`iiasa` where the document names 国际应用系统分析研究所;
  `gov`, not Tesseract's `goy`, the first reading left as it was);
- different, nothing elsewhere decides, and every letter the two differ in was read by the first
  with doubt (below `words.DOUBTED`) while Tesseract is at least half sure: Tesseract's (`kmichan`,
  its `i` at 0.70, read `kmchan` at 80), unless it drops one of a doubled letter (the count of
  strokes is as unsure in either reading; one it adds beside a letter the first doubted is taken);
- else the first reading stays and, when Tesseract is not unsure of its own (`words.INKED_UNSURE`),
  the whole address is doubted: a needs-review warning names it.

What Tesseract says about an address counts only when it is one: ASCII, one `@` (a URL: one word
starting `http` or `www.`, a host with a dot), no `..` (it prints accents on plain letters, `mòst.cn`);
a colon between letters of an e-mail is its dot (`iiasa:ac.at`), as the engine's is. Letters
at either end that are only in the first reading (`sgo`: a full stop read as o) are left to the
fixes (`fixes.py`), which know the punctuation they stand for.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from difflib import SequenceMatcher

import regex

from .lines import Span

EMAIL = regex.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]*[A-Za-z0-9]")
# a URL as the first reading may give it: its scheme misspelt or a slash short (`hittps://`, `https:/ iasa…`)
URL = regex.compile(r"(?<![A-Za-z])(?:h[a-z]{2,5}:/{1,2} ?|www\.)[A-Za-z0-9._~/?#@!$&+=%:\-]*[A-Za-z0-9/]")
VALID = {"email": regex.compile(r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"),
         "url": regex.compile(r"(?:https?://)?(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}(?:/[A-Za-z0-9._~/?#@!$&+=%\-]*)?")}
SAYS_WHICH = {"email": lambda word: "@" in word, "url": lambda word: word.startswith(("http", "www."))}
PIECE = regex.compile(r"[a-z0-9]+")  # what an address is spelled in elsewhere: `iiasa`, `gov`, `kmchan`
EDGE = regex.compile(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$")


# a line that ends inside an e-mail or URL (nothing after it), and the rest of the address wrapped onto the next
# line: small letters, digits and an address's marks (a name after a whole address starts with a capital)
ADDRESS_LINE_END = regex.compile(r"(?:(?:https?|ftp)://|www\.|[A-Za-z0-9._%+\-]+@)[\x21-\x7e]*[A-Za-z0-9._/\-]$")
ADDRESS_TAIL = regex.compile(r"[a-z0-9._%+\-/:@?=&~#]+")


def wrapped_address_tail(lines, k: int) -> int:
    """How many characters at the start of lines[k] are the rest of the e-mail or URL the line before ends
    in (`…@innofond.d` + `k o`, its full stop read as o): 0 when none."""
    if k == 0 or not ADDRESS_LINE_END.search(lines[k - 1].text):
        return 0
    m = ADDRESS_TAIL.match(lines[k].text)
    return m.end() if m else 0


# the piece of a local part before a space the engine put in it (`tan_wei ling@a-star.edu.sg`: an underscore the
# blur took, or nothing): small letters and digits holding an address's mark, or right after a label's colon
# (`邮箱： tan_wei`), never a word of a sentence (`write to ling@…`, `Mr. Tan ling@…`)
PIECE_BEFORE_SPACE = regex.compile(r"(?:(?<=[:：\p{Han}，,；;]\s*)|^\s*)([a-z0-9._%+\-]+) $|"
                                   r"(?<![A-Za-z0-9._%+\-])([a-z0-9]+[._%+\-][a-z0-9._%+\-]*) $")


LABEL = regex.compile(r"e-?mail|mail|tel|url", regex.I)  # `，e-mail ling@…`: the label, its colon lost


def local_part_start(text: str, start: int) -> int:
    """Where an e-mail found at start begins once the piece of its local part the engine spaced off is put
    back (`tan_wei ling@…` found as `ling@…`): that piece's start, or start itself."""
    m = PIECE_BEFORE_SPACE.search(text[:start])
    if not m or not m.group(m.lastindex).strip("._%+-") or LABEL.fullmatch(m.group(m.lastindex)):
        return start
    return m.start(m.lastindex)


@dataclasses.dataclass(frozen=True)
class Address(Span):
    kind: str = "email"  # or "url"


def addresses_to_check(lines) -> list[Address]:
    """The e-mail addresses and URLs on each line, not the rest of one wrapped from the line before (`k` after
    `…@innofond.d`: the first part is read on its own line as it is)."""
    out = []
    for k, line in enumerate(lines):
        tail = wrapped_address_tail(lines, k)
        urls = [(m.start(), m.end(), "url") for m in URL.finditer(line.text)]
        emails = [(m.start(), m.end(), "email") for m in EMAIL.finditer(line.text)
                  if not any(a <= m.start() < b for a, b, _ in urls)]  # `…/contact?to=x@y.org` is the URL's
        for start, end, kind in sorted(urls + emails):
            if kind == "email":  # `.volkov@`: a speck before it; `tan_wei ling@`: the engine's space in it
                start += len(line.text[start:end]) - len(line.text[start:end].lstrip("._%+-"))
                start = local_part_start(line.text, start)
            if start >= tail and start < end:
                out.append(Address(k, start, end, line.text[start:end], kind))
    return out


def document_pieces(pages_lines) -> Counter:
    """Every piece of letters and digits the document's lines spell (lower case), and the code of every
    organisation it names in Chinese (`iiasa` for 国际应用系统分析研究所, as the partner names table has it):
    what settles an address."""
    from ...names import partner_name_table

    texts = [line.text for lines in pages_lines for line in lines]
    pieces = Counter(piece for text in texts for piece in PIECE.findall(text.lower()))
    whole = "\n".join(texts)
    _, organisations = partner_name_table()
    pieces.update({code.lower() for name, code in organisations.items() if name in whole})
    return pieces


def second_address(found: list[tuple[str, float]], kind: str = "email") -> tuple[str, float] | None:
    """Tesseract's reading of an address crop: its one word with an `@` (a URL: starting `http` or `www.`),
    without the punctuation around it (a URL keeps its last `/`), when it is an address at all (see the
    module's docstring); else None."""
    words = [(EDGE.sub("", w.lstrip("'\"‘“")) + ("/" if kind == "url" and w.rstrip(".,;:'\"’”").endswith("/") else ""),
              c) for w, c in found if SAYS_WHICH[kind](w.lstrip("'\"‘“"))]
    if len(words) != 1:
        return None
    word, confidence = words[0]
    if kind == "email":  # a dot read as a colon, as the engine reads it too (`fixes.fix_colon_in_address`)
        word = regex.sub(r"(?<=[A-Za-z0-9]):(?=[A-Za-z0-9])", ".", word)
    if not word.isascii() or not VALID[kind].fullmatch(word) or ".." in word:
        return None
    return word, confidence


SCHEME = regex.compile(r"^h[a-z]{2,5}:/{0,2} ?")  # a URL's scheme as either reading spells it (`hittps:/`)


def _pieces(address: str) -> Counter:
    """The address's pieces of letters and digits, a URL's without its scheme: a scheme names no one, and a
    guideline with one URL spells `https` nowhere else."""
    return Counter(PIECE.findall(SCHEME.sub("", address.lower())))


def settle(first: str, confidences: list[float], found: list[tuple[str, float]], elsewhere: Counter,
           doubted_below: float, half_sure: float, says_something: float, kind: str = "email") -> tuple[str, str]:
    """(the address to keep, how: "confirmed" (alike), "document" or "second" (Tesseract's, by the document or
    where the first doubted), "doubted" (the first, no reading agreeing) or "unread" (as first read)).

    elsewhere: the document's pieces (`document_pieces`), this address's own among them; Tesseract's
    confidence (0–100) half_sure and up may replace a letter read with doubt (below doubted_below), and
    says_something and up doubts the address it reads otherwise."""
    second = second_address(found, kind)
    if second is None:
        return first, "unread"
    # a space in an address is the engine's (`tan_wei ling@`): never sure, whatever it says
    confidences = [0.0 if ch == " " else c for ch, c in zip(first, confidences)]
    theirs, sure = second
    if theirs.lower() == first.lower():
        return first, "confirmed"
    if first.lower().startswith(theirs.lower()) or first.lower().endswith(theirs.lower()):
        return first, "unread"  # letters only the first has at an end: punctuation read as letters, for the fixes
    ours = _pieces(first)
    others = elsewhere - ours  # the document without this address
    only_ours, only_theirs = ours - _pieces(theirs), _pieces(theirs) - ours
    ours_seen = any(others[p] for p in only_ours)
    # every piece only Tesseract has is spelled elsewhere: `iiasa` does not carry a local part it misread too
    theirs_seen = bool(only_theirs) and all(others[p] for p in only_theirs)
    if theirs_seen and not ours_seen and sure >= says_something:
        return theirs, "document"
    if ours_seen and not theirs_seen:
        return first, "unread"  # as first read, doubt and all: the piece is confirmed, not every letter
    if sure >= half_sure and _differs_only_where_unsure(first, theirs, confidences, doubted_below):
        return theirs, "second"
    return first, "doubted" if sure >= says_something else "unread"


def _differs_only_where_unsure(first: str, second: str, confidences: list[float], below: float) -> bool:
    """Every letter the first reading has and the second not (or has otherwise) was read with doubt, and a
    letter the second adds stands beside one read with doubt; no doubled letter lost."""
    changed = False
    for op, i1, i2, j1, j2 in SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        changed = True
        if op in ("delete", "replace") and min(confidences[i1:i2]) >= below:
            return False
        if op == "insert" and min(confidences[max(i1 - 1, 0):i1 + 1]) >= below:
            return False
        # one of a doubled letter lost (`iiasa` read `iasa`): refused, as for names (`words._word_verdict`)
        if op == "delete" and all(c in first[i1 - 1:i1] + first[i2:i2 + 1] for c in first[i1:i2]):
            return False
    return changed
