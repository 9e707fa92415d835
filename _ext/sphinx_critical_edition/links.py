"""Links between the edition's pages that also work when every page is one page (PDF)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.osutil import relative_uri

from .citelabels import bib_labels, bib_urls
from .typography import educate_text, nested_quotes, ranges_kept_whole
from .weblabels import (
    WebLabel,
    decoded_url,
    distinguished,
    printed_url,
    title_runs,
    web_anchor,
    web_label,
    web_sources,
)

#: the generated list of the web pages the edition cites (see ``webpages``)
WEB_PAGES = "webpages"

SINGLE_PAGE_BUILDERS = {"singlehtml", "pdf"}


def page_link(builder: Any, fromdoc: str, todoc: str, anchor: str) -> str:
    """The href of *anchor* in *todoc* as seen from *fromdoc*."""
    if builder.name in SINGLE_PAGE_BUILDERS:
        return f"#{anchor}"
    return f"{builder.get_relative_uri(fromdoc, todoc)}#{anchor}"


def root_file_link(builder: Any, docname: str, path: str) -> str:
    """A link from *docname*'s page to a file at the root of the output (``path`` relative to it),
    as the builder writes the page: ``../file.pdf`` from ``article/index.html`` (dirhtml)."""
    return relative_uri(builder.get_target_uri(docname), path)


def single_page_fragment(uri: str) -> str:
    """``#document-x#anchor`` (Sphinx's single-page form) → ``#anchor``."""
    if uri.count("#") > 1:
        return "#" + uri.rsplit("#", 1)[1]
    return uri


def cited_sources(sources: tuple[str, ...] | list[str], srcdir: str | Path) -> list[str]:
    """*sources* as they are cited: the address of a work in the bibliography as the work
    (``bib:KEY``, printed by its author–year label), each source once."""
    works = bib_urls(srcdir)
    return list(dict.fromkeys(f"bib:{works[s]}" if s in works else s for s in sources))


#: a citation in editorial MyST: {cite:p}`key1,key2`
_CITATION = re.compile(r"\{cite:[a-z]+\}`([^`]*)`")


def sources_beyond_body(
    sources: tuple[str, ...] | list[str], body: str, srcdir: str | Path
) -> list[str]:
    """*sources* less the works *body* cites itself (as ``bib:KEY`` or by the work's address):
    a note that says "(Smith 2004)" does not end with "Sources: Smith 2004" as well."""
    cited = {key.strip() for found in _CITATION.finditer(body) for key in found[1].split(",")}
    if not cited:
        return list(sources)
    works = bib_urls(srcdir)
    return [s for s in sources if (s[4:] if s.startswith("bib:") else works.get(s)) not in cited]


def source_nodes(
    sources: tuple[str, ...] | list[str],
    srcdir: str | Path,
    by_site: bool = False,
    addresses: bool = True,
) -> list[nodes.Node]:
    """A list of sources for display (``cited_sources``): bibliography keys by their
    author–year labels (see ``citelabels``), to be linked to their entry
    (``link_bib_labels``), and URLs as links named as a citation names them (``weblabels``),
    by their site alone with *by_site* (a popover's short line), and in print without their
    address unless *addresses*."""
    labels, table = bib_labels(srcdir), web_sources(srcdir)
    sources = cited_sources(sources, srcdir)
    urls = [s for s in sources if not s.startswith("bib:")]
    named = dict(zip(urls, distinguished([web_label(u, table) for u in urls], urls), strict=True))
    out: list[nodes.Node] = []
    for i, source in enumerate(sources):
        if i:
            out.append(nodes.Text("; "))
        if source.startswith("bib:"):
            key = source[4:]
            out.append(nodes.inline("", labels.get(key, key), classes=["ce-bibref"], bibkey=key))
        else:
            out.append(web_link(source, named[source], by_site, addresses))
    return out


def sources_line(
    sources: tuple[str, ...] | list[str],
    srcdir: str | Path,
    *,
    prefix: str = "Sources: ",
    by_site: bool = False,
    addresses: bool = True,
    element: type[nodes.TextElement] = nodes.inline,
    classes: tuple[str, ...] = ("ce-sources",),
) -> nodes.TextElement:
    """*sources* (``source_nodes``) after *prefix*, in one element: the register's "Sources:"
    paragraph, and the line that closes a note, a reason or a variant's readings."""
    line = element("", prefix, classes=list(classes))
    line.extend(source_nodes(sources, srcdir, by_site, addresses))
    return line


