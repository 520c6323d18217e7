"""
Grouping over the columnar view: a stable sort of rows by several keys, the first row of
each group, the runs of equal keys in sorted rows (where each begins and ends, its length, each row's place in it),
students picked by id or mask, and the FERPA block rank of each record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidArgumentError
from ..model import CohortColumns, FerpaBlock, Table

__all__ = [
    "BLOCK_NONE",
    "BLOCK_SCHOOL",
    "BLOCK_STUDENT",
    "block_ranks",
    "first_rows",
    "run_ends",
    "run_lengths",
    "run_places",
    "run_starts",
    "sort_order",
    "subset_mask",
]

#: Block ranks of a record (higher wins a tie: the school's block is the strictest). They are
#: the stored codes of ``FerpaBlock`` (explicit: NONE 0, STUDENT 1, SCHOOL 2, UNKNOWN 3), so
#: clipping a code to 0..2 gives the rank: missing (-1) is no block, and an unknown code gets
#: the strictest reading, the school's.
BLOCK_NONE, BLOCK_STUDENT, BLOCK_SCHOOL = (
    FerpaBlock.NONE.code,
    FerpaBlock.STUDENT.code,
    FerpaBlock.SCHOOL.code,
)


def block_ranks(table: Table) -> NDArray[np.int8]:
    """The block rank (:data:`BLOCK_NONE`, ``_STUDENT``, ``_SCHOOL``) of each record of *table*."""
    out: NDArray[np.int8] = np.clip(table.data["ferpa_block"], BLOCK_NONE, BLOCK_SCHOOL)
    return out


def sort_order(keys: Sequence[NDArray[Any]]) -> NDArray[np.intp]:
    """
    A stable order of rows by *keys* (most significant first), as ``np.lexsort`` would give.

    When the keys' ranges fit in 63 bits together they are packed into one ``int64`` and
    sorted once, which is several times faster than a lexsort over many keys.
    """
    if len(keys[0]) == 0:
        return np.empty(0, dtype=np.intp)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    bits = [max(1, (span - 1).bit_length()) for span in spans]
    if sum(bits) > 63:
        return np.lexsort(tuple(reversed(keys)))
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, low, width in zip(keys, lows, bits, strict=True):
        packed <<= width
        packed |= key.astype(np.int64) - low
    return np.argsort(packed, kind="stable")


def first_rows(group: NDArray[np.integer[Any]], n_groups: int) -> NDArray[np.int64]:
    """
    The first row of each group ``0 .. n_groups - 1`` in row order (-1: the group has none).

    Rows whose group is negative take no part; the rows need not be sorted.

    Examples:
        >>> first_rows(np.array([2, 0, -1, 2, 0]), 4).tolist()
        [1, -1, 0, -1]
    """
    rows = np.flatnonzero(group >= 0)
    out = np.full(n_groups, -1, dtype=np.int64)
    distinct, first = np.unique(group[rows], return_index=True)
    out[distinct] = rows[first]
    return out


def run_starts(keys: Sequence[NDArray[Any]]) -> NDArray[np.bool_]:
    """
    For rows sorted by *keys*: whether each row begins a run of rows equal on every key.

    The first row always begins one; the first row of each run is the first row per group.

    Examples:
        >>> run_starts([np.array([1, 1, 2, 2, 2]), np.array([5, 6, 6, 6, 7])]).tolist()
        [True, True, True, False, True]
    """
    n = len(keys[0])
    starts = np.zeros(n, dtype=bool)
    if n:
        starts[0] = True
        for key in keys:
            starts[1:] |= key[1:] != key[:-1]
    return starts


def run_ends(starts: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """
    Whether each row ends its run (the last row per group), from :func:`run_starts`.

    Examples:
        >>> run_ends(np.array([True, False, True, True])).tolist()
        [False, True, True, True]
    """
    return np.roll(starts, -1)


def run_places(starts: NDArray[np.bool_]) -> NDArray[np.intp]:
    """
    Each row's place in its run (0 for the row that begins it), from :func:`run_starts`.

    Examples:
        >>> run_places(np.array([True, False, False, True, False])).tolist()
        [0, 1, 2, 0, 1]
    """
    position = np.arange(len(starts))
    if not len(starts):
        return position
    out: NDArray[np.intp] = position - np.maximum.accumulate(np.where(starts, position, 0))
    return out


def run_lengths(starts: NDArray[np.bool_]) -> NDArray[np.intp]:
    """
    The length of each run, in order, from :func:`run_starts`.

    Examples:
        >>> run_lengths(np.array([True, False, False, True, False])).tolist()
        [3, 2]
    """
    out: NDArray[np.intp] = np.diff(np.append(np.flatnonzero(starts), len(starts)))
    return out


def subset_mask(columns: CohortColumns, subset: Any) -> NDArray[np.bool_]:
    """A boolean mask over the students from a mask or a collection of requester ids."""
    n = columns.n_students
    if isinstance(subset, str):
        subset = [subset]
    array = np.asarray(list(subset) if not hasattr(subset, "__array__") else subset)
    if array.dtype == bool:
        if array.shape != (n,):
            msg = f"subset mask has shape {array.shape}, expected ({n},)"
            raise InvalidArgumentError(msg)
        return array
    if len(array) == 0:
        return np.zeros(n, dtype=bool)
    wanted = {str(x) for x in array.tolist()}
    ids = columns.students.categories["requester_id"]
    picked = np.array([c in wanted for c in ids.tolist()] + [False], dtype=bool)
    mask: NDArray[np.bool_] = picked[columns.students.data["requester_id"]]
    unknown = wanted - set(ids.tolist())
    if unknown:
        msg = f"subset names {len(unknown)} requester ids that are not submitted students"
        raise InvalidArgumentError(msg)
    return mask
