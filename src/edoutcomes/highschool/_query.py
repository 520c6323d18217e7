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

from .._kernel._days import check_date
from .._kernel._rows import cohort_columns_of_arrow, partition_rows
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, CohortColumns, DegreeTitleTable
from ._arr import DEMOGRAPHICS, AnalysisReadyReport, ArrColumn, attribute_columns, build_arr
from ._combined import AttributeGroups, CombinedHighSchoolOutcomes, counted_reports
from ._graduates import factorise_text, missing_date_findings
from ._grid import Cells, count_cells
from ._parts import (
    MAX_ATTRIBUTE_VALUES,
    AttributeCounts,
    Counted,
    Layout,
    attribute_counts,
    best_names,
    counted,
    layout_of,
    name_counts,
    subset_of_partition,
    trend_candidates,
)
from ._reports import TopCollegesReport, college_candidates, left_out_counts, top_colleges_report
from ._result import HighSchoolOutcomes, high_school_outcomes
from ._search import ExactFinder, Finder, SearchQuery, StudentHistory, history, rows_by_id
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
        subset: The counts of the query's ``subset`` (None without one).
        subset_found: The subset's requester ids the partition holds.
        groups: The counts of each value of each ``by`` attribute.
        names: How many students give each (high school, ``high_school_name``) pair.
        matches: The students the query's ``search`` names: (global row, history).
        student_columns: The students table's columns.

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
    subset: Counted | None = field(default=None, repr=False)
    subset_found: frozenset[str] = field(default=frozenset(), repr=False)
    groups: tuple[AttributeCounts, ...] = field(default=(), repr=False)
    names: tuple[tuple[str, str, int], ...] = field(default=(), repr=False)
    matches: tuple[tuple[int, StudentHistory], ...] = field(default=(), repr=False)
    student_columns: tuple[str, ...] = field(default=(), repr=False)


