"""Links the edition refuses: copies of other sites, content farms, unauthorised copies, and
addresses that carry a tracking or display parameter.

The lists are the editors' (``docs/link-policy.yaml``), so that adding a host or a parameter
needs no code. Every URL in the editorial layer, the bibliography and the pages is checked
against them:

- a host is refused with all its subdomains (``mgwiki.top`` refuses ``de.mgwiki.top``), so a
  mirror cannot come back under another language prefix;
- a parameter that only tracks the reader or changes the page's display (``utm_source``,
  ``?share=…``, Blogger's ``?m=1``) is refused by name, on every host or on one host and its
  subdomains: the bibliography cites a page at its own address, and the message gives that
  address.

And one page is cited under one address (``twice_cited_pages``): two addresses that differ only
in ``http``/``https``, a ``www.``, a doubled ``/`` or a ``/`` at the end would be listed as two
pages, or a work's page as a page besides the work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import Problem
from .inputfiles import read_text
from .loader import layer_files, read_yaml

#: the editors' list, beside the layer it polices
POLICY = "link-policy.yaml"

#: a URL as written in YAML, BibTeX, MyST or a comment; stops at spaces, quotes and brackets
_URL = re.compile(r"""https?://[^\s"'<>()\[\]{}`]+""")


@dataclass(frozen=True)
class Refusal:
    host: str
    why: str


@dataclass(frozen=True)
class RefusedParameter:
    """A query parameter no cited address may carry: *name*, or every name that begins with
    what precedes a final ``*``; on *host* and its subdomains only, or on every host."""

    name: str
    why: str
    host: str = ""

    def refuses(self, name: str, host: str) -> bool:
        if self.host and not _on(host, self.host):
            return False
        if self.name.endswith("*"):
            return name.startswith(self.name[:-1])
        return name == self.name


@dataclass(frozen=True)
class Policy:
    hosts: list[Refusal]
    parameters: list[RefusedParameter]


def read_policy(docs_dir: Path, problems: list[Problem]) -> Policy:
    """The refused hosts and parameters of *docs_dir*'s policy (none without a policy file)."""
    path = docs_dir / POLICY
    data = (read_yaml(path, "link-policy", problems) if path.is_file() else None) or {}
    return Policy(
        [Refusal(item["host"], item["why"]) for item in data.get("refused", [])],
        [
            RefusedParameter(item["name"], item["why"], item.get("host", ""))
            for item in data.get("parameters", [])
        ],
    )


def checked_files(docs_dir: Path) -> list[Path]:
    """Every file of *docs_dir* whose links readers may follow: the layer and the pages."""
    return [*layer_files(docs_dir), *sorted(docs_dir.glob("*.md"))]


def _on(host: str, refused: str) -> bool:
    return host == refused or host.endswith("." + refused)


def _refusal_for(host: str, refusals: list[Refusal]) -> Refusal | None:
    return next((r for r in refusals if _on(host, r.host)), None)


def _parameter_problem(url: str, host: str, refused: list[RefusedParameter]) -> str | None:
    """What is wrong with *url*'s query, and the address to cite instead; None if nothing."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    found = {name: rule for name, _value in query for rule in refused if rule.refuses(name, host)}
    if not found:
        return None
    kept = [(name, value) for name, value in query if name not in found]
    plain = urlunsplit(parts._replace(query=urlencode(kept, safe="%/:[]")))
    named = ", ".join(f"{name} ({rule.why})" for name, rule in found.items())
    return (
        f"link with a parameter that no cited address carries, {named}: {url}; cite the page "
        f"at its own address, {plain} (the list is docs/{POLICY})"
    )


def _links(docs_dir: Path) -> Iterator[tuple[Path, int, str]]:
    """(file, line, url) for every link of *docs_dir*'s checked files, in order."""
    for path in checked_files(docs_dir):
        text = read_text(path)[0]  # None if unreadable: the file's own problem says why
        for number, line in enumerate((text or "").splitlines(), start=1):
            for match in _URL.finditer(line):
                yield path, number, match.group().rstrip(".,;:")


