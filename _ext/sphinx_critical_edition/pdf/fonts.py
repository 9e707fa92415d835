"""Fonts for the PDF, taken from an installed package so that every build embeds the same ones."""

from __future__ import annotations

from pathlib import Path

import font_source_serif_pro

FONT_DIR = Path(font_source_serif_pro.__file__).parent / "files"

#: (file stem, CSS weight, CSS style)
_FACES = [
    ("SourceSerifPro-Regular", 400, "normal"),
    ("SourceSerifPro-It", 400, "italic"),
    ("SourceSerifPro-Semibold", 600, "normal"),
    ("SourceSerifPro-SemiboldIt", 600, "italic"),
    ("SourceSerifPro-Bold", 700, "normal"),
]


def font_face_css(family: str = "Edition Serif") -> str:
    """``@font-face`` rules pointing at the packaged TrueType files."""
    rules = []
    for stem, weight, style in _FACES:
        path = FONT_DIR / f"{stem}.ttf"
        if not path.is_file():
            path = FONT_DIR / f"{stem}.otf"
        rules.append(
            f"@font-face {{ font-family: '{family}'; src: url('{path.as_uri()}'); "
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)
