"""
High-school outcomes as a query object: partials per partition of students, combined exactly.

Every measure is decided per student from that student's own records and every count is a
sum over students, so a cohort split by student gives partials that add up:
:meth:`HighSchoolQuery.partial` counts one partition per (high-school code, class year),
:meth:`HighSchoolQuery.combine` adds the counts on the grid of every partition's schools
and classes, then makes the reports (rates and small-cell suppression after the sum), the
findings (by global row) and the analysis-ready report (in global student order, the
partitions' code tables unified).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import summary_html, summary_repr
from .._kernel._days import check_date
from .._kernel._findings import Finding
from .._kernel._rows import cohort_columns_of_arrow, partition_rows
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, CohortColumns, DegreeTitleTable
from ._arr import DEMOGRAPHICS, AnalysisReadyReport, ArrColumn, attribute_columns, build_arr
from ._graduates import factorise_text, missing_date_findings, school_names
from ._grid import Cells, assemble_grid, count_cells
from ._reports import (
    OutcomeReport,
    TopCollegesReport,
    assemble_left_out,
    college_candidates,
    left_out_counts,
    top_colleges_report,
)
from ._result import HighSchoolReports, high_school_outcomes, make_reports
from ._windows import MonthDay, Windows

__all__ = ["CombinedHighSchoolOutcomes", "HighSchoolPartial", "HighSchoolQuery"]


@frozen(eq=False)
class HighSchoolPartial:
    """
    One partition's share of high-school outcomes.

    Attributes:
        codes: The partition's distinct high-school codes (students without one aside).
        missing_code: Whether some student of the partition has no high-school code.
        cells: The counts per (high school, class) of the partition.
        left_out: Students without a graduation date per high school of ``cells``.
        missing_rows: Global rows (0-based) of the first students without a graduation date.
        n_missing: How many students of the partition have no graduation date.
        arr: The partition's ARR columns (None when the query leaves the ARR out).
        arr_keys: Each ARR row's global student position.
        demographics: The demographics some student of the partition has.
        candidates: The top-colleges candidates per list (``fall``, ``first``), or None
            when the query leaves the lists out.

    Examples:
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> part = HighSchoolQuery(as_of=hs.as_of).partial(hs.columns, student_rows=range(40))
        >>> part.codes, part.n_missing, part.arr_keys[:3].tolist(), sorted(part.candidates)
        (('597089', '144190'), 0, [0, 1, 2], ['fall', 'first'])
    """

    codes: tuple[str, ...]
    missing_code: bool
    cells: Cells = field(repr=False)
    left_out: NDArray[np.int64] = field(repr=False)
    missing_rows: NDArray[np.int64] = field(repr=False)
    n_missing: int
    arr: tuple[ArrColumn, ...] | None = field(repr=False)
    arr_keys: NDArray[np.int64] = field(repr=False)
    demographics: tuple[str, ...] = ()
    candidates: dict[str, Any] | None = field(default=None, repr=False)


@frozen(eq=False)
class CombinedHighSchoolOutcomes:
    """
    High-school outcomes combined from partials: the reports and the ARR of one process.

    Attributes:
        as_of: The report date.
        windows: The windows of the definitions.
        classes: The class years present.
        high_schools: The high-school codes present (``UNKNOWN`` last when some are missing).
        left_out: Students left out of the class-based reports (no graduation date).
        findings: Errors about the input, rows numbered as in the whole input.
        reports: The KPIs, the three supporting reports and ``left_out.csv``, suppressed
            as the query says (equal to ``HighSchoolOutcomes.reports(...)``).
        arr: The analysis-ready report in input order, or None when not asked for.
        top_colleges: Both top-colleges lists for the account and each high school
            (``top_colleges.csv``, as ``HighSchoolOutcomes.top_colleges_report``), or None.

    Examples:
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> query = HighSchoolQuery(as_of=hs.as_of)
        >>> combined = query.combine([query.partial(hs.columns)])
        >>> combined
        CombinedHighSchoolOutcomes(students=40, classes=2, high_schools=2, as_of=2021-10-15, left_out=0)
        >>> whole = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> list(combined.kpis.rows()) == list(whole.kpis().rows()), len(combined.arr)
        (True, 40)
    """

    as_of: dt.date
    windows: Windows
    classes: tuple[int, ...]
    high_schools: tuple[str, ...]
    left_out: int
    findings: tuple[Finding, ...]
    reports: HighSchoolReports = field(repr=False)
    arr: AnalysisReadyReport | None = field(repr=False)
    top_colleges: TopCollegesReport | None = field(default=None, repr=False)

    def _summary(self) -> dict[str, object]:
        return {
            "students": len(self.arr) if self.arr is not None else None,
            "classes": len(self.classes),
            "high_schools": len(self.high_schools),
            "as_of": self.as_of.isoformat(),
            "left_out": self.left_out,
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        return summary_html("High-school outcomes (combined)", self._summary())

    def to_arrow(self) -> Any:
        """The ARR as a ``pyarrow.Table`` (the KPIs when the ARR was left out)."""
        return self.reports.to_arrow() if self.arr is None else self.arr.to_arrow()

    def to_pandas(self) -> Any:
        """:meth:`to_arrow` as a ``pandas.DataFrame`` (needs pandas)."""
        return self.reports.to_pandas() if self.arr is None else self.arr.to_pandas()

    @property
    def kpis(self) -> OutcomeReport:
        """The KPI report."""
        return self.reports.kpis


def _attributes(value: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@frozen
class HighSchoolQuery:
    """
    The arguments of :func:`~edoutcomes.highschool.high_school_outcomes` and of its reports,
    to run on partitions of students and combine exactly.

    Frozen and picklable. A partition holds some students with all of their records.

    Args:
        as_of, class_start, year_start, fall_end, completion_years, progress_years, degree_titles: As
            for :func:`~edoutcomes.highschool.high_school_outcomes`.
        suppress_below: Hide counts below this in the reports (and the counts that would
            reveal them); None, off.
        class_totals: Add the every-class rows to the supporting reports.
        arr: Whether the partials carry the analysis-ready report's rows.
        attributes: The ARR's optional columns (default as ``HighSchoolOutcomes.arr()``).
        top_n: The most rows per class of the top-colleges lists; None leaves them out.

    Examples:
        >>> from edoutcomes.model import Student
        >>> query = HighSchoolQuery(as_of=dt.date(2021, 9, 1))
        >>> left = CohortColumns.from_records([Student("1", hs_grad_date=dt.date(2020, 6, 1))])
        >>> right = CohortColumns.from_records([Student("2")])
        >>> result = query.combine([query.partial(left, student_rows=[0]),
        ...                         query.partial(right, student_rows=[1])])
        >>> result.left_out, [f.row for f in result.findings], len(result.arr)
        (1, [3], 2)
    """

    as_of: dt.date
    class_start: MonthDay = (9, 1)
    year_start: MonthDay = (8, 15)
    fall_end: MonthDay = (10, 31)
    completion_years: int = 6
    progress_years: int = 8
    degree_titles: DegreeTitleTable = DEGREE_TITLES
    suppress_below: int | None = None
    class_totals: bool = True
    arr: bool = True
    attributes: tuple[str, ...] | None = field(default=None, converter=_attributes)
    top_n: int | None = 25

    def __attrs_post_init__(self) -> None:
        check_date("as_of", self.as_of)
        _ = self.windows  # Windows validates the days and years
        if not isinstance(self.degree_titles, DegreeTitleTable):
            msg = f"degree_titles is a {type(self.degree_titles).__name__}, expected a DegreeTitleTable"
            raise InvalidArgumentError(msg)
        below = self.suppress_below
        if below is not None and (
            isinstance(below, bool) or not isinstance(below, int) or below < 1
        ):
            msg = f"suppress_below={below!r} must be a whole number of at least 1, or None"
            raise InvalidArgumentError(msg)
        top = self.top_n
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
            msg = f"top_n={top!r} must be a whole number of at least 1, or None"
            raise InvalidArgumentError(msg)

    @property
    def windows(self) -> Windows:
        """The windows of the definitions."""
        return Windows(
            class_start=self.class_start,
            year_start=self.year_start,
            fall_end=self.fall_end,
            completion_years=self.completion_years,
            progress_years=self.progress_years,
        )

    def partial(self, columns: CohortColumns, *, student_rows: Any = None) -> HighSchoolPartial:
        """
        Measure one partition of students (each with all of their records).

        Args:
            columns: The partition's columnar view (see :meth:`CohortColumns.from_arrow`).
            student_rows: Each student's global position in the input (0-based); it orders
                the combined ARR and numbers the findings. Defaults to 0 .. n-1.
        """
        rows = partition_rows(student_rows, columns.n_students, "student_rows", unit="students")
        outcomes = high_school_outcomes(
            columns,
            as_of=self.as_of,
            class_start=self.class_start,
            year_start=self.year_start,
            fall_end=self.fall_end,
            completion_years=self.completion_years,
            progress_years=self.progress_years,
            degree_titles=self.degree_titles,
        )
        grads = outcomes.graduates
        codes, values = factorise_text(columns.students, "high_school_code")
        missing = np.sort(rows[grads.class_year < 0])
        students = columns.students
        arr = None
        if self.arr:
            names = attribute_columns(students, self.attributes, every_demographic=True)
            arr = build_arr(outcomes.student_measures(), attributes=names).encoded
        return HighSchoolPartial(
            codes=tuple(str(v) for v in values),
            missing_code=bool((codes < 0).any()),
            cells=count_cells(grads, outcomes.measures),
            left_out=left_out_counts(grads),
            missing_rows=missing,
            n_missing=len(missing),
            arr=arr,
            arr_keys=rows,
            demographics=tuple(d for d in DEMOGRAPHICS if bool((students.data[d] >= 0).any())),
            candidates=None
            if self.top_n is None
            else {
                which: college_candidates(grads, outcomes.measures, which=which)
                for which in ("fall", "first")
            },
        )

    def partial_of_arrow(
        self, students: Any = None, enrollments: Any = None, degrees: Any = None
    ) -> HighSchoolPartial:
        """
        The partial of one partition given as Arrow tables: the partition function of a cluster.

        Each table (anything with ``__arrow_c_stream__``) has the canonical columns and a
        ``row`` column, each row's 0-based position in the whole input; a ``bucket`` column
        is ignored, a missing table is None. Spark (``edoutcomes.spark``) calls it on each
        partition of students.

        Raises:
            InvalidArgumentError: If a table has no ``row`` column.
            InvalidInputError: If a table has an error (as :meth:`CohortColumns.from_arrow`).

        Examples:
            >>> import pyarrow as pa
            >>> query = HighSchoolQuery(as_of=dt.date(2021, 9, 1))
            >>> part = query.partial_of_arrow(pa.table({"requester_id": ["B"], "row": [4]}))
            >>> part.missing_rows.tolist(), part.arr_keys.tolist()
            ([4], [4])
        """
        columns, rows = cohort_columns_of_arrow(students, enrollments, degrees)
        return self.partial(columns, student_rows=rows[0])

    def combine(self, partials: Sequence[HighSchoolPartial]) -> CombinedHighSchoolOutcomes:
        """
        The whole input's outcomes from the partials of every partition: counts summed on
        one grid, then rates and suppression; findings by global row; the ARR in input order.

        Raises:
            InvalidArgumentError: If there are no partials, or they were made by another query.
        """
        if not partials:
            msg = "partials is empty: give the partial of every partition (at least one)"
            raise InvalidArgumentError(msg)
        if any(p.cells.measures != partials[0].cells.measures for p in partials):
            msg = "the partials were not made by one query (their measures differ)"
            raise InvalidArgumentError(msg)
        cells, left = _summed(partials)
        grid = assemble_grid(
            cells,
            completion_years=self.completion_years,
            suppress_below=self.suppress_below,
            class_totals=self.class_totals,
        )
        left_out = int(sum(p.n_missing for p in partials))
        left_report = assemble_left_out(
            cells.high_schools, left, suppress_below=self.suppress_below
        )
        rows = np.sort(np.concatenate([p.missing_rows for p in partials]))
        return CombinedHighSchoolOutcomes(
            as_of=self.as_of,
            windows=self.windows,
            classes=cells.classes,
            high_schools=cells.high_schools,
            left_out=left_out,
            findings=missing_date_findings(rows, left_out),
            reports=make_reports(grid, self.windows, self.as_of, left_out, left_report),
            arr=self._arr(partials) if self.arr else None,
            top_colleges=self._top(partials, cells.high_schools),
        )

    def run(self, columns: CohortColumns) -> CombinedHighSchoolOutcomes:
        """The query over one partition holding every student: ``combine([partial(columns)])``."""
        return self.combine([self.partial(columns)])

    def _top(
        self, partials: Sequence[HighSchoolPartial], schools: tuple[str, ...]
    ) -> TopCollegesReport | None:
        """Both top-colleges lists from every partition's candidates (None without ``top_n``)."""
        import pyarrow as pa

        if self.top_n is None:
            return None
        if any(p.candidates is None for p in partials):
            msg = "a partial has no top-colleges candidates (made by a query with top_n=None)"
            raise InvalidArgumentError(msg)
        candidates = {
            which: pa.concat_tables(
                [p.candidates[which] for p in partials if p.candidates is not None],
                promote_options="default",
            )
            for which in ("fall", "first")
        }
        return top_colleges_report(
            schools, candidates, n=self.top_n, suppress_below=self.suppress_below
        )

    def _arr(self, partials: Sequence[HighSchoolPartial]) -> AnalysisReadyReport:
        """Every partition's ARR rows in global student order, demographics no one has left out."""
        if any(p.arr is None for p in partials):
            msg = "a partial has no ARR rows (made by a query with arr=False)"
            raise InvalidArgumentError(msg)
        parts = [p.arr for p in partials if p.arr is not None]
        names = [c.name for c in parts[0]]
        if any([c.name for c in part] != names for part in parts):
            msg = "the partials' ARR columns differ (the partitions' students tables differ)"
            raise InvalidArgumentError(msg)
        shown = {d for p in partials for d in p.demographics}
        drop = set() if self.attributes is not None else set(DEMOGRAPHICS) - shown
        order = np.argsort(np.concatenate([p.arr_keys for p in partials]), kind="stable")
        return AnalysisReadyReport(
            tuple(
                concat_column([part[j] for part in parts], order)
                for j, name in enumerate(names)
                if name not in drop
            )
        )


