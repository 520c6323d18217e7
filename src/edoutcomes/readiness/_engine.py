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
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import day, school_year_start
from ..errors import InvalidArgumentError
from ..model import K12Columns
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
    D,
    Marks,
    marks_codes,
    prepare_marks,
)

__all__ = ["AgReason", "Options", "Readiness", "evaluate"]

_A, _C, _D, _E, _G = 0, 2, 3, 4, 6
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
    """

    csu_grade10_honors_cap: int = field(default=2, validator=_positive_int)
    pass_credit_2020: bool = False
    aid_cutoffs: Mapping[int, dt.date] = field(factory=dict)

    def aid_cutoff(self, class_year: int) -> dt.date:
        """The aid deadline of *class_year*: its override, else March 2."""
        return self.aid_cutoffs.get(class_year, dt.date(class_year, 3, 2))


@frozen(eq=False)
class _Credit:
    """a-g credit of every student from one attempt set."""

    credit: NDArray[np.int64]  # (n, 7) half-years
    capped: NDArray[np.int64]
    uncleared: NDArray[np.int64]
    disciplines: NDArray[np.int64]  # (n, 8) half-years, a disciplines from a, d from d
    validated: NDArray[np.int64]  # (n, 7) half-years granted by validation


@frozen(eq=False)
class Readiness:
    """
    The per-student results (arrays in ``k12_students`` order); GPAs in hundredths, -1 blank.

    ``years`` and ``missing`` are half-years per area (``AREAS`` order); ``uc_reasons`` and
    ``csu_reasons`` are :class:`AgReason` bits.
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
    slot = m.slot[idx]
    end = m.end[idx].astype(np.int64)
    end = end - end.min()
    width = int(end.max()) + 1
    if int(slot.max()) < (1 << 62) // width:
        # One stable sort of a packed key: equal keys keep row order (the later row is later).
        return idx[np.argsort(slot * width + end, kind="stable")]
    return idx[np.lexsort((idx, end, slot))]


def _resolve(
    m: Marks, order: NDArray[np.int64], subset: NDArray[np.bool_], *, latest: bool
) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """
    The attempt that counts in each course slot (rule 1.5), among the attempts in *subset*.

    Returns a mask of the chosen marks and the rows ignored because the first attempt passed.
    """
    chosen = m.attempts & subset & ~m.multi
    sel = order[subset[order]]
    if not len(sel):
        return chosen, sel
    slot = m.slot[sel]
    change = slot[1:] != slot[:-1]
    starts = np.concatenate([[True], change])
    ends = np.concatenate([change, [True]])
    first = sel[starts]
    last = sel[ends]
    if latest:
        chosen[last] = True
        return chosen, sel[:0]
    first_passed = m.letter[first] <= C
    chosen[np.where(first_passed, first, last)] = True
    group = np.cumsum(starts) - 1
    ignored = sel[first_passed[group] & ~starts]
    return chosen, ignored


