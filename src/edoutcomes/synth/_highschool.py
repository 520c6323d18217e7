"""Synthetic high-school graduates: several classes of several high schools, and their records."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._days import MISSING_DAY
from .._kernel._days import day as day_number
from ..errors import InvalidArgumentError
from ..model import CohortColumns, Column, Kind, Table
from ._arrays import digit_strings, objects
from ._cohort import draw_cohort
from ._colleges import Colleges, make_colleges
from ._names import HOME_REGION
from ._postsecondary import CohortShape

__all__ = ["HIGH_SCHOOL_SHAPE", "SyntheticHighSchools", "synthetic_high_schools"]

HIGH_SCHOOL_SHAPE = CohortShape(
    not_found=0.30, submitting_share=0.15, dual_enrollment=0.15, pre_search_only=0.04
)
"""
The default shape of :func:`synthetic_high_schools`: graduates, not a college's entering class.

Many never enroll, few start at one college, more took dual-enrollment courses in high school.

Examples:
    >>> HIGH_SCHOOL_SHAPE.not_found, CohortShape().not_found
    (0.3, 0.1)
"""

#: The optional Y/N data elements the generator adds (beside ``pell`` and ``first_generation``).
_ELEMENTS = (Column("fafsa_completion", Kind.BOOL), Column("college_intending", Kind.BOOL))


@frozen(eq=False)
class SyntheticHighSchools:
    """
    Generated graduates of several high schools and classes, with their college records.

    Attributes:
        columns: Students (high school code and state, graduation date, demographics, Y/N
            elements) and their enrollment and degree records, in columnar form.
        class_years: The classes generated.
        high_schools: The high-school codes.
        as_of: No term begins and no degree is awarded after it.

    Examples:
        >>> graduates = synthetic_high_schools(10, class_years=(2020, 2021), n_high_schools=2, seed=1)
        >>> graduates.n_students, graduates.class_years, len(graduates.high_schools)
        (20, (2020, 2021), 2)
        >>> graduates.as_of
        datetime.date(2022, 10, 15)
    """

    columns: CohortColumns
    class_years: tuple[int, ...]
    high_schools: tuple[str, ...]
    as_of: dt.date

    @property
    def n_students(self) -> int:
        """Number of graduates."""
        return self.columns.n_students

    def write(self, directory: str | os.PathLike[str], *, format: str = "csv") -> tuple[Path, ...]:
        """
        Write the canonical ``students``, ``enrollments`` and ``degrees`` tables into *directory*.

        This is :func:`edoutcomes.formats.write_cohort` on :attr:`columns`; *format* is
        ``csv`` or ``parquet``. The students carry their high school, graduation date and Y/N
        elements, so ``edoutcomes hs-report`` and :func:`~edoutcomes.formats.read_cohort` read
        the folder back.

        Returns:
            The paths written.

        Examples:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     paths = synthetic_high_schools(20, class_years=(2020,), seed=1).write(tmp)
            ...     [p.name for p in paths]
            ['students.csv', 'enrollments.csv', 'degrees.csv']
        """
        from ..formats import write_cohort

        return write_cohort(self.columns, directory, format=format)


def _concat(tables: Sequence[Table]) -> Table:
    """Stack tables of one schema; text codes are offset (categories are concatenated)."""
    first = tables[0]
    data: dict[str, NDArray[Any]] = {}
    categories: dict[str, NDArray[np.object_]] = {}
    for column in first.all_columns:
        name = column.name
        if column.kind is Kind.TEXT:
            parts, cats, start = [], [], 0
            for table in tables:
                codes = table.data[name]
                parts.append(np.where(codes >= 0, codes + start, -1).astype(np.int32))
                cats.append(table.categories[name])
                start += len(table.categories[name])
            data[name] = np.concatenate(parts)
            categories[name] = np.concatenate(cats) if cats else np.empty(0, dtype=object)
        else:
            data[name] = np.concatenate([t.data[name] for t in tables])
    return Table(first.schema, data, categories, first.extras)


@frozen(eq=False)
class _Schools:
    """The high schools: their codes, and each one's state (an index into the home region)."""

    codes: NDArray[np.object_]
    state: NDArray[np.int32]


