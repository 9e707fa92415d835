"""Unit tests of ``inputfiles.py``: every layer file read as untrusted input (size,
symbolic links, UTF-8, invisible characters), YAML as plain data only, BibTeX errors at their
line.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.errors import EditionError, Problem
from sphinx_critical_edition.inputfiles import (
    MAX_BYTES,
    MAX_DEPTH,
    LineLoader,
    parse_bibtex,
    parse_yaml,
    read_text,
)
from sphinx_critical_edition.loader import parsed_bibliography

INVISIBLE = (
    "invisible character U+202E RIGHT-TO-LEFT OVERRIDE is not allowed (it can make text "
    "display differently from what it says); delete it"
)


def test_an_invisible_character_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("\nab\u202ec: 1\n", encoding="utf-8")
    assert read_text(path) == (None, [Problem(str(path), 2, f"column 3: {INVISIBLE}")])
    path.write_text("a: 1\nb: 2\nc: x\u202e\n", encoding="utf-8")  # the third line's column
    assert read_text(path) == (None, [Problem(str(path), 3, f"column 5: {INVISIBLE}")])
    path.write_text("\u202eabc: 1\n", encoding="utf-8")
    assert read_text(path) == (None, [Problem(str(path), 1, f"column 1: {INVISIBLE}")])
    # written as an escape, it is found in the parsed value, which has no column
    assert parse_yaml('a: 1\nb: "x\\u202e"\n', "f.yaml") == (
        None,
        [Problem("f.yaml", 2, INVISIBLE)],
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("<<: {b: 2}", "merge keys (<<) are not allowed: write each field out"),
        ("? [x]\n: y", "a list or mapping cannot be a key; keys are names such as id or quote"),
        (
            "? \n: y",
            "the key '~' is not a field name (YAML reads it as null); keys are names such as id "
            "or quote",
        ),
        (
            "1" * 50 + ": y",
            f"the key '{'1' * 40}' is not a field name (YAML reads it as int); keys are names "
            "such as id or quote",
        ),
    ],
)
def test_a_key_that_is_not_a_name_in_full(key: str, message: str) -> None:
    assert parse_yaml(f"a: 1\n{key}\n", "f.yaml") == (None, [Problem("f.yaml", 2, message)])


ONCE = "give each field once"


def bib_problems(bib: Path, text: str) -> list[tuple[int, str]]:
    """*text* written to *bib* and parsed: nothing is read, and the problems, all in *bib*, as
    (line, message)."""
    bib.write_text(text)
    parsed, problems = parse_bibtex(bib)
    assert parsed is None
    assert {problem.path for problem in problems} == {str(bib)}
    return [(problem.line, problem.message) for problem in problems]


def test_bibtex_data_errors_in_full(tmp_path: Path) -> None:
    """A key used twice, whatever its case, is named at its second entry with the line of the
    first; a field given twice, whatever its case, at its second line with that of the first."""
    bib = tmp_path / "references.bib"
    assert bib_problems(
        bib, "\n@book{Sagra2016,\n  title = {A},\n}\n\n@book{sagra2016,\n  title = {B},\n}\n"
    ) == [(6, "duplicate entry key 'sagra2016' (first on line 2); rename one")]
    assert bib_problems(
        bib, "@book{k0,\n  title = {A},\n}\n\n@book{k1,\n  title = {A},\n  Title = {B},\n}\n"
    ) == [(7, f"entry 'k1' gives the field 'Title' twice (first on line 6); {ONCE}")]
    assert bib_problems(
        bib, "@book{k0, note = {title = x}}\n@book{k1, title = {A},\n\ttitle={B}}\n"
    ) == [(3, f"entry 'k1' gives the field 'title' twice (first on line 2); {ONCE}")]
    assert bib_problems(bib, "@book{k1,\n  title = {A},\n  year = 1990 + x,\n}\n") == [
        (3, "BibTeX syntax error: '}' expected")
    ]
    assert bib_problems(bib, "@book{k1,\n  title = {A},\n  publisher = pub,\n}\n") == [
        (
            3,
            "BibTeX syntax error: undefined string: pub (write a value in braces, "
            "{like this}, or define it with @string)",
        )
    ]
    # a name pybtex cannot read, at its line, with how to write it
    assert bib_problems(bib, "@book{k1,\n  title = {A},\n  author = {X, Y, Z, W},\n}\n") == [
        (
            3,
            "BibTeX error: Too many commas in 'X, Y, Z, W': write a name as 'Surname, Given "
            "names' and separate two people with 'and'",
        )
    ]
    # …written over two lines or with two spaces: pybtex quotes it with one space
    assert bib_problems(
        bib, "@book{k1,\n  title = {A},\n  author = {Lora,  Guillermo,\n    Jr., X},\n}\n"
    ) == [
        (
            3,
            "BibTeX error: Too many commas in 'Lora, Guillermo, Jr., X': write a name as "
            "'Surname, Given names' and separate two people with 'and'",
        )
    ]
    # the entry with the field twice, of two with its key; a line that starts with @ ends it
    assert bib_problems(
        bib, "@misc{k1,\n  title = {A},\n}\n@misc{k1,\n  title = {A},\n  title = {B},\n}\n"
    ) == [(6, f"entry 'k1' gives the field 'title' twice (first on line 5); {ONCE}")]
    assert bib_problems(
        bib, "\n@misc{k1,\n  title = {A},\n  note = {a\n  @b},\n  title = {B},\n}\n"
    ) == [(2, f"entry 'k1' gives the field 'title' twice; {ONCE}")]
    # an entry without fields has no comma after its key: the one found, else the first line
    repeated = "BibTeX error: repeated bibliography entry: k1"
    assert bib_problems(bib, "@misc{k1}\n\n@misc{k1,\n  title = {A},\n}\n") == [(3, repeated)]
    assert bib_problems(bib, "\n@misc{k1}\n@misc{k1}\n") == [(1, repeated)]
    bib.write_text("@book{k1,\n  title = {A},\n  title = {B},\n}\n")
    with pytest.raises(EditionError) as raised:  # where a build needs the bibliography
        parsed_bibliography(bib)
    assert str(raised.value) == (
        f"{bib}:3: entry 'k1' gives the field 'title' twice (first on line 2); {ONCE}"
    )


def test_a_field_given_twice_in_the_bibliography_is_named_at_its_line(tmp_path: Path) -> None:
    """The check of the project names the entry's second ``title`` in docs/references.bib."""
    docs = copy_project(tmp_path)
    bib = docs / "references.bib"
    lines = bib.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, row in enumerate(lines) if row.lstrip().lower().startswith("title"))
    key = next(row for row in reversed(lines[:at]) if row.startswith("@")).split("{")[1][:-2]
    lines.insert(at + 1, "  title = {Again},\n")
    bib.write_text("".join(lines), encoding="utf-8")
    assert [str(p) for p in check_edition(docs).problems] == [
        f"{bib}:{at + 2}: entry {key!r} gives the field 'title' twice (first on line {at + 1}); "
        f"{ONCE}"
    ]


