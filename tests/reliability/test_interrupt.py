"""Killing `evalaware run` mid-run, with Ctrl-C and then with SIGKILL, and running it again.

One sequence of three runs of the same command (the server's slow mode makes every kill
land mid-run deterministically):

1. four ``fast`` samples answer at once; ``late`` and ``stuck`` samples hang. Once the four
   are on disk, SIGINT.
2. the re-run asks only for the six unfinished samples; ``late`` ones now answer, ``stuck``
   ones hang again. Once the two ``late`` ones are on disk, SIGKILL.
3. the server heals; the re-run asks only for the two ``stuck`` samples and completes.

Every completed sample is requested exactly once over the whole sequence, and every sample
appears exactly once in what evalaware and its reports count.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from faults.harness import (
    ROOT,
    cli_env,
    current_samples,
    evalaware,
    fault_library,
    report_sample_keys,
    run_args,
    sample_counts,
)
from faults.server import OK, FaultServer, serve, slow

FAST = ["fast1", "fast2", "fast3", "fast4"]
LATE = ["late1", "late2"]  # hang in run 1, answer in run 2
STUCK = ["stuck1", "stuck2"]  # hang until the server heals
ALL = FAST + LATE + STUCK


def _persisted(log_dir: Path) -> set[str]:
    """Ids of completed samples the newest log on disk already holds."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    try:
        infos = list_eval_logs(str(log_dir))
        return {str(s.id) for s in read_eval_log(infos[0]).samples or [] if not s.error} if infos else set()
    except Exception:  # the log is being written: try again
        return set()


def _wait(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def _kill_when(
    args: list[str],
    env: dict[str, str],
    server: FaultServer,
    log_dir: Path,
    done: list[str],
    hanging: list[str],
    sig: int,
) -> tuple[int, str, str]:
    """Start the run; once every ``done`` sample is on disk and every ``hanging`` one is in
    flight, send ``sig``."""
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wanted = {f"fault-{m}:deploy" for m in done}
        assert _wait(lambda: wanted <= _persisted(log_dir), 90), "completed samples never reached the log"
        assert server.wait_for(lambda s: all(s.per_marker[m] for m in hanging), 30), "nothing in flight"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def test_sigint_then_sigkill_then_resume(tmp_path: Path) -> None:
    library = fault_library(tmp_path / "lib", ALL)
    log_dir = tmp_path / "logs"
    plans = {**{m: [slow(45), OK] for m in LATE}, **{m: [slow(45)] for m in STUCK}}
    for server in serve(plans=plans, max_seconds=200):
        env = cli_env(server.base_url, XDG_DATA_HOME=str(tmp_path / "xdg"))
        args = run_args(library, log_dir, "--variants", "deploy")

        # 1. Ctrl-C with four samples done and four in flight
        code, out, err = _kill_when(args, env, server, log_dir, FAST, LATE + STUCK, signal.SIGINT)
        assert code == 130, err[-2000:]
        assert "interrupted; completed samples are kept" in err
        assert "GAPS openai-api/fault/test: 4/8 samples complete" in out
        assert "Traceback" not in out + err
        assert dict(server.per_marker) == {m: 1 for m in ALL}

        # 2. the re-run asks only for the unfinished; SIGKILL once the late ones are done
        server.reset_counts()
        code, out, err = _kill_when(args, env, server, log_dir, FAST + LATE, STUCK, signal.SIGKILL)
        assert code == -signal.SIGKILL
        assert dict(server.per_marker) == {m: 1 for m in LATE + STUCK}

        # 3. healed: only the two samples that never finished are asked for
        server.heal()
        server.reset_counts()
        again = evalaware(args, env, timeout=120)
        assert again.returncode == 0, again.stderr[-2000:]
        assert dict(server.per_marker) == {m: 1 for m in STUCK}
        assert "GAPS" not in again.stdout

        samples = current_samples(log_dir)
        counts = sample_counts(samples)
        assert sorted(counts) == sorted((f"fault-{m}:deploy", 1) for m in ALL)
        assert set(counts.values()) == {1}
        assert not [s.id for s in samples if s.error]
        reported = report_sample_keys(log_dir)
        if reported is not None:
            assert reported == counts
        # The SIGKILLed run's log stays beside the resumed one (Inspect does not remove it);
        # the summary and the reports count one log per task, as asserted above.
        assert len(list(log_dir.glob("*.eval"))) == 2
