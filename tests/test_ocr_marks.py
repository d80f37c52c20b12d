"""marks.unexplained_ink: the accent, ring, slash or cedilla a reading lost is seen in the word image.

Word images are drawn here with the Latin faces scans are printed in (Liberation Serif and Sans,
DejaVu Sans), at the sizes body text has at 150, 200 and 300 dpi, blurred, speckled and
JPEG-compressed like the scan fixtures; each is then "read" without its marks (`Søren` → `Soren`,
as both OCR readings do) and the letter whose image holds the lost mark must be named.
The readings' character centres come from the face's own advances.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("cv2")
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from pipeline.reading.ocr import marks  # noqa: E402
from pipeline.reading.ocr.seal import drop_red_ink  # noqa: E402

FACES = {name: path for name, path in (
    ("Liberation Serif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    ("Liberation Sans", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
) if Path(path).exists()}
# 10.5-point body text at 150, 200 and 300 dpi, in pixels per em
SIZES = {150: 22, 200: 29, 300: 44}


def word_image(text: str, face: str, px: int, seed: int = 3, seal: bool = False, specks_in_spaces: bool = False):
    """text drawn in face at px pixels per em, scanned: blur, 0.2 % speckle, JPEG 60; and each character's centre.
    specks_in_spaces: a black pixel in the middle of each word space too, at the x-height's middle (where a
    speckled scan's noise cuts a space's blank in two)."""
    font = ImageFont.truetype(FACES[face], px)
    width = int(font.getlength(text)) + 2 * px
    image = Image.new("L", (width, int(px * 2.6)), 255)
    draw = ImageDraw.Draw(image)
    x0, y0 = px, int(px * 0.8)
    draw.text((x0, y0), text, font=font, fill=0)
    centers = [x0 + (font.getlength(text[:i]) + font.getlength(text[:i + 1])) / 2 for i in range(len(text))]
    image = image.filter(ImageFilter.GaussianBlur(0.6 * px / 29))
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(int(0.002 * image.size[0] * image.size[1])):
        pixels[rng.randrange(image.size[0]), rng.randrange(image.size[1])] = rng.choice((0, 255))
    if specks_in_spaces:
        for i, ch in enumerate(text):
            if ch == " ":
                pixels[int(centers[i]), int(y0 + px * 0.55)] = 0
    rgb = image.convert("RGB")
    if seal:  # a red seal's ring through the word, pressed as the scan fixtures press theirs (build.red_stamp)
        layer = Image.new("RGBA", rgb.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).ellipse((width // 3, -px, width // 3 + 3 * px, 2 * px), outline=(215, 30, 30, 170),
                                      width=max(3, px // 6))
        rgb = Image.alpha_composite(rgb.convert("RGBA"), layer).convert("RGB")
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=60)
    # as the page image OCR reads: the red ink taken out (`render.page_to_image`)
    return drop_red_ink(np.array(Image.open(out).convert("RGB"))), centers


# (as printed, as read without the mark): every letter of ø å æ š č ć ž đ ő ű ł ñ ç ß, and capitals
LOST_MARKS = [
    ("Søren", "Soren"), ("Bjørnstad", "Bjornstad"), ("Åsa Lind", "Asa Lind"), ("Ødegård", "Odegard"),
    ("Kjær", "Kjer"), ("Šimić", "Simic"), ("Čačić", "Cacic"), ("Kovačević", "Kovacevic"),
    ("Žužul", "Zuzul"), ("Božo", "Bozo"), ("Đurđica", "Durdica"), ("Szőke", "Szoke"), ("Szűcs", "Szucs"),
    ("Łukasz", "Lukasz"), ("Michał", "Michal"), ("Núñez", "Nunez"), ("Peña", "Pena"),
    ("Gonçalves", "Goncalves"), ("Weiß", "Weis"), ("Horváthová", "Horvathova"), ("Ödön", "Odon"),
    ("Dvořák", "Dvorak"), ("Zoltán", "Zoltan"), ("Émilie", "Emilie"), ("Müller", "Muller"),
    # marks below letters with no descender: t, k, l (Romanian ț, Latvian ķ ļ)
    ("Coțofan", "Cotofan"), ("Kaļķis", "Kalkis"),
]
# letters whose mark is a stroke through the letter's own body, not ink beside it: the word image cannot tell them
STROKE_THROUGH = {"Đurđica": "đ and Đ: the bar crosses the stem", "Łukasz": "Ł: the slash crosses the stem",
                  "Michał": "ł: the slash crosses the stem", "Kjær": "æ read as e: the ligature's a is inside"}


def _cases():
    for printed, read in LOST_MARKS:
        for face in FACES:
            for dpi in SIZES:
                marks_ = [pytest.mark.xfail(strict=True, reason=STROKE_THROUGH[printed])] \
                    if printed in STROKE_THROUGH else []
                yield pytest.param(printed, read, face, dpi, marks=marks_, id=f"{printed}-{face}-{dpi}")


@pytest.mark.parametrize("printed, read, face, dpi", list(_cases()))
def test_a_lost_mark_is_seen(printed, read, face, dpi):
    image, centers = word_image(printed, face, SIZES[dpi])
    lost = {i for i, (a, b) in enumerate(zip(printed, read)) if a != b}
    found = set(marks.unexplained_ink(read, image, centers))
    assert found & lost, (found, lost)


PLAIN = ["Soren Larsen", "Erik Johansson", "Contact", "Tan Wei Ling", "Kim Min-jun", "Ana Paula Ribeiro",
         "Somchai Wongsawat", "Naledi Mokoena", "Yamada Taro", "Amanda Schwarz", "Thomas Becker", "Oscar Rossi",
         "Marco Verrazzano", "Wu Xiaoming", "Nnamdi Okonkwo", "Veronica Monroe",
         # i, t and ascenders over the baseline, nothing below (a serif's foot is no mark)
         "Thabo Mbeki", "Heidi Klum", "Lindiwe Khumalo", "Ibrahim Idris", "Dietrich Bonhoeffer"]


@pytest.mark.parametrize("face", list(FACES))
@pytest.mark.parametrize("dpi", list(SIZES))
def test_a_dot_below_is_seen_in_a_run(face, dpi, request):
    """Vietnamese `Thị` read `Thi`: a three-letter word has too few small letters to give its lines, but in
    the name's run the others do, and the dot below the `i` is ink the reading does not explain."""
    if (face, dpi) == ("Liberation Sans", 200):
        request.applymarker(pytest.mark.xfail(strict=True, reason="measured: not seen in this face at this size"))
    printed, read = "Nguyễn Thị Hương", "Nguyên Thi Huong"
    image, centers = word_image(printed, face, SIZES[dpi])
    assert read.index("Thi") + 2 in marks.unexplained_ink(read, image, centers)


