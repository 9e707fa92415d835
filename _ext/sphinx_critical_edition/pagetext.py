"""The text of a published page as a browser's DOM holds it, and where each element sits in it.

A client anchors a TextQuoteSelector in the text nodes of the served page (``document.body``'s
text content): so the selectors of ``annotations.jsonld`` are cut from that text, read back from
the written HTML, and the tests check the same text against the reading text. What matters here:
only ``<body>`` counts, comments hold no text, and a ``<template>``'s content is no part of the
document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree


@dataclass
class PageText:
    """The body's text, and for each element id the [start, end) of its text in it."""

    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of(self, element_id: str) -> str:
        start, end = self.spans[element_id]
        return self.text[start:end]


def page_text(html: str) -> PageText:
    """The text of *html*'s body as a browser holds it, with the span of every element id.

    libxml2's HTML parser (lxml) keeps the white space between elements as a browser does; the
    browser test compares the two on the served pages.
    """
    body = etree.fromstring(html, etree.HTMLParser()).find("body")
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    length = 0

    def add(text: str | None) -> None:
        nonlocal length
        if text:
            parts.append(text)
            length += len(text)

    def walk(element: etree._Element) -> None:
        start = length
        if element.tag == "template":  # its content is no part of the document
            return
        if isinstance(element.tag, str):  # not a comment
            add(element.text)
            for child in element:
                walk(child)
                add(child.tail)
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id:
            spans[element_id] = (start, length)

    if body is not None:
        walk(body)
    return PageText("".join(parts), spans)
