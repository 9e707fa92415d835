"""The list of web pages (``webpages``): every web source once, by site, traced from its label."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup
from conftest import DOCS, build_edition, copy_project
from sphinx_critical_edition.citelabels import bib_labels, bib_urls
from sphinx_critical_edition.collation import collation_key
from sphinx_critical_edition.pdf.translator import address_breaks, url_breaks
from sphinx_critical_edition.weblabels import decoded_url, web_anchor, web_sources
from test_pdf_print import chapter_pages, page_lines
from test_weblabels import _source_urls as _all_source_urls


def _source_urls() -> set[str]:
    """The layer's web sources, but for the bibliography's works (cited by author and year)."""
    works = bib_urls(DOCS)
    assert len(_all_source_urls() & set(works)) > 5  # the exception is tested
    return _all_source_urls() - set(works)


#: the sentence that opens the list (docs/bibliography.md)
LIST_START = "The other pages are listed by site"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def listing(html_build: Path) -> BeautifulSoup:
    found = _soup(html_build / "bibliography.html").select_one("dl.ce-webpages")
    assert found is not None
    return found


def test_the_two_lists_of_web_pages_have_headings_in_the_contents(html_build: Path) -> None:
    """Pages cited by author and year and the others, by site, are two sub-sections of "Web
    pages", each opened by a sentence, each in the page's contents (and the PDF's bookmarks)."""
    page = _soup(html_build / "bibliography.html")
    sections = page.select("section#web-pages > section")
    titles = [next(iter(s.select_one("h3").strings)) for s in sections]
    assert titles == ["By author and year", "By site"]
    by_year, by_site = sections
    assert by_year.select("div.citation") and not by_year.select("dl.ce-webpages")
    assert by_site.select_one("dl.ce-webpages") and not by_site.select("div.citation")
    for section in sections:
        lead_in = section.select_one("h3 + p").get_text()
        assert lead_in[0].isupper() and lead_in.rstrip().endswith(".") and ":" not in lead_in[-2:]
    assert by_site.select_one("h3 + p").get_text().startswith(LIST_START)
    contents = {a["href"] for a in page.select("nav a.nav-link")}
    assert {f"#{s['id']}" for s in sections} <= contents


