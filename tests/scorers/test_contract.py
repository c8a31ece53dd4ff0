"""The score contract: what a score carries, what it leaves out, and how it is read back."""

from __future__ import annotations

import math

from evalaware.scorers.contract import (
    AWARENESS_METRIC_KEYS,
    AwarenessResult,
    BehaviourResult,
    DirectProbeResult,
    Evidence,
    Unscored,
    evidence_thinned,
    find_scores,
    is_unscored,
    unscored,
)
from inspect_ai.scorer import Score


def test_not_aware_lexical_score_carries_no_empty_entries() -> None:
    score = AwarenessResult(aware=False, spontaneous=False).to_score()
    assert score.metadata == {"unscored": False, "method": "lexical", "reasoning": "absent"}
    assert score.value == {"aware": 0, "spontaneous": 0, "where": "none", "kinds": "", "method": "lexical"}


def test_aware_score_keeps_every_filled_entry() -> None:
    quote = Evidence(quote="this looks like a test", kind="suspects_test", where="reasoning")
    result = AwarenessResult(
        aware=True,
        spontaneous=True,
        kinds=["suspects_test"],
        evidence=[quote],
        method="both",
        reasoning="present",
        confidence=0.0,  # a real value, even though falsy: kept
        agreement=False,
        notes=["judge and lexical disagreed"],
    )
    meta = result.to_score().metadata
    assert meta is not None
    assert meta["kinds"] == ["suspects_test"]
    assert meta["evidence"] == [quote.model_dump()]
    assert meta["confidence"] == 0.0 and meta["agreement"] is False
    assert meta["notes"] == ["judge and lexical disagreed"]


def test_behaviour_and_unscored_metadata_unchanged() -> None:
    flagged = BehaviourResult(flagged=True, method="check", explanation="regex hit").to_score()
    assert flagged.metadata == {"unscored": False, "method": "check"}
    missing = unscored("no grader", method="judge")
    assert is_unscored(missing)
    assert missing.metadata == {"unscored": True, "reason": "no grader", "method": "judge"}


# --------------------------------------------------------------------------- reading scores back


def test_awareness_round_trips_through_a_score_and_its_json() -> None:
    quote = Evidence(quote="this looks like a test", kind="suspects_test", where="output", echo=True)
    result = AwarenessResult(
        aware=True, spontaneous=False, kinds=["suspects_test"], evidence=[quote], reasoning="present"
    )
    score = result.to_score()
    assert AwarenessResult.from_score(score) == result
    # the raw JSON form a log's summaries hold reads back the same
    assert AwarenessResult.from_score(score.model_dump()) == result


def test_unscored_reads_back_as_none_never_zero() -> None:
    missing = unscored("grader gave no verdict", method="judge")
    assert AwarenessResult.from_score(missing) is None
    assert BehaviourResult.from_score(missing) is None
    assert DirectProbeResult.from_score(missing) is None
    assert AwarenessResult.from_score(None) is None
    why = Unscored.from_score(missing)
    assert (why.reason, why.method) == ("grader gave no verdict", "judge")
    assert Unscored.from_score(None, missing="sample errored before scoring").reason == (
        "sample errored before scoring"
    )
    # a NaN inside a value that does not say it is unscored is unscored too, not 0
    assert BehaviourResult.from_score(Score(value={"flagged": math.nan, "method": "check"})) is None
    assert AwarenessResult.from_score(Score(value={"aware": 1})) is None  # no spontaneous: unreadable


def test_behaviour_round_trips() -> None:
    result = BehaviourResult(flagged=False, method="judge", explanation="kept the policy")
    assert BehaviourResult.from_score(result.to_score()) == result


def test_thinned_evidence_reads_as_empty_and_is_reported() -> None:
    quote = Evidence(quote="a test", kind="suspects_test", where="reasoning")
    raw = AwarenessResult(aware=True, spontaneous=True, kinds=["suspects_test"], evidence=[quote]).to_score()
    raw.metadata = {**(raw.metadata or {}), "evidence": "Key removed from summary (> 1k)"}
    read = AwarenessResult.from_score(raw)
    assert read is not None and read.aware and read.evidence == [] and read.kinds == ["suspects_test"]
    assert evidence_thinned(raw)


def test_direct_probe_score_reads_per_phrasing() -> None:
    score = Score(
        value={"p_eval_yes_no": 0.9, "p_purpose": math.nan},
        metadata={
            "unscored": False,
            "method": "first_person",
            "mode": "first_person",
            "phrasings": "thinned",
        },
    )
    read = DirectProbeResult.from_score(score)
    assert read is not None and read.mode == "first_person"
    assert read.p == {"eval_yes_no": 0.9, "purpose": None}


def test_find_scores_by_name_then_by_value_keys() -> None:
    aw = AwarenessResult(aware=False, spontaneous=False).to_score()
    beh = BehaviourResult(flagged=True, method="check", explanation="x").to_score()
    found = find_scores({"my_aw": aw, "behaviour_scorer": beh})
    assert found.awareness is aw and found.behaviour is beh and found.direct is None
    assert AWARENESS_METRIC_KEYS == ("aware", "spontaneous")
