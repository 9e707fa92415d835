"""The register as a reader uses it: "Surname, Given names (dates)" in alphabetical order,
bold headwords, clean dates, occurrences by §, authority records as links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, build_edition, copy_project
from docutils import nodes
from sphinx_critical_edition.backmatter import (
    merged_variants,
    place_runs,
    printed_position,
    register_order,
    split_place,
)
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.collation import collation_key
from sphinx_critical_edition.model import Located, RegisterEntry

HERE = Located(Path("persons.yaml"), 1)


def person(name: str, surname: str, **kw: object) -> RegisterEntry:
    return RegisterEntry("x", "person", name, "d", ("bib:x",), HERE, surname=surname, **kw)  # type: ignore[arg-type]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def section(page: BeautifulSoup, heading: str) -> list[BeautifulSoup]:
    title = next(h for h in page.select("section > h2") if h.get_text().startswith(heading))
    return title.parent.select("dl.ce-register > dt")


def test_a_headword_puts_the_surname_first() -> None:
    assert person("Víctor Paz Estenssoro", "Paz Estenssoro").headword == "Paz Estenssoro, Víctor"
    assert person("Alfredo Ovando Candía", "Ovando Candía").headword == "Ovando Candía, Alfredo"
    assert person("Chiang Kai-shek", "Chiang").headword == "Chiang Kai-shek"
    marof = person("Tristán Marof (Gustavo Adolfo Navarro)", "Marof")
    assert marof.headword == "Marof, Tristán (Gustavo Adolfo Navarro)"
    org = RegisterEntry("o", "organisation", "The Fourth International", "d", (), HERE)
    assert org.headword == "The Fourth International"


def test_order_ignores_accents_case_and_an_organisations_article() -> None:
    people = [
        person("Liborio Justo", "Justo"),
        person("Lázaro Cárdenas", "Cárdenas"),
        person("Leon Trotsky", "Trotsky"),
        person("Vladimir Ilich Lenin", "Lenin"),
        person("Waldo Álvarez España", "Álvarez España"),
        person("Víctor Paz Estenssoro", "Paz Estenssoro"),
        person("Alfredo Ovando Candía", "Ovando Candía"),
        person("Juan Pazos", "Pazos"),
        person("David Toro", "Toro"),
    ]
    assert [p.headword for p in sorted(people, key=register_order)] == [
        "Álvarez España, Waldo",
        "Cárdenas, Lázaro",
        "Justo, Liborio",
        "Lenin, Vladimir Ilich",
        "Ovando Candía, Alfredo",
        "Paz Estenssoro, Víctor",  # word by word: the double surname stays together
        "Pazos, Juan",
        "Toro, David",
        "Trotsky, Leon",
    ]
    orgs = [
        RegisterEntry(i, "organisation", name, "d", (), HERE)
        for i, name in enumerate(["Unidad (U)", "The Fourth International", "Movimiento (M) "])
    ]
    assert [o.name for o in sorted(orgs, key=register_order)] == [
        "The Fourth International",  # under F
        "Movimiento (M) ",
        "Unidad (U)",
    ]
    assert collation_key("MNR (x)")[0] < collation_key("MNR de Izquierda (y)")[0]


def test_a_comma_ends_the_surname_word_by_word() -> None:
    """Chicago's word-by-word order: "Guevara, Ernesto" before "Guevara Arze, Wálter" (the
    comma ends the heading's first part), "La Paz" before "Lake Titicaca" (a space ends a word)."""
    people = [person("Wálter Guevara Arze", "Guevara Arze"), person("Ernesto Guevara", "Guevara")]
    assert [p.headword for p in sorted(people, key=register_order)] == [
        "Guevara, Ernesto",
        "Guevara Arze, Wálter",
    ]
    heads = ["Lake Titicaca", "Guevarista", "Guevara Arze, Wálter", "La Paz", "guevara, Ernesto"]
    assert sorted(heads, key=collation_key) == [
        "guevara, Ernesto",
        "Guevara Arze, Wálter",
        "Guevarista",
        "La Paz",
        "Lake Titicaca",
    ]
    assert collation_key("Lora, Guillermo (1922–2009)")[0] == collation_key("Lora, Guillermo")[0]