def _max_per(groups: NDArray[np.int64], values: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    out = np.full(n, -1, dtype=np.int64)
    np.maximum.at(out, groups, values)
    return out


def _validated(
    groups: NDArray[np.int64], level: NDArray[np.int64], units: NDArray[np.int64], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Per group: passed half-years, credit after validation (rule 1.6), highest level passed."""
    passed = np.bincount(groups, units, minlength=n).astype(np.int64)
    levelled = level >= 1
    top = _max_per(groups[levelled], level[levelled], n)
    at_top = levelled & (level == top[groups])
    top_units = np.bincount(groups[at_top], units[at_top], minlength=n).astype(np.int64)
    levelled_units = np.bincount(groups[levelled], units[levelled], minlength=n).astype(np.int64)
    unlevelled = passed - levelled_units
    credit = np.where(
        top >= 1, np.maximum(2 * (top - 1) + top_units, levelled_units) + unlevelled, passed
    )
    return passed, credit, top


class _Rows:
    """The mark subsets every attempt set reuses, compressed once (c, e, disciplines, D/F)."""

    def __init__(self, m: Marks, n: int, extra: NDArray[np.bool_]) -> None:
        self.n = n
        grade = m.grade
        area = m.area
        early = (grade >= 7) & (grade <= 8) & ((area == _C) | (area == _E)) & m.hs_accepted
        capable = (area >= 0) & ((grade >= 9) | early) & (m.student >= 0)
        letter = m.letter
        #: Marks that earn years when chosen: capable, passing, at least half a year.
        self.earning = capable & (letter <= C) & (m.units > 0)
        self.extra = extra & capable & (m.units > 0)
        key = np.where(self.earning | self.extra, m.student.astype(np.int64) * 8 + area, n * 8)
        # Units (0-2) folded into the key: one unweighted count gives the sums per area.
        self.key = key * 3 + m.units
        self.c = np.flatnonzero((self.earning | self.extra) & (area == _C))
        self.c_stu = m.student[self.c].astype(np.int64)
        self.c_level = m.level[self.c].astype(np.int64)
        self.c_units = m.units[self.c].astype(np.int64)
        self.e = np.flatnonzero((self.earning | self.extra) & (area == _E))
        e_stu = m.student[self.e].astype(np.int64)
        languages = m.language[self.e].astype(np.int64) + 1
        self.width = int(m.language.max(initial=-1)) + 2
        self.e_key, self.e_group = np.unique(e_stu * self.width + languages, return_inverse=True)
        self.e_group = self.e_group.ravel()
        self.e_level = m.level[self.e].astype(np.int64)
        self.e_units = m.units[self.e].astype(np.int64)
        self.group_student = self.e_key // self.width
        first = np.ones(len(self.e_key), dtype=bool)
        first[1:] = self.group_student[1:] != self.group_student[:-1]
        self.group_starts = np.flatnonzero(first)
        self.group_sizes = np.diff(np.append(self.group_starts, len(self.e_key)))
        disc = m.discipline.astype(np.int64)
        own = (
            (self.earning | self.extra)
            & (disc >= 0)
            & (((area == _A) & (disc <= 3)) | ((area == _D) & (disc >= 4)))
        )
        self.d = np.flatnonzero(own)
        self.d_key = m.student[self.d].astype(np.int64) * 8 + disc[self.d]
        self.d_units = m.units[self.d].astype(np.int64)
        self.f = np.flatnonzero(m.attempts & capable & (letter >= D))
        self.f_stu = m.student[self.f].astype(np.int64)
        self.f_area = area[self.f]
        self.f_level = m.level[self.f].astype(np.int64)
        f_lang = m.language[self.f].astype(np.int64) + 1
        self.f_key = self.f_stu * self.width + f_lang


def _ag_credit(pre: _Rows, chosen: NDArray[np.bool_], extra: NDArray[np.bool_]) -> _Credit:
    """a-g credit per student and area from the chosen attempts (plus the *extra* passing marks)."""
    n = pre.n
    counted = (chosen & pre.earning) | (extra & pre.extra)
    sums = np.bincount(pre.key[counted], minlength=(n * 8 + 1) * 3)[: n * 8 * 3]
    passed = (sums.reshape(n, 8, 3) * np.array([0, 1, 2])).sum(axis=2)[:, :7].astype(np.int64)
    credit = passed.copy()
    validated = np.zeros((n, 7), dtype=np.int64)
    roll = np.maximum(passed - REQUIRED_UNITS, 0)

    in_c = counted[pre.c]
    c_passed, c_credit, c_top = _validated(pre.c_stu[in_c], pre.c_level[in_c], pre.c_units[in_c], n)
    credit[:, _C] = c_credit
    validated[:, _C] = c_credit - c_passed
    roll[:, _C] = np.minimum(c_passed, np.maximum(c_credit - REQUIRED_UNITS[_C], 0))

    in_e = counted[pre.e]
    n_groups = len(pre.e_key)
    g_passed, g_credit, g_top = _validated(
        pre.e_group[in_e], pre.e_level[in_e], pre.e_units[in_e], n_groups
    )
    group_student = pre.group_student
    # The best language: most credit, then fewest passed years (the most validated). Groups
    # are in student order, so the best score per student is a reduceat over their groups;
    # languages tied on both give the same figures, so any of them will do.
    e_credit = np.zeros(n, dtype=np.int64)
    e_best_passed = np.zeros(n, dtype=np.int64)
    if n_groups:
        score = g_credit * 1024 - g_passed
        top_score = np.maximum.reduceat(score, pre.group_starts)
        best = np.flatnonzero(score == np.repeat(top_score, pre.group_sizes))
        e_credit[group_student[best]] = g_credit[best]
        e_best_passed[group_student[best]] = g_passed[best]
    credit[:, _E] = e_credit
    validated[:, _E] = e_credit - e_best_passed
    roll[:, _E] = np.minimum(e_best_passed, np.maximum(e_credit - REQUIRED_UNITS[_E], 0)) + (
        passed[:, _E] - e_best_passed
    )

    roll[:, _G] = 0
    credit[:, _G] = passed[:, _G] + roll.sum(axis=1)
    capped = np.minimum(credit, REQUIRED_UNITS).sum(axis=1)

    # A D/F attempt is cleared by a passing repeat (it was not chosen) or by validation.
    picked = chosen[pre.f]
    f_stu = pre.f_stu[picked]
    f_area = pre.f_area[picked]
    f_level = pre.f_level[picked]
    cleared = (f_area == _C) & (f_level >= 1) & (f_level < c_top[f_stu])
    in_lang = np.flatnonzero(f_area == _E)
    if len(in_lang) and n_groups:
        f_key = pre.f_key[picked][in_lang]
        pos = np.minimum(np.searchsorted(pre.e_key, f_key), n_groups - 1)
        known = pre.e_key[pos] == f_key
        cleared[in_lang] = known & (f_level[in_lang] >= 1) & (f_level[in_lang] < g_top[pos])
    uncleared = np.bincount(f_stu[~cleared], minlength=n).astype(np.int64)

    in_d = counted[pre.d]
    disciplines = (
        np.bincount(pre.d_key[in_d], pre.d_units[in_d], minlength=n * 8)
        .astype(np.int64)
        .reshape(n, 8)
    )
    return _Credit(credit, capped, uncleared, disciplines, validated)


def _gpas(
    m: Marks,
    order: NDArray[np.int64],
    n: int,
    cap10: int,
    chosen11: NDArray[np.bool_],
    upto11: NDArray[np.bool_],
) -> dict[str, NDArray[np.int64]]:
    """UC, CSU and Cal Grant GPAs in hundredths (-1 without window grades) and their counts."""
    grade = m.grade
    summer = m.term == SUMMER
    in_window = (
        chosen11
        & (m.area >= 0)
        & np.where(summer, (grade >= 9) & (grade <= 11), (grade >= 10) & (grade <= 11))
    )
    # Each window grade as one small code (letter, year-long, honors, grade 11): one count per
    # student and code gives every sum; college courses (few) are added on their own.
    year_long = (m.term == YEAR).astype(np.int8)
    eleventh = (grade >= 11).astype(np.int8)
    honors = ((m.letter <= C) & m.honors).astype(np.int8)
    code = m.letter * 8 + year_long * 4 + honors * 2 + eleventh
    plain = np.flatnonzero(in_window & ~m.college)
    key = m.student[plain].astype(np.int64) * 40 + code[plain]
    counts = np.bincount(key, minlength=n * 40).reshape(n, 40)
    codes = np.arange(40)
    c_letter, c_year, c_honors, c_eleventh = (
        codes // 8,
        (codes // 4) % 2,
        (codes // 2) % 2,
        codes % 2,
    )
    c_grades = 1 + c_year
    uc_g = counts @ c_grades
    uc_p = counts @ ((4 - c_letter) * c_grades)
    h10 = counts @ (c_grades * c_honors * (1 - c_eleventh))
    h11 = counts @ (c_grades * c_honors * c_eleventh)
    csu_g, csu_p, c10, c11 = uc_g.copy(), uc_p.copy(), h10.copy(), h11.copy()
    # A college course: one grade and one honors point (A-C) for UC, two of each for CSU.
    cr = np.flatnonzero(in_window & m.college)
    c_stu = m.student[cr].astype(np.int64)
    c_points = 4 - m.letter[cr].astype(np.int64)
    c_hon = (m.letter[cr] <= C).astype(np.int64)
    c_11 = eleventh[cr].astype(bool)
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
    latest, _ = _resolve(m, order, upto11, latest=True)
    cg = np.flatnonzero(latest & m.academic & (grade >= 10) & (grade <= 11))
    cg_counts = np.bincount(
        m.student[cg].astype(np.int64) * 10 + m.letter[cg] * 2 + year_long[cg], minlength=n * 10
    ).reshape(n, 10)
    cg_codes = np.arange(10)
    cg_weight = 1 + cg_codes % 2
    cg_g = cg_counts @ cg_weight
    cg_p = cg_counts @ ((4 - cg_codes // 2) * cg_weight)
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


def _june30_after(start_years: NDArray[np.int64]) -> NDArray[np.int64]:
    """Day number of June 30 ending the school year that starts in July of *start_years*."""
    years = (start_years + 1 - 1970).astype("datetime64[Y]")
    out: NDArray[np.int64] = (
        (years + np.timedelta64(6, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    ).astype(np.int64)
    return out


#: Marks per block: a block's arrays stay in the processor's caches.
_BLOCK_MARKS = 1 << 17
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
    """
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        msg = f"as_of={as_of!r} must be a datetime.date"
        raise InvalidArgumentError(msg)
    options = options or Options()
    codes = marks_codes(data)
    n = data.n_students
    n_marks = data.marks.n_rows
    entry = school_year_start(data.students.data["grade9_entry_date"])
    out = _Outputs(n, n_marks)

    # Every rule is per student: the marks are taken a block of students at a time, in
    # student order (file order within a student), so each block's arrays stay small.
    def run(block: tuple[int, int, slice | NDArray[np.int64]]) -> None:
        first, stop, rows = block
        m = prepare_marks(data, as_of, codes=codes, rows=rows, first=first, n_students=stop - first)
        _evaluate_block(m, entry[first:stop], as_of, options, out, first, rows)

    blocks = list(_blocks(data.mark_student, n))
    if _WORKERS > 1 and len(blocks) > 1:
        # Blocks are independent and write disjoint rows of *out*; numpy releases the GIL.
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            for _ in pool.map(run, blocks):
                pass
    else:
        for block in blocks:
            run(block)
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


def _blocks(
    student: NDArray[np.int32], n: int
) -> Iterator[tuple[int, int, slice | NDArray[np.int64]]]:
    """
    Blocks of about :data:`_BLOCK_MARKS` linked marks: (first student, stop, their rows).

    Rows are a slice when the marks are in student order, else positions of a stable sort
    (file order within a student).
    """
    if not n:
        return
    if not len(student):
        yield 0, n, slice(0, 0)
        return
    if bool((student[1:] < student[:-1]).any()):
        order: NDArray[np.int64] | None = np.argsort(student, kind="stable")
        ordered = student[order]
    else:
        order, ordered = None, student
    per_block = max(1, int(_BLOCK_MARKS * n // max(len(student), 1)))
    cuts = np.arange(0, n + per_block, per_block).clip(max=n)
    cuts = np.unique(cuts)
    bounds = np.searchsorted(ordered, cuts, side="left").tolist()
    for k in range(len(cuts) - 1):
        a, b = bounds[k], bounds[k + 1]
        rows = slice(a, b) if order is None else order[a:b]
        yield int(cuts[k]), int(cuts[k + 1]), rows


def _global(rows: slice | NDArray[np.int64], local: NDArray[np.int64]) -> NDArray[np.int64]:
    if isinstance(rows, slice):
        shifted: NDArray[np.int64] = local + (rows.start or 0)
        return shifted
    picked: NDArray[np.int64] = rows[local]
    return picked


def _evaluate_block(
    m: Marks,
    entry: NDArray[np.int32],
    as_of: dt.date,
    options: Options,
    out: _Outputs,
    first: int,
    rows: slice | NDArray[np.int64],
) -> None:
    """Every per-student result of one block of students (their marks in *m*), into *out*."""
    n = len(entry)
    at = slice(first, first + n)
    order = _order(m)
    extra = np.zeros(len(m), dtype=bool)
    if options.pass_credit_2020:
        extra = m.usable & (m.letter == PASS) & (m.year >= 2019) & (m.year <= 2020)
    pre = _Rows(m, n, extra)

    chosen, ignored = _resolve(m, order, m.usable, latest=False)
    full = _ag_credit(pre, chosen, extra)
    upto: dict[int, NDArray[np.bool_]] = {}
    pace: dict[int, _Credit] = {}
    today = day(as_of)
    due = {
        grade: (entry >= 0) & (today > _june30_after(entry.astype(np.int64) + grade - 9))
        for grade in (9, 10, 11)
    }
    chosen11 = chosen
    for grade in (11, 10, 9):
        if grade != 11 and not due[grade].any():
            continue
        upto[grade] = m.usable & (m.grade <= grade)
        picked, _ = _resolve(m, order, upto[grade], latest=False)
        pace[grade] = _ag_credit(pre, picked, extra & upto[grade])
        if grade == 11:
            chosen11 = picked
    before12 = pace[11]
    req = REQUIRED_UNITS
    short = (full.credit < req).astype(np.int64)
    area_bits = (short * (1 << np.arange(7))).sum(axis=1)
    d = full.disciplines
    has_a = _has_discipline(m, n, _A)
    has_d = _has_discipline(m, n, _D)
    us_bad = has_a & ((d[:, US] < 1) | (d[:, US] + np.minimum(d[:, CIVICS], 1) < 2))
    world_bad = has_a & (d[:, WORLD] < 2)
    two_bad = has_d & (((d[:, BIO] >= 2).astype(int) + (d[:, CHEM] >= 2) + (d[:, PHYS] >= 2)) < 2)
    bio_phys_bad = has_d & ((d[:, BIO] < 2) | (d[:, CHEM] + d[:, PHYS] + d[:, EARTH] < 2))
    common = area_bits | np.where(us_bad, AgReason.A_US_HISTORY, 0)
    out.uc_reasons[at] = (
        common
        | np.where(world_bad, AgReason.A_WORLD_HISTORY, 0)
        | np.where(two_bad, AgReason.D_TWO_DISCIPLINES, 0)
        | np.where(before12.capped < 22, AgReason.UC_11_BEFORE_12, 0)
    )
    out.csu_reasons[at] = common | np.where(bio_phys_bad, AgReason.D_BIOLOGICAL_PHYSICAL, 0)
    out.years[at] = full.credit
    out.credit_before_12[at] = before12.capped
    out.uncleared[at] = full.uncleared

    gpa = _gpas(m, order, n, options.csu_grade10_honors_cap, chosen11, upto[11])
    for name in _GPA_NAMES:
        out.gpa[name][at] = gpa[name]

    for k, grade in enumerate((9, 10, 11)):
        if grade not in pace or not due[grade].any():
            continue
        ok = (pace[grade].capped >= _PACE[grade]) & (pace[grade].uncleared == 0)
        out.on_track[at, k] = np.where(due[grade], ok, -1)

    passed_college = np.flatnonzero(chosen & m.college & (m.letter <= C))
    out.college_courses[at] = np.bincount(m.student[passed_college], minlength=n)
    out.school[at] = _latest_school(m, n)
    out.short_college[
        _global(rows, np.flatnonzero(m.usable & m.college & ~m.college_full & (m.area >= 0)))
    ] = True
    out.ignored_repeats[_global(rows, ignored)] = True


def _latest_school(m: Marks, n: int) -> NDArray[np.int32]:
    """Each student's school: that of their latest usable mark (the highest code on a tie), or -1."""
    rows = np.flatnonzero(m.usable & (m.school >= 0))
    latest = np.full(n, np.iinfo(np.int32).min, dtype=np.int32)
    np.maximum.at(latest, m.student[rows], m.end[rows])
    at_latest = rows[m.end[rows] == latest[m.student[rows]]]
    school = np.full(n, -1, dtype=np.int32)
    np.maximum.at(school, m.student[at_latest], m.school[at_latest])
    return school


def _has_discipline(m: Marks, n: int, area: int) -> NDArray[np.bool_]:
    """Rule 1.8's trigger: some mark of the area (whatever its grade) carries an ``ag_discipline``."""
    rows = m.valid & (m.area == area) & (m.discipline >= 0)
    out: NDArray[np.bool_] = np.bincount(m.student[rows], minlength=n) > 0
    return out
