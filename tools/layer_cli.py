"""The command line the research tools share: where the layer and the manifest are."""

from __future__ import annotations

import argparse
from pathlib import Path


def layer_paths(description: str, argv: list[str] | None = None) -> tuple[Path, Path]:
    """``--docs`` and ``--manifest`` (the project's, by default) from *argv*."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--manifest", type=Path, default=Path("source_texts/texts.yaml"))
    args = parser.parse_args(argv)
    return args.docs, args.manifest
