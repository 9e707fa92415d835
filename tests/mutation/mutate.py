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

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import line_selection

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "mutation"
#: what became of each survivor examined: killed by a named test, or why it is harmless
SURVIVORS = Path(__file__).with_name("survivors.txt")
#: a line of SURVIVORS opens with its mutants' names, each perhaps followed by what it changes
#: in brackets, then its verdict: "module.function__mutmut_5 (…), _6, other__mutmut_2;
#: module2.function__mutmut_7 (…): verdict: why"
_ENTRY = re.compile(r"^\w+\.\S+__mutmut_\d+")
_BRACKETED = re.compile(r"\([^()]*\)")
_NAME = re.compile(
    r"(?:(?P<module>\w+)\.)?(?P<function>\S+__mutmut_)(?P<number>\d+)|_(?P<more>\d+)"
)
#: which test executes which line of the core, on the unmutated source (``line_selection.py``)
LINE_COVERAGE = STAGE / "line-coverage.json"

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
    "tests/test_unit_safety.py",
    "tests/test_unit_inputfiles.py",
    "tests/test_unit_anchoring.py",
    "tests/test_unit_plaintext.py",
    "tests/test_unit_linkpolicy.py",
    "tests/test_unit_model.py",
    "tests/test_unit_loader.py",
    "tests/test_unit_layer_messages.py",
    "tests/test_unit_check.py",
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
    tests_dir = ROOT / "tests"
    test_files = [p for p in line_coverage_inputs() if p.suffix == ".py" and tests_dir in p.parents]
    newest_test = max(p.stat().st_mtime for p in test_files)
    if stats.is_file() and stats.stat().st_mtime < newest_test:
        stats.unlink()
    only = "\n".join(f"    src/sphinx_critical_edition/{name}" for name in CORE)
    tests = "\n".join(f"    {test}" for test in FAST_TESTS)
    slow = " ".join(f"--deselect {test}" for test in SLOW)
    (STAGE / "setup.cfg").write_text(SETUP_CFG.format(only=only, tests=tests, slow=slow))


def line_coverage_inputs() -> list[Path]:
    """What the record of lines depends on: the package, the fast tests and every file of
    ``tests/`` that is not a test module (helpers, data), the pages and texts; not the other
    test modules (not run) nor this folder's tooling (``line_selection.VERSION``)."""
    fast = {ROOT / test.split("::")[0] for test in FAST_TESTS}
    files = [ROOT / "CONTRIBUTING.md", ROOT / "pyproject.toml"]
    for folder in ("_ext", "docs", "source_texts", "tests"):
        for path in (ROOT / folder).rglob("*"):
            skipped = {"_build", "__pycache__"} & set(
                path.parts
            ) or path.parent == ROOT / "tests" / "mutation"
            test_module = path.parent == ROOT / "tests" and path.name.startswith("test_")
            if path.is_file() and not skipped and (not test_module or path in fast):
                files.append(path)
    return files


def record_line_coverage(env: dict[str, str]) -> None:
    """Record which fast test executes which line of the core (on the unmutated source, without
    the shared reads), unless the record is of the same package, tests and pages; a mutant then
    runs only the tests that execute a line it changes (``line_selection.py``)."""
    digest = line_selection.inputs_digest(ROOT, line_coverage_inputs())
    if LINE_COVERAGE.is_file():
        try:
            if json.loads(LINE_COVERAGE.read_text(encoding="utf-8")).get("digest") == digest:
                return
        except ValueError:
            pass
    print("recording which test executes which line of the core (once per change)")
    partial = LINE_COVERAGE.with_suffix(".partial")
    env = {k: v for k, v in env.items() if k not in {"MUTATION_SHARED_CACHE", "MUTANT_UNDER_TEST"}}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "_ext"), env.get("PYTHONPATH", "")])
    pytest_args = ["--rootdir=.", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    pytest_args += [f"--deselect={test}" for test in SLOW] + FAST_TESTS
    script = Path(__file__).with_name("line_selection.py")
    package = ROOT / "_ext" / "sphinx_critical_edition"
    command = [sys.executable, str(script), str(partial), str(package), digest, *CORE]
    subprocess.run([*command, "--", *pytest_args], cwd=ROOT, env=env, check=True)
    partial.replace(LINE_COVERAGE)


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


#: the address space a mutant's test process may use: a mutant that makes a loop endless and
#: grows a list (``_find_all`` searching again from the same place) took 14 GB of the
#: machine's 24 within two minutes; capped, it fails its test with a MemoryError (killed)
MUTANT_MEMORY = 4 * 1024**3


def cap_memory() -> None:
    """Run in the child before ``mutmut run`` starts: its workers inherit the cap."""
    resource.setrlimit(resource.RLIMIT_AS, (MUTANT_MEMORY, MUTANT_MEMORY))


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


def accounted_for(text: str) -> set[str]:
    """The mutants *text* (``survivors.txt``) gives a verdict on, named as ``mutmut results``
    names them."""
    names: set[str] = set()
    for line in filter(_ENTRY.match, text.splitlines()):
        head = line
        while _BRACKETED.search(head):  # what each changes, brackets within brackets too
            head = _BRACKETED.sub("", head)
        module = stem = ""
        for token in re.split(r"\s*[,;]\s*", head.split(":", 1)[0].strip()):
            name = _NAME.fullmatch(token)
            if name is None:
                raise ValueError(f"{SURVIVORS.name}: not a mutant's name: {token!r} in {line!r}")
            if name["more"] is None:
                module = name["module"] or module
                stem = f"sphinx_critical_edition.{module}.{name['function']}"
            names.add(stem + (name["number"] or name["more"]))
    return names


def unaccounted_survivors() -> list[str]:
    """The survivors of the last run that ``survivors.txt`` says nothing of."""
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results"],
        cwd=STAGE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    survived = [
        line.rsplit(":", 1)[0].strip() for line in out.splitlines() if line.endswith(": survived")
    ]
    known = accounted_for(SURVIVORS.read_text(encoding="utf-8"))
    return sorted(name for name in survived if name not in known)


def main(argv: list[str]) -> int:
    stage()
    given = any(a.startswith("--max-children") for a in argv)
    args = argv if given else ["--max-children", "1", *argv]
    started = time.monotonic()
    env = {**os.environ, **memory_tmpdir()}
    record_line_coverage(env)
    env |= {"MUTATION_SHARED_CACHE": "1", "MUTATION_LINE_COVERAGE": str(LINE_COVERAGE)}
    run = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", *args],
        cwd=STAGE,
        env=env,
        check=False,
        preexec_fn=cap_memory,
    )
    seconds = time.monotonic() - started
    killed, total, counts = killed_share()
    share = 100 * killed / total if total else 0.0
    print(f"\nmutants checked: {total}; {counts}")
    print(f"killed (timeouts included): {killed} of {total} = {share:.1f} % in {seconds:.0f} s")
    print(f"survivors: cd {STAGE.relative_to(ROOT)} && mutmut results; mutmut show NAME")
    unexamined = unaccounted_survivors()
    if unexamined:
        print(f"{len(unexamined)} survivor(s) not yet in {SURVIVORS.relative_to(ROOT)}:")
        print("\n".join(f"  {name}" for name in unexamined))
        print("kill each with a test, or add a line saying why no input can tell it apart")
    return run.returncode or (0 if share >= 90 and not unexamined else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
