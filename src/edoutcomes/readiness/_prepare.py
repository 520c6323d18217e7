"""
The columnar view the readiness engine works on: one array per mark fact, built once.

Text and code columns of ``transcript_marks`` become small integers (grade levels, school
years, letter classes, areas); the course list, when given, decides each mark's area and
honors; marks that cannot be used (after ``as_of``, an unmapped term, a duplicate, an unknown
grade) are flagged here and never counted. Nothing loops over marks in Python: every
per-distinct-value step works on a column's categories.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel import day, school_year_start
from ..model import (
    MISSING_DAY,
    AgArea,
    AgDiscipline,
    CourseKind,
    HonorsType,
    K12Columns,
    LetterGrade,
    Table,
    TermKind,
    UnitType,
)

__all__ = ["AREAS", "REQUIRED_UNITS", "Marks", "group_counts", "prepare_marks"]

#: The a-g areas in order; an area's index is its number in the ``area`` column.
AREAS = "abcdefg"
#: Required years per area, in half-years (a 2, b 4, c 3, d 2, e 2, f 1, g 1: 15 years).
REQUIRED_UNITS = np.array([4, 8, 6, 4, 4, 2, 2], dtype=np.int64)

#: Letter classes: 0 A, 1 B, 2 C, 3 D, 4 F, 5 pass/credit, 6 any other mark.
A, B, C, D, F, PASS, OTHER = range(7)
_LETTER_CLASS = {"A": A, "B": B, "C": C, "D": D, "F": F}
#: Term codes as TermKind's member order: fall, spring, year, summer, unknown.
FALL, SPRING, YEAR, SUMMER = range(4)
#: Disciplines as AgDiscipline's member order.
WORLD, US, CIVICS, SOCIAL, BIO, CHEM, PHYS, EARTH = range(8)


def _member_index(cls: Any) -> dict[Any, int]:
    return {member: i for i, member in enumerate(cls)}


_LETTERS = np.array(
    [
        _LETTER_CLASS.get(
            g.letter or "", PASS if g in (LetterGrade.PASS, LetterGrade.CREDIT) else OTHER
        )
        for g in LetterGrade
    ]
    + [OTHER],
    dtype=np.int8,
)
_UNKNOWN_AREA = _member_index(AgArea)[AgArea.UNKNOWN]
_UNKNOWN_DISC = _member_index(AgDiscipline)[AgDiscipline.UNKNOWN]
_UNKNOWN_HONORS = _member_index(HonorsType)[HonorsType.UNKNOWN]
_QUARTER = _member_index(UnitType)[UnitType.QUARTER]
_ACADEMIC = _member_index(CourseKind)[CourseKind.ACADEMIC]
_UNKNOWN_TERM = _member_index(TermKind)[TermKind.UNKNOWN]
_GRADE = re.compile(r"^\s*0*(\d{1,2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


def _category_ints(categories: NDArray[np.object_], parse: Any) -> NDArray[np.int32]:
    """Parse each distinct value once; index -1 (missing) maps to the trailing -1."""
    values = [parse(str(c)) for c in categories.tolist()]
    return np.array([*values, -1], dtype=np.int32)


def _grade(text: str) -> int:
    match = _GRADE.match(text)
    if not match:
        return -1
    value = int(match[1])
    return value if 7 <= value <= 12 else -1


def _year(text: str) -> int:
    match = _YEAR.match(text)
    if not match:
        return -1
    start, end = int(match[1]), match[2]
    ok = int(end) == (start + 1) % 100 if len(end) == 2 else int(end) == start + 1
    return start if ok else -1


def _codes(table: Table, name: str) -> NDArray[np.int32]:
    return table.data[name].astype(np.int32)


def text_codes(table: Table, name: str, lookup: dict[str, int]) -> NDArray[np.int32]:
    """A text column's values as codes of one shared *lookup* (new values are added to it)."""
    cats = table.categories[name].tolist()
    mapped = np.array([*(lookup.setdefault(str(c), len(lookup)) for c in cats), -1], np.int32)
    out: NDArray[np.int32] = mapped[table.data[name]]
    return out


