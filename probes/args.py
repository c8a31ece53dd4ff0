"""Task arguments shared by every evalaware task: ``-T key=value`` arrives as a string,
Python callers pass lists; both become pairs and an epochs policy here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evalaware.scenarios.schema import ScenarioPair
    from inspect_ai import Epochs


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


def chosen_pairs(
    scenario_dir: str | Sequence[str] | None,
    pairs: str | Sequence[str] | None,
    categories: str | Sequence[str] | None,
    tags: str | Sequence[str] | None,
) -> list[ScenarioPair]:
    """The library (or ``scenario_dir``) filtered by the task's selection arguments."""
    from evalaware.scenarios.loader import load_library, select_pairs

    library = load_library(as_list(scenario_dir) or None)
    return select_pairs(library, as_list(pairs), as_list(categories), as_list(tags))


def numeric_or_nan(value: object) -> float:
    """Epoch reduction reads every key of our dict scores; the descriptive string keys
    (where, kinds, method) are not averaged -- they stay per epoch in the samples -- and must
    not flood the terminal with conversion warnings."""
    if isinstance(value, bool | int | float):
        return float(value)
    return float("nan")


def epochs_of(value: int | str | None) -> Epochs:
    """``epochs`` task argument → Inspect epochs, reduced by mean over numeric keys only."""
    from inspect_ai import Epochs
    from inspect_ai.scorer import mean_score

    return Epochs(as_int(value, "epochs") or 1, mean_score(value_to_float=numeric_or_nan))
