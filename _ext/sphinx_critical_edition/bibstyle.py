"""An author–date bibliography style that prints what is known and never demands what is not.

Entries read as in an author–date reference list: "Smith, Jane. 2016. “A Title.”
…", sorted by author, then year, with the same dates ("n.d.a", "2016b") as the
citations in the text (``citelabels``). Titles keep the case written in ``references.bib``:
Spanish and French titles follow their own rules, and the file has them right.

An honest edition leaves a field empty rather than guess it, so a work may lack a publisher, a
year or (for an article whose title was never seen) a title; every field here is optional. A
``note`` is prose for readers and is printed as written, not decoded as LaTeX (decoding the
notes cost more than formatting the rest; the check refuses LaTeX in a note); a bibliography key
in it ("see prado1984poder") is printed as that work's label.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.database import Entry, Person
from pybtex.plugin import register_plugin
from pybtex.richtext import Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.formatting.unsrt import dashify
from pybtex.style.labels.number import LabelStyle as NumberLabels
from pybtex.style.names import name_part
from pybtex.style.names.lastfirst import NameStyle as LastFirstNames
from pybtex.style.names.plain import NameStyle as PlainNames
from pybtex.style.template import (
    FieldIsMissing,
    Node,
    first_of,
    href,
    join,
    names,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)
from pybtex.style.template import field as bib_field
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle

from .citelabels import AuthorYear, author_year_labels, bib_author_years, sort_key
from .typography import educate_text, keep_together
from .weblabels import decoded_url

STYLE_NAME = "edition"

_pages = bib_field("pages", apply_func=dashify)


@node
def _year(children: list[Any], data: dict[str, Any]) -> Text:
    """The work's date as its label gives it ("2016a", "n.d."), set by ``format_entry``."""
    return Text(data["year"])


@node
def _quoted_title(children: list[Any], data: dict[str, Any]) -> Text:
    """An article's or a page's title in quotes, the period inside (“Title.”); a title the
    editors supply in square brackets ("[Title unknown]") describes the work and is not the
    work's own: it stands without quotes ([Title unknown].)."""
    entry = data["entry"]
    if "title" not in entry.fields:
        raise FieldIsMissing("title", entry)
    title = _within_quotes(entry.fields["title"])
    if str(title).startswith("[") and str(title).endswith("]"):
        return Text(title, ".")
    return Text("“", title, ".”")


def _within_quotes(title: str) -> Text:
    """A title set in double quotes: its own double quotes become single (“… ‘Sexenio’ …”)."""
    plain = codecs.decode(title, "ulatex").replace("{", "").replace("}", "")
    return Text(educate_text(plain).translate(str.maketrans("“”", "‘’")))


def _accessed(urldate: str) -> str:
    """``2026-11-28`` → ``28 November 2026``; any other form as written."""
    try:
        day = date.fromisoformat(urldate)
    except ValueError:
        return urldate
    return keep_together(f"{day.day} {day:%B %Y}")


def _natural(value: str) -> str:
    """``Eastman, Max and Smith, J.`` (a field pybtex does not parse as names) → ``Max Eastman
    and J. Smith``."""
    people = [Person(name) for name in value.split(" and ")]
    return (
        " and ".join(
            " ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)
            for p in people
        )
        .replace("{", "")
        .replace("}", "")
    )


_EMPHASIS = re.compile(r"\*([^*]+)\*")


def prose(value: str, latex: bool = False) -> Text:
    """Editorial prose from the .bib (a note, a site's or a publisher's name) as the rest of
    the edition prints it: quotes, apostrophes and dashes educated, and ``*a title*`` (a book,
    a journal, a periodical named in the prose) in italics."""
    if latex:
        value = codecs.decode(value, "ulatex").replace("{", "").replace("}", "")
    text = educate_text(value)
    parts: list[Any] = []
    pos = 0
    for match in _EMPHASIS.finditer(text):
        parts += [text[pos : match.start()], Tag("em", match.group(1))]
        pos = match.end()
    parts.append(text[pos:])
    return Text(*(part for part in parts if part))


def _prose_field(name: str) -> Node:
    return optional_field(name, raw=True, apply_func=lambda value: prose(value, latex=True))


def issue_date(fields: Any) -> str:
    """The day of a dated issue or post ("4 June 1965"), from ``date = {1965-06-04}`` or from
    ``month`` and ``day``; "" when no day is known (the year stands in the entry's head)."""
    if "date" in fields:
        try:
            day = date.fromisoformat(fields["date"])
        except ValueError:
            return ""
        return f"{day.day} {day:%B %Y}"
    month, day_of_month = fields.get("month", ""), fields.get("day", "")
    if not (month and day_of_month and fields.get("year", "").isdigit()):
        return ""
    number = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower(), 0)
    if not 1 <= number <= 12 or not day_of_month.isdigit():
        return ""
    return f"{int(day_of_month)} {date(2000, number, 1):%B} {fields['year']}"


