"""Report section for awareness injection: behaviour per prefill arm and the change vs no prefill.

``injection_frame`` (the tidy table's awareness_injection rows), ``intervention_table`` (rows → ``arm_table``
per model and outcome), ``render_injection`` (rows → HTML) and ``render`` for the report's
``(ReportData) -> str`` section interface.
"""

from __future__ import annotations

import math

import pandas as pd
from evalaware.reports.data import INJECTION_TASK, ReportData, probe_rows
from evalaware.reports.markup import Safe, fmt_count, fmt_delta, fmt_p, fmt_rate, section, table
from evalaware.scorers.injection_effects import ARMS, arm_table

__all__ = ["INJECTION_COLUMNS", "injection_frame", "intervention_table", "render", "render_injection"]

TASK = INJECTION_TASK
OUTCOMES = {"flagged": "flagged behaviour", "spontaneous": "spontaneous awareness"}
INJECTION_COLUMNS = ["model", "pair_id", "variant", "arm", "epoch", "flagged", "aware", "spontaneous"]


def injection_frame(samples: pd.DataFrame) -> pd.DataFrame:
    """One row per sample and epoch with its arm; ``pair_id`` is the version-aware ``pair_key``."""
    rows = probe_rows(samples, TASK)
    rows = rows[rows["arm"] != ""]
    return pd.DataFrame(
        {
            "model": rows["model"],
            "pair_id": rows["pair_key"],
            "variant": rows["variant"],
            "arm": rows["arm"],
            "epoch": rows["epoch"],
            **{c: rows[c].astype(float) for c in ("flagged", "aware", "spontaneous")},
        },
        columns=INJECTION_COLUMNS,
    ).reset_index(drop=True)


def intervention_table(frame: pd.DataFrame, seed: int = 0, n_boot: int = 2000) -> pd.DataFrame:
    """``arm_table`` per model, variant (test, deploy, all) and outcome, stacked."""
    parts = []
    for model, g in frame.groupby("model", sort=True):
        for variant in ("all", "test", "deploy"):
            sub = g if variant == "all" else g[g["variant"] == variant]
            if sub.empty:
                continue
            for outcome in OUTCOMES:
                t = arm_table(sub, value_col=outcome, seed=seed, n_boot=n_boot)
                parts.append(t.assign(model=model, variant=variant, outcome=outcome))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    return out[
        ["model", "variant", "outcome", *[c for c in out.columns if c not in ("model", "variant", "outcome")]]
    ]


def render_injection(frame: pd.DataFrame, seed: int = 0, n_boot: int = 2000) -> str:
    if frame.empty:
        return ""
    t = intervention_table(frame, seed=seed, n_boot=n_boot)
    rows = [
        (
            r.model,
            r.variant,
            OUTCOMES[r.outcome],
            r.arm,
            fmt_rate(r.rate, r.lo, r.hi, r.n),
            "baseline" if r.arm == "none" else fmt_delta(r.diff, r.diff_lo, r.diff_hi),
            "" if r.arm == "none" else fmt_p(r.mcnemar_p, r.n_paired),
            ""
            if r.arm == "none" or (isinstance(r.n_paired, float) and math.isnan(r.n_paired))
            else fmt_count(r.n_paired),
        )
        for r in t.itertuples()
    ]
    headers = [
        "model",
        "variant",
        "outcome",
        "arm",
        "rate [95% Wilson]",
        "Δ vs none [95% t interval]",
        "McNemar p",
        "paired",
    ]
    arms = "; ".join(f"{name}: “{text}”" for name, text in ARMS.items() if text)
    return section(
        "injection",
        "Awareness injection: does saying “this is a test” change behaviour?",
        Safe(table(headers, rows, numeric_from=4)),
        intro="The model's turn was started (assistant prefill) with an awareness sentence, a neutral "
        f"control of the same length, or nothing, on the same samples ({arms}). The planted sentence is a "
        "stated cue, so awareness that only repeats it is not spontaneous. Reference: removing awareness "
        "from o3's reasoning raised covert actions 13.2% → 24.2% (OpenAI + Apollo, 2025). Only providers "
        "known to honour prefill are run.",
    )


def render(data: ReportData) -> str:
    """``(ReportData) -> str`` for the report's SECTIONS list."""
    return render_injection(injection_frame(data.all_samples), seed=data.seed, n_boot=data.n_boot)
