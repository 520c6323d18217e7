"""A matcher as the high-school search's finder: one student found despite typos, never a twin."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from ..model import STUDENTS, Student, Table
from ._matcher import FellegiSunterMatcher, Matcher

__all__ = ["MatcherFinder"]


class Query(Protocol):
    """
    What a finder is asked: the high-school search's ``SearchQuery`` has this shape.

    Written here as a protocol, so the engines stay side by side: neither package imports
    the other (docs/explanation/architecture.md).
    """

    @property
    def first_name(self) -> str: ...

    @property
    def last_name(self) -> str: ...

    @property
    def birth_date(self) -> dt.date: ...


#: The query's id in the one-row submission (never shown: only its match is returned).
_QUERY_ID = "query"


@frozen
class MatcherFinder:
    """
    A high-school search ``Finder`` backed by a matcher: fuzzy single-student search.

    The query is matched as a one-row submission against the searched students, and the
    student it matches (if any) is returned. A misspelled name, a nickname or a birth date
    with day and month swapped still find the student; a twin (same last name and birth
    date, another first name) is never returned for the other; a tie returns no one,
    because the matcher never guesses. The high-school package does not import this one:
    pass the finder in, ``outcomes.search(..., finder=MatcherFinder())``.

    Args:
        matcher: The matcher that decides (the default :class:`FellegiSunterMatcher` if not given).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.highschool import SearchQuery
        >>> born = dt.date(2004, 3, 11)
        >>> students = Table.from_records("students", [
        ...     Student("1", first_name="Katherine", last_name="Oyelaran", birth_date=born),
        ...     Student("2", first_name="Tobias", last_name="Oyelaran", birth_date=born)])
        >>> query = SearchQuery("Kathrine", "Oyelaran", dt.date(2004, 11, 3))
        >>> MatcherFinder()(students, query).tolist()
        [0]
    """

    matcher: Matcher = field(factory=FellegiSunterMatcher)

    def __call__(self, students: Table, query: Query, /) -> NDArray[np.intp]:
        """The row of the student the query names, or no row."""
        sent = Table.from_records(
            STUDENTS,
            [
                Student(
                    _QUERY_ID,
                    first_name=query.first_name,
                    last_name=query.last_name,
                    birth_date=query.birth_date,
                )
            ],
        )
        person = self.matcher.match(sent, students).person
        return person[person >= 0].astype(np.intp)
