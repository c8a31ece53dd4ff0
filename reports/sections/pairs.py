"""Per-pair table: every pair and model, with a link to its drill-down when it has one."""

from __future__ import annotations

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, anchor_id, esc, fmt_delta, fmt_rate, section, table


def render(data: ReportData) -> str:
    if data.by_pair.empty:
        return ""
    rows = []
    for _, r in data.by_pair.sort_values(["pair_key", "model"]).iterrows():
        key = str(r["pair_key"])
        name = (
            Safe(f'<a href="#{anchor_id("pair", key)}">{esc(key)}</a>')
            if key in data.transcripts
            else esc(key)
        )
        rows.append(
            [
                name,
                r["category"],
                r["model"],
                fmt_rate(r["aware_test"]),
                fmt_rate(r["aware_deploy"]),
                fmt_rate(r["flagged_test"]),
                fmt_rate(r["flagged_deploy"]),
                fmt_delta(r["flagged_delta"]),
                int(r["rows"]),
                int(r["errors"]),
                int(r["unscored"]),
            ]
        )
    body = table(
        [
            "pair",
            "category",
            "model",
            "aware · test",
            "aware · deploy",
            "flagged · test",
            "flagged · deploy",
            "Δ flagged",
            "rows",
            "errors",
            "unscored",
        ],
        rows,
        cls="pairs wide",
        numeric_from=3,
    )
    return section(
        "pairs",
        "By pair",
        Safe(f'<div class="scroll">{body}</div>'),
        intro="Rates are means over each sample's scored epochs. "
        "A linked pair has a side-by-side drill-down below.",
    )
