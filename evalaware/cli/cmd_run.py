"""`evalaware run`: run probes on one or more models with Inspect's ``eval_set``.

``eval_set`` is what makes a re-run of the same command resume instead of redoing work:
completed samples are kept in the log directory and only missing ones are run again.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalaware.cli.cmd_plan import add_plan_options, confirm_plan
from evalaware.cli.errors import UsageError
from evalaware.cli.run_options import (
    add_model_options,
    endpoint,
    generate_config,
    generate_options,
    grader_settings,
    model_args,
    recordable_base_url,
)
from evalaware.probes.args import as_list
from evalaware.probes.constants import DEFAULT_MODEL
from evalaware.scenarios.loader import load_library, select_pairs

DEFAULT_LOG_DIR = "logs/evalaware"
#: The embedded model generates slowly on a CPU: with no selection it runs one pair per
#: category (the starter set) with short turns, so the zero-key run ends in minutes.
EMBEDDED_DEFAULTS = {"max_tokens": 128, "max_turns": 3}


def probe_factories() -> dict[str, Callable[..., Any]]:
    """Probe name → task function. Imported on use: the probes pull in Inspect, and every
    command (even `--help`) builds this module's parser."""
    from evalaware.probes.extra_probes import FACTORIES
    from evalaware.probes.tasks import paired_probe

    return {"paired": paired_probe, **FACTORIES}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "run",
        help="run probes on one or more models (re-running the same command resumes)",
        description="Run the paired test/deploy probes and print per-model, per-variant rates. With no "
        f"--model the embedded local model ({DEFAULT_MODEL}) runs, with no API key.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  evalaware run\n"
        "  evalaware run --model openai/gpt-4.1 --model meta/muse-spark-1.3 --epochs 3\n"
        "  evalaware run --model anthropic/claude-sonnet-4-5 --grader openai/gpt-4.1 --awareness both\n"
        "  evalaware run --categories honesty,sandbagging --limit 10 --log-dir logs/quick\n"
        "  evalaware run --model openai-api/vllm/llama-3.1-8b   # VLLM_BASE_URL, VLLM_API_KEY\n"
        "  evalaware run --model openai/o4-mini -M responses_api=true --reasoning-effort high "
        "--reasoning-summary auto\n"
        '  evalaware run --model openrouter/deepseek/deepseek-r1 -M provider=\'{"order": ["deepinfra"], '
        '"allow_fallbacks": false}\'\n',
    )
    p.add_argument("--model", action="append", help=f"model to probe (repeatable); default {DEFAULT_MODEL}")
    p.add_argument("--probe", default="paired", help="probe to run: paired (default)")
    p.add_argument("--pairs", action="append", help="pair ids or globs, comma-separated (repeatable)")
    p.add_argument("--categories", action="append", help="categories, comma-separated")
    p.add_argument("--tags", action="append", help="only pairs with any of these tags")
    p.add_argument("--variants", default="test,deploy", help="variants to run (default test,deploy)")
    p.add_argument("--epochs", type=int, default=1, help="repeats of every sample (default 1)")
    p.add_argument(
        "--grader",
        action="append",
        help="judge model (repeatable): the first is the grader role, for rubric behaviours and awareness; "
        "more make an awareness judge panel (roles grader_2, grader_3...; a strict majority decides)",
    )
    p.add_argument("--awareness", choices=["lexical", "judge", "both"], default="lexical")
    p.add_argument(
        "--scenario-dir", action="append", help="scenario files or folders instead of the shipped library"
    )
    p.add_argument("--log-dir", default=DEFAULT_LOG_DIR, help=f"where logs go (default {DEFAULT_LOG_DIR})")
    p.add_argument("--limit", type=int, help="run at most this many samples per model")
    p.add_argument("--max-connections", type=int, help="concurrent requests per model")
    p.add_argument("--max-retries", type=int, help="retries after a request's first attempt (default 3)")
    p.add_argument("--timeout", type=int, help="seconds after which a request is not retried (default 600)")
    p.add_argument("--attempt-timeout", type=int, help="seconds before one attempt is dropped (default 180)")
    p.add_argument("--max-tokens", type=int, help="cap on generated tokens per turn")
    p.add_argument("--max-turns", type=int, help="cap on assistant turns in agentic pairs")
    p.add_argument(
        "--all",
        action="store_true",
        help="on the embedded model, run the whole library instead of the one-pair-per-category starter set",
    )
    p.add_argument("--seed", type=int, help="sampling seed, where the provider supports one")
    p.add_argument("--display", default=None, help="Inspect display: full, rich, plain, none")
    p.add_argument("--report", default=None, help="write the report to this folder (default LOG_DIR/report)")
    p.add_argument("--no-report", action="store_true", help="skip the report")
    add_model_options(p)
    add_plan_options(p, for_run=True)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from inspect_ai import eval_set

    from evalaware._inspect_compat import PrerequisiteError
    from evalaware.cli import progress
    from evalaware.reports.console import current_logs, gaps, summarise_logs

    factories = probe_factories()
    if args.probe not in factories:
        raise UsageError(f"unknown probe {args.probe!r}; choose from {', '.join(factories)}")
    if args.epochs < 1:
        raise UsageError("--epochs must be at least 1")

    pairs = as_list(",".join(args.pairs or []))
    categories = as_list(",".join(args.categories or []))
    tags = as_list(",".join(args.tags or []))
    # Validate the library and the selection before any model is touched: a broken file
    # stops the run here with exit 2, not halfway through.
    library = load_library(args.scenario_dir)
    chosen = select_pairs(library, pairs, categories, tags)
    models = args.model or [DEFAULT_MODEL]
    # The starter set and short turns are for the slow embedded model, not the simulated
    # organisms (pure Python, instant), which run the whole selection.
    embedded_only = all(is_embedded_model(m) for m in models)
    if embedded_only and not (pairs or categories or tags or args.all or args.scenario_dir):
        pairs = starter_set(chosen)
        print(
            f"embedded model: running the starter set ({len(pairs)} pairs, one per category); "
            "pass --all for the whole library",
            file=sys.stderr,
        )
    # --plan: power and cost of exactly this selection, shown (and confirmed) before any model is touched.
    confirm_plan(args, select_pairs(library, pairs, categories, tags), models)
    if embedded_only:
        for name, value in EMBEDDED_DEFAULTS.items():
            if getattr(args, name) is None:
                setattr(args, name, value)

    task = factories[args.probe](
        pairs=pairs or None,
        categories=categories or None,
        tags=tags or None,
        variants=args.variants,
        epochs=args.epochs,
        scenario_dir=args.scenario_dir,
        awareness=args.awareness,
        max_turns=args.max_turns,
    )
    if args.awareness != "lexical" and not args.grader:
        raise UsageError(f"--awareness {args.awareness} needs a judge: pass --grader MODEL")
    if (args.grader_arg or args.grader_config) and not args.grader:
        raise UsageError("--grader-arg and --grader-config set the grader's settings: pass --grader MODEL")
    # Resolve every model now: an unknown provider or a missing API key stops the run here,
    # with one line naming the problem, before any sample is started. The models under test
    # carry their generation settings and -M args, so the log's eval spec records them.
    margs = model_args(args)
    config = generate_config(args)
    resolved: list[Any] = [resolve_model(m, margs, config) for m in models]
    roles = grader_roles(args.grader, lambda name: resolve_model(name, **grader_settings(args)))
    _preflight(args.probe, models)

    options: dict[str, Any] = generate_options(args)
    if args.limit is not None:
        options["limit"] = args.limit
    if margs:
        options["model_args"] = margs  # for a model left as a name (the embedded one)
    # Inspect's displays end with a results panel whose metric names are cut to fit; unless
    # one is asked for, Inspect's display is off, progress comes from evalaware.cli.progress,
    # and the only table is evalaware's own summary below.
    display = args.display or "none"
    if display == "none":
        # Inspect recomputes every metric over all finished samples each 0.9 s for its live
        # display (deep-copying each sample's score and metadata); with no display that is
        # pure cost, growing with the run. Final metrics are computed anyway.
        options["score_display"] = False
    Path(args.log_dir).mkdir(parents=True, exist_ok=True)
    progress.set_active(args.display is None)
    try:
        ok, logs = eval_set(
            tasks=[task],
            model=resolved,
            model_roles=roles,
            log_dir=args.log_dir,
            display=display,
            retry_attempts=1,
            # A sample that errors (malformed reply, retries exhausted) is recorded as an
            # error while the others run on; the task then ends in error, so re-running
            # the command redoes exactly the errored and missing samples.
            continue_on_fail=True,
            **options,
        )
    except PrerequisiteError as e:
        raise UsageError(plain(str(e))) from None
    finally:
        progress.set_active(False)

    # Judge completeness from the logs on disk, not from eval_set's answer alone: after a
    # Ctrl-C it returns (True, []) and says "completed successfully".
    logs = current_logs(args.log_dir, [log.eval.task_id for log in logs])
    interrupted = not logs or any(log.status == "cancelled" for log in logs)
    complete = ok and not interrupted
    complete = complete and all(log.status == "success" and not any(gaps(log)[1:]) for log in logs)
    print()
    print(summarise_logs(logs))
    for line in native_crash_lines(logs):
        print(line, file=sys.stderr)
    print(f"\nlogs: {args.log_dir}   (browse with: inspect view --log-dir {args.log_dir})")
    if not args.no_report and logs:
        _report(args, logs)
    if interrupted:
        print("interrupted; completed samples are kept in the log and a re-run resumes", file=sys.stderr)
        return 130
    if not complete:
        print("some samples or tasks did not complete; run the same command again to resume", file=sys.stderr)
        return 1
    return 0


