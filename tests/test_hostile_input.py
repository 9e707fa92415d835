"""Hostile input: every file a contributor can send, broken on purpose, gets a ``path:line``
refusal that says what is wrong, and never a traceback.

The corpus is ``tests/hostile/input/``: each file is put in place of (or beside) one file of a
copy of the project and checked with ``critical-edition check``. Its first three comment lines
(or a ``.expect`` file beside it, when a header would change what the file is) say what it is,
where it goes and what the check must say::

    # case: a field given twice in an annotation
    # target: annotations/zz-hostile.yaml
    # expect: 13: duplicate key 'quote' (first on line 8)

The expected line counts the header. The check must exit 1, name the target file at that line
first, with that fragment, and report nothing in any other file: a broken file's own problem,
not knock-on errors in the files that refer to it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from conftest import copy_project
from sphinx.testing.util import SphinxTestApp
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.inputfiles import MAX_BYTES
from sphinx_critical_edition.stopping import EditionInputError

INPUT = Path(__file__).resolve().parent / "hostile" / "input"


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    target: str  # relative to the project's docs folder
    line: int
    fragment: str
    data: bytes


def load_case(path: Path) -> Case:
    sidecar = path.with_name(path.name + ".expect")
    header = (sidecar if sidecar.exists() else path).read_bytes().split(b"\n")[:3]
    fields = {}
    for raw in header:
        key, _, value = raw.decode("utf-8")[2:].partition(": ")
        fields[key] = value
    line, _, fragment = fields["expect"].partition(": ")
    return Case(path.name, fields["case"], fields["target"], int(line), fragment, path.read_bytes())


CASES = [load_case(p) for p in sorted(INPUT.iterdir()) if not p.name.endswith(".expect")]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project for all cases; each case restores what it changed."""
    return copy_project(tmp_path_factory.mktemp("hostile")).resolve()


@contextmanager
def placed(project: Path, target: str, data: bytes) -> Iterator[Path]:
    """*data* as the project's file *target* while the block runs."""
    path = (project / target).resolve()
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield path
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["check", "--docs", str(project)])
    return status, capsys.readouterr().err.splitlines()


def assert_refused(status: int, err: list[str], path: Path, line: int, fragment: str) -> None:
    text = "\n".join(err)
    assert status == 1, text
    assert "Traceback" not in text and 'File "' not in text, text
    assert err[0].startswith(f"{path}:{line}: "), text
    assert fragment in err[0], text


#: the classes of hostile input, and the case names that belong to each
CLASSES = {
    "bytes that are not UTF-8": r"latin1|utf|byte",
    "invisible and bidirectional characters": (
        r"rlo|lri|lrm|alm|zwsp|soft-hyphen|bidi|bom|escaped|bell|separator|tag-char|joiner"
    ),
    "duplicate keys": r"duplicate-key",
    "keys that are not names": r"-key$",
    "anchors, aliases and merge keys": r"alias|merge",
    "nesting": r"nested",
    "dates and other YAML types": r"date|timestamp|tag$|binary|set-tag|omap",
    "ids and patterns matched whole": r"newline|uppercase",
    "numbers and coordinates": r"coordinates|latitude|longitude|integer|paragraph-(float|zero)",
    "BibTeX": r"^bib-",
    "YAML syntax": r"unclosed|indent|documents|empty-file|file-is-list",
    "anchoring messages": r"prefix|suffix|another-paragraph|paragraph-missing|blank-quote",
    "the text manifest": r"manifest",
    "transcriptions": r"transcription",
}


def test_the_corpus_covers_every_class() -> None:
    assert len(CASES) >= 50
    slugs = [re.sub(r"^\d+-|\.\w+$", "", c.name) for c in CASES]
    for name, pattern in CLASSES.items():
        assert any(re.search(pattern, slug) for slug in slugs), f"no case of {name}"
    targets = {c.target for c in CASES}
    assert {"witnesses.yaml", "chronology.yaml", "references.bib"} <= targets


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_with_path_and_line(
    case: Case, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with placed(project, case.target, case.data) as path:
        status, err = check(project, capsys)
        if case.target.endswith(".md"):  # a transcription: other checks may speak of it too
            assert status == 1 and not any("Traceback" in e for e in err), err
            assert any(e.startswith(f"{path}:{case.line}: ") and case.fragment in e for e in err), (
                err
            )
            return
        assert_refused(status, err, path, case.line, case.fragment)
        problems = err[:-1] if err[-1].endswith("s)") else err  # the summary line
        elsewhere = [p for p in problems if not p.startswith(f"{path}:")]
        assert not elsewhere, f"knock-on errors: {elsewhere}"


def test_a_file_over_the_size_limit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = b"text: sagra\nannotations: []\n" + b"#" * MAX_BYTES
    with placed(project, "annotations/zz-large.yaml", data) as path:
        status, err = check(project, capsys)
        assert_refused(status, err, path, 1, f"a layer file may have at most {MAX_BYTES:,}")


def test_a_broken_build_stops_with_a_readable_message(tmp_path: Path) -> None:
    """``sphinx-build`` on a project with one broken file: the problem with its path:line as a
    Sphinx error and a one-line summary, no traceback and no "please open an issue"."""
    docs = copy_project(tmp_path)
    witnesses = docs / "witnesses.yaml"
    text = witnesses.read_text(encoding="utf-8")
    held = "    held: true\n"
    witnesses.write_text(text.replace(held, held + "    held: false\n", 1), encoding="utf-8")
    line = text[: text.index(held)].count("\n") + 2
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "_ext")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "build",
            "-W",
            "-b",
            "html",
            str(docs),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 2, run.stderr  # sphinx-build's status for an error
    assert f"{witnesses}:{line}: ERROR: duplicate key 'held'" in run.stderr, run.stderr
    assert "Edition input error: the build stopped: 1 problem(s)" in run.stderr
    for noise in ("Traceback", "please open an issue", "Extension error", "Versions"):
        assert noise not in run.stderr + run.stdout, run.stderr
    assert len(run.stderr.strip().splitlines()) <= 5, run.stderr
    assert not (tmp_path / "out" / "index.html").exists()  # nothing half-built


