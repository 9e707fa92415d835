"""The PDF download: a role that links to it, and a copy of it beside the HTML.

The PDF builder writes ``_build/pdf/<edition_pdf_filename>``; the HTML build copies it next to
``index.html`` so that the ``{edition-pdf}`` link works on any host that serves the HTML folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

logger = logging.getLogger(__name__)


class PdfDownloadRole(SphinxRole):
    """``{edition-pdf}`Download the PDF``: a link to the PDF at the root of the HTML output."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        filename = self.config.edition_pdf_filename
        docname_depth = self.env.docname.count("/")
        uri = "../" * docname_depth + filename
        ref = nodes.reference(self.rawtext, self.text, refuri=uri, classes=["ce-pdf-download"])
        ref["type"] = "application/pdf"
        return [ref], []


def pdf_output_path(app: Sphinx) -> Path:
    """Where the PDF builder puts the PDF: ``<build root>/pdf/<filename>``."""
    return Path(app.outdir).parent / "pdf" / app.config.edition_pdf_filename


def _copy_pdf_beside_html(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.name not in ("html", "dirhtml"):
        return
    pdf = pdf_output_path(app)
    if pdf.is_file():
        shutil.copyfile(pdf, Path(app.outdir) / pdf.name)
    else:
        logger.info("no PDF at %s yet: build it first (tox -e pdf) for the download link", pdf)


def setup_downloads(app: Sphinx) -> None:
    app.add_role("edition-pdf", PdfDownloadRole())
    app.connect("build-finished", _copy_pdf_beside_html)
