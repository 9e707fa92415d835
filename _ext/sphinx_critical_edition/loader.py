"""Load and validate the editorial layer; every problem is reported as ``path:line: message``.

Per file: YAML syntax → JSON Schema (fields and types) → untrusted text; then, per record,
duplicate ids and cross references (sigla, bibliography keys, register ids, places, texts).
Anchoring is checked separately (``anchoring.py``) because it needs the transcriptions.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from pybtex.database import BibliographyData

from .collation import collation_key
from .errors import EditionError, Problem
from .filecache import FileCache
from .inputfiles import LineDict, LineLoader, parse_bibtex, read_text, read_yaml_file
from .model import (
    Annotation,
    ChronologyEvent,
    EditorialLayer,
    Located,
    Reading,
    RegisterEntry,
    WitnessSiglum,
)
from .safety import field_problems

if TYPE_CHECKING:
    import jsonschema

__all__ = ["LineDict", "LineLoader", "load_layer", "parsed_bibliography", "read_yaml"]

SCHEMA_DIR = Path(__file__).parent / "schemas"

#: the layer's parts, as paths under docs/ (folders hold one YAML file per group of records)
ANNOTATIONS, REGISTER = "annotations", "register"
WITNESSES, REFERENCES, CHRONOLOGY = "witnesses.yaml", "references.bib", "chronology.yaml"
ALL_PARTS = (WITNESSES, REFERENCES, CHRONOLOGY, ANNOTATIONS, REGISTER)


def layer_files(docs_dir: Path, *parts: str) -> list[Path]:
    """The existing files of the layer's *parts* (all parts when none is named), sorted."""
    files: list[Path] = []
    for part in parts or ALL_PARTS:
        path = docs_dir / part
        files += sorted(path.glob("*.yaml")) if path.suffix == "" else [path]
    return [f for f in files if f.is_file()]


def parsed_bibliography(path: Path) -> BibliographyData:
    """``references.bib`` as pybtex reads it, parsed once per version of the file (the check,
    the source labels and the TEI export all read it). Read-only: it is shared. Raises
    :class:`EditionError` naming the line of a syntax error or a repeated key."""
    data, problems = bibliography_data(path)
    if data is None:
        raise EditionError("\n".join(map(str, problems)))
    return data


