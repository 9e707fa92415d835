"""What the figures share: colours as SVG attributes, and text measured in the font print sets
it in, so that a layout can prove that no label covers another."""

from __future__ import annotations

from functools import cache

#: the PDF's packaged font first (WeasyPrint draws SVG text itself), then the browser's serif
SVG_FONTS = "Edition Serif, serif"

#: Colours as SVG presentation attributes: WeasyPrint draws inline SVG without the page's
#: stylesheets, and a shape without a fill prints black. The site's CSS (edition.css) still
#: restyles them on screen (CSS outranks presentation attributes).
INK, MUTED, ACCENT, PAPER = "#222", "#555", "#8a3b12", "#f1f1f1"

Box = tuple[float, float, float, float]


@cache
def _advances(face: str) -> tuple[dict[int, float], float]:
    """A Source Serif face's advance widths (in ems) by code point, and their average."""
    from fontTools.ttLib import TTFont

    from .pdf.fonts import FONT_DIR

    font = TTFont(FONT_DIR / f"SourceSerifPro-{face}.ttf", lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] / units for code, name in font.getBestCmap().items()}
    return widths, sum(widths.values()) / len(widths)


def text_width(text: str, size: float, face: str = "Regular") -> float:
    """The width of *text* set in Source Serif's *face* (Regular, Bold, It) at *size*."""
    widths, average = _advances(face)
    return size * sum(widths.get(ord(char), average) for char in text)


def label_box(
    x: float, y: float, anchor: str, text: str, size: float, face: str = "Regular"
) -> Box:
    """The box (left, top, right, bottom) a label set at (x, y) with *anchor* covers."""
    width = text_width(text, size, face)
    left = {"start": x, "middle": x - width / 2}.get(anchor, x - width)
    return (left, y - 0.75 * size, left + width, y + 0.25 * size)


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes (left, top, right, bottom) share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def grown(box: Box, air: float) -> Box:
    """*box* with *air* added on every side."""
    return (box[0] - air, box[1] - air, box[2] + air, box[3] + air)
