"""Shared fixtures for the report tests: the committed fixture logs and one report built from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from evalaware.reports.build import ReportFiles, build_report

LOGS = Path(__file__).parents[1] / "fixtures" / "logs"


@pytest.fixture(scope="session")
def fixture_logs() -> Path:
    assert any(LOGS.glob("*.eval")), "fixture logs missing: run tests/fixtures/make_logs.py"
    return LOGS


@pytest.fixture(scope="session")
def report(fixture_logs: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    """The report over the fixture logs, built once per session (reading logs takes seconds)."""
    return build_report([fixture_logs], tmp_path_factory.mktemp("report"))
