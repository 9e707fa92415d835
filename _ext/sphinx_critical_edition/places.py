"""Links from editorial text to a place in the edition: a § of a text, or an anchor of a page.

``[§12](#p12)`` in a note or a reading's comment is §12 of the text the note is on (in a note
on a text whose ids are ``t1``, ``t2``…, ``#p3`` is still its §3). ``[](#ed-note-ID)`` is the
editorial note ID on the same text, printed "note w" with the letter it has in this version
(letters change when notes are added, so a note is never referred to by a letter written out);
``[](article.md#ed-note-ID)`` a note on the text of that page, from any editorial text.
``[Theses §3](theses.md#p3)`` is §3 of the text on that page; ``[…](register.md#reg-paz)`` or
``[…](apparatus.md#list-of-emendations)`` an anchor a page has: a heading, a ``(label)=``
target, a register entry (``reg-ID``) or a chronology event (``chron-ID``); ``theses.md``
alone, the page. Pages are named from ``docs/``.

The check refuses a link to a page, § or anchor that does not exist, before anything is
built (``place_problems``); the build turns each link into a pending reference of the Edition
domain (``pending_places``), resolved per builder (``resolve_place``): a link to the page in
the HTML, to the anchor in the PDF's one book.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes

from .errors import Problem
from .model import EditorialLayer
from .safety import (
    MARKUP_FIELDS,
    TRANSCRIPTION_EXTENSIONS,
    Refusal,
    checking_parser,
    line_in_file,
    normalised_url,
)
from .texts import Manifest

#: ``#p12``: a § of a text, whatever the text's own id prefix
PARAGRAPH = re.compile(r"p([1-9][0-9]*)")
#: ``#ed-note-ID``: an editorial note on the same text, printed by its letter
NOTE_ANCHOR = "ed-note-"
#: editorial text that may hold a link within the edition: the files without one are not
#: parsed again (a link goes to an anchor, "#…", or a page, "….md")
_CANDIDATE = re.compile(r"#|\.md")
_LINK = re.compile(r"\]\s*[(:]")  # "](…" or a reference definition "[x]: …"


def _may_link(text: str) -> bool:
    return bool(text) and _LINK.search(text) is not None and _CANDIDATE.search(text) is not None


def split_place(href: str) -> tuple[str, str] | None:
    """``(page, anchor)`` of a link within the edition (``page`` without ``.md``, either may be
    empty), or None for a link that leaves it (an http(s) address)."""
    url = normalised_url(href)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
        return None
    page, _, anchor = url.partition("#")
    return page.removesuffix(".md"), anchor


# ------------------------------------------------------------------------- what the edition has


@dataclass(frozen=True)
class Places:
    """The pages of the edition, the text each text page holds, and the anchors of each page."""

    pages: frozenset[str]
    text_of_page: dict[str, str]  # docname → text key
    paragraphs: dict[str, int]  # text key → how many § it has
    anchors: dict[str, frozenset[str]] = field(default_factory=dict)  # docname → its ids
    notes: dict[str, str] = field(default_factory=dict)  # an editorial note's id → its text

    def problem(self, href: str, text: str) -> str | None:
        """Why *href*, written in a note on *text* (``""``: in no note), leads nowhere."""
        page, anchor = split_place(href) or ("", "")
        paragraph = PARAGRAPH.fullmatch(anchor)
        text_pages = ", ".join(f"{p}.md" for p in sorted(self.text_of_page)) or "none"
        if not page and anchor.startswith(NOTE_ANCHOR):
            return self._note_problem(href, text, anchor.removeprefix(NOTE_ANCHOR))
        if not page:
            if paragraph and text:
                return self._paragraph_problem(href, text, int(paragraph.group(1)))
            if paragraph:
                return (
                    f"the link {href!r}: outside a note on a text, a § needs its text's page "
                    f"(the texts are on {text_pages}): write [§3](PAGE.md#p3)"
                )
            return (
                f"the link {href!r}: a link within the edition goes to a § of the note's text "
                "(#p12) or names its page (theses.md#p3, register.md#reg-ID)"
            )
        if page not in self.pages:
            return (
                f"the link {href!r}: there is no page {page}.md in docs/ (pages: "
                f"{', '.join(f'{p}.md' for p in sorted(self.pages))})"
            )
        if not anchor:
            return None
        if anchor.startswith(NOTE_ANCHOR):
            return self._note_on_page_problem(href, page, anchor.removeprefix(NOTE_ANCHOR))
        if paragraph:
            if page not in self.text_of_page:
                return (
                    f"the link {href!r}: {page}.md holds no text, so it has no §"
                    f"{paragraph.group(1)}; the texts are on {text_pages}"
                )
            return self._paragraph_problem(href, self.text_of_page[page], int(paragraph.group(1)))
        if anchor in self.anchors.get(page, ()):
            return None
        return (
            f"the link {href!r}: {page}.md has no anchor {anchor!r}; link a § (#p12, "
            "theses.md#p3), a heading or (label)= target of the page, a register entry "
            "(register.md#reg-ID) or a chronology event (chronology.md#chron-ID)"
        )

    def _note_problem(self, href: str, text: str, note: str) -> str | None:
        if not text:
            return f"the link {href!r}: only a note on a text may link to another note"
        if self.notes.get(note) == text:
            return None
        return (
            f"the link {href!r}: there is no editorial note {note!r} on the text {text!r}; "
            "write [](#ed-note-ID) with the id of a note (kind: note) on the same text, or "
            "[](PAGE.md#ed-note-ID) for a note on the text of another page"
        )

    def _note_on_page_problem(self, href: str, page: str, note: str) -> str | None:
        text = self.text_of_page.get(page)
        if text is not None and self.notes.get(note) == text:
            return None
        on_page = f"on the text of {page}.md" if text else f"on {page}.md, which holds no text"
        where = self.notes.get(note)
        pages = [p for p, t in self.text_of_page.items() if t == where]
        hint = f"; it is on {pages[0]}.md" if pages else ""
        return (
            f"the link {href!r}: there is no editorial note {note!r} {on_page}{hint}; write "
            "[](PAGE.md#ed-note-ID) with the page that holds the note's text"
        )

    def _paragraph_problem(self, href: str, text: str, number: int) -> str | None:
        count = self.paragraphs.get(text, 0)
        if 1 <= number <= count:
            return None
        return f"the link {href!r}: the text {text!r} has no §{number}; its § run from 1 to {count}"


def edition_places(
    docs_dir: Path, manifest: Manifest, paragraphs: dict[str, int], layer: EditorialLayer
) -> Places:
    """What the pages of *docs_dir* hold: the texts they include and the anchors they have."""
    pages, text_of_page = _pages(docs_dir, manifest)
    anchors: dict[str, frozenset[str]] = {}
    for page in pages:
        ids, directives = _page_anchors(docs_dir / f"{page}.md")
        if page in text_of_page:
            spec = manifest.text(text_of_page[page])
            count = paragraphs.get(spec.key, 0)
            ids |= {spec.paragraph_id(n) for n in range(1, count + 1)}
        if "edition-register" in directives:
            ids |= {f"reg-{key}" for key in layer.register}
        if "edition-chronology" in directives:
            ids |= {f"chron-{event.id}" for event in layer.chronology}
        anchors[page] = frozenset(ids)
    notes = {a.id: a.text for a in layer.annotations if a.kind == "note"}
    return Places(frozenset(pages), text_of_page, paragraphs, anchors, notes)


def text_pages(docs_dir: Path, manifest: Manifest) -> dict[str, str]:
    """Which page (docname) holds which text (key): the page that includes its transcription."""
    return _pages(docs_dir, manifest)[1]


def _pages(docs_dir: Path, manifest: Manifest) -> tuple[list[str], dict[str, str]]:
    found = [p for p in sorted(docs_dir.rglob("*.md")) if _is_page(p, docs_dir)]
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in found)
    transcriptions = tuple((str(s.transcription.resolve()), s.key) for s in manifest.texts)
    return _read_pages(docs_dir, stamp, transcriptions)


def _is_page(path: Path, docs_dir: Path) -> bool:
    return "_build" not in path.relative_to(docs_dir).parts


@lru_cache(maxsize=4)
def _read_pages(
    docs_dir: Path, stamp: tuple[tuple[str, int], ...], transcriptions: tuple[tuple[str, str], ...]
) -> tuple[list[str], dict[str, str]]:
    """The pages' docnames, and which page includes which transcription."""
    by_file = dict(transcriptions)
    pages, text_of_page = [], {}
    for name, _ in stamp:
        path = Path(name)
        page = path.relative_to(docs_dir).with_suffix("").as_posix()
        pages.append(page)
        for token in checking_parser(TRANSCRIPTION_EXTENSIONS).parse(path.read_text("utf-8")):
            included = re.fullmatch(r"\{include\}\s+(\S+)", token.info.strip())
            if token.type in ("fence", "colon_fence") and included:
                key = by_file.get(str((path.parent / included.group(1)).resolve()))
                if key:
                    text_of_page[page] = key
    return pages, text_of_page


