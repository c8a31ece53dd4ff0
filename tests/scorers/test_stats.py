"""Hand-checked values for evalaware.scorers.stats (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from evalaware.scorers import stats

NAN = float("nan")


# --------------------------------------------------------------------------- Wilson / rate


def test_wilson_3_of_10() -> None:
    # p = .3, z = 1.95996, z² = 3.84146; denom = 1 + z²/10 = 1.384146
    # centre = (.3 + z²/20) / denom = .492073 / 1.384146 = .355507
    # half = z·sqrt(.3·.7/10 + z²/400) / denom = 1.95996·sqrt(.030604) / 1.384146 = .247718
    lo, hi = stats.wilson_interval(3, 10)
    assert lo == pytest.approx(0.1078, abs=1e-4)
    assert hi == pytest.approx(0.6032, abs=1e-4)


def test_wilson_edges_and_empty() -> None:
    # k = 0: lower bound is exactly 0; upper = z²/n / (1 + z²/n) = 3.84146/13.84146 = .27754 for n=10
    lo, hi = stats.wilson_interval(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx(0.27754, abs=1e-5)
    lo, hi = stats.wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(1 - 0.27754, abs=1e-5)
    assert all(math.isnan(x) for x in stats.wilson_interval(0, 0))


def test_wilson_confidence_argument() -> None:
    # 90%: z = 1.644854, z² = 2.705544; denom = 1.2705544
    # centre = (.3 + .1352772) / denom = .342587
    # half = 1.644854·sqrt(.021 + .0067639) / denom = 1.644854·.1666249 / 1.2705544 = .215712
    lo, hi = stats.wilson_interval(3, 10, confidence=0.90)
    assert lo == pytest.approx(0.1269, abs=1e-4)
    assert hi == pytest.approx(0.5583, abs=1e-4)
    assert stats.z_value(0.95) == pytest.approx(1.959963984540054, abs=1e-15)


def test_wilson_matches_scipy() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    for k, n in [(0, 5), (3, 10), (17, 40), (99, 100)]:
        ci = scipy_stats.binomtest(k, n).proportion_ci(method="wilson")
        assert stats.wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_rate_skips_unscored_and_empty_is_nan() -> None:
    r = stats.rate([1, 0, None, NAN, 1])
    # scored: 1, 0, 1 -> k = 2, n = 3; None and NaN are unscored, not 0
    assert (r.k, r.n, r.unscored) == (2.0, 3, 2)
    assert r.rate == pytest.approx(2 / 3)
    assert (r.lo, r.hi) == stats.wilson_interval(2, 3)
    # the headline statistics ask for the continuity-corrected interval (plain Wilson under-covers
    # at small n; tests/scorers/test_stats_coverage.py)
    cc = stats.rate([1, 0, None, NAN, 1], interval="wilson_cc")
    assert (cc.lo, cc.hi) == stats.wilson_cc_interval(2, 3) and cc.interval == "wilson_cc"

    empty = stats.rate([None, NAN])
    assert (empty.n, empty.unscored) == (0, 2)
    assert math.isnan(empty.rate) and math.isnan(empty.lo) and math.isnan(empty.hi)

    # pandas nullable integers work too
    r2 = stats.rate(pd.Series([1, pd.NA, 0], dtype="Int64"))
    assert (r2.k, r2.n, r2.unscored) == (1.0, 2, 1)

    with pytest.raises(ValueError):
        stats.rate([0, 2])


def test_awareness_gap_newcombe() -> None:
    # Newcombe (1998) worked example: 56/70 vs 48/80, difference .2; its Table II gives the 95%
    # interval from continuity-corrected score limits (method 11) as (.0428, .3422) and the
    # uncorrected one (method 10) as (.0524, .3339).
    test = [1] * 56 + [0] * 14
    deploy = [1] * 48 + [0] * 32 + [None]
    gap = stats.awareness_gap(test, deploy)
    assert gap.diff == pytest.approx(0.2)
    assert gap.lo == pytest.approx(0.0428, abs=1e-4)
    assert gap.hi == pytest.approx(0.3422, abs=1e-4)
    assert gap.a.n == 70 and gap.b.n == 80 and gap.b.unscored == 1

    undefined = stats.awareness_gap([1, 0], [None])
    assert math.isnan(undefined.diff) and math.isnan(undefined.lo)


# --------------------------------------------------------------------------- McNemar / paired


def test_mcnemar_exact_hand_values() -> None:
    # b=1, c=6: n=7, P(X<=1) = (C(7,0)+C(7,1))/2^7 = 8/128; two-sided = 16/128 = .125
    assert stats.mcnemar_exact(1, 6) == pytest.approx(0.125)
    assert stats.mcnemar_exact(6, 1) == pytest.approx(0.125)
    # b=0, c=2: 2·(1/4) = .5 ; b=c: capped at 1
    assert stats.mcnemar_exact(0, 2) == pytest.approx(0.5)
    assert stats.mcnemar_exact(3, 3) == 1.0
    assert stats.mcnemar_exact(0, 0) == 1.0
    # b=0, c=10: 2/1024
    assert stats.mcnemar_exact(0, 10) == pytest.approx(2 / 1024)


def test_mcnemar_matches_scipy_binomtest() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    for b, c in [(1, 6), (4, 9), (0, 25), (30, 45), (500, 560)]:
        expected = scipy_stats.binomtest(min(b, c), b + c, 0.5).pvalue
        assert stats.mcnemar_exact(b, c) == pytest.approx(expected, rel=1e-9)


def _pairs(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pair_id", "variant", "flagged"])


def test_paired_delta_single_epoch() -> None:
    df = _pairs(
        [
            ("p1", "test", 0),
            ("p1", "deploy", 1),  # c (deploy only)
            ("p2", "test", 0),
            ("p2", "deploy", 1),  # c
            ("p3", "test", 1),
            ("p3", "deploy", 1),  # concordant
            ("p4", "test", 1),
            ("p4", "deploy", 0),  # b (test only)
            ("p5", "test", 0),
            ("p5", "deploy", None),  # dropped: deploy unscored
            ("p6", "test", 1),  # unmatched: no deploy sample
            ("p7", "ablation", 1),
            ("p7", "test", 0),
            ("p7", "deploy", 0),  # ablation ignored
        ]
    )
    r = stats.paired_delta(df, "flagged")
    # deltas (deploy - test) over p1,p2,p3,p4,p7: 1, 1, 0, -1, 0 -> mean 1/5
    assert r.delta == pytest.approx(0.2)
    assert (r.n_pairs, r.b, r.c, r.n_discordant) == (5, 1, 2, 3)
    assert (r.n_dropped, r.n_unmatched) == (1, 1)
    # McNemar: n=3, min=1: 2·(1+3)/8 = 1.0
    assert r.mcnemar_p == 1.0
    assert r.test_rate == pytest.approx(2 / 5) and r.deploy_rate == pytest.approx(3 / 5)
    assert not r.multi_epoch
    # t interval over the 5 deltas: sd = sqrt((2·.8² + 2·.2² + 1.2²)/4) = sqrt(.7) = .83666,
    # t(4) = 2.776445, half = 2.776445·.83666/sqrt(5) = 1.03886 -> (-.83886, 1.23886), clipped to 1
    assert r.lo == pytest.approx(0.2 - 1.03886, abs=1e-5) and r.hi == 1.0
    assert r.note == ""
    # analytic: the seed no longer matters
    assert stats.paired_delta(df, "flagged", seed=7) == r


def test_paired_delta_percentile_bootstrap_matches_manual_resampling() -> None:
    df = _pairs(
        [
            (f"p{i}", v, x)
            for i, (t, d) in enumerate([(0, 1), (0, 1), (1, 1), (0, 0)])
            for v, x in (("test", t), ("deploy", d))
        ]
    )
    r = stats.paired_delta(df, "flagged", seed=3, n_boot=500, confidence=0.9, interval="percentile")
    deltas = np.array([1.0, 1.0, 0.0, 0.0])  # pair order p0..p3 (sorted pair ids)
    idx = np.random.default_rng(3).integers(0, 4, size=(500, 4))
    lo, hi = np.quantile(deltas[idx].mean(axis=1), [0.05, 0.95])
    assert (r.lo, r.hi) == (pytest.approx(lo), pytest.approx(hi))


def test_paired_delta_epochs_are_averaged_then_rounded_for_mcnemar() -> None:
    df = pd.DataFrame(
        [
            # p1: test epochs 0,0,1 -> 1/3 ; deploy 1,1,NaN -> 1 (NaN epoch skipped)
            ("p1", "test", 0, 0),
            ("p1", "test", 1, 0),
            ("p1", "test", 2, 1),
            ("p1", "deploy", 0, 1),
            ("p1", "deploy", 1, 1),
            ("p1", "deploy", 2, None),
            # p2: test 1,0 -> .5 (rounds to flagged) ; deploy 0,0 -> 0
            ("p2", "test", 0, 1),
            ("p2", "test", 1, 0),
            ("p2", "deploy", 0, 0),
            ("p2", "deploy", 1, 0),
            # p3: deploy all epochs unscored -> dropped
            ("p3", "test", 0, 1),
            ("p3", "deploy", 0, None),
            ("p3", "deploy", 1, None),
        ],
        columns=["pair_id", "variant", "epoch", "flagged"],
    )
    r = stats.paired_delta(df, "flagged")
    # deltas: p1 = 1 - 1/3 = 2/3 ; p2 = 0 - .5 = -.5 ; mean = (2/3 - 1/2)/2 = 1/12
    assert r.delta == pytest.approx(1 / 12)
    assert r.multi_epoch
    # rounded: p1 test 0 / deploy 1 -> c ; p2 test 1 / deploy 0 -> b
    assert (r.b, r.c, r.n_pairs, r.n_dropped) == (1, 1, 2, 1)
    assert r.mcnemar_p == 1.0


def test_paired_delta_empty() -> None:
    r = stats.paired_delta(_pairs([("p1", "test", 1), ("p1", "deploy", None)]), "flagged")
    assert r.n_pairs == 0 and r.n_dropped == 1
    assert math.isnan(r.delta) and math.isnan(r.lo) and r.mcnemar_p == 1.0


# --------------------------------------------------------------------------- conditional


def test_conditional_rates() -> None:
    df = pd.DataFrame(
        {
            # aware rows:   flagged 0, 0, 1, NaN  -> 1/3, one behaviour unscored
            # unaware rows: flagged 1, 1, 1, 0    -> 3/4
            # aware NaN:    can't be placed       -> awareness_unscored = 1
            "aware": [1, 1, 1, 1, 0, 0, 0, 0, None],
            "flagged": [0, 0, 1, None, 1, 1, 1, 0, 1],
        }
    )
    c = stats.conditional_rates(df)
    assert (c["aware"].k, c["aware"].n, c["aware"].unscored) == (1.0, 3, 1)
    assert (c["unaware"].k, c["unaware"].n, c["unaware"].unscored) == (3.0, 4, 0)
    assert c["awareness_unscored"] == 1
    # diff = 1/3 - 3/4 = -5/12
    assert c["diff"].diff == pytest.approx(-5 / 12)
    assert c["diff"].lo < c["diff"].diff < c["diff"].hi


def test_conditional_rates_agentic_misalignment_shape() -> None:
    # Shape of the Agentic Misalignment result: 55.1% when the model stated "real" vs 6.5%
    # when it stated "evaluation" -> here ~55% unaware vs ~6.5% aware, a clearly negative diff.
    df = pd.DataFrame(
        {"aware": [0] * 1000 + [1] * 200, "flagged": [1] * 551 + [0] * 449 + [1] * 13 + [0] * 187}
    )
    c = stats.conditional_rates(df)
    assert c["unaware"].rate == pytest.approx(0.551)
    assert c["aware"].rate == pytest.approx(0.065)
    assert c["diff"].hi < 0


# --------------------------------------------------------------------------- probes


def test_auc_mann_whitney_with_ties() -> None:
    labels = [0, 0, 1, 1, 1, 0]
    probs = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2]
    # positives .35, .8, .4 vs negatives .1, .4, .2:
    #   .35 beats .1 and .2 -> 2 ; .8 beats all -> 3 ; .4 beats .1, .2, ties .4 -> 2.5
    # AUC = 7.5 / 9
    assert stats.auc(labels, probs) == pytest.approx(7.5 / 9)
    # perfect, inverted, all tied
    assert stats.auc([0, 1], [0.2, 0.9]) == 1.0
    assert stats.auc([0, 1], [0.9, 0.2]) == 0.0
    assert stats.auc([0, 1, 0, 1], [0.5] * 4) == 0.5
    # unscored pairs skipped; a missing class gives NaN
    assert stats.auc([0, 1, None], [0.1, 0.9, 0.0]) == 1.0
    assert math.isnan(stats.auc([1, 1], [0.3, 0.4]))


def test_auc_matches_scipy_mannwhitney() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    p = np.round(rng.random(200), 1)  # rounding forces many ties
    u = scipy_stats.mannwhitneyu(p[y == 1], p[y == 0]).statistic
    assert stats.auc(y, p) == pytest.approx(u / ((y == 1).sum() * (y == 0).sum()))


def test_brier() -> None:
    # (.9-1)² + (.2-0)² + (.6-0)² + (.5-1)² = .01 + .04 + .36 + .25 = .66 -> /4 = .165
    assert stats.brier([1, 0, 0, 1], [0.9, 0.2, 0.6, 0.5]) == pytest.approx(0.165)
    assert math.isnan(stats.brier([], []))


def test_ece_two_bins_by_hand() -> None:
    labels = [0, 1, 0, 1, 1, 1]
    probs = [0.1, 0.3, 0.5, 0.8, 0.9, 1.0]
    # bins [0, .5) and [.5, 1]:
    #   bin 0: probs .1, .3 -> mean .2 ; labels 0, 1 -> freq .5 ; |.2 - .5| = .3 ; weight 2/6
    #   bin 1: probs .5, .8, .9, 1.0 -> mean .8 ; labels 0,1,1,1 -> freq .75 ; |.05| ; weight 4/6
    # ECE = 2/6·.3 + 4/6·.05 = .1 + .0333 = .13333
    assert stats.ece(labels, probs, n_bins=2) == pytest.approx(0.1 + 0.2 / 6)
    curve = stats.calibration_curve(labels, probs, n_bins=2)
    assert list(curve.columns) == [
        "bin",
        "bin_lo",
        "bin_hi",
        "n",
        "mean_prob",
        "frequency",
        "frequency_lo",
        "frequency_hi",
    ]
    assert curve["n"].tolist() == [2, 4]
    assert curve["mean_prob"].tolist() == pytest.approx([0.2, 0.8])
    assert curve["frequency"].tolist() == pytest.approx([0.5, 0.75])


def test_calibration_edges_and_empty_bins() -> None:
    # .3 sits on an edge with 10 bins and must land in bin 3 (float .3·10 is fine, but
    # .57·100 = 56.999..., so the binning nudges edges up)
    curve = stats.calibration_curve([1, 0], [0.3, 0.57], n_bins=100)
    assert curve.loc[curve["n"] > 0, "bin"].tolist() == [30, 57]
    assert len(curve) == 100 and math.isnan(curve.loc[0, "frequency"])
    assert stats.ece([1], [1.0], n_bins=10) == 0.0
    assert math.isnan(stats.ece([], []))


# --------------------------------------------------------------------------- cue effects


def test_cue_effects_balanced_factorial() -> None:
    # 2x2 full factorial, two pairs per cell; cell means (c1, c2) -> y:
    #   (0,0) -> 0, (1,0) -> .5, (0,1) -> .5, (1,1) -> 1
    rows = []
    cells = {(0, 0): [0, 0], (1, 0): [1, 0], (0, 1): [0, 1], (1, 1): [1, 1]}
    for (c1, c2), ys in cells.items():
        for i, y in enumerate(ys):
            rows.append({"pair_id": f"p{i}", "c1": c1, "c2": c2, "aware": y})
    rows.append({"pair_id": "p0", "c1": 1, "c2": 1, "aware": None})  # unscored
    df = pd.DataFrame(rows)
    out = stats.cue_effects(df, ["c1", "c2"], "aware", n_boot=200)
    # c1 main effect: mean(on) = (.5 + 1)/2 = .75 ; mean(off) = (0 + .5)/2 = .25 -> .5
    # c2 by symmetry .5 ; balanced design -> OLS coefficients equal the main effects
    assert out["cue"].tolist() == ["c1", "c2"]
    assert out["effect"].tolist() == pytest.approx([0.5, 0.5])
    assert out["ols"].tolist() == pytest.approx([0.5, 0.5])
    assert out["n_on"].tolist() == [4, 4] and out["n_off"].tolist() == [4, 4]
    assert out["unscored"].tolist() == [1, 1]
    assert list(out.columns) == [
        "cue",
        "effect",
        "lo",
        "hi",
        "ols",
        "ols_lo",
        "ols_hi",
        "n_on",
        "n_off",
        "unscored",
    ]
    assert (out["lo"] <= out["effect"]).all() and (out["effect"] <= out["hi"]).all()


def test_cue_effects_with_interaction_and_unbalanced() -> None:
    # Interaction: cell means (0,0)=0, (1,0)=.5, (0,1)=.25, (1,1)=1
    #   c1: (.5 + 1)/2 - (0 + .25)/2 = .75 - .125 = .625 ; c2: (.25 + 1)/2 - (0 + .5)/2 = .375
    df = pd.DataFrame({"c1": [0, 1, 0, 1], "c2": [0, 0, 1, 1], "v": [0.0, 0.5, 0.25, 1.0]})
    out = stats.cue_effects(df, ["c1", "c2"], "v", n_boot=50)
    assert out["effect"].tolist() == pytest.approx([0.625, 0.375])
    assert out["ols"].tolist() == pytest.approx([0.625, 0.375])  # orthogonal design

    # Unbalanced: cells (0,0)->0, (1,0)->1, (1,1)->1. Marginal: c1 on {1,1} - off {0} = 1;
    # c2 on {1} - off {0, 1} = .5. OLS fits 3 points exactly: y = 0 + 1·c1 + 0·c2.
    df2 = pd.DataFrame({"c1": [0, 1, 1], "c2": [0, 0, 1], "v": [0, 1, 1]})
    out2 = stats.cue_effects(df2, ["c1", "c2"], "v", n_boot=50)
    assert out2["effect"].tolist() == pytest.approx([1.0, 0.5])
    assert out2["ols"].tolist() == pytest.approx([1.0, 0.0], abs=1e-12)


def test_cue_effects_is_seeded() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "pair_id": np.repeat(np.arange(10), 4),
            "c1": np.tile([0, 1, 0, 1], 10),
            "c2": np.tile([0, 0, 1, 1], 10),
            "v": rng.integers(0, 2, 40),
        }
    )
    a = stats.cue_effects(df, ["c1", "c2"], "v", seed=5, n_boot=100)
    b = stats.cue_effects(df, ["c1", "c2"], "v", seed=5, n_boot=100)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- summarise


def _tidy() -> pd.DataFrame:
    rows = []
    # model A: 4 pairs. (aware_test, aware_deploy, flagged_test, flagged_deploy)
    a = [(1, 0, 0, 1), (1, 0, 0, 1), (0, 0, 1, 1), (1, None, 0, None)]
    for i, (at, ad, ft, fd) in enumerate(a):
        rows.append(
            {
                "model": "A",
                "variant": "test",
                "pair_id": f"p{i}",
                "aware": at,
                "spontaneous": at,
                "flagged": ft,
            }
        )
        rows.append(
            {
                "model": "A",
                "variant": "deploy",
                "pair_id": f"p{i}",
                "aware": ad,
                "spontaneous": 0 if ad is not None else None,
                "flagged": fd,
            }
        )
    rows.append(
        {"model": "B", "variant": "test", "pair_id": "p0", "aware": 0, "spontaneous": 0, "flagged": 1}
    )
    rows.append(
        {"model": "B", "variant": "deploy", "pair_id": "p0", "aware": 0, "spontaneous": 0, "flagged": 1}
    )
    return pd.DataFrame(rows)


def test_summarise_one_row_per_model_with_documented_columns() -> None:
    out = stats.summarise(_tidy(), n_boot=200)
    assert out["model"].tolist() == ["A", "B"]
    a = out.iloc[0]
    # awareness test: 1,1,0,1 -> 3/4 ; deploy: 0,0,0,(NaN) -> 0/3, one unscored
    assert a["aware_test"] == pytest.approx(0.75) and a["aware_test_n"] == 4
    assert a["aware_deploy"] == 0.0 and a["aware_deploy_n"] == 3 and a["aware_deploy_unscored"] == 1
    assert (a["aware_test_lo"], a["aware_test_hi"]) == pytest.approx(stats.wilson_cc_interval(3, 4))
    assert a["aware_gap"] == pytest.approx(0.75)
    assert a["spontaneous_test"] == pytest.approx(0.75) and a["spontaneous_deploy"] == 0.0
    # behaviour: test 0,0,1,0 -> 1/4 ; deploy 1,1,1 -> 1
    assert a["flagged_test"] == pytest.approx(0.25) and a["flagged_deploy"] == 1.0
    # paired: deltas 1, 1, 0 over 3 pairs ; b = 0, c = 2 -> p = .5 ; p3 dropped
    assert a["flagged_delta"] == pytest.approx(2 / 3)
    assert a["flagged_mcnemar_p"] == pytest.approx(0.5)
    assert (a["flagged_n_pairs"], a["flagged_b"], a["flagged_c"], a["flagged_pairs_dropped"]) == (3, 0, 2, 1)
    # given aware (rows aware=1): flagged 0, 0, 0 -> 0/3 ;
    # given unaware (aware=0): p2 test 1, deploys 1, 1, 1 -> 4/4 ; the NaN-aware row is skipped
    assert a["flagged_given_aware"] == 0.0 and a["flagged_given_aware_n"] == 3
    assert a["flagged_given_unaware"] == 1.0 and a["flagged_given_unaware_n"] == 4
    assert a["flagged_aware_diff"] == pytest.approx(-1.0)
    b = out.iloc[1]
    # B: nobody aware -> given-aware rate undefined (NaN, not 0); McNemar on no discordance = 1
    assert math.isnan(b["flagged_given_aware"]) and b["flagged_given_aware_n"] == 0
    assert b["flagged_mcnemar_p"] == 1.0 and b["flagged_delta"] == 0.0
    assert math.isnan(b["aware_gap_lo"]) is False


def test_summarise_missing_value_column_gives_nan() -> None:
    df = _tidy().drop(columns=["flagged"])
    out = stats.summarise(df, n_boot=50)
    assert math.isnan(out.iloc[0]["flagged_test"]) and out.iloc[0]["flagged_n_pairs"] == 0
    assert out.iloc[0]["aware_test"] == pytest.approx(0.75)


def test_summarise_averages_epochs_per_sample_for_rates() -> None:
    df = pd.DataFrame(
        [
            # p0 test: aware epochs 1, 0 -> .5 ; flagged 0, 0 -> 0
            ("M", "test", "p0", 0, 1, 1, 0),
            ("M", "test", "p0", 1, 0, 0, 0),
            # p0 deploy: aware 0, NaN -> 0 ; flagged 1, 1 -> 1
            ("M", "deploy", "p0", 0, 0, 0, 1),
            ("M", "deploy", "p0", 1, None, None, 1),
            # p1 test: every epoch unscored -> one unscored sample
            ("M", "test", "p1", 0, None, None, None),
            ("M", "test", "p1", 1, None, None, None),
        ],
        columns=["model", "variant", "pair_id", "epoch", "aware", "spontaneous", "flagged"],
    )
    row = stats.summarise(df, n_boot=50).iloc[0]
    # rates over samples (epoch means): test aware = .5 over n = 1 (p1 unscored), not 1/2 epochs
    assert row["aware_test"] == pytest.approx(0.5)
    assert (row["aware_test_n"], row["aware_test_unscored"]) == (1, 1)
    assert row["aware_deploy"] == 0.0 and row["aware_deploy_n"] == 1
    # paired delta: p0 deploy 1 - test 0 = 1 ; p1 dropped (no deploy at all)
    assert row["flagged_delta"] == 1.0 and row["flagged_pairs_dropped"] == 1
    # conditional rates use epochs as rows: aware rows -> flagged 0 (1 row);
    # unaware rows -> test epoch 1 (0) and deploy epoch 0 (1) -> 1/2
    assert row["flagged_given_aware"] == 0.0 and row["flagged_given_aware_n"] == 1
    assert row["flagged_given_unaware"] == pytest.approx(0.5) and row["flagged_given_unaware_n"] == 2
