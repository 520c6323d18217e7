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

from .._kernel._suppression import Relations, suppress
from ..model import CollegeControl, CollegeType, Table
from ._engine import Measures, gather
from ._graduates import Graduates

__all__ = ["ALL", "SPLITS", "Cells", "Grid", "assemble_grid", "build_grid", "count_cells"]

ALL = "ALL"
"""
The label of account-level rows (every high school) and of every-class rows.

Examples:
    >>> from edoutcomes.highschool import high_school_outcomes
    >>> from edoutcomes.synth import synthetic_high_schools
    >>> hs = synthetic_high_schools(20, class_years=(2019,), n_high_schools=2, seed=3)
    >>> high_school_outcomes(hs.columns, as_of=hs.as_of).kpis().keys
    (('ALL', 2019), ('144190', 2019), ('597089', 2019))
"""

#: The breakdown columns' suffixes, in layout order, by family.
SPLITS: dict[str, tuple[str, ...]] = {
    "level": ("4yr", "2yr", "lt2yr"),
    "control": ("public", "private"),
    "state": ("in_state", "out_of_state"),
}
_SPLIT_NAMES = tuple(s for family in SPLITS.values() for s in family)
_LEVEL_CODES = (
    CollegeType.FOUR_YEAR.code,
    CollegeType.TWO_YEAR.code,
    CollegeType.LESS_THAN_TWO_YEAR.code,
)
_CONTROL_CODES = (CollegeControl.PUBLIC.code, CollegeControl.PRIVATE.code)

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

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> grid = outcomes.grid()
        >>> grid.keys[:3], grid.measures[:2]
        ((('ALL', 2019), ('ALL', 2020), ('ALL', 'ALL')), ('graduates', 'enrolled_fall'))
        >>> int(grid.counts[0, grid.column("graduates")]), grid.suppress_below
        (20, None)
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


def _state_lut(table: Table, name: str, space: dict[str, int], *, add: bool) -> NDArray[np.int32]:
    """
    The state code of each of the column's categories (last slot: a missing value, -1).

    States are stripped and upper-cased into one code *space*, so ``OR`` and ``or`` are one
    code on both sides: blank is -1; a state not in the space is added (*add*, the high
    schools' states) or -2 (a college state no student has).
    """
    out = []
    for value in table.categories[name].tolist():
        text = str(value).strip().upper()
        if not text:
            out.append(-1)
        elif add:
            out.append(space.setdefault(text, len(space)))
        else:
            out.append(space.get(text, -2))
    return np.array([*out, -1], dtype=np.int32)


@frozen(eq=False)
class _Colleges:
    """Per student, the college of one record as the breakdowns see it (all 0 without one)."""

    #: 1 4-year, 2 2-year, 3 less-than-2-year, 0 other.
    level: NDArray[np.int8]
    #: 1 public, 2 private, 0 other.
    control: NDArray[np.int8]
    #: 1 in the student's high-school state, 2 out of it, 0 unknown.
    state: NDArray[np.int8]


_LEVEL_LUT = np.zeros(len(CollegeType.by_code()) + 1, dtype=np.int8)
_LEVEL_LUT[[c + 1 for c in _LEVEL_CODES]] = (1, 2, 3)
_CONTROL_LUT = np.zeros(len(CollegeControl.by_code()) + 1, dtype=np.int8)
_CONTROL_LUT[[c + 1 for c in _CONTROL_CODES]] = (1, 2)


def _colleges(
    table: Table,
    record: NDArray[np.int32],
    hs_state: NDArray[np.int32],
    state_lut: NDArray[np.int32],
) -> _Colleges:
    ctype = gather(table.data["college_type"], record, -1).astype(np.intp)
    control = gather(table.data["college_control"], record, -1).astype(np.intp)
    college_state = state_lut[gather(table.data["college_state"], record, -1)]
    known = hs_state >= 0
    # A college state no high school has can never be "in state"; unknown if missing.
    inside = known & (college_state >= 0) & (college_state == hs_state)
    outside = known & (college_state != -1) & (college_state != hs_state)
    state = np.where(inside, 1, np.where(outside, 2, 0)).astype(np.int8)
    return _Colleges(_LEVEL_LUT[ctype + 1], _CONTROL_LUT[control + 1], state)


