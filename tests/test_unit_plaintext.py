"""Unit tests of ``plaintext.py``: a transcription parsed and its words in the
witness's forms (note calls, notes), and the message naming the first difference from the
witness and its line.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DOCS as ROOT_DOCS
from docutils import nodes
from sphinx_critical_edition.anchoring import units_of
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.filecache import FileCache
from sphinx_critical_edition.plaintext import (
    LinedText,
    fidelity_problem,
    first_difference,
    normalise_whitespace,
    parse_transcription,
    transcription_text,
    witness_form,
)


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


def test_lined_text_knows_the_source_line_of_each_word() -> None:
    """The fidelity check names the transcription's line of the first difference."""
    text = LinedText.of([("  a\n\n b", 3), ("c", 10)])
    assert (text.text, text.starts, text.lines) == ("a bc", (0, 2, 3), (3, 5, 10))
    assert [text.line_at(i) for i in range(4)] == [3, 3, 5, 10]
    assert LinedText.of([]).line_at(0) == 1


# Sampled survivors of the mutation runs


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


def test_a_transcription_is_parsed_without_reading_other_files(tmp_path: Path) -> None:
    """Whatever the check let by, parsing never inserts another file's words."""
    (tmp_path / "other.md").write_text("inserted words\n", encoding="utf-8")
    page = tmp_path / "t.md"
    page.write_text("# T\n\n```{include} other.md\n```\n\nplain\n", encoding="utf-8")
    text = parse_transcription(page).astext()
    assert "inserted" not in text and 'Directive "include" disabled.' in text


def test_each_run_of_a_transcription_knows_its_source_line(tmp_path: Path) -> None:
    """A word after a line break inside a paragraph is on the next line, also inside inline
    markup (which carries no line of its own): a difference is named where it is written."""
    path = tmp_path / "t.md"
    path.write_text("Intro.\n\nFirst line\nsecond *word*\nthird *more*.\n", encoding="utf-8")
    spec = SimpleNamespace(note_reference_form="({label})", note_form="{label} {text}")
    runs = {text: line for text, line in witness_form(parse_transcription(path), spec)}
    assert (runs["Intro."], runs["word"], runs["more"]) == (1, 4, 5)


# Found untested by mutation testing (session 16)


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


# Found by an audit of "equivalent" verdicts (session 16)


def test_the_check_prints_nothing_of_its_own_on_the_edition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docutils' warnings on a transcription (headings from H2) are left to the Sphinx build:
    the check itself writes nothing to the terminal for the edition as it is."""
    assert check_edition(ROOT_DOCS, cache=FileCache()).ok
    assert capsys.readouterr() == ("", "")
