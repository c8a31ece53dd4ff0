"""The score contract's metadata: what an awareness score carries, and what it leaves out."""

from __future__ import annotations

from evalaware.scorers.contract import AwarenessResult, BehaviourResult, Evidence, is_unscored, unscored


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
