"""The layer's YAML loader: its direct construction equals PyYAML's own, line numbers included,
for everything it accepts (what it refuses is in ``test_hostile_input.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sphinx_critical_edition.inputfiles import LineLoader, parse_yaml

ROOT = Path(__file__).resolve().parent.parent


class ReferenceLoader(LineLoader):
    """PyYAML's own construction of every node (LineLoader's mappings, with their lines)."""

    construct_document = yaml.constructor.BaseConstructor.construct_document


def _with_lines(value: Any) -> Any:
    if isinstance(value, dict):
        lines = (getattr(value, "line", None), getattr(value, "key_lines", None))
        return type(value).__name__, lines, {k: _with_lines(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_lines(v) for v in value]
    return type(value).__name__, value


SAMPLE = """\
annotations:
  - id: a
    resp: editors
    paragraph: 27
    held: true
    base: no
    coordinates: [-16.5, -68.15, 1e3, 0x1F, 1_000]
    note: ~
    empty:
    when: "1952-04-09"
    quoted: "27"
    escaped: "caf\\u00e9 \\t"
  - {one: 1, two: [2, {three: 3}]}
  - !!str 12
"""


def test_direct_construction_equals_pyyamls() -> None:
    """Numbers, booleans, null, quoted and explicitly tagged strings included, and every YAML
    file of the edition."""
    texts = [SAMPLE] + [
        path.read_text(encoding="utf-8")
        for path in sorted([*ROOT.glob("docs/**/*.yaml"), *ROOT.glob("source_texts/*.yaml")])
    ]
    assert len(texts) > 10
    for text in texts:
        fast, problems = parse_yaml(text, "sample.yaml")
        assert problems == []
        reference = yaml.load(text, Loader=ReferenceLoader)
        assert _with_lines(fast) == _with_lines(reference)
