"""Author–year labels ("Smith 2016") for the bibliography keys given as sources.

Readers meet sources in popovers and lists, where a key (``rocha2022esquerda``) means nothing;
the label is how the bibliography page orders its entries. Two works that would share a label
are told apart by the start of their titles.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from pathlib import Path

import latexcodec  # noqa: F401  (registers the ulatex codec)
from pybtex.database import Entry

from .loader import REFERENCES, parsed_bibliography


def _plain(latex: str) -> str:
    """A field as text: LaTeX commands decoded (rare here: the file is UTF-8), braces gone.
    (pybtex's ``Text.from_latex`` takes about 8 ms a call, the decoder alone far less.)"""
    text = codecs.decode(latex, "ulatex") if "\\" in latex else latex
    return text.replace("{", "").replace("}", "")


def _who(entry: Entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if not people:  # a periodical or a corporate work without a person
        fields = entry.fields
        return _plain(
            fields.get("organization") or fields.get("journal") or fields.get("title", "")
        )
    names = [_plain(" ".join(person.last_names)) for person in people]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


def _title_start(entry: Entry, words: int = 4) -> str:
    title = _plain(entry.fields.get("title", "")).split()
    return " ".join(title[:words]) + ("…" if len(title) > words else "")


@lru_cache(maxsize=2)
def _labels(path: Path, mtime_ns: int) -> dict[str, str]:
    entries = parsed_bibliography(path).entries
    labels = {
        key: f"{_who(entry) or key} {entry.fields.get('year', 'n.d.')}"
        for key, entry in entries.items()
    }
    shared = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    return {
        key: f"{label}, {_title_start(entries[key])}"
        if label in shared and entries[key].fields.get("title")
        else label
        for key, label in labels.items()
    }


def bib_labels(srcdir: str | Path) -> dict[str, str]:
    """Each key of the project's bibliography → its author–year label."""
    path = Path(srcdir) / REFERENCES
    return _labels(path, path.stat().st_mtime_ns) if path.is_file() else {}
