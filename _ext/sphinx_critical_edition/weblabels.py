"""Web sources printed as short citations ("*Wikipedia* (en), “José Martí”"), never raw URLs.

A reader of an edition expects a source named by its site and its title, not an address full
of percent-escapes. The label is worked out from the URL itself: the site's name from the
editors' table (``docs/web-sources.yaml``: ``sites``, each host with the name a reader knows it
by; its subdomains too, a language subdomain printed after the name), else the host without
``www.``; the title from the editors' table (``titles``, where the address says too little),
else from the address: a MediaWiki page's title (``/wiki/Jos%C3%A9_Mart%C3%AD``), or the last
meaningful part of the path, decoded, without file extensions, numeric ids or separators. The
address itself stays the link (and, decoded, its tooltip and, in print, its small-type line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, unquote_plus, urlsplit

from .errors import Problem
from .loader import read_yaml

#: the editors' table of site names and titles, beside the layer
WEB_SOURCES = "web-sources.yaml"

#: a subdomain that names a language edition: "en", "es", "pt-br", "sco"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,4})?$")
#: subdomains that name no edition of a site
_NEUTRAL_SUBDOMAINS = {"www", "m", "mobile"}
#: file endings and script names that are no part of a title
_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi|stm|pdf)$", re.IGNORECASE)
_SCRIPT = re.compile(r"\.(?:php\d?|aspx?|jsp|cgi)$", re.IGNORECASE)
#: a path part that names no page: an index, an AMP or mobile copy, a page of a listing
_GENERIC_PART = re.compile(
    r"^(?:index|default|home|main|full|amp|print|article|articles|node|content|page|p|s|"
    r"blog-page|noticia|noticias|view|read|docview|download|[a-z]{0,3}\d+[a-z]{0,2}\d*|.*:)$",
    re.IGNORECASE,
)
#: a content-management id before a slug ("4883-marcha-…") or after it ("…-235679")
_LEADING_ID = re.compile(r"^\d+[-_](?=\D)")
_TRAILING_ID = re.compile(
    r"[-_](?:[A-Za-z]{0,3}\d{5,}|[0-9a-f]{12,}|\d+\.\d{5,})(?:[-_][A-Za-z]?\d+)*$"
)
#: the length of a title taken from an address, beyond which it is cut after a word
_LONGEST = 60
#: at least one word of three letters: what a title needs to be worth printing
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Site:
    """A site as readers know it: its name, and whether it is a publication (italic)."""

    name: str
    publication: bool = False


@dataclass(frozen=True)
class WebSources:
    """The editors' table: site names by host, titles by URL."""

    sites: dict[str, Site] = field(default_factory=dict)
    titles: dict[str, tuple[str, bool]] = field(default_factory=dict)  # url → (title, quoted)


@dataclass(frozen=True)
class WebLabel:
    """How a web source is printed: "*site* (lang), “title”" (a derived title unquoted)."""

    site: str
    publication: bool = False
    language: str = ""
    title: str = ""
    quoted: bool = False  # a title the page itself bears (the editors' or a MediaWiki title)

    def __str__(self) -> str:
        text = f"{self.site} ({self.language})" if self.language else self.site
        if self.title:
            text += f", “{self.title}”" if self.quoted else f", {self.title}"
        return text


def decoded_url(url: str) -> str:
    """*url* as a reader reads it (an IRI): percent-escapes of UTF-8 text decoded, those of
    characters that would change the address or cannot be seen (``/ ? # & %``, spaces) kept."""
    return re.sub(r"(?:%[0-9A-Fa-f]{2})+", _decoded_run, url)


#: characters whose escapes stay: decoded, they would change what the address means
_KEEP_ESCAPED = set("/?#@&+=% ")


def _decoded_run(match: re.Match[str]) -> str:
    try:
        text = unquote(match.group(0), errors="strict")
    except UnicodeDecodeError:  # not UTF-8: left as it is
        return match.group(0)
    return "".join(
        quote(c, safe="") if c in _KEEP_ESCAPED or not c.isprintable() else c for c in text
    )