#: Each breakdown as a test on the college's codes.
_SPLIT_TESTS: dict[str, tuple[str, int]] = {
    "4yr": ("level", 1),
    "2yr": ("level", 2),
    "lt2yr": ("level", 3),
    "public": ("control", 1),
    "private": ("control", 2),
    "in_state": ("state", 1),
    "out_of_state": ("state", 2),
}
#: The sizes of the college axes of a cube.
_COLLEGE_AXES = (("level", 4), ("control", 3), ("state", 3))


@frozen(eq=False)
class _Cube:
    """
    Counts of students per group and combination of a few small codes (the cube's axes).

    Every count column of one family is a sum of some of its cells, so one ``np.bincount``
    counts them all.
    """

    names: tuple[str, ...]
    counts: NDArray[np.int64]  # (groups, cells)
    coords: dict[str, NDArray[np.int64]]  # each axis' value at each cell

    def count(self, **tests: int | tuple[int, ...]) -> NDArray[np.int64]:
        """Per group, the students whose codes pass every test (a value or a set of values)."""
        keep = np.ones(self.counts.shape[1], dtype=bool)
        for axis, wanted in tests.items():
            keep &= np.isin(self.coords[axis], wanted)
        out: NDArray[np.int64] = self.counts[:, keep].sum(axis=1)
        return out


def _cube(
    group: NDArray[np.int64], n_groups: int, axes: list[tuple[str, NDArray[np.integer], int]]
) -> _Cube:
    """Count the students of each group (``n_groups``: none) per combination of the *axes*' codes."""
    sizes = [size for _, _, size in axes]
    cell = group.copy()
    for _, values, size in axes:
        cell *= size
        cell += values
    width = int(np.prod(sizes))
    members = group < n_groups
    counts = np.bincount(cell[members], minlength=n_groups * width).reshape(n_groups, width)
    grid = np.indices(sizes).reshape(len(sizes), -1)
    coords = {name: grid[i] for i, (name, _, _) in enumerate(axes)}
    return _Cube(tuple(coords), counts, coords)


#: Availability of a column: always, the fall window closed, or at least so many college
#: years over.
_ALWAYS = -(1 << 30)
_FALL = _ALWAYS + 1


def _counts(
    graduates: Graduates, m: Measures, group: NDArray[np.int64], n_groups: int
) -> list[tuple[str, NDArray[np.int64], int]]:
    """
    Every count column: name, count per group, and the years over (or :data:`_ALWAYS`,
    :data:`_FALL`) that make it available.

    The breakdowns follow the college that defines each measure: the fall college, the
    year-1 college (first-year enrollment, persistence, retention), the first degree's college.
    """
    cols = graduates.columns
    n_years, n_progress = m.windows.completion_years, m.windows.progress_years
    space: dict[str, int] = {}
    hs_lut = _state_lut(cols.students, "high_school_state", space, add=True)
    hs_state = hs_lut[cols.students.data["high_school_state"]]
    e_lut = _state_lut(cols.enrollments, "college_state", space, add=False)
    d_lut = _state_lut(cols.degrees, "college_state", space, add=False)

    def college_axes(c: _Colleges) -> list[tuple[str, NDArray[np.integer], int]]:
        values = {"level": c.level, "control": c.control, "state": c.state}
        return [(name, values[name], size) for name, size in _COLLEGE_AXES]

    def flag(values: NDArray[np.bool_]) -> NDArray[np.int8]:
        return values.view(np.int8)

    fall = _cube(
        group,
        n_groups,
        [
            ("fall", flag(m.fall), 2),
            *college_axes(_colleges(cols.enrollments, m.fall_record, hs_state, e_lut)),
        ],
    )
    years = _cube(
        group,
        n_groups,
        [
            ("year1", flag(m.in_year(1)), 2),
            ("year2", flag(m.in_year(2)), 2),
            ("retained", flag(m.retained), 2),
            *college_axes(_colleges(cols.enrollments, m.year1_record, hs_state, e_lut)),
        ],
    )
    first = np.minimum(m.first_degree_year, n_progress + 1).astype(np.int8)
    degree = _cube(
        group,
        n_groups,
        [
            ("first", first, n_progress + 2),
            ("four", flag(m.first_four_year <= n_years), 2),
            ("two", flag(m.first_two_year <= n_years), 2),
            *college_axes(_colleges(cols.degrees, m.first_degree_record, hs_state, d_lut)),
        ],
    )
    done = tuple(range(n_years + 1))
    out = [
        ("graduates", fall.count(), _ALWAYS),
        ("enrolled_fall", fall.count(fall=1), _FALL),
        ("enrolled_year1", years.count(year1=1), 1),
        ("enrolled_first_two_years", years.count() - years.count(year1=0, year2=0), 2),
        ("persisted", years.count(year1=1, year2=1), 2),
        ("retained", years.count(year1=1, retained=1), 2),
        (f"completed_{n_years}yr", degree.count(first=done), n_years),
        (f"completed_{n_years}yr_4year", degree.count(first=done, four=1), n_years),
        (f"completed_{n_years}yr_2year", degree.count(first=done, four=0, two=1), n_years),
    ]
    families: list[tuple[str, _Cube, dict[str, int | tuple[int, ...]], int]] = [
        ("enrolled_fall", fall, {"fall": 1}, _FALL),
        ("enrolled_year1", years, {"year1": 1}, 1),
        ("persisted", years, {"year1": 1, "year2": 1}, 2),
        ("retained", years, {"year1": 1, "retained": 1}, 2),
        (f"completed_{n_years}yr", degree, {"first": done}, n_years),
    ]
    for prefix, cube, tests, need in families:
        for split in _SPLIT_NAMES:
            axis, value = _SPLIT_TESTS[split]
            out.append((f"{prefix}_{split}", cube.count(**tests, **{axis: value}), need))
    for k in range(n_progress + 1):
        out.append((f"first_degree_in_year_{k}", degree.count(first=k), k))
    return out


