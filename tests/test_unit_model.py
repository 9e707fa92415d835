"""Unit tests of ``model.py``, the layer's typed records.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_critical_edition.model import Located, WitnessSiglum


@pytest.mark.parametrize(
    ("seen", "extent", "printed"),
    [
        ("none", "", "Not seen by the editors."),
        ("partial", "the first page.", "Seen in part: the first page."),
        ("full", "", "Seen in full."),
        ("full", "a copy; its source in part.", "Seen in full: a copy; its source in part."),
    ],
)
def test_the_list_of_sigla_says_what_was_seen(seen: str, extent: str, printed: str) -> None:
    """A witness read in full may say what "full" covers: a transcript read in full whose
    source page was read only in part must not pass for the whole source."""
    at = Located(Path("witnesses.yaml"), 1)
    witness = WitnessSiglum("X", "A witness.", held=True, at=at, seen=seen, extent=extent)
    assert witness.seen_text() == printed
