"""
Monitoring: aid and application status per student, ``readiness.csv`` and the indicators.

The indicators count every student per school x class year (and ``ALL``) and per value of any
student attribute, with the high-school reports' small-cell suppression (the one in
``_kernel``): a count below ``n`` is ``*``, its rate blank, and secondary suppression makes
sure no hidden count can be recovered by subtraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport, columns_to_arrow
from .._kernel._days import NO_DAY, day
from .._kernel._rates import rate
from .._kernel._suppression import Relations, Suppression, suppress
from ..errors import InvalidArgumentError
from ..model import MISSING_DAY, AwardKind, CollegeSystem, StatusKind, days_to_dates
from ._engine import AgReason, Readiness
from ._prepare import AREAS

__all__ = [
    "ALL",
    "HIDDEN",
    "READINESS_COLUMNS",
    "SENSITIVE_COLUMNS",
    "CalGrantTable",
    "IndicatorCells",
    "IndicatorTable",
    "ReadinessTable",
    "Status",
    "assemble_indicators",
    "calgrant_table",
    "indicator_cells",
    "indicators",
    "readiness_table",
    "student_status",
]

ALL = "ALL"
"""
The label of every-school, every-class and every-value rows.

Examples:
    >>> import datetime as dt
    >>> from edoutcomes.readiness import evaluate
    >>> from edoutcomes.synth import synthetic_readiness
    >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
    >>> [row[:5] for row in indicators(result).rows() if row[0] == ALL and row[1] == ALL]
    [('ALL', 'ALL', 'ALL', 'ALL', 40)]
"""
HIDDEN = "*"
"""
How a suppressed count is written.

Examples:
    >>> import datetime as dt
    >>> from edoutcomes.readiness import evaluate
    >>> from edoutcomes.synth import synthetic_readiness
    >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
    >>> next(indicators(result, suppress_below=10).rows())[:6]
    ('S000100', '2027', 'ALL', 'ALL', '*', '*')
"""


@frozen(eq=False)
class Status:
    """
    Per student: aid, applications, awards, and the school (of the latest usable mark).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> status = student_status(result)
        >>> int((status.aid_by_cutoff == 1).sum()), status.applied.sum(axis=0).tolist()
        (5, [15, 4, 7, 3])
    """

    aid_date: NDArray[np.int32]
    aid_by_cutoff: NDArray[np.int8]
    applied: NDArray[np.int8]  # (n, 4): any, UC, CSU, CCC
    hs_diploma: NDArray[np.int8]
    adt: NDArray[np.int8]
    school: NDArray[np.int32]


def student_status(result: Readiness) -> Status:
    """
    Aid by the cutoff, applications by ``as_of`` (any and per system), diplomas and ADTs.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> status = student_status(result)
        >>> status.aid_by_cutoff[:6].tolist(), int(status.hs_diploma.sum())
        ([0, 0, 0, 0, 0, 1], 9)
    """
    data = result.data
    n = data.n_students
    status = data.student_status
    stu = data.status_student
    today = day(result.as_of)
    kind = status.data["kind"]
    submitted = status.data["submitted_date"]
    linked = (stu >= 0) & (submitted != MISSING_DAY) & (submitted <= today)
    aid_rows = linked & ((kind == StatusKind.FAFSA.code) | (kind == StatusKind.CADAA.code))
    never = NO_DAY
    aid_date = np.full(n, never, dtype=np.int32)
    np.minimum.at(aid_date, stu[aid_rows], submitted[aid_rows])
    aid_date = np.where(aid_date == never, MISSING_DAY, aid_date).astype(np.int32)
    class_year = result.class_year
    cutoff = np.full(n, MISSING_DAY, dtype=np.int32)
    for year in np.unique(class_year[class_year > 0]).tolist():
        cutoff[class_year == year] = day(result.options.aid_cutoff(int(year)))
    aid_by_cutoff = np.where(
        class_year > 0, (aid_date != MISSING_DAY) & (aid_date <= cutoff), -1
    ).astype(np.int8)

    apps = linked & (kind == StatusKind.COLLEGE_APPLICATION.code)
    system = status.data["system"]
    applied = np.zeros((n, 4), dtype=np.int8)
    applied[:, 0] = np.bincount(stu[apps], minlength=n) > 0
    for k, member in enumerate((CollegeSystem.UC, CollegeSystem.CSU, CollegeSystem.CCC), start=1):
        rows = apps & (system == member.code)
        applied[:, k] = np.bincount(stu[rows], minlength=n) > 0

    awarded = status.data["award_date"]
    awards = (
        (stu >= 0) & (kind == StatusKind.AWARD.code) & (awarded != MISSING_DAY) & (awarded <= today)
    )
    award_kind = status.data["award_kind"]

    def has(member: AwardKind) -> NDArray[np.int8]:
        rows = awards & (award_kind == member.code)
        out: NDArray[np.int8] = (np.bincount(stu[rows], minlength=n) > 0).astype(np.int8)
        return out

    return Status(
        aid_date,
        aid_by_cutoff,
        applied,
        has(AwardKind.HS_DIPLOMA),
        has(AwardKind.ADT),
        result.school,
    )


# --------------------------------------------------------------------------- readiness.csv

READINESS_COLUMNS: tuple[str, ...] = (
    "student_id",
    "ssid",
    "school_id",
    "class_year",
    "uc_ag_met",
    "uc_ag_reasons",
    "uc_missing",
    "csu_ag_met",
    "csu_ag_reasons",
    "csu_missing",
    *(f"years_{a}" for a in AREAS),
    "uc_credit_before_12",
    "uncleared_df",
    "uc_gpa_unweighted",
    "uc_gpa_capped",
    "uc_gpa_fully_weighted",
    "csu_gpa",
    "calgrant_gpa",
    "gpa_grades",
    "honors_points",
    "on_track_g9",
    "on_track_g10",
    "on_track_g11",
    "aid_submitted_date",
    "aid_by_cutoff",
    "applied_any",
    "applied_uc",
    "applied_csu",
    "applied_ccc",
    "college_credit_courses",
    "hs_diploma",
    "adt",
)
"""
The columns of ``readiness.csv``, in order.

