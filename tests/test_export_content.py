"""The exports say what the layer says: each JSON-LD annotation and each TEI element is compared,
field by field, with the layer record it came from (kind, quote, body, readings and their sigla,
sources, certainty, responsibility).

Records are found by the annotation's id (the ``#ed-ID`` ending of a JSON-LD id, ``xml:id="ed-ID"``
in the TEI), and bodies by what they say, so that absolute ids, more selectors or more body fields
do not break these tests without reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sphinx_critical_edition.anchoring import Span
from sphinx_critical_edition.check import CheckResult, check_edition
from sphinx_critical_edition.citelabels import bib_labels
from sphinx_critical_edition.model import Annotation
from sphinx_critical_edition.places import text_pages
from sphinx_critical_edition.texts import load_manifest
from test_exports import witness_words

ROOT = Path(__file__).resolve().parent.parent
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: the W3C Web Annotation motivation of each kind of annotation
MOTIVATION = {
    "note": "commenting",
    "variant": "describing",
    "emendation": "editing",
    "entity": "identifying",
}
#: the TEI element of each kind of annotation (entities: by register type)
TEI_ELEMENT = {"note": "seg", "variant": "app", "emendation": "choice"}
#: the pair in an emendation's ``choice``, by its type (TEI Guidelines 3.5.1 apparent errors,
#: 3.5.2 regularisation): what the witness has, what the edition reads
CHOICE_PAIR = {
    "typo": ("sic", "corr"),
    "name": ("sic", "corr"),
    "supplied": ("sic", "corr"),
    "regularisation": ("orig", "reg"),
}
#: each work's author–year label, as a citation prints it
LABELS = bib_labels(ROOT / "docs")
MANIFEST = load_manifest(ROOT / "source_texts" / "texts.yaml")
#: which page (docname) holds which text
TEXT_PAGES = text_pages(ROOT / "docs", MANIFEST)
CITE = re.compile(r"\{cite:[pt]\}`([^`]*)`")
NAME_ELEMENT = {
    "person": "persName",
    "organisation": "orgName",
    "place": "placeName",
    "term": "term",
}
#: what holds a name or a lemma only: an emendation's reason follows the outermost one
HOLDERS = {*NAME_ELEMENT.values(), "app", "lem"}


@pytest.fixture(scope="module")
def checked() -> CheckResult:
    result = check_edition(ROOT / "docs")
    assert result.problems == []
    return result


@pytest.fixture(scope="module")
def annotations(checked: CheckResult) -> dict[str, Annotation]:
    found = {a.id: a for a in checked.layer.annotations}
    assert len(found) > 400
    return found


@pytest.fixture(scope="module")
def jsonld_items(html_build: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((html_build / "annotations.jsonld").read_text(encoding="utf-8"))
    items = data["first"]["items"]
    by_id = {item["id"].rsplit("#ed-", 1)[1]: item for item in items}
    assert len(by_id) == len(items), "two annotations share an id"
    return by_id


@pytest.fixture(scope="module")
def tei_root(html_build: Path) -> etree._Element:
    return etree.parse(str(html_build / "edition.tei.xml")).getroot()


@pytest.fixture(scope="module")
def tei_by_id(tei_root: etree._Element) -> dict[str, etree._Element]:
    return {el.get(XML_ID): el for el in tei_root.iter() if el.get(XML_ID)}


def words(text: str) -> str:
    """Letters and digits only, lower case: the text as read, whatever its markup (MyST roles
    and links, emphasis, typographic quotes and dashes) and white space. A citation reads as its
    works' author–year labels."""
    text = CITE.sub(lambda m: "; ".join(LABELS[k.strip()] for k in m[1].split(",")), text)
    text = re.sub(r"\{[\w:-]+\}`([^`<]*?)(?:<[^>]*>)?`", r"\1", text)  # {role}`text` → text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) → text
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def test_every_annotation_is_exported_once(
    annotations: dict[str, Annotation],
    jsonld_items: dict[str, dict[str, Any]],
    tei_by_id: dict[str, etree._Element],
) -> None:
    assert set(jsonld_items) == set(annotations)
    missing = [i for i in annotations if f"ed-{i}" not in tei_by_id]
    assert missing == []


# ------------------------------------------------------------------------------ JSON-LD


def _selector(target: dict[str, Any], kind: str) -> dict[str, Any]:
    (selector,) = [s for s in target["selector"] if s["type"] == kind]
    return selector


