"""Upstream Inspect changes that ``bench/ab.py --what-if`` can price before anyone makes them.

Most of what part (a) charges evalaware is Inspect's own per-sample work on the data a probe
has to carry (see README.md). Each entry here is a change to Inspect that keeps its output
byte for byte the same, applied in-process to *both* sides of an A/B, so the ratio it gives
is what evalaware would cost on an Inspect that shipped the change. Only the bench and its
tests import this module: evalaware itself never patches Inspect.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any


def fast_thin_text(width: int, scan: int) -> Callable[[str], str]:
    """Inspect's ``thin_text`` (``textwrap.shorten(text[:scan], width, placeholder="...")``) with
    a fast path for text that already fits.

    ``textwrap.shorten`` first collapses whitespace (``" ".join(text.strip().split())``) and
    returns that when it fits the width, but only after splitting it into words and wrapping
    them: ~20-60 us for a few hundred characters, paid for every metadata string and score
    explanation in two to four summaries per sample. Text no longer than ``width`` always
    collapses to something that fits, so it can skip straight to the join.
    """

    def thin_text(text: str) -> str:
        if len(text) <= width:
            return " ".join(text.split())
        return textwrap.shorten(text[:scan], width=width, placeholder="...")

    return thin_text


def apply_thin_text_fast_path() -> None:
    """Swap Inspect's ``thin_text`` for ``fast_thin_text`` in this process."""
    import inspect_ai.log._log as log_module
    import inspect_ai.log._util as util_module

    patched = fast_thin_text(util_module.THIN_TEXT_WIDTH, util_module.THIN_TEXT_SCAN)
    # thin_metadata looks the name up in _util; EvalSampleSummary.thin_data in _log imported it
    util_module.thin_text = patched
    log_module.thin_text = patched  # type: ignore[attr-defined]


def apply_no_results_render_headless() -> None:
    """With ``display="none"`` Inspect's console is quiet, yet it still lays out the final
    results table (every metric of every scorer: 29 values and ~0.13 s of rich layout for
    paired_probe, 0.015 s for generate() + match()) before printing it to nowhere. Skip the
    layout when nothing can be shown."""
    import inspect_ai._display.rich.display as rich_display
    from inspect_ai.util._display import display_type

    original = rich_display.tasks_results

    def tasks_results(tasks: Any) -> Any:
        return "" if display_type() == "none" else original(tasks)

    rich_display.tasks_results = tasks_results


WHAT_IF: dict[str, Callable[[], None]] = {
    "thin-text-fast-path": apply_thin_text_fast_path,
    "no-results-render-headless": apply_no_results_render_headless,
}
"""Name (``ab.py --what-if NAME``) → the function that applies it in a child process."""