# Sampled survivors of the mutation runs


def test_a_refusal_at_the_top_of_a_document_names_its_line() -> None:
    """A document that is one refused value is named at the line where the value stands."""
    assert [str(p) for p in parse_yaml("\n\n!foo a\n", "f.yaml")[1]] == [
        "f.yaml:3: the YAML tag !foo is not allowed; write plain text, numbers, true/false, "
        "lists and mappings"
    ]


def test_the_registered_mapping_constructor_builds_deep_values_in_full() -> None:
    """``construct_mapping`` (PyYAML's own construction path, which tests/test_loader.py
    compares against) builds a nested list in full when asked to, and keeps the lines."""
    loader = LineLoader("\nk: v\na: [1, 2]\n")
    try:
        mapping = loader.construct_mapping(loader.get_single_node(), deep=True)
    finally:
        loader.dispose()
    assert (mapping, mapping.line, mapping.key_lines) == (
        {"k": "v", "a": [1, 2]},
        2,
        {"k": 2, "a": 3},
    )


def test_a_syntax_error_without_a_mark_is_named_at_the_first_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PyYAML's syntax errors carry the mark of the problem or of its context; one that
    carries neither is named at line 1, never without a line."""

    def fail(_loader: LineLoader) -> None:
        raise yaml.MarkedYAMLError(problem="no mark")

    monkeypatch.setattr(LineLoader, "get_single_data", fail)
    assert parse_yaml("a: 1\nb: 2\n", "f.yaml") == (
        None,
        [Problem("f.yaml", 1, "YAML syntax error: no mark")],
    )


def test_aliases_and_duplicate_keys_are_refused_in_full() -> None:
    """The whole message, with what to do instead."""
    assert parse_yaml("a: &x 1\nb: *x\n", "f.yaml")[1] == [
        Problem("f.yaml", 2, "YAML aliases (*name) are not allowed: write the value out in full")
    ]
    assert parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")[1] == [
        Problem("f.yaml", 3, "duplicate key 'a' (first on line 1): give each field once")
    ]


# Found untested by mutation testing (session 16)


def test_a_symbolic_link_is_refused_in_full(tmp_path: Path) -> None:
    target = tmp_path / "target.yaml"
    target.write_text("a: 1\n", "utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert read_text(link) == (
        None,
        [Problem(str(link), 1, "is a symbolic link; the edition reads plain files only")],
    )


def test_a_file_of_the_size_limit_is_read_and_a_larger_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of MAX_BYTES is read whole; one byte more and it is refused, its size named,
    without its bytes ever being read."""
    path = tmp_path / "large.yaml"
    path.write_bytes(b"#" * MAX_BYTES)
    assert read_text(path) == ("#" * MAX_BYTES, [])
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    message = (
        f"the file has {MAX_BYTES + 1:,} bytes; a layer file may have at most {MAX_BYTES:,}: "
        "split it into several files"
    )
    assert read_text(path) == (None, [Problem(str(path), 1, message)])


