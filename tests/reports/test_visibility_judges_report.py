"""The report's reasoning-visibility and awareness-judges sections, from runs with every kind of
reasoning and a two-judge panel (scripted mockllm judges)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from evalaware.reports.build import build_report

sys.path.insert(0, str(Path(__file__).parents[1] / "scorers"))
from reasoning_logs import judge_model, run_paired


def test_report_shows_unmeasurable_and_hidden_reasoning(tmp_path: Path) -> None:
    run_paired(tmp_path / "logs", ["hidden", "redacted", "summarised", "full", "none", "hidden"])
    build_report([tmp_path / "logs"], tmp_path / "report")
    md = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "## Reasoning visibility" in md and "Reasoning visibility" in html
    section = md.split("## Reasoning visibility")[1].split("\n## ")[0]
    row = next(line for line in section.splitlines() if line.startswith("| mockllm/model"))
    # 6 samples: 1 full, 1 summarised, 1 redacted, 3 absent (2 billed reasoning tokens, 1 did not);
    # reasoning tokens with no text: the 2 absent ones and the redacted one
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:7] == ["6", "1", "1", "1", "3", "3"]
    assert cells[7].startswith("50%") and "n=2" in cells[7]  # aware in reasoning: over the 2 readable
    assert cells[8] == "3"  # unmeasurable, not counted as 0
    assert "3 sample(s) used reasoning tokens but returned no reasoning text" in md
    samples = pd.read_csv(tmp_path / "report" / "samples.csv")
    assert sorted(samples["reasoning_state"]) == ["measured"] * 2 + ["none"] + ["unmeasurable"] * 3
    assert samples.loc[samples["reasoning_state"] == "unmeasurable", "aware_reasoning"].isna().all()


def test_report_unmeasurable_when_no_reasoning_was_visible(tmp_path: Path) -> None:
    run_paired(tmp_path / "logs", ["hidden", "redacted"])
    build_report([tmp_path / "logs"], tmp_path / "report")
    md = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    section = md.split("## Reasoning visibility")[1].split("\n## ")[0]
    row = next(line for line in section.splitlines() if line.startswith("| mockllm/model"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[7] == "unmeasurable (2)"  # in reasoning: unmeasurable, not 0%
    assert cells[9].startswith("0%")  # the answer was visible: measured


def test_report_shows_judge_agreement_with_counts(tmp_path: Path) -> None:
    roles = {"grader": judge_model(True), "grader_2": judge_model(False)}
    run_paired(tmp_path / "logs", ["full", "none"] * 6, awareness="both", roles=roles)
    build_report([tmp_path / "logs"], tmp_path / "report")
    md = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    assert "## Awareness judges" in md
    lines = [line for line in md.split("## Awareness judges")[1].splitlines() if line.startswith("| mockllm")]
    pairs = {c[1]: c for c in ([x.strip() for x in line.strip("|").split("|")] for line in lines)}
    judges = pairs["grader (mockllm/model) vs grader_2 (mockllm/model)"]
    # 12 samples, 6 with aware reasoning: grader says aware, grader_2 never does
    assert judges[2:4] == ["12", "0"] and judges[6:10] == ["0", "6", "0", "6"]
    lexical = pairs["grader (mockllm/model) vs lexical"]
    assert lexical[2] == "12" and lexical[6] == "6" and lexical[5].startswith("1.00")
