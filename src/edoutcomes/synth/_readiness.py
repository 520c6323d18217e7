"""
Synthetic California transcripts for college readiness: seeded, vectorised, state-sized.

Each student follows a course plan by area (history, English, a math sequence, sciences, a
language sequence, arts, electives, PE) as fall and spring semester marks, more often on an
honors/AP track when able; weaker students earn D/F grades, many of which are retaken (in
summer school or the next year); some took Algebra 1 in grade 8, some took a college course;
each school has its UC-approved course list (with a few gaps). Status events (aid and college
applications, diplomas) and consents (some revoked) complete the picture. All made up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from attrs import evolve, frozen
from numpy.typing import NDArray

from .._kernel._days import SCHOOL_YEAR_START, civil_days, window_year
from .._kernel._days import day as day_number
from ..errors import InvalidArgumentError
from ..model import (
    CONSENTS,
    COURSE_LIST,
    K12_STUDENTS,
    MISSING_DAY,
    OTHER_SOURCE,
    REPORTED_GPAS,
    STUDENT_STATUS,
    TRANSCRIPT_MARKS,
    AgArea,
    AgDiscipline,
    AwardKind,
    CollegeSystem,
    ConsentPurpose,
    ConsentScope,
    CourseKind,
    GpaKind,
    HonorsType,
    K12Columns,
    Kind,
    LetterGrade,
    StatusKind,
    Table,
    TermKind,
    UnitType,
)
from ._arrays import digit_strings, objects, stack_rows, take_rows

__all__ = ["synthetic_readiness"]


#: (course id, area, grade, discipline, language, level, honors-capable)
_Plan = tuple[tuple[str, str, int, str | None, str | None, int, bool], ...]
_PLAN: _Plan = (
    ("ENG9", "b", 9, None, None, 0, False),
    ("ALG1", "c", 9, None, None, 1, False),
    ("BIO", "d", 9, "biology", None, 0, True),
    ("SPAN1", "e", 9, None, "spanish", 1, False),
    ("ART1", "f", 9, None, None, 0, False),
    ("PE9", "", 9, None, None, 0, False),
    ("WHIST", "a", 10, "world_history", None, 0, True),
    ("ENG10", "b", 10, None, None, 0, True),
    ("GEO", "c", 10, None, None, 2, True),
    ("CHEM", "d", 10, "chemistry", None, 0, True),
    ("SPAN2", "e", 10, None, "spanish", 2, False),
    ("PE10", "", 10, None, None, 0, False),
    ("USHIST", "a", 11, "us_history", None, 0, True),
    ("ENG11", "b", 11, None, None, 0, True),
    ("ALG2", "c", 11, None, None, 3, True),
    ("PHYS", "d", 11, "physics", None, 0, True),
    ("SPAN3", "e", 11, None, "spanish", 3, True),
    ("MUSIC", "f", 11, None, None, 0, False),
    ("CIVICS", "a", 12, "civics", None, 0, False),
    ("ENG12", "b", 12, None, None, 0, True),
    ("PRECALC", "c", 12, None, None, 4, True),
    ("PSYCH", "g", 12, None, None, 0, False),
    ("CS", "g", 12, None, None, 0, False),
    ("HEALTH", "", 12, None, None, 0, False),
)
#: A seventh period's course a year (``periods=7``): an elective, drama, journalism, AP Spanish.
_SEVENTH: _Plan = (
    ("COMPSCI", "g", 9, None, None, 0, False),
    ("DRAMA", "f", 10, None, None, 0, False),
    ("JOURN", "g", 11, None, None, 0, False),
    ("SPAN4", "e", 12, None, "spanish", 4, True),
)
_N_SCHOOLS = 60
_LETTERS = np.array(
    [
        LetterGrade.A.code,
        LetterGrade.B.code,
        LetterGrade.C.code,
        LetterGrade.D.code,
        LetterGrade.F.code,
    ],
    dtype=np.int8,
)
_MODIFIED = np.array(
    [
        LetterGrade.A_MINUS.code,
        LetterGrade.B_PLUS.code,
        LetterGrade.C_MINUS.code,
        LetterGrade.D_PLUS.code,
        LetterGrade.F.code,
    ],
    dtype=np.int8,
)


def _code(cls: Any, value: str | None) -> int:
    return -1 if not value else int(cls(value).code)


def synthetic_readiness(
    n_students: int = 1000,
    *,
    seed: int = 2025,
    as_of: dt.date = dt.date(2025, 7, 15),
    seniors_only: bool = False,
    periods: int = 6,
) -> K12Columns:
    """
    A district's college-readiness data as of *as_of*: four classes of students, made up.

    Args:
        n_students: Number of students (spread over the four classes in school as of *as_of*).
        seed: Random seed: the same seed gives the same data.
        as_of: Marks, events and consents are no later than this date.
        seniors_only: Every student in the class that has just finished grade 12 (full
            transcripts: about 49 marks each, 57 with seven periods).
        periods: Courses a year: 6, or 7 (a seventh period: computer science in grade 9,
            drama in 10, journalism in 11, AP Spanish in 12; the benchmark's shape).

    Raises:
        InvalidArgumentError: If *n_students* is negative or *periods* is not 6 or 7.

    Examples:
        >>> data = synthetic_readiness(200, seed=1)
        >>> data.n_students, data.marks.n_rows > 200 * 20, data.course_list.n_rows > 0
        (200, True, True)
    """
    n = int(n_students)
    if n < 0:
        msg = f"n_students={n_students!r} must be zero or more"
        raise InvalidArgumentError(msg)
    if periods not in (6, 7) or isinstance(periods, bool):
        msg = f"periods={periods!r} must be 6 or 7"
        raise InvalidArgumentError(msg)
    plan = _plan(periods)
    rng = np.random.default_rng(seed)
    last_start = _last_start(as_of)
    # Entry school years: the senior class finishes the year ending before as_of.
    entry = (last_start - 3 + rng.integers(0, 1 if seniors_only else 4, size=n)).astype(np.int64)
    ability = np.clip(rng.normal(0.62, 0.22, size=n), 0.0, 1.0)
    school = rng.integers(0, _N_SCHOOLS, size=n).astype(np.int32)
    students = _students(rng, n, entry, school)
    marks = _marks(rng, plan, n, entry, ability, school, as_of)
    return K12Columns.from_tables(
        students,
        marks=marks,
        course_list=_course_list(rng, plan),
        student_status=_status(rng, n, entry, ability, as_of),
        consents=_consents(rng, n, as_of),
        reported_gpas=_reported(rng, n, ability),
        other_source=_other(rng, n, students),
    )


def _plan(periods: int) -> _Plan:
    """The course plan of a *periods*-period day, in grade order."""
    extra = _SEVENTH if periods == 7 else ()
    return tuple(sorted((*_PLAN, *extra), key=lambda course: course[2]))


def _ids(n: int) -> NDArray[np.object_]:
    return digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "C")


def _years(first: int, last: int) -> NDArray[np.object_]:
    return objects([f"{y}-{(y + 1) % 100:02d}" for y in range(first, last + 1)])


def _day_of(years: NDArray[np.int64], month: int, day: int) -> NDArray[np.int64]:
    return civil_days(years, month, day)


def _students(
    rng: np.random.Generator, n: int, entry: NDArray[np.int64], school: NDArray[np.int32]
) -> Table:
    data: dict[str, NDArray[Any]] = {
        "student_id": np.arange(n, dtype=np.int32),
        "ssid": np.arange(n, dtype=np.int32),
        "last_name": rng.integers(0, 8, size=n).astype(np.int32),
        "first_name": rng.integers(0, 8, size=n).astype(np.int32),
        "birth_date": (_day_of(entry - 14, 1, 1) + rng.integers(0, 365, size=n)).astype(np.int32),
        "grade9_entry_date": (_day_of(entry, 8, 15) + rng.integers(0, 10, size=n)).astype(np.int32),
        "hispanic": (rng.random(n) < 0.5).astype(np.int8),
        "foster_youth": (rng.random(n) < 0.02).astype(np.int8),
        "social_services": (rng.random(n) < 0.06).astype(np.int8),
        "ferpa_block": (rng.random(n) < 0.01).astype(np.int8),
    }
    categories = {
        "student_id": _ids(n),
        "ssid": digit_strings(np.arange(1, n + 1, dtype=np.int64) + 6_000_000_000, 10),
        "last_name": objects(
            ["Nguyen", "Garcia", "Hernández", "Kim", "Lopez", "Smith", "Patel", "O'Neil"]
        ),
        "first_name": objects(["Ana", "Luis", "Mei", "José", "Aiden", "Sofia", "Ravi", "Zoe"]),
    }
    del school
    return Table.from_arrays(K12_STUDENTS, data, categories)


#: Students generated at a time: memory is bounded by a chunk, not by the whole state.
_CHUNK = 25_000


def _missing(kind: Kind) -> tuple[Any, type[np.generic]]:
    if kind is Kind.NUMBER:
        return np.nan, np.float64
    if kind in (Kind.CODE, Kind.BOOL):
        return -1, np.int8
    if kind is Kind.DATE:
        return int(MISSING_DAY), np.int32
    return -1, np.int32


def _marks(
    rng: np.random.Generator,
    plan: _Plan,
    n: int,
    entry: NDArray[np.int64],
    ability: NDArray[np.float64],
    school: NDArray[np.int32],
    as_of: dt.date,
) -> Table:
    first_year = int(entry.min(initial=2002)) - 2
    chunks = []
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        part = _marks_chunk(
            rng, plan, hi - lo, entry[lo:hi], ability[lo:hi], school[lo:hi], as_of, first_year
        )
        part["student_id"] += lo
        chunks.append(part)
    names = list(chunks[0]) if chunks else []
    # Column by column, each chunk's piece released as it is copied: the peak stays near one copy.
    data = {name: np.concatenate([c.pop(name) for c in chunks]) for name in names}
    total = len(data["student_id"]) if data else 0
    for column in TRANSCRIPT_MARKS.columns:
        if column.name not in data:
            # A column without a value needs no memory: one missing value, broadcast.
            value, dtype = _missing(column.kind)
            data[column.name] = np.broadcast_to(np.array(value, dtype=dtype), (total,))
    course_ids = [p[0] for p in plan]
    categories = {
        "student_id": _ids(n),
        "course_id": objects([*course_ids, "ALG1-8", "COLL101"]),
        "school_year": _years(first_year, first_year + 40),
        "grade_level": objects(["7", "8", "9", "10", "11", "12"]),
        "school_id": digit_strings(np.arange(_N_SCHOOLS, dtype=np.int64) + 100, 6, "S"),
        "language": objects(["spanish"]),
        "course_segment": objects(["1", "2"]),
        "repeat_of": objects(course_ids),
    }
    return Table.from_arrays(TRANSCRIPT_MARKS, data, categories)


@frozen(eq=False)
class _Attempts:
    """Semester marks under construction: one array per field, one entry per mark."""

    stu: NDArray[np.int64]
    course: NDArray[np.int64]
    segment: NDArray[np.int64]
    grade: NDArray[np.int64]
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    letter: NDArray[np.int8]
    honors: NDArray[np.int8]
    term: NDArray[np.int64]
    repeat_of: NDArray[np.int64]


@frozen(eq=False)
class _Graded:
    """A chunk's first attempts and their letter class (0 for an A ... 4 for an F)."""

    first: _Attempts
    letter_class: NDArray[np.int64]


@frozen(eq=False)
class _Keyed:
    """The marks as the SIS keyed them, ordered by student and date, and their repeat flags."""

    marks: _Attempts
    repeat: NDArray[np.bool_]


def _marks_chunk(
    rng: np.random.Generator,
    plan: _Plan,
    n: int,
    entry: NDArray[np.int64],
    ability: NDArray[np.float64],
    school: NDArray[np.int32],
    as_of: dt.date,
    first_year: int,
) -> dict[str, NDArray[Any]]:
    today = day_number(as_of)
    graded = _first_attempts(rng, plan, n, entry, ability, today)
    retakes = _retakes(rng, graded, today)
    again = _taken_again(rng, graded, today)
    keyed = _keyed(rng, stack_rows((graded.first, retakes, again)))
    data = _mark_columns(plan, keyed, school, first_year)
    extras = _add_extras(rng, len(plan), n, entry, ability, school, as_of, first_year)
    return _stacked(data, extras)


def _first_attempts(
    rng: np.random.Generator,
    plan: _Plan,
    n: int,
    entry: NDArray[np.int64],
    ability: NDArray[np.float64],
    today: int,
) -> _Graded:
    """Every planned course as two semester marks (segments 1 and 2), graded by ability."""
    k = len(plan)
    per = 2 * k
    stu = np.repeat(np.arange(n, dtype=np.int64), per)
    course = np.tile(np.repeat(np.arange(k), 2), n)
    segment = np.tile(np.array([0, 1]), n * k)
    grade = np.array([p[2] for p in plan], dtype=np.int64)[course]
    start = entry[stu] + grade - 9
    end = np.where(segment == 0, _day_of(start + 1, 1, 20), _day_of(start + 1, 6, 10))
    end = end + rng.integers(-3, 4, size=len(stu))
    # A few students skipped a language or an art course (missing area years).
    keep = end <= today
    skip = rng.random(n * k) < np.repeat(0.06 * (1.2 - ability), k)
    keep &= ~np.repeat(skip, 2)

    # Grades: able students earn more As; D/F grades come to the weaker ones.
    u = rng.random(len(stu))
    a = ability[stu]
    cut = np.stack([a * 0.75, a * 0.75 + 0.3, a * 0.75 + 0.5, a * 0.75 + 0.62], axis=1)
    letter_class = (u[:, None] > cut).sum(axis=1)
    modified = rng.random(len(stu)) < 0.25
    letter = np.where(modified, _MODIFIED[letter_class], _LETTERS[letter_class]).astype(np.int8)
    honors_capable = np.array([p[6] for p in plan], dtype=bool)[course]
    honors_pick = honors_capable & (a > 0.7) & (rng.random(len(stu)) < 0.6)
    honors_kind = np.where(grade >= 11, HonorsType.AP.code, HonorsType.UC_HONORS.code)
    honors = np.where(honors_pick, honors_kind, -1).astype(np.int8)
    planned = _Attempts(
        stu=stu,
        course=course,
        segment=segment,
        grade=grade,
        start=start,
        end=end,
        letter=letter,
        honors=honors,
        term=np.where(segment == 0, TermKind.FALL.code, TermKind.SPRING.code),
        repeat_of=np.full(len(stu), -1),
    )
    rows = np.flatnonzero(keep)
    return _Graded(take_rows(planned, rows), letter_class[rows])


def _retakes(rng: np.random.Generator, graded: _Graded, today: int) -> _Attempts:
    """Retakes of D/F semesters: in the summer after, or the next year; some are failed again."""
    first = graded.first
    failed = np.flatnonzero(graded.letter_class >= 3)
    retake = failed[rng.random(len(failed)) < 0.65]
    summer = rng.random(len(retake)) < 0.5
    r_start = np.where(summer, first.start[retake], first.start[retake] + 1)
    r_end = np.where(summer, _day_of(first.start[retake] + 1, 8, 5), first.end[retake] + 365)
    ok = r_end <= today
    retake, summer, r_start, r_end = retake[ok], summer[ok], r_start[ok], r_end[ok]
    r_class = np.minimum(rng.integers(0, 5, size=len(retake)), 4)
    segment = first.segment[retake]
    return _Attempts(
        stu=first.stu[retake],
        course=first.course[retake],
        segment=segment,
        grade=np.where(summer, first.grade[retake], np.minimum(first.grade[retake] + 1, 12)),
        start=r_start,
        end=r_end,
        letter=_LETTERS[r_class],
        honors=np.full(len(retake), -1, dtype=np.int8),
        term=np.where(summer, TermKind.SUMMER.code, np.where(segment == 0, 0, 1)),
        repeat_of=np.where(rng.random(len(retake)) < 0.5, first.course[retake], -1),
    )


def _taken_again(rng: np.random.Generator, graded: _Graded, today: int) -> _Attempts:
    """An SIS error the clean-up findings are for: a passed course taken again the next year."""
    passed = (graded.letter_class <= 2) & (rng.random(len(graded.letter_class)) < 0.004)
    again = take_rows(graded.first, passed)
    again = evolve(
        again,
        end=again.end + 365,
        start=again.start + 1,
        grade=np.minimum(again.grade + 1, 12),
        repeat_of=again.course,
    )
    return take_rows(again, again.end <= today)


def _keyed(rng: np.random.Generator, marks: _Attempts) -> _Keyed:
    """
    The marks in student and date order, with the other SIS errors: a mark keyed twice, a
    repeat flag on a first attempt, a grade level off by one, a trimester term.
    """
    twice = rng.random(len(marks.stu)) < 0.002
    marks = stack_rows((marks, take_rows(marks, twice)))
    marks = take_rows(marks, np.lexsort((marks.end, marks.stu)))
    total = len(marks.stu)
    flag_first = (marks.repeat_of < 0) & (rng.random(total) < 0.002)
    marks = evolve(
        marks,
        grade=np.where(rng.random(total) < 0.003, np.maximum(marks.grade - 1, 9), marks.grade),
    )
    marks = evolve(
        marks, term=np.where(rng.random(total) < 0.001, TermKind.UNKNOWN.code, marks.term)
    )
    return _Keyed(marks, (marks.repeat_of >= 0) | flag_first)


def _mark_columns(
    plan: _Plan, keyed: _Keyed, school: NDArray[np.int32], first_year: int
) -> dict[str, NDArray[Any]]:
    """The transcript-marks columns of the keyed marks (the course's a-g facts by course)."""
    area_codes = np.array([_code(AgArea, p[1]) for p in plan], dtype=np.int8)
    disc_codes = np.array([_code(AgDiscipline, p[3]) for p in plan], dtype=np.int8)
    lang_codes = np.array([0 if p[4] else -1 for p in plan], dtype=np.int32)
    levels = np.array([p[5] if p[5] else np.nan for p in plan], dtype=np.float64)
    kinds = np.array(
        [CourseKind.PE.code if p[0].startswith("PE") else CourseKind.ACADEMIC.code for p in plan],
        dtype=np.int8,
    )
    m = keyed.marks
    c = m.course
    return {
        "student_id": m.stu.astype(np.int32),
        "course_id": c.astype(np.int32),
        "mark_date": m.end.astype(np.int32),
        "credits_earned": np.where(m.letter == LetterGrade.F.code, 0.0, 5.0),
        "school_year": (m.start - first_year).astype(np.int32),
        "grade_level": (m.grade - 7).astype(np.int32),
        "school_id": school[m.stu],
        "term_kind": m.term.astype(np.int8),
        "letter_grade": m.letter.astype(np.int8),
        "ag_area": area_codes[c],
        "ag_discipline": disc_codes[c],
        "language": lang_codes[c],
        "sequence_level": levels[c],
        "honors_type": m.honors.astype(np.int8),
        "course_segment": m.segment.astype(np.int32),
        "repeat_of": m.repeat_of.astype(np.int32),
        "repeat": keyed.repeat.astype(np.int8),
        "course_kind": kinds[c],
    }


def _stacked(*parts: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
    """The parts' rows one after the other; a column a part lacks is missing there."""
    out: dict[str, NDArray[Any]] = {}
    for name in sorted(set().union(*parts)):
        value, dtype = _missing(TRANSCRIPT_MARKS[name].kind)
        pieces: list[NDArray[Any]] = [
            d[name] if name in d else np.full(len(d["student_id"]), value, dtype=dtype)
            for d in parts
        ]
        out[name] = np.concatenate(pieces).astype(dtype)
    return out


def _add_extras(
    rng: np.random.Generator,
    n_plan: int,
    n: int,
    entry: NDArray[np.int64],
    ability: NDArray[np.float64],
    school: NDArray[np.int32],
    as_of: dt.date,
    first_year: int,
) -> dict[str, NDArray[Any]]:
    """Grade-8 Algebra 1 (accepted by the high school) and college courses in grades 11-12."""
    # Grade 8 Algebra 1 for a third of the students: course id ALG1-8, level 1, accepted.
    eighth = np.flatnonzero(rng.random(n) < 0.33)
    e_start = entry[eighth] - 1
    # College courses: one for a tenth of the older students, 3 or 4 units, a few of 2.
    college = np.flatnonzero((rng.random(n) < 0.1) & (entry + 3 <= _last_start(as_of)))
    c_start = entry[college] + 3
    units = rng.choice([2.0, 3.0, 4.0], size=len(college), p=[0.1, 0.6, 0.3])
    count = len(eighth) + len(college)
    stu = np.concatenate([eighth, college])
    start = np.concatenate([e_start, c_start])
    grade = np.concatenate([np.full(len(eighth), 8), np.full(len(college), 12)])
    end = _day_of(start + 1, 6, 5)
    is_college = np.concatenate([np.zeros(len(eighth), np.int8), np.ones(len(college), np.int8)])
    letter_class = np.minimum((rng.random(count) > ability[stu]).astype(np.int64) * 2, 4)
    data: dict[str, NDArray[Any]] = {
        "student_id": stu.astype(np.int32),
        "course_id": np.where(is_college == 1, n_plan + 1, n_plan).astype(np.int32),
        "mark_date": end.astype(np.int32),
        "credits_earned": np.full(count, 5.0),
        "school_year": (start - first_year).astype(np.int32),
        "grade_level": (grade - 7).astype(np.int32),
        "school_id": school[stu],
        "term_kind": np.where(is_college == 1, TermKind.SPRING.code, TermKind.YEAR.code).astype(
            np.int8
        ),
        "letter_grade": _LETTERS[letter_class],
        "ag_area": np.where(is_college == 1, AgArea.G.code, AgArea.C.code).astype(np.int8),
        "sequence_level": np.where(is_college == 1, np.nan, 1.0),
        "hs_accepted": (1 - is_college).astype(np.int8),
        "is_college_course": is_college,
        "college_units": np.where(
            is_college == 1, np.concatenate([np.zeros(len(eighth)), units]), np.nan
        ),
        "college_unit_type": np.where(is_college == 1, UnitType.SEMESTER.code, -1).astype(np.int8),
        "dual_enrollment": is_college,
        "course_kind": np.full(count, CourseKind.ACADEMIC.code, dtype=np.int8),
    }
    keep = np.flatnonzero(end <= day_number(as_of))
    return {name: value[keep] for name, value in data.items()}


def _last_start(as_of: dt.date) -> int:
    """The first year of the last school year over by *as_of*."""
    return window_year(as_of, SCHOOL_YEAR_START) - 1


def _course_list(rng: np.random.Generator, courses: _Plan) -> Table:
    """Each school's approved list: the planned a-g courses, a few missing, honors listed."""
    plan = [p for p in courses if p[1]]
    schools = np.repeat(np.arange(_N_SCHOOLS), len(plan) + 2)
    names = [p[0] for p in plan] + ["ALG1-8", "COLL101"]
    areas = [p[1] for p in plan] + ["c", "g"]
    course = np.tile(np.arange(len(names)), _N_SCHOOLS)
    keep = rng.random(len(course)) > 0.01
    area = np.array([_code(AgArea, a) for a in areas], dtype=np.int8)[course]
    honors = np.array(
        [
            HonorsType.AP.code
            if i < len(plan) and plan[i][6] and plan[i][2] >= 11
            else (HonorsType.UC_HONORS.code if i < len(plan) and plan[i][6] else -1)
            for i in range(len(names))
        ],
        dtype=np.int8,
    )[course]
    data: dict[str, NDArray[Any]] = {
        "school_id": schools.astype(np.int32),
        "course_id": course.astype(np.int32),
        "ag_area": area,
        "honors_type": honors,
        "approved_from": np.zeros(len(course), dtype=np.int32),
    }
    categories = {
        "school_id": digit_strings(np.arange(_N_SCHOOLS, dtype=np.int64) + 100, 6, "S"),
        "course_id": objects(names),
        "approved_from": objects(["2015-16"]),
    }
    return Table.from_arrays(COURSE_LIST, data, categories).take(np.flatnonzero(keep))


def _status(
    rng: np.random.Generator,
    n: int,
    entry: NDArray[np.int64],
    ability: NDArray[np.float64],
    as_of: dt.date,
) -> Table:
    """Aid applications around the March 2 deadline, college applications in the fall, diplomas."""
    senior = entry + 3
    started = _day_of(senior, 7, 1) <= day_number(as_of)
    aid = np.flatnonzero(started & (rng.random(n) < 0.45 + 0.4 * ability))
    apply = np.flatnonzero(started & (rng.random(n) < 0.3 + 0.6 * ability))
    grads = np.flatnonzero(
        (_day_of(senior + 1, 6, 12) <= day_number(as_of)) & (rng.random(n) < 0.9)
    )
    adt = grads[rng.random(len(grads)) < 0.03]
    stu = np.concatenate([aid, apply, grads, adt])
    kind = np.concatenate(
        [
            np.where(rng.random(len(aid)) < 0.9, StatusKind.FAFSA.code, StatusKind.CADAA.code),
            np.full(len(apply), StatusKind.COLLEGE_APPLICATION.code),
            np.full(len(grads) + len(adt), StatusKind.AWARD.code),
        ]
    ).astype(np.int8)
    submitted = np.concatenate(
        [
            _day_of(senior[aid] + 1, 1, 1) + rng.integers(0, 100, size=len(aid)),
            _day_of(senior[apply], 10, 1) + rng.integers(0, 60, size=len(apply)),
        ]
    )
    systems = [CollegeSystem.UC, CollegeSystem.CSU, CollegeSystem.CCC, CollegeSystem.PRIVATE]
    system = np.array([s.code for s in systems], dtype=np.int8)[
        rng.choice(4, size=len(apply), p=[0.3, 0.35, 0.25, 0.1])
    ]
    awards = np.concatenate(
        [np.full(len(grads), AwardKind.HS_DIPLOMA.code), np.full(len(adt), AwardKind.ADT.code)]
    )
    count = len(stu)
    n_events = len(aid) + len(apply)
    sub = np.full(count, MISSING_DAY, dtype=np.int64)
    sub[:n_events] = np.minimum(submitted, day_number(as_of))
    award_date = np.full(count, MISSING_DAY, dtype=np.int64)
    award_date[n_events:] = _day_of(senior[np.concatenate([grads, adt])] + 1, 6, 10)
    data: dict[str, NDArray[Any]] = {
        "student_id": stu.astype(np.int32),
        "kind": kind,
        "submitted_date": sub.astype(np.int32),
        "system": np.concatenate(
            [np.full(len(aid), -1), system, np.full(count - n_events, -1)]
        ).astype(np.int8),
        "award_kind": np.concatenate([np.full(n_events, -1), awards]).astype(np.int8),
        "award_date": award_date.astype(np.int32),
    }
    return Table.from_arrays(STUDENT_STATUS, data, {"student_id": _ids(n)})


def _consents(rng: np.random.Generator, n: int, as_of: dt.date) -> Table:
    """Consents to CSAC (aid) and to a UC campus (applications); some revoked, a few wrongly."""
    today = day_number(as_of)
    stu = np.flatnonzero(rng.random(n) < 0.5)
    count = len(stu)
    to_csac = rng.random(count) < 0.6
    granted = today - rng.integers(10, 700, size=count)
    revoked = np.where(
        rng.random(count) < 0.1, granted + rng.integers(-20, 200, size=count), MISSING_DAY
    )
    revoked = np.where(revoked > today, MISSING_DAY, revoked)
    blank = rng.random(count) < 0.01
    granted = np.where(blank, MISSING_DAY, granted)
    data: dict[str, NDArray[Any]] = {
        "student_id": stu.astype(np.int32),
        "purpose": np.where(
            to_csac, ConsentPurpose.FINANCIAL_AID.code, ConsentPurpose.COLLEGE_APPLICATION.code
        ).astype(np.int8),
        "recipient_id": np.where(to_csac, 0, 1).astype(np.int32),
        "granted_date": granted.astype(np.int32),
        "revoked_date": revoked.astype(np.int32),
        "scope": np.where(
            rng.random(count) < 0.2,
            ConsentScope.ACADEMIC_AND_ELIGIBILITY.code,
            ConsentScope.ACADEMIC.code,
        ).astype(np.int8),
    }
    categories = {"student_id": _ids(n), "recipient_id": objects(["CSAC", "001312"])}
    return Table.from_arrays(CONSENTS, data, categories)


def _reported(rng: np.random.Generator, n: int, ability: NDArray[np.float64]) -> Table:
    stu = np.flatnonzero(rng.random(n) < 0.02)
    value = np.round(np.clip(1.5 + 2.5 * ability[stu] + rng.normal(0, 0.1, len(stu)), 0, 4), 2)
    data: dict[str, NDArray[Any]] = {
        "student_id": stu.astype(np.int32),
        "gpa_kind": np.full(len(stu), GpaKind.UC_UNWEIGHTED.code, dtype=np.int8),
        "value": value,
    }
    return Table.from_arrays(REPORTED_GPAS, data, {"student_id": _ids(n)})


def _other(rng: np.random.Generator, n: int, students: Table) -> Table:
    """The state's record of some students: mostly agreeing, a few with a different birth date or name."""
    stu = np.flatnonzero(rng.random(n) < 0.5)
    birth = students.data["birth_date"][stu].astype(np.int64)
    shifted = rng.random(len(stu)) < 0.02
    birth = np.where(shifted, birth + 31, birth)
    last = students.data["last_name"][stu]
    renamed = rng.random(len(stu)) < 0.02
    last = np.where(renamed, (last + 1) % 8, last)
    data: dict[str, NDArray[Any]] = {
        "student_id": stu.astype(np.int32),
        "birth_date": birth.astype(np.int32),
        "last_name": last.astype(np.int32),
        "first_name": students.data["first_name"][stu],
    }
    categories = {
        "student_id": _ids(n),
        "last_name": np.array(
            [s.upper().replace("Á", "A") for s in students.categories["last_name"].tolist()],
            dtype=object,
        ),
        "first_name": students.categories["first_name"],
    }
    return Table.from_arrays(OTHER_SOURCE, data, categories)
