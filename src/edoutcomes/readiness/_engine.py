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
from collections.abc import Mapping
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel import day, school_year_start
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
    F,
    Marks,
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
    marks: Marks
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
    ignored_repeats: NDArray[np.bool_] = field(repr=False)
    short_college: NDArray[np.bool_] = field(repr=False)

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
    """Marks by (course slot, term end, row): the attempt order of rule 1.5, computed once."""
    idx = np.flatnonzero(m.usable & (m.letter <= F))
    if not len(idx):
        return idx.astype(np.int64)
    slot = m.slot[idx]
    end = m.end[idx].astype(np.int64)
    end = end - end.min()
    width = int(end.max()) + 1
    if int(slot.max()) < (1 << 62) // width:
        # One stable sort of a packed key: equal keys keep row order (the later row is later).
        key = slot * width + end
        return idx[np.argsort(key, kind="stable")]
    return idx[np.lexsort((idx, end, slot))]


def _resolve(
    m: Marks, order: NDArray[np.int64], subset: NDArray[np.bool_], *, latest: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """
    The attempt that counts in each course slot (rule 1.5), among the attempts in *subset*.

    Returns the chosen rows and the rows ignored because an earlier first attempt passed.
    """
    sel = order[subset[order]]
    if not len(sel):
        return sel, sel
    slot = m.slot[sel]
    change = slot[1:] != slot[:-1]
    starts = np.concatenate([[True], change])
    ends = np.concatenate([change, [True]])
    first = sel[starts]
    last = sel[ends]
    if latest:
        return last, sel[:0]
    first_passed = m.letter[first] <= C
    chosen = np.where(first_passed, first, last)
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


def _credit_capable(m: Marks, rows: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Rule 1.3: grades 9-12, or a grade 7-8 c or e course the high school accepts."""
    grade = m.grade[rows]
    area = m.area[rows]
    early = (grade >= 7) & (grade <= 8) & ((area == _C) | (area == _E)) & m.hs_accepted[rows]
    out: NDArray[np.bool_] = (area >= 0) & ((grade >= 9) | early)
    return out


def _ag_credit(
    m: Marks,
    chosen: NDArray[np.int64],
    n: int,
    extra_passing: NDArray[np.int64],
) -> _Credit:
    """a-g credit per student and area from the chosen attempts (plus *extra_passing* marks)."""
    capable = _credit_capable(m, chosen)
    passing = chosen[capable & (m.letter[chosen] <= C)]
    rows = np.concatenate([passing, extra_passing[_credit_capable(m, extra_passing)]])
    rows = rows[m.units[rows] > 0]
    stu = m.student[rows].astype(np.int64)
    area = m.area[rows].astype(np.int64)
    units = m.units[rows]
    level = m.level[rows].astype(np.int64)
    passed = np.bincount(stu * 7 + area, units, minlength=n * 7).astype(np.int64).reshape(n, 7)
    credit = passed.copy()
    validated = np.zeros((n, 7), dtype=np.int64)
    roll = np.maximum(passed - REQUIRED_UNITS, 0)

    is_c = area == _C
    c_passed, c_credit, c_top = _validated(stu[is_c], level[is_c], units[is_c], n)
    credit[:, _C] = c_credit
    validated[:, _C] = c_credit - c_passed
    roll[:, _C] = np.minimum(c_passed, np.maximum(c_credit - REQUIRED_UNITS[_C], 0))

    is_e = area == _E
    e_stu = stu[is_e]
    languages = m.language[rows][is_e].astype(np.int64) + 1
    e_key, e_group = np.unique(
        e_stu * (int(m.language.max(initial=-1)) + 2) + languages, return_inverse=True
    )
    e_group = e_group.ravel()
    n_groups = len(e_key)
    g_passed, g_credit, g_top = _validated(e_group, level[is_e], units[is_e], n_groups)
    group_student = np.zeros(n_groups, dtype=np.int64)
    group_student[e_group] = e_stu
    # The best language: most credit, then fewest passed years (the most validated).
    best_order = np.lexsort((g_passed, -g_credit, group_student))
    best_first = np.ones(n_groups, dtype=bool)
    best_first[1:] = group_student[best_order][1:] != group_student[best_order][:-1]
    best = best_order[best_first]
    e_credit = np.zeros(n, dtype=np.int64)
    e_best_passed = np.zeros(n, dtype=np.int64)
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
    failed = chosen[capable & (m.letter[chosen] >= D) & (m.letter[chosen] <= F)]
    f_stu = m.student[failed].astype(np.int64)
    f_area = m.area[failed]
    f_level = m.level[failed].astype(np.int64)
    cleared = (f_area == _C) & (f_level >= 1) & (f_level < c_top[f_stu])
    in_e = np.flatnonzero(f_area == _E)
    if len(in_e) and n_groups:
        f_key = f_stu[in_e] * (int(m.language.max(initial=-1)) + 2) + (
            m.language[failed[in_e]].astype(np.int64) + 1
        )
        pos = np.minimum(np.searchsorted(e_key, f_key), n_groups - 1)
        known = e_key[pos] == f_key
        cleared[in_e] = known & (f_level[in_e] >= 1) & (f_level[in_e] < g_top[pos])
    uncleared = np.bincount(f_stu[~cleared], minlength=n).astype(np.int64)

    disc = m.discipline[rows].astype(np.int64)
    own = (disc >= 0) & (((area == _A) & (disc <= 3)) | ((area == _D) & (disc >= 4)))
    disciplines = (
        np.bincount(stu[own] * 8 + disc[own], units[own], minlength=n * 8)
        .astype(np.int64)
        .reshape(n, 8)
    )
    return _Credit(credit, capped, uncleared, disciplines, validated)


def _gpas(m: Marks, order: NDArray[np.int64], n: int, cap10: int) -> dict[str, NDArray[np.int64]]:
    """UC, CSU and Cal Grant GPAs in hundredths (-1 without window grades) and their counts."""
    upto11 = m.usable & (m.grade <= 11)
    chosen, _ = _resolve(m, order, upto11, latest=False)
    summer = m.term[chosen] == SUMMER
    grade = m.grade[chosen]
    window = (m.area[chosen] >= 0) & np.where(
        summer, (grade >= 9) & (grade <= 11), (grade >= 10) & (grade <= 11)
    )
    rows = chosen[window]
    stu = m.student[rows].astype(np.int64)
    letter = m.letter[rows].astype(np.int64)
    points = 4 - letter
    college = m.college[rows]
    semesters = np.where(m.term[rows] == YEAR, 2, 1)
    uc_grades = np.where(college, 1, semesters)
    csu_grades = np.where(college, 2, semesters)
    honors = (letter <= C) & (m.honors[rows] | college)
    tenth = m.grade[rows] <= 10

    def total(
        weights: NDArray[np.int64], mask: NDArray[np.bool_] | None = None
    ) -> NDArray[np.int64]:
        w = weights if mask is None else weights * mask
        return np.bincount(stu, w, minlength=n).astype(np.int64)

    uc_g = total(uc_grades)
    csu_g = total(csu_grades)
    uc_p = total(points * uc_grades)
    csu_p = total(points * csu_grades)
    h10 = total(uc_grades, honors & tenth)
    h11 = total(uc_grades, honors & ~tenth)
    c10 = total(csu_grades, honors & tenth)
    c11 = total(csu_grades, honors & ~tenth)

    def truncated(num: NDArray[np.int64], den: NDArray[np.int64]) -> NDArray[np.int64]:
        out: NDArray[np.int64] = np.where(den > 0, 100 * num // np.maximum(den, 1), -1)
        return out

    latest, _ = _resolve(m, order, upto11, latest=True)
    cg_grade = m.grade[latest]
    cg = latest[m.academic[latest] & (cg_grade >= 10) & (cg_grade <= 11)]
    cg_stu = m.student[cg].astype(np.int64)
    cg_weight = np.where(m.term[cg] == YEAR, 2, 1)
    cg_g = np.bincount(cg_stu, cg_weight, minlength=n).astype(np.int64)
    cg_p = np.bincount(cg_stu, (4 - m.letter[cg].astype(np.int64)) * cg_weight, minlength=n)
    cg_p = cg_p.astype(np.int64)
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
    m = prepare_marks(data, as_of)
    n = data.n_students
    order = _order(m)
    extra = np.zeros(0, dtype=np.int64)
    if options.pass_credit_2020:
        extra = np.flatnonzero(
            m.usable & (m.letter == PASS) & (m.year >= 2019) & (m.year <= 2020)
        ).astype(np.int64)

    chosen, ignored = _resolve(m, order, m.usable, latest=False)
    full = _ag_credit(m, chosen, n, extra)
    before12 = _ag_credit(
        m,
        _resolve(m, order, m.usable & (m.grade <= 11), latest=False)[0],
        n,
        extra[m.grade[extra] <= 11],
    )
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
    uc = (
        common
        | np.where(world_bad, AgReason.A_WORLD_HISTORY, 0)
        | np.where(two_bad, AgReason.D_TWO_DISCIPLINES, 0)
        | np.where(before12.capped < 22, AgReason.UC_11_BEFORE_12, 0)
    ).astype(np.int64)
    csu = (common | np.where(bio_phys_bad, AgReason.D_BIOLOGICAL_PHYSICAL, 0)).astype(np.int64)

    gpa = _gpas(m, order, n, options.csu_grade10_honors_cap)

    entry_days = data.students.data["grade9_entry_date"]
    entry = school_year_start(entry_days)
    on_track = np.full((n, 3), -1, dtype=np.int8)
    today = day(as_of)
    for k, grade in enumerate((9, 10, 11)):
        due = (entry >= 0) & (today > _june30_after(entry.astype(np.int64) + grade - 9))
        if not due.any():
            continue
        pace = _ag_credit(
            m,
            _resolve(m, order, m.usable & (m.grade <= grade), latest=False)[0],
            n,
            extra[m.grade[extra] <= grade],
        )
        ok = (pace.capped >= _PACE[grade]) & (pace.uncleared == 0)
        on_track[:, k] = np.where(due, ok, -1)

    passed_college = chosen[m.college[chosen] & (m.letter[chosen] <= C)]
    college_courses = np.bincount(m.student[passed_college], minlength=n).astype(np.int64)
    short_college = m.usable & m.college & ~m.college_full & (m.area >= 0)
    ignored_mask = np.zeros(len(m), dtype=bool)
    ignored_mask[ignored] = True
    return Readiness(
        data=data,
        as_of=as_of,
        options=options,
        marks=m,
        years=full.credit,
        uc_met=uc == 0,
        csu_met=csu == 0,
        uc_reasons=uc,
        csu_reasons=csu,
        credit_before_12=before12.capped,
        uncleared=full.uncleared,
        uc_unweighted=gpa["uc_unweighted"],
        uc_capped=gpa["uc_capped"],
        uc_fully_weighted=gpa["uc_fully_weighted"],
        csu_gpa=gpa["csu"],
        calgrant_gpa=gpa["calgrant"],
        gpa_grades=gpa["grades"],
        calgrant_grades=gpa["calgrant_grades"],
        honors_points=gpa["honors"],
        on_track=on_track,
        entry_year=entry,
        college_courses=college_courses,
        ignored_repeats=ignored_mask,
        short_college=short_college,
    )


def _has_discipline(m: Marks, n: int, area: int) -> NDArray[np.bool_]:
    """Rule 1.8's trigger: some mark of the area (whatever its grade) carries an ``ag_discipline``."""
    rows = m.valid & (m.area == area) & (m.discipline >= 0)
    out: NDArray[np.bool_] = np.bincount(m.student[rows], minlength=n) > 0
    return out
