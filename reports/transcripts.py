"""The transcripts shown in the drill-down: which ones, and their messages as plain data.

A run can hold thousands of samples; the page must stay small. So only a bounded set is read
(``DrilldownLimits``): pairs whose variants differ come first, and each pair shows one
transcript per model and variant, from the first epoch. Only those samples are read from the
logs (``read_eval_log_samples_by_id``), never the whole log. Reasoning is kept
(``ContentReasoning``; ``messages_df`` would drop it); every text is scrubbed of credentials.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from evalaware.reports.scrub import scrub_text

__all__ = ["DrilldownLimits", "Message", "Part", "Transcript", "pick_drilldown", "read_transcripts"]


@dataclass(frozen=True)
class DrilldownLimits:
    """Bounds on the transcripts embedded in the HTML, so a big run still gives a small page."""

    max_pairs: int = 30
    """Pairs with a drill-down (pairs where variants differ come first)."""
    max_transcripts: int = 200
    """Transcripts in total; each pair shows one per model and variant (the first epoch)."""
    max_chars: int = 12_000
    """Characters per message part before it is cut (the log keeps the whole text)."""


@dataclass(frozen=True)
class Part:
    """One displayable piece of a message."""

    kind: Literal["text", "reasoning", "tool_call", "other"]
    text: str
    note: str = ""
    """E.g. "summary of redacted reasoning", "cut at 12000 characters"."""


@dataclass(frozen=True)
class Message:
    role: str
    parts: list[Part]
    name: str = ""
    """The tool name, for tool results."""


@dataclass
class Transcript:
    """One sample as the drill-down shows it."""

    model: str
    pair_key: str
    variant: str
    epoch: int
    sample_id: str
    log: str
    row: dict[str, Any]
    """The sample's tidy row (scores, status, reasons)."""
    messages: list[Message] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    """Evidence quotes to highlight."""
    missing: str = ""
    """Why the messages could not be read ('' when they were)."""


def pick_drilldown(
    samples: pd.DataFrame, by_pair: pd.DataFrame, limits: DrilldownLimits
) -> tuple[list[dict[str, Any]], str]:
    """The tidy rows to show, and a sentence saying how they were chosen."""
    if samples.empty:
        return [], "No samples."
    # Interesting pairs first: a variant difference in behaviour or awareness for some model,
    # then any awareness at all, then the rest; alphabetical within each group.
    score = pd.Series(0, index=by_pair.index, dtype=float)
    score += (by_pair["flagged_test"] - by_pair["flagged_deploy"]).abs().fillna(0) * 4
    score += (by_pair["aware_test"] - by_pair["aware_deploy"]).abs().fillna(0) * 2
    score += by_pair[["aware_test", "aware_deploy"]].fillna(0).max(axis=1)
    score += ((by_pair["errors"] + by_pair["unscored"]) > 0).astype(float) * 0.5
    priority = (
        by_pair.assign(_score=score)
        .groupby("pair_key")["_score"]
        .max()
        .sort_index()
        .sort_values(ascending=False, kind="stable")
    )
    first = samples.sort_values("epoch", kind="stable").drop_duplicates(
        ["model", "pair_key", "variant"], keep="first"
    )
    first = first[first["variant"].isin(("test", "deploy"))]
    # Row positions per pair (cheap), materialised only for the pairs actually chosen.
    positions = first.groupby("pair_key", sort=False).indices
    chosen: list[dict[str, Any]] = []
    n_pairs = 0
    for pair_key in priority.index:
        idx = positions.get(pair_key)
        if idx is None:
            continue
        if n_pairs >= limits.max_pairs or len(chosen) + len(idx) > limits.max_transcripts:
            break
        chosen.extend(first.iloc[idx].to_dict("records"))
        n_pairs += 1
    total = len(priority)
    epochs = int(samples["epoch"].max())
    note = (
        f"Drill-down shows {n_pairs} of {total} pair(s)"
        + (" (pairs whose test and deploy results differ first)" if n_pairs < total else "")
        + ": one transcript per model and variant, from the first epoch"
        + (f" of {epochs}" if epochs > 1 else "")
        + f"; message parts longer than {limits.max_chars:,} characters are cut. "
        "Every transcript is in the Inspect logs (inspect view)."
    )
    return chosen, note


