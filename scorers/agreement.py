"""Agreement between raters of the same samples: Cohen's kappa for two, Fleiss' kappa for more.

The raters are the awareness judges of a panel (``AwarenessResult.judges``) and the lexical
detector. A verdict a rater did not give (an unscored judge) is left out: a sample enters a
comparison only when every rater compared gave a verdict on it, and the number compared is
reported with the statistic, never padded with zeros.

Two raters reuse the check-against-judge statistics of ``evalaware.scorers.behaviour_judge``
(``check_judge_agreement``: Cohen's kappa, the raw 2x2 counts, a Wilson interval for the share
agreeing), bootstrapped over samples. Fleiss' kappa for three or more raters is here, with the
same kind of interval: a percentile bootstrap over samples (``n_boot`` resamples, fixed seed),
withheld below ``AGREEMENT_MIN_N`` compared samples or when kappa is undefined in more than 5% of
the resamples (all raters gave one verdict). Samples are resampled one by one, which treats them
as independent; a pair's test and deploy samples share a scenario, so the interval may be a
little narrow.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from evalaware.scorers.behaviour_judge import AGREEMENT_MIN_N, check_judge_agreement

__all__ = [
    "INTERVAL_METHOD",
    "FleissAgreement",
    "PairAgreement",
    "cohen",
    "fleiss",
    "fleiss_kappa",
    "rater_agreements",
]

INTERVAL_METHOD = (
    f"95% percentile bootstrap over samples (the report's resamples and seed); none below {AGREEMENT_MIN_N} "
    "compared samples"
)


@dataclass(frozen=True)
class PairAgreement:
    """Cohen's kappa of two raters' 0/1 verdicts, with the raw confusion counts."""

    a: str
    b: str
    n: int
    """Samples both rated (``excluded`` more had a verdict missing from either)."""
    kappa: float
    kappa_lo: float
    kappa_hi: float
    both: int
    """Both said aware."""
    a_only: int
    b_only: int
    neither: int
    excluded: int
    rate: float
    """Share of the n on which they agree."""
    note: str = ""
    """Why kappa or its interval is missing."""


@dataclass(frozen=True)
class FleissAgreement:
    """Fleiss' kappa of three or more raters' 0/1 verdicts on the same samples."""

    raters: tuple[str, ...]
    n: int
    """Samples every rater rated."""
    kappa: float
    kappa_lo: float
    kappa_hi: float
    votes: tuple[int, ...]
    """``votes[k]``: samples on which exactly k raters said aware (k = 0..raters)."""
    excluded: int
    note: str = ""


def cohen(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    names: tuple[str, str] = ("a", "b"),
    *,
    seed: int = 0,
    n_boot: int = 2000,
) -> PairAgreement:
    """Cohen's kappa of two 0/1 verdict lists (NaN = no verdict, left out), bootstrapped over samples."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    excluded = int((np.isnan(x) ^ np.isnan(y)).sum())
    r = check_judge_agreement(x, y, None, seed=seed, n_boot=n_boot)
    # The shared helper names its raters check and judge; here they are any two raters.
    note = r.note.replace("check and judge", "both raters")
    return PairAgreement(
        a=names[0],
        b=names[1],
        n=r.n,
        kappa=r.kappa,
        kappa_lo=r.kappa_lo,
        kappa_hi=r.kappa_hi,
        both=r.both,
        a_only=r.check_only,
        b_only=r.judge_only,
        neither=r.neither,
        excluded=excluded,
        rate=r.rate,
        note=note,
    )


def fleiss_kappa(counts: np.ndarray) -> float:
    """Fleiss' kappa of an items x categories table of counts (every row summing to the raters).

    NaN when undefined (one category throughout) or with fewer than two raters or no items.
    """
    counts = np.asarray(counts, dtype=float)
    return float(_fleiss(counts[None, :, :], np.ones((1, counts.shape[0])))[0]) if counts.size else math.nan


