"""The edition machinery's error types.

Every problem a contributor can cause is reported as ``path:line: message`` so that it can be
found and fixed without reading a traceback: :class:`EditionError` carries such messages, and
:class:`BuildStopped` ends a Sphinx build with them (see ``check.stop_build``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: the longest message printed: what a contributor wrote is echoed, but not without limit
MAX_MESSAGE = 1000


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, located in a file."""

    path: str
    line: int
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:  # a 500 kB quote is not echoed whole
            object.__setattr__(self, "message", self.message[: MAX_MESSAGE - 1] + "…")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


#: a ``path:line: message`` line of an error's text
_LOCATED = re.compile(r"(?P<path>.+?):(?P<line>\d+): (?P<message>.*)")


class EditionError(Exception):
    """Bad input to the edition: the message names the file, the line and the fix."""

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> EditionError:
        """One error listing *problems*, first cause first."""
        problems = list(problems)
        listing = "\n".join(map(str, problems))
        return cls(f"the editorial layer has {len(problems)} problem(s):\n{listing}")

    def problems(self) -> list[Problem]:
        """The ``path:line: message`` lines of the message as problems (a line without a
        location becomes a problem without a path)."""
        found = []
        for text in str(self).splitlines():
            match = _LOCATED.fullmatch(text)
            if match:
                found.append(Problem(match["path"], int(match["line"]), match["message"]))
            elif text.strip() and not text.startswith("the editorial layer has "):
                found.append(Problem("", 0, text.strip()))
        return found


class BuildStopped(SystemExit):
    """A Sphinx build stopped on bad input, its problems already reported.

    A ``SystemExit`` because Sphinx (9) answers any other exception with its bug-report page
    (versions, a traceback, "please open an issue"); this one passes through it, and Python
    prints the summary and exits with status 1."""
