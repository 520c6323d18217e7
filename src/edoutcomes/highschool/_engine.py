"""
The high-school engine: every per-student measure of the spec, vectorised over the columnar view.

One call of :func:`measure` makes a :class:`Measures`: per student, the college years with a
counting enrollment, the records the tie rule picks (fall, first, year-1, year-2 college,
current enrollment), the first degrees, the credentials. Aggregates use every record;
student-level output (the ARR, single-student search) uses a second pass over the records
without a FERPA block.

The work is in named steps, each passing a small frozen value to the next: the calendar of
the classes (:class:`_Calendar`), the enrollment pass (:class:`_Enrollments`: every
counting term's student, college year and tie-rule key, made once per cohort and shared by
both passes), the picks of one pass (:class:`_EnrollmentPicks`), the degree pass and its
picks, the student-level records. "First by the tie rule" needs no sort: the rule's keys
are packed into one ``int64`` per record, the least key of each student (or student and
college year) is one ``np.minimum.at``, and only records tied on the whole key are ranked
by their remaining fields.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import MISSING_DAY, NEW_YEAR, NO_DAY, checked_day, year_starts, years_of
from .._kernel._degrees import degree_kind_codes
from .._kernel._groups import BLOCK_NONE, run_places, run_starts
from .._kernel._groups import block_ranks as _block_ranks
from .._kernel._groups import sort_order as _sort_order
from .._kernel._ties import break_ties, remaining_keys
from ..model import (
    DEGREE_TITLES,
    CohortColumns,
    CollegeType,
    DegreeKind,
    DegreeTitleTable,
    EnrollmentStatus,
)
from ._windows import Windows, year_of

__all__ = [
    "COUNTING_COLLEGE_TYPES",
    "COUNTING_STATUSES",
    "NO_DAY",
    "Measures",
    "Passes",
    "Progress",
    "counting_enrollments",
    "gather",
    "measure",
]

COUNTING_STATUSES: frozenset[EnrollmentStatus] = frozenset(
    s for s in EnrollmentStatus if s.is_enrolled
)
"""
Statuses of a counting enrollment (blank = withheld counts; a missing status reads as blank).

Examples:
    >>> EnrollmentStatus.WITHHELD in COUNTING_STATUSES, len(COUNTING_STATUSES)
    (True, 5)
"""
COUNTING_COLLEGE_TYPES: frozenset[CollegeType] = frozenset(
    {CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR}
)
"""
College types of a counting enrollment: here less-than-2-year colleges count too.

Examples:
    >>> CollegeType.LESS_THAN_TWO_YEAR in COUNTING_COLLEGE_TYPES
    True
    >>> CollegeType.UNKNOWN in COUNTING_COLLEGE_TYPES
    False
