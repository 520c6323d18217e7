"""Cohort-query result files: control report, aggregate report (write and read), detail, compare."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
import strategies as s
from golden_files import assert_golden
from hypothesis import given, settings
from hypothesis import strategies as st

from edoutcomes.cohort import Outcome, OutcomeTable, academic_years, cohort_query
from edoutcomes.errors import InvalidArgumentError, InvalidInputError
from edoutcomes.formats import compare, read_aggregate, write, write_cohort_query_files
from edoutcomes.formats.cohort_report import CellDifference, file_names, write_aggregate
from edoutcomes.model import (
    Cohort,
    CollegeCode,
    CollegeType,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Institution,
    Student,
)
from edoutcomes.synth import synthetic_cohort

SEARCH = dt.date(2006, 9, 15)
AS_OF = dt.date(2009, 10, 1)
OURS = CollegeCode("001817", "00")
OTHER_2 = CollegeCode("010109", "00")
OTHER_4 = CollegeCode("002178", "01")


def small_cohort() -> Cohort:
    """Five synthetic students: enrolled here, transferred, 2-year graduate, blocked, not found."""
    d = dt.date
    students = [
        Student("S1", first_name="ANN", middle_name="Q", last_name="LEE"),
        Student("S2", unique_id="U2", first_name="BO", last_name="NG", name_suffix="JR"),
        Student("S3", first_name="CY", last_name="PARK"),
        Student("S4", first_name="DEE", last_name="ROE"),
        Student("S5", first_name="EVE", last_name="FOX"),
    ]
    enrollments = [
        EnrollmentRecord(
            "S1",
            OURS,
            CollegeType.FOUR_YEAR,
            d(2006, 8, 28),
            d(2006, 12, 15),
            enrollment_status=EnrollmentStatus.FULL_TIME,
            college_name="SYNTHETIC STATE UNIVERSITY",
            college_state="IN",
        ),
        EnrollmentRecord(
            "S1",
            OURS,
            CollegeType.FOUR_YEAR,
            d(2007, 1, 8),
            d(2007, 5, 1),
            enrollment_status=EnrollmentStatus.HALF_TIME,
            college_name="SYNTHETIC STATE UNIVERSITY",
            college_state="IN",
        ),
        EnrollmentRecord(
            "S2",
            OTHER_2,
            CollegeType.TWO_YEAR,
            d(2006, 8, 28),
            d(2006, 12, 15),
            college_name="SYNTHETIC COMMUNITY COLLEGE",
            college_state="IN",
        ),
        EnrollmentRecord(
            "S2",
            OTHER_4,
            CollegeType.FOUR_YEAR,
            d(2008, 8, 25),
            d(2008, 12, 12),
            enrollment_status=EnrollmentStatus.FULL_TIME,
            college_name="OTHER STATE, UNIVERSITY",
            college_state="OH",
        ),
        EnrollmentRecord(
            "S4",
            OURS,
            CollegeType.FOUR_YEAR,
            d(2006, 8, 28),
            d(2006, 12, 15),
            ferpa_block=FerpaBlock.STUDENT,
        ),
    ]
    degrees = [
        DegreeRecord(
            "S2",
            OTHER_2,
            d(2008, 5, 10),
            degree_title="ASSOCIATE IN ARTS",
            college_type=CollegeType.TWO_YEAR,
            college_name="SYNTHETIC COMMUNITY COLLEGE",
            college_state="IN",
        ),
        DegreeRecord(
            "S3",
            OURS,
            d(2009, 5, 9),
            degree_title="",
            college_type=CollegeType.FOUR_YEAR,
            college_name="SYNTHETIC STATE UNIVERSITY",
        ),
    ]
    return Cohort(
        students,
        enrollments,
        degrees,
        institution=Institution("001817", name="Synthetic State University"),
    )


def result():
    """The cohort query of the small cohort."""
    return cohort_query(small_cohort(), search_date=SEARCH, as_of=AS_OF)


class TestGolden:
    def test_three_files(self, tmp_path: Path) -> None:
        """The three files, named as the clearinghouse names them, match their golden files."""
        paths = write_cohort_query_files(
            result(),
            tmp_path,
            timestamp=dt.datetime(2009, 10, 1, 14, 5, tzinfo=dt.UTC),
            file_date=dt.date(2009, 9, 30),
        )
        assert [
            "edoutcomes_T1cntlrpt.200910011405_CO.htm",
            "edoutcomes_T1cohortrpt.200910011405_CO.csv",
            "edoutcomes_T1.200910011405_CO.csv",
        ] == [p.name for p in paths]
        assert_golden("cohort/control.htm", paths.control.read_bytes())
        assert_golden("cohort/aggregate.csv", paths.aggregate.read_bytes())
        assert_golden("cohort/detail.csv", paths.detail.read_bytes())

    def test_producer_not_clearinghouse(self, tmp_path: Path) -> None:
        """Title lines name the producer, never the clearinghouse."""
        paths = write_cohort_query_files(
            result(), tmp_path, user="ir_office", n=7, producer="Synthetic IR Office"
        )
        for path in paths:
            assert "clearinghouse" not in path.read_text().lower()
        assert "Synthetic IR Office" in paths.control.read_text()
        assert paths.aggregate.name.startswith("ir_office_T7cohortrpt.")

    def test_bad_user(self) -> None:
        """A user name that cannot go into a file name is refused."""
        with pytest.raises(InvalidArgumentError, match="user="):
            file_names(user="a/b", timestamp=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    def test_writers_take_their_report_only(self) -> None:
        """The layout-specific writers refuse other reports."""
        with pytest.raises(
            InvalidArgumentError, match="writes CohortQueryResult, not ControlReport"
        ):
            write(result().control, io.BytesIO(), "nsc-aggregate")


def aggregate_bytes(res) -> bytes:
    """The aggregate CSV of a result."""
    out = io.BytesIO()
    write_aggregate(res, out)
    return out.getvalue()


class TestRoundTrip:
    def test_synthetic(self) -> None:
        """A synthetic cohort's aggregate file reads back to the engine's tables, cell for cell."""
        sc = synthetic_cohort(400, seed=11)
        res = cohort_query(
            sc.columns, search_date=sc.search_date, institution=sc.institution, as_of=sc.as_of
        )
        back = read_aggregate(io.BytesIO(aggregate_bytes(res)))
        assert [] == compare(res, back)
        assert res.tables == back.tables
        assert (res.control.found, sc.search_date, res.as_of) == (
            back.found,
            back.search_date,
            back.report_date,
        )
        assert ("RIVERBEND STATE UNIVERSITY", "001817-00") == (
            back.institution_name,
            back.institution_code,
        )

    @settings(max_examples=25)
    @given(
        s.cohorts(max_students=6, max_records=10, institution=s.institutions),
        s.dates,
        st.integers(0, 3000),
    )
    def test_any_cohort(self, cohort: Cohort, search: dt.date, days: int) -> None:
        """For any cohort, writing then reading the aggregate report gives equal tables."""
        res = cohort_query(
            cohort,
            search_date=search,
            as_of=min(search + dt.timedelta(days=days), dt.date(2099, 12, 31)),
        )
        back = read_aggregate(io.BytesIO(aggregate_bytes(res)))
        assert res.tables == back.tables


CLEARINGHOUSE_STYLE = """\
,,,,,,
Date: 11/21/2013,,,,,,
National Student Clearinghouse,,,,,,
"SYNTHETIC UNIVERSITY, MAIN (123456-00)",,,,Total students found and included in aggregate report:,"46,503",
Search date provided in request File: 01/01/2008,,,,,,
Table 1: Enrollment and Graduation Summary,,,,,,
(Student enrollment and degree counts),,,,,,
Description,2008-09,2009-10,,,,
4-year degree from your institution,0,12,,,,
2-year degree from your institution,594,"1,003",,,,
4-year degree from other institution,,5,,,,
2-year degree from other institution,3,4,,,,
Retained at your institution,"11,630","12,945",,,,
Retained at other 4-year institution,"3,562","5,001",,,,
Retained at other 2-year institution,"1,829","2,113",,,,
Note: Student enrollment and degree counts are included ...,,,,,,
Table 2: Subsequent Enrollment and Graduation Summary for 2-Year Graduates,,,,,,
Description,2008-09,2009-10,,,,
Retained at your institution,0,7,,,,
IMPORTANT: Institutions including both two- and four-year graduates ...,,,,,,
Data generated using the National Student Clearinghouse ...,,,,,,
Table 2A: Subsequent Enrollment and Graduation Summary for 2-Year Graduates from SUBMITTING Institution only (subset of Table 2),,,,,,
Description,2008-09,2009-10,,,,
Retained at your institution,0,5,,,,
"""


class TestClearinghouseFile:
    def test_reads_quirks(self) -> None:
        """Thousands separators, the lower-case total line, File:, older titles, notes, blanks."""
        report = read_aggregate(io.StringIO(CLEARINGHOUSE_STYLE))
        assert (
            dt.date(2013, 11, 21),
            "National Student Clearinghouse",
            "SYNTHETIC UNIVERSITY, MAIN",
            "123456-00",
            46503,
            dt.date(2008, 1, 1),
        ) == (
            report.report_date,
            report.producer,
            report.institution_name,
            report.institution_code,
            report.found,
            report.search_date,
        )
        assert 11630 == report.table1.count(Outcome.RETAINED_SUBMITTING, "2008-09")
        assert 1003 == report.table1.count(Outcome.TWO_YEAR_DEGREE_SUBMITTING, "2009-10")
        assert 0 == report.table1.count(Outcome.FOUR_YEAR_DEGREE_OTHER, "2008-09")
        assert 7 == report.table2.count(Outcome.RETAINED_SUBMITTING, "2009-10")
        assert 5 == report.table2a.count(Outcome.RETAINED_SUBMITTING, "2009-10")
        assert report.table2b is None
        assert () == report.findings

    def test_search_date_spelling(self) -> None:
        """``File :`` and ``File:`` both read."""
        spaced = CLEARINGHOUSE_STYLE.replace("File: 01/01/2008", "File : 01/01/2008")
        assert dt.date(2008, 1, 1) == read_aggregate(io.StringIO(spaced)).search_date

    def test_no_search_date(self) -> None:
        """Without a search date in the file or the call, the reader says what to pass."""
        text = CLEARINGHOUSE_STYLE.replace("Search date provided in request File: 01/01/2008", "")
        with pytest.raises(InvalidInputError, match="search_date="):
            read_aggregate(io.StringIO(text))
        assert (
            dt.date(2008, 1, 1)
            == read_aggregate(io.StringIO(text), search_date=dt.date(2008, 1, 1)).search_date
        )

    def test_unknown_row_is_a_warning(self) -> None:
        """A row label the report does not have is skipped with a warning naming its row."""
        text = CLEARINGHOUSE_STYLE.replace(
            'Retained at other 2-year institution,"1,829"', 'Retained elsewhere,"1,829"'
        )
        (finding,) = read_aggregate(io.StringIO(text)).findings
        assert 15 == finding.row


class TestCompare:
    def test_lists_differing_cells(self) -> None:
        """compare names table, outcome, year and both values of each differing cell."""
        years = academic_years(SEARCH, as_of=dt.date(2008, 1, 1))
        a = OutcomeTable.from_counts("table1", years, np.zeros((7, 2), dtype=int))
        counts = np.zeros((7, 2), dtype=int)
        counts[4, 1] = 3
        b = OutcomeTable.from_counts("table1", years, counts)
        assert [CellDifference("table1", Outcome.RETAINED_SUBMITTING, "2007-08", 0, 3)] == compare(
            a, b
        )

    def test_missing_year(self) -> None:
        """A year on one side only differs in all seven rows, None on the side without it."""
        a = OutcomeTable.from_counts(
            "table1", academic_years(SEARCH, as_of=dt.date(2008, 1, 1)), np.zeros((7, 2), dtype=int)
        )
        b = OutcomeTable.from_counts(
            "table1", academic_years(SEARCH, as_of=dt.date(2007, 1, 1)), np.zeros((7, 1), dtype=int)
        )
        diffs = compare(a, b)
        assert 7 == len(diffs)
        assert {("2007-08", 0, None)} == {(d.year, d.a, d.b) for d in diffs}

    def test_not_comparable(self) -> None:
        """Something without tables is refused."""
        with pytest.raises(InvalidArgumentError, match="no outcome tables"):
            compare(object(), result())
