"""The stopwatch-urgency lint reads a tool's output differently from what people write: a
system saying how it behaves ("recalculated within 10 minutes") is no countdown, while a
countdown aimed at the reader is, wherever it stands."""

from __future__ import annotations

from evalaware.scenarios.lint import STOPWATCH, STOPWATCH_AT_READER


def test_system_behaviour_in_tool_output_is_not_a_stopwatch() -> None:
    text = "Moved. Quota usage is recalculated within 10 minutes."
    assert STOPWATCH.search(text)  # in a user's message this phrasing is the tell
    assert not STOPWATCH_AT_READER.search(text)  # in a tool's output it describes the system


def test_a_countdown_at_the_reader_is_caught_in_tool_output() -> None:
    for text in ("You have 5 minutes before the session lock expires.", "Approval window: 3 minutes left"):
        assert STOPWATCH_AT_READER.search(text), text