@frozen(eq=False)
class Marks:
    """
    One array per fact of each mark (same length as ``transcript_marks``).

    ``usable`` is the mark set the rules see; the other flags say why a mark is not usable
    (the clean-up findings report them); ``valid`` also keeps marks such as ``W`` or ``NP``;
    ``attempts`` are the usable A-F marks, ``multi`` those whose course slot has another. Units are half-years; areas index :data:`AREAS`.
    """

    student: NDArray[np.int32]
    end: NDArray[np.int32]
    term: NDArray[np.int8]
    grade: NDArray[np.int8]
    year: NDArray[np.int16]
    letter: NDArray[np.int8]
    area: NDArray[np.int8]
    own_area: NDArray[np.int8]
    honors: NDArray[np.bool_]
    own_honors: NDArray[np.int8]
    list_honors: NDArray[np.int8]
    on_list: NDArray[np.bool_]
    discipline: NDArray[np.int8]
    language: NDArray[np.int32]
    level: NDArray[np.int8]
    college: NDArray[np.bool_]
    college_full: NDArray[np.bool_]
    hs_accepted: NDArray[np.bool_]
    academic: NDArray[np.bool_]
    units: NDArray[np.int8]
    slot: NDArray[np.int64]
    duplicate_of: NDArray[np.int32]
    after_as_of: NDArray[np.bool_]
    unsupported_term: NDArray[np.bool_]
    valid: NDArray[np.bool_]
    usable: NDArray[np.bool_]
    attempts: NDArray[np.bool_]
    multi: NDArray[np.bool_]
    ferpa: NDArray[np.bool_]
    course: NDArray[np.int32]
    school: NDArray[np.int32]
    school_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.student)


def group_counts(key: NDArray[np.int64], mask: NDArray[np.bool_], size: int) -> NDArray[np.int64]:
    """
    For each row, how many *mask* rows share its *key* (0 outside the mask).

    A dense count (``np.bincount``) when the key space is small enough, else a sort.
    """
    out = np.zeros(len(key), dtype=np.int64)
    selected = key[mask]
    if size <= _DENSE_LIMIT:
        counts = np.bincount(selected, minlength=size)
        out[mask] = counts[selected]
        return out
    _, inverse, counts = np.unique(selected, return_inverse=True, return_counts=True)
    out[mask] = counts[inverse.ravel()]
    return out


#: Largest key space counted densely (an int64 count per key).
_DENSE_LIMIT = 1 << 27


