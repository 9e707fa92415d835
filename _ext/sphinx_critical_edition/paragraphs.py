"""Paragraph numbers (§): the edition's citation system.

Every paragraph of a transcribed text gets a number in document order and a stable id built from
the text's prefix (``p12``, ``t3``). Numbers come from the transcription alone: author's notes are
footnotes and editorial annotations are inline, so neither can shift them.
"""

from __future__ import annotations

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


class NumberParagraphs(SphinxTransform):
    """Number the paragraphs that come from a transcription listed in the manifest."""

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        manifest = get_manifest(self.config, self.env.srcdir)
        counters: dict[str, int] = {}
        for para in self.document.findall(nodes.paragraph):
            spec = manifest.text_for_source(para.source)
            if spec is None or not is_text_paragraph(para):
                continue
            counters[spec.key] = number = counters.get(spec.key, 0) + 1
            pid = spec.paragraph_id(number)
            para["ids"].insert(0, pid)
            para["edition_n"] = number
            para.insert(0, paragraph_number("", number=number, refid=pid))
        if counters:
            self.env.note_dependency(str(manifest.path))
            texts = self.env.get_domain("edition").data["texts"]
            for key in counters:
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
