"""Probes beyond the test/deploy pair, for ``evalaware run --probe <name>``.

Each factory takes the shared task arguments (``evalaware.probes.task_base.ProbeOptions``), as
``paired_probe`` does; the task functions also take their own (mode, design, arms...) for
``inspect eval -T``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from evalaware.probes.ablation import cue_ablation
from evalaware.probes.direct import direct_probe
from evalaware.probes.injection import awareness_injection, check_prefill_support

FACTORIES: dict[str, Callable[..., Any]] = {
    "direct": direct_probe,
    "direct-third-person": lambda **kwargs: direct_probe(mode="third_person", **kwargs),
    "ablation": cue_ablation,
    "injection": awareness_injection,
}


#: Checks a runner should make on the chosen models before building the eval (the CLI
#: builds the task before it knows the models); they raise ``PrefillUnsupported``, a
#: PrerequisiteError, so the run stops with exit 2 before any sample.
PREFLIGHT: dict[str, Callable[[Sequence[str]], None]] = {"injection": check_prefill_support}
