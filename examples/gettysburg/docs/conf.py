"""Sphinx configuration of the example edition: Lincoln's Gettysburg Address (the Bliss copy).

Only documented configuration: the extension's settings are listed in its reference
(docs/reference.md of the repository, or ``critical-edition reference``).
"""

from __future__ import annotations

project = "The Gettysburg Address: an example critical edition"
author = "Abraham Lincoln"
copyright = "editorial matter: the example's editors (CC BY 4.0); the text is in the public domain"
release = "0.1"
language = "en"

extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_critical_edition"]
exclude_patterns = ["_build"]

myst_enable_extensions = ["colon_fence", "attrs_block", "attrs_inline", "deflist"]

bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "edition"
bibtex_reference_style = "author_year"
bibtex_cite_id = "bib-{bibliography_count}-{key}"

edition_manifest = "../source_texts/texts.yaml"
edition_title = "The Gettysburg Address"
edition_author = "Abraham Lincoln"
edition_subtitle = "the Bliss copy, collated with the Nicolay copy"
edition_rights = "Editorial matter CC BY 4.0; the text is in the public domain"
edition_pdf_filename = "gettysburg-address.pdf"

html_theme = "sphinx_book_theme"
html_title = "The Gettysburg Address: an example critical edition"
# where the edition is published: the Web Annotations' ids and targets (an example address)
html_baseurl = "https://example.org/gettysburg/"
html_theme_options = {
    "use_sidenotes": False,  # the extension places the notes itself
    "secondary_sidebar_items": {"**": ["page-toc"], "address": []},  # the margin for the notes
}
