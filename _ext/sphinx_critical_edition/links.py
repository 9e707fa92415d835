"""Links between the edition's pages that also work when every page is one page (PDF)."""

from __future__ import annotations

from typing import Any

from docutils import nodes

SINGLE_PAGE_BUILDERS = {"singlehtml", "pdf"}


def page_link(builder: Any, fromdoc: str, todoc: str, anchor: str) -> str:
    """The href of *anchor* in *todoc* as seen from *fromdoc*."""
    if builder.name in SINGLE_PAGE_BUILDERS:
        return f"#{anchor}"
    return f"{builder.get_relative_uri(fromdoc, todoc)}#{anchor}"


def single_page_fragment(uri: str) -> str:
    """``#document-x#anchor`` (Sphinx's single-page form) → ``#anchor``."""
    if uri.count("#") > 1:
        return "#" + uri.rsplit("#", 1)[1]
    return uri


def source_nodes(sources: tuple[str, ...] | list[str], labels: dict[str, str]) -> list[nodes.Node]:
    """A list of sources for display: bibliography keys by their author–year *labels* (see
    ``citelabels``), URLs as links."""
    out: list[nodes.Node] = []
    for i, source in enumerate(sources):
        if i:
            out.append(nodes.Text("; "))
        if source.startswith("bib:"):
            key = source[4:]
            out.append(nodes.inline("", labels.get(key, key), classes=["ce-bibref"]))
        else:
            out.append(nodes.reference("", source, refuri=source))
    return out
