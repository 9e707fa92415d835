"""Generated back matter: the apparatus criticus, the list of emendations, the register, and
the list of sigla.

Each of the first three leaves a placeholder; when every document has been read, the placeholder
is replaced by a list built from the Edition domain (collect, then list). So a page of back
matter is never re-read for an edited annotation: it is rewritten when what its lists show has
changed (a digest per list, compared after reading). The sigla need no collecting: they are
listed from ``docs/witnesses.yaml`` at once, the one place they are kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from .bodies import Markup, inline_markups
from .check import checked_layer
from .citelabels import bib_labels
from .collation import collation_key
from .dependencies import note_layer_dependencies, note_web_sources
from .links import page_link, source_nodes, sources_line
from .loader import REGISTER, WITNESSES
from .model import CERT_TEXT, RegisterEntry, reading_mark
from .paragraphs import HEADING_ABOVE
from .textruns import runs_to_nodes
from .typography import NBSP, educate_text, keep_together, next_sentence

REGISTER_TYPES = {
    "person": "Persons",
    "organisation": "Organisations",
    "place": "Places",
    "term": "Terms",
}


class backmatter_placeholder(nodes.General, nodes.Element):
    """Replaced at resolve time by the generated list."""


class BackmatterDirective(SphinxDirective):
    option_spec: ClassVar = {"type": directives.unchanged}
    what = ""

    def run(self) -> list[nodes.Node]:
        self.env.get_domain("edition").note_list(self.env.docname, self.what)  # type: ignore[attr-defined]
        note_web_sources(self.env)  # the lists print sources
        return [backmatter_placeholder("", what=self.what, type=self.options.get("type", ""))]


class ApparatusDirective(BackmatterDirective):
    what = "apparatus"


class EmendationsDirective(BackmatterDirective):
    what = "emendations"


class RegisterDirective(BackmatterDirective):
    what = "register"

    def run(self) -> list[nodes.Node]:
        note_layer_dependencies(self.env, REGISTER)  # the entries themselves, read when written
        return super().run()


def _link(builder: Any, fromdoc: str, record: dict[str, Any], text: str) -> nodes.reference:
    uri = page_link(builder, fromdoc, record["docname"], record["anchor"])
    return nodes.reference("", text, internal=True, refuri=uri)


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def _readings_key(rec: dict[str, Any]) -> tuple[Any, ...]:
    """What an entry prints after its lemma: entries with the same key say the same thing."""
    readings = tuple(
        tuple((k, str(v)) for k, v in sorted(reading.items())) for reading in rec["readings"]
    )
    return rec["lemma"], tuple(rec.get("witness", [])), readings, tuple(rec.get("sources", []))


def _apparatus(builder: Any, fromdoc: str, records: list[dict[str, Any]]) -> list[nodes.Node]:
    items = nodes.container(classes=["ce-apparatus"])
    # a lemma that occurs more than once in a paragraph says which occurrence it is, in words (a
    # superscript figure would read as a note call): "Thread" (second occurrence)
    repeated = Counter((rec["place"], rec["lemma"]) for rec in records)
    seen: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[Any, ...], dict[str, Any]] = {}  # the entry whose readings a repeat refers to
    for rec in records:
        para = nodes.paragraph(classes=["ce-apparatus-entry"], ids=[f"apparatus-{rec['id']}"])
        para += _link(builder, fromdoc, rec, rec["place"])
        para += nodes.Text(" ")
        para += nodes.emphasis("", rec["lemma"])
        if repeated[rec["place"], rec["lemma"]] > 1:
            seen[rec["place"], rec["lemma"]] += 1
            nth = ORDINALS[seen[rec["place"], rec["lemma"]] - 1]
            para += nodes.inline("", f" ({nth} occurrence)", classes=["ce-occurrence"])
        for i, words in enumerate(rec.get("witness", [])):  # emended within the lemma
            # in quotation marks, not brackets: the words may hold brackets of their own
            para += nodes.Text("; " if i else ", witness: ")
            para += nodes.inline("", f"“{words}”", classes=["ce-rdg-text"])
        para += nodes.Text(f"{NBSP}] ")  # "]" never opens a line
        earlier = first.setdefault(_readings_key(rec), rec)
        if earlier is not rec:  # the same readings and sources: said once, referred to after
            para += nodes.Text("as at ")
            para += _link(builder, fromdoc, earlier, earlier["place"])
        else:
            _readings(builder, para, rec)
        items += para
        if rec.get("note") and (earlier is rec or rec["note"] != earlier.get("note")):
            # the argument, which the text's page gives with the readings
            para["classes"].append("ce-argued")
            note = nodes.paragraph(classes=["ce-apparatus-note"])
            note.extend(runs_to_nodes(rec["note"], bib_labels(builder.env.srcdir)))
            items += note
    return [items] if records else [nodes.paragraph("", "No variants yet.")]


def _readings(builder: Any, para: nodes.paragraph, rec: dict[str, Any]) -> None:
    """*rec*'s readings, each with its siglum or attribution, certainty, comment and sources,
    then the entry's own sources that no reading already gives."""
    cited: set[str] = set()
    for i, reading in enumerate(rec["readings"]):
        if i:
            para += nodes.Text("; ")
        para += nodes.inline("", reading["text"], classes=["ce-rdg-text"])
        sources = reading.get("sources", [])
        mark = reading_mark(
            reading["wit"], reading.get("type", ""), reading.get("resp", ""), sources
        )
        if mark:  # sigla in bold, a label in italics
            cls, text = mark
            para += nodes.Text(" ")
            bold = cls == "ce-wit"
            para += nodes.strong("", text) if bold else nodes.emphasis("", text, classes=[cls])
        if reading["cert"]:
            para += nodes.Text(f" ({CERT_TEXT[reading['cert']]})")
        if reading.get("comment"):
            para += nodes.Text(", ")
            para.extend(runs_to_nodes(reading["comment"]))
        if sources:
            para += nodes.Text(" — source: " if len(sources) == 1 else " — sources: ")
            para.extend(source_nodes(sources, builder.env.srcdir))
            cited.update(sources)
    further = [s for s in rec.get("sources", []) if s not in cited]
    if further:  # the variant's own, after its readings; labelled apart from a reading's
        para += nodes.Text(next_sentence(para.astext()))
        para += sources_line(further, builder.env.srcdir, prefix="Further sources: ")


