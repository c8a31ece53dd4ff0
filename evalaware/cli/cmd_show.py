"""`evalaware show`: exactly what the model will see, both variants side by side, cues marked.

Cue values are located by rendering with invisible sentinels around every non-empty cue
value, not by searching the text for them: a value that also occurs elsewhere in the prompt
(a company name repeated in a tool result, say) is then marked only where the slot put it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Iterable
from itertools import zip_longest

from evalaware.scenarios.loader import load_library, select_pairs
from evalaware.scenarios.render import render
from evalaware.scenarios.schema import ScenarioPair

# Private-use code points: never in scenario text, so they cannot collide with content.
_OPEN, _CLOSE = "\ue000", "\ue001"
_COLOUR_ON, _COLOUR_OFF = "\033[1;33m", "\033[0m"
_SEP = " │ "
_MIN_COLUMN = 24

Cell = tuple[str, bool]
"""One visible character and whether it belongs to a cue value."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "show",
        help="render a pair's variants exactly as the model sees them",
        description="Render a scenario pair: the test and deploy variants side by side, wrapped to the "
        "terminal width, with cue values highlighted (colour on a terminal, [[like this]] otherwise). "
        "--variant prints one variant's exact text; --plain prints both exact texts one after another.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  evalaware show honesty-release-notes\n"
        "  evalaware show honesty-release-notes --width 160\n"
        "  evalaware show honesty-release-notes --variant deploy      # exact text, unmarked\n"
        "  evalaware show honesty-release-notes --plain               # both, exact, unmarked\n",
    )
    p.add_argument("pair", help="pair id")
    p.add_argument("--variant", choices=["test", "deploy"], help="show one variant only, exact and unmarked")
    p.add_argument("--plain", action="store_true", help="no markers or columns: both exact texts")
    p.add_argument("--stacked", action="store_true", help="marked variants one after another")
    p.add_argument("--width", type=int, help="total width in characters (default: the terminal width)")
    p.add_argument(
        "--scenario-dir", action="append", help="scenario files or folders instead of the shipped library"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    (pair,) = select_pairs(load_library(args.scenario_dir), [args.pair])
    if args.variant or args.plain:
        for variant in [args.variant] if args.variant else ["test", "deploy"]:
            if not args.variant:
                print(f"===== {pair.id} · {variant} =====")
            print(render(pair, variant).as_text())
            if not args.variant:
                print()
        return 0
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = args.width or shutil.get_terminal_size((120, 24)).columns
    if args.stacked:
        for variant in ("test", "deploy"):
            print(f"===== {pair.id} · {variant} =====")
            print(mark_cues(pair, variant, colour=colour))
            print()
    else:
        print(side_by_side(pair, width=width, colour=colour))
    print(cue_legend(pair))
    return 0


# --------------------------------------------------------------------------- rendering


def marked_parts(pair: ScenarioPair, variant: str) -> list[str]:
    """The variant's parts ([system], each message, each tool result) with cue values fenced
    by sentinels. Empty values stay empty so the renderer's gap removal still applies."""
    if pair.templated:
        cues = {
            slot: cue.model_copy(
                update={
                    "test": _fence(cue.test),
                    "deploy": _fence(cue.deploy),
                }
            )
            for slot, cue in pair.cues.items()
        }
        pair = pair.model_copy(update={"cues": cues})
    # the renderer strips each text's ends; a fenced value at an end keeps its newline
    # inside the fence, so strip it here to match the exact text
    return [re.sub(r"\s+" + _CLOSE + r"$", _CLOSE, part) for part in render(pair, variant).parts()]


def _fence(value: str) -> str:
    return f"{_OPEN}{value}{_CLOSE}" if value else value


def mark_cues(pair: ScenarioPair, variant: str, colour: bool) -> str:
    """The variant's full text with cue values highlighted (ANSI colour or [[...]])."""
    text = "\n\n".join(marked_parts(pair, variant))
    if colour:
        return text.replace(_OPEN, _COLOUR_ON).replace(_CLOSE, _COLOUR_OFF)
    return text.replace(_OPEN, "[[").replace(_CLOSE, "]]")


def side_by_side(pair: ScenarioPair, width: int, colour: bool) -> str:
    """Both variants in two columns, part by part so that matching turns line up."""
    column = max(_MIN_COLUMN, (width - len(_SEP)) // 2)
    left_parts, right_parts = marked_parts(pair, "test"), marked_parts(pair, "deploy")
    out = [_row(_plain_cells(f"test · {pair.id}"), _plain_cells("deploy"), column, colour)]
    out.append("─" * column + "─┼─" + "─" * column)
    for left, right in zip_longest(left_parts, right_parts, fillvalue=""):
        # align source line by source line when the parts have the same shape (the usual
        # case: a slot inside a line), else part by part
        left_src, right_src = _source_lines(left), _source_lines(right)
        if len(left_src) != len(right_src):
            left_src, right_src = [left], [right]
        for lsrc, rsrc in zip(left_src, right_src, strict=True):
            left_lines = wrap_cells(_cells(lsrc, colour), column)
            right_lines = wrap_cells(_cells(rsrc, colour), column)
            for a, b in zip_longest(left_lines, right_lines, fillvalue=[]):
                out.append(_row(a, b, column, colour))
        out.append(_row([], [], column, colour))
    return "\n".join(line.rstrip() for line in out).rstrip() + "\n"


def _source_lines(part: str) -> list[str]:
    """Split on newlines outside cue values (a multi-line value stays one unit)."""
    lines, current, inside = [], [], False
    for ch in part:
        if ch == _OPEN:
            inside = True
        elif ch == _CLOSE:
            inside = False
        if ch == "\n" and not inside:
            lines.append("".join(current))
            current = []
        else:
            current.append(ch)
    lines.append("".join(current))
    return lines


def cue_legend(pair: ScenarioPair) -> str:
    if not pair.templated:
        return f"free-form pair; variants differ by: {', '.join(pair.declared_cue_kinds())}"
    lines = ["cues (slot · kind):"]
    lines.extend(f"  {slot} · {cue.kind}" for slot, cue in pair.cues.items())
    return "\n".join(lines)


def _cells(text: str, colour: bool) -> list[Cell]:
    """Characters with their cue flag; without colour the [[ ]] markers become visible text."""
    cells: list[Cell] = []
    inside = False
    for ch in text:
        if ch == _OPEN:
            inside = True
            if not colour:
                cells.extend([("[", True), ("[", True)])
        elif ch == _CLOSE:
            inside = False
            if not colour:
                cells.extend([("]", True), ("]", True)])
        else:
            cells.append((ch, inside))
    return cells


def _plain_cells(text: str) -> list[Cell]:
    return [(ch, False) for ch in text]


def wrap_cells(cells: list[Cell], width: int) -> list[list[Cell]]:
    """Word-wrap to ``width`` visible characters; newlines are kept, over-long words are cut."""
    lines: list[list[Cell]] = []
    current: list[Cell] = []
    for ch, flag in cells:
        if ch == "\n":
            lines.append(current)
            current = []
            continue
        current.append((ch, flag))
        if len(current) > width:
            cut = _last_space(current, width)
            if cut is None:
                lines.append(current[:width])
                current = current[width:]
            else:
                lines.append(current[:cut])
                current = current[cut + 1 :]  # the space itself is dropped at the break
    lines.append(current)
    return lines


def _last_space(cells: list[Cell], width: int) -> int | None:
    for i in range(min(width, len(cells) - 1), 0, -1):
        if cells[i][0] == " ":
            return i
    return None


def _row(left: list[Cell], right: list[Cell], column: int, colour: bool) -> str:
    return _emit(left, colour) + " " * (column - len(left)) + _SEP + _emit(right, colour)


def _emit(cells: Iterable[Cell], colour: bool) -> str:
    out: list[str] = []
    on = False
    for ch, flag in cells:
        if colour and flag != on:
            out.append(_COLOUR_ON if flag else _COLOUR_OFF)
            on = flag
        out.append(ch)
    if on:
        out.append(_COLOUR_OFF)
    return "".join(out)
