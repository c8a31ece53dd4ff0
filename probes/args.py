"""Task argument parsing: ``-T key=value`` arrives as a string, Python callers pass lists
and numbers; both become lists and whole numbers here (``evalaware.probes.task_base`` turns
them into pairs and an epochs policy)."""

from __future__ import annotations

from collections.abc import Sequence


def as_list(value: str | Sequence[str] | None) -> list[str]:
    """``"a,b"`` / ``["a", "b"]`` / ``None`` → ``["a", "b"]`` / ``[]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def as_int(value: int | str | None, name: str, minimum: int = 1) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"task argument {name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"task argument {name} must be at least {minimum}, got {number}")
    return number
