"""Exports published beside the HTML: ``annotations.jsonld``, ``edition.tei.xml`` and the
witness file the annotations also target (``witness/…txt``), which a page links to with the
``{edition-witness}`` role.

A text's TEI ``div`` is made when its page is read, from the woven doctree then in memory, and
kept in the Edition domain; the TEI document is assembled when the build finishes. So a rebuild
neither re-reads nor unpickles the doctree of a text that did not change.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from lxml import etree
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .anchoring import Span
from .check import checked_layer
from .citelabels import bib_labels
from .config import get_manifest, setting_source
from .jsonld import PageTarget, Reading, WitnessTarget, annotation_collection, web_annotation
from .links import root_file_link
from .loader import parsed_bibliography
from .metadata import is_placeholder_address
from .pagetext import page_text
from .paragraphs import unit_id, unit_order
from .places import Target, absolute_links, text_pages
from .tei import tei_document, text_div
from .texts import Manifest
from .witnesspos import WitnessPositions

logger = logging.getLogger(__name__)

JSONLD_NAME = "annotations.jsonld"
TEI_NAME = "edition.tei.xml"
#: the base when html_baseurl is unset: an IRI that claims no web address (RFC 6761 .invalid)
UNSET_BASE = "https://edition.invalid/"
WITNESS_DIR = "witness"  # the received witness, copied beside the HTML, byte for byte
WITNESS_LINK = "ce-witness-file"  # the class of the {edition-witness} role's link


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


def site_base(app: Sphinx) -> str:
    """The published site's address (``html_baseurl``), ending in a slash."""
    base = app.config.html_baseurl
    if not base:
        logger.warning(
            "%s is empty: the Web Annotations need the published site's address for their ids and "
            "targets (IRIs): set html_baseurl (see docs/conf.py). Using %s meanwhile.",
            setting_source(app.config, "html_baseurl"),
            UNSET_BASE,
        )
        return UNSET_BASE
    return base.rstrip("/") + "/"


def _absolute_places(app: Sphinx, record: dict[str, Any], text: str, base: str) -> dict[str, Any]:
    """The annotation's Markdown (body, comments) with its links within the edition
    (``#p12``, ``theses.md#p3``) as the published addresses they lead to."""
    manifest = get_manifest(app.config, app.srcdir)
    texts = app.env.get_domain("edition").data["texts"]

    def uri(target: Target) -> str | None:
        docname = target.page or texts.get(target.text, "")
        if docname not in app.env.found_docs:
            return None
        anchor = f"#{target.anchor}" if target.anchor else ""
        return base + app.builder.get_target_uri(docname) + anchor

    def edition() -> tuple[Manifest, dict[str, str]]:
        return manifest, text_pages(Path(app.srcdir), manifest)

    for body in record["body"]:
        for field in ("value", "edition:comment"):
            if field in body and (field != "value" or body.get("format") == "text/markdown"):
                body[field] = absolute_links(body[field], text, edition, uri)
    return record


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception or not _exported(app):
        return
    manifest = get_manifest(app.config, app.srcdir)
    result = checked_layer(app.srcdir)
    texts = app.env.get_domain("edition").data["texts"]
    base = site_base(app)
    register_uri = base + app.builder.get_target_uri(app.config.edition_register_doc)
    outdir = Path(app.outdir)

    # the witness, published beside the HTML: the annotations' second target
    witness_name = f"{WITNESS_DIR}/{manifest.witness.path.name}"
    (outdir / WITNESS_DIR).mkdir(exist_ok=True)
    shutil.copyfile(manifest.witness.path, outdir / witness_name)
    positions = {spec.key: WitnessPositions(manifest.witness, spec) for spec in manifest.texts}
    pages: dict[str, PageTarget] = {}

    records = []
    order = {spec.key: i for i, spec in enumerate(manifest.texts)}
    spans = sorted(
        result.spans,
        key=lambda s: (order[s.annotation.text], unit_order(s.unit.key), s.start, s.annotation.id),
    )
    in_unit: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        in_unit.setdefault((span.annotation.text, span.unit.key), []).append(span)
    readings = {key: Reading.of(group[0].unit.text, group) for key, group in in_unit.items()}
    for span in spans:
        spec = manifest.text(span.annotation.text)
        docname = texts.get(spec.key)
        if docname is None:
            continue
        if spec.key not in pages:
            uri = app.builder.get_target_uri(docname)  # "text/" in a dirhtml build
            html = Path(app.builder.get_outfilename(docname)).read_text(encoding="utf-8")
            pages[spec.key] = PageTarget(base + uri, page_text(html))
        start, end = positions[spec.key].span(span.unit, span.start, span.end)
        witness = WitnessTarget(base + witness_name, positions[spec.key].text, start, end)
        record = web_annotation(
            span,
            f"{base}{JSONLD_NAME}#ed-{span.annotation.id}",
            pages[spec.key],
            unit_id(spec.key, spec.paragraph_id_prefix, span.unit.key),
            readings[spec.key, span.unit.key],
            witness,
            register_uri,
        )
        records.append(_absolute_places(app, record, spec.key, base))
    (outdir / JSONLD_NAME).write_text(
        annotation_collection(records, base + JSONLD_NAME), encoding="utf-8"
    )

    bibfile = Path(app.srcdir) / "references.bib"
    bib = parsed_bibliography(bibfile)
    tei = app.env.get_domain("edition").tei  # type: ignore[attr-defined]
    divs = [etree.fromstring(tei[spec.key]) for spec in manifest.texts if spec.key in tei]
    title = app.config.edition_title or app.config.project
    author = app.config.edition_author or app.config.author
    (outdir / TEI_NAME).write_bytes(
        tei_document(
            title,
            author,
            divs,
            result.layer,
            bib,
            bib_labels(app.srcdir),
            app.config.language or "en",
            app.config.edition_rights,
        )
    )
    logger.info("wrote %s and %s", JSONLD_NAME, TEI_NAME)


