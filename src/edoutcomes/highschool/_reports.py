"""The aggregate reports: KPIs, Enrollment, Persistence/Retention, Completers, top colleges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport
from .._kernel._groups import run_lengths, run_places, run_starts
from .._kernel._optional import require
from .._kernel._rates import rate
from .._kernel._suppression import Relation, Suppression, suppress
from .._kernel._ties import break_ties, remaining_keys, remaining_values
from ..errors import InvalidArgumentError
from ..model import CollegeControl, CollegeType
from ._engine import Measures
from ._graduates import Graduates
from ._grid import ALL, SPLITS, Grid

__all__ = [
    "HIDDEN",
    "LEFT_OUT_COLUMNS",
    "TOP_COLLEGES_COLUMNS",
    "Cell",
    "LeftOutReport",
    "OutcomeReport",
    "TopColleges",
    "TopCollegesReport",
    "assemble_left_out",
    "college_candidates",
    "completers_layout",
    "enrollment_layout",
    "kpi_layout",
    "left_out_counts",
    "persistence_layout",
    "rate",
    "top_colleges",
    "top_colleges_report",
    "top_from_candidates",
]

HIDDEN = "*"
"""
How a hidden (suppressed) count is written.

Examples:
    >>> Cell(3, True, Suppression.SMALL_COUNT).shown == HIDDEN
    True
"""

_SPLIT_NAMES = tuple(s for family in SPLITS.values() for s in family)

#: A column after the two key columns: ``("count", measure)`` or ``("rate", count, denominator)``.
Spec = tuple[str, ...]


#: Enrolled in college year 1 or 2 (no breakdown by college), in the KPIs and the Enrollment report.
_FIRST_TWO_YEARS: tuple[Spec, ...] = (
    ("count", "enrolled_first_two_years"),
    ("rate", "enrolled_first_two_years", "graduates", "enrolled_first_two_years_rate"),
)


def kpi_layout(n_years: int = 6) -> tuple[Spec, ...]:
    """The KPI file's columns after ``high_school_code, class_year``."""
    done = f"completed_{n_years}yr"
    return (
        ("count", "graduates"),
        ("count", "enrolled_fall"),
        ("rate", "enrolled_fall", "graduates", "enrolled_fall_rate"),
        ("count", "enrolled_year1"),
        ("rate", "enrolled_year1", "graduates", "enrolled_year1_rate"),
        *_FIRST_TWO_YEARS,
        ("count", "persisted"),
        ("rate", "persisted", "enrolled_year1", "persistence_rate"),
        ("count", "retained"),
        ("rate", "retained", "enrolled_year1", "retention_rate"),
        ("count", done),
        ("rate", done, "graduates", f"completion_{n_years}yr_rate"),
    )


def enrollment_layout() -> tuple[Spec, ...]:
    """The Enrollment report's columns after the keys."""
    base = (("count", "graduates"), ("count", "enrolled_fall"), ("count", "enrolled_year1"))
    return (
        base
        + _FIRST_TWO_YEARS
        + tuple(("count", f"enrolled_fall_{s}") for s in _SPLIT_NAMES)
        + tuple(("count", f"enrolled_year1_{s}") for s in _SPLIT_NAMES)
    )


def persistence_layout() -> tuple[Spec, ...]:
    """The Persistence/Retention report's columns after the keys (splits by the year-1 college)."""
    base = (("count", "enrolled_year1"), ("count", "persisted"), ("count", "retained"))
    return base + tuple(
        ("count", f"{prefix}_{s}")
        for prefix in ("enrolled_year1", "persisted", "retained")
        for s in _SPLIT_NAMES
    )


def completers_layout(n_years: int = 6, progress_years: int = 8) -> tuple[Spec, ...]:
    """The Completers report's columns after the keys."""
    done = f"completed_{n_years}yr"
    return (
        ("count", "graduates"),
        ("count", done),
        ("count", f"{done}_4year"),
        ("count", f"{done}_2year"),
        *(("count", f"first_degree_in_year_{k}") for k in range(1, progress_years + 1)),
    )


