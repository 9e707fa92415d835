"""The words of a transcription, with its markup removed: the fidelity check's evidence.

A transcription may add structure only. To prove it, the MyST file is parsed on its own (docutils
and myst-parser, no Sphinx project needed) and its text read back in document order: editorial
labels and comments are dropped, note calls and notes are written the way the witness writes them
(``(2)``, ``2 Rebellion…``). After whitespace is normalised this must equal the witness's lines.
The check (and so every build) compares the two and names the first line where they differ,
in the transcription and in the witness (``fidelity_problem``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives
from myst_parser.parsers.docutils_ import Parser as MystParser

from .errors import Problem
from .parts import TextPartDirective, text_part_label
from .safety import TRANSCRIPTION_EXTENSIONS
from .texts import TextSpec, Witness

#: the MyST syntax a transcription is parsed with (``safety.TRANSCRIPTION`` lists what of it
#: a transcription may use)
MYST_EXTENSIONS = list(TRANSCRIPTION_EXTENSIONS)

#: not the witness's words: comments, the editors' labels, targets (raw HTML is refused by the
#: check, and would count as words here, so that it could never pass as structure)
_SKIPPED = (nodes.comment, nodes.system_message, text_part_label, nodes.target)


def normalise_whitespace(text: str) -> str:
    """Collapse every run of white space (no-break spaces included) to one space."""
    return " ".join(text.split())


class _StandaloneTextPart(TextPartDirective):
    """The ``text-part`` directive outside Sphinx (no build environment to ask)."""

    def set_source_info(self, node: nodes.Node) -> None:
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)


@contextmanager
def _directive(name: str, directive: type) -> Iterator[None]:
    """Register *directive* for one parse only, leaving every other registry untouched.

    (``sphinx.util.docutils.docutils_namespace`` would also unregister Sphinx's own nodes when it
    exits, which breaks a build running in the same process.)
    """
    registry = directives._directives
    saved = registry.get(name)
    directives.register_directive(name, directive)
    try:
        yield
    finally:
        if saved is None:
            registry.pop(name, None)
        else:
            registry[name] = saved


def parse_transcription(path: Path, extensions: Iterable[str] = MYST_EXTENSIONS) -> nodes.document:
    """Parse a transcription with myst-parser alone (its warnings are left to the Sphinx build),
    with the syntax *extensions* the build parses it with."""
    with _directive("text-part", _StandaloneTextPart):
        return publish_doctree(
            path.read_text(encoding="utf-8"),
            source_path=str(path),
            parser=MystParser(),
            settings_overrides={
                "myst_enable_extensions": sorted(set(extensions)),
                "report_level": 4,
                # never read a file or pass HTML through, whatever the check let by
                "file_insertion_enabled": False,
                "raw_enabled": False,
                "halt_level": 5,
                "myst_suppress_warnings": ["myst.xref_missing"],
            },
        )


class _WitnessTextVisitor(nodes.NodeVisitor):
    """The witness-form text of a document, as runs of text each with its source line."""

    def __init__(self, document: nodes.document, spec: TextSpec) -> None:
        super().__init__(document)
        self.spec = spec
        self.parts: list[tuple[str, int]] = []
        self.line = 1

    def visit_Text(self, node: nodes.Text) -> None:
        self.parts.append((node.astext(), self.line))
        self.line += node.astext().count("\n")

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        form = self.spec.note_reference_form.format(label=node.astext())
        self.parts.append((form, self.line))
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        label = node[0].astext()
        text = " ".join(_WitnessTextVisitor.of(child, self.spec) for child in node[1:])
        note = self.spec.note_form.format(label=label, text=text)
        self.parts.append((f" {note} ", node.line or self.line))
        raise nodes.SkipNode

    def unknown_visit(self, node: nodes.Node) -> None:
        if isinstance(node, _SKIPPED):
            raise nodes.SkipNode
        if isinstance(node, nodes.Element) and not isinstance(node, nodes.Inline):
            # a block's line is where it begins; inline markup carries its paragraph's first
            # line, not its own, so the Text nodes' line breaks are counted through it
            self.line = node.line or self.line
            self.parts.append((" ", self.line))  # block boundaries separate words

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    @classmethod
    def runs(cls, node: nodes.Node, spec: TextSpec) -> list[tuple[str, int]]:
        visitor = cls(node.document, spec)
        node.walkabout(visitor)
        return visitor.parts

    @classmethod
    def of(cls, node: nodes.Node, spec: TextSpec) -> str:
        return normalise_whitespace("".join(text for text, _ in cls.runs(node, spec)))


@dataclass(frozen=True)
class LinedText:
    """Whitespace-normalised text that knows the source line of each character."""

    text: str
    starts: tuple[int, ...]  # offsets in text where a new line number begins
    lines: tuple[int, ...]  # the line number from each start on

    @classmethod
    def of(cls, runs: list[tuple[str, int]]) -> LinedText:
        """*runs* of (text, first line) joined and normalised as ``normalise_whitespace``."""
        text: list[str] = []
        starts: list[int] = []
        lines: list[int] = []
        length, pending_space = 0, False
        for run, line in runs:
            for piece in re.split(r"(\s+)", run):
                if not piece:
                    continue
                if piece.isspace():
                    pending_space = length > 0
                    line += piece.count("\n")
                    continue
                if pending_space:
                    text.append(" ")
                    length += 1
                    pending_space = False
                if not lines or lines[-1] != line:
                    starts.append(length)
                    lines.append(line)
                text.append(piece)
                length += len(piece)
        return cls("".join(text), tuple(starts), tuple(lines))

    def line_at(self, offset: int) -> int:
        if not self.lines:
            return 1
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


#: a text's words in the witness's form, as runs of (text, first source line)
Runs = list[tuple[str, int]]


def witness_form(document: nodes.document, spec: TextSpec) -> Runs:
    """A parsed transcription's words in the witness's form, with their source lines."""
    return _WitnessTextVisitor.runs(document, spec)


def _witness_part(witness: Witness, spec: TextSpec) -> Runs:
    """The witness lines *spec* covers, with their line numbers."""
    first, last = spec.witness_lines
    lines = witness.read().split("\n")[first - 1 : last]
    return [(line + "\n", first + i) for i, line in enumerate(lines)]


def fidelity_problem(spec: TextSpec, witness: Witness, words: Runs) -> Problem | None:
    """Where the transcription's *words* first differ from its part of the witness, or None
    (the lines of each are worked out only then)."""
    expected_runs = _witness_part(witness, spec)
    if _joined(words) == _joined(expected_runs):
        return None
    actual, expected = LinedText.of(words), LinedText.of(expected_runs)
    i = next(
        (i for i, (a, b) in enumerate(zip(expected.text, actual.text, strict=False)) if a != b),
        min(len(expected.text), len(actual.text)),
    )
    lo = max(0, i - 30)
    return Problem(
        str(spec.transcription),
        actual.line_at(i),
        f"the words differ from the witness ({witness.path.name}, line {expected.line_at(i)}): "
        f"the witness reads …{expected.text[lo : i + 30]!r}, the transcription "
        f"…{actual.text[lo : i + 30]!r}; a transcription adds structure only: leave the "
        "witness's words as they are and put a correction in an emendation (docs/annotations/)",
    )


def _joined(runs: Runs) -> str:
    return normalise_whitespace("".join(text for text, _ in runs))


def transcription_text(spec: TextSpec, path: Path | None = None) -> str:
    """The witness-form plain text of *spec*'s transcription (or of *path*, a variant of it)."""
    document = parse_transcription(path or spec.transcription)
    return _WitnessTextVisitor.of(document, spec)


def first_difference(expected: str, actual: str, context: int = 40) -> str:
    """A readable account of where two texts first differ (for the fidelity tests' failures)."""
    if expected == actual:
        return "identical"
    i = next(
        (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    lo = max(0, i - context)
    return (
        f"first difference at character {i}:\n"
        f"  witness:       …{expected[lo : i + context]!r}\n"
        f"  transcription: …{actual[lo : i + context]!r}"
    )
