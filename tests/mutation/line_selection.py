"""Per-line test selection for mutation runs: a mutant runs only the tests that execute it.

mutmut 3 runs, for a mutant, every test that reaches its *function*; in a long function (the
loader's ``load_layer``, reached by ~280 tests) a killed mutant of an error branch then costs the
time of every test before the one that enters that branch. As mutmut 2's ``--use-coverage`` and
Stryker's per-test coverage do, the run keeps only the tests that execute a line the mutant
changes. This is sound: a test that never executes the mutated statement runs exactly the
unmutated code, so it cannot kill the mutant, and leaving it out changes the time, not the
verdict. Whatever cannot be mapped with certainty keeps mutmut's own selection.

Two halves:

- :func:`record` (before the run, by ``mutate.py``): the fast tests run once under coverage.py on
  the unmutated source, one coverage context per test, and the map
  ``{source file: {line: [tests]}}`` is written as JSON. A line run while a fixture was set up is
  counted for every test using that fixture (a module-scoped fixture runs the check once for many
  tests), and the package's ``functools`` memos are emptied before each test, so each test is
  recorded as executing what it would compute on its own. Lines run outside any test (collection)
  are kept apart: a mutant touching one of them is not filtered.
- :func:`tests_for_mutant` (per mutant, from ``tests/conftest.py``): the mutant's function and
  its unmutated copy are read out of mutmut's mutants file, their ASTs compared to find the
  innermost statements that differ, and those statements' lines translated to the original
  source (checked line by line) and looked up in the map.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

#: the package mutated, as mutmut names mutants (``sphinx_critical_edition.loader.x_f__mutmut_3``)
PACKAGE = "sphinx_critical_edition"
#: mutmut's separator between class and method in a mutant's name (``xǁClassǁmethod__mutmut_1``)
CLASS_SEPARATOR = "ǁ"
#: the map's format; a map of another version is recorded again
VERSION = 1
#: compound statements whose header (test, iterable, context managers) is told from their body
_HEADER_FIELDS: dict[type[ast.stmt], tuple[str, ...]] = {
    ast.If: ("test",),
    ast.While: ("test",),
    ast.For: ("target", "iter", "type_comment"),
    ast.AsyncFor: ("target", "iter", "type_comment"),
    ast.With: ("items", "type_comment"),
    ast.AsyncWith: ("items", "type_comment"),
    ast.Try: (),
}
_BODY_FIELDS = ("body", "orelse", "finalbody")

Lines = frozenset[int]


# ------------------------------------------------------------------ recording


def inputs_digest(root: Path, files: Iterable[Path]) -> str:
    """A hash of the files the record depends on (the package, the tests run, the pages and
    texts they read): the map is recorded again when one of them changes."""
    digest = hashlib.sha256(f"line-selection {VERSION}".encode())
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _clear_package_memos() -> None:
    """Empty every ``functools.cache``/``lru_cache`` of the package, so that a test is recorded as
    running what it would compute alone (in a mutant's run an earlier test may fill the memo)."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == PACKAGE or name.startswith(PACKAGE + ".")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


class _ContextPerTest:
    """A pytest plugin: one coverage context per test, one per fixture set up."""

    def __init__(self, coverage: Any) -> None:
        self.coverage = coverage
        self.context = ""
        self.fixtures_by_test: dict[str, list[str]] = {}

    def _switch(self, context: str) -> None:
        self.context = context
        self.coverage.switch_context(context)

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        self.fixtures_by_test = {item.nodeid: list(item.fixturenames) for item in items}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Iterator[None]:
        _clear_package_memos()
        self._switch(item.nodeid)
        yield
        self._switch("")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Iterator[None]:
        previous = self.context
        self._switch(f"fixture:{fixturedef.argname}")
        yield
        self._switch(previous)


def record(
    source_dir: Path, files: list[str], pytest_args: list[str], digest: str
) -> dict[str, Any]:
    """Run the tests (*pytest_args*) under coverage.py on the unmutated *files* of *source_dir*;
    return the map ``{"files": {file: {line: [test index]}}, "tests": [nodeid], ...}``."""
    import coverage

    paths = {str((source_dir / name).resolve()): name for name in files}
    cov = coverage.Coverage(data_file=None, include=list(paths), branch=False)
    plugin = _ContextPerTest(cov)
    cov.start()
    try:
        exit_code = int(pytest.main(pytest_args, plugins=[plugin]))
    finally:
        cov.stop()
    if exit_code != 0:
        raise SystemExit(f"the tests failed on the unmutated source (exit code {exit_code})")
    data = cov.get_data()
    tests = sorted(plugin.fixtures_by_test)
    index = {test: i for i, test in enumerate(tests)}
    users: dict[str, list[int]] = {}
    for test, fixtures in plugin.fixtures_by_test.items():
        for fixture in fixtures:
            users.setdefault(f"fixture:{fixture}", []).append(index[test])
    covered: dict[str, dict[str, list[int]]] = {}
    outside: dict[str, list[int]] = {}
    for measured in data.measured_files():
        name = paths.get(str(Path(measured).resolve()))
        if name is None:
            continue
        lines: dict[str, list[int]] = {}
        for line, contexts in sorted(data.contexts_by_lineno(measured).items()):
            runners: set[int] = set()
            for context in contexts:
                if context in index:
                    runners.add(index[context])
                elif context.startswith("fixture:"):
                    runners.update(users.get(context, ()))
                else:  # collection, or between tests: not filtered
                    outside.setdefault(name, []).append(line)
            lines[str(line)] = sorted(runners)
        covered[name] = lines
    sources = {name: _sha256(source_dir / name) for name in files}
    return {
        "version": VERSION,
        "digest": digest,
        "sources": sources,
        "tests": tests,
        "files": covered,
        "outside": outside,
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ a mutant's lines


def _header_values(node: ast.stmt) -> list[Any]:
    return [getattr(node, field, None) for field in _HEADER_FIELDS[type(node)]]


def _header_span(node: ast.stmt) -> Lines:
    """The lines of a compound statement's header: from its keyword to the end of its test,
    iterable or context managers (the ``try`` keyword alone)."""
    end = node.lineno
    for value in _header_values(node):
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, ast.AST):
                for sub in ast.walk(part):
                    end = max(end, getattr(sub, "end_lineno", None) or end)
    return frozenset(range(node.lineno, end + 1))


def _dump(value: Any) -> Any:
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return ast.dump(value) if isinstance(value, ast.AST) else value


def _span(node: ast.AST) -> Lines:
    return frozenset(range(node.lineno, (node.end_lineno or node.lineno) + 1))  # type: ignore[attr-defined]


def _changed_in_body(orig: list[ast.stmt], mutant: list[ast.stmt], enclosing: Lines) -> Lines:
    """The lines (of *orig*) of the innermost statements that differ between two bodies;
    *enclosing* when the bodies differ in length (a statement added or removed)."""
    if len(orig) != len(mutant):
        return enclosing
    changed: set[int] = set()
    for a, b in zip(orig, mutant, strict=True):
        if ast.dump(a) != ast.dump(b):
            changed |= _changed_in_statement(a, b)
    return frozenset(changed)


def _changed_in_statement(a: ast.stmt, b: ast.stmt) -> Lines:
    """The lines of *a* that its mutant *b* changes: the header of a compound statement whose
    header differs, else what differs in its bodies; for a simple statement its whole span."""
    if type(a) is not type(b) or type(a) not in _HEADER_FIELDS:
        return _span(a)
    if _dump(_header_values(a)) != _dump(_header_values(b)):
        return _header_span(a)
    changed: set[int] = set()
    for field in _BODY_FIELDS:
        changed |= _changed_in_body(getattr(a, field, []), getattr(b, field, []), _span(a))
    if isinstance(a, ast.Try):
        assert isinstance(b, ast.Try)
        if len(a.handlers) != len(b.handlers):
            return _span(a)
        for ha, hb in zip(a.handlers, b.handlers, strict=True):
            if _dump(ha.type) != _dump(hb.type) or ha.name != hb.name:
                end = (ha.type.end_lineno if ha.type else None) or ha.lineno
                changed |= frozenset(range(ha.lineno, end + 1))
            else:
                changed |= _changed_in_body(ha.body, hb.body, _span(ha))
    return frozenset(changed)


def _function(source: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The one function in *source* (a function read out of a file, maybe indented)."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return None
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return defs[0] if len(defs) == 1 else None


def changed_lines(orig_source: str, mutant_source: str) -> Lines | None:
    """The lines of *orig_source* (numbered from 1 at its first line) that the mutant changes,
    or None when the change is in the signature or decorators (run at definition, not by a
    test's call), the sources do not parse, or nothing differs."""
    orig, mutant = _function(orig_source), _function(mutant_source)
    if orig is None or mutant is None or type(orig) is not type(mutant):
        return None
    for field in ("args", "returns", "decorator_list", "type_params"):
        if _dump(getattr(orig, field, None)) != _dump(getattr(mutant, field, None)):
            return None
    body = frozenset(range(orig.body[0].lineno, (orig.end_lineno or orig.lineno) + 1))
    lines = _changed_in_body(orig.body, mutant.body, body)
    return lines or None


# ------------------------------------------------------------------ a mutant's tests


def _mutant_sources(mutants_dir: Path, module_file: str, generated: str) -> tuple[str, str] | None:
    """The unmutated copy and the mutant of a function, read out of mutmut's mutants file by
    its index of line spans (``<file>.spans``)."""
    path = mutants_dir / "src" / PACKAGE / module_file
    try:
        spans = json.loads(path.with_name(path.name + ".spans").read_text())["spans"]
        orig_name = generated.partition("__mutmut_")[0] + "__mutmut_orig"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (a0, a1), (b0, b1) = spans[orig_name], spans[generated]
    except (OSError, KeyError, ValueError):
        return None
    return "".join(lines[a0 - 1 : a1]), "".join(lines[b0 - 1 : b1])


def _original_def(
    source: str, function: str, cls: str | None
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The definition of *function* (a method of *cls*) at the top level of *source*."""
    body = ast.parse(source).body
    if cls is not None:
        classes = [n for n in body if isinstance(n, ast.ClassDef) and n.name == cls]
        if len(classes) != 1:
            return None
        body = classes[0].body
    defs = [
        n
        for n in body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == function
    ]
    return defs[0] if len(defs) == 1 else None


def original_lines(mutant: str, mutants_dir: Path, source_dir: Path) -> tuple[str, Lines] | None:
    """(module file, lines of the original source) that *mutant* changes; None where that is
    not known for certain (then the mutant keeps all of mutmut's tests)."""
    module, _, generated = mutant.rpartition(".")
    if not module.startswith(PACKAGE + ".") or "__mutmut_" not in generated:
        return None
    module_file = module[len(PACKAGE) + 1 :].replace(".", "/") + ".py"
    sources = _mutant_sources(mutants_dir, module_file, generated)
    if sources is None:
        return None
    orig_source, mutant_source = sources
    lines = changed_lines(orig_source, mutant_source)
    mangled = generated.partition("__mutmut_")[0]
    if lines is None or not mangled.startswith("x"):
        return None
    parts = mangled[1:].split(CLASS_SEPARATOR)
    cls, function = (parts[1], parts[2]) if len(parts) == 3 else (None, mangled[2:])
    try:
        original = (source_dir / module_file).read_text(encoding="utf-8")
        definition = _original_def(original, function, cls)
    except (OSError, SyntaxError):
        return None
    copy = _function(orig_source)
    if (
        definition is None
        or copy is None
        or definition.end_lineno is None
        or copy.end_lineno is None
    ):
        return None
    # the copy in the mutants file must be the original's text, line for line (but its name)
    copy_lines = textwrap.dedent(orig_source).splitlines()[copy.lineno - 1 : copy.end_lineno]
    source_lines = textwrap.dedent(
        "\n".join(original.splitlines()[definition.lineno - 1 : definition.end_lineno])
    ).splitlines()
    if not copy_lines or len(copy_lines) != len(source_lines):
        return None
    copy_lines[0] = copy_lines[0].replace(f"{mangled}__mutmut_orig(", f"{function}(", 1)
    if copy_lines != source_lines:
        return None
    offset = definition.lineno - copy.lineno
    return module_file, frozenset(line + offset for line in lines)


def tests_for_mutant(
    mutant: str, mutants_dir: Path, coverage_map: dict[str, Any]
) -> set[str] | None:
    """The tests that execute a line *mutant* changes, or None for no filtering: the change
    cannot be mapped, the map is of another source, a line ran outside any test, or no test
    executes the lines (a gap in the map must not turn into a verdict)."""
    if coverage_map.get("version") != VERSION:
        return None
    source_dir = Path(coverage_map["source_dir"])
    found = original_lines(mutant, mutants_dir, source_dir)
    if found is None:
        return None
    module_file, lines = found
    recorded = coverage_map["sources"].get(module_file)
    if recorded is None or recorded != _sha256(source_dir / module_file):
        return None
    if lines & set(coverage_map["outside"].get(module_file, ())):
        return None
    by_line = coverage_map["files"].get(module_file, {})
    tests = coverage_map["tests"]
    selected = {tests[i] for line in lines for i in by_line.get(str(line), ())}
    return selected or None


def main(argv: list[str]) -> int:
    """``line_selection.py OUT SOURCE_DIR DIGEST FILES… -- PYTEST ARGS…``: record the map
    (run by ``mutate.py`` in a process of its own, with the package imported from SOURCE_DIR)."""
    split = argv.index("--")
    out, source_dir, digest, *files = argv[:split]
    result = record(Path(source_dir), files, argv[split + 1 :], digest)
    result["source_dir"] = str(Path(source_dir).resolve())
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.pop("MUTATION_SHARED_CACHE", None)  # every test reads what it would read alone
    os.environ.pop("MUTANT_UNDER_TEST", None)
    sys.exit(main(sys.argv[1:]))
