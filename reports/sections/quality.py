"""Data quality: every errored and unscored sample is counted and named, never dropped."""

from __future__ import annotations

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, esc, section, table

MAX_LISTED = 200


def render(data: ReportData) -> str:
    s = data.samples
    if s.empty:
        return section("quality", "Data quality", "<p>No samples were read.</p>")
    parts = []
    c = data.counts
    parts.append(
        table(
            [
                "model",
                "rows",
                "scored",
                "partly scored",
                "unscored",
                "errored",
                "awareness unscored",
                "behaviour unscored",
            ],
            [
                [
                    r["model"],
                    int(r["rows"]),
                    int((g["status"] == "scored").sum()),
                    int((g["status"] == "partly_scored").sum()),
                    int((g["status"] == "unscored").sum()),
                    int(r["errors"]),
                    int(r["awareness_unscored"]),
                    int(r["behaviour_unscored"]),
                ]
                for (_, r), (_, g) in zip(c.iterrows(), s.groupby("model", sort=True), strict=True)
            ],
        )
    )
    reasons = []
    for label, col in (("awareness", "awareness_reason"), ("behaviour", "behaviour_reason")):
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
