"""
The cohort query's warnings, in two steps: the rows of each kind, then the findings.

A partition collects :class:`WarningRows` with global row numbers; :func:`merge` adds
partitions up (every row of each kind, ordered by global row) and :func:`render` turns
them into findings, one per row: no cap hides any. The single-process query is the one-partition
case: collect with the identity rows, render.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import evolve, frozen
from numpy.typing import NDArray

from .._kernel._findings import Finding, Severity
from ..model import CohortColumns, CollegeType, DegreeKind, EnrollmentStatus, FerpaBlock, Table

__all__ = ["WarningRows", "collect", "merge", "render"]


@frozen(eq=False)
class WarningRows:
    """
    One kind of warning: all its rows (0-based, global, ascending) and how many in all.

    ``file`` is None for the count-only kind (records of no submitted student).
    """

    file: str | None
    column: str
    message: str
    rows: NDArray[np.int64]
    values: tuple[object, ...]
    total: int


def _kind(
    table: Table,
    rows: NDArray[np.intp],
    global_rows: NDArray[np.int64] | None,
    column: str,
    values: Any,
    message: str,
) -> WarningRows:
    """Every row of the kind, by global row number (with each row's value)."""
    mapped = rows.astype(np.int64) if global_rows is None else global_rows[rows]
    first = np.argsort(mapped, kind="stable")
    shown = values(rows[first]) if callable(values) else (values,) * len(first)
    return WarningRows(table.name, column, message, mapped[first], tuple(shown), len(rows))


def _codes(
    table: Table,
    linked: NDArray[np.bool_],
    global_rows: NDArray[np.int64] | None,
    column: str,
    codes: Any,
    message: str,
) -> WarningRows:
    rows = np.flatnonzero(linked & (table.data[column] == codes.UNKNOWN.code))
    return _kind(table, rows, global_rows, column, "unknown", message)


def collect(
    columns: CohortColumns,
    d_kinds: NDArray[np.int8],
    enrollment_rows: NDArray[np.int64] | None = None,
    degree_rows: NDArray[np.int64] | None = None,
) -> list[WarningRows]:
    """Every kind of warning about the input, rows numbered by *enrollment_rows* / *degree_rows*."""
    enr, deg = columns.enrollments, columns.degrees
    e_linked = columns.enrollment_student >= 0
    d_linked = columns.degree_student >= 0
    categories = deg.categories["degree_title"]

    def titles(rows: NDArray[np.intp]) -> list[str]:
        codes = deg.data["degree_title"][rows].tolist()
        return ["" if c < 0 else str(categories[c]) for c in codes]

    out = [
        _codes(enr, e_linked, enrollment_rows, "enrollment_status", EnrollmentStatus,
               "unknown enrollment status: kept in the detail report, never counted"),
        _codes(enr, e_linked, enrollment_rows, "college_type", CollegeType,
               "unknown college type: kept in the detail report, never counted"),
        _codes(deg, d_linked, degree_rows, "college_type", CollegeType,
               "unknown college type of a degree: only its title can count it"),
        _kind(deg, np.flatnonzero(d_linked & (d_kinds == DegreeKind.UNKNOWN.code)), degree_rows,
              "degree_title", titles,
              "degree title in no rule of the degree-title table (or blank with no known "
              "college type): kept in the detail report, never counted"),
    ]  # fmt: skip
    for table, linked, rows in ((enr, e_linked, enrollment_rows), (deg, d_linked, degree_rows)):
        out.append(
            _codes(table, linked, rows, "ferpa_block", FerpaBlock,
                   "unknown FERPA block: treated as a block by the school")
        )  # fmt: skip
    orphans = int((~e_linked).sum() + (~d_linked).sum())
    out.append(WarningRows(None, "requester_id", "", np.empty(0, np.int64), (), orphans))
    return out


def merge(parts: Sequence[Sequence[WarningRows]]) -> list[WarningRows]:
    """The warnings of several partitions as one: every row by global row, totals summed."""
    out = []
    for kinds in zip(*parts, strict=True):
        rows = np.concatenate([k.rows for k in kinds])
        values = [v for k in kinds for v in k.values]
        first = np.argsort(rows, kind="stable")
        out.append(
            evolve(
                kinds[0],
                rows=rows[first],
                values=tuple(values[i] for i in first.tolist()),
                total=sum(k.total for k in kinds),
            )
        )
    return out


def render(kinds: Sequence[WarningRows]) -> tuple[Finding, ...]:
    """One finding per row of each kind (the header is row 1): every one, no cap."""
    out: list[Finding] = []
    for kind in kinds:
        if kind.file is None:
            if kind.total:
                message = f"{kind.total} records belong to no submitted student: ignored"
                out.append(Finding.make(Severity.WARNING, None, None, kind.column, None, message))
            continue
        out += [
            Finding.make(Severity.WARNING, kind.file, r + 2, kind.column, v, kind.message)
            for r, v in zip(kind.rows.tolist(), kind.values, strict=True)
        ]
    return tuple(out)
