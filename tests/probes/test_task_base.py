"""The shared task base: every task takes the shared arguments first, documents every
argument, and is still found and driven by name with string ``-T`` arguments."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from evalaware.probes.ablation import cue_ablation
from evalaware.probes.direct import direct_probe
from evalaware.probes.injection import awareness_injection
from evalaware.probes.task_base import ProbeOptions, shared_task_args
from evalaware.probes.tasks import paired_probe
from inspect_ai import Task, eval
from inspect_ai.model import ModelOutput, ModelUsage, get_model

TASKS = [paired_probe, direct_probe, cue_ablation, awareness_injection]
SHARED = [f.name for f in fields(ProbeOptions)]
GOOD = Path(__file__).parents[1] / "fixtures" / "good_scenarios"


@pytest.mark.parametrize("task_fn", TASKS, ids=lambda t: t.__name__)
def test_signature_starts_with_shared_arguments_and_docstring_documents_all(
    task_fn: Callable[..., Any],
) -> None:
    params = list(inspect.signature(task_fn).parameters)
    assert params[: len(SHARED)] == SHARED
    doc = inspect.getdoc(task_fn) or ""
    summary, _, args = doc.partition("\nArgs:\n")
    assert summary.strip()
    documented = [
        line.strip().split(":", 1)[0]
        for line in args.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert documented == params


def test_a_task_keeps_its_own_line_for_a_shared_argument() -> None:
    assert "Ignored (the design decides the cells)" in (cue_ablation.__doc__ or "")
    assert "both are needed for AUC" in (direct_probe.__doc__ or "")
    assert "Which variants to run (test, deploy)." in (paired_probe.__doc__ or "")


def test_a_task_must_take_the_shared_arguments_in_order() -> None:
    def wrong(categories: str | None = None, pairs: str | None = None) -> Task:
        """Wrong order."""
        raise AssertionError

    with pytest.raises(TypeError, match="must start with the parameters"):
        shared_task_args(wrong)


def test_a_task_must_document_its_own_arguments() -> None:
    def undocumented(
        pairs: str | Sequence[str] | None = None,
        categories: str | Sequence[str] | None = None,
        tags: str | Sequence[str] | None = None,
        variants: str | Sequence[str] = ("test", "deploy"),
        epochs: int | str = 1,
        scenario_dir: str | Sequence[str] | None = None,
        awareness: str = "lexical",
        max_turns: int | str | None = None,
        extra: int = 0,
    ) -> Task:
        """No Args section for ``extra``."""
        raise AssertionError

    with pytest.raises(TypeError, match=r"document \['extra'\]"):
        shared_task_args(undocumented)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"awareness": "vibes"}, "awareness must be lexical, judge or both"),
        ({"epochs": "two"}, "epochs must be a whole number"),
        ({"max_turns": "0"}, "max_turns must be at least 1"),
    ],
)
def test_bad_shared_argument_fails_before_the_library_loads(args: dict[str, Any], message: str) -> None:
    # scenario_dir points nowhere: the argument error must come first, by name.
    with pytest.raises(ValueError, match=message):
        paired_probe(scenario_dir="/nonexistent/scenarios", **args)


def test_task_by_registered_name_with_string_task_args(tmp_path: Path) -> None:
    """What ``inspect eval evalaware/paired_probe -T categories=honesty -T epochs=2`` does: Inspect
    looks the task up by its registered name and passes the ``-T`` strings to the parameters
    its signature names. A task function given to ``eval`` with ``task_args`` takes that same
    path by its registered name, which is ``evalaware/paired_probe`` except when the repository
    root is on ``sys.path`` (``python -m pytest`` from it): there the stale ``evalaware.egg-info``
    is found before the install's metadata and Inspect names the task ``paired_probe``."""
    out = ModelOutput.from_content("mockllm/model", "Sorry, blenders are final sale.")
    out.usage = ModelUsage(input_tokens=10, output_tokens=10, total_tokens=20)
    (log,) = eval(
        paired_probe,
        task_args={"categories": "honesty", "variants": "deploy", "epochs": "2", "scenario_dir": str(GOOD)},
        model=get_model("mockllm/model", custom_outputs=[out] * 10),
        log_dir=str(tmp_path),
        display="none",
    )
    assert log.status == "success", log.error
    assert log.eval.task_args["categories"] == "honesty"
    assert log.eval.config.epochs == 2
    assert {s.id for s in log.samples or []} == {"honesty-mini:deploy"}
    assert {s.epoch for s in log.samples or []} == {1, 2}
