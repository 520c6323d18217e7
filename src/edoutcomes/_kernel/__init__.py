"""
Shared internals every engine may use (the one private package others import).

Day numbers and school years, half-up rates, small-cell suppression, the final tie-break of
the tie rules; and for files, the one
value formatter (:mod:`._values`) and the one streaming CSV writer (:mod:`._csv`), imported
from their modules.
"""

from ._days import day, school_year_start
from ._rates import rate
from ._suppression import Relation, Suppression, suppress
from ._ties import break_ties, remaining_keys

__all__ = [
    "Relation",
    "Suppression",
    "break_ties",
    "day",
    "rate",
    "remaining_keys",
    "school_year_start",
    "suppress",
]
