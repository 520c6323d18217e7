"""
Data clean-up findings: what a district should correct in its student information system.

Each finding names its kind, severity, table, row (header = row 1), column and says what is
wrong, never showing a value: ids, names, birth dates, grades and GPAs stay out of every
message. Every check is a pass over the columns; only the findings themselves are objects.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport
from .._kernel._days import day
from .._kernel._findings import Severity
from .._kernel._groups import run_starts
from .._kernel._names import normalise_name
from ..model import MISSING_DAY, GpaKind, Table
from ._engine import Readiness

__all__ = ["CleanupFinding", "CleanupTable", "FindingKind", "cleanup_findings"]


class FindingKind(enum.StrEnum):
    """
    The kinds of clean-up finding (college-readiness.md section 5).

    Examples:
        >>> FindingKind("duplicate_mark") is FindingKind.DUPLICATE_MARK
        True
    """

    AG_NOT_ON_COURSE_LIST = "ag_not_on_course_list"
    HONORS_NOT_ON_COURSE_LIST = "honors_not_on_course_list"
    GRADE_LEVEL_INCONSISTENT = "grade_level_inconsistent"
    DUPLICATE_MARK = "duplicate_mark"
    GPA_MISMATCH = "gpa_mismatch"
    BIRTH_DATE_DISAGREES = "birth_date_disagrees"
    NAME_DISAGREES = "name_disagrees"
    IMPOSSIBLE_DATE = "impossible_date"
    REPEAT_OF_PASSED_COURSE = "repeat_of_passed_course"
    UNSUPPORTED_TERM = "unsupported_term"
    REPEAT_FLAG_WITHOUT_ORIGINAL = "repeat_flag_without_original"
    COLLEGE_COURSE_TOO_SHORT = "college_course_too_short"


@frozen
class CleanupFinding:
    """
    One thing to correct: where it is and what is wrong (never a value).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> finding = cleanup_findings(result).findings[0]
        >>> finding.kind.value, finding.severity.value, finding.table, finding.row, finding.column
        ('ag_not_on_course_list', 'warning', 'transcript_marks', 13, 'ag_area')
    """

    kind: FindingKind
    severity: Severity
    table: str
    row: int
    column: str | None
    message: str


@frozen(eq=False, repr=False)
class CleanupTable(ArrowExport):
    """
    The findings as a report table (``readiness_findings.csv``), in table and row order.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> table = cleanup_findings(result)
        >>> len(table), table.columns
        (27, ('kind', 'severity', 'table', 'row', 'column', 'message'))
        >>> table.counts()[FindingKind.DUPLICATE_MARK]
        2
    """

    findings: tuple[CleanupFinding, ...]
    name: str = "readiness_findings"
    columns: tuple[str, ...] = ("kind", "severity", "table", "row", "column", "message")

    def rows(self) -> Iterator[tuple[object, ...]]:
        """One row per finding."""
        for f in self.findings:
            yield (f.kind.value, f.severity.value, f.table, f.row, f.column, f.message)

    def __len__(self) -> int:
        return len(self.findings)

    def counts(self) -> dict[FindingKind, int]:
        """Findings per kind."""
        out = dict.fromkeys(FindingKind, 0)
        for f in self.findings:
            out[f.kind] += 1
        return out


_Add = Callable[[FindingKind, Severity, Table, NDArray[Any], "str | None", "str | list[str]"], None]

_GPA_COLUMNS = {
    GpaKind.UC_UNWEIGHTED: "uc_unweighted",
    GpaKind.UC_CAPPED: "uc_capped",
    GpaKind.CSU: "csu_gpa",
    GpaKind.CALGRANT: "calgrant_gpa",
}


def cleanup_findings(
    result: Readiness, rows: Mapping[str, NDArray[np.int32]] | None = None
) -> CleanupTable:
    """
    Every clean-up finding of the data behind *result*.

    Args:
        result: The engine's result (its data and ``as_of``).
        rows: Spreadsheet row numbers per table (``ReadinessRead.rows``); by default a
            table's row ``i`` is row ``i + 2`` (header = row 1).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> findings = cleanup_findings(result)
        >>> {kind.value: n for kind, n in findings.counts().items() if n}
        {'ag_not_on_course_list': 14, 'honors_not_on_course_list': 2, 'grade_level_inconsistent': 3, 'duplicate_mark': 2, 'birth_date_disagrees': 1, 'repeat_of_passed_course': 1, 'unsupported_term': 1, 'repeat_flag_without_original': 3}
        >>> next(findings.rows())[:5]
        ('ag_not_on_course_list', 'warning', 'transcript_marks', 13, 'ag_area')
    """
    found = _Found(result, rows)
    _course_list_findings(result, found.add)
    _grade_level_findings(result, found.add)
    _duplicate_findings(result, found)
    _date_findings(result, found.add)
    _repeat_and_term_findings(result, found.add)
    _gpa_mismatch(result, found.add)
    _other_source(result, found.add)
    return found.table()


class _Found:
    """The findings collected so far, each with its table's order and its row number."""

    def __init__(self, result: Readiness, rows: Mapping[str, NDArray[np.int32]] | None) -> None:
        self.rows = rows
        self.order = {name: k for k, name in enumerate(result.data.tables())}
        self.out: list[tuple[int, int, CleanupFinding]] = []

    def row_of(self, table: Table, i: int) -> int:
        """The spreadsheet row of *table*'s row *i* (header = row 1)."""
        numbers = self.rows.get(table.name) if self.rows is not None else None
        return int(numbers[i]) if numbers is not None and len(numbers) else i + 2

    def add(
        self,
        kind: FindingKind,
        severity: Severity,
        table: Table,
        where: NDArray[Any],
        column: str | None,
        message: str | list[str],
    ) -> None:
        """One finding per row *where* says (a mask or row positions)."""
        index = np.flatnonzero(where) if where.dtype == bool else where
        rank = self.order.get(table.name, 99)
        for k, i in enumerate(index.tolist()):
            row = self.row_of(table, i)
            text = message if isinstance(message, str) else message[k]
            self.out.append(
                (rank, row, CleanupFinding(kind, severity, table.name, row, column, text))
            )

    def table(self) -> CleanupTable:
        """The findings by table, then row."""
        self.out.sort(key=lambda item: (item[0], item[1]))
        return CleanupTable(tuple(f for _, _, f in self.out))


