"""On-track eligibility on a Dask cluster: one partial per partition of students."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import K12Columns, SchoolYear
from ..ontrack import CombinedEligibility, EligibilityPartial, EligibilityQuery
from ._cohort import partial_tasks, split_rows
from ._partitions import require_dask

__all__ = ["K12_TABLES", "ontrack_eligibility"]

#: The K-12 tables on-track eligibility reads, partitioned by ``student_id``.
K12_TABLES = ("students", "enrollments", "participations", "marks", "ontrack_records", "addresses")


def _partial_of_arrow(query: EligibilityQuery, tables: Sequence[Any]) -> EligibilityPartial:
    import pyarrow as pa

    students, rows = split_rows(
        pa.table(tables[0]) if tables[0] is not None else pa.table({"student_id": pa.array([], pa.string()), "row": pa.array([], pa.int64())}),
        "students",
    )  # fmt: skip
    records = {
        name: split_rows(pa.table(table), name)[0]
        for name, table in zip(K12_TABLES[1:], tables[1:], strict=True)
        if table is not None
    }
    return query.partial(K12Columns.from_arrow(students, **records), student_rows=rows)


def ontrack_eligibility(
    source: str | os.PathLike[str] | Mapping[str, Any],
    year: SchoolYear | str,
    *,
    as_of: dt.date,
    n_buckets: int = 16,
    **options: Any,
) -> CombinedEligibility:
    """
    On-track eligibility over a Dask cluster, equal to :func:`~edoutcomes.ontrack.eligibility`.

    Args:
        source: A dataset partitioned by ``student_id`` (``students/bucket=K/``, ``marks/bucket=K/``
            ... of :data:`K12_TABLES`, each row with its ``row``: ``write_partitioned(root,
            students, enrollments, key="student_id", marks=..., ontrack_records=...)``), or a
            mapping from those table names to dask dataframes (shuffled by ``student_id``).
        year: The reporting school year.
        as_of: The generation date.
        n_buckets: Partitions of the shuffle (dask dataframes only).
        options: The other arguments of :class:`~edoutcomes.ontrack.EligibilityQuery`.

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
    """
    dask = require_dask()
    query = EligibilityQuery(year=year, as_of=as_of, **options)
    tasks = partial_tasks(
        source,
        query,
        _partial_of_arrow,
        n_buckets,
        (K12_TABLES, "student_id"),
    )
    return query.combine(list(dask.compute(*tasks)))