def _emendations(builder: Any, fromdoc: str, records: list[dict[str, Any]]) -> list[nodes.Node]:
    table = nodes.table(classes=["ce-emendations"])
    group = nodes.tgroup(cols=5)
    table += group
    for width in (2, 2, 2, 1, 5):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for title in ("Place", "As received", "The edition reads", "Type", "Why"):
        row += nodes.entry("", nodes.paragraph("", title))
    head += row
    group += head
    body = nodes.tbody()
    for rec in records:
        row = nodes.row(ids=[f"emendation-{rec['id']}"])
        place = nodes.paragraph()
        place += _link(builder, fromdoc, rec, rec["place"])
        row += nodes.entry("", place)
        row += nodes.entry("", nodes.paragraph("", rec["sic"] or "—"))
        row += nodes.entry("", nodes.paragraph("", rec["corr"]))
        row += nodes.entry("", nodes.paragraph("", rec["type"]))
        reason = runs_to_nodes(rec["reason"], bib_labels(builder.env.srcdir))
        why = nodes.entry("", nodes.paragraph("", "", *reason))
        if rec.get("sources"):
            why += sources_line(rec["sources"], builder.env.srcdir, element=nodes.paragraph)
        row += why
        body += row
    group += body
    return [table] if records else [nodes.paragraph("", "No emendations yet.")]


def register_order(entry: RegisterEntry, heading: str | None = None) -> tuple[tuple[str, str], str]:
    """Alphabetical by headword, accents and case ignored ("Ávila" under A); organisations
    without a leading article ("The …"); a double surname stays one word ("García Márquez").
    With *heading*, the place of a cross-reference to *entry* under that heading."""
    key = collation_key(heading or entry.headword, skip_article=entry.type == "organisation")
    return (key, f"see {heading}" if heading else entry.id)


_QUALIFIED = re.compile(r"^(?P<spelling>.*?)\s*\((?P<qualifiers>[^()]*)\)$")


