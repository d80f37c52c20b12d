"""Text fixes applied to what a reader gives, before anything else reads the text.

Print pipelines write the right glyphs with the wrong code points: a font that draws 目 and
the Kangxi radical ⽬ (U+2F6C) with one glyph lets the PDF's ToUnicode map name the glyph by
the radical, and Chromium's print does exactly that with Noto CJK (`项⽬`, `⼈⺠`, `⻝品`);
HarfBuzz's Latin ligatures come out as one presentation-form character (`ﬃ` for `ffi` in
`office`); GB 2312's dash A1AA is U+2015 in some converters and fonts and U+2014 in others.
A label such as `拟⽀持项⽬数` is then not recognised, an agreement title is not the one
printed, and a page with a ligature looks undecodable.

One fix per function, each switchable (`TEXT_FIXES`, in the order they run), and the cleanup
records what it changed (`FixReport`: how many characters, on which pages or paragraphs,
examples), as ftfy does. Fixes work character by character, so every character keeps its box.

| fix | what it does |
|---|---|
| `radicals_to_ideographs` | Kangxi radicals U+2F00–U+2FD5 → the unified ideographs (Unicode's NFKC); CJK Radicals Supplement U+2E80–U+2EF3 → the ideograph Unicode's EquivalentUnifiedIdeograph.txt names (`data/cjk_radicals_supplement.txt`; NFKC covers only two of them) |
| `ligatures_to_letters` | Latin presentation-form ligatures U+FB00–U+FB06 (`ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ`) → their letters |
| `horizontal_bar_to_dash` | U+2015 HORIZONTAL BAR → U+2014 EM DASH (the Chinese dash `——`, `2019—2022`) |
| `combining_marks_composed` | PDF glyphs only: a combining mark drawn apart from its letter (`Z` + U+0307, as HarfBuzz draws a letter its font lacks) joins it (`Ż`, NFC) |
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable

from ..text import CJK_RADICALS_SUPPLEMENT as RADICALS_SUPPLEMENT, KANGXI_RADICALS as KANGXI, is_radical

LIGATURES = (0xFB00, 0xFB06)


@lru_cache(maxsize=1)
def supplement_equivalents() -> dict[str, str]:
    """CJK Radicals Supplement → unified ideograph, read from the bundled EquivalentUnifiedIdeograph entries."""
    table: dict[str, str] = {}
    text = resources.files("pipeline").joinpath("data/cjk_radicals_supplement.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            radical, ideograph = (part.strip() for part in entry.split(";"))
            table[chr(int(radical, 16))] = chr(int(ideograph, 16))
    return table


def radicals_to_ideographs(text: str) -> str:
    """`项⽬` → `项目`, `⼈⺠` → `人民`, `⻝品` → `食品`: radical code points → the ideographs they stand for."""
    if not any(is_radical(ch) for ch in text):
        return text
    table = supplement_equivalents()
    out = []
    for ch in text:
        if KANGXI[0] <= ord(ch) <= KANGXI[1]:
            out.append(unicodedata.normalize("NFKC", ch))
        elif ch in table:
            out.append(table[ch])
        elif RADICALS_SUPPLEMENT[0] <= ord(ch) <= RADICALS_SUPPLEMENT[1]:
            out.append(unicodedata.normalize("NFKC", ch))  # ⺟ and ⻳ decompose; the rest stay (no equivalent)
        else:
            out.append(ch)
    return "".join(out)


def ligatures_to_letters(text: str) -> str:
    """`oﬃce` → `office`: a Latin ligature glyph named by its presentation form is its letters."""
    if not any(LIGATURES[0] <= ord(ch) <= LIGATURES[1] for ch in text):
        return text
    return "".join(unicodedata.normalize("NFKC", ch) if LIGATURES[0] <= ord(ch) <= LIGATURES[1] else ch for ch in text)


def horizontal_bar_to_dash(text: str) -> str:
    """`2019―2022` → `2019—2022`: U+2015 is the Chinese dash as some fonts and converters name it."""
    return text.replace("\u2015", "\u2014")


TEXT_FIXES: dict[str, Callable[[str], str]] = {
    "radicals_to_ideographs": radicals_to_ideographs,
    "ligatures_to_letters": ligatures_to_letters,
    "horizontal_bar_to_dash": horizontal_bar_to_dash,
}
# on a PDF's glyphs, combining_marks_composed runs first (it joins two glyphs, so it works on the page's
# sequence of characters rather than on one text); Word and web pages give composed text already
DEFAULT_TEXT_FIXES = ("combining_marks_composed", *TEXT_FIXES)


@dataclass
class FixRecord:
    """What one fix changed: how many characters, where (PDF pages, or Word/HTML paragraph indexes), examples."""

    fix: str
    count: int = 0
    where: set[int] = field(default_factory=set)
    examples: dict[str, str] = field(default_factory=dict)  # before → after, a few distinct ones

    def to_dict(self, unit: str) -> dict:
        return {"fix": self.fix, "characters": self.count, unit: sorted(self.where),
                "examples": dict(sorted(self.examples.items())[:12])}


@dataclass
class FixReport:
    """Every fix that changed something, in the order they ran."""

    unit: str  # "pages" (PDF) or "paragraphs" (Word, HTML)
    records: list[FixRecord] = field(default_factory=list)

    def to_list(self) -> list[dict]:
        return [r.to_dict(self.unit) for r in self.records if r.count]

    def warnings(self) -> list[str]:
        """One line per fix that changed something, for edition.json's warnings."""
        out = []
        for r in self.records:
            if r.count:
                shown = ", ".join(f"{a}→{b}" for a, b in sorted(r.examples.items())[:4])
                where = sorted(r.where)
                span = f"{self.unit} {where[0]}–{where[-1]}" if len(where) > 1 else f"{self.unit[:-1]} {where[0]}"
                out.append(f"text: {r.count} character(s) changed by the text fix {r.fix} ({shown} …) on {span}")
        return out


