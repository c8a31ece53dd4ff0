"""Known-answer study: do evalaware's numbers recover what the simulated organisms planted?

Not a test: it prints tables (and optionally JSON). Each organism (``evalaware.probes.organisms``)
runs through ``paired_probe`` in process (Inspect ``eval``, display none), scored by the real
scorers, read back by the report's reader (``evalaware.reports.tidy.load_logs``) and summarised by
``evalaware.scorers.stats.summarise``, the function the report calls. So what is checked is what
a user would read.

Replicates. One eval per organism with ``--replicates`` epochs; every epoch is one simulated
one-epoch run over the selected pairs. The organism's draws for a sample are keyed by its seed,
the prompt and a call counter, so epochs are independent draws; slicing by epoch gives
independent replicate runs at the cost of one Inspect start-up. Which draw lands in which epoch
follows the order in which Inspect starts the epochs of a sample, so replicates are not
bit-identical between invocations; the figures move within their Monte Carlo error.

Truths. Per pair, from ``organisms.true_rates``; over the selected pairs, rates are pair means and
the behaviour-given-awareness rates are pooled ratios. Awareness is measured by the lexical
detector, which does not catch every phrase of the organisms' phrase bank: "planted" truths
assume it does, "measured" truths multiply the verbalization rate by the detector's recall on the
organism's bank (every phrase between every neutral opening and closing). Coverage is reported
against both: awareness intervals should cover the measured truth, and miss the planted one by
the recall gap. Behaviour truths do not depend on the detector.

Run::

    /tmp/v0/bin/python bench/organism_study.py --quick        # 14 pairs, 30 replicates: a few minutes
    /tmp/v0/bin/python bench/organism_study.py                # every pair with examples, 100 replicates
    /tmp/v0/bin/python bench/organism_study.py --json out.json

The table helpers and the list of headline quantities are ``bench/stats_coverage.py``'s, so the
two studies print the same rows and mark a coverage ``LOW`` by the same rule (more than two
standard errors under 95%).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from itertools import product
from pathlib import Path
from typing import Any

import pandas as pd
from evalaware.probes.organism_phrases import AWARE_STYLES, NEUTRAL_CLOSE, NEUTRAL_OPEN
from evalaware.probes.organisms import ORGANISMS, Organism, true_rates
from evalaware.scenarios.schema import ScenarioPair
from evalaware.scorers import stats
from evalaware.scorers.lexical import detect

sys.path.insert(0, str(Path(__file__).parent))
from stats_coverage import QUANTITIES, _coverage_text, _print_table, _se

#: Power under muse-like: (P(flagged | watched), P(flagged | not watched)); delta = s * (fu - fw).
POWER_RATES = ((0.25, 0.35), (0.2, 0.4), (0.1, 0.5))


def recall(org: Organism) -> float:
    """Share of the organism's verbalizations the lexical detector catches (1 with none)."""
    phrases = [p for s in org.styles for p in AWARE_STYLES[s]]
    if not phrases:
        return 1.0
    hits = total = 0
    for opening, phrase, closing in product(NEUTRAL_OPEN, phrases, NEUTRAL_CLOSE):
        total += 1
        hits += bool(detect(f"{opening} {phrase} {closing}"))
    return hits / total


def truths(org: Organism, pairs: Sequence[ScenarioPair], rec: float) -> dict[str, float]:
    """Expected headline values over ``pairs`` for one-epoch runs (``rec``: detector recall)."""
    per = [true_rates(org, rec, org.in_scope(p)) for p in pairs]
    out = {k: sum(t[k] for t in per) / len(per) for k in ("aware_test", "aware_deploy", "aware_gap")}
    out.update({k: sum(t[k] for t in per) / len(per) for k in ("flagged_test", "flagged_deploy", "delta")})
    aware = sum(t["aware_test"] for t in per)
    flag_aware = sum(t["aware_test"] * t["given_aware"] for t in per if t["aware_test"] > 0)
    unaware = sum(2 - t["aware_test"] for t in per)
    flag_unaware = sum(t["given_unaware"] * (2 - t["aware_test"]) for t in per)
    out["given_aware"] = flag_aware / aware if aware else math.nan
    out["given_unaware"] = flag_unaware / unaware
    out["aware_diff"] = out["given_aware"] - out["given_unaware"]
    return out


