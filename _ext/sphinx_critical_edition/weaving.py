"""Weaving: the standoff layer is anchored in each text's doctree and wrapped in neutral nodes.

Runs at read time, after § numbering and before MyST looks for uncalled footnotes (a supplied
note call is a real call). The layer is validated once per build (``builder-inited``): any
problem stops the build with every ``path:line`` message, so no note can go silently missing.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .anchoring import (
    SKIPPED_IN_WORDS,
    Span,
    anchor_all,
    edition_words,
    make_unit,
    paragraph_words,
)
from .bodies import comment_key, parse_bodies
from .check import CheckResult, checked_layer
from .config import get_manifest
from .dependencies import note_text_dependencies
from .errors import EditionError
from .links import sources_beyond_body
from .loader import supplied_segments
from .model import Annotation
from .nodes import app, app_note, choice, corr, ed_span, lem, name_ref, rdg, sic, supplied
from .notes import edition_note, edition_noteref
from .paragraphs import is_block, is_text_paragraph
from .textruns import text_runs

#: outer first when two spans are identical
_NESTING = {"entity": 0, "variant": 1, "note": 2, "emendation": 3}


def letters(n: int) -> str:
    """0 → a, 25 → z, 26 → aa: the editorial note series."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = string.ascii_lowercase[r] + out
    return out


def _words_length(node: nodes.Node, known: dict[nodes.Node, int]) -> int:
    """The length of *node*'s words; *known* keeps elements' lengths for one wrap, in which
    they do not change (a split keeps the words; an editorial node counts no words)."""
    if isinstance(node, nodes.Text):
        return len(node) if "\x00" not in node else len(node.astext())
    if node in known:
        return known[node]
    if isinstance(node, SKIPPED_IN_WORDS) or not isinstance(node, nodes.Element):
        length = 0
    else:
        length = sum(_words_length(c, known) for c in node.children)
    known[node] = length
    return length


def _split_text_at(
    parent: nodes.Element, offset: int, side: str, known: dict[nodes.Node, int]
) -> int:
    """Split the Text child of *parent* containing *offset*; return the child index there.

    Zero-width children (a § number, a note call) stay outside a span: a span's start moves
    past those at its offset, a span's end stops before them.
    """
    pos = 0
    for index, child in enumerate(parent.children):
        length = _words_length(child, known)
        if offset == pos and not (side == "start" and length == 0):
            return index
        if pos < offset < pos + length:
            if not isinstance(child, nodes.Text):
                raise _CutsMarkup
            text = child.astext()
            cut = offset - pos
            parent.replace(child, nodes.Text(text[:cut]))
            parent.insert(index + 1, nodes.Text(text[cut:]))
            return index + 1
        pos += length
    return len(parent.children)


class _CutsMarkup(Exception):
    pass


def _container_for(
    parent: nodes.Element, start: int, end: int, known: dict[nodes.Node, int]
) -> tuple[nodes.Element, int]:
    """The innermost element that holds [start, end) whole, and its start offset.

    Spans are woven outer first, so a later span over the same words goes inside the earlier one.
    """
    pos = 0
    for child in parent.children:
        length = _words_length(child, known)
        if (
            isinstance(child, nodes.Element)
            and not isinstance(child, SKIPPED_IN_WORDS)
            and pos <= start
            and end <= pos + length
            and length
        ):
            inner, base = _container_for(child, start - pos, end - pos, known)
            return inner, base + pos
        pos += length
    return parent, 0


def wrap(paragraph: nodes.Element, start: int, end: int, wrapper: nodes.Element) -> None:
    """Move the words [start, end) of *paragraph* into *wrapper* (in place)."""
    known: dict[nodes.Node, int] = {}
    parent, base = _container_for(paragraph, start, end, known)
    first = _split_text_at(parent, start - base, "start", known)
    last = _split_text_at(parent, end - base, "end", known)
    moved = parent.children[first:last]
    for child in moved:
        parent.remove(child)
    wrapper.extend(moved)
    parent.insert(first, wrapper)


def insert_at(paragraph: nodes.Element, offset: int, new: list[nodes.Node]) -> None:
    known: dict[nodes.Node, int] = {}
    parent, base = _container_for(paragraph, offset, offset, known)
    index = _split_text_at(parent, offset - base, "end", known)
    for i, node in enumerate(new):
        parent.insert(index + i, node)


