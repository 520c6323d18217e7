"""
Dates and day numbers: the one date check, the one day number and the one bucketing function.

Every window kind is built on :func:`bucket_days`: the cohort query's academic years, the
high-school class and college years, and the Oregon school years (:func:`school_year_start`).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InvalidArgumentError
from ..model import EPOCH, MISSING_DAY

__all__ = ["bucket_days", "bucket_lookup", "check_date", "date_of", "day", "school_year_start"]

_EPOCH_ORDINAL = EPOCH.toordinal()

IntArray = NDArray[np.int32]
_Int = TypeVar("_Int", np.int16, np.int32)


def check_date(name: str, value: object) -> dt.date:
    """
    Return *value* if it is a date (not a datetime), else raise naming the argument *name*.

    Examples:
        >>> check_date("as_of", dt.date(2020, 1, 1))
        datetime.date(2020, 1, 1)
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"{name}={value!r} is not a datetime.date (datetimes are refused, so time zones can't move a day)"
        raise InvalidArgumentError(msg)
    return value


def day(value: dt.date) -> int:
    """
    The columnar day number (days since 1970-01-01) of *value*.

    Examples:
        >>> day(dt.date(1970, 1, 11))
        10
    """
    return value.toordinal() - _EPOCH_ORDINAL


def date_of(number: int) -> dt.date:
    """
    The date of the columnar day number *number* (the inverse of :func:`day`).

    Examples:
        >>> date_of(10)
        datetime.date(1970, 1, 11)
    """
    return dt.date.fromordinal(number + _EPOCH_ORDINAL)


def bucket_lookup(days: ArrayLike, edges: list[int], dtype: type[_Int]) -> NDArray[_Int]:
    """
    The bucket of each day, ``edges[i] <= day < edges[i + 1]``, -1 outside, as *dtype*.

    *edges* must be increasing (:func:`bucket_days` checks them for its callers).

    Examples:
        >>> bucket_lookup([0, 5, 10, 12], [1, 6, 11], np.int16).tolist()
        [-1, 0, 1, -1]
    """
    first, last = edges[0], edges[-1]
    # A lookup table over the days the buckets span (a few thousand entries for a report):
    # slot 0 holds every day before the first edge, the last slot every day from the last.
    # Clipping then one gather is several times faster than a binary search per day.
    table = np.full(last - first + 2, -1, dtype=dtype)
    for i in range(len(edges) - 1):
        table[edges[i] - first + 1 : edges[i + 1] - first + 1] = i
    offsets = np.clip(np.asarray(days), first - 1, last)
    offsets -= first - 1
    out: NDArray[_Int] = table[offsets]
    return out


def bucket_days(days: ArrayLike, boundaries: ArrayLike) -> NDArray[np.int32]:
    """
    The bucket ``i`` (``int32``) with ``boundaries[i] <= day < boundaries[i + 1]`` of each day, -1 outside.

    The one bucketing function of every window kind (windows that start on a fixed
    calendar day, e.g. every Sept 1 or Aug 15, or on the anniversaries of a search date):
    a clip and one gather from a lookup table over the days the boundaries span.
    Missing days (``MISSING_DAY``) give -1.

    Args:
        days: Day numbers (days since 1970-01-01), any shape.
        boundaries: Strictly increasing day numbers: the first day of each bucket, then
            the day after the last bucket.

    Raises:
        InvalidArgumentError: If *boundaries* has fewer than two days or is not increasing.

    Examples:
        >>> bucket_days([-1, 0, 9, 10, 19, 20], [0, 10, 20]).tolist()
        [-1, 0, 0, 1, 1, -1]
    """
    edges = np.asarray(boundaries, dtype=np.int64)
    if edges.ndim != 1 or len(edges) < 2 or bool((np.diff(edges) <= 0).any()):
        msg = "boundaries must be at least two strictly increasing day numbers"
        raise InvalidArgumentError(msg)
    return bucket_lookup(np.asarray(days, dtype=np.int64), edges.tolist(), np.int32)


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
