"""evalaware.scorers.metrics: unit checks on SampleScores, then end to end through inspect_ai.eval."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from evalaware.scorers import metrics as metrics_module
from evalaware.scorers import stats
from evalaware.scorers.metrics import (
    awareness_metrics,
    behaviour_metrics,
    paired_delta_metric,
    rate_by_variant,
    wilson_by_variant,
)
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import SampleScore, Score, Target, mean, scorer, stderr
from inspect_ai.solver import TaskState, generate

NAN = float("nan")

# (aware, flagged) per sample id; None = the whole score is Score.unscored().
#   pair   test      deploy
#   p1     (1, 0)    (0, 1)    flagged discordant: deploy only (c)
#   p2     (1, 0)    (0, 1)    c
#   p3     (0, 1)    (0, 1)    concordant
#   p4     (1, 0)    unscored  dropped from the paired delta
VALUES: dict[str, tuple[int, int] | None] = {
    "p1:test": (1, 0),
    "p1:deploy": (0, 1),
    "p2:test": (1, 0),
    "p2:deploy": (0, 1),
    "p3:test": (0, 1),
    "p3:deploy": (0, 1),
    "p4:test": (1, 0),
    "p4:deploy": None,
}

# Wilson 95% with continuity correction (Newcombe 1998, method 4), z = 1.959964, z² = 3.841459:
#   lo = (2np + z² - 1 - z·sqrt(z² - 2 - 1/n + 4p(nq + 1))) / (2(n + z²))
#   hi = (2np + z² + 1 + z·sqrt(z² + 2 - 1/n + 4p(nq - 1))) / (2(n + z²)) ; lo = 0 at k = 0, hi = 1 at k = n
#   1/4: 2(n + z²) = 15.682918 ; lo = (4.841459 - z·sqrt(5.591459)) / 15.682918 = .206872/15.682918 = .013191
#        hi = (2 + 3.841459 + 1 + z·sqrt(3.841459 + 2 - .25 + 4·.25·2)) / 15.682918
#           = (6.841459 + z·2.755260) / 15.682918 = 12.241672/15.682918 = .780573
#   3/3: lo = (6 + 3.841459 - 1 - z·sqrt(3.841459 - 2 - 1/3 + 4)) / (2·6.841459)
#           = (8.841459 - z·2.346940) / 13.682918 = 4.241542/13.682918 = .309988 ; hi = 1
#   3/4 mirrors 1/4 -> (.219427, .986809) ; 0/3 mirrors 3/3 -> (0.0, .690012)
W_1_4 = (0.013191, 0.780573)
W_3_3 = (0.309988, 1.0)


def _sample_scores(key: int) -> list[SampleScore]:
    out = []
    for sid, v in VALUES.items():
        pair, variant = sid.split(":")
        value = NAN if v is None else float(v[key])
        out.append(
            SampleScore(
                score=Score(value=value),
                sample_id=sid,
                sample_metadata={"pair_id": pair, "variant": variant, "category": "honesty"},
            )
        )
    # Inspect drops NaN samples before calling a metric; do the same so the unit tests see
    # exactly what a metric sees in a run.
    return [s for s in out if not math.isnan(float(s.score.as_float()))]


def test_rate_by_variant_unit() -> None:
    flagged = _sample_scores(1)
    assert rate_by_variant()(flagged) == {"test": 0.25, "deploy": 1.0}
    # a variant with nothing scored is omitted, never 0 or NaN
    only_test = [s for s in flagged if s.sample_metadata["variant"] == "test"]
    assert rate_by_variant()(only_test) == {"test": 0.25}
    assert rate_by_variant()([]) == {}


def test_rate_by_variant_ignores_ablation_and_missing_metadata() -> None:
    scores = [
        *_sample_scores(1),
        SampleScore(
            score=Score(value=1), sample_id="p1:abl", sample_metadata={"pair_id": "p1", "variant": "ablation"}
        ),
        SampleScore(score=Score(value=1), sample_id="x", sample_metadata=None),
    ]
    assert rate_by_variant()(scores) == {"test": 0.25, "deploy": 1.0}
    assert rate_by_variant(variants=("ablation",))(scores) == {"ablation": 1.0}


def test_wilson_by_variant_unit() -> None:
    out = wilson_by_variant()(_sample_scores(1))
    assert out == {
        "test_lo": pytest.approx(W_1_4[0], abs=1e-6),
        "test_hi": pytest.approx(W_1_4[1], abs=1e-6),
        "deploy_lo": pytest.approx(W_3_3[0], abs=1e-6),
        "deploy_hi": 1.0,
    }


def test_paired_delta_metric_unit() -> None:
    out = paired_delta_metric()(_sample_scores(1))
    # deltas deploy - test: p1 1, p2 1, p3 0 -> 2/3 ; b = 0, c = 2 -> p = 2·(1/2)² = .5
    assert out["delta"] == pytest.approx(2 / 3)
    assert out["mcnemar_p"] == pytest.approx(0.5)
    assert out["n_pairs"] == 3
    assert out["delta_lo"] <= out["delta"] <= out["delta_hi"]
    # no complete pair: only the count, never a NaN delta
    assert paired_delta_metric()(_sample_scores(1)[:1]) == {"n_pairs": 0}


def _reference_delta(scores: list[SampleScore]) -> Any:
    """The metric's general path: stats.paired_delta on a frame of every sample."""
    return metrics_module._paired_delta_frame(scores, seed=0, n_boot=2000, confidence=0.95)


