"""The ``pdf`` builder: Sphinx's single-page HTML, a print theme, then WeasyPrint.

Everything a print reader needs is CSS Paged Media (``theme/edition_print/static/print.css``):
footnotes at the foot of the page, § numbers in the margin, running heads, a table of contents
with page numbers. The PDF is tagged (PDF/UA-1) and carries title, author and language.
"""

from __future__ import annotations

import gc
import json
import logging as std_logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.locale import __
from sphinx.util import logging

from ..config import setting_source
from ..errors import EditionError
from ..links import single_page_fragment
from ..parts import text_part, text_part_label
from .fonts import font_face_css
from .mending import mended_layout
from .weasy import (
    merge_page_fragments,
    notes_measured_once,
    page_references_resolved_early,
    two_note_series,
    whole_elements,
)

logger = logging.getLogger(__name__)

#: seconds (wall and CPU) of the last PDF's steps (:class:`Timings`), beside the doctrees
TIMINGS_FILE = "pdf-timings.json"

_DOUBLE_FRAGMENT = re.compile(r'href="#document-[^"#]+#')


def build_date() -> datetime:
    """The date recorded in the PDF: ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)


def as_book(tree: nodes.document) -> nodes.document:
    """The assembled pages as a book: each page a chapter, siblings in the order of the contents.

    Sphinx's single page puts every page inside the home page's section that holds the
    toctrees, so "How to read it" would contain the whole book (bookmarks and heading levels
    follow). Here each page is lifted to the top, after the home page, and the section offering
    the PDF for download is left out of the PDF.
    """
    chapters = [sof for sof in tree.findall(addnodes.start_of_file) if _is_top(sof)]
    for sof in chapters:
        sof.parent.remove(sof)
    for wrapper in list(tree.findall(nodes.compound)):
        if "toctree-wrapper" in wrapper["classes"] and not wrapper.children:
            wrapper.parent.remove(wrapper)
    for ref in list(tree.findall(nodes.reference)):
        section = ref.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if "ce-pdf-download" in ref["classes"] and section is not None and section.parent:
            section.parent.remove(section)
    tree.extend(chapters)
    home = next(iter(tree.findall(nodes.section)), None)
    if home is not None:  # the contents lists the home page too: "#document-<root_doc>"
        home["ids"].append(f"document-{tree['docname']}")
    return tree


def _by_document(node: nodes.Element, docname: str) -> Iterator[tuple[nodes.Element, str]]:
    """Each element under *node* with the name of the page it comes from."""
    if isinstance(node, addnodes.start_of_file):
        docname = node["docname"]
    yield node, docname
    for child in node.children:
        if isinstance(child, nodes.Element):
            yield from _by_document(child, docname)


def ids_made_unique(tree: nodes.document) -> dict[tuple[str, str], str]:
    """*tree* with every id once: a later page's id that an earlier page has already is
    renamed ``<page>-<id>``, and the links to it follow. Returns the renames, by page and id.

    Each page numbers its own ids (docutils' ``id1`` on citations, a section named like one
    elsewhere), so the one HTML page the PDF is made of would hold them twice: invalid HTML,
    and a link to the second would land on the first.
    """
    root = tree.get("docname", "")
    seen: set[str] = set()
    renames: dict[tuple[str, str], str] = {}
    for node, docname in _by_document(tree, root):
        for index, old in enumerate(node["ids"]):
            new, suffix = old, 1
            while new in seen:
                new, suffix = f"{docname}-{old}" + (f"-{suffix}" if suffix > 1 else ""), suffix + 1
            if new != old:
                renames[(docname, old)] = new
                node["ids"][index] = new
            seen.add(new)
    for node, docname in _by_document(tree, root):
        if node.get("refid") and (docname, node["refid"]) in renames:
            node["refid"] = renames[(docname, node["refid"])]
        if node.get("backrefs"):
            node["backrefs"] = [renames.get((docname, ref), ref) for ref in node["backrefs"]]
        uri = node.get("refuri", "") if isinstance(node, nodes.reference) else ""
        page, _, anchor = uri[1:].partition("#") if uri.startswith("#document-") else ("", "", "")
        if anchor and (page.removeprefix("document-"), anchor) in renames:
            node["refuri"] = f"#{page}#{renames[(page.removeprefix('document-'), anchor)]}"
        elif uri.startswith("#") and (docname, uri[1:]) in renames:
            node["refuri"] = f"#{renames[(docname, uri[1:])]}"
    return renames


def printed_date(moment: datetime) -> str:
    """A date as the imprint prints it: "6 December 2026"."""
    return f"{moment.day} {moment:%B %Y}"


def _section_title(env: BuildEnvironment, docname: str, anchor: str) -> str | None:
    """The title of *docname*'s section ``#anchor`` in Sphinx's table of its sections, or the
    label of its part ``#anchor`` (``text-part``: a publisher's preface, which has no section)."""
    toc = env.tocs.get(docname)
    for ref in toc.findall(nodes.reference) if toc is not None else ():
        if ref.get("anchorname") == f"#{anchor}":
            return ref.astext()
    for part in env.get_doctree(docname).findall(text_part):
        if anchor in part["ids"]:
            label = next(iter(part.findall(text_part_label)), None)
            return label.astext() if label is not None else None
    return None


