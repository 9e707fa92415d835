"""The hostile markup corpus (tests/hostile/markup/cases.yaml) run through ``check``.

Each case writes its content into one place of a copy of the layer and the transcriptions;
``check`` must refuse it with the file and the line where the content is, and a message that
says what was found. No Sphinx build: this is the check every contributor runs.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import copy_project
from sphinx.errors import SphinxError
from sphinx.testing.util import SphinxTestApp
from sphinx_critical_edition.check import check_edition

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load(
    (ROOT / "tests" / "hostile" / "markup" / "cases.yaml").read_text(encoding="utf-8")
)["cases"]
TRANSCRIPTIONS = {"sagra": "sagra-1952-revolution.md", "pulacayo": "pulacayo-theses.md"}


def _layer_copy(tmp_path: Path) -> Path:
    """docs/'s layer files and source_texts/ (what the check reads); returns docs/."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("annotations", "register"):
        shutil.copytree(ROOT / "docs" / name, docs / name)
    for name in ("witnesses.yaml", "chronology.yaml", "references.bib"):
        shutil.copy(ROOT / "docs" / name, docs / name)
    shutil.copytree(ROOT / "source_texts", tmp_path / "source_texts")
    return docs


def _block(content: str, indent: int) -> list[str]:
    """*content* as the lines of a YAML literal block at *indent*."""
    return [" " * indent + line if line else "" for line in content.split("\n")]


def _quoted(content: str) -> str:
    return "'" + content.replace("'", "''") + "'"


def _append(path: Path, lines: list[str], marker: str) -> int:
    """Append *lines* to *path*; the line number (from 1) of the line starting with *marker*."""
    old = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(old + lines) + "\n", encoding="utf-8")
    return len(old) + next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(marker))


def place(docs: Path, case: dict[str, Any]) -> tuple[Path, int]:
    """Write the case's content where it says; the file and the line of its first line."""
    target, content = case["target"], case["content"]
    annotations = docs / "annotations" / "sagra-starter.yaml"
    note = ["  - id: hostile", "    kind: note", "    quote: Buhs", "    cert: low"]
    note += ['    sources: ["bib:sagra2016litci"]']
    if target == "body":
        return annotations, 1 + _append(
            annotations, [*note, "    resp: editors", "    body: |-", *_block(content, 6)], "body:"
        )
    if target in ("resp", "reading", "comment"):
        resp = _quoted(content) if target == "resp" else "editors"
        reading = _quoted(content) if target == "reading" else "Busch"
        lines = [*note, f"    resp: {resp}", "    body: A note.", "    readings:"]
        lines += [f"      - text: {reading}", "        lang: es", "        wit: [WV]"]
        if target == "comment":
            lines += ["        comment: |-", *_block(content, 10)]
            return annotations, 1 + _append(annotations, lines, "comment:")
        return annotations, _append(annotations, lines, "resp:" if target == "resp" else "- text:")
    if target in ("register-description", "register-name"):
        persons = docs / "register" / "persons.yaml"
        name = _quoted(content) if target == "register-name" else "A Person"
        lines = ["  - id: hostile", "    type: person", f"    name: {name}", f"    surname: {name}"]
        lines += ["    sources: ['bib:sagra2016litci']"]
        if target == "register-name":
            return persons, _append(persons, [*lines, "    description: A person."], "name:")
        return persons, 1 + _append(
            persons, [*lines, "    description: |-", *_block(content, 6)], "description:"
        )
    if target == "witness-description":
        witnesses = docs / "witnesses.yaml"
        lines = ["  - siglum: HX", "    held: false", "    seen: none", "    lang: en"]
        lines += ["    description: |-"]
        return witnesses, 1 + _append(witnesses, [*lines, *_block(content, 6)], "description:")
    if target.startswith("chronology-"):
        chronology = docs / "chronology.yaml"
        field = target.removeprefix("chronology-")
        lines = ["  - id: hostile", '    date: "1952-04-09"', "    title: An event"]
        lines += ["    cert: low", "    sources: ['bib:sagra2016litci']", f"    {field}: |-"]
        lines += _block(content, 6)
        return chronology, 1 + _append(chronology, lines, f"{field}:")
    path = docs.parent / "source_texts" / TRANSCRIPTIONS[target]
    text = path.read_text(encoding="utf-8")
    assert case["old"] in text, case["old"]
    line = text[: text.index(case["old"])].count("\n") + 1
    path.write_text(text.replace(case["old"], content, 1), encoding="utf-8")
    return path, line


def test_the_corpus_is_large_and_its_ids_unique() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 60 and len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_check_refuses_with_path_line_and_message(tmp_path: Path, case: dict[str, Any]) -> None:
    docs = _layer_copy(tmp_path)
    path, first = place(docs, case)
    expected_line = first + case.get("at", 0)
    problems = check_edition(docs).problems
    named = [p for p in problems if case["expect"] in p.message]
    assert named, f"no message with {case['expect']!r}: {[str(p) for p in problems]}"
    assert any(Path(p.path) == path and p.line == expected_line for p in named), (
        f"expected {path.name}:{expected_line}, got {[f'{p.path}:{p.line}' for p in named]}"
    )


def test_transcriptions_are_checked_with_the_syntax_the_build_enables(tmp_path: Path) -> None:
    """``$…$`` is text to the check's own syntax, but math once ``conf.py`` enables dollarmath:
    the build checks the transcriptions with its own syntax extensions too."""
    docs = _layer_copy(tmp_path)
    path, line = place(docs, {"target": "pulacayo", "old": "beeing", "content": "beeing $x^2$"})
    assert all(path.name not in p.path for p in check_edition(docs).problems if "math" in p.message)
    problems = check_edition(docs, extensions=["dollarmath"]).problems
    assert [(p.path, p.line) for p in problems if "math ($…$) is not allowed" in p.message] == [
        (str(path), line)
    ]


def test_a_build_checks_transcriptions_with_its_conf_extensions(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    conf = docs / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + '\nmyst_enable_extensions.append("dollarmath")\n',
        encoding="utf-8",
    )
    path, line = place(docs, {"target": "pulacayo", "old": "beeing", "content": "beeing $x$"})
    with pytest.raises(SphinxError, match=rf"{re.escape(str(path))}:{line}: math"):
        SphinxTestApp("html", srcdir=docs, builddir=tmp_path / "out", status=StringIO())