def _targets(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An annotation's two targets: its text's HTML page, and the received witness file."""
    (page,) = [t for t in item["target"] if t["source"].endswith(".html")]
    (witness,) = [t for t in item["target"] if "/witness/" in t["source"]]
    return page, witness


def _printed(span: Span, spans: list[Span]) -> str:
    """The span's words as the page prints them: the emendations within it applied (the
    witness's words are what the layer quotes)."""
    text = span.unit.text
    edits = sorted(
        (s.start, s.end, s.annotation.corr)
        for s in spans
        if s.annotation.kind == "emendation"
        and not s.annotation.supplied
        and s.unit is span.unit
        and span.start <= s.start
        and s.end <= span.end
    )
    out, pos = [], span.start
    for start, end, corr in edits:
        out += [text[pos:start], corr]
        pos = end
    return "".join([*out, text[pos : span.end]])


def test_jsonld_annotations_say_what_the_layer_says(
    checked: CheckResult,
    annotations: dict[str, Annotation],
    jsonld_items: dict[str, dict[str, Any]],
    html_build: Path,
) -> None:
    spans = {s.annotation.id: s for s in checked.spans}
    witness_files: dict[str, str] = {}
    for ann_id, item in jsonld_items.items():
        ann = annotations[ann_id]
        where = f"{ann_id} ({ann.at.where()})"
        assert item["type"] == "Annotation", where
        assert item["edition:kind"] == ann.kind, where
        assert item["motivation"] == MOTIVATION[ann.kind], where
        assert item["creator"]["name"] == ann.resp, where
        assert item["edition:cert"] == ann.cert, where
        assert item.get("edition:sources", []) == list(ann.sources), where
        page, witness = _targets(item)
        # the witness file: the quote itself, at its characters
        exact = _selector(witness, "TextQuoteSelector")["exact"]
        assert " ".join(exact.split()) == " ".join(ann.quote.split()), where
        position = _selector(witness, "TextPositionSelector")
        name = witness["source"].rsplit("/witness/", 1)[1]
        if name not in witness_files:
            witness_files[name] = (html_build / "witness" / name).read_text(encoding="utf-8")
        assert witness_files[name][position["start"] : position["end"]] == exact, where
        # the page: the words as printed there, in the § the FragmentSelector names
        on_page = _selector(page, "TextQuoteSelector")
        fragment = _selector(page, "FragmentSelector")
        assert fragment["refinedBy"] == on_page, where
        if ann.supplied:  # a supplied note call: the words it follows
            printed = ann.quote
        elif ann.kind == "emendation":
            printed = ann.corr
        else:
            printed = _printed(spans[ann_id], checked.spans)
        assert " ".join(on_page["exact"].split()) == " ".join(printed.split()), where

        bodies = item["body"]
        main = [b for b in bodies if b.get("format") == "text/markdown"]
        if ann.body:
            # a link to a page of the edition is read away from the site: it is made absolute
            site = page["source"].rsplit("/", 1)[0] + "/"

            # a page's #pN is the paragraph N of the text on that page (places.py: "t3" on the
            # Theses' page)
            def paragraph_on(found: re.Match[str], site: str = site) -> str:
                text = TEXT_PAGES.get(found[1])
                anchor = MANIFEST.text(text).paragraph_id(int(found[2])) if text else f"p{found[2]}"
                return f"]({site}{found[1]}.html#{anchor})"

            body = re.sub(r"\]\(([\w-]+)\.md#p(\d+)\)", paragraph_on, ann.body)
            body = re.sub(r"\]\(([\w-]+)\.md#", rf"]({site}\1.html#", body)
            # a § or a note of the note's own text: on the page of the annotation's text
            prefix = MANIFEST.text(ann.text).paragraph_id(1)[:-1]
            body = re.sub(r"\]\(#p(\d+)\)", rf"]({page['source']}#{prefix}\1)", body)
            body = re.sub(r"\]\(#(ed-note-[\w-]+)\)", rf"]({page['source']}#\1)", body)
            assert [b["value"] for b in main] == [body], where
            assert main[0]["purpose"] == MOTIVATION[ann.kind], where
        else:
            assert main == [], where

        if ann.kind == "emendation":
            (edit,) = [b for b in bodies if "edition:emendationType" in b]
            assert edit["edition:emendationType"] == ann.type, where
            expected = f"[call of note {ann.note_call}]" if ann.note_call else ann.corr
            assert edit["value"] == expected, where

        readings = [b for b in bodies if b not in main and "language" in b]
        assert len(readings) == len(ann.readings), where
        for reading, body in zip(ann.readings, readings, strict=True):
            assert body["value"] == reading.text, where
            assert body["language"] == reading.lang, where
            if reading.wit:
                assert body["edition:witness"] == list(reading.wit), where
            else:
                assert "edition:witness" not in body, where  # no siglum for an unattested one
            assert body.get("edition:sources", []) == list(reading.sources), where
            assert body.get("edition:cert", "") == reading.cert, where
            assert body.get("edition:comment", "") == reading.comment, where

        resources = [b for b in bodies if b.get("type") == "SpecificResource"]
        if ann.kind == "entity":
            (resource,) = resources
            assert resource["source"].endswith(f"#reg-{ann.ref}"), where
        else:
            assert resources == [], where


def test_jsonld_carries_the_sigla_of_every_attested_reading(
    annotations: dict[str, Annotation], jsonld_items: dict[str, dict[str, Any]]
) -> None:
    """Not vacuous: the layer has readings with sigla, and each reaches the JSON-LD."""
    attested = [(a.id, r) for a in annotations.values() for r in a.readings if r.wit]
    assert len(attested) > 5  # the collations (WV, EO) and TP; guesses at S are retroversions
    for ann_id, reading in attested:
        sigla = [
            b["edition:witness"]
            for b in jsonld_items[ann_id]["body"]
            if b.get("value") == reading.text and "edition:witness" in b
        ]
        assert sigla == [list(reading.wit)], ann_id


# ------------------------------------------------------------------------------ TEI


def _tei_element(ann: Annotation, tei_by_id: dict[str, etree._Element], register: dict) -> str:
    if ann.kind == "entity":
        return NAME_ELEMENT[register[ann.ref].type]
    if ann.kind == "emendation" and ann.supplied:
        return "supplied"
    return TEI_ELEMENT[ann.kind]


def _editorial_notes(el: etree._Element, ann_id: str) -> list[etree._Element]:
    """The editorial notes that belong to *el*: inside it (an app's, which point nowhere) or
    pointing at it. A note inside *el* that points at a nested span is that span's."""
    inside = [
        n
        for n in el
        if n.tag == f"{TEI}note" and n.get("type") == "editorial" and n.get("target") is None
    ]
    pointing = (
        el.getroottree()
        .getroot()
        .xpath("//tei:note[@target=$t]", namespaces={"tei": TEI[1:-1]}, t=f"#ed-{ann_id}")
    )
    return inside + pointing


def _resp(who: str) -> str:
    """The ``@resp`` pointer for *who*: the header's ``respStmt`` of that name."""
    return "#resp-" + "".join(c if c.isalnum() else "-" for c in who.lower())


def _pointers(sources: tuple[str, ...]) -> list[str]:
    """Sources as TEI pointers: a bibliography key points to its ``listBibl`` entry."""
    return [f"#bib-{s[4:]}" if s.startswith("bib:") else s for s in sources]


def _cited(body: str) -> list[str]:
    """The bibliography entries a body cites, in order, as TEI pointers."""
    return [f"#bib-{k.strip()}" for m in CITE.finditer(body) for k in m[1].split(",")]


def _reasons(root: etree._Element, ann_id: str) -> list[etree._Element]:
    query = "//tei:note[@type='reason' and @target=$t]"
    return root.xpath(query, namespaces={"tei": TEI[1:-1]}, t=f"#ed-{ann_id}")


def _claim(ann: Annotation, el: etree._Element, root: etree._Element) -> etree._Element:
    """Where the TEI says what the editors claim about *ann*: its note (a note), its reason (an
    emendation), its comment (a variant), else its own element (a name)."""
    if ann.kind == "note":
        (note,) = [n for n in _editorial_notes(el, ann.id) if n.get("n")]
        return note
    if ann.kind == "emendation" and ann.body:
        (reason,) = _reasons(root, ann.id)
        return reason
    if ann.kind == "variant" and ann.body:
        return _app_notes(el)[0]
    return el


def _app_notes(app: etree._Element) -> list[etree._Element]:
    """A variant's notes: the editors' comment on it first, then its register links."""
    return [n for n in app.findall(f"{TEI}note") if n.get("type") == "editorial"]


def test_tei_elements_say_what_the_layer_says(
    checked: CheckResult,
    annotations: dict[str, Annotation],
    tei_by_id: dict[str, etree._Element],
) -> None:
    register = checked.layer.register
    kinds: set[str] = set()
    emendation_pairs: set[tuple[str, str]] = set()
    reading_kinds: set[str] = set()
    commented = 0
    for ann_id, ann in annotations.items():
        el = tei_by_id[f"ed-{ann_id}"]
        where = f"{ann_id} ({ann.at.where()})"
        tag = el.tag.removeprefix(TEI)
        assert tag == _tei_element(ann, tei_by_id, register), where
        kinds.add(ann.kind)
        resp = _resp(ann.resp)

        if ann.kind == "entity":
            assert el.get("ref") == f"#reg-{ann.ref}", where
            app = next(el.iterancestors(f"{TEI}app"), None)
            if app is not None and next(el.iterancestors(f"{TEI}note"), None) is not None:
                # a name on a variant's words, or on words inside its lemma, sits in the
                # variant's notes (the TEI's readings would lose it): it names the entry there
                assert words("".join(el.itertext())) == words(
                    f"Register: {register[ann.ref].name}"
                ), where
                lemma = words(witness_words(app.find(f"{TEI}lem")))
                assert f" {words(ann.quote)} " in f" {lemma} ", where
            else:
                assert words(witness_words(el)) == words(ann.quote), where
        elif ann.kind == "note":
            assert words(witness_words(el)) == words(ann.quote), where
            notes = [n for n in _editorial_notes(el, ann_id) if n.get("n")]
            assert len(notes) == 1, (where, notes)
            note = notes[0]
            assert note.get("resp") == resp and note.get("cert") == ann.cert, where
            assert words("".join(note.itertext())) == words(ann.body), where
        elif ann.kind == "variant":
            assert el.get("resp") == resp and el.get("cert") == ann.cert, where
            (lem,) = el.findall(f"{TEI}lem")
            assert words(witness_words(lem)) == words(ann.quote), where
            rdgs = el.findall(f"{TEI}rdg")
            assert len(rdgs) == len(ann.readings), where
            for i, (reading, rdg) in enumerate(zip(ann.readings, rdgs, strict=True), 1):
                assert words(rdg.text) == words(reading.text), where  # typography aside
                # what the editors say of the reading: a note after it, pointing at it
                assert rdg.get(XML_ID) == f"ed-{ann_id}-r{i}", where
                said = [n for n in el if n.get("target") == f"#ed-{ann_id}-r{i}"]
                expected = [("comment", words(reading.comment))] if reading.comment else []
                assert [(n.get("type"), words("".join(n.itertext()))) for n in said] == expected
                if said:
                    assert said[0].getprevious() is rdg, where
                    commented += 1
                assert rdg.get(XML_LANG) == reading.lang, where
                assert rdg.get("source", "") == " ".join(_pointers(reading.sources)), where
                assert rdg.get("cert", "") == reading.cert, where
                if reading.type in ("retroversion", "conjecture"):  # no witness attests it
                    assert "wit" not in rdg.attrib, where
                    assert rdg.get("type") == reading.type, where
                    assert rdg.get("resp") == _resp(reading.resp) and reading.cert, where
                    reading_kinds.add("editorial")
                else:  # a witness's reading: under its sigla, or the works that print it
                    assert "type" not in rdg.attrib and "resp" not in rdg.attrib, where
                    assert rdg.get("wit", "") == " ".join(f"#{w}" for w in reading.wit), where
                    assert reading.wit or reading.sources, where
                    reading_kinds.add("witness" if reading.wit else "printed")
            if ann.body:
                notes = [n for n in _app_notes(el) if not n.findall(f"{TEI}term")]
                assert [words("".join(n.itertext())) for n in notes][:1] == [words(ann.body)], where
        elif ann.kind == "emendation" and ann.supplied:
            assert el.get("resp") == resp and el.get("cert") == ann.cert, where
            # what is supplied is the call, pointing at the author's note, which follows (after
            # the reason): the note's words are the witness's, not supplied
            note_id = f"{ann.text}-n{ann.note_call}"
            assert [(c.tag, c.get("target")) for c in el] == [(f"{TEI}ptr", f"#{note_id}")], where
            assert not "".join(el.itertext()).strip(), where
            after = [n for n in el.itersiblings() if n.get("type") != "reason"][:1]
            assert [n.get(XML_ID) for n in after] == [note_id], where
        else:  # a correction or a regularisation of the witness's words
            witness, fix = list(el)
            pair = (witness.tag.removeprefix(TEI), fix.tag.removeprefix(TEI))
            assert pair == CHOICE_PAIR[ann.type], where
            assert words(witness_words(witness)) == words(ann.quote), where
            assert fix.get("type") == ann.type, where
            assert fix.get("resp") == resp and fix.get("cert") == ann.cert, where
            assert words("".join(fix.itertext())) == words(ann.corr), where
            emendation_pairs.add(pair)
    assert kinds == set(MOTIVATION)
    assert emendation_pairs == set(CHOICE_PAIR.values())
    assert reading_kinds == {"editorial", "witness", "printed"}
    assert commented > 20


def test_tei_carries_each_emendations_reason(
    annotations: dict[str, Annotation],
    tei_by_id: dict[str, etree._Element],
    tei_root: etree._Element,
) -> None:
    """Each emendation is followed by the editors' reason, a note of type reason that points
    at it, says what the layer's body says (a citation as ``ref``s to its entries, under their
    author–year labels) and carries the emendation's ``@resp`` and ``@cert``."""
    reasons = 0
    for ann_id, ann in annotations.items():
        if ann.kind != "emendation":
            continue
        where = f"{ann_id} ({ann.at.where()})"
        found = _reasons(tei_root, ann_id)
        if not ann.body:
            assert found == [], where
            continue
        (reason,) = found
        # right after it, or after the name or variant it is in (whose content is the name or
        # the lemma alone), past any other reason there
        anchor = tei_by_id[f"ed-{ann_id}"]
        while anchor.getparent().tag.removeprefix(TEI) in HOLDERS:
            anchor = anchor.getparent()
        before = reason.getprevious()
        while before is not anchor and before.get("type") == "reason":
            before = before.getprevious()
        assert before is anchor, where
        assert words("".join(reason.itertext())) == words(ann.body), where
        assert reason.get("resp") == _resp(ann.resp) and reason.get("cert") == ann.cert, where
        refs = [r.get("target") for r in reason.iter(f"{TEI}ref")]
        assert [r for r in refs if r.startswith("#bib-")] == _cited(ann.body), where
        reasons += 1
    assert reasons > 50


def test_tei_notes_cite_works_by_label_never_by_key(
    annotations: dict[str, Annotation], tei_by_id: dict[str, etree._Element]
) -> None:
    """A citation in an editorial note is a ``ref`` to the work's entry under its author–year
    label; the raw key is printed nowhere."""
    cited = 0
    for ann_id, ann in annotations.items():
        if ann.kind != "note":
            continue
        (note,) = [n for n in _editorial_notes(tei_by_id[f"ed-{ann_id}"], ann_id) if n.get("n")]
        refs = [r for r in note.iter(f"{TEI}ref") if r.get("target", "").startswith("#bib-")]
        assert [r.get("target") for r in refs] == _cited(ann.body), ann_id
        for ref in refs:
            assert ref.text == LABELS[ref.get("target")[5:]], ann_id
            cited += 1
        keys = [t[5:] for t in _cited(ann.body)]
        assert not any(key in "".join(note.itertext()) for key in keys), ann_id
    assert cited > 20


def test_tei_carries_each_annotations_sources(
    annotations: dict[str, Annotation],
    tei_by_id: dict[str, etree._Element],
    tei_root: etree._Element,
) -> None:
    """An annotation's sources are the ``@source`` of what the editors say (its note, reason or
    comment; a name's own element), in the layer's order; nothing else of it claims one."""
    with_sources = set()
    for ann_id, ann in annotations.items():
        where = f"{ann_id} ({ann.at.where()})"
        el = tei_by_id[f"ed-{ann_id}"]
        claim = _claim(ann, el, tei_root)
        assert claim.get("source", "").split() == _pointers(ann.sources), where
        others = [el, *_editorial_notes(el, ann_id)]
        assert [n for n in others if n is not claim and n.get("source")] == [], where
        if ann.sources:
            with_sources.add(ann.kind)
    assert with_sources == {"note", "variant", "emendation"}


def test_tei_pointers_resolve(tei_root: etree._Element) -> None:
    """Every local pointer (``#id`` in @target, @resp, @source, @ref, @wit) names an element of
    the document: the header names everyone an @resp points at."""
    ids = {el.get(XML_ID) for el in tei_root.iter() if el.get(XML_ID)}
    pointers = [
        (el.tag.removeprefix(TEI), attr, value)
        for el in tei_root.iter()
        for attr in ("target", "resp", "source", "ref", "wit")
        for value in el.get(attr, "").split()
        if value.startswith("#")
    ]
    assert len(pointers) > 1000
    assert [p for p in pointers if p[2][1:] not in ids] == []
