"""Paragraph numbers (§): the edition's citation system.

Every paragraph of a transcribed text gets a number in document order and a stable id built from
the text's prefix (``p12``, ``t3``). Numbers come from the transcription alone: author's notes are
footnotes and editorial annotations are inline, so neither can shift them.

The places an annotation can stand in are *units*, each with a key: ``"12"`` for §12, ``"n2"``
for the author's note 2, ``"h12"`` for the heading just above §12 (``"h12b"`` for a second one
between the same paragraphs). A heading is named by the paragraph it opens, so that adding a
heading elsewhere never renames it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

from .config import get_manifest


class paragraph_number(nodes.Inline, nodes.Element):
    """The § number shown in the margin; editorial, so never part of the text's words."""


def is_text_paragraph(node: nodes.Node) -> bool:
    """A paragraph of the running text (not of an author's note, not of a parser message)."""
    if not isinstance(node, nodes.paragraph):
        return False
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.footnote, nodes.system_message)):
            return False
        parent = parent.parent
    return True


def is_text_heading(node: nodes.Node) -> bool:
    """A heading of the running text: a section's title, or a document's (a text whose only
    heading a standalone parse promotes to the document's title)."""
    parent = node.parent
    return isinstance(node, nodes.title) and isinstance(parent, (nodes.section, nodes.document))


def is_block(node: nodes.Node) -> bool:
    """A paragraph or a heading: what :func:`keyed_blocks` reads."""
    return isinstance(node, (nodes.paragraph, nodes.title))


def _heading_key(number: int, earlier: int) -> str:
    return f"h{number}" + (string.ascii_lowercase[earlier] if earlier else "")


def keyed_blocks(blocks: Iterable[nodes.Node]) -> Iterator[tuple[nodes.Element, str]]:
    """The paragraphs and headings of one text's *blocks* (in document order), each with its
    unit key: ``"12"`` for §12, ``"h12"`` for the heading above it. Other blocks are skipped."""
    number, pending = 0, []
    for node in blocks:
        if is_text_paragraph(node):
            number += 1
            yield from ((h, _heading_key(number, i)) for i, h in enumerate(pending))
            pending = []
            yield node, str(number)  # type: ignore[misc]
        elif is_text_heading(node):
            pending.append(node)
    yield from ((h, _heading_key(number + 1, i)) for i, h in enumerate(pending))


#: how a reader is told of a heading: "heading above §12"
HEADING_ABOVE = "heading above"

_KEY = re.compile(r"(?P<kind>[nh]?)(?P<number>[0-9]+)(?P<extra>[a-z]?)")


def unit_label(key: str) -> str:
    """How a reader is told of a unit: "§12", "note 2", "heading above §12"."""
    match = _KEY.fullmatch(key)
    if match is None:
        return key
    kind, number = match["kind"], match["number"]
    if kind == "n":
        return f"note {number}"
    return f"{HEADING_ABOVE} §{number}" if kind == "h" else f"§{number}"


def unit_order(key: str) -> tuple[int, int, int, str]:
    """The order of units in a text: §12's heading, §12, …, then the author's notes."""
    match = _KEY.fullmatch(key)
    if match is None:
        return (2, 0, 0, key)
    kind, number, extra = match["kind"], int(match["number"]), match["extra"]
    return (1 if kind == "n" else 0, number, 1 if kind == "" else 0, extra)


def unit_id(text_key: str, paragraph_prefix: str, key: str) -> str:
    """The HTML/TEI id of a unit: ``p12`` (a §), ``smith-n2`` (a note), ``smith-h12``."""
    return f"{text_key}-{key}" if key.startswith(("n", "h")) else f"{paragraph_prefix}{key}"


class NumberParagraphs(SphinxTransform):
    """Number the paragraphs that come from a transcription listed in the manifest, and name
    its headings by the paragraph each opens."""

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        manifest = get_manifest(self.config, self.env.srcdir)
        by_text: dict[str, list[nodes.Element]] = {}
        specs = {}
        for block in self.document.findall(is_block):
            spec = manifest.text_for_source(block.source)
            if spec is not None:
                specs[spec.key] = spec
                by_text.setdefault(spec.key, []).append(block)
        numbered = set()
        for key, blocks in by_text.items():
            spec = specs[key]
            for block, unit in keyed_blocks(blocks):
                if isinstance(block, nodes.title):
                    block["ids"].insert(0, unit_id(key, spec.paragraph_id_prefix, unit))
                    block["edition_h"] = unit
                    continue
                number = int(unit)
                pid = spec.paragraph_id(number)
                block["ids"].insert(0, pid)
                block["edition_n"] = number
                block.insert(0, paragraph_number("", number=number, refid=pid))
                numbered.add(key)
        if numbered:
            self.env.note_dependency(str(manifest.path))
            texts = self.env.get_domain("edition").data["texts"]
            for key in numbered:
                texts[key] = self.env.docname


def visit_paragraph_number_html(self: HTML5Translator, node: paragraph_number) -> None:
    number, refid = node["number"], node["refid"]
    # on screen the number is drawn by CSS from data-n: it is no part of the paragraph's text
    shown = f">{number}" if self.builder.name == "pdf" else f' data-n="{number}">'
    self.body.append(
        f'<a class="ce-pnum" href="#{refid}" title="Paragraph {number}" '
        f'aria-label="Paragraph {number}"{shown}</a>'
    )
    raise nodes.SkipNode


def skip_node(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_paragraphs(app: Sphinx) -> None:
    app.add_node(
        paragraph_number,
        html=(visit_paragraph_number_html, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_transform(NumberParagraphs)
