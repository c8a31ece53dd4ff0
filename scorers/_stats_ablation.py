"""Cue ablation: the main effect of each binary cue, marginal and adjusted (least squares)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from evalaware.scorers._stats_common import NAN as _NAN


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
