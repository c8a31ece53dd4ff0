"""Statistics over scored samples, as plain functions of numpy arrays and pandas frames.

These are the numbers the reports print and the Inspect metrics in ``evalaware.scorers.metrics``
attach to a run. Everything here follows the score contract (``evalaware.scorers.contract``): a
sample whose value is None or NaN is *unscored* and is left out of every rate, never
counted as 0. Each result carries ``n`` (scored) and ``unscored`` next to the estimate so
a reader can see how much was left out, and an estimate over nothing is NaN, never 0.

Only the standard library and numpy/pandas are used (no scipy): the normal quantile
comes from ``statistics.NormalDist`` and the binomial tail for McNemar's exact test is
summed with exact integers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any, TypedDict

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

__all__ = [
    "VARIANTS",
    "ConditionalRates",
    "Diff",
    "PairedDelta",
    "Rate",
    "auc",
    "awareness_gap",
    "brier",
    "calibration_curve",
    "conditional_rates",
    "cue_effects",
    "difference",
    "ece",
    "mcnemar_exact",
    "paired_delta",
    "rate",
    "summarise",
    "wilson_interval",
    "z_value",
]

#: The two variants of a scenario pair, in the order reports print them.
VARIANTS: tuple[str, str] = ("test", "deploy")

_NAN = float("nan")

# A probability lying exactly on a bin edge (0.3 with 10 bins) must land in the upper bin,
# but 0.57 * 100 == 56.99999999999999 in floating point; a tiny nudge absorbs that.
_EDGE_EPS = 1e-9


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rate(_Frozen):
    """A proportion over scored samples with its Wilson score interval."""

    k: float
    """Sum of the scored values (the count of 1s when every value is 0/1)."""
    n: int
    """Number of scored samples."""
    unscored: int
    """Number of samples left out because they were unscored (None / NaN)."""
    rate: float
    """k / n; NaN when n == 0 (an empty rate is unknown, not zero)."""
    lo: float
    """Lower bound of the Wilson score interval; NaN when n == 0."""
    hi: float
    """Upper bound of the Wilson score interval; NaN when n == 0."""


class Diff(_Frozen):
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


class PairedDelta(_Frozen):
    """Within-pair behaviour change, deploy - test, over pairs with both variants scored."""

    delta: float
    """Mean over pairs of (deploy value - test value); NaN when no pair has both sides scored."""
    lo: float
    """Lower percentile-bootstrap bound (pairs resampled with replacement)."""
    hi: float
    """Upper percentile-bootstrap bound."""
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


class ConditionalRates(TypedDict):
    """Behaviour rate given stated awareness vs given none, and their difference."""

    aware: Rate
    unaware: Rate
    diff: Diff
    awareness_unscored: int


# --------------------------------------------------------------------------- proportions


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal critical value (1.95996... for 0.95)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    # From the lower tail, as Inspect's ci_wilson does, so the two agree to the last bit
    # and confidences within an ulp of 1 don't round 1 - tail to exactly 1.0.
    return -NormalDist().inv_cdf((1.0 - confidence) / 2.0)


def wilson_interval(k: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k / n; (NaN, NaN) when n == 0.

    Fractional k (epoch means in [0, 1]) is accepted: the interval is then conservative
    because a [0, 1] variable's variance is at most p(1 - p).
    """
    if n <= 0:
        return (_NAN, _NAN)
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


def _as_float_array(values: Sequence[float | None] | np.ndarray | pd.Series) -> np.ndarray:
    # None, NaN and pandas' NA all mean "unscored"; map them to one NaN so one mask covers all.
    if isinstance(values, pd.Series):
        return pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def rate(values: Sequence[float | None] | np.ndarray | pd.Series, confidence: float = 0.95) -> Rate:
    """Proportion of scored values with a Wilson interval; None / NaN values are unscored."""
    arr = _as_float_array(values)
    scored = arr[~np.isnan(arr)]
    if np.any((scored < 0.0) | (scored > 1.0)):
        raise ValueError("rate() expects values in [0, 1]")
    n = int(scored.size)
    k = float(scored.sum())
    lo, hi = wilson_interval(k, n, confidence)
    return Rate(
        k=k,
        n=n,
        unscored=int(arr.size - n),
        rate=k / n if n else _NAN,
        lo=lo,
        hi=hi,
    )


