"""The edition builds to HTML with -W, and the reader finds texts, notes and § anchors."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import build_edition, copy_project
from docutils import nodes
from sphinx_critical_edition.anchoring import units_of
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.citelabels import bib_labels
from sphinx_critical_edition.links import cited_sources, sources_beyond_body
from sphinx_critical_edition.metadata import is_placeholder_address
from sphinx_critical_edition.pagetext import page_text
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.texts import Manifest, load_manifest
from sphinx_critical_edition.typography import (
    NBSP,
    keep_together,
    next_sentence,
    ranges_kept_whole,
)
from sphinx_critical_edition.weaving import letters
from sphinx_critical_edition.weblabels import decoded_url, web_anchor, web_label, web_sources

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def reading_text(node: BeautifulSoup) -> str:
    """What a reader sees in the reading view: no witness forms, popovers, notes or § numbers."""
    node = BeautifulSoup(str(node), "html.parser")
    for hidden in node.select("template, .ce-beside, .ce-note, script"):
        hidden.decompose()
    return " ".join(node.get_text().split())


def template_text(template) -> str:
    """The text a <template> holds (BeautifulSoup leaves it out of get_text, as browsers do)."""
    return BeautifulSoup(template.decode_contents(), "html.parser").get_text()


def paragraph_texts(page: BeautifulSoup) -> dict[str, str]:
    """id → text of every numbered paragraph on a page."""
    found = {}
    for num in page.select("a.ce-pnum"):
        para = num.parent
        found[para["id"]] = num["data-n"] + " " + reading_text(para)
    return found


def reading_texts(name: str, witness: bool = False) -> dict[str, str]:
    """§ id → the paragraph's reading text (its witness words with the emendations applied), or
    its witness words, from the transcription and the layer, independently of the HTML."""
    key = {"article": "sagra", "theses": "pulacayo"}[name]
    spec = load_manifest(ROOT / "source_texts/texts.yaml").text(key)
    by_unit: dict[str, list] = {}
    for span in check_edition(ROOT / "docs").spans:
        if span.annotation.text == key and span.unit.key[0].isdigit():  # a § paragraph
            by_unit.setdefault(span.unit.key, []).append(span)
    texts = {}
    for unit_key, spans in by_unit.items():
        text, pos, parts = spans[0].unit.text, 0, []
        for span in sorted(spans, key=lambda s: s.start):
            ann = span.annotation
            if ann.kind == "emendation" and not ann.supplied:
                parts += [text[pos : span.start], ann.corr]
                pos = span.end
        texts[spec.paragraph_id(unit_key)] = text if witness else "".join([*parts, text[pos:]])
    return texts


@pytest.mark.parametrize("name", ["article", "theses"])
def test_the_page_text_of_a_paragraph_is_its_reading_text(html_build: Path, name: str) -> None:
    """The invariant, on the HTML as written: every § paragraph's text content (what a browser's
    DOM holds: no <template>, no generated content) is its reading text, character for
    character, and no editorial text sits in a paragraph."""
    html = (html_build / f"{name}.html").read_text(encoding="utf-8")
    text = page_text(html)
    expected = reading_texts(name)
    assert len(expected) > 5
    for pid, reading in expected.items():
        assert text.of(pid) == reading, pid
    page = BeautifulSoup(html, "html.parser")
    for para in page.select("p:has(> .ce-pnum)"):
        assert not para.select(".ce-note, .ce-box, .ce-rdg"), para["id"]
        for call in para.select(".ce-noteref, .ce-pnum"):
            assert call.get_text() == "" and (call.get("data-label") or call.get("data-n"))


def test_pages_exist(html_build: Path) -> None:
    for page in ("index", "article", "theses", "bibliography", "about"):
        assert (html_build / f"{page}.html").is_file(), page


def test_both_texts_present(html_build: Path) -> None:
    article = reading_text(soup(html_build / "article.html"))
    assert "The same story has now been repeated with variations in Bolivia" in article
    assert "history from repeating itself again" in article
    assert "Publisher’s preface" in article
    theses = reading_text(soup(html_build / "theses.html"))
    assert "Basic vital salary and sliding scale of wages" in theses
    assert "Against future massacres, armed workers cadres!" in theses
    assert "Campo María Barzola" in theses


def test_author_notes_are_linked_both_ways(html_build: Path) -> None:
    page = soup(html_build / "article.html")
    notes = {n["id"]: n for n in page.select(".ce-beside > .ce-note-author")}
    assert sorted(int(n["data-label"]) for n in notes.values()) == list(range(1, 25))
    calls = page.select("a.ce-noteref-author")
    called = {call["href"].lstrip("#") for call in calls}
    assert len(called) == len(calls)
    for call in calls:
        target = notes[call["href"].lstrip("#")]
        back = target.select_one("a.ce-note-label")
        assert back["href"] == f"#{call['id']}", "the note links back to its call"
        assert target.select_one(".ce-note-para").get_text().strip()
    assert len(called) == 24
    assert page.select("aside.footnote") == [], "no note is left in an end list"
    # The witness has no call for note 1: the editorial layer supplies it, marked as supplied.
    supplied = page.select_one("#sagra-nref1").find_parent(class_="ce-choice-supplied")
    assert supplied is not None and template_text(supplied.find("template")) == ""


def test_note_text_is_the_authors(html_build: Path) -> None:
    page = soup(html_build / "article.html")
    note2 = page.select_one("#sagra-n2").get_text(" ")
    assert "Rebellion in the Veins, Verso, London, 1984, p. 64." in note2


def test_paragraph_anchors(html_build: Path) -> None:
    article = paragraph_texts(soup(html_build / "article.html"))
    theses = paragraph_texts(soup(html_build / "theses.html"))
    assert list(article)[:3] == ["p1", "p2", "p3"]
    assert article["p1"].startswith("1 Between April 9 and 11 of 1952")
    assert article["p2"] == "2 By Alicia Sagra"
    assert article["p14"].startswith("14 The same story has now been repeated")
    assert next(iter(theses)) == "t1"
    assert theses["t1"].startswith("1 In November 1946, at the Pulacayo Congress")
    numbers = [int(re.sub(r"\D", "", pid)) for pid in article]
    assert numbers == list(range(1, len(numbers) + 1))


def test_paragraph_anchors_are_stable_across_builds(html_build: Path, tmp_path: Path) -> None:
    """The § ids are the citation system: a build after the editorial layer changed (a note
    added to §4) gives every paragraph the same id, number and text; ids run p1…pN, t1…tN."""
    docs = copy_project(tmp_path)
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n")
        + "\n  - id: stability-note\n    kind: note\n    quote: The workers’ militias defeated\n"
        "    resp: editors\n    cert: high\n    body: A note added between two builds.\n"
        "    sources: ['bib:dunkerley1984rebellion']\n",
        encoding="utf-8",
    )
    again = Path(build_edition("html", tmp_path / "out", srcdir=docs).outdir)
    assert "A note added between two builds." in (again / "article.html").read_text()
    for page, prefix in (("article.html", "p"), ("theses.html", "t")):
        before = paragraph_texts(soup(html_build / page))
        assert list(before) == [f"{prefix}{n}" for n in range(1, len(before) + 1)]
        assert len(before) >= 10 and all(text.strip() for text in before.values())
        assert paragraph_texts(soup(again / page)) == before


def test_navigation(html_build: Path) -> None:
    index = soup(html_build / "index.html")
    links = {a["href"] for a in index.select("nav a[href]")}
    assert {"article.html", "theses.html", "bibliography.html", "about.html"} <= links
    article = soup(html_build / "article.html")
    assert article.select_one('a[rel="next"], a.right-next')["href"] == "theses.html"


def test_the_footer_credits_no_author_to_the_editors_pages(html_build: Path) -> None:
    """The theme's footer once read "By Alicia Sagra" under the apparatus, the register and the
    bibliography, which are the editors' work, and "© Copyright" beside a CC BY licence; it
    gives the rights statement the PDF prints."""
    for name in ("index", "article", "apparatus", "register", "bibliography"):
        footer = soup(html_build / f"{name}.html").select_one("footer.bd-footer-content")
        text = " ".join(footer.get_text().split())
        assert "By Alicia Sagra" not in text, name
        assert "Editorial matter CC BY 4.0; the rights in the texts stay with" in text, name
        assert "© Copyright" not in text, name


def test_a_supplied_reading_s_reason_opens_without_a_dash(html_build: Path) -> None:
    """Where nothing was received the box's label stands alone above the reason: "Supplied by the
    editors — The witness has no call…" read as a stray dash (review 12)."""
    box = soup(html_build / "article.html").select_one("#ed-note-1-call-why")
    text = " ".join(box.get_text().split())
    assert text.startswith("Supplied by the editors The witness has no call for note 1"), text


