"""On-track eligibility on a Dask cluster: one partial per partition of students."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from .._kernel._rows import k12_columns_of_arrow
from ..model import SchoolYear
from ..ontrack import CombinedEligibility, EligibilityPartial, EligibilityQuery
from ._cohort import part_tasks, partial_tasks
from ._partitions import require_dask
from ._parts import PartWriter, write_parts

__all__ = ["K12_TABLES", "ontrack_eligibility"]

K12_TABLES = ("students", "enrollments", "participations", "marks", "ontrack_records", "addresses")
"""
The K-12 tables on-track eligibility reads, partitioned by ``student_id``.

Each is a :class:`~edoutcomes.model.K12Columns` table of the same name.

Examples:
    >>> from edoutcomes.synth import synthetic_k12
    >>> data = synthetic_k12(40, seed=1)
    >>> {name: getattr(data, name).n_rows for name in K12_TABLES}
    {'students': 40, 'enrollments': 46, 'participations': 80, 'marks': 600, 'ontrack_records': 10, 'addresses': 48}
"""


def _partial_of_arrow(query: EligibilityQuery, tables: Sequence[Any]) -> EligibilityPartial:
    return query.partial_of_arrow(**dict(zip(K12_TABLES, tables, strict=True)))


def _part(
    query: EligibilityQuery, tables: Sequence[Any]
) -> tuple[EligibilityPartial, dict[str, Any]]:
    """One range part's counts and its explanations (on a worker)."""
    data, rows = k12_columns_of_arrow(**dict(zip(K12_TABLES, tables, strict=True)))
    result = query.evaluate(data)
    counts = query.summarise(result, student_rows=rows, explanations=False)
    return counts, {"explanations": result.explanations()}


def ontrack_eligibility(
    source: str | os.PathLike[str] | Mapping[str, Any],
    year: SchoolYear | str,
    *,
    as_of: dt.date,
    n_buckets: int = 16,
    out: str | os.PathLike[str] | None = None,
    format: str = "parquet",
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
        out: A directory to write the explanations into, in parallel, instead of sending
            them to the client: ``out/explanations/part-00000.parquet`` ..., one part per
            partition, the students moved into ranges of their input position first (one
            more shuffle), so the parts in name order are the one-process file.
        format: The parts' format with *out*: ``parquet`` (the columns of
            ``Explanations.to_arrow()``) or ``csv`` (``oregon-ontrack-explanations``; each
            part has the header line).
        options: The other arguments of :class:`~edoutcomes.ontrack.EligibilityQuery`.

    Returns:
        The :class:`~edoutcomes.ontrack.CombinedEligibility`; with *out*, its
        ``explanations`` is None (the parts hold them).

    Raises:
        MissingExtraError: Without dask (``pip install 'edoutcomes[dask]'``).
        InvalidArgumentError: If *format* is neither ``parquet`` nor ``csv``, or
            ``out/explanations`` already holds parts.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from edoutcomes.dask import write_partitioned
        >>> from edoutcomes.synth import synthetic_k12
        >>> data = synthetic_k12(200, seed=3)
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = write_partitioned(root / "data", data.students.to_arrow(),
        ...     data.enrollments.to_arrow(), key="student_id", n_buckets=2,
        ...     marks=data.marks.to_arrow())
        >>> result = ontrack_eligibility(root / "data", "2023-24",
        ...     as_of=dt.date(2024, 6, 20), out=root / "out")
        >>> result.n_students, result.explanations
        (200, None)
        >>> sorted(p.name for p in (root / "out" / "explanations").iterdir())
        ['part-00000.parquet', 'part-00001.parquet']
    """
    dask = require_dask()
    query = EligibilityQuery(year=year, as_of=as_of, **options)
    tables = (K12_TABLES, "student_id")
    if out is None:
        tasks = partial_tasks(source, query, _partial_of_arrow, n_buckets, tables)
        return query.combine(list(dask.compute(*tasks)))
    parts = PartWriter.open(out, format, ["explanations"])
    made = part_tasks(source, query, _part, n_buckets, tables)
    return query.combine(write_parts(made, parts, {"explanations": "oregon-ontrack-explanations"}))
