"""``critical-edition check``: validate the editorial layer in about a second, no Sphinx build."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .check import check_edition
from .errors import EditionError
from .texts import load_manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="critical-edition", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check", help="validate the layer (annotations, register, sigla, chronology) and witness"
    )
    check.add_argument("--docs", type=Path, default=Path("docs"), help="the Sphinx project")
    check.add_argument(
        "--manifest",
        type=Path,
        help="the text manifest (default: ../source_texts/texts.yaml beside the project), as "
        "edition_manifest in conf.py",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        manifest = load_manifest(args.manifest) if args.manifest else None
        result = check_edition(args.docs, manifest)
    except EditionError as exc:  # the text manifest: without it nothing else can be checked
        print(exc, file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem, file=sys.stderr)
    layer = result.layer
    summary = (
        f"{len(layer.annotations)} annotations, {len(layer.register)} register entries, "
        f"{len(layer.witnesses)} sigla in {len(layer.files)} files; "
        f"{len(result.problems)} problem(s) ({time.perf_counter() - started:.2f} s)"
    )
    print(summary, file=sys.stderr if result.problems else sys.stdout)
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
