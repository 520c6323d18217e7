"""
The a-g and GPA engine: repeats, validation, roll-over and sub-rules over whole columns.

Every rule of college-readiness.md sections 1 and 2 is a pass over the mark arrays: repeat
resolution is one sort of the marks by (course slot, term end, row) done once, after which
each rule's attempt set (all grades; up to grade 11; up to grade N) is a filter of that order;
sums per student (and per student x area, x language, x discipline) are ``np.bincount``.
Years are counted in half-years and GPAs in integer points, so every figure is exact.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import summary_html, summary_repr
from .._kernel._days import SCHOOL_YEAR_START, check_date, civil_days, day, school_year_start
from .._kernel._groups import run_starts
from .._kernel._progress import rows_done
from ..errors import InvalidArgumentError
from ..model import K12Columns
from ._credit import FULL, CreditRows, ag_credit, choices
from ._prepare import (
    BIO,
    CHEM,
    CIVICS,
    EARTH,
    PASS,
    PHYS,
    REQUIRED_UNITS,
    SUMMER,
    US,
    WORLD,
    YEAR,
    C,
    Marks,
    Rows,
    marks_codes,
    prepare_marks,
    rows_at,
)

__all__ = ["AgReason", "Options", "Readiness", "evaluate"]

_A, _D = 0, 3
#: The attempt set of marks up to each grade (``_credit``'s sets).
_SET_OF_GRADE = {9: 0, 10: 1, 11: 2}
#: Capped totals (half-years) a student must reach by the end of grade 9, 10, 11.
_PACE = {9: 8, 10: 16, 11: 22}


class AgReason(enum.IntEnum):
    """
    Why a student has not met a system's a-g requirements; the value is the reason's bit.

    Examples:
        >>> AgReason.AREA_C.code, AgReason.UC_11_BEFORE_12.code
        ('area_c', 'uc_11_before_12')
    """

    AREA_A = 1 << 0
    AREA_B = 1 << 1
    AREA_C = 1 << 2
    AREA_D = 1 << 3
    AREA_E = 1 << 4
    AREA_F = 1 << 5
    AREA_G = 1 << 6
    A_US_HISTORY = 1 << 7
    A_WORLD_HISTORY = 1 << 8
    D_TWO_DISCIPLINES = 1 << 9
    D_BIOLOGICAL_PHYSICAL = 1 << 10
    UC_11_BEFORE_12 = 1 << 11

    @property
    def code(self) -> str:
        """The reason as ``readiness.csv`` writes it (``area_c``, ``a_us_history`` ...)."""
        return self.name.lower()


def _positive_int(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{attribute.name}={value!r} must be a whole number, zero or more"
        raise InvalidArgumentError(msg)


@frozen
class Options:
    """
    The parameters the spec leaves open (college-readiness.md, "Settled").

    Attributes:
        csu_grade10_honors_cap: CSU's grade-10 honors points cap (2 semester points; 4 is the
            other documented reading).
        pass_credit_2020: Count ``P``/``CR`` marks of 2019-20 and 2020-21 as passing
            (the 2020 exception; off by default).
        aid_cutoffs: A moved aid deadline by class year (default March 2 of the class year).

    Examples:
        >>> Options().aid_cutoff(2025), Options(aid_cutoffs={2025: dt.date(2025, 4, 2)}).aid_cutoff(2025)
        (datetime.date(2025, 3, 2), datetime.date(2025, 4, 2))
    """

    csu_grade10_honors_cap: int = field(default=2, validator=_positive_int)
    pass_credit_2020: bool = False
    aid_cutoffs: Mapping[int, dt.date] = field(factory=dict)

    def aid_cutoff(self, class_year: int) -> dt.date:
        """The aid deadline of *class_year*: its override, else March 2."""
        return self.aid_cutoffs.get(class_year, dt.date(class_year, 3, 2))


@frozen(eq=False)
class Readiness:
    """
    The per-student results (arrays in ``k12_students`` order); GPAs in hundredths, -1 blank.

    ``years`` and ``missing`` are half-years per area (``AREAS`` order); ``uc_reasons`` and
    ``csu_reasons`` are :class:`AgReason` bits.

    Examples:
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> result
        Readiness(as_of=2025-07-15, students=40, uc_met=5, csu_met=5)
        >>> int(result.class_year[0]), int(result.uc_unweighted[0]), result.years[0].tolist()
        (2026, 275, [4, 6, 5, 3, 6, 4, 4])
        >>> [reason.code for reason in AgReason if result.uc_reasons[0] & reason]
        ['area_b', 'area_c', 'area_d', 'd_two_disciplines']
    """

    data: K12Columns
    as_of: dt.date
    options: Options
    years: NDArray[np.int64]
    uc_met: NDArray[np.bool_]
    csu_met: NDArray[np.bool_]
    uc_reasons: NDArray[np.int64]
    csu_reasons: NDArray[np.int64]
    credit_before_12: NDArray[np.int64]
    uncleared: NDArray[np.int64]
    uc_unweighted: NDArray[np.int64]
    uc_capped: NDArray[np.int64]
    uc_fully_weighted: NDArray[np.int64]
    csu_gpa: NDArray[np.int64]
    calgrant_gpa: NDArray[np.int64]
    gpa_grades: NDArray[np.int64]
    calgrant_grades: NDArray[np.int64]
    honors_points: NDArray[np.int64]
    on_track: NDArray[np.int8]  # (n, 3): grades 9, 10, 11; -1 blank
    entry_year: NDArray[np.int32]
    college_courses: NDArray[np.int64]
    school: NDArray[np.int32]  # the school of the latest usable mark (index of school_names)
    school_names: tuple[str, ...]
    ignored_repeats: NDArray[np.bool_] = field(repr=False)
    short_college: NDArray[np.bool_] = field(repr=False)

    def _summary(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "students": len(self),
            "uc_met": int(self.uc_met.sum()),
            "csu_met": int(self.csu_met.sum()),
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        return summary_html("College readiness", self._summary())

    def to_arrow(self) -> Any:
        """The readiness table (one row per student, :func:`readiness_table`) as Arrow."""
        from ._report import readiness_table

        return readiness_table(self).to_arrow()

    def to_pandas(self) -> Any:
        """The readiness table as a ``pandas.DataFrame`` (needs pandas)."""
        from ._report import readiness_table

        return readiness_table(self).to_pandas()

    @cached_property
    def marks(self) -> Marks:
        """The columnar view of every mark the engine read (built again on first use)."""
        return prepare_marks(self.data, self.as_of)

    @property
    def missing(self) -> NDArray[np.int64]:
        """Half-years still missing per area."""
        out: NDArray[np.int64] = np.maximum(REQUIRED_UNITS - self.years, 0)
        return out

    @property
    def class_year(self) -> NDArray[np.int32]:
        """Entry year + 4 (-1 without a grade-9 entry date)."""
        out: NDArray[np.int32] = np.where(self.entry_year >= 0, self.entry_year + 4, -1).astype(
            np.int32
        )
        return out

    def __len__(self) -> int:
        return len(self.uc_met)


def _order(m: Marks) -> NDArray[np.int64]:
    """
    The attempts of repeated course slots by (slot, term end, row): rule 1.5's order.

    Only slots with more than one attempt are sorted (a few percent of the marks); every
    other attempt is its slot's only one.
    """
    idx = np.flatnonzero(m.multi)
    if not len(idx):
        return idx.astype(np.int64)
    slot = m.slot[idx].astype(np.int64)
    end = m.end[idx].astype(np.int64)
    end = end - end.min()
    width = int(end.max()) + 1
    if int(slot.max()) < (1 << 62) // width:
        # One stable sort of a packed key: equal keys keep row order (the later row is later).
        return idx[np.argsort(slot * width + end, kind="stable")]
    return idx[np.lexsort((idx, end, slot))]


def _gpas(
    m: Marks, n: int, cap10: int, chosen11: NDArray[np.bool_], latest11: NDArray[np.int64]
) -> dict[str, NDArray[np.int64]]:
    """UC, CSU and Cal Grant GPAs in hundredths (-1 without window grades) and their counts."""
    grade = m.grade
    summer = m.term == SUMMER
    # Grades 10-11, and the summers after grades 9, 10 and 11.
    in_window = chosen11 & (m.area >= 0) & (grade <= 11) & ((grade >= 10) | (summer & (grade >= 9)))
    # Each window grade as one small code (letter, year-long, honors, grade 11): one count per
    # student and code gives every sum; college courses (few) are added on their own.
    year_long = (m.term == YEAR).astype(np.int8)
    eleventh = (grade >= 11).astype(np.int8)
    honors = ((m.letter <= C) & m.honors).astype(np.int8)
    code = m.letter * 8 + year_long * 4 + honors * 2 + eleventh
    plain = np.flatnonzero(in_window & ~m.college)
    student = m.student.astype(_key_type(n * 40), copy=False)
    key = (student * 40 + code).take(plain)
    counts = np.bincount(key, minlength=n * 40).reshape(n, 40)
    # Every sum is a weighted sum of the counts: one product with a column of weights per sum.
    uc_g, uc_p, h10, h11 = _weighted(counts, _GPA_WEIGHTS)
    csu_g, csu_p, c10, c11 = uc_g.copy(), uc_p.copy(), h10.copy(), h11.copy()
    # A college course: one grade and one honors point (A-C) for UC, two of each for CSU.
    cr = np.flatnonzero(in_window & m.college)
    c_stu = m.student.take(cr).astype(np.int64)
    c_letter_grade = m.letter.take(cr)
    c_points = 4 - c_letter_grade.astype(np.float64)
    c_hon = (c_letter_grade <= C).astype(np.float64)
    c_11 = eleventh.take(cr).astype(bool)
    for total, weights, factor in (
        (uc_g, None, 1),
        (uc_p, c_points, 1),
        (csu_g, None, 2),
        (csu_p, c_points, 2),
    ):
        total += factor * np.bincount(c_stu, weights, minlength=n).astype(np.int64)
    for total, mask, factor in ((h10, ~c_11, 1), (h11, c_11, 1), (c10, ~c_11, 2), (c11, c_11, 2)):
        total += factor * np.bincount(c_stu[mask], c_hon[mask], minlength=n).astype(np.int64)

    def truncated(num: NDArray[np.int64], den: NDArray[np.int64]) -> NDArray[np.int64]:
        out: NDArray[np.int64] = np.where(den > 0, 100 * num // np.maximum(den, 1), -1)
        return out

    # Cal Grant: the latest attempt, which differs from rule 1.5's only in repeated slots.
    latest = m.single.copy()
    latest[latest11] = True
    cg = np.flatnonzero(latest & m.academic & (grade >= 10) & (grade <= 11))
    cg_key = (student * 10 + (m.letter * np.int8(2) + year_long)).take(cg)
    cg_counts = np.bincount(cg_key, minlength=n * 10).reshape(n, 10)
    cg_g, cg_p = _weighted(cg_counts, _CALGRANT_WEIGHTS)
    calgrant = np.where(cg_g > 0, (200 * cg_p + cg_g) // np.maximum(2 * cg_g, 1), -1)
    return {
        "uc_unweighted": truncated(uc_p, uc_g),
        "uc_capped": truncated(uc_p + np.minimum(np.minimum(h10, 4) + h11, 8), uc_g),
        "uc_fully_weighted": truncated(uc_p + h10 + h11, uc_g),
        "csu": truncated(csu_p + np.minimum(np.minimum(c10, cap10) + c11, 8), csu_g),
        "calgrant": calgrant.astype(np.int64),
        "grades": uc_g,
        "calgrant_grades": cg_g,
        "honors": h10 + h11,
    }


def _key_type(size: int) -> type[np.int32] | type[np.int64]:
    """The integer type of keys below *size*: 32 bits when they fit (half the memory traffic)."""
    return np.int32 if size < np.iinfo(np.int32).max else np.int64


def _gpa_weights() -> NDArray[np.int64]:
    """Per window-grade code (letter, year-long, honors, grade 11): grades, points, h10, h11."""
    codes = np.arange(40)
    letter, year, honors, eleventh = codes // 8, (codes // 4) % 2, (codes // 2) % 2, codes % 2
    grades = 1 + year
    columns = (grades, (4 - letter) * grades, grades * honors * (1 - eleventh))
    return np.stack([*columns, grades * honors * eleventh], axis=1).astype(np.int64)


def _calgrant_weights() -> NDArray[np.int64]:
    """Per Cal Grant code (letter, year-long): grades and points."""
    codes = np.arange(10)
    grades = 1 + codes % 2
    return np.stack([grades, (4 - codes // 2) * grades], axis=1).astype(np.int64)


_GPA_WEIGHTS = _gpa_weights()
_CALGRANT_WEIGHTS = _calgrant_weights()


def _weighted(counts: NDArray[np.int64], weights: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Each column of *weights* summed over each row of *counts*, as whole numbers."""
    # Integer product: numpy's own loop (a BLAS call would start threads inside our workers).
    sums = counts @ weights
    return [np.ascontiguousarray(sums[:, k]) for k in range(weights.shape[1])]