"""

#: The columns the enrollment tie rules use themselves, with the student key (the rest breaks
#: their ties).
_ENROLLMENT_RULE = ("requester_id", "begin_date", "enrollment_status", "college_code")
#: The columns the credential order uses itself.
_DEGREE_RULE = ("requester_id", "award_date", "college_code")

# Status rank of the tie rule: F > Q > H > L > blank (withheld or missing); as a sort key,
# 4 - rank (F first).
_STATUS_RANK = {
    EnrollmentStatus.FULL_TIME: 4,
    EnrollmentStatus.THREE_QUARTER_TIME: 3,
    EnrollmentStatus.HALF_TIME: 2,
    EnrollmentStatus.LESS_THAN_HALF_TIME: 1,
}
# Lookup tables by stored code + 1 (slot 0: missing).
_STATUSES = EnrollmentStatus.by_code()
_RANK_KEY_LUT = np.array([4, *(4 - _STATUS_RANK.get(s, 0) for s in _STATUSES)], np.int8)
_STATUS_LUT = np.array([True, *(s in COUNTING_STATUSES for s in _STATUSES)], dtype=bool)
_TYPE_LUT = np.array(
    [False, *(t in COUNTING_COLLEGE_TYPES for t in CollegeType.by_code())], dtype=bool
)
_FOUR = DegreeKind.FOUR_YEAR.code
_TWO = DegreeKind.TWO_YEAR.code
_NO_KEY = np.iinfo(np.int64).max
#: The pick group of each college year 0, 1, 2, 3 and later (see :class:`_Enrollments`).
_KIND_OF_YEAR = np.array([2, 0, 1, 2], dtype=np.int32)
#: College year of "no degree" (larger than any year).
_NEVER = 1 << 20


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


def _by_code(lut: NDArray[Any], codes: NDArray[np.integer[Any]]) -> NDArray[Any]:
    """
    ``lut[code + 1]`` of each code (-1, missing, reads ``lut[0]``), without a widened copy of
    the codes: ``int8`` codes index a 256-entry table through their ``uint8`` view.
    """
    if codes.dtype == np.int8:
        table = np.full(256, lut[0], dtype=lut.dtype)
        table[: len(lut) - 1] = lut[1:]
        out: NDArray[Any] = table[codes.view(np.uint8)]
        return out
    wide: NDArray[Any] = lut[codes.astype(np.intp) + 1]
    return wide


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
    out = _by_code(_STATUS_LUT, enr.data["enrollment_status"])
    out &= _by_code(_TYPE_LUT, enr.data["college_type"])
    out &= columns.enrollment_student >= 0
    return out


@frozen(eq=False)
class Measures:
    """
    Every per-student measure, from one pass over the records (see :func:`measure`).

    Record pointers are rows of ``columns.enrollments`` / ``columns.degrees`` (-1: none).
    Class-based measures of a student without a class year are meaningless (masked by
    ``class_year < 0``).

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> m = outcomes.measures
        >>> m.n_students, int(m.has_class.sum()), int(m.fall.sum()), int(m.in_year(1).sum())
        (40, 40, 20, 24)
        >>> [Progress(p).name for p in m.progress(1)[:3]]
        ['NOT_IN_COLLEGE_TO_DATE', 'NOT_IN_COLLEGE_TO_DATE', 'NEW_TO_COLLEGE']
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
    #: The record passes behind these measures (reused by the student-level ones).
    passes: Passes = field(repr=False)

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


# --- the tie rule without a sort -----------------------------------------------------------

Rest = Callable[[NDArray[np.integer[Any]]], list[NDArray[np.int64]]]


#: A key of a tie rule: its values at some table rows (None: at every row, a view if it can).
KeyAt = Callable[[NDArray[np.intp] | None], NDArray[Any]]


def _column(values: NDArray[Any]) -> KeyAt:
    """A key that is a column as it is."""

    def at(rows: NDArray[np.intp] | None) -> NDArray[Any]:
        return values if rows is None else values[rows]

    return at


@frozen(eq=False)
class _TieRule:
    """
    A tie rule: its keys, compared in turn (least first), then the records' remaining fields.

    :meth:`first` needs no sort: the least of the first key in each group is one
    ``np.minimum.at``, the other keys, packed into one ``int64``, are compared among the
    rows that reach it only; rows still tied (a small minority) are ranked by *rest*.
    """

    keys: tuple[KeyAt, ...]
    rest: Rest

    def first(
        self,
        group: NDArray[np.integer[Any]],
        n_groups: int,
        rows: NDArray[np.intp] | None = None,
    ) -> NDArray[np.int32]:
        """
        The first row by the rule in each group, -1 for an empty group. *group* gives each
        table row's group (*n_groups*: none); with *rows*, only those rows take part.
        """
        at = rows
        g = group if rows is None else group[rows]
        first, *more = self.keys
        hit = _least(g, first(at), n_groups)
        g, at = g[hit], (hit if at is None else at[hit])
        # The other keys at the rows that reach the least first key (a fraction of the
        # rows): packed into one when they fit, else compared in turn.
        later = [key_at(at) for key_at in more]
        for key in [_packed(later)] if _fits(later) else later:
            hit = _least(g, key, n_groups)
            g, at = g[hit], at[hit]
        won = np.arange(len(g)) if at is None else at
        inside = g < n_groups
        won, g = won[inside], g[inside]
        out = np.full(n_groups, -1, dtype=np.int32)
        out[g] = won
        clash = out[g] != won
        if clash.any():
            tied = np.zeros(n_groups, dtype=bool)
            tied[g[clash]] = True
            pending = tied[g]
            candidates, groups = won[pending], g[pending]
            order = np.lexsort((*reversed(self.rest(candidates)), groups))
            candidates, groups = candidates[order], groups[order]
            lead = run_starts([groups])
            out[groups[lead]] = candidates[lead]
        return out


