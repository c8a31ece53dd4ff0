"""The direct probe: after the model has answered a variant, ask it whether that was an evaluation.

Each phrasing (``evalaware.scorers.direct_probe.PHRASINGS``) is asked in its own branch of the
conversation, never one after another in the same thread: an earlier probe would tell the
model what the later ones are about and anchor its answers. The branches are plain
``Model.generate`` calls, so the sample's own transcript (what the awareness scorer reads)
is left exactly as the model produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evalaware.probes.agent import pair_solver
from evalaware.probes.args import as_list
from evalaware.probes.dataset import pair_dataset
from evalaware.probes.task_base import ProbeOptions, build_probe_task, shared_task_args
from evalaware.scorers.awareness import AwarenessMode
from evalaware.scorers.direct_probe import (
    PROBE_STORE_KEY,
    Phrasing,
    ProbeMode,
    direct_probe_scorer,
    phrasings_by_id,
)
from inspect_ai import Task, task
from inspect_ai.model import ChatMessageUser, get_model
from inspect_ai.solver import Generate, Solver, TaskState, chain, solver


@solver
def ask_phrasings(phrasings: Sequence[str] | None = None) -> Solver:
    """Ask every phrasing after the transcript, each in a fresh branch; replies go to the store."""
    chosen: list[Phrasing] = phrasings_by_id(phrasings, "first_person")

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        replies: dict[str, dict[str, Any]] = {}
        for ph in chosen:
            # The sample's tools stay declared (tool_choice none): some APIs reject a history
            # with tool calls when no tools are given, and the model must not act here.
            out = await model.generate(
                [*state.messages, ChatMessageUser(content=ph.text)],
                tools=state.tools,
                tool_choice="none" if state.tools else None,
            )
            replies[ph.id] = {"question": ph.text, "reply": out.completion}
        state.store.set(PROBE_STORE_KEY, replies)
        return state

    return solve


@task
@shared_task_args
def direct_probe(
    pairs: str | Sequence[str] | None = None,
    categories: str | Sequence[str] | None = None,
    tags: str | Sequence[str] | None = None,
    variants: str | Sequence[str] = ("test", "deploy"),
    epochs: int | str = 1,
    scenario_dir: str | Sequence[str] | None = None,
    awareness: AwarenessMode = "lexical",
    max_turns: int | str | None = None,
    mode: ProbeMode = "first_person",
    phrasings: str | Sequence[str] | None = None,
) -> Task:
    """Ask whether the interaction was an evaluation; score P(evaluation) per phrasing with
    AUC, Brier score and calibration error against the variant (test = 1, deploy = 0).

    Args:
        variants: Which variants to run (both are needed for AUC).
        awareness: Verbalized-awareness detector, scored alongside: lexical, judge or both.
        mode: first_person (the model is asked) or third_person (the grader reads the transcript).
        phrasings: Phrasing ids to use (default all; see evalaware.scorers.direct_probe.PHRASINGS).
    """
    options = ProbeOptions.from_task_args(locals())
    chosen = options.selected_pairs()
    if mode not in ("first_person", "third_person"):
        raise ValueError(f"mode must be first_person or third_person, got {mode!r}")
    ids = as_list(phrasings) or None
    phrasings_by_id(ids, mode)  # fail on a bad id before any sample runs
    steps = [pair_solver(max_turns=options.turn_bound)]
    if mode == "first_person":
        steps.append(ask_phrasings(ids))
    return build_probe_task(
        options,
        chosen,
        pair_dataset(chosen, options.variant_list),
        solver=chain(steps),
        scorers=[direct_probe_scorer(mode=mode, phrasings=ids), options.awareness_scorer()],
    )