def test_a_ligature_files_as_its_letters() -> None:
    """ "Encyclopædia" files as "Encyclopaedia", before "Encyclopédie" (it once came after it:
    no Unicode decomposition takes "æ" apart)."""
    sites = ["Encyclopédie Larousse", "Encyclopædia Universalis", "Encyclopaedia Britannica"]
    assert sorted(sites, key=collation_key) == [
        "Encyclopaedia Britannica",
        "Encyclopædia Universalis",
        "Encyclopédie Larousse",
    ]
    assert collation_key("Œuvres")[0] == collation_key("oeuvres")[0]


@pytest.fixture(scope="module")
def register(html_build: Path) -> BeautifulSoup:
    return soup(html_build / "register.html")


def test_persons_are_surname_first_and_alphabetical(register: BeautifulSoup) -> None:
    heads = [dt.select_one("strong").get_text() for dt in section(register, "Persons")]
    assert heads == sorted(heads, key=lambda h: collation_key(h))
    assert heads[0].startswith("Aguirre Gainsborg, José")
    for expected in ("Paz Estenssoro, Víctor", "Ovando Candía, Alfredo", "Trotsky, Leon"):
        assert expected in heads
    assert heads.index("Lenin, Vladimir Ilich") < heads.index("Lora, Guillermo")
    assert all(", " in h or h in ("Chiang Kai-shek", "Quebracho") for h in heads), heads


def test_every_section_is_in_collation_order(register: BeautifulSoup) -> None:
    for heading in ("Organisations", "Places", "Terms"):
        heads = [dt.select_one("strong").get_text() for dt in section(register, heading)]
        keys = [collation_key(h, skip_article=heading == "Organisations") for h in heads]
        assert keys == sorted(keys), heading


def test_headwords_are_bold_and_dates_have_no_nested_brackets(register: BeautifulSoup) -> None:
    terms = register.select("dl.ce-register > dt")
    assert len(terms) > 80
    for dt in terms:
        assert dt.contents[0].name == "strong", dt
        text = dt.get_text()
        assert not re.search(r"\([^)]*\(", text), text
        assert ") (" not in text, text
    siles = register.find(id="reg-siles-zuazo").get_text()
    # the day kept with its month; a range's en dash unspaced, as in the chronology (review 13)
    assert siles == ("Siles Zuazo, Hernán (21\u00a0March 1914–6\u00a0August 1996)")


def test_a_place_on_the_map_gives_its_coordinates(register: BeautifulSoup) -> None:
    """The map's caption says its points stand at the coordinates the register records: each
    place with a point gives them, as recorded, in degrees north or south and east or west
    (review 14: the register printed none)."""
    layer = check_edition(ROOT / "docs").layer
    placed = [e for e in layer.register.values() if e.coordinates]
    assert len(placed) > 10
    for entry in placed:
        text = register.find(id=f"reg-{entry.id}").find_next_sibling("dd").get_text()
        assert f"Coordinates: {printed_position(*entry.coordinates)}." in text, entry.id
    assert printed_position(-18.414, -66.565) == "18.414\u00b0\u00a0S, 66.565\u00b0\u00a0W"
    assert printed_position(19.43, 0.5) == "19.43\u00b0\u00a0N, 0.5\u00b0\u00a0E"


def test_a_variant_spelling_is_listed_once_with_its_qualifiers_merged() -> None:
    assert merged_variants(["Durkerley (witness, note 4)", "Durkerley (witness)"]) == [
        "Durkerley (witness, note 4)"
    ]
    assert merged_variants(["Quebracho", "Quebracho (pseudonym)", "Q. (a, b)", "Q. (b, c)"]) == [
        "Quebracho (pseudonym)",
        "Q. (a, b, c)",
    ]
    # a different spelling is a different variant
    assert merged_variants(["Workers Party", "Workers' Party"]) == [
        "Workers Party",
        "Workers' Party",
    ]


