"""Readings that no witness attests: the editors' retroversions and conjectures stand under no
siglum, in every output, and the check refuses a reading under a witness nobody has seen."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project
from lxml import etree
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.loader import supplied_segments
from sphinx_critical_edition.model import reading_attribution

ROOT = Path(__file__).resolve().parent.parent
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_reading_stands_under_an_unseen_witness() -> None:
    layer = check_edition(ROOT / "docs").layer
    unseen = {s for s, w in layer.witnesses.items() if w.seen == "none"}
    assert "S" in unseen
    readings = [r for a in layer.annotations for r in a.readings]
    assert not [r for r in readings if unseen & set(r.wit)]
    retroversions = [r for r in readings if r.type == "retroversion"]
    assert len(retroversions) >= 27
    assert all(r.resp and r.cert and not r.wit for r in retroversions)


def test_attribution_labels() -> None:
    assert reading_attribution("retroversion", "editors") == "editors’ retroversion"
    assert reading_attribution("conjecture", "J. Smith") == "conjecture (J. Smith)"


READING = """    readings:
      - text: la Rosca
        lang: es
{fields}"""


def _problems_with_reading(docs: Path, fields: str) -> list[str]:
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n")
        + "\n  - id: x-reading\n    kind: variant\n    quote: everything turns frustrated\n"
        "    resp: editors\n    cert: low\n" + READING.format(fields=fields),
        encoding="utf-8",
    )
    return [str(p) for p in check_edition(docs).problems]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("        wit: [S]\n", "which the editors have not seen (seen: none"),
        (
            "        type: retroversion\n        resp: editors\n        cert: low\n"
            "        wit: [E]\n",
            "remove wit",
        ),
        ("        type: retroversion\n        cert: low\n", "'resp' is a required property"),
        ("        type: conjecture\n        resp: editors\n", "'cert' is a required property"),
    ],
)
def test_the_check_refuses_a_guess_under_a_siglum(
    tmp_path: Path, fields: str, message: str
) -> None:
    docs = copy_project(tmp_path)
    (found,) = _problems_with_reading(docs, fields)
    assert "sagra-starter.yaml:" in found and message in found, found


def test_a_well_formed_retroversion_passes(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    fields = "        type: conjecture\n        resp: editors\n        cert: low\n"
    assert _problems_with_reading(docs, fields) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    seen: none\n", "", "'seen' is a required property"),
        ("    extent: the opening, to the middle of §4\n", "", "'extent' is a required property"),
        ("    seen: none\n", "    seen: some\n", "is not one of"),
    ],
)
def test_a_witness_says_how_much_was_seen(tmp_path: Path, old: str, new: str, message: str) -> None:
    docs = copy_project(tmp_path)
    path = docs / "witnesses.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = [str(p) for p in check_edition(docs).problems if str(p).startswith(str(path))]
    assert found and message in found[0], found


def test_html_labels_a_retroversion_and_gives_it_no_siglum(html_build: Path) -> None:
    article = soup(html_build / "article.html")
    reading = article.find(id="ed-rosca-thread-1-r1")
    assert reading.select_one(".ce-rdg-text").get_text() == "la Rosca"
    assert reading.select_one(".ce-rdg-editorial").get_text() == "editors’ retroversion"
    assert reading.select_one(".ce-wit") is None
    apparatus = soup(html_build / "apparatus.html")
    entries = apparatus.select(".ce-apparatus-entry")
    labelled = [e for e in entries if e.select_one(".ce-rdg-editorial")]
    assert len(labelled) >= 27
    assert all(w.get_text() != "S" for e in entries for w in e.select("strong")), (
        "a reading under S"
    )


def test_a_reading_under_a_source_is_labelled_a_usage(html_build: Path) -> None:
    """A reading no witness has, printed by a source (the term of a law), is labelled "attested
    usage" in its popover and in the apparatus: bare, it read as if that source were a witness
    (review 16). Every reading without a siglum carries a label."""
    article = soup(html_build / "article.html")
    usage = next(
        r
        for r in article.select(".ce-rdg")
        if r.select_one(".ce-rdg-text").get_text() == "directores obreros"
    )
    assert usage.select_one(".ce-rdg-usage").get_text() == "attested usage"
    assert usage.select_one(".ce-rdg-sources") is not None
    for page in ("article.html", "theses.html"):
        for reading in soup(html_build / page).select(".ce-rdg"):
            labels = reading.select(".ce-wit, .ce-rdg-editorial, .ce-rdg-usage")
            assert len(labels) == 1, reading.get_text(" ")
    apparatus = soup(html_build / "apparatus.html")
    assert "directores obreros attested usage" in " ".join(apparatus.get_text(" ").split())


def test_the_list_of_sigla_says_how_much_was_seen(html_build: Path) -> None:
    about = soup(html_build / "about.html")
    seen = {
        dt.get_text(): dt.find_next("dd").select_one(".ce-seen").get_text()
        for dt in about.select("dl.ce-sigla > dt")
    }
    assert seen["S"] == "Not seen by the editors."
    assert seen["E"] == (
        "Seen in full: the transcript; the litci.org page only in its opening (§1–§6)."
    )
    assert seen["WV"] == "Seen in part: the opening, to the middle of §4."


def test_tei_retroversion_has_no_wit_and_says_who(html_build: Path) -> None:
    tei = etree.parse(str(html_build / "edition.tei.xml"))
    ids = set(tei.getroot().xpath("//@xml:id"))
    retro = tei.getroot().findall(f".//{TEI}rdg[@type='retroversion']")
    assert len(retro) >= 27
    for rdg in retro:
        assert rdg.get("wit") is None and rdg.get("cert")
        assert rdg.get("resp", "").lstrip("#") in ids, rdg.get("resp")
    assert not tei.getroot().xpath("//*[local-name()='rdg'][contains(@wit, '#S')]")
    witness = tei.getroot().find(f".//{TEI}witness[@{XML_ID}='S']")
    assert "Not seen by the editors." in "".join(witness.itertext())


def test_jsonld_retroversion_has_no_witness(html_build: Path) -> None:
    data = json.loads((html_build / "annotations.jsonld").read_text(encoding="utf-8"))
    bodies = [
        body
        for item in data["first"]["items"]
        for body in item["body"]
        if isinstance(body, dict) and body.get("edition:readingType")
    ]
    assert len(bodies) >= 27
    for body in bodies:
        assert body["edition:readingType"] in {"retroversion", "conjecture"}
        assert body["edition:resp"] == "editors"
        assert "edition:witness" not in body


def test_a_lemma_quotes_the_edition_text_and_names_the_witness_words(html_build: Path) -> None:
    """Apparatuses quote the edition's text as the lemma: the emendation inside a variant's span
    ("40 hours week" → "40-hour week") is applied, and the witness's wording is said as such."""
    printed = "40-hour week and sliding scale of working hours"
    witness = "40 hours week"  # the emended words only
    apparatus = soup(html_build / "apparatus.html")
    entry = next(
        e
        for e in apparatus.select(".ce-apparatus-entry")
        if e.select_one("a[href$='#ed-a4-t2-hours']")
    )
    assert entry.select_one("em").get_text() == printed
    assert f", witness: “{witness}”\u00a0]" in entry.get_text()  # "]" never opens a line
    # a lemma the edition prints as the witness has it names no witness wording
    plain = [e for e in apparatus.select(".ce-apparatus-entry") if ", witness:" not in e.get_text()]
    assert len(plain) > 20
    theses = soup(html_build / "theses.html")
    box = theses.find(id="ed-a4-t2-hours-rdgs")
    assert box.select_one(".ce-box-label").get_text() == f"Readings of “{printed}”"
    tei = etree.parse(str(html_build / "edition.tei.xml")).getroot()
    app = tei.find(f".//{TEI}app[@{XML_ID}='ed-a4-t2-hours']")
    lem = app.find(f"{TEI}lem")
    assert lem.find(f".//{TEI}orig").text == "40 hours week"  # a regularisation: orig/reg
    assert lem.find(f".//{TEI}reg").text == "40-hour week"


