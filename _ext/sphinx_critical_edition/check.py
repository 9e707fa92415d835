"""The whole editorial layer checked without a Sphinx build (``tox -e check``).

Used by the CLI and by the Sphinx extension alike (``checked_layer``, once per build and cached
while no file changes), so the fast check and the build agree on what is valid. What only the
woven doctree can show (a quote cutting through a link or emphasis) is reported by the build.
In a Sphinx build, what was parsed from each unchanged file is reused from the last build
(``filecache``); the cross-file checks and the anchoring always run in full.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils import Reporter

from .anchoring import Span, Unit, anchor_all, units_of
from .errors import EditionError, Problem
from .filecache import FileCache, code_fingerprint
from .inputfiles import read_text
from .linkpolicy import POLICY, checked_files, refused_links, twice_cited_pages
from .loader import bibliography_data, load_layer
from .model import EditorialLayer
from .pages import page_problems
from .places import Places, edition_places, place_problems
from .plaintext import Runs, fidelity_problem, parse_transcription, witness_form
from .safety import (
    ALLOWED_SCHEMES,
    TRANSCRIPTION_EXTENSIONS,
    normalised_url,
    transcription_refusals,
)
from .texts import Manifest, TextSpec, current_manifest, load_manifest
from .weblabels import WEB_SOURCES, read_web_sources


@dataclass
class CheckResult:
    layer: EditorialLayer
    spans: list[Span] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


#: LaTeX in a note, which is printed as written (the bibliography style reads it raw)
_LATEX_IN_NOTE = re.compile(r"--|\\|[{}~$]")


def read_bibliography(bibfile: Path) -> tuple[set[str] | None, list[Problem]]:
    """The bibliography's keys (None if it cannot be read), and any note written as LaTeX
    rather than as plain prose, or url that is not an http(s) address (the bibliography links
    it)."""
    if not bibfile.is_file():
        return set(), []
    data, problems = bibliography_data(bibfile)
    if data is None:
        return None, problems
    entries, problems = data.entries, []
    lines = _field_lines(bibfile.read_text(encoding="utf-8").splitlines())
    for key, entry in entries.items():
        found = _LATEX_IN_NOTE.search(entry.fields.get("note", ""))
        if found:
            problems.append(
                Problem(
                    str(bibfile),
                    _field_line(lines, key, "note"),
                    f"entry {key!r}: the note contains {found.group()!r}, but notes are printed "
                    "as written, not read as LaTeX: write – for a dash and plain characters",
                )
            )
        url = entry.fields.get("url", "")
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", normalised_url(url))
        if url and (scheme is None or scheme.group(1) not in ALLOWED_SCHEMES):
            problems.append(
                Problem(
                    str(bibfile),
                    _field_line(lines, key, "url"),
                    f"entry {key!r}: url {url!r} is not allowed: a url is an http(s) address",
                )
            )
        elif re.search(r"\s", url):  # shown to readers, an address must copy as one word
            problems.append(
                Problem(
                    str(bibfile),
                    _field_line(lines, key, "url"),
                    f"entry {key!r}: url {url!r} holds a space: write a space in an address as %20",
                )
            )
    return set(entries), problems


def _field_lines(lines: list[str]) -> dict[tuple[str, str], int]:
    """The line of each entry (``(key, "")``) and of each of its fields (``(key, "note")``),
    in one pass over the file."""
    found: dict[tuple[str, str], int] = {}
    key = ""
    for number, line in enumerate(lines, 1):
        if line.startswith("@"):
            entry = _ENTRY.match(line)
            key = entry.group(1) if entry else ""
            found.setdefault((key, ""), number)
        elif key and (name := _FIELD.match(line)):
            found.setdefault((key, name.group(1).lower()), number)
    return found


def _field_line(lines: dict[tuple[str, str], int], key: str, name: str) -> int:
    """The line of *key*'s field *name* (else of the entry itself)."""
    return lines.get((key, name)) or lines.get((key, ""), 1)


