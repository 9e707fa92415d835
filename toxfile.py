"""tox plugin (loaded by tox from this file): environments that share one virtualenv.

``html``, ``pdf``, ``check`` and ``test`` need the same packages. tox 4 remembers which
environment created a virtualenv and rebuilds it when another one with the same ``env_dir``
runs; the ``shared-virtualenv`` runner leaves the environment's name out of that comparison, so
they install once into ``.tox/edition`` and each reuses it. tox still rebuilds the virtualenv
when the dependencies themselves change.

The package is installed editable, so a change to its code needs no reinstall; tox would still
build and install it on every call (1.5-4 s, longer than ``tox -e check`` itself). The runner
installs it again only when ``pyproject.toml`` (its dependencies, entry points, package data)
has changed since the last install.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tox.plugin import impl
from tox.tox_env.api import ToxEnv
from tox.tox_env.info import Info
from tox.tox_env.python.virtual_env.runner import VirtualEnvRunner
from tox.tox_env.register import ToxEnvRegister


class _InfoWithoutName(Info):
    @contextmanager
    def compare(self, value: Any, section: str, sub_section: str | None = None) -> Any:
        if section == ToxEnv.__name__ and isinstance(value, dict):
            value = {key: item for key, item in value.items() if key != "name"}
        with super().compare(value, section, sub_section) as result:
            yield result


class SharedVirtualEnvRunner(VirtualEnvRunner):
    """A virtualenv runner whose environment may be shared by several tox environments."""

    @staticmethod
    def id() -> str:
        return "shared-virtualenv"

    @property
    def cache(self) -> Info:
        return _InfoWithoutName(self.env_dir)

    def _setup_pkg(self) -> None:
        if self.conf["package"] != "editable":
            super()._setup_pkg()
            return
        pyproject = Path(self.core["package_root"]) / "pyproject.toml"
        stamp = Path(self.env_dir) / ".editable-install"
        digest = hashlib.sha256(pyproject.read_bytes()).hexdigest()
        if stamp.is_file() and stamp.read_text() == digest:
            return  # installed editable from this pyproject.toml: the code is read in place
        super()._setup_pkg()
        stamp.write_text(digest)


@impl
def tox_register_tox_env(register: ToxEnvRegister) -> None:
    register.add_run_env(SharedVirtualEnvRunner)