def test_pdf_download_link(html_build: Path) -> None:
    """Built without the PDF, the page says so (test_builds checks the link with a PDF)."""
    index = soup(html_build / "index.html")
    assert index.select_one("a.ce-pdf-download") is None
    assert "(not built yet)" in index.select_one(".ce-pdf-missing").get_text()


def test_editorial_layer_is_woven(html_build: Path) -> None:
    page = soup(html_build / "article.html")
    # a variant: the lemma is the witness's word; the Spanish is the editors' retroversion
    app = page.select_one("#ed-rosca-thread-1")
    assert (
        app.get_text() == "“Thread”" and app.select_one("a.ce-lem")["href"] == f"#{app['id']}-rdgs"
    )
    readings = page.select_one(f"#{app['id']}-rdgs")
    assert readings.find_parent(class_="ce-beside") and "la Rosca" in readings.get_text()
    assert readings.select_one(".ce-rdg-editorial").get_text() == "editors’ retroversion"
    assert readings.select_one(".ce-wit") is None
    # an emendation: witness and correction both present, reading shown by default
    choice = page.select_one("#ed-hottschild")
    assert template_text(choice.find("template", class_="ce-other-reading")) == "Hottschild"
    assert choice.select_one(":scope > .ce-corr").get_text() == "Hochschild"
    reason = page.select_one(f"#{choice['aria-details']}")
    assert " ".join(reason.get_text(" ").split()).startswith("As received Hottschild — Misspelt")
    # a name links to its register entry
    name = page.select_one("#ed-lechin-4")
    assert name.name == "a" and name["href"] == "register.html#reg-lechin"
    # editorial notes are lettered, in their own series, with a citation resolved
    calls = [c["aria-label"] for c in _calls_in_reading_order(page, page.select_one("article"))]
    expected = [f"Editors’ note {letters(i)}" for i in range(len(calls))]
    assert len(calls) > 20 and calls == expected, "lettered a, b, c … in reading order"
    note = page.select_one("#ed-note-dunkerley-note-2")
    assert note.select_one("a[href*='bibliography']") is not None


