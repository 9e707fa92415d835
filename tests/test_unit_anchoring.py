"""Unit tests of ``anchoring.py``: a quote placed in its paragraph (prefix, suffix,
``paragraph``), the did-you-mean (``nearest``) and its time budget, a text's units, the
rules for overlapping spans, the edition's words.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import copy_project
from docutils import nodes
from sphinx_critical_edition import anchoring
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
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.model import Annotation, Located
from sphinx_critical_edition.nodes import choice, corr, sic
from sphinx_critical_edition.plaintext import parse_transcription
from units_helpers import ANN, STARTER


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


def test_nearest_accepts_a_passage_half_like_the_quote() -> None:
    """The did-you-mean threshold is a ratio of 0.5, inclusive: "ab" for "abcdef" is 2·2/8."""
    assert nearest([unit("1", "ab")], "abcdef") == ("§1", "ab")
    assert nearest([unit("1", "ab")], "abcdefg") is None  # 4/9


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


# Sampled survivors of the mutation runs


def test_a_quote_in_another_paragraph_than_the_one_given_in_full() -> None:
    units = [unit("1", "one two three"), unit("2", "four five six"), unit("n1", "five")]
    assert str(resolve(annotation("five", paragraph=1), units)) == (
        "layer.yaml:7: annotation 'x': quote 'five' is not in §1 but in §2, note 1; "
        "correct paragraph"
    )


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


def test_a_variant_on_part_of_a_name_is_refused_in_full() -> None:
    """A name's link around a variant's lemma would hold the readings' links (an "a" in an
    "a", which spilled the readings into the printed text, review 18): refused, also with a
    note between them; a variant on the name's own words, or around it, is allowed."""
    spans = [_span("name", 0, 20, "entity"), _span("n", 0, 15), _span("v", 0, 10, "variant")]
    assert [str(p) for p in check_overlaps(spans)] == [
        "layer.yaml:100: variant 'v' lies on part of name 'name' (layer.yaml:100), whose link "
        "cannot hold the readings; quote the name on the variant's words ('q') or the variant "
        "on the name's ('q')",
    ]
    same_words = [_span("name", 0, 10, "entity"), _span("v", 0, 10, "variant")]
    around = [_span("v", 0, 20, "variant"), _span("name", 0, 10, "entity")]
    assert check_overlaps(same_words) == [] and check_overlaps(around) == []


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


# Found untested by mutation testing (session 16)


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


# Found by an audit of "equivalent" verdicts (session 16)


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


# Headings (session 20): a note on a heading's words stands at the heading


def test_a_heading_is_a_unit_named_by_the_paragraph_it_stands_above(tmp_path: Path) -> None:
    """``h2`` is the heading above §2; a second heading before the same paragraph is ``h2b``;
    a heading after the last paragraph is named by the § that would follow; the document's
    own title (a text whose one heading a parse promotes) counts too."""
    path = tmp_path / "t.md"
    path.write_text(
        "# Title\n\nOne.\n\n## Part\n\n### Chapter\n\nTwo[^1].\n\n## Coda\n\n[^1]: Note.\n",
        encoding="utf-8",
    )
    units = units_of(parse_transcription(path))
    assert [(u.key, u.text, u.label) for u in units] == [
        ("h1", "Title", "heading above §1"),
        ("1", "One.", "§1"),
        ("h2", "Part", "heading above §2"),
        ("h2b", "Chapter", "heading above §2"),
        ("2", "Two.", "§2"),
        ("h3", "Coda", "heading above §3"),
        ("n1", "Note.", "note 1"),
    ]


def test_a_quote_in_a_heading_anchors_there_and_is_placed_among_its_paragraphs() -> None:
    units = [unit("h2", "The lessons"), unit("2", "The lessons were learnt."), unit("1", "x")]
    span = resolve(annotation("lessons", paragraph="h2"), units)
    assert isinstance(span, Span)
    assert (span.unit.key, span.start, span.end) == ("h2", 4, 11)
    problem = resolve(annotation("lessons"), units)
    assert str(problem).endswith(
        "is ambiguous (2 matches: heading above §2, §2); add prefix, suffix or paragraph"
    )
    wrong = resolve(annotation("learnt", paragraph="h2"), units)
    assert "is not in heading above §2 but in §2; correct paragraph" in str(wrong)


def test_a_quote_may_not_run_from_a_heading_into_its_paragraph() -> None:
    units = [unit("h2", "The lessons"), unit("2", "of the revolution.")]
    problem = resolve(annotation("lessons of the"), units)
    assert "crosses a paragraph break" in str(problem)


@pytest.mark.parametrize("key", ["h2", "h12b", "n3", "12"])
def test_a_paragraph_field_names_a_heading_a_note_or_a_paragraph(key: str) -> None:
    units = [unit(key, "words")]
    field: object = int(key) if key.isdigit() else key
    assert isinstance(resolve(annotation("words", paragraph=field), units), Span)