def test_the_register_prints_each_spelling_once(register: BeautifulSoup) -> None:
    also = [
        p.get_text().removeprefix("Also written: ")
        for p in register.select("dl.ce-register dd > p")
        if p.get_text().startswith("Also written: ")
    ]
    assert len(also) > 5
    for line in also:
        spellings = [re.sub(r" \([^)]*\)$", "", v) for v in re.split(r", (?![^(]*\))", line)]
        assert len(spellings) == len(set(spellings)), line
    # generated after the smart-quotes pass, yet educated like the rest of the page
    lists = " ".join(dl.get_text() for dl in register.select("dl.ce-register"))
    assert "Bolivian Workers’ Centre" in lists and not re.search(r"\w'", lists)
    dunkerley = register.find(id="reg-dunkerley").find_next("dd").select("p")
    assert "Also written: Durkerley (witness)" in [p.get_text() for p in dunkerley]


def test_occurrences_link_to_paragraphs(register: BeautifulSoup) -> None:
    occurrences = register.find(id="reg-alandia-pantoja").find_next("p", class_="ce-occurrences")
    assert occurrences.get_text().startswith("Occurrences: Sagra §33, §44")
    links = [(a.get_text(), a["href"]) for a in occurrences.select("a")]
    assert links[0][0] == "§33" and links[1][0] == "§44", links
    assert all(href.startswith("article.html#") for _, href in links)


def test_a_run_of_places_names_its_text_once() -> None:
    """ "Sagra §4, §21; Sagra, notes 5, 8": the register's occurrences and the places citing a
    web page name a text once for each run of its paragraphs, and once for its notes."""
    assert split_place("Sagra §4") == ("Sagra ", "", "§4")
    assert split_place("Sagra, note 5") == ("Sagra, ", "note", "5")
    assert split_place("Pulacayo Theses, note 2") == ("Pulacayo Theses, ", "note", "2")
    assert split_place("note ai") == ("", "note", "ai")
    places = ["Sagra §4", "Sagra §21", "Sagra, note 5", "Sagra, note 8", "Theses §2"]
    places.append("Theses, note 1")
    runs = place_runs((*split_place(p)[:2], nodes.Text(split_place(p)[2])) for p in places)
    text = nodes.paragraph("", "", *runs).astext()
    # "note" is tied to its number: a line never ends "Sagra, note" with the "8" below it
    assert text == "Sagra §4, §21; Sagra, notes\u00a05, 8; Theses §2; Theses, note\u00a01"
    assert place_runs([]) == []


def test_no_list_of_places_repeats_a_texts_name(html_build: Path, register: BeautifulSoup) -> None:
    """No "Sagra, note 5, Sagra, note 8" nor "Sagra §4, Sagra §21" in the register's
    occurrences, the web pages' "Cited:" lines or the chronology's "In the texts:"."""
    lines = [p.get_text() for p in register.select("p.ce-occurrences")]
    lines += [p.get_text() for p in soup(html_build / "bibliography.html").select("p.ce-webpage")]
    lines += [p.get_text() for p in soup(html_build / "chronology.html").select("p.ce-sources")]
    repeats = r"(\w+)(, notes? \w+,| §\d+,) \1(, note| §)"
    assert not [line for line in lines if re.search(repeats, " ".join(line.split()))]
    por = register.find(id="reg-por").find_next("p", class_="ce-occurrences").get_text()
    assert re.search("; Sagra, notes\u00a0\\d+, \\d+", por), por  # "notes" tied to its number
    chronology = " ".join(lines[-60:])
    assert re.search(r"In the texts: Sagra §\d+, §\d+", chronology)