def printed_url(url: str) -> str:
    """*url* for paper: decoded, without the scheme a browser adds itself."""
    return re.sub(r"^https?://", "", decoded_url(url)).rstrip("/")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def _site_for(host: str, sites: dict[str, Site]) -> tuple[str, Site] | None:
    parts = host.split(".")
    for i in range(len(parts) - 1):
        known = sites.get(".".join(parts[i:]))
        if known is not None:
            return ".".join(parts[:i]), known
    return None


def _language(subdomain: str) -> str:
    """The language edition a subdomain names ("en", "es.m" → "es"), else ""."""
    parts = [p for p in subdomain.split(".") if p and p not in _NEUTRAL_SUBDOMAINS]
    return parts[0] if len(parts) == 1 and _LANGUAGE.match(parts[0]) else ""


def _readable(part: str) -> str:
    """A path part as words: decoded, no extension or ids, separators as spaces."""
    text = _EXTENSION.sub("", unquote_plus(part.split(";", 1)[0]))
    text = _TRAILING_ID.sub("", _LEADING_ID.sub("", text))
    return re.sub(r"[\s_+-]+", " ", text).strip()


def _shortened(text: str) -> str:
    """A long slug cut after a word, as a citation shortens a long title."""
    if len(text) <= _LONGEST:
        return text
    return text[: text.rfind(" ", 0, _LONGEST)] + "…"


def derived_title(url: str) -> tuple[str, bool]:
    """The title *url* itself gives, and whether it is the page's own title (MediaWiki)."""
    split = urlsplit(url)
    query = parse_qs(split.query)
    path = split.path
    if "/wiki/" in path or "title" in query:  # MediaWiki: the title is the page's name
        name = query["title"][0] if "title" in query else path.split("/wiki/", 1)[1]
        return unquote(name).replace("_", " ").strip(), True
    parts = [p for p in path.split("/") if p]
    if split.query and parts and _SCRIPT.search(parts[-1]):  # a script, not a page name
        parts.pop()
    for part in reversed(parts):
        if _GENERIC_PART.match(_EXTENSION.sub("", part)):
            continue
        text = _readable(part)
        if _WORD.search(text):
            return _shortened(text), False
    return "", False


def web_label(url: str, table: WebSources) -> WebLabel:
    """How *url* is printed, by the editors' *table* and what the address says."""
    host = host_of(url)
    found = _site_for(host, table.sites)
    if found is not None:
        subdomain, site = found
        name, publication, language = site.name, site.publication, _language(subdomain)
    else:
        name, publication, language = host.removeprefix("www."), False, ""
    title, quoted = table.titles.get(url) or derived_title(url)
    return WebLabel(name or host, publication, language, title, quoted)


def read_web_sources(docs_dir: Path, problems: list[Problem]) -> WebSources:
    """The editors' table of *docs_dir* (empty when there is none); its problems, with their
    lines, added to *problems* (a host or a URL given twice, an address that is no URL)."""
    path = docs_dir / WEB_SOURCES
    if not path.is_file():
        return WebSources()
    data = read_yaml(path, "web-sources", problems) or {}
    sites: dict[str, Site] = {}
    for item in data.get("sites", []):
        if item["host"] in sites:
            problems.append(
                Problem(str(path), item.line, f"host {item['host']!r} is named twice; keep one")
            )
        sites[item["host"]] = Site(item["name"], item.get("publication", False))
    titles: dict[str, tuple[str, bool]] = {}
    for item in data.get("titles", []):
        url = item["url"]
        if url in titles:
            problems.append(Problem(str(path), item.line, f"{url} has two titles; keep one"))
        elif not host_of(url):
            problems.append(
                Problem(str(path), item.line, f"{url!r} is no web address; write it in full")
            )
        titles[url] = (item["title"], True) if "title" in item else (item["description"], False)
    return WebSources(sites, titles)


@lru_cache(maxsize=2)
def _table(path: Path, mtime_ns: int) -> WebSources:
    return read_web_sources(path.parent, [])  # the check has reported its problems


def web_sources(srcdir: str | Path) -> WebSources:
    """The project's table, read once per version of the file."""
    path = Path(srcdir).resolve() / WEB_SOURCES
    return _table(path, path.stat().st_mtime_ns) if path.is_file() else WebSources()
