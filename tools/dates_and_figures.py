"""Dates, numbers and figures in the texts, with the annotations that cover each one.

For every paragraph (§) and author's note of each transcription, the report lists each year, full
date, month, percentage, count and sum it finds, one per line: the text, the place (``sagra §27``,
``sagra note 3``), the ids of the annotations whose quote contains it (``-`` if none), and the ids
of the other notes on the same paragraph, which may discuss it. The editors read the report and
decide, figure by figure, whether a note is needed; the script decides nothing.

Usage: ``python tools/dates_and_figures.py [--docs docs] [--manifest source_texts/texts.yaml]``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from layer_cli import layer_paths
from sphinx_critical_edition.anchoring import Unit, units_of
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.texts import load_manifest

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Julio"  # a Spanish month name the witness keeps
)
NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty"
    "|hundred|thousand|million|dozens|half|twice"
)

#: what counts as a date or a figure: a day and month with an optional year, a month and year, a
#: year, an elided year ('52), a number with its unit (%, thousand, million), or a number word;
#: a month is matched with its capital only ("march" and "may" are also verbs)
FIGURE = re.compile(
    rf"\b\d{{1,2}}(?:-\d{{1,2}})?\s+(?:{MONTHS})(?:,?\s+(?:of\s+)?\d{{4}})?"
    rf"|\b(?:{MONTHS})(?:/(?:{MONTHS}))?(?:\s+\d{{1,2}}\b(?!\d))?(?:,?\s+(?:of\s+)?\d{{4}})?"
    r"|’\d\d(?:-’\d\d)?"
    r"|\b\d(?:[\d,.]*\d)?(?:\s*%|\s+(?:thousand|million)\b)?"
    rf"|\b(?i:{NUMBER_WORDS})\b(?:[ -]\w+)?",
)


def layer(docs: Path) -> dict[str, list[dict]]:
    """Text key → its annotations (entities left out: a name is not a figure)."""
    found: dict[str, list[dict]] = {}
    for path in sorted((docs / "annotations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kept = [a for a in data.get("annotations", []) if a.get("kind") != "entity"]
        found.setdefault(data["text"], []).extend(kept)
    return found


def spans(annotation: dict, unit: Unit) -> list[tuple[int, int]]:
    """Where *annotation*'s quote lies in *unit* (none if it names another paragraph)."""
    if "paragraph" in annotation and str(annotation["paragraph"]) != unit.key:
        return []
    quote = " ".join(annotation["quote"].split())
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), unit.norm)]


def report(docs: Path, manifest: Path) -> list[str]:
    """One tab-separated line per date or figure found."""
    annotations = layer(docs)
    lines = []
    for spec in load_manifest(manifest).texts:
        for unit in units_of(parse_transcription(spec.transcription)):
            placed = [(a, spans(a, unit)) for a in annotations.get(spec.key, [])]
            placed = [(a, s) for a, s in placed if s]
            for match in FIGURE.finditer(unit.norm):
                start, end = match.span()
                covering = [
                    a["id"] for a, s in placed if any(b <= start and end <= e for b, e in s)
                ]
                nearby = [a["id"] for a, _ in placed if a["kind"] == "note"]
                nearby = [i for i in nearby if i not in covering]
                lines.append(
                    "\t".join(
                        [
                            match.group(0),
                            f"{spec.key} {unit.label}",
                            ", ".join(covering) or "-",
                            ", ".join(nearby) or "-",
                        ]
                    )
                )
    return lines


def main(argv: list[str] | None = None) -> int:
    docs, manifest = layer_paths(__doc__.splitlines()[0], argv)
    print("\n".join(report(docs, manifest)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
