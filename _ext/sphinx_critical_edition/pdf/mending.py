"""Eight faults of WeasyPrint 70's layout, mended for one layout (:func:`mended_layout`).

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

4. **A note that never breaks.** WeasyPrint prints a note whole, on the page of its call. When
   the lines that must stay on a page (the one with the call; with ``orphans`` and ``widows``,
   the paragraph's first or last two) and their notes are taller than the room left, the
   paragraph goes to the next page and the text stops lines above the notes (a fifth of a page
   empty above note h of the Theses). :func:`notes_continued` breaks the page's last note
   instead, as books do: its first lines close the page, the rest opens the next page's notes
   (in its own series), headed by the note's label and "(cont.)" in the marker's type ("at
   (cont.)"; without it the rest reads as part of the note above it), and the text runs down
   to the notes. A note is broken only
   between lines, keeping at least ``orphans`` lines on the page and ``widows`` for the next,
   and never in a chapter's last paragraph: its rest would open the next chapter's first page
   (the rest of note o of the Theses at the foot of the apparatus); there the paragraph's last
   lines go to a page of their own with their notes, as WeasyPrint sets them.

5. **A table row broken cell by cell.** A row that may break (``break-inside: auto``) is cut
   in each cell on its own: a cell too short to break goes whole to the next page, and the row
   starts with empty cells (a lemma on one page, its place on the next).
   :func:`rows_break_in_one_cell` lets such a row break only when every cell but one is whole
   on the page and that one has lines on it; otherwise the row goes to the next page, as with
   ``break-inside: avoid``. (``print.css`` keeps that break inside a paragraph of the cell,
   where ``orphans`` and ``widows`` hold, not between its reason and its "Sources:".)

6. **A band left empty for a note.** With ``footnote-policy: line`` a note that neither fits
   nor breaks (4) takes its call's line to the next page, and the lines after it: where the
   next lines call long notes, a fifth of a page stayed empty above the notes (about ten lines
   on the page of §57). :func:`notes_deferred_over_a_band` lets such a note go to the next page
   alone, as books (and TeX) defer a note, when keeping its line here saves more than
   :data:`BAND` lines: the text runs on down to the notes, and the note opens the next page's
   notes of its series, ahead of those called there (WeasyPrint keeps the order: once a note is
   deferred, the page's later notes follow it). A band of up to :data:`BAND` lines is kept
   rather than a note parted from its call's page: a reader looks for a note on the page of
   its call (two reviews counted each deferred note a defect, a band of some nine lines a
   blemish), so a note is deferred only where keeping it would empty a fifth of a page.

7. **A word broken across a page turn.** WeasyPrint hyphenates a page's last line as any other:
   "dis-" closed a page and "armed" opened the next, the reader turning the leaf mid-word (two
   in the article). :func:`no_word_broken_across_pages` sets such a line again without
   hyphenating it (the word goes whole to the next page), when the line so set keeps its word
   spaces within :data:`LOOSEST_SPACE`; a line that would open wider gaps keeps its hyphen
   (TeX too only discourages a break there, by ``\\brokenpenalty``).

8. **A note carried over a page that is not laid out again, lost.** A note (or a broken note's
   rest, 4) that goes to the next page waits in the layout's list of carried notes, which the
   next page's layout takes. When WeasyPrint lays pages out again (a page reference changed),
   it skips the pages that did not change, and a page laid out again after a skipped one starts
   with the list as the last page laid out left it: the notes carried by the skipped page are
   gone (the rest of note o of the Theses, carried to the apparatus's first page, which its
   "(p. 14)" references lay out again, was never printed). :func:`carried_notes_kept` keeps
   the notes each layout of a page carries to the next, and gives them back to that next page
   whenever it is laid out.

Each mend replaces WeasyPrint's functions only while active, through
:func:`~.patching.patched`. ``tests/test_pdf_print.py`` measures the word gaps of every
justified line of the PDF and finds each note on the page of its call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from math import inf
from typing import Any

from .patching import patched

#: the white-space values whose spaces collapse at a line's end
_COLLAPSING = {"normal", "nowrap", "pre-line"}
#: how far (px) a note may pass the footnote area's bottom and still fit: far below a printed
#: point, far above a float's rounding error
ROUNDING = 1e-3
#: the most lines of text a page may leave empty above its notes rather than print a note on
#: the page after its call (6); at 3, four notes went to the next page (review 17)
BAND = 10
#: the widest a word space may grow, in ems, where a page's last line is set again without its
#: hyphen (7); ``tests/test_pdf_print.py`` calls a line with a space of 1 em a fault
LOOSEST_SPACE = 0.75
#: marks a note deferred on purpose (6), which :func:`notes_stay_with_their_calls` lets go
DEFERRED = "_ce_deferred"


@contextmanager
def mended_layout(root_element: Any = None) -> Iterator[None]:
    """While active, WeasyPrint lays out with every mend of this module; *root_element*, the
    document's (``HTML.etree_element``), tells where its chapters end."""
    with (
        hanging_trailing_spaces(),
        notes_stay_with_their_calls(),
        notes_overflow_beyond_rounding(),
        notes_continued(chapter_ends(root_element)),
        notes_deferred_over_a_band(),
        rows_break_in_one_cell(),
        no_word_broken_across_pages(),
        carried_notes_kept(),
    ):
        yield


