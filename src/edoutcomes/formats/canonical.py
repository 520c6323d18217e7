"""
Canonical tables: the library's own students, enrollments and degrees files (CSV and Parquet).

Reading builds the columnar view (:class:`~edoutcomes.model.Table`) straight from the file,
without one Python object per record: each column is factorised, its distinct values parsed
once and gathered back to the rows. Every row is either accepted or rejected with an error
that names the file, the row (1-based, the header is row 1), the column and the value (never
the value of a personal column); ``rows_read == rows_accepted + rows_rejected`` always.

What is checked:

- A required column missing from the header is an error; every row is rejected.
- A blank or unreadable required value, an end date before the begin date, a malformed college
  code, and a ``requester_id`` that a students file already had: the row is rejected (error).
- An unknown code (enrollment status, college type, ...): a warning; the value is kept as the
  code set's ``UNKNOWN`` member.
- An unreadable optional value (a date, a CIP code, an SSN that is not 9 digits): a warning;
  the value reads as missing.

Columns the library does not know are kept as extra columns: text, or Y/N when every
non-blank value is a Y/N flag (the spec says so of students' optional attributes; records'
extras follow the same rule, so that what ``Table.from_records`` types as a boolean reads
back as one). Strict mode (the default) raises
:class:`~edoutcomes.errors.InvalidInputError` with every finding when there is any error;
``lenient=True`` returns the findings in the :class:`~edoutcomes.FileStatus` instead.

Examples:
    >>> import io
    >>> from edoutcomes.formats import read_table
    >>> read = read_table(io.BytesIO(b"requester_id,pell\\nA1,Y\\nA2,N\\n"), "students")
    >>> read.table, read.table.values("pell")
    (<Table students: 2 rows, 14 columns>, [True, False])
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Protocol, cast

import numpy as np
from attrs import evolve, field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import table_to_arrow
from .._kernel._csv import CsvColumn, write_columns
from .._kernel._findings import FileStatus, Finding, Severity, is_personal
from .._kernel._groups import run_places, run_starts
from .._kernel._progress import rows_done
from .._kernel._ssn import LAST4_PROBLEM, last_four
from .._kernel._values import column_strings, format_value, formula_mask
from ..errors import InvalidArgumentError, InvalidInputError
from ..model import (
    DEGREES,
    ENROLLMENTS,
    MISSING_DAY,
    STUDENTS,
    CohortColumns,
    Column,
    DegreeRecord,
    EnrollmentRecord,
    Kind,
    Student,
    Table,
    TableSchema,
)
from ._parse import Parsed, Problem, looks_like_flags, parse_column
from ._reader import (
    RawColumn,
    RawTable,
    Source,
    normalise_header,
    read_bytes,
    read_delimited,
    source_name,
)

__all__ = [
    "TABLES",
    "ArrowStream",
    "CohortRead",
    "RecordsRead",
    "TableRead",
    "read_cohort",
    "read_records",
    "read_table",
    "write_cohort",
    "write_table",
]

TABLES: dict[str, TableSchema] = {
    "students": STUDENTS,
    "enrollments": ENROLLMENTS,
    "degrees": DEGREES,
}
"""
The canonical tables by name.

Examples:
    >>> sorted(TABLES), TABLES["degrees"].required
    (['degrees', 'enrollments', 'students'], ('requester_id', 'college_code', 'award_date'))
