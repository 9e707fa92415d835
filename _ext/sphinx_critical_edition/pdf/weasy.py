"""What WeasyPrint does not do that a printed edition needs, and what it does slowly.

1. **Two note series.** WeasyPrint has one footnote area and fills it in the order notes are
   laid out, reported notes first. An edition prints its series apart, as reledmac does: the
   author's numbered notes, then a rule, then the editors' lettered notes, each in the order of
   its calls. :func:`two_note_series` sorts the area's notes by (series, place in the document)
   each time WeasyPrint lays the area out, and gives the first editorial note under an author's
   note a rule above it. WeasyPrint's own list (which note was laid out last, which are carried
   to the next page) is left as it was.
2. **One structure element per HTML element.** WeasyPrint tags each page on its own, so a table
   over eight pages is eight tables, and a paragraph split by a page break two paragraphs.
   :func:`whole_elements` records which HTML element each structure element comes from, and
   :func:`merge_page_fragments` (a ``finisher``, run before the PDF is written) joins the
   fragments of one element: the repeated header row of a table becomes its one header row, each
   header cell gets ``/Scope``.
3. **Page references laid out once.** The apparatus, the list of emendations and the register
   print "(p. 16)" with ``target-counter(attr(href), page)``. WeasyPrint 70 files a target named
   by ``attr()`` under no anchor, and takes its ``page`` for a counter of the referring box's own
   page: each page holding such references is laid out with "(p. 0)", then again once its own
   page counters are known, then a third time because the total (``pages``) becomes known only
   after a pass: 156 page layouts for 86 pages. :func:`page_references_resolved_early` files
   each reference under its anchor, fills a reference to an earlier page in before its page's
   first layout, and remakes a page only when a number it prints has changed: 87 layouts. A
   forward reference (the contents) still costs its page a second layout, as it must.
4. **Each note measured once.** To know how much room the notes leave, WeasyPrint lays the
   whole footnote area out again each time a note joins the page (the ninth note of a page
   lays the eight before it out again). :func:`notes_measured_once` keeps each note's layout
   for that measure and reuses it when the same note comes again at the same place, under the
   same conditions; the area drawn on the page is laid out as before.

All reach into WeasyPrint's internals (``LayoutContext._update_footnote_area``,
``pdf.tags._build_box_tree``, ``TargetCollector.cache_target_page_counters``,
``layout.page.make_page``, ``layout.block.block_level_layout``), each only while active and
through :func:`~.patching.patched`; ``pyproject.toml`` pins
WeasyPrint's major version, and ``tests/test_pdf_print.py`` reads the results back from the PDF.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .patching import patched

AUTHOR, EDITORIAL = "ce-note-author", "ce-note-editorial"
#: the rule between the two series: 0.4 pt, like the footnote area's own
RULE_WIDTH = 0.4 * 4 / 3
RULE_GAP = 5.0


def _series(box: Any) -> int:
    classes = (box.element.get("class") or "").split() if box.element is not None else []
    return 0 if AUTHOR in classes else 1


@contextmanager
def two_note_series(root_element: Any) -> Iterator[None]:
    """While active, WeasyPrint's footnote areas list the author's notes, then the editors'."""
    from weasyprint.css.properties import Dimension
    from weasyprint.layout import LayoutContext

    order = {element: i for i, element in enumerate(root_element.iter())}
    ruled: dict[int, Any] = {}  # id of an editorial note's box → its copy with a rule above

    def with_rule(box: Any) -> Any:
        copy = ruled.get(id(box))
        if copy is None:
            copy = box.copy()
            copy.style = box.style.copy()
            copy.style["border_top_style"] = "solid"
            copy.style["border_top_width"] = RULE_WIDTH
            copy.style["border_top_color"] = box.style["color"]
            copy.style["padding_top"] = Dimension(RULE_GAP / 2, "px")
            copy.style["margin_top"] = Dimension(RULE_GAP / 2, "px")
            ruled[id(box)] = (box, copy)  # the box is kept so that its id stays its own
            return copy
        return copy[1]

    def update_footnote_area(self: Any) -> Any:
        notes = self.current_page_footnotes
        ordered = sorted(notes, key=lambda box: (_series(box), order.get(box.element, 0)))
        series = [_series(box) for box in ordered]
        if 0 in series and 1 in series:
            first = series.index(1)
            ordered[first] = with_rule(ordered[first])
        self.current_page_footnotes = ordered  # what WeasyPrint lays out as the area
        try:
            return original(self)
        finally:
            self.current_page_footnotes = notes

    with patched((LayoutContext, "_update_footnote_area", update_footnote_area)) as (original,):
        yield


