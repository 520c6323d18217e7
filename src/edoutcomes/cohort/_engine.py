"""
The cohort-query engine: vectorised numpy over the columnar view, no loop over records.

One pass over the records builds a :class:`QueryState` (each student's best outcome per
year, the year of their first 4-year and 2-year degree, the control-report flags);
:func:`aggregate` then counts any grouping of the students from it with ``np.bincount``,
so a subgroup report costs one more bincount per year, not another pass over the records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import MISSING_DAY, NO_DAY
from .._kernel._days import day as day_number
from .._kernel._degrees import degree_kind_codes
from .._kernel._groups import (
    BLOCK_NONE,
    BLOCK_SCHOOL,
    BLOCK_STUDENT,
    block_ranks,
    run_lengths,
    run_places,
    run_starts,
    sort_order,
)
from ..model import (
    DEGREE_TITLES,
    CohortColumns,
    DegreeTitleTable,
    Institution,
)
from ._outcomes import (
    NO_OUTCOME,
    Outcome,
    degree_priorities,
    enrollment_priorities,
    is_yours,
)
from ._years import AcademicYear, year_index

__all__ = [
    "QueryState",
    "aggregate",
    "detail_order",
    "run",
    "success_categories",
]


_NO_YEAR = np.int16(np.iinfo(np.int16).max)


@frozen(eq=False)
class QueryState:
    """
    What the reports need, per student, from one pass over the records.

    Attributes:
        columns: The cohort's columnar view (the detail report reads its rows from it).
        search_date: The search date ``S``.
        years: The report's academic years.
        institution: The submitting institution.
        degree_titles: The degree-title table in use.
        best: ``int8`` (n_years, n_students): each student's best outcome per year after
            the 4-year-degree terminal rule; :data:`NO_OUTCOME` where nothing counts.
        first_two_year: ``int16`` year of each student's first counted 2-year degree
            (``int16`` max when none).
        first_two_yours: Whether that first 2-year degree is from the submitting
            institution (it wins a same-date tie).
        found: Students with at least one record dated after ``S``.
        block: Block rank (:data:`BLOCK_NONE`, ``_STUDENT``, ``_SCHOOL``) of each found
            student's first record after ``S``.
        detail: Students with at least one unblocked record after ``S``.
        degree_kinds: Each degree's kind code (by the degree-title table): the warnings
            about unknown titles are collected from it.
        cache: Results computed on first use (the detail order, success categories).
    """

    columns: CohortColumns
    search_date: dt.date
    years: tuple[AcademicYear, ...]
    institution: Institution
    degree_titles: DegreeTitleTable
    best: NDArray[np.int8]
    first_two_year: NDArray[np.int16]
    first_two_yours: NDArray[np.bool_]
    found: NDArray[np.bool_]
    block: NDArray[np.int8]
    detail: NDArray[np.bool_]
    degree_kinds: NDArray[np.int8]
    cache: dict[object, Any] = field(factory=dict, repr=False)

    @property
    def n_students(self) -> int:
        """Number of submitted students."""
        return self.columns.n_students

    @property
    def n_years(self) -> int:
        """Number of report columns."""
        return len(self.years)


def _native(array: NDArray[Any]) -> NDArray[Any]:
    """
    The same array viewed with numpy's own instance of its dtype.

    An array that went through pickle carries an equal but distinct dtype object, and
    ``np.minimum.at`` then leaves its fast path for one 20 times slower (numpy 2.4);
    a view costs nothing.
    """
    return array.view(array.dtype.type)


@frozen(eq=False)
class _Counting:
    """Every record of one table with its student, year and priority (NO_OUTCOME if not counted)."""

    student: NDArray[np.int32]
    year: NDArray[np.int16]
    priority: NDArray[np.int8]
    day: NDArray[np.int32]


def _enrollments(state_like: tuple[CohortColumns, dt.date, int, Institution]) -> _Counting:
    columns, search_date, n_years, institution = state_like
    enr = columns.enrollments
    student = _native(columns.enrollment_student)
    end = _native(enr.data["end_date"])
    year = year_index(end, search_date, n_years)
    priority = enrollment_priorities(enr, is_yours(enr.data["college_code"], institution))
    # Outside every year, or an orphan: not counted (a priority no minimum ever picks).
    priority[(year < 0) | (student < 0)] = NO_OUTCOME
    return _Counting(student, year, priority, end)


def _degrees(
    state_like: tuple[CohortColumns, dt.date, int, Institution], degree_titles: DegreeTitleTable
) -> tuple[_Counting, NDArray[np.int8]]:
    columns, search_date, n_years, institution = state_like
    deg = columns.degrees
    student = _native(columns.degree_student)
    day = _native(deg.data["award_date"])
    year = year_index(day, search_date, n_years)
    kinds = degree_kind_codes(deg, degree_titles)
    priority = degree_priorities(kinds, is_yours(deg.data["college_code"], institution))
    priority[(year < 0) | (student < 0)] = NO_OUTCOME
    return _Counting(student, year, priority, day), kinds


def _cell_keys(counting: _Counting, n: int) -> NDArray[np.signedinteger[Any]]:
    # Year-major cells: one row n + 2 wide per year, plus one spare row at the end. An
    # orphan (student -1) lands in a spare slot at the end of the row before; a day outside
    # the years (year -1) wraps into the spare row. Such records also carry NO_OUTCOME.
    width = n + 2
    small = width * (int(counting.year.max(initial=0)) + 2) < 2**31
    keys: NDArray[np.signedinteger[Any]] = counting.year.astype(np.int32 if small else np.int64)
    keys *= width
    keys += counting.student
    return keys


def run(
    columns: CohortColumns,
    *,
    search_date: dt.date,
    years: tuple[AcademicYear, ...],
    institution: Institution,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
) -> QueryState:
    """One vectorised pass over the cohort's records; see :class:`QueryState`."""
    n = columns.n_students
    n_years = len(years)
    context = (columns, search_date, n_years, institution)
    enrollments = _enrollments(context)
    degrees, kinds = _degrees(context, degree_titles)

    # Each student's best (lowest) priority per year: a scatter-minimum over all records.
    cells = np.full((n_years + 1) * (n + 2), NO_OUTCOME, dtype=np.int8)
    np.minimum.at(cells, _cell_keys(enrollments, n), enrollments.priority)
    np.minimum.at(cells, _cell_keys(degrees, n), degrees.priority)
    best = cells.reshape(n_years + 1, n + 2)[:n_years, :n]

    # A 4-year degree is terminal: nothing counts in the years after the first one.
    counted = degrees.priority < NO_OUTCOME
    ds, dy, dp, dd = (
        degrees.student[counted],
        degrees.year[counted],
        degrees.priority[counted],
        degrees.day[counted],
    )
    four = dp <= Outcome.FOUR_YEAR_DEGREE_OTHER
    first_four = np.full(n, _NO_YEAR, dtype=np.int16)
    np.minimum.at(first_four, ds[four], dy[four])
    for k in range(1, n_years):
        best[k][first_four < k] = NO_OUTCOME

    # The first counted 2-year degree, and whether the submitting institution awarded it.
    two = ~four
    first_two_day = np.full(n, NO_DAY, dtype=np.int32)
    np.minimum.at(first_two_day, ds[two], dd[two])
    first_two_yours = np.zeros(n, dtype=bool)
    on_first = two & (dd == first_two_day[ds]) & (dp == Outcome.TWO_YEAR_DEGREE_SUBMITTING)
    first_two_yours[ds[on_first]] = True
    first_two_year = np.full(n, _NO_YEAR, dtype=np.int16)
    np.minimum.at(first_two_year, ds[two], dy[two])

    found, block, detail = _control_flags(columns, day_number(search_date))
    return QueryState(
        columns=columns,
        search_date=search_date,
        years=years,
        institution=institution,
        degree_titles=degree_titles,
        best=best,
        first_two_year=first_two_year,
        first_two_yours=first_two_yours,
        found=found,
        block=block,
        detail=detail,
        degree_kinds=kinds,
    )


