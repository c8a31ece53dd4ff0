"""The evalaware tasks under Inspect's ``evalaware/`` namespace (see the package docstring)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from inspect_ai import Task, task

from probes.ablation import cue_ablation as _cue_ablation
from probes.direct import direct_probe as _direct_probe
from probes.injection import awareness_injection as _awareness_injection
from probes.tasks import paired_probe as _paired_probe


def _namespaced(build: Callable[..., Task]) -> Callable[..., Task]:
    """Re-declare ``build`` as a task defined in this module, keeping its signature and
    docstring (Inspect reads both for ``-T`` arguments and ``inspect list``)."""

    @functools.wraps(build)
    def declared(*args: Any, **kwargs: Any) -> Task:
        return build(*args, **kwargs)

    declared.__module__ = __name__
    declared.__signature__ = inspect.signature(build)  # type: ignore[attr-defined]
    del declared.__wrapped__  # type: ignore[attr-defined]  (so the module really is this one)
    return task(declared)


paired_probe = _namespaced(_paired_probe)
direct_probe = _namespaced(_direct_probe)
cue_ablation = _namespaced(_cue_ablation)
awareness_injection = _namespaced(_awareness_injection)

__all__ = ["awareness_injection", "cue_ablation", "direct_probe", "paired_probe"]