Examples:
    >>> len(READINESS_COLUMNS), READINESS_COLUMNS[:5]
    (38, ('student_id', 'ssid', 'school_id', 'class_year', 'uc_ag_met'))
"""
SENSITIVE_COLUMNS = ("foster_youth", "social_services")


def _years_text(half_years: NDArray[np.int64]) -> NDArray[np.object_]:
    """Half-years as ``1.0``, ``0.5`` ... (one distinct value at a time)."""
    values, inverse = np.unique(half_years, return_inverse=True)
    labels = np.array([f"{v // 2}.{5 if v % 2 else 0}" for v in values.tolist()], dtype=object)
    out: NDArray[np.object_] = labels[inverse.ravel()]
    return out


def _gpa_text(hundredths: NDArray[np.int64]) -> NDArray[np.object_]:
    values, inverse = np.unique(hundredths, return_inverse=True)
    labels = np.array(
        [None if v < 0 else f"{v // 100}.{v % 100:02d}" for v in values.tolist()], dtype=object
    )
    out: NDArray[np.object_] = labels[inverse.ravel()]
    return out


def _only(mask: NDArray[np.bool_], values: NDArray[Any]) -> NDArray[np.object_]:
    """*values* as objects, blank (None) where *mask* is false."""
    out: NDArray[np.object_] = values.astype(object)
    out[~mask] = None
    return out


def _flags(values: NDArray[Any]) -> NDArray[np.object_]:
    lookup = np.array([False, True, None], dtype=object)
    out: NDArray[np.object_] = lookup[np.where(values < 0, 2, values.astype(np.int64))]
    return out


def _reasons_text(bits: NDArray[np.int64]) -> NDArray[np.object_]:
    values, inverse = np.unique(bits, return_inverse=True)
    labels = np.array(
        [";".join(r.code for r in AgReason if v & r) or None for v in values.tolist()], dtype=object
    )
    out: NDArray[np.object_] = labels[inverse.ravel()]
    return out


def _missing_text(missing: NDArray[np.int64]) -> NDArray[np.object_]:
    """``c:1.0;e:0.5`` per student (areas with nothing missing left out)."""
    key = np.zeros(len(missing), dtype=np.int64)
    for k in range(7):
        key = key * 9 + np.minimum(missing[:, k], 8)
    values, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    labels = []
    for row in first.tolist():
        parts = [
            f"{a}:{v // 2}.{5 if v % 2 else 0}"
            for a, v in zip(AREAS, missing[row].tolist(), strict=True)
            if v
        ]
        labels.append(";".join(parts) or None)
    del values
    out: NDArray[np.object_] = np.array(labels, dtype=object)[inverse.ravel()]
    return out


@frozen(eq=False, repr=False)
class ReadinessTable(ArrowExport):
    """
    ``readiness.csv``: one row per student (input order), or per released student of a release.

    ``columns`` and ``rows()`` make it a report table every generic writer takes.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> table = readiness_table(result)
        >>> table
        ReadinessTable(name=readiness, rows=40, columns=38)
        >>> dict(zip(table.columns[3:7], next(table.rows())[3:7]))
        {'class_year': 2026, 'uc_ag_met': False, 'uc_ag_reasons': 'area_b;area_c;area_d;d_two_disciplines', 'uc_missing': 'b:1.0;c:0.5;d:0.5'}
    """

    name: str
    columns: tuple[str, ...]
    values: tuple[NDArray[np.object_], ...]

    def rows(self) -> Iterator[tuple[object, ...]]:
        """The rows, typed (bool Y/N, dates, text, None blank)."""
        return zip(*(v.tolist() for v in self.values), strict=True)

    def _arrow_columns(self) -> Any:
        """``to_arrow()`` a column at a time (the table its rows make)."""
        return columns_to_arrow(self.columns, self.values)

    def __len__(self) -> int:
        return len(self.values[0]) if self.values else 0

    def column(self, name: str) -> list[object]:
        """One column's values."""
        return list(self.values[self.columns.index(name)].tolist())


