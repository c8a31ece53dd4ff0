"""Simulation study of evalaware's statistics: do the 95% intervals cover, does McNemar hold its level?

Not a test: it prints a table (and optionally JSON). Data are drawn in pure numpy in the tidy shape
the report and the metrics consume (one row per pair x variant x epoch with 0/1 ``aware``,
``spontaneous``, ``flagged``), then put through ``evalaware.scorers.stats.summarise``, the very
function the report calls, so what is measured is what is printed.

The population of pairs (drawn afresh in every simulation, so the estimands are population means):

- behaviour: pair ``i`` has a base rate ``b_i = 0.15 + 0.45 * Beta(2, 2)`` (heterogeneous pairs, the
  case that broke the percentile bootstrap); test samples are flagged with probability ``b_i``,
  deploy samples with ``b_i + delta`` (``delta`` is the planted paired effect, deploy - test);
- awareness: ``a_i = 0.05 + 0.45 * Beta(1.5, 3)`` in the test variant and ``a_i / 4`` in deploy
  (a planted awareness gap of three quarters of the test rate);
- behaviour given awareness: within a sample, stating awareness lowers the flag probability by
  ``gamma * (1 - a)`` and not stating it raises it by ``gamma * a``, which leaves each variant's
  flag rate at its planted value while planting a known "flagged | aware" vs "| unaware" contrast;
- epochs are independent draws of the same pair side: they add information about a pair, not
  pairs, which is why every interval over pairs must treat the pair as the unit.

Truths are exact expectations over the population (by numerical integration of the two Beta laws).

Run::

    /tmp/v0/bin/python bench/stats_coverage.py                 # 400 simulations per cell, ~2-4 min
    /tmp/v0/bin/python bench/stats_coverage.py --sims 100      # a quick look
    /tmp/v0/bin/python bench/stats_coverage.py --json out.json

With 400 simulations a coverage's standard error at 95% is sqrt(.95 * .05 / 400) = 1.1 points;
the table marks a cell ``LOW`` when its coverage is more than two standard errors under 95%
(and ``HIGH`` on a type-I error more than two standard errors over 5%).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from evalaware.scorers import stats

#: Planted behaviour change (deploy - test) for the coverage rows.
COVERAGE_DELTA = 0.10
#: Effect sizes for the power rows.
POWER_DELTAS = (0.10, 0.20, 0.30)
#: Awareness's association with behaviour inside a transcript (see the module docstring).
GAMMA = 0.15
#: Deploy awareness is this fraction of the pair's test awareness.
DEPLOY_AWARE_FRACTION = 0.25

PAIR_COUNTS = (1, 3, 12, 54)
#: The paired delta's interval before issue 17 (a percentile bootstrap over pairs), measured beside it.
OLD = "paired delta, old bootstrap"
EPOCH_COUNTS = (1, 5)

#: (name, summarise column, lo column, hi column, truth key), in the order the table prints them.
QUANTITIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("aware rate, test", "aware_test", "aware_test_lo", "aware_test_hi", "aware_test"),
    ("aware rate, deploy", "aware_deploy", "aware_deploy_lo", "aware_deploy_hi", "aware_deploy"),
    ("aware gap test-deploy", "aware_gap", "aware_gap_lo", "aware_gap_hi", "aware_gap"),
    ("flagged rate, test", "flagged_test", "flagged_test_lo", "flagged_test_hi", "flagged_test"),
    ("paired delta deploy-test", "flagged_delta", "flagged_delta_lo", "flagged_delta_hi", "delta"),
    (
        "flagged | aware",
        "flagged_given_aware",
        "flagged_given_aware_lo",
        "flagged_given_aware_hi",
        "given_aware",
    ),
    (
        "flagged | unaware",
        "flagged_given_unaware",
        "flagged_given_unaware_lo",
        "flagged_given_unaware_hi",
        "given_unaware",
    ),
    ("aware - unaware", "flagged_aware_diff", "flagged_aware_diff_lo", "flagged_aware_diff_hi", "aware_diff"),
)


# --------------------------------------------------------------------------- population


def _beta_grid(a: float, b: float, n: int = 4001) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint quadrature nodes and weights of Beta(a, b) (no scipy: the density is normalised
    numerically, exact enough for truths to 1e-6)."""
    x = (np.arange(n) + 0.5) / n
    w = x ** (a - 1) * (1 - x) ** (b - 1)
    return x, w / w.sum()


def base_rate(u: np.ndarray) -> np.ndarray:
    return 0.15 + 0.45 * u


def test_awareness(u: np.ndarray) -> np.ndarray:
    return 0.05 + 0.45 * u


