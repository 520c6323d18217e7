"""Small vectorised helpers shared by the synthetic generators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
from attrs import AttrsInstance, Factory, fields, frozen
from numpy.typing import NDArray

from ..model import Column, Table, TableSchema

__all__ = [
    "Part",
    "digit_strings",
    "draw",
    "objects",
    "stack_rows",
    "table_of",
    "take_rows",
    "zipf_index",
]

_Rows = TypeVar("_Rows", bound=AttrsInstance)

_FEW = 12


def objects(values: Sequence[Any]) -> NDArray[np.object_]:
    """A 1-d object array of *values* (never a 2-d array of characters or tuples)."""
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def digit_strings(numbers: NDArray[np.int64], width: int, prefix: str = "") -> NDArray[np.object_]:
    """
    Zero-padded decimal strings of *numbers*, vectorised (no Python loop per number).

    Examples:
        >>> digit_strings(np.array([7, 1234]), 5, "S").tolist()
        ['S00007', 'S01234']
    """
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    # Code points laid out as fixed-width unicode (UCS4): a view, with no per-string work.
    digits = ((numbers[:, None] // powers) % 10 + ord("0")).astype(np.uint32)
    if prefix:
        head = np.array([ord(c) for c in prefix], dtype=np.uint32)
        digits = np.hstack([np.broadcast_to(head, (len(numbers), len(head))), digits])
    size = digits.shape[1]
    text = np.ascontiguousarray(digits).view(f"<U{size}").ravel()
    strings: NDArray[np.object_] = text.astype(object)
    return strings


def zipf_index(
    rng: np.random.Generator, size: int, n: int, *, exponent: float = 0.8
) -> NDArray[np.intp]:
    """*n* indices 0..size-1, the first ones more common (names and schools are not uniform)."""
    return draw(rng, 1.0 / np.arange(1, size + 1) ** exponent, n)


def draw(
    rng: np.random.Generator, weights: NDArray[np.floating[Any]] | Sequence[float], n: int
) -> NDArray[np.intp]:
    """*n* indices into *weights*, each drawn with probability proportional to its weight."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    needles = rng.random(n) * cumulative[-1]
    if len(cumulative) <= _FEW:
        # A few categories: one comparison pass each beats a binary search per draw.
        indices = np.zeros(n, dtype=np.intp)
        for bound in cumulative[:-1]:
            indices += needles >= bound
        return indices
    drawn = np.searchsorted(cumulative, needles, side="right")
    out: NDArray[np.intp] = np.minimum(drawn, len(cumulative) - 1)
    return out


@frozen(eq=False)
class Part:
    """Some columns of a table being generated: their codes, and the text categories they index."""

    data: dict[str, NDArray[Any]]
    categories: dict[str, NDArray[np.object_]] = Factory(dict)


def table_of(
    schema: TableSchema | str, parts: Sequence[Part], extras: Sequence[Column] = ()
) -> Table:
    """The table of *schema* whose columns are those of *parts*."""
    return Table.from_arrays(
        schema,
        {name: array for part in parts for name, array in part.data.items()},
        {name: array for part in parts for name, array in part.categories.items()},
        extras,
    )


def take_rows(rows: _Rows, index: NDArray[Any]) -> _Rows:
    """*rows* (an attrs value whose fields are parallel arrays) at *index* (positions or a mask)."""
    cls = type(rows)
    return cls(*(getattr(rows, f.name)[index] for f in fields(cls)))


def stack_rows(parts: Sequence[_Rows]) -> _Rows:
    """The rows of *parts* (attrs values of one class of parallel arrays), one after the other."""
    cls = type(parts[0])
    return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))
