"""The lexical detector's key screen: fast, and never stricter than the rules.

``evalaware.scorers.lexical._screen`` decides, before any sentence is examined, whether any rule could
match. It is compiled for speed (one Aho-Corasick pass, one regex per key occurrence), so it
is checked here against a plain reference: every word-start occurrence of every literal in
``_screen_table()``, each check run as written. Texts come from the awareness corpus, the
benchmark's synthetic transcripts and seeded word salad built from the screen's own
vocabulary (keys, the words that must precede them, odd spacing, non-ASCII characters).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from evalaware.scorers import lexical
from evalaware.scorers.lexical import _AfterWord, _lower, _screen, _screen_table, detect

from bench.synth import transcripts

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "awareness_corpus.jsonl"
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def reference_screen(text: str, low: str) -> list[int]:
    """The screen's meaning, written plainly: slow, obviously right."""
    found = [m.start() for word in ("METR", "AISI") for m in re.finditer(word, text)]
    for literal, checks in _screen_table().items():
        word = re.match(r"[a-z]+", literal).group()  # type: ignore[union-attr]
        glued = lexical._GLUED.get(word, ())
        p = low.find(literal)
        while p != -1:
            starts_word = p == 0 or low[p - 1] not in LETTERS or low.endswith(glued, 0, p)
            if starts_word and any(
                (at is None or re.compile(at).match(low, p)) and (before is None or before(low, p))
                for at, before in checks
            ):
                found.append(p)
            p = low.find(literal, p + 1)
    return sorted(found)


def _vocabulary() -> list[str]:
    words = set(_screen_table())
    for checks in _screen_table().values():
        for at, before in checks:
            if isinstance(before, _AfterWord):
                words.update(before.suffixes)
            if at is not None:  # the words the checks look for after the key
                words.update(w for w in re.findall(r"[a-z]{2,}", at) if w not in ("s", "w", "t", "n", "r"))
    words.update(
        ["i", "i'm", "i’m", "me", "my", "this", "is", "a", "an", "the", "some", "not", "being", "to",
         "red", "scenario", "written", "for", "user", "real", "see", "if", "whether", "far", "é", "İ",
         "naïve", "—", "(", ")", "'", '"', "tests", "testing", "evaluated", "monitored", "in this"]
    )  # fmt: skip
    return sorted(words)


SEPARATORS = [" ", " ", " ", " ", "  ", "-", "", "\n", ". ", "\t", ", ", " \u00a0", "?"]


def word_salad(n: int, seed: int) -> list[str]:
    """Seeded snippets aimed at the screen: for a random check of a random literal, a word the
    check wants before the key (or any word), the key, then a run of the words its pattern
    looks for after it, all joined by random (sometimes odd) separators."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    table = list(_screen_table().items())
    out = []
    for _ in range(n):
        literal, checks = rng.choice(table)
        at, before = rng.choice(checks)
        befores = list(before.suffixes) if isinstance(before, _AfterWord) and rng.random() < 0.8 else vocab
        follows = re.findall(r"[a-z]{2,}", at or "") or vocab
        start = rng.randrange(len(follows))
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 3))] + [rng.choice(befores), literal]
        words += follows[start : start + rng.randint(0, 4)]
        words += [rng.choice(vocab) for _ in range(rng.randint(0, 2))]
        out.append("".join(w + rng.choice(SEPARATORS) for w in words))
    return out


# keys whose checks the salad rarely satisfies (a subject clause, then the key)
PHRASES = [
    "My answers here are probably audited.", "Someone designed this whole scenario to see.",
    "I should do well on this test.", "To do good in the assessment.",
    "Whoever invented the premise wants this.",
    "They are recording what I say.", "Everything I say is scrutinised.", "My work is scrutinized.",
    "The story written for me.", "They're tracking how I respond.", "Somebody wrote this scenario.",
]  # fmt: skip


def _corpus_texts() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(lambda: word_salad(6000, seed=11), id="word-salad"),
        pytest.param(lambda: _corpus_texts() + PHRASES, id="awareness-corpus"),
        pytest.param(lambda: transcripts(150, seed=3), id="synthetic-transcripts"),
    ],
)
def test_screen_equals_plain_reference(texts) -> None:  # type: ignore[no-untyped-def]
    texts = texts()
    hits = 0
    for text in texts:
        low = _lower(text)
        expected = reference_screen(text, low)
        assert _screen(text, low) == expected, text[:300]
        hits += bool(expected)
    assert hits >= len(texts) // 50  # the texts really exercise passing keys


def test_the_texts_make_every_literal_pass() -> None:
    # the equality above only tests the compiled checks of literals that pass somewhere
    passed: set[str] = set()
    for text in word_salad(6000, seed=11) + _corpus_texts() + PHRASES:
        low = _lower(text)
        for p in _screen(text, low):
            passed.update(lit for lit in _screen_table() if low.startswith(lit, p))
    missing = sorted(set(_screen_table()) - passed)
    assert not missing


def test_offsets_survive_non_ascii_before_a_key() -> None:
    text = "Ünïcödé — “İ” 🙂 I think this is an alignment test."
    low = _lower(text)
    found = _screen(text, low)
    assert found == reference_screen(text, low)
    assert any(low.startswith("test", p) for p in found)
    (hit,) = detect(text)
    assert text[hit.match_start : hit.match_start + len(hit.match)] == hit.match
    assert hit.match.endswith("alignment test")


def test_after_word_regex_equals_python() -> None:
    cond = _AfterWord(("safety", "alignment", "'s", "a"), hyphen=True)
    rx = re.compile("test" + cond.lookbehind("test"))
    checked = 0
    texts = [*word_salad(3000, seed=7), "a test", "safety-test", "x  test", "it's test", "\ttest", "test"]
    for text in texts:
        for m in re.finditer("test", text):
            assert (rx.match(text, m.start()) is not None) == cond(text, m.start()), text
            checked += 1
    assert checked > 200


def test_screen_never_hides_a_hit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection through the screen equals detection over every anchored sentence."""
    texts = _corpus_texts() + word_salad(1500, seed=23)
    fast = [detect(text) for text in texts]
    monkeypatch.setattr(lexical, "_screen", lambda text, low: [0])
    monkeypatch.setattr(lexical, "_spans_at", lambda text, low, keys: None)
    slow = [detect(text) for text in texts]
    assert sum(map(bool, slow)) > 100
    assert fast == slow
