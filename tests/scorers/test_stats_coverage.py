"""Known answers and small coverage checks for the interval methods (issue 17; the full study is
bench/stats_coverage.py). Each coverage check also runs the method it replaced and asserts that
it fails the same check, so the check is shown to be able to fail."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from evalaware.reports.sections.headline import delta_cell
from evalaware.scorers import stats
from evalaware.scorers.metrics import paired_delta_metric
from inspect_ai.scorer import SampleScore, Score

SIMS = 200
# With 200 simulations a 95% coverage has a standard error of 1.5 points; 0.90 is three of them
# below nominal, so a correct method fails this only by a >3-sigma accident (and the seeds are fixed).
COVERAGE_FLOOR = 0.90


def _binom_pmf(n: int, p: float) -> np.ndarray:
    k = np.arange(n + 1)
    return np.array([math.comb(n, int(i)) for i in k]) * p**k * (1 - p) ** (n - k)


def _exact_coverage(interval: Callable[[int, int], tuple[float, float]], n: int, p: float) -> float:
    pmf = _binom_pmf(n, p)
    return float(sum(pmf[k] for k in range(n + 1) if interval(k, n)[0] <= p <= interval(k, n)[1]))


# --------------------------------------------------------------------------- quantiles


def test_t_value_matches_scipy() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 4, 11, 53, 500):
        for conf in (0.8, 0.95, 0.99):
            assert stats.t_value(df, conf) == pytest.approx(
                scipy_stats.t.ppf(1 - (1 - conf) / 2, df), rel=1e-9
            )
    assert stats.t_value(1) == pytest.approx(12.7062047, rel=1e-7)  # the printed table value


# --------------------------------------------------------------------------- known answers


def test_wilson_cc_reproduces_newcombe_table() -> None:
    # Newcombe (1998), Stat Med 17:857, Table I, method 4 (score with continuity correction).
    for (k, n), (lo, hi) in {
        (81, 263): (0.2535, 0.3682),
        (15, 148): (0.0598, 0.1644),
        (0, 20): (0.0, 0.2005),
        (1, 29): (0.0018, 0.1963),
    }.items():
        got = stats.wilson_cc_interval(k, n)
        assert got == (pytest.approx(lo, abs=1e-4), pytest.approx(hi, abs=1e-4)), (k, n)


def test_each_interval_recovers_a_planted_value() -> None:
    rng = np.random.default_rng(17)
    # a rate of 0.3 over 80 samples
    r = stats.rate(rng.random(80) < 0.3, interval="wilson_cc")
    assert r.lo < 0.3 < r.hi and r.hi - r.lo < 0.25
    # a paired delta of +0.2 over 40 heterogeneous pairs, one epoch
    base = 0.1 + 0.5 * rng.random(40)
    test, deploy = rng.random(40) < base, rng.random(40) < base + 0.2
    frame = pd.DataFrame(
        {
            "pair_id": np.repeat([f"p{i}" for i in range(40)], 2),
            "variant": np.tile(list(stats.VARIANTS), 40),
            "flagged": np.column_stack([test, deploy]).ravel().astype(float),
        }
    )
    d = stats.paired_delta(frame, "flagged")
    assert d.lo < 0.2 < d.hi and d.note == ""
    # a rate of 0.4 over rows clustered in 30 pairs of 6 rows (pair rates spread 0.1..0.7)
    pair_rate = 0.1 + 0.6 * rng.random(30)
    pair_rate += 0.4 - pair_rate.mean()  # the planted population value is exactly 0.4
    rows = rng.random((30, 6)) < pair_rate[:, None]
    c = stats.clustered_rate(rows.ravel().astype(float), np.repeat(np.arange(30), 6))
    assert c.lo < 0.4 < c.hi and c.n == 180 and c.n_eff is not None and c.n_eff <= 180


# --------------------------------------------------------------------------- coverage


def test_wilson_cc_holds_coverage_where_plain_wilson_does_not() -> None:
    # Exact binomial coverage over a grid of p at the small n a pair set gives per variant.
    grid = np.linspace(0.005, 0.995, 199)
    for n in (1, 2, 3, 5, 12, 30):
        worst_cc = min(_exact_coverage(stats.wilson_cc_interval, n, p) for p in grid)
        assert worst_cc >= 0.945, n
    # the plain Wilson interval the report used before fails the same check (80% at n = 1, p = .2)
    assert _exact_coverage(stats.wilson_interval, 1, 0.2) == pytest.approx(0.8)
    assert min(_exact_coverage(stats.wilson_interval, 3, p) for p in grid) < COVERAGE_FLOOR


def _simulate_pairs(rng: np.random.Generator, k: int, delta: float) -> pd.DataFrame:
    base = 0.15 + 0.45 * rng.beta(2, 2, size=k)  # heterogeneous pairs, as in the bench
    test, deploy = rng.random(k) < base, rng.random(k) < base + delta
    return pd.DataFrame(
        {
            "pair_id": np.repeat([f"p{i}" for i in range(k)], 2),
            "variant": np.tile(list(stats.VARIANTS), k),
            "flagged": np.column_stack([test, deploy]).ravel().astype(float),
        }
    )


def test_paired_delta_t_interval_covers_at_five_pairs_and_the_bootstrap_did_not() -> None:
    rng = np.random.default_rng(5)
    covered = {"t": 0, "percentile": 0}
    for i in range(SIMS):
        frame = _simulate_pairs(rng, 5, 0.1)
        for method in covered:
            r = stats.paired_delta(frame, "flagged", seed=i, n_boot=500, interval=method)
            covered[method] += r.lo <= 0.1 <= r.hi
    assert covered["t"] / SIMS >= COVERAGE_FLOOR
    assert covered["percentile"] / SIMS < COVERAGE_FLOOR  # ~73%: the check can fail


def test_behaviour_given_awareness_is_clustered_by_pair() -> None:
    # 10 pairs x 10 epoch rows each, pair rates spread widely: rows of a pair are not independent.
    rng = np.random.default_rng(11)
    covered = {"clustered": 0, "rows as independent": 0}
    for _ in range(SIMS):
        pair_rate = 0.05 + 0.9 * rng.beta(1, 1, size=10)
        rows = (rng.random((10, 10)) < pair_rate[:, None]).ravel().astype(float)
        pairs = np.repeat(np.arange(10), 10)
        c = stats.clustered_rate(rows, pairs)
        naive = stats.rate(rows, interval="wilson_cc")
        covered["clustered"] += c.lo <= 0.5 <= c.hi
        covered["rows as independent"] += naive.lo <= 0.5 <= naive.hi
    assert covered["clustered"] / SIMS >= COVERAGE_FLOOR
    assert covered["rows as independent"] / SIMS < COVERAGE_FLOOR


# --------------------------------------------------------------------------- McNemar


def test_mcnemar_exact_size_is_at_most_nominal() -> None:
    # Given m discordant pairs the null is Binomial(m, 1/2); the exact test's size is <= .05 for all m.
    for m in range(1, 81):
        pmf = _binom_pmf(m, 0.5)
        size = sum(pmf[b] for b in range(m + 1) if stats.mcnemar_exact(b, m - b) <= 0.05)
        assert size <= 0.05 + 1e-12, m


def test_mcnemar_type_one_error_on_a_null_simulation() -> None:
    rng = np.random.default_rng(3)
    rejected = sum(
        stats.paired_delta(_simulate_pairs(rng, 30, 0.0), "flagged").mcnemar_p <= 0.05 for _ in range(400)
    )
    assert rejected / 400 <= 0.05


# --------------------------------------------------------------------------- too few pairs


def _one_pair_summary() -> pd.Series:
    frame = pd.DataFrame(
        {
            "model": "m",
            "pair_id": ["honesty-1", "honesty-1"],
            "variant": list(stats.VARIANTS),
            "aware": [1.0, 0.0],
            "spontaneous": [1.0, 0.0],
            "flagged": [0.0, 1.0],
        }
    )
    return stats.summarise(frame).iloc[0]


def test_a_category_of_one_pair_prints_na_with_the_reason() -> None:
    row = _one_pair_summary()
    assert row["flagged_delta"] == 1.0
    assert math.isnan(row["flagged_delta_lo"]) and math.isnan(row["flagged_delta_hi"])
    reason = "n/a (1 pair: too few for an interval over pairs)"
    assert row["flagged_delta_note"] == reason
    cell = delta_cell(row)
    assert cell == f"+100 pp, {reason}" and "[" not in cell
    assert stats.too_few_pairs_note(2) == "n/a (2 pairs: too few for an interval over pairs)"
    assert stats.too_few_pairs_note(stats.MIN_PAIRS_FOR_INTERVAL) == ""


def test_equal_deltas_never_give_a_zero_width_interval() -> None:
    # 12 pairs that all moved alike (here: none moved): t would say [0, 0]; the bound for "0 of 12
    # pairs differ" is u = 1 - .025^(1/12) = 1 - exp(-3.68888/12) = .2646.
    lo, hi = stats.t_interval_over_pairs(np.zeros(12))
    assert (lo, hi) == (pytest.approx(-0.2646, abs=1e-4), pytest.approx(0.2646, abs=1e-4))
    # equal up to float noise (epoch means: 3/5 - 1/5 vs 2/5 - 0) is treated as equal
    noisy = np.array([3 / 5 - 1 / 5, 2 / 5 - 0.0, 3 / 5 - 1 / 5])
    lo, hi = stats.t_interval_over_pairs(noisy)
    assert hi - lo > 0.5
    lo, hi = stats.t_interval_over_pairs(np.ones(5))
    assert hi == 1.0 and lo < 0.6


def test_paired_delta_metric_leaves_out_an_interval_it_cannot_give() -> None:
    def score(pair: str, variant: str, value: float) -> SampleScore:
        return SampleScore(
            score=Score(value=value),
            sample_id=f"{pair}:{variant}",
            sample_metadata={"pair_id": pair, "variant": variant},
        )

    two = [score("p1", "test", 0), score("p1", "deploy", 1), score("p2", "test", 0), score("p2", "deploy", 0)]
    out = paired_delta_metric()(two)
    assert out == {"delta": 0.5, "mcnemar_p": 1.0, "n_pairs": 2}
    three = [*two, score("p3", "test", 1), score("p3", "deploy", 1)]
    assert {"delta_lo", "delta_hi"} <= set(paired_delta_metric()(three))
