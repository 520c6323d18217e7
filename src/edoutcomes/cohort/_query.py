"""
The cohort query as an object: partials per partition of students, combined exactly.

Every aggregate of the cohort query is a sum over students, so a cohort split by
student (each student with all of their records) gives partials whose sum is the whole:
:meth:`CohortQuery.partial` counts one partition, :meth:`CohortQuery.combine` adds the
counts, merges the warnings by global row and puts the detail rows in global request order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import evolve, field, frozen
from numpy.typing import NDArray

from .._kernel._days import check_date
from .._kernel._findings import Finding
from .._kernel._groups import subset_mask
from .._kernel._rows import cohort_columns_of_arrow, partition_rows
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, Cohort, CohortColumns, DegreeTitleTable, Institution
from . import _engine
from ._outcomes import institution_of
from ._result import (
    CohortQueryResult,
    ControlReport,
    DetailReport,
    OutcomeTable,
    _columns_and_institution,
    prepare,
    reports,
)
from ._subgroups import _factorise_array, _factorise_column, _sort_key, group_codes
from ._success import SuccessCategory, SuccessProgress, category_counts, check_horizon
from ._warnings import WarningRows, collect, merge, render
from ._years import AcademicYear, academic_years

__all__ = ["CohortPartial", "CohortQuery", "CombinedCohortResult", "GroupCounts"]


@frozen(eq=False)
class GroupCounts:
    """
    One partition's counts for each value of a student column (``CohortQuery(by=...)``).

    Attributes:
        values: The values the partition's students have (None for a missing value).
        tables: int64 (n_groups, 4, 7, n_years), as :attr:`CohortPartial.tables` per group.
        control: int64 (n_groups, 5).
        success: int64 (n_groups, 2, n_years, 5), as :attr:`CohortPartial.success` per group
            (None for a query with ``success=False``).
        detail_groups: Each detail row's group (an index into *values*), or None.
    """

    values: tuple[Any, ...]
    tables: NDArray[np.int64] = field(repr=False)
    control: NDArray[np.int64] = field(repr=False)
    success: NDArray[np.int64] | None = field(repr=False)
    detail_groups: NDArray[np.intp] | None = field(default=None, repr=False)


@frozen(eq=False)
class CohortPartial:
    """
    One partition's share of a cohort query: counts, warning rows, detail rows.

    Attributes:
        tables: int64 (4, 7, n_years): Tables 1, 2, 2A, 2B, rows in priority order.
        control: int64 (5,): total, found, blocked by school, blocked by student, detail level.
        warnings: Each kind of warning's first rows (global numbers) and total.
        detail: The partition's detail rows (a ``pyarrow.Table``), or None when not asked for.
        detail_keys: The global request position of each detail row's student.
        success: int64 (2, n_years, 5): students per success category at each horizon
            known on the report date (zeros for the others), graduating by a 4-year degree
            (index 0) or any degree (1); None for a query with ``success=False``.
        groups: The counts by the query's ``by`` column, or None.

    Examples:
        >>> from edoutcomes.model import Student
        >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
        ...                     as_of=dt.date(2002, 6, 1))
        >>> part = query.partial(CohortColumns.from_records([Student("1"), Student("2")]),
        ...                      student_rows=[7, 8])
        >>> part.control.tolist(), part.tables.shape, part.detail_keys.tolist()
        ([2, 0, 0, 0, 0], (4, 7, 1), [7, 8])
    """

    tables: NDArray[np.int64] = field(repr=False)
    control: NDArray[np.int64]
    warnings: tuple[WarningRows, ...] = field(repr=False)
    detail: Any = field(default=None, repr=False)
    detail_keys: NDArray[np.int64] | None = field(default=None, repr=False)
    success: NDArray[np.int64] | None = field(default=None, repr=False)
    groups: GroupCounts | None = field(default=None, repr=False)


@frozen(eq=False)
class CombinedCohortResult:
    """
    The cohort query combined from partials: the same reports as :class:`CohortQueryResult`.

    Attributes:
        search_date: The cohort's search date.
        as_of: The report date.
        institution: The submitting institution.
        years: The academic years (the tables' columns).
        control: The :class:`ControlReport`.
        table1: Table 1; ``table2``, ``table2a``, ``table2b`` likewise.
        findings: Warnings about the input, rows numbered as in the whole input.
        detail: The detail report as a ``pyarrow.Table`` in request order (the columns of
            ``CohortQueryResult.detail.to_arrow()``), or None when not asked for.
        groups: For a query ``by`` a student column, each value's result (its students'
            counts, success and detail rows; the findings of the whole query), in sorted
            order with None last, as :func:`cohort_query_by` gives them; else empty.

    Examples:
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> synthetic = synthetic_cohort(30, seed=1)
        >>> query = CohortQuery(search_date=synthetic.search_date,
        ...                     institution=synthetic.institution, as_of=synthetic.as_of)
        >>> combined = query.combine([query.partial(synthetic.columns)])
        >>> whole = cohort_query(synthetic.columns, search_date=synthetic.search_date,
        ...                      institution=synthetic.institution, as_of=synthetic.as_of)
        >>> combined.control == whole.control, combined.detail.num_rows
        (True, 259)
        >>> combined.success(horizon=4) == whole.success(horizon=4)
        True
    """

    search_date: dt.date
    as_of: dt.date
    institution: Institution
    years: tuple[AcademicYear, ...]
    control: ControlReport
    table1: OutcomeTable
    table2: OutcomeTable
    table2a: OutcomeTable
    table2b: OutcomeTable
    findings: tuple[Finding, ...]
    detail: Any = field(default=None, repr=False)
    groups: dict[Any, CombinedCohortResult] = field(factory=dict, repr=False)
    _success: NDArray[np.int64] | None = field(default=None, repr=False, alias="success_counts")

    def success(self, horizon: int = 6, *, any_degree: bool = False) -> SuccessProgress:
        """
        Success and progress at *horizon* years, as :meth:`CohortQueryResult.success` gives it.

        Raises:
            InvalidArgumentError: If *horizon* is not 1 or more, or the partials carry no
                success counts.
            NotYetAvailableError: Until the report date is past year *horizon*'s end.
        """
        check_horizon(horizon, self.search_date, self.as_of)
        if self._success is None:
            msg = "the partials carry no success counts (the query was made with success=False)"
            raise InvalidArgumentError(msg)
        counts = self._success[int(bool(any_degree)), horizon - 1]
        return SuccessProgress(horizon, bool(any_degree), tuple(counts.tolist()))

    @property
    def tables(self) -> tuple[OutcomeTable, OutcomeTable, OutcomeTable, OutcomeTable]:
        """Tables 1, 2, 2A and 2B, in report order."""
        return (self.table1, self.table2, self.table2a, self.table2b)


@frozen
class CohortQuery:
    """
    A cohort query's arguments, to run on partitions of students and combine exactly.

    Picklable, so a cluster can ship it to its workers. A partition holds some students
    with all of their records (partition by a hash of ``requester_id``); the partials
    of all partitions, combined, equal the single-process query.

    Args:
        search_date: The search date ``S``.
        institution: The submitting institution, or its code string.
        as_of: The report date.
        degree_titles: The degree-title table.
        exact_branch: Count only the institution's exact code and branch as "yours".
        detail: Whether the partials carry the detail report's rows.
        success: Whether the partials carry success-and-progress counts (every known
            horizon, both meanings of graduating: a few passes more over the records).
        by: A student column (``pell``, ``gender`` ...): the combined result also holds
            each value's result in ``groups``, as :func:`cohort_query_by` gives them.

    Examples:
        >>> from edoutcomes.model import CollegeCode, CollegeType, EnrollmentRecord, Student
        >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
        ...                     as_of=dt.date(2002, 6, 1))
        >>> left = CohortColumns.from_records([Student("1")], [EnrollmentRecord("1",
        ...     CollegeCode.parse("001817-00"), CollegeType.FOUR_YEAR, dt.date(2001, 8, 27),
        ...     dt.date(2001, 12, 15))])
        >>> right = CohortColumns.from_records([Student("2")])
        >>> result = query.combine([query.partial(left, student_rows=[0]),
        ...                         query.partial(right, student_rows=[1])])
        >>> result.control.total, result.control.found, len(result.detail)
        (2, 1, 2)
    """

    search_date: dt.date
    institution: Institution | str
    as_of: dt.date
    degree_titles: DegreeTitleTable = DEGREE_TITLES
    exact_branch: bool = False
    detail: bool = True
    success: bool = True
    by: str | None = None

    def __attrs_post_init__(self) -> None:
        check_date("search_date", self.search_date)
        check_date("as_of", self.as_of)
        if not isinstance(self.degree_titles, DegreeTitleTable):
            msg = f"degree_titles is a {type(self.degree_titles).__name__}, expected a DegreeTitleTable"
            raise InvalidArgumentError(msg)
        institution_of(self.institution, exact_branch=self.exact_branch)
        if self.by is not None and not isinstance(self.by, str):
            msg = f"by is a {type(self.by).__name__}, expected the name of a student column"
            raise InvalidArgumentError(msg)

    def partial(
        self,
        columns: CohortColumns,
        *,
        student_rows: Any = None,
        enrollment_rows: Any = None,
        degree_rows: Any = None,
    ) -> CohortPartial:
        """
        Count one partition of students (each with all of their records).

        Args:
            columns: The partition's columnar view (see :meth:`CohortColumns.from_arrow`).
            student_rows: Each student's global position in the request (0-based); it
                orders the combined detail report. Defaults to 0 .. n-1 (one partition).
            enrollment_rows: Each enrollment's global row in its file (0-based, the
                header not counted): the findings name it. Defaults to 0 .. n-1.
            degree_rows: Likewise for the degrees.
        """
        rows = self._rows(columns, student_rows, enrollment_rows, degree_rows)
        return self._partial(self._pass(columns), rows, grouping=self._grouping(columns))

    def partial_and_detail(
        self,
        columns: CohortColumns,
        *,
        student_rows: Any = None,
        enrollment_rows: Any = None,
        degree_rows: Any = None,
    ) -> tuple[CohortPartial, DetailReport]:
        """
        The partial of one partition without detail rows, and the partition's own detail
        report (its students in their order), from one pass over its records.

        A cluster writes each partition's detail report where the partition is
        (``edoutcomes.dask.cohort_query(..., out=...)``) and sends only the counts.
        Arguments as for :meth:`partial`.

        Examples:
            >>> from edoutcomes.model import Student
            >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
            ...                     as_of=dt.date(2002, 6, 1))
            >>> part, report = query.partial_and_detail(
            ...     CohortColumns.from_records([Student("A"), Student("B")]), student_rows=[4, 9])
            >>> part.detail is None, [row.requester_id for row in report]
            (True, ['A', 'B'])
        """
        rows = self._rows(columns, student_rows, enrollment_rows, degree_rows)
        state = self._pass(columns)
        counts = evolve(self, detail=False)._partial(state, rows, grouping=self._grouping(columns))
        order = _engine.detail_order(state)
        return counts, DetailReport(state.columns, self.search_date, *order)

    @staticmethod
    def _rows(
        columns: CohortColumns, students: Any, enrollments: Any, degrees: Any
    ) -> tuple[NDArray[np.int64] | None, ...]:
        """A partition's global rows of students, enrollments and degrees, checked."""
        return (
            _rows(students, columns.n_students, "student_rows"),
            _rows(enrollments, columns.enrollments.n_rows, "enrollment_rows"),
            _rows(degrees, columns.degrees.n_rows, "degree_rows"),
        )

    def _grouping(self, columns: CohortColumns) -> tuple[NDArray[np.intp], list[Any]] | None:
        """Each student's group by ``by`` and the values (None without ``by``)."""
        if self.by is None:
            return None
        if not columns.n_students:
            # A partition without students may lack the column: it has no groups.
            return np.zeros(0, np.intp), []
        return _factorise_column(columns, self.by)

    def _pass(self, columns: CohortColumns) -> _engine.QueryState:
        """The engine's pass over one partition's records (what its partial counts)."""
        state, _, _ = prepare(
            columns,
            search_date=self.search_date,
            institution=self.institution,
            as_of=self.as_of,
            degree_titles=self.degree_titles,
            exact_branch=self.exact_branch,
        )
        return state

    def _partial(
        self,
        state: _engine.QueryState,
        rows: tuple[NDArray[np.int64] | None, ...] = (None, None, None),
        *,
        members: NDArray[np.bool_] | None = None,
        grouping: tuple[NDArray[np.intp], list[Any]] | None = None,
    ) -> CohortPartial:
        """
        The partial of a partition from the engine's pass over it (:meth:`_pass`).

        Args:
            state: The engine's pass over the partition.
            rows: The global rows of its students, enrollments and degrees (None: 0 .. n-1).
            members: Count only these students (the single-process ``subset``); None: all.
            grouping: Each student's group (an index into the values, -1 for none) and
                the groups' values; None for a query without groups.
        """
        whole = np.zeros(state.n_students, np.intp)
        if members is not None:
            whole[~members] = -1
        groupings = [(whole, 1)]
        if grouping is None:
            tables, control = (counts[0] for counts in _engine.aggregate(state, whole, 1))
        else:
            by_group = _engine.aggregate(state, grouping[0], len(grouping[1]))
            # Every counted student is in exactly one group: the groups add up to the whole.
            tables, control = (counts.sum(axis=0) for counts in by_group)
            groupings.append((grouping[0], len(grouping[1])))
        success = category_counts(state, self.as_of, groupings, known=self.success)
        warnings = tuple(collect(state.columns, state.degree_kinds, rows[1], rows[2]))
        detail, keys, detail_groups = None, None, None
        if self.detail:
            order = _engine.detail_order(state)
            if members is not None:
                order = tuple(a[members[order[0]]] for a in order)
            detail = DetailReport(state.columns, self.search_date, *order).to_arrow()
            keys = order[0].astype(np.int64) if rows[0] is None else rows[0][order[0]]
            detail_groups = None if grouping is None else grouping[0][order[0]]
        groups = None
        if grouping is not None:
            values = tuple(grouping[1])
            groups = GroupCounts(values, *by_group, success[1], detail_groups)
        whole_success = None if success[0] is None else success[0][0]
        return CohortPartial(tables, control, warnings, detail, keys, whole_success, groups)

    def partial_of_arrow(
        self, students: Any = None, enrollments: Any = None, degrees: Any = None
    ) -> CohortPartial:
        """
        The partial of one partition given as Arrow tables: the partition function of a cluster.

        Each table (anything with ``__arrow_c_stream__``) has the canonical columns and a
        ``row`` column, each row's 0-based position in the whole input (request order for
        students, file order for records); a ``bucket`` column is ignored. A missing table
        is None (no students, or no records of that kind). Dask (``edoutcomes.dask``) and
        Spark (``edoutcomes.spark``) call it on each partition of students.

        Raises:
            InvalidArgumentError: If a table has no ``row`` column.
            InvalidInputError: If a table has an error (as :meth:`CohortColumns.from_arrow`).

        Examples:
            >>> import pyarrow as pa
            >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
            ...                     as_of=dt.date(2002, 6, 1))
            >>> part = query.partial_of_arrow(pa.table({"requester_id": ["B"], "row": [1]}))
            >>> int(part.control[0]), part.detail_keys.tolist()
            (1, [1])
        """
        columns, rows = cohort_columns_of_arrow(students, enrollments, degrees)
        return self.partial(
            columns, student_rows=rows[0], enrollment_rows=rows[1], degree_rows=rows[2]
        )

    def combine(self, partials: Sequence[CohortPartial]) -> CombinedCohortResult:
        """
        The whole query from the partials of every partition: counts summed, warnings
        merged by global row, detail rows in global request order.

        Raises:
            InvalidArgumentError: If there are no partials, or they disagree on the years.
        """
        import pyarrow as pa

        if not partials:
            msg = "partials is empty: give the partial of every partition (at least one)"
            raise InvalidArgumentError(msg)
        years = academic_years(self.search_date, as_of=self.as_of)
        if any(p.tables.shape != (4, 7, len(years)) for p in partials):
            msg = "the partials were not made by this query (their years differ)"
            raise InvalidArgumentError(msg)
        owner = institution_of(self.institution, exact_branch=self.exact_branch)
        tables: NDArray[np.int64] = np.stack([p.tables for p in partials]).sum(axis=0)
        control: NDArray[np.int64] = np.stack([p.control for p in partials]).sum(axis=0)
        success = _summed([p.success for p in partials])
        findings = render(merge([p.warnings for p in partials]))
        detail, order = _detail(partials) if self.detail else (None, None)
        groups: dict[Any, CombinedCohortResult] = {}
        if self.by is not None or any(p.groups is not None for p in partials):
            values, per_group, codes = _combine_groups(partials, order)
            for i, value in enumerate(values):
                rows = (
                    None if detail is None or codes is None else detail.filter(pa.array(codes == i))
                )
                group_success = None if per_group[2] is None else per_group[2][i]
                counts = (per_group[0][i], per_group[1][i], group_success)
                groups[value] = self._result(owner, years, counts, findings, rows, {})
        return self._result(owner, years, (tables, control, success), findings, detail, groups)

    def _result(
        self,
        owner: Institution,
        years: tuple[AcademicYear, ...],
        counts: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64] | None],
        findings: tuple[Finding, ...],
        detail: Any,
        groups: dict[Any, CombinedCohortResult],
    ) -> CombinedCohortResult:
        """The combined result from summed counts (tables, control, success)."""
        tables, control, success = counts
        report, four = reports((self.search_date, self.as_of, owner, years), tables, control)
        return CombinedCohortResult(
            search_date=self.search_date,
            as_of=self.as_of,
            institution=owner,
            years=years,
            control=report,
            table1=four[0],
            table2=four[1],
            table2a=four[2],
            table2b=four[3],
            findings=findings,
            detail=detail,
            groups=groups,
            success_counts=success,
        )

    def run(self, columns: CohortColumns) -> CombinedCohortResult:
        """The query over one partition holding every student: ``combine([partial(columns)])``."""
        return self.combine([self.partial(columns)])


