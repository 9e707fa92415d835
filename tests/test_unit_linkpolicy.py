"""Unit tests of ``linkpolicy.py``: links to the hosts of ``link-policy.yaml``, or
with its refused parameters, refused with the address as written.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

from pathlib import Path

from sphinx_critical_edition.linkpolicy import refused_links

# Sampled survivors of the mutation runs


def test_a_link_to_a_refused_host_written_with_a_final_dot_is_refused(tmp_path: Path) -> None:
    """``mgwiki.top.`` is the same host as ``mgwiki.top`` (the root's dot)."""
    (tmp_path / "link-policy.yaml").write_text(
        'refused:\n  - {host: mgwiki.top, why: "a copy of Wikipedia"}\n', encoding="utf-8"
    )
    page = tmp_path / "page.md"
    page.write_text("# P\n\nSee https://mgwiki.top./wiki/Bolivia.\n", encoding="utf-8")
    assert [str(p) for p in refused_links(tmp_path)] == [
        f"{page}:3: link to a refused host, mgwiki.top (a copy of Wikipedia): "
        "https://mgwiki.top./wiki/Bolivia; cite the original or a scholarly source instead "
        "(the list is docs/link-policy.yaml)"
    ]


# Found by an audit of "equivalent" verdicts (session 16)


def test_a_refused_link_is_quoted_whole_up_to_its_last_letter(tmp_path: Path) -> None:
    """Only the punctuation that ends a sentence is taken off a link, never a letter: the
    message quotes ".../Malcolm_X" whole."""
    (tmp_path / "link-policy.yaml").write_text(
        "refused:\n  - {host: mgwiki.top, why: a copy of Wikipedia}\n", encoding="utf-8"
    )
    (tmp_path / "index.md").write_text(
        "See https://de.mgwiki.top/wiki/Malcolm_X.\n", encoding="utf-8"
    )
    [problem] = refused_links(tmp_path)
    assert ": https://de.mgwiki.top/wiki/Malcolm_X; cite" in problem.message


# Survivors of the session-16 re-run of the functions changed in that session


def test_the_address_to_cite_keeps_the_other_parameters_as_written(tmp_path: Path) -> None:
    """Without the refused parameter, the address given keeps the others unchanged: a "/" or
    ":" in a value is not escaped ("?path=a/b:c", not "a%2Fb%3Ac")."""
    (tmp_path / "link-policy.yaml").write_text(
        "refused: []\nparameters:\n  - {name: share, why: a sharing button's address}\n",
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text(
        "See https://example.org/a?path=a/b:c&share=x.\n", encoding="utf-8"
    )
    [problem] = refused_links(tmp_path)
    assert "own address, https://example.org/a?path=a/b:c (the list" in problem.message
