"""Overview: what was read, and everything a reader must know before trusting the numbers."""

from __future__ import annotations

from pathlib import Path

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, esc, fmt_count, section, table


def render(data: ReportData) -> str:
    # Every probe's rows: a run of the direct probe alone is still 8 rows, not "0 model(s)".
    s = data.all_samples
    n_pairs = s["pair_key"].nunique() if not s.empty else 0
    by_probe = s.groupby("probe", sort=True).size() if not s.empty else {}
    split = ", ".join(f"{probe} {n:,}" for probe, n in by_probe.items())
    lead = (
        f"{len(data.models)} model(s), {n_pairs} scenario pair(s), {len(s):,} sample-epoch rows"
        + (f" ({split})" if split else "")
        + f" from {int((~data.runs['superseded']).sum())} log(s)."
    )
    parts = [f"<p>{esc(lead)}</p>"]
    if data.issues:
        items = "".join(
            f'<li class="issue {esc(i.level)}"><strong>{esc(i.level)}</strong>: {esc(i.text)}</li>'
            for i in data.issues
        )
        parts.append(f'<ul class="issues">{items}</ul>')
    else:
        parts.append(
            '<p class="ok">No partial runs, errors, unscored samples or mixed scenario versions.</p>'
        )
    rows = []
    for _, r in data.runs.sort_values(["model", "created"]).iterrows():
        status = (
            r["status"]
            + (" (partial)" if r["partial"] else "")
            + (" · superseded" if r["superseded"] else "")
        )
        cls = "bad" if r["partial"] else ""
        rows.append(
            [
                r["model"],
                r["task"],
                Safe(f'<span class="{cls}">{esc(status)}</span>'),
                str(r["created"])[:19].replace("T", " "),
                fmt_count(r["samples_read"]),
                fmt_count(r["total_samples"]),
                fmt_count(r["epochs"]),
                r["scenario_versions"] or "–",
                Path(str(r["log"])).name,
            ]
        )
    parts.append(
        table(
            [
                "model",
                "task",
                "status",
                "started",
                "rows read",
                "samples planned",
                "epochs",
                "scenario versions",
                "log",
            ],
            rows,
            cls="runs",
            numeric_from=4,
        )
    )
    return section("overview", "Overview", "".join(parts))
