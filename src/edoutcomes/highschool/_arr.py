"""The analysis-ready report (ARR): one row per submitted student, in submission order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport
from .._kernel._days import MISSING_DAY, date_of
from .._kernel._optional import require
from ..errors import InvalidArgumentError
from ..model import (
    Cip,
    CollegeCode,
    CollegeControl,
    CollegeType,
    DegreeKind,
    EnrollmentStatus,
    Kind,
    Table,
)
from ._engine import Measures, Progress, gather

__all__ = [
    "DEMOGRAPHICS",
    "AnalysisReadyReport",
    "ArrColumn",
    "arr_columns",
    "attribute_columns",
    "build_arr",
]

_PROGRESS = (None, *(p.label for p in Progress))


def arr_columns(n_years: int = 6, progress_years: int = 8) -> tuple[str, ...]:
    """
    The ARR's fixed columns, in order (the submitted optional attributes follow them).

    Examples:
        >>> cols = arr_columns()
        >>> cols[:3], cols[-1], len(cols)
        (('requester_id', 'first_name', 'middle_name'), 'progress_year_8', 55)
    """
    credentials = tuple(
        f"credential_{i}_{part}"
        for i in (1, 2, 3)
        for part in ("date", "title", "kind", "cip", "college_code")
    )
    return (
        "requester_id",
        "first_name",
        "middle_name",
        "last_name",
        "name_suffix",
        "birth_date",
        "high_school_code",
        "hs_grad_date",
        "class_year",
        "record_found",
        "dual_enrollment",
        "currently_enrolled",
        "current_college_code",
        "current_college_name",
        "current_college_type",
        "current_college_control",
        "current_enrollment_status",
        "enrolled_fall_after_hs",
        "fall_college_code",
        "first_college_code",
        "first_college_name",
        "first_college_type",
        "first_college_control",
        "first_college_state",
        "first_enrollment_begin",
        "enrolled_year1",
        "persisted",
        "year2_college_code",
        "retained",
        "college_years_enrolled",
        *credentials,
        f"completed_within_{n_years}_years",
        "years_to_first_degree",
        *(f"progress_year_{k}" for k in range(1, progress_years + 1)),
    )


@frozen(eq=False)
class ArrColumn:
    """
    One ARR column, encoded: the array and how to decode it.

    ``kind`` is ``text`` (``int32`` codes into ``lookup``), ``date`` (``int32`` days),
    ``flag`` (``int8`` 1/0, -1 blank), ``int`` (-1 blank), ``college`` (packed code,
    -1 blank), ``cip`` (packed, -1 blank), ``code`` (``int8`` index into ``lookup``,
    -1 blank) or ``progress`` (``int8`` :class:`Progress` value, 0 blank).

    Examples:
        >>> column = ArrColumn("enrolled_fall_after_hs", "flag", np.array([1, 0, -1], np.int8))
        >>> column.decode().tolist()
        [True, False, None]
        >>> ArrColumn("high_school_code", "text", np.array([1, 0, -1]), ("A1", "B2")).decode().tolist()
        ['B2', 'A1', None]
    """

    name: str
    kind: str
    data: NDArray[Any]
    lookup: tuple[object, ...] = ()

    def decode(self, part: slice = slice(None)) -> NDArray[np.object_]:
        """The values as Python objects (str, date, bool, int, enum), None for blank."""
        data = self.data[part]
        if self.kind in ("text", "code"):
            table = np.empty(len(self.lookup) + 1, dtype=object)
            table[:-1] = list(self.lookup)
            table[-1] = None
            out: NDArray[np.object_] = table[data]
            return out
        if self.kind == "flag":
            return np.array([None, False, True], dtype=object)[data.astype(np.intp) + 1]
        if self.kind == "progress":
            return np.array(_PROGRESS, dtype=object)[data.astype(np.intp)]
        distinct, inverse = np.unique(data, return_inverse=True)
        values = [self._one(int(v)) for v in distinct.tolist()]
        table = np.empty(len(values), dtype=object)
        table[:] = values
        decoded: NDArray[np.object_] = table[inverse.ravel()]
        return decoded

    def _one(self, value: int) -> object:
        if self.kind == "date":
            return None if value == MISSING_DAY else date_of(value)
        if value < 0:
            return None
        if self.kind == "college":
            return str(CollegeCode.unpack(value))
        if self.kind == "cip":
            return str(Cip.unpack(value))
        return value


@frozen(eq=False, repr=False)
class AnalysisReadyReport(ArrowExport):
    """
    The analysis-ready report: one row per submitted student, in submission order.

    The columns are exactly the spec's layout (:func:`arr_columns`), then the submitted
    optional attributes (demographics, the Y/N elements) in their submitted order.
    FERPA-blocked records are left out of every value. Flags are True/False (written
    ``Y``/``N``), None (blank) when not available.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.model import Cohort, Student
        >>> arr = high_school_outcomes(Cohort([Student("1", hs_grad_date=dt.date(2020, 6, 1))]),
        ...                            as_of=dt.date(2021, 1, 1)).arr()
        >>> row = arr.records()[0]
        >>> row["class_year"], row["record_found"], row["enrolled_fall_after_hs"], row["enrolled_year1"]
        (2020, False, False, None)
    """

    encoded: tuple[ArrColumn, ...]

    @property
    def name(self) -> str:
        """``arr``."""
        return "arr"

    @property
    def columns(self) -> tuple[str, ...]:
        """The header."""
        return tuple(c.name for c in self.encoded)

    def __len__(self) -> int:
        return len(self.encoded[0].data) if self.encoded else 0

    def column(self, name: str) -> ArrColumn:
        """The encoded column *name*."""
        for column in self.encoded:
            if column.name == name:
                return column
        msg = f"arr has no column {name!r}"
        raise InvalidArgumentError(msg)

    def values(self, name: str) -> list[object]:
        """The column *name* decoded."""
        out: list[object] = self.column(name).decode().tolist()
        return out

    def rows(self, *, batch: int = 50_000) -> Iterator[tuple[object, ...]]:
        """The rows, decoded a batch at a time."""
        for start in range(0, len(self), batch):
            part = slice(start, start + batch)
            decoded = [c.decode(part) for c in self.encoded]
            yield from zip(*(d.tolist() for d in decoded), strict=True)

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows()]

    def to_numpy(self) -> dict[str, NDArray[Any]]:
        """The encoded arrays by column name (see :class:`ArrColumn` for the encodings)."""
        return {c.name: c.data for c in self.encoded}

    def to_pandas(self) -> Any:
        """The decoded columns in a DataFrame (needs pandas)."""
        pandas = require("pandas", feature="AnalysisReadyReport.to_pandas", extra="pandas")
        return pandas.DataFrame({c.name: c.decode() for c in self.encoded})

    def as_table(self) -> AnalysisReadyReport:
        """This report (it is already a report table)."""
        return self


def _flag(value: NDArray[np.bool_], available: NDArray[np.bool_]) -> NDArray[np.int8]:
    return np.where(available, value.astype(np.int8), np.int8(-1)).astype(np.int8)


def _text(name: str, table: Table, column: str, record: NDArray[np.int32]) -> ArrColumn:
    return ArrColumn(
        name,
        "text",
        gather(table.data[column], record, -1),
        tuple(table.categories[column].tolist()),
    )


def _college_columns(
    prefix: str, table: Table, record: NDArray[np.int32], parts: Sequence[str]
) -> list[ArrColumn]:
    out = []
    for part in parts:
        name = f"{prefix}_{part}"
        if part == "college_code":
            out.append(ArrColumn(name, "college", gather(table.data["college_code"], record, -1)))
        elif part in ("college_name", "college_state"):
            out.append(_text(name, table, part, record))
        elif part == "college_type":
            out.append(
                ArrColumn(name, "code", gather(table.data[part], record, -1), CollegeType.by_code())
            )
        elif part == "college_control":
            out.append(
                ArrColumn(
                    name, "code", gather(table.data[part], record, -1), CollegeControl.by_code()
                )
            )
    return out


def build_arr(m: Measures, *, attributes: Sequence[str] | None = None) -> AnalysisReadyReport:
    """
    Build the ARR from student-level measures (FERPA-blocked records already left out).

    The columns come in groups, one step each: the student, the enrollments (current,
    fall, first college), the first two college years, the credentials, completion and
    progress, the optional attributes.

    Args:
        m: The engine's student-level pass.
        attributes: The optional student columns to append, in order; by default
            ``gender`` and ``race_ethnicity`` when any student has them and every extra
            column of the students table, in the order its file gave them
            (``Table.submitted``; without one, the demographics first).
    """
    if not m.student_level:
        msg = "the ARR needs the student-level pass (FERPA-blocked records left out)"
        raise InvalidArgumentError(msg)
    return AnalysisReadyReport(
        (
            *_student_columns(m),
            *_enrollment_columns(m),
            *_year_columns(m),
            *_credential_columns(m),
            *_completion_columns(m),
            *_attribute_values(m.columns.students, attributes),
        )
    )


def _student_columns(m: Measures) -> list[ArrColumn]:
    """Who the student is, their class, whether any record was found, dual enrollment."""
    students = m.columns.students
    every = np.arange(m.n_students, dtype=np.int32)
    has = m.has_class
    out = [
        _text(name, students, name, every)
        for name in ("requester_id", "first_name", "middle_name", "last_name", "name_suffix")
    ]
    out.append(ArrColumn("birth_date", "date", students.data["birth_date"]))
    out.append(_text("high_school_code", students, "high_school_code", every))
    out.append(ArrColumn("hs_grad_date", "date", students.data["hs_grad_date"]))
    out.append(ArrColumn("class_year", "int", np.where(has, m.class_year, -1).astype(np.int32)))
    out.append(ArrColumn("record_found", "flag", m.record_found.astype(np.int8)))
    out.append(ArrColumn("dual_enrollment", "flag", _flag(m.dual, has)))
    return out


def _enrollment_columns(m: Measures) -> list[ArrColumn]:
    """The current enrollment, the fall college and the first college attended."""
    enr = m.columns.enrollments
    current = m.current_record
    out = [ArrColumn("currently_enrolled", "flag", (current >= 0).astype(np.int8))]
    out += _college_columns(
        "current", enr, current, ("college_code", "college_name", "college_type", "college_control")
    )
    out.append(
        ArrColumn(
            "current_enrollment_status",
            "code",
            gather(enr.data["enrollment_status"], current, -1),
            EnrollmentStatus.by_code(),
        )
    )
    fall = m.fall & m.fall_over
    out.append(ArrColumn("enrolled_fall_after_hs", "flag", _flag(m.fall, m.fall_over)))
    fall_record = np.where(fall, m.fall_record, -1).astype(np.int32)
    out.append(
        ArrColumn("fall_college_code", "college", gather(enr.data["college_code"], fall_record, -1))
    )
    first = m.first_record
    out += _college_columns(
        "first",
        enr,
        first,
        ("college_code", "college_name", "college_type", "college_control", "college_state"),
    )
    out.append(
        ArrColumn(
            "first_enrollment_begin",
            "date",
            gather(enr.data["begin_date"], first, int(MISSING_DAY)),
        )
    )
    return out


def _year_columns(m: Measures) -> list[ArrColumn]:
    """College years 1 and 2 (persistence, retention, the year-2 college) and years enrolled."""
    enr = m.columns.enrollments
    has, over = m.has_class, m.years_over
    year1 = m.in_year(1)
    out = [ArrColumn("enrolled_year1", "flag", _flag(year1, has & (over >= 1)))]
    follow = year1 & has & (over >= 2)
    persisted = m.in_year(2)
    out.append(ArrColumn("persisted", "flag", _flag(persisted, follow)))
    year2_record = np.where(follow & persisted, m.year2_record, -1).astype(np.int32)
    out.append(
        ArrColumn(
            "year2_college_code", "college", gather(enr.data["college_code"], year2_record, -1)
        )
    )
    out.append(ArrColumn("retained", "flag", _flag(m.retained, follow)))
    out.append(
        ArrColumn(
            "college_years_enrolled",
            "int",
            np.where(has, m.college_years_enrolled(), -1).astype(np.int32),
        )
    )
    return out


def _credential_columns(m: Measures) -> list[ArrColumn]:
    """The first three credentials: date, title, kind, CIP and college of each."""
    deg = m.columns.degrees
    out: list[ArrColumn] = []
    for i in range(3):
        record = m.credentials[:, i]
        prefix = f"credential_{i + 1}"
        out.append(
            ArrColumn(
                f"{prefix}_date", "date", gather(deg.data["award_date"], record, int(MISSING_DAY))
            )
        )
        out.append(_text(f"{prefix}_title", deg, "degree_title", record))
        out.append(
            ArrColumn(
                f"{prefix}_kind", "code", gather(m.degree_kinds, record, -1), DegreeKind.by_code()
            )
        )
        out.append(ArrColumn(f"{prefix}_cip", "cip", gather(deg.data["cip_1"], record, -1)))
        out.append(
            ArrColumn(
                f"{prefix}_college_code", "college", gather(deg.data["college_code"], record, -1)
            )
        )
    return out


def _completion_columns(m: Measures) -> list[ArrColumn]:
    """Completion within the window, years to the first degree, the progress categories."""
    has, over = m.has_class, m.years_over
    n_years = m.windows.completion_years
    out = [
        ArrColumn(
            f"completed_within_{n_years}_years",
            "flag",
            _flag(m.first_degree_year <= n_years, has & (over >= n_years)),
        )
    ]
    has_degree = has & (m.first_degree_record >= 0)
    out.append(
        ArrColumn(
            "years_to_first_degree",
            "int",
            np.where(has_degree, m.first_degree_year, -1).astype(np.int32),
        )
    )
    for k in range(1, m.windows.progress_years + 1):
        out.append(ArrColumn(f"progress_year_{k}", "progress", m.progress(k)))
    return out


def _attribute_values(students: Table, attributes: Sequence[str] | None) -> list[ArrColumn]:
    """The optional student attributes (see :func:`build_arr`)."""
    every = np.arange(students.n_rows, dtype=np.int32)
    out: list[ArrColumn] = []
    for name in attribute_columns(students, attributes):
        column = students.column(name)
        if column.kind is Kind.BOOL:
            out.append(ArrColumn(name, "flag", students.data[name]))
        elif column.kind is Kind.TEXT:
            out.append(_text(name, students, name, every))
        else:
            msg = f"attribute {name!r} is neither text nor Y/N"
            raise InvalidArgumentError(msg)
    return out


#: The demographics the ARR shows by default when any student has them.
DEMOGRAPHICS = ("gender", "race_ethnicity")


def attribute_columns(
    students: Table, attributes: Sequence[str] | None, *, every_demographic: bool = False
) -> list[str]:
    """The ARR's optional columns (see :func:`build_arr`); every demographic, if asked, even when blank."""
    if attributes is not None:
        return list(attributes)
    names = [
        name for name in DEMOGRAPHICS if every_demographic or bool((students.data[name] >= 0).any())
    ]
    # Private columns (a leading underscore, e.g. intake's birth-date digits) never travel.
    names += [c.name for c in students.extras if not c.name.startswith("_")]
    # In the order the students file gave them; a column it did not name keeps its place after.
    order = {name: i for i, name in enumerate(students.submitted)}
    return sorted(names, key=lambda name: order.get(name, len(order)))
