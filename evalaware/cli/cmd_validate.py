"""`evalaware validate`: check scenario files; exit 2 with every problem listed.

Three layers, all run here: each file (schema, TODO placeholders, schema 2 per-pair rules:
the loader), the library (ratchet, version lock, realism lint: evalaware.scenarios.lint), and
each schema 2 pair's example answers run through its check by the behaviour scorer itself.
The examples live here rather than in scenarios/ because the check belongs to the scorers,
a layer above the scenarios.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evalaware.scenarios.lint import Finding, lint_library, managed, pending_ids, variant_diff
from evalaware.scenarios.loader import default_scenario_dir, find_scenario_files, load_library
from evalaware.scenarios.render import render
from evalaware.scenarios.schema import Example, ScenarioPair

if TYPE_CHECKING:
    from inspect_ai.solver import TaskState


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "validate",
        help="check scenario files (exit 2 on any problem)",
        description="Validate scenario files: schema, ids, cue slots, TODO placeholders; for schema 2 pairs "
        "also facts, examples (run through the check), length policy, version lock and the realism lint. "
        "Every problem is listed at once.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  evalaware validate\n  evalaware validate scenarios/honesty my-pair.yaml\n"
        "  evalaware validate --warnings      # also the lint findings on pairs pending migration\n",
    )
    p.add_argument("paths", nargs="*", help="files or folders (default: the shipped library)")
    p.add_argument("--warnings", action="store_true", help="list lint warnings on pending pairs too")
    p.set_defaults(handler=run)


@dataclass(frozen=True)
class ExampleResult:
    pair_id: str
    label: str
    """``examples.flagged[2]``: where the example sits in the file."""
    expected: bool
    verdict: bool | None
    """The behaviour scorer's ``flagged``; None when the check could not read an answer."""
    explanation: str

    @property
    def ok(self) -> bool:
        return self.verdict is self.expected

    def __str__(self) -> str:
        got = {True: "flagged", False: "not flagged", None: "unscored"}[self.verdict]
        want = "flagged" if self.expected else "not flagged"
        return f"{self.pair_id}: {self.label}: expected {want}, the check says {got} ({self.explanation})"


def example_results(pair: ScenarioPair) -> list[ExampleResult]:
    """Every example answer of ``pair`` scored by the behaviour scorer, as in a run.

    The example becomes the end of a deploy sample's transcript (its tool calls, each answered,
    then its text as the final reply) and goes through the same path as a real sample: the
    behaviour spec from the sample metadata, the scorer's transcript reading, the check.
    """
    if pair.examples is None or pair.behaviour.check is None:
        return []
    # Imported here, not at the top: Inspect and the scorers are only needed once a file has
    # loaded, and a validate that refuses a broken file stays small (README: 150 MB).
    from inspect_ai.scorer import Target

    from evalaware.probes.dataset import variant_sample
    from evalaware.scorers.behaviour import behaviour_scorer

    sample = variant_sample(pair, render(pair, "deploy"))
    score = behaviour_scorer()
    out = []
    for side, expected in (("flagged", True), ("not_flagged", False)):
        for i, example in enumerate(getattr(pair.examples, side)):
            state = _state(sample.input, sample.metadata or {}, example)  # type: ignore[arg-type]
            result = asyncio.run(score(state, Target(sample.target)))
            value = result.value if isinstance(result.value, dict) else {}
            flagged = value.get("flagged")
            verdict = None if flagged is None else bool(flagged)
            out.append(
                ExampleResult(pair.id, f"examples.{side}[{i}]", expected, verdict, result.explanation or "")
            )
    return out


def _state(prompt: list, metadata: dict, example: Example) -> TaskState:  # type: ignore[type-arg]
    from inspect_ai.model import ChatMessageAssistant, ChatMessageTool, ModelOutput
    from inspect_ai.solver import TaskState
    from inspect_ai.tool import ToolCall

    messages = list(prompt)
    for k, call in enumerate(example.tool_calls):
        tool_call = ToolCall(id=f"ex{k}", function=call.tool, arguments=dict(call.args))
        messages.append(ChatMessageAssistant(content="", tool_calls=[tool_call]))
        messages.append(ChatMessageTool(content="(canned result)", tool_call_id=f"ex{k}", function=call.tool))
    text = example.text or ""
    messages.append(ChatMessageAssistant(content=text))
    return TaskState(
        model="example/answer",  # type: ignore[arg-type]
        sample_id="example",
        epoch=1,
        input=prompt,
        messages=messages,
        output=ModelOutput.from_content("example/answer", text),
        metadata=metadata,
    )


def run(args: argparse.Namespace) -> int:
    files = find_scenario_files(args.paths or None)
    pairs = load_library(args.paths or None)
    where = ", ".join(args.paths) if args.paths else str(default_scenario_dir())
    root = _library_root(args.paths)
    findings: list[Finding] = lint_library(pairs, root) if root is not None else []
    examples = [r for p in pairs if p.v2 for r in example_results(p)]
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    wrong = [r for r in examples if not r.ok]
    for f in errors + (warnings if args.warnings else []):
        print(f, file=sys.stderr)
    for r in wrong:
        print(f"error: example: {r}", file=sys.stderr)
    for pair in pairs:
        if pair.v2 and not pair.templated:
            print(f"free-form pair {pair.id}: {pair.justification}\n{variant_diff(pair)}", file=sys.stderr)
    v2 = sum(p.v2 for p in pairs)
    pending = len(pending_ids(root)) if root is not None and managed(root) else sum(not p.v2 for p in pairs)
    print(
        f"{'ok' if not errors and not wrong else 'FAILED'}: {len(pairs)} scenario pair(s) in {len(files)} "
        f"file(s) under {where}; {v2} schema 2, {pending} pending migration; "
        f"{len(examples) - len(wrong)}/{len(examples)} examples agree with their check; "
        f"{len(errors)} lint error(s), {len(warnings)} warning(s) on pending pairs"
        + ("" if args.warnings or not warnings else " (--warnings lists them)"),
        file=sys.stderr,
    )
    return 2 if errors or wrong else 0


def _library_root(paths: list[str]) -> Path | None:
    """The scenario root whose pending list and version lock apply: the shipped library, or a
    single folder given on the command line; None for a selection of single files."""
    if not paths:
        return default_scenario_dir()
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return Path(paths[0])
    return None
