"""
What a high-school partial counts beyond everyone's cells: a subset, each value of an
attribute, the high schools' names, and how counts of partitions add up on one grid.

Counts are per (high school, class) of the partition (:class:`Cells`); :class:`Layout`
is the grid of every partition's high schools and classes, and :meth:`Layout.add` sums
any partials' counts on it, so a subset's or a group's grid has the rows of everyone's
(as one process gives them: the rows come from every student, the counts from some).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from ..errors import InvalidArgumentError
from ..model import Kind
from ._engine import Measures
from ._graduates import Graduates, factorise_text, school_names
from ._grid import Cells, count_cells
from ._reports import left_out_counts

__all__ = [
    "MAX_ATTRIBUTE_VALUES",
    "AttributeCounts",
    "Counted",
    "Layout",
    "attribute_counts",
    "best_names",
    "name_counts",
    "subset_of_partition",
    "trend_candidates",
]

#: At most this many distinct values make a text column a filter of the trends page unless
#: it is asked for.
MAX_ATTRIBUTE_VALUES = 20
#: Words in a column name that mark it as personal: never offered as a filter by itself.
_PERSONAL = ("name", "birth", "ssn", "address", "phone", "email", "_id", "zip")


@frozen(eq=False)
class Counted:
    """The counts of some students of a partition: the cells and the left-out per high school."""

    cells: Cells = field(repr=False)
    left_out: NDArray[np.int64] = field(repr=False)


def counted(graduates: Graduates, m: Measures, mask: NDArray[np.bool_] | None) -> Counted:
    """The counts of the students of *mask* (every student when None)."""
    return Counted(count_cells(graduates, m, subset=mask), left_out_counts(graduates, subset=mask))


@frozen(eq=False)
class AttributeCounts:
    """
    One student attribute's groups in a partition: each value's counts.

    Attributes:
        name: The students column.
        kind: ``text``, ``bool`` or ``other`` (dates, codes, numbers).
        keys: Each value's sort key (the text; 0 for True, 1 for False; the stored number):
            values of every partition are listed in this order, then None.
        values: The values some student of the partition has.
        counts: Each value's counts.
        missing: The counts of the students without a value (None when every one has one).
        too_many: More distinct values than the trends page offers (only its default
            filters are cut short: no counts then).
    """

    name: str
    kind: str
    keys: tuple[Any, ...]
    values: tuple[object, ...]
    counts: tuple[Counted, ...] = field(repr=False)
    missing: Counted | None = field(repr=False)
    too_many: bool = False


def _codes_and_keys(
    graduates: Graduates, name: str
) -> tuple[str, NDArray[np.int32], list[object], list[Any]]:
    """The column's kind, each student's value code (-1 none), the values and their sort keys."""
    table = graduates.columns.students
    kind = table.column(name).kind
    codes, values = graduates.attribute(name)
    if kind is Kind.TEXT:
        return "text", codes, values, list(values)
    if kind is Kind.BOOL:
        return "bool", codes, values, [0, 1]
    raw = table.data[name]
    distinct, first = np.unique(raw, return_index=True)
    shown = table.take(first).values(name)
    keys = [k for k, v in zip(distinct.tolist(), shown, strict=True) if v is not None]
    return "other", codes, values, keys


def attribute_counts(
    graduates: Graduates, m: Measures, name: str, *, limit: int | None = None
) -> AttributeCounts:
    """The counts of each value of *name* (with *limit*, none for a text column with more values)."""
    kind, codes, values, keys = _codes_and_keys(graduates, name)
    present = np.zeros(len(values), dtype=bool)
    if len(values):
        present[np.unique(codes[codes >= 0])] = True
    at = np.flatnonzero(present).tolist()
    if limit is not None and kind == "text" and len(at) > limit:
        return AttributeCounts(name, kind, (), (), (), None, too_many=True)
    missing = codes < 0
    return AttributeCounts(
        name,
        kind,
        tuple(keys[i] for i in at),
        tuple(values[i] for i in at),
        tuple(counted(graduates, m, codes == i) for i in at),
        counted(graduates, m, missing) if bool(missing.any()) else None,
    )


def trend_candidates(graduates: Graduates) -> list[str]:
    """
    The students columns the trends page may offer by default: gender, race/ethnicity and
    every other Y/N or text column (never a name, id, birth date or address); the page
    keeps those with some value (a text column: at most :data:`MAX_ATTRIBUTE_VALUES`).
    """
    students = graduates.columns.students
    out: list[str] = []
    for name in ("gender", "race_ethnicity", *(c.name for c in students.extras)):
        if name in out or name == "high_school_name" or any(w in name for w in _PERSONAL):
            continue
        if students.column(name).kind in (Kind.TEXT, Kind.BOOL):
            out.append(name)
    return out


def name_counts(graduates: Graduates) -> tuple[tuple[str, str, int], ...]:
    """How many students give each (high school, ``high_school_name``) pair."""
    students = graduates.columns.students
    if "high_school_name" not in students.names:
        return ()
    if students.column("high_school_name").kind is not Kind.TEXT:
        return ()
    names, values = factorise_text(students, "high_school_name")
    school = graduates.high_school.astype(np.int64)
    given = names >= 0
    width = len(values) + 1
    pairs = school[given] * width + names[given]
    keys, counts = np.unique(pairs, return_counts=True)
    out = []
    for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
        s, name = divmod(int(key), width)
        out.append((graduates.high_schools[s], str(values[name]), int(count)))
    return tuple(out)


def best_names(pairs: Sequence[tuple[str, str, int]]) -> dict[str, str]:
    """Each high school's name: the one most students give, then the first in alphabetical order."""
    totals: dict[tuple[str, str], int] = {}
    for school, name, count in pairs:
        totals[(school, name)] = totals.get((school, name), 0) + count
    best: dict[str, tuple[int, str]] = {}
    for (school, name), count in totals.items():
        if school not in best or (-count, name) < (-best[school][0], best[school][1]):
            best[school] = (count, name)
    return {school: name for school, (_, name) in best.items()}