def grader_roles(names: list[str] | None, resolve: Callable[[str], Any]) -> dict[str, Any] | None:
    """Inspect model roles for the judges: ``grader`` (the first: rubric behaviours and awareness),
    then ``grader_2``, ``grader_3``... (further awareness judges of a panel); None without any.

    One ``--grader`` gives exactly the single ``grader`` role it always gave.
    """
    if not names:
        return None
    return {("grader" if i == 0 else f"grader_{i + 1}"): resolve(name) for i, name in enumerate(names)}


#: Providers whose SDK client takes ``max_retries`` through Inspect's model args. Their SDK
#: retries (2 by default) would otherwise multiply Inspect's own; with them off, one model
#: call makes at most ``max_retries + 1`` requests per attempt of the eval set.
SDK_RETRY_PROVIDERS = ("openai", "openai-api", "anthropic", "meta", "openrouter", "deepseek")


def resolve_model(name: str, model_args: dict[str, Any] | None = None, config: Any = None) -> Any:
    """``name`` as an Inspect model, or a ``UsageError`` that says what is wrong.

    The embedded model stays a name (building it loads weights); others are built here so
    a bad provider or a missing key fails before any sample runs. ``model_args`` (``-M``) win
    over run's own (the SDK's retries off); ``config`` is the model's ``GenerateConfig``.
    """
    from inspect_ai.model import get_model

    from evalaware._inspect_compat import PrerequisiteError

    if name.startswith("evalaware/"):
        if is_embedded_model(name):
            check_embedded_build()
        return name
    provider = name.split("/", 1)[0]
    if "/" not in name or not name.split("/", 1)[1]:
        raise UsageError(f"model {name!r} should be <provider>/<model>, e.g. openai/gpt-4.1")
    args = {"max_retries": 0} if provider in SDK_RETRY_PROVIDERS else {}
    args.update(model_args or {})
    try:
        model = get_model(name, config=config, **args)
        # Inspect logs a base URL only when it was given explicitly; one from the provider's
        # environment variable (OPENAI_BASE_URL...) is passed back explicitly so the log says
        # which endpoint answered (unless it carries credentials: then it stays unrecorded).
        base_url = recordable_base_url(endpoint(model.api))
        if base_url and model.explicit_base_url is None and "base_url" not in args:
            model = get_model(name, config=config, base_url=base_url, **args)
        return model
    except PrerequisiteError as e:
        raise UsageError(f"model {name}: {plain(str(e))}") from None
    except ValueError as e:
        if "not recognized" in str(e):
            raise UsageError(
                f"unknown model provider {provider!r} in {name!r}; use <provider>/<model> with an Inspect "
                "provider, e.g. openai/gpt-4.1, anthropic/claude-sonnet-4-5, openai-api/<service>/<model>"
            ) from None
        raise UsageError(f"model {name}: {e}") from None
    except TypeError as e:  # a -M / --grader-arg the provider's client does not take
        raise UsageError(f"model {name}: a model arg was not accepted ({e})") from None


