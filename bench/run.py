"""Run every benchmark, print one table and write the figures as JSON.

    python bench/run.py --json OUT.json [--quick] [--only a,b,c,d]

(a) evalaware paired_probe vs a plain Inspect task against a 500 ms local server, 1,000
samples at max_connections=50 (bench/inspect_overhead.py); (b) lexical detector throughput on
10,000 synthetic ~8 KB transcripts (bench/detector.py); (c) report build from a 10,000-sample
log set (bench/report_build.py, which runs bench/bench_report.py); (d) the zero-key embedded
model run (bench/embedded.py). ``--quick`` shrinks every part (80 samples, 1,000
transcripts, 1,000 log samples, 2 embedded samples of one chat pair) so the whole harness runs in
a few minutes.
The machine's core count and load average are part of the output: figures from a shared
machine are noisy, which is why (a) alternates its runs and reports medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {
    "ratio_vs_inspect": ("<=", 1.10),
    "detector_transcripts_per_s": (">=", 2000),
    "report_seconds": ("<=", 15),
    "report_peak_mb": ("<=", 1536),
    "embedded_run_seconds": ("<", 300),
}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _part(name: str, fn: Callable[[], dict[str, Any]], out: dict[str, Any]) -> None:
    print(f"[{name}] running ... load {_load()}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    before = _load()
    try:
        result = fn()
    except Exception as e:  # one broken part must not lose the others' figures
        traceback.print_exc()
        result = {"error": f"{type(e).__name__}: {e}"}
    result["load_before"] = before
    result["load_after"] = _load()
    result["part_seconds"] = time.perf_counter() - t0
    out[name] = result
    print(f"[{name}] done in {result['part_seconds']:.0f} s", file=sys.stderr, flush=True)


def run(quick: bool, only: set[str]) -> dict[str, Any]:
    from bench import detector, embedded, inspect_overhead, report_build

    parts: dict[str, Any] = {}
    if "a" in only:
        kw = {"epochs": 2, "rounds": 1} if quick else {"epochs": 25, "rounds": 3}
        _part("a_inspect_overhead", lambda: inspect_overhead.bench(**kw), parts)
    if "b" in only:
        _part("b_detector", lambda: detector.bench(1_000 if quick else 10_000), parts)
    if "c" in only:
        _part("c_report", lambda: report_build.bench(1_000 if quick else 10_000), parts)
    if "d" in only:
        # quick: one chat pair (one generation per sample) instead of the 12-pair starter set
        quick_d = {"limit": 2, "pairs": inspect_overhead.chat_pair_ids(1)[0]} if quick else {}
        _part("d_embedded", lambda: embedded.bench(**quick_d), parts)
    flat: dict[str, Any] = {}
    for result in parts.values():
        flat.update({k: v for k, v in result.items() if not k.startswith(("load_", "part_"))})
    keys = (
        "ratio_vs_inspect",
        "ideal_seconds",
        "evalaware_seconds",
        "inspect_seconds",
        "detector_transcripts_per_s",
        "report_seconds",
        "report_peak_mb",
        "embedded_run_seconds",
    )
    summary = {k: flat.get(k) for k in keys}
    return {
        **summary,
        "met": {key: target_met(key, summary.get(key), parts) for key in TARGETS},
        "quick": quick,
        "nproc": os.cpu_count(),
        "load_at_end": _load(),
        "python": platform.python_version(),
        "parts": parts,
    }


#: Which part each target's figure comes from: a failed part fails its targets.
TARGET_PART = {
    "ratio_vs_inspect": "a_inspect_overhead",
    "detector_transcripts_per_s": "b_detector",
    "report_seconds": "c_report",
    "report_peak_mb": "c_report",
    "embedded_run_seconds": "d_embedded",
}


def target_met(key: str, value: Any, parts: dict[str, Any]) -> bool | None:
    """True or False against the target; None when the part did not run. A part that failed
    or raised never meets its target, whatever figure it produced."""
    part = parts.get(TARGET_PART[key])
    if part is None:
        return None
    if part.get("failed") or part.get("error") or value is None:
        return False
    op, limit = TARGETS[key]
    return bool({"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op])


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
    return str(v)


def table(res: dict[str, Any]) -> str:
    p = res["parts"]
    a, b, c, d = (p.get(k, {}) for k in ("a_inspect_overhead", "b_detector", "c_report", "d_embedded"))
    live = a.get("live_metrics", {})
    rows = [
        ("(a) evalaware paired_probe, s (median)", res["evalaware_seconds"], "", a),
        ("(a) plain Inspect task, s (median)", res["inspect_seconds"], "", a),
        ("(a) ratio evalaware / plain", res["ratio_vs_inspect"], "ratio_vs_inspect", a),
        ("(a) live metrics on: evalaware, s", live.get("evalaware_seconds"), "", a),
        ("(a) live metrics on: plain, s", live.get("inspect_seconds"), "", a),
        ("(a) live metrics on: ratio", a.get("ratio_vs_inspect_live_metrics"), "", a),
        ("(a) ideal N x latency / connections, s", res["ideal_seconds"], "", a),
        (
            "(b) detector transcripts/s (wall)",
            res["detector_transcripts_per_s"],
            "detector_transcripts_per_s",
            b,
        ),
        ("(b) detector transcripts/CPU-s", b.get("detector_transcripts_per_cpu_s"), "", b),
        ("(c) report build, s", res["report_seconds"], "report_seconds", c),
        ("(c) report process peak RSS, MB", res["report_peak_mb"], "report_peak_mb", c),
        ("(d) embedded `evalaware run`, s", res["embedded_run_seconds"], "embedded_run_seconds", d),
    ]
    lines = [
        f"nproc {res['nproc']}   python {res['python']}   quick={res['quick']}   "
        f"load at end {res['load_at_end']}",
        f"{'figure':<42} {'value':>10}  {'target':<10} {'met':<4} load during (before -> after)",
    ]
    for label, value, key, part in rows:
        target, met = "", ""
        if key in TARGETS:
            op, limit = TARGETS[key]
            target = f"{op} {limit:,}"
            verdict = res["met"].get(key)
            met = "" if verdict is None else ("yes" if verdict else "NO")
        load = f"{part.get('load_before')} -> {part.get('load_after')}" if part else ""
        if part.get("error"):
            load = f"ERROR {part['error'][:60]}"
        if part.get("failed"):
            load = f"FAILED {part['failed'][:200]}"
        lines.append(f"{label:<42} {_fmt(value):>10}  {target:<10} {met:<4} {load}")
    if a.get("evalaware_runs_s"):
        ev = ", ".join(f"{x:.1f}" for x in a["evalaware_runs_s"])
        pl = ", ".join(f"{x:.1f}" for x in a["inspect_runs_s"])
        lines.append(f"(a) {a['samples']} samples each; runs alternated, evalaware [{ev}] s, plain [{pl}] s")
        lines.append(
            f"(a) CPU of the timed run (median): evalaware {a['evalaware_cpu_s']:.1f} s "
            f"(GC {a['evalaware_gc_s']:.1f} s), "
            f"plain {a['inspect_cpu_s']:.1f} s (GC {a['inspect_gc_s']:.1f} s)"
        )
        lines.append("(a) headline: display none, score_display=False (as `evalaware run --display none`);")
        lines.append("    'live metrics on' keeps Inspect's default recompute of every metric each 0.9 s")
    if b.get("transcripts"):
        lines.append(
            f"(b) {b['transcripts']:,} transcripts of ~{b['mean_chars'] / 1000:.1f} KB, "
            f"{b['aware_share']:.1%} with a hit"
        )
    if d.get("embedded_command"):
        lines.append(f"(d) `evalaware {d['embedded_command']}` exit {d.get('embedded_exit_code')}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--quick", action="store_true", help="small sizes; every part still runs")
    ap.add_argument("--only", default="a,b,c,d", help="comma-separated subset of a,b,c,d")
    args = ap.parse_args()
    res = run(args.quick, set(args.only.split(",")))
    print(table(res))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2, default=str))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
