"""
The count grid behind every aggregate report: rows (high school, class), one column per count.

Every report (KPIs, Enrollment, Persistence/Retention, Completers) reads its cells from one
grid, so one suppression pattern covers all of them: a count hidden in one file is hidden
in every file that shows it.
"""

from __future__ import annotations

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._suppression import Relation, suppress
from ..model import CollegeControl, CollegeType, Table
from ._engine import Measures, gather
from ._graduates import Graduates, factorise_text

__all__ = ["ALL", "SPLITS", "Grid", "build_grid"]

#: The label of account-level rows (every high school) and of every-class rows.
ALL = "ALL"

#: The breakdown columns' suffixes, in layout order, by family.
SPLITS: dict[str, tuple[str, ...]] = {
    "level": ("4yr", "2yr", "lt2yr"),
    "control": ("public", "private"),
    "state": ("in_state", "out_of_state"),
}
_SPLIT_NAMES = tuple(s for family in SPLITS.values() for s in family)
_TYPES = tuple(CollegeType)
_CONTROLS = tuple(CollegeControl)
_LEVEL_CODES = (
    _TYPES.index(CollegeType.FOUR_YEAR),
    _TYPES.index(CollegeType.TWO_YEAR),
    _TYPES.index(CollegeType.LESS_THAN_TWO_YEAR),
)
_CONTROL_CODES = (_CONTROLS.index(CollegeControl.PUBLIC), _CONTROLS.index(CollegeControl.PRIVATE))

RowKey = tuple[str, int | str]


@frozen(eq=False)
class Grid:
    """
    Counts per (high school or ``ALL``, class year or ``ALL``) and measure.

    Attributes:
        keys: The rows: ``(high_school_code, class_year)``.
        measures: The count columns.
        counts: ``int64`` (rows, measures); -1 where the measure is not available.
        reasons: ``int8`` :class:`Suppression` of every cell.
        suppress_below: The threshold used, None when suppression is off.
    """

    keys: tuple[RowKey, ...]
    measures: tuple[str, ...]
    counts: NDArray[np.int64] = field(repr=False)
    reasons: NDArray[np.int8] = field(repr=False)
    suppress_below: int | None = None
    _index: dict[str, int] = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {m: i for i, m in enumerate(self.measures)})

    def column(self, measure: str) -> int:
        """The grid column of *measure*."""
        return self._index[measure]


def _state_ids(graduates: Graduates, table: Table) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """
    High-school state of each student and college state of each record, in one code space.

    The space is of upper-cased states, so ``OR`` and ``or`` are one code on both sides and
    each student's own state compares with their college's (-1: missing; -2: a college
    state no student has).
    """
    students = graduates.columns.students
    hs_codes, hs_values = factorise_text(students, "high_school_state")
    space: dict[str, int] = {}
    hs_lut = np.array(
        [space.setdefault(str(v).upper(), len(space)) for v in hs_values] + [-1], dtype=np.int32
    )
    college_codes, college_values = factorise_text(table, "college_state")
    lut = np.array([space.get(str(v).upper(), -2) for v in college_values] + [-1], dtype=np.int32)
    return hs_lut[hs_codes].astype(np.int32), lut[college_codes].astype(np.int32)


def _split_flags(
    graduates: Graduates, table: Table, record: NDArray[np.int32], state: NDArray[np.int32]
) -> dict[str, NDArray[np.bool_]]:
    """Per student: level, control and in-state flags of the college at *record* (-1: none)."""
    has = record >= 0
    ctype = gather(table.data["college_type"], record, -1)
    control = gather(table.data["college_control"], record, -1)
    college_state = gather(state, record, -1)
    hs_state, _ = _state_ids(graduates, table)
    known = (college_state >= 0) & (hs_state >= 0)
    out = {
        "4yr": ctype == _LEVEL_CODES[0],
        "2yr": ctype == _LEVEL_CODES[1],
        "lt2yr": ctype == _LEVEL_CODES[2],
        "public": control == _CONTROL_CODES[0],
        "private": control == _CONTROL_CODES[1],
        # A college state no high school has can never be "in state"; unknown if missing.
        "in_state": known & (college_state == hs_state),
        "out_of_state": (college_state != -1) & (hs_state >= 0) & (college_state != hs_state),
    }
    return {k: v & has for k, v in out.items()}


