"""Success and progress: where each submitted student stands after 4 or 6 academic years."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport
from .._kernel._days import anniversary
from ..errors import InvalidArgumentError, NotYetAvailableError
from . import _engine

if TYPE_CHECKING:
    from ._result import CohortQueryResult

__all__ = [
    "SuccessCategory",
    "SuccessProgress",
    "category_counts",
    "check_horizon",
    "known_horizons",
    "success_and_progress",
]


class SuccessCategory(enum.IntEnum):
    """
    A student's success-and-progress category; the first that applies (lowest value) wins.

    Examples:
        >>> SuccessCategory.GRADUATED_SUBMITTING.label
        'Graduated from your institution'
    """

    GRADUATED_SUBMITTING = 1
    GRADUATED_OTHER = 2
    ENROLLED_SUBMITTING = 3
    ENROLLED_OTHER = 4
    UNKNOWN = 5

    @property
    def label(self) -> str:
        """A short description of the category for a report row."""
        return _LABELS[self]


_LABELS = {
    SuccessCategory.GRADUATED_SUBMITTING: "Graduated from your institution",
    SuccessCategory.GRADUATED_OTHER: "Graduated from other institution",
    SuccessCategory.ENROLLED_SUBMITTING: "Enrolled at your institution",
    SuccessCategory.ENROLLED_OTHER: "Enrolled at other institution",
    SuccessCategory.UNKNOWN: "Status unknown",
}


def _largest_remainder(counts: tuple[int, ...], total: int, decimals: int) -> tuple[float, ...]:
    # Rounds each share so that the rounded shares still add up to exactly 100.
    if total == 0:
        return tuple(0.0 for _ in counts)
    unit = 10**decimals
    exact = [Fraction(c * 100 * unit, total) for c in counts]
    floors = [int(x) for x in exact]
    short = 100 * unit - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:short]:
        floors[i] += 1
    return tuple(f / unit for f in floors)


@frozen
class SuccessProgress(ArrowExport):
    """
    The success-and-progress measure at one horizon: five counts that add up to the cohort.

    Attributes:
        horizon: The number of academic years (4 or 6 by default): year ``horizon`` is
            the report column with index ``horizon - 1``.
        any_degree: Whether any counted degree (2-year too) is a graduation, not only a
            4-year degree.
        counts: Students per :class:`SuccessCategory`, in category order.

    Examples:
        >>> sp = SuccessProgress(6, False, (3, 1, 1, 0, 1))
        >>> sp.total, sp.count(SuccessCategory.GRADUATED_SUBMITTING), sp.percentages()
        (6, 3, (50.0, 16.7, 16.7, 0.0, 16.6))
    """

    _html_rows: ClassVar[bool] = True

    horizon: int
    any_degree: bool
    counts: tuple[int, ...] = field(converter=tuple)

    def __attrs_post_init__(self) -> None:
        if len(self.counts) != len(SuccessCategory):
            msg = f"counts has {len(self.counts)} values, expected {len(SuccessCategory)}"
            raise InvalidArgumentError(msg)

    @property
    def total(self) -> int:
        """The students of the (sub)cohort: every one falls in exactly one category."""
        return sum(self.counts)

    def count(self, category: SuccessCategory | int) -> int:
        """Students in *category*."""
        return self.counts[SuccessCategory(category) - 1]

    @property
    def shares(self) -> tuple[float, ...]:
        """Each category's share of the cohort (0 to 1; all 0 for an empty cohort)."""
        total = self.total
        return tuple(c / total if total else 0.0 for c in self.counts)

    def percentages(self, decimals: int = 1) -> tuple[float, ...]:
        """Shares in percent, rounded so that they add up to exactly 100 (largest remainder)."""
        return _largest_remainder(self.counts, self.total, decimals)

    @property
    def name(self) -> str:
        """``success_progress_<horizon>``: the report table's name."""
        return f"success_progress_{self.horizon}"

    @property
    def columns(self) -> tuple[str, ...]:
        """``Category``, ``Count``, ``Percent``."""
        return ("Category", "Count", "Percent")

    def rows(self) -> Iterator[list[object]]:
        """One row per category: label, count, percent (one decimal)."""
        for category, n, pct in zip(SuccessCategory, self.counts, self.percentages(), strict=True):
            yield [category.label, n, pct]

    def as_table(self) -> SuccessProgress:
        """This measure (it is already a report table)."""
        return self


