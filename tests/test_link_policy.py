"""The editors' link policy: a link to a refused host, or to a subdomain of one, is an error; so
is an address with a refused (tracking or display) parameter."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.linkpolicy import refused_links, twice_cited_pages

DOCS = Path(__file__).resolve().parent.parent / "docs"

POLICY = """\
refused:
  - {host: mgwiki.top, why: a copy of Wikipedia}
  - {host: scribd.com, why: uploads}
parameters:
  - {name: utm_*, why: tracks where a reader came from}
  - {name: share, why: a sharing button's address}
  - {name: m, host: blogspot.com, why: switches Blogger's mobile view}
"""


def _docs(tmp_path: Path, policy: str = POLICY) -> Path:
    (tmp_path / "link-policy.yaml").write_text(policy, encoding="utf-8")
    (tmp_path / "annotations").mkdir()
    return tmp_path


def test_the_edition_links_to_no_refused_host() -> None:
    assert refused_links(DOCS) == []


def test_the_edition_has_a_policy() -> None:
    assert "mgwiki.top" in (DOCS / "link-policy.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("where", "text", "line"),
    [
        ("annotations/a.yaml", "- id: x\n  sources:\n    - https://de.mgwiki.top/wiki/X\n", 3),
        ("register/persons.yaml", "- id: x\n  sources: ['https://mgwiki.top/wiki/X']\n", 2),
        ("references.bib", "@online{x,\n  url = {https://es.scribd.com/document/1},\n}\n", 2),
        ("introduction.md", "Intro.\n\nSee [a copy](https://www.scribd.com/doc/1).\n", 3),
    ],
)
def test_a_refused_host_or_subdomain_is_reported_with_file_and_line(
    tmp_path: Path, where: str, text: str, line: int
) -> None:
    docs = _docs(tmp_path)
    path = docs / where
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    [problem] = refused_links(docs)
    assert problem.path == str(path)
    assert problem.line == line
    assert "refused host" in problem.message and "docs/link-policy.yaml" in problem.message


def test_a_host_that_only_ends_like_a_refused_one_passes(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    (docs / "annotations" / "a.yaml").write_text(
        "sources: [https://notmgwiki.top/x, https://en.wikipedia.org/wiki/X, "
        "https://www.scribd.com.example.org/y]\n",
        encoding="utf-8",
    )
    assert refused_links(docs) == []


def test_a_port_and_upper_case_do_not_hide_a_refused_host(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    (docs / "annotations" / "a.yaml").write_text("a: http://ES.SCRIBD.COM:80/x\n", encoding="utf-8")
    assert len(refused_links(docs)) == 1


def test_a_bad_policy_entry_is_reported_with_its_line(tmp_path: Path) -> None:
    docs = _docs(tmp_path, "refused:\n  - {host: mgwiki.top, why: x}\n  - {host: Not A Host}\n")
    problems = refused_links(docs)
    assert {(p.path, p.line) for p in problems} == {(str(docs / "link-policy.yaml"), 3)}
    assert any("'why' is a required property" in p.message for p in problems)
    assert any("'Not A Host' does not match" in p.message for p in problems)


def test_without_a_policy_nothing_is_refused(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("https://de.mgwiki.top/wiki/X\n", encoding="utf-8")
    assert refused_links(tmp_path) == []


@pytest.mark.parametrize(
    ("url", "named", "plain"),
    [
        (
            "https://example.org/a?utm_source=x&utm_medium=y",
            "utm_source (tracks where a reader came from), utm_medium (tracks where a reader "
            "came from)",
            "https://example.org/a",
        ),
        (
            "https://example.org/a/?p=4&share=reddit#top",
            "share (a sharing button's address)",
            "https://example.org/a/?p=4#top",
        ),
        (
            "https://history.blogspot.com/2018/x.html?m=1",
            "m (switches Blogger's mobile view)",
            "https://history.blogspot.com/2018/x.html",
        ),
    ],
)
def test_a_refused_parameter_is_reported_with_the_address_to_cite(
    tmp_path: Path, url: str, named: str, plain: str
) -> None:
    docs = _docs(tmp_path)
    path = docs / "annotations" / "a.yaml"
    path.write_text(f"- id: x\n  sources:\n    - {url}\n", encoding="utf-8")
    [problem] = refused_links(docs)
    assert (problem.path, problem.line) == (str(path), 3)
    assert problem.message == (
        f"link with a parameter that no cited address carries, {named}: {url}; cite the page "
        f"at its own address, {plain} (the list is docs/link-policy.yaml)"
    )


def test_a_parameter_refused_on_one_host_passes_elsewhere_and_names_are_exact(
    tmp_path: Path,
) -> None:
    docs = _docs(tmp_path)
    (docs / "annotations" / "a.yaml").write_text(
        "sources: [https://example.org/x?m=1, https://example.org/y?mode=1&shared=1, "
        "https://example.org/z?utm=1, https://blogspot.com.example.org/w?m=0]\n",
        encoding="utf-8",
    )
    assert refused_links(docs) == []


def test_a_refused_host_is_reported_once_even_with_a_refused_parameter(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    (docs / "index.md").write_text("https://de.mgwiki.top/wiki/X?utm_source=y\n", encoding="utf-8")
    [problem] = refused_links(docs)
    assert "refused host, mgwiki.top" in problem.message


def test_a_policy_of_parameters_alone_is_applied(tmp_path: Path) -> None:
    docs = _docs(tmp_path, "refused: []\nparameters:\n  - {name: amp, why: an AMP copy}\n")
    (docs / "index.md").write_text("See https://news.example.org/a/?amp.\n", encoding="utf-8")
    [problem] = refused_links(docs)
    assert "amp (an AMP copy): https://news.example.org/a/?amp;" in problem.message
    assert "own address, https://news.example.org/a/ (" in problem.message


def test_a_bad_parameter_entry_is_reported_with_its_line(tmp_path: Path) -> None:
    docs = _docs(tmp_path, "refused: []\nparameters:\n  - {name: 'utm source', why: x}\n")
    problems = refused_links(docs)
    assert {(p.path, p.line) for p in problems} == {(str(docs / "link-policy.yaml"), 3)}
    assert any("'utm source' does not match" in p.message for p in problems)


def test_every_link_of_a_line_is_checked_after_a_refused_one(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    (docs / "index.md").write_text(
        "https://de.mgwiki.top/x and https://example.org/a?utm_source=y\n", encoding="utf-8"
    )
    problems = refused_links(docs)
    assert [p.message.split(",")[0] for p in problems] == [
        "link to a refused host",
        "link with a parameter that no cited address carries",
    ]


def test_the_edition_cites_each_page_under_one_address() -> None:
    assert twice_cited_pages(DOCS) == []


def _work_cited_otherwise(tmp_path: Path, work: str, cited: str, times: int) -> tuple[Path, Path]:
    """A project whose bibliography holds a work at *work* and whose notes cite *cited* *times*
    times; its docs and the notes' file."""
    docs = _docs(tmp_path)
    (docs / "references.bib").write_text(f"@online{{x,\n  url = {{{work}}},\n}}\n", "utf-8")
    notes = docs / "annotations" / "a.yaml"
    notes.write_text("- sources:\n" + f"    - {cited}\n" * times, encoding="utf-8")
    return docs, notes


@pytest.mark.parametrize(
    ("first", "second", "how"),
    [
        (
            "http://blog.example.org/2018/08/a.html",
            "https://blog.example.org/2018/08/a.html",
            "http/https",
        ),
        (
            "http://www.example.org/norms/a.html",
            "http://www.example.org//norms/a.html",
            "a doubled '/'",
        ),
        ("https://example.org/a", "https://www.example.org/a", "'www.'"),
        # Esquerda Online's article, a work of the bibliography at ".../parte-2/", was cited by
        # the register at ".../parte-2" and listed twice (review 10)
        ("https://example.org/2022/a-2/", "https://example.org/2022/a-2", "a '/' at the end"),
        ("https://example.org/2022/a-2", "https://example.org/2022/a-2/", "a '/' at the end"),
        ("http://example.org//norms/a.html", "http://example.org/norms/a.html", "a doubled '/'"),
        ("https://www.example.org/a", "https://WWW.example.org/a", "the host's case"),
        # a doubled '/' both addresses have is no difference between them
        ("http://example.org//b/", "http://example.org//b", "a '/' at the end"),
        ("http://example.org/b//", "http://example.org/b/", "a doubled '/'"),
        (
            "https://Example.org/a",
            "http://www.example.org///a",
            "http/https and 'www.' and the host's case and a doubled '/'",
        ),
    ],
)
def test_one_page_under_two_addresses_is_reported_with_both_places(
    tmp_path: Path, first: str, second: str, how: str
) -> None:
    docs, notes = _work_cited_otherwise(tmp_path, first, second, 2)
    [problem] = twice_cited_pages(docs)
    assert (problem.path, problem.line) == (str(notes), 2)
    assert problem.message == (
        f"one page cited under two addresses: {second} (here and 1 other place) and {first} "
        f"({tmp_path.name}/references.bib:2) differ only in {how}; cite one address everywhere"
    )


def test_the_places_of_each_address_are_counted(tmp_path: Path) -> None:
    """The message counts the other places each address is used in, in words."""
    work, cited = "https://example.org/a", "http://example.org/a"
    for times in (4, 3):
        (tmp_path / str(times)).mkdir()
        docs, _notes = _work_cited_otherwise(tmp_path / str(times), work, cited, times)
        [problem] = twice_cited_pages(docs)
        assert f"{cited} (here and {times - 1} other places) and {work} (" in problem.message
        assert "references.bib:2) differ" in problem.message


def test_other_pages_and_one_address_twice_pass(tmp_path: Path) -> None:
    """A page's other anchor, query, path or host is another address."""
    docs = _docs(tmp_path)
    (docs / "index.md").write_text(
        "https://example.org/a https://example.org/a https://example.org/a#b "
        "https://example.org/a?p=1 https://example.org/b https://example.org/bX "
        "https://en.example.org/a https://example.org/x//y.html?u=http://z\n",
        encoding="utf-8",
    )
    assert twice_cited_pages(docs) == []


def test_the_check_refuses_a_work_s_page_under_another_address(tmp_path: Path) -> None:
    """`critical-edition check` reports it with the rest: the Lexivox decree, a work of the
    bibliography, cited once more with a doubled slash would be listed as a second page."""
    docs = copy_project(tmp_path)
    chronology = docs / "chronology.yaml"
    text = chronology.read_text(encoding="utf-8")
    good = "http://www.lexivox.org/norms/BO-DL-19530802.html"
    line = text[: text.index(good)].count("\n") + 1
    chronology.write_text(text.replace(good, good.replace("/norms", "//norms"), 1), "utf-8")
    [problem] = [p for p in check_edition(docs).problems if "two addresses" in p.message]
    assert (problem.path, problem.line) == (str(chronology), line)
    assert f"and {good} (docs/references.bib:" in problem.message
