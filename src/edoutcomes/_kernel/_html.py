"""
The one HTML renderer: a self-contained page and a table, escaped by the standard library.

Every value goes through :func:`html.escape`; text content leaves quotes as they are
(``quote=False``), which is what the writers' golden files hold.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ._values import format_value

__all__ = ["html_page", "html_table", "text"]

_STYLE = (
    "body{font-family:sans-serif;margin:1em}"
    "table{border-collapse:collapse}"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left}"
    "caption{font-weight:bold;text-align:left;margin-bottom:.3em}"
)


def text(value: str) -> str:
    """
    *value* escaped as HTML (or XML) character data.

    Examples:
        >>> text("A&B <i> \\"q\\"")
        'A&amp;B &lt;i&gt; "q"'
    """
    return html.escape(value, quote=False)


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
        f"<title>{text(title)}</title>\n"
        f"<style>{_STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        "</body>\n"
        "</html>\n"
    )


def html_table(caption: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """
    A table with a caption, a header row and one row per item; every value formatted and escaped.

    Examples:
        >>> print(html_table("t", ("a",), [("<b>",)]), end="")
        <table>
        <caption>t</caption>
        <thead><tr><th>a</th></tr></thead>
        <tbody>
        <tr><td>&lt;b&gt;</td></tr>
        </tbody>
        </table>
    """
    lines = [
        "<table>",
        f"<caption>{text(caption)}</caption>",
        "<thead><tr>" + "".join(f"<th>{text(str(c))}</th>" for c in columns) + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        cells = "".join(f"<td>{text(format_value(v))}</td>" for v in row)
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines) + "\n"
