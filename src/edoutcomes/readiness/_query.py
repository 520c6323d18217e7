"""
College readiness as a query object: partials per partition of students, combined exactly.

Every rule is per student (a student's marks, status, consents, GPAs and other-source
rows), so a district's data split by student, each partition with the whole course list,
gives partials whose indicator counts add up and whose per-student rows, put back in the
input's student order, are the single-process tables. Suppression and rates are computed
after the sum; the clean-up findings keep the rows of the whole input.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from attrs import field, frozen
from attrs import fields as attrs_fields
from numpy.typing import NDArray

from .._kernel._arrow import summary_html, summary_repr
from .._kernel._days import check_date
from .._kernel._rows import ROW, partition_rows, split_rows
from ..errors import InvalidArgumentError
from ..model import ConsentPurpose, K12Columns
from ._cleanup import CleanupFinding, CleanupTable, cleanup_findings
from ._engine import Options, Readiness, evaluate
from ._release import Release, check_release, release_name, released_rows
from ._report import (
    CalGrantTable,
    IndicatorCells,
    IndicatorTable,
    ReadinessTable,
    Status,
    assemble_indicators,
    calgrant_table,
    indicator_cells,
    readiness_table,
    student_status,
)

__all__ = ["CombinedReadiness", "ReadinessPartial", "ReadinessQuery", "ReleasedPart"]


@frozen(eq=False)
class ReadinessPartial:
    """
    One partition's share of college readiness.

    Attributes:
        cells: The indicator counts of the partition, before suppression.
        table: The partition's ``readiness.csv`` rows (a ``pyarrow.Table``; in the process
            that made the partial, the report table is kept and turned into Arrow on first
            use or when the partial is pickled, as a cluster ships it).
        keys: Each of those rows' global student position.
        calgrant: The partition's ``calgrant_gpa.csv`` rows (a ``pyarrow.Table``), likewise.
        calgrant_keys: Each of those rows' global student position.
        findings: The clean-up findings, rows numbered as in the whole input.
        table_order: The K-12 tables' names in the findings' order.
        release: The partition's released rows (None without a recipient).

    Examples:
        >>> from edoutcomes.synth import synthetic_readiness
        >>> query = ReadinessQuery(as_of=dt.date(2025, 7, 15))
        >>> part = query.partial(synthetic_readiness(40, seed=1), student_rows=range(100, 140))
        >>> part.table.num_rows, part.keys[:3].tolist(), len(part.findings), part.table_order[0]
        (40, [100, 101, 102], 27, 'k12_students')
    """

    cells: IndicatorCells = field(repr=False)
    _table: Any = field(repr=False, alias="table")
    keys: NDArray[np.int64] = field(repr=False)
    _calgrant: Any = field(repr=False, alias="calgrant")
    calgrant_keys: NDArray[np.int64] = field(repr=False)
    findings: tuple[CleanupFinding, ...] = field(repr=False)
    table_order: tuple[str, ...] = ()
    release: ReleasedPart | None = field(default=None, repr=False)
    _arrow: dict[str, Any] = field(factory=dict, init=False, repr=False)

    @property
    def table(self) -> Any:
        """``readiness.csv``'s rows of the partition as a ``pyarrow.Table``."""
        return _arrow_of(self._arrow, "table", self._table)

    @property
    def calgrant(self) -> Any:
        """``calgrant_gpa.csv``'s rows of the partition as a ``pyarrow.Table``."""
        return _arrow_of(self._arrow, "calgrant", self._calgrant)

    def reports(self) -> tuple[Any, Any]:
        """The two tables as made: report tables in the process that made them, else Arrow."""
        return self._table, self._calgrant

    def __getstate__(self) -> dict[str, Any]:
        # Shipped as Arrow: buffers, not one pickled object per cell.
        state = {a.name: getattr(self, a.name) for a in attrs_fields(ReadinessPartial)}
        state["_table"], state["_calgrant"] = self.table, self.calgrant
        state["_arrow"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)


def _arrow_of(cache: dict[str, Any], name: str, table: Any) -> Any:
    """*table* as Arrow: a report table converted once (kept in *cache*), Arrow as it is."""
    if not isinstance(table, ReadinessTable | CalGrantTable):
        return table
    if name not in cache:
        cache[name] = table.to_arrow()
    return cache[name]