@contextmanager
def hanging_trailing_spaces() -> Iterator[None]:
    """While active, a run that fits on the line but for its trailing space is kept whole."""
    from weasyprint.layout import inline

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

    with patched((inline, "split_first_line", split_first_line)) as (original,):
        yield


@contextmanager
def notes_stay_with_their_calls() -> Iterator[None]:
    """While active, a paragraph that would leave a note's call on this page and carry the note
    to the next goes to the next page whole instead (see the module's doc, 2)."""
    from weasyprint.layout import block

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
        carried = [
            note
            for note in context.reported_footnotes
            if note not in carried_before and not getattr(note, DEFERRED, False)
        ]
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

    with patched((block, "_linebox_layout", linebox_layout)) as (original,):
        yield


@contextmanager
def notes_overflow_beyond_rounding() -> Iterator[None]:
    """While active, the footnote area's last note overflows only by more than :data:`ROUNDING`.

    ``LayoutContext._update_footnote_area`` lays the area out with ``layout.block_level_layout``
    and compares its last note's bottom with the area's; that laid-out area is caught here, and a
    reported overflow is checked again with the tolerance (see the module's doc, 3).
    """
    from weasyprint import layout

    def update_footnote_area(self: Any) -> bool:
        laid: list[Any] = []

        def block_level_layout(*args: Any, **kwargs: Any) -> Any:
            result = original_layout(*args, **kwargs)
            laid.append(result[0])
            return result

        with patched((layout, "block_level_layout", block_level_layout)) as (original_layout,):
            overflow = original_update(self)
        if not overflow or not laid:
            return overflow
        area = laid[-1]
        last = area.children[-1]
        last_bottom = last.position_y + last.margin_height() - last.margin_bottom
        area_bottom = area.position_y + area.margin_height() - area.margin_bottom
        return last_bottom - area_bottom > ROUNDING

    update = (layout.LayoutContext, "_update_footnote_area", update_footnote_area)
    with patched(update) as (original_update,):
        yield


@dataclass
class _Paragraph:
    """A block whose lines ``_linebox_layout`` is setting, and the line it has just met."""

    context: Any
    box: Any  # the block
    child: Any  # its line box, which ``iter_line_boxes`` lays out line by line
    placed: list  # its lines already on this page
    bottom_space: float
    line: Any = None
    resume_at: Any = None


@dataclass
class _Break:
    """A note broken at the foot of a page: ``head`` prints there, ``rest`` opens the next."""

    note: Any  # the note as WeasyPrint knows it
    head: Any  # its first lines (``max_lines``), in its place in the page's footnote area
    rest: Any  # the remainder (``RESUME``), for the next page
    extra: list = field(default_factory=list)  # notes of the kept lines, laid out early
    trigger: Any = None  # the note whose joining broke it


#: the attribute of a note's box that holds where its remainder resumes (its skip stack)
@contextmanager
def _paragraphs_being_set(setting: list[_Paragraph]) -> Iterator[None]:
    """While active, *setting* holds the paragraphs ``_linebox_layout`` is setting, innermost
    last, each with the line ``iter_line_boxes`` has just given it: what the note mends (4, 6)
    know of the text."""
    from weasyprint.layout import block

    def linebox_layout(
        context: Any, box: Any, index: int, child: Any, placed: list, *args: Any
    ) -> Any:
        setting.append(_Paragraph(context, box, child, placed, args[4]))
        try:
            return original_linebox(context, box, index, child, placed, *args)
        finally:
            setting.pop()

    def iter_line_boxes(context: Any, box: Any, *args: Any) -> Iterator[Any]:
        paragraph = setting[-1] if setting and setting[-1].child is box else None
        for line, resume_at in original_iter(context, box, *args):
            if paragraph is not None:
                paragraph.line, paragraph.resume_at = line, resume_at
            yield line, resume_at

    with patched(
        (block, "_linebox_layout", linebox_layout),
        (block, "iter_line_boxes", iter_line_boxes),
    ) as (original_linebox, original_iter):
        yield


