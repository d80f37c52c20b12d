"""A red seal pressed over a scanned page, taken out of the image before it is read.

An official seal (公章) is red ink over black text. The engine finds lines on the page's
shape, so a seal's ring and its arc of characters touching a heading swallow the heading's
box (`1.14 中国和阿根廷…` lost under `科学技术部国际合作司`), and its ink over a glyph turns the
glyph into another (`和` → `种`). Red ink is told apart by colour: a pixel whose red channel
stands well above the other two. Where the ink lies on paper it is bright in red: paper
(white). Where it lies over text it is dark in red too: the text under it (its darker
channels). Black, grey and blue ink are never touched; red printed text (a red letterhead)
on a scan is taken out with the seal (it is no fact a guideline's record holds).
"""

from __future__ import annotations

RED_OVER_OTHERS = 50  # red channel above both others by this much: red ink
RED_ON_PAPER = 170  # red ink whose red channel is this bright lies on paper; darker, it covers text


def drop_red_ink(image):
    """An RGB numpy image with red ink turned into the paper or the text under it (a new array)."""
    import numpy as np

    red, green, blue = (image[..., k].astype(np.int16) for k in range(3))
    under = np.maximum(green, blue)
    inked = red - under > RED_OVER_OTHERS
    if not inked.any():
        return image
    out = image.copy()
    out[inked] = np.where(red[inked] >= RED_ON_PAPER, 255, under[inked]).astype(image.dtype)[:, None]
    return out