def test_a_symbolic_link_is_refused_and_not_followed(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link to a file outside the project would have its lines echoed in error messages."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("canary-7f3a: the build machine's secret\n", encoding="utf-8")
    link = project / "annotations" / "zz-link.yaml"
    link.symlink_to(secret)
    try:
        status, err = check(project, capsys)
    finally:
        link.unlink()
    assert_refused(status, err, link, 1, "is a symbolic link; the edition reads plain files only")
    assert "canary-7f3a" not in "\n".join(err)


def test_a_folder_named_like_a_layer_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project / "register" / "zz-folder.yaml"
    folder.mkdir()
    try:
        status, err = check(project, capsys)
    finally:
        folder.rmdir()
    assert_refused(status, err, folder, 1, "cannot be read: Is a directory")


def test_what_a_contributor_wrote_is_echoed_within_limits(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 200 kB quote that matches nothing is named, not printed whole."""
    quote = "nowhere " * 25_000
    data = f"text: sagra\nannotations:\n  - id: zz-long\n    kind: entity\n    quote: {quote}\n"
    data += "    resp: x\n    cert: low\n    ref: lechin\n"
    with placed(project, "annotations/zz-long.yaml", data.encode()) as path:
        status, err = check(project, capsys)
    assert_refused(status, err, path, 3, "annotation 'zz-long': quote 'nowhere nowhere")
    assert len(err[0]) < len(str(path)) + 1100


def test_a_broken_build_driven_from_python_raises_a_sphinx_error(tmp_path: Path) -> None:
    """Through ``sphinx.testing``: a SphinxError naming the problem, which is also a Sphinx
    error in the warning stream, and no traceback text anywhere."""
    docs = copy_project(tmp_path)
    chronology = docs / "chronology.yaml"
    text = chronology.read_text(encoding="utf-8")
    quoted = re.search(r'date: "(\d{4}-\d\d-\d\d)"', text)  # the first full date
    day = quoted[1]
    chronology.write_text(text.replace(quoted[0], f"date: {day}", 1), "utf-8")
    line = text[: quoted.start()].count("\n") + 1
    warnings = StringIO()
    with pytest.raises(EditionInputError) as raised:
        SphinxTestApp("html", srcdir=docs, builddir=tmp_path / "out", warning=warnings)
    expected = f"{chronology}:{line}: {day} is read by YAML as a date"
    assert expected in str(raised.value)
    assert expected.replace(f": {day}", f": ERROR: {day}", 1) in warnings.getvalue()
    assert "Traceback" not in str(raised.value) + warnings.getvalue()


def test_a_long_file_of_invalid_records_is_explained_in_part(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first 50 invalid records are explained, the rest named by where they begin: the
    pure-Python validator that words the messages took seconds over a long file."""
    record = "  - id: zz-{i}\n    kind: note\n    quote: Hottschild\n    cert: low\n"  # no resp
    data = "text: sagra\nannotations:\n" + "".join(record.format(i=i) for i in range(300))
    with placed(project, "annotations/zz-invalid.yaml", data.encode()) as path:
        status, err = check(project, capsys)
    assert status == 1
    explained = [e for e in err if "'resp' is a required property" in e]
    assert len(explained) == 50
    first_left_out = 3 + 50 * 4  # the 51st record's line
    assert f"{path}:{first_left_out}: 50 invalid records are listed above; this one" in "\n".join(
        err
    )


@pytest.mark.parametrize("how", ["outside", "symlink"])
def test_a_manifest_cannot_point_a_text_outside_its_folder(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    """A transcription read from elsewhere would have its lines printed as the first
    difference from the witness."""
    secret = tmp_path / "secret.md"
    secret.write_text("# canary-91c2\n\nthe build machine's secret\n", encoding="utf-8")
    manifest = project.parent / "source_texts" / "texts.yaml"
    text = manifest.read_text(encoding="utf-8")
    if how == "outside":
        target = os.path.relpath(secret, manifest.parent)
    else:
        target = "linked.md"
        (manifest.parent / target).symlink_to(secret)
    changed = text.replace("transcription: pulacayo-theses.md", f"transcription: {target}")
    entry = text[: text.rindex("  - key:", 0, text.index("transcription: pulacayo"))].count("\n")
    try:
        with placed(project, "../source_texts/texts.yaml", changed.encode()) as path:
            status, err = check(project, capsys)
    finally:
        (manifest.parent / "linked.md").unlink(missing_ok=True)
    assert_refused(status, err, path, entry + 1, f"the transcription {target!r} is not in")
    assert "canary-91c2" not in "\n".join(err)
