"""Clearinghouse files in the layouts people really have, and what the request writers must do."""

from __future__ import annotations

import datetime as dt
import io
import re

import attrs
import nsc_fixtures as fx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edoutcomes import Severity
from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import (
    GRADUATES_COLUMNS,
    college_request,
    high_school_graduates,
    read_submission,
    write,
)
from edoutcomes.model import Student

SEARCH = dt.date(2006, 9, 15)
FILE_DATE = dt.date(2013, 9, 3)


def _people(n: int = 11, **change: object) -> list[Student]:
    return [
        attrs.evolve(
            Student(
                f"R{i:03d}",
                first_name="Ann",
                last_name="Lee",
                birth_date=dt.date(1990, 1, 1 + i),
                hs_grad_date=dt.date(2008, 6, 6),
                high_school_code="380123",
            ),
            **change,
        )
        for i in range(n)
    ]


def _request(students: list[Student], **kwargs: object) -> object:
    options: dict[str, object] = {
        "school_code": "001817",
        "school_name": "Synthetic State University",
        "inquiry": "SE",
        "search_date": SEARCH,
        "file_date": FILE_DATE,
    }
    options.update(kwargs)
    return college_request(students, **options)  # type: ignore[arg-type]


def _errors(
    call: object, *args: object, **kwargs: object
) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InvalidInputError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return [(f.row, f.column, f.message) for f in info.value.findings]


def _bytes(document: object, format: str) -> bytes:
    out = io.BytesIO()
    write(document, out, format)
    return out.getvalue()


