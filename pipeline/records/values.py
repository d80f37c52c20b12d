"""Value parsers: small pure functions from a piece of guideline text to a typed value.

Every parser takes the text as written and returns None when the text does not say
what it is asked. Parsers read a normalised copy (NFKC, Chinese numerals as digits), but
a result's `.text` is the span of the text *as printed* that the value was read from
(`２０００万元人民币` keeps its full-width digits): `Normalised` maps every character of
the copy back to the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from ..structure.markers import CN_DIGIT_VALUES, CN_UNITS, cn_number
from ..text import clean, nfkc, split_top_level, strip_trailing_punct

NUM = r"\d+(?:\.\d+)?"
# range separators: ~ ～ 〜 - － — – ‒ 至 到 (NFKC folds ～ to ~ and － to -)
RANGE_SEP = r"\s*(?:~|〜|-|‐|‑|‒|–|—|―|至|到)\s*"
COUNT_UNIT = r"(?:个|项|支|类)"
AT_MOST = r"(?:不超过|不多于|最多|至多|不高于|上限为?|原则上不超过|一般不超过|最高)"
AT_LEAST = r"(?:不少于|至少|不低于|最少)"
ABOUT = r"(?:约|大约|大概)"


@dataclass(frozen=True)
class Range:
    """A count or duration as a guideline states it: min/max (either may be None)."""

    min: int | float | None
    max: int | float | None
    approximate: bool
    text: str


_CN = f"[{''.join(CN_DIGIT_VALUES)}{''.join(CN_UNITS)}]"
_CN_DIGIT = f"[{''.join(CN_DIGIT_VALUES)}]"
_CN_NUMERAL = rf"{_CN}+(?:点{_CN_DIGIT}+)?"  # 十二, 两千, 二点五
_UNIT_AHEAD = r"\s*(?:个|项|万|亿|元|年|个月|支|类)"
# a numeral that a unit follows, or that starts a range ending in one (三至五项); not 千/百 right after
# digits, where they are part of the unit (2.5千万元, 3百万元)
CN_NUMERAL_BEFORE_UNIT = re.compile(
    rf"(?<![\d.]){_CN_NUMERAL}(?={_UNIT_AHEAD}|\s*(?:至|到|~|-|－|—|–)\s*(?:{_CN}+|\d+){_UNIT_AHEAD})")


def cn_numeral_value(text: str) -> int | Decimal | None:
    """十二 → 12; 二点五 → 2.5 (digits after 点 read one by one); None when text is not a numeral."""
    whole, _, fraction = text.partition("点")
    value = cn_number(whole)
    if value is None or not fraction:
        return value
    digits = "".join(str(CN_DIGIT_VALUES[c]) for c in fraction if c in CN_DIGIT_VALUES)
    return Decimal(f"{value}.{digits}") if len(digits) == len(fraction) else None


@dataclass(frozen=True)
class Normalised:
    """Text as the parsers read it (NFKC, Chinese numerals as digits) with, for each of its
    characters, the index of the printed character it came from."""

    original: str
    text: str
    index: tuple[int, ...]

    @classmethod
    def of(cls, original: str, fold: bool = True) -> "Normalised":
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(original):
            for out in (unicodedata.normalize("NFKC", ch) if fold else ch):
                chars.append(out)
                index.append(i)
        folded = "".join(chars)
        text, mapped, last = [], [], 0
        for m in CN_NUMERAL_BEFORE_UNIT.finditer(folded):
            value = cn_numeral_value(m.group(0))
            if value is None:
                continue
            text.append(folded[last:m.start()])
            mapped += index[last:m.start()]
            text.append(str(value))
            mapped += [index[m.start()]] * len(str(value))
            last = m.end()
        text.append(folded[last:])
        mapped += index[last:]
        return cls(original, "".join(text), tuple(mapped))

    def printed(self, start: int, end: int) -> str:
        """The printed text behind text[start:end] (every printed character maps to at least one)."""
        if start >= end:
            return ""
        stop = self.index[end] if end < len(self.index) else len(self.original)
        return self.original[self.index[start]:stop]


def _number(s: str) -> int | float:
    value = Decimal(s.replace(",", ""))
    return int(value) if value == value.to_integral_value() else float(value)


def _range_in(norm: Normalised, unit: str) -> Range | None:
    """Find the first stated quantity followed by `unit` in normalised text."""
    t = norm.text
    approx = bool(re.search(r"左右|上下", t)) or bool(re.search(ABOUT + r"\s*\d", t))
    m = re.search(rf"(?P<a>{NUM})\s*{unit}?{RANGE_SEP}(?P<b>{NUM})\s*{unit}", t)
    if m:
        a, b = _number(m["a"]), _number(m["b"])
        return Range(min(a, b), max(a, b), approx, norm.printed(m.start(), m.end()))
    m = re.search(rf"{AT_MOST}\s*(?P<n>{NUM})\s*{unit}", t) or re.search(
        rf"(?P<n>{NUM})\s*{unit}\s*(?:以内|以下|之内)", t)
    if m:
        return Range(None, _number(m["n"]), approx, norm.printed(m.start(), m.end()))
    m = re.search(rf"{AT_LEAST}\s*(?P<n>{NUM})\s*{unit}", t) or re.search(
        rf"(?P<n>{NUM})\s*{unit}\s*以上", t)
    if m:
        return Range(_number(m["n"]), None, approx, norm.printed(m.start(), m.end()))
    m = re.search(rf"(?P<n>{NUM})\s*{unit}", t)
    if m:
        n = _number(m["n"])
        return Range(n, n, approx, norm.printed(m.start(), m.end()))
    return None


def parse_project_count(text: str) -> Range | None:
    """'不超过 10 个' → None..10; '10 个' → 10..10; '4~5 个' → 4..5; '10 项左右' → 10..10 approximate."""
    n = Normalised.of(text)
    t = n.text
    found = _range_in(n, COUNT_UNIT)
    if found is None:
        # a bare number after the label: "拟支持项目数：8"
        m = re.fullmatch(rf"\s*(?P<a>{NUM}|{_CN}+)(?:{RANGE_SEP}(?P<b>{NUM}|{_CN}+))?\s*[。.;；]?\s*", t)
        if not m:
            return None
        a = _number(m["a"]) if m["a"][0].isdigit() else cn_number(m["a"])  # 拟支持项目数：十
        b = (_number(m["b"]) if m["b"][0].isdigit() else cn_number(m["b"])) if m["b"] else a
        if a is None or b is None:
            return None
        return Range(min(a, b), max(a, b), False, m.group(0).strip())
    return Range(found.min, found.max, found.approximate, text.strip())


MAX_DIGITS = 100  # longer runs of digits are no figure at all; within, an implausible one is the quality gate's
_MULTIPLIER = {"亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "千": 1_000, "": 1}
# an amount in 元, 万元 or 亿元, in normalised text (NFKC, Chinese numerals as digits); the one pattern that budgets,
# per-project caps and the preamble's total are read with (money.py embeds it, groups and all)
AMOUNT = re.compile(
    rf"(?:(?P<yi>{NUM})\s*亿\s*(?=\d))?"  # 1亿2000万元 (一亿两千万元): a 亿 part before the rest
    rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{NUM})\s*(?P<unit>亿|千万|百万|万|千)?\s*(?:元|人民币)")
# an amount that ends a range (300~500 万元, 300 万元至 500 万元): not one amount, so not read as one
_RANGE_BEFORE = re.compile(rf"{NUM}\s*(?:亿|千万|百万|万|千)?\s*(?:元|人民币)?{RANGE_SEP}$")
_RANGE_AFTER = re.compile(rf"{RANGE_SEP}{NUM}\s*(?:亿|千万|百万|万|千)?\s*(?:元|人民币)")


@dataclass(frozen=True)
class Amount:
    yuan: int
    text: str  # the amount as printed: the span it was read from


def format_wan(yuan) -> str:
    """Yuan as 万元 for people.

    >>> format_wan(257800000), format_wan(4800000), format_wan(None)
    ('25,780 万元', '480 万元', '—')
    """
    if yuan is None:
        return "—"
    if abs(yuan) >= 10 ** 15 and isinstance(yuan, float):  # beyond any budget (a misreading): its size, no more
        return f"{yuan / 10_000:.3e} 万元"
    if abs(yuan) >= 10 ** 15:  # beyond any budget: exact, where a float would overflow (10^400)
        with localcontext() as exact:
            exact.prec = len(str(abs(int(yuan)))) + 4
            value = Decimal(yuan) / 10_000
        return f"{value:,.0f} 万元" if value == value.to_integral_value() else f"{value:,.2f} 万元"
    value = yuan / 10_000
    return f"{value:,.0f} 万元" if value == int(value) else f"{value:,.2f} 万元"


def amount_value(match: re.Match) -> int | None:
    """Yuan of an AMOUNT match (or of a pattern that embeds AMOUNT's groups); None when it cannot be read safely."""
    if len(match["n"]) > MAX_DIGITS or len(match["yi"] or "") > MAX_DIGITS:
        return None  # no figure: a run of digits no budget has (10^30 is still read, and fails values_plausible)
    try:
        value = Decimal(match["n"].replace(",", "")) * _MULTIPLIER[match["unit"] or ""]
        if match["yi"]:
            if match["unit"] in (None, "亿"):
                return None  # 1亿2000元: not a way amounts are written; refuse rather than guess
            value += Decimal(match["yi"]) * _MULTIPLIER["亿"]
    except InvalidOperation:
        return None
    return int(value.to_integral_value())


def amount_in(norm: Normalised, start: int = 0) -> Amount | None:
    """The first amount in normalised text from start on, with its printed span; None for none or a range."""
    m = AMOUNT.search(norm.text, start)
    if not m or _RANGE_BEFORE.search(norm.text[:m.start()]) or _RANGE_AFTER.match(norm.text, m.end()):
        return None
    yuan = amount_value(m)
    return None if yuan is None else Amount(yuan, norm.printed(m.start(), m.end()))


def parse_amount(text: str) -> Amount | None:
    """The first amount of money in text, in yuan, with the span it was read from as printed.

    >>> parse_amount("2000 万元人民币")
    Amount(yuan=20000000, text='2000 万元')
    >>> parse_amount("国拨经费总概算 2.578 亿元").yuan
    257800000
    >>> parse_amount("每个项目不超过1亿2000万元").yuan
    120000000
    >>> parse_amount("两亿五千万元")
    Amount(yuan=250000000, text='两亿五千万元')
    >>> parse_amount("伍佰万元").yuan
    5000000
    >>> parse_amount("300~500 万元") is None  # a range is not one amount
    True
    """
    return amount_in(Normalised.of(text))


DURATION_CONTEXT = re.compile(r"(?:执行期|实施期|实施周期|执行周期|项目周期|研究周期|周期|期限|执行年限|实施年限)")


def parse_duration(text: str) -> Range | None:
    """A project duration stated in years (or months): '一般为 2 至 3 年' → 2..3; '原则上不超过 4 年' → None..4."""
    n = Normalised.of(text)
    m = DURATION_CONTEXT.search(n.text)
    if not m:
        return None
    tail = re.split(r"[。；;]", n.text[m.end():], maxsplit=1)[0]
    found = _range_in(Normalised.of(n.printed(m.end(), m.end() + len(tail))), r"(?:年|个月)")
    if found is None:
        return None
    if "个月" in nfkc(found.text) and "年" not in nfkc(found.text):
        to_years = lambda v: None if v is None else _number(str(Decimal(str(v)) / 12))  # noqa: E731
        found = Range(to_years(found.min), to_years(found.max), found.approximate, found.text)
    return found


def max_duration_years(texts: list[str]) -> int | float | None:
    """The longest duration any of the texts allows, or None when none states one."""
    best = None
    for text in texts:
        found = parse_duration(text)
        if found:
            longest = found.max if found.max is not None else found.min
            if longest is not None and (best is None or longest > best):
                best = longest
    return best


def parse_agreements(text: str) -> list[str]:
    """Titles between 《》 (nested quotes inside a title are kept), cleaned of presentational spaces."""
    titles = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                titles.append(clean(text[start:i]))
    return [t for t in titles if t]


def unclosed_agreement(text: str) -> str | None:
    """The title after a last 《 no 》 closes, to the end of its paragraph (a line of text), as printed
    (`《中国—太平洋岛国…合作框架`: its `》。` lost in print or by OCR at the line's end), or None; None too when
    less than two characters are left. The caller takes it in doubt."""
    last_open, last_close = text.rfind("《"), text.rfind("》")
    if last_open < 0 or last_close > last_open:
        return None
    title = strip_trailing_punct(clean(text[last_open + 1:].split("\n")[0]))
    return title if len(title) >= 2 else None


UNRESTRICTED = re.compile(r"^(?:不限(?:领域|方向)?|领域不限|方向不限|不限定领域|无限制)$")


def is_unrestricted(text: str) -> bool:
    return bool(UNRESTRICTED.match(re.sub(r"\s+", "", strip_trailing_punct(text))))


@dataclass(frozen=True)
class FieldParts:
    name: str
    topics: list[str]
    description: str | None


def _first_top_level(text: str, stops: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "(（[【《“":
            depth += 1
        elif ch in ")）]】》”" and depth:
            depth -= 1
        elif ch in stops and depth == 0:
            return i
    return -1


def parse_field_item(text: str) -> FieldParts:
    """A numbered field item: its name is the text before the first '：', ':' or '。'.

    After a colon comes a list of topics (split on 、); after a full stop, a description.
    """
    body = text.strip()
    cut = _first_top_level(body, "：:。")
    if cut < 0:
        return FieldParts(clean(strip_trailing_punct(body)), [], None)
    name = clean(strip_trailing_punct(body[:cut]))
    rest = body[cut + 1:].strip()
    if body[cut] == "。":
        return FieldParts(name, [], clean(rest) or None)
    topics = [clean(strip_trailing_punct(p)) for p in split_top_level(strip_trailing_punct(rest), "、；;")]
    return FieldParts(name, [t for t in topics if t], None)


def parse_field_list(text: str) -> list[str]:
    """An unnumbered list '环境（含能源）、医疗、减灾防灾' → one field per part."""
    parts = split_top_level(strip_trailing_punct(text), "、；;")
    return [clean(strip_trailing_punct(p)) for p in parts if strip_trailing_punct(p)]


URL = re.compile(r"(?:https?|ftp)://[^\s，。；、：（）《》“”‘’<>\"'\u4e00-\u9fff]+|www\.[^\s，。；、：（）《》“”‘’<>\"'\u4e00-\u9fff]+",
                 re.I)
_URL_TRAILING = ".,;:!?'\"`"


def find_urls(text: str) -> list[tuple[str, int, int]]:
    """URLs in text, without trailing punctuation (an unbalanced closing bracket is punctuation too)."""
    found = []
    for m in URL.finditer(text):
        url = m.group(0)
        while url:
            if url[-1] in _URL_TRAILING:
                url = url[:-1]
            elif url[-1] in ")]" and url.count(url[-1]) > url.count({")": "(", "]": "["}[url[-1]]):
                url = url[:-1]
            else:
                break
        if "." in url.split("://", 1)[-1]:
            found.append((url, m.start(), m.start() + len(url)))
    return found


# one address: the extractor finds these in text, the quality gate requires every e-mail to be exactly one
EMAIL_PATTERN = (r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                 r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")
EMAIL = re.compile(EMAIL_PATTERN)


def find_emails(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in EMAIL.finditer(text)]


def parse_year_batch(title: str) -> tuple[int | None, int | None]:
    """'2021 年度第二批项目申报指南' → (2021, 2); a title without a batch → (year, None)."""
    t = nfkc(title)
    year = re.search(r"(20\d\d)\s*年", t) or re.search(r"(20\d\d)", t)
    batch = re.search(r"第\s*([一二三四五六七八九十\d]+)\s*批", t)
    return (int(year.group(1)) if year else None,
            cn_number(batch.group(1)) if batch else None)
