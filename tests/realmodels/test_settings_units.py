"""The pieces under the provider tests, without a server: flag parsing, the base URL that may be
written to a log, the host the report keeps, and the mixed-provenance warning."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest
from evalaware.reports.provenance import base_url_host, mixed_provenance, provenance_rows

from evalaware.cli.errors import UsageError
from evalaware.cli.run_options import (
    add_model_options,
    generate_options,
    grader_settings,
    parse_key_values,
    recordable_base_url,
)


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_model_options(p)
    for name in ("max_connections", "max_retries", "timeout", "attempt_timeout", "max_tokens", "seed"):
        p.add_argument(f"--{name.replace('_', '-')}", type=int)
    return p.parse_args(list(argv))


def test_model_args_read_values_as_inspect_does() -> None:
    values = ["responses_api=true", 'provider={"order": ["a", "b"]}', "models=x,y", "client-timeout=30"]
    got = parse_key_values([*values, "s=a=b"], "-M")
    assert got == {
        "responses_api": True,
        "provider": {"order": ["a", "b"]},
        "models": ["x", "y"],
        "client_timeout": 30,
        "s": "a=b",
    }
    with pytest.raises(UsageError, match="KEY=VALUE"):
        parse_key_values(["novalue"], "-M")


def test_generate_options_and_grader_settings() -> None:
    args = _args("--reasoning-effort", "high", "--temperature", "0.2", "--grader-config", "temperature=0")
    assert generate_options(args) == {"reasoning_effort": "high", "temperature": 0.2}
    settings = grader_settings(args)
    assert settings["config"].temperature == 0 and settings["model_args"] == {}
    with pytest.raises(UsageError, match="not a GenerateConfig field: temprature"):
        grader_settings(_args("--grader-config", "temprature=0"))
    with pytest.raises(UsageError, match="reasoning_effort"):
        grader_settings(_args("--grader-config", "reasoning_effort=huge"))
    with pytest.raises(SystemExit):
        _args("--reasoning-effort", "huge")


def test_only_credential_free_base_urls_are_recorded() -> None:
    assert recordable_base_url("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080/v1/"
    assert recordable_base_url("https://user:sk-secret@proxy.example/v1") is None
    assert recordable_base_url("https://api.example/v1?key=sk-secret") is None
    assert recordable_base_url(None) is None


def test_base_url_host_keeps_host_and_port_only() -> None:
    assert base_url_host("https://user:sk-secret@Proxy.Example:8443/v1?key=k") == "proxy.example:8443"
    assert base_url_host("https://openrouter.ai/api/v1") == "openrouter.ai"
    assert base_url_host("") == ""


def test_mixed_provenance_warns_per_model() -> None:
    samples = pd.DataFrame(
        {
            "model": ["m/a", "m/a", "m/b", "m/b"],
            "served_model": ["a-1", "a-2", "b-1", "b-1"],
            "provider_route": ["", "", "X", "X"],
            "system_fingerprint": ["", "", "", ""],
            "base_url_host": ["h", "h", "h", "h"],
        }
    )
    (line,) = mixed_provenance(samples)
    assert line.startswith("m/a was answered by more than one") and "2 served model ids: a-1, a-2" in line
    rows = provenance_rows(samples)
    assert rows[0][:3] == ["m/a", "2", "a-1 (1), a-2 (1)"] and rows[1][3] == "X (2)"
    assert provenance_rows(samples.assign(served_model="", provider_route="", base_url_host="")) == []
