"""HTML markup of the editorial nodes (also used by the PDF builder, which prints HTML).

The page's text is the text: in the HTML, a paragraph's text content is the reading text, nothing
more. What the editors add about it (notes, a variant's readings, an emendation's witness reading
and reason) is moved after the paragraph, into a ``beside_text`` block, by
:class:`EditorialMatterBesideTheText`; the marks in the sentence link to it (``href`` and
``aria-details``) and note calls and § numbers are drawn from data attributes by CSS. The witness's
reading of an emendation waits in a ``<template>``, out of the text, until the witness view
(``static/edition.js``) swaps it in. Without JavaScript every note is a link away (``:target``).

The PDF builder keeps everything inline (WeasyPrint's ``float: footnote`` needs each note at its
call, and ``print.css`` hides the witness's readings), so each visitor here branches on it.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from .anchoring import edition_words
from .citelabels import bib_labels
from .links import page_link, write_sources
from .model import CERT_TEXT, reading_mark
from .nodes import (
    app,
    app_note,
    beside_text,
    choice,
    corr,
    ed_span,
    lem,
    name_ref,
    rdg,
    readings_box,
    reason_box,
    sic,
    supplied,
)
from .notes import edition_note, edition_noteref
from .paragraphs import is_block
from .places import link_places_in
from .textruns import runs_to_nodes
from .typography import spans_of_matches


def is_print(translator: HTML5Translator) -> bool:
    """Whether the HTML is the PDF's (notes inline at their calls, as WeasyPrint needs them)."""
    return translator.builder.name == "pdf"


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
    rdgs = f"{node.parent['ids'][0]}-rdgs"
    if is_print(self):
        self.body.append(
            self.starttag(node, "span", "", CLASS="ce-lem", **{"aria-describedby": rdgs})
        )
        return
    # a link to its readings (beside the text): reachable by keyboard and touch, and without JS
    boxes = " ".join([rdgs, *_reason_boxes(node)])
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            CLASS="ce-lem",
            href=f"#{rdgs}",
            **{"aria-details": rdgs, "data-ce-pop": boxes},
        )
    )


def depart_lem(self: HTML5Translator, node: lem) -> None:
    if not is_print(self):
        self.body.append("</a>")
        return
    app_id = node.parent["ids"][0]
    self.body.append(
        f'</span><span class="ce-rdgs" role="tooltip" id="{app_id}-rdgs">'
        '<span class="ce-visually-hidden">Readings: </span>'
    )


def _reason_boxes(node: nodes.Element) -> list[str]:
    """The ids of the reason boxes of the emendations within *node* (its popover shows them)."""
    return [f"{c['ids'][0]}-why" for c in node.findall(choice) if c is not node and c["ids"]]


def visit_rdg(self: HTML5Translator, node: rdg) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-rdg"))
    self.body.append(f'<span class="ce-rdg-text" lang="{self.attval(node["lang"])}">')
    self.body.append(self.encode(node.astext()))
    self.body.append("</span>")
    mark = reading_mark(
        node.get("wit", []), node.get("type", ""), node.get("resp", ""), node.get("sources", [])
    )
    if mark:
        self.body.append(f' <span class="{mark[0]}">{self.encode(mark[1])}</span>')
    if node.get("cert"):
        self.body.append(f' <span class="ce-cert">({CERT_TEXT[node["cert"]]})</span>')
    if node.get("comment"):  # the same nodes as the apparatus makes of the kept runs
        comment = nodes.inline("", "", *runs_to_nodes(node["comment"]), classes=["ce-rdg-comment"])
        link_places_in(comment, self.builder, self.builder.current_docname)
        self.body.append(", ")  # as in the apparatus: "attested usage, the workers' members …"
        comment.walkabout(self)
    if node.get("sources"):  # URLs named by their site: a popover's line is short
        self.body.append(" ")
        write_sources(
            self, node["sources"], prefix="— source: ", by_site=True, classes=("ce-rdg-sources",)
        )
    self.body.append("</span>")
    raise nodes.SkipNode


def depart_with_sources(self: HTML5Translator, node: nodes.Element) -> None:
    """Close a box (a variant's readings, an emendation's reason) after its own sources."""
    if node.get("sources"):
        write_sources(self, node["sources"])
    depart_div(self, node)


def visit_app_note(self: HTML5Translator, node: app_note) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-app-note"))