def _after(
    columns: CohortColumns, s_day: int
) -> tuple[NDArray[np.bool_], NDArray[np.int8], NDArray[np.bool_], NDArray[np.int8]]:
    """Which records are dated after S (end date, award date), and each record's block rank."""
    e_after = columns.enrollments.data["end_date"] > s_day
    d_after = columns.degrees.data["award_date"] > s_day
    return e_after, block_ranks(columns.enrollments), d_after, block_ranks(columns.degrees)


def _first_day(columns: CohortColumns) -> NDArray[np.int32]:
    # "First" orders enrollments by term begin date (their end date when it is missing).
    enr = columns.enrollments
    begin = _native(enr.data["begin_date"])
    missing = begin == MISSING_DAY
    if not missing.any():
        return begin
    out: NDArray[np.int32] = np.where(missing, enr.data["end_date"], begin)
    return out


def _control_flags(
    columns: CohortColumns, s_day: int
) -> tuple[NDArray[np.bool_], NDArray[np.int8], NDArray[np.bool_]]:
    """Found, first-record block rank and detail-level flag of each student."""
    n = columns.n_students
    e_after, e_rank, d_after, d_rank = _after(columns, s_day)
    # One key per record: day first, then the higher block rank, so that a single
    # scatter-minimum finds each student's first record after S with the tie rule applied.
    # Slot n collects orphans (-1 wraps to it).
    first = np.full(n + 1, NO_DAY, dtype=np.int32)
    for student, day, after, rank in (
        (columns.enrollment_student, _first_day(columns), e_after, e_rank),
        (columns.degree_student, _native(columns.degrees.data["award_date"]), d_after, d_rank),
    ):
        student = _native(student)
        key = day - np.int32(s_day)
        key <<= 2
        key += np.int8(BLOCK_SCHOOL + 1) - rank
        key[~after] = NO_DAY
        np.minimum.at(first, student, key)
    first = first[:n]
    found = first < NO_DAY
    block = (np.int8(BLOCK_SCHOOL + 1) - (first & 3)).astype(np.int8)
    block[~found] = BLOCK_NONE

    # At detail level: found, unless every record after S is blocked. Only students with
    # a blocked record after S can fail that, and they are few, so only their records are
    # looked at again (much cheaper than a scatter of every unblocked record).
    records = (
        (_native(columns.enrollment_student), e_after, e_rank),
        (_native(columns.degree_student), d_after, d_rank),
    )
    suspect = np.zeros(n + 1, dtype=bool)
    for student, after, rank in records:
        suspect[student[after & (rank != BLOCK_NONE)]] = True
    detail = found.copy()
    if suspect[:n].any():
        shown = np.zeros(n + 1, dtype=bool)
        for student, after, rank in records:
            shown[student[suspect[student] & after & (rank == BLOCK_NONE)]] = True
        detail &= ~suspect[:n] | shown[:n]
    return found, block, detail