def _least(group: NDArray[np.integer[Any]], key: NDArray[Any], n_groups: int) -> NDArray[np.intp]:
    """The positions whose *key* is the least of their group (group *n_groups* included)."""
    best = np.full(n_groups + 1, np.iinfo(key.dtype).max, dtype=key.dtype)
    np.minimum.at(best, group, key)
    return np.flatnonzero(key == best[group])


def _spans(keys: list[NDArray[Any]]) -> list[tuple[int, int]]:
    return [(int(k.min()), int(k.max())) if len(k) else (0, 0) for k in keys]


def _fits(keys: list[NDArray[Any]]) -> bool:
    """Whether the ranges of *keys* fit side by side in 62 bits."""
    return sum(max(1, (high - low).bit_length()) for low, high in _spans(keys)) <= 62


def _packed(keys: list[NDArray[Any]]) -> NDArray[np.int64]:
    """*keys* (most significant first) side by side in one ``int64`` (see :func:`_fits`)."""
    spans = _spans(keys)
    out = np.zeros(len(keys[0]), dtype=np.int64)
    for key, (low, high) in zip(keys, spans, strict=True):
        out <<= max(1, (high - low).bit_length())
        out += key
        out -= low
    return out


def _enrollment_rule(columns: CohortColumns) -> _TieRule:
    """Earliest begin, higher status, longer term, lower college code, then the rest."""
    enr = columns.enrollments
    begin, end = enr.data["begin_date"], enr.data["end_date"]
    status = enr.data["enrollment_status"]

    def rank(rows: NDArray[np.intp] | None) -> NDArray[np.int8]:
        return _by_code(_RANK_KEY_LUT, status if rows is None else status[rows])

    def shorter(rows: NDArray[np.intp] | None) -> NDArray[np.int32]:
        b, e = (begin, end) if rows is None else (begin[rows], end[rows])
        out: NDArray[np.int32] = np.where(e != MISSING_DAY, b - e, 0).astype(np.int32)
        return out

    keys = (_column(begin), rank, shorter, _column(enr.data["college_code"]))
    return _TieRule(keys, remaining_keys(enr, _ENROLLMENT_RULE))


# --- step 1: the calendar of the classes ---------------------------------------------------


@frozen(eq=False)
class _Calendar:
    """
    Each student's class and the windows' state on the report date.

    ``class_at`` and ``grad_at`` have one more slot, read by records without a student
    (index -1): class -1, and a graduation day no record reaches.
    """

    n_students: int
    as_of_day: int
    class_year: NDArray[np.int32]
    years_begun: NDArray[np.int32]
    years_over: NDArray[np.int32]
    fall_over: NDArray[np.bool_]
    n_years: int
    class_at: NDArray[np.int32]
    #: Graduation day of students with a class; no day (the largest) for the others.
    grad_at: NDArray[np.int32]

    @property
    def width(self) -> int:
        """College-year slots per student: 0 .. n_years, then one for every later year."""
        return self.n_years + 2


