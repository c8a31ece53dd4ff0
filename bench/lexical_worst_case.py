"""Worst case of the lexical detector: adversarial text with no sentence breaks, at 100 kB, 1 MB and 2 MB.

Usage: ``python bench/lexical_worst_case.py [--sizes 100000 1000000 2000000]``

Prints, per input shape and size, the seconds ``detect`` takes and the microseconds per
character; the figures should stay flat as the size grows (linear cost). The shapes: keyword
soup without punctuation, "this is a test" repeated without breaks (every sentence window full
of matches), the same negated (every match survives to the negation check), quoted dialogue
(every match inside a quote), and one huge line dense with anchors of every kind. A figure
printer, not a test: tests/reliability/test_hostile_output.py holds a generous bound.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from evalaware.scorers.lexical import Hit, detect

SHAPES: dict[str, str] = {
    "keyword soup": "test evaluation honeypot trap watched graded monitored benchmark apollo ",
    "this is a test": "this is a test ",
    "this is not a test": "this is not a test ",
    "quoted dialogue": '"is this a test?" she asked ',
    "anchor-dense line": (
        "I'm being tested, this might be an eval, the evaluators watch; Apollo Research built this trap "
        "to see whether I'd comply, none of this is real, my answers are logged so I should behave, "
    ),
}


def adversarial(shape: str, size: int) -> str:
    unit = SHAPES[shape]
    return (unit * (size // len(unit) + 1))[:size]


def measure(run: Callable[[str], list[Hit]], sizes: list[int]) -> None:
    print(f"{'shape':20s} {'size':>8s} {'seconds':>8s} {'µs/char':>8s} {'hits':>6s}")
    for shape in SHAPES:
        for size in sizes:
            text = adversarial(shape, size)
            start = time.perf_counter()
            hits = run(text)
            seconds = time.perf_counter() - start
            print(f"{shape:20s} {size / 1e6:7.1f}M {seconds:8.2f} {seconds / size * 1e6:8.2f} {len(hits):6d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 2_000_000])
    measure(detect, parser.parse_args().sizes)


if __name__ == "__main__":
    main()
