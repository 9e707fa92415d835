"""The transcriptions add structure only: their words are the witness's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from sphinx_critical_edition.plaintext import (
    first_difference,
    normalise_whitespace,
    parse_transcription,
    transcription_text,
)
from sphinx_critical_edition.texts import Manifest, TextSpec


def witness_part(manifest: Manifest, spec: TextSpec) -> str:
    return normalise_whitespace(manifest.witness.lines(*spec.witness_lines))


@pytest.mark.parametrize("key", ["sagra", "pulacayo"])
def test_transcription_equals_its_part_of_the_witness(manifest: Manifest, key: str) -> None:
    spec = manifest.text(key)
    expected, actual = witness_part(manifest, spec), transcription_text(spec)
    assert actual == expected, first_difference(expected, actual)


def test_parts_cover_the_whole_witness(manifest: Manifest) -> None:
    lines = manifest.witness.read().split("\n")
    covered: set[int] = set()
    for spec in manifest.texts:
        first, last = spec.witness_lines
        assert not covered & set(range(first, last + 1)), "two texts claim the same lines"
        covered |= set(range(first, last + 1))
    uncovered = [n for n in range(1, len(lines) + 1) if n not in covered]
    assert [lines[n - 1] for n in uncovered if lines[n - 1].strip()] == []
    joined = " ".join(witness_part(manifest, spec) for spec in manifest.texts)
    assert joined == normalise_whitespace(manifest.witness.read())


def _mutate(spec: TextSpec, tmp_path: Path, old: str, new: str) -> Path:
    text = spec.transcription.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    changed = tmp_path / spec.transcription.name
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    return changed


@pytest.mark.parametrize(
    ("key", "old", "new"),
    [
        ("sagra", "Hottschild", "Hochschild"),  # correcting an error is not the transcription's job
        ("sagra", "“Thread”", "“Rosca”"),
        ("sagra", "Rebellion in the Veins, Verso, London", "Rebellion in the Veins, London"),
        ("sagra", "[^7]", ""),  # dropping a note call
        ("pulacayo", "beeing", "being"),
        ("pulacayo", "Catavi\xa0 [", "Catavi, ["),
    ],
)
def test_a_changed_word_is_caught(
    manifest: Manifest, tmp_path: Path, key: str, old: str, new: str
) -> None:
    spec = manifest.text(key)
    changed = _mutate(spec, tmp_path, old, new)
    assert transcription_text(spec, changed) != witness_part(manifest, spec)


def _count(document: nodes.document, kind: type[nodes.Node]) -> int:
    """How many *kind* nodes the text has (the parser's own messages left out)."""
    return sum(
        1 for node in document.findall(kind) if not isinstance(node.parent, nodes.system_message)
    )


def test_structure_changes_are_allowed(manifest: Manifest, tmp_path: Path) -> None:
    """Markup may change freely: here a heading level, emphasis around words, a paragraph split
    in two and a block quote. The structure really changes; the words stay the witness's."""
    spec = manifest.text("sagra")
    changed = spec.transcription.read_text(encoding="utf-8")
    for old, new in [
        ("## How the revolution", "### How the revolution"),
        ("of the Chinese revolution in 1949", "of the *Chinese revolution* in 1949"),
        ("political actors of the Bolivian", "political actors\n\nof the Bolivian"),
        ("\nA succession of populist governments", "\n> A succession of populist governments"),
    ]:
        assert changed.count(old) == 1, old
        changed = changed.replace(old, new)
    path = tmp_path / spec.transcription.name
    path.write_text(changed, encoding="utf-8")

    before, after = parse_transcription(spec.transcription), parse_transcription(path)
    assert _count(after, nodes.paragraph) == _count(before, nodes.paragraph) + 1
    assert _count(after, nodes.block_quote) == _count(before, nodes.block_quote) + 1
    assert _count(after, nodes.emphasis) == _count(before, nodes.emphasis) + 1
    assert _count(after, nodes.section) == _count(before, nodes.section)  # one moved a level
    assert transcription_text(spec, path) == witness_part(manifest, spec)
