"""The Edition domain: every woven annotation and name occurrence, by document.

Collected when a document is read, merged across parallel readers, and read back by the
generated back matter (apparatus, emendations, register) — sphinx.ext.todo's collect-then-list.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole

from .anchoring import edition_words
from .bodies import comment_key, is_plain
from .config import get_manifest
from .links import page_link
from .model import Annotation, supplied_call
from .nodes import app, choice, name_ref, rdg
from .paragraphs import unit_label
from .places import NOTE_ANCHOR, note_letter, resolve_place


def place_label(paragraph: str, text_title: str) -> str:
    """ "Smith §12", "Smith, note 2", "Smith, heading above §12"."""
    label = unit_label(paragraph)
    return f"{text_title} {label}" if label.startswith("§") else f"{text_title}, {label}"


class EditionDomain(Domain):
    name = "edition"
    label = "Critical edition"
    #: ``{edition:note}`ID``` on a page of prose: a link to the editors' note ID, "note w (§1)"
    roles = {"note": XRefRole(warn_dangling=True)}  # noqa: RUF012
    initial_data: dict[str, Any] = {  # noqa: RUF012
        "records": {},
        "names": {},
        "texts": {},
        "lists": {},  # docname → the generated lists it shows ("apparatus", "register"…)
        "digests": {},  # generated list → a digest of what it showed when last written
        "tei": {},  # text key → its TEI div, serialised when its page was read
        "parsed_bodies": {},  # (annotation file, docname) → (digest, its parsed note bodies)
        "woven": {},  # text key → what its page was woven from (see ``note_woven``)
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: pages whose edited bodies ``bodyedits`` put in place during this build (not kept)
        self.edited_in_place: list[str] = []

    @property
    def records(self) -> dict[str, dict[str, Any]]:
        """annotation id → a plain record (kind, docname, anchor, lemma, readings…)."""
        return self.data["records"]

    @property
    def names(self) -> dict[str, list[dict[str, Any]]]:
        """register id → occurrences."""
        return self.data["names"]

    @property
    def texts(self) -> dict[str, str]:
        """text key → the document that holds it."""
        return self.data["texts"]

    def texts_on(self, docname: str) -> list[str]:
        """The keys of the texts held by *docname*."""
        return [key for key, doc in self.texts.items() if doc == docname]

    @property
    def lists(self) -> dict[str, list[str]]:
        """docname → the generated lists (back matter) placed in it."""
        return self.data["lists"]

    def note_list(self, docname: str, what: str) -> None:
        """*docname* shows the generated list *what*, built from this domain at write time."""
        kinds = self.lists.setdefault(docname, [])
        if what not in kinds:
            kinds.append(what)

    @property
    def tei(self) -> dict[str, bytes]:
        """text key → its TEI ``div``, made from the woven doctree when it was read."""
        return self.data["tei"]

    @property
    def parsed_bodies(self) -> dict[tuple[str, str], tuple[str, bytes]]:
        """Kept across re-reads of a page (unlike the rest), to spare parsing unchanged bodies."""
        return self.data["parsed_bodies"]

    @property
    def woven(self) -> dict[str, dict[str, Any]]:
        """text key → ``docname``, ``skeleton`` (a digest of everything but the bodies) and
        ``bodies`` (annotation id → a digest of its body and comments, and whether they were
        plain): what ``bodyedits`` compares with the layer before reading."""
        return self.data["woven"]

    def note_woven(
        self,
        text: str,
        docname: str,
        annotations: list[Annotation],
        bodies: dict[str, list[nodes.Node]],
    ) -> None:
        """What *text*'s page was woven from. Each body is kept as a digest, and whether it held
        only plain text (``bodies.is_plain``): an edit to any other re-reads the page."""
        self.woven[text] = {
            "docname": docname,
            "skeleton": skeleton_digest(annotations),
            "bodies": {
                a.id: (body_digest(a), is_plain(_parsed_texts(a, bodies))) for a in annotations
            },
        }

    def clear_doc(self, docname: str) -> None:
        for key, doc in list(self.texts.items()):
            if doc == docname:
                del self.texts[key]
                self.tei.pop(key, None)
        for key, woven in list(self.woven.items()):
            if woven["docname"] == docname:
                del self.woven[key]
        self.forget_annotations(docname)
        self.lists.pop(docname, None)

    def forget_annotations(self, docname: str) -> None:
        """Drop the records and name occurrences collected from *docname*."""
        for key, record in list(self.records.items()):
            if record["docname"] == docname:
                del self.records[key]
        for _ref, occurrences in self.names.items():
            occurrences[:] = [o for o in occurrences if o["docname"] != docname]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key, doc in otherdata["texts"].items():
            if doc in docnames:
                self.texts[key] = doc
                if key in otherdata["tei"]:
                    self.tei[key] = otherdata["tei"][key]
        for key, woven in otherdata["woven"].items():
            if woven["docname"] in docnames:
                self.woven[key] = woven
        for key, record in otherdata["records"].items():
            if record["docname"] in docnames:
                self.records[key] = record
        for ref, occurrences in otherdata["names"].items():
            self.names.setdefault(ref, []).extend(
                o for o in occurrences if o["docname"] in docnames
            )
        for doc, kinds in otherdata["lists"].items():
            if doc in docnames:
                self.lists[doc] = kinds
        for (path, doc), kept in otherdata["parsed_bodies"].items():
            if doc in docnames:
                self.parsed_bodies[path, doc] = kept

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """A link from editorial text to a place in the edition (``places``), or from a page
        of prose to an editors' note (``{edition:note}``); an unknown note is left unresolved,
        which Sphinx reports (an error under ``-n -W``)."""
        if typ == "note":
            return _note_link(builder, fromdocname, target, node, self.records.get(target))
        if typ != "place":
            return None
        return resolve_place(builder, fromdocname, node, contnode)

    def resolve_any_xref(self, *args: Any) -> list:
        return []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        return []

    def collect(self, docname: str, doctree: nodes.document, text_title: str) -> None:
        for node in doctree.findall(lambda n: isinstance(n, nodes.Element) and "annotation" in n):
            record: dict[str, Any] = {
                "id": node["annotation"],
                "docname": docname,
                "anchor": node["ids"][0] if node["ids"] else "",
                "cert": node.get("cert", ""),
                "resp": node.get("resp", ""),
                "title": text_title,
                "unit": unit_label(_paragraph_of(node)),  # "§12", "note 2", "heading above §12"
                "place": place_label(_paragraph_of(node), text_title),
            }
            if isinstance(node, app):
                record["kind"] = "variant"
                # the lemma is the edition's text (emendations applied), as apparatuses quote it;
                # the witness's own words where an emendation within it changed them
                record["lemma"] = edition_words(node[0])
                record["witness"] = [
                    c[0].astext() for c in node[0].findall(choice) if c[0].astext()
                ]
                record["readings"] = [
                    {
                        "text": r.astext(),
                        "lang": r["lang"],
                        "wit": r.get("wit", []),
                        "type": r.get("type", "witness"),
                        "resp": r.get("resp", ""),
                        "cert": r.get("cert", ""),
                        "comment": r.get("comment", []),
                        "sources": r.get("sources", []),
                    }
                    for r in node.findall(rdg)
                ]
                record["sources"] = node.get("sources", [])  # the variant's own
                record["note"] = node.get("note_runs", [])  # its argument, as runs
            elif isinstance(node, choice):
                record["kind"] = "emendation"
                record["type"] = node["type"]
                record["sic"] = node[0].astext()
                reading = node[1].astext() if len(node) > 1 else ""
                calls = list(node[1].findall(nodes.footnote_reference)) if reading else []
                is_call = bool(calls) and reading == calls[0].astext()  # a supplied call
                record["corr"] = supplied_call(reading) if is_call else reading
                record["reason"] = node.get("reason_runs", [])
                record["sources"] = node.get("sources", [])
            elif isinstance(node, name_ref):
                record["kind"] = "entity"
                variant = next((a for a in _ancestors(node) if isinstance(a, app)), None)
                if variant is not None:  # a name within a lemma is linked from its readings
                    record["anchor"] = variant["ids"][0]
                self.names.setdefault(node["ref"], []).append(
                    {
                        "docname": docname,
                        "anchor": record["anchor"],
                        "place": record["place"],
                        "text": node.astext(),
                    }
                )
            else:
                record["kind"] = "note"
                record["label"] = node.get("label", "")
                record["sources"] = node.get("sources", [])
            self.records[node["annotation"]] = record


def _note_link(
    builder: Any,
    fromdoc: str,
    target: str,
    node: addnodes.pending_xref,
    record: dict[str, Any] | None,
) -> nodes.reference | None:
    """ "note w (§1)" (or the role's own title), linked to the note wherever it is printed."""
    anchor = f"{NOTE_ANCHOR}{target}"
    letter = note_letter(builder, anchor)  # "note w", as a note's own links print it
    if record is None or record.get("kind") != "note" or letter is None:
        return None
    text = node.astext() if node.get("refexplicit") else f"{letter} ({record['unit']})"
    uri = page_link(builder, fromdoc, record["docname"], anchor)
    return nodes.reference(
        "", "", nodes.Text(text), internal=True, refuri=uri, classes=["ce-place"]
    )


def skeleton_digest(annotations: list[Annotation]) -> str:
    """A digest of a text's annotations with their bodies and comments left out (only whether
    each has one is kept), and their line numbers, which no page shows."""

    def fields_but(item: Any, left_out: set[str]) -> tuple[Any, ...]:
        return tuple(
            (f.name, getattr(item, f.name))
            for f in dataclasses.fields(item)
            if f.name not in left_out
        )

    def skeleton(a: Annotation) -> tuple[Any, ...]:
        readings = tuple((fields_but(r, {"comment"}), bool(r.comment)) for r in a.readings)
        bare = fields_but(a, {"at", "body", "readings"})
        return bare, str(a.at.path), bool(a.body), readings

    return hashlib.sha256(repr([skeleton(a) for a in annotations]).encode()).hexdigest()


def _parsed_texts(annotation: Annotation, bodies: dict[str, list[nodes.Node]]) -> list[nodes.Node]:
    """An annotation's parsed body and reading comments."""
    comments = (comment_key(annotation.id, i) for i in range(1, len(annotation.readings) + 1))
    return [*bodies.get(annotation.id, []), *(n for key in comments for n in bodies.get(key, []))]


def body_digest(annotation: Annotation) -> str:
    """A digest of an annotation's body and its readings' comments."""
    texts = (annotation.body, tuple(r.comment for r in annotation.readings))
    return hashlib.sha256(repr(texts).encode()).hexdigest()


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _paragraph_of(node: nodes.Node) -> str:
    parent = node
    while parent is not None:
        if isinstance(parent, nodes.title) and "edition_h" in parent:
            return str(parent["edition_h"])
        if isinstance(parent, nodes.paragraph):
            if "edition_n" in parent:
                return str(parent["edition_n"])
            if isinstance(parent.parent, nodes.footnote):
                return f"n{parent.parent[0].astext()}"
        parent = parent.parent
    return "?"


def _collect(app_: Sphinx, doctree: nodes.document) -> None:
    collect_annotations(app_, app_.env.docname, doctree)


def collect_annotations(app_: Sphinx, docname: str, doctree: nodes.document) -> None:
    """Record the annotations woven into *docname* (anew: earlier records are dropped)."""
    domain = app_.env.get_domain("edition")
    assert isinstance(domain, EditionDomain)
    domain.forget_annotations(docname)
    domain.collect(docname, doctree, _list_title(app_, docname))


def _list_title(app_: Sphinx, docname: str) -> str:
    """How lists (apparatus, emendations, register) name the text on *docname*: "Smith §27"."""
    domain = app_.env.get_domain("edition")
    keys = domain.texts_on(docname)  # type: ignore[attr-defined]
    if len(keys) == 1:
        return get_manifest(app_.config, app_.confdir).text(keys[0]).list_title
    title = app_.env.titles.get(docname)
    return title.astext() if title else docname


def _forget_parsed_bodies_of_the_gone(app_: Sphinx, env: BuildEnvironment) -> None:
    """Parsed bodies are kept across re-reads; those of removed files or pages are dropped."""
    kept = env.get_domain("edition").parsed_bodies  # type: ignore[attr-defined]
    for path, docname in list(kept):
        if docname not in env.all_docs or not Path(path).is_file():
            del kept[path, docname]


def setup_domain(sphinx: Sphinx) -> None:
    sphinx.add_domain(EditionDomain)
    sphinx.connect("doctree-read", _collect)
    sphinx.connect("env-updated", _forget_parsed_bodies_of_the_gone)
