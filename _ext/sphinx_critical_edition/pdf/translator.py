"""The HTML the PDF is typeset from: the site's translator with a few print-only choices.

The site and the PDF share one translator (``html.py``, ``notes.py``); print differs where paper
differs from a screen, and only here:

- **Notes.** Each note body is floated to the foot of the page (``float: footnote`` in
  ``print.css``) right where its call is. An editorial note inside an author's note cannot float
  from inside a float, so its body is moved to just after the author's note, and the call
  inside the author's note is printed as a plain superscript link.
- **Calls.** A call sits on its word: the transcription writes the witness's "Smith (2)" as
  "Smith [^2]", and print drops the space before a call (the HTML keeps its text and draws the
  call tight, see ``edition.css``). A call right after another call is printed after a comma
  ("to do" with calls bx and by prints "bx,by"), as reledmac does: "1" and "p" never read "1p".
  Calls at one point of the text are joined (U+2060 WORD JOINER, ``CALL_JOINER``): a line
  never breaks between them (after a supplied "[1]" the line breaker may break, UAX #14), so
  they and their notes never part over two pages.
- **Spacing.** Print sets one word space where the witness has a space beside a no-break space
  ("International\u00a0 (the" prints "International (the"), and no space before a closing
  bracket or punctuation mark the editors supply ("Fourth International ) are" prints
  "Fourth International) are"): the reading text's words, set as a book sets them.
- **Line breaks.** Source line ends become spaces; a web address gets break opportunities where
  an address may break (``address_breaks``; it is never hyphenated, see ``print.css``); the
  last two words of a paragraph are tied when the last is short, so that no short word stands
  alone on a paragraph's last line; not in a table's cell, whose column may be narrower than
  two words ("understanding that" ran into the next cell), where only a place's § and "note" are
  tied to what they number ("Letters §11", "Smith, / note 11").
- **Names.** A capitalised word is never hyphenated (a ``ce-name-word`` span, ``hyphens:
  manual``): the English patterns break Spanish names where Spanish never would ("Villar-roel"),
  a date's month ("Novem-ber"), a name no list knows ("Zavaleta Mer-cado"), "Con-gress"; the
  line breaks at a space instead. A sentence's first word is capitalised anyway, and may be
  hyphenated, unless it is a word of a person's or a place's name in the register, of a cited
  author's or a site's name, a month's or a language's name, or a word made from one.
- **Compounds.** A word made of words joined by hyphens breaks at its own hyphen, never inside
  a part ("semi-feu- / dal" showed two hyphens in one word): a ``ce-compound`` span.
- **Last words.** The last word of a paragraph of the editors' prose is never hyphenated
  ("See About this edi- / tion.") nor broken at its own hyphen ("self- / criticism."): it is
  set in a ``ce-last-word`` span (``hyphens: manual``, ``nowrap``), which adds no character;
  a web address keeps its breaks. The texts' own paragraphs are left as the line breaker sets them.
- **Web sources.** A source named by its site and title (``weblabels``) links to its entry in
  the list of web pages, which prints its address (``webpages``); in an edition without that
  list, the address follows the name, decoded and without its scheme, in small type.
- **Links to sections.** A link in the prose to a section of the book ("see Sources
  consulted") carries ``ce-section-link``, and ``print.css`` prints the page it leads to after
  it: on paper a link cannot be followed. Links to a chapter's opening, to notes, names and
  works have their own page references or none.
- **Tables.** Header cells carry ``scope="col"`` (PDF/UA: the header–cell association).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from docutils import nodes

from ..anchoring import edition_words
from ..check import checked_layer
from ..citelabels import bib_author_years
from ..config import get_manifest
from ..html import EditionHTMLTranslator
from ..model import AUTHORITIES, RegisterEntry
from ..nodes import choice, sic
from ..notes import edition_note, edition_noteref, write_note_sources
from ..weblabels import web_sources

#: the endings of the domains the edition names in its prose
DOMAIN_ENDINGS = r"(?:com|org|net|info|edu|gov|bo|ar|br|cl|pe|mx|es|pt|de|fr|it|uk|nu|tv|cu|eu|io)"
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+")
#: a web address, or a site named by its domain in the text ("workersvoiceus.org")
_ADDRESS_OR_DOMAIN = re.compile(
    rf"(?P<url>{_URL.pattern})|(?P<domain>\b(?:[A-Za-z0-9-]+\.)+{DOMAIN_ENDINGS}\b)"
)
#: a word this short alone on a paragraph's last line looks like a mistake
_SHORT_LAST_WORD = 8
_NBSP = "\u00a0"
#: a slash or underscore inside a literal (not inside a tag, not the last character)
_LITERAL_BREAK = re.compile(r"[/_](?![^<>]*>)(?=[^<\s])")
#: the space before a paragraph's § or between "note" and its number: a place breaks only
#: after its text's name ("Smith, / note 11"), or not at all ("Letters §11")
_PLACE_SPACE = re.compile(r" (?=§\d)|(?<=\bnote) (?=\d)")
#: a run of spaces and no-break spaces
_SPACES = re.compile(r"[ \u00a0]{2,}")
#: what a supplied reading may open with that takes no space before it
_CLOSING = tuple(")]},.;:!?’”")
#: set between calls at one point of the text: no line break between them
CALL_JOINER = "\u2060"
#: a run's last word (after its last space; with the words a no-break space ties to it, so that
#: no run ends on a no-break space before the span, which WeasyPrint 70 then breaks after each
#: word) and the spaces that trail it
_LAST_WORD = re.compile(r"([^ ]*\w[^ ]*?)( *)$")


def one_space(text: str) -> str:
    """*text* with each run of spaces that holds an ordinary space set as one space (a run of
    no-break spaces alone stays: it ties)."""
    return _SPACES.sub(lambda m: " " if " " in m.group(0) else m.group(0), text)


def _printed_text(node: nodes.Node) -> str:
    """*node*'s text as print shows it: without the witness's readings and note bodies."""
    if isinstance(node, nodes.Text):
        return node.astext()
    if isinstance(node, sic | edition_note | edition_noteref):
        return ""
    return "".join(_printed_text(child) for child in getattr(node, "children", ()))


#: where an address may break (The Chicago Manual of Style, 14.18): after "//"; before or after
#: "=" and "&"; before any other mark, so that no line ends on a hyphen or a full stop that a
#: reader could take for the text's (print.css never hyphenates an address)
_ADDRESS_BREAK = re.compile(r"(//)|(=|&amp;)|(&#?\w+;)|[/.,\-_~?#%;]")
#: marks the line breaker breaks after, which an address's pieces hold together: a hyphen, a
#: question mark and a single slash ("example.org/ | history" broke after it, review 18)
_HELD = re.compile(r"[-?]|(?<!/)/(?!/)")
#: what ends a sentence after an address rather than the address
_AFTER_ADDRESS = ".,;:!?)"


def address_breaks(encoded: str) -> str:
    """*encoded* (an address as escaped HTML text) with ``<wbr>`` where it may break, none at
    its ends. A piece that holds a hyphen, a question mark or a single slash is kept whole
    (``ce-nobreak``, ``white-space: nowrap``): the line breaker would break after each, and an
    address's own hyphen at a line's end reads as a word broken by the typesetter."""
    cuts: set[int] = set()
    for match in _ADDRESS_BREAK.finditer(encoded):
        if match.group(3):  # another escaped character: kept whole
            continue
        if not match.group(1):
            cuts.add(match.start())
        if match.group(1) or match.group(2):
            cuts.add(match.end())
    # a single slash stays with what follows it, a mark too ("/?p=1", "/~user"): a line that
    # ends on a slash reads as the address's end
    cuts = {c for c in cuts if not (encoded[c - 1 : c] == "/" and encoded[c - 2 : c] != "//")}
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(encoded)), len(encoded)]
    pieces = [encoded[a:b] for a, b in pairwise(bounds)]
    return "<wbr>".join(
        f'<span class="ce-nobreak">{piece}</span>' if _HELD.search(piece) else piece
        for piece in pieces
    )


def url_breaks(encoded: str) -> str:
    """*encoded* HTML text with its web addresses breakable (``address_breaks``) and the
    domains it names never hyphenated (``ce-domain``): a hyphen the typesetter added to
    "workersvoiceus.org" would read as part of the name."""

    def breakable(match: re.Match[str]) -> str:
        if match.group("domain"):  # its own hyphens hold too, as an address's do
            held = " ce-nobreak" if "-" in match.group(0) else ""
            return f'<span class="ce-domain{held}">{match.group(0)}</span>'
        address = match.group(0).rstrip(_AFTER_ADDRESS)
        return address_breaks(address) + match.group(0)[len(address) :]

    return _ADDRESS_OR_DOMAIN.sub(breakable, encoded)


#: a no-break space right before an inline element's start tag ("in&nbsp;<span>Lakeside")
_NBSP_BEFORE_TAG = re.compile("\u00a0(<(?:span|a|em|strong|cite|i|b)\\b[^>]*>)")


def spaces_inside_elements(html: str) -> str:
    """*html* with each no-break space that stands right before an inline element moved just
    inside it: the same text, tied the same way. WeasyPrint breaks the lines before such a
    space wrongly when it hyphenates: a paragraph ending "… not in&nbsp;<span>Lakeside</span>."
    once set "the / bour- / geoisie. / In …", a word over two lines of its own."""
    moved = _NBSP_BEFORE_TAG.sub(lambda m: m.group(1) + _NBSP, html)
    while moved != html:  # into the innermost: "in <span><span>" has it before both tags
        html, moved = moved, _NBSP_BEFORE_TAG.sub(lambda m: m.group(1) + _NBSP, moved)
    return html


def tie_last_words(text: str) -> str:
    """*text* with its last space a no-break space when the word after it is short."""
    stripped = text.rstrip()
    cut = stripped.rfind(" ")
    if cut <= 0 or len(stripped) - cut - 1 > _SHORT_LAST_WORD or " " not in stripped[:cut]:
        return text
    return text[:cut] + _NBSP + text[cut + 1 :]


#: a name's words shorter than this are seldom hyphenated, and are often also English words
_NAME_WORD = 6


def name_words(register: Iterable[RegisterEntry]) -> set[str]:
    """The capitalised words, of six letters or more, of the names (and their variants) of the
    register's persons, places and organisations, and of the places a point stands for one
    ("marked at Lakeside"): most are Spanish, which English patterns break wrongly."""
    return {
        word
        for entry in register
        if entry.type in ("person", "place", "organisation")
        for name in (entry.name, *entry.variants, entry.marked_at or "")
        for word in re.findall(r"[^\W\d_]+", name)
        if len(word) >= _NAME_WORD and word[0].isupper()
    }


#: the months' names long enough to be hyphenated: "Novem-ber" at a line's end split a date
#: (review 13)
MONTH_NAMES = {
    name for month in range(1, 13) if len(name := f"{date(2000, month, 1):%B}") >= _NAME_WORD
}
#: the languages the editors name ("Eng-lish" was broken five times, review 15)
LANGUAGE_NAMES = {"English", "Spanish", "Portuguese", "French", "German", "Italian", "Russian"}


def cited_names(srcdir: str) -> set[str]:
    """The capitalised words, of six letters or more, of the bibliography's authors as its
    labels name them, of the sites the web sources name and of the authority files
    ("Alexan-der", "Wiki-data" were hyphenated)."""
    sites = [site.name for site in web_sources(Path(srcdir)).sites.values()]
    authorities = [name for name, _url in AUTHORITIES.values()]
    names = [label.who for label in bib_author_years(srcdir).values()] + sites + authorities
    return {
        word
        for name in names
        for word in re.findall(r"[^\W\d_]+", name)
        if len(word) >= _NAME_WORD and word[0].isupper()
    }


#: a capitalised word, or a run of them: a name, whether or not a list knows it ("René
#: Zavaleta Mercado" in a register's description, review 14; "Congress", review 15)
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*"
_CAPITALISED_RUN = rf"{_CAPITALISED}(?:[ \u00a0]{_CAPITALISED})*"
#: the end of a sentence, just before a match (a sentence's first word is capitalised anyway)
_SENTENCE_END = re.compile(r"[.!?][”’)]*\s+\Z")
_LONG_WORD = re.compile(rf"[^\W\d_]{{{_NAME_WORD},}}")


class NameWords:
    """The words print never hyphenates: every capitalised word ("the Con- / gress" was one)
    but a sentence's first ("Between April 9" is no name), which is kept whole only when it is
    a word of *names* or made from one ("Trotskyism")."""

    def __init__(self, names: set[str]) -> None:
        alternatives = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
        self._named = re.compile(rf"(?:{alternatives})\w*" if names else "(?!)")
        self.pattern = re.compile(rf"(?<![\w-]){_CAPITALISED_RUN}(?![\w-])(?![^<>]*>)")

    def marked(self, encoded: str) -> str:
        """*encoded* HTML with each such word in a ``ce-name-word`` span."""
        return self.pattern.sub(self._marked, encoded)

    def _marked(self, match: re.Match[str]) -> str:
        start, text = match.start(), match.group()
        before = match.string[max(0, start - 8) : start]  # enough for ".” " before it
        opens = (len(before) == start and not before.strip()) or bool(_SENTENCE_END.search(before))
        words = list(_LONG_WORD.finditer(text))
        first_is_plain = bool(words) and words[0].start() == 0 and not self._named.match(text)
        if opens and first_is_plain:
            words = words[1:]  # a sentence's first word, not a name
        out, pos = [], 0
        for word in words:
            out += [text[pos : word.start()], f'<span class="ce-name-word">{word.group()}</span>']
            pos = word.end()
        return "".join([*out, text[pos:]])


#: a form quoted in up to three words ("“nanalyisis”", "“Smyth Jonnes”"), outside any tag
QUOTED_FORM = re.compile(r"[“‘][^“”‘’<>\s]+(?: [^“”‘’<>\s]+){0,2}[”’](?![^<>]*>)")


def quoted_forms_unhyphenated(encoded: str) -> str:
    """Each short quoted form in *encoded* HTML marked ``ce-form``, which print.css never
    hyphenates: "“nanalyi-sis”" at a line's end no longer shows what the witness has."""
    return QUOTED_FORM.sub(r'<span class="ce-form">\g<0></span>', encoded)


