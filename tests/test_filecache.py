"""What a build reuses from the last one: only what was made from the very same file."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.filecache import FileCache


def _counting(calls: list[str], value: object) -> object:
    calls.append("made")
    return value


def test_an_unchanged_file_is_reused_and_a_changed_one_made_again(tmp_path: Path) -> None:
    source, store = tmp_path / "a.yaml", tmp_path / "store.pickle"
    source.write_text("one")
    calls: list[str] = []
    first = FileCache(store, "code")
    assert first.get("kind", source, lambda: _counting(calls, {"v": 1})) == {"v": 1}
    first.save()
    again = FileCache(store, "code")
    assert again.get("kind", source, lambda: _counting(calls, {"v": 2})) == {"v": 1}
    assert calls == ["made"] and again.reused == 1
    source.write_text("one, edited")
    edited = FileCache(store, "code")
    assert edited.get("kind", source, lambda: _counting(calls, {"v": 3})) == {"v": 3}


def test_other_code_a_fresh_build_or_a_broken_store_start_afresh(tmp_path: Path) -> None:
    source, store = tmp_path / "a.yaml", tmp_path / "store.pickle"
    source.write_text("one")
    cache = FileCache(store, "code")
    cache.get("kind", source, lambda: "old")
    cache.save()
    assert FileCache(store, "other code").get("kind", source, lambda: "new") == "new"
    assert FileCache(store, "code", reuse=False).get("kind", source, lambda: "new") == "new"
    store.write_bytes(b"not a pickle")
    assert FileCache(store, "code").get("kind", source, lambda: "new") == "new"


def test_an_unusable_file_is_never_stored(tmp_path: Path) -> None:
    source, store = tmp_path / "a.yaml", tmp_path / "store.pickle"
    source.write_text("broken")
    cache = FileCache(store, "code")
    assert cache.get("kind", source, lambda: None) is None
    cache.save()
    assert FileCache(store, "code").get("kind", source, lambda: "parsed") == "parsed"


def test_a_file_broken_after_it_was_stored_is_reported(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    store = tmp_path / "store.pickle"
    cache = FileCache(store, "code")
    assert check_edition(docs, cache=cache).ok
    cache.save()
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(path.read_text() + "  - id: [unclosed\n", encoding="utf-8")
    cache = FileCache(store, "code")
    (problem,) = check_edition(docs, cache=cache).problems
    assert str(problem).startswith(f"{path}:") and "YAML syntax error" in str(problem)
    assert cache.reused > 0  # the other files did come from the store


def test_the_problems_of_an_unchanged_file_are_reported_again(tmp_path: Path) -> None:
    """A stored file brings its problems along: reusing it never hides one."""
    docs = copy_project(tmp_path)
    path = docs / "annotations" / "sagra-starter.yaml"
    path.write_text(
        path.read_text().replace("body: Misspelt name", "body: <b>Misspelt</b> name", 1),
        encoding="utf-8",
    )
    store = tmp_path / "store.pickle"
    first = FileCache(store, "code")
    before = [str(p) for p in check_edition(docs, cache=first).problems]
    first.save()
    again = FileCache(store, "code")
    assert [str(p) for p in check_edition(docs, cache=again).problems] == before
    assert any("raw HTML is not allowed" in p for p in before) and again.reused > 0
