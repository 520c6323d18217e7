"""
Global row numbers carried through a partition of students, as an Arrow column.

A cluster splits the input by student; each row keeps its position in the whole input in
the :data:`ROW` column (request order for students, file order for records), so the
partial of a partition can order the detail report and number the findings as one
process would. Any engine that can call Python on Arrow tables (Dask, Spark, Ray) uses it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidArgumentError
from ..model import CohortColumns, K12Columns

__all__ = [
    "BUCKET",
    "ROW",
    "cohort_columns_of_arrow",
    "k12_columns_of_arrow",
    "partition_rows",
    "split_rows",
]

ROW = "row"
"""
The column holding each row's 0-based position in the whole input.

Examples:
    >>> import pyarrow as pa
    >>> part = pa.table({"requester_id": ["B", "A"], ROW: [7, 2]})
    >>> data, rows = split_rows(part, "students")
    >>> rows.tolist(), data.column_names
    ([2, 7], ['requester_id'])
"""
#: The partition column of a dataset partitioned by student.
BUCKET = "bucket"


def split_rows(table: Any, name: str) -> tuple[Any, Any]:
    """
    A partition's *name* table in global row order without its row and bucket columns,
    and its rows (int64).

    Raises:
        InvalidArgumentError: If the table has no :data:`ROW` column.

    Examples:
        >>> import pyarrow as pa
        >>> data, rows = split_rows(pa.table({"requester_id": ["B", "A"], "row": [7, 2]}), "students")
        >>> data.column("requester_id").to_pylist(), rows.tolist()
        (['A', 'B'], [2, 7])
    """
    import pyarrow as pa

    table = pa.table(table)
    if ROW not in table.column_names:
        msg = f"the {name} table of a partition has no {ROW!r} column (each row's position in the whole input)"
        raise InvalidArgumentError(msg)
    table = table.sort_by(ROW)
    rows = table.column(ROW).to_numpy().astype("int64", copy=False)
    return table.drop_columns([c for c in (ROW, BUCKET) if c in table.column_names]), rows


def cohort_columns_of_arrow(
    students: Any = None, enrollments: Any = None, degrees: Any = None
) -> tuple[CohortColumns, list[Any]]:
    """
    The columnar view of one partition of a cohort given as Arrow tables, each with its
    :data:`ROW` column, and each table's global rows (None for a missing table; a missing
    students table holds no one).

    Raises:
        InvalidArgumentError: If a table has no :data:`ROW` column.
        InvalidInputError: If a table has an error (as :meth:`CohortColumns.from_arrow`).
    """
    import pyarrow as pa

    if students is None:
        students = pa.table(
            {"requester_id": pa.array([], pa.string()), ROW: pa.array([], pa.int64())}
        )
    arrow: list[Any] = []
    rows: list[Any] = []
    for name, table in (("students", students), ("enrollments", enrollments), ("degrees", degrees)):
        data, numbers = (None, None) if table is None else split_rows(table, name)
        arrow.append(data)
        rows.append(numbers)
    return CohortColumns.from_arrow(*arrow), rows


def k12_columns_of_arrow(students: Any = None, **tables: Any) -> tuple[K12Columns, Any]:
    """
    The K-12 view of one partition given as Arrow tables, each with its :data:`ROW` column
    (the records by :class:`~edoutcomes.model.K12Columns` name, None for a missing one; a
    missing students table holds no one), and the students' global rows.

    Raises:
        InvalidArgumentError: If a table has no :data:`ROW` column.
    """
    import pyarrow as pa

    if students is None:
        students = pa.table(
            {"student_id": pa.array([], pa.string()), ROW: pa.array([], pa.int64())}
        )
    data, rows = split_rows(students, "students")
    records = {name: split_rows(t, name)[0] for name, t in tables.items() if t is not None}
    return K12Columns.from_arrow(data, **records), rows


def partition_rows(rows: Any, n: int, name: str, *, unit: str = "rows") -> NDArray[np.int64]:
    """
    The global 0-based row numbers of a partition's *n* rows: *rows*, or 0 .. n-1 when None.

    Args:
        rows: One row number per row of the partition, or None (the partition is the input).
        n: The partition's number of rows.
        name: The argument *rows* came in, for the error.
        unit: What the partition's rows are, for the error (``rows``, ``students``).

    Raises:
        InvalidArgumentError: If *rows* does not give one number per row.

    Examples:
        >>> partition_rows(None, 3, "student_rows").tolist(), partition_rows([7, 2], 2, "rows").tolist()
        ([0, 1, 2], [7, 2])
    """
    if rows is None:
        return np.arange(n, dtype=np.int64)
    out = np.asarray(rows, dtype=np.int64)
    if out.shape != (n,):
        msg = f"{name} has {out.size} row numbers, but the partition has {n} {unit}"
        raise InvalidArgumentError(msg)
    return out