def _entries(listing: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """url → its entry (the paragraph whose address links to it)."""
    return {p.select_one("a.ce-address")["href"]: p for p in listing.select("p.ce-webpage")}


def test_every_web_source_is_listed_once(listing: BeautifulSoup) -> None:
    addresses = [a["href"] for a in listing.select("p.ce-webpage a.ce-address")]
    assert len(addresses) == len(set(addresses))
    assert set(addresses) == _source_urls()  # the annotations', register's and chronology's
    for url, entry in _entries(listing).items():
        assert entry["id"] == web_anchor(url)
        assert entry.select_one("a.ce-address").get_text() == decoded_url(url)


@pytest.mark.parametrize("page", ["article", "theses", "apparatus", "register", "chronology"])
def test_every_label_links_to_its_entry(
    html_build: Path, listing: BeautifulSoup, page: str
) -> None:
    """A label (site, title) leads to its page's entry, which gives the address; its tooltip
    is the address."""
    by_id = {p["id"]: p for p in listing.select("p.ce-webpage")}
    labels = _soup(html_build / f"{page}.html").select("a.ce-weblink")
    assert labels
    for label in labels:
        target, _, anchor = label["href"].partition("#")
        assert target == "bibliography.html", label
        entry = by_id[anchor]
        assert decoded_url(entry.select_one("a.ce-address")["href"]) == label["title"]
        assert "http" not in label.get_text()


def test_sites_and_pages_are_in_alphabetical_order(listing: BeautifulSoup) -> None:
    sites = [dt.get_text() for dt in listing.select("dt")]
    assert len(sites) == len(set(sites)) > 100
    assert sites == sorted(sites, key=lambda s: collation_key(s, skip_article=True))
    assert sites.index("El Diario") > sites.index("desdeeltejado.com")  # "Diario", its article
    table = web_sources(DOCS)
    for dt in listing.select("dt"):
        entries = dt.find_next_sibling("dd").select("p.ce-webpage")
        titled = [
            (e.get_text().split("”")[0].lstrip("“"), e.select_one("a.ce-address")["href"])
            for e in entries
            if e.get_text()[0] == "“"
        ]
        # a title without its article (its language's, where the table gives it); a wiki
        # page's name (no title in the table) as written
        keys = [
            collation_key(
                t, skip_article=url in table.titles, language=table.languages.get(url, "")
            )
            for t, url in titled
        ]
        assert keys == sorted(keys), titled


def test_a_spanish_title_s_a_is_no_article(listing: BeautifulSoup) -> None:
    """ "A Villarroel todos le dieron la espalda…" (El Diario, a Spanish title: "A" is a
    preposition) files under A, before "De los aplausos…", not under V; an English title's "A"
    is still an article ("A Revolution Betrayed" under R)."""
    dt = next(dt for dt in listing.select("dt") if dt.get_text() == "El Diario")
    titles = [e.get_text() for e in dt.find_next_sibling("dd").select("p.ce-webpage")]
    place = {w: next(i for i, t in enumerate(titles) if t.startswith(w)) for w in ("“De ",)}
    villarroel = next(i for i, t in enumerate(titles) if t.startswith("“A Villarroel"))
    assert villarroel < place["“De "], titles  # under A, not after "De los aplausos…"
    assert collation_key("A Villarroel", skip_article=True, language="es")[0].startswith("a ")
    assert collation_key("A Revolution", skip_article=True, language="en")[0] == "revolution"
    assert collation_key("A Revolution", skip_article=True)[0] == "revolution"  # any language
    assert collation_key("L'Humanité", skip_article=True, language="fr")[0] == "humanite"
    assert collation_key("L'Humanité", skip_article=True, language="es")[0] == "lhumanite"


def test_indefinite_articles_and_italics_do_not_file_a_title(listing: BeautifulSoup) -> None:
    """The list says a leading article is ignored, yet filed "Un militar diferente" and "Un
    presidente secuestrado" (El País) under U and "*The Historical and International
    Foundations…*" (World Socialist Web Site) under T, its "*" hiding the article (review 13)."""

    def titles(site: str) -> list[str]:
        dt = next(dt for dt in listing.select("dt") if dt.get_text() == site)
        return [e.get_text() for e in dt.find_next_sibling("dd").select("p.ce-webpage")]

    def place(entries: list[str], start: str) -> int:
        return next(i for i, t in enumerate(entries) if t.startswith(start))

    pais = titles("El País")
    assert place(pais, "“Miguel Alandia") < place(pais, "“Un militar") < place(pais, "“Siles")
    assert place(pais, "“Un presidente") < place(pais, "“Siles")
    assert collation_key("*The History*", skip_article=True)[0] == "history"
    assert collation_key("“Un militar”", skip_article=True, language="es")[0] == "militar"
    assert collation_key("Unidad Popular", skip_article=True)[0] == "unidad popular"


def test_a_wiki_page_s_name_keeps_its_article_and_numbers_sort_by_value(
    listing: BeautifulSoup,
) -> None:
    """ "La Paz" (a Wikipedia page: the city's name) under L, not P; "part 6" before "part 13";
    an editors' title still without its article ("La verdad …" after "Terebinto …")."""

    def pages(site: str) -> list[str]:
        dt = next(dt for dt in listing.select("dt") if dt.get_text() == site)
        return [" ".join(e.get_text().split()) for e in dt.find_next_sibling("dd").select("p")]

    wikipedia = [p.split("”")[0].lstrip("“") for p in pages("Wikipedia")]
    assert wikipedia.index("La Paz") < wikipedia.index("Lake Titicaca"), wikipedia
    assert wikipedia.index("La Paz") < wikipedia.index("Partido Obrero Revolucionario–Combate")
    archive = pages("Marxists Internet Archive")
    part = [next(i for i, p in enumerate(archive) if f"part {n}." in p) for n in (6, 13)]
    assert part[0] < part[1], archive
    blog = pages("historias-bolivia.blogspot.com")
    verdad, terebinto = (next(i for i, p in enumerate(blog) if w in p) for w in ("verdad", "Tereb"))
    assert terebinto < verdad, blog


def test_numbers_sort_by_value() -> None:
    titles = ["part 13", "part 6", "Part 6a", "1946 riots", "10 years", "part 006"]
    assert sorted(titles, key=collation_key) == [
        "10 years",
        "1946 riots",  # a year is a number like any other
        "part 006",  # equal in value: the text breaks the tie
        "part 6",
        "Part 6a",
        "part 13",
    ]


def test_an_entry_names_every_place_that_cites_it(html_build: Path, listing: BeautifulSoup) -> None:
    """Each place a label stands is among its entry's links, and each of those links resolves."""
    entries = _entries(listing)
    ids = {
        page.name: {e["id"] for e in _soup(page).select("[id]")}
        for page in html_build.glob("*.html")
    }
    for entry in entries.values():
        assert entry.get_text().split("Cited: ", 1)[1].endswith(".")
        for link in entry.select("a.internal"):
            page, _, anchor = link["href"].partition("#")
            assert anchor in ids[page or "bibliography.html"], link
    # a title's full stop inside its closing marks, a quoted title's too (“‘…’.” read wrongly)
    vargas = " ".join(
        entries["https://cpdoc.fgv.br/pesquisa-conhecimento/getulio-vargas-1954"].get_text().split()
    )
    assert vargas.startswith("“‘À sanha dos meus inimigos, o legado de minha morte.’” https://"), (
        vargas
    )
    lechin = "https://en.wikipedia.org/wiki/Juan_Lech%C3%ADn"
    text = " ".join(entries[lechin].get_text().split())
    assert text.startswith("“Juan Lechín” (en). https://en.wikipedia.org/wiki/Juan_Lechín.")
    assert "; Register, “" in text and "“Lechín Oquendo, Juan”" in text
    # an editors' note is named by its letter, in italics ("notes et, ff" read as words), and
    # by where it stands, as a letter alone changes between versions (review 16)
    letters = [
        link
        for entry in entries.values()
        for link in entry.select("a.internal")
        if re.fullmatch(
            r"[a-z]{1,2}\u00a0\((§[0-9]+|note [0-9]+|heading above §[0-9]+)\)", link.get_text()
        )
    ]
    assert len(letters) > 100
    assert all(re.fullmatch(r"[a-z]{1,2}", link.select_one("em").get_text()) for link in letters)


def _list_pages(pdf: pypdf.PdfReader) -> list[list[str]]:
    """The lines of the list's pages in the PDF, from its opening sentence to the next chapter."""
    chapters = chapter_pages(pdf)
    end = min(index for index in chapters.values() if index > chapters["Bibliography"])
    pages = [page_lines(pdf.pages[i]) for i in range(chapters["Bibliography"], end)]
    first = next(i for i, lines in enumerate(pages) if LIST_START in " ".join(lines))
    return pages[first:]


def test_the_pdf_lists_every_address_unhyphenated_with_pages(pdf_build: Path) -> None:
    """In print, every address is whole and on one page (broken only where an address may
    break, never with a hyphen the typesetter added or at one of its own, never across a page)
    and every citing place gives its page."""
    pdf = pypdf.PdfReader(pdf_build)
    pages = _list_pages(pdf)
    lines = [line for page in pages for line in page[:-1]]  # the last line: the page number
    on_a_page = [re.sub(r"\s+", "", "".join(page)) for page in pages]
    for url in _source_urls():
        address = re.sub(r"\s+", "", decoded_url(url))
        assert any(address in page for page in on_a_page), url
    # an address's own hyphen never ends a line (words such as "co-government" may)
    broken = [line for line in lines if line.endswith("-") and "/" in line.rsplit(" ", 1)[-1]]
    assert broken == []
    count = len(pdf.pages)
    # "Register, “Milluni” (p. 85)"; a note's page inside its brackets: "note bi (§29, p. 23)"
    numbers = [int(n) for n in re.findall(r"(?:\(|,\s)p\.\s(\d+)\)", " ".join(lines))]
    assert re.search(r"note [a-z]{1,2} \(§\d+, p\. \d+\)", " ".join(lines))
    assert len(numbers) > len(_source_urls())
    assert all(0 < n <= count for n in numbers)


#: an address with a query string ("…/index.php?p=5507", "?oldid=…&title=…")
_QUERY_ADDRESS = re.compile(r"[\w.-]+\.[a-z]{2,}/\S*\?\S+")


def test_no_address_is_printed_outside_the_list(pdf_build: Path) -> None:
    """The notes, apparatus, register and chronology name web pages; only the bibliography
    prints addresses."""
    pdf = pypdf.PdfReader(pdf_build)
    before = chapter_pages(pdf)["Bibliography"]
    text = " ".join(" ".join(page_lines(pdf.pages[i])) for i in range(before))
    assert _QUERY_ADDRESS.findall(text) == []
    assert "en.wikipedia.org/wiki" not in text and "oldid=" not in text


def test_the_html_prints_no_address_outside_the_list(html_build: Path) -> None:
    for page in ("article", "theses", "apparatus", "register", "chronology"):
        html = _soup(html_build / f"{page}.html")
        for hidden in html.select("script, style, template"):
            hidden.decompose()
        text = html.select_one("main, article, body").get_text(" ")
        assert _QUERY_ADDRESS.findall(text) == [], page


def test_an_address_breaks_only_where_an_address_may() -> None:
    assert address_breaks("a.org/b?c=1&amp;d=2") == (
        'a<wbr>.org<wbr><span class="ce-nobreak">/b</span><wbr><span class="ce-nobreak">?c</span>'
        "<wbr>=<wbr>1<wbr>&amp;<wbr>d"
        "<wbr>=<wbr>2"
    )
    assert address_breaks("https://x.org/el-voto") == (
        'https://<wbr>x<wbr>.org<wbr><span class="ce-nobreak">/el</span><wbr>'
        '<span class="ce-nobreak">-voto</span>'
    )
    assert address_breaks("x.org/?p=1") == (  # never broken after a single slash
        'x<wbr>.org<wbr><span class="ce-nobreak">/?p</span><wbr>=<wbr>1'
    )
    assert address_breaks("x.org/~me") == 'x<wbr>.org<wbr><span class="ce-nobreak">/~me</span>'
    assert address_breaks("x.org/a&quot;b") == (  # an escape whole
        'x<wbr>.org<wbr><span class="ce-nobreak">/a&quot;b</span>'
    )


def test_the_list_follows_the_sources_of_a_rebuild(tmp_path: Path) -> None:
    """A source replaced in a note is listed at the next (incremental) build, and the one it
    replaced is not: the list's page is rewritten although nothing on it was edited."""
    docs = copy_project(tmp_path)
    build_edition("html", tmp_path / "out", srcdir=docs)
    layer = [*docs.glob("annotations/*.yaml"), *docs.glob("register/*.yaml")]
    layer.append(docs / "chronology.yaml")
    everything = "".join(path.read_text(encoding="utf-8") for path in layer)
    notes = sorted(docs.glob("annotations/*.yaml"))[0]
    text = notes.read_text(encoding="utf-8")
    cited = next(u for u in re.findall(r"https?://[^\s\"',]+", text) if everything.count(u) == 1)
    new = "https://news.example/a-new-page"
    notes.write_text(text.replace(cited, new), encoding="utf-8")
    app = build_edition("html", tmp_path / "out", srcdir=docs, fresh=False)
    listing = _soup(Path(app.outdir) / "bibliography.html").select_one("dl.ce-webpages")
    addresses = [a["href"] for a in listing.select("a.ce-address")]
    assert new in addresses
    assert cited not in addresses


def test_without_a_list_a_label_links_to_the_page(tmp_path: Path) -> None:
    """An edition without the list: labels link to the pages, and print gives the address."""
    docs = copy_project(tmp_path)
    page = docs / "bibliography.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("```{edition-web-pages}\n```\n", ""), encoding="utf-8")
    app = build_edition("html", tmp_path / "out", srcdir=docs)
    labels = _soup(Path(app.outdir) / "register.html").select("a.ce-weblink")
    assert labels and all(a["href"].startswith("http") for a in labels)


def test_the_directive_is_documented() -> None:
    assert "edition-web-pages" in (DOCS.parent / "REFERENCE.md").read_text(encoding="utf-8")


def test_a_works_address_is_cited_as_the_work(html_build: Path) -> None:
    """A source whose address is a work's in the bibliography is printed as the work's
    author–year label, linked to its entry, and not listed again among the web pages."""
    url, key = "http://www.lexivox.org/norms/BO-DL-19530802.html", "bolivia1953reforma"
    assert bib_urls(DOCS)[url] == key and url in _all_source_urls()
    html = _soup(html_build / "article.html")
    labels = [a for a in html.select("a.ce-bibref") if a.get_text() == bib_labels(DOCS)[key]]
    assert labels and all(a["href"].startswith("bibliography.html#") for a in labels)
    assert not html.select(f'a.ce-weblink[title="{url}"]')


def test_a_domain_named_in_the_text_is_never_hyphenated() -> None:
    """Print sets a site named by its domain apart (``ce-domain``, not hyphenated: "work-
    ersvoiceus.org" read as part of the name), one with a hyphen of its own unbroken too; an
    address keeps its break chances, and "p. 188" or "e.g." is no domain."""
    assert url_breaks("see workersvoiceus.org and Encyclopedia.com.") == (
        'see <span class="ce-domain">workersvoiceus.org</span> and '
        '<span class="ce-domain">Encyclopedia.com</span>.'
    )
    assert url_breaks("lrp-cofi.org") == '<span class="ce-domain ce-nobreak">lrp-cofi.org</span>'
    assert url_breaks("https://x.org/a") == (
        'https://<wbr>x<wbr>.org<wbr><span class="ce-nobreak">/a</span>'
    )
    assert url_breaks("p. 188; e.g. vol. 4") == "p. 188; e.g. vol. 4"
