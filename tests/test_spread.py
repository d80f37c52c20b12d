"""Addresses and URLs exact under any spacing: every glyph of a line placed apart.

Renderings (tests/fixtures/build.py `render_spread`) put every glyph by itself with
letter-spacing of 0.5–3 pt (Word's character spacing), or stretch every line, the last
too, glyph by glyph (WPS 分散对齐), with or without space glyphs, and cut every e-mail
address and URL at a line end (the first at a page end). Every address must come out
exactly as printed, and the records exactly as the gold facts (written by hand). 2022-1
is SYNTHETIC.
"""

import re

import pytest
from conftest import EDITIONS, score

import build
from pipeline.extract import extract_to_dir
from pipeline.structure.layout import Char, row_to_line
from pipeline.structure.paragraphs import join_lines

PERFECT = "precision=1.000 recall=1.000 f1=1.000"

VARIANTS = {  # name → (edition, Spread, content variant)
    "letter-spaced 0.5pt, addresses cut": ("2021-2", build.Spread(char_space=0.5, break_in_addresses=True,
                                                                   page_break_in_address=True), None),
    "letter-spaced 3pt, no space glyphs": ("2021-2", build.Spread(char_space=3.0, space_glyphs=False), None),
    "distributed, addresses cut, no space glyphs": (
        "synthetic-2022-1", build.Spread(char_space=1.0, distributed=True, space_glyphs=False,
                                         break_in_addresses=True, page_break_in_address=True), None),
    # AR PL UMing has every letter of these names (STSong-Light and Zen Hei lack ş ő ű Ż …)
    "distributed 2pt, partner-language names": (
        "2021-2", build.Spread(char_space=2.0, distributed=True, break_in_addresses=True, font="uming",
                               page_break_in_address=True, body_size=11.0), "names_in_partner_languages"),
}


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_spread_rendering_keeps_every_address_exact(tmp_path, variant):
    import json

    edition, spread, content = VARIANTS[variant]
    if spread.font not in build.available_fonts():
        pytest.skip(f"font {spread.font} not installed")
    _, txt, gold_path = EDITIONS[edition]
    styled = build.read_styled(txt.read_text(encoding="utf-8"))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    if content:
        styled, gold = build.CONTENT_VARIANTS[content](styled, gold)
    pdf = build.render_spread(styled, tmp_path / "spread.pdf", spread)
    stages, out = extract_to_dir(pdf, tmp_path / "out")
    assert PERFECT in score(gold, out / "edition.json")
    text = "\n".join(p.text for p in stages.paragraphs)
    addresses = [m.group(0).rstrip(".,;") for _, t in styled for m in build.ADDRESS.finditer(t)]
    assert len(addresses) >= 8
    for address in addresses:
        assert address in text, address
    if spread.page_break_in_address:  # the first address really was cut over a page break
        first = addresses[0]
        holder = next(p for p in stages.paragraphs if first in p.text)
        start = holder.text.index(first)
        assert len({page for page, _ in filter(None, holder.boxes[start:start + len(first)])}) == 2


def _spread_chars(text, spacing, size=13.0, advance=None, x0=80.0, space_glyph=True):
    """Glyphs of text placed one by one, `spacing` points apart (a space advances 0.3 em, drawn or not)."""
    chars, x = [], x0
    for ch in text:
        width = (size if ord(ch) > 0x2E80 else 0.55 * size) if advance is None else advance
        if ch == " ":
            width = 0.3 * size
            if not space_glyph:
                x += width + spacing
                continue
        chars.append(Char(ch, x, 100, x + width, 100 + size, size, "F"))
        x += width + spacing
    return chars


@pytest.mark.parametrize("spacing", [0.5, 1.0, 1.5, 2.0, 2.5, 2.8, 2.9, 3.0, 4.5])
@pytest.mark.parametrize("text", [
    "邮箱：thh@rcn.no", "邮箱：ifo@rcn.no；Mr. Thomas Hansteen", "不超过10个", "共拟支持经费：480 万元人民币",
    "网址：https://ec.europa.eu/info/funding-tenders/opportunities", "欧方联系邮箱：Delegation-China-Scitech@eeas.europa.eu",
    "Dr. Ingerid Fossum，电话：+47 22037006", "Zsófia Kovács，邮箱：zs.kovacs@nkfih.gov.hu",
])
@pytest.mark.parametrize("space_glyph", [True, False])
def test_letter_spaced_line_read_as_printed(text, spacing, space_glyph):
    # a space beside CJK text is presentational: without a glyph there is nothing to keep
    expected = text if space_glyph else re.sub(r" (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) ", "", text)
    assert row_to_line(_spread_chars(text, spacing, space_glyph=space_glyph), 1).text == expected


@pytest.mark.parametrize("text", ["@r", "rc", "n.", "@rc"])
def test_a_short_line_stretched_across_the_page_is_one_word(text):
    """分散对齐 stretches a two-glyph tail of an address over the whole line: no space inside it."""
    assert row_to_line(_spread_chars(text, 150.0), 1).text == text


@pytest.mark.parametrize("before, after, sep", [
    ("邮箱：th", "h@rcn.no。", ""),  # an address cut before its @
    ("邮箱：ifo", "@rcn.no；Mr. Thomas", ""),
    ("邮箱：marti", "n.kyvsgaard@innofond.dk；Sune", ""),
    ("E-mail: th", "h@rcn.no", ""),  # after a label
    # the label itself at the line end, its colon lost by OCR: the address is the next word, not the label's tail
    ("Dr. Émilie Tremblay, E-mail", "emilie.tremblay@nrc-cnrc.gc.ca", " "),
    ("E-mail", "emilie.tremblay@nrc-cnrc.gc.ca", " "),
    ("联系人：Dr. Émilie Tremblay，Email", "emilie.tremblay@nrc.ca", " "),
    ("网址：URL", "https://council.science", " "),
    ("网址：ht", "tps://ec.europa.eu/", ""),
    ("网址：ec", ".europa.eu/info", ""),
    ("please write to", "doe@example.org", " "),  # two words, the second an address
    ("Martin", "Kyvsgaard", " "),
])
def test_address_cut_at_a_line_end(before, after, sep):
    assert join_lines(before, after) == sep
