"""annotations.jsonld (W3C Web Annotation) and edition.tei.xml (TEI P5), built with the HTML."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from docutils import nodes
from lxml import etree
from pyld import jsonld
from sphinx_critical_edition.anchoring import units_of
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.texts import Manifest

ROOT = Path(__file__).resolve().parent.parent
TEI = "{http://www.tei-c.org/ns/1.0}"
TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}
#: the TEI P5 tei_all schema, shipped with the tests (tests/schemas/README.md)
TEI_SCHEMA = Path(__file__).resolve().parent / "schemas" / "tei_all.rng"
#: what the editors add inside a paragraph: readings, corrections, supplied text, notes
EDITORIAL = ("rdg", "corr", "reg", "supplied", "note")


def witness_words(element: etree._Element) -> str:
    """The witness's words in a TEI element: the editors' readings, corrections, supplied text
    and every note (the author's are compared on their own) left out, white space collapsed."""
    element = copy.deepcopy(element)
    for child in list(element.iter(*(TEI + tag for tag in EDITORIAL))):
        parent = child.getparent()
        if child is element or parent is None:  # inside an element removed already
            continue
        previous = child.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (child.tail or "")
        else:
            parent.text = (parent.text or "") + (child.tail or "")
        parent.remove(child)
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="session")
def tei(html_build: Path) -> etree._ElementTree:
    return etree.parse(str(html_build / "edition.tei.xml"))


def test_jsonld_has_one_annotation_per_annotation(html_build: Path) -> None:
    data = json.loads((html_build / "annotations.jsonld").read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection"
    assert "http://www.w3.org/ns/anno.jsonld" in data["@context"]
    items = data["first"]["items"]
    layer = check_edition(ROOT / "docs").layer
    assert sorted(i["id"].split("#ed-")[1] for i in items) == sorted(
        a.id for a in layer.annotations
    )
    for item in items:
        assert item["type"] == "Annotation" and item["motivation"] and item["body"]
        quote, fragment = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and fragment["type"] == "FragmentSelector"


def test_jsonld_expands_with_a_json_ld_processor(html_build: Path) -> None:
    """pyld expands the file (the W3C context replaced by the few terms used, offline)."""
    data = json.loads((html_build / "annotations.jsonld").read_text(encoding="utf-8"))
    offline = {
        "id": "@id",
        "type": "@type",
        "body": {"@id": "http://www.w3.org/ns/oa#hasBody"},
        "value": {"@id": "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"},
        "first": {"@id": "http://www.w3.org/ns/activitystreams#first"},
        "items": {"@id": "http://www.w3.org/ns/activitystreams#items", "@container": "@list"},
    }
    data["@context"] = [offline, data["@context"][1]]
    data["first"]["items"] = data["first"]["items"][:20]
    expanded = jsonld.expand(data, {"base": "https://example.org/edition/annotations.jsonld"})
    terms = {key for node in expanded for key in node}
    assert "http://www.w3.org/ns/activitystreams#first" in terms
    first = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]
    annotation = first["http://www.w3.org/ns/activitystreams#items"][0]["@list"][0]
    assert annotation["@id"].startswith("https://example.org/edition/article.html#ed-")
    assert any(key.endswith("#kind") for key in annotation)


def test_jsonld_exact_is_the_witness_text(html_build: Path, manifest) -> None:
    data = json.loads((html_build / "annotations.jsonld").read_text(encoding="utf-8"))
    witness = " ".join(manifest.witness.read().split())
    by_id = {i["id"].split("#ed-")[1]: i for i in data["first"]["items"]}
    rosca = by_id["rosca-thread-1"]["target"]
    quote = rosca["selector"][0]
    assert quote["exact"] == "“Thread”"
    assert " ".join((quote["prefix"] + quote["exact"] + quote["suffix"]).split()) in witness
    assert rosca["source"] == "article.html"
    assert rosca["selector"][1]["value"] == "p5"
    note2 = by_id["dunkerley-note-2"]["target"]["selector"][1]["value"]
    assert note2 == "sagra-n2"


def test_tei_structure(tei: etree._ElementTree) -> None:
    root = tei.getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert len(root.xpath("//tei:sourceDesc/tei:listWit/tei:witness", namespaces=TEI_NS)) >= 4
    assert (
        root.xpath(
            "//tei:p[@n='5' and @xml:id='p5']//tei:app/tei:rdg[@type='retroversion']",
            namespaces=TEI_NS,
        )[0].text
        == "la Rosca"
    )
    sic = root.xpath("//tei:choice[tei:sic='Hottschild']/tei:corr", namespaces=TEI_NS)
    assert sic[0].text == "Hochschild"
    assert root.xpath("//tei:persName[@ref='#reg-lechin']", namespaces=TEI_NS)
    assert root.xpath("//tei:placeName[@ref='#reg-pulacayo']", namespaces=TEI_NS)
    assert len(root.xpath("//tei:note[@type='authorial']", namespaces=TEI_NS)) == 24
    assert root.xpath("//tei:note[@type='editorial' and @n='a']", namespaces=TEI_NS)
    assert root.xpath(
        "//tei:back/tei:listPerson/tei:person[@xml:id='reg-lechin']", namespaces=TEI_NS
    )
    assert root.xpath("//tei:back/tei:listPlace/tei:place", namespaces=TEI_NS)
    assert len(root.xpath("//tei:back/tei:listBibl/tei:bibl", namespaces=TEI_NS)) >= 10


@pytest.mark.parametrize("key", ["sagra", "pulacayo"])
def test_tei_text_is_the_transcriptions_words(
    tei: etree._ElementTree, manifest: Manifest, key: str
) -> None:
    """Every heading, numbered paragraph and author's note of the transcription is in the TEI,
    in order, with the witness's words exactly (the editors' matter set aside), and nothing
    else is: the TEI carries the whole text."""
    spec = manifest.text(key)
    document = parse_transcription(spec.transcription)
    (div,) = tei.getroot().xpath(f"//tei:div[@xml:id='text-{key}']", namespaces=TEI_NS)

    units = [(u.key, " ".join(u.text.split())) for u in units_of(document)]
    paragraphs = [
        (p.get("n"), witness_words(p))
        for p in div.xpath(".//tei:p[not(ancestor::tei:note)]", namespaces=TEI_NS)
    ]
    notes = [
        ("n" + n.get("n"), witness_words(n))
        for n in div.xpath(".//tei:note[@type='authorial']", namespaces=TEI_NS)
    ]
    assert len(paragraphs) > 10
    assert paragraphs == [u for u in units if not u[0].startswith("n")]
    assert notes == [u for u in units if u[0].startswith("n")]

    titles = [" ".join(t.astext().split()) for t in document.findall(nodes.title)]
    heads = [witness_words(h) for h in div.xpath(".//tei:head", namespaces=TEI_NS)]
    assert titles and heads == titles


@pytest.fixture(scope="session")
def tei_relaxng() -> etree.RelaxNG:
    """The shipped tei_all schema, compiled once per session (about 12 s)."""
    return etree.RelaxNG(etree.parse(str(TEI_SCHEMA)))


def test_tei_is_valid_against_tei_all(tei: etree._ElementTree, tei_relaxng: etree.RelaxNG) -> None:
    valid = tei_relaxng.validate(tei)
    assert valid, "\n".join(f"{e.line}: {e.message}" for e in list(tei_relaxng.error_log)[:20])
