"""Every class of bad input gets a clear ``path:line: message`` (and the check fails)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from conftest import copy_project, move_texts
from sphinx.testing.util import SphinxTestApp
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.errors import EditionError
from sphinx_critical_edition.stopping import EditionInputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of docs/ and source_texts/ that a test may break; returns its docs folder."""
    return copy_project(tmp_path)


ANNOTATION = """  - id: {id}
    kind: {kind}
    quote: {quote}
    resp: editors
    cert: high
{extra}"""


#: the annotation file a test appends to, for each text
FILES = {"sagra": "sagra-starter.yaml", "pulacayo": "pulacayo.yaml"}


def add_annotation(docs: Path, text: str = "sagra", **fields: str) -> int:
    """Append an annotation to the file of *text* (FILES); return its first line."""
    path = docs / "annotations" / FILES[text]
    before = path.read_text(encoding="utf-8")
    extra = fields.pop("extra", "")
    block = ANNOTATION.format(extra=extra, **fields)
    path.write_text(before.rstrip("\n") + "\n" + block, encoding="utf-8")
    return before.rstrip("\n").count("\n") + 2


def problems(docs: Path) -> list[str]:
    return [str(p) for p in check_edition(docs).problems]


def test_the_shipped_layer_is_clean() -> None:
    assert problems(ROOT / "docs") == []


def test_yaml_syntax(project: Path) -> None:
    path = project / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text() + "  - id: [unclosed\n", encoding="utf-8")
    (found,) = problems(project)
    assert found.startswith(f"{path}:")
    assert "YAML syntax error" in found


def test_unknown_field(project: Path) -> None:
    line = add_annotation(
        project,
        id="x1",
        kind="note",
        quote="Hottschild",
        extra="    body: b\n    sources: ['bib:dunkerley1984rebellion']\n    colour: red\n",
    )
    (found,) = problems(project)
    assert f"sagra-starter.yaml:{line}: annotations.11:" in found
    assert "'colour' was unexpected" in found and "allowed fields" in found


def test_missing_field_and_wrong_type(project: Path) -> None:
    add_annotation(project, id="x2", kind="note", quote="Hottschild", extra="    paragraph: []\n")
    found = problems(project)
    assert any("'body' is a required property" in p for p in found), found
    assert any("paragraph" in p for p in found), found


def _note_on_managed(project: Path, paragraph: str) -> tuple[int, str]:
    """A note on "managed" (the heading above §20) with this *paragraph* field: the line of
    its ``paragraph`` field and the one problem found (named at the annotation's first line
    when the field is well formed)."""
    line = add_annotation(
        project,
        id="x2",
        kind="note",
        quote="managed",
        extra=f"    paragraph: {paragraph}\n    body: b\n"
        "    sources: ['bib:dunkerley1984rebellion']\n",
    )
    (found,) = problems(project)
    written = (project / "annotations" / "sagra-starter.yaml").read_text(encoding="utf-8")
    return line + written.split("\n")[line - 1 :].index(f"    paragraph: {paragraph}"), found


@pytest.mark.parametrize("field", ["x31", "h", "31h"])
def test_a_paragraph_field_of_no_form_is_told_the_forms(project: Path, field: str) -> None:
    at, found = _note_on_managed(project, field)
    assert f"sagra-starter.yaml:{at}: annotations.11.paragraph: {field!r}: " in found
    assert '"n2" for the author\'s note 2, or "h12" for the heading above §12' in found


def test_a_heading_that_is_not_there_is_named(project: Path) -> None:
    _, found = _note_on_managed(project, "h21")
    assert found.startswith(f"{project / 'annotations' / 'sagra-starter.yaml'}:")
    assert "there is no paragraph 'h21' in text 'sagra'" in found


def test_duplicate_id(project: Path) -> None:
    line = add_annotation(
        project, id="hottschild", kind="entity", quote="Atamayo", extra="    ref: hochschild\n"
    )
    (found,) = problems(project)
    assert f"sagra-starter.yaml:{line}: duplicate id 'hottschild' (first at " in found


