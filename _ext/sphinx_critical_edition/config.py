"""Configuration values of the extension and the loaded manifest they point to.

Every value is declared once, in :data:`CONFIG_VALUES`, with its default and what it does;
``setup_config`` registers them and the reference page (``reference.py``) prints them, so the
documentation cannot drift from the code. Everything particular to one edition (its title, its
texts, its map) comes from these values in ``conf.py`` and from the text manifest.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.config import Config

from .texts import Manifest, current_manifest


@dataclass(frozen=True)
class ConfigValue:
    """One ``conf.py`` setting of the extension."""

    name: str
    default: str | tuple[str, ...]
    doc: str
    example: str = ""


CONFIG_VALUES: tuple[ConfigValue, ...] = (
    ConfigValue(
        "edition_manifest",
        "../source_texts/texts.yaml",
        "The text manifest (relative to conf.py): the witness file and, for each text, its "
        "transcription, the witness lines it covers and how its paragraphs are numbered.",
    ),
    ConfigValue(
        "edition_title",
        "",
        "The edition's title on the PDF title page, in the metadata and the exports; "
        "``project`` when empty.",
        "The Gettysburg Address",
    ),
    ConfigValue(
        "edition_author",
        "",
        "The author of the edited text(s), on the PDF title page and in the metadata; "
        "``author`` when empty.",
        "Abraham Lincoln",
    ),
    ConfigValue(
        "edition_subtitle",
        "",
        "A line under the author on the PDF title page (what else the edition holds); none "
        "when empty.",
        "with the Nicolay and Hay copies",
    ),
    ConfigValue(
        "edition_rights",
        "",
        "The rights statement in every page's Dublin Core ``DC.rights`` (no tag when empty) and"
        " in the TEI's ``publicationStmt``.",
        "Editorial matter CC BY 4.0; the text is in the public domain",
    ),
    ConfigValue(
        "edition_pdf_filename",
        "edition.pdf",
        "The PDF's file name in ``_build/pdf/`` and beside the HTML (the ``{edition-pdf}`` "
        "role links to it).",
        "gettysburg-address.pdf",
    ),
    ConfigValue(
        "edition_register_doc",
        "register",
        "The document that holds the ``edition-register`` directive; names link there.",
    ),
    ConfigValue(
        "edition_cite_doc",
        "",
        "The document that tells how to cite the edition: the PDF's imprint (the title page's "
        "back) gives its page; none when empty.",
        "cite",
    ),
    ConfigValue(
        "edition_pdf_contents",
        (),
        "Sections the PDF's contents lists under their chapter besides those its toctrees "
        "list (a long list a reader looks for), or parts of a text (``text-part``, by its id "
        "``part-NAME``), each as ``document#anchor``; listed in the chapter's order.",
        '["apparatus#list-of-emendations"]',
    ),
    ConfigValue(
        "edition_map_country",
        "",
        "The country the ``edition-map`` directive draws, as its ISO 3166 alpha-3 code in "
        "Natural Earth (``ADM0_A3``); required when a page uses the map.",
        "USA",
    ),
)


def manifest_path(config: Config, confdir: str | Path) -> Path:
    return (Path(confdir) / config.edition_manifest).resolve()


def get_manifest(config: Config, confdir: str | Path) -> Manifest:
    """The text manifest named by ``edition_manifest``; reloaded when the file changes."""
    return current_manifest(manifest_path(config, confdir))


#: the conf.py each build's configuration was read from (none with ``-C``)
_CONF_FILES: WeakKeyDictionary[Config, Path] = WeakKeyDictionary()


def setting_source(config: Config, name: str) -> str:
    """Where the value of setting *name* comes from, to begin an error's message with:
    ``.../conf.py:LINE: name`` (its last assignment in conf.py), ``.../conf.py: name (not
    set)`` for the default, or the override that gave it (``-D``, a test's confoverrides)."""
    if name in config.overrides:
        return f"{name} (given as an override, -D {name}=..., not in conf.py)"
    conf = _CONF_FILES.get(config)
    if conf is None or not conf.is_file():
        return f"{name} (no conf.py)"
    line = _assignment_lines(conf, conf.stat().st_mtime_ns).get(name)
    return f"{conf}:{line}: {name}" if line else f"{conf}: {name} (not set)"


@cache
def _assignment_lines(conf: Path, _mtime: int) -> dict[str, int]:
    """The line of the last assignment of each name at the top level of *conf* (also inside
    ``if``, ``try``, ``with`` blocks; not inside functions or classes)."""
    lines: dict[str, int] = {}

    def visit(statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
                targets = [statement.target]
            else:
                targets = []
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        lines[node.id] = statement.lineno
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(statement, field, []))

    visit(ast.parse(conf.read_bytes(), filename=str(conf)).body)
    return lines


def _remember_conf_file(app: Sphinx, config: Config) -> None:
    _CONF_FILES[config] = Path(app.confdir) / "conf.py"


def setup_config(app: Sphinx) -> None:
    app.connect("config-inited", _remember_conf_file)
    for value in CONFIG_VALUES:
        types = [list, tuple] if isinstance(value.default, tuple) else [str]
        app.add_config_value(value.name, value.default, "env", types=types, description=value.doc)
