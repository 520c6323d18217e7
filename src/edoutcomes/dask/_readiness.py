"""College readiness on a Dask cluster: one partial per partition of students, the course list in each."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from attrs import evolve

from ..errors import InvalidArgumentError
from ..model import K12Columns
from ..readiness import CombinedReadiness, ReadinessPartial, ReadinessQuery
from ._cohort import part_tasks, partial_tasks, split_rows
from ._partitions import ROW, require_dask
from ._parts import PartWriter, write_parts

__all__ = ["READINESS_TABLES", "readiness"]

READINESS_TABLES = (
    "students",
    "marks",
    "student_status",
    "consents",
    "reported_gpas",
    "other_source",
)
"""
The per-student tables readiness reads, partitioned by ``student_id``.

The course list, per school, goes whole to every partition. Each is a
:class:`~edoutcomes.model.K12Columns` table of the same name.

Examples:
    >>> from edoutcomes.synth import synthetic_readiness
    >>> data = synthetic_readiness(40, seed=1)
    >>> {name: getattr(data, name).n_rows for name in READINESS_TABLES}
    {'students': 40, 'marks': 1190, 'student_status': 34, 'consents': 16, 'reported_gpas': 0, 'other_source': 19}
"""


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
    out: str | os.PathLike[str] | None = None,
    format: str = "parquet",
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
        out: A directory to write the two per-student tables into, in parallel, instead of
            sending them to the client: ``out/readiness/part-00000.parquet`` ... and
            ``out/calgrant_gpa/part-00000.parquet`` ..., one part each per partition, the
            students moved into ranges of their input position first (one more shuffle),
            so the parts in name order are the one-process files.
        format: The parts' format with *out*: ``parquet`` (the columns of
            ``readiness_table(...).to_arrow()`` and ``calgrant_table(...).to_arrow()``) or
            ``csv`` (``readiness.csv`` and ``calgrant_gpa.csv``, the ``csv`` writer; each
            part has the header line).
        options: The other arguments of :class:`~edoutcomes.readiness.ReadinessQuery`
            (``options``, ``attributes``, ``suppress_below``).

    Returns:
        The :class:`~edoutcomes.readiness.CombinedReadiness`; with *out*, its ``table``
        and ``calgrant`` are None (the parts hold them).

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
        InvalidArgumentError: If *source* holds a course list (give it as *course_list*),
            *format* is neither ``parquet`` nor ``csv``, or an output directory already
            holds parts.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from edoutcomes.dask import write_partitioned
        >>> from edoutcomes.synth import synthetic_readiness
        >>> data = synthetic_readiness(60, seed=2, as_of=dt.date(2025, 7, 15))
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = write_partitioned(root / "data", data.students.to_arrow(), key="student_id",
        ...     n_buckets=2, marks=data.marks.to_arrow())
        >>> result = readiness(root / "data", as_of=dt.date(2025, 7, 15),
        ...     course_list=data.course_list.to_arrow(), out=root / "out")
        >>> result.n_students, result.table, result.calgrant
        (60, None, None)
        >>> sorted(p.name for p in (root / "out" / "readiness").iterdir())
        ['part-00000.parquet', 'part-00001.parquet']
    """
    import pyarrow as pa

    dask = require_dask()
    if isinstance(source, Mapping) and "course_list" in source:
        msg = "the course list is per school, not per student: give it as course_list=..."
        raise InvalidArgumentError(msg)
    query = ReadinessQuery(as_of=as_of, **options)
    courses = None if course_list is None else pa.table(course_list)
    tables = (READINESS_TABLES, "student_id")
    if out is None:
        of_arrow = functools.partial(_partial_of_arrow, course_list=courses)
        tasks = partial_tasks(source, query, of_arrow, n_buckets, tables)
        return query.combine(list(dask.compute(*tasks)))
    parts = PartWriter.open(out, format, ["readiness", "calgrant_gpa"])
    made = part_tasks(source, query, _part, n_buckets, tables, courses)
    formats = {"readiness": "csv", "calgrant_gpa": "csv"}
    counted = write_parts(made, parts, formats)
    combined = query.combine([partial for partial, _ in counted])
    return evolve(combined, n_students=sum(n for _, n in counted), table=None, calgrant=None)


def _part(
    query: ReadinessQuery, tables: Sequence[Any], courses: Any
) -> tuple[tuple[ReadinessPartial, int], dict[str, Any]]:
    """
    One range part's partial without its rows and its number of students (the client's
    combine counts them from the rows it no longer gets), and its two tables (on a worker).
    """
    partial = _partial_of_arrow(query, tables, course_list=courses)
    nothing = np.zeros(0, np.int64)
    counts = evolve(
        partial,
        table=partial.table.slice(0, 0),
        keys=nothing,
        calgrant=partial.calgrant.slice(0, 0),
        calgrant_keys=nothing,
    )
    outputs = {"readiness": partial.table, "calgrant_gpa": partial.calgrant}
    return (counts, len(partial.keys)), outputs
