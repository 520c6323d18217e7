"""
HTML: every report table as one self-contained page holding one escaped table.

Examples:
    >>> import io
    >>> from edoutcomes.formats import RowTable, write
    >>> out = io.BytesIO()
    >>> write(RowTable("counts", ("year", "n"), [("2016-17", 3)]), out, "html")
    >>> "<td>2016-17</td>" in out.getvalue().decode()
    True
"""

from __future__ import annotations

from typing import IO, Any

from .._kernel._html import html_page, html_table
from .._kernel._writers import as_table

__all__ = ["html_page", "write_html"]


def write_html(report: Any, out: IO[bytes], /) -> None:
    """
    Write any report table as a self-contained UTF-8 HTML page; every value is escaped.

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable
        >>> buffer = io.BytesIO()
        >>> write_html(RowTable("t", ("name",), [("<script>",)]), buffer)
        >>> "<td>&lt;script&gt;</td>" in buffer.getvalue().decode()
        True
    """
    table = as_table(report)
    body = html_table(table.name, list(table.columns), table.rows())
    out.write(html_page(table.name, body).encode("utf-8"))
