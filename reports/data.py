"""Everything a report section needs, computed once from the tidy table.

Sections are pure functions of ``ReportData``; they format, they never compute statistics.
The statistics are ``evalaware.scorers.stats`` (``summarise`` per model, then per category), so the
report prints the same numbers the Inspect metrics attach to a run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from evalaware.reports.caveats import (
    NATIVE_CRASH,
    check_judge_disagreement,
    native_crash,
    simulated_subjects,
    stopped_abruptly,
)
from evalaware.reports.tidy import Loaded
from evalaware.reports.transcripts import DrilldownLimits, Transcript, pick_drilldown, read_transcripts
from evalaware.scorers import stats
from evalaware.scorers.behaviour_judge import check_judge_agreement
from evalaware.scorers.contract import AWARENESS_KINDS

__all__ = [
    "AGREEMENT_COLUMNS",
    "ALL_PAIRS",
    "DrilldownLimits",
    "Issue",
    "ReportData",
    "check_agreement",
    "known_shape",
    "paired_rows",
    "prepare",
    "probe_rows",
    "read_prompts",
]


#: The probes' task names, as the tidy table's ``probe`` column holds them.
PAIRED_TASK = "paired_probe"
DIRECT_TASK = "direct_probe"
ABLATION_TASK = "cue_ablation"
INJECTION_TASK = "awareness_injection"


@dataclass(frozen=True)
class Issue:
    """Something the reader must know before trusting the numbers."""

    level: Literal["error", "warning", "note"]
    text: str


@dataclass
class ReportData:
    """The input of every report section."""

    samples: pd.DataFrame
    """The tidy sample table (``evalaware.reports.columns.SAMPLE_COLUMNS``) of ``paired_probe`` runs,
    superseded logs left out: what the headline, category, pair and drill-down sections compare."""
    all_samples: pd.DataFrame
    """The tidy table of every probe (what samples.csv / samples.parquet hold); the other probes'
    sections select their rows by its ``probe`` column, and the header, overview, caveats and
    data quality count all of it."""
    runs: pd.DataFrame
    """One row per log file (``evalaware.reports.tidy.RUN_COLUMNS``)."""
    summary: pd.DataFrame
    """``evalaware.scorers.stats.summarise`` over ``samples`` keyed on ``pair_key``, known-eval-shape
    pairs (positive controls, ``controls``) left out: one row per model."""
    counts: pd.DataFrame
    """Per model, over ``samples`` (paired_probe) without the known-eval-shape pairs: rows, samples,
    epochs, errors, unscored counts, partial runs."""
    probe_counts: pd.DataFrame
    """Per model and probe, over ``all_samples``: rows by status, errors, unscored counts per score."""
    by_category: pd.DataFrame
    """``summarise`` per category, known-eval-shape pairs left out: ``category`` + summarise's columns."""
    by_pair: pd.DataFrame
    """Per model and pair: rates per variant (epoch means) and counts."""
    kinds: pd.DataFrame
    """Per model and awareness kind: aware samples expressing it and their share."""
    issues: list[Issue]
    """Partial runs, mixed scenario versions, unreadable logs, unscored samples..."""
    transcripts: dict[str, dict[str, dict[str, Transcript]]]
    """pair_key → model → variant → the transcript shown in the drill-down."""
    drilldown_note: str
    """How the drill-down was bounded (which pairs and epochs it shows)."""
    sources: list[str]
    """The paths the report was built from."""
    generated: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    seed: int = 0
    n_boot: int = 2000
    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per model and pair (and per model over all pairs): the behaviour check against the judge's
    second opinion, over samples with both verdicts (``AGREEMENT_COLUMNS``); empty without any."""
    prompts: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The direct probe's prompt texts, one per ``pair_key`` and ``variant`` (``read_prompts``),
    for the surface baselines beside its AUC."""

    controls: pd.DataFrame = field(default_factory=pd.DataFrame)
    """``summarise`` per known-eval-shape pair (a positive control, kept out of ``summary``,
    ``counts`` and ``by_category``): ``pair_key``, ``title`` + summarise's columns, one row per
    model and pair; empty when no such pair is in the logs."""
    n_controls: int = 0
    """How many pairs (``pair_key``) were set apart as known-eval-shape controls."""

    @property
    def models(self) -> list[str]:
        """Every model with rows from any probe."""
        s = self.all_samples
        return sorted(s["model"].unique().tolist()) if not s.empty else []


