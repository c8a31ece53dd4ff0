"""Direct-probe statistics: AUC, Brier score, calibration curve and expected calibration error."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from evalaware.scorers._stats_common import NAN as _NAN
from evalaware.scorers._stats_common import as_float_array as _as_float_array
from evalaware.scorers._stats_rates import wilson_interval

# A probability lying exactly on a bin edge (0.3 with 10 bins) must land in the upper bin,
# but 0.57 * 100 == 56.99999999999999 in floating point; a tiny nudge absorbs that.
_EDGE_EPS = 1e-9


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
