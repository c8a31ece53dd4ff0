"""The ``evalaware`` command line. It only wires the packages together.

Each subcommand lives in its own module exposing ``register(subparsers)``; this file
collects them, turns expected failures (bad scenario files, bad arguments, missing keys)
into a clear message and an exit code, and never shows a traceback for them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from evalaware.cli.errors import UsageError
from evalaware.scenarios.loader import ScenarioLoadError

__all__ = ["UsageError", "build_parser", "main"]

#: Subcommand modules, in the order `--help` lists them.
COMMAND_MODULES = [
    "evalaware.cli.cmd_run",
    "evalaware.cli.cmd_plan",
    "evalaware.cli.cmd_demo",
    "evalaware.cli.cmd_list",
    "evalaware.cli.cmd_show",
    "evalaware.cli.cmd_validate",
    "evalaware.cli.cmd_report",
    "evalaware.cli.cmd_scan",
    "evalaware.cli.cmd_rescore",
    "evalaware.cli.cmd_judge_check",
    "evalaware.cli.cmd_new",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalaware",
        description="Measure evaluation awareness: does a model notice it is being tested, say so, "
        "and behave differently because of it?",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  evalaware run                                  # embedded local model, no API key\n"
        "  evalaware run --model openai/gpt-4.1 --model anthropic/claude-sonnet-4-5\n"
        "  evalaware list --cues\n"
        "  evalaware show honesty-release-notes\n"
        "  evalaware validate scenarios/\n",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ScenarioLoadError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; completed samples are kept in the log and a re-run resumes", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
