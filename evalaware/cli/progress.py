"""The progress lines `evalaware run` prints while Inspect runs with its own display off.

`evalaware run` prints one table at the end, its own (per model and variant, every column
labelled). Inspect's displays end with their results panel, whose metric names are cut to
fit ("rate_by_variant_…", "paired_delta_met…" five times); so by default the run turns
Inspect's display off and this hook says how far each task has got instead: on a terminal
one line rewritten in place, otherwise a line at most every 15 s and at the end of a task.
It is registered with Inspect only by `evalaware run` (``set_active``), never at import:
Inspect announces every registered hook above each eval in the process, so a hook that was
merely imported would print a banner into `evalaware scan`'s JSON or `inspect eval`'s output.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO

from inspect_ai.hooks import Hooks, SampleEnd, TaskEnd, TaskStart, hooks

from evalaware._inspect_compat import init_hooks

__all__ = ["ProgressLines", "progress_lines"]

#: Seconds between lines where the output is not a terminal (a CI log, a file).
LOG_INTERVAL = 15.0


@dataclass
class _Task:
    label: str
    total: int
    done: int = 0
    errors: int = 0
    shown: str = ""
    """The last line printed for this task."""


class ProgressLines:
    """Counts finished samples per task and prints one progress line."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out
        self.tasks: dict[str, _Task] = {}
        self.last = 0.0

    @property
    def stream(self) -> TextIO:
        return self.out or sys.stderr

    def start(self, eval_id: str, label: str, total: int) -> None:
        self.tasks[eval_id] = _Task(label, total)

    def sample(self, eval_id: str, errored: bool) -> None:
        task = self.tasks.get(eval_id)
        if task is None:
            return
        task.done += 1
        task.errors += int(errored)
        self._show(task, final=False)

    def end(self, eval_id: str) -> None:
        task = self.tasks.pop(eval_id, None)
        if task is not None:
            self._show(task, final=True)

    def line(self, task: _Task) -> str:
        # A resumed run runs only what is missing, so "done" is counted against this run, and
        # the task's size is given beside it.
        errors = f", {task.errors} errored" if task.errors else ""
        return f"{task.label}: {task.done} samples done this run ({task.total} in the task{errors})"

    def _show(self, task: _Task, final: bool) -> None:
        tty = self.stream.isatty()
        now = time.monotonic()
        if not final and not tty and now - self.last < LOG_INTERVAL:
            return
        if final and not tty and task.shown == self.line(task):
            return  # the last sample's line already said it
        self.last = now
        task.shown = self.line(task)
        if tty:
            self.stream.write("\r\x1b[2K" + self.line(task) + ("\n" if final else ""))
        else:
            self.stream.write(self.line(task) + "\n")
        self.stream.flush()


progress_lines = ProgressLines()


class _ProgressHooks(Hooks):
    #: Switched on by `evalaware run` for the duration of its eval set.
    active = False

    def enabled(self) -> bool:
        return _ProgressHooks.active

    async def on_task_start(self, data: TaskStart) -> None:
        spec = data.spec
        samples = spec.dataset.samples or len(spec.dataset.sample_ids or [])
        limit = spec.config.limit
        if isinstance(limit, int):
            samples = min(samples, limit)
        elif isinstance(limit, tuple | list) and len(limit) == 2:
            samples = max(0, min(samples, limit[1]) - limit[0])
        total = samples * (spec.config.epochs or 1)
        progress_lines.start(data.eval_id, f"{spec.model} {spec.task.split('/')[-1]}", total)

    async def on_sample_end(self, data: SampleEnd) -> None:
        progress_lines.sample(data.eval_id, errored=data.sample.error is not None)

    async def on_task_end(self, data: TaskEnd) -> None:
        progress_lines.end(data.eval_id)


_registered = False


def set_active(on: bool) -> None:
    """Turn the progress lines on (for one `evalaware run`) or off."""
    global _registered
    if on and not _registered:
        # Inspect loads (and announces) registered hooks once per process: load them first,
        # so ours, registered after, is called without a banner.
        init_hooks()
        hooks(name="evalaware_progress", description="progress lines for `evalaware run`")(_ProgressHooks)
        _registered = True
    _ProgressHooks.active = on