def merged_variants(variants: Iterable[str]) -> list[str]:
    """Each spelling once, its qualifiers merged: "Durkerley (witness, note 4)" and "Durkerley
    (witness)" are one spelling, printed "Durkerley (witness, note 4)"; first-seen order kept."""
    merged: dict[str, list[str]] = {}
    for variant in variants:
        match = _QUALIFIED.match(variant.strip())
        spelling = match["spelling"] if match else variant.strip()
        qualifiers = merged.setdefault(spelling, [])
        for qualifier in match["qualifiers"].split(",") if match else []:
            if qualifier.strip() and qualifier.strip() not in qualifiers:
                qualifiers.append(qualifier.strip())
    return [f"{s} ({', '.join(q)})" if q else s for s, q in merged.items()]


def _headword(entry: RegisterEntry) -> nodes.term:
    # generated after the smart-quotes pass: educated here, like the rest of the page
    headword = educate_text(entry.headword)
    term = nodes.term("", "", nodes.strong("", headword), ids=[f"reg-{entry.id}"])
    if entry.dates:
        # persons' life dates in brackets; an organisation's "founded …" and any dates after a
        # name that ends in brackets follow a comma: no "(FSTMB) (founded …)"
        bracketed = entry.type == "person" and not headword.endswith(")")
        # a range with an unspaced en dash, as the chronology prints it (the data may space it)
        dates = keep_together(entry.dates.replace(" – ", "–"))
        term += nodes.Text(f" ({dates})" if bracketed else f", {dates}")
    return term


def _occurrences(builder: Any, fromdoc: str, occurrences: list[dict[str, Any]]) -> nodes.paragraph:
    """ "Smith §2, §13; Smith, notes 4, 7; Letters §4": one link per paragraph or note, each
    run of one text's paragraphs or notes naming the text once (``place_runs``)."""
    para = nodes.paragraph(classes=["ce-occurrences"])
    if not occurrences:  # a place kept for the notes, the chronology or the map
        para += nodes.Text("Not named in the texts.")
        return para
    para += nodes.Text("Occurrences: ")
    places: dict[str, tuple[str, str, nodes.Node]] = {}
    for o in sorted(occurrences, key=lambda o: (o["docname"], place_key(o["place"]), o["anchor"])):
        if o["place"] not in places:  # a name said twice in a paragraph is one occurrence
            heading, noun, label = split_place(o["place"])
            places[o["place"]] = (heading, noun, _link(builder, fromdoc, o, label))
    para.extend(place_runs(places.values()))
    return para


def printed_position(latitude: float, longitude: float) -> str:
    """A place's point as a reader reads it: "18.414° S, 66.565° W" (the digits recorded)."""
    north_south = "S" if latitude < 0 else "N"
    east_west = "W" if longitude < 0 else "E"
    return f"{abs(latitude):g}°{NBSP}{north_south}, {abs(longitude):g}°{NBSP}{east_west}"


def _authority(entry: RegisterEntry) -> nodes.paragraph:
    para = nodes.paragraph(classes=["ce-authority"])
    links = entry.authority_links()
    para += nodes.Text("Authority record: " if len(links) == 1 else "Authority records: ")
    for i, (text, uri) in enumerate(links):
        if i:
            para += nodes.Text("; ")
        para += nodes.reference("", text, refuri=uri)
    return para


def _register(
    builder: Any, doctree: nodes.document, fromdoc: str, wanted: str, names: dict[str, list]
) -> list[nodes.Node]:
    layer = checked_layer(builder.env.srcdir).layer
    out: list[nodes.Node] = []
    entries = sorted(
        (entry for entry in layer.register.values() if not wanted or entry.type == wanted),
        key=register_order,
    )
    descriptions = inline_markups(
        (Markup(e.id, e.description, e.at, f"reg-{e.id}-text") for e in entries), doctree
    )
    items: list[tuple[Any, nodes.definition_list_item]] = []
    for entry in entries:
        definition = nodes.definition()
        definition += descriptions[entry.id]
        if entry.variants:
            definition += nodes.paragraph(
                "", "Also written: " + educate_text(", ".join(merged_variants(entry.variants)))
            )
        if entry.coordinates:  # the map's caption sends readers here for them
            definition += nodes.paragraph(
                "", f"Coordinates: {printed_position(*entry.coordinates)}."
            )
        # an entry the texts do not name (kept for the notes, the chronology or the map) says so
        definition += _occurrences(builder, fromdoc, names.get(entry.id, []))
        definition += sources_line(entry.sources, builder.env.srcdir, element=nodes.paragraph)
        if entry.authority:
            definition += _authority(entry)
        items.append(
            (register_order(entry), nodes.definition_list_item("", _headword(entry), definition))
        )
        for heading in entry.see_from:
            items.append((register_order(entry, heading), _see_reference(heading, entry)))
    out.extend(item for _, item in sorted(items, key=lambda pair: pair[0]))
    return [nodes.definition_list("", *out, classes=["ce-register"])]