def test_a_note_on_a_heading_is_called_from_the_heading(html_build: Path) -> None:
    """A note on a heading's words is called in the heading and shown right after it; the
    page's contents, its title, the navigation and the search index name the heading by its
    words alone (review 15: the index had "…was managedad")."""
    page = soup(html_build / "article.html")
    heading = page.select_one("h2#sagra-h20")
    assert heading is not None
    call = heading.select_one("a.ce-noteref-editorial")
    assert call is not None and call["href"] == "#ed-note-a1-heading-managed-20"
    assert heading.select_one("#ed-a1-heading-managed-20").get_text() == "managed"
    beside = heading.find_next_sibling()
    assert "ce-beside" in beside["class"]
    assert beside.select_one("#ed-note-a1-heading-managed-20") is not None
    assert heading.get_text().replace("#", "") == "How the revolution was managed"
    index = (html_build / "searchindex.js").read_text(encoding="utf-8")
    assert '"How the revolution was managed"' in index and "managedad" not in index
    for name in ("article.html", "index.html"):
        links = soup(html_build / name).select('a[href$="#how-the-revolution-was-managed"]')
        shown = {a.get_text() for a in links if "headerlink" not in a.get("class", [])}
        assert shown == {"How the revolution was managed"}, name
        assert not any(a.select(".ce-noteref, .ce-note, .ce-anno") for a in links), name


def test_a_name_a_variant_and_an_emendation_on_headings_show(tmp_path: Path) -> None:
    """Every kind of annotation may stand on a heading's words: the name links to the register,
    which lists the place as "heading above §N"; the variant's readings and the emendation's
    reason follow the heading; the page's contents name each heading by the edition's words."""
    docs = copy_project(tmp_path)
    spec = load_manifest(ROOT / "source_texts/texts.yaml").text("sagra")
    heading = {
        u.text: u.key for u in units_of(parse_transcription(spec.transcription)) if u.key[0] == "h"
    }
    militias = heading["The militias and the Armed Forces"]
    mines = heading["The nationalization of mines"]
    cob = heading["The foundation of the COB: dual workers’ power institutionalizes"]
    layer = docs / "annotations" / "sagra-02-p27-to-p54.yaml"
    data = yaml.safe_load(layer.read_text(encoding="utf-8"))

    def common() -> dict:  # a fresh copy each time: YAML would write a shared one as an alias
        return {"resp": "editors", "cert": "medium", "sources": ["bib:sagra2016litci"]}

    reading = {"text": "Fuerzas Armadas", "lang": "es", "type": "retroversion"} | common()
    data["annotations"] += [
        {"id": "t-name", "kind": "entity", "quote": "COB", "paragraph": cob, "ref": "cob"}
        | {"resp": "editors", "cert": "high"},
        {"id": "t-variant", "kind": "variant", "quote": "Armed Forces", "paragraph": militias}
        | {"body": "A test.", "readings": [reading]}
        | common(),
        {"id": "t-emendation", "kind": "emendation", "type": "typo", "quote": "mines"}
        | {"paragraph": mines, "corr": "the mines", "body": "A test."}
        | common(),
    ]
    layer.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = Path(build_edition("html", tmp_path / "build", srcdir=docs).outdir)
    page = soup(out / "article.html")
    name = page.select_one(f"#sagra-{cob} #ed-t-name")
    assert name is not None and name["href"] == "register.html#reg-cob"
    lemma = page.select_one(f"#sagra-{militias} .ce-lem")
    assert lemma is not None and lemma.get_text() == "Armed Forces"
    readings = page.select_one(f"#{lemma['aria-details']}")
    assert readings.find_parent(class_="ce-beside").find_previous_sibling().name == "h2"
    corrected = page.select_one(f"#sagra-{mines} #ed-t-emendation .ce-corr")
    assert corrected is not None and corrected.get_text() == "the mines"
    contents = {a.get_text() for a in page.select("a.reference.internal[href^='#']")}
    assert {"The militias and the Armed Forces", "The nationalization of the mines"} <= contents
    entry = soup(out / "register.html").select_one("dt#reg-cob")
    occurrences = entry.find_next_sibling("dd").get_text()
    # in the run of the article's places, before the paragraph it stands above
    assert f"§10, heading above §{cob[1:]}, §{cob[1:]}" in " ".join(occurrences.split())


def _calls_in_reading_order(page: BeautifulSoup, element) -> list:
    """The editors' calls as a reader meets them: an author's note is read at its call."""
    calls = []
    for call in element.select("a.ce-noteref"):
        if call.find_parent(class_="ce-note-author") and element.name == "article":
            continue  # read with its note, at the note's call
        if "ce-noteref-editorial" in call["class"]:
            calls.append(call)
        elif call.get("id"):  # an author's note: its first call
            calls += _calls_in_reading_order(page, page.select_one(call["href"]))
    return calls


