"""Arrow in and out: to_arrow() and the PyCapsule stream on every table and report; from_arrow."""

from __future__ import annotations

import datetime as dt
import io

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edoutcomes._kernel._arrow import rows_to_arrow
from edoutcomes.cohort import cohort_query
from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import read_table, write_table
from edoutcomes.highschool import high_school_outcomes
from edoutcomes.model import CohortColumns, K12Columns, Student, Table
from edoutcomes.synth import synthetic_cohort, synthetic_high_schools, synthetic_k12

from .strategies import tables

AS_OF = dt.date(2024, 1, 1)


def _streamed(report: object) -> pa.Table:
    """What a consumer of the Arrow C stream interface (polars, DuckDB, pandas) receives."""
    return pa.RecordBatchReader.from_stream(report).read_all()


class TestOut:
    @settings(max_examples=30, deadline=None)
    @given(st.sampled_from(["students", "enrollments", "degrees"]), st.data())
    def test_table_round_trips_through_arrow(self, name: str, data: st.DataObject) -> None:
        """
        Any table goes to Arrow and back (checked as a file would be) equal.
        """
        table = data.draw(tables(name))

        back = Table.from_arrow(table.to_arrow(), name, lenient=True)

        assert table.equals(back)
        assert _streamed(table).equals(table.to_arrow())

    def test_typed_columns(self) -> None:
        """
        Dates are date32, Y/N bool, text dictionary-encoded; missing is null.
        """
        arrow = Table.from_records(
            "students", [Student("A1", birth_date=dt.date(2001, 2, 3), attributes={"pell": True})]
        ).to_arrow()

        assert pa.date32() == arrow.schema.field("birth_date").type
        assert pa.bool_() == arrow.schema.field("pell").type
        assert pa.types.is_dictionary(arrow.schema.field("requester_id").type)
        assert [None] == arrow.column("gender").to_pylist()

    def test_every_cohort_report(self) -> None:
        """
        The control report, the four tables and the detail report stream as Arrow.
        """
        cohort = synthetic_cohort(300, seed=3)
        result = cohort_query(
            cohort.columns,
            search_date=cohort.search_date,
            institution=cohort.institution,
            as_of=AS_OF,
        )

        for report in (
            result.control,
            result.table1,
            result.table2,
            result.table2a,
            result.table2b,
        ):
            assert list(report.columns) == _streamed(report).column_names
        detail = result.detail
        arrow = detail.to_arrow()
        assert len(detail) == arrow.num_rows
        assert list(detail.columns) == arrow.column_names

    def test_detail_columns_equal_its_rows(self) -> None:
        """
        The detail report's columnar Arrow table holds exactly the values of its rows.
        """
        cohort = synthetic_cohort(200, seed=5)
        detail = cohort_query(
            cohort.columns,
            search_date=cohort.search_date,
            institution=cohort.institution,
            as_of=AS_OF,
        ).detail

        columnar = detail.to_arrow().to_pylist()
        from_rows = rows_to_arrow(detail.columns, detail.rows()).to_pylist()

        assert from_rows == columnar

    def test_high_school_reports(self) -> None:
        """
        KPIs, the reports, top colleges and the analysis-ready report stream as Arrow.
        """
        hs = synthetic_high_schools(40, class_years=(2018, 2019), n_high_schools=2, seed=9)
        outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)

        reports = [outcomes.kpis(), outcomes.top_colleges(), outcomes.arr(), *outcomes.reports()]
        for report in reports:
            arrow = _streamed(report)
            assert arrow.num_columns > 0


