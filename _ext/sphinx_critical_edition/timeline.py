"""The timeline: the chronology's events as dots in a column over their year, key events named.

Every year is ticked on the axis and every fifth is labelled under it; a year's events stand in
a column between its tick and the next (earliest at the bottom), so a column is read against the
axis. The events with a ``short`` label in the chronology are named in a block headed by the
year, set beside a hairline that rises from the top of the year's column. Each block goes as low
as it can without covering a dot, another block or another block's hairline; every label is
measured with the font print sets it in. The figure summarises; the chronology list, which
follows it, is the authority, and the SVG's description lists the events for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from itertools import groupby
from typing import Any

from .errors import EditionError
from .model import ChronologyEvent
from .svgtext import ACCENT, INK, MUTED, SVG_FONTS, Box, grown, label_box, overlaps

#: label size in the figure's units: print scales the 720 units to the 154 mm measure, so
#: 12.5 units are about 7.6 pt
FONT = 12.5
#: a block's line spacing; a column's dots, centre to centre; a dot's radius
LINE, ROW, DOT = 1.2 * FONT, 10.5, 4.0
#: the lowest dot's centre above the axis; the gap between a hairline and its block's text
BASE, GAP = 8.0, 3.0
#: what the figure spends below the axis (ticks and year labels) and above the highest block
BELOW, ABOVE = 26.0, 4.0


@dataclass
class _Column:
    """A year's events, stacked at *x* (the middle of the year on the axis)."""

    year: int
    x: float
    events: list[ChronologyEvent]

    @property
    def top(self) -> float:
        """The height above the axis of the column's top (its last dot, and a little air)."""
        return BASE + (len(self.events) - 1) * ROW + DOT + 2


@dataclass
class _Block:
    """A year and the short labels of its key events, beside the hairline from its column.

    Heights are measured upwards from the axis: *base* is the block's lowest point."""

    year: int
    x: float
    foot: float  # where the hairline starts, at the column's top
    lines: list[str]
    anchor: str = "start"
    base: float = 0.0
    wide: float = 0.0  # the longest line's width, measured once (``replace`` keeps it)

    def __post_init__(self) -> None:
        if not self.wide:
            self.wide = max(
                _line_box(0, 0, "start", line, i == 0)[2] for i, line in enumerate(self.lines)
            )

    def width(self) -> float:
        return self.wide

    def box(self) -> Box:
        """(left, bottom, right, top): heights above the axis."""
        left = self.x + GAP if self.anchor == "start" else self.x - GAP - self.width()
        return (
            left,
            self.base,
            left + self.width(),
            self.base + FONT + (len(self.lines) - 1) * LINE,
        )

    def baselines(self) -> list[float]:
        """Each line's baseline, as a height above the axis (the year first, at the top)."""
        last = self.base + 0.25 * FONT
        return [last + (len(self.lines) - 1 - i) * LINE for i in range(len(self.lines))]

    def hairline(self) -> Box:
        return (self.x, self.foot, self.x, self.box()[3])


def _line_box(x: float, y: float, anchor: str, text: str, heading: bool) -> Box:
    return label_box(x, y, anchor, text, FONT, "Bold" if heading else "Regular")


