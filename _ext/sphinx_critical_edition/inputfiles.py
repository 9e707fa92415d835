"""The layer's files read as untrusted input: bytes → text → plain data, or ``path:line`` problems.

Every file a contributor can change passes here before anything else looks at it, so no library
ever sees input it could choke on (a traceback, minutes of work, gigabytes of memory):

- size: at most :data:`MAX_BYTES` per file;
- encoding: UTF-8 (a byte that is not is named with its line and column);
- invisible characters: bidirectional controls (U+202E …), other format characters (category
  Cf: zero-width spaces, soft hyphens …), control characters, line and paragraph separators are
  refused wherever they stand, named by code point (the texts need none of them);
- YAML: only text, numbers, true/false/null, lists and mappings with text keys, each key once,
  nested at most :data:`MAX_DEPTH` deep; no anchors or aliases (``&a`` / ``*a``: an alias bomb
  is refused at its first alias), no tags, and an unquoted date is an error ("quote it");
- BibTeX: pybtex's syntax errors, repeated keys and fields given twice, with their line.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

#: the largest layer file read (the largest real one is under 50 kB)
MAX_BYTES = 1_000_000
#: the deepest nesting of lists and mappings (an annotation's reading's witnesses are at 6)
MAX_DEPTH = 20

#: categories refused: format characters (bidi controls, zero-width …), controls, surrogates,
#: line and paragraph separators. Tab, line feed and carriage return are ordinary white space.
_REFUSED_CATEGORIES = {"Cf", "Cc", "Cs", "Zl", "Zp"}
_ALLOWED_CONTROLS = set("\t\n\r")
_ASCII_PRINTABLE = set(map(chr, range(0x20, 0x7F))) | _ALLOWED_CONTROLS


def describe_character(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names an invisible character."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '(a control character)')}"


def refused_character(text: str) -> tuple[int, str] | None:
    """The first invisible character *text* may not hold: (index, char), or None."""
    odd = {c for c in set(text) - _ASCII_PRINTABLE if _is_refused(c)}
    if not odd:
        return None
    index = min(text.index(c) for c in odd)
    return index, text[index]


def _is_refused(char: str) -> bool:
    return char not in _ALLOWED_CONTROLS and unicodedata.category(char) in _REFUSED_CATEGORIES


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def invisible_message(char: str, column: int | None = None) -> str:
    where = f"column {column}: " if column else ""
    return (
        f"{where}invisible character {describe_character(char)} is not allowed "
        "(it can make text display differently from what it says); delete it"
    )


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """*path* as text, if it is small enough, UTF-8 and free of refused characters."""
    where = str(path)
    if path.is_symlink():  # it could point anywhere: /etc/passwd would be echoed in errors
        return None, [Problem(where, 1, "is a symbolic link; the edition reads plain files only")]
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if size <= MAX_BYTES else b""
    except OSError as exc:
        return None, [Problem(where, 1, f"cannot be read: {exc.strerror or exc}")]
    if size > MAX_BYTES:
        return None, [
            Problem(
                where,
                1,
                f"the file has {size:,} bytes; a layer file may have at most {MAX_BYTES:,}: "
                "split it into several files",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                where,
                line,
                f"column {column}: byte 0x{raw[exc.start]:02X} is not UTF-8; save the file "
                "as UTF-8",
            )
        ]
    text = text.removeprefix("\ufeff")  # a byte order mark, as some editors write it
    found = refused_character(text)
    if found:
        line, column = _line_col(text, found[0])
        return None, [Problem(where, line, invisible_message(found[1], column))]
    return text, []


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class Refused(Exception):
    """A YAML construct the layer does not accept, at a line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


#: libyaml's parser when PyYAML was built with it (several times faster), else pure Python
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = (f"{_TAG}{kind}" for kind in ("str", "seq", "map"))
_INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    f"{_TAG}{kind}" for kind in ("int", "float", "bool", "null", "timestamp")
)


class LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Plain data with the line of every mapping and key; anything else is :class:`Refused`.

    The nodes are built here directly, not by PyYAML's generic constructor, which is a
    quarter faster (45 → 34 ms for the layer) and the one place every refusal is made.
    """

    #: whether the text has an ``&`` at all: without one there is no anchor, hence no alias
    check_aliases = True

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        return self._with_lines(mapping, node)

    @staticmethod
    def _with_lines(mapping: LineDict, node: yaml.MappingNode) -> LineDict:
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        return mapping

    def construct_document(self, node: yaml.Node) -> Any:
        self._seen: set[int] = set()
        data = self._build(node, 0, node.start_mark.line + 1)
        self.constructed_objects, self.recursive_objects, self.deep_construct = {}, {}, False
        return data

    def _build(self, node: yaml.Node, depth: int, line: int) -> Any:
        """*node* as plain data; *line* is where it is used (an alias has no line of its own)."""
        if self.check_aliases:
            if id(node) in self._seen:
                raise Refused(
                    line,
                    "YAML aliases (*name) are not allowed: write the value out in full",
                )
            self._seen.add(id(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR:
                if node.style == '"':  # escapes (\u202E, \x07) make characters the text lacks
                    found = refused_character(node.value)
                    if found:
                        raise Refused(line, invisible_message(found[1]))
                return node.value
            return self._scalar(node, line)
        if depth >= MAX_DEPTH:
            raise Refused(line, f"lists and mappings are nested more than {MAX_DEPTH} deep")
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            items = []
            for item in node.value:
                items.append(self._build(item, depth + 1, line))
                line = item.end_mark.line + 1
            return items
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        raise Refused(line, f"the YAML tag {_short(tag)} is not allowed; {_PLAIN}")

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LineDict:
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        key_lines: dict[str, int] = {}
        for key, value in node.value:
            key_line = key.start_mark.line + 1
            if key.tag != _STR or not isinstance(key, yaml.ScalarNode):
                raise Refused(key_line, _key_message(key))
            name = key.value
            if name in key_lines:
                raise Refused(
                    key_line,
                    f"duplicate key {name!r} (first on line {key_lines[name]}): give each "
                    "field once",
                )
            key_lines[name] = key_line
            mapping[name] = self._build(value, depth + 1, key_line)
        mapping.key_lines = key_lines
        return mapping

    def _scalar(self, node: yaml.ScalarNode, line: int) -> Any:
        tag = node.tag
        if tag == _TIMESTAMP:
            raise Refused(
                line,
                f"{node.value} is read by YAML as a date, but dates are written as text: "
                f'quote it ("{node.value}")',
            )
        if tag == _INT:
            try:
                return self.construct_yaml_int(node)
            except ValueError:
                raise Refused(line, f"the number {node.value[:20]}… is too long") from None
        if tag == _FLOAT:
            value = self.construct_yaml_float(node)
            if not math.isfinite(value):
                raise Refused(line, f"{node.value} is not a finite number")
            return value
        if tag == _BOOL:
            return self.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        raise Refused(line, f"the YAML tag {_short(tag)} is not allowed; {_PLAIN}")


_PLAIN = "write plain text, numbers, true/false, lists and mappings"


def _short(tag: str) -> str:
    return f"!!{tag.removeprefix(_TAG)}" if tag.startswith(_TAG) else tag


def _key_message(key: yaml.Node) -> str:
    if key.tag == f"{_TAG}merge":
        return "merge keys (<<) are not allowed: write each field out"
    if isinstance(key, yaml.ScalarNode):
        shown = (key.value or "~")[:40]
        return (
            f"the key {shown!r} is not a field name (YAML reads it as "
            f"{_short(key.tag).removeprefix('!!')}); keys are names such as id or quote"
        )
    return "a list or mapping cannot be a key; keys are names such as id or quote"


LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping
)


def parse_yaml(text: str, where: str) -> tuple[Any | None, list[Problem]]:
    """*text* (of the file *where*) as plain data, or None and the problem that prevents it."""
    loader = LineLoader(text)
    loader.check_aliases = "&" in text
    try:
        return loader.get_single_data(), []
    except Refused as exc:
        return None, [Problem(where, exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(where, line, f"YAML syntax error: {exc.problem or exc}")]
    except yaml.reader.ReaderError as exc:  # no mark, but the character's position
        line, column = _line_col(text, exc.position)
        return None, [
            Problem(
                where,
                line,
                f"column {column}: character U+{exc.character:04X} is not allowed in YAML; "
                "delete it",
            )
        ]
    except yaml.YAMLError as exc:  # no mark and no position
        return None, [Problem(where, 1, f"YAML error: {exc}")]
    finally:
        loader.dispose()


def read_yaml_file(path: Path) -> tuple[Any | None, list[Problem]]:
    """:func:`read_text` then :func:`parse_yaml`."""
    text, problems = read_text(path)
    return (None, problems) if text is None else parse_yaml(text, str(path))


# --- BibTeX -------------------------------------------------------------------------------


def parse_bibtex(path: Path) -> tuple[Any | None, list[Problem]]:
    """``references.bib`` as pybtex's BibliographyData, or None and its first problem."""
    from pybtex.database import BibliographyDataError
    from pybtex.database.input.bibtex import Parser
    from pybtex.exceptions import PybtexError
    from pybtex.scanner import PybtexSyntaxError

    text, problems = read_text(path)
    if text is None:
        return None, problems
    where = str(path)
    try:
        return Parser().parse_string(text), []
    except PybtexSyntaxError as exc:
        said = re.sub(r"^syntax error|:? in line \d+", "", str(exc)).lstrip(": ")  # line: ours
        if "undefined string" in said:
            said += " (write a value in braces, {like this}, or define it with @string)"
        return None, [Problem(where, exc.lineno or 1, f"BibTeX syntax error: {said}")]
    except BibliographyDataError as exc:
        return None, [_bib_data_problem(text, where, str(exc))]
    except PybtexError as exc:
        return None, [_bib_error(text, where, str(exc))]