def bibliography_data(path: Path) -> tuple[BibliographyData | None, list[Problem]]:
    """:func:`parsed_bibliography`, or None and the problem that prevents it."""
    stat = path.stat()
    return _parse_bibliography(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _parse_bibliography(
    path: Path, mtime_ns: int, size: int
) -> tuple[BibliographyData | None, list[Problem]]:
    return parse_bibtex(path)


@cache
def schema(kind: str) -> dict[str, Any]:
    """The shipped JSON Schema for *kind*: annotations, register, witnesses or chronology."""
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def _fast_validator(kind: str) -> Any:
    """jsonschema-rs for the common case, a valid file (about 20× faster than jsonschema);
    the pure-Python validator then explains any invalid file, with paths for line numbers."""
    return jsonschema_rs.Draft202012Validator(schema(kind))


def line_of(data: Any, path: Iterable[Any]) -> int:
    """The line of the deepest mapping key on *path* inside YAML *data*."""
    line, node = getattr(data, "line", 1), data
    for step in path:
        if isinstance(node, LineDict):
            line = node.key_lines.get(step, node.line)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line


def read_yaml(
    path: Path, kind: str, problems: list[Problem], cache: FileCache | None = None
) -> Any | None:
    """Parse *path*, check it against the schema of *kind* and for untrusted text; None if
    unusable (its problems added to *problems*).

    With a *cache*, a file unchanged since the last build is not read again: its data and its
    problems, which depend on nothing else, come from there."""

    def read() -> tuple[Any | None, list[Problem]]:
        found: list[Problem] = []
        data = _parse_and_validate(path, kind, found)
        if data is not None:
            _check_untrusted(data, path, found)
        return data, found

    if path.is_symlink() or not path.is_file():  # refused (and never stat'ed by the cache)
        data, found = None, read_text(path)[1]
    else:
        data, found = read() if cache is None else cache.get(kind, path, read)
    problems.extend(found)
    return data


def load_checked(path: Path, kind: str) -> Any:
    """*path* parsed and checked against the schema of *kind*, for a file nothing can be
    checked without (the text manifest): raises :class:`EditionError` naming its problems."""
    problems: list[Problem] = []
    data = _parse_and_validate(path, kind, problems)
    if problems:
        raise EditionError("\n".join(map(str, problems)))
    return data


def _parse_and_validate(path: Path, kind: str, problems: list[Problem]) -> Any | None:
    data, found = read_yaml_file(path)
    if found:
        problems.extend(found)
        return None
    try:
        if _fast_validator(kind).is_valid(data):
            return data
    except ValueError:  # a value JSON has no type for; the loader only makes JSON's types
        pass
    errors, more = _explained(data, kind)
    for where, error in sorted(errors, key=lambda found: [*map(str, found[0])]):
        problems.append(Problem(str(path), line_of(data, where), _schema_message(error, where)))
    if more:
        problems.append(
            Problem(
                str(path),
                line_of(data, more),
                f"{EXPLAINED} invalid records are listed above; this one and those after it are "
                "not explained yet: fix those and check again",
            )
        )
    if not errors:  # the two validators disagree: never let such a file through
        problems.append(Problem(str(path), 1, f"the file does not match {kind}.schema.json"))
    return None


#: the invalid records of one file that are explained (a long file of them would take seconds)
EXPLAINED = 50


def _explained(data: Any, kind: str) -> tuple[list[tuple[list[Any], Any]], list[Any]]:
    """The schema errors of *data* as (path, error), and the path of the first invalid record
    left out (empty if none was).

    The pure-Python validator words the messages; on a long file (1 MB took 5 s) it sees only
    the file's frame (its lists emptied) and the first :data:`EXPLAINED` records that
    jsonschema-rs, one record at a time, finds invalid."""
    validator = _explainer(kind)
    lists = {k: v for k, v in data.items() if isinstance(v, list)} if isinstance(data, dict) else {}
    if sum(map(len, lists.values())) <= 4 * EXPLAINED:  # short: explained whole
        errors = itertools.islice(validator.iter_errors(data), 10 * EXPLAINED)
        return [(list(e.absolute_path), e) for e in errors], []
    frame = {k: [] if k in lists else v for k, v in data.items()}
    explained = [(list(e.absolute_path), e) for e in validator.iter_errors(frame)]
    left = EXPLAINED
    for key, records in lists.items():
        items = validator.schema["properties"].get(key, {}).get("items")
        if items is None:  # a list the schema does not know: the frame's error says so
            continue
        for i, record in enumerate(records):
            if _fast_record_validator(kind, key).is_valid(record):
                continue
            if not left:
                return explained, [key, i]
            left -= 1
            errors = validator.descend(record, items, path=i)
            explained += [([key, *e.absolute_path], e) for e in errors]
    return explained, []


@cache
def _fast_record_validator(kind: str, key: str) -> Any:
    """jsonschema-rs for one record of the list *key* (its definitions kept for $ref)."""
    whole = schema(kind)
    record = whole["properties"][key]["items"]
    return jsonschema_rs.Draft202012Validator({"$defs": whole.get("$defs", {}), **record})


@cache
def _explainer(kind: str) -> jsonschema.protocols.Validator:
    """The pure-Python validator, to explain an invalid file (importing it costs more than
    checking a valid one). JSON Schema's patterns are ECMA-262 regular expressions, in which
    ``$`` is the end of the text; in Python's ``re`` it also matches before a final newline,
    so ``id: "x\\n"`` would pass here and fail in jsonschema-rs: ``$`` is read as ``\\Z``."""
    import re

    import jsonschema

    def pattern(validator: Any, regex: str, instance: Any, _schema: Any) -> Any:
        if not validator.is_type(instance, "string"):
            return
        if not re.search(re.sub(r"\$$", r"\\Z", regex), instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {regex!r}")

    ecma = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})
    return ecma(schema(kind))


