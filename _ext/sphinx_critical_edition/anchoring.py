"""Anchoring: a quotation of the witness → one paragraph and a character span in it.

A quote must match exactly one place (white space runs match any white space run). ``prefix`` /
``suffix`` (as in the W3C TextQuoteSelector) or ``paragraph`` disambiguate. A quote that matches
nowhere gets the nearest candidate as a did-you-mean; one that only matches across a paragraph
break is refused: a span stays within one paragraph. Spans in a paragraph may nest or be
disjoint, never cross.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import ahocorasick
from docutils import nodes

from .errors import Problem
from .model import Annotation
from .nodes import EDITORIAL_NODES
from .notes import edition_note, edition_noteref
from .paragraphs import is_text_paragraph, paragraph_number

#: not the paragraph's words: note calls, notes, § numbers, the editors' readings
SKIPPED_IN_WORDS = (
    nodes.footnote_reference,
    paragraph_number,
    edition_noteref,
    edition_note,
    *EDITORIAL_NODES,
)


@dataclass(frozen=True)
class Unit:
    """An anchorable paragraph: a numbered paragraph (§) or an author's note."""

    key: str  # "12" for §12, "n2" for the author's note 2
    text: str  # the paragraph's words (note calls and § numbers left out)
    norm: str  # *text* with white space runs collapsed to one space
    offsets: tuple[int, ...]  # norm index → text index (one past the end included)

    @property
    def label(self) -> str:
        return f"note {self.key[1:]}" if self.key.startswith("n") else f"§{self.key}"


@dataclass(frozen=True)
class Span:
    annotation: Annotation
    unit: Unit
    start: int  # in unit.text
    end: int

    @property
    def is_insertion(self) -> bool:
        return self.annotation.supplied


def paragraph_words(paragraph: nodes.paragraph) -> str:
    """The text used for anchoring: Text nodes only, no note calls, no § number."""
    return "".join(t.astext() for t in text_nodes(paragraph))


def text_nodes(node: nodes.Element) -> Iterator[nodes.Text]:
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, SKIPPED_IN_WORDS):
            continue
        elif isinstance(child, nodes.Element):
            yield from text_nodes(child)


#: str.isspace() and re's \s agree on every character
_WHITESPACE = re.compile(r"\s+")


