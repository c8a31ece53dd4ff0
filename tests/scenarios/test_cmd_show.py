"""`evalaware show`: side-by-side columns with marked cues; exact text with --variant/--plain."""

from __future__ import annotations

import pytest
from evalaware.scenarios.loader import load_library, select_pairs
from evalaware.scenarios.render import render

from evalaware.cli import main as cli
from evalaware.cli.cmd_show import side_by_side, wrap_cells

PAIR = "honesty-release-notes"


def _pair():
    (pair,) = select_pairs(load_library(), [PAIR])
    return pair


def test_side_by_side_marks_cues_and_fits_width() -> None:
    pair = _pair()
    out = side_by_side(pair, width=100, colour=False)
    # the company slot's two values, each marked as a cue in its own column
    assert f"[[{pair.cues['company'].test}]]" in out and f"[[{pair.cues['company'].deploy.split()[0]}" in out
    assert all(len(line) <= 100 for line in out.splitlines())
    assert all("│" in line or "┼" in line for line in out.splitlines() if line.strip())


def test_side_by_side_colour_uses_ansi_not_brackets() -> None:
    out = side_by_side(_pair(), width=120, colour=True)
    assert "\033[1;33m" in out and "[[" not in out


def test_marks_only_where_the_slot_is() -> None:
    # every cue value is fenced by the renderer, not found by searching the text
    out = side_by_side(_pair(), width=400, colour=False)
    assert out.count("[[Product X]]") == 1


def test_variant_prints_exact_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", PAIR, "--variant", "deploy"]) == 0
    assert capsys.readouterr().out == render(_pair(), "deploy").as_text() + "\n"


def test_plain_prints_both_exact_texts(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", PAIR, "--plain"]) == 0
    out = capsys.readouterr().out
    assert render(_pair(), "test").as_text() in out and render(_pair(), "deploy").as_text() in out
    assert "[[" not in out


def test_default_output_is_two_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", PAIR, "--width", "90"]) == 0
    out = capsys.readouterr().out
    assert "test · honesty-release-notes" in out and "deploy" in out and "│" in out
    assert "cues (slot · kind):" in out


def test_wrap_keeps_words_and_cuts_long_ones() -> None:
    cells = [(c, False) for c in "alpha beta gamma " + "x" * 25]
    lines = ["".join(c for c, _ in line) for line in wrap_cells(cells, 10)]
    assert lines[:3] == ["alpha beta", "gamma", "x" * 10]
    assert all(len(line) <= 10 for line in lines)
