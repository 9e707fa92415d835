"""``critical-edition new DIR``: a minimal edition that builds at once.

The files come from the templates in ``scaffold/`` (package data), filled with the title and
author; the witness's sha256 is computed, so ``critical-edition check`` and both builds pass
before the editor has changed anything. Every file says what to replace.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from string import Template

from .errors import EditionError

TEMPLATES = Path(__file__).parent / "scaffold"

#: template → where it goes in the new edition
LAYOUT = {
    "README.md.in": "README.md",
    "conf.py.in": "docs/conf.py",
    "index.md.in": "docs/index.md",
    "text.md.in": "docs/text.md",
    "apparatus.md.in": "docs/apparatus.md",
    "register.md.in": "docs/register.md",
    "bibliography.md.in": "docs/bibliography.md",
    "references.bib.in": "docs/references.bib",
    "witnesses.yaml.in": "docs/witnesses.yaml",
    "annotations.yaml.in": "docs/annotations/text.yaml",
    "names.yaml.in": "docs/register/names.yaml",
    "witness.txt.in": "source_texts/witness/witness.txt",
    "texts.yaml.in": "source_texts/texts.yaml",
}


def create_edition(directory: Path, title: str, author: str = "") -> list[Path]:
    """Write a new edition into *directory* (absent or empty); return the files written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise EditionError(
            f"{directory}: already exists and is not an empty folder; name a new folder"
        )
    witness = (TEMPLATES / "witness.txt.in").read_text(encoding="utf-8")
    values = {
        "title": title,
        "title_py": repr(title),
        "title_yaml": json.dumps(title, ensure_ascii=False),
        "author_py": repr(author),
        "author_yaml": json.dumps(author, ensure_ascii=False),
        "sha256": hashlib.sha256(witness.encode("utf-8")).hexdigest(),
        "last_line": str(len(witness.split("\n"))),
    }
    written = []
    for template, target in LAYOUT.items():
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        if template != "witness.txt.in":  # the witness is copied as it is, byte for byte
            text = Template(text).substitute(values)
        written.append(_write(directory / target, text))
    transcription = "% Structure-only transcription of the witness: its words, with structure.\n\n"
    written.append(_write(directory / "source_texts" / "text.md", transcription + witness))
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
