"""Small vectorised helpers shared by the synthetic generators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["day_number", "digit_strings", "draw", "objects", "zipf_index"]

_FEW = 12


def objects(values: Sequence[Any]) -> NDArray[np.object_]:
    """A 1-d object array of *values* (never a 2-d array of characters or tuples)."""
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def day_number(day: dt.date) -> int:
    """
    The columnar day number (days since 1970-01-01) of *day*.

    Examples:
        >>> day_number(dt.date(1970, 1, 2))
        1
    """
    return int(np.datetime64(day, "D").astype(np.int64))


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
