"""Annotation bodies: short, untrusted MyST, parsed into inline nodes for the notes.

A body may use the markup ``safety.EDITORIAL`` allows (emphasis, links, ``{cite}`` roles, lists,
quotes), parsed with the same syntax the check uses; anything else stops the build before it is
rendered. MyST's renderer has a fixed cost per call
(it builds a throwaway document each time), so the bodies of one layer file are parsed in one
render, split at block breaks. A body whose markup could leak into its neighbours (fences,
block breaks, definitions, headings, anything HTML-like) is parsed on its own. A file whose
bodies have not changed since its page was last read is not parsed again (``parse_bodies``).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils import new_document
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from sphinx import addnodes

from .errors import EditionError
from .filecache import code_fingerprint
from .model import Annotation, Located
from .places import is_pending_place, mark_places, pending_places, place_inline, text_pages
from .safety import EDITORIAL, EDITORIAL_SYNTAX, refusals
from .texts import Manifest
from .typography import educate

#: a MyST block break between two bodies of one render
_BREAK = "+++ ce-body"
#: markup whose effect would not end with its body: fences, block breaks, link or footnote
#: definitions, headings (a section would swallow the bodies after it), anything HTML-like
_LEAKS = re.compile(
    r"^ {0,3}(\+\+\+|```|~~~|:::|\$\$|\[[^\]]*\]:|#{1,6}(\s|$)|=+\s*$|-{2,}\s*$)|<|\[\^",
    re.MULTILINE,
)

_PARSER: list[Any] = []


def _markdown_parser() -> Any:
    """The MyST parser of editorial text (building it costs more than a short body): the
    syntax ``safety`` checks, whatever ``conf.py`` enables for the pages.

    Without MyST's word count: MyST records a render's count as its page's, so the bodies'
    count would replace the text's (and counting them cost 10 ms a build)."""
    if not _PARSER:
        _PARSER.append(create_md_parser(EDITORIAL_SYNTAX, SphinxRenderer).disable("wordcount"))
    return _PARSER[0]


def _render(items: list[Markup], document: nodes.document, batch: bool) -> nodes.document:
    """*items* (of one file) parsed, held to the allowlist, then rendered in one document,
    each followed by a ``_BREAK`` if *batch*: no directive or role outside the allowlist ever
    runs, even if the check was skipped."""
    markdown = "".join(f"{i.text}\n\n{_BREAK}\n\n" for i in items) if batch else items[0].text
    doc = new_document(str(items[0].at.path), document.settings)
    parser = _markdown_parser()
    parser.options["document"] = doc
    env: dict[str, Any] = {}
    tokens = parser.parse(markdown, env)
    if refusals(tokens, EDITORIAL, allow_breaks=batch):
        for item in items:  # name the text that holds it
            refused = refusals(parser.parse(item.text), EDITORIAL)
            if refused:
                raise EditionError(f"{item.at.where()}: {refused[0].message}")
    mark_places(tokens)
    parser.renderer.render(tokens, parser.options, env)
    return doc


def _is_break(node: nodes.Node) -> bool:
    return isinstance(node, nodes.comment) and "block_break" in node["classes"]


@dataclass(frozen=True)
class Markup:
    """One short piece of MyST to parse: a note's body, or a register or chronology text."""

    key: str
    text: str
    at: Located
    id_prefix: str  # for the ids inside it, unique on the page
    note_on: str = ""  # the text a note is on, whose § a link "#p12" goes to


def parse_many(items: Iterable[Markup], document: nodes.document) -> dict[str, list[nodes.Node]]:
    """Each item's parsed blocks, by key; the items of one file are parsed in one render."""
    parsed: dict[str, list[nodes.Node]] = {}
    batches: dict[str, list[Markup]] = {}
    edition = functools.cache(lambda: _edition(document))  # read at the first link, if any
    for item in items:
        if _LEAKS.search(item.text):
            doc = _render([item], document, batch=False)
            parsed[item.key] = _finish(list(doc.children), item.id_prefix)
            pending_places(parsed[item.key], item.note_on, edition)
            educate(parsed[item.key], document)
        else:
            batches.setdefault(str(item.at.path), []).append(item)
    for batch in batches.values():
        doc = _render(batch, document, batch=True)
        groups: list[list[nodes.Node]] = [[]]
        for child in doc.children:
            if _is_break(child):
                groups.append([])
            else:
                groups[-1].append(child)
        if len(groups) != len(batch) + 1:  # never pair a text with its neighbour's nodes
            raise EditionError(
                f"{batch[0].at.where()}: the texts of this file (from {batch[0].key!r} on) "
                "could not be told apart; please report it"
            )
        for item, group in zip(batch, groups, strict=False):
            parsed[item.key] = _finish(group, item.id_prefix)
            pending_places(parsed[item.key], item.note_on, edition)
            educate(parsed[item.key], document)
    return parsed


def _edition(document: nodes.document) -> tuple[Manifest, dict[str, str]]:
    """The manifest, and the page of each text: where a link to a § goes."""
    from .config import get_manifest

    env = document.settings.env
    manifest = get_manifest(env.config, env.srcdir)
    return manifest, text_pages(Path(env.srcdir), manifest)


