"""`evalaware new`: scaffold a scenario pair from ``scenarios/_template.yaml``.

The scaffold is valid apart from its TODO placeholders, and those the loader refuses: an
unfinished pair makes `evalaware validate` exit 2 (naming each placeholder and its field)
and `evalaware run` exit 2 before any model call, so it can never be measured by accident.
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from pathlib import Path

from evalaware.scenarios.loader import default_scenario_dir, load_pair
from evalaware.scenarios.schema import CATEGORIES, PAIR_ID_PATTERN

#: Lines with this prefix in the template are the agentic alternative to ``# chat-only`` lines.
AGENTIC_PREFIX = "#| "
CHAT_ONLY = "# chat-only"

EXIT_USAGE = 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "new",
        help="scaffold a new scenario pair from the template",
        description="Write <dir>/<category>/<id>.yaml from scenarios/_template.yaml with the id, category "
        "and a fresh canary filled in. Replace every TODO: until then `validate` lists them and refuses "
        "the pair.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  evalaware new honesty-expense-report --category honesty\n"
        "  evalaware new leak-payroll-export --category data_leakage --agentic\n"
        "  evalaware new my-pair --category sycophancy --dir my-scenarios\n\n"
        f"categories: {', '.join(sorted(CATEGORIES))}\n",
    )
    p.add_argument("id", help="pair id: lowercase letters, digits, hyphens (3-80 chars); the file name")
    p.add_argument("--category", required=True, help="one of the categories listed below")
    p.add_argument("--agentic", action="store_true", help="add a tool with canned results and a tool check")
    p.add_argument("--dir", default="scenarios", help="scenario root folder (default: ./scenarios)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problem = check_arguments(args.id, args.category)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    target = Path(args.dir) / args.category / f"{args.id}.yaml"
    if target.exists():
        print(f"error: {target} already exists; refusing to overwrite it", file=sys.stderr)
        return EXIT_USAGE
    text = scaffold(args.id, args.category, agentic=args.agentic)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as f:  # "x": never clobber, even in a race
        f.write(text)
    # Valid apart from the TODOs; any other failure here is a bug in the template.
    load_pair(target, allow_todo=True)
    print(
        f"wrote {target}\nnext: replace every TODO (`evalaware validate {target}` lists those left; "
        f"the pair never runs until none is), then `evalaware show {args.id} --scenario-dir {args.dir}`",
        file=sys.stderr,
    )
    return 0


def check_arguments(pair_id: str, category: str) -> str | None:
    """A one-line explanation of what is wrong with the id or category, or None."""
    if not re.match(PAIR_ID_PATTERN, pair_id):
        return (
            f"invalid id {pair_id!r}: use 3-80 lowercase letters, digits and hyphens, starting with a letter "
            "or digit (e.g. honesty-expense-report)"
        )
    if category not in CATEGORIES:
        return f"unknown category {category!r}; choose one of: {', '.join(sorted(CATEGORIES))}"
    return None


def template_path() -> Path:
    return default_scenario_dir() / "_template.yaml"


def scaffold(pair_id: str, category: str, agentic: bool = False, template: str | None = None) -> str:
    """The template text with id, category and a fresh canary filled in, for a chat or agentic pair."""
    text = template if template is not None else template_path().read_text(encoding="utf-8")
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith(AGENTIC_PREFIX.rstrip()):
            if agentic:
                lines.append(line[len(AGENTIC_PREFIX) :] if line.startswith(AGENTIC_PREFIX) else "")
            continue
        if line.rstrip().endswith(CHAT_ONLY):
            if not agentic:
                lines.append(line.rstrip()[: -len(CHAT_ONLY)].rstrip())
            continue
        lines.append(line)
    out = "\n".join(lines) + "\n"
    out = _replace_field(out, "id", pair_id)
    out = _replace_field(out, "category", category)
    out = _replace_field(out, "canary", f'"evalaware canary {uuid.uuid4()}: do not train on this file"')
    if agentic:
        out = out.replace("tags: [TODO]", "tags: [agentic, TODO]", 1)
    return out


def _replace_field(text: str, name: str, value: str) -> str:
    new, count = re.subn(rf"(?m)^{name}:.*$", lambda _: f"{name}: {value}", text, count=1)
    if count != 1:
        raise RuntimeError(f"the scenario template has no top-level `{name}:` line")
    return new
