"""Web sources printed as short citations ("*Wikipedia* (en), “José Martí”"), never raw URLs.

A reader of an edition expects a source named by its site and its title, not an address full of
percent-escapes, nor a title guessed from one: a slug ("el-m-n-r-y-sus-setenta-anos") has lost
its case, its accents and often its last words. So a label is the site's name from the editors'
table (``docs/web-sources.yaml``: ``sites``, each host with the name a reader knows it by; its
subdomains too, a language subdomain printed after the name: "(en)", "(Simple English)"), else
the host without ``www.``; and a title only where one is known: the editors' (``titles``, read
on the page), or a MediaWiki page's name (``/wiki/Jos%C3%A9_Mart%C3%AD``), which is its title.
Where one line names the same site twice without titles, the date the address carries tells the
pages apart (``distinguished``). A book or periodical named within a title or a description is
marked ``*Bolivie*`` and printed in italics, like a publication's name (``title_runs``). The
address itself stays the link (and, decoded, its tooltip and, in print, its small-type line).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .errors import Problem
from .loader import read_yaml

#: the editors' table of site names and titles, beside the layer
WEB_SOURCES = "web-sources.yaml"

#: a subdomain that names a language edition: "en", "es", "pt-br", "sco"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,4})?$")
#: language editions whose subdomain is no language code, by the name readers know them by
#: (Wikimedia's "simple": the Simple English Wikipedia, a separate wiki from the English one)
_NAMED_EDITIONS = {"simple": "Simple English"}
#: subdomains that name no edition of a site
_NEUTRAL_SUBDOMAINS = {"www", "m", "mobile"}
#: a date in an address: /2011/01/25/, /2017/12/ (a blog's month), 20110125_ or nt180721
_DATE_PATH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(?:(0[1-9]|[12]\d|3[01])/)?")
#: a year's folder, a month's folder and a day's issue: /2012/2012_07/nt120721/
_DATE_ISSUE = re.compile(r"/((?:19|20)\d\d)/\1_(0[1-9]|1[0-2])/[a-z]*\d\d\2(0[1-9]|[12]\d|3[01])/")
_DATE_RUN = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[_-])")
#: a work named within a title or a description, to be printed in italics: "Lora's *Bolivie*"
_WORK = re.compile(r"\*([^*]+)\*")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


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
    #: url → the title's language, where the editors give it ("es": its "A" is no article)
    languages: dict[str, str] = field(default_factory=dict)


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
            title = "".join(run for run, _ in title_runs(self.title))
            text += f", “{title}”" if self.quoted else f", {title}"
        return text


def title_runs(title: str) -> list[tuple[str, bool]]:
    """*title* as runs of (text, italic): a work it names, marked ``*…*``, is italic."""
    parts = _WORK.split(title)  # text, work, text, work, …, text
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def decoded_url(url: str) -> str:
    """*url* as a reader reads it and must type it (an IRI), wherever an address is shown:
    percent-escapes of UTF-8 text decoded; those of characters that would change the address
    or cannot be seen (``/ ? # & %``, a space, an invisible U+2008) kept, so that the address
    shown never holds a space and, typed as shown, is the page's."""
    return re.sub(r"(?:%[0-9A-Fa-f]{2})+", _decoded_run, url)


#: characters whose escapes stay: decoded, they would change what the address means, or
#: (a space) end it where a reader copies it
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
    """*url* for paper: decoded (``decoded_url``), without the scheme a browser adds itself."""
    return re.sub(r"^https?://", "", decoded_url(url)).rstrip("/")


def web_anchor(url: str) -> str:
    """The id of *url*'s entry in the list of web pages: stable while the address is."""
    return "web-" + hashlib.sha256(url.encode()).hexdigest()[:12]


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
    """The language edition a subdomain names ("en", "es.m" → "es", "simple" → "Simple
    English"), else ""."""
    parts = [p for p in subdomain.split(".") if p and p not in _NEUTRAL_SUBDOMAINS]
    if len(parts) != 1:
        return ""
    if parts[0] in _NAMED_EDITIONS:
        return _NAMED_EDITIONS[parts[0]]
    return parts[0] if _LANGUAGE.match(parts[0]) else ""


def derived_title(url: str) -> tuple[str, bool]:
    """The title *url* itself gives: a MediaWiki page's name, which is the page's title; any
    other address gives none (a slug is no title)."""
    split = urlsplit(url)
    query = parse_qs(split.query)
    if "/wiki/" in split.path or "title" in query:
        name = query["title"][0] if "title" in query else split.path.split("/wiki/", 1)[1]
        return unquote(name).replace("_", " ").strip(), True
    return "", False


def address_date(url: str) -> str:
    """The date *url* carries in its path ("25 January 2011", "December 2017"), else ""."""
    path = urlsplit(url).path
    found = _DATE_PATH.search(path + "/") or _DATE_ISSUE.search(path) or _DATE_RUN.search(path)
    if found is None:
        return ""
    year, month, day = found.groups()
    text = f"{_MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {text}" if day else text


def distinguished(labels: list[WebLabel], urls: list[str]) -> list[WebLabel]:
    """*labels* (of *urls*, in one line), an untitled page of a site the line names twice told
    apart by its address's date: "*Paper*, 25 January 2011; *Paper*, 3 May 2012", and beside a
    titled page of the same site ("*Paper*, “A title”; *Paper*, 5 July 1984", not a bare
    "*Paper*" that reads as the same page again); without a date, pages printed alike by the
    address's path, which is no title ("site.org, /a/intro.html; site.org, /a/four.html"),
    never twice the same name."""
    sites = [(label.site, label.language) for label in labels]
    dated = [
        replace(label, title=address_date(url))
        if not label.title and sites.count((label.site, label.language)) > 1 and address_date(url)
        else label
        for label, url in zip(labels, urls, strict=True)
    ]
    printed = [str(label) for label in dated]
    return [
        replace(label, title=address_path(url))
        if not own.title
        and (printed.count(str(label)) > 1 or (not label.title and sites.count(site) > 1))
        else label
        for own, label, url, site in zip(labels, dated, urls, sites, strict=True)
    ]


def address_path(url: str) -> str:
    """What follows the host in *url*, as a reader reads it: "/pamphlets/intro.html"."""
    split = urlsplit(decoded_url(url))
    return split.path + (f"?{split.query}" if split.query else "") or "/"


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
    languages: dict[str, str] = {}
    for item in data.get("titles", []):
        url = item["url"]
        if url in titles:
            problems.append(Problem(str(path), item.line, f"{url} has two titles; keep one"))
        elif not host_of(url):
            problems.append(
                Problem(str(path), item.line, f"{url!r} is no web address; write it in full")
            )
        titles[url] = (item["title"], True) if "title" in item else (item["description"], False)
        if "lang" in item:
            languages[url] = item["lang"]
        if _WORK.sub("", titles[url][0]).count("*"):
            problems.append(
                Problem(
                    str(path),
                    item.line,
                    f"{titles[url][0]!r} has an unpaired '*': mark a work named in it as "
                    "*Title* (printed in italics), or remove the '*'",
                )
            )
    return WebSources(sites, titles, languages)


@lru_cache(maxsize=2)
def _table(path: Path, mtime_ns: int) -> WebSources:
    return read_web_sources(path.parent, [])  # the check has reported its problems


def web_sources(srcdir: str | Path) -> WebSources:
    """The project's table, read once per version of the file."""
    path = Path(srcdir).resolve() / WEB_SOURCES
    return _table(path, path.stat().st_mtime_ns) if path.is_file() else WebSources()
