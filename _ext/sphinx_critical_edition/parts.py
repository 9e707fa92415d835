"""The ``text-part`` directive: marks a part of a transcribed text (e.g. a publisher's preface).

The part's label is the editors' words, not the witness's, so it lives in an option and is
rendered as an editorial label; the plain-text extraction leaves it out.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator


class text_part(nodes.container):
    """A part of a transcribed text; degrades to a plain container in other builders."""


class text_part_label(nodes.rubric):
    """The editors' label of a part; degrades to a rubric in other builders."""


class TextPartDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar = {"label": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        try:  # the name becomes a class and an id: docutils refuses what cannot be one
            key = directives.class_option(self.arguments[0])[0]
        except ValueError:
            raise self.error(
                f"text-part {self.arguments[0]!r}: a part's name becomes its id and cannot be "
                "made of these characters; name it with letters, digits and hyphens "
                "(e.g. preface)"
            ) from None
        part = text_part(classes=["ce-part", f"ce-part-{key}"], ids=[f"part-{key}"])
        self.set_source_info(part)
        if "label" in self.options:
            part += text_part_label(self.options["label"], self.options["label"])
        self.state.nested_parse(self.content, self.content_offset, part)
        return [part]


def visit_text_part_html(self: HTML5Translator, node: text_part) -> None:
    self.body.append(self.starttag(node, "section"))


def depart_text_part_html(self: HTML5Translator, node: text_part) -> None:
    self.body.append("</section>\n")


def visit_text_part_label_html(self: HTML5Translator, node: text_part_label) -> None:
    self.body.append(self.starttag(node, "h2", CLASS="ce-part-label"))


def depart_text_part_label_html(self: HTML5Translator, node: text_part_label) -> None:
    self.body.append("</h2>\n")


def setup_parts(app: Sphinx) -> None:
    app.add_node(text_part, html=(visit_text_part_html, depart_text_part_html))
    app.add_node(text_part_label, html=(visit_text_part_label_html, depart_text_part_label_html))
    app.add_directive("text-part", TextPartDirective)
