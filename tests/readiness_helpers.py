"""Small builders of readiness data for the tests: one mark per dict, sensible defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edoutcomes.model import (
    AgArea,
    AgDiscipline,
    CourseKind,
    HonorsType,
    K12Columns,
    K12Student,
    LetterGrade,
    TermKind,
    TranscriptMark,
    UnitType,
)

#: The term end of each term kind in a school year starting in July of *start*.
_ENDS = {"fall": (1, 20), "spring": (6, 10), "year": (6, 10), "summer": (8, 10)}
_CODES: dict[str, Any] = {
    "term_kind": TermKind,
    "letter_grade": LetterGrade,
    "ag_area": AgArea,
    "ag_discipline": AgDiscipline,
    "honors_type": HonorsType,
    "college_unit_type": UnitType,
    "course_kind": CourseKind,
}


def term_end(start: int, term: str) -> dt.date:
    """A plausible term end: fall in January, spring/year in June, summer in August."""
    month, day = _ENDS[term]
    year = start if term == "summer" else start + 1
    return dt.date(year, month, day)


def mark(
    student: str, course: str, grade: int, term: str, letter: str, area: str | None, **kw: Any
) -> TranscriptMark:
    """One mark of a student entering grade 9 in 2021-22 (grade 9 = 2021-22, ..., 12 = 2024-25)."""
    start = 2021 + (grade - 9)
    start = kw.pop("year_start", start)
    values: dict[str, Any] = {
        "student_id": student,
        "course_id": course,
        "mark_date": kw.pop("mark_date", term_end(start if term != "summer" else start + 1, term)),
        "credits_earned": 0.5,
        "school_id": kw.pop("school_id", "S1"),
        "school_year": f"{start}-{(start + 1) % 100:02d}",
        "grade_level": str(grade),
        "term_kind": term,
        "letter_grade": letter,
        "ag_area": area,
    }
    values.update(kw)
    for name, cls in _CODES.items():
        if isinstance(values.get(name), str):
            values[name] = cls(values[name])
    values = {k: v for k, v in values.items() if v is not None}
    return TranscriptMark(**values)


def student(
    student_id: str = "S1", entry: dt.date | None = dt.date(2021, 8, 20), **kw: Any
) -> K12Student:
    """A student entering grade 9 in 2021-22 (class of 2025)."""
    return K12Student(student_id, grade9_entry_date=entry, **kw)


def data(students: list[K12Student], marks: list[TranscriptMark], **tables: Any) -> K12Columns:
    """The K-12 columns of these records."""
    return K12Columns.from_records(students, marks=marks, **tables)
