"""The Sphinx project's own pages (``docs/**/*.md``), read as untrusted input.

A pull request may edit the introduction or the principles as well as the layer, and MyST runs
every directive a page names: ``{include}`` of ``/etc/passwd``, ``{eval-rst}``, ``{raw}``. So a
page may hold the Markdown an editor writes, the directives and roles the edition's pages use
(listed here), and an ``{include}`` of a transcription or another page of the project; raw HTML
and everything else is refused with ``path:line``, before any page is parsed for real.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from markdown_it.token import Token

from .errors import Problem
from .safety import CITE_ROLES, TRANSCRIPTION_EXTENSIONS, checking_parser

#: directives a page may use: Sphinx's table of contents and ``only``, the bibliography, the
#: transcriptions' ``text-part`` and the extension's back matter
PAGE_DIRECTIVES = frozenset(
    {
        "toctree",
        "only",
        "include",
        "bibliography",
        "text-part",
        "edition-apparatus",
        "edition-chronology",
        "edition-emendations",
        "edition-map",
        "edition-register",
        "edition-sigla",
        "edition-timeline",
        "edition-web-pages",
    }
)
#: roles a page may use: citations, cross-references (to an editors' note by its id, too), the
#: PDF's download link and the link to the published witness (each links to one file the build
#: publishes, never to a path of choice)
PAGE_ROLES = CITE_ROLES | {"doc", "ref", "edition-pdf", "edition-witness", "edition:note"}

INSTEAD = (
    "a page may use Markdown, the directives "
    + ", ".join(sorted(PAGE_DIRECTIVES))
    + " and the roles "
    + ", ".join(sorted(PAGE_ROLES))
)


def page_problems(docs_dir: Path, transcriptions: Iterable[Path]) -> list[Problem]:
    """What the project's pages may not hold, in every Markdown page of *docs_dir*; a page may
    include the Markdown of the project and of the folders of the manifest's *transcriptions*."""
    folders = tuple({docs_dir.resolve(), *(t.resolve().parent for t in transcriptions)})
    problems: list[Problem] = []
    for page in sorted(docs_dir.rglob("*.md")):
        if "_build" in page.relative_to(docs_dir).parts:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        parse = checking_parser(TRANSCRIPTION_EXTENSIONS).parse
        for line, message in _refusals(parse(text), page, folders, 0, parse):
            problems.append(Problem(str(page), line + 1, message))
    return problems


def _refusals(
    tokens: Sequence[Token],
    page: Path,
    folders: tuple[Path, ...],
    line0: int,
    parse: Callable[[str], list[Token]],
) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for token in tokens:
        line = line0 + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            found.append((line, f"raw HTML is not allowed in a page; {INSTEAD}"))
        elif token.type in ("fence", "colon_fence"):
            name = re.match(r"\{([^}]*)\}\s*(.*)", token.info.strip())
            if name is None:
                continue  # a code block: shown, never run
            directive, argument = name.group(1), name.group(2).strip()
            if directive not in PAGE_DIRECTIVES:
                found.append((line, f"the directive {{{directive}}} is not allowed; {INSTEAD}"))
            elif directive == "include" and not _includable(page.parent / argument, folders):
                found.append(
                    (
                        line,
                        f"{{include}} of {argument!r} is not allowed: a page may include only a "
                        "Markdown file of the Sphinx project or of the transcriptions' folder",
                    )
                )
            else:  # the content of an allowed directive is read as a page too
                found += _refusals(parse(token.content), page, folders, line + 1, parse)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "html_inline":
                    found.append((line, f"raw HTML is not allowed in a page; {INSTEAD}"))
                elif child.type == "myst_role" and child.meta.get("name") not in PAGE_ROLES:
                    role = child.meta.get("name")
                    found.append((line, f"the role {{{role}}} is not allowed; {INSTEAD}"))
    return found


def _includable(target: Path, folders: tuple[Path, ...]) -> bool:
    """Whether *target* (symbolic links followed) is a Markdown file within one of *folders*;
    a file that is not there reads nothing, and Sphinx reports the missing include itself."""
    resolved = target.resolve()
    if not resolved.exists():
        return True
    return (
        resolved.suffix == ".md"
        and resolved.is_file()
        and any(resolved.is_relative_to(folder) for folder in folders)
    )
