"""Which pages depend on which files of the editorial layer, so incremental builds stay right.

Sphinx notes dependencies on files only: a directory noted as a dependency counts as missing
and makes its page outdated on every build. Pages therefore depend on each layer file, and a
file added to or removed from the layer (which no page could have noted) makes every page that
depends on the layer outdated.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: the layer's files, as paths under docs/ (folders hold one file per group of records)
ANNOTATIONS, REGISTER = "annotations", "register"
WITNESSES, REFERENCES, CHRONOLOGY = "witnesses.yaml", "references.bib", "chronology.yaml"


def layer_files(docs_dir: Path, *parts: str) -> list[Path]:
    """The existing files of the layer's *parts* (all parts when none is named), sorted."""
    files: list[Path] = []
    for part in parts or (WITNESSES, REFERENCES, CHRONOLOGY, ANNOTATIONS, REGISTER):
        path = docs_dir / part
        files += sorted(path.glob("*.yaml")) if path.suffix == "" else [path]
    return [f for f in files if f.is_file()]


def note_layer_dependencies(env: BuildEnvironment, *parts: str) -> None:
    """The current page is rebuilt when a file of the layer's *parts* changes."""
    for path in layer_files(Path(env.srcdir), *parts):
        env.note_dependency(str(path))


def _pages_of_added_or_removed_files(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    docs_dir = Path(env.srcdir)
    now = [str(p.relative_to(docs_dir)) for p in layer_files(docs_dir)]
    data = env.get_domain("edition").data
    before = data.get("layer_files")
    data["layer_files"] = now
    if before is None or before == now:
        return []
    layer_dirs = {(docs_dir / part).resolve() for part in (ANNOTATIONS, REGISTER)}
    return sorted(
        docname
        for docname, deps in env.dependencies.items()
        if any(Path(env.srcdir, dep).resolve().parent in layer_dirs for dep in deps)
    )


def setup_dependencies(app: Sphinx) -> None:
    app.connect("env-get-outdated", _pages_of_added_or_removed_files)