def _schema_message(error: jsonschema.ValidationError, path: list[Any]) -> str:
    where = ".".join(str(p) for p in path) or "the file"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{where}: {error.message}; allowed fields: {', '.join(allowed)}"
    # the schemas' one oneOf over corr and note_call; their one anyOf, over wit and sources
    if error.validator == "oneOf" and "note_call" in json.dumps(error.schema):
        return f"{where}: an emendation needs exactly one of corr (the reading) or note_call"
    if error.validator == "not" and "wit" in json.dumps(error.schema):
        return (
            f"{where}: a retroversion or conjecture is the editors' reading, which no witness"
            " attests: remove wit (resp says who proposes it)"
        )
    if error.validator == "oneOf" and '["description"]' in json.dumps(error.schema["oneOf"]):
        return (
            f"{where}: give the page either its title (printed in quotation marks) or a"
            " description (where it bears no title), not both"
        )
    if error.validator == "anyOf" and "wit" in json.dumps(error.schema):
        return f"{where}: a reading needs a witness (wit) or sources"
    if path and path[-1] == "dates" and error.validator == "pattern":
        return (
            f"{where}: {error.instance!r}: dates are printed in brackets after the name: write"
            " the dates alone, without brackets or a semicolon ('1914–1996'), and any doubt about"
            " them in the description ('The birth year is also given as 1913.')"
        )
    if path and path[-1] == "paragraph":
        return f"{where}: {error.instance!r}: {PARAGRAPH_FORM}"
    if error.validator == "type" and error.validator_value == "string":
        return f"{where}: {error.instance!r} is not text; quote it"
    return f"{where}: {error.message}"


#: what a paragraph field must look like
PARAGRAPH_FORM = (
    'the § number must be an integer like 12, "n2" for the author\'s note 2, or "h12" for the '
    "heading above §12"
)


def _tuple(value: Any) -> tuple:
    return tuple(value or ())


def _annotation(item: LineDict, text: str, path: Path) -> Annotation:
    readings = tuple(
        Reading(
            text=r["text"],
            lang=r["lang"],
            wit=_tuple(r.get("wit")),
            sources=_tuple(r.get("sources")),
            cert=r.get("cert", ""),
            comment=r.get("comment", ""),
            type=r.get("type", "witness"),
            resp=r.get("resp", ""),
        )
        for r in item.get("readings", ())
    )
    return Annotation(
        id=item["id"],
        kind=item["kind"],
        text=text,
        quote=item["quote"],
        resp=item["resp"],
        cert=item["cert"],
        at=Located(path, item.line),
        prefix=item.get("prefix", ""),
        suffix=item.get("suffix", ""),
        paragraph=item.get("paragraph"),
        body=item.get("body", ""),
        sources=_tuple(item.get("sources")),
        readings=readings,
        type=item.get("type", ""),
        corr=item.get("corr", ""),
        note_call=item.get("note_call", ""),
        ref=item.get("ref", ""),
    )


