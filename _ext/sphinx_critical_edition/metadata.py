"""Bibliographic metadata in every page, so that Zotero and other tools capture the edition.

Highwire Press tags (``citation_*``), Dublin Core (``DC.*``) and OpenGraph (``og:*``); a page
that holds a text names that text and its author, every other page names the edition.
"""

from __future__ import annotations

from html import escape
from typing import Any

from sphinx.application import Sphinx


def _meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{escape(name)}" content="{escape(content)}">\n'


def add_metatags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None:
        return
    config = app.config
    edition = config.edition_title or config.project
    texts = app.env.get_domain("edition").data["texts"]
    is_text = pagename in texts.values()
    title = context.get("title") or edition
    title = title.replace("<", "").replace(">", "")
    tags = [
        _meta("citation_title", title if is_text else f"{edition}: a critical edition"),
        _meta("DC.title", title),
        _meta("DC.language", config.language or "en"),
        _meta("DC.type", "Text"),
        _meta("DC.publisher", "The editors of the edition"),
        _meta(
            "DC.rights",
            "Editorial matter CC BY 4.0; the rights in the texts stay with their authors and "
            "publishers",
        ),
        _meta("og:title", title, attr="property"),
        _meta("og:type", "article" if is_text else "website", attr="property"),
        _meta("og:site_name", f"{edition}: a critical edition", attr="property"),
    ]
    if is_text and pagename == texts.get("sagra"):
        tags += [
            _meta("citation_author", config.edition_author or config.author),
            _meta("DC.creator", config.edition_author or config.author),
        ]
    context["metatags"] = context.get("metatags", "") + "".join(tags)


def setup_metadata(app: Sphinx) -> None:
    app.connect("html-page-context", add_metatags)