def _attributes(value: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _by(value: Sequence[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(dict.fromkeys(value))


def _subset(value: Any) -> Any:
    """None, a boolean mask over the whole input, or requester ids (a tuple)."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if hasattr(value, "__array__"):
        array = np.asarray(value)
        if array.dtype == bool:
            return array
        return tuple(str(x) for x in array.tolist())
    values = list(value)
    if values and all(isinstance(x, bool | np.bool_) for x in values):
        return np.asarray(values, dtype=bool)
    return tuple(str(x) for x in values)


@frozen
class HighSchoolQuery:
    """
    The arguments of :func:`~edoutcomes.highschool.high_school_outcomes` and of its reports,
    to run on partitions of students and combine exactly.

    Frozen and picklable. A partition holds some students with all of their records.
    ``HighSchoolOutcomes``' reports, ARR, search and trends page are this query's
    ``combine`` of the one partial of every student.

    Args:
        as_of, class_start, year_start, fall_end, completion_years, progress_years, degree_titles: As
            for :func:`~edoutcomes.highschool.high_school_outcomes`.
        suppress_below: Hide counts below this in the reports (and the counts that would
            reveal them); None, off.
        class_totals: Add the every-class rows to the supporting reports.
        arr: Whether the partials carry the analysis-ready report's rows.
        attributes: The ARR's optional columns (default as ``HighSchoolOutcomes.arr()``).
        top_n: The most rows per class of the top-colleges lists; None leaves them out.
        subset: Only these students in ``reports`` (as ``HighSchoolOutcomes.reports(subset=)``):
            a boolean mask over the whole input's students, or requester ids.
        by: Student columns whose values each get their reports (``reports_by``) and
            become the trends page's filters; None: the columns the trends page offers by
            default (gender, race/ethnicity, every other Y/N or text column of at most 20
            values, never a name, id, birth date or address).
        search: A :class:`SearchQuery` (name and birth date) or a requester id: the
            combined result's ``search()`` gives that student's history.
        finder: Who decides which students a name search names (picklable, for a cluster;
            default :class:`ExactFinder`).

    Examples:
        >>> from edoutcomes.model import Student
        >>> query = HighSchoolQuery(as_of=dt.date(2021, 9, 1))
        >>> left = CohortColumns.from_records([Student("1", hs_grad_date=dt.date(2020, 6, 1))])
        >>> right = CohortColumns.from_records([Student("2")])
        >>> result = query.combine([query.partial(left, student_rows=[0]),
        ...                         query.partial(right, student_rows=[1])])
        >>> result.left_out, [f.row for f in result.findings], len(result.arr)
        (1, [3], 2)
        >>> by_id = HighSchoolQuery(as_of=dt.date(2021, 9, 1), search="2")
        >>> by_id.combine([by_id.partial(left, student_rows=[0]),
        ...                by_id.partial(right, student_rows=[1])]).search().requester_id
        '2'
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
    # A mask compares by identity: queries are compared by what they count, not by it.
    subset: Any = field(default=None, converter=_subset, eq=False, repr=False)
    by: tuple[str, ...] | None = field(default=(), converter=_by)
    search: SearchQuery | str | None = field(default=None, repr=False)
    finder: Finder | None = field(default=None, eq=False, repr=False)

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
        if self.search is not None and not isinstance(self.search, SearchQuery | str):
            msg = f"search is a {type(self.search).__name__}, expected a SearchQuery or a requester id"
            raise InvalidArgumentError(msg)
        if isinstance(self.search, SearchQuery):
            check_date("birth_date", self.search.birth_date)

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

    def measure(self, columns: CohortColumns) -> HighSchoolOutcomes:
        """:func:`~edoutcomes.highschool.high_school_outcomes` of *columns* with these windows."""
        return high_school_outcomes(
            columns,
            as_of=self.as_of,
            class_start=self.class_start,
            year_start=self.year_start,
            fall_end=self.fall_end,
            completion_years=self.completion_years,
            progress_years=self.progress_years,
            degree_titles=self.degree_titles,
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
        return self.partial_of_outcomes(self.measure(columns), rows)

    def partial_of_outcomes(
        self, outcomes: HighSchoolOutcomes, rows: NDArray[np.int64] | None = None
    ) -> HighSchoolPartial:
        """
        The partial of a partition already measured (by :meth:`measure`, or
        :func:`~edoutcomes.highschool.high_school_outcomes` with these windows).

        Args:
            outcomes: The partition's measures.
            rows: Each student's global position (0-based); 0 .. n-1 by default.
        """
        grads, m = outcomes.graduates, outcomes.measures
        students = grads.columns.students
        rows = partition_rows(rows, grads.n_students, "rows", unit="students")
        codes, values = factorise_text(students, "high_school_code")
        missing = np.sort(rows[grads.class_year < 0])
        arr = None
        if self.arr:
            names = attribute_columns(students, self.attributes, every_demographic=True)
            arr = build_arr(outcomes.student_measures(), attributes=names).encoded
        subset, found = None, frozenset[str]()
        if self.subset is not None:
            mask, found = subset_of_partition(self.subset, grads, rows)
            subset = counted(grads, m, mask)
        return HighSchoolPartial(
            codes=tuple(str(v) for v in values),
            missing_code=bool((codes < 0).any()),
            cells=count_cells(grads, m),
            left_out=left_out_counts(grads),
            missing_rows=missing,
            n_missing=len(missing),
            arr=arr,
            arr_keys=rows,
            demographics=tuple(d for d in DEMOGRAPHICS if bool((students.data[d] >= 0).any())),
            candidates=None
            if self.top_n is None
            else {which: college_candidates(grads, m, which=which) for which in ("fall", "first")},
            subset=subset,
            subset_found=found,
            groups=self._groups(outcomes),
            names=name_counts(grads),
            matches=self._matches(outcomes, rows),
            student_columns=tuple(students.names),
        )

    def _groups(self, outcomes: HighSchoolOutcomes) -> tuple[AttributeCounts, ...]:
        """Each ``by`` attribute's counts per value (``by=None``: the trends page's candidates)."""
        grads, m = outcomes.graduates, outcomes.measures
        if self.by is None:
            return tuple(
                attribute_counts(grads, m, name, limit=MAX_ATTRIBUTE_VALUES)
                for name in trend_candidates(grads)
            )
        return tuple(attribute_counts(grads, m, name) for name in self.by)

    def _matches(
        self, outcomes: HighSchoolOutcomes, rows: NDArray[np.int64]
    ) -> tuple[tuple[int, StudentHistory], ...]:
        """The students of the partition the query's ``search`` names, with their global rows."""
        if self.search is None:
            return ()
        students = outcomes.columns.students
        if isinstance(self.search, str):
            found = rows_by_id(students, self.search)
        else:
            found = np.asarray((self.finder or ExactFinder())(students, self.search), np.intp)
        return tuple((int(rows[i]), history(outcomes, int(i))) for i in found.tolist())

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
        layout = layout_of(
            [p.cells for p in partials],
            [c for p in partials for c in p.codes],
            any(p.missing_code for p in partials),
        )
        everyone = layout.add([Counted(p.cells, p.left_out) for p in partials])
        left_out = int(sum(p.n_missing for p in partials))
        rows = np.sort(np.concatenate([p.missing_rows for p in partials]))
        chosen = self._subset_counts(layout, partials) if self.subset is not None else everyone
        reports = counted_reports(
            chosen,
            self.windows,
            self.as_of,
            left_out,
            suppress_below=self.suppress_below,
            class_totals=self.class_totals,
        )
        return CombinedHighSchoolOutcomes(
            as_of=self.as_of,
            windows=self.windows,
            classes=layout.classes,
            high_schools=layout.high_schools,
            left_out=left_out,
            findings=missing_date_findings(rows, left_out),
            reports=reports,
            arr=self._arr(partials) if self.arr else None,
            top_colleges=self._top(partials, layout.high_schools),
            layout=layout,
            everyone=everyone,
            groups=_grouped(layout, partials),
            school_names=best_names([n for p in partials for n in p.names]),
            matches=_matched(partials) if self.search is not None else None,
            student_columns=partials[0].student_columns,
        )

    def _subset_counts(self, layout: Layout, partials: Sequence[HighSchoolPartial]) -> Counted:
        """The subset's counts summed; the whole input checked against the mask or the ids."""
        if isinstance(self.subset, np.ndarray):
            n = sum(len(p.arr_keys) for p in partials)
            if self.subset.shape != (n,):
                msg = f"subset mask has shape {self.subset.shape}, expected ({n},)"
                raise InvalidArgumentError(msg)
        else:
            unknown = set(self.subset) - {i for p in partials for i in p.subset_found}
            if unknown:
                msg = f"subset names {len(unknown)} requester ids that are not submitted students"
                raise InvalidArgumentError(msg)
        return layout.add([p.subset for p in partials if p.subset is not None])

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


def _grouped(layout: Layout, partials: Sequence[HighSchoolPartial]) -> dict[str, AttributeGroups]:
    """Each attribute's counts per value summed over the partitions, values in order, None last."""
    out: dict[str, AttributeGroups] = {}
    for j, first in enumerate(partials[0].groups):
        parts = [p.groups[j] for p in partials]
        if any(g.too_many for g in parts):
            out[first.name] = AttributeGroups(first.name, first.kind, (), (), too_many=True)
            continue
        by_value: dict[object, tuple[Any, list[Counted]]] = {}
        for g in parts:
            for key, value, part in zip(g.keys, g.values, g.counts, strict=True):
                by_value.setdefault(value, (key, []))[1].append(part)
        ordered = sorted(by_value.items(), key=lambda item: item[1][0])
        values: list[object] = [value for value, _ in ordered]
        sums = [layout.add(c) for _, (_, c) in ordered]
        missing = [g.missing for g in parts if g.missing is not None]
        if missing:
            values.append(None)
            sums.append(layout.add(missing))
        out[first.name] = AttributeGroups(first.name, first.kind, tuple(values), tuple(sums))
    return out


def _matched(partials: Sequence[HighSchoolPartial]) -> tuple[StudentHistory, ...]:
    """Every partition's matches of the search, in input order."""
    found = sorted((m for p in partials for m in p.matches), key=lambda m: m[0])
    return tuple(h for _, h in found)


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
