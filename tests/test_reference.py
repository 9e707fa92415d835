"""REFERENCE.md is what the code declares: every setting, manifest field, YAML field, directive."""

from __future__ import annotations

import json
import re
from typing import Any

from conftest import ROOT
from sphinx_critical_edition import config, reference, texts
from sphinx_critical_edition.domain import EditionDomain
from sphinx_critical_edition.loader import SCHEMA_DIR

PACKAGE = ROOT / "_ext" / "sphinx_critical_edition"


def test_reference_md_is_up_to_date() -> None:
    committed = (ROOT / "REFERENCE.md").read_text(encoding="utf-8")
    assert committed == reference.reference_markdown(), (
        "REFERENCE.md is out of date: run critical-edition reference -o REFERENCE.md"
    )


def test_every_setting_is_declared_once_and_documented() -> None:
    """No add_config_value outside config.CONFIG_VALUES; each has its doc and its default."""
    calls = [
        path.name
        for path in PACKAGE.rglob("*.py")
        for _ in re.finditer(r"add_config_value\(", path.read_text(encoding="utf-8"))
    ]
    assert calls == ["config.py"]

    class Recorder:
        def __init__(self) -> None:
            self.values: dict[str, Any] = {}

        def add_config_value(self, name: str, default: Any, *args: Any, **kwargs: Any) -> None:
            self.values[name] = (default, kwargs.get("description"))

        def connect(self, event: str, handler: Any) -> None:
            """setup_config also learns where conf.py is (config-inited)."""

    app = Recorder()
    config.setup_config(app)  # type: ignore[arg-type]
    text = reference.reference_markdown()
    assert app.values
    for name, (default, doc) in app.values.items():
        assert doc, name
        assert f"| `{name}` | `{default!r}` |" in text, name


def schema_properties(node: Any, path: str = "") -> list[str]:
    """Every property name in a schema (any depth), as dotted paths of names."""
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append(name)
            found += schema_properties(sub)
        for key, sub in node.items():
            if key != "properties":
                found += schema_properties(sub)
    elif isinstance(node, list):
        for sub in node:
            found += schema_properties(sub)
    return found


def test_every_yaml_field_has_a_meaning_and_appears() -> None:
    text = reference.reference_markdown()
    schemas = sorted(SCHEMA_DIR.glob("*.json"))
    assert {s.name for s in schemas} == {name for name, _ in reference.LAYER_FILES}
    for path in schemas:
        schema = json.loads(path.read_text(encoding="utf-8"))
        rows = list(reference.schema_fields(schema))
        names = {field.split(".")[-1].removesuffix("[]") for field, *_ in rows}
        assert set(schema_properties(schema)) <= names, path.name
        for field, _need, kind, meaning, example in rows:
            assert meaning, f"{path.name}: {field} has no description"
            assert example or kind in ("object", "list of objects"), f"{path.name}: {field}"
            assert f"| `{field}` |" in text


def test_the_manifest_fields_are_the_ones_texts_py_accepts() -> None:
    schema = json.loads((SCHEMA_DIR / "texts.schema.json").read_text(encoding="utf-8"))
    documented = {
        field.removeprefix("texts[].")
        for field, *_ in reference.schema_fields(schema)
        if field.startswith("texts[].")
    }
    assert documented == texts._TEXT_FIELDS


def test_every_directive_and_role_is_listed() -> None:
    added = {
        m.group(2) + (" (role)" if m.group(1) == "role" else "")
        for path in PACKAGE.rglob("*.py")
        for m in re.finditer(r"add_(directive|role)\(\s*\"([a-z-]+)\"", path.read_text("utf-8"))
    }
    added |= {f"edition:{name} (role)" for name in EditionDomain.roles}  # the domain's own
    assert added == set(reference.DIRECTIVES)
