"""High-school outcomes split by student: the combined partials equal the single-process run."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import HighSchoolCase, high_school_cases
from test_cohort_partials import split
from test_highschool_trends import with_school_names

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.highschool import HighSchoolQuery, SearchQuery, high_school_outcomes
from edoutcomes.highschool._grid import build_grid
from edoutcomes.highschool._reports import left_out_report
from edoutcomes.highschool._result import make_reports
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


def _old_reports(expected: Any, mask: np.ndarray, below: int | None, class_totals: bool) -> Any:
    """The reports of *mask* as one process made them before the query (grid, left-out report)."""
    grid = build_grid(
        expected.graduates,
        expected.measures,
        subset=mask,
        suppress_below=below,
        class_totals=class_totals,
    )
    left = left_out_report(expected.graduates, subset=mask, suppress_below=below)
    return make_reports(grid, expected.windows, expected.as_of, expected.left_out, left)


def _assert_reports(mine: Any, theirs: Any) -> None:
    """Two report sets cell for cell, left-out report included."""
    assert mine.grid.keys == theirs.grid.keys
    assert np.array_equal(mine.grid.counts, theirs.grid.counts)
    assert np.array_equal(mine.grid.reasons, theirs.grid.reasons)
    for one, other in zip(mine, theirs, strict=True):
        assert list(one.rows()) == list(other.rows())
    assert list(mine.left_out_report.rows()) == list(theirs.left_out_report.rows())


def _history_fields(history: Any) -> Any:
    return None if history is None else attrs.astuple(history, recurse=False)


class TestCombineGroups:
    # Each example runs four queries over up to 16 partitions: fewer examples than the profile.
    @settings(max_examples=25)
    @given(high_school_cases(max_students=12, max_enrollments=30),
           st.integers(1, 16), st.integers(0, 2**32 - 1), _THRESHOLDS, st.booleans(),
           st.booleans(), st.data())  # fmt: skip
    def test_subset_and_groups_equal_single_process(
        self,
        case: HighSchoolCase,
        n_parts: int,
        seed: int,
        below: int | None,
        class_totals: bool,
        fresh: bool,
        data: st.DataObject,
    ) -> None:
        """
        For any split into 1-16 partitions: the reports of a subset (a mask over the whole
        input, or requester ids) and of each value of an attribute (``reports_by``: text,
        Y/N and missing values) equal one process's cell for cell, and equal the grids the
        single-process engine builds for those students directly (``build_grid``).
        """
        expected = high_school_outcomes(case.cohort, as_of=case.as_of)
        columns = case.cohort.columns()
        n = columns.n_students
        mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        ids = [f"h{i}" for i in np.flatnonzero(mask).tolist()]
        options = {"suppress_below": below, "class_totals": class_totals}
        for subset in (mask, ids):
            query = HighSchoolQuery(as_of=case.as_of, subset=subset, arr=False, **options)
            actual = _combined(query, columns, n_parts, seed, fresh)
            _assert_reports(expected.reports(subset=subset, **options), actual.reports)
            _assert_reports(_old_reports(expected, mask, below, class_totals), actual.reports)
        query = HighSchoolQuery(as_of=case.as_of, by=["gender", "fafsa_completion"], arr=False)
        actual = _combined(query, columns, n_parts, seed, fresh)
        for name in ("gender", "fafsa_completion"):
            want = expected.reports_by(name, **options)
            got = actual.reports_by(name, **options)
            assert list(want) == list(got)
            codes, values = expected.graduates.attribute(name)
            assert set(want) == {values[c] for c in set(codes.tolist()) if c >= 0} | (
                {None} if (codes < 0).any() else set()
            )
            for value, reports in want.items():
                _assert_reports(reports, got[value])
                wanted = codes < 0 if value is None else codes == values.index(value)
                _assert_reports(_old_reports(expected, wanted, below, class_totals), reports)

    @settings(max_examples=25)
    @given(high_school_cases(max_students=12, max_enrollments=30),
           st.integers(1, 16), st.integers(0, 2**32 - 1), st.sampled_from([None, 1, 3]),
           st.booleans(), st.integers(0, 11))  # fmt: skip
    def test_trends_and_search_equal_single_process(
        self,
        case: HighSchoolCase,
        n_parts: int,
        seed: int,
        below: int | None,
        fresh: bool,
        who: int,
    ) -> None:
        """
        For any split into 1-16 partitions: the trends page (default filters, ``by=None``)
        is byte for byte the single-process page, and a search by requester id or by
        name and birth date finds the same history (None for no one).
        """
        columns = with_school_names(
            case.cohort.columns(), {"100100": "North High", "200200": "South High"}
        )
        expected = high_school_outcomes(columns, as_of=case.as_of)
        query = HighSchoolQuery(as_of=case.as_of, by=None, arr=False, top_n=None)
        actual = _combined(query, columns, n_parts, seed, fresh)
        page = expected.trends(suppress_below=below)
        assert page.html == actual.trends(suppress_below=below).html
        assert page.groups.keys() == actual.trends(suppress_below=below).groups.keys()
        student = f"h{who}"
        by_id = HighSchoolQuery(as_of=case.as_of, search=student, arr=False, top_n=None)
        found = _combined(by_id, columns, n_parts, seed, fresh).search()
        assert _history_fields(expected.search(requester_id=student)) == _history_fields(found)
        assert (found is None) == (who >= columns.n_students)
        person = SearchQuery("Bo", "lee", dt.date(2000, 1, 1 + who))
        by_name = HighSchoolQuery(as_of=case.as_of, search=person, arr=False, top_n=None)
        found = _combined(by_name, columns, n_parts, seed, fresh).search()
        single = expected.search(first_name="Bo", last_name="lee", birth_date=person.birth_date)
        assert _history_fields(single) == _history_fields(found)

    def test_several_matches_and_unknown_ids_are_refused(self) -> None:
        """Several students matching a search, unknown subset ids or a short mask: refused, as one process."""
        data = synthetic_high_schools(30, class_years=(2019,), seed=1)
        everyone = HighSchoolQuery(as_of=data.as_of, search=SearchQuery("a", "b", dt.date(2001, 1, 1)),
                                   finder=_every_student, arr=False)  # fmt: skip
        with pytest.raises(InvalidArgumentError, match=r"^\d+ students match the search"):
            _combined(everyone, data.columns, 3, 1).search()
        with pytest.raises(InvalidArgumentError, match="1 requester ids"):
            _combined(HighSchoolQuery(as_of=data.as_of, subset=["nobody"]), data.columns, 3, 1)
        with pytest.raises(InvalidArgumentError, match="subset mask"):
            _combined(HighSchoolQuery(as_of=data.as_of, subset=[True]), data.columns, 3, 1)
        with pytest.raises(InvalidArgumentError, match="no search"):
            HighSchoolQuery(as_of=data.as_of).run(data.columns).search()
        with pytest.raises(InvalidArgumentError, match="by="):
            HighSchoolQuery(as_of=data.as_of).run(data.columns).reports_by("gender")


def _every_student(students: Any, query: SearchQuery) -> np.ndarray:
    """A finder that names every student (picklable: a module function)."""
    return np.arange(students.n_rows)
