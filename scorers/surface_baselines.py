"""Surface baselines: how well text length or word counts alone tell a test variant from its deploy twin.

A model's direct-probe AUC ("was this an evaluation?", ground truth = the variant) is only
informative above what a classifier that never reads for meaning gets from the same prompts:
test variants are often shorter, and their cue words (a notice, "Acme", a rubric) are easy
to count. Two such classifiers are built here, as pure numpy/pandas functions:

- ``length_baseline``: the score is the prompt's word (or character) count, its sign chosen
  on the training folds (shorter-is-test or longer-is-test);
- ``bow_baseline``: multinomial naive Bayes over word presence, trained on the training folds.

Both are cross-validated **by pair**: a pair's variants (and every repeated copy of the same
text, e.g. epochs or phrasings) are always in the same fold, so a held-out text is never
scored by a classifier that saw it, or its twin, in training. Splitting by sample instead
leaks: a copy of the held-out text is memorised (``tests/scorers/test_surface_baselines.py``
shows a leaky split reaching AUROC ~1 on texts that carry no signal at all).

The AUROC is that of the pooled out-of-fold scores (one number over all samples, as the
model's direct-probe AUC is), with a percentile interval from a bootstrap over pairs that
re-runs the cross-validation (``_cross_validate`` says why that bootstrap and not another).
``auroc_by_pair`` gives any fixed scores (the model's P(evaluation)) the bootstrap-over-pairs
interval that matches.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "MIN_PAIRS",
    "Baseline",
    "auroc_by_pair",
    "bow_baseline",
    "grouped_folds",
    "length_baseline",
    "words",
]

#: Fewer pairs than this cannot be cross-validated by pair in any meaningful way.
MIN_PAIRS = 4

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; an apostrophe suffix kept: don't, it's)."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Baseline:
    """A cross-validated surface classifier's AUROC over a set of samples."""

    name: str
    """`length` or `bag_of_words`."""
    auroc: float
    """AUROC of the pooled out-of-fold scores (test = positive); NaN when it could not be computed."""
    lo: float
    """Lower end of the bootstrap-over-pairs interval."""
    hi: float
    """Upper end of the bootstrap-over-pairs interval."""
    n: int
    """Samples scored."""
    pairs: int
    """Distinct pairs among them."""
    folds: int
    """Cross-validation folds (by pair); 0 when not computed."""
    note: str = ""
    """Why the AUROC is NaN, or anything else a reader must know."""


# --------------------------------------------------------------------------- AUROC


