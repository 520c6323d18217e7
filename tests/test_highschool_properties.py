"""
High-school outcomes: the vectorised engine against a plain per-student reference, and invariants.

The reference below reads the spec's definitions literally, one student at a time, over
record objects; the engine must give the same ARR (student level, FERPA-blocked records
left out) and the same KPI counts (aggregates, every record) on random data.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
from typing import Any

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import HS_MIXED_CASE_STATES, HighSchoolCase, high_school_cases

from edoutcomes.highschool import (
    ALL,
    HIDDEN,
    UNKNOWN_HIGH_SCHOOL,
    Progress,
    arr_columns,
    high_school_outcomes,
    rate,
)
from edoutcomes.model import (
    DEGREE_TITLES,
    DEGREES,
    ENROLLMENTS,
    CollegeControl,
    CollegeType,
    DegreeKind,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Student,
)
from edoutcomes.synth import synthetic_high_schools

_COUNT_STATUSES = {
    EnrollmentStatus.FULL_TIME,
    EnrollmentStatus.THREE_QUARTER_TIME,
    EnrollmentStatus.HALF_TIME,
    EnrollmentStatus.LESS_THAN_HALF_TIME,
    EnrollmentStatus.WITHHELD,
}
_COUNT_TYPES = {CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR}
_RANK = {
    EnrollmentStatus.FULL_TIME: 4,
    EnrollmentStatus.THREE_QUARTER_TIME: 3,
    EnrollmentStatus.HALF_TIME: 2,
    EnrollmentStatus.LESS_THAN_HALF_TIME: 1,
}


# --- the reference: the spec's words, one student at a time --------------------------------


def class_of(grad: dt.date) -> int:
    return grad.year + (1 if grad >= dt.date(grad.year, 9, 1) else 0)


def college_year(day: dt.date, year: int) -> int:
    academic = day.year if day >= dt.date(day.year, 8, 15) else day.year - 1
    return academic - year + 1


def is_over(year: int, k: int, as_of: dt.date) -> bool:
    return as_of > dt.date(year + k, 8, 14)


def is_begun(year: int, k: int, as_of: dt.date) -> bool:
    return as_of >= dt.date(year + k - 1, 8, 15)


def _value_key(value: Any) -> tuple[Any, ...]:
    """How the final tie-break ranks one value: missing first, codes in their code set's order."""
    if value is None:
        return (0,)
    if isinstance(value, enum.Enum):
        return (1, tuple(type(value)).index(value))
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, dt.date | str):
        return (1, value)
    return (1, str(value))  # CollegeCode, Cip: their written form sorts as their number


def rest(record: EnrollmentRecord | DegreeRecord, used: tuple[str, ...]) -> tuple[Any, ...]:
    """The record's remaining fields, in schema order: the final tie-break of every tie rule."""
    schema = ENROLLMENTS if isinstance(record, EnrollmentRecord) else DEGREES
    return tuple(
        _value_key(getattr(record, c.name))
        for c in schema.columns
        if c.name not in (*used, "requester_id")
    )


_ENROLLMENT_RULE = ("begin_date", "enrollment_status", "college_code")
_DEGREE_RULE = ("award_date", "college_code")


def tie_key(e: EnrollmentRecord) -> tuple[Any, ...]:
    return (
        e.begin_date,
        -_RANK.get(e.enrollment_status, 0),
        -(e.end_date - e.begin_date).days,
        str(e.college_code),
        *rest(e, _ENROLLMENT_RULE),
    )


def kind(d: DegreeRecord) -> DegreeKind:
    return DEGREE_TITLES.kind(d.degree_title, d.college_type)


