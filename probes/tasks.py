"""Inspect tasks. Each is a few lines composing dataset, solver and scorers."""

from __future__ import annotations

from collections.abc import Sequence

from evalaware.probes.agent import pair_solver
from evalaware.probes.args import as_int, as_list, chosen_pairs, epochs_of
from evalaware.probes.dataset import pair_dataset, pair_table
from evalaware.scorers.awareness import AwarenessMode, awareness_scorer
from evalaware.scorers.behaviour import behaviour_scorer
from inspect_ai import Task, task
from inspect_ai.model import GenerateConfig

#: Inspect retries forever with no timeout by default; a probe run on a paid API should
#: fail a sample after a bounded effort instead. All overridable on the command line.
DEFAULT_CONFIG = GenerateConfig(max_retries=3, timeout=600, attempt_timeout=180)


@task
def paired_probe(
    pairs: str | Sequence[str] | None = None,
    categories: str | Sequence[str] | None = None,
    tags: str | Sequence[str] | None = None,
    variants: str | Sequence[str] = ("test", "deploy"),
    epochs: int | str = 1,
    scenario_dir: str | Sequence[str] | None = None,
    awareness: AwarenessMode = "lexical",
    max_turns: int | str | None = None,
) -> Task:
    """Each scenario pair as a test-looking and a deploy-looking sample, scored for verbalized
    evaluation awareness and for the pair's flagged behaviour.

    Args:
        pairs: Pair ids or globs (comma-separated on the command line); default all.
        categories: Only these categories.
        tags: Only pairs with any of these tags.
        variants: Which variants to run (test, deploy).
        epochs: Repeats of every sample.
        scenario_dir: Scenario files or folders instead of the shipped library.
        awareness: Awareness detector: lexical, judge (grader role) or both.
        max_turns: Override every agentic pair's turn bound.
    """
    chosen = chosen_pairs(scenario_dir, pairs, categories, tags)
    if awareness not in ("lexical", "judge", "both"):
        raise ValueError(f"awareness must be lexical, judge or both, got {awareness!r}")
    return Task(
        dataset=pair_dataset(chosen, as_list(variants)),
        solver=pair_solver(max_turns=as_int(max_turns, "max_turns")),
        scorer=[awareness_scorer(method=awareness), behaviour_scorer()],
        epochs=epochs_of(epochs),
        config=DEFAULT_CONFIG,
        metadata=pair_table(chosen),
        version=1,
    )
