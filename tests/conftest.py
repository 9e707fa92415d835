"""Shared fixtures: one real build of the edition per test session, in a temporary directory.

Builds use ``sphinx.testing`` (the ``-p sphinx.testing.fixtures`` plugin is enabled in
pyproject.toml); warnings are errors, as in ``tox -e html``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx_critical_edition.filecache import FileCache
from sphinx_critical_edition.texts import Manifest, load_manifest

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SOURCE_TEXTS = ROOT / "source_texts"


def copy_project(tmp_path: Path) -> Path:
    """A copy of docs/ and source_texts/ that a test may change; returns its docs folder."""
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(SOURCE_TEXTS, tmp_path / "source_texts")
    return tmp_path / "docs"


def move_texts(docs: Path, folder: str) -> Path:
    """The copy's transcriptions moved to *folder* beside docs/, and the pages that include
    them following; returns the new folder."""
    moved = docs.parent / folder
    (docs.parent / "source_texts").rename(moved)
    for page in docs.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("../source_texts/", f"../{folder}/"), encoding="utf-8")
    return moved


def build_edition(
    builder: str,
    builddir: Path,
    srcdir: Path = DOCS,
    fresh: bool = True,
    status: StringIO | None = None,
    **kwargs: object,
) -> SphinxTestApp:
    """Build the edition (or a copy of it) with *builder*; fail on any warning, naming it."""
    warnings = StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=builddir,
        freshenv=fresh,
        status=status or StringIO(),
        warning=warnings,
        warningiserror=True,
        **kwargs,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings.getvalue() == "", warnings.getvalue()
    return app


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    return load_manifest(SOURCE_TEXTS / "texts.yaml")


@pytest.fixture(scope="session")
def html_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition built to HTML once per session; returns the HTML output directory."""
    builddir = tmp_path_factory.mktemp("build")
    app = build_edition("html", builddir)
    return Path(app.outdir)


#: the build date of the session's PDF, so that a test can rebuild it and compare the bytes
PDF_SOURCE_DATE_EPOCH = "1700000000"


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition built to PDF once per session (dated PDF_SOURCE_DATE_EPOCH); the PDF file."""
    builddir = tmp_path_factory.mktemp("build")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", PDF_SOURCE_DATE_EPOCH)
        app = build_edition("pdf", builddir)
    pdfs = list(Path(app.outdir).glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    return pdfs[0]


# ------------------------------------------------------------------ no skip in CI (issue 16)
# Every tool and file a test needs is installed or shipped by the project (.ci/run, the test
# extra, tests/schemas/), so in CI (CI=true) a skipped test means a check silently not made:
# it is reported as a failure instead. Elsewhere a skip stays a skip.


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _fail_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may skip (CI=true): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    _fail_skip(outcome.get_result())


# ------------------------------------------------------------------ mutation runs (issue 16)
# Under ``tox -e mutate`` (tests/mutation/mutate.py sets MUTATION_SHARED_CACHE), while a mutant
# is tested, the checks of the test session share what was read from a file, keyed by its name
# and bytes: the checks of copies of the project then parse only the file each test changed.
# Each session (each mutant) starts empty, so the mutated code reads every file at least once and
# every test sees what the mutated code made of it; results that name a problem (and so a path)
# are never shared. Not while mutmut records which tests reach which function ("stats"), so that
# each test is recorded as reaching what it would read.


class _SharedFileCache(FileCache):
    """A FileCache keyed by (what, file name, content) instead of (what, path, stat)."""

    def __init__(self, store: dict[tuple[str, str, bytes], Any]) -> None:
        super().__init__()
        self._shared = store

    def get(self, what: str, path: Path, make: Callable[[], T]) -> T:
        data = path.read_bytes()
        key = (what, path.name, hashlib.sha256(data).digest())
        if key in self._shared:
            return self._shared[key]  # type: ignore[no-any-return]
        value = make()
        if isinstance(value, tuple) and value[-1] == []:  # no problem found: nothing path-bound
            self._shared[key] = value
        return value


@pytest.fixture(scope="session", autouse=True)
def _mutation_shared_cache() -> Iterator[None]:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not os.environ.get("MUTATION_SHARED_CACHE") or mutant in {"", "stats", "fail"}:
        yield
        return
    from sphinx_critical_edition import check

    store: dict[tuple[str, str, bytes], Any] = {}

    def cache(*args: object, **kwargs: object) -> FileCache:
        return _SharedFileCache(store) if not args and not kwargs else FileCache(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check, "FileCache", cache)
        yield


def _mutation_cost_order(items: list[pytest.Item], durations: dict[str, float]) -> None:
    """*items* reordered in place: the files whose tests are cheapest (median of mutmut's
    recorded times) first, and within a file the cheapest test first. mutmut stops at a
    mutant's first failing test (``-x``), so a killed mutant then costs the cheap tests before
    its killer rather than whatever came first; a file's tests stay together so that its
    module-scoped fixtures are made once. A test mutmut has no time for
    comes last in its file."""
    slowest = max(durations.values(), default=0.0)

    def cost(item: pytest.Item) -> float:
        return durations.get(item.nodeid, slowest)

    by_file: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    for group in by_file.values():
        group.sort(key=cost)

    def median(group: list[pytest.Item]) -> float:
        known = [durations[item.nodeid] for item in group if item.nodeid in durations]
        return known[len(known) // 2] if known else slowest

    items[:] = [item for group in sorted(by_file.values(), key=median) for item in group]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``tox -e mutate``, while a mutant is tested (mutmut runs pytest in its
    ``mutants/`` folder, beside its record ``mutmut-stats.json``), the cheapest tests first."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    stats = Path("mutmut-stats.json")
    if not os.environ.get("MUTATION_SHARED_CACHE") or mutant in {"", "stats", "fail"}:
        return
    if stats.is_file():
        _mutation_cost_order(items, json.loads(stats.read_text())["duration_by_test"])
    record = os.environ.get("MUTATION_LINE_COVERAGE", "")
    if record and Path(record).is_file():
        _mutation_line_selection(config, items, mutant, Path(record))


def _mutation_line_selection(
    config: pytest.Config, items: list[pytest.Item], mutant: str, record: Path
) -> None:
    """Only the tests that execute a line *mutant* changes (``tests/mutation/line_selection.py``):
    the others run the unmutated code and cannot kill it. Where the change cannot be mapped or no
    test executes it, mutmut's selection stays whole."""
    spec = importlib.util.spec_from_file_location(
        "line_selection", Path(__file__).parent / "mutation" / "line_selection.py"
    )
    assert spec is not None and spec.loader is not None
    line_selection = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(line_selection)
    selected = line_selection.tests_for_mutant(
        mutant, Path.cwd(), json.loads(record.read_text(encoding="utf-8"))
    )
    if selected is None:
        return
    deselected = [item for item in items if item.nodeid not in selected]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.nodeid in selected]