def fix_text(text: str, where: int, report: FixReport, fixes: tuple[str, ...] = DEFAULT_TEXT_FIXES) -> str:
    """text with every enabled fix applied, what changed recorded in report under `where`."""
    for name in (f for f in fixes if f in TEXT_FIXES):
        fixed = TEXT_FIXES[name](text)
        if fixed == text:
            continue
        record = _record(report, name)
        changed = _changed(text, fixed)
        record.count += len(changed)
        record.where.add(where)
        for before, after in changed:
            if len(record.examples) < 24:
                record.examples.setdefault(before, after)
        text = fixed
    return text


def _changed(before: str, after: str) -> list[tuple[str, str]]:
    """The characters a per-character fix changed, (old, new) each (new may be several letters)."""
    if len(before) == len(after):
        return [(a, b) for a, b in zip(before, after) if a != b]
    out = []
    # a ligature expands to several letters: compare character by character through the fix itself
    for ch in before:
        fixed = ligatures_to_letters(ch)
        if fixed != ch:
            out.append((ch, fixed))
    return out


def combining_marks_composed(chars: list[dict]) -> tuple[list[dict], list[tuple[str, str]]]:
    """`Z` + U+0307 → `Ż`: a combining mark drawn as a glyph of its own joins the letter before it.

    HarfBuzz decomposes a letter its font has no glyph for (Ż, ő, ş) and draws base and mark apart, so
    the text layer holds two characters; the letter alone, and a lone mark, would be misread (a mark
    outside the scripts a guideline uses even sends the page to OCR). Chars are raw char dicts in the
    order the page draws them; returns the chars kept and the (old, new) pairs composed."""
    out: list[dict] = []
    changed = []
    for char in chars:
        text = char["text"]
        base = out[-1] if out else None
        if text and all(unicodedata.combining(ch) for ch in text) and base is not None and base["text"].strip() \
                and abs(base["top"] - char["top"]) < max(base.get("size") or 0, 1) \
                and char["x0"] <= base["x1"] + 0.5 * (base.get("size") or 0):
            before = base["text"] + text
            base["text"] = unicodedata.normalize("NFC", before)
            changed.append((before, base["text"]))
            continue
        out.append(char)
    return out, changed


# every code point some fix changes: a page without one is left alone at the cost of one search
_SUSPECT = re.compile("[\u0300-\u036f\u2015\u2e80-\u2ef3\u2f00-\u2fd5\ufb00-\ufb06]")


def fix_chars(pages, fixes: tuple[str, ...] = DEFAULT_TEXT_FIXES) -> FixReport:
    """Fix the text of every raw character of every page (RawPage.chars, in place); the report by page."""
    report = FixReport("pages")
    if not fixes:
        return report
    for page in pages:
        if not _SUSPECT.search("".join(c["text"] for c in page.chars)):
            continue
        if "combining_marks_composed" in fixes and any(
                not c["text"].isascii() and any(unicodedata.combining(ch) for ch in c["text"]) for c in page.chars):
            page.chars, composed = combining_marks_composed(page.chars)
            if composed:
                record = _record(report, "combining_marks_composed")
                record.count += len(composed)
                record.where.add(page.number)
                for before, after in composed:
                    if len(record.examples) < 24:
                        record.examples.setdefault(before, after)
        for char in page.chars:
            text = char["text"]
            if text.isascii():
                continue
            char["text"] = fix_text(text, page.number, report, tuple(f for f in fixes if f in TEXT_FIXES))
    return report


def _record(report: FixReport, name: str) -> FixRecord:
    record = next((r for r in report.records if r.fix == name), None)
    if record is None:
        record = FixRecord(name)
        report.records.append(record)
    return record
