"""The bibliography as a reviewer reads it: author–date entries in alphabetical order, titles
as written in references.bib, the same labels in the text as in the list, no raw keys."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import latexcodec  # noqa: F401  (registers the ulatex codec)
import pytest
from bs4 import BeautifulSoup
from sphinx_critical_edition.citelabels import (
    AuthorYear,
    author_year_labels,
    bib_author_years,
    sort_key,
)
from sphinx_critical_edition.collation import collation_key
from sphinx_critical_edition.loader import parsed_bibliography

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "docs" / "references.bib"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def decoded(latex: str) -> str:
    """A .bib field as a reader should see it: LaTeX decoded, braces gone."""
    return " ".join(codecs.decode(latex, "ulatex").replace("{", "").replace("}", "").split())


def entries_by_key(page: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """key → its entry in the bibliography page (ids are ``bib-<n>-<key>``, key as an id)."""
    bib = parsed_bibliography(BIB).entries
    keys = {re.sub(r"[^a-z0-9]+", "-", key.lower()): key for key in bib}
    found = {}
    for entry in page.select("div.citation"):
        found[keys[entry["id"].split("-", 2)[2]]] = entry
    return found


@pytest.fixture(scope="module")
def bibliography(html_build: Path) -> BeautifulSoup:
    return soup(html_build / "bibliography.html")


def test_every_title_is_printed_as_written_in_the_bib(bibliography: BeautifulSoup) -> None:
    """No lowercasing: "Tesis de Pulacayo", "Quatrième Internationale", "Lucha Obrera"."""
    entries = entries_by_key(bibliography)
    bib = parsed_bibliography(BIB).entries
    assert set(entries) == set(bib)
    for key, entry in bib.items():
        if "title" not in entry.fields:
            continue
        html = entries[key]
        title = decoded(entry.fields["title"])
        if title.startswith("[") and title.endswith("]"):  # the editors' description, unquoted
            assert f". {title}. " in html.get_text() and f"“{title}" not in html.get_text()
            continue
        italic = html.select_one("p > em")
        quoted = re.match(r"[^“]*“(.*?)\.”", html.get_text())
        rendered = italic.get_text() if italic and not quoted else quoted.group(1)
        if "subtitle" in entry.fields:  # after a colon, in the title's italics
            title += ": " + decoded(entry.fields["subtitle"])
        if quoted:  # quotes within quotes are single
            title = title.translate(str.maketrans("“”", "‘’"))
        assert " ".join(rendered.split()) == title, key
    for title in ("Tesis de Pulacayo", "Lucha Obrera", "Quatrième Internationale"):
        assert title in bibliography.get_text()


def test_entries_are_author_date_without_bracketed_labels(bibliography: BeautifulSoup) -> None:
    entries = entries_by_key(bibliography)
    assert not bibliography.select("div.citation .label")
    assert entries["sagra2016litci"].get_text().strip().startswith("Sagra, Alicia. 2016. “The 1952")
    assert entries["lucha_obrera"].get_text().strip().startswith("Lucha Obrera. n.d.")
    text = " ".join(bibliography.select_one("main").get_text().split())
    assert not re.search(r"\[[A-Z]\d+\]", text)
    assert "Marxismo Vivo, no. 8: 49–61." in text


def test_no_space_before_punctuation(bibliography: BeautifulSoup) -> None:
    for entry in bibliography.select("div.citation"):
        text = " ".join(entry.get_text().split())
        assert not re.search(r"\s[,.;:]", text), text[:120]


def test_each_section_is_sorted_by_author_then_year(bibliography: BeautifulSoup) -> None:
    labels = bib_author_years(ROOT / "docs")
    by_id = {v: k for k, v in entries_by_key(bibliography).items()}
    for section in bibliography.select("section section"):
        keys = [by_id[e] for e in section.select("div.citation")]
        assert keys == sorted(keys, key=lambda k: (sort_key(labels[k]), k)), keys
        whos = [collation_key(labels[k].who)[0] for k in keys]
        assert whos == sorted(whos), whos


def test_an_entry_shows_the_year_of_its_label(bibliography: BeautifulSoup) -> None:
    """The list and the citations date a work alike ("n.d.a" in both)."""
    labels = bib_author_years(ROOT / "docs")
    for key, entry in entries_by_key(bibliography).items():
        year = labels[key].year
        dated = f". {year}" if year.endswith(".") else f". {year}."
        assert dated in " ".join(entry.get_text().split()), key


def test_every_label_in_the_text_names_exactly_one_entry(html_build: Path) -> None:
    """A citation "(Lora n.d.a)" or a source "Cardim Rocha 2022" links to the one work whose
    label it is; no two works share a label."""
    labels = {str(label): key for key, label in bib_author_years(ROOT / "docs").items()}
    assert len(labels) == len(parsed_bibliography(BIB).entries)
    bibliography = soup(html_build / "bibliography.html")
    ids = {v: k for k, v in entries_by_key(bibliography).items()}
    seen = 0
    for page in html_build.glob("*.html"):
        for link in soup(page).select("a[href*='bibliography.html#bib-'], a[href^='#bib-']"):
            anchor = link["href"].split("#")[-1]
            target = bibliography.find(id=anchor)
            assert target is not None, (page.name, anchor)
            label = " ".join(link.get_text().split())
            assert labels[label] == ids[target], (page.name, label)
            seen += 1
    assert seen > 50


def test_no_raw_key_is_printed(html_build: Path) -> None:
    """Keys are for the files: a reader sees labels ("see Prado Salmón 1987")."""
    keys = [k for k in parsed_bibliography(BIB).entries if not k.isalpha() or len(k) > 8]
    for page in html_build.glob("*.html"):
        page_soup = soup(page)
        for hidden in page_soup.select("script, style"):
            hidden.decompose()
        text = page_soup.get_text()
        titles = " ".join(a.get("title", "") for a in page_soup.select("a[title]"))
        for key in keys:
            assert not re.search(rf"\b{re.escape(key)}\b", text + titles), (page.name, key)


def test_letters_tell_apart_works_with_one_author_and_date(tmp_path: Path) -> None:
    (tmp_path / "references.bib").write_text(
        "@book{a, author = {Lora, Guillermo}, title = {La revolución boliviana}}\n"
        "@book{b, author = {Lora, Guillermo}, title = {Historia del movimiento obrero}}\n"
        "@book{c, author = {Sagra, Alicia and Moreno, Nahuel and Lora, G.}, year = {2004},"
        " title = {X}}\n"
        "@misc{d, author = {Sagra, Alicia}, year = {2016}, title = {B}}\n"
        "@misc{e, author = {Sagra, Alicia}, year = {2016}, title = {A}}\n"
        "@misc{f, title = {Lucha Obrera}}\n",
        encoding="utf-8",
    )
    labels = {k: str(v) for k, v in bib_author_years(tmp_path).items()}
    assert labels["b"] == "Lora n.d.a" and labels["a"] == "Lora n.d.b"  # title order
    assert labels["e"] == "Sagra 2016a" and labels["d"] == "Sagra 2016b"
    assert labels["c"] == "Sagra et al. 2004"
    assert labels["f"] == "Lucha Obrera n.d."


def test_sort_key_orders_by_author_then_year() -> None:
    labels = [
        AuthorYear("Sagra", "n.d."),
        AuthorYear("Sagra", "2016b"),
        AuthorYear("Álvarez España", "1986"),
        AuthorYear("Sagra", "2004"),
        AuthorYear("Lora", "n.d.a"),
        AuthorYear("Sagra", "2016a"),
        AuthorYear("Lora", "1977"),
    ]
    assert [str(x) for x in sorted(labels, key=sort_key)] == [
        "Álvarez España 1986",
        "Lora 1977",
        "Lora n.d.a",
        "Sagra 2004",
        "Sagra 2016a",
        "Sagra 2016b",
        "Sagra n.d.",
    ]


def test_labels_from_entries_alone_match_the_file() -> None:
    entries = parsed_bibliography(BIB).entries
    assert author_year_labels(entries) == bib_author_years(ROOT / "docs")


def test_the_pdf_prints_the_same_bibliography_and_register(
    pdf_build: Path, bibliography: BeautifulSoup
) -> None:
    """The PDF's back matter: every entry begins as in the HTML (author, date, title in its
    case), no key, no [T1] label; persons surname first."""
    import pypdf
    from test_pdf import full_text

    text = full_text(pypdf.PdfReader(pdf_build))
    back = text[text.index("Every work the author cites in her notes") :]
    for entry in bibliography.select("div.citation"):
        head = " ".join(entry.get_text().split())[:60].rsplit(" ", 1)[0]
        assert head in back, head
    for expected in ("Tesis de Pulacayo", "Lucha Obrera. n.d.", "Marxismo Vivo, no. 8: 49–61."):
        assert expected in back, expected
    assert not re.search(r"\[[A-Z]\d+\]", back)
    for key in parsed_bibliography(BIB).entries:
        assert key not in text, key
    assert "Paz Estenssoro, Víctor" in text
    assert "Ovando Candía, Alfredo (6 April 1918–24 January 1982)" in text.replace("\xa0", " ")


def _formatted(bibtex: str, backend: str = "text") -> dict[str, str]:
    """Each entry of *bibtex* as the edition's style renders it (``text`` or ``html``, whose
    runs of white space are joined)."""
    from pybtex.database import parse_string
    from sphinx_critical_edition.bibstyle import EditionStyle

    style = EditionStyle()
    entries = parse_string(bibtex, "bibtex").entries.values()
    ordered = style.sort(entries)
    labels = style.format_labels(ordered)
    return {
        e.key: " ".join(style.format_entry(label, e).text.render_as(backend).split())
        if backend == "html"
        else style.format_entry(label, e).text.render_as(backend)
        for label, e in zip(labels, ordered, strict=True)
    }


def test_web_pages_books_and_editors_are_formatted_author_date() -> None:
    out = _formatted(
        "@online{w, author = {Villa, José}, title = {The 1952 Revolution},"
        " organization = {Marxists Internet Archive}, year = {1992},"
        " url = {https://www.marxists.org/x.htm}, urldate = {2026-11-28}}\n"
        "@book{b, author = {Trotsky, Leon}, translator = {Eastman, Max},"
        " title = {The History of the Russian Revolution}, publisher = {Simon and Schuster},"
        " address = {New York}, year = {1932}}\n"
        "@book{e, editor = {González, Ernesto}, title = {El trotskismo obrero}}\n"
    )
    assert out["w"] == (
        "Villa, José. 1992. “The 1952 Revolution.” Marxists Internet Archive."
        " https://www.marxists.org/x.htm. Accessed 28\u00a0November 2026."
    )
    assert out["b"] == (
        "Trotsky, Leon. 1932. The History of the Russian Revolution. Translated by Max Eastman."
        " New York: Simon and Schuster."
    )
    assert out["e"] == "González, Ernesto, ed. n.d. El trotskismo obrero."


def test_a_citation_in_a_reason_is_shown_by_its_label_in_the_lists() -> None:
    """An emendation's reason is kept as runs for the list of emendations; a ``{cite:p}`` in
    it comes back as the works' labels, ready to be linked, not as the raw keys."""
    from docutils import nodes
    from sphinx import addnodes
    from sphinx_critical_edition.textruns import runs_to_nodes, text_runs

    xref = addnodes.pending_xref("", nodes.Text("villa1992revolution,lora1977history"))
    xref["refdomain"], xref["reftarget"] = "cite", "villa1992revolution,lora1977history"
    runs = text_runs([nodes.paragraph("", "", nodes.Text("As cited "), xref)])
    shown = runs_to_nodes(
        runs, {"villa1992revolution": "Villa 1992", "lora1977history": "Lora 1977"}
    )
    assert "".join(n.astext() for n in shown) == "As cited (Villa 1992; Lora 1977)"
    assert [n["bibkey"] for n in shown if "bibkey" in n] == [
        "villa1992revolution",
        "lora1977history",
    ]


