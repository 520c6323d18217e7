"""Birth dates as ``YYYYMMDD`` integers, the form the digit-level comparisons work on."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .._kernel._days import MISSING_DAY, civil_parts

__all__ = ["ymd"]


def ymd(days: NDArray[np.int32]) -> NDArray[np.int64]:
    """Day numbers as ``YYYYMMDD`` integers (-1 for missing)."""
    out = np.full(len(days), -1, dtype=np.int64)
    ok = days != MISSING_DAY
    y, m, d = civil_parts(days[ok])
    out[ok] = y * 10000 + m * 100 + d
    return out