def reference(
    student: Student,
    enrollments: list[EnrollmentRecord],
    degrees: list[DegreeRecord],
    as_of: dt.date,
    *,
    student_level: bool,
) -> dict[str, Any]:
    """Every ARR field of one student, straight from the definitions."""
    if student_level:
        enrollments = [e for e in enrollments if e.ferpa_block is FerpaBlock.NONE]
        degrees = [d for d in degrees if d.ferpa_block is FerpaBlock.NONE]
    out: dict[str, Any] = {
        "requester_id": student.requester_id,
        "record_found": bool(enrollments or degrees),
    }
    counting = [
        e
        for e in enrollments
        if e.enrollment_status in _COUNT_STATUSES and e.college_type in _COUNT_TYPES
    ]
    current = [e for e in counting if e.begin_date <= as_of <= e.end_date]
    now = min(
        current,
        key=lambda e: (
            -e.begin_date.toordinal(),
            -_RANK.get(e.enrollment_status, 0),
            str(e.college_code),
            *rest(e, _ENROLLMENT_RULE),
        ),
        default=None,
    )
    out["currently_enrolled"] = now is not None
    out["current_college_code"] = str(now.college_code) if now else None
    out["current_college_type"] = now.college_type if now else None
    out["current_enrollment_status"] = now.enrollment_status if now else None
    grad = student.hs_grad_date
    if grad is None:
        return out
    year = class_of(grad)
    out["class_year"] = year
    after = [e for e in counting if e.begin_date >= grad]
    out["dual_enrollment"] = any(e.begin_date < grad for e in counting)
    fall = [e for e in after if dt.date(year, 8, 15) <= e.begin_date <= dt.date(year, 10, 31)]
    fall_over = as_of > dt.date(year, 10, 31)
    out["enrolled_fall_after_hs"] = bool(fall) if fall_over else None
    out["fall_college_code"] = (
        str(min(fall, key=tie_key).college_code) if fall and fall_over else None
    )
    first = min(after, key=tie_key, default=None)
    out["first_college_code"] = str(first.college_code) if first else None
    out["first_college_type"] = first.college_type if first else None
    out["first_college_control"] = first.college_control if first else None
    out["first_college_state"] = first.college_state if first else None
    out["first_enrollment_begin"] = first.begin_date if first else None
    years = {college_year(e.begin_date, year) for e in after}
    year1 = 1 in years
    out["enrolled_year1"] = year1 if is_over(year, 1, as_of) else None
    follow = year1 and is_over(year, 2, as_of)
    out["persisted"] = (2 in years) if follow else None
    in_year1 = [e for e in after if college_year(e.begin_date, year) == 1]
    in_year2 = [e for e in after if college_year(e.begin_date, year) == 2]
    out["year2_college_code"] = (
        str(min(in_year2, key=tie_key).college_code) if follow and in_year2 else None
    )
    if follow:
        institution = min(in_year1, key=tie_key).college_code.institution
        out["retained"] = any(e.college_code.institution == institution for e in in_year2)
    else:
        out["retained"] = None
    out["college_years_enrolled"] = sum(1 for k in years if k >= 1 and is_begun(year, k, as_of))
    credentials = sorted(
        (d for d in degrees if d.award_date >= grad),
        key=lambda d: (d.award_date, str(d.college_code), *rest(d, _DEGREE_RULE)),
    )
    for i in range(3):
        d = credentials[i] if i < len(credentials) else None
        out[f"credential_{i + 1}_date"] = d.award_date if d else None
        out[f"credential_{i + 1}_kind"] = kind(d) if d else None
        out[f"credential_{i + 1}_college_code"] = str(d.college_code) if d else None
    counted = [d for d in credentials if kind(d).is_degree]
    first_degree = max(college_year(counted[0].award_date, year), 0) if counted else None
    out["completed_within_6_years"] = (
        (first_degree is not None and first_degree <= 6) if is_over(year, 6, as_of) else None
    )
    out["years_to_first_degree"] = first_degree
    for k in range(1, 9):
        if not is_begun(year, k, as_of):
            category = None
        elif first_degree is not None and first_degree <= k:
            category = Progress.GRADUATED
        else:
            enrolled = k in years
            earlier = any(j in years for j in range(1, k))
            if enrolled and not earlier:
                category = Progress.NEW_TO_COLLEGE
            elif enrolled and (k - 1) in years:
                category = Progress.RETAINED
            elif enrolled:
                category = Progress.RETURNED_AFTER_STOP_OUT
            elif earlier:
                category = Progress.NO_LONGER_ENROLLED
            else:
                category = Progress.NOT_IN_COLLEGE_TO_DATE
        out[f"progress_year_{k}"] = category.label if category else None
    return out


def _by_student(
    case: HighSchoolCase,
) -> dict[str, tuple[list[EnrollmentRecord], list[DegreeRecord]]]:
    out: dict[str, tuple[list[EnrollmentRecord], list[DegreeRecord]]] = {
        s.requester_id: ([], []) for s in case.cohort.students
    }
    for e in case.cohort.enrollments:
        out[e.requester_id][0].append(e)
    for d in case.cohort.degrees:
        out[d.requester_id][1].append(d)
    return out


