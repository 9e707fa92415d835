"""Build behaviour: incremental rebuilds notice the layer, parallel builds equal serial ones."""

from __future__ import annotations

import gc
import os
import re
from io import StringIO
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from conftest import build_edition, copy_project
from sphinx_critical_edition import collector, templatecache
from sphinx_critical_edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
COMPARED = [
    "article.html",
    "theses.html",
    "register.html",
    "apparatus.html",
    "chronology.html",
    "annotations.jsonld",
    "edition.tei.xml",
]


def build(
    srcdir: Path, builddir: Path, parallel: int = 0, fresh: bool = True, **kwargs: object
) -> tuple[Path, str]:
    """Build to HTML (warnings are errors); the output folder and Sphinx's status output."""
    status = StringIO()
    app = build_edition(
        "html", builddir, srcdir=srcdir, fresh=fresh, status=status, parallel=parallel, **kwargs
    )
    return Path(app.outdir), re.sub(r"\x1b\[[0-9;]*m", "", status.getvalue())  # no colours


def test_incremental_rebuild_notices_an_edited_annotation(tmp_path: Path) -> None:
    """An edited emendation reason reaches the rewritten article, the apparatus, the JSON-LD
    and the TEI of an incremental build; the old words are gone from all of them."""
    docs = copy_project(tmp_path)
    outdir, _ = build(docs, tmp_path / "out")
    old, new = "Misspelt name of the tin magnate", "Changed note about the tin magnate"
    outputs = ("article.html", "apparatus.html", "annotations.jsonld", "edition.tei.xml")
    for name in outputs:
        assert old in (outdir / name).read_text(), name
    path = docs / "annotations" / "sagra-starter.yaml"
    assert path.read_text().count(old) == 1
    path.write_text(path.read_text().replace(old, new))
    outdir, status = build(docs, tmp_path / "out", fresh=False)
    assert {"article", "apparatus"} <= _written_on_rebuild(status)
    for name in outputs:
        text = (outdir / name).read_text()
        assert new in text and old not in text, name


def test_incremental_rebuild_notices_an_edited_register_entry(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "out")
    path = docs / "register" / "persons.yaml"
    text = path.read_text()
    path.write_text(text.replace("name: Juan Lechín Oquendo", "name: Juan Lechín Oquendo (edited)"))
    outdir, _ = build(docs, tmp_path / "out", fresh=False)
    assert "Lechín Oquendo, Juan (edited)" in (outdir / "register.html").read_text()
    assert "Register: Juan Lechín Oquendo (edited)" in (outdir / "article.html").read_text()


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    serial, _ = build(ROOT / "docs", tmp_path / "serial")
    parallel, _ = build(ROOT / "docs", tmp_path / "parallel", parallel=2)
    for name in COMPARED:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_two_clean_builds_are_identical(tmp_path: Path) -> None:
    first, _ = build(ROOT / "docs", tmp_path / "one")
    second, _ = build(ROOT / "docs", tmp_path / "two")
    for name in COMPARED:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_an_incremental_build_equals_a_clean_one(tmp_path: Path) -> None:
    """What a rebuild reuses (parsed files and note bodies, TEI divs, unwritten back matter)
    gives the pages a clean build gives, after edits in two files of one text."""
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "incremental")
    starter = docs / "annotations" / "sagra-starter.yaml"
    starter.write_text(starter.read_text().replace("spells it", "writes it"))
    other = docs / "annotations" / "sagra-01-preface-to-p26.yaml"
    other.write_text(
        other.read_text().replace("  - id: a1-lechin-25\n", "  - id: a1-lechin-25-edited\n")
    )
    incremental, _ = build(docs, tmp_path / "incremental", fresh=False)
    clean, _ = build(docs, tmp_path / "clean")
    assert "note 4 writes it" in (clean / "article.html").read_text()
    for name in COMPARED:
        assert (incremental / name).read_bytes() == (clean / name).read_bytes(), name


def test_the_html_build_publishes_the_pdf_beside_it(tmp_path: Path) -> None:
    """The PDF builder's output is copied next to index.html, where the download link points."""
    docs = copy_project(tmp_path)
    pdf_dir = tmp_path / "out" / "pdf"
    pdf_dir.mkdir(parents=True)
    (pdf_dir / "sagra-1952-bolivian-revolution.pdf").write_bytes(b"%PDF-1.7 stand-in")
    outdir, _ = build(docs, tmp_path / "out")
    assert (outdir / "sagra-1952-bolivian-revolution.pdf").read_bytes() == b"%PDF-1.7 stand-in"
    assert 'href="sagra-1952-bolivian-revolution.pdf"' in (outdir / "index.html").read_text()


