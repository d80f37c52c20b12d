"""Fixes for what the OCR engine reads: one rule per function, each switchable, each change recorded.

Text fixes take a line's text and return it fixed (`TEXT_FIXES`, applied in order by
`fix_text`): word spaces and digits inside e-mails, URLs and phone numbers; `l`/`1`,
`O`/`0` read by context there; a lone `o` ending a line is a misread `。`; `丶` is `、`, and so,
doubted, is a `～` between two Han characters;
a dash read as `一` beside digits is `-`; a `:` inside an address is a misread `.`; a
half-width `;` glued to the next word in a Chinese line is `；`; a circled number in brackets
(`（③）`) is the bracketed item number `（3）`.

Line fixes also need the engine's per-character confidence (`LINE_FIXES`: a doubted dot
inside a word is a speck, a doubted round glyph closing an address is a `。`), and one
needs the line before (`wrapped_address_lines`: the head of the line that carries on an
address wrapped at the line before is mended from that line), and one the lines around
(`item_number_marks`: an item number that lost its full stop or brackets gets its list's).

`fix_lines` runs them all, or the ones named, and returns new lines whose `changes`
record which fix changed what (as ftfy's explanations do); nothing it is given is changed.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable

from ...text import is_cjk
from .lines import Change, OcrLine

EMAIL_LOOSE = re.compile(r"[A-Za-z0-9._%+\-](?:[A-Za-z0-9._%+\- ]*[A-Za-z0-9_%+\-])?\s*[@＠]\s*"
                         r"[A-Za-z0-9\-]+(?:\s*[.．]\s*[A-Za-z0-9\-]+)+")
URL_LOOSE = re.compile(r"(?:https?\s*:\s*/\s*/|www\s*\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%\- ]+")
PHONE_LOOSE = re.compile(r"(?<![A-Za-z0-9])[+＋]?\s*[0-9OoIl]{1,4}(?:[\s\-－]*\(?[0-9OoIl]{1,5}\)?){2,6}(?![A-Za-z])")


def fix_dash_read_as_yi(text: str) -> str:
    """`一` (one) beside digits is a dash the engine misread: `一8一` → `-8-`, `2018一2020` → `2018—2020`.

    (The engine reads a hyphen as `-`; the long dash it reads as `一` is `—`.)"""
    text = re.sub(r"(?<=\d)\s*一\s*(?=\d)", "—", text)
    return re.sub(r"^\s*[一-]+\s*(\d{1,4})\s*[一-]+\s*$", r"-\1-", text)


# regions and organisations a guideline joins to 中国 with a long dash (中国—东盟): the dash the engine reads
# as 一 there is no "one" (中国一流 stays)
DASH_PARTNERS = ("东盟", "欧盟", "非盟", "阿盟", "中东欧", "中亚", "南亚", "东南亚", "阿拉伯", "非洲", "拉美", "拉共体",
                 "太平洋岛国", "上合", "金砖", "东北亚", "澜湄", "湄公河")


# names a guideline writes with a long dash inside (the Lancang-Mekong cooperation): `一` there is the dash
DASH_COMPOUNDS = (("澜沧江", "湄公河"),)


def fix_dash_before_partner(text: str) -> str:
    """`中国一东盟` → `中国—东盟`: between 中国 and a region or organisation, `一` is the long dash misread;
    so it is inside a name written with one (`澜沧江一湄公河` → `澜沧江—湄公河`)."""
    text = re.sub(r"中国\s*[一-]\s*(?=" + "|".join(DASH_PARTNERS) + ")", "中国—", text)
    for left, right in DASH_COMPOUNDS:
        text = re.sub(f"(?<={left})\\s*[一-]\\s*(?={right})", "—", text)
    return text


# Han words the engine misreads by one stroke, in words no guideline prints otherwise
HAN_MISREADS = {"项自": "项目", "题自": "题目", "自录": "目录", "自标": "目标", "日标": "目标", "项日": "项目",
                "会唔": "会晤"}


def fix_han_misreads(text: str) -> str:
    """`项自` → `项目`: a one-stroke misreading inside a word that has no other reading."""
    for wrong, right in HAN_MISREADS.items():
        text = text.replace(wrong, right)
    return text


def fix_title_space(text: str) -> str:
    """`Dr.Ingerid` → `Dr. Ingerid`: an English title abbreviation is followed by a space."""
    return re.sub(r"\b(Dr|Mr|Mrs|Ms|Prof)\.(?=[A-Z])", r"\1. ", text)


def fix_times_for_x(text: str) -> str:
    """`×` not beside a digit is the letter `X` (`电转×` → `电转X`); `3×4` stays a product."""
    return re.sub(r"(?<![\d\s])\s*×\s*(?![\d\s])|(?<![\d\s])×$|^×(?![\d\s])",
                  lambda m: m.group(0).replace("×", "X"), text)


def fix_dot_before_unit(text: str) -> str:
    """`2022.年` → `2022年`: no dot stands between a number and 年/月/日/个/项/万 (a speck read as one)."""
    return re.sub(r"(?<=\d)[.·](?=[年月日个项万亿])", "", text)


SPLIT_YEAR = re.compile(r"(?<![\d.])\d(?:[ \u3000]?\d){3}(?=[ \u3000]*年)")


def fix_space_in_year(text: str) -> str:
    """`2 024年度` → `2024年度`: a year (19xx, 20xx) before 年 has no space inside; the engine split its digits.
    Other numbers keep their spaces (a phone's groups are printed so)."""
    def join(m: re.Match) -> str:
        digits = re.sub(r"[ \u3000]", "", m.group(0))
        return digits if digits[:2] in ("19", "20") else m.group(0)

    return SPLIT_YEAR.sub(join, text)


def fix_unit_misreads(text: str) -> str:
    """`1500方元` → `1500万元`: after a number, `方` before 元 is the `万` it looks like (no amount is in 方元)."""
    return re.sub(r"(?<=\d)(\s*)方(?=\s*元)", r"\1万", text)


def fix_url_scheme(text: str) -> str:
    """`https:/lcouncil.science` → `https://council.science`: after a scheme's one slash, an l, I, 1 or | is
    the second slash misread; `https:/iiasa.ac.at` → `https://iiasa.ac.at`: a second slash lost."""
    # no address has a scheme with one slash: the second misread as a stroke, or not read at all
    return re.sub(r"\b(https?|ftp)\s*[:：]\s*/\s*[lI1|]?(?=[A-Za-z0-9])", r"\1://", text)


def fix_mail_label_glued(text: str) -> str:
    """`E-mailemilie.tremblay@nrc-cnrc.gc.ca` → `E-mail：emilie…`: the label's colon and space were lost and
    the label read into the address (no local part starts `e-mail`; `email…` may, so it stays)."""
    return re.sub(r"(?<![A-Za-z0-9._%+\-])([Ee]-[Mm][Aa][Ii][Ll])(?=[A-Za-z0-9][A-Za-z0-9._%+\-]*@)", r"\1：", text)


# a number in a country that writes its extensions `доб.` (Russia and Kazakhstan +7, Belarus, Ukraine, Armenia,
# Georgia, Central Asia), then `доб.` read with Latin look-alikes or digits: `06.`, `0б.`, `до6.`, `дo6`
CYRILLIC_EXTENSION_MISREAD = re.compile(
    r"(?P<number>[+＋]\s*(?:7|37[45]|380|99[2-8])[\d\s\-–()]{6,}\d)\s*"
    r"(?P<mark>[дd][оo0][бb6]\.?|[оo0][бb6]\.)\s*(?P<ext>\d{1,6})(?!\d)")


def fix_cyrillic_extension(text: str) -> str:
    """`+7 7172 74 00 00 06.115` → `+7 7172 74 00 00 доб. 115`: after a number of a country that writes its
    extensions `доб.`, a `06.` (`0б.`, `до6.`) before a few digits is that `доб.` misread (no number of theirs
    has a dot in it, so the number's own digits are never taken)."""
    def mend(m: re.Match) -> str:
        if m["mark"].startswith("доб"):
            return m[0]
        return f"{m['number']} доб. {m['ext']}"
    return CYRILLIC_EXTENSION_MISREAD.sub(mend, text)


def fix_dot_comma(text: str) -> str:
    """`丶` (a radical no guideline uses) is the enumeration comma `、`."""
    return text.replace("丶", "、")


def fix_circled_number_in_brackets(text: str) -> str:
    """`（③）` → `（3）`: a circled number is itself a sub-item's mark, never put in brackets; the engine read
    a bracketed item number `(3)` as one."""
    return re.sub(r"([（(])\s*([\u2460-\u2473])\s*([)）])",
                  lambda m: f"{m[1]}{ord(m[2]) - 0x2460 + 1}{m[3]}", text)


def fix_lone_o_at_end(text: str) -> str:
    """A lone `o`/`O`/`0`/`°` after a space at the end of a line (`gov.br o.`: with a speck) is a misread `。`."""
    return re.sub(r"(?<=[A-Za-z0-9/\u4e00-\u9fff）)])(?:\s+[oO0°]\.?|\.?°)$", "。", text)


def _letters_for_digits(token: str) -> str:
    """In an address, `1`/`0` among letters are `l`/`o`, `O` between non-letters is `0`.

    `htm1` → `html`, `g0v` → `gov`, `_1ocal` → `_local`, `_O.pdf` → `_0.pdf`; digits beside
    digits (`h2020`, `ip_20_16`) stay, and so does a digit after a single letter (`/v1/`).
    """
    chars = list(token)
    for i, ch in enumerate(chars):
        left = chars[i - 1] if i else ""
        right = chars[i + 1] if i + 1 < len(chars) else ""
        letter = lambda c: c.isascii() and c.isalpha()  # noqa: E731
        if ch in "10" and not left.isdigit() and not right.isdigit():
            left_run = len(re.search(r"[A-Za-z]*$", "".join(chars[:i])).group(0))
            if letter(right) or left_run >= 2:
                chars[i] = "l" if ch == "1" else "o"
        elif ch == "O" and not (left.isalpha() or right.isalpha()):
            chars[i] = "0"
    text = "".join(chars)
    # `www.` read as `w.ww.` / `ww.w.`
    return re.sub(r"(?<![A-Za-z.])(?=[w.]{4,5}\.)(?:w\.?){3}(?=\.)", "www", text)


ADDRESS_TOKEN = re.compile(r"[A-Za-z0-9._%+\-/:@?=&~#]*[/@_][A-Za-z0-9._%+\-/:@?=&~#]*")


def fix_colon_in_address(text: str) -> str:
    """A `:` read inside an address is a misread `.`: `http://ec:europa.eu` → `http://ec.europa.eu`
    (and so is a `,` in a host name: `https://ec,europa.eu`)
    (a host name holds no colon before letters; a port is digits), `sune.dalgaard:ebbesen@x.dk` →
    `sune.dalgaard.ebbesen@x.dk` (an e-mail's dotted local part holds no colon; a label such as
    `E-mail:` has no dot, so it stays)."""
    host = re.compile(r"((?:https?|ftp)://[A-Za-z0-9.\-]*[A-Za-z0-9])[:,](?=[A-Za-z])(?!https?:|ftp:|www\.)")
    while host.search(text):
        text = host.sub(r"\1.", text)
    # a speck read as `:` beside the host's own dot: `www.jst:.go.jp` → `www.jst.go.jp`
    text = re.sub(r"((?:https?|ftp)://[A-Za-z0-9.\-]*[A-Za-z0-9]):(?=\.[A-Za-z])", r"\1", text)
    local = re.compile(r"((?<![A-Za-z0-9._%+\-])[A-Za-z0-9_%+\-]+\.[A-Za-z0-9_%+\-.]*[A-Za-z0-9]):"
                       r"(?=[A-Za-z0-9][A-Za-z0-9._%+\-]*@)")
    return local.sub(r"\1.", text)


def fix_half_width_semicolon(text: str) -> str:
    """In a Chinese line, a `;` with no space after it is the full-width `；` read small:
    `ifo@rcn.no;Mr. Thomas` → `ifo@rcn.no；Mr. Thomas` (English sets a space after `;`)."""
    if not any(is_cjk(ch) for ch in text):
        return text
    # a URL's path may hold one (`/a;jsessionid=1`): not after a run with a `/`
    return re.sub(r"(?<![\x21-\x7e])([\x21-\x3a\x3c-\x7e]*);(?=[^\s;])",
                  lambda m: m.group(0) if "/" in m.group(1) else m.group(1) + "；", text)


def fix_addresses(text: str) -> str:
    """E-mails and URLs: no spaces inside, full-width punctuation half-width, letters for digits in words."""
    def squeeze(m: re.Match) -> str:
        token = re.sub(r"\s+", "", m.group(0))
        token = token.replace("，", ",").replace("．", ".").replace("：", ":").replace("／", "/").replace("＠", "@")
        return _letters_for_digits(token)

    def email(m: re.Match) -> str:
        from .addresses import local_part_start

        # the words before the local part's last are the address's only by local_part_start's rule (one piece
        # the engine spaced off: `tan_wei ling@`); the others stay as they are (`E-mail ling@`, `write to ling@`)
        head = re.match(r"[^@＠]*?(?=\s*[@＠])", m.group(0)).group(0)
        prefix = ""
        if " " in head:
            last = m.start() + head.rfind(" ") + 1
            keep = local_part_start(m.string, last) - m.start()
            prefix = m.group(0)[:keep]
        address = squeeze(re.match(r".*", m.group(0)[len(prefix):], re.S))
        # a top-level domain has no digits: rcn.n0 → rcn.no
        return prefix + re.sub(r"\.([A-Za-z01]+)$", lambda t: "." + t.group(1).translate(str.maketrans("01", "ol")),
                               address)

    text = EMAIL_LOOSE.sub(email, text)
    text = URL_LOOSE.sub(lambda m: squeeze(m) + (" " if m.group(0).endswith(" ") else ""), text)
    text = join_address_pieces(text)
    # the rest of an address wrapped onto this line (no http:// here): `0_1ocalsupp_china_en.pdf`
    return ADDRESS_TOKEN.sub(lambda m: _letters_for_digits(m.group(0)), text)


def join_address_pieces(text: str) -> str:
    """A space after a piece of an address (it holds / @ or _) and before more ASCII is the engine's:
    `program mes/h2020` → `programmes/h2020`, `camilleri@gov.m t,` → `camilleri@gov.mt,`."""
    from .addresses import local_part_start

    def ascii_run(piece: str) -> bool:
        return bool(piece) and all(c.isascii() and not c.isspace() for c in piece)

    parts = re.split(r"( +)", text)
    out = [parts[0]]
    for k in range(1, len(parts) - 1, 2):
        # after a `;`/`,` a new item starts: `a@x.dk;Sune Dalgaard` keeps the name's space
        left_tail = re.split(r"[^\x21-\x7e]|[,;]", out[-1])[-1]
        right_head = re.split(r"[^\x21-\x7e]", parts[k + 1])[0]
        if ascii_run(left_tail) and ascii_run(right_head) and "@" in right_head.split("/")[0] \
                and not re.search(r"[/@]", left_tail):
            # a word before a local part is the address's only by local_part_start's rule (`to ling@` is not)
            so_far = "".join(out)
            glued = local_part_start(f"{so_far} {parts[k + 1]}", len(so_far) + 1) <= len(so_far)
        else:
            glued = ascii_run(left_tail) and ascii_run(right_head) and bool(re.search(r"[/@_]", left_tail + right_head))
        if glued:
            out[-1] += parts[k + 1]
        else:
            out.extend([parts[k], parts[k + 1]])
    return "".join(out)


# an international number after its label with a speck read as `:`/`.` between two digits (`+331456810:00`)
PHONE_SPECK = re.compile(r"((?:电话|(?<![A-Za-z])(?:Tel|Phone|T))\s*[:：]?\s*[+＋][\d\s\-()]*\d):(?=\d)", re.I)
PHONE_I = re.compile(r"((?:电话|(?<![A-Za-z])(?:Tel|Phone|T))\s*[:：]?\s*[+＋][\d\s\-()]*\d)[i|](?=\d)", re.I)


def fix_phone_digits(text: str) -> str:
    """In a phone number, `O`/`o` is `0` and `l`/`I` is `1`; spaces are kept (they are printed); a speck read as
    `:` between the digits of an international number after its label goes (a dot may be printed: kept)."""
    while PHONE_SPECK.search(text):
        text = PHONE_SPECK.sub(r"\1", text)
    while PHONE_I.search(text):  # `+41227676i11`: a 1 read as i (or |) between two digits of the number
        text = PHONE_I.sub(r"\g<1>1", text)

    def digits(m: re.Match) -> str:
        s = m.group(0)
        if sum(c.isdigit() for c in s) < 6:
            return s
        return s.translate(str.maketrans("OoIl", "0011"))

    return PHONE_LOOSE.sub(digits, text)


TEXT_FIXES: dict[str, Callable[[str], str]] = {
    "dash_read_as_yi": fix_dash_read_as_yi,
    "dash_before_partner": fix_dash_before_partner,
    "han_misreads": fix_han_misreads,
    "dot_comma": fix_dot_comma,
    "circled_number_in_brackets": fix_circled_number_in_brackets,
    "dot_before_unit": fix_dot_before_unit,
    "space_in_year": fix_space_in_year,
    "unit_misreads": fix_unit_misreads,
    "url_scheme": fix_url_scheme,
    "mail_label_glued": fix_mail_label_glued,
    "cyrillic_extension": fix_cyrillic_extension,
    "times_for_x": fix_times_for_x,
    "title_space": fix_title_space,
    "lone_o_at_end": fix_lone_o_at_end,
    "half_width_semicolon": fix_half_width_semicolon,
    "colon_in_address": fix_colon_in_address,
    "addresses": fix_addresses,
    "phone_digits": fix_phone_digits,
}


def fix_text(text: str, fixes: tuple[str, ...] = tuple(TEXT_FIXES)) -> str:
    """text with the named text fixes applied, in TEXT_FIXES order."""
    for name in TEXT_FIXES:
        if name in fixes:
            text = TEXT_FIXES[name](text)
    return text


# --- fixes that need the engine's confidence ---------------------------------------------------

def _in_address(text: str, i: int) -> bool:
    """text[i] sits in a run of ASCII that holds @ or / (an e-mail or URL): its dots are real."""
    left = re.search(r"[\x21-\x7e]*$", text[:i]).group(0)
    right = re.match(r"[\x21-\x7e]*", text[i + 1:]).group(0)
    return bool(re.search(r"[@/]", left + right))


SPECK_DOUBT = 0.6  # a dot read with less confidence than this inside a word is a speck of the scan


def drop_speck_dots(text: str, confidences: list[float]) -> tuple[str, list[float]]:
    """`Tho.mas` → `Thomas`, `(12).大科学` → `(12)大科学`: a `.`/`·` inside a word (or between an item
    number's parenthesis and Chinese text, where a full stop would be `。`) that the engine doubts is a
    speck of dirt on the scan (a real dot in an address or a number is read surely). A `·` between two Han
    characters may be a mark misread as well as a speck (`农业与水产·传统医药`: the `、` read at 0.34, and
    dropped it joined two fields): its neighbours keep its doubt, so the value is flagged."""
    keep, confidences = [], list(confidences)
    for i, ch in enumerate(text):
        inside = 0 < i < len(text) - 1 and confidences[i] < SPECK_DOUBT and not _in_address(text, i)
        if inside and ((ch == "." and text[i - 1].isalnum() and text[i + 1].isalnum())
                       or (ch == "." and text[i - 1] in ")）" and is_cjk(text[i + 1]))
                       or (ch == "·" and not text[i - 1].isspace() and not text[i + 1].isspace())):
            if ch == "·" and is_cjk(text[i - 1]) and is_cjk(text[i + 1]):
                for k in (i - 1, i + 1):
                    confidences[k] = min(confidences[k], confidences[i])
            continue
        keep.append(i)
    return "".join(text[i] for i in keep), [confidences[i] for i in keep]


FULL_STOP_DOUBT = 0.7  # a final o/0 read with less confidence than this after Latin text is a 。


# generic top-level domains of two letters and an o: their o is no full stop (`x.pro` is not Puerto Rico's `x.pr`)
DOMAINS_ENDING_IN_O = frozenset({"bio", "boo", "eco", "geo", "goo", "neo", "ooo", "pro", "uno"})
ADDRESS_AT_END = re.compile(r"(?:@|https?://|www\.)[A-Za-z0-9.\-]*\.([A-Za-z]{2})[oO0]$")


def _country_domain_and_o(text: str) -> bool:
    """Whether text ends with an address whose domain is a country's two letters and an o (`mcti.gov.bro`):
    no such domain exists, so the o is the line's 。 read surely."""
    import phonenumbers

    found = ADDRESS_AT_END.search(text)
    return bool(found) and found[1].upper() in phonenumbers.SUPPORTED_REGIONS \
        and (found[1] + "o").lower() not in DOMAINS_ENDING_IN_O


def final_round_glyph_to_full_stop(text: str, confidences: list[float]) -> str:
    """`thh@rcn.noo` → `thh@rcn.no。`, `2021.htm10` → `2021.htm1。`, `jst.go.jp/inquiry/o` →
    `…/inquiry/。`: a `。` closing a line after an address is read as a Latin `o`/`0` glued to it, and the
    engine is unsure of that glyph, or the address would end in a domain no one has (a country's two
    letters and an o: `mcti.gov.bro`)."""
    if len(text) >= 2 and text[-1] in "oO0" and text[-2].isascii() and (text[-2].isalnum() or text[-2] == "/" and ADDRESS_LINE_END.search(text)) \
            and confidences and (confidences[-1] < FULL_STOP_DOUBT or _country_domain_and_o(text)):
        return text[:-1] + "。"
    return text


ADDRESS_LINE_END = re.compile(r"(?:(?:https?|ftp)://|www\.|[A-Za-z0-9._%+\-]+@)[\x21-\x7e]*$")
# the ASCII head of the next line, up to where Chinese text starts
CONTINUATION_HEAD = re.compile(r"^[A-Za-z0-9._/\-: ]+(?=[^\x00-\x7f])")


def _engine_marks_in_head(head: str, confidences: list[float]) -> set[int]:
    """Positions in a continuation head the engine made up, each between two letters: a `:` (no URL
    path or e-mail has one there), a doubted `-`/`.`, and a space when it is the head's only one
    (`m me`; an English phrase after an address, `and the NSFC guide：`, keeps its words)."""
    drop = set()
    for i in range(1, len(head) - 1):
        letters = head[i - 1].isascii() and head[i - 1].isalpha() and head[i + 1].isascii() and head[i + 1].isalpha()
        if not letters:  # a time (`14:00`) or a number's parts stay
            continue
        if (head[i] == " " and head.count(" ") == 1) or head[i] == ":" or \
                (head[i] in "-." and confidences[i] < SPECK_DOUBT):
            drop.add(i)
    return drop


SPACE_IN_ADDRESS_DOUBT = 0.5  # the letters beside a space taken out of a local part: an `_` may have been there


def fix_space_in_local_part(line: OcrLine) -> OcrLine:
    """`tan_wei ling@a-star.edu.sg` → `tan_weiling@…`, its `i` and `l` doubted: a space the engine read in an
    e-mail's local part is no part of it, but it may be an underscore (or a dot) the blur took, so the letters
    beside it are doubted and the address is named by a needs-review warning (unless the second reading,
    which saw the whole address, put the underscore in already). Which piece before the space belongs to the
    address is `addresses.local_part_start`'s rule."""
    from .addresses import local_part_start

    text, confidences = line.text, list(line.confidences)
    for at in reversed([m.start() for m in re.finditer("@", text)]):
        word = re.search(r"[A-Za-z0-9._%+\-]+$", text[:at])
        if not word:
            continue
        start = local_part_start(text, word.start())
        space = text.rfind(" ", start, at)
        if start < word.start() and space > 0:
            for i in (space - 1, space + 1):
                confidences[i] = min(confidences[i], SPACE_IN_ADDRESS_DOUBT)
            text, confidences = text[:space] + text[space + 1:], confidences[:space] + confidences[space + 1:]
    return line.with_text(text, "space_in_local_part", confidences)  # centres realigned: the spaces' dropped


def fix_speck_dots(line: OcrLine) -> OcrLine:
    text, confidences = drop_speck_dots(line.text, line.confidences)
    return line.with_text(text, "speck_dots", confidences)


def fix_final_round_glyph(line: OcrLine) -> OcrLine:
    return line.with_text(final_round_glyph_to_full_stop(line.text, line.confidences), "final_round_glyph",
                          line.confidences)


# a speck read as a mark before what opens a line: an item's number (`.（1）`, `：（3）`) or, doubted, a title's 《
LEADING_SPECK = re.compile(r"^[.·:：,，'‘’“”]\s*(?=[（(]\s*\d{1,2}\s*[)）])")
LEADING_SPECK_BEFORE_TITLE = re.compile(r"^[.·:：,，'‘’“”]\s*(?=《)")


def fix_leading_speck(line: OcrLine) -> OcrLine:
    """`.（1）外方合作单位…` → `（1）外方合作单位…`: no line opens with a full stop, a colon or a comma before an item's
    number; before a `《` such a mark goes only when the engine doubts it (a quote may open a title)."""
    m = LEADING_SPECK.match(line.text)
    if not m:
        m = LEADING_SPECK_BEFORE_TITLE.match(line.text)
        if not m or line.confidences[0] >= SPECK_DOUBT:
            return line
    return _keep(line, range(m.end(), len(line.text)), "leading_speck")


TILDE_DOUBT = 0.5  # the confidence a `、` read as `～` gets: the guess is named by a needs-review warning
HAN_NUMERALS = set("零〇一二两三四五六七八九十百千万")  # a range of them (二～三年, 周一～周五) keeps its tilde


# a label that opens a list of research fields (领域方向：, 支持领域：, 研究主题：); as structure.markers knows it, but
# reading does not import structure
FIELD_LIST_LABEL = re.compile(r"^\s*[\u4e00-\u9fff]{0,6}(?:领域|方向|主题|内容)[\u4e00-\u9fff]{0,4}\s*[:：]")


def fix_middle_dot_in_list(line: OcrLine) -> OcrLine:
    """`农业与水产·传统医药` after `领域方向：` → `农业与水产、传统医药`: in a label's list (no `，` in it) a middle dot
    between two Han characters is the enumeration comma misread (a translated name's `·` is in a sentence);
    doubted, so the value it is in is flagged."""
    text = line.text
    if not FIELD_LIST_LABEL.match(text) or "，" in text:
        return line  # a contact's name keeps its dot (外方联系人：安娜·彼得森)
    marks = [m.start() for m in re.finditer(r"(?<=[\u4e00-\u9fff])[·•∙・](?=[\u4e00-\u9fff])", text)]
    if not marks:
        return line
    confidences = list(line.confidences)
    for i in marks:
        text = text[:i] + "、" + text[i + 1:]
        confidences[i] = min(confidences[i], TILDE_DOUBT)
    return line.with_text(text, "middle_dot_in_list", confidences)


def fix_tilde_between_han(line: OcrLine) -> OcrLine:
    """`智慧城市～海洋科学` → `智慧城市、海洋科学`: between two Han characters a tilde is the enumeration comma
    misread (a range joins numbers: `4～5个`); the guess is doubted, so the value it is in is flagged."""
    text, confidences = line.text, list(line.confidences)
    marks = [m.start() for m in re.finditer(r"(?<=[\u4e00-\u9fff])[～~〜](?=[\u4e00-\u9fff])", text)
             if not (text[m.start() - 1] in HAN_NUMERALS or text[m.start() + 1] in HAN_NUMERALS)]  # 二～三年
    if not marks:
        return line
    for i in marks:
        text = text[:i] + "、" + text[i + 1:]
        confidences[i] = min(confidences[i], TILDE_DOUBT)
    return line.with_text(text, "tilde_between_han", confidences)


LINE_FIXES: dict[str, Callable[[OcrLine], OcrLine]] = {
    "space_in_local_part": fix_space_in_local_part,
    "middle_dot_in_list": fix_middle_dot_in_list,  # before speck_dots, which would drop a doubted `·`
    "speck_dots": fix_speck_dots,
    "final_round_glyph": fix_final_round_glyph,
    "tilde_between_han": fix_tilde_between_han,
    "leading_speck": fix_leading_speck,
}


def fix_line(line: OcrLine, fixes: tuple[str, ...] | None = None) -> OcrLine:
    """One line with the line fixes, then the text fixes, applied (all, or those named)."""
    for name, fix in LINE_FIXES.items():
        if fixes is None or name in fixes:
            line = fix(line)
    for name, fix in TEXT_FIXES.items():
        if fixes is None or name in fixes:
            line = line.with_text(fix(line.text), name)
    return line


# --- across lines --------------------------------------------------------------------------------

def wrapped_address_lines(lines: list[OcrLine]) -> list[OcrLine]:
    """The rest of an address wrapped onto the next line is read as a fresh line, without the address
    around it; fix its head from the line before, which ends inside an e-mail or URL:
    a doubted `.` ending that line is a speck (`what-work-progra.`), a round glyph opening the next
    line after a digit is `0` (`h202` + `o_local` → `0_local`), and what the engine made up in an
    ASCII head that runs straight into Chinese text goes (`m me；`, `m:me；` → `mme；`)."""
    out = list(lines)
    for k in range(len(out) - 1):
        before, after = out[k], out[k + 1]
        if not ADDRESS_LINE_END.search(before.text) or not after.text:
            continue
        if before.text.endswith(".") and before.confidences and before.confidences[-1] < SPECK_DOUBT:
            before = _keep(before, range(len(before.text) - 1))
        if before.text[-1:].isdigit() and re.match(r"[oO](?=[_./\-0-9])", after.text):
            after = after.with_text("0" + after.text[1:], "wrapped_address", after.confidences)
        head = CONTINUATION_HEAD.match(after.text)
        if head:
            drop = _engine_marks_in_head(head.group(0), after.confidences)
            after = _keep(after, [i for i in range(len(after.text)) if i not in drop])
        out[k], out[k + 1] = before, after
    return out


def _keep(line: OcrLine, indices, fix: str = "wrapped_address") -> OcrLine:
    """line with only the characters at indices (a fix of `wrapped_address`, or the one named)."""
    indices = list(indices)
    if len(indices) == len(line.text):
        return line
    text = "".join(line.text[i] for i in indices)
    return dataclasses.replace(line, text=text, centers=[line.centers[i] for i in indices],
                               confidences=[line.confidences[i] for i in indices],
                               changes=line.changes + (Change(fix, line.text, text),))


# an item's number as a list prints it: 1. / 1、 / (1) / （1）
ITEM_STYLE = re.compile(r"^\s*(?:(?P<open>[（(])\s*(?P<a>\d{1,2})\s*(?P<close>[)）])|(?P<b>\d{1,2})\s*(?P<mark>[.、．]))")
# `1项目`, `2）外方` — not an amount, a count or a date carried over a line break (`2万元`, `10个`, `3年`)
# `（3中方联系人`: its closing bracket lost
BARE_NUMBER = re.compile(r"^\s*(?:(?P<open>[（(])\s*(?=\d{1,2}[\u4e00-\u9fff]))?(?P<n>\d{1,2})(?P<close>[)）]?)"
                         r"(?![年月日个万亿元名人次期%％]|项(?!目))(?=[\u4e00-\u9fff])")
ITEM_REACH = 8  # lines before and after an item number without its marks where its neighbours' are looked for


def item_number_marks(lines: list[OcrLine]) -> list[OcrLine]:
    """`1项目执行期…` between `申报要求：` and `2.申报单位…`: the engine lost the number's full stop (or its
    brackets, or one of them: `（3中方联系人`): the item's marks are put back as its neighbours in the list print theirs (item n−1 or n+1
    within ITEM_REACH lines), so the list keeps its item; a number no neighbour confirms is left alone."""
    styles = []
    for line in lines:
        m = ITEM_STYLE.match(line.text)
        styles.append((int(m["a"] or m["b"]), m["open"], m["close"], m["mark"]) if m else None)
    out = list(lines)
    for k, line in enumerate(lines):
        bare = BARE_NUMBER.match(line.text)
        if not bare:
            continue
        n = int(bare["n"])
        around = range(max(k - ITEM_REACH, 0), min(k + ITEM_REACH + 1, len(lines)))
        near = [j for j in around if j != k and styles[j] and styles[j][0] == n + (1 if j > k else -1)]
        if not near:
            continue
        j = min(near, key=lambda j: abs(j - k))
        if any(styles[i] and styles[i][0] == n for i in range(min(j, k) + 1, max(j, k))):
            continue  # item n is printed between it and its neighbour: this number is text
        _, opening, closing, mark = styles[j]
        if (bare["close"] or bare["open"]) and not opening:
            continue  # `2）` or `（2` in a list of `1.`: not this list's
        number = f"{opening}{n}{closing}" if opening else f"{n}{mark}"
        at = bare.start("open") if bare["open"] else bare.start("n")
        out[k] = line.with_text(line.text[:at] + number + line.text[bare.end():], "item_number_marks")
    return out


COLON_READ_ALONE = re.compile(r"^[:：1lI|]$")
LABEL_BEFORE_COLON = re.compile(r"(?:邮箱|电子邮箱|邮件|电话|联系电话|手机|网址|传真|E-?mail|Tel|Phone)\s*$", re.I)


def colon_read_alone(lines: list[OcrLine]) -> list[OcrLine]:
    """A label's colon wrapped to the head of the next line, found as a box of its own and read `1`
    (`…，邮箱` / `1` over the start of `matti.jarvinen@…`): the one-glyph line inside the next line's box
    becomes that line's `：`, when the line before ends with a contact label (else it is left alone)."""
    out = list(lines)
    drop = set()
    for k, tiny in enumerate(lines):
        if not COLON_READ_ALONE.match(tiny.text) or k == 0 or not LABEL_BEFORE_COLON.search(lines[k - 1].text):
            continue
        middle = (tiny.top + tiny.bottom) / 2
        for j, line in enumerate(lines):
            if j == k or j in drop or len(line.text) < 3 or not line.top <= middle <= line.bottom:
                continue
            overlap = min(tiny.x1, line.x1) - max(tiny.x0, line.x0)
            if overlap >= 0.4 * (tiny.x1 - tiny.x0) and tiny.x0 <= line.x0 + (line.bottom - line.top):
                out[j] = dataclasses.replace(
                    line.with_text("：" + line.text, "colon_read_alone", [tiny.confidences[0]] + list(line.confidences)),
                    centers=[(tiny.x0 + tiny.x1) / 2] + list(line.centers), x0=min(line.x0, tiny.x0))
                drop.add(k)
                break
    return [line for k, line in enumerate(out) if k not in drop]


ACROSS_LINES_FIXES: dict[str, Callable[[list[OcrLine]], list[OcrLine]]] = {
    "wrapped_address": wrapped_address_lines,
    "item_number_marks": item_number_marks,
    "colon_read_alone": colon_read_alone,
}

# fixes that need the page image, applied before the second reading (`gaps.py`: a character dropped
# between two Han characters)
IMAGE_FIXES = ("lost_character",)
ALL_FIXES = (*IMAGE_FIXES, *LINE_FIXES, *TEXT_FIXES, *ACROSS_LINES_FIXES)


def fix_lines(lines: list[OcrLine], fixes: tuple[str, ...] = ALL_FIXES) -> list[OcrLine]:
    """A page's lines as the engine read them → fixed lines (each recording its changes), empty ones dropped."""
    unknown = set(fixes) - set(ALL_FIXES)
    if unknown:
        raise ValueError(f"unknown OCR fixes {sorted(unknown)}: expected some of {ALL_FIXES}")
    fixed = [fix_line(line, fixes) for line in lines]
    fixed = [line for line in fixed if line.text.strip()]
    for name, fix in ACROSS_LINES_FIXES.items():
        if name in fixes:
            fixed = fix(fixed)
    return fixed