def measure_columns(
    graduates: Graduates, m: Measures
) -> list[tuple[str, NDArray[np.bool_], NDArray[np.bool_]]]:
    """
    Every count column: name, per-student flag, per-student availability (by class).

    The breakdowns follow the college that defines each measure: the fall college, the
    year-1 college (first-year enrollment, persistence, retention), the first degree's college.
    """
    cols = graduates.columns
    n_years = m.windows.completion_years
    has = m.has_class
    over = m.years_over
    fall = m.fall
    year1 = m.in_year(1)
    persisted = year1 & m.in_year(2)
    retained = year1 & m.retained
    completed = m.first_degree_year <= n_years
    four = m.first_four_year <= n_years
    two = (m.first_two_year <= n_years) & ~four
    _, e_state = _state_ids(graduates, cols.enrollments)
    _, d_state = _state_ids(graduates, cols.degrees)
    fall_split = _split_flags(graduates, cols.enrollments, m.fall_record, e_state)
    year1_split = _split_flags(graduates, cols.enrollments, m.year1_record, e_state)
    degree_split = _split_flags(graduates, cols.degrees, m.first_degree_record, d_state)
    fall_ok = m.fall_over
    year1_ok = has & (over >= 1)
    year2_ok = has & (over >= 2)
    done_ok = has & (over >= n_years)
    out: list[tuple[str, NDArray[np.bool_], NDArray[np.bool_]]] = [
        ("graduates", has, has),
        ("enrolled_fall", fall, fall_ok),
        ("enrolled_year1", year1, year1_ok),
        ("enrolled_first_two_years", year1 | m.in_year(2), year2_ok),
        ("persisted", persisted, year2_ok),
        ("retained", retained, year2_ok),
        (f"completed_{n_years}yr", completed, done_ok),
        (f"completed_{n_years}yr_4year", completed & four, done_ok),
        (f"completed_{n_years}yr_2year", completed & two, done_ok),
    ]
    for prefix, flag, ok, split in (
        ("enrolled_fall", fall, fall_ok, fall_split),
        ("enrolled_year1", year1, year1_ok, year1_split),
        ("persisted", persisted, year2_ok, year1_split),
        ("retained", retained, year2_ok, year1_split),
        (f"completed_{n_years}yr", completed, done_ok, degree_split),
    ):
        out += [(f"{prefix}_{s}", flag & split[s], ok) for s in _SPLIT_NAMES]
    out.append(("first_degree_in_year_0", m.first_degree_year == 0, has & (over >= 0)))
    for k in range(1, m.windows.progress_years + 1):
        out.append((f"first_degree_in_year_{k}", m.first_degree_year == k, has & (over >= k)))
    return out


def _relations(
    grid_shape: tuple[int, int, int],
    measures: tuple[str, ...],
    counts: NDArray[np.int64],
    *,
    n_years: int,
    total_column: bool,
) -> list[Relation]:
    """Every additive relation of the grid (see :class:`Relation`)."""
    n_hs, n_cls, n_m = grid_shape  # including the ALL row and the ALL column
    index = {m: i for i, m in enumerate(measures)}

    def cell(h: int, c: int, m: int) -> int:
        return (h * n_cls + c) * n_m + m

    out: list[Relation] = []
    for c in range(n_cls):
        for m in range(n_m):
            out.append(Relation(cell(0, c, m), tuple(cell(h, c, m) for h in range(1, n_hs))))
    if total_column:
        last = n_cls - 1
        for h in range(n_hs):
            for m in range(n_m):
                out.append(Relation(cell(h, last, m), tuple(cell(h, c, m) for c in range(last))))
    families: list[tuple[str, tuple[str, ...]]] = []
    for prefix in (
        "enrolled_fall",
        "enrolled_year1",
        "persisted",
        "retained",
        f"completed_{n_years}yr",
    ):
        for family in SPLITS.values():
            families.append((prefix, tuple(f"{prefix}_{s}" for s in family)))
    done = f"completed_{n_years}yr"
    families.append((done, (f"{done}_4year", f"{done}_2year")))
    families.append((done, tuple(f"first_degree_in_year_{k}" for k in range(n_years + 1))))
    flat = counts.ravel()
    for h in range(n_hs):
        for c in range(n_cls):
            for total, parts in families:
                t = cell(h, c, index[total])
                ps = tuple(cell(h, c, index[p]) for p in parts)
                if flat[t] < 0:
                    continue
                remainder = int(flat[t] - sum(int(flat[p]) for p in ps if flat[p] >= 0))
                out.append(Relation(t, ps, remainder))
    return out