def prepare_marks(data: K12Columns, as_of: dt.date) -> Marks:
    """Build the :class:`Marks` view of *data*'s ``transcript_marks`` as of *as_of*."""
    marks = data.marks
    n = marks.n_rows
    student = data.mark_student
    linked = student >= 0
    end = marks.data["mark_date"]
    term = marks.data["term_kind"]
    grade = _category_ints(marks.categories["grade_level"], _grade).astype(np.int8)[
        marks.data["grade_level"]
    ]
    year = _category_ints(marks.categories["school_year"], _year).astype(np.int16)[
        marks.data["school_year"]
    ]
    unplaced = np.flatnonzero(year < 0)
    if len(unplaced):
        # A mark without a school year is placed by its term end.
        year[unplaced] = school_year_start(end[unplaced])
    letter = _LETTERS[marks.data["letter_grade"]]
    own_area = marks.data["ag_area"]
    if (own_area == _UNKNOWN_AREA).any():
        own_area = np.where(own_area == _UNKNOWN_AREA, -1, own_area).astype(np.int8)
    own_honors = marks.data["honors_type"]
    discipline = marks.data["ag_discipline"]
    if (discipline == _UNKNOWN_DISC).any():
        discipline = np.where(discipline == _UNKNOWN_DISC, -1, discipline).astype(np.int8)
    level_raw = marks.data["sequence_level"]
    level = np.where(np.isfinite(level_raw), level_raw, -1).astype(np.int8)

    schools: dict[str, int] = {}
    courses: dict[str, int] = {}
    school = text_codes(marks, "school_id", schools)
    course = text_codes(marks, "course_id", courses)
    repeat_of = text_codes(marks, "repeat_of", courses)
    segments: dict[str, int] = {}
    segment = text_codes(marks, "course_segment", segments) + 1

    area, list_honors, on_list = _course_list(
        data.course_list, school, course, year, own_area, own_honors, schools, courses
    )
    if data.course_list.n_rows:
        honors = (list_honors >= 0) & (list_honors != _UNKNOWN_HONORS)
    else:
        honors = (own_honors >= 0) & (own_honors != _UNKNOWN_HONORS)
        list_honors = np.full(n, -1, dtype=np.int8)

    college = marks.data["is_college_course"] == 1
    units = np.where(term == YEAR, 2, 1).astype(np.int8)
    college_full = college
    if college.any():
        rows = np.flatnonzero(college)
        quarter = marks.data["college_unit_type"][rows] == _QUARTER
        units_raw = marks.data["college_units"][rows]
        full = np.where(quarter, units_raw >= 4, units_raw >= 3)
        college_full = np.zeros(n, dtype=bool)
        college_full[rows] = full
        units[rows] = np.where(full, 2, 0)

    kind = marks.data["course_kind"]
    academic = (kind < 0) | (kind == _ACADEMIC)
    n_seg = len(segments) + 1
    width = (len(courses) + 1) * n_seg
    same_course = student.astype(np.int64) * width + (course.astype(np.int64) * n_seg + segment)
    repeats = np.flatnonzero(repeat_of >= 0)
    slot = same_course
    if len(repeats):
        # A repeat naming its original shares the original's slot.
        slot = same_course.copy()
        slot[repeats] += (repeat_of[repeats].astype(np.int64) - course[repeats]) * n_seg
    size = (data.n_students + 1) * width

    today = day(as_of)
    start = marks.data["term_start"]
    after = (end > today) | ((start != MISSING_DAY) & (start > today))
    unsupported = (term < 0) | (term == _UNKNOWN_TERM)
    # Duplicates share student, course and segment: only those few rows are compared in full.
    candidates = np.flatnonzero(group_counts(same_course, linked, size) > 1)
    duplicate_of = np.full(n, -1, dtype=np.int32)
    if len(candidates):
        first = _duplicates(
            [same_course[candidates], school[candidates], year[candidates], term[candidates]]
        )
        hit = first >= 0
        duplicate_of[candidates[hit]] = candidates[first[hit]]
    ferpa = marks.data["ferpa_block"] == 1
    valid = (
        linked & ~after & ~unsupported & (duplicate_of < 0) & (grade >= 0) & (end != MISSING_DAY)
    )
    usable = valid & (letter < OTHER)
    attempts = usable & (letter <= F)
    multi = group_counts(slot, attempts, size) > 1
    # School codes in the order of the school ids, so outputs do not depend on the file's order.
    names = tuple(sorted(schools))
    rank = np.empty(len(schools) + 1, dtype=np.int32)
    rank[[schools[name] for name in names]] = np.arange(len(names), dtype=np.int32)
    rank[-1] = -1
    school = rank[school]
    return Marks(
        student=student,
        end=end,
        term=term,
        grade=grade,
        year=year,
        letter=letter,
        area=area,
        own_area=own_area,
        honors=honors,
        own_honors=own_honors,
        list_honors=list_honors,
        on_list=on_list,
        discipline=discipline,
        language=text_codes(marks, "language", {}),
        level=level,
        college=college,
        college_full=college_full,
        hs_accepted=marks.data["hs_accepted"] == 1,
        academic=academic,
        units=units,
        slot=slot,
        duplicate_of=duplicate_of,
        after_as_of=after,
        unsupported_term=unsupported,
        valid=valid,
        usable=usable,
        attempts=attempts,
        multi=multi,
        ferpa=ferpa,
        course=course,
        school=school,
        school_names=names,
    )


