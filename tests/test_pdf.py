"""The PDF, read back with pypdf: pages, text, bookmarks, metadata, PDF/UA."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pypdf
from sphinx_critical_edition.anchoring import units_of
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.texts import Manifest


def full_text(reader: pypdf.PdfReader) -> str:
    """The PDF's text with white space normalised and line-end hyphenation undone."""
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return re.sub(r"(\w)- (\w)", r"\1\2", text)


@dataclass(frozen=True)
class Chunk:
    """A run of text as drawn on a page: where (in points from the bottom left) and how big."""

    x: float
    y: float
    size: float
    text: str


def chunks(page: pypdf.PageObject) -> list[Chunk]:
    """The page's text runs in content order, with their positions (pypdf's text visitor)."""
    found: list[Chunk] = []

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Chunk(round(x, 1), round(y, 1), round(size, 2), text))

    page.extract_text(visitor_text=visit)
    return found


def outline_titles(outline: list) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(outline_titles(item))
        else:
            titles.append(item.title)
    return titles


def test_page_count(pdf_build: Path) -> None:
    pages = len(pypdf.PdfReader(pdf_build).pages)
    assert 12 <= pages <= 150, pages


def body_text(reader: pypdf.PdfReader) -> str:
    """The text in the body's size, page after page (no notes, running heads or calls between a
    page's last line and the next page's first), white space and hyphenation as full_text."""
    pages = [chunks(page) for page in reader.pages]
    size = next(c.size for page in pages for c in page if "Between April 9 and 11" in c.text)
    text, y = "", None
    for run in (c for page in pages for c in page if c.size == size):
        text += (" " if run.y != y else "") + run.text
        y = run.y
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))


def test_first_and_last_paragraphs(pdf_build: Path) -> None:
    """The texts' first and last words are printed (the last paragraph of the Theses runs on to
    a page of its own, after the notes of the page before)."""
    text = body_text(pypdf.PdfReader(pdf_build))
    assert "Between April 9 and 11 of 1952, the Bolivian people" in text
    assert "The same story has now been repeated with variations" in text
    assert "build the revolutionary leadership that prevents history from repeating" in text
    # an editors' call (a letter or two) may stand before the "!"
    assert re.search(r"Against future massacres, armed workers cadres[a-z]{0,2}!", text)
    assert "the name of the fallen woman who had led the march with a flag" in text


def test_author_notes_are_footnotes(pdf_build: Path) -> None:
    reader = pypdf.PdfReader(pdf_build)
    for page in reader.pages:
        text = " ".join((page.extract_text() or "").split())
        if "José Zegada" in text:
            assert "Rebellion in the Veins, Verso, London, 1984, p. 64." in text
            break
    else:
        raise AssertionError("paragraph with note 2 not found")


def test_notes_are_printed_at_the_foot_of_their_page(pdf_build: Path, manifest: Manifest) -> None:
    """Every author's note sits below all the body text of its page (``float: footnote``); a
    note printed inline would have body lines under it."""
    reader = pypdf.PdfReader(pdf_build)
    pages = [chunks(page) for page in reader.pages]
    units = units_of(parse_transcription(manifest.text("sagra").transcription))
    notes = {u.key: u.text for u in units if u.key.startswith("n")}
    assert len(notes) == 24
    body_size = next(c.size for page in pages for c in page if "Between April 9 and 11" in c.text)
    for key, text in notes.items():
        # a note opens with its marker ("3. ", print.css), smaller than the body
        placed = [
            (page, after)
            for page in pages
            for run, after in itertools.pairwise(page)
            if run.text.strip() == f"{key[1:]}." and run.size < body_size
        ]
        assert len(placed) == 1, (
            f"note {key} ({text[:30]!r}): {len(placed)} footnote markers '{key[1:]}.' "
            "(none: the notes are not printed as footnotes)"
        )
        page, note = placed[0]
        below = [c.text for c in page if c.size == body_size and c.y <= note.y]
        assert below == [], f"note {key} is not at the foot: body text below it: {below[:3]}"
        assert note.size < body_size, f"note {key} is printed at the body's size"


