"""Author–year labels ("Smith 2016", "Smith n.d.a") for every work in the bibliography.

One table serves every place a work is named: the bibliography's own order and dates, the
``{cite:p}`` citations in the text, and the labels of works given as sources (popovers, lists).
Two works that would share a label are told apart by a letter after the year ("2016a",
"n.d.b"), given in the order of their titles, as author–date styles do; the letters are worked
out over the whole file, so a work keeps its letter whichever section of the bibliography lists
it.
"""

from __future__ import annotations

import codecs
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from string import ascii_lowercase
from typing import NamedTuple

import latexcodec  # noqa: F401  (registers the ulatex codec)
from pybtex.database import Entry

from .collation import collation_key
from .loader import REFERENCES, parsed_bibliography

#: the year of a work whose date is not known
NO_DATE = "n.d."


class AuthorYear(NamedTuple):
    who: str  # surnames, "A and B", "A et al.", or a corporate author or title
    year: str  # "2016", "2016a", "n.d.", "n.d.b"

    def __str__(self) -> str:
        return f"{self.who} {self.year}"


def plain(latex: str) -> str:
    """A field as text: LaTeX commands decoded (rare here: the file is UTF-8), braces gone.
    (pybtex's ``Text.from_latex`` takes about 8 ms a call, the decoder alone far less.)"""
    text = codecs.decode(latex, "ulatex") if "\\" in latex else latex
    return text.replace("{", "").replace("}", "")


def _who(entry: Entry) -> str:
    if "shortauthor" in entry.fields:  # a long corporate name cited by its acronym ("FSTMB")
        return plain(entry.fields["shortauthor"])
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if not people:  # a periodical or a corporate work without a person
        fields = entry.fields
        return plain(fields.get("organization") or fields.get("journal") or fields.get("title", ""))
    names = [plain(" ".join(p.prelast_names + p.last_names)) for p in people]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


def author_year_labels(entries: Mapping[str, Entry]) -> dict[str, AuthorYear]:
    """Each key of *entries* → its label, letters added where two works would share one."""
    base = {
        key: AuthorYear(_who(entry) or key, entry.fields.get("year", NO_DATE))
        for key, entry in entries.items()
    }
    groups: dict[AuthorYear, list[str]] = defaultdict(list)
    for key, label in base.items():
        groups[label].append(key)
    labels = dict(base)
    for label, keys in groups.items():
        if len(keys) > 1:
            keys.sort(key=lambda k: (collation_key(plain(entries[k].fields.get("title", ""))), k))
            for letter, key in zip(ascii_lowercase, keys, strict=False):
                labels[key] = AuthorYear(label.who, label.year + letter)
    return labels


def sort_key(label: AuthorYear) -> tuple[tuple[str, str], int, str]:
    """Author, then year (undated works after dated ones), then the letter."""
    year = label.year.rstrip(ascii_lowercase) if label.year[:1].isdigit() else ""
    return (collation_key(label.who), int(year) if year.isdigit() else 10**6, label.year)


@lru_cache(maxsize=2)
def _labels(path: Path, mtime_ns: int) -> dict[str, AuthorYear]:
    return author_year_labels(parsed_bibliography(path).entries)


def bib_author_years(srcdir: str | Path) -> dict[str, AuthorYear]:
    """Each key of the project's bibliography → its author and year."""
    path = Path(srcdir) / REFERENCES
    return _labels(path, path.stat().st_mtime_ns) if path.is_file() else {}


@lru_cache(maxsize=2)
def _text_labels(path: Path, mtime_ns: int) -> dict[str, str]:
    return {key: str(label) for key, label in _labels(path, mtime_ns).items()}


def bib_labels(srcdir: str | Path) -> dict[str, str]:
    """Each key of the project's bibliography → its author–year label, as text."""
    path = Path(srcdir) / REFERENCES
    return _text_labels(path, path.stat().st_mtime_ns) if path.is_file() else {}


@lru_cache(maxsize=2)
def _urls(path: Path, mtime_ns: int) -> dict[str, str]:
    entries = parsed_bibliography(path).entries
    return {entry.fields["url"]: key for key, entry in entries.items() if "url" in entry.fields}


def bib_urls(srcdir: str | Path) -> dict[str, str]:
    """Each address of a work in the project's bibliography → the work's key."""
    path = Path(srcdir) / REFERENCES
    return _urls(path, path.stat().st_mtime_ns) if path.is_file() else {}