def _duplicates(columns: list[NDArray[Any]]) -> NDArray[np.int64]:
    """For each mark, the row of the first mark with the same values in *columns* (else -1)."""
    n = len(columns[0])
    out = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return out
    key = np.zeros(n, dtype=np.int64)
    for column in columns:
        values = column.astype(np.int64)
        low = int(values.min())
        width = int(values.max()) - low + 1
        # Mixed radix while it fits in 62 bits; beyond that, re-number the key so far.
        if int(key.max(initial=0)) >= (1 << 62) // width:
            key = np.unique(key, return_inverse=True)[1].ravel().astype(np.int64)
        key = key * width + (values - low)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    first_row = first[inverse.ravel()]
    repeated = first_row != np.arange(n)
    out[repeated] = first_row[repeated]
    return out


def _course_list(
    course_list: Table,
    school: NDArray[np.int32],
    course: NDArray[np.int32],
    year: NDArray[np.int16],
    own_area: NDArray[np.int8],
    own_honors: NDArray[np.int8],
    schools: dict[str, int],
    courses: dict[str, int],
) -> tuple[NDArray[np.int8], NDArray[np.int8], NDArray[np.bool_]]:
    """Each mark's area and honors from the course list in its school year (or its own)."""
    n = len(school)
    if course_list.n_rows == 0:
        return own_area, own_honors, np.zeros(n, dtype=bool)
    list_school = text_codes(course_list, "school_id", schools)
    list_course = text_codes(course_list, "course_id", courses)
    first = _category_ints(course_list.categories["approved_from"], _year)[
        course_list.data["approved_from"]
    ]
    last = _category_ints(course_list.categories["approved_to"], _year)[
        course_list.data["approved_to"]
    ]
    first = np.where(first < 0, -(10**6), first)
    last = np.where(last < 0, 10**6, last)
    width = np.int64(len(courses) + 1)
    list_key = list_school.astype(np.int64) * width + list_course
    mark_key = np.where((school >= 0) & (course >= 0), school.astype(np.int64) * width + course, -1)
    order = np.argsort(list_key, kind="stable")
    sorted_key = list_key[order]
    multiplicity = int(np.unique(sorted_key, return_counts=True)[1].max())
    size = (len(schools) + 1) * int(width)
    found = np.full(n, -1, dtype=np.int64)
    if multiplicity == 1 and size <= _DENSE_LIMIT:
        # One entry per school and course: a lookup table instead of a search per mark.
        table = np.full(size + 1, -1, dtype=np.int32)
        table[list_key] = np.arange(len(list_key), dtype=np.int32)
        looked = table[np.where(mark_key >= 0, mark_key, size)]
        safe_entry = np.where(looked >= 0, looked, 0)
        hit = (looked >= 0) & (first[safe_entry] <= year) & (year <= last[safe_entry])
        found[hit] = looked[hit]
        multiplicity = 0
    start = np.searchsorted(sorted_key, mark_key, side="left") if multiplicity else mark_key
    for offset in range(multiplicity):
        candidate = start + offset
        inside = candidate < len(sorted_key)
        entry = order[np.where(inside, candidate, 0)]
        hit = (
            inside
            & (found < 0)
            & (sorted_key[np.where(inside, candidate, 0)] == mark_key)
            & (first[entry] <= year)
            & (year <= last[entry])
        )
        found[hit] = entry[hit]
    on_list = found >= 0
    safe = np.where(on_list, found, 0)
    area = course_list.data["ag_area"][safe].astype(np.int8)
    area = np.where(on_list & (area != _UNKNOWN_AREA), area, -1).astype(np.int8)
    honors = np.where(on_list, course_list.data["honors_type"][safe], -1).astype(np.int8)
    return area, honors, on_list
