"""A PDF page → an image, within a pixel budget: the one place pages are rendered (OCR, the review's crops).

OCR renders a scanned page at the resolution the scan itself has: above it adds nothing; below
~150 dpi small glyphs (parentheses, digits) blur together. A page with no embedded image (vector
outlines) is rendered at `DEFAULT_RENDER_DPI`.

What a render costs is known before pdfium allocates anything, and is checked then against
`max_pixels` (`pdf.Limits`, `--max-pixels`; default 25 Mpx, an A4 page at 300 dpi is 8.7 Mpx):
- the page image: width × height in points × (dpi / 72)². A page too large for its dpi is rendered
  at the dpi that fits (an A2 page at 254 dpi instead of 300), but never below `LOWEST_RENDER_DPI`:
  a page that does not fit even there (the largest a PDF allows, 200 × 200 inches, is 400 Mpx at
  100 dpi) is refused (`PixelLimit`).
- the detector's copy: the OCR engine finds lines on a copy at 110 dpi whose short side it enlarges to
  `DETECT_SHORT_SIDE` pixels, and its working memory grows with that copy (~140 bytes a pixel: an A2
  page, 4.7 Mpx, peaks at 1.2 GB resident; an A1 page at 1.9 GB). It may hold a `DETECT_SHARE`th of
  max_pixels (5 Mpx: an A2 page; a strip 1 pt tall becomes as many pixels as it is long × 736). By
  default this refuses a page larger than about A2 before the dpi floor does.
- every image the page draws, as it declares itself (/Width × /Height, read without decoding it):
  pdfium decodes an image whole to draw it (up to 4 bytes a pixel, its rows streamed for most
  codecs), so a few compressed bytes declaring billions of pixels cost minutes or gigabytes.
  An image may declare up to `IMAGE_PIXELS_PER_BUDGET` × max_pixels (a 600-dpi scan of an A4
  page is 35 Mpx).
A page within these limits renders exactly as it did before them.
"""

from __future__ import annotations

import math

from ..pdf import DEFAULT_LIMITS
from .seal import drop_red_ink

MIN_RENDER_DPI = 150  # below this, parentheses and digits of body text blur together
MAX_RENDER_DPI = 300  # above this the recogniser gains nothing (it reads lines 48 px high)
DEFAULT_RENDER_DPI = 200  # a page with no embedded image (vector outlines): render at this
DEFAULT_MAX_PIXELS = DEFAULT_LIMITS.max_pixels  # 25 Mpx: A2 at 254 dpi; ~300 MB of RGB copies while rendering
LOWEST_RENDER_DPI = 100  # a page larger than the budget allows at its dpi is read down to this (large pages
# carry large print: an A0 poster at 128 dpi), never lower
DETECT_SHORT_SIDE = 736  # the engine's detector enlarges an image's short side to this (rapidocr's det
# limit_side_len with limit_type min)
IMAGE_PIXELS_PER_BUDGET = 4  # an image drawn on a page may declare this many times max_pixels
DETECT_SHARE = 5  # the detector's copy may hold max_pixels / this (5 Mpx by default: an A2 page at 110 dpi)


class PixelLimit(Exception):
    """Rendering a page would pass max_pixels; found says what is too large (for `pdf.Limits`' one-line error)."""

    def __init__(self, found: str):
        super().__init__(found)
        self.limit, self.found = "max_pixels", found


# images a page may draw to be rendered for OCR (a scan draws one, or a band of strips): drawing one image
# 10,000 times took ~5 s to render and 100,000 times (a 2.5 MB content stream) would be close to a minute
MAX_IMAGES_PER_PAGE = 1000


class ImageCountLimit(PixelLimit):
    """A page draws more than MAX_IMAGES_PER_PAGE images (in forms too): refused before it is rendered."""

    def __init__(self, count: int):
        super().__init__(f"the page draws more than {MAX_IMAGES_PER_PAGE:,} images")
        self.limit, self.count = "images_per_page", count


def check_image_count(pdf_page) -> None:
    """ImageCountLimit when the page draws more than MAX_IMAGES_PER_PAGE images; counted, nothing decoded."""
    import pypdfium2.raw as pdfium_c

    for count, _obj in enumerate(pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]), start=1):
        if count > MAX_IMAGES_PER_PAGE:
            raise ImageCountLimit(count)


def embedded_image_dpi(pdf_page) -> float | None:
    """The resolution of the largest image drawn on a pypdfium2 page (pixels per inch on the page)."""
    import pypdfium2.raw as pdfium_c

    best: tuple[float, float] | None = None  # (area on page, dpi)
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, px_h = obj.get_px_size()
            x0, y0, x1, y1 = obj.get_bounds()
        except Exception:  # an image pdfium cannot measure: no opinion
            continue
        w_pt, h_pt = abs(x1 - x0), abs(y1 - y0)
        if w_pt < 1 or h_pt < 1:
            continue
        dpi = max(px_w / w_pt, px_h / h_pt) * 72
        if best is None or w_pt * h_pt > best[0]:
            best = (w_pt * h_pt, dpi)
    return best[1] if best else None


def render_dpi(image_dpi: float | None) -> int:
    """Render at the scan's own resolution, within [MIN_RENDER_DPI, MAX_RENDER_DPI]."""
    if image_dpi is None:
        return DEFAULT_RENDER_DPI
    return int(round(min(MAX_RENDER_DPI, max(MIN_RENDER_DPI, image_dpi))))


