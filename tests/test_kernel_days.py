"""
The kernel's dates and windows: day numbers, the date check, civil dates, the one bucketing
function, and every window kind built on it checked against a plain per-date reference.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from edoutcomes._kernel._days import (
    EPOCH,
    MISSING_DAY,
    NEW_YEAR,
    NO_DAY,
    SCHOOL_YEAR_START,
    add_months,
    bucket_days,
    check_date,
    checked_day,
    civil_days,
    civil_parts,
    date_of,
    dates_to_days,
    day,
    days_to_dates,
    is_date,
    school_year_start,
    window_year,
    year_starts,
    years_of,
)
from edoutcomes.cohort import year_index
from edoutcomes.errors import InvalidArgumentError
from edoutcomes.highschool import Windows
from edoutcomes.highschool._windows import class_of, year_of
from edoutcomes.model import SchoolYear

D = dt.date
# Real dates and missing ones (None), over the range real files carry.
DATES = st.dates(min_value=D(1900, 7, 1), max_value=D(2199, 12, 31))
MAYBE_DATES = st.lists(st.one_of(DATES, st.none()), max_size=40)
MONTH_DAYS = st.tuples(st.integers(1, 12), st.integers(1, 28)) | st.sampled_from(
    [(1, 1), (2, 28), (3, 1), (7, 1), (8, 15), (9, 1), (12, 31)]
)


@st.composite
def dates_near(draw: st.DrawFn, month_day: tuple[int, int]) -> list[dt.date | None]:
    """Dates and missing ones, many of them on, or a day either side of, a *month_day*."""
    edge = st.builds(
        lambda year, delta: D(year, *month_day) + dt.timedelta(days=delta),
        st.integers(1901, 2198),
        st.integers(-1, 1),
    )
    return draw(st.lists(st.one_of(DATES, st.none(), edge), max_size=40))


def _window_year(when: dt.date, month_day: tuple[int, int]) -> int:
    """The plain reference: the year whose *month_day* is the last one on or before *when*."""
    return when.year if (when.month, when.day) >= month_day else when.year - 1


class TestDayNumbers:
    def test_epoch_and_sentinels(self) -> None:
        """Day 0 is 1970-01-01; the missing day sorts before, the open end after, every real day."""
        assert (EPOCH, day(EPOCH), date_of(0)) == (D(1970, 1, 1), 0, D(1970, 1, 1))
        assert MISSING_DAY < day(D(1, 1, 1))
        assert day(D(9999, 12, 31)) < NO_DAY
        assert (MISSING_DAY.dtype, NO_DAY.dtype) == (np.int32, np.int32)

    def test_model_reexports_the_kernel(self) -> None:
        """The model's public names are the kernel's, not copies."""
        import edoutcomes.model as model

        assert model.EPOCH is EPOCH
        assert model.MISSING_DAY is MISSING_DAY
        assert model.dates_to_days is dates_to_days
        assert model.days_to_dates is days_to_dates

    @given(MAYBE_DATES)
    def test_round_trip(self, dates: list[dt.date | None]) -> None:
        """Dates to day numbers and back; each equals the datetime64 day and the scalar day()."""
        days = dates_to_days(dates)

        assert days.dtype == np.int32
        assert days_to_dates(days) == dates
        for when, number in zip(dates, days.tolist(), strict=True):
            expected = MISSING_DAY if when is None else np.datetime64(when, "D").astype(np.int64)
            assert number == expected
            if when is not None:
                assert number == day(when)
                assert date_of(number) == when

    @given(st.lists(DATES, max_size=40))
    def test_civil_parts_and_days(self, dates: list[dt.date]) -> None:
        """Year, month and day of each day number, and back, as datetime.date has them."""
        days = dates_to_days(dates)
        year, month, mday = civil_parts(days)

        assert list(zip(year.tolist(), month.tolist(), mday.tolist(), strict=True)) == [
            (d.year, d.month, d.day) for d in dates
        ]
        assert civil_days(year, month, mday).tolist() == days.tolist()

    def test_civil_parts_of_many_days(self) -> None:
        """Every day of 1800-2299, every 97th of 0001-9999: the parts datetime64 gives, and back."""
        days = np.concatenate(
            [
                np.arange(day(D(1800, 1, 1)), day(D(2300, 1, 1)), dtype=np.int64),
                np.arange(day(D(1, 1, 1)), day(D(9999, 12, 31)) + 1, 97, dtype=np.int64),
            ]
        )
        stamps = days.astype("datetime64[D]")
        years, months = stamps.astype("datetime64[Y]"), stamps.astype("datetime64[M]")
        year, month, mday = civil_parts(days)

        assert np.array_equal(year, years.astype(np.int64) + 1970)
        assert np.array_equal(month, (months - years).astype(np.int64) + 1)
        assert np.array_equal(mday, (stamps - months).astype(np.int64) + 1)
        assert np.array_equal(civil_days(year, month, mday), days)

    @given(st.integers(1900, 2199), st.integers(-30, 40), st.integers(-40, 70))
    def test_civil_days_roll_over_like_datetime64(self, year: int, month: int, mday: int) -> None:
        """Months outside 1-12 and days past a month's end roll over as datetime64 arithmetic does."""
        months = np.datetime64(f"{year}-01", "M") + np.timedelta64(month - 1, "M")
        expected = (months.astype("datetime64[D]") + np.timedelta64(mday - 1, "D")).astype(np.int64)

        assert int(civil_days(year, month, mday)) == int(expected)

    @given(st.lists(st.one_of(DATES, st.none()), max_size=20), st.integers(-30, 30))
    def test_add_months(self, dates: list[dt.date | None], months: int) -> None:
        """Each date plus whole months, a shorter month's end clamping, as relativedelta does."""
        out = add_months(dates_to_days(dates), months)

        assert days_to_dates(out) == [
            None if d is None else d + relativedelta(months=months) for d in dates
        ]


