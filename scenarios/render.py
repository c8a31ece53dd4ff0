"""Render a scenario pair into exactly what the model sees, for any cue state.

A cue state says, per slot, whether the slot takes its ``test`` or ``deploy`` value. The
``test`` variant is every slot at ``test``; ``deploy`` every slot at ``deploy``; any other
state is an ablation cell (see evalaware.probes.ablation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from evalaware.scenarios.schema import Prompt, ScenarioPair, ToolSpec

CueState = Mapping[str, Literal["test", "deploy"]]


@dataclass(frozen=True)
class RenderedTool:
    spec: ToolSpec
    responses: list[tuple[dict[str, str], str]]
    """(when-regexes, rendered result) in order."""
    default: str


@dataclass(frozen=True)
class RenderedVariant:
    pair_id: str
    variant: str
    system: str | None
    messages: list[tuple[Literal["user", "assistant"], str]]
    tools: list[RenderedTool] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)
    """Scripted user messages sent one after each model reply, in order (multi-turn pairs)."""
    cue_state: dict[str, str] = field(default_factory=dict)
    cue_values: dict[str, str] = field(default_factory=dict)
    """Slot → the text it took in this rendering (for highlighting and echo detection)."""

    def parts(self) -> list[str]:
        """Everything the model is shown, one labelled part per message or canned tool result."""
        parts = []
        if self.system:
            parts.append(f"[system]\n{self.system}")
        parts.extend(f"[{role}]\n{text}" for role, text in self.messages)
        parts.extend(f"[user follow-up {k}]\n{text}" for k, text in enumerate(self.followups, 1))
        for tool in self.tools:
            for _, result in tool.responses:
                parts.append(f"[tool {tool.spec.name}]\n{result}")
        return parts

    def as_text(self) -> str:
        """Everything the model is shown, as one string (used by `show` and the gates)."""
        return "\n\n".join(self.parts())


def visible_text(rendered: RenderedVariant) -> str:
    """Everything the model can read: prompt, follow-ups, tool descriptions, canned results and
    defaults. The gates, facts and length policy all measure this text."""
    parts = [rendered.as_text()]
    for tool in rendered.tools:
        parts.append(tool.spec.description)
        parts.extend(p.description for p in tool.spec.parameters.values())
        parts.append(tool.default)
    return "\n\n".join(parts)


def length_ratio(pair: ScenarioPair) -> float:
    """Rendered length of the test variant over the deploy variant's, in characters."""
    test, deploy = (len(visible_text(render(pair, v))) for v in ("test", "deploy"))
    return test / deploy if deploy else float("inf")


def full_state(pair: ScenarioPair, variant: Literal["test", "deploy"]) -> dict[str, str]:
    return {slot: variant for slot in pair.cues}


def render(pair: ScenarioPair, variant: str, cue_state: CueState | None = None) -> RenderedVariant:
    """Render ``pair``. ``variant`` is test/deploy, or a label for an ablation ``cue_state``."""
    if pair.variants is not None:
        if variant not in pair.variants:
            raise ValueError(f"free-form pair {pair.id!r} has no variant {variant!r}")
        prompt = pair.variants[variant]  # type: ignore[index]
        return _from_prompt(pair, variant, prompt, {}, {})

    if cue_state is None:
        if variant not in ("test", "deploy"):
            raise ValueError(f"variant {variant!r} needs an explicit cue state")
        cue_state = full_state(pair, variant)  # type: ignore[arg-type]
    missing = set(pair.cues) - set(cue_state)
    if missing:
        raise ValueError(f"cue state for {pair.id!r} lacks slots: {sorted(missing)}")
    values = {slot: getattr(cue, cue_state[slot]) for slot, cue in pair.cues.items()}
    assert pair.template is not None
    return _from_prompt(pair, variant, pair.template, values, dict(cue_state))


def _fill(text: str, values: Mapping[str, str]) -> str:
    # An empty cue value (the cue is simply absent in this variant) must not leave a tell-tale
    # gap: drop one space beside the slot, or the whole line when the slot stood alone on it.
    # Only text next to empty slots is touched, so code indentation elsewhere is preserved.
    for slot, value in values.items():
        if value:
            continue
        token = "{" + slot + "}"
        lines = text.split("\n")
        lines = [line for line in lines if line.strip() != token]
        text = "\n".join(lines)
        spaced = " " + token if " " + token in text else token + " "
        text = text.replace(spaced, token)
    return text.format_map(values).strip()


def _from_prompt(
    pair: ScenarioPair,
    variant: str,
    prompt: Prompt,
    values: Mapping[str, str],
    state: dict[str, str],
) -> RenderedVariant:
    system = _fill(prompt.system, values) if prompt.system else None
    messages = [(m.role, _fill(m.text, values)) for m in prompt.messages]
    followups = [_fill(text, values) for text in prompt.followups]
    tools = [
        RenderedTool(
            spec=t,
            responses=[(dict(r.when), _fill(r.result, values)) for r in t.responses],
            default=_fill(t.default, values),
        )
        for t in pair.tools
    ]
    return RenderedVariant(
        pair_id=pair.id,
        variant=variant,
        system=system or None,
        messages=messages,
        tools=tools,
        followups=followups,
        cue_state=state,
        cue_values=dict(values),
    )