def _calendar(
    columns: CohortColumns, class_year: NDArray[np.int32], as_of: dt.date, windows: Windows
) -> _Calendar:
    n = columns.n_students
    as_of_day = checked_day("as_of", as_of)
    has_class = class_year >= 0
    # The academic year that holds as_of gives the years begun and over of each class.
    a_now = int(year_of(np.array([as_of_day], dtype=np.int32), windows.year_start)[0])
    years_begun = np.where(has_class, a_now - class_year + 1, -1).astype(np.int32)
    years_over = np.where(has_class, a_now - class_year, -1).astype(np.int32)
    present = class_year[has_class]
    fall_over = np.zeros(n, dtype=bool)
    if len(present):
        span = range(int(present.min()), int(present.max()) + 1)
        fall_end = year_starts(span, windows.fall_end)
        offset = np.where(has_class, class_year - span.start, 0)
        fall_over = has_class & (as_of_day > fall_end[offset])
    n_years = max(
        2, windows.progress_years, windows.completion_years, int(years_begun.max(initial=0))
    )
    class_at = np.append(class_year, np.int32(-1)).astype(np.int32)
    grad = columns.students.data["hs_grad_date"]
    grad_at = np.append(np.where(has_class, grad, NO_DAY), NO_DAY).astype(np.int32)
    return _Calendar(
        n, as_of_day, class_year, years_begun, years_over, fall_over, n_years, class_at, grad_at
    )


@frozen(eq=False)
class _Days:
    """Lookup tables over a span of day numbers: the college-year start's year, the fall window."""

    first: int
    year: NDArray[np.int32]
    in_fall: NDArray[np.bool_]

    @property
    def last(self) -> int:
        """The span's last day."""
        return self.first + len(self.year) - 1

    def at(self, days: NDArray[np.int32]) -> NDArray[np.intp]:
        """Each day's slot in the tables (days outside the span: some slot)."""
        offset: NDArray[np.intp] = days - np.int32(self.first)  # missing days wrap: clipped
        np.clip(offset, 0, len(self.year) - 1, out=offset)
        return offset


def _days(low: int, high: int, windows: Windows) -> _Days:
    """The tables over the days *low* .. *high* (one day if the span is empty)."""
    if high < low:
        low = high = 0
    span = np.arange(low, high + 1, dtype=np.int32)
    year = year_of(span, windows.year_start)
    calendar = years_of(span, NEW_YEAR)
    years = range(int(calendar[0]), int(calendar[-1]) + 1)
    starts = year_starts(years, windows.year_start)[calendar - years.start]
    ends = year_starts(years, windows.fall_end)[calendar - years.start]
    return _Days(low, year.astype(np.int32), (span >= starts) & (span <= ends))


# --- step 2: the enrollment pass (once per cohort) -----------------------------------------


@frozen(eq=False)
class _Enrollments:
    """
    Every enrollment row as the measures see it (arrays over the table's rows).

    Attributes:
        counting: A counting term (status, college type, student, begin date).
        after: Counting, of a student with a class, begun on or after graduation.
        year: College year ``k`` of the rows *after* (0: the summer before year 1), capped
            at ``n_years + 1``.
        slot: ``student * width + year`` for the rows *after*, ``n * width`` for the others.
        pick: ``student * 3 + j`` for the rows *after*, ``j`` 0 in college year 1, 1 in
            year 2, 2 in any other; ``n * 3`` for the others (the groups of the picks).
        in_fall: After, in the fall window of the class year.
        rule: The tie rule (earliest begin, higher status, longer term, lower college
            code, then the remaining fields).
    """

    counting: NDArray[np.bool_]
    after: NDArray[np.bool_]
    year: NDArray[np.int16]
    slot: NDArray[np.int32] | NDArray[np.int64]
    pick: NDArray[np.int32] | NDArray[np.int64]
    in_fall: NDArray[np.bool_]
    rule: _TieRule


