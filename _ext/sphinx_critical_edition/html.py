"""HTML markup of the editorial nodes (also used by the PDF builder, which prints HTML).

Everything works without JavaScript: readings open on hover and focus (CSS), the witness's
reading of an emendation is in its title and in the list of emendations, names are links.
``static/edition.js`` only adds the reading/witness toggle.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from .citelabels import bib_labels
from .links import link_bib_labels_in, page_link, source_nodes
from .model import CERT_TEXT, EDITORIAL_READINGS, reading_attribution
from .nodes import app, app_note, choice, corr, ed_span, lem, name_ref, rdg, sic, supplied
from .textruns import runs_to_nodes


def _attrs(node: nodes.Element) -> dict[str, str]:
    out = {}
    if node.get("cert"):
        out["data-cert"] = node["cert"]
    if node.get("resp"):
        out["data-resp"] = node["resp"]
    return out


def visit_ed_span(self: HTML5Translator, node: ed_span) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-anno", **_attrs(node)))


def visit_app(self: HTML5Translator, node: app) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-app", **_attrs(node)))


def visit_lem(self: HTML5Translator, node: lem) -> None:
    app_id = node.parent["ids"][0]
    self.body.append(
        self.starttag(
            node, "span", "", CLASS="ce-lem", tabindex="0", **{"aria-describedby": f"{app_id}-rdgs"}
        )
    )


def depart_lem(self: HTML5Translator, node: lem) -> None:
    app_id = node.parent["ids"][0]
    self.body.append(
        f'</span><span class="ce-rdgs" role="tooltip" id="{app_id}-rdgs">'
        '<span class="ce-visually-hidden">Readings: </span>'
    )


def visit_rdg(self: HTML5Translator, node: rdg) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-rdg"))
    self.body.append(f'<span class="ce-rdg-text" lang="{self.attval(node["lang"])}">')
    self.body.append(self.encode(node.astext()))
    self.body.append("</span>")
    sigla = " ".join(node.get("wit", []))
    if sigla:
        self.body.append(f' <span class="ce-wit">{self.encode(sigla)}</span>')
    elif node.get("type") in EDITORIAL_READINGS:  # no siglum: the editors' own reading
        label = reading_attribution(node["type"], node.get("resp", ""))
        self.body.append(f' <span class="ce-rdg-editorial">{self.encode(label)}</span>')
    if node.get("cert"):
        self.body.append(f' <span class="ce-cert">({CERT_TEXT[node["cert"]]})</span>')
    if node.get("comment"):  # the same nodes as the apparatus makes of the kept runs
        comment = nodes.inline("", "", *runs_to_nodes(node["comment"]), classes=["ce-rdg-comment"])
        self.body.append(" ")
        comment.walkabout(self)
    if node.get("sources"):  # the same nodes as the lists make, URLs named by their site
        labels = bib_labels(self.builder.env.srcdir)
        listed = source_nodes(node["sources"], labels, by_site=True)
        sources = nodes.inline("", "— source: ", *listed, classes=["ce-rdg-sources"])
        link_bib_labels_in(sources, self.builder, self.builder.current_docname)
        self.body.append(" ")
        sources.walkabout(self)
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_app_note(self: HTML5Translator, node: app_note) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-app-note"))


def depart_app(self: HTML5Translator, node: app) -> None:
    self.body.append("</span></span>")  # closes .ce-rdgs, then .ce-app


def visit_choice(self: HTML5Translator, node: choice) -> None:
    witness = node.children[0].astext() if node.children else ""
    title = f"As received: {witness}" if witness else "Supplied by the editors"
    if node.get("reason"):
        title += f". {node['reason']}"
    self.body.append(
        self.starttag(
            node,
            "span",
            "",
            CLASS=f"ce-choice ce-choice-{node['type']}",
            title=title,
            **_attrs(node),
        )
    )


def visit_sic(self: HTML5Translator, node: sic) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-sic"))


def visit_corr(self: HTML5Translator, node: corr) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-corr"))


def visit_supplied(self: HTML5Translator, node: supplied) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-supplied", title="supplied"))


def visit_name_ref(self: HTML5Translator, node: name_ref) -> None:
    classes = f"ce-name ce-name-{node['entity_type']}"
    title = f"Register: {node['entity_name']}"
    if _inside_link(node):  # links cannot nest: a name within a name is marked, not linked
        self.body.append(self.starttag(node, "span", "", CLASS=classes, title=title))
        self.context.append("</span>")
        return
    href = page_link(
        self.builder,
        self.builder.current_docname,
        self.builder.config.edition_register_doc,
        f"reg-{node['ref']}",
    )
    self.body.append(self.starttag(node, "a", "", CLASS=classes, href=href, title=title))
    self.context.append("</a>")


def depart_name_ref(self: HTML5Translator, node: name_ref) -> None:
    self.body.append(self.context.pop())


def _inside_link(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (name_ref, nodes.reference)):
            return True
        parent = parent.parent
    return False


def depart_span(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</span>")


class EditionHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator with one accessibility fix.

    Docutils marks bibliography entries ``role="doc-biblioentry"`` inside ``role="list"``;
    that role is deprecated and a list needs ``listitem`` children (axe-core flags both).
    """

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup_html(sphinx: Sphinx) -> None:
    for builder in ("html", "dirhtml", "singlehtml", "pdf"):
        sphinx.set_translator(builder, EditionHTMLTranslator)
    sphinx.add_node(ed_span, html=(visit_ed_span, depart_span))
    sphinx.add_node(app, html=(visit_app, depart_app))
    sphinx.add_node(lem, html=(visit_lem, depart_lem))
    sphinx.add_node(rdg, html=(visit_rdg, None))
    sphinx.add_node(app_note, html=(visit_app_note, depart_span))
    sphinx.add_node(choice, html=(visit_choice, depart_span))
    sphinx.add_node(sic, html=(visit_sic, depart_span))
    sphinx.add_node(corr, html=(visit_corr, depart_span))
    sphinx.add_node(supplied, html=(visit_supplied, depart_span))
    sphinx.add_node(name_ref, html=(visit_name_ref, depart_name_ref))
