"""Unit tests of the pure-Python core (loader, safety, anchoring, plain text, check), written
to kill mutants that ``tox -e mutate`` found alive: each pins one behaviour that the other tests
only touched in passing. No Sphinx build: these run in the mutation run."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import copy_project, move_texts
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.events import EventManager
from sphinx_critical_edition import anchoring, check, loader
from sphinx_critical_edition.anchoring import (
    HintBudget,
    QuoteIndex,
    Span,
    Unit,
    anchor_all,
    check_overlaps,
    edition_words,
    nearest,
    paragraph_words,
    resolve,
    units_of,
)
from sphinx_critical_edition.check import (
    _check_on_start,
    _field_line,
    _field_lines,
    check_edition,
    checked_layer,
    read_bibliography,
)
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.errors import EditionError, Problem
from sphinx_critical_edition.filecache import FileCache
from sphinx_critical_edition.inputfiles import (
    MAX_BYTES,
    MAX_DEPTH,
    LineLoader,
    parse_bibtex,
    parse_yaml,
    read_text,
)
from sphinx_critical_edition.linkpolicy import refused_links
from sphinx_critical_edition.loader import (
    _calendar_problem,
    _check_untrusted,
    line_of,
    load_layer,
    parsed_bibliography,
    read_yaml,
    supplied_segments,
)
from sphinx_critical_edition.model import (
    Annotation,
    ChronologyEvent,
    Located,
    Reading,
    RegisterEntry,
    WitnessSiglum,
)
from sphinx_critical_edition.nodes import choice, corr, sic
from sphinx_critical_edition.plaintext import (
    LinedText,
    fidelity_problem,
    first_difference,
    normalise_whitespace,
    parse_transcription,
    transcription_text,
    witness_form,
)
from sphinx_critical_edition.safety import (
    EDITORIAL,
    TRANSCRIPTION,
    TRANSCRIPTION_EXTENSIONS,
    Refusal,
    checking_parser,
    field_problems,
    line_in_file,
    link_refusal,
    markup_refusals,
    normalised_url,
    refusals,
    transcription_refusals,
    unsafe_reason,
)
from sphinx_critical_edition.texts import load_manifest

ROOT_DOCS = Path(__file__).resolve().parent.parent / "docs"

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


@pytest.mark.parametrize("href", ["#p12", "theses.md#p3", "sagra.md", "https://a.org", "HTTP://a"])
def test_a_link_to_the_web_or_into_the_edition_is_allowed(href: str) -> None:
    assert link_refusal(href) is None


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("", "the link '' is not allowed"),
        ("../secret.txt", "the link '../secret.txt' is not allowed"),
        ("/etc/passwd", "the link '/etc/passwd' is not allowed"),
    ],
)
def test_a_link_to_a_file_is_refused_in_full(href: str, message: str) -> None:
    assert link_refusal(href) == (
        f"{message}: a link goes to an http(s) address or to a place in the edition (#p12, "
        "theses.md#p3), never to a file or a path"
    )


def test_a_link_with_another_scheme_is_refused_in_full() -> None:
    assert link_refusal("JavaScript:alert(1)") == (
        "the link 'javascript:alert(1)': javascript:, vbscript: and data: links are not allowed"
    )
    assert link_refusal("data:text/html,x") == (
        "the link 'data:text/html,x': javascript:, vbscript: and data: links are not allowed"
    )
    assert link_refusal("ftp://a.org") == (
        "the link 'ftp://a.org': only http(s) and internal links are allowed, not ftp:"
    )


def test_a_construct_refused_in_a_description_in_full(tmp_path: Path) -> None:
    """A construct named by the allowlist (a heading, a list) in a field that cannot cite: the
    allowlist's message, at the construct's line in the file."""
    path = tmp_path / "register.yaml"
    path.write_text("entries:\n  - description: |\n      A.\n\n      # Heading\n", "utf-8")
    where = ("entries", 0, "description")
    assert field_problems(path, where, "A.\n\n# Heading\n", 2) == [
        Problem(
            str(path),
            5,
            "entries.0.description: a heading (#) is not allowed in editorial text; "
            f"{EDITORIAL.instead}",
        )
    ]
    assert [p.line for p in field_problems(path, where, "A.\n\n- item\n", 2)] == [5]
    # nothing written names a heading or a list: placed by its line, not by a search
    assert [(r.line, r.found) for r in markup_refusals("# Heading\n\n- item\n")] == [
        (0, ""),
        (2, ""),
    ]


BLOCKS = (
    "entries:\n"  # 1
    "  - id: a\n"  # 2
    "    description: |\n"  # 3
    "      First line.\n"  # 4
    "\n"  # 5
    "      <b>x</b> here\n"  # 6
    "  - id: b\n"  # 7
    "    description: >\n"  # 8
    "      folded <i>text</i>\n"  # 9
    "      more\n"  # 10
    "  - id: c\n"  # 11
    "    description: 'quoted\n"  # 12
    "      <i>y</i>'\n"  # 13
    "    note: plain\n"  # 14
)


def test_line_in_file_names_the_line_of_the_construct(tmp_path: Path) -> None:
    """A refusal in a layer file is named at the line where its construct is written, looked
    for within the field's own lines; else where the field's text begins (a literal block
    keeps its lines); a field the file lacks, or a file that cannot be read, gets the key's
    line."""
    path = tmp_path / "register.yaml"
    path.write_text(BLOCKS, encoding="utf-8")

    def line(where: tuple, found: str = "", at: int = 0) -> int:
        return line_in_file(path, ("entries", *where), Refusal(at, found, "m"), 99)

    assert line((0, "description"), "<b") == 6
    assert line((0, "description"), at=2) == 6  # the text's third line
    assert line((1, "description"), "<i") == 9
    assert line((1, "description"), at=1) == 9  # folded: its first line
    assert line((2, "description"), "<i") == 13
    assert line((2, "description"), at=1) == 12  # quoted: where it begins
    assert line((2, "description"), "<b") == 12  # elsewhere in the file: not this field's
    assert line((2, "description"), "plain") == 12  # on the line after the field
    assert line((2, "note"), "plain") == 14
    assert line((3, "description"), "<b") == 99  # no fourth entry
    assert line((0, "body"), "<b") == 99  # no such field
    assert line(("0", "description"), "<b") == 99  # a list has no key "0"
    assert line((0,), "<b") == 99  # not a text
    assert line_in_file(path, ("entries", 0, "description"), Refusal(0, "<b", "m"), 99) == 6
    for text in ("entries: [\n", "entries:\n  - \xff\n"):
        path.write_text(text, encoding="latin-1")
        assert line((0, "description"), "<b") == 99  # not YAML, not UTF-8
    missing = tmp_path / "missing.yaml"
    assert line_in_file(missing, ("entries",), Refusal(0, "<b", "m"), 99) == 99


def test_line_in_file_reads_a_file_rewritten_in_place(tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text(BLOCKS, encoding="utf-8")
    where, refusal = ("entries", 0, "description"), Refusal(0, "<b", "m")
    assert line_in_file(path, where, refusal, 99) == 6
    path.write_text("\n\n" + BLOCKS, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert line_in_file(path, where, refusal, 99) == 8


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


def test_field_line_finds_the_field_of_its_own_entry() -> None:
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
    found = _field_lines(lines)
    assert _field_line(found, "first", "note") == 2
    assert _field_line(found, "second", "note") == 6
    assert _field_line(found, "second", "title") == 5
    assert _field_line(found, "third", "note") == 8  # no note: the entry's own line
    assert _field_line(found, "fourth", "note") == 12
    assert _field_line(found, "missing", "note") == 1  # no such entry: the file's first line
    # a line that opens no entry (@comment, @string) ends the one before: its fields are no
    # entry's; nor are those above the first entry
    found = _field_lines(["@book{a,", "}", "@comment{x", "  note = {z},", "}"])
    assert found == {("a", ""): 1, ("", ""): 3}
    assert _field_lines(["  note = {z},", "@book{a,"]) == {("a", ""): 2}


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
    retroversion = variant + (
        "        type: retroversion\n        resp: editors\n        cert: low\n        wit: [EO]\n"
    )
    assert _read(tmp_path, "annotations", retroversion) == [
        "11: annotations.0.readings.0: a retroversion or conjecture is the editors' reading, "
        "which no witness attests: remove wit (resp says who proposes it)"
    ]
    person = (
        "entries:\n  - id: lechin\n    type: person\n    name: Juan Lechín\n    surname: Lechín\n"
        "    description: Y.\n    dates: '(1914–2001)'\n    sources: ['bib:sagra2016litci']\n"
    )
    dates_alone = (
        "dates are printed in brackets after the name: write the dates alone, without brackets "
        "or a semicolon ('1914–1996'), and any doubt about them in the description ('The birth "
        "year is also given as 1913.')"
    )
    assert _read(tmp_path, "register", person) == [
        f"7: entries.0.dates: '(1914–2001)': {dates_alone}"
    ]
    doubt = person.replace("'(1914–2001)'", "1914–2001; birth also given as 1913")
    assert _read(tmp_path, "register", doubt) == [
        f"7: entries.0.dates: '1914–2001; birth also given as 1913': {dates_alone}"
    ]


INVALID = "  - id: r{i}\n    kind: note\n    quote: q\n    cert: low\n"  # no resp, body, sources
VALID = INVALID + "    resp: editors\n    body: b\n    sources: ['bib:sagra2016litci']\n"
MISSING = ("resp", "body", "sources")
NOT_YET = (
    "50 invalid records are listed above; this one and those after it are not explained yet: "
    "fix those and check again"
)


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert _read(tmp_path, "annotations", "- a\n- b\n") == [
        "1: the file: ['a', 'b'] is not of type 'object'"
    ]


def test_up_to_200_records_are_explained_whole_at_most_500_messages(tmp_path: Path) -> None:
    """A file of up to 200 records is explained whole, in at most 500 messages (here 200
    records of 3 errors each); one of 201 records has its first 50 invalid records explained
    and the 51st named."""
    head = "text: sagra\nannotations:\n"
    found = _read(tmp_path, "annotations", head + "".join(INVALID.format(i=i) for i in range(200)))
    assert len(found) == 500 and not any(NOT_YET in m for m in found)
    assert {m.split(": ", 2)[2] for m in found} == {
        f"{f!r} is a required property" for f in MISSING
    }
    found = _read(tmp_path, "annotations", head + "".join(INVALID.format(i=i) for i in range(201)))
    assert found == [
        f"{3 + 4 * i}: annotations.{i}: {f!r} is a required property"
        for i in sorted(range(50), key=str)
        for f in MISSING
    ] + [f"{3 + 4 * 50}: {NOT_YET}"]


def test_a_long_file_is_explained_by_its_frame_and_first_50_invalid_records(
    tmp_path: Path,
) -> None:
    """Over 200 records: the file without its lists (a wrong field, an unknown list) and the
    first 50 invalid records, skipping valid ones, each at its line with its index."""
    text, line, lines = "text: 5\nextra: [1]\nannotations:\n", 4, {}
    for i in range(300):  # valid, invalid, valid …
        record = (INVALID if i % 2 else VALID).format(i=i)
        text, lines[i], line = text + record, line, line + record.count("\n")
    found = _read(tmp_path, "annotations", text)
    invalid = sorted(range(1, 100, 2), key=str)
    assert found == [
        "1: the file: Additional properties are not allowed ('extra' was unexpected); allowed "
        "fields: annotations, text",
        *(
            f"{lines[i]}: annotations.{i}: {f!r} is a required property"
            for i in invalid
            for f in MISSING
        ),
        "1: text: 5 is not text; quote it",
        f"{lines[101]}: {NOT_YET}",
    ]


# ------------------------------------------------------------------------------ anchoring


def unit(key: str, text: str) -> Unit:
    """A unit whose text has single spaces (so norm == text)."""
    return Unit(key, text, text, tuple(range(len(text) + 1)))


def annotation(quote: str, **fields: object) -> Annotation:
    return Annotation(
        id="x",
        kind="note",
        text="t",
        quote=quote,
        resp="editors",
        cert="high",
        at=Located(Path("layer.yaml"), 7),
        body="b",
        **fields,
    )


def test_an_ambiguous_quote_lists_paragraphs_then_notes_in_number_order() -> None:
    units = [unit(k, "a word here") for k in ("10", "2", "n12", "n3", "9")]
    problem = resolve(annotation("word"), units)
    assert str(problem) == (
        "layer.yaml:7: annotation 'x': quote 'word' is ambiguous (5 matches: "
        "§2, §9, §10, note 3, note 12); add prefix, suffix or paragraph"
    )


def test_resolve_finds_the_one_place_and_its_span() -> None:
    units = [unit("1", "one two three"), unit("2", "four five six")]
    span = resolve(annotation("five"), units)
    assert (span.unit.key, span.start, span.end) == ("2", 5, 9)
    span = resolve(annotation("two", paragraph=1), units)
    assert (span.unit.key, span.start, span.end) == ("1", 4, 7)
    assert str(resolve(annotation("two", paragraph=3), units)) == (
        "layer.yaml:7: annotation 'x': there is no paragraph '3' in text 't'"
    )
    assert str(resolve(annotation("three four"), units)) == (
        "layer.yaml:7: annotation 'x': quote 'three four' crosses a paragraph break; a span "
        "must stay within one paragraph"
    )


def test_nearest_names_the_closest_passage() -> None:
    units = [unit("1", "The quick brown fox jumps"), unit("2", "Lorem ipsum dolor")]
    assert nearest(units, "quick brwn fox") == ("§1", "quick brown fox")
    assert nearest(units, "zzzzzz") is None  # nothing in common
    # one letter in common is still a candidate when it is most of the quote
    assert nearest([unit("1", "xa")], "ab") == ("§1", "a")
    # of two equally good passages, the first is named
    same = [unit("4", "the same words"), unit("5", "the same words")]
    assert nearest(same, "the same wrds") == ("§4", "the same words")
    assert nearest([unit("n2", "in a note")], "in a nte") == ("note 2", "in a note")


def test_nearest_on_a_long_quote() -> None:
    """A long quote (over 200 characters) with one slip still gets its did-you-mean."""
    text = " ".join(f"word{i} and more" for i in range(30))
    quote = text[:250].replace("word3 ", "wrd3 ")
    found = nearest([unit("1", text)], quote)
    assert found is not None and found[0] == "§1" and found[1].startswith("word0 and more")
    # from the middle of the paragraph, mistyped near its start: the passage, all of it
    quote = text[120:370]
    assert nearest([unit("1", text)], quote[:20] + "#" + quote[21:]) == ("§1", quote)


ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def test_nearest_quote_lengths() -> None:
    """Up to 400 characters a quote gets a did-you-mean; up to 200 it is compared with passages
    up to 3 characters shorter or longer, beyond 200 with passages of its own length."""
    text = " ".join(f"word{i} and more" for i in range(30))
    assert nearest([unit("1", text)], text[:401]) is None
    assert nearest([unit("1", text)], text[:400]) == ("§1", text[:400])
    # two characters left out: the passage as written, or as long as the quote
    assert nearest([unit("1", text)], text[:100] + text[102:202]) == ("§1", text[:202])
    assert nearest([unit("1", text)], text[:100] + text[102:203]) == ("§1", text[:201])
    # four characters the text lacks: the passage is at most 3 characters shorter
    assert nearest([unit("1", ALPHABET)], "abcdefghijWXYZ") == ("§1", "abcdefghijk")
    # five characters left out: at most 3 characters longer
    assert nearest([unit("1", ALPHABET)], "abcdefghijklmstuvwxyz") == (
        "§1",
        "abcdefghijklmnopqrstuvwx",
    )
    # a short quote: one character may be the passage
    assert nearest([unit("1", "xay")], "ab") == ("§1", "a")


def test_nearest_looks_around_the_longest_common_run() -> None:
    """The passage starts at most 3 characters before or after where the longest run of
    characters shared with the quote puts it; a run at the paragraph's start counts."""
    assert nearest([unit("1", "ax")], "ab") == ("§1", "a")
    # six letters left out before the run: its start is out of reach
    assert nearest([unit("1", ALPHABET)], "abcdelmnopqrstuvw") == ("§1", "jklmnopqrstuvw")
    # four left out: the passage starts 3 characters before the run would have it begin
    assert nearest([unit("1", ALPHABET)], "abcdejklmnopqrstuvw") == (
        "§1",
        "bcdefghijklmnopqrstuvw",
    )
    # four letters the text lacks before the run: the passage starts 3 after
    assert nearest([unit("1", "12345abcdefghijklmnop")], "WXYZabcdefghijklmnop") == (
        "§1",
        "5abcdefghijklmnop",
    )


