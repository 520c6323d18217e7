"""High-school graduates as a cohort: class years, high schools, the students left out."""

from __future__ import annotations

from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._findings import Finding, Severity
from ..errors import InvalidArgumentError
from ..model import Cohort, CohortColumns, Kind, Table
from ._windows import MonthDay, class_of

__all__ = [
    "UNKNOWN_HIGH_SCHOOL",
    "Graduates",
    "factorise_text",
    "graduates",
    "missing_date_findings",
    "school_names",
]

UNKNOWN_HIGH_SCHOOL = "UNKNOWN"
"""
The high-school code of students submitted without one.

Examples:
    >>> import datetime as dt
    >>> from edoutcomes.model import Student
    >>> columns = CohortColumns.from_records([Student("1", hs_grad_date=dt.date(2020, 6, 1))])
    >>> graduates(columns).high_schools == (UNKNOWN_HIGH_SCHOOL,)
    True
"""


def factorise_text(table: Table, name: str) -> tuple[NDArray[np.int32], list[str | None]]:
    """
    Codes by *value* (not by the table's own codes, which may repeat a string) and the values.

    Values are stripped; a blank or missing one is ``None`` (code -1).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> t = Table.from_records("students", [Student("1", gender=" F"), Student("2"), Student("3", gender="F")])
        >>> factorise_text(t, "gender")
        (array([ 0, -1,  0], dtype=int32), ['F'])
    """
    cats = table.categories[name].tolist()
    distinct: dict[str, int] = {}
    lut = np.empty(len(cats) + 1, dtype=np.int32)
    for i, value in enumerate(cats):
        text = str(value).strip()
        lut[i] = distinct.setdefault(text, len(distinct)) if text else -1
    lut[-1] = -1
    out: NDArray[np.int32] = lut[table.data[name]]
    return out, list(distinct)


@frozen(eq=False)
class Graduates:
    """
    The submitted students as high-school graduates: class year and high school of each.

    Attributes:
        columns: The columnar view of students and their postsecondary records.
        class_start: First day (month, day) of a class (Sept 1).
        class_year: ``int32`` class of each student, -1 without a graduation date.
        high_schools: The distinct high-school codes, sorted, ``UNKNOWN`` last if any.
        high_school: ``int32`` index of each student's high school into ``high_schools``.
        findings: One error per student without a graduation date (capped, then a total).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> g = graduates(Cohort([Student("1", high_school_code="100200", hs_grad_date=dt.date(2020, 6, 1)),
        ...                       Student("2")]))
        >>> g.class_year.tolist(), g.high_schools, g.n_without_date
        ([2020, -1], ('100200', 'UNKNOWN'), 1)
    """

    columns: CohortColumns
    class_start: MonthDay
    class_year: NDArray[np.int32]
    high_schools: tuple[str, ...]
    high_school: NDArray[np.int32]
    findings: tuple[Finding, ...]

    @property
    def n_students(self) -> int:
        """Number of submitted students."""
        return self.columns.n_students

    @property
    def n_without_date(self) -> int:
        """Students left out of the class-based reports (no graduation date)."""
        return int((self.class_year < 0).sum())

    @property
    def classes(self) -> tuple[int, ...]:
        """The class years present, in order."""
        years = self.class_year[self.class_year >= 0]
        if len(years) == 0:
            return ()
        low = int(years.min())
        return tuple(low + int(i) for i in np.flatnonzero(np.bincount(years - low)))

    def attribute(self, name: str) -> tuple[NDArray[np.int32], list[Any]]:
        """Each student's value of the student column *name*, factorised (-1 missing)."""
        table = self.columns.students
        column = table.column(name)
        if column.kind is Kind.TEXT:
            codes, values = factorise_text(table, name)
            return codes, list(values)
        if column.kind is Kind.BOOL:
            data = table.data[name].astype(np.int32)
            return np.where(data < 0, -1, 1 - data).astype(np.int32), [True, False]
        raw = table.data[name]
        distinct, inverse = np.unique(raw, return_inverse=True)
        values = table.take(np.unique(raw, return_index=True)[1]).values(name)
        inverse = inverse.ravel().astype(np.int32)
        missing = [i for i, v in enumerate(values) if v is None]
        for i in missing:
            inverse[inverse == i] = -1
        keep = [i for i, v in enumerate(values) if v is not None]
        remap = np.full(len(values) + 1, -1, dtype=np.int32)
        remap[keep] = np.arange(len(keep))
        del distinct
        return np.where(inverse >= 0, remap[inverse], -1).astype(np.int32), [
            values[i] for i in keep
        ]


