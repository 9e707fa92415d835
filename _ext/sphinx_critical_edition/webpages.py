"""The list of the web pages the edition cites: each page once, under its site, with its title
where known, its address and the places that cite it.

A note, a reading, a reason, a register entry or a chronology event names a web source by its
site and title only (``weblabels``): "nacla.org", "*El Diario*". On paper that cannot be traced,
so the ``edition-web-pages`` directive lists every such page, grouped by site (sites in
alphabetical order, accents, case and a leading article ignored, numbers by value), each with
its address in full and links to where it is cited (in print, with their pages). Every label
links to its entry (``links.link_web_labels_in``). Like the apparatus and the register, the list
is made once every page has been read (``backmatter``: a placeholder filled from the Edition
domain), and its page is rewritten when what it lists changes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .backmatter import (
    BackmatterDirective,
    add_list,
    place_key,
    place_runs,
    register_order,
    split_place,
)
from .check import checked_layer
from .citelabels import bib_urls
from .collation import collation_key
from .dependencies import note_layer_dependencies
from .figures import printed_date
from .links import WEB_PAGES, page_link, title_nodes
from .loader import CHRONOLOGY, REGISTER
from .typography import NBSP, educate_text, keep_together, next_sentence
from .weblabels import WebLabel, WebSources, decoded_url, web_anchor, web_label, web_sources

#: the lists a citation can stand in, in the order a place's citations are given
_GROUPS = ("note", "apparatus", "emendations", "register", "chronology")


@dataclass(frozen=True)
class Citation:
    """A place that cites a web page: a note, an apparatus entry, a reason in the list of
    emendations, a register entry or a chronology event."""

    group: str  # one of _GROUPS
    heading: str  # what the place is in, as printed before it: "Smith, " (its notes),
    #: "Apparatus, Smith ", "Register, "
    noun: str  # what the label numbers, if it says not itself: "note"
    label: str  # the place within it: a note's letter, "§12", a headword, a date
    docname: str
    anchor: str
    order: tuple[Any, ...]
    #: where a note stands in its text ("§12", "note 5"): a letter alone changes between
    #: versions, so a note is named by both ("note *ft* (§78)")
    unit: str = ""


class WebPagesDirective(BackmatterDirective):
    """Where the list of web pages goes (its sources are read where it is made)."""

    what = WEB_PAGES

    def run(self) -> list[nodes.Node]:
        # the register's and the chronology's sources are read from their files when listed
        note_layer_dependencies(self.env, REGISTER, CHRONOLOGY)
        return super().run()


def _doc_of(domain: Any, what: str) -> str | None:
    """The page that shows the list *what* (the register, the chronology…), if one does."""
    return next((doc for doc, kinds in sorted(domain.lists.items()) if what in kinds), None)


def _urls(sources: list[str] | tuple[str, ...]) -> list[str]:
    return [s for s in sources if not s.startswith("bib:")]


def _record_citations(domain: Any) -> list[tuple[str, Citation]]:
    """(url, citation) for each web source of a note, a variant or an emendation."""
    out: list[tuple[str, Citation]] = []
    apparatus, emendations = _doc_of(domain, "apparatus"), _doc_of(domain, "emendations")
    for rec in domain.records.values():
        place = (rec["docname"], place_key(rec["place"]))
        if rec["kind"] == "note":
            letter = rec["label"]  # lettered in reading order: b before aa
            order = (rec["docname"], len(letter), letter)
            cite = Citation(
                "note",
                f"{rec['title']}, ",
                "note",
                letter,
                rec["docname"],
                rec["anchor"],
                order,
                rec["unit"],
            )
            out.extend((url, cite) for url in _urls(rec["sources"]))
        elif rec["kind"] == "variant":
            sources = [s for r in rec["readings"] for s in r["sources"]] + rec["sources"]
            where = (apparatus, f"apparatus-{rec['id']}") if apparatus else None
            cite = _list_citation("apparatus", rec, where, place)
            out.extend((url, cite) for url in dict.fromkeys(_urls(sources)))
        elif rec["kind"] == "emendation":
            where = (emendations, f"emendation-{rec['id']}") if emendations else None
            cite = _list_citation("emendations", rec, where, place)
            out.extend((url, cite) for url in _urls(rec["sources"]))
    return out


def _list_citation(
    group: str, rec: dict[str, Any], where: tuple[str, str] | None, place: tuple[Any, ...]
) -> Citation:
    """A variant's or an emendation's citation: its entry in the apparatus or the list of
    emendations, which prints its sources, else its place in the text."""
    docname, anchor = where or (rec["docname"], rec["anchor"])
    heading, noun, label = split_place(rec["place"])  # "Smith ", "", "§12"; "Smith, ", "note", "5"
    return Citation(group, f"{group.capitalize()}, {heading}", noun, label, docname, anchor, place)


def cited_web_pages(env: BuildEnvironment) -> dict[str, list[Citation]]:
    """Every web page the edition names as a source, with the places that cite it: not one
    that is a work of the bibliography (``links.cited_sources``)."""
    domain = env.get_domain("edition")
    layer = checked_layer(env.srcdir).layer
    cited: dict[str, list[Citation]] = defaultdict(list)
    for url, cite in _record_citations(domain):
        cited[url].append(cite)
    register = _doc_of(domain, "register")
    if register is not None:
        for entry in layer.register.values():
            cite = Citation(
                "register",
                "Register, ",
                "",
                educate_text(entry.headword),
                register,
                f"reg-{entry.id}",
                register_order(entry),
            )
            for url in _urls(entry.sources):
                cited[url].append(cite)
    chronology = _doc_of(domain, "chronology")
    if chronology is not None:
        for index, event in enumerate(layer.chronology):
            when = keep_together(printed_date(event.date, event.end))
            cite = Citation(
                "chronology", "Chronology, ", "", when, chronology, f"chron-{event.id}", (index,)
            )
            for url in _urls(event.sources):
                cited[url].append(cite)
    works = bib_urls(env.srcdir)  # cited as works, by their author–year labels
    return {url: cites for url, cites in cited.items() if url not in works}


def _shown(domain: Any) -> Any:
    """What the list shows of the domain: each record's place and web sources, and which
    pages hold the lists it links to."""
    records = {
        key: [r.get("place"), r.get("label"), _urls(r.get("sources", [])), r.get("readings")]
        for key, r in domain.records.items()
        if r["kind"] != "entity"
    }
    return {"records": records, "lists": sorted(domain.lists.items())}


def _cited_in(builder: Any, fromdoc: str, citations: list[Citation]) -> list[nodes.Node]:
    """ "Smith, notes b, af; Apparatus, Smith §12, §30; Register, “Pérez Gómez, Juan”", each
    place a link (in print followed by its page, see ``print.css``), set as the register sets
    its occurrences (``place_runs``)."""
    places: dict[tuple[str, str, str], tuple[str, str, nodes.Node]] = {}
    for cite in sorted(citations, key=lambda c: (_GROUPS.index(c.group), c.order)):
        if (cite.heading, cite.noun, cite.label) in places:  # a place named twice is given once
            continue
        # a headword may hold a comma ("Pérez Gómez, Juan"): it is quoted; a note's letter is
        # in italics, as the editors' note calls are in print ("notes *et*, *ff*" reads as
        # letters, "notes et, ff" as words)
        text = f"“{cite.label}”" if cite.group == "register" else cite.label
        uri = page_link(builder, fromdoc, cite.docname, cite.anchor)
        shown: list[nodes.Node] = [nodes.Text(text)]
        classes = []
        if cite.group == "note":  # print gives the page inside the brackets: "(§29, p. 23)"
            close = nodes.inline(")", ")", classes=["ce-close"])
            shown = [nodes.emphasis(text, text), nodes.Text(f"{NBSP}({cite.unit}"), close]
            classes = ["ce-cited-note"]
        link = nodes.reference("", "", *shown, internal=True, refuri=uri, classes=classes)
        places[cite.heading, cite.noun, cite.label] = (cite.heading, cite.noun, link)
    return [nodes.Text("Cited: "), *place_runs(places.values()), nodes.Text(".")]


def _page_entry(
    builder: Any, fromdoc: str, url: str, label: WebLabel, citations: list[Citation]
) -> nodes.paragraph:
    """One page: its title (or what it is), its address, where it is cited."""
    para = nodes.paragraph(classes=["ce-webpage"], ids=[web_anchor(url)])
    if label.title:
        title = title_nodes(label)
        first = title[0]
        if isinstance(first, nodes.Text):  # a description begins a sentence: "Entry Doe, Jane"
            title[0] = nodes.Text(first.astext()[:1].upper() + first.astext()[1:])
        if label.quoted and not label.language:
            # the full stop inside the closing marks, as in the entries cited by author and year
            # (“‘… morte.’”, a title that is a quotation)
            title.pop()
            stop = next_sentence("".join(n.astext() for n in title).rstrip("’")).rstrip()
            last = title[-1]
            if stop and isinstance(last, nodes.Text) and last.astext().endswith("’"):
                title[-1], stop = nodes.Text(f"{last.astext()[:-1]}{stop}’"), ""
            para.extend(title)
            para += nodes.Text(f"{stop}” ")
        else:
            para.extend(title)
            if label.language:
                para += nodes.Text(f" ({label.language})")
            para += nodes.Text(next_sentence(para.astext()))
    address = decoded_url(url)
    para += nodes.reference("", address, refuri=url, classes=["ce-address"])
    para += nodes.Text(". ")
    para.extend(_cited_in(builder, fromdoc, citations))
    return para


def _page_order(url: str, label: WebLabel, table: WebSources) -> tuple[Any, ...]:
    """Titled pages first, alphabetically; then the others by address. A title's leading
    article is ignored ("La verdad de Antonio Seleme" under V); a wiki page's name, which names
    its subject (Wikipedia's titles drop an article unless it belongs to the name), is filed as
    written, like a register's headword ("La Paz" under L)."""
    if label.title:
        is_name = url not in table.titles  # a title from the address: a wiki page's name
        language = table.languages.get(url, "")
        return (0, collation_key(label.title, skip_article=not is_name, language=language), url)
    return (1, collation_key(decoded_url(url)), url)


def web_pages_list(
    builder: Any, doctree: nodes.document, fromdoc: str, node: Any
) -> list[nodes.Node]:
    """The list: a definition list of sites, each with its pages."""
    cited = cited_web_pages(builder.env)
    table = web_sources(builder.env.srcdir)
    labels = {url: web_label(url, table) for url in cited}
    sites: dict[str, list[str]] = defaultdict(list)
    for url, label in labels.items():
        sites[label.site].append(url)
    items = nodes.definition_list(classes=["ce-webpages"])
    for site in sorted(sites, key=lambda name: collation_key(name, skip_article=True)):
        urls = sorted(sites[site], key=lambda u: _page_order(u, labels[u], table))
        name = nodes.emphasis("", site) if labels[urls[0]].publication else nodes.Text(site)
        definition = nodes.definition()
        for url in urls:
            definition += _page_entry(builder, fromdoc, url, labels[url], cited[url])
        items += nodes.definition_list_item(
            "", nodes.term("", "", nodes.strong("", "", name, classes=["ce-site"])), definition
        )
    return [items] if cited else [nodes.paragraph("", "No web page is cited.")]


def setup_webpages(app: Sphinx) -> None:
    app.add_directive("edition-web-pages", WebPagesDirective)
    add_list(WEB_PAGES, web_pages_list, _shown)
