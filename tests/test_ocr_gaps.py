"""gaps.line_with_lost_characters: a comma the engine dropped between Han characters is put back, doubted.

Lines are drawn here in the CJK faces scans are printed in (WenQuanYi Zen Hei, AR PL UMing), at
10.5 pt and 150, 200 and 300 dpi, blurred and speckled; the "reading" is the printed text with a
character left out (as the recogniser drops `、`), its centres where the face put the glyphs.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("cv2")
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from pipeline.reading.ocr import gaps  # noqa: E402
from pipeline.reading.ocr.lines import OcrLine  # noqa: E402

FACES = {name: path for name, path in (("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
                                       ("AR PL UMing", "/usr/share/fonts/truetype/arphic/uming.ttc"))
         if Path(path).exists()}
DPIS = (150, 200, 300)


def drawn_line(printed: str, face: str, dpi: int, seed: int = 5):
    """The page image of one line of printed text, and each character's centre (points) and the line's box."""
    scale = dpi / 72
    px = int(round(10.5 * scale))
    font = ImageFont.truetype(FACES[face], px)
    x0, y0 = int(72 * scale), int(20 * scale)
    image = Image.new("L", (int(x0 + font.getlength(printed) + 72 * scale), int(60 * scale)), 255)
    ImageDraw.Draw(image).text((x0, y0), printed, font=font, fill=0)
    image = image.filter(ImageFilter.GaussianBlur(0.6 * scale / (200 / 72)))
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(int(0.002 * image.size[0] * image.size[1])):
        pixels[rng.randrange(image.size[0]), rng.randrange(image.size[1])] = rng.choice((0, 255))
    centers = [(x0 + (font.getlength(printed[:i]) + font.getlength(printed[:i + 1])) / 2) / scale
               for i in range(len(printed))]
    top, bottom = (y0 - 0.35 * px) / scale, (y0 + 1.35 * px) / scale
    return np.array(image.convert("RGB")), centers, top, bottom


def reading(printed: str, dropped: int, face: str, dpi: int) -> tuple[OcrLine, object]:
    image, centers, top, bottom = drawn_line(printed, face, dpi)
    text = printed[:dropped] + printed[dropped + 1:]
    kept = centers[:dropped] + centers[dropped + 1:]
    return OcrLine(text, kept[0] - 5, top, kept[-1] + 5, bottom, kept, [0.99] * len(text)), image


def _cases(table):
    for printed, dropped, fixed, doubted in table:
        for face in FACES:
            for dpi in DPIS:
                yield pytest.param(printed, dropped, fixed, doubted, face, dpi, id=f"{printed[:8]}-{face}-{dpi}")


LOST = [
    # (printed, index of what the engine dropped, the line after the fix, the doubted characters)
    ("领域方向：人工智能与机器人、生物医药、新材料。", 18, "领域方向：人工智能与机器人、生物医药、新材料。", "、"),
    ("一、总体目标", 1, "一、总体目标", "、"),  # after a section's numeral
    ("领域方向：气候与极地研究、海洋可持续发展。", 12, "领域方向：气候与极地研究、海洋可持续发展。", "、"),  # a label's list
    ("经与有关合作方磋商议定，项目将设立指南方向和研究内容", 11, "经与有关合作方磋商议定，项目将设立指南方向和研究内容",
     "，"),  # a sentence's comma
    ("经与有关合作方磋商议定，项目将设立指南方向", 7, "经与有关合作方商议定，项目将设立指南方向", "方商"),  # a Han character
    # a Han character a partner's name lacks (measured: PP-OCRv4 drops 匈 of 匈牙利 at 150 dpi): put back, doubted
    ("1.11中国和匈牙利政府间科技合作项目", 7, "1.11中国和匈牙利政府间科技合作项目", "和匈牙"),
    ("《中华人民共和国政府和匈牙利政府科学技术合作协定》", 11, "《中华人民共和国政府和匈牙利政府科学技术合作协定》", "和匈牙"),
    ("中国和乌兹别克斯坦政府间科技合作项目", 4, "中国和乌兹别克斯坦政府间科技合作项目", "乌兹别"),  # inside a name
    # two names fit (澳大利亚, 意大利): nothing is put in, the neighbours are doubted
    ("中国和澳大利亚政府间科技合作项目", 3, "中国和大利亚政府间科技合作项目", "和大"),
]


@pytest.mark.parametrize("printed, dropped, fixed, doubted, face, dpi", list(_cases(LOST)))
def test_what_the_engine_dropped_is_seen(printed, dropped, fixed, doubted, face, dpi):
    line, image = reading(printed, dropped, face, dpi)
    out = gaps.line_with_lost_characters(line, image, dpi / 72)
    assert out.text == fixed
    assert "".join(ch for ch, c in zip(out.text, out.confidences) if c <= gaps.LOST_DOUBT) == doubted
    assert len(out.centers) == len(out.confidences) == len(out.text)
    if fixed != line.text:
        assert out.changes[-1].fix == "lost_character"


@pytest.mark.parametrize("face", list(FACES))
@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("printed", [
    "领域方向：人工智能、新能源与储能、生物医药、碳中和技术。",
    "附　件　中方申报单位与外方合作单位的合作协议",  # ideographic spaces: blank cells, nothing dropped
    "拟支持项目数：不超过10个，总经费2000万元。",
])
def test_a_line_read_whole_is_left_alone(printed, face, dpi):
    image, centers, top, bottom = drawn_line(printed, face, dpi)
    keep = [i for i, ch in enumerate(printed) if ch != "　"]  # the engine prints no ideographic space
    line = OcrLine("".join(printed[i] for i in keep), centers[0] - 5, top, centers[-1] + 5, bottom,
                   [centers[i] for i in keep], [0.99] * len(keep))
    assert gaps.line_with_lost_characters(line, image, dpi / 72) is line


def test_a_short_line_or_a_blank_image_says_nothing():
    blank = np.full((200, 2000, 3), 255, dtype=np.uint8)
    line = OcrLine("中国和日本联合研究项目", 10, 10, 300, 30, [15 + 14 * i + (14 if i > 4 else 0) for i in range(11)],
                   [0.99] * 11)
    assert gaps.line_with_lost_characters(line, blank, 3.0) is line
    short = OcrLine("一总体", 10, 10, 80, 30, [15, 43, 57], [0.99] * 3)
    assert gaps.line_with_lost_characters(short, blank, 3.0) is short


@pytest.mark.parametrize("printed, dropped, doubted", [
    # a dropped mark that is no comma is not put back as one: its neighbours are doubted
    ("中方申报单位：中国科学院与外方合作单位", 6, "位中"),  # a colon's two dots
    ("澜沧江—湄公河合作科技创新项目", 3, "江湄"),  # a dash
])
def test_a_dropped_mark_that_is_no_comma_only_doubts(printed, dropped, doubted):
    face = next(iter(FACES))
    line, image = reading(printed, dropped, face, 200)
    out = gaps.line_with_lost_characters(line, image, 200 / 72)
    assert out.text == line.text
    assert "".join(ch for ch, c in zip(out.text, out.confidences) if c <= gaps.LOST_DOUBT) == doubted


def test_centres_that_do_not_fit_the_text_say_nothing():
    blank = np.full((200, 2000, 3), 255, dtype=np.uint8)
    line = OcrLine("中国和日本联合研究项目", 10, 10, 300, 30, [15.0] * 5, [0.99] * 11)
    assert gaps.line_with_lost_characters(line, blank, 3.0) is line
    nan = OcrLine("中国和日本联合研究项目", 10, 10, 300, 30, [float("nan")] * 11, [0.99] * 11)
    assert gaps.line_with_lost_characters(nan, blank, 3.0) is nan
