"""Unit tests of ``check.py``: the whole edition checked (``check_edition``, also from
the command line), the check a build runs on start and keeps (``checked_layer``), the
bibliography as the check reads it.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DOCS as ROOT_DOCS
from conftest import copy_project, move_texts
from sphinx.application import Sphinx
from sphinx.events import EventManager
from sphinx_critical_edition import check
from sphinx_critical_edition.check import (
    _check_on_start,
    _field_line,
    _field_lines,
    check_edition,
    checked_layer,
    read_bibliography,
)
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.errors import EditionError
from sphinx_critical_edition.filecache import FileCache
from sphinx_critical_edition.texts import load_manifest


def test_an_edited_witness_stops_the_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The received witness is never edited: one changed byte and the check fails, naming the
    witness file, even though every transcription and annotation is unchanged."""
    docs = copy_project(tmp_path)
    manifest = load_manifest(tmp_path / "source_texts" / "texts.yaml")
    witness = manifest.witness.path
    witness.write_bytes(witness.read_bytes().replace(b"Hottschild", b"Hochschild", 1))
    assert manifest.witness.actual_sha256() != manifest.witness.sha256
    result = check_edition(docs)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        f"{witness}:1: the witness's sha256 differs from texts.yaml: the received witness must "
        "never be edited"
    ]
    assert main(["check", "--docs", str(docs)]) == 1
    assert "sha256 differs" in capsys.readouterr().err