class TestDateCheck:
    @pytest.mark.parametrize(
        "value",
        [
            dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            "2020-01-01",
            20200101,
            None,
            np.datetime64("2020"),
        ],
    )
    def test_refuses_what_is_not_a_date(self, value: object) -> None:
        """Datetimes, strings, numbers and None are refused, the message naming the argument."""
        assert not is_date(value)
        with pytest.raises(InvalidArgumentError, match=r"^as_of="):
            check_date("as_of", value)
        with pytest.raises(InvalidArgumentError, match=r"^as_of="):
            checked_day("as_of", value)

    def test_optional(self) -> None:
        """None passes when optional, a datetime still does not."""
        assert check_date("as_of", None, optional=True) is None
        assert check_date("as_of", D(2020, 1, 1), optional=True) == D(2020, 1, 1)
        with pytest.raises(InvalidArgumentError, match="or None"):
            check_date("as_of", dt.datetime(2020, 1, 1, tzinfo=dt.UTC), optional=True)


class TestBucketDays:
    def test_edges(self) -> None:
        """Each boundary opens its bucket; before the first, from the last and missing are outside."""
        days = np.array([MISSING_DAY, -1, 0, 9, 10, 19, 20, NO_DAY], np.int32)

        assert bucket_days(days, [0, 10, 20]).tolist() == [-1, -1, 0, 0, 1, 1, -1, -1]
        labelled = bucket_days(days, [0, 10, 20], dtype=np.int16, first=7, outside=-9)
        assert labelled.dtype == np.int16
        assert labelled.tolist() == [-9, -9, 7, 7, 8, 8, -9, -9]

    @pytest.mark.parametrize("boundaries", [[], [3], [0, 0], [5, 3], [[0, 1], [2, 3]]])
    def test_refuses_boundaries_that_are_not_increasing(self, boundaries: list[object]) -> None:
        """Fewer than two boundaries, a repeated one or a decreasing pair are refused."""
        with pytest.raises(InvalidArgumentError, match="strictly increasing"):
            bucket_days([0], boundaries)

    @given(
        st.lists(st.integers(-50_000, 50_000), min_size=2, max_size=12, unique=True),
        st.lists(st.integers(-60_000, 60_000), max_size=40),
    )
    def test_equals_a_binary_search(self, boundaries: list[int], days: list[int]) -> None:
        """The lookup table gives what np.searchsorted gives, -1 outside the boundaries."""
        edges = np.array(sorted(boundaries))
        values = np.array(days, dtype=np.int32)
        found = np.searchsorted(edges, values, side="right") - 1
        expected = np.where(found >= len(edges) - 1, -1, found)

        assert bucket_days(values, edges).tolist() == expected.tolist()

    def test_year_starts(self) -> None:
        """Day numbers of one month and day in each year of a range."""
        assert year_starts(range(2019, 2022), (9, 1)).tolist() == [
            day(D(2019, 9, 1)),
            day(D(2020, 9, 1)),
            day(D(2021, 9, 1)),
        ]

    def test_years_of_all_missing(self) -> None:
        """No real day: every day is the missing value."""
        days = np.array([MISSING_DAY, MISSING_DAY], np.int32)

        assert years_of(days, NEW_YEAR, missing=-5).tolist() == [-5, -5]
        assert years_of(np.zeros(0, np.int32), NEW_YEAR).tolist() == []


