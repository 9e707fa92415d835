"""The wheel holds the extension alone, and an edition builds with nothing but the wheel.

``python -m build`` makes the wheel; a fresh virtualenv gets it (its dependencies are borrowed
from this environment through a ``.pth`` file, so nothing is downloaded and this checkout's
``_ext`` is not on the path) and builds ``examples/gettysburg``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from sphinx_critical_edition import __version__

EXAMPLE_DOCS = ROOT / "examples" / "gettysburg" / "docs"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = outdir.glob("*.whl")
    return built


def clean_env() -> dict[str, str]:
    """This environment without the PYTHONPATH that points the tests at ``_ext``."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def test_the_wheel_holds_the_extension_and_nothing_of_the_edition(wheel: Path) -> None:
    assert wheel.name == f"sphinx_critical_edition-{__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    package = "sphinx_critical_edition/"
    for needed in [
        "schemas/annotations.schema.json",
        "static/edition.css",
        "static/edition.js",
        "pdf/theme/edition_print/layout.html",
        "pdf/theme/edition_print/static/print.css",
        "scaffold/conf.py.in",
    ]:
        assert package + needed in names, needed
    outside = {n.split("/")[0] for n in names if not n.startswith(package)}
    assert outside == {f"sphinx_critical_edition-{__version__}.dist-info"}


def test_the_changelog_has_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(__version__)}$", changelog, re.MULTILINE)


def test_an_edition_builds_from_the_wheel_alone(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the dependencies, without this checkout's editable install (a .pth's .pth files are not read)
    Path(site, "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # --ignore-installed: through the .pth, pip also sees this checkout's editable install of the
    # same version, and would take the requirement as already satisfied
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--ignore-installed",
            "-q",
            wheel,
        ],
        check=True,
        env=clean_env(),
    )
    where = subprocess.run(
        [python, "-c", "import sphinx_critical_edition as m; print(m.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
    ).stdout
    assert where.startswith(site), where
    check = subprocess.run(
        [venv / "bin" / "critical-edition", "check", "--docs", EXAMPLE_DOCS],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert check.returncode == 0, check.stderr
    out = tmp_path / "html"
    sphinx = [python, "-m", "sphinx", "-W", "-q", "-b", "html", "-d", tmp_path / "doctrees"]
    build = subprocess.run(
        [*sphinx, EXAMPLE_DOCS, out],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    assert "upon this continent" in (out / "address.html").read_text(encoding="utf-8")