@frozen(eq=False)
class ReleasedPart:
    """
    A partition's share of a release: the released students' rows.

    Attributes:
        keys: Each released student's global position.
        sensitive: Whether each shows ``foster_youth`` and ``social_services``.
        columns: The released table's columns.
        values: Its columns' values (the partition's released rows).
    """

    keys: NDArray[np.int64]
    sensitive: NDArray[np.bool_]
    columns: tuple[str, ...]
    values: tuple[NDArray[np.object_], ...]


@frozen(eq=False)
class CombinedReadiness:
    """
    College readiness combined from partials: the outputs of one process.

    Attributes:
        as_of: The evaluation date.
        n_students: Students of the whole input.
        table: ``readiness.csv`` as a ``pyarrow.Table`` in student order (equal to
            ``readiness_table(evaluate(...)).to_arrow()``).
        calgrant: ``calgrant_gpa.csv`` likewise (``calgrant_table``).
        indicators: ``readiness_indicators.csv``, suppressed after the sum (``indicators``).
        findings: ``readiness_findings.csv`` (``cleanup_findings``), rows of the whole input.
        release: The release to the query's recipient for its purpose (equal to
            :func:`~edoutcomes.readiness.release`), or None without a recipient.

    Examples:
        >>> from edoutcomes.readiness import readiness_table
        >>> from edoutcomes.synth import synthetic_readiness
        >>> data = synthetic_readiness(40, seed=1)
        >>> query = ReadinessQuery(as_of=dt.date(2025, 7, 15))
        >>> combined = query.combine([query.partial(data)])
        >>> combined
        CombinedReadiness(as_of=2025-07-15, students=40, findings=27)
        >>> combined.table.equals(readiness_table(evaluate(data, query.as_of)).to_arrow())
        True
    """

    as_of: dt.date
    n_students: int
    _table: Any = field(repr=False, alias="table")
    _calgrant: Any = field(repr=False, alias="calgrant")
    indicators: IndicatorTable = field(repr=False)
    findings: CleanupTable = field(repr=False)
    release: Release | None = field(default=None, repr=False)
    _arrow: dict[str, Any] = field(factory=dict, init=False, repr=False)

    @property
    def table(self) -> Any:
        """``readiness.csv`` as a ``pyarrow.Table`` in student order."""
        return _arrow_of(self._arrow, "table", self._table)

    @property
    def calgrant(self) -> Any:
        """``calgrant_gpa.csv`` as a ``pyarrow.Table`` in student order."""
        return _arrow_of(self._arrow, "calgrant", self._calgrant)

    def readiness_table(self) -> ReadinessTable:
        """``readiness.csv`` as the report table :func:`~edoutcomes.readiness.readiness_table` gives."""
        if isinstance(self._table, ReadinessTable):
            return self._table
        return ReadinessTable("readiness", *_columns_of(self._table))

    def calgrant_table(self) -> CalGrantTable:
        """``calgrant_gpa.csv`` as the report table :func:`~edoutcomes.readiness.calgrant_table` gives."""
        if isinstance(self._calgrant, CalGrantTable):
            return self._calgrant
        return CalGrantTable("calgrant_gpa", *_columns_of(self._calgrant))

    def write(self, out: str | os.PathLike[str]) -> list[Path]:
        """
        Write the files :func:`~edoutcomes.readiness.write_readiness` writes: ``readiness.csv``,
        ``readiness_indicators.csv``, ``readiness_findings.csv``, ``calgrant_gpa.csv`` and,
        with a release, its rows, control lines and indicators.

        Returns:
            The files written, in that order.
        """
        from .._kernel._writers import write

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []

        def put(table: object, name: str) -> None:
            path = folder / name
            write(table, path, "csv")
            written.append(path)

        put(self.readiness_table(), "readiness.csv")
        put(self.indicators, "readiness_indicators.csv")
        put(self.findings, "readiness_findings.csv")
        put(self.calgrant_table(), "calgrant_gpa.csv")
        if self.release is not None:
            name = self.release.students.name
            put(self.release.students, f"{name}.csv")
            put(self.release.control(), f"{name}_control.csv")
            put(self.release.indicators, f"{name}_indicators.csv")
        return written

    def _summary(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "students": self.n_students,
            "findings": len(self.findings),
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        return summary_html("College readiness (combined)", self._summary())

    def to_arrow(self) -> Any:
        """The readiness table (one row per student)."""
        return self.table

    def to_pandas(self) -> Any:
        """The readiness table as a ``pandas.DataFrame`` (needs pandas)."""
        return self.table.to_pandas()


def _attributes(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen
class ReadinessQuery:
    """
    The arguments of :func:`~edoutcomes.readiness.evaluate` and of its outputs, to run on
    partitions of students and combine exactly.

    Frozen and picklable. A partition holds some students with every record of theirs,
    and the whole course list.

    Args:
        as_of: The evaluation date.
        options: The open parameters (:class:`~edoutcomes.readiness.Options`).
        attributes: Student columns the indicators break down by.
        suppress_below: The indicators' small-cell threshold (None: off).
        recipient: The institution code (or ``CSAC``) a release is addressed to; with
            *purpose*, the combined result has the :class:`~edoutcomes.readiness.Release`
            (its indicators suppressed below *suppress_below*, or 10 when that is None,
            as :func:`~edoutcomes.readiness.write_readiness` writes them).
        purpose: The release's consent purpose.
        on: The release's day (default: *as_of*).

    Examples:
        >>> from edoutcomes.synth import synthetic_readiness
        >>> data = synthetic_readiness(40, seed=1)
        >>> query = ReadinessQuery(as_of=dt.date(2025, 7, 15))
        >>> result = query.run(data)
        >>> result.n_students, result.table.num_rows
        (40, 40)
    """

    as_of: dt.date
    options: Options = field(factory=Options)
    attributes: tuple[str, ...] = field(default=(), converter=_attributes)
    suppress_below: int | None = 10
    recipient: str | None = None
    purpose: ConsentPurpose | str | None = None
    on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        check_date("as_of", self.as_of)
        if (self.recipient is None) != (self.purpose is None):
            msg = "a release needs both recipient and purpose (or neither)"
            raise InvalidArgumentError(msg)
        if self.recipient is not None and self.purpose is not None:
            code = check_release(self.recipient, self.purpose, self.suppress_below or 10)
            object.__setattr__(self, "purpose", code)  # the parsed purpose, frozen after
        if self.on is not None:
            check_date("on", self.on)
        if not isinstance(self.options, Options):
            msg = f"options is a {type(self.options).__name__}, expected readiness Options"
            raise InvalidArgumentError(msg)
        below = self.suppress_below
        if below is not None and (
            isinstance(below, bool) or not isinstance(below, int) or below < 1
        ):
            msg = f"suppress_below={below!r} must be a whole number of at least 1, or None"
            raise InvalidArgumentError(msg)

    def evaluate(self, data: K12Columns) -> Readiness:
        """:func:`~edoutcomes.readiness.evaluate` of *data* with these arguments."""
        return evaluate(data, self.as_of, self.options)

    def partial(
        self,
        data: K12Columns,
        *,
        student_rows: Any = None,
        rows: Mapping[str, Any] | None = None,
    ) -> ReadinessPartial:
        """
        Evaluate one partition of students.

        Args:
            data: The partition's K-12 view (each student with all of their records, and
                the whole course list).
            student_rows: Each student's global position in the input (0-based); it orders
                the combined tables. Defaults to 0 .. n-1.
            rows: For the findings, each record table's global row positions (0-based, the
                header not counted) by its :class:`~edoutcomes.model.K12Columns` name
                (``marks``, ``other_source`` ...); a table not given keeps its own rows.
        """
        keys = partition_rows(student_rows, data.n_students, "student_rows")
        # 64-bit rows: a consortium's marks outgrow 32 bits.
        sheet: dict[str, Any] = {
            data.students.name: keys + 2,
            **{
                getattr(data, name).name: partition_rows(
                    numbers, getattr(data, name).n_rows, f"rows[{name!r}]"
                )
                + 2
                for name, numbers in (rows or {}).items()
            },
        }
        return self.partial_of_result(self.evaluate(data), student_rows=keys, sheet=sheet)

    def partial_of_result(
        self,
        result: Readiness,
        *,
        student_rows: Any = None,
        sheet: Mapping[str, Any] | None = None,
    ) -> ReadinessPartial:
        """
        The partial of a partition already evaluated (by :meth:`evaluate`).

        Args:
            result: The partition's readiness.
            student_rows: Each student's global position (0-based); 0 .. n-1 by default.
            sheet: The findings' spreadsheet rows per table name (``ReadinessRead.rows``:
                the header is row 1); by default a table's row ``i`` is row ``i + 2``.
        """
        keys = partition_rows(student_rows, result.data.n_students, "student_rows")
        status = student_status(result)
        return ReadinessPartial(
            cells=indicator_cells(result, status, attributes=self.attributes),
            table=readiness_table(result, status),
            keys=keys,
            calgrant=calgrant_table(result, status),
            calgrant_keys=keys[np.flatnonzero(result.calgrant_gpa >= 0)],
            findings=cleanup_findings(result, sheet).findings,
            table_order=tuple(result.data.tables()),
            release=self._released(result, status, keys),
        )

    def _released(
        self, result: Readiness, status: Status, keys: NDArray[np.int64]
    ) -> ReleasedPart | None:
        """The partition's released rows (None without a recipient)."""
        if self.recipient is None or not isinstance(self.purpose, ConsentPurpose):
            return None
        on = self.as_of if self.on is None else self.on
        rows, sensitive = released_rows(result, self.recipient, self.purpose, on)
        table = readiness_table(result, status, rows=rows, sensitive=sensitive)
        return ReleasedPart(keys[rows], sensitive, table.columns, table.values)

    def partial_of_arrow(
        self, students: Any = None, *, course_list: Any = None, **tables: Any
    ) -> ReadinessPartial:
        """
        The partial of one partition given as Arrow tables: the partition function of a cluster.

        *students* and the per-student *tables* by :class:`~edoutcomes.model.K12Columns`
        name (``marks=``, ``student_status=``, ``consents=``, ``reported_gpas=``,
        ``other_source=``; None or left out when the partition has none) have the K-12
        columns and a ``row`` column, each row's 0-based position in the whole input (it
        orders the tables and numbers the findings); a ``bucket`` column is ignored. The
        *course_list* is per school, not per student: every partition gets all of it, as
        it is (no ``row`` column). Spark (``edoutcomes.spark``) calls it.

        Raises:
            InvalidArgumentError: If a table has no ``row`` column.

        Examples:
            >>> import pyarrow as pa
            >>> query = ReadinessQuery(as_of=dt.date(2025, 7, 15))
            >>> part = query.partial_of_arrow(pa.table({"student_id": ["S2"], "row": [5]}))
            >>> part.keys.tolist(), len(part.table)
            ([5], 1)
        """
        import pyarrow as pa

        if students is None:
            students = pa.table(
                {"student_id": pa.array([], pa.string()), ROW: pa.array([], pa.int64())}
            )
        data, student_rows = split_rows(students, "students")
        records: dict[str, Any] = {}
        rows: dict[str, Any] = {}
        for name, table in tables.items():
            if table is not None:
                records[name], rows[name] = split_rows(table, name)
        if course_list is not None:
            records["course_list"] = course_list
        k12 = K12Columns.from_arrow(data, **records)
        return self.partial(k12, student_rows=student_rows, rows=rows)

    def combine(self, partials: Sequence[ReadinessPartial]) -> CombinedReadiness:
        """
        The whole input's readiness outputs from the partials of every partition.

        Raises:
            InvalidArgumentError: If there are no partials, or they were made by another query.
        """
        if not partials:
            msg = "partials is empty: give the partial of every partition (at least one)"
            raise InvalidArgumentError(msg)
        first = partials[0].cells
        if any(
            (p.cells.count_columns, [b for b, _ in p.cells.blocks])
            != (first.count_columns, [b for b, _ in first.blocks])
            for p in partials
        ):
            msg = "the partials were not made by one query (their indicator columns differ)"
            raise InvalidArgumentError(msg)
        order = {name: k for k, name in enumerate(partials[0].table_order)}
        found = sorted(
            (f for p in partials for f in p.findings),
            key=lambda f: (order.get(f.table, 99), f.row),
        )
        cells = _summed(partials)
        n_students = sum(len(p.keys) for p in partials)
        return CombinedReadiness(
            as_of=self.as_of,
            n_students=n_students,
            table=_in_order([p.reports()[0] for p in partials], [p.keys for p in partials]),
            calgrant=_in_order(
                [p.reports()[1] for p in partials], [p.calgrant_keys for p in partials]
            ),
            indicators=assemble_indicators(cells, suppress_below=self.suppress_below),
            findings=CleanupTable(tuple(found)),
            release=self._release(partials, cells, n_students),
        )

    def _release(
        self, partials: Sequence[ReadinessPartial], cells: IndicatorCells, n_students: int
    ) -> Release | None:
        """Every partition's released rows in input order, the indicators after the sum."""
        if self.recipient is None or not isinstance(self.purpose, ConsentPurpose):
            return None
        parts = [p.release for p in partials]
        if any(part is None for part in parts):
            msg = "a partial has no released rows (made by a query without a recipient)"
            raise InvalidArgumentError(msg)
        shared = [part for part in parts if part is not None]
        keys = np.concatenate([part.keys for part in shared])
        order = np.argsort(keys, kind="stable")
        values = tuple(
            np.concatenate([part.values[j] for part in shared])[order]
            for j in range(len(shared[0].columns))
        )
        name = release_name(self.recipient, self.purpose)
        table = ReadinessTable(name, shared[0].columns, values)
        aggregates = assemble_indicators(
            cells, suppress_below=self.suppress_below or 10, name=f"{name}_indicators"
        )
        sensitive = np.concatenate([part.sensitive for part in shared])[order]
        on = self.as_of if self.on is None else self.on
        return Release(
            self.recipient, self.purpose, on, keys[order], sensitive, n_students, table, aggregates
        )

    def run(self, data: K12Columns) -> CombinedReadiness:
        """The query over one partition holding every student: ``combine([partial(data)])``."""
        return self.combine([self.partial(data)])


def _in_order(tables: Sequence[Any], keys: Sequence[NDArray[np.int64]]) -> Any:
    """
    The partitions' rows in global student order: a report table when every partition's
    is one (made in this process), else a ``pyarrow.Table``.
    """
    import pyarrow as pa

    order = np.argsort(np.concatenate(keys), kind="stable")
    kind = type(tables[0])
    if kind in (ReadinessTable, CalGrantTable) and all(type(t) is kind for t in tables):
        first = tables[0]
        identity = bool(np.array_equal(order, np.arange(len(order))))
        values = tuple(
            column if identity else column[order]
            for column in (
                np.concatenate([t.values[j] for t in tables]) if len(tables) > 1 else part
                for j, part in enumerate(first.values)
            )
        )
        return kind(first.name, first.columns, values)
    arrow = [t.to_arrow() if isinstance(t, ReadinessTable | CalGrantTable) else t for t in tables]
    # An empty partition infers null columns: promote them to the others' types.
    table = pa.concat_tables(arrow, promote_options="default")
    return table.take(pa.array(order)).combine_chunks()


def _columns_of(table: Any) -> tuple[tuple[str, ...], tuple[NDArray[np.object_], ...]]:
    """A ``pyarrow.Table``'s column names and its columns as object arrays (Python values)."""
    values = []
    for column in table.columns:
        out = np.empty(len(column), dtype=object)
        out[:] = column.to_pylist()
        values.append(out)
    return tuple(table.column_names), tuple(values)


def _summed(partials: Sequence[ReadinessPartial]) -> IndicatorCells:
    """The partials' indicator counts added up on the layout of every school, class and value."""
    first = partials[0].cells
    schools = tuple(sorted({s for p in partials for s in p.cells.schools}))
    classes = tuple(sorted({c for p in partials for c in p.cells.classes}))
    blocks = tuple(
        (name, tuple(sorted({v for p in partials for v in p.cells.blocks[j][1]})))
        for j, (name, _) in enumerate(first.blocks)
    )
    layout = IndicatorCells(
        schools, classes, blocks, first.count_columns, np.empty((0, 0), np.int64)
    )
    at = {key: i for i, key in enumerate(layout.cell_keys())}
    counts = np.zeros((len(at), len(first.count_columns)), dtype=np.int64)
    for p in partials:
        index = np.array([at[key] for key in p.cells.cell_keys()], dtype=np.intp)
        counts[index] += p.cells.counts
    return IndicatorCells(schools, classes, blocks, first.count_columns, counts)
