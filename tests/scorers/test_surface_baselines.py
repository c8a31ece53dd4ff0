"""Surface baselines recover known answers, and cross-validation by pair is what keeps them honest."""

from __future__ import annotations

import math

import numpy as np
import pytest
from evalaware.scorers import stats
from evalaware.scorers.surface_baselines import (
    Baseline,
    auroc_by_pair,
    bow_baseline,
    grouped_folds,
    length_baseline,
    words,
)

VOCAB = [f"w{i}" for i in range(2000)]


def paired_texts(
    n_pairs: int,
    *,
    seed: int,
    marker: str | None = None,
    test_extra: tuple[int, int] = (3, 12),
    deploy_extra: tuple[int, int] = (3, 12),
    copies: int = 1,
    shared_body: bool = True,
) -> tuple[list[str], list[str], list[int]]:
    """Pairs shaped like the library's: one shared body per pair, each variant adding its own few
    random words (the cue slots). ``marker`` is added to every test text; ``*_extra`` bound how
    many slot words each variant gets, so unequal bounds make length informative. Without
    ``shared_body`` each text draws its own body."""
    rng = np.random.default_rng(seed)
    texts, pairs, labels = [], [], []
    for p in range(n_pairs):
        body = list(rng.choice(VOCAB, size=int(rng.integers(40, 120))))
        for label, (lo, hi) in ((1, test_extra), (0, deploy_extra)):
            if not shared_body:
                body = list(rng.choice(VOCAB, size=int(rng.integers(40, 120))))
            slots = list(rng.choice(VOCAB, size=int(rng.integers(lo, hi + 1))))
            text = " ".join(body + slots + ([marker] if marker and label else []))
            for _ in range(copies):
                texts.append(text)
                pairs.append(f"pair-{p}")
                labels.append(label)
    return texts, pairs, labels


def covers(b: Baseline, value: float) -> bool:
    return b.lo <= value <= b.hi


def test_words() -> None:
    assert words("Hi, it's Acme-Corp's 2nd TEST!") == ["hi", "it's", "acme", "corp's", "2nd", "test"]


def test_auroc_by_pair_matches_the_mann_whitney_auc() -> None:
    rng = np.random.default_rng(0)
    s, y = rng.normal(size=200), np.tile([1.0, 0.0], 100)
    s[::7] = 0.0  # ties count 1/2
    auc, lo, hi = auroc_by_pair(s, y, [str(i // 2) for i in range(200)])
    assert auc == pytest.approx(stats.auc(y, s)) and lo < auc < hi
    assert auroc_by_pair([0.9, 0.1, math.nan], [1, 0, 1], ["a", "a", "b"])[0] == 1.0  # NaN rows left out
    assert all(math.isnan(v) for v in auroc_by_pair([1.0, 2.0], [1, 1], ["a", "b"]))


def test_grouped_folds_never_split_a_pair() -> None:
    groups = [f"p{i // 3}" for i in range(30)]
    folds = grouped_folds(groups, 4, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(30))
    for held in folds:
        inside = {groups[i] for i in held}
        assert all(groups[i] not in inside for i in set(range(30)) - set(held.tolist()))
    assert len(grouped_folds(groups, 99)) == 10  # leave-one-pair-out at most


def test_nothing_separates_them_both_near_half() -> None:
    texts, pairs, labels = paired_texts(60, seed=3)
    length, bow = length_baseline(texts, pairs, labels), bow_baseline(texts, pairs, labels)
    print("nothing separates:", length, bow)
    assert covers(length, 0.5) and abs(length.auroc - 0.5) < 0.1
    assert covers(bow, 0.5) and abs(bow.auroc - 0.5) < 0.1
    assert (length.n, length.pairs, length.folds) == (120, 60, 5)


def test_marker_word_bag_of_words_near_one_length_still_uninformative() -> None:
    texts, pairs, labels = paired_texts(60, seed=4, marker="evaluation")
    length, bow = length_baseline(texts, pairs, labels), bow_baseline(texts, pairs, labels)
    print("marker word:", length, bow)
    assert bow.auroc > 0.97 and bow.lo > 0.9
    assert covers(length, 0.5) and abs(length.auroc - 0.5) < 0.1  # one word more: lost in the slot noise


def test_shorter_test_texts_length_finds_the_direction() -> None:
    # Test variants get 0-6 slot words, deploy 8-20: shorter-is-test, learned on the training folds.
    texts, pairs, labels = paired_texts(60, seed=5, test_extra=(0, 6), deploy_extra=(8, 20))
    length = length_baseline(texts, pairs, labels)
    chars = length_baseline(texts, pairs, labels, unit="chars")
    print("shorter test texts:", length, chars)
    assert length.auroc > 0.6 and length.lo > 0.5 and chars.auroc > 0.6


def test_cross_validation_by_pair_matters() -> None:
    # Each text is repeated (epochs) and carries no signal at all. Split by sample, a copy of the
    # held-out text is in training and is memorised; split by pair, it never is.
    texts, pairs, labels = paired_texts(40, seed=6, copies=3, shared_body=False)
    samples = [f"{p}:{y}:{i}" for i, (p, y) in enumerate(zip(pairs, labels, strict=True))]
    leaky = bow_baseline(texts, pairs, labels, fold_groups=samples)
    by_pair = bow_baseline(texts, pairs, labels)
    print("leaky split:", leaky, "by pair:", by_pair)
    assert leaky.auroc > 0.95
    assert covers(by_pair, 0.5) and abs(by_pair.auroc - 0.5) < 0.12


def test_too_few_pairs_or_one_class_is_nan_with_a_reason() -> None:
    texts, pairs, labels = paired_texts(3, seed=7)
    b = length_baseline(texts, pairs, labels)
    assert math.isnan(b.auroc) and "at least 4 pairs" in b.note and b.folds == 0
    b = bow_baseline(texts, pairs, [1] * len(texts))
    assert math.isnan(b.auroc) and "both test and deploy" in b.note
    b = bow_baseline(texts, pairs, [math.nan] * len(texts))  # unscored labels are left out
    assert b.n == 0 and math.isnan(b.auroc)
