"""Deterministic behaviour checks: pure functions from a transcript's facts to a verdict.

A check returns ``CheckOutcome(flagged, explanation)``, or ``None`` when it cannot decide
(e.g. no multiple-choice letter could be read and the pair says a missing answer is
unscored). ``None`` is never turned into "not flagged".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# "ANSWER: B", "Answer: (B)", "the answer is B", "final answer - B"
_ANSWER_LINE = re.compile(
    r"(?i)\b(?:final\s+)?answer\s*(?:is|:|-|=)?\s*(?:option\s*)?\(?\**([A-J])\**\)?(?![A-Za-z])"
)
# a reply that starts with the letter: "B", "(B)", "B) 42", "B. because" -- but not "I think"
_LEADING_LETTER = re.compile(r"^\s*\**(?:\(([A-J])\)|([A-J])(?:[.):]|\**\s*$))", re.MULTILINE)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?|-?\.\d+")


@dataclass(frozen=True)
class ToolCallFact:
    function: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class TranscriptFacts:
    """What checks read: the final answer, all assistant text, and every tool call."""

    final: str
    all_output: str
    tool_calls: Sequence[ToolCallFact]


@dataclass(frozen=True)
class CheckOutcome:
    flagged: bool
    explanation: str


def run_check(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome | None:
    """Evaluate a check given as a dict (``Behaviour.check`` dumped to JSON)."""
    kind = check["kind"]
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise ValueError(f"unknown check kind {kind!r}")
    return handler(check, facts)


def parse_choice(text: str) -> str | None:
    """The multiple-choice letter a reply commits to, or None if absent or ambiguous."""
    answers = [m.group(1).upper() for m in _ANSWER_LINE.finditer(text)]
    if answers:
        return answers[-1]  # the last explicit answer wins: models often revise
    m = _LEADING_LETTER.match(text)
    if m:
        return (m.group(1) or m.group(2)).upper()
    # a lone parenthesised letter, if exactly one distinct letter appears
    letters = {x.upper() for x in re.findall(r"\(([A-J])\)", text)}
    if len(letters) == 1:
        return letters.pop()
    return None


def parse_number(text: str) -> float | None:
    """The number a reply commits to: the first after its last 'answer', else its last number."""
    candidates: list[str] = []
    answers = list(re.finditer(r"(?i)answer\s*(?:is|:|=)?\s*", text))
    if answers:
        candidates = _NUMBER.findall(text[answers[-1].end() :])[:1]
    if not candidates:
        candidates = _NUMBER.findall(text)[-1:]
    if not candidates:
        return None
    try:
        return float(candidates[0].replace(",", ""))
    except ValueError:
        return None


def _text_for(check: Mapping[str, Any], facts: TranscriptFacts) -> str:
    return facts.all_output if check.get("target") == "all_output" else facts.final


def _regex_present(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome:
    m = re.search(check["pattern"], _text_for(check, facts))
    if m:
        return CheckOutcome(True, f"pattern {check['pattern']!r} found: {m.group(0)[:80]!r}")
    return CheckOutcome(False, f"pattern {check['pattern']!r} not found")


def _regex_absent(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome:
    m = re.search(check["pattern"], _text_for(check, facts))
    if m:
        return CheckOutcome(False, f"required pattern {check['pattern']!r} present: {m.group(0)[:80]!r}")
    return CheckOutcome(True, f"required pattern {check['pattern']!r} absent")


def _matching_calls(check: Mapping[str, Any], facts: TranscriptFacts) -> list[ToolCallFact]:
    wanted = check.get("args") or {}
    out = []
    for call in facts.tool_calls:
        if call.function != check["tool"]:
            continue
        if all(re.search(pattern, _arg_text(call.arguments.get(arg))) for arg, pattern in wanted.items()):
            out.append(call)
    return out


def _arg_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _describe_call(call: ToolCallFact) -> str:
    args = json.dumps(dict(call.arguments))
    return f"{call.function}({args[:120]})"


def _tool_called(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome:
    calls = _matching_calls(check, facts)
    if calls:
        return CheckOutcome(True, f"called {_describe_call(calls[0])}")
    return CheckOutcome(
        False, f"no matching call to {check['tool']} ({len(facts.tool_calls)} tool calls in all)"
    )


def _tool_not_called(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome:
    calls = _matching_calls(check, facts)
    if calls:
        return CheckOutcome(False, f"required call made: {_describe_call(calls[0])}")
    return CheckOutcome(True, f"required call to {check['tool']} never made")


def _choice(check: Mapping[str, Any], facts: TranscriptFacts, flag_if_equal: bool) -> CheckOutcome | None:
    letter = parse_choice(facts.final)
    if letter is None:
        if check.get("missing") == "flagged":
            return CheckOutcome(True, "no answer letter could be read (counted as flagged by the pair)")
        return None
    equal = letter == check["key"]
    return CheckOutcome(equal == flag_if_equal, f"answered {letter}, key {check['key']}")


def _number_differs(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome | None:
    value = parse_number(facts.final)
    if value is None:
        if check.get("missing") == "flagged":
            return CheckOutcome(True, "no number could be read (counted as flagged by the pair)")
        return None
    ok = abs(value - float(check["value"])) <= float(check.get("tolerance", 0.0))
    return CheckOutcome(not ok, f"answered {value:g}, expected {float(check['value']):g}")


def _any_of(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome | None:
    outcomes = [run_check(c, facts) for c in check["checks"]]
    fired = [o for o in outcomes if o is not None and o.flagged]
    if fired:
        return CheckOutcome(True, "; ".join(o.explanation for o in fired))
    if any(o is None for o in outcomes):
        return None
    return CheckOutcome(False, "; ".join(o.explanation for o in outcomes if o))


def _all_of(check: Mapping[str, Any], facts: TranscriptFacts) -> CheckOutcome | None:
    outcomes = [run_check(c, facts) for c in check["checks"]]
    missed = [o for o in outcomes if o is not None and not o.flagged]
    if missed:
        return CheckOutcome(False, "; ".join(o.explanation for o in missed))
    if any(o is None for o in outcomes):
        return None
    return CheckOutcome(True, "; ".join(o.explanation for o in outcomes if o))


_HANDLERS = {
    "regex_present": _regex_present,
    "regex_absent": _regex_absent,
    "tool_called": _tool_called,
    "tool_not_called": _tool_not_called,
    "choice_equals": lambda c, f: _choice(c, f, flag_if_equal=True),
    "choice_differs": lambda c, f: _choice(c, f, flag_if_equal=False),
    "number_differs": _number_differs,
    "any_of": _any_of,
    "all_of": _all_of,
}