def readiness_table(
    result: Readiness,
    status: Status | None = None,
    *,
    rows: NDArray[np.int64] | None = None,
    sensitive: NDArray[np.bool_] | None = None,
    name: str = "readiness",
) -> ReadinessTable:
    """
    The per-student table (the spec's ``readiness.csv``).

    Args:
        result: The engine's result.
        status: The students' status (computed when not given).
        rows: Only these student rows (a release); every student by default.
        sensitive: With a release, whether each of *rows* may show ``foster_youth`` and
            ``social_services`` (the two columns are added, blank where not).

    Examples:
        >>> from edoutcomes import readiness, synth
        >>> result = readiness.evaluate(synth.synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> readiness_table(result, rows=np.array([0, 1])).column("student_id")
        ['C0000001', 'C0000002']
    """
    status = status or student_status(result)
    data = result.data
    students = data.students
    school_names = np.array([*result.school_names, None], dtype=object)
    class_year = result.class_year
    missing = result.missing
    columns: dict[str, NDArray[np.object_]] = {
        "student_id": students.text("student_id"),
        "ssid": students.text("ssid"),
        "school_id": school_names[status.school],
        "class_year": _only(class_year > 0, class_year),
        "uc_ag_met": result.uc_met.astype(object),
        "uc_ag_reasons": _reasons_text(result.uc_reasons),
        "uc_missing": _missing_text(missing),
        "csu_ag_met": result.csu_met.astype(object),
        "csu_ag_reasons": _reasons_text(result.csu_reasons),
        "csu_missing": _missing_text(missing),
    }
    for k, a in enumerate(AREAS):
        columns[f"years_{a}"] = _years_text(result.years[:, k])
    columns["uc_credit_before_12"] = _years_text(result.credit_before_12)
    columns["uncleared_df"] = result.uncleared.astype(object)
    for column, values in (
        ("uc_gpa_unweighted", result.uc_unweighted),
        ("uc_gpa_capped", result.uc_capped),
        ("uc_gpa_fully_weighted", result.uc_fully_weighted),
        ("csu_gpa", result.csu_gpa),
        ("calgrant_gpa", result.calgrant_gpa),
    ):
        columns[column] = _gpa_text(values)
    columns["gpa_grades"] = result.gpa_grades.astype(object)
    columns["honors_points"] = result.honors_points.astype(object)
    for k, grade in enumerate((9, 10, 11)):
        columns[f"on_track_g{grade}"] = _flags(result.on_track[:, k])
    aid = (
        np.array(days_to_dates(status.aid_date), dtype=object)
        if len(status.aid_date)
        else np.empty(0, object)
    )
    columns["aid_submitted_date"] = aid
    columns["aid_by_cutoff"] = _flags(status.aid_by_cutoff)
    for k, column in enumerate(("applied_any", "applied_uc", "applied_csu", "applied_ccc")):
        columns[column] = _flags(status.applied[:, k])
    columns["college_credit_courses"] = result.college_courses.astype(object)
    columns["hs_diploma"] = _flags(status.hs_diploma)
    columns["adt"] = _flags(status.adt)
    names = list(READINESS_COLUMNS)
    if rows is not None:
        columns = {k: v[rows] for k, v in columns.items()}
        if sensitive is not None:
            for column in SENSITIVE_COLUMNS:
                flags = _flags(students.data[column][rows])
                columns[column] = _only(sensitive, flags)
            names += list(SENSITIVE_COLUMNS)
    return ReadinessTable(name, tuple(names), tuple(columns[c] for c in names))