def test_nearest_searches_the_paragraphs_sharing_the_longest_runs() -> None:
    """Five paragraphs are searched, those sharing the longest run of characters with the
    quote; of equally near passages, the one in the paragraph that comes first is named."""
    decoys = [unit(str(i), "abc" + ALPHABET[i : i + 3]) for i in range(2, 8)]
    assert nearest([unit("1", ALPHABET), *decoys], "abcdefghijklmnX") == ("§1", "abcdefghijklmn")
    assert nearest([*decoys, unit("1", ALPHABET)], "abcdefghijklmnX") == ("§1", "abcdefghijklmn")
    assert nearest([unit("1", "the sword"), unit("2", "the words")], "the same wrds") == (
        "§1",
        "the sword",
    )
    assert nearest([unit("4", "the ward"), unit("5", "the ward")], "the same wrds") == (
        "§4",
        "the ward",
    )


COMMON = [unit(str(i), "the cat sat on the mat") for i in range(1, 19)]


@pytest.mark.parametrize("indexed", [True, False])
def test_a_common_word_in_context_stays_within_its_paragraph(indexed: bool) -> None:
    """A word found over 32 times is placed by looking for prefix, word and suffix together,
    with the index (one scan of the paragraphs run together) or without: a match may end
    where its paragraph ends, never run on into the next one."""
    units = [*COMMON, unit("19", "a dog ate the"), unit("20", "bone of the cat")]
    index = QuoteIndex(["the"], units) if indexed else None
    span = resolve(annotation("the", prefix="ate "), units, index)
    assert (span.unit.key, span.start, span.end) == ("19", 10, 13)
    assert str(resolve(annotation("the", prefix="ate ", suffix=" bone"), units, index)) == (
        "layer.yaml:7: annotation 'x': quote 'the' occurs (§1, §2, §3, §4, §5, §6, §7, §8, "
        "§9, §10, §11, §12, §13, §14, §15, §16, §17, §18, §19, §20) but never with its suffix "
        "' bone'"
    )
    spans, problems = anchor_all([annotation("the", prefix="of ", suffix=" cat")], units)
    assert problems == [] and [(s.unit.key, s.start) for s in spans] == [("20", 8)]


def test_a_common_word_in_context_in_its_paragraph_only() -> None:
    """With a ``paragraph``, prefix and suffix are looked for in that paragraph alone, even
    where the word is there over 32 times and the same words stand in another paragraph."""
    units = [unit("1", "and the dog"), unit("2", "the cat " * 40 + "and the dog")]
    quote = annotation("the", paragraph=2, prefix="and ", suffix=" dog")
    for index in (QuoteIndex([], units), None):
        span = resolve(quote, units, index)
        assert (span.unit.key, span.start, span.end) == ("2", 324, 327)
    spans, problems = anchor_all([quote], units)
    assert problems == [] and [(s.unit.key, s.start) for s in spans] == [("2", 324)]


# ------------------------------------------------------------------------------ the build's check


def _app(docs: Path, doctrees: Path, fresh: bool) -> SimpleNamespace:
    """What ``_check_on_start`` reads of a Sphinx application (no build is run)."""
    return SimpleNamespace(
        config=SimpleNamespace(edition_manifest="../source_texts/texts.yaml"),
        confdir=str(docs),
        srcdir=str(docs),
        doctreedir=str(doctrees),
        fresh_env_used=fresh,
    )


def test_the_build_checks_the_layer_and_keeps_what_it_parsed(tmp_path: Path) -> None:
    """On start a build checks the layer with the manifest conf.py names, keeps the parsed
    files beside the doctrees, and reuses them on a rebuild that is not fresh."""
    docs = copy_project(tmp_path)
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    _check_on_start(_app(docs, doctrees, fresh=True))
    build = check._BUILDS[docs.resolve()]
    assert build.manifest == (tmp_path / "source_texts" / "texts.yaml").resolve()
    assert build.store == doctrees / "edition-layer.pickle" and build.reuse is False
    assert build.store.is_file()  # what was parsed is kept for the next build
    result = checked_layer(docs)
    assert result.problems == [] and len(result.spans) > 400
    assert checked_layer(str(docs)) is result  # nothing changed: the same check

    _check_on_start(_app(docs, doctrees, fresh=False))
    assert check._BUILDS[docs.resolve()].reuse is True
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Hottschild", "Hotschild", 1))
    with pytest.raises(EditionError) as raised:
        checked_layer(docs)
    message = str(raised.value)
    assert message.startswith("the editorial layer has 1 problem(s):\n")
    assert f"{path}:" in message and "'Hotschild' not found in text 'sagra'" in message


def test_a_build_elsewhere_uses_its_own_manifest(tmp_path: Path) -> None:
    """Texts moved and ``edition_manifest`` pointing there: the check follows it."""
    docs = copy_project(tmp_path)
    move_texts(docs, "texts")
    app = _app(docs, tmp_path, fresh=True)
    app.config.edition_manifest = "../texts/texts.yaml"
    _check_on_start(app)
    assert checked_layer(docs).problems == []
    assert check._BUILDS[docs.resolve()].manifest == (tmp_path / "texts" / "texts.yaml")


# ------------------------------------------------------------------------------ the plain text


def test_transcription_text_in_the_witness_form(manifest, tmp_path: Path) -> None:
    """Note calls and notes take the witness's forms; emphasis inside a word keeps the word
    whole; a note's paragraphs are joined by one space."""
    path = tmp_path / "t.md"
    path.write_text(
        "Text with a note[^1] and B*olivi*a, *the* end.\n\n"
        "[^1]: First paragraph.\n\n    Second paragraph.\n",
        encoding="utf-8",
    )
    assert transcription_text(manifest.text("sagra"), path) == (
        "Text with a note(1) and Bolivia, the end. 1 First paragraph. Second paragraph."
    )


def test_a_stray_field_before_any_entry_belongs_to_none() -> None:
    found = _field_lines(["  note = {x},", "@book{a,", "  note = {y},"])
    assert _field_line(found, "a", "note") == 3
    assert _field_line(found, "missing", "note") == 1


# ------------------------------------------------------------------------------ loaded records

FULL = """  - id: every-field
    kind: variant
    quote: Buhs
    prefix: 'Toro, '
    suffix: ', Villarroel'
    paragraph: {paragraph}
    resp: the editors
    cert: medium
    body: A body.
    sources: ['bib:dunkerley1984rebellion', 'https://example.org/a']
    readings:
      - text: Busch
        lang: es
        wit: [EO]
        sources: ['bib:dunkerley1984rebellion']
        cert: low
        comment: A comment.
      - text: Bush
        lang: en
        sources: ['https://example.org/b']
"""


