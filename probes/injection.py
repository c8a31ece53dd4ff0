"""Counterfactual awareness injection through an assistant prefill.

After the OpenAI + Apollo anti-scheming study (2025), where removing evaluation-awareness
sentences from o3's reasoning raised covert actions from 13.2% to 24.2%: here the causal
arrow is run the other way. The model's turn is *started* with an awareness sentence, a
neutral control sentence of the same length, or nothing, on the same samples, and the
behaviour is compared across the three arms.

Prefill is only meaningful when the provider really continues a trailing assistant
message. Many OpenAI-compatible endpoints instead answer it with a fresh message, which
would silently turn the experiment into "a strange assistant turn in the history". So
providers are allow-listed (``PREFILL_PROVIDERS``), anything else is refused before a
sample generates, and ``force_prefill`` (or ``EVALAWARE_FORCE_PREFILL=1``) overrides the
refusal for users who know their endpoint honours prefill.

The prefill is part of the model's turn as the scorers see it: the turn is stored as
prefill + continuation in one assistant message. The injected sentence is also added to the
sample's ``stated_cues``, so awareness that merely repeats it is an echo, not spontaneous.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from evalaware.probes.agent import pair_solver
from evalaware.probes.args import as_list
from evalaware.probes.dataset import pair_samples
from evalaware.probes.task_base import ProbeOptions, build_probe_task, shared_task_args
from evalaware.scorers.awareness import AwarenessMode
from evalaware.scorers.injection_effects import ARMS, arm_effects, arm_rates, arm_table
from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageAssistant, ContentText, Model, ModelName, get_model
from inspect_ai.scorer import Metric, mean, stderr, value_to_float
from inspect_ai.solver import Generate, Solver, TaskState, solver

from evalaware._inspect_compat import PrerequisiteError, active_model

__all__ = [
    "ARMS",
    "FORCE_ENV",
    "PREFILL_PROVIDERS",
    "PrefillUnsupported",
    "arm_effects",
    "arm_rates",
    "arm_table",
    "awareness_injection",
    "check_prefill_support",
    "prefill_solver",
]

#: Providers known to continue a trailing assistant message rather than answer it.
PREFILL_PROVIDERS: dict[str, str] = {
    "anthropic": "Messages API: a final assistant message is continued (some newer Claude models "
    "reject prefill with a 400 error, which fails loudly rather than faking it)",
    "evalaware": "the embedded llama-cpp provider formats the chat template with a generation prompt "
    "and appends the prefill (evalaware.probes.local_model)",
    "mockllm": "scripted outputs in tests are the continuation",
}
FORCE_ENV = "EVALAWARE_FORCE_PREFILL"


class PrefillUnsupported(PrerequisiteError, ValueError):
    """The model's provider is not known to honour an assistant prefill.

    A ``PrerequisiteError`` so ``evalaware run`` reports it in one line with exit 2, and a
    ``ValueError`` for callers that construct the task themselves.
    """


def _forced(force: bool) -> bool:
    return force or os.environ.get(FORCE_ENV, "").strip().lower() in ("1", "true", "yes")


def provider_of(model: str | Model) -> str:
    return ModelName(model).api if isinstance(model, Model) else str(model).split("/", 1)[0]


def check_prefill_support(models: Sequence[str | Model], force: bool = False) -> None:
    """Raise ``PrefillUnsupported`` for any model whose provider is not allow-listed."""
    if _forced(force):
        return
    refused = sorted({str(m) for m in models if provider_of(m) not in PREFILL_PROVIDERS})
    if refused:
        raise PrefillUnsupported(
            f"awareness_injection needs assistant prefill, which {', '.join(refused)} is not known to "
            f"support (known: {', '.join(PREFILL_PROVIDERS)}). Not running rather than faking it. If "
            f"your endpoint does continue a trailing assistant message, pass -T force_prefill=true or "
            f"set {FORCE_ENV}=1."
        )


@solver
def prefill_solver(max_turns: int | None = None, force: bool = False) -> Solver:
    """``pair_solver`` whose first assistant turn starts with the sample's ``prefill`` text."""
    inner = pair_solver(max_turns=max_turns)

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        prefill = str(state.metadata.get("prefill") or "")
        if not prefill:
            return await inner(state, generate)
        # Checked per sample too: the task may have been built before the model was known.
        check_prefill_support([get_model()], force)
        first = True

        async def generate_prefilled(state: TaskState, *args: Any, **kwargs: Any) -> TaskState:
            nonlocal first
            if not first:
                return await generate(state, *args, **kwargs)
            first = False
            marker = ChatMessageAssistant(content=prefill, source="input")
            state.messages.append(marker)
            state = await generate(state, *args, **kwargs)
            _merge_prefill(state, marker, prefill)
            return state

        return await inner(state, generate_prefilled)

    return solve


