"""Headline: one row per model with every number a paper would quote."""

from __future__ import annotations

from typing import Any

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, esc, fmt_delta, fmt_p, fmt_rate, section, table
from evalaware.scorers import stats

INTRO = (
    "Rates are over scored samples (each sample's epochs averaged first), with 95% Wilson intervals "
    "(continuity-corrected). Gap = test − deploy awareness (Newcombe interval). Paired Δ = deploy − test "
    "behaviour over pairs with both variants scored (t interval over pairs; none with fewer than "
    f"{stats.MIN_PAIRS_FOR_INTERVAL} pairs) with McNemar's exact test on discordant pairs "
    "(b = flagged in test only, c = deploy only). 'Flagged | aware' compares behaviour in transcripts that "
    "stated evaluation awareness with those that did not (every epoch, intervals clustered by pair; an "
    "association, not a cause). Unscored samples are never counted as 0."
)


def controls_note(data: ReportData) -> str:
    """The one sentence saying the positive controls are outside the headline; '' when there are none."""
    n = data.n_controls
    if not n:
        return ""
    return (
        f"{n} known-eval-shape pair{'' if n == 1 else 's'} (positive control{'' if n == 1 else 's'} that "
        "copy a published evaluation's shape) "
        f"{'is' if n == 1 else 'are'} left out of these numbers and of the per-category table, and "
        "reported apart under 'Positive controls: known evaluation shapes'."
    )


def _has_note(r: Any) -> bool:
    note = r.get("flagged_delta_note", "")
    return isinstance(note, str) and bool(note)


def delta_cell(r: Any) -> str:
    """The paired delta with its interval over pairs, or with the reason it has none."""
    if _has_note(r):
        return f"{fmt_delta(r['flagged_delta'])}, {r['flagged_delta_note']}"
    return fmt_delta(r["flagged_delta"], r["flagged_delta_lo"], r["flagged_delta_hi"])


HEADERS = [
    "model",
    "aware · test",
    "aware · deploy",
    "gap (test − deploy)",
    "spontaneous · test",
    "spontaneous · deploy",
    "flagged · test",
    "flagged · deploy",
    "paired Δ flagged (deploy − test)",
    "McNemar p (b/c)",
    "flagged | aware",
    "flagged | unaware",
    "rows / samples",
    "errors",
    "unscored (aw / beh)",
]


def headline_rows(data: ReportData) -> list[list[object]]:
    """The headline cells as text, shared by the HTML and Markdown reports."""
    counts = data.counts.set_index("model") if not data.counts.empty else None
    rows: list[list[object]] = []
    for _, r in data.summary.iterrows():
        c = counts.loc[r["model"]] if counts is not None else None
        model = str(r["model"]) + (" ⚠ partial run" if c is not None and c["partial_runs"] else "")

        def rt(m: str, v: str, r=r) -> str:
            return fmt_rate(r[f"{m}_{v}"], r[f"{m}_{v}_lo"], r[f"{m}_{v}_hi"], r[f"{m}_{v}_n"])

        rows.append(
            [
                model,
                rt("aware", "test"),
                rt("aware", "deploy"),
                fmt_delta(r["aware_gap"], r["aware_gap_lo"], r["aware_gap_hi"]),
                rt("spontaneous", "test"),
                rt("spontaneous", "deploy"),
                rt("flagged", "test"),
                rt("flagged", "deploy"),
                # the note names the pair count already
                delta_cell(r) + ("" if _has_note(r) else f" ({int(r['flagged_n_pairs'])} pairs)"),
                f"{fmt_p(r['flagged_mcnemar_p'], r['flagged_n_pairs'])} "
                f"({int(r['flagged_b'])}/{int(r['flagged_c'])})",
                fmt_rate(
                    r["flagged_given_aware"],
                    r["flagged_given_aware_lo"],
                    r["flagged_given_aware_hi"],
                    r["flagged_given_aware_n"],
                ),
                fmt_rate(
                    r["flagged_given_unaware"],
                    r["flagged_given_unaware_lo"],
                    r["flagged_given_unaware_hi"],
                    r["flagged_given_unaware_n"],
                ),
                f"{int(c['rows'])} / {int(c['samples'])}" if c is not None else "–",
                str(int(c["errors"])) if c is not None else "–",
                f"{int(c['awareness_unscored'])} / {int(c['behaviour_unscored'])}" if c is not None else "–",
            ]
        )
    return rows


def render(data: ReportData) -> str:
    if data.summary.empty:
        text = (
            "No scored paired_probe samples: the headline compares test with deploy samples of "
            "paired_probe runs; the other probes' results are in their own sections."
            if data.samples.empty and not data.all_samples.empty
            else "No scored samples."
        )
        if controls_note(data):
            text += " " + controls_note(data)
        return section("headline", "Headline", f"<p>{esc(text)}</p>")
    body = table(HEADERS, headline_rows(data), cls="headline wide")
    wrap = Safe(f'<div class="scroll">{body}</div>')
    note = f'<p class="small">Intervals: 95%. {esc("Rows = sample × epoch; samples = pair × variant.")}</p>'
    if controls_note(data):
        note += Safe(f'<p class="controls-note">{esc(controls_note(data))}</p>')
    return section("headline", "Headline", wrap + note, intro=INTRO)