def test_the_download_link_appears_once_the_pdf_is_built(tmp_path: Path) -> None:
    """HTML alone says the PDF is not built; once it is, a rebuild re-reads the page and links."""
    docs = copy_project(tmp_path)
    outdir, status = build(docs, tmp_path / "out")
    assert "(not built yet)" in (outdir / "index.html").read_text()
    assert "no PDF at" in status
    pdf = tmp_path / "out" / "pdf" / "sagra-1952-bolivian-revolution.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7 stand-in")
    outdir, status = build(docs, tmp_path / "out", fresh=False)
    assert "0 added, 1 changed, 0 removed" in _read_on_rebuild(status)
    assert 'href="sagra-1952-bolivian-revolution.pdf"' in (outdir / "index.html").read_text()
    _, status = build(docs, tmp_path / "out", fresh=False)
    assert "0 added, 0 changed, 0 removed" in _read_on_rebuild(status)


def _read_on_rebuild(status: str) -> str:
    return status.split("updating environment:")[1].split("\n")[0]


def test_a_rebuild_without_changes_reads_nothing(tmp_path: Path) -> None:
    """Pages depend on the layer's files, never on its folders (a folder counts as missing); the
    configuration Sphinx kept from the last build equals the new one (the theme's changes to it
    are made before Sphinx compares them: themeconfig.py), so nothing is read or written."""
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "out")
    for _ in range(2):
        _, status = build(docs, tmp_path / "out", fresh=False)
        assert "0 added, 0 changed, 0 removed" in _read_on_rebuild(status)
        assert "configuration has changed" not in status, status
        assert "no targets are out of date" in status, status


def test_incremental_rebuild_notices_an_added_and_a_removed_annotation_file(
    tmp_path: Path,
) -> None:
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "out")
    added = docs / "annotations" / "sagra-99-added.yaml"
    added.write_text(
        "text: sagra\n"
        "annotations:\n"
        "  - id: added-note\n"
        "    kind: note\n"
        "    quote: By Alicia Sagra\n"
        "    resp: editors\n"
        "    cert: high\n"
        "    body: A note in a file the last build never saw.\n"
        '    sources: ["bib:sagra2016litci"]\n'
    )
    outdir, _ = build(docs, tmp_path / "out", fresh=False)
    assert "A note in a file the last build never saw." in (outdir / "article.html").read_text()
    added.unlink()
    outdir, _ = build(docs, tmp_path / "out", fresh=False)
    assert "A note in a file the last build never saw." not in (outdir / "article.html").read_text()


def test_incremental_rebuild_follows_a_file_moved_to_another_text(tmp_path: Path) -> None:
    """A text's page depends only on its own annotation files; a file may change text."""
    docs = copy_project(tmp_path)
    moved = docs / "annotations" / "sagra-99-moved.yaml"
    note = (
        "annotations:\n"
        "  - id: moved-note\n"
        "    kind: note\n"
        "    quote: {quote}\n"
        "    resp: editors\n"
        "    cert: high\n"
        "    body: A note that changes text.\n"
        '    sources: ["bib:sagra2016litci"]\n'
    )
    moved.write_text("text: sagra\n" + note.format(quote="By Alicia Sagra"))
    outdir, _ = build(docs, tmp_path / "out")
    assert "A note that changes text." in (outdir / "article.html").read_text()
    moved.write_text("text: pulacayo\n" + note.format(quote="The FSTMB was founded in 1944."))
    outdir, _ = build(docs, tmp_path / "out", fresh=False)
    assert "A note that changes text." in (outdir / "theses.html").read_text()
    assert "A note that changes text." not in (outdir / "article.html").read_text()


def test_editing_one_texts_annotations_leaves_the_other_text_unread(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "out")
    path = docs / "annotations" / "sagra-starter.yaml"
    emendation = "    corr: Hochschild\n    resp: editors\n    cert: high\n"
    assert emendation in path.read_text()
    path.write_text(path.read_text().replace(emendation, emendation.replace("high", "medium")))
    _, status = build(docs, tmp_path / "out", fresh=False)
    read = status.split("reading sources")[1:]
    assert any("article" in r.split("\n")[0] for r in read)
    assert not any("theses" in r.split("\n")[0] for r in read)


