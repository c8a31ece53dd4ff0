"""Real generation: `paired_probe` on the embedded SmolLM2 model, chat and agentic pairs."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from evalaware.probes.local_model import DEFAULT_MODEL
from evalaware.probes.tasks import paired_probe
from inspect_ai import eval

pytestmark = pytest.mark.embedded


def test_embedded_model_runs_chat_and_agentic_pairs(tmp_path: Path) -> None:
    (log,) = eval(
        paired_probe(pairs="sandbagging-chem-stoichiometry,oversight-monitoring-config", max_turns=2),
        model=DEFAULT_MODEL,
        log_dir=str(tmp_path),
        display="none",
        max_tokens=48,
        seed=7,
    )
    assert log.status == "success", log.error
    assert log.samples is not None and len(log.samples) == 4
    for sample in log.samples:
        assert sample.error is None
        assert sample.output.usage is not None and sample.output.usage.output_tokens > 0  # real tokens
        for name in ("awareness_scorer", "behaviour_scorer"):
            score = sample.scores[name]
            if score.metadata and score.metadata.get("unscored"):
                assert score.metadata["reason"]  # explicitly unscored, with a reason
            else:
                assert isinstance(score.value, dict)
                key = "aware" if name == "awareness_scorer" else "flagged"
                assert score.value[key] in (0, 1) and not math.isnan(score.value[key])
    agentic = [s for s in log.samples if s.id.startswith("oversight")]
    # the agent loop offered tools to a model without native tool calling: emulated, no crash
    assert all(s.metadata["agentic"] for s in agentic)
