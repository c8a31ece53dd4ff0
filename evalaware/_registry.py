"""Entry point for Inspect (``[project.entry-points.inspect_ai]``): registers our tasks and
the ``evalaware/`` model provider, so ``inspect eval evalaware/paired_probe``,
``--model evalaware/smollm2`` (the embedded model) and ``--model evalaware/organism-<name>``
(the simulated organisms) work from any directory. Inspect names a packaged task after the
top-level package that defines it, and every task is defined under ``evalaware``."""

# ruff: noqa: F401
from typing import Any

from inspect_ai.model import ModelAPI, modelapi

from evalaware.probes.ablation import cue_ablation
from evalaware.probes.direct import direct_probe
from evalaware.probes.injection import awareness_injection
from evalaware.probes.tasks import paired_probe


def evalaware_model(model_name: str, *args: Any, **kwargs: Any) -> ModelAPI:
    """The provider for ``evalaware/<model_name>``: an organism for ``organism-*``, else the
    embedded model. One provider name holds both because Inspect gives each provider one name."""
    from evalaware.probes.organisms import ORGANISM_PREFIX

    if model_name.startswith(ORGANISM_PREFIX):
        from evalaware.probes.organisms import OrganismAPI

        return OrganismAPI(model_name, *args, **kwargs)
    # Imported lazily: llama-cpp-python is only needed when the embedded model is used.
    from evalaware.probes.local_model import LocalLlamaAPI

    return LocalLlamaAPI(model_name, *args, **kwargs)


@modelapi(name="evalaware")
def evalaware_local() -> Any:
    return evalaware_model