_KPI_COUNTS = (
    "graduates",
    "enrolled_fall",
    "enrolled_year1",
    "enrolled_first_two_years",
    "persisted",
    "retained",
    "completed_6yr",
)


def reference_kpis(case: HighSchoolCase) -> dict[tuple[str, int], dict[str, int | None]]:
    """KPI counts per (high school, class) and ALL rows, counting FERPA-blocked records."""
    records = _by_student(case)
    as_of = case.as_of
    classes = sorted({class_of(s.hs_grad_date) for s in case.cohort.students if s.hs_grad_date})
    schools = {s.high_school_code or UNKNOWN_HIGH_SCHOOL for s in case.cohort.students}
    counts: dict[tuple[str, int], dict[str, int | None]] = {}
    for year in classes:
        available = {
            "graduates": True,
            "enrolled_fall": as_of > dt.date(year, 10, 31),
            "enrolled_year1": is_over(year, 1, as_of),
            "enrolled_first_two_years": is_over(year, 2, as_of),
            "persisted": is_over(year, 2, as_of),
            "retained": is_over(year, 2, as_of),
            "completed_6yr": is_over(year, 6, as_of),
        }
        for school in [ALL, *schools]:
            counts[(school, year)] = {k: 0 if ok else None for k, ok in available.items()}
    for s in case.cohort.students:
        if s.hs_grad_date is None:
            continue
        r = reference(s, *records[s.requester_id], case.as_of, student_level=False)
        year = r["class_year"]
        school = s.high_school_code or UNKNOWN_HIGH_SCHOOL
        first_two = any(
            e.enrollment_status in _COUNT_STATUSES
            and e.college_type in _COUNT_TYPES
            and e.begin_date >= s.hs_grad_date
            and college_year(e.begin_date, year) in (1, 2)
            for e in records[s.requester_id][0]
        )
        values = {
            "graduates": True,
            "enrolled_fall": r["enrolled_fall_after_hs"],
            "enrolled_year1": r["enrolled_year1"],
            "enrolled_first_two_years": first_two if is_over(year, 2, as_of) else None,
            "persisted": r["persisted"] if r["enrolled_year1"] is not None else None,
            "retained": r["retained"] if r["enrolled_year1"] is not None else None,
            "completed_6yr": r["completed_within_6_years"],
        }
        if r["enrolled_year1"] is not None and not is_over(year, 2, case.as_of):
            values["persisted"] = values["retained"] = None
        elif r["enrolled_year1"] is False:
            values["persisted"] = values["retained"] = False
        for key in ((school, year), (ALL, year)):
            row = counts[key]
            for name, value in values.items():
                if value is None:
                    row[name] = None
                elif row[name] is not None:
                    row[name] = int(row[name] or 0) + int(bool(value))
    return dict(counts)


def _state_flags(student: Student, e: EnrollmentRecord) -> tuple[bool, bool]:
    """(in state, out of state) of one college for one student: states compare case-insensitively."""
    hs, college = student.high_school_state, e.college_state
    if hs is None or college is None:
        return False, False
    same = hs.strip().upper() == college.strip().upper()
    return same, not same


def reference_state_split(
    case: HighSchoolCase,
) -> dict[tuple[str, int, str], tuple[int, int]]:
    """
    In-state and out-of-state counts of the fall and year-1 colleges per (high school, class).

    Each count is a range (low, high): a student whose tied candidate colleges disagree
    counts in *high* only, so the range holds whichever the tie rule picks.
    """
    records = _by_student(case)
    out: dict[tuple[str, int, str], tuple[int, int]] = {}
    for s in case.cohort.students:
        if s.hs_grad_date is None:
            continue
        year = class_of(s.hs_grad_date)
        school = s.high_school_code or UNKNOWN_HIGH_SCHOOL
        counting = [
            e
            for e in records[s.requester_id][0]
            if e.enrollment_status in _COUNT_STATUSES
            and e.college_type in _COUNT_TYPES
            and e.begin_date >= s.hs_grad_date
        ]
        fall = [
            e for e in counting if dt.date(year, 8, 15) <= e.begin_date <= dt.date(year, 10, 31)
        ]
        year1 = [e for e in counting if college_year(e.begin_date, year) == 1]
        for prefix, candidates in (("enrolled_fall", fall), ("enrolled_year1", year1)):
            if not candidates:
                continue
            best = min(tie_key(e) for e in candidates)
            flags = {_state_flags(s, e) for e in candidates if tie_key(e) == best}
            for i, split in enumerate(("in_state", "out_of_state")):
                low = int(all(f[i] for f in flags))
                high = int(any(f[i] for f in flags))
                for key in ((school, year, f"{prefix}_{split}"), (ALL, year, f"{prefix}_{split}")):
                    lo, hi = out.get(key, (0, 0))
                    out[key] = (lo + low, hi + high)
    return out


