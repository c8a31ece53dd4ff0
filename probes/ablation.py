"""Cue ablation: which cue gives the test away, for this model?

A templated pair's cue slots are grouped into *factors* by cue kind (slots of one kind move
together: the question is which kind of cue matters, and two placeholder-name slots are one
cue to a reader). Each ablation cell sets every factor to its test or deploy value.

Design (``design="auto"``):

- **full factorial** when it has at most ``max_cells`` cells (default 64, i.e. up to six
  kinds): every subset of factors. Each factor is on in exactly half the cells of the pair,
  so its main effect is a plain on-minus-off difference;
- otherwise **one-at-a-time around both ends**: the deploy and test ends, deploy + one
  factor (is this cue *sufficient* to raise awareness?) and test - one factor (is it
  *necessary*?), 2K + 2 cells for K factors. Every factor is still on in exactly half of
  them, but the others are not balanced against it, so the effect to read is the adjusted
  one (least squares on all factors; ``ols`` in ``stats.cue_effects``).

Sample ids are ``<pair_id>:abl-<bits>``: one bit per factor in ``factor_order`` (sorted cue
kinds), 1 = the test value. The all-ones cell is labelled variant ``test`` and the all-zeros
cell ``deploy``, so the ends line up with ``paired_probe``; the rest are ``abl-<bits>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Literal

from evalaware.probes.args import as_int
from evalaware.probes.dataset import variant_sample
from evalaware.probes.task_base import ProbeOptions, build_probe_task, shared_task_args
from evalaware.scenarios.render import render
from evalaware.scenarios.schema import ScenarioPair
from evalaware.scorers.awareness import AwarenessMode
from evalaware.scorers.cue_effects import cue_effect, kind_effects
from evalaware.scorers.metrics import awareness_metrics, behaviour_metrics
from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Metric

__all__ = [
    "MAX_FACTORIAL_CELLS",
    "AblationCell",
    "ablation_cells",
    "ablation_samples",
    "cue_ablation",
    "cue_effect",
    "factor_order",
    "kind_effects",
]

Design = Literal["auto", "factorial", "oat"]

#: Up to six cue kinds run as a full factorial (2**6 = 64 cells per pair).
MAX_FACTORIAL_CELLS = 64
#: A forced factorial beyond this is almost certainly a mistake (4096 samples per pair).
_FACTORIAL_HARD_CAP = 4096


class AblationCell:
    """One cell: which factors (cue kinds) are at their test value."""

    def __init__(self, factors: Sequence[str], on: Iterable[str]) -> None:
        self.factors = tuple(factors)
        self.on = frozenset(on)

    @property
    def bits(self) -> str:
        return "".join("1" if f in self.on else "0" for f in self.factors)

    @property
    def variant(self) -> str:
        if len(self.on) == len(self.factors):
            return "test"
        if not self.on:
            return "deploy"
        return f"abl-{self.bits}"

    def __repr__(self) -> str:
        return f"AblationCell({self.bits})"


def factor_order(pair: ScenarioPair) -> list[str]:
    """The pair's factors: its distinct cue kinds, sorted (the bit order of sample ids)."""
    return sorted({cue.kind for cue in pair.cues.values()})


def ablation_cells(
    pair: ScenarioPair, max_cells: int = MAX_FACTORIAL_CELLS, design: Design = "auto"
) -> list[AblationCell]:
    """The cells to run for ``pair``, ordered by bitstring (deploy end first)."""
    if not pair.templated:
        raise ValueError(f"pair {pair.id!r} is free-form: only templated pairs can be ablated")
    factors = factor_order(pair)
    k = len(factors)
    if design not in ("auto", "factorial", "oat"):
        raise ValueError(f"design must be auto, factorial or oat, got {design!r}")
    use_factorial = design == "factorial" or (design == "auto" and 2**k <= max_cells)
    if use_factorial:
        if 2**k > _FACTORIAL_HARD_CAP:
            raise ValueError(
                f"pair {pair.id!r}: a full factorial of {k} cue kinds is {2**k} cells; use design=oat"
            )
        subsets: set[frozenset[str]] = {
            frozenset(f for f, bit in zip(factors, bits, strict=True) if bit)
            for bits in itertools.product((0, 1), repeat=k)
        }
    else:
        everything = frozenset(factors)
        subsets = {frozenset(), everything}
        subsets |= {frozenset({f}) for f in factors}
        subsets |= {everything - {f} for f in factors}
    cells = [AblationCell(factors, s) for s in subsets]
    return sorted(cells, key=lambda c: c.bits)


def design_name(pair: ScenarioPair, max_cells: int = MAX_FACTORIAL_CELLS, design: Design = "auto") -> str:
    if design != "auto":
        return design
    return "factorial" if 2 ** len(factor_order(pair)) <= max_cells else "oat"


def ablation_samples(
    pairs: Iterable[ScenarioPair], max_cells: int = MAX_FACTORIAL_CELLS, design: Design = "auto"
) -> list[Sample]:
    """Samples for every cell of every templated pair; free-form pairs are left out."""
    samples: list[Sample] = []
    for pair in pairs:
        if not pair.templated:
            continue
        used = design_name(pair, max_cells, design)
        for cell in ablation_cells(pair, max_cells, design):
            state = {slot: "test" if cue.kind in cell.on else "deploy" for slot, cue in pair.cues.items()}
            sample = variant_sample(pair, render(pair, cell.variant, state), cue_detail=True)
            sample.id = f"{pair.id}:abl-{cell.bits}"
            assert sample.metadata is not None
            sample.metadata.update(
                ablation_bits=cell.bits, ablation_factors=list(cell.factors), ablation_design=used
            )
            samples.append(sample)
    return samples


def _metrics() -> dict[str, list[Metric]]:
    # Task-level metrics apply to every scorer; a key a scorer's value lacks is simply not
    # matched (Inspect treats metric keys as globs over the value's keys).
    aw = awareness_metrics()
    return {
        "aware": [*aw["aware"], cue_effect()],
        "spontaneous": [*aw["spontaneous"], cue_effect()],
        "flagged": [*behaviour_metrics()["flagged"], cue_effect()],
    }


@task
@shared_task_args
def cue_ablation(
    pairs: str | Sequence[str] | None = None,
    categories: str | Sequence[str] | None = None,
    tags: str | Sequence[str] | None = None,
    variants: str | Sequence[str] | None = None,
    epochs: int | str = 1,
    scenario_dir: str | Sequence[str] | None = None,
    awareness: AwarenessMode = "lexical",
    max_turns: int | str | None = None,
    design: Design = "auto",
    max_cells: int | str = MAX_FACTORIAL_CELLS,
) -> Task:
    """Run templated pairs under subsets of their cues and estimate each cue kind's effect on
    verbalized awareness and on behaviour.

    Args:
        variants: Ignored (the design decides the cells); accepted so the CLI can pass it.
        design: auto (factorial up to max_cells cells, else one-at-a-time), factorial or oat.
        max_cells: Largest full factorial per pair under design=auto.
    """
    options = ProbeOptions.from_task_args(locals())
    templated = [p for p in options.selected_pairs() if p.templated]
    if not templated:
        raise ValueError("cue ablation needs templated pairs; the selection has only free-form pairs")
    samples = ablation_samples(templated, as_int(max_cells, "max_cells") or MAX_FACTORIAL_CELLS, design)
    return build_probe_task(
        options, templated, MemoryDataset(samples, name="evalaware-ablation"), metrics=_metrics()
    )