def _page_anchors(path: Path) -> tuple[set[str], set[str]]:
    """A page's heading ids (docutils' and MyST's forms) and ``(label)=`` targets; the
    directives it uses."""
    from myst_parser.mdit_to_docutils.base import default_slugify

    ids: set[str] = set()
    directives: set[str] = set()
    tokens = checking_parser(TRANSCRIPTION_EXTENSIONS).parse(path.read_text("utf-8"))
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            title = "".join(c.content for c in tokens[i + 1].children or [])
            ids |= {nodes.make_id(title), default_slugify(title)}
        elif token.type == "myst_target":
            ids.add(nodes.make_id(token.content))
        elif token.type in ("fence", "colon_fence"):
            name = re.match(r"\{([^}]*)\}", token.info.strip())
            directives |= {name.group(1)} if name else set()
    return ids - {""}, directives


# ------------------------------------------------------------------------------------ the check


def place_problems(layer: EditorialLayer, places: Callable[[], Places]) -> list[Problem]:
    """Every link within the edition in the layer's editorial text that leads nowhere, at the
    line where it is written. *places* is called (the pages read) only if there is a link."""
    problems: list[Problem] = []
    known: list[Places] = []  # read once, at the first link
    for path in _files_with_candidates(layer):
        text = path.read_text(encoding="utf-8")
        try:
            root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            continue  # reported by the loader
        note_text = _top_value(root, "text")
        for where, node in _markup_fields(root):
            note_on = note_text if where[0] == "annotations" else ""
            for line, href in _links(node.value):
                known[:] = known or [places()]
                reason = known[0].problem(href, note_on)
                if reason:
                    found = Refusal(line, href, reason)
                    at = line_in_file(path, where, found, node.start_mark.line + 1)
                    field_name = ".".join(map(str, where))
                    problems.append(Problem(str(path), at, f"{field_name}: {reason}"))
    return problems