def build_grid(
    graduates: Graduates,
    m: Measures,
    *,
    subset: NDArray[np.bool_] | None = None,
    suppress_below: int | None = None,
    class_totals: bool = True,
) -> Grid:
    """
    Count every measure for each (high school, class) and the ``ALL`` rows.

    Rows: for ``ALL`` then each high school, one row per class year and (with
    *class_totals*) one ``ALL`` row over the classes for which the measure is available.
    The ``ALL`` high-school rows add up the high schools.
    """
    columns = measure_columns(graduates, m)
    classes = graduates.classes
    n_hs, n_cls = len(graduates.high_schools), len(classes)
    members = m.has_class.copy()
    if subset is not None:
        members &= subset
    cls_index = np.searchsorted(np.array(classes, dtype=np.int32), m.class_year)
    group = (graduates.high_school.astype(np.int64) * n_cls + cls_index)[members]
    width = n_hs * n_cls
    names = tuple(name for name, _, _ in columns)
    counts = np.zeros((n_hs + 1, n_cls + 1, len(names)), dtype=np.int64)
    class_rows = np.flatnonzero(members)
    # Availability is a property of the class: any member of the class tells.
    first_of_class = np.full(n_cls, -1, dtype=np.int64)
    all_class = np.flatnonzero(m.has_class)
    first_of_class[cls_index[all_class][::-1]] = all_class[::-1]
    for j, (_, flag, ok) in enumerate(columns):
        per = np.bincount(group[flag[class_rows]], minlength=width).reshape(n_hs, n_cls)
        counts[1:, :n_cls, j] = per
        available = np.array(
            [bool(ok[i]) if i >= 0 else False for i in first_of_class.tolist()], dtype=bool
        )
        counts[1:, :n_cls, j][:, ~available] = -1
        counts[0, :n_cls, j] = np.where(available, per.sum(axis=0), -1)
        usable = counts[:, :n_cls, j]
        total = np.where(usable >= 0, usable, 0).sum(axis=1)
        counts[:, n_cls, j] = total if available.any() else -1
    keep_cls = list(range(n_cls)) + ([n_cls] if class_totals and n_cls else [])
    counts = counts[:, keep_cls, :]
    n_cls_kept = len(keep_cls)
    keys: list[RowKey] = []
    hs_labels = [ALL, *graduates.high_schools]
    cls_labels: list[int | str] = [*classes, ALL]
    for h in range(n_hs + 1):
        for c in keep_cls:
            keys.append((hs_labels[h], cls_labels[c]))
    reasons = np.zeros(counts.shape, dtype=np.int8)
    if suppress_below is not None:
        relations = _relations(
            (n_hs + 1, n_cls_kept, len(names)),
            names,
            counts,
            n_years=m.windows.completion_years,
            total_column=n_cls_kept > n_cls,
        )
        reasons = suppress(counts, relations, below=suppress_below)
    return Grid(
        tuple(keys),
        names,
        counts.reshape(-1, len(names)),
        reasons.reshape(-1, len(names)),
        suppress_below,
    )