def _see_reference(heading: str, entry: RegisterEntry) -> nodes.definition_list_item:
    """ "Smith, John — See Doe, Jane": a heading a reader may look under (a pseudonym's real
    name), sending to the entry, at its own place in the order."""
    term = nodes.term("", "", nodes.strong("", educate_text(heading)))
    see = nodes.paragraph(classes=["ce-see"])
    see += nodes.Text("See ")
    see += nodes.reference("", educate_text(entry.headword), internal=True, refid=f"reg-{entry.id}")
    see += nodes.Text(".")
    return nodes.definition_list_item("", term, nodes.definition("", see))


@dataclass(frozen=True)
class GeneratedList:
    """A list of back matter, made once every page has been read."""

    #: (builder, doctree, fromdoc, placeholder) → the list's nodes
    make: Callable[[Any, nodes.document, str, backmatter_placeholder], list[nodes.Node]]
    #: the Edition domain → what the list is built from, besides the layer's files its page
    #: depends on: a digest of it, compared after reading, tells whether the page is rewritten
    shown: Callable[[Any], Any]


#: the generated lists by name (a directive's ``what``); ``add_list`` adds one
LISTS: dict[str, GeneratedList] = {}


def add_list(what: str, make: Callable[..., list[nodes.Node]], shown: Callable[[Any], Any]) -> None:
    LISTS[what] = GeneratedList(make, shown)


def _in_order(domain: Any, kind: str) -> list[dict[str, Any]]:
    """The domain's records of *kind*, in the order of the texts."""
    records = (r for r in domain.records.values() if r["kind"] == kind)
    return sorted(records, key=lambda r: (r["docname"], place_key(r["place"])))


def _make_apparatus(builder: Any, doctree: nodes.document, fromdoc: str, node: Any) -> list:
    return _apparatus(builder, fromdoc, _in_order(builder.env.get_domain("edition"), "variant"))


def _make_emendations(builder: Any, doctree: nodes.document, fromdoc: str, node: Any) -> list:
    records = _in_order(builder.env.get_domain("edition"), "emendation")
    return _emendations(builder, fromdoc, records)


def _make_register(builder: Any, doctree: nodes.document, fromdoc: str, node: Any) -> list:
    names = builder.env.get_domain("edition").names
    return _register(builder, doctree, fromdoc, node["type"], names)


def _records_of(kind: str) -> Callable[[Any], Any]:
    return lambda domain: {key: r for key, r in domain.records.items() if r["kind"] == kind}


def _names_shown(domain: Any) -> Any:
    return {
        ref: sorted(occurrences, key=lambda o: (o["docname"], o["anchor"], o["place"]))
        for ref, occurrences in domain.names.items()
    }


def _resolve(app_: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(backmatter_placeholder)):
        node.replace_self(LISTS[node["what"]].make(app_.builder, doctree, docname, node))


