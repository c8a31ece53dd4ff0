"""Report section for cue ablation: which cue gives the test away, for this model?

``ablation_frame`` (the tidy table's cue_ablation rows, never the logs), ``effects_table``
(rows → ``evalaware.scorers.cue_effects.kind_effects`` per model and outcome), ``render_ablation``
(rows → HTML with a forest chart), and ``render`` for the report's ``(ReportData) -> str``
section interface.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from evalaware.reports.data import ABLATION_TASK, ReportData, probe_rows
from evalaware.reports.markup import Safe, esc, fmt_delta, section, table
from evalaware.reports.svg import Interval, interval_chart
from evalaware.scorers.cue_effects import kind_effects

__all__ = ["ABLATION_COLUMNS", "ablation_frame", "effects_table", "render", "render_ablation"]

TASK = ABLATION_TASK
OUTCOMES = {
    "aware": "verbalized awareness",
    "spontaneous": "spontaneous awareness",
    "flagged": "flagged behaviour",
}
ABLATION_COLUMNS = ["model", "pair_id", "variant", "epoch", "kinds", "cues_on", *OUTCOMES]


def _kinds(cell: Any) -> list[str]:
    return [k for k in str(cell or "").split(",") if k]


def ablation_frame(samples: pd.DataFrame) -> pd.DataFrame:
    """One row per sample and epoch with the pair's cue kinds and those switched on.

    ``pair_id`` is the tidy table's version-aware ``pair_key``: cells of two scenario versions
    are never pooled as one pair. Unscored outcomes stay NaN.
    """
    rows = probe_rows(samples, TASK)
    return pd.DataFrame(
        {
            "model": rows["model"],
            "pair_id": rows["pair_key"],
            "variant": rows["variant"],
            "epoch": rows["epoch"],
            "kinds": [sorted(set(_kinds(k))) for k in rows["cue_kinds"]],
            "cues_on": [_kinds(k) for k in rows["cues_on"]],
            **{outcome: rows[outcome].astype(float) for outcome in OUTCOMES},
        },
        columns=ABLATION_COLUMNS,
    )


def effects_table(frame: pd.DataFrame, seed: int = 0, n_boot: int = 2000) -> pd.DataFrame:
    """``kind_effects`` per model and outcome, stacked: columns ``model``, ``outcome`` + its columns."""
    parts = []
    for model, g in frame.groupby("model", sort=True):
        for outcome in OUTCOMES:
            eff = kind_effects(g, outcome, seed=seed, n_boot=n_boot)
            parts.append(eff.assign(model=model, outcome=outcome))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    return out[["model", "outcome", *[c for c in out.columns if c not in ("model", "outcome")]]]


def _giveaway(effects: pd.DataFrame, model: str) -> str:
    aware = effects[(effects["model"] == model) & (effects["outcome"] == "aware")].dropna(subset=["effect"])
    if aware.empty:
        return f"{model}: no cue effect on awareness could be estimated."
    top = aware.sort_values("effect", ascending=False).iloc[0]
    sure = not math.isnan(top["lo"]) and top["lo"] > 0
    verdict = "the clearest giveaway" if sure else "the largest point estimate (its interval includes zero)"
    return (
        f"{model}: {top['kind']} is {verdict}, {fmt_delta(top['effect'], top['lo'], top['hi'])} on awareness."
    )


def render_ablation(frame: pd.DataFrame, seed: int = 0, n_boot: int = 2000) -> str:
    if frame.empty:
        return ""
    effects = effects_table(frame, seed=seed, n_boot=n_boot)
    if effects.empty:
        return ""
    models = sorted(effects["model"].unique())
    answer = "".join(f"<li>{esc(_giveaway(effects, m))}</li>" for m in models)
    charts = []
    for outcome in ("aware", "flagged"):
        pts = [
            Interval(
                str(r.kind),
                str(r.model),
                r.effect,
                r.lo,
                r.hi,
                f"{r.n_pairs} pairs, on {r.n_on} / off {r.n_off}",
            )
            for r in effects[effects["outcome"] == outcome].itertuples()
        ]
        if pts:
            charts.append(
                interval_chart(
                    pts,
                    title=f"Effect of switching each cue kind to its test value on {OUTCOMES[outcome]} "
                    "(95% bootstrap)",
                    x_min=-1.0,
                    x_max=1.0,
                    zero_line=True,
                )
            )
    wide = effects.pivot_table(
        index=["model", "kind"], columns="outcome", values=["effect", "lo", "hi"], aggfunc="first"
    )
    rows = []
    for (model, kind), r in wide.iterrows():
        cells: list[Any] = [model, kind]
        for outcome in OUTCOMES:
            cells.append(
                fmt_delta(r.get(("effect", outcome)), r.get(("lo", outcome)), r.get(("hi", outcome)))
            )
        rows.append(cells)
    n_pairs = effects.groupby(["model", "kind"])["n_pairs"].max()
    rows = [[*row, int(n_pairs.get((row[0], row[1]), 0))] for row in rows]
    body = (
        f"<p><strong>Which cue gives the test away?</strong></p><ul>{answer}</ul>"
        + "".join(f"<figure>{c}</figure>" for c in charts)
        + table(["model", "cue kind", *OUTCOMES.values(), "pairs"], rows, numeric_from=2)
    )
    return section(
        "cue-ablation",
        "Cue ablation: which cue gives the test away?",
        Safe(body),
        intro="Each templated pair ran with subsets of its cue kinds at their test values (a full factorial "
        "up to six kinds, else one cue on from the deploy end and one off from the test end). An effect is "
        "the change in the rate when the cue kind is switched on, adjusted for the other cues (least "
        "squares), pooled over the pairs that have that cue; intervals resample pairs.",
    )


def render(data: ReportData) -> str:
    """``(ReportData) -> str`` for the report's SECTIONS list."""
    return render_ablation(ablation_frame(data.all_samples), seed=data.seed, n_boot=data.n_boot)