def _attr_targets(box: Any, get_url_tuple: Any, anchor_name: Any) -> dict[str, list[str]] | None:
    """The anchors and counters that *box*'s ``content`` asks of ``target-counter(attr(…))``.

    ``None`` when the content also prints a counter of the box's own page (``counter(page)``):
    WeasyPrint's record is then left as it is.
    """
    targets: dict[str, list[str]] = {}
    for kind, value in box.style["content"]:
        if kind in ("counter()", "counters()"):
            return None
        if kind not in ("target-counter()", "target-counters()"):
            continue
        token, counter = value[0], value[1]
        if token[0] == "attr()":
            attribute, kind_of, fallback = token[1]
            text = box.element.get(attribute, fallback)
            if kind_of == "string":
                token = ("string", text)
            elif kind_of == "url":
                token = ("url", get_url_tuple(text, box.style.base_url))
        name = anchor_name(token) if token[1] else None
        if name is None:
            return None
        targets.setdefault(name, []).append(counter)
    return targets


@contextmanager
def page_references_resolved_early() -> Iterator[None]:
    """While active, WeasyPrint lays a page out again only when a page number on it changed.

    Three changes to ``weasyprint.css.targets.TargetCollector`` and ``layout.page.make_page``
    (WeasyPrint 70), see the module doc:

    - after the box tree is built (``check_pending_targets``), each ``target-counter(attr(href),
      page)`` is recorded under its anchor, as WeasyPrint does for ``target-counter("#id",
      page)``: WeasyPrint files an ``attr()`` target under ``None`` and takes its counter for
      one of the box's own page, so the box is remade whenever its own page's counters change;
    - ``cache_target_page_counters`` (a copy, called when a page holding a target is laid out)
      gives a referring box that is not laid out yet its text before its page's first layout,
      instead of marking it ``pending`` (a layout, then another). A box on the target's own page
      is left to WeasyPrint: ``make_page`` clears ``pending`` when it meets the box, and only
      boxes still pending once the page is made are filled in;
    - it marks a referring box already laid out as changed only when a counter it prints
      (``page``) has a new value, not whenever any of the target's page counters did.
    """
    from weasyprint.css.targets import TargetCollector, anchor_name_from_token
    from weasyprint.layout import page as page_layout
    from weasyprint.urls import get_url_tuple

    by_anchor: dict[int, dict[str, list[Any]]] = {}  # id of a collector → anchor → lookups
    waiting: list[Any] = []  # boxes marked pending while the current page is made

    def check_pending_targets(self: Any) -> None:
        original_check(self)
        index: dict[str, list[Any]] = {}
        for (box, css_token), lookup in self.counter_lookup_items.items():
            if css_token != "content":
                continue
            if None in lookup.missing_target_counters:
                targets = _attr_targets(box, get_url_tuple, anchor_name_from_token)
                if targets is not None:
                    lookup.missing_target_counters = targets
                    lookup.missing_counters = []
            for anchor in lookup.missing_target_counters:
                index.setdefault(anchor, []).append(lookup)
        by_anchor[id(self)] = index

    def cache_target_page_counters(
        self: Any, anchor_name: str, values: dict, page_maker_index: int, page_maker: list
    ) -> None:
        if self.collecting:
            return
        item = self.target_lookup_items.get(anchor_name)
        if not item or item.state != "up-to-date":
            return
        item.page_maker_index = page_maker_index
        previous = item.cached_page_counter_values
        if previous == values:
            return
        item.cached_page_counter_values = copy.deepcopy(values)
        for lookup in by_anchor.get(id(self), {}).get(anchor_name, ()):
            printed = lookup.missing_target_counters[anchor_name]
            if lookup.page_maker_index is None or lookup.page_maker_index >= len(page_maker):
                lookup.pending = True
                if lookup.page_maker_index is None and not lookup.missing_counters:
                    waiting.append(lookup)
            elif any(
                values.get(name) is not None and values.get(name) != previous.get(name)
                for name in printed
            ):
                page_maker[lookup.page_maker_index][-1]["content_changed"] = True
                lookup.parse_again(lookup.cached_page_counter_values)

    def make_page(*args: Any) -> Any:
        waiting.clear()
        try:
            return original_make_page(*args)
        finally:
            for lookup in waiting:
                if lookup.pending:  # not on the page just made: filled in before its layout
                    lookup.pending = False
                    lookup.parse_again(lookup.cached_page_counter_values)
            waiting.clear()

    with patched(
        (TargetCollector, "check_pending_targets", check_pending_targets),
        (TargetCollector, "cache_target_page_counters", cache_target_page_counters),
        (page_layout, "make_page", make_page),
        kept=(by_anchor,),
    ) as (original_check, _replaced_whole, original_make_page):
        yield


