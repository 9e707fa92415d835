"""Benchmarks of the edition's builds, printed as labelled figures, one a line.

- ``ratio:`` the full HTML build of the edition over plain Sphinx on the same texts (same pages,
  theme, MyST and bibliography, without sphinx_critical_edition; its one directive becomes a
  plain container). Goal: <= 1.5.
- an incremental rebuild after editing one annotation (goal: <= 2 s);
- the PDF build: its CPU time and peak memory, the builder's own share (the build less all
  WeasyPrint does with the final HTML, which the builder times and leaves in
  ``pdf-timings.json`` beside the doctrees; goal <= 15 %), its ratio over WeasyPrint alone on
  the same single-page HTML with the editorial layer (notes, readings, back matter, figures)
  taken out (goal <= 2), and over WeasyPrint alone on the edition's own print HTML, with what
  WeasyPrint spends there on page references and notes (see :func:`bench_pdf`);
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


def weasyprint_alone(
    html_file: Path, target: Path, patched: bool = False
) -> tuple[dict[str, float], float, int]:
    """``weasy_alone.py`` in a child process: (its figures, CPU seconds, peak RSS in KiB)."""
    args = [sys.executable, str(Path(__file__).with_name("weasy_alone.py")), str(html_file)]
    args += [str(target)] + (["--patched"] if patched else [])
    child = subprocess.Popen(args, stdout=subprocess.PIPE)
    out = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise RuntimeError("weasy_alone.py failed")
    return json.loads(out), usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def bench_pdf(edition_docs: Path, tmp_path: Path) -> list[str]:
    """The PDF build's figures (CPU time, which a busy machine inflates less than wall time).

    - the build: its time, peak memory, and the builder's own share: the build's CPU time less
      all WeasyPrint does with the final HTML (the builder times that: importing WeasyPrint,
      parsing, styling, layout, drawing and writing the PDF, the edition's patches to it
      included, its joining of the tags excluded); goal <= 15 %;
    - baseline 1, the issue's: WeasyPrint alone on the same single page with the editorial
      layer (notes, readings, back matter, figures) taken out; goal <= 2. It is a shorter book
      without notes or page references, so
    - baseline 2: WeasyPrint alone, as released, on the edition's own print HTML (the same
      pages), and once more with the edition's patches, each instrumented: what WeasyPrint
      spends on page references (pages laid out again) and on notes (footnote areas measured
      again for each note), and what the patches save.
    """
    step("pdf build")
    pdf_time, pdf_rss, pdf_cpu = run_build(edition_docs, tmp_path / "e-pdf", builder="pdf")
    timings = json.loads((tmp_path / "e-pdf" / ".doctrees" / TIMINGS_FILE).read_text())
    page = tmp_path / "e-pdf" / "index.html"
    step("weasyprint alone, without the editorial layer")
    bare = without_editorial_layer(page, page.with_name("bare.html"))  # beside its stylesheets
    alone, alone_cpu, alone_rss = weasyprint_alone(bare, tmp_path / "alone.pdf")
    step("weasyprint alone on the edition's print html, as released, then patched")
    released, released_cpu, released_rss = weasyprint_alone(page, tmp_path / "released.pdf")
    patched, patched_cpu, _ = weasyprint_alone(page, tmp_path / "patched.pdf", patched=True)
    weasy_cpu = timings["weasyprint_cpu"] - timings["merge_tags_cpu"]
    own_cpu = pdf_cpu - weasy_cpu
    pages = int(timings["pages"])

    def share(part: float) -> str:
        return f"{part:.2f} s, {100 * part / pdf_cpu:.0f} %"

    return [
        f"pdf build (cpu s): {pdf_cpu:.2f} (wall {pdf_time:.2f}); {pages} pages; "
        f"peak memory {pdf_rss / 1024:.0f} MiB",
        f"pdf build, weasyprint's work on the final html (importing it, parsing, styling, "
        f"layout, drawing and writing the pdf, the edition's patches included): cpu "
        f"{weasy_cpu:.2f} s (layout {timings['layout_cpu']:.2f}, writing "
        f"{timings['write_cpu'] - timings['merge_tags_cpu']:.2f})",
        f"pdf build, the builder's own share (the rest: starting Python, Sphinx and the "
        f"extension reading and writing the pages, the single html page, joining the pdf's "
        f"tags {timings['merge_tags_cpu']:.2f} s; goal <= 15 %): cpu {share(own_cpu)}; "
        f"all but weasyprint's layout: {share(pdf_cpu - timings['layout_cpu'])}",
        f"baseline 1, weasyprint alone on the same html without the editorial layer: "
        f"{alone['pages']} pages, cpu {alone_cpu:.2f} s, peak memory {alone_rss / 1024:.0f} MiB",
        f"pdf ratio (edition pdf build / baseline 1, cpu, goal <= 2): {pdf_cpu / alone_cpu:.2f}",
        f"baseline 2, weasyprint alone as released on the edition's print html: "
        f"{released['pages']} pages, cpu {released_cpu:.2f} s, peak memory "
        f"{released_rss / 1024:.0f} MiB; with the edition's patches: cpu {patched_cpu:.2f} s",
        f"pdf ratio (edition pdf build / baseline 2, cpu): {pdf_cpu / released_cpu:.2f}",
        f"weasyprint on the edition's print html, as released / patched: {released['layouts']}"
        f" / {patched['layouts']} page layouts for {released['pages']} pages, laying pages out"
        f" again (page references) cpu {released['relayout_cpu']:.2f} / "
        f"{patched['relayout_cpu']:.2f} s; measuring footnote areas ({released['notes_measured']}"
        f" notes, each page's notes again for each note added) cpu {released['notes_cpu']:.2f} /"
        f" {patched['notes_cpu']:.2f} s; layout in all cpu {released['layout_cpu']:.2f} / "
        f"{patched['layout_cpu']:.2f} s",
        f"baseline 1's book, by the same measure: {alone['layouts']} page layouts for "
        f"{alone['pages']} pages, measuring footnote areas cpu {alone['notes_cpu']:.2f} s, "
        f"layout cpu {alone['layout_cpu']:.2f} s",
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
