"""On-track eligibility on a Dask cluster: one partial per partition of students."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import SchoolYear
from ..ontrack import CombinedEligibility, EligibilityPartial, EligibilityQuery
from ._cohort import partial_tasks
from ._partitions import require_dask

__all__ = ["K12_TABLES", "ontrack_eligibility"]

#: The K-12 tables on-track eligibility reads, partitioned by ``student_id``.
K12_TABLES = ("students", "enrollments", "participations", "marks", "ontrack_records", "addresses")


def _partial_of_arrow(query: EligibilityQuery, tables: Sequence[Any]) -> EligibilityPartial:
    return query.partial_of_arrow(**dict(zip(K12_TABLES, tables, strict=True)))


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
