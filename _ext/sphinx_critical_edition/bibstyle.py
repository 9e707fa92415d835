"""A bibliography style that prints what is known and never demands what is not.

An honest edition leaves a field empty rather than guess it, so a work may lack a publisher, a
year or (for an article whose title was never seen) a title. pybtex's standard styles treat such
gaps as errors; this style, derived from ``unsrt``, makes them optional, and prints entries in
author–year order. A ``note`` is prose for readers and is printed as written, not decoded as
LaTeX: decoding the notes cost more than formatting the rest of the bibliography (the check
refuses LaTeX in a note).
"""

from __future__ import annotations

from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify
from pybtex.style.labels.number import LabelStyle as NumberLabels
from pybtex.style.names.plain import NameStyle as PlainNames
from pybtex.style.sorting.author_year_title import SortingStyle
from pybtex.style.template import (
    Node,
    field,
    first_of,
    join,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)

from .typography import educate_text

STYLE_NAME = "edition"

_date = optional[words[optional_field("month"), field("year")]]


def _typographic(note: str) -> str:
    """A note's quotes and dashes as in the rest of the edition. (A pybtex style sees no Sphinx
    configuration: Sphinx's default smart-quotes action and the notes' language, English.)"""
    return educate_text(note)


_pages = field("pages", apply_func=dashify)


class EditionStyle(UnsrtStyle):
    default_sorting_style = SortingStyle

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Node:
        return optional[super().format_title(e, which_field, as_sentence)]

    def format_btitle(self, e: Entry, which_field: str, as_sentence: bool = True) -> Node:
        return optional[super().format_btitle(e, which_field, as_sentence)]

    def get_article_template(self, e: Entry) -> Node:
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", _pages]],
            optional[words["no.", field("number"), optional[words[", pp.", _pages]]]],
            optional[words["pp.", _pages]],
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], _date],
            sentence[optional_field("note", raw=True, apply_func=_typographic)],
            self.format_web_refs(e),
        ]

    def get_book_template(self, e: Entry) -> Node:
        return toplevel[
            optional[self.format_author_or_editor(e)],
            self.format_btitle(e, "title"),
            optional[self.format_volume_and_series(e)],
            optional[
                sentence[
                    optional_field("publisher"),
                    optional_field("address"),
                    optional[self.format_edition(e)],
                    _date,
                ]
            ],
            optional[sentence[self.format_isbn(e)]],
            sentence[optional_field("note", raw=True, apply_func=_typographic)],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e: Entry) -> Node:
        return toplevel[
            optional[sentence[self.format_names("author")]],
            self.format_title(e, "title"),
            sentence[
                optional[field("howpublished")],
                optional_field("organization"),
                optional_field("address"),
                _date,
            ],
            sentence[optional_field("note", raw=True, apply_func=_typographic)],
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e: Entry) -> Node:
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words["In", sentence[self.format_btitle(e, "booktitle", as_sentence=False), _date]],
            sentence[optional_field("address"), optional_field("publisher")],
            sentence[optional_field("note", raw=True, apply_func=_typographic)],
            self.format_web_refs(e),
        ]


#: pybtex's own plugins under their own names, the ones looked up per citation or entry
_LOOKED_UP_OFTEN = (
    ("pybtex.backends", "plaintext", PlaintextBackend),
    ("pybtex.style.names", "plain", PlainNames),
    ("pybtex.style.labels", "number", NumberLabels),
)


def register_bibliography_style() -> None:
    register_plugin("pybtex.style.formatting", STYLE_NAME, EditionStyle, force=True)
    # sphinxcontrib-bibtex looks plugins up once per citation or entry, and pybtex scans every
    # installed package's entry points on each lookup (~15 ms). The edition's notes cite often;
    # registering the same classes at run time makes those lookups dictionary hits.
    for group, name, plugin in _LOOKED_UP_OFTEN:
        register_plugin(group, name, plugin, force=True)