def synthetic_high_schools(
    n_per_class: int = 1000,
    *,
    class_years: Sequence[int] = (2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023),
    n_high_schools: int = 6,
    seed: int = 0,
    as_of: dt.date | None = None,
    missing_grad_date: float = 0.01,
    n_colleges: int | None = None,
    shape: CohortShape = HIGH_SCHOOL_SHAPE,
) -> SyntheticHighSchools:
    """
    Generate classes of graduates across several high schools, deterministic for a *seed*.

    Each class graduates mostly from May 20 to June 12 of its year (a few on Aug 31 and
    Sept 1, the class boundary); records begin after graduation (a summer term, the fall,
    later years) or before it (dual enrollment). One high school is out of state. The
    college pool is shared by every class.

    Args:
        n_per_class: Graduates per class.
        class_years: The classes.
        n_high_schools: How many high schools (codes are 6 digits).
        seed: Seed of the random generator.
        as_of: The data's date (default: Oct 15 of the year after the last class).
        missing_grad_date: Share of students submitted without a graduation date.
        n_colleges: Size of the college pool (default grows with the students, 60 to 1,000).
        shape: Shares and per-term chances of the records.

    Examples:
        >>> hs = synthetic_high_schools(200, class_years=(2019, 2020), seed=3)
        >>> hs.n_students, len(hs.high_schools), str(hs.as_of)
        (400, 6, '2021-10-15')
    """
    years = tuple(int(y) for y in class_years)
    if n_per_class < 1 or not years or n_high_schools < 1:
        msg = f"{n_per_class=}, class_years and {n_high_schools=} must not be empty"
        raise InvalidArgumentError(msg)
    as_of = as_of if as_of is not None else dt.date(max(years) + 1, 10, 15)
    for year in years:
        if as_of < _search_date(year):
            msg = f"as_of={as_of.isoformat()} is before the class of {year} graduates"
            raise InvalidArgumentError(msg)
    total = n_per_class * len(years)
    rng = np.random.default_rng(seed)
    if n_colleges is None:
        n_colleges = int(np.clip(total // 200, 60, 1000))
    colleges = make_colleges(
        rng, n_colleges, institution_code="001817", institution_name="RIVERBEND STATE UNIVERSITY"
    )
    schools = _high_schools(rng, n_high_schools)
    parts = [
        _class_of(
            rng,
            year,
            n_per_class,
            colleges,
            schools,
            as_of=as_of,
            shape=shape,
            missing_grad_date=missing_grad_date,
        )
        for year in years
    ]
    return SyntheticHighSchools(_stacked(parts), years, tuple(schools.codes.tolist()), as_of)


def _search_date(year: int) -> dt.date:
    return dt.date(year, 6, 15)


def _high_schools(rng: np.random.Generator, n_high_schools: int) -> _Schools:
    """Distinct 6-digit codes; the last school is out of state when there are more than two."""
    codes = digit_strings(
        100_000 + rng.choice(800_000, n_high_schools, replace=False).astype(np.int64), 6
    )
    state = np.zeros(n_high_schools, dtype=np.int32)
    if n_high_schools > 2:
        state[-1] = 1
    return _Schools(codes, state)


def _class_of(
    rng: np.random.Generator,
    year: int,
    n: int,
    colleges: Colleges,
    schools: _Schools,
    *,
    as_of: dt.date,
    shape: CohortShape,
    missing_grad_date: float,
) -> CohortColumns:
    """The class of *year*: its graduates (ids prefixed by the year) and their records."""
    columns = draw_cohort(
        rng, colleges, n, search_date=_search_date(year), as_of=as_of, shape=shape
    )
    students = dict(columns.students.data)
    students.update(_graduation(rng, year, n, schools, missing_grad_date))
    categories = dict(columns.students.categories)
    categories["high_school_code"] = schools.codes
    categories["high_school_state"] = objects(HOME_REGION)
    categories["requester_id"] = np.array(
        [f"{year}-{rid}" for rid in categories["requester_id"].tolist()], dtype=object
    )
    table = Table(
        columns.students.schema, students, categories, columns.students.extras + _ELEMENTS
    )
    return CohortColumns(
        table,
        columns.enrollments,
        columns.degrees,
        columns.enrollment_student,
        columns.degree_student,
    )


def _graduation(
    rng: np.random.Generator, year: int, n: int, schools: _Schools, missing_grad_date: float
) -> dict[str, NDArray[Any]]:
    """Graduation dates (a few on the class boundary or missing), high school and Y/N elements."""
    grad = day_number(dt.date(year, 5, 20)) + rng.integers(0, 24, n)
    edge = rng.random(n)
    grad[edge < 0.003] = day_number(dt.date(year, 8, 31))
    grad[(edge >= 0.003) & (edge < 0.006)] = day_number(dt.date(year - 1, 9, 1))
    grad[rng.random(n) < missing_grad_date] = MISSING_DAY
    school = rng.integers(0, len(schools.codes), n).astype(np.int32)
    school[rng.random(n) < 0.01] = -1
    out: dict[str, NDArray[Any]] = {
        "hs_grad_date": grad.astype(np.int32),
        "high_school_code": school,
        "high_school_state": np.where(school >= 0, schools.state[school], -1).astype(np.int32),
    }
    for column in _ELEMENTS:
        flags = (rng.random(n) < 0.6).astype(np.int8)
        flags[rng.random(n) < 0.02] = -1
        out[column.name] = flags
    return out


def _stacked(parts: Sequence[CohortColumns]) -> CohortColumns:
    """The classes' students and records one after the other, record links shifted."""
    sizes = np.cumsum([0] + [p.n_students for p in parts])
    return CohortColumns(
        _concat([p.students for p in parts]),
        _concat([_relink(p.enrollments, p.enrollment_student, p.students) for p in parts]),
        _concat([_relink(p.degrees, p.degree_student, p.students) for p in parts]),
        np.concatenate([p.enrollment_student + sizes[i] for i, p in enumerate(parts)]).astype(
            np.int32
        ),
        np.concatenate([p.degree_student + sizes[i] for i, p in enumerate(parts)]).astype(np.int32),
    )


def _relink(records: Table, link: NDArray[np.int32], students: Table) -> Table:
    """Records whose ``requester_id`` categories are their students' (renamed) ids."""
    data = dict(records.data)
    data["requester_id"] = students.data["requester_id"][link]
    categories = dict(records.categories)
    categories["requester_id"] = students.categories["requester_id"]
    return Table(records.schema, data, categories, records.extras)