@frozen(eq=False, repr=False)
class CalGrantTable(ArrowExport):
    """
    ``calgrant_gpa.csv``: student, school, class year, Cal Grant GPA and grades counted (for review).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> table = calgrant_table(result)
        >>> table.columns
        ('student_id', 'school_id', 'class_year', 'calgrant_gpa', 'grades_counted')
        >>> next(table.rows())
        ('C0000001', 'S000155', 2026, '2.86', 22)
    """

    name: str
    columns: tuple[str, ...]
    values: tuple[NDArray[np.object_], ...]

    def rows(self) -> Iterator[tuple[object, ...]]:
        """Students with a Cal Grant GPA, in input order."""
        return zip(*(v.tolist() for v in self.values), strict=True)

    def _arrow_columns(self) -> Any:
        """``to_arrow()`` a column at a time (the table its rows make)."""
        return columns_to_arrow(self.columns, self.values)

    def __len__(self) -> int:
        return len(self.values[0])


def calgrant_table(result: Readiness, status: Status | None = None) -> CalGrantTable:
    """
    The Cal Grant GPA of every student who has one (the CSAC upload layout is not written).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> len(calgrant_table(result)), int((result.calgrant_gpa >= 0).sum())
        (27, 27)
    """
    status = status or student_status(result)
    keep = np.flatnonzero(result.calgrant_gpa >= 0)
    names = np.array([*result.school_names, None], dtype=object)
    class_year = result.class_year[keep]
    values = (
        result.data.students.text("student_id")[keep],
        names[status.school[keep]],
        _only(class_year > 0, class_year),
        _gpa_text(result.calgrant_gpa[keep]),
        result.calgrant_grades[keep].astype(object),
    )
    columns = ("student_id", "school_id", "class_year", "calgrant_gpa", "grades_counted")
    return CalGrantTable("calgrant_gpa", columns, values)


# --------------------------------------------------------------------------- indicators

#: Indicator counts: (column, numerator flag, denominator: None = every student).
_MEASURES = (
    "uc_ag_met",
    "csu_ag_met",
    "on_track_g9",
    "on_track_g10",
    "on_track_g11",
    "aid_by_cutoff",
    "applied_any",
)


