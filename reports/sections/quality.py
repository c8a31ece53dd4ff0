"""Data quality: every errored and unscored sample is counted and named, never dropped."""

from __future__ import annotations

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, esc, section, table

MAX_LISTED = 200


def render(data: ReportData) -> str:
    # Every probe's rows, counted per model and probe (``ReportData.probe_counts``).
    s = data.all_samples
    if s.empty:
        return section("quality", "Data quality", "<p>No samples were read.</p>")
    parts = []
    columns = [
        ("rows", "rows"),
        ("scored", "scored"),
        ("partly_scored", "partly scored"),
        ("unscored", "unscored"),
        ("errors", "errored"),
        ("awareness_unscored", "awareness unscored"),
        ("behaviour_unscored", "behaviour unscored"),
        ("direct_unscored", "P(evaluation) unscored"),
    ]
    parts.append(
        table(
            ["model", "probe", *(label for _, label in columns)],
            [
                [r["model"], r["probe"], *(int(r[c]) for c, _ in columns)]
                for _, r in data.probe_counts.iterrows()
            ],
            numeric_from=2,
        )
    )
    reasons = []
    scores = (
        ("awareness", "awareness_reason"),
        ("behaviour", "behaviour_reason"),
        ("direct probe", "direct_reason"),
    )
    for label, col in scores:
        sub = s[s[col] != ""]
        for (model, reason), g in sub.groupby(["model", col], sort=True):
            examples = ", ".join(
                f"{sid}#{ep}" for sid, ep in zip(g["sample_id"].head(5), g["epoch"].head(5), strict=True)
            )
            reasons.append([model, label, reason, len(g), examples + (" …" if len(g) > 5 else "")])
    if reasons:
        parts.append("<h3>Unscored, by reason</h3>")
        parts.append(
            table(["model", "score", "reason", "rows", "examples (sample#epoch)"], reasons, numeric_from=3)
        )
    errors = s[s["status"] == "error"]
    if not errors.empty:
        parts.append("<h3>Errored samples</h3>")
        shown = errors.head(MAX_LISTED)
        parts.append(
            table(
                ["model", "sample", "epoch", "error"],
                [[r.model, r.sample_id, int(r.epoch), str(r.error)[:300]] for r in shown.itertuples()],
                numeric_from=2,
            )
        )
        if len(errors) > MAX_LISTED:
            parts.append(f"<p>{esc(f'… and {len(errors) - MAX_LISTED} more; all are in samples.csv.')}</p>")
    return section(
        "quality",
        "Data quality",
        Safe("".join(parts)),
        intro="Errored samples and unscored scores are left out of rates "
        "(they are unknown, not 0) and counted here.",
    )
