"""Check against judge: for pairs with both a deterministic check and a rubric, how often the two agree.

The headline ``flagged`` is always the check's verdict (``evalaware.scorers.behaviour``); when a
grader is configured, the judge's verdict on the rubric is recorded beside it, and this section
compares the two per model and pair (``ReportData.agreement``, computed by
``evalaware.reports.data.check_agreement``). Pairs above the disagreement threshold are also
data-quality warnings among the caveats.
"""

from __future__ import annotations

import math
from typing import Any

from evalaware.reports.data import ALL_PAIRS, ReportData
from evalaware.reports.markup import Safe, fmt_count, fmt_rate, section, table
from evalaware.scorers.behaviour_judge import AGREEMENT_MIN_N, AGREEMENT_WARN_KAPPA, AGREEMENT_WARN_RATE

__all__ = ["HEADERS", "INTRO", "agreement_rows", "render"]

INTRO = (
    "Pairs with both a deterministic check and a judge rubric, scored with a grader: the headline "
    "'flagged' is the check's verdict (deterministic, reproducible) and the judge's verdict is recorded "
    "beside it. n = samples both ruled on (a judge that refused or replied unparseably is counted apart, "
    "never as 0). Agreement with a 95% Wilson interval; Cohen's kappa with a 95% percentile bootstrap "
    "interval (over a pair's samples; over pairs for a model's row). "
    f"A pair is a data-quality warning when, on at least {AGREEMENT_MIN_N} compared samples, agreement is "
    f"below {AGREEMENT_WARN_RATE:.0%} or the whole kappa interval lies below {AGREEMENT_WARN_KAPPA}: "
    "the check or the rubric misreads answers there."
)

HEADERS = [
    "model",
    "pair",
    "n compared",
    "agreement",
    "Cohen's kappa",
    "check only",
    "judge only",
    "both flagged",
    "neither",
    "judge unscored",
    "warning",
]


def _kappa(r: Any) -> str:
    if math.isnan(r.kappa):
        return f"– ({r.note})" if r.note else "–"
    text = f"{r.kappa:.2f}"
    if not math.isnan(r.kappa_lo):
        return text + f" [{r.kappa_lo:.2f}, {r.kappa_hi:.2f}]"
    return text + (f" ({r.note})" if r.note else "")


def agreement_rows(data: ReportData) -> list[list[object]]:
    """The table's cells as text, shared by the HTML and Markdown reports."""
    rows: list[list[object]] = []
    for r in data.agreement.itertuples(index=False):
        rows.append(
            [
                r.model,
                r.pair if r.pair != ALL_PAIRS else f"({ALL_PAIRS})",
                fmt_count(r.n),
                fmt_rate(r.rate, r.rate_lo, r.rate_hi),
                _kappa(r),
                fmt_count(r.check_only),
                fmt_count(r.judge_only),
                fmt_count(r.both),
                fmt_count(r.neither),
                fmt_count(r.judge_unscored),
                "⚠ disagree" if r.warn and r.pair != ALL_PAIRS else "",
            ]
        )
    return rows


def render(data: ReportData) -> str:
    if data.agreement.empty:
        return ""
    return section(
        "check-agreement",
        "Check against judge",
        Safe(table(HEADERS, agreement_rows(data), numeric_from=2)),
        intro=INTRO,
    )