#: The start of the error a sample gets when the embedded model's process dies in native code.
NATIVE_CRASH = "the embedded model crashed in native code"


def native_crash_lines(logs: list[Any]) -> list[str]:
    """What to tell the user when the embedded model crashed: which samples, and what to do."""
    crashed = [
        sample.error.message
        for log in logs
        for sample in log.samples or []
        if sample.error is not None and NATIVE_CRASH in sample.error.message
    ]
    if not crashed:
        return []
    first = crashed[0][crashed[0].index(NATIVE_CRASH) :].rstrip('\x27")')
    return [f"{len(crashed)} sample(s) failed because {first}"]


def is_embedded_model(name: str) -> bool:
    """The llama.cpp model (``evalaware/smollm2``, ``evalaware/<gguf>``), not an organism."""
    return name.startswith("evalaware/") and not name.startswith("evalaware/organism-")


def check_embedded_build() -> None:
    """Refuse, before any sample runs, an embedded-model build that would crash in native code
    on this CPU (ggml's AMX path, or instructions the CPU lacks), or a missing one."""
    from evalaware.probes.llama_build import UnsafeLlamaBuild, require_safe_build

    try:
        require_safe_build()
    except ImportError:
        raise UsageError(
            "the embedded model needs llama-cpp-python: run `bash scripts/bootstrap.sh` in an evalaware "
            "clone, or pip install 'evalaware[local]'"
        ) from None
    except UnsafeLlamaBuild as e:
        raise UsageError(str(e)) from None


