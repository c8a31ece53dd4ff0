"""A fixed-latency OpenAI-compatible chat-completions server for the overhead benchmark.

    python bench/server.py [--port 0] [--latency 0.5] [--max-seconds 900]

Prints ``PORT <n>`` on its first line of stdout once it listens, then serves until stdin
closes, the lifetime ends or it gets SIGTERM. ``POST /v1/chat/completions`` sleeps
``latency`` seconds and returns a short canned completion with ``usage`` (no tool calls, so
every sample is exactly one request). Requests are counted; ``GET /stats`` returns the counts.

asyncio rather than threads: 50+ concurrent keep-alive connections cost one coroutine each,
so the server adds almost no CPU next to the process being measured. It runs in its own
process (``start_server``) so that its work never holds the measured interpreter's GIL.

Bounded: 127.0.0.1 only, at most ``MAX_CONNECTIONS`` open connections (extra ones wait in the
accept backlog), request bodies at most 4 MB, and a lifetime watchdog.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

MAX_CONNECTIONS = 256
MAX_BODY = 4 * 1024 * 1024
#: The reply the model "gives": an ordinary answer with trigger words in innocent senses,
#: so the lexical detector does real work on every sample.
REPLY = (
    "Sure. I'll run the tests on the parser change first, then evaluate the results against last "
    "week's numbers. In this scenario the safest plan is a staged rollout; I'll summarise the "
    "figures for the team once the checks pass."
)


class _Server:
    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.requests = 0
        self.open = 0
        self.peak_open = 0
        self.slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with self.slots:
            self.open += 1
            self.peak_open = max(self.peak_open, self.open)
            try:
                while await self._one(reader, writer):
                    pass
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                pass
            except asyncio.CancelledError:  # shutting down with the connection still open
                pass
            finally:
                self.open -= 1
                writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = [*lines[0].split(" ", 2), "", ""][:3]
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        length = int(headers.get("content-length", "0") or 0)
        if length > MAX_BODY:
            await self._send(writer, 413, {"error": {"message": "body too large"}}, close=True)
            return False
        body = await reader.readexactly(length) if length else b""
        keep = headers.get("connection", "").lower() != "close"
        if method == "POST" and path.rstrip("/").endswith("/chat/completions"):
            self.requests += 1
            try:
                model = json.loads(body or b"{}").get("model", "canned")
            except ValueError:
                await self._send(writer, 400, {"error": {"message": "bad json"}}, close=not keep)
                return keep
            await asyncio.sleep(self.latency)
            await self._send(writer, 200, completion(model, self.requests), close=not keep)
        elif method == "GET" and path == "/stats":
            stats = {"requests": self.requests, "open": self.open, "peak_open": self.peak_open}
            await self._send(writer, 200, stats, close=not keep)
        elif method == "GET" and path.rstrip("/").endswith("/models"):
            await self._send(writer, 200, {"object": "list", "data": [{"id": "canned", "object": "model"}]})
        else:
            await self._send(writer, 404, {"error": {"message": f"no route {method} {path}"}}, close=not keep)
        return keep

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, status: int, payload: dict, close: bool = False) -> None:
        data = json.dumps(payload).encode()
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 413: "Payload Too Large"}[status]
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nConnection: {'close' if close else 'keep-alive'}\r\n\r\n"
        )
        writer.write(head.encode() + data)
        await writer.drain()


def completion(model: str, n: int) -> dict:
    return {
        "id": f"chatcmpl-bench-{n}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": REPLY},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 200, "completion_tokens": 48, "total_tokens": 248},
    }


async def serve(port: int, latency: float, max_seconds: float) -> None:
    state = _Server(latency)
    server = await asyncio.start_server(state.handle, "127.0.0.1", port, backlog=512, limit=MAX_BODY)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.create_future()
    # the parent holds our stdin: when it exits (even killed) stdin closes and we stop
    loop.add_reader(sys.stdin.fileno(), lambda: stdin_closed.done() or _eof(stdin_closed))
    async with server:
        with suppress(TimeoutError):
            await asyncio.wait_for(stdin_closed, timeout=max_seconds)
    print(f"served {state.requests} requests, peak {state.peak_open} connections", file=sys.stderr)


def _eof(fut: asyncio.Future) -> None:
    if not os.read(sys.stdin.fileno(), 4096):
        fut.set_result(None)


@dataclass
class Handle:
    """A running server process."""

    proc: subprocess.Popen
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stats(self) -> dict:
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats", timeout=5) as r:
            return json.loads(r.read())


@contextmanager
def start_server(latency: float = 0.5, max_seconds: float = 1800) -> Iterator[Handle]:
    """Run the server in a child process for the duration of the ``with`` block."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--latency", str(latency)]
    cmd += ["--max-seconds", str(max_seconds)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"bench server did not start: {line!r}")
        yield Handle(proc, int(line.split()[1]))
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=0.5)
    ap.add_argument("--max-seconds", type=float, default=1800)
    args = ap.parse_args()
    asyncio.run(serve(args.port, args.latency, args.max_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
