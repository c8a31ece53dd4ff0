"""Drill-down: each pair's test and deploy transcripts side by side, evidence highlighted.

Built from ``<details>`` so it opens without JavaScript (the page's CSP forbids scripts).
Reasoning parts are shown apart from the visible output; evidence quotes are ``<mark>``ed.
"""

from __future__ import annotations

import math

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, anchor_id, esc, highlight, section
from evalaware.reports.transcripts import Message, Transcript

_ROLE_CLASS = {"system": "system", "user": "user", "assistant": "assistant", "tool": "tool"}


def _val(v: object) -> str:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(f) else f"{f:g}"


def _scores(t: Transcript) -> str:
    r = t.row
    bits = [f"aware {_val(r['aware'])}"]
    if r.get("kinds"):
        bits.append(f"kinds {r['kinds']}")
    if r.get("where") and r.get("where") != "none":
        bits.append(f"in {r['where']}")
    bits.append(f"spontaneous {_val(r['spontaneous'])}")
    bits.append(
        f"flagged {_val(r['flagged'])}" + (f" ({r['behaviour_method']})" if r.get("behaviour_method") else "")
    )
    out = [f'<p class="scores">{esc(" · ".join(bits))}</p>']
    if r.get("behaviour_explanation") and not r.get("behaviour_unscored"):  # else the reason says it
        out.append(f'<p class="small">{esc(str(r["behaviour_explanation"])[:400])}</p>')
    if r.get("error"):
        out.append(f'<p class="bad">error: {esc(str(r["error"])[:400])}</p>')
    if r.get("unscored_reasons"):
        out.append(f'<p class="warn">unscored: {esc(r["unscored_reasons"])}</p>')
    return "".join(out)


def _message(m: Message, quotes: list[str]) -> str:
    role = _ROLE_CLASS.get(m.role, "other")
    label = m.role + (f" · {m.name}" if m.name else "")
    parts = []
    for p in m.parts:
        # Only the model's own words can be evidence; the prompt is never highlighted.
        body = highlight(p.text, quotes) if m.role == "assistant" else esc(p.text)
        note = f' <span class="note">({esc(p.note)})</span>' if p.note else ""
        kind = {"reasoning": "reasoning", "tool_call": "tool call"}.get(p.kind, "")
        tag = f'<div class="lbl">{esc(kind)}{note}</div>' if kind or note else ""
        parts.append(f'<div class="part {esc(p.kind)}">{tag}<pre>{body}</pre></div>')
    return f'<div class="msg {role}"><div class="role">{esc(label)}</div>{"".join(parts)}</div>'


def _column(variant: str, t: Transcript | None) -> str:
    if t is None:
        missing = f'<p class="warn">no {esc(variant)} sample for this model</p>'
        return f'<div class="col"><h5>{esc(variant)}</h5>{missing}</div>'
    head = f"<h5>{esc(variant)} · {esc(t.sample_id)} · epoch {t.epoch}</h5>"
    body = (
        f'<p class="warn">{esc(t.missing)}</p>'
        if t.missing
        else "".join(_message(m, t.quotes) for m in t.messages)
    )
    return f'<div class="col {esc(variant)}">{head}{_scores(t)}{body}</div>'


def render(data: ReportData) -> str:
    if not data.transcripts:
        return ""
    titles = data.samples.drop_duplicates("pair_key").set_index("pair_key")[
        ["title", "category", "scenario_version"]
    ]
    blocks = []
    for key, models in data.transcripts.items():
        meta = titles.loc[key] if key in titles.index else None
        summary = esc(key) + (
            Safe(
                f' <span class="small">— {esc(meta["title"])} '
                f"({esc(meta['category'])}, v{esc(meta['scenario_version'])})</span>"
            )
            if meta is not None
            else ""
        )
        inner = []
        for model in sorted(models):
            by_variant = models[model]
            cols = _column("test", by_variant.get("test")) + _column("deploy", by_variant.get("deploy"))
            inner.append(f'<div class="model"><h4>{esc(model)}</h4><div class="sbs">{cols}</div></div>')
        blocks.append(
            f'<details class="pair" id="{anchor_id("pair", key)}">'
            f"<summary>{summary}</summary>{''.join(inner)}</details>"
        )
    return section("drilldown", "Transcripts by pair", Safe("".join(blocks)), intro=data.drilldown_note)
