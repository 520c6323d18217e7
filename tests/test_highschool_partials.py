"""High-school outcomes split by student: the combined partials equal the single-process run."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import HighSchoolCase, high_school_cases
from test_cohort_partials import split

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.highschool import HighSchoolQuery, high_school_outcomes
from edoutcomes.model import CohortColumns, Student
from edoutcomes.synth import synthetic_high_schools

_THRESHOLDS = st.sampled_from([None, 1, 2, 3, 11])


def _fresh(columns: CohortColumns) -> CohortColumns:
    """The partition read back from plain Arrow: its own code tables, as a worker builds them."""
    tables = [columns.students, columns.enrollments, columns.degrees]
    return CohortColumns.from_arrow(*(plain(t.to_arrow()) for t in tables))


def plain(table: Any) -> Any:
    """Dictionary columns decoded to their values."""
    import pyarrow as pa

    return pa.table(
        {
            name: col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )


def _combined(
    query: HighSchoolQuery, columns: CohortColumns, n_parts: int, seed: int, fresh: bool = True
) -> Any:
    parts = split(columns, n_parts, seed)
    partials = [
        query.partial(_fresh(sub) if fresh else sub, student_rows=s) for sub, s, _, _ in parts
    ]
    partials = [pickle.loads(pickle.dumps(p)) for p in partials]  # as a cluster ships them
    return query.combine(partials)


def _assert_same(expected: Any, actual: Any, below: int | None, class_totals: bool) -> None:
    """Every report cell for cell, the left-out report, top colleges, the findings and the ARR."""
    reports = expected.reports(suppress_below=below, class_totals=class_totals)
    assert reports.grid.keys == actual.reports.grid.keys
    for mine, theirs in zip(reports, actual.reports, strict=True):
        assert mine.columns == theirs.columns
        assert list(mine.rows()) == list(theirs.rows())
        assert [c for _, c in mine.cells()] == [c for _, c in theirs.cells()]
    assert list(reports.left_out_report.rows()) == list(actual.reports.left_out_report.rows())
    assert reports.left_out == actual.reports.left_out
    assert (expected.classes, expected.high_schools) == (actual.classes, actual.high_schools)
    assert expected.findings == actual.findings
    top = expected.top_colleges_report(suppress_below=below)
    assert list(top.rows()) == list(actual.top_colleges.rows())
    arr = expected.arr()
    assert arr.columns == actual.arr.columns
    assert list(arr.rows()) == list(actual.arr.rows())
    assert arr.to_arrow().equals(actual.arr.to_arrow())


class TestCombine:
    @given(high_school_cases(max_students=12, max_enrollments=30),
           st.integers(1, 16), st.integers(0, 2**32 - 1), _THRESHOLDS, st.booleans(),
           st.booleans())  # fmt: skip
    def test_equals_single_process(
        self,
        case: HighSchoolCase,
        n_parts: int,
        seed: int,
        below: int | None,
        class_totals: bool,
        fresh: bool,
    ) -> None:
        """
        For any split by student into 1-16 partitions, combine of the partials equals the
        single-process run cell for cell: every report (suppression and rates after the
        sum), the left-out report, both top-colleges lists (the tie rule's record across
        partitions), findings (global rows, every one), the ARR (the
        partitions' code tables unified when each partition has its own, *fresh*).
        """
        query = HighSchoolQuery(as_of=case.as_of, suppress_below=below, class_totals=class_totals)
        expected = high_school_outcomes(case.cohort, as_of=case.as_of)
        actual = _combined(query, case.cohort.columns(), n_parts, seed, fresh)
        _assert_same(expected, actual, below, class_totals)
        assert len(actual.findings) == actual.left_out  # every student named, none summarised

    @settings(max_examples=5)
    @given(st.integers(1, 16), st.integers(0, 2**32 - 1), st.sampled_from([None, 5, 11]))
    def test_synthetic_high_schools(self, n_parts: int, seed: int, below: int | None) -> None:
        """Realistic synthetic classes (six high schools, one out of state), split at random."""
        data = synthetic_high_schools(40, class_years=(2018, 2019, 2020), seed=seed % 7)
        query = HighSchoolQuery(as_of=data.as_of, suppress_below=below)
        expected = high_school_outcomes(data.columns, as_of=data.as_of)

        _assert_same(expected, _combined(query, data.columns, n_parts, seed), below, True)

    @given(high_school_cases())
    def test_run_is_one_partition(self, case: HighSchoolCase) -> None:
        """run() is combine of the one partial of the whole cohort, and equals one process."""
        expected = high_school_outcomes(case.cohort, as_of=case.as_of)

        _assert_same(
            expected, HighSchoolQuery(as_of=case.as_of).run(case.cohort.columns()), None, True
        )


class TestQueryObject:
    def test_pickles(self) -> None:
        """The query survives pickle (a cluster ships it) and compares equal."""
        query = HighSchoolQuery(as_of=dt.date(2021, 9, 1), suppress_below=11, attributes=["gender"])

        assert query == pickle.loads(pickle.dumps(query))
        assert query.attributes == ("gender",)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"as_of": dt.datetime(2021, 9, 1, tzinfo=dt.UTC)}, "as_of"),
            ({"suppress_below": 0}, "suppress_below"),
            ({"degree_titles": {}}, "degree_titles"),
            ({"completion_years": 0}, "completion_years"),
            ({"top_n": 0}, "top_n"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """A bad argument is refused when the query is made, naming it."""
        with pytest.raises(InvalidArgumentError, match=message):
            HighSchoolQuery(**{"as_of": dt.date(2021, 9, 1), **kwargs})  # type: ignore[arg-type]

    def test_combine_refuses_nothing_and_strangers(self) -> None:
        """No partials, partials of other windows, or without the ARR, are refused."""
        query = HighSchoolQuery(as_of=dt.date(2021, 9, 1))
        empty = CohortColumns.from_records([Student("1")])
        with pytest.raises(InvalidArgumentError, match="empty"):
            query.combine([])
        other = HighSchoolQuery(as_of=dt.date(2021, 9, 1), completion_years=4)
        with pytest.raises(InvalidArgumentError, match="measures"):
            query.combine([query.partial(empty), other.partial(empty)])
        bare = HighSchoolQuery(as_of=dt.date(2021, 9, 1), arr=False)
        with pytest.raises(InvalidArgumentError, match="ARR"):
            query.combine([bare.partial(empty)])
        assert bare.combine([bare.partial(empty)]).arr is None
        listless = HighSchoolQuery(as_of=dt.date(2021, 9, 1), top_n=None)
        with pytest.raises(InvalidArgumentError, match="top-colleges"):
            query.combine([listless.partial(empty)])
        assert listless.combine([listless.partial(empty)]).top_colleges is None

    def test_row_numbers_must_fit(self) -> None:
        """Row numbers of another length than the partition's students are refused."""
        query = HighSchoolQuery(as_of=dt.date(2021, 9, 1))
        with pytest.raises(InvalidArgumentError, match="student_rows"):
            query.partial(CohortColumns.from_records([]), student_rows=[3])
