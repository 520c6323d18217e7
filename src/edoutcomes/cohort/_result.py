"""The cohort query and its result: control report, four outcome tables, detail report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import astuple, field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport, summary_repr
from .._kernel._days import check_date, day
from .._kernel._findings import Finding
from .._kernel._html import html_table
from .._kernel._optional import require
from ..errors import InvalidArgumentError
from ..model import (
    DEGREE_TITLES,
    Cip,
    ClassLevel,
    Cohort,
    CohortColumns,
    CollegeCode,
    CollegeControl,
    CollegeType,
    DegreeTitleTable,
    EnrollmentStatus,
    Institution,
    Table,
)
from . import _engine
from ._outcomes import DISPLAY_ORDER, Outcome, institution_of
from ._years import AcademicYear, academic_years

if TYPE_CHECKING:
    from ._success import SuccessProgress

__all__ = [
    "DETAIL_COLUMNS",
    "CohortQueryResult",
    "ControlReport",
    "DetailReport",
    "DetailRow",
    "OutcomeTable",
    "cohort_query",
]

TABLE_TITLES: dict[str, tuple[str, str | None]] = {
    "table1": (
        "Table 1: Enrollment and Graduation Summary",
        "(Student enrollment and degree counts)",
    ),
    "table2": (
        "Table 2: Subsequent Enrollment and Graduation Summary for 2-Year Graduates",
        "(Counts for 2-Year graduates who subsequently enrolled or completed at any institution)",
    ),
    "table2a": (
        "Table 2A: Subsequent Enrollment and Graduation Summary for 2-Year Graduates whose "
        "first 2-year degree is from SUBMITTING Institution only (subset of Table 2)",
        None,
    ),
    "table2b": (
        "Table 2B: Subsequent Enrollment and Graduation Summary for 2-Year Graduates whose "
        "first 2-year degree is from OTHER Institution only (subset of Table 2)",
        None,
    ),
}
"""
Title and parenthetical line of each table, by name (``shared/spec/nsc-files.md``).

Examples:
    >>> TABLE_TITLES["table1"]
    ('Table 1: Enrollment and Graduation Summary', '(Student enrollment and degree counts)')
    >>> list(TABLE_TITLES)
    ['table1', 'table2', 'table2a', 'table2b']
