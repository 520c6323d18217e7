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

from .._kernel._days import day, school_year_start
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

__all__ = [
    "AREAS",
    "REQUIRED_UNITS",
    "Codes",
    "Marks",
    "group_counts",
    "marks_codes",
    "prepare_marks",
]

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
    For each row, how many *mask* rows share its *key* (0 outside the mask); keys in ``[0, size)``.

    A dense count (``np.bincount``) when the key space is not much larger than the rows
    counted, else a sort of those rows.
    """
    out = np.zeros(len(key), dtype=np.int64)
    selected = key[mask]
    if size <= max(_DENSE_LIMIT, 4 * len(selected)):
        counts = np.bincount(selected, minlength=size)
        out[mask] = counts[selected]
        return out
    _, inverse, counts = np.unique(selected, return_inverse=True, return_counts=True)
    out[mask] = counts[inverse.ravel()]
    return out


#: Key spaces up to this size are counted densely whatever the number of rows.
_DENSE_LIMIT = 1 << 20
#: Course lists whose (school, course) key space fits a lookup table of this size use one.
_LIST_DENSE_LIMIT = 1 << 24


@frozen(eq=False)
class Codes:
    """
    What depends only on the tables' categories and the course list, worked out once.

    Lookup tables from a text column's codes to the engine's small integers (a trailing -1
    for the missing code), the shared school and course numbering, and the course list's keys;
    :func:`prepare_marks` then needs only array lookups, however many blocks it is called on.
    """

    grade: NDArray[np.int8]
    year: NDArray[np.int16]
    school: NDArray[np.int32]  # school_id code -> shared school number
    course: NDArray[np.int32]
    repeat_of: NDArray[np.int32]
    segment: NDArray[np.int32]  # course_segment code -> 0 (blank) .. n_segments - 1
    language: NDArray[np.int32]
    rank: NDArray[np.int32]  # shared school number -> position in school_names (-1 last)
    n_courses: int
    n_segments: int
    school_names: tuple[str, ...]
    course_list: _CourseList | None


@frozen(eq=False)
class _CourseList:
    """The course list's entries by (school, course) key, as a dense table or sorted keys."""

    first: NDArray[np.int32]
    last: NDArray[np.int32]
    area: NDArray[np.int8]
    honors: NDArray[np.int8]
    width: int
    table: NDArray[np.int32] | None
    order: NDArray[np.int64]
    sorted_key: NDArray[np.int64]
    multiplicity: int


def _lookup(table: Table, name: str, lookup: dict[str, int]) -> NDArray[np.int32]:
    """A text column's category codes as codes of one shared *lookup* (new values are added)."""
    cats = table.categories[name].tolist()
    return np.array([*(lookup.setdefault(str(c), len(lookup)) for c in cats), -1], np.int32)


def text_codes(table: Table, name: str, lookup: dict[str, int]) -> NDArray[np.int32]:
    """A text column's values as codes of one shared *lookup* (new values are added to it)."""
    out: NDArray[np.int32] = _lookup(table, name, lookup)[table.data[name]]
    return out


def marks_codes(data: K12Columns) -> Codes:
    """The :class:`Codes` of *data*'s marks and course list."""
    marks = data.marks
    schools: dict[str, int] = {}
    courses: dict[str, int] = {}
    school = _lookup(marks, "school_id", schools)
    course = _lookup(marks, "course_id", courses)
    repeat_of = _lookup(marks, "repeat_of", courses)
    segments: dict[str, int] = {}
    segment = _lookup(marks, "course_segment", segments) + 1
    listed = _course_list_codes(data.course_list, schools, courses)
    # School codes in the order of the school ids, so outputs do not depend on the file's order.
    names = tuple(sorted(schools))
    rank = np.empty(len(schools) + 1, dtype=np.int32)
    rank[[schools[name] for name in names]] = np.arange(len(names), dtype=np.int32)
    rank[-1] = -1
    return Codes(
        grade=_category_ints(marks.categories["grade_level"], _grade).astype(np.int8),
        year=_category_ints(marks.categories["school_year"], _year).astype(np.int16),
        school=school,
        course=course,
        repeat_of=repeat_of,
        segment=segment,
        language=_lookup(marks, "language", {}),
        rank=rank,
        n_courses=len(courses),
        n_segments=len(segments) + 1,
        school_names=names,
        course_list=listed,
    )