def depart_app(self: HTML5Translator, node: app) -> None:
    # print: closes .ce-rdgs, then .ce-app; the screen's readings are beside the text
    self.body.append("</span></span>" if is_print(self) else "</span>")


def visit_choice(self: HTML5Translator, node: choice) -> None:
    if is_print(self):
        witness = node.children[0].astext() if node.children else ""
        title = f"As received: {witness}" if witness else "Supplied by the editors"
        if node.get("reason"):
            title += f". {node['reason']}"
        extra = {"title": title}
    else:
        why = f"{node['ids'][0]}-why"
        extra = {"aria-details": why, "data-ce-pop": " ".join([why, *_reason_boxes(node)])}
        if not _inside_link(node):  # focusable, to open its reason; a link may not hold one
            extra["tabindex"] = "0"
    self.body.append(
        self.starttag(
            node,
            "span",
            "",
            CLASS=f"ce-choice ce-choice-{node['type']}",
            **extra,
            **_attrs(node),
        )
    )


def visit_sic(self: HTML5Translator, node: sic) -> None:
    if not is_print(self):  # the witness view swaps it in; until then it is not the text
        self.body.append('<template class="ce-other-reading">')
    self.body.append(self.starttag(node, "span", "", CLASS="ce-sic"))


def depart_sic(self: HTML5Translator, node: sic) -> None:
    self.body.append("</span>" if is_print(self) else "</span></template>")


def visit_corr(self: HTML5Translator, node: corr) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="ce-corr"))


def visit_supplied(self: HTML5Translator, node: supplied) -> None:
    extra = {"title": "supplied"} if is_print(self) else {}  # on screen: in its reason box
    self.body.append(self.starttag(node, "span", "", CLASS="ce-supplied", **extra))


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
    extra = {}
    reasons = [] if is_print(self) else _reason_boxes(node)
    if reasons:  # the link opens the reasons of the emendations within it, then the register
        extra = {"data-ce-pop": " ".join(reasons), "aria-details": reasons[0]}
    self.body.append(self.starttag(node, "a", "", CLASS=classes, href=href, title=title, **extra))
    self.context.append("</a>")


def depart_name_ref(self: HTML5Translator, node: name_ref) -> None:
    self.body.append(self.context.pop())


def _inside_link(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (name_ref, nodes.reference, lem)):
            return True
        parent = parent.parent
    return False


def depart_span(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</span>")


def visit_beside_text(self: HTML5Translator, node: beside_text) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="ce-beside"))


def depart_div(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def visit_readings_box(self: HTML5Translator, node: readings_box) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="ce-rdgs ce-box", role="note"))
    lemma = self.encode(quoted(node["lemma"]))
    self.body.append(f'<span class="ce-box-label">Readings of {lemma}</span> ')


#: quotation marks that open and close a quotation (a lemma that is itself one keeps its own)
_QUOTES = {"“": "”", "‘": "’", '"': '"', "«": "»"}


def quoted(text: str) -> str:
    """*text* in quotation marks, unless it already stands in a pair of its own; in single
    ones when it quotes within (‘so called “rosquero”’), so that no two marks meet."""
    closing = _QUOTES.get(text[:1])
    if closing and len(text) > 1 and text.endswith(closing):
        return text
    if "“" in text or '"' in text:
        return f"‘{text}’"
    return f"“{text}”"


def visit_reason_box(self: HTML5Translator, node: reason_box) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="ce-why ce-box", role="note"))
    if node["witness"]:
        self.body.append(
            '<span class="ce-box-label">As received</span> '
            f'<span class="ce-why-sic">{self.encode(node["witness"])}</span>'
        )
        if node.children:
            self.body.append(" — ")
    else:  # nothing was received: the label stands alone above the reason, without a dash
        self.body.append('<span class="ce-box-label">Supplied by the editors</span> ')


