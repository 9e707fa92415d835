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
    "javascript&#58;alert(1)",  # a scheme however written: entities, tabs, case
    "[x](java&#x09;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "<java\tscript:alert(1)>",
]
#: payloads that are not markup by themselves: they must come out escaped
ESCAPED = [
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{constructor.constructor('alert(1)')()}}",
]
FIELDS = ["body", "resp", "comment", "reading", "register"]


def quoted(payload: str) -> str:
    """*payload* as a single-quoted YAML scalar."""
    return "'" + payload.replace("'", "''") + "'"


def inject(docs: Path, field: str, payload: str) -> Path:
    """Add *payload* in *field* of a new annotation (or register entry); returns the file."""
    quoted_payload = quoted(payload)
    if field == "register":
        path = docs / "register" / "persons.yaml"
        entry = (
            f"  - id: xss\n    type: person\n    name: {quoted_payload}\n"
            f"    surname: {quoted_payload}\n"
            f"    description: {quoted_payload}\n    sources: ['bib:dunkerley1984rebellion']\n"
        )
        path.write_text(path.read_text() + entry, encoding="utf-8")
        register = path
        ann = (
            "  - id: xss-ent\n    kind: entity\n    quote: Atamayo\n    ref: xss\n"
            "    resp: editors\n    cert: low\n"
        )
    else:
        body = quoted_payload if field == "body" else "'A note.'"
        resp = quoted_payload if field == "resp" else "editors"
        comment = quoted_payload if field == "comment" else "'c'"
        reading = quoted_payload if field == "reading" else "Busch"
        ann = (
            f"  - id: xss-var\n    kind: variant\n    quote: Buhs\n    resp: {resp}\n"
            f"    cert: low\n    body: {body}\n    readings:\n      - text: {reading}\n"
            f"        lang: es\n        wit: [WV]\n        comment: {comment}\n"
        )
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text() + ann, encoding="utf-8")
    return register if field == "register" else path


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("payload", REFUSED)
def test_markup_and_script_links_are_refused_in_every_field(
    tmp_path: Path, field: str, payload: str
) -> None:
    docs = copy_project(tmp_path)
    path = inject(docs, field, payload)
    problems = check_edition(docs).problems
    refused = [p for p in problems if "not allowed" in p.message]
    assert refused, (field, payload, [str(p) for p in problems])
    lines = path.read_text(encoding="utf-8").split("\n")
    for problem in refused:  # path:line of the field that holds the payload
        assert Path(problem.path) == path, str(problem)
        assert quoted(payload) in lines[problem.line - 1], (str(problem), lines[problem.line - 1])


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
