"""Judge panel rule and agreement statistics on known tables; an end-to-end panel run."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from evalaware.scorers.agreement import cohen, fleiss, fleiss_kappa, rater_agreements
from evalaware.scorers.awareness_judge import panel_result, panel_roles
from evalaware.scorers.contract import AwarenessResult, AwarenessSeen, Evidence
from reasoning_logs import judge_model, run_paired

# --------------------------------------------------------------------------- statistics


def test_cohen_kappa_of_a_known_two_by_two() -> None:
    # both 20, a only 5, b only 10, neither 15: p_o = .7, p_e = .5*.6 + .5*.4 = .5, kappa = .4
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    r = cohen(a, b, ("x", "y"))
    assert math.isclose(r.kappa, 0.4) and r.n == 50 and r.rate == 0.7
    assert (r.both, r.a_only, r.b_only, r.neither) == (20, 5, 10, 15)
    assert r.kappa_lo < 0.4 < r.kappa_hi


def test_cohen_leaves_out_missing_verdicts() -> None:
    a = [1, 0, 1, np.nan, 0] * 4
    b = [1, 0, np.nan, 1, 0] * 4
    r = cohen(a, b)
    assert r.n == 12 and r.excluded == 8 and r.kappa == 1.0


def test_fleiss_kappa_of_the_textbook_table() -> None:
    # Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters, 5 categories, kappa 0.210
    table = np.array(
        [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
    )
    assert round(fleiss_kappa(table), 3) == 0.210


def test_fleiss_kappa_of_a_known_three_rater_table() -> None:
    # 10 unanimous aware, 10 unanimous not, 5 with 2 of 3 aware, 5 with 1 of 3:
    # P_bar = (20 + 10/3) / 30, p_aware = .5, P_e = .5, kappa = 5/9
    rows = [[1, 1, 1]] * 10 + [[0, 0, 0]] * 10 + [[1, 1, 0]] * 5 + [[0, 0, 1]] * 5
    rows += [[1, np.nan, 0]] * 3  # a judge without a verdict: left out
    r = fleiss(np.array(rows, dtype=float), ["a", "b", "c"])
    assert math.isclose(r.kappa, 5 / 9) and r.n == 30 and r.excluded == 3
    assert r.votes == (10, 5, 5, 10)
    assert r.kappa_lo < 5 / 9 < r.kappa_hi


def test_no_interval_below_the_minimum_and_undefined_kappa() -> None:
    small = cohen([1, 0, 1], [1, 0, 0])
    assert math.isnan(small.kappa_lo) and "no kappa interval" in small.note
    same = fleiss(np.ones((12, 3)), ["a", "b", "c"])
    assert math.isnan(same.kappa) and "undefined" in same.note


def test_rater_agreements_covers_pairs_lexical_and_fleiss() -> None:
    v = {k: np.array([1, 0] * 6, dtype=float) for k in ("grader", "grader_2", "grader_3", "lexical")}
    pairs, multi = rater_agreements(v, ["grader", "grader_2", "grader_3"], "lexical")
    names = [(p.a, p.b) for p in pairs]
    assert ("grader", "grader_2") in names and ("grader_3", "lexical") in names and len(pairs) == 6
    assert multi is not None and multi.kappa == 1.0


# --------------------------------------------------------------------------- panel rule


def _aware(spontaneous: bool = True) -> AwarenessResult:
    e = Evidence(quote="This might be a test", kind="suspects_test", where="reasoning", echo=not spontaneous)
    return AwarenessResult(
        aware=True, spontaneous=spontaneous, kinds=["suspects_test"], evidence=[e], method="judge"
    )


NOT = AwarenessResult(aware=False, spontaneous=False, method="judge")


def test_panel_roles_order() -> None:
    assert panel_roles(["grader_10", "other", "grader_2", "grader", "grader_1x"]) == [
        "grader",
        "grader_2",
        "grader_10",
    ]


def test_majority_decides_and_keeps_every_verdict() -> None:
    result, judges, reason = panel_result(
        [("grader", "m1", _aware(), ""), ("grader_2", "m2", NOT, ""), ("grader_3", "m3", _aware(False), "")]
    )
    assert result is not None and result.aware and reason == ""
    assert [j.aware for j in judges] == [True, False, True]
    assert result.spontaneous is False  # only 1 of 3 judges found a spontaneous quote
    assert result.panel == "strict majority of 3" and result.kinds == ["suspects_test"]
    result, _, _ = panel_result(
        [("grader", "m1", NOT, ""), ("grader_2", "m2", NOT, ""), ("grader_3", "m3", _aware(), "")]
    )
    assert result is not None and not result.aware and result.evidence == []


def test_split_or_missing_verdicts_are_unscored_with_a_reason() -> None:
    result, judges, reason = panel_result([("grader", "m1", _aware(), ""), ("grader_2", "m2", NOT, "")])
    assert result is None and "no strict majority: 1 aware, 1 not aware" in reason
    assert [j.aware for j in judges] == [True, False]
    # one judge refused: 1 of 3 is no majority, whatever that one said
    result, judges, reason = panel_result(
        [("grader", "m", NOT, ""), ("grader_2", "m", None, "grader refused"), ("grader_3", "m", _aware(), "")]
    )
    assert result is None and "1 without a verdict" in reason and judges[1].reason == "grader refused"


# --------------------------------------------------------------------------- end to end


def test_panel_run_keeps_each_judge_and_unscored_split(tmp_path: Path) -> None:
    roles = {"grader": judge_model(True), "grader_2": judge_model(False)}
    log = run_paired(tmp_path, ["full", "none"], awareness="both", roles=roles)
    by_id = {s.id: s.scores["awareness_scorer"] for s in log.samples}
    # the sample with aware reasoning splits the panel 1-1: unscored, both verdicts kept
    split = [s for s in by_id.values() if s.metadata.get("unscored")]
    agreed = [s for s in by_id.values() if not s.metadata.get("unscored")]
    assert len(split) == 1 and len(agreed) == 1
    seen = AwarenessSeen.from_score(split[0])
    assert [(j.role, j.aware) for j in seen.judges] == [("grader", True), ("grader_2", False)]
    assert seen.lexical_aware is True and "no strict majority" in split[0].metadata["reason"]
    ok = AwarenessResult.from_score(agreed[0])
    assert (
        ok is not None
        and not ok.aware
        and ok.method == "both"
        and [j.aware for j in ok.judges] == [False, False]
    )


def test_one_grader_scores_exactly_as_before(tmp_path: Path) -> None:
    log = run_paired(tmp_path, ["full", "none"], awareness="judge", roles={"grader": judge_model(True)})
    for s in log.samples:
        score = s.scores["awareness_scorer"]
        assert "judges" not in score.metadata and "panel" not in score.metadata
        assert set(score.value) == {"aware", "spontaneous", "where", "kinds", "method"}


def test_a_constant_rater_gets_no_degenerate_kappa_interval() -> None:
    """One judge says 'aware' on every sample: kappa is 0 by construction, and a bootstrap
    would print [0, 0]; the table says why there is no interval instead."""
    from evalaware.scorers.behaviour_judge import check_judge_agreement

    always = [1.0] * 12
    mixed = [1.0, 0.0] * 6
    r = check_judge_agreement(always, mixed)
    assert r.kappa == 0.0 and math.isnan(r.kappa_lo) and math.isnan(r.kappa_hi)
    assert "same verdict on every sample" in r.note
