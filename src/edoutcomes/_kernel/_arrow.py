"""
Arrow out: every table and report as a ``pyarrow.Table`` and an Arrow PyCapsule stream.

:func:`table_to_arrow` gives a columnar :class:`~edoutcomes.model.Table` typed (dates as
``date32``, Y/N as ``bool``, numbers as ``float64``, text and codes dictionary-encoded).
:class:`ArrowExport` is the mixin every report class takes: ``to_arrow()`` from the report's
columnar arrays when it has them (``_arrow_columns()``), else from its rows, and
``__arrow_c_stream__`` so that ``polars.from_arrow``, ``duckdb`` and ``pandas`` take the
result through the Arrow C stream interface without a copy.

pyarrow is imported when a table is built, never at ``import edoutcomes``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import Cip, CollegeCode, Kind
from ._days import MISSING_DAY
from ._values import column_strings, format_value

if TYPE_CHECKING:
    from ..model import Table

__all__ = [
    "ArrowExport",
    "columns_to_arrow",
    "rows_to_arrow",
    "summary_html",
    "summary_repr",
    "table_to_arrow",
]


def table_to_arrow(table: Table) -> Any:
    """
    A columnar table as a typed ``pyarrow.Table`` (missing values are nulls).

    Examples:
        >>> from edoutcomes.model import Student, Table
        >>> arrow = table_to_arrow(Table.from_records("students", [Student("A1", gender="F")]))
        >>> arrow.column("gender").to_pylist(), str(arrow.schema.field("birth_date").type)
        (['F'], 'date32[day]')
    """
    import pyarrow as pa

    arrays = {}
    for column in table.all_columns:
        values = table.data[column.name]
        kind = column.kind
        if kind is Kind.DATE:
            missing = values == MISSING_DAY
            arrays[column.name] = pa.array(values, type=pa.int32(), mask=missing).cast(pa.date32())
        elif kind is Kind.BOOL:
            arrays[column.name] = pa.array(values == 1, type=pa.bool_(), mask=values < 0)
        elif kind is Kind.NUMBER:
            arrays[column.name] = pa.array(values, type=pa.float64(), mask=np.isnan(values))
        else:
            lookup, indices = column_strings(column, values, table.categories.get(column.name))
            arrays[column.name] = pa.DictionaryArray.from_arrays(
                pa.array(indices, type=pa.int32(), mask=indices < 0),
                pa.array(lookup, type=pa.string()),
            )
    return pa.table(arrays) if arrays else pa.table({})


def _plain(value: object) -> object:
    """A row value as Arrow takes it: codes as their published value, codes types as text."""
    if isinstance(value, bool | int | float | str | dt.date) or value is None:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Cip | CollegeCode):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return format_value(value)


def rows_to_arrow(columns: Sequence[str], rows: Any) -> Any:
    """
    A report's rows as a ``pyarrow.Table``: types inferred per column, text where they mix.

    Examples:
        >>> rows_to_arrow(("a", "b"), [(1, "x"), (None, 2)]).to_pylist()
        [{'a': 1, 'b': 'x'}, {'a': None, 'b': '2'}]
    """
    import pyarrow as pa

    cells: list[list[object]] = [[] for _ in columns]
    for row in rows:
        for cell, value in zip(cells, row, strict=True):
            cell.append(_plain(value))
    arrays = {}
    for name, values in zip(columns, cells, strict=True):
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[name] = pa.array(
                [None if v is None else format_value(v) for v in values], type=pa.string()
            )
    return pa.table(arrays) if arrays else pa.table({})


#: The types :func:`columns_to_arrow` takes from pyarrow's own inference of a column.
_PLAIN_TYPES = ("bool", "int64", "double", "string", "date32[day]", "null")


def columns_to_arrow(columns: Sequence[str], values: Sequence[Any]) -> Any:
    """
    A report's columns (object arrays, one per column) as a ``pyarrow.Table``: the table
    :func:`rows_to_arrow` makes of the same rows, a column at a time. A column of plain
    values (bool, int, float, text, date, None) is converted by pyarrow in one call;
    any other goes value by value as a row would.

    Examples:
        >>> columns_to_arrow(("a", "b"), [np.array([1, None], object), np.array(["x", 2], object)]).to_pylist()
        [{'a': 1, 'b': 'x'}, {'a': None, 'b': '2'}]
    """
    import pyarrow as pa

    arrays = {}
    for name, column in zip(columns, values, strict=True):
        array = None
        with contextlib.suppress(pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            array = pa.array(column, from_pandas=False)
        if array is None or str(array.type) not in _PLAIN_TYPES:
            array = rows_to_arrow((name,), ((v,) for v in column)).column(name).combine_chunks()
        arrays[name] = array
    return pa.table(arrays) if arrays else pa.table({})


class ArrowExport:
    """
    Mixin: ``to_arrow()`` and the Arrow PyCapsule stream interface for a report table.

    A class gives its table either through ``_arrow_columns()`` (a ready ``pyarrow.Table``,
    built from its arrays) or, by default, through ``as_table()`` / ``columns`` and ``rows()``.
    """

    __slots__ = ()

    def to_arrow(self) -> Any:
        """This table as a ``pyarrow.Table`` (zero-copy into polars, DuckDB and pandas)."""
        columnar = getattr(self, "_arrow_columns", None)
        if callable(columnar):
            return columnar()
        table: Any = self.as_table() if hasattr(self, "as_table") else self
        if table is not self and hasattr(table, "to_arrow"):
            return table.to_arrow()
        return rows_to_arrow(tuple(table.columns), table.rows())

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow C stream of :meth:`to_arrow` (``polars.from_arrow``, ``duckdb.sql`` ...)."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def to_pandas(self) -> Any:
        """This table as a ``pandas.DataFrame``, through :meth:`to_arrow` (needs pandas)."""
        from ._optional import require

        require("pandas", feature=f"{type(self).__name__}.to_pandas", extra="pandas")
        return self.to_arrow().to_pandas()

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _summary(self) -> dict[str, object]:
        """The few counts the one-line ``repr`` shows (never a student's value)."""
        shape: dict[str, object] = {}
        name = getattr(self, "name", None)
        if isinstance(name, str):
            shape["name"] = name
        if hasattr(self, "__len__"):
            shape["rows"] = len(self)
        columns = getattr(self, "columns", None)
        if isinstance(columns, tuple | list):
            shape["columns"] = len(columns)
        return shape

    def _repr_html_(self) -> str:
        """
        A notebook view: the shape and the column names; aggregate tables (``_html_rows``)
        show their first rows too. Student-level tables never show a student's values.
        """
        from ._html import html_table

        arrow = self.to_arrow()
        title = type(self).__name__
        lines = [[f"{arrow.num_rows:,} rows, {arrow.num_columns} columns"]]
        view = html_table(title, (title,), [*lines, [", ".join(arrow.column_names)]])
        if getattr(self, "_html_rows", False) and arrow.num_rows:
            head = arrow.slice(0, _HTML_ROWS).to_pylist()
            view += html_table(
                f"first {len(head)} rows", arrow.column_names, [list(r.values()) for r in head]
            )
        return view


#: Rows an aggregate table shows in a notebook.
_HTML_ROWS = 20


def summary_repr(obj: object, **counts: object) -> str:
    """
    A one-line ``repr``: the class name and a few counts.

    Examples:
        >>> summary_repr(object(), rows=3, name="kpis")
        'object(rows=3, name=kpis)'
    """
    inner = ", ".join(f"{key}={_short(value)}" for key, value in counts.items())
    return f"{type(obj).__name__}({inner})"


def summary_html(title: str, counts: dict[str, object]) -> str:
    """
    A notebook view of a result: its summary counts as a two-column table, escaped.

    Examples:
        >>> "<td>rows</td><td>3</td>" in summary_html("R", {"rows": 3})
        True
    """
    from ._html import html_table

    return html_table(title, (title, ""), [[key, value] for key, value in counts.items()])


def _short(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if value >= 10_000 else str(value)
    return str(value)
