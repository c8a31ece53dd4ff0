"""Entry point for Inspect (``[project.entry-points.inspect_ai]``): registers our tasks and
the embedded model provider, so ``inspect eval evalaware/paired_probe`` works anywhere."""

# ruff: noqa: F401
from inspect_ai.model import modelapi

from probes.ablation import cue_ablation
from probes.direct import direct_probe
from probes.injection import awareness_injection
from probes.tasks import paired_probe


@modelapi(name="evalaware")
def evalaware_local() -> type:
    # Imported lazily: llama-cpp-python is only needed when the embedded model is used.
    from probes.local_model import LocalLlamaAPI

    return LocalLlamaAPI
