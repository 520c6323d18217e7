"""Escaping shared by the XML and HTML writers."""

from __future__ import annotations

import re

from ..errors import InvalidRecordError

__all__ = ["check_xml_chars", "escape_attribute", "escape_text"]

# XML 1.0 forbids these characters even when escaped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_text(text: str) -> str:
    """
    Escape character data.

    Examples:
        >>> escape_text("A&B <i>")
        'A&amp;B &lt;i&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """
    Escape an attribute value written between double quotes.

    Examples:
        >>> escape_attribute('say "hi"')
        'say &quot;hi&quot;'
    """
    return escape_text(text).replace('"', "&quot;").replace("\n", "&#10;")


def check_xml_chars(text: str, *, row: int, column: str) -> None:
    """
    Refuse control characters that XML cannot carry; the message names row and column only.

    Raises:
        InvalidRecordError: If *text* holds such a character.
    """
    if _FORBIDDEN.search(text):
        msg = f"row {row}, column {column!r}: a control character cannot be written to XML"
        raise InvalidRecordError(msg)
