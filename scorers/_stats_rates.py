"""Proportions: rates with score intervals, their differences, behaviour given stated awareness.

Intervals are Wilson score intervals *with continuity correction* (Newcombe 1998, method 4) and,
for differences, Newcombe's hybrid score interval built from them (method 11). The plain Wilson
interval (``wilson_interval``, what Inspect's ``ci_wilson`` computes) averages 95% coverage over p
but dips to 80-89% at the small n and the rates near 0 evalaware lives at: 1 sample at p = 0.2
covers 80%, 3 samples at p = 0.05 cover 86%, 12 at p = 0.01 cover 89% (exact binomial sums;
bench/stats_coverage.py saw the same in simulation). The corrected interval keeps its minimum
coverage at 95% for every n, at the price of being a little wider.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, TypedDict

import numpy as np
import pandas as pd
from evalaware.scorers._stats_common import NAN, Frozen, as_float_array
from evalaware.scorers._stats_distributions import z_value

#: Below this many pairs the spread between pairs cannot be estimated: intervals over pairs are
#: not given (paired delta) or count each pair once (clustered rates). With 2 pairs a t interval
#: has 1 degree of freedom (t = 12.7) and spans the whole range, which says nothing.
MIN_PAIRS_FOR_INTERVAL = 3

#: A rate's interval: ``wilson_cc`` (continuity-corrected; what the report and the metrics print)
#: or ``wilson`` (plain, Inspect's ``ci_wilson``; ``rate()``'s default only so that callers outside
#: the headline statistics keep their numbers until their owners opt in).
RateInterval = Literal["wilson", "wilson_cc"]


class Rate(Frozen):
    """A proportion over scored samples with its (continuity-corrected) Wilson score interval."""

    k: float
    """Sum of the scored values (the count of 1s when every value is 0/1)."""
    n: int
    """Number of scored samples."""
    unscored: int
    """Number of samples left out because they were unscored (None / NaN)."""
    rate: float
    """k / n; NaN when n == 0 (an empty rate is unknown, not zero)."""
    lo: float
    """Lower bound of the interval; NaN when n == 0."""
    hi: float
    """Upper bound of the interval; NaN when n == 0."""
    n_eff: float | None = None
    """Effective sample size the interval used when rows are clustered in pairs (n / design
    effect); None when the rows were independent samples and the interval used n."""
    interval: RateInterval = "wilson"
    """Which score interval ``lo`` / ``hi`` are (``difference`` rebuilds its limits the same way)."""


class Diff(Frozen):
    """The difference a - b of two independent proportions (Newcombe's hybrid score interval)."""

    a: Rate
    """The first proportion (e.g. the test variant)."""
    b: Rate
    """The second proportion (e.g. the deploy variant)."""
    diff: float
    """a.rate - b.rate; NaN when either side has no scored samples."""
    lo: float
    """Lower bound of the Newcombe interval for the difference."""
    hi: float
    """Upper bound of the Newcombe interval for the difference."""


class ConditionalRates(TypedDict):
    """Behaviour rate given stated awareness vs given none, and their difference."""

    aware: Rate
    unaware: Rate
    diff: Diff
    awareness_unscored: int


def wilson_interval(k: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Plain Wilson score interval for a proportion k / n; (NaN, NaN) when n == 0.

    Inspect's ``ci_wilson`` formula. The report's rates use ``wilson_cc_interval`` instead (see the
    module docstring); this one stays for callers that want Inspect's numbers.
    Fractional k (epoch means in [0, 1]) is accepted: the interval is then conservative
    because a [0, 1] variable's variance is at most p(1 - p).
    """
    if n <= 0:
        return (NAN, NAN)
    if not 0.0 <= k <= n:
        raise ValueError(f"k must be within [0, n], got k={k}, n={n}")
    z = z_value(confidence)
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    # Analytically the bound is exactly 0 at k == 0 and 1 at k == n; pin those so float noise
    # (2.8e-17 for 0/10) doesn't print as a positive lower bound.
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def wilson_cc_interval(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval with continuity correction (Newcombe 1998, method 4); NaN when n <= 0.

    ``n`` may be fractional (an effective sample size under clustering) and so may ``k``
    (epoch means): the formula is continuous in both, and conservative for means of 0/1 values.
    """
    if n <= 0:
        return (NAN, NAN)
    if not 0.0 <= k <= n * (1 + 1e-12):
        raise ValueError(f"k must be within [0, n], got k={k}, n={n}")
    z = z_value(confidence)
    z2 = z * z
    p = min(k / n, 1.0)
    q = 1.0 - p
    denom = 2.0 * (n + z2)
    # The radicands stay positive for z >= 1.42 (any confidence >= 0.85); clamp for lower ones.
    lo = (2 * n * p + z2 - 1 - z * math.sqrt(max(0.0, z2 - 2 - 1 / n + 4 * p * (n * q + 1)))) / denom
    hi = (2 * n * p + z2 + 1 + z * math.sqrt(max(0.0, z2 + 2 - 1 / n + 4 * p * (n * q - 1)))) / denom
    lo = 0.0 if k == 0 else min(max(0.0, lo), p)
    hi = 1.0 if p >= 1.0 else max(min(1.0, hi), p)
    return (lo, hi)


def rate(
    values: Sequence[float | None] | np.ndarray | pd.Series,
    confidence: float = 0.95,
    interval: RateInterval = "wilson",
) -> Rate:
    """Proportion of scored values with a Wilson interval; None / NaN values are unscored.

    The headline statistics (``summarise``, ``awareness_gap``, ``conditional_rates``) ask for
    ``interval="wilson_cc"``; see the module docstring for why.
    """
    arr = as_float_array(values)
    scored = arr[~np.isnan(arr)]
    if np.any((scored < 0.0) | (scored > 1.0)):
        raise ValueError("rate() expects values in [0, 1]")
    n = int(scored.size)
    k = float(scored.sum())
    bounds = wilson_cc_interval if interval == "wilson_cc" else wilson_interval
    lo, hi = bounds(k, n, confidence)
    return Rate(
        k=k, n=n, unscored=int(arr.size - n), rate=k / n if n else NAN, lo=lo, hi=hi, interval=interval
    )


def clustered_rate(
    values: Sequence[float | None] | np.ndarray | pd.Series,
    clusters: Sequence[object] | np.ndarray | pd.Series,
    confidence: float = 0.95,
) -> Rate:
    """A rate over rows that come in clusters (the epochs and variants of one pair).

    Rows of one pair share that pair's base rate, so they are not independent draws: counting
    them as such made "flagged | unaware" cover 89-91% with 5 epochs (bench/stats_coverage.py).
    The interval is the corrected Wilson interval at an effective sample size n / deff, where
    the design effect deff is the cluster-robust (ratio-estimator) variance over the binomial one,
    never below 1 (Kish; Korn & Graubard 1998 do the same with Clopper-Pearson). When it cannot be
    estimated: with fewer than ``MIN_PAIRS_FOR_INTERVAL`` pairs each pair counts as one observation
    (the largest possible design effect); with a rate of exactly 0 or 1 deff is 1.
    """
    arr = as_float_array(values)
    keys = np.asarray(clusters, dtype=object)
    if keys.shape != arr.shape:
        raise ValueError(f"values and clusters differ in length: {arr.size} vs {keys.size}")
    keep = ~np.isnan(arr)
    y, g = arr[keep], keys[keep]
    if np.any((y < 0.0) | (y > 1.0)):
        raise ValueError("clustered_rate() expects values in [0, 1]")
    n = int(y.size)
    unscored = int(arr.size - n)
    if n == 0:
        return Rate(k=0.0, n=0, unscored=unscored, rate=NAN, lo=NAN, hi=NAN, n_eff=0.0, interval="wilson_cc")
    k = float(y.sum())
    p = k / n
    codes = pd.factorize(pd.Series(g, dtype=object))[0]
    n_clusters = int(codes.max()) + 1
    if n_clusters < MIN_PAIRS_FOR_INTERVAL:
        n_eff = float(min(n, n_clusters))
    elif p in (0.0, 1.0):
        n_eff = float(n)
    else:
        sums = np.bincount(codes, weights=y)
        sizes = np.bincount(codes).astype(float)
        robust = n_clusters / (n_clusters - 1) * float(np.sum((sums - p * sizes) ** 2)) / n**2
        deff = max(1.0, robust / (p * (1.0 - p) / n))
        n_eff = n / deff
    lo, hi = wilson_cc_interval(p * n_eff, n_eff, confidence)
    return Rate(k=k, n=n, unscored=unscored, rate=p, lo=lo, hi=hi, n_eff=n_eff, interval="wilson_cc")


def difference(a: Rate, b: Rate, confidence: float = 0.95) -> Diff:
    """a - b for independent proportions, with Newcombe's hybrid score interval.

    Newcombe (1998) combines the two proportions' score intervals; unlike the Wald interval it
    keeps good coverage near 0 and 1, which is where awareness rates live. The limits of ``a``
    and ``b`` are recomputed at ``confidence`` with each Rate's own interval method (method 10 of
    Newcombe for plain Wilson, method 11 for the corrected one) and at its effective sample size
    when it has one, so the caller's Rates need not match.
    """
    if a.n == 0 or b.n == 0:
        return Diff(a=a, b=b, diff=NAN, lo=NAN, hi=NAN)
    p1, p2 = a.k / a.n, b.k / b.n
    l1, u1 = _limits(a, confidence)
    l2, u2 = _limits(b, confidence)
    d = p1 - p2
    lo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Diff(a=a, b=b, diff=d, lo=max(-1.0, lo), hi=min(1.0, hi))


def _limits(r: Rate, confidence: float) -> tuple[float, float]:
    if r.interval == "wilson" and r.n_eff is None:
        return wilson_interval(r.k, r.n, confidence)
    m = r.n if r.n_eff is None else r.n_eff
    return wilson_cc_interval(r.k / r.n * m, m, confidence)


def awareness_gap(
    test_values: Sequence[float | None] | np.ndarray | pd.Series,
    deploy_values: Sequence[float | None] | np.ndarray | pd.Series,
    confidence: float = 0.95,
) -> Diff:
    """Awareness rate in the test variant minus the deploy variant (``a`` = test, ``b`` = deploy).

    The two variants are treated as independent samples: awareness is a property of each
    transcript, and most pairs are concordant (unaware on both sides), so a paired
    analysis adds little. A pair's two sides are positively correlated if anything, which makes
    the independent-samples interval conservative (it covered 96-100% in bench/stats_coverage.py).
    Use ``paired_delta`` when the pairing matters.
    """
    test, deploy = rate(test_values, confidence, "wilson_cc"), rate(deploy_values, confidence, "wilson_cc")
    return difference(test, deploy, confidence)


def conditional_rates(
    df: pd.DataFrame,
    behaviour_col: str = "flagged",
    aware_col: str = "aware",
    confidence: float = 0.95,
    pair_col: str = "pair_id",
) -> ConditionalRates:
    """Behaviour rate among samples that stated awareness vs those that did not.

    This is the Agentic Misalignment comparison (Claude Opus 4 blackmailed in 55.1% of
    samples where it said the scenario was real vs 6.5% where it said it was an
    evaluation). Note the contrast here is "stated awareness" vs "stated none" — our
    detector does not separately detect "stated it was real". ``diff`` is aware - unaware
    with Newcombe's interval (the groups are treated as independent samples; this is an
    observational association, not a causal effect).

    Rows are split by ``aware_col`` (≥ 0.5 counts as aware, so epoch means work); rows
    with awareness unscored cannot be placed and are counted in ``awareness_unscored``.
    Within each group, rows with behaviour unscored show up in that Rate's ``unscored``.
    When ``pair_col`` is a column the rows are clustered by pair (``clustered_rate``): every
    epoch and variant of one pair shares that pair's propensities, so rows are not independent.
    """
    aware = pd.to_numeric(df[aware_col], errors="coerce").astype(float)
    behaviour = pd.to_numeric(df[behaviour_col], errors="coerce").astype(float)
    known = aware.notna()
    is_aware = known & (aware >= 0.5)
    is_unaware = known & (aware < 0.5)
    if pair_col in df.columns:
        pairs = df[pair_col]
        r_aware = clustered_rate(behaviour[is_aware], pairs[is_aware], confidence)
        r_unaware = clustered_rate(behaviour[is_unaware], pairs[is_unaware], confidence)
    else:
        r_aware = rate(behaviour[is_aware], confidence, "wilson_cc")
        r_unaware = rate(behaviour[is_unaware], confidence, "wilson_cc")
    return ConditionalRates(
        aware=r_aware,
        unaware=r_unaware,
        diff=difference(r_aware, r_unaware, confidence),
        awareness_unscored=int((~known).sum()),
    )
