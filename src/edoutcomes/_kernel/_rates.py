"""Rates as the reports publish them: exact integer arithmetic, half up to 4 decimals."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["rate"]


def rate(count: int, denominator: int) -> Decimal | None:
    """
    ``count / denominator`` rounded half up to 4 decimals; None for a zero denominator.

    Examples:
        >>> rate(1, 3), rate(1, 8), rate(1, 20000), rate(0, 0)
        (Decimal('0.3333'), Decimal('0.1250'), Decimal('0.0001'), None)
    """
    if denominator <= 0:
        return None
    q = (2 * count * 10_000 + denominator) // (2 * denominator)
    return Decimal(q).scaleb(-4)