def test_every_paragraph_shows_its_number(pdf_build: Path, manifest: Manifest) -> None:
    """Every numbered paragraph of both texts shows its § number (a "§" run, then the number),
    in text order: the citation system survives in print."""
    reader = pypdf.PdfReader(pdf_build)
    expected = [
        u.key
        for spec in manifest.texts
        for u in units_of(parse_transcription(spec.transcription))
        if u.key[0].isdigit()  # a § paragraph (not a note, not a heading)
    ]
    assert len(expected) > 80
    shown = []
    for page in reader.pages:
        runs = chunks(page)
        for run, after in itertools.pairwise(runs):
            if run.text.strip() == "§" and after.text.strip().isdigit():
                shown.append(after.text.strip())
    assert shown == expected


def test_bookmarks(pdf_build: Path) -> None:
    titles = outline_titles(pypdf.PdfReader(pdf_build).outline)
    for heading in (
        "The 1952 Bolivian Revolution",
        "1952: When Trotskyism could have led the seizure of power",
        "Twice more, history repeats itself",
        "The Pulacayo Theses",
        "Bibliography",
        "About this edition",
    ):
        assert heading in titles, (heading, titles)


def test_metadata(pdf_build: Path) -> None:
    reader = pypdf.PdfReader(pdf_build)
    meta = reader.metadata
    assert meta.title == "The 1952 Bolivian Revolution"
    assert meta.author == "Alicia Sagra"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def structure_types(element: object, counts: dict[str, int]) -> dict[str, int]:
    """How many structure elements of each type (/P, /H1, /Link, …) lie under *element*."""
    element = element.get_object() if hasattr(element, "get_object") else element
    if isinstance(element, list):
        for kid in element:
            structure_types(kid, counts)
    elif isinstance(element, dict):
        if "/S" in element:
            counts[element["/S"]] = counts.get(element["/S"], 0) + 1
        if "/K" in element:
            structure_types(element["/K"], counts)
    return counts


def test_pdf_ua_identification_and_tags(pdf_build: Path) -> None:
    """PDF/UA-1 is claimed, the document is marked, has a language and a real structure tree:
    headings, paragraphs (at least one per § of the texts), lists, tables with header cells,
    links; and every page's marked content is tied to the tree."""
    reader = pypdf.PdfReader(pdf_build)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part[^0-9]{1,3}1", xmp), xmp
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    tree = root["/StructTreeRoot"].get_object()
    assert "/ParentTree" in tree
    counts = structure_types(tree["/K"], {})
    assert counts.get("/Document") == 1, counts
    for kind, least in {
        "/H1": 1,
        "/H2": 1,
        "/P": 100,  # the two texts have 91 numbered paragraphs, plus notes and back matter
        "/L": 1,
        "/LI": 10,
        "/Table": 1,
        "/TH": 1,
        "/TD": 10,
        "/Link": 100,
    }.items():
        assert counts.get(kind, 0) >= least, (kind, counts)
    assert all("/StructParents" in page for page in reader.pages)


def test_fonts_are_embedded(pdf_build: Path) -> None:
    """Every font on every page is embedded, and is the packaged one: the PDF never depends on
    the reader's or the build machine's fonts."""
    reader = pypdf.PdfReader(pdf_build)
    embedded: dict[str, bool] = {}
    for number, page in enumerate(reader.pages, 1):
        fonts = page["/Resources"].get("/Font", {})
        if page.extract_text().strip():
            assert fonts, f"page {number} has text but no font"
        for font in fonts.values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            ).get_object()
            has_file = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            name = str(font["/BaseFont"])
            embedded[name] = embedded.get(name, True) and has_file
    assert len(embedded) >= 2 and all(embedded.values()), embedded
    # only the packaged font (font-source-serif-pro): the PDF never depends on system fonts
    assert all("Edition-Serif" in name for name in embedded), embedded
