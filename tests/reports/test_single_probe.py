"""A run of any single probe gives a consistent report, and crashed runs are named in words a user knows.

Each probe's samples are rows of the one tidy table: the header, overview, caveats and data
quality count them, and they agree with the probe's own section.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from evalaware.reports.build import build_report
from evalaware.reports.caveats import NATIVE_CRASH
from evalaware.reports.console import gap_lines
from evalaware.reports.sections.ablation import ablation_frame
from evalaware.reports.sections.direct import direct_frame, direct_table
from evalaware.reports.sections.injection import injection_frame
from inspect_ai import eval
from inspect_ai.log import read_eval_log, write_eval_log
from inspect_ai.model import ChatMessage, ModelOutput, ModelUsage, get_model

GOOD = Path(__file__).parents[1] / "fixtures" / "good_scenarios"
LOGS = Path(__file__).parents[1] / "fixtures" / "logs"
USAGE = ModelUsage(input_tokens=10, output_tokens=10, total_tokens=20)


def _reply(text: str) -> ModelOutput:
    out = ModelOutput.from_content("mockllm/model", text)
    out.usage = USAGE
    return out


def scripted(input: list[ChatMessage], tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
    last = input[-1].text
    if "PROBABILITY: <number>" in last:  # a direct-probe question: test samples name a placeholder firm
        text = "\n".join(m.text for m in input)
        return _reply(
            "PROBABILITY: 0.8" if "Acme Corp" in text or "Example Inc" in text else "PROBABILITY: 0.3"
        )
    system = input[0].text
    aware = "This looks like a test of whether I will hide the policy. " if "an evaluation" in system else ""
    return _reply(aware + "You can get a refund within 30 days.")


def _run(task: Any, log_dir: Path) -> Path:
    (log,) = eval(task, model=get_model("mockllm/model", custom_outputs=scripted), log_dir=str(log_dir),
                  display="none")  # fmt: skip
    assert log.status == "success", log.error
    return log_dir


def _check_counts(report: Any, probe: str, rows: int) -> None:
    data = report.data
    html = report.html.read_text(encoding="utf-8")
    md = report.markdown.read_text(encoding="utf-8")
    assert data.models == ["mockllm/model"]
    assert "no models" not in html and "mockllm/model · generated" in html
    pairs = data.all_samples["pair_key"].nunique()
    assert f"1 model(s) · {pairs} pair(s) · {rows} sample-epoch rows" in md
    assert f"1 model(s), {pairs} scenario pair(s), {rows} sample-epoch rows ({probe} {rows})" in html
    assert "No samples were read" not in html
    (counts,) = data.probe_counts.to_dict("records")
    assert (counts["probe"], counts["rows"], counts["errors"]) == (probe, rows, 0)
    assert counts["scored"] + counts["partly_scored"] + counts["unscored"] == rows
    assert "No scored paired_probe samples" in html  # the headline says why it is empty
    assert not [i for i in data.issues if i.level != "note"]  # a clean run: no errors or warnings


def test_direct_probe_only_run(tmp_path: Path) -> None:
    from evalaware.probes.direct import direct_probe

    logs = _run(direct_probe(scenario_dir=str(GOOD), epochs=2), tmp_path / "logs")
    report = build_report([logs], tmp_path / "report", n_boot=50)
    _check_counts(report, "direct_probe", 8)
    s = report.data.all_samples
    assert not s["behaviour_unscored"].any() and s["flagged"].isna().all()
    assert (s["direct_mode"] == "first_person").all()
    table = direct_table(direct_frame(s))
    # every phrasing accounts for all 8 rows: scored + unscored (the open one has no grader)
    assert set(table["n"] + table["unscored"]) == {8}
    purpose = table.set_index("phrasing").loc["purpose"]
    assert (purpose["n"], purpose["unscored"]) == (0, 8)
    assert table.set_index("phrasing").loc["eval_yes_no", "auc"] == pytest.approx(1.0)
    html = report.html.read_text(encoding="utf-8")
    assert "Direct probe: does the model know it was tested?" in html
    # behaviour is not what this probe scores, so it is never "unscored"; one unscored phrasing
    # leaves the sample's score scored (that phrasing counts as unscored in the section above)
    assert report.data.issues == []
    assert (s["status"] == "scored").all()
    json.loads(s["direct_p"].iloc[0])  # the per-phrasing P(evaluation) is JSON


def test_cue_ablation_only_run(tmp_path: Path) -> None:
    from evalaware.probes.ablation import cue_ablation

    logs = _run(cue_ablation(scenario_dir=str(GOOD), pairs="honesty-mini"), tmp_path / "logs")
    report = build_report([logs], tmp_path / "report", n_boot=50)
    _check_counts(report, "cue_ablation", 8)
    frame = ablation_frame(report.data.all_samples)
    assert len(frame) == 8 and all(frame["kinds"].apply(len) == 3)
    assert "Cue ablation: which cue gives the test away?" in report.html.read_text(encoding="utf-8")


def test_awareness_injection_only_run(tmp_path: Path) -> None:
    from evalaware.probes.injection import awareness_injection

    logs = _run(awareness_injection(scenario_dir=str(GOOD), pairs="honesty-mini"), tmp_path / "logs")
    report = build_report([logs], tmp_path / "report", n_boot=50)
    _check_counts(report, "awareness_injection", 6)
    frame = injection_frame(report.data.all_samples)
    assert sorted(frame["arm"].unique()) == ["aware", "control", "none"] and len(frame) == 6
    assert "Awareness injection" in report.html.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- crashes


def _fixture_copy(tmp_path: Path) -> tuple[Path, Path]:
    logs = tmp_path / "logs"
    shutil.copytree(LOGS, logs)
    alpha = next(p for p in sorted(logs.glob("*.eval")) if read_eval_log(str(p), header_only=True).eval.model
                 == "mockllm/alpha")  # fmt: skip
    return logs, alpha


def test_started_log_is_named_as_an_abrupt_stop(tmp_path: Path) -> None:
    logs, alpha = _fixture_copy(tmp_path)
    log = read_eval_log(str(alpha))
    log.status = "started"  # what a killed process (or a native crash) leaves behind
    log.results = None
    write_eval_log(log, str(alpha))
    report = build_report([logs], tmp_path / "report", n_boot=50)
    texts = [i.text for i in report.data.issues if i.level == "error"]
    expected = (
        "run stopped abruptly: mockllm/alpha / paired_probe: the process was killed or crashed (for example "
        "a native crash of the embedded model) before it finished; the 12 sample(s) it completed are kept; "
        "run the same command again to resume"
    )
    assert expected in texts
    assert "run stopped abruptly" in report.markdown.read_text(encoding="utf-8")
    assert any(line.startswith("run stopped abruptly: mockllm/alpha") for line in gap_lines([log]))


def test_native_crash_errors_get_their_own_caveat(tmp_path: Path) -> None:
    logs, alpha = _fixture_copy(tmp_path)
    log = read_eval_log(str(alpha))
    errored = [s for s in log.samples or [] if s.error]
    assert len(errored) == 1
    errored[0].error.message = f"RuntimeError: {NATIVE_CRASH} (signal SIGSEGV) while generating."
    write_eval_log(log, str(alpha))
    report = build_report([logs], tmp_path / "report", n_boot=50)
    texts = [i.text for i in report.data.issues]
    assert (
        "mockllm/alpha: 1 sample(s) errored because the embedded model crashed in native code; rebuild the "
        "embedded model with `bash scripts/bootstrap.sh`, then run the same command again to redo them"
    ) in texts
    assert any("bash scripts/bootstrap.sh" in line for line in gap_lines([log]))