"""


def _read_only_counts(counts: Any) -> NDArray[np.int64]:
    # A copy, so that freezing it never freezes the caller's array.
    out = np.array(counts, dtype=np.int64)
    out.flags.writeable = False
    return out


@frozen(eq=False, repr=False)
class OutcomeTable(ArrowExport):
    """
    One of the four tables of the aggregate report: counts by outcome (rows) and year (columns).

    It is itself a report table (``name``, ``columns``, ``rows()``), so every generic
    writer takes it; a clearinghouse-layout writer also uses ``title`` and ``note``.

    Attributes:
        name: ``table1``, ``table2``, ``table2a`` or ``table2b``.
        title: The table's title line, e.g. ``Table 1: Enrollment and Graduation Summary``.
        note: The parenthetical line under the title (Tables 1 and 2), else None.
        years: The academic years, one per column.
        counts: int64 array of shape (7, n_years), rows in :data:`DISPLAY_ORDER`; read-only.

    Examples:
        >>> years = academic_years(dt.date(2001, 9, 15), as_of=dt.date(2002, 1, 1))
        >>> t = OutcomeTable.from_counts("table1", years, np.arange(7).reshape(7, 1))
        >>> t.columns, t.count(Outcome.RETAINED_SUBMITTING, "2001-02")
        (('Description', '2001-02'), 4)
        >>> next(iter(t.rows()))
        ['4-year degree from your institution', 0]
    """

    name: str
    title: str
    note: str | None
    years: tuple[AcademicYear, ...]
    counts: NDArray[np.int64] = field(repr=False, converter=_read_only_counts)

    def __attrs_post_init__(self) -> None:
        if self.counts.shape != (len(DISPLAY_ORDER), len(self.years)):
            msg = f"{self.name}: counts have shape {self.counts.shape}, expected (7, {len(self.years)})"
            raise InvalidArgumentError(msg)

    @classmethod
    def from_counts(
        cls, name: str, years: Sequence[AcademicYear], counts: NDArray[np.integer[Any]]
    ) -> OutcomeTable:
        """A table named *name* (its title from the name) from counts in display order."""
        if name not in TABLE_TITLES:
            msg = f"name={name!r} is not one of {', '.join(TABLE_TITLES)}"
            raise InvalidArgumentError(msg)
        title, note = TABLE_TITLES[name]
        return cls(name, title, note, tuple(years), counts)

    @property
    def year_labels(self) -> tuple[str, ...]:
        """The column labels, e.g. ``('2006-07', '2007-08')``."""
        return tuple(y.label for y in self.years)

    @property
    def columns(self) -> tuple[str, ...]:
        """``Description`` and the year labels: the header row of the report."""
        return ("Description", *self.year_labels)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The row outcomes, in display order."""
        return DISPLAY_ORDER

    def _year(self, year: str | int | AcademicYear) -> int:
        if isinstance(year, AcademicYear):
            year = year.label
        if isinstance(year, str):
            try:
                return self.year_labels.index(year)
            except ValueError:
                msg = f"year={year!r} is not a column; columns: {', '.join(self.year_labels)}"
                raise InvalidArgumentError(msg) from None
        if not 0 <= year < len(self.years):
            msg = f"year index {year} is outside 0..{len(self.years) - 1}"
            raise InvalidArgumentError(msg)
        return year

    def count(self, outcome: Outcome | int, year: str | int | AcademicYear) -> int:
        """The count of *outcome* (or its priority) in *year* (label, column index, or year)."""
        return int(self.counts[DISPLAY_ORDER.index(Outcome(outcome)), self._year(year)])

    def column(self, year: str | int | AcademicYear) -> dict[Outcome, int]:
        """All seven counts of one year, by outcome."""
        k = self._year(year)
        return {o: int(self.counts[i, k]) for i, o in enumerate(DISPLAY_ORDER)}

    def rows(self) -> Iterator[list[object]]:
        """Plain rows in display order: the row label, then one count per year."""
        for outcome, counts in zip(DISPLAY_ORDER, self.counts.tolist(), strict=True):
            yield [outcome.label, *counts]

    def to_numpy(self) -> NDArray[np.int64]:
        """A writable copy of the counts, shape (7, n_years), rows in display order."""
        return self.counts.copy()

    def to_pandas(self) -> Any:
        """The table as a DataFrame indexed by row label, one column per year (needs pandas)."""
        pandas = require("pandas", feature="OutcomeTable.to_pandas", extra="pandas")
        return pandas.DataFrame(
            self.to_numpy(),
            index=pandas.Index([o.label for o in DISPLAY_ORDER], name="Description"),
            columns=list(self.year_labels),
        )

    def as_table(self) -> OutcomeTable:
        """This table (it is already a report table)."""
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OutcomeTable):
            return NotImplemented
        return (
            (self.name, self.years) == (other.name, other.years)
            and self.counts.shape == other.counts.shape
            and bool((self.counts == other.counts).all())
        )

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str:
        return html_table(self.title, self.columns, list(self.rows()))


CONTROL_LINES: tuple[tuple[str, str], ...] = (
    ("total", "TOTAL STUDENTS IN YOUR REQUEST FILE"),
    ("no_response", "TOTAL STUDENTS WITH NO RESPONSE DATA AVAILABLE"),
    ("found", "TOTAL STUDENTS FOUND AND INCLUDED IN AGGREGATE REPORT"),
    ("blocked_by_school", "LESS: STUDENT LEVEL REPORTING BLOCKED BY SCHOOL"),
    ("blocked_by_student", "LESS: STUDENT LEVEL REPORTING BLOCKED BY STUDENT"),
    ("detail_level", "TOTAL STUDENTS REPORTED AT DETAIL LEVEL"),
)
"""
The control report's six counts in order: the :class:`ControlReport` attribute, its description.

Examples:
    >>> CONTROL_LINES[2]
    ('found', 'TOTAL STUDENTS FOUND AND INCLUDED IN AGGREGATE REPORT')
"""


