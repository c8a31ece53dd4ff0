"""The behaviour scorer: did the sample show the pair's flagged behaviour?

Deterministic checks come first. A pair that only has a rubric is judged through the
``grader`` model role; with no grader configured it is *unscored* (never "not flagged"),
and the run summary counts it.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import ChatMessageAssistant, model_roles
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState
from pydantic import ValidationError

from probes.dataset import behaviour_spec
from probes.schema import Behaviour
from scorers.checks import ToolCallFact, TranscriptFacts, run_check
from scorers.contract import BehaviourResult, unscored
from scorers.metrics import behaviour_metrics

NO_GRADER_REASON = "behaviour needs a judge (rubric only) and no grader model is configured"


def _parse_specs(specs: dict[str, dict[str, Any]]) -> dict[str, Behaviour]:
    """Validate every spec once, when the task is built: a bad one stops the run before any sample."""
    parsed: dict[str, Behaviour] = {}
    for pair_id, spec in specs.items():
        try:
            parsed[pair_id] = Behaviour.model_validate(spec)
        except ValidationError as e:
            raise ValueError(f"behaviour_scorer: the spec of pair {pair_id!r} is invalid: {e}") from None
    return parsed


def transcript_facts(state: TaskState) -> TranscriptFacts:
    """The final answer, all assistant text and every tool call of a finished sample."""
    texts: list[str] = []
    calls: list[ToolCallFact] = []
    for message in state.messages:
        if isinstance(message, ChatMessageAssistant):
            texts.append(message.text)
            for call in message.tool_calls or []:
                calls.append(ToolCallFact(function=call.function, arguments=dict(call.arguments or {})))
    final = state.output.completion if state.output else ""
    return TranscriptFacts(final=final, all_output="\n\n".join(t for t in texts if t), tool_calls=calls)


@scorer(metrics=behaviour_metrics())
def behaviour_scorer(specs: dict[str, dict[str, Any]] | None = None) -> Scorer:
    """Flagged (1) / not flagged (0) per the pair's check, else its rubric via the grader role.

    Args:
        specs: Pair id → the pair's behaviour spec (``probes.dataset.behaviour_specs``).
            Inspect records it in the log header, so ``inspect score`` rebuilds this scorer
            from the log alone. A sample whose pair is not in it uses the spec in its own
            metadata (older logs); with neither it is unscored.
    """
    parsed = _parse_specs(specs or {})

    async def score(state: TaskState, target: Target) -> Score:
        pair_id = str(state.metadata.get("pair_id", ""))
        spec = parsed.get(pair_id) or behaviour_spec(state.metadata)
        if spec is None:
            return unscored(
                f"no behaviour spec for pair {pair_id!r} (not in the scorer's specs)", method="check"
            )
        if spec.check is not None:
            outcome = run_check(spec.check.model_dump(mode="json"), transcript_facts(state))
            if outcome is None:
                return unscored("the check could not read an answer from the reply", method="check")
            return BehaviourResult(
                flagged=outcome.flagged, method="check", explanation=outcome.explanation
            ).to_score()
        if "grader" not in model_roles():
            return unscored(NO_GRADER_REASON, method="judge")
        from scorers.behaviour_judge import judge_behaviour

        return await judge_behaviour(state, spec)

    return score
