"""The cohort query on hand-made cohorts: the guide's worked examples and every spec rule."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pytest

from edoutcomes.cohort import (
    DETAIL_COLUMNS,
    DISPLAY_ORDER,
    CohortQueryResult,
    Outcome,
    OutcomeTable,
    SuccessCategory,
    cohort_query,
    cohort_query_by,
    success_and_progress,
)
from edoutcomes.errors import InvalidArgumentError, NotYetAvailableError
from edoutcomes.formats import as_table, write
from edoutcomes.model import (
    DEGREE_TITLES,
    Cohort,
    CollegeCode,
    CollegeType,
    DegreeKind,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Institution,
    Student,
)

D = dt.date
S = D(2001, 9, 15)
YOURS = CollegeCode.parse("001817-00")
YOURS_BRANCH = CollegeCode.parse("001817-05")
OTHER_4 = CollegeCode.parse("002178-00")
OTHER_2 = CollegeCode.parse("010109-00")
FOUR, TWO, LESS = CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR
INSTITUTION = Institution("001817", name="Guiding Light University")
AS_OF = D(2008, 1, 1)


def term(
    rid: str,
    college: CollegeCode,
    end: dt.date,
    *,
    kind: CollegeType = FOUR,
    begin: dt.date | None = None,
    status: EnrollmentStatus = EnrollmentStatus.FULL_TIME,
    block: FerpaBlock = FerpaBlock.NONE,
) -> EnrollmentRecord:
    return EnrollmentRecord(
        rid,
        college,
        kind,
        begin or end - dt.timedelta(days=110),
        end,
        enrollment_status=status,
        ferpa_block=block,
    )


def degree(
    rid: str,
    college: CollegeCode,
    day: dt.date,
    title: str | None,
    *,
    kind: CollegeType | None = None,
    block: FerpaBlock = FerpaBlock.NONE,
) -> DegreeRecord:
    return DegreeRecord(rid, college, day, degree_title=title, college_type=kind, ferpa_block=block)


def query(
    enrollments: list[EnrollmentRecord],
    degrees: list[DegreeRecord] = (),  # type: ignore[assignment]
    *,
    students: int = 1,
    as_of: dt.date = AS_OF,
    **kwargs: Any,
) -> CohortQueryResult:
    cohort = Cohort(
        students=[Student(str(i + 1)) for i in range(students)],
        enrollments=enrollments,
        degrees=list(degrees),
        institution=INSTITUTION,
    )
    return cohort_query(cohort, search_date=S, as_of=as_of, **kwargs)


def column(table: OutcomeTable, year: str) -> dict[Outcome, int]:
    return {o: n for o, n in table.column(year).items() if n}


class TestGuideExamples:
    def test_three_records_count_priority_3(self) -> None:
        """
        Enrollment at yours (5), a 2-year degree from yours (3), enrollment at another 4-year (6): 3.
        """
        result = query(
            [term("1", YOURS, D(2001, 12, 15)), term("1", OTHER_4, D(2002, 5, 1))],
            [degree("1", YOURS, D(2002, 5, 20), "ASSOCIATE OF ARTS")],
        )

        assert {Outcome.TWO_YEAR_DEGREE_SUBMITTING: 1} == column(result.table1, "2001-02")

    def test_second_four_year_degree_not_counted(self) -> None:
        """
        A 4-year degree elsewhere, a return to your campus and a second 4-year degree: counted once.
        """
        result = query(
            [term("1", OTHER_4, D(2003, 5, 1)), term("1", YOURS, D(2005, 5, 1))],
            [
                degree("1", OTHER_4, D(2003, 5, 20), "BACHELOR OF ARTS"),
                degree("1", YOURS, D(2006, 5, 20), "MASTER OF SCIENCE"),
            ],
        )

        assert 1 == int(result.table1.counts.sum())
        assert {Outcome.FOUR_YEAR_DEGREE_OTHER: 1} == column(result.table1, "2002-03")
        for year in ("2003-04", "2004-05", "2005-06", "2006-07"):
            assert {} == column(result.table1, year)

    def test_two_year_degree_not_terminal(self) -> None:
        """
        After a 2-year degree the student goes on being counted, and appears in Table 2 from the next year.
        """
        result = query(
            [term("1", OTHER_2, D(2002, 5, 1), kind=TWO), term("1", OTHER_4, D(2003, 5, 1))],
            [
                degree("1", OTHER_2, D(2002, 5, 20), "AA"),
                degree("1", OTHER_4, D(2004, 5, 20), "BS"),
            ],
        )

        assert {Outcome.TWO_YEAR_DEGREE_OTHER: 1} == column(result.table1, "2001-02")
        assert {Outcome.RETAINED_OTHER_FOUR_YEAR: 1} == column(result.table1, "2002-03")
        assert {Outcome.FOUR_YEAR_DEGREE_OTHER: 1} == column(result.table1, "2003-04")
        assert {} == column(result.table2, "2001-02")
        assert {Outcome.RETAINED_OTHER_FOUR_YEAR: 1} == column(result.table2, "2002-03")
        assert {Outcome.FOUR_YEAR_DEGREE_OTHER: 1} == column(result.table2b, "2003-04")
        assert {} == column(result.table2a, "2003-04")

    def test_table2_is_2a_plus_2b(self) -> None:
        """
        Table 2 = 2A + 2B; a same-day first 2-year degree at both puts the student in 2A.
        """
        result = query(
            [term(rid, YOURS, D(2003, 5, 1)) for rid in ("1", "2", "3")],
            [
                degree("1", YOURS, D(2002, 5, 20), "AA"),
                degree("2", OTHER_2, D(2002, 5, 20), "AS"),
                degree("3", OTHER_2, D(2002, 5, 20), "AAS"),
                degree("3", YOURS, D(2002, 5, 20), "A.A."),
            ],
            students=3,
        )

        assert {Outcome.RETAINED_SUBMITTING: 2} == column(result.table2a, "2002-03")
        assert {Outcome.RETAINED_SUBMITTING: 1} == column(result.table2b, "2002-03")
        assert {Outcome.RETAINED_SUBMITTING: 3} == column(result.table2, "2002-03")
        assert (
            result.table2a.counts + result.table2b.counts
        ).tolist() == result.table2.counts.tolist()


class TestWhichRecordsCount:
    @pytest.mark.parametrize(
        ("end", "year"),
        [
            (D(2001, 9, 15), None),
            (D(2001, 9, 16), "2001-02"),
            (D(2002, 9, 15), "2001-02"),
            (D(2002, 9, 16), "2002-03"),
        ],
    )
    def test_term_end_date_decides(self, end: dt.date, year: str | None) -> None:
        """
        A term counts in the year holding its end date, whatever its begin date; on S it counts nowhere.
        """
        result = query([term("1", YOURS, end, begin=D(1999, 1, 1))])

        counted = {
            y.label for y in result.years if result.table1.count(Outcome.RETAINED_SUBMITTING, y)
        }
        assert ({year} if year else set()) == counted

    @pytest.mark.parametrize(
        ("status", "counts"),
        [(s, s.value in {"F", "Q", "H", "L", ""}) for s in EnrollmentStatus],
    )
    def test_statuses(self, status: EnrollmentStatus, counts: bool) -> None:
        """
        F, Q, H, L and blank count; W, A, D and unknown codes never do (the student is still found).
        """
        result = query([term("1", OTHER_4, D(2002, 5, 1), status=status)])

        assert int(counts) == result.table1.count(Outcome.RETAINED_OTHER_FOUR_YEAR, "2001-02")
        assert 1 == result.control.found

    def test_less_than_two_year_college_not_counted(self) -> None:
        """
        A term at a less-than-2-year college is never counted, but is in the detail report.
        """
        result = query([term("1", OTHER_2, D(2002, 5, 1), kind=LESS)])

        assert 0 == int(result.table1.counts.sum())
        assert [True] == [row.record_found for row in result.detail]

    def test_retained_rows(self) -> None:
        """
        Enrolled at yours (any type) is priority 5; elsewhere the college type picks 6 or 7.
        """
        result = query(
            [
                term("1", YOURS, D(2002, 5, 1), kind=TWO),
                term("2", OTHER_4, D(2002, 5, 1)),
                term("3", OTHER_2, D(2002, 5, 1), kind=TWO),
            ],
            students=3,
        )

        assert {
            Outcome.RETAINED_SUBMITTING: 1,
            Outcome.RETAINED_OTHER_FOUR_YEAR: 1,
            Outcome.RETAINED_OTHER_TWO_YEAR: 1,
        } == column(result.table1, "2001-02")

    @pytest.mark.parametrize(
        ("title", "kind", "outcome"),
        [
            ("BACHELOR OF SCIENCE", None, Outcome.FOUR_YEAR_DEGREE_SUBMITTING),
            ("Ph.D.", None, Outcome.FOUR_YEAR_DEGREE_SUBMITTING),
            ("ASSOCIATE IN ARTS", None, Outcome.TWO_YEAR_DEGREE_SUBMITTING),
            (None, FOUR, Outcome.FOUR_YEAR_DEGREE_SUBMITTING),
            (None, TWO, Outcome.TWO_YEAR_DEGREE_SUBMITTING),
            (None, LESS, None),
            ("CERTIFICAT", FOUR, None),
            ("DIPLOMA", FOUR, None),
        ],
    )
    def test_degree_kinds(
        self, title: str | None, kind: CollegeType | None, outcome: Outcome | None
    ) -> None:
        """
        The title decides the kind; a blank title falls back on the college type; certificates never count.
        """
        result = query([], [degree("1", YOURS, D(2002, 5, 20), title, kind=kind)])

        expected = {outcome: 1} if outcome else {}
        assert expected == column(result.table1, "2001-02")

    def test_many_distinct_titles(self) -> None:
        """
        With thousands of distinct titles (free text) every degree still gets its title's kind.
        """
        from edoutcomes._kernel._degrees import degree_kind_codes
        from edoutcomes.model import Table

        titles = [f"{word} {i}" for i in range(400) for word in ("BACHELOR OF", "DIPLOMA", "AA")]
        records = [degree("1", YOURS, D(2002, 5, 20), t, kind=FOUR) for t in titles]

        kinds = degree_kind_codes(Table.from_records("degrees", records))

        assert [DEGREE_TITLES.kind(t, FOUR) for t in titles] == [
            tuple(DegreeKind)[k] for k in kinds
        ]

    def test_caller_title_table(self) -> None:
        """
        A caller's extended degree-title table is used instead of the library's.
        """
        titles = DEGREE_TITLES.with_words({"EDD": DegreeKind.FOUR_YEAR})

        result = query([], [degree("1", OTHER_4, D(2002, 5, 20), "Ed.D.")], degree_titles=titles)

        assert {Outcome.FOUR_YEAR_DEGREE_OTHER: 1} == column(result.table1, "2001-02")
        assert () == result.findings

    def test_blocks_do_not_change_the_tables(self) -> None:
        """
        FERPA-blocked records count in the aggregate report like any other.
        """
        result = query([term("1", YOURS, D(2002, 5, 1), block=FerpaBlock.SCHOOL)])

        assert {Outcome.RETAINED_SUBMITTING: 1} == column(result.table1, "2001-02")

    def test_records_after_last_column_ignored(self) -> None:
        """
        Records after the last year column count in no table.
        """
        result = query([term("1", YOURS, D(2003, 5, 1))], as_of=D(2002, 1, 1))

        assert ("2001-02",) == result.table1.year_labels
        assert 0 == int(result.table1.counts.sum())
        assert 1 == result.control.found

    @pytest.mark.parametrize(
        ("institution", "exact", "outcome"),
        [
            ("001817", False, Outcome.RETAINED_SUBMITTING),
            ("001817", True, Outcome.RETAINED_OTHER_FOUR_YEAR),
            ("001817-05", True, Outcome.RETAINED_SUBMITTING),
            (Institution("001817", branch="05"), False, Outcome.RETAINED_SUBMITTING),
            (Institution(("002178", "001817")), False, Outcome.RETAINED_SUBMITTING),
        ],
    )
    def test_institution_and_branch(self, institution: Any, exact: bool, outcome: Outcome) -> None:
        """
        Any branch of the 6-digit code is yours, unless the exact branch is asked for.
        """
        result = query(
            [term("1", YOURS_BRANCH, D(2002, 5, 1))], institution=institution, exact_branch=exact
        )

        assert {outcome: 1} == column(result.table1, "2001-02")


class TestControlReport:
    def test_counts(self) -> None:
        """
        Not matched and matched-only-before-S students have no response; the rest are found.
        """
        result = query(
            [
                term("1", YOURS, D(2001, 9, 15)),
                term("2", YOURS, D(2002, 5, 1), status=EnrollmentStatus.WITHDRAWN),
                term("3", YOURS, D(2030, 5, 1)),
            ],
            students=4,
        )
        c = result.control

        assert (4, 2, 2, 0, 0, 2) == (
            c.total,
            c.no_response,
            c.found,
            c.blocked_by_school,
            c.blocked_by_student,
            c.detail_level,
        )

    def test_first_record_decides_block(self) -> None:
        """
        Only the first record after S (by begin date) decides the blocked line; later blocks do not.
        """
        result = query(
            [
                term("1", YOURS, D(2002, 5, 1), begin=D(2002, 1, 1)),
                term("1", OTHER_4, D(2003, 5, 1), begin=D(2003, 1, 1), block=FerpaBlock.SCHOOL),
                term("2", OTHER_4, D(2002, 5, 1), begin=D(2001, 8, 20), block=FerpaBlock.STUDENT),
                term("2", YOURS, D(2002, 12, 1), begin=D(2002, 9, 1)),
            ],
            students=2,
        )
        c = result.control

        assert (0, 1, 2) == (c.blocked_by_school, c.blocked_by_student, c.detail_level)

    def test_tie_school_outranks_student(self) -> None:
        """
        On a tie for the first record, a school block outranks a student block, which outranks none.
        """
        day = D(2002, 5, 20)
        result = query(
            [],
            [
                degree("1", YOURS, day, "BA"),
                degree("1", OTHER_4, day, "BA", block=FerpaBlock.STUDENT),
                degree("1", OTHER_2, day, "AA", block=FerpaBlock.SCHOOL),
                degree("2", YOURS, day, "BA"),
                degree("2", OTHER_4, day, "BA", block=FerpaBlock.STUDENT),
            ],
            students=2,
        )
        c = result.control

        assert (1, 1, 2) == (c.blocked_by_school, c.blocked_by_student, c.detail_level)

    def test_all_blocked_not_at_detail_level(self) -> None:
        """
        A student whose every record is blocked is found, blocked, and not reported at detail level.
        """
        result = query([term("1", OTHER_4, D(2002, 5, 1), block=FerpaBlock.STUDENT)])
        c = result.control

        assert (1, 1, 0) == (c.found, c.blocked_by_student, c.detail_level)

    def test_table_rows(self) -> None:
        """
        The control report is a table of six described counts.
        """
        rows = list(query([]).control.rows())

        assert [
            ["TOTAL STUDENTS IN YOUR REQUEST FILE", 1],
            ["TOTAL STUDENTS WITH NO RESPONSE DATA AVAILABLE", 1],
            ["TOTAL STUDENTS FOUND AND INCLUDED IN AGGREGATE REPORT", 0],
            ["LESS: STUDENT LEVEL REPORTING BLOCKED BY SCHOOL", 0],
            ["LESS: STUDENT LEVEL REPORTING BLOCKED BY STUDENT", 0],
            ["TOTAL STUDENTS REPORTED AT DETAIL LEVEL", 0],
        ] == rows


class TestDetailReport:
    def test_order_and_sequence(self) -> None:
        """
        Colleges by earliest record (ties by code); terms by begin date, then degrees; students in order.
        """
        result = query(
            [
                term("2", OTHER_4, D(2003, 5, 1), begin=D(2003, 1, 10)),
                term("2", YOURS, D(2002, 12, 15), begin=D(2002, 9, 1)),
                term("2", OTHER_2, D(2002, 12, 15), begin=D(2002, 9, 1), kind=TWO),
                term("2", OTHER_4, D(2002, 12, 15), begin=D(2002, 9, 2)),
                term("1", YOURS, D(2004, 5, 1)),
            ],
            [degree("2", YOURS, D(2002, 10, 1), "AA")],
            students=3,
        )

        assert [
            ("1", "001817-00", False, 1),
            ("2", "001817-00", False, 1),
            ("2", "001817-00", True, 1),
            ("2", "010109-00", False, 2),
            ("2", "002178-00", False, 3),
            ("2", "002178-00", False, 3),
            ("3", None, None, None),
        ] == [
            (
                r.requester_id,
                None if r.college_code is None else str(r.college_code),
                r.graduated,
                r.college_sequence,
            )
            for r in result.detail
        ]
        assert [D(2002, 9, 2), D(2003, 1, 10)] == [
            r.enrollment_begin for r in result.detail if r.college_code == OTHER_4
        ]

    def test_blocked_only_student_looks_not_found(self) -> None:
        """
        A student with only blocked records gets exactly the row a not-found student gets.
        """
        result = query([term("1", OTHER_4, D(2002, 5, 1), block=FerpaBlock.SCHOOL)], students=2)
        blocked, missing = result.detail.records()

        assert blocked.values()[6:] == missing.values()[6:]
        assert (False, False) == (blocked.record_found, missing.record_found)

    def test_partial_block_hides_only_that_school(self) -> None:
        """
        A block at one school hides that school's records and none of the others.
        """
        result = query(
            [
                term("1", OTHER_4, D(2002, 5, 1), block=FerpaBlock.STUDENT),
                term("1", YOURS, D(2003, 5, 1)),
            ]
        )

        assert [YOURS] == [r.college_code for r in result.detail]
        assert [1] == [r.college_sequence for r in result.detail]

    def test_everything_after_s_is_shown(self) -> None:
        """
        W terms, less-than-2-year colleges, certificates and records after the last column are all rows.
        """
        result = query(
            [
                term("1", YOURS, D(2002, 5, 1), status=EnrollmentStatus.WITHDRAWN),
                term("1", OTHER_2, D(2002, 6, 1), kind=LESS),
                term("1", YOURS, D(2001, 9, 15)),
            ],
            [degree("1", OTHER_2, D(2009, 5, 1), "CERTIFICATE")],
            as_of=D(2003, 1, 1),
        )

        assert 3 == len(result.detail)

    def test_as_table(self) -> None:
        """
        The detail report is a table with the 33 clearinghouse columns; the CSV writer takes it.
        """
        cohort = Cohort(
            [Student("7", unique_id="U7", first_name="Ada", middle_name="Kay", last_name="Byron")],
            [term("7", YOURS, D(2002, 5, 1))],
        )
        result = cohort_query(cohort, search_date=S, institution="001817", as_of=D(2003, 1, 1))
        table = as_table(result.detail)
        out = io.BytesIO()
        write(result.detail, out, "csv")

        assert 33 == len(DETAIL_COLUMNS)
        assert DETAIL_COLUMNS == tuple(table.columns)
        row = next(iter(table.rows()))
        assert ("U7", "Ada", "K", "Byron", None, "7", True, S) == tuple(row[:8])
        assert out.getvalue().decode().startswith("Your Unique Identifier,First Name,")

    def test_repr_html_hides_students(self) -> None:
        """
        The notebook view of the detail report shows counts, never names or ids.
        """
        cohort = Cohort(
            [Student("ID-SECRET", first_name="Zelda")], [term("ID-SECRET", YOURS, D(2002, 5, 1))]
        )
        html = cohort_query(
            cohort, search_date=S, institution="001817", as_of=D(2003, 1, 1)
        ).detail._repr_html_()

        assert "ID-SECRET" not in html
        assert "Zelda" not in html


class TestFindings:
    def test_unknown_codes_and_titles_warned(self) -> None:
        """
        Unknown statuses, college types and titles are kept, not counted, and named by file and row.
        """
        result = query(
            [
                term("1", YOURS, D(2002, 5, 1), status=EnrollmentStatus.UNKNOWN),
                term("1", YOURS, D(2002, 6, 1), kind=CollegeType.UNKNOWN),
            ],
            [degree("1", YOURS, D(2002, 5, 20), "DIPLOMA OF SOMETHING")],
        )

        assert 0 == int(result.table1.counts.sum())
        assert 3 == len(result.detail)
        assert [
            ("enrollments", 2, "enrollment_status", "unknown"),
            ("enrollments", 3, "college_type", "unknown"),
            ("degrees", 2, "degree_title", "DIPLOMA OF SOMETHING"),
        ] == [(f.file, f.row, f.column, f.value) for f in result.findings]
        assert all(f.severity == "warning" for f in result.findings)

    def test_orphans_counted_and_ignored(self) -> None:
        """
        Records of no submitted student are ignored, with one warning that counts them.
        """
        result = query([term("nobody", YOURS, D(2002, 5, 1))])

        assert 0 == result.control.found
        assert ["1 records belong to no submitted student: ignored"] == [
            f.message for f in result.findings
        ]


class TestOutcomeTable:
    def test_display_order_and_api(self) -> None:
        """
        Rows print in display order; counts read by outcome and year label, index or year.
        """
        result = query(
            [term("1", YOURS, D(2002, 5, 1)), term("2", OTHER_4, D(2002, 5, 1))], students=2
        )
        table = result.table1

        assert [o.label for o in DISPLAY_ORDER] == [row[0] for row in table.rows()]
        assert 1 == table.count(Outcome.RETAINED_SUBMITTING, "2001-02")
        assert 1 == table.count(6, 0)
        assert 1 == table.count(Outcome.RETAINED_SUBMITTING, result.years[0])
        assert (7, len(result.years)) == table.to_numpy().shape
        assert ("Description", "2001-02", "2002-03") == table.columns[:3]
        assert table is as_table(table)

    def test_counts_read_only(self) -> None:
        """
        The counts cannot be changed in place; to_numpy gives a writable copy.
        """
        table = query([]).table1
        copy = table.to_numpy()
        copy[0, 0] = 5

        with pytest.raises(ValueError, match="read-only"):
            table.counts[0, 0] = 5
        assert 0 == table.count(Outcome.FOUR_YEAR_DEGREE_SUBMITTING, 0)

    def test_callers_counts_untouched(self) -> None:
        """
        Building a table from an array copies it: the caller's array stays writable.
        """
        counts = np.zeros((7, 1), dtype=np.int64)
        years = query([], as_of=D(2002, 1, 1)).years

        OutcomeTable.from_counts("table2a", years, counts)

        assert counts.flags.writeable

    def test_to_pandas(self) -> None:
        """
        to_pandas gives labels as the index and year labels as columns.
        """
        frame = query([term("1", YOURS, D(2002, 5, 1))]).table1.to_pandas()

        assert 1 == frame.loc["Retained at your institution", "2001-02"]
        assert "Description" == frame.index.name

    def test_unknown_year(self) -> None:
        """
        A year label that is not a column is refused, naming the columns.
        """
        with pytest.raises(InvalidArgumentError, match="2001-02"):
            query([], as_of=D(2002, 1, 1)).table1.count(Outcome.RETAINED_SUBMITTING, "1999-00")

    def test_html(self) -> None:
        """
        The notebook view of a result shows the control report and the four tables.
        """
        html = query([term("1", YOURS, D(2002, 5, 1))])._repr_html_()

        assert html.count("<table>") == 5
        assert "Table 2B" in html
        assert "Retained at your institution" in html


class TestSuccessAndProgress:
    def test_not_available_until_year_over(self) -> None:
        """
        The measure at 4 years is None until the as-of date is past the 4th year's last day.
        """
        with pytest.raises(NotYetAvailableError, match="4 years is not available until 2005-09-16"):
            query([], as_of=D(2005, 9, 15)).success(4)
        assert query([], as_of=D(2005, 9, 16)).success(4) is not None

    def test_categories(self) -> None:
        """
        Graduated here, graduated elsewhere, enrolled here, enrolled elsewhere, unknown.
        """
        result = query(
            [
                term("3", YOURS, D(2005, 5, 1)),
                term("4", OTHER_2, D(2005, 5, 1), kind=TWO),
                term("5", YOURS, D(2004, 5, 1)),
            ],
            [
                degree("1", YOURS, D(2005, 5, 20), "BA"),
                degree("1", OTHER_4, D(2005, 5, 20), "BA"),
                degree("2", OTHER_4, D(2004, 5, 20), "BA"),
                degree("2", YOURS, D(2005, 5, 20), "BA"),
                degree("4", OTHER_2, D(2003, 5, 20), "AA"),
            ],
            students=6,
        )
        measure = success_and_progress(result, horizon=4)

        assert measure is not None
        assert (1, 1, 1, 1, 2) == measure.counts
        assert (16.7, 16.7, 16.7, 16.6, 33.3) == measure.percentages()
        assert 1 == measure.count(SuccessCategory.GRADUATED_OTHER)

    def test_any_degree(self) -> None:
        """
        With any_degree, a 2-year degree is a graduation too.
        """
        result = query([], [degree("1", OTHER_2, D(2003, 5, 20), "AA")])

        assert (0, 0, 0, 0, 1) == result.success(4).counts
        assert (0, 1, 0, 0, 0) == result.success(4, any_degree=True).counts

    def test_bad_horizon(self) -> None:
        """
        A horizon below 1 is refused.
        """
        with pytest.raises(InvalidArgumentError, match="horizon"):
            query([]).success(0)


class TestSubgroups:
    def _cohort(self) -> Cohort:
        return Cohort(
            [
                Student("1", gender="F", attributes=(("pell", True),)),
                Student("2", gender="M", attributes=(("pell", False),)),
                Student("3", gender="F"),
            ],
            [term("1", YOURS, D(2002, 5, 1)), term("2", OTHER_4, D(2002, 5, 1))],
            [degree("3", YOURS, D(2002, 5, 20), "AA")],
            institution=INSTITUTION,
        )

    def test_by_attribute(self) -> None:
        """
        Grouping by a student column gives one result per value, missing values as None.
        """
        groups = cohort_query_by(self._cohort(), "pell", search_date=S, as_of=D(2003, 1, 1))

        assert [False, True, None] == list(groups)
        assert {Outcome.RETAINED_SUBMITTING: 1} == column(groups[True].table1, "2001-02")
        assert {Outcome.TWO_YEAR_DEGREE_SUBMITTING: 1} == column(groups[None].table1, "2001-02")
        assert ["3"] == [r.requester_id for r in groups[None].detail]

    def test_by_array_with_subset(self) -> None:
        """
        Grouping by given values, restricted to a subset: only the subset's values are groups.
        """
        groups = cohort_query_by(
            self._cohort(),
            np.array(["a", "b", "a"]),
            search_date=S,
            as_of=D(2003, 1, 1),
            subset=["1", "2"],
        )

        assert {"a": 1, "b": 1} == {k: g.control.total for k, g in groups.items()}

    def test_text_column(self) -> None:
        """
        A text column groups too.
        """
        groups = cohort_query_by(self._cohort(), "gender", search_date=S, as_of=D(2003, 1, 1))

        assert {"F": 2, "M": 1} == {k: g.control.found for k, g in groups.items()}

    def test_bad_by(self) -> None:
        """
        A column that does not exist, or values that do not fit the cohort, are refused.
        """
        with pytest.raises(InvalidArgumentError, match="nope"):
            cohort_query_by(self._cohort(), "nope", search_date=S, as_of=D(2003, 1, 1))
        with pytest.raises(InvalidArgumentError, match="shape"):
            cohort_query_by(self._cohort(), [1, 2], search_date=S, as_of=D(2003, 1, 1))


class TestArguments:
    def test_datetime_refused(self) -> None:
        """
        A datetime as_of is refused with a message naming it.
        """
        with pytest.raises(InvalidArgumentError, match="as_of"):
            query([], as_of=dt.datetime(2003, 1, 1))  # type: ignore[arg-type]  # noqa: DTZ001

    def test_institution_required(self) -> None:
        """
        Without an institution on the cohort or in the call, the query is refused.
        """
        with pytest.raises(InvalidArgumentError, match="institution"):
            cohort_query(Cohort([Student("1")]), search_date=S, as_of=D(2003, 1, 1))

    @pytest.mark.parametrize("code", ["1817", "0018170", "abcdef", "001817-5"])
    def test_bad_institution_code(self, code: str) -> None:
        """
        A malformed institution code is refused.
        """
        with pytest.raises(InvalidArgumentError, match="institution"):
            query([], institution=code)

    def test_columns_input(self) -> None:
        """
        The columnar view gives the same result as the cohort.
        """
        enrollments = [term("1", YOURS, D(2002, 5, 1))]
        cohort = Cohort([Student("1")], enrollments)

        a = cohort_query(cohort, search_date=S, institution="001817", as_of=D(2003, 1, 1))
        b = cohort_query(cohort.columns(), search_date=S, institution="001817", as_of=D(2003, 1, 1))

        assert a.tables == b.tables
        assert a.control == b.control

    def test_subset_one_id(self) -> None:
        """
        A single requester id as the subset means that one student.
        """
        result = query([term("2", YOURS, D(2002, 5, 1))], students=3, subset="2")

        assert (1, 1) == (result.control.total, result.control.found)

    def test_bad_subset(self) -> None:
        """
        A subset naming students who were not submitted is refused.
        """
        with pytest.raises(InvalidArgumentError, match="subset"):
            query([], subset=["zz"])