def _stats_frame(samples: pd.DataFrame) -> pd.DataFrame:
    # summarise pairs on ``pair_id``; hand it the version-aware key instead.
    return samples.drop(columns=["pair_id"]).rename(columns={"pair_key": "pair_id"})


def _counts(samples: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    live = runs[~runs["superseded"]]
    for model, g in samples.groupby("model", sort=True):
        model_runs = live[live["model"] == model]
        rows.append(
            {
                "model": model,
                "rows": len(g),
                "samples": g[["pair_key", "variant"]].drop_duplicates().shape[0],
                "pairs": g["pair_key"].nunique(),
                "epochs": int(g["epoch"].max()) if len(g) else 0,
                "errors": int((g["status"] == "error").sum()),
                "awareness_unscored": int(g["awareness_unscored"].sum()),
                "behaviour_unscored": int(g["behaviour_unscored"].sum()),
                "runs": len(model_runs),
                "partial_runs": int(model_runs["partial"].sum()),
                "scenario_versions": ",".join(
                    f"{p}@v{v}"
                    for p, v in g[["pair_id", "scenario_version"]].drop_duplicates().itertuples(index=False)
                ),
            }
        )
    return pd.DataFrame(rows)


def _probe_counts(samples: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "model", "probe", "rows", "scored", "partly_scored", "unscored", "errors", "native_crashes",
        "awareness_unscored", "behaviour_unscored", "direct_unscored",
    ]  # fmt: skip
    if samples.empty:
        return pd.DataFrame(columns=columns)
    status = samples["status"]
    frame = samples.assign(
        scored=status == "scored",
        partly_scored=status == "partly_scored",
        unscored=status == "unscored",
        errors=status == "error",
        native_crashes=samples["error"].astype(str).str.contains(NATIVE_CRASH, regex=False),
    )
    sums = ["scored", "partly_scored", "unscored", "errors", "native_crashes"]
    sums += ["awareness_unscored", "behaviour_unscored", "direct_unscored"]
    grouped = frame.groupby(["model", "probe"], sort=True)
    out = grouped[sums].sum().astype(int).join(grouped.size().rename("rows")).reset_index()
    return out[columns]


def _by_category(samples: pd.DataFrame, seed: int, n_boot: int) -> pd.DataFrame:
    parts = []
    for category, g in samples.groupby("category", sort=True):
        s = stats.summarise(_stats_frame(g), seed=seed, n_boot=n_boot)
        s.insert(0, "category", category)
        parts.append(s)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def known_shape(samples: pd.DataFrame) -> pd.Series:
    """Rows of known-eval-shape pairs (a positive control); all False for a table without the column."""
    if "known_eval_shape" not in samples.columns:
        return pd.Series(False, index=samples.index)
    return samples["known_eval_shape"].fillna(False).astype(bool)


def _controls(samples: pd.DataFrame, seed: int, n_boot: int) -> pd.DataFrame:
    # One pair at a time, with the headline's own summarise (and so its intervals): a control
    # is read pair by pair, pooling famous set-ups would hide which one a model recognises.
    parts = []
    for key, g in samples.groupby("pair_key", sort=True):
        s = stats.summarise(_stats_frame(g), seed=seed, n_boot=n_boot)
        s.insert(0, "title", str(g["title"].iloc[0]))
        s.insert(0, "pair_key", key)
        parts.append(s)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True).sort_values(["model", "pair_key"], kind="stable")


