"""The benchmark's baseline is a fair one: the same pages, built by plain Sphinx without errors."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_build  # noqa: E402


def test_the_plain_project_builds_the_same_pages(tmp_path: Path) -> None:
    docs = bench_build.make_plain_project(tmp_path)
    edition_pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert sorted(p.name for p in docs.glob("*.md")) == edition_pages
    assert not any("{edition-" in p.read_text(encoding="utf-8") for p in docs.glob("*.md"))
    seconds, peak_kib, cpu = bench_build.run_build(docs, tmp_path / "out")
    assert seconds > 0 and peak_kib > 0 and cpu > 0
    article = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    assert "By Alicia Sagra" in article and "Hottschild" in article  # the text, as received
    assert "ce-app" not in article  # none of the editorial layer


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