@contextmanager
def notes_measured_once() -> Iterator[None]:
    """While active, a note laid out to measure a footnote area is reused at the same place.

    ``LayoutContext._update_footnote_area`` lays the page's notes out in a copy of the area only
    to learn its height (and whether its last note overflows); that copy is then dropped. There,
    each note's layout is kept, keyed by everything it depends on: the note and its style (a
    note with the rule above it has its own), its position, the area's width, the margins it
    collapses with, the page's floats, and WeasyPrint's page state; a later measure that
    meets the same key gets a copy of the kept layout, as a new layout would give it. Notes
    whose content waits for a page number, and layouts that place positioned boxes, are
    always laid out again.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import LayoutContext, block

    kept: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    measuring = False

    def update_footnote_area(self: Any) -> Any:
        nonlocal measuring
        measuring = True
        try:
            return original_update(self)
        finally:
            measuring = False

    def block_level_layout(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        key = _measure_key(context, box, args, kwargs) if measuring else None
        if key is None or not isinstance(args[2], boxes.FootnoteAreaBox):
            return original_layout(context, box, *args, **kwargs)
        if key in kept:
            laid, rest = kept[key]
            return (laid.deepcopy(), None, dict(rest[0]), list(rest[1]), *rest[2:])
        placed = [len(positioned) for positioned in args[4:6]]
        result = original_layout(context, box, *args, **kwargs)
        laid, resume_at, next_page, margins, *others = result
        unplaced = placed == [len(positioned) for positioned in args[4:6]]
        if laid is not None and resume_at is None and unplaced and _settled(box):
            kept[key] = (laid.deepcopy(), (dict(next_page), list(margins), *others))
        return result

    with patched(
        (LayoutContext, "_update_footnote_area", update_footnote_area),
        (block, "block_level_layout", block_level_layout),
        kept=(kept,),
    ) as (original_update, original_layout):
        yield


def _measure_key(context: Any, box: Any, args: tuple, kwargs: dict) -> tuple[Any, ...] | None:
    """What a note's layout in a footnote area depends on, or ``None`` if it is not that case.

    *args* are ``block_level_layout``'s after the box, as ``_in_flow_layout`` passes them:
    bottom space, skip stack, containing block, page is empty, absolute and fixed boxes,
    adjoining margins, first-letter and first-line styles, discard, max lines.
    """
    if kwargs or len(args) != 11 or box.style["clear"] != "none":
        return None
    bottom, skip, area, empty, _absolute, _fixed, margins, letter, line, discard, lines = args
    if skip is not None or letter is not None or line is not None or lines is not None:
        return None
    shapes = tuple(
        (shape.position_x, shape.position_y, shape.margin_width(), shape.margin_height())
        for shape in context.excluded_shapes
    )
    return (
        box.element,
        box.element_tag,
        id(box.style),
        box.position_x,
        box.position_y,
        area.position_x,
        area.width,
        bottom,
        empty,
        tuple(margins),
        discard,
        context.current_page > 1,
        context.forced_break,
        context.in_column,
        shapes,
    )


def _settled(box: Any) -> bool:
    """Whether no part of *box* waits for a page number (``target-counter``, ``counter(page)``)."""
    return box.missing_link is None and all(
        _settled(child) for child in getattr(box, "children", ())
    )


@contextmanager
def whole_elements(sources: dict[int, Any]) -> Iterator[None]:
    """While active, *sources* maps each structure element WeasyPrint tags to its HTML element."""
    from weasyprint.pdf import tags

    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)
        for struct in original(box, *args):
            sources.setdefault(id(struct), element)  # inner calls record first
            yield struct

    with patched((tags, "_build_box_tree", build_box_tree)) as (original,):
        yield


def _number(reference: Any) -> int | None:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    parts = text.split()
    if len(parts) == 3 and parts[2] == "R" and parts[0].isdigit():
        return int(parts[0])
    return None


def merge_page_fragments(pdf: Any, sources: dict[int, Any]) -> None:
    """Join the structure elements that are fragments of one HTML element (see module doc).

    The footnote areas, tied to no element, are kept in page order after the body: a reader of
    the tags meets the notes after the text, as endnotes.
    """
    import pydyf

    objects = pdf.objects

    def struct(reference: Any) -> Any:
        number = _number(reference)
        obj = objects[number] if number is not None else None
        is_struct = isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
        return obj if is_struct else None

    replaced: dict[bytes, bytes] = {}

    def absorb(into: Any, other: Any) -> None:
        for kid in other["K"]:
            if isinstance(kid, int) and other.get("Pg") != into.get("Pg"):
                mcr = pydyf.Dictionary({"Type": "/MCR", "Pg": other["Pg"], "MCID": kid})
                pdf.add_object(mcr)
                kid = mcr.reference
            elif (child := struct(kid)) is not None:
                child["P"] = into.reference
            into["K"].append(kid)
        other["K"] = pydyf.Array()
        replaced[other.reference] = into.reference

    def merge(element: Any) -> None:
        kept = pydyf.Array()
        first: dict[int, Any] = {}
        for kid in element["K"]:
            child = struct(kid)
            source = sources.get(id(child)) if child is not None else None
            if source is not None and id(source) in first:
                absorb(first[id(source)], child)
                continue
            if source is not None:
                first[id(source)] = child
            kept.append(kid)
        element["K"] = kept
        for kid in kept:
            child = struct(kid)
            if child is not None:
                merge(child)
        if element.get("S") == "/TH":
            source = sources.get(id(element))
            row = source is not None and source.get("scope") == "row"
            element["A"]["Scope"] = "/Row" if row else "/Column"
            element["A"].pop("ID", None)  # repeated headers are one cell now
        elif element.get("S") == "/TD":
            element["A"].pop("Headers", None)  # /Scope says it; fragments' ids would dangle

    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    for document in (objects[_number(kid)] for kid in root["K"]):
        body, notes = pydyf.Array(), pydyf.Array()
        for kid in document["K"]:
            child = struct(kid)
            loose = child is not None and sources.get(id(child)) is None
            (notes if loose else body).append(kid)
        document["K"] = body
        merge(document)
        document["K"].extend(notes)

    def final(reference: bytes) -> bytes:
        while reference in replaced:
            reference = replaced[reference]
        return reference

    nums = objects[_number(root["ParentTree"])]["Nums"]
    for i, value in enumerate(nums):
        if isinstance(value, pydyf.Array):
            nums[i] = pydyf.Array(final(ref) for ref in value)
        elif i % 2 and isinstance(value, bytes):
            nums[i] = final(value)