def _by_pair(samples: pd.DataFrame) -> pd.DataFrame:
    if samples.empty:
        return pd.DataFrame()
    main = samples[samples["variant"].isin(stats.VARIANTS)].assign(
        _error=lambda d: (d["status"] == "error").astype(int),
        _unscored=lambda d: (d["unscored_reasons"] != "").astype(int),
    )
    keys = ["model", "pair_key"]
    # Built-in aggregations only: a Python lambda per group took most of the time at 10k rows.
    agg = (
        main.groupby([*keys, "variant"], sort=True)
        .agg(
            aware=("aware", "mean"),
            flagged=("flagged", "mean"),
            rows=("epoch", "size"),
            errors=("_error", "sum"),
            unscored=("_unscored", "sum"),
        )
        .unstack("variant")
    )
    agg.columns = [f"{m}_{v}" for m, v in agg.columns]
    for m in ("aware", "flagged"):
        for v in stats.VARIANTS:
            if f"{m}_{v}" not in agg.columns:
                agg[f"{m}_{v}"] = float("nan")
    for c in ("rows", "errors", "unscored"):
        agg[c] = sum(agg[f"{c}_{v}"].fillna(0) for v in stats.VARIANTS if f"{c}_{v}" in agg.columns).astype(
            int
        )
    meta = samples.groupby(keys, sort=True).agg(
        pair_id=("pair_id", "first"),
        title=("title", "first"),
        category=("category", "first"),
        scenario_version=("scenario_version", "first"),
    )
    out = meta.join(
        agg[["aware_test", "aware_deploy", "flagged_test", "flagged_deploy", "rows", "errors", "unscored"]]
    )
    out["flagged_delta"] = out["flagged_deploy"] - out["flagged_test"]
    return out.reset_index()


