"""The PDF output: single-page HTML with a print stylesheet, typeset by WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .builder import PdfBuilder
from .translator import PdfTranslator

THEME_DIR = Path(__file__).parent / "theme" / "edition_print"


def setup_pdf(app: Sphinx) -> None:
    app.add_html_theme("edition_print", str(THEME_DIR))
    app.add_builder(PdfBuilder)
    app.set_translator("pdf", PdfTranslator, override=True)  # after html.py's, which it extends


__all__ = ["PdfBuilder", "setup_pdf"]
