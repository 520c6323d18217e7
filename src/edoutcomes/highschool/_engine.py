"""
The high-school engine: every per-student measure of the spec, vectorised over the columnar view.

One call of :func:`measure` makes a :class:`Measures`: per student, the college years with a
counting enrollment, the records the tie rule picks (fall, first, year-1, year-2 college,
current enrollment), the first degrees, the credentials. Aggregates use every record;
student-level output (the ARR, single-student search) uses a second pass over the records
without a FERPA block. "First by the tie rule" is one sort of the counting enrollments
(``np.lexsort`` order, packed into one key when it fits) and first-of-group for each mask.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._degrees import degree_kind_codes
from .._kernel._groups import BLOCK_NONE
from .._kernel._groups import block_ranks as _block_ranks
from .._kernel._groups import sort_order as _sort_order
from .._kernel._ties import break_ties, remaining_keys
from ..model import (
    DEGREE_TITLES,
    MISSING_DAY,
    CohortColumns,
    CollegeType,
    DegreeKind,
    DegreeTitleTable,
    EnrollmentStatus,
)
from ._windows import Windows, as_day, day_table, year_of

__all__ = [
    "COUNTING_COLLEGE_TYPES",
    "COUNTING_STATUSES",
    "NO_DAY",
    "Measures",
    "Progress",
    "counting_enrollments",
    "gather",
    "measure",
]

NO_DAY = np.int32(np.iinfo(np.int32).max)

#: Statuses of a counting enrollment (blank = withheld counts; a missing status reads as blank).
COUNTING_STATUSES: frozenset[EnrollmentStatus] = frozenset(
    s for s in EnrollmentStatus if s.is_enrolled
)
#: College types of a counting enrollment: here less-than-2-year colleges count too.
COUNTING_COLLEGE_TYPES: frozenset[CollegeType] = frozenset(
    {CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR}
)

#: The columns the enrollment tie rules use themselves, with the student key (the rest breaks
#: their ties).
_ENROLLMENT_RULE = ("requester_id", "begin_date", "enrollment_status", "college_code")
#: The columns the credential order uses itself.
_DEGREE_RULE = ("requester_id", "award_date", "college_code")

# Status rank of the tie rule: F > Q > H > L > blank (withheld or missing).
_STATUS_RANK = {
    EnrollmentStatus.FULL_TIME: 4,
    EnrollmentStatus.THREE_QUARTER_TIME: 3,
    EnrollmentStatus.HALF_TIME: 2,
    EnrollmentStatus.LESS_THAN_HALF_TIME: 1,
}
_RANK_LUT = np.array([0, *(_STATUS_RANK.get(s, 0) for s in EnrollmentStatus)], dtype=np.int64)
_STATUS_LUT = np.array([True, *(s in COUNTING_STATUSES for s in EnrollmentStatus)], dtype=bool)
_TYPE_LUT = np.array([False, *(t in COUNTING_COLLEGE_TYPES for t in CollegeType)], dtype=bool)
_KINDS = tuple(DegreeKind)
_FOUR = _KINDS.index(DegreeKind.FOUR_YEAR)
_TWO = _KINDS.index(DegreeKind.TWO_YEAR)


class Progress(enum.IntEnum):
    """
    A graduate's progress category in one college year; the first that applies wins.

    The engine stores the value in an ``int8`` (0 where the year has not begun).

    Examples:
        >>> Progress.RETURNED_AFTER_STOP_OUT.label
        'RETURNED AFTER STOP OUT'
        >>> Progress.from_label("retained")
        <Progress.RETAINED: 3>
    """

    GRADUATED = 1
    NEW_TO_COLLEGE = 2
    RETAINED = 3
    RETURNED_AFTER_STOP_OUT = 4
    NO_LONGER_ENROLLED = 5
    NOT_IN_COLLEGE_TO_DATE = 6

    @property
    def label(self) -> str:
        """The category as the reports write it, e.g. ``NO LONGER ENROLLED & NOT GRADUATED``."""
        return _PROGRESS_LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Progress:
        """The category written *label* (case and surrounding blanks ignored)."""
        folded = " ".join(label.split()).upper()
        for member in cls:
            if member.label == folded:
                return member
        msg = f"label={label!r} is not a progress category"
        raise ValueError(msg)

    def __str__(self) -> str:
        return self.label


_PROGRESS_LABELS = {
    Progress.GRADUATED: "GRADUATED",
    Progress.NEW_TO_COLLEGE: "NEW TO COLLEGE",
    Progress.RETAINED: "RETAINED",
    Progress.RETURNED_AFTER_STOP_OUT: "RETURNED AFTER STOP OUT",
    Progress.NO_LONGER_ENROLLED: "NO LONGER ENROLLED & NOT GRADUATED",
    Progress.NOT_IN_COLLEGE_TO_DATE: "NOT IN COLLEGE TO DATE",
}


def counting_enrollments(columns: CohortColumns) -> NDArray[np.bool_]:
    """
    Which enrollment terms count: linked to a student, status F Q H L or blank, a 2-year, 4-year or less-than-2-year college.

    Examples:
        >>> from edoutcomes.model import CollegeCode, EnrollmentRecord, Student
        >>> cols = CohortColumns.from_records([Student("1")], [
        ...     EnrollmentRecord("1", CollegeCode.parse("000001-00"), CollegeType.LESS_THAN_TWO_YEAR,
        ...                      dt.date(2020, 9, 1), dt.date(2020, 12, 1)),
        ...     EnrollmentRecord("1", CollegeCode.parse("000001-00"), CollegeType.FOUR_YEAR,
        ...                      dt.date(2020, 9, 1), dt.date(2020, 12, 1),
        ...                      enrollment_status=EnrollmentStatus.WITHDRAWN)])
        >>> counting_enrollments(cols).tolist()
        [True, False]
    """
    enr = columns.enrollments
    status = enr.data["enrollment_status"].astype(np.intp) + 1
    ctype = enr.data["college_type"].astype(np.intp) + 1
    out: NDArray[np.bool_] = (
        (columns.enrollment_student >= 0) & _STATUS_LUT[status] & _TYPE_LUT[ctype]
    )
    return out


@frozen(eq=False)
class Measures:
    """
    Every per-student measure, from one pass over the records (see :func:`measure`).

    Record pointers are rows of ``columns.enrollments`` / ``columns.degrees`` (-1: none).
    Class-based measures of a student without a class year are meaningless (masked by
    ``class_year < 0``).
    """

    columns: CohortColumns
    windows: Windows
    as_of: dt.date
    student_level: bool
    class_year: NDArray[np.int32]
    years_begun: NDArray[np.int32]
    years_over: NDArray[np.int32]
    fall_over: NDArray[np.bool_]
    #: ``(n, K+1)``: enrolled (a counting enrollment after high school) in college year k.
    enrolled: NDArray[np.bool_]
    fall: NDArray[np.bool_]
    fall_record: NDArray[np.int32]
    first_record: NDArray[np.int32]
    year1_record: NDArray[np.int32]
    year2_record: NDArray[np.int32]
    retained: NDArray[np.bool_]
    dual: NDArray[np.bool_]
    current_record: NDArray[np.int32]
    record_found: NDArray[np.bool_]
    #: College year (0 before the first one) of the first degree, of the first 4-year and
    #: the first 2-year degree; a large number when none.
    first_degree_year: NDArray[np.int32]
    first_four_year: NDArray[np.int32]
    first_two_year: NDArray[np.int32]
    first_degree_record: NDArray[np.int32]
    #: ``(n, 3)``: the first three credentials after high school (degree rows).
    credentials: NDArray[np.int32]
    degree_kinds: NDArray[np.int8]

    @property
    def n_students(self) -> int:
        """Number of submitted students."""
        return self.columns.n_students

    @property
    def has_class(self) -> NDArray[np.bool_]:
        """Students with a graduation date (a class)."""
        return self.class_year >= 0

    def in_year(self, k: int) -> NDArray[np.bool_]:
        """Enrolled in college year *k* (False beyond the years the engine kept)."""
        if k < self.enrolled.shape[1]:
            return self.enrolled[:, k]
        return np.zeros(self.n_students, dtype=bool)

    def progress(self, k: int) -> NDArray[np.int8]:
        """
        The :class:`Progress` value of each student in college year *k*; 0 when the year has not begun.

        Earlier years are college years 1 .. k-1 only (a summer term before year 1 is none).
        """
        now = self.in_year(k)
        last = self.in_year(k - 1) if k > 1 else np.zeros(self.n_students, dtype=bool)
        earlier = self.enrolled[:, 1:k].any(axis=1) if k > 1 else last
        graduated = self.first_degree_year <= k
        out = np.select(
            [graduated, now & ~earlier, now & last, now, earlier],
            [
                Progress.GRADUATED,
                Progress.NEW_TO_COLLEGE,
                Progress.RETAINED,
                Progress.RETURNED_AFTER_STOP_OUT,
                Progress.NO_LONGER_ENROLLED,
            ],
            Progress.NOT_IN_COLLEGE_TO_DATE,
        ).astype(np.int8)
        out[~(self.has_class & (self.years_begun >= k))] = 0
        return out

    def college_years_enrolled(self) -> NDArray[np.int32]:
        """Begun college years with a counting enrollment after high school (no cap)."""
        k = np.arange(self.enrolled.shape[1])
        begun = (k[None, :] >= 1) & (k[None, :] <= self.years_begun[:, None])
        out: NDArray[np.int32] = (self.enrolled & begun).sum(axis=1).astype(np.int32)
        return out


def _first_of(
    order: NDArray[np.intp], student: NDArray[np.int32], mask: NDArray[np.bool_], n: int
) -> NDArray[np.int32]:
    """The first position of *order* (restricted to *mask*) for each student; -1 for none."""
    picked = order[mask[order]]
    s = student[picked]
    first = np.ones(len(s), dtype=bool)
    first[1:] = s[1:] != s[:-1]
    out = np.full(n, -1, dtype=np.int32)
    out[s[first]] = picked[first]
    return out


def _dense(values: NDArray[Any]) -> NDArray[np.int64]:
    """Ranks of *values* among their distinct values (so sort keys pack into fewer bits)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    _distinct, inverse = np.unique(values, return_inverse=True)
    return inverse.ravel().astype(np.int64)


