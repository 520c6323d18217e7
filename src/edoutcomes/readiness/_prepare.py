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
    "Lookup",
    "Marks",
    "Rows",
    "marks_codes",
    "prepare_marks",
    "rows_at",
    "shared_keys",
]

#: The a-g areas in order; an area's index is its number in the ``area`` column.
AREAS = "abcdefg"
#: Required years per area, in half-years (a 2, b 4, c 3, d 2, e 2, f 1, g 1: 15 years).
REQUIRED_UNITS = np.array([4, 8, 6, 4, 4, 2, 2], dtype=np.int64)

#: Letter classes: 0 A, 1 B, 2 C, 3 D, 4 F, 5 pass/credit, 6 any other mark.
A, B, C, D, F, PASS, OTHER = range(7)
_LETTER_CLASS = {"A": A, "B": B, "C": C, "D": D, "F": F}
#: Stored term codes.
FALL, SPRING, YEAR, SUMMER = (
    TermKind.FALL.code,
    TermKind.SPRING.code,
    TermKind.YEAR.code,
    TermKind.SUMMER.code,
)
#: Stored discipline codes.
WORLD, US, CIVICS, SOCIAL, BIO, CHEM, PHYS, EARTH = (
    AgDiscipline.WORLD_HISTORY.code,
    AgDiscipline.US_HISTORY.code,
    AgDiscipline.CIVICS.code,
    AgDiscipline.SOCIAL_SCIENCE.code,
    AgDiscipline.BIOLOGY.code,
    AgDiscipline.CHEMISTRY.code,
    AgDiscipline.PHYSICS.code,
    AgDiscipline.EARTH_SPACE.code,
)


_LETTERS = np.array(
    [
        _LETTER_CLASS.get(
            g.letter or "", PASS if g in (LetterGrade.PASS, LetterGrade.CREDIT) else OTHER
        )
        for g in LetterGrade.by_code()
    ]
    + [OTHER],
    dtype=np.int8,
)
_UNKNOWN_AREA = AgArea.UNKNOWN.code
_UNKNOWN_DISC = AgDiscipline.UNKNOWN.code
_UNKNOWN_HONORS = HonorsType.UNKNOWN.code
_QUARTER = UnitType.QUARTER.code
_ACADEMIC = CourseKind.ACADEMIC.code
_UNKNOWN_TERM = TermKind.UNKNOWN.code
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
    slot: NDArray[np.int64] | NDArray[np.int32]  # 1 .. students x courses x segments
    duplicate_of: NDArray[np.int32]
    after_as_of: NDArray[np.bool_]
    unsupported_term: NDArray[np.bool_]
    valid: NDArray[np.bool_]
    usable: NDArray[np.bool_]
    attempts: NDArray[np.bool_]
    multi: NDArray[np.bool_]
    single: NDArray[np.bool_]  # attempts & ~multi: the only attempt of its course slot
    ferpa: NDArray[np.bool_]
    course: NDArray[np.int32]
    school: NDArray[np.int32]
    school_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.student)


def shared_keys(key: NDArray[Any], mask: NDArray[np.bool_], size: int) -> NDArray[np.bool_]:
    """
    The *mask* rows whose *key* another *mask* row has too; keys of mask rows in ``[1, size]``.

    A dense count (``np.bincount``) when the key space is not much larger than the rows,
    else a sort of the mask rows.
    """
    if size <= max(_DENSE_LIMIT, 4 * len(key)):
        # The rows outside the mask are counted in bin 0, which no mask row's key is: no
        # compaction of the mask rows (an irregular boolean index is slow).
        counts = np.bincount(key * mask, minlength=size + 1)
        # Rows outside the mask may hold any key: clipped into the table, then masked out.
        shared: NDArray[np.bool_] = (np.take(counts, key, mode="clip") > 1) & mask
        return shared
    selected = key[mask]
    _, inverse, counts = np.unique(selected, return_inverse=True, return_counts=True)
    out = np.zeros(len(key), dtype=bool)
    out[mask] = counts.take(inverse.ravel()) > 1
    return out


#: Key spaces up to this size are counted densely whatever the number of rows.
_DENSE_LIMIT = 1 << 20
#: Course lists whose (school, course) key space fits a lookup table of this size use one.
_LIST_DENSE_LIMIT = 1 << 24


