"""A Sphinx build stopped by bad input: its problems as Sphinx errors, on one screen.

The check (or the weaving) finds ``path:line`` problems. Each is logged as a Sphinx error
(``path:line: ERROR: message``, in the warning stream and ``-w`` file), and the build stops with
:class:`EditionInputError`, a ``SphinxError`` whose text lists them again, for whoever drives
Sphinx from Python (``sphinx.testing``, tools).

``sphinx-build`` (Sphinx 8.1 and later) answers every exception, a user's mistake included,
with a bug report: versions, extensions, a traceback and "please open an issue". For this one
error, whose problems are already on the screen, :func:`setup_stopping` has it print one line
instead; any other exception still gets Sphinx's report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from sphinx.errors import SphinxError
from sphinx.util import logging

from .errors import EditionError

logger = logging.getLogger(__name__)


class EditionInputError(SphinxError):
    """The edition's input has problems; its first line sums them up, the others list them."""

    category = "Edition input error"


def stop_build(error: EditionError) -> NoReturn:
    """Report *error*'s problems as Sphinx errors, then stop the build."""
    problems = error.problems()
    for problem in problems:
        location = f"{problem.path}:{problem.line}" if problem.path else None
        logger.error(problem.message, location=location)
    summary = (
        f"the build stopped: {len(problems)} problem(s) in the edition's input, listed above, "
        "first cause first. Fix them and build again; `critical-edition check` lists them in "
        "a second without building."
    )
    raise EditionInputError("\n".join([summary, *map(str, problems)])) from None


def stop_on_bad_input(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: a build that failed on bad input found while reading (a quote
    cutting through a link) stops as one that failed the check does. A parallel reader's
    error arrives as text (``SphinxParallelError``), its type's name first."""
    parallel = f"{EditionError.__module__}.{EditionError.__qualname__}: "
    while exception is not None and not isinstance(exception, EditionInputError):
        if isinstance(exception, EditionError):
            stop_build(exception)
        message = getattr(exception, "message", None)
        if isinstance(message, str) and message.startswith(parallel):
            stop_build(EditionError(message.removeprefix(parallel)))
        exception = getattr(exception, "orig_exc", None) or exception.__cause__


def _one_line_for_input_errors(handle: Callable[..., None]) -> Callable[..., None]:
    def handle_exception(exception: BaseException, /, *args: Any, **kwargs: Any) -> None:
        if not isinstance(exception, EditionInputError):
            return handle(exception, *args, **kwargs)
        stderr = kwargs.get("stderr")
        summary = str(exception).split("\n", 1)[0]
        print(f"\n{exception.category}: {summary}", file=stderr)
        return None

    handle_exception.edition_wrapped = True  # type: ignore[attr-defined]
    return handle_exception


def setup_stopping(app: Any) -> None:
    app.connect("build-finished", stop_on_bad_input, priority=900)
    try:
        from sphinx._cli.util import errors  # where sphinx-build prints an exception (8.1+)
    except ImportError:  # another Sphinx: its own report, the problems above it
        return
    if not getattr(errors.handle_exception, "edition_wrapped", False):
        errors.handle_exception = _one_line_for_input_errors(errors.handle_exception)