class TestIn:
    def test_cohort_from_arrow_matches_the_csv_read(self) -> None:
        """
        CohortColumns.from_arrow on the tables as Arrow gives the same cohort as reading the CSVs.
        """
        cohort = synthetic_cohort(200, seed=7).columns

        again = CohortColumns.from_arrow(
            cohort.students.to_arrow(), cohort.enrollments.to_arrow(), cohort.degrees.to_arrow()
        )

        assert again.students.equals(cohort.students)
        assert again.enrollments.equals(cohort.enrollments)
        assert (again.enrollment_student == cohort.enrollment_student).all()

    def test_text_dates_and_checks(self) -> None:
        """
        Arrow columns of text are parsed and checked as a CSV's: a bad row is an error naming it.
        """
        data = pa.table(
            {
                "requester_id": ["A1", "A1"],
                "college_code": ["001817-00", "1817"],
                "college_type": ["4", "4"],
                "begin_date": ["2006-08-21", "2007-01-08"],
                "end_date": [dt.date(2006, 12, 15), dt.date(2007, 5, 4)],
            }
        )

        with pytest.raises(InvalidInputError) as caught:
            read_table(data, "enrollments")

        assert (3, "college_code") == (
            caught.value.findings[0].row,
            caught.value.findings[0].column,
        )

    def test_rows_are_those_of_the_same_data_as_csv(self) -> None:
        """
        Arrow data has no header line, so its rows are numbered as the CSV of the same data
        (header = row 1): findings and row numbers equal the CSV's, and row - 2 is the position.
        """
        import pyarrow.csv as pacsv

        data = pa.table(
            {
                "requester_id": ["A1", "A2", "A3", "A4", "A5"],
                "college_code": ["001817-00", "1817", "001817-00", "001817-00", "001817-00"],
                "college_type": ["4", "4", "", "4", "X"],
                "begin_date": [
                    "2006-08-21",
                    "2007-01-08",
                    "2007-01-08",
                    "2008-13-01",
                    "2007-01-08",
                ],
                "end_date": ["2006-12-15", "2007-05-04", "2007-05-04", "2008-05-04", "2006-05-04"],
            }
        )
        sink = io.BytesIO()
        pacsv.write_csv(data, sink)

        from_arrow = read_table(data, "enrollments", lenient=True)
        from_csv = read_table(io.BytesIO(sink.getvalue()), "enrollments", lenient=True)

        assert [3, 4, 5, 6] == sorted({f.row for f in from_arrow.status.errors})
        assert [str(f) for f in from_csv.status.findings] == [
            str(f) for f in from_arrow.status.findings
        ]
        assert from_csv.row_numbers.tolist() == from_arrow.row_numbers.tolist() == [2]
        first = from_arrow.status.errors[0]
        assert (None, "A2") == (first.file, data["requester_id"][first.row - 2].as_py())

    def test_pandas_and_polars_frames(self) -> None:
        """
        A pandas DataFrame (and a polars one, when installed) is Arrow data too.
        """
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame({"requester_id": ["A1", "A2"], "gender": ["F", "M"]})

        assert 2 == read_table(frame, "students").table.n_rows
        polars = pytest.importorskip("polars")
        assert 2 == read_table(polars.from_pandas(frame), "students").table.n_rows

    def test_nested_arrow_column(self) -> None:
        """
        A list column is an error naming it.
        """
        with pytest.raises(InvalidInputError, match="nested"):
            read_table(pa.table({"requester_id": ["A1"], "x": [[1]]}), "students")

    def test_k12_from_arrow(self) -> None:
        """
        K12Columns.from_arrow links record tables given as Arrow to the students.
        """
        k12 = synthetic_k12(30, seed=1)
        columns = k12.columns if hasattr(k12, "columns") else k12

        again = K12Columns.from_arrow(
            columns.students.to_arrow(), enrollments=columns.enrollments.to_arrow()
        )

        assert again.students.equals(columns.students)
        assert again.enrollments.equals(columns.enrollments)

    def test_csv_bytes_still_read(self) -> None:
        """
        Byte streams are files, never mistaken for Arrow data.
        """
        out = io.BytesIO()
        write_table([Student("A1")], out)

        assert 1 == read_table(io.BytesIO(out.getvalue()), "students").table.n_rows


def test_readiness_tables() -> None:
    """
    The readiness outputs (student table, Cal Grant GPAs, indicators, findings) stream as Arrow.
    """
    from edoutcomes.readiness import (
        calgrant_table,
        cleanup_findings,
        evaluate,
        indicators,
        readiness_table,
        student_status,
    )
    from edoutcomes.synth import synthetic_readiness

    result = evaluate(synthetic_readiness(80, seed=5), dt.date(2025, 7, 15))
    status = student_status(result)

    for table in (
        readiness_table(result, status),
        calgrant_table(result, status),
        indicators(result, status),
        cleanup_findings(result, None),
    ):
        assert list(table.columns) == _streamed(table).column_names


#: Report columns: one type and blanks, or ints and text mixed (written as text).
_COLUMNS = st.sampled_from(
    [
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),
        st.text(max_size=3),
        st.dates(),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.integers(0, 9) | st.text(max_size=2),
    ]
).flatmap(lambda cells: st.lists(st.none() | cells, max_size=6))


@given(st.lists(_COLUMNS, min_size=1, max_size=4))
def test_columns_to_arrow_is_rows_to_arrow(columns: list[list[object]]) -> None:
    """A column at a time, the table rows_to_arrow makes of the same rows (types, mixed text)."""
    import numpy as np

    from edoutcomes._kernel._arrow import columns_to_arrow, rows_to_arrow

    n = min(len(c) for c in columns)
    names = tuple(f"c{i}" for i in range(len(columns)))
    values = []
    for column in columns:
        array = np.empty(n, dtype=object)
        array[:] = column[:n]
        values.append(array)

    expected = rows_to_arrow(names, zip(*(v.tolist() for v in values), strict=True))
    actual = columns_to_arrow(names, values)

    assert expected.schema.equals(actual.schema)
    assert expected.equals(actual)
