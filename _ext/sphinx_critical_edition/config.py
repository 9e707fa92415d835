"""Configuration values of the extension and the loaded manifest they point to."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .texts import Manifest, current_manifest


def manifest_path(config: Config, confdir: str | Path) -> Path:
    return (Path(confdir) / config.edition_manifest).resolve()


def get_manifest(config: Config, confdir: str | Path) -> Manifest:
    """The text manifest named by ``edition_manifest``; reloaded when the file changes."""
    return current_manifest(manifest_path(config, confdir))


def setup_config(app: Sphinx) -> None:
    app.add_config_value("edition_manifest", "../source_texts/texts.yaml", "env", types=[str])
    app.add_config_value("edition_pdf_filename", "edition.pdf", "env", types=[str])
    app.add_config_value("edition_title", "", "env", types=[str])
    app.add_config_value("edition_author", "", "env", types=[str])
    app.add_config_value("edition_register_doc", "register", "env", types=[str])
    # the map's outline: a country's ISO 3166 alpha-3 code, as in Natural Earth (ADM0_A3)
    app.add_config_value("edition_map_country", "BOL", "env", types=[str])