class _Columns:
    """The marks' columns restricted to some rows (a slice is a view, indices a copy)."""

    def __init__(self, table: Table, rows: slice | NDArray[np.int64]) -> None:
        self.data = table.data
        self.rows = rows

    def __getitem__(self, name: str) -> NDArray[Any]:
        out: NDArray[Any] = self.data[name][self.rows]
        return out


def prepare_marks(
    data: K12Columns,
    as_of: dt.date,
    *,
    codes: Codes | None = None,
    rows: slice | NDArray[np.int64] | None = None,
    first: int = 0,
    n_students: int | None = None,
) -> Marks:
    """
    Build the :class:`Marks` view of *data*'s ``transcript_marks`` as of *as_of*.

    With *rows*, only those marks, which must hold every mark of the students
    ``first .. first + n_students - 1`` (in file order) and no other linked mark; their
    ``student`` is then counted from *first*.
    """
    codes = codes or marks_codes(data)
    columns = _Columns(data.marks, slice(None) if rows is None else rows)
    n_students = data.n_students if n_students is None else n_students
    student = data.mark_student[columns.rows]
    if first:
        student = np.where(student >= 0, student - first, -1).astype(np.int32)
    n = len(student)
    linked = student >= 0
    end = columns["mark_date"]
    term = columns["term_kind"]
    grade = codes.grade[columns["grade_level"]]
    year = codes.year[columns["school_year"]]
    unplaced = np.flatnonzero(year < 0)
    if len(unplaced):
        # A mark without a school year is placed by its term end.
        year[unplaced] = school_year_start(end[unplaced])
    letter = _LETTERS[columns["letter_grade"]]
    own_area = columns["ag_area"]
    if (own_area == _UNKNOWN_AREA).any():
        own_area = np.where(own_area == _UNKNOWN_AREA, -1, own_area).astype(np.int8)
    own_honors = columns["honors_type"]
    discipline = columns["ag_discipline"]
    if (discipline == _UNKNOWN_DISC).any():
        discipline = np.where(discipline == _UNKNOWN_DISC, -1, discipline).astype(np.int8)
    level_raw = columns["sequence_level"]
    level = np.where(np.isfinite(level_raw), level_raw, -1).astype(np.int8)

    school = codes.school[columns["school_id"]]
    course = codes.course[columns["course_id"]]
    repeat_of = codes.repeat_of[columns["repeat_of"]]
    segment = codes.segment[columns["course_segment"]]

    area, list_honors, on_list = _course_list(
        codes.course_list, school, course, year, own_area, own_honors
    )
    if codes.course_list is not None:
        honors = (list_honors >= 0) & (list_honors != _UNKNOWN_HONORS)
    else:
        honors = (own_honors >= 0) & (own_honors != _UNKNOWN_HONORS)
        list_honors = np.full(n, -1, dtype=np.int8)

    college = columns["is_college_course"] == 1
    units = np.where(term == YEAR, 2, 1).astype(np.int8)
    college_full = college
    if college.any():
        at = np.flatnonzero(college)
        quarter = columns["college_unit_type"][at] == _QUARTER
        units_raw = columns["college_units"][at]
        full = np.where(quarter, units_raw >= 4, units_raw >= 3)
        college_full = np.zeros(n, dtype=bool)
        college_full[at] = full
        units[at] = np.where(full, 2, 0)

    kind = columns["course_kind"]
    academic = (kind < 0) | (kind == _ACADEMIC)
    n_seg = codes.n_segments
    width = (codes.n_courses + 1) * n_seg
    # Course code + 1, so a blank course id is a slot of its own and no key is negative.
    same_course = student.astype(np.int64) * width + (
        (course.astype(np.int64) + 1) * n_seg + segment
    )
    repeats = np.flatnonzero(repeat_of >= 0)
    slot = same_course
    if len(repeats):
        # A repeat naming its original shares the original's slot.
        slot = same_course.copy()
        slot[repeats] += (repeat_of[repeats].astype(np.int64) - course[repeats]) * n_seg
    size = n_students * width

    today = day(as_of)
    start = columns["term_start"]
    after = (end > today) | ((start != MISSING_DAY) & (start > today))
    unsupported = (term < 0) | (term == _UNKNOWN_TERM)
    # Duplicates share student, course and segment: only those few rows are compared in full.
    candidates = np.flatnonzero(group_counts(same_course, linked, size) > 1)
    duplicate_of = np.full(n, -1, dtype=np.int32)
    if len(candidates):
        dup = _duplicates(
            [same_course[candidates], school[candidates], year[candidates], term[candidates]]
        )
        hit = dup >= 0
        duplicate_of[candidates[hit]] = candidates[dup[hit]]
    valid = (
        linked & ~after & ~unsupported & (duplicate_of < 0) & (grade >= 0) & (end != MISSING_DAY)
    )
    usable = valid & (letter < OTHER)
    attempts = usable & (letter <= F)
    multi = group_counts(slot, attempts, size) > 1
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
        language=codes.language[columns["language"]],
        level=level,
        college=college,
        college_full=college_full,
        hs_accepted=columns["hs_accepted"] == 1,
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
        ferpa=columns["ferpa_block"] == 1,
        course=course,
        school=codes.rank[school],
        school_names=codes.school_names,
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


