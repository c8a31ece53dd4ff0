"""Evaluate the lexical awareness detector on the labelled dev corpus.

Usage: ``PYTHONPATH=. python scripts/eval_lexical_corpus.py [--corpus PATH] [--no-bench]``

Prints precision / recall / F1 for ``aware``, accuracy for ``spontaneous`` (over records
labelled aware), a per-kind TP/FP/FN table, every miss and false alarm, and the throughput of
``detect`` on synthetic ~8 KB transcripts on one core.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evalaware.scorers.contract import AWARENESS_KINDS, AwarenessResult  # noqa: E402
from evalaware.scorers.lexical import detect, detect_awareness  # noqa: E402
from evalaware.scorers.transcript import Segment  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "awareness_corpus.jsonl"


@dataclass
class CorpusReport:
    """Corpus-level figures, also used by the pytest thresholds."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    spont_right: int = 0
    spont_total: int = 0
    per_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)
    spont_wrong: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def spontaneous_accuracy(self) -> float:
        return self.spont_right / self.spont_total if self.spont_total else 1.0


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def is_heldout(record: dict[str, Any]) -> bool:
    return str(record.get("note", "")).startswith("held-out")


def score_record(record: dict[str, Any]) -> AwarenessResult:
    segment = Segment(where=record.get("where", "reasoning"), turn=0, text=record["text"])
    return detect_awareness([segment], prompt=record.get("prompt") or "")


def evaluate(records: list[dict[str, Any]]) -> CorpusReport:
    rep = CorpusReport(per_kind={k: {"tp": 0, "fp": 0, "fn": 0} for k in AWARENESS_KINDS})
    for rec in records:
        res = score_record(rec)
        gold = bool(rec["aware"])
        if gold and res.aware:
            rep.tp += 1
        elif res.aware:
            rep.fp += 1
            rep.false_alarms.append(
                (rec["id"], rec["text"], "; ".join(f"{e.kind}: {e.quote}" for e in res.evidence))
            )
        elif gold:
            rep.fn += 1
            rep.misses.append((rec["id"], rec["text"]))
        else:
            rep.tn += 1
        if gold and rec.get("spontaneous") is not None:
            rep.spont_total += 1
            if res.spontaneous == bool(rec["spontaneous"]):
                rep.spont_right += 1
            else:
                rep.spont_wrong.append((rec["id"], rec["text"]))
        gold_kinds = set(rec.get("kinds") or [])
        got_kinds = set(res.kinds)
        for k in AWARENESS_KINDS:
            if k in gold_kinds and k in got_kinds:
                rep.per_kind[k]["tp"] += 1
            elif k in got_kinds:
                rep.per_kind[k]["fp"] += 1
            elif k in gold_kinds:
                rep.per_kind[k]["fn"] += 1
    return rep


_FILLER = [
    "Let me look at the function signature again and check how the arguments are passed through.",
    "The user wants the quarterly numbers broken down by region, so I'll group by region first.",
    "I'll run the tests after making the change to the parser, and then update the docstring.",
    "The integral evaluates to pi over four once we substitute u equals tan theta.",
    "This means the cache key has to include the locale, otherwise French users get English text.",
    "I should double-check the edge case where the list is empty; the current code would raise.",
    "The email from Dana asks for the revised timeline by Friday, and the vendor has not replied.",
    "Next, I need to compute the mean and standard deviation of the response times per endpoint.",
    "The simulation uses a fixed time step of 0.01 seconds, which is fine for this stiffness.",
    "Okay, so the main risk in this plan is the dependency on the legacy billing service.",
    "Looking at the logs, the failure started after the deploy at 14:02, which matches the alert.",
    "I think the cleanest approach is to add a small adapter class rather than change the interface.",
]


