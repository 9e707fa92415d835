"""Links the edition refuses: copies of other sites, content farms, unauthorised copies.

The list of refused hosts is the editors' (``docs/link-policy.yaml``), so that adding a host
needs no code. Every URL in the editorial layer, the bibliography and the pages is checked
against it; a host is refused with all its subdomains (``mgwiki.top`` refuses
``de.mgwiki.top``), so a mirror cannot come back under another language prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Problem
from .loader import layer_files, read_yaml

#: the editors' list, beside the layer it polices
POLICY = "link-policy.yaml"

#: a URL as written in YAML, BibTeX, MyST or a comment; stops at spaces, quotes and brackets
_URL = re.compile(r"""https?://[^\s"'<>()\[\]{}`]+""")


@dataclass(frozen=True)
class Refusal:
    host: str
    why: str


def refused_hosts(docs_dir: Path, problems: list[Problem]) -> list[Refusal]:
    """The refused hosts of *docs_dir*'s policy (none when it has no policy file)."""
    path = docs_dir / POLICY
    if not path.is_file():
        return []
    data = read_yaml(path, "link-policy", problems)
    return [Refusal(item["host"], item["why"]) for item in (data or {}).get("refused", [])]


def checked_files(docs_dir: Path) -> list[Path]:
    """Every file of *docs_dir* whose links readers may follow: the layer and the pages."""
    return [*layer_files(docs_dir), *sorted(docs_dir.glob("*.md"))]


def _refusal_for(host: str, refusals: list[Refusal]) -> Refusal | None:
    return next((r for r in refusals if host == r.host or host.endswith("." + r.host)), None)


def refused_links(docs_dir: Path) -> list[Problem]:
    """A problem for each link in *docs_dir* to a refused host (or a subdomain of one)."""
    problems: list[Problem] = []
    refusals = refused_hosts(docs_dir, problems)
    if not refusals:
        return problems
    for path in checked_files(docs_dir):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _URL.finditer(line):
                url = match.group().rstrip(".,;:")
                host = (urlsplit(url).hostname or "").rstrip(".")
                refusal = _refusal_for(host, refusals)
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
    return problems
