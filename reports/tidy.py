"""Inspect logs → one tidy pandas table (a row per sample and epoch) plus a table of runs.

The sample table is read from the *sample summaries* of each log (the data
``inspect_ai.analysis.samples_df`` reads; see ``_raw_summaries`` for why they are parsed
directly), which is fast because it skips messages and events. Summaries thin
score metadata (any key whose JSON is over 1 kB is replaced by a placeholder), and the
awareness evidence list often is; those few samples are re-read in full with
``read_eval_log_samples_by_id``, so the evidence column is always exact. The run table comes
from ``evals_df`` plus the log headers (for model args, roles and scorers, which
``evals_df`` does not expose correctly: its ``model_args`` column holds the base URL).

The columns of the sample table are declared as data in ``evalaware.reports.columns``
(``COLUMNS``; their documentation, generated from it, is ``reports/COLUMNS.md``); every score
is read back through the score contract (``evalaware.scorers.contract``). Every probe's samples
are rows of this one table, its ``probe`` column naming the task.

All text is scrubbed of credentials (``evalaware.reports.scrub``) before it enters the table.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from evalaware.reports.columns import SAMPLE_COLUMNS, THINNED, expected_scores, sample_row, sample_view
from evalaware.reports.provenance import attach_provenance
from evalaware.reports.scrub import scrub_obj, scrub_text
from evalaware.scenarios.taxonomy import KNOWN_EVAL_SHAPE_TAG
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

__all__ = [
    "RUN_COLUMNS",
    "SAMPLE_COLUMNS",
    "Loaded",
    "LogsNotFoundError",
    "find_logs",
    "load_logs",
]

RUN_COLUMNS: tuple[str, ...] = (
    "eval_id",
    "run_id",
    "task_id",
    "log",
    "model",
    "task",
    "task_version",
    "status",
    "partial",
    "superseded",
    "created",
    "completed",
    "epochs",
    "total_samples",
    "samples_read",
    "error_message",
    "model_base_url",
    "model_args",
    "model_roles",
    "task_args",
    "generate_config",
    "scorers",
    "inspect_version",
    "evalaware_version",
    "scenario_versions",
)

_LOG_SUFFIXES = (".eval", ".json")


class LogsNotFoundError(Exception):
    """No Inspect log was found under the given paths."""


@dataclass
class Loaded:
    """What ``load_logs`` read."""

    samples: pd.DataFrame
    """The tidy sample table (``SAMPLE_COLUMNS``)."""
    runs: pd.DataFrame
    """One row per log file (``RUN_COLUMNS``), scrubbed."""
    sources: list[str]
    """The paths the user gave."""
    issues: list[str] = field(default_factory=list)
    """Problems met while reading (unreadable logs, foreign tasks, duplicates...)."""


def find_logs(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Every Inspect log file named by ``paths`` (files, or folders searched recursively)."""
    from inspect_ai.log import list_eval_logs

    found: list[str] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                _local(info.name) for info in list_eval_logs(str(path), recursive=True, descending=False)
            )
        elif path.is_file() and path.suffix in _LOG_SUFFIXES:
            found.append(str(path.resolve()))
        else:
            missing.append(str(raw))
    if missing:
        raise LogsNotFoundError(f"not an Inspect log file or folder: {', '.join(missing)}")
    unique = sorted(dict.fromkeys(found))
    if not unique:
        raise LogsNotFoundError(f"no Inspect logs (*.eval, *.json) under {', '.join(str(p) for p in paths)}")
    return unique


def _local(name: str) -> str:
    return name.removeprefix("file://")


# --------------------------------------------------------------------------- runs


class _PairInfo(BaseModel):
    """One entry of a log's ``evalaware_pairs`` task metadata (``evalaware.probes.dataset.pair_table``)."""

    model_config = ConfigDict(extra="ignore")

    title: str = ""
    tags: list[str] = []
    """Absent in logs written before the tags travelled: read as no tags."""


@dataclass(frozen=True)
class _PairFacts:
    """What a log's pair table says of one pair beyond its samples: title and tags."""

    title: str = ""
    tags: tuple[str, ...] = ()


#: ``eval_id -> pair_id -> facts``: each log's pair table.
_Titles = dict[str, dict[str, _PairFacts]]

_PAIR_TABLE = TypeAdapter(dict[str, _PairInfo])


