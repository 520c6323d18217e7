"""
The final tie-break of every tie rule: the records' remaining fields, ranked by value.

A tie rule (the first college, the reporting enrollment, ...) orders a student's records by
its own keys; records still tied would make the output depend on the input order. Ranking
those, and only those, by every remaining field in one fixed order makes it a function of
the records' values alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model import Column, Kind, Table

__all__ = ["break_ties", "remaining_keys", "remaining_values"]


def remaining_keys(
    table: Table, used: Sequence[str]
) -> Callable[[NDArray[np.integer[Any]]], list[NDArray[np.int64]]]:
    """
    The final tie-break of a tie rule: the table's remaining columns, ranked by value.

    Every column but the rule's own (*used*: the student key and the rule's keys), in one fixed order
    (the canonical columns in schema order, then the extra columns by name), each ranked by
    its value, never by its encoding (text by the string, so not by the dictionary code,
    which follows input order; codes by the code set's order; missing first). Returns a
    function giving those keys at some table rows, so a tie rule ranks only its tied rows.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import CohortColumns, CollegeCode, CollegeType, EnrollmentRecord
        >>> cols = CohortColumns.from_records([], [
        ...     EnrollmentRecord("1", CollegeCode.parse("000001-00"), CollegeType.FOUR_YEAR,
        ...                      dt.date(2020, 9, 1), dt.date(2020, 12, 1), college_name=name)
        ...     for name in ("B", "A")])
        >>> keys = remaining_keys(cols.enrollments, ["requester_id", "college_code", "begin_date"])
        >>> keys(np.array([0, 1]))[0].tolist()  # college_name: B after A
        [1, 0]
    """
    lookups: list[tuple[str, NDArray[Any] | None]] = []
    for column in _remaining_columns(table, used):
        lut = None
        if column.kind is Kind.TEXT:
            # Rank each distinct string (equal strings, equal rank); -1 (missing) ranks first.
            cats = table.categories[column.name]
            ranks = np.unique(cats.astype(str), return_inverse=True)[1] if len(cats) else cats
            lut = np.append(np.asarray(ranks, dtype=np.int64).ravel(), -1)
        lookups.append((column.name, lut))

    def keys(rows: NDArray[np.integer[Any]]) -> list[NDArray[np.int64]]:
        out = []
        for name, lut in lookups:
            values = table.data[name][rows]
            if lut is not None:
                out.append(lut[values])
            elif values.dtype.kind == "f":
                out.append(np.unique(np.nan_to_num(values, nan=-np.inf), return_inverse=True)[1])
            else:
                out.append(values.astype(np.int64))
        return out

    return keys


def _remaining_columns(table: Table, used: Sequence[str]) -> list[Column]:
    """The columns of the final tie-break, in its fixed order (see :func:`remaining_keys`)."""
    names = set(used)
    columns = [c for c in table.schema.columns if c.name not in names]
    columns += sorted((c for c in table.extras if c.name not in names), key=lambda c: c.name)
    return columns


def remaining_values(
    table: Table, used: Sequence[str], rows: NDArray[np.integer[Any]]
) -> list[tuple[str, Any]]:
    """
    The final tie-break's fields at some rows as their values (``pyarrow`` arrays: text as
    strings, missing null; codes, dates and flags as their stored numbers; floats with NaN
    as minus infinity), so records of *different* tables compare as :func:`remaining_keys`
    compares records of one table, once nulls sort first.
    """
    import pyarrow as pa

    out: list[tuple[str, Any]] = []
    for column in _remaining_columns(table, used):
        values = table.data[column.name][rows]
        if column.kind is Kind.TEXT:
            cats = np.empty(len(table.categories[column.name]) + 1, dtype=object)
            cats[:-1] = table.categories[column.name].astype(str)
            cats[-1] = None
            out.append((column.name, pa.array(cats[values], pa.string())))
        elif values.dtype.kind == "f":
            out.append((column.name, pa.array(np.nan_to_num(values, nan=-np.inf), pa.float64())))
        else:
            out.append((column.name, pa.array(values.astype(np.int64), pa.int64())))
    return out


def break_ties(
    order: NDArray[np.intp],
    keys: Sequence[NDArray[Any]],
    then: Callable[[NDArray[np.intp]], list[NDArray[Any]]],
) -> NDArray[np.intp]:
    """
    *order*, sorted by *keys* (most significant first), with each run of rows equal on every
    key re-sorted by the keys *then* gives for those rows (the tie rule's further keys).

    Only the tied rows, a small minority, are ranked by the further keys.
    """
    if len(order) < 2:
        return order
    tie = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        ranked = key[order]
        tie &= ranked[1:] == ranked[:-1]
    if not tie.any():
        return order
    involved = np.zeros(len(order), dtype=bool)
    involved[1:] |= tie
    involved[:-1] |= tie
    at = np.flatnonzero(involved)
    sub = order[at]
    sort_keys = [key[sub] for key in keys] + then(sub)
    out = order.copy()
    out[at] = sub[np.lexsort(tuple(reversed(sort_keys)))]
    return out