def _spec_name(spec: Spec) -> str:
    return spec[1] if spec[0] == "count" else spec[3]


@frozen
class Cell:
    """
    One cell of a report: its value, whether it is available, and why it is hidden.

    Attributes:
        value: The count or rate (None when not available, or a rate with a zero denominator).
        available: False when the measure's window has not closed by the as-of date.
        reason: The :class:`Suppression` reason (``NONE`` when published as is).

    Examples:
        >>> Cell(3, True, Suppression.SMALL_COUNT).shown, Cell(None, False, Suppression.NONE).shown
        ('*', None)
    """

    value: int | Decimal | None
    available: bool
    reason: Suppression

    @property
    def shown(self) -> object:
        """What the report writes: the value, ``*`` for a hidden count, None for blank."""
        if not self.available:
            return None
        if self.reason is Suppression.RATE_OF_HIDDEN:
            return None
        if self.reason.hidden:
            return HIDDEN
        return self.value


@frozen(eq=False)
class OutcomeReport(ArrowExport):
    """
    One aggregate report (KPIs, Enrollment, Persistence/Retention or Completers).

    Rows are ``(high_school_code, class_year)`` keys (``ALL`` for the account and for every
    class); columns follow the spec's file layout. Every cell is kept with its
    :class:`Suppression` reason; :meth:`rows` gives what the file shows.

    Attributes:
        name: ``kpis``, ``enrollment``, ``persistence`` or ``completers``.
        grid: The count grid the cells come from.
        specs: Each column after the keys: a count or a rate (count, denominator).
        row_index: The grid rows of this report, in order.
        left_out: Students left out of the class-based reports (no graduation date).
        as_of: The report date.

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> kpis = outcomes.kpis()
        >>> kpis.columns[:5]
        ('high_school_code', 'class_year', 'graduates', 'enrolled_fall', 'enrolled_fall_rate')
        >>> next(kpis.rows())[:5]
        ['ALL', 2019, 20, 6, Decimal('0.3000')]
        >>> outcomes.kpis(suppress_below=10).cell("144190", 2020, "enrolled_fall").shown
        '*'
    """

    _html_rows: ClassVar[bool] = True

    name: str
    grid: Grid = field(repr=False)
    specs: tuple[Spec, ...] = field(repr=False)
    row_index: tuple[int, ...] = field(repr=False)
    left_out: int
    as_of: dt.date

    @property
    def columns(self) -> tuple[str, ...]:
        """The header: ``high_school_code, class_year``, then the layout's columns."""
        return ("high_school_code", "class_year", *(_spec_name(s) for s in self.specs))

    @property
    def keys(self) -> tuple[tuple[str, int | str], ...]:
        """The row keys, in order."""
        return tuple(self.grid.keys[i] for i in self.row_index)

    def __len__(self) -> int:
        return len(self.row_index)

    def _count(self, row: int, measure: str) -> Cell:
        j = self.grid.column(measure)
        value = int(self.grid.counts[row, j])
        reason = Suppression(int(self.grid.reasons[row, j]))
        return Cell(value if value >= 0 else None, value >= 0, reason)

    def _cell(self, row: int, spec: Spec) -> Cell:
        if spec[0] == "count":
            return self._count(row, spec[1])
        count, denominator = self._count(row, spec[1]), self._count(row, spec[2])
        if not (count.available and denominator.available):
            return Cell(None, False, Suppression.NONE)
        assert isinstance(count.value, int)
        assert isinstance(denominator.value, int)
        value = rate(count.value, denominator.value)
        hidden = count.reason.hidden or denominator.reason.hidden
        return Cell(value, True, Suppression.RATE_OF_HIDDEN if hidden else Suppression.NONE)

    def cell(self, high_school: str, class_year: int | str, column: str) -> Cell:
        """
        The cell of one row and column.

        Raises:
            InvalidArgumentError: If the row or the column is not in the report.
        """
        try:
            row = self.keys.index((high_school, class_year))
        except ValueError:
            msg = f"{self.name}: no row ({high_school!r}, {class_year!r})"
            raise InvalidArgumentError(msg) from None
        names = self.columns[2:]
        if column not in names:
            msg = f"{self.name}: no column {column!r}; columns: {', '.join(names)}"
            raise InvalidArgumentError(msg)
        return self._cell(self.row_index[row], self.specs[names.index(column)])

    def cells(self) -> Iterator[tuple[tuple[str, int | str], tuple[Cell, ...]]]:
        """Every row's key and cells."""
        for key, row in zip(self.keys, self.row_index, strict=True):
            yield key, tuple(self._cell(row, spec) for spec in self.specs)

    def rows(self) -> Iterator[list[object]]:
        """The rows as the file shows them: counts, rates, ``*`` when hidden, None when blank."""
        for (school, year), cells in self.cells():
            yield [school, year, *(c.shown for c in cells)]

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows()]

    def to_numpy(self) -> NDArray[np.float64]:
        """The values after the keys as floats (NaN where blank or hidden), shape (rows, columns)."""
        out = np.full((len(self), len(self.specs)), np.nan)
        for i, (_, cells) in enumerate(self.cells()):
            for j, c in enumerate(cells):
                shown = c.shown
                if shown is not None and shown != HIDDEN:
                    out[i, j] = float(shown)  # type: ignore[arg-type]
        return out

    def to_pandas(self) -> Any:
        """The rows as shown (``*`` kept) in a DataFrame (needs pandas)."""
        pandas = require("pandas", feature=f"{self.name} report to_pandas", extra="pandas")
        return pandas.DataFrame(list(self.rows()), columns=list(self.columns))

    def as_table(self) -> OutcomeReport:
        """This report (it is already a report table)."""
        return self


