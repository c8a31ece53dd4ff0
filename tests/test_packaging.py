"""A plain (non-editable) install works: build the wheel, install it into a fresh venv
outside the repo, and run the CLI and `inspect eval` from there."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work),
            str(ROOT),
        ],
        check=True,
        cwd=work,
    )
    (wheel,) = work.glob("evalaware-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # Dependencies come from the test environment (no network needed), but through a
    # plain path entry: the editable install's finder there is *not* activated, so the
    # only evalaware the fresh venv can import is the wheel's.
    site = Path(
        subprocess.check_output(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    return venv


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["INSPECT_LOG_LEVEL"] = "warning"
    return env


def test_wheel_ships_the_scenarios_and_cli(fresh_venv: Path, tmp_path: Path) -> None:
    where = subprocess.check_output(
        [
            str(fresh_venv / "bin" / "python"),
            "-c",
            "import evalaware.probes, evalaware.scenarios as s; print(evalaware.probes.__file__, s.__file__)",
        ],
        text=True,
        cwd=tmp_path,
        env=_env(),
    )
    assert str(fresh_venv) in where and str(ROOT) not in where
    out = subprocess.run(
        [str(fresh_venv / "bin" / "evalaware"), "list"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
    )
    assert out.returncode == 0, out.stderr
    assert "honesty-release-notes" in out.stdout and " pairs, " in out.stdout


def test_wheel_adds_only_the_evalaware_package(fresh_venv: Path) -> None:
    """Installed, every folder lives under ``evalaware.*``: no generic top-level ``probes``,
    ``scorers``, ``reports`` or ``scenarios`` package that a user's own folders could shadow."""
    site = Path(
        subprocess.check_output(
            [
                str(fresh_venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            text=True,
        ).strip()
    )
    top = {
        p.name for p in site.iterdir() if p.is_dir() and not p.name.endswith((".dist-info", "__pycache__"))
    }
    top |= {p.stem for p in site.glob("*.py")}
    assert top - {"pip", "_distutils_hack", "setuptools", "pkg_resources"} == {"evalaware"}
    pkg = site / "evalaware"
    for sub in ("cli", "scenarios", "scorers", "probes", "reports", "reports/sections"):
        assert (pkg / sub / "__init__.py").is_file(), sub
    assert list((pkg / "scenarios").glob("*/*.yaml")), "the scenario library is not in the wheel"


@pytest.mark.embedded
def test_inspect_eval_finds_the_task_and_provider_outside_the_repo(fresh_venv: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [
            # the `inspect` script belongs to the test environment's install; run Inspect's
            # CLI with the fresh venv's interpreter so the wheel's entry point is the one found
            str(fresh_venv / "bin" / "python"),
            "-m",
            "inspect_ai",
            "eval",
            "evalaware/paired_probe",
            "--model",
            "evalaware/smollm2",
            "-T",
            "pairs=sandbagging-chem-stoichiometry",
            "-T",
            "variants=deploy",
            "--max-tokens",
            "24",
            "--log-dir",
            str(tmp_path / "logs"),
            "--display",
            "plain",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert list((tmp_path / "logs").glob("*.eval"))