def graduates(
    cohort: Cohort | CohortColumns, *, class_start: MonthDay = (9, 1), file: str = "students"
) -> Graduates:
    """
    Place every submitted student in a class and a high school.

    A student without a graduation date has no class: an error finding names their row
    (the header is row 1) and they are left out of every class-based report. A missing
    high-school code groups the student under ``UNKNOWN``.

    Args:
        cohort: A :class:`~edoutcomes.model.Cohort` or its columnar view.
        class_start: First day (month, day) of a class: Sept 1 by default.
        file: The file name the findings give.

    Raises:
        InvalidArgumentError: If *cohort* is neither form.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> columns = CohortColumns.from_records([
        ...     Student("1", hs_grad_date=dt.date(2020, 6, 1), high_school_code="123456"),
        ...     Student("2", hs_grad_date=dt.date(2020, 9, 1), high_school_code="123456"),
        ...     Student("3")])
        >>> g = graduates(columns)
        >>> g.class_year.tolist(), g.high_schools
        ([2020, 2021, -1], ('123456', 'UNKNOWN'))
        >>> print(g.findings[0])
        students, row 4, column hs_grad_date: no high-school graduation date: the student is left out of the class-based reports (error)
    """
    if isinstance(cohort, Cohort):
        columns = cohort.columns()
    elif isinstance(cohort, CohortColumns):
        columns = cohort
    else:
        msg = f"cohort is a {type(cohort).__name__}, expected a Cohort or CohortColumns"
        raise InvalidArgumentError(msg)
    from ._windows import Windows

    Windows(class_start=class_start)  # validates the month and day
    class_year = class_of(columns.students.data["hs_grad_date"], class_start)
    codes, values = factorise_text(columns.students, "high_school_code")
    names = school_names([str(v) for v in values], missing=bool((codes < 0).any()))
    index = {name: i for i, name in enumerate(names)}
    remap = np.empty(len(values) + 1, dtype=np.int32)
    remap[: len(values)] = [index[str(v)] for v in values]
    remap[-1] = index.get(UNKNOWN_HIGH_SCHOOL, -1)
    high_school = remap[codes].astype(np.int32)
    missing = np.flatnonzero(class_year < 0)
    findings = missing_date_findings(missing, len(missing), file)
    return Graduates(columns, class_start, class_year, names, high_school, findings)


def school_names(codes: list[str], *, missing: bool) -> tuple[str, ...]:
    """
    The high schools of a grid: the distinct *codes* sorted, ``UNKNOWN`` last when some
    student has none (*missing*) and no school's code is ``UNKNOWN`` itself.

    Examples:
        >>> school_names(["200", "100"], missing=True), school_names(["UNKNOWN", "Z"], missing=True)
        (('100', '200', 'UNKNOWN'), ('UNKNOWN', 'Z'))
    """
    names = sorted(set(codes))
    if missing and UNKNOWN_HIGH_SCHOOL not in names:
        names.append(UNKNOWN_HIGH_SCHOOL)
    return tuple(names)


def missing_date_findings(
    rows: NDArray[np.integer[Any]], total: int, file: str = "students"
) -> tuple[Finding, ...]:
    """
    One error per student without a graduation date: *rows* are all of them (0-based),
    *total* how many there are (``len(rows)``). Every student is named: no cap.
    """
    message = "no high-school graduation date: the student is left out of the class-based reports"
    findings = [
        Finding.make(Severity.ERROR, file, int(r) + 2, "hs_grad_date", None, message)
        for r in rows.tolist()
    ]
    if total > len(findings):  # a caller that gave only some rows: say how many more
        findings.append(
            Finding.make(
                Severity.ERROR,
                file,
                None,
                "hs_grad_date",
                None,
                f"{message}: {total - len(findings)} more students like this ({total} in all)",
            )
        )
    return tuple(findings)
