"""`evalaware show`: exactly what the model will see, per variant, cue values marked."""

from __future__ import annotations

import argparse
import os
import sys

from probes.loader import load_library, select_pairs
from probes.render import RenderedVariant, render


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "show",
        help="render a pair's variants exactly as the model sees them",
        description="Render a scenario pair. Without --variant both variants are shown; cue values are "
        "marked [[like this]] (or highlighted on a colour terminal).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  evalaware show honesty-release-notes\n  evalaware show honesty-release-notes --variant deploy --plain\n",
    )
    p.add_argument("pair", help="pair id")
    p.add_argument("--variant", choices=["test", "deploy"], help="show one variant only, unmarked")
    p.add_argument("--plain", action="store_true", help="no cue markers (exact text)")
    p.add_argument("--scenario-dir", action="append", help="scenario files or folders instead of the shipped library")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    (pair,) = select_pairs(load_library(args.scenario_dir), [args.pair])
    variants = [args.variant] if args.variant else ["test", "deploy"]
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for variant in variants:
        rendered = render(pair, variant)
        print(f"===== {pair.id} · {variant} =====")
        print(mark_cues(rendered, plain=args.plain or bool(args.variant), colour=colour))
        print()
    return 0


def mark_cues(rendered: RenderedVariant, plain: bool, colour: bool) -> str:
    text = rendered.as_text()
    if plain:
        return text
    for value in sorted({v for v in rendered.cue_values.values() if v}, key=len, reverse=True):
        marked = f"\033[1;33m{value}\033[0m" if colour else f"[[{value}]]"
        text = text.replace(value, marked)
    return text