def _single(
    cohort: Cohort | CohortColumns, arguments: dict[str, Any]
) -> tuple[CohortQuery, CohortColumns]:
    """
    The query of a single-process call and the cohort's columnar view. Its partial has
    no detail rows or success counts: the result keeps the engine's pass instead and
    makes them on first use (a partial that crosses a cluster cannot).
    """
    check_date("search_date", arguments["search_date"])
    check_date("as_of", arguments["as_of"])
    columns, owner = _columns_and_institution(
        cohort, arguments.pop("institution"), arguments["exact_branch"]
    )
    query = CohortQuery(**arguments, institution=owner, detail=False, success=False)
    return query, columns


def _one_result(
    combined: CombinedCohortResult, state: _engine.QueryState, members: NDArray[np.bool_] | None
) -> CohortQueryResult:
    """The single-process result: the combined reports, with the pass for detail and success."""
    return CohortQueryResult(
        search_date=combined.search_date,
        as_of=combined.as_of,
        institution=combined.institution,
        years=combined.years,
        control=combined.control,
        table1=combined.table1,
        table2=combined.table2,
        table2a=combined.table2a,
        table2b=combined.table2b,
        findings=combined.findings,
        state=state,
        members=members,
    )


def one_partition(
    cohort: Cohort | CohortColumns, *, subset: Any = None, **arguments: Any
) -> CohortQueryResult:
    """
    :func:`cohort_query`: the query over one partition holding every student, its one
    partial combined (*arguments*: the query's, ``institution`` may be the cohort's).
    """
    query, columns = _single(cohort, arguments)
    state = query._pass(columns)
    members = None if subset is None else subset_mask(columns, subset)
    combined = query.combine([query._partial(state, members=members)])
    return _one_result(combined, state, members)