def _html(bibtex: str) -> dict[str, str]:
    return _formatted(bibtex, "html")


def test_periodicals_are_italic_and_dated_to_the_day() -> None:
    """An unsigned article stands under its periodical, as it is cited ("Time 1965"), with its
    issue date; a dated post shows its day; a title in a note or a site's name (``*…*``) is
    italic, and apostrophes are educated."""
    bibtex = (
        "@article{t, title = {Two Heads, One Mind}, journal = {Time}, date = {1965-06-04},"
        " year = {1965}}\n"
        "@misc{p, author = {Rocha, J.}, title = {A Post}, organization = {Workers' Voice},"
        " year = {2022}, month = {apr}, day = {10}}\n"
        "@misc{v, author = {Villa, José}, title = {The 1952 Revolution}, year = {1992},"
        " organization = {*Revolutionary History* (Bolivia pages)},"
        " note = {Reviewed in *The Militant*; Sagra's source.}}\n"
        "@misc{y, author = {Y, A.}, title = {Undated}, year = {1946}, month = {11}}\n"
    )
    text, html = _formatted(bibtex), _html(bibtex)
    assert text["t"] == "Time. 1965. “Two Heads, One Mind.” 4\u00a0June 1965."
    assert html["t"].startswith("<em>Time</em>. 1965.")
    assert text["p"] == "Rocha, J. 2022. “A Post.” Workers’ Voice, 10\u00a0April 2022."
    assert text["v"] == (
        "Villa, José. 1992. “The 1952 Revolution.” Revolutionary History (Bolivia pages)."
        " Reviewed in The Militant; Sagra’s source."
    )
    assert "<em>Revolutionary History</em> (Bolivia pages)" in html["v"]
    assert "Reviewed in <em>The Militant</em>" in html["v"]
    assert text["y"] == "Y, A. 1946. “Undated.”"  # a month without a day adds nothing
    quoted = _formatted("@misc{q, author = {Q, A.}, title = {The ``Rosca'' (1946--1952)}}")
    assert quoted["q"] == "Q, A. n.d. “The ‘Rosca’ (1946–1952).”"