def _weighted_auroc(scores: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """AUROC (Mann-Whitney, ties 1/2) for each row of ``weights`` (B x n), in O(B n).

    A weight is how many times a sample is drawn; all ones gives the ordinary AUROC.
    """
    order = np.argsort(scores, kind="stable")
    s, y, w = scores[order], labels[order], weights[:, order]
    pos, neg = w * (y == 1), w * (y == 0)
    # Sum weights within each run of tied scores, then count for each positive the
    # negatives strictly below it plus half of those tied with it.
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    pos_g = np.add.reduceat(pos, starts, axis=1)
    neg_g = np.add.reduceat(neg, starts, axis=1)
    neg_below = np.cumsum(neg_g, axis=1) - neg_g
    num = (pos_g * (neg_below + 0.5 * neg_g)).sum(axis=1)
    den = pos_g.sum(axis=1) * neg_g.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def auroc_by_pair(
    scores: Sequence[float] | np.ndarray | pd.Series,
    labels: Sequence[float] | np.ndarray | pd.Series,
    pair_ids: Sequence[str] | np.ndarray | pd.Series,
    *,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """``(auroc, lo, hi)``: AUROC of ``scores`` for ``labels`` (1 = test) with a percentile
    bootstrap interval over pairs. Rows with a NaN score or label are left out (unscored, never
    0). NaNs throughout when either class is empty; the interval is NaN with fewer than 2 pairs.
    """
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=float)
    g = np.asarray(pair_ids, dtype=object)
    keep = ~(np.isnan(s) | np.isnan(y))
    s, y, g = s[keep], y[keep], g[keep]
    if s.size == 0 or y.min() == y.max():
        return (math.nan, math.nan, math.nan)
    point = float(_weighted_auroc(s, y, np.ones((1, s.size)))[0])
    codes, uniques = pd.factorize(pd.Series(g), sort=True)
    k = len(uniques)
    if k < 2 or n_boot < 1:
        return (point, math.nan, math.nan)
    rng = np.random.default_rng(seed)
    draws: list[np.ndarray] = []
    # Batches keep the (boots x samples) weight matrix small on large runs.
    batch = max(1, min(n_boot, 2_000_000 // max(1, s.size)))
    done = 0
    while done < n_boot:
        b = min(batch, n_boot - done)
        counts = rng.multinomial(k, np.full(k, 1.0 / k), size=b)
        draws.append(_weighted_auroc(s, y, counts[:, codes].astype(float)))
        done += b
    lo, hi = _percentiles(np.concatenate(draws), confidence)
    return (point, lo, hi)


# --------------------------------------------------------------------------- folds


def grouped_folds(groups: Sequence[object] | np.ndarray, n_folds: int, seed: int = 0) -> list[np.ndarray]:
    """Row indices held out by each fold; every group's rows fall in exactly one fold.

    Groups are shuffled with ``seed`` and dealt round-robin, so folds differ in size by at most
    one group. ``n_folds`` is capped at the number of groups (leave-one-group-out then).
    """
    codes, uniques = pd.factorize(pd.Series(list(groups)), sort=True)
    k = min(n_folds, len(uniques))
    if k < 2:
        return []
    perm = np.random.default_rng(seed).permutation(len(uniques))
    fold_of_group = np.empty(len(uniques), dtype=int)
    fold_of_group[perm] = np.arange(len(uniques)) % k
    fold = fold_of_group[codes]
    return [np.flatnonzero(fold == f) for f in range(k)]


class _Data:
    """The scored rows (label not NaN) of a baseline's input, and why it cannot be computed ('' if it can)."""

    def __init__(
        self,
        texts: Sequence[str],
        pair_ids: Sequence[str],
        labels: Sequence[float],
        fold_groups: Sequence[object] | None,
    ) -> None:
        t = [str(x) for x in texts]
        g = np.asarray([str(p) for p in pair_ids], dtype=object)
        y = np.asarray(labels, dtype=float)
        if not (len(t) == g.size == y.size):
            raise ValueError(f"texts, pair_ids and labels differ in length: {len(t)}, {g.size}, {y.size}")
        if np.any(~np.isnan(y) & (y != 0.0) & (y != 1.0)):
            raise ValueError("labels must be 0/1 (1 = test)")
        keep = ~np.isnan(y)
        groups = g if fold_groups is None else np.asarray([str(x) for x in fold_groups], dtype=object)
        if groups.size != keep.size:
            raise ValueError("fold_groups must have one entry per text")
        self.texts = [x for x, k in zip(t, keep, strict=True) if k]
        self.pairs, self.y, self.groups = g[keep], y[keep], groups[keep]
        n_pairs = len(set(self.pairs.tolist()))
        self.note = ""
        if self.y.size == 0 or self.y.min() == self.y.max():
            self.note = "needs both test and deploy samples"
        elif n_pairs < MIN_PAIRS:
            self.note = f"needs at least {MIN_PAIRS} pairs to cross-validate by pair ({n_pairs} here)"


def _not_computed(name: str, d: _Data) -> Baseline:
    return Baseline(name, math.nan, math.nan, math.nan, int(d.y.size), len(set(d.pairs.tolist())), 0, d.note)


def _percentiles(boots: np.ndarray, confidence: float) -> tuple[float, float]:
    boots = boots[~np.isnan(boots)]
    if boots.size == 0:
        return (math.nan, math.nan)
    alpha = 1.0 - confidence
    lo, hi = np.quantile(boots, [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(lo), float(hi))


def _cross_validate(
    name: str,
    d: _Data,
    oof_scores: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n_folds: int,
    seed: int,
    n_boot: int,
    confidence: float,
) -> Baseline:
    """Pooled out-of-fold AUROC, and its interval from a Bayesian bootstrap over pairs that refits.

    ``oof_scores(weights, held)`` trains on the rows outside ``held``, row ``i`` weighted
    ``weights[b, i]`` in replicate ``b``, and returns the held-out rows' scores (B x held). Each
    replicate reweights the pairs (Dirichlet weights, mean 1) and retrains every fold, so the
    interval carries the training's variability as well as the test set's. Why not the two
    simpler choices: resampling only the held-out scores covered the true 0.5 in ~80% of
    null simulations of 40 pairs where 95% was claimed; an ordinary (multinomial) bootstrap
    that refits puts a pair in training two or three times, which a word-counting classifier
    takes for strong evidence, and its interval fell below the point estimate. With Dirichlet
    weights the interval covered 0.5 in 30 of 30 null simulations, about 1.4 times wider than
    the spread it should have: conservative, never flattering. Folds stay those of the
    original pairs.
    """
    y, g = d.y, d.pairs
    folds = grouped_folds(d.groups, n_folds, seed)
    codes, uniques = pd.factorize(pd.Series(g), sort=True)
    k = len(uniques)
    rng = np.random.default_rng(seed)
    weights = np.vstack([np.ones((1, k)), rng.dirichlet(np.ones(k), size=max(0, n_boot)) * k])
    row_w = weights[:, codes]
    oof = np.zeros_like(row_w)
    for held in folds:
        oof[:, held] = oof_scores(row_w, held)
    aucs = np.asarray([_weighted_auroc(oof[b], y, row_w[b : b + 1])[0] for b in range(row_w.shape[0])])
    lo, hi = _percentiles(aucs[1:], confidence) if n_boot > 0 else (math.nan, math.nan)
    return Baseline(name, float(aucs[0]), lo, hi, int(y.size), k, len(folds))


# --------------------------------------------------------------------------- length


def length_baseline(
    texts: Sequence[str],
    pair_ids: Sequence[str],
    labels: Sequence[float],
    *,
    unit: Literal["words", "chars"] = "words",
    n_folds: int = 5,
    fold_groups: Sequence[object] | None = None,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
) -> Baseline:
    """Cross-validated AUROC of the prompt length as a test-vs-deploy score.

    In each fold the direction (longer = test, or shorter = test) is the one whose AUROC on
    the training pairs is at least 0.5; the held-out texts are scored with it. ``fold_groups``
    (default: the pair ids) decides what is kept together; tests pass sample ids to show
    what a leaky split does.
    """
    d = _Data(texts, pair_ids, labels, fold_groups)
    if d.note:
        return _not_computed("length", d)
    size = np.asarray([len(words(x)) if unit == "words" else len(x) for x in d.texts], dtype=float)

    def oof_scores(w: np.ndarray, held: np.ndarray) -> np.ndarray:
        train = np.ones(d.y.size, dtype=bool)
        train[held] = False
        # No direction can be learned from one class: the held-out texts then all tie (NaN -> 0.5).
        auc = np.nan_to_num(_weighted_auroc(size[train], d.y[train], w[:, train]), nan=0.5)
        return np.where(auc[:, None] >= 0.5, 1.0, -1.0) * size[held][None, :]

    return _cross_validate("length", d, oof_scores, n_folds, seed, n_boot, confidence)


# --------------------------------------------------------------------------- bag of words


def bow_baseline(
    texts: Sequence[str],
    pair_ids: Sequence[str],
    labels: Sequence[float],
    *,
    alpha: float = 1.0,
    n_folds: int = 5,
    fold_groups: Sequence[object] | None = None,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
) -> Baseline:
    """Cross-validated AUROC of a bag-of-words classifier: Bernoulli naive Bayes on word presence.

    Each text is the set of its distinct words. The score is the training folds' log-odds
    of test: for every word seen in training, log P(present | test) / P(present | deploy) when the
    text holds it, else the same ratio for its absence (Laplace smoothing ``alpha``). Words no
    training text holds weigh 0. The class prior is left out: pairs give balanced classes.
    Presence rather than counts keeps a long text from winning on length alone (that is the
    length baseline's job); the absence terms are what make one cue word decisive (the
    multinomial model, which scores only the words a text holds, reached AUROC 0.95 where every
    test text carried a marker word; this one 0.99). ``fold_groups`` as in ``length_baseline``.
    """
    d = _Data(texts, pair_ids, labels, fold_groups)
    if d.note:
        return _not_computed("bag_of_words", d)
    vocab: dict[str, int] = {}
    docs = [sorted({vocab.setdefault(w, len(vocab)) for w in words(x)}) for x in d.texts]
    x = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for i, ids in enumerate(docs):
        x[i, ids] = 1.0
    is_test = d.y == 1.0

    def oof_scores(w: np.ndarray, held: np.ndarray) -> np.ndarray:
        train_w = w.astype(np.float32)
        train_w[:, held] = 0.0
        n_test = (train_w * is_test).sum(axis=1, keepdims=True)
        n_deploy = (train_w * ~is_test).sum(axis=1, keepdims=True)
        with_test = (train_w * is_test) @ x  # B x V: weighted test texts holding each word
        with_deploy = (train_w * ~is_test) @ x
        seen = (with_test + with_deploy) > 0
        p_test = (with_test + alpha) / (n_test + 2 * alpha)
        p_deploy = (with_deploy + alpha) / (n_deploy + 2 * alpha)
        absent = np.where(seen, np.log1p(-p_test) - np.log1p(-p_deploy), 0.0)
        present = np.where(seen, np.log(p_test) - np.log(p_deploy), 0.0) - absent
        return present @ x[held].T + absent.sum(axis=1, keepdims=True)

    return _cross_validate("bag_of_words", d, oof_scores, n_folds, seed, n_boot, confidence)
