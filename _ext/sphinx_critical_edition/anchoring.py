"""Anchoring: a quotation of the witness → one unit (a paragraph, an author's note or a
heading: ``paragraphs``) and a character span in it.

A quote must match exactly one place (white space runs match any white space run). ``prefix`` /
``suffix`` (as in the W3C TextQuoteSelector) or ``paragraph`` disambiguate. A quote that matches
nowhere gets the nearest candidate as a did-you-mean; one that occurs, but never with its
``prefix`` or ``suffix``, is told so with what the text reads there; one that only matches
across a paragraph break is refused: a span stays within one paragraph. Spans in a paragraph
may nest or be disjoint, never cross.

The cost is bounded whatever the layer holds (``benchmarks/bench_hostile.py``): quotes are
found by one automaton pass per paragraph, a frequent quote's context in one scan of the text,
did-you-means share a time budget, and overlaps are found in one sweep.
"""

from __future__ import annotations

import bisect
import difflib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import ahocorasick
from docutils import nodes

from .errors import Problem
from .loader import PARAGRAPH_FORM
from .model import Annotation
from .nodes import EDITORIAL_NODES, choice, corr
from .notes import edition_note, edition_noteref
from .paragraphs import is_block, keyed_blocks, paragraph_number, unit_label, unit_order

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
    """An anchorable block: a numbered paragraph (§), an author's note or a heading."""

    key: str  # "12" for §12, "n2" for the author's note 2, "h12" for the heading above §12
    text: str  # the paragraph's words (note calls and § numbers left out)
    norm: str  # *text* with white space runs collapsed to one space
    offsets: tuple[int, ...]  # norm index → text index (one past the end included)

    @property
    def label(self) -> str:
        return unit_label(self.key)


@dataclass(frozen=True)
class Span:
    annotation: Annotation
    unit: Unit
    start: int  # in unit.text
    end: int

    @property
    def is_insertion(self) -> bool:
        return self.annotation.supplied


def paragraph_words(paragraph: nodes.Element) -> str:
    """The text used for anchoring (of a paragraph or a heading): Text nodes only, no note
    calls, no § number."""
    return "".join(t.astext() for t in text_nodes(paragraph))


def text_nodes(node: nodes.Element) -> Iterator[nodes.Text]:
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, SKIPPED_IN_WORDS):
            continue
        elif isinstance(child, nodes.Element):
            yield from text_nodes(child)


def edition_words(node: nodes.Element) -> str:
    """The words as the edition prints them: an emendation's correction in place of the
    witness's words it replaces (an apparatus quotes the edition's text as its lemma)."""
    out: list[str] = []
    for child in node.children:
        if isinstance(child, nodes.Text):
            out.append(child.astext())
        elif isinstance(child, choice):
            out.extend(edition_words(c) for c in child.children if isinstance(c, corr))
        elif isinstance(child, SKIPPED_IN_WORDS):
            continue
        elif isinstance(child, nodes.Element):
            out.append(edition_words(child))
    return "".join(out)


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
    document: nodes.Node, belongs: Callable[[nodes.Element], bool] = lambda p: True
) -> list[Unit]:
    """The anchorable blocks of a parsed transcription, in order (same rule as § numbers)."""
    blocks = [block for block in document.findall(is_block) if belongs(block)]
    keys = {id(block): key for block, key in keyed_blocks(blocks)}
    units = []
    for block in blocks:
        if id(block) in keys:
            units.append(make_unit(keys[id(block)], paragraph_words(block)))
        elif isinstance(block.parent, nodes.footnote) and block.parent.index(block) == 1:
            units.append(make_unit(f"n{block.parent[0].astext()}", paragraph_words(block)))
    return units


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + 1)


