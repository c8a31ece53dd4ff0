"""Part (a): evalaware's ``paired_probe`` against a plain Inspect task, same server, same inputs.

    python bench/inspect_overhead.py [--epochs 25] [--rounds 2] [--latency 0.5] [--connections 50]

The workload: the first ``PAIRS`` chat pairs of the shipped library (agentic pairs are left out,
so every sample is exactly one request; the server never calls tools either), both variants,
``epochs`` epochs: 20 pairs x 2 variants x 25 epochs = 1,000 samples. The plain task gets the
very same message lists (built from ``paired_probe``'s own dataset), the same epochs, a
``generate()`` solver and ``match()``; no metadata, no task config.

Each run is a fresh child process (so no run inherits another's warm caches or garbage), which
imports everything, runs a 2-sample warm-up eval of its own kind (Inspect's first ``eval()`` in
a process costs ~2-3 s of one-off set-up) and then times the full ``eval()`` -- task
construction included for evalaware, since loading the library is its overhead too. Runs
alternate A B A B ...; the figures are medians. Both use the same eval options: ``log_dir`` in a
temp folder, ``display="none"``, ``max_connections``, Inspect's defaults for everything else
(``log_realtime`` on, samples logged), and the same model client (SDK retries off).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAIRS = 20
SERVICE = "bench"
MODEL = f"openai-api/{SERVICE}/canned"
KINDS = ("evalaware", "inspect")
#: The plain task plus one part of what paired_probe adds, so ``bench/ab.py`` can price each
#: part against ``inspect`` (not timed by ``bench()``): ``inspect-meta`` gives every sample
#: paired_probe's own metadata; ``inspect-2scorers`` adds a second built-in scorer.
PARTS = ("inspect-meta", "inspect-2scorers")


def chat_pair_ids(n: int = PAIRS) -> list[str]:
    from evalaware.scenarios.loader import load_library

    # One model call per sample, so both tasks make the same requests: no tools, no follow-ups.
    chat = sorted(p.id for p in load_library() if not p.agentic and not p.multi_turn)
    if len(chat) < n:
        raise RuntimeError(f"the library has {len(chat)} chat pairs; the bench needs {n}")
    return chat[:n]


def evalaware_task(pairs: list[str], epochs: int) -> Any:
    from evalaware.probes.tasks import paired_probe

    return paired_probe(pairs=pairs, epochs=epochs)


def plain_samples(pairs: list[str], metadata: bool = False) -> list[Any]:
    """The exact message lists paired_probe sends, as plain samples (no metadata unless asked)."""
    from evalaware.probes.dataset import pair_dataset
    from evalaware.scenarios.loader import load_library, select_pairs
    from inspect_ai.dataset import Sample

    source = pair_dataset(select_pairs(load_library(), pairs, [], []))
    return [
        Sample(id=s.id, input=s.input, target="release notes", metadata=s.metadata if metadata else None)
        for s in source
    ]


def plain_task(samples: list[Any], epochs: int, scorers: int = 1) -> Any:
    """generate() + match(): what a plain Inspect task over the same inputs looks like."""
    from inspect_ai import Task
    from inspect_ai.dataset import MemoryDataset
    from inspect_ai.scorer import includes, match
    from inspect_ai.solver import generate

    scorer = [match(), includes()][:scorers]
    return Task(dataset=MemoryDataset(samples, name="plain"), solver=generate(), scorer=scorer, epochs=epochs)


def _child(
    kind: str, epochs: int, connections: int, log_dir: str, n_pairs: int, warmup: bool, live: bool
) -> dict[str, Any]:
    """One timed run, in this (fresh) process."""
    from inspect_ai import eval
    from inspect_ai.model import get_model

    pairs = chat_pair_ids(n_pairs)
    model = get_model(MODEL, max_retries=0)
    opts: dict[str, Any] = {"display": "none", "max_connections": connections}
    if not live:
        # headless: with display "none" nobody sees the live metrics Inspect recomputes every
        # 0.9 s; `evalaware run --display none` turns them off the same way
        opts["score_display"] = False
    if kind == "evalaware":
        warm_task, make = evalaware_task(pairs[:1], 1), lambda: evalaware_task(pairs, epochs)
    else:
        # a plain task's data is already in hand: build it before the clock starts
        samples = plain_samples(pairs, metadata=kind == "inspect-meta")
        scorers = 2 if kind == "inspect-2scorers" else 1
        warm_task, make = plain_task(samples[:2], 1, scorers), lambda: plain_task(samples, epochs, scorers)
    if warmup:
        (warm,) = eval(warm_task, model=model, log_dir=str(Path(log_dir) / "warm"), **opts)
        assert warm.status == "success", warm.error
    gc_time = _GcTimer()
    cpu0, t0 = time.process_time(), time.perf_counter()
    with gc_time:
        (log,) = eval(make(), model=model, log_dir=str(Path(log_dir) / "run"), **opts)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    if log.status != "success":
        raise RuntimeError(f"{kind} run ended {log.status}: {log.error}")
    n = len(log.samples or [])
    # CPU of the timed run (all threads) and the garbage collector's share of it: on a shared
    # VM the wall time moves with steal, these two say what the run itself cost
    return {"kind": kind, "seconds": seconds, "samples": n, "cpu_s": cpu, **gc_time.figures()}


class _GcTimer:
    """Time spent in the cyclic garbage collector, and collections per generation."""

    def __init__(self) -> None:
        self.seconds, self.counts, self._start = 0.0, [0, 0, 0], 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.counts[info["generation"]] += 1

    def __enter__(self) -> None:
        import gc

        gc.callbacks.append(self._callback)

    def __exit__(self, *exc: object) -> None:
        import gc

        gc.callbacks.remove(self._callback)

    def figures(self) -> dict[str, Any]:
        return {"gc_s": self.seconds, "gc_collections": list(self.counts)}


def child_env(base_url: str, root: Path = ROOT) -> dict[str, str]:
    """The environment of a child run: the bench server's URL and key, ``root`` importable first."""
    env = {**os.environ, f"{SERVICE.upper()}_API_KEY": "bench", f"{SERVICE.upper()}_BASE_URL": base_url}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    return env