_TYPES = CollegeType.by_code()
_CONTROLS = CollegeControl.by_code()

TOP_COLUMNS = (
    "class_year",
    "rank",
    "institution_code",
    "college_name",
    "college_type",
    "college_control",
    "college_state",
    "students",
)


@frozen(eq=False)
class TopColleges(ArrowExport):
    """
    The institutions most attended per class, by the fall college or the first college.

    Ranked by number of students (each student counts once, at the college the tie rule
    picks), ties by the 6-digit institution code; at most *n* rows per class. With
    suppression, counts below the threshold are written ``*`` (no total is published,
    so no secondary suppression is needed).

    Attributes:
        which: ``fall`` (the fall right after high school) or ``first`` (first attended).
        n: The most rows per class.
        data: The rows (see :attr:`columns`).
        reasons: The suppression reason of each row's count.

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> top = outcomes.top_colleges(n=2)
        >>> top
        TopColleges(which='fall', n=2)
        >>> [(year, rank, code, students) for year, rank, code, *_, students in top.rows()][:3]
        [(2019, 1, '001817', 1), (2019, 2, '002149', 1), (2020, 1, '001817', 5)]
    """

    _html_rows: ClassVar[bool] = True

    which: str
    n: int
    data: tuple[tuple[object, ...], ...] = field(repr=False)
    reasons: tuple[Suppression, ...] = field(repr=False)

    @property
    def name(self) -> str:
        """``top_colleges_fall`` or ``top_colleges_first``."""
        return f"top_colleges_{self.which}"

    @property
    def columns(self) -> tuple[str, ...]:
        """The header."""
        return TOP_COLUMNS

    def __len__(self) -> int:
        return len(self.data)

    def rows(self) -> Iterator[tuple[object, ...]]:
        """The rows, hidden counts written ``*``."""
        for row, reason in zip(self.data, self.reasons, strict=True):
            yield (*row[:-1], HIDDEN) if reason.hidden else row

    def to_numpy(self) -> NDArray[np.int64]:
        """``(class_year, rank, institution, students)`` as integers (-1 for a hidden count)."""
        return np.array(
            [
                (r[0], r[1], int(str(r[2])), -1 if why.hidden else r[-1])
                for r, why in zip(self.data, self.reasons, strict=True)
            ],
            dtype=np.int64,
        ).reshape(-1, 4)

    def to_pandas(self) -> Any:
        """The rows in a DataFrame (needs pandas)."""
        pandas = require("pandas", feature="TopColleges.to_pandas", extra="pandas")
        return pandas.DataFrame(list(self.rows()), columns=list(self.columns))

    def as_table(self) -> TopColleges:
        """This report."""
        return self


