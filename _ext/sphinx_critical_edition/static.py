"""The extension's own stylesheet and script, shipped as package data."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC_DIR = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def setup_static(app: Sphinx) -> None:
    app.connect("config-inited", _add_static_path)
    app.add_css_file("edition.css")
    app.add_js_file("edition.js")
