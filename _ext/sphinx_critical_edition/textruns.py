"""Parsed editorial text as plain runs, to be kept in the Edition domain's records.

An emendation's reason and a reading's comment are parsed on the text's page but shown on
another too (the apparatus): a record keeps them as runs (``["em", "text"]``, ``["link",
"text", uri]``, ``["place", "text", page, id, text]``), which pickle and digest like any plain
data, and makes nodes again there.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

#: inline markup kept by ``text_runs``, and how ``runs_to_nodes`` makes it again
_RUN_NODES: dict[str, type[nodes.TextElement]] = {
    "em": nodes.emphasis,
    "strong": nodes.strong,
    "code": nodes.literal,
}


def text_runs(blocks: list[nodes.Node]) -> list[list[str]]:
    """Parsed text as plain runs (``["em", "text"]``, ``["link", "text", uri]``…), to be kept
    in the domain's records and made into nodes again on another page (``runs_to_nodes``)."""
    runs: list[list[str]] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            runs.append(["text", str(node)])
        elif isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite":
            runs.append(["cite", node["reftarget"]])  # keys, resolved where the runs are shown
        elif isinstance(node, addnodes.pending_xref) and node.get("reftype") == "place":
            # a place in the edition (``places``): its page, id and text, linked where shown
            target = [node["reftarget"], node["reftargetid"], node.get("edition_text", "")]
            runs.append(["place", node.astext(), *target])
        elif isinstance(node, nodes.reference) and node.get("refuri"):
            runs.append(["link", node.astext(), node["refuri"]])
        elif kind := next((k for k, cls in _RUN_NODES.items() if type(node) is cls), None):
            runs.append([kind, node.astext()])
        else:
            for child in node.children:
                walk(child)

    for i, block in enumerate(blocks):
        if i:
            runs.append(["text", " "])
        walk(block)
    return runs


def runs_to_nodes(runs: list[list[str]], labels: dict[str, str] | None = None) -> list[nodes.Node]:
    """The nodes of ``text_runs``' output again (the apparatus page). A citation becomes its
    works' author–year *labels* in parentheses, linked to their entries by ``links``."""
    out: list[nodes.Node] = []
    for kind, text, *uri in runs:
        if kind == "cite":
            keys = [k.strip() for k in text.split(",") if k.strip()]
            out.append(nodes.Text("("))
            for i, key in enumerate(keys):
                if i:
                    out.append(nodes.Text("; "))
                label = (labels or {}).get(key, key)
                out.append(nodes.inline("", label, classes=["ce-bibref"], bibkey=key))
            out.append(nodes.Text(")"))
        elif kind == "link":
            out.append(nodes.reference("", text, refuri=uri[0]))
        elif kind == "place":  # linked by ``places.link_places_in`` on the page it is shown
            out.append(nodes.inline("", text, classes=["ce-place"], place=list(uri)))
        elif kind in _RUN_NODES:
            out.append(_RUN_NODES[kind]("", text))
        else:
            out.append(nodes.Text(text))
    return out