_ENTRY = re.compile(r"@\w+\{([^,\s]+),")
_FIELD = re.compile(r"\s*(\w+)\s*=")


def check_edition(
    docs_dir: Path,
    manifest: Manifest | None = None,
    cache: FileCache | None = None,
    extensions: Iterable[str] = (),
) -> CheckResult:
    """Load, validate and anchor every annotation of the edition in *docs_dir*.

    *extensions*: MyST syntax extensions the build enables besides a transcription's own
    (``conf.py``), so that the transcriptions are checked as the build will parse them."""
    syntax = tuple(sorted({*TRANSCRIPTION_EXTENSIONS, *extensions}))
    docs_dir = docs_dir.resolve()
    cache = cache or FileCache()
    manifest = manifest or load_manifest(default_manifest(docs_dir))
    bibfile = docs_dir / "references.bib"
    bib_keys, bib_problems = (
        cache.get("bibliography", bibfile, lambda: read_bibliography(bibfile))
        if bibfile.is_file()
        else (set(), [])
    )
    layer, problems = load_layer(docs_dir, [t.key for t in manifest.texts], bib_keys, cache)
    result = CheckResult(layer)
    witness_edited = manifest.witness.actual_sha256() != manifest.witness.sha256
    if witness_edited:
        result.problems.append(
            Problem(
                str(manifest.witness.path),
                1,
                "the witness's sha256 differs from texts.yaml: the "
                "received witness must never be edited",
            )
        )
    result.problems += sorted(bib_problems) + problems + refused_links(docs_dir)
    result.problems += twice_cited_pages(docs_dir)
    read_web_sources(docs_dir, result.problems)  # the table's own problems, with their lines
    transcriptions = [spec.transcription for spec in manifest.texts]
    result.problems += page_problems(docs_dir, transcriptions)  # their directives run in a build
    paragraphs: dict[str, int] = {}
    for spec in manifest.texts:
        units, words, refused = _transcription(spec, cache, syntax)
        if refused:  # never parsed, so nothing else about this text can be judged
            result.problems.extend(refused)
            continue
        paragraphs[spec.key] = sum(1 for u in units if u.key.isdigit())
        # against an edited witness, a difference would only repeat the first problem
        differs = None if witness_edited else fidelity_problem(spec, manifest.witness, words)
        result.problems.extend([differs] if differs else [])
        annotations = layer.for_text(spec.key)
        if not annotations:
            continue
        spans, anchoring_problems = anchor_all(annotations, units)
        result.spans.extend(spans)
        result.problems.extend(sorted(anchoring_problems))
        notes = {u.key[1:] for u in units if u.key.startswith("n")}
        result.problems.extend(
            Problem(
                str(a.at.path),
                a.at.line,
                f"annotation {a.id!r}: note_call {a.note_call!r}: the text has no author's note "
                f"{a.note_call} (its notes: {', '.join(sorted(notes, key=int)) or 'none'})",
            )
            for a in annotations
            if a.note_call and a.note_call not in notes
        )
    if len(paragraphs) == len(manifest.texts):  # else a § could not be judged

        def places() -> Places:
            return edition_places(docs_dir, manifest, paragraphs, layer)

        result.problems += place_problems(layer, places)
    return result


