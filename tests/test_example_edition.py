"""The second edition in examples/: the extension builds another text with documented settings.

``examples/gettysburg`` is Lincoln's Gettysburg Address (the Bliss copy, collated with the
Nicolay copy): its own conf.py, manifest, witness, layer, register, sigla and bibliography. It
is checked, proved faithful to its witness, and built to HTML and PDF like the edition itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_edition
from pypdf import PdfReader
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.config import CONFIG_VALUES
from sphinx_critical_edition.plaintext import (
    first_difference,
    normalise_whitespace,
    transcription_text,
)
from sphinx_critical_edition.texts import load_manifest

EXAMPLE = ROOT / "examples" / "gettysburg"


@pytest.fixture(scope="module")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = build_edition("html", tmp_path_factory.mktemp("example"), srcdir=EXAMPLE / "docs")
    return Path(app.outdir)


def test_the_example_is_faithful_to_its_witness() -> None:
    manifest = load_manifest(EXAMPLE / "source_texts" / "texts.yaml")
    assert manifest.witness.actual_sha256() == manifest.witness.sha256
    for spec in manifest.texts:
        expected = normalise_whitespace(manifest.witness.lines(*spec.witness_lines))
        actual = transcription_text(spec)
        assert actual == expected, first_difference(expected, actual)


def test_the_example_layer_checks_and_has_every_kind() -> None:
    result = check_edition(EXAMPLE / "docs", None)
    assert result.problems == []
    kinds = {a.kind for a in result.layer.annotations}
    assert kinds == {"note", "variant", "emendation", "entity"}
    assert len(result.layer.witnesses) >= 2


def test_the_example_uses_only_documented_settings() -> None:
    """Every edition_* name its conf.py sets is a declared, documented configuration value."""
    tree = ast.parse((EXAMPLE / "docs" / "conf.py").read_text(encoding="utf-8"))
    names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
    declared = {value.name for value in CONFIG_VALUES}
    assert {n for n in names if n.startswith("edition_")} <= declared


def test_the_example_builds_to_html(example_html: Path) -> None:
    page = BeautifulSoup((example_html / "address.html").read_text(), "html.parser")
    assert page.select_one("#p3")  # § numbers
    assert page.select_one(".ce-rdgs") and "upon this continent" in page.get_text()
    assert page.select_one('meta[name="citation_author"]')["content"] == "Abraham Lincoln"
    apparatus = (example_html / "apparatus.html").read_text()
    assert "battlefield" in apparatus  # the list of emendations
    assert "American Civil War" in (example_html / "register.html").read_text()
    listing = BeautifulSoup((example_html / "bibliography.html").read_text(), "html.parser")
    addresses = {a["href"] for a in listing.select("dl.ce-webpages a.ce-address")}
    assert "https://bensguide.gpo.gov/about-the-gettysburg-address" in addresses
    link = page.select_one("a.ce-weblink")
    assert link["href"].startswith("bibliography.html#web-")  # the label leads to the list


def test_the_example_builds_to_pdf(tmp_path: Path) -> None:
    app = build_edition("pdf", tmp_path, srcdir=EXAMPLE / "docs")
    pdf = Path(app.outdir) / "gettysburg-address.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "the Bliss copy, collated with the Nicolay copy" in text  # edition_subtitle
    assert "Four score and seven years ago" in text
    assert "Pulacayo" not in text
