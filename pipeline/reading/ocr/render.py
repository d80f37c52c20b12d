"""A scanned page → an RGB image, at the resolution the scan itself has.

Rendering above the scan's own resolution adds nothing; below ~150 dpi small glyphs
(parentheses, digits) blur together. A page with no embedded image (vector outlines)
is rendered at `DEFAULT_RENDER_DPI`.
"""

from __future__ import annotations

from .seal import drop_red_ink

MIN_RENDER_DPI = 150  # below this, parentheses and digits of body text blur together
MAX_RENDER_DPI = 300  # above this the recogniser gains nothing (it reads lines 48 px high)
DEFAULT_RENDER_DPI = 200  # a page with no embedded image (vector outlines): render at this


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


def page_to_image(pdf_page):
    """A pypdfium2 page → (RGB numpy image, dpi it was rendered at)."""
    import numpy as np

    dpi = render_dpi(embedded_image_dpi(pdf_page))
    image = np.asarray(pdf_page.render(scale=dpi / 72, grayscale=False).to_pil().convert("RGB"))
    return drop_red_ink(image), dpi