def _pair_titles(log: str, metadata: dict[str, Any] | None, issues: list[str]) -> dict[str, _PairFacts]:
    """``pair_id -> title and tags`` from a log's pair table; samples carry neither."""
    table = (metadata or {}).get("evalaware_pairs")
    if table is None:
        return {}
    try:
        return {
            pair: _PairFacts(scrub_text(info.title), tuple(info.tags))
            for pair, info in _PAIR_TABLE.validate_python(table).items()
        }
    except ValidationError as e:
        where = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()[:3])
        issues.append(f"{log}: task metadata evalaware_pairs is malformed ({where}); titles left blank")
        return {}


def _read_runs(logs: Sequence[str]) -> tuple[pd.DataFrame, list[str], _Titles]:
    from inspect_ai.analysis import evals_df
    from inspect_ai.log import read_eval_log

    issues: list[str] = []
    frame, errors = evals_df(list(logs), quiet=True, strict=False)
    for err in errors:
        issues.append(f"could not read a field of {err.log}: {err.message}")
    by_log = {_local(str(r["log"])): r for r in frame.to_dict("records")}
    rows: list[dict[str, Any]] = []
    titles: _Titles = {}
    for log in logs:
        try:
            header = read_eval_log(log, header_only=True)
        except Exception as e:  # a truncated or foreign file must not sink the whole report
            issues.append(f"unreadable log {log}: {type(e).__name__}: {scrub_text(str(e))[:300]}")
            continue
        spec = header.eval
        titles[spec.eval_id] = _pair_titles(log, spec.metadata, issues)
        info = by_log.get(log, {})
        # The spec names the scorers; results.scores is keyed by metric value (aware, flagged...).
        scorers = [s.name for s in spec.scorers or []] or [
            s.scorer for s in (header.results.scores if header.results else [])
        ]
        scorers = list(dict.fromkeys(scorers))
        rows.append(
            {
                "eval_id": spec.eval_id,
                "run_id": spec.run_id,
                "task_id": spec.task_id,
                "log": log,
                "model": scrub_text(spec.model),
                "task": spec.task.split("/")[-1],
                "task_version": str(spec.task_version),
                "status": header.status,
                "partial": header.status != "success",
                "superseded": False,
                "created": str(spec.created),
                "completed": str(header.stats.completed_at)
                if header.stats and header.stats.completed_at
                else "",
                "epochs": int(spec.config.epochs or 1),
                "total_samples": _int(info.get("total_samples")),
                "samples_read": 0,
                "error_message": scrub_text(header.error.message) if header.error else "",
                "model_base_url": scrub_text(spec.model_base_url or ""),
                "model_args": _json(scrub_obj(spec.model_args or {})),
                "model_roles": _json(
                    scrub_obj(
                        {
                            role: _role(r) if not isinstance(r, list) else [_role(m) for m in r]
                            for role, r in (spec.model_roles or {}).items()
                        }
                    )
                ),
                "task_args": _json(scrub_obj(spec.task_args or {})),
                "generate_config": _json(
                    scrub_obj(
                        spec.model_generate_config.model_dump(exclude_none=True)
                        if spec.model_generate_config
                        else {}
                    )
                ),
                "scorers": ",".join(scorers),
                "inspect_version": (spec.packages or {}).get("inspect_ai", ""),
                "evalaware_version": (spec.packages or {}).get("evalaware", ""),
                "scenario_versions": "",
            }
        )
    runs = pd.DataFrame(rows, columns=list(RUN_COLUMNS))
    return _mark_superseded(runs, issues), issues, titles


def _role(r: Any) -> dict[str, Any]:
    """A role's model, model args and its own generation settings (``--grader-config``)."""
    config = r.config.model_dump(exclude_none=True) if getattr(r, "config", None) else {}
    return {"model": r.model, "args": r.args, "config": config}


def _mark_superseded(runs: pd.DataFrame, issues: list[str]) -> pd.DataFrame:
    """Keep one log per Inspect task id: the same eval read twice would double-count samples.

    ``eval_set`` removes older logs of a task it re-ran, but copies of a log folder (or a
    folder passed twice under different names) still reach here. The completed log wins,
    then the newest.
    """
    if runs.empty:
        return runs
    order = runs.assign(_ok=runs["status"] == "success").sort_values(
        ["_ok", "created"], ascending=[False, False]
    )
    dup = order.duplicated("task_id", keep="first")
    for _, row in order[dup].iterrows():
        issues.append(
            f"log {row['log']} repeats Inspect task {row['task_id']} ({row['model']}); "
            "it is listed but its samples are not counted twice"
        )
    runs.loc[order.index[dup.to_numpy()], "superseded"] = True
    return runs


