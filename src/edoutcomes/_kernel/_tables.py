"""A plain report table: what a report gives when it has nothing more special to say."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from attrs import field, frozen

from ..errors import InvalidArgumentError
from ._arrow import ArrowExport

__all__ = ["RowTable"]


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _rows(value: Iterable[Sequence[object]]) -> tuple[tuple[object, ...], ...]:
    return tuple(tuple(row) for row in value)


@frozen
class RowTable(ArrowExport):
    """
    A report table held in memory: a name, column names, typed rows, optionally a layout.

    Every generic writer takes it; reports build one in ``as_table()``.

    Examples:
        >>> t = RowTable("counts", ("year", "n"), [("2006-07", 3), ("2007-08", 5)])
        >>> list(t.rows())
        [('2006-07', 3), ('2007-08', 5)]
        >>> RowTable("bad", ("a",), [(1, 2)])
        Traceback (most recent call last):
        ...
        edoutcomes.errors.InvalidArgumentError: bad: row 1 has 2 values for 1 columns
    """

    name: str
    columns: tuple[str, ...] = field(converter=_names)
    data: tuple[tuple[object, ...], ...] = field(converter=_rows, repr=False)
    #: A :class:`~edoutcomes.formats.fixed.FixedWidthLayout` for the fixed-width writer; typed
    #: loosely because the kernel sits below the formats that define it.
    layout: object = field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for position, row in enumerate(self.data, start=1):
            if len(row) != width:
                msg = f"{self.name}: row {position} has {len(row)} values for {width} columns"
                raise InvalidArgumentError(msg)

    def rows(self) -> Iterator[tuple[object, ...]]:
        """
        The rows, in order.

        Examples:
            >>> list(RowTable("counts", ("year", "n"), [("2016-17", 3)]).rows())
            [('2016-17', 3)]
        """
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def records(self) -> list[dict[str, Any]]:
        """
        The rows as dicts keyed by column name.

        Examples:
            >>> RowTable("counts", ("year", "n"), [("2016-17", 3)]).records()
            [{'year': '2016-17', 'n': 3}]
        """
        return [dict(zip(self.columns, row, strict=True)) for row in self.data]
