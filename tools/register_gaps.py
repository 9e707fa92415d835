"""Names of register entries that occur in the texts without an ``entity`` annotation.

For every register entry, the words to look for are its name, its surname, its variants (a
bracketed qualifier such as "(witness)" left out) and, for a person, the last word of the surname;
each paragraph or author's note of a transcription where one of them occurs but no ``entity``
annotation links that place to the entry is reported, with the words found. The editors read the
report and add the annotations that are right (a surname can also name a relative or a street).

Usage: ``python tools/register_gaps.py [--docs docs]``.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from layer_cli import layer_paths
from sphinx_critical_edition.anchoring import Unit, units_of
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.texts import load_manifest

#: words too common to be searched alone (a surname that is also an English word)
TOO_COMMON = {"paz", "the", "party", "power"}

#: places where a name is found but names something else (text, unit key, entry id) and why; the
#: report leaves them out, so that it lists only what the editors have not yet decided
NOT_THE_ENTRY = {
    ("sagra", "10", "guevara-arze"): "Castro-Guevara: Ernesto Guevara",
    ("sagra", "59", "che-guevara"): "Walter Guevara Arze",
    ("sagra", "65", "por"): "the Argentine POR",
    ("sagra", "66", "por"): "the Argentine POR",
    ("sagra", "n20", "por"): "the Argentine POR",
    ("sagra", "41", "la-paz"): "the department, not the city",
    ("sagra", "41", "oruro"): "the department, not the city",
    ("sagra", "n5", "la-paz"): "a place of publication",
    ("sagra", "n12", "la-paz"): "a place of publication",
    ("sagra", "n15", "la-paz"): "a place of publication",
    ("sagra", "15", "pulacayo"): "the title of the Theses",
    ("sagra", "32", "pulacayo"): "the title of the Theses",
    ("pulacayo", "3", "pulacayo"): "the title of the Theses",
    ("sagra", "n19", "fi"): "the title of a journal",
    ("sagra", "n23", "fi"): "the title of a journal",
    ("sagra", "74", "pcb"): "Stalinism, not the party",
    ("sagra", "75", "pcb"): "Stalinism, not the party",
    ("sagra", "n6", "pcb"): "Stalinism, not the party",
    ("sagra", "24", "transitional-program"): "transitional demands, not the programme",
}


def search_terms(entry: dict) -> set[str]:
    """The forms under which *entry* may appear in a text."""
    terms = {entry["name"]}
    if entry.get("surname"):
        terms.add(entry["surname"])
        if entry.get("type") == "person":
            terms.add(entry["surname"].split()[0])
    for variant in entry.get("variants", []) or []:
        terms.add(re.sub(r"\s*\([^)]*\)\s*$", "", variant))
    return {t for t in terms if len(t) > 2 and t.casefold() not in TOO_COMMON}


def linked_places(docs: Path, units: dict[str, list[Unit]]) -> dict[tuple[str, str], set[str]]:
    """(text, entry id) → the unit keys where an entity annotation links the entry (an
    annotation without ``paragraph`` counts for every unit its quote occurs in)."""
    linked: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sorted((docs / "annotations").glob("*.yaml")):
        layer = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ann in layer.get("annotations", []):
            if ann.get("kind") != "entity":
                continue
            if "paragraph" in ann:
                keys = {str(ann["paragraph"])}
            else:
                quote = " ".join(ann["quote"].split())
                keys = {u.key for u in units.get(layer["text"], []) if quote in u.norm}
            linked[(layer["text"], ann["ref"])] |= keys
    return linked


def gaps(docs: Path, manifest: Path) -> list[str]:
    """One line per (entry, paragraph) where the entry's name occurs unlinked."""
    entries = []
    for path in sorted((docs / "register").glob("*.yaml")):
        entries += yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    specs = load_manifest(manifest).texts
    units = {spec.key: units_of(parse_transcription(spec.transcription)) for spec in specs}
    linked = linked_places(docs, units)
    report = []
    for spec in specs:
        for entry in entries:
            patterns = [re.compile(rf"\b{re.escape(t)}\b") for t in search_terms(entry)]
            done = linked.get((spec.key, entry["id"]), set())
            for unit in units[spec.key]:
                found = sorted({m.group(0) for p in patterns for m in p.finditer(unit.norm)})
                decided = unit.key in done or (spec.key, unit.key, entry["id"]) in NOT_THE_ENTRY
                if found and not decided:
                    report.append(f"{entry['id']}\t{spec.key} {unit.label}\t{', '.join(found)}")
    return report


def main(argv: list[str] | None = None) -> int:
    docs, manifest = layer_paths(__doc__.splitlines()[0], argv)
    lines = gaps(docs, manifest)
    print("\n".join(lines) if lines else "every name in the texts is linked")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
