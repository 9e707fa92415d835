"""The one exception type of the edition machinery.

Every problem a contributor can cause is reported as ``path:line: message`` so that it can be
found and fixed without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class EditionError(Exception):
    """Bad input to the edition: the message names the file, the line and the fix."""


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, located in a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