class WitnessFileRole(SphinxRole):
    """``{edition-witness}`witness/<file>```: the witness's copy published beside the HTML, named
    by its path there and, where a build publishes it, a link to it (:func:`link_witness_files`).
    A path that is not the witness's (a file renamed since the page was written) is an error at
    its line."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        manifest = get_manifest(self.config, self.env.srcdir)
        path = f"{WITNESS_DIR}/{manifest.witness.path.name}"
        if self.text != path:
            message = self.inliner.reporter.error(
                f"{{edition-witness}}`{self.text}`: the witness is published as {path!r}; "
                f"write {{edition-witness}}`{path}`",
                line=self.lineno,
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], [message]
        code = nodes.literal(path, path)
        # the same for every builder; where the file is, only the build writing the page knows
        link = nodes.reference(self.rawtext, "", code, classes=[WITNESS_LINK], published=path)
        return [link], []


def published_address(base: str, path: str) -> str | None:
    """*path*'s address on the published site, where ``html_baseurl`` names one: an http(s)
    address on a host that is no placeholder; None otherwise."""
    if urlsplit(base).scheme not in ("http", "https") or is_placeholder_address(base):
        return None
    return base.rstrip("/") + "/" + path


def link_witness_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The witness's path a link to its copy in the builds that publish it (``_exported``),
    relative to the page written. The others (the PDF, LaTeX, text) print the copy's full
    address where the site has one (``html_baseurl``), so a reader of paper can find it; with
    none, or a placeholder, the file's name alone (a folder of the site means nothing on paper)."""
    for ref in list(doctree.findall(nodes.reference)):
        if WITNESS_LINK not in ref["classes"] or "published" not in ref:
            continue
        if _exported(app):
            ref["refuri"] = root_file_link(app.builder, docname, ref["published"])
            del ref["published"]
        elif address := published_address(app.config.html_baseurl, ref["published"]):
            ref.replace_self(nodes.reference(ref.rawsource, address, refuri=address))
        else:
            name = ref["published"].rpartition("/")[2]
            ref.replace_self(nodes.literal(name, name))


def setup_exports(app: Sphinx) -> None:
    app.add_role("edition-witness", WitnessFileRole())
    app.connect("doctree-resolved", link_witness_files)
    app.connect("doctree-read", keep_tei_div, priority=900)  # after every change to the doctree
    app.connect("build-finished", write_exports)