def check_horizon(horizon: int, search_date: dt.date, as_of: dt.date) -> None:
    """
    Raise unless success and progress at *horizon* years is known on *as_of*.

    Raises:
        InvalidArgumentError: If *horizon* is not a whole number, 1 or more.
        NotYetAvailableError: While *as_of* is not past the last day of year *horizon*.
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        msg = f"horizon={horizon!r} must be a whole number of years, 1 or more"
        raise InvalidArgumentError(msg)
    last_day = anniversary(search_date, horizon)
    if as_of <= last_day:
        what = f"success and progress at {horizon} year{'s' if horizon != 1 else ''}"
        raise NotYetAvailableError(what, last_day + dt.timedelta(days=1), as_of)


def known_horizons(search_date: dt.date, as_of: dt.date, n_years: int) -> list[int]:
    """The horizons 1 .. *n_years* whose success and progress is known on *as_of*."""
    return [h for h in range(1, n_years + 1) if as_of > anniversary(search_date, h)]


def category_counts(
    state: _engine.QueryState,
    as_of: dt.date,
    groupings: list[tuple[NDArray[np.intp], int]],
    *,
    known: bool = True,
) -> list[Any]:
    """
    Students per success category of each group, at every known horizon, for both
    meanings of graduating (index 0: 4-year degrees, 1: any degree).

    Args:
        state: The engine's pass over the cohort.
        as_of: The report date.
        groupings: Each student's group (0 .. n_groups-1, or -1 for none) and n_groups.
        known: False gives None for every grouping (the counts are not wanted).

    Returns:
        Per grouping, int64 (n_groups, 2, n_years, 5); zeros where a horizon is not known yet.
    """
    if not known:
        return [None for _ in groupings]
    n_years = state.n_years
    n = len(SuccessCategory)
    out = [np.zeros((size, 2, n_years, n), dtype=np.int64) for _, size in groupings]
    for horizon in known_horizons(state.search_date, as_of, n_years):
        for variant in (0, 1):
            categories = _engine.success_categories(state, horizon, any_degree=bool(variant))
            for (g, size), counts in zip(groupings, out, strict=True):
                slot = np.where(g < 0, size, g) * (n + 1) + categories
                total = np.bincount(slot, minlength=(size + 1) * (n + 1))
                counts[:, variant, horizon - 1] = total.reshape(size + 1, n + 1)[:size, 1:]
    return out


def success_and_progress(
    result: CohortQueryResult, *, horizon: int = 6, any_degree: bool = False
) -> SuccessProgress:
    """
    The success-and-progress measure of a cohort query at *horizon* academic years.

    Each submitted student (not found ones included) falls in the first category that
    applies: graduated from the submitting institution by the end of year *horizon*;
    graduated elsewhere; enrolled at the submitting institution in that year; enrolled
    elsewhere; unknown. Where the student's first graduating degree was awarded decides
    between the first two (the submitting institution wins a same-day tie).

    Args:
        result: A :func:`cohort_query` (or subgroup) result.
        horizon: The number of academic years, 1 or more.
        any_degree: Count any counted degree (2-year too) as graduating, not only 4-year ones.

    Returns:
        The measure.

    Raises:
        NotYetAvailableError: while the report date is not past the last day of year *horizon*
            (its message and ``available_on`` give the first day it is known).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Cohort, Student
        >>> from edoutcomes.cohort import cohort_query
        >>> r = cohort_query(Cohort([Student("1")]), search_date=dt.date(2001, 9, 15),
        ...                  institution="001817", as_of=dt.date(2006, 1, 1))
        >>> r.success(4).counts
        (0, 0, 0, 0, 1)
        >>> from edoutcomes.errors import NotYetAvailableError
        >>> try:
        ...     r.success(6)
        ... except NotYetAvailableError as error:
        ...     print(error.available_on, "-", error)  # doctest: +ELLIPSIS
        2007-09-16 - success and progress at 6 years is not available until 2007-09-16 (...)
    """
    state = result._state
    check_horizon(horizon, state.search_date, result.as_of)
    key = ("success", horizon, bool(any_degree))
    if key not in state.cache:
        state.cache[key] = _engine.success_categories(state, horizon, any_degree=any_degree)
    categories = state.cache[key]
    if result._members is not None:
        categories = categories[result._members]
    counts = np.bincount(categories, minlength=len(SuccessCategory) + 1)[1:]
    return SuccessProgress(horizon, bool(any_degree), tuple(counts.tolist()))