def _course_list_findings(result: Readiness, add: _Add) -> None:
    """A mark's area or honors type that the course list lacks or gives differently (5.1)."""
    data, m = result.data, result.marks
    if not data.course_list.n_rows:
        return
    linked = m.student >= 0
    add(
        FindingKind.AG_NOT_ON_COURSE_LIST,
        Severity.WARNING,
        data.marks,
        linked & (m.own_area >= 0) & (~m.on_list | (m.area != m.own_area)),
        "ag_area",
        "the mark's a-g area is not the course list's for this school, course and school year",
    )
    add(
        FindingKind.HONORS_NOT_ON_COURSE_LIST,
        Severity.WARNING,
        data.marks,
        linked & (m.own_honors >= 0) & (~m.on_list | (m.list_honors != m.own_honors)),
        "honors_type",
        "the mark's honors type is not the course list's for this school, course and school year",
    )


def _grade_level_findings(result: Readiness, add: _Add) -> None:
    """A grade level other than the one expected from the grade-9 entry year (5.2)."""
    m = result.marks
    linked = m.student >= 0
    entry = result.entry_year[np.where(linked, m.student, 0)]
    add(
        FindingKind.GRADE_LEVEL_INCONSISTENT,
        Severity.WARNING,
        result.data.marks,
        linked & (m.grade >= 0) & (entry >= 0) & (m.year >= 0) & (m.grade != 9 + m.year - entry),
        "grade_level",
        "grade_level differs from the grade expected from the grade-9 entry year (used as recorded)",
    )


def _duplicate_findings(result: Readiness, found: _Found) -> None:
    """Later rows of one school, course, school year, term and segment, naming the first (5.3)."""
    m, marks = result.marks, result.data.marks
    dup = np.flatnonzero(m.duplicate_of >= 0)
    found.add(
        FindingKind.DUPLICATE_MARK,
        Severity.WARNING,
        marks,
        dup,
        "course_id",
        [
            "same school, course, school year, term and segment as row"
            f" {found.row_of(marks, int(m.duplicate_of[i]))}; not counted"
            for i in dup.tolist()
        ],
    )


def _date_findings(result: Readiness, add: _Add) -> None:
    """Impossible dates (5.6): terms ending before they start, dates after as_of, before birth."""
    data, m = result.data, result.marks
    marks = data.marks
    today = day(result.as_of)
    start = marks.data["term_start"]
    end = marks.data["mark_date"]
    add(
        FindingKind.IMPOSSIBLE_DATE,
        Severity.ERROR,
        marks,
        (start != MISSING_DAY) & (end != MISSING_DAY) & (end < start),
        "mark_date",
        "the term ends before it starts",
    )
    add(
        FindingKind.IMPOSSIBLE_DATE,
        Severity.ERROR,
        marks,
        m.after_as_of,
        "mark_date",
        "a date after the as-of date; the mark is not used",
    )
    linked = m.student >= 0
    born = data.students.data["birth_date"][np.where(linked, m.student, 0)]
    add(
        FindingKind.IMPOSSIBLE_DATE,
        Severity.ERROR,
        marks,
        linked & (born != MISSING_DAY) & (end != MISSING_DAY) & (end < born),
        "mark_date",
        "the mark is dated before the student's birth",
    )
    for table, column in (
        (data.student_status, "submitted_date"),
        (data.student_status, "award_date"),
        (data.consents, "granted_date"),
        (data.consents, "revoked_date"),
    ):
        values = table.data[column]
        add(
            FindingKind.IMPOSSIBLE_DATE,
            Severity.ERROR,
            table,
            (values != MISSING_DAY) & (values > today),
            column,
            f"{column} is after the as-of date",
        )
    granted = data.consents.data["granted_date"]
    revoked = data.consents.data["revoked_date"]
    add(
        FindingKind.IMPOSSIBLE_DATE,
        Severity.ERROR,
        data.consents,
        (granted != MISSING_DAY) & (revoked != MISSING_DAY) & (revoked < granted),
        "revoked_date",
        "the consent is revoked before it was granted (it counts as revoked)",
    )


