"""High-school outcomes: each definition of the spec at the edges of its window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.highschool import (
    ALL,
    UNKNOWN_HIGH_SCHOOL,
    Progress,
    Suppression,
    Windows,
    high_school_outcomes,
    rate,
    suppress,
)
from edoutcomes.highschool._windows import class_of
from edoutcomes.model import (
    Cohort,
    CollegeCode,
    CollegeType,
    DegreeKind,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Student,
    dates_to_days,
)

D = dt.date
GRAD = D(2020, 6, 1)
FOUR = CollegeType.FOUR_YEAR
A = CollegeCode("001817", "00")
A_BRANCH = CollegeCode("001817", "05")
B = CollegeCode("002178", "00")


def term(begin: dt.date, college: CollegeCode = A, **kwargs: Any) -> EnrollmentRecord:
    kwargs.setdefault("college_type", FOUR)
    ctype = kwargs.pop("college_type")
    return EnrollmentRecord("1", college, ctype, begin, begin + dt.timedelta(days=100), **kwargs)


def degree(award: dt.date, title: str | None = "BACHELOR OF ARTS", **kwargs: Any) -> DegreeRecord:
    kwargs.setdefault("college_code", A)
    return DegreeRecord("1", kwargs.pop("college_code"), award, degree_title=title, **kwargs)


def arr_row(
    enrollments: list[EnrollmentRecord],
    degrees: list[DegreeRecord] = (),  # type: ignore[assignment]
    *,
    as_of: dt.date,
    grad: dt.date | None = GRAD,
) -> dict[str, object]:
    cohort = Cohort([Student("1", hs_grad_date=grad)], enrollments, list(degrees))
    return high_school_outcomes(cohort, as_of=as_of).arr().records()[0]


def test_completion_beyond_progress_years_refused() -> None:
    """
    Completion within n years needs a progress year per college year: n above them is refused
    with the library's error (it was a KeyError when the reports were built).
    """
    cohort = Cohort([Student("1", hs_grad_date=GRAD)])
    with pytest.raises(InvalidArgumentError, match="completion_years=9"):
        high_school_outcomes(cohort, as_of=D(2030, 1, 1), completion_years=9).reports()
    high_school_outcomes(cohort, as_of=D(2030, 1, 1), completion_years=8).reports()


class TestClasses:
    @pytest.mark.parametrize(
        ("grad", "expected"),
        [
            (D(2019, 8, 31), 2019),
            (D(2019, 9, 1), 2020),
            (D(2020, 8, 31), 2020),
            (D(2020, 9, 1), 2021),
        ],
    )
    def test_class_boundary(self, grad: dt.date, expected: int) -> None:
        """
        The class of Y graduated from Sept 1 of Y-1 to Aug 31 of Y.
        """
        assert [expected] == class_of(dates_to_days([grad])).tolist()

    def test_missing_grad_date_is_an_error_and_left_out(self) -> None:
        """
        A student without a graduation date is an error finding and left out of the class reports.
        """
        cohort = Cohort([Student("1", hs_grad_date=GRAD), Student("2", high_school_code="100100")])
        outcomes = high_school_outcomes(cohort, as_of=D(2021, 1, 1))
        assert 1 == outcomes.left_out
        assert [3] == [f.row for f in outcomes.findings]
        assert all(f.is_error for f in outcomes.findings)
        kpis = outcomes.kpis().records()
        assert 1 == next(r for r in kpis if r["high_school_code"] == ALL)["graduates"]
        assert None is outcomes.arr().records()[1]["class_year"]

    def test_missing_high_school_is_unknown(self) -> None:
        """
        A graduate without a high-school code is grouped under UNKNOWN.
        """
        cohort = Cohort([Student("1", hs_grad_date=GRAD)])
        keys = high_school_outcomes(cohort, as_of=D(2021, 1, 1)).kpis().keys
        assert ((ALL, 2020), (UNKNOWN_HIGH_SCHOOL, 2020)) == keys

    def test_windows_refuse_feb_29(self) -> None:
        """
        A window day must exist every year.
        """
        with pytest.raises(InvalidArgumentError, match="class_start"):
            Windows(class_start=(2, 29))


class TestFall:
    @pytest.mark.parametrize(
        ("begin", "expected"),
        [
            (D(2020, 8, 14), False),
            (D(2020, 8, 15), True),
            (D(2020, 10, 31), True),
            (D(2020, 11, 1), False),
        ],
    )
    def test_fall_window(self, begin: dt.date, expected: bool) -> None:
        """
        Enrolled the fall after high school: a counting enrollment beginning Aug 15 .. Oct 31 of Y.
        """
        row = arr_row([term(begin)], as_of=D(2021, 1, 1))
        assert expected == row["enrolled_fall_after_hs"]
        assert (str(A) if expected else None) == row["fall_college_code"]

    @pytest.mark.parametrize(
        ("as_of", "expected"), [(D(2020, 10, 31), None), (D(2020, 11, 1), True)]
    )
    def test_fall_available_after_oct_31(self, as_of: dt.date, expected: bool | None) -> None:
        """
        The fall measure is blank until Oct 31 of Y is past.
        """
        assert expected == arr_row([term(D(2020, 9, 1))], as_of=as_of)["enrolled_fall_after_hs"]

    def test_fall_not_available_is_blank_in_kpis(self) -> None:
        """
        A count whose window has not closed is blank (None), never 0, and so is its rate.
        """
        cohort = Cohort([Student("1", hs_grad_date=GRAD)])
        row = high_school_outcomes(cohort, as_of=D(2020, 10, 31)).kpis().records()[0]
        assert (1, None, None) == (
            row["graduates"],
            row["enrolled_fall"],
            row["enrolled_fall_rate"],
        )

    def test_summer_after_graduation_is_first_college_but_no_year(self) -> None:
        """
        A term after graduation but before Aug 15 of Y can be the first college and is in no college year.
        """
        row = arr_row([term(D(2020, 6, 20))], as_of=D(2022, 9, 1))
        assert (str(A), False, False, 0) == (
            row["first_college_code"],
            row["enrolled_fall_after_hs"],
            row["enrolled_year1"],
            row["college_years_enrolled"],
        )

    def test_dual_enrollment_counts_nowhere_else(self) -> None:
        """
        A counting enrollment before the graduation date is dual enrollment, not college after HS.
        """
        row = arr_row([term(D(2020, 8, 16))], as_of=D(2021, 9, 1), grad=D(2020, 8, 20))
        assert (True, False, None) == (
            row["dual_enrollment"],
            row["enrolled_fall_after_hs"],
            row["first_college_code"],
        )

    @pytest.mark.parametrize(
        ("status", "ctype", "counts"),
        [
            (EnrollmentStatus.WITHDRAWN, FOUR, False),
            (EnrollmentStatus.LEAVE_OF_ABSENCE, FOUR, False),
            (EnrollmentStatus.WITHHELD, FOUR, True),
            (EnrollmentStatus.LESS_THAN_HALF_TIME, CollegeType.LESS_THAN_TWO_YEAR, True),
            (EnrollmentStatus.FULL_TIME, CollegeType.UNKNOWN, False),
        ],
    )
    def test_counting_enrollment(
        self, status: EnrollmentStatus, ctype: CollegeType, counts: bool
    ) -> None:
        """
        F Q H L or blank at a 2-year, 4-year or less-than-2-year college counts; W A D never.
        """
        row = arr_row(
            [term(D(2020, 9, 1), enrollment_status=status, college_type=ctype)], as_of=D(2021, 1, 1)
        )
        assert counts == row["enrolled_fall_after_hs"]


class TestYears:
    @pytest.mark.parametrize(
        ("begin", "year1", "persisted"),
        [(D(2021, 8, 14), True, False), (D(2021, 8, 15), False, None)],
    )
    def test_year_boundary(self, begin: dt.date, year1: bool, persisted: bool | None) -> None:
        """
        College year 1 is Aug 15 of Y .. Aug 14 of Y+1.
        """
        row = arr_row([term(begin)], as_of=D(2022, 9, 1))
        assert year1 == row["enrolled_year1"]
        assert persisted == row["persisted"]

    @pytest.mark.parametrize(
        ("as_of", "expected"), [(D(2022, 8, 14), None), (D(2022, 8, 15), True)]
    )
    def test_persistence_available_when_year_2_over(
        self, as_of: dt.date, expected: bool | None
    ) -> None:
        """
        Persisted is blank until year 2 is over (as_of after Aug 14 of Y+2).
        """
        row = arr_row([term(D(2020, 9, 1)), term(D(2021, 9, 1), B)], as_of=as_of)
        assert expected == row["persisted"]

    def test_retention_same_institution_other_branch(self) -> None:
        """
        Retained: a year-2 enrollment at the year-1 college's institution (branches are one).
        """
        row = arr_row([term(D(2020, 9, 1)), term(D(2021, 9, 1), A_BRANCH)], as_of=D(2022, 9, 1))
        assert (True, True, str(A_BRANCH)) == (
            row["persisted"],
            row["retained"],
            row["year2_college_code"],
        )
        row = arr_row([term(D(2020, 9, 1)), term(D(2021, 9, 1), B)], as_of=D(2022, 9, 1))
        assert (True, False) == (row["persisted"], row["retained"])

    def test_persisted_blank_without_year1(self) -> None:
        """
        Persisted and retained are blank (not N) for a student with no year-1 enrollment.
        """
        row = arr_row([term(D(2021, 9, 1))], as_of=D(2023, 9, 1))
        assert (False, None, None) == (row["enrolled_year1"], row["persisted"], row["retained"])

    def test_tie_rule(self) -> None:
        """
        Same begin: the higher status wins, then the longer term, then the lower college code.
        """
        h = term(D(2020, 9, 1), B, enrollment_status=EnrollmentStatus.HALF_TIME)
        f = term(
            D(2020, 9, 1), CollegeCode("003000", "00"), enrollment_status=EnrollmentStatus.FULL_TIME
        )
        assert "003000-00" == arr_row([h, f], as_of=D(2021, 1, 1))["first_college_code"]
        long = EnrollmentRecord("1", B, FOUR, D(2020, 9, 1), D(2021, 5, 1))
        short = EnrollmentRecord("1", A, FOUR, D(2020, 9, 1), D(2020, 12, 1))
        assert str(B) == arr_row([short, long], as_of=D(2021, 1, 1))["first_college_code"]
        assert (
            str(A)
            == arr_row([term(D(2020, 9, 1), B), term(D(2020, 9, 1), A)], as_of=D(2021, 1, 1))[
                "first_college_code"
            ]
        )

    def test_progress_categories(self) -> None:
        """
        NEW, RETAINED, NO LONGER ENROLLED, RETURNED AFTER STOP OUT, GRADUATED (final), blank if not begun.
        """
        records = [term(D(2020, 9, 1)), term(D(2021, 9, 1)), term(D(2023, 9, 1))]
        row = arr_row(records, [degree(D(2025, 5, 1))], as_of=D(2025, 8, 15))
        expected = [
            Progress.NEW_TO_COLLEGE.label,
            Progress.RETAINED.label,
            Progress.NO_LONGER_ENROLLED.label,
            Progress.RETURNED_AFTER_STOP_OUT.label,
            Progress.GRADUATED.label,
            Progress.GRADUATED.label,
            None,
            None,
        ]
        assert expected == [row[f"progress_year_{k}"] for k in range(1, 9)]

    def test_not_in_college_to_date(self) -> None:
        """
        A graduate with no counting enrollment is NOT IN COLLEGE TO DATE in every begun year.
        """
        row = arr_row([], as_of=D(2020, 8, 15))
        assert (Progress.NOT_IN_COLLEGE_TO_DATE.label, None) == (
            row["progress_year_1"],
            row["progress_year_2"],
        )


class TestDegrees:
    @pytest.mark.parametrize(
        ("award", "expected"), [(D(2026, 8, 14), True), (D(2026, 8, 15), False)]
    )
    def test_completion_within_6_years(self, award: dt.date, expected: bool) -> None:
        """
        Completed within 6 years: a degree on or before Aug 14 of Y+6.
        """
        row = arr_row([], [degree(award)], as_of=D(2027, 1, 1))
        assert expected == row["completed_within_6_years"]

    @pytest.mark.parametrize(
        ("as_of", "expected"), [(D(2026, 8, 14), None), (D(2026, 8, 15), True)]
    )
    def test_completion_available_when_year_6_over(
        self, as_of: dt.date, expected: bool | None
    ) -> None:
        """
        Completion within 6 years is blank until year 6 is over.
        """
        assert (
            expected
            == arr_row([], [degree(D(2024, 5, 1))], as_of=as_of)["completed_within_6_years"]
        )

    def test_certificates_listed_not_counted(self) -> None:
        """
        Credentials list certificates too; only associate or higher are degrees.
        """
        row = arr_row([], [degree(D(2021, 5, 1), "CERTIFICATE")], as_of=D(2027, 1, 1))
        assert (DegreeKind.CERTIFICATE, False, None) == (
            row["credential_1_kind"],
            row["completed_within_6_years"],
            row["years_to_first_degree"],
        )

    def test_years_to_first_degree(self) -> None:
        """
        Years to first degree: 0 before Aug 15 of Y, else the college year of the award.
        """
        assert (
            0
            == arr_row([], [degree(D(2020, 8, 14), "AA")], as_of=D(2021, 1, 1))[
                "years_to_first_degree"
            ]
        )
        assert (
            1
            == arr_row([], [degree(D(2020, 8, 15), "AA")], as_of=D(2021, 1, 1))[
                "years_to_first_degree"
            ]
        )

    def test_degrees_before_graduation_count_nowhere(self) -> None:
        """
        A degree awarded before the graduation date is no credential, but the record is found.
        """
        row = arr_row([], [degree(D(2020, 5, 1))], as_of=D(2027, 1, 1))
        assert (True, None, False) == (
            row["record_found"],
            row["credential_1_date"],
            row["completed_within_6_years"],
        )

    def test_credentials_order(self) -> None:
        """
        Credentials are ordered by award date then college code; the first three are listed.
        """
        degrees = [
            degree(D(2022, 5, 1), "AS", college_code=B),
            degree(D(2022, 5, 1), "AA"),
            degree(D(2024, 5, 1)),
            degree(D(2025, 5, 1), "MS"),
        ]
        row = arr_row([], degrees, as_of=D(2027, 1, 1))
        assert ["AA", "AS", "BACHELOR OF ARTS"] == [row[f"credential_{i}_title"] for i in (1, 2, 3)]


class TestFerpa:
    def test_blocked_records_out_of_arr_in_aggregates(self) -> None:
        """
        FERPA-blocked records are left out of the ARR but counted in every aggregate.
        """
        cohort = Cohort(
            [Student("1", hs_grad_date=GRAD)],
            [term(D(2020, 9, 1), ferpa_block=FerpaBlock.STUDENT)],
        )
        outcomes = high_school_outcomes(cohort, as_of=D(2021, 1, 1))
        row = outcomes.arr().records()[0]
        assert (False, False, None) == (
            row["record_found"],
            row["enrolled_fall_after_hs"],
            row["first_college_code"],
        )
        assert 1 == outcomes.kpis().records()[0]["enrolled_fall"]
        assert (
            None is outcomes.search(requester_id="1")
            or outcomes.search(requester_id="1").enrollments == ()
        )


class TestReports:
    def test_rate_rounds_half_up(self) -> None:
        """
        Rates are rounded half up to 4 decimals, blank for a zero denominator.
        """
        assert (Decimal("0.6667"), Decimal("0.0001"), None) == (
            rate(2, 3),
            rate(1, 20_000),
            rate(0, 0),
        )

    def test_kpi_layout(self) -> None:
        """
        The KPI file has exactly the spec's columns.
        """
        kpis = high_school_outcomes(
            Cohort([Student("1", hs_grad_date=GRAD)]), as_of=D(2021, 1, 1)
        ).kpis()
        expected = [
            "high_school_code",
            "class_year",
            "graduates",
            "enrolled_fall",
            "enrolled_fall_rate",
            "enrolled_year1",
            "enrolled_year1_rate",
            "enrolled_first_two_years",
            "enrolled_first_two_years_rate",
            "persisted",
            "persistence_rate",
            "retained",
            "retention_rate",
            "completed_6yr",
            "completion_6yr_rate",
        ]
        assert tuple(expected) == kpis.columns

    @pytest.mark.parametrize(
        ("begins", "as_of", "expected"),
        [
            # Only in college year 2 (Aug 15 2021 - Aug 14 2022): enrolled in the first two years.
            ([D(2021, 9, 1)], D(2022, 8, 15), (0, 1)),
            ([D(2020, 9, 1), D(2021, 9, 1)], D(2022, 8, 15), (1, 1)),
            # Year 3 is not the first two years.
            ([D(2022, 9, 1)], D(2022, 9, 2), (0, 0)),
            # Blank until college year 2 is over.
            ([D(2020, 9, 1)], D(2022, 8, 14), (1, None)),
        ],
    )
    def test_enrolled_first_two_years(
        self, begins: list[dt.date], as_of: dt.date, expected: tuple[int, int | None]
    ) -> None:
        """
        Enrolled in the first two years: a counting enrollment in college year 1 or 2, in the
        KPIs and the Enrollment report, after the first-year columns; blank until year 2 is over.
        """
        cohort = Cohort(
            [Student("1", hs_grad_date=GRAD), Student("2", hs_grad_date=GRAD)],
            [term(b) for b in begins],
        )
        reports = high_school_outcomes(cohort, as_of=as_of).reports()
        kpi = reports.kpis.records()[0]
        enrollment = reports.enrollment.records()[0]
        assert expected == (kpi["enrolled_year1"], kpi["enrolled_first_two_years"])
        assert expected[1] == enrollment["enrolled_first_two_years"]
        assert (None if expected[1] is None else rate(expected[1], 2)) == (
            kpi["enrolled_first_two_years_rate"]
        )
        assert kpi["enrolled_first_two_years_rate"] == enrollment["enrolled_first_two_years_rate"]
        columns = reports.enrollment.columns
        assert (
            "graduates",
            "enrolled_fall",
            "enrolled_year1",
            "enrolled_first_two_years",
            "enrolled_first_two_years_rate",
            "enrolled_fall_4yr",
        ) == columns[2:8]

    def test_breakdown_by_fall_college(self) -> None:
        """
        The fall breakdowns follow the fall college: a student counts once per breakdown.
        """
        cohort = Cohort(
            [Student("1", hs_grad_date=GRAD, high_school_state="OR")],
            [
                term(D(2020, 9, 1), college_state="OR", college_type=CollegeType.TWO_YEAR),
                term(D(2020, 9, 2), B, college_state="WA"),
            ],
        )
        row = high_school_outcomes(cohort, as_of=D(2021, 1, 1)).reports().enrollment.records()[0]
        assert (1, 0, 1, 1, 0) == (
            row["enrolled_fall"],
            row["enrolled_fall_4yr"],
            row["enrolled_fall_2yr"],
            row["enrolled_fall_in_state"],
            row["enrolled_fall_out_of_state"],
        )

    def test_top_colleges(self) -> None:
        """
        Top colleges: ranked by count, ties by institution code, at most n rows per class.
        """
        students = [Student(str(i), hs_grad_date=GRAD) for i in range(4)]
        records = [
            EnrollmentRecord(str(i), code, FOUR, D(2020, 9, 1), D(2020, 12, 1))
            for i, code in enumerate([B, B, A_BRANCH, CollegeCode("000500", "00")])
        ]
        top = high_school_outcomes(Cohort(students, records), as_of=D(2021, 1, 1)).top_colleges(n=2)
        assert [(2020, 1, "002178", 2), (2020, 2, "000500", 1)] == [
            (r[0], r[1], r[2], r[-1]) for r in top.rows()
        ]

    @pytest.mark.parametrize(("count", "hidden"), [(4, True), (5, False), (6, False)])
    def test_threshold_boundary(self, count: int, hidden: bool) -> None:
        """
        "Below n" is strictly below: a count equal to the threshold is published.
        """
        reasons = suppress(np.array([count]), [], below=5)
        assert hidden == Suppression(int(reasons[0])).hidden

    @pytest.mark.parametrize(("below", "shown"), [(3, 3), (4, "*")])
    def test_threshold_boundary_in_reports(self, below: int, shown: object) -> None:
        """
        Three graduates are shown with suppress_below=3 and hidden with 4, in every file
        that counts them: the KPIs, the top colleges and the left-out counts.
        """
        students = [Student(str(i), hs_grad_date=GRAD) for i in range(3)]
        students += [Student(f"x{i}") for i in range(3)]  # no graduation date: left out
        records = [term(D(2020, 9, 1)) for _ in range(3)]
        records = [attrs.evolve(r, requester_id=str(i)) for i, r in enumerate(records)]
        outcomes = high_school_outcomes(Cohort(students, records), as_of=D(2021, 1, 1))
        reports = outcomes.reports(suppress_below=below)
        kpi = reports.kpis.records()[0]
        assert (shown, shown) == (kpi["graduates"], kpi["enrolled_fall"])
        assert [shown] == [r[-1] for r in outcomes.top_colleges(suppress_below=below).rows()]
        assert shown == next(reports.left_out_report.rows())[-1]

    def test_suppress_marks_every_cell(self) -> None:
        """
        Primary cells below the threshold, secondary where subtraction would reveal one.
        """
        from edoutcomes.highschool import Relation

        reasons = suppress(np.array([9, 2, 7, -1]), [Relation(0, (1, 2, 3))], below=3)
        assert [
            Suppression.NONE,
            Suppression.SMALL_COUNT,
            Suppression.SECONDARY,
            Suppression.NONE,
        ] == [Suppression(int(r)) for r in reasons]

    def test_reports_by_attribute(self) -> None:
        """
        Grouping by a student attribute gives one set of reports per value.
        """
        cohort = Cohort(
            [
                Student("1", gender="F", hs_grad_date=GRAD),
                Student("2", gender="M", hs_grad_date=GRAD),
            ]
        )
        by = high_school_outcomes(cohort, as_of=D(2021, 1, 1)).reports_by("gender")
        assert {"F": 1, "M": 1} == {k: v.kpis.records()[0]["graduates"] for k, v in by.items()}


class TestSearch:
    def cohort(self) -> Cohort:
        return Cohort(
            [
                Student(
                    "1",
                    first_name="Ann",
                    last_name="Lee",
                    birth_date=D(2002, 3, 4),
                    hs_grad_date=GRAD,
                ),
                Student(
                    "2",
                    first_name="Bo",
                    last_name="Ng",
                    birth_date=D(2002, 3, 4),
                    hs_grad_date=GRAD,
                ),
            ],
            [
                term(D(2020, 9, 1)),
                term(D(2021, 1, 10), B, ferpa_block=FerpaBlock.SCHOOL),
                EnrollmentRecord("2", B, FOUR, D(2020, 9, 1), D(2020, 12, 1)),
            ],
        )

    def test_by_name_normalised(self) -> None:
        """
        Search by name and birth date matches after normalising case and blanks; blocked records are out.
        """
        outcomes = high_school_outcomes(self.cohort(), as_of=D(2021, 6, 1))
        found = outcomes.search(first_name=" ann ", last_name="LEE", birth_date=D(2002, 3, 4))
        assert found is not None
        assert ("1", 1, True) == (
            found.requester_id,
            len(found.enrollments),
            found.enrolled_fall_after_hs,
        )
        text = str(found)
        assert "Ann" not in text
        assert "2002-03-04" not in text
        assert str(B) not in text

    def test_by_id_and_none(self) -> None:
        """
        Search by requester id; no match gives None.
        """
        outcomes = high_school_outcomes(self.cohort(), as_of=D(2021, 6, 1))
        assert "2" == outcomes.search(requester_id="2").requester_id  # type: ignore[union-attr]
        assert None is outcomes.search(first_name="X", last_name="Y", birth_date=D(2000, 1, 1))

    def test_finder_plugs_in(self) -> None:
        """
        A custom finder (e.g. a fuzzy matcher) decides which student a name names.
        """
        outcomes = high_school_outcomes(self.cohort(), as_of=D(2021, 6, 1))

        def second(students: object, query: object) -> np.ndarray:
            return np.array([1])

        found = outcomes.search(
            first_name="?", last_name="?", birth_date=D(2000, 1, 1), finder=second
        )
        assert found is not None
        assert "2" == found.requester_id