_MONTHS = {f"{date(2000, m, 1):%b}".lower(): m for m in range(1, 13)}


@node
def _issue_date(children: list[Any], data: dict[str, Any]) -> Text:
    entry = data["entry"]
    day = issue_date(entry.fields)
    if not day:
        raise FieldIsMissing("date", entry)
    return Text(keep_together(day))


_urldate = bib_field("urldate", raw=True, apply_func=_accessed)
#: the address as text: decoded for the reader (the link keeps it as written)
_address_text = bib_field("url", raw=True, apply_func=decoded_url)
_translator = bib_field("translator", raw=True, apply_func=_natural)


class LineageLastNames(LastFirstNames):
    """ "Field, Thomas C., Jr.": the lineage after the given names, as author–date lists print
    it (pybtex's ``lastfirst`` gives "Field, Jr., Thomas C.")."""

    def format(self, person: Any, abbr: bool = False) -> Any:
        return join[
            name_part(tie=True)[person.rich_prelast_names],
            name_part[person.rich_last_names],
            name_part(before=", ", abbr=abbr)[person.rich_first_names + person.rich_middle_names],
            name_part(before=", ")[person.rich_lineage_names],
        ]


#: the name style's plugin name
NAME_STYLE = "edition-lastfirst"


class EditionStyle(BaseStyle):
    """Author–date entries; which file's labels they use is set by ``bind_bibliography_style``."""

    default_name_style = NAME_STYLE
    #: the Sphinx project whose ``references.bib`` gives the labels (None: the entries given)
    srcdir: ClassVar[Path | None] = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort = self._sort
        self.format_labels = self._format_labels

    # --- labels and order: one table for the whole file (citelabels) -----------------------
    def _labels(self, entries: Iterable[Entry]) -> dict[str, AuthorYear]:
        table = bib_author_years(self.srcdir) if self.srcdir else {}
        entries = list(entries)
        if all(e.key in table for e in entries):
            return table
        return author_year_labels({e.key: e for e in entries})

    def _sort(self, entries: Iterable[Entry]) -> list[Entry]:
        entries = list(entries)
        labels = self._labels(entries)
        return sorted(entries, key=lambda e: (sort_key(labels[e.key]), e.key))

    def _format_labels(self, entries: Iterable[Entry]) -> Iterable[str]:
        entries = list(entries)
        labels = self._labels(entries)
        return [str(labels[e.key]) for e in entries]

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        """The entry with its own author–year label, whatever *label* says: a bibliography's
        ``:labelprefix:`` ("W") would otherwise turn the citations into "WWikipedia n.d."."""
        own = self._labels([entry])[entry.key]
        context = {"entry": entry, "style": self, "bib_data": bib_data, "year": own.year}
        text = getattr(self, f"get_{entry.type}_template", self.get_misc_template)(entry)
        return FormattedEntry(entry.key, text.format_data(context), str(own))

    # --- the parts of an entry ----------------------------------------------------------------
    def _note(self, note: str) -> Text:
        """A note's quotes and dashes as in the rest of the edition (Sphinx's smart quotes for
        English, which a pybtex style cannot read from the configuration), keys as labels."""
        if self.srcdir:
            labels = bib_author_years(self.srcdir)
            note = re.sub(r"\b[\w-]+\b", lambda m: str(labels.get(m.group(), m.group())), note)
        return prose(note)

    def _head(self, e: Entry, title: Node) -> list[Node]:
        """Author. Year. Title. — or, for a work without a person (a periodical), Title. Year."""
        role = "author" if "author" in e.persons else "editor" if "editor" in e.persons else ""
        if not role:  # the title is a sentence already
            return [title, sentence[_year]]
        people = names(role, sep=", ", sep2=" and ", last_sep=", and ")
        if "shortauthor" in e.fields:  # cited by it: "FSTMB (Federación Sindical …)"
            people = join[bib_field("shortauthor"), " (", people, ")"]
        if role == "editor":
            people = join(sep=", ")[people, "ed." if len(e.persons["editor"]) == 1 else "eds."]
        return [sentence[people], sentence[_year], optional[title]]

    def _tail(self, e: Entry) -> list[Node]:
        return [
            sentence[optional_field("note", raw=True, apply_func=self._note)],
            optional[sentence[href(bib_field("url", raw=True))[_address_text]]],
            optional[sentence[words["Accessed", _urldate]]],
        ]

    @staticmethod
    def _italic_title() -> Node:
        """A book's title in italics, with its subtitle after a colon where the entry has one
        (the field was read and never printed)."""
        subtitle = optional[join[": ", bib_field("subtitle")]]
        return sentence[tag("em")[join[bib_field("title"), subtitle]]]

    def get_article_template(self, e: Entry) -> Node:
        journal = tag("em")[bib_field("journal")]
        issue = [
            optional[" ", bib_field("volume")],
            optional[", no. ", bib_field("number")],
            optional[", ", _issue_date],
            optional[": ", _pages],
        ]
        if not ({"author", "editor"} & set(e.persons)):
            # an unsigned article is listed under its periodical, as it is cited: "(Time 1965)"
            return toplevel[
                sentence[journal],
                sentence[_year],
                _quoted_title,
                sentence[
                    optional[bib_field("volume")],
                    optional["no. ", bib_field("number")],
                    optional[_issue_date],
                    optional[_pages],
                ],
                *self._tail(e),
            ]
        return toplevel[
            *self._head(e, _quoted_title), sentence[join[journal, *issue]], *self._tail(e)
        ]

    def get_book_template(self, e: Entry) -> Node:
        return toplevel[
            *self._head(e, self._italic_title()),
            optional[
                sentence[
                    words["Translated by", bib_field("translator", raw=True, apply_func=_natural)]
                ]
            ],
            optional[sentence[words["Vol.", bib_field("volume")]]],
            optional[sentence[bib_field("edition"), "ed."]],
            first_of[
                optional[sentence[join[bib_field("address"), ": ", bib_field("publisher")]]],
                optional[sentence[bib_field("publisher")]],
                optional[sentence[bib_field("address")]],
            ],
            optional[sentence[words["ISBN", bib_field("isbn")]]],
            *self._tail(e),
        ]

    def get_misc_template(self, e: Entry) -> Node:
        # a work without a person is named by its title (a periodical): in italics
        periodical = not ({"author", "editor"} & set(e.persons))
        title = self._italic_title() if periodical else _quoted_title
        return toplevel[
            *self._head(e, title),
            optional[
                sentence[
                    _prose_field("howpublished"),
                    _prose_field("organization"),
                    _prose_field("address"),
                    optional[_issue_date],
                ]
            ],
            *self._tail(e),
        ]

    get_online_template = get_misc_template

    def get_inproceedings_template(self, e: Entry) -> Node:
        return toplevel[
            *self._head(e, _quoted_title),
            sentence[
                words["In", tag("em")[bib_field("booktitle")]],
                optional_field("address"),
                optional_field("publisher"),
            ],
            *self._tail(e),
        ]


