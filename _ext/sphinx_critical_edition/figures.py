"""The figures generated at build time from the edition's data, and the chronology's list.

The timeline (``timeline.py``) is drawn from ``docs/chronology.yaml``; the map (``geomap.py``)
draws the register's places with their sourced coordinates. Both are inline SVG, so they print
in the PDF too, and each comes with a text equivalent (the chronology list, the places list).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .backmatter import place_runs, split_place
from .bodies import Markup, inline_markups
from .check import checked_layer
from .config import get_manifest, setting_source
from .dependencies import note_layer_dependencies, note_web_sources
from .domain import place_label
from .errors import EditionError
from .geomap import country_outline, map_svg
from .links import page_link, source_nodes
from .loader import CHRONOLOGY, REGISTER
from .model import CERT_TEXT, ChronologyEvent
from .notes import author_note_id
from .texts import Manifest
from .timeline import printed_date, timeline_svg
from .typography import keep_together, next_sentence, typographic

__all__ = ["map_svg", "printed_date", "setup_figures", "timeline_svg"]


class _FigureDirective(SphinxDirective):
    option_spec: ClassVar = {}

    def run(self) -> list[nodes.Node]:
        note_layer_dependencies(self.env, CHRONOLOGY, REGISTER)
        note_web_sources(self.env)
        layer = checked_layer(self.env.srcdir).layer
        return self.make(layer)

    def make(self, layer: Any) -> list[nodes.Node]:
        raise NotImplementedError


#: said of a figure that keeps its width on a phone (``_scrolling``)
SCROLLS = "on a narrow screen the figure scrolls sideways."


def _scrolling(svg: str, title_id: str) -> str:
    """*svg* in a region of its own that scrolls sideways on a narrow screen: the figure keeps a
    width at which its labels are legible (``edition.css``). The keyboard can reach the region (a
    scrolled region must be focusable), which is named by the figure's title; print ignores the
    wrapper."""
    return (
        f'<div class="ce-figure-scroll" role="region" tabindex="0" '
        f'aria-labelledby="{title_id}">{svg}</div>'
    )


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
        try:  # no country, or an unknown one: an error at the directive and at the setting
            country_name, _ = country_outline(self.config.edition_map_country)
        except EditionError as exc:
            where = setting_source(self.config, "edition_map_country")
            raise self.error(f"{where}: {exc}") from None
        svg = map_svg(
            places,
            lambda e: _placeholder_link(register, f"reg-{e.id}"),
            self.config.edition_map_country,
        )
        caption = (
            "Places the texts name, at the coordinates recorded (with their sources) in the "
            f"register; outlines of {country_name} and its neighbours from Natural Earth "
            "(1:10m). The outlines include no lakes, so a lake is shown as a point."
        )
        if not places:
            caption += " No place has coordinates yet."
        for entry in places:  # a lake or a region: where its point stands
            if entry.marked_at:
                caption += f" {entry.name} is marked at {entry.marked_at}."
        if unplaced:  # said, so that the map is not taken for the whole list
            names = (
                ", ".join(unplaced[:-1]) + " and " + unplaced[-1] if unplaced[1:] else unplaced[0]
            )
            verb, them = ("are", "them") if unplaced[1:] else ("is", "it")
            caption += f" {names} {verb} not shown: the register records no coordinates for {them}."
        # on a phone the map keeps a width at which its names are legible (review 9 measured
        # 6 px labels on a map shrunk to a 375 px screen)
        on_screen = (
            f"Each point links to the register; {SCROLLS}" if places else SCROLLS.capitalize()
        )
        return [_figure(_scrolling(svg, "ce-map-title"), caption, "ce-figure-map", on_screen)]


class TimelineDirective(_FigureDirective):
    def make(self, layer: Any) -> list[nodes.Node]:
        try:
            svg = timeline_svg(
                layer.chronology,
                lambda e: f"#chron-{e.id}",
                title=lambda text: typographic(text, self.state.document),
            )
        except EditionError as exc:
            raise self.error(str(exc)) from None
        caption = (
            "Each dot is an event of the chronology below, in a column over its year (the "
            "earliest at the bottom); the key events are named beside their year's column; a "
            "hollow dot marks an event the editors hold uncertain."
        )
        # device-neutral: a phone can neither hover nor focus a dot without a keyboard
        on_screen = f"Each dot links to its entry in the list below; {SCROLLS}"
        svg = _scrolling(svg, "ce-timeline-title")
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
            item += nodes.term("", keep_together(when), ids=[f"chron-{event.id}"])
            definition = nodes.definition()
            para = nodes.paragraph()
            title = typographic(event.title, self.state.document)
            para += nodes.strong("", title)
            if event.description:
                para += nodes.Text(next_sentence(title))
                para.extend(texts[f"{event.id}:text"].children)
            definition += para
            if event.disputed:
                disputed = texts[f"{event.id}:disputed"]
                disputed.insert(0, nodes.Text("Doubts: "))
                disputed["classes"].append("ce-disputed")
                definition += disputed
            meta = nodes.paragraph(classes=["ce-sources"])
            meta += nodes.Text(f"Certainty: {CERT_TEXT[event.cert]}. Sources: ")
            meta.extend(source_nodes(event.sources, self.env.srcdir))
            if event.mentioned:  # "Smith §23, §44; Letters §2", as the register names places
                meta += nodes.Text(next_sentence(meta.astext()) + "In the texts: ")
                places = []
                for where in event.mentioned:
                    head, noun, at = split_place(_mention_label(where, manifest))
                    places.append((head, noun, _mention_link(where, manifest, at)))
                meta.extend(place_runs(places))
            definition += meta
            item += definition
            items += item
        return [items]


def _mention_label(where: str, manifest: Manifest) -> str:
    key, place = where.split(":", 1)
    spec = manifest.text(key)
    title = spec.list_title
    return place_label(place, title)


def _mention_link(where: str, manifest: Manifest, text: str) -> nodes.inline:
    """The place an event is mentioned at ("smith:21", "smith:n4"), to be linked on the page
    (``places.link_places_in``): a § by its id, an author's note by its own."""
    key, place = where.split(":", 1)
    if place.isdigit():
        anchor = manifest.text(key).paragraph_id(int(place))
    else:
        anchor = author_note_id(key, place.removeprefix("n"))
    return nodes.inline("", text, classes=["ce-place"], place=["", anchor, key])


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