def _int(v: Any) -> int | None:
    try:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return int(v)
    except (TypeError, ValueError):
        return None


def _json(v: Any) -> str:
    return json.dumps(v, sort_keys=True, default=str, ensure_ascii=False)


# --------------------------------------------------------------------------- samples


class _Raw:
    """Attribute access over a summary's JSON dict, shaped like ``EvalSampleSummary`` for ``sample_view``.

    Its scores stay JSON dicts: the score contract reads those as well as ``Score`` objects.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.id = data["id"]
        self.epoch = data["epoch"]
        self.metadata = data.get("metadata") or {}
        self.scores = data.get("scores") or {}
        self.error = data.get("error")
        self.limit = data.get("limit")
        self.model_usage = {k: _RawUsage(v) for k, v in (data.get("model_usage") or {}).items()}


class _RawUsage:
    def __init__(self, data: dict[str, Any]) -> None:
        self.total_tokens = int(data.get("total_tokens") or 0)


def _raw_summaries(log: str) -> list[dict[str, Any]] | None:
    """A finished .eval log's sample summaries as plain JSON, or None to use Inspect's reader.

    Why: ``read_eval_log_sample_summaries`` validates every summary with pydantic and re-thins
    its metadata; on 10,000 samples that was most of the report's time, while the JSON
    itself parses in a fraction of a second. The .eval file is a zip (Zstandard members,
    readable by ``zipfile`` once ``zipfile_zstd``, an inspect_ai dependency, is imported)
    whose ``summaries.json`` holds the same records. Anything unexpected (a .json log, a
    running log with only journal files, a changed layout) falls back to Inspect's reader;
    tests check both paths give identical rows.
    """
    if not log.endswith(".eval"):
        return None
    try:
        import zipfile

        import zipfile_zstd  # noqa: F401  (registers Zstandard decompression with zipfile)

        with zipfile.ZipFile(log) as z:
            if "summaries.json" not in z.namelist():
                return None
            data = json.loads(z.read("summaries.json"))
    except Exception:
        return None
    if not isinstance(data, list) or not all(
        isinstance(d, dict) and "id" in d and "epoch" in d for d in data
    ):
        return None
    # A re-queued sample can appear twice; the later record wins, as in Inspect's reader.
    return list({(str(d["id"]), int(d["epoch"])): d for d in data}.values())


def _summary_rows(runs: pd.DataFrame, issues: list[str], titles: _Titles, fast: bool = True) -> pd.DataFrame:
    from inspect_ai.log import read_eval_log_sample_summaries

    # Sample summaries are read directly rather than through ``samples_df``: the same data
    # underneath, but ``samples_df`` also dumps every summary to JSON to resolve column
    # paths, which doubled the time on 10,000 samples (bench/bench_report.py).
    records: list[dict[str, Any]] = []
    for log, eval_id, scorers in zip(runs["log"], runs["eval_id"], runs["scorers"], strict=True):
        expected = expected_scores(str(scorers or ""))
        raw = _raw_summaries(log) if fast else None
        if raw is not None:
            summaries: list[Any] = [_Raw(d) for d in raw]
        else:
            try:
                summaries = read_eval_log_sample_summaries(log)
            except Exception as e:  # one damaged log must not sink the report; it is named instead
                issues.append(
                    f"could not read samples of {log}: {type(e).__name__}: {scrub_text(str(e))[:300]}"
                )
                continue
        pair_titles = titles.get(eval_id, {})
        for summary in summaries:
            row = sample_row(sample_view(summary, expected))
            facts = pair_titles.get(row["pair_id"], _PairFacts())
            # Older logs carry the title in each sample; newer ones once, in the pair table.
            row["title"] = row["title"] or facts.title
            row["known_eval_shape"] = KNOWN_EVAL_SHAPE_TAG in facts.tags
            row["eval_id"] = eval_id
            row["log"] = log
            row["_expected"] = expected
            records.append(row)
    return pd.DataFrame(records) if records else pd.DataFrame(columns=["eval_id", "log"])


_FROM_EVIDENCE = ("evidence", "where", "kinds")


def _refetch_thinned(rows: pd.DataFrame) -> pd.DataFrame:
    """Re-read in full the samples whose evidence the summary thinned away."""
    from inspect_ai.log import read_eval_log_samples_by_id

    thinned = rows["evidence"].astype(str).str.startswith(THINNED)
    if not thinned.any():
        return rows
    rows = rows.copy()
    for log, group in rows[thinned].groupby("log", sort=False):
        wanted = [(sid, int(ep)) for sid, ep in zip(group["sample_id"], group["epoch"], strict=True)]
        samples = read_eval_log_samples_by_id(
            str(log), wanted, exclude_fields={"events", "store", "attachments", "messages"}
        )
        # The full EvalSample, not .summary(): building a summary thins the metadata again.
        expected = group["_expected"].iloc[0]
        full = {(str(s.id), int(s.epoch)): sample_row(sample_view(s, expected)) for s in samples}
        for idx, sid, ep in zip(group.index, group["sample_id"], group["epoch"], strict=True):
            row = full.get((str(sid), int(ep)))
            if row is not None:
                # ``where`` is read from the evidence, so it comes back with it.
                for column in _FROM_EVIDENCE:
                    rows.at[idx, column] = row[column]
    return rows


def load_logs(paths: Iterable[str | os.PathLike[str]], fast: bool = True) -> Loaded:
    """Read every log under ``paths`` into the tidy sample table and the run table.

    ``fast=False`` reads summaries only through Inspect's public reader (slower; for checks).
    """
    sources = [str(p) for p in paths]
    logs = find_logs(sources)
    runs, issues, titles = _read_runs(logs)
    rows = _summary_rows(runs[~runs["superseded"]], issues, titles, fast=fast)
    if not rows.empty:
        rows = _refetch_thinned(rows)

    keep = runs[~runs["superseded"]]
    info = keep.set_index("eval_id")[["model", "task", "run_id", "status", "partial"]].assign(
        probe=lambda d: d["task"]
    )
    rows = rows[rows["eval_id"].isin(info.index)]
    foreign = rows["pair_id"] == "" if not rows.empty else pd.Series(dtype=bool)
    if foreign.any():
        for log, n in rows[foreign].groupby("log").size().items():
            issues.append(
                f"{n} sample(s) in {log} have no pair_id metadata (not an evalaware task) and are left out"
            )
        rows = rows[~foreign]
    rows = rows.join(info.rename(columns={"status": "log_status"}), on="eval_id")
    rows = attach_provenance(rows, keep)  # served model, route, host: from the model events
    samples = _finish(rows)
    counts = samples.groupby("eval_id").size() if not samples.empty else pd.Series(dtype=int)
    runs["samples_read"] = runs["eval_id"].map(counts).fillna(0).astype(int)
    versions = (
        samples.groupby("eval_id")["scenario_version"].apply(
            lambda s: ",".join(str(v) for v in sorted(set(s.dropna())))
        )
        if not samples.empty
        else pd.Series(dtype=str)
    )
    runs["scenario_versions"] = runs["eval_id"].map(versions).fillna("")
    return Loaded(samples=samples, runs=runs, sources=sources, issues=issues)


def _finish(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in SAMPLE_COLUMNS})
        for c in ("aware", "spontaneous", "flagged"):
            frame[c] = frame[c].astype(float)
        frame["known_eval_shape"] = frame["known_eval_shape"].astype(bool)
        return frame
    rows = rows.copy()
    rows["partial"] = rows["partial"].astype(bool)
    rows["known_eval_shape"] = rows["known_eval_shape"].fillna(False).astype(bool)
    rows["scenario_version"] = rows["scenario_version"].astype("Int64")
    for c in ("aware", "spontaneous", "flagged"):
        rows[c] = rows[c].astype(float)
    # Results from different scenario texts must not be paired or pooled as one pair.
    n_versions = rows.groupby("pair_id")["scenario_version"].transform("nunique")
    rows["pair_key"] = rows["pair_id"].where(
        n_versions <= 1, rows["pair_id"] + "@v" + rows["scenario_version"].astype(str)
    )
    order = {"test": 0, "deploy": 1}
    rows["_v"] = rows["variant"].map(order).fillna(9)
    rows = rows.sort_values(["model", "pair_key", "_v", "variant", "epoch", "log"], kind="stable")
    return rows[list(SAMPLE_COLUMNS)].reset_index(drop=True)
