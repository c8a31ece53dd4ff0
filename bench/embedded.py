"""Part (d): the zero-key default run, ``evalaware run`` with no model, timed end to end.

    python bench/embedded.py [--limit N] [--no-report]

Runs the console script in a fresh temp folder (as cwd, with ``--log-dir`` inside it) so no
earlier log is resumed, with ``--display none``. By default the report is built too, because
that is what a user running ``evalaware run`` gets; the figure is the wall time of the whole
command, Python start-up, model load and report included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def bench(limit: int | None = None, report: bool = True, pairs: str | None = None) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("evalaware")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "evalaware.cli.main"]
    cmd += ["run", "--display", "none"]
    if limit:
        cmd += ["--limit", str(limit)]
    if pairs:
        cmd += ["--pairs", pairs]
    if not report:
        cmd += ["--no-report"]
    with tempfile.TemporaryDirectory(prefix="bench-embedded-") as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        }
        t0 = time.perf_counter()
        out = subprocess.run(
            [*cmd, "--log-dir", str(Path(tmp) / "logs")],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        seconds = time.perf_counter() - t0
    lines = (out.stdout + out.stderr).strip().splitlines()
    result: dict[str, Any] = {
        "embedded_run_seconds": seconds,
        "embedded_exit_code": out.returncode,
        "embedded_command": " ".join(cmd[1:]),
        "embedded_output_tail": lines[-12:],
    }
    if out.returncode != 0:
        # A run that failed (no `local` extra, an unsafe build, a crash) measured nothing: its
        # time must not pass for a met target.
        last = next((ln for ln in reversed(lines) if ln.strip()), "no output")
        result["failed"] = f"`evalaware {result['embedded_command']}` exited {out.returncode}: {last}"
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--no-report", action="store_true")
    args = ap.parse_args()
    print(json.dumps(bench(args.limit, not args.no_report), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
