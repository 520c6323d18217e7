"""
Partitions by student: each partition holds some students and every record of theirs.

Two sources: a dataset already partitioned by student on disk (one directory per bucket,
``<table>/bucket=K/*.parquet``, as Dask's and pyarrow's ``partition_on`` write it), read on
the workers without a shuffle; or dask dataframes in any order, numbered and shuffled by a
hash of ``requester_id`` (a full shuffle: every row crosses the network once).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._kernel._optional import require
from .._kernel._rows import BUCKET, ROW
from ..errors import InvalidArgumentError

__all__ = ["BUCKET", "ROW", "TABLES", "hash_buckets", "partition_paths", "write_partitioned"]

TABLES = ("students", "enrollments", "degrees")


def require_dask() -> Any:
    """The ``dask`` module, or :class:`MissingExtraError` naming the ``dask`` extra."""
    require("dask.dataframe", feature="edoutcomes.dask", extra="dask")
    return require("dask", feature="edoutcomes.dask", extra="dask")


def hash_buckets(requester_id: Any, n_buckets: int) -> Any:
    """Each id's bucket, 0 .. n_buckets-1: a fixed hash of the id (the same on every worker)."""
    import numpy as np
    import pandas as pd

    hashed = pd.util.hash_pandas_object(pd.Series(requester_id, dtype=object), index=False)
    return (hashed.to_numpy() % np.uint64(n_buckets)).astype(np.int64)


def write_partitioned(
    root: str | os.PathLike[str],
    students: Any,
    enrollments: Any = None,
    degrees: Any = None,
    *,
    n_buckets: int = 16,
    key: str = "requester_id",
    **tables: Any,
) -> Path:
    """
    Write a cohort's tables as a dataset partitioned by student, one process, with pyarrow.

    Each table (anything with ``__arrow_c_stream__``) gets a :data:`ROW` column (its rows'
    positions) and goes to ``root/<table>/bucket=K/`` by a hash of its *key* column. For
    K-12 data, ``key="student_id"`` and the other tables by name (``marks=...``).

    Returns:
        *root*, as a path.

    Examples:
        >>> import tempfile
        >>> from edoutcomes.synth import synthetic_cohort
        >>> c = synthetic_cohort(30, seed=1).columns
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     root = write_partitioned(folder, c.students, c.enrollments, c.degrees, n_buckets=2)
        ...     sorted(p.name for p in root.iterdir()), sorted(p.name for p in (root / "students").iterdir())
        (['degrees', 'enrollments', 'students'], ['bucket=0', 'bucket=1'])
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if n_buckets < 1:
        msg = f"{n_buckets=} must be at least 1"
        raise InvalidArgumentError(msg)
    root = Path(root)
    given = {"students": students, "enrollments": enrollments, "degrees": degrees, **tables}
    for name, data in given.items():
        if data is None:
            continue
        table = _plain(pa.table(data))
        ids = table.column(key).to_numpy(zero_copy_only=False)
        table = table.append_column(ROW, pa.array(range(table.num_rows), pa.int64()))
        table = table.append_column(BUCKET, pa.array(hash_buckets(ids, n_buckets)))
        pq.write_to_dataset(table, root / name, partition_cols=[BUCKET])
    return root


def _plain(table: Any) -> Any:
    """
    Dictionary columns decoded to their values: a bucket's file then holds its own values,
    not the whole table's dictionary (every bucket would read every student's id).
    """
    import pyarrow as pa

    columns = [
        c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns
    ]
    return pa.table(dict(zip(table.column_names, columns, strict=True)))


def partition_paths(
    root: str | os.PathLike[str], tables: Sequence[str] = TABLES
) -> list[dict[str, Path | None]]:
    """
    The partitions of a dataset partitioned by student: per bucket, each table's directory.

    Raises:
        InvalidArgumentError: If *root* has no ``students/bucket=K`` directory.

    Examples:
        >>> import tempfile
        >>> from edoutcomes.synth import synthetic_cohort
        >>> c = synthetic_cohort(30, seed=1).columns
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     root = write_partitioned(folder, c.students, c.enrollments, n_buckets=2)
        ...     [{name: path and path.name for name, path in part.items()} for part in partition_paths(root)]
        [{'students': 'bucket=0', 'enrollments': 'bucket=0', 'degrees': None}, {'students': 'bucket=1', 'enrollments': 'bucket=1', 'degrees': None}]
    """
    root = Path(root)
    buckets: set[str] = set()
    for name in tables:
        if (root / name).is_dir():
            buckets |= {p.name for p in (root / name).glob(f"{BUCKET}=*") if p.is_dir()}
    if not (root / "students").is_dir() or not buckets:
        msg = f"{root} holds no students/{BUCKET}=K directories (see write_partitioned)"
        raise InvalidArgumentError(msg)

    def directory(name: str, bucket: str) -> Path | None:
        path = root / name / bucket
        return path if path.is_dir() else None

    return [
        {name: directory(name, bucket) for name in tables}
        for bucket in sorted(buckets, key=lambda b: int(b.split("=", 1)[1]))
    ]


def read_part(paths: Sequence[Path | None]) -> list[Any]:
    """The Arrow tables of one partition (None for a table it lacks), on a worker."""
    import pyarrow.parquet as pq

    return [None if p is None else pq.read_table(p) for p in paths]
