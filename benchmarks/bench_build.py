"""Benchmark: the edition's HTML build against plain Sphinx on the same texts.

The plain project has the same pages, theme, MyST and bibliography, but not the
sphinx_critical_edition extension (its one directive becomes a plain container). Each build is
fresh (-E) in a subprocess; the median of several runs is compared. Prints one labelled figure a
line; ``ratio:`` is the full HTML build of the edition over the plain one.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

PLAIN_CONF = """
project = "plain"
extensions = ["myst_parser", "sphinxcontrib.bibtex"]
myst_enable_extensions = ["colon_fence", "attrs_block", "attrs_inline", "deflist"]
myst_heading_anchors = 3
bibtex_bibfiles = ["references.bib"]
html_theme = "sphinx_book_theme"
suppress_warnings = ["ref.footnote"]
"""


def make_plain_project(where: Path) -> Path:
    """A copy of docs/ and source_texts/ that plain Sphinx can build."""
    docs, texts = where / "docs", where / "source_texts"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", "conf.py"))
    shutil.copytree(ROOT / "source_texts", texts)
    (docs / "conf.py").write_text(PLAIN_CONF, encoding="utf-8")
    for md in texts.glob("*.md"):
        text = md.read_text(encoding="utf-8")
        text = re.sub(r":::\{text-part\} \w+\n:label: .*\n", ":::{container}\n", text)
        md.write_text(text, encoding="utf-8")
    index = docs / "index.md"
    index.write_text(re.sub(r"\{edition-pdf\}`([^`]*)`", r"\1", index.read_text()), "utf-8")
    return docs


def time_build(srcdir: Path, outdir: Path, builder: str = "html") -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", builder, str(srcdir), str(outdir)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        plain_docs = make_plain_project(tmp_path / "plain")
        edition = [time_build(DOCS, tmp_path / "edition") for _ in range(args.runs)]
        plain = [time_build(plain_docs, tmp_path / "plain-out") for _ in range(args.runs)]
    e, p = statistics.median(edition), statistics.median(plain)
    print(f"edition html build (s, median of {args.runs}): {e:.2f}")
    print(f"plain sphinx html build (s, median of {args.runs}): {p:.2f}")
    print(f"ratio: {e / p:.2f}")


if __name__ == "__main__":
    main()
