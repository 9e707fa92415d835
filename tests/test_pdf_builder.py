"""The PDF builder's assembly of the book from its pages (``pdf/builder.py``), on small trees."""

from __future__ import annotations

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx_critical_edition.pdf.builder import ids_made_unique


def _page(docname: str, *children: nodes.Element) -> addnodes.start_of_file:
    return addnodes.start_of_file("", *children, docname=docname)


def _section(section_id: str, *children: nodes.Node) -> nodes.section:
    return nodes.section("", nodes.title("", section_id), *children, ids=[section_id])


def test_an_id_two_pages_share_is_renamed_on_the_later_page_and_its_links_follow() -> None:
    tree = new_document("index")
    tree["docname"] = "index"
    first_cite = nodes.inline("", "Smith 2004", ids=["id1"])
    first_back = nodes.reference("", "back", refid="id1")
    later_cite = nodes.inline("", "Jones 1999", ids=["id1"])
    later_back = nodes.reference("", "back", refid="id1")
    later_list = nodes.citation("", ids=["cite-jones"], backrefs=["id1", "other"])
    from_intro = nodes.reference("", "the Theses", refuri="#document-theses#the-theses")
    to_own = nodes.reference("", "this page", refuri="#the-theses")
    tree += _page("intro", _section("the-theses", first_cite, first_back, from_intro))
    tree += _page("theses", _section("the-theses", later_cite, later_back, later_list, to_own))

    renames = ids_made_unique(tree)

    assert renames == {
        ("theses", "the-theses"): "theses-the-theses",
        ("theses", "id1"): "theses-id1",
    }
    ids = [i for node in tree.findall(nodes.Element) for i in node["ids"]]
    assert len(ids) == len(set(ids)) == 5
    # the first page keeps its own
    assert first_cite["ids"] == ["id1"] and first_back["refid"] == "id1"
    assert later_cite["ids"] == ["theses-id1"] and later_back["refid"] == "theses-id1"
    assert later_list["backrefs"] == ["theses-id1", "other"]
    assert from_intro["refuri"] == "#document-theses#theses-the-theses"
    assert to_own["refuri"] == "#theses-the-theses"


def test_a_renamed_id_that_is_taken_too_gets_a_number() -> None:
    tree = new_document("index")
    tree["docname"] = "index"
    tree += _page("a", _section("notes"), _section("b-notes"))
    tree += _page("b", _section("notes"))
    tree += _page("b", _section("notes"))  # a page included twice

    ids_made_unique(tree)

    ids = [i for node in tree.findall(nodes.section) for i in node["ids"]]
    assert ids == ["notes", "b-notes", "b-notes-2", "b-notes-3"]