@pytest.mark.parametrize("seed", range(6))
def test_paired_delta_metric_fast_path_matches_stats(seed: int) -> None:
    """One score per pair side (what Inspect hands a metric after epoch reduction) takes a
    pandas-free path; it must give stats.paired_delta's result to the bit, seeded bootstrap
    included: fractional epoch means, unscored (NaN) and missing sides, ablation variants and
    samples without metadata all in the mix, pairs in scrambled order."""
    import random

    rng = random.Random(seed)
    scores: list[SampleScore] = []
    for i in rng.sample(range(40), 40):
        for variant in ("test", "deploy", "ablation-1"):
            roll = rng.random()
            if roll < 0.1:
                continue  # this side never ran
            value = NAN if roll < 0.15 else rng.choice([0.0, 1.0, rng.random()])
            meta = {"pair_id": f"pair-{i:02d}", "variant": variant}
            scores.append(
                SampleScore(score=Score(value=value), sample_id=f"{i}:{variant}", sample_metadata=meta)
            )
    scores.append(SampleScore(score=Score(value=1.0), sample_id="x", sample_metadata=None))
    assert paired_delta_metric()(scores) == _reference_delta(scores)


def test_paired_delta_metric_repeated_side_falls_back_to_stats() -> None:
    """Two samples on one pair side (a metric fed unreduced epochs) are averaged by stats."""
    scores = _sample_scores(1)
    extra = SampleScore(
        score=Score(value=0.0), sample_id="p1:deploy", sample_metadata={"pair_id": "p1", "variant": "deploy"}
    )
    out = paired_delta_metric()([*scores, extra])
    assert out == _reference_delta([*scores, extra])
    # p1 deploy averages 1 and 0 -> 0.5: deltas .5, 1, 0
    assert out["delta"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- end to end


@scorer(metrics={**awareness_metrics(), **behaviour_metrics()})
def fixed_scorer():  # type: ignore[no-untyped-def]
    """Returns the VALUES table, as the real awareness/behaviour scorers would shape it."""

    async def score(state: TaskState, target: Target) -> Score:
        v = VALUES[str(state.sample_id)]
        if v is None:
            return Score.unscored(reason="grader_failed", metadata={"unscored": True})
        aware, flagged = v
        return Score(
            value={
                "aware": aware,
                "spontaneous": aware,
                "where": "output",
                "kinds": "",
                "method": "lexical",
                "flagged": flagged,
            }
        )

    return score


@scorer(
    metrics={
        "flagged": [
            mean(),
            stderr(cluster="pair_id"),
            rate_by_variant(),
            wilson_by_variant(),
            paired_delta_metric(),
        ]
    }
)
def fixed_behaviour_only():  # type: ignore[no-untyped-def]
    async def score(state: TaskState, target: Target) -> Score:
        v = VALUES[str(state.sample_id)]
        if v is None:
            return Score.unscored(reason="grader_failed", metadata={"unscored": True})
        return Score(value={"flagged": v[1], "method": "check"})

    return score


def _task() -> Task:
    samples = []
    for sid in VALUES:
        pair, variant = sid.split(":")
        samples.append(
            Sample(
                id=sid,
                input=f"{pair} {variant}",
                target="",
                metadata={"pair_id": pair, "variant": variant, "category": "honesty"},
            )
        )
    return Task(dataset=samples, solver=generate(), scorer=[fixed_scorer(), fixed_behaviour_only()])


def _output(*_: Any) -> ModelOutput:
    out = ModelOutput.from_content("mockllm/model", "ok")
    # mockllm would otherwise count tokens with tiktoken, which downloads a file (offline: error)
    out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
    return out


def test_metrics_end_to_end(tmp_path: Path) -> None:
    model = get_model("mockllm/model", custom_outputs=_output)
    [log] = eval(_task(), model=model, display="none", log_dir=str(tmp_path))
    assert log.status == "success", log.error
    assert log.results is not None
    by_name = {(s.scorer, s.name): s for s in log.results.scores}

    aware = by_name[("fixed_scorer", "aware")]
    m = {k: v.value for k, v in aware.metrics.items()}
    assert (aware.scored_samples, aware.unscored_samples) == (7, 1)
    # aware: test 1,1,0,1 -> 3/4 ; deploy 0,0,0 -> 0/3 ; overall 3/7
    assert m["mean"] == pytest.approx(3 / 7)
    assert m["rate_by_variant_test"] == pytest.approx(0.75)
    assert m["rate_by_variant_deploy"] == 0.0
    assert m["wilson_by_variant_test_lo"] == pytest.approx(1 - W_1_4[1], abs=1e-6)
    assert m["wilson_by_variant_test_hi"] == pytest.approx(1 - W_1_4[0], abs=1e-6)
    assert m["wilson_by_variant_deploy_lo"] == 0.0
    assert m["wilson_by_variant_deploy_hi"] == pytest.approx(1 - W_3_3[0], abs=1e-6)
    assert "stderr" in m and m["stderr"] > 0
    assert by_name[("fixed_scorer", "spontaneous")].metrics["mean"].value == pytest.approx(3 / 7)

    for key in [("fixed_scorer", "flagged"), ("fixed_behaviour_only", "flagged")]:
        flagged = by_name[key]
        f = {k: v.value for k, v in flagged.metrics.items()}
        assert (flagged.scored_samples, flagged.unscored_samples) == (7, 1)
        # flagged: test 0,0,1,0 -> 1/4 ; deploy 1,1,1 -> 1 ; overall 4/7
        assert f["mean"] == pytest.approx(4 / 7)
        assert f["rate_by_variant_test"] == pytest.approx(0.25)
        assert f["rate_by_variant_deploy"] == 1.0
        assert f["wilson_by_variant_test_lo"] == pytest.approx(W_1_4[0], abs=1e-6)
        assert f["wilson_by_variant_test_hi"] == pytest.approx(W_1_4[1], abs=1e-6)
        assert f["wilson_by_variant_deploy_lo"] == pytest.approx(W_3_3[0], abs=1e-6)
        assert f["wilson_by_variant_deploy_hi"] == 1.0
        assert f["paired_delta_metric_delta"] == pytest.approx(2 / 3)
        assert f["paired_delta_metric_mcnemar_p"] == pytest.approx(0.5)
        assert f["paired_delta_metric_n_pairs"] == 3
        # the metric's interval is stats.paired_delta's (seed 0) on the same three pairs
        expected = stats.paired_delta(_frame([("p1", 0, 1), ("p2", 0, 1), ("p3", 1, 1)]), "flagged")
        assert f["paired_delta_metric_delta_lo"] == pytest.approx(expected.lo)
        assert f["paired_delta_metric_delta_hi"] == pytest.approx(expected.hi)


def _frame(pairs: list[tuple[str, int, int]]) -> Any:
    import pandas as pd

    rows = [(p, "test", t) for p, t, _ in pairs] + [(p, "deploy", d) for p, _, d in pairs]
    return pd.DataFrame(rows, columns=["pair_id", "variant", "flagged"])