def _lists_to_rewrite(app_: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages of back matter whose lists changed with what was just read."""
    domain = env.get_domain("edition")
    digests = domain.data["digests"]
    changed = set()
    for what, generated in LISTS.items():
        shown = json.dumps(generated.shown(domain), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(shown.encode()).hexdigest()
        if digests.get(what) != digest:
            digests[what] = digest
            changed.add(what)
    return sorted(doc for doc, kinds in domain.lists.items() if changed.intersection(kinds))  # type: ignore[attr-defined]


def split_place(place: str) -> tuple[str, str, str]:
    """A place's heading, noun and label, so that a list names the text once for a run of its
    places: "Smith §12" → ("Smith ", "", "§12"); "Smith, note 5" → ("Smith, ", "note", "5");
    "Smith, heading above §12" → ("Smith ", "", "heading above §12"), in the run of its §§."""
    head, _, label = place.rpartition(" ")
    if head.endswith(HEADING_ABOVE):
        title = head.removesuffix(HEADING_ABOVE).rstrip(", ")
        return (f"{title} " if title else "", "", f"{HEADING_ABOVE} {label}")
    before, _, noun = head.rpartition(" ")
    if label.startswith("§") or noun != "note":
        return (f"{head} " if head else "", "", label)
    return (f"{before} " if before else "", noun, label)


def place_runs(places: Iterable[tuple[str, str, nodes.Node]]) -> list[nodes.Node]:
    """Places in their order, given as (heading, noun, link), each run of one heading and noun
    naming them once: "Smith §4, §21; Smith, notes 5, 8; Letters §2" (the register's
    occurrences, the places that cite a web page). The noun is plural before more than one."""
    runs: list[tuple[str, str, list[nodes.Node]]] = []
    for heading, noun, link in places:
        if runs and runs[-1][:2] == (heading, noun):
            runs[-1][2].append(link)
        else:
            runs.append((heading, noun, [link]))
    out: list[nodes.Node] = []
    for i, (heading, noun, links) in enumerate(runs):
        if i:
            out.append(nodes.Text("; "))
        plural = "s" if len(links) > 1 else ""
        # "note" never ends a line without its number ("Smith, note / 8" once did in print)
        out.append(nodes.Text(f"{heading}{noun}{plural}{NBSP}" if noun else heading))
        for j, link in enumerate(links):
            if j:
                out.append(nodes.Text(", "))
            out.append(link)
    return out


def place_key(place: str) -> tuple[int, int, int]:
    """ "Smith, heading above §12" → (0, 12, 0), "Smith §12" → (0, 12, 1), "Smith, note 5" →
    (1, 5, 0): a text's paragraphs, each after its heading, then its notes."""
    tail = place.rsplit(" ", 1)[-1]
    if tail.startswith("§") and tail[1:].isdigit():
        return (0, int(tail[1:]), 0 if place.endswith(f"{HEADING_ABOVE} {tail}") else 1)
    return (1, int(tail), 0) if tail.isdigit() else (2, 0, 0)


class SiglaDirective(SphinxDirective):
    """The witnesses' sigla as a definition list, each with its bibliography entry."""

    def run(self) -> list[nodes.Node]:
        note_layer_dependencies(self.env, WITNESSES)
        items = nodes.definition_list(classes=["ce-sigla"])
        witnesses = checked_layer(self.env.srcdir).layer.witnesses.values()
        descriptions = inline_markups(
            (Markup(w.siglum, w.description, w.at, f"siglum-{w.siglum}-text") for w in witnesses),
            self.state.document,
        )
        for witness in witnesses:
            definition = descriptions[witness.siglum]
            if witness.bib:  # a checked bibliography key: safe to hand to the cite role
                definition += nodes.Text(" ")
                for cite in self.parse_text_to_nodes(f"{{cite:p}}`{witness.bib}`"):
                    is_para = isinstance(cite, nodes.paragraph)
                    definition.extend(list(cite.children) if is_para else [cite])
            seen = nodes.paragraph("", witness.seen_text(), classes=["ce-seen"])
            items += nodes.definition_list_item(
                "",
                nodes.term("", witness.siglum, ids=[f"siglum-{witness.siglum}"]),
                nodes.definition("", definition, seen),
            )
        return [items]


def setup_backmatter(sphinx: Sphinx) -> None:
    sphinx.add_node(backmatter_placeholder)
    sphinx.add_directive("edition-apparatus", ApparatusDirective)
    sphinx.add_directive("edition-emendations", EmendationsDirective)
    sphinx.add_directive("edition-register", RegisterDirective)
    sphinx.add_directive("edition-sigla", SiglaDirective)
    add_list("apparatus", _make_apparatus, _records_of("variant"))
    add_list("emendations", _make_emendations, _records_of("emendation"))
    add_list("register", _make_register, _names_shown)
    sphinx.connect("doctree-resolved", _resolve)
    sphinx.connect("env-get-updated", _lists_to_rewrite)
