"""Benchmarks of the edition's builds, printed as labelled figures, one a line.

- ``ratio:`` the full HTML build of the edition over plain Sphinx on the same texts (same pages,
  theme, MyST and bibliography, without sphinx_critical_edition; its one directive becomes a
  plain container). Goal: <= 1.5.
- an incremental rebuild after editing one annotation (goal: <= 2 s);
- the PDF build: its time and peak memory, the builder's own share (everything but WeasyPrint's
  layout of the final HTML, which the builder times and leaves in ``pdf-timings.json`` beside
  the doctrees; goal <= 15 %), and its ratio over WeasyPrint alone on the same single-page HTML
  with the editorial layer (notes, readings, back matter, figures) taken out (goal <= 2);
- the article page's weight (HTML, CSS and JS it loads), over the plain build's;
- peak memory (max RSS) of the edition's HTML build, over the plain build's.

Each build runs in a subprocess. The edition's and plain Sphinx's fresh builds are interleaved,
``--runs`` of each, so each edition build has a plain build beside it that met the same spell
of the machine. ``ratio:`` is the median of those paired ratios: on a shared machine, where a
single build may take 20 % longer or shorter, it is steadier than a ratio of two separate
figures. The ratio of the best times (as ``timeit`` reports), the ratio of the medians and the
paired ratio of CPU time (user + system, which a busy machine inflates less) are printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sphinx_critical_edition.pdf.builder import TIMINGS_FILE

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

PLAIN_CONF = """
project = "plain"
extensions = ["myst_parser", "sphinxcontrib.bibtex"]
myst_enable_extensions = ["colon_fence", "attrs_block", "attrs_inline", "deflist"]
myst_heading_anchors = 3
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
html_theme = "sphinx_book_theme"
suppress_warnings = ["ref.footnote", "bibtex.missing_field"]
"""
EDITION_ONLY = re.compile(r"```\{edition-[a-z]+\}\n(:[^\n]*\n)*```\n")


def make_plain_project(where: Path) -> Path:
    """A copy of docs/ and source_texts/ that plain Sphinx can build."""
    docs, texts = where / "docs", where / "source_texts"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", "conf.py", "_templates"))
    shutil.copytree(ROOT / "source_texts", texts)
    (docs / "conf.py").write_text(PLAIN_CONF, encoding="utf-8")
    for md in texts.glob("*.md"):
        text = md.read_text(encoding="utf-8")
        text = re.sub(r":::\{text-part\} \w+\n:label: .*\n", ":::{container}\n", text)
        md.write_text(text, encoding="utf-8")
    for md in docs.glob("*.md"):
        text = re.sub(r"\{edition-pdf\}`([^`]*)`", r"\1", md.read_text(encoding="utf-8"))
        md.write_text(EDITION_ONLY.sub("", text), encoding="utf-8")
    return docs


def run_build(
    srcdir: Path, outdir: Path, builder: str = "html", fresh: bool = True
) -> tuple[float, int, float]:
    """(seconds, peak RSS in KiB, CPU seconds) of one sphinx-build in its own child process.

    A fresh build starts from an empty output directory, so that nothing kept beside the
    doctrees (the edition's compiled templates, for one) is reused."""
    if fresh:
        shutil.rmtree(outdir, ignore_errors=True)
    args = [sys.executable, "-m", "sphinx", "-q", "-b", builder, str(srcdir), str(outdir)]
    start = time.perf_counter()
    child = subprocess.Popen(
        args + (["-E"] if fresh else []), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(child.stderr.read().decode() if child.stderr else "build failed")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def page_weight(outdir: Path, page: str) -> int:
    """Bytes of the page plus the local CSS and JS it loads."""
    html = (outdir / page).read_text(encoding="utf-8")
    total = len(html.encode())
    for ref in re.findall(r'(?:href|src)="([^"#?]+\.(?:css|js))', html):
        path = outdir / ref
        if path.is_file():
            total += path.stat().st_size
    return total


def without_editorial_layer(html_file: Path, target: Path) -> Path:
    """The PDF builder's single-page HTML with the editorial layer taken out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    for node in soup.select(
        ".ce-note-editorial, .ce-noteref-editorial, .ce-fn-ref-editorial, .ce-rdgs, .ce-sic, "
        ".ce-apparatus, table.ce-emendations, .ce-register, .ce-figure"
    ):
        node.decompose()
    target.write_text(str(soup), encoding="utf-8")
    return target


def weasyprint_alone(html_file: Path, target: Path) -> tuple[float, float]:
    """WeasyPrint with the same fonts and options, and nothing of Sphinx: (seconds, CPU)."""
    code = (
        "import sys\n"
        "from weasyprint import CSS, HTML\n"
        "from weasyprint.text.fonts import FontConfiguration\n"
        "from sphinx_critical_edition.pdf.fonts import font_face_css\n"
        "fonts = FontConfiguration()\n"
        "HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], font_config=fonts,\n"
        "    stylesheets=[CSS(string=font_face_css(), font_config=fonts)],\n"
        "    pdf_variant='pdf/ua-1')\n"
    )
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(html_file), str(target)])
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise RuntimeError("weasyprint alone failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def bench_pdf(edition_docs: Path, tmp_path: Path) -> list[str]:
    """The PDF build's figures: time, the builder's own share, peak memory, the baseline."""
    step("pdf build")
    pdf_time, pdf_rss, pdf_cpu = run_build(edition_docs, tmp_path / "e-pdf", builder="pdf")
    timings = json.loads((tmp_path / "e-pdf" / ".doctrees" / TIMINGS_FILE).read_text())
    step("weasyprint alone")
    bare = without_editorial_layer(tmp_path / "e-pdf" / "index.html", tmp_path / "bare.html")
    alone, alone_cpu = weasyprint_alone(bare, tmp_path / "alone.pdf")
    own = pdf_time - timings["layout"]
    own_cpu = pdf_cpu - timings["layout_cpu"]
    return [
        f"pdf build (s): {pdf_time:.2f} (cpu {pdf_cpu:.2f}); weasyprint alone on the same html "
        f"without the editorial layer (s): {alone:.2f} (cpu {alone_cpu:.2f})",
        f"pdf ratio (edition pdf build / weasyprint alone, goal <= 2): {pdf_time / alone:.2f} "
        f"(cpu {pdf_cpu / alone_cpu:.2f})",
        f"pdf build, weasyprint's layout of the final html (s): {timings['layout']:.2f} "
        f"(cpu {timings['layout_cpu']:.2f}); writing the pdf (s): {timings['write']:.2f} "
        f"(cpu {timings['write_cpu']:.2f}), of which joining the tags {timings['merge_tags']:.2f}",
        f"pdf build, the builder's own share (all but weasyprint's layout, goal <= 15 %): "
        f"{own:.2f} s, {100 * own / pdf_time:.0f} % (cpu {own_cpu:.2f} s, "
        f"{100 * own_cpu / pdf_cpu:.0f} %); without weasyprint's writing either: cpu "
        f"{own_cpu - timings['write_cpu']:.2f} s, "
        f"{100 * (own_cpu - timings['write_cpu']) / pdf_cpu:.0f} %",
        f"pdf build peak memory (MiB): {pdf_rss / 1024:.0f}",
    ]


def step(what: str) -> None:
    print(f"… {what}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-only", action="store_true", help="only the PDF figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        plain_docs = make_plain_project(tmp_path / "plain")
        edition_copy = tmp_path / "edition"
        shutil.copytree(DOCS, edition_copy / "docs", ignore=shutil.ignore_patterns("_build"))
        shutil.copytree(ROOT / "source_texts", edition_copy / "source_texts")
        edition_docs = edition_copy / "docs"
        pdf_figures = bench_pdf(edition_docs, tmp_path)
        if args.pdf_only:
            print("\n".join(pdf_figures))
            return

        step("html builds")
        edition, plain = [], []
        for _ in range(args.runs):  # interleaved, so a slower spell of the machine hits both
            edition.append(run_build(edition_docs, tmp_path / "e-out"))
            plain.append(run_build(plain_docs, tmp_path / "p-out"))
        e, p = min(run[0] for run in edition), min(run[0] for run in plain)
        e_med = statistics.median(run[0] for run in edition)
        p_med = statistics.median(run[0] for run in plain)
        paired = statistics.median(ed[0] / pl[0] for ed, pl in zip(edition, plain, strict=True))
        paired_cpu = statistics.median(ed[2] / pl[2] for ed, pl in zip(edition, plain, strict=True))

        step("incremental rebuild")
        annotations = edition_docs / "annotations" / "sagra-starter.yaml"
        rebuilds = []
        for run in range(args.runs):  # edit one note's body back and forth, rebuild each time
            old, new = ("Misspelt name", "Misspelled name")[:: 1 if run % 2 == 0 else -1]
            annotations.write_text(annotations.read_text().replace(old, new))
            rebuilds.append(run_build(edition_docs, tmp_path / "e-out", fresh=False)[0])
        incremental, incremental_med = min(rebuilds), statistics.median(rebuilds)
        plain_rebuilds = []  # the floor: plain Sphinx rewriting the same page after a touch
        for _ in range(args.runs):
            os.utime(plain_docs / "article.md")
            plain_rebuilds.append(run_build(plain_docs, tmp_path / "p-out", fresh=False)[0])

        e_weight = page_weight(tmp_path / "e-out", "article.html")
        p_weight = page_weight(tmp_path / "p-out", "article.html")
        e_rss, p_rss = max(run[1] for run in edition), max(run[1] for run in plain)

    print(f"edition html build (s, best of {args.runs}): {e:.2f} (median {e_med:.2f})")
    print(f"plain sphinx html build (s, best of {args.runs}): {p:.2f} (median {p_med:.2f})")
    print(f"ratio: {paired:.2f}")
    print(f"ratio of the best times: {e / p:.2f}")
    print(f"ratio of the medians: {e_med / p_med:.2f}")
    print(f"ratio of CPU time (median of pairs): {paired_cpu:.2f}")
    print(
        f"incremental rebuild after editing one annotation (s, best of {args.runs}, "
        f"goal <= 2): {incremental:.2f} (median {incremental_med:.2f})"
    )
    print(
        f"plain sphinx rebuild of the same page after a touch (s, best of {args.runs}): "
        f"{min(plain_rebuilds):.2f} (median {statistics.median(plain_rebuilds):.2f})"
    )
    print(
        f"article page weight, html+css+js (KiB): edition {e_weight / 1024:.0f}, "
        f"plain {p_weight / 1024:.0f}"
    )
    print(f"page weight ratio: {e_weight / p_weight:.2f}")
    print(f"peak memory (MiB): edition {e_rss / 1024:.0f}, plain {p_rss / 1024:.0f}")
    print(f"peak memory ratio: {e_rss / p_rss:.2f}")
    print("\n".join(pdf_figures))


if __name__ == "__main__":
    main()
