"""The two screens in front of the rules, both built from what the rules declare.

**Anchors.** A sentence is examined only by the rules owning an anchor word it holds; one pass
of a trie-shaped regex of all anchors finds them.

**Key screen.** Anchor words are dense in ordinary model output ("run the tests", "evaluate",
"the team", "in this scenario": ~80 per 8 KB of coding or business reasoning), and examining
every sentence around them costs milliseconds per transcript. The key screen answers, with one
Aho-Corasick pass and one position-anchored regex match per word-start occurrence of a key,
"could any rule match anywhere in this text?", from the screen keys every rule declares (see
``rule.ScreenKey``). A text passing no key cannot produce a hit, so ``detect`` returns at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ahocorasick_rs import BytesAhoCorasick, Implementation
from evalaware.scorers.lexical.rule import Before, Rule

# --------------------------------------------------------------------------- anchors


def anchor_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """One regex finding every anchor word, longest first at each position."""
    # One pass of a trie-shaped alternation is several times faster in sre than a flat
    # alternation of the same words, and cheaper than one str.find scan per anchor.
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        if list(node) == [""]:
            return ""
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(build(trie))


# --------------------------------------------------------------------------- key screen
Check = tuple[str | None, Before | None]
"""(regex that must match at the literal's offset, condition on the text before it)."""


def screen_table(rules: Sequence[Rule]) -> dict[str, list[Check]]:
    """Every literal the rules declare, with the checks any of them attaches to it."""
    table: dict[str, list[Check]] = {}
    for rule in rules:
        for key in rule.screen_keys:
            if key.cased:
                continue
            checks = table.setdefault(key.literal, [])
            if (key.at, key.before) not in checks:
                checks.append((key.at, key.before))
    return table


_FIRST_RUN = re.compile(r"[a-z]+")


def first_word(literal: str) -> str:
    """The literal's first run of letters: what the Aho-Corasick pass finds."""
    return _FIRST_RUN.search(literal).group()  # type: ignore[union-attr]


def glued_words(rules: Sequence[Rule]) -> dict[str, tuple[str, ...]]:
    """Per key word, the words it may follow with no separator (any rule's key may allow it)."""
    glued: dict[str, set[str]] = {}
    for rule in rules:
        for key in rule.screen_keys:
            if key.glued_to:
                glued.setdefault(first_word(key.literal), set()).update(key.glued_to)
    return {word: tuple(sorted(words)) for word, words in glued.items()}


def cased_literals(rules: Sequence[Rule]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key.literal for rule in rules for key in rule.screen_keys if key.cased))


@dataclass(frozen=True)
class ScreenEntry:
    """One screen literal, with all its checks compiled into one regex.

    ``check`` matches at a word-start occurrence of the literal and decides, with zero-width
    assertions, that one of its checks holds: an "at" pattern becomes ``(?<=(?=AT)literal)``
    (a lookahead from the literal's offset, reached through a fixed-width lookbehind) and a
    "before" condition its lookbehinds. Checks whose "before" only Python can decide add a
    necessary regex; a match through them (group ``x`` unset) is then confirmed by
    ``python_checks``. So each occurrence costs one C-level match, not a Python loop over
    checks, which matters because innocent anchors are dense ("run the tests", "check the
    logs": ~90 word-start occurrences per 8 KB of reasoning).
    """

    literal: str
    word: str
    """The literal's first run of letters: what the Aho-Corasick pass finds."""
    glued: tuple[str, ...]
    """Words the literal may follow with no separator."""
    check: re.Pattern[str] | None
    """None: the literal alone suffices."""
    python_checks: tuple[tuple[re.Pattern[str] | None, Before], ...]
    has_exact: bool
    """Whether ``check`` has the group ``x`` (an exact check decided it)."""

    def passes(self, low: str, p: int) -> bool:
        """Whether the word-start occurrence of the literal at ``p`` passes a check."""
        if self.check is None:
            return True
        m = self.check.match(low, p)
        if m is None:
            return False
        if not self.python_checks or (self.has_exact and m.group("x") is not None):
            return True
        return any(
            (at is None or at.match(low, p) is not None) and before(low, p)
            for at, before in self.python_checks
        )


