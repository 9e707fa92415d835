"""Benchmark: the check's cost is bounded whatever the layer holds.

Two goals from the project's issue on untrusted input:

- overlap detection is O(n log n): 10 000 annotations on one span take at most 2 s (they took
  12 s when every span was compared with every span after it); the growth per doubling is
  printed (2.0–2.3 is n log n, 4 is quadratic);
- ``critical-edition check`` on any layer under 1 MB ends in at most 2 s: a copy of the
  project gets about 700 kB of hostile annotations of one shape at a time (the layer's own
  300 kB stay), and the whole check is timed (process time, best of three).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sphinx_critical_edition.anchoring import Span, check_overlaps, make_unit
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.loader import _parse_bibliography
from sphinx_critical_edition.model import Annotation, Located

ROOT = Path(__file__).resolve().parent.parent
#: hostile annotations added to the layer (the limit is on the whole layer)
BUDGET = 700_000


def overlap_seconds(n: int, kind: str = "note") -> float:
    """check_overlaps on *n* spans of one paragraph, all on the same words."""
    unit = make_unit("1", "The tin barons Patiño, Hottschild and Atamayo.")
    spans = [
        Span(
            Annotation(
                id=f"s{i}",
                kind=kind,
                text="sagra",
                quote="Hottschild",
                resp="bench",
                cert="low",
                at=Located(Path("synthetic.yaml"), i + 1),
            ),
            unit,
            23,
            33,
        )
        for i in range(n)
    ]
    start = time.process_time()
    check_overlaps(spans)
    return time.process_time() - start


def annotation(i: int, quote: str, extra: str = "") -> str:
    return (
        f"  - id: h{i}\n    kind: note\n    quote: {quote}\n    resp: x\n    cert: low\n"
        f"    body: b\n    sources: []\n{extra}"
    )


def one_span(i: int) -> str:
    return annotation(i, "Hottschild")


def one_letter(i: int) -> str:  # ambiguous: thousands of matches each
    return annotation(i, "e")


def mistyped(i: int) -> str:  # not found: each would want a did-you-mean
    words = ["revolushun", "Hotschild", "Lechinn", "Pulacayo Theeses", "tin barrons"]
    return annotation(i, f"the {random.Random(i).choice(words)} {i}")


def wrong_prefix(i: int) -> str:  # found everywhere, never with its prefix
    return annotation(i, "the", f"    prefix: 'no such words {i} '\n")


def long_quote(i: int) -> str:  # long quotes found nowhere
    return annotation(i, "'" + "the workers of Bolivia " * 12 + f"{i}'")


def invalid(i: int) -> str:  # records the schema refuses (no resp, an odd kind)
    return f"  - {{id: h{i}, kind: remark, quote: x, cert: low}}\n"


def tag_starts(i: int) -> str:  # bodies of "<a<a<a…" (a quadratic regex took minutes)
    return annotation(i, "Hottschild").replace("body: b", "body: " + "<a" * 5000)


SHAPES: dict[str, Callable[[int], str]] = {
    "10 000 on one span": one_span,
    "one-letter quotes": one_letter,
    "mistyped quotes": mistyped,
    "prefixes that never fit": wrong_prefix,
    "long quotes found nowhere": long_quote,
    "bodies full of tag starts": tag_starts,
    "records the schema refuses": invalid,
}


def hostile_bibliography(docs: Path) -> int:
    """BUDGET bytes of entries whose notes are LaTeX (each a problem with its line)."""
    bib = docs / "references.bib"
    entries = [
        f"@book{{zz{i},\n  author = {{Author, An}},\n  title = {{Title {i}}},\n"
        f"  year = {{1999}},\n  note = {{pages 1--2}},\n}}\n"
        for i in range(BUDGET // 100)
    ]
    bib.write_text(bib.read_text(encoding="utf-8") + "".join(entries), encoding="utf-8")
    return len(entries)


def hostile_layer(docs: Path, make: Callable[[int], str], limit: int | None) -> int:
    """Annotation files of *make*'s shape: BUDGET bytes of them, or *limit* annotations."""
    chunks, size, i = [], 0, 0
    while (size < BUDGET) if limit is None else (i < limit):
        chunks.append(make(i))
        size += len(chunks[-1].encode())
        i += 1
    half = len(chunks) // 2  # two files: each under the 1 MB a file may have
    for name, part in (("zz-a", chunks[:half]), ("zz-b", chunks[half:])):
        text = "text: sagra\nannotations:\n" + "".join(part)
        (docs / "annotations" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return i


def check_seconds(docs: Path) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(3):
        _parse_bibliography.cache_clear()  # as in a fresh `critical-edition check` process
        start = time.process_time()
        found = len(check_edition(docs).problems)
        best = min(best, time.process_time() - start)
    return best, found


def layer_bytes(docs: Path) -> int:
    files = [*docs.glob("*.yaml"), docs / "references.bib", *docs.glob("*/*.yaml")]
    return sum(f.stat().st_size for f in files)


def main() -> None:
    t = {n: min(overlap_seconds(n) for _ in range(5)) for n in (10_000, 20_000, 40_000)}
    print(f"overlaps, 10000 notes on one span (s, goal <= 2): {t[10_000]:.3f}")
    growth = t[20_000] / t[10_000], t[40_000] / t[20_000]
    print(
        f"overlaps, growth per doubling (2 linear, 4 quadratic): {growth[0]:.2f}, {growth[1]:.2f}"
    )
    emendations = overlap_seconds(10_000, "emendation")
    print(f"overlaps, 10000 emendations on one span, each a problem (s): {emendations:.3f}")

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "docs", Path(tmp) / "docs", ignore=shutil.ignore_patterns("_build"))
        shutil.copytree(ROOT / "source_texts", Path(tmp) / "source_texts")
        docs = Path(tmp) / "docs"
        seconds, _ = check_seconds(docs)
        print(f"check, the edition's own layer ({layer_bytes(docs):,} bytes) (s): {seconds:.3f}")
        for name, make in SHAPES.items():
            n = hostile_layer(docs, make, 10_000 if "one span" in name else None)
            seconds, found = check_seconds(docs)
            print(
                f"check, {name}: {n} annotations, layer {layer_bytes(docs):,} bytes, "
                f"{found} problems (s, goal <= 2): {seconds:.3f}"
            )
        for name in ("zz-a", "zz-b"):
            (docs / "annotations" / f"{name}.yaml").unlink()
        n = hostile_bibliography(docs)
        seconds, found = check_seconds(docs)
        print(
            f"check, a bibliography of {n} more entries with LaTeX notes, layer "
            f"{layer_bytes(docs):,} bytes, {found} problems (s, goal <= 2): {seconds:.3f}"
        )


if __name__ == "__main__":
    main()
