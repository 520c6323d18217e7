"""Small-count suppression: primary (below the threshold) and secondary (no recovery by subtraction)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

import numpy as np
from attrs import field, frozen
from numpy.typing import ArrayLike, NDArray

from ..errors import InvalidArgumentError

__all__ = ["Relation", "Relations", "Suppression", "suppress"]


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

    Examples:
        Cell 0 is the total of cells 1 and 2: hiding the small cell 1 alone would let a reader
        subtract it back, so cell 2 is hidden too; with a remainder, nothing more is needed.

        >>> counts = np.array([10, 3, 7])
        >>> suppress(counts, [Relation(total=0, parts=(1, 2))], below=5).tolist()
        [0, 1, 2]
        >>> suppress(counts, [Relation(total=0, parts=(1, 2), remainder=1)], below=5).tolist()
        [0, 1, 0]
    """

    total: int
    parts: tuple[int, ...]
    remainder: int = 0


def _ranges(lo: NDArray[np.intp], hi: NDArray[np.intp]) -> NDArray[np.intp]:
    """``concatenate([arange(a, b) for a, b in zip(lo, hi)])``, without the loop."""
    lengths = hi - lo
    ends = np.cumsum(lengths)
    out: NDArray[np.intp] = np.repeat(lo - (ends - lengths), lengths) + np.arange(
        ends[-1] if len(ends) else 0, dtype=np.intp
    )
    return out


def _cells(a: ArrayLike) -> NDArray[np.intp]:
    return np.asarray(a, dtype=np.intp)


def _counts(a: ArrayLike) -> NDArray[np.int64]:
    return np.asarray(a, dtype=np.int64)