class EditorialMatterBesideTheText(SphinxPostTransform):
    """Move notes, readings and reasons out of each paragraph, into a block right after it.

    The paragraph keeps the marks (calls, lemmas, emendations) that link to them, so its text
    content is the text; the screen's stylesheet and script show each item at its mark. Not for
    the PDF, whose footnotes must stay at their calls.
    """

    default_priority = 5  # after FootnotesToSidenotes has placed the author's notes
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if self.app.builder.name == "pdf":
            return
        for para in list(self.document.findall(is_block)):  # a heading's notes go after it
            if _has_ancestor(para, (edition_note, beside_text)):
                continue
            marks = [n for n in para.findall(_is_mark) if n is not para]
            if not marks:
                continue
            block = beside_text("")
            labels = bib_labels(self.app.srcdir)
            for mark in marks:
                block += _box_for(mark, labels)
            para.parent.insert(para.parent.index(para) + 1, block)
        for call in list(self.document.findall(edition_noteref)):
            _keep_with_word_before(call)
        for para in self.document.findall(nodes.paragraph):
            _side_by_side(para)
            _one_space_shown(para)
        for call in self.document.findall(edition_noteref):
            _label_kept_aside(call)


def _label_kept_aside(call: edition_noteref) -> None:
    """A call's label moves to an attribute: on screen it is drawn from ``data-label``, so the
    page's text has none, and the search index must not read it either ("…was managedad" in a
    heading's title, a letter "ad" as a word of the text)."""
    call["label"] = call.astext()
    call.clear()


_LAST_WORD = re.compile(r"\S*\s+$")
_SHORT = 30  # characters of an element (an emendation) that may go unbroken with a call


def _keep_with_word_before(call: edition_noteref) -> None:
    """A call after a space (the witness writes "Smith (2)") goes with the word before it into
    a span that does not break, so no line starts with a call; the text stays the same. When
    that word ends an element (an emendation), the element goes too, if it is short."""
    parent = call.parent
    index = parent.index(call)
    before = parent[index - 1] if index else None
    match = _LAST_WORD.search(str(before)) if isinstance(before, nodes.Text) else None
    if match is None:
        return
    kept, word = str(before)[: match.start()], match.group()
    after = parent[index + 1] if index + 1 < len(parent) else None
    spaced = word != word.rstrip()
    # the witness's space before the call stays in the text; when a space follows the call it
    # is not shown ("others”.⁵ That"); before a comma the call is drawn over it (edition.css),
    # so that a copy keeps it ("International⁶, applied": "International , applied")
    hide = spaced and isinstance(after, nodes.Text) and str(after)[:1].isspace()
    start, moved = index - 1, [*(_space_hidden(word) if hide else [nodes.Text(word)]), call]
    element = parent[index - 2] if index >= 2 and not word.strip() and not kept else None
    shown = element[-1] if isinstance(element, choice) and element.children else element
    if isinstance(shown, nodes.Element) and len(shown.astext()) <= _SHORT:
        start, moved = index - 2, [element, *moved]
    del parent[start : index + 1]  # by position: Text nodes compare by their string
    if kept:
        parent.insert(start, nodes.Text(kept))
        start += 1
    classes = ["ce-nobreak", *(["ce-call-spaced"] if spaced and not hide else [])]
    parent.insert(start, nodes.inline("", "", *moved, classes=classes))


#: white space the page keeps in its text but does not show (``edition.css``)
HIDDEN_SPACE = "ce-hidden-space"


def _space_hidden(word: str) -> list[nodes.Node]:
    """*word* with its trailing white space (the witness's space before a call, "Smith (2) and")
    kept in the text but not shown: the call stands on the word ("Smith² and"), and the space
    after it is the only one seen."""
    bare = word.rstrip()
    hidden = nodes.inline("", word[len(bare) :], classes=[HIDDEN_SPACE])
    return [nodes.Text(bare), hidden] if bare else [hidden]


#: a no-break space beside other white space (the witness has "poorest\u00a0 semicolonial",
#: "(18)\u00a0 A year"): a browser collapses a run of ordinary spaces, never a no-break space
_EXTRA_NBSP = re.compile(r"\u00a0(?=\s)|(?<=[ \t\n])\u00a0")


def _one_space_shown(para: nodes.Element) -> None:
    """A run of white space shows as one space, as in HTML: a no-break space beside another
    space stays in the text (the text content is the witness's) but is not shown."""
    for text in list(para.findall(nodes.Text)):
        value = str(text)
        if "\u00a0" not in value or HIDDEN_SPACE in text.parent.get("classes", []):
            continue
        if not _EXTRA_NBSP.search(value):
            continue
        pieces = spans_of_matches(value, _EXTRA_NBSP, HIDDEN_SPACE)
        parent = text.parent
        index = next(i for i, child in enumerate(parent.children) if child is text)
        parent[index : index + 1] = pieces