def aggregate(
    state: QueryState, groups: NDArray[np.intp], n_groups: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """
    Count the four tables and the control report for each group of students.

    Args:
        state: The engine's pass over the cohort.
        groups: Each student's group, 0 .. n_groups-1, or -1 for a student in no group.
        n_groups: The number of groups.

    Returns:
        ``tables``: int64 (n_groups, 4, 7, n_years): Tables 1, 2, 2A, 2B, rows in priority
        order (row ``p - 1`` is priority ``p``). ``control``: int64 (n_groups, 5): total,
        found, blocked by school, blocked by student, detail level.
    """
    n_years = state.n_years
    # Students in no group go to an extra group that is dropped at the end.
    g = np.where(groups < 0, n_groups, groups).astype(np.intp)
    width = n_groups + 1
    slots = NO_OUTCOME + 1
    # Per student and year, one small number: table class * slots + outcome, where the
    # class is 0 (Table 1 only), 1 (Tables 2 and 2A) or 2 (Tables 2 and 2B); it fits int8.
    two_class = np.where(state.first_two_yours, np.int8(slots), np.int8(2 * slots))
    offset = None if (g == 0).all() else g * (3 * slots)
    tables = np.zeros((width, 4, 7, n_years), dtype=np.int64)
    for k in range(n_years):
        key = np.where(state.first_two_year < k, two_class, np.int8(0))
        key += state.best[k]
        counts = np.bincount(key if offset is None else offset + key, minlength=width * 3 * slots)
        by_class = counts.reshape(width, 3, slots)[:, :, 1:NO_OUTCOME]
        tables[:, 0, :, k] = by_class.sum(axis=1)
        tables[:, 2, :, k] = by_class[:, 1]
        tables[:, 3, :, k] = by_class[:, 2]
    tables[:, 1] = tables[:, 2] + tables[:, 3]

    control = np.zeros((width, 5), dtype=np.int64)
    control[:, 0] = np.bincount(g, minlength=width)
    control[:, 1] = np.bincount(g[state.found], minlength=width)
    control[:, 2] = np.bincount(g[state.found & (state.block == BLOCK_SCHOOL)], minlength=width)
    control[:, 3] = np.bincount(g[state.found & (state.block == BLOCK_STUDENT)], minlength=width)
    control[:, 4] = np.bincount(g[state.detail], minlength=width)
    return tables[:n_groups], control[:n_groups]


def success_categories(state: QueryState, horizon: int, *, any_degree: bool) -> NDArray[np.int8]:
    """
    Each student's success-and-progress category (1-5) at *horizon* years.

    1 graduated from the submitting institution by the end of year ``horizon``, 2 from
    another, 3 enrolled at the submitting institution in that year, 4 enrolled elsewhere,
    5 unknown. The first graduating degree decides between 1 and 2 (submitting wins a tie).
    """
    n = state.n_students
    last = horizon - 1
    context = (state.columns, state.search_date, state.n_years, state.institution)
    degrees, _ = _degrees(context, state.degree_titles)
    worst = Outcome.TWO_YEAR_DEGREE_OTHER if any_degree else Outcome.FOUR_YEAR_DEGREE_OTHER
    graduating = (degrees.priority <= worst) & (degrees.year <= last)
    ds, dd, dp = degrees.student[graduating], degrees.day[graduating], degrees.priority[graduating]
    first_day = np.full(n, NO_DAY, dtype=np.int32)
    np.minimum.at(first_day, ds, dd)
    yours_first = np.zeros(n, dtype=bool)
    # Priorities 1 and 3 are the submitting institution's degrees.
    yours_first[ds[(dd == first_day[ds]) & (dp % 2 == 1)]] = True

    enrollments = _enrollments(context)
    in_year = (enrollments.year == last) & (enrollments.priority < NO_OUTCOME)
    es, ep = enrollments.student[in_year], enrollments.priority[in_year]
    enrolled_yours = np.zeros(n, dtype=bool)
    enrolled_yours[es[ep == Outcome.RETAINED_SUBMITTING]] = True
    enrolled_other = np.zeros(n, dtype=bool)
    enrolled_other[es[ep != Outcome.RETAINED_SUBMITTING]] = True

    graduated = first_day < NO_DAY
    return np.select(
        [graduated & yours_first, graduated, enrolled_yours, enrolled_other],
        [1, 2, 3, 4],
        5,
    ).astype(np.int8)


def detail_order(state: QueryState) -> tuple[NDArray[Any], ...]:
    """
    The detail report's rows, in order: one per shown record, one ``N`` row per student without.

    Returns:
        ``(student, table, record, sequence)``: the student row; 0 for an enrollment,
        1 for a degree, -1 for a Record Found = N row; the record's row in its table
        (-1 for N rows); its College Sequence (0 for N rows).
    """
    columns = state.columns
    enr, deg = columns.enrollments, columns.degrees
    e_after, e_rank, d_after, d_rank = _after(columns, day_number(state.search_date))
    e_rows = np.flatnonzero(e_after & (e_rank == BLOCK_NONE) & (columns.enrollment_student >= 0))
    d_rows = np.flatnonzero(d_after & (d_rank == BLOCK_NONE) & (columns.degree_student >= 0))
    student = np.concatenate(
        [columns.enrollment_student[e_rows], columns.degree_student[d_rows]]
    ).astype(np.int32)
    table = np.concatenate([np.zeros(len(e_rows), np.int8), np.ones(len(d_rows), np.int8)])
    record = np.concatenate([e_rows, d_rows]).astype(np.int32)
    college = np.concatenate([enr.data["college_code"][e_rows], deg.data["college_code"][d_rows]])
    day = np.concatenate([_first_day(columns)[e_rows], deg.data["award_date"][d_rows]])
    day2 = np.concatenate([enr.data["end_date"][e_rows], deg.data["award_date"][d_rows]])

    sequence = _college_sequence(student, college, day)
    order = sort_order([student, sequence, table, day, day2])
    student, table, record, sequence = (
        student[order],
        table[order],
        record[order],
        sequence[order],
    )

    # Students with no row to show get one Record Found = N row, in request order: each
    # student's rows start after the rows and the N rows of every earlier student.
    n = state.n_students
    rows_of = np.bincount(student, minlength=n)
    missing = rows_of == 0
    start = np.cumsum(rows_of + missing) - (rows_of + missing)
    total = len(student) + int(missing.sum())
    out_student = np.empty(total, dtype=np.int32)
    out_table = np.full(total, -1, dtype=np.int8)
    out_record = np.full(total, -1, dtype=np.int32)
    out_sequence = np.zeros(total, dtype=np.int16)
    # A row's place: its student's start, plus its position among that student's rows.
    first_row = np.cumsum(rows_of) - rows_of
    at = start[student] + (np.arange(len(student)) - first_row[student])
    out_student[at], out_table[at], out_record[at], out_sequence[at] = (
        student,
        table,
        record,
        sequence,
    )
    lonely = np.flatnonzero(missing)
    out_student[start[lonely]] = lonely
    return out_student, out_table, out_record, out_sequence


def _college_sequence(
    student: NDArray[np.int32], college: NDArray[np.int32], day: NDArray[np.int32]
) -> NDArray[np.int16]:
    """Each row's College Sequence: colleges numbered by the student's earliest day there."""
    if len(student) == 0:
        return np.empty(0, dtype=np.int16)
    order = sort_order([student, college, day])
    s, c, d = student[order], college[order], day[order]
    new_group = run_starts([s, c])
    sizes = run_lengths(new_group)
    g_student, g_college, g_earliest = s[new_group], c[new_group], d[new_group]
    # Rank each (student, college) group within its student by earliest day, then code.
    g_order = sort_order([g_student, g_earliest, g_college])
    rank = np.empty(len(g_order), dtype=np.int16)
    rank[g_order] = run_places(run_starts([g_student[g_order]])) + 1
    out = np.empty(len(student), dtype=np.int16)
    out[order] = np.repeat(rank, sizes)
    return out
