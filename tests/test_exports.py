"""annotations.jsonld (W3C Web Annotation) and edition.tei.xml (TEI P5), built with the HTML."""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_edition
from docutils import nodes
from lxml import etree
from pybtex.database import BibliographyData, Entry
from pyld import jsonld
from sphinx_critical_edition.anchoring import units_of
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.exports import published_address
from sphinx_critical_edition.model import EditorialLayer, Located, RegisterEntry, WitnessSiglum
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.tei import tei_document
from sphinx_critical_edition.texts import Manifest

ROOT = Path(__file__).resolve().parent.parent
TEI = "{http://www.tei-c.org/ns/1.0}"
TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_NS = "http://www.w3.org/XML/1998/namespace"
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


def _jsonld(html_build: Path) -> dict:
    return json.loads((html_build / "annotations.jsonld").read_text(encoding="utf-8"))


def _is_iri(value: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:[^\s]+$", value))


def test_jsonld_has_one_annotation_per_annotation(html_build: Path) -> None:
    data = _jsonld(html_build)
    assert data["type"] == "AnnotationCollection"
    assert "http://www.w3.org/ns/anno.jsonld" in data["@context"]
    items = data["first"]["items"]
    layer = check_edition(ROOT / "docs").layer
    assert sorted(i["id"].split("#ed-")[1] for i in items) == sorted(
        a.id for a in layer.annotations
    )
    for item in items:
        assert item["type"] == "Annotation" and item["motivation"] and item["body"]
        page, witness = item["target"]
        quote, fragment = page["selector"]
        assert quote["type"] == "TextQuoteSelector" and fragment["type"] == "FragmentSelector"
        assert fragment["refinedBy"] == quote, "two descriptions of one segment"
        position, witness_quote = witness["selector"]
        assert position["type"] == "TextPositionSelector"
        assert witness_quote["type"] == "TextQuoteSelector"


def test_jsonld_ids_and_sources_are_iris(html_build: Path) -> None:
    """The model's MUST: ids and sources are IRIs; the page has an id and is part of the
    collection; all under the published address (html_baseurl), the witness file beside it."""
    from sphinx_critical_edition.exports import WITNESS_DIR

    data = _jsonld(html_build)
    base = data["id"].rsplit("/", 1)[0] + "/"
    assert _is_iri(data["id"]) and data["id"] == base + "annotations.jsonld"
    page = data["first"]
    assert page["type"] == "AnnotationPage" and _is_iri(page["id"]) and page["partOf"] == data["id"]
    assert data["total"] == len(page["items"])
    for item in page["items"]:
        assert _is_iri(item["id"]) and item["id"].startswith(base)
        for target in item["target"]:
            assert _is_iri(target["source"]) and target["source"].startswith(base)
        for body in item["body"]:
            if "source" in body:
                assert _is_iri(body["source"]), body
    witness_uri = page["items"][0]["target"][1]["source"]
    published = html_build / witness_uri[len(base) :]
    assert published.parent.name == WITNESS_DIR
    assert published.read_bytes() == (ROOT / "source_texts/witness" / published.name).read_bytes()


def test_jsonld_expands_with_a_json_ld_processor(html_build: Path) -> None:
    """pyld expands the file (the W3C context replaced by the few terms used, offline)."""
    data = _jsonld(html_build)
    offline = {
        "id": "@id",
        "type": "@type",
        "body": {"@id": "http://www.w3.org/ns/oa#hasBody"},
        "value": {"@id": "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"},
        "first": {"@id": "http://www.w3.org/ns/activitystreams#first"},
        "partOf": {"@id": "http://www.w3.org/ns/activitystreams#partOf", "@type": "@id"},
        "items": {"@id": "http://www.w3.org/ns/activitystreams#items", "@container": "@list"},
    }
    data["@context"] = [offline, data["@context"][1]]
    data["first"]["items"] = data["first"]["items"][:20]
    expanded = jsonld.expand(data)  # no base: every id must already be absolute
    terms = {key for node in expanded for key in node}
    assert "http://www.w3.org/ns/activitystreams#first" in terms
    first = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]
    assert first["@id"].endswith("annotations.jsonld#page-1")
    annotation = first["http://www.w3.org/ns/activitystreams#items"][0]["@list"][0]
    assert annotation["@id"].startswith("https://") and "#ed-" in annotation["@id"]
    assert any(key.endswith("#kind") for key in annotation)