def _written_on_rebuild(status: str) -> set[str]:
    written = set(re.findall(r"writing output\.\.\. \[[ \d]+%\] (\S+)", status))
    assert "article" in written, status  # so the pattern still matches Sphinx's output
    return written


def test_back_matter_is_rewritten_only_when_its_lists_change(tmp_path: Path) -> None:
    """The apparatus and the register are built from what the text pages hold: an edited note
    rewrites neither, an edited emendation rewrites the apparatus, a removed name the register.
    None of them is re-read: their lists are made when they are written."""
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "out")
    path = docs / "annotations" / "sagra-starter.yaml"

    path.write_text(path.read_text().replace("spells it", "writes it"))  # a note that cites
    outdir, status = build(docs, tmp_path / "out", fresh=False)
    assert "1 changed" in _read_on_rebuild(status)
    assert _written_on_rebuild(status) & {"apparatus", "register"} == set()
    assert "note 4 writes it" in (outdir / "article.html").read_text()

    path.write_text(path.read_text().replace("Misspelt name of the tin", "Misspelling of the tin"))
    outdir, status = build(docs, tmp_path / "out", fresh=False)  # a reason, put in place
    assert _written_on_rebuild(status) & {"apparatus", "register"} == {"apparatus"}
    assert "Misspelling of the tin magnate" in (outdir / "apparatus.html").read_text()

    assert 'href="article.html#ed-lechin-4"' in (outdir / "register.html").read_text()
    name = (
        "  - id: lechin-4\n    kind: entity\n    quote: Juan Lechín Oquendo\n    paragraph: 4\n"
        "    ref: lechin\n    resp: editors\n    cert: high\n"
    )
    assert name in path.read_text()
    path.write_text(path.read_text().replace(name, ""))
    outdir, status = build(docs, tmp_path / "out", fresh=False)
    assert _written_on_rebuild(status) & {"apparatus", "register"} == {"register"}
    assert 'href="article.html#ed-lechin-4"' not in (outdir / "register.html").read_text()


def test_the_check_uses_the_manifest_conf_py_names(tmp_path: Path) -> None:
    """With the texts moved and ``edition_manifest`` pointing there, check and build agree."""
    docs = copy_project(tmp_path)
    (tmp_path / "source_texts").rename(tmp_path / "texts")
    for page in docs.glob("*.md"):  # the pages include the transcriptions from there
        page.write_text(page.read_text().replace("../source_texts/", "../texts/"))
    outdir, _ = build(
        docs, tmp_path / "out", confoverrides={"edition_manifest": "../texts/texts.yaml"}
    )
    article = (outdir / "article.html").read_text()
    assert 'id="p2"' in article and ">Alicia Sagra</a>" in article  # §2, "By Alicia Sagra"


def test_a_rebuild_compiles_only_the_templates_edited_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled page templates are kept beside the doctrees; Jinja checks each against its
    source, so a template edited since the last build is compiled again and reaches the pages."""
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return compile_template(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "out")
    assert "navbar-logo.html" in compiled and len([n for n in compiled if n]) > 20
    assert list((tmp_path / "out" / "doctrees" / templatecache.CACHE_DIR).iterdir())

    compiled.clear()
    template = docs / "_templates" / "navbar-logo.html"
    template.write_text(template.read_text().replace('"Edition title"', '"The edition\'s title"'))
    later = template.stat().st_mtime + 10  # newer than every page written, however fast
    os.utime(template, (later, later))
    outdir, _ = build(docs, tmp_path / "out", fresh=False)
    assert 'aria-label="The edition\'s title"' in (outdir / "article.html").read_text()
    assert [n for n in compiled if n] == ["navbar-logo.html"]


def test_the_collector_is_paced_for_the_build_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build collects garbage less often; the program running Sphinx gets its pace back."""
    during: list[tuple[int, int, int]] = []
    restore = collector.restore_pace

    def recording(app: object, exception: BaseException | None) -> None:
        during.append(gc.get_threshold())
        restore(app, exception)  # type: ignore[arg-type]

    monkeypatch.setattr(collector, "restore_pace", recording)
    program_set = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's default, whatever earlier tests left
    try:
        build(copy_project(tmp_path), tmp_path / "out")
        assert during == [(collector.BUILD_PACE, 10, 10)]
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*program_set)


