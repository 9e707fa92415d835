"""Two things WeasyPrint does not do that a printed edition needs, added around its layout.

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

Both reach into WeasyPrint's internals (``LayoutContext._update_footnote_area``,
``pdf.tags._build_box_tree``); ``pyproject.toml`` pins WeasyPrint's major version, and
``tests/test_pdf_print.py`` reads both results back from the PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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

    original = LayoutContext._update_footnote_area

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

    LayoutContext._update_footnote_area = update_footnote_area
    try:
        yield
    finally:
        LayoutContext._update_footnote_area = original


@contextmanager
def whole_elements(sources: dict[int, Any]) -> Iterator[None]:
    """While active, *sources* maps each structure element WeasyPrint tags to its HTML element."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)
        for struct in original(box, *args):
            sources.setdefault(id(struct), element)  # inner calls record first
            yield struct

    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        tags._build_box_tree = original


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
