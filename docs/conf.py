"""Sphinx configuration of the critical edition."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The extension lives in ../_ext; it is also installed as a package (pip install -e .).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))

project = "Sagra, The 1952 Bolivian Revolution: a critical edition"
author = "Alicia Sagra"
copyright = (
    "editorial matter: the edition’s editors, CC BY 4.0; texts: their authors and publishers"
)
release = "0.1.0"  # also in docs/cite.md and CITATION.cff (a test compares them)
language = "en"

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_critical_edition",
]

root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# --- MyST ----------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "attrs_block", "attrs_inline", "deflist"]
myst_heading_anchors = 3

# --- bibliography --------------------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "edition"  # sphinx_critical_edition.bibstyle: author–date entries
bibtex_reference_style = "edition"  # citations by the same labels: (Sagra 2016; Lora n.d.a)
# entries keep their ids from build to build: bib-<section>-<key>, not id94
bibtex_cite_id = "bib-{bibliography_count}-{key}"

# --- the edition ---------------------------------------------------------------------------
edition_manifest = "../source_texts/texts.yaml"
edition_title = "The 1952 Bolivian Revolution"
edition_author = "Alicia Sagra"
edition_subtitle = "with the excerpt of the Pulacayo Theses (1946)"  # on the PDF title page
edition_rights = (
    "Editorial matter CC BY 4.0; the rights in the texts stay with their authors and publishers"
)
edition_pdf_filename = "sagra-1952-bolivian-revolution.pdf"
edition_cite_doc = "cite"  # the PDF's imprint points to it
# the reference chapters' long lists, listed in the PDF's contents under their chapter, and the
# article's preface (a part of the text, not a section: the contents would not list it)
edition_pdf_contents = [  # every section of the back matter, so that each chapter lists its own
    "article#part-preface",
    "apparatus#apparatus-criticus",
    "apparatus#list-of-emendations",
    "register#persons",
    "register#organisations",
    "register#places",
    "register#terms",
    "chronology#timeline",
    "chronology#events",
    "chronology#map",
    "bibliography#the-text-and-its-versions",
    "bibliography#primary-documents",
    "bibliography#periodicals",
    "bibliography#studies",
    "bibliography#web-pages",
    "about#witnesses",
]
edition_map_country = "BOL"  # the map draws Bolivia (ISO 3166 alpha-3, as in Natural Earth)

# --- HTML ----------------------------------------------------------------------------------
# The published site's address: the canonical links, and the ids (IRIs) and targets of the Web
# Annotations in annotations.jsonld. No address has been recorded for the edition yet, so this
# is a PLACEHOLDER on the reserved example domain (RFC 2606), never a real site (the pages then
# carry no canonical link; the annotations' ids stay placeholders): the editor sets
# the real one here, or in the environment variable EDITION_BASEURL at build time (the GitHub
# Pages address, https://<owner>.github.io/<repository>/, once the site is published there).
html_baseurl = os.environ.get("EDITION_BASEURL") or "https://example.org/sagra-1952-edition/"
html_theme = "sphinx_book_theme"
html_title = "The 1952 Bolivian Revolution: a critical edition"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "use_sidenotes": False,  # the edition places its own notes (sphinx_critical_edition.notes)
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "secondary_sidebar_items": {"**": ["page-toc"], "article": [], "theses": []},
    # no "By <author>" under every page (the apparatus, register and bibliography are the
    # editors' work), nor the theme's "© Copyright …": the rights statement, as in the PDF
    "footer_content_items": ["extra-footer"],
    "extra_footer": f"<p>{edition_rights}.</p>",
}