def gather(data: NDArray[Any], record: NDArray[np.integer[Any]], missing: int) -> NDArray[Any]:
    """
    ``data[record]`` where *record* >= 0, *missing* where it is -1 (also when *data* is empty).

    Examples:
        >>> gather(np.array([5, 6]), np.array([1, -1]), -9).tolist()
        [6, -9]
    """
    if len(data) == 0:
        return np.full(len(record), missing, dtype=data.dtype)
    out: NDArray[Any] = np.where(record >= 0, data[np.maximum(record, 0)], missing).astype(
        data.dtype
    )
    return out


def _pick(out_rows: NDArray[np.intp], picked: NDArray[np.int32]) -> NDArray[np.int32]:
    """Map compact positions (-1 kept) back to table rows."""
    return gather(out_rows, picked, -1).astype(np.int32)


def _tie_order(
    candidates: NDArray[np.intp],
    student: NDArray[np.int32],
    begin: NDArray[np.int32],
    rank: NDArray[np.int64],
    length: NDArray[np.int64],
    code: NDArray[np.int32],
    rest: Callable[[NDArray[np.intp]], list[NDArray[np.int64]]],
) -> NDArray[np.intp]:
    """
    *candidates* in the tie rule's order: student, earliest begin, higher status, longer term,
    lower code, then the record's remaining fields (*rest*, at positions of the arrays).

    One ``np.argsort`` of (student, begin, status) packed into an ``int64`` (a lexsort when it
    does not fit); rows still tied on those three, a small minority, are re-sorted by the
    rest of the rule with ``np.lexsort``.
    """
    if len(candidates) == 0:
        return candidates
    s = student[candidates].astype(np.int64)
    b = begin[candidates].astype(np.int64)
    r = 4 - rank[candidates]
    s_bits = max(1, int(s.max()).bit_length())
    b_low = int(b.min())
    b_bits = max(1, (int(b.max()) - b_low).bit_length())
    if s_bits + b_bits + 3 <= 63:
        order = np.argsort((s << (b_bits + 3)) | ((b - b_low) << 3) | r)
    else:
        order = np.lexsort((r, b, s))

    def then(sub: NDArray[np.intp]) -> list[NDArray[Any]]:
        rows = candidates[sub]
        return [-length[rows], code[rows], *rest(rows)]

    out: NDArray[np.intp] = candidates[break_ties(order, [s, b, r], then)]
    return out


