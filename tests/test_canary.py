"""A canary outside the repository: no contributed text can bring a file's content into a build.

A file beside the copied project holds a random token. Every file-reading trick of MyST, reST
and Sphinx points at it, from a note's body and from a transcription; a real Sphinx build (HTML,
which writes the TEI and the JSON-LD beside it) must refuse with the file and line of the trick,
and no file the build leaves behind may hold the token.
"""

from __future__ import annotations

import os
import secrets
from io import StringIO
from pathlib import Path

import pytest
from conftest import copy_project
from sphinx.errors import SphinxError
from sphinx.testing.util import SphinxTestApp

#: each trick, with @PATH@ the canary's absolute path and @REL@ its path from docs/
TRICKS = {
    "include": "```{include} @PATH@\n```",
    "include-dotdot": "```{include} @REL@\n```",
    "literalinclude": "```{literalinclude} @PATH@\n```",
    "eval-rst-include": "```{eval-rst}\n.. include:: @PATH@\n```",
    "eval-rst-raw-file": "```{eval-rst}\n.. raw:: html\n   :file: @PATH@\n```",
    "raw-file": "```{raw} html\n:file: @PATH@\n```",
    "csv-table-file": "```{csv-table}\n:file: @PATH@\n```",
    "download-role": "{download}`@REL@`",
    "image": "![canary](@REL@)",
    "image-directive": "```{image} @PATH@\n```",
    "link-to-the-file": "[canary](@REL@)",
}


def _note(content: str) -> str:
    body = "\n".join(f"      {line}" if line else "" for line in content.split("\n"))
    return (
        "  - id: canary\n    kind: note\n    quote: Buhs\n    resp: editors\n    cert: low\n"
        f'    sources: ["bib:sagra2016litci"]\n    body: |-\n{body}\n'
    )


@pytest.mark.parametrize("where", ["note", "transcription"])
@pytest.mark.parametrize("trick", TRICKS)
def test_no_trick_brings_the_canary_into_a_build(tmp_path: Path, trick: str, where: str) -> None:
    token = f"CANARY-{secrets.token_hex(16)}"
    canary = tmp_path / "outside" / "secret.txt"
    canary.parent.mkdir()
    canary.write_text(f"{token}\n", encoding="utf-8")
    docs = copy_project(tmp_path / "project")
    rel = os.path.relpath(canary, docs)
    content = TRICKS[trick].replace("@PATH@", str(canary)).replace("@REL@", rel)
    if where == "note":
        target = docs / "annotations" / "sagra-starter.yaml"
        target.write_text(target.read_text(encoding="utf-8") + _note(content), encoding="utf-8")
    else:
        target = docs.parent / "source_texts" / "pulacayo-theses.md"
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("\n\nThe FSTMB", f"\n\n{content}\n\nThe FSTMB"), "utf-8")

    out = tmp_path / "out"
    with pytest.raises(SphinxError) as refused:
        app = SphinxTestApp(
            "html", srcdir=docs, builddir=out, status=StringIO(), warning=StringIO()
        )
        try:
            app.build()
        finally:
            app.cleanup()
    assert f"{target}:" in str(refused.value) and "not allowed" in str(refused.value)

    leaked = [
        path
        for path in out.rglob("*")
        if path.is_file() and (token.encode() in path.read_bytes() or path.name == canary.name)
    ]
    assert leaked == []
