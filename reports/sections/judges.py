"""Awareness judges: per model, how far the judges agree with each other and with the lexical detector.

Reads the tidy table's ``awareness_judges`` (each judge's verdict, kept even when a panel split and
the sample is unscored) and ``lexical_aware``. Statistics come from ``evalaware.scorers.agreement``:
Cohen's kappa for every two raters, Fleiss' kappa for a panel of three or more, with the raw
confusion counts; a judge that gave no verdict is left out of that comparison, and the n compared
is shown. The panel's own rule is ``evalaware.scorers.awareness_judge.PANEL_RULE``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, fmt_count, fmt_rate, section, table
from evalaware.scorers.agreement import INTERVAL_METHOD, FleissAgreement, PairAgreement, rater_agreements
from evalaware.scorers.awareness_judge import PANEL_RULE

__all__ = ["HEADERS", "INTRO", "judge_rows", "render"]

LEXICAL = "lexical"

INTRO = (
    "Agreement on 'aware' between the awareness judges, and between each judge and the lexical detector, "
    "per model over paired-probe sample-epochs. Cohen's kappa for two raters, Fleiss' kappa for three or "
    f"more; interval: {INTERVAL_METHOD}. n = samples every rater compared gave a verdict on; a judge that "
    "refused or replied unparseably is left out of that comparison (excluded), never counted as 'not "
    f"aware'. Confusion: both aware / first only / second only / neither. The panel's rule: {PANEL_RULE}."
)

HEADERS = [
    "model",
    "raters",
    "n compared",
    "excluded",
    "agreement",
    "kappa [95%]",
    "both aware",
    "first only",
    "second only",
    "neither",
]


def _kappa(kappa: float, lo: float, hi: float, note: str) -> str:
    if math.isnan(kappa):
        return f"– ({note})" if note else "–"
    text = f"{kappa:.2f}"
    if not math.isnan(lo):
        return text + f" [{lo:.2f}, {hi:.2f}]"
    return text + (f" ({note})" if note else "")


def _parse(cell: Any) -> list[dict[str, Any]]:
    if not isinstance(cell, str) or not cell:
        return []
    try:
        items = json.loads(cell)
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict) and "role" in i] if isinstance(items, list) else []


def _label(role: str, models: dict[str, str]) -> str:
    return f"{role} ({models[role]})" if models.get(role) else role


def _verdicts(g: pd.DataFrame) -> tuple[list[str], dict[str, np.ndarray], dict[str, str]]:
    """Judge roles in panel order, rater → 0/1/NaN per row, and role → model."""
    parsed = [_parse(c) for c in g["awareness_judges"]]
    roles: list[str] = []
    models: dict[str, str] = {}
    for items in parsed:
        for item in items:
            if item["role"] not in roles:
                roles.append(str(item["role"]))
            models.setdefault(str(item["role"]), str(item.get("model") or ""))
    verdicts = {r: np.full(len(g), np.nan) for r in roles}
    for i, items in enumerate(parsed):
        for item in items:
            if item.get("aware") is not None:
                verdicts[str(item["role"])][i] = float(item["aware"])
    verdicts[LEXICAL] = pd.to_numeric(g["lexical_aware"], errors="coerce").to_numpy(dtype=float)
    return roles, verdicts, models


def _pair_row(model: str, r: PairAgreement, models: dict[str, str]) -> list[object]:
    return [
        model,
        f"{_label(r.a, models)} vs {_label(r.b, models)}",
        fmt_count(r.n),
        fmt_count(r.excluded),
        fmt_rate(r.rate),
        _kappa(r.kappa, r.kappa_lo, r.kappa_hi, r.note),
        fmt_count(r.both),
        fmt_count(r.a_only),
        fmt_count(r.b_only),
        fmt_count(r.neither),
    ]


def _fleiss_row(model: str, r: FleissAgreement) -> list[object]:
    votes = ", ".join(f"{k} aware: {n}" for k, n in enumerate(r.votes))
    return [
        model,
        f"all {len(r.raters)} judges (Fleiss)",
        fmt_count(r.n),
        fmt_count(r.excluded),
        f"samples by judges saying aware: {votes}",
        _kappa(r.kappa, r.kappa_lo, r.kappa_hi, r.note),
        "",
        "",
        "",
        "",
    ]


def judge_rows(data: ReportData) -> list[list[object]]:
    """The table's cells, shared by the HTML and Markdown reports; [] when no sample had a judge."""
    s = data.samples
    if s.empty or "awareness_judges" not in s or not (s["awareness_judges"] != "").any():
        return []
    rows: list[list[object]] = []
    for model, g in s.groupby("model", sort=True):
        g = g[g["awareness_judges"] != ""]
        if g.empty:
            continue
        roles, verdicts, models = _verdicts(g)
        pairs, multi = rater_agreements(verdicts, roles, LEXICAL, seed=data.seed, n_boot=data.n_boot)
        rows.extend(_pair_row(str(model), r, models) for r in pairs)
        if multi is not None:
            rows.append(_fleiss_row(str(model), multi))
    return rows


def render(data: ReportData) -> str:
    rows = judge_rows(data)
    if not rows:
        return ""
    return section("judges", "Awareness judges", Safe(table(HEADERS, rows, numeric_from=2)), intro=INTRO)
