"""Which pages depend on which files of the editorial layer, so incremental builds stay right.

Sphinx notes dependencies on files only: a directory noted as a dependency counts as missing
and makes its page outdated on every build. So pages depend on the layer's files:

- a text's page on the register, the sigla and the bibliography; its annotations are compared
  with what it was woven from (``bodyedits``): an edit to bodies alone is put in place, any
  other edit re-reads it;
- the register page and the figures on the parts they draw from, and every page that prints
  web sources on the editors' names for them (``web-sources.yaml``). The apparatus and the register
  list what the text pages hold, so they depend on no annotation file: they are rewritten when
  their lists change (see ``backmatter``).

What no page could have noted is handled before reading: a layer file added or removed, or an
annotation file moved to another text, makes the pages concerned outdated.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .check import checked_layer
from .loader import ANNOTATIONS, REFERENCES, REGISTER, WITNESSES, layer_files
from .weblabels import WEB_SOURCES


def note_layer_dependencies(env: BuildEnvironment, *parts: str) -> None:
    """The current page is rebuilt when a file of the layer's *parts* changes."""
    for path in layer_files(Path(env.srcdir), *parts):
        env.note_dependency(str(path))


def note_web_sources(env: BuildEnvironment) -> None:
    """The current page prints web sources: it is rebuilt when their names change."""
    path = Path(env.srcdir) / WEB_SOURCES
    if path.is_file():
        env.note_dependency(str(path))


def note_text_dependencies(env: BuildEnvironment) -> None:
    """A text's page: what its annotations refer to. Its annotations themselves are compared
    with what the page was woven from before reading (``bodyedits``), not by file dates."""
    note_layer_dependencies(env, REGISTER, WITNESSES, REFERENCES)
    note_web_sources(env)  # its readings' sources


def _outdated_by_the_layer(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    docs_dir = Path(env.srcdir).resolve()
    files = [str(p.relative_to(docs_dir)) for p in layer_files(docs_dir)]
    file_texts = {
        str(a.at.path.relative_to(docs_dir)): a.text
        for a in checked_layer(env.srcdir).layer.annotations
    }
    data = env.get_domain("edition").data
    before_files, before_texts = data.get("layer_files"), data.get("file_texts", {})
    data["layer_files"], data["file_texts"] = files, file_texts
    if before_files is None:
        return []
    outdated: set[str] = set()
    if set(before_files) != set(files):  # whoever listed the layer's parts must list again
        layer_dirs = {(docs_dir / part).resolve() for part in (ANNOTATIONS, REGISTER)}
        outdated |= {
            docname
            for docname, deps in env.dependencies.items()
            if any(Path(env.srcdir, dep).resolve().parent in layer_dirs for dep in deps)
        }
    texts = env.get_domain("edition").data["texts"]
    for path in set(before_texts) | set(file_texts):
        old, new = before_texts.get(path), file_texts.get(path)
        if old != new:  # a file that now annotates another text, or none
            outdated |= {texts[key] for key in (old, new) if key in texts}
    return sorted(outdated)


def setup_dependencies(app: Sphinx) -> None:
    app.connect("env-get-outdated", _outdated_by_the_layer)