def plain(message: str) -> str:
    """Inspect's prerequisite messages carry rich markup; the terminal wants plain text."""
    from rich.text import Text

    try:
        text = Text.from_markup(message).plain
    except Exception:  # not valid markup after all: keep it as it is
        text = message
    return " ".join(text.split())


def _preflight(probe: str, models: list[str]) -> None:
    """Probe-specific checks on the chosen models (e.g. prefill support for injection),
    made before any sample runs so a refusal is a usage error, not a failed run."""
    from evalaware.probes.extra_probes import PREFLIGHT

    check = PREFLIGHT.get(probe)
    if check is None:
        return
    try:
        check(models)
    except Exception as e:  # the checks raise PrerequisiteError / ValueError with a message
        raise UsageError(str(e)) from None


def starter_set(pairs: list[Any]) -> list[str]:
    """One pair per category: the first tagged `starter`, else the first by id."""
    chosen: dict[str, Any] = {}
    for pair in sorted(pairs, key=lambda p: ("starter" not in p.tags, p.id)):
        chosen.setdefault(pair.category, pair)
    return sorted(p.id for p in chosen.values())


def _report(args: argparse.Namespace, logs: list[Any]) -> None:
    from evalaware.reports.build import build_report

    out = Path(args.report or Path(args.log_dir) / "report")
    try:
        build_report([Path(args.log_dir)], out)
    except Exception as e:  # the logs are safe on disk; a report problem must not hide that
        print(
            f"report could not be built ({type(e).__name__}: {e}); the logs are complete as listed above; "
            f"retry with: evalaware report {args.log_dir} -o {out}",
            file=sys.stderr,
        )
        return
    print(f"report: {out / 'index.html'}")
