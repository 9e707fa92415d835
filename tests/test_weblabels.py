"""Web sources are printed as citations (site, title), never as raw, percent-escaped URLs."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import DOCS, build_edition, copy_project
from docutils import nodes
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.citelabels import bib_urls
from sphinx_critical_edition.errors import Problem
from sphinx_critical_edition.links import web_link
from sphinx_critical_edition.weblabels import (
    WEB_SOURCES,
    Site,
    WebLabel,
    WebSources,
    address_date,
    decoded_url,
    derived_title,
    distinguished,
    printed_url,
    read_web_sources,
    web_label,
)

TABLE = WebSources(
    {"wiki.example": Site("Example Wiki", publication=True), "archive.example": Site("Archive")},
    {
        "https://archive.example/doc?id=7": ("Letter of 1 May", True),
        "https://archive.example/doc?id=8": ("Volume II, document 8", False),
    },
)
ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@pytest.mark.parametrize(
    ("url", "printed"),
    [
        ("https://en.wiki.example/wiki/Juan_Lech%C3%ADn", "Example Wiki (en), “Juan Lechín”"),
        ("https://es.m.wiki.example/wiki/Golpe_de_Estado", "Example Wiki (es), “Golpe de Estado”"),
        (
            "https://simple.wiki.example/wiki/Chiang_Kai-shek",
            "Example Wiki (Simple English), “Chiang Kai-shek”",
        ),
        ("https://simple.m.wiki.example/wiki/X", "Example Wiki (Simple English), “X”"),
        ("https://simpler.wiki.example/wiki/X", "Example Wiki, “X”"),  # no language code
        ("https://www.archive.example/letters/index.htm", "Archive"),
        ("https://archive.example/doc?id=7", "Archive, “Letter of 1 May”"),
        ("https://archive.example/doc?id=8", "Archive, Volume II, document 8"),
        ("https://www.news.example/2019/10/28/de-pereda-morales-235679.html", "news.example"),
        ("https://news.example/index.php/opinion/4883-marcha-del-primero/", "news.example"),
        ("https://news.example/Ovando+Candia%2C+Alfredo.html", "news.example"),
        ("https://news.example/article.php?n=52", "news.example"),
        ("https://n.example/el-ejercito-de-bolivia-anula-las-elecciones-para", "n.example"),
        ("https://news.example/node/154", "news.example"),
        (
            "https://other.example/w/?title=Germ%C3%A1n_Busch&oldid=1",
            "other.example, “Germán Busch”",
        ),
    ],
)
def test_a_web_source_is_named_by_its_site_and_title(url: str, printed: str) -> None:
    assert str(web_label(url, TABLE)) == printed


def test_a_site_in_the_table_is_a_publication_or_not() -> None:
    assert web_label("https://fr.wiki.example/wiki/X", TABLE).publication
    assert not web_label("https://archive.example/a-b-c", TABLE).publication
    assert not web_label("https://unknown.example/a-b-c", TABLE).publication


def test_an_address_is_decoded_but_keeps_what_would_change_it() -> None:
    assert decoded_url("https://x.example/wiki/Lech%C3%ADn") == "https://x.example/wiki/Lechín"
    assert decoded_url("https://x.example/a%2Fb%3Fc%25") == "https://x.example/a%2Fb%3Fc%25"
    assert (
        decoded_url("https://x.example/de%E2%80%88bolivia")
        == "https://x.example/de%E2%80%88bolivia"
    )
    assert decoded_url("https://x.example/%FF") == "https://x.example/%FF"  # not UTF-8: kept
    assert printed_url("https://x.example/wiki/Potos%C3%AD/") == "x.example/wiki/Potosí"
    # a space and an invisible character stay escaped: the address is shown as it is typed
    assert (
        decoded_url("http://x.example/a%20b.html?c=d%20e") == "http://x.example/a%20b.html?c=d%20e"
    )
    assert printed_url("http://x.example/a%20b%C3%A9") == "x.example/a%20bé"
    assert printed_url("https://x.example/de%E2%80%88bolivia") == "x.example/de%E2%80%88bolivia"
    assert printed_url("https://x.example/a%2Fb") == "x.example/a%2Fb"
    assert derived_title("https://x.example/") == ("", False)


def _table(tmp_path: Path, text: str) -> tuple[WebSources, list[Problem]]:
    (tmp_path / WEB_SOURCES).write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return read_web_sources(tmp_path, problems), problems


def test_the_table_is_read_from_the_project(tmp_path: Path) -> None:
    table, problems = _table(
        tmp_path,
        "sites:\n  - {host: wiki.example, name: Wiki, publication: true}\n"
        "titles:\n  - {url: 'https://a.example/1', title: One}\n",
    )
    assert problems == []
    assert table.sites == {"wiki.example": Site("Wiki", True)}
    assert table.titles == {"https://a.example/1": ("One", True)}
    assert read_web_sources(tmp_path / "none", problems) == WebSources()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "sites:\n  - {host: a.example, name: A}\n  - {host: a.example, name: B}\n",
            3,
            "host 'a.example' is named twice",
        ),
        (
            "titles:\n  - {url: 'https://a.example/1', title: A}\n"
            "  - {url: 'https://a.example/1', title: B}\n",
            3,
            "https://a.example/1 has two titles",
        ),
        (
            "titles:\n  - {url: 'https://a.example/1', title: A, description: B}\n",
            2,
            "either its title (printed in quotation marks) or a description",
        ),
        ("titles:\n  - {url: 'a.example/1', title: A}\n", 2, "does not match '^https?://"),
        (
            "titles:\n  - {url: 'https://a.example/a b', title: A}\n",
            2,
            "'https://a.example/a b' does not match '^https?://",
        ),
        ("titles:\n  - {url: 'https:///1', title: A}\n", 2, "is no web address"),
        (
            "titles:\n  - {url: 'https://a.example/1', title: A, lang: xx}\n",
            2,
            "'xx' is not one of ['de', 'en', 'es', 'fr', 'it', 'pt']",
        ),
        ("sites:\n  - {host: A.Example, name: A}\n", 2, "does not match"),
        ("sites:\n  - {host: a.example, nom: A}\n", 2, "allowed fields: host, name, publication"),
        (
            "titles:\n  - {url: 'https://a.example/1', title: A}\n"
            "  - {url: 'https://a.example/2', description: 'preface to *Bolivie'}\n",
            3,
            "has an unpaired '*'",
        ),
    ],
)
def test_a_bad_table_is_an_error_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    _, problems = _table(tmp_path, text)
    assert problems, text
    assert any(p.line == line and message in p.message for p in problems), problems
    assert all(p.path.endswith(WEB_SOURCES) for p in problems)


def test_a_work_named_in_a_title_is_printed_in_italics() -> None:
    """A book or periodical named within a description ("Lora's *Bolivie*") is italic, like a
    publication's name; the plain label keeps its words without the marks."""
    url = "https://archive.example/doc?id=9"
    table = WebSources(
        TABLE.sites, {url: ("preface to Lora's *Bolivie*, *La Patria*, 1 May", False)}
    )
    label = web_label(url, table)
    assert str(label) == "Archive, preface to Lora's Bolivie, La Patria, 1 May"
    link = web_link(url, label)
    assert [e.astext() for e in link.findall(nodes.emphasis)] == ["Bolivie", "La Patria"]
    assert link.astext() == "Archive, preface to Lora’s Bolivie, La Patria, 1\u00a0May"
    quoted = web_link(url, WebLabel("Archive", title="On *Capital*", quoted=True))
    assert quoted.astext() == "Archive, “On Capital”"
    assert [e.astext() for e in quoted.findall(nodes.emphasis)] == ["Capital"]
    _, problems = _table_in_memory()
    assert problems == []


