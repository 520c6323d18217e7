"""Every third-party failure on a damaged file becomes a library error naming the file."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import _reader, read_aggregate, read_submission, read_table

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

    @pytest.mark.parametrize("lenient", [False, True])
    def test_empty_stream(self, lenient: bool) -> None:
        """
        An empty stream declared Parquet is an error saying the file is empty.
        """
        with pytest.raises(InvalidInputError, match="empty"):
            read_table(io.BytesIO(b""), "enrollments", format="parquet", lenient=lenient)

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
