"""`evalaware plan` and `evalaware run --plan`: power and cost before anything is spent."""

from __future__ import annotations

import argparse
import io
import math
from pathlib import Path

import pytest
from evalaware.scenarios.loader import load_library

from evalaware.cli import cmd_plan
from evalaware.cli.errors import UsageError
from evalaware.cli.main import main

GOOD = Path(__file__).parents[1] / "fixtures" / "good_scenarios"


def test_mde_shrinks_with_pairs_and_epochs_down_to_the_heterogeneity_floor() -> None:
    one = cmd_plan.mde_delta(20, 1, 0.5, 0.1)
    assert cmd_plan.mde_delta(80, 1, 0.5, 0.1) < one
    assert cmd_plan.mde_delta(20, 5, 0.5, 0.1) < one
    # No heterogeneity, 30 pairs, one epoch: (t.975 + t.80, df 29) * sqrt(2 * .25) / sqrt(30).
    assert cmd_plan.mde_delta(30, 1, 0.5, 0.0) == pytest.approx(
        (2.0452 + 0.8542) * math.sqrt(0.5 / 30), rel=1e-3
    )
    assert math.isnan(cmd_plan.mde_delta(1, 1, 0.5, 0.1))
    assert cmd_plan.mde_gap(60, 1, 0.05, 0.0) < cmd_plan.mde_gap(15, 1, 0.05, 0.0)
    floor = cmd_plan.mde_delta(20, 10_000, 0.5, 0.1)
    assert cmd_plan.epochs_needed(floor * 0.9, lambda e: cmd_plan.mde_delta(20, e, 0.5, 0.1)) is None
    assert cmd_plan.epochs_needed(one * 0.8, lambda e: cmd_plan.mde_delta(20, e, 0.5, 0.1)) == 2


def test_tokens_by_chars_over_four_and_money_only_with_prices() -> None:
    pairs = load_library([GOOD])
    kw = dict(
        variants=["test", "deploy"],
        epochs=2,
        graders=[],
        awareness="lexical",
        output_tokens=100,
        judge_output_tokens=50,
        agent_calls=3,
        grader_price=(None, None),
    )
    free = cmd_plan.make_plan(pairs, models=["openai/gpt-4.1"], price=(None, None), **kw)
    assert free.total_usd is None and free.input_tokens > 0
    priced = cmd_plan.make_plan(pairs, models=["openai/gpt-4.1"], price=(2.0, 8.0), **kw)
    assert priced.total_usd == pytest.approx(priced.input_tokens / 1e6 * 2 + priced.output_tokens / 1e6 * 8)
    local = cmd_plan.make_plan(pairs, models=["evalaware/organism-oblivious"], price=(None, None), **kw)
    assert local.total_usd == 0.0
    assert cmd_plan.tokens("x" * 9) == 3


def test_plan_command_prints_power_tokens_and_money(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["plan", "--scenario-dir", str(GOOD), "--model", "openai/gpt-4.1", "--price-in", "2",
         "--price-out", "8", "--grader", "openai/gpt-4.1-mini", "--awareness", "both", "--epochs", "3",
         "--target-delta", "0.9"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "minimum detectable behaviour delta" in out and "minimum detectable awareness gap" in out
    assert "variance assumption" in out and "chars/4" in out
    assert "target behaviour delta" in out
    assert "judge (openai/gpt-4.1-mini" in out and "total: $" in out


def _run_args(**over: object) -> argparse.Namespace:
    base = dict(
        plan=True, yes=False, confirm_above_usd=1.0, price_in=1e6, price_out=1e6, grader_price_in=None,
        grader_price_out=None, output_tokens=400, judge_output_tokens=250, agent_calls=4, base_rate=0.5,
        aware_rate=0.05, pair_sd=0.1, variants="test,deploy", epochs=1, grader=None, awareness="lexical",
    )  # fmt: skip
    base.update(over)
    return argparse.Namespace(**base)


def test_run_plan_refuses_a_costly_non_interactive_run_before_any_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["run", "--plan", "--scenario-dir", str(GOOD), "--model", "openai/none-such", "--price-in", "1000000",
         "--price-out", "1000000", "--no-report", "--log-dir", "/nonexistent/never-written"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "above --confirm-above-usd" in err and "--yes" in err
    assert "minimum detectable behaviour delta" in err  # the plan was shown first
    assert not Path("/nonexistent/never-written").exists()


def test_run_plan_asks_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = load_library([GOOD])

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("y\n"))
    cmd_plan.confirm_plan(_run_args(), pairs, ["openai/gpt-4.1"])  # confirmed: returns
    monkeypatch.setattr("sys.stdin", Tty("n\n"))
    with pytest.raises(UsageError, match="not confirmed"):
        cmd_plan.confirm_plan(_run_args(), pairs, ["openai/gpt-4.1"])
    cmd_plan.confirm_plan(_run_args(yes=True), pairs, ["openai/gpt-4.1"])  # --yes: no question
    cmd_plan.confirm_plan(_run_args(price_in=None, price_out=None), pairs, ["openai/gpt-4.1"])  # unpriced


def test_demo_writes_a_simulated_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["demo", "--organism", "silent-gamer,oblivious", "--log-dir", str(tmp_path),
         "--pairs", "honesty-release-notes,leak-board-pack-forward"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    html = Path(out.split("report: ")[1].split()[0])
    assert "SIMULATED SUBJECTS" in html.read_text(encoding="utf-8")
    assert "SIMULATED SUBJECTS" in (html.parent / "summary.md").read_text(encoding="utf-8")
