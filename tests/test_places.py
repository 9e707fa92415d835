"""Links from editorial text to a place in the edition (``places.py``), end to end.

``[§12](#p12)`` in a note goes to §12 of the note's own text, ``theses.md#p3`` to §3 of the
text on that page, ``register.md#reg-…`` to an anchor a page has. The check refuses a place
that does not exist (the hostile markup corpus has the refusals in each field); here a copy of
the edition with such links in a note, an emendation's reason and a register description is
built, and every link must lead to an element with its id. In the PDF they are internal links.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_edition, copy_project
from pypdf import PdfReader
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.places import Places


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_links(docs: Path) -> None:
    """A note on the article, a reason on the Theses and a register description, linking."""
    _replace(
        docs / "annotations" / "sagra-01-preface-to-p26.yaml",
        "    body: >-\n      Paz Estenssoro (MNR) came first",
        "    body: >-\n      Compare [§12](#p12), [Theses §3](theses.md#p3),"
        " [Paz](register.md#reg-paz-estenssoro), [the list](apparatus.md#list-of-emendations)"
        " and [the Theses](theses.md); see [](#ed-note-a1-sui-generis-20).\n"
        "      Paz Estenssoro (MNR) came first",
    )
    _replace(
        docs / "annotations" / "pulacayo.yaml",
        "    body: Typing error.\n",
        "    body: Typing error; compare [§3](#p3), [Sagra §12](article.md#p12),"
        " [](#ed-note-a4-p2-founded) and the article's [](article.md#ed-note-a1-sui-generis-20).\n",
    )
    _replace(
        docs / "register" / "persons.yaml",
        "description: Bolivian lawyer and politician, born in Tarija,",
        "description: Bolivian lawyer and politician ([Sagra §12](article.md#p12)), born in"
        " Tarija,",
    )


@pytest.fixture(scope="module")
def linked_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("places")
    docs = copy_project(tmp)
    _with_links(docs)
    assert check_edition(docs).problems == []
    return Path(build_edition("html", tmp / "out", srcdir=docs).outdir)


def _places(page: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(a.get_text(), a["href"]) for a in soup.select("a.ce-place")]


def test_each_link_goes_where_its_form_says(linked_html: Path) -> None:
    """``#pN`` is §N of the note's own text (``t3`` on the Theses' page); a page's ``#pN`` is
    §N of the text on that page; other anchors and pages are kept."""
    article = _places(linked_html / "article.html")
    expected = [
        ("§12", "#p12"),
        ("Theses §3", "theses.html#t3"),
        ("Paz", "register.html#reg-paz-estenssoro"),
        ("the list", "apparatus.html#list-of-emendations"),
        ("the Theses", "theses.html"),
    ]
    # in this order, the first of each (other links, e.g. to other notes, may come between)
    firsts = [article.index(place) for place in expected]
    assert firsts == sorted(firsts)
    assert all(not href.endswith(".md") for _, href in article)
    assert ("§3", "#t3") in _places(linked_html / "theses.html")  # a reason, in its box
    assert ("Sagra §12", "article.html#p12") in _places(linked_html / "theses.html")
    assert ("Sagra §12", "article.html#p12") in _places(linked_html / "register.html")
    # the reason again in the list of emendations, linked from that page
    assert ("§3", "theses.html#t3") in _places(linked_html / "apparatus.html")


def _letter(page: Path, note: str) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup.find(id=f"ed-note-{note}").select_one(".ce-note-label").get_text().strip()


def test_a_link_to_another_note_prints_its_letter(linked_html: Path) -> None:
    """``[](#ed-note-ID)`` is printed "note w", with the letter the note has in this build, in
    a note and in a reason (its box and the list of emendations)."""
    article, theses = linked_html / "article.html", linked_html / "theses.html"
    w = _letter(article, "a1-sui-generis-20")
    d = _letter(theses, "a4-p2-founded")
    assert w and d
    assert (f"note {w}", "#ed-note-a1-sui-generis-20") in _places(article)
    assert (f"note {d}", "#ed-note-a4-p2-founded") in _places(theses)
    listed = (f"note {d}", "theses.html#ed-note-a4-p2-founded")
    assert listed in _places(linked_html / "apparatus.html")
    # a note on the other text, by its page: its letter there, a link to that page
    assert (f"note {w}", "article.html#ed-note-a1-sui-generis-20") in _places(theses)
    assert (f"note {w}", "article.html#ed-note-a1-sui-generis-20") in _places(
        linked_html / "apparatus.html"
    )


@pytest.mark.parametrize(
    ("href", "text", "problem"),
    [
        ("#ed-note-n1", "sagra", None),
        ("#ed-note-n2", "sagra", "there is no editorial note 'n2' on the text 'sagra'"),
        ("#ed-note-n1", "pulacayo", "there is no editorial note 'n1' on the text 'pulacayo'"),
        ("#ed-note-n1", "", "only a note on a text may link to another note"),
    ],
)
def test_a_link_to_a_note_that_is_not_one_on_the_same_text_is_refused(
    href: str, text: str, problem: str | None
) -> None:
    places = Places(frozenset(), {}, {}, {}, {"n1": "sagra"})
    found = places.problem(href, text)
    assert found == problem if problem is None else problem in found


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        ("article.md#ed-note-n1", None),  # from any editorial text, a note on another page
        ("theses.md#ed-note-n1", "there is no editorial note 'n1' on the text of theses.md; "),
        ("theses.md#ed-note-n1", "it is on article.md"),
        ("about.md#ed-note-n1", "on about.md, which holds no text"),
        ("article.md#ed-note-n9", "there is no editorial note 'n9' on the text of article.md"),
    ],
)
def test_a_link_to_a_note_on_another_page_names_that_page(href: str, problem: str | None) -> None:
    pages = frozenset({"article", "theses", "about"})
    places = Places(pages, {"article": "sagra", "theses": "pulacayo"}, {}, {}, {"n1": "sagra"})
    for text in ("sagra", "pulacayo", ""):
        found = places.problem(href, text)
        assert found == problem if problem is None else problem in found


def test_check_names_the_line_of_a_link_to_a_note_on_the_wrong_page(tmp_path: Path) -> None:
    """The check refuses a note linked by the wrong page where it is written (file:line), and
    names the page that holds the note."""
    docs = copy_project(tmp_path)
    persons = docs / "register" / "persons.yaml"
    _replace(
        persons,
        "description: Bolivian lawyer and politician, born in Tarija,",
        "description: Bolivian lawyer and politician ([](theses.md#ed-note-a1-junta-1)), born in"
        " Tarija,",
    )
    line = next(
        n
        for n, text in enumerate(persons.read_text(encoding="utf-8").splitlines(), 1)
        if "theses.md#ed-note-a1-junta-1" in text
    )
    problems = [str(p) for p in check_edition(docs).problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{persons}:{line}: "), problems
    assert (
        "no editorial note 'a1-junta-1' on the text of theses.md; it is on article.md"
        in (problems[0])
    )


def test_every_link_to_a_place_resolves_to_an_element(linked_html: Path) -> None:
    found = 0
    for page in sorted(linked_html.glob("*.html")):
        for _, href in _places(page):
            target = urlsplit(href)
            path = linked_html / target.path if target.path else page
            assert path.is_file(), f"{page.name}: {href}"
            if target.fragment:
                soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
                assert soup.find(id=target.fragment), f"{page.name}: {href} leads nowhere"
            found += 1
    assert found >= 10


def test_the_exports_link_the_same_places(linked_html: Path) -> None:
    """The Web Annotations (read away from the site) give the published address; the TEI
    points at the paragraph's xml:id."""
    items = json.loads((linked_html / "annotations.jsonld").read_text(encoding="utf-8"))
    bodies = {
        item["id"].rsplit("#ed-", 1)[1]: item["body"][0].get("value", "")
        for item in items["first"]["items"]
    }
    base = items["id"].removesuffix("annotations.jsonld")  # html_baseurl
    assert f"[§12]({base}article.html#p12)" in bodies["a1-junta-1"]
    assert f"[Theses §3]({base}theses.html#t3)" in bodies["a1-junta-1"]
    assert f"[§3]({base}theses.html#t3)" in bodies["beeing"]
    tei = (linked_html / "edition.tei.xml").read_text(encoding="utf-8")
    assert '<ref target="#p12">§12</ref>' in tei
    assert '<ref target="#t3">§3</ref>' in tei


def test_in_the_pdf_a_place_is_an_internal_link_printed_as_written(tmp_path: Path) -> None:
    """The small example edition: a note's ``[§2](#p2)`` becomes a link inside the PDF, and
    the page shows "§2" and no address."""
    example = ROOT / "examples" / "gettysburg"
    shutil.copytree(example, tmp_path / "ex", ignore=shutil.ignore_patterns("_build"))
    docs = tmp_path / "ex" / "docs"
    _replace(
        docs / "annotations" / "address.yaml",
        "Independence.\n",
        "Independence; see [§2 below](#p2).\n",
    )
    assert check_edition(docs).problems == []
    out = Path(build_edition("pdf", tmp_path / "out", srcdir=docs).outdir)
    reader = PdfReader(next(out.glob("*.pdf")))
    links = [
        annot.get_object()
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if annot.get_object().get("/Subtype") == "/Link"
    ]
    uris = [a["/A"].get("/URI", "") for a in links if "/A" in a]
    assert not any("#p2" in str(u) or "address.html" in str(u) for u in uris), uris
    internal = [a for a in links if "/Dest" in a or a.get("/A", {}).get("/S") == "/GoTo"]
    text = "".join(page.extract_text() for page in reader.pages)
    assert "see §2 below" in re.sub(r"\s+", " ", text)
    assert "#p2" not in text and "address.html" not in text
    named = {str(a.get("/Dest", a.get("/A", {}).get("/D", ""))) for a in internal}
    assert any("p2" in name for name in named), named


def test_a_page_links_to_an_editors_note_by_its_id(html_build: Path) -> None:
    """ "see {edition:note}`a1-junta-1`" in the introduction: the note's letter and place in
    this build, linked to the note (a letter written by hand would go stale)."""
    page = BeautifulSoup((html_build / "introduction.html").read_text(encoding="utf-8"), "lxml")
    link = page.select_one('a[href="article.html#ed-note-a1-junta-1"]')
    assert link is not None
    assert re.fullmatch(r"note [a-z]{1,2} \(§1\)", link.get_text()), link


def test_a_page_link_to_an_unknown_note_fails_the_build(tmp_path: Path) -> None:
    """A mistyped id is never printed as a dead link: Sphinx reports the reference it could
    not resolve, with the page and line, and the build (``-W``) stops."""
    docs = copy_project(tmp_path)
    page = docs / "about.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSee {edition:note}`a1-no-such-note`.\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match=r"about\.md:\d+.*a1-no-such-note"):
        build_edition("html", tmp_path / "build", srcdir=docs)
