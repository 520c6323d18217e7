"""
Dates and day numbers: the one date check, the one day number and the one bucketing function.

A date column is ``int32`` days since :data:`EPOCH` (1970-01-01), :data:`MISSING_DAY` where
the date is absent. Every window kind is built on :func:`bucket_days`: the cohort query's
academic years (the anniversaries of a search date), and every window that starts on a fixed
calendar day each year (:func:`years_of`): the high-school classes (Sept 1) and college years
(Aug 15), the Oregon school years (:func:`school_year_start`, July 1) and calendar years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, TypeGuard, TypeVar, overload

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import ArrayLike, NDArray

from ..errors import InvalidArgumentError

__all__ = [
    "EPOCH",
    "MISSING_DAY",
    "NEW_YEAR",
    "NO_DAY",
    "SCHOOL_YEAR_START",
    "MonthDay",
    "add_months",
    "anniversaries",
    "anniversary",
    "bucket_days",
    "check_date",
    "checked_day",
    "civil_days",
    "civil_parts",
    "date_of",
    "dates_to_days",
    "day",
    "days_to_dates",
    "is_date",
    "school_year_start",
    "window_year",
    "year_starts",
    "years_of",
]

EPOCH = dt.date(1970, 1, 1)
"""
Day 0 of the columnar date encoding.

Examples:
    >>> import datetime as dt
    >>> EPOCH, dates_to_days([dt.date(1970, 1, 11)]).tolist()
    (datetime.date(1970, 1, 1), [10])
"""

_EPOCH_ORDINAL = EPOCH.toordinal()
MISSING_DAY = np.int32(np.iinfo(np.int32).min)
"""
The ``int32`` day number that stands for a missing date (before every real day).

Examples:
    >>> import datetime as dt
    >>> days = dates_to_days([dt.date(2016, 9, 15), None])
    >>> bool(days[1] == MISSING_DAY), days_to_dates(days)
    (True, [datetime.date(2016, 9, 15), None])
