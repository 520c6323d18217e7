"""High-school outcomes on a Dask cluster: one partial per partition of students, combined on the client."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..highschool import CombinedHighSchoolOutcomes, HighSchoolPartial, HighSchoolQuery
from ._cohort import columns_of_arrow, partial_tasks
from ._partitions import require_dask

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
        options: The other arguments of :class:`~edoutcomes.highschool.HighSchoolQuery`
            (windows, ``suppress_below``, ``class_totals``, ``arr``, ``attributes`` ...).

    Returns:
        The :class:`~edoutcomes.highschool.CombinedHighSchoolOutcomes`: the reports and
        the ARR, equal to :func:`edoutcomes.highschool.high_school_outcomes` in one process.

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
    """
    dask = require_dask()
    query = HighSchoolQuery(as_of=as_of, **options)
    tasks = partial_tasks(source, query, _partial_of_arrow, n_buckets)
    return query.combine(list(dask.compute(*tasks)))
