"""`evalaware run`'s model settings: reasoning, sampling, model args and the grader's own settings.

Every option here maps onto an Inspect name, so a run records exactly what `inspect eval` would
record for the same flags: generation options become the model's ``GenerateConfig`` (the log's
``eval.model_generate_config``), ``-M`` values become its model args (``eval.model_args``), and the
grader's settings land in ``eval.model_roles["grader"]`` (``config`` and ``args``).
"""

from __future__ import annotations

import argparse
import typing
from typing import Any
from urllib.parse import urlsplit

import yaml

from evalaware.cli.errors import UsageError

__all__ = [
    "GENERATE_NAMES",
    "add_model_options",
    "endpoint",
    "generate_config",
    "grader_settings",
    "model_args",
    "parse_key_values",
    "recordable_base_url",
]

#: ``evalaware run`` options that are ``GenerateConfig`` fields, passed to ``eval_set`` and also
#: set on each model under test (see ``generate_config``). ``limit`` and the display are eval options.
GENERATE_NAMES = (
    "max_connections",
    "max_retries",
    "timeout",
    "attempt_timeout",
    "max_tokens",
    "seed",
    "temperature",
    "reasoning_effort",
    "reasoning_tokens",
    "reasoning_summary",
    "reasoning_history",
)


def _choices(field: str) -> list[str]:
    """A ``GenerateConfig`` Literal field's values, so the flags follow the installed Inspect."""
    from inspect_ai.model import GenerateConfig

    annotation = GenerateConfig.model_fields[field].annotation
    values = [a for arg in typing.get_args(annotation) for a in (typing.get_args(arg) or [arg])]
    return [v for v in values if isinstance(v, str)]


def add_model_options(p: argparse.ArgumentParser) -> None:
    """The model-settings flags (generation, reasoning, model args, the grader's settings)."""
    g = p.add_argument_group(
        "model settings",
        "Passed to Inspect as GenerateConfig fields and model args, and recorded in each log's eval spec "
        "(the report's methods table shows them). The same as `inspect eval`'s flags of the same names.",
    )
    g.add_argument("--temperature", type=float, help="sampling temperature of the models under test")
    g.add_argument(
        "--reasoning-effort",
        choices=_choices("reasoning_effort"),
        help="reasoning effort (OpenAI o-series/GPT-5, Meta, OpenRouter, Grok, Gemini, Claude)",
    )
    g.add_argument(
        "--reasoning-tokens", type=int, help="reasoning token budget (Claude extended thinking, Gemini)"
    )
    g.add_argument(
        "--reasoning-summary",
        choices=_choices("reasoning_summary"),
        help="ask for reasoning summaries (OpenAI Responses API, Meta)",
    )
    g.add_argument(
        "--reasoning-history",
        choices=_choices("reasoning_history"),
        help="reasoning kept in the history sent back on later turns",
    )
    g.add_argument(
        "-M",
        "--model-arg",
        action="append",
        metavar="KEY=VALUE",
        dest="model_arg",
        help="model arg for the models under test (repeatable; VALUE read as YAML, as `inspect eval -M` "
        'does), e.g. -M responses_api=true, -M provider=\'{"order": ["deepinfra"]}\' on OpenRouter',
    )
    g.add_argument(
        "--grader-arg",
        action="append",
        metavar="KEY=VALUE",
        help="model arg for the grader (repeatable), e.g. --grader-arg responses_api=true",
    )
    g.add_argument(
        "--grader-config",
        action="append",
        metavar="KEY=VALUE",
        help="GenerateConfig field for the grader alone (repeatable), e.g. --grader-config temperature=0 "
        "--grader-config reasoning_effort=low; --temperature and --reasoning-* do not reach the grader",
    )


def parse_key_values(items: list[str] | None, flag: str) -> dict[str, Any]:
    """``KEY=VALUE`` strings → dict, each VALUE read as YAML like Inspect's ``-M`` (``a,b`` is a list)."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag} {item!r}: expected KEY=VALUE")
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError as e:
            raise UsageError(f"{flag} {key}: value is not valid YAML/JSON ({e.__class__.__name__})") from None
        if isinstance(value, str) and "," in value:
            value = value.split(",")
        out[key.strip().replace("-", "_")] = value
    return out


def model_args(args: argparse.Namespace) -> dict[str, Any]:
    """The ``-M`` model args of the models under test."""
    return parse_key_values(args.model_arg, "-M")


def generate_options(args: argparse.Namespace) -> dict[str, Any]:
    """The ``GenerateConfig`` fields the user set (after run's own defaults were applied)."""
    return {name: getattr(args, name) for name in GENERATE_NAMES if getattr(args, name, None) is not None}


def generate_config(args: argparse.Namespace) -> Any:
    """``generate_options`` as a ``GenerateConfig`` for each model under test.

    ``eval_set`` applies its own generate options at call time but records only a model's own
    config when given ``Model`` objects; set on the model, they are recorded in
    ``eval.model_generate_config`` as ``inspect eval`` records them.
    """
    from inspect_ai.model import GenerateConfig

    return GenerateConfig(**generate_options(args))


def grader_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for resolving a grader: its own model args and ``config``."""
    from inspect_ai.model import GenerateConfig
    from pydantic import ValidationError

    settings: dict[str, Any] = {"model_args": parse_key_values(args.grader_arg, "--grader-arg")}
    fields = parse_key_values(args.grader_config, "--grader-config")
    unknown = sorted(set(fields) - set(GenerateConfig.model_fields))
    if unknown:
        raise UsageError(f"--grader-config: not a GenerateConfig field: {', '.join(unknown)}")
    try:
        settings["config"] = GenerateConfig(**fields)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors())
        raise UsageError(f"--grader-config: {problems}") from None
    return settings


def recordable_base_url(url: str | None) -> str | None:
    """``url`` if it may be written to a log: no userinfo, query or fragment (where keys hide).

    Inspect records a model's base URL only when it was passed explicitly, not when it came from
    an environment variable (``OPENAI_BASE_URL``...); run passes the resolved one explicitly so
    the log says which endpoint answered, unless that would write a credential into the log.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.username or parts.password or parts.query or parts.fragment or not parts.hostname:
        return None
    return url


def endpoint(api: Any) -> str | None:
    """The base URL a provider will call: its own, else its SDK client's (the OpenAI and Anthropic
    SDKs read ``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL`` themselves, leaving Inspect's None)."""
    url = getattr(api, "base_url", None) or getattr(getattr(api, "client", None), "base_url", None)
    return str(url) if url else None