def test_a_supplied_emendations_reason_counts_the_words_it_supplies() -> None:
    """ "A word has dropped out" when two were supplied ("with a", §4) misleads: a reason that
    speaks of one word must supply one word, and one that speaks of words, more than one."""
    layer = check_edition(ROOT / "docs").layer
    checked = 0
    for ann in layer.annotations:
        if ann.kind != "emendation" or ann.type != "supplied" or not ann.corr:
            continue
        runs = supplied_segments(ann.quote, ann.corr) or []
        supplied = len(" ".join(text for is_new, text in runs if is_new).split())
        body = ann.body.lower()
        if re.search(r"\ba word\b|\bone word\b", body):
            assert supplied == 1, (ann.id, supplied, ann.body)
            checked += 1
        if re.search(r"\b(two|three|several|some)? ?words\b", body):
            assert supplied > 1, (ann.id, supplied, ann.body)
            checked += 1
    assert checked >= 1


def test_an_entry_that_repeats_an_earlier_ones_readings_refers_to_it(html_build: Path) -> None:
    """ "Thread" → la Rosca stands in §5, twice in §23 and in §66: readings the same as §5's are
    printed once, the repeats say "as at §5" (§23's first has readings of its own); a lemma twice
    in one paragraph says which occurrence it is in words, never with a superscript figure that
    reads as a note call."""
    apparatus = soup(html_build / "apparatus.html")
    entries = [e for e in apparatus.select(".ce-apparatus-entry") if e.em.get_text() == "“Thread”"]
    texts = [" ".join(e.get_text().split()) for e in entries]
    assert texts[0].startswith("Sagra §5 “Thread” ] la Rosca editors’ retroversion"), texts
    # §23's first "Thread" has readings of its own (other sources): printed in full
    assert texts[1].startswith("Sagra §23 “Thread” (first occurrence) ] la Rosca"), texts[1]
    assert "as at" not in texts[1]
    assert texts[2:] == [
        "Sagra §23 “Thread” (second occurrence) ] as at Sagra §5",
        "Sagra §66 “Thread” ] as at Sagra §5",
    ]
    assert entries[2].select("a")[-1]["href"] == entries[0].a["href"]
    assert not apparatus.select(".ce-apparatus-entry sup")