def refused_links(docs_dir: Path) -> list[Problem]:
    """A problem for each link in *docs_dir* to a refused host (or a subdomain of one), or with
    a refused parameter."""
    problems: list[Problem] = []
    policy = read_policy(docs_dir, problems)
    if not (policy.hosts or policy.parameters):
        return problems
    for path, number, url in _links(docs_dir):
        host = (urlsplit(url).hostname or "").rstrip(".")
        refusal = _refusal_for(host, policy.hosts)
        if refusal:
            problems.append(
                Problem(
                    str(path),
                    number,
                    f"link to a refused host, {refusal.host} ({refusal.why}): {url}; "
                    f"cite the original or a scholarly source instead (the list is "
                    f"docs/{POLICY})",
                )
            )
            continue
        message = _parameter_problem(url, host, policy.parameters)
        if message:
            problems.append(Problem(str(path), number, message))
    return problems


def page_key(url: str) -> str:
    """What names *url*'s page whatever the spelling a citation chose: no scheme, no ``www.``,
    the host's case ignored, a run of ``/`` in the path read as one, a ``/`` ending it dropped."""
    parts = urlsplit(url)
    host = (parts.netloc or "").lower().removeprefix("www.")
    path = _single(parts.path).rstrip("/")
    return urlunsplit(("", host, path, parts.query, parts.fragment))


def twice_cited_pages(docs_dir: Path) -> list[Problem]:
    """A problem for each second address of one page (``page_key``): the lists would print the
    page twice, and a work's address spelt otherwise would be listed besides the work. Given at
    the first line that uses it, naming the first line of the address seen first."""
    first: dict[str, dict[str, tuple[Path, int, int]]] = {}  # key → url → (file, line, uses)
    for path, number, url in _links(docs_dir):
        spellings = first.setdefault(page_key(url), {})
        where = spellings.get(url, (path, number, 0))
        spellings[url] = (where[0], where[1], where[2] + 1)
    problems: list[Problem] = []
    for spellings in first.values():
        (url, (path, number, uses)), *others = spellings.items()
        shown = path.relative_to(docs_dir.parent) if path.is_relative_to(docs_dir.parent) else path
        for other, (other_path, other_number, other_uses) in others:
            problems.append(
                Problem(
                    str(other_path),
                    other_number,
                    f"one page cited under two addresses: {other} (here{_also(other_uses)}) "
                    f"and {url} ({shown}:{number}{_also(uses)}) differ only in "
                    f"{_difference(url, other)}; cite one address everywhere",
                )
            )
    return problems


def _also(uses: int) -> str:
    return f" and {uses - 1} other place{'s' if uses > 2 else ''}" if uses > 1 else ""


def _difference(url: str, other: str) -> str:
    """How two addresses of one page differ: "http/https", "'www.'", "a doubled '/'", "a '/' at
    the end"."""
    a, b = urlsplit(url), urlsplit(other)
    found = [
        "http/https" if a.scheme.lower() != b.scheme.lower() else "",
        "'www.'"
        if a.netloc.lower().startswith("www.") != b.netloc.lower().startswith("www.")
        else "",
        "the host's case" if _host_as_written(a.netloc, b.netloc) else "",
        "a doubled '/'" if _extra_slashes(a.path) != _extra_slashes(b.path) else "",
        "a '/' at the end" if a.path.endswith("/") != b.path.endswith("/") else "",
    ]
    return " and ".join(f for f in found if f) or "spelling"


def _single(path: str) -> str:
    """*path* with each run of ``/`` read as one."""
    return re.sub(r"/{2,}", "/", path)


def _extra_slashes(path: str) -> int:
    return len(path) - len(_single(path))


def _host_as_written(a: str, b: str) -> bool:
    """Whether two hosts of one page are written in different case ("WWW.x.org", "www.x.org";
    "X.org", "www.x.org"): a ``www.`` that only one has is a difference of its own."""
    if a.lower().startswith("www.") == b.lower().startswith("www."):
        return a != b
    return re.sub(r"(?i)^www\.", "", a) != re.sub(r"(?i)^www\.", "", b)
