"""Quiet builds: MyST's configuration dump left out of the build log.

myst-parser logs its whole configuration (a line of some 1500 characters) at the start of every
build; an editor reading the log for warnings has no use for it. Only that one record is
dropped: MyST's warnings and errors pass as before, and ``-v`` shows nothing less.
"""

from __future__ import annotations

import logging

from sphinx.application import Sphinx

#: the logger myst-parser's ``sphinx_ext.main`` writes to (Sphinx prefixes ``sphinx.``)
MYST_LOGGER = "sphinx.myst_parser.sphinx_ext.main"


class _NoMystConfigDump(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and "myst v" in str(record.msg))


def setup_quiet(app: Sphinx) -> None:
    logger = logging.getLogger(MYST_LOGGER)
    if not any(isinstance(f, _NoMystConfigDump) for f in logger.filters):
        logger.addFilter(_NoMystConfigDump())