def test_register_lists_occurrences(html_build: Path) -> None:
    page = soup(html_build / "register.html")
    entry = page.select_one("#reg-lechin")
    assert "Lechín Oquendo, Juan" in entry.get_text()
    links = [a["href"] for a in entry.find_next("dd").select(".ce-occurrences a")]
    assert "article.html#ed-lechin-4" in links
    assert all(page.split("#")[0] in {"article.html", "theses.html"} for page in links)
    article = soup(html_build / "article.html")
    for href in links:
        if href.startswith("article.html#"):
            assert article.select_one(f"#{href.split('#')[1]}") is not None, href


def test_apparatus_and_emendations_lists(html_build: Path) -> None:
    page = soup(html_build / "apparatus.html")
    entries = [" ".join(e.get_text(" ").split()) for e in page.select(".ce-apparatus-entry")]
    expected = "§5 “Thread” ] la Rosca editors’ retroversion (probable), from Bolivian usage"
    assert any(expected in e for e in entries), entries
    rows = [
        " | ".join(td.get_text(strip=True) for td in tr.select("td"))
        for tr in page.select("table.ce-emendations tbody tr")
    ]
    assert any("Hottschild | Hochschild | name" in r for r in rows), rows
    # the call of note 1 the editors supply is named as a call, as in annotations.jsonld (a bare
    # "1" in the column read as a number, and print sets the call "[1]": review 9)
    assert any("Sagra §16 | — | [call of note 1] | supplied" in r for r in rows), rows
    lemmas = [e.select_one("em").get_text() for e in page.select(".ce-apparatus-entry")]
    assert "Not evolving so" in lemmas, "a lemma is the text's words only, no call"


def test_a_lemma_repeated_in_a_paragraph_is_numbered(html_build: Path) -> None:
    """§23 translates "la Rosca" as "Thread" twice: its two entries say "first occurrence" and
    "second occurrence", in the order of the text, in words (a superscript figure would read as a
    note call); a lemma met once in its paragraph says nothing."""
    page = soup(html_build / "apparatus.html")
    numbers = {}
    for entry in page.select(".ce-apparatus-entry"):
        place, lemma = entry.select_one("a").get_text(), entry.select_one("em").get_text()
        nth = entry.select_one("em + .ce-occurrence")
        numbers.setdefault((place, lemma), []).append(nth.get_text().strip() if nth else None)
    assert numbers["Sagra §23", "“Thread”"] == ["(first occurrence)", "(second occurrence)"]
    assert numbers["Sagra §5", "“Thread”"] == [None]
    assert all(n == [None] or None not in n for n in numbers.values())
    assert not page.select(".ce-apparatus-entry sup")


def test_the_collated_versions_have_their_own_sigla(html_build: Path) -> None:
    """Other versions, where readable, are collated under their sigla (WV, EO)."""
    page = soup(html_build / "apparatus.html")
    entries = [" ".join(e.get_text(" ").split()) for e in page.select(".ce-apparatus-entry")]
    assert any(
        "their leaders take shelter in different embassies ] seus chefes militares" in e
        and e.rstrip(")").split("embaixadas")[1].strip().startswith("EO")
        for e in entries
    ), entries
    assert any("republished here with edits for clarity) WV" in e for e in entries)


def test_a_reading_shows_its_sources(html_build: Path) -> None:
    """A reading tied to a source, not a siglum, names it, in the popover and the apparatus."""
    popover = soup(html_build / "article.html").select_one("#ed-rosca-thread-1-rdgs")
    rosca = next(r for r in popover.select(".ce-rdg") if "tin-mining oligarchy" in r.get_text())
    link = rosca.select_one(".ce-rdg-sources a")
    url = "https://lis-isl.org/en/2020/10/02/la-revolucion-boliviana-de-1952/"
    assert link["href"] == f"bibliography.html#{web_anchor(url)}"  # its entry, with the address
    assert link["title"] == url and link.get_text() == "lis-isl.org"
    apparatus = soup(html_build / "apparatus.html")
    assert apparatus.select_one(f".ce-apparatus-entry a[title='{url}']")


def test_the_sigla_are_listed_from_the_witnesses_file(html_build: Path) -> None:
    """One place keeps the sigla (docs/witnesses.yaml); the About page lists them from it."""
    sigla = soup(html_build / "about.html").select("dl.ce-sigla dt")
    assert [dt.get_text() for dt in sigla] == ["E", "S", "WV", "EO", "TP"]
    eo = soup(html_build / "about.html").select_one("#siglum-EO").find_next("dd")
    assert "Esquerda Online" in eo.get_text() and eo.select_one("a[href*='bibliography']")


def test_pages_carry_bibliographic_metadata(html_build: Path) -> None:
    article = soup(html_build / "article.html")
    meta = {
        m.get("name") or m.get("property"): m["content"] for m in article.select("meta[content]")
    }
    assert meta["citation_title"] == "The 1952 Bolivian Revolution"
    assert meta["citation_author"] == "Alicia Sagra"
    assert meta["DC.language"] == "en" and meta["og:type"] == "article"
    index = soup(html_build / "index.html")
    title = "The 1952 Bolivian Revolution: a critical edition"  # as in cite.md and CITATION.cff
    assert index.select_one('meta[name="citation_title"]')["content"] == title


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://example.org/sagra-1952-edition/about.html", True),
        ("https://EXAMPLE.com/x", True),
        ("https://edition.invalid/", True),
        ("https://owner.github.io/repository/about.html", False),
        ("https://notexample.org/", False),
    ],
)
def test_a_placeholder_address_is_never_a_pages_canonical_link(
    html_build: Path, url: str, placeholder: bool
) -> None:
    """conf.py's html_baseurl is a placeholder on example.org until the edition has an
    address: the pages then declare no canonical address (the Web Annotations keep their
    documented placeholder ids)."""
    assert is_placeholder_address(url) is placeholder
    for page in ("index", "about", "article"):
        assert soup(html_build / f"{page}.html").find("link", rel="canonical") is None, page


