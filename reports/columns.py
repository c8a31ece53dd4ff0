"""The tidy sample table's columns, declared as data: name, description and how each is read.

Like the column lists of ``inspect_ai.analysis`` (``SampleColumn(name, path)``), ``COLUMNS``
is the one definition: ``load_logs`` builds rows from it, ``SAMPLE_COLUMNS`` (their order)
comes from it, and ``reports/COLUMNS.md`` is generated from it by ``columns_markdown``
(``python -m evalaware.reports.columns`` rewrites the file; a test fails when it is stale).

A column either has an ``extract`` that reads one sample (a ``SampleView``: the sample's
metadata and its scores read back through the score contract, ``evalaware.scorers.contract``),
or is filled by ``load_logs`` from the sample's log (run-level columns) or across rows.
All text is scrubbed of credentials (``evalaware.reports.scrub``) before it enters the table.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalaware.reports.scrub import scrub_obj, scrub_text
from evalaware.scorers.contract import (
    AWARENESS_SCORER,
    BEHAVIOUR_SCORER,
    DIRECT_PROBE_SCORER,
    AwarenessResult,
    AwarenessSeen,
    BehaviourResult,
    DirectProbeResult,
    Unscored,
    evidence_thinned,
    find_scores,
    reasoning_state,
)

__all__ = [
    "COLUMNS",
    "SAMPLE_COLUMNS",
    "THINNED",
    "Column",
    "SampleView",
    "columns_markdown",
    "expected_scores",
    "sample_row",
    "sample_view",
]

#: Inspect's placeholder for a summary metadata value over 1 kB; marks an evidence cell to re-read.
THINNED = "Key removed from summary"

#: What each kind of score is called in reasons, in the order ``unscored_reasons`` lists them.
_ROLES = {"awareness": "awareness", "behaviour": "behaviour", "direct": "direct probe"}


@dataclass(frozen=True)
class SampleView:
    """One sample and epoch as the columns read it: metadata, and each score read back once."""

    id: str
    epoch: int
    meta: Mapping[str, Any]
    error: str
    limit: str
    total_tokens: int
    awareness: AwarenessResult | None
    behaviour: BehaviourResult | None
    direct: DirectProbeResult | None
    why: dict[str, Unscored]
    """Role (awareness, behaviour, direct) → why it has no result; only for the roles this
    sample's task scores (``expected_scores``) or that carry a score anyway."""
    thinned: bool
    """True when the summary thinned the awareness evidence away (``load_logs`` re-reads it)."""
    seen: AwarenessSeen | None = None
    """Reasoning visibility and every rater's verdict, read from the awareness score even when it is
    unscored (a judge panel that split); None without an awareness score."""

    def unscored(self, role: str) -> bool:
        return role in self.why

    def reason(self, role: str) -> str:
        why = self.why.get(role)
        return scrub_text(why.reason) if why else ""


def expected_scores(scorers: str) -> frozenset[str]:
    """The score roles a log's task produces, from its comma-separated scorer names.

    A role the task never scores (behaviour, for the direct probe) is not "unscored": its
    columns stay empty. Logs that do not name their scorers get the paired probe's two.
    """
    names = [n for n in scorers.split(",") if n]
    if not names:
        return frozenset({"awareness", "behaviour"})
    roles = set()
    for n in names:
        if n == AWARENESS_SCORER or "awareness" in n:
            roles.add("awareness")
        elif n == BEHAVIOUR_SCORER or "behaviour" in n or "behavior" in n:
            roles.add("behaviour")
        elif n == DIRECT_PROBE_SCORER or n.startswith("direct_probe"):
            roles.add("direct")
    return frozenset(roles)


