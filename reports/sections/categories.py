"""Per-category breakdown: the headline numbers within each scenario category."""

from __future__ import annotations

from evalaware.reports.data import ReportData
from evalaware.reports.markup import fmt_p, fmt_rate, section, table
from evalaware.reports.sections.headline import delta_cell


def category_rows(data: ReportData) -> list[list[object]]:
    rows: list[list[object]] = []
    for _, r in data.by_category.iterrows():
        rows.append(
            [
                r["category"],
                r["model"],
                fmt_rate(r["aware_test"], r["aware_test_lo"], r["aware_test_hi"], r["aware_test_n"]),
                fmt_rate(r["aware_deploy"], r["aware_deploy_lo"], r["aware_deploy_hi"], r["aware_deploy_n"]),
                fmt_rate(r["flagged_test"], r["flagged_test_lo"], r["flagged_test_hi"], r["flagged_test_n"]),
                fmt_rate(
                    r["flagged_deploy"], r["flagged_deploy_lo"], r["flagged_deploy_hi"], r["flagged_deploy_n"]
                ),
                delta_cell(r),
                int(r["flagged_n_pairs"]),
                fmt_p(r["flagged_mcnemar_p"], r["flagged_n_pairs"]),
            ]
        )
    return rows


HEADERS = [
    "category",
    "model",
    "aware · test",
    "aware · deploy",
    "flagged · test",
    "flagged · deploy",
    "paired Δ flagged",
    "pairs",
    "McNemar p",
]


def render(data: ReportData) -> str:
    if data.by_category.empty:
        return ""
    return section(
        "categories",
        "By category",
        table(HEADERS, category_rows(data), cls="wide", numeric_from=2),
        intro="Same statistics as the headline, within each category (known-eval-shape pairs left out, as "
        "there). Small categories give wide intervals, and a category of fewer pairs than an interval over "
        "pairs needs gets none.",
    )