def parse_bodies(
    annotations: Iterable[Annotation],
    document: nodes.document,
    kept: dict[tuple[str, str], tuple[str, bytes]] | None = None,
) -> dict[str, list[nodes.Node]]:
    """The parsed body of each annotation that has one, by annotation id, and the parsed
    comment of each reading that has one, by ``comment_key``.

    *kept* (the Edition domain's, so it lives in the pickled environment) holds each file's
    parsed bodies from the last time this document was read: a file whose bodies, ids and
    parser settings are all unchanged is unpickled instead of parsed again.
    """
    by_file: dict[Path, list[Markup]] = {}
    for a in annotations:
        by_file.setdefault(a.at.path, []).extend(markups_of(a))
    env = document.settings.env
    settings = code_fingerprint() + json.dumps(
        dataclasses.asdict(EDITORIAL_SYNTAX), sort_keys=True, default=_stable
    )
    parsed: dict[str, list[nodes.Node]] = {}
    for path, items in by_file.items():
        if not items:
            continue
        where = (str(path), env.docname)
        digest = hashlib.sha256(repr((settings, items)).encode()).hexdigest()
        if kept is not None and kept.get(where, ("", b""))[0] == digest:
            parsed.update(pickle.loads(kept[where][1]))
            continue
        fresh = parse_many(items, document)
        if kept is not None:
            kept[where] = (digest, pickle.dumps(_detached(fresh), pickle.HIGHEST_PROTOCOL))
        parsed.update(fresh)
    return parsed


#: what a parsed body may hold to be replaced in a stored doctree (``bodyedits``): nothing that
#: registers anything when its page is read, as a citation or an image does
_PLAIN = (
    nodes.Text,
    nodes.inline,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.subscript,
    nodes.superscript,
)


def is_plain(blocks: list[nodes.Node]) -> bool:
    """Whether parsed *blocks* hold only text, inline markup and external links."""
    for block in blocks:
        for node in block.findall():
            if isinstance(node, nodes.reference):
                if not node.get("refuri", "").startswith(("http://", "https://")):
                    return False
            elif not isinstance(node, _PLAIN):
                return False
    return True


def markups_of(annotation: Annotation) -> list[Markup]:
    """An annotation's body and its readings' comments, as ``parse_many`` takes them."""
    a = annotation
    items = [Markup(a.id, a.body, a.at, f"ed-{a.id}", a.text)] if a.body else []
    for i, reading in enumerate(a.readings, 1):
        if reading.comment:
            key = comment_key(a.id, i)
            items.append(Markup(key, reading.comment, a.at, f"ed-{a.id}-r{i}-comment", a.text))
    return items


def _stable(value: Any) -> Any:
    """Sets in the parser's settings, in an order that does not change between processes."""
    return sorted(value) if isinstance(value, (set, frozenset)) else repr(value)


def comment_key(annotation_id: str, reading: int) -> str:
    """Where ``parse_bodies`` puts the comment of an annotation's *reading* (from 1)."""
    return f"{annotation_id}#r{reading}"


def _detached(parsed: dict[str, list[nodes.Node]]) -> dict[str, list[nodes.Node]]:
    """The parsed bodies without their link to the throwaway document (and its settings)."""
    for blocks in parsed.values():
        for block in blocks:
            for node in block.findall():
                node.document = None
    return parsed


def inline_markups(items: Iterable[Markup], document: nodes.document) -> dict[str, nodes.paragraph]:
    """Register, chronology or sigla descriptions: MyST emphasis and links, one paragraph each.

    Register descriptions are rendered when the pages are written, after citations are
    resolved, so no description may cite (the check says so): its sources go in ``sources``.
    """
    items = list(items)
    parsed = parse_many(items, document)
    out: dict[str, nodes.paragraph] = {}
    for item in items:
        parts = parsed[item.key]
        for part in parts:  # made after references are resolved: linked as lists' places are
            for xref in list(part.findall(is_pending_place)):
                xref.replace_self(place_inline(xref))
        if any(next(part.findall(addnodes.pending_xref), None) for part in parts):
            raise EditionError(
                f"{item.at.where()}: a description cannot cite; put the source in sources"
            )
        para = out[item.key] = nodes.paragraph()
        for part in parts:
            if len(para):
                para += nodes.Text(" ")
            para += list(part.children) if isinstance(part, nodes.inline) else [part]
    return out


def _finish(blocks: list[nodes.Node], id_prefix: str) -> list[nodes.Node]:
    """Make ids unique, paragraphs → inline runs (the markup was held to the allowlist)."""
    holder = nodes.container("", *blocks)
    # docutils' automatic ids (id1, id2…) restart in every render and would repeat on a page
    renamed: dict[str, str] = {}
    for node in holder.findall(nodes.Element):
        for old in node["ids"]:
            renamed[old] = f"{id_prefix}-{old}"
    for node in holder.findall(nodes.Element):
        node["ids"] = [renamed.get(i, i) for i in node["ids"]]
        for attr in ("refid", "backrefs"):
            value = node.get(attr)
            if isinstance(value, str):
                node[attr] = renamed.get(value, value)
            elif isinstance(value, list):
                node[attr] = [renamed.get(v, v) for v in value]
    out: list[nodes.Node] = []
    for block in list(holder.children):
        holder.remove(block)
        if isinstance(block, nodes.paragraph):
            para = nodes.inline("", "", classes=["ce-note-para"])
            para.extend(block.children)
            out.append(para)
        elif not isinstance(block, nodes.system_message):
            out.append(block)
    return out
