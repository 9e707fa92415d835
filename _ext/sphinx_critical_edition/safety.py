"""Contributed text is untrusted: it may use the markup listed here and nothing else.

Two allowlists, checked on the token stream markdown-it makes of the text (what MyST renders),
so a construct is named as the parser sees it, however it is spelled:

- **editorial text** (note bodies and emendation reasons, reading comments, register, chronology
  and sigla descriptions): paragraphs, emphasis, strong, inline code, links to http(s) addresses
  or to places in the edition, and citations (``{cite:p}`key```) in a body. No lists or block
  quotes: a note is printed inside the paragraph it annotates, where they cannot go;
- **a transcription** (``source_texts/*.md``): structure only: headings, paragraphs, block quotes,
  the author's note calls and notes, ``%`` comments, ``(label)=`` targets and in-text links to
  them, class and id attributes, and the ``text-part`` directive.

Everything else (any other directive or role, raw HTML, images, tables, code blocks, footnotes in
a note, front matter…) is refused with what was found and what to write instead. A link is judged
after normalising it as a browser would. Every other field is plain text, escaped on output; it
may not look like HTML or hold a script link either (``unsafe_reason``).
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from myst_parser.parsers.mdit import create_md_parser

from .errors import Problem

ALLOWED_SCHEMES = {"http", "https"}

#: MyST syntax extensions of editorial text (none: CommonMark with MyST roles), the same in the
#: check and the build whatever ``conf.py`` enables, so both see the same constructs
EDITORIAL_SYNTAX = MdParserConfig()
#: MyST syntax extensions of a transcription (``conf.py`` enables them for the pages too; a
#: build checks the transcriptions with every extension its ``conf.py`` adds)
TRANSCRIPTION_EXTENSIONS = ("colon_fence", "attrs_block", "attrs_inline", "deflist")
TRANSCRIPTION_SYNTAX = MdParserConfig(enable_extensions=set(TRANSCRIPTION_EXTENSIONS))

#: the citation roles (sphinxcontrib-bibtex) an annotation's body may use
CITE_ROLES = frozenset({"cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "cite:year"})
#: the fields of the layer that hold editorial text (MyST), and whether each may cite
MARKUP_FIELDS = {"body": True, "comment": False, "description": False, "disputed": False}

#: what each refused construct is called in a message
_NAMES = {
    "heading_open": "a heading (#)",
    "lheading_open": "a heading",
    "hr": "a horizontal rule",
    "table_open": "a table",
    "code_block": "an indented code block",
    "fence": "a code block (```)",
    "colon_fence": "a ::: block",
    "footnote_reference_open": "a footnote definition ([^…]: …)",
    "footnote_block_open": "a footnote definition",
    "footnote_ref": "a footnote reference ([^…])",
    "myst_target": "a target ((label)=)",
    "myst_line_comment": "a comment line (%)",
    "myst_block_break": "a block break (+++)",
    "front_matter": "front matter (---)",
    "image": "an image",
    "code_inline": "inline code",
    "em_open": "emphasis",
    "strong_open": "strong emphasis",
    "bullet_list_open": "a list",
    "ordered_list_open": "a numbered list",
    "blockquote_open": "a block quote",
    "link_open": "a link",
    "hardbreak": "a hard line break",
    "dl_open": "a definition list",
    "math_inline": "math ($…$)",
    "math_block": "math ($$…$$)",
    "s_open": "strikethrough (~~…~~)",
    "myst_role": "a role",
    "span_open": "a span with attributes ([…]{…})",
}


#: parts of a construct refused as a whole (a list's items, a table's rows…)
_INNER = frozenset(
    [
        "list_item_open",
        "thead_open",
        "tbody_open",
        "tr_open",
        "th_open",
        "td_open",
        "dt_open",
        "dd_open",
        "footnote_anchor",
    ]
)


@dataclass(frozen=True)
class Refusal:
    """One construct a text may not hold."""

    line: int  # 0-based, within the text
    found: str  # the construct as written, to find its line in a YAML file
    message: str


@dataclass(frozen=True)
class Allowlist:
    """What one kind of text may hold, by markdown-it token type, role and directive name."""

    name: str  # "editorial text", "a transcription"
    instead: str  # what to write instead, for every message
    blocks: frozenset[str]
    inlines: frozenset[str]
    roles: frozenset[str] = frozenset()
    directives: frozenset[str] = frozenset()
    attributes: frozenset[str] = frozenset()
    link_refusal: Callable[[str], str | None] = lambda href: None


# ---------------------------------------------------------------------------------------- links

_C0_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: a place in the edition: an anchor on the page, or a page of the edition and an anchor on it
_IN_EDITION = re.compile(r"(?:[A-Za-z0-9_-]+\.md)?(?:#[A-Za-z0-9_.:-]+)?")
_IN_TEXT = re.compile(r"#[A-Za-z0-9_.:-]+")
_SCRIPT_SCHEMES = ("javascript", "vbscript", "data")


def normalised_url(href: str) -> str:
    """*href* as a browser reads it: entities and percent-escapes decoded (until nothing
    changes; an attribute is decoded once, but MyST decodes escapes before writing it), ASCII
    control characters and white space removed (a browser drops tabs and newlines anywhere),
    the scheme lower-cased."""
    url = href
    for _ in range(4):
        decoded = _C0_AND_SPACE.sub("", html.unescape(unquote(url)))
        if decoded == url:
            break
        url = decoded
    scheme = _SCHEME.match(url)
    return scheme.group(1).lower() + url[scheme.end(1) :] if scheme else url


def link_refusal(href: str) -> str | None:
    """Why a link to *href* may not reach a page, or None: only http(s) addresses and places
    in the edition (``#p12``, ``theses.md#p3``; no path that could name a file). Whether the
    place exists is judged by ``places``."""
    url = normalised_url(href)
    scheme = _SCHEME.match(url)
    if scheme is None:
        if url and _IN_EDITION.fullmatch(url):
            return None
        return (
            f"the link {url!r} is not allowed: a link goes to an http(s) address or to a place "
            "in the edition (#p12, theses.md#p3), never to a file or a path"
        )
    if scheme.group(1) in ALLOWED_SCHEMES:
        return None
    if scheme.group(1) in _SCRIPT_SCHEMES:
        return f"the link {url!r}: javascript:, vbscript: and data: links are not allowed"
    return f"the link {url!r}: only http(s) and internal links are allowed, not {scheme.group()}"


def in_text_link_refusal(href: str) -> str | None:
    """Why a transcription may not link to *href*, or None: it may only link a note and its
    call (``[1.](#theses-noteref-1)``), never leave the text."""
    url = normalised_url(href)
    if _IN_TEXT.fullmatch(url):
        return None
    return (
        f"the link {url!r} is not allowed in a transcription: it may only link a note and its "
        "call in the text (#label)"
    )


# ----------------------------------------------------------------------------- the allowlists

EDITORIAL = Allowlist(
    name="editorial text",
    instead=(
        "write *emphasis*, **strong**, `code`, [text](https://…), {cite:p}`key` and paragraphs "
        "(no lists or quotes: a note is printed inside the paragraph it annotates)"
    ),
    blocks=frozenset(["paragraph_open", "inline"]),
    inlines=frozenset(
        [
            "text",
            "softbreak",
            "hardbreak",
            "em_open",
            "strong_open",
            "code_inline",
            "link_open",
            "myst_role",
        ]
    ),
    roles=CITE_ROLES,
    attributes=frozenset({"href", "title"}),
    link_refusal=link_refusal,
)

TRANSCRIPTION = Allowlist(
    name="a transcription",
    instead=(
        "a transcription adds structure only: headings, paragraphs, > block quotes, note calls "
        "[^n] and notes, % comments, (label)= targets and #links to them, {.class} attributes "
        "on a block's line above it and the text-part directive"
    ),
    blocks=frozenset(
        [
            "heading_open",
            "paragraph_open",
            "inline",
            "blockquote_open",
            "footnote_reference_open",
            "footnote_block_open",
            "myst_line_comment",
            "myst_target",
        ]
    ),
    inlines=frozenset(["text", "softbreak", "footnote_ref", "link_open"]),
    directives=frozenset({"text-part"}),
    attributes=frozenset({"class", "id", "href", "title"}),
    link_refusal=in_text_link_refusal,
)
#: editorial text that cannot cite: rendered after citations are resolved (descriptions), or
#: kept as plain runs of text for another page (a reading's comment)
_NO_CITE = dataclasses.replace(EDITORIAL, roles=frozenset())


# ------------------------------------------------------------------------------------ parsing


def _permissive_links(url: str) -> bool:
    """The check sees every link as a link (markdown-it leaves ``javascript:`` as text), so
    that each is judged and named."""
    return True


@lru_cache(maxsize=4)
def checking_parser(extensions: tuple[str, ...] | None = None) -> Any:
    """A markdown-it parser for the check (tokens only): MyST's syntax of editorial text, or
    with these syntax *extensions* (a transcription's)."""
    config = (
        EDITORIAL_SYNTAX
        if extensions is None
        else MdParserConfig(enable_extensions=set(extensions))
    )
    parser = create_md_parser(config, DocutilsRenderer).disable("wordcount")
    parser.validateLink = _permissive_links
    return parser


def markup_refusals(text: str, cite: bool = True) -> list[Refusal]:
    """What editorial *text* may not hold (with ``cite=False``: no citation either)."""
    tokens = checking_parser().parse(text)
    allow = EDITORIAL if cite else _NO_CITE
    return refusals(tokens, allow)


def transcription_refusals(
    text: str, extensions: tuple[str, ...] = TRANSCRIPTION_EXTENSIONS
) -> list[Refusal]:
    """What a transcription may not hold, parsed with the syntax *extensions* the build parses
    it with (a block's attributes are written on the lines above it)."""
    parse = checking_parser(tuple(sorted(set(extensions)))).parse
    found = refusals(parse(text), TRANSCRIPTION, parse=parse)
    lines = text.split("\n")
    for i, refusal in enumerate(found):
        if refusal.found and refusal.found not in lines[refusal.line]:
            above = range(refusal.line - 1, max(-1, refusal.line - 4), -1)
            at = next((n for n in above if refusal.found in lines[n]), refusal.line)
            found[i] = dataclasses.replace(refusal, line=at)
    return found


def refusals(
    tokens: Sequence[Token],
    allow: Allowlist,
    line0: int = 0,
    allow_breaks: bool = False,
    parse: Callable[[str], list[Token]] | None = None,
) -> list[Refusal]:
    """Every token of *tokens* that *allow* does not list (*line0*: the first token's line).

    *allow_breaks*: ``+++ ce-body`` separates the texts of one render (``bodies.py``);
    *parse*: how the content of an allowed directive is parsed (as its page is)."""
    found: list[Refusal] = []
    line = line0
    for token in tokens:
        if token.map:
            line = line0 + token.map[0]
        kind = token.type
        if kind.endswith("_close") or kind in _INNER:
            continue  # judged with its opening token, or with the construct it is part of
        if kind == "myst_block_break" and allow_breaks and token.content == "ce-body":
            continue
        if kind in ("fence", "colon_fence", "code_block"):
            found += _block_refusals(token, allow, line, parse)
        elif kind == "html_block":
            found.append(_html(token.content, allow, line))
        elif kind == "inline":
            found += _inline_refusals(token.children or [], allow, line)
        elif kind not in allow.blocks:
            found.append(_refused(_NAMES.get(kind, kind), allow, line))
        else:
            found += _attribute_refusals(token, allow, line)
    return found


def _refused(what: str, allow: Allowlist, line: int, found: str = "") -> Refusal:
    return Refusal(line, found, f"{what} is not allowed in {allow.name}; {allow.instead}")


def _html(content: str, allow: Allowlist, line: int) -> Refusal:
    snippet = content.strip().split("\n", 1)[0]
    tag = re.match(r"<\s*/?\s*[^\s>/]*", snippet)
    return Refusal(
        line,
        tag.group() if tag else snippet,
        f"raw HTML is not allowed in {allow.name} (found {snippet[:60]!r}); {allow.instead}",
    )


def _attribute_refusals(token: Token, allow: Allowlist, line: int) -> list[Refusal]:
    return [
        _refused(f"the attribute {key}={value!r}", allow, line, key)
        for key, value in (token.attrs or {}).items()
        if key not in allow.attributes
    ]


def _block_refusals(
    token: Token, allow: Allowlist, line: int, parse: Callable[[str], list[Token]] | None
) -> list[Refusal]:
    """A directive (```` ```{name} ```` or ``:::{name}``) or a code block; an allowed
    directive's content is checked in turn."""
    name = re.match(r"\{([^}]*)\}", token.info.strip())
    if name is None:
        return [_refused(_NAMES.get(token.type, token.type), allow, line)]
    if name.group(1) not in allow.directives:
        return [
            _refused(f"the directive {name.group()}", allow, line, name.group()),
        ]
    # options (":label: …" lines, or a --- block) become blank lines, so lines stay in place
    lines = token.content.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i, x in enumerate(lines[1:], 1) if x.strip() == "---"), len(lines) - 1)
        lines[: end + 1] = [""] * (end + 1)
    else:
        for i, x in enumerate(lines):
            if not re.match(r"\s*:[\w-]+:", x):
                break
            lines[i] = ""
    parse = parse or checking_parser(TRANSCRIPTION_EXTENSIONS).parse
    return refusals(parse("\n".join(lines)), allow, line + 1, parse=parse)


def _inline_refusals(children: Iterable[Token], allow: Allowlist, line: int) -> list[Refusal]:
    found: list[Refusal] = []
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            line += 1
        if kind.endswith("_close") or kind in _INNER:
            continue
        if kind == "html_inline":
            found.append(_html(child.content, allow, line))
        elif kind == "myst_role" and child.meta.get("name") not in allow.roles:
            role = "{" + str(child.meta.get("name")) + "}"
            found.append(_refused(f"the role {role}", allow, line, role))
        elif kind not in allow.inlines:
            found.append(_refused(_NAMES.get(kind, kind), allow, line))
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            reason = allow.link_refusal(href)
            if reason:
                found.append(Refusal(line, normalised_url(href)[:40], reason))
        if kind in allow.inlines:
            found += _attribute_refusals(child, allow, line)
    return found


# ----------------------------------------------------------------------------- plain fields

#: the start of a tag; it is one if a ">" follows anywhere (as ``<…[^>]*>`` would find, without
#: scanning the rest of the text again from every "<": linear, not quadratic, in a long body)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_SCHEME_LINK = re.compile(r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*):", re.ASCII)
_AUTOLINK = re.compile(r"<\s*([A-Za-z][A-Za-z0-9+.-]*):", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")  # tabs and newlines too: a browser drops them
_BAD_SCHEME = re.compile(rf"(?i)\b({'|'.join(_SCRIPT_SCHEMES)})\s*:")


def unsafe_reason(value: str, markup: bool = False) -> str | None:
    """Why *value* may not reach a page, or None if it is safe.

    A script link is looked for however it is written (``java&#x09;script:``,
    ``javascript&colon;``), in every field. The rest is for plain fields: in editorial text
    (*markup*), the allowlist judges tags and links as the parser reads them."""
    read = value
    if "&" in value or _CONTROL.search(value):  # as a browser reads it; rarely needed
        read = _CONTROL.sub("", html.unescape(value))
    if _BAD_SCHEME.search(read):
        return "javascript:, vbscript: and data: links are not allowed"
    if markup:
        return None
    tag = _TAG.search(value)
    if tag and ">" in value[tag.end() :]:
        return "raw HTML is not allowed (write MyST: *emphasis*, [text](https://…), {cite}`key`)"
    for pattern in (_SCHEME_LINK, _AUTOLINK):
        for match in pattern.finditer(value):
            if match.group(1).lower() not in ALLOWED_SCHEMES:
                return f"only http(s) and internal links are allowed, not {match.group(1)}:"
    return None


def field_problems(path: Path, where: tuple[Any, ...], value: str, line: int) -> list[Problem]:
    """The problems of one string of a layer file; *where* is its path in the YAML data, *line*
    the line of its key. Editorial text is held to the allowlist, any other field to
    ``unsafe_reason``; each problem names the line of the file where the construct is."""
    field = ".".join(map(str, where))
    name = where[-1] if where else ""
    if name not in MARKUP_FIELDS:
        reason = unsafe_reason(value)
        return [Problem(str(path), line, f"{field}: {reason}")] if reason else []
    found = markup_refusals(value, cite=MARKUP_FIELDS[name])
    if not MARKUP_FIELDS[name] and any(f.found.startswith("{cite") for f in found):
        what = "comment" if name == "comment" else "description"
        found = [
            Refusal(
                f.line,
                f.found,
                f"a {what} cannot cite; give the work in its sources (bib:KEY)"
                if f.found.startswith("{cite")
                else f.message,
            )
            for f in found
        ]
    if not found:
        reason = unsafe_reason(value, markup=True)
        found = [Refusal(0, "", reason)] if reason else []
    return [
        Problem(str(path), line_in_file(path, where, f, line), f"{field}: {f.message}")
        for f in found
    ]


_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4)
def _composed(path: Path, mtime_ns: int) -> tuple[list[str], yaml.Node | None]:
    """A layer file's lines and YAML node tree (marks and styles), read only for messages."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n"), yaml.compose(text, Loader=_YamlLoader)


def line_in_file(path: Path, where: tuple[Any, ...], refusal: Refusal, key_line: int) -> int:
    """The line of *path* where *refusal*'s construct is written, else where its text begins."""
    try:
        lines, node = _composed(path, path.stat().st_mtime_ns)
    except (OSError, UnicodeError, yaml.YAMLError):
        return key_line
    for step in where:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            node = None
    if not isinstance(node, yaml.ScalarNode):
        return key_line
    first, last = node.start_mark.line, node.end_mark.line
    block = node.style in ("|", ">")
    if refusal.found:
        for i in range(first, min(last + 1, len(lines))):
            if refusal.found in lines[i]:
                return i + 1
    if node.style == "|":  # a literal block keeps its lines
        return first + 2 + refusal.line
    return first + 1 + block