class TestEveryWindowKind:
    """Every window kind, vectorised on the one bucketing function, equals a plain per-date rule."""

    @given(st.data(), MONTH_DAYS)
    def test_yearly_windows(self, data: st.DataObject, month_day: tuple[int, int]) -> None:
        """years_of: the year of the last *month_day* on or before each date."""
        dates = data.draw(dates_near(month_day))
        out = years_of(dates_to_days(dates), month_day, missing=-7)

        assert out.dtype == np.int32
        assert out.tolist() == [-7 if d is None else _window_year(d, month_day) for d in dates]
        assert [window_year(d, month_day) for d in dates if d is not None] == [
            _window_year(d, month_day) for d in dates if d is not None
        ]

    @given(dates_near(NEW_YEAR))
    def test_calendar_years(self, dates: list[dt.date | None]) -> None:
        """Calendar years: each date's own year."""
        out = years_of(dates_to_days(dates), NEW_YEAR)

        assert out.tolist() == [-1 if d is None else d.year for d in dates]

    @given(dates_near(SCHOOL_YEAR_START))
    def test_oregon_school_years(self, dates: list[dt.date | None]) -> None:
        """School years July-June, as the model's SchoolYear.of and .contains say."""
        out = school_year_start(dates_to_days(dates))

        assert SCHOOL_YEAR_START == (7, 1)
        assert out.tolist() == [-1 if d is None else SchoolYear.of(d).start for d in dates]
        for when, start in zip(dates, out.tolist(), strict=True):
            if when is not None:
                assert SchoolYear(start).contains(when)

    @given(st.data(), MONTH_DAYS)
    def test_high_school_classes(self, data: st.DataObject, class_start: tuple[int, int]) -> None:
        """The class of Y: graduated from class_start of Y-1 to the day before class_start of Y."""
        dates = data.draw(dates_near(class_start))
        out = class_of(dates_to_days(dates), class_start)
        windows = Windows(class_start=class_start)

        for when, year in zip(dates, out.tolist(), strict=True):
            if when is None:
                assert year == -1
            else:
                first, last = windows.class_bounds(year)
                assert first <= when <= last

    @given(st.data(), st.integers(2000, 2030), MONTH_DAYS)
    def test_college_years(
        self, data: st.DataObject, class_year: int, year_start: tuple[int, int]
    ) -> None:
        """College year k of a class: year_start of Y+k-1 to the day before year_start of Y+k."""
        dates = data.draw(dates_near(year_start))
        out = year_of(dates_to_days(dates), year_start)
        windows = Windows(year_start=year_start, fall_end=(12, 31))

        for when, year in zip(dates, out.tolist(), strict=True):
            k = year - class_year + 1
            if when is None:
                assert k < -1000
                continue
            first, last = windows.college_year(class_year, k)
            assert first <= when <= last

    @given(
        st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)),
        st.integers(1, 12),
        st.data(),
    )
    def test_academic_years(self, search_date: dt.date, n_years: int, data: st.DataObject) -> None:
        """The cohort query's year k: (S + k years, S + (k+1) years], else -1."""
        edge = st.builds(
            lambda k, delta: search_date + relativedelta(years=k) + dt.timedelta(days=delta),
            st.integers(-1, n_years + 1),
            st.integers(-1, 1),
        )
        dates = data.draw(st.lists(st.one_of(DATES, st.none(), edge), max_size=40))
        out = year_index(dates_to_days(dates), search_date, n_years)

        expected = []
        for when in dates:
            found = -1
            for k in range(n_years):
                if when is not None and (
                    search_date + relativedelta(years=k)
                    < when
                    <= search_date + relativedelta(years=k + 1)
                ):
                    found = k
            expected.append(found)
        assert out.dtype == np.int16
        assert out.tolist() == expected