def test_the_search_index_reads_the_figures_labels_apart(html_build: Path) -> None:
    """The timeline's and the map's labels are words of their own in the search index, not
    one run of digits ("1935194019451950…", review 15)."""
    index = (html_build / "searchindex.js").read_text(encoding="utf-8")
    terms = re.findall(r'"([^"]+)":', index)
    assert "titicaca" in terms  # a map label, indexed
    run_together = re.compile(r"(?:(?:19|20)\d\d){2,}[a-z]*")  # two years or more, no space
    assert not [t for t in terms if run_together.fullmatch(t)]


def test_bibliography_is_grouped(html_build: Path) -> None:
    page = soup(html_build / "bibliography.html")
    headings = [h.get_text(strip=True).rstrip("#") for h in page.select("section > h2")]
    assert headings == [
        "The text and its versions",
        "Primary documents",
        "Periodicals",
        "Studies",
        "Web pages",
    ]
    entries = re.findall(r"^@\w+\{", (DOCS / "references.bib").read_text("utf-8"), re.M)
    assert len(page.select(".citation")) == len(entries) > 40  # every entry, once


#: the editors' additions, removed to leave what the witness says (emendations keep their sic)
EDITORIAL = ".ce-pnum, .ce-noteref, .ce-note, .ce-corr, .ce-rdgs, .ce-app-note"


def _witness_view(element) -> str:
    copy = BeautifulSoup(str(element), "html.parser")
    for template in copy.find_all("template"):  # the witness's readings, as the view swaps in
        template.replace_with(BeautifulSoup(template.decode_contents(), "html.parser"))
    for node in copy.select(EDITORIAL):
        node.decompose()
    return " ".join(copy.get_text().split())


@pytest.mark.parametrize(("key", "page"), [("sagra", "article.html"), ("pulacayo", "theses.html")])
def test_the_pages_show_the_witness_words(
    html_build: Path, manifest: Manifest, key: str, page: str
) -> None:
    """End to end: with the editorial matter taken out, every heading, paragraph and author's
    note on the page reads exactly as the transcription (whose words the fidelity tests prove
    are the witness's), so no transform (smart quotes, weaving…) changed a character of the
    text."""
    spec = manifest.text(key)
    units = units_of(parse_transcription(spec.transcription))
    html = soup(html_build / page)
    for unit in units:
        if unit.key.startswith("n"):
            element = html.select_one(f"#{spec.key}-{unit.key}")
            for label in element.select(".ce-note-label"):
                label.decompose()
            for editorial in element.select(".ce-note-editorial"):  # kept by the copy below
                editorial.decompose()
            shown = " ".join(
                _witness_view(part) for part in element.find_all(class_="ce-note-para")
            )
        elif unit.key.startswith("h"):  # its words, without the link to it
            heading = html.select_one(f"#{spec.key}-{unit.key}")
            assert heading is not None and heading.name in ("h1", "h2", "h3"), unit.key
            for link in heading.select(".headerlink"):
                link.decompose()
            shown = _witness_view(heading)
        else:
            shown = _witness_view(html.select_one(f"#{spec.paragraph_id(unit.key)}"))
        assert shown == " ".join(unit.text.split()), unit.key


def test_every_timeline_event_sits_on_the_axis(html_build: Path) -> None:
    svg = soup(html_build / "chronology.html").select_one("svg.ce-timeline")
    axis = svg.select_one(".ce-timeline-axis")
    left, right = float(axis["x1"]), float(axis["x2"])
    dots = [float(c["cx"]) for c in svg.select("circle.ce-timeline-event")]
    assert dots and all(left <= x <= right for x in dots)
    # a dot's title begins with its printed date ("7 June 1935: …"): the first year is the event's
    years = sorted(
        int(re.search(r"\d{4}", c.find("title").get_text())[0]) for c in svg.select("circle")
    )
    assert svg.find("title").get_text().endswith(f"{years[0]}–{years[-1]}")


def test_the_map_shows_only_places_the_texts_name(html_build: Path) -> None:
    """The caption says "Places the texts name": El Alto, kept in the register for the
    chronology alone, was on the map; a named place without coordinates is said to be missing."""
    figure = soup(html_build / "chronology.html").select_one(".ce-figure-map")
    shown = {t.get_text() for t in figure.select("svg.ce-map text")}
    assert {"La Paz", "Oruro", "Catavi"} <= shown
    assert not shown & {"El Alto", "Huanuni", "Ucureña"}, shown
    caption = re.sub(r"\s+", " ", figure.get_text())
    assert "are not shown: the register records no " in caption
    missing = caption.split("are not shown")[0].rsplit(".", 1)[-1]
    for name in ("Milluni", "Plaza Murillo (La Paz)", "Chuquisaca", "Tarija"):
        assert name in missing, (name, missing)


