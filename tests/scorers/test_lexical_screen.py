"""The lexical detector's key screen: fast, built from the rules, and never stricter than them.

``evalaware.scorers.lexical.detector.KEY_SCREEN`` decides, before any sentence is examined,
whether any rule could match. It is built from the screen keys each rule declares, and compiled
for speed (one Aho-Corasick pass, one regex per key occurrence), so it is checked here twice:

- against a plain reference: every word-start occurrence of every literal of ``screen_table``,
  each check run as written;
- rule by rule: a screen built from one rule's keys alone passes, inside the sentence, every
  text that rule's pattern matches (its own examples, the labelled corpus, word salad,
  synthetic transcripts), and each rule's keys are words its pattern spells out.

Texts come from the awareness corpus, the benchmark's synthetic transcripts and seeded word
salad built from the screen's own vocabulary (keys, the words that must precede them, odd
spacing, non-ASCII characters).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from evalaware.scorers.lexical import detector
from evalaware.scorers.lexical.catalogue import ALL_RULES
from evalaware.scorers.lexical.detector import KEY_SCREEN, detect
from evalaware.scorers.lexical.negation import SentenceNegation, negated_plainly
from evalaware.scorers.lexical.rule import AfterWord, Rule
from evalaware.scorers.lexical.screen import KeyScreen, first_word, glued_words
from evalaware.scorers.lexical.sentences import anchored_spans, lower

from bench.synth import transcripts

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "awareness_corpus.jsonl"
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


GLUED = glued_words(ALL_RULES)


def _screen(text: str, low: str) -> list[int]:
    return KEY_SCREEN(text, low)


def _screen_table() -> dict[str, list]:
    return KEY_SCREEN.table


def reference_screen(text: str, low: str) -> list[int]:
    """The screen's meaning, written plainly: slow, obviously right."""
    found = [m.start() for word in KEY_SCREEN.cased for m in re.finditer(word, text)]
    for literal, checks in _screen_table().items():
        glued = GLUED.get(first_word(literal), ())
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
            if isinstance(before, AfterWord):
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
        befores = list(before.suffixes) if isinstance(before, AfterWord) and rng.random() < 0.8 else vocab
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
    "They are recording what I say.",
    "Someone made up this premise.", "A vignette designed to probe.",
    "Everything I say is scrutinised.", "My work is scrutinized.",
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
        low = lower(text)
        expected = reference_screen(text, low)
        assert _screen(text, low) == expected, text[:300]
        hits += bool(expected)
    assert hits >= len(texts) // 50  # the texts really exercise passing keys


def test_the_texts_make_every_literal_pass() -> None:
    # the equality above only tests the compiled checks of literals that pass somewhere
    passed: set[str] = set()
    for text in word_salad(6000, seed=11) + _corpus_texts() + PHRASES:
        low = lower(text)
        for p in _screen(text, low):
            passed.update(lit for lit in _screen_table() if low.startswith(lit, p))
    missing = sorted(set(_screen_table()) - passed)
    assert not missing


def test_offsets_survive_non_ascii_before_a_key() -> None:
    text = "Ünïcödé — “İ” 🙂 I think this is an alignment test."
    low = lower(text)
    found = _screen(text, low)
    assert found == reference_screen(text, low)
    assert any(low.startswith("test", p) for p in found)
    (hit,) = detect(text)
    assert text[hit.match_start : hit.match_start + len(hit.match)] == hit.match
    assert hit.match.endswith("alignment test")


def test_after_word_regex_equals_python() -> None:
    cond = AfterWord(("safety", "alignment", "'s", "a"), hyphen=True)
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
    monkeypatch.setattr(detector, "KEY_SCREEN", lambda text, low: [0])
    monkeypatch.setattr(detector, "spans_at_keys", lambda text, low, keys, anchors: None)
    slow = [detect(text) for text in texts]
    assert sum(map(bool, slow)) > 100
    assert fast == slow


# --------------------------------------------------------------------------- rule by rule
RULE_SCREENS = {rule.id: KeyScreen((rule,)) for rule in ALL_RULES}


def _rule_matches(rule: Rule, low: str, orig: str) -> list[re.Match[str]]:
    return list(rule.matches(low, orig))


