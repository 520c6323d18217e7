"""Submission intake: aliases, typed values, findings, encodings, workbooks, request layouts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import intake_cell_files, intake_header_files

from edoutcomes import FileStatus, InvalidInputError, Severity
from edoutcomes.errors import InvalidArgumentError, MissingExtraError
from edoutcomes.formats import (
    SUBMISSION_FORMATS,
    college_request,
    high_school_graduates,
    read_submission,
    read_table,
)
from edoutcomes.formats._aliases import STUDENT_ALIASES, alias_index
from edoutcomes.formats._reader import normalise_header
from edoutcomes.formats.request import (
    write_college_request,
    write_college_request_fixed,
    write_high_school_graduates,
)
from edoutcomes.model import Kind, Student

AS_OF = dt.date(2013, 2, 20)
HEADER = "requester_id,first_name,last_name,birth_date"


def _stream(data: bytes | str, name: str | None = "sub.csv") -> io.BytesIO:
    stream = io.BytesIO(data.encode() if isinstance(data, str) else data)
    if name is not None:
        stream.name = name
    return stream


def _read(data: bytes | str, name: str | None = "sub.csv", **kwargs: Any) -> Any:
    kwargs.setdefault("lenient", True)
    return read_submission(_stream(data, name), **kwargs)


def _file(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _only(status: FileStatus) -> Any:
    assert 1 == len(status.findings), [str(f) for f in status.findings]
    return status.findings[0]


# --------------------------------------------------------------------------------------------
# Column names
# --------------------------------------------------------------------------------------------


class TestAliases:
    @pytest.mark.parametrize(
        ("header", "field"),
        [
            ("first_name", "first_name"),
            ("First Name", "first_name"),
            ("FIRST_NAME", "first_name"),
            ("FirstName", "first_name"),
            ("first-name", "first_name"),
            ("fname", "first_name"),
            ("Student First Name", "first_name"),
            ("Middle Initial", "middle_name"),
            ("Surname", "last_name"),
            ("Suffix", "name_suffix"),
            ("student_id", "requester_id"),
            ("Student ID", "requester_id"),
            ("Requester Return Field", "requester_id"),
            ("id", "requester_id"),
            ("Your Unique Identifier", "unique_id"),
            ("DOB", "birth_date"),
            ("Date of Birth", "birth_date"),
            ("birthdate", "birth_date"),
            ("Graduation Date", "hs_grad_date"),
            ("High School Grad Date", "hs_grad_date"),
            ("grad_date", "hs_grad_date"),
            ("ACT code", "high_school_code"),
            ("CEEB", "high_school_code"),
            ("ACT/CEEB", "high_school_code"),
            ("HS State", "high_school_state"),
            ("Sex", "gender"),
            ("Race/Ethnicity", "race_ethnicity"),
            ("Social Security Number", "ssn"),
            ("Student ID?", "requester_id"),
        ],
    )
    def test_alias_fills_the_field(self, header: str, field: str) -> None:
        """
        Each alias, in any case and with spaces, ``_``, ``-``, ``/`` or ``?``, fills its field.
        """
        value = {
            "birth_date": "2001-02-03",
            "hs_grad_date": "2019-06-07",
            "high_school_code": "380123",
            "gender": "F",
            "ssn": "123456789",
        }.get(field, "V1")
        base = {
            "requester_id": "R1",
            "first_name": "Ann",
            "last_name": "Lee",
            "birth_date": "2001-02-03",
        }
        others = {k: v for k, v in base.items() if k != field}
        names = [header, *others]
        row = [value, *others.values()]

        read = _read(",".join(names) + "\n" + ",".join(row) + "\n")

        assert () == read.status.findings
        expected = dt.date.fromisoformat(value) if "date" in field else value
        assert [expected] == read.table.values(field)
        assert header == read.columns[field]
        assert () == read.table.extras

    def test_no_two_fields_share_an_alias(self) -> None:
        """The alias table is one-to-one after normalising, and a clash is refused."""
        index = alias_index(STUDENT_ALIASES)

        spellings = [{normalise_header(s) for s in (f, *v)} for f, v in STUDENT_ALIASES.items()]
        assert len(index) == sum(len(keys) for keys in spellings)
        with pytest.raises(InvalidArgumentError, match="alias of both"):
            alias_index({"first_name": ("fname",), "last_name": ("F Name",)})

    def test_two_columns_for_one_field_is_an_error_naming_both(self) -> None:
        """``First Name`` and ``fname`` both fill first_name: an error names both; the first is used."""
        read = _read(_file("R1,Ann,Al,Lee,2001-02-03", header="id,First Name,fname,last,DOB"))

        finding = _only(read.status)
        assert (Severity.ERROR, 1, "first_name") == (finding.severity, finding.row, finding.column)
        assert "'First Name' (column 2) and 'fname' (column 3)" in finding.message
        assert ["Ann"] == read.table.values("first_name")

    def test_mapping_overrides_aliases(self) -> None:
        """A caller's mapping picks the column; the alias column it displaces is kept as an extra."""
        data = _file("R1,L9,Ann,Lee,2001-02-03", header="id,Local,First,Last,DOB")

        read = _read(data, mapping={"Local": "requester_id"})

        assert () == read.status.findings
        assert ["L9"] == read.table.values("requester_id")
        assert ["R1"] == read.table.values("id")

    def test_mapping_matches_normalised_and_drops(self) -> None:
        """Mapping keys match as normalised headers; None drops a column."""
        data = _file("R1,Ann,Lee,2001-02-03,x", header="Kid,Given,Family,Born,Junk")
        mapping = {
            "kid": "requester_id",
            "GIVEN": "first_name",
            "family": "last_name",
            "born": "birth_date",
            "junk": None,
        }

        read = _read(data, mapping=mapping)

        assert () == read.status.findings
        assert ("requester_id", "first_name", "last_name") == tuple(read.columns)[:3]
        assert () == read.table.extras

    def test_mapping_key_missing_is_a_warning(self) -> None:
        """A mapping key the header lacks is said (the same mapping may serve many files)."""
        read = _read(_file("R1,Ann,Lee,2001-02-03"), mapping={"Pell": None})

        finding = _only(read.status)
        assert (Severity.WARNING, 1) == (finding.severity, finding.row)
        assert "'Pell'" in finding.message

    def test_mapping_to_an_unknown_field_is_refused(self) -> None:
        """A mapping value must be a students column (or None)."""
        with pytest.raises(InvalidArgumentError, match="frist_name"):
            _read(_file("R1,Ann,Lee,2001-02-03"), mapping={"first_name": "frist_name"})

    def test_message_names_the_files_column(self) -> None:
        """A finding's column is the canonical field; its message also names the file's column."""
        read = _read(_file("R1,Ann,Lee,soon", header="Student ID,First,Last,Date of Birth"))

        finding = _only(read.status)
        assert ("birth_date", "<redacted>") == (finding.column, finding.value)
        assert finding.message.startswith("birth_date (the file's column 'Date of Birth') is not")


