"""An edit to annotation bodies alone is applied to the page's stored doctree, not re-read.

Re-reading a text's page parses it and weaves all its annotations again: about 0.3 s for the
article, the larger part of a rebuild after a contributor edits one note. Yet most edits change
only what a note, an emendation's reason or a reading's comment says, and those bodies are
parsed on their own (``bodies.parse_many``) and never depend on where they sit. So, before
reading, each text's annotations are compared with what its page was woven from (the Edition
domain's ``woven``):

- anything but bodies changed (a quote, a reading, an annotation added, removed or moved to
  another file): the page is re-read;
- only bodies changed: the new bodies are parsed and put in place in the stored doctree, the
  page's records and TEI div are collected again, and the page is rewritten.

A body that holds more than text, emphasis and external links (a citation registers with the
bibliography when it is read; an image with the page's assets), before or after the edit, makes
its page re-read. Two guards say so: before parsing, the new text may not use a role or a
footnote call (parsing one would register it); after parsing, ``bodies.is_plain`` checks the
nodes (the old body's verdict was kept when the page was woven). A test checks that a rebuild
after body edits equals a clean build.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .bodies import comment_key, is_plain, markups_of, parse_many
from .check import checked_layer
from .domain import EditionDomain, body_digest, collect_annotations, skeleton_digest
from .exports import keep_tei_divs
from .model import Annotation
from .nodes import app, app_note, choice, rdg
from .notes import edition_note
from .textruns import text_runs
from .weaving import emendation_reason, reading_comment

logger = logging.getLogger(__name__)


#: MyST that does something when parsed: a role (``{cite:p}``), a substitution, a footnote call
_ROLE_OR_FOOTNOTE = re.compile(r"\{|\[\^")


class _NotInPlace(Exception):
    """The edit cannot be put in place: the page is read again."""


def _edit_bodies_or_reread(
    app_: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages to read again; pages whose bodies were put in place are kept for rewriting."""
    domain = env.get_domain("edition")
    assert isinstance(domain, EditionDomain)
    layer = checked_layer(env.srcdir).layer
    by_doc: dict[str, list[str]] = {}
    for key, woven in domain.woven.items():
        by_doc.setdefault(woven["docname"], []).append(key)
    reread: list[str] = []
    edited: list[str] = []
    for docname, keys in sorted(by_doc.items()):
        if docname in added | changed | removed or docname not in env.all_docs:
            continue
        edits: dict[str, list[Annotation]] = {}
        for key in keys:
            annotations = layer.for_text(key)
            if skeleton_digest(annotations) != domain.woven[key]["skeleton"]:
                reread.append(docname)
                break
            woven = domain.woven[key]["bodies"]
            edits[key] = [a for a in annotations if body_digest(a) != woven[a.id][0]]
            if not all(woven[a.id][1] for a in edits[key]):  # it held more than plain text
                reread.append(docname)
                break
        else:
            if not any(edits.values()):
                continue
            try:
                _put_in_place(app_, env, domain, docname, edits)
            except _NotInPlace:
                reread.append(docname)
            else:
                edited.append(docname)
    domain.edited_in_place = edited
    return reread


def _put_in_place(
    app_: Sphinx,
    env: BuildEnvironment,
    domain: EditionDomain,
    docname: str,
    edits: dict[str, list[Annotation]],
) -> None:
    doctree = env.get_doctree(docname)
    by_id: dict[str, nodes.Element] = {}
    for node in doctree.findall(nodes.Element):
        if isinstance(node, (edition_note, app, choice)) and "annotation" in node:
            by_id[node["annotation"]] = node
    backup = env.current_document
    env.prepare_settings(docname)  # the parser reads the page's name from here
    try:
        for key, edited in edits.items():
            items = [item for annotation in edited for item in markups_of(annotation)]
            if any(_ROLE_OR_FOOTNOTE.search(item.text) for item in items):
                raise _NotInPlace  # parsing it would register a citation or a footnote call
            bodies = parse_many(items, doctree)
            for annotation in edited:
                _replace(by_id, annotation, bodies)
                domain.woven[key]["bodies"][annotation.id] = (body_digest(annotation), True)
    finally:
        env.current_document = backup
    collect_annotations(app_, docname, doctree)
    keep_tei_divs(app_, docname, doctree)
    env._pickled_doctree_cache.pop(docname, None)
    app_.builder.write_doctree(docname, doctree)
    logger.verbose("%s: edited bodies put in place; the page is not read again", docname)


def _replace(
    by_id: dict[str, nodes.Element], annotation: Annotation, bodies: dict[str, list[nodes.Node]]
) -> None:
    """Put *annotation*'s parsed bodies where weaving put the old ones."""
    if annotation.kind == "entity":  # an entity's body is shown on no page
        return
    node = by_id.get(annotation.id)
    if node is None:
        raise _NotInPlace
    if isinstance(node, edition_note):
        _swap_children(node, bodies[annotation.id])
    elif isinstance(node, app):
        notes = (c for c in node.children if isinstance(c, app_note))
        comment = next((c for c in notes if c["classes"] == ["ce-app-note"]), None)
        if comment is not None:
            _swap_children(comment, bodies[annotation.id])
            node["note_runs"] = text_runs(bodies[annotation.id])  # the apparatus prints it too
        for i, reading in enumerate(r for r in node.children if isinstance(r, rdg)):
            if not is_plain(bodies.get(comment_key(annotation.id, i + 1), [])):
                raise _NotInPlace
            reading["comment"] = reading_comment(bodies, annotation.id, i + 1)
    elif isinstance(node, choice):
        if not is_plain(bodies[annotation.id]):
            raise _NotInPlace
        node.attributes.update(emendation_reason(bodies, annotation.id))


def _swap_children(node: nodes.Element, blocks: list[nodes.Node]) -> None:
    if not is_plain(blocks):
        raise _NotInPlace
    del node[:]
    node.extend(blocks)


def _pages_edited_in_place(app_: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose bodies were put in place are written again."""
    domain = env.get_domain("edition")
    assert isinstance(domain, EditionDomain)
    edited, domain.edited_in_place = domain.edited_in_place, []
    return edited


def setup_body_edits(app_: Sphinx) -> None:
    app_.connect("env-get-outdated", _edit_bodies_or_reread)
    app_.connect("env-get-updated", _pages_edited_in_place, priority=400)  # before the lists