def test_descriptions_are_markup_not_asterisks(html_build: Path) -> None:
    """Register, chronology and sigla descriptions are MyST like note bodies (emphasis, links)."""
    register = soup(html_build / "register.html")
    entry = register.select_one("#reg-pabloism").find_next("dd")
    assert entry.select_one("em").get_text() == "entrism sui generis"
    for page in ("register.html", "chronology.html", "about.html"):
        assert not re.search(r"\*[A-Za-z]", soup(html_build / page).get_text()), page


@pytest.mark.parametrize("page", ["article.html", "theses.html"])
def test_no_link_or_call_inside_a_lemma(html_build: Path, page: str) -> None:
    """The lemma opens its readings: a name within it is linked from the readings, and a note
    on words within it is called after the variant, so no interactive element is nested."""
    for variant in soup(html_build / page).select(".ce-app"):
        lemma = variant.select_one(".ce-lem")
        assert not lemma.select("a, [tabindex]"), variant["id"]
        assert not variant.find_parent("a"), variant["id"]
    milluni = soup(html_build / "article.html").select_one("#ed-c-eo-milluni-29-rdgs")
    assert milluni.select_one(".ce-app-register a, a.ce-name")["href"].endswith("#reg-milluni")


def test_editorial_typography_is_the_same_everywhere(html_build: Path) -> None:
    """Quotes and dashes in notes, comments, lists, register, chronology and bibliography are
    typographic, and a note that opens with a quote opens it (in the page it follows a label)."""
    article = soup(html_build / "article.html")
    note = article.select_one("#ed-note-a1-fi-unified-7").get_text()
    assert "“Then unified”" in note and "”Then" not in note
    for page in ("register", "apparatus", "chronology", "bibliography"):
        html = (html_build / f"{page}.html").read_text(encoding="utf-8")
        text = soup(html_build / f"{page}.html").select_one(".bd-article").get_text()
        assert '"' not in text, page
        assert not re.search(r'<title>[^<]*"', html), page  # the timeline's dots
    assert "“tin barons”" in soup(html_build / "register.html").get_text()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("La Paz, 1986, p. 188", f"La Paz, 1986, p.{NBSP}188"),
        ("pp. 49; nn. 6 and 22; No. 8", f"pp.{NBSP}49; nn.{NBSP}6 and 22; No.{NBSP}8"),
        ("top. 5, up. 3, p. x, FRUS 1952–1954", "top. 5, up. 3, p. x, FRUS 1952–1954"),
    ],
)
def test_editorial_text_keeps_a_number_with_its_abbreviation(text: str, kept: str) -> None:
    assert keep_together(text) == kept


def test_a_range_of_numbers_is_kept_whole_without_an_invisible_character() -> None:
    parts = ranges_kept_whole(
        "FRUS 1952–1954, §28–§30, 1952 – 1954, a–b, “1986, p.188”, up.3, 7,000–10,000 men"
    )
    assert [(type(p).__name__, p.astext()) for p in parts] == [
        ("Text", "FRUS "),
        ("inline", "1952–1954"),
        ("Text", ", "),
        ("inline", "§28–§30"),
        ("Text", ", 1952 – 1954, a–b, “1986, "),
        ("inline", "p.188"),
        ("Text", "”, up.3, "),
        ("inline", "7,000–10,000"),  # thousands too (review 15: "000–10" was kept alone)
        ("Text", " men"),
    ]
    assert all(p["classes"] == ["ce-nobreak"] for p in parts if isinstance(p, nodes.inline))


@pytest.mark.parametrize(
    ("before", "gap"),
    [("Lora n.d.", " "), ("Lora n.d. ", " "), ("Why?", " "), ("Lora 1963", ". ")],
)
def test_a_sentence_after_an_abbreviation_gets_no_second_full_stop(before: str, gap: str) -> None:
    assert next_sentence(before) == gap


def test_no_double_full_stop_and_no_broken_page_reference(html_build: Path) -> None:
    """ "Colpari n.d.. In the texts" nowhere; the introduction's "p. 254", the editors' notes'
    page references and a web label's "1952–1954" do not break; the witness's own "p. 188"
    (the author's note 5) keeps its plain space, as the witness has it."""
    for page in ("chronology", "register", "apparatus", "bibliography", "article"):
        text = soup(html_build / f"{page}.html").select_one(".bd-article").get_text()
        assert not re.search(r"[^.]\.\.(?!\.)", text), page
    intro = soup(html_build / "introduction.html").get_text()
    assert f"1963, p.{NBSP}254" in intro
    article = soup(html_build / "article.html")
    assert "1986, p. 188" in article.select_one("#sagra-n5").get_text()
    notes = " ".join(n.get_text() for n in article.select(".ce-note-editorial"))
    assert f"p.{NBSP}73" in notes and not re.search(r"\bpp?\. \d", notes)
    kept = {s.get_text() for s in article.select(".ce-note-editorial .ce-nobreak")}
    theses = soup(html_build / "theses.html")
    assert "1952–1954" in kept
    # a range in a note on the Theses is kept whole too (its notes refer to the article's
    # notes for the dates they share, so no particular range is pinned)
    assert any("–" in s.get_text() for s in theses.select(".ce-note-editorial .ce-nobreak"))


