"""Birth dates as ``YYYYMMDD`` integers, the form the digit-level comparisons work on."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..model import MISSING_DAY

__all__ = ["ymd"]


def ymd(days: NDArray[np.int32]) -> NDArray[np.int64]:
    """Day numbers as ``YYYYMMDD`` integers (-1 for missing)."""
    out = np.full(len(days), -1, dtype=np.int64)
    ok = days != MISSING_DAY
    stamps = days[ok].astype("datetime64[D]")
    years = stamps.astype("datetime64[Y]")
    months = stamps.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years).astype(np.int64) + 1
    d = (stamps - months).astype(np.int64) + 1
    out[ok] = y * 10000 + m * 100 + d
    return out
