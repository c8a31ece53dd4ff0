"""The upstream what-ifs that bench/ab.py prices must leave Inspect's output unchanged."""

from __future__ import annotations

import random
from pathlib import Path

import inspect_ai.log._log as log_module
import inspect_ai.log._util as util_module
import pytest
from inspect_ai.log import EvalSampleSummary
from inspect_ai.scorer import Score

from bench import ab
from bench.what_if import apply_no_results_render_headless, apply_thin_text_fast_path, fast_thin_text

# ASCII and Unicode whitespace (NBSP, em space, line separator) that textwrap and str.split
# might treat differently, plus ordinary characters
_ALPHABET = "ab c\n\t\r\x0b\x0c  é.\u00a0\u2003\u2028x"


def _texts(n: int, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    width = util_module.THIN_TEXT_WIDTH
    lengths = [0, 1, width - 1, width, width + 1, 3 * width, util_module.THIN_TEXT_SCAN + 50]
    lengths += [rnd.randint(0, 2 * width) for _ in range(n)]
    return ["".join(rnd.choice(_ALPHABET) for _ in range(k)) for k in lengths]


def test_fast_thin_text_matches_inspects_thin_text() -> None:
    fast = fast_thin_text(util_module.THIN_TEXT_WIDTH, util_module.THIN_TEXT_SCAN)
    for text in _texts(2000):
        assert fast(text) == util_module.thin_text(text), repr(text[:80])
    # the fast path is taken, and still collapses whitespace the way textwrap.shorten does
    assert fast("  a \n\t b\u00a0c  ") == util_module.thin_text("  a \n\t b\u00a0c  ") == "a b c"


def test_applied_what_if_gives_the_same_summaries(monkeypatch: pytest.MonkeyPatch) -> None:
    def summary() -> EvalSampleSummary:
        metadata = {"text": "x  y\nz " * 40, "long": "word " * 400, "n": 3, "cues": ["a  b", "c"]}
        score = Score(value={"aware": 0}, explanation="not \n aware " * 30, metadata={"why": "a\tb"})
        return EvalSampleSummary(
            id="s", epoch=1, input="in", target="t", metadata=metadata, scores={"aw": score}
        ).thin_data()

    before = summary().model_dump()
    # registered first, so monkeypatch puts Inspect's own function back after the test
    monkeypatch.setattr(util_module, "thin_text", util_module.thin_text)
    monkeypatch.setattr(log_module, "thin_text", log_module.thin_text)
    apply_thin_text_fast_path()
    assert util_module.thin_text.__module__ == log_module.thin_text.__module__ == "bench.what_if"
    assert summary().model_dump() == before


def test_ab_applies_a_what_if_to_both_sides_and_rejects_unknown_names() -> None:
    root = Path(__file__).resolve().parents[2]
    res = ab.compare(
        (root, "inspect"),
        (root, "evalaware"),
        rounds=1,
        epochs=1,
        latency=0.01,
        n_pairs=1,
        what_if=["thin-text-fast-path"],
    )
    assert res["what_if"] == ["thin-text-fast-path"] and len(res["cpu_ratios"]) == 1
    with pytest.raises(ValueError, match="unknown --what-if"):
        ab.compare((root, "inspect"), (root, "evalaware"), rounds=1, what_if=["faster-please"])


def test_results_render_is_skipped_only_when_nothing_can_be_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect_ai._display.rich.display as rich_display

    calls: list[object] = []
    monkeypatch.setattr(rich_display, "tasks_results", lambda tasks: calls.append(tasks) or "table")
    apply_no_results_render_headless()
    monkeypatch.setattr("inspect_ai.util._display._display_type", "none")
    assert rich_display.tasks_results(["t"]) == "" and calls == []
    monkeypatch.setattr("inspect_ai.util._display._display_type", "rich")
    assert rich_display.tasks_results(["t"]) == "table" and calls == [["t"]]


def test_ab_child_applies_the_what_if_before_running_its_script(tmp_path: Path) -> None:
    """The child entry point, run as ab.py runs it, patches Inspect before the script starts."""
    import subprocess
    import sys

    script = tmp_path / "probe.py"
    script.write_text("import inspect_ai.log._util as u\nprint(u.thin_text.__module__)\n")
    cmd = [sys.executable, ab.__file__, "--cached-child", "--what-if=thin-text-fast-path", str(script)]
    patched = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    assert patched.stdout.strip() == "bench.what_if"
    cmd.remove("--what-if=thin-text-fast-path")
    plain = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    assert plain.stdout.strip() == "inspect_ai.log._util"
