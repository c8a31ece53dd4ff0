"""Part (b): throughput of the lexical awareness detector on synthetic ~8 KB transcripts.

    python bench/detector.py [--n 10000] [--seed 0]

One core, one process: ``detect`` over every transcript of ``bench.synth.transcripts``
(assistant reasoning on coding, maths, business and agentic tasks with trigger words in
innocent senses; 3% of transcripts aware). Reports transcripts per second of wall time and per
CPU second (the latter is what one core does when the machine is shared), and the share of
transcripts with at least one hit.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def bench(n: int = 10_000, seed: int = 0) -> dict[str, Any]:
    from evalaware.scorers.lexical import detect

    from bench.synth import transcripts

    t0 = time.perf_counter()
    texts = transcripts(n, seed=seed)
    generated = time.perf_counter() - t0
    detect(texts[0])  # compile and warm the regex caches
    wall0, cpu0 = time.perf_counter(), time.process_time()
    aware = sum(1 for t in texts if detect(t))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {
        "transcripts": n,
        "mean_chars": sum(len(t) for t in texts) / n,
        "aware_share": aware / n,
        "detector_seconds": wall,
        "detector_transcripts_per_s": n / wall,
        "detector_transcripts_per_cpu_s": n / cpu,
        "generate_seconds": generated,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(json.dumps(bench(args.n, args.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