def _read(data: bytes, name: str | None, **kwargs: object) -> object:
    stream = io.BytesIO(data)
    stream.name = name  # type: ignore[attr-defined]
    return read_submission(stream, lenient=True, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Request files: what the clearinghouse documents
# --------------------------------------------------------------------------------------------


class TestReturnField:
    def test_periods_separate_identifiers(self) -> None:
        """A period in the return field is the documented separator: written as given."""
        students = _people()
        students[0] = attrs.evolve(students[0], requester_id="R000.FALL06.PELL")

        request = _request(students)

        assert "R000.FALL06.PELL" == request.details[0][-1]  # type: ignore[attr-defined]
        assert not request.findings  # type: ignore[attr-defined]

    @pytest.mark.parametrize("rid", ['R"1', "R,1", "R'1", "R\t1"])
    def test_commas_quotes_tabs_refused(self, rid: str) -> None:
        """Commas, quotes and tabs stay forbidden in the return field: an error naming row and field."""
        students = _people()
        students[3] = attrs.evolve(students[3], requester_id=rid)

        ((row, column, message),) = _errors(_request, students)

        assert (5, "requester_id") == (row, column)
        assert "(non-ASCII, quote, comma or tab)" in message

    def test_blank_return_field_written(self) -> None:
        """return_field=False writes the field blank, as the clearinghouse allows."""
        request = _request(_people(), return_field=False)

        assert {""} == {d[-1] for d in request.details}  # type: ignore[attr-defined]


class TestNames:
    def test_apostrophes_and_hyphens_kept(self) -> None:
        """O'Neil and Smith-Richards keep their apostrophe and hyphen; a typographic apostrophe becomes '."""
        students = _people()
        students[0] = attrs.evolve(students[0], last_name="O\u2019Neil", first_name="Mary-Jo")
        students[1] = attrs.evolve(students[1], last_name="Smith-Richards", middle_name="D.")

        details = _request(students).details  # type: ignore[attr-defined]

        assert ("MARY-JO", "", "O'NEIL") == details[0][2:5]
        assert ("ANN", "D", "SMITH-RICHARDS") == details[1][2:5]

    def test_double_quotes_commas_periods_removed(self) -> None:
        """Quotes, commas and periods are still removed from names, with a warning per field."""
        students = _people()
        students[2] = attrs.evolve(students[2], first_name='Ann "Annie"', last_name="St. Clair, II")

        request = _request(students)

        assert ("ANN ANNIE", "ST CLAIR", "II") == tuple(
            request.details[2][i]  # type: ignore[attr-defined]
            for i in (2, 4, 5)
        )


class TestDates:
    def test_search_date_must_precede_file_date(self) -> None:
        """One search date on or after the file date is one error for the file."""
        errors = _errors(_request, _people(), search_date=FILE_DATE)

        assert [(None, "search_date")] == [(r, c) for r, c, _ in errors]
        assert "not earlier than the file date 2013-09-03" in errors[0][2]

    def test_per_student_search_date_after_file_date(self) -> None:
        """A student's own search date on or after the file date is an error naming their row."""
        dates = {p.requester_id: SEARCH for p in _people()}
        dates["R004"] = dt.date(2014, 1, 1)

        errors = _errors(_request, _people(), search_date=dates)

        assert [(6, "search_date")] == [(r, c) for r, c, _ in errors]

    def test_file_date_not_after_as_of(self) -> None:
        """A file dated after the run's as-of date is an error on the header."""
        errors = _errors(_request, _people(), as_of=dt.date(2013, 9, 2))

        assert [(1, "file_date")] == [(r, c) for r, c, _ in errors]
        assert _request(_people(), as_of=FILE_DATE).header[4] == "20130903"  # type: ignore[attr-defined]

    def test_transmission_date_not_after_as_of(self) -> None:
        """The graduates file's transmission date follows the same rule."""
        errors = _errors(
            high_school_graduates,
            _people(2),
            account_code="380123",
            account_name="Lincoln High",
            transmission_date=FILE_DATE,
            diploma_period="2008",
            as_of=dt.date(2013, 1, 1),
        )

        assert [(1, "transmission_date")] == [(r, c) for r, c, _ in errors]


# --------------------------------------------------------------------------------------------
# The graduates file, columns A to AB
# --------------------------------------------------------------------------------------------


def _graduates(students: list[Student]) -> object:
    return high_school_graduates(
        students,
        account_code="380123",
        account_name="Lincoln High",
        transmission_date=FILE_DATE,
        diploma_period="2008",
    )


class TestGraduatesLayout:
    def test_columns_a_to_ab(self) -> None:
        """28 columns A..AB; the confirmed positions hold what the instructions put there."""
        letters = [letter for letter, _, _ in GRADUATES_COLUMNS]
        assert 28 == len(letters)
        assert ("A", "AB") == (letters[0], letters[-1])
        confirmed = {letter: name for letter, name, sure in GRADUATES_COLUMNS if sure}
        assert {
            "A": "record_type",
            "I": "birth_date",
            "L": "hs_grad_date",
            "AA": "program_code",
            "AB": "end",
        } == confirmed

    def test_row_positions(self) -> None:
        """Birth date in I, graduation date in L, program code in AA, ED in AB."""
        students = _people(1, attributes=(("program_code", "AP.IB_FAFSA"),))
        line = _bytes(_graduates(students), "nsc-hs-graduates").decode().splitlines()[1]
        row = dict(
            zip([letter for letter, _, _ in GRADUATES_COLUMNS], line.split("\t"), strict=True)
        )

        assert ("PD3", "19900101", "20080606", "AP.IB_FAFSA", "ED") == (
            row["A"],
            row["I"],
            row["L"],
            row["AA"],
            row["AB"],
        )

    @pytest.mark.parametrize("code", ["AP-IB", "AP'IB", 'AP"IB', "AP\u2013IB", "AP,IB"])
    def test_program_code_quotes_and_dashes_refused(self, code: str) -> None:
        """A program code with a quote or a dash is an error naming row and field (never altered)."""
        students = _people(2)
        students[1] = attrs.evolve(students[1], attributes=(("program_code", code),))

        ((row, column, message),) = _errors(_graduates, students)

        assert (3, "program_code") == (row, column)
        assert "separate several codes with . or _" in message
        assert code not in message

    def test_graduates_file_reads_back(self) -> None:
        """What the writer writes reads back as the same students, unconfirmed blank columns left out."""
        students = _people(3, attributes=(("program_code", "AP_FAFSA"),))

        read = _read(_bytes(_graduates(students), "nsc-hs-graduates"), "g.txt")

        assert () == read.status.findings  # type: ignore[attr-defined]
        table = read.table  # type: ignore[attr-defined]
        assert ["R000", "R001", "R002"] == table.values("requester_id")
        assert [dt.date(2008, 6, 6)] * 3 == table.values("hs_grad_date")
        assert ["AP_FAFSA"] * 3 == table.values("program_code")
        assert not [c.name for c in table.extras if c.name.startswith("column_")]


# --------------------------------------------------------------------------------------------
# Fixtures imitating real layouts
# --------------------------------------------------------------------------------------------


class TestNscrequestFile:
    def test_reads(self) -> None:
        """nscrequest's file: ISO dates, blank return fields keyed by row with one warning."""
        read = _read(fx.NSCREQUEST_PA_TSV, fx.NSCREQUEST_PA_NAME, as_of=dt.date(2022, 8, 30))

        assert "nsc-request" == read.format  # type: ignore[attr-defined]
        table = read.table  # type: ignore[attr-defined]
        assert ["row-000002", "row-000003", "row-000004"] == table.values("requester_id")
        assert [dt.date(1978, 1, 1), dt.date(1985, 8, 22), dt.date(1977, 5, 4)] == table.values(
            "birth_date"
        )
        assert ["Quillfeather", "Varga-Lund", "O'Dwyer"] == table.values("last_name")
        (warning,) = read.status.findings  # type: ignore[attr-defined]
        assert (Severity.WARNING, "requester_id", None) == (
            warning.severity,
            warning.column,
            warning.row,
        )
        assert "blank in 3 of 3 rows" in warning.message
        assert (3, 3) == (read.status.rows_read, read.status.rows_accepted)  # type: ignore[attr-defined]
        assert (
            "H1",
            "999999",
            "00",
            "Test School Name",
            "20220830",
            "PA",
            "I",
        ) == read.header_record  # type: ignore[attr-defined]

    def test_short_rows_padded(self) -> None:
        """A D1 row that leaves off its empty return field entirely still reads."""
        data = fx.NSCREQUEST_PA_TSV.replace(b"\t00\t\n", b"\t00\n")

        read = _read(data, fx.NSCREQUEST_PA_NAME)

        assert 3 == read.status.rows_accepted  # type: ignore[attr-defined]


class TestNscpreprFile:
    def test_reads(self) -> None:
        """nscprepr's file: padded H1/T1, a space in the blank column, numeric ids, mixed case."""
        read = _read(fx.NSCPREPR_SE_TXT, fx.NSCPREPR_SE_NAME, as_of=dt.date(2017, 6, 12))

        assert ("nsc-request", ()) == (read.format, read.status.findings)  # type: ignore[attr-defined]
        table = read.table  # type: ignore[attr-defined]
        assert ["1", "2", "3"] == table.values("requester_id")
        assert [None, "Jr.", None] == table.values("name_suffix")
        assert ["Ashgrove", "Brannock", "O'Kerrigan"] == table.values("last_name")
        assert dt.date(1996, 5, 25) == table.values("birth_date")[1]
        assert "blank" not in [c.name for c in table.extras]
        assert ("H1", "001509", "00") == read.header_record[:3]  # type: ignore[attr-defined]


class TestExcelRequest:
    def test_reads_as_the_tab_layout_does(self) -> None:
        """The Excel instructions' sheet (no column-name row) reads as the H1/D1/T1 layout."""
        read = _read(fx.excel_request(), fx.EXCEL_REQUEST_NAME)

        assert ("xlsx", ()) == (read.format, read.status.findings)  # type: ignore[attr-defined]
        table = read.table  # type: ignore[attr-defined]
        assert 11 == table.n_rows
        assert "R001.FALL06" == table.values("requester_id")[0]
        assert ["BELLWEATHER", "D'ARCY"] == table.values("last_name")[:2]
        assert [dt.date(1988, 1, 1), dt.date(1988, 1, 2)] == table.values("birth_date")[:2]
        assert list(range(2, 13)) == read.row_numbers.tolist()  # type: ignore[attr-defined]
        assert "H1" == read.header_record[0]  # type: ignore[attr-defined]
        assert not {"record_type", "blank", "school_code", "branch"} & {
            c.name for c in table.extras
        }

    def test_same_students_as_tab_delimited(self) -> None:
        """The workbook and the same rows saved as tab-delimited text give the same students."""
        text = "".join(
            "\t".join("" if v is None else str(v) for v in row) + "\n"
            for row in fx.EXCEL_REQUEST_ROWS
        ).encode()

        book = _read(fx.excel_request(), fx.EXCEL_REQUEST_NAME).table  # type: ignore[attr-defined]
        tab = _read(text, "co_request.txt").table  # type: ignore[attr-defined]

        for column in ("requester_id", "first_name", "last_name", "birth_date", "middle_name"):
            assert tab.values(column) == book.values(column)

    def test_wrong_trailer_count_warned(self) -> None:
        """The sheet's T1 count is checked as in text."""
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.load_workbook(io.BytesIO(fx.excel_request()))
        book.active.cell(row=13, column=2).value = "99"
        out = io.BytesIO()
        book.save(out)

        read = _read(out.getvalue(), fx.EXCEL_REQUEST_NAME)

        (warning,) = read.status.findings  # type: ignore[attr-defined]
        assert (13, "the T1 trailer says 99 records, but the file has 13 records") == (
            warning.row,
            warning.message,
        )


class TestGraduatesFile:
    def test_reads(self) -> None:
        """The guide's Excel-saved graduates file (CRLF, program code in AA) reads."""
        read = _read(fx.GRADUATES_TXT, fx.GRADUATES_NAME, as_of=dt.date(2013, 7, 1))

        assert ("nsc-hs-graduates", ()) == (read.format, read.status.findings)  # type: ignore[attr-defined]
        table = read.table  # type: ignore[attr-defined]
        assert ["000417", "000418"] == table.values("requester_id")
        assert ["O'MARA", "VANE-MORROW"] == table.values("last_name")
        assert [dt.date(1995, 3, 4), dt.date(1994, 12, 30)] == table.values("birth_date")
        assert ["AP_FAFSA", None] == table.values("program_code")
        assert [False, True] == table.values("ferpa_block")


# --------------------------------------------------------------------------------------------
# Round trip with the R packages
# --------------------------------------------------------------------------------------------

# The D1 columns nscrequest builds (R/nsc_request.r, `r$...` in order) and nscprepr selects
# (R/nsc_prep.R, the final select()): our D1 rows must have the same 12 fields in order.
NSCREQUEST_D1 = (
    "RecordType",
    "SSN",
    "FirstName",
    "MI",
    "LastName",
    "Suffix",
    "DOB",
    "SearchBeginDate",
    "Blank",
    "SchoolCode",
    "BranchCode",
    "ReturnRequestField",
)
NSCPREPR_D1 = (
    "record_type",
    "ssn",
    "first",
    "middle",
    "last",
    "suffix",
    "dob",
    "search_date",
    "blank_1",
    "institution_code",
    "branch_code",
    "id",
)
# The columns nscrequest's reader of returned files (R/nsc_return_se_convert.r) selects by name.
NSCREQUEST_RETURN_COLUMNS = (
    "Your Unique Identifier",
    "First Name",
    "Middle Initial",
    "Last Name",
    "Name Suffix",
    "Requester Return Field",
    "Record Found Y/N",
    "Search Date",
    "College Sequence",
    "College Code/Branch",
    "College Name",
    "College State",
    "2-year / 4-year",
    "Public / Private",
    "Enrollment Begin",
    "Enrollment End",
    "Enrollment Status",
    "Class Level",
    "Enrollment Major 1",
    "Enrollment CIP 1",
    "Enrollment Major 2",
    "Enrollment CIP 2",
    "Graduated?",
    "Graduation Date",
    "Degree Title",
    "Degree Major 1",
    "Degree CIP 1",
    "Degree Major 2",
    "Degree CIP 2",
    "Degree Major 3",
    "Degree CIP 3",
    "Degree Major 4",
    "Degree CIP 4",
)


class TestRoundTripWithRPackages:
    def test_our_request_has_their_fields(self) -> None:
        """Our H1 has 7 fields, D1 the 12 both packages write (dates YYYYMMDD), T1 2."""
        request = _request(_people())
        lines = [line.split("\t") for line in _bytes(request, "nsc-request").decode().splitlines()]

        assert 7 == len(lines[0])
        assert {len(NSCREQUEST_D1)} == {len(line) for line in lines[1:-1]} == {len(NSCPREPR_D1)}
        first = dict(zip(NSCREQUEST_D1, lines[1], strict=True))
        assert ("D1", "19900101", "20060915", "001817", "00", "R000") == (
            first["RecordType"],
            first["DOB"],
            first["SearchBeginDate"],
            first["SchoolCode"],
            first["BranchCode"],
            first["ReturnRequestField"],
        )
        assert all(re.fullmatch(r"\d{8}", line[6]) for line in lines[1:-1])
        assert ["T1", str(len(lines))] == lines[-1]

    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (fx.NSCREQUEST_PA_TSV, fx.NSCREQUEST_PA_NAME),
            (fx.NSCPREPR_SE_TXT, fx.NSCPREPR_SE_NAME),
        ],
    )
    def test_their_request_rewritten_by_us(self, data: bytes, name: str) -> None:
        """Their students, read and written again by our writer, keep names, birth dates and ids."""
        read = _read(data, name, as_of=dt.date(2022, 9, 1))
        students = list(read.to_records())  # type: ignore[attr-defined]
        students = (students * 4)[:11]
        students = [
            attrs.evolve(s, requester_id=f"{s.requester_id}.{k}") for k, s in enumerate(students)
        ]

        request = _request(students, file_date=dt.date(2022, 9, 1), search_date=dt.date(2010, 1, 1))
        again = _read(_bytes(request, "nsc-request"), "again.txt").table  # type: ignore[attr-defined]

        assert [s.requester_id for s in students] == again.values("requester_id")
        assert [s.birth_date for s in students] == again.values("birth_date")

    def test_our_detail_report_has_the_columns_their_reader_selects(self) -> None:
        """nscrequest's reader of returned files finds every column it selects in our detail file."""
        from edoutcomes.cohort import cohort_query
        from edoutcomes.formats.detail import write_detail
        from edoutcomes.model import Cohort

        report = cohort_query(
            Cohort(_people(2)), search_date=SEARCH, as_of=FILE_DATE, institution="001817"
        ).detail
        out = io.BytesIO()
        write_detail(report, out)
        header = out.getvalue().decode().splitlines()[0].split(",")

        assert set(NSCREQUEST_RETURN_COLUMNS) <= set(header)


