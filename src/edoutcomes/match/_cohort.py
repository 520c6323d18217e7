"""Matching feeds the rest: records keyed by person id, re-keyed to the submitted students."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from attrs import evolve
from numpy.typing import NDArray

from ..model import (
    DEGREES,
    ENROLLMENTS,
    Cohort,
    CohortColumns,
    DegreeRecord,
    EnrollmentRecord,
    Institution,
    Student,
    Table,
)
from ._matcher import Matcher, Progress, as_students, match_students
from ._result import MatchResult

__all__ = ["matched_cohort", "matched_columns", "rekey_records"]


def rekey_records(records: Table, people: Table, result: MatchResult) -> Table:
    """
    The records of matched people, re-keyed to the submitted students they were matched to.

    *records* are keyed by person id (their ``requester_id`` is the person store's id).
    Records of people nobody was matched to are left out; a person matched by two
    submitted students gives each of them a copy.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import ENROLLMENTS, CollegeCode, CollegeType, EnrollmentRecord, Student, Table
        >>> people = as_students([Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))])
        >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
        >>> terms = Table.from_records(ENROLLMENTS, [EnrollmentRecord("P1", CollegeCode.parse("001817-00"),
        ...     CollegeType.FOUR_YEAR, dt.date(2019, 8, 26), dt.date(2019, 12, 13))])
        >>> rekeyed = rekey_records(terms, people, match_students(sent, people))
        >>> rekeyed.text("requester_id").tolist()
        ['S1']
    """
    person_index: dict[str, int] = {}
    for row, pid in enumerate(people.text("requester_id").tolist()):
        person_index.setdefault(pid, row)
    categories = records.categories["requester_id"].tolist()
    lookup = np.array([person_index.get(c, -1) for c in categories] + [-1], dtype=np.int64)
    record_person = lookup[records.data["requester_id"]]

    students = np.flatnonzero(result.person >= 0)
    order = np.argsort(result.person[students], kind="stable")
    students = students[order]
    matched_people = result.person[students].astype(np.int64)
    lo = np.searchsorted(matched_people, record_person, side="left")
    hi = np.searchsorted(matched_people, record_person, side="right")
    counts = np.where(record_person >= 0, hi - lo, 0)
    record_rows = np.repeat(np.arange(records.n_rows), counts)
    starts = np.cumsum(counts) - counts
    offsets = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    student_rows = students[np.repeat(lo, counts) + offsets]

    data: dict[str, NDArray[Any]] = {
        name: array[record_rows] for name, array in records.data.items()
    }
    student_ids = result.requester_ids
    ids, codes = np.unique(student_ids[student_rows].astype(str), return_inverse=True)
    data["requester_id"] = codes.astype(np.int32).reshape(-1)
    cats = dict(records.categories)
    cats["requester_id"] = ids.astype(object)
    return Table(records.schema, data, cats, records.extras)


def matched_columns(
    submitted: Table | Iterable[Student],
    people: Table | Iterable[Student],
    enrollments: Table | None = None,
    degrees: Table | None = None,
    *,
    matcher: Matcher | None = None,
    result: MatchResult | None = None,
    progress: Progress | None = None,
) -> tuple[CohortColumns, MatchResult]:
    """
    The cohort's columnar view from submitted students, a record store and a matcher.

    Unmatched students have no records, so the control report counts them as "no response".

    Args:
        submitted: The submitted students.
        people: The person store; its ``requester_id`` is the person id.
        enrollments: Enrollment records keyed by person id.
        degrees: Degree records keyed by person id.
        matcher: The matcher (the default one if None).
        result: A match result already computed for these tables (skips matching).
        progress: Called with (rows done, rows total) while matching.

    Returns:
        The columnar cohort keyed by the submitted ``requester_id``, and the match result.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import ENROLLMENTS, CollegeCode, CollegeType, EnrollmentRecord, Student, Table
        >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
        >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
        ...         Student("S2", first_name="Bo", last_name="Ng", birth_date=dt.date(2000, 5, 6))]
        >>> terms = Table.from_records(ENROLLMENTS, [EnrollmentRecord("P1", CollegeCode.parse("001817-00"),
        ...     CollegeType.FOUR_YEAR, dt.date(2019, 8, 26), dt.date(2019, 12, 13))])
        >>> columns, result = matched_columns(sent, people, terms)
        >>> columns.n_students, columns.enrollment_student.tolist(), result.person.tolist()
        (2, [0], [0, -1])
    """
    students, store = as_students(submitted), as_students(people)
    if result is None:
        result = match_students(students, store, matcher=matcher, progress=progress)
    enrollments = enrollments if enrollments is not None else Table.empty(ENROLLMENTS)
    degrees = degrees if degrees is not None else Table.empty(DEGREES)
    columns = CohortColumns.from_tables(
        students, rekey_records(enrollments, store, result), rekey_records(degrees, store, result)
    )
    return columns, result


def matched_cohort(
    submitted: Iterable[Student],
    people: Iterable[Student],
    enrollments: Iterable[EnrollmentRecord] = (),
    degrees: Iterable[DegreeRecord] = (),
    *,
    institution: Institution | None = None,
    matcher: Matcher | None = None,
) -> tuple[Cohort, MatchResult]:
    """
    A :class:`Cohort` of the submitted students with the records of the people they match.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import CollegeCode, CollegeType
        >>> born = dt.date(2001, 2, 3)
        >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=born)]
        >>> terms = [EnrollmentRecord("P1", CollegeCode.parse("001817-00"), CollegeType.FOUR_YEAR,
        ...                           dt.date(2019, 8, 26), dt.date(2019, 12, 13))]
        >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=born)]
        >>> cohort, _ = matched_cohort(sent, people, terms)
        >>> [e.requester_id for e in cohort.enrollments]
        ['S1']
    """
    students = tuple(submitted)
    result = match_students(students, people, matcher=matcher)
    by_person: dict[str, list[str]] = {}
    for match in result.matches():
        if match.person_id is not None:
            by_person.setdefault(match.person_id, []).append(match.requester_id)
    # Any: the Cohort's tuple converters defeat mypy's inference (as in model._converter).
    terms: list[Any] = [
        evolve(e, requester_id=rid)
        for e in enrollments
        for rid in by_person.get(e.requester_id, ())
    ]
    awards: list[Any] = [
        evolve(d, requester_id=rid) for d in degrees for rid in by_person.get(d.requester_id, ())
    ]
    people_rows: tuple[Any, ...] = students
    return Cohort(people_rows, terms, awards, institution), result
