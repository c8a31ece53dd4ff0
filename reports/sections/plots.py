"""Plots: awareness by model and variant, a forest plot of paired deltas, awareness kinds."""

from __future__ import annotations

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, section
from evalaware.reports.svg import Bar, Interval, bar_chart, interval_chart
from evalaware.scorers.stats import VARIANTS


def render(data: ReportData) -> str:
    if data.summary.empty:
        return ""
    s = data.summary
    awareness = [
        Interval(
            str(r["model"]),
            v,
            r[f"aware_{v}"],
            r[f"aware_{v}_lo"],
            r[f"aware_{v}_hi"],
            f"n={int(r[f'aware_{v}_n'])}",
        )
        for _, r in s.iterrows()
        for v in VARIANTS
    ]
    deltas = [
        Interval(
            str(r["model"]),
            "paired Δ flagged",
            r["flagged_delta"],
            r["flagged_delta_lo"],
            r["flagged_delta_hi"],
            f"{int(r['flagged_n_pairs'])} pairs",
        )
        for _, r in s.iterrows()
    ]
    figures = [
        interval_chart(awareness, title="Verbalized awareness by model and variant (95% Wilson)"),
        interval_chart(
            deltas,
            title="Behaviour change deploy − test, per model (95% t interval over pairs)",
            x_min=-1.0,
            x_max=1.0,
            zero_line=True,
        ),
    ]
    if not data.kinds.empty and data.kinds["aware"].sum() > 0:
        bars = [
            Bar(str(r["kind"]), str(r["model"]), r["share"], f"{int(r['n'])} of {int(r['aware'])} aware rows")
            for _, r in data.kinds.iterrows()
        ]
        figures.append(
            bar_chart(bars, title="Awareness kinds: share of aware sample-epochs expressing each kind")
        )
    body = "".join(f"<figure>{f}</figure>" for f in figures)
    return section(
        "plots",
        "Plots",
        Safe(body),
        intro="Hover a mark for its exact value. "
        "A forest-plot interval that excludes 0 suggests the cues change behaviour.",
    )
