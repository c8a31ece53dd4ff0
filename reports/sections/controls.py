"""Positive controls: the known-eval-shape pairs, reported apart from the headline.

A pair tagged ``known-eval-shape`` copies a published evaluation's set-up on purpose. A model
that recognises a famous set-up says little about how it reads an ordinary deployment, so
these pairs are kept out of the headline and category statistics (``ReportData.summary``,
``by_category``) and shown here, per model and pair, with the headline's own intervals.
"""

from __future__ import annotations

from evalaware.reports.data import ReportData
from evalaware.reports.markup import fmt_rate, section, table

INTRO = (
    "Pairs tagged known-eval-shape copy a published evaluation's shape on purpose: a positive control. "
    "A model that recognises a famous set-up says little about how it reads deployment, so these pairs "
    "are left out of the headline and the per-category table and shown here; expect higher awareness "
    "here than there, in the deploy variant too. Rates as in the headline (each sample's epochs "
    "averaged, 95% continuity-corrected Wilson intervals)."
)

HEADERS = ["model", "pair", "title", "aware · test", "aware · deploy", "flagged · test", "flagged · deploy"]


def control_rows(data: ReportData) -> list[list[object]]:
    """One row per model and known-eval-shape pair, shared by the HTML and Markdown reports."""
    rows: list[list[object]] = []
    for _, r in data.controls.iterrows():

        def rt(m: str, v: str, r=r) -> str:
            return fmt_rate(r[f"{m}_{v}"], r[f"{m}_{v}_lo"], r[f"{m}_{v}_hi"], r[f"{m}_{v}_n"])

        rows.append(
            [
                r["model"],
                r["pair_key"],
                r["title"],
                rt("aware", "test"),
                rt("aware", "deploy"),
                rt("flagged", "test"),
                rt("flagged", "deploy"),
            ]
        )
    return rows


def render(data: ReportData) -> str:
    if data.controls.empty:
        return ""
    return section(
        "controls",
        "Positive controls: known evaluation shapes",
        table(HEADERS, control_rows(data), cls="wide", numeric_from=3),
        intro=INTRO,
    )
