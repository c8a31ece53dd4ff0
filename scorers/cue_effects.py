"""Cue-ablation statistics: each cue kind's effect on awareness and behaviour, pooled over
pairs, as a function on a tidy frame (for reports) and as an Inspect metric (for the task)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from evalaware.scorers import stats
from inspect_ai.scorer import Metric, SampleScore, Value, metric, value_to_float

__all__ = ["cue_effect", "kind_effects"]


def kind_effects(
    frame: pd.DataFrame,
    value_col: str,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Effect of each cue kind on ``value_col`` (0/1 or epoch means), pooled over pairs.

    ``frame`` has one row per sample with ``pair_id``, ``value_col``, ``kinds`` (the kinds
    the pair declares) and ``cues_on`` (the kinds at their test value in that sample).

    For each kind, only pairs that declare it are used (a pair without the cue says nothing
    about it), and the cue columns are the kinds every one of those pairs declares, so the
    least-squares estimate adjusts for the other cues that vary in those pairs. Both
    designs put each factor on in exactly half of a pair's cells, which makes pair
    baselines orthogonal to the cue columns: one intercept suffices. Intervals are
    ``stats.cue_effects`` bootstraps over pairs.

    Columns: ``kind``, ``effect`` (adjusted, = the factorial main effect on a full
    factorial), ``lo``, ``hi``, ``marginal`` (on-minus-off), ``marginal_lo``,
    ``marginal_hi``, ``n_pairs``, ``n_on``, ``n_off``, ``unscored``.
    """
    columns = [
        "kind", "effect", "lo", "hi", "marginal", "marginal_lo", "marginal_hi",
        "n_pairs", "n_on", "n_off", "unscored",
    ]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=columns)
    kinds_of = frame.groupby("pair_id")["kinds"].first().map(lambda ks: frozenset(ks))
    all_kinds = sorted(set().union(*kinds_of.tolist()))
    rows: list[dict[str, Any]] = []
    for kind in all_kinds:
        pair_ids = [p for p, ks in kinds_of.items() if kind in ks]
        common = sorted(frozenset.intersection(*(kinds_of[p] for p in pair_ids)))
        sub = frame[frame["pair_id"].isin(pair_ids)]
        data = pd.DataFrame(
            {
                "pair_id": sub["pair_id"].to_numpy(),
                "value": pd.to_numeric(sub[value_col], errors="coerce").to_numpy(dtype=float),
                **{c: [1.0 if c in on else 0.0 for on in sub["cues_on"]] for c in common},
            }
        )
        # The kind's own column first, so its row is easy to pick out.
        cols = [kind, *[c for c in common if c != kind]]
        eff = stats.cue_effects(data, cols, "value", seed=seed, n_boot=n_boot, confidence=confidence)
        row = eff[eff["cue"] == kind].iloc[0]
        rows.append(
            {
                "kind": kind,
                "effect": row["ols"],
                "lo": row["ols_lo"],
                "hi": row["ols_hi"],
                "marginal": row["effect"],
                "marginal_lo": row["lo"],
                "marginal_hi": row["hi"],
                "n_pairs": len(pair_ids),
                "n_on": int(row["n_on"]),
                "n_off": int(row["n_off"]),
                "unscored": int(row["unscored"]),
            }
        )
    return pd.DataFrame(rows, columns=columns)


_to_float = value_to_float()


@metric
def cue_effect(seed: int = 0, n_boot: int = 1000) -> Metric:
    """Per cue kind, its effect on this value under ablation (``kind_effects``).

    Returns ``{"<kind>": effect, "<kind>_lo": .., "<kind>_hi": ..}``; kinds whose effect is
    not estimable (never varied among scored samples) are left out, never NaN.
    """

    def compute(scores: list[SampleScore]) -> Value:
        rows = []
        for s in scores:
            meta = s.sample_metadata or {}
            if "pair_id" not in meta:
                continue
            rows.append(
                {
                    "pair_id": str(meta["pair_id"]),
                    "kinds": sorted(set((meta.get("cue_kinds") or {}).values())),
                    "cues_on": list(meta.get("cues_on") or []),
                    "value": _to_float(s.score.value),
                }
            )
        effects = kind_effects(pd.DataFrame(rows), "value", seed=seed, n_boot=n_boot)
        out: dict[str, float] = {}
        for r in effects.itertuples():
            if not math.isnan(r.effect):
                out[str(r.kind)] = float(r.effect)
                if not (math.isnan(r.lo) or math.isnan(r.hi)):
                    out[f"{r.kind}_lo"], out[f"{r.kind}_hi"] = float(r.lo), float(r.hi)
        return out

    return compute
