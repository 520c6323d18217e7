"""The cohort query split by student: the combined partials equal the single-process query."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import CohortQueryCase, cohort_query_cases

from edoutcomes.cohort import CohortQuery, cohort_query, cohort_query_by
from edoutcomes.errors import InvalidArgumentError, NotYetAvailableError
from edoutcomes.model import CohortColumns
from edoutcomes.synth import synthetic_cohort


def split(
    columns: CohortColumns, n_parts: int, seed: int
) -> list[tuple[CohortColumns, np.ndarray, np.ndarray, np.ndarray]]:
    """Each student (with all their records) in a random partition; orphans anywhere."""
    rng = np.random.default_rng(seed)
    part = rng.integers(0, n_parts, columns.n_students)

    def of_records(link: np.ndarray) -> np.ndarray:
        return np.where(link >= 0, part[np.maximum(link, 0)] if len(part) else 0,
                        rng.integers(0, n_parts, len(link)))  # fmt: skip

    e_part, d_part = of_records(columns.enrollment_student), of_records(columns.degree_student)
    out = []
    for p in range(n_parts):
        s, e, d = (
            np.flatnonzero(part == p),
            np.flatnonzero(e_part == p),
            np.flatnonzero(d_part == p),
        )
        sub = CohortColumns.from_tables(
            columns.students.take(s), columns.enrollments.take(e), columns.degrees.take(d)
        )
        out.append((sub, s, e, d))
    return out


def query_of(case: CohortQueryCase) -> CohortQuery:
    return CohortQuery(search_date=case.search_date, institution=case.institution, as_of=case.as_of)


class TestCombine:
    @given(cohort_query_cases(), st.integers(1, 16), st.integers(0, 2**32 - 1))
    def test_equals_single_process(self, case: CohortQueryCase, n_parts: int, seed: int) -> None:
        """
        For any split by student into 1-16 partitions, combine of the partials equals the
        single-process query cell for cell: control report, four tables, findings (rows
        numbered as in the whole input, every one) and the detail report.
        """
        expected = cohort_query(
            case.cohort,
            search_date=case.search_date,
            institution=case.institution,
            as_of=case.as_of,
        )
        query = query_of(case)
        parts = split(case.cohort.columns(), n_parts, seed)
        partials = [
            query.partial(sub, student_rows=s, enrollment_rows=e, degree_rows=d)
            for sub, s, e, d in parts
        ]
        actual = query.combine(partials)

        assert expected.control == actual.control
        assert expected.tables == actual.tables
        assert expected.years == actual.years
        assert expected.findings == actual.findings
        assert expected.detail.to_arrow().to_pylist() == actual.detail.to_pylist()

    @given(cohort_query_cases())
    def test_run_is_one_partition(self, case: CohortQueryCase) -> None:
        """run() is combine of the one partial of the whole cohort, and equals cohort_query."""
        expected = cohort_query(
            case.cohort,
            search_date=case.search_date,
            institution=case.institution,
            as_of=case.as_of,
        )
        actual = query_of(case).run(case.cohort.columns())

        assert (expected.control, expected.tables) == (actual.control, actual.tables)
        assert expected.findings == actual.findings


def _success_or_error(result: object, horizon: int, any_degree: bool) -> object:
    """success(horizon) of a result, or the type and message of the error it raises."""
    try:
        return result.success(horizon, any_degree=any_degree)  # type: ignore[attr-defined]
    except (InvalidArgumentError, NotYetAvailableError) as error:
        return type(error), str(error)


class TestSuccessAndSubgroups:
    @given(cohort_query_cases(), st.integers(1, 8), st.integers(0, 2**32 - 1))
    def test_equal_single_process(self, case: CohortQueryCase, n_parts: int, seed: int) -> None:
        """
        The result combined from 1-8 partitions gives success(h) for every horizon and both
        meanings of graduating (or the same error) and, for a query by pell, every group's
        control report, tables, success and detail rows, as the single-process result and
        cohort_query_by do.
        """
        assume(case.cohort.students)  # an empty cohort has no pell column to group by
        arguments = {"search_date": case.search_date, "institution": case.institution,
                     "as_of": case.as_of}  # fmt: skip
        expected = cohort_query(case.cohort, **arguments)
        expected_by = cohort_query_by(case.cohort, "pell", **arguments)
        query = CohortQuery(**arguments, by="pell")
        parts = split(case.cohort.columns(), n_parts, seed)
        actual = query.combine(
            [query.partial(sub, student_rows=s, enrollment_rows=e, degree_rows=d)
             for sub, s, e, d in parts]
        )  # fmt: skip

        pairs = [(expected, actual)]
        pairs += [(expected_by[v], actual.groups[v]) for v in expected_by]
        assert list(expected_by) == list(actual.groups)
        for one, combined in pairs:
            assert one.control == combined.control
            assert one.tables == combined.tables
            assert one.detail.to_arrow().to_pylist() == combined.detail.to_pylist()
            for horizon in range(len(one.years) + 2):
                for any_degree in (False, True):
                    assert _success_or_error(one, horizon, any_degree) == _success_or_error(
                        combined, horizon, any_degree
                    )

    def test_groups_without_detail(self) -> None:
        """Without detail rows the groups still carry counts and success; no by, no groups."""
        cohort = synthetic_cohort(300, seed=3)
        arguments = {"search_date": cohort.search_date, "institution": cohort.institution,
                     "as_of": cohort.as_of + dt.timedelta(days=400)}  # fmt: skip
        expected = cohort_query_by(cohort.columns, "pell", **arguments)

        actual = CohortQuery(**arguments, by="pell", detail=False).run(cohort.columns)

        assert list(expected) == list(actual.groups)
        for value, one in expected.items():
            assert (one.control, one.tables) == (
                actual.groups[value].control,
                actual.groups[value].tables,
            )
            assert one.success(6) == actual.groups[value].success(6)
            assert actual.groups[value].detail is None
        assert {} == CohortQuery(**arguments).run(cohort.columns).groups
        without = CohortQuery(**arguments, by="pell", success=False).run(cohort.columns)
        for result in (without, *without.groups.values()):
            with pytest.raises(InvalidArgumentError, match="success=False"):
                result.success(6)


class TestPartialOfArrow:
    @given(cohort_query_cases(), st.integers(1, 6), st.integers(0, 2**32 - 1))
    def test_equals_single_process(self, case: CohortQueryCase, n_parts: int, seed: int) -> None:
        """
        The partition function on Arrow tables whose rows are out of order but carry their
        global row number (and a bucket column): combined, equal to the single-process query.
        """
        import pyarrow as pa

        # The reader's view of the same tables (it strips blanks, as a file's reader does).
        whole = case.cohort.columns()
        columns = CohortColumns.from_arrow(
            *(t.to_arrow() for t in (whole.students, whole.enrollments, whole.degrees))
        )
        expected = query_of(case).run(columns)
        rng = np.random.default_rng(seed)
        query = query_of(case)
        partials = []
        for sub, *rows in split(columns, n_parts, seed):
            arrow = []
            for table, numbers in zip(
                (sub.students, sub.enrollments, sub.degrees), rows, strict=True
            ):
                t = table.to_arrow().append_column("row", pa.array(numbers, pa.int64()))
                t = t.append_column("bucket", pa.array(np.zeros(t.num_rows, np.int64)))
                arrow.append(t.take(rng.permutation(t.num_rows)))
            partials.append(query.partial_of_arrow(*arrow))
        actual = query.combine(partials)

        assert expected.control == actual.control
        assert expected.tables == actual.tables
        assert expected.findings == actual.findings
        assert expected.detail.to_pylist() == actual.detail.to_pylist()

    def test_needs_row_column(self) -> None:
        """A table without its row column is refused, naming the table and the column."""
        import pyarrow as pa

        query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
                            as_of=dt.date(2005, 6, 1))  # fmt: skip
        with pytest.raises(InvalidArgumentError, match=r"students table .* no 'row' column"):
            query.partial_of_arrow(pa.table({"requester_id": ["A"]}))
        assert 0 == int(query.partial_of_arrow().control[0])


class TestQueryObject:
    def test_library_errors_pickle(self) -> None:
        """An InvalidInputError survives pickle with its message, findings and notes (a worker sends it)."""
        import pyarrow as pa

        from edoutcomes.errors import InvalidInputError

        bad = pa.table({"requester_id": ["A"], "college_code": ["001817-00"], "college_type": ["4"],
                        "begin_date": ["soon"], "end_date": ["2017-01-10"]})  # fmt: skip
        with pytest.raises(InvalidInputError) as caught:
            CohortColumns.from_arrow(pa.table({"requester_id": ["A"]}), bad)

        again = pickle.loads(pickle.dumps(caught.value))
        assert (str(caught.value), caught.value.findings) == (str(again), again.findings)
        assert caught.value.__notes__ == again.__notes__

    def test_pickles(self) -> None:
        """The query and its partials survive pickle (a cluster ships them)."""
        query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
                            as_of=dt.date(2005, 6, 1))  # fmt: skip
        partial = query.partial(CohortColumns.from_records([]))

        assert query == pickle.loads(pickle.dumps(query))
        again = pickle.loads(pickle.dumps(partial))
        assert partial.tables.tolist() == again.tables.tolist()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"search_date": dt.datetime(2001, 9, 15, tzinfo=dt.UTC)}, "search_date"),
            ({"institution": "17"}, "17"),
            ({"degree_titles": {}}, "degree_titles"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """A bad argument is refused when the query is made, naming it."""
        args: dict[str, object] = {
            "search_date": dt.date(2001, 9, 15),
            "institution": "001817",
            "as_of": dt.date(2005, 6, 1),
        }
        with pytest.raises(InvalidArgumentError, match=message):
            CohortQuery(**{**args, **kwargs})  # type: ignore[arg-type]

    def test_combine_refuses_nothing_and_strangers(self) -> None:
        """No partials, or partials of a query with other years, are refused."""
        query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
                            as_of=dt.date(2005, 6, 1))  # fmt: skip
        other = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
                            as_of=dt.date(2002, 6, 1))  # fmt: skip
        with pytest.raises(InvalidArgumentError, match="empty"):
            query.combine([])
        with pytest.raises(InvalidArgumentError, match="years"):
            query.combine([other.partial(CohortColumns.from_records([]))])

    def test_row_numbers_must_fit(self) -> None:
        """Row numbers of another length than the partition's rows are refused."""
        query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
                            as_of=dt.date(2005, 6, 1))  # fmt: skip
        with pytest.raises(InvalidArgumentError, match="student_rows"):
            query.partial(CohortColumns.from_records([]), student_rows=[3])


class TestOnePartition:
    def test_single_process_is_one_partial_combined(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """
        cohort_query and cohort_query_by (with or without a subset) are the query's one
        partial combined: each combines exactly one partial, of every student.
        """
        combined: list[int] = []
        combine = CohortQuery.combine

        def spy(self: CohortQuery, partials: list[object]) -> object:
            combined.append(int(sum(p.control[0] for p in partials)))  # type: ignore[attr-defined]
            return combine(self, partials)  # type: ignore[arg-type]

        monkeypatch.setattr(CohortQuery, "combine", spy)
        synthetic = synthetic_cohort(40, seed=3)
        args = {"search_date": synthetic.search_date, "institution": synthetic.institution,
                "as_of": synthetic.as_of}  # fmt: skip
        cohort_query(synthetic.columns, **args)
        cohort_query(synthetic.columns, subset=np.arange(40) < 10, **args)
        cohort_query_by(synthetic.columns, "pell", **args)

        assert [40, 10, 40] == combined