def test_a_quotation_within_a_quoted_title_is_in_single_marks() -> None:
    """A title that opens with a quotation is not printed with two double marks meeting
    (““Today…”: …”): the quotation within takes single marks; an unquoted one keeps its own."""
    url = "https://history.example/new_stage.html"
    title = '"Today a New Stage Begins": Che in *Bolivia*'
    quoted = web_link(url, WebLabel("history.example", title=title, quoted=True))
    assert quoted.astext() == "history.example, “‘Today a New Stage Begins’: Che in Bolivia”"
    assert [e.astext() for e in quoted.findall(nodes.emphasis)] == ["Bolivia"]
    plain = web_link(url, WebLabel("history.example", title=title, quoted=False))
    assert plain.astext() == "history.example, “Today a New Stage Begins”: Che in Bolivia"


def _table_in_memory() -> tuple[WebSources, list[Problem]]:
    """The project's own table, read as the check reads it."""
    problems: list[Problem] = []
    return read_web_sources(DOCS, problems), problems


def test_the_check_reports_the_tables_problems(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    (docs / WEB_SOURCES).write_text("sites:\n  - {host: a.example}\n", encoding="utf-8")
    problems = check_edition(docs).problems
    assert [(Path(p.path).name, p.line) for p in problems] == [(WEB_SOURCES, 2)], problems


def _source_urls() -> set[str]:
    """Every URL given as a source in the layer (annotations, register, chronology)."""
    urls: set[str] = set()

    def walk(data: object) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if key == "sources":
                    urls.update(s for s in value if not s.startswith("bib:"))
                else:
                    walk(value)
        elif isinstance(data, list):
            for item in data:
                walk(item)

    for path in [*DOCS.glob("annotations/*.yaml"), *DOCS.glob("register/*.yaml")]:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    walk(yaml.safe_load((DOCS / "chronology.yaml").read_text(encoding="utf-8")))
    return urls


def test_no_address_is_shown_with_a_space() -> None:
    """Every address the edition shows (the layer's sources, the bibliography's, the table's),
    as the list of web pages, the bibliography and print show it, holds no space: a reader
    copies or types it as one word. Some are written with %20, which stays."""
    table = read_web_sources(DOCS, [])
    addresses = _source_urls() | set(bib_urls(DOCS)) | set(table.titles)
    assert any("%20" in url for url in addresses)  # the case is tested
    for url in addresses:
        for shown in (decoded_url(url), printed_url(url)):
            assert not re.search(r"\s", shown), shown


@pytest.mark.parametrize("page", ["register", "chronology", "apparatus", "article"])
def test_the_pages_print_citations_not_addresses(html_build: Path, page: str) -> None:
    html = BeautifulSoup((html_build / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    links = html.select("a.ce-weblink")
    assert links
    addresses = {decoded_url(url) for url in _source_urls()}
    for link in links:
        text = link.get_text()
        assert text.strip(), link
        assert "http" not in text and not ESCAPE.search(text), link
        assert link["href"].startswith("bibliography.html#web-"), link  # the list's entry
        assert link["title"] in addresses  # the address, decoded
    raw = [a for a in html.select("a[href^='http']") if a.get_text().startswith("http")]
    assert raw == []
    for sources in html.select(".ce-sources, .ce-rdg-sources, .ce-apparatus-entry"):
        assert not re.search(r"\s[;,]", sources.get_text()), sources


def test_a_register_entry_names_its_sources(html_build: Path) -> None:
    html = BeautifulSoup((html_build / "register.html").read_text(encoding="utf-8"), "html.parser")
    lechin = next(p for p in html.select("p.ce-sources") if "Juan_Lech" in str(p))
    assert "Wikipedia (en), “Juan Lechín”" in lechin.get_text()
    assert lechin.select_one("a.ce-weblink em").get_text() == "Wikipedia"  # a publication


def test_print_names_the_page_and_lists_its_address(pdf_build: Path) -> None:
    """Paper has no tooltip: the register names a web page by its site and title, and the
    list of web pages in the bibliography gives its address, decoded."""
    pdf = pypdf.PdfReader(pdf_build)
    chapters = {
        item.title: pdf.get_destination_page_number(item)
        for item in pdf.outline
        if not isinstance(item, list)
    }
    first, last = chapters["Register of names"], chapters["Bibliography"]
    text = " ".join(page.extract_text() or "" for page in pdf.pages[first:last])
    words = re.sub(r"\s+", " ", text)
    assert "Wikipedia (en), “Juan Lechín”" in words
    assert "en.wikipedia.org/wiki/Juan_Lechín" not in re.sub(r"\s+", "", text)
    assert "http" not in text
    listed = " ".join(page.extract_text() or "" for page in pdf.pages[last:])
    assert "https://en.wikipedia.org/wiki/Juan_Lechín" in re.sub(r"\s+", "", listed)


def test_an_incremental_build_follows_the_table(tmp_path: Path) -> None:
    """The pages that print web sources are rewritten when the editors rename a site."""
    docs = copy_project(tmp_path)
    build_edition("html", tmp_path / "out", srcdir=docs)
    path = docs / WEB_SOURCES
    text = path.read_text(encoding="utf-8")
    assert text.count("name: Wikipedia,") == 1
    path.write_text(text.replace("name: Wikipedia,", "name: Wikipedia Renamed,"), encoding="utf-8")
    app = build_edition("html", tmp_path / "out", srcdir=docs, fresh=False)
    for page in ("register.html", "chronology.html"):
        assert "<em>Wikipedia Renamed</em> (en)" in (Path(app.outdir) / page).read_text(), page


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://elpais.example/opinion/20110125_81776-el-m-n-r.html", "25 January 2011"),
        ("https://blog.example/2017/12/fundacion-de-la.html", "December 2017"),
        ("https://news.example/politico/2018/01/31/el-partido/", "31 January 2018"),
        ("https://news.example/noticias/2012/2012_07/nt120721/politica.php?n=52", "21 July 2012"),
        ("https://news.example/node/20110125", ""),  # an id, not a date: no separator after it
        ("https://news.example/a/1999/13/b", ""),
        ("https://news.example/a-b-c", ""),
    ],
)
def test_the_date_an_address_carries(url: str, date: str) -> None:
    assert address_date(url) == date


def test_one_site_twice_in_a_line_is_told_apart_by_its_dates() -> None:
    urls = [
        "https://news.example/2011/01/25/a-b",
        "https://news.example/2012/05/03/c-d",
        "https://other.example/2012/05/03/e",
        "https://en.wiki.example/wiki/X",
    ]
    labels = distinguished([web_label(u, TABLE) for u in urls], urls)
    assert [str(label) for label in labels] == [
        "news.example, 25 January 2011",
        "news.example, 3 May 2012",
        "other.example",  # alone in its line: its name is enough
        "Example Wiki (en), “X”",
    ]


def test_an_untitled_page_beside_a_titled_one_of_its_site_is_told_apart() -> None:
    """ "*El País*, “Un presidente secuestrado”; *El País*" read as one page named twice (review
    12): the untitled page of a site the line names twice gives its date, or else its path."""
    table = WebSources(titles={"https://news.example/2011/01/25/a-b": ("A title", True)})
    urls = [
        "https://news.example/2011/01/25/a-b",
        "https://news.example/diario/1984/07/05/opinion/457826403_850215.html",
        "http://www.lrp.example/pamphlets/intro.html",
    ]
    assert [str(label) for label in distinguished([web_label(u, table) for u in urls], urls)] == [
        "news.example, “A title”",
        "news.example, 5 July 1984",
        "lrp.example",
    ]
    undated = ["https://news.example/2011/01/25/a-b", "https://news.example/a/intro.html"]
    labels = distinguished([web_label(u, table) for u in undated], undated)
    assert [str(label) for label in labels] == [
        "news.example, “A title”",
        "news.example, /a/intro.html",
    ]


def test_one_site_twice_in_a_line_without_dates_is_told_apart_by_its_paths() -> None:
    """Never "site.org; site.org": two undated pages of one site show where each lies, as an
    address (not a title made from it); a page with a title keeps it."""
    urls = [
        "http://www.lrp.example/pamphlets/intro.html",
        "http://www.lrp.example/pamphlets/four.html?id=%C3%A9",
        "https://en.wiki.example/wiki/X",
        "https://en.wiki.example/wiki/Y",
    ]
    labels = distinguished([web_label(u, TABLE) for u in urls], urls)
    assert [str(label) for label in labels] == [
        "lrp.example, /pamphlets/intro.html",
        "lrp.example, /pamphlets/four.html?id=é",
        "Example Wiki (en), “X”",
        "Example Wiki (en), “Y”",
    ]
    assert not labels[0].quoted


#: a word of an address's path: what a slug is made of
_SLUG_WORD = re.compile(r"[a-z]{3,}")


def test_no_label_is_made_from_an_address(tmp_path: Path) -> None:
    """A label names the site, then a title the editors read or a MediaWiki page's name;
    never words taken from the address's path ("elpais.bo, 20110125 81776 el m n r y sus"),
    which lose case and accents. Every source of the layer is checked; most of their
    addresses are slugs, so a label made from one would be caught."""
    table = read_web_sources(DOCS, [])
    urls = sorted(_source_urls())
    slugs = [u for u in urls if len(_SLUG_WORD.findall(urlsplit(u).path.lower())) >= 3]
    assert len(slugs) > 150, len(slugs)  # the check has slugs to catch
    made = []
    for url in urls:
        label = web_label(url, table)
        if url in table.titles:
            continue
        split = urlsplit(url)
        if label.title:
            assert label.quoted and ("/wiki/" in split.path or "title=" in split.query), url
            continue
        path_words = set(_SLUG_WORD.findall(unquote(split.path).lower()))
        site_words = set(_SLUG_WORD.findall(label.site.lower()))
        if (path_words - site_words) & set(_SLUG_WORD.findall(str(label).lower())):
            made.append(f"{label} | {url}")
    assert made == []
    # the check itself: a label made the old way, from the slug, is caught
    old = WebLabel("elpais.bo", title="el m n r y sus setenta anos de vigencia")
    path = "/opinion/20110125_81776-el-m-n-r-y-sus-setenta-anos-de-vigencia.html"
    assert set(_SLUG_WORD.findall(path)) & set(_SLUG_WORD.findall(str(old).lower()))


_ESCAPED_TEXT = re.compile(r"(?:%[0-9A-F]{2})+")


def _needless_escapes(text: str) -> list[str]:
    """The escapes in *text* that stand for readable text ("Potos%C3%AD"): an address is shown
    decoded but for what decoding would change or hide (a space, "/", an invisible mark)."""
    kept = set(" /?#@&+=%")
    return [
        run
        for run in _ESCAPED_TEXT.findall(text)
        if any(c not in kept and c.isprintable() for c in unquote(run))
    ]


@pytest.mark.parametrize("page", ["bibliography", "register", "apparatus", "article"])
def test_no_escape_in_the_text_of_a_page(html_build: Path, page: str) -> None:
    html = BeautifulSoup((html_build / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    for hidden in html.select("script, style"):
        hidden.decompose()
    text = html.get_text()
    assert "Sources" in text or page == "bibliography"
    assert _needless_escapes(text) == [], page


def test_no_escape_in_the_text_of_the_pdf(pdf_build: Path) -> None:
    pdf = pypdf.PdfReader(pdf_build)
    text = re.sub(r"\s+", "", " ".join(page.extract_text() or "" for page in pdf.pages))
    # the bibliography's address, its spaces escaped as it is typed
    assert "masas.nu/historia%20del%20movimiento%20obrero.html" in text
    assert _needless_escapes(text) == []
    assert _needless_escapes("x.org/Potos%C3%AD, x.org/a%20b%E2%80%88c") == ["%C3%AD"]
