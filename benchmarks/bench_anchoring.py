"""Benchmark: anchoring N synthetic annotations over 100 copies of the article.

Each copy of a paragraph starts with a unique marker so that quotes can be unique without a §;
half of the synthetic annotations give ``paragraph``, half rely on the quote alone (the
Aho–Corasick index). Prints the time for 10 000 annotations and how it grows with N (linear
growth doubles the time when N doubles).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from sphinx_critical_edition.anchoring import anchor_all, make_unit, units_of
from sphinx_critical_edition.model import Annotation, Located
from sphinx_critical_edition.plaintext import parse_transcription
from sphinx_critical_edition.texts import load_manifest

ROOT = Path(__file__).resolve().parent.parent
COPIES = 100


def synthetic_units() -> list:
    manifest = load_manifest(ROOT / "source_texts" / "texts.yaml")
    base = units_of(parse_transcription(manifest.text("sagra").transcription))
    base = [u for u in base if u.key.isdigit()]  # the § paragraphs
    units, number = [], 0
    for copy in range(COPIES):
        for unit in base:
            number += 1
            units.append(make_unit(str(number), f"⟨{copy}:{unit.key}⟩ {unit.text}"))
    return units


def synthetic_annotations(units: list, n: int, seed: int = 1952) -> list[Annotation]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        unit = rng.choice(units)
        words = unit.norm.split(" ")
        if i % 2:  # by quote and §
            start = rng.randrange(1, max(2, len(words) - 6))
            quote, paragraph = " ".join(words[start : start + rng.randint(2, 6)]), int(unit.key)
        else:  # by quote alone: the unique marker and the first words
            quote, paragraph = " ".join(words[: rng.randint(2, 5)]), None
        out.append(
            Annotation(
                id=f"s{i}",
                kind="entity",
                text="sagra",
                quote=quote,
                resp="bench",
                cert="low",
                at=Located(Path("synthetic.yaml"), i + 1),
                paragraph=paragraph,
                ref="x",
            )
        )
    return out


def timed(units: list, n: int) -> float:
    annotations = synthetic_annotations(units, n)
    start = time.perf_counter()
    spans, problems = anchor_all(annotations, units)
    elapsed = time.perf_counter() - start
    lost = [p for p in problems if "not found" in p.message]
    assert not lost and spans, lost[:3]  # synthetic quotes come from the text: none is lost
    return elapsed


def main() -> None:
    units = synthetic_units()
    size = sum(len(u.text) for u in units)
    timed(units, 1000)  # warm up
    t = {n: min(timed(units, n) for _ in range(3)) for n in (2500, 5000, 10000)}
    print(f"text size (characters, {COPIES} copies of the article): {size}")
    print(f"anchoring 10000 annotations (s, goal <= 1): {t[10000]:.3f}")
    print(f"anchoring linearity t(10000)/t(5000) (2.0 is linear): {t[10000] / t[5000]:.2f}")
    print(f"anchoring linearity t(5000)/t(2500) (2.0 is linear): {t[5000] / t[2500]:.2f}")


if __name__ == "__main__":
    main()