@dataclass
class EditionReferenceStyle(LabelReferenceStyle):
    """Citations by the bibliography's own labels, in parentheses: "(Smith 2016; Jones n.d.a)"."""

    bracket_parenthetical: BracketStyle = field(
        default_factory=lambda: BracketStyle(left="(", right=")", sep="; ")
    )
    bracket_textual: BracketStyle = field(
        default_factory=lambda: BracketStyle(left="(", right=")", sep="; ")
    )


#: pybtex's own plugins under their own names, the ones looked up per citation or entry
_LOOKED_UP_OFTEN = (
    ("pybtex.backends", "plaintext", PlaintextBackend),
    ("pybtex.style.names", "plain", PlainNames),
    ("pybtex.style.names", "lastfirst", LastFirstNames),
    ("pybtex.style.names", NAME_STYLE, LineageLastNames),
    ("pybtex.style.labels", "number", NumberLabels),
)


def register_bibliography_style() -> None:
    register_plugin("pybtex.style.formatting", STYLE_NAME, EditionStyle, force=True)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE_NAME, EditionReferenceStyle, force=True
    )
    # sphinxcontrib-bibtex looks plugins up once per citation or entry, and pybtex scans every
    # installed package's entry points on each lookup (~15 ms). The edition's notes cite often;
    # registering the same classes at run time makes those lookups dictionary hits.
    for group, name, plugin in _LOOKED_UP_OFTEN:
        register_plugin(group, name, plugin, force=True)


def bind_bibliography_style(app: Sphinx) -> None:
    """The style for this project: its labels come from the project's whole ``references.bib``,
    so a work keeps its letter ("n.d.b") in whichever section of the bibliography it stands."""
    bound = type(EditionStyle.__name__, (EditionStyle,), {"srcdir": Path(app.srcdir)})
    register_plugin("pybtex.style.formatting", STYLE_NAME, bound, force=True)


def drop_labels(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """An author–date list names its works by author and year at the head of each entry;
    the label docutils puts before a citation ("[Smith 2016]") would say it twice."""
    for citation in doctree.findall(nodes.citation):
        for label in [child for child in citation.children if isinstance(child, nodes.label)]:
            citation.remove(label)


def setup_bibliography_style(app: Sphinx) -> None:
    register_bibliography_style()
    app.connect("builder-inited", bind_bibliography_style)
    app.connect("doctree-resolved", drop_labels)