def child_args(kind: str, epochs: int, connections: int, log_dir: str, n_pairs: int) -> list[str]:
    """This script's arguments for one timed child run (``--child``)."""
    args = ["--child", kind, "--epochs", str(epochs), "--connections", str(connections)]
    return [*args, "--log-dir", log_dir, "--pairs", str(n_pairs)]


def run_once(
    kind: str,
    epochs: int,
    connections: int,
    base_url: str,
    n_pairs: int = PAIRS,
    warmup: bool = True,
    live: bool = False,
) -> dict[str, Any]:
    env = child_env(base_url)
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as tmp:
        cmd = [sys.executable, __file__, *child_args(kind, epochs, connections, tmp, n_pairs)]
        cmd += [] if warmup else ["--no-warmup"]
        cmd += ["--live-metrics"] if live else []
        out = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(
    epochs: int = 25,
    rounds: int = 2,
    latency: float = 0.5,
    connections: int = 50,
    n_pairs: int = PAIRS,
    warmup: bool = True,
) -> dict[str, Any]:
    """Alternate evalaware / plain runs ``rounds`` times against one server, headless and
    with live metrics; medians and ratios (the headline figures are the headless ones)."""
    from bench.server import start_server

    modes = {"headless": False, "live_metrics": True}
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {(m, k): [] for m in modes for k in KINDS}
    with start_server(latency) as server:
        for _ in range(rounds):
            for mode, live in modes.items():
                for kind in KINDS:
                    r = run_once(kind, epochs, connections, server.base_url, n_pairs, warmup, live)
                    runs[mode, kind].append(r)
                    line = f"  {mode:<12} {kind:<9} {r['samples']:>5} samples  {r['seconds']:6.1f} s"
                    print(line, file=sys.stderr)
        requests = server.stats()["requests"]
    n = runs["headless", "evalaware"][0]["samples"]
    if any(r["samples"] != n for rs in runs.values() for r in rs):
        raise RuntimeError("evalaware and plain runs did not have the same number of samples")

    def figures(mode: str) -> dict[str, Any]:
        ev = statistics.median(r["seconds"] for r in runs[mode, "evalaware"])
        pl = statistics.median(r["seconds"] for r in runs[mode, "inspect"])
        return {
            "evalaware_seconds": ev,
            "inspect_seconds": pl,
            "ratio_vs_inspect": ev / pl,
            "evalaware_runs_s": [r["seconds"] for r in runs[mode, "evalaware"]],
            "inspect_runs_s": [r["seconds"] for r in runs[mode, "inspect"]],
            "evalaware_cpu_s": statistics.median(r["cpu_s"] for r in runs[mode, "evalaware"]),
            "inspect_cpu_s": statistics.median(r["cpu_s"] for r in runs[mode, "inspect"]),
            "evalaware_gc_s": statistics.median(r["gc_s"] for r in runs[mode, "evalaware"]),
            "inspect_gc_s": statistics.median(r["gc_s"] for r in runs[mode, "inspect"]),
            "runs": {k: runs[mode, k] for k in KINDS},
        }

    live = figures("live_metrics")
    return {
        "samples": n,
        "latency_s": latency,
        "max_connections": connections,
        "rounds": rounds,
        **figures("headless"),
        "ideal_seconds": n * latency / connections,
        "live_metrics": live,
        "ratio_vs_inspect_live_metrics": live["ratio_vs_inspect"],
        "server_requests": requests,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--latency", type=float, default=0.5)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--pairs", type=int, default=PAIRS, help="chat pairs (x2 variants x epochs samples)")
    ap.add_argument("--no-warmup", action="store_true", help="skip the warm-up eval in each run")
    ap.add_argument("--child", choices=KINDS + PARTS, help=argparse.SUPPRESS)
    ap.add_argument("--live-metrics", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--log-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        warm, live = not args.no_warmup, args.live_metrics
        res = _child(args.child, args.epochs, args.connections, args.log_dir, args.pairs, warm, live)
        print(json.dumps(res))
        return 0
    res = bench(args.epochs, args.rounds, args.latency, args.connections, args.pairs, not args.no_warmup)
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