def _relations(
    grid_shape: tuple[int, int, int],
    measures: tuple[str, ...],
    counts: NDArray[np.int64],
    *,
    n_years: int,
    total_column: bool,
) -> Relations:
    """
    Every additive relation of the grid (see :class:`Relation`), in suppression's order.

    Each high school over the high schools' rows (the ``ALL`` row its total), per class and
    measure; then each class over the classes (the ``ALL`` column), per row and measure; then
    per (high school, class) each total over its breakdown (a family), skipped where the
    total is not available, its remainder the total less its available parts.
    """
    n_hs, n_cls, n_m = grid_shape  # including the ALL row and the ALL column
    index = {m: i for i, m in enumerate(measures)}
    cell = np.arange(n_hs * n_cls * n_m, dtype=np.intp).reshape(n_hs, n_cls, n_m)
    blocks = [Relations.block(cell[0], cell[1:].transpose(1, 2, 0))]
    if total_column:
        last = n_cls - 1
        blocks.append(Relations.block(cell[:, last], cell[:, :last].transpose(0, 2, 1)))
    done = f"completed_{n_years}yr"
    families: list[tuple[str, tuple[str, ...]]] = [
        (prefix, tuple(f"{prefix}_{s}" for s in family))
        for prefix in ("enrolled_fall", "enrolled_year1", "persisted", "retained", done)
        for family in SPLITS.values()
    ]
    families.append((done, (f"{done}_4year", f"{done}_2year")))
    families.append((done, tuple(f"first_degree_in_year_{k}" for k in range(n_years + 1))))
    flat = counts.reshape(n_hs * n_cls, n_m)
    per_family: list[Relations] = []
    for total, parts in families:
        columns = [index[p] for p in parts]
        shown = np.where(flat[:, columns] >= 0, flat[:, columns], 0).sum(axis=1)
        per_family.append(
            Relations.block(
                cell[:, :, index[total]],
                cell[:, :, columns],
                flat[:, index[total]] - shown,
            )
        )
    # In order of (high school, class), then family; where the total is available.
    order = np.arange(n_hs * n_cls * len(families)).reshape(len(families), -1).T.reshape(-1)
    totals = np.concatenate([flat[:, index[total]] for total, _ in families])[order]
    grouped = Relations.concat(per_family).take(order[totals >= 0])
    return Relations.concat([*blocks, grouped])


@frozen(eq=False)
class Cells:
    """
    The counts of one partition of students per (high school, class), before the grid.

    Counts add up over partitions of students (by high-school code and class year), and
    availability is a property of the class, so the grid of the whole input is
    :func:`assemble_grid` of the summed cells.

    Attributes:
        high_schools: The partition's high schools (``Graduates.high_schools``).
        classes: The partition's class years.
        measures: The count columns.
        need: Per count column, the years over (or the fall) that make it available.
        counts: ``int64`` (high schools, classes, measures).
        years_over: College years over of each class.
        fall_over: Whether the fall window of each class has closed.
    """

    high_schools: tuple[str, ...]
    classes: tuple[int, ...]
    measures: tuple[str, ...]
    need: NDArray[np.int64] = field(repr=False)
    counts: NDArray[np.int64] = field(repr=False)
    years_over: NDArray[np.int32] = field(repr=False)
    fall_over: NDArray[np.bool_] = field(repr=False)


