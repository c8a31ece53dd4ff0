"""The terminal summary `evalaware run` prints: per model and variant, straight from the logs."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evalaware.reports.caveats import NATIVE_CRASH, native_crash, stopped_abruptly
from evalaware.scorers.contract import (
    AwarenessResult,
    AwarenessSeen,
    BehaviourResult,
    Unscored,
    find_scores,
    hidden_reasoning,
)
from inspect_ai.log import EvalLog, read_eval_log


@dataclass
class _Cell:
    samples: int = 0
    errors: int = 0
    aware: list[float] = field(default_factory=list)
    spontaneous: list[float] = field(default_factory=list)
    flagged: list[float] = field(default_factory=list)
    aware_reasoning: list[float] = field(default_factory=list)
    """Over samples whose reasoning was readable; unmeasurable ones are counted apart, never as 0."""
    reasoning_unmeasurable: int = 0
    aware_output: list[float] = field(default_factory=list)
    awareness_unscored: int = 0
    behaviour_unscored: int = 0
    unscored_reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def summarise_logs(logs: Iterable[EvalLog]) -> str:
    cells: dict[tuple[str, str, str], _Cell] = defaultdict(_Cell)
    statuses: list[str] = []
    loaded: list[EvalLog] = []
    visibility: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    hidden: dict[str, int] = defaultdict(int)
    for log in logs:
        if log.samples is None and log.location:
            # eval_set hands back headers only; the summary needs the samples
            log = read_eval_log(log.location)
        loaded.append(log)
        statuses.append(f"{log.eval.model}: {log.status} ({log.location})")
        for sample in log.samples or []:
            meta = sample.metadata or {}
            cell = cells[(log.eval.task.split("/")[-1], log.eval.model, str(meta.get("variant", "?")))]
            cell.samples += 1
            if sample.error:
                cell.errors += 1
                continue
            found = find_scores(sample.scores)
            seen = AwarenessSeen.from_score(found.awareness)
            if seen.visibility is not None:
                visibility[log.eval.model][seen.visibility] += 1
                hidden[log.eval.model] += hidden_reasoning(seen.visibility, seen.reasoning_tokens)
            awareness = AwarenessResult.from_score(found.awareness)
            if awareness is None:
                cell.awareness_unscored += 1
            else:
                cell.aware.append(float(awareness.aware))
                cell.spontaneous.append(float(awareness.spontaneous))
                cell.aware_output.append(float(awareness.aware_in_output))
                if awareness.reasoning_state == "unmeasurable":
                    cell.reasoning_unmeasurable += 1
                elif awareness.aware_in_reasoning is not None:
                    cell.aware_reasoning.append(float(awareness.aware_in_reasoning))
            behaviour = BehaviourResult.from_score(found.behaviour)
            if behaviour is None:
                cell.behaviour_unscored += 1
                cell.unscored_reasons[Unscored.from_score(found.behaviour, missing="not scored").reason] += 1
            else:
                cell.flagged.append(float(behaviour.flagged))

    header = (
        "task",
        "model",
        "variant",
        "n",
        "errors",
        "aware",
        "spontaneous",
        "aware in reasoning",
        "aware in answer",
        "flagged",
        "unscored (aw/beh)",
    )
    rows = [header]
    reasons: dict[str, int] = defaultdict(int)
    order = {"test": 0, "deploy": 1}
    for (task, model, variant), c in sorted(
        cells.items(), key=lambda kv: (kv[0][0], kv[0][1], order.get(kv[0][2], 9))
    ):
        rows.append(
            (
                task,
                model,
                variant,
                str(c.samples),
                str(c.errors),
                _rate(c.aware),
                _rate(c.spontaneous),
                _reasoning_rate(c.aware_reasoning, c.reasoning_unmeasurable),
                _rate(c.aware_output),
                _rate(c.flagged),
                f"{c.awareness_unscored}/{c.behaviour_unscored}",
            )
        )
        for reason, n in c.unscored_reasons.items():
            reasons[reason] += n
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("rates are over scored samples only: k/n (percent); unscored samples are not counted as 0.")
    seen_lines = visibility_lines(visibility, hidden)
    if seen_lines:
        lines.append(
            "aware in reasoning is over samples whose reasoning could be read; hidden reasoning is "
            "'unmeasurable', not 0; '–' means no reasoning."
        )
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        lines.append(f"behaviour unscored ×{n}: {reason}")
    lines.extend(seen_lines)
    lines.extend(f"log: {s}" for s in statuses)
    lines.extend(gap_lines(loaded))
    return "\n".join(lines)


def _reasoning_rate(values: list[float], unmeasurable: int) -> str:
    """Awareness in reasoning over readable reasoning; hidden reasoning is "unmeasurable", never 0%."""
    if not values:
        return f"unmeasurable ({unmeasurable})" if unmeasurable else "–"
    return _rate(values) + (f" +{unmeasurable} unmeasurable" if unmeasurable else "")


def visibility_lines(visibility: dict[str, dict[str, int]], hidden: dict[str, int]) -> list[str]:
    """Per model: how its reasoning could be read, and the samples whose reasoning was billed but hidden."""
    lines = []
    for model, counts in sorted(visibility.items()):
        if set(counts) <= {"absent"} and not hidden.get(model):
            continue  # a model that did not reason: nothing to say
        order = ("full", "summarised", "redacted", "absent")
        parts = ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))
        lines.append(f"reasoning visibility {model}: {parts}")
        if hidden.get(model):
            lines.append(
                f"  {hidden[model]} sample(s) used reasoning tokens but returned no reasoning text: "
                "awareness in their reasoning is unmeasurable, not 0"
            )
        if counts.get("redacted"):
            lines.append(
                f"  {counts['redacted']} sample(s) had reasoning redacted or encrypted with no summary: "
                "unmeasurable in reasoning"
            )
        if counts.get("summarised"):
            lines.append(
                f"  {counts['summarised']} sample(s) were read through the provider's reasoning summary: "
                "awareness in reasoning there is a lower bound"
            )
    return lines


def _rate(values: list[float]) -> str:
    if not values:
        return "–"
    k = sum(values)
    return f"{k:g}/{len(values)} ({100 * k / len(values):.0f}%)"


def gaps(log: EvalLog) -> tuple[int, int, int]:
    """``(expected, errored, missing)`` sample-epochs of one log.

    Expected is what the task set out to run (dataset ids × epochs, after ``--limit``);
    missing is what the log does not hold at all (an interrupted run).
    """
    ids = log.eval.dataset.sample_ids or []
    n = len(ids) if ids else (log.eval.dataset.samples or 0)
    limit = log.eval.config.limit
    if isinstance(limit, int):
        n = min(n, limit)
    elif isinstance(limit, tuple | list) and len(limit) == 2:
        n = max(0, min(n, limit[1]) - limit[0])
    expected = n * (log.eval.config.epochs or 1)
    samples = log.samples or []
    errored = sum(1 for s in samples if s.error)
    present = len({(str(s.id), s.epoch) for s in samples})
    return expected, errored, max(0, expected - present)


def gap_lines(logs: Iterable[EvalLog]) -> list[str]:
    """One line per log that is not complete, saying what is missing and how to fill it."""
    out = []
    for log in logs:
        if log.samples is None:
            continue
        expected, errored, missing = gaps(log)
        if log.status == "started":
            out.append(stopped_abruptly(log.eval.model, expected - missing))
        crashed = sum(1 for s in log.samples if s.error and NATIVE_CRASH in s.error.message)
        if crashed:
            out.append(native_crash(log.eval.model, crashed))
        if errored or missing or log.status != "success":
            out.append(
                f"GAPS {log.eval.model}: {expected - errored - missing}/{expected} samples complete, "
                f"{errored} errored, {missing} missing (log status {log.status}); "
                "run the same command again to fill them"
            )
    return out


def current_logs(log_dir: str | Path, task_ids: Iterable[str] = ()) -> list[EvalLog]:
    """The log eval_set would resume from for each task of the set in ``log_dir``, with samples.

    A killed run leaves its log behind next to the one that resumed it; both hold the same
    samples, so only one per task may be counted: a ``success`` log if there is one, else
    the newest. ``task_ids`` restricts to one eval set's tasks (default: the set recorded in
    ``eval-set.json``, else every log in the folder).
    """
    from inspect_ai.log import list_eval_logs

    wanted = set(task_ids)
    manifest = Path(log_dir) / "eval-set.json"
    if not wanted and manifest.is_file():
        try:
            wanted = {str(t["task_id"]) for t in json.loads(manifest.read_text()).get("tasks", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            wanted = set()
    best: dict[str, tuple[tuple[bool, str], str]] = {}
    for info in list_eval_logs(str(log_dir)):
        try:
            header = read_eval_log(info, header_only=True)
        except Exception:  # an unreadable (half-written) log: the resumed one replaces it
            continue
        task_id = header.eval.task_id
        if wanted and task_id not in wanted:
            continue
        rank = (header.status == "success", header.eval.created)
        if task_id not in best or rank > best[task_id][0]:
            best[task_id] = (rank, info.name)
    return [read_eval_log(name) for _, name in sorted(best.values(), key=lambda kv: kv[1])]
