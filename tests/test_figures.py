"""The timeline and the map as drawn: every label measured with the font print sets it in
(Pillow reads the glyph boxes of the packaged Source Serif), so that "no overlap" is checked on
the real widths, not on the layout's own estimate."""

from __future__ import annotations

import itertools
import math
import re
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import DOCS
from sphinx_critical_edition.check import checked_layer
from sphinx_critical_edition.errors import EditionError
from sphinx_critical_edition.figures import map_svg, timeline_svg
from sphinx_critical_edition.model import ChronologyEvent, Located, RegisterEntry
from sphinx_critical_edition.pdf.fonts import FONT_DIR
from sphinx_critical_edition.timeline import printed_date

NS = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


@cache
def _font(face: str, size: float):  # -> ImageFont
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_DIR / f"SourceSerifPro-{face}.ttf"), round(size * 20))


def ink_box(text: ElementTree.Element) -> Box:
    """The box (left, top, right, bottom) the glyphs of an SVG <text> cover, as printed."""
    size = float(text.get("font-size"))
    face = {"bold": "Bold"}.get(text.get("font-weight", ""), "")
    face = face or ("It" if text.get("font-style") == "italic" else "Regular")
    left, top, right, bottom = (v / 20 for v in _font(face, size).getbbox(text.text, anchor="ls"))
    x, y = float(text.get("x")), float(text.get("y"))
    width = right - left
    shift = {"end": -width - left, "middle": -width / 2 - left}.get(text.get("text-anchor"), 0.0)
    return (x + left + shift, y + top, x + right + shift, y + bottom)


def meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_meets(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Whether the segment a–b passes through *box* (sampled every half unit)."""
    steps = max(1, int(math.dist(a, b) * 2))
    return any(
        box[0] < a[0] + (b[0] - a[0]) * i / steps < box[2]
        and box[1] < a[1] + (b[1] - a[1]) * i / steps < box[3]
        for i in range(steps + 1)
    )


@cache
def layer():  # the edition's own data
    return checked_layer(DOCS).layer


def event(date: str, cert: str = "high", short: str = "", i: int = 0) -> ChronologyEvent:
    return ChronologyEvent(
        id=f"e{date}-{i}", date=date, title=f"Event {i}", sources=("x",), cert=cert, at=None,
        short=short,
    )  # fmt: skip


# --- the timeline ---------------------------------------------------------------------------


def _year(circle: ElementTree.Element) -> int:
    """A dot's year: the first of its title's printed date ("July 1946–April 1952: …")."""
    return int(re.search(r"\b(1[89]\d\d)\b", circle.find(f"{NS}title").text)[1])


def test_each_column_stands_over_its_year_between_its_ticks() -> None:
    """The year labels were rotated and stacked as a staircase over 1952, so that a label could
    be read as another column's: a year's dots stand between its tick and the next, every year
    is ticked and every fifth labelled, upright, under the axis."""
    events = layer().chronology
    svg = ElementTree.fromstring(timeline_svg(events, lambda e: "#x"))
    axis = float(svg.find(f"{NS}line[@class='ce-timeline-axis']").get("y1"))
    ticks = [
        float(t.get("x1")) for t in svg.iter(f"{NS}line") if t.get("class") == "ce-timeline-tick"
    ]
    assert ticks == sorted(ticks) and len(ticks) == 1990 - 1935 + 1
    years = [t for t in svg.iter(f"{NS}text") if t.get("class") == "ce-timeline-year"]
    assert [t.text for t in years] == [str(y) for y in range(1935, 1991, 5)]
    for label in years:
        assert label.get("transform") is None and float(label.get("y")) > axis
        assert float(label.get("x")) == ticks[int(label.text) - 1935]
    circles = list(svg.iter(f"{NS}circle"))
    assert len(circles) == len(events)
    for circle in circles:
        year = _year(circle)
        assert ticks[year - 1935] < float(circle.get("cx")) < ticks[year - 1935 + 1], year
        assert float(circle.get("cy")) < axis
    in_1952 = [c for c in circles if _year(c) == 1952]
    assert len({c.get("cx") for c in in_1952}) == 1 and len(in_1952) >= 10


def test_the_key_events_are_named_by_their_year_s_column() -> None:
    """The dots had no names: each event with a short label is named in a block headed by its
    year, beside a hairline that rises from the top of that year's column."""
    events = layer().chronology
    shorts = {e.short: e for e in events if e.short}
    assert len(shorts) >= 8
    svg = ElementTree.fromstring(timeline_svg(events, lambda e: "#x"))
    columns = {}
    for circle in svg.iter(f"{NS}circle"):
        year = _year(circle)
        columns.setdefault(year, []).append((float(circle.get("cx")), float(circle.get("cy"))))
    named = []
    for block in (g for g in svg.iter(f"{NS}g") if g.get("class") == "ce-timeline-key"):
        hairline = block.find(f"{NS}line")
        heading, *labels = [t.text for t in block.iter(f"{NS}text")]
        year = int(heading)
        x = float(hairline.get("x1"))
        assert x == float(hairline.get("x2")) == columns[year][0][0]
        top_dot = min(cy for _cx, cy in columns[year])
        assert float(hairline.get("y1")) < top_dot  # from the column's top, upwards
        for label in labels:
            assert shorts[label].year == year
        texts = list(block.iter(f"{NS}text"))
        assert texts[0].get("font-weight") == "bold"
        named += labels
    assert sorted(named) == sorted(shorts)


def test_the_timeline_labels_cover_nothing() -> None:
    """Measured with the printed font: no label covers another label, a dot or a hairline."""
    svg = ElementTree.fromstring(timeline_svg(layer().chronology, lambda e: "#x"))
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    texts = [t for t in svg.iter(f"{NS}text")]
    boxes = [(t.text, ink_box(t)) for t in texts]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not meets(box_a, box_b), (a, b)
    for name, (left, top, right, bottom) in boxes:
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, name
    for circle in svg.iter(f"{NS}circle"):
        cx, cy, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
        for name, (left, top, right, bottom) in boxes:
            nearest = (min(max(cx, left), right), min(max(cy, top), bottom))
            assert math.dist(nearest, (cx, cy)) >= r, (name, cx, cy)
    for block in (g for g in svg.iter(f"{NS}g") if g.get("class") == "ce-timeline-key"):
        line = block.find(f"{NS}line")
        a = (float(line.get("x1")), float(line.get("y1")))
        b = (float(line.get("x2")), float(line.get("y2")))
        own = {id(t) for t in block.iter(f"{NS}text")}
        for text in texts:
            if id(text) not in own:
                assert not segment_meets(a, b, ink_box(text)), text.text


def test_the_uncertain_events_stay_hollow() -> None:
    svg = ElementTree.fromstring(
        timeline_svg([event("1952-04-09"), event("1952-04-12", "low", i=1)], lambda e: "#x")
    )
    paints = [(c.get("class"), c.get("fill")) for c in svg.iter(f"{NS}circle")]
    assert paints == [
        ("ce-timeline-event ce-cert-high", "#8a3b12"),
        ("ce-timeline-event ce-cert-low", "none"),
    ]


def test_the_timeline_describes_itself_for_screen_readers() -> None:
    """The figure's description lists every event, by year, with its date (the dots alone
    told a screen reader nothing but their count)."""
    events = layer().chronology
    svg = ElementTree.fromstring(timeline_svg(events, lambda e: "#x"))
    desc = svg.find(f"{NS}desc")
    assert svg.get("aria-describedby") == desc.get("id")
    for e in events:
        assert f"{e.title} ({printed_date(e.date, e.end)})" in desc.text, e.id
    assert desc.text.index("1952: ") < desc.text.index("1953: ")


def test_a_timeline_without_room_for_a_label_is_an_error() -> None:
    long = "A label far too long for the figure"
    with pytest.raises(EditionError, match=r"short labels .* shorten or remove"):
        timeline_svg([event("1952-04-09", short=long)], lambda e: "#x", width=120)


def test_an_empty_chronology_draws_an_empty_axis() -> None:
    svg = ElementTree.fromstring(timeline_svg([], lambda e: "#x"))
    assert not list(svg.iter(f"{NS}circle")) and svg.find(f"{NS}desc").text == "No events."


def test_the_timeline_labels_fit_in_the_figure() -> None:
    svg = ElementTree.fromstring(
        timeline_svg([event("1935-01-01"), event("1985-01-01", "low", i=1)], lambda e: "#x")
    )
    width = float(svg.get("viewBox").split()[2])
    years = [t for t in svg.iter(f"{NS}text") if t.get("class") == "ce-timeline-year"]
    assert years[-1].text == "1990"  # "1990" was cut to "199"
    for label in years:  # centred on its tick and inside the figure, whatever CSS applies
        assert label.get("text-anchor") == "middle"
        assert ink_box(label)[2] <= width


# --- the map --------------------------------------------------------------------------------


def _map() -> ElementTree.Element:
    register = layer().register
    places = [e for e in register.values() if e.type == "place" and e.coordinates]
    assert len(places) > 10
    return ElementTree.fromstring(map_svg(places, lambda e: "#x", "BOL"))


def _segments(svg: ElementTree.Element) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Every border drawn: the country's outline and its neighbours'."""
    out = []
    for path in svg.iter(f"{NS}path"):
        for ring in path.get("d").split("Z"):
            points = [tuple(map(float, p)) for p in re.findall(r"([-\d.]+),([-\d.]+)", ring)]
            out += list(zip(points, [*points[1:], points[:1][0]] if points else [], strict=False))
    return out


def test_map_labels_cover_no_other_label_no_dot_and_no_border() -> None:
    """La Paz and El Alto, Catavi and Siglo XX printed over each other, and "Lake Titicaca"
    ran across the border: each label of the map (measured with the font it is set in) is clear
    of every other label, of every dot and of every border."""
    svg = _map()
    dots = [
        (float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in svg.iter(f"{NS}circle")
    ]
    labels = [t for t in svg.iter(f"{NS}text") if t.get("class") != "ce-map-scale-label"]
    boxes = [(t.text, ink_box(t)) for t in labels]
    assert len(dots) == len([t for t in labels if t.get("class") is None]) > 10
    for (name, a), (other, b) in itertools.combinations(boxes, 2):
        assert not meets(a, b), (name, other)
    for name, (left, top, right, bottom) in boxes:
        for cx, cy, r in dots:
            nearest = (min(max(cx, left), right), min(max(cy, top), bottom))
            assert math.dist(nearest, (cx, cy)) >= r, (name, cx, cy)
    borders = _segments(svg)
    assert len(borders) > 1000
    for name, box in boxes:
        crossing = [s for s in borders if segment_meets(*s, box)]
        assert not crossing, (name, crossing[:2])


def test_the_map_names_the_neighbours_inside_their_outlines() -> None:
    """No neighbouring country was drawn or named: Peru, Chile, Argentina, Paraguay and Brazil
    are, lightly, each name inside that country's outline."""
    svg = _map()
    names = {t.text: t for t in svg.iter(f"{NS}text") if t.get("class") == "ce-map-neighbour-name"}
    assert set(names) == {"Peru", "Chile", "Argentina", "Paraguay", "Brazil"}
    neighbours = [p for p in svg.iter(f"{NS}path") if p.get("class") == "ce-map-neighbour"]
    country = next(p for p in svg.iter(f"{NS}path") if p.get("class") == "ce-map-country")
    assert len(neighbours) == 5
    assert all(p.get("fill") != country.get("fill") for p in neighbours)
    assert all(t.get("fill") == "#555" and t.get("font-style") == "italic" for t in names.values())
    for name, text in names.items():  # the name's middle lies in exactly one outline
        x, y = float(text.get("x")), float(text.get("y")) - 4
        holders = [p for p in [*neighbours, country] if _inside(p.get("d"), x, y)]
        assert len(holders) == 1 and holders[0] is not country, name


def _inside(d: str, x: float, y: float) -> bool:
    crossings = 0
    for ring in d.split("Z"):
        points = [tuple(map(float, p)) for p in re.findall(r"([-\d.]+),([-\d.]+)", ring)]
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def test_the_map_scale_bar_measures_true_distances() -> None:
    """The bar says 200 km: La Paz to Oruro, about 190 km apart on the ground (haversine), are
    that far apart on the map at the bar's scale."""
    here = Located(Path("places.yaml"), 1)
    places = [
        RegisterEntry("la-paz", "place", "La Paz", "d", (), here, coordinates=(-16.5, -68.15)),
        RegisterEntry("oruro", "place", "Oruro", "d", (), here, coordinates=(-17.967, -67.117)),
    ]
    svg = ElementTree.fromstring(map_svg(places, lambda e: "#x", "BOL"))
    (a, b) = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{NS}circle")]
    bar = next(g for g in svg.iter(f"{NS}g") if g.get("class") == "ce-map-scale")
    line = bar.find(f"{NS}line")
    assert bar.find(f"{NS}text").text == "200 km"
    per_km = (float(line.get("x2")) - float(line.get("x1"))) / 200
    lat1, lon1, lat2, lon2 = map(math.radians, (-16.5, -68.15, -17.967, -67.117))
    ground = (
        2
        * 6371
        * math.asin(
            math.sqrt(
                math.sin((lat2 - lat1) / 2) ** 2
                + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
            )
        )
    )
    assert math.dist(a, b) / per_km == pytest.approx(ground, rel=0.03)
