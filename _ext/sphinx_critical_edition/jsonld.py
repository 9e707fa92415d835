"""Export of the editorial layer as W3C Web Annotations (JSON-LD), one per annotation.

Every id and source is an absolute IRI under ``html_baseurl``. Each annotation has two targets:

1. the HTML page of its text, as served (reading view): a TextQuoteSelector whose ``exact``,
   ``prefix`` and ``suffix`` (32 characters) are cut from the page's own text (``pagetext.py``,
   what a client's DOM holds, across paragraph edges as the page has them), and the same quote
   as a refinement of the FragmentSelector of its § (two descriptions of one segment);
2. the received witness file, published beside the HTML and never changed: a
   TextPositionSelector and a TextQuoteSelector on its characters.

The file is deterministic: same layer, same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .anchoring import Span
from .model import EDITORIAL_READINGS, Annotation, supplied_call
from .pagetext import PageText

CONTEXT = 32
MOTIVATION = {
    "note": "commenting",
    "variant": "describing",
    "emendation": "editing",
    "entity": "identifying",
}
FRAGMENT_SPEC = "http://tools.ietf.org/rfc/rfc3986"


@dataclass(frozen=True)
class PageTarget:
    """A text's page as published: its IRI and its text."""

    uri: str
    text: PageText


@dataclass(frozen=True)
class WitnessTarget:
    """The witness file as published: its IRI, its text and where the span's characters are."""

    uri: str
    text: str
    start: int
    end: int


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """A TextQuoteSelector for text[start:end] with 32 characters of context either side."""
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }


@dataclass(frozen=True)
class Reading:
    """A paragraph's reading text (its words with the emendations applied, as the page shows
    them) and the edits that made it, to carry the witness's offsets over."""

    text: str
    edits: tuple[tuple[int, int, str], ...]  # (start, end) in the words → the reading's words

    @classmethod
    def of(cls, unit_text: str, spans: list[Span]) -> Reading:
        edits = sorted(
            (s.start, s.end, s.annotation.corr)
            for s in spans
            if s.annotation.kind == "emendation" and not s.annotation.supplied
        )
        parts, pos = [], 0
        for start, end, corr in edits:
            parts += [unit_text[pos:start], corr]
            pos = end
        parts.append(unit_text[pos:])
        return cls("".join(parts), tuple(edits))

    def offset(self, offset: int) -> int:
        """Where the words' *offset* is in the reading text."""
        shift = 0
        for start, end, corr in self.edits:
            if (end <= offset and end > start) or (start == end == offset):
                shift += len(corr) - (end - start)
            elif start < offset < end:
                return start + shift + min(offset - start, len(corr))
        return offset + shift


def page_range(span: Span, page: PageText, element_id: str, reading: Reading) -> tuple[int, int]:
    """Where *span*'s words are in the page's text: the page shows the paragraph's reading text
    (``element_id``'s, verbatim), so the offsets are carried over the emendations before them.
    (A supplied note call adds no character: its quote is the words it follows.)"""
    low, high = page.spans[element_id]
    base = page.text.find(reading.text, low, high)
    if base < 0:
        raise ValueError(f"{element_id}: the page does not show the paragraph's reading text")
    return base + reading.offset(span.start), base + reading.offset(span.end)


def _bodies(ann: Annotation, register_uri: str) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    if ann.body:
        bodies.append(
            {
                "type": "TextualBody",
                "value": ann.body,
                "format": "text/markdown",
                "language": "en",
                "purpose": MOTIVATION[ann.kind],
            }
        )
    if ann.kind == "emendation":
        value = supplied_call(ann.note_call) if ann.note_call else ann.corr
        bodies.append(
            {
                "type": "TextualBody",
                "value": value,
                "purpose": "editing",
                "edition:emendationType": ann.type,
            }
        )
    for reading in ann.readings:
        body = {
            "type": "TextualBody",
            "value": reading.text,
            "language": reading.lang,
            "purpose": "describing",
        }
        if reading.wit:
            body["edition:witness"] = list(reading.wit)
        if reading.type in EDITORIAL_READINGS:  # attested by no witness: who proposes it
            body["edition:readingType"] = reading.type
            body["edition:resp"] = reading.resp
        if reading.sources:
            body["edition:sources"] = list(reading.sources)
        if reading.cert:
            body["edition:cert"] = reading.cert
        if reading.comment:
            body["edition:comment"] = reading.comment
        bodies.append(body)
    if ann.kind == "entity":
        bodies.append(
            {
                "type": "SpecificResource",
                "source": f"{register_uri}#reg-{ann.ref}",
                "purpose": "identifying",
            }
        )
    return bodies


def web_annotation(
    span: Span,
    annotation_id: str,
    page: PageTarget,
    paragraph_id: str,
    reading: Reading,
    witness: WitnessTarget,
    register_uri: str,
) -> dict[str, Any]:
    ann = span.annotation
    start, end = page_range(span, page.text, paragraph_id, reading)
    on_page = quote_selector(page.text.text, start, end)
    record: dict[str, Any] = {
        "id": annotation_id,
        "type": "Annotation",
        "motivation": MOTIVATION[ann.kind],
        "creator": {"type": "Organization", "name": ann.resp},
        "edition:kind": ann.kind,
        "edition:cert": ann.cert,
        "body": _bodies(ann, register_uri),
        "target": [
            {
                "type": "SpecificResource",
                "source": page.uri,
                "selector": [
                    on_page,
                    {
                        "type": "FragmentSelector",
                        "conformsTo": FRAGMENT_SPEC,
                        "value": paragraph_id,
                        "refinedBy": dict(on_page),
                    },
                ],
            },
            {
                "type": "SpecificResource",
                "source": witness.uri,
                "selector": [
                    {"type": "TextPositionSelector", "start": witness.start, "end": witness.end},
                    quote_selector(witness.text, witness.start, witness.end),
                ],
            },
        ],
    }
    if ann.sources:
        record["edition:sources"] = list(ann.sources)
    return record


def annotation_collection(records: list[dict[str, Any]], uri: str) -> str:
    """The collection at *uri* (``…/annotations.jsonld``), with its one page embedded."""
    document = {
        "@context": [
            "http://www.w3.org/ns/anno.jsonld",
            {"edition": f"{uri}#"},  # the extension's own terms (edition:kind, edition:cert…)
        ],
        "id": uri,
        "type": "AnnotationCollection",
        "label": "Editorial annotations of the critical edition",
        "total": len(records),
        "first": {
            "id": f"{uri}#page-1",
            "type": "AnnotationPage",
            "partOf": uri,
            "startIndex": 0,
            "items": [],
        },
    }
    # One annotation a line: readable and diffable, and written by json's C encoder (an indented
    # dump goes through its pure-Python one, several times slower on a thousand annotations).
    head = json.dumps(document, ensure_ascii=False, indent=1)
    items = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return head.replace('"items": []', f'"items": [\n{items}\n   ]', 1) + "\n"