def measure(
    columns: CohortColumns,
    class_year: NDArray[np.int32],
    *,
    as_of: dt.date,
    windows: Windows,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
    student_level: bool = False,
    degree_kinds: NDArray[np.int8] | None = None,
    cache: dict[str, Any] | None = None,
) -> Measures:
    """
    Every per-student measure from one vectorised pass over the records.

    Args:
        columns: The cohort's columnar view.
        class_year: Each student's class (-1 without a graduation date).
        as_of: The report date.
        windows: The windows of the definitions.
        degree_titles: The degree-title table (one table for every engine).
        student_level: Ignore FERPA-blocked records (ARR, search); else count them (aggregates).
        degree_kinds: The kinds of every degree row, if already classified.
        cache: Shared by the aggregate and the student-level pass of the same cohort, windows
            and ``as_of``: the record arrays and the tie-rule sort are made once; the
            student-level pass only masks out the blocked records (the order is kept).
    """
    n = columns.n_students
    as_of_day = as_day("as_of", as_of)
    ys = windows.year_start
    grad = columns.students.data["hs_grad_date"]
    has_class = class_year >= 0
    # Per class: the academic year that holds as_of gives the years begun and over.
    a_now = int(year_of(np.array([as_of_day], dtype=np.int32), ys)[0])
    years_begun = np.where(has_class, a_now - class_year + 1, -1).astype(np.int32)
    years_over = np.where(has_class, a_now - class_year, -1).astype(np.int32)
    present = class_year[has_class]
    if len(present):
        span = range(int(present.min()), int(present.max()) + 1)
        fall_end = day_table(span, windows.fall_end)
        fall_start = day_table(span, ys)
        offset = np.where(has_class, class_year - span.start, 0)
        fall_over = has_class & (as_of_day > fall_end[offset])
    else:
        span = range(1)
        fall_end = fall_start = np.zeros(1, dtype=np.int64)
        fall_over = np.zeros(n, dtype=bool)
    n_years = max(
        2, windows.progress_years, windows.completion_years, int(years_begun.max(initial=0))
    )
    cache = {} if cache is None else cache
    enr, deg = columns.enrollments, columns.degrees

    # --- enrollments: record arrays over every counting term (blocked ones flagged) --------
    if "enrollments" not in cache:
        counting = counting_enrollments(columns) & (enr.data["begin_date"] != MISSING_DAY)
        rows = np.flatnonzero(counting)
        rs = columns.enrollment_student[rows]
        begin = enr.data["begin_date"][rows]
        end = enr.data["end_date"][rows]
        code = enr.data["college_code"][rows]
        r_class = class_year[rs]
        r_grad = grad[rs]
        r_has = r_class >= 0
        after = r_has & (begin >= r_grad)
        k = np.where(after, year_of(begin, ys) - r_class + 1, -1)
        r_offset = np.where(r_has, r_class - span.start, 0)
        in_fall = after & (begin >= fall_start[r_offset]) & (begin <= fall_end[r_offset])
        rank = _RANK_LUT[enr.data["enrollment_status"][rows].astype(np.intp) + 1]
        has_end = end != MISSING_DAY
        length = np.where(has_end, end.astype(np.int64) - begin, 0)
        enrollment_rest = remaining_keys(enr, _ENROLLMENT_RULE)
        order = _tie_order(
            np.flatnonzero(after),
            rs,
            begin,
            rank,
            length,
            code,
            lambda at: enrollment_rest(rows[at]),
        )
        blocked = _block_ranks(enr)[rows] != BLOCK_NONE
        dual_r = r_has & (begin < r_grad)
        cache["enrollment_rest"] = enrollment_rest
        cache["enrollments"] = (
            rows,
            rs,
            begin,
            end,
            code,
            after,
            k,
            in_fall,
            rank,
            has_end,
            order,
            blocked,
            dual_r,
        )
    rows, rs, begin, end, code, after, k, in_fall, rank, has_end, order, blocked, dual_r = cache[
        "enrollments"
    ]
    if student_level:
        keep = ~blocked
        after = after & keep
        in_fall = in_fall & keep
        order = order[keep[order]]
    else:
        keep = np.ones(len(rows), dtype=bool)
    enrolled = np.zeros((n, n_years + 1), dtype=bool)
    in_year = after & (k >= 1) & (k <= n_years)
    enrolled[rs[in_year], k[in_year]] = True
    fall = np.zeros(n, dtype=bool)
    fall[rs[in_fall]] = True
    first_record = _pick(rows, _first_of(order, rs, after, n))
    fall_record = _pick(rows, _first_of(order, rs, in_fall, n))
    y1 = after & (k == 1)
    y2 = after & (k == 2)
    year1_record = _pick(rows, _first_of(order, rs, y1, n))
    year2_record = _pick(rows, _first_of(order, rs, y2, n))

    # Retained: a year-2 enrollment at the institution of the year-1 college.
    year1_inst = gather(enr.data["college_code"] // 100, year1_record, -2)
    retained = np.zeros(n, dtype=bool)
    retained[rs[y2 & (code // 100 == year1_inst[rs])]] = True

    dual = np.zeros(n, dtype=bool)
    current_record = np.full(n, -1, dtype=np.int32)
    if student_level:
        dual[rs[dual_r & keep]] = True
        now = np.flatnonzero((begin <= as_of_day) & (end >= as_of_day) & has_end & keep)
        if len(now):
            # Latest begin, then higher status, then lower college code, then the rest.
            later = -begin.astype(np.int64)
            now_order = break_ties(
                now[_sort_order([rs[now], later[now], -rank[now], code[now]])],
                [rs, later, -rank, code],
                lambda at: cache["enrollment_rest"](rows[at]),
            )
            mask = np.zeros(len(rows), dtype=bool)
            mask[now] = True
            current_record = _pick(rows, _first_of(now_order, rs, mask, n))

    # --- degrees ---------------------------------------------------------------------------
    if "degrees" not in cache:
        kinds = degree_kinds if degree_kinds is not None else degree_kind_codes(deg, degree_titles)
        award_all = deg.data["award_date"]
        drows = np.flatnonzero((columns.degree_student >= 0) & (award_all != MISSING_DAY))
        ds = columns.degree_student[drows]
        award = award_all[drows]
        d_class = class_year[ds]
        d_after = (d_class >= 0) & (award >= grad[ds])
        d_kind = kinds[drows]
        d_year = np.where(d_after, np.maximum(year_of(award, ys) - d_class + 1, 0), -1)
        d_candidates = np.flatnonzero(d_after)
        d_code = _dense(deg.data["college_code"][drows])
        degree_rest = remaining_keys(deg, _DEGREE_RULE)
        d_order = break_ties(
            d_candidates[
                _sort_order([ds[d_candidates], award[d_candidates], d_code[d_candidates]])
            ],
            [ds, award, d_code],
            lambda at: degree_rest(drows[at]),
        )
        d_blocked = _block_ranks(deg)[drows] != BLOCK_NONE
        cache["degrees"] = (kinds, drows, ds, d_after, d_kind, d_year, d_order, d_blocked)
    kinds, drows, ds, d_after, d_kind, d_year, d_order, d_blocked = cache["degrees"]
    if student_level:
        d_after = d_after & ~d_blocked
        d_order = d_order[~d_blocked[d_order]]
    is_four = d_after & (d_kind == _FOUR)
    is_two = d_after & (d_kind == _TWO)
    first_degree = _first_of(d_order, ds, is_four | is_two, n)
    first_four = _first_of(d_order, ds, is_four, n)
    first_two = _first_of(d_order, ds, is_two, n)
    never = np.int32(1 << 20)

    def year_at(picked: NDArray[np.int32]) -> NDArray[np.int32]:
        return gather(d_year, picked, int(never)).astype(np.int32)

    credentials = np.full((n, 3), -1, dtype=np.int32)
    record_found = np.zeros(n, dtype=bool)
    if student_level:
        ordered = ds[d_order]
        starts = np.ones(len(ordered), dtype=bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        position = np.arange(len(ordered))
        run_start = (
            np.maximum.accumulate(np.where(starts, position, 0)) if len(ordered) else position
        )
        place = position - run_start
        first_three = place < 3
        credentials[ordered[first_three], place[first_three]] = drows[d_order[first_three]]
        e_any = (columns.enrollment_student >= 0) & (_block_ranks(enr) == BLOCK_NONE)
        d_any = (columns.degree_student >= 0) & (_block_ranks(deg) == BLOCK_NONE)
        record_found[columns.enrollment_student[e_any]] = True
        record_found[columns.degree_student[d_any]] = True

    return Measures(
        columns=columns,
        windows=windows,
        as_of=as_of,
        student_level=student_level,
        class_year=class_year,
        years_begun=years_begun,
        years_over=years_over,
        fall_over=fall_over,
        enrolled=enrolled,
        fall=fall,
        fall_record=fall_record,
        first_record=first_record,
        year1_record=year1_record,
        year2_record=year2_record,
        retained=retained,
        dual=dual,
        current_record=current_record,
        record_found=record_found,
        first_degree_year=year_at(first_degree),
        first_four_year=year_at(first_four),
        first_two_year=year_at(first_two),
        first_degree_record=_pick(drows, first_degree),
        credentials=credentials,
        degree_kinds=kinds,
    )
