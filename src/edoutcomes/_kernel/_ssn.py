"""
The one rule for the K-12 ``ssn_last4`` column: whatever arrives, only its last four digits stay.

Shared by the K-12 record type (its attrs converter) and the table readers (CSV, Parquet),
so no route into the K-12 model ever holds a full SSN or keeps any other four digits.
"""

from __future__ import annotations

__all__ = ["LAST4_PROBLEM", "last_four"]

#: What is wrong with a value :func:`last_four` refuses (the value itself is never shown).
LAST4_PROBLEM = "must be 4 digits or a 9-digit SSN (dashes and spaces allowed)"
_DIGITS = frozenset("0123456789")


def last_four(text: str) -> str | None:
    """
    The last four digits of *text* (4 digits, or a 9-digit SSN), or None for any other value.

    Dashes and spaces are removed first, so ``123-45-6789`` and ``123 45 6789`` read too.

    Examples:
        >>> last_four("123-45-6789"), last_four("0042"), last_four("12345"), last_four("12ab34")
        ('6789', '0042', None, None)
    """
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) in (4, 9) and _DIGITS.issuperset(digits):
        return digits[-4:]
    return None
