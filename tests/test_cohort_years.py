"""Academic years of the cohort query: windows, labels, Feb 29, columns, vectorised bucketing."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from edoutcomes.cohort import AcademicYear, academic_years, year_index
from edoutcomes.errors import InvalidArgumentError
from edoutcomes.model import dates_to_days

D = dt.date


def _reference_year(day: dt.date | None, search_date: dt.date, n_years: int) -> int:
    """The year of *day* by the spec's words: (S + k years, S + (k+1) years], else -1."""
    if day is None:
        return -1
    for k in range(n_years):
        if search_date + relativedelta(years=k) < day <= search_date + relativedelta(years=k + 1):
            return k
    return -1


class TestAcademicYears:
    def test_guide_example(self) -> None:
        """
        The guide's example: search date 2001-09-15 gives 2001-09-16 .. 2002-09-15, labelled 2001-02.
        """
        years = academic_years(D(2001, 9, 15), as_of=D(2002, 9, 16))

        assert [
            AcademicYear(0, D(2001, 9, 16), D(2002, 9, 15)),
            AcademicYear(1, D(2002, 9, 16), D(2003, 9, 15)),
        ] == list(years)
        assert ("2001-02", "2002-03") == tuple(y.label for y in years)

    @pytest.mark.parametrize(
        ("search_date", "label"),
        [(D(1999, 9, 15), "1999-00"), (D(2009, 6, 1), "2009-10"), (D(2006, 12, 31), "2007-08")],
    )
    def test_label(self, search_date: dt.date, label: str) -> None:
        """
        The label is the calendar year the window starts in, then the next year's two digits.
        """
        assert label == academic_years(search_date, as_of=search_date)[0].label

    def test_feb_29(self) -> None:
        """
        Anniversaries of Feb 29 fall on Feb 28 in common years, and on Feb 29 in leap years.
        """
        years = academic_years(D(2000, 2, 29), as_of=D(2004, 3, 1))

        assert [D(2001, 2, 28), D(2002, 2, 28), D(2003, 2, 28), D(2004, 2, 29), D(2005, 2, 28)] == [
            y.last_day for y in years
        ]
        assert [D(2000, 3, 1), D(2001, 3, 1), D(2002, 3, 1), D(2003, 3, 1), D(2004, 3, 1)] == [
            y.first_day for y in years
        ]

    @pytest.mark.parametrize(
        ("as_of", "n"),
        [
            (D(2001, 1, 1), 1),
            (D(2001, 9, 15), 1),
            (D(2002, 9, 15), 1),
            (D(2002, 9, 16), 2),
            (D(2008, 9, 16), 8),
        ],
    )
    def test_columns_started_by_as_of(self, as_of: dt.date, n: int) -> None:
        """
        One column per year started on or before the as-of date, and always at least one.
        """
        assert n == len(academic_years(D(2001, 9, 15), as_of=as_of))

    @given(st.dates(D(1990, 1, 1), D(2030, 12, 31)), st.integers(0, 3000))
    def test_years_tile_the_time_after_search_date(self, search_date: dt.date, days: int) -> None:
        """
        Consecutive years touch, never overlap, and the last one has started by as_of.
        """
        as_of = search_date + dt.timedelta(days=days)
        years = academic_years(search_date, as_of=as_of)

        assert search_date + dt.timedelta(days=1) == years[0].first_day
        for before, after in itertools.pairwise(years):
            assert before.last_day + dt.timedelta(days=1) == after.first_day
        assert len(years) == 1 or years[-1].first_day <= as_of
        assert years[-1].last_day + dt.timedelta(days=1) > as_of

    def test_datetime_refused(self) -> None:
        """
        A datetime is refused, so a time zone can never move a day.
        """
        with pytest.raises(InvalidArgumentError, match="search_date"):
            academic_years(dt.datetime(2001, 9, 15, 12), as_of=D(2002, 1, 1))  # noqa: DTZ001


class TestYearIndex:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (D(2001, 9, 14), -1),
            (D(2001, 9, 15), -1),
            (D(2001, 9, 16), 0),
            (D(2002, 9, 15), 0),
            (D(2002, 9, 16), 1),
            (D(2003, 9, 15), 1),
            (D(2003, 9, 16), -1),
            (None, -1),
        ],
    )
    def test_edges(self, day: dt.date | None, expected: int) -> None:
        """
        A day on the search date is in no year; a day on an anniversary ends its year.
        """
        assert [expected] == year_index(dates_to_days([day]), D(2001, 9, 15), 2).tolist()

    @given(
        st.dates(D(1995, 1, 1), D(2010, 12, 31))
        | st.sampled_from([D(2000, 2, 29), D(2004, 2, 29)]),
        st.lists(st.none() | st.dates(D(1993, 1, 1), D(2025, 12, 31)), max_size=30),
        st.integers(1, 12),
    )
    def test_matches_the_definition(
        self, search_date: dt.date, days: list[dt.date | None], n_years: int
    ) -> None:
        """
        The vectorised bucketing equals the spec's definition, day by day.
        """
        expected = [_reference_year(day, search_date, n_years) for day in days]

        actual = year_index(dates_to_days(days), search_date, n_years)

        assert expected == actual.tolist()

    def test_shape_kept(self) -> None:
        """
        Any shape of day array comes back in the same shape.
        """
        days = np.zeros((2, 3), dtype=np.int32)

        assert (2, 3) == year_index(days, D(1969, 6, 1), 1).shape

    def test_needs_a_year(self) -> None:
        """
        Zero years is refused with a message naming the argument.
        """
        with pytest.raises(InvalidArgumentError, match="n_years"):
            year_index(np.zeros(1, dtype=np.int32), D(2001, 9, 15), 0)
