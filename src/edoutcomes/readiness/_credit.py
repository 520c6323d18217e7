"""
a-g credit in the four attempt sets at once: marks up to grade 9, 10, 11, and all of them.

A mark's membership of the sets is a 4-bit code (bit *k*: in set *k*). An attempt that is its
course slot's only one is in every set from its grade's on; an attempt of a repeated slot in
the sets where rule 1.5 picks it. Each sum per group (student x area, student x level,
language x level) is then one ``np.bincount`` over (group, code), turned into the four sets'
sums by one product with the codes' bits; every rule after that (validation, the best
language, roll-over, caps) works on arrays with a set axis. Half-years throughout: exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._groups import run_ends, run_starts
from ._prepare import REQUIRED_UNITS, C, D, Marks

__all__ = ["FULL", "SETS", "Choices", "Credit", "CreditRows", "ag_credit", "choices"]

_A, _C, _D, _E, _G = 0, 2, 3, 4, 6
#: The attempt sets: up to grade 9, 10, 11 (the pace indicators, 11-before-12) and all.
SETS = 4
FULL = SETS - 1
_SET_GRADES = (9, 10, 11)
#: Key spaces up to this size are found distinct by a dense count, larger ones by a sort.
_DENSE_LIMIT = 1 << 20
#: The sets a mark of each grade is in from its grade on (index = grade; -1, unknown, last).
_FROM_GRADE = np.array([15] * 10 + [14, 12, 8, 0], dtype=np.uint8)
#: The first set of each 4-bit code, and whether the code is that set and every later one.
_FIRST = np.array([0] + [(c & -c).bit_length() - 1 for c in range(1, 16)], dtype=np.int64)
_FROM_ON = np.array([c > 0 and c == (15 << int(_FIRST[c])) & 15 for c in range(16)])
#: The set a code's units are counted in first (then summed on), or SETS (a row left out)
#: for a code counted set by set or in none.
_COUNTED_IN = np.where(_FROM_ON, _FIRST, SETS).astype(np.intp)
_COUNTED_IN_32 = _COUNTED_IN.astype(np.int32)
#: Cells below this are counted with 32-bit keys (half the memory traffic of 64-bit ones).
_SMALL_CELLS = np.iinfo(np.int32).max // (SETS + 1)


@frozen(eq=False)
class Choices:
    """The attempts rule 1.5 counts: a code per mark (bit *k*: chosen in set *k*)."""

    bits: NDArray[np.uint8]
    ignored: NDArray[np.int64]  # rows of the full set ignored because the first attempt passed
    latest11: NDArray[np.int64]  # the latest attempt of each repeated slot up to grade 11


def _pick(
    m: Marks, sel: NDArray[np.int64], *, latest: bool = False, skipped: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """
    Among the attempts *sel* of repeated slots (in rule 1.5's order), the one each slot counts.

    The first attempt if it passed, else the latest (the latest always with *latest*); with
    *skipped*, also the later attempts ignored because the first passed.
    """
    if not len(sel):
        return sel, sel
    slot = m.slot.take(sel)
    starts = run_starts([slot])
    ends = run_ends(starts)
    last = np.extract(ends, sel)
    if latest:
        return last, sel[:0]
    first = np.extract(starts, sel)
    first_passed = m.letter.take(first) <= C
    chosen = last + first_passed * (first - last)
    if not skipped:
        return chosen, sel[:0]
    group = np.cumsum(starts) - 1
    return chosen, np.extract(first_passed.take(group) & ~starts, sel)


def choices(m: Marks, order: NDArray[np.int64]) -> Choices:
    """Each attempt set's chosen attempts; *order* holds the repeated slots' attempts sorted."""
    # _FROM_GRADE by arithmetic (a gather is slower): every set from the grade's on; a
    # single attempt always has a grade (7-12), so the table's -1 entry is never needed.
    shift = np.clip(m.grade, 9, 12).astype(np.uint8) - np.uint8(9)
    bits = ((np.uint8(15) << shift) & np.uint8(15)) * m.single
    grade = m.grade.take(order)
    ignored = order[:0]
    latest11 = order[:0]
    for k in range(SETS):
        if k == FULL:
            picked, ignored = _pick(m, order, skipped=True)
        else:
            sel = np.extract(grade <= _SET_GRADES[k], order)
            picked, _ = _pick(m, sel)
            if _SET_GRADES[k] == 11:
                latest11, _ = _pick(m, sel, latest=True)
        bits[picked] |= np.uint8(1 << k)
    return Choices(bits=bits, ignored=ignored, latest11=latest11)


@frozen(eq=False)
class _Levelled:
    """Rows of one area by group (student, or student x language) and sequence level."""

    rows: NDArray[np.int64]
    cell: NDArray[np.int64]  # group * width + level rank (0: no level; 1.. the levels present)
    units: NDArray[np.float64]
    n_groups: int
    width: int
    levels: NDArray[np.int64]  # the level of each rank, -1 for rank 0


def _levelled(
    m: Marks, rows: NDArray[np.int64], groups: NDArray[np.int64], n_groups: int
) -> _Levelled:
    level = m.level.take(rows)
    shifted = level.astype(np.int64) + 128
    present = np.bincount(np.extract(level >= 1, shifted), minlength=256) > 0
    rank = np.cumsum(present) * present
    width = int(present.sum()) + 1
    return _Levelled(
        rows=rows,
        cell=groups * width + rank.take(shifted),
        units=m.units.take(rows).astype(np.float64),
        n_groups=n_groups,
        width=width,
        levels=np.concatenate([[-1], np.flatnonzero(present) - 128]).astype(np.int64),
    )


def _set_sums(
    cell: NDArray[np.int64] | NDArray[np.int32],
    code: NDArray[np.uint8],
    units: NDArray[np.float64],
    size: int,
) -> NDArray[np.int64]:
    """
    Units per (set, cell) of rows with their cell (in ``[0, size)``), set code and units.

    A code that is a set and every later one (a slot's only attempt) is counted in its first
    set and summed on; the few others (repeated slots) are counted in each of their sets.
    """
    small = size < _SMALL_CELLS and cell.dtype == np.int32
    counted_in = (_COUNTED_IN_32 if small else _COUNTED_IN).take(code)
    key = counted_in * counted_in.dtype.type(size) + cell
    # One row more than the sets: the units of the codes not counted this way, dropped.
    sums = np.bincount(key, units, minlength=(SETS + 1) * size)[: SETS * size]
    sums = sums.reshape(SETS, size)
    for k in range(1, SETS):
        sums[k] += sums[k - 1]
    other = np.flatnonzero((counted_in == SETS) & (code > 0))
    if len(other):
        member = (code.take(other)[:, None] >> np.arange(SETS, dtype=np.uint8)) & 1
        rows, sets = np.nonzero(member)
        at = other.take(rows)
        sums += np.bincount(
            sets * size + cell.take(at), units.take(at), minlength=SETS * size
        ).reshape(SETS, size)
    out: NDArray[np.int64] = sums.astype(np.int64)
    return out


def _validate(
    lv: _Levelled, code: NDArray[np.uint8]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Per set and group: passed half-years, credit after validation (rule 1.6), top level."""
    u = _set_sums(lv.cell, code.take(lv.rows), lv.units, lv.n_groups * lv.width)
    u = u.reshape(SETS, lv.n_groups, lv.width)
    # Levels are few: a pass per level (a reduction over a short last axis is slow).
    passed = u[:, :, 0].copy()
    rank = np.zeros_like(passed)
    top_units = np.zeros_like(passed)
    for r in range(1, lv.width):
        at_r = u[:, :, r]
        passed += at_r
        has = at_r > 0
        # The highest rank with units: ranks ascend, so the last one seen wins.
        rank = np.where(has, r, rank)
        top_units = np.where(has, at_r, top_units)
    if lv.width == 1:
        return passed, passed, np.full_like(passed, -1)
    levelled = passed - u[:, :, 0]
    top = lv.levels.take(rank)
    validated = np.maximum(2 * (top - 1) + top_units, levelled) + (passed - levelled)
    return passed, np.where(top >= 1, validated, passed), top


def _distinct(keys: NDArray[np.int64], size: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct *keys* (in ``[0, size)``), sorted, and each key's index among them."""
    if size > max(_DENSE_LIMIT, 4 * len(keys)):
        found, inverse = np.unique(keys, return_inverse=True)
        return found, inverse.ravel().astype(np.int64)
    present = np.bincount(keys, minlength=size) > 0
    index = np.cumsum(present) - 1
    return np.flatnonzero(present), index.take(keys)


class CreditRows:
    """What every attempt set reads: the earning marks and the c, e, discipline and D/F rows."""

    def __init__(self, m: Marks, n: int, extra: NDArray[np.bool_]) -> None:
        self.n = n
        grade, area, letter, student = m.grade, m.area, m.letter, m.student
        early = (grade >= 7) & (grade <= 8) & ((area == _C) | (area == _E)) & m.hs_accepted
        capable = (area >= 0) & ((grade >= 9) | early) & (student >= 0)
        has_units = m.units > 0
        #: Marks that earn years when chosen: capable, passing, at least half a year.
        self.earning = capable & (letter <= C) & has_units
        extra = extra & capable & has_units
        #: Extra passing marks (the 2020 exception) count in every set from their grade's on.
        self.extra: NDArray[np.uint8] | None = None
        if extra.any():
            self.extra = np.take(_FROM_GRADE, grade) * extra
        counting = self.earning | extra
        # Area x student of each mark that can count (0 for the others, which never count).
        key_type = np.int32 if 8 * n < _SMALL_CELLS else np.int64
        area_key: NDArray[Any] = area.astype(key_type)
        self.key = (area_key * key_type(n) + student) * capable
        self.units = m.units.astype(np.float64)
        c = np.flatnonzero(counting & (area == _C))
        self.c = _levelled(m, c, student.take(c).astype(np.int64), n)
        e = np.flatnonzero(counting & (area == _E))
        width = int(m.language.max(initial=-1)) + 2
        e_key, e_group = _distinct(
            student.take(e).astype(np.int64) * width + m.language.take(e) + 1, n * width
        )
        self.e = _levelled(m, e, e_group, len(e_key))
        self.group_student = e_key // width
        first = run_starts([self.group_student])
        self.group_starts = np.flatnonzero(first)
        self.group_sizes = np.diff(np.append(self.group_starts, len(e_key)))
        disc = m.discipline
        own = counting & (disc >= 0) & (((area == _A) & (disc <= 3)) | ((area == _D) & (disc >= 4)))
        self.d = np.flatnonzero(own)
        self.d_key = student.take(self.d).astype(np.int64) * 8 + disc.take(self.d)
        self.d_units = m.units.take(self.d).astype(np.float64)
        self.f = np.flatnonzero(m.attempts & capable & (letter >= D))
        self.f_stu = student.take(self.f).astype(np.int64)
        f_area = area.take(self.f)
        self.f_level = m.level.take(self.f).astype(np.int64)
        self.f_c = f_area == _C
        # The language group of each D/F language mark (-1: no counting mark of that language).
        self.f_group = np.full(len(self.f), -1, dtype=np.int64)
        lang = np.flatnonzero(f_area == _E)
        if len(lang) and len(e_key):
            f_key = self.f_stu.take(lang) * width + m.language.take(self.f.take(lang)) + 1
            pos = np.minimum(np.searchsorted(e_key, f_key), len(e_key) - 1)
            self.f_group[lang] = np.where(e_key.take(pos) == f_key, pos, -1)


@frozen(eq=False)
class Credit:
    """a-g credit of every student in each attempt set (the set first)."""

    credit: NDArray[np.int64]  # (sets, 7, n) half-years
    capped: NDArray[np.int64]  # (sets, n)
    uncleared: NDArray[np.int64]  # (sets, n)
    disciplines: NDArray[np.int64]  # (n, 8) half-years of the full set: a's from a, d's from d


def ag_credit(pre: CreditRows, bits: NDArray[np.uint8]) -> Credit:
    """a-g credit per set, student and area from the chosen attempts (*bits*) and extra marks."""
    n = pre.n
    counted = bits * pre.earning
    if pre.extra is not None:
        counted |= pre.extra
    # (set, area, student): each area's figures are one contiguous row.
    passed = _set_sums(pre.key, counted, pre.units, 8 * n).reshape(SETS, 8, n)[:, :7]
    required = REQUIRED_UNITS[:, None]
    credit = passed.copy()
    roll = np.maximum(passed - required, 0)

    _, c_credit, c_top = _validate(pre.c, counted)
    credit[:, _C] = c_credit
    roll[:, _C] = np.minimum(passed[:, _C], np.maximum(c_credit - required[_C], 0))

    g_passed, g_credit, g_top = _validate(pre.e, counted)
    # The best language: most credit, then fewest passed years (the most validated). Groups
    # are in student order, so the best score per student is a reduceat over their groups;
    # languages tied on both give the same figures, so any of them will do.
    e_credit = np.zeros((SETS, n), dtype=np.int64)
    e_passed = np.zeros((SETS, n), dtype=np.int64)
    if pre.e.n_groups:
        score = g_credit * 1024 - g_passed
        top_score = np.maximum.reduceat(score, pre.group_starts, axis=1)
        sets, best = np.nonzero(score == np.repeat(top_score, pre.group_sizes, axis=1))
        students = pre.group_student.take(best)
        e_credit[sets, students] = g_credit[sets, best]
        e_passed[sets, students] = g_passed[sets, best]
    credit[:, _E] = e_credit
    roll[:, _E] = np.minimum(e_passed, np.maximum(e_credit - required[_E], 0)) + (
        passed[:, _E] - e_passed
    )

    roll[:, _G] = 0
    credit[:, _G] = passed[:, _G] + roll.sum(axis=1)
    capped = np.minimum(credit, required).sum(axis=1)
    in_d = np.flatnonzero(counted.take(pre.d) & np.uint8(1 << FULL))
    disciplines = (
        np.bincount(pre.d_key.take(in_d), pre.d_units.take(in_d), minlength=n * 8)
        .astype(np.int64)
        .reshape(n, 8)
    )
    return Credit(credit, capped, _uncleared(pre, bits, c_top, g_top), disciplines)


def _uncleared(
    pre: CreditRows, bits: NDArray[np.uint8], c_top: NDArray[np.int64], g_top: NDArray[np.int64]
) -> NDArray[np.int64]:
    """D/F attempts per set and student that count: not cleared by a repeat or by validation."""
    f_bits = bits.take(pre.f)
    picked = np.flatnonzero(f_bits)
    member = ((f_bits.take(picked)[:, None] >> np.arange(SETS, dtype=np.uint8)) & 1).astype(bool)
    stu = pre.f_stu.take(picked)
    level = pre.f_level.take(picked)
    # Cleared: a lower level of c, or of the same language, than the highest one passed.
    cleared = np.zeros(member.shape, dtype=bool)
    c = np.flatnonzero(pre.f_c.take(picked) & (level >= 1))
    if len(c):
        cleared[c] = level.take(c)[:, None] < c_top[:, stu.take(c)].T
    group = pre.f_group.take(picked)
    lang = np.flatnonzero((group >= 0) & (level >= 1))
    if len(lang):
        cleared[lang] = level.take(lang)[:, None] < g_top[:, group.take(lang)].T
    counts = (member & ~cleared).astype(np.float64)
    # A count per set (the attempts are few): no row list of the (attempt, set) pairs.
    out: NDArray[np.int64] = np.stack(
        [np.bincount(stu, counts[:, k], minlength=pre.n) for k in range(SETS)]
    ).astype(np.int64)
    return out