def _files_with_candidates(layer: EditorialLayer) -> list[Path]:
    """The layer files whose editorial text (as loaded: YAML escapes decoded) may link within
    the edition."""
    texts: list[tuple[Path, str]] = []
    for a in layer.annotations:
        texts += [(a.at.path, a.body), *((a.at.path, r.comment) for r in a.readings)]
    texts += [(e.at.path, e.description) for e in layer.register.values()]
    texts += [(w.at.path, w.description) for w in layer.witnesses.values()]
    for event in layer.chronology:
        texts += [(event.at.path, event.description), (event.at.path, event.disputed)]
    return sorted({path for path, text in texts if _may_link(text)})


def _top_value(root: yaml.Node | None, key: str) -> str:
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return ""


def _markup_fields(
    node: yaml.Node | None, where: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], yaml.ScalarNode]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            step = (*where, key.value)
            if key.value in MARKUP_FIELDS and isinstance(value, yaml.ScalarNode):
                yield step, value
            else:
                yield from _markup_fields(value, step)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            yield from _markup_fields(value, (*where, i))


def _links(text: str) -> Iterator[tuple[int, str]]:
    """The links within the edition in editorial *text*: (line from 0, href as written)."""
    line = 0
    if not _may_link(text):
        return
    for token in checking_parser().parse(text):
        line = token.map[0] if token.map else line
        at = line
        for child in token.children or []:
            at += child.type in ("softbreak", "hardbreak")
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href and split_place(href) is not None:
                yield at, href


# ------------------------------------------------------------------------------------ the build


#: how ``mark_places`` hands a place to MyST: as a link to an anchor of the page, which MyST
#: makes a plain reference (a page's name would send it looking for a file)
_MARK = "#ce-place="


def mark_places(tokens: list[Any]) -> None:
    """Each link within the edition in parsed *tokens*, marked for ``pending_places``."""
    for token in tokens:
        for child in token.children or []:
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href and split_place(href) is not None:
                child.attrs["href"] = _MARK + normalised_url(href)


@dataclass(frozen=True)
class Target:
    """Where a link within the edition goes: *page* (a docname), or for a § of a text, the page
    of *text* (known once its page is read); *anchor*, the id there."""

    page: str
    anchor: str
    text: str = ""


def target_of(
    href: str, note_on: str, edition: Callable[[], tuple[Manifest, dict[str, str]]]
) -> Target:
    """The target of a link within the edition written in a note on *note_on* (or ``""``);
    *edition*: the manifest and ``text_pages``, asked for only for a §."""
    page, anchor = split_place(href) or ("", "")
    if not page and anchor.startswith(NOTE_ANCHOR):
        return Target("", anchor, note_on)
    paragraph = PARAGRAPH.fullmatch(anchor)
    if paragraph:
        manifest, text_of_page = edition()
        key = text_of_page.get(page, "") if page else note_on
        if key:
            return Target("", manifest.text(key).paragraph_id(int(paragraph.group(1))), key)
    return Target(page, anchor)


