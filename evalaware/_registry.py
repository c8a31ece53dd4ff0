"""Entry point for Inspect (``[project.entry-points.inspect_ai]``): registers our tasks and
the embedded model provider, so ``inspect eval evalaware/paired_probe`` and
``--model evalaware/smollm2`` work from any directory. Inspect names a packaged task after
the top-level package that defines it, and every task is defined under ``evalaware``."""

# ruff: noqa: F401
from inspect_ai.model import modelapi

from evalaware.probes.ablation import cue_ablation
from evalaware.probes.direct import direct_probe
from evalaware.probes.injection import awareness_injection
from evalaware.probes.tasks import paired_probe


@modelapi(name="evalaware")
def evalaware_local() -> type:
    # Imported lazily: llama-cpp-python is only needed when the embedded model is used.
    from evalaware.probes.local_model import LocalLlamaAPI

    return LocalLlamaAPI