#: a word made of words joined by hyphens ("semi-feudal", "anti-imperialist"), outside any tag
#: and any address (no "/" or "." joined to it)
COMPOUND = re.compile(r"(?<![\w/.-])[^\W\d_]+(?:-[^\W\d_]+)+(?![\w/-]|\.\w)(?![^<>]*>)")


def compounds_unhyphenated(encoded: str) -> str:
    """Each compound in *encoded* HTML marked ``ce-compound``, which print.css never hyphenates:
    it may break at its own hyphen, but not again inside a part ("semi-feu- / dal", review 18)."""
    return COMPOUND.sub(r'<span class="ce-compound">\g<0></span>', encoded)


def merge_line_runs(block: nodes.Element) -> None:
    """The runs of text under *block* that MyST splits at the source's line ends, joined: a
    name or a quoted form that runs over a line end (“The Smith / Papers”) is then seen
    whole, and a run's first word is no longer taken for a sentence's."""
    for element in block.findall(nodes.Element):
        children = element.children
        i = 0
        while i + 1 < len(children):
            first, second = children[i], children[i + 1]
            if isinstance(first, nodes.Text) and isinstance(second, nodes.Text):
                element[i] = nodes.Text(first + second)  # by place: equal texts are equal
                del element[i + 1]
            else:
                i += 1


