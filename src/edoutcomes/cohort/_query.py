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
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import check_date
from .._kernel._degrees import degree_kind_codes
from .._kernel._findings import Finding
from .._kernel._rows import cohort_columns_of_arrow, partition_rows
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, CohortColumns, DegreeTitleTable, Institution
from . import _engine
from ._outcomes import institution_of
from ._result import ControlReport, DetailReport, OutcomeTable, prepare, reports
from ._warnings import WarningRows, collect, merge, render
from ._years import AcademicYear, academic_years

__all__ = ["CohortPartial", "CohortQuery", "CombinedCohortResult"]


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
    """

    tables: NDArray[np.int64] = field(repr=False)
    control: NDArray[np.int64]
    warnings: tuple[WarningRows, ...] = field(repr=False)
    detail: Any = field(default=None, repr=False)
    detail_keys: NDArray[np.int64] | None = field(default=None, repr=False)


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

    def __attrs_post_init__(self) -> None:
        check_date("search_date", self.search_date)
        check_date("as_of", self.as_of)
        if not isinstance(self.degree_titles, DegreeTitleTable):
            msg = f"degree_titles is a {type(self.degree_titles).__name__}, expected a DegreeTitleTable"
            raise InvalidArgumentError(msg)
        institution_of(self.institution, exact_branch=self.exact_branch)

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
        students = partition_rows(student_rows, columns.n_students, "student_rows")
        e_rows = partition_rows(enrollment_rows, columns.enrollments.n_rows, "enrollment_rows")
        d_rows = partition_rows(degree_rows, columns.degrees.n_rows, "degree_rows")
        state, _, _ = prepare(
            columns,
            search_date=self.search_date,
            institution=self.institution,
            as_of=self.as_of,
            degree_titles=self.degree_titles,
            exact_branch=self.exact_branch,
        )
        tables, control = _engine.aggregate(state, np.zeros(state.n_students, np.intp), 1)
        kinds = degree_kind_codes(columns.degrees, self.degree_titles)
        warnings = tuple(collect(columns, kinds, e_rows, d_rows))
        if not self.detail:
            return CohortPartial(tables[0], control[0], warnings)
        student, table, record, sequence = _engine.detail_order(state)
        report = DetailReport(columns, self.search_date, student, table, record, sequence)
        return CohortPartial(tables[0], control[0], warnings, report.to_arrow(), students[student])

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
            findings=render(merge([p.warnings for p in partials])),
            detail=_detail(partials) if self.detail else None,
        )

    def run(self, columns: CohortColumns) -> CombinedCohortResult:
        """The query over one partition holding every student: ``combine([partial(columns)])``."""
        return self.combine([self.partial(columns)])


def _detail(partials: Sequence[CohortPartial]) -> Any:
    """Every partition's detail rows, stably sorted by their student's global position."""
    import pyarrow as pa

    if any(p.detail is None or p.detail_keys is None for p in partials):
        msg = "a partial has no detail rows (made by a query with detail=False)"
        raise InvalidArgumentError(msg)
    table = pa.concat_tables([p.detail for p in partials])
    keys = np.concatenate([p.detail_keys for p in partials if p.detail_keys is not None])
    return table.take(pa.array(np.argsort(keys, kind="stable"))).combine_chunks()