@frozen(eq=False, repr=False)
class IndicatorTable(ArrowExport):
    """
    ``readiness_indicators.csv``: counts and rates per school x class year x attribute value.

    ``counts`` and ``reasons`` hold every cell (``int64`` and :class:`Suppression` codes), so
    a test can check that no shown count is below the threshold.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> table = indicators(result, suppress_below=10)
        >>> table.columns[:7]
        ('school_id', 'class_year', 'attribute', 'value', 'students', 'uc_ag_met', 'uc_ag_met_rate')
        >>> shown = table.counts[table.reasons == Suppression.NONE]
        >>> bool(((shown == 0) | (shown >= 10)).all())
        True
    """

    _html_rows: ClassVar[bool] = True

    name: str
    columns: tuple[str, ...]
    keys: tuple[tuple[str, str, str, str], ...]
    count_columns: tuple[str, ...]
    counts: NDArray[np.int64]
    reasons: NDArray[np.int8]
    suppress_below: int | None

    def rows(self) -> Iterator[tuple[object, ...]]:
        """One row per group: keys, then per measure its count (``*`` hidden) and rate."""
        index = {c: i for i, c in enumerate(self.count_columns)}
        for r, key in enumerate(self.keys):
            row: list[object] = list(key)
            students = index["students"]
            row.append(self._shown(r, students))
            for measure in _MEASURES:
                count = index[measure]
                den = index.get(f"{measure}_students", students)
                if den != students:
                    row.append(self._shown(r, den))
                row.append(self._shown(r, count))
                row.append(self._rate(r, count, den))
            yield tuple(row)

    def _shown(self, r: int, c: int) -> object:
        return HIDDEN if self.reasons[r, c] != Suppression.NONE else int(self.counts[r, c])

    def _rate(self, r: int, c: int, d: int) -> Decimal | None:
        if self.reasons[r, c] != Suppression.NONE or self.reasons[r, d] != Suppression.NONE:
            return None
        return rate(int(self.counts[r, c]), int(self.counts[r, d]))


def indicators(
    result: Readiness,
    status: Status | None = None,
    *,
    attributes: Sequence[str] = (),
    suppress_below: int | None = 10,
    name: str = "readiness_indicators",
) -> IndicatorTable:
    """
    The monitoring indicators per school x class year (and ``ALL``) and per attribute value.

    Args:
        result: The engine's result; every student is counted.
        status: The students' status (computed when not given).
        attributes: ``k12_students`` columns to break down by (each value its own rows;
            a blank value is written ``unknown``).
        suppress_below: Small-cell threshold (None: off; a recipient's report forces it on).

    Raises:
        InvalidArgumentError: If an attribute is not a column of ``k12_students``.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> everyone = next(row for row in indicators(result, suppress_below=None).rows()
        ...                 if row[:4] == ("ALL", "ALL", "ALL", "ALL"))
        >>> everyone[4:7]
        (40, 5, Decimal('0.1250'))
    """
    cells = indicator_cells(result, status, attributes=attributes)
    return assemble_indicators(cells, suppress_below=suppress_below, name=name)


@frozen(eq=False)
class IndicatorCells:
    """
    Every indicator cell's counts, before suppression: the layout and the counts.

    Attributes:
        schools: The school ids (then the no-school slot, ``unknown``).
        classes: The class years (then ``unknown``).
        blocks: ``ALL`` then each attribute: its name and value labels.
        count_columns: The count columns (students, then each measure).
        counts: ``int64`` (cells, count columns), the cells in key order.
    """

    schools: tuple[str, ...]
    classes: tuple[int, ...]
    blocks: tuple[tuple[str, tuple[str, ...]], ...]
    count_columns: tuple[str, ...]
    counts: NDArray[np.int64]

    def cell_keys(self) -> list[tuple[str, str, str, str]]:
        """Every cell's ``(school_id, class_year, attribute, value)``, in order."""
        schools = [*self.schools, "unknown", ALL]
        classes = [*(str(c) for c in self.classes), "unknown", ALL]
        return [
            (school, year, attribute, value)
            for attribute, labels in self.blocks
            for school in schools
            for year in classes
            for value in labels
        ]


def indicator_cells(
    result: Readiness, status: Status | None = None, *, attributes: Sequence[str] = ()
) -> IndicatorCells:
    """The counts of every indicator cell of *result* (see :func:`indicators`)."""
    status = status or student_status(result)
    groups = _groups(result, status)
    count_columns, masks = _measure_masks(result, status)
    blocks = _breakdowns(result, attributes)
    cells = _cells(groups, blocks, masks)
    return IndicatorCells(
        tuple(groups.school_names),
        tuple(int(c) for c in groups.class_labels[:-1]),
        tuple((attribute, tuple(labels)) for attribute, labels, _ in blocks),
        tuple(count_columns),
        cells.counts,
    )


