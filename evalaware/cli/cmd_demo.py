"""`evalaware demo`: the simulated organisms through the probe suite, and the report, with no key.

A newcomer sees what each signature looks like (the null, the Muse-like verbalizer who behaves
when watched, the silent gamer, the verbalizer who behaves the same, the sandbagger) before
spending anything on a real model. The organisms are ``evalaware/organism-<name>``
(``evalaware.probes.organisms``): planted rates, no weights, seconds per run. The report marks
them as SIMULATED subjects (a caveat at the top of the report and of summary.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from evalaware.cli.errors import UsageError
from evalaware.probes.args import as_list

DEFAULT_LOG_DIR = "logs/demo"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from evalaware.probes.organisms import ORGANISMS

    p = sub.add_parser(
        "demo",
        help="run the simulated organisms (planted effects, no key) and write their report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--organism",
        action="append",
        help=f"organism(s) to run, comma-separated (default all: {', '.join(ORGANISMS)})",
    )
    p.add_argument("--pairs", action="append", help="pair ids or globs, comma-separated (default: all)")
    p.add_argument("--categories", action="append", help="categories, comma-separated")
    p.add_argument("--epochs", type=int, default=1, help="repeats of every sample (default 1)")
    p.add_argument("--seed", type=int, default=0, help="the organisms' seed (default 0)")
    p.add_argument(
        "--log-dir", default=DEFAULT_LOG_DIR, help=f"where logs go (default {DEFAULT_LOG_DIR}/<time>)"
    )
    p.add_argument("--report", help="write the report here (default: the run's log folder /report)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inspect_ai import eval
    from inspect_ai.model import get_model

    from evalaware.probes.organisms import ORGANISMS
    from evalaware.probes.tasks import paired_probe
    from evalaware.reports.build import build_report
    from evalaware.reports.caveats import simulated_subjects

    started = time.perf_counter()
    names = as_list(",".join(args.organism or [])) or list(ORGANISMS)
    unknown = [n for n in names if n not in ORGANISMS]
    if unknown:
        raise UsageError(f"unknown organism(s) {', '.join(unknown)}; choose from {', '.join(ORGANISMS)}")
    if args.epochs < 1:
        raise UsageError("--epochs must be at least 1")
    # A fresh folder per demo: the report reads every log under it, and an earlier demo with other
    # settings must not be pooled with this one.
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    log_dir = Path(args.log_dir) / stamp
    log_dir.mkdir(parents=True, exist_ok=True)
    models: list[Any] = [get_model(ORGANISMS[n].model, memoize=False, seed=args.seed) for n in names]
    task = paired_probe(
        pairs=as_list(",".join(args.pairs or [])) or None,
        categories=as_list(",".join(args.categories or [])) or None,
        epochs=args.epochs,
    )
    print(
        f"demo: {len(names)} simulated organism(s) through paired_probe ({', '.join(names)})", file=sys.stderr
    )
    logs = eval(task, model=models, log_dir=str(log_dir), display="none", score_display=False, max_tasks=1)
    failed = [log for log in logs if log.status != "success"]
    if failed:
        print(f"{len(failed)} run(s) did not finish: {failed[0].error}", file=sys.stderr)
        return 1
    out = Path(args.report) if args.report else log_dir / "report"
    files = build_report([log_dir], out)
    banner = simulated_subjects([m.api.model_name and f"evalaware/{m.api.model_name}" for m in models])
    print(banner or "")
    print(f"report: {files.html}")
    print(f"summary: {files.markdown}")
    print(f"({time.perf_counter() - started:.0f} s; logs in {log_dir})", file=sys.stderr)
    return 0