def _transcription(
    spec: TextSpec, cache: FileCache, syntax: tuple[str, ...]
) -> tuple[list[Unit], Runs, list[Problem]]:
    """A transcription's paragraphs, its words in the witness's form, and what in it the
    transcription allowlist refuses; parsed once, and kept while the file is unchanged. A file
    with anything refused is not parsed at all: a directive would run."""

    def read() -> tuple[list[Unit], Runs, list[Problem]]:
        path = spec.transcription
        text, unreadable = read_text(path)  # not UTF-8, or invisible characters: named, not parsed
        if unreadable:
            return [], [], unreadable
        refused = [
            Problem(str(path), r.line + 1, r.message) for r in transcription_refusals(text, syntax)
        ]
        if refused:
            return [], [], refused
        document = parse_transcription(path, syntax)
        errors = [  # a directive the allowlist lets by may still refuse its argument
            Problem(str(path), message.get("line") or 1, message[0].astext())
            for message in document.findall(nodes.system_message)
            if message["level"] >= Reporter.ERROR_LEVEL
        ]
        if errors:
            return [], [], errors
        return units_of(document), witness_form(document, spec), refused

    # a note form is free text: joined with spaces, two settings could read alike
    forms = "transcription " + json.dumps([spec.note_reference_form, spec.note_form, syntax])
    return cache.get(forms, spec.transcription, read)


def default_manifest(docs_dir: Path) -> Path:
    """``texts.yaml`` where the project layout puts it (the CLI's default)."""
    return docs_dir.parent / "source_texts" / "texts.yaml"


@dataclass(frozen=True)
class _Build:
    """What a Sphinx build tells the check: its manifest, and where to keep parsed files."""

    manifest: Path
    store: Path
    reuse: bool
    extensions: tuple[str, ...] = ()


_BUILDS: dict[Path, _Build] = {}


def register_build(
    srcdir: str | Path,
    manifest: Path,
    doctreedir: str | Path,
    reuse: bool,
    extensions: Iterable[str] = (),
) -> None:
    """Check *srcdir* against *manifest*, keeping parsed files under *doctreedir*; the build
    parses MyST with the syntax *extensions*."""
    store = Path(doctreedir) / "edition-layer.pickle"
    _BUILDS[Path(srcdir).resolve()] = _Build(manifest.resolve(), store, reuse, tuple(extensions))


@lru_cache(maxsize=2)
def _checked(
    docs_dir: Path, manifest_path: Path, stamp: tuple[tuple[str, int], ...]
) -> CheckResult:
    build = _BUILDS.get(docs_dir)
    cache = FileCache(build and build.store, code_fingerprint(), bool(build and build.reuse))
    extensions = build.extensions if build else ()
    result = check_edition(docs_dir, current_manifest(manifest_path), cache, extensions)
    cache.save()
    return result


def checked_layer(srcdir: str | Path) -> CheckResult:
    """The validated layer; raises :class:`EditionError` listing every problem."""
    docs_dir = Path(srcdir).resolve()
    build = _BUILDS.get(docs_dir)
    manifest_path = build.manifest if build else default_manifest(docs_dir)
    manifest = current_manifest(manifest_path)
    files = [*checked_files(docs_dir), *docs_dir.glob(POLICY), *docs_dir.glob(WEB_SOURCES)]
    files += [manifest.path, manifest.witness.path]
    files += [spec.transcription for spec in manifest.texts]
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    result = _checked(docs_dir, manifest_path, stamp)
    if result.problems:
        raise EditionError.of(result.problems)
    return result


def _check_on_start(app: Any) -> None:
    """Check the whole layer before anything is read, so a bad file stops the build at once
    (before sphinxcontrib-bibtex reads the bibliography: a broken one is reported here)."""
    from .config import manifest_path  # the Sphinx side only: the CLI never imports Sphinx

    try:
        manifest = manifest_path(app.config, app.confdir)
        extensions = getattr(app.config, "myst_enable_extensions", None) or ()
        register_build(
            app.srcdir,
            manifest,
            app.doctreedir,
            not app.fresh_env_used,
            [str(e) for e in extensions],
        )
        checked_layer(app.srcdir)
    except EditionError as error:
        from .stopping import stop_build

        stop_build(error)


def setup_check(app: Any) -> None:
    from .stopping import setup_stopping

    setup_stopping(app)  # bad input stops a build with its problems, not a traceback
    app.connect("builder-inited", _check_on_start, priority=100)
