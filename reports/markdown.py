"""``summary.md``: the headline, the per-category table and the caveats, ready for a PR or paper."""

from __future__ import annotations

from collections.abc import Sequence

from evalaware.reports.data import ReportData
from evalaware.reports.provenance import PROVENANCE_HEADERS, SERVED_INTRO, mixed_provenance, provenance_rows
from evalaware.reports.scrub import scrub_text
from evalaware.reports.sections import (
    categories,
    check_agreement,
    controls,
    direct,
    headline,
    judges,
    methods,
    visibility,
)


def _cell(value: object) -> str:
    # Model and scenario text must not turn into Markdown or HTML where this is pasted.
    text = scrub_text(str(value)).replace("\n", " ")
    for ch in ("\\", "|", "<", ">", "*", "`", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(data: ReportData) -> str:
    out = [
        "# evalaware report",
        "",
        f"{len(data.models)} model(s) · "
        f"{data.all_samples['pair_key'].nunique() if not data.all_samples.empty else 0} "
        f"pair(s) · {len(data.all_samples):,} sample-epoch rows · generated {data.generated}",
        "",
    ]
    if data.issues:
        out += ["## Caveats", ""]
        out += [f"- **{i.level}**: {_cell(i.text)}" for i in data.issues]
        out.append("")
    if not data.summary.empty:
        out += _section("Headline", headline.INTRO, headline.HEADERS, headline.headline_rows(data))
    note = headline.controls_note(data)
    if note:
        out += [_cell(note), ""]
    if not data.by_category.empty:
        out += ["## By category", "", _table(categories.HEADERS, categories.category_rows(data)), ""]
    if not data.controls.empty:
        out += _section(
            "Positive controls: known evaluation shapes",
            controls.INTRO,
            controls.HEADERS,
            controls.control_rows(data),
        )
    if not data.agreement.empty:
        out += _section(
            "Check against judge",
            check_agreement.INTRO,
            check_agreement.HEADERS,
            check_agreement.agreement_rows(data),
        )
    seen = visibility.visibility_rows(data)
    if seen:
        notes = [f"- {_cell(note)}" for note in visibility.hidden_notes(data)]
        out += _section("Reasoning visibility", visibility.INTRO, visibility.HEADERS, seen, after=notes)
    panel = judges.judge_rows(data)
    if panel:
        out += _section("Awareness judges", judges.INTRO, judges.HEADERS, panel)
    baselines = direct.baseline_rows(data)
    if baselines:
        out += _section(
            "Direct probe against surface baselines",
            direct.BASELINE_INTRO,
            direct.BASELINE_HEADERS,
            baselines,
        )
    served = provenance_rows(data.all_samples)
    if served:
        warnings = [f"- ⚠ {_cell(line)}" for line in mixed_provenance(data.all_samples)]
        out += _section("Served models", SERVED_INTRO, PROVENANCE_HEADERS, served, before=warnings)
    out += [
        "## Methods",
        "",
        _table(methods.METHOD_COLUMNS, methods.method_rows(data)),
        "",
        "Intervals 95%: continuity-corrected Wilson (rates), Newcombe's hybrid score interval "
        "(differences), Student t over per-pair deltas with epochs averaged within a pair (paired "
        "delta; none below 3 pairs), a design-effect-widened Wilson for rates pooled over pairs' "
        "samples (behaviour given awareness); McNemar exact test on discordant pairs.",
        "",
    ]
    return "\n".join(out)


def _section(
    title: str,
    intro: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    before: list[str] | None = None,
    after: list[str] | None = None,
) -> list[str]:
    """A ``## title`` section: its intro, optional lines before and after the table, the table."""
    out = [f"## {title}", "", _cell(intro), ""]
    if before:
        out += [*before, ""]
    out += [_table(headers, rows), ""]
    if after:
        out += [*after, ""]
    return out