@frozen
class ControlReport(ArrowExport):
    """
    The control report: how many students were submitted, found, blocked and shown.

    It is itself a report table (``Description``, ``Count``; six rows).

    Attributes:
        search_date: The cohort's search date (the control report's range of search dates).
        as_of: The report date.
        institution: The submitting institution.
        total: Students submitted.
        no_response: Students with no record dated after the search date.
        found: ``total - no_response``: found and included in the aggregate report,
            blocked students included.
        blocked_by_school: Found students whose first record after the search date is
            blocked by the school (a school block outranks a student block on a tie).
        blocked_by_student: ... blocked by the student.
        detail_level: Students with at least one unblocked record after the search date.

    Examples:
        >>> c = ControlReport(dt.date(2006, 9, 15), dt.date(2013, 9, 9), Institution("001817"),
        ...                   49, 8, 41, 0, 0, 41)
        >>> [row[1] for row in c.rows()]
        [49, 8, 41, 0, 0, 41]
    """

    search_date: dt.date
    as_of: dt.date
    institution: Institution
    total: int
    no_response: int
    found: int
    blocked_by_school: int
    blocked_by_student: int
    detail_level: int

    def __attrs_post_init__(self) -> None:
        if self.found != self.total - self.no_response:
            msg = f"found={self.found} is not total={self.total} - no_response={self.no_response}"
            raise InvalidArgumentError(msg)

    @property
    def name(self) -> str:
        """``control``."""
        return "control"

    @property
    def columns(self) -> tuple[str, ...]:
        """``Description``, ``Count``."""
        return ("Description", "Count")

    def rows(self) -> Iterator[list[object]]:
        """The six lines: description, count."""
        for attribute, description in CONTROL_LINES:
            yield [description, getattr(self, attribute)]

    def as_table(self) -> ControlReport:
        """This report (it is already a report table)."""
        return self

    def _repr_html_(self) -> str:
        caption = (
            f"Control report for {self.institution.name or self.institution.college_code} "
            f"({self.institution.college_code}), search date {self.search_date.isoformat()}, "
            f"as of {self.as_of.isoformat()}"
        )
        return html_table(caption, self.columns, list(self.rows()))


DETAIL_COLUMNS: tuple[str, ...] = (
    "Your Unique Identifier",
    "First Name",
    "Middle Initial",
    "Last Name",
    "Name Suffix",
    "Requester Return Field",
    "Record Found Y/N",
    "Search Date",
    "College Code/Branch",
    "College Name",
    "College State",
    "2-year / 4-year",
    "Public / Private",
    "Enrollment Begin",
    "Enrollment End",
    "Enrollment Status",
    "Class Level",
    "Enrollment Major 1",
    "Enrollment CIP 1",
    "Enrollment Major 2",
    "Enrollment CIP 2",
    "Graduated?",
    "Graduation Date",
    "Degree Title",
    "Degree Major 1",
    "Degree CIP 1",
    "Degree Major 2",
    "Degree CIP 2",
    "Degree Major 3",
    "Degree CIP 3",
    "Degree Major 4",
    "Degree CIP 4",
    "College Sequence",
)
"""
The detail report's 33 column names, in the clearinghouse's order (:class:`DetailRow`'s fields).

Examples:
    >>> len(DETAIL_COLUMNS), DETAIL_COLUMNS[0], DETAIL_COLUMNS[-1]
    (33, 'Your Unique Identifier', 'College Sequence')
"""


