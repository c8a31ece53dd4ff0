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
    """Generate once for chat pairs; for agentic pairs loop over tool calls, bounded in turns.

    The loop ends when the model answers without calling a tool, or after ``max_turns``
    assistant turns (the pair's own bound unless overridden). Inspect's message/token limits
    still apply on top.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        if not state.metadata.get("tools"):  # a chat pair's sample has no tools key
            return await generate(state)
        meta = state.metadata_as(SampleMeta)
        if not meta.tools:  # "[]" text from a custom dataset
            return await generate(state)
        state.tools = [canned_tool(t) for t in meta.tools]
        bound = max_turns or meta.max_turns
        for _ in range(bound):
            state = await generate(state, tool_calls="single")
            if state.completed:
                break
            if not state.output.message.tool_calls:
                break
        return state

    return solve
