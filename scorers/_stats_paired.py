"""The paired behaviour delta (deploy - test over pairs) and McNemar's exact test.

The unit is the pair. A pair side's epochs are averaged first: epochs are repeated draws of one
transcript's propensity, not new pairs, so resampling or counting them as pairs would shrink the
interval toward the within-pair noise and ignore how much pairs differ from each other.

The interval is Student's t over the pair deltas. The percentile bootstrap it replaces covered
59% (3 pairs), 91.5% (12) and 93% (54) of a planted +10 pp effect on heterogeneous pairs, and
was degenerate ([x, x]) whenever every pair moved alike, e.g. one pair; the t interval covered
94-96% from 3 pairs up (bench/stats_coverage.py, 400-1000 simulations a cell).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from evalaware.scorers._stats_common import NAN, VARIANTS, Frozen
from evalaware.scorers._stats_distributions import t_value
from evalaware.scorers._stats_rates import MIN_PAIRS_FOR_INTERVAL

#: How the paired delta's interval is computed: ``t`` (the default, see the module docstring) or
#: ``percentile``, the old pair bootstrap, kept only so the coverage study and its test can show
#: what it did.
PairedInterval = Literal["t", "percentile"]


class PairedDelta(Frozen):
    """Within-pair behaviour change, deploy - test, over pairs with both variants scored."""

    delta: float
    """Mean over pairs of (deploy value - test value); NaN when no pair has both sides scored."""
    lo: float
    """Lower bound of the t interval over pairs; NaN when there are too few pairs (see ``note``)."""
    hi: float
    """Upper bound of the t interval over pairs; NaN when there are too few pairs."""
    note: str = ""
    """Why there is no interval (too few pairs), or "" when there is one or nothing to say."""
    mcnemar_p: float
    """Two-sided exact McNemar p-value on the discordant pairs (1.0 when there are none)."""
    n_pairs: int
    """Pairs with both variants scored: the sample the delta is over."""
    b: int
    """Discordant pairs flagged in the test variant only."""
    c: int
    """Discordant pairs flagged in the deploy variant only."""
    n_discordant: int
    """b + c."""
    n_dropped: int
    """Pairs left out because a variant was present but every one of its samples was unscored."""
    n_unmatched: int
    """Pairs left out because one variant had no sample at all."""
    test_rate: float
    """Mean test value over the paired set."""
    deploy_rate: float
    """Mean deploy value over the paired set."""
    multi_epoch: bool
    """True when some pair side averaged several epochs; McNemar then used rounded means."""


def too_few_pairs_note(n_pairs: int) -> str:
    """The reason printed instead of an interval over pairs: "" when there are enough pairs."""
    if n_pairs <= 0 or n_pairs >= MIN_PAIRS_FOR_INTERVAL:
        return ""
    return f"n/a ({n_pairs} pair{'s' if n_pairs != 1 else ''}: too few for an interval over pairs)"


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value: a binomial test of b vs c discordant pairs at p = 0.5.

    p = min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 0.5); 1.0 when b + c == 0.
    Summed with exact integers, so it is exact for any n (no scipy needed). Its type-I error
    on null simulations was 0-3% at 3-54 pairs (bench/stats_coverage.py): conservative, as an
    exact conditional test is.
    """
    if b < 0 or c < 0:
        raise ValueError("discordant counts must be non-negative")
    n = int(b) + int(c)
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1))
    # int / int true division is correctly rounded even for huge 2**n.
    return min(1.0, 2 * tail / 2**n)