def test_quote_not_found_names_the_nearest_candidate(project: Path) -> None:
    line = add_annotation(
        project, id="x3", kind="entity", quote="Hotschild, Atamayo", extra="    ref: hochschild\n"
    )
    (found,) = problems(project)
    assert found.startswith(f"{project / 'annotations' / 'sagra-starter.yaml'}:{line}: ")
    assert "not found" in found and "did you mean 'Hottschild, Atamayo' (§16)?" in found


def test_quote_ambiguous(project: Path) -> None:
    line = add_annotation(
        project, id="x4", kind="entity", quote="Juan Lechín Oquendo", extra="    ref: lechin\n"
    )
    (found,) = problems(project)
    assert f"sagra-starter.yaml:{line}:" in found
    assert "ambiguous (5 matches: §4, §25, §35, §44, §66)" in found


def test_a_prefix_that_does_not_fit_is_named(project: Path) -> None:
    """Not "crosses a paragraph break": the quote is there, its prefix is not."""
    line = add_annotation(
        project,
        id="x5p",
        kind="entity",
        quote="Hottschild",
        extra="    prefix: 'the Guggenheim, '\n    ref: hochschild\n",
    )
    (found,) = problems(project)
    assert (
        f"sagra-starter.yaml:{line}: annotation 'x5p': quote 'Hottschild' occurs (§16) but "
        in found
    )
    assert "never with its prefix 'the Guggenheim, '" in found and "crosses" not in found


def test_span_crossing_paragraphs(project: Path) -> None:
    line = add_annotation(
        project,
        id="x5",
        kind="entity",
        quote="By Alicia Sagra (First published",
        extra="    ref: lechin\n",
    )
    (found,) = problems(project)
    assert f"sagra-starter.yaml:{line}: annotation 'x5'" in found
    assert "crosses a paragraph break; a span must stay within one paragraph" in found


def test_bad_overlap(project: Path) -> None:
    line = add_annotation(
        project,
        id="x8",
        kind="entity",
        quote="Hottschild, Atamayo) that",
        extra="    ref: hochschild\n",
    )
    add_annotation(
        project, id="x9", kind="entity", quote="that were among", extra="    ref: hochschild\n"
    )
    found = problems(project)
    assert any("annotation 'x9' overlaps 'x8'" in p and "without nesting" in p for p in found)
    assert not any(f":{line}: annotation 'x8' overlaps" in p for p in found)


def test_nesting_is_allowed(project: Path) -> None:
    add_annotation(
        project,
        id="x10",
        kind="note",
        quote="the Patiño, Hottschild, Atamayo",
        extra="    body: The three tin barons.\n    sources: ['bib:dunkerley1984rebellion']\n",
    )
    assert problems(project) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    ref: nobody\n", "unknown register id 'nobody'"),
    ],
)
def test_unknown_register_id(project: Path, extra: str, message: str) -> None:
    add_annotation(project, id="x11", kind="entity", quote="Hottschild", extra=extra)
    (found,) = problems(project)
    assert message in found


def test_unknown_siglum_and_bib_key(project: Path) -> None:
    add_annotation(
        project,
        id="x12",
        kind="variant",
        quote="Buhs",
        extra="    sources: ['bib:nosuchbook']\n    readings:\n"
        "      - text: Busch\n        lang: es\n        wit: [ZZ]\n",
    )
    found = problems(project)
    assert any("unknown siglum 'ZZ'" in p and "known sigla" in p for p in found), found
    assert any("unknown bibliography key 'nosuchbook'" in p for p in found), found


def test_a_bibliography_note_written_as_latex(project: Path) -> None:
    """Notes are printed as written, so LaTeX there would reach the reader as it stands."""
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("period 1949–1982", "period 1949--1982"), encoding="utf-8")
    line = next(
        i
        for i, row in enumerate(bib.read_text(encoding="utf-8").splitlines(), 1)
        if "1949--1982" in row
    )
    (found,) = problems(project)
    assert found.startswith(f"{bib}:{line}: entry 'prado1984poder': the note contains '--'")
    assert "write – for a dash" in found


