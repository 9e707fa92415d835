"""Load and validate the editorial layer; every problem is reported as ``path:line: message``.

Per file: YAML syntax → JSON Schema (fields and types) → untrusted text; then, per record,
duplicate ids and cross references (sigla, bibliography keys, register ids, places, texts).
Anchoring is checked separately (``anchoring.py``) because it needs the transcriptions.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
import yaml
from pybtex.database import BibliographyData, parse_file

from .errors import Problem
from .filecache import FileCache
from .model import (
    Annotation,
    ChronologyEvent,
    EditorialLayer,
    Located,
    Reading,
    RegisterEntry,
    WitnessSiglum,
)
from .safety import unsafe_reason

if TYPE_CHECKING:
    import jsonschema

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


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


#: libyaml's parser when PyYAML was built with it (several times faster), else pure Python
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map"))


class LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        return self._with_lines(mapping, node)

    @staticmethod
    def _with_lines(mapping: LineDict, node: yaml.MappingNode) -> LineDict:
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        return mapping

    def construct_document(self, node: yaml.Node) -> Any:
        """Strings, lists and mappings with string keys (nearly all of a layer file) are built
        here directly; numbers, booleans, merge keys and anything else by PyYAML's constructors,
        which give the same values. Loading the layer takes a quarter less time (45 → 34 ms)."""
        data = self._build(node)
        self.constructed_objects, self.recursive_objects, self.deep_construct = {}, {}, False
        return data

    def _build(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [self._build(item) for item in node.value]
        if (
            tag == _MAP
            and isinstance(node, yaml.MappingNode)
            and all(k.tag == _STR and isinstance(k, yaml.ScalarNode) for k, _ in node.value)
        ):
            mapping = LineDict((k.value, self._build(v)) for k, v in node.value)
            return self._with_lines(mapping, node)
        return self.construct_object(node, deep=True)


LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping
)


def parsed_bibliography(path: Path) -> BibliographyData:
    """``references.bib`` as pybtex reads it, parsed once per version of the file (the check,
    the source labels and the TEI export all read it). Read-only: it is shared."""
    stat = path.stat()
    return _parse_bibliography(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _parse_bibliography(path: Path, mtime_ns: int, size: int) -> BibliographyData:
    return parse_file(str(path), bib_format="bibtex")


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

    data, found = read() if cache is None else cache.get(kind, path, read)
    problems.extend(found)
    return data


def _parse_and_validate(path: Path, kind: str, problems: list[Problem]) -> Any | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(str(path), line, f"YAML syntax error: {exc.problem or exc}"))
        return None
    if _fast_validator(kind).is_valid(data):
        return data
    import jsonschema  # only to explain an invalid file: importing it costs more than checking

    validator = jsonschema.Draft202012Validator(schema(kind))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        problems.append(
            Problem(str(path), line_of(data, error.absolute_path), _schema_message(error))
        )
    return None if errors else data


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "the file"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{where}: {error.message}; allowed fields: {', '.join(allowed)}"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator in ("oneOf", "anyOf") and "note_call" in json.dumps(error.schema):
        return f"{where}: an emendation needs exactly one of corr (the reading) or note_call"
    if error.validator == "not" and "wit" in json.dumps(error.schema):
        return (
            f"{where}: a retroversion or conjecture is the editors' reading, which no witness"
            " attests: remove wit (resp says who proposes it)"
        )
    if error.validator in ("oneOf", "anyOf") and "wit" in json.dumps(error.schema):
        return f"{where}: a reading needs a witness (wit) or sources"
    return f"{where}: {error.message}"


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


#: fields that cannot cite: rendered when the pages are written, after citations are resolved
#: (descriptions), or kept as plain runs of text for another page (a reading's comment)
_DESCRIPTIONS = ("description", "disputed", "comment")


def _check_untrusted(data: Any, path: Path, problems: list[Problem]) -> None:
    for where, value in _strings(data):
        if where and where[-1] in ("quote", "prefix", "suffix"):
            continue  # the witness's own words; checked by anchoring, escaped on output
        reason = unsafe_reason(value)
        if not reason and where and where[-1] in _DESCRIPTIONS and "{cite" in value:
            reason = (
                f"a {'comment' if where[-1] == 'comment' else 'description'} cannot cite; "
                "give the work in its sources (bib:KEY)"
            )
        if reason:
            field = ".".join(map(str, where))
            problems.append(Problem(str(path), line_of(data, where), f"{field}: {reason}"))


def load_layer(
    docs_dir: Path,
    text_keys: Iterable[str],
    bib_keys: set[str],
    cache: FileCache | None = None,
) -> tuple[EditorialLayer, list[Problem]]:
    """Read every layer file under *docs_dir*; return the layer and the problems found."""
    problems: list[Problem] = []
    layer = EditorialLayer()
    text_keys = set(text_keys)

    wit_path = docs_dir / WITNESSES
    if wit_path.is_file():
        layer.files.append(wit_path)
        data = read_yaml(wit_path, "witnesses", problems, cache)
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

    for reg_path in sorted((docs_dir / REGISTER).glob("*.yaml")):
        layer.files.append(reg_path)
        data = read_yaml(reg_path, "register", problems, cache)
        if data is None:
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
                dates=item.get("dates", ""),
                surname=item.get("surname", ""),
                authority=tuple((k, v) for k, v in (item.get("authority") or {}).items()),
                coordinates=(coords[0], coords[1]) if coords else None,
            )
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

    _load_chronology(docs_dir / CHRONOLOGY, layer, text_keys, bib_keys, problems, cache)

    seen: dict[str, Annotation] = {}
    for ann_path in sorted((docs_dir / ANNOTATIONS).glob("*.yaml")):
        layer.files.append(ann_path)
        data = read_yaml(ann_path, "annotations", problems, cache)
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
    return layer, problems


def _check_bib(
    key: str, bib_keys: set[str], path: Path, line: int, problems: list[Problem]
) -> None:
    if key and key not in bib_keys:
        problems.append(
            Problem(
                str(path), line, f"unknown bibliography key {key!r} (add it to docs/references.bib)"
            )
        )


def _check_source(
    source: str, bib_keys: set[str], path: Path, line: int, problems: list[Problem]
) -> None:
    if source.startswith("bib:"):
        _check_bib(source[4:], bib_keys, path, line, problems)


def _check_annotation(
    ann: Annotation,
    item: LineDict,
    layer: EditorialLayer,
    bib_keys: set[str],
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
                known = ", ".join(sorted(layer.witnesses)) or "none"
                problems.append(
                    Problem(
                        str(path),
                        rline,
                        f"annotation {ann.id!r}: unknown siglum {siglum!r}; "
                        f"known sigla (docs/witnesses.yaml): {known}",
                    )
                )
            elif layer.witnesses[siglum].seen == "none":
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
    if ann.kind == "entity" and ann.ref not in layer.register:
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
        if cite not in bib_keys:
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
    for match in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]*)`", body):
        keys.extend(k.strip() for k in match.group(1).split(",") if k.strip())
    return keys


def _load_chronology(
    path: Path,
    layer: EditorialLayer,
    text_keys: set[str],
    bib_keys: set[str],
    problems: list[Problem],
    cache: FileCache | None,
) -> None:
    if not path.is_file():
        return
    layer.files.append(path)
    data = read_yaml(path, "chronology", problems, cache)
    if data is None:
        return
    ids: set[str] = set()
    for item in data["events"]:
        if item["id"] in ids:
            problems.append(Problem(str(path), item.line, f"duplicate event id {item['id']!r}"))
            continue
        ids.add(item["id"])
        for place in item.get("places", ()):
            entry = layer.register.get(place)
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
            )
        )
    layer.chronology.sort(key=lambda e: (e.date, e.id))
