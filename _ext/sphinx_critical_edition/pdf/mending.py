"""Three faults of WeasyPrint 70's layout, mended for one layout (:func:`mended_layout`).

1. **A line broken after its first word.** WeasyPrint lays a paragraph out run by run (a run
   ends where inline markup begins or ends: a name, a note's call, a marked reading). To fit a
   run on what is left of a line it asks Pango for the run's first line, and when the whole run
   fits it keeps it whole. It compares the width *with* the run's trailing space, though, which
   at a line's end is not printed. A run that fits without that space, but not with it, is
   taken as one that "cannot be split earlier": WeasyPrint keeps only its first word and ends
   the line there, and the justified line opens huge gaps ("31 October 1952ᵃʸ." alone across
   the measure, the rest of the run on the next line). :func:`hanging_trailing_spaces` keeps
   such a run whole: its trailing space hangs at the end of the line, as WeasyPrint's inline
   layout already allows (``split_inline_box`` tolerates an overflow by trailing white space),
   and the line breaks before what follows the run.

2. **A note carried away from its call.** When a paragraph's next line does not fit and its
   lines so far are too few to leave behind (``orphans``), WeasyPrint first moves the page's
   last note to the next page to make room, although its call stays on this page (the note
   printed a page after its call). :func:`notes_stay_with_their_calls` undoes
   that: the paragraph goes to the next page whole, with its notes, as it does when no note is
   involved.

3. **A note taken for overflowing by a rounding error.** Each time a note joins the page,
   WeasyPrint lays the footnote area out and calls the last note overflowing when its bottom
   lies below the area's. The two are sums of the same heights added in another order, so they
   can differ in the last bit of a float (1575.972703412074 against 1575.9727034120738 px when
   note ae joined page 17): the note was then carried to the next page with its line, and the
   text stopped seven lines above the notes. :func:`notes_overflow_beyond_rounding` lets a
   note overflow only by more than :data:`ROUNDING` (a note that truly overflows, in an area of
   limited ``max-height``, still does).

``tests/test_pdf_print.py`` measures the word gaps of every justified line of the PDF and finds
each note on the page of its call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from typing import Any

#: the white-space values whose spaces collapse at a line's end
_COLLAPSING = {"normal", "nowrap", "pre-line"}
#: how far (px) a note may pass the footnote area's bottom and still fit: far below a printed
#: point, far above a float's rounding error
ROUNDING = 1e-3


@contextmanager
def mended_layout() -> Iterator[None]:
    """While active, WeasyPrint lays out with both mends of this module."""
    with hanging_trailing_spaces(), notes_stay_with_their_calls(), notes_overflow_beyond_rounding():
        yield


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


@contextmanager
def notes_stay_with_their_calls() -> Iterator[None]:
    """While active, a paragraph that would leave a note's call on this page and carry the note
    to the next goes to the next page whole instead (see the module's doc, 2)."""
    from weasyprint.layout import block

    original = block._linebox_layout

    def linebox_layout(
        context: Any,
        box: Any,
        index: int,
        child: Any,
        new_children: list,
        page_is_empty: bool,
        *args: Any,
    ) -> Any:
        carried_before = list(context.reported_footnotes)
        result = original(context, box, index, child, new_children, page_is_empty, *args)
        abort, new_footnotes = result[0], result[4]
        carried = [note for note in context.reported_footnotes if note not in carried_before]
        if abort or page_is_empty or not carried:
            return result
        called_here = {
            descendant.footnote for line in new_children for descendant in line.descendants()
        }
        stranded = [note for note in carried if note in called_here or note not in new_footnotes]
        if not stranded:
            return result  # each carried note goes with its line (footnote-policy: line)
        for note in carried:  # back to this page; the caller takes this paragraph's notes off
            if note not in new_footnotes:
                context.reported_footnotes.remove(note)
                context.current_page_footnotes.append(note)
        context._update_footnote_area()
        return (True, *result[1:])

    block._linebox_layout = linebox_layout
    try:
        yield
    finally:
        block._linebox_layout = original


@contextmanager
def notes_overflow_beyond_rounding() -> Iterator[None]:
    """While active, the footnote area's last note overflows only by more than :data:`ROUNDING`.

    ``LayoutContext._update_footnote_area`` lays the area out with ``layout.block_level_layout``
    and compares its last note's bottom with the area's; that laid-out area is caught here, and a
    reported overflow is checked again with the tolerance (see the module's doc, 3).
    """
    from weasyprint import layout

    original_update = layout.LayoutContext._update_footnote_area
    original_layout = layout.block_level_layout

    def update_footnote_area(self: Any) -> bool:
        laid: list[Any] = []

        def block_level_layout(*args: Any, **kwargs: Any) -> Any:
            result = original_layout(*args, **kwargs)
            laid.append(result[0])
            return result

        layout.block_level_layout = block_level_layout
        try:
            overflow = original_update(self)
        finally:
            layout.block_level_layout = original_layout
        if not overflow or not laid:
            return overflow
        area = laid[-1]
        last = area.children[-1]
        last_bottom = last.position_y + last.margin_height() - last.margin_bottom
        area_bottom = area.position_y + area.margin_height() - area.margin_bottom
        return last_bottom - area_bottom > ROUNDING

    layout.LayoutContext._update_footnote_area = update_footnote_area
    try:
        yield
    finally:
        layout.LayoutContext._update_footnote_area = original_update
