"""Pieces every statistics module shares: the variant names, the frozen result base, NaN handling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

#: The two variants of a scenario pair, in the order reports print them.
VARIANTS: tuple[str, str] = ("test", "deploy")

NAN = float("nan")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def as_float_array(values: Sequence[float | None] | np.ndarray | pd.Series) -> np.ndarray:
    # None, NaN and pandas' NA all mean "unscored"; map them to one NaN so one mask covers all.
    if isinstance(values, pd.Series):
        return pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