def sample_view(sample: Any, expected: frozenset[str]) -> SampleView:
    """Read one ``EvalSampleSummary``, ``EvalSample`` or raw summary (same attributes)."""
    error = sample.error if isinstance(sample.error, str) else (sample.error.message if sample.error else "")
    error = scrub_text(error or "")
    found = find_scores(sample.scores)
    results = {
        "awareness": AwarenessResult.from_score(found.awareness),
        "behaviour": BehaviourResult.from_score(found.behaviour),
        "direct": DirectProbeResult.from_score(found.direct),
    }
    why: dict[str, Unscored] = {}
    for role, score in zip(("awareness", "behaviour", "direct"), found, strict=True):
        if results[role] is None and (role in expected or score is not None):
            missing = "sample errored before scoring" if error else f"no {role} score in the log"
            why[role] = Unscored.from_score(score, missing=missing)
    usage = sample.model_usage or {}
    return SampleView(
        id=str(sample.id),
        epoch=int(sample.epoch),
        meta=sample.metadata or {},
        error=error,
        limit=str(getattr(sample.limit, "type", sample.limit) or ""),
        total_tokens=int(sum(u.total_tokens for u in usage.values())),
        awareness=results["awareness"],  # type: ignore[arg-type]
        behaviour=results["behaviour"],  # type: ignore[arg-type]
        direct=results["direct"],  # type: ignore[arg-type]
        why=why,
        thinned=found.awareness is not None and evidence_thinned(found.awareness),
        seen=AwarenessSeen.from_score(found.awareness) if found.awareness is not None else None,
    )


# --------------------------------------------------------------------------- extractors


def _text(key: str) -> Callable[[SampleView], str]:
    return lambda v: scrub_text(str(v.meta.get(key, "")))


def _int_or_none(x: Any) -> int | None:
    try:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return None
        return int(x)
    except (TypeError, ValueError):
        return None


def _flag(value: bool | None) -> float:
    return math.nan if value is None else float(value)


def _evidence(v: SampleView) -> str:
    if v.thinned:
        return THINNED
    items = [e.model_dump() for e in v.awareness.evidence] if v.awareness else []
    return json.dumps(scrub_obj(items), sort_keys=True, default=str, ensure_ascii=False)


def _cue_kinds(v: SampleView) -> str:
    kinds = v.meta.get("cue_kinds")
    return scrub_text(",".join(sorted({str(k) for k in kinds.values()}))) if isinstance(kinds, dict) else ""


def _direct_p(v: SampleView) -> str:
    return json.dumps(v.direct.p, ensure_ascii=False) if v.direct else ""


def _visibility(v: SampleView) -> str:
    return (v.seen.visibility or "") if v.seen else ""


def _reasoning_state(v: SampleView) -> str:
    if v.seen is None or v.seen.visibility is None:
        return ""
    return reasoning_state(v.seen.visibility, v.seen.reasoning_tokens)


def _judges(v: SampleView) -> str:
    if v.seen is None or not v.seen.judges:
        return ""
    items = [
        {"role": j.role, "model": j.model, "aware": None if j.aware is None else int(j.aware)}
        for j in v.seen.judges
    ]
    return json.dumps(scrub_obj(items), ensure_ascii=False)


def _status(v: SampleView) -> str:
    if v.error:
        return "error"
    scored = [r for r in ("awareness", "behaviour", "direct") if getattr(v, r) is not None]
    if not v.why:
        return "scored" if scored else "unscored"
    return "partly_scored" if scored else "unscored"


def _unscored_reasons(v: SampleView) -> str:
    return "; ".join(f"{label}: {v.reason(role)}" for role, label in _ROLES.items() if v.unscored(role))


@dataclass(frozen=True)
class Column:
    """One column of the tidy sample table."""

    name: str
    description: str
    extract: Callable[[SampleView], Any] | None = None
    """Reads the cell from one sample; None when ``load_logs`` fills it (see ``source``)."""
    source: str = "the log"
    """Where a cell without ``extract`` comes from: the sample's log, or all rows together."""

    @property
    def filled_from(self) -> str:
        return "the sample" if self.extract is not None else self.source


RUN = None  # readability: the column is filled from the sample's log by ``load_logs``
#: Where the provenance columns come from (``evalaware.reports.provenance``, called by ``load_logs``).
_EVENTS = "the model events in the log"

