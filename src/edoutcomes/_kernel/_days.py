"""Day numbers and school years over columns of ``int32`` day numbers."""

from __future__ import annotations

import datetime as dt

import numpy as np
from numpy.typing import NDArray

from ..model import EPOCH, MISSING_DAY

__all__ = ["day", "school_year_start"]

_EPOCH_ORDINAL = EPOCH.toordinal()

IntArray = NDArray[np.int32]


def day(value: dt.date) -> int:
    """
    The columnar day number of *value*.

    Examples:
        >>> day(dt.date(1970, 1, 11))
        10
    """
    return value.toordinal() - _EPOCH_ORDINAL


def _datetimes(days: IntArray) -> NDArray[np.datetime64]:
    return days.astype(np.int64).astype("datetime64[D]")


def school_year_start(days: IntArray) -> IntArray:
    """
    The school year (July-June) of each day, as the calendar year of its July 1; -1 if missing.

    Examples:
        >>> school_year_start(np.array([day(dt.date(2024, 6, 30)), day(dt.date(2024, 7, 1)), MISSING_DAY], np.int32)).tolist()
        [2023, 2024, -1]
    """
    present = days != MISSING_DAY
    safe = np.where(present, days, 0)
    months = _datetimes(safe).astype("datetime64[M]").astype(np.int64)
    year = months // 12 + 1970
    month = months % 12 + 1
    return np.where(present, year - (month < 7), -1).astype(np.int32)