# --------------------------------------------------------------------------------------------
# The high-school detail report as it really comes back
# --------------------------------------------------------------------------------------------


def _detail(data: bytes, name: str) -> object:
    from edoutcomes.formats import read_detail

    return read_detail(io.BytesIO(data), lenient=True, file=name)


def _messages(detail: object) -> list[tuple[int | None, str | None, str]]:
    return [(f.row, f.column, f.message) for f in detail.findings]  # type: ignore[attr-defined]


class TestHighSchoolDetail:
    def test_every_row_read(self) -> None:
        """The real layout (UPPER_SNAKE, blank return field on every row) reads every row."""
        detail = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)

        status = detail.status  # type: ignore[attr-defined]
        assert (8, 8, ()) == (status.rows_read, status.rows_accepted, status.errors)
        assert "high_school" == detail.variant  # type: ignore[attr-defined]
        students = detail.students  # type: ignore[attr-defined]
        assert [f"90000010{k}" for k in range(1, 6)] == [s.requester_id for s in students]
        assert (5, 1) == (len(detail.enrollments), len(detail.degrees))  # type: ignore[attr-defined]

    def test_key_column_said_in_the_status(self) -> None:
        """Which column keyed the students is one warning for the file."""
        (note,) = [
            m for m in _messages(_detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)) if m[0] is None
        ]

        assert (None, "REQUESTER_RETURN_FIELD") == note[:2]
        assert "blank on every row; those students are keyed by 'YOUR_UNIQUE_IDENTIFIER'" in note[2]

    def test_return_field_wins_over_unique_identifier(self) -> None:
        """Where both are given, the requester return field (trailing _ removed) is the key."""
        rows = [fx.HS_DETAIL_ROWS[2].replace(",,N,", ",R77_,N,", 1), fx.HS_DETAIL_ROWS[7]]
        data = ("\n".join([fx.HS_DETAIL_HEADER, *rows]) + "\n").encode()

        students = _detail(data, "mixed.csv").students  # type: ignore[attr-defined]

        assert [("R77", "900000102"), ("900000105", "900000105")] == [
            (s.requester_id, s.unique_id) for s in students
        ]

    def test_both_blank_rejected(self) -> None:
        """A row with neither id names no student: an error naming its row."""
        rows = [fx.HS_DETAIL_ROWS[2].replace("900000102", "", 1)]
        data = ("\n".join([fx.HS_DETAIL_HEADER, *rows]) + "\n").encode()

        detail = _detail(data, "blank.csv")

        (error,) = detail.status.errors  # type: ignore[attr-defined]
        assert (2, "REQUESTER_RETURN_FIELD") == (error.row, error.column)
        assert "names no student" in error.message

    def test_five_digit_codes_padded(self) -> None:
        """53280 reads as 053280, with one warning naming the first row."""
        detail = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)

        assert {"053280"} == {s.high_school_code for s in detail.students}  # type: ignore[attr-defined]
        (note,) = [
            m
            for m in _messages(detail)
            if "lost leading zeros" in m[2] and m[1] == "HIGH_SCHOOL_CODE"
        ]
        assert 2 == note[0]

    def test_disagreeing_codes_warned(self) -> None:
        """A student whose rows carry two codes gets a warning on their first row; that row's code counts."""
        detail = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)

        (note,) = [m for m in _messages(detail) if "different high-school codes" in m[2]]
        assert (5, "HIGH_SCHOOL_CODE") == note[:2]
        third = detail.students[2]  # type: ignore[attr-defined]
        assert ("900000103", "053280") == (third.requester_id, third.high_school_code)

    def test_not_found_rows_with_n(self) -> None:
        """Graduated? = N on a not-found row gives a student without records, no finding."""
        detail = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)

        with_records = {e.requester_id for e in detail.enrollments}  # type: ignore[attr-defined]
        assert {"900000102", "900000105"} == {
            s.requester_id
            for s in detail.students  # type: ignore[attr-defined]
        } - with_records
        assert not [m for m in _messages(detail) if m[0] in (4, 9)]

    def test_shortened_college_code_restored(self) -> None:
        """1817-00 reads as 001817-00, with a warning naming the first row."""
        detail = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)

        codes = {str(e.college_code) for e in detail.enrollments}  # type: ignore[attr-defined]
        assert "001817-00" in codes
        (note,) = [m for m in _messages(detail) if m[1] == "COLLEGE_CODE/BRANCH"]
        assert 7 == note[0]
        assert "1817-00 as 001817-00" in note[2]

    def test_state_columns_kept(self) -> None:
        """A state's leading and trailing columns are student attributes, said in the status."""
        detail = _detail(fx.STATE_DETAIL_CSV, fx.STATE_DETAIL_NAME)

        assert 3 == detail.status.rows_accepted  # type: ignore[attr-defined]
        assert [("2017", "LEA001"), ("2017", "LEA002")] == [
            (s.attribute("Reporting_Year"), s.attribute("LEA"))
            for s in detail.students  # type: ignore[attr-defined]
        ]
        assert (1, None) in [m[:2] for m in _messages(detail) if "'Reporting_Year', 'LEA'" in m[2]]


