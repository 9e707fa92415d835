"""Contributed text is untrusted: no raw HTML, no script, no ``javascript:`` or other odd links.

Bodies are also parsed with raw HTML disabled (see ``bodies.py``); this check gives the
contributor a clear message first, and guards every string field, not only bodies.
"""

from __future__ import annotations

import re

#: the start of a tag; it is one if a ">" follows anywhere (as ``<…[^>]*>`` would find, without
#: scanning the rest of the text again from every "<": linear, not quadratic, in a long body)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_SCHEME_LINK = re.compile(r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*):", re.ASCII)
_AUTOLINK = re.compile(r"<\s*([A-Za-z][A-Za-z0-9+.-]*):", re.ASCII)
_BAD_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data)\s*:")
ALLOWED_SCHEMES = {"http", "https"}


def unsafe_reason(value: str) -> str | None:
    """Why *value* may not reach a page, or None if it is safe."""
    tag = _TAG.search(value)
    if tag and ">" in value[tag.end() :]:
        return "raw HTML is not allowed (write MyST: *emphasis*, [text](https://…), {cite}`key`)"
    if _BAD_SCHEME.search(value):
        return "javascript:, vbscript: and data: links are not allowed"
    for pattern in (_SCHEME_LINK, _AUTOLINK):
        for match in pattern.finditer(value):
            if match.group(1).lower() not in ALLOWED_SCHEMES:
                return f"only http(s) and internal links are allowed, not {match.group(1)}:"
    return None