def _strings(value: Any, path: tuple = ()) -> Iterable[tuple[tuple, str]]:
    """Every string in a YAML structure, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _strings(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _strings(sub, (*path, i))


def _check_untrusted(data: Any, path: Path, problems: list[Problem]) -> None:
    """Editorial text against the markup allowlist, every other string as plain text."""
    for where, value in _strings(data):
        if where and where[-1] in ("quote", "prefix", "suffix"):
            continue  # the witness's own words; checked by anchoring, escaped on output
        problems.extend(field_problems(path, where, value, line_of(data, where)))


def load_layer(
    docs_dir: Path,
    text_keys: Iterable[str],
    bib_keys: set[str] | None,
    cache: FileCache | None = None,
) -> tuple[EditorialLayer, list[Problem]]:
    """Read every layer file under *docs_dir*; return the layer and the problems found.

    First cause first: the files' own problems (syntax, schema), then the cross references.
    A part that could not be read (``bib_keys`` None: the bibliography) is not checked against:
    a broken witnesses.yaml is one problem, not one per siglum cited."""
    problems: list[Problem] = []
    file_problems: list[Problem] = []
    layer = EditorialLayer()
    text_keys = set(text_keys)
    if bib_keys is None:
        layer.incomplete.add(REFERENCES)

    wit_path = docs_dir / WITNESSES
    if wit_path.is_file():
        layer.files.append(wit_path)
        data = read_yaml(wit_path, "witnesses", file_problems, cache)
        if data is None:
            layer.incomplete.add(WITNESSES)
        for item in (data or {}).get("witnesses", ()):
            first = layer.witnesses.get(item["siglum"])
            if first is not None:
                problems.append(
                    Problem(
                        str(wit_path),
                        item.line,
                        f"duplicate siglum {item['siglum']!r} (first at {first.at.where()})",
                    )
                )
                continue
            layer.witnesses[item["siglum"]] = WitnessSiglum(
                siglum=item["siglum"],
                description=item["description"],
                held=item["held"],
                at=Located(wit_path, item.line),
                lang=item.get("lang", ""),
                base=item.get("base", False),
                bib=item.get("bib", ""),
                seen=item["seen"],
                extent=item.get("extent", ""),
            )
            _check_bib(item.get("bib", ""), bib_keys, wit_path, item.line, problems)

    see_lines: dict[str, int] = {}  # register id → the line of its see_from
    for reg_path in sorted((docs_dir / REGISTER).glob("*.yaml")):
        layer.files.append(reg_path)
        data = read_yaml(reg_path, "register", file_problems, cache)
        if data is None:
            layer.incomplete.add(REGISTER)
            continue
        for item in data["entries"]:
            if item["id"] in layer.register:
                other = layer.register[item["id"]].at.where()
                problems.append(
                    Problem(
                        str(reg_path),
                        item.line,
                        f"duplicate register id {item['id']!r} (first at {other})",
                    )
                )
                continue
            coords = item.get("coordinates")
            layer.register[item["id"]] = RegisterEntry(
                id=item["id"],
                type=item["type"],
                name=item["name"],
                description=item["description"],
                sources=_tuple(item["sources"]),
                at=Located(reg_path, item.line),
                variants=_tuple(item.get("variants")),
                see_from=_tuple(item.get("see_from")),
                dates=item.get("dates", ""),
                surname=item.get("surname", ""),
                authority=tuple((k, v) for k, v in (item.get("authority") or {}).items()),
                coordinates=(coords[0], coords[1]) if coords else None,
                marked_at=item.get("marked_at", ""),
            )
            see_lines[item["id"]] = item.key_lines.get("see_from", item.line)
            for source in item["sources"]:
                _check_source(source, bib_keys, reg_path, item.line, problems)
            if item.get("surname") and item["surname"] not in item["name"]:
                problems.append(
                    Problem(
                        str(reg_path),
                        item.line,
                        f"surname {item['surname']!r} of {item['id']!r} is not part of its name"
                        f" {item['name']!r}: write it as the name spells it",
                    )
                )

    _check_see_references(layer, see_lines, problems)
    _load_chronology(
        docs_dir / CHRONOLOGY, layer, text_keys, bib_keys, (file_problems, problems), cache
    )

    seen: dict[str, Annotation] = {}
    for ann_path in sorted((docs_dir / ANNOTATIONS).glob("*.yaml")):
        layer.files.append(ann_path)
        data = read_yaml(ann_path, "annotations", file_problems, cache)
        if data is None:
            continue
        if data["text"] not in text_keys:
            problems.append(
                Problem(
                    str(ann_path),
                    data.key_lines["text"],
                    f"unknown text {data['text']!r}; known: {', '.join(sorted(text_keys))}",
                )
            )
            continue
        for item in data["annotations"]:
            ann = _annotation(item, data["text"], ann_path)
            if ann.id in seen:
                problems.append(
                    Problem(
                        str(ann_path),
                        item.line,
                        f"duplicate id {ann.id!r} (first at {seen[ann.id].at.where()})",
                    )
                )
                continue
            seen[ann.id] = ann
            _check_annotation(ann, item, layer, bib_keys, problems)
            layer.annotations.append(ann)
    return layer, sorted(file_problems) + sorted(problems)


def _check_see_references(
    layer: EditorialLayer, see_lines: dict[str, int], problems: list[Problem]
) -> None:
    """A see-reference is printed as a heading of its own ("Smith, John. See Doe, Jane"): one
    that is an entry's headword, or that two entries give, prints a name twice in the register,
    the second time sending the reader in a circle or to one of two entries at random."""
    headwords = {collation_key(e.headword)[0]: e for e in layer.register.values()}
    given: dict[str, RegisterEntry] = {}
    for entry in layer.register.values():
        where = (str(entry.at.path), see_lines.get(entry.id, entry.at.line))
        for heading in entry.see_from:
            key = collation_key(heading)[0]
            if key in headwords:
                other = headwords[key]
                problems.append(
                    Problem(
                        *where,
                        f"see_from {heading!r} of {entry.id!r} is the headword of {other.id!r}:"
                        " the register already prints that name; remove it from see_from",
                    )
                )
            elif key in given:
                problems.append(
                    Problem(
                        *where,
                        f"see_from {heading!r} of {entry.id!r} is also given by {given[key].id!r}"
                        f" ({given[key].at.where()}): give it once, under the entry the reader"
                        " should find",
                    )
                )
            else:
                given[key] = entry


def _check_bib(
    key: str, bib_keys: set[str] | None, path: Path, line: int, problems: list[Problem]
) -> None:
    if key and bib_keys is not None and key not in bib_keys:
        problems.append(
            Problem(
                str(path), line, f"unknown bibliography key {key!r} (add it to docs/references.bib)"
            )
        )


def _check_source(
    source: str, bib_keys: set[str] | None, path: Path, line: int, problems: list[Problem]
) -> None:
    if source.startswith("bib:"):
        _check_bib(source[4:], bib_keys, path, line, problems)


def _check_annotation(
    ann: Annotation,
    item: LineDict,
    layer: EditorialLayer,
    bib_keys: set[str] | None,
    problems: list[Problem],
) -> None:
    path, line = ann.at.path, ann.at.line
    if ann.kind in ("note", "emendation") and not ann.body.strip():
        problems.append(
            Problem(
                str(path),
                item.key_lines.get("body", line),
                f"annotation {ann.id!r}: the body is empty; say what and why",
            )
        )
    for source in ann.sources:
        _check_source(source, bib_keys, path, item.key_lines.get("sources", line), problems)
    for i, reading in enumerate(ann.readings):
        rline = line_of(item, ("readings", i))
        for siglum in reading.wit:
            if siglum not in layer.witnesses:
                if WITNESSES in layer.incomplete:  # the broken witnesses.yaml is reported
                    continue
                known = ", ".join(sorted(layer.witnesses)) or "none"
                problems.append(
                    Problem(
                        str(path),
                        rline,
                        f"annotation {ann.id!r}: unknown siglum {siglum!r}; "
                        f"known sigla (docs/witnesses.yaml): {known}",
                    )
                )
            elif siglum in layer.witnesses and layer.witnesses[siglum].seen == "none":
                problems.append(
                    Problem(
                        str(path),
                        rline,
                        f"annotation {ann.id!r}: a reading under siglum {siglum!r}, which the"
                        " editors have not seen (seen: none in docs/witnesses.yaml); a guess at"
                        " what it says is not its reading: write type: retroversion (or"
                        " conjecture) with resp and cert instead of wit",
                    )
                )
        for source in reading.sources:
            _check_source(source, bib_keys, path, rline, problems)
    if ann.kind == "entity" and ann.ref not in layer.register and REGISTER not in layer.incomplete:
        problems.append(
            Problem(
                str(path),
                item.key_lines.get("ref", line),
                f"annotation {ann.id!r}: unknown register id {ann.ref!r}",
            )
        )
    if ann.type == "supplied" and ann.corr and supplied_segments(ann.quote, ann.corr) is None:
        problems.append(
            Problem(
                str(path),
                item.key_lines.get("corr", line),
                f"annotation {ann.id!r}: a supplied emendation may only add to "
                f"the quoted words, but corr {ann.corr!r} also changes "
                f"{ann.quote!r}; use type typo, name or regularisation",
            )
        )
    if ann.note_call and ann.type != "supplied":
        problems.append(
            Problem(
                str(path),
                item.key_lines.get("note_call", line),
                f"annotation {ann.id!r}: note_call needs type: supplied",
            )
        )
    for cite in _cited_keys(ann.body):
        if bib_keys is not None and cite not in bib_keys:
            problems.append(
                Problem(
                    str(path),
                    item.key_lines.get("body", line),
                    f"annotation {ann.id!r}: unknown bibliography key {cite!r} in {{cite}}",
                )
            )


def supplied_segments(quote: str, corr: str) -> list[tuple[bool, str]] | None:
    """*corr* as (supplied?, text) runs, if it only adds to *quote*; otherwise None."""
    matcher = difflib.SequenceMatcher(None, quote, corr, autojunk=False)
    runs: list[tuple[bool, str]] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append((False, corr[j1:j2]))
        elif tag == "insert":
            runs.append((True, corr[j1:j2]))
        else:
            return None
    return runs


def _cited_keys(body: str) -> list[str]:
    import re

    keys = []
    for match in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]{0,2000})`", body):
        keys.extend(k.strip() for k in match.group(1).split(",") if k.strip())
    return keys


def _load_chronology(
    path: Path,
    layer: EditorialLayer,
    text_keys: set[str],
    bib_keys: set[str] | None,
    found: tuple[list[Problem], list[Problem]],
    cache: FileCache | None,
) -> None:
    """The chronology; *found* takes the file's own problems, then its references'."""
    if not path.is_file():
        return
    layer.files.append(path)
    file_problems, problems = found
    data = read_yaml(path, "chronology", file_problems, cache)
    if data is None:
        return
    ids: set[str] = set()
    for item in data["events"]:
        if item["id"] in ids:
            problems.append(Problem(str(path), item.line, f"duplicate event id {item['id']!r}"))
            continue
        ids.add(item["id"])
        calendar = _calendar_problem(item)
        if calendar:
            problems.append(Problem(str(path), item.line, f"event {item['id']!r}: {calendar}"))
        for place in item.get("places", ()):
            entry = layer.register.get(place)
            if REGISTER in layer.incomplete and entry is None:
                continue
            if entry is None or entry.type != "place":
                problems.append(
                    Problem(
                        str(path),
                        item.key_lines.get("places", item.line),
                        f"event {item['id']!r}: {place!r} is not a place in the register",
                    )
                )
        for where in item.get("mentioned", ()):
            if where.split(":", 1)[0] not in text_keys:
                problems.append(
                    Problem(
                        str(path),
                        item.key_lines.get("mentioned", item.line),
                        f"event {item['id']!r}: unknown text in {where!r}",
                    )
                )
        for source in item["sources"]:
            _check_source(
                source, bib_keys, path, item.key_lines.get("sources", item.line), problems
            )
        layer.chronology.append(
            ChronologyEvent(
                id=item["id"],
                date=item["date"],
                title=item["title"],
                sources=_tuple(item["sources"]),
                cert=item["cert"],
                at=Located(path, item.line),
                end=item.get("end", ""),
                description=item.get("description", ""),
                places=_tuple(item.get("places")),
                mentioned=_tuple(item.get("mentioned")),
                disputed=item.get("disputed", ""),
                short=item.get("short", ""),
            )
        )
    layer.chronology.sort(key=lambda e: (e.date, e.id))


def _calendar_problem(item: LineDict) -> str | None:
    """A day the calendar does not have (31 April), or an end before the beginning."""
    import datetime

    for field in ("date", "end"):
        value = item.get(field, "")
        if len(value) == 10:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return f"{field} {value!r} is not a day of the calendar"
    end = item.get("end", "")
    if end and end < item["date"][: len(end)]:
        return f"it ends ({end}) before it begins ({item['date']})"
    return None
