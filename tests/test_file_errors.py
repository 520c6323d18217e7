"""Every third-party failure on a damaged file becomes a library error naming the file."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import _reader, read_aggregate, read_cohort, read_submission, read_table

_ENROLLMENTS = (
    b"requester_id,college_code,college_type,begin_date,end_date\n"
    b"A1,001817-00,4,2006-08-21,2006-12-15\n"
)
_AGGREGATE = (
    "Date: 11/21/2013\n"
    "Producer\n"
    'SYNTHETIC U (123456-00),,,"Total Students Found & Included In Aggregate Report: 46"\n'
    "Search date provided in request File: 01/01/2008\n"
    "Table 1: Enrollment and Graduation Summary\n"
    "Description,2008-09,2009-10\n"
    "Retained at your institution,11,12\n"
)


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


class TestParquet:
    def test_csv_bytes_named_parquet(self, tmp_path: Path) -> None:
        """
        CSV bytes in a ``.parquet`` file: an error naming the file, not a pyarrow exception.
        """
        path = tmp_path / "enrollments.parquet"
        path.write_bytes(_ENROLLMENTS)

        with pytest.raises(InvalidInputError, match="not Parquet") as caught:
            read_table(path, "enrollments")

        assert str(path) == caught.value.findings[0].file

    def test_empty_stream(self) -> None:
        """
        An empty stream declared Parquet is an error saying the file is empty.
        """
        with pytest.raises(InvalidInputError, match="empty"):
            read_table(io.BytesIO(b""), "enrollments", format="parquet")

    def test_truncated_parquet(self) -> None:
        """
        Parquet cut short (magic at the start, not at the end) is an error.
        """
        data = _parquet(pa.table({"requester_id": ["A1"]}))

        with pytest.raises(InvalidInputError, match="Parquet"):
            read_table(io.BytesIO(data[:-10]), "students")

    def test_nested_column(self) -> None:
        """
        A list column is an error naming the column.
        """
        data = _parquet(pa.table({"requester_id": ["A1"], "terms": [[1, 2]]}))

        with pytest.raises(InvalidInputError, match="nested") as caught:
            read_table(io.BytesIO(data), "students")

        assert "terms" == caught.value.findings[0].column

    def test_parquet_in_bytesio_is_recognised(self) -> None:
        """
        Parquet in a ``BytesIO`` without ``format=`` is read as Parquet (magic bytes).
        """
        data = _parquet(pa.table({"requester_id": ["A1", "A2"], "gender": ["F", None]}))

        read = read_table(io.BytesIO(data), "students")

        assert 2 == read.table.n_rows

    def test_parquet_named_csv_is_recognised(self, tmp_path: Path) -> None:
        """
        Parquet bytes under a ``.csv`` name are read as Parquet (magic bytes).
        """
        path = tmp_path / "students.csv"
        path.write_bytes(_parquet(pa.table({"requester_id": ["A1"]})))

        assert 1 == read_table(path, "students").table.n_rows


class TestLenientUnreadable:
    """
    Lenient mode on a file that cannot be read at all: no row, one error naming the file.
    """

    @pytest.mark.parametrize(
        ("data", "format", "message"),
        [
            (_ENROLLMENTS, "parquet", "not Parquet"),
            (b"", "parquet", "empty"),
            (_parquet(pa.table({"requester_id": ["A1"]}))[:-10], None, "Parquet"),
            (_parquet(pa.table({"requester_id": ["A1"], "terms": [[1, 2]]})), None, "nested"),
        ],
        ids=["csv-as-parquet", "empty", "truncated", "nested"],
    )
    def test_returns_a_file_level_error(
        self, tmp_path: Path, data: bytes, format: str | None, message: str
    ) -> None:
        path = tmp_path / "students.parquet"
        path.write_bytes(data)

        read = read_table(path, "students", lenient=True, format=format)

        assert 0 == read.table.n_rows
        assert (0, 0, 0) == (
            read.status.rows_read,
            read.status.rows_accepted,
            read.status.rows_rejected,
        )
        (error,) = read.status.errors
        assert message in error.message
        assert (str(path), None) == (error.file, error.row)
        assert str(path) == read.status.file

    def test_arrow_data_with_a_nested_column(self) -> None:
        read = read_table(pa.table({"requester_id": ["A1"], "t": [[1]]}), "students", lenient=True)

        assert 0 == read.table.n_rows
        assert "t" == read.status.errors[0].column

    def test_a_csv_field_past_the_largest_block(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(_reader, "MAX_BLOCK", 1 << 14)
        defaults = {**(_reader.read_delimited.__kwdefaults__ or {}), "block_size": 1 << 12}
        monkeypatch.setattr(_reader.read_delimited, "__kwdefaults__", defaults)
        data = b'requester_id,name\nA1,"' + b"x" * (1 << 16) + b'"\n'

        read = read_table(io.BytesIO(data), "students", lenient=True)
        submission = read_submission(io.BytesIO(data), lenient=True)

        assert "longer than" in read.status.errors[0].message
        assert 0 == read.table.n_rows == submission.table.n_rows
        assert "longer than" in submission.status.errors[0].message
        with pytest.raises(InvalidInputError, match="longer than"):
            read_submission(io.BytesIO(data))

    def test_the_other_files_of_a_cohort_are_still_read(self, tmp_path: Path) -> None:
        students = tmp_path / "students.csv"
        students.write_bytes(b"requester_id\nA1\n")
        enrollments = tmp_path / "enrollments.parquet"
        enrollments.write_bytes(_ENROLLMENTS)

        read = read_cohort(students, enrollments, lenient=True)

        assert [1, 0] == [s.rows_read for s in read.statuses]
        assert 1 == read.columns.students.n_rows
        assert str(enrollments) == read.findings[0].file
        with pytest.raises(InvalidInputError, match="not Parquet") as caught:
            read_cohort(students, enrollments)
        assert str(enrollments) == caught.value.findings[0].file


class TestCsv:
    def test_field_past_the_largest_block(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """
        A field longer than the largest block says which limit was hit.
        """
        monkeypatch.setattr(_reader, "MAX_BLOCK", 1 << 14)
        data = b'a,b\n1,"' + b"x" * (1 << 16) + b'"\n'

        with pytest.raises(InvalidInputError, match="longer than"):
            _reader.read_delimited(data, block_size=1 << 12, file="big.csv")

    def test_undefined_bytes_in_declared_encoding(self) -> None:
        """
        Bytes the declared encoding leaves undefined: a warning naming the row, then detection.
        """
        data = b"first_name,last_name,birth_date\nAnn,Lee\x81,2001-02-03\n"

        read = read_submission(io.BytesIO(data), encoding="cp1252", lenient=True)

        assert any("not cp1252" in f.message and 2 == f.row for f in read.status.findings)


class TestAggregate:
    def test_undefined_cp1252_bytes(self) -> None:
        """
        A byte Windows-1252 leaves undefined does not escape as ``UnicodeDecodeError``.
        """
        data = (_AGGREGATE.replace("SYNTHETIC U", "SYNTHETIC \x81U")).encode("latin-1")

        report = read_aggregate(io.BytesIO(data))

        assert 46 == report.found

    def test_bare_carriage_returns(self) -> None:
        """
        Old Mac line ends (bare CR) read like any other line end.
        """
        report = read_aggregate(io.BytesIO(_AGGREGATE.replace("\n", "\r").encode()))

        assert 46 == report.found

    def test_csv_error_becomes_library_error(self) -> None:
        """
        A field past the csv module's limit is an error naming the file.
        """
        data = (_AGGREGATE + '"' + "x" * 200_000 + '"\n').encode()
        stream = io.BytesIO(data)
        stream.name = "aggregate.csv"

        with pytest.raises(InvalidInputError, match="cannot be read") as caught:
            read_aggregate(stream)

        assert "aggregate.csv" == caught.value.findings[0].file
