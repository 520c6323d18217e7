"""High-school outcomes on a Dask cluster: one partial per partition of students, combined on the client."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import evolve

from ..highschool import CombinedHighSchoolOutcomes, HighSchoolPartial, HighSchoolQuery
from ._cohort import columns_of_arrow, part_tasks, partial_tasks
from ._partitions import TABLES, require_dask
from ._parts import PartWriter, write_parts

KEY = "requester_id"

__all__ = ["high_school_outcomes"]


def _partial_of_arrow(query: HighSchoolQuery, tables: Sequence[Any]) -> HighSchoolPartial:
    """The partial of one partition given as Arrow tables (students, enrollments, degrees)."""
    columns, rows = columns_of_arrow(tables)
    return query.partial(columns, student_rows=rows[0])


def high_school_outcomes(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    as_of: dt.date,
    n_buckets: int = 16,
    out: str | os.PathLike[str] | None = None,
    format: str = "parquet",
    **options: Any,
) -> CombinedHighSchoolOutcomes:
    """
    High-school outcomes over a Dask cluster (the current ``distributed.Client``, if any).

    Args:
        source: A dataset partitioned by student (``students/bucket=K/``,
            ``enrollments/bucket=K/``, ``degrees/bucket=K/``, each row with its ``row``, as
            :func:`write_partitioned` writes it), or a mapping from ``students``,
            ``enrollments`` and ``degrees`` to dask dataframes of the canonical columns in
            any partitioning: they are numbered in order and shuffled by a hash of
            ``requester_id`` into *n_buckets* partitions (every row crosses the cluster once).
        as_of: The report date.
        n_buckets: Partitions of the shuffle (dask dataframes only).
        out: A directory to write the analysis-ready report into, in parallel, instead of
            sending it to the client: ``out/arr/part-00000.parquet`` ..., one part per
            partition, the students moved into ranges of their input position first (one
            more shuffle), so the parts in name order are the one-process file (its
            columns too: a demographic no student has is left out of every part).
        format: The parts' format with *out*: ``parquet`` (the columns of
            ``AnalysisReadyReport.to_arrow()``) or ``csv`` (``arr.csv``; each part has the
            header line).
        options: The other arguments of :class:`~edoutcomes.highschool.HighSchoolQuery`
            (windows, ``suppress_below``, ``class_totals``, ``arr``, ``attributes`` ...).

    Returns:
        The :class:`~edoutcomes.highschool.CombinedHighSchoolOutcomes`: the reports and
        the ARR, equal to :func:`edoutcomes.highschool.high_school_outcomes` in one process;
        with *out*, its ``arr`` is None (the parts hold it).

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
        InvalidArgumentError: If *format* is neither ``parquet`` nor ``csv``, or ``out/arr``
            already holds parts.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from edoutcomes.dask import write_partitioned
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> data = synthetic_high_schools(40, class_years=(2019, 2020), seed=4)
        >>> c, root = data.columns, Path(tempfile.mkdtemp())
        >>> _ = write_partitioned(root / "data", c.students.to_arrow(),
        ...     c.enrollments.to_arrow(), c.degrees.to_arrow(), n_buckets=2)
        >>> result = high_school_outcomes(root / "data", as_of=data.as_of,
        ...     out=root / "out", format="csv")
        >>> result.arr, sorted(p.name for p in (root / "out" / "arr").iterdir())
        (None, ['part-00000.csv', 'part-00001.csv'])
    """
    dask = require_dask()
    query = HighSchoolQuery(as_of=as_of, **options)
    if out is None:
        tasks = partial_tasks(source, query, _partial_of_arrow, n_buckets)
        return query.combine(list(dask.compute(*tasks)))
    query = evolve(query, arr=True)
    parts = PartWriter.open(out, format, ["arr"])
    held = dask.persist(*part_tasks(source, query, _part_partial, n_buckets, (TABLES, KEY)))
    # The ARR leaves out a demographic no student has: the parts need every part's.
    had = dask.compute(*(dask.delayed(_demographics)(p) for p in held))
    shown = tuple(sorted({d for some in had for d in some}))
    made = [dask.delayed(_arr_part)(query, p, shown) for p in held]
    return evolve(query, arr=False).combine(write_parts(made, parts, {"arr": "csv"}))


def _part_partial(query: HighSchoolQuery, tables: Sequence[Any]) -> HighSchoolPartial:
    """One range part's partial with its ARR rows (on a worker)."""
    return _partial_of_arrow(query, tables)


def _demographics(partial: HighSchoolPartial) -> tuple[str, ...]:
    """The demographics some student of the part has."""
    return partial.demographics


def _arr_part(
    query: HighSchoolQuery, partial: HighSchoolPartial, shown: tuple[str, ...]
) -> tuple[HighSchoolPartial, dict[str, Any]]:
    """One part's partial without its ARR rows, and its ARR with the whole input's columns."""
    one = evolve(query, top_n=None).combine([evolve(partial, demographics=shown)])
    return evolve(partial, arr=None), {"arr": one.arr}
