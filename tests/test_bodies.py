"""Note bodies are parsed in one MyST render per layer file: no body may leak into the next.

(A body may not open a code fence or a block break at all: see tests/hostile/markup/.)"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import build_edition, copy_project

NOTES = {
    "lines": "A body of two paragraphs, the first\non two lines.\n\nAnd a second part.",
    "refdef": "A body that defines a link [target].\n\n[target]: https://example.org/",
    "plain": "A plain body with *emphasis* and a [link](https://example.org/plain).",
    "after": "The body after them all, with `code`.",
}
#: quote and § of each note
QUOTES = {
    "lines": ("Marxismo Vivo", 3),
    "refdef": ("Hernán Siles Zuazo", 4),
    "plain": ("Juan Lechín Oquendo", 4),
    "after": ("Victor Paz Estenssoro", 4),
}


def _notes_file() -> str:
    lines = ["text: sagra", "annotations:"]
    for key, body in NOTES.items():
        lines += [
            f"  - id: body-{key}",
            "    kind: note",
            f"    quote: {QUOTES[key][0]}",
            f"    paragraph: {QUOTES[key][1]}",
            "    resp: editors",
            "    cert: high",
            "    body: |-",
            *(f"      {line}" if line else "" for line in body.split("\n")),
            '    sources: ["bib:sagra2016litci"]',
        ]
    return "\n".join(lines) + "\n"


def test_each_body_stays_in_its_own_note(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    (docs / "annotations" / "sagra-99-bodies.yaml").write_text(_notes_file(), encoding="utf-8")
    app = build_edition("html", tmp_path / "out", srcdir=docs)
    page = BeautifulSoup((Path(app.outdir) / "article.html").read_text(), "html.parser")

    def note(key: str) -> str:
        return " ".join(page.select_one(f"#ed-note-body-{key}").get_text(" ").split())

    assert "And a second part." in note("lines") and "A body that" not in note("lines")
    assert page.select_one("#ed-note-body-refdef a[href='https://example.org/']") is not None
    plain = page.select_one("#ed-note-body-plain")
    assert plain.select_one("em").get_text() == "emphasis"
    assert plain.select_one("a[href^='https']")["href"] == "https://example.org/plain"
    after = page.select_one("#ed-note-body-after")
    assert after.select_one("code").get_text() == "code"
    assert "A plain body" not in after.get_text() and "second part" not in after.get_text()
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), "ids from separately rendered bodies must not repeat"
