"""The PDF download: a role that links to it, and a copy of it beside the HTML.

The PDF builder writes ``_build/pdf/<edition_pdf_filename>``; the HTML build copies it next to
``index.html`` so that the ``{edition-pdf}`` link works on any host that serves the HTML folder.
An HTML build made before the PDF exists (``tox -e html`` alone) links to nothing: the role
then prints its text with "not built yet", the build log says how to build the PDF; the pages that
use the role are read again when the PDF appears or goes, so the next HTML build after
``tox -e pdf`` puts the link in.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.console import bold
from sphinx.util.docutils import SphinxRole

from .links import root_file_link

logger = logging.getLogger(__name__)

PDF_LINK = "ce-pdf-download"


class PdfDownloadRole(SphinxRole):
    """``{edition-pdf}`Download the PDF``: a link to the PDF at the root of the HTML output."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        filename = self.config.edition_pdf_filename
        pdf: Path | None = getattr(self.env, "edition_pdf_path", None)
        if pdf is not None:
            built = pdf.is_file()
            _pdf_pages(self.env)[self.env.docname] = built
            if not built:
                text = f"{self.text} (not built yet)"
                return [nodes.inline(self.rawtext, text, classes=["ce-pdf-missing"])], []
        # relative to the page as written; the HTML builders set it at doctree-resolved
        uri = "../" * self.env.docname.count("/") + filename
        ref = nodes.reference(self.rawtext, self.text, refuri=uri, classes=[PDF_LINK])
        ref["type"] = "application/pdf"
        return [ref], []


def link_the_pdf(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The download link relative to the page the HTML builder writes (``../`` from
    ``article/index.html`` in a dirhtml build), where the PDF's copy is at the output's root."""
    if app.builder.name not in ("html", "dirhtml"):
        return
    for ref in doctree.findall(nodes.reference):
        if PDF_LINK in ref["classes"]:
            ref["refuri"] = root_file_link(app.builder, docname, app.config.edition_pdf_filename)


def pdf_output_path(app: Sphinx) -> Path:
    """Where the PDF builder puts the PDF: ``<build root>/pdf/<filename>``."""
    return Path(app.outdir).parent / "pdf" / app.config.edition_pdf_filename


def _pdf_pages(env: BuildEnvironment) -> dict[str, bool]:
    """The pages that use the role, each with whether the PDF existed when it was read."""
    if not hasattr(env, "edition_pdf_pages"):
        env.edition_pdf_pages = {}  # type: ignore[attr-defined]
    return env.edition_pdf_pages  # type: ignore[attr-defined]


def _pages_to_reread(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages read with(out) the PDF, now that it is gone (there); notes where it is for the role.

    Only the HTML builders' role looks for the file; the PDF builder's own pages link as usual.
    """
    html = app.builder.name in ("html", "dirhtml")
    pdf = env.edition_pdf_path = pdf_output_path(app) if html else None  # type: ignore[attr-defined]
    if pdf is None:
        return []
    built = pdf.is_file()
    return [doc for doc, was in _pdf_pages(env).items() if was != built and doc not in removed]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _pdf_pages(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    _pdf_pages(env).update({d: b for d, b in _pdf_pages(other).items() if d in docnames})


def _copy_pdf_beside_html(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.name not in ("html", "dirhtml"):
        return
    pdf = pdf_output_path(app)
    if pdf.is_file():
        shutil.copyfile(pdf, Path(app.outdir) / pdf.name)
    else:
        logger.info(
            bold("no PDF at %s:") + " the pages say it is not built yet instead of linking to it; "
            "build it first (sphinx-build -b pdf %s %s), then the HTML again",
            pdf,
            app.srcdir,
            pdf.parent,
        )


def setup_downloads(app: Sphinx) -> None:
    app.add_role("edition-pdf", PdfDownloadRole())
    app.connect("env-get-outdated", _pages_to_reread)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", link_the_pdf)
    app.connect("build-finished", _copy_pdf_beside_html)
