"""College readiness on a Dask cluster: one partial per partition of students, the course list in each."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InvalidArgumentError
from ..model import K12Columns
from ..readiness import CombinedReadiness, ReadinessPartial, ReadinessQuery
from ._cohort import partial_tasks, split_rows
from ._partitions import ROW, require_dask

__all__ = ["READINESS_TABLES", "readiness"]

#: The per-student tables readiness reads, partitioned by ``student_id`` (the course list,
#: per school, goes whole to every partition).
READINESS_TABLES = (
    "students",
    "marks",
    "student_status",
    "consents",
    "reported_gpas",
    "other_source",
)


def _partial_of_arrow(
    query: ReadinessQuery, tables: Sequence[Any], *, course_list: Any = None
) -> ReadinessPartial:
    """The partial of one partition given as Arrow tables (:data:`READINESS_TABLES` order)."""
    import pyarrow as pa

    if tables[0] is None:
        tables = [
            pa.table({"student_id": pa.array([], pa.string()), ROW: pa.array([], pa.int64())}),
            *tables[1:],
        ]
    students, student_rows = split_rows(pa.table(tables[0]), "students")
    records: dict[str, Any] = {}
    rows: dict[str, Any] = {}
    for name, table in zip(READINESS_TABLES[1:], tables[1:], strict=True):
        if table is not None:
            records[name], rows[name] = split_rows(pa.table(table), name)
    if course_list is not None:
        records["course_list"] = course_list
    data = K12Columns.from_arrow(students, **records)
    return query.partial(data, student_rows=student_rows, rows=rows)


def readiness(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    as_of: dt.date,
    course_list: Any = None,
    n_buckets: int = 16,
    **options: Any,
) -> CombinedReadiness:
    """
    College readiness over a Dask cluster, equal to :func:`~edoutcomes.readiness.evaluate`
    and its outputs in one process.

    Args:
        source: A dataset partitioned by ``student_id`` (``students/bucket=K/``,
            ``marks/bucket=K/`` ... of :data:`READINESS_TABLES`, each row with its ``row``:
            ``write_partitioned(root, students, key="student_id", marks=..., consents=...)``),
            or a mapping from those table names to dask dataframes (shuffled by ``student_id``).
        as_of: The evaluation date.
        course_list: The course list (anything with ``__arrow_c_stream__``), per school:
            every partition gets all of it.
        n_buckets: Partitions of the shuffle (dask dataframes only).
        options: The other arguments of :class:`~edoutcomes.readiness.ReadinessQuery`
            (``options``, ``attributes``, ``suppress_below``).

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
        InvalidArgumentError: If *source* holds a course list (give it as *course_list*).
    """
    import pyarrow as pa

    dask = require_dask()
    if isinstance(source, Mapping) and "course_list" in source:
        msg = "the course list is per school, not per student: give it as course_list=..."
        raise InvalidArgumentError(msg)
    query = ReadinessQuery(as_of=as_of, **options)
    courses = None if course_list is None else pa.table(course_list)
    of_arrow = functools.partial(_partial_of_arrow, course_list=courses)
    tasks = partial_tasks(source, query, of_arrow, n_buckets, (READINESS_TABLES, "student_id"))
    return query.combine(list(dask.compute(*tasks)))