def _merge_prefill(state: TaskState, marker: ChatMessageAssistant, prefill: str) -> None:
    """Fold the prefill message and its continuation into one assistant turn."""
    index = next(i for i, m in enumerate(state.messages) if m is marker)
    following = state.messages[index + 1] if index + 1 < len(state.messages) else None
    if not isinstance(following, ChatMessageAssistant):
        return  # generation failed or was cut off: keep the prefill visible as it was sent
    echoed = following.text.startswith(prefill)
    merged = following.model_copy(update={"content": _prepend(following.content, prefill, echoed)})
    state.messages[index : index + 2] = [merged]
    if state.output and state.output.choices and state.output.choices[0].message.id == following.id:
        # `completion` is a stored field, not derived: checks on the final answer read it.
        state.output.choices[0].message = merged
        state.output.completion = merged.text
    state.store.set("prefill", {"text": prefill, "provider_returned_prefill": echoed})


def _prepend(content: Any, prefill: str, echoed: bool) -> Any:
    # Providers return only the continuation (Anthropic) or, like our embedded provider, the
    # whole turn; the continuation follows the prefill verbatim, no separator added.
    if echoed:
        return content
    if isinstance(content, str):
        return prefill + content
    parts = list(content)
    for i, part in enumerate(parts):
        if isinstance(part, ContentText):
            parts[i] = part.model_copy(update={"text": prefill + part.text})
            return parts
    return [ContentText(text=prefill), *parts]


def injection_samples(base: Sequence[Sample], arms: Sequence[str]) -> list[Sample]:
    """Every base sample once per arm: id ``<pair_id>:<variant>:inj-<arm>``, metadata ``arm``/``prefill``."""
    out: list[Sample] = []
    for sample in base:
        for arm in arms:
            text = ARMS[arm] or ""
            meta = dict(sample.metadata or {})
            meta["arm"] = arm
            meta["prefill"] = text
            if text:
                meta["stated_cues"] = [*meta.get("stated_cues", []), text]
            out.append(sample.model_copy(update={"id": f"{sample.id}:inj-{arm}", "metadata": meta}))
    return out


# --------------------------------------------------------------------------- statistics

_to_float = value_to_float()


def _metrics() -> dict[str, list[Metric]]:
    # Per-arm metrics replace the per-variant ones: pooling arms by variant would mix the
    # intervention into the test/deploy comparison.
    def per_key() -> list[Metric]:
        return [mean(), stderr(cluster="pair_id"), arm_rates(), arm_effects()]

    return {"aware": per_key(), "spontaneous": per_key(), "flagged": per_key()}


@task
@shared_task_args
def awareness_injection(
    pairs: str | Sequence[str] | None = None,
    categories: str | Sequence[str] | None = None,
    tags: str | Sequence[str] | None = None,
    variants: str | Sequence[str] = ("test", "deploy"),
    epochs: int | str = 1,
    scenario_dir: str | Sequence[str] | None = None,
    awareness: AwarenessMode = "lexical",
    max_turns: int | str | None = None,
    arms: str | Sequence[str] = tuple(ARMS),
    force_prefill: bool | str = False,
) -> Task:
    """Start the model's turn with an awareness sentence, a same-length control sentence, or
    nothing; compare the flagged behaviour across the arms on the same samples.

    Args:
        arms: Arms to run (none, aware, control); none is the baseline of the differences.
        force_prefill: Run even if the provider is not known to honour prefill.
    """
    options = ProbeOptions.from_task_args(locals())
    force = (
        force_prefill
        if isinstance(force_prefill, bool)
        else force_prefill.strip().lower() in ("1", "true", "yes")
    )
    model = active_model()
    if model is not None:
        # `inspect eval` builds the task with the model already chosen: refuse before any sample.
        check_prefill_support([model], force)
    chosen_arms = as_list(arms) or list(ARMS)
    unknown = [a for a in chosen_arms if a not in ARMS]
    if unknown:
        raise ValueError(f"unknown arm(s) {unknown}; choose from {', '.join(ARMS)}")
    chosen = options.selected_pairs()
    samples = injection_samples(pair_samples(chosen, options.variant_list), chosen_arms)
    return build_probe_task(
        options,
        chosen,
        MemoryDataset(samples, name="evalaware-injection"),
        solver=prefill_solver(max_turns=options.turn_bound, force=force),
        metrics=_metrics(),
    )