def _own_texts(paragraph: nodes.paragraph) -> list[nodes.Text]:
    """The runs of *paragraph*'s own text (note bodies float away, so they do not count)."""
    own = []
    for node in paragraph.findall(nodes.Text):
        parent = node.parent
        while parent is not None and parent is not paragraph:
            if isinstance(parent, edition_note):
                break
            parent = parent.parent
        else:
            own.append(node)
    return own


def _last_text(paragraph: nodes.paragraph) -> nodes.Text | None:
    """The last run of *paragraph*'s own text."""
    own = _own_texts(paragraph)
    return own[-1] if own else None


def _last_word_text(paragraph: nodes.paragraph) -> nodes.Text | None:
    """The last run of *paragraph*'s own text that holds a word ("edition" in "See *About this
    edition*.", not the full stop after the link)."""
    return next((n for n in reversed(_own_texts(paragraph)) if _LAST_WORD.search(n.astext())), None)


def last_word_unhyphenated(encoded: str) -> str:
    """*encoded* HTML text (without tags) with its last word (and the words tied to it) in a
    ``ce-last-word`` span."""
    match = _LAST_WORD.search(encoded)
    if match is None or _URL.search(match.group(1)):  # an address breaks after its slashes
        return url_breaks(encoded)
    word = f'<span class="ce-last-word">{url_breaks(match.group(1))}</span>'
    return url_breaks(encoded[: match.start()]) + word + match.group(2)


