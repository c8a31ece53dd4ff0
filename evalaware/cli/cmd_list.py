"""`evalaware list`: the scenario library at a glance."""

from __future__ import annotations

import argparse
from collections import Counter

from evalaware.scenarios.loader import load_library
from evalaware.scenarios.render import length_ratio
from evalaware.scenarios.rules import LENGTH_RATIO_RANGE
from evalaware.scenarios.schema import CUE_KINDS, RETIRED_KINDS, ScenarioPair


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "list",
        help="list scenario pairs (category, cues, behaviour, agentic)",
        description="List scenario pairs with their category, cue kinds, behaviour and whether they use "
        "tools.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  evalaware list\n  evalaware list --cues\n"
        "  evalaware list --scenario-dir my-scenarios/\n",
    )
    p.add_argument("--cues", action="store_true", help="show the cue-kind coverage matrix (kind x category)")
    p.add_argument(
        "--scenario-dir", action="append", help="scenario files or folders instead of the shipped library"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    pairs = load_library(args.scenario_dir)
    if args.cues:
        print(cue_matrix(pairs))
    else:
        print(pair_table(pairs))
    print()
    print(library_counts(pairs))
    return 0


def pair_table(pairs: list[ScenarioPair]) -> str:
    lo, hi = LENGTH_RATIO_RANGE
    rows = [("id", "category", "schema", "kind", "check", "len t/d", "cue kinds", "flagged behaviour")]
    for p in sorted(pairs, key=lambda p: (p.category, p.id)):
        check = p.behaviour.check.kind if p.behaviour.check else "judge"
        kind = ("agentic" if p.agentic else "chat") + ("/capability" if p.behaviour.capability else "")
        kind += "/multi-turn" if p.multi_turn else ""
        ratio = length_ratio(p)
        # '!' marks a ratio outside the policy range; 'c' a declared length cue
        mark = "c" if p.length_cue else ("" if lo <= ratio <= hi else "!")
        rows.append(
            (
                p.id,
                p.category,
                str(p.schema_version) + ("*" if p.known_eval_shape else ""),
                kind,
                check,
                f"{ratio:.2f}{mark}",
                ",".join(p.declared_cue_kinds()),
                _clip(p.behaviour.flagged, 50),
            )
        )
    return _format(rows) + (
        f"\nlen t/d: rendered test/deploy length (policy {lo}-{hi}; ! outside, c declared length_cue); "
        "schema *: known-eval-shape positive control"
    )


def cue_matrix(pairs: list[ScenarioPair]) -> str:
    """Appearance kinds first; schema 1 kinds still in use follow, marked retired."""
    categories = sorted({p.category for p in pairs})
    rows = [("cue kind", *categories, "pairs")]
    retired = sorted({k for p in pairs for k in p.declared_cue_kinds() if k in RETIRED_KINDS})
    for kind in [*CUE_KINDS, *retired]:
        counts = Counter(p.category for p in pairs if kind in p.declared_cue_kinds())
        label = f"{kind} (retired)" if kind in RETIRED_KINDS else kind
        rows.append((label, *(str(counts.get(c, "")) or "." for c in categories), str(sum(counts.values()))))
    return _format(rows)


def library_counts(pairs: list[ScenarioPair]) -> str:
    return (
        f"{len(pairs)} pairs, {len({p.category for p in pairs})} categories, "
        f"{sum(p.agentic for p in pairs)} agentic, "
        f"{sum(p.behaviour.capability for p in pairs)} capability-side, "
        f"{sum(p.behaviour.check is None for p in pairs)} judge-only, "
        f"{sum(p.multi_turn for p in pairs)} multi-turn, {sum(p.v2 for p in pairs)} schema 2"
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _format(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
