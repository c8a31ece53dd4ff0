"""A crash of the embedded model in native code never kills `evalaware run` silently: the
generation process dies alone, the sample becomes an error that names the crash and the
rebuild command, the CLI exits 1 with a GAPS line, and the same command resumes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from evalaware.probes.llama_worker import FAULT_ENV
from evalaware.probes.local_model import EmbeddedModelCrashed, _Worker

ROOT = Path(__file__).resolve().parents[2]

# A stand-in worker: answers the handshake, then dies of SIGSEGV on the first request.
SEGFAULTING_WORKER = (
    "import os, signal, sys\n"
    'print(\'{"ready": "CPU : AVX2 = 1 |"}\', flush=True)\n'
    "sys.stderr.write('Fatal Python error: Segmentation fault\\n')\n"
    "sys.stderr.write('  File llama_cpp/_internals.py, in decode\\n')\n"
    "sys.stderr.flush()\n"
    "sys.stdin.readline()\n"
    "os.kill(os.getpid(), signal.SIGSEGV)\n"
)


def test_a_native_crash_becomes_an_error_naming_it_and_the_fix() -> None:
    worker = _Worker("unused.gguf", 512, 1, command=[sys.executable, "-c", SEGFAULTING_WORKER])
    with pytest.raises(EmbeddedModelCrashed) as e:
        worker.generate({"messages": [], "prefill": None, "kwargs": {}})
    message = str(e.value)
    assert "crashed in native code (signal SIGSEGV)" in message
    assert "bash scripts/bootstrap.sh" in message and "resumes" in message
    assert "_internals.py, in decode" in message  # the model process's own last words
    # the next call starts a fresh process rather than writing to a dead pipe
    with pytest.raises(EmbeddedModelCrashed):
        worker.generate({"messages": [], "prefill": None, "kwargs": {}})
    worker.close()


def test_a_failed_load_is_a_clear_error_not_a_crash() -> None:
    script = 'print(\'{"error": "ValueError: Failed to load model from file"}\', flush=True)'
    worker = _Worker("missing.gguf", 512, 1, command=[sys.executable, "-c", script])
    with pytest.raises(Exception, match="could not be loaded: ValueError: Failed to load model"):
        worker.generate({"messages": [], "prefill": None, "kwargs": {}})


def _run(log_dir: Path, fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "evalaware.cli.main",
            "run",
            "--pairs",
            "sandbagging-chem-stoichiometry",
            "--max-tokens",
            "8",
            "--log-dir",
            str(log_dir),
            "--no-report",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )


@pytest.mark.embedded
def test_run_survives_a_segfaulting_model_and_resumes(tmp_path: Path) -> None:
    crashed = _run(tmp_path, fault="SIGSEGV")
    assert crashed.returncode == 1, crashed.stderr[-3000:]  # not -11: the CLI itself lived
    assert "crashed in native code (signal SIGSEGV)" in crashed.stderr
    assert "bash scripts/bootstrap.sh" in crashed.stderr
    assert "GAPS evalaware/smollm2: 0/2 samples complete, 2 errored" in crashed.stdout
    resumed = _run(tmp_path, fault=None)
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    assert "GAPS" not in resumed.stdout
    assert "2 samples done this run" in resumed.stderr