def difference(a: Rate, b: Rate, confidence: float = 0.95) -> Diff:
    """a - b for independent proportions, with Newcombe's hybrid score (method 10) interval.

    Newcombe (1998) combines the two Wilson intervals; unlike the Wald interval it keeps
    good coverage near 0 and 1, which is where awareness rates live. The Wilson bounds of
    ``a`` and ``b`` are recomputed at ``confidence`` so the caller's Rates need not match.
    """
    if a.n == 0 or b.n == 0:
        return Diff(a=a, b=b, diff=_NAN, lo=_NAN, hi=_NAN)
    p1, p2 = a.k / a.n, b.k / b.n
    l1, u1 = wilson_interval(a.k, a.n, confidence)
    l2, u2 = wilson_interval(b.k, b.n, confidence)
    d = p1 - p2
    lo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Diff(a=a, b=b, diff=d, lo=lo, hi=hi)


def awareness_gap(
    test_values: Sequence[float | None] | np.ndarray | pd.Series,
    deploy_values: Sequence[float | None] | np.ndarray | pd.Series,
    confidence: float = 0.95,
) -> Diff:
    """Awareness rate in the test variant minus the deploy variant (``a`` = test, ``b`` = deploy).

    The two variants are treated as independent samples: awareness is a property of each
    transcript, and most pairs are concordant (unaware on both sides), so a paired
    analysis adds little. Use ``paired_delta`` when the pairing matters.
    """
    return difference(rate(test_values, confidence), rate(deploy_values, confidence), confidence)


# --------------------------------------------------------------------------- paired


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value: a binomial test of b vs c discordant pairs at p = 0.5.

    p = min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 0.5); 1.0 when b + c == 0.
    Summed with exact integers, so it is exact for any n (no scipy needed).
    """
    if b < 0 or c < 0:
        raise ValueError("discordant counts must be non-negative")
    n = int(b) + int(c)
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1))
    # int / int true division is correctly rounded even for huge 2**n.
    return min(1.0, 2 * tail / 2**n)


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
) -> PairedDelta:
    """Mean within-pair change deploy - test, with a pair bootstrap and McNemar's exact test.

    Rows whose variant is neither ``test`` nor ``deploy`` (ablation variants) are ignored.
    Repeated rows of one pair side (epochs, with or without an ``epoch`` column) are first
    averaged over their scored values, so each pair contributes one delta whatever its
    number of epochs; a pair enters only when both sides have at least one scored value.

    The interval is a seeded percentile bootstrap that resamples *pairs*, which keeps the
    test/deploy correlation inside a pair. McNemar's test needs one 0/1 outcome per side:
    with a single epoch the values are used as they are; with several epochs a side counts
    as flagged when its mean is ≥ 0.5 (flagged in at least half its epochs) — a coarsening
    that ``multi_epoch`` records.
    """
    table, n_dropped, n_unmatched, multi_epoch = _pair_table(df, value_col, pair_col, variant_col)
    n = len(table)
    if n == 0:
        return PairedDelta(
            delta=_NAN,
            lo=_NAN,
            hi=_NAN,
            mcnemar_p=1.0,
            n_pairs=0,
            b=0,
            c=0,
            n_discordant=0,
            n_dropped=n_dropped,
            n_unmatched=n_unmatched,
            test_rate=_NAN,
            deploy_rate=_NAN,
            multi_epoch=multi_epoch,
        )
    test = table["test"].to_numpy(dtype=float)
    deploy = table["deploy"].to_numpy(dtype=float)
    delta, lo, hi, p, b, c = delta_of_pairs(test, deploy, seed=seed, n_boot=n_boot, confidence=confidence)
    return PairedDelta(
        delta=delta,
        lo=lo,
        hi=hi,
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
    test: np.ndarray, deploy: np.ndarray, *, seed: int = 0, n_boot: int = 2000, confidence: float = 0.95
) -> tuple[float, float, float, float, int, int]:
    """``(delta, lo, hi, mcnemar_p, b, c)`` for aligned, complete pair values (one row per pair,
    in the order the bootstrap should see them): mean deploy - test, its seeded pair-bootstrap
    interval, and the exact McNemar test on values thresholded at 0.5."""
    deltas = deploy - test
    lo, hi = _bootstrap_mean_interval(deltas, seed=seed, n_boot=n_boot, confidence=confidence)
    test_bin, deploy_bin = test >= 0.5, deploy >= 0.5
    b = int(np.sum(test_bin & ~deploy_bin))
    c = int(np.sum(~test_bin & deploy_bin))
    return float(deltas.mean()), lo, hi, mcnemar_exact(b, c), b, c


def _bootstrap_mean_interval(
    values: np.ndarray, *, seed: int, n_boot: int, confidence: float
) -> tuple[float, float]:
    if values.size == 0:
        return (_NAN, _NAN)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, values.size, size=(n_boot, values.size))
    means = values[idx].mean(axis=1)
    alpha = 1.0 - confidence
    lo, hi = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(lo), float(hi))


# --------------------------------------------------------------------------- conditional


def conditional_rates(
    df: pd.DataFrame,
    behaviour_col: str = "flagged",
    aware_col: str = "aware",
    confidence: float = 0.95,
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
    """
    aware = pd.to_numeric(df[aware_col], errors="coerce").astype(float)
    behaviour = pd.to_numeric(df[behaviour_col], errors="coerce").astype(float)
    known = aware.notna()
    is_aware = known & (aware >= 0.5)
    is_unaware = known & (aware < 0.5)
    r_aware = rate(behaviour[is_aware], confidence)
    r_unaware = rate(behaviour[is_unaware], confidence)
    return ConditionalRates(
        aware=r_aware,
        unaware=r_unaware,
        diff=difference(r_aware, r_unaware, confidence),
        awareness_unscored=int((~known).sum()),
    )


