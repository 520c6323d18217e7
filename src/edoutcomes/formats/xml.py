"""
XML: every report table as ``<table>`` of ``<row>`` elements with one ``<cell>`` per column.

Examples:
    >>> import io
    >>> from edoutcomes.formats import RowTable, write
    >>> out = io.BytesIO()
    >>> write(RowTable("counts", ("year", "n"), [("2016-17", 3)]), out, "xml")
    >>> b'<cell column="n">3</cell>' in out.getvalue()
    True
"""

from __future__ import annotations

from typing import IO, Any

from .._kernel._html import text as escape_text
from .._kernel._values import format_value
from .._kernel._writers import as_table
from ._markup import check_xml_chars, escape_attribute

__all__ = ["write_xml"]


def write_xml(report: Any, out: IO[bytes], /) -> None:
    """
    Write any report table as UTF-8 XML.

    Column names are kept exactly (they need not be XML names), so each cell carries its
    column in a ``column`` attribute; values are written as in CSV, empty for missing.

    Raises:
        InvalidRecordError: If a value holds a control character XML 1.0 cannot carry.

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable
        >>> buffer = io.BytesIO()
        >>> write_xml(RowTable("t", ("Record Found Y/N", "n"), [(True, None)]), buffer)
        >>> print(buffer.getvalue().decode())
        <?xml version="1.0" encoding="UTF-8"?>
        <table name="t">
         <row><cell column="Record Found Y/N">Y</cell><cell column="n"/></row>
        </table>
        <BLANKLINE>
    """
    table = as_table(report)
    columns = [escape_attribute(str(c)) for c in table.columns]
    raw_columns = list(table.columns)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<table name="{escape_attribute(table.name)}">',
    ]
    for number, row in enumerate(table.rows(), start=1):
        cells = []
        for column, raw, value in zip(columns, raw_columns, row, strict=True):
            text = format_value(value)
            check_xml_chars(text, row=number, column=raw)
            if text:
                cells.append(f'<cell column="{column}">{escape_text(text)}</cell>')
            else:
                cells.append(f'<cell column="{column}"/>')
        lines.append(f" <row>{''.join(cells)}</row>")
    lines.append("</table>")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
