"""Methods: exactly what was run, so a reader can reproduce or judge it."""

from __future__ import annotations

import json
from pathlib import Path

from evalaware.reports.data import ReportData
from evalaware.reports.markup import Safe, esc, section, table
from evalaware.reports.provenance import PROVENANCE_HEADERS, SERVED_INTRO, mixed_provenance, provenance_rows


def _settings(values: object) -> str:
    """``key=value`` pairs of a JSON object (model args, a GenerateConfig), as the flags set them."""
    if not isinstance(values, dict) or not values:
        return ""
    return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(values.items()))


def _role(role: str, spec: dict[str, object]) -> str:
    extra = "; ".join(
        f"{label} {text}"
        for label, text in (("args", _settings(spec.get("args"))), ("config", _settings(spec.get("config"))))
        if text
    )
    return f"{role}: {spec.get('model', '?')}" + (f" ({extra})" if extra else "")


def _roles(text: str) -> str:
    try:
        roles = json.loads(text or "{}")
    except json.JSONDecodeError:
        return text
    return (
        ", ".join(
            _role(role, one)
            for role, spec in roles.items()
            for one in (spec if isinstance(spec, list) else [spec])
            if isinstance(one, dict)
        )
        or "none"
    )


def _json_settings(text: str) -> str:
    try:
        return _settings(json.loads(text or "{}")) or "–"
    except json.JSONDecodeError:
        return text


def _task_arg(text: str, key: str, default: str) -> str:
    try:
        return str(json.loads(text or "{}").get(key, default))
    except json.JSONDecodeError:
        return default


def method_rows(data: ReportData) -> list[list[str]]:
    rows = []
    for _, r in data.runs.sort_values(["model", "created"]).iterrows():
        rows.append(
            [
                str(r["model"]),
                str(r["model_base_url"] or "–"),
                _json_settings(str(r["model_args"])),
                _json_settings(str(r["generate_config"])),
                str(r["created"])[:19].replace("T", " "),
                str(r["completed"])[:19].replace("T", " ") or "–",
                str(r["epochs"]),
                _roles(str(r["model_roles"])),
                str(r["scorers"]),
                _task_arg(str(r["task_args"]), "awareness", "lexical"),
                f"{r['task']} v{r['task_version']}",
                str(r["scenario_versions"] or "–"),
                str(r["inspect_version"] or "–"),
                Path(str(r["log"])).name,
            ]
        )
    return rows


#: Columns of ``method_rows``; the HTML section and summary.md print the same table.
METHOD_COLUMNS = [
    "model",
    "base URL",
    "model args",
    "generation settings",
    "started",
    "completed",
    "epochs",
    "grader / roles",
    "scorers",
    "awareness detector",
    "task",
    "scenario versions",
    "inspect_ai",
    "log",
]


def _served(data: ReportData) -> str:
    """Who answered, per model, with a warning where one name was answered by several."""
    rows = provenance_rows(data.all_samples)
    if not rows:
        return ""
    warnings = "".join(f'<p class="warn">{esc(line)}</p>' for line in mixed_provenance(data.all_samples))
    return f"<h3>Served models</h3><p>{esc(SERVED_INTRO)}</p>{warnings}" + table(
        PROVENANCE_HEADERS, rows, numeric_from=1
    )


def render(data: ReportData) -> str:
    runs = table(
        METHOD_COLUMNS,
        method_rows(data),
        cls="methods wide",
        numeric_from=99,
    )
    versions = (
        data.samples.groupby(["pair_id", "scenario_version"])["model"]
        .apply(lambda s: ", ".join(sorted(set(s))))
        .reset_index()
        .values.tolist()
        if not data.samples.empty
        else []
    )
    prose = (
        "Each scenario pair is one task written twice: a test variant with evaluation cues and a deploy "
        "variant "
        "without them. Awareness is verbalized evaluation awareness detected in the model's reasoning and "
        "visible output (lexical detector, or the grader role as judge); spontaneous awareness excludes "
        "echoes of cues the prompt stated. Behaviour is the pair's deterministic check, else its rubric "
        "judged by the grader; a pair that needs a judge without one is unscored. Statistics: "
        "continuity-corrected Wilson intervals for rates, Newcombe's hybrid score interval for "
        "differences, a Student t interval over per-pair deltas for the paired delta (each pair's "
        "epochs averaged first, so the pair is the unit; no interval below 3 pairs), a Wilson interval "
        "widened by the between-pair design effect for behaviour given awareness, and McNemar's exact "
        "test on discordant pairs (evalaware.scorers.stats; coverage checked by bench/stats_coverage.py)."
    )
    body = (
        f'<p>{esc(prose)}</p><h3>Runs</h3><div class="scroll">{runs}</div>'
        + _served(data)
        + "<h3>Scenario versions</h3>"
        + table(["pair", "version", "models"], versions, numeric_from=1)
        + '<p class="small">'
        + esc("Report generated " + data.generated + " from " + ", ".join(data.sources))
        + ". "
        "Credentials in URLs, headers and keys are redacted.</p>"
    )
    return section("methods", "Methods", Safe(body))