def ring_columns(text: str, face: str, px: int) -> tuple[float, float]:
    """The columns the seal's ring of `word_image` covers (its line's width included)."""
    width = int(ImageFont.truetype(FACES[face], px).getlength(text)) + 2 * px
    return width // 3 - px / 2, width // 3 + 3 * px + px / 2


@pytest.mark.parametrize("dpi", list(SIZES))
@pytest.mark.parametrize("face", list(FACES))
def test_a_plain_word_holds_no_mark(face, dpi):
    """Words without marks, specks and JPEG rings included, are not doubted."""
    doubted = {}
    for seed, word in enumerate(PLAIN):
        image, centers = word_image(word, face, SIZES[dpi], seed=seed)
        found = marks.unexplained_ink(word, image, centers)
        if found:
            doubted[word] = [word[i] for i in found]
    assert doubted == {}


@pytest.mark.parametrize("dpi", list(SIZES))
@pytest.mark.parametrize("face", list(FACES))
def test_a_seal_brings_doubt_only_where_it_crosses(face, dpi):
    """Under a red seal, what is left of its ring where it crossed the letters (the seal's removal gives red
    over text the text's darkness) may look like a mark: a letter the ring crosses may be doubted, no other."""
    elsewhere = {}
    for seed, word in enumerate(PLAIN):
        image, centers = word_image(word, face, SIZES[dpi], seed=seed, seal=True)
        left, right = ring_columns(word, face, SIZES[dpi])
        far = [word[i] for i in marks.unexplained_ink(word, image, centers) if not left <= centers[i] <= right]
        if far:
            elsewhere[word] = far
    assert elsewhere == {}


@pytest.mark.parametrize("printed, read, glued_at", [
    ("Pieter van der Berg", "Pietervan der Berg", 6),
    ("Siti Nurhaliza binti Ahmad", "Siti Nurhalizabinti Ahmad", 14),
    ("Jean-Luc de la Fontaine", "Jean-Lucde la Fontaine", 8),
    ("Jean-Luc de la Fontaine", "Jean-Lucdela Fontaine", 8),  # two spaces lost in one word
])
@pytest.mark.parametrize("face", list(FACES))
def test_a_lost_word_space_is_seen(printed, read, glued_at, face):
    """The reading glued two words (`Pietervan`): the blank between them is as wide as the word spaces."""
    image, centers = word_image(printed, face, SIZES[200])
    # the reading's centres: the printed characters' without the spaces it lost
    kept, k = [], 0
    for i, ch in enumerate(printed):
        if k < len(read) and read[k] == ch:
            kept.append(centers[i])
            k += 1
    assert len(kept) == len(read)
    assert glued_at in marks.unexplained_ink(read, image, kept)


