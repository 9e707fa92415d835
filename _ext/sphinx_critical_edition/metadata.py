"""Bibliographic metadata in every page, so that Zotero and other tools capture the edition.

Highwire Press tags (``citation_*``), Dublin Core (``DC.*``) and OpenGraph (``og:*``); a page
that holds a text names that text and its author (from the text manifest), every other page names
the edition. The rights statement is ``edition_rights`` in ``conf.py``.

The canonical link Sphinx writes from ``html_baseurl`` is left out while that address is a
placeholder on a domain reserved for examples (``example.org``, ``.invalid``): a page would
otherwise declare a site that does not exist as its true address.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import urlsplit

from sphinx.application import Sphinx

from .config import get_manifest


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
    text_key = next((key for key, doc in texts.items() if doc == pagename), None)
    is_text = text_key is not None
    title = context.get("title") or edition
    title = title.replace("<", "").replace(">", "")
    tags = [
        _meta("citation_title", title if is_text else f"{edition}: a critical edition"),
        _meta("DC.title", title),
        _meta("DC.language", config.language or "en"),
        _meta("DC.type", "Text"),
        _meta("DC.publisher", "The editors of the edition"),
        _meta("og:title", title, attr="property"),
        _meta("og:type", "article" if is_text else "website", attr="property"),
        _meta("og:site_name", f"{edition}: a critical edition", attr="property"),
    ]
    if config.edition_rights:
        tags.append(_meta("DC.rights", config.edition_rights))
    if text_key is not None:
        author = _text_author(app, text_key)
        if author:
            tags += [_meta("citation_author", author), _meta("DC.creator", author)]
    context["metatags"] = context.get("metatags", "") + "".join(tags)


def _text_author(app: Sphinx, key: str) -> str:
    """The author the manifest gives the text *key* (none for an anonymous text)."""
    manifest = get_manifest(app.config, app.confdir)
    return next((spec.author for spec in manifest.texts if spec.key == key), "")


#: hosts reserved for examples and tests (RFC 2606, RFC 6761): never a published address
_RESERVED_HOST = re.compile(r"(^|\.)(example(\.(com|net|org))?|invalid|test|localhost)$")


def is_placeholder_address(url: str) -> bool:
    """Whether *url* is on a host reserved for examples, so no site can be published there."""
    return bool(_RESERVED_HOST.search((urlsplit(url).hostname or "").lower()))


def drop_placeholder_canonical(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """No ``<link rel="canonical">`` to a placeholder address (see the module's docstring)."""
    if context.get("pageurl") and is_placeholder_address(context["pageurl"]):
        context["pageurl"] = None


def setup_metadata(app: Sphinx) -> None:
    app.connect("html-page-context", add_metatags)
    app.connect("html-page-context", drop_placeholder_canonical, priority=900)
