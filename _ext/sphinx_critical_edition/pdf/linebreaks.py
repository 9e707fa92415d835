"""A line-breaking fault of WeasyPrint 70, mended for the time of one layout.

WeasyPrint lays a paragraph out run by run (a run ends where inline markup begins or ends: a
name, a note's call, a marked reading). To fit a run on what is left of a line it asks Pango
for the run's first line, and when the whole run fits it keeps it whole. It compares the width
*with* the run's trailing space, though, which at a line's end is not printed. A run that fits
without that space, but not with it, is taken as one that "cannot be split earlier": WeasyPrint
keeps only its first word and ends the line there, and the justified line opens huge gaps
("31 October 1952ᵃʸ." alone across the measure, the rest of the run on the next line).

:func:`hanging_trailing_spaces` has WeasyPrint keep such a run whole: its trailing space hangs
at the end of the line, as WeasyPrint's own inline layout already allows
(``split_inline_box`` tolerates an overflow by trailing white space), and the line breaks
before what follows the run. ``tests/test_pdf_print.py`` measures the word gaps of every
justified line of the PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from typing import Any

#: the white-space values whose spaces collapse at a line's end
_COLLAPSING = {"normal", "nowrap", "pre-line"}


@contextmanager
def hanging_trailing_spaces() -> Iterator[None]:
    """While active, a run that fits on the line but for its trailing space is kept whole."""
    from weasyprint.layout import inline

    original = inline.split_first_line

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        result = original(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        resume_index = result[2]
        stripped = text.rstrip(" ")
        if (
            resume_index is None  # the run was not split: nothing to mend
            or minimum
            or max_width is None
            or max_width == inf
            or style["white_space"] not in _COLLAPSING
            or not stripped
            or stripped == text
        ):
            return result
        bare = original(stripped, style, context, max_width, justification_spacing, is_line_start)
        if bare[2] is not None or bare[3] > max_width:
            return result  # it does not fit even without its trailing space: a real break
        return original(text, style, context, inf, justification_spacing, is_line_start)

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original