def test_a_byte_that_is_not_utf8_is_named_in_full_at_its_line_and_column(tmp_path: Path) -> None:
    """The line and column of the first byte that is not UTF-8, on a line after a blank first
    line."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\nab\xff: 1\n")
    message = "column 3: byte 0xFF is not UTF-8; save the file as UTF-8"
    assert read_text(path) == (None, [Problem(str(path), 2, message)])


def test_a_byte_order_mark_at_the_start_of_a_file_is_dropped(tmp_path: Path) -> None:
    """Some editors begin a UTF-8 file with U+FEFF: it is not part of the text."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_text(path) == ("a: 1\n", [])


def test_a_number_too_long_is_named_by_its_first_20_digits() -> None:
    """A number with more digits than Python converts is refused at its line, shown by its
    first 20 digits."""
    assert parse_yaml("a: 1\nb: " + "9" * 5000 + "\n", "x.yaml") == (
        None,
        [Problem("x.yaml", 2, f"the number {'9' * 20}… is too long")],
    )


def test_lists_and_mappings_may_be_nested_exactly_max_depth_deep() -> None:
    """The file's own mapping counts as the first level: MAX_DEPTH levels are read, one more
    is refused at the line of the key that holds them."""

    def nested(levels: int) -> str:  # a mapping, then lists inside lists
        return "a:\n  " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"

    data, problems = parse_yaml(nested(MAX_DEPTH), "x.yaml")
    assert problems == [] and data is not None
    assert parse_yaml(nested(MAX_DEPTH + 1), "x.yaml") == (
        None,
        [Problem("x.yaml", 1, f"lists and mappings are nested more than {MAX_DEPTH} deep")],
    )


def test_a_character_only_yaml_refuses_is_named_at_its_line_and_column() -> None:
    """U+FFFF passes the check of invisible characters (it is no format or control character)
    but PyYAML's reader refuses it; its error has no mark, only a position in the text, which
    is given as a line and a column."""
    (problem,) = parse_yaml("a: 1\nb: x\uffff\n", "x.yaml")[1]
    assert problem == Problem(
        "x.yaml",
        2,
        "column 5: character U+FFFF is not allowed in YAML; delete it",
    )


def test_an_invisible_character_written_twice_is_named_where_it_first_is(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: x\u202e\nb: y\u202e\n", encoding="utf-8")
    assert read_text(path) == (None, [Problem(str(path), 1, f"column 5: {INVISIBLE}")])


# Survivors of the session-16 re-run of the functions changed in that session


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("an error of its own", "BibTeX error: an error of its own"),
        (
            "Too many commas in 'Q, R, S'",
            "BibTeX error: Too many commas in 'Q, R, S': write a name as 'Surname, Given "
            "names' and separate two people with 'and'",
        ),
    ],
    ids=["another error", "a name not found as written"],
)
def test_a_bibtex_error_without_a_line_is_named_at_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: str, expected: str
) -> None:
    """pybtex's errors other than syntax and data errors name no line: the message is given
    at line 1, with the advice for a name when it is one (even if the name is not found as
    written)."""
    from pybtex.database.input import bibtex
    from pybtex.exceptions import PybtexError

    def refuse(self: object, text: str) -> None:
        raise PybtexError(said)

    monkeypatch.setattr(bibtex.Parser, "parse_string", refuse)
    path = tmp_path / "references.bib"
    path.write_text("\n@book{k1,\n  title = {A},\n}\n", encoding="utf-8")
    assert parse_bibtex(path) == (None, [Problem(str(path), 1, expected)])
