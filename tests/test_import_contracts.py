"""The one-way architecture is enforced: scripts/lint_imports.py runs import-linter's contracts
(pyproject.toml, [tool.importlinter]) on the installed layout, and fails on a planted
violation, naming it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "lint_imports.py"


def _lint(repo: Path) -> subprocess.CompletedProcess[str]:
    # A child process: the script swaps the evalaware modules for its copy of the tree.
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--repo", str(repo)], capture_output=True, text=True, timeout=300
    )


def _copy_tree(dest: Path) -> Path:
    for folder in ("evalaware", "scenarios", "scorers", "probes", "reports"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("*.yaml", "__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_the_tree_keeps_its_import_contracts() -> None:
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 2 kept, 0 broken." in out.stdout


@pytest.mark.parametrize(
    ("module", "planted", "expected"),
    [
        # a lower layer importing a higher one
        (
            "scorers/stats.py",
            "from evalaware.reports import markup  # planted\n",
            "evalaware.scorers is not allowed to import evalaware.reports",
        ),
        # two sibling modules importing each other
        (
            "scenarios/schema.py",
            "from evalaware.scenarios import loader  # planted\n",
            "No cycles are allowed in evalaware.scenarios",
        ),
    ],
)
def test_a_planted_violation_breaks_the_build(
    tmp_path: Path, module: str, planted: str, expected: str
) -> None:
    repo = _copy_tree(tmp_path)
    path = repo / module
    text = path.read_text(encoding="utf-8")
    # after the module docstring and `from __future__`, so the file stays valid Python
    anchor = "from __future__ import annotations\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + planted, 1), encoding="utf-8")
    out = _lint(repo)
    assert out.returncode == 1, out.stdout + out.stderr
    assert expected in out.stdout, out.stdout