@frozen
class DetailRow:
    """
    One row of the detail report: a student's enrollment term, a degree, or Record Found = N.

    The fields are the 33 columns of :data:`DETAIL_COLUMNS`, in order, typed. A row is an
    enrollment (``graduated`` False, enrollment fields set), a degree (``graduated`` True,
    degree fields set), or, with ``record_found`` False, only the student fields and the
    search date. Names stay out of ``repr``.

    Examples:
        >>> row = DetailRow("S1", None, None, None, None, "S1", False, dt.date(2016, 9, 15))
        >>> dict(zip(DETAIL_COLUMNS[5:8], row.values()[5:8]))
        {'Requester Return Field': 'S1', 'Record Found Y/N': False, 'Search Date': datetime.date(2016, 9, 15)}
        >>> len(row.values()) == len(DETAIL_COLUMNS)
        True
    """

    unique_id: str | None
    first_name: str | None = field(repr=False)
    middle_initial: str | None = field(repr=False)
    last_name: str | None = field(repr=False)
    name_suffix: str | None = field(repr=False)
    requester_id: str
    record_found: bool
    search_date: dt.date
    college_code: CollegeCode | None = None
    college_name: str | None = None
    college_state: str | None = None
    college_type: CollegeType | None = None
    college_control: CollegeControl | None = None
    enrollment_begin: dt.date | None = None
    enrollment_end: dt.date | None = None
    enrollment_status: EnrollmentStatus | None = None
    class_level: ClassLevel | None = None
    enrollment_major_1: str | None = None
    enrollment_cip_1: Cip | None = None
    enrollment_major_2: str | None = None
    enrollment_cip_2: Cip | None = None
    graduated: bool | None = None
    graduation_date: dt.date | None = None
    degree_title: str | None = None
    degree_major_1: str | None = None
    degree_cip_1: Cip | None = None
    degree_major_2: str | None = None
    degree_cip_2: Cip | None = None
    degree_major_3: str | None = None
    degree_cip_3: Cip | None = None
    degree_major_4: str | None = None
    degree_cip_4: Cip | None = None
    college_sequence: int | None = None

    def values(self) -> tuple[object, ...]:
        """The 33 values in :data:`DETAIL_COLUMNS` order."""
        return astuple(self, recurse=False)


DETAIL_RECORD_SOURCES: tuple[tuple[str | None, str | None], ...] = (
    ("college_code", "college_code"),
    ("college_name", "college_name"),
    ("college_state", "college_state"),
    ("college_type", "college_type"),
    ("college_control", "college_control"),
    ("begin_date", None),
    ("end_date", None),
    ("enrollment_status", None),
    ("class_level", None),
    ("major_1", None),
    ("cip_1", None),
    ("major_2", None),
    ("cip_2", None),
)
"""
Where the detail columns after the first eight come from, in :data:`DETAIL_COLUMNS` order.

Each is (enrollment column, degree column), None where the record kind has no such value.

Examples:
    >>> DETAIL_COLUMNS[8], DETAIL_RECORD_SOURCES[0]
    ('College Code/Branch', ('college_code', 'college_code'))
    >>> DETAIL_COLUMNS[13], DETAIL_RECORD_SOURCES[5]
    ('Enrollment Begin', ('begin_date', None))
"""
DETAIL_DEGREE_SOURCES: tuple[str, ...] = (
    "award_date",
    "degree_title",
    "major_1",
    "cip_1",
    "major_2",
    "cip_2",
    "major_3",
    "cip_3",
    "major_4",
    "cip_4",
)
"""
The degrees-table columns behind the detail report's columns after ``Graduated?``, in order.

Examples:
    >>> DETAIL_COLUMNS[22], DETAIL_DEGREE_SOURCES[0]
    ('Graduation Date', 'award_date')
"""
_STUDENT_COLUMNS = ("unique_id", "first_name", "middle_name", "last_name", "name_suffix")


def _decoded(
    table: Table, name: str, rows: NDArray[np.intp], convert: Any = None
) -> NDArray[np.object_]:
    """
    Column *name* of *table* at *rows*, decoded to Python values, as an object array.

    Each distinct stored value is decoded (and converted) once, then gathered: a detail
    report has millions of rows but only thousands of distinct colleges, dates and codes.
    """
    data = table.data[name][rows]
    distinct, first, inverse = np.unique(data, return_index=True, return_inverse=True)
    values = table.take(rows[first]).values(name)
    decoded = np.empty(len(distinct), dtype=object)
    decoded[:] = [convert(v) for v in values] if convert is not None else values
    out: NDArray[np.object_] = decoded[inverse.ravel()]
    return out


def _initial(name: str | None) -> str | None:
    return name[:1] if name else None


def _status(status: EnrollmentStatus | None) -> EnrollmentStatus:
    # A missing status is blank (withheld), as the record itself reads it.
    return EnrollmentStatus.WITHHELD if status is None else status


#: Rows decoded at a time when iterating a detail report.
_BATCH = 65_536