# --------------------------------------------------------------------------------------------
# Typed values
# --------------------------------------------------------------------------------------------


class TestValues:
    @pytest.mark.parametrize(
        "text", ["19950304", "1995-03-04", "03/04/1995", "3/4/1995", "3/4/95", " 1995-3-4 "]
    )
    def test_date_formats(self, text: str) -> None:
        """Every date format reads to the same date."""
        read = _read(_file(f"R1,Ann,Lee,{text}"), as_of=AS_OF)

        assert [dt.date(1995, 3, 4)] == read.table.values("birth_date")

    @pytest.mark.parametrize(
        ("text", "as_of", "expected"),
        [
            ("1/1/65", AS_OF, dt.date(1965, 1, 1)),
            ("2/20/23", AS_OF, dt.date(2023, 2, 20)),  # exactly ten years after: 20yy
            ("2/21/23", AS_OF, dt.date(1923, 2, 21)),  # a day later: 19yy
            ("12/31/99", dt.date(2089, 12, 31), dt.date(2099, 12, 31)),
            ("1/1/00", dt.date(1985, 1, 1), dt.date(1900, 1, 1)),
            ("1/1/00", dt.date(1990, 1, 1), dt.date(2000, 1, 1)),
        ],
    )
    def test_two_digit_years(self, text: str, as_of: dt.date, expected: dt.date) -> None:
        """``20yy`` when that is no later than ten years after as_of, else ``19yy``."""
        read = _read(
            _file(f"R1,Ann,Lee,1900-01-01,{text}", header=HEADER + ",Grad Date"), as_of=as_of
        )

        assert [expected] == read.table.values("hs_grad_date")

    def test_graduation_8_27_12_is_2012(self) -> None:
        """The spec's example: a graduation date 8/27/12 is 2012, a birth date 1/1/65 is 1965."""
        data = _file("R1,Ann,Lee,1/1/65,8/27/12", header=HEADER + ",Graduation Date")

        read = _read(data, as_of=AS_OF)

        assert [dt.date(1965, 1, 1)] == read.table.values("birth_date")
        assert [dt.date(2012, 8, 27)] == read.table.values("hs_grad_date")

    @pytest.mark.parametrize("column", ["birth_date", "hs_grad_date"])
    def test_two_digit_year_without_as_of_is_an_error(self, column: str) -> None:
        """Without as_of, a two-digit year is an error (never read against today's date)."""
        birth, grad = (
            ("1/1/95", "2013-06-07") if column == "birth_date" else ("1995-01-01", "6/7/13")
        )
        data = _file(
            f"R1,Ann,Lee,{birth},{grad}", "R2,Bo,Kim,1995-01-01,", header=HEADER + ",Grad Date"
        )

        read = _read(data)

        finding = _only(read.status)
        assert (Severity.ERROR, 2, column) == (finding.severity, finding.row, finding.column)
        assert "as-of date" in finding.message
        assert ("<redacted>" if column == "birth_date" else "6/7/13") == finding.value
        assert ["R2"] == read.table.values("requester_id")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Y", True),
            ("N", False),
            ("Yes", True),
            ("no", False),
            ("1", True),
            ("0", False),
            ("TRUE", True),
            ("False", False),
            ("", None),
        ],
    )
    def test_flags(self, text: str, expected: bool | None) -> None:
        """Y/N extras read as booleans from every spelling; blank is missing."""
        data = _file(
            f"R1,Ann,Lee,2001-02-03,{text}", "R2,Bo,Kim,2001-02-03,Y", header=HEADER + ",FAFSA?"
        )

        read = _read(data)

        assert Kind.BOOL == read.table.column("FAFSA?").kind
        assert [expected, True] == read.table.values("FAFSA?")

    def test_extras_ride_along_to_the_records(self) -> None:
        """Unknown columns are kept in file order: Y/N as booleans, others as text."""
        data = _file("R1,Ann,Lee,2001-02-03,Y,Band", header=HEADER + ",First in family,Club")

        (student,) = _read(data).to_records()

        assert (("First in family", True), ("Club", "Band")) == student.attributes

    def test_gender_codes_are_normalised(self) -> None:
        """Gender spellings read as the F/M/X codes."""
        data = _file(
            "R1,Ann,Lee,2001-02-03,Female",
            "R2,Bo,Kim,2001-02-03,m",
            "R3,Cy,Ng,2001-02-03,",
            header=HEADER + ",Sex",
        )

        assert ["F", "M", None] == _read(data).table.values("gender")

    def test_school_code_regains_leading_zeros(self) -> None:
        """An ACT/CEEB code a spreadsheet shortened to 5 digits is padded back to 6."""
        data = _file("R1,Ann,Lee,2001-02-03,52345", header=HEADER + ",CEEB")

        assert ["052345"] == _read(data).table.values("high_school_code")


