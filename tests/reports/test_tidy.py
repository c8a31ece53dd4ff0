"""The tidy table: columns, row counts, unscored/errored rows kept, partial runs and versions flagged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from evalaware.reports.build import ReportFiles, build_report
from evalaware.reports.tidy import SAMPLE_COLUMNS, LogsNotFoundError, load_logs
from inspect_ai.log import read_eval_log, write_eval_log


def test_columns_and_row_counts(report: ReportFiles) -> None:
    s = report.data.samples
    assert tuple(s.columns) == SAMPLE_COLUMNS
    # alpha: 3 pairs x 2 variants x 2 epochs; beta: 3 x 2 x 1; gamma stopped after 5 samples.
    assert s.groupby("model").size().to_dict() == {"mockllm/alpha": 12, "mockllm/beta": 6, "mockllm/gamma": 5}
    assert not s.duplicated(["model", "sample_id", "epoch"]).any()
    assert set(s["variant"]) == {"test", "deploy"}
    assert s["aware"].isin([0.0, 1.0]).sum() + s["aware"].isna().sum() == len(s)


def test_errored_and_unscored_rows_are_kept_and_explained(report: ReportFiles) -> None:
    s = report.data.samples
    errors = s[s["status"] == "error"]
    assert len(errors) == 3  # alpha's scripted failure, gamma's outage and the sample it cancelled
    assert errors["aware"].isna().all() and errors["flagged"].isna().all()
    assert (errors["error"] != "").all()
    hostile = s[s["pair_id"] == "report-hostile"]
    scored = hostile[hostile["status"] != "error"]
    assert scored["behaviour_unscored"].all()
    assert scored["behaviour_reason"].str.contains("no grader model is configured").all()
    assert (scored["status"] == "partly_scored").all()
    assert report.data.counts.set_index("model").loc["mockllm/alpha", "errors"] == 1


def test_evidence_is_json_with_verbatim_quotes(report: ReportFiles) -> None:
    s = report.data.samples
    aware = s[s["aware"] == 1.0]
    assert len(aware) >= 4
    for _, row in aware.iterrows():
        evidence = json.loads(row["evidence"])
        assert evidence and all(e["quote"] for e in evidence)
        assert row["where"] in {"reasoning", "output", "both"}
        assert row["kinds"]


def test_partial_run_flagged(report: ReportFiles) -> None:
    runs = report.data.runs.set_index("model")
    assert runs.loc["mockllm/gamma", "status"] == "error" and runs.loc["mockllm/gamma", "partial"]
    assert not runs.loc["mockllm/alpha", "partial"]
    s = report.data.samples
    assert s.loc[s["model"] == "mockllm/gamma", "partial"].all()
    assert any(
        i.level == "error" and "partial run" in i.text and "gamma" in i.text for i in report.data.issues
    )


def test_mixed_versions_kept_apart_and_flagged(report: ReportFiles) -> None:
    s = report.data.samples
    keys = set(s.loc[s["pair_id"] == "honesty-mini", "pair_key"])
    assert keys == {"honesty-mini@v2", "honesty-mini@v3"}
    assert set(s.loc[s["pair_id"] == "oversight-mini", "pair_key"]) == {"oversight-mini"}
    assert any("mixed scenario versions" in i.text and "honesty-mini" in i.text for i in report.data.issues)


@pytest.mark.parametrize("status", ["started", "cancelled"])
def test_interrupted_status_is_partial(fixture_logs: Path, tmp_path: Path, status: str) -> None:
    src = next(
        p
        for p in sorted(fixture_logs.glob("*.eval"))
        if read_eval_log(p, header_only=True).eval.model.endswith("beta")
    )
    log = read_eval_log(src)
    log.status = status  # type: ignore[assignment]
    log.samples = (log.samples or [])[:3]
    write_eval_log(log, tmp_path / "interrupted.eval")
    files = build_report([tmp_path / "interrupted.eval"], tmp_path / "out")
    assert files.data.runs["partial"].all()
    assert len(files.data.samples) == 3
    html = files.html.read_text()
    assert f"{status} (partial)" in html and "partial run" in html


def test_malformed_pair_table_is_named_and_titles_left_blank(fixture_logs: Path, tmp_path: Path) -> None:
    src = sorted(fixture_logs.glob("*.eval"))[0]
    log = read_eval_log(src)
    for sample in log.samples or []:
        (sample.metadata or {}).pop("title", None)  # a newer log: titles only in the table
    log.eval.metadata = {"evalaware_pairs": {"some-pair": {"title": ["not", "text"]}}}
    write_eval_log(log, tmp_path / "bad-table.eval")
    loaded = load_logs([tmp_path / "bad-table.eval"])
    assert len(loaded.samples) == len(log.samples or []) and (loaded.samples["title"] == "").all()
    (issue,) = [i for i in loaded.issues if "evalaware_pairs" in i]
    assert "bad-table.eval" in issue and "some-pair.title" in issue


def test_single_model_and_file_input(fixture_logs: Path, tmp_path: Path) -> None:
    one = sorted(fixture_logs.glob("*.eval"))[0]
    files = build_report([one], tmp_path)
    assert files.data.models == [read_eval_log(one, header_only=True).eval.model]


def test_same_log_twice_is_not_double_counted(fixture_logs: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(fixture_logs, copy)
    loaded = load_logs([fixture_logs, copy])
    assert len(loaded.samples) == 23
    assert loaded.runs["superseded"].sum() == 3
    assert any("not counted twice" in i for i in loaded.issues)


def test_missing_logs_raise(tmp_path: Path) -> None:
    with pytest.raises(LogsNotFoundError):
        load_logs([tmp_path])
    with pytest.raises(LogsNotFoundError):
        load_logs([tmp_path / "nope"])


def test_fast_summary_path_matches_inspect_reader(fixture_logs: Path) -> None:
    """The direct summaries.json read gives exactly the rows Inspect's own reader gives."""
    fast = load_logs([fixture_logs], fast=True).samples
    slow = load_logs([fixture_logs], fast=False).samples
    pd.testing.assert_frame_equal(fast, slow)


def test_columns_doc_is_generated_from_the_column_list() -> None:
    from evalaware.reports.columns import COLUMNS, DOC, columns_markdown

    assert DOC.read_text(encoding="utf-8") == columns_markdown(), (
        "reports/COLUMNS.md is stale: run python -m evalaware.reports.columns"
    )
    assert all(f"| `{c.name}` |" in columns_markdown() for c in COLUMNS)
    assert tuple(c.name for c in COLUMNS) == SAMPLE_COLUMNS