def _fits(unit: Unit, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Whether the text before *start* ends with *prefix* and the text from *end* starts with
    *suffix* (compared in place: no copy of the paragraph per candidate)."""
    if prefix and not unit.norm.endswith(prefix, 0, start):
        return False
    return not (suffix and not unit.norm.startswith(suffix, end))


#: quotes up to NEAREST_MAX characters are matched at nearby lengths too, longer ones at their
#: own length, none beyond NEAREST_LONGEST; the search looks in NEAREST_UNITS paragraphs (those
#: sharing the longest run of characters with it): bounded whatever the input
NEAREST_MAX, NEAREST_LONGEST, NEAREST_UNITS = 200, 400, 5
#: the time all did-you-means of one text may take: a layer of a thousand mistyped quotes gets
#: hints for the first ones and still ends in time (a hint takes 0.01-0.05 s, at most 0.4 s)
HINT_SECONDS = 0.5


class HintBudget:
    """:func:`nearest` until :data:`HINT_SECONDS` are spent, then no more hints."""

    def __init__(self, seconds: float = HINT_SECONDS) -> None:
        self.left = seconds

    def __call__(self, units: list[Unit], quote: str) -> tuple[str, str] | None:
        if self.left <= 0:
            return None
        start = time.perf_counter()
        try:
            return nearest(units, quote)
        finally:
            self.left -= time.perf_counter() - start


def nearest(units: Iterable[Unit], quote: str) -> tuple[str, str] | None:
    """The passage most like *quote*: (unit label, text), for a did-you-mean."""
    if not quote or len(quote) > NEAREST_LONGEST:
        return None
    # a long quote is compared at its own length only: a did-you-mean still, at a bounded cost
    sizes = (len(quote),) if len(quote) > NEAREST_MAX else range(len(quote) - 3, len(quote) + 4)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)  # the quote's index is built once
    found = []
    for unit in units:
        matcher.set_seq1(unit.norm)
        match = matcher.find_longest_match(0, len(unit.norm), 0, len(quote))
        if match.size:
            found.append((match.size, len(found), unit, match.a - match.b))
    likeliest = sorted(sorted(found, key=lambda f: -f[0])[:NEAREST_UNITS], key=lambda f: f[1])
    best: tuple[float, str, str] | None = None
    for *_, unit, anchor in likeliest:
        for lo in range(max(0, anchor - 3), anchor + 4):
            for size in (n for n in sizes if n > 0):
                window = unit.norm[lo : lo + size]
                matcher.set_seq1(window)
                if best and (
                    matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]
                ):
                    continue  # upper bounds of ratio(): cannot beat the best
                score = matcher.ratio()
                if best is None or score > best[0]:
                    best = (score, unit.label, window.strip())
    return (best[1], best[2]) if best and best[0] >= 0.5 else None


def _joined(units: list[Unit]) -> str:
    return " ".join(u.norm for u in units)


class QuoteIndex:
    """Every occurrence of every quote in every unit, found in one pass per unit.

    An Aho–Corasick automaton over the distinct quotes makes anchoring linear in the length of
    the texts plus the number of matches, however many annotations there are.
    """

    def __init__(self, quotes: Iterable[str], units: list[Unit]) -> None:
        self.units = {unit.key: unit for unit in units}
        self._ordered = units
        self._places: dict[str, str] = {}
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

    @cached_property
    def joined(self) -> str:
        """The units' texts joined by a space (built when first needed: few checks do)."""
        return _joined(self._ordered)

    @cached_property
    def _starts(self) -> list[int]:
        """Where each unit begins in :attr:`joined`."""
        starts = [0]
        for unit in self._ordered[:-1]:
            starts.append(starts[-1] + len(unit.norm) + 1)
        return starts

    def search(self, needle: str) -> list[tuple[Unit, int]]:
        """Every occurrence of *needle* within one unit: one scan of the joined text."""
        found = []
        for at in _find_all(self.joined, needle):
            i = bisect.bisect_right(self._starts, at) - 1
            unit, start = self._ordered[i], at - self._starts[i]
            if start + len(needle) <= len(unit.norm):
                found.append((unit, start))
        return found

    def places(self, quote: str) -> str:
        """The labels of the paragraphs *quote* occurs in, worked out once per quote."""
        if quote not in self._places:
            self._places[quote] = _places(self.find(quote))
        return self._places[quote]


#: above this many occurrences of a quote, prefix and suffix are looked for with the quote in
#: the text itself rather than at each occurrence: the cost stays linear in the text's length
_MANY = 32


def _places(occurrences: Iterable[tuple[Unit, int]]) -> str:
    keys = sorted({u.key for u, _ in occurrences}, key=unit_order)
    return ", ".join(unit_label(key) for key in keys)


def _places_of(occurrences: list[tuple[Unit, int]], quote: str, index: QuoteIndex | None) -> str:
    """:func:`_places`, from the index when *occurrences* are all of *quote*'s."""
    return (
        index.places(quote) if index and occurrences is index.find(quote) else _places(occurrences)
    )


def _in_context(
    pool: list[Unit],
    candidates: list[tuple[Unit, int]],
    quote: str,
    context: tuple[str, str],
    index: QuoteIndex | None,
) -> list[tuple[Unit, int]]:
    """The occurrences of *quote* preceded by *prefix* and followed by *suffix* (*context*)."""
    prefix, suffix = context
    if len(candidates) <= _MANY:
        return [(u, s) for u, s in candidates if _fits(u, s, s + len(quote), prefix, suffix)]
    return [(u, s + len(prefix)) for u, s in _search(pool, prefix + quote + suffix, index)]


def _search(pool: list[Unit], needle: str, index: QuoteIndex | None) -> list[tuple[Unit, int]]:
    """Every occurrence of *needle* in the units of *pool*."""
    if index is not None and len(pool) > 1:  # all the units: one scan of the joined text
        return index.search(needle)
    return [(u, s) for u in pool for s in _find_all(u.norm, needle)]


def resolve(
    annotation: Annotation,
    units: list[Unit],
    index: QuoteIndex | None = None,
    hint: Callable[[list[Unit], str], tuple[str, str] | None] = nearest,
) -> Span | Problem:
    """The one place *annotation* anchors to, or the problem that prevents it (*hint* finds
    the did-you-mean for a quote found nowhere)."""
    where, line = str(annotation.at.path), annotation.at.line
    quote = _squeeze(annotation.quote.strip())
    prefix = _squeeze(annotation.prefix)
    suffix = _squeeze(annotation.suffix)
    if not quote:
        named = f"annotation {annotation.id!r}: quote {annotation.quote!r}"
        return Problem(where, line, f"{named} is blank; quote the words of the witness")
    pool = units
    if annotation.paragraph is not None:
        key = _paragraph_key(annotation.paragraph)
        unit = index.units.get(key) if index else next((u for u in units if u.key == key), None)
        if unit is None:
            return Problem(where, line, _no_paragraph(annotation, key))
        pool = [unit]
        candidates = [(unit, start) for start in _find_all(unit.norm, quote)]
    elif index is not None:
        candidates = index.find(quote)
    else:
        candidates = [(u, start) for u in units for start in _find_all(u.norm, quote)]
    hits = (
        _in_context(pool, candidates, quote, (prefix, suffix), index)
        if prefix or suffix
        else candidates
    )
    if len(hits) == 1:
        unit, start = hits[0]
        end = start + len(quote)
        return Span(annotation, unit, unit.offsets[start], unit.offsets[end - 1] + 1)
    named = f"annotation {annotation.id!r}: quote {annotation.quote!r}"
    if hits:
        places = _places_of(hits, quote, index)
        return Problem(
            where,
            line,
            f"{named} is ambiguous ({len(hits)} matches: {places}); add prefix, suffix "
            "or paragraph",
        )
    if candidates:  # the quote is there, but prefix or suffix do not fit
        mismatch = _context_mismatch(pool, candidates, quote, (prefix, suffix), index)
        return Problem(where, line, f"{named} {mismatch}")
    if annotation.paragraph is not None:
        elsewhere = [(u, 0) for u in units if quote in u.norm]
        if elsewhere:
            return Problem(
                where,
                line,
                f"{named} is not in {pool[0].label} but in {_places(elsewhere)}; correct paragraph",
            )
    if annotation.paragraph is None and quote in (index.joined if index else _joined(units)):
        # found in no paragraph, but in the paragraphs run together: across a break
        return Problem(
            where,
            line,
            f"{named} crosses a paragraph break; a span must stay within one paragraph",
        )
    message = f"{named} not found in text {annotation.text!r}"
    found = hint(pool, quote)
    if found:
        message += f"; did you mean {found[1]!r} ({found[0]})?"
    return Problem(where, line, message)


def _paragraph_key(paragraph: int | str | float) -> str:
    """The unit key a ``paragraph`` field names ("12", "n2"); anything else names none."""
    if isinstance(paragraph, bool) or not isinstance(paragraph, (int, str)):
        return ""
    return str(paragraph)


def _no_paragraph(annotation: Annotation, key: str) -> str:
    if not key:
        return f"annotation {annotation.id!r}: paragraph {annotation.paragraph!r}: {PARAGRAPH_FORM}"
    return (
        f"annotation {annotation.id!r}: there is no paragraph {key!r} in text {annotation.text!r}"
    )


def _context_mismatch(
    pool: list[Unit],
    candidates: list[tuple[Unit, int]],
    quote: str,
    context: tuple[str, str],
    index: QuoteIndex | None,
) -> str:
    """Why no occurrence of the quote fits: the prefix, the suffix or both, and, where the
    quote occurs once, what the text there actually reads."""
    prefix, suffix = context
    unit, start = candidates[0]
    end = start + len(quote)
    before = not prefix or bool(_in_context(pool, candidates, quote, (prefix, ""), index))
    after = not suffix or bool(_in_context(pool, candidates, quote, ("", suffix), index))
    wrong = [
        f"prefix {prefix!r}" if prefix and not before else "",
        f"suffix {suffix!r}" if suffix and not after else "",
    ]
    which = " and ".join(w for w in wrong if w) or "prefix and suffix together"
    message = f"occurs ({_places_of(candidates, quote, index)}) but never with its {which}"
    if len(candidates) == 1:
        text_before = unit.norm[max(0, start - len(prefix)) : start]
        text_after = unit.norm[end : end + len(suffix)]
        there = [
            f"before it {text_before!r}" if prefix and not before else "",
            f"after it {text_after!r}" if suffix and not after else "",
        ]
        if any(there):
            message += f"; the text there reads {' and '.join(t for t in there if t)}"
    return message


def check_overlaps(spans: Iterable[Span]) -> list[Problem]:
    """Spans in one paragraph may nest or be disjoint; crossing spans are an error, and so is
    anything on part of an emendation's words, and a variant on part of a name's (the name's
    link would hold the readings' links).

    One sweep per paragraph over the spans sorted by start (longest first): the spans open
    at a point form a chain, each inside the one before it, kept on a stack with the innermost
    emendation around each. O(n log n): 10 000 annotations on one span take no longer to check
    than 10 000 apart."""
    problems: list[Problem] = []
    by_unit: dict[str, list[Span]] = {}
    for span in spans:
        if not span.is_insertion:
            by_unit.setdefault(span.unit.key, []).append(span)
    for unit_spans in by_unit.values():
        unit_spans.sort(key=lambda s: (s.start, -s.end))
        # (span, innermost emendation around it, innermost name around it)
        open_: list[tuple[Span, Span | None, Span | None]] = []
        for span in unit_spans:
            while open_ and open_[-1][0].end <= span.start:
                open_.pop()
            outer, emendation, name = open_[-1] if open_ else (None, None, None)
            message = _overlap_problem(span, outer, emendation) or _variant_in_name(span, name)
            if message:
                where = span.annotation.at
                problems.append(Problem(str(where.path), where.line, message))
                if outer is not None and span.end > outer.end:
                    continue  # not nested: it opens nothing for the spans after it
            if span.annotation.kind == "emendation":
                emendation = span
            if span.annotation.kind == "entity":
                name = span
            open_.append((span, emendation, name))
    return problems


def _variant_in_name(span: Span, name: Span | None) -> str | None:
    """Why a variant may not stand on part of a name's words (the name's link would hold the
    readings and their links), or None. On the same words, the readings link the name."""
    if name is None or span.annotation.kind != "variant":
        return None
    if (name.start, name.end) == (span.start, span.end):
        return None
    return (
        f"variant {span.annotation.id!r} lies on part of name {name.annotation.id!r} "
        f"({name.annotation.at.where()}), whose link cannot hold the readings; quote the name "
        f"on the variant's words ({span.annotation.quote!r}) or the variant on the name's "
        f"({name.annotation.quote!r})"
    )


def _overlap_problem(span: Span, outer: Span | None, emendation: Span | None) -> str | None:
    """Why *span* may not stand inside *outer* (the innermost open span, which it starts in)
    and *emendation* (the innermost emendation around it), or None if it may."""
    inner = span.annotation
    if outer is not None and span.end > outer.end:  # starts inside outer, ends outside it
        return (
            f"annotation {inner.id!r} overlaps {outer.annotation.id!r} "
            f"({outer.annotation.at.where()}) in {outer.unit.label} without nesting; make one "
            "span contain the other or keep them apart"
        )
    if emendation is None:
        return None
    around = emendation.annotation
    if inner.kind == "emendation":
        return f"annotation {inner.id!r}: an emendation inside emendation {around.id!r}; merge them"
    if (emendation.start, emendation.end) != (span.start, span.end):
        # the emendation replaces those words in the reading text: nothing may hang on a part
        return (
            f"annotation {inner.id!r} lies inside emendation {around.id!r} "
            f"({around.at.where()}), whose words the edition replaces; quote the emendation's "
            f"whole span ({around.quote!r}) or words outside it"
        )
    return None


def anchor_all(
    annotations: Iterable[Annotation], units: list[Unit]
) -> tuple[list[Span], list[Problem]]:
    """Anchor every annotation of one text; overlap problems included."""
    annotations = list(annotations)
    unplaced = [_squeeze(a.quote.strip()) for a in annotations if a.paragraph is None]
    index = QuoteIndex(unplaced, units)
    spans, problems = [], []
    hint = HintBudget()
    for annotation in annotations:
        result = resolve(annotation, units, index, hint)
        (problems if isinstance(result, Problem) else spans).append(result)
    problems.extend(check_overlaps(spans))
    return spans, problems
