"""What every evalaware task shares: the selection, variant, epoch, awareness and turn
arguments (``ProbeOptions``), their documentation (``shared_task_args``), and how a task is
put together from them (``build_probe_task``), so each task module says only what is
particular to it.

The tasks still write their parameters out in their own signatures: Inspect reads a task's
signature for ``-T`` arguments and for the task arguments it logs, and ``inspect list``
finds tasks by the ``@task`` decorator in the source.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from evalaware.probes.agent import pair_solver
from evalaware.probes.args import as_int, as_list
from evalaware.probes.dataset import pair_table
from evalaware.scorers.awareness import AwarenessMode, awareness_scorer
from evalaware.scorers.behaviour import behaviour_scorer
from inspect_ai import Epochs, Task
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import mean_score

if TYPE_CHECKING:
    from evalaware.scenarios.schema import ScenarioPair
    from inspect_ai.dataset import Dataset
    from inspect_ai.scorer import Metric, Scorer
    from inspect_ai.solver import Solver

__all__ = ["DEFAULT_CONFIG", "ProbeOptions", "build_probe_task", "shared_task_args"]

#: Inspect retries forever with no timeout by default; a probe run on a paid API should
#: fail a sample after a bounded effort instead. All overridable on the command line.
DEFAULT_CONFIG = GenerateConfig(max_retries=3, timeout=600, attempt_timeout=180)

TaskFunction = TypeVar("TaskFunction", bound=Callable[..., Task])


def _doc(text: str) -> dict[str, str]:
    # The help text lives on the field, so the shared parameters and their documentation
    # cannot drift apart.
    return {"doc": text}


@dataclass(frozen=True)
class ProbeOptions:
    """The arguments every evalaware task takes first, in this order, as Inspect passes them
    (``-T key=value`` gives strings, Python callers lists and numbers)."""

    pairs: str | Sequence[str] | None = field(
        default=None, metadata=_doc("Pair ids or globs (comma-separated on the command line); default all.")
    )
    categories: str | Sequence[str] | None = field(default=None, metadata=_doc("Only these categories."))
    tags: str | Sequence[str] | None = field(
        default=None, metadata=_doc("Only pairs with any of these tags.")
    )
    variants: str | Sequence[str] | None = field(
        default=("test", "deploy"), metadata=_doc("Which variants to run (test, deploy).")
    )
    epochs: int | str = field(default=1, metadata=_doc("Repeats of every sample."))
    scenario_dir: str | Sequence[str] | None = field(
        default=None, metadata=_doc("Scenario files or folders instead of the shipped library.")
    )
    awareness: AwarenessMode = field(
        default="lexical", metadata=_doc("Awareness detector: lexical, judge (grader role) or both.")
    )
    max_turns: int | str | None = field(
        default=None, metadata=_doc("Override every agentic pair's turn bound.")
    )

    def __post_init__(self) -> None:
        # Checked before the library is loaded: a mistyped argument fails at once, by name.
        if self.awareness not in get_args(AwarenessMode):
            raise ValueError(f"awareness must be lexical, judge or both, got {self.awareness!r}")
        as_int(self.epochs, "epochs")
        as_int(self.max_turns, "max_turns")

    @classmethod
    def from_task_args(cls, task_args: Mapping[str, Any]) -> ProbeOptions:
        """The shared arguments out of a task's ``locals()`` (taken first thing in the task,
        so they are exactly its arguments); the task's own arguments are left out."""
        return cls(**{f.name: task_args[f.name] for f in fields(cls)})

    @property
    def variant_list(self) -> list[str]:
        return as_list(self.variants)

    @property
    def turn_bound(self) -> int | None:
        """``max_turns`` as a number, or None for each pair's own bound."""
        return as_int(self.max_turns, "max_turns")

    def selected_pairs(self) -> list[ScenarioPair]:
        """The library (or ``scenario_dir``) filtered by pairs, categories and tags."""
        from evalaware.scenarios.loader import load_library, select_pairs

        library = load_library(as_list(self.scenario_dir) or None)
        return select_pairs(library, as_list(self.pairs), as_list(self.categories), as_list(self.tags))

    def epochs_policy(self) -> Epochs:
        """Inspect epochs, reduced by the mean over numeric score keys only."""
        return Epochs(as_int(self.epochs, "epochs") or 1, mean_score(value_to_float=numeric_or_nan))

    def awareness_scorer(self) -> Scorer:
        return awareness_scorer(method=self.awareness)


def numeric_or_nan(value: object) -> float:
    """Epoch reduction reads every key of our dict scores; the descriptive string keys
    (where, kinds, method) are not averaged -- they stay per epoch in the samples -- and must
    not flood the terminal with conversion warnings."""
    if isinstance(value, bool | int | float):
        return float(value)
    return float("nan")


def build_probe_task(
    options: ProbeOptions,
    pairs: Sequence[ScenarioPair],
    dataset: Dataset,
    *,
    solver: Solver | None = None,
    scorers: Sequence[Scorer] | None = None,
    metrics: dict[str, list[Metric]] | None = None,
) -> Task:
    """An evalaware task over ``dataset``. By default the pair solver runs each sample and it
    is scored for verbalized awareness and for the pair's flagged behaviour; ``pairs`` (those
    the dataset was built from) become the log's pair table."""
    return Task(
        dataset=dataset,
        solver=solver if solver is not None else pair_solver(max_turns=options.turn_bound),
        scorer=list(scorers) if scorers is not None else [options.awareness_scorer(), behaviour_scorer()],
        metrics=metrics,
        epochs=options.epochs_policy(),
        config=DEFAULT_CONFIG,
        metadata=pair_table(pairs),
        version=1,
    )


def shared_task_args(func: TaskFunction) -> TaskFunction:
    """Check that a task's signature starts with the ``ProbeOptions`` parameters, and complete
    its docstring's ``Args:`` with theirs (a line the task writes itself wins, where the
    argument means something particular there). Apply under ``@task``."""
    shared = {f.name: f.metadata["doc"] for f in fields(ProbeOptions)}
    params = list(inspect.signature(func).parameters)
    if params[: len(shared)] != list(shared):
        raise TypeError(f"task {func.__name__} must start with the parameters {list(shared)}, got {params}")
    summary, own = _split_args(inspect.getdoc(func) or "")
    undocumented = [p for p in params if p not in own and p not in shared]
    if undocumented:
        raise TypeError(f"task {func.__name__}: document {undocumented} under Args: in its docstring")
    lines = [summary, "", "Args:", *(f"    {p}: {own.get(p) or shared[p]}" for p in params)]
    func.__doc__ = "\n".join(lines)
    return func


def _split_args(doc: str) -> tuple[str, dict[str, str]]:
    """A Google-style docstring as (text before ``Args:``, argument → its text)."""
    summary, _, rest = doc.partition("\nArgs:\n")
    own: dict[str, str] = {}
    name = ""
    for line in rest.splitlines():
        head, sep, text = line.strip().partition(": ")
        if sep and line.startswith("    ") and not line.startswith("     ") and head.isidentifier():
            name = head
            own[name] = text
        elif name and line.strip():
            own[name] += "\n        " + line.strip()
    return summary.rstrip(), own
