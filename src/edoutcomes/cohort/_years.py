"""Academic years of a cohort query: the windows ``(S + k years, S + (k+1) years]``."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import numpy as np
from attrs import frozen
from dateutil.relativedelta import relativedelta
from numpy.typing import ArrayLike, NDArray

from ..errors import InvalidArgumentError
from ..model import EPOCH

_Int = TypeVar("_Int", np.int16, np.int32)

__all__ = [
    "AcademicYear",
    "academic_years",
    "bucket_days",
    "check_date",
    "to_day",
    "year_boundaries",
    "year_index",
]

_EPOCH_ORDINAL = EPOCH.toordinal()
# Year indexes are int16 (a report of more years than this is not a cohort query).
_MAX_YEARS = 1000


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


def to_day(day: dt.date) -> int:
    """The columnar view's day number (days since 1970-01-01) of *day*."""
    return day.toordinal() - _EPOCH_ORDINAL


def _anniversary(search_date: dt.date, k: int) -> dt.date:
    # Always from the search date itself, so a Feb 29 date comes back to Feb 29 in leap years.
    return search_date + relativedelta(years=k)


@frozen
class AcademicYear:
    """
    One column of the cohort report: year *index* after the search date, first and last day inclusive.

    Attributes:
        index: ``k``: 0 for the first year after the search date.
        first_day: The day after the ``k``-th anniversary of the search date.
        last_day: The ``k+1``-th anniversary of the search date.

    Examples:
        >>> year = AcademicYear(0, dt.date(2001, 9, 16), dt.date(2002, 9, 15))
        >>> year.label, year.contains(dt.date(2002, 9, 15))
        ('2001-02', True)
    """

    index: int
    first_day: dt.date
    last_day: dt.date

    @property
    def label(self) -> str:
        """The column label: the year the window starts, a dash, the next year's last two digits."""
        start = self.first_day.year
        return f"{start}-{(start + 1) % 100:02d}"

    def contains(self, day: dt.date) -> bool:
        """Whether *day* falls in this year (both ends inclusive)."""
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.label


def academic_years(search_date: dt.date, *, as_of: dt.date) -> tuple[AcademicYear, ...]:
    """
    The report's columns: every academic year after *search_date* that has started by *as_of*.

    Year ``k`` runs from the day after the ``k``-th anniversary of the search date to the
    next anniversary, inclusive. A Feb 29 search date has its anniversaries on Feb 28 in
    common years. There is always at least one year.

    Args:
        search_date: The cohort's search date ``S``.
        as_of: The report date: a year is a column when its first day is on or before it.

    Raises:
        InvalidArgumentError: If either argument is not a date (datetimes are refused).

    Examples:
        >>> years = academic_years(dt.date(2001, 9, 15), as_of=dt.date(2003, 1, 1))
        >>> [(y.label, y.first_day.isoformat(), y.last_day.isoformat()) for y in years]
        [('2001-02', '2001-09-16', '2002-09-15'), ('2002-03', '2002-09-16', '2003-09-15')]
        >>> [y.last_day.isoformat() for y in academic_years(dt.date(2000, 2, 29), as_of=dt.date(2002, 3, 1))]
        ['2001-02-28', '2002-02-28', '2003-02-28']
    """
    check_date("search_date", search_date)
    check_date("as_of", as_of)
    years: list[AcademicYear] = []
    k = 0
    start = _anniversary(search_date, 0)
    while True:
        end = _anniversary(search_date, k + 1)
        first_day = start + dt.timedelta(days=1)
        if years and first_day > as_of:
            break
        years.append(AcademicYear(k, first_day, end))
        start, k = end, k + 1
    return tuple(years)


def year_boundaries(search_date: dt.date, n_years: int) -> NDArray[np.int32]:
    """
    Day numbers of the anniversaries ``S + k years`` for ``k = 0 .. n_years``.

    Examples:
        >>> year_boundaries(dt.date(1970, 1, 1), 2).tolist()
        [0, 365, 730]
    """
    check_date("search_date", search_date)
    return np.array(
        [to_day(_anniversary(search_date, k)) for k in range(n_years + 1)], dtype=np.int32
    )


def year_index(days: ArrayLike, search_date: dt.date, n_years: int) -> NDArray[np.int16]:
    """
    The academic year (``int16``, 0 .. n_years-1) of each day number, -1 when it is in none.

    *days* are the columnar view's ``int32`` days since 1970-01-01; missing days
    (``MISSING_DAY``), days on or before the search date, and days after the last year
    all give -1. Vectorised: a clip and one gather from a table of the years' days.

    Args:
        days: Day numbers, any shape.
        search_date: The cohort's search date ``S``.
        n_years: Number of years (report columns).

    Examples:
        >>> from edoutcomes.model import dates_to_days
        >>> days = dates_to_days([dt.date(2001, 9, 15), dt.date(2001, 9, 16), dt.date(2002, 9, 15),
        ...                       dt.date(2002, 9, 16), dt.date(2003, 9, 16), None])
        >>> year_index(days, dt.date(2001, 9, 15), 2).tolist()
        [-1, 0, 0, 1, -1, -1]
    """
    if not 1 <= n_years <= _MAX_YEARS:
        msg = f"{n_years=} must be between 1 and {_MAX_YEARS}"
        raise InvalidArgumentError(msg)
    # Year k is (b_k, b_k+1]: the days b_k + 1 .. b_k+1, a bucket of bucket_days.
    starts = [day + 1 for day in year_boundaries(search_date, n_years).tolist()]
    return _lookup(days, starts, np.int16)


def _lookup(days: ArrayLike, edges: list[int], dtype: type[_Int]) -> NDArray[_Int]:
    """The bucket of each day, ``edges[i] <= day < edges[i + 1]``, -1 outside, as *dtype*."""
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

    The generalisation of :func:`year_index` to any increasing day numbers (windows that
    start on a fixed calendar day, e.g. every Sept 1 or Aug 15): the same clip and one
    gather from a lookup table over the days the boundaries span. Missing days
    (``MISSING_DAY``) give -1.

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
    return _lookup(np.asarray(days, dtype=np.int64), edges.tolist(), np.int32)