def _anchors_in_order(env: BuildEnvironment, docname: str) -> list[str]:
    """The ids of *docname*'s sections and parts, in the order of the document."""
    return [
        node["ids"][0]
        for node in env.get_doctree(docname).findall(
            lambda n: isinstance(n, (nodes.section, text_part)) and bool(n["ids"])
        )
    ]


def add_contents_sections(
    toctree: nodes.Element, env: BuildEnvironment, entries: list[str] | tuple[str, ...]
) -> None:
    """*toctree* (the book's contents) with each ``document#anchor`` of *entries* listed under
    its chapter, in the order of the chapter's sections (the reference chapters' long lists,
    which the toctrees leave out: a reader of paper looks them up in the contents)."""
    chapters = {
        item[0][0]["refuri"]: item
        for item in toctree.findall(nodes.list_item)
        if "toctree-l1" in item["classes"] and item.children and item[0].children
    }
    for entry in entries:
        docname, _, anchor = entry.partition("#")
        listed = f"#document-{docname}" in chapters
        title = _section_title(env, docname, anchor) if anchor and listed else None
        if title is None:
            raise EditionError(
                f"{setting_source(env.config, 'edition_pdf_contents')}: {entry!r} is not a "
                "section or a part of a chapter in the contents; write it as document#anchor "
                "(e.g. 'apparatus#list-of-emendations')"
            )
        item = chapters[f"#document-{docname}"]
        below = next((c for c in item.children if isinstance(c, nodes.bullet_list)), None)
        if below is None:
            below = nodes.bullet_list()
            item += below
        ref = nodes.reference("", title, internal=True, refuri=f"#document-{docname}#{anchor}")
        para = addnodes.compact_paragraph("", "", ref, classes=["toctree-l2"])
        below += nodes.list_item("", para, classes=["toctree-l2"])
        order = _anchors_in_order(env, docname)

        def place(listed: nodes.Node, order: list[str] = order) -> int:
            anchor = listed.next_node(nodes.reference)["refuri"].rpartition("#")[2]
            return order.index(anchor) if anchor in order else len(order)

        below.children.sort(key=place)


def _is_top(sof: addnodes.start_of_file) -> bool:
    parent = sof.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return False
        parent = parent.parent
    return True


class Timings(dict[str, float]):
    """Seconds of wall-clock (``name``) and CPU time (``name_cpu``) of the PDF's steps.

    ``weasyprint`` is all WeasyPrint does with the final HTML (importing it, parsing, styling,
    layout, drawing and writing, freeing its boxes; the edition's patches to it included);
    inside it ``layout``, ``write``, and ``merge_tags`` (the edition's joining of the tags, run
    by ``write``).
    """

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self[name] = time.perf_counter() - wall
            self[f"{name}_cpu"] = time.process_time() - cpu


@contextmanager
def weasyprint_patched(html: Any, sources: dict[int, Any]) -> Iterator[None]:
    """WeasyPrint as the builder runs it: with every patch of ``weasy.py`` and ``mending.py``.

    *html* is the ``weasyprint.HTML`` to lay out; *sources* is filled for
    :func:`merge_page_fragments`. ``benchmarks/weasy_alone.py`` uses this too.
    """
    with (
        two_note_series(html.etree_element),
        whole_elements(sources),
        page_references_resolved_early(),
        notes_measured_once(),
        mended_layout(html.etree_element),
    ):
        yield


class _CollectErrors(std_logging.Handler):
    """Keeps WeasyPrint's errors (missing anchors, unloadable resources) for Sphinx to report."""

    def __init__(self) -> None:
        super().__init__(level=std_logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: Any) -> None:
        self.messages.append(record.getMessage())