# --------------------------------------------------------------------------------------------
# Errors and warnings
# --------------------------------------------------------------------------------------------


class TestFindings:
    def test_missing_required_column(self) -> None:
        """A required column missing from the header rejects every row, said once at row 1."""
        read = _read(_file("R1,Ann,2001-02-03", header="id,first,dob"))

        finding = _only(read.status)
        assert (Severity.ERROR, 1, "last_name") == (finding.severity, finding.row, finding.column)
        assert (1, 0) == (read.status.rows_read, read.status.rows_accepted)

    def test_blank_required_value(self) -> None:
        """A blank last name rejects its row (the value is personal: never shown)."""
        read = _read(_file("R1,Ann,,2001-02-03", "R2,Bo,Kim,2001-02-03"))

        finding = _only(read.status)
        assert (Severity.ERROR, 2, "last_name") == (finding.severity, finding.row, finding.column)
        assert "blank" in finding.message
        assert ["R2"] == read.table.values("requester_id")

    def test_unparseable_birth_date(self) -> None:
        """An unreadable birth date rejects the row; the value is redacted."""
        read = _read(_file("R1,Ann,Lee,1995-02-30"))

        finding = _only(read.status)
        assert (Severity.ERROR, 2, "birth_date", "<redacted>") == (
            finding.severity,
            finding.row,
            finding.column,
            finding.value,
        )
        assert "is not a real date" in finding.message

    def test_duplicate_id_keeps_the_first(self) -> None:
        """Each later row with the same id is an error naming the first row, which is kept."""
        read = _read(_file("R1,Ann,Lee,2001-02-03", "R2,Bo,Kim,2001-02-03", "R1,Cy,Ng,2001-02-03"))

        finding = _only(read.status)
        assert (Severity.ERROR, 4, "requester_id", "R1") == (
            finding.severity,
            finding.row,
            finding.column,
            finding.value,
        )
        assert "first in row 2" in finding.message
        assert ["Ann", "Bo"] == read.table.values("first_name")

    def test_duplicate_of_a_rejected_row_is_kept(self) -> None:
        """A row rejected for another reason does not make a later row with its id a duplicate."""
        read = _read(_file("R1,Ann,,2001-02-03", "R1,Cy,Ng,2001-02-03"))

        assert [2] == [f.row for f in read.status.errors]
        assert [3] == read.row_numbers.tolist()

    def test_graduation_before_birth(self) -> None:
        """A graduation date before the birth date rejects the row without showing the birth date."""
        data = _file("R1,Ann,Lee,2001-02-03,2000-06-07", header=HEADER + ",Grad Date")

        read = _read(data)

        finding = _only(read.status)
        assert (Severity.ERROR, 2, "hs_grad_date", "2000-06-07") == (
            finding.severity,
            finding.row,
            finding.column,
            finding.value,
        )
        assert "2001" not in str(finding)
        assert 0 == read.status.rows_accepted

    def test_unknown_gender_code_is_a_warning(self) -> None:
        """An unknown gender code is kept as unknown, with a warning showing the code."""
        read = _read(_file("R1,Ann,Lee,2001-02-03,Q", header=HEADER + ",gender"))

        finding = _only(read.status)
        assert (Severity.WARNING, 2, "gender", "Q") == (
            finding.severity,
            finding.row,
            finding.column,
            finding.value,
        )
        assert ["unknown"] == read.table.values("gender")

    @pytest.mark.parametrize(
        ("header", "value", "column"),
        [("Grad Date", "June", "hs_grad_date"), ("ACT code", "ABC123", "high_school_code")],
    )
    def test_unparseable_optional_value_is_missing(
        self, header: str, value: str, column: str
    ) -> None:
        """An unreadable optional value reads as missing, with a warning; the row is kept."""
        read = _read(_file(f"R1,Ann,Lee,2001-02-03,{value}", header=f"{HEADER},{header}"))

        finding = _only(read.status)
        assert (Severity.WARNING, 2, column, value) == (
            finding.severity,
            finding.row,
            finding.column,
            finding.value,
        )
        assert [None] == read.table.values(column)
        assert 1 == read.status.rows_accepted

    @pytest.mark.parametrize(
        ("birth", "words"),
        [
            ("2013-03-01", "after the as-of date"),
            ("2004-01-01", "younger than 10"),
            ("1913-02-20", "100 or older"),
        ],
    )
    def test_implausible_birth_date_is_a_warning(self, birth: str, words: str) -> None:
        """A birth date no student has is kept, with a warning that does not show it."""
        read = _read(_file(f"R1,Ann,Lee,{birth}"), as_of=AS_OF)

        finding = _only(read.status)
        assert (Severity.WARNING, 2, "birth_date", "<redacted>") == (
            finding.severity,
            finding.row,
            finding.column,
            finding.value,
        )
        assert words in finding.message
        assert birth not in finding.message
        assert 1 == read.status.rows_accepted

    @pytest.mark.parametrize("birth", ["2003-02-20", "1913-02-21"])
    def test_plausible_birth_date_edges(self, birth: str) -> None:
        """Exactly 10, and a day under 100, at as_of are plausible."""
        assert () == _read(_file(f"R1,Ann,Lee,{birth}"), as_of=AS_OF).status.findings

    def test_birth_before_1900_without_as_of(self) -> None:
        """Without as_of, only a birth date before 1900 is implausible."""
        finding = _only(_read(_file("R1,Ann,Lee,1899-12-31", "R2,Bo,Kim,2012-01-01")).status)

        assert (2, "birth_date") == (finding.row, finding.column)

    def test_strict_mode_raises_one_error_with_every_finding(self) -> None:
        """Strict mode raises once, carrying every error and warning of the file."""
        data = _file("R1,Ann,,2001-02-03,Q", "R1,Bo,Kim,soon,F", header=HEADER + ",gender")

        with pytest.raises(InvalidInputError) as info:
            read_submission(_stream(data))

        assert [(2, "last_name"), (2, "gender"), (3, "birth_date")] == [
            (f.row, f.column) for f in info.value.findings
        ]
        assert 2 == info.value.rows_read
        assert all(f.file == "sub.csv" for f in info.value.findings)

    def test_warnings_alone_do_not_raise(self) -> None:
        """Strict mode returns a file whose findings are only warnings."""
        read = read_submission(_stream(_file("R1,Ann,Lee,2001-02-03,Q", header=HEADER + ",sex")))

        assert 1 == len(read.status.warnings)

    def test_wrong_number_of_fields(self) -> None:
        """A row with more or fewer fields than the header is rejected."""
        read = _read(_file("R1,Ann,Lee", "R2,Bo,Kim,2001-02-03"))

        finding = _only(read.status)
        assert (Severity.ERROR, 2, None) == (finding.severity, finding.row, finding.column)

    def test_personal_values_are_never_echoed(self) -> None:
        """No name, birth date or SSN of a rejected or warned row appears in any message."""
        secrets = ["Zelda", "Quixote", "1899-12-31", "31/12/1990", "12345678", "Bartholomew"]
        data = _file(
            "R1,Zelda,,1899-12-31,123456789",
            "R2,Bartholomew,Quixote,31/12/1990,12345678",
            "R3,Bartholomew,Quixote,1899-12-31,12345678",
            header=HEADER + ",Social Security Number",
        )

        read = _read(data)

        text = "\n".join(str(f) for f in read.status.findings)
        assert 4 <= len(read.status.findings)
        for secret in secrets:
            assert secret not in text
        with pytest.raises(InvalidInputError) as info:
            read_submission(_stream(data))
        for secret in secrets:
            assert secret not in str(info.value)
            assert all(secret not in note for note in info.value.__notes__)

    def test_empty_file(self) -> None:
        """An empty file is an error, not an exception in lenient mode."""
        read = _read(b"")

        assert (0, 0) == (read.status.rows_read, read.status.rows_accepted)
        assert read.status.errors

    def test_arguments_are_checked(self) -> None:
        """Unknown formats, encodings and required fields are argument errors."""
        with pytest.raises(InvalidArgumentError, match="format"):
            _read(_file(), format="xls")
        with pytest.raises(InvalidArgumentError, match="encoding"):
            _read(_file(), encoding="klingon")
        with pytest.raises(InvalidArgumentError, match="shoe_size"):
            _read(_file(), required=["shoe_size"])

    def test_required_is_adjustable(self) -> None:
        """A caller can require fewer fields (the id always) or more."""
        data = _file("R1,,,", header="id,first,last,dob")

        assert 1 == _read(data, required=()).status.rows_accepted
        assert 0 == _read(_file("R1,Ann,Lee,2001-02-03"), required=["ssn"]).status.rows_accepted


