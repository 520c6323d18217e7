"""Academic years of a cohort query: the windows ``(S + k years, S + (k+1) years]``."""

from __future__ import annotations

import datetime as dt

import numpy as np
from attrs import frozen
from numpy.typing import ArrayLike, NDArray

from .._kernel._days import anniversaries, anniversary, bucket_days, check_date
from ..errors import InvalidArgumentError

__all__ = ["AcademicYear", "academic_years", "year_boundaries", "year_index"]

# Year indexes are int16 (a report of more years than this is not a cohort query).
_MAX_YEARS = 1000


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
    start = anniversary(search_date, 0)
    while True:
        end = anniversary(search_date, k + 1)
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
    return anniversaries(search_date, range(n_years + 1))


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
    # Year k is (b_k, b_k+1]: the days b_k + 1 .. b_k+1, a bucket of the kernel's bucket_days.
    starts = [b + 1 for b in year_boundaries(search_date, n_years).tolist()]
    return bucket_days(days, starts, dtype=np.int16)