class PdfBuilder(SingleFileHTMLBuilder):
    """Builds one tagged PDF of the whole edition."""

    name = "pdf"
    epilog = __("The PDF is in %(outdir)s.")
    search = False
    copysource = False

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "edition_print", {}

    def update_page_context(
        self, pagename: str, templatename: str, ctx: dict[str, Any], event_arg: Any
    ) -> None:
        super().update_page_context(pagename, templatename, ctx, event_arg)
        cfg = self.config
        ctx["edition_title"] = cfg.edition_title or cfg.project
        ctx["edition_author"] = cfg.edition_author or cfg.author
        ctx["edition_subtitle"] = cfg.edition_subtitle
        created = build_date()
        ctx["edition_created"] = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        ctx["edition_typeset"] = printed_date(created)
        ctx["edition_rights"] = cfg.edition_rights.rstrip(".")
        cite = cfg.edition_cite_doc
        if cite and cite not in self.env.all_docs:
            raise EditionError(
                f"{setting_source(cfg, 'edition_cite_doc')}: {cite!r} is not a document of the "
                "edition; name the page that tells how to cite it (e.g. 'cite'), or leave it empty"
            )
        ctx["edition_cite_href"] = f"#document-{cite}" if cite else ""
        ctx["edition_cite_title"] = self.env.titles[cite].astext() if cite else ""
        if "toc" in ctx:  # singlehtml writes "#document-x#anchor"; one page needs "#anchor"
            ctx["toc"] = _DOUBLE_FRAGMENT.sub('href="#', ctx["toc"])

    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        """Sphinx's context, the contents with the sections ``edition_pdf_contents`` adds."""
        ctx = super().get_doc_context(docname, body, metatags)
        entries = self.config.edition_pdf_contents
        if entries:
            root = self.config.root_doc
            toctree = global_toctree_for_doc(self.env, root, self, tags=self.tags, collapse=False)
            if toctree is not None:
                add_contents_sections(toctree, self.env, entries)
                ctx["toc"] = self.render_partial(toctree)["fragment"]
        return ctx

    def assemble_doctree(self) -> nodes.document:
        """One document whose chapters are siblings: the home page, then each page it lists."""
        tree = as_book(super().assemble_doctree())
        ids_made_unique(tree)
        return tree

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        for ref in list(doctree.findall(nodes.reference)):
            if "ce-pdf-download" in ref["classes"]:  # the PDF does not link to itself
                ref.replace_self(nodes.inline("", ref.astext()))
            elif "refuri" in ref:  # one page: every internal link is a fragment
                ref["refuri"] = single_page_fragment(ref["refuri"])
        super().write_doc(docname, doctree)

    def finish(self) -> None:
        super().finish()
        self.write_pdf()

    @property
    def pdf_path(self) -> Path:
        return Path(self.outdir) / self.config.edition_pdf_filename

    def write_pdf(self) -> None:
        html_file = Path(self.outdir) / f"{self.config.root_doc}{self.out_suffix}"
        logger.info("typesetting %s with WeasyPrint…", self.pdf_path.name)
        problems = _CollectErrors()
        weasy_logger = std_logging.getLogger("weasyprint")
        weasy_logger.addHandler(problems)
        sources: dict[int, Any] = {}
        timings = Timings()
        try:
            with timings.step("weasyprint"):  # all WeasyPrint does with the final HTML
                from weasyprint import CSS, HTML  # slow to import; only when a PDF is built
                from weasyprint.text.fonts import FontConfiguration

                fonts = FontConfiguration()  # without it WeasyPrint ignores @font-face
                options = {
                    "stylesheets": [CSS(string=font_face_css(), font_config=fonts)],
                    "pdf_variant": "pdf/ua-1",
                    "pdf_identifier": b"sphinx-critical-edition",
                    "custom_metadata": True,
                }
                html = HTML(filename=str(html_file), base_url=str(self.outdir))
                with weasyprint_patched(html, sources):
                    with timings.step("layout"):
                        document = html.render(font_config=fonts, **options)

                    def finish(_document: Any, pdf: Any) -> None:
                        with timings.step("merge_tags"):
                            merge_page_fragments(pdf, sources)

                    with timings.step("write"):
                        document.write_pdf(str(self.pdf_path), finisher=finish, **options)
                pages = len(document.pages)
                del document, html  # WeasyPrint's boxes: freed here, not at the end of the build
                sources.clear()
                gc.collect()  # (many are held in cycles, which only the collector frees)
        except Exception as exc:  # WeasyPrint raises many kinds; none may pass silently
            raise EditionError(f"{html_file}: WeasyPrint could not write the PDF: {exc}") from exc
        finally:
            weasy_logger.removeHandler(problems)
        for message in problems.messages:  # e.g. a broken internal link: a warning, so -W fails
            logger.warning("WeasyPrint, in %s: %s", html_file, message)
        for stale in Path(self.outdir).glob("*.pdf"):
            if stale != self.pdf_path:
                stale.unlink()
        timings["pages"] = pages
        # for benchmarks/bench_build.py: WeasyPrint's work apart from the builder's own
        (Path(self.doctreedir) / TIMINGS_FILE).write_text(json.dumps(timings), encoding="utf-8")