def test_markup_in_comments_and_reasons_is_rendered(html_build: Path) -> None:
    """A reading's comment and an emendation's reason keep their emphasis off the text page."""
    article = soup(html_build / "article.html")
    comment = article.select_one("#ed-a3-chief-hq-rdgs .ce-rdg-comment")
    assert comment.select_one("em").get_text() == "Jefatura del Estado Mayor General"
    apparatus = soup(html_build / "apparatus.html")
    assert "*" not in apparatus.select_one(".bd-article").get_text()
    emphasised = [em.get_text() for em in apparatus.select("table.ce-emendations em")]
    assert "parlamentario" in emphasised
    comments = [em.get_text() for em in apparatus.select(".ce-apparatus-entry em")]
    assert "Jefatura del Estado Mayor General" in comments


def test_works_given_as_sources_are_named_author_year(html_build: Path) -> None:
    """A reader sees "Cardim Rocha 2022", as the bibliography orders it, not the key."""
    for page in ("article", "apparatus", "register", "chronology"):
        text = soup(html_build / f"{page}.html").get_text()
        assert "rocha2022esquerda" not in text and "bib:" not in text, page
    article = soup(html_build / "article.html")
    labels = {span.get_text() for span in article.select(".ce-rdg-sources .ce-bibref")}
    assert "Cardim Rocha 2022" in labels


def test_a_works_label_links_to_its_bibliography_entry(html_build: Path) -> None:
    """In popovers (written as HTML) and in the lists (made as nodes), the label is a link to
    the entry, whose id is stable (``bibtex_cite_id``) and which names the same author."""
    bibliography = soup(html_build / "bibliography.html")
    pages = ("article", "apparatus", "register", "chronology")
    linked = [a for page in pages for a in soup(html_build / f"{page}.html").select("a.ce-bibref")]
    assert {a.get_text() for a in linked} >= {"Cardim Rocha 2022"}
    for page in pages:
        assert soup(html_build / f"{page}.html").select("a.ce-bibref"), page
    for link in linked:
        page, anchor = link["href"].split("#")
        assert page == "bibliography.html" and anchor.startswith("bib-"), link["href"]
        entry = bibliography.find(id=anchor)
        assert entry is not None, anchor
        author = link.get_text().split(" ")[0].rstrip(",")
        assert author in entry.get_text(), (link.get_text(), entry.get_text())