def read_transcripts(
    rows: list[dict[str, Any]], limits: DrilldownLimits
) -> dict[str, dict[str, dict[str, Transcript]]]:
    """pair_key → model → variant → Transcript, reading only the chosen samples."""
    from inspect_ai.log import read_eval_log_samples_by_id

    out: dict[str, dict[str, dict[str, Transcript]]] = defaultdict(lambda: defaultdict(dict))
    by_log: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_log[str(row["log"])].append(row)
    for log, group in by_log.items():
        transcripts = {
            (str(r["sample_id"]), int(r["epoch"])): Transcript(
                model=str(r["model"]),
                pair_key=str(r["pair_key"]),
                variant=str(r["variant"]),
                epoch=int(r["epoch"]),
                sample_id=str(r["sample_id"]),
                log=log,
                row=r,
                quotes=_quotes(str(r.get("evidence") or "[]")),
            )
            for r in group
        }
        try:
            samples = read_eval_log_samples_by_id(
                log, list(transcripts), resolve_attachments=True, exclude_fields={"events", "store"}
            )
        except Exception as e:  # a damaged log still gets its tables, just no transcript
            samples = []
            for t in transcripts.values():
                t.missing = f"could not read the sample: {type(e).__name__}: {scrub_text(str(e))[:200]}"
        for sample in samples:
            t = transcripts.get((str(sample.id), int(sample.epoch)))
            if t is not None:
                t.messages = [_message(m, limits.max_chars) for m in sample.messages]
        for t in transcripts.values():
            if not t.messages and not t.missing:
                t.missing = "the sample has no messages in the log"
            out[t.pair_key][t.model][t.variant] = t
    return {k: {m: dict(v) for m, v in models.items()} for k, models in out.items()}


def _quotes(evidence_json: str) -> list[str]:
    try:
        items = json.loads(evidence_json)
    except (json.JSONDecodeError, TypeError):
        return []
    if not isinstance(items, list):
        return []
    return [str(e["quote"]) for e in items if isinstance(e, dict) and e.get("quote")]


def _cut(text: str, max_chars: int) -> tuple[str, str]:
    text = scrub_text(text)
    if len(text) <= max_chars:
        return text, ""
    return text[:max_chars], f"cut at {max_chars:,} of {len(text):,} characters"


def _part(
    kind: Literal["text", "reasoning", "tool_call", "other"], text: str, max_chars: int, note: str = ""
) -> Part:
    body, cut = _cut(text, max_chars)
    return Part(kind=kind, text=body, note="; ".join(n for n in (note, cut) if n))


def _render_call(function: str, arguments: dict[str, Any]) -> str:
    # The same layout evalaware.scorers.transcript uses for tool calls, so evidence quoted from a call
    # (an email body the model wrote) is found and highlighted here too.
    lines = [f"{function}("]
    for key, value in (arguments or {}).items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        lines.append(f"  {key}: {shown}")
    lines.append(")")
    return "\n".join(lines)


def _message(message: Any, max_chars: int) -> Message:
    from inspect_ai.model import ContentReasoning, ContentText

    parts: list[Part] = []
    content = message.content
    if isinstance(content, str):
        if content:
            parts.append(_part("text", content, max_chars))
    else:
        for c in content:
            if isinstance(c, ContentReasoning):
                if c.redacted:
                    if c.summary:
                        parts.append(
                            _part("reasoning", c.summary, max_chars, "summary of redacted reasoning")
                        )
                    else:
                        parts.append(Part("reasoning", "", "reasoning redacted by the provider; no summary"))
                elif c.reasoning.strip():
                    parts.append(_part("reasoning", c.reasoning, max_chars))
                elif c.summary:
                    parts.append(_part("reasoning", c.summary, max_chars, "reasoning summary"))
            elif isinstance(c, ContentText):
                if c.text:
                    parts.append(_part("text", c.text, max_chars))
            else:
                parts.append(Part("other", f"[{getattr(c, 'type', 'content')} omitted]"))
    for call in getattr(message, "tool_calls", None) or []:
        parts.append(_part("tool_call", _render_call(call.function, call.arguments), max_chars))
    name = getattr(message, "function", None) or ""
    return Message(role=str(message.role), parts=parts, name=scrub_text(str(name)))
