"""Compare part (a)'s cost between two checkouts (or kinds) to a few percent: a developer's tool.

    python bench/ab.py /path/to/old:evalaware /path/to/new:evalaware [--rounds 6] [--epochs 10]
    python bench/ab.py .:inspect .:evalaware            # evalaware against the plain task

Each side is ``ROOT:KIND``: a checkout of this repository and the part (a) task to run from
it (``evalaware`` or ``inspect``, or ``inspect-meta`` / ``inspect-2scorers``, the plain
task plus one piece of what evalaware adds; see ``inspect_overhead.py``). On this VM
sequential runs of the *same* code differ by 10-20% as its speed drifts, which hides any
change smaller than that. So each round starts both sides *at once*, one core each, against
one server, and reports the round's CPU ratio B/A: a slowdown of the machine hits both alike
(same code on both sides: median 1.00, sd ~0.03 per round at 400 samples). The order in
which the two are started alternates.

Each child caches ``importlib.metadata.packages_distributions``: when a side's task module
lies outside the editable install (any ``git worktree``), Inspect scans every installed
distribution on each ``eval()`` (~0.85 s here), which the installed tree does not pay. With
the cache the warm-up eval pays it once and the timed eval does not, on both sides alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.inspect_overhead import KINDS, PAIRS, PARTS, child_args, child_env  # noqa: E402
from bench.what_if import WHAT_IF  # noqa: E402


def parse_side(text: str) -> tuple[Path, str]:
    root, _, kind = text.rpartition(":")
    path = Path(root or ".").resolve()
    if kind not in KINDS + PARTS or not (path / "bench" / "inspect_overhead.py").is_file():
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected ROOT:KIND with ROOT a checkout of this repository "
            f"and KIND one of {KINDS + PARTS}"
        )
    return path, kind


def _run_cached_child(argv: list[str]) -> None:
    """Run ``inspect_overhead.py --child ...`` with the distribution scan cached, after applying
    any leading ``--what-if=NAME`` (see ``what_if.py``)."""
    import functools
    import runpy

    import inspect_ai._util.package as package

    package.packages_distributions = functools.lru_cache(maxsize=None)(package.packages_distributions)
    while argv and argv[0].startswith("--what-if="):
        WHAT_IF[argv.pop(0).removeprefix("--what-if=")]()
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")


def compare(
    a: tuple[Path, str],
    b: tuple[Path, str],
    rounds: int = 6,
    epochs: int = 10,
    latency: float = 0.5,
    connections: int = 50,
    n_pairs: int = PAIRS,
    what_if: Sequence[str] = (),
) -> dict[str, Any]:
    """``rounds`` concurrent runs of A and B; ``what_if`` names upstream Inspect changes (keys of
    ``what_if.WHAT_IF``) applied to both sides."""
    from bench.server import start_server

    unknown = set(what_if) - set(WHAT_IF)
    if unknown:
        raise ValueError(f"unknown --what-if {sorted(unknown)}; known: {sorted(WHAT_IF)}")

    runs: dict[str, list[dict[str, Any]]] = {"a": [], "b": []}
    with start_server(latency) as server:
        for i in range(rounds):
            order = ("a", "b") if i % 2 == 0 else ("b", "a")
            procs = {}
            with tempfile.TemporaryDirectory(prefix="bench-ab-") as tmp:
                for side in order:
                    root, kind = a if side == "a" else b
                    # the side's own copy of the child script, its checkout first on the path
                    script = root / "bench" / "inspect_overhead.py"
                    args = child_args(kind, epochs, connections, str(Path(tmp) / side), n_pairs)
                    procs[side] = subprocess.Popen(
                        [
                            *(sys.executable, __file__, "--cached-child"),
                            *(f"--what-if={name}" for name in what_if),
                            *(str(script), *args),
                        ],
                        env=child_env(server.base_url, root),
                        cwd=tmp,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    )
                try:
                    for side, proc in procs.items():
                        out, err = proc.communicate(timeout=1800)
                        if proc.returncode != 0:
                            raise RuntimeError(f"side {side} failed:\n{err[-3000:]}")
                        runs[side].append(json.loads(out.strip().splitlines()[-1]))
                finally:  # a failed or timed-out side must not leave the other running
                    for proc in procs.values():
                        if proc.poll() is None:
                            proc.kill()
                            proc.wait()
            ra, rb = runs["a"][-1], runs["b"][-1]
            print(
                f"  round {i}: A cpu {ra['cpu_s']:6.2f} s  B cpu {rb['cpu_s']:6.2f} s  "
                f"B/A {rb['cpu_s'] / ra['cpu_s']:.3f}",
                file=sys.stderr,
            )
    cpu = [b_["cpu_s"] / a_["cpu_s"] for a_, b_ in zip(runs["a"], runs["b"], strict=True)]
    wall = [b_["seconds"] / a_["seconds"] for a_, b_ in zip(runs["a"], runs["b"], strict=True)]
    return {
        "a": f"{a[0]}:{a[1]}",
        "b": f"{b[0]}:{b[1]}",
        "what_if": list(what_if),
        "samples": runs["a"][0]["samples"],
        "rounds": rounds,
        "cpu_ratio_median": statistics.median(cpu),
        "cpu_ratio_mean": statistics.mean(cpu),
        "cpu_ratio_sd": statistics.stdev(cpu) if len(cpu) > 1 else 0.0,
        "wall_ratio_median": statistics.median(wall),
        "cpu_ratios": cpu,
        "runs": runs,
    }


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--cached-child":
        _run_cached_child(sys.argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=parse_side, help="ROOT:KIND of side A (the reference)")
    ap.add_argument("b", type=parse_side, help="ROOT:KIND of side B")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--epochs", type=int, default=10, help="20 pairs x 2 variants x epochs samples")
    ap.add_argument("--latency", type=float, default=0.5)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--pairs", type=int, default=PAIRS)
    ap.add_argument(
        "--what-if",
        action="append",
        default=[],
        choices=sorted(WHAT_IF),
        help="apply this upstream Inspect change (see what_if.py) to both sides; repeatable",
    )
    ap.add_argument("--json", help="also write the result here")
    args = ap.parse_args()
    res = compare(
        args.a, args.b, args.rounds, args.epochs, args.latency, args.connections, args.pairs, args.what_if
    )
    print(
        f"B/A CPU per round: median {res['cpu_ratio_median']:.3f}, mean {res['cpu_ratio_mean']:.3f}, "
        f"sd {res['cpu_ratio_sd']:.3f} over {res['rounds']} rounds of {res['samples']} samples "
        f"(wall median {res['wall_ratio_median']:.3f})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
