"""The cohort query on a Dask cluster: one partial per partition of students, combined on the client."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import evolve

from .._kernel._rows import cohort_columns_of_arrow, split_rows
from ..cohort import CohortPartial, CohortQuery, CombinedCohortResult
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, CohortColumns, DegreeTitleTable, Institution
from ._partitions import TABLES, partition_paths, read_part, require_dask
from ._parts import PartWriter, ranged_tasks, write_parts
from ._shuffle import shuffled_parts

__all__ = ["cohort_query", "columns_of_arrow", "partial_of_arrow", "split_rows"]


def columns_of_arrow(tables: Sequence[Any]) -> tuple[CohortColumns, list[Any]]:
    """
    The columnar view of one partition given as Arrow tables (students, enrollments,
    degrees), and each table's global rows (None for a missing table).

    Each table carries the :data:`ROW` column; a missing table is None (the students
    table then holds no one).
    """
    return cohort_columns_of_arrow(*tables)


def partial_of_arrow(query: CohortQuery, tables: Sequence[Any]) -> CohortPartial:
    """The partial of one partition (students, enrollments, degrees as Arrow tables, or None)."""
    return query.partial_of_arrow(*tables)


def _arrow_of_pandas(*frames: Any) -> list[Any]:
    """One partition of shuffled dask dataframes as Arrow tables (None for a missing one)."""
    import pyarrow as pa

    return [None if f is None else pa.Table.from_pandas(f, preserve_index=False) for f in frames]


def _of_tables(of_arrow: Any, query: Any, read: Any, *args: Any) -> Any:
    """*of_arrow* of one partition, its tables made by ``read(*args)`` on the worker."""
    return of_arrow(query, read(*args))


def partition_readers(
    source: str | os.PathLike[str] | Mapping[str, Any],
    n_buckets: int,
    tables: tuple[Sequence[str], str] = (TABLES, "requester_id"),
) -> list[tuple[Any, tuple[Any, ...]]]:
    """
    Per partition of *source*, a function and its arguments that give its Arrow tables on
    a worker (in *tables*' order, None for a missing one): a dataset partitioned by student
    (read there), or dask dataframes by table name (numbered, then shuffled by student);
    *tables* gives the engine's table names and student key.
    """
    table_names, key = tables
    if isinstance(source, str | os.PathLike):
        return [
            (read_part, ([p[name] for name in table_names],))
            for p in partition_paths(source, table_names)
        ]
    if not isinstance(source, Mapping) or "students" not in source:
        msg = "source is neither a dataset path nor a mapping of dask dataframes with 'students'"
        raise InvalidArgumentError(msg)
    unknown = sorted(set(source) - set(table_names))
    if unknown:
        msg = f"source has tables {unknown} this engine does not read; known: {', '.join(table_names)}"
        raise InvalidArgumentError(msg)
    names = [name for name in table_names if source.get(name) is not None]
    parts = shuffled_parts([source[name] for name in names], n_buckets, key)
    readers: list[tuple[Any, tuple[Any, ...]]] = []
    for per_table in zip(*parts, strict=True):
        frames = dict(zip(names, per_table, strict=True))
        readers.append((_arrow_of_pandas, tuple(frames.get(n) for n in table_names)))
    return readers


def partial_tasks(
    source: str | os.PathLike[str] | Mapping[str, Any],
    query: Any,
    of_arrow: Any,
    n_buckets: int,
    tables: tuple[Sequence[str], str] = (TABLES, "requester_id"),
) -> list[Any]:
    """One delayed ``of_arrow(query, tables)`` per partition of *source* (see :func:`partition_readers`)."""
    dask = require_dask()
    return [
        dask.delayed(_of_tables)(of_arrow, query, read, *args)
        for read, args in partition_readers(source, n_buckets, tables)
    ]


def part_tasks(
    source: str | os.PathLike[str] | Mapping[str, Any],
    query: Any,
    make_part: Any,
    n_buckets: int,
    tables: tuple[Sequence[str], str],
    *args: Any,
) -> list[Any]:
    """
    One delayed ``make_part(query, tables, *args)`` per part of *source*, its students in
    ranges of their input position: the part's partial and its outputs (see :mod:`._parts`).
    """
    dask = require_dask()
    readers = [
        dask.delayed(read)(*read_args)
        for read, read_args in partition_readers(source, n_buckets, tables)
    ]
    return ranged_tasks(source, query, make_part, readers, tables, *args)


def cohort_query(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    search_date: dt.date,
    institution: Institution | str,
    as_of: dt.date,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
    exact_branch: bool = False,
    detail: bool = True,
    by: str | None = None,
    n_buckets: int = 16,
    out: str | os.PathLike[str] | None = None,
    format: str = "parquet",
) -> CombinedCohortResult:
    """
    The cohort query over a Dask cluster (the current ``distributed.Client``, if any).

    Args:
        source: A dataset partitioned by student (a directory with ``students/bucket=K/``,
            ``enrollments/bucket=K/``, ``degrees/bucket=K/``, each row with its :data:`ROW`,
            as :func:`write_partitioned` writes it), or a mapping from ``students``,
            ``enrollments`` and ``degrees`` to dask dataframes of the canonical columns in
            any partitioning: they are numbered in order and shuffled by a hash of
            ``requester_id`` into *n_buckets* partitions (every row crosses the cluster once).
        search_date, institution, as_of, degree_titles, exact_branch, detail, by: As for
            :class:`~edoutcomes.cohort.CohortQuery` (``by``: each value's result in ``groups``).
        n_buckets: Partitions of the shuffle (dask dataframes only).
        out: A directory to write the detail report into, in parallel, instead of sending
            it to the client: ``out/detail/part-00000.parquet`` ..., one part per partition,
            each written where its students are. The students are first moved into ranges
            of their request position (one more shuffle), so part ``k`` holds the rows
            that follow part ``k - 1``'s: the parts in name order are the one-process file.
        format: The parts' format with *out*: ``parquet`` (the columns of
            ``DetailReport.to_arrow()``) or ``csv`` (the clearinghouse layout,
            ``nsc-detail``; each part has the header line).

    Returns:
        The :class:`~edoutcomes.cohort.CombinedCohortResult`, equal to the single-process
        query; with *out*, its ``detail`` is None (the parts hold it).

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
        InvalidArgumentError: If *format* is neither ``parquet`` nor ``csv``, or
            ``out/detail`` already holds parts.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from edoutcomes.dask import write_partitioned
        >>> from edoutcomes.synth import synthetic_cohort
        >>> synthetic = synthetic_cohort(200, seed=2)
        >>> c = synthetic.columns
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = write_partitioned(root / "data", c.students.to_arrow(),
        ...     c.enrollments.to_arrow(), c.degrees.to_arrow(), n_buckets=3)
        >>> result = cohort_query(root / "data", search_date=synthetic.search_date,
        ...     institution=synthetic.institution, as_of=synthetic.as_of,
        ...     out=root / "out", format="csv")
        >>> result.control.total, result.detail is None
        (200, True)
        >>> sorted(p.name for p in (root / "out" / "detail").iterdir())
        ['part-00000.csv', 'part-00001.csv', 'part-00002.csv']
    """
    dask = require_dask()
    query = CohortQuery(
        search_date=search_date,
        institution=institution,
        as_of=as_of,
        degree_titles=degree_titles,
        exact_branch=exact_branch,
        detail=detail,
        by=by,
    )
    if out is None:
        tasks = partial_tasks(source, query, partial_of_arrow, n_buckets)
        return query.combine(list(dask.compute(*tasks)))
    query = evolve(query, detail=False)
    parts = PartWriter.open(out, format, ["detail"])
    made = part_tasks(source, query, _part, n_buckets, (TABLES, "requester_id"))
    return query.combine(write_parts(made, parts, {"detail": "nsc-detail"}))


def _part(query: CohortQuery, tables: Sequence[Any]) -> tuple[CohortPartial, dict[str, Any]]:
    """One range part's partial and its detail report (on a worker)."""
    columns, rows = columns_of_arrow(tables)
    partial, report = query.partial_and_detail(
        columns, student_rows=rows[0], enrollment_rows=rows[1], degree_rows=rows[2]
    )
    return partial, {"detail": report}