def one_partition_by(
    cohort: Cohort | CohortColumns, by: Any, *, subset: Any = None, **arguments: Any
) -> dict[Any, CohortQueryResult]:
    """:func:`cohort_query_by` as the one-partition case of the query (see :func:`one_partition`)."""
    query, columns = _single(cohort, arguments)
    if isinstance(by, str):
        codes, values = _factorise_column(columns, by)
    else:
        codes, values = _factorise_array(by, columns.n_students)
    members = None if subset is None else subset_mask(columns, subset)
    grouping = group_codes(codes, values, members)
    state = query._pass(columns)
    combined = query.combine([query._partial(state, members=members, grouping=grouping)])
    return {
        value: _one_result(result, state, grouping[0] == i)
        for i, (value, result) in enumerate(combined.groups.items())
    }


def _rows(rows: Any, n: int, name: str) -> NDArray[np.int64] | None:
    """A partial's global row numbers checked (:func:`partition_rows`), or None for 0 .. n-1."""
    return None if rows is None else partition_rows(rows, n, name)


def _summed(arrays: Sequence[NDArray[np.int64] | None]) -> NDArray[np.int64] | None:
    """The sum of the partials' arrays, or None if one of them has none."""
    present = [a for a in arrays if a is not None]
    if len(present) < len(arrays):
        return None
    total: NDArray[np.int64] = np.stack(present).sum(axis=0)
    return total


