"""The benchmark's baseline is a fair one: the same pages, built by plain Sphinx without errors."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_build  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from sphinx_critical_edition.anchoring import units_of  # noqa: E402
from sphinx_critical_edition.plaintext import parse_transcription  # noqa: E402
from sphinx_critical_edition.texts import Manifest  # noqa: E402


def _paragraph_words(page: Path) -> list[str]:
    """The words of each heading and paragraph of a page built by plain Sphinx (note calls
    and the links to headings left out)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for call in soup.select("a.footnote-reference, a.headerlink"):
        call.decompose()
    blocks = "article p, article h1, article h2, article h3"
    return [" ".join(p.get_text().split()) for p in soup.select(blocks)]


def test_the_plain_project_builds_the_same_pages(tmp_path: Path, manifest: Manifest) -> None:
    """The baseline builds every page the edition has, with every heading, paragraph and
    author's note of both texts word for word, and none of the editorial layer."""
    docs = bench_build.make_plain_project(tmp_path)
    edition_pages = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
    assert len(edition_pages) >= 5
    bench_build.run_build(docs, tmp_path / "out")
    built = sorted(p.stem for p in (tmp_path / "out").glob("*.html"))
    assert set(edition_pages) <= set(built), set(edition_pages) - set(built)
    for key, page in (("sagra", "article.html"), ("pulacayo", "theses.html")):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        # none of the editorial layer: no edition class, no note letter, no register link
        assert not re.search(r'class="[^"]*\bce-', html)
        assert "register.html#reg-" not in html
        shown = " ¶ ".join(_paragraph_words(tmp_path / "out" / page))
        units = units_of(parse_transcription(manifest.text(key).transcription))
        assert len(units) > 10
        missing = [u.key for u in units if " ".join(u.text.split()) not in shown]
        assert missing == [], f"{page} lacks {missing}"
    article = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    assert "Hottschild" in article and "Hochschild" not in article  # the text, as received


def test_the_pdf_baseline_has_no_editorial_layer(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        '<p>Text<span class="ce-note-editorial">a note</span>'
        '<span class="ce-rdgs">readings</span></p><div class="ce-register">r</div>',
        encoding="utf-8",
    )
    bare = bench_build.without_editorial_layer(page, tmp_path / "bare.html").read_text()
    assert "Text" in bare and "a note" not in bare and "readings" not in bare
    assert "ce-register" not in bare
