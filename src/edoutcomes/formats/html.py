"""HTML: every report table as one self-contained page holding one escaped table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any

from .._kernel._values import format_value
from .._kernel._writers import as_table
from ._markup import escape_text

__all__ = ["html_page", "write_html"]

_STYLE = (
    "body{font-family:sans-serif;margin:1em}"
    "table{border-collapse:collapse}"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left}"
    "caption{font-weight:bold;text-align:left;margin-bottom:.3em}"
)


def html_page(title: str, body: str) -> str:
    """
    A complete page (no external resources) around *body*; the title is escaped.

    Examples:
        >>> html_page("A<B", "<p>x</p>").splitlines()[4]
        '<title>A&lt;B</title>'
    """
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape_text(title)}</title>\n"
        f"<style>{_STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        "</body>\n"
        "</html>\n"
    )


def _table(name: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = [
        "<table>",
        f"<caption>{escape_text(name)}</caption>",
        "<thead><tr>"
        + "".join(f"<th>{escape_text(str(c))}</th>" for c in columns)
        + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        cells = "".join(f"<td>{escape_text(format_value(v))}</td>" for v in row)
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines) + "\n"


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
    body = _table(table.name, list(table.columns), table.rows())
    out.write(html_page(table.name, body).encode("utf-8"))