"""

_RECORD_TABLES: dict[type, str] = {
    Student: "students",
    EnrollmentRecord: "enrollments",
    DegreeRecord: "degrees",
}


class ArrowStream(Protocol):
    """
    Arrow data: anything with the Arrow PyCapsule stream (pyarrow, polars, DuckDB, pandas).

    Examples:
        >>> import pyarrow as pa
        >>> students = pa.table({"requester_id": ["A1", "A2"]})  # a pyarrow table is an ArrowStream
        >>> hasattr(students, "__arrow_c_stream__"), read_table(students, "students").table.n_rows
        (True, 2)
    """

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...


_PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_MAGIC = b"PAR1"
_FORMATS = ("csv", "parquet")
_SSN = re.compile(r"^(\d{3})-?(\d{2})-?(\d{4})$")
#: Optional columns whose unreadable values reject the row instead of reading as missing.
_REFUSE_BAD_VALUES = frozenset({"ssn_last4"})


@frozen(eq=False)
class TableRead:
    """
    What :func:`read_table` gives: the columnar table and what happened to each row.

    Attributes:
        table: The accepted rows, in file order.
        status: Rows read, accepted, and every finding.
        row_numbers: The spreadsheet row (header = 1) of each accepted row.

    Examples:
        >>> import io
        >>> read = read_table(io.BytesIO(b"requester_id\\nA1\\n\\nA2\\n"), "students")
        >>> read.table.n_rows, read.row_numbers.tolist(), read.status.blank_lines
        (2, [2, 4], 1)
    """

    table: Table
    status: FileStatus
    row_numbers: NDArray[np.int32] = field(repr=False)


@frozen(eq=False)
class RecordsRead:
    """
    What :func:`read_records` gives: one domain record per accepted row, and the status.

    Examples:
        >>> import io
        >>> read = read_records(io.BytesIO(b"requester_id,gender\\nA1,F\\nA2,M\\n"), "students")
        >>> [student.gender for student in read.records], str(read.status)
        (['F', 'M'], '<input>: 2 rows read, 2 accepted, 0 rejected, 0 errors, 0 warnings')
    """

    records: tuple[Any, ...]
    status: FileStatus


@frozen(eq=False)
class CohortRead:
    """
    What :func:`read_cohort` gives: the linked columnar cohort and one status per file.

    Examples:
        >>> import io
        >>> students = io.BytesIO(b"requester_id\\nA1\\nA2\\n")
        >>> enrollments = io.BytesIO(b"requester_id,college_code,college_type,begin_date,end_date\\n"
        ...                          b"A1,001817-00,4,2006-08-21,2006-12-15\\n")
        >>> read = read_cohort(students, enrollments)
        >>> read.columns.n_students, read.columns.enrollment_student.tolist()
        (2, [0])
        >>> [status.rows_accepted for status in read.statuses]  # students, enrollments
        [2, 1]
    """

    columns: CohortColumns
    statuses: tuple[FileStatus, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """
        Every finding of every file, in file order.

        Examples:
            >>> import io
            >>> students = io.BytesIO(b"requester_id\\nA1\\n")
            >>> enrollments = io.BytesIO(b"requester_id,college_code,college_type,begin_date,end_date\\n"
            ...                          b"B9,001817-00,4,2006-08-21,2006-12-15\\n")
            >>> [f.message for f in read_cohort(students, enrollments).findings]
            ['requester_id is not among the students; the record is kept but not counted']
        """
        return FileStatus.merge(self.statuses)


def _schema(table: str | TableSchema) -> TableSchema:
    if isinstance(table, TableSchema):
        return table
    try:
        return TABLES[table]
    except KeyError:
        msg = f"table={table!r} is not a canonical table; expected one of {', '.join(TABLES)}"
        raise InvalidArgumentError(msg) from None


def _format_of(
    source: Source | Path, format: str | None, *, default: str = "csv", sniff: bool = False
) -> str:
    if format is not None:
        if format not in _FORMATS:
            msg = f"format={format!r} is not one of {', '.join(_FORMATS)}"
            raise InvalidArgumentError(msg)
        return format
    if isinstance(source, str | os.PathLike):
        suffix = Path(source).suffix.lower()
        if suffix in _PARQUET_SUFFIXES:
            return "parquet"
        if sniff and os.path.isfile(source):
            with open(source, "rb") as stream:
                return "parquet" if stream.read(4) == _PARQUET_MAGIC else default
        return default
    if not sniff:
        return default
    return "parquet" if _stream_head(source) == _PARQUET_MAGIC else default


def _stream_head(source: IO[bytes]) -> bytes:
    """The first four bytes of a stream, without consuming them (b"" when it cannot say)."""
    peek = getattr(source, "peek", None)
    if callable(peek):
        head = peek(4)
        return head[:4] if isinstance(head, bytes) else b""
    try:
        if not source.seekable():
            return b""
        position = source.tell()
        head = source.read(4)
        source.seek(position)
    except (OSError, ValueError, AttributeError):
        return b""
    return head if isinstance(head, bytes) else b""


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_table(
    source: Source | ArrowStream,
    table: str,
    *,
    lenient: bool = False,
    as_of: dt.date | None = None,
    format: str | None = None,
) -> TableRead:
    """
    Read one canonical table (CSV or Parquet) into the columnar view.

    Dates are ``YYYY-MM-DD`` (``YYYYMMDD`` and ``MM/DD/YYYY`` are read too, and ``M/D/YY``
    when *as_of* is given, as spreadsheets rewrite dates).

    Args:
        source: A path, a binary stream, or Arrow data: a ``pyarrow.Table`` or anything with
            ``__arrow_c_stream__`` (a polars DataFrame, a DuckDB relation, a pandas DataFrame),
            checked exactly as a file; its rows are numbered as the CSV of the same data
            would be (the first row is row 2, so a finding's row - 2 is its position).
        table: ``"students"``, ``"enrollments"`` or ``"degrees"``.
        lenient: Return the findings instead of raising when there are errors; a file that
            cannot be read at all (not Parquet under a Parquet name, an empty or truncated
            Parquet stream, a nested column, a field longer than the CSV reader takes) then
            gives no row and one error naming the file.
        as_of: The date two-digit years are read against (``20yy`` when that is no later
            than ten years after it, else ``19yy``).
        format: ``"csv"`` or ``"parquet"``; by default from the suffix (``.parquet``,
            ``.pq``) or a stream's first bytes, else CSV.

    Returns:
        The table of accepted rows and the file's status.

    Raises:
        InvalidInputError: In strict mode, if any row or the header has an error, or the
            file cannot be read at all; it carries every finding.
        InvalidArgumentError: If *table* or *format* is not known.

    Examples:
        >>> import io
        >>> data = b"requester_id,college_code,college_type,begin_date,end_date\\n"
        >>> data += b"A1,001817-00,4,2006-08-21,2006-12-15\\nA1,1817,4,2007-01-08,2007-05-04\\n"
        >>> read = read_table(io.BytesIO(data), "enrollments", lenient=True)
        >>> read.table.n_rows, str(read.status.findings[0])
        (1, "row 3, column college_code, value '1817': college_code is not a college code (NNNNNN-BB); the row is rejected (error)")
    """
    schema = _schema(table)
    arrow = _is_arrow(source)
    try:
        if arrow:
            raw, bool_columns = _raw_from_arrow(_arrow_source(source, None), None)
        elif _format_of(cast(Source, source), format, sniff=True) == "parquet":
            raw, bool_columns = _read_parquet_raw(cast(Source, source))
        else:
            raw, bool_columns = read_delimited(cast(Source, source)), None
    except InvalidInputError as exc:
        if not lenient:
            raise
        # A file that cannot be read at all: no row, one file-level error naming it.
        name = None if arrow else source_name(cast(Source, source))
        status = FileStatus(name, 0, 0, exc.findings)
        return TableRead(Table.empty(schema), status, np.empty(0, np.int32))
    result = _table_from_raw(raw, schema, as_of=as_of, bool_columns=bool_columns)
    if not lenient and result.status.errors:
        raise InvalidInputError(result.status.findings, rows_read=result.status.rows_read)
    return result


def read_records(
    source: Source | ArrowStream,
    table: str,
    *,
    lenient: bool = False,
    as_of: dt.date | None = None,
    format: str | None = None,
) -> RecordsRead:
    """
    Read one canonical table into domain records (``Student``, ``EnrollmentRecord``, ``DegreeRecord``).

    The same checks as :func:`read_table`; the records are decoded from its columnar table.

    Examples:
        >>> import io
        >>> read = read_records(io.BytesIO(b"requester_id,gender,pell\\nA1,F,Y\\n"), "students")
        >>> read.records[0].gender, read.records[0].attribute("pell")
        ('F', True)
    """
    result = read_table(source, table, lenient=lenient, as_of=as_of, format=format)
    return RecordsRead(result.table.to_records(), result.status)


def read_cohort(
    students: Source | ArrowStream,
    enrollments: Source | ArrowStream | None = None,
    degrees: Source | ArrowStream | None = None,
    *,
    lenient: bool = False,
    as_of: dt.date | None = None,
) -> CohortRead:
    """
    Read the three canonical tables and link the records to the students.

    A record whose ``requester_id`` is not a submitted student is kept as an orphan (its link
    is -1; engines never count it) and reported as a warning.

    Raises:
        InvalidInputError: In strict mode, if any file has an error; it carries the findings
            of every file.

    Examples:
        >>> import io
        >>> s = io.BytesIO(b"requester_id\\nA1\\n")
        >>> e = io.BytesIO(b"requester_id,college_code,college_type,begin_date,end_date\\n"
        ...                b"A1,001817-00,4,2006-08-21,2006-12-15\\nB9,001817-00,4,2006-08-21,2006-12-15\\n")
        >>> read = read_cohort(s, e)
        >>> read.columns.enrollment_student.tolist(), read.statuses[1].warnings[0].message
        ([0, -1], 'requester_id is not among the students; the record is kept but not counted')
    """
    reads = [read_table(students, "students", lenient=True, as_of=as_of)]
    names = ["enrollments", "degrees"]
    tables: list[Table | None] = []
    for name, source in zip(names, (enrollments, degrees), strict=True):
        if source is None:
            tables.append(None)
            continue
        reads.append(read_table(source, name, lenient=True, as_of=as_of))
        tables.append(reads[-1].table)
    columns = CohortColumns.from_tables(reads[0].table, tables[0], tables[1])
    statuses = [reads[0].status]
    links = iter((columns.enrollment_student, columns.degree_student))
    record_reads = iter(reads[1:])
    for table in tables:
        link = next(links)
        if table is None:
            continue
        read = next(record_reads)
        statuses.append(_with_orphans(read, link))
    findings = FileStatus.merge(statuses)
    if not lenient and any(f.is_error for f in findings):
        raise InvalidInputError(findings, rows_read=sum(s.rows_read for s in statuses))
    return CohortRead(columns, tuple(statuses))


def _with_orphans(read: TableRead, link: NDArray[np.int32]) -> FileStatus:
    orphans = np.flatnonzero(link < 0)
    if not len(orphans):
        return read.status
    ids = read.table.text("requester_id")
    extra = [
        (
            int(read.row_numbers[i]),
            0,
            Finding.make(
                Severity.WARNING,
                read.status.file,
                int(read.row_numbers[i]),
                "requester_id",
                ids[i],
                "requester_id is not among the students; the record is kept but not counted",
            ),
        )
        for i in orphans.tolist()
    ]
    merged = _sorted_findings([(f.row or 0, -1, f) for f in read.status.findings] + extra)
    status = read.status
    return FileStatus(
        status.file, status.rows_read, status.rows_accepted, merged, status.blank_lines
    )


def _sorted_findings(items: list[tuple[int, int, Finding]]) -> tuple[Finding, ...]:
    return tuple(f for _, _, f in sorted(items, key=lambda item: (item[0], item[1])))


class _Findings:
    """Findings with their sort key (row, column position), for file order at the end."""

    def __init__(self, file: str | None, row_numbers: NDArray[np.int32]) -> None:
        self.file = file
        self.row_numbers = row_numbers
        self.items: list[tuple[int, int, Finding]] = []

    def add(
        self,
        severity: Severity,
        rows: Iterable[int],
        position: int,
        column: str | None,
        values: Sequence[object] | None,
        message: str,
    ) -> None:
        for k, row in enumerate(rows):
            number = int(self.row_numbers[row])
            value = None if values is None else values[k]
            self.items.append(
                (
                    number,
                    position,
                    Finding.make(severity, self.file, number, column, value, message),
                )
            )

    def header(self, severity: Severity, position: int, column: str | None, message: str) -> None:
        self.items.append(
            (1, position, Finding.make(severity, self.file, 1, column, None, message))
        )

    def sorted(self) -> tuple[Finding, ...]:
        return _sorted_findings(self.items)


def _map_header(
    raw: RawTable,
    schema: TableSchema,
    findings: _Findings,
    resolve: Callable[[int, str], str | None] | None = None,
) -> tuple[dict[str, tuple[int, RawColumn]], list[tuple[int, RawColumn]]]:
    by_key = {normalise_header(c.name): c for c in schema.columns}
    canonical: dict[str, tuple[int, RawColumn]] = {}
    extras: list[tuple[int, RawColumn]] = []
    extra_names: set[str] = set()
    for position, column in enumerate(raw.columns):
        if resolve is None:
            target = by_key.get(normalise_header(column.name))
        else:
            resolved = resolve(position, column.name)
            target = None if resolved is None else schema[resolved]
        if target is not None:
            if target.name in canonical:
                first_position, first = canonical[target.name]
                findings.header(
                    Severity.ERROR,
                    position,
                    target.name,
                    f"the header has two columns for {target.name}: {first.name!r} "
                    f"(column {first_position + 1}) and {column.name!r} (column {position + 1}); "
                    "the later one is ignored",
                )
                continue
            canonical[target.name] = (position, column)
            continue
        name = column.name
        if not name:
            if bool(column.blank_distinct().all()):
                continue  # a spreadsheet's trailing empty column
            name = f"column_{position + 1}"
            findings.header(
                Severity.WARNING,
                position,
                name,
                f"column {position + 1} has no name; kept as {name}",
            )
        if name in extra_names:
            findings.header(
                Severity.ERROR,
                position,
                name,
                f"the header has column {name} twice; the later one is ignored",
            )
            continue
        extra_names.add(name)
        extras.append((position, evolve(column, name=name)))
    return canonical, extras


#: A row check run after the values are parsed: ``(data, canonical columns, candidate rows,
#: rejected rows, findings)``; it may reject candidates (errors) or only warn.
_Check = Callable[
    [
        dict[str, NDArray[Any]],
        dict[str, tuple[int, RawColumn]],
        NDArray[np.bool_],
        NDArray[np.bool_],
        "_Findings",
    ],
    None,
]


@frozen
class _ReadOptions:
    """
    How a reader built on the canonical one (the submission intake) departs from it.

    Attributes:
        resolve: Header position and spelling -> the schema column it fills (None: an extra
            column); by default the normalised header must equal a column's name.
        required: Columns required on top of the schema's own.
        parsers: Per column, a parser replacing the schema's (e.g. codes normalised first).
        checks: Row checks run after parsing, before the uniqueness check.
    """

    resolve: Callable[[int, str], str | None] | None = None
    required: frozenset[str] = frozenset()
    parsers: Mapping[str, Callable[[RawColumn], Parsed]] = field(factory=dict)
    checks: tuple[_Check, ...] = ()


@frozen(eq=False)
class _Rows:
    """A table read's rows: usable (not broken), rejected so far, and the findings made."""

    usable: NDArray[np.bool_]
    rejected: NDArray[np.bool_]
    findings: _Findings

    @property
    def candidates(self) -> NDArray[np.bool_]:
        """The rows a check may still reject."""
        return self.usable & ~self.rejected


@frozen(eq=False)
class _Values:
    """The parsed columns of a table read, by column name, and the categories of text ones."""

    data: dict[str, NDArray[Any]] = field(factory=dict)
    categories: dict[str, NDArray[np.object_]] = field(factory=dict)

    def add(self, name: str, parsed: Parsed) -> None:
        """Keep *parsed* as the column *name*."""
        self.data[name] = parsed.data
        if parsed.categories is not None:
            self.categories[name] = parsed.categories


@frozen(eq=False)
class _Header:
    """The file's columns: by schema column (with position), and the extra ones the schema lacks."""

    canonical: dict[str, tuple[int, RawColumn]]
    extras: list[tuple[int, RawColumn]]


def _table_from_raw(
    raw: RawTable,
    schema: TableSchema,
    *,
    as_of: dt.date | None,
    bool_columns: set[str] | None,
    options: _ReadOptions | None = None,
) -> TableRead:
    options = options or _ReadOptions()
    findings = _Findings(raw.file, raw.row_numbers)
    findings.items.extend((f.row or 0, -1, f) for f in raw.findings)
    rows = _Rows(~raw.broken, raw.broken.copy(), findings)
    header = _Header(*_map_header(raw, schema, findings, options.resolve))
    required = {c.name for c in schema.columns if c.required} | options.required
    _reject_missing_required(schema, header, required, rows)
    values = _schema_values(schema, header, raw.n_rows, as_of, options, required, rows)
    _check_rows(schema, values.data, header, options, rows)
    extras = _extra_values(header, bool_columns, values)
    _formula_warnings(_text_columns(schema, header, extras), rows.usable, findings)
    return _table_read(raw, schema, values, header, extras, rows)


def _reject_missing_required(
    schema: TableSchema, header: _Header, required: set[str] | frozenset[str], rows: _Rows
) -> None:
    """An error for each required column the header lacks; then every row is rejected."""
    for column in schema.columns:
        if column.name in required and column.name not in header.canonical:
            rows.findings.header(
                Severity.ERROR,
                -1,
                column.name,
                f"the required column {column.name} is missing; every row is rejected",
            )
            rows.rejected[:] = True


def _schema_values(
    schema: TableSchema,
    header: _Header,
    n: int,
    as_of: dt.date | None,
    options: _ReadOptions,
    required: set[str] | frozenset[str],
    rows: _Rows,
) -> _Values:
    """The schema's columns parsed, their bad values checked (a missing code column: its blank)."""
    values = _Values()
    for column in schema.columns:
        if column.name not in header.canonical:
            if column.kind is Kind.CODE and column.blank is not None and column.codes is not None:
                values.data[column.name] = np.full(n, column.blank.code, dtype=np.int8)
            continue
        position, raw_column = header.canonical[column.name]
        parser = options.parsers.get(column.name)
        parsed = _parse(raw_column, column, as_of) if parser is None else parser(raw_column)
        _check_values(
            parsed,
            column,
            position,
            rows.usable,
            rows.rejected,
            rows.findings,
            column.name in required,
            refuse=column.name in _REFUSE_BAD_VALUES,
        )
        values.add(column.name, parsed)
    return values


def _check_rows(
    schema: TableSchema,
    data: dict[str, NDArray[Any]],
    header: _Header,
    options: _ReadOptions,
    rows: _Rows,
) -> None:
    """The row checks after parsing: date order, the reader's own checks, unique students."""
    canonical = header.canonical
    if schema is ENROLLMENTS and "begin_date" in data and "end_date" in data:
        _check_order(data, canonical, rows.candidates, rows.rejected, rows.findings)
    for check in options.checks:
        check(data, canonical, rows.candidates, rows.rejected, rows.findings)
    if schema is STUDENTS and "requester_id" in data:
        _check_unique(
            data["requester_id"], canonical, rows.candidates, rows.rejected, rows.findings
        )


def _extra_values(header: _Header, bool_columns: set[str] | None, values: _Values) -> list[Column]:
    """The extra columns parsed into *values*: Y/N ones (or *bool_columns*) as flags, else text."""
    extras: list[Column] = []
    for _position, raw_column in header.extras:
        distinct = cast(list[str], raw_column.distinct.tolist())
        if bool_columns is not None:
            is_bool = raw_column.name in bool_columns
        else:
            is_bool = looks_like_flags(distinct)
        column = Column(raw_column.name, Kind.BOOL if is_bool else Kind.TEXT)
        values.add(column.name, parse_column(raw_column, column))
        extras.append(column)
    return extras


def _text_columns(
    schema: TableSchema, header: _Header, extras: list[Column]
) -> list[tuple[int, RawColumn]]:
    """The text columns read (schema ones, then extra ones), with their positions."""
    text_columns = [
        header.canonical[column.name]
        for column in schema.columns
        if column.kind is Kind.TEXT and column.name in header.canonical
    ]
    text_columns += [
        (position, raw_column)
        for (position, raw_column), column in zip(header.extras, extras, strict=True)
        if column.kind is Kind.TEXT
    ]
    return text_columns


def _table_read(
    raw: RawTable,
    schema: TableSchema,
    values: _Values,
    header: _Header,
    extras: list[Column],
    rows: _Rows,
) -> TableRead:
    """The accepted rows as a table, in the file's column order, and the file's status."""
    accepted = ~rows.rejected
    data = values.data
    if not accepted.all():
        data = {name: array[accepted] for name, array in data.items()}
    # The file's column order, so reports can keep it (the ARR's attributes).
    positions = {name: position for name, (position, _) in header.canonical.items()}
    positions.update(
        {c.name: position for c, (position, _) in zip(extras, header.extras, strict=True)}
    )
    submitted = tuple(sorted(positions, key=positions.__getitem__))
    if data:
        result = Table.from_arrays(schema, data, values.categories, extras, submitted)
    else:  # no usable column at all: every row was rejected
        result = Table.empty(schema, 0, extras)
    n = raw.n_rows
    status = FileStatus(raw.file, n, int(accepted.sum()), rows.findings.sorted(), raw.blank_lines)
    return TableRead(result, status, raw.row_numbers[accepted])


def _formula_warnings(
    columns: Sequence[tuple[int, RawColumn]], usable: NDArray[np.bool_], findings: _Findings
) -> None:
    """One warning per text column holding values a spreadsheet would run as formulas."""
    for position, raw_column in columns:
        flagged = formula_mask(raw_column.strings())
        if not flagged.any():
            continue
        rows = raw_column.rows_where(flagged)
        rows = rows[usable[rows]]
        if not len(rows):
            continue
        findings.add(
            Severity.WARNING,
            rows[:1].tolist(),
            position,
            raw_column.name,
            None,
            f"{len(rows)} value{'s' if len(rows) != 1 else ''} in this column begin with =, +, "
            "-, @, a tab or a carriage return, and a spreadsheet would run them as formulas "
            "(this is the first); the values are kept as they are",
        )


def _parse(raw: RawColumn, column: Column, as_of: dt.date | None) -> Parsed:
    if column.name == "ssn":
        # Nine digits, also written NNN-NN-NNNN; anything else is unreadable (never echoed).
        return _parse_ssn(raw)
    if column.name == "ssn_last4":
        # The K-12 column keeps the last four digits only, so a full SSN is never held.
        return _parse_normalised(raw, column, _normal_last4)
    return parse_column(raw, column, as_of=as_of)


def _normal_last4(text: str) -> str | Problem:
    kept = last_four(text)
    return Problem(LAST4_PROBLEM) if kept is None else kept


def _parse_ssn(raw: RawColumn) -> Parsed:
    return _parse_normalised(raw, STUDENTS["ssn"], _normal_ssn)


def _normal_ssn(text: str) -> str | Problem:
    match = _SSN.match(text)
    return "".join(match.groups()) if match is not None else Problem("is not 9 digits")


def _parse_normalised(
    raw: RawColumn, column: Column, normalise: Callable[[str], str | Problem]
) -> Parsed:
    """
    Parse a text column after rewriting each distinct non-blank value with *normalise*.

    A :class:`Problem` from *normalise* is the value's problem; an unknown one keeps the
    value as ``unknown``, any other reads as missing. Runs once per distinct value.
    """
    normalised = []
    problems = {}
    for i, value in enumerate(cast(list[str], raw.distinct.tolist())):
        text = value.strip()
        result = normalise(text) if text else ""
        if isinstance(result, Problem):
            problems[i] = result
            result = "unknown" if result.unknown else ""
        normalised.append(result)
    fixed = evolve(raw, distinct=np.array(normalised, dtype=object), arrow=None)
    parsed = parse_column(fixed, column)
    return Parsed(raw, parsed.data, parsed.categories, None, problems)


def _check_values(
    parsed: Parsed,
    column: Column,
    position: int,
    usable: NDArray[np.bool_],
    rejected: NDArray[np.bool_],
    findings: _Findings,
    required: bool,
    *,
    refuse: bool = False,
) -> None:
    """Findings for blank required values and unreadable ones; *refuse* rejects an unreadable row."""
    name = column.name
    raw = parsed.raw
    if required:
        blank_rows = parsed.blank_rows()
        blank_rows = blank_rows[usable[blank_rows]]
        rejected[blank_rows] = True
        findings.add(
            Severity.ERROR,
            blank_rows.tolist(),
            position,
            name,
            [raw.value(row) for row in blank_rows.tolist()],
            f"{name} is blank, but every row needs one; the row is rejected",
        )
    for row in parsed.problem_rows().tolist():
        if not usable[row]:
            continue
        problem = parsed.problem(row)
        assert problem is not None
        value = raw.value(row)
        if problem.unknown:
            severity, outcome = Severity.WARNING, "kept as unknown"
        elif required or refuse:
            severity, outcome = Severity.ERROR, "the row is rejected"
            rejected[row] = True
        else:
            severity, outcome = Severity.WARNING, "read as missing"
        message = f"{name} {problem.message}; {outcome}"
        findings.add(severity, [row], position, name, [value], message)


def _check_order(
    data: dict[str, NDArray[Any]],
    canonical: dict[str, tuple[int, RawColumn]],
    candidates: NDArray[np.bool_],
    rejected: NDArray[np.bool_],
    findings: _Findings,
    *,
    earlier: str = "begin_date",
    later: str = "end_date",
) -> None:
    """Reject rows whose date *later* is before their date *earlier* (both known)."""
    if earlier not in canonical or later not in canonical:
        return
    begin, end = data[earlier], data[later]
    known = (begin != MISSING_DAY) & (end != MISSING_DAY)
    bad = np.flatnonzero(candidates & known & (end < begin))
    if not len(bad):
        return
    rejected[bad] = True
    position, raw_end = canonical[later]
    _, raw_begin = canonical[earlier]
    for row in bad.tolist():
        # The earlier date is shown unless it is personal (a birth date).
        shown = "" if is_personal(earlier) else f" {raw_begin.value(row).strip()}"
        findings.add(
            Severity.ERROR,
            [row],
            position,
            later,
            [raw_end.value(row)],
            f"{later} is before {earlier}{shown}; the row is rejected",
        )


def _check_unique(
    codes: NDArray[np.int32],
    canonical: dict[str, tuple[int, RawColumn]],
    candidates: NDArray[np.bool_],
    rejected: NDArray[np.bool_],
    findings: _Findings,
) -> None:
    rows = np.flatnonzero(candidates)
    ids = codes[rows]
    order = np.argsort(ids, kind="stable")
    first_of_run = run_starts([ids[order]])
    if first_of_run.all():
        return
    later = ~first_of_run
    run_start = np.arange(len(order)) - run_places(first_of_run)
    dup_rows = rows[order[later]]
    first_rows = rows[order[run_start[later]]]
    rejected[dup_rows] = True
    position, raw = canonical["requester_id"]
    for row, first in sorted(zip(dup_rows.tolist(), first_rows.tolist(), strict=True)):
        findings.add(
            Severity.ERROR,
            [row],
            position,
            "requester_id",
            [raw.value(row)],
            f"requester_id appears again (first in row {int(findings.row_numbers[first])}); "
            "the row is rejected",
        )


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def _pyarrow() -> tuple[Any, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa, pq


def _parquet_error(name: str | None, message: str) -> InvalidInputError:
    return InvalidInputError(
        [Finding.make(Severity.ERROR, name, None, None, None, message)], rows_read=0
    )


def _load_parquet(source: Source, name: str | None) -> Any:
    """The Parquet table of *source*; any pyarrow error becomes an error naming the file."""
    pa, pq = _pyarrow()
    data = read_bytes(source)
    if not data:
        raise _parquet_error(name, "the file is empty; a Parquet file starts and ends with PAR1")
    if data[:4] != _PARQUET_MAGIC or data[-4:] != _PARQUET_MAGIC:
        raise _parquet_error(
            name,
            "the file is not Parquet (it does not start and end with PAR1); for CSV pass format='csv'",
        )
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _parquet_error(name, f"the Parquet file cannot be read ({exc})") from None
    rows_done(table.num_rows)  # read in one call: its rows are told when it returns
    _check_flat(table, name)
    return table


def _format_scalar(value: object) -> str:
    return format_value(value)


def _read_parquet_raw(source: Source) -> tuple[RawTable, set[str]]:
    name = source_name(source)
    return _raw_from_arrow(_load_parquet(source, name), name)


def _is_arrow(source: object) -> bool:
    """Whether *source* is Arrow data (a pyarrow table, or anything with an Arrow C stream)."""
    return hasattr(source, "__arrow_c_stream__") and not isinstance(source, io.IOBase)


def _arrow_source(source: object, name: str | None) -> Any:
    """*source* as a ``pyarrow.Table`` (polars, DuckDB and pandas give an Arrow C stream)."""
    pa, _ = _pyarrow()
    try:
        table = source if isinstance(source, pa.Table) else pa.table(source)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise _parquet_error(name, f"the Arrow data cannot be read ({exc})") from None
    _check_flat(table, name)
    return table


def _check_flat(table: Any, name: str | None) -> None:
    pa, _ = _pyarrow()
    for column_name, kind in zip(table.column_names, table.schema.types, strict=True):
        if pa.types.is_nested(kind):
            raise InvalidInputError(
                [
                    Finding.make(
                        Severity.ERROR,
                        name,
                        None,
                        column_name,
                        None,
                        f"the column holds nested values ({kind}); canonical columns hold one value per row",
                    )
                ],
                rows_read=0,
            )


def _raw_from_arrow(data: Any, name: str | None) -> tuple[RawTable, set[str]]:
    """An Arrow table as raw columns: each column's distinct values as text, nulls blank."""
    pa, _ = _pyarrow()
    columns = []
    bools: set[str] = set()
    for column_name in data.column_names:
        array = data.column(column_name).combine_chunks()
        if pa.types.is_boolean(array.type):
            bools.add(column_name)
        if not pa.types.is_dictionary(array.type):
            array = array.dictionary_encode()
        values = [_format_scalar(v) for v in array.dictionary.to_pylist()]
        values.append("")
        indices = array.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
        distinct = np.empty(len(values), dtype=object)
        distinct[:] = values
        columns.append(RawColumn(column_name, indices.astype(np.int32), distinct))
    n = data.num_rows
    rows = np.arange(2, n + 2, dtype=np.int32)
    return RawTable(name, tuple(columns), rows, np.zeros(n, dtype=bool)), bools


def _write_parquet(table: Table, destination: Path | IO[bytes]) -> None:
    _, pq = _pyarrow()
    pq.write_table(table_to_arrow(table), destination)
    rows_done(table.n_rows)  # written in one call: its rows are told when it returns


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _distinct_strings(table: Table, column: Column) -> tuple[list[str], NDArray[np.int32]]:
    """The distinct written forms of a column and an index per row (-1 missing)."""
    return column_strings(column, table.data[column.name], table.categories.get(column.name))


def _write_csv(table: Table, out: IO[bytes]) -> None:
    # Each column is formatted and quoted once per distinct value; the kernel's writer joins
    # the fields in Arrow a batch at a time, so no per-value Python work remains.
    columns = [CsvColumn(*_distinct_strings(table, column)) for column in table.all_columns]
    write_columns(out, table.names, columns)


def _as_table(table_or_records: Table | Iterable[Any]) -> Table:
    if isinstance(table_or_records, Table):
        return table_or_records
    records = list(table_or_records)
    if not records:
        msg = "cannot tell which table an empty sequence of records is; pass a Table instead"
        raise InvalidArgumentError(msg)
    kinds = {_RECORD_TABLES.get(type(r)) for r in records}
    if len(kinds) != 1 or None in kinds:
        msg = "records must all be Student, all EnrollmentRecord or all DegreeRecord"
        raise InvalidArgumentError(msg)
    return Table.from_records(TABLES[cast(str, kinds.pop())], records)


def write_table(
    table_or_records: Table | Iterable[Any],
    destination: str | os.PathLike[str] | IO[bytes],
    *,
    format: str | None = None,
) -> None:
    """
    Write a canonical table as CSV or Parquet.

    CSV: UTF-8, a header of the column names (the schema's columns in order, then any
    extras), ISO dates, published codes, ``Y``/``N``, blank for missing. Each column is
    formatted once per distinct value, never once per record.

    Args:
        table_or_records: A :class:`~edoutcomes.model.Table`, or domain records of one type.
        destination: A path or a binary stream.
        format: ``"csv"`` or ``"parquet"``; by default from the path's suffix, else CSV.

    Examples:
        >>> import io
        >>> out = io.BytesIO()
        >>> write_table([Student("A1", gender="F", attributes={"pell": True})], out)
        >>> out.getvalue().decode().splitlines()[1]
        'A1,,,,,,,,,,,F,,Y'
    """
    table = _as_table(table_or_records)
    kind = _format_of(destination, format)
    if kind == "parquet":
        target = Path(destination) if isinstance(destination, str | os.PathLike) else destination
        _write_parquet(table, target)
        return
    if isinstance(destination, str | os.PathLike):
        with open(destination, "wb") as out:
            _write_csv(table, out)
    else:
        _write_csv(table, destination)


def write_cohort(
    columns: CohortColumns,
    directory: str | os.PathLike[str],
    *,
    format: str = "csv",
) -> tuple[Path, ...]:
    """
    Write the three tables of a columnar cohort as ``students``, ``enrollments`` and ``degrees`` files.

    Returns:
        The paths written, in that order.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     paths = write_cohort(CohortColumns.from_records([Student("A1")]), tmp)
        ...     [p.name for p in paths]
        ['students.csv', 'enrollments.csv', 'degrees.csv']
    """
    if format not in _FORMATS:
        msg = f"format={format!r} is not one of {', '.join(_FORMATS)}"
        raise InvalidArgumentError(msg)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in (columns.students, columns.enrollments, columns.degrees):
        path = folder / f"{table.name}.{format}"
        write_table(table, path, format=format)
        paths.append(path)
    return tuple(paths)