def _mixed_case_states() -> HighSchoolCase:
    """Two students of one class, one from OR and one from or, each at a college in their state."""
    from edoutcomes.model import Cohort, CollegeCode

    grad = dt.date(2019, 6, 1)
    college = CollegeCode("001817", "00")
    students = [
        Student(f"h{i}", high_school_code="100100", high_school_state=state, hs_grad_date=grad)
        for i, state in enumerate(["OR", "or"])
    ]
    enrollments = [
        EnrollmentRecord(
            f"h{i}",
            college,
            CollegeType.FOUR_YEAR,
            dt.date(2019, 9, 1),
            dt.date(2019, 12, 15),
            college_state=state,
        )
        for i, state in enumerate(["or", "OR"])
    ]
    return HighSchoolCase(Cohort(students, enrollments), dt.date(2021, 1, 1))


_MIXED_CASE_STATES = _mixed_case_states()


def _tied_case(
    enrollments: list[dict[str, Any]],
    degrees: list[dict[str, Any]] = (),
    as_of: dt.date = dt.date(2020, 10, 1),  # type: ignore[assignment]
) -> HighSchoolCase:
    """One graduate of 2019 with records that differ only where *enrollments*/*degrees* say."""
    from edoutcomes.model import Cip, Cohort, CollegeCode

    college = CollegeCode("001817", "00")
    student = Student("h0", high_school_code="100100", hs_grad_date=dt.date(2019, 6, 1))
    terms = [
        EnrollmentRecord(
            "h0", college, CollegeType.FOUR_YEAR, dt.date(2019, 9, 1), dt.date(2020, 12, 15), **e
        )
        for e in enrollments
    ]
    awards = [
        DegreeRecord(
            "h0",
            college,
            dt.date(2020, 6, 1),
            cip_1=None if d.get("cip") is None else Cip(d["cip"]),
        )
        for d in degrees
    ]
    return HighSchoolCase(Cohort([student], terms, awards), as_of)


#: Two current enrollments that differ only in college_control (the drawn failure).
_TWO_CURRENT_ENROLLMENTS = _tied_case(
    [{"college_control": CollegeControl.PUBLIC}, {"college_control": CollegeControl.PRIVATE}]
)
#: Two degrees of one college and day that differ only in the CIP (a drawn failure).
_TWO_SAME_DAY_DEGREES = _tied_case([], [{"cip": None}, {"cip": "24.0101"}])
#: Two first (and fall) colleges that differ only in the state and the name.
_TWO_FIRST_COLLEGES = _tied_case(
    [{"college_state": "WA", "college_name": "B"}, {"college_state": "OR", "college_name": "A"}]
)


# --- the properties --------------------------------------------------------------------------


class TestAgainstReference:
    @given(high_school_cases())
    @example(_TWO_CURRENT_ENROLLMENTS)
    @example(_TWO_SAME_DAY_DEGREES)
    @example(_TWO_FIRST_COLLEGES)
    def test_arr_equals_reference(self, case: HighSchoolCase) -> None:
        """
        Every ARR value the reference computes equals the engine's, student by student.
        """
        arr = high_school_outcomes(case.cohort, as_of=case.as_of).arr()
        records = _by_student(case)
        expected = [
            reference(s, *records[s.requester_id], case.as_of, student_level=True)
            for s in case.cohort.students
        ]
        actual = arr.records()
        for want, got in zip(expected, actual, strict=True):
            assert want == {k: got[k] for k in want}

    @given(high_school_cases())
    def test_kpi_counts_equal_reference(self, case: HighSchoolCase) -> None:
        """
        The KPI counts (every record, FERPA-blocked ones included) equal the reference's per row.
        """
        kpis = high_school_outcomes(case.cohort, as_of=case.as_of).kpis()
        expected = reference_kpis(case)
        actual = {
            (r["high_school_code"], r["class_year"]): {k: r[k] for k in _KPI_COUNTS}
            for r in kpis.records()
        }
        assert expected == actual

    @given(high_school_cases(states=HS_MIXED_CASE_STATES))
    @example(_MIXED_CASE_STATES)
    def test_state_split_equals_reference(self, case: HighSchoolCase) -> None:
        """
        In-state and out-of-state counts compare each student's own high-school state with the
        college's, case-insensitively (the cases draw OR, or, Or, WA, wa on both sides).
        """
        report = high_school_outcomes(case.cohort, as_of=case.as_of).reports().enrollment
        expected = reference_state_split(case)
        for row in report.records():
            if row["class_year"] == ALL:
                continue
            for prefix in ("enrolled_fall", "enrolled_year1"):
                for split in ("in_state", "out_of_state"):
                    actual = row[f"{prefix}_{split}"]
                    if actual is None:
                        continue
                    key = (row["high_school_code"], row["class_year"], f"{prefix}_{split}")
                    low, high = expected.get(key, (0, 0))
                    assert low <= actual <= high, (key, actual, low, high)


