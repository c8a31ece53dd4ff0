"""Fixtures: ``fault_server`` (a fresh fault-injecting server per test) and ``api_server`` (a
factory of scripted Responses / Messages / Chat Completions servers), always closed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from faults.api_server import ApiServer, Reply
from faults.server import FaultServer, serve


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    yield from serve(max_seconds=180)


@pytest.fixture
def api_server() -> Iterator[Callable[..., ApiServer]]:
    """``api_server(reply=Reply(...) or body -> Reply, **kwargs)`` starts a server; all close at teardown.

    For reasoning tests: ``Reply(summary=...)`` is a Responses reasoning item with a summary,
    ``Reply(encrypted=ENCRYPTED)`` one with encrypted content and no text (Anthropic: a
    ``redacted_thinking`` block), ``Reply(reasoning=...)`` readable reasoning (Anthropic
    ``thinking``, chat ``reasoning_content``).
    """
    started: list[ApiServer] = []

    def start(reply: Reply | Callable[[dict[str, Any]], Reply] | None = None, **kwargs: Any) -> ApiServer:
        server = ApiServer(reply=reply or Reply(), **kwargs).start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.close()
