"""Export of the editorial layer as W3C Web Annotations (JSON-LD), one per annotation.

Each target names the page of its text and two selectors: a TextQuoteSelector whose ``exact`` is
the witness's own words (with 32 characters of context either side), and a FragmentSelector to
the paragraph (§). The file is deterministic: same layer, same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from .anchoring import Span
from .model import EDITORIAL_READINGS, Annotation

CONTEXT = 32
MOTIVATION = {
    "note": "commenting",
    "variant": "describing",
    "emendation": "editing",
    "entity": "identifying",
}


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
        value = f"[call of note {ann.note_call}]" if ann.note_call else ann.corr
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


def web_annotation(span: Span, page_uri: str, fragment: str, register_uri: str) -> dict[str, Any]:
    ann, text = span.annotation, span.unit.text
    selector_quote = {
        "type": "TextQuoteSelector",
        "exact": text[span.start : span.end],
        "prefix": text[max(0, span.start - CONTEXT) : span.start],
        "suffix": text[span.end : span.end + CONTEXT],
    }
    record: dict[str, Any] = {
        "id": f"{page_uri}#ed-{ann.id}",
        "type": "Annotation",
        "motivation": MOTIVATION[ann.kind],
        "creator": {"type": "Organization", "name": ann.resp},
        "edition:kind": ann.kind,
        "edition:cert": ann.cert,
        "body": _bodies(ann, register_uri),
        "target": {
            "source": page_uri,
            "selector": [
                selector_quote,
                {
                    "type": "FragmentSelector",
                    "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
                    "value": fragment,
                },
            ],
        },
    }
    if ann.sources:
        record["edition:sources"] = list(ann.sources)
    return record


#: names the extension's own terms (edition:kind, edition:cert…) when the site's address is not
#: configured (``html_baseurl``): a JSON-LD term must map to an absolute IRI, and a UUID URN is
#: one that needs no registry and claims no web address
VOCABULARY_URN = "urn:uuid:c3ef5e2d-72fe-4406-acb0-7484dc43747b#"


def annotation_collection(records: list[dict[str, Any]], base_uri: str) -> str:
    vocabulary = f"{base_uri}annotations.jsonld#" if base_uri else VOCABULARY_URN
    document = {
        "@context": [
            "http://www.w3.org/ns/anno.jsonld",
            {"edition": vocabulary},
        ],
        "id": f"{base_uri}annotations.jsonld",
        "type": "AnnotationCollection",
        "label": "Editorial annotations of the critical edition",
        "total": len(records),
        "first": {"type": "AnnotationPage", "items": []},
    }
    # One annotation a line: readable and diffable, and written by json's C encoder (an indented
    # dump goes through its pure-Python one, several times slower on a thousand annotations).
    head = json.dumps(document, ensure_ascii=False, indent=1)
    items = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return head.replace('"items": []', f'"items": [\n{items}\n   ]', 1) + "\n"
