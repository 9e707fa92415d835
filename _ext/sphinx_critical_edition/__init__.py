"""sphinx_critical_edition: a Sphinx extension for critical editions.

It numbers the paragraphs of faithfully transcribed texts, places notes beside their calls, and
builds a tagged PDF with WeasyPrint. ``setup()`` below is the manifest of everything it adds.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .backmatter import setup_backmatter
from .bibstyle import setup_bibliography_style
from .bodyedits import setup_body_edits
from .check import setup_check
from .collector import setup_collector
from .config import setup_config
from .dependencies import setup_dependencies
from .domain import setup_domain
from .downloads import setup_downloads
from .exports import setup_exports
from .figures import setup_figures
from .html import setup_html
from .links import setup_links
from .metadata import setup_metadata
from .notes import setup_notes
from .paragraphs import setup_paragraphs
from .parts import setup_parts
from .pdf import setup_pdf
from .quiet import setup_quiet
from .static import setup_static
from .templatecache import setup_template_cache
from .themeconfig import setup_theme_config
from .typography import setup_typography
from .weaving import setup_weaving
from .webpages import setup_webpages

__version__ = "0.2.0"  # and a section in CHANGELOG.md


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    setup_quiet(app)  # no MyST configuration dump in the build log
    setup_config(app)  # edition_manifest, edition_pdf_filename, …
    setup_collector(app)  # the garbage collector paced for a build, then restored
    setup_bibliography_style(app)  # "edition": author–date entries and citations
    setup_parts(app)  # text-part directive (e.g. the publisher's preface)
    setup_paragraphs(app)  # § numbers and stable paragraph ids
    setup_typography(app)  # "p. 18", "1914–1918" kept on one line in editorial prose
    setup_check(app)  # the whole layer checked before reading; a bad file stops the build
    setup_weaving(app)  # the standoff layer: validated, anchored, woven as neutral nodes
    setup_domain(app)  # the Edition domain: annotations and names, merged across readers
    setup_dependencies(app)  # pages depend on the layer's files, added and removed ones too
    setup_body_edits(app)  # an edit to note bodies alone is put in place, not re-read
    setup_html(app)  # HTML for the neutral nodes (variants, emendations, names)
    setup_links(app)  # sources' author–year labels linked to their bibliography entries
    setup_backmatter(app)  # apparatus, list of emendations, register
    setup_webpages(app)  # the list of web pages cited, by site, each with its address
    setup_figures(app)  # timeline and map, drawn from the chronology and the register
    setup_notes(app)  # footnotes and editorial notes → sidenotes / print footnotes
    setup_exports(app)  # annotations.jsonld (W3C Web Annotation) and edition.tei.xml (TEI P5)
    setup_metadata(app)  # Highwire, Dublin Core and OpenGraph tags for Zotero and friends
    setup_static(app)  # edition.css and edition.js
    setup_theme_config(app)  # the theme's configuration changes, made before Sphinx compares
    setup_template_cache(app)  # compiled page templates kept between builds
    setup_downloads(app)  # the PDF download link and its copy beside the HTML
    setup_pdf(app)  # the "pdf" builder (single-page HTML → WeasyPrint)
    return {
        "version": __version__,
        # 12: a record names its unit ("§12", "note 2"), as the web pages' "Cited:" lines print it
        "env_version": 13,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
