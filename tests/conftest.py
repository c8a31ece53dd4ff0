"""Test-wide fixtures.

mockllm counts tokens with tiktoken when a scripted output has no usage, and tiktoken tries
to download its vocabulary, which fails offline; a constant count is all tests need.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"

# Inspect writes to ~/.inspect and reads INSPECT_* variables; keep tests hermetic.
os.environ.setdefault("INSPECT_LOG_LEVEL", "warning")


@pytest.fixture(autouse=True)
def _offline_token_counting(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspect_ai.model._model import ModelAPI

    async def count_text_tokens(self: object, text: str) -> int:
        return max(1, len(text) // 4)

    monkeypatch.setattr(ModelAPI, "count_text_tokens", count_text_tokens, raising=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
