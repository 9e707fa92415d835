"""Contributed text is untrusted: nothing it holds can run or inject markup on a page."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project
from sphinx.testing.util import SphinxTestApp
from sphinx_critical_edition.check import check_edition

ROOT = Path(__file__).resolve().parent.parent

REFUSED = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<iframe src=//evil.example>",
]
#: payloads that are not markup by themselves: they must come out escaped
ESCAPED = [
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "javascript&#58;alert(1)",
    "{{constructor.constructor('alert(1)')()}}",
]
FIELDS = ["body", "resp", "comment", "reading", "register"]


def inject(docs: Path, field: str, payload: str) -> None:
    quoted = "'" + payload.replace("'", "''") + "'"
    if field == "register":
        path = docs / "register" / "persons.yaml"
        entry = (
            f"  - id: xss\n    type: person\n    name: {quoted}\n    surname: {quoted}\n"
            f"    description: {quoted}\n    sources: ['bib:dunkerley1984rebellion']\n"
        )
        path.write_text(path.read_text() + entry, encoding="utf-8")
        ann = (
            "  - id: xss-ent\n    kind: entity\n    quote: Atamayo\n    ref: xss\n"
            "    resp: editors\n    cert: low\n"
        )
    else:
        body = quoted if field == "body" else "'A note.'"
        resp = quoted if field == "resp" else "editors"
        comment = quoted if field == "comment" else "'c'"
        reading = quoted if field == "reading" else "Busch"
        ann = (
            f"  - id: xss-var\n    kind: variant\n    quote: Buhs\n    resp: {resp}\n"
            f"    cert: low\n    body: {body}\n    readings:\n      - text: {reading}\n"
            f"        lang: es\n        wit: [WV]\n        comment: {comment}\n"
        )
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text() + ann, encoding="utf-8")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("payload", REFUSED)
def test_markup_and_script_links_are_refused_in_every_field(
    tmp_path: Path, field: str, payload: str
) -> None:
    docs = copy_project(tmp_path)
    inject(docs, field, payload)
    problems = [str(p) for p in check_edition(docs).problems]
    assert any("not allowed" in p for p in problems), (field, payload, problems)


@pytest.mark.parametrize("field", FIELDS)
def test_other_payloads_reach_the_page_escaped(tmp_path: Path, field: str) -> None:
    docs = copy_project(tmp_path)
    for i, payload in enumerate(ESCAPED):
        inject(docs, field, payload)
        text = (docs / "annotations" / "sagra-starter.yaml").read_text()
        (docs / "annotations" / "sagra-starter.yaml").write_text(
            text.replace("id: xss-var\n", f"id: xss-var-{i}\n").replace(
                "id: xss-ent\n", f"id: xss-ent-{i}\n"
            ),
            encoding="utf-8",
        )
        reg = docs / "register" / "persons.yaml"
        reg.write_text(reg.read_text().replace("id: xss\n", f"id: xss{i}\n"), encoding="utf-8")
        text = (docs / "annotations" / "sagra-starter.yaml").read_text()
        (docs / "annotations" / "sagra-starter.yaml").write_text(
            text.replace("ref: xss\n", f"ref: xss{i}\n"), encoding="utf-8"
        )
    assert check_edition(docs).problems == []
    app = SphinxTestApp(
        "html", srcdir=docs, builddir=tmp_path / "out", status=StringIO(), warning=StringIO()
    )
    try:
        app.build()
    finally:
        app.cleanup()
    for page in ("article.html", "register.html", "apparatus.html"):
        soup = BeautifulSoup((Path(app.outdir) / page).read_text(), "html.parser")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), (page, tag.name, attr)
                values = value if isinstance(value, list) else [value]
                assert not any(str(v).strip().lower().startswith("javascript:") for v in values)
        scripts = " ".join(s.get_text() for s in soup.find_all("script"))
        assert "alert(1)" not in scripts
        assert "autofocus" not in str(soup.find_all(attrs={"autofocus": True}))