@frozen(eq=False)
class Lookup:
    """
    A code column's lookup table (a trailing entry for the missing code, -1), applied per mark.

    When the table only shifts the codes (``table[x] == x + shift`` for every code, as when a
    column's categories are the lookup's first values in order) the lookup is that addition,
    which is several times cheaper than a gather; the missing code then takes ``table[-1]``.
    """

    table: NDArray[Any]
    shift: int | None

    @classmethod
    def of(cls, table: NDArray[Any]) -> Lookup:
        """The lookup of *table*, with its shift when it is one."""
        codes = np.arange(len(table) - 1, dtype=np.int64)
        shift = int(table[0]) if len(codes) else 0
        info = np.iinfo(table.dtype)
        fits = len(codes) == 0 or (info.min <= shift and int(codes[-1]) + shift <= info.max)
        same = fits and bool(np.array_equal(table[:-1].astype(np.int64), codes + shift))
        return cls(table=table, shift=shift if same else None)

    def __call__(self, codes: NDArray[Any]) -> NDArray[Any]:
        """The table's value of each code in *codes* (-1 for missing)."""
        if self.shift is None:
            looked: NDArray[Any] = np.take(self.table, codes)
            return looked
        dtype = self.table.dtype
        # Codes are below len(table) - 1, so they fit the table's type before the shift.
        out: NDArray[Any] = codes.astype(dtype) + dtype.type(self.shift)
        missing = self.table[-1]
        if missing != self.shift - 1 and len(codes) and int(codes.min()) < 0:
            np.putmask(out, codes < 0, missing)
        return out


@frozen(eq=False)
class Codes:
    """
    What depends only on the tables' categories and the course list, worked out once.

    Lookups from a text column's codes to the engine's small integers (a trailing -1
    for the missing code), the shared school and course numbering, and the course list's keys;
    :func:`prepare_marks` then needs only array lookups, however many blocks it is called on.
    """

    grade: Lookup
    year: Lookup
    school: Lookup  # school_id code -> shared school number
    course: Lookup
    repeat_of: Lookup
    segment: Lookup  # course_segment code -> 0 (blank) .. n_segments - 1
    language: Lookup
    rank: Lookup  # shared school number -> position in school_names (-1 last)
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
    lo: int  # the first school year of by_year
    n_years: int
    #: Per (school + 1, course + 1, year) cell, its entry's area + 1, (honors + 1) << 4 and
    #: 1 << 8 (0: no entry), so one lookup gives all three; None when it would be large.
    by_year: NDArray[np.int16] | None


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
    year = _category_ints(marks.categories["school_year"], _year).astype(np.int16)
    listed = _course_list_codes(data.course_list, schools, courses, year)
    # School codes in the order of the school ids, so outputs do not depend on the file's order.
    names = tuple(sorted(schools))
    rank = np.empty(len(schools) + 1, dtype=np.int32)
    rank[[schools[name] for name in names]] = np.arange(len(names), dtype=np.int32)
    rank[-1] = -1
    return Codes(
        grade=Lookup.of(_category_ints(marks.categories["grade_level"], _grade).astype(np.int8)),
        year=Lookup.of(year),
        school=Lookup.of(school),
        course=Lookup.of(course),
        repeat_of=Lookup.of(repeat_of),
        segment=Lookup.of(segment),
        language=Lookup.of(_lookup(marks, "language", {})),
        rank=Lookup.of(rank),
        n_courses=len(courses),
        n_segments=len(segments) + 1,
        school_names=names,
        course_list=listed,
    )


#: Some marks' rows: a slice, a few slices (their rows in that order) or row positions.
Rows = slice | tuple[slice, ...] | NDArray[np.int64]


def rows_at(rows: Rows, local: NDArray[np.int64]) -> NDArray[np.int64]:
    """The table rows of positions *local* within *rows*."""
    if isinstance(rows, slice):
        shifted: NDArray[np.int64] = local + (rows.start or 0)
        return shifted
    if isinstance(rows, tuple):
        lengths = np.array([r.stop - r.start for r in rows], dtype=np.int64)
        ends = np.cumsum(lengths)
        shift = np.array([r.start for r in rows], dtype=np.int64) - (ends - lengths)
        at: NDArray[np.int64] = local + shift.take(np.searchsorted(ends, local, side="right"))
        return at
    picked: NDArray[np.int64] = rows[local]
    return picked


class _Columns:
    """The marks' columns restricted to some rows (a slice is a view, slices copies)."""

    def __init__(self, table: Table, rows: Rows) -> None:
        self.data = table.data
        self.rows = rows

    def __getitem__(self, name: str) -> NDArray[Any]:
        return _rows_of(self.data[name], self.rows)

    def at(self, name: str, positions: NDArray[np.int64]) -> NDArray[Any]:
        """Column *name* at some *positions* of the rows only."""
        return _rows_of(self.data[name], rows_at(self.rows, positions))


