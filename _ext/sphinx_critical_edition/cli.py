"""``critical-edition check``: validate the editorial layer in about a second, no Sphinx build."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .check import check_edition
from .errors import EditionError
from .reference import reference_markdown, write_reference
from .scaffold import create_edition
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
    new = sub.add_parser("new", help="create a minimal edition in DIRECTORY that builds at once")
    new.add_argument("directory", type=Path, help="a new or empty folder")
    new.add_argument("--title", default="A critical edition", help="the edition's title")
    new.add_argument("--author", default="", help="the author of the edited text")
    reference = sub.add_parser(
        "reference", help="print the reference of settings and YAML fields (REFERENCE.md)"
    )
    reference.add_argument("-o", "--output", type=Path, help="write it to this file instead")
    args = parser.parse_args(argv)
    if args.command == "new":
        return _new(args)
    if args.command == "reference":
        return _reference(args)

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


def _new(args: argparse.Namespace) -> int:
    try:
        written = create_edition(args.directory, args.title, args.author)
    except (EditionError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"created {len(written)} files in {args.directory}; next:")
    print(f"  cd {args.directory} && critical-edition check --docs docs")
    print("  sphinx-build -W -b pdf docs docs/_build/pdf")
    print("  sphinx-build -W -b html docs docs/_build/html")
    return 0


def _reference(args: argparse.Namespace) -> int:
    if args.output:
        write_reference(args.output)
    else:
        sys.stdout.write(reference_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
