"""Vectorised building blocks of the on-track engine: dated activity, per-student any and best."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._kernel._days import MISSING_DAY, NO_DAY, add_months, day, school_year_start
from .._kernel._groups import run_ends, run_starts
from .._kernel._ties import break_ties

__all__ = [
    "OPEN_END",
    "active_on",
    "add_months",
    "any_per_student",
    "best_per_student",
    "day",
    "id_rank",
    "id_rank_of_rows",
    "open_end",
    "overlaps",
    "school_year_start",
]

#: A missing end date read as "still open": later than any real day.
OPEN_END = NO_DAY

IntArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]


def open_end(end: IntArray) -> IntArray:
    """End days with a missing end read as open (``OPEN_END``)."""
    return np.where(end == MISSING_DAY, OPEN_END, end).astype(np.int32)


def active_on(start: IntArray, end: IntArray, on: int, *, open_start: bool = False) -> BoolArray:
    """
    Rows active on day *on*: ``start <= on <= end``, a missing end open.

    With *open_start*, a missing start is open too (else it is never active).

    Examples:
        >>> active_on(np.array([5, 5, 5], np.int32), np.array([9, MISSING_DAY, 6], np.int32), 7).tolist()
        [True, True, False]
    """
    started = start <= on
    if not open_start:
        started &= start != MISSING_DAY
    return started & (open_end(end) >= on)


def overlaps(start: IntArray, end: IntArray, first: int, last: int) -> BoolArray:
    """Rows active on at least one day of ``first .. last`` (a missing end open)."""
    out: BoolArray = (start != MISSING_DAY) & (start <= last) & (open_end(end) >= first)
    return out


def any_per_student(student: IntArray, mask: BoolArray, n: int) -> BoolArray:
    """For each of *n* students, whether any of their rows (``student[i] >= 0``) is in *mask*."""
    keep = mask & (student >= 0)
    return np.bincount(student[keep], minlength=n).astype(bool)


def best_per_student(
    student: IntArray,
    mask: BoolArray,
    keys: list[NDArray[Any]],
    n: int,
    rest: Callable[[NDArray[np.intp]], list[NDArray[np.int64]]] | None = None,
) -> IntArray:
    """
    For each of *n* students, the row in *mask* that is greatest by *keys* (most significant first).

    Rows still tied after every key are ranked by *rest* (the keys it gives for some rows:
    the records' remaining fields), so the choice does not depend on the rows' order; rows
    tied even then (equal in every field) go to the later row. Students without a row get -1.

    Examples:
        >>> student = np.array([0, 0, 1, 0], np.int32)
        >>> best_per_student(student, np.ones(4, bool), [np.array([3, 7, 1, 7])], 3).tolist()
        [3, 2, -1]
    """
    rows = np.flatnonzero(mask & (student >= 0))
    out = np.full(n, -1, dtype=np.int32)
    if len(rows) == 0:
        return out
    groups = student[rows]
    at_rows = [k[rows] for k in keys]
    order = np.lexsort((rows, *reversed(at_rows), groups))
    if rest is not None:
        order = break_ties(order, [groups, *at_rows], lambda tied: rest(rows[tied]))
    sorted_groups = groups[order]
    last = run_ends(run_starts([sorted_groups]))
    out[sorted_groups[last]] = rows[order][last]
    return out


def id_rank(categories: NDArray[np.object_]) -> IntArray:
    """
    A rank for each distinct id, ordering digit strings by number, then other ids as text.

    Examples:
        >>> id_rank(np.array(["12", "9", "A1", "010"], dtype=object)).tolist()
        [2, 0, 3, 1]
    """
    values = [str(x) for x in categories.tolist()]
    width = max((len(v) for v in values), default=0)
    # Zero-padded digit strings sort as numbers; a leading "0"/"1" puts them before other ids.
    keys = np.empty(len(values), dtype=object)
    keys[:] = ["0" + v.zfill(width) if v.isdigit() else "1" + v for v in values]
    order = np.argsort(keys, kind="stable")
    rank = np.empty(len(values), dtype=np.int32)
    rank[order] = np.arange(len(values), dtype=np.int32)
    return rank


def id_rank_of_rows(
    codes: IntArray, categories: NDArray[np.object_], mask: BoolArray
) -> NDArray[np.int64]:
    """
    :func:`id_rank` of each row's id, ranking only the ids the *mask* rows use (others: 0).

    Examples:
        >>> cats = np.array(["12", "9", "A1"], dtype=object)
        >>> id_rank_of_rows(np.array([0, 1, 2, -1], np.int32), cats, np.array([True, True, False, True])).tolist()
        [1, 0, 0, -1]
    """
    used = np.unique(codes[mask & (codes >= 0)])
    rank = np.zeros(len(categories) + 1, dtype=np.int64)
    rank[-1] = -1
    rank[used] = id_rank(categories[used])
    out: NDArray[np.int64] = rank[codes]
    return out