# --------------------------------------------------------------------------------------------
# Encodings and text layout
# --------------------------------------------------------------------------------------------


class TestEncodings:
    def test_utf8_bom_and_crlf(self) -> None:
        """A byte-order mark and CRLF line ends are read through; no finding."""
        data = b"\xef\xbb\xbf" + "Student ID,First,Last,DOB\r\nR1,Zoë,Lee,2001-02-03\r\n".encode()

        read = _read(data)

        assert () == read.status.findings
        assert (["R1"], ["Zoë"], "utf-8") == (
            read.table.values("requester_id"),
            read.table.values("first_name"),
            read.encoding,
        )

    def test_windows_1252_is_detected_and_said(self) -> None:
        """A file that is not UTF-8 reads as Windows-1252, with a warning saying so."""
        data = "id,first,last,dob\nR1,José,Muñoz,2001-02-03\n".encode("cp1252")

        read = _read(data)

        finding = _only(read.status)
        assert (Severity.WARNING, None) == (finding.severity, finding.row)
        assert "Windows-1252" in finding.message
        assert ("cp1252", ["José"], ["Muñoz"]) == (
            read.encoding,
            read.table.values("first_name"),
            read.table.values("last_name"),
        )

    def test_explicit_encoding(self) -> None:
        """An encoding the caller names is used as given (here UTF-16, which no guess finds)."""
        data = "id,first,last,dob\r\nR1,Łukasz,Lee,2001-02-03\r\n".encode("utf-16")

        read = _read(data, encoding="utf-16")

        assert () == read.status.findings
        assert ("utf-16", ["Łukasz"]) == (read.encoding, read.table.values("first_name"))

    def test_wrong_explicit_encoding_falls_back_with_a_warning(self) -> None:
        """A file that is not in the named encoding is detected instead, and the row is said."""
        data = "id,first,last,dob\nR1,José,Lee,2001-02-03\n".encode("cp1252")

        read = _read(data, encoding="utf-8")

        assert [None, 2] == [f.row for f in read.status.findings]
        assert ["José"] == read.table.values("first_name")

    def test_quoted_fields_with_commas_and_newlines(self) -> None:
        """Quoted fields keep commas, doubled quotes and line breaks; row numbers count records."""
        data = 'id,first,last,dob\nR1,"Ann, ""Annie""","Lee\nJones",2001-02-03\nR2,Bo,,2001-02-03\n'

        read = _read(data)

        assert ['Ann, "Annie"'] == read.table.values("first_name")
        assert ["Lee\nJones"] == read.table.values("last_name")
        assert [3] == [f.row for f in read.status.errors]

    def test_tab_delimited_text(self) -> None:
        """A ``.txt`` file is tab-delimited; commas inside fields are plain text there."""
        data = "Student ID\tFirst Name\tLast Name\tDOB\nR1\tAnn, Jr\tLee\t2001-02-03\n"

        read = _read(data, name="sub.txt")

        assert ("tab", ["Ann, Jr"]) == (read.format, read.table.values("first_name"))

    @pytest.mark.parametrize(
        ("name", "data", "expected"),
        [
            (None, "a\tb\tc\n", "tab"),
            (None, "a,b,c\n", "csv"),
            ("x.txt", "a,b,c\n", "csv"),
            ("x.tsv", "a\tb\n", "tab"),
            ("x.dat", "a\tb\n", "tab"),
            ("x.csv", "a\tb\n", "csv"),
            (None, "H1\t001817\t00\tU\t20130903\tSE\tI\n", "nsc-request"),
            (None, "PH3\t380123\tLINCOLN\tP\t20130701\t2013\n", "nsc-hs-graduates"),
            (None, "H100181700" + " " * 51 + "\n", "nsc-request-fixed"),
        ],
    )
    def test_format_is_sniffed(self, name: str | None, data: str, expected: str) -> None:
        """The first bytes, then the suffix, then the header line decide the format."""
        assert expected == _read(data, name=name).format


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------


