"""The extension's reference, written from what the code declares, so that it cannot drift.

Settings come from :data:`config.CONFIG_VALUES`; the manifest's and the layer's YAML fields
from the JSON Schemas (their ``description`` and ``examples``). ``critical-edition reference``
prints it; ``REFERENCE.md`` in the repository is its output, and a test fails when they differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .config import CONFIG_VALUES
from .loader import SCHEMA_DIR

#: the manifest and the layer's files, in the order an editor meets them: (schema, where)
LAYER_FILES = (
    ("texts.schema.json", "source_texts/texts.yaml (or the file edition_manifest names)"),
    ("annotations.schema.json", "docs/annotations/*.yaml (one file per group of annotations)"),
    ("register.schema.json", "docs/register/*.yaml (persons, organisations, places, terms)"),
    ("witnesses.schema.json", "docs/witnesses.yaml"),
    ("chronology.schema.json", "docs/chronology.yaml (optional)"),
    ("link-policy.schema.json", "docs/link-policy.yaml (optional): hosts no link may point to"),
    ("web-sources.schema.json", "docs/web-sources.yaml (optional): how web sources are named"),
)

#: directives and roles the extension adds: name → what it does
DIRECTIVES = {
    "edition-apparatus": "The apparatus criticus: every variant, by place, lemma ] readings.",
    "edition-emendations": "The list of emendations: as received, as the edition reads, why.",
    "edition-register": "One list of the register (option `:type:` person, organisation, …).",
    "edition-sigla": "The list of sigla (witnesses.yaml).",
    "edition-chronology": "The chronology (chronology.yaml) as a list.",
    "edition-timeline": "The chronology as an SVG timeline.",
    "edition-web-pages": "Every web page given as a source, by site: title, address, where "
    "cited; each web source's label links to its entry.",
    "edition-map": "The register's places with coordinates over a country (edition_map_country).",
    "text-part": "A part of a text with its own heading (e.g. a publisher's preface).",
    "edition-witness (role)": "The witness's copy beside the HTML, by its path; a link where "
    "the build publishes it, its full address in the PDF where html_baseurl is a real one.",
    "edition-pdf (role)": "A link to the PDF beside the HTML; says “not built yet” without one.",
    "edition:note (role)": "A link to an editors' note by its id, printed with its letter and"
    " place in this build (“note b (§1)”); an id that is no note stops the build.",
}


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("|", "\\|").replace("\n", " ")


def _type(node: dict[str, Any], schema: dict[str, Any]) -> str:
    node = _resolve(node, schema)
    if "enum" in node:
        return " / ".join(f"`{v}`" for v in node["enum"])
    if "oneOf" in node:
        return " or ".join(_type(option, schema) for option in node["oneOf"])
    kind = node.get("type", "")
    if kind == "array":
        items = _resolve(node.get("items", {}), schema)
        return "list of " + ("objects" if "properties" in items else _type(items, schema) + "s")
    return str(kind or ("object" if "properties" in node else ""))


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return schema["$defs"][ref.removeprefix("#/$defs/")]
    return node


def _required_when(node: dict[str, Any]) -> dict[str, list[str]]:
    """Fields required only for some kinds (``allOf`` of ``if kind = … then required``)."""
    when: dict[str, list[str]] = {}
    for rule in node.get("allOf", []):
        kind = rule["if"]["properties"]["kind"]["const"]
        then = rule["then"]
        for field in then.get("required", []):
            when.setdefault(field, []).append(kind)
        either = [f for option in then.get("oneOf", []) for f in option.get("required", [])]
        for field in either:
            when.setdefault(field, []).append(f"{kind} (one of {', '.join(either)})")
    return when


def schema_fields(schema: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    """(path, required, type, meaning, example) for every field of *schema*, depth first."""

    def walk(node: dict[str, Any], prefix: str) -> Iterator[tuple[str, str, str, str, str]]:
        node = _resolve(node, schema)
        required = set(node.get("required", []))
        when = _required_when(node)
        for name, field in node.get("properties", {}).items():
            field = _resolve(field, schema)
            path = f"{prefix}{name}"
            need = "yes" if name in required else ""
            if name in when:
                need = "for " + ", ".join(when[name])
            example = field.get("examples", [""])[0]
            items = _resolve(field.get("items", {}), schema)
            yield path, need, _type(field, schema), field.get("description", ""), _cell(example)
            if "properties" in items:
                yield from walk(items, f"{path}[].")
            elif "properties" in field or "properties" in field:
                yield from walk(field, f"{path}.")

    yield from walk(schema, "")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def reference_markdown() -> str:
    """The whole reference as Markdown (the content of REFERENCE.md)."""
    out = [
        "# sphinx-critical-edition: reference",
        "",
        "Written by `critical-edition reference` from the extension's declared settings and its",
        "JSON Schemas; do not edit by hand (a test compares this file with the command's output).",
        "",
        "## Start an edition",
        "",
        "The extension needs Python 3.11 or later and, for the PDF, the Pango library",
        "(`apt-get install libpango-1.0-0 libpangoft2-1.0-0`). Install its wheel (this",
        "repository's `python -m build` writes it to `dist/`), make an edition, check it, build:",
        "",
        "```sh",
        "pip install dist/sphinx_critical_edition-*.whl",
        'critical-edition new my-edition --title "My edition" --author "The Author"',
        "cd my-edition",
        "critical-edition check --docs docs              # the editorial layer, path:line errors",
        "sphinx-build -W -b pdf docs docs/_build/pdf     # the PDF",
        "sphinx-build -W -b html docs docs/_build/html   # the HTML, linking to the PDF",
        "```",
        "",
        "Then replace `source_texts/witness/witness.txt` with your text as received (and its",
        "sha256 in `texts.yaml`), put its words into `source_texts/text.md` with structure only,",
        "and add notes, variants, emendations and names to the files below. `examples/gettysburg`",
        "in the repository is a complete small edition.",
        "",
        "## Settings (`conf.py`)",
        "",
        *_table(
            ("setting", "default", "what it does", "example"),
            [(f"`{v.name}`", f"`{v.default!r}`", v.doc, v.example) for v in CONFIG_VALUES],
        ),
        "",
        "Settings of Sphinx and its extensions that an edition sets too (as in",
        '`examples/gettysburg`): `extensions = ["myst_parser", "sphinxcontrib.bibtex",',
        '"sphinx_critical_edition"]`; `bibtex_bibfiles = ["references.bib"]` and',
        '`bibtex_default_style = "edition"` (the extension\'s style, which prints what is known',
        'and demands nothing more); `html_theme = "sphinx_book_theme"` with `html_theme_options`',
        "`use_sidenotes: False` (the extension places the notes itself) and, in",
        "`secondary_sidebar_items`, an empty list for the pages that hold texts (for the notes);",
        "`html_baseurl`, the address where the edition is published (the Web Annotations' ids).",
    ]
    for filename, where in LAYER_FILES:
        schema = json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))
        rows = [(f"`{path}`", *rest) for path, *rest in schema_fields(schema)]
        out += [
            "",
            f"## {schema['title']}: `{where}`",
            "",
            f"Schema: `schemas/{filename}` (editors can point their YAML language server at it).",
            "",
            *_table(("field", "required", "type", "meaning", "example"), rows),
        ]
    out += [
        "",
        "## Directives and roles",
        "",
        *_table(("name", "what it gives"), [(f"`{k}`", v) for k, v in DIRECTIVES.items()]),
        "",
    ]
    return "\n".join(out)


def write_reference(path: Path) -> None:
    path.write_text(reference_markdown(), encoding="utf-8", newline="\n")
