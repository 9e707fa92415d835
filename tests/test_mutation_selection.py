"""The per-line test selection of mutation runs (``tests/mutation/line_selection.py``): a mutant
is mapped to the lines of the original source it changes, and only the tests that execute one
of them run it; whatever cannot be mapped keeps all of mutmut's tests."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest


def _load() -> ModuleType:
    path = Path(__file__).parent / "mutation" / "line_selection.py"
    spec = importlib.util.spec_from_file_location("line_selection", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


line_selection = _load()

#: a function as mutmut copies it (renamed), and the original module it comes from (its def on
#: line 5, where the copy's is on line 1)
COPY = '''\
def x_total__mutmut_orig(items, floor=1):
    """Sum of the items over *floor*."""
    total = 0
    for item in items:
        if item > floor:
            total += item
        else:
            total -= call(
                item,
            )
    return total
'''
ORIGINAL = '"""A module."""\n\nFLOOR = 1\n\n' + COPY.replace("x_total__mutmut_orig(", "total(")


def mutant(old: str, new: str, name: str = "x_total__mutmut_1") -> str:
    assert old in COPY
    return COPY.replace(old, new).replace("x_total__mutmut_orig(", f"{name}(")


@pytest.mark.parametrize(
    ("old", "new", "lines"),
    [
        ("total += item", "total = item", {6}),  # a simple statement: its line
        ("if item > floor:", "if item >= floor:", {5}),  # a header: the header, not the body
        ("for item in items:", "for item in None:", {4}),
        ("total = 0", "total = 1", {3}),
        ("return total", "return None", {11}),
        ("item,\n", "None,\n", {8, 9, 10}),  # a statement over three lines: all of them
    ],
)
def test_a_mutant_is_mapped_to_the_lines_it_changes(old: str, new: str, lines: set[int]) -> None:
    assert line_selection.changed_lines(COPY, mutant(old, new)) == lines


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("floor=1", "floor=2"),  # a default, evaluated when the function is defined
        ("(items, floor", "(items, *, floor"),  # the signature
    ],
)
def test_a_change_in_the_def_line_is_not_filtered(old: str, new: str) -> None:
    assert line_selection.changed_lines(COPY, mutant(old, new)) is None


def test_a_method_is_found_in_its_class_and_its_lines_translated(tmp_path: Path) -> None:
    method = "".join(f"    {line}" if line.strip() else line for line in COPY.splitlines(True))
    method = method.replace("x_total__mutmut_orig(", "xǁTallyǁtotal__mutmut_orig(self, ")
    changed = method.replace("total += item", "total = item").replace("_orig(", "_4(")
    mutants, source = _mutants_file(tmp_path, method, changed, "xǁTallyǁtotal")
    original = "class Tally:\n" + method.replace("xǁTallyǁtotal__mutmut_orig(", "total(")
    (source / "mod.py").write_text(original, encoding="utf-8")
    name = "sphinx_critical_edition.mod.xǁTallyǁtotal__mutmut_4"
    # the class on line 1, the def on 2: ``total += item`` is line 7
    assert line_selection.original_lines(name, mutants, source) == ("mod.py", frozenset({7}))


def _mutants_file(tmp_path: Path, copy: str, changed: str, mangled: str) -> tuple[Path, Path]:
    """A mutants folder as mutmut writes it (the file with its copies and the index of their
    line spans) and a source folder; returns both."""
    mutants = tmp_path / "mutants"
    package = mutants / "src" / "sphinx_critical_edition"
    package.mkdir(parents=True)
    head = "import os\n\n\n"
    text = head + copy + "\n\n" + changed
    first = head.count("\n") + 1
    second = first + copy.count("\n") + 2
    spans = {
        f"{mangled}__mutmut_orig": [first, first + copy.count("\n") - 1],
        changed.split("(")[0].split()[-1]: [second, second + changed.count("\n") - 1],
    }
    (package / "mod.py").write_text(text, encoding="utf-8")
    (package / "mod.py.spans").write_text(json.dumps({"version": 1, "spans": spans}))
    source = tmp_path / "source"
    source.mkdir()
    return mutants, source


def _coverage_map(
    source: Path, lines: dict[str, list[int]], outside: list[int]
) -> dict[str, object]:
    digest = hashlib.sha256((source / "mod.py").read_bytes()).hexdigest()
    return {
        "version": line_selection.VERSION,
        "source_dir": str(source),
        "sources": {"mod.py": digest},
        "tests": ["tests/test_a.py::test_one", "tests/test_a.py::test_two"],
        "files": {"mod.py": lines},
        "outside": {"mod.py": outside},
    }


@pytest.fixture
def mapped(tmp_path: Path) -> tuple[Path, Path]:
    """A mutant of ``mod.total`` changing its line 10 (``total += item``), original def on 5."""
    mutants, source = _mutants_file(
        tmp_path, COPY, mutant("total += item", "total = item"), "x_total"
    )
    (source / "mod.py").write_text(ORIGINAL, encoding="utf-8")
    return mutants, source


NAME = "sphinx_critical_edition.mod.x_total__mutmut_1"


def test_a_mutant_runs_only_the_tests_executing_its_lines(mapped: tuple[Path, Path]) -> None:
    mutants, source = mapped
    assert line_selection.original_lines(NAME, mutants, source) == ("mod.py", frozenset({10}))
    record = _coverage_map(source, {"9": [0, 1], "10": [1]}, outside=[5])
    assert line_selection.tests_for_mutant(NAME, mutants, record) == {"tests/test_a.py::test_two"}


def test_lines_no_test_executes_keep_every_test(mapped: tuple[Path, Path]) -> None:
    mutants, source = mapped
    record = _coverage_map(source, {"9": [0, 1], "10": []}, outside=[])
    assert line_selection.tests_for_mutant(NAME, mutants, record) is None


def test_lines_run_outside_a_test_or_a_stale_record_keep_every_test(
    mapped: tuple[Path, Path],
) -> None:
    mutants, source = mapped
    outside = _coverage_map(source, {"10": [1]}, outside=[10])
    assert line_selection.tests_for_mutant(NAME, mutants, outside) is None
    stale = _coverage_map(source, {"10": [1]}, outside=[])
    (source / "mod.py").write_text(ORIGINAL + "\n# changed since the record\n", encoding="utf-8")
    assert line_selection.tests_for_mutant(NAME, mutants, stale) is None


def test_a_copy_that_is_not_the_original_text_is_not_mapped(mapped: tuple[Path, Path]) -> None:
    mutants, source = mapped
    (source / "mod.py").write_text(ORIGINAL.replace("total = 0", "total = 00"), encoding="utf-8")
    assert line_selection.original_lines(NAME, mutants, source) is None
