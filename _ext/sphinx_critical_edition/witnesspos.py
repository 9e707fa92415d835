"""Character positions in the received witness file for the spans of the transcription.

The Web Annotations also target the witness itself (immutable, published beside the HTML) with a
TextPositionSelector, so each paragraph's words are aligned with the witness's characters: the
same characters in the same order, where the witness may have other white space and writes the
author's note calls in the text (``(2)``, ``[3]``), which the transcription makes into calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .anchoring import Unit
from .errors import EditionError
from .texts import TextSpec, Witness

_OPENING = 60  # characters of a paragraph searched for to find where it starts


def _call_pattern(spec: TextSpec) -> re.Pattern[str]:
    """A note call as the witness writes it, e.g. ``(2)`` or ``[3]``, with its space before."""
    form = re.escape(spec.note_reference_form).replace(re.escape("{label}"), r"\w{1,4}")
    return re.compile(r"\s*" + form)


def _flexible(text: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


@dataclass
class WitnessPositions:
    """Maps (unit, offset in ``unit.text``) to an offset in the witness file's text."""

    witness: Witness
    spec: TextSpec
    text: str = field(init=False)
    _maps: dict[str, list[int]] = field(init=False, default_factory=dict)
    _region: tuple[int, int] = field(init=False)
    _cursor: int = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.witness.read()
        lines = self.text.split("\n")
        first, last = self.spec.witness_lines
        start = sum(len(line) + 1 for line in lines[: first - 1])
        end = sum(len(line) + 1 for line in lines[:last])
        self._region = (start, min(end, len(self.text)))
        self._cursor = start
        self._calls = _call_pattern(self.spec)

    def span(self, unit: Unit, start: int, end: int) -> tuple[int, int]:
        """The witness's [start, end) for the characters [start, end) of *unit*'s text."""
        offsets = self._maps.get(unit.key)
        if offsets is None:
            offsets = self._maps[unit.key] = self._align(unit)
        if start == end:  # an insertion point: where the next character would be
            return offsets[start], offsets[start]
        return offsets[start], offsets[end - 1] + 1

    def _find(self, unit: Unit) -> int:
        opening = _flexible(unit.text[:_OPENING].rsplit(" ", 1)[0] or unit.text[:_OPENING])
        low, high = self._region
        found = opening.search(self.text, self._cursor, high) or opening.search(
            self.text, low, high
        )
        if found is None:
            raise EditionError(
                f"{self.witness.path}: paragraph {unit.label} of {self.spec.key!r} was not found "
                "in the witness (is the transcription's fidelity test failing?)"
            )
        return found.start()

    def _align(self, unit: Unit) -> list[int]:
        """Witness offset of each character of ``unit.text`` (and of its end)."""
        text, w = unit.text, self.text
        j = self._find(unit)
        offsets: list[int] = []
        i = 0
        while i < len(text):
            # most characters are the same, in the same place: a run, up to the next call
            call = self._calls.search(w, j, j + len(text) - i + 16)
            run = _common_run(text, i, w, j, call.start() if call else len(w))
            if run:
                offsets.extend(range(j, j + run))
                i, j = i + run, j + run
                continue
            char = text[i]
            call = self._calls.match(w, j)
            if call and not text[i:].lstrip().startswith(call.group().strip()):
                j = call.end()  # a note call the transcription made into a call
            elif j < len(w) and (w[j] == char or (char.isspace() and w[j].isspace())):
                offsets.append(j)
                i, j = i + 1, j + 1
            elif j < len(w) and w[j].isspace():
                j += 1
            elif char.isspace():  # a space the witness lacks (next to a call)
                offsets.append(j)
                i += 1
            else:
                raise EditionError(
                    f"{self.witness.path}: {unit.label} of {self.spec.key!r}: character "
                    f"{i} ({text[max(0, i - 20) : i + 20]!r}) does not follow the "
                    f"witness ({w[max(0, j - 20) : j + 20]!r})"
                )
        offsets.append(j)
        self._cursor = j
        return offsets


def _common_run(a: str, i: int, b: str, j: int, b_end: int) -> int:
    """How many characters from a[i] and b[j] on (b up to b_end) are the same."""
    run, step = 0, 64
    while step:
        ok = i + run + step <= len(a) and j + run + step <= b_end
        if ok and a[i + run : i + run + step] == b[j + run : j + run + step]:
            run += step
        else:
            step //= 2
    return run
