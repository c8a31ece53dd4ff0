"""The ``fault_server`` fixture: a fresh fault-injecting server per test, always closed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from faults.server import FaultServer, serve


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    yield from serve(max_seconds=180)