def _combine_groups(
    partials: Sequence[CohortPartial], order: NDArray[np.intp] | None
) -> tuple[list[Any], tuple[Any, Any, Any], NDArray[np.intp] | None]:
    """
    The values of every partition's groups, sorted (None last); per value its summed
    tables, control and success counts; each combined detail row's group, in the combined
    detail's order (None without detail).
    """
    if any(p.groups is None for p in partials):
        msg = "a partial has no group counts (made by a query without by=)"
        raise InvalidArgumentError(msg)
    groups = [p.groups for p in partials if p.groups is not None]
    values = sorted({v for g in groups for v in g.values}, key=_sort_key)
    index = {v: i for i, v in enumerate(values)}
    first = groups[0]
    tables = np.zeros((len(values), *first.tables.shape[1:]), np.int64)
    control = np.zeros((len(values), *first.control.shape[1:]), np.int64)
    with_success = all(g.success is not None for g in groups)
    n_years = first.tables.shape[-1]
    success = np.zeros((len(values), 2, n_years, len(SuccessCategory)), np.int64)
    remaps = []
    for g in groups:
        at = np.array([index[v] for v in g.values], dtype=np.intp)
        tables[at] += g.tables
        control[at] += g.control
        if g.success is not None:
            success[at] += g.success
        remaps.append(at)
    codes = None
    if order is not None:
        detail_groups = [
            at[g.detail_groups] for at, g in zip(remaps, groups, strict=True)
            if g.detail_groups is not None
        ]  # fmt: skip
        codes = np.concatenate([np.zeros(0, np.intp), *detail_groups])[order]
    return values, (tables, control, success if with_success else None), codes


def _detail(partials: Sequence[CohortPartial]) -> tuple[Any, NDArray[np.intp]]:
    """
    Every partition's detail rows, stably sorted by their student's global position, and
    the order that sorts them (positions in the concatenated rows).
    """
    import pyarrow as pa

    if any(p.detail is None or p.detail_keys is None for p in partials):
        msg = "a partial has no detail rows (made by a query with detail=False)"
        raise InvalidArgumentError(msg)
    table = pa.concat_tables([p.detail for p in partials])
    keys = np.concatenate([p.detail_keys for p in partials if p.detail_keys is not None])
    order = np.argsort(keys, kind="stable")
    return table.take(pa.array(order)).combine_chunks(), order
