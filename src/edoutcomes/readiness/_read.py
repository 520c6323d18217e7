"""
Reading the readiness tables: the K-12 readers plus the columns the readiness engine requires.

Each file goes through the canonical-table reader (unknown codes are warnings and read as
``unknown``; unreadable values and missing required fields are errors that reject the row);
``transcript_marks`` is read with the readiness engine's required columns, and a grade level
that is not 7-12 or a school year that is not ``2023-24`` rejects its row too. Every row is
accounted for: ``rows_read == rows_accepted + rejected`` in each file's status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from attrs import evolve, frozen
from numpy.typing import NDArray

from .._kernel._findings import FileStatus, Finding, Severity
from ..errors import InvalidInputError
from ..formats.canonical import read_table
from ..model import (
    CONSENTS,
    COURSE_LIST,
    K12_STUDENTS,
    OTHER_SOURCE,
    REPORTED_GPAS,
    STUDENT_STATUS,
    TRANSCRIPT_MARKS,
    K12Columns,
    Table,
    TableSchema,
)
from ._prepare import _category_ints, _grade, _year

__all__ = ["READINESS_MARKS", "ReadinessRead", "read_readiness"]

_REQUIRED = frozenset(
    {
        "student_id",
        "school_id",
        "course_id",
        "school_year",
        "term_kind",
        "mark_date",
        "grade_level",
        "letter_grade",
    }
)
READINESS_MARKS = TableSchema(
    TRANSCRIPT_MARKS.name,
    tuple(evolve(c, required=c.name in _REQUIRED) for c in TRANSCRIPT_MARKS.columns),
)
"""
``transcript_marks`` as the readiness reader checks it (the on-track reader's set is unchanged).

Examples:
    >>> READINESS_MARKS.name, sorted(c.name for c in READINESS_MARKS.columns if c.required)[:4]
    ('transcript_marks', ['course_id', 'grade_level', 'letter_grade', 'mark_date'])
"""
#: K12Columns argument -> schema of the optional tables.
_OPTIONAL = {
    "course_list": COURSE_LIST,
    "student_status": STUDENT_STATUS,
    "consents": CONSENTS,
    "reported_gpas": REPORTED_GPAS,
    "other_source": OTHER_SOURCE,
}


@frozen(eq=False)
class ReadinessRead:
    """
    What :func:`read_readiness` gives: the linked tables, one status per file, and row numbers.

    ``rows[table]`` is the spreadsheet row (header = row 1) of each accepted row, so the
    clean-up findings can point into the files.

    Examples:
        >>> import tempfile
        >>> scratch = tempfile.TemporaryDirectory()
        >>> folder = Path(scratch.name)
        >>> _ = (folder / "k12_students.csv").write_text("student_id\\nK1\\nK2\\n")
        >>> _ = (folder / "transcript_marks.csv").write_text(
        ...     "student_id,school_id,course_id,school_year,term_kind,mark_date,grade_level,letter_grade\\n"
        ...     "K1,S1,ENG9,2023-24,fall,2024-01-20,9,A\\n"
        ...     "K1,S1,MATH9,2023-24,fall,2024-13-20,9,B\\n")
        >>> read = read_readiness(folder, lenient=True)
        >>> read.data.marks.n_rows, read.rows["transcript_marks"].tolist()
        (1, [2])
        >>> [(s.rows_read, s.rows_accepted) for s in read.statuses]
        [(2, 2), (2, 1)]
        >>> scratch.cleanup()
    """

    data: K12Columns
    statuses: tuple[FileStatus, ...]
    rows: Mapping[str, NDArray[np.int32]]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every reader finding, file by file."""
        return FileStatus.merge(self.statuses)


def read_readiness(
    folder: str | Path, *, lenient: bool = False, as_of: dt.date | None = None
) -> ReadinessRead:
    """
    Read ``k12_students.csv``, ``transcript_marks.csv`` and the optional readiness tables.

    Args:
        folder: Folder with the canonical CSV files (``course_list.csv``,
            ``student_status.csv``, ``consents.csv``, ``reported_gpas.csv``,
            ``other_source.csv`` when present).
        lenient: Return the findings instead of raising on errors.
        as_of: The date two-digit years are read against.

    Raises:
        InvalidInputError: In strict mode, when a file has an error (with every finding).
        FileNotFoundError: If the students or marks file is missing.

    Examples:
        >>> import tempfile
        >>> scratch = tempfile.TemporaryDirectory()
        >>> folder = Path(scratch.name)
        >>> _ = (folder / "k12_students.csv").write_text("student_id\\nK1\\nK2\\n")
        >>> _ = (folder / "transcript_marks.csv").write_text(
        ...     "student_id,school_id,course_id,school_year,term_kind,mark_date,grade_level,letter_grade\\n"
        ...     "K1,S1,ENG9,2023-24,fall,2024-01-20,9,A\\n"
        ...     "K1,S1,MATH9,2023-24,fall,2024-13-20,9,B\\n")
        >>> read = read_readiness(folder, lenient=True)
        >>> read.data.n_students, [(f.row, f.column) for f in read.findings]
        (2, [(3, 'mark_date')])
        >>> read_readiness(folder)
        Traceback (most recent call last):
        ...
        edoutcomes.errors.InvalidInputError: 1 problem in the input: ...
        >>> scratch.cleanup()
    """
    folder = Path(folder)
    statuses: list[FileStatus] = []
    rows: dict[str, NDArray[np.int32]] = {}

    def one(schema: TableSchema, *, required: bool) -> Table | None:
        path = folder / f"{schema.name}.csv"
        if not path.exists():
            if required:
                msg = f"{path} does not exist (it is required)"
                raise FileNotFoundError(msg)
            return None
        read = read_table(path, schema, lenient=True, as_of=as_of)  # type: ignore[arg-type]
        table, status, numbers = read.table, read.status, read.row_numbers
        if schema is READINESS_MARKS:
            table, status, numbers = _check_marks(table, status, numbers)
        status = _without_record_values(status)
        statuses.append(status)
        rows[schema.name] = numbers
        return table

    students = one(K12_STUDENTS, required=True)
    marks = one(READINESS_MARKS, required=True)
    assert students is not None
    optional = {name: one(schema, required=False) for name, schema in _OPTIONAL.items()}
    for name, schema in _OPTIONAL.items():
        rows.setdefault(schema.name, np.zeros(0, dtype=np.int32))
        del name
    findings = FileStatus.merge(statuses)
    if not lenient and any(f.is_error for f in findings):
        raise InvalidInputError(findings, rows_read=sum(s.rows_read for s in statuses))
    data = K12Columns.from_tables(students, marks=marks, **optional)
    return ReadinessRead(data, tuple(statuses), rows)


#: Education-record columns whose values no finding shows (grades, GPAs, ids).
_RECORD_COLUMNS = frozenset({"letter_grade", "value", "student_id", "ssid"})


def _without_record_values(status: FileStatus) -> FileStatus:
    findings = tuple(
        evolve(f, value=None) if f.column in _RECORD_COLUMNS else f for f in status.findings
    )
    return evolve(status, findings=findings)


def _check_marks(
    table: Table, status: FileStatus, numbers: NDArray[np.int32]
) -> tuple[Table, FileStatus, NDArray[np.int32]]:
    """Reject rows whose grade level is not 7-12 or whose school year is not a school year."""
    grade = _category_ints(table.categories["grade_level"], _grade)[table.data["grade_level"]]
    year = _category_ints(table.categories["school_year"], _year)[table.data["school_year"]]
    bad_grade = grade < 0
    bad_year = year < 0
    if not (bad_grade.any() or bad_year.any()):
        return table, status, numbers
    extra: list[Finding] = []
    grade_text = table.text("grade_level")
    year_text = table.text("school_year")
    for i in np.flatnonzero(bad_grade | bad_year).tolist():
        if bad_grade[i]:
            extra.append(
                Finding.make(
                    Severity.ERROR,
                    status.file,
                    int(numbers[i]),
                    "grade_level",
                    grade_text[i],
                    "grade_level must be a grade 7 to 12; the row is rejected",
                )
            )
        if bad_year[i]:
            extra.append(
                Finding.make(
                    Severity.ERROR,
                    status.file,
                    int(numbers[i]),
                    "school_year",
                    year_text[i],
                    "school_year is not a school year such as 2023-24; the row is rejected",
                )
            )
    keep = ~(bad_grade | bad_year)
    findings = tuple(sorted((*status.findings, *extra), key=lambda f: f.row or 0))
    accepted = status.rows_accepted - int((~keep).sum())
    return (
        table.take(keep),
        FileStatus(status.file, status.rows_read, accepted, findings),
        numbers[keep],
    )