def _check_top(which: str, n: int) -> None:
    if which not in ("fall", "first"):
        msg = f"which={which!r} must be 'fall' or 'first'"
        raise InvalidArgumentError(msg)
    if not isinstance(n, int) or n < 1:
        msg = f"{n=} must be a positive whole number"
        raise InvalidArgumentError(msg)


def top_colleges(
    graduates: Graduates,
    m: Measures,
    *,
    which: str = "fall",
    n: int = 25,
    subset: NDArray[np.bool_] | None = None,
    suppress_below: int | None = None,
) -> TopColleges:
    """The top *n* institutions per class (see :class:`TopColleges`)."""
    _check_top(which, n)
    candidates = college_candidates(graduates, m, which=which, subset=subset)
    return top_from_candidates(candidates, which=which, n=n, suppress_below=suppress_below)


#: The columns of a candidate table before the tie rule's remaining fields.
_CANDIDATE_KEYS = ("high_school", "class_year", "institution", "students", "college_code")
#: The college's columns a top-colleges row shows, from the picked record.
_SHOWN = ("college_name", "college_type", "college_control", "college_state")
_TIE_PREFIX = "tie:"


def college_candidates(
    graduates: Graduates,
    m: Measures,
    *,
    which: str = "fall",
    subset: NDArray[np.bool_] | None = None,
) -> Any:
    """
    The institutions attended per (high school, class): a ``pyarrow.Table`` with one row per
    group, its students, and the record the tie rule picks for the institution (the lowest
    college code, then its remaining fields by value) with the values a list shows.

    Candidates of disjoint sets of students (other high schools, other partitions) merge
    into the candidates of their union: :func:`top_from_candidates` adds the students and
    picks the least record by the same rule.
    """
    import pyarrow as pa

    record = m.fall_record if which == "fall" else m.first_record
    members = m.has_class & (record >= 0)
    if which == "fall":
        members &= m.fall_over
    if subset is not None:
        members &= subset
    enr = m.columns.enrollments
    rec = record[members]
    school = graduates.high_school[members].astype(np.int64)
    cls = m.class_year[members].astype(np.int64)
    code = enr.data["college_code"][rec].astype(np.int64)
    inst = code // 100
    key = (school * 10_000 + cls) * 1_000_000 + inst
    rest = remaining_keys(enr, ("requester_id", "college_code"))
    order = break_ties(np.lexsort((code, key)), [key, code], lambda at: rest(rec[at]))
    key_sorted = key[order]
    first = run_starts([key_sorted])
    starts = np.flatnonzero(first)
    at = rec[order[starts]]
    names = np.array([*graduates.high_schools, None], dtype=object)
    columns: dict[str, Any] = {
        "high_school": pa.array(names[school[order[starts]]], pa.string()),
        "class_year": pa.array(cls[order[starts]], pa.int64()),
        "institution": pa.array(inst[order[starts]], pa.int64()),
        "students": pa.array(run_lengths(first), pa.int64()),
        "college_code": pa.array(code[order[starts]], pa.int64()),
    }
    for name, values in remaining_values(enr, ("requester_id", "college_code"), at):
        columns[_TIE_PREFIX + name] = values
    for name in _SHOWN:
        if name in ("college_name", "college_state"):
            columns[name] = pa.array(enr.text(name)[at], pa.string())
        else:
            columns[name] = pa.array(enr.data[name][at].astype(np.int64), pa.int64())
    return pa.table(columns)


