"""The whole editorial layer checked without a Sphinx build (``tox -e check``).

Used by the CLI and by the Sphinx extension alike (``checked_layer``, once per build and cached
while no file changes), so the fast check and the build agree on what is valid. What only the
woven doctree can show (a quote cutting through a link or emphasis) is reported by the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pybtex.database import parse_file

from .anchoring import Span, anchor_all, units_of
from .errors import EditionError, Problem
from .loader import layer_files, load_layer
from .model import EditorialLayer
from .plaintext import parse_transcription
from .texts import Manifest, load_manifest


@dataclass
class CheckResult:
    layer: EditorialLayer
    spans: list[Span] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def bibliography_keys(bibfile: Path) -> set[str]:
    return (
        set(parse_file(str(bibfile), bib_format="bibtex").entries) if bibfile.is_file() else set()
    )


def check_edition(docs_dir: Path, manifest: Manifest | None = None) -> CheckResult:
    """Load, validate and anchor every annotation of the edition in *docs_dir*."""
    docs_dir = docs_dir.resolve()
    manifest = manifest or load_manifest(docs_dir.parent / "source_texts" / "texts.yaml")
    layer, problems = load_layer(
        docs_dir, [t.key for t in manifest.texts], bibliography_keys(docs_dir / "references.bib")
    )
    result = CheckResult(layer, problems=problems)
    if manifest.witness.actual_sha256() != manifest.witness.sha256:
        result.problems.append(
            Problem(
                str(manifest.witness.path),
                1,
                "the witness's sha256 differs from texts.yaml: the "
                "received witness must never be edited",
            )
        )
    for spec in manifest.texts:
        annotations = layer.for_text(spec.key)
        if not annotations:
            continue
        units = units_of(parse_transcription(spec.transcription))
        spans, anchoring_problems = anchor_all(annotations, units)
        result.spans.extend(spans)
        result.problems.extend(anchoring_problems)
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
    result.problems.sort()
    return result


@lru_cache(maxsize=2)
def _checked(docs_dir: Path, stamp: tuple[tuple[str, int], ...]) -> CheckResult:
    return check_edition(docs_dir)


def checked_layer(srcdir: str | Path) -> CheckResult:
    """The validated layer; raises :class:`EditionError` listing every problem."""
    docs_dir = Path(srcdir).resolve()
    files = layer_files(docs_dir)
    texts_dir = docs_dir.parent / "source_texts"
    files += sorted(texts_dir.glob("*.md")) + sorted(texts_dir.glob("*.yaml"))
    files += sorted((texts_dir / "witness").glob("*"))
    result = _checked(docs_dir, tuple((str(f), f.stat().st_mtime_ns) for f in files))
    if result.problems:
        listing = "\n".join(str(p) for p in result.problems)
        raise EditionError(f"the editorial layer has {len(result.problems)} problem(s):\n{listing}")
    return result
