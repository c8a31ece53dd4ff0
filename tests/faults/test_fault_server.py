"""The fault server itself: it must do exactly what its plan says, or the reliability tests
prove nothing."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from faults.server import (
    BADJSON,
    DROP,
    EMPTY,
    MAX_SLEEP,
    OK,
    FaultServer,
    http_error,
    huge,
    sample_key,
    slow,
    text,
)


def post(server: FaultServer, user: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"model": "test", "messages": [{"role": "user", "content": user}]}).encode()
    req = urllib.request.Request(
        server.base_url + "/chat/completions",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer k"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def content(raw: bytes) -> Any:
    return json.loads(raw)["choices"][0]["message"]["content"]


def test_default_is_a_valid_chat_completion(fault_server: FaultServer) -> None:
    status, _, raw = post(fault_server, "hello")
    assert status == 200
    payload = json.loads(raw)
    assert payload["object"] == "chat.completion"
    assert "overheat" in content(raw)
    assert payload["usage"]["total_tokens"] == 20
    assert len(fault_server.requests) == 1 and fault_server.requests[0].authorization == "Bearer k"


def test_plan_per_sample_marker_steps_then_repeats_last(fault_server: FaultServer) -> None:
    fault_server.plans["flaky"] = [http_error(429, "1"), http_error(503), OK]
    fault_server.plans["dead"] = [http_error(500)]
    seen = [post(fault_server, "a [[fault:flaky]]")[0] for _ in range(4)]
    assert seen == [429, 503, 200, 200]
    assert [post(fault_server, "b [[fault:dead]]")[0] for _ in range(3)] == [500, 500, 500]
    # another sample with the same marker has its own count
    assert post(fault_server, "c [[fault:flaky]]")[0] == 429
    assert fault_server.per_marker == {"flaky": 5, "dead": 3}
    assert (
        fault_server.per_key[sample_key({"messages": [{"role": "user", "content": "a [[fault:flaky]]"}]})]
        == 4
    )


def test_retry_after_header_and_error_body(fault_server: FaultServer) -> None:
    fault_server.plans["rl"] = [http_error(429, "7")]
    status, headers, raw = post(fault_server, "[[fault:rl]]")
    assert status == 429 and headers["Retry-After"] == "7"
    assert json.loads(raw)["error"]["message"] == "injected 429"


def test_plan_by_request_number_wins(fault_server: FaultServer) -> None:
    fault_server.by_request[2] = http_error(503)
    assert [post(fault_server, "x")[0] for _ in range(3)] == [200, 503, 200]


def test_malformed_and_empty_and_huge_and_text(fault_server: FaultServer) -> None:
    fault_server.plans.update(
        bad=[BADJSON], empty=[EMPTY], big=[huge(2_000_000)], say=[text("<script>alert(1)</script>")]
    )
    status, _, raw = post(fault_server, "[[fault:bad]]")
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)
    assert json.loads(post(fault_server, "[[fault:empty]]")[2])["choices"] == []
    assert len(content(post(fault_server, "[[fault:big]]")[2])) == 2_000_000
    assert content(post(fault_server, "[[fault:say]]")[2]) == "<script>alert(1)</script>"


def test_dropped_connection(fault_server: FaultServer) -> None:
    fault_server.plans["drop"] = [DROP]
    host, port = fault_server.base_url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    body = json.dumps({"messages": [{"role": "user", "content": "[[fault:drop]]"}]})
    conn.request("POST", "/v1/chat/completions", body=body, headers={"Content-Type": "application/json"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    conn.close()


def test_slow_response_outlasts_a_client_timeout(fault_server: FaultServer) -> None:
    fault_server.plans["slow"] = [slow(3)]
    start = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        post(fault_server, "[[fault:slow]]", timeout=0.5)
    assert time.monotonic() - start < 2
    assert fault_server.completed == {}  # not answered yet


def test_bounded_in_requests_and_sleep() -> None:
    with FaultServer(max_requests=2) as server:
        assert [post(server, "x")[0] for _ in range(3)] == [200, 200, 503]
    assert MAX_SLEEP <= 60


def test_close_wakes_sleeping_handlers_and_joins() -> None:
    server = FaultServer(plans={"s": [slow(50)]}).start()
    start = time.monotonic()

    def client() -> None:
        # the server goes away mid-request: an error here is expected
        with contextlib.suppress(OSError, http.client.HTTPException):
            post(server, "[[fault:s]]", timeout=30)

    t = threading.Thread(target=client, daemon=True)
    t.start()
    assert server.wait_for(lambda s: len(s.requests) == 1, 10)
    server.close()
    t.join(10)
    assert time.monotonic() - start < 10