def test_jsonld_quotes_the_page_and_the_witness(html_build: Path, manifest) -> None:
    """On the page, the quote is the page's own text (an emendation: its reading) with 32
    characters of context from the page's text; on the witness file, positions and quote are
    its characters."""
    from sphinx_critical_edition.pagetext import page_text

    data = _jsonld(html_build)
    witness = manifest.witness.read()
    pages = {}
    for item in data["first"]["items"]:
        page, on_witness = item["target"]
        name = page["source"].rsplit("/", 1)[1]
        if name not in pages:
            pages[name] = page_text((html_build / name).read_text(encoding="utf-8")).text
        quote = page["selector"][0]
        assert pages[name].count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
        assert len(quote["prefix"]) == 32 and len(quote["suffix"]) == 32, item["id"]
        position, wquote = on_witness["selector"]
        assert witness[position["start"] : position["end"]] == wquote["exact"]
        assert witness[: position["start"]].endswith(wquote["prefix"])
        assert witness[position["end"] :].startswith(wquote["suffix"])
    by_id = {i["id"].split("#ed-")[1]: i for i in data["first"]["items"]}
    rosca_page, rosca_witness = by_id["rosca-thread-1"]["target"]
    assert rosca_page["selector"][0]["exact"] == "“Thread”"
    assert rosca_page["source"].endswith("/article.html")
    assert rosca_page["selector"][1]["value"] == "p5"
    assert rosca_witness["selector"][1]["exact"] == "“Thread”"
    hottschild_page, hottschild_witness = by_id["hottschild"]["target"]
    assert hottschild_page["selector"][0]["exact"] == "Hochschild"  # as the page reads
    assert hottschild_witness["selector"][1]["exact"] == "Hottschild"  # as received
    note2 = by_id["dunkerley-note-2"]["target"][0]["selector"][1]["value"]
    assert note2 == "sagra-n2"


def test_tei_structure(tei: etree._ElementTree, html_build: Path) -> None:
    root = tei.getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    # the rights statement is the edition's (edition_rights), as in the pages' DC.rights
    meta = re.search(
        r'<meta name="DC.rights" content="([^"]+)"', (html_build / "index.html").read_text()
    )
    assert meta is not None
    rights = root.xpath("string(//tei:publicationStmt/tei:p)", namespaces=TEI_NS)
    assert rights == html.unescape(meta[1])
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
    heads = [
        (h.get(f"{{{XML_NS}}}id", "").removeprefix(f"{key}-"), witness_words(h))
        for h in div.xpath(".//tei:head", namespaces=TEI_NS)
    ]
    assert len(paragraphs) > 10
    assert paragraphs == [u for u in units if u[0][0].isdigit()]
    assert notes == [u for u in units if u[0].startswith("n")]
    # each heading is named by the § it stands above, as annotations address it ("h20")
    assert heads and heads == [u for u in units if u[0].startswith("h")]

    titles = [" ".join(t.astext().split()) for t in document.findall(nodes.title)]
    assert [words for _, words in heads] == titles


@pytest.fixture(scope="session")
def tei_relaxng() -> etree.RelaxNG:
    """The shipped tei_all schema, compiled once per session (about 12 s)."""
    return etree.RelaxNG(etree.parse(str(TEI_SCHEMA)))


def test_tei_is_valid_against_tei_all(tei: etree._ElementTree, tei_relaxng: etree.RelaxNG) -> None:
    valid = tei_relaxng.validate(tei)
    assert valid, "\n".join(f"{e.line}: {e.message}" for e in list(tei_relaxng.error_log)[:20])


def _places(root: etree._Element) -> dict[str, etree._Element]:
    return {
        p.get(f"{{{XML_NS}}}id"): p
        for p in root.xpath("//tei:back/tei:listPlace/tei:place", namespaces=TEI_NS)
    }


def test_a_place_marked_by_another_point_says_so_in_tei(
    tei_relaxng: etree.RelaxNG, tmp_path: Path
) -> None:
    """A lake marked on the map at a town of its shore: the town's coordinates are in a
    location of type "marked" that names the point, never in the place's own location."""
    here = Located(tmp_path / "places.yaml", 1)
    lake = RegisterEntry(
        "lake",
        "place",
        "Lake X",
        "A lake.",
        (),
        here,
        coordinates=(-16.0, -68.7),
        marked_at="Town Y, on its eastern shore",
    )
    town = RegisterEntry("town", "place", "Town Z", "A town.", (), here, coordinates=(-17.9, -67.1))
    witness = WitnessSiglum("A", "The received text.", True, here, base=True)
    layer = EditorialLayer(register={"lake": lake, "town": town}, witnesses={"A": witness})
    div = etree.fromstring(f'<div xmlns="{TEI[1:-1]}"><p>Words.</p></div>')
    bib = BibliographyData({"k": Entry("book", {"title": "T", "year": "2000"})})
    root = etree.fromstring(tei_document("T", "A", [div], layer, bib, {}))
    assert tei_relaxng.validate(root.getroottree()), tei_relaxng.error_log
    places = _places(root)
    (marked,) = places["reg-lake"].findall(f"{TEI}location")
    assert marked.get("type") == "marked"
    assert marked.findtext(f"{TEI}desc") == (
        "Not the place itself but the point the map marks it at: Town Y, on its eastern shore."
    )
    assert marked.findtext(f"{TEI}geo") == "-16.0 -68.7"
    (own,) = places["reg-town"].findall(f"{TEI}location")
    assert own.get("type") is None and own.find(f"{TEI}desc") is None
    assert own.findtext(f"{TEI}geo") == "-17.9 -67.1"