def assemble_indicators(
    cells: IndicatorCells, *, suppress_below: int | None = 10, name: str = "readiness_indicators"
) -> IndicatorTable:
    """The indicator table of *cells*: groups without a student left out, then suppression."""
    counts, count_columns = cells.counts, cells.count_columns
    keys = cells.cell_keys()
    # Groups without a student say nothing and are left out (not available to suppression);
    # the all-schools, all-classes rows are always written.
    overall = np.array([k[0] == ALL and k[1] == ALL for k in keys], dtype=bool)
    keep = np.flatnonzero((counts[:, 0] > 0) | overall)
    reasons = np.zeros(counts.shape, dtype=np.int8)
    if suppress_below is not None:
        blocks = [
            (attribute, list(labels), np.empty(0, np.int64)) for attribute, labels in cells.blocks
        ]
        offsets = np.cumsum(
            [
                0,
                *(
                    (len(cells.schools) + 2) * (len(cells.classes) + 2) * len(labels)
                    for _, labels in cells.blocks
                ),
            ]
        ).tolist()[:-1]
        relations = _relations(blocks, offsets, len(cells.schools) + 1, len(cells.classes) + 1)
        available = np.where(((counts[:, 0] > 0) | overall)[:, None], counts, -1)
        for k in range(counts.shape[1]):
            reasons[:, k] = suppress(available[:, k], relations, below=suppress_below)
    columns = ["school_id", "class_year", "attribute", "value", "students"]
    for measure in _MEASURES:
        if f"{measure}_students" in count_columns:
            columns.append(f"{measure}_students")
        columns += [measure, f"{measure}_rate"]
    return IndicatorTable(
        name,
        tuple(columns),
        tuple(keys[i] for i in keep.tolist()),
        tuple(count_columns),
        counts[keep],
        reasons[keep],
        suppress_below,
    )


@frozen(eq=False)
class _Groups:
    """Each student's school and class-year codes, and the labels of those codes."""

    school: NDArray[np.int64]  # n_schools - 1: no school known
    class_code: NDArray[np.int64]  # n_classes - 1: unknown class year
    school_names: list[str]
    class_labels: list[str]

    @property
    def n_schools(self) -> int:
        return len(self.school_names) + 1

    @property
    def n_classes(self) -> int:
        return len(self.class_labels)


def _groups(result: Readiness, status: Status) -> _Groups:
    """The school x class-year group of every student."""
    school_names = list(result.school_names)
    school = np.where(status.school >= 0, status.school, len(school_names)).astype(np.int64)
    class_year = result.class_year
    years = sorted(set(class_year[class_year > 0].tolist()))
    lookup = {y: i for i, y in enumerate(years)}
    class_code = np.array([lookup.get(y, len(years)) for y in class_year.tolist()], dtype=np.int64)
    return _Groups(school, class_code, school_names, [str(y) for y in years] + ["unknown"])


def _measure_masks(result: Readiness, status: Status) -> tuple[list[str], list[NDArray[np.bool_]]]:
    """The count columns (students, then each measure with its denominator) and their masks."""
    flags = {
        "uc_ag_met": (result.uc_met, None),
        "csu_ag_met": (result.csu_met, None),
        "on_track_g9": (result.on_track[:, 0] == 1, result.on_track[:, 0] >= 0),
        "on_track_g10": (result.on_track[:, 1] == 1, result.on_track[:, 1] >= 0),
        "on_track_g11": (result.on_track[:, 2] == 1, result.on_track[:, 2] >= 0),
        "aid_by_cutoff": (status.aid_by_cutoff == 1, None),
        "applied_any": (status.applied[:, 0] == 1, None),
    }
    count_columns = ["students"]
    masks: list[NDArray[np.bool_]] = [np.ones(len(result), dtype=bool)]
    for measure, (numerator, denominator) in flags.items():
        if denominator is not None:
            count_columns.append(f"{measure}_students")
            masks.append(denominator)
        count_columns.append(measure)
        masks.append(numerator)
    return count_columns, masks


_Breakdown = tuple[str, list[str], NDArray[np.int64]]


