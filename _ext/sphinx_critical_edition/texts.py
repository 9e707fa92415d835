"""The manifest of transcribed texts (``source_texts/texts.yaml``).

One small file says which transcription belongs to which stretch of the witness and how its
paragraphs are numbered; the Sphinx extension, the checks and the fidelity test all read it, so
the three can never disagree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import EditionError
from .loader import load_checked


@dataclass(frozen=True)
class TextSpec:
    """One transcribed text and its place in the witness."""

    key: str
    title: str
    transcription: Path
    witness_lines: tuple[int, int]
    paragraph_id_prefix: str
    note_reference_form: str
    note_form: str
    author: str = ""
    short_title: str = ""  # in lists such as the chronology's "In the texts: Smith §27"

    @property
    def list_title(self) -> str:
        """How lists name the text: "Smith" in "Smith §27"."""
        return self.short_title or self.title

    def paragraph_id(self, number: int) -> str:
        """The stable HTML/TEI id of paragraph *number* (the § citation system)."""
        return f"{self.paragraph_id_prefix}{number}"


@dataclass(frozen=True)
class Witness:
    """The received witness, kept byte-identical."""

    path: Path
    sha256: str
    description: str

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def lines(self, first: int, last: int) -> str:
        """Lines *first*..*last* (1-based, inclusive) of the witness, joined by newlines."""
        return "\n".join(self.read().split("\n")[first - 1 : last])

    def actual_sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Manifest:
    path: Path
    witness: Witness
    texts: tuple[TextSpec, ...]

    def text(self, key: str) -> TextSpec:
        for spec in self.texts:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def text_for_source(self, source: str | None) -> TextSpec | None:
        """The text whose transcription file is *source* (a docutils node's ``source``)."""
        if not source:
            return None
        resolved = Path(source).resolve()
        for spec in self.texts:
            if spec.transcription == resolved:
                return spec
        return None


_TEXT_FIELDS = {
    "key",
    "title",
    "author",
    "transcription",
    "witness_lines",
    "paragraph_id_prefix",
    "note_reference_form",
    "note_form",
    "short_title",
}


def _inside(base: Path, path: Path) -> bool:
    """Whether *path* is a plain file within *base*: a text is never read through a symbolic
    link or from outside the manifest's folder (``../../etc/passwd``), whose lines a
    difference from the witness would print."""
    return (
        path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(base.resolve())
    )


def load_manifest(path: str | Path) -> Manifest:
    """Read and check ``texts.yaml``; raise :class:`EditionError` naming the file on bad input."""
    path = Path(path).resolve()
    try:
        data = load_checked(path, "texts")
    except OSError as exc:
        raise EditionError(f"{path}: cannot read the text manifest: {exc}") from exc
    base = path.parent
    where = f"{path}:{getattr(data, 'line', 1)}"
    try:
        w = data["witness"]
        where = f"{path}:{w.line}"
        witness = Witness(base / w["file"], w["sha256"], w.get("description", ""))
        if not _inside(base, witness.path):
            raise EditionError(f"{where}: the witness file {w['file']!r} is not in {base}")
        texts = []
        for entry in data["texts"]:
            where = f"{path}:{entry.line}"
            unknown = set(entry) - _TEXT_FIELDS
            if unknown:
                raise EditionError(
                    f"{where}: unknown field(s) {sorted(unknown)} in a text entry; allowed: "
                    f"{', '.join(sorted(_TEXT_FIELDS))}"
                )
            first, last = entry["witness_lines"]
            spec = TextSpec(
                key=entry["key"],
                title=entry["title"],
                author=entry.get("author", ""),
                short_title=entry.get("short_title", ""),
                transcription=(base / entry["transcription"]).resolve(),
                witness_lines=(int(first), int(last)),
                paragraph_id_prefix=entry["paragraph_id_prefix"],
                note_reference_form=entry["note_reference_form"],
                note_form=entry["note_form"],
            )
            if not _inside(base, base / entry["transcription"]):
                raise EditionError(
                    f"{where}: the transcription {entry['transcription']!r} is not in {base}"
                )
            texts.append(spec)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EditionError(
            f"{where}: malformed text manifest ({exc!r}); the fields are described at the top of "
            "the file"
        ) from exc
    prefixes = [t.paragraph_id_prefix for t in texts]
    if len(set(prefixes)) != len(prefixes):
        raise EditionError(f"{path}: two texts share a paragraph_id_prefix; ids would collide")
    return Manifest(path, witness, tuple(texts))


@lru_cache(maxsize=4)
def _manifest_as_of(path: Path, mtime_ns: int) -> Manifest:
    return load_manifest(path)


def current_manifest(path: str | Path) -> Manifest:
    """``load_manifest``, read again only when the file has changed."""
    path = Path(path).resolve()
    return _manifest_as_of(path, path.stat().st_mtime_ns)
