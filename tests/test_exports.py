"""annotations.jsonld (W3C Web Annotation) and edition.tei.xml (TEI P5), built with the HTML."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lxml import etree
from pyld import jsonld
from sphinx_critical_edition.check import check_edition

ROOT = Path(__file__).resolve().parent.parent
TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def tei_schema_path() -> Path | None:
    """TEI_SCHEMA, else the shared tei_all.rng beside the repository (always there in CI)."""
    for candidate in (os.environ.get("TEI_SCHEMA"), ROOT.parent / "shared/schemas/tei_all.rng"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


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
    # the text's words are all there: TEI text of the theses equals the transcription's
    theses = root.xpath("//tei:div[@xml:id='text-pulacayo']", namespaces=TEI_NS)[0]
    assert "Against future massacres, armed workers cadres!" in "".join(theses.itertext())


@pytest.fixture(scope="session")
def tei_relaxng() -> etree.RelaxNG:
    path = tei_schema_path()
    if path is None:
        pytest.skip("no TEI schema (set TEI_SCHEMA); structural checks above still ran")
    return etree.RelaxNG(etree.parse(str(path)))


def test_tei_is_valid_against_tei_all(tei: etree._ElementTree, tei_relaxng: etree.RelaxNG) -> None:
    valid = tei_relaxng.validate(tei)
    assert valid, "\n".join(f"{e.line}: {e.message}" for e in list(tei_relaxng.error_log)[:20])