def test_pages_keep_the_word_count_of_their_own_text(html_build: Path, tmp_path: Path) -> None:
    """MyST records each page's word count (``{{ wordcount-words }}``); parsing the note bodies
    must not replace it: the article and the theses count as plain Sphinx counts them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_build

    plain_docs = bench_build.make_plain_project(tmp_path)
    bench_build.run_build(plain_docs, tmp_path / "plain")

    def word_counts(doctrees: Path) -> dict[str, object]:
        env = pickle.loads((doctrees / "environment.pickle").read_bytes())
        return {page: env.metadata[page].get("wordcount") for page in ("article", "theses")}

    edition = word_counts(html_build.parent / "doctrees")
    assert edition == word_counts(tmp_path / "plain" / ".doctrees")
    assert edition["article"]["words"] > 6000  # type: ignore[index]


def _shown_sources(box: BeautifulSoup) -> list[str]:
    """The hrefs of the sources line that closes a note or a box (its own, not its readings')."""
    line = box.find(class_="ce-sources", recursive=False)
    return [a["href"] for a in line.select("a")] if line else []


@pytest.mark.parametrize("name", ["article", "theses"])
def test_notes_reasons_and_variants_show_their_own_sources(html_build: Path, name: str) -> None:
    """Each editorial note, emendation reason and variant box ends with its annotation's
    sources, in their order: a URL by its site, linking to its entry in the list of web pages,
    a work as its author–year label linking to its bibliography entry; a work the body cites
    itself is not named again; an annotation without further sources has no "Sources:" line."""
    key = {"article": "sagra", "theses": "pulacayo"}[name]
    page = soup(html_build / f"{name}.html")
    bibliography = soup(html_build / "bibliography.html")
    labels = bib_labels(ROOT / "docs")
    box_id = {"note": "ed-note-{}", "emendation": "ed-{}-why", "variant": "ed-{}-rdgs"}
    seen = {"web": 0, "bib": 0, "none": 0, "cited in the body": 0}
    for ann in check_edition(ROOT / "docs").layer.annotations:
        if ann.text != key or ann.kind not in box_id:
            continue
        box = page.find(id=box_id[ann.kind].format(ann.id))
        assert box is not None, ann.id
        hrefs = _shown_sources(box)
        sources = cited_sources(sources_beyond_body(ann.sources, ann.body, ROOT / "docs"), DOCS)
        assert len(hrefs) == len(sources), (ann.id, hrefs)
        for work in set(cited_sources(ann.sources, ROOT / "docs")) - set(sources):
            seen["cited in the body"] += 1  # named once, where the body cites it
            line = box.find(class_="ce-sources")
            assert labels[work[4:]] in box.get_text(), (ann.id, work)
            assert line is None or labels[work[4:]] not in line.get_text(), (ann.id, work)
        if not sources:
            seen["none"] += 1
            assert "Sources:" not in box.get_text(), ann.id
        for source, href in zip(sources, hrefs, strict=True):
            if source.startswith("bib:"):
                seen["bib"] += 1
                target, anchor = href.split("#")
                assert target == "bibliography.html", href
                assert source[4:] not in box.get_text(), source  # a label, not the key
                assert bibliography.find(id=anchor) is not None, href
            else:
                seen["web"] += 1  # its entry in the list of web pages
                assert href == f"bibliography.html#{web_anchor(source)}", (ann.id, href)
    assert min(seen.values()) > 0 if name == "article" else seen["web"] > 0, seen
    assert seen["cited in the body"] > 0, seen


def test_a_note_with_a_work_and_a_web_page_names_both(html_build: Path) -> None:
    """One note's line as a reader sees it: "Sources:", then each source's readable name."""
    labels = bib_labels(ROOT / "docs")
    table = web_sources(ROOT / "docs")
    page = soup(html_build / "article.html")
    mixed = [
        a
        for a in check_edition(ROOT / "docs").layer.annotations
        if a.kind == "note"
        and a.text == "sagra"
        and any(s.startswith("bib:") for s in sources_beyond_body(a.sources, a.body, DOCS))
        and any(s.startswith("http") for s in cited_sources(a.sources, ROOT / "docs"))
    ]
    assert mixed
    note = page.find(id=f"ed-note-{mixed[0].id}")
    line = note.find(class_="ce-sources", recursive=False)
    assert line.get_text().startswith("Sources: ")
    for source in cited_sources(sources_beyond_body(mixed[0].sources, mixed[0].body, DOCS), DOCS):
        if source.startswith("bib:"):
            link = line.select_one(f"a.ce-bibref[href$='{nodes.make_id(source[4:])}']")
            assert link.get_text() == labels[source[4:]]
        else:
            link = line.select_one(f'a.ce-weblink[title="{decoded_url(source)}"]')
            assert link.get_text().startswith(web_label(source, table).site)


def test_a_note_without_sources_prints_no_sources_line(tmp_path: Path) -> None:
    """``sources: []`` is allowed by the schema: the note then ends with its body."""
    docs = copy_project(tmp_path)
    layer = docs / "annotations" / "sagra-01-preface-to-p26.yaml"
    data = yaml.safe_load(layer.read_text(encoding="utf-8"))
    note = next(a for a in data["annotations"] if a["kind"] == "note" and a["sources"])
    note["sources"] = []
    layer.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = Path(build_edition("html", tmp_path / "build", srcdir=docs).outdir)
    page = soup(out / "article.html")
    shown = page.find(id=f"ed-note-{note['id']}")
    assert shown is not None and shown.get_text().strip()
    assert not shown.select(".ce-sources") and "Sources:" not in shown.get_text()
    assert page.select(".ce-note-editorial > .ce-sources")  # the other notes keep theirs


def test_a_lemma_in_quotation_marks_is_not_quoted_twice(html_build: Path) -> None:
    """The box of the readings of “Thread” is headed "Readings of “Thread”", not ““Thread””."""
    page = soup(html_build / "article.html")
    quoted = [
        a
        for a in check_edition(ROOT / "docs").layer.annotations
        if a.kind == "variant" and a.text == "sagra" and a.quote[0] == "“" and a.quote[-1] == "”"
    ]
    assert quoted
    for ann in quoted:
        label = page.find(id=f"ed-{ann.id}-rdgs").select_one(".ce-box-label").get_text()
        assert label == f"Readings of {ann.quote}", label
    labels = [label.get_text() for label in page.select(".ce-rdgs .ce-box-label")]
    assert all("““" not in label and "””" not in label for label in labels), labels
    within = [  # a quotation inside the lemma: the label's own marks are single ones
        a
        for a in check_edition(ROOT / "docs").layer.annotations
        if a.kind == "variant" and a.text == "sagra" and "“" in a.quote[1:-1] and a not in quoted
    ]
    for ann in within:
        label = page.find(id=f"ed-{ann.id}-rdgs").select_one(".ce-box-label").get_text()
        assert label == f"Readings of ‘{ann.quote}’", label
    assert any(label.startswith("Readings of “") and "“" not in label[13:-1] for label in labels)


def test_the_lists_give_each_variants_and_emendations_own_sources(html_build: Path) -> None:
    """The apparatus entry of a variant and the row of an emendation end with the annotation's
    own sources (the PDF prints no popover, so the lists carry them there)."""
    apparatus = soup(html_build / "apparatus.html")
    shown = 0
    for ann in check_edition(ROOT / "docs").layer.annotations:
        if ann.kind == "variant":
            entry = next(
                e
                for e in apparatus.select(".ce-apparatus-entry")
                if e.select_one(f"a[href$='#ed-{ann.id}']")
            )
        elif ann.kind == "emendation":
            link = apparatus.select_one(f"table.ce-emendations a[href$='#ed-{ann.id}']")
            entry = link.find_parent("tr")
        else:
            continue
        expected = sources_beyond_body(ann.sources, ann.body, DOCS)  # a work cited once
        if ann.kind == "variant":  # a reading's sources are not repeated after it
            if "] as at " in entry.get_text():  # the readings are printed once, at the first
                continue
            expected = [s for s in expected if not any(s in r.sources for r in ann.readings)]
        line = entry.select_one(".ce-sources")
        assert (line is not None) == bool(expected), ann.id
        if line is not None:
            shown += 1
            assert len(line.select("a")) == len(expected), ann.id
    assert shown > 5