def write_sources(translator: Any, sources: list[str], **line: Any) -> None:
    """*sources* written by *translator* as the register prints them (``sources_line``), each
    bibliography label linked to its entry: a note, a reason or a reading shows its evidence."""
    element = sources_line(sources, translator.builder.env.srcdir, **line)
    link_bib_labels_in(element, translator.builder, translator.builder.current_docname)
    element.walkabout(translator)


def web_link(
    url: str, label: WebLabel, by_site: bool = False, address: bool = True
) -> nodes.reference:
    """A link to *url* named by its *label*; the decoded address is its tooltip and, in
    print, follows the name in small type (``printurl``, see ``pdf/translator.py``) unless
    not *address*."""
    site = nodes.emphasis("", label.site) if label.publication else nodes.Text(label.site)
    link = nodes.reference(
        "",
        "",
        site,
        refuri=url,
        reftitle=decoded_url(url),
        printurl=printed_url(url) if address else "",
        classes=["ce-weblink"],
    )
    if label.language:
        link += nodes.Text(f" ({label.language})")
    if label.title and not by_site:
        link += nodes.Text(", ")
        link.extend(title_nodes(label))
    return link


def title_nodes(label: WebLabel) -> list[nodes.Node]:
    """*label*'s title as printed: in quotation marks if the page bears it, a work it names
    in italics; a quotation within a quoted title in single marks."""
    title = educate_text(label.title)
    runs = title_runs(nested_quotes(title) if label.quoted else title)
    out: list[nodes.Node] = []
    for run, italic in runs:  # a range of years ("1914–1918") kept on one line
        parts = ranges_kept_whole(run)
        out += [nodes.emphasis("", "", *parts)] if italic else parts
    return [nodes.Text("“"), *out, nodes.Text("”")] if label.quoted else out


def bib_entry(env: BuildEnvironment, key: str) -> tuple[str, str] | None:
    """The page and the id of *key*'s entry in the bibliography, if a bibliography lists it."""
    citations = env.get_domain("cite").citations  # type: ignore[attr-defined]
    return next(
        ((c.bibliography_key.docname, c.citation_id) for c in citations if c.key == key), None
    )


def web_pages_doc(env: BuildEnvironment) -> str | None:
    """The page that lists the web pages the edition cites, if one does."""
    lists = env.get_domain("edition").lists  # type: ignore[attr-defined]
    return next((doc for doc, kinds in sorted(lists.items()) if WEB_PAGES in kinds), None)


def link_web_labels_in(node: nodes.Element, builder: Any, docname: str) -> None:
    """Each web source's label under *node* becomes a link to its entry in the list of web
    pages, where the edition has one: a reader of paper finds the page there, by its site,
    with its title and address, which the label does not repeat. Without a list, the label
    links to the page itself and print gives the address after it."""
    listing = web_pages_doc(builder.env)
    if listing is None:
        return
    for link in node.findall(nodes.reference):
        if "ce-weblink" in link["classes"] and not link.get("internal"):
            link["refuri"] = page_link(builder, docname, listing, web_anchor(link["refuri"]))
            link["internal"] = True
            link["printurl"] = ""


def link_bib_labels_in(node: nodes.Element, builder: Any, docname: str) -> None:
    """Each author–year label of ``source_nodes`` under *node* becomes a link to its entry,
    each web source's label to its entry in the list of web pages (``link_web_labels_in``)."""
    link_web_labels_in(node, builder, docname)
    for label in list(node.findall(nodes.inline)):
        target = bib_entry(builder.env, label["bibkey"]) if "bibkey" in label else None
        if target is not None:
            uri = page_link(builder, docname, *target)
            label.replace_self(
                nodes.reference(
                    "", "", *label.children, internal=True, refuri=uri, classes=label["classes"]
                )
            )


def link_bib_labels(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The labels of the lists made at read or resolve time (apparatus, register, chronology),
    and the places in the edition their reasons and comments name."""
    from .places import link_places_in

    link_bib_labels_in(doctree, app.builder, docname)
    link_places_in(doctree, app.builder, docname)


def setup_links(app: Sphinx) -> None:
    app.connect("doctree-resolved", link_bib_labels, priority=800)  # after the back matter's lists