def test_rule_ids_are_unique_and_name_their_kind() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.id.startswith(rule.kind + ".") for rule in ALL_RULES)


def _spelled_out(word: str, pattern: str) -> bool:
    """``word`` is written in ``pattern``, literally or through a character class ("scrutini[sz]ed")."""
    tokens = re.findall(r"(?:[a-z]|\[[a-z]+\])+", pattern)
    return word in pattern or any(re.fullmatch(token, word) for token in tokens if "[" in token)


def test_every_rule_declares_keys_its_pattern_spells_out() -> None:
    for rule in ALL_RULES:
        assert rule.screen_keys, rule.id
        for key in rule.screen_keys:
            # METR / AISI are screened in upper case on the original text, as the rule requires
            assert _spelled_out(first_word(key.literal.lower()), rule.pattern.pattern), (rule.id, key.literal)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_each_rule_matches_its_examples_and_its_keys_pass_them(rule: Rule) -> None:
    assert rule.examples, rule.id
    for example in rule.examples:
        low = lower(example)
        assert _rule_matches(rule, low, example), (rule.id, example)
        assert RULE_SCREENS[rule.id](example, low), (rule.id, example)


def _texts_for_rules() -> list[str]:
    examples = [example for rule in ALL_RULES for example in rule.examples]
    return (
        examples
        + _corpus_texts()
        + PHRASES
        + word_salad(2500, seed=41)
        + transcripts(60, seed=5, aware_rate=0.5)
    )


def test_each_rules_own_keys_pass_every_sentence_it_matches() -> None:
    """The screen is never stricter than any rule: wherever a rule's pattern (with its
    requirement) matches a sentence, a screen of that rule's keys alone passes a key in it."""
    matched: dict[str, int] = {rule.id: 0 for rule in ALL_RULES}
    anchors = detector.ANCHOR_PATTERN
    for text in _texts_for_rules():
        low = lower(text)
        spans = anchored_spans(text, low, anchors)
        if not spans:
            continue
        for rule in ALL_RULES:
            keys: list[int] | None = None
            for s, e, _ in spans:
                if not _rule_matches(rule, low[s:e], text[s:e]):
                    continue
                matched[rule.id] += 1
                if keys is None:
                    keys = RULE_SCREENS[rule.id](text, low)
                assert any(s <= p < e for p in keys), (rule.id, text[s:e])
    assert all(matched.values()), [rule_id for rule_id, n in matched.items() if not n]


# --------------------------------------------------------------------------- negation, shared scans
def test_sentence_negation_equals_the_plain_scans() -> None:
    """The per-sentence negation (one scan per sentence, read by every match) decides exactly as
    one plain scan per match does, at every offset of sentences dense in cues and breaks."""
    rng = random.Random(17)
    cues = ["not", "no", "isn't", "isnt", "don’t", "n't", "nothing", "rather than", "instead  of", "not sure",
            "can't rule out", "may well not", "whether or not", "even if"]  # fmt: skip
    breaks = ["but", "although", "though", "however", ",", ";", " - ", "(", "—"]
    words = [*cues, *breaks, "this", "is", "a", "test", "eval", "x"]
    salad = ["".join(rng.choice(words) + rng.choice(["", " ", "  "]) for _ in range(80)) for _ in range(100)]
    texts = _corpus_texts() + salad
    checked = 0
    for text in texts:
        low = lower(text)
        shared = SentenceNegation(low)
        # every offset, not only word starts: the shortcuts must hold wherever a match may start
        for match_start in range(len(low)):
            for key_pos in range(match_start, min(len(low), match_start + 12), 3):
                assert shared.negated(key_pos, match_start) == negated_plainly(low, key_pos, match_start), (
                    text
                )
                checked += 1
    assert checked > 50_000


def test_screening_a_head_finds_the_same_first_keys() -> None:
    rng = random.Random(3)
    texts = [" ".join(word_salad(400, seed=s)) for s in range(8)] + _corpus_texts()[:50]
    for text in texts:
        low = lower(text)
        whole = KEY_SCREEN(text, low)
        for before in (0, 1, 17, *(rng.randrange(len(low) + 1) for _ in range(10)), len(low)):
            assert KEY_SCREEN(text, low, before=before) == [p for p in whole if p < before], before
