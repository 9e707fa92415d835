"""Export of the whole edition as one TEI P5 document.

The woven doctree of each text is walked paragraph by paragraph: ``p`` with ``n`` and ``xml:id``,
``app``/``lem``/``rdg``, ``choice`` (``sic``/``corr`` for an error, ``orig``/``reg`` for a
regularisation; TEI Guidelines 3.5.1–3.5.2) followed by the editors' reason (``note
type="reason"``), ``supplied``, editorial and authorial ``note``,
``persName``/``orgName``/``placeName``/``term``. Each annotation's sources are the ``@source`` of
the note that says what the editors claim (or, without one, of the annotation's element); a
citation in a note is a ``ref`` to its ``listBibl`` entry under its author–year label. The header
lists the witnesses, names everyone an ``@resp`` points to and states these conventions
(``editorialDecl``); the back holds the register (``listPerson``/``listOrg``/``listPlace``, terms as
a ``list type="gloss"``; a place marked on the map by another point has that point's coordinates
in a ``location type="marked"`` that names it) and the bibliography (``listBibl``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docutils import nodes
from lxml import etree
from pybtex.database import BibliographyData
from sphinx import addnodes

from .model import EDITORIAL_READINGS, Annotation, EditorialLayer
from .nodes import app, app_note, choice, ed_span, lem, name_ref, rdg, supplied
from .notes import edition_note, edition_noteref
from .paragraphs import paragraph_number
from .textruns import runs_to_nodes
from .texts import TextSpec

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NAME_ELEMENT = {
    "person": "persName",
    "organisation": "orgName",
    "place": "placeName",
    "term": "term",
}
#: the pair of ``choice`` for each emendation type: what the witness has, what the edition reads
#: (an apparent error is ``sic``/``corr``, a non-standard form ``orig``/``reg``)
CHOICE_PAIR = {
    "typo": ("sic", "corr"),
    "name": ("sic", "corr"),
    "supplied": ("sic", "corr"),
    "regularisation": ("orig", "reg"),
}


def _el(
    tag: str, parent: etree._Element | None = None, text: str | None = None, **attrs: str
) -> etree._Element:
    attrs = {
        (f"{{{XML_NS}}}{k[4:]}" if k.startswith("xml_") else k): v for k, v in attrs.items() if v
    }
    if parent is None:
        el = etree.Element(f"{{{TEI_NS}}}{tag}", attrs, nsmap={None: TEI_NS})
    else:
        el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}", attrs)
    if text:
        el.text = text
    return el


def _append_text(el: etree._Element, text: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def _resp(node: nodes.Element) -> dict[str, str]:
    out = {}
    if node.get("resp"):
        out["resp"] = "#" + _idref(node["resp"])
    if node.get("cert"):
        out["cert"] = node["cert"]
    return out


def _pointer(source: str) -> str:
    """A source as a TEI pointer: bibliography keys point into listBibl."""
    return f"#bib-{source[4:]}" if source.startswith("bib:") else source


def _pointers(sources: Iterable[str]) -> str:
    """Sources as the value of ``@source`` (a list of pointers)."""
    return " ".join(_pointer(s) for s in sources)


def _idref(value: str) -> str:
    return "resp-" + "".join(c if c.isalnum() else "-" for c in value.lower())


#: elements whose content is a name or a variant's lemma: a note about words inside one follows
#: the outermost one (as the HTML places the editors' notes), so that the name is the name
_HOLDERS = frozenset({f"{{{TEI_NS}}}{tag}" for tag in (*NAME_ELEMENT.values(), "app", "lem")})


def _outside_names(el: etree._Element) -> etree._Element:
    """Where a note about words in *el* goes: *el*, or the parent of the outermost name or
    ``app`` around it. That one is its parent's last child while its content is written, so the
    note follows it, and the text after it follows the note."""
    while el.tag in _HOLDERS and el.getparent() is not None:
        el = el.getparent()
    return el


class _Inline:
    """Converts the inline content of a woven paragraph to TEI."""

    def __init__(
        self,
        footnotes: dict[str, nodes.footnote],
        spec: TextSpec,
        layer: EditorialLayer,
    ) -> None:
        self.footnotes, self.spec = footnotes, spec
        self.aliases: dict[str, str] = {}  # a paragraph's every id → its xml:id (text_div)
        self.annotations = {a.id: a for a in layer.for_text(spec.key)}
        base = [w.siglum for w in layer.witnesses.values() if w.base]
        self.base_wit = f"#{base[0]}" if base else ""

    def _annotation(self, node: nodes.Element) -> Annotation | None:
        return self.annotations.get(node.get("annotation", ""))

    def _sources(self, node: nodes.Element) -> str:
        """``@source`` for the annotation *node* comes from: its sources as pointers."""
        ann = self._annotation(node)
        return _pointers(ann.sources) if ann else ""

    @staticmethod
    def _citation(el: etree._Element, keys: list[str], parenthetical: bool) -> None:
        """A citation: a ``ref`` to each work's entry, its author–year label written when the
        document is assembled (``_label_citations``), so a kept div never holds a stale one."""
        if parenthetical:
            _append_text(el, "(")
        for i, key in enumerate(keys):
            if i:
                _append_text(el, "; ")
            _el("ref", el, target=f"#bib-{key}")
        if parenthetical:
            _append_text(el, ")")

    def _variant(self, el: etree._Element, node: app) -> None:
        """``app``: the lemma under the base text's siglum; a witness's reading under its
        sigla (``@wit``), or the works that print it (``@source``); a retroversion or conjecture,
        which no witness attests, with ``@type``, ``@resp`` and ``@cert`` and no ``@wit``; what
        the editors say of a reading follows it, a note pointing at it; then their comment on the
        variant."""
        out = _el("app", el, xml_id=node["ids"][0], **_resp(node))
        remark = None  # the editors' comment on the variant
        for child in node.children:
            if isinstance(child, lem):
                self.children(_el("lem", out, wit=self.base_wit), child)
            elif isinstance(child, rdg):
                editorial = child.get("type") in EDITORIAL_READINGS
                _el(
                    "rdg",
                    out,
                    child.astext(),
                    xml_id=child["ids"][0],
                    wit="" if editorial else " ".join(f"#{w}" for w in child.get("wit", [])),
                    source=_pointers(child.get("sources", [])),
                    type=child["type"] if editorial else "",
                    resp=f"#{_idref(child['resp'])}" if editorial else "",
                    xml_lang=child["lang"],
                    cert=child.get("cert", ""),
                )
                if child.get("comment"):
                    note = _el("note", out, type="comment", target=f"#{child['ids'][0]}")
                    for run in runs_to_nodes(child["comment"]):
                        self.node(note, run)
            elif isinstance(child, app_note):
                note = _el("note", out, type="editorial")
                if remark is None and "ce-app-register" not in child["classes"]:
                    remark = note
                self.children(note, child)
        # the sources of what the editors say: on their comment, or on the app without one
        sources = self._sources(node)
        if sources:
            (out if remark is None else remark).set("source", sources)

    def _emendation(self, el: etree._Element, node: choice) -> None:
        """``choice`` with the pair its type calls for (``CHOICE_PAIR``), then the editors'
        reason, pointing at it. A note call the witness omits is ``supplied``, pointing at the
        author's note, which follows the reason: the note's words are the witness's."""
        calls = [n for n in node[1].children if isinstance(n, nodes.footnote_reference)]
        if node["type"] == "supplied" and not node[0].astext() and calls:  # a note call
            out = _el(
                "supplied",
                el,
                xml_id=node["ids"][0],
                reason="omitted in the witness",
                **_resp(node),
            )
            for call in calls:
                _el("ptr", out, target="#" + self._note_id(call))
        else:
            calls = []
            witness, edition = CHOICE_PAIR.get(node["type"], ("sic", "corr"))
            out = _el("choice", el, xml_id=node["ids"][0])
            self.children(_el(witness, out), node[0])
            self.children(_el(edition, out, type=node["type"], **_resp(node)), node[1])
        sources = self._sources(node)
        runs = node.get("reason_runs", [])
        if runs:
            reason = _el(
                "note",
                _outside_names(el),
                type="reason",
                target=f"#{node['ids'][0]}",
                source=sources,
                **_resp(node),
            )
            for child in runs_to_nodes(runs):
                self.node(reason, child)
        elif sources:
            out.set("source", sources)
        for call in calls:
            self.node(el, call)

    def _note_id(self, call: nodes.footnote_reference) -> str:
        """The ``xml:id`` of the author's note *call* calls."""
        return f"{self.spec.key}-n{self.footnotes[call['refid']][0].astext()}"

    def children(self, el: etree._Element, node: nodes.Element) -> None:
        for child in node.children:
            self.node(el, child)

    def node(self, el: etree._Element, node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            _append_text(el, node.astext())
        elif isinstance(node, (paragraph_number, edition_noteref, nodes.target)):
            return
        elif isinstance(node, app):
            self._variant(el, node)
        elif isinstance(node, choice):
            self._emendation(el, node)
        elif isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite":
            keys = [k.strip() for k in node["reftarget"].split(",") if k.strip()]
            self._citation(el, keys, parenthetical=node.get("reftype") == "p")
        elif _place_id(node):  # a § of a text (``places``): its xml:id in this file
            self.children(_el("ref", el, target="#" + _place_id(node)), node)
        elif isinstance(node, nodes.inline) and node.get("bibkey"):  # a label of runs_to_nodes
            _el("ref", el, target=f"#bib-{node['bibkey']}")
        elif isinstance(node, supplied):
            self.children(_el("supplied", el), node)
        elif isinstance(node, name_ref):
            tag = NAME_ELEMENT[node["entity_type"]]
            out = _el(
                tag,
                el,
                ref=f"#reg-{node['ref']}",
                xml_id=node["ids"][0],
                source=self._sources(node),
            )
            self.children(out, node)
        elif isinstance(node, ed_span):
            self.children(_el("seg", el, xml_id=node["ids"][0]), node)
        elif isinstance(node, edition_note):
            target = "#ed-" + node["annotation"]
            out = _el(
                "note",
                el,
                type="editorial",
                n=node["label"],
                target=target,
                xml_id=node["ids"][0],
                source=self._sources(node),
                **_resp(node),
            )
            self.children(out, node)
        elif isinstance(node, nodes.footnote_reference):
            footnote = self.footnotes.get(node.get("refid", ""))
            if footnote is None:
                return
            out = _el(
                "note",
                el,
                type="authorial",
                place="foot",
                n=footnote[0].astext(),
                xml_id=self._note_id(node),
            )
            for i, para in enumerate(footnote.children[1:]):
                if i:
                    _append_text(out, " ")
                self.children(out, para)
        elif isinstance(node, nodes.emphasis):
            self.children(_el("hi", el, rend="italic"), node)
        elif isinstance(node, nodes.strong):
            self.children(_el("hi", el, rend="bold"), node)
        elif isinstance(node, nodes.reference):
            target = node.get("refuri") or ("#" + node.get("refid", ""))
            if target.startswith("#"):  # a paragraph's other id: the xml:id it has here
                target = "#" + self.aliases.get(target[1:], target[1:])
            self.children(_el("ref", el, target=target), node)
        elif isinstance(node, nodes.Element):
            self.children(el, node)


def _place_id(node: nodes.Node) -> str:
    """The paragraph id a link to a place in the edition goes to, if it goes to a §."""
    if isinstance(node, addnodes.pending_xref) and node.get("edition_text"):
        return str(node["reftargetid"])
    place = node.get("place") if isinstance(node, nodes.inline) else None
    return str(place[1]) if place and place[2] else ""


def text_div(doctree: nodes.document, spec: TextSpec, layer: EditorialLayer) -> etree._Element:
    """One ``div`` for one text: its headings and numbered paragraphs, woven."""
    div = _el("div", type="text", xml_id=f"text-{spec.key}")
    footnotes = {f["ids"][0]: f for f in doctree.findall(nodes.footnote)}
    inline = _Inline(footnotes, spec, layer)
    own = [
        node
        for node in doctree.findall(lambda n: isinstance(n, (nodes.title, nodes.paragraph)))
        if str(spec.transcription) == str(node.source or "")
    ]
    for node in own:
        if "edition_n" in node:
            inline.aliases.update((alias, node["ids"][0]) for alias in node["ids"][1:])
    target = div
    for node in own:
        if isinstance(node, nodes.title):
            target = _el("div", div)
            named = {"xml_id": node["ids"][0]} if "edition_h" in node else {}
            inline.children(_el("head", target, **named), node)
        elif "edition_n" in node:
            p = _el("p", target, n=str(node["edition_n"]), xml_id=node["ids"][0])
            inline.children(p, node)
    return div


def _header(
    title: str, author: str, rights: str, layer: EditorialLayer, bib: BibliographyData
) -> etree._Element:
    header = _el("teiHeader")
    file_desc = _el("fileDesc", header)
    title_stmt = _el("titleStmt", file_desc)
    _el("title", title_stmt, f"{title}: a critical edition")
    _el("author", title_stmt, author)
    for resp in _responsible(layer):  # every @resp points at one of these
        resp_stmt = _el("respStmt", title_stmt, xml_id=_idref(resp))
        _el("resp", resp_stmt, "edited by" if resp == "editors" else "editorial matter by")
        _el("name", resp_stmt, "the editors of the edition" if resp == "editors" else resp)
    _el("p", _el("publicationStmt", file_desc), rights or "No rights statement is given.")
    source = _el("sourceDesc", file_desc)
    base = next((w for w in layer.witnesses.values() if w.base), None)
    _el(
        "bibl",
        source,
        "Transcribed from the received witness"
        + (f" ({base.siglum} below)" if base else "")
        + ", its words unchanged; the transcription adds structure only.",
    )
    list_wit = _el("listWit", source)
    for wit in layer.witnesses.values():
        w = _el("witness", list_wit, xml_id=wit.siglum)
        _append_text(w, f"{wit.description} {wit.seen_text()}")
        if wit.bib and wit.bib in bib.entries:
            _el("ptr", w, target=f"#bib-{wit.bib}")
    _encoding(header)
    return header


def _responsible(layer: EditorialLayer) -> list[str]:
    """Everyone who answers for an annotation or proposes a reading, the editors first."""
    named = {a.resp for a in layer.annotations} | {
        r.resp for a in layer.annotations for r in a.readings if r.type in EDITORIAL_READINGS
    }
    return ["editors", *sorted(named - {"editors", ""})]


def _encoding(header: etree._Element) -> None:
    """The editorial conventions of the body, stated where TEI readers look for them."""
    decl = _el("editorialDecl", _el("encodingDesc", header))
    correction = _el("correction", decl)
    _el(
        "p",
        correction,
        "The witness's words are kept as received. An apparent error is given as a choice of "
        "sic (the witness) and corr (the edition's reading; corr/@type: typo, name or "
        "supplied, words the witness omits marked as supplied); a note call the witness omits "
        "is supplied. Each emendation is followed by the editors' reason, a note of type "
        "reason whose @target is the emendation.",
    )
    _el(
        "p",
        _el("normalization", decl),
        "A regularised form is given as a choice of orig (the witness) and reg (the "
        "edition's reading).",
    )
    _el(
        "p",
        decl,
        "A reading under @wit is what that witness says; a reading no witness attests (the "
        "editors' retroversion of the unseen original, or a conjecture) has @type, @resp and "
        "@cert and no @wit; what the editors say of a reading is a note of type comment whose "
        "@target is the reading. The works or pages an editorial note, reason or apparatus comment "
        "rests on are its @source (entries of the listBibl in the back, or web addresses); "
        "@resp and @cert say who answers for an intervention and how certain it is.",
    )


def _location(place: etree._Element, coordinates: tuple[float, float], marked_at: str) -> None:
    """The place's coordinates; those of a point that stands for it (*marked_at*: a town on a
    lake's shore) as a location of type "marked" that says which point they are, so that no
    reader takes them for the place's own."""
    loc = _el("location", place, type="marked" if marked_at else "")
    if marked_at:
        _el("desc", loc, f"Not the place itself but the point the map marks it at: {marked_at}.")
    _el("geo", loc, f"{coordinates[0]} {coordinates[1]}")


def _back(layer: EditorialLayer, bib: BibliographyData) -> etree._Element:
    back = _el("back")
    groups = {
        "person": _el("listPerson", back),
        "organisation": _el("listOrg", back),
        "place": _el("listPlace", back),
    }
    terms = _el("list", back, type="gloss")
    for entry in sorted(layer.register.values(), key=lambda e: e.id):
        if entry.type == "term":
            _el("label", terms, entry.name, xml_id=f"reg-{entry.id}")
            _el("item", terms, entry.description)
            continue
        tag = {"person": "person", "organisation": "org", "place": "place"}[entry.type]
        el = _el(tag, groups[entry.type], xml_id=f"reg-{entry.id}")
        name_tag = NAME_ELEMENT[entry.type]
        _el(name_tag, el, entry.name)
        for variant in entry.variants:
            _el(name_tag, el, variant, type="variant")
        if entry.coordinates:
            _location(el, entry.coordinates, entry.marked_at)
        _el("note", el, entry.description)
        for scheme, identifier in entry.authority:  # <idno type="wikidata">Q…</idno>
            _el("idno", el, identifier, type=scheme)
    for group in groups.values():
        if not len(group):
            back.remove(group)
    if not len(terms):
        back.remove(terms)
    list_bibl = _el("listBibl", back)
    for key in sorted(bib.entries):
        entry = bib.entries[key]
        b = _el("bibl", list_bibl, xml_id=f"bib-{key}")
        for person in entry.persons.get("author", []):
            _el("author", b, str(person))
        for field, tag in (
            ("title", "title"),
            ("journal", "title"),
            ("publisher", "publisher"),
            ("address", "pubPlace"),
            ("year", "date"),
        ):
            if entry.fields.get(field):
                level = {"title": "m" if entry.type == "book" else "a", "journal": "j"}
                _el(
                    tag,
                    b,
                    str(entry.fields[field]).replace("{", "").replace("}", ""),
                    level=level.get(field, ""),
                )
        if entry.fields.get("url"):
            _el("ptr", b, target=str(entry.fields["url"]))
    return back


def _label_citations(body: etree._Element, labels: dict[str, str]) -> None:
    """Each citation's ``ref`` gets its work's author–year label (``labels``: key → label)."""
    for ref in body.iter(f"{{{TEI_NS}}}ref"):
        target = ref.get("target", "")
        if target.startswith("#bib-") and not len(ref) and not ref.text:
            ref.text = labels.get(target[5:], target[5:])


def tei_document(
    title: str,
    author: str,
    divs: Iterable[etree._Element],
    layer: EditorialLayer,
    bib: BibliographyData,
    labels: dict[str, str],
    language: str = "en",
    rights: str = "",
) -> bytes:
    root = _el("TEI", xml_lang=language)
    root.append(_header(title, author, rights, layer, bib))
    text = _el("text", root)
    body = _el("body", text)
    for div in divs:
        body.append(div)
    _label_citations(body, labels)
    text.append(_back(layer, bib))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


__all__: list[Any] = ["tei_document", "text_div"]
