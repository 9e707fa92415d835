"""``critical-edition new DIR`` makes an edition that checks and builds before any edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_edition
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.cli import main
from sphinx_critical_edition.config import _assignment_lines


def test_a_new_edition_checks_and_builds(tmp_path: Path, capsys) -> None:
    target = tmp_path / "my-edition"
    assert main(["new", str(target), "--title", 'A "new" edition', "--author", "A. Author"]) == 0
    assert "critical-edition check" in capsys.readouterr().out
    assert check_edition(target / "docs", None).problems == []
    html = Path(build_edition("html", tmp_path / "html", srcdir=target / "docs").outdir)
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "A &quot;new&quot; edition" in index or 'A "new" edition' in index
    assert (html / "text.html").is_file() and (html / "apparatus.html").is_file()
    pdf = Path(build_edition("pdf", tmp_path / "pdf", srcdir=target / "docs").outdir)
    assert (pdf / "edition.pdf").stat().st_size > 1000


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert str(tmp_path) in error and "not an empty folder" in error
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "docs").exists()


def _new_edition_with(tmp_path: Path, setting: str) -> Path:
    """A new edition (``critical-edition new``) whose conf.py ends with *setting*."""
    target = tmp_path / "edition"
    assert main(["new", str(target)]) == 0
    conf = target / "docs" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + setting, encoding="utf-8")
    return target


def _last_line(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "conf.py: edition_map_country (not set): the edition-map directive needs the"),
        ("edition_map_country = 'XXX'\n", "'XXX' is not a country code of Natural Earth"),
    ],
)
def test_a_map_without_a_known_country_is_an_error_at_the_directive(
    tmp_path: Path, setting: str, message: str
) -> None:
    """Nothing assumes a country: the map names the setting, at the directive's file and line
    and at the setting's line in conf.py."""
    target = _new_edition_with(tmp_path, setting)
    register = target / "docs" / "register.md"
    register.write_text(register.read_text(encoding="utf-8") + "\n```{edition-map}\n```\n")
    with pytest.raises(AssertionError) as failed:
        build_edition("html", tmp_path / "html", srcdir=target / "docs")
    lines = _last_line(register)
    assert f"register.md:{lines - 1}: ERROR: " in str(failed.value)  # the directive's line
    assert message in str(failed.value)
    conf = target / "docs" / "conf.py"
    if setting:
        assert f"{conf}:{_last_line(conf)}: edition_map_country: 'XXX'" in str(failed.value)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "edition_pdf_contents = ['apparatus#nowhere']\n",
            "edition_pdf_contents: 'apparatus#nowhere' is not a section or a part of a chapter",
        ),
        (
            "edition_pdf_contents = ['nowhere#x']\n",
            "edition_pdf_contents: 'nowhere#x' is not a section or a part of a chapter",
        ),
        (
            "edition_pdf_contents = ['apparatus']\n",
            "edition_pdf_contents: 'apparatus' is not a section or a part of a chapter",
        ),
        ("edition_cite_doc = 'cite'\n", "edition_cite_doc: 'cite' is not a document"),
    ],
)
def test_a_pdf_setting_naming_nothing_is_an_error(
    tmp_path: Path, setting: str, message: str
) -> None:
    """The contents' added sections and the imprint's page on citing name what exists, or
    the error names conf.py and the line that set them."""
    target = _new_edition_with(tmp_path, setting)
    with pytest.raises(Exception) as failed:
        build_edition("pdf", tmp_path / "pdf", srcdir=target / "docs")
    conf = target / "docs" / "conf.py"
    assert f"{conf}:{_last_line(conf)}: {message}" in str(failed.value)


def test_a_bad_setting_from_an_override_says_so(tmp_path: Path) -> None:
    """A value given with -D (here the tests' confoverrides) is not in conf.py: the error says
    where it came from instead of pointing at a line of conf.py."""
    target = _new_edition_with(tmp_path, "edition_cite_doc = 'index'  # a page that exists\n")
    with pytest.raises(Exception) as failed:
        build_edition(
            "pdf",
            tmp_path / "pdf",
            srcdir=target / "docs",
            confoverrides={"edition_cite_doc": "nowhere"},
        )
    assert (
        "edition_cite_doc (given as an override, -D edition_cite_doc=..., not in conf.py): "
        "'nowhere' is not a document"
    ) in str(failed.value)
    assert "conf.py:" not in str(failed.value)


def test_the_line_of_a_setting_is_its_last_assignment_at_the_top_level(tmp_path: Path) -> None:
    """conf.py's line for a setting: the last assignment, in blocks too, not in functions."""
    conf = tmp_path / "conf.py"
    conf.write_text(
        "edition_cite_doc = 'a'\n"  # 1
        "import os\n"  # 2
        "if os.environ.get('X'):\n"  # 3
        "    edition_cite_doc = 'b'\n"  # 4
        "else:\n"  # 5
        "    edition_pdf_contents: list[str] = []\n"  # 6
        "edition_pdf_contents += ['apparatus#x']\n"  # 7
        "try:\n"  # 8
        "    edition_title, edition_author = 'T', 'A'\n"  # 9
        "except ImportError:\n"  # 10
        "    edition_rights = 'CC0'\n"  # 11
        "def setup(app):\n"  # 12
        "    edition_cite_doc = 'in a function'\n",  # 13
        encoding="utf-8",
    )
    lines = _assignment_lines(conf, conf.stat().st_mtime_ns)
    assert lines == {
        "edition_cite_doc": 4,
        "edition_pdf_contents": 7,
        "edition_title": 9,
        "edition_author": 9,
        "edition_rights": 11,
    }


def test_an_empty_site_address_is_a_warning_at_its_line(tmp_path: Path) -> None:
    """Without html_baseurl the exports' IRIs are placeholders: -W stops at conf.py's line."""
    target = _new_edition_with(tmp_path, "html_baseurl = ''\n")
    with pytest.raises(AssertionError) as failed:
        build_edition("html", tmp_path / "html", srcdir=target / "docs")
    conf = target / "docs" / "conf.py"
    assert f"{conf}:{_last_line(conf)}: html_baseurl is empty: the Web Annotations" in str(
        failed.value
    )