#: a heading's last two words, the last one short, outside any tag
_HEADING_END = re.compile(rf"([^\s<>]+ [^\s<>]{{1,{_SHORT_LAST_WORD}}})(\s*)$")


def heading_end_kept_together(encoded: str) -> str:
    """*encoded* text with its last two words in one ``ce-last-word`` span (never broken) when
    the last is short: a heading's last line never holds one short word. The space stays a
    space, so that the heading's text (its bookmark, its running head) is unchanged."""
    match = _HEADING_END.search(encoded)
    if match is None or not encoded[: match.start()].strip():  # two words: one line
        return encoded
    kept = f'<span class="ce-last-word">{match.group(1)}</span>'
    return encoded[: match.start()] + kept + match.group(2)


def _calls_in_a_row(root: nodes.Element) -> tuple[set[str], set[int]]:
    """In *root*'s own text (not in its notes' bodies): the targets of the calls that come right
    after another call, and the ids of the Text nodes whose trailing space goes (a call or a
    supplied closing mark follows)."""
    following: set[str] = set()
    trimmed: set[int] = set()
    last_was_call = False

    def walk(node: nodes.Element) -> None:
        nonlocal last_was_call
        children = list(node.children)
        for index, child in enumerate(children):
            if isinstance(child, edition_noteref):
                if last_was_call:
                    following.add(child["refid"])
                last_was_call = True
            elif isinstance(child, edition_note):
                continue  # a body: printed elsewhere, walked on its own
            elif isinstance(child, nodes.Text):
                text = child.astext()
                after = children[index + 1] if index + 1 < len(children) else None
                closing = isinstance(after, choice) and _printed_text(after).startswith(_CLOSING)
                if (isinstance(after, edition_noteref) or closing) and text != text.rstrip():
                    trimmed.add(id(child))
                if text.strip():
                    last_was_call = False
            elif isinstance(child, nodes.Element):
                walk(child)

    walk(root)
    return following, trimmed