#: a name pybtex cannot split into its parts, quoted in its message
_BAD_NAME = re.compile(r"Too many commas in '(.+)'", re.DOTALL)


def _bib_error(text: str, where: str, message: str) -> Problem:
    """pybtex's other errors name no line; a name it cannot read ("Too many commas in 'x, y,
    z'") is found in the text (pybtex quotes it with its white space collapsed), with how to
    write it."""
    name = _BAD_NAME.fullmatch(message)
    if not name:
        return Problem(where, 1, f"BibTeX error: {message}")
    written = re.search(r"\s+".join(re.escape(word) for word in name.group(1).split()), text)
    return Problem(
        where,
        _line_col(text, written.start())[0] if written else 1,
        f"BibTeX error: {message}: write a name as 'Surname, Given names' and separate two "
        "people with 'and'",
    )


#: pybtex's message for a field given twice in one entry (a key or a field name has no space)
_DUPLICATE_FIELD = re.compile(r"entry with key (\S+) has a duplicate (\S+) field")
#: where the next entry begins
_NEXT_ENTRY = re.compile(r"\n\s*@")


def _bib_data_problem(text: str, where: str, message: str) -> Problem:
    """pybtex names a repeated key, or a field given twice, without a line: find them."""
    field = _DUPLICATE_FIELD.fullmatch(message)
    key = field.group(1) if field else message.rsplit(": ", 1)[-1]
    starts = [
        m.start()
        for m in re.finditer(rf"@\s*\w+\s*[{{(]\s*{re.escape(key)}\s*,", text, re.IGNORECASE)
    ]
    if field and starts:
        return _duplicate_field(text, where, starts, key, field.group(2))
    lines = [_line_col(text, start)[0] for start in starts]
    if message.startswith("repeated bibliography entry") and len(lines) > 1:
        return Problem(
            where, lines[1], f"duplicate entry key {key!r} (first on line {lines[0]}); rename one"
        )
    return Problem(where, lines[0] if lines else 1, f"BibTeX error: {message}")


def _duplicate_field(text: str, where: str, starts: list[int], key: str, name: str) -> Problem:
    """The field *name* given twice in the entry *key* (which begins at one of *starts*), named
    at its second line; pybtex compares field names whatever their case."""
    field = re.compile(rf"[\s,{{(]{re.escape(name)}\s*=", re.IGNORECASE)
    for start in starts:
        following = _NEXT_ENTRY.search(text, start + 1)
        end = following.start() if following else len(text)
        found = [_line_col(text, m.start() + 1)[0] for m in field.finditer(text, start, end)]
        if len(found) > 1:
            return Problem(
                where,
                found[1],
                f"entry {key!r} gives the field {name!r} twice (first on line {found[0]}); "
                "give each field once",
            )
    return Problem(
        where,
        _line_col(text, starts[0])[0],
        f"entry {key!r} gives the field {name!r} twice; give each field once",
    )
