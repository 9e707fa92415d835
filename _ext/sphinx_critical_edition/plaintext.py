"""The words of a transcription, with its markup removed: the fidelity check's evidence.

A transcription may add structure only. To prove it, the MyST file is parsed on its own (docutils
and myst-parser, no Sphinx project needed) and its text read back in document order: editorial
labels and comments are dropped, note calls and notes are written the way the witness writes them
(``(2)``, ``2 Rebellion…``). After whitespace is normalised this must equal the witness's lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives
from myst_parser.parsers.docutils_ import Parser as MystParser

from .parts import TextPartDirective, text_part_label
from .texts import TextSpec

#: the MyST syntax a transcription may use
MYST_EXTENSIONS = ["colon_fence", "attrs_block", "attrs_inline"]

_SKIPPED = (nodes.comment, nodes.system_message, nodes.raw, text_part_label, nodes.target)


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


def parse_transcription(path: Path) -> nodes.document:
    """Parse a transcription with myst-parser alone (its warnings are left to the Sphinx build)."""
    with _directive("text-part", _StandaloneTextPart):
        return publish_doctree(
            path.read_text(encoding="utf-8"),
            source_path=str(path),
            parser=MystParser(),
            settings_overrides={
                "myst_enable_extensions": MYST_EXTENSIONS,
                "report_level": 4,
                "halt_level": 5,
                "myst_suppress_warnings": ["myst.xref_missing"],
            },
        )


class _WitnessTextVisitor(nodes.NodeVisitor):
    def __init__(self, document: nodes.document, spec: TextSpec) -> None:
        super().__init__(document)
        self.spec = spec
        self.parts: list[str] = []

    def visit_Text(self, node: nodes.Text) -> None:
        self.parts.append(node.astext())

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.parts.append(self.spec.note_reference_form.format(label=node.astext()))
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        label = node[0].astext()
        text = " ".join(_WitnessTextVisitor.of(child, self.spec) for child in node[1:])
        self.parts.append(" " + self.spec.note_form.format(label=label, text=text) + " ")
        raise nodes.SkipNode

    def unknown_visit(self, node: nodes.Node) -> None:
        if isinstance(node, _SKIPPED):
            raise nodes.SkipNode
        if isinstance(node, nodes.Element) and not isinstance(node, nodes.Inline):
            self.parts.append(" ")  # block boundaries separate words

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    @classmethod
    def of(cls, node: nodes.Node, spec: TextSpec) -> str:
        visitor = cls(node.document, spec)
        node.walkabout(visitor)
        return normalise_whitespace("".join(visitor.parts))


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