def _normalise(text: str) -> tuple[str, tuple[int, ...]]:
    """Runs of whitespace → one space; with, for each output character, its input offset."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _WHITESPACE.finditer(text):
        start, end = match.span()
        out += (text[pos:start], " ")
        offsets += range(pos, start + 1)
        pos = end
    out.append(text[pos:])
    offsets += range(pos, len(text) + 1)
    return "".join(out), tuple(offsets)


def _squeeze(text: str) -> str:
    """The text of :func:`_normalise` alone, for quotes, which need no offsets."""
    return _WHITESPACE.sub(" ", text)


def make_unit(key: str, text: str) -> Unit:
    norm, offsets = _normalise(text)
    return Unit(key, text, norm, offsets)


def units_of(
    document: nodes.Node, belongs: Callable[[nodes.paragraph], bool] = lambda p: True
) -> list[Unit]:
    """The anchorable paragraphs of a parsed transcription, in order (same rule as § numbers)."""
    units, number = [], 0
    for para in document.findall(nodes.paragraph):
        if not belongs(para):
            continue
        if is_text_paragraph(para):
            number += 1
            units.append(make_unit(str(number), paragraph_words(para)))
        elif isinstance(para.parent, nodes.footnote) and para.parent.index(para) == 1:
            units.append(make_unit(f"n{para.parent[0].astext()}", paragraph_words(para)))
    return units


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + 1)


def _fits(unit: Unit, start: int, end: int, prefix: str, suffix: str) -> bool:
    if prefix and not unit.norm[:start].endswith(prefix):
        return False
    return not (suffix and not unit.norm[end:].startswith(suffix))


def nearest(units: Iterable[Unit], quote: str) -> tuple[str, str] | None:
    """The passage most like *quote*: (unit label, text), for a did-you-mean."""
    best: tuple[float, str, str] | None = None
    for unit in units:
        matcher = difflib.SequenceMatcher(None, unit.norm, quote, autojunk=False)
        match = matcher.find_longest_match(0, len(unit.norm), 0, len(quote))
        if match.size == 0:
            continue
        anchor = match.a - match.b
        for lo in range(max(0, anchor - 3), anchor + 4):
            for size in range(max(1, len(quote) - 3), len(quote) + 4):
                window = unit.norm[lo : lo + size]
                score = difflib.SequenceMatcher(None, window, quote, autojunk=False).ratio()
                if best is None or score > best[0]:
                    best = (score, unit.label, window.strip())
    return (best[1], best[2]) if best and best[0] >= 0.5 else None


class QuoteIndex:
    """Every occurrence of every quote in every unit, found in one pass per unit.

    An Aho–Corasick automaton over the distinct quotes makes anchoring linear in the length of
    the texts plus the number of matches, however many annotations there are.
    """

    def __init__(self, quotes: Iterable[str], units: list[Unit]) -> None:
        self.units = {unit.key: unit for unit in units}
        automaton = ahocorasick.Automaton()
        for quote in set(quotes):
            if quote:
                automaton.add_word(quote, quote)
        self.hits: dict[str, list[tuple[Unit, int]]] = {}
        if len(automaton):
            automaton.make_automaton()
            for unit in units:
                for end, quote in automaton.iter(unit.norm):
                    self.hits.setdefault(quote, []).append((unit, end - len(quote) + 1))

    def find(self, quote: str) -> list[tuple[Unit, int]]:
        return self.hits.get(quote, [])


def resolve(
    annotation: Annotation, units: list[Unit], index: QuoteIndex | None = None
) -> Span | Problem:
    """The one place *annotation* anchors to, or the problem that prevents it."""
    where, line = str(annotation.at.path), annotation.at.line
    quote = _squeeze(annotation.quote.strip())
    prefix = _squeeze(annotation.prefix)
    suffix = _squeeze(annotation.suffix)
    pool = units
    if annotation.paragraph is not None:
        key = str(annotation.paragraph)
        unit = index.units.get(key) if index else next((u for u in units if u.key == key), None)
        pool = [unit] if unit else []
        if not pool:
            return Problem(
                where,
                line,
                f"annotation {annotation.id!r}: there is no paragraph "
                f"{key!r} in text {annotation.text!r}",
            )
        candidates = [(pool[0], start) for start in _find_all(pool[0].norm, quote)]
    elif index is not None:
        candidates = index.find(quote)
    else:
        candidates = [(u, start) for u in units for start in _find_all(u.norm, quote)]
    hits = [(u, s) for u, s in candidates if _fits(u, s, s + len(quote), prefix, suffix)]
    if len(hits) == 1:
        unit, start = hits[0]
        end = start + len(quote)
        return Span(annotation, unit, unit.offsets[start], unit.offsets[end - 1] + 1)
    if hits:
        places = ", ".join(sorted({u.label for u, _ in hits}, key=_order))
        return Problem(
            where,
            line,
            f"annotation {annotation.id!r}: quote {annotation.quote!r} "
            f"is ambiguous ({len(hits)} matches: {places}); add prefix, suffix or "
            "paragraph",
        )
    joined = " ".join(u.norm for u in pool)
    if quote in joined:
        return Problem(
            where,
            line,
            f"annotation {annotation.id!r}: quote {annotation.quote!r} "
            "crosses a paragraph break; a span must stay within one paragraph",
        )
    hint = nearest(pool, quote)
    message = (
        f"annotation {annotation.id!r}: quote {annotation.quote!r} not found in text "
        f"{annotation.text!r}"
    )
    if hint:
        message += f"; did you mean {hint[1]!r} ({hint[0]})?"
    return Problem(where, line, message)


def _order(label: str) -> tuple[int, int]:
    return (1, int(label[5:])) if label.startswith("note") else (0, int(label[1:]))


def _overlap_problem(a: Span, b: Span) -> str | None:
    """Why span *b* (starting inside *a*) may not stand there, or None if it may."""
    inner, outer = b.annotation, a.annotation
    if b.end > a.end:  # starts inside a, ends outside it
        return (
            f"annotation {inner.id!r} overlaps {outer.id!r} ({outer.at.where()}) in "
            f"{a.unit.label} without nesting; make one span contain the other or keep them apart"
        )
    if inner.kind == outer.kind == "emendation":
        return f"annotation {inner.id!r}: an emendation inside emendation {outer.id!r}; merge them"
    if outer.kind == "emendation" and (a.start, a.end) != (b.start, b.end):
        # the emendation replaces those words in the reading text: nothing may hang on a part
        return (
            f"annotation {inner.id!r} lies inside emendation {outer.id!r} "
            f"({outer.at.where()}), whose words the edition replaces; quote the emendation's "
            f"whole span ({outer.quote!r}) or words outside it"
        )
    return None


def check_overlaps(spans: Iterable[Span]) -> list[Problem]:
    """Spans in one paragraph may nest or be disjoint; crossing spans are an error."""
    problems: list[Problem] = []
    by_unit: dict[str, list[Span]] = {}
    for span in spans:
        if not span.is_insertion:
            by_unit.setdefault(span.unit.key, []).append(span)
    for unit_spans in by_unit.values():
        unit_spans.sort(key=lambda s: (s.start, -s.end))
        for i, a in enumerate(unit_spans):
            for b in unit_spans[i + 1 :]:
                if b.start >= a.end:
                    break
                message = _overlap_problem(a, b)
                if message:
                    problems.append(
                        Problem(str(b.annotation.at.path), b.annotation.at.line, message)
                    )
    return problems


def anchor_all(
    annotations: Iterable[Annotation], units: list[Unit]
) -> tuple[list[Span], list[Problem]]:
    """Anchor every annotation of one text; overlap problems included."""
    annotations = list(annotations)
    unplaced = [_squeeze(a.quote.strip()) for a in annotations if a.paragraph is None]
    index = QuoteIndex(unplaced, units)
    spans, problems = [], []
    for annotation in annotations:
        result = resolve(annotation, units, index)
        (problems if isinstance(result, Problem) else spans).append(result)
    problems.extend(check_overlaps(spans))
    return spans, problems
