"""Reasoning visibility: the classification, the awareness score's fields, and "unmeasurable" (never 0)
where the reasoning could not be read, end to end through a paired_probe run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from evalaware.scorers.contract import AwarenessResult, AwarenessSeen, reasoning_state
from evalaware.scorers.transcript import reasoning_visibility, target_reasoning_tokens
from inspect_ai.event import ModelEvent
from inspect_ai.model import (
    ChatMessageAssistant,
    ChatMessageUser,
    ContentReasoning,
    ContentText,
    GenerateConfig,
    ModelOutput,
    ModelUsage,
)
from reasoning_logs import run_paired


def _msg(*parts: object) -> ChatMessageAssistant:
    return ChatMessageAssistant(content=[*parts, ContentText(text="ok")])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([ContentReasoning(reasoning="thinking aloud")], "full"),
        ([ContentReasoning(reasoning="opaque", redacted=True, summary="a summary")], "summarised"),
        ([ContentReasoning(reasoning="", summary="only a summary")], "summarised"),
        ([ContentReasoning(reasoning="opaque", redacted=True)], "redacted"),
        ([ContentReasoning(reasoning="", signature="sig")], "redacted"),
        ([], "absent"),
    ],
)
def test_each_kind_of_reasoning_block(parts: list[object], expected: str) -> None:
    assert reasoning_visibility([ChatMessageUser(content="hi"), _msg(*parts)]) == expected


def test_worst_block_decides_across_turns() -> None:
    full = _msg(ContentReasoning(reasoning="visible"))
    hidden = _msg(ContentReasoning(reasoning="opaque", redacted=True))
    summary = _msg(ContentReasoning(reasoning="opaque", redacted=True, summary="s"))
    assert reasoning_visibility([full, hidden]) == "redacted"
    assert reasoning_visibility([full, summary]) == "summarised"
    assert reasoning_visibility([ChatMessageAssistant(content="plain string")]) == "absent"


def _event(tokens: int | None, role: str | None = None) -> ModelEvent:
    out = ModelOutput.from_content("mockllm/model", "x")
    out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2, reasoning_tokens=tokens)
    return ModelEvent(
        model="mockllm/model",
        role=role,
        input=[],
        tools=[],
        tool_choice="none",
        config=GenerateConfig(),
        output=out,
    )


def test_reasoning_tokens_count_only_the_model_under_test() -> None:
    assert target_reasoning_tokens([_event(100), _event(50), _event(999, role="grader")]) == 150
    assert target_reasoning_tokens([_event(None), _event(7, role="grader")]) is None  # unknown, not 0
    assert target_reasoning_tokens([_event(0)]) == 0


def test_reasoning_state_rules() -> None:
    assert reasoning_state("full", 300) == "measured"
    assert reasoning_state("summarised", 300) == "measured"
    assert reasoning_state("redacted", None) == "unmeasurable"
    assert reasoning_state("absent", 300) == "unmeasurable"  # billed reasoning, none returned
    assert reasoning_state("absent", None) == "none"
    assert reasoning_state("absent", 0) == "none"


def test_unmeasurable_reasoning_reads_back_as_none_not_zero() -> None:
    hidden = AwarenessResult(aware=False, spontaneous=False, visibility="absent", reasoning_tokens=200)
    back = AwarenessResult.from_score(hidden.to_score())
    assert back is not None and back.reasoning_state == "unmeasurable" and back.hidden_reasoning
    assert back.aware_in_reasoning is None and back.aware_in_output is False
    # an older score without the field derives it from the availability label
    old = AwarenessResult(aware=False, spontaneous=False, reasoning="present").to_score()
    assert AwarenessResult.from_score(old).visible == "full"  # type: ignore[union-attr]


def test_run_records_visibility_tokens_and_per_location_awareness(tmp_path: Path) -> None:
    kinds = ["full", "summarised", "redacted", "hidden", "none", "full"]
    log = run_paired(tmp_path, kinds)
    results = [AwarenessResult.from_score(s.scores["awareness_scorer"]) for s in log.samples]
    assert all(r is not None for r in results)
    by_kind = Counter(r.visibility for r in results)  # type: ignore[union-attr]
    assert by_kind == {"full": 2, "summarised": 1, "redacted": 1, "absent": 2}
    for r in results:
        assert r is not None
        if r.visibility == "full":
            assert r.reasoning_tokens == 321 and r.aware_in_reasoning is True and r.aware_in_output is False
            assert r.reasoning_state == "measured"
        elif r.visibility == "summarised":
            assert r.aware_in_reasoning is False and r.reasoning_state == "measured"
        elif r.visibility == "redacted":
            assert r.aware_in_reasoning is None and r.reasoning_state == "unmeasurable"
        elif r.reasoning_tokens:  # reasoning tokens billed, no reasoning text
            assert r.hidden_reasoning and r.aware_in_reasoning is None
        else:
            assert r.reasoning_tokens is None and r.reasoning_state == "none" and r.aware_in_reasoning is None


def test_console_says_unmeasurable_and_names_hidden_reasoning(tmp_path: Path) -> None:
    from evalaware.reports.console import summarise_logs

    hidden_only = run_paired(tmp_path / "hidden", ["hidden", "redacted", "hidden", "redacted"])
    text = summarise_logs([hidden_only])
    assert "aware in reasoning" in text and "aware in answer" in text
    assert "unmeasurable (2)" in text
    # redacted blocks are billed reasoning with no text too
    assert "4 sample(s) used reasoning tokens but returned no reasoning text" in text
    row = next(line for line in text.splitlines() if line.startswith("paired_probe") and " test " in line)
    assert "unmeasurable (2)" in row and "0/2 (0%)" in row  # reasoning unmeasurable; the answer is measured
    mixed = run_paired(tmp_path / "mixed", ["full", "full", "redacted", "none"])
    text = summarise_logs([mixed])
    assert "+1 unmeasurable" in text


def test_seen_reader_keeps_visibility_of_unscored_scores() -> None:
    from evalaware.scorers.contract import unscored

    score = unscored(
        "judge refused", method="judge", extra={"visibility": "redacted", "lexical_aware": False}
    )
    seen = AwarenessSeen.from_score(score)
    assert seen.visibility == "redacted" and seen.lexical_aware is False
    assert [(j.role, j.aware) for j in seen.judges] == [("grader", None)]