def _letter_editorial_notes(paragraphs: dict[str, nodes.Element], document: nodes.document) -> None:
    """Letter the editorial notes a, b, c … in the order a reader meets them: an author's note
    is read at its call, so the editorial notes inside it come between those around the call."""
    footnotes: dict[str, nodes.footnote] = {}
    for footnote in document.findall(nodes.footnote):
        # before docutils' Footnotes transform a call has only a refname; after, a refid
        footnotes[footnote["ids"][0]] = footnote
        for name in footnote["names"]:
            footnotes[f"name:{name}"] = footnote
    seen: set[str] = set()
    count = 0

    def walk(node: nodes.Element) -> None:
        nonlocal count
        for child in node.children:
            if isinstance(child, edition_note) and child["series"] == "editorial":
                child["label"] = letters(count)
                count += 1
                call = child.parent[child.parent.index(child) - 1]
                if isinstance(call, edition_noteref):
                    call.clear()
                    call += nodes.Text(child["label"])
                walk(child)
            elif isinstance(child, nodes.footnote_reference):
                footnote = footnotes.get(child.get("refid", "")) or footnotes.get(
                    f"name:{child.get('refname', '')}"
                )
                if footnote is not None and footnote["ids"][0] not in seen:
                    seen.add(footnote["ids"][0])
                    walk(footnote)
            elif isinstance(child, nodes.Element):
                walk(child)

    for key, para in paragraphs.items():
        if not key.startswith("n"):
            walk(para)
    for footnote in document.findall(nodes.footnote):  # notes the text never calls
        if footnote["ids"][0] not in seen:
            seen.add(footnote["ids"][0])
            walk(footnote)


def reading_comment(
    bodies: dict[str, list[nodes.Node]], annotation_id: str, reading: int
) -> list[list[str]]:
    """A reading's parsed comment as runs (the ``comment`` of its ``rdg`` node)."""
    return text_runs(bodies.get(comment_key(annotation_id, reading), []))


def emendation_reason(bodies: dict[str, list[nodes.Node]], annotation_id: str) -> dict[str, Any]:
    """An emendation's reason, as the ``choice`` node keeps it: plain text for its tooltip,
    runs for the list of emendations."""
    blocks = bodies[annotation_id]
    return {
        "reason": " ".join(" ".join(node.astext().split()) for node in blocks),
        "reason_runs": text_runs(blocks),
    }


def _holds(outer: Span, inner: Span) -> bool:
    """Whether *outer* covers *inner*'s words (same paragraph)."""
    same_paragraph = outer.unit.key == inner.unit.key
    return same_paragraph and outer.start <= inner.start and inner.end <= outer.end


