"""
Fixed-width files: a layout of fields (name, width, alignment, padding) and its writer.

Examples:
    >>> layout = FixedWidthLayout([FixedField("type", 2, constant="D1"), FixedField("id", 6),
    ...                            FixedField("n", 3, align=Align.RIGHT, pad="0")])
    >>> layout.format_line({"id": "A7", "n": 12})
    'D1A7    012'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from attrs import field, frozen

from .._kernel._fixed import split_fixed
from .._kernel._values import format_value
from .._kernel._writers import as_table
from ..errors import InvalidArgumentError, InvalidRecordError

__all__ = ["Align", "FixedField", "FixedWidthLayout", "write_fixed"]


class Align(enum.StrEnum):
    """
    Which side of a fixed-width field a value sits on; padding fills the other side.

    Examples:
        >>> FixedField("n", 5, align=Align.RIGHT).render(42), FixedField("n", 5, align=Align.LEFT).render(42)
        ('   42', '42   ')
    """

    LEFT = "left"
    RIGHT = "right"


def _positive(instance: object, attribute: Any, value: int) -> None:
    if not isinstance(value, int) or value < 1:
        msg = f"{attribute.name}={value!r} must be a positive integer"
        raise InvalidArgumentError(msg)


def _one_char(instance: object, attribute: Any, value: str) -> None:
    if not isinstance(value, str) or len(value) != 1:
        msg = f"{attribute.name}={value!r} must be one character"
        raise InvalidArgumentError(msg)


@frozen
class FixedField:
    """
    One field of a fixed-width record.

    Args:
        name: The report column the value comes from.
        width: Characters the field takes.
        align: ``LEFT`` (text, padded on the right) or ``RIGHT`` (numbers, padded on the left).
        pad: The padding character (``"0"`` for zero-filled numbers).
        truncate: Cut a value that is too long instead of refusing it.
        constant: Write this text instead of a column value (record types, fillers).
        date_format: ``strftime`` format for dates; ``YYYYMMDD`` by default.

    Examples:
        >>> FixedField("n", 5, align=Align.RIGHT, pad="0").render(42)
        '00042'
        >>> FixedField("d", 8).render(__import__("datetime").date(2006, 9, 15))
        '20060915'
    """

    name: str
    width: int = field(validator=_positive)
    align: Align = field(default=Align.LEFT, converter=Align, kw_only=True)
    pad: str = field(default=" ", validator=_one_char, kw_only=True)
    truncate: bool = field(default=False, kw_only=True)
    constant: str | None = field(default=None, kw_only=True)
    date_format: str = field(default="%Y%m%d", kw_only=True)

    def text(self, value: object) -> str:
        """
        How *value* is written in this field, before padding.

        Examples:
            >>> import datetime as dt
            >>> FixedField("day", 8).text(dt.date(2016, 9, 15)), FixedField("type", 2, constant="D1").text("anything")
            ('20160915', 'D1')
        """
        if self.constant is not None:
            return self.constant
        if isinstance(value, dt.date):
            return value.strftime(self.date_format)
        return format_value(value)

    def parse(self, chunk: str) -> str:
        """
        The text of this field's *chunk*, padding removed (blank for a missing value).

        Examples:
            >>> FixedField("n", 3, align=Align.RIGHT, pad="0").parse("000")
            '0'
        """
        if not chunk.strip():
            return ""
        text = chunk.rstrip(self.pad) if self.align is Align.LEFT else chunk.lstrip(self.pad)
        return text or self.pad

    def render(self, value: object, *, row: int | None = None, truncate: bool = False) -> str:
        """
        The field's exact *width* characters for *value*.

        Raises:
            InvalidRecordError: If the value is too long and neither this field nor the
                call asks for truncation; the message names the row and field, not the value.

        Examples:
            >>> FixedField("id", 6).render("A7"), FixedField("n", 3, align=Align.RIGHT, pad="0").render(7)
            ('A7    ', '007')
        """
        text = self.text(value)
        if len(text) > self.width:
            if not (self.truncate or truncate):
                where = f"row {row}, " if row is not None else ""
                msg = (
                    f"{where}field {self.name!r}: {len(text)} characters do not fit "
                    f"in {self.width} (value not shown)"
                )
                raise InvalidRecordError(msg)
            text = text[: self.width]
        if not text:
            # A missing value is blank, whatever the padding: zeros would claim a number.
            return " " * self.width
        if self.align is Align.LEFT:
            return text.ljust(self.width, self.pad)
        return text.rjust(self.width, self.pad)


def _fields(value: Iterable[FixedField]) -> tuple[FixedField, ...]:
    return tuple(value)


@frozen
class FixedWidthLayout:
    """
    The fields of one fixed-width record, in order, and how lines end.

    Examples:
        >>> layout = FixedWidthLayout([FixedField("type", 2, constant="D1"),
        ...                            FixedField("id", 6), FixedField("n", 3, align="right")])
        >>> layout.width, layout.positions()
        (11, {'type': (1, 2), 'id': (3, 8), 'n': (9, 11)})
        >>> line = layout.format_line({"id": "A7", "n": 12})
        >>> line
        'D1A7     12'
        >>> layout.parse_line(line)
        {'type': 'D1', 'id': 'A7', 'n': '12'}
    """

    fields: tuple[FixedField, ...] = field(converter=_fields)
    line_end: str = field(default="\n", kw_only=True)
    encoding: str = field(default="ascii", kw_only=True)

    @fields.validator
    def _unique(self, attribute: Any, value: tuple[FixedField, ...]) -> None:
        if not value:
            msg = "a fixed-width layout needs at least one field"
            raise InvalidArgumentError(msg)
        names = [f.name for f in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            msg = f"field names appear twice in the layout: {', '.join(twice)}"
            raise InvalidArgumentError(msg)

    @property
    def width(self) -> int:
        """
        Characters in one record (without the line end).

        Examples:
            >>> FixedWidthLayout([FixedField("type", 2), FixedField("id", 6)]).width
            8
        """
        return sum(f.width for f in self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        """
        Field names in order.

        Examples:
            >>> FixedWidthLayout([FixedField("type", 2), FixedField("id", 6)]).names
            ('type', 'id')
        """
        return tuple(f.name for f in self.fields)

    def positions(self) -> dict[str, tuple[int, int]]:
        """
        Each field's first and last position, 1-based and inclusive, as layouts publish them.

        Examples:
            >>> FixedWidthLayout([FixedField("type", 2), FixedField("id", 6)]).positions()
            {'type': (1, 2), 'id': (3, 8)}
        """
        out: dict[str, tuple[int, int]] = {}
        start = 1
        for f in self.fields:
            out[f.name] = (start, start + f.width - 1)
            start += f.width
        return out

    def format_line(
        self, values: Mapping[str, object], *, row: int | None = None, truncate: bool = False
    ) -> str:
        """
        One record (without the line end) from *values* keyed by field name.

        Examples:
            >>> layout = FixedWidthLayout([FixedField("type", 2, constant="D1"), FixedField("n", 3, align="right")])
            >>> layout.format_line({"n": 7})
            'D1  7'
        """
        return "".join(
            f.render(values.get(f.name), row=row, truncate=truncate) for f in self.fields
        )

    def parse_line(self, line: str) -> dict[str, str]:
        """
        The fields of one record, padding stripped (the inverse of :meth:`format_line`).

        Raises:
            InvalidArgumentError: If *line* is not exactly :attr:`width` characters long.

        Examples:
            >>> layout = FixedWidthLayout([FixedField("type", 2), FixedField("id", 6)])
            >>> layout.parse_line("D1A7    ")
            {'type': 'D1', 'id': 'A7'}
        """
        chunks = split_fixed(line, [f.width for f in self.fields], layout="this layout")
        return {f.name: f.parse(chunk) for f, chunk in zip(self.fields, chunks, strict=True)}

    def encode(self, line: str, *, row: int | None = None) -> bytes:
        """
        *line* plus the line end, in the layout's encoding (one byte per character).

        Raises:
            InvalidRecordError: If a character cannot be encoded; the message names the row.

        Examples:
            >>> FixedWidthLayout([FixedField("type", 2), FixedField("id", 6)]).encode("D1A7    ")
            b'D1A7    \\n'
        """
        try:
            return (line + self.line_end).encode(self.encoding)
        except UnicodeEncodeError as exc:
            field_name = self._field_at(exc.start)
            where = f"row {row}, " if row is not None else ""
            msg = (
                f"{where}field {field_name!r}: a character is not {self.encoding} (value not shown)"
            )
            raise InvalidRecordError(msg) from None

    def _field_at(self, index: int) -> str:
        for name, (first, last) in self.positions().items():
            if first - 1 <= index <= last - 1:
                return name
        return "line end"


def _layout_of(report: Any, table: Any) -> FixedWidthLayout:
    for source in (table, report):
        layout = getattr(source, "layout", None)
        if isinstance(layout, FixedWidthLayout):
            return layout
    msg = f"{type(report).__name__} has no fixed-width layout; use csv, json, xml or html"
    raise InvalidArgumentError(msg)


def _check_columns(layout: FixedWidthLayout, columns: Sequence[str]) -> None:
    unknown = [f.name for f in layout.fields if f.constant is None and f.name not in columns]
    if unknown:
        msg = f"layout fields {', '.join(map(repr, unknown))} are not columns of the report"
        raise InvalidArgumentError(msg)


def write_fixed(report: Any, out: IO[bytes], /, *, truncate: bool = False) -> None:
    """
    Write a report that has a fixed-width layout, one record per row.

    Args:
        report: A report table (or a report giving one) whose table or report has a
            ``layout`` (:class:`FixedWidthLayout`).
        out: A binary stream.
        truncate: Cut every value that is too long instead of refusing it.

    Raises:
        InvalidArgumentError: If the report has no layout, or the layout names a field
            that is not a column.
        InvalidRecordError: If a value does not fit its field (naming row and field).

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable
        >>> layout = FixedWidthLayout([FixedField("id", 4), FixedField("n", 3, align="right", pad="0")])
        >>> buffer = io.BytesIO()
        >>> write_fixed(RowTable("t", ("id", "n"), [("A1", 7), ("B22", 12)], layout=layout), buffer)
        >>> buffer.getvalue()
        b'A1  007\\nB22 012\\n'
    """
    table = as_table(report)
    layout = _layout_of(report, table)
    columns = list(table.columns)
    _check_columns(layout, columns)
    for number, row in enumerate(table.rows(), start=1):
        values = dict(zip(columns, row, strict=True))
        line = layout.format_line(values, row=number, truncate=truncate)
        out.write(layout.encode(line, row=number))
