"""`evalaware rescore`: re-judge the awareness of existing transcripts, writing new logs.

The model under test is never called again: each log is re-scored with Inspect's ``score_async``
on a deep copy, with a stand-in target model that fails if anything calls it, and only the
awareness score is replaced (behaviour scores and everything else are kept as they were). The
copy goes to a new file in another folder; the original file is only read. Samples that errored
in the original run stay unscored, as they were.

Judges: the first ``--grader`` is the ``grader`` role, further ones ``grader_2``, ``grader_3``...,
a panel (see ``evalaware.scorers.awareness_judge.PANEL_RULE``). The judges' original roles in
the log are not reconstructed, so an old grader without an API key here is never needed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any

from evalaware.cli.errors import UsageError

EPILOG = """\
examples:
  evalaware rescore logs/evalaware --grader openai/gpt-4.1
  evalaware rescore logs/evalaware --grader openai/gpt-4.1 --grader anthropic/claude-sonnet-4-5 \\
      --grader openai-api/judge/qwen3 -o logs/rescored
  evalaware report logs/rescored -o report-rescored/

The new logs keep the originals' file names, in the output folder (default: the first input
folder's name + "-rescored"); an existing file there is never overwritten. Report the output
folder on its own: a rescored log repeats its original's Inspect task, and a report given both
counts only one of them.
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "rescore",
        help="re-judge awareness in existing logs with new judges, writing new logs",
        description="Re-judge verbalized awareness in existing Inspect logs with one or more judge models, "
        "without calling the model under test again; writes new logs, never touching the originals.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    p.add_argument("paths", nargs="+", metavar="LOG", help="Inspect log files or folders of them")
    p.add_argument("--grader", action="append", required=True, metavar="MODEL", help="judge (repeatable)")
    p.add_argument(
        "--awareness",
        choices=["judge", "both"],
        default="both",
        help="judge: the judges' verdict; both (default): the same, with agreement with the lexical detector",
    )
    p.add_argument("-o", "--output", help="folder for the new logs (default: <first input folder>-rescored)")
    p.add_argument("--max-connections", type=int, default=10, help="concurrent calls per judge (default 10)")
    p.add_argument("--max-retries", type=int, default=3, help="retries per judge request (default 3)")
    p.add_argument("--timeout", type=int, default=120, help="seconds per judge request (default 120)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evalaware.cli.cmd_run import grader_roles
    from evalaware.reports.console import summarise_logs

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    files = log_files(args.paths)
    if not files:
        raise UsageError(f"no Inspect log under {', '.join(args.paths)}")
    first = Path(args.paths[0])
    out = Path(args.output) if args.output else _default_output(first)
    sources = {f.parent.resolve() for f in files}
    sources |= {Path(p).resolve() for p in args.paths if Path(p).is_dir()}
    if out.resolve() in sources or any(s in out.resolve().parents for s in sources):
        raise UsageError(f"output folder {out} is (inside) an input folder; choose another with -o")
    targets = [out / f.name for f in files]
    taken = [str(t) for t in targets if t.exists()]
    if taken:
        raise UsageError(f"would overwrite {', '.join(taken)}; choose another folder with -o")
    roles = grader_roles(args.grader, lambda name: _grader(name, args))
    assert roles is not None  # --grader is required
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source, target in zip(files, targets, strict=True):
        log = asyncio.run(rescore_file(source, target, roles, args.awareness))
        written.append(log)
        print(f"rescored {source} -> {target}", file=sys.stderr)
    print(summarise_logs(written))
    print(f"\nnew logs: {out}   (report: evalaware report {out})")
    return 0


def log_files(paths: list[str]) -> list[Path]:
    """Every log file of ``paths`` (Inspect's rule for what counts as a log in a folder), sorted."""
    from inspect_ai.log import list_eval_logs

    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(Path(info.name.removeprefix("file://")) for info in list_eval_logs(str(path)))
        else:
            files.append(path)
    return files


def _default_output(first: Path) -> Path:
    folder = first if first.is_dir() else first.parent
    return folder.with_name(folder.resolve().name + "-rescored")


def _grader(name: str, args: argparse.Namespace) -> Any:
    from inspect_ai.model import GenerateConfig, get_model

    config = GenerateConfig(
        max_connections=args.max_connections, max_retries=args.max_retries, timeout=args.timeout
    )
    try:
        return get_model(name, config=config)
    except Exception as e:  # unknown provider, missing API key, bad model name
        raise UsageError(f"cannot use grader {name!r}: {e}") from None


async def rescore_file(source: Path, target: Path, roles: dict[str, Any], method: str) -> Any:
    """Re-judge ``source``'s awareness with ``roles`` and write the result to ``target`` (new file)."""
    from inspect_ai.log import read_eval_log, write_eval_log

    original = read_eval_log(str(source))
    log = await rescore_log(original, roles, method, origin=str(source))
    write_eval_log(log, str(target))
    return read_eval_log(str(target))


async def rescore_log(log: Any, roles: dict[str, Any], method: str, origin: str = "") -> Any:
    """A deep copy of ``log`` whose awareness scores are re-judged by ``roles``; ``log`` is untouched."""
    from inspect_ai import score_async
    from inspect_ai.model import ModelConfig, get_model

    from evalaware.scorers.awareness import awareness_scorer
    from evalaware.scorers.contract import AWARENESS_SCORER

    work = log.model_copy(deep=True)
    keep = [s for s in work.samples or [] if s.error is None]
    # The old awareness score goes first, so the new one takes its name and readers find it.
    for sample in keep:
        (sample.scores or {}).pop(AWARENESS_SCORER, None)
    if work.results is not None:
        work.results.scores = [s for s in work.results.scores if s.scorer != AWARENESS_SCORER]
    work.eval.scorers = [s for s in work.eval.scorers or [] if s.name != AWARENESS_SCORER]
    work.reductions = [r for r in work.reductions or [] if r.scorer != AWARENESS_SCORER] or None
    # Not reconstructed: the original judges (maybe without a key here) and the model under test.
    work.eval.model_roles = None
    target = get_model("mockllm/model", custom_outputs=_never_called(log.eval.model), memoize=False)
    subset = work.model_copy(update={"samples": keep})
    scored = await score_async(
        subset,
        [awareness_scorer(method=method, judges=list(roles))],
        model=target,
        model_roles=roles,
        action="append",
        display="none",
        copy=False,
    )
    work.reductions = scored.reductions
    work.results = scored.results
    work.eval.model_roles = {role: ModelConfig(model=str(m), config=m.config) for role, m in roles.items()}
    # A new eval id (a report joins rows on it); the same task id (it is the same evaluation).
    work.eval.eval_id = uuid.uuid4().hex
    work.eval.metadata = {
        **(work.eval.metadata or {}),
        "evalaware_rescore": {
            "from": origin,
            "from_eval_id": log.eval.eval_id,
            "awareness": method,
            "judges": {role: str(m) for role, m in roles.items()},
        },
    }
    return work


def _never_called(model: str) -> Any:
    def refuse(*_: Any) -> Any:
        raise RuntimeError(f"rescore must not call the model under test ({model})")

    return refuse
