"""The synthetic cohort: students, colleges and records, straight into the columnar view."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import numpy as np
from attrs import frozen
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from .._kernel._days import check_date
from ..errors import InvalidArgumentError
from ..model import Cohort, CohortColumns, Institution, Table
from ._arrays import objects
from ._colleges import Colleges, make_colleges
from ._names import MAJORS
from ._postsecondary import TITLES, CohortShape, Records, simulate
from ._students import make_students

__all__ = ["SyntheticCohort", "synthetic_cohort"]

_MAJOR_NAMES = objects([name for name, *_ in MAJORS])
# The extra last entry makes a missing major (-1) read as a missing CIP (-1).
_MAJOR_CIPS = np.array([int(cip.replace(".", "")) for _, cip, *_ in MAJORS] + [-1], dtype=np.int32)


@frozen(eq=False)
class SyntheticCohort:
    """
    A generated cohort in columnar form, with the submitting institution and its dates.

    ``columns`` holds the three canonical tables (``students``, ``enrollments``,
    ``degrees``) and the record-to-student links; ``colleges`` is the pool the records
    were drawn from (row 0 is the submitting institution).

    Examples:
        >>> synthetic = synthetic_cohort(50, seed=1)
        >>> synthetic.n_students, synthetic.search_date, synthetic.as_of
        (50, datetime.date(2016, 9, 15), datetime.date(2022, 9, 15))
        >>> synthetic.institution.codes, synthetic.columns.enrollments
        (('001817',), <Table enrollments: 428 rows, 15 columns>)
    """

    columns: CohortColumns
    institution: Institution
    search_date: dt.date
    as_of: dt.date
    colleges: Colleges

    @property
    def n_students(self) -> int:
        """Number of submitted students."""
        return self.columns.n_students

    def to_cohort(self) -> Cohort:
        """
        The same cohort as per-record objects (fine for thousands of students, slow for millions).

        Examples:
            >>> cohort = synthetic_cohort(20, seed=1).to_cohort()
            >>> len(cohort), cohort.institution.codes
            (20, ('001817',))
        """
        return Cohort(
            students=self.columns.students.to_records(),
            enrollments=self.columns.enrollments.to_records(),
            degrees=self.columns.degrees.to_records(),
            institution=self.institution,
        )

    def write(self, directory: str | os.PathLike[str], *, format: str = "csv") -> tuple[Path, ...]:
        """
        Write the canonical ``students``, ``enrollments`` and ``degrees`` tables into *directory*.

        This is :func:`edoutcomes.formats.write_cohort` on :attr:`columns`; *format* is
        ``csv``, or ``parquet`` with the ``parquet`` extra.

        Returns:
            The paths written.

        Examples:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     paths = synthetic_cohort(10, seed=1).write(tmp)
            ...     [p.name for p in paths]
            ['students.csv', 'enrollments.csv', 'degrees.csv']
        """
        from ..formats import write_cohort

        return write_cohort(self.columns, directory, format=format)


def synthetic_cohort(
    n_students: int = 1000,
    *,
    seed: int = 0,
    search_date: dt.date = dt.date(2016, 9, 15),
    as_of: dt.date | None = None,
    institution_code: str = "001817",
    institution_name: str = "RIVERBEND STATE UNIVERSITY",
    n_colleges: int | None = None,
    shape: CohortShape | None = None,
) -> SyntheticCohort:
    """
    Generate a realistic synthetic cohort, deterministic for a *seed*, vectorised throughout.

    The students are a submitting institution's cohort (its admitted or entering students);
    about 40% start there, the others at other 4-year, 2-year and less-than-2-year colleges,
    and some are never found. Records run from the year before *search_date* (dual
    enrollment, summer bridge) to *as_of*.

    Args:
        n_students: How many students to submit.
        seed: Seed of the random generator; the same seed gives identical arrays.
        search_date: The cohort query's search date.
        as_of: The data's as-of date: no term begins and no degree is awarded after it.
            Default: six years after *search_date*.
        institution_code: The submitting institution's 6-digit code; it has three branches
            (``-00``, ``-01``, ``-02``) among the colleges.
        institution_name: The submitting institution's name.
        n_colleges: Size of the college pool. Default: grows with the cohort, 60 to 2,000.
        shape: Shares and per-term chances (see :class:`CohortShape`).

    Returns:
        The cohort, its institution, dates and college pool.

    Raises:
        InvalidArgumentError: If a count is too small, a date is a datetime, or
            *as_of* is before *search_date*.

    Examples:
        >>> cohort = synthetic_cohort(500, seed=7)
        >>> cohort.columns.students.n_rows, cohort.columns.enrollments.n_rows > 2000
        (500, True)
        >>> str(cohort.as_of)
        '2022-09-15'
    """
    if n_students < 1:
        msg = f"{n_students=} must be at least 1"
        raise InvalidArgumentError(msg)
    for name, value in (("search_date", search_date), ("as_of", as_of)):
        check_date(name, value, optional=True)
    as_of = as_of if as_of is not None else search_date + relativedelta(years=6)
    if as_of < search_date:
        msg = f"as_of={as_of.isoformat()} is before search_date={search_date.isoformat()}"
        raise InvalidArgumentError(msg)
    if n_colleges is None:
        n_colleges = int(np.clip(n_students // 50, 60, 2000))
    if n_colleges < 10:
        msg = f"{n_colleges=} must be at least 10"
        raise InvalidArgumentError(msg)
    institution = Institution(institution_code, name=institution_name)

    rng = np.random.default_rng(seed)
    colleges = make_colleges(
        rng, n_colleges, institution_code=institution_code, institution_name=institution_name
    )
    columns = draw_cohort(
        rng,
        colleges,
        n_students,
        search_date=search_date,
        as_of=as_of,
        shape=shape or CohortShape(),
    )
    return SyntheticCohort(columns, institution, search_date, as_of, colleges)


def draw_cohort(
    rng: np.random.Generator,
    colleges: Colleges,
    n_students: int,
    *,
    search_date: dt.date,
    as_of: dt.date,
    shape: CohortShape,
) -> CohortColumns:
    """*n_students* students searched on *search_date* and their records up to *as_of*."""
    students = make_students(rng, n_students, search_date=search_date)
    records = simulate(
        rng,
        colleges,
        risk=students.risk,
        full_time=students.full_time,
        search_date=search_date,
        as_of=as_of,
        shape=shape,
    )
    return _columns(students.table, records, colleges)


def _columns(students: Table, records: Records, colleges: Colleges) -> CohortColumns:
    ids = students.categories["requester_id"]
    college_categories = {
        "requester_id": ids,
        "college_name": colleges.names,
        "college_state": colleges.states,
    }

    def college_columns(rows: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
        college = rows["college"]
        return {
            "requester_id": rows["student"],
            "college_code": colleges.packed[college],
            "college_name": college,
            "college_state": colleges.state[college],
            "college_type": colleges.type_code[college],
            "college_control": colleges.control_code[college],
        }

    def majors(rows: dict[str, NDArray[Any]], numbers: range) -> dict[str, NDArray[Any]]:
        out = {}
        for i in numbers:
            major = rows[f"major_{i}"]
            out[f"major_{i}"] = major
            out[f"cip_{i}"] = _MAJOR_CIPS[major]
        return out

    e = dict(records.enrollments)
    enrollments = Table.from_arrays(
        "enrollments",
        {
            **college_columns(e),
            "begin_date": e["begin"],
            "end_date": e["end"],
            "enrollment_status": e["status"],
            "class_level": e["level"],
            **majors(e, range(1, 3)),
            "ferpa_block": records.enrollment_ferpa,
        },
        {**college_categories, "major_1": _MAJOR_NAMES, "major_2": _MAJOR_NAMES},
    )
    d = dict(records.degrees)
    degrees = Table.from_arrays(
        "degrees",
        {
            **college_columns(d),
            "award_date": d["award"],
            "degree_title": d["title"],
            **majors(d, range(1, 5)),
            "ferpa_block": records.degree_ferpa,
        },
        {
            **college_categories,
            "degree_title": objects(TITLES),
            **{f"major_{i}": _MAJOR_NAMES for i in range(1, 5)},
        },
    )
    return CohortColumns(
        students,
        enrollments,
        degrees,
        e["student"].copy(),
        d["student"].copy(),
    )
