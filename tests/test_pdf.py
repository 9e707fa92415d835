"""The PDF, read back with pypdf: pages, text, bookmarks, metadata, PDF/UA."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf


def full_text(reader: pypdf.PdfReader) -> str:
    """The PDF's text with white space normalised and line-end hyphenation undone."""
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return re.sub(r"(\w)- (\w)", r"\1\2", text)


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


def test_first_and_last_paragraphs(pdf_build: Path) -> None:
    text = full_text(pypdf.PdfReader(pdf_build))
    assert "Between April 9 and 11 of 1952, the Bolivian people" in text
    assert "The same story has now been repeated with variations" in text
    assert "build the revolutionary leadership that prevents history from repeating" in text
    assert "Against future massacres, armed workers cadres!" in text
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


def test_pdf_ua_identification_and_tags(pdf_build: Path) -> None:
    reader = pypdf.PdfReader(pdf_build)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part[^0-9]{1,3}1", xmp), xmp
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_fonts_are_embedded(pdf_build: Path) -> None:
    reader = pypdf.PdfReader(pdf_build)
    fonts = {}
    for page in reader.pages[:6]:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            fonts[font["/BaseFont"]] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    # only the packaged font (font-source-serif-pro): the PDF never depends on system fonts
    assert all("Edition-Serif" in name for name in fonts), fonts
