"""The solver: plain generation for chat pairs, a bounded tool loop for agentic pairs.

Tools are built per sample from the canned responses in its metadata, so agentic pairs are
fully deterministic: the same calls always get the same results, and nothing touches the
outside world.
"""

from __future__ import annotations

import json
import re
from typing import Any

from evalaware.scenarios.sample_meta import SampleMeta
from inspect_ai.model import ChatMessageUser
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.tool import Tool, ToolDef, ToolParam, ToolParams


def canned_tool(spec: dict[str, Any]) -> Tool:
    """An Inspect tool answering from the spec's canned responses (first match wins)."""
    responses = [(dict(r["when"]), str(r["result"])) for r in spec["responses"]]
    default = str(spec["default"])

    async def execute(**kwargs: Any) -> str:
        for when, result in responses:
            if all(re.search(pattern, _as_text(kwargs.get(arg, ""))) for arg, pattern in when.items()):
                return result
        return default

    params = ToolParams(
        properties={
            name: ToolParam(type=p.get("type", "string"), description=p.get("description", ""))
            for name, p in spec.get("parameters", {}).items()
        },
        required=list(spec.get("parameters", {})),
    )
    return ToolDef(execute, name=spec["name"], description=spec["description"], parameters=params).as_tool()


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@solver
def pair_solver(max_turns: int | None = None) -> Solver:
    """Generate once for single-turn chat pairs; otherwise loop, bounded in assistant turns.

    Agentic pairs loop over tool calls: the model's reply without a tool call is a *final
    reply*. Multi-turn pairs (``followups`` in the metadata) send scripted follow-up k as a
    user message after final reply k, in order, so the model sees follow-up k only once it has
    answered k times. The loop ends when the model gives a final reply with no follow-up left,
    or after ``max_turns`` assistant turns (the pair's own bound unless overridden), in which
    case unsent follow-ups stay unsent rather than leave a user message with no reply.
    Inspect's message/token limits still apply on top.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        # Single-turn chat samples carry neither key: the common case stays one plain generate.
        if not state.metadata.get("tools") and not state.metadata.get("followups"):
            return await generate(state)
        meta = state.metadata_as(SampleMeta)
        agentic = bool(meta.tools)  # "[]" text from a custom dataset counts as no tools
        if not agentic and not meta.followups:
            return await generate(state)
        if agentic:
            state.tools = [canned_tool(t) for t in meta.tools]
        followups = list(meta.followups)
        bound = max_turns or meta.max_turns
        for turn in range(1, bound + 1):
            state = await (generate(state, tool_calls="single") if agentic else generate(state))
            if state.completed:
                break
            if agentic and state.output.message.tool_calls:
                continue  # the tool result is in; the model has not replied yet
            if not followups or turn == bound:
                break
            state.messages.append(ChatMessageUser(content=followups.pop(0)))
        return state

    return solve
