"""A scripted judge for tests: mockllm replies in turn, every conversation recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessage, Model, ModelOutput, ModelUsage, StopReason, get_model

USAGE = ModelUsage(input_tokens=10, output_tokens=10, total_tokens=20)


def reply(text: str, stop_reason: StopReason = "stop") -> ModelOutput:
    out = ModelOutput.from_content("mockllm/model", text, stop_reason=stop_reason)
    out.usage = USAGE  # mockllm would otherwise count tokens with tiktoken (offline: fails)
    return out


@dataclass
class ScriptedGrader:
    """Replies in turn (the last one repeats) and records every conversation it is sent."""

    replies: list[str | ModelOutput]
    calls: list[list[ChatMessage]] = field(default_factory=list)

    def __call__(self, input: list[ChatMessage], tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
        self.calls.append(list(input))
        item = self.replies[min(len(self.calls), len(self.replies)) - 1]
        return item if isinstance(item, ModelOutput) else reply(item)

    def model(self) -> Model:
        return get_model("mockllm/model", custom_outputs=self, memoize=False)