def _side_by_side(para: nodes.Element) -> None:
    """Calls with nothing but white space between them ("it.”¹ ʳ", two notes ending on one
    word) are marked ``ce-noteref-before`` / ``-after``: the stylesheet sets them side by side
    and gives each its 24 px target on its own side, so neither covers the other."""
    previous: list[edition_noteref] = []  # the last call, while only white space follows it

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if isinstance(child, edition_noteref):
                if previous:
                    previous[0]["classes"].append("ce-noteref-before")
                    child["classes"].append("ce-noteref-after")
                previous[:] = [child]
            elif isinstance(child, nodes.Text):
                if str(child).strip():
                    previous.clear()
            elif isinstance(child, nodes.Element) and not isinstance(
                child,
                (sic, edition_note, beside_text),  # not in the reading view's line
            ):
                walk(child)

    walk(para)


def _is_mark(node: nodes.Node) -> bool:
    return isinstance(node, (edition_note, app, choice))


def _has_ancestor(node: nodes.Node, kinds: tuple[type[nodes.Node], ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


def _box_for(mark: nodes.Element, labels: dict[str, str]) -> nodes.Element:
    """The note itself, or a new box for a variant's readings or an emendation's reason (whose
    citations read as the works' author–year *labels*)."""
    if isinstance(mark, edition_note):
        mark.parent.remove(mark)
        return mark
    if isinstance(mark, app):
        box = readings_box(
            "",
            ids=[f"{mark['ids'][0]}-rdgs"],
            lemma=edition_words(mark[0]),
            sources=mark.get("sources", []),
        )
        for child in mark.children[1:]:
            mark.remove(child)
            box += child
        return box
    witness = mark.children[0].astext() if mark.children else ""
    box = reason_box(
        "", ids=[f"{mark['ids'][0]}-why"], witness=witness, sources=mark.get("sources", [])
    )
    # one inline around the reason: a citation's link may only stand inside a text element
    box += nodes.inline("", "", *runs_to_nodes(mark.get("reason_runs", []), labels))
    return box


#: a dot inside a name ("blogspot.com"): a line may break after it
_DOT_IN_NAME = re.compile(r"\.(?=\w)")
#: where a line may break inside an address, as the Chicago Manual breaks one: before a single
#: slash, a full stop, a comma, a hyphen, an underscore, a question mark or a tilde (never inside
#: "https://", nor at either end); an entity the translator wrote ("&#64;") has none of these
_ADDRESS_BREAK = re.compile(r"(?<=[^/:])(?=[/.,\-_?~][^/])")


class EditionHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator with one accessibility fix and one line-breaking one.

    Docutils marks bibliography entries ``role="doc-biblioentry"`` inside ``role="list"``;
    that role is deprecated and a list needs ``listitem`` children (axe-core flags both).
    A site named by its domain in the list of web pages (``ce-site``) may break after its dots:
    in bold, "notasdelahistoriadebolivia.blogspot.com" is wider than a phone. A page's address
    there (``ce-address``) breaks where the Chicago Manual breaks one (``_ADDRESS_BREAK``):
    only a part wider than the column breaks anywhere, so "…election,_19 / 51" no longer
    parts a year, nor the full stop after an address open a line by itself.
    """

    def visit_Text(self, node: nodes.Text) -> None:
        super().visit_Text(node)
        parent = node.parent
        if isinstance(parent, nodes.strong) and "ce-site" in parent["classes"]:
            self.body[-1] = _DOT_IN_NAME.sub(".<wbr>", self.body[-1])
        elif isinstance(parent, nodes.reference) and "ce-address" in parent["classes"]:
            self.body[-1] = _ADDRESS_BREAK.sub("<wbr>", self.body[-1])

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
    sphinx.add_node(sic, html=(visit_sic, depart_sic))
    sphinx.add_node(corr, html=(visit_corr, depart_span))
    sphinx.add_node(supplied, html=(visit_supplied, depart_span))
    sphinx.add_node(name_ref, html=(visit_name_ref, depart_name_ref))
    sphinx.add_node(beside_text, html=(visit_beside_text, depart_div))
    sphinx.add_node(readings_box, html=(visit_readings_box, depart_with_sources))
    sphinx.add_node(reason_box, html=(visit_reason_box, depart_with_sources))
    sphinx.add_post_transform(EditorialMatterBesideTheText)