@pytest.mark.parametrize("printed, read, glued_at", [
    ("Giulia Bianchi", "GiuliaBianchi", 6),
    ("Pieter van der Berg", "Pietervan der Berg", 6),
])
@pytest.mark.parametrize("face", list(FACES))
def test_a_speck_in_a_lost_space_does_not_hide_it(printed, read, glued_at, face):
    """A speck of noise in the space's blank (250 dpi, speckle 0.4 %: `GiuliaBianchi` was not seen) is no ink."""
    image, centers = word_image(printed, face, SIZES[200], specks_in_spaces=True)
    kept = [centers[i] for i, ch in enumerate(printed) if not (ch == " " and i == printed.index(" "))]
    assert glued_at in marks.lost_spaces(read, image, kept)


@pytest.mark.parametrize("face", list(FACES))
def test_a_last_letter_is_never_put_apart(face):
    """No name ends in a letter of its own: a blank before the last letter (its centre, beside a Han character,
    is the engine's least certain: `Grube r`, `Nkos i` on a harsher scan) is no lost space."""
    image, centers = word_image("Grube r", face, SIZES[200])
    assert marks.lost_spaces("Gruber", image, centers[:5] + centers[6:]) == []


# names whose word spaces a reading kept: no blank inside their words is a lost space
SPACED = ["Tan Wei Ling", "Ana Paula Ribeiro", "Zsofia KOVACS", "Lina Lind", "Paul Allen", "Mette Kjer Sorensen",
          "Aroha Ngata", "Thabo Nkosi", "Naledi Mokoena", "Claire Dubois", "Katarina Horvathova", "Lars Aberg"]
# measured: `ll` at 150 dpi in Liberation Serif (`Ng` and `Nk` at 300 dpi were a speck's doing: gone with specks)
FALSE_SPACE = {("Paul Allen", "Liberation Serif", 150)}


@pytest.mark.parametrize("name, face, dpi", [
    pytest.param(name, face, dpi, marks=[pytest.mark.xfail(strict=True, reason="measured: a blank as wide as a space")]
                 if (name, face, dpi) in FALSE_SPACE else [])
    for name in SPACED for face in FACES for dpi in SIZES])
def test_a_name_read_with_its_spaces_gets_no_other(name, face, dpi):
    """The blank between two letters is no lost word space unless it is about as wide as the name's own spaces
    (`GLUE_RATIO`), and `L`'s foot, under the x-height band, leaves none (`Tan Wei L ing` on a 150-dpi scan)."""
    image, centers = word_image(name, face, SIZES[dpi])
    assert marks.lost_spaces(name, image, centers) == []


def test_a_crop_without_contrast_or_letters_says_nothing():
    assert marks.unexplained_ink("Soren", np.full((40, 120, 3), 250, dtype=np.uint8), [10, 30, 50, 70, 90]) == []
    image, centers = word_image("Søren", "Liberation Serif" if "Liberation Serif" in FACES else next(iter(FACES)), 29)
    assert marks.unexplained_ink("Soren", image, centers[:3]) == []  # centres that do not fit the word
    assert marks.unexplained_ink("S", image[:, :40], centers[:1]) == []
    # a box off the page gives an empty crop; a grey crop is read as well as a colour one
    for empty in (np.zeros((0, 50, 3), dtype=np.uint8), np.zeros((20, 0), dtype=np.uint8), None):
        assert marks.unexplained_ink("Soren", empty, [5, 15, 25, 35, 45]) == []
        assert marks.lost_spaces("Soren", empty, [5, 15, 25, 35, 45]) == []
    for centres in ([float("nan")] * 5, [float("inf"), 10, 20, 30, 40]):  # centres no engine gives
        assert marks.unexplained_ink("Soren", image, centres) == marks.lost_spaces("Soren", image, centres) == []
    assert marks.unexplained_ink("Soren", image, [-50, -40, -30, -20, -10]) == []  # off the crop: no letter there
    rgba = np.concatenate([image, np.full(image.shape[:2] + (1,), 255, dtype=np.uint8)], axis=2)
    assert marks.unexplained_ink("Soren", rgba, centers) == marks.unexplained_ink("Soren", image, centers)
    gray = image.mean(axis=2).astype(np.uint8)
    assert marks.unexplained_ink("Soren", gray, centers) == marks.unexplained_ink("Soren", image, centers)
