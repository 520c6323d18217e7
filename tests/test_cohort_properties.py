"""
Property tests of the cohort-query engine against a plain per-student reference.

The reference below reads the spec (``shared/spec/cohort-query.md``) literally: a loop
over each student's record objects, no numpy, nothing shared with the engine but the
degree-title table (the spec's one table) and the enums.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st
from strategies import CohortQueryCase, cohort_query_cases

from edoutcomes.cohort import DISPLAY_ORDER, Outcome, cohort_query, cohort_query_by
from edoutcomes.errors import NotYetAvailableError
from edoutcomes.model import (
    DEGREE_TITLES,
    Cohort,
    CollegeCode,
    DegreeKind,
    DegreeRecord,
    EnrollmentRecord,
    FerpaBlock,
    Institution,
)

TABLES = ("table1", "table2", "table2a", "table2b")
ENROLLED_CODES = {"F", "Q", "H", "L", ""}
COUNTED_TYPES = {"4", "2"}
# Spec decision recorded in the engine: an unknown block is read as the school's.
BLOCK_RANK = {
    FerpaBlock.NONE: 0,
    FerpaBlock.STUDENT: 1,
    FerpaBlock.SCHOOL: 2,
    FerpaBlock.UNKNOWN: 2,
}


def ref_n_years(search_date: dt.date, as_of: dt.date) -> int:
    n = 1
    while search_date + relativedelta(years=n) + dt.timedelta(days=1) <= as_of:
        n += 1
    return n


def ref_year(day: dt.date, search_date: dt.date, n_years: int) -> int | None:
    for k in range(n_years):
        if search_date + relativedelta(years=k) < day <= search_date + relativedelta(years=k + 1):
            return k
    return None


def owns(institution: Institution, code: CollegeCode) -> bool:
    if code.institution not in institution.codes:
        return False
    return institution.branch is None or institution.branch == code.branch


def reference(case: CohortQueryCase, *, exact_branch: bool = False) -> dict[str, Any]:
    """Tables (by name: {(priority, year): count}), control counts, detail rows, success."""
    cohort, search_date, as_of, inst = case
    if exact_branch and inst.branch is None:
        inst = Institution(inst.codes, branch="00")
    n_years = ref_n_years(search_date, as_of)
    tables: dict[str, dict[tuple[int, int], int]] = {t: defaultdict(int) for t in TABLES}
    control = {"total": 0, "found": 0, "school": 0, "student": 0, "detail": 0}
    detail: list[tuple[Any, ...]] = []
    # Success and progress, for every horizon whose last year is over.
    success = {
        (h, any_degree): [0] * 5
        for h in range(1, n_years + 1)
        for any_degree in (False, True)
        if as_of > search_date + relativedelta(years=h)
    }
    graduating = {False: {DegreeKind.FOUR_YEAR}, True: {DegreeKind.FOUR_YEAR, DegreeKind.TWO_YEAR}}
    for student in cohort.students:
        sid = student.requester_id
        enrollments = [e for e in cohort.enrollments if e.requester_id == sid]
        degrees = [d for d in cohort.degrees if d.requester_id == sid]
        control["total"] += 1

        # Outcomes, year by year.
        per_year: dict[int, list[int]] = defaultdict(list)
        four_year_years: list[int] = []
        two_year_firsts: list[tuple[dt.date, bool, int]] = []
        for e in enrollments:
            k = ref_year(e.end_date, search_date, n_years)
            if k is None or e.college_type.value not in COUNTED_TYPES:
                continue
            if e.enrollment_status.value not in ENROLLED_CODES:
                continue
            if owns(inst, e.college_code):
                per_year[k].append(5)
            elif e.college_type.value == "4":
                per_year[k].append(6)
            else:
                per_year[k].append(7)
        for d in degrees:
            k = ref_year(d.award_date, search_date, n_years)
            if k is None:
                continue
            kind = DEGREE_TITLES.kind(d.degree_title, d.college_type)
            yours = owns(inst, d.college_code)
            if kind is DegreeKind.FOUR_YEAR:
                per_year[k].append(1 if yours else 2)
                four_year_years.append(k)
            elif kind is DegreeKind.TWO_YEAR:
                per_year[k].append(3 if yours else 4)
                # (date, from another institution?, year): the min is the earliest, yours first.
                two_year_firsts.append((d.award_date, not yours, k))
        first_four = min(four_year_years, default=None)
        first_two = min(two_year_firsts, default=None)
        for k, priorities in per_year.items():
            if first_four is not None and k > first_four:
                continue
            p = min(priorities)
            tables["table1"][p, k] += 1
            if first_two is not None and first_two[2] < k:
                tables["table2"][p, k] += 1
                tables["table2b" if first_two[1] else "table2a"][p, k] += 1

        # Control report.
        after: list[tuple[dt.date, int, Any]] = [
            (e.begin_date, BLOCK_RANK[e.ferpa_block], e)
            for e in enrollments
            if e.end_date > search_date
        ] + [
            (d.award_date, BLOCK_RANK[d.ferpa_block], d)
            for d in degrees
            if d.award_date > search_date
        ]
        if after:
            control["found"] += 1
            first = min(after, key=lambda t: (t[0], -t[1]))
            if first[1] == 2:
                control["school"] += 1
            elif first[1] == 1:
                control["student"] += 1

        # Detail report.
        shown = [r for _, _, r in after if r.ferpa_block is FerpaBlock.NONE]
        if shown:
            control["detail"] += 1
            earliest: dict[CollegeCode, dt.date] = {}
            for r in shown:
                day = r.begin_date if isinstance(r, EnrollmentRecord) else r.award_date
                earliest[r.college_code] = min(day, earliest.get(r.college_code, day))
            ordered = sorted(earliest, key=lambda c: (earliest[c], str(c)))
            for sequence, college in enumerate(ordered, start=1):
                terms = [r for r in shown if isinstance(r, EnrollmentRecord)]
                terms = [r for r in terms if r.college_code == college]
                for e in sorted(terms, key=lambda r: (r.begin_date, r.end_date)):
                    detail.append((sid, True, college, False, e.begin_date, e.end_date, sequence))
                awards = [r for r in shown if isinstance(r, DegreeRecord)]
                awards = [r for r in awards if r.college_code == college]
                for d in sorted(awards, key=lambda r: r.award_date):
                    detail.append((sid, True, college, True, d.award_date, None, sequence))
        else:
            detail.append((sid, False, None, None, None, None, None))

        for horizon, any_degree in success:
            grads = []
            for d in degrees:
                k = ref_year(d.award_date, search_date, n_years)
                kind = DEGREE_TITLES.kind(d.degree_title, d.college_type)
                if k is not None and k < horizon and kind in graduating[any_degree]:
                    grads.append((d.award_date, not owns(inst, d.college_code)))
            last_year = per_year.get(horizon - 1, [])
            if grads:
                category = 2 if min(grads)[1] else 1
            elif 5 in last_year:
                category = 3
            elif 6 in last_year or 7 in last_year:
                category = 4
            else:
                category = 5
            success[horizon, any_degree][category - 1] += 1
    return {
        "tables": tables,
        "control": control,
        "detail": detail,
        "n_years": n_years,
        "success": success,
    }


def run(case: CohortQueryCase, **kwargs: Any) -> Any:
    return cohort_query(
        case.cohort,
        search_date=case.search_date,
        institution=case.institution,
        as_of=case.as_of,
        **kwargs,
    )


def engine_cells(table: Any) -> dict[tuple[int, int], int]:
    cells = {}
    for row, outcome in enumerate(DISPLAY_ORDER):
        for k in range(len(table.years)):
            if table.counts[row, k]:
                cells[outcome.value, k] = int(table.counts[row, k])
    return cells


def detail_projection(result: Any) -> list[tuple[Any, ...]]:
    out = []
    for row in result.detail:
        if not row.record_found:
            out.append((row.requester_id, False, None, None, None, None, None))
        elif row.graduated:
            out.append(
                (
                    row.requester_id,
                    True,
                    row.college_code,
                    True,
                    row.graduation_date,
                    None,
                    row.college_sequence,
                )
            )
        else:
            out.append(
                (
                    row.requester_id,
                    True,
                    row.college_code,
                    False,
                    row.enrollment_begin,
                    row.enrollment_end,
                    row.college_sequence,
                )
            )
    return out


class TestAgainstReference:
    @given(cohort_query_cases())
    def test_tables(self, case: CohortQueryCase) -> None:
        """
        Tables 1, 2, 2A, 2B equal the reference; each student counts once per year per table;
        Table 2 <= Table 1 in every cell; Table 2 = Table 2A + Table 2B.
        """
        expected = reference(case)

        result = run(case)

        assert expected["n_years"] == len(result.years)
        for name in TABLES:
            assert dict(expected["tables"][name]) == engine_cells(getattr(result, name)), name
        for table in result.tables:
            assert (table.counts.sum(axis=0) <= result.control.found).all()
        assert (result.table2.counts <= result.table1.counts).all()
        assert (
            result.table2.counts.tolist()
            == (result.table2a.counts + result.table2b.counts).tolist()
        )

    @given(cohort_query_cases(), st.booleans())
    def test_tables_exact_branch(self, case: CohortQueryCase, exact: bool) -> None:
        """
        With the exact-branch option, only branch 00 of the institution is "yours".
        """
        expected = reference(case, exact_branch=exact)

        result = run(case, exact_branch=exact)

        assert dict(expected["tables"]["table1"]) == engine_cells(result.table1)

    @given(cohort_query_cases())
    def test_control(self, case: CohortQueryCase) -> None:
        """
        The control report equals the reference; found = total - no response; the blocked
        counts and the detail-level count are at most found.
        """
        c = reference(case)["control"]

        control = run(case).control

        assert (
            c["total"],
            c["total"] - c["found"],
            c["found"],
            c["school"],
            c["student"],
            c["detail"],
        ) == (
            control.total,
            control.no_response,
            control.found,
            control.blocked_by_school,
            control.blocked_by_student,
            control.detail_level,
        )
        assert control.total - control.no_response == control.found
        assert control.blocked_by_school + control.blocked_by_student <= control.found
        assert control.detail_level <= control.found

    @given(cohort_query_cases())
    def test_detail(self, case: CohortQueryCase) -> None:
        """
        The detail report has the reference's rows in the reference's order; it shows no
        blocked record; every Record Found = N row is the same, whatever the reason.
        """
        expected = reference(case)["detail"]
        result = run(case)
        detail = result.detail

        assert expected == detail_projection(result)
        cohort = case.cohort
        for table, record in zip(detail.table.tolist(), detail.record.tolist(), strict=True):
            if table >= 0:
                shown = (cohort.enrollments if table == 0 else cohort.degrees)[record]
                assert FerpaBlock.NONE is shown.ferpa_block
        n_rows = [row for row in detail if not row.record_found]
        assert result.control.total - result.control.detail_level == len(n_rows)
        for row in n_rows:
            assert [None] * 25 == list(row.values()[8:])

    @given(cohort_query_cases(), st.booleans())
    def test_success(self, case: CohortQueryCase, any_degree: bool) -> None:
        """
        Success and progress equals the reference at every horizon that is over, else says when.
        """
        expected = reference(case)["success"]
        result = run(case)

        for horizon in range(1, len(result.years) + 1):
            if (horizon, any_degree) in expected:
                measure = result.success(horizon, any_degree=any_degree)
                assert tuple(expected[horizon, any_degree]) == measure.counts
                assert len(case.cohort) == measure.total
                if measure.total:
                    assert 100.0 == round(sum(measure.percentages()), 6)
            else:
                with pytest.raises(NotYetAvailableError, match="not available until"):
                    result.success(horizon, any_degree=any_degree)


class TestInvariants:
    @given(cohort_query_cases(), st.randoms(use_true_random=False))
    def test_record_order_does_not_matter(self, case: CohortQueryCase, rnd: Any) -> None:
        """
        Shuffling the records changes neither the tables nor the control report.
        """
        enrollments, degrees = list(case.cohort.enrollments), list(case.cohort.degrees)
        rnd.shuffle(enrollments)
        rnd.shuffle(degrees)
        shuffled = case._replace(
            cohort=Cohort(case.cohort.students, enrollments, degrees, case.institution)
        )

        before, after = run(case), run(shuffled)

        assert before.tables == after.tables
        assert before.control == after.control

    @given(cohort_query_cases())
    def test_subgroups_add_up(self, case: CohortQueryCase) -> None:
        """
        The groups' tables and control counts add up to the whole cohort's; each group is its subset.
        """
        whole = run(case)
        pell = [s.attribute("pell") for s in case.cohort.students]
        groups = cohort_query_by(
            case.cohort,
            pell,
            search_date=case.search_date,
            institution=case.institution,
            as_of=case.as_of,
        )

        for i, table in enumerate(whole.tables):
            total = sum((g.tables[i].counts for g in groups.values()), np.zeros_like(table.counts))
            assert table.counts.tolist() == total.tolist()
        assert whole.control.total == sum(g.control.total for g in groups.values())
        for value, group in groups.items():
            mask = np.array([p == value for p in pell], dtype=bool)
            alone = run(case, subset=mask)
            assert alone.tables == group.tables
            assert alone.control == group.control
            assert detail_projection(alone) == detail_projection(group)


def test_outcome_rows_cover_the_hierarchy() -> None:
    """
    The display order lists every outcome once.
    """
    assert sorted(Outcome) == sorted(DISPLAY_ORDER)
