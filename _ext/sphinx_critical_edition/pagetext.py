"""The text of a published page as a browser's DOM holds it, and where each element sits in it.

A client anchors a TextQuoteSelector in the text nodes of the served page (``document.body``'s
text content): so the selectors of ``annotations.jsonld`` are cut from that text, read back from
the written HTML, and the tests check the same text against the reading text. The rules a browser
follows that matter here: only ``<body>`` counts, a ``<template>``'s content is no part of the
document, and a newline right after ``<pre>`` or ``<textarea>`` is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: elements without an end tag
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_DROPS_FIRST_NEWLINE = frozenset({"pre", "textarea", "listing"})


@dataclass
class PageText:
    """The body's text, and for each element id the [start, end) of its text in it."""

    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of(self, element_id: str) -> str:
        start, end = self.spans[element_id]
        return self.text[start:end]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.in_body = False
        self.template_depth = 0
        self.drop_newline = False
        self.open: list[tuple[str, str | None, int]] = []  # tag, id, start offset
        self.spans: dict[str, tuple[int, int]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
            return
        if tag in _VOID:
            return
        if tag == "template":
            self.template_depth += 1
        element_id = dict(attrs).get("id")
        self.open.append((tag, element_id if not self.template_depth else None, self.length))
        self.drop_newline = tag in _DROPS_FIRST_NEWLINE

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:  # <span/> in HTML opens a span
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.template_depth -= 1
        # close up to the matching open element (the edition's HTML is well formed)
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                for _, element_id, start in self.open[i:]:
                    if element_id:
                        self.spans[element_id] = (start, self.length)
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.in_body or self.template_depth:
            return
        if self.drop_newline and data.startswith("\n"):
            data = data[1:]
        self.drop_newline = False
        self.parts.append(data)
        self.length += len(data)


def page_text(html: str) -> PageText:
    """The text of *html*'s body as a browser holds it, with the span of every element id."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return PageText("".join(reader.parts), reader.spans)