def _course_list_codes(
    course_list: Table, schools: dict[str, int], courses: dict[str, int]
) -> _CourseList | None:
    """The course list's entries keyed by (school, course) number (None without a list)."""
    if course_list.n_rows == 0:
        return None
    list_school = text_codes(course_list, "school_id", schools)
    list_course = text_codes(course_list, "course_id", courses)
    first = _category_ints(course_list.categories["approved_from"], _year)[
        course_list.data["approved_from"]
    ]
    last = _category_ints(course_list.categories["approved_to"], _year)[
        course_list.data["approved_to"]
    ]
    first = np.where(first < 0, -(10**6), first).astype(np.int32)
    last = np.where(last < 0, 10**6, last).astype(np.int32)
    width = len(courses) + 1
    list_key = list_school.astype(np.int64) * width + list_course
    order = np.argsort(list_key, kind="stable")
    sorted_key = list_key[order]
    multiplicity = int(np.unique(sorted_key, return_counts=True)[1].max())
    size = (len(schools) + 1) * width
    table = None
    if multiplicity == 1 and size <= _LIST_DENSE_LIMIT:
        # One entry per school and course: a lookup table instead of a search per mark.
        table = np.full(size + 1, -1, dtype=np.int32)
        table[list_key] = np.arange(len(list_key), dtype=np.int32)
    area = course_list.data["ag_area"]
    area = np.where(area != _UNKNOWN_AREA, area, -1).astype(np.int8)
    return _CourseList(
        first=first,
        last=last,
        area=np.append(area, np.int8(-1)),
        honors=np.append(course_list.data["honors_type"], np.int8(-1)),
        width=width,
        table=table,
        order=order,
        sorted_key=sorted_key,
        multiplicity=multiplicity,
    )


def _course_list(
    listed: _CourseList | None,
    school: NDArray[np.int32],
    course: NDArray[np.int32],
    year: NDArray[np.int16],
    own_area: NDArray[np.int8],
    own_honors: NDArray[np.int8],
) -> tuple[NDArray[np.int8], NDArray[np.int8], NDArray[np.bool_]]:
    """Each mark's area and honors from the course list in its school year (or its own)."""
    n = len(school)
    if listed is None:
        return own_area, own_honors, np.zeros(n, dtype=bool)
    present = (school >= 0) & (course >= 0)
    mark_key = np.where(present, school.astype(np.int64) * listed.width + course, -1)
    found = np.full(n, -1, dtype=np.int32)
    first, last = listed.first, listed.last
    if listed.table is not None:
        looked = listed.table[mark_key]  # a missing key (-1) reads the table's last entry, -1
        safe_entry = np.where(looked >= 0, looked, 0)
        hit = (looked >= 0) & (first[safe_entry] <= year) & (year <= last[safe_entry])
        found[hit] = looked[hit]
    else:
        sorted_key = listed.sorted_key
        start = np.searchsorted(sorted_key, mark_key, side="left")
        for offset in range(listed.multiplicity):
            candidate = start + offset
            inside = candidate < len(sorted_key)
            entry = listed.order[np.where(inside, candidate, 0)]
            hit = (
                inside
                & (found < 0)
                & (sorted_key[np.where(inside, candidate, 0)] == mark_key)
                & (first[entry] <= year)
                & (year <= last[entry])
            )
            found[hit] = entry[hit]
    on_list = found >= 0
    return listed.area[found], listed.honors[found], on_list