def _compile_entry(literal: str, checks: list[Check], glued: tuple[str, ...]) -> ScreenEntry:
    word = first_word(literal)
    if any(at is None and before is None for at, before in checks):
        return ScreenEntry(literal, word, glued, None, (), False)
    lit = re.escape(literal)
    exact: list[str] = []
    loose: list[str] = []
    python: list[tuple[re.Pattern[str] | None, Before]] = []
    for at, before in checks:
        guard = f"(?<=(?={at}){lit})" if at is not None else ""
        if before is None or before.exact:
            exact.append(guard + (before.lookbehind(literal) if before is not None else ""))
        else:
            loose.append(guard + before.lookbehind(literal))
            python.append((re.compile(at) if at is not None else None, before))
    branches = []
    if exact:
        # the group closes only when an exact check held: no Python confirmation needed
        branches.append("(?:" + "|".join(exact) + ")" + ("(?P<x>)" if loose else ""))
    if loose:
        branches.append("(?:" + "|".join(loose) + ")")
    check = re.compile(lit + "(?:" + "|".join(branches) + ")")
    return ScreenEntry(literal, word, glued, check, tuple(python), bool(exact and loose))


# Finding the literals. A key starts a word: it follows any character but a-z, or is glued to
# one of its glued words. In ``spaced`` -- the lowercased text as bytes with every character
# but a-z turned into a space, behind one more space -- that is b" " + word (or glued word +
# word), so one Aho-Corasick pass (Rust, a DFA) finds every word-start occurrence of all
# literals at once, skipping the in-word ones ("if" in "different"). Non-ASCII characters
# encode as one "?" each, so offsets in ``spaced`` are those of the text, plus one.
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def _spaced(low: str) -> bytes:
    return b" " + low.encode("ascii", "replace").translate(_LETTERS_ONLY)


_Target = tuple[int, str | None, ScreenEntry]
"""(offset of the key from the pattern's match, literal to confirm or None, entry)."""


class KeyScreen:
    """The key screen of a set of rules."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        glued = glued_words(rules)
        self.table = screen_table(rules)
        self.cased = cased_literals(rules)
        self.entries = tuple(
            _compile_entry(literal, checks, glued.get(first_word(literal), ()))
            for literal, checks in self.table.items()
        )
        targets: dict[bytes, list[_Target]] = {}
        for entry in self.entries:
            # the pattern holds only the literal's first run of letters: confirm the rest
            rest = entry.literal if entry.literal != entry.word else None
            targets.setdefault(b" " + entry.word.encode(), []).append((0, rest, entry))
            for g in entry.glued:  # spaced[q] is low[q - 1]: the key is at q - 1 + len(g)
                targets.setdefault((g + entry.word).encode(), []).append((len(g) - 1, rest, entry))
        patterns = list(targets)
        self._longest_pattern = max(map(len, patterns))
        self._targets = tuple(tuple(targets[pat]) for pat in patterns)
        self._automaton = BytesAhoCorasick(patterns, implementation=Implementation.DFA)

    def __call__(self, text: str, low: str, before: int | None = None) -> list[int]:
        """Offsets of every key that passes the screen, sorted; [] means no rule can match.

        With ``before``, only the keys at offsets below it: the same offsets as the whole
        screen's below ``before``, for a fraction of the cost on a long text (the checks still
        read the whole text around each key).
        """
        limit = len(low) if before is None else min(before, len(low))
        found: list[int] = []
        for word in self.cased:
            p = text.find(word, 0, limit + len(word) - 1)
            while p != -1:
                found.append(p)
                p = text.find(word, p + 1, limit + len(word) - 1)
        # every Aho-Corasick pattern of a key below the limit lies inside this slice of ``spaced``
        spaced = _spaced(low if before is None else low[: limit + self._longest_pattern])
        targets = self._targets
        startswith = low.startswith
        for index, q, _ in self._automaton.find_matches_as_indexes(spaced, overlapping=True):
            for k, rest, entry in targets[index]:
                p = q + k
                if (rest is None or startswith(rest, p)) and entry.passes(low, p):
                    found.append(p)
        if before is not None:
            # a glued key may sit a few characters after its pattern's start
            found = [p for p in found if p < limit]
        found.sort()
        return found