RESUME = "_ce_resume"

#: what heads a continued note's rest, after the note's label (its ``data-label``)
CONTINUED = " (cont.) "


def _continued_label(note: Any) -> Any:
    """The label that heads a note's rest: a copy of its marker box (``::footnote-marker``,
    so in the marker's type) reading "label (cont.) " (``None``: the note has no marker)."""
    from weasyprint.formatting_structure import boxes

    label = note.element.get("data-label") if note.element is not None else None
    for marker in note.descendants():
        if marker.element_tag.endswith("::footnote-marker") and label:
            texts = [box for box in marker.descendants() if isinstance(box, boxes.TextBox)]
            if texts:
                text = texts[0].copy_with_text(label + CONTINUED)
                return marker.copy_with_children([text])
    return None


def _labelled(box: Any, resume: dict, label: Any) -> tuple[Any, dict]:
    """*box* (copied along the path of *resume*, a skip stack) with *label* put where it
    resumes, and the skip stack that starts at the label. A text box cut by the skip stack
    (a byte offset) is split in two around the label."""
    from weasyprint.formatting_structure import boxes

    if label is None:
        return box, resume
    ((index, inner),) = resume.items()
    children = list(box.children)
    child = children[index]
    if inner is None:
        children.insert(index, label)
        resume = {index: None}
    elif isinstance(child, boxes.TextBox):
        ((offset, _none),) = inner.items()
        text = child.text.encode()
        head, tail = text[:offset].decode(), text[offset:].decode()
        if not tail:
            children.insert(index + 1, label)
        else:
            children[index : index + 1] = [
                *([child.copy_with_text(head)] if head else []),
                label,
                child.copy_with_text(tail),
            ]
        resume = {index + 1 if head or not tail else index: None}
    else:
        children[index], inner = _labelled(child, inner, label)
        resume = {index: inner}
    copied = box.copy()
    copied.children = children
    return copied, resume


def chapter_ends(root_element: Any) -> frozenset[Any]:
    """The last paragraph of each chapter (a ``section`` of ``main``): the elements in which
    :func:`notes_continued` breaks no note. (A note is a ``span``: it holds no paragraph.)"""
    if root_element is None:
        return frozenset()
    return frozenset(
        paragraphs[-1]
        for main in root_element.iter("main")
        for chapter in main.findall("section")
        if (paragraphs := list(chapter.iter("p")))
    )