@frozen(eq=False)
class DetailReport(ArrowExport):
    """
    The detail report: one row per unblocked record after the search date, in report order.

    Order: students in request order; a student's rows grouped by college in College
    Sequence order (colleges numbered 1, 2, ... by the date of the student's earliest
    shown record there, ties by college code); within a college the enrollment terms by
    begin date, then the degrees by award date. A student with nothing to show (not
    found, or every record blocked) has one Record Found = N row, the same either way.

    It is itself a report table: ``name`` is ``detail``, ``columns`` are the 33
    :data:`DETAIL_COLUMNS`, ``rows()`` gives their typed values. Iterating gives
    :class:`DetailRow` objects. Rows are decoded from the columnar view on demand.

    Attributes:
        search_date: The cohort's search date, printed on every row.
        student: Each row's student (row of the students table).
        table: 0 for an enrollment row, 1 for a degree row, -1 for a Record Found = N row.
        record: The row's record in its table (-1 for N rows).
        sequence: The row's College Sequence (0 for N rows).

    Examples:
        >>> from edoutcomes.synth import synthetic_cohort
        >>> synthetic = synthetic_cohort(30, seed=1)
        >>> detail = cohort_query(synthetic.columns, search_date=synthetic.search_date,
        ...                       institution=synthetic.institution, as_of=synthetic.as_of).detail
        >>> len(detail), detail.n_found_rows
        (259, 257)
        >>> first = next(iter(detail))
        >>> first.record_found, first.college_sequence, first.enrollment_status.name
        (True, 1, 'FULL_TIME')
        >>> detail.to_arrow().num_columns
        33
    """

    cohort: CohortColumns = field(repr=False)
    search_date: dt.date
    student: NDArray[np.int32] = field(repr=False)
    table: NDArray[np.int8] = field(repr=False)
    record: NDArray[np.int32] = field(repr=False)
    sequence: NDArray[np.int16] = field(repr=False)

    @property
    def name(self) -> str:
        """``detail``."""
        return "detail"

    @property
    def columns(self) -> tuple[str, ...]:
        """The 33 clearinghouse column names."""
        return DETAIL_COLUMNS

    def __len__(self) -> int:
        return len(self.student)

    @property
    def n_found_rows(self) -> int:
        """Rows with Record Found = Y (one per shown record)."""
        return int((self.table >= 0).sum())

    def __iter__(self) -> Iterator[DetailRow]:
        for values in self.rows():
            yield DetailRow(*values)  # type: ignore[arg-type]  # the columns are typed as the fields

    def records(self) -> list[DetailRow]:
        """Every row as a :class:`DetailRow`."""
        return list(self)

    def rows(self) -> Iterator[tuple[object, ...]]:
        """Each row's 33 typed values, in :data:`DETAIL_COLUMNS` order."""
        for start in range(0, len(self), _BATCH):
            yield from zip(*self._columns(slice(start, start + _BATCH)), strict=True)

    def as_table(self) -> DetailReport:
        """This report (it is already a report table)."""
        return self

    def to_pandas(self) -> Any:
        """The rows as a DataFrame with the 33 column names (needs pandas)."""
        pandas = require("pandas", feature="DetailReport.to_pandas", extra="pandas")
        return pandas.DataFrame(list(self.rows()), columns=list(DETAIL_COLUMNS))

    def _arrow_columns(self) -> Any:
        """The 33 columns as typed Arrow arrays, gathered from the cohort's tables in C++."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from .._kernel._arrow import table_to_arrow

        cohort, n = self.cohort, len(self)
        is_e, is_d, found = self.table == 0, self.table == 1, self.table >= 0
        sources = {
            "s": table_to_arrow(cohort.students),
            "e": table_to_arrow(cohort.enrollments),
            "d": table_to_arrow(cohort.degrees),
        }

        def take(source: str, name: str, rows: NDArray[Any], mask: NDArray[np.bool_]) -> Any:
            table = sources[source]
            if name not in table.column_names:
                return pa.nulls(n, pa.string())
            column = table.column(name).combine_chunks()
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            indices = pa.array(np.where(mask, rows, 0).astype(np.int32), mask=~mask)
            return column.take(indices)

        everyone = np.ones(n, dtype=bool)
        student = self.student

        def record(e_name: str | None, d_name: str | None) -> Any:
            parts = []
            if e_name is not None:
                parts.append(take("e", e_name, self.record, is_e))
            if d_name is not None:
                parts.append(take("d", d_name, self.record, is_d))
            return parts[0] if len(parts) == 1 else pc.coalesce(*parts)

        days = np.full(n, day(self.search_date), dtype=np.int32)
        arrays = [
            take("s", "unique_id", student, everyone),
            take("s", "first_name", student, everyone),
            pc.utf8_slice_codeunits(take("s", "middle_name", student, everyone), 0, 1),
            take("s", "last_name", student, everyone),
            take("s", "name_suffix", student, everyone),
            take("s", "requester_id", student, everyone),
            pa.array(found),
            pa.array(days).cast(pa.date32()),
            *(record(e, d) for e, d in DETAIL_RECORD_SOURCES),
            pa.array(is_d, mask=~found),
            *(record(None, name) for name in DETAIL_DEGREE_SOURCES),
            pa.array(self.sequence.astype(np.int16), mask=~found),
        ]
        return pa.table(dict(zip(DETAIL_COLUMNS, arrays, strict=True)))

    def _columns(self, part: slice) -> list[list[object]]:
        """The 33 columns of the rows in *part*, decoded column by column."""
        cohort = self.cohort
        student = self.student[part].astype(np.intp)
        table, record = self.table[part], self.record[part]
        m = len(student)
        is_e, is_d = table == 0, table == 1
        e_rows, d_rows = record[is_e].astype(np.intp), record[is_d].astype(np.intp)
        people = cohort.students

        def student_column(name: str, convert: Any = None) -> list[object]:
            values: list[object] = _decoded(people, name, student, convert).tolist()
            return values

        def record_column(
            e_name: str | None, d_name: str | None, convert: Any = None
        ) -> list[object]:
            out = np.full(m, None, dtype=object)
            if e_name is not None:
                out[is_e] = _decoded(cohort.enrollments, e_name, e_rows, convert)
            if d_name is not None:
                out[is_d] = _decoded(cohort.degrees, d_name, d_rows, convert)
            return out.tolist()

        found = (table >= 0).tolist()
        graduated = np.full(m, None, dtype=object)
        graduated[is_e] = False
        graduated[is_d] = True
        sequence = np.full(m, None, dtype=object)
        sequence[table >= 0] = self.sequence[part][table >= 0].tolist()
        columns: list[list[object]] = [
            student_column("unique_id"),
            student_column("first_name"),
            student_column("middle_name", _initial),
            student_column("last_name"),
            student_column("name_suffix"),
            student_column("requester_id"),
            found,
            [self.search_date] * m,
        ]
        for e_name, d_name in DETAIL_RECORD_SOURCES:
            convert = _status if e_name == "enrollment_status" else None
            columns.append(record_column(e_name, d_name, convert))
        columns.append(graduated.tolist())
        columns += [record_column(None, name) for name in DETAIL_DEGREE_SOURCES]
        columns.append(sequence.tolist())
        return columns

    def _repr_html_(self) -> str:
        # Student columns (names, ids) are never shown in a notebook: only the shape.
        rows = [
            ["rows", len(self)],
            ["rows with Record Found = Y", self.n_found_rows],
            ["rows with Record Found = N", len(self) - self.n_found_rows],
        ]
        return html_table("Detail report", ("Detail report", "Count"), rows)


@frozen(eq=False)
class CohortQueryResult:
    """
    What a cohort query gives: control report, four outcome tables, detail report, findings.

    Attributes:
        search_date: The cohort's search date.
        as_of: The report date.
        institution: The submitting institution.
        years: The academic years (the tables' columns).
        control: The :class:`ControlReport`.
        table1: Table 1, every found student.
        table2: Table 2, students after their first 2-year degree (= 2A + 2B).
        table2a: Table 2A, first 2-year degree from the submitting institution.
        table2b: Table 2B, first 2-year degree from another institution.
        findings: Warnings about the input (unknown codes and titles, orphan records);
            for a subgroup, the findings of the whole query.

    Examples:
        >>> from edoutcomes.synth import synthetic_cohort
        >>> synthetic = synthetic_cohort(30, seed=1)
        >>> result = cohort_query(synthetic.columns, search_date=synthetic.search_date,
        ...                       institution=synthetic.institution, as_of=synthetic.as_of)
        >>> result
        CohortQueryResult(search_date=2016-09-15, as_of=2022-09-15, students=30, found=28, years=6, findings=1)
        >>> [table.name for table in result.tables], result.table1.year_labels[0]
        (['table1', 'table2', 'table2a', 'table2b'], '2016-17')
        >>> result.table1.count(Outcome.RETAINED_SUBMITTING, "2016-17")
        9
        >>> result.success(horizon=4).counts
        (1, 1, 2, 9, 17)
    """

    search_date: dt.date
    as_of: dt.date
    institution: Institution
    years: tuple[AcademicYear, ...]
    control: ControlReport
    table1: OutcomeTable
    table2: OutcomeTable
    table2a: OutcomeTable
    table2b: OutcomeTable
    findings: tuple[Finding, ...]
    _state: _engine.QueryState = field(repr=False, alias="state")
    _members: NDArray[np.bool_] | None = field(repr=False, alias="members")

    def _summary(self) -> dict[str, object]:
        c = self.control
        return {
            "search_date": self.search_date.isoformat(),
            "as_of": self.as_of.isoformat(),
            "students": c.total,
            "found": c.found,
            "years": len(self.years),
            "findings": len(self.findings),
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def to_arrow(self) -> Any:
        """The detail report as a ``pyarrow.Table`` (one row per record; the tables have theirs)."""
        return self.detail.to_arrow()

    def to_pandas(self) -> Any:
        """The detail report as a ``pandas.DataFrame`` (needs pandas)."""
        return self.detail.to_pandas()

    @property
    def tables(self) -> tuple[OutcomeTable, OutcomeTable, OutcomeTable, OutcomeTable]:
        """Tables 1, 2, 2A and 2B, in report order."""
        return (self.table1, self.table2, self.table2a, self.table2b)

    @property
    def detail(self) -> DetailReport:
        """The detail report (its order is computed on first use)."""
        state = self._state
        if "detail" not in state.cache:
            state.cache["detail"] = _engine.detail_order(state)
        student, table, record, sequence = state.cache["detail"]
        if self._members is not None:
            keep = self._members[student]
            student, table, record, sequence = (
                student[keep],
                table[keep],
                record[keep],
                sequence[keep],
            )
        return DetailReport(state.columns, self.search_date, student, table, record, sequence)

    def success(self, horizon: int = 6, *, any_degree: bool = False) -> SuccessProgress:
        """
        Success and progress at *horizon* years (``NotYetAvailableError`` until as_of is past
        that year's end, saying from which date it is known).

        See :func:`edoutcomes.cohort.success_and_progress`.
        """
        from ._success import success_and_progress

        return success_and_progress(self, horizon=horizon, any_degree=any_degree)

    def _repr_html_(self) -> str:
        parts = [self.control._repr_html_(), *(t._repr_html_() for t in self.tables)]
        if self.findings:
            shown = [[str(f)] for f in self.findings[:10]]
            if len(self.findings) > 10:
                shown.append([f"... and {len(self.findings) - 10} more"])
            parts.append(html_table(f"{len(self.findings)} findings", ("Findings",), shown))
        return "".join(parts)


def _columns_and_institution(
    cohort: Cohort | CohortColumns, institution: Institution | str | None, exact_branch: bool
) -> tuple[CohortColumns, Institution]:
    if isinstance(cohort, Cohort):
        columns = cohort.columns()
        institution = cohort.institution if institution is None else institution
    elif isinstance(cohort, CohortColumns):
        columns = cohort
    else:
        msg = f"cohort is a {type(cohort).__name__}, expected a Cohort or CohortColumns"
        raise InvalidArgumentError(msg)
    if institution is None:
        msg = "institution is required (the cohort has none)"
        raise InvalidArgumentError(msg)
    return columns, institution_of(institution, exact_branch=exact_branch)


def prepare(
    cohort: Cohort | CohortColumns,
    *,
    search_date: dt.date,
    institution: Institution | str | None,
    as_of: dt.date,
    degree_titles: DegreeTitleTable,
    exact_branch: bool,
) -> tuple[_engine.QueryState, Institution, dt.date]:
    """Check the arguments and run the engine's pass over the cohort."""
    check_date("search_date", search_date)
    check_date("as_of", as_of)
    if not isinstance(degree_titles, DegreeTitleTable):
        msg = f"degree_titles is a {type(degree_titles).__name__}, expected a DegreeTitleTable"
        raise InvalidArgumentError(msg)
    columns, owner = _columns_and_institution(cohort, institution, exact_branch)
    years = academic_years(search_date, as_of=as_of)
    state = _engine.run(
        columns,
        search_date=search_date,
        years=years,
        institution=owner,
        degree_titles=degree_titles,
    )
    return state, owner, as_of


# Engine rows are in priority order; the report prints them in display order.
_DISPLAY_ROWS = np.array([o.value - 1 for o in DISPLAY_ORDER])


def reports(
    state_like: tuple[dt.date, dt.date, Institution, tuple[AcademicYear, ...]],
    tables: NDArray[np.int64],
    control: NDArray[np.int64],
) -> tuple[ControlReport, list[OutcomeTable]]:
    """
    The control report and Tables 1, 2, 2A, 2B from counts (one group's, or summed).

    Args:
        state_like: ``(search_date, as_of, institution, years)``.
        tables: int64 (4, 7, n_years), rows in priority order (see :func:`_engine.aggregate`).
        control: int64 (5,): total, found, blocked by school, blocked by student, detail level.
    """
    search_date, as_of, institution, years = state_like
    total, found, by_school, by_student, detail = control.tolist()
    report = ControlReport(
        search_date, as_of, institution, total, total - found, found, by_school, by_student, detail
    )
    four = [
        OutcomeTable.from_counts(name, years, tables[i][_DISPLAY_ROWS])
        for i, name in enumerate(TABLE_TITLES)
    ]
    return report, four


def cohort_query(
    cohort: Cohort | CohortColumns,
    *,
    search_date: dt.date,
    institution: Institution | str | None = None,
    as_of: dt.date,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
    exact_branch: bool = False,
    subset: Any = None,
) -> CohortQueryResult:
    """
    Run the cohort query: control report, Tables 1, 2, 2A, 2B and the detail report.

    Vectorised over the cohort's columnar view: each found student is counted at most
    once per year per table, in the best outcome among that year's counting records;
    a 4-year degree is terminal, a 2-year degree is not. FERPA blocks change only the
    detail report and the control report's blocked lines.

    Args:
        cohort: A :class:`~edoutcomes.model.Cohort`, or its columnar view.
        search_date: The search date ``S`` (the same for every student).
        institution: The submitting institution: an :class:`~edoutcomes.model.Institution`
            or a code string (``"001817"``); defaults to the cohort's own.
        as_of: The report date: one column per academic year started by then.
        degree_titles: The degree-title table that gives each degree its kind.
        exact_branch: Count only records at the institution's exact college code and branch
            (its ``branch``, else ``00``) as "yours", not every branch of its 6-digit code.
        subset: Restrict the query to some students: a boolean mask over the students, or
            a collection of requester ids.

    Returns:
        The :class:`CohortQueryResult`.

    Raises:
        InvalidArgumentError: If a date is not a date, the institution is missing or
            malformed, or *subset* does not fit the cohort.

    Examples:
        >>> from edoutcomes.model import CollegeCode, CollegeType, EnrollmentRecord, Student
        >>> cohort = Cohort(
        ...     students=[Student("1"), Student("2")],
        ...     enrollments=[EnrollmentRecord("1", CollegeCode.parse("001817-00"),
        ...                  CollegeType.FOUR_YEAR, dt.date(2001, 8, 27), dt.date(2001, 12, 15))])
        >>> result = cohort_query(cohort, search_date=dt.date(2001, 9, 15),
        ...                       institution="001817", as_of=dt.date(2002, 6, 1))
        >>> result.control.found, result.table1.count(Outcome.RETAINED_SUBMITTING, "2001-02")
        (1, 1)
    """
    from ._query import one_partition  # the query object builds on this module's reports

    return one_partition(
        cohort,
        search_date=search_date,
        institution=institution,
        as_of=as_of,
        degree_titles=degree_titles,
        exact_branch=exact_branch,
        subset=subset,
    )