"""

#: The ``int32`` day number after every real day: the earliest of no days, an open end.
NO_DAY = np.int32(np.iinfo(np.int32).max)

#: A ``(month, day)`` on which a yearly window starts.
MonthDay = tuple[int, int]
#: Calendar years start on Jan 1.
NEW_YEAR: MonthDay = (1, 1)
#: School years (the Oregon K-12 data's) run July 1 to June 30.
SCHOOL_YEAR_START: MonthDay = (7, 1)

IntArray = NDArray[np.int32]
_Int = TypeVar("_Int", np.int16, np.int32)


# --------------------------------------------------------------------------- dates


def is_date(value: object) -> TypeGuard[dt.date]:
    """
    Whether *value* is a ``datetime.date`` and not a ``datetime`` (the one date test).

    Examples:
        >>> is_date(dt.date(2020, 1, 1)), is_date(dt.datetime(2020, 1, 1)), is_date("2020-01-01")
        (True, False, False)
    """
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


@overload
def check_date(name: str, value: object, *, optional: Literal[False] = ...) -> dt.date: ...
@overload
def check_date(name: str, value: object, *, optional: bool) -> dt.date | None: ...
def check_date(name: str, value: object, *, optional: bool = False) -> dt.date | None:
    """
    Return *value* if it is a date (not a datetime), else raise naming the argument *name*.

    Args:
        name: The argument's name, for the message.
        value: The argument.
        optional: Whether None is accepted (and returned).

    Raises:
        InvalidArgumentError: If *value* is not a date (nor None when *optional*).

    Examples:
        >>> check_date("as_of", dt.date(2020, 1, 1))
        datetime.date(2020, 1, 1)
        >>> check_date("as_of", None, optional=True) is None
        True
    """
    if optional and value is None:
        return None
    if not is_date(value):
        either = " or None" if optional else ""
        msg = (
            f"{name}={value!r} is not a datetime.date{either} "
            "(datetimes are refused, so time zones can't move a day)"
        )
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


def checked_day(name: str, value: object) -> int:
    """
    The day number of the date argument *name* (:func:`check_date`, then :func:`day`).

    Examples:
        >>> checked_day("as_of", dt.date(1970, 1, 2))
        1
    """
    return day(check_date(name, value))


def date_of(number: int) -> dt.date:
    """
    The date of the columnar day number *number* (the inverse of :func:`day`).

    Examples:
        >>> date_of(10)
        datetime.date(1970, 1, 11)
    """
    return dt.date.fromordinal(number + _EPOCH_ORDINAL)


def dates_to_days(dates: Iterable[dt.date | None]) -> IntArray:
    """
    Encode dates as ``int32`` days since 1970-01-01 (``MISSING_DAY`` for None).

    Examples:
        >>> dates_to_days([dt.date(1970, 1, 2), None]).tolist()
        [1, -2147483648]
    """
    return np.fromiter(
        (int(MISSING_DAY) if d is None else d.toordinal() - _EPOCH_ORDINAL for d in dates),
        dtype=np.int32,
    )


def days_to_dates(days: NDArray[np.int32]) -> list[dt.date | None]:
    """
    Decode ``int32`` day numbers back to dates (None for ``MISSING_DAY``).

    Examples:
        >>> days_to_dates(np.array([1, MISSING_DAY], np.int32))
        [datetime.date(1970, 1, 2), None]
    """
    return [None if d == MISSING_DAY else date_of(int(d)) for d in days.tolist()]


def civil_days(year: ArrayLike, month: ArrayLike, day: ArrayLike) -> NDArray[np.int64]:
    """
    Day numbers of the calendar dates ``year-month-day``, vectorised (``int64``).

    Months outside 1-12 and days past a month's end roll over, as ``datetime64`` arithmetic
    does (``2001-02-30`` is ``2001-03-02``; month 13 is January of the next year).
    Howard Hinnant's days-from-civil algorithm, in integers.

    Examples:
        >>> civil_days([1970, 2000, 2001], [1, 2, 2], [2, 29, 30]).tolist() == [
        ...     1, day(dt.date(2000, 2, 29)), day(dt.date(2001, 3, 2))]
        True
    """
    y = np.asarray(year, dtype=np.int64)
    m = np.asarray(month, dtype=np.int64)
    d = np.asarray(day, dtype=np.int64)
    y = y + (m - 1) // 12
    m = (m - 1) % 12 + 1
    y = y - (m <= 2)
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    out: NDArray[np.int64] = era * 146097 + day_of_era - 719468
    return out


def civil_parts(
    days: ArrayLike,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """
    The calendar year, month and day of each day number (``int64``; the inverse of :func:`civil_days`).

    Only for real days: a missing day's parts are meaningless (mask them first).

    Examples:
        >>> [p.tolist() for p in civil_parts([0, day(dt.date(2024, 2, 29))])]
        [[1970, 2024], [1, 2], [1, 29]]
    """
    # Howard Hinnant's civil-from-days algorithm, in integers (many times faster than
    # datetime64 casts): eras of 400 years from 0000-03-01, years starting in March.
    z = np.asarray(days, dtype=np.int64) + 719468
    era = z // 146097
    day_of_era = z - era * 146097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    march_month = (5 * day_of_year + 2) // 153
    mday = day_of_year - (153 * march_month + 2) // 5 + 1
    month = np.where(march_month < 10, march_month + 3, march_month - 9)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, mday


def add_months(days: IntArray, months: int) -> IntArray:
    """
    Each day plus *months* calendar months (the end of a shorter month clamps), missing kept.

    Examples:
        >>> out = add_months(dates_to_days([dt.date(2024, 2, 29), dt.date(2023, 9, 5), None]), 12)
        >>> days_to_dates(out)
        [datetime.date(2025, 2, 28), datetime.date(2024, 9, 5), None]
    """
    present = days != MISSING_DAY
    year, month, mday = civil_parts(np.where(present, days, 0))
    target = month + months
    length = civil_days(year, target + 1, 1) - civil_days(year, target, 1)
    shifted = civil_days(year, target, np.minimum(mday, length))
    return np.where(present, shifted, MISSING_DAY).astype(np.int32)


# --------------------------------------------------------------------------- windows


def bucket_days(
    days: ArrayLike,
    boundaries: ArrayLike,
    *,
    dtype: type[_Int] = np.int32,  # type: ignore[assignment]
    first: int = 0,
    outside: int = -1,
) -> NDArray[_Int]:
    """
    The bucket of each day: ``first + i`` with ``boundaries[i] <= day < boundaries[i + 1]``.

    The one bucketing function of every window kind (windows that start on a fixed
    calendar day, e.g. every Sept 1 or Aug 15, or on the anniversaries of a search date):
    a clip and one gather from a lookup table over the days the boundaries span, several
    times faster than a binary search per day. Days before the first boundary, from the
    last, and missing days (``MISSING_DAY``) give *outside*.

    Args:
        days: Day numbers (days since 1970-01-01), any shape.
        boundaries: Strictly increasing day numbers: the first day of each bucket, then
            the day after the last bucket.
        dtype: The integer type of the result.
        first: The label of the first bucket (a year, say); the others follow it.
        outside: The label of a day in no bucket.

    Raises:
        InvalidArgumentError: If *boundaries* has fewer than two days or is not increasing.

    Examples:
        >>> bucket_days([-1, 0, 9, 10, 19, 20], [0, 10, 20]).tolist()
        [-1, 0, 0, 1, 1, -1]
        >>> bucket_days([5, 15, MISSING_DAY], [0, 10, 20], dtype=np.int16, first=2001, outside=0).tolist()
        [2001, 2002, 0]
    """
    edges = np.asarray(boundaries, dtype=np.int64)
    if edges.ndim != 1 or len(edges) < 2 or bool((np.diff(edges) <= 0).any()):
        msg = "boundaries must be at least two strictly increasing day numbers"
        raise InvalidArgumentError(msg)
    low, high = int(edges[0]), int(edges[-1])
    # Slot 0 holds every day before the first boundary, the last slot every day from the last.
    table = np.full(high - low + 2, outside, dtype=dtype)
    for i, (start, stop) in enumerate(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True)):
        table[start - low + 1 : stop - low + 1] = first + i
    offsets = np.clip(np.asarray(days), low - 1, high)
    offsets -= low - 1
    out: NDArray[_Int] = table[offsets]
    return out


def window_year(value: dt.date, month_day: MonthDay) -> int:
    """
    The year ``A`` of the yearly window from *month_day* of ``A`` that holds *value* (one date).

    The scalar form of :func:`years_of`.

    Examples:
        >>> window_year(dt.date(2024, 6, 30), SCHOOL_YEAR_START), window_year(dt.date(2024, 7, 1), SCHOOL_YEAR_START)
        (2023, 2024)
    """
    return value.year - ((value.month, value.day) < month_day)


def anniversary(first: dt.date, k: int) -> dt.date:
    """
    The *k*-th anniversary of *first* (``k`` may be negative); Feb 29 falls on Feb 28 in common years.

    Always counted from *first* itself, so a Feb 29 date comes back to Feb 29 in leap years.

    Examples:
        >>> anniversary(dt.date(2000, 2, 29), 1), anniversary(dt.date(2000, 2, 29), 4)
        (datetime.date(2001, 2, 28), datetime.date(2004, 2, 29))
    """
    return first + relativedelta(years=k)


def anniversaries(first: dt.date, years: range) -> IntArray:
    """
    Day numbers (``int32``) of the anniversaries ``first + k years`` for each ``k`` in *years*.

    The boundaries of windows that start on the anniversaries of a date (the cohort query's
    academic years are ``(S + k years, S + (k+1) years]``).

    Examples:
        >>> anniversaries(dt.date(1970, 1, 1), range(3)).tolist()
        [0, 365, 730]
    """
    return np.array([day(anniversary(first, k)) for k in years], dtype=np.int32)


def year_starts(years: range, month_day: MonthDay) -> NDArray[np.int64]:
    """
    Day numbers of *month_day* in each of *years* (index ``y - years.start``).

    Examples:
        >>> year_starts(range(1970, 1973), (1, 1)).tolist()
        [0, 365, 730]
    """
    return civil_days(np.arange(years.start, years.stop, dtype=np.int64), *month_day)


def years_of(
    days: NDArray[np.int32], month_day: MonthDay, *, missing: int = -1, offset: int = 0
) -> IntArray:
    """
    The year ``A`` (``int32``) with *month_day* of ``A`` <= day < *month_day* of ``A+1``.

    A yearly window that starts on *month_day*, named by the calendar year it starts in
    (plus *offset*: 1 names it by the year it ends in), by :func:`bucket_days` over the
    years the days span. Missing days give *missing*.

    Examples:
        >>> days = dates_to_days([dt.date(2024, 6, 30), dt.date(2024, 7, 1), None])
        >>> years_of(days, (7, 1)).tolist(), years_of(days, (7, 1), offset=1, missing=0).tolist()
        ([2023, 2024, -1], [2024, 2025, 0])
    """
    days = np.asarray(days)
    high = int(days.max(initial=MISSING_DAY))
    if high == MISSING_DAY:
        return np.full(days.shape, missing, dtype=np.int32)
    low = int(days.min(where=days != MISSING_DAY, initial=high))
    # From the year before the first day to the one after the last: every day is in a year.
    years = range(date_of(low).year - 1, date_of(high).year + 2)
    return bucket_days(
        days, year_starts(years, month_day), first=years.start + offset, outside=missing
    )


def school_year_start(days: IntArray) -> IntArray:
    """
    The school year (July-June) of each day, as the calendar year of its July 1; -1 if missing.

    Examples:
        >>> school_year_start(np.array([day(dt.date(2024, 6, 30)), day(dt.date(2024, 7, 1)), MISSING_DAY], np.int32)).tolist()
        [2023, 2024, -1]
    """
    return years_of(days, SCHOOL_YEAR_START)