RAW_HTML = "raw HTML is not allowed"
SCRIPT_LINK = "javascript:, vbscript: and data: links are not allowed"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<script>alert(1)</script>", RAW_HTML),
        ("<img src=x onerror=alert(1)>", RAW_HTML),
        ("[click](javascript:alert(1))", SCRIPT_LINK),
        ("[x](JaVaScRiPt:alert(1))", SCRIPT_LINK),
        ("<javascript:alert(1)>", SCRIPT_LINK),  # an autolink
        ("[x](data:text/html,hi)", SCRIPT_LINK),
        ("[x](ftp://example.org/file)", "only http(s) and internal links are allowed, not ftp:"),
    ],
)
def test_raw_html_and_script_links_are_refused(project: Path, body: str, reason: str) -> None:
    """One problem, at the body's own line (the annotation's sixth), naming the field."""
    line = add_annotation(
        project,
        id="x13",
        kind="note",
        quote="Hottschild",
        extra=f"    body: '{body}'\n    sources: ['bib:dunkerley1984rebellion']\n",
    )
    (found,) = problems(project)
    path = project / "annotations" / "sagra-starter.yaml"
    assert re.fullmatch(rf"{re.escape(str(path))}:{line + 5}: annotations\.\d+\.body: (.*)", found)
    assert reason in found.split(".body: ", 1)[1], found


def test_empty_body(project: Path) -> None:
    line = add_annotation(
        project,
        id="x14",
        kind="note",
        quote="Hottschild",
        extra="    body: '  '\n    sources: ['bib:dunkerley1984rebellion']\n",
    )
    (found,) = problems(project)
    assert f"sagra-starter.yaml:{line + 5}: annotation 'x14': the body is empty" in found


def test_changed_transcription_word_is_caught_with_nearest_candidate(project: Path) -> None:
    """A text change never silently moves a note: the anchor fails, naming file and line."""
    text = project.parent / "source_texts" / "sagra-1952-revolution.md"
    text.write_text(text.read_text().replace("Hottschild", "Hotschild"), encoding="utf-8")
    found = problems(project)
    assert any(
        "sagra-starter.yaml:" in p and "'hottschild'" in p and "did you mean 'Hotschild' (§16)" in p
        for p in found
    ), found


def test_cli_exit_status(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--docs", str(project)]) == 0
    add_annotation(
        project, id="x15", kind="entity", quote="Nowhere at all", extra="    ref: lechin\n"
    )
    assert main(["check", "--docs", str(project)]) == 1
    assert "not found" in capsys.readouterr().err


def test_cli_takes_the_manifest_conf_py_names(project: Path) -> None:
    moved = move_texts(project, "texts")
    with pytest.raises(EditionError, match=r"texts\.yaml"):
        check_edition(project)  # not at its usual place
    assert main(["check", "--docs", str(project), "--manifest", str(moved / "texts.yaml")]) == 0


def test_supplied_emendation_may_only_add(project: Path) -> None:
    line = add_annotation(
        project,
        id="x16",
        kind="emendation",
        quote="mainly agricultural",
        extra="    type: supplied\n    corr: mostly agricultural\n    body: b\n",
    )
    found = problems(project)
    assert found == [
        f"{project / 'annotations' / 'sagra-starter.yaml'}:{line + 6}: annotation 'x16': a "
        "supplied emendation may only add to the quoted words, but corr 'mostly agricultural' "
        "also changes 'mainly agricultural'; use type typo, name or regularisation"
    ]


def test_note_call_to_a_missing_note(project: Path) -> None:
    """Caught by the check, not first by the build: the text has notes 1–24 only."""
    line = add_annotation(
        project,
        id="x17",
        kind="emendation",
        quote="By Alicia Sagra",
        extra=(
            '    type: supplied\n    note_call: "99"\n    body: b\n'
            '    sources: ["bib:sagra2016litci"]\n'
        ),
    )
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith(f"{project / 'annotations' / 'sagra-starter.yaml'}:{line}: ")
    assert (
        "annotation 'x17': note_call '99': the text has no author's note 99 (its notes: 1, 2,"
        in found[0]
    )


def test_a_span_that_cuts_through_markup_stops_the_build(project: Path, tmp_path: Path) -> None:
    """Found at weaving time (the plain-text check cannot see links): named with path:line."""
    line = add_annotation(
        project,
        text="pulacayo",
        id="x18",
        kind="note",
        quote='"1], we have to arm"',
        extra='    body: A quote that begins inside a link.\n    sources: ["bib:sagra2016litci"]\n',
    )
    assert problems(project) == []
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=project, builddir=tmp_path / "out", warning=warnings)
    try:
        with pytest.raises(EditionInputError, match="the build stopped: 1 problem") as raised:
            app.build()
    finally:
        app.cleanup()
    path = project / "annotations" / FILES["pulacayo"]
    assert f"{path}:{line}: ERROR: annotation 'x18' cuts through markup" in warnings.getvalue()
    assert f"{path}:{line}: annotation 'x18' cuts through markup" in str(raised.value)
    assert "Traceback" not in warnings.getvalue()


