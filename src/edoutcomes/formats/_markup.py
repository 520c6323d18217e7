"""What XML needs beyond the kernel's escaping: attribute values and the characters XML 1.0 forbids."""

from __future__ import annotations

import re

from .._kernel._html import text as escape_text
from ..errors import InvalidRecordError

__all__ = ["check_xml_chars", "escape_attribute"]

# XML 1.0 forbids these characters even when escaped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_attribute(value: str) -> str:
    """
    Escape an attribute value written between double quotes.

    Examples:
        >>> escape_attribute('say "hi"')
        'say &quot;hi&quot;'
    """
    return escape_text(value).replace('"', "&quot;").replace("\n", "&#10;")


def check_xml_chars(text: str, *, row: int, column: str) -> None:
    """
    Refuse control characters that XML cannot carry; the message names row and column only.

    Raises:
        InvalidRecordError: If *text* holds such a character.
    """
    if _FORBIDDEN.search(text):
        msg = f"row {row}, column {column!r}: a control character cannot be written to XML"
        raise InvalidRecordError(msg)