@frozen(eq=False)
class Relations:
    """
    Many :class:`Relation` in one compressed layout, in order (the order suppression visits them).

    Relation *i*'s cells are ``members[starts[i]:starts[i + 1]]``, its total first, then its
    parts; ``remainders[i]`` is its remainder. Build it with numpy (:meth:`block`,
    :meth:`concat`, :meth:`take`), or from :class:`Relation` objects (:meth:`of`).

    Examples:
        >>> r = Relations.block(np.array([0, 3]), np.array([[1, 2], [4, 5]]))
        >>> r.relations()[1]
        Relation(total=3, parts=(4, 5), remainder=0)
    """

    members: NDArray[np.intp] = field(repr=False, converter=_cells)
    starts: NDArray[np.intp] = field(repr=False, converter=_cells)
    remainders: NDArray[np.int64] = field(repr=False, converter=_counts)
    # Made on first use: the relation of each member, its position in cell order, those cells.
    _index: tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]] | None = field(
        init=False, default=None, repr=False
    )

    def __attrs_post_init__(self) -> None:
        sizes = np.diff(self.starts)
        if (
            self.starts.ndim != 1
            or len(self.starts) == 0
            or self.starts[0] != 0
            or self.starts[-1] != len(self.members)
            or np.any(sizes < 1)
            or self.remainders.shape != (len(sizes),)
            or np.any(self.members < 0)
        ):
            msg = "relations need starts from 0 to len(members), a total each and cells >= 0"
            raise InvalidArgumentError(msg)

    def __len__(self) -> int:
        return len(self.starts) - 1

    @property
    def totals(self) -> NDArray[np.intp]:
        """The total cell of each relation."""
        return self.members[self.starts[:-1]]

    @classmethod
    def of(cls, relations: Iterable[Relation]) -> Relations:
        """The layout of *relations* (a loop over them: for a few, or for tests)."""
        items = list(relations)
        cells = [c for r in items for c in (r.total, *r.parts)]
        sizes = [1 + len(r.parts) for r in items]
        return cls(cells, np.cumsum([0, *sizes]), [r.remainder for r in items])

    @classmethod
    def block(
        cls, totals: ArrayLike, parts: ArrayLike, remainders: ArrayLike | None = None
    ) -> Relations:
        """Relations of the same size: ``totals[i]`` and the parts ``parts[i, :]`` (leading axes flattened)."""
        t = np.asarray(totals, dtype=np.intp).reshape(-1)
        p = np.asarray(parts, dtype=np.intp)
        p = p.reshape(len(t), p.shape[-1] if p.ndim else 0)
        rem = np.zeros(len(t), np.int64) if remainders is None else remainders
        cells = np.concatenate([t[:, None], p], axis=1).reshape(-1)
        return cls(cells, np.arange(len(t) + 1) * (p.shape[1] + 1), rem)

    @classmethod
    def concat(cls, blocks: Sequence[Relations]) -> Relations:
        """The relations of *blocks*, one after the other."""
        if not blocks:
            return cls([], [0], [])
        sizes = np.concatenate([np.diff(b.starts) for b in blocks])
        return cls(
            np.concatenate([b.members for b in blocks]),
            np.cumsum(np.concatenate([[0], sizes])),
            np.concatenate([b.remainders for b in blocks]),
        )

    def take(self, order: ArrayLike) -> Relations:
        """The relations ``order`` (indexes, or a mask), in that order."""
        keep = np.arange(len(self), dtype=np.intp)[np.asarray(order)]
        lo, hi = self.starts[keep], self.starts[keep + 1]
        members = self.members[_ranges(lo, hi)]
        return Relations(members, np.cumsum(np.concatenate([[0], hi - lo])), self.remainders[keep])

    def relations(self) -> tuple[Relation, ...]:
        """The relations as :class:`Relation` objects (a loop: for a few, or for tests)."""
        cells, starts = self.members.tolist(), self.starts.tolist()
        return tuple(
            Relation(cells[a], tuple(cells[a + 1 : b]), r)
            for a, b, r in zip(starts[:-1], starts[1:], self.remainders.tolist(), strict=True)
        )

    def containing(self, cells: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Every occurrence of *cells* in the relations: its relation, and which of *cells*."""
        if self._index is None:
            by_cell = np.argsort(self.members, kind="stable").astype(np.intp)
            owner = np.repeat(np.arange(len(self), dtype=np.intp), np.diff(self.starts))
            object.__setattr__(self, "_index", (owner, by_cell, self.members[by_cell]))
        assert self._index is not None
        owner, by_cell, sorted_cells = self._index
        lo = np.searchsorted(sorted_cells, cells, side="left").astype(np.intp)
        hi = np.searchsorted(sorted_cells, cells, side="right").astype(np.intp)
        owners = owner[by_cell[_ranges(lo, hi)]]
        which = np.repeat(np.arange(len(cells), dtype=np.intp), hi - lo)
        return owners, which

    def sums(self, flags: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Per relation, how many of its members *flags* (one flag per member) marks."""
        ends = np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])
        out: NDArray[np.int64] = ends[self.starts[1:]] - ends[self.starts[:-1]]
        return out