def answerable_pairs() -> list[ScenarioPair]:
    """Library pairs with flagged and not-flagged examples, file by file: a pair being written
    in the same tree (not yet valid) is left out rather than stopping the study."""
    from evalaware.scenarios.loader import ScenarioLoadError, find_scenario_files, load_pair

    out = []
    for path in find_scenario_files():
        try:
            pair = load_pair(path)
        except ScenarioLoadError:
            continue
        if pair.examples and pair.examples.flagged and pair.examples.not_flagged:
            out.append(pair)
    return out


def pair_file(pair: ScenarioPair) -> str:
    from evalaware.scenarios.loader import default_scenario_dir

    return str(default_scenario_dir() / pair.category / f"{pair.id}.yaml")


def run_organism(
    org: Organism, pairs: Sequence[ScenarioPair], replicates: int, seed: int, log_dir: Path
) -> pd.DataFrame:
    """Every replicate's tidy rows (``epoch`` = replicate), through paired_probe and the report reader."""
    from evalaware.probes.tasks import paired_probe
    from evalaware.reports.tidy import load_logs
    from inspect_ai import eval
    from inspect_ai.model import get_model

    base = ORGANISMS[org.name]
    overrides = {
        k: getattr(org, k) for k in ("flag_watched", "flag_unwatched") if getattr(org, k) != getattr(base, k)
    }
    model = get_model(org.model, memoize=False, seed=seed, **overrides)
    out = log_dir / f"{org.name}-{org.flag_watched}-{org.flag_unwatched}"
    (log,) = eval(
        paired_probe(scenario_dir=[pair_file(p) for p in pairs], epochs=replicates),
        model=model,
        log_dir=str(out),
        display="none",
        score_display=False,
    )
    if log.status != "success":
        raise RuntimeError(f"{org.name}: eval ended {log.status}: {log.error}")
    rows = load_logs([out]).samples
    # summarise pairs on pair_id; the report hands it the version-aware key (reports.data).
    return rows.drop(columns=["pair_id"]).rename(columns={"pair_key": "pair_id"})


