"""Notes as sidenotes: the author's footnotes placed at their call (editorial notes are woven
there from the start, see ``weaving.py``).

Docutils puts footnotes in a list at the end. Readers of an edition want a note beside its call:
in the margin on a wide screen, opening in place on a phone (CSS ``:target``, no script needed),
and at the foot of the page in print (``float: footnote``). This post-transform moves each
footnote's content into an inline :class:`edition_note` right after its
:class:`edition_noteref`; the HTML and print stylesheets do the rest. Every call links to
its note and every note back to its call.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from .config import get_manifest
from .links import write_sources


class edition_noteref(nodes.Inline, nodes.TextElement):
    """The call of a note (its label), linking to the note."""


class edition_note(nodes.Inline, nodes.Element):
    """The body of a note, placed inline after its call."""


def author_note_id(prefix: str, label: str) -> str:
    """The id of an author's note (``smith-n4``): its text's key, then ``n`` and its number."""
    return f"{prefix}-n{label}"


def _note_prefix(document: nodes.document, footnote: nodes.footnote, manifest: Any) -> str:
    spec = manifest.text_for_source(footnote.source)
    return spec.key if spec else document.get("docname", "note")


def _inline_body(footnote: nodes.footnote) -> list[nodes.Node]:
    """The note's paragraphs as inline spans (a note lives inside its call's paragraph)."""
    body: list[nodes.Node] = []
    for child in footnote.children:
        if isinstance(child, nodes.label):
            continue
        if isinstance(child, nodes.paragraph):
            span = nodes.inline("", "", classes=["ce-note-para"], ids=list(child["ids"]))
            span.extend(child.children)
            body.append(span)
        else:
            body.append(child)
    return body


class FootnotesToSidenotes(SphinxPostTransform):
    """Replace docutils footnotes by inline notes placed after their first call."""

    default_priority = 0  # before the theme's own sidenote handling
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        manifest = get_manifest(self.config, self.env.srcdir)
        footnotes = {fn["ids"][0]: fn for fn in self.document.findall(nodes.footnote)}
        for ref in list(self.document.findall(nodes.footnote_reference)):
            footnote = footnotes.get(ref.get("refid", ""))
            if footnote is None:
                continue
            label = footnote[0].astext()
            prefix = _note_prefix(self.document, footnote, manifest)
            note_id, ref_id = author_note_id(prefix, label), f"{prefix}-nref{label}"
            if footnote.get("edition_placed"):
                # a second call of the same note: link to it, do not copy it
                ref.replace_self(edition_noteref(label, label, refid=note_id, series="author"))
                continue
            footnote["edition_placed"] = True
            call = edition_noteref(label, label, refid=note_id, ids=[ref_id], series="author")
            body = edition_note("", ids=[note_id], label=label, backref=ref_id, series="author")
            body.extend(_inline_body(footnote))
            ref.replace_self([call, body])
        for footnote in footnotes.values():
            if footnote.get("edition_placed"):
                footnote.parent.remove(footnote)


#: how a screen reader names a call of each series
SERIES_NAME = {"author": "Note", "editorial": "Editors’ note"}


def visit_note_ref_html(self: HTML5Translator, node: edition_noteref) -> None:
    label, series = node.get("label") or node.astext(), node["series"]
    attrs = {"href": f"#{node['refid']}", "CLASS": f"ce-noteref ce-noteref-{series}"}
    if self.builder.name == "pdf":  # WeasyPrint's footnote calls replace it
        self.body.append(self.starttag(node, "a", "", role="doc-noteref", **attrs))
        self.body.append(f'<span class="ce-visually-hidden">Note </span>{self.encode(label)}</a>')
        raise nodes.SkipNode
    # the label is drawn by CSS from data-label: a call adds no character to the text
    attrs |= {
        "aria-label": f"{SERIES_NAME[series]} {label}",
        "data-label": label,
        "data-ce-pop": node["refid"],
        "aria-details": node["refid"],
    }
    self.body.append(self.starttag(node, "a", "", role="doc-noteref", **attrs) + "</a>")
    raise nodes.SkipNode


def visit_note_html(self: HTML5Translator, node: edition_note) -> None:
    series = node["series"]
    tag = "span" if self.builder.name == "pdf" else "div"  # on screen, beside the paragraph
    self.body.append(
        self.starttag(
            node,
            tag,
            "",
            CLASS=f"ce-note ce-note-{series}",
            role="doc-footnote",
            **{"data-label": node["label"]},
        )
    )
    self.body.append(
        f'<a class="ce-note-label" href="#{node["backref"]}" '
        f'title="Back to the call of note {self.encode(node["label"])}">'
        f"{self.encode(node['label'])}</a> "
    )


def depart_note_html(self: HTML5Translator, node: edition_note) -> None:
    write_note_sources(self, node)
    self.body.append("</span>" if self.builder.name == "pdf" else "</div>\n")


def write_note_sources(self: HTML5Translator, node: edition_note) -> None:
    """An editorial note's sources, after its body (the author's notes have none). A web
    source is named without its address, also in print, where the name is a link: printed
    addresses pushed footnotes off their call's page (92 → 98 pages, 5 notes displaced)."""
    if node.get("sources"):
        self.body.append(" ")
        write_sources(self, node["sources"], addresses=False)


def setup_notes(app: Sphinx) -> None:
    app.add_node(edition_noteref, html=(visit_note_ref_html, None))
    app.add_node(edition_note, html=(visit_note_html, depart_note_html))
    app.add_post_transform(FootnotesToSidenotes)
