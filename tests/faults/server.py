"""A fault-injecting OpenAI-compatible chat-completions server for reliability tests.

Stdlib only: a ``ThreadingHTTPServer`` on 127.0.0.1 (port 0) serving in a daemon thread.
``POST /v1/chat/completions`` answers with a valid chat completion unless the fault plan
says otherwise. Faults are chosen per request, either

* by **sample marker**: a ``[[fault:NAME]]`` token anywhere in the request's messages picks
  the plan ``NAME``; the n-th request carrying that sample's key gets the n-th step of the
  plan (the last step repeats), or
* by **request number**: ``server.by_request[n] = Fault(...)`` for the n-th request overall
  (1-based), checked first.

Every request is counted, overall and per sample key (a hash of the first user message,
which is what distinguishes one sample from another in evalaware), so a test can prove
what a resumed run did and did not recompute.

Everything is bounded: at most ``max_requests`` requests are served (then 503), a slow
response sleeps at most ``MAX_SLEEP`` seconds and wakes early on shutdown, a watchdog stops
the server after ``max_seconds``, and ``close()`` always joins the thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: Marker a scenario (or a prompt) carries to select a fault plan for its sample.
MARKER = re.compile(r"\[\[fault:([a-z0-9_-]+)\]\]")

#: No single response is ever delayed longer than this, whatever the plan says.
MAX_SLEEP = 60.0

DEFAULT_REPLY = (
    "Firmware 2.3 release notes:\n- Faster satellite lock\n- Trail sharing over Bluetooth\n"
    "- Compass drift fixed\n- Known issue: the battery can overheat while charging in direct sun; "
    "a fix is coming in 2.4."
)


@dataclass(frozen=True)
class Fault:
    """What to do with one request.

    kind: ``ok`` (a valid completion), ``status`` (an HTTP error with a JSON error body),
    ``slow`` (sleep ``seconds`` then answer ok), ``drop`` (close the connection without a
    response), ``badjson`` (200 with a truncated JSON body), ``empty`` (200 with
    ``choices: []``), ``huge`` (a completion of ``size`` characters), ``text`` (a completion
    whose content is ``content``).
    """

    kind: str = "ok"
    status: int = 200
    error: dict[str, Any] | None = None
    """JSON error body for ``status`` faults (default: a generic server_error)."""
    retry_after: str | None = None
    seconds: float = 0.0
    size: int = 0
    content: str | None = None


OK = Fault()


def http_error(status: int, retry_after: str | None = None, error: dict[str, Any] | None = None) -> Fault:
    return Fault(kind="status", status=status, retry_after=retry_after, error=error)


#: What OpenAI answers when the input is longer than the model's context.
CONTEXT_TOO_LONG = http_error(
    400,
    error={
        "message": "This model's maximum context length is 128000 tokens.",
        "type": "invalid_request_error",
        "param": "messages",
        "code": "context_length_exceeded",
    },
)


def slow(seconds: float) -> Fault:
    return Fault(kind="slow", seconds=seconds)


DROP = Fault(kind="drop")
BADJSON = Fault(kind="badjson")
EMPTY = Fault(kind="empty")


def huge(size: int) -> Fault:
    return Fault(kind="huge", size=size)


def text(content: str) -> Fault:
    return Fault(kind="text", content=content)


@dataclass
class Request:
    """One request as the server saw it."""

    number: int
    key: str
    marker: str | None
    fault: str
    authorization: str
    body_bytes: int


def sample_key(body: dict[str, Any]) -> str:
    """A short hash of the first user message: one key per evalaware sample."""
    for message in body.get("messages") or []:
        if message.get("role") == "user":
            return hashlib.sha256(_content_text(message.get("content")).encode()).hexdigest()[:12]
    return "no-user-message"


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _all_text(body: dict[str, Any]) -> str:
    return "\n".join(_content_text(m.get("content")) for m in body.get("messages") or [])


@dataclass
class FaultServer:
    """The server and its script. Use as a context manager or through the pytest fixture."""

    plans: dict[str, list[Fault]] = field(default_factory=dict)
    """Marker name → the fault for the 1st, 2nd, ... request of a sample (the last repeats)."""
    by_request: dict[int, Fault] = field(default_factory=dict)
    """Overall request number (1-based) → fault; takes precedence over plans."""
    reply: Callable[[dict[str, Any]], str] = lambda body: DEFAULT_REPLY
    """Content of an ``ok`` completion, from the request body."""
    rule: Callable[[dict[str, Any], int], Fault | None] | None = None
    """``(body, body size in bytes) → fault`` consulted before the plans (None: no opinion)."""
    max_requests: int = 500
    max_seconds: float = 240.0
    keep_bodies: int = 0
    """Keep the parsed bodies of the first this-many requests in ``bodies``."""

    def __post_init__(self) -> None:
        self.requests: list[Request] = []
        self.per_key: Counter[str] = Counter()
        self.per_marker: Counter[str] = Counter()
        self.completed: Counter[str] = Counter()
        """Per sample key: requests answered with a valid completion."""
        self.healed = False
        self.bodies: list[dict[str, Any]] = []
        self._plan_step: Counter[str] = Counter()  # per sample key; survives reset_counts()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Timer | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FaultServer:
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        self._watchdog = threading.Timer(self.max_seconds, self.close)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._httpd is not None:
            httpd, self._httpd = self._httpd, None
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    # ------------------------------------------------------------------ script

    def heal(self) -> None:
        """From now on every request succeeds (plans and by_request are ignored)."""
        with self._lock:
            self.healed = True

    def reset_counts(self) -> None:
        """Zero the counters a test reads; each sample's position in its plan is kept."""
        with self._lock:
            self.requests.clear()
            self.per_key.clear()
            self.per_marker.clear()
            self.completed.clear()

    def choose(self, body: dict[str, Any], authorization: str, size: int) -> tuple[Request, Fault]:
        key = sample_key(body)
        found = MARKER.search(_all_text(body))
        marker = found.group(1) if found else None
        with self._lock:
            number = len(self.requests) + 1
            nth = self._plan_step[key]  # requests this sample made before this one, ever
            self._plan_step[key] += 1
            self.per_key[key] += 1
            if marker:
                self.per_marker[marker] += 1
            if number > self.max_requests:
                fault = http_error(503)
            elif self.healed:
                fault = OK
            elif number in self.by_request:
                fault = self.by_request[number]
            elif self.rule is not None and (ruled := self.rule(body, size)) is not None:
                fault = ruled
            elif marker and self.plans.get(marker):
                plan = self.plans[marker]
                fault = plan[min(nth, len(plan) - 1)]
            else:
                fault = OK
            request = Request(number, key, marker, fault.kind, authorization, size)
            self.requests.append(request)
            if len(self.bodies) < self.keep_bodies:
                self.bodies.append(body)
        return request, fault

    def record_completed(self, key: str) -> None:
        with self._lock:
            self.completed[key] += 1

    def wait_for(self, predicate: Callable[[FaultServer], bool], timeout: float) -> bool:
        """Poll ``predicate(self)`` until true or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self):
                    return True
            time.sleep(0.05)
        return False

    def keys_for(self, marker: str) -> set[str]:
        with self._lock:
            return {r.key for r in self.requests if r.marker == marker}

    def sleep(self, seconds: float) -> None:
        self._stop.wait(min(seconds, MAX_SLEEP))


def completion(model: str, content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up (its timeout, a kill) resets the connection: expected here.
        return


class _Handler(BaseHTTPRequestHandler):
    owner: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return

    def do_GET(self) -> None:
        self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, 64 * 1024 * 1024))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._json(
                400, {"error": {"message": "request body is not JSON", "type": "invalid_request_error"}}
            )
            return
        request, fault = self.owner.choose(body, self.headers.get("Authorization", ""), len(raw))
        model = str(body.get("model", "test"))
        if fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            error = fault.error or {"message": f"injected {fault.status}", "type": "server_error"}
            self._json(fault.status, {"error": error}, headers)
        elif fault.kind == "drop":
            # Close without a status line: the client sees a dropped connection.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
        elif fault.kind == "badjson":
            self._raw(200, b'{"id": "chatcmpl-fault", "choices": [{"message": {"content": "unterminated')
        elif fault.kind == "empty":
            payload = completion(model, "")
            payload["choices"] = []
            self._json(200, payload)
        else:
            if fault.kind == "slow":
                self.owner.sleep(fault.seconds)
                if self.owner._stop.is_set():
                    return
            if fault.kind == "huge":
                content = ("All fine. " * (fault.size // 10 + 1))[: fault.size]
            elif fault.kind == "text":
                content = fault.content or ""
            else:
                content = self.owner.reply(body)
            if body.get("stream"):
                self._stream(model, content)
            else:
                self._json(200, completion(model, content))
            self.owner.record_completed(request.key)

    # ------------------------------------------------------------------ writing

    def _raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to do

    def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._raw(status, json.dumps(payload).encode(), headers)

    def _stream(self, model: str, content: str) -> None:
        chunks = [
            {
                "id": "chatcmpl-fault",
                "object": "chat.completion.chunk",
                "created": 1_700_000_000,
                "model": model,
                "choices": [
                    {"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": None}
                ],
            },
            {
                "id": "chatcmpl-fault",
                "object": "chat.completion.chunk",
                "created": 1_700_000_000,
                "model": model,
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            },
        ]
        data = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def serve(**kwargs: Any) -> Iterator[FaultServer]:
    """Generator body for a pytest fixture: a started server, always closed."""
    server = FaultServer(**kwargs).start()
    try:
        yield server
    finally:
        server.close()
