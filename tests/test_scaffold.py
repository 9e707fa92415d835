"""``critical-edition new DIR`` makes an edition that checks and builds before any edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_edition
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.cli import main


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


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "needs edition_map_country in conf.py"),
        ("edition_map_country = 'XXX'\n", "'XXX' (conf.py) is not a country code of Natural Earth"),
    ],
)
def test_a_map_without_a_known_country_is_an_error_at_the_directive(
    tmp_path: Path, setting: str, message: str
) -> None:
    """Nothing assumes a country: the map names the setting, at the directive's file and line."""
    target = _new_edition_with(tmp_path, setting)
    register = target / "docs" / "register.md"
    register.write_text(register.read_text(encoding="utf-8") + "\n```{edition-map}\n```\n")
    with pytest.raises(AssertionError) as failed:
        build_edition("html", tmp_path / "html", srcdir=target / "docs")
    lines = len(register.read_text(encoding="utf-8").splitlines())
    assert f"register.md:{lines - 1}: ERROR: " in str(failed.value)  # the directive's line
    assert message in str(failed.value)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "edition_pdf_contents = ['apparatus#nowhere']\n",
            "edition_pdf_contents: 'apparatus#nowhere' is not a section of a chapter",
        ),
        (
            "edition_pdf_contents = ['apparatus']\n",
            "edition_pdf_contents: 'apparatus' is not a section of a chapter",
        ),
        ("edition_cite_doc = 'cite'\n", "edition_cite_doc: 'cite' is not a document"),
    ],
)
def test_a_pdf_setting_naming_nothing_is_an_error(
    tmp_path: Path, setting: str, message: str
) -> None:
    """The contents' added sections and the imprint's page on citing name what exists."""
    target = _new_edition_with(tmp_path, setting)
    with pytest.raises(Exception) as failed:
        build_edition("pdf", tmp_path / "pdf", srcdir=target / "docs")
    assert "conf.py: " + message in str(failed.value)