def test_a_description_cannot_cite(project: Path) -> None:
    """Descriptions are rendered after citations are resolved: the check says so first."""
    path = project / "register" / "persons.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    description: "
    line = text[: text.index(marker)].count("\n") + 1
    path.write_text(text.replace(marker, marker + "See {cite:p}`sagra2016litci`. ", 1))
    assert problems(project) == [
        f"{path}:{line}: entries.0.description: a description cannot cite; give the work in "
        "its sources (bib:KEY)"
    ]


def test_a_readings_comment_cannot_cite(project: Path) -> None:
    """A comment is kept as plain runs of text for the apparatus page: a cite would be lost."""
    line = add_annotation(
        project,
        id="x-comment-cite",
        kind="variant",
        quote="Hottschild",
        extra="    readings:\n      - text: Hochschild\n        lang: en\n        wit: [E]\n"
        "        comment: as in {cite:p}`sagra2016litci`\n",
    )
    (found,) = problems(project)
    assert found.startswith(f"{project / 'annotations' / FILES['sagra']}:{line + 9}:")  # comment:
    assert "a comment cannot cite; give the work in its sources (bib:KEY)" in found


def test_a_chronology_event_mentioning_an_unknown_text(project: Path) -> None:
    path = project / "chronology.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    mentioned: ["
    line = text[: text.index(marker)].count("\n") + 1
    path.write_text(text.replace(marker, marker + "theses:3, ", 1), encoding="utf-8")
    found = problems(project)
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}: event ")
    assert found[0].endswith("unknown text in 'theses:3'")


def test_a_chronology_short_label_too_long_for_the_timeline(project: Path) -> None:
    """The timeline names an event by its short label, beside its year: a sentence would not
    fit, so the check refuses it at its line."""
    path = project / "chronology.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    short: COB founded\n"
    line = text[: text.index(marker)].count("\n") + 1
    long = "    short: The Central Obrera Boliviana is founded in La Paz\n"
    path.write_text(text.replace(marker, long, 1), encoding="utf-8")
    (found,) = problems(project)
    assert found.startswith(f"{path}:{line}:"), found
    assert "short" in found and "too long" in found, found


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    paragraph_id_prefix: t\n",
            "    paragraph_id_prefix: t\n    colour: red\n",
            "unknown field(s) ['colour'] in a text entry; allowed: author, key",
        ),
        ("file: witness/", "file: missing/", "the witness file 'missing/"),
        (
            "transcription: pulacayo-theses.md",
            "transcription: missing.md",
            "the transcription 'missing.md' is not in",
        ),
    ],
)
def test_text_manifest_errors_name_file_and_line(
    project: Path, old: str, new: str, message: str
) -> None:
    path = project.parent / "source_texts" / "texts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(EditionError, match=re.escape(message)) as raised:
        check_edition(project)
    assert re.match(rf"{re.escape(str(path))}:\d+: ", str(raised.value))


def test_a_map_point_marked_elsewhere_needs_its_coordinates(project: Path) -> None:
    """``marked_at`` says where a lake's point stands on the map: without the point's
    coordinates (and their source) there is nothing to mark."""
    path = project / "register" / "places.yaml"
    before = path.read_text(encoding="utf-8").rstrip("\n")
    entry = (
        "  - id: lake-poopo\n    type: place\n    name: Lake Poopó\n    description: A lake.\n"
        "    sources: ['https://en.wikipedia.org/wiki/Lake_Poop%C3%B3']\n"
        "    marked_at: its northern shore\n"
    )
    path.write_text(before + "\n" + entry, encoding="utf-8")
    (found,) = problems(project)
    assert found.startswith(f"{path}:{before.count(chr(10)) + 2}: ")
    assert "'coordinates' is a dependency of 'marked_at'" in found