def _meets(a: Box, b: Box) -> bool:
    """Whether two boxes (left, bottom, right, top) touch, a segment being a flat box."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _place_blocks(blocks: list[_Block], dots: list[Box], width: float) -> None:
    """Each block right or left of its hairline, as low as it can go clear of every dot, of the
    other blocks and of their hairlines, the choice of sides keeping the figure lowest.

    A block placed first as low as it can go may take the only room of a later one (one year's
    labels, set left of its column, cut the hairline an earlier year needs, whose labels then had
    nowhere to go), so each side of each block is tried, in three orders (tallest columns
    first, from the left, from the right), and the lowest layout is kept."""
    best: list[Any] = [(math.inf, math.inf), None]
    for order in (
        sorted(blocks, key=lambda b: (-b.foot, b.x)),
        sorted(blocks, key=lambda b: b.x),
        sorted(blocks, key=lambda b: -b.x),
    ):
        _search(order, dots, width, best, [1500])
    if best[1] is None:
        raise EditionError(
            "the timeline has no room for the short labels of the chronology: shorten or "
            "remove some (the events' short field)"
        )
    for block in blocks:
        block.anchor, block.base = best[1][block.year]


def _search(
    order: list[_Block],
    dots: list[Box],
    width: float,
    best: list[Any],
    budget: list[int],
    placed: tuple[_Block, ...] = (),
    height: float = 0.0,
) -> None:
    """Depth first: the next block of *order* on each side it fits, lower first; *best* keeps
    the lowest complete layout ((height, sum of the blocks' tops), {year: (side, base)});
    *budget* caps the steps."""
    budget[0] -= 1
    if height > best[0][0] or budget[0] < 0:
        return
    if len(placed) == len(order):  # the lowest figure, then the blocks lowest in it
        score = (height, sum(b.box()[3] for b in placed))
        if score < best[0]:
            best[:] = [score, {b.year: (b.anchor, b.base) for b in placed}]
        return
    options = set()
    later = order[len(placed) + 1 :]
    for anchor in ("start", "end"):
        block = replace(order[len(placed)], anchor=anchor)
        left, _, right, _ = block.box()
        # as low as it goes, or high enough to leave room below for the labels of a later
        # column it spans (whose hairline would cross it)
        under = [
            b.foot + 2 + b.box()[3] - b.base + 4 for b in later if left - 2 <= b.x <= right + 2
        ]
        for floor in {0.0, max(under, default=0.0)}:
            base = _lowest_base(block, dots, list(placed), width, floor)
            if base is not None:
                options.add((base, anchor == "end", anchor))
    for base, _left, anchor in sorted(options):
        block = replace(order[len(placed)], anchor=anchor, base=base)
        _search(order, dots, width, best, budget, (*placed, block), max(height, block.box()[3]))


def _lowest_base(
    block: _Block, dots: list[Box], placed: list[_Block], width: float, floor: float = 0.0
) -> float | None:
    """The lowest base at which *block* (its side set) is clear, or None if it leaves the
    figure. Only the heights just above an obstacle are tried."""
    left, _, right, _ = replace(block, base=0.0).box()
    if left < 0 or right > width:
        return None
    below = [dot for dot in dots if dot[0] < right + 2 and left - 2 < dot[2]]
    boxes = [(other.box(), other.hairline()) for other in placed]
    tops = [max(block.foot + 2, floor)]
    tops += [dot[3] + 2.01 for dot in below]
    tops += [box[3] + 4.01 for box, _hairline in boxes]
    tops += [hairline[3] + 2.01 for _box, hairline in boxes]
    for base in sorted(t for t in tops if t >= tops[0]):
        trial = replace(block, base=base)
        box, hairline = trial.box(), trial.hairline()
        near, nearer = grown(box, 4), grown(box, 2)
        if not (
            any(overlaps(nearer, dot) for dot in below)
            or any(overlaps(near, other) for other, _ in boxes)
            or any(_meets(nearer, line) for _, line in boxes)
            or any(_meets(hairline, grown(other, 2)) for other, _ in boxes)
        ):
            return round(base, 1)
    return None


def timeline_svg(
    events: list[ChronologyEvent],
    link: Callable[[ChronologyEvent], str],
    width: int = 720,
    title: Callable[[str], str] = str,
) -> str:
    """The events as columns of dots over an axis of years, from the lustrum of the first event
    on; *title* sets an event's title or short label (typography) for print."""
    years = [event.year for event in events] or [2000]
    first, last = 5 * (min(years) // 5), 5 * -(-(max(years) + 1) // 5)
    margin = 28  # room for the last lustrum's label, centred on its tick
    scale = (width - 2 * margin) / (last - first)

    def tick(year: float) -> float:
        return round(margin + (year - first) * scale, 1)

    columns = [
        _Column(year, tick(year + 0.5), list(group))
        for year, group in groupby(sorted(events, key=lambda e: (e.date, e.id)), lambda e: e.year)
    ]
    dots = [
        (column.x - DOT - 1, BASE + i * ROW - DOT - 1, column.x + DOT + 1, BASE + i * ROW + DOT + 1)
        for column in columns
        for i in range(len(column.events))
    ]
    blocks = [
        _Block(column.year, column.x, column.top, [str(column.year), *shorts])
        for column in columns
        if (shorts := [title(e.short) for e in column.events if e.short])
    ]
    _place_blocks(blocks, dots, width)
    rise = max([BASE, *(c.top for c in columns), *(b.box()[3] for b in blocks)])
    height = round(rise + ABOVE + BELOW)
    axis = height - BELOW

    def y(up: float) -> float:
        return round(axis - up, 1)

    parts = [
        f'<svg class="ce-timeline" aria-labelledby="ce-timeline-title" '
        f'aria-describedby="ce-timeline-desc" font-family="{SVG_FONTS}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="ce-timeline-title">Timeline of the events the texts mention, '
        f"{min(years)}–{max(years)}</title>",
        f'<desc id="ce-timeline-desc">{escape(_description(columns, title))}</desc>',
        f'<line class="ce-timeline-axis" stroke="{MUTED}" x1="{margin}" y1="{axis}" '
        f'x2="{width - margin}" y2="{axis}"/>',
    ]
    for year in range(first, last + 1):
        major = year % 5 == 0
        parts.append(
            f'<line class="ce-timeline-tick" stroke="{MUTED}" x1="{tick(year)}" y1="{axis}" '
            f'x2="{tick(year)}" y2="{axis + (6 if major else 4)}"/>'
        )
        if major:
            parts.append(
                f'<text class="ce-timeline-year" text-anchor="middle" font-size="{FONT}" '
                f'fill="{INK}" x="{tick(year)}" y="{axis + 19}">{year}</text>'
            )
    for block in blocks:
        x = block.x + GAP if block.anchor == "start" else block.x - GAP
        parts.append(
            f'<g class="ce-timeline-key"><line stroke="{MUTED}" stroke-width="0.6" '
            f'x1="{block.x}" y1="{y(block.foot)}" x2="{block.x}" y2="{y(block.box()[3])}"/>'
        )
        for i, (line, up) in enumerate(zip(block.lines, block.baselines(), strict=True)):
            weight = ' font-weight="bold"' if i == 0 else ""
            parts.append(
                f'<text class="ce-timeline-label" x="{x}" y="{y(up)}" text-anchor="{block.anchor}" '
                f'font-size="{FONT}" fill="{INK}"{weight}>{escape(line)}</text>'
            )
        parts.append("</g>")
    for column in columns:
        for level, event in enumerate(column.events):
            label = escape(f"{_printed(event)}: {title(event.title)}")
            # an uncertain event is a hollow dot (the caption says so)
            paint = (
                f'fill="none" stroke="{ACCENT}" stroke-width="1.5"'
                if event.cert == "low"
                else f'fill="{ACCENT}"'
            )
            parts.append(
                f'<a href="{escape(link(event))}"><circle class="ce-timeline-event '
                f'ce-cert-{event.cert}" {paint} cx="{column.x}" cy="{y(BASE + level * ROW)}" '
                f'r="{DOT}"><title>{label}</title></circle></a>'
            )
    parts.append("</svg>")
    # one element a line: a reader of the text without the tags (the search index) keeps the
    # labels apart ("1935 1940", not "19351940")
    return "\n".join(parts)


def _parts(iso: str) -> tuple[str, str, str]:
    """An ISO date ("1863-11-19", "1863-11" or "1863") as its printed day, month and year."""
    year, month, day = [*iso.split("-"), "", ""][:3]
    return (
        str(int(day)) if day else "",
        f"{date(2000, int(month), 1):%B}" if month else "",
        year,
    )


def printed_date(start: str, end: str | None = None) -> str:
    """A chronology date as the edition prints it: "19 November 1863", "November 1863", "1863";
    a range with an unspaced en dash that names a shared month or year once ("1–3 July 1863",
    "July 1863–April 1865", "1861–1865"). The data keep ISO dates; readers see one form, in the
    list and in the figure."""
    first = _parts(start)
    if not end:
        return " ".join(part for part in first if part)
    last = _parts(end)
    if first[2] == last[2] and first[0] and last[0]:
        if first[1] == last[1]:  # the same month: 1–3 July 1863
            return f"{first[0]}–{last[0]} {last[1]} {last[2]}"
        return f"{first[0]} {first[1]}–{last[0]} {last[1]} {last[2]}"
    if first[2] == last[2] and first[1] and last[1] and not (first[0] or last[0]):
        return f"{first[1]}–{last[1]} {last[2]}"  # June–July 1863
    return " ".join(p for p in first if p) + "–" + " ".join(p for p in last if p)


def _printed(event: ChronologyEvent) -> str:
    return printed_date(event.date, event.end)


def _description(columns: list[_Column], title: Callable[[str], str]) -> str:
    """The figure in words: each year's events, in order, as the columns show them."""
    years = [
        f"{column.year}: " + "; ".join(f"{title(e.title)} ({_printed(e)})" for e in column.events)
        for column in columns
    ]
    return f"Events by year, earliest first. {'. '.join(years)}." if years else "No events."
