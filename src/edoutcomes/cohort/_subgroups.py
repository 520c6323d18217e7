"""Subgroups: the whole cohort query for each value of a student attribute, in one pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, Cohort, CohortColumns, DegreeTitleTable, Institution, Kind
from ._result import CohortQueryResult

__all__ = ["cohort_query_by", "group_codes"]


def _sort_key(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


def _factorise_column(columns: CohortColumns, name: str) -> tuple[NDArray[np.intp], list[Any]]:
    table = columns.students
    column = table.column(name)
    data = table.data[name]
    _, first, inverse = np.unique(data, return_index=True, return_inverse=True)
    values = table.take(first).values(name)
    if column.kind is Kind.TEXT:
        # Distinct codes can still share a value only if the categories repeat; merge them.
        return _merge(inverse.ravel(), values)
    return inverse.ravel().astype(np.intp), values


def _merge(inverse: NDArray[np.intp], values: list[Any]) -> tuple[NDArray[np.intp], list[Any]]:
    distinct: dict[Any, int] = {}
    remap = np.array([distinct.setdefault(v, len(distinct)) for v in values], dtype=np.intp)
    return remap[inverse], list(distinct)


def _factorise_array(by: Any, n: int) -> tuple[NDArray[np.intp], list[Any]]:
    array = np.asarray(by)
    if array.shape != (n,):
        msg = f"by has shape {array.shape}, expected one value per student ({n},)"
        raise InvalidArgumentError(msg)
    if array.dtype != object:
        uniques, inverse = np.unique(array, return_inverse=True)
        return inverse.ravel().astype(np.intp), uniques.tolist()
    missing: NDArray[np.bool_] = np.asarray(array == None)  # noqa: E711 (elementwise)
    present = array[~missing]
    try:
        uniques, inverse_present = np.unique(present, return_inverse=True)
    except TypeError as exc:
        msg = "by mixes values that cannot be compared (e.g. numbers and text)"
        raise InvalidArgumentError(msg) from exc
    inverse = np.full(n, len(uniques), dtype=np.intp)
    inverse[~missing] = inverse_present.ravel()
    values = uniques.tolist()
    if missing.any():
        values.append(None)
    return inverse, values


def group_codes(
    codes: NDArray[np.intp], values: list[Any], members: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.intp], list[Any]]:
    """
    Each student's group among the values its *members* have, sorted (None last), and
    those values; -1 for a student who is not a member.

    Examples:
        >>> group_codes(np.array([0, 1, 2, 1]), ["M", None, "F"], np.array([1, 1, 0, 1], bool))
        (array([ 0,  1, -1,  1]), ['M', None])
    """
    if members is not None:
        codes = np.where(members, codes, -1)
    present = np.bincount(codes[codes >= 0], minlength=len(values)) > 0
    order = sorted(
        (i for i in range(len(values)) if present[i]), key=lambda i: _sort_key(values[i])
    )
    renumber = np.full(len(values) + 1, -1, dtype=np.intp)
    renumber[order] = np.arange(len(order))
    return renumber[codes], [values[i] for i in order]


def cohort_query_by(
    cohort: Cohort | CohortColumns,
    by: str | Any,
    *,
    search_date: dt.date,
    institution: Institution | str | None = None,
    as_of: dt.date,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
    exact_branch: bool = False,
    subset: Any = None,
) -> dict[Any, CohortQueryResult]:
    """
    The cohort query for each group of students, from one pass over the records.

    Each student belongs to exactly one group, so is counted once in their group's
    tables; the groups' control counts add up to the whole cohort's (of *subset*).
    Students whose value is missing form the group ``None``.

    Args:
        cohort: A :class:`~edoutcomes.model.Cohort`, or its columnar view.
        by: The name of a student column (``gender``, ``race_ethnicity``, or an optional
            attribute such as ``pell``), or one value per student (a sequence or array).
        search_date: See :func:`cohort_query`.
        institution: See :func:`cohort_query`.
        as_of: See :func:`cohort_query`.
        degree_titles: See :func:`cohort_query`.
        exact_branch: See :func:`cohort_query`.
        subset: Only these students (a boolean mask or requester ids); groups are the
            values that occur among them.

    Returns:
        One :class:`CohortQueryResult` per group value, in sorted order (``None`` last).

    Raises:
        InvalidArgumentError: If *by* names no student column or does not fit the cohort.

    Examples:
        >>> from edoutcomes.model import Student
        >>> cohort = Cohort([Student("1", gender="F"), Student("2", gender="M"), Student("3")])
        >>> by_gender = cohort_query_by(cohort, "gender", search_date=dt.date(2001, 9, 15),
        ...                             institution="001817", as_of=dt.date(2002, 6, 1))
        >>> {k: r.control.total for k, r in by_gender.items()}
        {'F': 1, 'M': 1, None: 1}
    """
    from ._query import one_partition_by  # the query object builds on this module

    return one_partition_by(
        cohort,
        by,
        search_date=search_date,
        institution=institution,
        as_of=as_of,
        degree_titles=degree_titles,
        exact_branch=exact_branch,
        subset=subset,
    )