def subset_of_partition(
    subset: Any, graduates: Graduates, rows: NDArray[np.int64]
) -> tuple[NDArray[np.bool_], frozenset[str]]:
    """
    The partition's students of a query's *subset* (a mask over the whole input, or
    requester ids), and the ids of the subset found in the partition.

    Raises:
        InvalidArgumentError: If a mask is shorter than the partition's rows need.
    """
    if isinstance(subset, np.ndarray):
        if len(rows) and int(rows.max()) >= len(subset):
            msg = f"subset mask has shape {subset.shape}, but a partition holds student row {int(rows.max())}"
            raise InvalidArgumentError(msg)
        return subset[rows], frozenset()
    students = graduates.columns.students
    wanted = set(subset)
    ids = students.categories["requester_id"].tolist()
    picked = np.array([c in wanted for c in ids] + [False], dtype=bool)
    codes = students.data["requester_id"]
    mask: NDArray[np.bool_] = picked[codes]
    used = np.zeros(len(ids) + 1, dtype=bool)
    used[codes] = True
    hits = np.flatnonzero(picked[:-1] & used[:-1]).tolist()
    return mask, frozenset(str(ids[i]) for i in hits)


@frozen(eq=False)
class Layout:
    """
    The grid of every partition's high schools and classes, with availability per class.

    Attributes:
        high_schools: Every partition's high schools (``UNKNOWN`` last when some student has none).
        classes: Every partition's class years.
        measures, need: As every partition's cells have them.
        years_over, fall_over: Availability of each class (a property of the class).
    """

    high_schools: tuple[str, ...]
    classes: tuple[int, ...]
    measures: tuple[str, ...]
    need: NDArray[np.int64] = field(repr=False)
    years_over: NDArray[np.int32] = field(repr=False)
    fall_over: NDArray[np.bool_] = field(repr=False)

    def add(self, parts: Sequence[Counted]) -> Counted:
        """The counts of *parts* (of any partitions) added up on this grid."""
        school_at = {name: i for i, name in enumerate(self.high_schools)}
        class_at = {year: i for i, year in enumerate(self.classes)}
        shape = (len(self.high_schools), len(self.classes), len(self.measures))
        counts = np.zeros(shape, dtype=np.int64)
        left = np.zeros(len(self.high_schools), dtype=np.int64)
        for part in parts:
            cells = part.cells
            h = np.array([school_at[name] for name in cells.high_schools], dtype=np.intp)
            c = np.array([class_at[year] for year in cells.classes], dtype=np.intp)
            counts[np.ix_(h, c)] += cells.counts
            left[h] += part.left_out
        cells = Cells(
            self.high_schools,
            self.classes,
            self.measures,
            self.need,
            counts,
            self.years_over,
            self.fall_over,
        )
        return Counted(cells, left)


def layout_of(everyone: Sequence[Cells], codes: Sequence[str], missing_code: bool) -> Layout:
    """The grid of partitions whose everyone-cells are *everyone* (their high-school *codes*)."""
    schools = school_names(list(codes), missing=missing_code)
    classes = tuple(sorted({c for cells in everyone for c in cells.classes}))
    class_at = {year: i for i, year in enumerate(classes)}
    years_over = np.zeros(len(classes), dtype=np.int32)
    fall_over = np.zeros(len(classes), dtype=bool)
    for cells in everyone:
        c = np.array([class_at[year] for year in cells.classes], dtype=np.intp)
        years_over[c] = cells.years_over
        fall_over[c] = cells.fall_over
    first = everyone[0]
    return Layout(schools, classes, first.measures, first.need, years_over, fall_over)