def test_tei_places_carry_the_registers_coordinates(tei: etree._ElementTree) -> None:
    """Each place of the register with coordinates has them in the TEI, as its own location or,
    with marked_at (Lake Titicaca at Achacachi), as the point marked; none without."""
    register = check_edition(ROOT / "docs").layer.register
    places = _places(tei.getroot())
    assert places.keys() == {f"reg-{e.id}" for e in register.values() if e.type == "place"}
    for entry in (e for e in register.values() if e.type == "place"):
        locations = places[f"reg-{entry.id}"].findall(f"{TEI}location")
        if not entry.coordinates:
            assert locations == [], entry.id
            continue
        (location,) = locations
        assert location.findtext(f"{TEI}geo") == " ".join(map(str, entry.coordinates)), entry.id
        assert location.get("type") == ("marked" if entry.marked_at else None), entry.id
        desc = location.findtext(f"{TEI}desc")
        assert (entry.marked_at in desc) if entry.marked_at else desc is None, entry.id
    titicaca = places["reg-lake-titicaca"].find(f"{TEI}location")
    assert titicaca.get("type") == "marked" and "Achacachi" in titicaca.findtext(f"{TEI}desc")


def _new_edition_with_line(tmp_path: Path, line: str) -> Path:
    """A new edition (``critical-edition new``) whose home page ends with *line*; its docs."""
    assert main(["new", str(tmp_path / "edition")]) == 0
    index = tmp_path / "edition" / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return index.parent


def test_a_page_links_to_the_published_witness_by_its_path(tmp_path: Path) -> None:
    """``{edition-witness}`` names the witness's copy beside the HTML and links to it; a path
    that is not the published one is an error at its line, naming the right one."""
    docs = _new_edition_with_line(tmp_path, "The copy: {edition-witness}`witness/witness.txt`.")
    (docs / "notes").mkdir()  # a page one folder down links one folder up
    (docs / "notes" / "page.md").write_text(
        "---\norphan: true\n---\n# Notes\n\nAlso {edition-witness}`witness/witness.txt`.\n",
        encoding="utf-8",
    )
    html = Path(build_edition("html", tmp_path / "html", srcdir=docs).outdir)
    received = (docs.parent / "source_texts/witness/witness.txt").read_bytes()
    for page, href in (
        ("index.html", "witness/witness.txt"),
        ("notes/page.html", "../witness/witness.txt"),
    ):
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("a.ce-witness-file")
        assert link.get_text() == "witness/witness.txt" and link.select_one("code")
        assert link["href"] == href
        assert ((html / page).parent / href).read_bytes() == received

    # the PDF does not publish the file: with no address for the site, its page names the
    # file, with no link and no folder of the site
    build_edition("pdf", tmp_path / "pdf", srcdir=docs)
    page = BeautifulSoup(
        (tmp_path / "pdf/pdf/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert not [c for c in page.select("code") if c.get_text() == "witness/witness.txt"]
    code = [c for c in page.select("code") if c.get_text() == "witness.txt"]
    assert code and not page.select("a.ce-witness-file") and code[0].find_parent("a") is None
    # where the site has an address, the PDF prints the copy's: a reader of paper can find it
    site = "https://editors.github.io/edition"
    build_edition("pdf", tmp_path / "pdf2", srcdir=docs, confoverrides={"html_baseurl": site})
    page = BeautifulSoup(
        (tmp_path / "pdf2/pdf/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    address = f"{site}/witness/witness.txt"
    assert [a.get_text() for a in page.select(f'a[href="{address}"]')] == [address]

    index = docs / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("witness.txt`", "old.txt`"))
    with pytest.raises(AssertionError) as failed:
        build_edition("html", tmp_path / "html2", srcdir=docs)
    lines = len(index.read_text(encoding="utf-8").splitlines())
    assert f"index.md:{lines}: ERROR: " in str(failed.value)
    assert "the witness is published as 'witness/witness.txt'" in str(failed.value)


def test_the_witness_is_given_an_address_only_on_a_real_site() -> None:
    """Print gives the witness copy's address where ``html_baseurl`` is a published http(s)
    site; a placeholder, an empty setting or another scheme gives none (the file's name is
    printed instead): "javascript:" would otherwise become a link in the PDF."""
    path = "witness/w.txt"
    assert (
        published_address("https://ed.github.io/e/", path) == "https://ed.github.io/e/witness/w.txt"
    )
    assert published_address("http://ed.org", path) == "http://ed.org/witness/w.txt"
    for base in ("", "https://example.org/e/", "javascript:alert(1)//x.org", "ftp://ed.org/"):
        assert published_address(base, path) is None, base