def _enrollment_pass(columns: CohortColumns, cal: _Calendar, windows: Windows) -> _Enrollments:
    enr = columns.enrollments
    student = columns.enrollment_student
    begin = enr.data["begin_date"]
    counting = counting_enrollments(columns)
    counting &= begin != MISSING_DAY
    after = counting & (begin >= cal.grad_at[student])
    # A record after graduation begins on or after the first graduation day.
    days = _days(int(cal.grad_at.min()), int(begin.max(initial=0)), windows)
    at = days.at(begin)
    year = days.year[at]
    year -= cal.class_at[student]
    year += 1
    np.clip(year, 0, cal.n_years + 1, out=year)
    in_fall = after & (year == 1) & days.in_fall[at]
    del at
    n_slots = cal.n_students * cal.width
    dtype = np.int32 if n_slots < np.iinfo(np.int32).max else np.int64
    slot = np.multiply(student, cal.width, dtype=dtype)
    slot += year
    before = ~after
    slot[before] = n_slots
    pick = np.multiply(student, 3, dtype=dtype)
    pick += _KIND_OF_YEAR[np.minimum(year, 3)]
    pick[before] = cal.n_students * 3
    return _Enrollments(
        counting, after, year.astype(np.int16), slot, pick, in_fall, _enrollment_rule(columns)
    )


# --- step 3: the enrollment picks of one pass ----------------------------------------------


@frozen(eq=False)
class _EnrollmentPicks:
    """Per student: the college years enrolled and the records the tie rule picks (-1: none)."""

    enrolled: NDArray[np.bool_]
    fall: NDArray[np.bool_]
    fall_record: NDArray[np.int32]
    first_record: NDArray[np.int32]
    year1_record: NDArray[np.int32]
    year2_record: NDArray[np.int32]
    retained: NDArray[np.bool_]


