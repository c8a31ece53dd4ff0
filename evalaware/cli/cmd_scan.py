"""`evalaware scan`: run the awareness detector on transcripts from anywhere (JSONL or Inspect logs)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from evalaware.cli.errors import UsageError

if TYPE_CHECKING:
    from evalaware.scorers.scan import BadInput

EPILOG = """\
input:
  JSONL, one record per line: {"id": "...", "output": "...", "reasoning": "...", "prompt": "..."}
    id and output are required strings; reasoning and prompt are optional strings (or null).
    prompt is what the model was shown: awareness that only repeats it is an echo, not
    spontaneous. Blank lines are skipped silently. A UTF-8 BOM and CRLF line endings are fine.
    A malformed line (bad JSON or UTF-8, not an object, missing or ill-typed field) is
    reported on stderr with its line number and skipped; the exit code is then 1.
  Inspect logs (.eval / .json) or directories of them: one record per sample and epoch,
    id "<task>/<sample id>/<epoch>", with the log path and model in "log" and "model".
  "-" reads JSONL from stdin.

output (JSONL, one line per record, in input order):
  id, aware (true/false; null when unscored), spontaneous, kinds, evidence (verbatim quotes),
  where (reasoning/output/both/none), method (lexical, or both with --grader), reason (why
  unscored), confidence and agreement (judge), notes, evidence_detail (kind/where/verified
  per quote). A summary goes to stderr.

exit codes: 0 ok; 1 some input line or log was bad (the rest were scanned); 2 usage error or
  missing file.

examples:
  evalaware scan transcripts.jsonl > scan.jsonl
  evalaware scan transcripts.jsonl -o scan.jsonl --grader openai/gpt-4.1 --max-connections 20
  evalaware scan logs/evalaware/                  # every Inspect log under the folder
  evalaware scan logs/run.eval --grader openai-api/judge/qwen3   # JUDGE_BASE_URL, JUDGE_API_KEY
  jq -c '{id, output: .completion}' raw.jsonl | evalaware scan -
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "scan",
        help="detect verbalized evaluation awareness in JSONL transcripts or Inspect logs",
        description="Run the awareness detector on transcripts from anywhere: lexical by default, "
        "plus a judge model with --grader (method 'both').",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="JSONL file, Inspect log, folder of logs, or -")
    p.add_argument("-o", "--output", help="write JSONL here instead of stdout")
    p.add_argument("--grader", metavar="MODEL", help="judge model (any Inspect model, e.g. openai/gpt-4.1)")
    p.add_argument("--max-connections", type=int, default=10, help="concurrent grader calls (default 10)")
    p.add_argument("--max-retries", type=int, default=3, help="retries per grader request (default 3)")
    p.add_argument("--timeout", type=int, default=120, help="seconds per grader request (default 120)")
    p.set_defaults(handler=run)


EXIT_BAD_INPUT = 1


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if p != "-" and not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if args.max_connections < 1:
        raise UsageError("--max-connections must be at least 1")
    # Imported here, not at the top: every `evalaware` command builds this parser, and the
    # scan logic pulls in Inspect (seconds of import time).
    from evalaware.scorers.scan import iter_inputs, scan

    try:
        grader = _grader(args) if args.grader else None
    except Exception as e:  # unknown provider, missing API key, bad model name
        raise UsageError(f"cannot use grader {args.grader!r}: {e}") from None

    out: IO[bytes]
    out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    try:

        def emit(row: dict[str, Any]) -> None:
            out.write(_jsonl(row))

        def report_bad(bad: BadInput) -> None:
            kind = "bad line" if bad.line is not None else "bad input"
            where = f"{bad.source}:{bad.line}" if bad.line is not None else bad.source
            print(f"{where}: {kind}: {bad.message}", file=sys.stderr)

        items = iter_inputs(args.paths, stdin=sys.stdin.buffer)
        job = scan(items, emit, report_bad, grader=grader, max_connections=args.max_connections)
        summary = asyncio.run(job)
    finally:
        out.flush()
        if args.output:
            out.close()
    print(summary.line(), file=sys.stderr)
    return EXIT_BAD_INPUT if summary.bad else 0


def _grader(args: argparse.Namespace) -> Any:
    from inspect_ai.model import GenerateConfig, get_model

    config = GenerateConfig(
        max_connections=args.max_connections, max_retries=args.max_retries, timeout=args.timeout
    )
    return get_model(args.grader, config=config)


def _jsonl(row: dict[str, Any]) -> bytes:
    line = json.dumps(row, ensure_ascii=False)
    try:
        return (line + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (valid in JSON escapes, not in UTF-8) survive only as \\u escapes.
        return (json.dumps(row, ensure_ascii=True) + "\n").encode("ascii")