@contextmanager
def notes_continued(chapter_ends: frozenset[Any] = frozenset()) -> Iterator[None]:
    """While active, a note too tall for the room left breaks across pages (module doc, 4).

    When a note joins the page (``LayoutContext.layout_footnote``, called from
    ``_linebox_layout`` for the line of its call), the lines that must stay on the page with
    that line are laid out ahead; if they and the notes they call do not fit, the footnote
    area's last note is cut to what fits: a copy with ``max_lines`` takes its place, and a copy
    that resumes after those lines is carried to the next page, ahead of any other. Whatever
    moves the cut note or the paragraph away (a report, an abort) puts the whole note back.
    """
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout import LayoutContext, block, inline
    from weasyprint.layout import page as page_layout

    paragraphs: list[_Paragraph] = []  # (kept by :func:`_paragraphs_being_set`)
    breaks: dict[int, _Break] = {}  # id of a context → the break on the page being made

    def put_back(context: Any, cut: _Break, unlayout_extra: bool) -> None:
        notes = context.current_page_footnotes
        if cut.head in notes:
            notes[notes.index(cut.head)] = cut.note
        if unlayout_extra:
            for note in cut.extra:
                if note in notes:
                    original_unlayout(context, note)
        context._update_footnote_area()

    def layout_footnote(self: Any, footnote: Any) -> bool:
        # a note joining a page whose last note is broken (the text ran on below the lines
        # kept): the broken note is whole again, and the page's notes are broken anew
        old = breaks.pop(id(self), None)
        if old is not None:
            put_back(self, old, unlayout_extra=False)
        overflow = original_layout(self, footnote)
        paragraph = paragraphs[-1] if paragraphs else None
        cut = None
        if not (
            paragraph is None
            or paragraph.context is not self
            or paragraph.line is None
            or self.in_column
            or self.reported_footnotes
        ):
            line, box = paragraph.line, paragraph.box
            room = self.page_bottom - paragraph.bottom_space - line.position_y - line.height
            most = (box.style["orphans"] + box.style["widows"]) * 2 * line.height
            if overflow or room < most:  # (else what must stay here fits, whatever follows)
                cut = _break_notes(self, paragraph, footnote, overflow)
        if cut is not None:
            breaks[id(self)] = cut
            return False
        if (
            old is not None
            and paragraph is not None
            and paragraph.line is not None
            and self.overflows_page(
                paragraph.bottom_space, paragraph.line.position_y + paragraph.line.height
            )
        ):
            # the new note does not fit even so: the page stays as it was, the note's line
            # goes (WeasyPrint reports the note)
            _apply(self, old)
            breaks[id(self)] = old
            return True
        return overflow

    def _apply(context: Any, cut: _Break) -> None:
        notes = context.current_page_footnotes
        notes[notes.index(cut.note)] = cut.head
        context._update_footnote_area()

    def _break_notes(
        context: Any, paragraph: _Paragraph, trigger: Any, overflow: bool
    ) -> _Break | None:
        if paragraph.box.element in chapter_ends:
            return None
        kept = _kept_lines(paragraph)
        if kept is None:
            return None
        lines, bottom = kept
        if not overflow and not context.overflows_page(paragraph.bottom_space, bottom):
            return None  # the lines fit with their notes whole
        extra = [
            descendant.footnote
            for line in (paragraph.line, *lines)
            for descendant in line.descendants()
            if descendant.footnote is not None and descendant.footnote in context.footnotes
        ]
        for note in extra:
            original_layout(context, note)
        cut = _cut_last_note(context, paragraph.bottom_space, bottom)
        if cut is None or context.overflows_page(paragraph.bottom_space, bottom):
            if cut is not None:
                put_back(context, cut, unlayout_extra=False)
            for note in extra:
                original_unlayout(context, note)
            return None
        cut.extra, cut.trigger = extra, trigger
        return cut

    def _kept_lines(paragraph: _Paragraph) -> tuple[list, float] | None:
        """The lines that must stay with the current one, and the bottom of the last: enough
        for ``orphans`` on this page and ``widows`` on the next (``None``: they cannot)."""
        box, line = paragraph.box, paragraph.line
        orphans, widows = box.style["orphans"], box.style["widows"]
        ahead: list[Any] = []
        if paragraph.resume_at is not None:
            bottom = line.position_y + line.height
            following = inline.iter_line_boxes(  # (unpatched: a look ahead, not the layout)
                paragraph.context,
                paragraph.child,
                bottom,
                paragraph.bottom_space,
                paragraph.resume_at,
                box,
                [],
                [],
                None,
                None,
            )
            for next_line, _resume in following:
                ahead.append(next_line)
                if len(ahead) >= orphans + widows:
                    break
        before = len(paragraph.placed)
        # (a look ahead stopped early counts fewer lines than there are: the first count that
        # suits it leaves more than widows lines, which suits the paragraph too)
        remaining = 1 + len(ahead)
        for count in range(1, remaining + 1):
            left = remaining - count
            if (before + count >= orphans or left == 0) and (left == 0 or left >= widows):
                kept = [line, *ahead[: count - 1]]
                last = kept[-1]
                bottom = last.position_y + last.height
                if left == 0:
                    bottom += box.border_bottom_width + box.padding_bottom
                return kept[1:], bottom
        return None

    def _cut_last_note(context: Any, bottom_space: float, bottom: float) -> _Break | None:
        """The page's last note cut so that the footnote area ends at the page's foot with the
        text ending at *bottom* (``None``: it cannot be cut between lines that way)."""
        area = context.current_footnote_area
        if not area.children:
            return None
        free = context.page_bottom + area.margin_height() - bottom_space - bottom
        laid = block.block_level_layout(
            context, build.create_anonymous_boxes(area.deepcopy()), -inf, None, area.page
        )[0]
        below = laid.margin_height() - (laid.content_box_y() - laid.position_y) - laid.height
        limit = laid.position_y + free - below
        last = laid.children[-1]
        lines = last.children
        if not lines or not all(isinstance(line, boxes.LineBox) for line in lines):
            return None
        fitting = sum(line.position_y + line.height <= limit + ROUNDING for line in lines)
        count = min(fitting, len(lines) - last.style["widows"])
        if count < last.style["orphans"] or fitting >= len(lines):
            return None
        notes = context.current_page_footnotes
        note = next((n for n in notes if n.element is last.element), None)
        if note is None or getattr(note, RESUME, None) is not None:
            return None  # (a remainder is not broken again)
        head, rest = note.copy(), note.copy()
        head.style = note.style.copy()
        head.style["max_lines"] = count
        rest.style = note.style.copy()
        rest.style["box_decoration_break"] = "clone"  # it keeps the rule between the series
        resume, label = lines[count - 1].resume_at, _continued_label(note)
        if note.children and isinstance(note.children[0], boxes.LineBox):
            rest, resume = _labelled(rest, {0: resume}, label)
        else:  # (inline children, wrapped in a line box as the note is laid out)
            rest, resume = _labelled(rest, resume, label)
            resume = {0: resume}
        setattr(rest, RESUME, resume)
        notes[notes.index(note)] = head
        context._update_footnote_area()
        return _Break(note, head, rest)

    # the broken note reported, or taken back with its paragraph (or a note the break brought,
    # or the one that caused it): the page is being rearranged, the broken note is whole again
    # (a reported note keeps the notes laid out early: their lines stay; a taken back one's
    # paragraph leaves the page with them)
    def _involved(context: Any, footnote: Any) -> _Break | None:
        cut = breaks.get(id(context))
        if cut is not None and footnote in (cut.note, cut.head, cut.trigger, *cut.extra):
            return breaks.pop(id(context))
        return None

    def report_footnote(self: Any, footnote: Any) -> None:
        if (cut := _involved(self, footnote)) is not None:
            put_back(self, cut, unlayout_extra=False)
            footnote = cut.note if footnote is cut.head else footnote
        original_report(self, footnote)

    def unlayout_footnote(self: Any, footnote: Any) -> None:
        if (cut := _involved(self, footnote)) is not None:
            put_back(self, cut, unlayout_extra=True)
        original_unlayout(self, footnote)

    def block_level_layout(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        resume = getattr(box, RESUME, None)
        if resume is not None and len(args) > 1 and args[1] is None:
            args = (args[0], resume, *args[2:])
        return original_block(context, box, *args, **kwargs)

    def make_page(context: Any, *args: Any) -> Any:
        breaks.pop(id(context), None)
        try:
            return original_make_page(context, *args)
        finally:
            cut = breaks.pop(id(context), None)
            if cut is not None:  # the remainder opens the next page's notes
                context.reported_footnotes.insert(0, cut.rest)

    with (
        _paragraphs_being_set(paragraphs),
        patched(
            (block, "block_level_layout", block_level_layout),
            (page_layout, "make_page", make_page),
            (LayoutContext, "layout_footnote", layout_footnote),
            (LayoutContext, "report_footnote", report_footnote),
            (LayoutContext, "unlayout_footnote", unlayout_footnote),
            kept=(breaks,),
        ) as originals,
    ):
        (
            original_block,
            original_make_page,
            original_layout,
            original_report,
            original_unlayout,
        ) = originals
        yield


@contextmanager
def notes_deferred_over_a_band() -> Iterator[None]:
    """While active, a note that takes its line to the next page goes there alone when keeping
    the line here saves more than :data:`BAND` lines (see the module's doc, 6).

    ``_linebox_layout`` reports a note that does not fit (``LayoutContext.report_footnote``) and
    then reads the note's ``footnote-policy``: ``line`` moves the line, ``auto`` keeps it. The
    room the move would leave is measured when the note is reported (``_band_if_moved``: the
    line, the lines that would go with it, their notes off the page): more than ``BAND`` lines,
    and the note's policy becomes ``auto``. A note of an earlier line, which WeasyPrint reports
    to make room for a line, is left to :func:`notes_stay_with_their_calls`.
    """
    from weasyprint.layout import LayoutContext, inline

    setting: list[_Paragraph] = []  # (kept by :func:`_paragraphs_being_set`)

    def report_footnote(self: Any, footnote: Any) -> None:
        original_report(self, footnote)
        paragraph = setting[-1] if setting else None
        if (
            paragraph is None
            or paragraph.context is not self
            or paragraph.line is None
            or self.in_column
            or footnote.style["footnote_policy"] != "line"
        ):
            return
        line = paragraph.line
        if all(descendant.footnote is not footnote for descendant in line.descendants()):
            return  # a note of an earlier line, reported to make room (2 takes it back)
        if _band_if_moved(self, paragraph) > BAND * line.height:
            footnote.style = footnote.style.copy()
            footnote.style["footnote_policy"] = "auto"
            setattr(footnote, DEFERRED, True)

    def _band_if_moved(context: Any, paragraph: _Paragraph) -> float:
        """The room left above the notes if the line goes to the next page (``line``), with
        the lines ``_break_line`` sends with it (all the paragraph's, short of ``orphans``;
        enough for ``widows``) and their notes."""
        box, line, placed = paragraph.box, paragraph.line, paragraph.placed
        orphans, widows = box.style["orphans"], box.style["widows"]
        following = 0
        if paragraph.resume_at is not None and widows > 1:
            for _next in inline.iter_line_boxes(  # (unpatched: a look ahead, not the layout)
                context,
                paragraph.child,
                line.position_y + line.height,
                paragraph.bottom_space,
                paragraph.resume_at,
                box,
                [],
                [],
                None,
                None,
            ):
                following += 1
                if following >= widows - 1:
                    break
        needed = max(0, widows - 1 - following)
        spare = len(placed) - orphans
        if spare < 0 or needed > spare:  # the whole paragraph goes
            moving = [*placed, line]
        else:
            moving = [*placed[len(placed) - needed :], line]
        called = {descendant.footnote for moved in moving for descendant in moved.descendants()}
        notes = context.current_page_footnotes
        kept = [note for note in notes if note not in called]
        if len(kept) == len(notes):
            return context.page_bottom - paragraph.bottom_space - moving[0].position_y
        saved = list(notes)
        notes[:] = kept
        context._update_footnote_area()
        room = context.page_bottom - paragraph.bottom_space - moving[0].position_y
        notes[:] = saved
        context._update_footnote_area()
        return room

    with (
        _paragraphs_being_set(setting),
        patched((LayoutContext, "report_footnote", report_footnote)) as (original_report,),
    ):
        yield


@contextmanager
def rows_break_in_one_cell() -> Iterator[None]:
    """While active, a table row breaks only in one cell, the others whole (module doc, 5).

    ``table_layout`` lays a row's cells out one by one (``block_container_layout``), then, when
    one of them broke, asks ``avoid_page_break`` whether the row may break. The cells' layouts
    are recorded by column (a new row starts at column 0; a cell's own content is laid out
    inside its call and is not recorded), and the question that follows a row with a broken
    cell is answered "avoid" when another cell broke too, or a cell has no line on this page.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import block

    cells: dict[int, str] = {}  # column → "whole", "broken" or "gone" (no line on this page)
    depth = 0

    def block_container_layout(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal depth
        if not isinstance(box, boxes.TableCellBox) or depth or not box.children:
            # (an empty cell, or the empty copy WeasyPrint lays out for a cell gone whole to
            # the next page, says nothing of the row)
            return original_layout(context, box, *args, **kwargs)
        if box.grid_x == 0:
            cells.clear()
        depth += 1
        try:
            result = original_layout(context, box, *args, **kwargs)
        finally:
            depth -= 1
        laid, resume_at = result[0], result[1]
        printed = laid is not None and any(
            isinstance(part, boxes.LineBox) for part in laid.descendants()
        )
        if not printed:
            cells[box.grid_x] = "gone"
        else:
            cells[box.grid_x] = "broken" if resume_at is not None else "whole"
        return result

    def avoid_page_break(page_break: Any, context: Any) -> bool:
        if depth or not cells:
            return original_avoid(page_break, context)
        kinds = list(cells.values())
        cells.clear()  # the question that follows a row's cells
        if kinds.count("whole") == len(kinds):  # (not about a broken row: a table's own)
            return original_avoid(page_break, context)
        in_one_cell = kinds.count("broken") == 1 and kinds.count("whole") == len(kinds) - 1
        return original_avoid(page_break, context) or not in_one_cell

    with patched(
        (block, "block_container_layout", block_container_layout),
        (block, "avoid_page_break", avoid_page_break),
        kept=(cells,),
    ) as (original_layout, original_avoid):
        yield


@contextmanager
def no_word_broken_across_pages() -> Iterator[None]:
    """While active, a paragraph's last line on a page is set without a hyphen (module doc, 7).

    ``_linebox_layout`` sets a paragraph's lines until the page is full and returns where the
    paragraph resumes. When it resumes after a hyphen WeasyPrint added, the last line is set
    again from where it began with ``hyphens: manual`` on the paragraph's boxes, for that line
    alone, and the paragraph resumes where the new line ends. A note's lines cut by
    ``max-lines`` (4) and the lines of a column are left as they are.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import block, inline

    def linebox_layout(
        context: Any, box: Any, index: int, child: Any, new_children: list, *args: Any
    ) -> Any:
        first = len(new_children)
        result = original(context, box, index, child, new_children, *args)
        bottom_space, skip_stack = args[4], args[6]  # (after page_is_empty and three lists)
        abort, _stop, resume_at, _position_y, _notes, max_lines = result
        if abort or resume_at is None or max_lines is not None or context.in_column:
            return result
        if len(new_children) - first < 1 or new_children[-1].resume_at is None:
            return result
        last = new_children[-1]
        if not _ends_hyphenated(last):
            return result
        begins = new_children[-2].resume_at if len(new_children) - first >= 2 else skip_stack
        if begins is None:
            return result  # (the paragraph's first line: its indent would be set again)
        line, resumes = _set_unhyphenated(context, box, child, last, begins, bottom_space)
        if line is None:
            return result
        line.resume_at = resumes
        new_children[-1] = line
        return (abort, _stop, {index: resumes}, line.position_y + line.height, *result[4:])

    def _ends_hyphenated(line: Any) -> bool:
        texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
        if not texts:
            return False
        last = texts[-1]
        mark = last.style["hyphenate_character"]
        return bool(mark) and last.text.endswith(mark) and last.style["hyphens"] == "auto"

    def _set_unhyphenated(
        context: Any, box: Any, child: Any, last: Any, begins: Any, bottom_space: float
    ) -> tuple[Any, Any]:
        """The line that begins at *begins*, set without hyphenating, and where it resumes;
        ``(None, None)`` where it would open word spaces wider than :data:`LOOSEST_SPACE`."""
        styles = {id(part.style): part.style for part in child.descendants()}
        styles[id(child.style)] = child.style
        hyphenating = [style for style in styles.values() if style["hyphens"] == "auto"]
        for style in hyphenating:
            style["hyphens"] = "manual"
        try:
            lines = inline.iter_line_boxes(
                context, child, last.position_y, bottom_space, begins, box, [], [], None, None
            )
            line, resumes = next(lines, (None, None))
        finally:
            for style in hyphenating:
                style["hyphens"] = "auto"
        if line is None or resumes is None or _widest_space(line) > LOOSEST_SPACE:
            return None, None
        return line, resumes

    def _widest_space(line: Any) -> float:
        """The widest word space of the line, in ems of its text: the space the justification
        adds, and the font's own taken as a quarter em."""
        widest = 0.0
        for part in line.descendants():
            if isinstance(part, boxes.TextBox) and " " in part.text:
                size = part.style["font_size"]
                spacing = getattr(part, "justification_spacing", 0) or 0
                widest = max(widest, (spacing + 0.25 * size) / size)
        return widest

    with patched((block, "_linebox_layout", linebox_layout)) as (original,):
        yield


@contextmanager
def carried_notes_kept() -> Iterator[None]:
    """While active, a page laid out again starts with the notes the page before it carried
    the last time that page was laid out (module doc, 8).

    ``make_all_pages`` calls ``remake_page`` for each page to lay out, in order, and skips the
    others; the notes carried to a page are ``LayoutContext.reported_footnotes`` when it
    starts.
    """
    from weasyprint.layout import page as page_layout

    carried: dict[int, list] = {}  # page index → the notes carried to it

    def remake_page(index: int, context: Any, *args: Any) -> Any:
        if index in carried:
            context.reported_footnotes = list(carried[index])
        result = original(index, context, *args)
        carried[index + 1] = list(context.reported_footnotes)
        return result

    with patched((page_layout, "remake_page", remake_page), kept=(carried,)) as (original,):
        yield
