"""The project's pages are untrusted input too: a page's directives run in a build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.pages import INSTEAD, page_problems

CASES = {
    "include outside": ("```{include} /etc/passwd\n```\n", "{include} of '/etc/passwd' is not"),
    "include ../": (
        "```{include} ../../../../../../../../etc/passwd\n```\n",
        "is not allowed: a page",
    ),
    "include non-md": (
        "```{include} ../source_texts/texts.yaml\n```\n",
        "is not allowed: a page may",
    ),
    "eval-rst": ("```{eval-rst}\n.. include:: /etc/passwd\n```\n", "the directive {eval-rst}"),
    "raw": ("```{raw} html\n<script>x</script>\n```\n", "the directive {raw} is not allowed"),
    "literalinclude": ("```{literalinclude} /etc/hosts\n```\n", "the directive {literalinclude}"),
    "html block": ("<script>alert(1)</script>\n", "raw HTML is not allowed in a page"),
    "html inline": ("Text <img src=x onerror=alert(1)> here.\n", "raw HTML is not allowed"),
    "download role": ("See {download}`/etc/passwd`.\n", "the role {download} is not allowed"),
    "nested in only": ("```{only} html\n```{raw} html\n<b>x</b>\n```\n```\n", "{raw}"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_page_is_checked_against_the_allowlist(tmp_path: Path, case: str) -> None:
    addition, message = CASES[case]
    docs = copy_project(tmp_path)
    page = docs / "about.md"
    before = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    page.write_text(before + addition, encoding="utf-8")
    found = [p for p in check_edition(docs).problems if p.path == str(page)]
    assert len(found) == 1, found
    offset = 1 if case == "nested in only" else 0  # the refused directive's own line
    assert found[0].line == before.count("\n") + 1 + offset
    assert message in found[0].message


def test_the_pages_includes_of_transcriptions_are_allowed(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    assert [p for p in check_edition(docs).problems if p.path.endswith(".md")] == []
    # a symbolic link inside the project that leads outside it is followed, then refused
    (tmp_path / "source_texts" / "leak.md").symlink_to("/etc/hostname")
    page = docs / "about.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n```{include} ../source_texts/leak.md\n```\n",
        encoding="utf-8",
    )
    found = [p for p in check_edition(docs).problems if p.path == str(page)]
    assert len(found) == 1 and "leak.md" in found[0].message


def test_every_refusal_of_a_page_in_full_nested_and_after_a_code_block(tmp_path: Path) -> None:
    """A code block is shown, never run, and the check reads on after it; an allowed
    directive's content is read as a page, however deep, with its own lines."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "outside.md").write_text("x\n", encoding="utf-8")
    page = docs / "p.md"
    page.write_text(
        "# T\n\n<div>x</div>\n\n```python\nx = 1\n```\n\n"
        ":::{only} html\n````{only} latex\n```{include} ../outside.md\n```\n````\n:::\n",
        encoding="utf-8",
    )
    assert [(p.path, p.line, p.message) for p in page_problems(docs, [])] == [
        (str(page), 3, f"raw HTML is not allowed in a page; {INSTEAD}"),
        (
            str(page),
            11,
            "{include} of '../outside.md' is not allowed: a page may include only a Markdown "
            "file of the Sphinx project or of the transcriptions' folder",
        ),
    ]


def test_the_build_folder_is_skipped_and_the_pages_after_it_are_checked(tmp_path: Path) -> None:
    """docs/_build holds Sphinx's output, not pages; the pages sorted after it are checked."""
    docs = tmp_path / "docs"
    (docs / "_build").mkdir(parents=True)
    (docs / "_build" / "out.md").write_text("<div>x</div>\n", encoding="utf-8")
    (docs / "page.md").write_text("Text.\n\n<div>x</div>\n", encoding="utf-8")
    assert [(Path(p.path).name, p.line) for p in page_problems(docs, [])] == [("page.md", 3)]


def test_a_page_not_in_utf8_is_still_checked_with_the_pages_syntax(tmp_path: Path) -> None:
    """A byte that is not UTF-8 does not stop the check of the page (Sphinx reports the
    encoding itself); a colon fence is read as the directive it is."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "page.md"
    page.write_bytes(b"Caf\xe9.\n\n:::{include} /etc/passwd\n:::\n")
    (problem,) = page_problems(docs, [])
    assert (problem.path, problem.line) == (str(page), 3)
    assert "{include} of '/etc/passwd' is not" in problem.message


def test_an_include_of_a_missing_file_is_left_to_sphinx(tmp_path: Path) -> None:
    """A file that is not there reads nothing: Sphinx reports the missing include itself, with
    its own message, so the check does not refuse it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("```{include} missing.md\n```\n", encoding="utf-8")
    assert page_problems(docs, []) == []
    (docs / "page.md").write_text("```{include} missing.txt\n```\n", encoding="utf-8")
    assert page_problems(docs, []) == []