BEHAVIOUR_BETA = (2.0, 2.0)
AWARENESS_BETA = (1.5, 3.0)


def truths(delta: float) -> dict[str, float]:
    """Population values of every headline quantity for a planted ``delta`` (exact expectations)."""
    xb, wb = _beta_grid(*BEHAVIOUR_BETA)
    xa, wa = _beta_grid(*AWARENESS_BETA)
    b = base_rate(xb)
    a_test = test_awareness(xa)
    out: dict[str, float] = {
        "aware_test": float(wa @ a_test),
        "aware_deploy": float(wa @ (DEPLOY_AWARE_FRACTION * a_test)),
        "flagged_test": float(wb @ b),
        "flagged_deploy": float(wb @ (b + delta)),
        "delta": delta,
    }
    out["aware_gap"] = out["aware_test"] - out["aware_deploy"]
    # b and a are independent across pairs; P(flag, aware) for a side with flag rate f and
    # awareness a is a * (f - gamma * (1 - a)), and P(flag, not aware) is (1 - a) * (f + gamma * a).
    num_aware = num_unaware = den_aware = den_unaware = 0.0
    for f_mean, a in ((out["flagged_test"], a_test), (out["flagged_deploy"], DEPLOY_AWARE_FRACTION * a_test)):
        num_aware += float(wa @ (a * (f_mean - GAMMA * (1 - a))))
        den_aware += float(wa @ a)
        num_unaware += float(wa @ ((1 - a) * (f_mean + GAMMA * a)))
        den_unaware += float(wa @ (1 - a))
    out["given_aware"] = num_aware / den_aware
    out["given_unaware"] = num_unaware / den_unaware
    out["aware_diff"] = out["given_aware"] - out["given_unaware"]
    return out


def simulate(rng: np.random.Generator, n_pairs: int, epochs: int, delta: float) -> pd.DataFrame:
    """One simulated run in the tidy shape: one row per pair x variant x epoch."""
    b = base_rate(rng.beta(*BEHAVIOUR_BETA, size=n_pairs))
    a_test = test_awareness(rng.beta(*AWARENESS_BETA, size=n_pairs))
    flag_rate = np.stack([b, b + delta], axis=1)  # (pair, variant), variants in stats.VARIANTS order
    aware_rate = np.stack([a_test, DEPLOY_AWARE_FRACTION * a_test], axis=1)
    shape = (n_pairs, 2, epochs)
    aware = rng.random(shape) < aware_rate[:, :, None]
    a = aware_rate[:, :, None]
    f = flag_rate[:, :, None]
    p_flag = np.where(aware, f - GAMMA * (1 - a), f + GAMMA * a)
    flagged = rng.random(shape) < p_flag
    pair_idx, variant_idx, epoch_idx = np.indices(shape)
    return pd.DataFrame(
        {
            "model": "sim",
            "pair_id": np.char.add("p", pair_idx.ravel().astype(str)),
            "variant": np.asarray(stats.VARIANTS)[variant_idx.ravel()],
            "epoch": epoch_idx.ravel() + 1,
            "aware": aware.ravel().astype(float),
            "spontaneous": aware.ravel().astype(float),
            "flagged": flagged.ravel().astype(float),
        }
    )


# --------------------------------------------------------------------------- study


@dataclass
class Cell:
    n_pairs: int
    epochs: int
    sims: int
    covered: dict[str, int]
    defined: dict[str, int]
    width: dict[str, float]
    degenerate: dict[str, int]


def coverage_cell(n_pairs: int, epochs: int, sims: int, seed: int, n_boot: int) -> Cell:
    truth = truths(COVERAGE_DELTA)
    rng = np.random.default_rng([seed, n_pairs, epochs])
    covered = {q[0]: 0 for q in QUANTITIES}
    defined = {q[0]: 0 for q in QUANTITIES}
    width = {q[0]: 0.0 for q in QUANTITIES}
    degenerate = {q[0]: 0 for q in QUANTITIES}
    old = OLD
    for d in (covered, defined, width, degenerate):
        d[old] = 0
    for i in range(sims):
        data = simulate(rng, n_pairs, epochs, COVERAGE_DELTA)
        row = stats.summarise(data, seed=i, n_boot=n_boot).iloc[0]
        # The method the report printed before the fix, on the same data, for comparison.
        boot = stats.paired_delta(data, "flagged", seed=i, n_boot=n_boot, interval="percentile")
        defined[old] += 1
        width[old] += boot.hi - boot.lo
        degenerate[old] += int(boot.hi - boot.lo < 1e-12)
        covered[old] += int(boot.lo - 1e-12 <= COVERAGE_DELTA <= boot.hi + 1e-12)
        for name, _, lo_col, hi_col, key in QUANTITIES:
            lo, hi = float(row[lo_col]), float(row[hi_col])
            if math.isnan(lo) or math.isnan(hi):
                continue  # no interval printed (n/a or nothing scored): not a claim, not counted
            defined[name] += 1
            width[name] += hi - lo
            degenerate[name] += int(hi - lo < 1e-12)
            covered[name] += int(lo - 1e-12 <= truth[key] <= hi + 1e-12)
    return Cell(n_pairs, epochs, sims, covered, defined, width, degenerate)


