"""Errors the CLI turns into a one-line message and exit code 2 (no traceback).

Kept apart from ``evalaware.cli.main`` so that ``python -m evalaware.cli.main`` (where the CLI module is
``__main__``) and the command modules share one class.
"""


class UsageError(Exception):
    """A user mistake: bad arguments, an unknown model, a missing key."""
