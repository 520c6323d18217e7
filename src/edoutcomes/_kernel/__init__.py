"""
Shared internals every engine may use (the one private package others import).

Day numbers and school years, half-up rates, small-cell suppression; and for files, the one
value formatter (:mod:`._values`) and the one streaming CSV writer (:mod:`._csv`), imported
from their modules.
"""

from ._days import day, school_year_start
from ._rates import rate
from ._suppression import Relation, Suppression, suppress

__all__ = ["Relation", "Suppression", "day", "rate", "school_year_start", "suppress"]
