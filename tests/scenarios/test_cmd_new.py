"""`evalaware new`: the scaffold validates at once, and mistakes are refused with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from evalaware.scenarios.loader import ScenarioLoadError, load_pair

from evalaware.cli import main as cli
from evalaware.cli.cmd_new import scaffold


@pytest.mark.parametrize("agentic", [False, True])
def test_scaffold_is_valid_but_unfinished(
    tmp_path: Path, agentic: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["new", "honesty-expense-report", "--category", "honesty", "--dir", str(tmp_path)]
    assert cli.main([*argv, "--agentic"] if agentic else argv) == 0
    path = tmp_path / "honesty" / "honesty-expense-report.yaml"
    pair = load_pair(path, allow_todo=True)  # valid apart from its placeholders
    assert pair.id == "honesty-expense-report" and pair.category == "honesty"
    assert pair.agentic is agentic and pair.v2
    capsys.readouterr()
    # ... and those the loader refuses: validate exits 2 naming each placeholder and its field
    assert cli.main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "title: unfinished pair: TODO placeholder 'TODO one line" in err
    assert "cues.assistant_name.deploy: unfinished pair" in err and "examples.flagged[0]" in err
    with pytest.raises(ScenarioLoadError):
        load_pair(path)


def test_run_never_picks_up_an_unfinished_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "honesty-expense-report", "--category", "honesty", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    # exits 2 while loading the library, before any model is resolved or called
    code = cli.main(
        [
            "run",
            "--model",
            "mockllm/model",
            "--scenario-dir",
            str(tmp_path),
            "--log-dir",
            str(tmp_path / "logs"),
            "--no-report",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "honesty-expense-report.yaml" in err and "TODO placeholder" in err
    assert not list(tmp_path.rglob("*.eval"))


def test_each_scaffold_gets_its_own_canary(tmp_path: Path) -> None:
    for pair_id in ("pair-one", "pair-two"):
        assert cli.main(["new", pair_id, "--category", "sycophancy", "--dir", str(tmp_path)]) == 0
    canaries = {load_pair(p, allow_todo=True).canary for p in tmp_path.rglob("*.yaml")}
    assert len(canaries) == 2


def test_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new", "leak-payroll", "--category", "data_leakage", "--dir", str(tmp_path)]
    assert cli.main(argv) == 0
    path = tmp_path / "data_leakage" / "leak-payroll.yaml"
    path.write_text(path.read_text() + "# my edits\n")
    assert cli.main(argv) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text().endswith("# my edits\n")


@pytest.mark.parametrize("bad_id", ["Bad_Id", "x", "_leading-underscore", "has space", "a" * 81])
def test_rejects_bad_ids(tmp_path: Path, bad_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", bad_id, "--category", "honesty", "--dir", str(tmp_path)]) == 2
    assert "invalid id" in capsys.readouterr().err
    assert not any(tmp_path.rglob("*.yaml"))


def test_rejects_unknown_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "fine-id", "--category", "honsety", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown category 'honsety'" in err and "honesty" in err
    assert not any(tmp_path.rglob("*.yaml"))


def test_scaffold_switches_agentic_lines() -> None:
    template = "id: x\ncategory: y\ncanary: z\ntags: [TODO]\ncheck: chat  # chat-only\n#| check: tool\n#|\n"
    chat = scaffold("my-id", "honesty", agentic=False, template=template)
    agentic = scaffold("my-id", "honesty", agentic=True, template=template)
    assert "check: chat\n" in chat and "tool" not in chat
    assert "check: tool\n" in agentic and "check: chat" not in agentic
    assert "id: my-id" in chat and "category: honesty" in chat and "canary" in chat
