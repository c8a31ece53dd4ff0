"""Readable text segments of an Inspect transcript, for the awareness detectors.

Scorers must read the model's reasoning *and* its visible output of every assistant turn
(DESIGN.md, "Reading the model's reasoning"), and record where each quote came from. This
module is the single place that knows how Inspect stores those: ``ContentReasoning`` parts
(with ``summary`` standing in when the provider redacted the reasoning), ``ContentText`` parts
or plain-string content, and the arguments of tool calls, which are the model's own words
too (an email body it wrote, a shell command it chose).

The prompt side (system, user and tool messages) is kept separate: it is what the model was
*shown*, which the lexical detector needs to tell an echo of a stated cue from a spontaneous
remark.

Reasoning *visibility* (``reasoning_visibility``) is a second, stricter label than the
availability ``segments_from_messages`` returns: it decides whether awareness *in reasoning* can
be measured at all. Availability is the best a transcript offers (what the detector could read);
visibility is the worst (one hidden block is enough to make a "no awareness in reasoning"
verdict unknowable), together with the reasoning tokens the provider billed
(``target_reasoning_tokens``), which reveal reasoning that was never returned at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from inspect_ai.event import ModelEvent
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageTool,
    ChatMessageUser,
    ContentReasoning,
    ContentText,
)

__all__ = [
    "ReasoningAvailability",
    "Segment",
    "Visibility",
    "prompt_text",
    "reasoning_visibility",
    "segments_from_messages",
    "target_reasoning_tokens",
]

ReasoningAvailability = Literal["present", "summary", "redacted", "absent"]

Visibility = Literal["full", "summarised", "redacted", "absent"]
"""How much of a sample's reasoning we could read (see ``reasoning_visibility``)."""


@dataclass(frozen=True)
class Segment:
    """One contiguous piece of model-written text."""

    where: Literal["reasoning", "output"]
    """Reasoning (thinking blocks, summaries) or visible output (text, tool-call arguments)."""
    turn: int
    """Index among the assistant messages of the transcript (0 = first assistant turn)."""
    text: str
    """The text itself; evidence quotes are substrings of it."""


def segments_from_messages(
    messages: Sequence[ChatMessage],
) -> tuple[list[Segment], ReasoningAvailability]:
    """Every assistant-written segment, and what reasoning was available to read.

    The availability label is the best the transcript offers: ``present`` if any reasoning
    was readable in full, else ``summary`` if only provider summaries of redacted reasoning
    were, else ``redacted`` if reasoning existed but nothing of it was readable, else
    ``absent``.
    """
    segments: list[Segment] = []
    seen: set[str] = set()
    turn = -1
    for message in messages:
        if not isinstance(message, ChatMessageAssistant):
            continue
        turn += 1
        content = message.content
        if isinstance(content, str):
            _add(segments, "output", turn, content)
        else:
            for part in content:
                if isinstance(part, ContentReasoning):
                    label, text = _reasoning_text(part)
                    seen.add(label)
                    _add(segments, "reasoning", turn, text)
                elif isinstance(part, ContentText):
                    _add(segments, "output", turn, part.text)
        for call in message.tool_calls or []:
            _add(segments, "output", turn, _render_call(call.function, call.arguments))
    for label in ("present", "summary", "redacted"):
        if label in seen:
            return segments, label  # type: ignore[return-value]
    return segments, "absent"


def reasoning_visibility(messages: Sequence[ChatMessage]) -> Visibility:
    """The *worst* visibility of any reasoning block the model under test returned.

    ``full``: every reasoning block has readable text. ``summarised``: some block was readable
    only through the provider's summary (none hidden outright). ``redacted``: some block had no
    readable text at all (redacted or encrypted without a summary, or an empty block, e.g. a
    signature only). ``absent``: no reasoning block; whether the model reasoned anyway is told
    by ``target_reasoning_tokens``, not by this label.

    Worst, not best, because one hidden block is enough to leave awareness in reasoning
    unknowable: what we read may be exactly the part without it.
    """
    seen: set[str] = set()
    for message in messages:
        if not isinstance(message, ChatMessageAssistant) or isinstance(message.content, str):
            continue
        for part in message.content:
            if isinstance(part, ContentReasoning):
                seen.add(_visibility(part))
    for label in ("redacted", "summarised", "full"):
        if label in seen:
            return label  # type: ignore[return-value]
    return "absent"


def _visibility(part: ContentReasoning) -> Visibility:
    summary = bool(part.summary and part.summary.strip())
    if part.redacted:
        return "summarised" if summary else "redacted"
    if part.reasoning.strip():
        return "full"
    return "summarised" if summary else "redacted"


def target_reasoning_tokens(events: Sequence[Any]) -> int | None:
    """Reasoning tokens the model under test was billed for, from a sample's model events.

    Only events of the model under test count (``role`` None): a grader's or judge's own
    reasoning says nothing about the transcript. None when no event reports reasoning tokens
    (the provider does not say), which is not the same as 0.
    """
    total: int | None = None
    for event in events:
        if not isinstance(event, ModelEvent) or event.role is not None:
            continue
        usage = event.output.usage if event.output is not None else None
        if usage is not None and usage.reasoning_tokens is not None:
            total = (total or 0) + int(usage.reasoning_tokens)
    return total


def prompt_text(messages: Sequence[ChatMessage]) -> str:
    """What the model was shown: system, user and tool messages joined by blank lines."""
    shown = (ChatMessageSystem, ChatMessageUser, ChatMessageTool)
    return "\n\n".join(m.text for m in messages if isinstance(m, shown) and m.text)


def _reasoning_text(part: ContentReasoning) -> tuple[str, str]:
    if part.redacted:
        # A redacted block's `reasoning` is an opaque (often encrypted) blob, never prose.
        return ("summary", part.summary) if part.summary else ("redacted", "")
    if part.reasoning.strip():
        return "present", part.reasoning
    # Some providers send only a readable summary of reasoning that was never shown in full.
    return ("summary", part.summary) if part.summary else ("absent", "")


def _render_call(function: str, arguments: dict[str, Any]) -> str:
    # String arguments are kept raw (not JSON-escaped) so that sentences, newlines and
    # quotation marks in, say, an email body read as the model wrote them.
    lines = [f"{function}("]
    for key, value in arguments.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        lines.append(f"  {key}: {shown}")
    lines.append(")")
    return "\n".join(lines)


def _add(segments: list[Segment], where: Literal["reasoning", "output"], turn: int, text: str) -> None:
    if text and text.strip():
        segments.append(Segment(where=where, turn=turn, text=text))