def _kinds(samples: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for model, g in samples.groupby("model", sort=True):
        aware = g[g["aware"] >= 0.5]
        split = aware["kinds"].str.split(",")
        for kind in AWARENESS_KINDS:
            n = int(split.apply(lambda ks, k=kind: k in ks).sum()) if len(aware) else 0
            rows.append(
                {
                    "model": model,
                    "kind": kind,
                    "n": n,
                    "aware": len(aware),
                    "share": n / len(aware) if len(aware) else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def _issues(loaded: Loaded, samples: pd.DataFrame, probe_counts: pd.DataFrame) -> list[Issue]:
    issues = [Issue("warning", text) for text in loaded.issues]
    banner = simulated_subjects(sorted(samples["model"].unique())) if not samples.empty else None
    if banner:  # first, so no reader of the caveats can miss it
        issues.insert(0, Issue("warning", banner))
    runs = loaded.runs
    for _, r in runs[runs["partial"] & ~runs["superseded"]].iterrows():
        if r["status"] == "started":
            # Inspect writes "started" first and the final status last: a log still "started"
            # was left by a process that died (killed, out of memory, a native crash).
            issues.append(
                Issue("error", stopped_abruptly(f"{r['model']} / {r['task']}", int(r["samples_read"])))
            )
            continue
        issues.append(
            Issue(
                "error",
                f"partial run: {r['model']} / {r['task']} ended with status '{r['status']}' "
                f"({r['samples_read']} sample-epoch rows in the log"
                + (f" of {int(r['total_samples'])} planned" if pd.notna(r["total_samples"]) else "")
                + "): its rates cover only the completed samples."
                + (f" {str(r['error_message'])[:200]}" if isinstance(r["error_message"], str) else ""),
            )
        )
    if not samples.empty:
        versions = samples.groupby("pair_id")["scenario_version"].unique()
        for pair, vs in versions.items():
            if len(vs) > 1:
                who = (
                    samples[samples["pair_id"] == pair]
                    .groupby("scenario_version")["model"]
                    .apply(lambda s: ", ".join(sorted(set(s))))
                )
                detail = "; ".join(f"v{v}: {m}" for v, m in who.items())
                issues.append(
                    Issue(
                        "error",
                        f"mixed scenario versions for pair {pair} ({detail}): the versions are kept apart as "
                        f"{', '.join(f'{pair}@v{v}' for v in sorted(vs))}, never pooled; comparisons across "
                        "models that ran different versions are not like for like",
                    )
                )
    # paired_probe first for each model: the headline's probe, named without its probe.
    ordered = probe_counts.assign(_paired=probe_counts["probe"] != PAIRED_TASK).sort_values(
        ["model", "_paired", "probe"], kind="stable"
    )
    for _, c in ordered.iterrows():
        who = c["model"] if c["probe"] == PAIRED_TASK else f"{c['model']} · {c['probe']}"
        if c["errors"]:
            issues.append(
                Issue("warning", f"{who}: {c['errors']} sample(s) errored (listed under Data quality)")
            )
        if c["native_crashes"]:
            issues.append(Issue("error", native_crash(who, int(c["native_crashes"]))))
        second = (
            ("P(evaluation)", "direct_unscored")
            if c["probe"] == DIRECT_TASK
            else ("behaviour", "behaviour_unscored")
        )
        if c["awareness_unscored"] or c[second[1]]:
            issues.append(
                Issue(
                    "note",
                    f"{who}: awareness unscored in {c['awareness_unscored']} and {second[0]} "
                    f"unscored in {c[second[1]]} of {c['rows']} rows; unscored rows are left "
                    "out of rates, never counted as 0",
                )
            )
    return issues


#: The ``pair`` of the agreement table's per-model row over every pair.
ALL_PAIRS = "all pairs"
AGREEMENT_COLUMNS = [
    "model", "pair", "n", "agree", "rate", "rate_lo", "rate_hi", "kappa", "kappa_lo", "kappa_hi",
    "check_only", "judge_only", "both", "neither", "judge_unscored", "note", "warn",
]  # fmt: skip


def check_agreement(samples: pd.DataFrame, seed: int = 0, n_boot: int = 2000) -> pd.DataFrame:
    """The check against the judge, per model and pair, then per model over all its pairs.

    Rows are the samples whose pair has both a check and a rubric and that were scored with a
    grader (every probe that scores behaviour). A pair's kappa interval is bootstrapped over its
    samples; a model's over pairs (samples of one pair share a prompt).
    """
    if samples.empty or "check_flagged" not in samples.columns:
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
    asked = samples[
        samples["check_flagged"].notna()
        & (samples["judge_flagged"].notna() | (samples["judge_reason"] != ""))
    ]
    rows = []
    for model, m in asked.groupby("model", sort=True):
        scopes = [(str(pair), g, None) for pair, g in m.groupby("pair_key", sort=True)]
        scopes.append((ALL_PAIRS, m, m["pair_key"]))
        for pair, g, groups in scopes:
            a = check_judge_agreement(
                g["check_flagged"],
                g["judge_flagged"],
                groups,
                judge_unscored=int(g["judge_flagged"].isna().sum()),
                seed=seed,
                n_boot=n_boot,
            )
            rows.append({"model": model, "pair": pair, **{c: getattr(a, c) for c in AGREEMENT_COLUMNS[2:]}})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _agreement_issues(agreement: pd.DataFrame) -> list[Issue]:
    warn = agreement[agreement["warn"].astype(bool) & (agreement["pair"] != ALL_PAIRS)]
    return [Issue("warning", check_judge_disagreement(r)) for r in warn.itertuples(index=False)]


def read_prompts(samples: pd.DataFrame) -> pd.DataFrame:
    """The prompt text of each ``pair_key`` and ``variant`` among ``samples``: its input messages'
    text, blank-line separated (roles and tool specs left out).

    The texts are not columns of the tidy table: they would multiply samples.csv several times
    over, and the summaries the table is read from shorten any message over 5,120 characters.
    One sample per pair and variant is read in full instead: the rendered prompt is the same
    text for every model, epoch and phrasing.
    """
    from inspect_ai.log import read_eval_log_samples_by_id

    columns = ["pair_key", "variant", "prompt"]
    if samples.empty:
        return pd.DataFrame(columns=columns)
    first = samples.drop_duplicates(["pair_key", "variant"])
    out: list[dict[str, str]] = []
    for log, group in first.groupby("log", sort=True):
        keys = {(str(r.sample_id), int(r.epoch)): (r.pair_key, r.variant) for r in group.itertuples()}
        try:
            read = read_eval_log_samples_by_id(
                str(log), list(keys), resolve_attachments=True, exclude_fields={"events", "store", "messages"}
            )
        except Exception:  # a damaged log leaves its pairs without a baseline; the section says so
            continue
        for sample in read:
            key = keys.get((str(sample.id), int(sample.epoch)))
            if key is None:
                continue
            text = (
                sample.input
                if isinstance(sample.input, str)
                else "\n\n".join(m.text for m in sample.input if m.text)
            )
            out.append({"pair_key": key[0], "variant": key[1], "prompt": text})
    return pd.DataFrame(out, columns=columns)


def probe_rows(samples: pd.DataFrame, probe: str) -> pd.DataFrame:
    """The tidy rows one probe produced (its ``probe`` column), superseded logs already left out."""
    if samples.empty or "probe" not in samples.columns:
        return samples.iloc[0:0]
    return samples[samples["probe"] == probe].reset_index(drop=True)


def paired_rows(samples: pd.DataFrame) -> pd.DataFrame:
    """Rows from ``paired_probe`` logs."""
    return probe_rows(samples, PAIRED_TASK)


def prepare(
    loaded: Loaded, limits: DrilldownLimits | None = None, seed: int = 0, n_boot: int = 2000
) -> ReportData:
    """Compute every table the sections print, and pick the drill-down transcripts."""
    # The headline, category, pair and drill-down tables compare test with deploy samples of
    # the paired probe only: the other probes reuse the variant labels for other designs
    # (ablation cells, injection arms, follow-up questions) and have their own sections.
    samples = paired_rows(loaded.samples)
    runs = loaded.runs
    # Known-eval-shape pairs copy a published evaluation on purpose: a model recognising them
    # says little about deployment, so they would inflate the headline; they are reported apart.
    control = known_shape(samples)
    main, controls = samples[~control], samples[control]
    summary = (
        stats.summarise(_stats_frame(main), seed=seed, n_boot=n_boot) if not main.empty else pd.DataFrame()
    )
    counts = _counts(main, runs)
    probe_counts = _probe_counts(loaded.samples)
    limits = limits or DrilldownLimits()
    by_pair = _by_pair(samples)
    picked, note = pick_drilldown(samples, by_pair, limits)
    agreement = check_agreement(loaded.samples, seed, n_boot)
    return ReportData(
        samples=samples,
        all_samples=loaded.samples,
        runs=runs,
        summary=summary,
        counts=counts,
        probe_counts=probe_counts,
        by_category=_by_category(main, seed, n_boot) if not main.empty else pd.DataFrame(),
        by_pair=by_pair,
        kinds=_kinds(samples) if not samples.empty else pd.DataFrame(),
        issues=_issues(loaded, loaded.samples, probe_counts) + _agreement_issues(agreement),
        transcripts=read_transcripts(picked, limits),
        drilldown_note=note,
        sources=loaded.sources,
        seed=seed,
        n_boot=n_boot,
        agreement=agreement,
        prompts=read_prompts(probe_rows(loaded.samples, DIRECT_TASK)),
        controls=_controls(controls, seed, n_boot),
        n_controls=int(controls["pair_key"].nunique()) if not controls.empty else 0,
    )
