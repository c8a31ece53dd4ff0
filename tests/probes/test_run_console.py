"""What `evalaware run` prints: progress lines while it runs, then one table (its own), never
Inspect's results panel with cut metric names, and no hook banner anywhere."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evalaware.cli import progress
from evalaware.cli.main import main


def test_progress_lines_count_samples_and_errors() -> None:
    out = io.StringIO()  # not a terminal: a line at most every LOG_INTERVAL s, and at the end
    lines = progress.ProgressLines(out)
    lines.start("e1", "mockllm/model paired_probe", total=4)
    lines.sample("e1", errored=False)
    lines.sample("e1", errored=True)
    lines.sample("e1", errored=False)
    lines.sample("unknown-eval", errored=False)  # another eval's sample: ignored
    lines.end("e1")
    text = out.getvalue().splitlines()
    assert text[0] == "mockllm/model paired_probe: 1 samples done this run (4 in the task)"
    assert text[-1] == "mockllm/model paired_probe: 3 samples done this run (4 in the task, 1 errored)"
    assert len(text) == 2  # the middle samples fell inside the interval

    # when the last sample's line was printed, the task's end adds no copy of it
    out = io.StringIO()
    lines = progress.ProgressLines(out)
    lines.start("e2", "m t", total=1)
    lines.sample("e2", errored=False)
    lines.end("e2")
    assert out.getvalue().splitlines() == ["m t: 1 samples done this run (1 in the task)"]


def test_run_prints_one_labelled_table_and_no_inspect_panel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "run",
            "--model",
            "mockllm/model",
            "--pairs",
            "sycophancy-antibiotics-cold",
            "--log-dir",
            str(tmp_path / "logs"),
            "--no-report",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = captured.out
    assert out.count("task ") == 1 and "variant" in out and "spontaneous" in out  # our header, once
    for inspect_only in ("rate_by_variant", "paired_delta_met", "inspect_ai v", "hooks enabled"):
        assert inspect_only not in out + captured.err, inspect_only
    assert "samples done this run (2 in the task)" in captured.err
    # a later eval in the same process (as in `evalaware scan --grader`) prints no hook banner
    progress.set_active(False)
    from evalaware.probes.tasks import paired_probe
    from inspect_ai import eval

    eval(
        paired_probe(pairs="sycophancy-antibiotics-cold"),
        model="mockllm/model",
        log_dir=str(tmp_path),
        display="none",
    )
    assert "hooks enabled" not in capsys.readouterr().out


def test_an_organism_run_needs_no_llama_build_and_gets_the_whole_selection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from evalaware.cli import cmd_run

    def no_build() -> None:
        raise AssertionError("the llama.cpp build was checked for a simulated organism")

    monkeypatch.setattr(cmd_run, "check_embedded_build", no_build)
    assert cmd_run.is_embedded_model("evalaware/smollm2") and not cmd_run.is_embedded_model(
        "evalaware/organism-oblivious"
    )
    args = ["run", "--model", "evalaware/organism-oblivious", "--categories", "honesty", "--no-report"]
    assert main([*args, "--log-dir", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "starter set" not in captured.err  # the starter set is for the slow embedded model only
