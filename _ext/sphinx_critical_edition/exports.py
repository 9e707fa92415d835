"""Exports published beside the HTML: ``annotations.jsonld`` and ``edition.tei.xml``.

A text's TEI ``div`` is made when its page is read, from the woven doctree then in memory, and
kept in the Edition domain; the TEI document is assembled when the build finishes. So a rebuild
neither re-reads nor unpickles the doctree of a text that did not change.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from lxml import etree
from sphinx.application import Sphinx
from sphinx.util import logging

from .check import checked_layer
from .config import get_manifest
from .jsonld import annotation_collection, web_annotation
from .loader import parsed_bibliography
from .tei import tei_document, text_div

logger = logging.getLogger(__name__)

JSONLD_NAME = "annotations.jsonld"
TEI_NAME = "edition.tei.xml"


def _fragment(spec_prefix: str, text_key: str, unit_key: str) -> str:
    if unit_key.startswith("n"):
        return f"{text_key}-n{unit_key[1:]}"
    return f"{spec_prefix}{unit_key}"


def _exported(app: Sphinx) -> bool:
    """Whether this build publishes the exports (the HTML builds; not the PDF's)."""
    return app.builder.format == "html" and app.builder.name != "pdf"


def keep_tei_div(app: Sphinx, doctree: nodes.document) -> None:
    """The TEI div of each text on the page just read, while its woven doctree is at hand."""
    keep_tei_divs(app, app.env.docname, doctree)


def keep_tei_divs(app: Sphinx, docname: str, doctree: nodes.document) -> None:
    """The TEI div of each text on *docname*, made from its woven *doctree*."""
    if not _exported(app):
        return
    domain = app.env.get_domain("edition")
    keys = domain.texts_on(docname)  # type: ignore[attr-defined]
    if not keys:
        return
    manifest, layer = get_manifest(app.config, app.srcdir), checked_layer(app.srcdir).layer
    for key in keys:
        div = text_div(doctree, manifest.text(key), layer)
        domain.tei[key] = etree.tostring(div)  # type: ignore[attr-defined]


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception or not _exported(app):
        return
    manifest = get_manifest(app.config, app.srcdir)
    result = checked_layer(app.srcdir)
    texts = app.env.get_domain("edition").data["texts"]
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    register_uri = base + app.builder.get_target_uri(app.config.edition_register_doc)

    records = []
    order = {spec.key: i for i, spec in enumerate(manifest.texts)}
    spans = sorted(
        result.spans,
        key=lambda s: (order[s.annotation.text], _unit_order(s.unit.key), s.start, s.annotation.id),
    )
    for span in spans:
        spec = manifest.text(span.annotation.text)
        docname = texts.get(spec.key)
        if docname is None:
            continue
        page = base + app.builder.get_target_uri(docname)
        records.append(
            web_annotation(
                span,
                page,
                _fragment(spec.paragraph_id_prefix, spec.key, span.unit.key),
                register_uri,
            )
        )
    outdir = Path(app.outdir)
    (outdir / JSONLD_NAME).write_text(annotation_collection(records, base), encoding="utf-8")

    bibfile = Path(app.srcdir) / "references.bib"
    bib = parsed_bibliography(bibfile)
    tei = app.env.get_domain("edition").tei  # type: ignore[attr-defined]
    divs = [etree.fromstring(tei[spec.key]) for spec in manifest.texts if spec.key in tei]
    title = app.config.edition_title or app.config.project
    author = app.config.edition_author or app.config.author
    (outdir / TEI_NAME).write_bytes(
        tei_document(title, author, divs, result.layer, bib, app.config.language or "en")
    )
    logger.info("wrote %s and %s", JSONLD_NAME, TEI_NAME)


def _unit_order(key: str) -> tuple[int, int]:
    return (1, int(key[1:])) if key.startswith("n") else (0, int(key))


def setup_exports(app: Sphinx) -> None:
    app.connect("doctree-read", keep_tei_div, priority=900)  # after every change to the doctree
    app.connect("build-finished", write_exports)