def _summed(partials: Sequence[HighSchoolPartial]) -> tuple[Cells, NDArray[np.int64]]:
    """The partials' cells added up on one grid of every school and class, and the left-out counts."""
    schools = school_names(
        [c for p in partials for c in p.codes], missing=any(p.missing_code for p in partials)
    )
    classes = tuple(sorted({c for p in partials for c in p.cells.classes}))
    school_at = {name: i for i, name in enumerate(schools)}
    class_at = {year: i for i, year in enumerate(classes)}
    first = partials[0].cells
    counts = np.zeros((len(schools), len(classes), len(first.measures)), dtype=np.int64)
    years_over = np.zeros(len(classes), dtype=np.int32)
    fall_over = np.zeros(len(classes), dtype=bool)
    left = np.zeros(len(schools), dtype=np.int64)
    for p in partials:
        h = np.array([school_at[name] for name in p.cells.high_schools], dtype=np.intp)
        c = np.array([class_at[year] for year in p.cells.classes], dtype=np.intp)
        counts[np.ix_(h, c)] += p.cells.counts
        # Availability is a property of the class, the same in every partition.
        years_over[c] = p.cells.years_over
        fall_over[c] = p.cells.fall_over
        left[h] += p.left_out
    cells = Cells(schools, classes, first.measures, first.need, counts, years_over, fall_over)
    return cells, left


def concat_column(parts: Sequence[ArrColumn], order: NDArray[np.intp]) -> ArrColumn:
    """
    One ARR column from the partitions' columns, rows taken in *order*; text columns' code
    tables are unified (each distinct value once).
    """
    head = parts[0]
    if head.kind != "text":
        data = np.concatenate([p.data for p in parts])[order]
        return ArrColumn(head.name, head.kind, data, head.lookup)
    import pyarrow as pa
    import pyarrow.compute as pc

    every = pa.array([value for p in parts for value in p.lookup], pa.string())
    distinct = pc.unique(every)
    recode = pc.index_in(every, value_set=distinct).to_numpy(zero_copy_only=False)
    offset = 0
    codes = []
    for p in parts:
        table = np.append(recode[offset : offset + len(p.lookup)], -1).astype(np.int32)
        codes.append(table[p.data])  # -1 (blank) reads the last slot, -1
        offset += len(p.lookup)
    data = np.concatenate(codes).astype(np.int32)[order]
    return ArrColumn(head.name, "text", data, tuple(distinct.to_pylist()))
