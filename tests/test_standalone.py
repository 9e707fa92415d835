"""The extension stands on its own: nothing in the package names this edition.

Everything particular to an edition comes from its ``conf.py`` and its text manifest, so the
package (code, templates, static files, schemas) must not name this edition's texts, authors,
people or places. The words come from the edition's own files, so a new text or register entry
is covered as soon as it is added.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import DOCS, ROOT

PACKAGE = ROOT / "_ext" / "sphinx_critical_edition"
TEXT_SUFFIXES = {".py", ".html", ".css", ".js", ".json", ".toml", ".txt", ".md", ".yaml", ".in"}

#: words that name this edition whatever its files say
FIXED = ["Sagra", "Pulacayo", "Bolivia", "Bolivian", "1952", "1946", "Marxismo Vivo", "BOL"]


def edition_words(manifest) -> set[str]:
    """Names from the edition's manifest and register: text keys, authors, people, places."""
    words = set(FIXED)
    for spec in manifest.texts:
        words.add(spec.key)
        words.update(part for part in spec.author.split() if len(part) > 3)
    for path in sorted((DOCS / "register").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            if entry["type"] in ("person", "place"):
                words.update(part for part in entry["name"].split() if len(part) > 4)
    return words


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)


def findings(paths: list[Path], words: set[str]) -> list[str]:
    """``path:line: 'word'`` for each of *words* (whole words, any case) in *paths*."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b", re.IGNORECASE)
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.name}:{number}: {m.group(0)!r}" for m in pattern.finditer(line)]
    return found


def test_the_package_names_nothing_of_this_edition(manifest):
    words = edition_words(manifest)
    assert {"sagra", "pulacayo", "Lechín"} <= words  # the register was read
    found = findings(package_files(), words)
    assert not found, "the package names this edition (move it to conf.py or texts.yaml):\n" + (
        "\n".join(found)
    )


def test_a_planted_name_is_found(tmp_path, manifest):
    planted = tmp_path / "layout.html"
    planted.write_text("<p>a critical edition</p>\n<p>with Lechín's speech</p>\n", "utf-8")
    assert findings([planted], edition_words(manifest)) == ["layout.html:2: 'Lechín'"]