def count_cells(
    graduates: Graduates, m: Measures, *, subset: NDArray[np.bool_] | None = None
) -> Cells:
    """Count every measure of the students with a class (in *subset*) per (high school, class)."""
    classes = graduates.classes
    n_hs, n_cls = len(graduates.high_schools), len(classes)
    members = m.has_class.copy()
    if subset is not None:
        members &= subset
    low = classes[0] if classes else 0
    cls_lut = np.zeros(max(classes, default=0) - low + 1, dtype=np.int64)
    cls_lut[[c - low for c in classes]] = np.arange(n_cls)
    cls_index = cls_lut[np.where(m.has_class, m.class_year - low, 0)]
    width = n_hs * n_cls
    group = graduates.high_school.astype(np.int64) * n_cls + cls_index
    group[~members] = width
    columns = _counts(graduates, m, group, width)
    names = tuple(name for name, _, _ in columns)
    per = np.stack([count for _, count, _ in columns], axis=1).reshape(n_hs, n_cls, len(names))
    # Availability is a property of the class: any member of the class tells.
    first_of_class = np.zeros(n_cls, dtype=np.int64)
    all_class = np.flatnonzero(m.has_class)
    first_of_class[cls_index[all_class][::-1]] = all_class[::-1]
    return Cells(
        graduates.high_schools,
        classes,
        names,
        np.array([n for _, _, n in columns], dtype=np.int64),
        per.astype(np.int64),
        m.years_over[first_of_class].astype(np.int32),
        m.fall_over[first_of_class].astype(bool),
    )


def assemble_grid(
    cells: Cells,
    *,
    completion_years: int,
    suppress_below: int | None = None,
    class_totals: bool = True,
) -> Grid:
    """
    The grid of *cells*: availability, the ``ALL`` rows and columns, then suppression.

    Rows: for ``ALL`` then each high school, one row per class year and (with
    *class_totals*) one ``ALL`` row over the classes for which the measure is available.
    The ``ALL`` high-school rows add up the high schools.
    """
    n_hs, n_cls = len(cells.high_schools), len(cells.classes)
    names, per, need = cells.measures, cells.counts, cells.need
    over = cells.years_over.astype(np.int64)
    available = np.where(need == _FALL, cells.fall_over[:, None], over[:, None] >= need[None, :])
    counts = np.zeros((n_hs + 1, n_cls + 1, len(names)), dtype=np.int64)
    counts[1:, :n_cls] = np.where(available[None], per, -1)
    counts[0, :n_cls] = np.where(available, per.sum(axis=0), -1)
    usable = counts[:, :n_cls]
    total = np.where(usable >= 0, usable, 0).sum(axis=1)
    some_class: NDArray[np.bool_] = np.any(available, axis=0)
    counts[:, n_cls] = np.where(some_class[None], total, -1)
    keep_cls = list(range(n_cls)) + ([n_cls] if class_totals and n_cls else [])
    counts = counts[:, keep_cls, :]
    n_cls_kept = len(keep_cls)
    hs_labels = [ALL, *cells.high_schools]
    cls_labels: list[int | str] = [*cells.classes, ALL]
    keys: list[RowKey] = [(hs_labels[h], cls_labels[c]) for h in range(n_hs + 1) for c in keep_cls]
    reasons = np.zeros(counts.shape, dtype=np.int8)
    if suppress_below is not None:
        relations = _relations(
            (n_hs + 1, n_cls_kept, len(names)),
            names,
            counts,
            n_years=completion_years,
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


def build_grid(
    graduates: Graduates,
    m: Measures,
    *,
    subset: NDArray[np.bool_] | None = None,
    suppress_below: int | None = None,
    class_totals: bool = True,
) -> Grid:
    """
    Count every measure for each (high school, class) and the ``ALL`` rows (see :func:`assemble_grid`).

    The one-partition case of :func:`count_cells` then :func:`assemble_grid`.
    """
    return assemble_grid(
        count_cells(graduates, m, subset=subset),
        completion_years=m.windows.completion_years,
        suppress_below=suppress_below,
        class_totals=class_totals,
    )
