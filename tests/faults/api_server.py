"""A scripted local server for the real providers' HTTP paths: OpenAI Chat Completions, the
OpenAI Responses API (non-streaming and SSE streaming) and the Anthropic Messages API.

The fault server (``faults.server``) tests what goes wrong on the wire; this one tests what a
reasoning model's answer looks like when it goes right: reasoning items with summaries,
encrypted reasoning with no text, Anthropic ``thinking`` and ``redacted_thinking`` blocks, the
served model id (a dated snapshot), an OpenRouter-style ``provider`` route and a
``system_fingerprint``. Inspect's own providers (``openai``, ``openai-api``, ``anthropic``,
``meta``) talk to it unchanged through their base-URL environment variables.

Stdlib only, 127.0.0.1 on port 0, a daemon thread, bounded like the fault server (at most
``max_requests`` answers, a watchdog after ``max_seconds``). Each answer is a ``Reply``: one for
every request, or a function of the request body. Every request is kept (path and body).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from faults.server import DEFAULT_REPLY, _QuietServer

__all__ = ["ApiRequest", "ApiServer", "Reply", "serve_api"]

#: Looks like OpenAI's opaque reasoning blob: base64 that no client can read.
ENCRYPTED = "gAAAAABoZW5jcnlwdGVkLXJlYXNvbmluZy1ub3QtZm9yLXlvdXItZXllcw=="


@dataclass(frozen=True)
class Reply:
    """One scripted answer, rendered in whichever API the request used."""

    text: str = DEFAULT_REPLY
    """The visible answer."""
    reasoning: str | None = None
    """Readable reasoning: a Responses ``reasoning_text`` part, an Anthropic ``thinking`` block,
    a chat completion's ``reasoning_content``."""
    summary: str | None = None
    """Responses API: the reasoning item's summary text."""
    encrypted: str | None = None
    """Responses API: ``encrypted_content`` of the reasoning item; Anthropic: a
    ``redacted_thinking`` block's data. With no ``reasoning``, the reasoning has no text."""
    served_model: str | None = None
    """The ``model`` the response names (a dated snapshot, say); default: the requested one."""
    provider: str | None = None
    """Chat Completions: an OpenRouter-style ``provider`` field (the route that served it)."""
    system_fingerprint: str | None = None
    """Chat Completions: ``system_fingerprint``."""
    reasoning_tokens: int = 0
    """Reported in usage (reasoning that was billed, whether or not any text is shown)."""


@dataclass
class ApiRequest:
    """One request as the server saw it."""

    path: str
    body: dict[str, Any]
    authorization: str


@dataclass
class ApiServer:
    """The server and its script; ``base_url`` ends in ``/v1``, ``root_url`` does not."""

    reply: Reply | Callable[[dict[str, Any]], Reply] = field(default_factory=Reply)
    max_requests: int = 200
    max_seconds: float = 120.0

    def __post_init__(self) -> None:
        self.requests: list[ApiRequest] = []
        self._lock = threading.Lock()
        self._httpd: _QuietServer | None = None
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Timer | None = None

    def start(self) -> ApiServer:
        server = self

        class Handler(_ApiHandler):
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
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._httpd is not None:
            httpd, self._httpd = self._httpd, None
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def root_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return self.root_url + "/v1"

    @property
    def host(self) -> str:
        """``host:port``, as the report's ``base_url_host`` column shows it."""
        return self.root_url.removeprefix("http://")

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def record(self, path: str, body: dict[str, Any], authorization: str) -> Reply | None:
        with self._lock:
            if len(self.requests) >= self.max_requests:
                return None
            self.requests.append(ApiRequest(path, body, authorization))
        return self.reply(body) if callable(self.reply) else self.reply


def _usage_chat(r: Reply) -> dict[str, Any]:
    return {
        "prompt_tokens": 10,
        "completion_tokens": 10 + r.reasoning_tokens,
        "total_tokens": 20 + r.reasoning_tokens,
        "completion_tokens_details": {"reasoning_tokens": r.reasoning_tokens},
    }


def chat_completion(model: str, r: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": r.text}
    if r.reasoning is not None:
        message["reasoning_content"] = r.reasoning
    payload: dict[str, Any] = {
        "id": "chatcmpl-api",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": r.served_model or model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": _usage_chat(r),
    }
    if r.provider is not None:
        payload["provider"] = r.provider
    if r.system_fingerprint is not None:
        payload["system_fingerprint"] = r.system_fingerprint
    return payload


def _reasoning_item(r: Reply) -> dict[str, Any] | None:
    if r.reasoning is None and r.summary is None and r.encrypted is None:
        return None
    return {
        "type": "reasoning",
        "id": "rs_api_1",
        "summary": [{"type": "summary_text", "text": r.summary}] if r.summary is not None else [],
        "content": [{"type": "reasoning_text", "text": r.reasoning}] if r.reasoning is not None else None,
        "encrypted_content": r.encrypted,
    }


def _message_item(r: Reply) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "msg_api_1",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": r.text, "annotations": []}],
    }