def test_the_loader_keeps_every_field_of_an_annotation(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    path = docs / "annotations" / "sagra-starter.yaml"
    before = path.read_text(encoding="utf-8").rstrip("\n")
    found = check_edition(docs)
    buhs = [s for s in found.spans if s.annotation.quote == "Buhs"]
    assert buhs
    paragraph = buhs[0].unit.key
    path.write_text(before + "\n" + FULL.format(paragraph=paragraph), encoding="utf-8")
    result = check_edition(docs)
    assert result.problems == []
    (ann,) = [a for a in result.layer.annotations if a.id == "every-field"]
    assert (ann.kind, ann.text, ann.quote, ann.prefix, ann.suffix) == (
        "variant",
        "sagra",
        "Buhs",
        "Toro, ",
        ", Villarroel",
    )
    assert str(ann.paragraph) == paragraph
    assert (ann.resp, ann.cert, ann.body) == ("the editors", "medium", "A body.")
    assert ann.sources == ("bib:dunkerley1984rebellion", "https://example.org/a")
    assert ann.at.path == path and ann.at.line == before.count("\n") + 2
    assert ann.readings == (
        Reading("Busch", "es", ("EO",), ("bib:dunkerley1984rebellion",), "low", "A comment."),
        Reading("Bush", "en", (), ("https://example.org/b",), "", ""),
    )
    assert (ann.type, ann.corr, ann.note_call, ann.ref) == ("", "", "", "")


def test_nearest_accepts_a_passage_half_like_the_quote() -> None:
    """The did-you-mean threshold is a ratio of 0.5, inclusive: "ab" for "abcdef" is 2·2/8."""
    assert nearest([unit("1", "ab")], "abcdef") == ("§1", "ab")
    assert nearest([unit("1", "ab")], "abcdefg") is None  # 4/9


def test_read_bibliography_reads_keys_and_flags_latex_only_in_notes(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@book{plain,\n  title = {A title -- with a dash},\n  year = {1990},\n}\n"
        "@book{latex,\n  title = {T},\n  note = {pp. 1--2},\n}\n",
        encoding="utf-8",
    )
    keys, problems = read_bibliography(bib)
    assert keys == {"plain", "latex"}
    assert [str(p) for p in problems] == [
        f"{bib}:7: entry 'latex': the note contains '--', but notes are printed as written, "
        "not read as LaTeX: write – for a dash and plain characters"
    ]
    assert read_bibliography(tmp_path / "missing.bib") == (set(), [])


def test_read_bibliography_refuses_an_address_with_a_space(tmp_path: Path) -> None:
    """An address is shown as readers type it; written with a space, it would be cut there."""
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@book{ok,\n  title = {T},\n  url = {https://a.example/a%20b},\n}\n"
        "@book{spaced,\n  title = {T},\n  url = {https://a.example/a b},\n}\n",
        encoding="utf-8",
    )
    keys, problems = read_bibliography(bib)
    assert keys == {"ok", "spaced"}
    assert [str(p) for p in problems] == [
        f"{bib}:7: entry 'spaced': url 'https://a.example/a b' holds a space: write a space "
        "in an address as %20"
    ]


# ------------------------------------------------------------------------------ messages in full

ANN = (
    "  - id: {id}\n    kind: {kind}\n    quote: {quote}\n    resp: editors\n    cert: high\n{extra}"
)
BUHS = "    prefix: 'Toro, '\n    body: b\n    readings:\n      - text: Busch\n        lang: es\n"
STARTER = "annotations/sagra-starter.yaml"

#: (file appended to, block, [(line offset in the block, message)]); {first:NAME} stands for
#: where the record NAME was first written (path:line)
MESSAGE_CASES = {
    "duplicate id": (
        STARTER,
        ANN.format(id="hottschild", kind="entity", quote="Atamayo", extra="    ref: hochschild\n"),
        [(0, "duplicate id 'hottschild' (first at {first:- id: hottschild})")],
    ),
    "duplicate register id": (
        "register/persons.yaml",
        "  - id: lechin\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
        "    sources: ['bib:sagra2016litci']\n",
        [(0, "duplicate register id 'lechin' (first at {first:- id: lechin})")],
    ),
    "duplicate siglum": (
        "witnesses.yaml",
        "  - siglum: TP\n    held: false\n    seen: none\n    lang: es\n    description: again.\n",
        [(0, "duplicate siglum 'TP' (first at {first:- siglum: TP})")],
    ),
    "a reading under a witness not seen": (
        STARTER,
        ANN.format(id="x1", kind="variant", quote="Buhs", extra=BUHS + "        wit: [S]\n"),
        [
            (
                8,
                "annotation 'x1': a reading under siglum 'S', which the editors have not seen "
                "(seen: none in docs/witnesses.yaml); a guess at what it says is not its reading: "
                "write type: retroversion (or conjecture) with resp and cert instead of wit",
            )
        ],
    ),
    "an emendation's body of spaces": (
        STARTER,
        ANN.format(
            id="x1",
            kind="emendation",
            quote="mainly agricultural",
            extra="    type: regularisation\n    corr: chiefly agricultural\n    body: ' '\n",
        ),
        [(7, "annotation 'x1': the body is empty; say what and why")],
    ),
    "unknown siglum": (
        STARTER,
        ANN.format(id="x1", kind="variant", quote="Buhs", extra=BUHS + "        wit: [Q]\n"),
        [(8, "annotation 'x1': unknown siglum 'Q'; known sigla (docs/witnesses.yaml): {sigla}")],
    ),
    "unknown bibliography key": (
        STARTER,
        ANN.format(
            id="x2",
            kind="note",
            quote="Hottschild",
            extra="    body: b\n    sources: ['bib:nokey']\n",
        ),
        [(6, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "unknown key in a citation": (
        STARTER,
        ANN.format(
            id="x3",
            kind="note",
            quote="Hottschild",
            extra="    body: 'see {cite:p}`nokey`'\n    sources: ['bib:sagra2016litci']\n",
        ),
        [(5, "annotation 'x3': unknown bibliography key 'nokey' in {{cite}}")],
    ),
    "unknown register id": (
        STARTER,
        ANN.format(id="x4", kind="entity", quote="Atamayo", extra="    ref: nobody\n"),
        [(5, "annotation 'x4': unknown register id 'nobody'")],
    ),
    "empty body": (
        STARTER,
        ANN.format(
            id="x5",
            kind="note",
            quote="Hottschild",
            extra="    body: '  '\n    sources: ['bib:sagra2016litci']\n",
        ),
        [(5, "annotation 'x5': the body is empty; say what and why")],
    ),
    "a comment that cites": (
        STARTER,
        ANN.format(
            id="x7",
            kind="variant",
            quote="Buhs",
            extra=BUHS + "        wit: [EO]\n        comment: 'as {cite:p}`sagra2016litci`'\n",
        ),
        [
            (
                11,
                "annotations.{index}.readings.0.comment: a comment cannot cite; give the work in "
                "its sources (bib:KEY)",
            )
        ],
    ),
    "duplicate event id": (
        "chronology.yaml",
        '  - id: decree-21060\n    date: "1985-08-29"\n    title: T\n'
        "    sources: ['bib:sagra2016litci']\n    cert: high\n",
        [(0, "duplicate event id 'decree-21060'")],
    ),
    "a place not in the register": (
        "chronology.yaml",
        '  - id: new-event\n    date: "1990"\n    title: T\n    places: [lechin, nowhere]\n'
        "    sources: ['bib:sagra2016litci']\n    cert: high\n",
        [
            (3, "event 'new-event': 'lechin' is not a place in the register"),
            (3, "event 'new-event': 'nowhere' is not a place in the register"),
        ],
    ),
    "a suffix that does not fit": (
        STARTER,
        ANN.format(
            id="x9",
            kind="entity",
            quote="Hottschild",
            extra="    prefix: 'Patiño, '\n    suffix: ' and'\n    ref: hochschild\n",
        ),
        [
            (
                0,
                "annotation 'x9': quote 'Hottschild' occurs (§16) but never with its suffix "
                "' and'; the text there reads after it ', At'",
            )
        ],
    ),
    "a prefix and a suffix that fit only apart": (
        STARTER,
        ANN.format(
            id="x10",
            kind="entity",
            quote="Juan Lechín Oquendo",
            extra="    prefix: 'including '\n    suffix: ', Edwin'\n    ref: lechin\n",
        ),
        [
            (
                0,
                "annotation 'x10': quote 'Juan Lechín Oquendo' occurs (§4, §25, §35, §44, §66) "
                "but never with its prefix and suffix together",
            )
        ],
    ),
    "a prefix that does not fit, its suffix does": (
        STARTER,
        ANN.format(
            id="x13",
            kind="entity",
            quote="Hottschild",
            extra="    prefix: 'the Guggenheim, '\n    suffix: ', Atamayo'\n    ref: hochschild\n",
        ),
        [
            (
                0,
                "annotation 'x13': quote 'Hottschild' occurs (§16) but never with its prefix "
                "'the Guggenheim, '; the text there reads before it 'hy (the Patiño, '",
            )
        ],
    ),
    "neither prefix nor suffix fits": (
        STARTER,
        ANN.format(
            id="x14",
            kind="entity",
            quote="Hottschild",
            extra="    prefix: 'the '\n    suffix: ' family'\n    ref: hochschild\n",
        ),
        [
            (
                0,
                "annotation 'x14': quote 'Hottschild' occurs (§16) but never with its prefix "
                "'the ' and suffix ' family'; the text there reads before it 'ño, ' and after it "
                "', Atama'",
            )
        ],
    ),
    "a prefix longer than the text before the quote": (
        STARTER,
        ANN.format(
            id="x15",
            kind="note",
            quote="is a living example",
            extra="    prefix: 'Today, Bolivia '\n    body: b\n"
            "    sources: ['bib:sagra2016litci']\n",
        ),
        [
            (
                0,
                "annotation 'x15': quote 'is a living example' occurs (§16) but never with its "
                "prefix 'Today, Bolivia '; the text there reads before it 'Bolivia '",
            )
        ],
    ),
    "ambiguous within the places the suffix fits": (
        STARTER,
        ANN.format(
            id="x16",
            kind="entity",
            quote="Juan Lechín Oquendo",
            extra="    suffix: ','\n    ref: lechin\n",
        ),
        [
            (
                0,
                "annotation 'x16': quote 'Juan Lechín Oquendo' is ambiguous (2 matches: §25, §44); "
                "add prefix, suffix or paragraph",
            )
        ],
    ),
    "unknown key in an event": (
        "chronology.yaml",
        '  - id: new-event\n    date: "1990"\n    title: T\n'
        "    sources: ['bib:nokey']\n    cert: high\n",
        [(3, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "unknown text": (
        "annotations/zz-new.yaml",
        "text: nothing\nannotations:\n"
        + ANN.format(
            id="x8",
            kind="note",
            quote="Hottschild",
            extra="    body: b\n    sources: ['bib:sagra2016litci']\n",
        ),
        [(0, "unknown text 'nothing'; known: pulacayo, sagra")],
    ),
    "unknown key in a register entry": (
        "register/persons.yaml",
        "  - id: someone\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
        "    sources: ['bib:nokey']\n",
        [(0, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "a surname not in the name": (
        "register/persons.yaml",
        "  - id: someone\n    type: person\n    name: Juan Pérez\n    surname: Peres\n"
        "    description: Y.\n    sources: ['bib:sagra2016litci']\n",
        [
            (
                0,
                "surname 'Peres' of 'someone' is not part of its name 'Juan Pérez': write it as "
                "the name spells it",
            )
        ],
    ),
    "unknown key in a witness": (
        "witnesses.yaml",
        "  - siglum: ZZ\n    held: false\n    seen: none\n    lang: es\n    description: d.\n"
        "    bib: nokey\n",
        [(0, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "a note call on an emendation not supplied": (
        STARTER,
        ANN.format(
            id="x19",
            kind="emendation",
            quote="mainly agricultural",
            extra='    type: typo\n    note_call: "1"\n    body: b\n',
        ),
        [(6, "annotation 'x19': note_call needs type: supplied")],
    ),
    "a note call in a text without notes": (
        "annotations/pulacayo.yaml",
        ANN.format(
            id="x18",
            kind="emendation",
            quote="armed pickets",
            extra='    type: supplied\n    note_call: "1"\n    body: b\n'
            "    sources: ['bib:sagra2016litci']\n",
        ),
        [(0, "annotation 'x18': note_call '1': the text has no author's note 1 (its notes: none)")],
    ),
    "YAML syntax": (
        STARTER,
        "  - id: [unclosed\n",
        [(1, "YAML syntax error: did not find expected ',' or ']'")],
    ),
}


@pytest.mark.parametrize("case", MESSAGE_CASES, ids=list(MESSAGE_CASES))
def test_each_message_in_full(tmp_path: Path, case: str) -> None:
    """The whole message, path:line included, for each class of problem the loader finds."""
    name, block, expected = MESSAGE_CASES[case]
    docs = copy_project(tmp_path)
    path = docs / name
    before = path.read_text(encoding="utf-8").rstrip("\n") if path.is_file() else ""
    path.write_text(before + "\n" + block if before else block, encoding="utf-8")
    start = before.count("\n") + 2 if before else 1
    lines = before.splitlines()

    def first(marker: str) -> str:
        return f"{path}:{next(i for i, line in enumerate(lines, 1) if marker in line)}"

    sigla = ", ".join(sorted(check_edition(ROOT_DOCS).layer.witnesses))
    index = before.count("\n  - id: ")
    wanted = []
    for offset, message in expected:
        message = re.sub(r"\{first:([^}]*)\}", lambda m: first(m.group(1)), message)
        message = message.format(sigla=sigla, index=index)
        wanted.append(f"{path}:{start + offset}: {message}")
    assert [str(p) for p in check_edition(docs).problems] == wanted


def test_the_witness_words_quoted_are_not_checked_as_markup(tmp_path: Path) -> None:
    """A quote, prefix or suffix is the witness's own text (escaped on output): a text that
    reads "<b>" or "data:" may be quoted. Every other string is checked."""
    data = {"annotations": [{"quote": "a <b> c", "prefix": "data: x", "suffix": "<i>"}]}
    problems: list = []
    _check_untrusted(data, tmp_path / "a.yaml", problems)
    assert problems == []
    data["annotations"][0]["body"] = "<b>bold</b>"
    _check_untrusted(data, tmp_path / "a.yaml", problems)
    assert {p.message.split(":")[0] for p in problems} == {"annotations.0.body"}


# ------------------------------------------------------------------------------ the shipped layer


def _items(path: Path, key: str, id_key: str = "id") -> list[tuple[int, dict]]:
    """(line, item) for each item of *key* in *path*, read with PyYAML alone; the line is that
    of the item's ``- id:`` (or ``- siglum:``) line, found in the text."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lines = text.splitlines()
    found = []
    for item in data[key]:
        marker = f"- {id_key}: {item[id_key]}"
        line = next(i for i, row in enumerate(lines, 1) if row.strip() in (marker, marker + " "))
        found.append((line, item))
    return found


def test_every_shipped_record_is_loaded_as_written() -> None:
    """Each witness, register entry, chronology event and annotation of the shipped layer,
    read by PyYAML alone, equals its loaded record field by field, with its path and line."""
    layer = check_edition(ROOT_DOCS).layer
    path = ROOT_DOCS / "witnesses.yaml"
    for line, item in _items(path, "witnesses", "siglum"):
        assert layer.witnesses[item["siglum"]] == WitnessSiglum(
            siglum=item["siglum"],
            description=item["description"],
            held=item["held"],
            at=Located(path, line),
            lang=item.get("lang", ""),
            base=item.get("base", False),
            bib=item.get("bib", ""),
            seen=item["seen"],
            extent=item.get("extent", ""),
        )
    entries = 0
    for path in sorted((ROOT_DOCS / "register").glob("*.yaml")):
        for line, item in _items(path, "entries"):
            coords = item.get("coordinates")
            assert layer.register[item["id"]] == RegisterEntry(
                id=item["id"],
                type=item["type"],
                name=item["name"],
                description=item["description"],
                sources=tuple(item["sources"]),
                at=Located(path, line),
                variants=tuple(item.get("variants", ())),
                dates=item.get("dates", ""),
                authority=tuple((item.get("authority") or {}).items()),
                coordinates=tuple(coords) if coords else None,
                surname=item.get("surname", ""),
                marked_at=item.get("marked_at", ""),
            ), item["id"]
            entries += 1
    assert entries == len(layer.register) > 50
    path = ROOT_DOCS / "chronology.yaml"
    events = {e.id: e for e in layer.chronology}
    for line, item in _items(path, "events"):
        assert events[item["id"]] == ChronologyEvent(
            id=item["id"],
            date=str(item["date"]),
            title=item["title"],
            sources=tuple(item["sources"]),
            cert=item["cert"],
            at=Located(path, line),
            end=str(item.get("end", "")),
            description=item.get("description", ""),
            places=tuple(item.get("places", ())),
            mentioned=tuple(item.get("mentioned", ())),
            disputed=item.get("disputed", ""),
            short=item.get("short", ""),
        ), item["id"]
    assert [(e.date, e.id) for e in layer.chronology] == sorted(
        (e.date, e.id) for e in events.values()
    )
    annotations = {a.id: a for a in layer.annotations}
    count = 0
    for path in sorted((ROOT_DOCS / "annotations").glob("*.yaml")):
        text_key = yaml.safe_load(path.read_text(encoding="utf-8"))["text"]
        for line, item in _items(path, "annotations"):
            readings = tuple(
                Reading(
                    r["text"],
                    r["lang"],
                    tuple(r.get("wit", ())),
                    tuple(r.get("sources", ())),
                    r.get("cert", ""),
                    r.get("comment", ""),
                    r.get("type", "witness"),
                    r.get("resp", ""),
                )
                for r in item.get("readings", ())
            )
            assert annotations[item["id"]] == Annotation(
                id=item["id"],
                kind=item["kind"],
                text=text_key,
                quote=item["quote"],
                resp=item["resp"],
                cert=item["cert"],
                at=Located(path, line),
                prefix=item.get("prefix", ""),
                suffix=item.get("suffix", ""),
                paragraph=item.get("paragraph"),
                body=item.get("body", ""),
                sources=tuple(item.get("sources", ())),
                readings=readings,
                type=item.get("type", ""),
                corr=item.get("corr", ""),
                note_call=str(item.get("note_call", "")),
                ref=item.get("ref", ""),
            ), item["id"]
            count += 1
    assert count == len(layer.annotations) > 400
    assert layer.files == [
        ROOT_DOCS / "witnesses.yaml",
        *sorted((ROOT_DOCS / "register").glob("*.yaml")),
        ROOT_DOCS / "chronology.yaml",
        *sorted((ROOT_DOCS / "annotations").glob("*.yaml")),
    ]


def test_the_check_outside_a_build_reads_the_default_manifest(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    assert docs.resolve() not in check._BUILDS
    assert checked_layer(docs).problems == []


def test_a_duplicate_siglum_in_the_middle_skips_only_itself(tmp_path: Path) -> None:
    """The witnesses after a duplicate are still read."""
    docs = copy_project(tmp_path)
    path = docs / "witnesses.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  - siglum: ")
    siglum = re.match(r"  - siglum: (\S+)", text[first:]).group(1)
    path.write_text(
        text[:first]
        + f"  - siglum: {siglum}\n    held: false\n    seen: full\n    description: first.\n"
        + text[first:],
        encoding="utf-8",
    )
    result = check_edition(docs)
    line = text[:first].count("\n") + 1
    assert [p.message for p in result.problems][:1] == [
        f"duplicate siglum {siglum!r} (first at {path}:{line})"
    ]
    assert {"E", "S", "TP"} <= set(result.layer.witnesses)  # all read, the later ones too
    assert result.layer.witnesses[siglum].description == "first."


def test_optional_fields_of_a_register_entry_and_a_witness(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    for name, block in (
        (
            "register/persons.yaml",
            "  - id: someone\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
            "    sources: ['bib:sagra2016litci']\n    authority: {wikidata: Q1}\n",
        ),
        (
            "witnesses.yaml",
            "  - siglum: NB\n    held: false\n    seen: none\n    description: no bib.\n",
        ),
    ):
        path = docs / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + block, "utf-8")
    layer = check_edition(docs).layer
    assert layer.register["someone"].authority == (("wikidata", "Q1"),)
    witness = layer.witnesses["NB"]
    assert (witness.bib, witness.lang, witness.base, witness.held) == ("", "", False, False)


@pytest.mark.parametrize(
    ("seen", "extent", "printed"),
    [
        ("none", "", "Not seen by the editors."),
        ("partial", "the first page.", "Seen in part: the first page."),
        ("full", "", "Seen in full."),
        ("full", "a copy; its source in part.", "Seen in full: a copy; its source in part."),
    ],
)
def test_the_list_of_sigla_says_what_was_seen(seen: str, extent: str, printed: str) -> None:
    """A witness read in full may say what "full" covers: a transcript read in full whose
    source page was read only in part must not pass for the whole source."""
    at = Located(Path("witnesses.yaml"), 1)
    witness = WitnessSiglum("X", "A witness.", held=True, at=at, seen=seen, extent=extent)
    assert witness.seen_text() == printed


# ------------------------------------------------------------------------------ anchoring


def test_a_common_word_is_placed_by_its_prefix_and_suffix(tmp_path: Path) -> None:
    """A quote found more than 32 times ("the") is placed by looking for prefix, quote and
    suffix together in the text: the one place they fit, or the one of them that fits nowhere."""
    docs = copy_project(tmp_path)
    path = docs / STARTER
    before = path.read_text(encoding="utf-8").rstrip("\n")
    note = "    body: b\n    sources: ['bib:sagra2016litci']\n"
    context = "    prefix: 'servitude with '\n    suffix: ' {suffix}'\n"
    path.write_text(
        before
        + "\n"
        + ANN.format(
            id="x11", kind="note", quote="the", extra=context.format(suffix="owners") + note
        )
        + ANN.format(
            id="x12", kind="note", quote="the", extra=context.format(suffix="nobody") + note
        ),
        encoding="utf-8",
    )
    result = check_edition(docs)
    (span,) = [s for s in result.spans if s.annotation.id == "x11"]
    assert span.unit.key == "16"
    assert span.unit.text[span.start - 15 : span.end + 7] == "servitude with the owners"
    (problem,) = [str(p) for p in result.problems]
    line = before.count("\n") + 2 + ANN.count("\n") + context.count("\n") + note.count("\n")
    assert problem.startswith(
        f"{path}:{line}: annotation 'x12': quote 'the' occurs (§1, §4, §5, §6, "
    )
    assert problem.endswith(" but never with its suffix ' nobody'")


# ------------------------------------------------------------------------------ reading files

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


def test_edition_words_print_the_correction_and_skip_note_calls() -> None:
    """The lemma of an apparatus: the words as the edition prints them (an emendation's
    correction, not the witness's error), without a note call, the words after it included."""
    paragraph = nodes.paragraph(
        "",
        "",
        nodes.Text("the "),
        choice("", "", sic("", "Hottschild"), corr("", "Hochschild")),
        nodes.footnote_reference("", "3"),
        nodes.emphasis("", "", nodes.Text(" mines")),
    )
    assert edition_words(paragraph) == "the Hochschild mines"


def test_raw_html_is_named_by_its_first_line_and_tag() -> None:
    """The message quotes the HTML's first line (at most 60 characters); the tag is what the
    check looks for to find the line in the layer file."""
    instead = EDITORIAL.instead
    (block,) = markup_refusals('A note.\n\n<div class="x">\nsecond\n</div>\n')
    assert (block.line, block.found) == (2, "<div")
    assert block.message == (
        f"raw HTML is not allowed in editorial text (found '<div class=\"x\">'); {instead}"
    )
    (inline,) = markup_refusals("<p>" + "x" * 80 + "</p>")
    assert inline.found == "<p"
    assert f"(found '<p>{'x' * 57}');" in inline.message


def test_lined_text_knows_the_source_line_of_each_word() -> None:
    """The fidelity check names the transcription's line of the first difference."""
    text = LinedText.of([("  a\n\n b", 3), ("c", 10)])
    assert (text.text, text.starts, text.lines) == ("a bc", (0, 2, 3), (3, 5, 10))
    assert [text.line_at(i) for i in range(4)] == [3, 3, 5, 10]
    assert LinedText.of([]).line_at(0) == 1


# ------------------------------------------------------------------------------ sampled survivors


def test_an_end_not_in_the_calendar_is_named() -> None:
    """The end of an event is held to the calendar as its date is."""
    item = {"date": "1952-04-09", "end": "1952-04-31"}
    assert _calendar_problem(item) == "end '1952-04-31' is not a day of the calendar"
    assert _calendar_problem({"date": "1952-04-09", "end": "1952-04"}) is None
    assert _calendar_problem({"date": "1952-04-09", "end": "1952-04-09"}) is None  # one day


def _fidelity(witness_text: str, transcription: str) -> str:
    """The fidelity problem of *transcription* (one run from line 1) against *witness_text*."""
    witness = SimpleNamespace(read=lambda: witness_text, path=Path("w.txt"))
    spec = SimpleNamespace(witness_lines=(1, 2), transcription=Path("t.md"))
    return str(fidelity_problem(spec, witness, [(transcription, 1)]))


#: how every message of a transcription that differs from the witness ends
KEEP_THE_WITNESS_S_WORDS = (
    "a transcription adds structure only: leave the witness's words as they are and put a "
    "correction in an emendation (docs/annotations/)"
)


def test_a_difference_near_the_start_shows_both_texts_from_their_first_letter() -> None:
    """Both texts are quoted from the start (fewer than 30 characters precede the difference)
    to 30 characters past it, the same span of each."""
    tail = "0123456789" * 5
    assert _fidelity(f"abcde{tail}\n", f"abcdX{tail}") == (
        "t.md:1: the words differ from the witness (w.txt, line 1): the witness reads "
        f"…{'abcde' + tail[:29]!r}, the transcription …{'abcdX' + tail[:29]!r}; "
        + KEEP_THE_WITNESS_S_WORDS
    )


def test_a_transcription_longer_than_the_witness_differs_where_the_witness_ends() -> None:
    """Words added after the witness's last are a difference at its end, not an error."""
    assert _fidelity("one two\nthree\n", "one two three four") == (
        "t.md:1: the words differ from the witness (w.txt, line 2): the witness reads "
        "…'one two three', the transcription …'one two three four'; " + KEEP_THE_WITNESS_S_WORDS
    )


def test_a_link_to_a_refused_host_written_with_a_final_dot_is_refused(tmp_path: Path) -> None:
    """``mgwiki.top.`` is the same host as ``mgwiki.top`` (the root's dot)."""
    (tmp_path / "link-policy.yaml").write_text(
        'refused:\n  - {host: mgwiki.top, why: "a copy of Wikipedia"}\n', encoding="utf-8"
    )
    page = tmp_path / "page.md"
    page.write_text("# P\n\nSee https://mgwiki.top./wiki/Bolivia.\n", encoding="utf-8")
    assert [str(p) for p in refused_links(tmp_path)] == [
        f"{page}:3: link to a refused host, mgwiki.top (a copy of Wikipedia): "
        "https://mgwiki.top./wiki/Bolivia; cite the original or a scholarly source instead "
        "(the list is docs/link-policy.yaml)"
    ]


def test_a_string_at_the_top_of_a_file_is_checked_as_plain_text() -> None:
    """A value with no key above it (an empty path) is held to ``unsafe_reason``."""
    assert [str(p) for p in field_problems(Path("f.yaml"), (), "javascript:alert(1)", 1)] == [
        f"f.yaml:1: : {unsafe_reason('javascript:alert(1)')}"
    ]


def test_a_layer_without_a_bibliography_is_incomplete(tmp_path: Path) -> None:
    """Without references.bib (no keys) the layer says so; with keys it is complete."""
    docs = copy_project(tmp_path)
    assert load_layer(docs, ["sagra", "pulacayo"], None)[0].incomplete == {"references.bib"}
    assert load_layer(docs, ["sagra", "pulacayo"], set())[0].incomplete == set()


def test_a_page_with_a_title_and_a_description_in_full(tmp_path: Path) -> None:
    """A web page is named by its title or, where it bears none, by a description: not both."""
    titled = "titles:\n  - url: https://a.example/x\n    title: T\n    description: D.\n"
    assert _read(tmp_path, "web-sources", titled) == [
        "2: titles.0: give the page either its title (printed in quotation marks) or a "
        "description (where it bears no title), not both"
    ]


def test_a_directive_s_option_block_keeps_the_lines_below_in_place() -> None:
    """The ``---`` options of an allowed directive are blanked, not removed: a construct below
    them is named at its own line."""
    text = ":::{text-part}\n---\nlabel: x\n---\nline A\n\n<br> x\n:::\n"
    assert [(r.line, r.found) for r in transcription_refusals(text)] == [(6, "<br")]


def test_a_directive_inside_a_directive_is_parsed_with_the_page_s_syntax() -> None:
    """The content of a nested directive is parsed as its page is: without colon fences,
    ``:::{note}`` is a paragraph, not a directive."""
    text = "````{text-part}\n```{text-part}\n:::{note}\nx\n:::\n```\n````\n"
    assert transcription_refusals(text, extensions=()) == []
    assert [r.found for r in transcription_refusals(text)] == ["{note}"]


def test_a_construct_after_a_line_break_is_named_at_its_line() -> None:
    """A paragraph's line breaks count: raw HTML on its second line is on line 1 (from 0)."""
    assert [(r.line, r.found) for r in markup_refusals("a\n<br> two")] == [(1, "<br")]


def test_a_url_is_decoded_four_times_at_most() -> None:
    """Decoding stops after four rounds: a fivefold-escaped "A" stays escaped once."""
    assert normalised_url("%2525252541") == "%41"
    assert normalised_url("%25252541") == "A"


def test_a_quote_in_another_paragraph_than_the_one_given_in_full() -> None:
    units = [unit("1", "one two three"), unit("2", "four five six"), unit("n1", "five")]
    assert str(resolve(annotation("five", paragraph=1), units)) == (
        "layer.yaml:7: annotation 'x': quote 'five' is not in §1 but in §2, note 1; "
        "correct paragraph"
    )


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


def test_a_transcription_is_parsed_without_reading_other_files(tmp_path: Path) -> None:
    """Whatever the check let by, parsing never inserts another file's words."""
    (tmp_path / "other.md").write_text("inserted words\n", encoding="utf-8")
    page = tmp_path / "t.md"
    page.write_text("# T\n\n```{include} other.md\n```\n\nplain\n", encoding="utf-8")
    text = parse_transcription(page).astext()
    assert "inserted" not in text and 'Directive "include" disabled.' in text


def test_a_text_without_annotations_does_not_end_the_check_of_the_next(tmp_path: Path) -> None:
    """The first text (sagra) without any annotation: the next (pulacayo) is still anchored."""
    docs = copy_project(tmp_path)
    for path in (docs / "annotations").glob("sagra-*.yaml"):
        path.unlink()
    result = check_edition(docs)
    assert {span.annotation.text for span in result.spans} == {"pulacayo"}


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


def test_an_edition_without_a_bibliography_is_checked(tmp_path: Path) -> None:
    """references.bib is optional: without it every bib: source is an unknown key, named as
    such, and the check does not stop with a traceback."""
    docs = copy_project(tmp_path)
    (docs / "references.bib").unlink()
    problems = check_edition(docs).problems
    assert problems
    assert all("unknown bibliography key" in p.message for p in problems), problems[:3]


def test_a_script_link_in_a_literal_block_is_named_where_its_text_begins(tmp_path: Path) -> None:
    """A script address the allowlist's parser does not read as a link (plain text) is still
    refused, at the first line of the block's text: a literal block keeps its lines."""
    path = tmp_path / "annotations.yaml"
    path.write_text(
        "annotations:\n  - body: |\n      First line.\n      javascript:alert(1)\n", "utf-8"
    )
    where = ("annotations", 0, "body")
    value = "First line.\njavascript:alert(1)\n"
    assert field_problems(path, where, value, 2) == [
        Problem(
            str(path),
            3,
            "annotations.0.body: javascript:, vbscript: and data: links are not allowed",
        )
    ]


def test_a_refusal_found_on_its_own_line_stays_there() -> None:
    """A construct is looked for on the lines above its token's only when its token's line
    does not show it (a block's attributes): the second of two HTML blocks is named at its own
    line, not at the first one's."""
    found = transcription_refusals("<div>a</div>\n\n<div>b</div>\n")
    assert [(r.line, r.found) for r in found] == [(0, "<div"), (2, "<div")]


def test_a_paragraph_s_words_run_on_through_its_inline_markup() -> None:
    """A quote may run across emphasis: the words of a paragraph are its Text nodes joined
    as they stand, with no separator."""
    para = nodes.paragraph(
        "", "", nodes.Text("the "), nodes.emphasis("", "tin"), nodes.Text(" barons")
    )
    assert paragraph_words(para) == "the tin barons"


def test_a_prefix_at_the_start_of_the_paragraph_places_a_common_word() -> None:
    """A prefix is matched against all of the text before the quote, from its first
    character."""
    units = [unit("1", "Tin and more tin"), unit("2", "tin again")]
    span = resolve(annotation("tin", prefix="Tin and more "), units)
    assert (span.unit.key, span.start, span.end) == ("1", 13, 16)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a --- block of options: blanked up to its closing line, the lines below in place
        (":::{text-part}\n---\nlabel: x\n---\n***\n:::\n", [(4, "")]),
        (":::{text-part}\n---\nlabel: x\n---\nline\n\n***\n:::\n", [(6, "")]),
        # a --- block never closed: all of the content is options
        (":::{text-part}\n---\nlabel: x\n:::\n", []),
        (":::{text-part}\n---\nlabel: x\n***", []),  # to the last line, the text's too
        # :name: options are not read as text, whatever they hold
        (":::{text-part}\n:label: <x>\n***\n:::\n", [(2, "")]),
        # blanked, not replaced: a line of text there would make the code below part of it
        (":::{text-part}\n:label: x\n    code\n:::\n", [(2, "")]),
    ],
)
def test_a_directive_s_options_are_blanked_in_place(text: str, expected: list) -> None:
    """A construct that names nothing written (a rule: no line to look for) is placed by its
    token alone, so the lines of the options must stay where they are."""
    assert [(r.line, r.found) for r in transcription_refusals(text)] == expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{style="x"}\nParagraph.\n', 0),  # on the first line of the text
        ('{style="x"}\n{.b}\nParagraph.\n', 0),  # two lines above
        ('{style="x"}\nParagraph\ncontinues with style.\n', 0),  # above, not below
        ('{style="x"}\n{.b}\n{.c}\n{.d}\nParagraph.\n', 4),  # more than 3 lines above
    ],
)
def test_a_block_s_attribute_is_named_on_its_own_line_above_the_block(text: str, line: int) -> None:
    """A block's attributes are written on up to three lines above it: a refused attribute
    is named where it is written, looked for upwards; further up, at the block."""
    assert [(r.line, r.found) for r in transcription_refusals(text)] == [(line, "style")]


def test_units_are_the_text_paragraphs_and_each_note_s_first_paragraph() -> None:
    """§ numbers count the paragraphs *belongs* keeps, all of them (one left out does not end
    the text); a note is anchored in its first paragraph."""
    note = nodes.footnote(
        "",
        nodes.label("", "3"),
        nodes.paragraph("", "Note three."),
        nodes.paragraph("", "Its second paragraph."),
    )
    document = nodes.section(
        "",
        nodes.paragraph("", "One."),
        nodes.paragraph("", "Left out."),
        nodes.paragraph("", "Two."),
        note,
    )
    units = units_of(document, belongs=lambda p: p.astext() != "Left out.")
    assert [(u.key, u.text) for u in units] == [("1", "One."), ("2", "Two."), ("n3", "Note three.")]


def _span(ident: str, start: int, end: int, kind: str = "note") -> Span:
    """A span of §1 for an annotation *ident* written at line *start* + 100 of layer.yaml."""
    at = Located(Path("layer.yaml"), start + 100)
    record = dataclasses.replace(annotation("q"), id=ident, kind=kind, at=at)
    return Span(record, unit("1", "x" * 40), start, end)


def test_spans_that_touch_or_nest_are_allowed() -> None:
    assert check_overlaps([_span("a", 0, 5), _span("b", 5, 10), _span("c", 6, 8)]) == []
    note_on_the_whole_emendation = _span("n", 0, 10)
    assert check_overlaps([_span("e", 0, 10, "emendation"), note_on_the_whole_emendation]) == []


def test_crossing_spans_are_named_each_at_its_own_line_in_full() -> None:
    """A span that crosses another opens nothing: a span after it is judged against the
    spans that nest."""
    spans = [_span("a", 0, 10), _span("b", 5, 15), _span("c", 12, 20), _span("d", 18, 25)]
    assert [str(p) for p in check_overlaps(spans)] == [
        "layer.yaml:105: annotation 'b' overlaps 'a' (layer.yaml:100) in §1 without nesting; "
        "make one span contain the other or keep them apart",
        "layer.yaml:118: annotation 'd' overlaps 'c' (layer.yaml:112) in §1 without nesting; "
        "make one span contain the other or keep them apart",
    ]


def test_nothing_hangs_on_part_of_an_emendation_in_full() -> None:
    """An emendation's words are replaced in the reading text: a note on part of them, or a
    second emendation inside it, is refused, also inside a note that is itself inside it."""
    emendation = _span("e", 0, 10, "emendation")
    spans = [emendation, _span("n", 2, 8), _span("f", 3, 5, "emendation")]
    assert [str(p) for p in check_overlaps(spans)] == [
        "layer.yaml:102: annotation 'n' lies inside emendation 'e' (layer.yaml:100), whose "
        "words the edition replaces; quote the emendation's whole span ('q') or words "
        "outside it",
        "layer.yaml:103: annotation 'f': an emendation inside emendation 'e'; merge them",
    ]


@pytest.mark.parametrize(
    ("spans", "crossed"),
    [
        ([_span("e", 0, 20, "emendation"), _span("n", 2, 10), _span("m", 5, 15)], "n"),
        ([_span("e", 0, 10, "emendation"), _span("n", 2, 10), _span("m", 5, 12)], "n"),
    ],
)
def test_a_span_refused_inside_an_emendation_still_nests_the_spans_after_it(
    spans: list[Span], crossed: str
) -> None:
    """A note on part of an emendation is refused, but it is nested (also when it ends where
    the emendation ends): a span crossing it is named as crossing it."""
    found = [p.message for p in check_overlaps(spans)]
    assert found[0].startswith("annotation 'n' lies inside emendation 'e'")
    assert found[1].startswith(f"annotation 'm' overlaps '{crossed}' ")
    assert len(found) == 2


def test_overlapping_occurrences_of_a_quote_are_all_counted() -> None:
    """ "aa" occurs twice in "baaab": a quote is ambiguous however its occurrences overlap."""
    expected = (
        "layer.yaml:7: annotation 'x': quote 'aa' is ambiguous (2 matches: §1); add prefix, "
        "suffix or paragraph"
    )
    assert str(resolve(annotation("aa", paragraph=1), [unit("1", "baaab")])) == expected
    assert str(resolve(annotation("aa"), [unit("1", "baaab")])) == expected


def test_a_bibliography_rewritten_in_place_is_read_again(tmp_path: Path) -> None:
    """The parsed bibliography is kept per file state: a file rewritten with the same size
    (another time stamp), or to the same time stamp (another size), is parsed again."""
    bib = tmp_path / "references.bib"

    def rewrite(key: str, ns: int) -> set[str]:
        bib.write_text(f"@book{{{key},\n  title = {{T}},\n  year = {{2000}},\n}}\n", "utf-8")
        os.utime(bib, ns=(ns, ns))
        return set(parsed_bibliography(bib).entries)

    second = 1_700_000_000_000_000_000
    assert rewrite("aaaa", second) == {"aaaa"}
    assert rewrite("bbbb", second + 1_000_000_000) == {"bbbb"}  # same size
    assert rewrite("cccccc", second + 1_000_000_000) == {"cccccc"}  # same time stamp


def test_a_refused_transcription_does_not_end_the_check_of_the_next_text(tmp_path: Path) -> None:
    """Raw HTML in the first text's transcription stops that text's check only: the second
    text is still checked (here, its words against the witness)."""
    docs = copy_project(tmp_path)
    texts = docs.parent / "source_texts"
    sagra = texts / "sagra-1952-revolution.md"
    sagra.write_text(sagra.read_text(encoding="utf-8") + "\n<div>x</div>\n", encoding="utf-8")
    theses = texts / "pulacayo-theses.md"
    theses.write_text(theses.read_text(encoding="utf-8") + "\nAdded words.\n", encoding="utf-8")
    paths = {Path(p.path).name for p in check_edition(docs).problems}
    assert paths == {sagra.name, theses.name}


def test_a_manifest_s_problems_are_raised_one_per_line(tmp_path: Path) -> None:
    path = tmp_path / "texts.yaml"
    path.write_text("witness: {}\ntexts: []\nextra: 1\n", encoding="utf-8")
    with pytest.raises(EditionError) as raised:
        load_manifest(path)
    lines = str(raised.value).split("\n")
    assert len(lines) >= 2
    assert all(line.startswith(f"{path}:") for line in lines), lines


def test_each_run_of_a_transcription_knows_its_source_line(tmp_path: Path) -> None:
    """A word after a line break inside a paragraph is on the next line, also inside inline
    markup (which carries no line of its own): a difference is named where it is written."""
    path = tmp_path / "t.md"
    path.write_text("Intro.\n\nFirst line\nsecond *word*\nthird *more*.\n", encoding="utf-8")
    spec = SimpleNamespace(note_reference_form="({label})", note_form="{label} {text}")
    runs = {text: line for text, line in witness_form(parse_transcription(path), spec)}
    assert (runs["Intro."], runs["word"], runs["more"]) == (1, 4, 5)


def test_a_supplied_emendation_is_its_quote_with_runs_added() -> None:
    """What a supplied emendation adds is told apart from the words it keeps, also in a long
    quote of repeated words (no character is treated as junk); any other change is None."""
    assert supplied_segments("the mines", "the tin mines") == [
        (False, "the"),
        (True, " tin"),
        (False, " mines"),
    ]
    long_quote = "a " * 150 + "end"
    assert supplied_segments(long_quote, "a " * 150 + "the end") == [
        (False, "a " * 150),
        (True, "the "),
        (False, "end"),
    ]
    assert supplied_segments("the mines", "the tin mine") is None


def test_the_check_goes_on_past_a_broken_register_file_and_a_duplicate_id(tmp_path: Path) -> None:
    """A register file that cannot be read does not end the reading of the others, nor does a
    duplicate id end its file: the problems of the entries after them are found too."""
    docs = copy_project(tmp_path)
    organisations = docs / "register" / "organisations.yaml"
    organisations.write_text(organisations.read_text(encoding="utf-8") + "  - [broken\n")
    persons = docs / "register" / "persons.yaml"
    persons.write_text(
        persons.read_text(encoding="utf-8").rstrip("\n")
        + "\n  - id: lechin\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
        "    sources: ['bib:sagra2016litci']\n"
        "  - id: someone\n    type: person\n    name: Juan Pérez\n    surname: Peres\n"
        "    description: Y.\n    sources: ['bib:sagra2016litci']\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in check_edition(docs).problems]
    assert any(p.startswith(f"{organisations}:") and "YAML syntax error" in p for p in problems)
    assert any("duplicate register id 'lechin'" in p for p in problems), problems
    assert any("surname 'Peres' of 'someone' is not part of its name" in p for p in problems)


def test_the_check_goes_on_past_a_broken_annotation_file_and_a_duplicate_id(
    tmp_path: Path,
) -> None:
    """An annotation file that cannot be read, or names an unknown text, does not end the
    reading of the others, nor does a duplicate id end its file."""
    docs = copy_project(tmp_path)
    annotations = docs / "annotations"
    (annotations / "a-broken.yaml").write_text("text: sagra\nannotations: [broken\n")
    (annotations / "b-other.yaml").write_text("text: nosuch\nannotations: []\n")
    starter = annotations / "sagra-starter.yaml"
    starter.write_text(
        starter.read_text(encoding="utf-8").rstrip("\n")
        + "\n"
        + ANN.format(id="hottschild", kind="entity", quote="Atamayo", extra="    ref: hochschild\n")
        + ANN.format(id="x2", kind="entity", quote="Atamayo", extra="    ref: nobody\n"),
        encoding="utf-8",
    )
    problems = [str(p) for p in check_edition(docs).problems]
    assert any(p.startswith(f"{annotations / 'a-broken.yaml'}:") for p in problems), problems
    assert any("unknown text 'nosuch'" in p for p in problems), problems
    assert any("duplicate id 'hottschild'" in p for p in problems), problems
    assert any("annotation 'x2': unknown register id 'nobody'" in p for p in problems), problems


# Found untested by mutation testing (session 16): a reading's own sources


def test_an_unknown_key_in_a_reading_s_sources_is_named_at_that_reading(tmp_path: Path) -> None:
    """A reading's own sources are checked against the bibliography like the annotation's, and
    the problem names the reading that cites the key, not the annotation's first line."""
    docs = copy_project(tmp_path)
    starter = docs / STARTER
    before = starter.read_text(encoding="utf-8").rstrip("\n")
    readings = (
        "    prefix: 'Toro, '\n    body: b\n    readings:\n"
        "      - text: Busch\n        lang: es\n        wit: [EO]\n"
        "      - text: Bush\n        lang: en\n        wit: [EO]\n        sources: ['bib:nokey']\n"
    )
    starter.write_text(
        before + "\n" + ANN.format(id="x1", kind="variant", quote="Buhs", extra=readings),
        encoding="utf-8",
    )
    second_reading = before.count("\n") + 2 + 11
    assert starter.read_text(encoding="utf-8").splitlines()[second_reading - 1] == (
        "      - text: Bush"
    )
    assert [str(p) for p in check_edition(docs).problems] == [
        f"{starter}:{second_reading}: unknown bibliography key 'nokey' (add it to "
        "docs/references.bib)"
    ]


# Found untested by mutation testing (session 16): the plain-text view and BibTeX reading

#: the note forms of the edition's texts (texts.yaml), for transcriptions written here
NOTE_FORMS = {"note_reference_form": "({label})", "note_form": "{label} {text}"}


def test_a_transcription_is_parsed_without_passing_html_through(tmp_path: Path) -> None:
    """Whatever the check let by, raw HTML (a directive or a block) never reaches the parsed
    tree; the warnings left in its place name the transcription."""
    page = tmp_path / "t.md"
    page.write_text(
        "# T\n\n```{raw} html\n<b>bold</b>\n```\n\n<div>block</div>\n\nplain\n", encoding="utf-8"
    )
    document = parse_transcription(page)
    assert list(document.findall(nodes.raw)) == []
    assert [
        (message[0].astext(), message["source"], message.get("line"))
        for message in document.findall(nodes.system_message)
    ] == [
        ('"raw" directive disabled.', str(page), 3),
        ("Raw content disabled.", str(page), None),
    ]


def test_a_link_to_a_label_of_another_text_leaves_the_paragraph_s_words(tmp_path: Path) -> None:
    """A #link to a label the transcription does not hold is resolved by the Sphinx build; the
    parse alone leaves no warning in the paragraph, whose words annotations are anchored in."""
    page = tmp_path / "t.md"
    page.write_text("Intro, see [the theses](#pulacayo) here.\n\nNext.\n", encoding="utf-8")
    assert [unit.text for unit in units_of(parse_transcription(page))] == [
        "Intro, see the theses here.",
        "Next.",
    ]


def test_a_note_that_calls_another_note_is_written_in_the_witness_form(tmp_path: Path) -> None:
    """A note call inside a note takes the witness's form too."""
    page = tmp_path / "t.md"
    page.write_text(
        "Text with a note[^1].\n\n[^1]: The note, see note[^2].\n\n[^2]: Second.\n",
        encoding="utf-8",
    )
    assert transcription_text(SimpleNamespace(**NOTE_FORMS), page) == (
        "Text with a note(1). 1 The note, see note(2). 2 Second."
    )


def test_a_difference_inside_a_note_is_named_at_the_note_s_line(tmp_path: Path) -> None:
    """A note is read where it is written (its definition), not where the last paragraph is."""
    page = tmp_path / "t.md"
    page.write_text("Text with a note[^1].\n\nMore text.\n\n[^1]: The nota.\n", encoding="utf-8")
    spec = SimpleNamespace(**NOTE_FORMS, witness_lines=(1, 3), transcription=Path("t.md"))
    witness = SimpleNamespace(
        read=lambda: "Text with a note(1).\nMore text.\n1 The note.\n", path=Path("w.txt")
    )
    problem = fidelity_problem(spec, witness, witness_form(parse_transcription(page), spec))
    assert str(problem) == (
        "t.md:5: the words differ from the witness (w.txt, line 3): the witness reads "
        "…' note(1). More text. 1 The note.', the transcription …' note(1). More text. 1 The "
        "nota.'; " + KEEP_THE_WITNESS_S_WORDS
    )


def test_a_difference_far_from_the_start_shows_thirty_characters_either_side() -> None:
    """The 30 characters before the difference and the 30 from it, of each text."""
    head, tail = "abcdefghij" * 4, "0123456789" * 5
    assert _fidelity(f"{head}Y{tail}\n", f"{head}X{tail}") == (
        "t.md:1: the words differ from the witness (w.txt, line 1): the witness reads "
        f"…{head[10:] + 'Y' + tail[:29]!r}, the transcription …{head[10:] + 'X' + tail[:29]!r}; "
        + KEEP_THE_WITNESS_S_WORDS
    )


def test_first_difference_shows_forty_characters_either_side_by_default() -> None:
    expected, actual = "a" * 50 + "X" + "b" * 50, "a" * 50 + "Y" + "b" * 50
    assert first_difference(expected, actual) == (
        "first difference at character 50:\n"
        f"  witness:       …{'a' * 40 + 'X' + 'b' * 39!r}\n"
        f"  transcription: …{'a' * 40 + 'Y' + 'b' * 39!r}"
    )


# Found untested by mutation testing (session 16): note calls, the chronology, the rebuild memo

#: a chronology event with the required fields only, and {extra} lines before its sources
EVENT = (
    '  - id: {id}\n    date: "1990"\n    title: T\n{extra}'
    "    sources: ['bib:sagra2016litci']\n    cert: high\n"
)


def test_the_chronology_check_goes_on_past_a_duplicate_event_and_an_unknown_place(
    tmp_path: Path,
) -> None:
    """A duplicate event id does not end the reading of the chronology, and while the register
    is incomplete (a file of it unreadable) a place it lacks is skipped, but the event's next
    places are still checked: an entry that is there but is not a place is named."""
    docs = copy_project(tmp_path)
    organisations = docs / "register" / "organisations.yaml"
    organisations.write_text(organisations.read_text(encoding="utf-8") + "  - [broken\n")
    chronology = docs / "chronology.yaml"
    before = chronology.read_text(encoding="utf-8").rstrip("\n")
    chronology.write_text(
        before
        + "\n"
        + EVENT.format(id="decree-21060", extra="")
        + EVENT.format(id="new-event", extra="    places: [nowhere, lechin]\n"),
        encoding="utf-8",
    )
    start = before.count("\n") + 2
    problems = [str(p) for p in check_edition(docs).problems]
    assert problems[1:] == [
        f"{chronology}:{start}: duplicate event id 'decree-21060'",
        f"{chronology}:{start + 8}: event 'new-event': 'lechin' is not a place in the register",
    ]
    assert problems[0].startswith(f"{organisations}:") and "YAML syntax error" in problems[0]


def test_an_event_with_only_the_required_fields_is_loaded_with_empty_defaults(
    tmp_path: Path,
) -> None:
    docs = copy_project(tmp_path)
    chronology = docs / "chronology.yaml"
    before = chronology.read_text(encoding="utf-8").rstrip("\n")
    chronology.write_text(before + "\n" + EVENT.format(id="new-event", extra=""), encoding="utf-8")
    result = check_edition(docs)
    assert result.problems == []
    (event,) = (e for e in result.layer.chronology if e.id == "new-event")
    assert event == ChronologyEvent(
        id="new-event",
        date="1990",
        title="T",
        sources=("bib:sagra2016litci",),
        cert="high",
        at=Located(chronology, before.count("\n") + 2),
        end="",
        description="",
        places=(),
        mentioned=(),
        disputed="",
        short="",
    )


def test_a_rebuild_parses_no_unchanged_file_of_the_layer_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the last build's store, every unchanged file of the layer (the chronology and the
    annotation files included) comes from the store; without one, each is parsed."""
    docs = copy_project(tmp_path)
    store = tmp_path / "store.pickle"
    first = FileCache(store, "code")
    files = check_edition(docs, cache=first).layer.files
    first.save()
    parsed: list[Path] = []
    parse = loader._parse_and_validate

    def counted(path: Path, kind: str, found: list[Problem]) -> object:
        parsed.append(path)
        return parse(path, kind, found)

    monkeypatch.setattr(loader, "_parse_and_validate", counted)
    assert check_edition(docs, cache=FileCache(store, "code")).ok
    assert [path for path in parsed if path in files] == []
    assert check_edition(docs, cache=FileCache()).ok
    assert [path for path in parsed if path in files] == files


# Found untested by mutation testing (session 16): hint budget, renamed files, check order


def test_did_you_means_stop_once_their_time_budget_is_spent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each did-you-mean takes its time from the text's budget; once nothing is left (0 s
    exactly included), a quote found nowhere gets no hint. The clock is faked: a hint takes
    0.25 s, read at 100 s and after."""
    ticks = iter(range(400, 500))  # quarter seconds
    monkeypatch.setattr(anchoring, "time", SimpleNamespace(perf_counter=lambda: next(ticks) / 4))
    budget = HintBudget(0.5)
    units = [unit("1", "The quick brown fox jumps")]
    assert budget(units, "quick brwn fox") == ("§1", "quick brown fox")
    assert budget.left == 0.25
    assert budget(units, "quick brwn fox") == ("§1", "quick brown fox")
    assert budget.left == 0
    assert budget(units, "quick brwn fox") is None
    assert next(ticks) == 404  # the spent budget no longer reads the clock


def test_an_annotation_file_renamed_is_checked_under_its_new_name(tmp_path: Path) -> None:
    """A renamed file keeps its time stamp: the check's memo is keyed by the files' names as
    well, so the layer is checked again and its annotations name the file they are now in."""
    docs = copy_project(tmp_path)
    old = docs / "annotations" / "sagra-starter.yaml"
    assert old.name in {s.annotation.at.path.name for s in checked_layer(docs).spans}
    new = old.rename(old.with_name("sagra-zz-starter.yaml"))  # after the others, as before
    names = {s.annotation.at.path.name for s in checked_layer(docs).spans}
    assert new.name in names and old.name not in names


class _Listeners:
    """A Sphinx application as far as its event listeners go: Sphinx's own ``connect`` (its
    default priority included) and event manager."""

    connect = Sphinx.connect

    def __init__(self) -> None:
        self.pdb = False
        self.events = EventManager(self)


def test_the_build_checks_the_layer_before_the_bibliography_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sphinxcontrib-bibtex, which conf.py names before the extension, reads references.bib on
    ``builder-inited`` at Sphinx's default priority: the check goes first all the same, so a
    broken bibliography is reported by the check, with its path and line."""
    app = _Listeners()
    order: list[str] = []
    app.connect("builder-inited", lambda app: order.append("references.bib read"))
    monkeypatch.setattr(check, "_check_on_start", lambda app: order.append("layer checked"))
    check.setup_check(app)
    app.events.emit("builder-inited")
    assert order == ["layer checked", "references.bib read"]


def test_the_check_parses_a_transcription_with_the_build_s_syntax(tmp_path: Path) -> None:
    """A build may enable MyST syntax that changes allowed text: with ``replacements``, "--"
    prints as "–". The check parses each transcription with the build's syntax, so the words
    the build would print are compared with the witness, and the difference is named."""

    docs = copy_project(tmp_path)
    texts = docs.parent / "source_texts"
    witness = texts / "witness" / "000_4a46b843ed25f814.txt"
    transcription = texts / "sagra-1952-revolution.md"
    for path in (witness, transcription):
        text = path.read_text(encoding="utf-8")
        assert text.count("By Alicia Sagra") == 1
        path.write_text(text.replace("By Alicia Sagra", "By -- Alicia Sagra"), encoding="utf-8")
    manifest = texts / "texts.yaml"
    digest = hashlib.sha256(witness.read_bytes()).hexdigest()
    old = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"sha256: \w+", f"sha256: {digest}", old), encoding="utf-8")
    assert check_edition(docs).problems == []
    [problem] = check_edition(docs, extensions=["replacements"]).problems
    assert (problem.path, problem.line) == (str(transcription), 11)
    assert "the words differ from the witness" in problem.message
    assert "By -- Alicia Sagra" in problem.message and "By – Alicia Sagra" in problem.message


def test_an_unknown_siglum_in_an_edition_without_witnesses_says_there_are_none(
    tmp_path: Path,
) -> None:
    """With no witness listed (the schema allows an empty list), the message says so in words."""
    docs = copy_project(tmp_path)
    (docs / "witnesses.yaml").write_text("witnesses: []\n", encoding="utf-8")
    messages = [p.message for p in check_edition(docs).problems]
    sigla = [m for m in messages if "unknown siglum" in m]
    assert sigla, messages
    assert all(m.endswith("; known sigla (docs/witnesses.yaml): none") for m in sigla), sigla


def test_the_check_reads_every_file_as_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """Where the locale's encoding is ASCII (``LC_ALL=C`` without Python's UTF-8 mode), the
    check still reads the bibliography, the transcriptions and the pages as UTF-8 (they hold
    accents), and runs to the end: here to the two problems it should find in a page, one of
    which quotes a directive's name with its accent."""
    docs = copy_project(tmp_path)
    page = docs / "introduction.md"
    text = page.read_text(encoding="utf-8").rstrip("\n")
    page.write_text(text + '\n\n<b title="año">x</b>\n\n```{prüfe}\nx\n```\n', encoding="utf-8")
    line = text.count("\n") + 3
    package = Path(check.__file__).resolve().parents[1]
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = os.pathsep.join([str(package), env.get("PYTHONPATH", "")])
    probe = [sys.executable, "-c", "import locale; print(locale.getpreferredencoding(False))"]
    assert subprocess.run(probe, env=env, capture_output=True, text=True).stdout.strip() in {
        "ANSI_X3.4-1968",
        "ascii",
        "US-ASCII",
    }
    run = subprocess.run(
        [sys.executable, "-m", "sphinx_critical_edition.cli", "check", "--docs", str(docs)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    found = {row for row in run.stdout.splitlines() + run.stderr.splitlines() if ": " in row}
    assert {row.split(";", 1)[0] for row in found if row.startswith(str(docs))} == {
        f"{page}:{line}: raw HTML is not allowed in a page",
        f"{page}:{line + 2}: the directive {{prüfe}} is not allowed",
    }, run.stdout + run.stderr


# Found untested by mutation testing (session 16): the markup allowlist


def test_editorial_text_may_cite_unless_told_otherwise() -> None:
    """A body may cite; with ``cite=False`` (a comment, a description) the role is refused."""
    text = "See {cite:p}`sagra2016`."
    assert markup_refusals(text) == []
    assert [(r.line, r.found) for r in markup_refusals(text, cite=False)] == [(0, "{cite:p}")]


def test_only_a_render_s_own_block_breaks_pass() -> None:
    """The bodies of one file are rendered together, separated by ``+++ ce-body``: that break
    passes, any other block break is refused, and the text after a break is still checked."""
    text = "A.\n\n+++ ce-body\n\nB <b>x</b>\n\n+++ other\n"
    tokens = checking_parser().parse(text)
    broken = f"a block break (+++) is not allowed in editorial text; {EDITORIAL.instead}"
    render = refusals(tokens, EDITORIAL, allow_breaks=True)
    assert [(r.line, r.found) for r in render] == [(4, "<b"), (4, "</b"), (6, "")]
    assert render[-1].message == broken
    alone = refusals(tokens, EDITORIAL)  # a text parsed on its own holds no break
    assert [(r.line, r.found) for r in alone] == [(2, ""), (4, "<b"), (4, "</b"), (6, "")]
    assert alone[0].message == broken


def test_a_construct_before_a_code_block_is_still_refused() -> None:
    """Every refusal of a text is kept: raw HTML, then a code block."""
    assert [(r.line, r.found) for r in markup_refusals("<b>x</b>\n\n```\ncode\n```\n")] == [
        (0, "<b"),
        (0, "</b"),
        (2, ""),
    ]


def test_a_construct_the_allowlist_does_not_name_is_named_by_its_token() -> None:
    """A construct without a name of its own (amsmath, if a ``conf.py`` enables it) is
    refused under markdown-it's name for it, at its line; a named one (a span) by its name."""
    assert transcription_refusals("a\n[x]{.a}") == [
        Refusal(
            1,
            "",
            "a span with attributes ([…]{…}) is not allowed in a transcription; "
            f"{TRANSCRIPTION.instead}",
        )
    ]
    text = "x\n\n\\begin{equation}\ny\n\\end{equation}\n"
    assert transcription_refusals(text, (*TRANSCRIPTION_EXTENSIONS, "amsmath")) == [
        Refusal(2, "", f"amsmath is not allowed in a transcription; {TRANSCRIPTION.instead}")
    ]


def test_hard_line_breaks_count_as_lines() -> None:
    """A backslash and two final spaces break a line as a new line does: the HTML after two
    hard breaks and a soft one is on the fourth line (3, from 0)."""
    text = "a\\\nb  \nc\n<b>x</b>"
    assert [(r.line, r.found) for r in markup_refusals(text)] == [(3, "<b"), (3, "</b")]


def test_an_allowed_inline_construct_has_its_attributes_checked() -> None:
    """A link may stand in a transcription, but not with an attribute outside the allowlist
    (named at its line); a refused construct is refused once, not again for its attributes."""
    assert transcription_refusals("x\n[a](#b){lang=en}") == [
        Refusal(
            1,
            "lang",
            f"the attribute lang='en' is not allowed in a transcription; {TRANSCRIPTION.instead}",
        )
    ]
    assert [r.message for r in markup_refusals("![a](https://example.org/i.png)")] == [
        f"an image is not allowed in editorial text; {EDITORIAL.instead}"
    ]


def test_a_refused_link_escaped_after_its_first_40_characters_is_found_at_its_line(
    tmp_path: Path,
) -> None:
    """A refused link is looked for in the file by its first 40 characters as a browser reads
    them: an escape after them (``&#98;``) does not hide the line the link is on."""
    href = "javascript:" + "a" * 29 + "&#98;"
    path = tmp_path / "notes.yaml"
    path.write_text(f"notes:\n  - body: >\n      A note.\n      See [x]({href}).\n", "utf-8")
    value = yaml.safe_load(path.read_text("utf-8"))["notes"][0]["body"]
    (problem,) = field_problems(path, ("notes", 0, "body"), value, 2)
    assert problem.line == 4
    assert "javascript:, vbscript: and data: links are not allowed" in problem.message


def test_an_unknown_citation_role_in_a_body_is_named_as_a_role(tmp_path: Path) -> None:
    """A body may cite, so a role that only looks like a citation is refused as a role, not
    with the message for a field that cannot cite."""
    path = tmp_path / "notes.yaml"
    path.write_text("annotations:\n  - body: See {cite:x}`k`.\n", "utf-8")
    assert field_problems(path, ("annotations", 0, "body"), "See {cite:x}`k`.", 2) == [
        Problem(
            str(path),
            2,
            "annotations.0.body: the role {cite:x} is not allowed in editorial text; "
            f"{EDITORIAL.instead}",
        )
    ]


def test_a_description_that_cites_has_each_refusal_at_its_line(tmp_path: Path) -> None:
    """In a field that cannot cite, a citation gets its own message, found at its line (in a
    folded text too); another construct keeps the allowlist's message and its line."""
    path = tmp_path / "register.yaml"
    path.write_text(
        "entries:\n"  # 1
        "  - description: |\n"  # 2
        "      See {cite:p}`k`.\n"  # 3
        "\n"  # 4
        "      # Heading\n"  # 5
        "  - description: >\n"  # 6
        "      A.\n"  # 7
        "      See {cite:t}`k`.\n",  # 8
        "utf-8",
    )
    cannot = "a description cannot cite; give the work in its sources (bib:KEY)"
    data = yaml.safe_load(path.read_text("utf-8"))["entries"]
    first = field_problems(path, ("entries", 0, "description"), data[0]["description"], 2)
    assert [(p.line, p.message) for p in first] == [
        (3, f"entries.0.description: {cannot}"),
        (
            5,
            f"entries.0.description: a heading (#) is not allowed in editorial text; "
            f"{EDITORIAL.instead}",
        ),
    ]
    second = field_problems(path, ("entries", 1, "description"), data[1]["description"], 6)
    assert [(p.line, p.message) for p in second] == [(8, f"entries.1.description: {cannot}")]


def test_code_in_editorial_text_may_show_a_tag() -> None:
    """Editorial text has passed the allowlist: a tag inside inline code is text, not HTML, and
    only a script link is looked for in it besides."""
    where = ("annotations", 0, "body")
    assert field_problems(Path("notes.yaml"), where, "Write `<b>` for bold.", 2) == []
    assert [p.message for p in field_problems(Path("notes.yaml"), where, "`javascript:x`", 2)] == [
        "annotations.0.body: javascript:, vbscript: and data: links are not allowed"
    ]


def test_a_refusal_in_a_file_that_cannot_be_read_again_is_at_its_key_s_line(
    tmp_path: Path,
) -> None:
    """The construct's own line is looked for in the file; a file gone since it was read gives
    the line of the field's key."""
    missing = tmp_path / "notes.yaml"
    (problem,) = field_problems(missing, ("annotations", 0, "body"), "a<br>b", 7)
    assert (problem.path, problem.line) == (str(missing), 7)


def test_a_missing_top_level_field_is_named_where_the_mapping_begins(tmp_path: Path) -> None:
    """An error about the whole file (a required field missing) is at the first line of its
    mapping, after the comments above it."""
    path = tmp_path / "register.yaml"
    path.write_text("# The register.\n# Of persons.\n\nentrys: []\n", "utf-8")
    problems: list[Problem] = []
    assert read_yaml(path, "register", problems) is None
    assert [(p.line, p.message) for p in problems] == [
        (
            4,
            "the file: Additional properties are not allowed ('entrys' was unexpected); "
            "allowed fields: entries",
        ),
        (4, "the file: 'entries' is a required property"),
    ]


def test_the_line_of_a_path_is_that_of_its_deepest_key_in_the_file() -> None:
    """A path into a file's data is placed at its deepest key the file has: the mapping's own
    line (after the comments) for none, the record's line for a key it lacks, the list's key
    for a record it lacks."""
    data, problems = parse_yaml("# A register.\nentries:\n  - id: a\n    name: A\n", "x.yaml")
    assert problems == []
    assert line_of(data, ()) == 2
    assert line_of(data, ("entries", 0, "name")) == 4
    assert line_of(data, ("entries", 0, "born")) == 3
    assert line_of(data, ("entries", 5, "name")) == 2


def test_a_file_the_two_validators_disagree_on_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jsonschema-rs says whether a file is valid and the pure-Python validator explains why
    not: should the first refuse a file (or fail on it) that the second finds valid, the file
    is refused all the same, at its first line, naming its schema."""
    path = tmp_path / "persons.yaml"
    path.write_text((ROOT_DOCS / "register" / "persons.yaml").read_text("utf-8"), "utf-8")
    assert read_yaml(path, "register", []) is not None

    def fail(data: object) -> bool:
        raise ValueError("a value JSON has no type for")

    for is_valid in (lambda data: False, fail):
        validator = SimpleNamespace(is_valid=is_valid)
        monkeypatch.setattr(loader, "_fast_validator", lambda kind, v=validator: v)
        problems: list[Problem] = []
        assert read_yaml(path, "register", problems) is None
        assert problems == [Problem(str(path), 1, "the file does not match register.schema.json")]


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


# Found by an audit of "equivalent" verdicts (session 16)


def test_a_refusal_whose_text_is_not_written_as_found_stays_on_its_line() -> None:
    """A link is named by its normalised address ("HTTPS://" read as "https://"), which the
    file does not hold as written: the search for it above its line stops at the first line,
    and never wraps round to the last ("see https://example.com" at the end)."""
    text = "[a](HTTPS://example.com)\n\nsee https://example.com"
    assert [(r.line, r.found) for r in transcription_refusals(text)] == [(0, "https://example.com")]


def test_a_refused_link_is_quoted_whole_up_to_its_last_letter(tmp_path: Path) -> None:
    """Only the punctuation that ends a sentence is taken off a link, never a letter: the
    message quotes ".../Malcolm_X" whole."""
    (tmp_path / "link-policy.yaml").write_text(
        "refused:\n  - {host: mgwiki.top, why: a copy of Wikipedia}\n", encoding="utf-8"
    )
    (tmp_path / "index.md").write_text(
        "See https://de.mgwiki.top/wiki/Malcolm_X.\n", encoding="utf-8"
    )
    [problem] = refused_links(tmp_path)
    assert ": https://de.mgwiki.top/wiki/Malcolm_X; cite" in problem.message


def test_a_transcription_parsed_with_other_note_forms_is_not_taken_from_the_memo(
    tmp_path: Path,
) -> None:
    """The memo of a parsed transcription is keyed by its note forms and syntax: two settings
    whose words joined with spaces read alike ("{label} {text}" with amsmath and deflist,
    "{label} {text} amsmath" with deflist) are two keys, and the second build parses, not takes
    the first's."""
    manifest = load_manifest(ROOT_DOCS.parent / "source_texts" / "texts.yaml")
    spec = next(text for text in manifest.texts if text.key == "sagra")
    first = dataclasses.replace(spec, note_form="{label} {text}")
    second = dataclasses.replace(spec, note_form="{label} {text} amsmath")
    store = tmp_path / "store.pickle"
    build = FileCache(store, "code")
    check._transcription(first, build, ("amsmath", "deflist"))
    build.save()
    rebuild = FileCache(store, "code")
    assert check._transcription(second, rebuild, ("deflist",)) == check._transcription(
        second, FileCache(), ("deflist",)
    )
    assert rebuild.reused == 0


def test_the_check_prints_nothing_of_its_own_on_the_edition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docutils' warnings on a transcription (headings from H2) are left to the Sphinx build:
    the check itself writes nothing to the terminal for the edition as it is."""
    assert check_edition(ROOT_DOCS, cache=FileCache()).ok
    assert capsys.readouterr() == ("", "")


def test_a_refusal_found_only_by_the_last_safety_net_is_named_where_the_field_begins(
    tmp_path: Path,
) -> None:
    """A link hidden from the Markdown parser (``javascript&colon;``) is caught by the last
    check of the field's whole text, which points at no construct: the problem names the line
    where the field's text begins, whatever its lines say ("XXXX" included)."""
    path = tmp_path / "a.yaml"
    body = "first line\nXXXX and javascript&colon;alert(1)\n"
    path.write_text(
        "- id: a\n  body: |\n    first line\n    XXXX and javascript&colon;alert(1)\n",
        encoding="utf-8",
    )
    assert [(p.line, p.message) for p in field_problems(path, (0, "body"), body, 2)] == [
        (3, "0.body: javascript:, vbscript: and data: links are not allowed")
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (":::{text-part}\n:class: x\n    indented\n:::\n", 2),
        (":::{text-part}\n---\nclass: x\n---\n    indented\n:::\n", 4),
    ],
    ids=["option lines", "option block"],
)
def test_an_indented_block_under_a_directive_s_options_is_refused(text: str, line: int) -> None:
    """A directive's options are blanked before its content is parsed; a blank line, not a
    line of text, so that an indented line under them still opens a code block, refused."""
    assert [(r.line, r.message.split(";")[0]) for r in transcription_refusals(text)] == [
        (line, "an indented code block is not allowed in a transcription")
    ]


def test_a_note_opening_with_a_block_quote_gives_no_unit(tmp_path: Path) -> None:
    """Only a note's first paragraph is a unit (``nN``): a note whose first block is a quote
    gives none, and no other block of the note stands in for it."""
    path = tmp_path / "t.md"
    path.write_text("a[^1].\n\n[^1]: > quoted note\n", encoding="utf-8")
    assert [(unit.key, unit.text) for unit in units_of(parse_transcription(path))] == [("1", "a.")]


def test_one_time_budget_for_did_you_means_serves_all_of_a_text_s_annotations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """anchor_all gives every annotation of a text the same budget: with a faked clock (a hint
    takes 0.25 s of the 0.5 s), the first two quotes found nowhere get a did-you-mean, the
    third none."""
    ticks = iter(range(400, 500))  # quarter seconds
    monkeypatch.setattr(anchoring, "time", SimpleNamespace(perf_counter=lambda: next(ticks) / 4))
    units = [unit("1", "The quick brown fox jumps")]
    spans, problems = anchor_all([annotation("quick brwn fox")] * 3, units)
    assert spans == []
    hints = ["did you mean 'quick brown fox' (§1)?" in p.message for p in problems]
    assert hints == [True, True, False]


@pytest.mark.parametrize(
    "text", ["```{text-part}\n---\na: b\n<div>x</div>", ":::{text-part}\n---\n<div>x</div>"]
)
def test_an_unclosed_option_block_at_a_file_s_end_is_all_options(text: str) -> None:
    """An option block (``---``) left open runs to the end of the file, final newline or
    not: what follows it is options, read as YAML by the directive, never as Markdown."""
    assert transcription_refusals(text) == []


def test_a_span_with_attributes_in_a_transcription_is_named_as_such() -> None:
    """An inline span ``[x]{.a}`` is refused in a transcription, by a name a contributor reads,
    and the list of what is allowed says where a block's attributes go instead."""
    [refusal] = transcription_refusals("a [x]{.a} b\n")
    assert refusal.message.startswith(
        "a span with attributes ([…]{…}) is not allowed in a transcription; "
    )
    assert "{.class} attributes on a block's line above it" in refusal.message


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


def test_the_address_to_cite_keeps_the_other_parameters_as_written(tmp_path: Path) -> None:
    """Without the refused parameter, the address given keeps the others unchanged: a "/" or
    ":" in a value is not escaped ("?path=a/b:c", not "a%2Fb%3Ac")."""
    (tmp_path / "link-policy.yaml").write_text(
        "refused: []\nparameters:\n  - {name: share, why: a sharing button's address}\n",
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text(
        "See https://example.org/a?path=a/b:c&share=x.\n", encoding="utf-8"
    )
    [problem] = refused_links(tmp_path)
    assert "own address, https://example.org/a?path=a/b:c (the list" in problem.message
