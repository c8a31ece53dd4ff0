"""`evalaware report`: Inspect logs → index.html, summary.md and samples.csv. Never calls a model."""

from __future__ import annotations

import argparse

DEFAULT_OUT = "report"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="build an offline HTML + Markdown + CSV report from Inspect logs",
        description="Read Inspect logs (files or folders; any number of models and runs) and write "
        "DIR/index.html (self-contained, works offline), DIR/summary.md and DIR/samples.csv "
        "(plus samples.parquet).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  evalaware report logs/evalaware -o report\n"
        "  evalaware report logs/run1 logs/run2/2026-05-01T10-00_paired-probe_abc.eval -o out\n",
    )
    p.add_argument("logs", nargs="+", help="log files or folders (searched recursively)")
    p.add_argument("-o", "--out", default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    p.add_argument(
        "--max-pairs", type=int, default=30, help="pairs with a transcript drill-down (default 30)"
    )
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples (default 2000)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evalaware.cli.errors import UsageError
    from evalaware.reports.build import build_report
    from evalaware.reports.data import DrilldownLimits
    from evalaware.reports.tidy import LogsNotFoundError

    if args.max_pairs < 0 or args.n_boot < 1:
        raise UsageError("--max-pairs must be >= 0 and --n-boot >= 1")
    try:
        files = build_report(
            args.logs,
            args.out,
            limits=DrilldownLimits(max_pairs=args.max_pairs),
            seed=args.seed,
            n_boot=args.n_boot,
        )
    except LogsNotFoundError as e:
        raise UsageError(str(e)) from None
    data = files.data
    print(f"{len(data.models)} model(s), {len(data.samples):,} rows")
    for issue in data.issues:
        if issue.level != "note":
            print(f"{issue.level}: {issue.text}")
    print(f"report: {files.html}")
    print(f"summary: {files.markdown}")
    print(f"table: {files.csv}" + (f" (+ {files.parquet.name})" if files.parquet else ""))
    return 0