#: the opening tag of a heading, as the HTML translator writes it
_HEADING = re.compile(r"<(h[1-6])\b")


class PdfTranslator(EditionHTMLTranslator):
    """The site's translator, with notes, breaks and table headers for print."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._note_depth = 0
        #: bodies of notes met inside another note, printed after it
        self._deferred: list[str] = []
        self._tied: set[int] = set()
        #: the last runs of headings' text, whose last two words go together
        self._heading_ends: set[int] = set()
        #: how many table cells the translator is inside (0 or 1)
        self._cell_depth = 0
        #: the runs whose last word is a paragraph's last word in the editors' prose
        self._last_words: set[int] = set()
        self._manifest = get_manifest(self.builder.config, self.builder.env.srcdir)
        #: calls printed after a comma (they follow another call), Text nodes that lose a space
        self._following: set[str] = set()
        self._trimmed: set[int] = set()
        register = checked_layer(self.builder.env.srcdir).layer.register.values()
        srcdir = self.builder.env.srcdir
        self._names = NameWords(
            name_words(register) | cited_names(srcdir) | MONTH_NAMES | LANGUAGE_NAMES
        )
        #: the ids of the book's sections: a link to one prints its page
        self._section_ids = {
            section_id
            for section in self.document.findall(nodes.section)
            for section_id in section["ids"]
        }

    def depart_document(self, node: nodes.document) -> None:
        self.body = [spaces_inside_elements("".join(self.body))]
        super().depart_document(node)

    def _collect_calls(self, root: nodes.Element) -> None:
        following, trimmed = _calls_in_a_row(root)
        self._following |= following
        self._trimmed |= trimmed

    # Sphinx binds the handlers of added nodes to the instance, so print's own are dispatched here
    def dispatch_visit(self, node: nodes.Node) -> None:
        if isinstance(node, edition_noteref):
            return self.visit_print_noteref(node)
        if isinstance(node, edition_note):
            return self.visit_print_note(node)
        if isinstance(node, sic):  # print shows the reading text; the witness's is listed
            raise nodes.SkipNode
        return super().dispatch_visit(node)

    def dispatch_departure(self, node: nodes.Node) -> None:
        if isinstance(node, edition_note):
            return self.depart_print_note(node)
        return super().dispatch_departure(node)

    # notes
    def visit_print_noteref(self, node: edition_noteref) -> None:
        """A call printed as text only where its note is not floated from right here."""
        body = node.next_node(descend=False, siblings=True)
        floated_here = (
            self._note_depth == 0
            and isinstance(body, edition_note)
            and bool(body["ids"])
            and body["ids"][0] == node["refid"]
        )
        if not floated_here:
            label = self.encode(node.astext())
            after = " ce-fn-ref-after" if node["refid"] in self._following else ""
            if after:
                self.body.append(CALL_JOINER)
            self.body.append(
                f'<a class="ce-fn-ref ce-fn-ref-{node["series"]}{after}" href="#{node["refid"]}">'
                f'<span class="ce-visually-hidden">Note </span>{label}</a>'
            )
        raise nodes.SkipNode

    def visit_print_note(self, node: edition_note) -> None:
        classes = f"ce-note ce-note-{node['series']}"
        if self._note_depth:
            classes += " ce-note-moved"  # its call is the link printed inside the outer note
        elif node["ids"] and node["ids"][0] in self._following:
            classes += " ce-note-after"  # its call follows another: a comma between them
            self.body.append(CALL_JOINER)
        self._collect_calls(node)
        self._note_depth += 1
        self.context.append(len(self.body))
        attrs = {"role": "doc-footnote", "data-label": node["label"]}
        self.body.append(self.starttag(node, "span", "", CLASS=classes, **attrs))

    def depart_print_note(self, node: edition_note) -> None:
        start = self.context.pop()
        write_note_sources(self, node)  # as on screen: after the body, inside the footnote
        self.body.append("</span>")
        self._note_depth -= 1
        if self._note_depth:  # a note inside a note: printed after the outer one
            self._deferred.extend(self.body[start:])
            del self.body[start:]
        elif self._deferred:  # their calls are inside this note: their anchors stay by its call
            self.body.append(CALL_JOINER)
            self.body.extend(self._deferred)
            self._deferred.clear()

    def visit_title(self, node: nodes.title) -> None:
        """A heading keeps a short last word with the word before it. A heading that calls a
        note names itself by its words alone in ``data-heading``, which print.css makes its
        bookmark and running head: their text would take the call's label ("…managedad")."""
        merge_line_runs(node)
        last = _last_text(node)
        if last is not None:  # "… critical support to the / MNR?" left a word alone
            self._heading_ends.add(id(last))
        super().visit_title(node)
        if not any(True for _ in node.findall(edition_note)):
            return
        words = self.attval(" ".join(edition_words(node).split()))
        opened = next(i for i in range(len(self.body) - 1, -1, -1) if _HEADING.match(self.body[i]))
        self.body[opened] = _HEADING.sub(rf'<\1 data-heading="{words}"', self.body[opened], 1)

    # line breaks
    def visit_paragraph(self, node: nodes.paragraph) -> None:
        merge_line_runs(node)
        last = _last_text(node)
        if last is not None and not self._cell_depth:  # a cell is too narrow for tied words
            self._tied.add(id(last))
        if self._manifest.text_for_source(node.source) is None:  # the editors' prose
            word = _last_word_text(node)
            if word is not None:
                self._last_words.add(id(word))
        if not self._note_depth:
            self._collect_calls(node)
        super().visit_paragraph(node)

    def visit_Text(self, node: nodes.Text) -> None:
        if isinstance(node.parent, nodes.literal_block):
            super().visit_Text(node)
            return
        if self.protect_literal_text:  # a file name: break chances after / and _ (not in tags)
            super().visit_Text(node)
            self.body[-1] = _LITERAL_BREAK.sub(r"\g<0><wbr>", self.body[-1])
            return
        text = one_space(node.astext().replace("\n", " "))
        if id(node) in self._trimmed:
            text = text.rstrip()
        if id(node) in self._tied:
            text = tie_last_words(text)
        if self._cell_depth:
            text = _PLACE_SPACE.sub(_NBSP, text)
        if id(node) in self._last_words:
            encoded = last_word_unhyphenated(self.encode(text))
        else:
            encoded = url_breaks(self.encode(text))
        if id(node) in self._heading_ends:
            encoded = heading_end_kept_together(encoded)
        encoded = compounds_unhyphenated(quoted_forms_unhyphenated(encoded))
        encoded = self._names.marked(encoded)
        self.body.append(encoded)

    def visit_reference(self, node: nodes.reference) -> None:
        target = node.get("refid") or node.get("refuri", "").partition("#")[2]
        if target in self._section_ids:
            node["classes"].append("ce-section-link")
        super().visit_reference(node)

    # web sources: the address after the name, in small type (readers of paper need it)
    def depart_reference(self, node: nodes.reference) -> None:
        if node.get("printurl"):
            url = address_breaks(self.encode(node["printurl"]))
            self.body.append(f' <span class="ce-url">{url}</span>')
        super().depart_reference(node)

    # tables
    def visit_entry(self, node: nodes.entry) -> None:
        self._cell_depth += 1
        super().visit_entry(node)
        if isinstance(node.parent.parent, nodes.thead):
            self.body[-1] = self.body[-1].replace("<th ", '<th scope="col" ', 1)

    def depart_entry(self, node: nodes.entry) -> None:
        self._cell_depth -= 1
        super().depart_entry(node)
