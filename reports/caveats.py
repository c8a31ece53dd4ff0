"""Caveats worded for the person who ran the command: shared by the report and the terminal summary."""

from __future__ import annotations

__all__ = ["NATIVE_CRASH", "native_crash", "stopped_abruptly"]

#: What the embedded provider's error says when its model process dies in native code
#: (``evalaware.probes.local_model``); such samples are redone once the model is rebuilt.
NATIVE_CRASH = "the embedded model crashed in native code"


def stopped_abruptly(who: str, completed: int) -> str:
    """A log still in status ``started``: nothing recorded how it ended, so the process died."""
    return (
        f"run stopped abruptly: {who}: the process was killed or crashed (for example a native crash "
        f"of the embedded model) before it finished; the {completed} sample(s) it completed are kept; "
        "run the same command again to resume"
    )


def native_crash(who: str, n: int) -> str:
    return (
        f"{who}: {n} sample(s) errored because {NATIVE_CRASH}; rebuild the embedded model with "
        "`bash scripts/bootstrap.sh`, then run the same command again to redo them"
    )
