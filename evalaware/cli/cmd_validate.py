"""`evalaware validate`: check scenario files; exit 2 with every problem listed."""

from __future__ import annotations

import argparse
import sys

from evalaware.scenarios.loader import default_scenario_dir, find_scenario_files, load_library


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "validate",
        help="check scenario files (exit 2 on any problem)",
        description="Validate scenario files: schema, ids, cue slots. Every problem is listed at once.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  evalaware validate\n  evalaware validate scenarios/honesty my-pair.yaml\n",
    )
    p.add_argument("paths", nargs="*", help="files or folders (default: the shipped library)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    files = find_scenario_files(args.paths or None)
    pairs = load_library(args.paths or None)
    where = ", ".join(args.paths) if args.paths else str(default_scenario_dir())
    print(f"ok: {len(pairs)} scenario pair(s) in {len(files)} file(s) under {where}", file=sys.stderr)
    return 0