class WeaveAnnotations(SphinxTransform):
    """Anchor every annotation of the texts in this document and wrap its span."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        manifest = get_manifest(self.config, self.env.srcdir)
        result: CheckResult | None = None
        for spec in manifest.texts:
            paragraphs = self._paragraphs(spec)
            if not paragraphs:
                continue
            result = result or checked_layer(self.env.srcdir)
            annotations = result.layer.for_text(spec.key)
            note_text_dependencies(self.env)
            units = [make_unit(key, paragraph_words(p)) for key, p in paragraphs.items()]
            spans, problems = anchor_all(annotations, units)
            if problems:  # the doctree disagrees with the check: never weave half
                raise EditionError("\n".join(map(str, problems)))
            self._weave(spec.key, spans, paragraphs, result)

    def _paragraphs(self, spec: Any) -> dict[str, nodes.Element]:
        """The text's units in document order: its headings, paragraphs and author's notes
        (keys as :mod:`.paragraphs` gives them)."""
        found: dict[str, nodes.Element] = {}
        resolved: dict[str, Path] = {}
        for block in self.document.findall(is_block):
            source = block.source or ""
            if source not in resolved:
                resolved[source] = Path(source).resolve()
            if resolved[source] != spec.transcription:
                continue
            if "edition_h" in block:
                found[block["edition_h"]] = block
            elif is_text_paragraph(block) and "edition_n" in block:
                found[str(block["edition_n"])] = block
            elif isinstance(block.parent, nodes.footnote) and block.parent.index(block) == 1:
                found[f"n{block.parent[0].astext()}"] = block
        return found

    def _weave(
        self,
        key: str,
        spans: list[Span],
        paragraphs: dict[str, nodes.Element],
        result: CheckResult,
    ) -> None:
        order = {key: i for i, key in enumerate(paragraphs)}
        ordered = sorted(
            spans,
            key=lambda s: (order[s.unit.key], s.start, -s.end, _NESTING[s.annotation.kind]),
        )
        # A name within a variant's lemma is linked from the variant's readings: a link inside
        # the lemma (which opens the readings) would nest two interactive elements. (A name's
        # link around a lemma would hold the readings' links, an "a" in an "a": the check
        # refuses a variant on part of a name, ``anchoring.check_overlaps``.)
        variants = [s for s in spans if s.annotation.kind == "variant"]
        kept = self.env.get_domain("edition").parsed_bodies  # type: ignore[attr-defined]
        self._bodies = parse_bodies((s.annotation for s in ordered), self.document, kept)
        self.env.get_domain("edition").note_woven(  # type: ignore[attr-defined]
            key,
            self.env.docname,
            result.layer.for_text(key),
            self._bodies,
        )
        names_on_lemmas: dict[str, list[Annotation]] = {}
        for span in spans:
            lemma = next((v for v in variants if _holds(v, span)), None)
            if span.annotation.kind == "entity" and lemma is not None:
                names_on_lemmas.setdefault(lemma.annotation.id, []).append(span.annotation)
        linked_from_readings = {a.id for names in names_on_lemmas.values() for a in names}
        for span in ordered:
            ann, para = span.annotation, paragraphs[span.unit.key]
            if ann.id in linked_from_readings:
                continue
            try:
                if ann.supplied:
                    insert_at(para, span.end, [self._supplied(ann)])
                    continue
                inner = self._inner(ann, result)
                wrap(para, span.start, span.end, inner)
            except _CutsMarkup:
                raise EditionError(
                    f"{ann.at.where()}: annotation {ann.id!r} cuts through markup (a link or "
                    "emphasis); widen or narrow the quote"
                ) from None
            inner["paragraph"] = span.unit.key
            if ann.kind == "note":
                self._append_note(inner, ann)
            elif ann.kind == "variant":
                self._complete_variant(inner, ann, names_on_lemmas.get(ann.id, []), result)
            elif ann.kind == "emendation":
                self._complete_emendation(inner, ann)
        _letter_editorial_notes(paragraphs, self.document)

    @staticmethod
    def _common(ann: Annotation) -> dict[str, Any]:
        return {"annotation": ann.id, "cert": ann.cert, "resp": ann.resp}

    def _inner(self, ann: Annotation, result: CheckResult) -> nodes.Element:
        """The node that receives the witness's words of the span."""
        if ann.kind == "note":
            return ed_span("", ids=[f"ed-{ann.id}"], **self._common(ann))
        if ann.kind == "entity":
            entry = result.layer.register[ann.ref]
            return name_ref(
                "",
                ids=[f"ed-{ann.id}"],
                ref=ann.ref,
                entity_type=entry.type,
                entity_name=entry.name,
                **self._common(ann),
            )
        if ann.kind == "variant":
            return lem("")
        return sic("")

    def _complete_variant(
        self, lemma: lem, ann: Annotation, names: list[Annotation], result: CheckResult
    ) -> None:
        node = app(
            "",
            ids=[f"ed-{ann.id}"],
            sources=sources_beyond_body(ann.sources, ann.body, self.env.srcdir),
            note_runs=text_runs(self._bodies[ann.id]) if ann.body else [],
            **self._common(ann),
        )
        lemma.replace_self(node)
        node += lemma
        for i, reading in enumerate(ann.readings, 1):
            node += rdg(
                reading.text,
                reading.text,
                ids=[f"ed-{ann.id}-r{i}"],
                lang=reading.lang,
                wit=list(reading.wit),
                sources=list(reading.sources),
                comment=reading_comment(self._bodies, ann.id, i),
                cert=reading.cert,
                type=reading.type,
                resp=reading.resp,
            )
        if ann.body:
            comment = app_note("", classes=["ce-app-note"])
            comment.extend(self._bodies[ann.id])
            node += comment
        for name in names:
            entry = result.layer.register[name.ref]
            link = app_note("", classes=["ce-app-note", "ce-app-register"])
            link += name_ref(
                "",
                f"Register: {entry.name}",
                ids=[f"ed-{name.id}"],
                ref=name.ref,
                entity_type=entry.type,
                entity_name=entry.name,
                paragraph=lemma.get("paragraph", ""),
                **self._common(name),
            )
            node += link

    def _complete_emendation(self, witness: sic, ann: Annotation) -> None:
        node = choice(
            "",
            ids=[f"ed-{ann.id}"],
            type=ann.type,
            **emendation_reason(self._bodies, ann.id),
            sources=sources_beyond_body(ann.sources, ann.body, self.env.srcdir),
            **self._common(ann),
        )
        witness.replace_self(node)
        node += witness
        reading = corr("")
        runs = supplied_segments(ann.quote, ann.corr) if ann.type == "supplied" else None
        for is_supplied, text in runs or [(False, ann.corr)]:
            reading += supplied("", text) if is_supplied else nodes.Text(text)
        node += reading

    def _append_note(self, wrapper: nodes.Element, ann: Annotation) -> None:
        """The note's call and body after its span; lettered later, in reading order."""
        label = ""
        note_id = f"ed-note-{ann.id}"
        call = edition_noteref(
            label, label, refid=note_id, ids=[f"ed-call-{ann.id}"], series="editorial"
        )
        body = edition_note(
            "",
            ids=[note_id],
            label=label,
            backref=f"ed-call-{ann.id}",
            series="editorial",
            annotation=ann.id,
            cert=ann.cert,
            resp=ann.resp,
            sources=sources_beyond_body(ann.sources, ann.body, self.env.srcdir),
        )
        body.extend(self._bodies[ann.id])
        # never inside a name's link or a variant's lemma: after the outermost one around the span
        anchor = wrapper
        ancestor = wrapper.parent
        while ancestor is not None and not isinstance(ancestor, (nodes.paragraph, nodes.title)):
            if isinstance(ancestor, (name_ref, app)):
                anchor = ancestor
            ancestor = ancestor.parent
        parent = anchor.parent
        index = parent.index(anchor)
        parent.insert(index + 1, call)
        parent.insert(index + 2, body)

    def _supplied(self, ann: Annotation) -> choice:
        """A missing author's note call, supplied after its quote (``Annotation.supplied``)."""
        node = choice(
            "",
            ids=[f"ed-{ann.id}"],
            type="supplied",
            **emendation_reason(self._bodies, ann.id),
            sources=sources_beyond_body(ann.sources, ann.body, self.env.srcdir),
            **self._common(ann),
        )
        node += sic("")
        footnote = self._author_note(ann)
        ref = nodes.footnote_reference(
            f"[^{ann.note_call}]",
            ann.note_call,
            ids=[f"ed-supplied-call-{ann.id}"],
            refid=footnote["ids"][0],
        )
        footnote["backrefs"].append(ref["ids"][0])
        self.document.note_refid(ref)
        node += corr("", "", ref)
        return node

    def _author_note(self, ann: Annotation) -> nodes.footnote:
        for footnote in self.document.findall(nodes.footnote):
            if footnote[0].astext() == ann.note_call:
                return footnote
        raise EditionError(
            f"{ann.at.where()}: note_call {ann.note_call!r}: the text has no author's note "
            f"{ann.note_call}"
        )


def _is_woven(node: nodes.Node) -> bool:
    return isinstance(node, (edition_noteref, edition_note, ed_span, name_ref, app, choice))


def plain_heading_copies(app_: Sphinx, doctree: nodes.document) -> None:
    """The copies Sphinx keeps of a page's headings (its title, its contents, the navigation)
    hold the edition's words only: a note's call and body, a name's link, an emendation's
    other reading belong to the heading in the text, not to every list that names it."""
    env, docname = app_.env, app_.env.docname
    copies = [env.titles.get(docname), env.longtitles.get(docname)]
    toc = env.tocs.get(docname)
    if toc is not None:
        copies += toc.findall(nodes.reference)
    for copy in copies:
        if copy is not None and any(True for _ in copy.findall(_is_woven)):
            words = " ".join(edition_words(copy).split())
            copy.clear()
            copy += nodes.Text(words)


def setup_weaving(app_: Sphinx) -> None:
    app_.add_transform(WeaveAnnotations)
    # after Sphinx's collectors have copied the headings (priority 500)
    app_.connect("doctree-read", plain_heading_copies, priority=600)