def _rows_of(column: NDArray[Any], rows: Rows) -> NDArray[Any]:
    """*column* at *rows*: a view for a slice, a copy of each slice, else a gather."""
    if isinstance(rows, slice):
        return column[rows]
    if column.strides[0] == 0:
        # A constant column (a broadcast view): ``np.take`` would first copy all of it.
        size = sum(r.stop - r.start for r in rows) if isinstance(rows, tuple) else len(rows)
        constant: NDArray[Any] = np.broadcast_to(column[:1], size)
        return constant if len(column) else column[:0]
    if isinstance(rows, tuple):
        joined: NDArray[Any] = np.concatenate([column[r] for r in rows])
        return joined
    if not column.flags.c_contiguous:
        strided: NDArray[Any] = column[rows]
        return strided
    out: NDArray[Any] = np.take(column, rows)
    return out


def prepare_marks(
    data: K12Columns,
    as_of: dt.date,
    *,
    codes: Codes | None = None,
    rows: Rows | None = None,
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
    student = _rows_of(data.mark_student, columns.rows)
    linked = student >= 0
    if first:
        student = (linked * (student - first + 1) - 1).astype(np.int32)
    coded = _coded(columns, codes)
    area, list_honors, on_list = _course_list(
        codes.course_list, coded.school, coded.course, coded.year, coded.own_area, coded.own_honors
    )
    if codes.course_list is not None:
        honors = (list_honors >= 0) & (list_honors != _UNKNOWN_HONORS)
    else:
        honors = (coded.own_honors >= 0) & (coded.own_honors != _UNKNOWN_HONORS)
        list_honors = np.full(len(student), -1, dtype=np.int8)
    units = _units(columns, coded.term)
    kind = columns["course_kind"]
    state = _states(columns, coded, student, linked, codes, n_students, day(as_of))
    return Marks(
        student=student,
        end=coded.end,
        term=coded.term,
        grade=coded.grade,
        year=coded.year,
        letter=coded.letter,
        area=area,
        own_area=coded.own_area,
        honors=honors,
        own_honors=coded.own_honors,
        list_honors=list_honors,
        on_list=on_list,
        discipline=coded.discipline,
        language=codes.language(columns["language"]),
        level=coded.level,
        college=units.college,
        college_full=units.college_full,
        hs_accepted=columns["hs_accepted"] == 1,
        academic=(kind < 0) | (kind == _ACADEMIC),
        units=units.units,
        slot=state.slot,
        duplicate_of=state.duplicate_of,
        after_as_of=state.after,
        unsupported_term=state.unsupported,
        valid=state.valid,
        usable=state.usable,
        attempts=state.attempts,
        multi=state.multi,
        single=state.attempts & ~state.multi,
        ferpa=columns["ferpa_block"] == 1,
        course=coded.course,
        school=codes.rank(coded.school),
        school_names=codes.school_names,
    )


@frozen(eq=False)
class _Coded:
    """The marks' columns as the engine's small integers (step one of :func:`prepare_marks`)."""

    end: NDArray[np.int32]
    term: NDArray[np.int8]
    grade: NDArray[np.int8]
    year: NDArray[np.int16]
    letter: NDArray[np.int8]
    own_area: NDArray[np.int8]
    own_honors: NDArray[np.int8]
    discipline: NDArray[np.int8]
    level: NDArray[np.int8]
    school: NDArray[np.int32]  # shared school number (not yet ranked)
    course: NDArray[np.int32]
    repeat_of: NDArray[np.int32]
    segment: NDArray[np.int32]


def _coded(columns: _Columns, codes: Codes) -> _Coded:
    """Each column's codes looked up in the tables of *codes* (one gather per column)."""
    end = columns["mark_date"]
    year = codes.year(columns["school_year"])
    if len(year) and int(year.min()) < 0:
        # A mark without a school year is placed by its term end.
        unplaced = np.flatnonzero(year < 0)
        year[unplaced] = school_year_start(end[unplaced])
    return _Coded(
        end=end,
        term=columns["term_kind"],
        grade=codes.grade(columns["grade_level"]),
        year=year,
        letter=np.take(_LETTERS, columns["letter_grade"]),
        own_area=_unknown_as_missing(columns["ag_area"], _UNKNOWN_AREA),
        own_honors=columns["honors_type"],
        discipline=_unknown_as_missing(columns["ag_discipline"], _UNKNOWN_DISC),
        level=_small_ints(columns["sequence_level"]),
        school=codes.school(columns["school_id"]),
        course=codes.course(columns["course_id"]),
        repeat_of=codes.repeat_of(columns["repeat_of"]),
        segment=codes.segment(columns["course_segment"]),
    )


@frozen(eq=False)
class _Units:
    """Half-years per mark (rule 1.2) and which marks are (full) college courses."""

    units: NDArray[np.int8]
    college: NDArray[np.bool_]
    college_full: NDArray[np.bool_]


def _units(columns: _Columns, term: NDArray[np.int8]) -> _Units:
    """A term is half a year, a year-long mark one; a college course one if long enough, else none."""
    college = columns["is_college_course"] == 1
    units = (term == YEAR).astype(np.int8) + np.int8(1)
    college_full = college
    if college.any():
        at = np.flatnonzero(college)
        quarter = columns.at("college_unit_type", at) == _QUARTER
        units_raw = columns.at("college_units", at)
        full = np.where(quarter, units_raw >= 4, units_raw >= 3)
        college_full = np.zeros(len(term), dtype=bool)
        college_full[at] = full
        units[at] = np.where(full, 2, 0)
    return _Units(units=units, college=college, college_full=college_full)


@frozen(eq=False)
class _States:
    """Course slots and why a mark is or is not used (the last step of :func:`prepare_marks`)."""

    slot: NDArray[np.int64] | NDArray[np.int32]
    duplicate_of: NDArray[np.int32]
    after: NDArray[np.bool_]
    unsupported: NDArray[np.bool_]
    valid: NDArray[np.bool_]
    usable: NDArray[np.bool_]
    attempts: NDArray[np.bool_]
    multi: NDArray[np.bool_]


def _states(
    columns: _Columns,
    coded: _Coded,
    student: NDArray[np.int32],
    linked: NDArray[np.bool_],
    codes: Codes,
    n_students: int,
    today: int,
) -> _States:
    """Slots (rule 1.5), duplicates, marks after *today* or in unmapped terms, and attempts."""
    n_seg = codes.n_segments
    width = (codes.n_courses + 1) * n_seg
    size = n_students * width
    # Keys of linked marks are 1 .. size: 32-bit numbers when they fit (half the memory).
    kind = np.dtype(np.int32 if size < np.iinfo(np.int32).max else np.int64)
    course, repeat_of = coded.course, coded.repeat_of

    def as_key(values: NDArray[Any]) -> NDArray[Any]:
        return values.astype(kind, copy=False)

    # Course code + 1, so a blank course id is a slot of its own, and + 1 so no key is 0.
    same_course: NDArray[Any] = as_key(student) * kind.type(width) + (
        (as_key(course) + kind.type(1)) * kind.type(n_seg) + as_key(coded.segment) + kind.type(1)
    )
    repeats = np.flatnonzero(repeat_of >= 0)
    slot = same_course
    if len(repeats):
        # A repeat naming its original shares the original's slot.
        slot = same_course.copy()
        slot[repeats] += (as_key(repeat_of[repeats]) - course[repeats]) * kind.type(n_seg)
    end, term = coded.end, coded.term
    start = columns["term_start"]
    after = end > today
    # A missing start (the smallest day) is never after today; a blank column is constant.
    if start.strides[0] == 0:
        if len(start) and int(start[0]) > today:
            after[:] = True
    else:
        after |= start > today
    unsupported = (term < 0) | (term == _UNKNOWN_TERM)
    # Duplicates share student, course and segment: only those few rows are compared in full.
    candidates = np.flatnonzero(shared_keys(same_course, linked, size))
    duplicate_of = np.full(len(student), -1, dtype=np.int32)
    if len(candidates):
        dup = _duplicates(
            [
                same_course[candidates],
                coded.school[candidates],
                coded.year[candidates],
                term[candidates],
            ]
        )
        hit = dup >= 0
        duplicate_of[candidates[hit]] = candidates[dup[hit]]
    valid = (
        linked
        & ~after
        & ~unsupported
        & (duplicate_of < 0)
        & (coded.grade >= 0)
        & (end != MISSING_DAY)
    )
    usable = valid & (coded.letter < OTHER)
    attempts = usable & (coded.letter <= F)
    multi = shared_keys(slot, attempts, size)
    return _States(
        slot=slot,
        duplicate_of=duplicate_of,
        after=after,
        unsupported=unsupported,
        valid=valid,
        usable=usable,
        attempts=attempts,
        multi=multi,
    )


def _small_ints(values: NDArray[np.float64]) -> NDArray[np.int8]:
    """Numbers as ``int8`` (truncated), a missing or infinite one as -1."""
    with np.errstate(invalid="ignore"):
        out = values.astype(np.int8)
    # An arithmetic select (a masked store is slow on irregular masks): finite * out - missing.
    finite = np.isfinite(values).view(np.int8)
    selected: NDArray[np.int8] = out * finite + (finite - np.int8(1))
    return selected


def _unknown_as_missing(codes: NDArray[np.int8], unknown: int) -> NDArray[np.int8]:
    """An enum column's codes with its ``unknown`` member as -1 (missing)."""
    hit = codes == unknown
    if not hit.any():
        return codes
    out: NDArray[np.int8] = (codes - hit * np.int8(unknown + 1)).astype(np.int8)
    return out


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
    course_list: Table,
    schools: dict[str, int],
    courses: dict[str, int],
    mark_years: NDArray[np.int16],
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
    area = np.append(area, np.int8(-1))
    honors = np.append(course_list.data["honors_type"], np.int8(-1))
    # Codes + 1 in the cells' keys, so a missing school or course (-1) is a key without entries.
    lo, n_years, entries = _by_year(
        (list_school + 1) * width + list_course + 1,
        (list_school >= 0) & (list_course >= 0) & (first <= last),
        first,
        last,
        mark_years,
        size,
    )
    by_year = None
    if entries is not None:
        packed = (area + 1).astype(np.int16) | ((honors + 1).astype(np.int16) << 4) | (1 << 8)
        by_year = np.where(entries >= 0, packed.take(entries), 0).astype(np.int16)
    return _CourseList(
        first=first,
        last=last,
        area=area,
        honors=honors,
        width=width,
        table=table,
        order=order,
        sorted_key=sorted_key,
        multiplicity=multiplicity,
        lo=lo,
        n_years=n_years,
        by_year=by_year,
    )


def _by_year(
    key: NDArray[np.int64],
    usable_entry: NDArray[np.bool_],
    first: NDArray[np.int32],
    last: NDArray[np.int32],
    mark_years: NDArray[np.int16],
    key_space: int,
) -> tuple[int, int, NDArray[np.int32] | None]:
    """
    The course-list entry of each (school, course, school year) cell: (first year, years, table).

    The years run from one before the earliest year any entry or mark names to one after the
    latest, so a year outside them compares with every entry as the nearest end does and a
    mark's year can be clipped into the table. On two entries for one cell the earlier row
    wins, as in the search. Keys are below *key_space*; no table (None) when it would be large.
    """
    finite = np.concatenate(
        [first[first > -(10**6)], last[last < 10**6], mark_years[mark_years >= 0]]
    ).astype(np.int64)
    lo = int(finite.min(initial=0)) - 1 if len(finite) else -1
    hi = int(finite.max(initial=0)) + 1 if len(finite) else 1
    n_years = hi - lo + 1
    size = key_space * n_years
    if size > _LIST_DENSE_LIMIT:
        return lo, n_years, None
    usable = np.flatnonzero(usable_entry)
    start = np.clip(first[usable], lo, hi) - lo
    lengths = np.clip(last[usable], lo, hi) - lo - start + 1
    entry = np.repeat(usable, lengths)
    offsets = np.arange(len(entry)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cell = key[entry] * n_years + np.repeat(start, lengths) + offsets
    cells, at = np.unique(cell, return_index=True)  # the first occurrence: the earlier row
    table = np.full(size + 1, -1, dtype=np.int32)
    table[cells] = entry[at]
    return lo, n_years, table


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
    if listed.by_year is not None:
        # One lookup per mark: (school, course, school year clipped into the table's years).
        # The table has at most _LIST_DENSE_LIMIT cells: 32-bit numbers.
        years = np.clip(year, listed.lo, listed.lo + listed.n_years - 1) - np.int16(listed.lo)
        width = np.int32(listed.width)
        cell = ((school + 1) * width + (course + 1)) * np.int32(listed.n_years) + years
        packed = np.take(listed.by_year, cell)
        area = (packed & 15).astype(np.int8) - np.int8(1)
        honors = ((packed >> 4) & 15).astype(np.int8) - np.int8(1)
        return area, honors, packed >= 256
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
