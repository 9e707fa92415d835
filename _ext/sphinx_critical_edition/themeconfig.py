"""The theme's changes to the configuration, made where Sphinx compares it between builds.

sphinx-book-theme and the pydata theme under it change four configuration values while the
builder starts, after Sphinx has compared the configuration with the one saved by the last
build and before it saves the new one: ``html_permalinks_icon`` ("#"), ``html_sourcelink_suffix``
(""), ``html_theme_options`` (``navbar_persistent``, ``icon_links`` and ``logo`` added) and
``templates_path`` (each theme's component folder appended). So every rebuild said "The
configuration has changed (4 options: …)" with nothing changed, a line that would hide a real
change. Here, before the comparison (``config-inited``), the first three get the values the
themes give them (a value conf.py sets is left alone, as the themes leave it), and once the
templates are loaded (``builder-inited``) ``templates_path`` is what conf.py made it again.

``navbar_persistent`` is empty: the theme's top bar would hold only a search field, which
``edition.css`` hid (the sidebar has one), and what stayed was an empty white strip above the
page's header.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

#: themes built on pydata-sphinx-theme, which change the configuration as described above
PYDATA_THEMES = frozenset({"sphinx_book_theme", "pydata_sphinx_theme"})
#: what the themes set when conf.py does not
THEME_VALUES: dict[str, Any] = {"html_permalinks_icon": "#", "html_sourcelink_suffix": ""}
#: what pydata-sphinx-theme adds to ``html_theme_options`` when conf.py does not
THEME_OPTIONS: dict[str, Any] = {"navbar_persistent": [], "icon_links": [], "logo": {}}
_TEMPLATES_PATH = "_edition_templates_path"  # conf.py's templates_path, kept on the app


def _set_by_conf(config: Config, name: str) -> bool:
    return name in config._raw_config or name in config.overrides


def settle_theme_values(app: Sphinx, config: Config) -> None:
    """Give the values the theme would change later their final form now."""
    if config.html_theme not in PYDATA_THEMES:
        return
    for name, value in THEME_VALUES.items():
        if not _set_by_conf(config, name):
            setattr(config, name, value)
    for name, value in THEME_OPTIONS.items():
        config.html_theme_options.setdefault(name, value)
    setattr(app, _TEMPLATES_PATH, list(config.templates_path))


def restore_templates_path(app: Sphinx) -> None:
    """Once the templates are loaded, ``templates_path`` as conf.py made it (the themes' own
    folders are in the template loader already)."""
    kept = getattr(app, _TEMPLATES_PATH, None)
    if kept is not None:
        app.config.templates_path[:] = kept


def setup_theme_config(app: Sphinx) -> None:
    app.connect("config-inited", settle_theme_values, priority=900)
    app.connect("builder-inited", restore_templates_path, priority=900)
