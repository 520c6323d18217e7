"""
CSV: the generic writer for every report table.

Examples:
    >>> import io
    >>> from edoutcomes.formats import RowTable, write
    >>> out = io.BytesIO()
    >>> write(RowTable("counts", ("year", "n"), [("2016-17", 3)]), out, "csv")
    >>> out.getvalue()
    b'year,n\\n2016-17,3\\n'
"""

from __future__ import annotations

from typing import IO, Any

from .._kernel._csv import write_rows
from .._kernel._values import format_value as _format
from .._kernel._values import spreadsheet_safe as _spreadsheet_safe
from .._kernel._writers import as_table

__all__ = ["format_value", "write_csv", "write_plain_csv"]


def format_value(value: object) -> str:
    """
    How a typed value is written in a text file: ISO dates, codes, Y/N, blank for None.

    The library's one value formatter (its ``canonical`` layout).

    Examples:
        >>> import datetime as dt
        >>> [format_value(v) for v in (None, True, dt.date(2024, 1, 2), 3)]
        ['', 'Y', '2024-01-02', '3']
    """
    return _format(value)


def write_csv(report: Any, out: IO[bytes], /, *, spreadsheet_safe: bool = True) -> None:
    """
    Write any report table as UTF-8 CSV with a header row of its column names.

    These CSVs are for people to open: a value that a spreadsheet would run as a formula
    (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain
    number) gets a leading ``'``, unless *spreadsheet_safe* is false (the ``csv-plain``
    format). Rows are formatted and written a batch at a time by the library's one CSV writer.

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable
        >>> out = io.BytesIO()
        >>> write_csv(RowTable("t", ("name", "n"), [("=1+2", -5)]), out)
        >>> out.getvalue()
        b"name,n\\n'=1+2,-5\\n"
    """
    table = as_table(report)
    guard = _guard if spreadsheet_safe else _format
    rows = ([guard(v) for v in row] for row in table.rows())
    write_rows(out, rows, header=list(table.columns))


def _guard(value: object) -> str:
    return _spreadsheet_safe(_format(value))


def write_plain_csv(report: Any, out: IO[bytes], /) -> None:
    """
    Write any report table as CSV without the spreadsheet guard (values exactly as formatted).

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable
        >>> out = io.BytesIO()
        >>> write_plain_csv(RowTable("t", ("formula",), [("=1+2",)]), out)  # no leading quote added
        >>> out.getvalue()
        b'formula\\n=1+2\\n'
    """
    write_csv(report, out, spreadsheet_safe=False)