def test_an_entry_the_texts_do_not_name_says_so(register: BeautifulSoup) -> None:
    """No bare "Occurrences:" line: a place kept for the notes, the chronology or the map says
    that the texts do not name it."""
    lines = [p.get_text().strip() for p in register.select("p.ce-occurrences")]
    assert "Occurrences:" not in lines
    huanuni = register.find(id="reg-huanuni").find_next("p", class_="ce-occurrences")
    assert huanuni.get_text() == "Not named in the texts."
    titicaca = register.find(id="reg-lake-titicaca").find_next("p", class_="ce-occurrences")
    assert titicaca.get_text() == "Occurrences: Sagra §37"


# the shipped entry's own record, removed where a test writes its own
TROTSKY_AUTHORITY = "    authority: {wikidata: Q33391}\n"


def test_authority_records_are_links(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    persons = docs / "register" / "persons.yaml"
    text = persons.read_text(encoding="utf-8").replace(TROTSKY_AUTHORITY, "")
    text = text.replace(
        "    surname: Trotsky\n",
        "    surname: Trotsky\n    authority:\n      wikidata: Q33391\n      viaf: '56609913'\n",
    )
    persons.write_text(text, encoding="utf-8")
    app = build_edition("html", tmp_path / "build", srcdir=docs)
    out = Path(app.outdir)
    page = soup(out / "register.html")
    records = page.find(id="reg-trotsky").find_next("p", class_="ce-authority")
    links = {a.get_text(): a["href"] for a in records.select("a")}
    assert links == {
        "Wikidata Q33391": "https://www.wikidata.org/wiki/Q33391",
        "VIAF 56609913": "https://viaf.org/viaf/56609913",
    }
    tei = (out / "edition.tei.xml").read_text(encoding="utf-8")
    assert '<idno type="wikidata">Q33391</idno>' in tei


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    surname: Trotsky\n", "", "'surname' is a required property"),
        ("    surname: Trotsky\n", "    surname: Trotzki\n", "is not part of its name"),
        (
            "    surname: Trotsky\n",
            "    surname: Trotsky\n    authority:\n      wikidata: '33391'\n",
            "does not match",
        ),
        (
            "dates: 24 April 1924–25 January 1987",
            "dates: 1924–1987 (or 1925)",
            "without brackets or a semicolon",
        ),
        (
            "dates: 24 April 1924–25 January 1987",
            "dates: 1924–1987; death also given as 1988",
            "or a semicolon",
        ),
    ],
)
def test_bad_register_fields_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    docs = copy_project(tmp_path)
    persons = docs / "register" / "persons.yaml"
    text = persons.read_text(encoding="utf-8").replace(TROTSKY_AUTHORITY, "")
    assert old in text
    persons.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [str(p) for p in check_edition(docs).problems]
    (found,) = [p for p in problems if p.startswith(f"{persons}:")]
    assert message in found, found


def test_no_variant_of_the_edition_repeats_its_headword_or_another_variant() -> None:
    """A variant is another spelling: not the name, the surname or a variant again in
    another case ("COMIBOL"/"Comibol"); accents make a different spelling ("Victor")."""
    for path in sorted((ROOT / "docs" / "register").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            seen = {entry["name"].casefold(), entry.get("surname", "").casefold()}
            for variant in entry.get("variants", []):
                spelling = re.sub(r"\s*\([^()]*\)$", "", variant).casefold()
                assert spelling not in seen, (entry["id"], variant)
                seen.add(spelling)


def test_a_pseudonyms_real_name_sends_to_the_entry(register: BeautifulSoup) -> None:
    """A reader who looks under the real name finds "See" the entry (review 18: §8 names
    "Michel Raptis (Pablo)", and nothing stood under R)."""
    heads = [dt.select_one("strong").get_text() for dt in section(register, "Persons")]
    assert "Raptis, Michel" in heads
    see = register.find("strong", string="Raptis, Michel").find_parent("dt").find_next("dd")
    link = see.select_one("p.ce-see a")
    assert see.get_text().strip() == "See Pablo, Michel."
    assert link["href"] == "#reg-pablo"
    # at its place in the order, as a headword would stand
    keys = [collation_key(h) for h in heads]
    assert keys == sorted(keys)
