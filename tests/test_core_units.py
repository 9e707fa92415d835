"""Unit tests of the pure-Python core (loader, safety, anchoring, plain text, check), written
to kill mutants that ``tox -e mutate`` found alive: each pins one behaviour that the other tests
only touched in passing. No Sphinx build: these run in the mutation run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project
from sphinx_critical_edition.check import _note_line, check_edition
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.loader import read_yaml
from sphinx_critical_edition.plaintext import first_difference, normalise_whitespace
from sphinx_critical_edition.safety import unsafe_reason
from sphinx_critical_edition.texts import load_manifest

# ------------------------------------------------------------------------------ the witness


def test_an_edited_witness_stops_the_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The received witness is never edited: one changed byte and the check fails, naming the
    witness file, even though every transcription and annotation is unchanged."""
    docs = copy_project(tmp_path)
    manifest = load_manifest(tmp_path / "source_texts" / "texts.yaml")
    witness = manifest.witness.path
    witness.write_bytes(witness.read_bytes().replace(b"Hottschild", b"Hochschild", 1))
    assert manifest.witness.actual_sha256() != manifest.witness.sha256
    result = check_edition(docs)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        f"{witness}:1: the witness's sha256 differs from texts.yaml: the received witness must "
        "never be edited"
    ]
    assert main(["check", "--docs", str(docs)]) == 1
    assert "sha256 differs" in capsys.readouterr().err


def test_the_received_witness_passes(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    assert check_edition(docs).problems == []
    assert main(["check", "--docs", str(docs)]) == 0


# ------------------------------------------------------------------------------ safety


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("A note with [a link](https://example.org) and *emphasis*.", None),
        ("http://example.org in a [link](http://example.org)", None),
        ("1 < 2 & 3 > 2, <= and >=", None),
        ("a mail link [x](mailto:a@example.org)", "only http(s) and internal links are allowed"),
        ("[x]( ftp://example.org)", "only http(s) and internal links are allowed, not ftp:"),
        ("<ftp://example.org", "only http(s) and internal links are allowed, not ftp:"),
        ("< https://example.org", None),
        ("[x](< https://example.org)", None),
        ("[x](<ftp://example.org)", "only http(s) and internal links are allowed, not ftp:"),
        ("<https://example.org>", "raw HTML is not allowed"),  # autolinks read as tags
        ("<b>bold</b>", "raw HTML is not allowed"),
        ("</ i>", "raw HTML is not allowed"),
        ("< !-- comment -->", "raw HTML is not allowed"),
        ("<?php ?>", "raw HTML is not allowed"),
        ("javascript :alert(1)", "javascript:, vbscript: and data: links are not allowed"),
        ("VBScript:msgbox", "javascript:, vbscript: and data: links are not allowed"),
        ("see data: the table", "javascript:, vbscript: and data: links are not allowed"),
        ("metadata: fine", None),
        ("[x](HTTPS://example.org)", None),
    ],
)
def test_unsafe_reason(value: str, reason: str | None) -> None:
    found = unsafe_reason(value)
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found


def test_unsafe_reason_messages_in_full() -> None:
    assert unsafe_reason("<i>x</i>") == (
        "raw HTML is not allowed (write MyST: *emphasis*, [text](https://…), {cite}`key`)"
    )
    assert unsafe_reason("[x](ftp://a)") == "only http(s) and internal links are allowed, not ftp:"
    assert unsafe_reason("<Ftp://a") == "only http(s) and internal links are allowed, not Ftp:"


# ------------------------------------------------------------------------------ plain text


def test_first_difference_shows_both_texts_around_it() -> None:
    assert first_difference("same", "same") == "identical"
    expected = "a" * 50 + "X" + "b" * 50
    actual = "a" * 50 + "Y" + "b" * 50
    assert first_difference(expected, actual, context=3) == (
        "first difference at character 50:\n  witness:       …'aaaXbb'\n  transcription: …'aaaYbb'"
    )
    # one text a prefix of the other: the difference is where the shorter ends
    assert first_difference("abc", "abcdef", context=2).startswith(
        "first difference at character 3:\n  witness:       …'bc'\n  transcription: …'bcde'"
    )
    assert first_difference("ab", "xb").startswith("first difference at character 0:\n")
    assert "…'ab'" in first_difference("ab", "xb") and "…'xb'" in first_difference("ab", "xb")


def test_normalise_whitespace() -> None:
    assert normalise_whitespace("  a\n\tb\xa0 c  ") == "a b c"


# ------------------------------------------------------------------------------ the bibliography


def test_note_line_finds_the_note_of_its_own_entry() -> None:
    lines = [
        "@book{first,",  # 1
        "  note = {a},",  # 2
        "}",  # 3
        "@book{second,",  # 4
        "  title = {t},",  # 5
        "  note = {b},",  # 6
        "}",  # 7
        "@book{third,",  # 8
        "  title = {t},",  # 9
        "}",  # 10
        "@book{fourth,",  # 11
        "  note = {c},",  # 12
    ]
    assert _note_line(lines, "first") == 2
    assert _note_line(lines, "second") == 6
    assert _note_line(lines, "third") == 8  # no note: the entry's own line
    assert _note_line(lines, "missing") == 2  # no such entry: the first note from the top


# ------------------------------------------------------------------------------ the loader


def _read(tmp_path: Path, kind: str, text: str) -> list[str]:
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list = []
    read_yaml(path, kind, problems)
    return [str(p).removeprefix(f"{path}:") for p in problems]


NOTE = """text: sagra
annotations:
  - id: x
    kind: note
    quote: Hottschild
    resp: editors
    cert: high
    sources: ['bib:dunkerley1984rebellion']
"""


def test_schema_messages_in_full(tmp_path: Path) -> None:
    """Each schema error becomes one message at its line, naming the path to the field."""
    assert _read(tmp_path, "annotations", NOTE + "    body: b\n    colour: red\n") == [
        "3: annotations.0: Additional properties are not allowed ('colour' was unexpected); "
        "allowed fields: body, cert, corr, id, kind, note_call, paragraph, prefix, quote, "
        "readings, ref, resp, sources, suffix, type"
    ]
    assert _read(tmp_path, "annotations", NOTE) == [
        "3: annotations.0: 'body' is a required property"
    ]
    assert _read(tmp_path, "annotations", "text: sagra\n") == [
        "1: the file: 'annotations' is a required property"
    ]
    emendation = NOTE.replace("kind: note", "kind: emendation") + "    body: b\n    type: typo\n"
    assert _read(tmp_path, "annotations", emendation) == [
        "3: annotations.0: an emendation needs exactly one of corr (the reading) or note_call"
    ]
    variant = NOTE.replace("kind: note", "kind: variant") + (
        "    body: b\n    readings:\n      - text: la Rosca\n        lang: es\n"
    )
    assert _read(tmp_path, "annotations", variant) == [
        "11: annotations.0.readings.0: a reading needs a witness (wit) or sources"
    ]
    assert _read(tmp_path, "annotations", NOTE.replace("high", "total") + "    body: b\n") == [
        "7: annotations.0.cert: 'total' is not one of ['high', 'medium', 'low']"
    ]