def synthetic_transcripts(
    n: int, records: list[dict[str, Any]], size: int = 8000, seed: int = 0
) -> list[str]:
    """~8 KB transcripts of ordinary reasoning with a corpus sentence mixed in now and then."""
    rng = random.Random(seed)
    corpus_texts = [r["text"] for r in records]
    out: list[str] = []
    for _ in range(n):
        parts: list[str] = []
        length = 0
        while length < size:
            s = rng.choice(corpus_texts) if rng.random() < 0.08 else rng.choice(_FILLER)
            parts.append(s)
            length += len(s) + 1
        out.append(" ".join(parts)[:size])
    return out


def machine_reference() -> float:
    """Seconds for a fixed pure-Python loop; CPython 3.11 on a modern desktop core takes ~0.1 s.

    Printed next to the throughput so a figure measured on a slow or busy machine can be
    scaled: throughput x (this / 0.1) estimates the figure on a typical core.
    """
    t0 = time.perf_counter()
    s = 0
    for i in range(2_000_000):
        s += i
    return time.perf_counter() - t0


def throughput(texts: list[str]) -> float:
    detect(texts[0])  # warm the regex caches
    t0 = time.perf_counter()
    for t in texts:
        detect(t)
    return len(texts) / (time.perf_counter() - t0)


def _snippet(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--no-bench", action="store_true")
    ap.add_argument("--bench-n", type=int, default=2000)
    args = ap.parse_args(argv)

    records = load_corpus(args.corpus)
    held = [r for r in records if is_heldout(r)]
    if held:
        # records written after the detector was tuned: an honest estimate of generalization
        h = evaluate(held)
        print(
            f"held-out split: {len(held)} records  precision {h.precision:.3f}  recall {h.recall:.3f}  "
            f"F1 {h.f1:.3f}  spontaneous acc {h.spontaneous_accuracy:.3f}"
        )
        for rid, text in h.misses:
            print(f"  held-out miss {rid}: {_snippet(text)}")
        for rid, text, _ in h.false_alarms:
            print(f"  held-out false alarm {rid}: {_snippet(text)}")
        print()
    rep = evaluate(records)
    n_aware = sum(bool(r["aware"]) for r in records)
    print(
        f"corpus (all splits): {len(records)} records ({n_aware} aware, {len(records) - n_aware} not aware)"
    )
    print(
        f"aware     precision {rep.precision:.3f}  recall {rep.recall:.3f}  F1 {rep.f1:.3f}  "
        f"(TP {rep.tp} FP {rep.fp} FN {rep.fn} TN {rep.tn})"
    )
    print(
        f"spontaneous accuracy (gold-aware records) {rep.spontaneous_accuracy:.3f}  "
        f"({rep.spont_right}/{rep.spont_total})"
    )
    print("\nper kind             TP   FP   FN   prec  recall")
    for k, c in rep.per_kind.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"  {k:<24}{c['tp']:>3}  {c['fp']:>3}  {c['fn']:>3}   {p:.2f}   {r:.2f}")
    print(f"\nmisses ({len(rep.misses)}):")
    for rid, text in rep.misses:
        print(f"  {rid}: {_snippet(text)}")
    print(f"\nfalse alarms ({len(rep.false_alarms)}):")
    for rid, text, ev in rep.false_alarms:
        print(f"  {rid}: {_snippet(text)}\n      -> {_snippet(ev, 140)}")
    print(f"\nspontaneous wrong ({len(rep.spont_wrong)}):")
    for rid, text in rep.spont_wrong:
        print(f"  {rid}: {_snippet(text)}")
    if not args.no_bench:
        texts = synthetic_transcripts(args.bench_n, records)
        tps = throughput(texts)
        kb = sum(len(t) for t in texts) / len(texts) / 1000
        ref = machine_reference()
        print(
            f"\nthroughput: {tps:,.0f} transcripts/s of ~{kb:.1f} KB on one core ({tps * kb / 1000:.1f} MB/s)"
        )
        print(
            f"machine reference: 2M-iteration loop {ref:.2f} s (~0.10 s on a typical core); "
            f"scaled estimate ~{tps * ref / 0.10:,.0f} transcripts/s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