class TestInvariants:
    @given(high_school_cases())
    def test_one_progress_category_per_begun_year(self, case: HighSchoolCase) -> None:
        """
        Each graduate is in exactly one progress category in every begun year, and none before.
        """
        outcomes = high_school_outcomes(case.cohort, as_of=case.as_of)
        m = outcomes.student_measures()
        for k in range(1, 9):
            values = m.progress(k)
            begun = m.has_class & (m.years_begun >= k)
            assert (values[begun] >= 1).all()
            assert (values[begun] <= len(Progress)).all()
            assert (values[~begun] == 0).all()

    @given(high_school_cases())
    def test_high_schools_sum_to_account(self, case: HighSchoolCase) -> None:
        """
        In every report, the high schools' counts add up to the account (ALL) row of the class.
        """
        reports = high_school_outcomes(case.cohort, as_of=case.as_of).reports()
        for report in reports:
            rows = report.records()
            counts = [c for c in report.columns[2:] if not c.endswith("rate")]
            for account in (r for r in rows if r["high_school_code"] == ALL):
                schools = [
                    r
                    for r in rows
                    if r["high_school_code"] != ALL and r["class_year"] == account["class_year"]
                ]
                for column in counts:
                    if account[column] is None:
                        assert all(r[column] is None for r in schools)
                    else:
                        assert account[column] == sum(r[column] for r in schools)

    @given(high_school_cases())
    def test_persistence_denominator_is_first_year_enrollees(self, case: HighSchoolCase) -> None:
        """
        Persistence and retention rates divide by the first-year enrollees of the same row.
        """
        outcomes = high_school_outcomes(case.cohort, as_of=case.as_of)
        reports = outcomes.reports()
        enrollment = {
            (r["high_school_code"], r["class_year"]): r for r in reports.enrollment.records()
        }
        for row in reports.kpis.records():
            key = (row["high_school_code"], row["class_year"])
            assert enrollment[key]["enrolled_year1"] == row["enrolled_year1"]
            if row["persisted"] is not None:
                assert row["persisted"] <= row["enrolled_year1"]
                assert rate(row["persisted"], row["enrolled_year1"]) == row["persistence_rate"]
                assert rate(row["retained"], row["enrolled_year1"]) == row["retention_rate"]

    @given(high_school_cases(states=HS_MIXED_CASE_STATES), st.randoms(use_true_random=False))
    @example(_TWO_CURRENT_ENROLLMENTS, random.Random(0))
    @example(_TWO_SAME_DAY_DEGREES, random.Random(0))
    @example(_TWO_FIRST_COLLEGES, random.Random(0))
    def test_order_independent(self, case: HighSchoolCase, rnd: random.Random) -> None:
        """
        Shuffling the students, the enrollments and the degrees changes no output: every tie
        the spec's rules leave is broken on the records' remaining fields in one fixed order.
        """
        from edoutcomes.model import Cohort

        students, enrollments, degrees = (
            list(case.cohort.students),
            list(case.cohort.enrollments),
            list(case.cohort.degrees),
        )
        for records in (students, enrollments, degrees):
            rnd.shuffle(records)
        a = high_school_outcomes(case.cohort, as_of=case.as_of)
        b = high_school_outcomes(Cohort(students, enrollments, degrees), as_of=case.as_of)
        assert sorted(a.arr().rows(), key=str) == sorted(b.arr().rows(), key=str)
        for x, y in zip(a.reports(suppress_below=2), b.reports(suppress_below=2), strict=True):
            assert list(x.rows()) == list(y.rows())
        assert list(a.top_colleges_report().rows()) == list(b.top_colleges_report().rows())