# --------------------------------------------------------------------------- direct probes


def _clean_pairs(labels: Any, probs: Any) -> tuple[np.ndarray, np.ndarray]:
    y = _as_float_array(labels)
    p = _as_float_array(probs)
    if y.shape != p.shape:
        raise ValueError(f"labels and probs differ in length: {y.size} vs {p.size}")
    keep = ~(np.isnan(y) | np.isnan(p))
    y, p = y[keep], p[keep]
    if np.any((y != 0.0) & (y != 1.0)):
        raise ValueError("labels must be 0/1")
    return y, p


def auc(labels: Any, probs: Any) -> float:
    """ROC AUC as the Mann-Whitney statistic: P(score of a positive > score of a negative).

    Ties between a positive and a negative count 1/2 (average ranks). NaN when either
    class is empty. Pairs where the label or the probability is unscored are skipped.
    """
    y, p = _clean_pairs(labels, probs)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return _NAN
    ranks = pd.Series(p).rank(method="average").to_numpy()
    u = ranks[y == 1.0].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def brier(labels: Any, probs: Any) -> float:
    """Mean squared error of the probabilities against 0/1 labels; NaN when nothing is scored."""
    y, p = _clean_pairs(labels, probs)
    if y.size == 0:
        return _NAN
    return float(np.mean((p - y) ** 2))


def _bin_index(p: np.ndarray, n_bins: int) -> np.ndarray:
    if n_bins < 1:
        raise ValueError("n_bins must be >= 1")
    if np.any((p < 0.0) | (p > 1.0)):
        raise ValueError("probabilities must be in [0, 1]")
    # Equal-width bins [i/n, (i+1)/n); 1.0 joins the last bin.
    return np.clip(np.floor(p * n_bins + _EDGE_EPS).astype(int), 0, n_bins - 1)


def calibration_curve(labels: Any, probs: Any, n_bins: int = 10) -> pd.DataFrame:
    """Reliability table over equal-width probability bins.

    Columns: ``bin`` (0-based), ``bin_lo``, ``bin_hi`` (edges), ``n``, ``mean_prob``,
    ``frequency`` (fraction of positives), ``frequency_lo`` / ``frequency_hi`` (Wilson).
    Every bin gets a row; an empty bin has n = 0 and NaN means, so plots keep their axis.
    """
    y, p = _clean_pairs(labels, probs)
    idx = _bin_index(p, n_bins)
    rows = []
    for i in range(n_bins):
        mask = idx == i
        n = int(mask.sum())
        k = float(y[mask].sum())
        lo, hi = wilson_interval(k, n)
        rows.append(
            {
                "bin": i,
                "bin_lo": i / n_bins,
                "bin_hi": (i + 1) / n_bins,
                "n": n,
                "mean_prob": float(p[mask].mean()) if n else _NAN,
                "frequency": k / n if n else _NAN,
                "frequency_lo": lo,
                "frequency_hi": hi,
            }
        )
    return pd.DataFrame(rows)


def ece(labels: Any, probs: Any, n_bins: int = 10) -> float:
    """Expected calibration error: Σ_bins (n_bin / N) · |mean prob - frequency|.

    Equal-width bins as in ``calibration_curve``; NaN when nothing is scored.
    """
    curve = calibration_curve(labels, probs, n_bins)
    total = int(curve["n"].sum())
    if total == 0:
        return _NAN
    used = curve[curve["n"] > 0]
    return float((used["n"] / total * (used["mean_prob"] - used["frequency"]).abs()).sum())


# --------------------------------------------------------------------------- cue ablation