def _workbook(rows: list[list[Any]]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestWorkbooks:
    def test_xlsx_round_trip(self) -> None:
        """Dates, numbers, booleans and text cells read as the CSV of the same sheet does."""
        rows = [
            ["Student ID", "First Name", "Last Name", "Date of Birth", "CEEB", "Pell", "Club"],
            ["R1", "Zoë", "Lee", dt.date(2001, 2, 3), 52345, True, "Band"],
            [None] * 7,
            [17, "Bo", "Kim", "3/4/2001", "052345", False, None],
        ]
        text = "\n".join(
            [
                "Student ID,First Name,Last Name,Date of Birth,CEEB,Pell,Club",
                "R1,Zoë,Lee,2001-02-03,52345,Y,Band",
                "",
                "17,Bo,Kim,3/4/2001,052345,N,",
            ]
        )

        workbook = _read(_workbook(rows), name="sub.xlsx")
        sheet = _read(text + "\n")

        assert ("xlsx", None) == (workbook.format, workbook.encoding)
        assert () == workbook.status.findings
        assert workbook.table.equals(sheet.table)
        assert [2, 4] == workbook.row_numbers.tolist() == sheet.row_numbers.tolist()
        assert ["052345", "052345"] == workbook.table.values("high_school_code")

    def test_xlsx_findings_use_sheet_rows(self) -> None:
        """A bad value is reported at the row the spreadsheet shows; a value past the header too."""
        rows = [
            [None],
            ["id", "first", "last", "dob"],
            ["R1", "Ann", "Lee", "soon"],
            ["R2", "Bo", "Kim", "2001-02-03", "stray"],
        ]

        read = _read(_workbook(rows), name=None)

        assert [(3, "birth_date"), (4, None)] == [(f.row, f.column) for f in read.status.errors]

    def test_damaged_workbook(self) -> None:
        """A file named .xlsx that is not a workbook is one error, not an exception."""
        read = _read(b"PK\x03\x04 not really a zip", name="sub.xlsx")

        finding = _only(read.status)
        assert (Severity.ERROR, 0) == (finding.severity, read.status.rows_read)
        with pytest.raises(InvalidInputError):
            read_submission(_stream(b"PK\x03\x04 nope", "sub.xlsx"))

    def test_missing_extra_names_the_install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without openpyxl, reading a workbook names ``pip install 'edoutcomes[xlsx]'``."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)

        with pytest.raises(MissingExtraError, match=r"edoutcomes\[xlsx\]"):
            _read(b"PK\x03\x04", name="sub.xlsx")


# --------------------------------------------------------------------------------------------
# Request layouts
# --------------------------------------------------------------------------------------------


def _people(n: int = 11) -> list[Student]:
    return [
        Student(
            f"S{i}",
            first_name="Zoë",
            middle_name="Quinn",
            last_name=f"Lee{chr(65 + i)}",
            birth_date=dt.date(1990, 1, 2 + i),
            ssn="123456789",
        )
        for i in range(n)
    ]


def _college_request() -> Any:
    return college_request(
        _people(),
        school_code="001817",
        school_name="Some U",
        inquiry="PA",
        search_date=dt.date(2006, 9, 15),
        file_date=dt.date(2013, 9, 3),
    )


def _written(writer: Any, document: Any) -> bytes:
    out = io.BytesIO()
    writer(document, out)
    return out.getvalue()


class TestRequestLayouts:
    @pytest.mark.parametrize(
        ("writer", "kind"),
        [
            (write_college_request, "nsc-request"),
            (write_college_request_fixed, "nsc-request-fixed"),
        ],
    )
    def test_college_request_reads_back(self, writer: Any, kind: str) -> None:
        """A college request file (tab or fixed width) reads back as its students."""
        request = _college_request()

        read = _read(_written(writer, request), name="request.txt")

        assert (kind, ()) == (read.format, read.status.findings)
        assert request.header == read.header_record
        details = list(zip(*request.details, strict=True))
        assert list(details[11]) == read.table.values("requester_id")
        assert list(details[2]) == read.table.values("first_name")
        assert list(details[3]) == read.table.values("middle_name")
        assert list(details[4]) == read.table.values("last_name")
        assert list(details[1]) == read.table.values("ssn")
        assert [dt.date(1990, 1, 2 + i) for i in range(11)] == read.table.values("birth_date")
        assert ["20060915"] * 11 == read.table.values("search_date")
        assert list(range(2, 13)) == read.row_numbers.tolist()

    def test_high_school_graduates_read_back(self) -> None:
        """A PH3/PD3/PT3 file reads back: ACT code, graduation date, FERPA flag as a boolean."""
        grads = [
            Student(
                f"G{i}",
                first_name="Ann",
                last_name="Lee",
                birth_date=dt.date(1995, 3, 4),
                hs_grad_date=dt.date(2013, 6, 7),
                high_school_code="380123",
                attributes={"ferpa_block": "Y" if i else "N"},
            )
            for i in range(3)
        ]
        document = high_school_graduates(
            grads,
            account_code="380123",
            account_name="Lincoln High",
            transmission_date=dt.date(2013, 7, 1),
            diploma_period="2013",
        )

        read = _read(_written(write_high_school_graduates, document), name=None)

        assert ("nsc-hs-graduates", ()) == (read.format, read.status.findings)
        assert ["380123"] * 3 == read.table.values("high_school_code")
        assert [dt.date(2013, 6, 7)] * 3 == read.table.values("hs_grad_date")
        assert [False, True, True] == read.table.values("ferpa_block")
        assert "PH3" == read.header_record[0]

    def test_trailer_count_and_record_types_are_checked(self) -> None:
        """A wrong trailer count is a warning; a row that is not D1 is an error."""
        lines = _written(write_college_request, _college_request()).decode().splitlines()
        lines[3] = "D2" + lines[3][2:]
        lines[-1] = "T1\t99"

        read = _read("\n".join(lines) + "\n")

        assert [(4, Severity.ERROR, "record_type"), (13, Severity.WARNING, None)] == [
            (f.row, f.severity, f.column) for f in read.status.findings
        ]
        assert (11, 10) == (read.status.rows_read, read.status.rows_accepted)

    def test_missing_trailer_is_a_warning(self) -> None:
        """A request file without its trailer may be cut short: a warning."""
        lines = _written(write_college_request, _college_request()).decode().splitlines()

        read = _read("\n".join(lines[:-1]) + "\n")

        finding = _only(read.status)
        assert (Severity.WARNING, None) == (finding.severity, finding.row)
        assert 11 == read.status.rows_accepted


# --------------------------------------------------------------------------------------------
# Lose nothing: random bad files
# --------------------------------------------------------------------------------------------


def _accounted(read: Any) -> None:
    """Counts add up; each rejected row has an error at its row (or the header rejects all)."""
    status = read.status
    assert status.rows_read == status.rows_accepted + status.rows_rejected
    assert status.rows_accepted == read.table.n_rows == len(read.row_numbers)
    error_rows = {f.row for f in status.errors}
    assert not error_rows & set(read.row_numbers.tolist())
    if status.rows_rejected and None not in error_rows and 1 not in error_rows:
        assert status.rows_rejected == len(error_rows)


class TestLoseNothing:
    @given(st.binary(max_size=300), st.sampled_from(["sub.csv", "sub.txt", "sub.xlsx", None]))
    def test_random_bytes(self, data: bytes, name: str | None) -> None:
        """Random bytes never raise in lenient mode, and only InvalidInputError in strict mode."""
        read = _read(data, name=name, as_of=AS_OF)
        _accounted(read)

        if read.status.errors:
            with pytest.raises(InvalidInputError) as info:
                read_submission(_stream(data, name), as_of=AS_OF)
            assert read.status.findings == info.value.findings
        else:
            assert read.status == read_submission(_stream(data, name), as_of=AS_OF).status

    @given(intake_header_files())
    def test_random_headers(self, data: bytes) -> None:
        """Random headers (aliases, duplicates, junk, blanks) never raise in lenient mode."""
        _accounted(_read(data, as_of=AS_OF))
        _accounted(_read(data))

    @given(intake_cell_files())
    def test_random_cells_against_a_per_row_reference(self, case: Any) -> None:
        """
        Every row is accepted or rejected with an error at its row, exactly as a plain
        per-row reference decides (blank or bad required values, graduation before birth,
        repeated ids, ragged rows).
        """
        data, rows = case

        read = _read(data, as_of=AS_OF)

        numbered = [(n, row) for n, row in enumerate(rows, start=2) if row is not None]
        expected = _reference_accepts(numbered)
        assert len(numbered) == read.status.rows_read
        assert expected == read.row_numbers.tolist()
        rejected = {n for n, _ in numbered} - set(expected)
        assert rejected == {f.row for f in read.status.errors}
        _accounted(read)


_BIRTHS = {
    "2001-02-03": dt.date(2001, 2, 3),
    "20010203": dt.date(2001, 2, 3),
    "2/3/2001": dt.date(2001, 2, 3),
    "2/3/01": dt.date(2001, 2, 3),
    "1/1/65": dt.date(1965, 1, 1),
    "2001-02-30": None,
    "soon": None,
    "": None,
}
_GRADS = {
    "2019-06-07": dt.date(2019, 6, 7),
    "6/7/19": dt.date(2019, 6, 7),
    "1990-01-01": dt.date(1990, 1, 1),
    "": None,
    "June": None,
}


def _reference_accepts(numbered: list[tuple[int, list[str]]]) -> list[int]:
    """Per row, in file order: the row numbers a plain reading accepts."""
    seen: set[str] = set()
    accepted = []
    for number, row in numbered:
        if len(row) != 6:
            continue
        rid, first, last, birth, grad, _gender = row
        born, graduated = _BIRTHS[birth], _GRADS[grad]
        if not (rid.strip() and first.strip() and last.strip() and born):
            continue
        if graduated is not None and graduated < born:
            continue
        if rid in seen:
            continue
        seen.add(rid)
        accepted.append(number)
    return accepted


def test_canonical_students_read_the_same() -> None:
    """A canonical students file reads to the same table through intake and read_table."""
    data = _file("R1,Ann,Lee,2001-02-03,Y", "R2,Bo,Kim,1999-12-31,N", header=HEADER + ",pell")

    intake = _read(data)
    canonical = read_table(_stream(data), "students")

    assert intake.table.equals(canonical.table)
    assert intake.status == canonical.status
    assert "csv" in SUBMISSION_FORMATS
    assert np.array_equal(intake.row_numbers, canonical.row_numbers)


def test_csv_module_agrees_on_quoting() -> None:
    """Fields the csv module quotes read back unchanged."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["id", "first", "last", "dob"])
    writer.writerow(["R1", 'A "B", C', "D\r\nE", "2001-02-03"])

    read = _read(text.getvalue())

    assert (['A "B", C'], ["D\r\nE"]) == (
        read.table.values("first_name"),
        read.table.values("last_name"),
    )


def test_extras_reach_the_analysis_ready_report() -> None:
    """Columns the library does not know travel with the students into the ARR, typed."""
    from edoutcomes.highschool import high_school_outcomes
    from edoutcomes.model import CohortColumns

    data = _file(
        "R1,Ann,Lee,2001-02-03,2019-06-07,380123,Y,Band",
        "R2,Bo,Kim,2001-02-03,2019-06-07,380123,N,",
        header=HEADER + ",Graduation Date,CEEB,FAFSA completed,Club",
    )
    students = _read(data).table

    arr = high_school_outcomes(
        CohortColumns.from_tables(students, None, None), as_of=dt.date(2020, 1, 1)
    ).arr()

    assert ("FAFSA completed", "Club") == arr.columns[-2:]
    assert ([True, False], ["Band", None]) == (arr.values("FAFSA completed"), arr.values("Club"))


_REQUEST_FILES = {
    "nsc-request": _written(write_college_request, _college_request()),
    "nsc-request-fixed": _written(write_college_request_fixed, _college_request()),
}


@st.composite
def damaged_requests(draw: st.DrawFn) -> tuple[str, bytes]:
    """A request file with lines dropped, cut, repeated or replaced by junk."""
    kind = draw(st.sampled_from(sorted(_REQUEST_FILES)))
    lines = _REQUEST_FILES[kind].split(b"\n")
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "cut", "repeat", "junk", "retype"]))
        if action == "drop":
            del lines[at]
        elif action == "cut":
            lines[at] = lines[at][: draw(st.integers(0, max(0, len(lines[at]) - 1)))]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "junk":
            lines[at] = draw(st.binary(max_size=40))
        else:
            lines[at] = draw(st.sampled_from([b"T1", b"H1", b"D2", b"PD3"])) + lines[at][2:]
    return kind, b"\n".join(lines)


@given(damaged_requests())
def test_damaged_request_files_lose_nothing(case: tuple[str, bytes]) -> None:
    """A damaged request file, read as its layout, never raises and every row is accounted for."""
    kind, data = case

    read = _read(data, name=None, format=kind)

    _accounted(read)


def test_reads_a_path_and_names_it(tmp_path: Any) -> None:
    """A path is read (its suffix picks the format) and findings name the file as given."""
    path = tmp_path / "roster.txt"
    path.write_bytes(b"Student ID\tFirst\tLast\tDOB\nR1\tAnn\t\t2001-02-03\n")

    read = read_submission(path, lenient=True)

    assert ("tab", str(path)) == (read.format, read.status.errors[0].file)
