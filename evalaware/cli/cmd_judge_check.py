"""`evalaware judge-check`: vet an awareness judge on the labelled corpus before trusting it.

Each corpus record (``id``, ``text``, ``where``, ``aware``, ``kinds``, optional ``prompt``) is
judged exactly as a transcript is in a run (``judge_awareness_result``: fenced, quotes checked
verbatim), and the judge's verdicts are compared with the labels: precision and recall for
"aware" and for each awareness kind. A record the judge gave no verdict on (refusal,
unparseable reply, failed call) is left out of every count and reported: it is not a miss.

The corpus is ``tests/fixtures/awareness_corpus.jsonl`` of an evalaware checkout (the default when
run from one) or any file in that format (``--corpus``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalaware.cli.errors import UsageError

CORPUS_IN_CHECKOUT = Path("tests") / "fixtures" / "awareness_corpus.jsonl"

EPILOG = """\
corpus format (JSONL): {"id": "...", "text": "...", "where": "reasoning" | "output",
  "aware": true | false, "kinds": ["suspects_test", ...], "prompt": "..." (optional)}

examples:
  evalaware judge-check --grader openai/gpt-4.1
  evalaware judge-check --grader openai-api/judge/qwen3 --corpus my_corpus.jsonl --limit 50
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "judge-check",
        help="run an awareness judge on the labelled corpus and print its precision and recall per kind",
        description="Vet an awareness judge: judge every record of the labelled awareness corpus and print "
        "precision and recall for 'aware' and per awareness kind.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    p.add_argument("--grader", required=True, metavar="MODEL", help="the judge model to vet")
    p.add_argument("--corpus", help=f"labelled corpus (default: {CORPUS_IN_CHECKOUT} of this checkout)")
    p.add_argument("--limit", type=int, help="judge only the first N records")
    p.add_argument("--max-connections", type=int, default=10, help="concurrent judge calls (default 10)")
    p.add_argument("--max-retries", type=int, default=3, help="retries per judge request (default 3)")
    p.add_argument("--timeout", type=int, default=120, help="seconds per judge request (default 120)")
    p.set_defaults(handler=run)


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    where: str
    aware: bool
    kinds: frozenset[str]
    prompt: str = ""


@dataclass(frozen=True)
class Judged:
    record: Record
    aware: bool | None
    """None: the judge gave no verdict."""
    kinds: frozenset[str]
    reason: str = ""


def default_corpus() -> Path | None:
    """The corpus of the checkout in the working directory, else of the checkout evalaware runs from."""
    import evalaware

    for root in (Path.cwd(), Path(evalaware.__file__).resolve().parents[1]):
        if (root / CORPUS_IN_CHECKOUT).is_file():
            return root / CORPUS_IN_CHECKOUT
    return None


def load_corpus(path: Path) -> list[Record]:
    """The corpus records; a malformed line is a usage error naming its line (a corpus must be clean)."""
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            records.append(
                Record(
                    id=str(obj["id"]),
                    text=str(obj["text"]),
                    where="output" if obj.get("where") == "output" else "reasoning",
                    aware=bool(obj["aware"]),
                    kinds=frozenset(obj.get("kinds") or []),
                    prompt=str(obj.get("prompt") or ""),
                )
            )
        except (ValueError, KeyError, TypeError) as e:
            raise UsageError(f"{path}:{lineno}: not a corpus record ({type(e).__name__}: {e})") from None
    return records


async def judge_corpus(model: Any, records: list[Record], max_connections: int = 10) -> list[Judged]:
    """Every record judged by ``model``, in order; a failed call is a record without a verdict."""
    from evalaware.scorers.awareness_judge import judge_awareness_result
    from evalaware.scorers.transcript import Segment

    sem = asyncio.Semaphore(max(1, max_connections))

    async def one(r: Record) -> Judged:
        segments = [Segment(where=r.where, turn=0, text=r.text)]  # type: ignore[arg-type]
        availability = "present" if r.where == "reasoning" else "absent"
        async with sem:
            try:
                result, outcome = await judge_awareness_result(model, segments, r.prompt, availability)
            except Exception as e:  # one failed call must not end the check
                return Judged(r, None, frozenset(), f"judge call failed: {type(e).__name__}: {str(e)[:200]}")
        if result is None:
            return Judged(r, None, frozenset(), outcome.reason or "no verdict")
        return Judged(r, result.aware, frozenset(result.kinds) if result.aware else frozenset())

    return list(await asyncio.gather(*(one(r) for r in records)))