def pending_places(
    blocks: list[nodes.Node], text: str, edition: Callable[[], tuple[Manifest, dict[str, str]]]
) -> None:
    """Each link within the edition in parsed *blocks* (of a note on *text*, or ``""``) as a
    pending reference of the Edition domain: ``reftarget`` its page, or empty for the page of
    ``edition_text``; ``reftargetid`` the id it goes to (a §'s id in its text's form)."""
    from sphinx import addnodes

    for block in blocks:
        for ref in list(block.findall(_is_marked)):
            target = target_of(ref["refuri"].removeprefix(_MARK), text, edition)
            attrs: dict[str, Any] = {"reftarget": target.page, "reftargetid": target.anchor}
            if target.text:
                attrs["edition_text"] = target.text
            xref = addnodes.pending_xref(
                "",
                nodes.inline("", "", *ref.children),
                refdomain="edition",
                reftype="place",
                refexplicit=True,
                **attrs,
            )
            ref.replace_self(xref)


def _is_marked(node: nodes.Node) -> bool:
    return isinstance(node, nodes.reference) and node.get("refuri", "").startswith(_MARK)


def place_uri(builder: Any, fromdoc: str, page: str, anchor: str, text: str = "") -> str | None:
    """The href of a place (*page*, or else the page of *text*, and *anchor*) from *fromdoc*."""
    from .links import page_link

    todoc = page or builder.env.get_domain("edition").data["texts"].get(text, "")
    if not todoc:
        return None
    if anchor:
        return page_link(builder, fromdoc, todoc, anchor)
    return builder.get_relative_uri(fromdoc, todoc)


def resolve_place(
    builder: Any, fromdoc: str, node: nodes.Element, content: nodes.Node
) -> nodes.reference | None:
    """The link of a pending place (``pending_places``) from *fromdoc*."""
    uri = place_uri(
        builder, fromdoc, node["reftarget"], node["reftargetid"], node.get("edition_text", "")
    )
    if uri is None:
        return None
    content = note_letter(builder, node["reftargetid"]) or content
    return nodes.reference("", "", content, internal=True, refuri=uri, classes=["ce-place"])


def note_letter(builder: Any, anchor: str) -> nodes.Text | None:
    """ "note w" for a link to an editorial note (``#ed-note-ID``): its letter in this build."""
    if not anchor.startswith(NOTE_ANCHOR):
        return None
    record = builder.env.get_domain("edition").records.get(anchor.removeprefix(NOTE_ANCHOR))
    return nodes.Text(f"note {record['label']}") if record and record.get("label") else None


def is_pending_place(node: nodes.Node) -> bool:
    """A link to a place, not yet resolved (``pending_places``)."""
    return node.get("reftype") == "place" if isinstance(node, nodes.Element) else False


def place_inline(xref: nodes.Element) -> nodes.inline:
    """A pending place as ``textruns.runs_to_nodes`` makes it: text where the links of the
    page are already resolved (a register description), linked by ``link_places_in``."""
    target = [xref["reftarget"], xref["reftargetid"], xref.get("edition_text", "")]
    return nodes.inline("", "", *xref[0].children, classes=["ce-place"], place=target)


def link_places_in(node: nodes.Element, builder: Any, docname: str) -> None:
    """Each place of ``textruns.runs_to_nodes`` under *node* (a reason, a comment) becomes a
    link, as a note's own links are resolved by the Edition domain."""
    for place in list(node.findall(nodes.inline)):
        if "place" in place:
            uri = place_uri(builder, docname, *place["place"])
            if uri is not None:
                letter = note_letter(builder, place["place"][1])
                children = [letter] if letter else place.children
                place.replace_self(
                    nodes.reference(
                        "", "", *children, internal=True, refuri=uri, classes=["ce-place"]
                    )
                )


#: a link's destination in Markdown: ``](href)`` or a reference definition ``[x]: href``
_DESTINATION = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)([^\s)>]+)", re.MULTILINE)


def absolute_links(
    markdown: str,
    note_on: str,
    edition: Callable[[], tuple[Manifest, dict[str, str]]],
    uri: Callable[[Target], str | None],
) -> str:
    """*markdown* (a note on *note_on*) with each link within the edition made absolute by
    *uri*, for the Web Annotations, whose bodies are read away from the site."""

    def absolute(match: re.Match[str]) -> str:
        if split_place(match.group(2)) is None:
            return match.group()
        return match.group(1) + (uri(target_of(match.group(2), note_on, edition)) or match.group(2))

    return _DESTINATION.sub(absolute, markdown)
