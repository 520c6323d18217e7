"""The cohort query on a Dask cluster: one partial per partition of students, combined on the client."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from .._kernel._rows import cohort_columns_of_arrow, split_rows
from ..cohort import CohortPartial, CohortQuery, CombinedCohortResult
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, CohortColumns, DegreeTitleTable, Institution
from ._partitions import TABLES, partition_paths, read_part, require_dask
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


def _of_paths(of_arrow: Any, query: Any, paths: Sequence[Any]) -> Any:
    """*of_arrow* of one partition of a dataset, read on the worker."""
    return of_arrow(query, read_part(paths))


def _of_pandas(of_arrow: Any, query: Any, *frames: Any) -> Any:
    """*of_arrow* of one partition of shuffled dask dataframes."""
    import pyarrow as pa

    tables = [None if f is None else pa.Table.from_pandas(f, preserve_index=False) for f in frames]
    return of_arrow(query, tables)


def partial_tasks(
    source: str | os.PathLike[str] | Mapping[str, Any],
    query: Any,
    of_arrow: Any,
    n_buckets: int,
    tables: tuple[Sequence[str], str] = (TABLES, "requester_id"),
) -> list[Any]:
    """
    One delayed ``of_arrow(query, tables)`` per partition of *source*: a dataset partitioned
    by student (read on the workers), or dask dataframes by table name (numbered, then
    shuffled by student); *tables* gives the engine's table names and student key.
    """
    dask = require_dask()
    table_names, key = tables
    if isinstance(source, str | os.PathLike):
        return [
            dask.delayed(_of_paths)(of_arrow, query, [p[name] for name in table_names])
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
    tasks = []
    for per_table in zip(*parts, strict=True):
        frames = dict(zip(names, per_table, strict=True))
        tasks.append(
            dask.delayed(_of_pandas)(of_arrow, query, *(frames.get(n) for n in table_names))
        )
    return tasks


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

    Returns:
        The :class:`~edoutcomes.cohort.CombinedCohortResult`, equal to the single-process query.

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
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
    tasks = partial_tasks(source, query, partial_of_arrow, n_buckets)
    partials = dask.compute(*tasks)
    return query.combine(list(partials))