def _breakdowns(result: Readiness, attributes: Sequence[str]) -> list[_Breakdown]:
    """``ALL``, then each attribute: (name, value labels, each student's value code)."""
    students = result.data.students
    blocks: list[_Breakdown] = [(ALL, [ALL], np.zeros(len(result), dtype=np.int64))]
    for attribute in attributes:
        if attribute not in students.names or attribute == "student_id":
            msg = f"attribute {attribute!r} is not a column of k12_students"
            raise InvalidArgumentError(msg)
        values = students.values(attribute)
        labels = sorted({_label(v) for v in values})
        index = {v: i for i, v in enumerate(labels)}
        blocks.append(
            (attribute, labels, np.array([index[_label(v)] for v in values], dtype=np.int64))
        )
    return blocks


@frozen(eq=False)
class _Cells:
    """Every (school, class, attribute, value) cell's key and counts; where each block starts."""

    keys: list[tuple[str, str, str, str]]
    counts: NDArray[np.int64]  # (cells, count columns)
    offsets: list[int]


def _cells(groups: _Groups, blocks: list[_Breakdown], masks: list[NDArray[np.bool_]]) -> _Cells:
    """The counts of every cell, with the ``ALL`` school and class totals."""
    n_s, n_c = groups.n_schools, groups.n_classes
    school_names, class_labels = groups.school_names, groups.class_labels
    keys: list[tuple[str, str, str, str]] = []
    cubes: list[NDArray[np.int64]] = []
    offsets: list[int] = []
    for attribute, labels, codes in blocks:
        n_v = len(labels)
        fine = (groups.school * n_c + groups.class_code) * n_v + codes
        cube = np.zeros((n_s + 1, n_c + 1, n_v, len(masks)), dtype=np.int64)
        for k, mask in enumerate(masks):
            cube[:n_s, :n_c, :, k] = np.bincount(fine[mask], minlength=n_s * n_c * n_v).reshape(
                n_s, n_c, n_v
            )
        cube[n_s, :, :, :] = cube[:n_s].sum(axis=0)
        cube[:, n_c, :, :] = cube[:, :n_c].sum(axis=1)
        offsets.append(len(keys))
        for s in range(n_s + 1):
            s_label = ALL if s == n_s else (school_names[s] if s < len(school_names) else "unknown")
            for c in range(n_c + 1):
                c_label = ALL if c == n_c else class_labels[c]
                for v in range(n_v):
                    keys.append((s_label, c_label, attribute, labels[v]))
        cubes.append(cube.reshape(-1, len(masks)))
    return _Cells(keys, np.concatenate(cubes), offsets)


def _label(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _relations(
    blocks: list[tuple[str, list[str], NDArray[np.int64]]], offsets: list[int], n_s: int, n_c: int
) -> Relations:
    """
    Totals and their parts: over schools, over classes, and over an attribute's values.

    Per block, for each value: each class (and ``ALL``) over the schools, then each school
    (and ``ALL``) over the classes; then, but for the first (``ALL``) block, each (school,
    class) of the first block over the block's values.
    """
    out: list[Relations] = []
    for (_, labels, _), offset in zip(blocks, offsets, strict=True):
        n_v = len(labels)
        size = (n_s + 1) * (n_c + 1) * n_v
        cell = (offset + np.arange(size, dtype=np.intp)).reshape(n_s + 1, n_c + 1, n_v)
        schools = Relations.block(cell[n_s].T, cell[:n_s].transpose(2, 1, 0))
        classes = Relations.block(cell[:, n_c].T, cell[:, :n_c].transpose(2, 0, 1))
        # Value by value: its relations over the schools, then over the classes.
        order = np.concatenate(
            [
                np.arange(n_v * (n_c + 1)).reshape(n_v, n_c + 1),
                n_v * (n_c + 1) + np.arange(n_v * (n_s + 1)).reshape(n_v, n_s + 1),
            ],
            axis=1,
        )
        out.append(Relations.concat([schools, classes]).take(order.reshape(-1)))
        if offset:  # the totals are in the ALL block, which has one value
            out.append(Relations.block(np.arange((n_s + 1) * (n_c + 1)), cell))
    return Relations.concat(out)