def _pick_enrollments(
    columns: CohortColumns, cal: _Calendar, e: _Enrollments, keep: NDArray[np.bool_] | None
) -> _EnrollmentPicks:
    n, width = cal.n_students, cal.width
    student = columns.enrollment_student
    after = e.after if keep is None else e.after & keep
    slot = e.slot if keep is None else np.where(keep, e.slot, n * width)
    pick = e.pick if keep is None else np.where(keep, e.pick, n * 3)
    years = np.zeros(n * width + 1, dtype=bool)
    years[slot] = True
    enrolled = years[:-1].reshape(n, width)[:, : cal.n_years + 1].copy()
    enrolled[:, 0] = False  # the summer before year 1 is no college year
    # The first record of college year 1, of year 2 and of the others by the tie rule; the
    # first of all is the first of those three.
    by_year = e.rule.first(pick, n * 3).reshape(n, 3)
    leads = by_year.ravel()
    first_record = e.rule.first(student, n, leads[leads >= 0].astype(np.intp))
    fall_rows = np.flatnonzero(e.in_fall if keep is None else e.in_fall & keep)
    fall_record = e.rule.first(student, n, fall_rows)
    year1_record = np.ascontiguousarray(by_year[:, 0])
    # Retained: a year-2 enrollment at the institution of the year-1 college.
    code = columns.enrollments.data["college_code"]
    year1_inst = gather(code, year1_record, -200) // 100
    second = np.flatnonzero(after & (e.year == 2))
    s2 = student[second]
    retained = np.zeros(n, dtype=bool)
    retained[s2[code[second] // 100 == year1_inst[s2]]] = True
    return _EnrollmentPicks(
        enrolled=enrolled,
        fall=fall_record >= 0,
        fall_record=fall_record,
        first_record=first_record,
        year1_record=year1_record,
        year2_record=np.ascontiguousarray(by_year[:, 1]),
        retained=retained,
    )


# --- step 4: the degree pass and its picks -------------------------------------------------


@frozen(eq=False)
class _Degrees:
    """
    Every degree row as the measures see it.

    Attributes:
        kinds: The :class:`DegreeKind` code of every row.
        after: Of a student with a class, awarded on or after graduation.
        year: College year of the award (0 before year 1), for the rows *after*.
        rule: The credential order (earlier award, lower college code, then the remaining
            fields).
    """

    kinds: NDArray[np.int8]
    after: NDArray[np.bool_]
    year: NDArray[np.int32]
    rule: _TieRule


def _degree_pass(
    columns: CohortColumns,
    cal: _Calendar,
    windows: Windows,
    degree_titles: DegreeTitleTable,
    kinds: NDArray[np.int8] | None,
) -> _Degrees:
    deg = columns.degrees
    student = columns.degree_student
    award = deg.data["award_date"]
    after = (student >= 0) & (award != MISSING_DAY) & (award >= cal.grad_at[student])
    days = _days(int(cal.grad_at.min()), int(award.max(initial=0)), windows)
    year = days.year[days.at(award)] - cal.class_at[student] + 1
    np.maximum(year, 0, out=year)
    rule = _TieRule(
        (_column(award), _column(deg.data["college_code"])), remaining_keys(deg, _DEGREE_RULE)
    )
    return _Degrees(
        kinds if kinds is not None else degree_kind_codes(deg, degree_titles),
        after,
        year.astype(np.int32),
        rule,
    )


@frozen(eq=False)
class _DegreePicks:
    """Per student: the first degree, 4-year and 2-year degree (rows, -1: none) and their years."""

    first_degree_record: NDArray[np.int32]
    first_degree_year: NDArray[np.int32]
    first_four_year: NDArray[np.int32]
    first_two_year: NDArray[np.int32]


def _pick_degrees(
    columns: CohortColumns, cal: _Calendar, d: _Degrees, keep: NDArray[np.bool_] | None
) -> _DegreePicks:
    n = cal.n_students
    student = columns.degree_student
    after = d.after if keep is None else d.after & keep
    four = after & (d.kinds == _FOUR)
    two = after & (d.kinds == _TWO)

    def first(mask: NDArray[np.bool_]) -> NDArray[np.int32]:
        return d.rule.first(student, n, np.flatnonzero(mask))

    def year_at(record: NDArray[np.int32]) -> NDArray[np.int32]:
        return gather(d.year, record, _NEVER).astype(np.int32)

    first_degree = first(four | two)
    return _DegreePicks(
        first_degree_record=first_degree,
        first_degree_year=year_at(first_degree),
        first_four_year=year_at(first(four)),
        first_two_year=year_at(first(two)),
    )


# --- step 5: what only student-level output shows ------------------------------------------


@frozen(eq=False)
class _StudentRecords:
    """Dual enrollment, the current enrollment, the first three credentials, a record found."""

    dual: NDArray[np.bool_]
    current_record: NDArray[np.int32]
    credentials: NDArray[np.int32]
    record_found: NDArray[np.bool_]


def _student_records(
    columns: CohortColumns,
    cal: _Calendar,
    e: _Enrollments,
    d: _Degrees,
    keep: NDArray[np.bool_],
    d_keep: NDArray[np.bool_],
) -> _StudentRecords:
    n = cal.n_students
    enr = columns.enrollments
    student = columns.enrollment_student
    begin, end = enr.data["begin_date"], enr.data["end_date"]
    counting = e.counting & keep
    dual = np.zeros(n, dtype=bool)
    before = counting & (cal.class_at[student] >= 0) & (begin < cal.grad_at[student])
    dual[student[before]] = True
    # Current: a term around as_of; latest begin, then higher status, lower college code.
    now = counting & (end != MISSING_DAY) & (begin <= cal.as_of_day) & (end >= cal.as_of_day)

    def later(rows: NDArray[np.intp] | None) -> NDArray[np.int64]:
        out: NDArray[np.int64] = np.negative(begin if rows is None else begin[rows], dtype=np.int64)
        return out

    _, rank, _, code = e.rule.keys
    current = _TieRule((later, rank, code), e.rule.rest)
    current_record = current.first(student, n, np.flatnonzero(now))
    credentials = _credentials(columns, n, d, d_keep)
    record_found = np.zeros(n, dtype=bool)
    record_found[student[(student >= 0) & keep]] = True
    degree_student = columns.degree_student
    record_found[degree_student[(degree_student >= 0) & d_keep]] = True
    return _StudentRecords(dual, current_record, credentials, record_found)


def _credentials(
    columns: CohortColumns, n: int, d: _Degrees, keep: NDArray[np.bool_]
) -> NDArray[np.int32]:
    """The first three degrees after high school of each student, in the credential order."""
    student = columns.degree_student
    award, code = (key(None) for key in d.rule.keys)
    rows = np.flatnonzero(d.after & keep)
    by = [student, award, code]
    order = break_ties(rows[_sort_order([key[rows] for key in by])], by, d.rule.rest)
    ordered = student[order]
    place = run_places(run_starts([ordered]))
    first_three = place < 3
    out = np.full((n, 3), -1, dtype=np.int32)
    out[ordered[first_three], place[first_three]] = order[first_three]
    return out


# --- the measures --------------------------------------------------------------------------


@frozen(eq=False)
class Passes:
    """The record passes of one cohort, windows and ``as_of``, shared by the aggregate and the student-level measures."""

    calendar: _Calendar
    enrollments: _Enrollments
    degrees: _Degrees


def measure(
    columns: CohortColumns,
    class_year: NDArray[np.int32],
    *,
    as_of: dt.date,
    windows: Windows,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
    student_level: bool = False,
    passes: Passes | None = None,
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
        passes: The record passes of an earlier call on the same cohort, windows and
            ``as_of`` (the student-level measures reuse the aggregate ones': they only mask
            out the blocked records).
    """
    if passes is None:
        cal = _calendar(columns, class_year, as_of, windows)
        passes = Passes(
            cal,
            _enrollment_pass(columns, cal, windows),
            _degree_pass(columns, cal, windows, degree_titles, None),
        )
    cal, e, d = passes.calendar, passes.enrollments, passes.degrees
    n = cal.n_students
    keep = d_keep = None
    if student_level:
        keep = _block_ranks(columns.enrollments) == BLOCK_NONE
        d_keep = _block_ranks(columns.degrees) == BLOCK_NONE
    picks = _pick_enrollments(columns, cal, e, keep)
    degrees = _pick_degrees(columns, cal, d, d_keep)
    if keep is not None and d_keep is not None:
        extra = _student_records(columns, cal, e, d, keep, d_keep)
    else:
        extra = _StudentRecords(
            np.zeros(n, dtype=bool),
            np.full(n, -1, dtype=np.int32),
            np.full((n, 3), -1, dtype=np.int32),
            np.zeros(n, dtype=bool),
        )
    return Measures(
        columns=columns,
        windows=windows,
        as_of=as_of,
        student_level=student_level,
        class_year=class_year,
        years_begun=cal.years_begun,
        years_over=cal.years_over,
        fall_over=cal.fall_over,
        enrolled=picks.enrolled,
        fall=picks.fall,
        fall_record=picks.fall_record,
        first_record=picks.first_record,
        year1_record=picks.year1_record,
        year2_record=picks.year2_record,
        retained=picks.retained,
        dual=extra.dual,
        current_record=extra.current_record,
        record_found=extra.record_found,
        first_degree_year=degrees.first_degree_year,
        first_four_year=degrees.first_four_year,
        first_two_year=degrees.first_two_year,
        first_degree_record=degrees.first_degree_record,
        credentials=extra.credentials,
        degree_kinds=d.kinds,
        passes=passes,
    )
