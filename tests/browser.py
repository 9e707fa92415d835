"""Helpers for the browser tests: a local HTTP server and Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """Debian's chromium (installed by .ci/run), or PLAYWRIGHT_CHROMIUM_EXECUTABLE."""
    return os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which("chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1 (a free port); yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


ANNOTATOR = Path(__file__).parent / "annotator"


def annotator_bundle() -> Path | None:
    """Apache Annotator bundled for the browser (tests/annotator: ``npm ci`` in .ci/run)."""
    esbuild = ANNOTATOR / "node_modules/.bin/esbuild"
    if not esbuild.exists():
        return None
    out = ANNOTATOR / "build/anchor.bundle.js"
    subprocess.run(
        [
            str(esbuild),
            "anchor.js",
            "--bundle",
            "--format=iife",
            f"--outfile={out}",
            "--log-level=error",
        ],
        cwd=ANNOTATOR,
        check=True,
    )
    return out