def _hs_report() -> object:
    from edoutcomes.cohort import cohort_query

    cohort = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME).cohort()  # type: ignore[attr-defined]
    return cohort_query(
        cohort, search_date=dt.date(2016, 6, 30), institution="001155", as_of=dt.date(2021, 1, 1)
    ).detail


class TestHighSchoolDetailWriter:
    def test_golden(self) -> None:
        """The high-school layout exactly as the golden file: N on not-found rows, 4-year spelled out."""
        from golden_files import assert_golden

        assert_golden("detail/hs_detail.csv", _bytes(_hs_report(), "nsc-hs-detail"))

    def test_not_found_rows_say_n(self) -> None:
        """Every not-found row carries Graduated? = N; only degree rows carry Y."""
        from edoutcomes.formats.detail import HIGH_SCHOOL_COLUMNS

        lines = _bytes(_hs_report(), "nsc-hs-detail").decode().splitlines()
        rows = [dict(zip(HIGH_SCHOOL_COLUMNS, line.split(","), strict=True)) for line in lines[1:]]

        assert {"N"} == {r["Graduated?"] for r in rows if r["Record Found Y/N"] == "N"}
        assert {"Y"} == {r["Graduated?"] for r in rows if r["Graduation Date"]}
        assert {"4-year", "2-year"} == {r["2-year / 4-year"] for r in rows if r["2-year / 4-year"]}

    def test_reads_back(self) -> None:
        """What the writer writes reads back as the same students and records."""
        first = _detail(fx.HS_DETAIL_CSV, fx.HS_DETAIL_NAME)
        again = _detail(_bytes(_hs_report(), "nsc-hs-detail"), "again.csv")

        assert () == again.status.errors  # type: ignore[attr-defined]
        for part in ("students", "enrollments", "degrees"):
            key = repr
            assert sorted(map(key, getattr(first, part))) == sorted(map(key, getattr(again, part)))


_ids = st.sampled_from(["", " ", "A1", "A1_", "B2", "C3_", "900000101"])


@given(st.lists(st.tuples(_ids, _ids), min_size=1, max_size=12))
def test_key_precedence(pairs: list[tuple[str, str]]) -> None:
    """Each row's key is the return field without its trailing _, else Your Unique Identifier; rows are never lost."""
    from edoutcomes.formats._detail_quirks import student_key
    from edoutcomes.formats._reader import factorise

    rid = factorise("Requester Return Field", [r for r, _ in pairs])
    uid = factorise("Your Unique Identifier", [u for _, u in pairs])

    key, notes = student_key(rid, uid, None)

    def expected(r: str, u: str) -> str:
        r = r.strip().removesuffix("_")
        return r or u.strip()

    assert [expected(r, u) for r, u in pairs] == key.distinct[key.codes].tolist()
    used = sum(1 for r, u in pairs if not r.strip().removesuffix("_") and u.strip())
    assert (1 if used else 0) == len(notes)
