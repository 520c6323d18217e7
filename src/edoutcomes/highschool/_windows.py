"""The calendar of high-school outcomes: classes, college years, the fall window, as windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import MonthDay, years_of
from ..errors import InvalidArgumentError

__all__ = ["MonthDay", "Windows", "class_of", "year_of"]


def _month_day(name: str) -> Any:
    def check(instance: object, attribute: object, value: MonthDay) -> None:
        ok = isinstance(value, tuple) and len(value) == 2
        if ok:
            try:
                dt.date(2001, *value)  # a common year: Feb 29 is refused on purpose
            except (TypeError, ValueError):
                ok = False
        if not ok:
            msg = f"{name}={value!r} is not a (month, day) of every year"
            raise InvalidArgumentError(msg)

    return check


def _positive(instance: object, attribute: Any, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 50:
        msg = f"{attribute.name}={value!r} must be a whole number of years, 1 to 50"
        raise InvalidArgumentError(msg)


@frozen
class Windows:
    """
    Every window of the high-school definitions, with the spec's defaults.

    Attributes:
        class_start: First day of a class: the class of ``Y`` graduated from
            ``class_start`` of ``Y-1`` to the day before ``class_start`` of ``Y`` (Sept 1).
        year_start: First day of a college year: year ``k`` runs from ``year_start`` of
            ``Y+k-1`` to the day before ``year_start`` of ``Y+k`` (Aug 15); it is also the
            first day of the fall window.
        fall_end: Last day of the fall window of ``Y`` (Oct 31).
        completion_years: ``n`` of "completed within n years" (6).
        progress_years: College years with a progress category (8).

    Examples:
        >>> w = Windows()
        >>> w.college_year(2020, 1)
        (datetime.date(2020, 8, 15), datetime.date(2021, 8, 14))
        >>> w.class_bounds(2020)
        (datetime.date(2019, 9, 1), datetime.date(2020, 8, 31))
    """

    class_start: MonthDay = field(default=(9, 1), validator=_month_day("class_start"))
    year_start: MonthDay = field(default=(8, 15), validator=_month_day("year_start"))
    fall_end: MonthDay = field(default=(10, 31), validator=_month_day("fall_end"))
    completion_years: int = field(default=6, validator=_positive)
    progress_years: int = field(default=8, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if dt.date(2001, *self.fall_end) < dt.date(2001, *self.year_start):
            msg = f"fall_end={self.fall_end!r} is before year_start={self.year_start!r}"
            raise InvalidArgumentError(msg)
        if self.completion_years > self.progress_years:
            msg = (
                f"completion_years={self.completion_years} is more than "
                f"progress_years={self.progress_years} (each year to completion needs one)"
            )
            raise InvalidArgumentError(msg)

    def class_bounds(self, year: int) -> tuple[dt.date, dt.date]:
        """First and last graduation day of the class of *year*."""
        return (
            dt.date(year - 1, *self.class_start),
            dt.date(year, *self.class_start) - dt.timedelta(days=1),
        )

    def college_year(self, year: int, k: int) -> tuple[dt.date, dt.date]:
        """First and last day of college year *k* (1, 2, ...) of the class of *year*."""
        return (
            dt.date(year + k - 1, *self.year_start),
            dt.date(year + k, *self.year_start) - dt.timedelta(days=1),
        )

    def fall(self, year: int) -> tuple[dt.date, dt.date]:
        """First and last day of the fall right after high school for the class of *year*."""
        return dt.date(year, *self.year_start), dt.date(year, *self.fall_end)


def class_of(grad_days: NDArray[np.int32], class_start: MonthDay = (9, 1)) -> NDArray[np.int32]:
    """
    The class year of each graduation day (``int32``), -1 for a missing day.

    The class of ``Y`` graduated from ``class_start`` of ``Y-1`` to the day before
    ``class_start`` of ``Y``: the kernel's yearly window
    (:func:`~edoutcomes._kernel._days.years_of`) named by the year it ends in.

    Examples:
        >>> from edoutcomes.model import dates_to_days
        >>> days = dates_to_days([dt.date(2019, 8, 31), dt.date(2019, 9, 1), None])
        >>> class_of(days).tolist()
        [2019, 2020, -1]
    """
    return years_of(grad_days, class_start, offset=1)


def year_of(days: NDArray[np.int32], month_day: MonthDay) -> NDArray[np.int32]:
    """
    The year ``A`` with ``month_day`` of ``A`` <= day < ``month_day`` of ``A+1``; a sentinel for missing.

    Missing days give a very negative year, so ``A - Y + 1`` is never a college year.
    """
    return years_of(days, month_day, missing=-10_000)
