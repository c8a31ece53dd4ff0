"""What actually answered: the served model id, the provider's route, the endpoint's host and the
system fingerprint of each sample, read from the model events Inspect keeps in the log.

A model name is a request, not an answer: an API may serve a dated snapshot (``gpt-4.1`` →
``gpt-4.1-2025-04-14``), a router may pick a different backend for each request (OpenRouter's
``provider`` field), and a deployment may change under the same name (``system_fingerprint``).
Nothing here is new score metadata: Inspect records each call's ``ModelOutput.model`` and, for
the first calls of a sample, the raw response (``ModelEvent.call.response``). This module reads
them back for the tidy table (``attach_provenance``, called by ``load_logs``) and says, per
model, when one name was answered by several ids or routes (``provenance_rows``,
``mixed_provenance``).

Only the host (and port) of a base URL is kept: never a path, query, user or password.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from evalaware.reports.caveats import mixed_served_models
from evalaware.reports.scrub import scrub_text

__all__ = [
    "NO_ENDPOINT",
    "PROVENANCE_COLUMNS",
    "PROVENANCE_HEADERS",
    "SERVED_INTRO",
    "attach_provenance",
    "base_url_host",
    "mixed_provenance",
    "provenance_rows",
    "read_provenance",
]

#: Tidy columns filled here, in the order ``reports/columns.py`` declares them.
PROVENANCE_COLUMNS = ("served_model", "provider_route", "system_fingerprint", "base_url_host")

#: Providers with no endpoint that could report another model (scripted or in-process models):
#: their logs are not read for events, which keeps the report fast on large synthetic runs.
NO_ENDPOINT = ("mockllm", "none")

_SEP = ","


def base_url_host(url: str | None) -> str:
    """``host[:port]`` of ``url`` in lower case ('' for none); userinfo, path and query dropped."""
    if not url:
        return ""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return ""
    return f"{host}:{port}" if host and port else host


def _strings(values: Iterable[Any]) -> str:
    """Distinct non-empty strings, sorted, comma-joined, scrubbed (they came from a server)."""
    found = sorted({str(v).strip() for v in values if isinstance(v, str) and v.strip()})
    return scrub_text(_SEP.join(found))


def _from_events(events: list[dict[str, Any]]) -> dict[str, str]:
    """Provenance of one sample from its events (JSON dicts): the calls of the model under test."""
    served, routes, fingerprints = [], [], []
    for event in events:
        if not isinstance(event, dict) or event.get("event") != "model" or event.get("error"):
            continue
        # A grader's calls carry its role; the model under test's carry none (or name it).
        if event.get("role") not in (None, ""):
            continue
        output = event.get("output") or {}
        served.append(output.get("model"))
        response = (event.get("call") or {}).get("response")
        if isinstance(response, dict):
            routes.append(response.get("provider"))
            fingerprints.append(response.get("system_fingerprint"))
    return {
        "served_model": _strings(served),
        "provider_route": _strings(routes),
        "system_fingerprint": _strings(fingerprints),
    }


def _sample_json(log: str) -> Iterable[dict[str, Any]] | None:
    """A finished .eval log's samples as plain JSON (see ``tidy._raw_summaries`` for why), or None."""
    if not log.endswith(".eval"):
        return None
    try:
        import zipfile

        import zipfile_zstd  # noqa: F401  (registers Zstandard decompression with zipfile)

        z = zipfile.ZipFile(log)
        names = [n for n in z.namelist() if n.startswith("samples/") and n.endswith(".json")]
    except Exception:
        return None

    def samples() -> Iterable[dict[str, Any]]:
        with z:
            for name in names:
                yield json.loads(z.read(name))

    return samples()