def test_a_readings_sources_and_the_entrys_are_labelled_apart(html_build: Path) -> None:
    """A reading's own sources follow it ("— source:"); the variant's further sources close the
    entry under another label, without repeating a source a reading already gives."""
    apparatus = soup(html_build / "apparatus.html")
    entries = [" ".join(e.get_text().split()) for e in apparatus.select(".ce-apparatus-entry")]
    assert not [t for t in entries if "Sources:" in t or ". — source" in t]
    # the variant's own source, the agrarian reform decree, is its reading's already: given once
    companies = next(t for t in entries if t.startswith("Sagra §71 “Agricultural Companies”"))
    assert "Further sources" not in companies
    assert companies.count("Bolivia 1953") == 1
    assert any("Further sources: " in t for t in entries)


def test_each_entry_gives_the_argument_its_variant_gives_on_the_page(html_build: Path) -> None:
    """A variant's note (the editors' argument: "Probably Spanish …") is shown with its readings
    on the text's page; the apparatus, which print has instead of the readings' popovers, gives
    it under the entry (review 18: none of some ninety arguments was printed)."""

    def words(element: Any) -> str:
        return " ".join(element.get_text().split())

    apparatus = soup(html_build / "apparatus.html")
    argued = 0
    for page in ("article.html", "theses.html"):
        text = soup(html_build / page)
        for variant in text.select(".ce-app"):
            readings = text.select_one(f"#{variant['id']}-rdgs")
            notes = readings.select(".ce-app-note:not(.ce-app-register)")
            if not notes:
                continue
            argued += 1
            entry = apparatus.select_one(f"#apparatus-{variant['id'].removeprefix('ed-')}")
            shown = entry.find_next_sibling()
            if "as at" in words(entry) and "ce-apparatus-note" not in shown.get("class", []):
                place = entry.select("a")[-1].get_text()  # "as at Sagra §5": that entry's
                earlier = next(
                    e
                    for e in apparatus.select(".ce-apparatus-entry")
                    if e.a.get_text() == place and e.em.get_text() == entry.em.get_text()
                )
                shown = earlier.find_next_sibling()
            assert "ce-apparatus-note" in shown["class"], variant["id"]
            assert words(shown) == words(notes[0]), variant["id"]
    assert argued > 80, argued
