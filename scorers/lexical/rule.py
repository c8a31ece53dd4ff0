"""What a rule is: a pattern for one kind of awareness, the conditions around it, and its screen keys.

A rule's *screen keys* are necessary conditions of its pattern, written around the pattern's
key word: the key literal, a regex that must match at the literal's offset (``at``) and a
condition on the text before it (``before``). ``evalaware.scorers.lexical.screen`` builds the
whole-text key screen from the keys every rule declares, so a rule and its keys live side by
side and cannot drift apart; tests check that each rule's keys pass every text the rule matches.
Keys may be looser than their rule (that only costs time); they must never be stricter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from evalaware.scorers.kinds import AwarenessKind

Requirement = Callable[[str, str, "re.Match[str]"], bool]
"""Extra condition on (lowercased sentence, original sentence, match)."""


class Before:
    """A condition on the text before a key found at offset p (of the lowercased text).

    Calling it decides the condition in Python. ``lookbehind(literal)`` gives the same
    condition as a regex that holds just *after* the literal (fixed-width lookbehinds), so
    the screen can test it inside one C-level match; a condition that has no exact regex form
    gives a *necessary* one instead, and ``exact`` says which.
    """

    exact = False

    def __call__(self, low: str, p: int) -> bool:
        raise NotImplementedError

    def lookbehind(self, literal: str) -> str:
        return ""  # no necessary condition in regex form


class AfterWord(Before):
    """The key directly follows one of ``words`` (as a suffix) and one separator character
    (whitespace, or also "-"). Unusual spacing -- two separators -- is let through."""

    exact = True

    def __init__(self, words: Sequence[str], hyphen: bool = True) -> None:
        self.suffixes = tuple(words)
        self.hyphen = hyphen

    def __call__(self, low: str, p: int) -> bool:
        if p < 2:
            return False
        sep = low[p - 1]
        if not (sep.isspace() or (self.hyphen and sep == "-")):
            return False
        return low[p - 2].isspace() or low.endswith(self.suffixes, 0, p - 1)

    def lookbehind(self, literal: str) -> str:
        # sre's \s is str.isspace (both Py_UNICODE_ISSPACE), and a lookbehind ending in the
        # literal compares exactly the characters endswith() compares
        sep = r"[\s-]" if self.hyphen else r"\s"
        lit = re.escape(literal)
        # one lookbehind per word length (each must be fixed-width): inside it, sre skips a
        # word alternative at its first character, where one lookbehind per word costs
        # ~40 ns each for every occurrence
        by_len: dict[int, list[str]] = {}
        for w in self.suffixes:
            by_len.setdefault(len(w), []).append(re.escape(w))
        heads = [r"\s", *("(?:" + "|".join(ws) + ")" for _, ws in sorted(by_len.items()))]
        return "(?:" + "|".join(f"(?<={h}{sep}{lit})" for h in heads) + ")"


class PythonCondition(Before):
    """A condition only Python decides, with an optional necessary condition that has a
    regex form (used to skip the Python call in C for most occurrences)."""

    def __init__(self, check: Callable[[str, int], bool], necessary: Before | None = None) -> None:
        self.check = check
        self.necessary = necessary

    def __call__(self, low: str, p: int) -> bool:
        return self.check(low, p)

    def lookbehind(self, literal: str) -> str:
        return self.necessary.lookbehind(literal) if self.necessary is not None else ""


def within_chars_before(pattern: re.Pattern[str], chars: int) -> Before:
    """``pattern`` occurs in the ``chars`` characters before the key."""

    def check(low: str, p: int) -> bool:
        return pattern.search(low, max(0, p - chars), p) is not None

    return PythonCondition(check)


@dataclass(frozen=True)
class ScreenKey:
    """A necessary condition of a rule, around one literal of its key word."""

    literal: str
    """Lowercase; it starts a word (after any character but a-z), unless glued to ``glued_to``."""
    at: str | None = None
    """A regex that must match at the literal's offset (None: no condition)."""
    before: Before | None = None
    """A condition on the text before the literal (None: no condition)."""
    glued_to: tuple[str, ...] = ()
    """Words the literal may follow with no separator ("an" + "eval" in "(a|an)?\\s*eval")."""
    cased: bool = False
    """Found case-sensitively in the original text, anywhere, with no condition (METR, AISI)."""


def keys(
    literals: Sequence[str], at: str | None = None, before: Before | None = None
) -> tuple[ScreenKey, ...]:
    """One key per literal; ``at`` may hold ``{word}``, replaced by the literal (spaces as ``\\s+``)."""
    return tuple(
        ScreenKey(w, at.replace("{word}", w.replace(" ", r"\s+")) if at is not None else None, before)
        for w in literals
    )


@dataclass(frozen=True)
class Rule:
    """One statement shape of one kind of awareness."""

    id: str
    """``<kind>.<shape>``, e.g. ``suspects_test.being_tested``."""
    kind: AwarenessKind
    pattern: re.Pattern[str]
    """Runs on the lowercased sentence; the group ``key`` (or ``key2``...) holds the key term."""
    anchors: tuple[str, ...]
    """Lowercase substrings; the rule runs only on sentences holding one of them."""
    screen_keys: tuple[ScreenKey, ...]
    """Necessary conditions of the pattern: a text where none holds cannot match it."""
    examples: tuple[str, ...]
    """Sentences the pattern (with ``requires``) matches: documentation, and test input."""
    negatable: bool = True
    """False when the statement's meaning is itself a negation ("this isn't a real user")."""
    veto: re.Pattern[str] | None = None
    """Topic words that mark an innocent sense (chess, networking...), unless first person."""
    requires: Requirement | None = None
    anchored: bool = False
    """The pattern starts with ``^``: try it once at the sentence start, not at every offset."""
    gate: re.Pattern[str] | None = None
    """A cheap regex (literal prefix, so sre scans fast) that must match before the rule runs."""

    def matches(self, low: str, orig: str) -> Iterator[re.Match[str]]:
        """The pattern's matches in a sentence that also meet ``requires`` (no other decision)."""
        if self.gate is not None and not self.gate.search(low):
            return
        if self.anchored:
            found = self.pattern.match(low)
            candidates: Iterable[re.Match[str]] = [found] if found else []
        else:
            candidates = self.pattern.finditer(low)
        for m in candidates:
            if self.requires is None or self.requires(low, orig, m):
                yield m
