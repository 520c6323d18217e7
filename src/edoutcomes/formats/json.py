"""
JSON: report tables as objects keyed by column; domain objects through the library's converter.

Examples:
    >>> import io, json
    >>> from edoutcomes.formats import RowTable, write
    >>> out = io.BytesIO()
    >>> write(RowTable("counts", ("year", "n"), [("2016-17", 3)]), out, "json")
    >>> json.loads(out.getvalue())["rows"]
    [{'year': '2016-17', 'n': 3}]
"""

from __future__ import annotations

import json as _json
from collections.abc import Sequence
from typing import IO, Any

import attrs

from .._kernel._writers import ReportTable, as_table
from ..model import converter

__all__ = ["table_to_data", "write_json"]


def table_to_data(table: ReportTable) -> dict[str, Any]:
    """
    A report table as JSON-ready data: its name, its columns, and one object per row.

    Values go through the library's converter: ISO dates, published codes, ``null`` for missing.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.formats import RowTable
        >>> table_to_data(RowTable("t", ("id", "day"), [("A1", dt.date(2006, 9, 15))]))
        {'name': 't', 'columns': ['id', 'day'], 'rows': [{'id': 'A1', 'day': '2006-09-15'}]}
    """
    columns = list(table.columns)
    rows = [
        {name: converter.unstructure(value) for name, value in zip(columns, row, strict=True)}
        for row in table.rows()
    ]
    return {"name": table.name, "columns": columns, "rows": rows}


def _to_data(report: Any) -> Any:
    if hasattr(report, "as_table") or isinstance(report, ReportTable):
        return table_to_data(as_table(report))
    if attrs.has(type(report)):
        return converter.unstructure(report)
    if isinstance(report, Sequence) and not isinstance(report, str | bytes):
        return [_to_data(item) for item in report]
    return converter.unstructure(report)


def write_json(report: Any, out: IO[bytes], /) -> None:
    """
    Write a report (or a domain object, or a list of them) as UTF-8 JSON.

    A report table becomes ``{"name", "columns", "rows": [{column: value}]}``; a domain
    object (a ``Student``, an ``EnrollmentRecord`` ...) is unstructured by
    :data:`edoutcomes.model.converter`, so it reads back with ``structure``.

    Examples:
        >>> import io
        >>> from edoutcomes.model import Student
        >>> buffer = io.BytesIO()
        >>> write_json([Student("A1", gender="F")], buffer)
        >>> __import__("json").loads(buffer.getvalue())[0]["gender"]
        'F'
    """
    data = _to_data(report)
    out.write(_json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    out.write(b"\n")
