"""Canonical tables: reading and writing CSV and Parquet, bad input, the raw reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import cohort_columns, record_lists, tables

from edoutcomes import FileStatus, InvalidInputError, Severity
from edoutcomes.errors import InvalidArgumentError
from edoutcomes.formats import (
    read_cohort,
    read_records,
    read_table,
    write_cohort,
    write_table,
)
from edoutcomes.formats._parse import parse_dates, parse_flags
from edoutcomes.formats._reader import factorise, normalise_header, read_delimited
from edoutcomes.model import (
    Cip,
    CollegeCode,
    CollegeType,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    Kind,
    Student,
    Table,
)

TABLE_NAMES = ["students", "enrollments", "degrees"]
ENROLLMENT_HEADER = (
    "requester_id,college_code,college_type,begin_date,end_date,enrollment_status,cip_1"
)


def _csv(table: Table) -> bytes:
    out = io.BytesIO()
    write_table(table, out)
    return out.getvalue()


def _read(data: bytes | str, table: str, **kwargs: Any) -> Any:
    raw = data.encode() if isinstance(data, str) else data
    stream = io.BytesIO(raw)
    stream.name = f"{table}.csv"
    return read_table(stream, table, **kwargs)


def _enrollments(*rows: str) -> str:
    return "\n".join([ENROLLMENT_HEADER, *rows]) + "\n"


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------


class TestRoundTrip:
    @pytest.mark.parametrize("name", TABLE_NAMES)
    @given(data=st.data())
    def test_records_to_csv_to_records(self, name: str, data: st.DataObject) -> None:
        """
        Domain records written as CSV read back as the same records.
        """
        records = data.draw(record_lists(name, min_size=1))
        out = io.BytesIO()
        write_table(records, out)

        read = read_records(io.BytesIO(out.getvalue()), name)

        assert tuple(records) == read.records
        assert len(records) == read.status.rows_accepted == read.status.rows_read

    @pytest.mark.parametrize("name", TABLE_NAMES)
    @given(data=st.data())
    def test_csv_round_trip(self, name: str, data: st.DataObject) -> None:
        """
        Any table the library writes, it reads back equal; written again, it is the same bytes.

        The only findings are the spreadsheet-safety warnings of formula-looking text values
        (canonical tables are written byte-exact, so those values stay as they are).
        """
        table = data.draw(tables(name))
        first = _csv(table)

        read = _read(first, name)

        assert table.equals(read.table)
        assert [] == [f for f in read.status.findings if "formulas" not in f.message]
        assert all(f.severity.value == "warning" for f in read.status.findings)
        assert first == _csv(read.table)

    @pytest.mark.parametrize("name", TABLE_NAMES)
    @given(data=st.data())
    def test_parquet_round_trip(self, name: str, data: st.DataObject) -> None:
        """
        A table written as Parquet reads back equal (formula-looking text values warned about).
        """
        table = data.draw(tables(name))
        out = io.BytesIO()
        write_table(table, out, format="parquet")

        read = read_table(io.BytesIO(out.getvalue()), name, format="parquet")

        assert table.equals(read.table)
        assert [] == [f for f in read.status.findings if "formulas" not in f.message]

    def test_parquet_by_suffix(self, tmp_path: Path) -> None:
        """
        A ``.parquet`` path is written and read as Parquet without naming the format.
        """
        table = Table.from_records("students", [Student("A1", attributes={"pell": True})])
        path = tmp_path / "students.parquet"
        write_table(table, path)

        read = read_table(path, "students")

        assert b"PAR1" == path.read_bytes()[:4]
        assert [True] == read.table.values("pell")

    @given(columns=cohort_columns())
    def test_cohort_round_trip(self, columns: Any) -> None:
        """
        A cohort written as three files reads back with the same tables and links.
        """
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            paths = write_cohort(columns, tmp)
            read = read_cohort(*paths, lenient=True)

        assert columns.students.equals(read.columns.students)
        assert columns.enrollments.equals(read.columns.enrollments)
        assert columns.degrees.equals(read.columns.degrees)
        assert columns.enrollment_student.tolist() == read.columns.enrollment_student.tolist()
        assert [] == [f for f in read.findings if f.is_error]

    def test_write_order_is_schema_then_extras(self) -> None:
        """
        The header is every canonical column in schema order, then the extra columns.
        """
        records = [Student("A1", attributes={"zeta": "v1", "alpha": True})]

        header = _csv(Table.from_records("students", records)).decode().splitlines()[0]

        assert (
            "requester_id,unique_id,first_name,middle_name,last_name,name_suffix,birth_date,"
            "ssn,high_school_code,high_school_state,hs_grad_date,gender,race_ethnicity,zeta,alpha"
        ) == header

    def test_written_values(self) -> None:
        """
        Dates are ISO, codes are the published codes, missing is blank.
        """
        record = EnrollmentRecord(
            "A1",
            CollegeCode.parse("001817-05"),
            CollegeType.LESS_THAN_TWO_YEAR,
            dt.date(2006, 8, 21),
            dt.date(2006, 12, 15),
            cip_1=Cip.parse("90401"),
        )

        line = _csv(Table.from_records("enrollments", [record])).decode().splitlines()[1]

        assert "A1,001817-05,,,L,,2006-08-21,2006-12-15,,,,09.0401,,," == line

    def test_empty_records_need_a_table(self) -> None:
        """
        An empty list of records says nothing about its table: refused with a clear error.
        """
        with pytest.raises(InvalidArgumentError, match="empty sequence"):
            write_table([], io.BytesIO())

    def test_empty_table_writes_header_only(self) -> None:
        """
        A table without rows is a header line, and reads back empty.
        """
        data = _csv(Table.empty("degrees"))

        assert 1 == len(data.decode().splitlines())
        assert 0 == _read(data, "degrees").table.n_rows


# --------------------------------------------------------------------------------------------
# Encodings and CSV dialect
# --------------------------------------------------------------------------------------------


class TestEncodings:
    def test_utf8_bom_and_crlf(self) -> None:
        """
        A UTF-8 file with a byte-order mark and CRLF line ends reads cleanly.
        """
        data = "\ufeffrequester_id,last_name\r\nA1,Muñoz\r\nA2,Lee\r\n".encode()

        read = _read(data, "students")

        assert ["A1", "A2"] == read.table.values("requester_id")
        assert ["Muñoz", "Lee"] == read.table.values("last_name")

    def test_windows_1252_fallback(self) -> None:
        """
        A file that is not UTF-8 is read as Windows-1252.
        """
        data = "requester_id,college_name\r\nA1,Universit\xe9 \u201cNord\u201d\r\n".encode("cp1252")

        read = _read(data, "students")

        assert ["Universit\u00e9 \u201cNord\u201d"] == read.table.values("college_name")

    def test_quoted_fields_with_commas_quotes_and_newlines(self) -> None:
        """
        Quoted fields keep their commas, doubled quotes and line breaks; row numbers follow.
        """
        data = (
            'requester_id,college_name\n"A1","Smith, ""Jr"" College"\n'
            'A2,"Two\r\nLines"\n\nA3,Plain\n'
        )

        read = _read(data, "students")

        assert ['Smith, "Jr" College', "Two\r\nLines", "Plain"] == read.table.values("college_name")
        assert [2, 3, 5] == read.row_numbers.tolist()

    def test_headers_are_normalised(self) -> None:
        """
        Headers match canonical names whatever their case, spaces, dashes, slashes or ``?``.
        """
        data = "Requester ID,HS-Grad/Date?,GENDER\nA1,2012-06-01,F\n"

        read = _read(data, "students")

        assert [dt.date(2012, 6, 1)] == read.table.values("hs_grad_date")
        assert ["F"] == read.table.values("gender")

    def test_spreadsheet_dates_and_two_digit_years(self) -> None:
        """
        ``MM/DD/YYYY`` and ``YYYYMMDD`` read as dates; ``M/D/YY`` with an as-of date.
        """
        data = "requester_id,birth_date,hs_grad_date\nA1,1/1/65,8/27/12\nA2,03/04/1990,20080601\n"

        read = _read(data, "students", as_of=dt.date(2013, 2, 20))

        assert [dt.date(1965, 1, 1), dt.date(1990, 3, 4)] == read.table.values("birth_date")
        assert [dt.date(2012, 8, 27), dt.date(2008, 6, 1)] == read.table.values("hs_grad_date")


# --------------------------------------------------------------------------------------------
# Bad input: one test per kind of bad value
# --------------------------------------------------------------------------------------------


def _only(status: FileStatus, severity: Severity) -> Any:
    found = [f for f in status.findings if f.severity is severity]
    assert 1 == len(found), status.findings
    return found[0]


class TestBadInput:
    def test_missing_required_column(self) -> None:
        """
        A required column missing from the header is an error; every row is rejected.
        """
        data = "requester_id,college_code,college_type,begin_date\nA1,001817-00,4,2006-08-21\n"

        read = _read(data, "enrollments", lenient=True)

        finding = _only(read.status, Severity.ERROR)
        assert ("enrollments.csv", 1, "end_date") == (finding.file, finding.row, finding.column)
        assert "missing" in finding.message
        assert (1, 0) == (read.status.rows_read, read.status.rows_accepted)

    def test_blank_required_value(self) -> None:
        """
        A blank required value rejects the row, naming file, row and column.
        """
        data = _enrollments(
            "A1,001817-00,4,2006-08-21,2006-12-15,F,", ",001817-00,4,2006-08-21,2006-12-15,F,"
        )

        read = _read(data, "enrollments", lenient=True)

        finding = _only(read.status, Severity.ERROR)
        assert ("enrollments.csv", 3, "requester_id", "") == (
            finding.file,
            finding.row,
            finding.column,
            finding.value,
        )
        assert 1 == read.table.n_rows

    def test_bad_required_date(self) -> None:
        """
        An unreadable begin date rejects the row; the message shows the value.
        """
        data = _enrollments("A1,001817-00,4,2006-13-01,2006-12-15,F,")

        with pytest.raises(InvalidInputError) as caught:
            _read(data, "enrollments")

        assert "enrollments.csv, row 2, column begin_date, value '2006-13-01'" in str(caught.value)
        assert 1 == caught.value.rows_read

    def test_end_before_begin(self) -> None:
        """
        An end date before the begin date rejects the row.
        """
        data = _enrollments("A1,001817-00,4,2006-12-15,2006-08-21,F,")

        read = _read(data, "enrollments", lenient=True)

        finding = _only(read.status, Severity.ERROR)
        assert (2, "end_date", "2006-08-21") == (finding.row, finding.column, finding.value)
        assert "before begin_date" in finding.message

    def test_malformed_college_code(self) -> None:
        """
        A college code that is not ``NNNNNN-BB`` rejects the row.
        """
        data = _enrollments("A1,1817-0,4,2006-08-21,2006-12-15,F,")

        read = _read(data, "enrollments", lenient=True)

        finding = _only(read.status, Severity.ERROR)
        assert (2, "college_code", "1817-0") == (finding.row, finding.column, finding.value)
        assert 0 == read.table.n_rows

    def test_duplicate_requester_id(self) -> None:
        """
        A students file repeating a requester_id keeps the first row; the later one names it.
        """
        data = "requester_id,gender\nA1,F\nB2,M\nA1,X\n"

        read = _read(data, "students", lenient=True)

        finding = _only(read.status, Severity.ERROR)
        assert (4, "requester_id", "A1") == (finding.row, finding.column, finding.value)
        assert "first in row 2" in finding.message
        assert ["F", "M"] == read.table.values("gender")

    def test_unknown_code_is_a_warning(self) -> None:
        """
        An unknown enrollment status is a warning and is kept as UNKNOWN; strict mode does not raise.
        """
        data = _enrollments("A1,001817-00,4,2006-08-21,2006-12-15,Z,")

        read = _read(data, "enrollments")

        finding = _only(read.status, Severity.WARNING)
        assert (2, "enrollment_status", "Z") == (finding.row, finding.column, finding.value)
        assert [EnrollmentStatus.UNKNOWN] == read.table.values("enrollment_status")

    def test_unknown_college_type_is_a_warning(self) -> None:
        """
        An unknown college type, even in a required column, is a warning kept as UNKNOWN.
        """
        data = _enrollments("A1,001817-00,9,2006-08-21,2006-12-15,F,")

        read = _read(data, "enrollments")

        assert (2, "college_type", "9") == (
            _only(read.status, Severity.WARNING).row,
            _only(read.status, Severity.WARNING).column,
            _only(read.status, Severity.WARNING).value,
        )
        assert [CollegeType.UNKNOWN] == read.table.values("college_type")

    def test_unreadable_optional_value(self) -> None:
        """
        An unreadable optional value (a CIP code) is a warning and reads as missing.
        """
        data = _enrollments("A1,001817-00,4,2006-08-21,2006-12-15,F,biology")

        read = _read(data, "enrollments")

        finding = _only(read.status, Severity.WARNING)
        assert (2, "cip_1", "biology") == (finding.row, finding.column, finding.value)
        assert [None] == read.table.values("cip_1")

    def test_wrong_number_of_fields(self) -> None:
        """
        A row with more or fewer fields than the header is rejected.
        """
        data = _enrollments("A1,001817-00,4,2006-08-21", "A2,001817-00,4,2006-08-21,2006-12-15,F,")

        read = _read(data, "enrollments", lenient=True)

        finding = _only(read.status, Severity.ERROR)
        assert (2, None) == (finding.row, finding.column)
        assert "fields" in finding.message
        assert ["A2"] == read.table.values("requester_id")

    def test_strict_mode_carries_every_finding(self) -> None:
        """
        Strict mode raises one error carrying every finding, warnings included.
        """
        data = _enrollments(
            "A1,bad,4,2006-08-21,2006-12-15,F,",
            "A2,001817-00,4,x,2006-12-15,Z,",
            "A3,001817-00,4,2006-08-21,2006-12-15,F,",
        )

        with pytest.raises(InvalidInputError) as caught:
            _read(data, "enrollments")

        assert [(2, "college_code"), (3, "begin_date"), (3, "enrollment_status")] == [
            (f.row, f.column) for f in caught.value.findings
        ]

    @pytest.mark.parametrize(
        ("column", "value"),
        [("birth_date", "1999-02-30"), ("birth_date", "13/45/1999"), ("ssn", "12345")],
    )
    def test_personal_values_are_never_echoed(self, column: str, value: str) -> None:
        """
        A bad birth date or SSN is reported by file, row and column, never by value.
        """
        data = f"requester_id,first_name,last_name,{column}\nA1,Zebulon,Quixote,{value}\n"

        read = _read(data, "students")

        finding = _only(read.status, Severity.WARNING)
        assert ("students.csv", 2, column, "<redacted>") == (
            finding.file,
            finding.row,
            finding.column,
            finding.value,
        )
        assert value not in str(finding)
        assert column in finding.message

    def test_names_never_appear_in_errors(self) -> None:
        """
        The error of a rejected row never shows the row's names, birth date or SSN.
        """
        data = (
            "requester_id,first_name,last_name,birth_date,ssn\n"
            "A1,Zebulon,Quixote,1999-02-03,123456789\n"
            "A1,Zebulon,Quixote,1999-02-03,123456789\n"
            ",Xanthe,Yarrow,2001-05-06,987654321\n"
        )

        with pytest.raises(InvalidInputError) as caught:
            _read(data, "students")

        shown = str(caught.value) + "".join(caught.value.__notes__)
        for secret in (
            "Zebulon",
            "Quixote",
            "Xanthe",
            "Yarrow",
            "1999-02-03",
            "2001-05-06",
            "123456789",
            "987654321",
        ):
            assert secret not in shown
        assert [3, 4] == [f.row for f in caught.value.findings]

    def test_orphan_records_are_warnings(self) -> None:
        """
        A record whose requester_id is not a submitted student is kept, linked to -1, and warned about.
        """
        students = io.BytesIO(b"requester_id\nA1\n")
        enrollments = io.BytesIO(
            _enrollments(
                "A1,001817-00,4,2006-08-21,2006-12-15,F,", "Q9,001817-00,4,2006-08-21,2006-12-15,F,"
            ).encode()
        )

        read = read_cohort(students, enrollments)

        assert [0, -1] == read.columns.enrollment_student.tolist()
        warning = _only(read.statuses[1], Severity.WARNING)
        assert (3, "requester_id", "Q9") == (warning.row, warning.column, warning.value)

    def test_empty_file(self) -> None:
        """
        An empty file is an error naming the file: there is no header.
        """
        with pytest.raises(InvalidInputError, match=r"students\.csv"):
            _read(b"", "students")

    def test_unknown_table(self) -> None:
        """
        A table name that is not canonical is refused, listing the known ones.
        """
        with pytest.raises(InvalidArgumentError, match="students, enrollments, degrees"):
            read_table(io.BytesIO(b"a\n"), "grades")


# --------------------------------------------------------------------------------------------
# Extra columns
# --------------------------------------------------------------------------------------------


class TestExtras:
    def test_students_flag_columns_become_booleans(self) -> None:
        """
        In a students file, a column of Y/N-like values is typed as booleans; others stay text.
        """
        data = "requester_id,Pell?,program,blank_col\nA1,Yes,Nursing,\nA2,0,,\nA3,,Welding,\n"

        read = _read(data, "students")

        assert (Kind.BOOL, Kind.TEXT, Kind.TEXT) == tuple(c.kind for c in read.table.extras)
        assert [True, False, None] == read.table.values("Pell?")
        assert ["Nursing", None, "Welding"] == read.table.values("program")

    def test_record_extras_flags_too(self) -> None:
        """
        In an enrollments file too, an unknown column of Y/N-like values reads as booleans.
        """
        data = "requester_id,college_code,college_type,begin_date,end_date,online\nA1,001817-00,4,2006-08-21,2006-12-15,Y\n"

        records = read_records(io.BytesIO(data.encode()), "enrollments").records

        assert records[0].attribute("online") is True

    def test_records_carry_extras(self) -> None:
        """
        Extra columns become record attributes; a blank value is absent.
        """
        data = "requester_id,college_code,award_date,honors\nA1,001817-00,2010-05-15,cum laude\nA2,001817-00,2010-05-15,\n"

        records = read_records(io.BytesIO(data.encode()), "degrees").records

        assert isinstance(records[0], DegreeRecord)
        assert (("honors", "cum laude"),) == records[0].attributes
        assert () == records[1].attributes


# --------------------------------------------------------------------------------------------
# Lose nothing: read = accepted + rejected, on random bad files
# --------------------------------------------------------------------------------------------

_CELLS: dict[str, list[str]] = {
    "requester_id": ["A1", "B2", "C3", "", "  "],
    "college_code": ["001817-00", "00181705", "1817", "", "001817-XX"],
    "college_type": ["4", "2", "L", "9", ""],
    "begin_date": ["2006-08-21", "2007-01-08", "2006-13-01", "", "soon", "8/21/2006"],
    "end_date": ["2006-12-15", "2006-08-20", "2007-05-04", "", "2/30/2007"],
    "enrollment_status": ["F", "H", "", "Z"],
    "cip_1": ["09.0401", "90401", "", "x"],
}


def _reference_rejects(row: list[str]) -> bool:
    """Plain per-row rule: would the reader reject this row?"""
    if len(row) != len(_CELLS):
        return True
    cell = dict(zip(_CELLS, row, strict=True))
    if not cell["requester_id"].strip():
        return True
    try:
        CollegeCode.parse(cell["college_code"])
    except ValueError:
        return True
    if not cell["college_type"].strip():
        return True
    days = []
    for name in ("begin_date", "end_date"):
        text = cell[name].strip()
        try:
            if "/" in text:
                month, day, year = (int(x) for x in text.split("/"))
                days.append(dt.date(year, month, day))
            else:
                days.append(dt.date.fromisoformat(text))
        except ValueError:
            return True
    return days[1] < days[0]


@st.composite
def bad_files(draw: st.DrawFn) -> tuple[bytes, list[list[str] | None]]:
    """Enrollment files with random good and bad cells, short and long rows, blank lines."""
    rows: list[list[str] | None] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["row", "row", "row", "row", "short", "long", "blank"]))
        if kind == "blank":
            rows.append(None)
            continue
        row = [draw(st.sampled_from(values)) for values in _CELLS.values()]
        if kind == "short":
            row = row[: draw(st.integers(1, len(row) - 1))]
        elif kind == "long":
            row = [*row, "extra"]
        rows.append(row)
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(list(_CELLS))
    for row in rows:
        if row is None:
            text.write("\n")
        else:
            writer.writerow(row)
    return text.getvalue().encode(), rows


class TestLoseNothing:
    @given(bad_files())
    def test_read_is_accepted_plus_rejected(
        self, case: tuple[bytes, list[list[str] | None]]
    ) -> None:
        """
        Every data row is accepted or rejected with an error at its row; the counts add up,
        and the rejected rows are exactly those a plain per-row rule rejects.
        """
        data, rows = case

        read = _read(data, "enrollments", lenient=True)

        status = read.status
        numbered = [(number, row) for number, row in enumerate(rows, start=2) if row is not None]
        expected_rejected = {n for n, row in numbered if _reference_rejects(row)}
        error_rows = {f.row for f in status.errors}
        assert len(numbered) == status.rows_read
        assert status.rows_read == status.rows_accepted + status.rows_rejected
        assert status.rows_accepted == read.table.n_rows
        assert expected_rejected == error_rows
        assert sorted({n for n, _ in numbered} - expected_rejected) == read.row_numbers.tolist()


# --------------------------------------------------------------------------------------------
# The raw reader and the parsers
# --------------------------------------------------------------------------------------------

_RAW_VALUES = [
    "a",
    "",
    "b,c",
    'q"uote',
    "line\nbreak",
    "x\r\ny",
    "é",
    " ",
    "a longer value, 123456789",
]


@st.composite
def raw_files(draw: st.DrawFn) -> bytes:
    """CSV as the csv module writes it (quoting, CRLF, blank lines, ragged rows), plus stray quotes."""
    width = draw(st.integers(1, 4))
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow([f"h{j}" for j in range(width)])
    for _ in range(draw(st.integers(0, 20))):
        roll = draw(st.integers(0, 9))
        if roll == 0:
            text.write("\n")
            continue
        if roll == 1:
            # A stray quote inside an unquoted field, as hand-made files have them.
            text.write(",".join(['Robert "Bob" Lee'] + ["x"] * (width - 1)) + "\n")
            continue
        extra = draw(st.sampled_from([0, 0, 0, 0, -1, 1]))
        writer.writerow([draw(st.sampled_from(_RAW_VALUES)) for _ in range(max(1, width + extra))])
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.getvalue().encode()


class TestRawReader:
    @given(raw_files(), st.sampled_from([1 << 8, 1 << 12, 1 << 20]))
    def test_agrees_with_the_csv_module(self, data: bytes, block_size: int) -> None:
        """
        Whatever the block size, the factorising reader gives the csv module's rows and row numbers.
        """
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        expected = [
            (number, row if len(row) == len(header) else None)
            for number, row in enumerate(body, start=2)
            if row
        ]

        raw = read_delimited(io.BytesIO(data), block_size=block_size)

        actual = [
            (
                int(raw.row_numbers[i]),
                None if raw.broken[i] else [c.value(i) for c in raw.columns],
            )
            for i in range(raw.n_rows)
        ]
        assert tuple(header) == raw.header
        assert expected == actual

    def test_long_fields_share_codes_exactly(self) -> None:
        """
        Long values that differ only late in the string get different codes; equal ones share.
        """
        values = ["x" * 40 + "a", "x" * 40 + "b", "x" * 40 + "a", "short", "x" * 40 + "a"]
        data = ("v\n" + "\n".join(values) + "\n").encode()

        raw = read_delimited(io.BytesIO(data), block_size=16)

        assert values == [raw.columns[0].value(i) for i in range(len(values))]
        assert 3 == len(np.unique(raw.columns[0].codes))

    def test_factorise(self) -> None:
        """
        Python strings factorise in order of first appearance.
        """
        column = factorise("x", ["b", "a", "b", None])

        assert ([0, 1, 0, 2], ["b", "a", ""]) == (column.codes.tolist(), column.distinct.tolist())

    @pytest.mark.parametrize(
        ("header", "expected"),
        [("First Name", "firstname"), ("FIRST_NAME", "firstname"), ("hs-grad/date?", "hsgraddate")],
    )
    def test_normalise_header(self, header: str, expected: str) -> None:
        """
        Headers normalise by case, spaces, ``_``, ``-``, ``/`` and ``?``.
        """
        assert expected == normalise_header(header)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2012-08-27", dt.date(2012, 8, 27)),
            ("20120827", dt.date(2012, 8, 27)),
            ("08/27/2012", dt.date(2012, 8, 27)),
            ("8/27/12", dt.date(2012, 8, 27)),
            ("1/1/65", dt.date(1965, 1, 1)),
            ("1/1/23", dt.date(2023, 1, 1)),
            ("1/1/24", dt.date(1924, 1, 1)),
        ],
    )
    def test_date_formats(self, text: str, expected: dt.date) -> None:
        """
        Every date format reads; two-digit years are 20yy up to ten years after the as-of date.
        """
        days, problems = parse_dates([text], as_of=dt.date(2013, 2, 20))

        assert {} == problems
        assert (expected - dt.date(1970, 1, 1)).days == int(days[0])

    def test_two_digit_year_needs_as_of(self) -> None:
        """
        Without an as-of date a two-digit year is a problem, never a guess.
        """
        _, problems = parse_dates(["8/27/12"])

        assert "as-of" in problems[0].message

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Y", 1),
            ("yes", 1),
            ("1", 1),
            ("True", 1),
            ("N", 0),
            ("No", 0),
            ("0", 0),
            ("false", 0),
            ("", -1),
        ],
    )
    def test_flags(self, text: str, expected: int) -> None:
        """
        Y/N flags accept Y N Yes No 1 0 True False (any case) and blank.
        """
        flags, problems = parse_flags([text])

        assert ({}, expected) == (problems, int(flags[0]))