def suppress(
    values: NDArray[np.int64],
    relations: Sequence[Relation] | Relations,
    *,
    below: int,
) -> NDArray[np.int8]:
    """
    The :class:`Suppression` reason of every cell of a grid of counts.

    Primary: every available count (``>= 0``; -1 is "not available") below *below*.
    Secondary, until nothing changes: in any relation whose total and parts hold exactly
    one hidden cell (and no hidden remainder), the smallest published part is hidden too
    (the total when no part is left), so subtracting published counts from a published
    total never gives a hidden one. The relations are visited in order, sweep after sweep,
    each seeing the cells hidden before it (computed a wave of relations at a time, see
    :func:`_wave`).

    Raises:
        InvalidArgumentError: If *below* is below 1, or a relation names a cell outside the grid.

    Examples:
        >>> values = np.array([10, 3, 7, 20, 0])
        >>> suppress(values, [Relation(0, (1, 2))], below=5).tolist()
        [0, 1, 2, 0, 1]
    """
    if below < 1:
        msg = f"suppression threshold {below=} must be at least 1"
        raise InvalidArgumentError(msg)
    flat = np.asarray(values, dtype=np.int64).ravel()
    layout = relations if isinstance(relations, Relations) else Relations.of(relations)
    if len(layout.members) and int(layout.members.max()) >= len(flat):
        msg = f"a relation names a cell outside the grid of {len(flat)} cells"
        raise InvalidArgumentError(msg)
    reasons = np.zeros(len(flat), dtype=np.int8)
    reasons[(flat >= 0) & (flat < below)] = Suppression.SMALL_COUNT
    available = flat[layout.members] >= 0
    hidden = layout.sums(available & (reasons[layout.members] != Suppression.NONE))
    # A relation can act when it holds one hidden cell and one more available: one with a
    # remainder never does, and none ever has fewer hidden cells than before.
    ready = (layout.remainders == 0) & (layout.sums(available) >= 2)
    todo = np.flatnonzero(ready & (hidden == 1))
    while len(todo):  # one sweep
        while len(todo):
            todo = _wave(flat, reasons, layout, hidden, ready, todo)
        todo = np.flatnonzero(ready & (hidden == 1))
    out: NDArray[np.int8] = reasons.reshape(np.shape(values))
    return out


def _wave(
    flat: NDArray[np.int64],
    reasons: NDArray[np.int8],
    layout: Relations,
    hidden: NDArray[np.int64],
    ready: NDArray[np.bool_],
    todo: NDArray[np.intp],
) -> NDArray[np.intp]:
    """
    Act on the relations *todo* of a sweep, in order, up to the first that an earlier one changes.

    *todo* holds, in order, every relation from here to the end of the sweep that can act now.
    Each picks a cell as if none before it acted. Relation *r* sees the same cells in the
    sequential sweep as long as no pick of a relation before it lands in *r* or in one that
    can still act (hidden count 0 or 1): so every relation before the first such landing acts
    as picked, together. Returns the relations that can act from that landing on (those of
    *todo* still at one hidden cell, and those a pick brought to one), for the next wave;
    picks landing in relations already passed are for the next sweep. Updates *reasons* and
    *hidden* in place.
    """
    picks = _picks(flat, reasons, layout, todo)
    landed, source = layout.containing(picks)
    matters = (landed > todo[source]) & ready[landed] & (hidden[landed] <= 1)
    stop = int(landed[matters].min()) if matters.any() else len(layout)
    acts = todo < stop
    reasons[picks[acts]] = Suppression.SECONDARY
    taken = acts[source]
    np.add.at(hidden, landed[taken], 1)
    later = np.unique(np.concatenate([todo[~acts], landed[taken & (landed >= stop)]]))
    out: NDArray[np.intp] = later[ready[later] & (hidden[later] == 1)]
    return out


def _picks(
    flat: NDArray[np.int64],
    reasons: NDArray[np.int8],
    layout: Relations,
    todo: NDArray[np.intp],
) -> NDArray[np.intp]:
    """The cell each relation of *todo* hides: its smallest published part (first if tied), else its total."""
    lo, hi = layout.starts[todo], layout.starts[todo + 1]
    cells = layout.members[_ranges(lo, hi)]
    begin = (np.cumsum(hi - lo) - (hi - lo)).astype(np.intp)  # of each relation, in *cells*
    relation = np.repeat(np.arange(len(todo)), hi - lo)
    value = flat[cells]
    part = (value >= 0) & (reasons[cells] == Suppression.NONE) & (cells != cells[begin][relation])
    smallest = np.minimum.reduceat(np.where(part, value, np.iinfo(np.int64).max), begin)
    first = np.flatnonzero(part & (value == smallest[relation]))
    first = first[np.diff(relation[first], prepend=-1) != 0]  # the first of each relation
    out: NDArray[np.intp] = cells[begin]  # the total, where no part is published
    has_part = np.add.reduceat(part, begin) > 0
    out[has_part] = cells[first]
    return out
