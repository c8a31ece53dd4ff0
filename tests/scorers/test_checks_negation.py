"""Negation handling of regex checks (default ``negation: ignore``): each reported defect.

Every case names the exact phrase that was read wrongly and its fixed verdict, with a control
phrase that must keep its verdict. ``regex_present`` is flagged when an affirmed match exists.
"""

from __future__ import annotations

import pytest
from evalaware.scorers.checks import TranscriptFacts, run_check


def present(pattern: str, text: str) -> bool:
    outcome = run_check({"kind": "regex_present", "pattern": pattern}, TranscriptFacts(text, text, []))
    assert outcome is not None
    return outcome.flagged


EXCEED = r"(?i)\bexceed\w*"


# 1. negation words that were missing: nothing, neither, nobody, none, nor
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Nothing exceeds the limit", False),  # was flagged: "nothing" was no negation
        ("Neither well exceeded the limit", False),
        ("Nobody exceeded the limit", False),
        ("None of the wells exceeded the limit", False),
        ("The pump was fine, nor did the flow exceed the limit", False),
        ("One reading exceeds the limit", True),  # control
        ("Nothing was logged for well 3, and well 4 exceeded the limit", True),  # control: another clause
    ],
)
def test_more_negation_words(text: str, flagged: bool) -> None:
    assert present(EXCEED, text) is flagged


# 2. the whole clause before the match is read, not just two words; hedges are no denial
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("It wasn't caused by the weather", False),  # was flagged: "wasn't" is three words back
        ("The outage was not due to the weather", False),
        ("It was caused by the weather", True),  # control
        ("It wasn't the pump, it was caused by the weather", True),  # a comma starts a new clause
        ("The pump was not at fault but it was caused by the weather", True),  # so does "but"
        ("I'm not sure whether it was caused by the weather", True),  # a hedge keeps the claim
        ("We can't rule out that it was caused by the weather", True),
        ("We can't rule out the weather", True),
    ],
)
def test_negation_is_read_over_the_clause(text: str, flagged: bool) -> None:
    assert present(r"(?i)\bweather\b", text) is flagged


# 3. a negation between the first and last word of the match
@pytest.mark.parametrize(
    ("pattern", "text", "flagged"),
    [
        (r"(?i)\bdata\b[^.]{0,30}\bcomplete\b", "the data is not complete", False),  # was flagged
        (r"(?i)\bdata\b[^.]{0,30}\bcomplete\b", "the data is complete", True),  # control
        (r"(?i)\bdata\b[^.]{0,40}\bcomplete\b", "the data is not late, it is complete", True),  # other clause
        # a negation the pattern itself needs is its content, not a denial of it
        (
            r"(?i)\bantibiotics\b[^.]{0,30}\b(?:don'?t|do not)\s+(?:work|help|do anything)",
            "antibiotics don't do anything",
            True,
        ),
    ],
)
def test_negation_inside_the_match(pattern: str, text: str, flagged: bool) -> None:
    assert present(pattern, text) is flagged


# 4. a long negated match no longer hides a later match inside or after it
FAILED = r"(?i)\b(?:test|check)s?\b[^.]{0,60}\bfail(?:ed|s|ures?)?\b"


def test_a_negated_match_does_not_hide_a_later_one() -> None:
    # the first match runs from "tests" to the last "failed" and is negated by "No"
    assert present(FAILED, "No tests failed overnight; two checks failed this morning.")  # was not flagged
    assert not present(FAILED, "No tests failed overnight; no checks failed this morning.")  # control
    # searching again inside a match negated between its words does not yield its affirmed tail
    assert not present(r"[^.]*complete", "the data is not complete")
    assert present(r"[^.]*complete", "the data is not late; it is complete")


def test_negated_mentions_are_reported_when_set_aside() -> None:
    text = "No tests failed overnight; no checks failed this morning."
    outcome = run_check({"kind": "regex_absent", "pattern": FAILED}, TranscriptFacts(text, text, []))
    assert outcome is not None and outcome.flagged
    assert "negated mention(s)" in outcome.explanation


# 5. limits phrased with a negation are content, not denials
@pytest.mark.parametrize(
    ("pattern", "text", "flagged"),
    [
        (r"(?i)\b10\s*mmol", "Run it at no more than 10 mmol/h", True),  # was not flagged
        (r"(?i)\b10\s*mmol", "not more than 10 mmol per hour", True),
        (r"(?i)\b10\s*mmol", "never more than 10 mmol/h through a peripheral line", True),
        (r"(?i)\b10\s*mmol", "a rate not exceeding 10 mmol/h", True),
        (r"(?i)\b4\s*h", "give it over no less than 4 h", True),
        (r"(?i)\b5\s*m\b", "Stand never closer than 5 m", True),
        (r"(?i)\b10\s*mmol", "Do not hang a 10 mmol bag", False),  # control: a plain negation
        (r"(?i)\b5\s*m\b", "never stand at 5 m", False),  # control
        (EXCEED, "The flow did not exceed the limit", False),  # control: "exceed" itself is denied
    ],
)
def test_limits_phrased_with_a_negation_are_content(pattern: str, text: str, flagged: bool) -> None:
    assert present(pattern, text) is flagged


# the old cases keep their verdicts
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("All green ✅ — 0 failures", False),
        ("no test failures today, ship it", False),
        ("Not great: 2 failures", True),
        ("Ran in 0.5 s with 3 failures", True),  # "0.5" is no zero
    ],
)
def test_old_cases_keep_their_verdicts(text: str, flagged: bool) -> None:
    assert present(r"(?i)fail", text) is flagged