def t_interval_over_pairs(deltas: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Student t interval for the mean of per-pair deltas in [-1, 1], clipped to [-1, 1].

    (NaN, NaN) below ``MIN_PAIRS_FOR_INTERVAL`` pairs. When every pair has the same delta x the
    sample spread is 0 and t would print [x, x]; that is no evidence that pairs never differ,
    only that none of k did. Then the share of pairs that could differ from x is bounded by
    the exact one-sided bound for 0 of k, u = 1 - ((1 - confidence) / 2)^(1/k), and since a pair's
    delta lies in [-1, 1] the mean lies in [x - u(1 + x), x + u(1 - x)].
    """
    k = int(deltas.size)
    if k < MIN_PAIRS_FOR_INTERVAL:
        return (NAN, NAN)
    mean = float(deltas.mean())
    spread = float(deltas.std(ddof=1))
    # Equal deltas need not be equal floats (3/5 - 1/5 vs 2/5 - 0 differ in the last bit); a spread
    # of 1e-17 gave [x, x] in 7 of 400 simulated runs of 3 pairs x 5 epochs before this tolerance.
    if float(np.ptp(deltas)) <= 1e-9:
        u = 1.0 - ((1.0 - confidence) / 2.0) ** (1.0 / k)
        return (max(-1.0, mean - u * (1.0 + mean)), min(1.0, mean + u * (1.0 - mean)))
    half = t_value(k - 1, confidence) * spread / math.sqrt(k)
    return (max(-1.0, mean - half), min(1.0, mean + half))


def percentile_bootstrap(
    values: np.ndarray, *, seed: int, n_boot: int, confidence: float
) -> tuple[float, float]:
    """The seeded percentile bootstrap of a mean (resampling rows): the paired delta's old
    interval, and still what ``cue_effects`` uses for its regression coefficients."""
    if values.size == 0:
        return (NAN, NAN)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, values.size, size=(n_boot, values.size))
    means = values[idx].mean(axis=1)
    alpha = 1.0 - confidence
    lo, hi = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(lo), float(hi))


def _pair_table(
    df: pd.DataFrame, value_col: str, pair_col: str, variant_col: str
) -> tuple[pd.DataFrame, int, int, bool]:
    """One row per pair with ``test`` / ``deploy`` columns (epoch means), plus drop counts."""
    rows = df[df[variant_col].isin(VARIANTS)]
    values = pd.to_numeric(rows[value_col], errors="coerce").astype(float)
    frame = pd.DataFrame(
        {"pair": rows[pair_col].to_numpy(), "variant": rows[variant_col].to_numpy(), "v": values.to_numpy()}
    )
    grouped = frame.groupby(["pair", "variant"], sort=True)["v"]
    # mean() skips NaN: a side is unscored only when every epoch of it is unscored.
    means = grouped.mean().unstack("variant").reindex(columns=list(VARIANTS))
    multi_epoch = bool((grouped.count() > 1).any())
    present = frame.groupby(["pair", "variant"]).size().unstack("variant").reindex(columns=list(VARIANTS))
    both_present = present.notna().all(axis=1)
    both_scored = means.notna().all(axis=1)
    n_unmatched = int((~both_present).sum())
    n_dropped = int((both_present & ~both_scored).sum())
    return means[both_scored], n_dropped, n_unmatched, multi_epoch


def paired_delta(
    df: pd.DataFrame,
    value_col: str,
    pair_col: str = "pair_id",
    variant_col: str = "variant",
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
    interval: PairedInterval = "t",
) -> PairedDelta:
    """Mean within-pair change deploy - test, with a t interval over pairs and McNemar's exact test.

    Rows whose variant is neither ``test`` nor ``deploy`` (ablation variants) are ignored.
    Repeated rows of one pair side (epochs, with or without an ``epoch`` column) are first
    averaged over their scored values, so each pair contributes one delta whatever its
    number of epochs; a pair enters only when both sides have at least one scored value.

    The interval is ``t_interval_over_pairs``; with fewer than ``MIN_PAIRS_FOR_INTERVAL`` pairs
    there is none (``lo``/``hi`` NaN, the reason in ``note``). ``seed`` and ``n_boot`` matter
    only for ``interval="percentile"``. McNemar's test needs one 0/1 outcome per side: with a
    single epoch the values are used as they are; with several epochs a side counts as flagged
    when its mean is ≥ 0.5 (flagged in at least half its epochs) — a coarsening that
    ``multi_epoch`` records.
    """
    table, n_dropped, n_unmatched, multi_epoch = _pair_table(df, value_col, pair_col, variant_col)
    n = len(table)
    if n == 0:
        return PairedDelta(
            delta=NAN,
            lo=NAN,
            hi=NAN,
            mcnemar_p=1.0,
            n_pairs=0,
            b=0,
            c=0,
            n_discordant=0,
            n_dropped=n_dropped,
            n_unmatched=n_unmatched,
            test_rate=NAN,
            deploy_rate=NAN,
            multi_epoch=multi_epoch,
        )
    test = table["test"].to_numpy(dtype=float)
    deploy = table["deploy"].to_numpy(dtype=float)
    delta, lo, hi, p, b, c = delta_of_pairs(
        test, deploy, seed=seed, n_boot=n_boot, confidence=confidence, interval=interval
    )
    return PairedDelta(
        delta=delta,
        lo=lo,
        hi=hi,
        note=too_few_pairs_note(n) if interval == "t" else "",
        mcnemar_p=p,
        n_pairs=n,
        b=b,
        c=c,
        n_discordant=b + c,
        n_dropped=n_dropped,
        n_unmatched=n_unmatched,
        test_rate=float(test.mean()),
        deploy_rate=float(deploy.mean()),
        multi_epoch=multi_epoch,
    )


def delta_of_pairs(
    test: np.ndarray,
    deploy: np.ndarray,
    *,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
    interval: PairedInterval = "t",
) -> tuple[float, float, float, float, int, int]:
    """``(delta, lo, hi, mcnemar_p, b, c)`` for aligned, complete pair values (one row per pair):
    mean deploy - test, its interval over pairs (NaN bounds below ``MIN_PAIRS_FOR_INTERVAL``
    pairs), and the exact McNemar test on values thresholded at 0.5."""
    deltas = deploy - test
    if interval == "t":
        lo, hi = t_interval_over_pairs(deltas, confidence)
    elif interval == "percentile":
        lo, hi = percentile_bootstrap(deltas, seed=seed, n_boot=n_boot, confidence=confidence)
    else:
        raise ValueError(f"unknown interval method {interval!r}")
    test_bin, deploy_bin = test >= 0.5, deploy >= 0.5
    b = int(np.sum(test_bin & ~deploy_bin))
    c = int(np.sum(~test_bin & deploy_bin))
    return float(deltas.mean()), lo, hi, mcnemar_exact(b, c), b, c
