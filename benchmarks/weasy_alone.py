"""WeasyPrint alone on one HTML file, with the PDF builder's fonts and options: a baseline.

``python benchmarks/weasy_alone.py PAGE.html OUT.pdf [--patched]`` writes the PDF as the
``pdf`` builder does, and nothing of Sphinx, then prints one JSON object:

- ``pages``: the PDF's pages; ``layouts``: how many times WeasyPrint laid a page out;
- ``layout_cpu``: CPU seconds of ``render`` (styling and layout); ``relayout_cpu``: of that, the
  layouts of a page before its last one, which page references (``target-counter``) cause;
- ``notes_cpu``: CPU seconds spent measuring footnote areas (``_update_footnote_area``: the
  page's notes laid out again each time one joins the page); ``notes_measured``: the notes in
  those measures (a page's ninth note brings its measure to nine notes).

A stylesheet or image that fails to load stops it with an error: a baseline without the print
stylesheet would be another book.

``--patched`` runs it with the edition's patches, as the builder does
(``sphinx_critical_edition.pdf.builder.weasyprint_patched``: two note series, one tag per
element, page references and notes laid out once, the layout's mends); without it, WeasyPrint
as released. ``bench_build.py`` runs this in a child process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def instrument() -> dict[str, Any]:
    """Count and time WeasyPrint's page layouts and footnote-area measures (figures above)."""
    from weasyprint.layout import LayoutContext
    from weasyprint.layout import page as page_layout

    figures: dict[str, Any] = {"page_cpu": defaultdict(list), "notes_cpu": 0.0}
    figures["notes_measured"] = 0
    make_page = page_layout.make_page
    update_footnote_area = LayoutContext._update_footnote_area

    def timed_make_page(context: Any, root_box: Any, page_type: Any, *args: Any) -> Any:
        cpu = time.process_time()
        try:
            return make_page(context, root_box, page_type, *args)
        finally:
            figures["page_cpu"][args[1]].append(time.process_time() - cpu)  # by page number

    def timed_update(self: Any) -> Any:
        figures["notes_measured"] += len(self.current_page_footnotes)
        cpu = time.process_time()
        try:
            return update_footnote_area(self)
        finally:
            figures["notes_cpu"] += time.process_time() - cpu

    page_layout.make_page = timed_make_page
    LayoutContext._update_footnote_area = timed_update
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html", type=Path)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--patched", action="store_true", help="with the edition's patches")
    args = parser.parse_args()

    from sphinx_critical_edition.pdf.builder import weasyprint_patched
    from sphinx_critical_edition.pdf.fonts import font_face_css
    from sphinx_critical_edition.pdf.weasy import merge_page_fragments
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    figures = instrument()
    unloaded: list[str] = []

    class Unloaded(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("Failed to load"):
                unloaded.append(record.getMessage())

    logging.getLogger("weasyprint").addHandler(Unloaded(level=logging.ERROR))
    fonts = FontConfiguration()
    options = {
        "stylesheets": [CSS(string=font_face_css(), font_config=fonts)],
        "pdf_variant": "pdf/ua-1",
        "pdf_identifier": b"sphinx-critical-edition",
        "custom_metadata": True,
    }
    html = HTML(filename=str(args.html), base_url=str(args.html.parent))
    sources: dict[int, Any] = {}
    with contextlib.ExitStack() as patches:
        finisher = None
        if args.patched:
            patches.enter_context(weasyprint_patched(html, sources))

            def finisher(_document: Any, pdf: Any) -> None:
                merge_page_fragments(pdf, sources)

        cpu = time.process_time()
        document = html.render(font_config=fonts, **options)
        layout_cpu = time.process_time() - cpu
        document.write_pdf(str(args.pdf), finisher=finisher, **options)
    if unloaded:
        sys.exit(f"{args.html}: {unloaded[0]}")
    by_page = figures["page_cpu"]
    print(
        json.dumps(
            {
                "pages": len(document.pages),
                "layouts": sum(len(times) for times in by_page.values()),
                "layout_cpu": layout_cpu,
                "relayout_cpu": sum(sum(times[:-1]) for times in by_page.values()),
                "notes_cpu": figures["notes_cpu"],
                "notes_measured": figures["notes_measured"],
            }
        )
    )


if __name__ == "__main__":
    main()
