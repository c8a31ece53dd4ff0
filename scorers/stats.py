"""Statistics over scored samples, as plain functions of numpy arrays and pandas frames.

These are the numbers the reports print and the Inspect metrics in ``evalaware.scorers.metrics``
attach to a run. Everything here follows the score contract (``evalaware.scorers.contract``): a
sample whose value is None or NaN is *unscored* and is left out of every rate, never
counted as 0. Each result carries ``n`` (scored) and ``unscored`` next to the estimate so
a reader can see how much was left out, and an estimate over nothing is NaN, never 0.

This module is the public face; the methods live by topic in private modules, re-exported here:
``_stats_rates`` (rates, differences, behaviour given awareness), ``_stats_paired`` (the paired
delta and McNemar), ``_stats_probe`` (AUC, Brier, calibration), ``_stats_ablation`` (cue effects),
``_stats_distributions`` (normal and t quantiles). Each interval method was chosen by its coverage
in ``bench/stats_coverage.py``; the modules' docstrings give the figures.

Only the standard library and numpy/pandas are used (no scipy): the normal quantile comes from
``statistics.NormalDist``, Student's t from an incomplete beta function, and the binomial tail
for McNemar's exact test is summed with exact integers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from evalaware.scorers._stats_ablation import cue_effects
from evalaware.scorers._stats_common import NAN as _NAN
from evalaware.scorers._stats_common import VARIANTS
from evalaware.scorers._stats_distributions import t_value, z_value
from evalaware.scorers._stats_paired import (
    PairedDelta,
    PairedInterval,
    delta_of_pairs,
    mcnemar_exact,
    paired_delta,
    percentile_bootstrap,
    t_interval_over_pairs,
    too_few_pairs_note,
)
from evalaware.scorers._stats_probe import auc, brier, calibration_curve, ece
from evalaware.scorers._stats_rates import (
    MIN_PAIRS_FOR_INTERVAL,
    ConditionalRates,
    Diff,
    Rate,
    RateInterval,
    awareness_gap,
    clustered_rate,
    conditional_rates,
    difference,
    rate,
    wilson_cc_interval,
    wilson_interval,
)

__all__ = [
    "MIN_PAIRS_FOR_INTERVAL",
    "VARIANTS",
    "ConditionalRates",
    "Diff",
    "PairedDelta",
    "PairedInterval",
    "Rate",
    "RateInterval",
    "auc",
    "awareness_gap",
    "brier",
    "calibration_curve",
    "clustered_rate",
    "conditional_rates",
    "cue_effects",
    "delta_of_pairs",
    "difference",
    "ece",
    "mcnemar_exact",
    "paired_delta",
    "percentile_bootstrap",
    "rate",
    "summarise",
    "t_interval_over_pairs",
    "t_value",
    "too_few_pairs_note",
    "wilson_cc_interval",
    "wilson_interval",
    "z_value",
]

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


def summarise(
    df: pd.DataFrame,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
    paired_interval: PairedInterval = "t",
) -> pd.DataFrame:
    """One row per model with every headline number, for the reports to format.

    Input: a tidy frame, one row per sample (and epoch), with columns ``model``,
    ``variant`` (``test`` / ``deploy``; other variants such as ablations are ignored for
    the per-variant columns), ``pair_id``, ``aware``, ``spontaneous``, ``flagged``
    (0/1, NaN = unscored), optionally ``epoch``. A missing value column (e.g. no behaviour
    scorer ran) gives NaN columns rather than an error.

    Output columns, for ``m`` in aware / spontaneous / flagged and ``v`` in test / deploy:

    - ``m_v``, ``m_v_lo``, ``m_v_hi`` — rate with its continuity-corrected Wilson interval
      (``wilson_cc_interval``). With an ``epoch``
      column each sample's epochs are first averaged (over its scored epochs), so n counts
      samples, not samples x epochs — epochs of one sample are not independent draws, and
      this matches what Inspect's metrics see after their per-sample epoch reduction;
    - ``m_v_n``, ``m_v_unscored`` — scored and unscored sample counts;
    - ``aware_gap``, ``aware_gap_lo``, ``aware_gap_hi`` and the same for ``spontaneous_gap``
      — test - deploy rate, Newcombe's hybrid score interval (from the corrected limits);
    - ``flagged_delta``, ``flagged_delta_lo``, ``flagged_delta_hi`` — paired behaviour delta
      deploy - test, t interval over pairs (``t_interval_over_pairs``; NaN bounds with fewer
      than ``MIN_PAIRS_FOR_INTERVAL`` pairs, and then ``flagged_delta_note`` says why, else "");
      ``flagged_mcnemar_p``; ``flagged_n_pairs``,
      ``flagged_b`` (test-only flagged), ``flagged_c`` (deploy-only flagged),
      ``flagged_pairs_dropped`` (a side unscored or missing);
    - ``flagged_given_aware`` / ``_lo`` / ``_hi`` / ``_n`` and ``flagged_given_unaware`` /
      ``_lo`` / ``_hi`` / ``_n`` — behaviour rate given stated awareness vs none, over all
      rows of every variant and every epoch (awareness and behaviour are read from the
      same transcript, so an epoch is the unit; ablation rows count too), with intervals
      clustered by pair (``clustered_rate``: a pair's rows are not independent);
      ``flagged_aware_diff`` / ``_lo`` / ``_hi`` — their difference (Newcombe).

    ``seed`` and ``n_boot`` only matter for ``paired_interval="percentile"`` (the old method, kept
    for the coverage study). Rows are sorted by model; ``model`` is a column, not the index.
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
            rates = {v: rate(by_variant[v][m], confidence, "wilson_cc") for v in VARIANTS}
            for v, r in rates.items():
                row[f"{m}_{v}"] = r.rate
                row[f"{m}_{v}_lo"] = r.lo
                row[f"{m}_{v}_hi"] = r.hi
                row[f"{m}_{v}_n"] = r.n
                row[f"{m}_{v}_unscored"] = r.unscored
            if m != "flagged":
                gap = difference(rates["test"], rates["deploy"], confidence)
                row[f"{m}_gap"], row[f"{m}_gap_lo"], row[f"{m}_gap_hi"] = gap.diff, gap.lo, gap.hi

        pd_ = paired_delta(
            group, "flagged", seed=seed, n_boot=n_boot, confidence=confidence, interval=paired_interval
        )
        row.update(
            flagged_delta=pd_.delta,
            flagged_delta_lo=pd_.lo,
            flagged_delta_hi=pd_.hi,
            flagged_delta_note=pd_.note,
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