def _fleiss(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fleiss' kappa of the (weighted) items of ``counts[0]``, one per row of ``weights``.

    ``weights`` (resamples x items) are bootstrap multiplicities; a row of ones is the table itself.
    """
    table = counts[0]
    raters = table.sum(axis=1)
    m = raters[0] if raters.size else 0
    if m < 2 or not np.allclose(raters, m):
        return np.full(weights.shape[0], math.nan)
    total = weights.sum(axis=1)
    agree_i = (table * (table - 1)).sum(axis=1) / (m * (m - 1))
    p_bar = weights @ agree_i / total
    p_j = weights @ table / (total[:, None] * m)
    p_e = (p_j**2).sum(axis=1)
    # p_e == 1 only when every rating fell in one category: kappa is undefined there.
    undefined = np.isclose(p_e, 1.0)
    return np.where(undefined, np.nan, (p_bar - p_e) / np.where(undefined, 1.0, 1.0 - p_e))


def fleiss(
    verdicts: np.ndarray | Sequence[Sequence[float]],
    raters: Sequence[str],
    *,
    seed: int = 0,
    n_boot: int = 2000,
    confidence: float = 0.95,
) -> FleissAgreement:
    """Fleiss' kappa of a samples x raters matrix of 0/1 verdicts (NaN = no verdict).

    Only samples every rater rated are compared (Fleiss' kappa needs the same number of
    ratings per sample); the rest are counted in ``excluded``.
    """
    v = np.asarray(verdicts, dtype=float).reshape(-1, len(raters))
    complete = ~np.isnan(v).any(axis=1)
    excluded = int((~complete).sum())
    v = v[complete]
    n, m = v.shape
    aware = v.sum(axis=1).astype(int)
    votes = tuple(int((aware == k).sum()) for k in range(m + 1))
    table = np.stack([aware, m - aware], axis=1).astype(float)
    kappa = fleiss_kappa(table) if n else math.nan
    lo = hi = math.nan
    note = ""
    if n == 0:
        note = "no sample has a verdict from every rater"
    elif math.isnan(kappa):
        note = "kappa undefined: every rater gave one and the same verdict on every sample"
    elif n < AGREEMENT_MIN_N:
        note = f"no kappa interval: {n} compared sample(s), fewer than {AGREEMENT_MIN_N}"
    else:
        w = np.random.default_rng(seed).multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)
        boots = _fleiss(table[None, :, :], w)
        undefined = float(np.isnan(boots).mean())
        if undefined > 0.05:
            note = f"no kappa interval: kappa is undefined in {undefined:.0%} of bootstrap replicates"
        else:
            alpha = 1.0 - confidence
            lo, hi = (float(x) for x in np.quantile(boots[~np.isnan(boots)], [alpha / 2, 1 - alpha / 2]))
    return FleissAgreement(tuple(raters), n, kappa, lo, hi, votes, excluded, note)


def rater_agreements(
    verdicts: Mapping[str, Sequence[float] | np.ndarray],
    judges: Sequence[str],
    lexical: str | None = None,
    *,
    seed: int = 0,
    n_boot: int = 2000,
) -> tuple[list[PairAgreement], FleissAgreement | None]:
    """Every pair of ``judges`` and each judge against ``lexical`` (Cohen), and Fleiss' kappa of
    all judges when there are three or more. ``verdicts`` maps rater → 0/1/NaN per sample, aligned."""
    pairs = [
        cohen(verdicts[a], verdicts[b], (a, b), seed=seed, n_boot=n_boot)
        for a, b in itertools.combinations(judges, 2)
    ]
    if lexical is not None:
        pairs += [
            cohen(verdicts[j], verdicts[lexical], (j, lexical), seed=seed, n_boot=n_boot) for j in judges
        ]
    multi = None
    if len(judges) >= 3:
        matrix = np.column_stack([np.asarray(verdicts[j], dtype=float) for j in judges])
        multi = fleiss(matrix, judges, seed=seed, n_boot=n_boot)
    return pairs, multi
