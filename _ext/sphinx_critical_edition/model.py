"""Typed records of the editorial layer: annotations, readings, register entries, witnesses,
chronology events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: authority files a register entry may name: scheme → (how it is named, URL of a record)
AUTHORITIES = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "gnd": ("GND", "https://d-nb.info/gnd/{}"),
}

#: how a certainty level reads on the page
CERT_TEXT = {"high": "certain", "medium": "probable", "low": "uncertain"}


@dataclass(frozen=True)
class Located:
    """Where a record was written: for ``path:line`` messages."""

    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


#: reading types that no witness attests: the editors' own readings, never under a siglum
EDITORIAL_READINGS = ("retroversion", "conjecture")


#: the label of a reading that no witness has but that a cited source prints (a published
#: usage, the term of a law): without it the reading would seem to stand under its source
USAGE_LABEL = "attested usage"


def reading_mark(
    wit: Sequence[str], type_: str, resp: str, sources: Sequence[str]
) -> tuple[str, str] | None:
    """What stands after a reading, as (class, text): its witnesses' sigla (``ce-wit``), the
    editors' label (``ce-rdg-editorial``), or :data:`USAGE_LABEL` for a reading that only a
    cited source prints (``ce-rdg-usage``). The popover and the apparatus print the same."""
    sigla = " ".join(wit)
    if sigla:
        return "ce-wit", sigla
    if type_ in EDITORIAL_READINGS:
        return "ce-rdg-editorial", reading_attribution(type_, resp)
    return ("ce-rdg-usage", USAGE_LABEL) if sources else None


def reading_attribution(type_: str, resp: str) -> str:
    """How an editorial reading is labelled where a witness's siglum would stand:
    "editors' retroversion", "conjecture (J. Smith)"."""
    if resp == "editors":
        return f"editors’ {type_}"
    return f"{type_} ({resp})" if resp else type_


def supplied_call(number: str) -> str:
    """A supplied note call where it is named rather than printed (the list of emendations, the
    Web Annotations): "[call of note 1]". A bare "1" in a table reads as a number, not a call."""
    return f"[call of note {number}]"


@dataclass(frozen=True)
class Reading:
    text: str
    lang: str
    wit: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    cert: str = ""
    comment: str = ""
    type: str = "witness"  # or one of EDITORIAL_READINGS
    resp: str = ""  # who proposes an editorial reading


@dataclass(frozen=True)
class Annotation:
    """One standoff annotation, anchored by quotation."""

    id: str
    kind: str  # note | variant | emendation | entity
    text: str  # the key of the annotated text
    quote: str
    resp: str
    cert: str
    at: Located
    prefix: str = ""
    suffix: str = ""
    paragraph: int | str | None = None
    body: str = ""
    sources: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()
    type: str = ""  # emendation type
    corr: str = ""
    note_call: str = ""
    ref: str = ""

    @property
    def supplied(self) -> bool:
        """Supplies a missing note call: inserted after the quote, which it does not replace.

        (A supplied emendation with ``corr`` replaces its quote like any other emendation; its
        ``corr`` may only add to the quote's words, and the additions are marked as supplied.)
        """
        return self.kind == "emendation" and self.type == "supplied" and bool(self.note_call)


@dataclass(frozen=True)
class RegisterEntry:
    id: str
    type: str  # person | organisation | place | term
    name: str
    description: str
    sources: tuple[str, ...]
    at: Located
    variants: tuple[str, ...] = ()
    see_from: tuple[str, ...] = ()  # headings that send here ("Smith, John", a real name)
    dates: str = ""
    surname: str = ""  # persons: the part of ``name`` they are sorted under
    authority: tuple[tuple[str, str], ...] = ()  # (scheme, identifier): ("wikidata", "Q1")
    coordinates: tuple[float, float] | None = None
    marked_at: str = ""  # the map's point, when it is not the place itself (a lake)

    @property
    def headword(self) -> str:
        """How the register prints the name: persons surname first ("García Márquez, Gabriel";
        "Mao Zedong", whose surname comes first, as written)."""
        if self.type != "person" or not self.surname or self.name.startswith(self.surname):
            return self.name
        given = " ".join(self.name.replace(self.surname, "", 1).split())
        return f"{self.surname}, {given}" if given else self.surname

    def authority_links(self) -> list[tuple[str, str]]:
        """(text, URL) of each authority record: ("Wikidata Q1", "https://www.wikidata.org/…")."""
        return [
            (f"{AUTHORITIES[scheme][0]} {ident}", AUTHORITIES[scheme][1].format(ident))
            for scheme, ident in self.authority
        ]


@dataclass(frozen=True)
class WitnessSiglum:
    siglum: str
    description: str
    held: bool
    at: Located
    lang: str = ""
    base: bool = False
    bib: str = ""
    seen: str = "full"  # none | partial | full: how much of it the editors have read
    extent: str = ""  # what was read: required if partial; for full, what "full" covers

    def seen_text(self) -> str:
        """The list of sigla's line on how much was read. A witness seen in full may still say
        what that covers (a transcript read in full whose source page was not)."""
        if self.seen == "none":
            return "Not seen by the editors."
        if self.seen == "partial":
            return f"Seen in part: {self.extent.rstrip('.')}."
        return f"Seen in full: {self.extent.rstrip('.')}." if self.extent else "Seen in full."


@dataclass(frozen=True)
class ChronologyEvent:
    id: str
    date: str  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    title: str
    sources: tuple[str, ...]
    cert: str
    at: Located
    end: str = ""
    description: str = ""
    places: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()
    disputed: str = ""
    short: str = ""  # the timeline's label for a key event ("COB founded"); others are dots

    @property
    def year(self) -> int:
        return int(self.date[:4])


@dataclass
class EditorialLayer:
    """Everything under docs/annotations, docs/register and docs/witnesses.yaml, validated."""

    annotations: list[Annotation] = field(default_factory=list)
    register: dict[str, RegisterEntry] = field(default_factory=dict)
    witnesses: dict[str, WitnessSiglum] = field(default_factory=dict)
    chronology: list[ChronologyEvent] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: parts (witnesses.yaml, register, references.bib) with a file that could not be read:
    #: references to them are not checked, so its own problem is not buried under knock-ons
    incomplete: set[str] = field(default_factory=set)

    def for_text(self, key: str) -> list[Annotation]:
        return [a for a in self.annotations if a.text == key]
