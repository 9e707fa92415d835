"""Text with ``<``, ``>`` and ``&`` in it reaches the page, escaped: a reading, its comment and
a note's body are shown as written, and never read as markup."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import build_edition, copy_project

#: not markup by the safety check (no tag, no scheme), but markup if written unescaped
READING = "Busch & Co. <= 1937 >"
COMMENT = "x <2 && y >1"
BODY = "Less than (<) and more than (>), & more."

VARIANT = f"""  - id: escaped-reading
    kind: variant
    quote: Buhs
    resp: editors
    cert: low
    body: '{BODY}'
    readings:
      - text: '{READING}'
        lang: es
        wit: [WV]
        comment: '{COMMENT}'
"""


def test_reading_comment_and_body_reach_the_page_escaped(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + VARIANT, "utf-8")
    outdir = Path(build_edition("html", tmp_path / "out", srcdir=docs).outdir)
    html = (outdir / "article.html").read_text(encoding="utf-8")

    # the reading, as visit_rdg writes it: encoded, inside its own span
    escaped = READING.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f'<span class="ce-rdg-text" lang="es">{escaped}</span>' in html
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("#ed-escaped-reading") is not None  # the lemma, in the text
    readings = page.select_one("#ed-escaped-reading-rdgs")  # its readings, beside the paragraph
    assert readings is not None
    assert readings.select_one(".ce-rdg-text").get_text() == READING
    assert readings.select_one(".ce-rdg-comment").get_text() == COMMENT
    assert "x &lt;2 &amp;&amp; y &gt;1" in html
    assert BODY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html
    assert READING not in html and COMMENT not in html  # never written raw
