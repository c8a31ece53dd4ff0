"""Entry point for Inspect (``[project.entry-points.inspect_ai]``): registers our tasks and
the embedded model provider, so ``inspect eval evalaware/paired_probe`` and
``--model evalaware/smollm2`` work from any directory."""

# ruff: noqa: F401
from inspect_ai.model import modelapi

from evalaware.tasks import awareness_injection, cue_ablation, direct_probe, paired_probe


@modelapi(name="evalaware")
def evalaware_local() -> type:
    # Imported lazily: llama-cpp-python is only needed when the embedded model is used.
    from probes.local_model import LocalLlamaAPI

    return LocalLlamaAPI