def _published(reports: Any) -> list[dict[str, Any]]:
    return [r for report in reports for r in report.records()]


def _check_no_recovery(reports: Any, true_grid: Any) -> None:
    """No hidden count equals a published total minus the other published parts."""
    shown: dict[tuple[str, object, str], object] = {}
    for report in reports:
        for r in report.records():
            for c in report.columns[2:]:
                if not c.endswith("rate"):
                    shown[(r["high_school_code"], r["class_year"], c)] = r[c]
    schools = sorted({k[0] for k in shown} - {ALL})
    years = sorted({k[1] for k in shown}, key=str)
    columns = sorted({k[2] for k in shown})

    def relation(total: tuple[str, object, str], parts: list[tuple[str, object, str]]) -> None:
        values = [shown.get(total), *(shown.get(p) for p in parts)]
        present = [v for v in values if v is not None]
        hidden = [v for v in present if v == HIDDEN]
        assert len(hidden) != 1, (total, parts, values)

    for year in years:
        for c in columns:
            relation((ALL, year, c), [(s, year, c) for s in schools])
    for school in [ALL, *schools]:
        for c in columns:
            relation((school, ALL, c), [(school, y, c) for y in years if y != ALL])
    for school in [ALL, *schools]:
        for year in years:
            for prefix in ("enrolled_fall", "enrolled_year1", "persisted", "retained"):
                relation(
                    (school, year, prefix),
                    [(school, year, f"{prefix}_{s}") for s in ("4yr", "2yr", "lt2yr")],
                )
                for family in (("public", "private"), ("in_state", "out_of_state")):
                    parts = [(school, year, f"{prefix}_{s}") for s in family]
                    true_total = true_grid[(school, year, prefix)]
                    if true_total is not None and true_total == sum(
                        true_grid[p] or 0 for p in parts
                    ):
                        relation((school, year, prefix), parts)
            relation(
                (school, year, "completed_6yr"),
                [(school, year, "completed_6yr_4year"), (school, year, "completed_6yr_2year")],
            )


class TestSuppression:
    @settings(max_examples=12)
    @given(st.integers(0, 2**16), st.integers(2, 30))
    def test_no_small_count_shown_and_none_recoverable(self, seed: int, below: int) -> None:
        """
        With suppression, no published count is below the threshold and no hidden count can
        be recovered by subtracting published counts from a published total.
        """
        hs = synthetic_high_schools(40, class_years=(2017, 2018, 2019), n_high_schools=3, seed=seed)
        outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        reports = outcomes.reports(suppress_below=below)
        truth = outcomes.reports()
        true_grid = {
            (r["high_school_code"], r["class_year"], c): r[c]
            for report in truth
            for r in report.records()
            for c in report.columns[2:]
        }
        for row in _published(reports):
            for column, value in row.items():
                if isinstance(value, int) and column != "class_year":
                    assert value >= below
        _check_no_recovery(reports, true_grid)
        # Every cell is kept: the same rows and columns as without suppression.
        assert [list(r.keys) for r in reports] == [list(r.keys) for r in truth]

    @given(high_school_cases(), st.integers(1, 4))
    def test_suppression_on_random_cases(self, case: HighSchoolCase, below: int) -> None:
        """
        The same two guarantees on small random cases, where most counts are small.
        """
        outcomes = high_school_outcomes(case.cohort, as_of=case.as_of)
        reports = outcomes.reports(suppress_below=below)
        true_grid = {
            (r["high_school_code"], r["class_year"], c): r[c]
            for report in outcomes.reports()
            for r in report.records()
            for c in report.columns[2:]
        }
        for row in _published(reports):
            for column, value in row.items():
                if isinstance(value, int) and column != "class_year":
                    assert value >= below
        _check_no_recovery(reports, true_grid)


def test_arr_layout_is_the_spec() -> None:
    """
    The ARR's columns are exactly the spec's fixed columns, then the submitted attributes.
    """
    from edoutcomes.model import Cohort

    cohort = Cohort(
        [Student("1", gender="F", hs_grad_date=dt.date(2020, 6, 1), attributes=(("fafsa", True),))]
    )
    arr = high_school_outcomes(cohort, as_of=dt.date(2021, 1, 1)).arr()
    assert (*arr_columns(), "gender", "fafsa") == arr.columns
    assert arr_columns()[28:31] == ("retained", "college_years_enrolled", "credential_1_date")
    assert np.array_equal(arr.to_numpy()["record_found"], np.array([0], dtype=np.int8))
