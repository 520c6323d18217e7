"""Small-count suppression: primary (below the threshold) and secondary (no recovery by subtraction)."""

from __future__ import annotations

import enum
from collections.abc import Sequence

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from ..errors import InvalidArgumentError

__all__ = ["Relation", "Suppression", "suppress"]


class Suppression(enum.IntEnum):
    """
    Why a cell of a published report is hidden; every cell carries one.

    Examples:
        >>> Suppression.SMALL_COUNT.hidden, Suppression.NONE.hidden
        (True, False)
    """

    #: Published as is.
    NONE = 0
    #: A count below the threshold (primary suppression), written ``*``.
    SMALL_COUNT = 1
    #: A count hidden so that no suppressed count can be recovered by subtraction, written ``*``.
    SECONDARY = 2
    #: A rate whose count or denominator is hidden, written blank.
    RATE_OF_HIDDEN = 3

    @property
    def hidden(self) -> bool:
        """Whether the cell's value is withheld."""
        return self is not Suppression.NONE


@frozen
class Relation:
    """
    A published total and the parts that add up to it: ``total = sum(parts) + remainder``.

    Cells are flat indexes into the report's grid. A nonzero *remainder* (e.g. colleges of
    unknown control) is itself unpublished, so it counts as one more hidden cell.
    """

    total: int
    parts: tuple[int, ...]
    remainder: int = 0


def suppress(
    values: NDArray[np.int64],
    relations: Sequence[Relation],
    *,
    below: int,
) -> NDArray[np.int8]:
    """
    The :class:`Suppression` reason of every cell of a grid of counts.

    Primary: every available count (``>= 0``; -1 is "not available") below *below*.
    Secondary, until nothing changes: in any relation whose total and parts hold exactly
    one hidden cell (and no hidden remainder), the smallest published part is hidden too
    (the total when no part is left), so subtracting published counts from a published
    total never gives a hidden one.

    Examples:
        >>> values = np.array([10, 3, 7, 20, 0])
        >>> suppress(values, [Relation(0, (1, 2))], below=5).tolist()
        [0, 1, 2, 0, 1]
    """
    if below < 1:
        msg = f"suppression threshold {below=} must be at least 1"
        raise InvalidArgumentError(msg)
    flat = np.asarray(values, dtype=np.int64).ravel()
    reasons = np.zeros(len(flat), dtype=np.int8)
    reasons[(flat >= 0) & (flat < below)] = Suppression.SMALL_COUNT
    cells = [np.array((r.total, *r.parts), dtype=np.intp) for r in relations]
    open_relations = [i for i, r in enumerate(relations) if r.remainder == 0]
    changed = True
    while changed:
        changed = False
        for i in open_relations:
            members = cells[i]
            members = members[flat[members] >= 0]
            hidden = reasons[members] != Suppression.NONE
            if int(hidden.sum()) != 1:
                continue
            shown = members[~hidden]
            if len(shown) == 0:
                continue
            parts = shown[shown != relations[i].total]
            pool = parts if len(parts) else shown
            pick = pool[np.argmin(flat[pool])]
            reasons[pick] = Suppression.SECONDARY
            changed = True
    out: NDArray[np.int8] = reasons.reshape(np.shape(values))
    return out