def response_object(model: str, r: Reply, status: str = "completed") -> dict[str, Any]:
    """A Responses API ``response`` object (the non-streamed answer; ``response.completed`` carries it)."""
    reasoning = _reasoning_item(r)
    output = ([reasoning] if reasoning else []) + [_message_item(r)] if status == "completed" else []
    return {
        "id": "resp_api_1",
        "object": "response",
        "created_at": 1_700_000_000,
        "model": r.served_model or model,
        "status": status,
        "output": output,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "metadata": {},
        "parallel_tool_calls": True,
        "temperature": None,
        "top_p": None,
        "tool_choice": "auto",
        "tools": [],
        "usage": {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 10 + r.reasoning_tokens,
            "output_tokens_details": {"reasoning_tokens": r.reasoning_tokens},
            "total_tokens": 20 + r.reasoning_tokens,
        }
        if status == "completed"
        else None,
    }


def response_events(model: str, r: Reply) -> list[dict[str, Any]]:
    """The SSE events of a streamed Responses API answer, in the order OpenAI sends them."""
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": response_object(model, r, "in_progress")},
        {"type": "response.in_progress", "response": response_object(model, r, "in_progress")},
    ]
    index = 0
    reasoning = _reasoning_item(r)
    if reasoning is not None:
        empty = {**reasoning, "summary": [], "content": None}
        events.append({"type": "response.output_item.added", "output_index": index, "item": empty})
        if r.summary is not None:
            events += [
                {
                    "type": "response.reasoning_summary_part.added",
                    "item_id": reasoning["id"],
                    "output_index": index,
                    "summary_index": 0,
                    "part": {"type": "summary_text", "text": ""},
                },
                {
                    "type": "response.reasoning_summary_text.delta",
                    "item_id": reasoning["id"],
                    "output_index": index,
                    "summary_index": 0,
                    "delta": r.summary,
                },
                {
                    "type": "response.reasoning_summary_text.done",
                    "item_id": reasoning["id"],
                    "output_index": index,
                    "summary_index": 0,
                    "text": r.summary,
                },
            ]
        events.append({"type": "response.output_item.done", "output_index": index, "item": reasoning})
        index += 1
    message = _message_item(r)
    events += [
        {"type": "response.output_item.added", "output_index": index, "item": {**message, "content": []}},
        {
            "type": "response.output_text.delta",
            "item_id": message["id"],
            "output_index": index,
            "content_index": 0,
            "delta": r.text,
        },
        {"type": "response.output_item.done", "output_index": index, "item": message},
        {"type": "response.completed", "response": response_object(model, r)},
    ]
    return [{**e, "sequence_number": n} for n, e in enumerate(events)]


def anthropic_message(model: str, r: Reply) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if r.reasoning is not None:
        content.append({"type": "thinking", "thinking": r.reasoning, "signature": "c2lnbmF0dXJl"})
    if r.encrypted is not None:
        content.append({"type": "redacted_thinking", "data": r.encrypted})
    content.append({"type": "text", "text": r.text})
    return {
        "id": "msg_api_1",
        "type": "message",
        "role": "assistant",
        "model": r.served_model or model,
        "content": content,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 10 + r.reasoning_tokens},
    }


class _ApiHandler(BaseHTTPRequestHandler):
    owner: ApiServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return

    def do_GET(self) -> None:
        self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, 16 * 1024 * 1024))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
            return
        path = self.path.split("?", 1)[0].rstrip("/")
        auth = self.headers.get("Authorization") or self.headers.get("x-api-key") or ""
        reply = self.owner.record(path, body, auth)
        if reply is None:
            self._json(503, {"error": {"message": "request budget spent", "type": "server_error"}})
            return
        model = str(body.get("model", "test"))
        stream = bool(body.get("stream"))
        if path.endswith("/messages/count_tokens"):  # Anthropic's token count (context checks)
            self._json(200, {"input_tokens": 10})
        elif path.endswith("/chat/completions") and not stream:
            self._json(200, chat_completion(model, reply))
        elif path.endswith("/responses"):
            if stream:
                self._sse(response_events(model, reply))
            else:
                self._json(200, response_object(model, reply))
        elif path.endswith("/messages") and not stream:
            self._json(200, anthropic_message(model, reply))
        else:
            # Streaming chat and Anthropic streams are not scripted: say so rather than guess.
            self._json(400, {"error": {"message": f"not scripted: {path} stream={stream}", "type": "x"}})

    def _raw(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._raw(status, json.dumps(payload).encode(), "application/json")

    def _sse(self, events: list[dict[str, Any]]) -> None:
        data = (
            b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)
            + b"data: [DONE]\n\n"
        )
        self._raw(200, data, "text/event-stream")


def serve_api(**kwargs: Any) -> Iterator[ApiServer]:
    """Generator body for a pytest fixture: a started server, always closed."""
    server = ApiServer(**kwargs).start()
    try:
        yield server
    finally:
        server.close()
