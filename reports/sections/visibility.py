"""Reasoning visibility: per model, how much of the reasoning could be read, and awareness measured
separately in the reasoning and in the answer.

Awareness in reasoning is a rate over the samples whose reasoning was readable (in full or through
the provider's summary). Where a reasoning block was hidden (redacted or encrypted without a
summary) or reasoning tokens were billed with no reasoning text, awareness in reasoning is
*unmeasurable*: counted apart and never as 0; a model with no readable reasoning at all shows
"unmeasurable" instead of a rate. The section is left out when no model reasoned.
"""

from __future__ import annotations

import pandas as pd
from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, esc, fmt_count, fmt_rate, section, table
from evalaware.scorers.stats import wilson_interval

__all__ = ["HEADERS", "INTRO", "hidden_notes", "render", "visibility_rows"]

INTRO = (
    "Per model, over paired-probe sample-epochs with an awareness score. Visibility is the worst of a "
    "sample's reasoning blocks: full, summarised (read through the provider's summary, so awareness there "
    "is a lower bound), redacted (redacted or encrypted with nothing readable), absent (no reasoning "
    "returned). Awareness in reasoning is over samples whose reasoning could be read; where it was hidden, "
    "or reasoning tokens were billed with no reasoning text, it is unmeasurable, never 0. Awareness in the "
    "answer is over every scored sample. Rates with 95% Wilson intervals."
)

HEADERS = [
    "model",
    "samples",
    "full",
    "summarised",
    "redacted",
    "absent",
    "reasoning tokens, no text",
    "aware in reasoning",
    "reasoning unmeasurable",
    "aware in answer",
]


def _rate(values: pd.Series) -> str:
    v = pd.to_numeric(values, errors="coerce").dropna()
    k, n = int(v.sum()), len(v)
    lo, hi = wilson_interval(k, n)
    return fmt_rate(k / n if n else float("nan"), lo, hi, n)


def _reasoned(rows: pd.DataFrame) -> bool:
    return bool(((rows["visibility"] != "absent") & (rows["visibility"] != "")).any()) or bool(
        (rows["reasoning_state"] == "unmeasurable").any()
    )


def _by_model(data: ReportData) -> list[tuple[str, pd.DataFrame]]:
    s = data.samples
    if s.empty or "visibility" not in s or not _reasoned(s):
        return []
    return [(str(model), g[g["visibility"] != ""]) for model, g in s.groupby("model", sort=True)]


def _hidden(g: pd.DataFrame) -> int:
    tokens = pd.to_numeric(g["reasoning_tokens"], errors="coerce").fillna(0)
    return int(((tokens > 0) & g["visibility"].isin(["redacted", "absent"])).sum())


def visibility_rows(data: ReportData) -> list[list[object]]:
    """The table's cells as text, shared by the HTML and Markdown reports; [] when no model reasoned."""
    out: list[list[object]] = []
    for model, g in _by_model(data):
        counts = g["visibility"].value_counts()
        scored = g[g["status"] != "error"]
        unmeasurable = int((scored["reasoning_state"] == "unmeasurable").sum())
        readable = scored[scored["reasoning_state"] == "measured"]
        if readable.empty:
            in_reasoning = f"unmeasurable ({unmeasurable})" if unmeasurable else "– (no reasoning)"
        else:
            in_reasoning = _rate(readable["aware_reasoning"])
        out.append(
            [
                model,
                fmt_count(len(g)),
                *(fmt_count(int(counts.get(k, 0))) for k in ("full", "summarised", "redacted", "absent")),
                fmt_count(_hidden(g)),
                in_reasoning,
                fmt_count(unmeasurable),
                _rate(scored["aware_output"]),
            ]
        )
    return out


def hidden_notes(data: ReportData) -> list[str]:
    """One sentence per model whose provider billed reasoning tokens but returned no reasoning text."""
    notes = []
    for model, g in _by_model(data):
        if hidden := _hidden(g):
            notes.append(
                f"{model}: {hidden} sample(s) used reasoning tokens but returned no reasoning text; "
                "awareness in their reasoning is unmeasurable, not 0."
            )
    return notes


def render(data: ReportData) -> str:
    rows = visibility_rows(data)
    if not rows:
        return ""
    notes = "".join(f"<p>{esc(n)}</p>" for n in hidden_notes(data))
    return section(
        "visibility",
        "Reasoning visibility",
        Safe(table(HEADERS, rows, numeric_from=1) + notes),
        intro=INTRO,
    )