def top_from_candidates(
    candidates: Any, *, which: str, n: int = 25, suppress_below: int | None = None
) -> TopColleges:
    """The top *n* institutions per class of the candidates (every high school's, merged)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys: dict[str, Any] = {c: candidates.column(c) for c in _CANDIDATE_KEYS[1:3]}
    keys["college_code"] = candidates.column("college_code")
    for name in candidates.column_names:
        if name.startswith(_TIE_PREFIX):
            # Missing first, as the tie rule ranks it: a presence flag, then the value.
            values = candidates.column(name)
            keys[name + ":present"] = pc.is_valid(values)
            keys[name] = pc.fill_null(values, "" if pa.types.is_string(values.type) else 0)
    order = pc.sort_indices(pa.table(keys), sort_keys=[(c, "ascending") for c in keys])
    table = candidates.take(order)
    cls, inst = table.column("class_year").to_numpy(), table.column("institution").to_numpy()
    starts = np.flatnonzero(run_starts([cls, inst]))
    students = table.column("students").to_numpy()
    counts = np.add.reduceat(students, starts) if len(starts) else students[:0]
    g_cls, g_inst = cls[starts], inst[starts]
    ranking = np.lexsort((g_inst, -counts, g_cls))
    rank = run_places(run_starts([g_cls[ranking]])) + 1
    keep = ranking[rank <= n]
    shown = {name: table.column(name).to_pylist() for name in _SHOWN}
    rows: list[tuple[object, ...]] = []
    reasons: list[Suppression] = []
    for g, r in zip(keep.tolist(), (rank[rank <= n]).tolist(), strict=True):
        at = int(starts[g])
        ctype, control = shown["college_type"][at], shown["college_control"][at]
        count = int(counts[g])
        rows.append(
            (
                int(g_cls[g]),
                r,
                f"{int(g_inst[g]):06d}",
                shown["college_name"][at],
                _TYPES[ctype] if ctype >= 0 else None,
                _CONTROLS[control] if control >= 0 else None,
                shown["college_state"][at],
                count,
            )
        )
        small = suppress_below is not None and count < suppress_below
        reasons.append(Suppression.SMALL_COUNT if small else Suppression.NONE)
    return TopColleges(which, n, tuple(rows), tuple(reasons))


def top_colleges_report(
    high_schools: tuple[str, ...],
    candidates: dict[str, Any],
    *,
    n: int = 25,
    suppress_below: int | None = None,
) -> TopCollegesReport:
    """
    Both lists for the account (``ALL``) and each of *high_schools*, from the candidates
    of every high school (by list, ``fall`` and ``first``).
    """
    import pyarrow.compute as pc

    _check_top("fall", n)
    lists: list[tuple[str, TopColleges]] = []
    for school in (ALL, *high_schools):
        for which in ("fall", "first"):
            table = candidates[which]
            if school != ALL:
                table = table.filter(pc.equal(table.column("high_school"), school))
            top = top_from_candidates(table, which=which, n=n, suppress_below=suppress_below)
            lists.append((school, top))
    return TopCollegesReport(tuple(lists))


#: ``left_out.csv``: how many students each high school (and the account) left out, and why.
LEFT_OUT_COLUMNS = ("high_school_code", "reason", "students")
#: The one reason a student is left out of the class-based reports.
NO_GRADUATION_DATE = "no_graduation_date"


@frozen(eq=False)
class LeftOutReport(ArrowExport):
    """
    How many students were left out of the class-based reports, per high school and ``ALL``.

    Written as ``left_out.csv`` beside the reports (``high_school_code, reason, students``).
    With suppression, a count below the threshold is written ``*`` (and one more where the
    account total would reveal it).

    Attributes:
        data: The rows: ``(high_school_code, reason, students)``.
        reasons: The suppression reason of each row's count.

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.model import CohortColumns, Student
        >>> columns = CohortColumns.from_records([
        ...     Student("1", hs_grad_date=dt.date(2020, 6, 1), high_school_code="123456"),
        ...     Student("2", high_school_code="123456")])
        >>> outcomes = high_school_outcomes(columns, as_of=dt.date(2021, 6, 1))
        >>> report = outcomes.reports().left_out_report
        >>> report.columns, list(report.rows())
        (('high_school_code', 'reason', 'students'), [('ALL', 'no_graduation_date', 1), ('123456', 'no_graduation_date', 1)])
    """

    data: tuple[tuple[str, str, int], ...] = field(repr=False)
    reasons: tuple[Suppression, ...] = field(repr=False)
    name: str = "left_out"

    @property
    def columns(self) -> tuple[str, ...]:
        """The header."""
        return LEFT_OUT_COLUMNS

    def __len__(self) -> int:
        return len(self.data)

    def rows(self) -> Iterator[tuple[object, ...]]:
        """The rows, hidden counts written ``*``."""
        for row, reason in zip(self.data, self.reasons, strict=True):
            yield (*row[:-1], HIDDEN) if reason.hidden else row

    def as_table(self) -> LeftOutReport:
        """This report."""
        return self


def left_out_counts(
    graduates: Graduates, *, subset: NDArray[np.bool_] | None = None
) -> NDArray[np.int64]:
    """Students without a graduation date per high school (of ``graduates.high_schools``)."""
    missing = graduates.class_year < 0
    if subset is not None:
        missing &= subset
    out: NDArray[np.int64] = np.bincount(
        graduates.high_school[missing], minlength=len(graduates.high_schools)
    ).astype(np.int64)
    return out


def assemble_left_out(
    high_schools: tuple[str, ...],
    per_school: NDArray[np.int64],
    *,
    suppress_below: int | None = None,
) -> LeftOutReport:
    """The report of the counts *per_school*: the account (``ALL``) first, then suppression."""
    counts = np.concatenate([[per_school.sum()], per_school]).astype(np.int64)
    labels = (ALL, *high_schools)
    reasons = np.zeros(len(counts), dtype=np.int8)
    if suppress_below is not None:
        relation = Relation(0, tuple(range(1, len(counts))))
        reasons = suppress(counts, [relation], below=suppress_below)
    data = tuple(
        (label, NO_GRADUATION_DATE, int(c))
        for label, c in zip(labels, counts.tolist(), strict=True)
    )
    return LeftOutReport(data, tuple(Suppression(int(r)) for r in reasons))


def left_out_report(
    graduates: Graduates,
    *,
    subset: NDArray[np.bool_] | None = None,
    suppress_below: int | None = None,
) -> LeftOutReport:
    """Students without a graduation date per high school, the account (``ALL``) first."""
    return assemble_left_out(
        graduates.high_schools,
        left_out_counts(graduates, subset=subset),
        suppress_below=suppress_below,
    )


#: ``top_colleges.csv``: both lists, for the account (``ALL``) and each high school.
TOP_COLLEGES_COLUMNS = (
    "high_school_code",
    "class_year",
    "list",
    "rank",
    "institution_code",
    "college_name",
    "college_level",
    "college_control",
    "college_state",
    "students",
)


@frozen(eq=False)
class TopCollegesReport(ArrowExport):
    """
    Every top-colleges list in one file: ``fall`` and ``first``, for ``ALL`` and each high school.

    Written by ``edoutcomes hs-report`` as ``top_colleges.csv``; each list is a
    :class:`TopColleges` (ranked by count, ties by institution code, at most *n* rows per class).

    Attributes:
        lists: ``(high_school_code, TopColleges)`` in file order.

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> report = outcomes.top_colleges_report(n=1)
        >>> report.columns[:4], len(report)
        (('high_school_code', 'class_year', 'list', 'rank'), 12)
        >>> [(school, top.which) for school, top in report.lists][:3]
        [('ALL', 'fall'), ('ALL', 'first'), ('144190', 'fall')]
    """

    _html_rows: ClassVar[bool] = True

    lists: tuple[tuple[str, TopColleges], ...] = field(repr=False)
    name: str = "top_colleges"

    @property
    def columns(self) -> tuple[str, ...]:
        """The header."""
        return TOP_COLLEGES_COLUMNS

    def __len__(self) -> int:
        return sum(len(top) for _, top in self.lists)

    def rows(self) -> Iterator[tuple[object, ...]]:
        """The rows, hidden counts written ``*``."""
        for school, top in self.lists:
            for row in top.rows():
                yield (school, row[0], top.which, *row[1:])

    def as_table(self) -> TopCollegesReport:
        """This report."""
        return self
