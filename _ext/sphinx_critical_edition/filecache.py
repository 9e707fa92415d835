"""What was made from each input file last time, kept beside Sphinx's doctrees.

A contributor's rebuild after editing one annotation file would otherwise parse and validate
every YAML file and every transcription again. An entry is reused only while its file has the
same size and modification time, and only by the same version of the extension and schemas;
anything else (no store, an unreadable or foreign store, a fresh build) means starting afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: bump when what is stored changes shape
FORMAT = 1

_Key = tuple[str, str, int, int]  # what, path, size, mtime_ns


@cache
def code_fingerprint() -> str:
    """The extension's code and schemas: what was made by other code is never reused."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("schemas/*.json")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


class FileCache:
    """``get(what, path, make)``: *make()*'s result for *path*, from the store while unchanged."""

    def __init__(
        self, store: Path | None = None, fingerprint: Any = None, reuse: bool = True
    ) -> None:
        self.store, self.fingerprint = store, (FORMAT, fingerprint)
        self._old: dict[_Key, Any] = self._load() if store and reuse else {}
        self._new: dict[_Key, Any] = {}
        self.reused = 0

    def _load(self) -> dict[_Key, Any]:
        try:
            with open(self.store, "rb") as f:  # type: ignore[arg-type]
                fingerprint, entries = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return {}
        return entries if fingerprint == self.fingerprint else {}

    def get(self, what: str, path: Path, make: Callable[[], T]) -> T:
        """*make()* for *path*; None results (an unusable file) are never stored."""
        stat = path.stat()
        key = (what, str(path), stat.st_size, stat.st_mtime_ns)
        if key in self._old:
            self.reused += 1
            value = self._new[key] = self._old[key]
            return value  # type: ignore[no-any-return]
        value = make()
        if value is not None:
            self._new[key] = value
        return value

    def save(self) -> None:
        """Keep this run's entries only, so the store never grows with edits."""
        if self.store is None or self._new.keys() == self._old.keys():
            return
        self.store.parent.mkdir(parents=True, exist_ok=True)
        partial = self.store.with_name(f"{self.store.name}.{os.getpid()}")
        with open(partial, "wb") as f:
            pickle.dump((self.fingerprint, self._new), f, pickle.HIGHEST_PROTOCOL)
        partial.replace(self.store)  # atomic: a concurrent reader sees the old or the new store