def _june30_after(start_years: NDArray[np.int64]) -> NDArray[np.int64]:
    """Day number of June 30 ending the school year that starts in July of *start_years*."""
    out: NDArray[np.int64] = civil_days(start_years + 1, *SCHOOL_YEAR_START) - 1
    return out


#: Marks per block: a block's arrays stay in the processor's caches.
_BLOCK_MARKS = 1 << 19
#: Sorted runs of marks up to which a block's rows are slices (else positions).
_MAX_RUNS = 256
#: Blocks evaluated at once (numpy releases the GIL inside its loops).
_WORKERS = max(1, min(4, os.cpu_count() or 1))


def evaluate(data: K12Columns, as_of: dt.date, options: Options | None = None) -> Readiness:
    """
    a-g completion (UC and CSU), the five GPAs and the pace indicators of every student.

    Args:
        data: The K-12 tables; ``transcript_marks`` with the readiness columns.
        as_of: The evaluation date: later marks are not used; on-track values need their
            school year to be over.
        options: The open parameters (:class:`Options`).

    Raises:
        InvalidArgumentError: If *as_of* is not a date.

    Examples:
        >>> from edoutcomes.synth import synthetic_readiness
        >>> data = synthetic_readiness(40, seed=1)
        >>> result = evaluate(data, dt.date(2025, 7, 15))
        >>> int(result.uc_met.sum()), int(result.csu_met.sum()), len(result)
        (5, 5, 40)
        >>> later = evaluate(data, dt.date(2025, 7, 15), Options(aid_cutoffs={2025: dt.date(2025, 5, 1)}))
        >>> later.options.aid_cutoff(2025)
        datetime.date(2025, 5, 1)
    """
    as_of = check_date("as_of", as_of)
    options = options or Options()
    codes = marks_codes(data)
    n = data.n_students
    n_marks = data.marks.n_rows
    entry = school_year_start(data.students.data["grade9_entry_date"])
    out = _Outputs(n, n_marks)

    # Every rule is per student: the marks are taken a block of students at a time, in
    # student order (file order within a student), so each block's arrays stay small.
    # Each block's students are told as done (:mod:`._kernel._progress`) from this thread.
    def run(block: tuple[int, int, Rows]) -> int:
        first, stop, rows = block
        m = prepare_marks(data, as_of, codes=codes, rows=rows, first=first, n_students=stop - first)
        _evaluate_block(m, entry[first:stop], as_of, options, out, first, rows)
        return stop - first

    blocks = list(_blocks(data.mark_student, n))
    if _WORKERS > 1 and len(blocks) > 1:
        # Blocks are independent and write disjoint rows of *out*; numpy releases the GIL.
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            for students in pool.map(run, blocks):
                rows_done(students)
    else:
        for block in blocks:
            rows_done(run(block))
    return Readiness(
        data=data,
        as_of=as_of,
        options=options,
        years=out.years,
        uc_met=out.uc_reasons == 0,
        csu_met=out.csu_reasons == 0,
        uc_reasons=out.uc_reasons,
        csu_reasons=out.csu_reasons,
        credit_before_12=out.credit_before_12,
        uncleared=out.uncleared,
        uc_unweighted=out.gpa["uc_unweighted"],
        uc_capped=out.gpa["uc_capped"],
        uc_fully_weighted=out.gpa["uc_fully_weighted"],
        csu_gpa=out.gpa["csu"],
        calgrant_gpa=out.gpa["calgrant"],
        gpa_grades=out.gpa["grades"],
        calgrant_grades=out.gpa["calgrant_grades"],
        honors_points=out.gpa["honors"],
        on_track=out.on_track,
        entry_year=entry,
        college_courses=out.college_courses,
        school=out.school,
        school_names=codes.school_names,
        ignored_repeats=out.ignored_repeats,
        short_college=out.short_college,
    )


