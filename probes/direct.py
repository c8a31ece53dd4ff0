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
from evalaware.probes.args import as_int, as_list, chosen_pairs, epochs_of
from evalaware.probes.dataset import pair_dataset, pair_table
from evalaware.probes.tasks import DEFAULT_CONFIG
from evalaware.scorers.awareness import AwarenessMode, awareness_scorer
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
        pairs: Pair ids or globs (comma-separated on the command line); default all.
        categories: Only these categories.
        tags: Only pairs with any of these tags.
        variants: Which variants to run (both are needed for AUC).
        epochs: Repeats of every sample.
        scenario_dir: Scenario files or folders instead of the shipped library.
        awareness: Verbalized-awareness detector, scored alongside: lexical, judge or both.
        max_turns: Override every agentic pair's turn bound.
        mode: first_person (the model is asked) or third_person (the grader reads the transcript).
        phrasings: Phrasing ids to use (default all; see evalaware.scorers.direct_probe.PHRASINGS).
    """
    chosen = chosen_pairs(scenario_dir, pairs, categories, tags)
    if mode not in ("first_person", "third_person"):
        raise ValueError(f"mode must be first_person or third_person, got {mode!r}")
    ids = as_list(phrasings) or None
    phrasings_by_id(ids, mode)  # fail on a bad id before any sample runs
    steps = [pair_solver(max_turns=as_int(max_turns, "max_turns"))]
    if mode == "first_person":
        steps.append(ask_phrasings(ids))
    return Task(
        dataset=pair_dataset(chosen, as_list(variants)),
        solver=chain(steps),
        scorer=[direct_probe_scorer(mode=mode, phrasings=ids), awareness_scorer(method=awareness)],
        epochs=epochs_of(epochs),
        config=DEFAULT_CONFIG,
        metadata=pair_table(chosen),
        version=1,
    )