def test_the_received_witness_passes(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    assert check_edition(docs).problems == []
    assert main(["check", "--docs", str(docs)]) == 0


def test_field_line_finds_the_field_of_its_own_entry() -> None:
    lines = [
        "@book{first,",  # 1
        "  note = {a},",  # 2
        "}",  # 3
        "@book{second,",  # 4
        "  title = {t},",  # 5
        "  note = {b},",  # 6
        "}",  # 7
        "@book{third,",  # 8
        "  title = {t},",  # 9
        "}",  # 10
        "@book{fourth,",  # 11
        "  note = {c},",  # 12
    ]
    found = _field_lines(lines)
    assert _field_line(found, "first", "note") == 2
    assert _field_line(found, "second", "note") == 6
    assert _field_line(found, "second", "title") == 5
    assert _field_line(found, "third", "note") == 8  # no note: the entry's own line
    assert _field_line(found, "fourth", "note") == 12
    assert _field_line(found, "missing", "note") == 1  # no such entry: the file's first line
    # a line that opens no entry (@comment, @string) ends the one before: its fields are no
    # entry's; nor are those above the first entry
    found = _field_lines(["@book{a,", "}", "@comment{x", "  note = {z},", "}"])
    assert found == {("a", ""): 1, ("", ""): 3}
    assert _field_lines(["  note = {z},", "@book{a,"]) == {("a", ""): 2}


def _app(docs: Path, doctrees: Path, fresh: bool) -> SimpleNamespace:
    """What ``_check_on_start`` reads of a Sphinx application (no build is run)."""
    return SimpleNamespace(
        config=SimpleNamespace(edition_manifest="../source_texts/texts.yaml"),
        confdir=str(docs),
        srcdir=str(docs),
        doctreedir=str(doctrees),
        fresh_env_used=fresh,
    )


def test_the_build_checks_the_layer_and_keeps_what_it_parsed(tmp_path: Path) -> None:
    """On start a build checks the layer with the manifest conf.py names, keeps the parsed
    files beside the doctrees, and reuses them on a rebuild that is not fresh."""
    docs = copy_project(tmp_path)
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    _check_on_start(_app(docs, doctrees, fresh=True))
    build = check._BUILDS[docs.resolve()]
    assert build.manifest == (tmp_path / "source_texts" / "texts.yaml").resolve()
    assert build.store == doctrees / "edition-layer.pickle" and build.reuse is False
    assert build.store.is_file()  # what was parsed is kept for the next build
    result = checked_layer(docs)
    assert result.problems == [] and len(result.spans) > 400
    assert checked_layer(str(docs)) is result  # nothing changed: the same check

    _check_on_start(_app(docs, doctrees, fresh=False))
    assert check._BUILDS[docs.resolve()].reuse is True
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Hottschild", "Hotschild", 1))
    with pytest.raises(EditionError) as raised:
        checked_layer(docs)
    message = str(raised.value)
    assert message.startswith("the editorial layer has 1 problem(s):\n")
    assert f"{path}:" in message and "'Hotschild' not found in text 'sagra'" in message


def test_a_build_elsewhere_uses_its_own_manifest(tmp_path: Path) -> None:
    """Texts moved and ``edition_manifest`` pointing there: the check follows it."""
    docs = copy_project(tmp_path)
    move_texts(docs, "texts")
    app = _app(docs, tmp_path, fresh=True)
    app.config.edition_manifest = "../texts/texts.yaml"
    _check_on_start(app)
    assert checked_layer(docs).problems == []
    assert check._BUILDS[docs.resolve()].manifest == (tmp_path / "texts" / "texts.yaml")


def test_a_stray_field_before_any_entry_belongs_to_none() -> None:
    found = _field_lines(["  note = {x},", "@book{a,", "  note = {y},"])
    assert _field_line(found, "a", "note") == 3
    assert _field_line(found, "missing", "note") == 1


def test_read_bibliography_reads_keys_and_flags_latex_only_in_notes(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@book{plain,\n  title = {A title -- with a dash},\n  year = {1990},\n}\n"
        "@book{latex,\n  title = {T},\n  note = {pp. 1--2},\n}\n",
        encoding="utf-8",
    )
    keys, problems = read_bibliography(bib)
    assert keys == {"plain", "latex"}
    assert [str(p) for p in problems] == [
        f"{bib}:7: entry 'latex': the note contains '--', but notes are printed as written, "
        "not read as LaTeX: write – for a dash and plain characters"
    ]
    assert read_bibliography(tmp_path / "missing.bib") == (set(), [])


def test_read_bibliography_refuses_an_address_with_a_space(tmp_path: Path) -> None:
    """An address is shown as readers type it; written with a space, it would be cut there."""
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@book{ok,\n  title = {T},\n  url = {https://a.example/a%20b},\n}\n"
        "@book{spaced,\n  title = {T},\n  url = {https://a.example/a b},\n}\n",
        encoding="utf-8",
    )
    keys, problems = read_bibliography(bib)
    assert keys == {"ok", "spaced"}
    assert [str(p) for p in problems] == [
        f"{bib}:7: entry 'spaced': url 'https://a.example/a b' holds a space: write a space "
        "in an address as %20"
    ]


def test_the_check_outside_a_build_reads_the_default_manifest(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    assert docs.resolve() not in check._BUILDS
    assert checked_layer(docs).problems == []


# Sampled survivors of the mutation runs


def test_a_text_without_annotations_does_not_end_the_check_of_the_next(tmp_path: Path) -> None:
    """The first text (sagra) without any annotation: the next (pulacayo) is still anchored."""
    docs = copy_project(tmp_path)
    for path in (docs / "annotations").glob("sagra-*.yaml"):
        path.unlink()
    result = check_edition(docs)
    assert {span.annotation.text for span in result.spans} == {"pulacayo"}


def test_an_edition_without_a_bibliography_is_checked(tmp_path: Path) -> None:
    """references.bib is optional: without it every bib: source is an unknown key, named as
    such, and the check does not stop with a traceback."""
    docs = copy_project(tmp_path)
    (docs / "references.bib").unlink()
    problems = check_edition(docs).problems
    assert problems
    assert all("unknown bibliography key" in p.message for p in problems), problems[:3]


def test_a_refused_transcription_does_not_end_the_check_of_the_next_text(tmp_path: Path) -> None:
    """Raw HTML in the first text's transcription stops that text's check only: the second
    text is still checked (here, its words against the witness)."""
    docs = copy_project(tmp_path)
    texts = docs.parent / "source_texts"
    sagra = texts / "sagra-1952-revolution.md"
    sagra.write_text(sagra.read_text(encoding="utf-8") + "\n<div>x</div>\n", encoding="utf-8")
    theses = texts / "pulacayo-theses.md"
    theses.write_text(theses.read_text(encoding="utf-8") + "\nAdded words.\n", encoding="utf-8")
    paths = {Path(p.path).name for p in check_edition(docs).problems}
    assert paths == {sagra.name, theses.name}


# Found untested by mutation testing (session 16)


def test_an_annotation_file_renamed_is_checked_under_its_new_name(tmp_path: Path) -> None:
    """A renamed file keeps its time stamp: the check's memo is keyed by the files' names as
    well, so the layer is checked again and its annotations name the file they are now in."""
    docs = copy_project(tmp_path)
    old = docs / "annotations" / "sagra-starter.yaml"
    assert old.name in {s.annotation.at.path.name for s in checked_layer(docs).spans}
    new = old.rename(old.with_name("sagra-zz-starter.yaml"))  # after the others, as before
    names = {s.annotation.at.path.name for s in checked_layer(docs).spans}
    assert new.name in names and old.name not in names


class _Listeners:
    """A Sphinx application as far as its event listeners go: Sphinx's own ``connect`` (its
    default priority included) and event manager."""

    connect = Sphinx.connect

    def __init__(self) -> None:
        self.pdb = False
        self.events = EventManager(self)


def test_the_build_checks_the_layer_before_the_bibliography_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sphinxcontrib-bibtex, which conf.py names before the extension, reads references.bib on
    ``builder-inited`` at Sphinx's default priority: the check goes first all the same, so a
    broken bibliography is reported by the check, with its path and line."""
    app = _Listeners()
    order: list[str] = []
    app.connect("builder-inited", lambda app: order.append("references.bib read"))
    monkeypatch.setattr(check, "_check_on_start", lambda app: order.append("layer checked"))
    check.setup_check(app)
    app.events.emit("builder-inited")
    assert order == ["layer checked", "references.bib read"]


def test_the_check_parses_a_transcription_with_the_build_s_syntax(tmp_path: Path) -> None:
    """A build may enable MyST syntax that changes allowed text: with ``replacements``, "--"
    prints as "–". The check parses each transcription with the build's syntax, so the words
    the build would print are compared with the witness, and the difference is named."""

    docs = copy_project(tmp_path)
    texts = docs.parent / "source_texts"
    witness = texts / "witness" / "000_4a46b843ed25f814.txt"
    transcription = texts / "sagra-1952-revolution.md"
    for path in (witness, transcription):
        text = path.read_text(encoding="utf-8")
        assert text.count("By Alicia Sagra") == 1
        path.write_text(text.replace("By Alicia Sagra", "By -- Alicia Sagra"), encoding="utf-8")
    manifest = texts / "texts.yaml"
    digest = hashlib.sha256(witness.read_bytes()).hexdigest()
    old = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"sha256: \w+", f"sha256: {digest}", old), encoding="utf-8")
    assert check_edition(docs).problems == []
    [problem] = check_edition(docs, extensions=["replacements"]).problems
    assert (problem.path, problem.line) == (str(transcription), 11)
    assert "the words differ from the witness" in problem.message
    assert "By -- Alicia Sagra" in problem.message and "By – Alicia Sagra" in problem.message


def test_the_check_reads_every_file_as_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """Where the locale's encoding is ASCII (``LC_ALL=C`` without Python's UTF-8 mode), the
    check still reads the bibliography, the transcriptions and the pages as UTF-8 (they hold
    accents), and runs to the end: here to the two problems it should find in a page, one of
    which quotes a directive's name with its accent."""
    docs = copy_project(tmp_path)
    page = docs / "introduction.md"
    text = page.read_text(encoding="utf-8").rstrip("\n")
    page.write_text(text + '\n\n<b title="año">x</b>\n\n```{prüfe}\nx\n```\n', encoding="utf-8")
    line = text.count("\n") + 3
    package = Path(check.__file__).resolve().parents[1]
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = os.pathsep.join([str(package), env.get("PYTHONPATH", "")])
    probe = [sys.executable, "-c", "import locale; print(locale.getpreferredencoding(False))"]
    assert subprocess.run(probe, env=env, capture_output=True, text=True).stdout.strip() in {
        "ANSI_X3.4-1968",
        "ascii",
        "US-ASCII",
    }
    run = subprocess.run(
        [sys.executable, "-m", "sphinx_critical_edition.cli", "check", "--docs", str(docs)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    found = {row for row in run.stdout.splitlines() + run.stderr.splitlines() if ": " in row}
    assert {row.split(";", 1)[0] for row in found if row.startswith(str(docs))} == {
        f"{page}:{line}: raw HTML is not allowed in a page",
        f"{page}:{line + 2}: the directive {{prüfe}} is not allowed",
    }, run.stdout + run.stderr


# Found by an audit of "equivalent" verdicts (session 16)


def test_a_transcription_parsed_with_other_note_forms_is_not_taken_from_the_memo(
    tmp_path: Path,
) -> None:
    """The memo of a parsed transcription is keyed by its note forms and syntax: two settings
    whose words joined with spaces read alike ("{label} {text}" with amsmath and deflist,
    "{label} {text} amsmath" with deflist) are two keys, and the second build parses, not takes
    the first's."""
    manifest = load_manifest(ROOT_DOCS.parent / "source_texts" / "texts.yaml")
    spec = next(text for text in manifest.texts if text.key == "sagra")
    first = dataclasses.replace(spec, note_form="{label} {text}")
    second = dataclasses.replace(spec, note_form="{label} {text} amsmath")
    store = tmp_path / "store.pickle"
    build = FileCache(store, "code")
    check._transcription(first, build, ("amsmath", "deflist"))
    build.save()
    rebuild = FileCache(store, "code")
    assert check._transcription(second, rebuild, ("deflist",)) == check._transcription(
        second, FileCache(), ("deflist",)
    )
    assert rebuild.reused == 0
