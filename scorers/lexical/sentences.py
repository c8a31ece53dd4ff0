"""Sentence splitting: the sentence around an offset, and the sentences that hold anchor words.

A sentence ends at ".", "?" or "!" followed by whitespace (after any closing quotes or
brackets), or at a line break; "U.S.", "e.g." and initials do not end one. No sentence is
examined beyond 300 characters on either side of the offset it was found from: an overlong
"sentence" (keyword soup with no punctuation) is cut at a space inside that window, so a
single scan never costs more than a fixed amount of text.
"""

from __future__ import annotations

import re

SENTENCE_WINDOW = 300
"""How far, on each side of an offset, its sentence is looked for."""

_ENDERS = ".!?"
_CLOSERS = "\"'”’)]"

Span = tuple[int, int, set[str]]
"""A sentence's start and end offsets, and the anchor words it holds."""


def lower(text: str) -> str:
    """``text.lower()``, keeping offsets valid for the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # a handful of characters (e.g. "İ") lowercase to two; keep those as they are so
    # offsets in the lowercased text stay valid for the original
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _boundary_after(text: str, i: int) -> int:
    """If text[i] ends a sentence, the offset just after it (and any closing quote); else -1."""
    ch = text[i]
    if ch == "\n":
        return i + 1
    j = i + 1
    n = len(text)
    while j < n and (text[j] in _ENDERS or text[j] in _CLOSERS):
        j += 1
    if j < n and not text[j].isspace():
        return -1
    if ch == "." and i >= 1 and text[i - 1].isalpha() and (i < 2 or not text[i - 2].isalnum()):
        return -1  # "U.S.", "e.g.", an initial: not a sentence end
    return j


def sentence_around(text: str, pos: int) -> tuple[int, int, bool]:
    """The sentence around ``pos``, and whether the window cut it (the bounds of an uncut
    sentence are the same from every offset inside it)."""
    lo = max(0, pos - SENTENCE_WINDOW)
    start = lo
    j = pos
    while j > lo:
        i = max(
            text.rfind(".", lo, j), text.rfind("?", lo, j), text.rfind("!", lo, j), text.rfind("\n", lo, j)
        )
        if i < 0:
            break
        b = _boundary_after(text, i)
        if b != -1 and b <= pos:
            start = b
            break
        j = i
    cut = start == lo and lo > 0
    if cut:
        sp = text.find(" ", lo, pos)
        start = sp + 1 if sp != -1 else lo
    hi = min(len(text), pos + SENTENCE_WINDOW)
    end = hi
    j = pos
    while j < hi:
        cands = [
            k
            for k in (
                text.find(".", j, hi),
                text.find("?", j, hi),
                text.find("!", j, hi),
                text.find("\n", j, hi),
            )
            if k != -1
        ]
        if not cands:
            break
        i = min(cands)
        b = _boundary_after(text, i)
        if b != -1:
            end = b
            break
        j = i + 1
    if end == hi and hi < len(text):
        cut = True
        sp = text.rfind(" ", pos, hi)
        end = sp if sp > pos else hi
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, cut


def spans_at_keys(text: str, low: str, keys: list[int], anchors: re.Pattern[str]) -> list[Span] | None:
    """The candidate spans (as ``anchored_spans`` would make them) that hold a screen key.

    Exact when every sentence involved is found whole, uncut by the window, both from its
    first and from its last character: then its bounds are the same from any anchor inside
    it, so they are the bounds ``anchored_spans`` gives it, and its anchors are the anchor
    pattern's matches inside it. ``None`` otherwise (the caller then takes the whole-text path).
    """
    spans: list[Span] = []
    n = len(low)
    for q in keys:
        if spans and spans[-1][0] <= q < spans[-1][1]:
            continue
        s, e, cut = sentence_around(text, q)
        whole = (s, e, False)
        if (
            cut
            or not s <= q < e
            or sentence_around(text, s) != whole
            or sentence_around(text, e - 1) != whole
        ):
            return None
        # an anchor may run a few characters past the sentence (a trailing space)
        found = {m.group() for m in anchors.finditer(low, s, min(n, e + 16)) if m.start() < e}
        spans.append((s, e, found))
    return spans


def anchored_spans(text: str, low: str, anchors: re.Pattern[str]) -> list[Span]:
    """Sentences holding at least one anchor, each with the set of anchors it holds."""
    positions = [(m.start(), m.group()) for m in anchors.finditer(low)]
    if not positions:
        return []
    spans: list[Span] = []
    last_end = -1
    for p, a in positions:
        if p < last_end:
            spans[-1][2].add(a)
            continue
        s, e, _ = sentence_around(text, p)
        if spans and spans[-1][0] == s and spans[-1][1] == e:
            spans[-1][2].add(a)
        else:
            spans.append((s, e, {a}))
        last_end = max(e, p + 1)
    return spans