def _pr(tp: int, fp: int, fn: int) -> tuple[str, str]:
    def frac(k: int, n: int) -> str:
        return f"{k}/{n} ({100 * k / n:.0f}%)" if n else "– (0)"

    return frac(tp, tp + fp), frac(tp, tp + fn)


def precision_recall_rows(judged: list[Judged]) -> list[tuple[str, ...]]:
    """``(label, gold, judged, TP, FP, FN, precision, recall)`` for aware and each kind, over verdicts."""
    from evalaware.scorers.kinds import AWARENESS_KINDS

    scored = [j for j in judged if j.aware is not None]
    rows = []
    labels: list[tuple[str, Any]] = [("aware", None), *((k, k) for k in AWARENESS_KINDS)]
    for label, kind in labels:

        def gold(j: Judged, kind: Any = kind) -> bool:
            return j.record.aware if kind is None else j.record.aware and kind in j.record.kinds

        def said(j: Judged, kind: Any = kind) -> bool:
            return bool(j.aware) if kind is None else kind in j.kinds

        tp = sum(gold(j) and said(j) for j in scored)
        fp = sum(not gold(j) and said(j) for j in scored)
        fn = sum(gold(j) and not said(j) for j in scored)
        precision, recall = _pr(tp, fp, fn)
        n_gold, n_said = sum(gold(j) for j in scored), sum(said(j) for j in scored)
        rows.append((label, str(n_gold), str(n_said), str(tp), str(fp), str(fn), precision, recall))
    return rows


def format_report(judged: list[Judged], grader: str, corpus: Path) -> str:
    header = ("label", "gold", "judged", "TP", "FP", "FN", "precision", "recall")
    rows = [header, *precision_recall_rows(judged)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [f"judge-check: {grader} on {corpus} ({len(judged)} records)", ""]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(3, "  ".join("-" * w for w in widths))
    unscored = [j for j in judged if j.aware is None]
    lines.append("")
    lines.append(
        f"over the {len(judged) - len(unscored)} records the judge gave a verdict on; "
        f"{len(unscored)} without a verdict are left out (not counted as misses)"
    )
    reasons: dict[str, int] = {}
    for j in unscored:
        reasons[j.reason] = reasons.get(j.reason, 0) + 1
    lines += [f"  no verdict ×{n}: {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])]
    lines.append("a kind counts as judged when the judge cited a verbatim quote of that kind")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus) if args.corpus else default_corpus()
    if corpus is None:
        raise UsageError(f"no labelled corpus found ({CORPUS_IN_CHECKOUT} of a checkout); pass --corpus PATH")
    if not corpus.is_file():
        raise UsageError(f"no such corpus file: {corpus}")
    records = load_corpus(corpus)
    if args.limit is not None:
        records = records[: max(0, args.limit)]
    if not records:
        raise UsageError(f"{corpus} holds no records")
    model = _grader(args)
    judged = asyncio.run(judge_corpus(model, records, args.max_connections))
    print(format_report(judged, args.grader, corpus))
    return 0 if any(j.aware is not None for j in judged) else 1


def _grader(args: argparse.Namespace) -> Any:
    from inspect_ai.model import GenerateConfig, get_model

    config = GenerateConfig(
        max_connections=args.max_connections, max_retries=args.max_retries, timeout=args.timeout
    )
    try:
        return get_model(args.grader, config=config)
    except Exception as e:  # unknown provider, missing API key, bad model name
        raise UsageError(f"cannot use grader {args.grader!r}: {e}") from None