def _edit_after(text: str, anchor: str, old: str, new: str) -> str:
    """*text* with the first *old* after *anchor* replaced by *new*."""
    start = text.index(old, text.index(anchor))
    return text[:start] + new + text[start + len(old) :]


def test_an_edit_to_bodies_alone_is_put_in_place_and_equals_a_clean_build(tmp_path: Path) -> None:
    """A note's body, a variant's comment on its lemma and on a reading, and an emendation's
    reason, edited: the page is not read again but rewritten, with the apparatus, and every
    output (the search index and the exports included) equals a clean build's."""
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "incremental")
    second = docs / "annotations" / "sagra-02-p27-to-p54.yaml"
    text = second.read_text()
    text = _edit_after(text, "id: a2-mamertazo-note\n", "kept untranslated", "kept in Spanish")
    text = _edit_after(text, "id: a2-militians\n", "is not English", "is no English word")
    text = _edit_after(text, "id: a2-militians\n", "for militia members", "for militiamen")
    second.write_text(text)
    starter = docs / "annotations" / "sagra-starter.yaml"
    starter.write_text(starter.read_text().replace("Misspelt name of the", "Misspelling of the"))

    incremental, status = build(docs, tmp_path / "incremental", fresh=False)
    assert "0 added, 0 changed, 0 removed" in _read_on_rebuild(status)
    assert {"article", "apparatus"} <= _written_on_rebuild(status)
    clean, _ = build(docs, tmp_path / "clean")
    for words in ("kept in Spanish", "is no English word", "for militiamen", "Misspelling of"):
        assert words in (clean / "article.html").read_text(), words
        assert words in (clean / "edition.tei.xml").read_text(), words  # the TEI carries each
    for name in [*COMPARED, "searchindex.js", "bibliography.html"]:
        assert (incremental / name).read_bytes() == (clean / name).read_bytes(), name


def test_a_body_edit_that_cites_reads_the_page_again(tmp_path: Path) -> None:
    """A citation registers with the bibliography when its page is read, so a body that gains
    one is not put in place: the page is read again, and equals a clean build."""
    docs = copy_project(tmp_path)
    build(docs, tmp_path / "incremental")
    second = docs / "annotations" / "sagra-02-p27-to-p54.yaml"
    second.write_text(
        _edit_after(
            second.read_text(),
            "id: a2-mamertazo-note\n",
            "7 June 1951.",
            "7 June 1951 {cite:p}`lora1977history`.",
        )
    )
    incremental, status = build(docs, tmp_path / "incremental", fresh=False)
    assert "1 changed" in _read_on_rebuild(status)
    clean, _ = build(docs, tmp_path / "clean")
    for name in ["article.html", "bibliography.html", "edition.tei.xml"]:
        assert (incremental / name).read_bytes() == (clean / name).read_bytes(), name


@pytest.mark.parametrize(
    ("builder", "pages"),
    [
        ("html", {"index.html": "", "notes/page.html": "../"}),
        ("dirhtml", {"index.html": "", "notes/page/index.html": "../../"}),
    ],
)
def test_the_download_link_is_relative_to_the_page_written(
    tmp_path: Path, builder: str, pages: dict[str, str]
) -> None:
    """The link leads to the PDF's copy at the output's root from a page one folder down, also
    where the builder writes each page as a folder's index (dirhtml)."""
    assert main(["new", str(tmp_path / "edition")]) == 0
    docs = tmp_path / "edition" / "docs"
    line = "\n{edition-pdf}`Download the PDF`\n"
    (docs / "index.md").write_text((docs / "index.md").read_text(encoding="utf-8") + line)
    (docs / "notes").mkdir()
    (docs / "notes" / "page.md").write_text("---\norphan: true\n---\n# Notes\n" + line)
    app = build_edition(builder, tmp_path / "out", srcdir=docs, fresh=True)
    pdf = Path(app.outdir).parent / "pdf" / app.config.edition_pdf_filename
    pdf.parent.mkdir(exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7 stand-in")
    outdir = Path(build_edition(builder, tmp_path / "out", srcdir=docs, fresh=False).outdir)
    for page, up in pages.items():
        soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
        href = soup.select_one("a.ce-pdf-download")["href"]
        assert href == up + pdf.name, page
        assert ((outdir / page).parent / href).read_bytes() == b"%PDF-1.7 stand-in"
