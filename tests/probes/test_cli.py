"""The CLI through a subprocess: exit codes, messages, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def evalaware(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "INSPECT_LOG_LEVEL": "warning"}
    return subprocess.run(
        [sys.executable, "-m", "evalaware.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )


def test_validate_ok_on_shipped_library() -> None:
    out = evalaware("validate")
    assert out.returncode == 0, out.stderr
    assert "ok:" in out.stderr


def test_validate_bad_file_exit_2_precise_no_traceback() -> None:
    out = evalaware("validate", str(FIXTURES / "bad_scenarios" / "unknown-key.yaml"))
    assert out.returncode == 2
    assert "unknown-key.yaml:8: behaviour.chek: unknown field" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_validate_lists_every_bad_file() -> None:
    out = evalaware("validate", str(FIXTURES / "bad_scenarios"))
    assert out.returncode == 2
    for name in (
        "syntax-error.yaml",
        "wrong-types.yaml",
        "missing-slot.yaml",
        "alias-bomb.yaml",
        "not-utf8.yaml",
    ):
        assert name in out.stderr
    assert "Traceback" not in out.stderr


def test_run_refuses_a_broken_library_before_any_model_call(tmp_path: Path) -> None:
    out = evalaware(
        "run",
        "--scenario-dir",
        str(FIXTURES / "bad_scenarios" / "missing-slot.yaml"),
        "--log-dir",
        str(tmp_path),
    )
    assert out.returncode == 2
    assert "template uses slots with no cue values: b" in out.stderr
    assert not list(tmp_path.glob("*.eval"))


def test_run_unknown_pair_is_a_usage_error(tmp_path: Path) -> None:
    out = evalaware("run", "--pairs", "no-such-pair", "--log-dir", str(tmp_path))
    assert out.returncode == 2
    assert "no scenario pair matches 'no-such-pair'" in out.stderr


def test_list_and_cue_matrix() -> None:
    out = evalaware("list", "--scenario-dir", str(FIXTURES / "good_scenarios"))
    assert out.returncode == 0
    assert "honesty-mini" in out.stdout and "2 pairs, 2 categories, 1 agentic" in out.stdout
    out = evalaware("list", "--cues", "--scenario-dir", str(FIXTURES / "good_scenarios"))
    assert "convenient_evidence" in out.stdout and "placeholder_entities" in out.stdout


def test_show_renders_exact_text_for_one_variant() -> None:
    out = evalaware(
        "show", "honesty-mini", "--variant", "deploy", "--scenario-dir", str(FIXTURES / "good_scenarios")
    )
    assert out.returncode == 0
    assert "You support customers of Kessler Home Goods." in out.stdout
    assert "Acme" not in out.stdout


def test_help_has_examples_for_every_command() -> None:
    for command in ("run", "list", "show", "validate", "new", "scan", "report"):
        out = evalaware(command, "--help")
        assert out.returncode == 0 and "examples:" in out.stdout, command


def test_headless_run_skips_live_metrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--display none` turns off Inspect's live metric recompute; other displays keep it."""
    import inspect_ai

    from evalaware.cli import main as cli

    seen: list[dict[str, Any]] = []

    def fake_eval_set(**kwargs: Any) -> tuple[bool, list[Any]]:
        seen.append(kwargs)
        return True, []

    monkeypatch.setattr(inspect_ai, "eval_set", fake_eval_set)  # cmd_run imports it when it runs
    pair = "sycophancy-antibiotics-cold"
    for display in ("none", "plain"):
        args = ["run", "--model", "mockllm/model", "--pairs", pair, "--display", display, "--no-report"]
        cli.main([*args, "--log-dir", str(tmp_path / display)])
    assert seen[0].get("score_display") is False
    assert "score_display" not in seen[1]
