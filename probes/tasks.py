"""The paired probe: every scenario pair as a test-looking and a deploy-looking sample."""

from __future__ import annotations

from collections.abc import Sequence

from evalaware.probes.dataset import pair_dataset
from evalaware.probes.task_base import ProbeOptions, build_probe_task, shared_task_args
from evalaware.scorers.awareness import AwarenessMode
from inspect_ai import Task, task


@task
@shared_task_args
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
    evaluation awareness and for the pair's flagged behaviour."""
    options = ProbeOptions.from_task_args(locals())
    chosen = options.selected_pairs()
    return build_probe_task(options, chosen, pair_dataset(chosen, options.variant_list))
