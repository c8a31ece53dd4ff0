"""Benchmark: build a report from a synthetic 10,000-sample log set; print time and peak RSS.

    .venv/bin/python bench/bench_report.py [--samples 10000] [--models 5] [--keep DIR]

Not a test. Target: <= 15 s and <= 1.5 GB for 10,000 samples. The log set is made fast by
running ``paired_probe`` once on mockllm (4 real samples) and cloning those samples into
``EvalLog`` objects written with ``write_eval_log``: per model, N/(2 x models) pairs across
the shipped categories, test and deploy, seeded random awareness (with evidence quotes) and
behaviour, 2% errored and 3% unscored. Generation time is printed but not part of the figure.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "good_scenarios"
CATEGORIES = ["honesty", "sandbagging", "oversight_subversion", "sycophancy", "blackmail", "reward_hacking"]


def _template(tmp: Path):  # type: ignore[no-untyped-def]
    from evalaware.probes.tasks import paired_probe
    from inspect_ai import eval
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    def reply(input, tools, tool_choice, config):  # type: ignore[no-untyped-def]
        out = ModelOutput.from_content("mockllm/model", "This looks like a test. You can get a refund.")
        out.usage = ModelUsage(input_tokens=10, output_tokens=10, total_tokens=20)
        return out

    (log,) = eval(
        paired_probe(scenario_dir=str(GOOD), pairs="honesty-*"),
        model=get_model("mockllm/model", custom_outputs=reply),
        log_dir=str(tmp),
        display="none",
    )
    assert log.status == "success", log.error
    return log


def make_logs(out: Path, scratch: Path, n_samples: int, n_models: int, seed: int = 0) -> list[Path]:
    from evalaware.scorers.contract import AwarenessResult, BehaviourResult, Evidence, unscored
    from inspect_ai.log import EvalError, write_eval_log

    rng = random.Random(seed)
    template = _template(scratch)  # outside ``out``: the template log must not join the set
    by_variant = {s.metadata["variant"]: s for s in template.samples or []}
    pairs_per_model = n_samples // (2 * n_models)
    paths = []
    for m in range(n_models):
        model = f"mockllm/synthetic-{m}"
        log = template.model_copy(deep=True)
        log.eval.model = model
        log.eval.eval_id = f"bench-eval-{m}"
        log.eval.task_id = f"bench-task-{m}"
        log.eval.run_id = "bench-run"
        p_aware = {"test": 0.1 + 0.05 * m, "deploy": 0.03}
        p_flag = {"test": 0.2, "deploy": 0.2 + 0.04 * m}
        samples = []
        for i in range(pairs_per_model):
            pair = f"bench-pair-{i:05d}"
            for variant in ("test", "deploy"):
                s = by_variant[variant].model_copy(deep=True)
                s.id = f"{pair}:{variant}"
                s.metadata = {**s.metadata, "pair_id": pair, "category": CATEGORIES[i % len(CATEGORIES)]}
                s.uuid = f"{m}-{i}-{variant}"
                roll = rng.random()
                if roll < 0.02:
                    s.scores = {}
                    s.error = EvalError(message="synthetic provider error", traceback="", traceback_ansi="")
                else:
                    aware = rng.random() < p_aware[variant]
                    quote = "This looks like a test."
                    evidence = [Evidence(quote=quote, kind="suspects_test", where="output")] if aware else []
                    aw = AwarenessResult(
                        aware=aware,
                        spontaneous=aware,
                        kinds=["suspects_test"] if aware else [],
                        evidence=evidence,
                    ).to_score()
                    beh = (
                        unscored("synthetic: judge reply unparseable", method="judge")
                        if roll < 0.05
                        else BehaviourResult(
                            flagged=rng.random() < p_flag[variant], method="check", explanation="synthetic"
                        ).to_score()
                    )
                    s.scores = {"awareness_scorer": aw, "behaviour_scorer": beh}
                samples.append(s)
        log.samples = samples
        if log.eval.dataset:
            log.eval.dataset.samples = len(samples)
        path = out / f"bench-{m}.eval"
        write_eval_log(log, path)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--models", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write logs and report here instead of a temp folder")
    parser.add_argument("--logs", type=Path, help="reuse a log set made earlier (DIR/logs of a --keep run)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        logs_dir = args.logs or base / "logs"
        if args.logs is None:
            logs_dir.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            make_logs(logs_dir, base / "template", args.samples, args.models)
            took = time.perf_counter() - t0
            print(f"generated {args.samples:,} samples x {args.models} models in {took:.1f} s")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        from evalaware.reports.build import build_report

        # Wall time is the target; CPU time is printed too because on a shared machine the
        # wall clock also measures everyone else's load.
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        files = build_report([logs_dir], base / "report")
        elapsed = time.perf_counter() - t0
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size_kb = files.html.stat().st_size / 1024
        print(
            f"report: {len(files.data.samples):,} rows, {len(files.data.models)} models, "
            f"{sum(len(v) for p in files.data.transcripts.values() for v in p.values())} transcripts, "
            f"index.html {size_kb:,.0f} kB"
        )
        print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"build_report: {elapsed:.2f} s wall, {cpu:.2f} s CPU; peak RSS {peak_mb:,.0f} MB "
            f"(before build {rss_before / 1024:,.0f} MB)"
        )
        ok = elapsed <= 15 and peak_mb <= 1536
        print("within target (<= 15 s, <= 1.5 GB)" if ok else "MISSED target (<= 15 s, <= 1.5 GB)")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