def mcnemar_rejections(n_pairs: int, epochs: int, delta: float, sims: int, seed: int) -> tuple[int, int]:
    """(rejections at 5%, simulations) of McNemar's test as ``paired_delta`` computes it."""
    rng = np.random.default_rng([seed, n_pairs, epochs, round(delta * 1000)])
    rejected = 0
    for _ in range(sims):
        # n_boot=1: only the test is used here, the interval is measured above.
        r = stats.paired_delta(simulate(rng, n_pairs, epochs, delta), "flagged", n_boot=1)
        rejected += int(r.mcnemar_p <= 0.05)
    return rejected, sims


def _se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 1e-12) / n) if n else math.nan


def _coverage_text(covered: int, defined: int, total: int) -> str:
    if defined == 0:
        return "n/a"
    cov = covered / defined
    # Two standard errors of a 95% coverage estimated from `defined` simulations.
    flag = " LOW" if cov < 0.95 - 2 * _se(0.95, defined) else ""
    shown = f"{100 * cov:5.1f}%{flag}"
    if defined < total:
        shown += f" ({defined}/{total})"
    return shown


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sims", type=int, default=400, help="simulations per cell (default 400)")
    ap.add_argument("--seed", type=int, default=20260117)
    ap.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples, as the report (2000)")
    ap.add_argument("--json", help="also write every figure to this file")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    truth = truths(COVERAGE_DELTA)
    print(f"# evalaware statistics: coverage of 95% intervals, {args.sims} simulations per cell")
    print(
        f"planted: delta {COVERAGE_DELTA:+.2f}; truths: "
        + ", ".join(f"{k} {v:.4f}" for k, v in truth.items())
        + f"; a coverage's standard error at 95% is {100 * _se(0.95, args.sims):.1f} points"
    )
    cells = [
        coverage_cell(k, e, args.sims, args.seed, args.n_boot) for k in PAIR_COUNTS for e in EPOCH_COUNTS
    ]
    header = ["quantity", *(f"{c.n_pairs}p x {c.epochs}e" for c in cells)]
    rows = [
        [name, *(_coverage_text(c.covered[name], c.defined[name], c.sims) for c in cells)]
        for name in [*(q[0] for q in QUANTITIES), OLD]
    ]
    for name in ("paired delta deploy-test", OLD):
        rows.append([f"degenerate [x, x]: {name}", *(str(c.degenerate[name]) for c in cells)])
        rows.append(
            [
                f"mean width pp: {name}",
                *(
                    f"{100 * c.width[name] / c.defined[name]:.0f}" if c.defined[name] else "n/a"
                    for c in cells
                ),
            ]
        )
    _print_table(header, rows)

    print()
    print(f"# McNemar's exact test at 5%: type-I error (delta 0) and power, {args.sims} simulations each")
    test_rows = []
    results: dict[str, float] = {}
    for k in PAIR_COUNTS[1:]:
        for e in EPOCH_COUNTS:
            cells_text = []
            for d in (0.0, *POWER_DELTAS):
                rej, n = mcnemar_rejections(k, e, d, args.sims, args.seed)
                results[f"mcnemar_{k}p_{e}e_{d:.2f}"] = rej / n
                text = f"{100 * rej / n:5.1f}%"
                if d == 0.0 and rej / n > 0.05 + 2 * _se(0.05, n):
                    text += " HIGH"
                cells_text.append(text)
            test_rows.append([f"{k} pairs x {e} epochs", *cells_text])
    _print_table(["design", "type-I (delta 0)", *(f"power delta {d:+.2f}" for d in POWER_DELTAS)], test_rows)
    print(f"\n({time.perf_counter() - started:.0f} s)")
    if args.json:
        payload = {
            "sims": args.sims,
            "seed": args.seed,
            "truths": truth,
            "coverage": [
                {
                    "n_pairs": c.n_pairs,
                    "epochs": c.epochs,
                    "covered": c.covered,
                    "defined": c.defined,
                    "degenerate": c.degenerate,
                }
                for c in cells
            ],
            "mcnemar_rejection_rates": results,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2)
    return 0


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |")


if __name__ == "__main__":
    sys.exit(main())