def rendered_size(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """The pixels pypdfium2 renders a page of this size at dpi: (width, height)."""
    return math.ceil(width_pt * dpi / 72), math.ceil(height_pt * dpi / 72)


def fitting_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: float, lowest_dpi: float) -> float:
    """dpi when the page fits max_pixels there; else the largest whole dpi that fits, down to lowest_dpi.

    PixelLimit when even lowest_dpi does not fit."""
    def pixels(d: float) -> int:
        w, h = rendered_size(width_pt, height_pt, d)
        return w * h

    if pixels(dpi) <= max_pixels:
        return dpi
    area = max(width_pt * height_pt, 1e-9)
    fit = min(math.floor(dpi), math.floor(72 * math.sqrt(max_pixels / area)))
    while fit >= lowest_dpi and pixels(fit) > max_pixels:  # ceil() may add a row or a column
        fit -= 1
    if fit < lowest_dpi:
        w, h = rendered_size(width_pt, height_pt, lowest_dpi)
        raise PixelLimit(f"a page of {width_pt:g} × {height_pt:g} pt is {w} × {h} pixels "
                         f"({_mega(w * h)}) even at {lowest_dpi:g} dpi, more than {_mega(max_pixels)}")
    return fit


def detector_copy_size(width_px: int, height_px: int, dpi: float) -> tuple[int, int]:
    """The copy of a page image rendered at dpi that the engine finds lines on: at DETECT_DPI, its short
    side then enlarged to DETECT_SHORT_SIDE when shorter (a thin strip becomes long × 736)."""
    from .engine import DETECT_DPI

    ratio = min(1.0, DETECT_DPI / dpi)
    w, h = max(1, int(width_px * ratio)), max(1, int(height_px * ratio))
    enlarge = max(1.0, DETECT_SHORT_SIDE / min(w, h))
    return round(w * enlarge), round(h * enlarge)


def check_detector_copy(width_px: int, height_px: int, dpi: float, max_pixels: float) -> None:
    """PixelLimit when the engine's copy to find lines on would hold more than max_pixels / DETECT_SHARE:
    its working memory is ~140 bytes a pixel of it (an A2 page, 4.7 Mpx: 1.2 GB resident in all)."""
    w, h = detector_copy_size(width_px, height_px, dpi)
    allowed = max_pixels / DETECT_SHARE
    if w * h > allowed:
        raise PixelLimit(f"a page image of {width_px} × {height_px} pixels needs a {w} × {h} copy "
                         f"({_mega(w * h)}) to find its lines, more than {_mega(allowed)} (1/{DETECT_SHARE} of "
                         f"{_mega(max_pixels)})")


def check_drawn_images(pdf_page, max_pixels: float) -> None:
    """PixelLimit when an image the page draws (in forms too) declares more than IMAGE_PIXELS_PER_BUDGET ×
    max_pixels. Read from its dictionary's /Width and /Height: nothing is decoded."""
    import pypdfium2.raw as pdfium_c

    allowed = IMAGE_PIXELS_PER_BUDGET * max_pixels
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        try:
            px_w, px_h = obj.get_px_size()
        except Exception:  # pdfium cannot size it: it will not draw it either
            continue
        if px_w * px_h > allowed:
            raise PixelLimit(f"an image on a page declares {px_w} × {px_h} pixels ({_mega(px_w * px_h)}), "
                             f"more than the {IMAGE_PIXELS_PER_BUDGET} × {_mega(max_pixels)} an image may hold")


def render_page(pdf_page, dpi: float, max_pixels: float, lowest_dpi: float | None = None, grayscale: bool = False):
    """A pypdfium2 page → (PIL image, RGB or grey "L", the dpi it was rendered at), within max_pixels.

    At dpi when the page fits; else at the dpi that fits down to lowest_dpi (None: dpi, no lower).
    PixelLimit, before anything is rendered, when the page or an image it draws is too large."""
    width_pt, height_pt = pdf_page.get_size()
    dpi = fitting_dpi(width_pt, height_pt, dpi, max_pixels, dpi if lowest_dpi is None else min(dpi, lowest_dpi))
    check_image_count(pdf_page)
    check_drawn_images(pdf_page, max_pixels)
    bitmap = pdf_page.render(scale=dpi / 72, grayscale=grayscale)
    return bitmap.to_pil().convert("L" if grayscale else "RGB"), dpi


def page_to_image(pdf_page, max_pixels: float = DEFAULT_MAX_PIXELS):
    """A pypdfium2 page → (RGB numpy image, dpi it was rendered at) for OCR, within max_pixels."""
    import numpy as np

    check_image_count(pdf_page)
    width_pt, height_pt = pdf_page.get_size()
    dpi = fitting_dpi(width_pt, height_pt, render_dpi(embedded_image_dpi(pdf_page)), max_pixels, LOWEST_RENDER_DPI)
    check_detector_copy(*rendered_size(width_pt, height_pt, dpi), dpi, max_pixels)
    image, dpi = render_page(pdf_page, dpi, max_pixels)
    return drop_red_ink(np.asarray(image)), dpi


def _mega(pixels: float) -> str:
    return f"{pixels / 1e6:.3g} Mpx" if pixels < 1e9 else f"{pixels / 1e9:.3g} Gpx"