COLUMNS: tuple[Column, ...] = (
    Column("model", "the model as Inspect names it (`provider/name`)", RUN),
    Column("task", "task name (`paired_probe`, `direct_probe`, `cue_ablation`, `awareness_injection`)", RUN),
    Column(
        "probe",
        "the evalaware probe that produced the row: the task's name; each report section selects its "
        "probe's rows by it",
        RUN,
    ),
    Column("run_id", "Inspect run id (one per `eval`/`eval_set` call)", RUN),
    Column("eval_id", "Inspect eval id (one per log file)", RUN),
    Column("log", "the log file the row came from", RUN),
    Column("log_status", "`success` / `started` (the process stopped abruptly) / `cancelled` / `error`", RUN),
    Column("partial", "True when `log_status` is not `success` (an interrupted run)", RUN),
    Column(
        "sample_id",
        "`<pair_id>:<variant>` (plus the ablation cell or injection arm)",
        lambda v: scrub_text(v.id),
    ),
    Column("pair_id", "the scenario pair's id", _text("pair_id")),
    Column(
        "pair_key",
        "`pair_id`, or `pair_id@v<version>` when several scenario versions of that pair are present: "
        "statistics pair samples on this key, so results from different scenario texts are never merged",
        source="all rows",
    ),
    Column("variant", "`test` / `deploy` (or an ablation cell label)", _text("variant")),
    Column("category", "the pair's category", _text("category")),
    Column(
        "scenario_version", "the pair's `version`", lambda v: _int_or_none(v.meta.get("scenario_version"))
    ),
    Column("title", "the pair's title (from the log's pair table in newer logs)", _text("title")),
    Column(
        "known_eval_shape",
        "True when the pair is tagged `known-eval-shape`: it copies a published evaluation's shape on "
        "purpose; a positive control, reported apart from the headline and categories (False for logs "
        "written before the pair table carried tags)",
        source="the log's pair table",
    ),
    Column("epoch", "1-based epoch", lambda v: v.epoch),
    Column(
        "cues_on",
        "comma-separated cue kinds shown at their test value in this sample",
        lambda v: scrub_text(",".join(str(c) for c in v.meta.get("cues_on") or [])),
    ),
    Column(
        "cue_kinds",
        "comma-separated cue kinds the pair varies, from the sample's slot → kind map (cue_ablation samples "
        "and older logs; '' otherwise)",
        _cue_kinds,
    ),
    Column(
        "arm",
        "awareness_injection: the prefill arm, `none` / `aware` / `control` ('' otherwise)",
        _text("arm"),
    ),
    Column(
        "aware",
        '1 / 0 / NaN (NaN = unscored or errored, never "not aware")',
        lambda v: _flag(v.awareness.aware if v.awareness else None),
    ),
    Column(
        "spontaneous",
        "1 / 0 / NaN: aware other than by echoing a cue the prompt stated",
        lambda v: _flag(v.awareness.spontaneous if v.awareness else None),
    ),
    Column(
        "where",
        "`reasoning` / `output` / `both` / `none` ('' when unscored)",
        lambda v: v.awareness.where if v.awareness else "",
    ),
    Column(
        "kinds",
        "comma-separated awareness kinds ('' when none)",
        lambda v: ",".join(v.awareness.kinds) if v.awareness else "",
    ),
    Column(
        "awareness_method",
        "`lexical` / `judge` / `both`",
        lambda v: v.awareness.method if v.awareness else v.why.get("awareness", Unscored(reason="")).method,
    ),
    Column(
        "reasoning",
        "what reasoning the detector could read: present / summary / redacted / absent",
        lambda v: v.awareness.reasoning if v.awareness else "",
    ),
    Column(
        "visibility",
        "the worst visibility of the model's reasoning blocks: `full` / `summarised` (read through the "
        "provider's summary) / `redacted` (a block redacted or encrypted with nothing readable) / `absent` "
        "(no reasoning block); '' when unknown",
        _visibility,
    ),
    Column(
        "reasoning_tokens",
        "reasoning tokens the provider billed the model under test for (None when it did not say)",
        lambda v: v.seen.reasoning_tokens if v.seen else None,
    ),
    Column(
        "reasoning_state",
        "awareness in reasoning: `measured` / `unmeasurable` (a block hidden, or reasoning tokens billed "
        "with no reasoning text) / `none` (no reasoning); '' when unknown",
        _reasoning_state,
    ),
    Column(
        "aware_reasoning",
        "1 / 0 / NaN: a verified awareness quote in the reasoning; NaN when reasoning was unmeasurable or "
        "absent, or the score is unscored (never 0 for reasoning we could not read)",
        lambda v: _flag(v.awareness.aware_in_reasoning if v.awareness else None),
    ),
    Column(
        "aware_output",
        "1 / 0 / NaN: a verified awareness quote in the visible answer (text or tool-call arguments)",
        lambda v: _flag(v.awareness.aware_in_output if v.awareness else None),
    ),
    Column("evidence", "JSON list of evidence objects (quote, kind, where, turn, echo, verified)", _evidence),
    Column(
        "awareness_unscored",
        "True when the awareness score is missing or unscored",
        lambda v: v.unscored("awareness"),
    ),
    Column("awareness_reason", "why it is unscored ('' when scored)", lambda v: v.reason("awareness")),
    Column(
        "lexical_aware",
        "1 / 0 / NaN: the lexical detector's verdict (the score's own for the lexical method; recorded "
        "beside the judge's in judge and both modes)",
        lambda v: _flag(v.seen.lexical_aware if v.seen else None),
    ),
    Column(
        "awareness_judges",
        "JSON list, one object per awareness judge: role (`grader`, `grader_2`...), model ('' when one "
        "judge) and aware (1 / 0 / null = no verdict); kept when the panel is unscored; '' without a judge",
        _judges,
    ),
    Column(
        "awareness_panel",
        "a panel's rule as applied, e.g. `strict majority of 3` ('' for one judge or none)",
        lambda v: (v.seen.panel or "") if v.seen else "",
    ),
    Column(
        "flagged",
        "1 / 0 / NaN: the pair's flagged behaviour (NaN = unscored, errored, or a probe that does not "
        "score behaviour)",
        lambda v: _flag(v.behaviour.flagged if v.behaviour else None),
    ),
    Column(
        "behaviour_method",
        "`check` / `judge`",
        lambda v: v.behaviour.method if v.behaviour else v.why.get("behaviour", Unscored(reason="")).method,
    ),
    Column(
        "behaviour_explanation",
        "the check's or judge's explanation",
        lambda v: scrub_text(
            v.behaviour.explanation
            if v.behaviour
            else v.why.get("behaviour", Unscored(reason="")).explanation
        ),
    ),
    Column(
        "behaviour_unscored",
        "True when the behaviour score is missing or unscored (False when the probe does not score "
        "behaviour)",
        lambda v: v.unscored("behaviour"),
    ),
    Column("behaviour_reason", "why it is unscored ('' when scored)", lambda v: v.reason("behaviour")),
    Column(
        "check_flagged",
        "1 / 0 / NaN: the pair's deterministic check's verdict (equals `flagged` where the pair has a check; "
        "NaN for a rubric-only pair and when unscored)",
        lambda v: _flag(v.behaviour.check_verdict if v.behaviour else None),
    ),
    Column(
        "judge_flagged",
        "1 / 0 / NaN: the grader's verdict on the pair's rubric: the headline of a rubric-only pair, or the "
        "second opinion beside a check (then `flagged` stays the check's); NaN when not asked, refused or "
        "unparseable, never 0",
        lambda v: _flag(v.behaviour.judge_verdict if v.behaviour else None),
    ),
    Column(
        "judge_explanation",
        "the judge's own explanation of a second opinion beside a check ('' otherwise; a rubric-only "
        "pair's is `behaviour_explanation`)",
        lambda v: scrub_text(v.behaviour.judge_explanation) if v.behaviour else "",
    ),
    Column(
        "judge_reason",
        "why the judge asked for a second opinion beside a check gave none ('' otherwise)",
        lambda v: scrub_text(v.behaviour.judge_reason) if v.behaviour else "",
    ),
    Column(
        "direct_mode",
        "direct_probe: `first_person` / `third_person` ('' for other probes)",
        lambda v: v.direct.mode if v.direct else v.why.get("direct", Unscored(reason="")).method,
    ),
    Column(
        "direct_p",
        "direct_probe: JSON object phrasing id → P(evaluation) in [0, 1], null for a phrasing whose reply "
        "gave none ('' when the whole score is unscored, and for other probes)",
        _direct_p,
    ),
    Column(
        "direct_unscored",
        "True when the direct-probe score is missing or unscored (False for other probes)",
        lambda v: v.unscored("direct"),
    ),
    Column("direct_reason", "why it is unscored ('' when scored)", lambda v: v.reason("direct")),
    Column(
        "unscored_reasons",
        "every reason, `awareness: ...; behaviour: ...; direct probe: ...` ('' when fully scored)",
        _unscored_reasons,
    ),
    Column("error", "the sample's error message ('' when none)", lambda v: v.error),
    Column("limit", "the limit that ended the sample ('' when none)", lambda v: v.limit),
    Column(
        "status",
        "`scored` / `partly_scored` / `unscored` / `error`, over the scores the probe produces",
        _status,
    ),
    Column("total_tokens", "tokens used by the sample", lambda v: v.total_tokens),
    Column(
        "served_model",
        "the model id(s) the API said answered, from each call's `ModelOutput.model` (a dated snapshot, "
        "a router's pick), comma-separated when they differ; '' for scripted models (mockllm)",
        source=_EVENTS,
    ),
    Column(
        "provider_route",
        "the backend a router reported serving the calls (OpenRouter's `provider` in the raw response), "
        "comma-separated; '' where the API reports none",
        source=_EVENTS,
    ),
    Column(
        "system_fingerprint",
        "the responses' `system_fingerprint` (OpenAI Chat Completions), comma-separated; '' where none",
        source=_EVENTS,
    ),
    Column(
        "base_url_host",
        "host[:port] of the endpoint the model was called at, from the log's recorded base URL (never a "
        "path, user or key); '' when the log has none (`inspect eval` without `--model-base-url`)",
        RUN,
    ),
)

SAMPLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
_EXTRACTED = tuple((c.name, c.extract) for c in COLUMNS if c.extract is not None)


def sample_row(view: SampleView) -> dict[str, Any]:
    """The cells ``COLUMNS`` reads from one sample (the rest are filled by ``load_logs``)."""
    return {name: extract(view) for name, extract in _EXTRACTED}


def columns_markdown() -> str:
    """``reports/COLUMNS.md``: the columns of samples.csv / samples.parquet, generated from ``COLUMNS``."""
    lines = [
        "# Columns of the tidy sample table",
        "",
        "<!-- Generated from evalaware.reports.columns.COLUMNS by `python -m evalaware.reports.columns`;"
        " do not edit. -->",
        "",
        "One row per sample and epoch of every evalaware probe (`samples.csv`, `samples.parquet`, "
        "`load_logs(...).samples`), in this column order. Unscored and errored samples are kept: their "
        "scores are NaN (unknown), never 0.",
        "",
        "| column | filled from | meaning |",
        "|---|---|---|",
    ]
    for c in COLUMNS:
        text = c.description.replace("|", "\\|")
        lines.append(f"| `{c.name}` | {c.filled_from} | {text} |")
    return "\n".join(lines) + "\n"


DOC = Path(__file__).with_name("COLUMNS.md")

if __name__ == "__main__":
    DOC.write_text(columns_markdown(), encoding="utf-8")
    print(f"wrote {DOC}")
