"""``tox -e mutate``: mutation testing of the pure-Python core against the fast unit tests.

mutmut 3 expects the code under ``src/`` (it names mutants after the file's path); the
extension lives under ``_ext/``. So the run happens in ``build/mutation/``, a folder of symbolic
links (``src`` → ``_ext``, the tests, the pages and the texts they read) with its own
``setup.cfg`` for mutmut. One worker (``--max-children 1``): the machine is shared.

Prints the share of mutants killed and the run time; ``--max-children N`` and mutant names are
passed through to ``mutmut run``
(``python tests/mutation/mutate.py 'sphinx_critical_edition.safety*'`` re-runs one module's).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "mutation"

#: the pure-Python core: loading and the hardened reading of its files, the safety checks (markup,
#: pages, links), anchoring, the plain text, the check
CORE = [
    "loader.py",
    "inputfiles.py",
    "safety.py",
    "pages.py",
    "linkpolicy.py",
    "anchoring.py",
    "plaintext.py",
    "check.py",
]

#: the fast unit tests: the check on copies of the project, no Sphinx build
FAST_TESTS = [
    "tests/test_loader.py",
    "tests/test_layer_errors.py",
    "tests/test_fidelity.py",
    "tests/test_witness.py",
    "tests/test_core_units.py",
    "tests/test_hostile_input.py",
    "tests/test_hostile_markup.py",
    "tests/test_pages.py",
    "tests/test_link_policy.py",
    "tests/test_contributing.py::test_guide_examples_pass_the_check",
]
#: the tests in those files that run Sphinx or sphinx-build
SLOW = [
    "tests/test_layer_errors.py::test_a_span_that_cuts_through_markup_stops_the_build",
    "tests/test_hostile_input.py::test_a_broken_build_stops_with_a_readable_message",
    "tests/test_hostile_input.py::test_a_broken_build_driven_from_python_raises_a_sphinx_error",
    "tests/test_hostile_markup.py::test_a_build_checks_transcriptions_with_its_conf_extensions",
]

SETUP_CFG = """\
[mutmut]
source_paths = src/sphinx_critical_edition
only_mutate =
{only}
also_copy =
    docs
    source_texts
    CONTRIBUTING.md
pytest_add_cli_args = -p no:cacheprovider {slow}
pytest_add_cli_args_test_selection =
{tests}
"""

LINKS = {
    "src": "_ext",
    "tests": "tests",
    "docs": "docs",
    "source_texts": "source_texts",
    "pyproject.toml": "pyproject.toml",
    "CONTRIBUTING.md": "CONTRIBUTING.md",
}


def refresh_data_files() -> None:
    """mutmut copies the source tree once and afterwards renews only the Python files that
    changed: the package's other files (schemas, scaffold, static) are copied again here, so a
    run after such a change does not test against the old ones."""
    copy = STAGE / "mutants" / "src"
    if not copy.is_dir():
        return
    source = ROOT / "_ext"
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts:
            target = copy / path.relative_to(source)
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())


def stage() -> None:
    """The folder mutmut runs in; its earlier mutants are kept only while the code is unchanged
    (mutmut compares each file's time stamp with its copy's)."""
    STAGE.mkdir(parents=True, exist_ok=True)
    for name, target in LINKS.items():
        link = STAGE / name
        if not link.is_symlink():
            link.symlink_to(ROOT / target)
    refresh_data_files()
    # mutmut runs, for each mutant, the tests that reached its function when it collected its
    # statistics: tests written since then would not run, so the statistics are collected again
    stats = STAGE / "mutants" / "mutmut-stats.json"
    newest_test = max(p.stat().st_mtime for p in (ROOT / "tests").rglob("*.py"))
    if stats.is_file() and stats.stat().st_mtime < newest_test:
        stats.unlink()
    only = "\n".join(f"    src/sphinx_critical_edition/{name}" for name in CORE)
    tests = "\n".join(f"    {test}" for test in FAST_TESTS)
    slow = " ".join(f"--deselect {test}" for test in SLOW)
    (STAGE / "setup.cfg").write_text(SETUP_CFG.format(only=only, tests=tests, slow=slow))


def memory_tmpdir() -> dict[str, str]:
    """``TMPDIR`` in memory (``/dev/shm``) where there is one: most fast tests check a copy of
    the project in ``tmp_path``, and on the development machine's disk a copy took 360 ms, in
    memory 34 ms (and pytest's removal of old copies 34 ms against 5 ms)."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return {}
    tmp = shm / "critical-edition-mutation"
    tmp.mkdir(exist_ok=True)
    return {"TMPDIR": str(tmp)}


def killed_share() -> tuple[int, int, dict[str, int]]:
    """(killed, checked, count per status) from ``mutmut results --all true``; mutants not
    checked (a run given some names) are left out of the share."""
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=STAGE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, int] = {}
    for line in out.splitlines():
        if ":" in line:
            status = line.rsplit(":", 1)[1].strip()
            counts[status] = counts.get(status, 0) + 1
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    return killed, sum(counts.values()) - counts.get("not checked", 0), counts


def main(argv: list[str]) -> int:
    stage()
    given = any(a.startswith("--max-children") for a in argv)
    args = argv if given else ["--max-children", "1", *argv]
    started = time.monotonic()
    env = {**os.environ, "MUTATION_SHARED_CACHE": "1", **memory_tmpdir()}
    run = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", *args], cwd=STAGE, env=env, check=False
    )
    seconds = time.monotonic() - started
    killed, total, counts = killed_share()
    share = 100 * killed / total if total else 0.0
    print(f"\nmutants checked: {total}; {counts}")
    print(f"killed (timeouts included): {killed} of {total} = {share:.1f} % in {seconds:.0f} s")
    print(f"survivors: cd {STAGE.relative_to(ROOT)} && mutmut results; mutmut show NAME")
    return run.returncode or (0 if share >= 90 else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