def read_provenance(log: str) -> dict[tuple[str, int], dict[str, str]]:
    """``(sample id, epoch) → provenance`` of the model under test, for every sample of ``log``."""
    out: dict[tuple[str, int], dict[str, str]] = {}
    raw = _sample_json(log)
    if raw is not None:
        try:
            for data in raw:
                out[(str(data["id"]), int(data["epoch"]))] = _from_events(data.get("events") or [])
            return out
        except Exception:
            out.clear()  # a layout we do not know: read it the slow, public way
    from inspect_ai.log import read_eval_log

    try:
        full = read_eval_log(log)
    except Exception:
        return out
    for sample in full.samples or []:
        events = [e.model_dump(mode="json", exclude={"input"}) for e in sample.events if e.event == "model"]
        out[(str(sample.id), int(sample.epoch))] = _from_events(events)
    return out


def attach_provenance(rows: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (tidy rows with ``log``, ``model``, ``sample_id``, ``epoch``) with the provenance columns.

    ``base_url_host`` comes from the run's recorded base URL (``evalaware run`` records the one it
    used; ``inspect eval`` only one passed with ``--model-base-url``).
    """
    rows = rows.copy()
    for column in PROVENANCE_COLUMNS:
        rows[column] = ""
    if rows.empty:
        return rows
    hosts = {str(r["log"]): base_url_host(str(r["model_base_url"] or "")) for _, r in runs.iterrows()}
    for log, group in rows.groupby("log", sort=False):
        rows.loc[group.index, "base_url_host"] = hosts.get(str(log), "")
        if str(group["model"].iloc[0]).split("/", 1)[0] in NO_ENDPOINT:
            continue
        found = read_provenance(str(log))
        keys = zip(group["sample_id"].astype(str), group["epoch"].astype(int), strict=True)
        for idx, key in zip(group.index, keys, strict=True):
            for column, value in found.get(key, {}).items():
                rows.at[idx, column] = value
    return rows


#: What the served-models table says, above it (HTML and summary.md).
SERVED_INTRO = (
    "What the APIs said answered, counted over samples (samples.csv: served_model, provider_route, "
    "base_url_host, system_fingerprint). A model name is a request: a dated snapshot, a router's backend or "
    "a changed deployment can answer it. '–': the API reported none."
)

#: Columns of ``provenance_rows``; the methods section and summary.md print the same table.
PROVENANCE_HEADERS = [
    "model",
    "samples",
    "served model ids",
    "provider routes",
    "base URL host",
    "fingerprints",
]


def _counted(values: pd.Series) -> str:
    """``id (n), id (n)`` over the comma-joined cells of one column; '–' when none was reported."""
    counts: dict[str, int] = {}
    for cell in values.astype(str):
        for value in filter(None, cell.split(_SEP)):
            counts[value] = counts.get(value, 0) + 1
    return ", ".join(f"{v} ({n})" for v, n in sorted(counts.items())) or "–"


def _distinct(values: pd.Series) -> list[str]:
    return sorted({v for cell in values.astype(str) for v in cell.split(_SEP) if v})


def provenance_rows(samples: pd.DataFrame) -> list[list[str]]:
    """Per model: how many samples each served id, route, host and fingerprint answered ([] when no
    sample reported any)."""
    if samples.empty or "served_model" not in samples.columns:
        return []
    if not samples[list(PROVENANCE_COLUMNS)].astype(str).ne("").to_numpy().any():
        return []  # scripted models only (mockllm): nothing was served, nothing to show
    rows = []
    for model, group in samples.groupby("model", sort=True):
        rows.append(
            [
                str(model),
                str(len(group)),
                _counted(group["served_model"]),
                _counted(group["provider_route"]),
                _counted(group["base_url_host"]),
                _counted(group["system_fingerprint"]),
            ]
        )
    return rows


def mixed_provenance(samples: pd.DataFrame) -> list[str]:
    """A warning for each model name answered by several served ids, routes or hosts in this report."""
    if samples.empty or "served_model" not in samples.columns:
        return []
    out = []
    for model, group in samples.groupby("model", sort=True):
        found = {
            "served model ids": _distinct(group["served_model"]),
            "provider routes": _distinct(group["provider_route"]),
            "base URL hosts": _distinct(group["base_url_host"]),
        }
        mixed = {what: values for what, values in found.items() if len(values) > 1}
        if mixed:
            out.append(mixed_served_models(str(model), mixed))
    return out