def _main_effects(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    on = x == 1.0
    out = np.full(x.shape[1], _NAN)
    for j in range(x.shape[1]):
        if on[:, j].any() and (~on[:, j]).any():
            out[j] = y[on[:, j]].mean() - y[~on[:, j]].mean()
    return out


def _ols(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones(len(y)), x])
    # A resample where a cue never varies has no estimable effect; lstsq would silently
    # return the minimum-norm solution, so report NaN instead.
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return np.full(x.shape[1], _NAN)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coef[1:]


def cue_effects(
    df: pd.DataFrame,
    cue_cols: list[str],
    value_col: str,
    seed: int = 0,
    n_boot: int = 2000,
    pair_col: str = "pair_id",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Main effect of each binary cue on ``value_col`` in an ablation run.

    Each row is a sample; each cue column is 1 when that cue was in its test state.
    Two estimates per cue:

    - ``effect`` = mean(value | cue on) - mean(value | cue off): the marginal main effect,
      which on a balanced full factorial equals the factorial main effect;
    - ``ols`` = the cue's coefficient in a linear-probability model value ~ 1 + all cues
      (least squares), which adjusts for the other cues when the design is unbalanced.

    Intervals are seeded percentile bootstraps that resample whole pairs (clusters) when
    ``pair_col`` is a column, since samples of one pair share a scenario; otherwise rows.
    Unscored rows (NaN value) are dropped first and counted in ``unscored``.

    Columns: ``cue``, ``effect``, ``lo``, ``hi``, ``ols``, ``ols_lo``, ``ols_hi``,
    ``n_on``, ``n_off``, ``unscored``.
    """
    if not cue_cols:
        raise ValueError("cue_cols is empty")
    values = pd.to_numeric(df[value_col], errors="coerce").astype(float)
    keep = values.notna().to_numpy()
    unscored = int((~keep).sum())
    x = df.loc[keep, cue_cols].astype(float).to_numpy()
    if np.any((x != 0.0) & (x != 1.0)):
        raise ValueError("cue columns must be 0/1")
    y = values[keep].to_numpy()

    effect = _main_effects(x, y)
    ols = _ols(x, y) if len(y) else np.full(len(cue_cols), _NAN)

    clusters = pd.factorize(df.loc[keep, pair_col])[0] if pair_col in df.columns else np.arange(len(y))
    n_clusters = int(clusters.max()) + 1 if len(y) else 0
    members = [np.flatnonzero(clusters == g) for g in range(n_clusters)]

    rng = np.random.default_rng(seed)
    boot_eff = np.full((n_boot, len(cue_cols)), _NAN)
    boot_ols = np.full((n_boot, len(cue_cols)), _NAN)
    if n_clusters:
        for i in range(n_boot):
            picked = rng.integers(0, n_clusters, size=n_clusters)
            rows = np.concatenate([members[g] for g in picked])
            boot_eff[i] = _main_effects(x[rows], y[rows])
            boot_ols[i] = _ols(x[rows], y[rows])
    alpha = 1.0 - confidence
    qs = [alpha / 2.0, 1.0 - alpha / 2.0]

    def interval(col: np.ndarray) -> tuple[float, float]:
        finite = col[~np.isnan(col)]
        if finite.size == 0:
            return (_NAN, _NAN)
        lo, hi = np.quantile(finite, qs)
        return (float(lo), float(hi))

    out = []
    for j, cue in enumerate(cue_cols):
        lo, hi = interval(boot_eff[:, j])
        ols_lo, ols_hi = interval(boot_ols[:, j])
        out.append(
            {
                "cue": cue,
                "effect": float(effect[j]),
                "lo": lo,
                "hi": hi,
                "ols": float(ols[j]),
                "ols_lo": ols_lo,
                "ols_hi": ols_hi,
                "n_on": int((x[:, j] == 1.0).sum()),
                "n_off": int((x[:, j] == 0.0).sum()),
                "unscored": unscored,
            }
        )
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- summary

_SUMMARY_VALUES: tuple[str, ...] = ("aware", "spontaneous", "flagged")


def _epoch_means(group: pd.DataFrame) -> pd.DataFrame:
    """One row per (pair, variant) sample: the mean of its scored epochs (NaN if none)."""
    if "epoch" not in group.columns:
        return group
    values = group[["pair_id", "variant", *_SUMMARY_VALUES]].copy()
    for col in _SUMMARY_VALUES:
        values[col] = pd.to_numeric(values[col], errors="coerce").astype(float)
    # mean() skips NaN, and gives NaN when every epoch of a sample was unscored.
    return values.groupby(["pair_id", "variant"], sort=True, dropna=False).mean().reset_index()


def summarise(df: pd.DataFrame, seed: int = 0, n_boot: int = 2000, confidence: float = 0.95) -> pd.DataFrame:
    """One row per model with every headline number, for the reports to format.

    Input: a tidy frame, one row per sample (and epoch), with columns ``model``,
    ``variant`` (``test`` / ``deploy``; other variants such as ablations are ignored for
    the per-variant columns), ``pair_id``, ``aware``, ``spontaneous``, ``flagged``
    (0/1, NaN = unscored), optionally ``epoch``. A missing value column (e.g. no behaviour
    scorer ran) gives NaN columns rather than an error.

    Output columns, for ``m`` in aware / spontaneous / flagged and ``v`` in test / deploy:

    - ``m_v``, ``m_v_lo``, ``m_v_hi`` — rate with its Wilson interval. With an ``epoch``
      column each sample's epochs are first averaged (over its scored epochs), so n counts
      samples, not samples x epochs — epochs of one sample are not independent draws, and
      this matches what Inspect's metrics see after their per-sample epoch reduction;
    - ``m_v_n``, ``m_v_unscored`` — scored and unscored sample counts;
    - ``aware_gap``, ``aware_gap_lo``, ``aware_gap_hi`` and the same for ``spontaneous_gap``
      — test - deploy rate, Newcombe interval;
    - ``flagged_delta``, ``flagged_delta_lo``, ``flagged_delta_hi`` — paired behaviour delta
      deploy - test (bootstrap over pairs); ``flagged_mcnemar_p``; ``flagged_n_pairs``,
      ``flagged_b`` (test-only flagged), ``flagged_c`` (deploy-only flagged),
      ``flagged_pairs_dropped`` (a side unscored or missing);
    - ``flagged_given_aware`` / ``_lo`` / ``_hi`` / ``_n`` and ``flagged_given_unaware`` /
      ``_lo`` / ``_hi`` / ``_n`` — behaviour rate given stated awareness vs none, over all
      rows of every variant and every epoch (awareness and behaviour are read from the
      same transcript, so an epoch is the unit; ablation rows count too);
      ``flagged_aware_diff`` / ``_lo`` / ``_hi`` — their difference (Newcombe).

    Rows are sorted by model; ``model`` is a column, not the index.
    """
    frame = df.copy()
    for col in _SUMMARY_VALUES:
        if col not in frame.columns:
            frame[col] = _NAN
    out: list[dict[str, Any]] = []
    for model, group in frame.groupby("model", sort=True):
        row: dict[str, Any] = {"model": model}
        per_sample = _epoch_means(group)
        by_variant = {v: per_sample[per_sample["variant"] == v] for v in VARIANTS}
        for m in _SUMMARY_VALUES:
            rates = {v: rate(by_variant[v][m], confidence) for v in VARIANTS}
            for v, r in rates.items():
                row[f"{m}_{v}"] = r.rate
                row[f"{m}_{v}_lo"] = r.lo
                row[f"{m}_{v}_hi"] = r.hi
                row[f"{m}_{v}_n"] = r.n
                row[f"{m}_{v}_unscored"] = r.unscored
            if m != "flagged":
                gap = difference(rates["test"], rates["deploy"], confidence)
                row[f"{m}_gap"], row[f"{m}_gap_lo"], row[f"{m}_gap_hi"] = gap.diff, gap.lo, gap.hi

        pd_ = paired_delta(group, "flagged", seed=seed, n_boot=n_boot, confidence=confidence)
        row.update(
            flagged_delta=pd_.delta,
            flagged_delta_lo=pd_.lo,
            flagged_delta_hi=pd_.hi,
            flagged_mcnemar_p=pd_.mcnemar_p,
            flagged_n_pairs=pd_.n_pairs,
            flagged_b=pd_.b,
            flagged_c=pd_.c,
            flagged_pairs_dropped=pd_.n_dropped + pd_.n_unmatched,
        )

        cond = conditional_rates(group, confidence=confidence)
        for label in ("aware", "unaware"):
            r = cond[label]  # type: ignore[literal-required]
            row[f"flagged_given_{label}"] = r.rate
            row[f"flagged_given_{label}_lo"] = r.lo
            row[f"flagged_given_{label}_hi"] = r.hi
            row[f"flagged_given_{label}_n"] = r.n
        row["flagged_aware_diff"] = cond["diff"].diff
        row["flagged_aware_diff_lo"] = cond["diff"].lo
        row["flagged_aware_diff_hi"] = cond["diff"].hi
        out.append(row)
    return pd.DataFrame(out)
