"""Golden outputs: the report's summary.md and samples.csv for the committed fixture logs, and
`evalaware scan` verdicts for fixed transcripts, logs and the labelled awareness corpus, must
stay byte-identical (after normalising the report's timestamp and the checkout's path).

They were frozen before the one-way-architecture refactor; a change that moves any of them
must regenerate them on purpose (``EVALAWARE_UPDATE_GOLDEN=1 pytest tests/test_golden.py``)
and say why in its commit.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from evalaware.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = FIXTURES / "golden"
UPDATE = os.environ.get("EVALAWARE_UPDATE_GOLDEN") == "1"


def _normalise(text: str) -> str:
    text = text.replace(str(ROOT), "<ROOT>")
    return re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "generated <TIME>", text)


def _check(name: str, produced: Path) -> None:
    got = _normalise(produced.read_text(encoding="utf-8"))
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8"), f"{name} differs from its golden copy"


def test_report_summary_and_tidy_table_are_unchanged(tmp_path: Path) -> None:
    assert main(["report", str(FIXTURES / "logs"), "-o", str(tmp_path / "report")]) == 0
    _check("summary.md", tmp_path / "report" / "summary.md")
    _check("samples.csv", tmp_path / "report" / "samples.csv")


@pytest.mark.parametrize(
    ("name", "source", "exit_code"),
    [
        ("scan_jsonl.jsonl", FIXTURES / "scan" / "transcripts.jsonl", 1),  # holds a malformed line
        ("scan_logs.jsonl", FIXTURES / "logs", 0),
        ("scan_corpus.jsonl", GOLDEN / "corpus_scan_input.jsonl", 0),
    ],
)
def test_scan_verdicts_are_unchanged(tmp_path: Path, name: str, source: Path, exit_code: int) -> None:
    out = tmp_path / name
    assert main(["scan", str(source), "-o", str(out)]) == exit_code
    _check(name, out)