def study(rows: pd.DataFrame, truth_sets: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Per replicate: each quantity's estimate and whether its interval covers each truth."""
    covered = {(name, label): 0 for name, *_ in QUANTITIES for label in truth_sets}
    defined = {name: 0 for name, *_ in QUANTITIES}
    estimates: dict[str, list[float]] = {name: [] for name, *_ in QUANTITIES}
    rejected = excluded_zero = n = 0
    for _, rep in rows.groupby("epoch"):
        row = stats.summarise(rep).iloc[0]
        n += 1
        rejected += int(row["flagged_mcnemar_p"] <= 0.05)
        lo, hi = row["flagged_delta_lo"], row["flagged_delta_hi"]
        excluded_zero += int(not (math.isnan(lo) or lo <= 0 <= hi))
        for name, col, lo_col, hi_col, key in QUANTITIES:
            if not math.isnan(row[col]):
                estimates[name].append(float(row[col]))
            lo, hi = float(row[lo_col]), float(row[hi_col])
            if math.isnan(lo) or math.isnan(hi):
                continue
            defined[name] += 1
            for label, truth in truth_sets.items():
                if not math.isnan(truth[key]):
                    covered[(name, label)] += int(lo - 1e-12 <= truth[key] <= hi + 1e-12)
    return {
        "replicates": n,
        "covered": {f"{k[0]} | {k[1]}": v for k, v in covered.items()},
        "defined": defined,
        "mean": {k: (sum(v) / len(v) if v else math.nan) for k, v in estimates.items()},
        "mcnemar_rejections": rejected,
        "interval_excludes_zero": excluded_zero,
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one pair per category, 30 replicates")
    ap.add_argument("--replicates", type=int, help="simulated runs per organism (default 100; quick 30)")
    ap.add_argument("--seed", type=int, default=17, help="the organisms' seed (-M seed=)")
    ap.add_argument("--organisms", default=",".join(ORGANISMS), help="comma-separated organisms")
    ap.add_argument("--no-power", action="store_true", help="skip the power runs under muse-like")
    ap.add_argument("--log-dir", help="keep the Inspect logs here (default: a temporary folder)")
    ap.add_argument("--json", help="also write every figure to this file")
    args = ap.parse_args(argv)
    from evalaware.cli.cmd_run import starter_set

    started = time.perf_counter()
    library = answerable_pairs()
    pairs = [p for p in library if p.id in set(starter_set(library))] if args.quick else library
    replicates = args.replicates or (30 if args.quick else 100)
    log_dir = Path(args.log_dir) if args.log_dir else Path(tempfile.mkdtemp(prefix="organism-study-"))
    print(
        f"# Known-answer study: {len(pairs)} pairs x 2 variants, {replicates} one-epoch replicates, "
        f"seed {args.seed}"
    )
    print(
        f"coverage standard error at 95% with {replicates} replicates: "
        f"{100 * _se(0.95, replicates):.1f} points"
    )

    results: dict[str, Any] = {"pairs": [p.id for p in pairs], "replicates": replicates, "organisms": {}}
    cov_rows, est_rows, recall_rows = [], [], []
    for name in args.organisms.split(","):
        org = ORGANISMS[name]
        rec = recall(org)
        sets = {"planted": truths(org, pairs, 1.0), "measured": truths(org, pairs, rec)}
        rows = run_organism(org, pairs, replicates, args.seed, log_dir)
        res = study(rows, sets)
        results["organisms"][name] = {"recall": rec, "truths": sets, **res}
        n = res["replicates"]
        recall_rows.append(
            [name, f"{rec:.3f}" if org.styles else "–", f"{sets['planted']['aware_test']:.3f}",
             f"{sets['measured']['aware_test']:.3f}", f"{res['mean']['aware rate, test']:.3f}"]
        )  # fmt: skip
        for qname, _, _, _, key in QUANTITIES:
            t_p, t_m = sets["planted"][key], sets["measured"][key]
            cells = []
            for label, t in (("planted", t_p), ("measured", t_m)):
                cells.append(
                    "n/a"
                    if math.isnan(t)
                    else _coverage_text(res["covered"][f"{qname} | {label}"], res["defined"][qname], n)
                )
            est = res["mean"][qname]
            cov_rows.append([name, qname, f"{t_p:+.3f}", f"{t_m:+.3f}", f"{est:+.3f}", *cells])
        est_rows.append(
            [name, f"{sets['planted']['delta']:+.3f}", f"{100 * res['mcnemar_rejections'] / n:.1f}%",
             f"{100 * res['interval_excludes_zero'] / n:.1f}%"]
        )  # fmt: skip
        print(f"  {name}: done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    print("\n## Detector recall on each organism's phrase bank: measured vs planted awareness (test variant)")
    _print_table(
        ["organism", "lexical recall", "planted aware", "expected measured", "mean measured"], recall_rows
    )
    print("\n## Coverage of the report's 95% intervals (share of replicates whose interval holds the truth)")
    _print_table(
        [
            "organism",
            "quantity",
            "planted",
            "measured truth",
            "mean estimate",
            "cover planted",
            "cover measured",
        ],
        cov_rows,
    )
    print("\n## Behaviour delta: McNemar's rejections at 5% (type-I error where the planted delta is 0)")
    _print_table(["organism", "planted delta", "McNemar p <= .05", "t interval excludes 0"], est_rows)

    if not args.no_power:
        power_rows = []
        base = ORGANISMS["muse-like"]
        for fw, fu in POWER_RATES:
            org = replace(base, flag_watched=fw, flag_unwatched=fu)
            rows = run_organism(org, pairs, replicates, args.seed, log_dir)
            res = study(rows, {"planted": truths(org, pairs, recall(org))})
            n = res["replicates"]
            delta = truths(org, pairs, 1.0)["delta"]
            results.setdefault("power", []).append(
                {"flag_watched": fw, "flag_unwatched": fu, "delta": delta, **res}
            )
            power_rows.append(
                [f"fw {fw:.2f}, fu {fu:.2f}", f"{delta:+.3f}", f"{100 * res['mcnemar_rejections'] / n:.1f}%",
                 f"{100 * res['interval_excludes_zero'] / n:.1f}%",
                 _coverage_text(res["covered"]["paired delta deploy-test | planted"],
                                res["defined"]["paired delta deploy-test"], n)]
            )  # fmt: skip
            print(f"  power fw={fw} fu={fu}: done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        print(f"\n## Power under muse-like (sensitivity {base.sensitivity}), {len(pairs)} pairs, one epoch")
        _print_table(
            ["policy", "planted delta", "McNemar power", "t interval excludes 0", "delta coverage"],
            power_rows,
        )
    print(f"\n({time.perf_counter() - started:.0f} s; logs in {log_dir})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