def test_no_entry_repeats_its_place(bibliography: BeautifulSoup) -> None:
    """Feijoo's venue was printed twice ("Rosario. Rosario, …"): the address and the note."""
    for entry in bibliography.select("div.citation"):
        text = " ".join(entry.get_text().split())
        assert not re.search(r"\b(\w+)\. \1,", text), text
    entries = " ".join(e.get_text() for e in bibliography.select("div.citation"))
    assert "Workers’ Voice" in entries and not re.search(r"\w'\w", entries)  # educated


#: Spanish or Portuguese words that only a quotation may bring into the editors' English
_NOT_ENGLISH = re.compile(
    r"\b(edición|edição|de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
    r"setiembre|octubre|noviembre|diciembre) de)\b",
    re.IGNORECASE,
)


def test_the_editors_words_in_an_entry_are_english() -> None:
    """An entry's note and how it was published are the editors' words, in English ("February
    2011 edition", not "edición de febrero de 2011"); a quotation keeps its own language."""
    found = []
    for key, entry in parsed_bibliography(BIB).entries.items():
        for name in ("note", "howpublished", "addendum"):
            words = decoded(entry.fields.get(name, ""))
            # quotations ("…", “…”, ``…'') and titles (*…*) are the sources' words
            words = re.sub(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|\*[^*]*\*", "", words)
            found += [(key, name, m.group()) for m in _NOT_ENGLISH.finditer(words)]
    assert found == []


def test_a_lineage_follows_the_given_names() -> None:
    """ "Field, Thomas C., Jr.", as author–date lists print it; pybtex's own order would be
    "Field, Jr., Thomas C."."""
    from pybtex.database import Person
    from sphinx_critical_edition.bibstyle import LineageLastNames

    person = Person("Field, Jr., Thomas C.")
    assert LineageLastNames().format(person).format().render_as("text") == ("Field, Thomas C., Jr.")
    plain = Person("Smith, John")
    assert LineageLastNames().format(plain).format().render_as("text") == "Smith, John"


def test_the_bibliography_prints_a_lineage_last(html_build: Path) -> None:
    page = BeautifulSoup((html_build / "bibliography.html").read_text("utf-8"), "html.parser")
    text = " ".join(page.get_text().split())
    assert "Field, Thomas C., Jr. 2012." in text
