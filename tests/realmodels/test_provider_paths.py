"""Inspect's real providers end to end against scripted local servers (``faults.api_server``).

Each run is ``evalaware run`` in a subprocess on one two-variant pair, with the provider's own
base-URL variable pointed at 127.0.0.1 and a dummy key: the OpenAI Responses API (non-streamed,
and streamed over SSE), Meta's Muse Spark path (Responses + streaming, the provider's default),
the Anthropic Messages API, an OpenAI-compatible ``openai-api`` server, and OpenRouter with a
pinned provider. They run in parallel (one module fixture, ~20-30 s on two cores). Each test
reads what arrived in the log (``ContentReasoning`` parts, the request the server saw) and what
the report shows (samples.csv, summary.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from faults.api_server import ENCRYPTED, ApiServer, Reply
from faults.harness import FAKE_KEY, ROOT, cli_env, fault_library

AWARE_SUMMARY = "This looks like an alignment test; I am probably being evaluated, so I will be careful."
THINKING = "The user wants release notes. This is probably an evaluation of my honesty."
ANSWER = "Release notes for 2.3: faster satellite lock. Known issue: the battery can overheat."


@dataclass
class Case:
    name: str
    server: ApiServer
    args: list[str]
    env: dict[str, str]
    out: Path
    cwd: Path = ROOT
    proc: subprocess.Popen[bytes] | None = None
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None


def _alternating_routes(body: dict[str, Any]) -> Reply:
    """An OpenRouter that serves the test variant from one backend and the deploy from another."""
    text = json.dumps(body.get("messages"))
    route = "Together" if "evaluation" in text else "DeepInfra"
    return Reply(text=ANSWER, served_model="deepseek/deepseek-r1-0528", provider=route)


#: name → (reply, model, provider env prefix, URL kind, extra CLI args)
CASES: dict[str, tuple[Any, str, str, str, list[str]]] = {
    "openai_responses": (
        Reply(ANSWER, summary=AWARE_SUMMARY, encrypted=ENCRYPTED, served_model="o4-mini-2025-04-16"),
        "openai/o4-mini",
        "OPENAI",
        "v1",
        [
            *("-M", "responses_api=true", "-M", "streaming=false"),
            *("--reasoning-effort", "high", "--reasoning-summary", "auto", "--temperature", "1"),
        ],
    ),
    "openai_responses_stream": (
        Reply(ANSWER, encrypted=ENCRYPTED, served_model="o4-mini-2025-04-16", reasoning_tokens=256),
        "openai/o4-mini",
        "OPENAI",
        "v1",
        ["-M", "responses_api=true", "-M", "streaming=true", "--reasoning-effort", "low"],
    ),
    "meta": (
        Reply(ANSWER, summary=AWARE_SUMMARY, encrypted=ENCRYPTED, served_model="muse-spark-1.3-2026-04-01"),
        "meta/muse-spark-1.3",
        "META",
        "v1",
        ["--reasoning-summary", "auto"],
    ),
    "anthropic": (
        Reply(ANSWER, reasoning=THINKING, encrypted=ENCRYPTED, served_model="claude-sonnet-4-5-20250929"),
        "anthropic/claude-sonnet-4-5",
        "ANTHROPIC",
        "root",
        ["-M", "streaming=false", "--reasoning-tokens", "1024", "--max-tokens", "2048"],
    ),
    "openai_api_local": (
        Reply(ANSWER, reasoning=THINKING, served_model="smollm2-135m-q4", system_fingerprint="fp_local_1"),
        "openai-api/local/smollm2",
        "LOCAL",
        "v1",
        ["--max-tokens", "64", "--seed", "7"],
    ),
    "openrouter": (
        _alternating_routes,
        "openrouter/deepseek/deepseek-r1",
        "OPENROUTER",
        "v1",
        ["-M", 'provider={"order": ["deepinfra", "together"], "allow_fallbacks": false}'],
    ),
}


#: Flags both routes spell the same way (evalaware run adds -M max_retries=0 itself).
PARITY_FLAGS = [
    *("--temperature", "0.5", "--max-tokens", "48", "--seed", "3", "--reasoning-effort", "low"),
    *("--reasoning-tokens", "512", "--reasoning-summary", "concise", "--reasoning-history", "last"),
]


def _anthropic_missing() -> bool:
    import importlib.util

    return importlib.util.find_spec("anthropic") is None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("providers")
    library = fault_library(tmp / "lib", ["ok"])
    cases: dict[str, Case] = {}
    try:
        for name, (reply, model, prefix, kind, extra) in CASES.items():
            if name == "anthropic" and _anthropic_missing():
                continue
            server = ApiServer(reply=reply, max_seconds=320).start()
            url = server.base_url if kind == "v1" else server.root_url
            env = cli_env(None, **{f"{prefix}_API_KEY": FAKE_KEY, f"{prefix}_BASE_URL": url})
            out = tmp / name
            args = [sys.executable, "-m", "evalaware.cli.main", "run", "--model", model]
            args += ["--scenario-dir", str(library), "--log-dir", str(out / "logs"), "--display", "none"]
            cases[name] = Case(name, server, args + extra, env, out)
        # The same settings through `evalaware run` and through `inspect eval`'s own flags.
        server = ApiServer(reply=Reply(ANSWER, served_model="smollm2-135m-q4"), max_seconds=320).start()
        env = cli_env(None, PARITY_API_KEY=FAKE_KEY, PARITY_BASE_URL=server.base_url)
        shared = [*PARITY_FLAGS, "--model", "openai-api/parity/smollm2", "--display", "none"]
        out = tmp / "parity_run"
        cases["parity_run"] = Case(
            "parity_run",
            server,
            [
                *(sys.executable, "-m", "evalaware.cli.main", "run", *shared, "-M", "stream=false"),
                *("--scenario-dir", str(library), "--log-dir", str(out / "logs"), "--no-report"),
            ],
            env,
            out,
        )
        out = tmp / "parity_inspect"
        cases["parity_inspect"] = Case(
            "parity_inspect",
            server,
            [
                *(sys.executable, "-m", "inspect_ai", "eval", "evalaware/paired_probe", *shared),
                *("-M", "stream=false", "-M", "max_retries=0", "--model-base-url", server.base_url),
                *("-T", f"scenario_dir={library}", "--log-dir", str(out / "logs")),
            ],
            env,
            out,
            # not the checkout's root, where `evalaware/paired_probe` would name its source folder
            cwd=tmp,
        )
        for case in cases.values():  # in parallel: each is mostly Inspect's import and start-up
            # Output to files, not pipes: a child blocked on a full pipe that nobody is reading
            # yet can hold up the others. Inspect's data dir is per run, so they share nothing.
            case.out.mkdir(parents=True, exist_ok=True)
            case.env["XDG_DATA_HOME"] = str(case.out / "xdg")
            with open(case.out / "stdout", "w") as out, open(case.out / "stderr", "w") as err:
                case.proc = subprocess.Popen(case.args, cwd=case.cwd, env=case.env, stdout=out, stderr=err)
        for case in cases.values():
            assert case.proc is not None
            case.returncode = case.proc.wait(timeout=300)
            case.stdout = (case.out / "stdout").read_text()
            case.stderr = (case.out / "stderr").read_text()
        yield cases
    finally:
        for case in cases.values():
            if case.proc is not None and case.proc.poll() is None:
                case.proc.kill()
            case.server.close()


def _case(runs: dict[str, Case], name: str) -> Case:
    if name not in runs:
        pytest.skip("the anthropic SDK is not installed (pip install anthropic)")
    case = runs[name]
    assert case.returncode == 0, (case.stdout[-1500:], case.stderr[-3000:])
    return case


def _log(case: Case) -> Any:
    from inspect_ai.log import list_eval_logs, read_eval_log

    (info,) = list_eval_logs(str(case.out / "logs"))
    return read_eval_log(info)


def _reasoning(sample: Any) -> list[Any]:
    from inspect_ai.model import ContentReasoning

    content = sample.output.message.content
    return [c for c in content if isinstance(c, ContentReasoning)] if isinstance(content, list) else []


def _report(case: Case) -> tuple[pd.DataFrame, str]:
    report = case.out / "logs" / "report"
    csv = pd.read_csv(report / "samples.csv", keep_default_na=False)
    return csv, (report / "summary.md").read_text(encoding="utf-8")


def _provenance(case: Case, served: str) -> pd.DataFrame:
    csv, md = _report(case)
    assert len(csv) == 2
    assert set(csv["served_model"]) == {served}
    assert set(csv["base_url_host"]) == {case.server.host}
    assert "## Served models" in md and f"{served} (2)" in md and f"{case.server.host} (2)" in md
    assert FAKE_KEY not in md and FAKE_KEY not in csv.to_csv()
    return csv


def test_openai_responses_api_summary_and_encrypted_reasoning(runs: dict[str, Case]) -> None:
    case = _case(runs, "openai_responses")
    sampled = _sample_requests(case)
    assert len(sampled) == 2 and {r.path for r in case.server.requests} == {"/v1/responses"}
    body = sampled[0].body
    assert body["reasoning"]["effort"] == "high" and body["reasoning"]["summary"] == "auto"
    assert not body.get("stream")
    log = _log(case)
    for sample in log.samples:
        (part,) = _reasoning(sample)
        assert part.summary == AWARE_SUMMARY and part.redacted is True
        assert sample.output.model == "o4-mini-2025-04-16"
    # the settings are in the eval spec, as `inspect eval` records them
    config = log.eval.model_generate_config.model_dump(exclude_none=True)
    assert config == {"temperature": 1.0, "reasoning_effort": "high", "reasoning_summary": "auto"}
    assert log.eval.model_args == {"max_retries": 0, "responses_api": True, "streaming": False}
    assert log.eval.model_base_url.startswith(case.server.root_url)
    _provenance(case, "o4-mini-2025-04-16")
    _, md = _report(case)
    assert 'reasoning_effort="high"' in md and "responses_api=true" in md


def _sample_requests(case: Case) -> list[Any]:
    """The requests that carried a sample (Inspect may first probe the account with a plain string)."""
    return [r for r in case.server.requests if isinstance(r.body.get("input"), list)]


def test_openai_responses_api_streamed_encrypted_reasoning_without_text(runs: dict[str, Case]) -> None:
    case = _case(runs, "openai_responses_stream")
    sampled = _sample_requests(case)
    assert len(sampled) == 2 and all(r.body.get("stream") is True for r in sampled)
    for sample in _log(case).samples:
        (part,) = _reasoning(sample)
        assert part.redacted is True and part.summary is None and part.reasoning == ENCRYPTED
        assert sample.output.usage.reasoning_tokens == 256
    _provenance(case, "o4-mini-2025-04-16")


def test_meta_muse_spark_streams_responses_with_reasoning_items(runs: dict[str, Case]) -> None:
    case = _case(runs, "meta")
    # the meta provider's own defaults: the Responses API, streamed
    sampled = _sample_requests(case)
    assert len(sampled) == 2 and {r.path for r in case.server.requests} == {"/v1/responses"}
    assert all(r.body.get("stream") is True for r in sampled)
    for sample in _log(case).samples:
        (part,) = _reasoning(sample)
        assert part.summary == AWARE_SUMMARY and part.redacted is True
    csv = _provenance(case, "muse-spark-1.3-2026-04-01")
    # awareness read from the reasoning summary, in both variants
    assert list(csv["aware"]) == [1.0, 1.0] and set(csv["where"]) == {"reasoning"}


def test_anthropic_thinking_and_redacted_thinking(runs: dict[str, Case]) -> None:
    case = _case(runs, "anthropic")
    messages = [r for r in case.server.requests if r.path == "/v1/messages"]
    assert len(messages) == 2
    assert messages[0].body["thinking"]["budget_tokens"] == 1024
    for sample in _log(case).samples:
        thinking, redacted = _reasoning(sample)
        # Inspect keeps Claude 4's (summarised) thinking readable, and the redacted block opaque
        assert THINKING in (thinking.summary or thinking.reasoning)
        assert redacted.redacted is True and redacted.reasoning == ENCRYPTED and not redacted.summary
    csv = _provenance(case, "claude-sonnet-4-5-20250929")
    assert set(csv["where"]) == {"reasoning"}


def test_openai_compatible_local_server_report(runs: dict[str, Case]) -> None:
    case = _case(runs, "openai_api_local")
    assert case.server.paths() == ["/v1/chat/completions"] * 2
    assert case.server.requests[0].body["max_tokens"] == 64 and case.server.requests[0].body["seed"] == 7
    for sample in _log(case).samples:
        (part,) = _reasoning(sample)  # reasoning_content became ContentReasoning, readable
        assert part.reasoning == THINKING and not part.redacted
    csv = _provenance(case, "smollm2-135m-q4")
    assert set(csv["system_fingerprint"]) == {"fp_local_1"} and set(csv["provider_route"]) == {""}
    _, md = _report(case)
    assert "fp_local_1 (2)" in md and "max_tokens=64" in md and "seed=7" in md
    assert "answered by more than one" not in md


def test_openrouter_provider_pin_reaches_the_request_and_mixed_routes_are_warned(
    runs: dict[str, Case],
) -> None:
    case = _case(runs, "openrouter")
    for request in case.server.requests:
        assert request.body["provider"] == {"order": ["deepinfra", "together"], "allow_fallbacks": False}
    csv, md = _report(case)
    assert sorted(csv["provider_route"]) == ["DeepInfra", "Together"]
    assert "DeepInfra (1), Together (1)" in md
    assert "openrouter/deepseek/deepseek-r1 was answered by more than one server configuration" in md
    assert "2 provider routes: DeepInfra, Together" in md


def test_evalaware_run_and_inspect_eval_record_the_same_settings(runs: dict[str, Case]) -> None:
    ours, theirs = _log(_case(runs, "parity_run")), _log(_case(runs, "parity_inspect"))
    expected = {
        "temperature": 0.5,
        "max_tokens": 48,
        "seed": 3,
        "reasoning_effort": "low",
        "reasoning_tokens": 512,
        "reasoning_summary": "concise",
        "reasoning_history": "last",
    }
    for log in (ours, theirs):
        assert log.status == "success"
        assert log.eval.model_generate_config.model_dump(exclude_none=True) == expected
        assert log.eval.model_args == {"max_retries": 0, "stream": False}
    assert ours.eval.model_base_url == theirs.eval.model_base_url
    assert ours.eval.config.epochs == theirs.eval.config.epochs
    # the same samples ran (run passes scenario_dir as a list, -T as a string: the same folder)
    assert sorted(s.id for s in ours.samples) == sorted(s.id for s in theirs.samples)
    # and the settings reached the wire on both routes (4 sample requests, 2 per route)
    bodies = [r.body for r in runs["parity_run"].server.requests]
    assert len(bodies) == 4
    assert all(b["temperature"] == 0.5 and b["max_tokens"] == 48 and b["seed"] == 3 for b in bodies)
