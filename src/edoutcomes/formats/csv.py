"""CSV: the generic writer for every report table."""

from __future__ import annotations

import csv as _csv
import datetime as dt
import enum
import io
from typing import IO, Any

from ._registry import as_table, register_writer

__all__ = ["format_value", "write_csv"]


def format_value(value: object) -> str:
    """
    How a typed value is written in a text file: ISO dates, codes, Y/N, blank for None.

    Examples:
        >>> import datetime as dt
        >>> [format_value(v) for v in (None, True, dt.date(2024, 1, 2), 3)]
        ['', 'Y', '2024-01-02', '3']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


@register_writer("csv")
def write_csv(report: Any, out: IO[bytes], /) -> None:
    """Write any report table as UTF-8 CSV with a header row of its column names."""
    table = as_table(report)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = _csv.writer(text, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows():
            writer.writerow([format_value(v) for v in row])
    finally:
        text.flush()
        text.detach()
