"""Single-student search: one graduate's enrollment and credential history, by name or by id."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import check_date, checked_day
from .._kernel._groups import BLOCK_NONE
from .._kernel._groups import block_ranks as _block_ranks
from ..errors import InvalidArgumentError
from ..model import DegreeKind, DegreeRecord, EnrollmentRecord, Table
from ._engine import Progress

if TYPE_CHECKING:
    from ._result import HighSchoolOutcomes

__all__ = [
    "ExactFinder",
    "Finder",
    "SearchQuery",
    "StudentHistory",
    "history",
    "normalise",
    "rows_by_id",
    "search",
]


def normalise(text: str | None) -> str:
    """
    A name as the exact search compares it: blanks collapsed, upper case.

    Examples:
        >>> normalise("  mary   ann ")
        'MARY ANN'
    """
    return " ".join((text or "").split()).upper()


@frozen
class SearchQuery:
    """
    What the caller searches by: a name and birth date. Personal: never in ``repr``.

    Examples:
        >>> query = SearchQuery("Ann", "Lee", dt.date(2002, 1, 2))
        >>> query, query.last_name
        (SearchQuery(), 'Lee')
    """

    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    birth_date: dt.date = field(repr=False)


class Finder(Protocol):
    """
    Finds the submitted students a query names; the matching package's fuzzy matcher can be one.

    Returns the rows (positions in the students table) of every student it accepts.

    Examples:
        A finder that accepts any first name (a nickname, say) with the last name and birth date:

        >>> def any_first_name(students, query, /):
        ...     last = [str(name).upper() for name in students.values("last_name")]
        ...     born = students.values("birth_date")
        ...     return np.flatnonzero([n == query.last_name.upper() and b == query.birth_date
        ...                            for n, b in zip(last, born)])
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.model import CohortColumns, Student
        >>> columns = CohortColumns.from_records([
        ...     Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2002, 1, 2),
        ...             hs_grad_date=dt.date(2020, 6, 1)),
        ...     Student("S2", first_name="Bo", last_name="Lee", birth_date=dt.date(2002, 3, 4),
        ...             hs_grad_date=dt.date(2020, 6, 1))])
        >>> outcomes = high_school_outcomes(columns, as_of=dt.date(2021, 6, 1))
        >>> search(outcomes, first_name="Annie", last_name="Lee", birth_date=dt.date(2002, 1, 2),
        ...        finder=any_first_name).requester_id
        'S1'
    """

    def __call__(self, students: Table, query: SearchQuery, /) -> NDArray[np.intp]: ...


class ExactFinder:
    """
    Exact match of first name, last name (case and blanks normalised) and birth date.

    Vectorised: each distinct name is normalised once, then the codes are compared.

    Examples:
        >>> from edoutcomes.model import Student
        >>> t = Table.from_records("students", [
        ...     Student("1", first_name="Ann", last_name="Lee", birth_date=dt.date(2002, 1, 2)),
        ...     Student("2", first_name="ANN ", last_name="lee", birth_date=dt.date(2002, 1, 3))])
        >>> ExactFinder()(t, SearchQuery("ann", "LEE", dt.date(2002, 1, 2))).tolist()
        [0]
    """

    def __call__(self, students: Table, query: SearchQuery, /) -> NDArray[np.intp]:
        wanted = True & (students.data["birth_date"] == checked_day("birth_date", query.birth_date))
        for column, value in (("first_name", query.first_name), ("last_name", query.last_name)):
            target = normalise(value)
            cats = students.categories[column].tolist()
            hit = np.array([normalise(c) == target for c in cats] + [False], dtype=bool)
            wanted = wanted & hit[students.data[column]]
        return np.flatnonzero(wanted)


@frozen(eq=False)
class StudentHistory:
    """
    One graduate's postsecondary history (FERPA-blocked records left out).

    Personal fields (names, birth date) are not kept; ``str()`` gives a readable summary.

    Attributes:
        requester_id: The caller's id of the student.
        high_school_code: The submitted high school (None when missing).
        class_year: The class (None without a graduation date).
        hs_grad_date: The graduation date.
        enrollments: Enrollment terms, by begin date.
        degrees: Degrees and certificates, by award date.
        enrolled_fall_after_hs, enrolled_year1, persisted, retained, completed: The
            student's measures (None when not available).
        progress: The progress category of each begun college year (1..8).

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> history = outcomes.search(requester_id="2019-C6901552")
        >>> history.class_year, history.enrolled_fall_after_hs, len(history.enrollments), len(history.degrees)
        (2019, True, 6, 1)
        >>> [p.name for p in history.progress]
        ['NEW_TO_COLLEGE', 'RETAINED', 'NO_LONGER_ENROLLED']
        >>> print(str(history).splitlines()[0])
        Student 2019-C6901552: class of 2019, high school 144190, as of 2021-10-15
    """

    requester_id: str
    high_school_code: str | None
    class_year: int | None
    hs_grad_date: dt.date | None
    as_of: dt.date
    enrollments: tuple[EnrollmentRecord, ...]
    degrees: tuple[DegreeRecord, ...]
    degree_kinds: tuple[DegreeKind, ...]
    enrolled_fall_after_hs: bool | None
    enrolled_year1: bool | None
    persisted: bool | None
    retained: bool | None
    completed: bool | None
    completion_years: int
    progress: tuple[Progress, ...]

    def __str__(self) -> str:
        def flag(value: bool | None) -> str:
            return "n/a" if value is None else ("Y" if value else "N")

        year = (
            "no class (no graduation date)"
            if self.class_year is None
            else f"class of {self.class_year}"
        )
        lines = [
            f"Student {self.requester_id}: {year}, high school {self.high_school_code or 'UNKNOWN'}, "
            f"as of {self.as_of.isoformat()}",
            f"  enrolled fall after HS {flag(self.enrolled_fall_after_hs)}; year 1 "
            f"{flag(self.enrolled_year1)}; persisted {flag(self.persisted)}; retained "
            f"{flag(self.retained)}; completed within {self.completion_years} years "
            f"{flag(self.completed)}",
            f"  enrollments ({len(self.enrollments)}):",
        ]
        for e in self.enrollments:
            lines.append(
                f"    {e.begin_date.isoformat()} .. {e.end_date.isoformat()}  {e.college_code}  "
                f"{e.college_name or ''}  type {e.college_type.value} status "
                f"{e.enrollment_status.value or '-'}"
            )
        lines.append(f"  credentials ({len(self.degrees)}):")
        for d, kind in zip(self.degrees, self.degree_kinds, strict=True):
            lines.append(
                f"    {d.award_date.isoformat()}  {d.degree_title or '(no title)'}  [{kind.value}]  "
                f"{d.college_code}"
            )
        if self.progress:
            lines.append(
                "  progress: "
                + "; ".join(f"year {k} {p.label}" for k, p in enumerate(self.progress, 1))
            )
        return "\n".join(lines)


def _flag(value: bool, available: bool) -> bool | None:
    return value if available else None


def search(
    outcomes: HighSchoolOutcomes,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    birth_date: dt.date | None = None,
    requester_id: str | None = None,
    finder: Finder | None = None,
) -> StudentHistory | None:
    """
    One student's history, by name and birth date or by the caller's requester id.

    Args:
        outcomes: The high-school outcomes to search.
        first_name, last_name, birth_date: Search by name and birth date (all three).
        requester_id: Or search by the caller's id.
        finder: Who decides which students a name query names (default:
            :class:`ExactFinder`); the matching package's fuzzy matcher can plug in here.

    Returns:
        The history, or None when no student matches.

    Raises:
        InvalidArgumentError: If neither way is given completely, or several students match
            (the message gives only how many).

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.model import CohortColumns, Student
        >>> columns = CohortColumns.from_records([
        ...     Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2002, 1, 2),
        ...             hs_grad_date=dt.date(2020, 6, 1)),
        ...     Student("S2", first_name="Bo", last_name="Lee", birth_date=dt.date(2002, 3, 4),
        ...             hs_grad_date=dt.date(2020, 6, 1))])
        >>> outcomes = high_school_outcomes(columns, as_of=dt.date(2021, 6, 1))
        >>> search(outcomes, first_name="ann ", last_name="LEE", birth_date=dt.date(2002, 1, 2)).requester_id
        'S1'
        >>> search(outcomes, requester_id="S2").class_year, search(outcomes, requester_id="S3")
        (2020, None)
    """
    wanted: SearchQuery | str
    if requester_id is not None:
        wanted = requester_id
    else:
        if first_name is None or last_name is None or birth_date is None:
            msg = "search needs first_name, last_name and birth_date, or requester_id"
            raise InvalidArgumentError(msg)
        check_date("birth_date", birth_date)
        wanted = SearchQuery(first_name, last_name, birth_date)
    # The one-partition case of the query: its partial finds the students, combine decides.
    query = outcomes.query(search=wanted, finder=finder, arr=False, top_n=None)
    return query.combine([query.partial_of_outcomes(outcomes)]).search()


def rows_by_id(students: Table, requester_id: str) -> NDArray[np.intp]:
    """The rows of the students whose requester id is *requester_id*."""
    cats = students.categories["requester_id"].tolist()
    hit = np.array([c == requester_id for c in cats] + [False], dtype=bool)
    return np.flatnonzero(hit[students.data["requester_id"]])


def history(outcomes: HighSchoolOutcomes, i: int) -> StudentHistory:
    """The history of the student at row *i* of *outcomes*' students."""
    m = outcomes.student_measures()
    cols = outcomes.columns
    enr, deg = cols.enrollments, cols.degrees
    e_rows = np.flatnonzero((cols.enrollment_student == i) & (_block_ranks(enr) == BLOCK_NONE))
    e_rows = e_rows[np.argsort(enr.data["begin_date"][e_rows], kind="stable")]
    d_rows = np.flatnonzero((cols.degree_student == i) & (_block_ranks(deg) == BLOCK_NONE))
    d_rows = d_rows[np.argsort(deg.data["award_date"][d_rows], kind="stable")]
    kinds = DegreeKind.by_code()
    student = cols.students.take(np.array([i]))
    has = bool(m.has_class[i])
    over = int(m.years_over[i])
    n_years = m.windows.completion_years
    year1 = bool(m.in_year(1)[i])
    progress = tuple(
        Progress(int(m.progress(k)[i]))
        for k in range(1, m.windows.progress_years + 1)
        if m.progress(k)[i] > 0
    )
    return StudentHistory(
        requester_id=str(student.values("requester_id")[0]),
        high_school_code=cast(str | None, student.values("high_school_code")[0]),
        class_year=int(m.class_year[i]) if has else None,
        hs_grad_date=cast(dt.date | None, student.values("hs_grad_date")[0]),
        as_of=outcomes.as_of,
        enrollments=cast(tuple[EnrollmentRecord, ...], enr.take(e_rows).to_records()),
        degrees=cast(tuple[DegreeRecord, ...], deg.take(d_rows).to_records()),
        degree_kinds=tuple(kinds[int(k)] for k in m.degree_kinds[d_rows].tolist()),
        enrolled_fall_after_hs=_flag(bool(m.fall[i]), bool(m.fall_over[i])),
        enrolled_year1=_flag(year1, has and over >= 1),
        persisted=_flag(bool(m.in_year(2)[i]), has and year1 and over >= 2),
        retained=_flag(bool(m.retained[i]), has and year1 and over >= 2),
        completed=_flag(bool(m.first_degree_year[i] <= n_years), has and over >= n_years),
        completion_years=n_years,
        progress=progress,
    )