def _repeat_and_term_findings(result: Readiness, add: _Add) -> None:
    """Repeats of passed courses, unmapped terms, repeat flags alone, short college courses."""
    m, marks = result.marks, result.data.marks
    add(
        FindingKind.REPEAT_OF_PASSED_COURSE,
        Severity.WARNING,
        marks,
        result.ignored_repeats,
        "course_id",
        "a later attempt of a course whose first attempt passed; the first attempt stands",
    )
    add(
        FindingKind.UNSUPPORTED_TERM,
        Severity.ERROR,
        marks,
        (m.student >= 0) & m.unsupported_term,
        "term_kind",
        "the term is not fall, spring, year or summer (trimester and quarter terms are not mapped yet); the mark is not used",
    )
    add(
        FindingKind.REPEAT_FLAG_WITHOUT_ORIGINAL,
        Severity.WARNING,
        marks,
        _repeat_without_original(result),
        "repeat",
        "the mark is flagged as a repeat, but no earlier attempt of the course is on the transcript",
    )
    add(
        FindingKind.COLLEGE_COURSE_TOO_SHORT,
        Severity.WARNING,
        marks,
        result.short_college,
        "college_units",
        "a college course under 3 semester (4 quarter) units earns no a-g years",
    )


def _repeat_without_original(result: Readiness) -> NDArray[np.bool_]:
    m = result.marks
    flagged = result.data.marks.data["repeat"] == 1
    rows = np.flatnonzero(m.valid)
    if not len(rows):
        return np.zeros(len(m), dtype=bool)
    order = rows[np.lexsort((rows, m.end[rows], m.slot[rows]))]
    slot = m.slot[order]
    first = run_starts([slot])
    is_first = np.zeros(len(m), dtype=bool)
    is_first[order[first]] = True
    out: NDArray[np.bool_] = flagged & m.valid & is_first
    return out


def _gpa_mismatch(result: Readiness, add: _Add) -> None:
    data = result.data
    table = data.reported_gpas
    if not table.n_rows:
        return
    stu = data.gpa_student
    kind = table.data["gpa_kind"]
    # Hundredths of hundredths, exactly: |reported - recomputed| > 0.01 <=> > 100 units.
    reported = np.round(table.data["value"] * 10_000).astype(np.int64)
    bad = np.zeros(table.n_rows, dtype=bool)
    for member, attribute in _GPA_COLUMNS.items():
        values: NDArray[np.int64] = getattr(result, attribute)
        rows = (kind == member.code) & (stu >= 0)
        recomputed = values[np.where(rows, stu, 0)]
        bad |= rows & ((recomputed < 0) | (np.abs(reported - 100 * recomputed) > 100))
    add(
        FindingKind.GPA_MISMATCH,
        Severity.WARNING,
        table,
        bad,
        "value",
        "the reported GPA differs from the recomputed one of its kind by more than 0.01",
    )


def _normalised(table: Table, column: str) -> NDArray[np.object_]:
    cats = [normalise_name(str(c)) for c in table.categories[column].tolist()]
    lookup = np.array([*cats, None], dtype=object)
    out: NDArray[np.object_] = lookup[table.data[column]]
    return out


def _other_source(result: Readiness, add: _Add) -> None:
    data = result.data
    other = data.other_source
    if not other.n_rows:
        return
    stu = data.other_student
    linked = stu >= 0
    at = np.where(linked, stu, 0)
    students = data.students
    theirs = other.data["birth_date"]
    ours = students.data["birth_date"][at]
    add(
        FindingKind.BIRTH_DATE_DISAGREES,
        Severity.WARNING,
        other,
        linked & (theirs != MISSING_DAY) & (ours != MISSING_DAY) & (theirs != ours),
        "birth_date",
        "the birth date differs from the other source's",
    )
    for column in ("last_name", "first_name"):
        mine = _normalised(students, column)[at]
        legal = _normalised(students, f"legal_{column}")[at]
        mine = np.where(mine == None, legal, mine)  # noqa: E711 - elementwise over objects
        source = _normalised(other, column)
        differs = linked & (source != None) & (mine != None) & (source != mine)  # noqa: E711
        add(
            FindingKind.NAME_DISAGREES,
            Severity.WARNING,
            other,
            differs.astype(bool),
            column,
            f"{column} differs from the other source's (after normalisation)",
        )
