"""`evalaware plan`: what a run can detect and what it will cost, before anything is spent.

Power (80%, two-sided α 0.05, the designs the report uses):

- behaviour delta (deploy − test): the paired design, a t test over pairs of each pair's delta
  (its epochs averaged). Per pair, var(d) = τ² + 2·p(1 − p)/e: τ is the SD of the true delta
  across pairs (``--pair-sd``), p(1 − p)/e the binomial noise of each variant's epoch mean at
  the flagged rate p (``--base-rate``; 0.5, the default, is the worst case). MDE = (t₀.₉₇₅ +
  t₀.₈₀, df = pairs − 1) · sd(d) / √pairs.
- awareness gap (test − deploy): two independent rates over samples (epoch means), deploy rate
  ``--aware-rate``, per-sample variance τ² + a(1 − a)/e; normal approximation, solved for the
  smallest gap with 80% power.

With ``--target-delta`` (or ``--target-gap``) it gives the epochs needed over the selected
pairs, or says that no number of epochs reaches it because τ sets a floor (more pairs do).

Cost: tokens are estimated from the rendered prompts by the chars/4 rule (about four
characters per token for English under the common BPE tokenizers; no tokenizer is available
offline here, so the rule is the estimate, not a count). A sample's calls each re-send the
conversation so far: single-turn chat is one call; multi-turn chat one per follow-up more;
agentic pairs ``--agent-calls`` calls (bounded by the pair's ``max_turns``), each adding the
mean canned tool result. Every call writes ``--output-tokens`` (reasoning included: that is
what providers bill). Judges read each transcript plus their instructions
(``JUDGE_OVERHEAD_TOKENS``) and write ``--judge-output-tokens``. Money only with
``--price-in``/``--price-out`` (USD per million tokens): no price list is kept here, prices
change; the judge is priced with ``--grader-price-in/-out`` if given, else the same prices.
Local models (``evalaware/...``: the embedded model, the organisms) cost nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evalaware.cli.errors import UsageError
from evalaware.probes.args import as_list
from evalaware.probes.constants import DEFAULT_MODEL
from evalaware.scenarios.loader import load_library, select_pairs
from evalaware.scenarios.render import render
from evalaware.scenarios.schema import ScenarioPair

__all__ = ["CostPlan", "add_plan_options", "confirm_plan", "make_plan", "mde_delta", "mde_gap", "register"]

CHARS_PER_TOKEN = 4
#: The judge's instructions, rubric and answer format around a transcript (a stated estimate).
JUDGE_OVERHEAD_TOKENS = 700
POWER, ALPHA = 0.80, 0.05
DEFAULT_CONFIRM_USD = 5.0


def tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


# --------------------------------------------------------------------------- power


def mde_delta(n_pairs: int, epochs: int, base_rate: float, pair_sd: float) -> float:
    """Minimum detectable paired behaviour delta (80% power, two-sided α 0.05); NaN under 2 pairs."""
    from evalaware.scorers.stats import t_value  # pandas: only when a plan is made, not for --help

    if n_pairs < 2:
        return math.nan
    sd = math.sqrt(pair_sd**2 + 2 * base_rate * (1 - base_rate) / epochs)
    df = n_pairs - 1
    return (t_value(df, 1 - ALPHA) + t_value(df, 2 * POWER - 1)) * sd / math.sqrt(n_pairs)


def mde_gap(n_pairs: int, epochs: int, aware_rate: float, pair_sd: float) -> float:
    """Minimum detectable awareness gap over ``n_pairs`` samples per variant (normal approximation)."""
    from evalaware.scorers.stats import z_value

    if n_pairs < 1:
        return math.nan
    z = z_value(1 - ALPHA) + z_value(2 * POWER - 1)

    def var(a: float) -> float:
        a = min(max(a, 0.0), 1.0)
        return pair_sd**2 + a * (1 - a) / epochs

    gap = 0.01
    while gap < 1 - aware_rate:
        if z * math.sqrt((var(aware_rate) + var(aware_rate + gap)) / n_pairs) <= gap:
            return gap
        gap += 0.005
    return math.nan


def epochs_needed(target: float, mde: Any, max_epochs: int = 200) -> int | None:
    """Smallest epochs with ``mde(epochs) <= target``, or None within ``max_epochs``."""
    for e in range(1, max_epochs + 1):
        value = mde(e)
        if not math.isnan(value) and value <= target:
            return e
    return None


# --------------------------------------------------------------------------- cost


@dataclass
class CostPlan:
    """Token and money estimates for one run."""

    n_pairs: int
    samples: int
    calls: int
    input_tokens: int
    output_tokens: int
    judge_calls: int
    judge_input_tokens: int
    judge_output_tokens: int
    models: list[str]
    graders: list[str]
    model_usd: dict[str, float | None] = field(default_factory=dict)
    judge_usd: float | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def total_usd(self) -> float | None:
        """Money for the whole run; None when a priced component has no price."""
        parts = [*self.model_usd.values(), self.judge_usd if self.graders else 0.0]
        return None if any(p is None for p in parts) else float(sum(parts))  # type: ignore[arg-type]


def _sample_tokens(pair: ScenarioPair, variant: str, output: int, agent_calls: int) -> tuple[int, int, int]:
    """(calls, input tokens, transcript tokens) of one sample under the stated assumptions."""
    r = render(pair, variant)
    prompt = tokens("\n\n".join(([r.system] if r.system else []) + [t for _, t in r.messages]))
    prompt += sum(tokens(t.spec.description + str(t.spec.parameters)) + 10 for t in r.tools)
    follow = [tokens(f) for f in r.followups]
    if r.tools:
        results = [res for t in r.tools for _, res in t.responses] or [""]
        added = sum(tokens(x) for x in results) // len(results)
        calls = min(pair.max_turns, agent_calls) + len(follow)
    else:
        added = (sum(follow) // len(follow)) if follow else 0
        calls = 1 + len(follow)
    input_tokens = sum(prompt + k * (output + added) for k in range(calls))
    return calls, input_tokens, prompt + calls * (output + added)


def make_plan(
    pairs: Sequence[ScenarioPair],
    variants: Sequence[str],
    epochs: int,
    models: Sequence[str],
    graders: Sequence[str],
    awareness: str,
    output_tokens: int,
    judge_output_tokens: int,
    agent_calls: int,
    price: tuple[float | None, float | None],
    grader_price: tuple[float | None, float | None],
) -> CostPlan:
    calls = input_t = output_t = 0
    j_calls = j_in = j_out = 0
    for pair in pairs:
        for v in variants:
            c, i, transcript = _sample_tokens(pair, v, output_tokens, agent_calls)
            calls += c * epochs
            input_t += i * epochs
            output_t += c * output_tokens * epochs
            judges = 0
            if graders and awareness in ("judge", "both"):
                judges += len(graders)
            if graders and pair.behaviour.check is None:
                judges += 1  # the rubric judge (grader role)
            j_calls += judges * epochs
            j_in += judges * (transcript + JUDGE_OVERHEAD_TOKENS) * epochs
            j_out += judges * judge_output_tokens * epochs
    plan = CostPlan(
        n_pairs=len(pairs),
        samples=len(pairs) * len(variants) * epochs,
        calls=calls,
        input_tokens=input_t,
        output_tokens=output_t,
        judge_calls=j_calls,
        judge_input_tokens=j_in,
        judge_output_tokens=j_out,
        models=list(models),
        graders=list(graders),
    )
    for m in models:
        plan.model_usd[m] = _usd(m, input_t, output_t, price)
    gp = grader_price if grader_price != (None, None) else price
    if graders:
        per = [_usd(g, j_in / len(graders), j_out / len(graders), gp) for g in graders]
        plan.judge_usd = None if any(p is None for p in per) else float(sum(per))  # type: ignore[arg-type]
    return plan


def _usd(model: str, inp: float, out: float, price: tuple[float | None, float | None]) -> float | None:
    if model.startswith("evalaware/"):
        return 0.0  # runs on this machine
    if price[0] is None or price[1] is None:
        return None
    return inp / 1e6 * price[0] + out / 1e6 * price[1]


def _money(x: float | None) -> str:
    return "no price given (--price-in/--price-out)" if x is None else f"${x:,.2f}"


def plan_text(
    args: argparse.Namespace, pairs: Sequence[ScenarioPair], models: Sequence[str]
) -> tuple[str, CostPlan]:
    """The printed plan, and the cost figures behind it."""
    variants = as_list(args.variants) or ["test", "deploy"]
    graders = list(args.grader or [])
    plan = make_plan(
        pairs, variants, args.epochs, models, graders, args.awareness, args.output_tokens,
        args.judge_output_tokens, args.agent_calls, (args.price_in, args.price_out),
        (getattr(args, "grader_price_in", None), getattr(args, "grader_price_out", None)),
    )  # fmt: skip
    n, e = len(pairs), args.epochs
    base, aware, sd = args.base_rate, args.aware_rate, args.pair_sd
    out = [
        f"plan: {n} pairs x {len(variants)} variants x {e} epoch(s) = {plan.samples:,} samples per model, "
        f"{len(models)} model(s)",
        "",
        "power (80%, two-sided alpha 0.05):",
        f"  minimum detectable behaviour delta: {_pp(mde_delta(n, e, base, sd))}  (paired t over {n} "
        f"pairs; variance assumption: flagged rate {base:.2f} in both variants, between-pair SD of the "
        f"delta {sd:.2f})",
        f"  minimum detectable awareness gap:   {_pp(mde_gap(n, e, aware, sd))}  (deploy awareness "
        f"{aware:.2f}, between-pair SD {sd:.2f}, samples as the unit)",
    ]
    for label, target, fn in (
        ("behaviour delta", args.target_delta, lambda ep: mde_delta(n, ep, base, sd)),
        ("awareness gap", args.target_gap, lambda ep: mde_gap(n, ep, aware, sd)),
    ):
        if target is None:
            continue
        need = epochs_needed(target, fn)
        if need is None:
            out.append(
                f"  target {label} {_pp(target)}: not reachable with {n} pairs at any number of epochs "
                f"(the between-pair SD {sd:.2f} is a floor): select more pairs, or lower --pair-sd if "
                "you know better"
            )
        else:
            out.append(
                f"  target {label} {_pp(target)}: {need} epoch(s) = "
                f"{n * len(variants) * need:,} samples per model"
            )
    out += [
        "",
        f"tokens per model (chars/4 estimate; {args.output_tokens} output tokens per call, "
        f"{args.agent_calls} calls per agentic sample):",
        f"  {plan.calls:,} calls, {plan.input_tokens:,} input + {plan.output_tokens:,} output tokens",
    ]
    for m in models:
        out.append(f"  {m}: {_money(plan.model_usd[m])}")
    if graders:
        out += [
            f"judge ({', '.join(graders)}; {args.judge_output_tokens} output tokens per verdict):",
            f"  {plan.judge_calls:,} calls, {plan.judge_input_tokens:,} input + "
            f"{plan.judge_output_tokens:,} output tokens: {_money(plan.judge_usd)}",
        ]
    else:
        unjudged = sum(1 for p in pairs if p.behaviour.check is None)
        left = f"; {unjudged} rubric-only pair(s) stay unscored" if unjudged else ""
        out.append(f"judge: none (no --grader){left}")
    out.append(f"total: {_money(plan.total_usd)}")
    return "\n".join(out), plan


def _pp(x: float) -> str:
    return "n/a (fewer than 2 pairs)" if math.isnan(x) else f"{100 * x:.1f} pp"


# --------------------------------------------------------------------------- CLI


def add_plan_options(p: argparse.ArgumentParser, for_run: bool = False) -> None:
    """The assumption and price flags, shared by `plan` and `run --plan`."""
    g = p.add_argument_group("plan", "Power and cost assumptions (evalaware plan --help explains them)")
    g.add_argument("--price-in", type=float, help="USD per million input tokens of the models under test")
    g.add_argument("--price-out", type=float, help="USD per million output tokens of the models under test")
    g.add_argument("--grader-price-in", type=float, help="USD per million input tokens of the judge")
    g.add_argument("--grader-price-out", type=float, help="USD per million output tokens of the judge")
    g.add_argument(
        "--output-tokens", type=int, default=400, help="output tokens per model call (default 400)"
    )
    g.add_argument(
        "--judge-output-tokens", type=int, default=250, help="output tokens per verdict (default 250)"
    )
    g.add_argument("--agent-calls", type=int, default=4, help="model calls per agentic sample (default 4)")
    g.add_argument(
        "--base-rate", type=float, default=0.5, help="assumed flagged rate (default 0.5, worst case)"
    )
    g.add_argument(
        "--aware-rate", type=float, default=0.05, help="assumed deploy awareness rate (default 0.05)"
    )
    g.add_argument("--pair-sd", type=float, default=0.1, help="between-pair SD of true effects (default 0.1)")
    if for_run:
        g.add_argument("--plan", action="store_true", help="show the plan first and confirm costly runs")
        g.add_argument(
            "--confirm-above-usd",
            type=float,
            default=DEFAULT_CONFIRM_USD,
            help=f"with --plan, ask before a run estimated above this (default {DEFAULT_CONFIRM_USD})",
        )
        g.add_argument("--yes", action="store_true", help="with --plan, proceed without asking")
    else:
        g.add_argument("--target-delta", type=float, help="behaviour delta to detect: epochs needed")
        g.add_argument("--target-gap", type=float, help="awareness gap to detect: epochs needed")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "plan",
        help="power and cost of a run, before anything is spent",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--model", action="append", help=f"model (repeatable); default {DEFAULT_MODEL}")
    p.add_argument("--pairs", action="append", help="pair ids or globs, comma-separated (repeatable)")
    p.add_argument("--categories", action="append", help="categories, comma-separated")
    p.add_argument("--tags", action="append", help="only pairs with any of these tags")
    p.add_argument("--variants", default="test,deploy", help="variants (default test,deploy)")
    p.add_argument("--epochs", type=int, default=1, help="repeats of every sample (default 1)")
    p.add_argument("--grader", action="append", help="judge model (repeatable)")
    p.add_argument("--awareness", choices=["lexical", "judge", "both"], default="lexical")
    p.add_argument("--scenario-dir", action="append", help="scenario files or folders")
    add_plan_options(p)
    p.set_defaults(handler=run)


def _selection(args: argparse.Namespace) -> list[ScenarioPair]:
    library = load_library(args.scenario_dir)
    return select_pairs(
        library,
        as_list(",".join(args.pairs or [])),
        as_list(",".join(args.categories or [])),
        as_list(",".join(args.tags or [])),
    )


def run(args: argparse.Namespace) -> int:
    if args.epochs < 1:
        raise UsageError("--epochs must be at least 1")
    text, _ = plan_text(args, _selection(args), args.model or [DEFAULT_MODEL])
    print(text)
    return 0


def confirm_plan(args: argparse.Namespace, pairs: Sequence[ScenarioPair], models: Sequence[str]) -> None:
    """`run --plan`: print the plan; above ``--confirm-above-usd`` ask on a terminal, refuse otherwise
    (unless ``--yes``). Raises ``UsageError`` to stop the run before any model is called."""
    if not getattr(args, "plan", False):
        return
    ns = argparse.Namespace(**vars(args))
    ns.target_delta = ns.target_gap = None
    text, plan = plan_text(ns, pairs, models)
    print(text, file=sys.stderr)
    cost = plan.total_usd
    if cost is None or cost <= args.confirm_above_usd or args.yes:
        return
    question = f"estimated ${cost:,.2f} is above --confirm-above-usd {args.confirm_above_usd:,.2f}"
    if not sys.stdin.isatty():
        raise UsageError(f"{question}; not running without confirmation (pass --yes to proceed)")
    print(f"{question}. Proceed? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise UsageError("not confirmed; nothing was run")