class _Outputs:
    """The per-student (and the two per-mark) result arrays the blocks fill in."""

    def __init__(self, n: int, n_marks: int) -> None:
        self.years = np.zeros((n, 7), dtype=np.int64)
        self.uc_reasons = np.zeros(n, dtype=np.int64)
        self.csu_reasons = np.zeros(n, dtype=np.int64)
        self.credit_before_12 = np.zeros(n, dtype=np.int64)
        self.uncleared = np.zeros(n, dtype=np.int64)
        self.gpa = {name: np.full(n, -1, dtype=np.int64) for name in _GPA_NAMES}
        self.on_track = np.full((n, 3), -1, dtype=np.int8)
        self.college_courses = np.zeros(n, dtype=np.int64)
        self.school = np.full(n, -1, dtype=np.int32)
        self.ignored_repeats = np.zeros(n_marks, dtype=bool)
        self.short_college = np.zeros(n_marks, dtype=bool)


_GPA_NAMES = (
    "uc_unweighted",
    "uc_capped",
    "uc_fully_weighted",
    "csu",
    "calgrant",
    "grades",
    "calgrant_grades",
    "honors",
)


def _blocks(student: NDArray[np.int32], n: int) -> Iterator[tuple[int, int, Rows]]:
    """
    Blocks of about :data:`_BLOCK_MARKS` linked marks: (first student, stop, their rows).

    A block's rows are in file order. When the marks are a few runs in student order (sorted,
    or sorted pieces one after another) they are one slice per run, which are copied rather
    than gathered; otherwise positions from one stable sort by block.
    """
    if not n:
        return
    if not len(student):
        yield 0, n, slice(0, 0)
        return
    per_block = max(1, int(_BLOCK_MARKS * n // max(len(student), 1)))
    cuts = np.unique(np.arange(0, n + per_block, per_block).clip(max=n))
    descents = np.flatnonzero(student[1:] < student[:-1]) + 1
    if len(descents) < _MAX_RUNS:
        edges = [0, *descents.tolist(), len(student)]
        needles = cuts.astype(student.dtype)
        bounds = [
            (np.searchsorted(student[a:b], needles) + a).tolist()
            for a, b in itertools.pairwise(edges)
        ]
        for k in range(len(cuts) - 1):
            ranges = tuple(slice(at[k], at[k + 1]) for at in bounds if at[k] < at[k + 1])
            rows: Rows = ranges[0] if len(ranges) == 1 else ranges
            yield int(cuts[k]), int(cuts[k + 1]), rows
        return
    # Block number + 1 (0 for unlinked marks): a small integer, sorted in linear time.
    key = ((student + per_block) // per_block).astype(np.int16 if len(cuts) < 1 << 14 else np.int32)
    order = np.argsort(key, kind="stable")
    ends = np.cumsum(np.bincount(key, minlength=len(cuts))).tolist()
    for k in range(len(cuts) - 1):
        yield int(cuts[k]), int(cuts[k + 1]), order[ends[k] : ends[k + 1]]


def _evaluate_block(
    m: Marks,
    entry: NDArray[np.int32],
    as_of: dt.date,
    options: Options,
    out: _Outputs,
    first: int,
    rows: Rows,
) -> None:
    """Every per-student result of one block of students (their marks in *m*), into *out*."""
    n = len(entry)
    at = slice(first, first + n)
    order = _order(m)
    extra = np.zeros(len(m), dtype=bool)
    if options.pass_credit_2020:
        extra = m.usable & (m.letter == PASS) & (m.year >= 2019) & (m.year <= 2020)
    choice = choices(m, order)
    credit = ag_credit(CreditRows(m, n, extra), choice.bits)
    today = day(as_of)
    due = {
        grade: (entry >= 0) & (today > _june30_after(entry.astype(np.int64) + grade - 9))
        for grade in (9, 10, 11)
    }
    years = credit.credit[FULL].T
    before12 = credit.capped[_SET_OF_GRADE[11]]
    req = REQUIRED_UNITS
    short = (years < req).astype(np.int64)
    area_bits = (short * (1 << np.arange(7))).sum(axis=1)
    d = credit.disciplines
    has_a, has_d = _has_disciplines(m, n)
    us_bad = has_a & ((d[:, US] < 1) | (d[:, US] + np.minimum(d[:, CIVICS], 1) < 2))
    world_bad = has_a & (d[:, WORLD] < 2)
    two_bad = has_d & (((d[:, BIO] >= 2).astype(int) + (d[:, CHEM] >= 2) + (d[:, PHYS] >= 2)) < 2)
    bio_phys_bad = has_d & ((d[:, BIO] < 2) | (d[:, CHEM] + d[:, PHYS] + d[:, EARTH] < 2))
    common = area_bits | np.where(us_bad, AgReason.A_US_HISTORY, 0)
    out.uc_reasons[at] = (
        common
        | np.where(world_bad, AgReason.A_WORLD_HISTORY, 0)
        | np.where(two_bad, AgReason.D_TWO_DISCIPLINES, 0)
        | np.where(before12 < 22, AgReason.UC_11_BEFORE_12, 0)
    )
    out.csu_reasons[at] = common | np.where(bio_phys_bad, AgReason.D_BIOLOGICAL_PHYSICAL, 0)
    out.years[at] = years
    out.credit_before_12[at] = before12
    out.uncleared[at] = credit.uncleared[FULL]

    chosen11 = (choice.bits & np.uint8(1 << _SET_OF_GRADE[11])) > 0
    gpa = _gpas(m, n, options.csu_grade10_honors_cap, chosen11, choice.latest11)
    for name in _GPA_NAMES:
        out.gpa[name][at] = gpa[name]

    for k, grade in enumerate((9, 10, 11)):
        if not due[grade].any():
            continue
        at_set = _SET_OF_GRADE[grade]
        ok = (credit.capped[at_set] >= _PACE[grade]) & (credit.uncleared[at_set] == 0)
        out.on_track[at, k] = np.where(due[grade], ok, -1)

    chosen = (choice.bits & np.uint8(1 << FULL)) > 0
    passed_college = np.flatnonzero(chosen & m.college & (m.letter <= C))
    out.college_courses[at] = np.bincount(m.student[passed_college], minlength=n)
    out.school[at] = _latest_school(m, n)
    out.short_college[
        rows_at(rows, np.flatnonzero(m.usable & m.college & ~m.college_full & (m.area >= 0)))
    ] = True
    out.ignored_repeats[rows_at(rows, choice.ignored)] = True


def _latest_school(m: Marks, n: int) -> NDArray[np.int32]:
    """Each student's school: that of their latest usable mark (the highest code on a tie), or -1."""
    school = np.full(n, -1, dtype=np.int32)
    counted = m.usable & (m.school >= 0)
    if not len(m) or not counted.any():
        return school
    # (term end, school) + 1 packed in one number, 0 for the marks not counted (no subset of
    # the rows is taken): its maximum is the latest counted mark's highest school.
    width = int(m.school.max()) + 1
    low = int(np.min(m.end, where=counted, initial=np.iinfo(np.int32).max))
    high = int(np.max(m.end, where=counted, initial=low))
    kind = _key_type((high - low + 1) * width + 1)
    end: NDArray[Any] = m.end.astype(kind)
    shifted = np.maximum(end - kind(low), 0)
    packed = (shifted * kind(width) + m.school + 1) * counted
    # One maximum per run of a student's marks (a student's marks are one run or a few in
    # most files), then the runs' maxima per student.
    starts = np.flatnonzero(run_starts([m.student]))
    top = np.maximum.reduceat(packed, starts)
    student = m.student.take(starts)
    latest = np.zeros(n, dtype=packed.dtype)  # of the same type: the fast loop of .at
    # Unlinked marks (student -1) are not counted: their 0 leaves the last student's as it is.
    np.maximum.at(latest, student, top)
    found = np.flatnonzero(latest > 0)
    school[found] = (latest.take(found) - 1) % width
    return school


def _has_disciplines(m: Marks, n: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """
    Rule 1.8's trigger for a and for d: some mark of the area (whatever its grade) carries an
    ``ag_discipline``.
    """
    in_d = m.area == _D
    rows = np.flatnonzero(m.valid & (m.discipline >= 0) & ((m.area == _A) | in_d))
    key = m.student.take(rows).astype(np.int64) * 2 + in_d.take(rows)
    seen = np.bincount(key, minlength=2 * n).reshape(n, 2) > 0
    return seen[:, 0], seen[:, 1]
