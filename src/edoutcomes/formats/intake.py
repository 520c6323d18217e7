"""
Submission intake: reading the student files schools and colleges actually send.

A submission is a students table in whatever shape a school's system exports: CSV,
tab-delimited text, an Excel ``.xlsx`` workbook, or the clearinghouse request layouts
(``H1/D1/T1`` tab-delimited or fixed-width, ``PH3/PD3/PT3``). :func:`read_submission` is the
canonical students reader (:func:`~edoutcomes.formats.read_table`) with more:

- column names resolved through aliases (``DOB``, ``Student First Name``, ``CEEB`` ...) or an
  explicit mapping; two columns for one field are an error naming both;
- names and birth date required (matching needs them), a graduation date before the birth
  date rejected, an implausible birth date and an unknown gender code warned about;
- two-digit years read against ``as_of`` (and an error without it: never today's date);
- the encoding detected per file (UTF-8 with or without BOM, else Windows-1252) and said.

Every row is accepted or rejected with an error naming the file, the spreadsheet row (the
header is row 1), the column and the value (never a personal value): read = accepted +
rejected, always. Columns the library does not know are kept (Y/N ones as booleans) and
travel with the students to the analysis-ready report.

Examples:
    >>> import io
    >>> data = b"Student ID,First Name,Last Name,DOB\\nS1,Ann,Lee,1995-01-02\\n"
    >>> read = read_submission(io.BytesIO(data))
    >>> read.format, dict(read.columns)
    ('csv', {'requester_id': 'Student ID', 'first_name': 'First Name', 'last_name': 'Last Name', 'birth_date': 'DOB'})
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
from attrs import evolve, field, frozen
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from .._kernel._days import day as _day
from .._kernel._findings import FileStatus, Finding, Severity
from .._kernel._optional import require
from .._kernel._progress import counted
from ..errors import InvalidArgumentError, InvalidInputError
from ..model import MISSING_DAY, STUDENTS, Column, Gender, Kind, Student, Table, encode_text
from ._aliases import STUDENT_ALIASES, resolve_headers
from ._parse import _DATE_PATTERNS, SHORT_MDY_DATE, Problem
from ._reader import (
    RawColumn,
    RawTable,
    Source,
    _decode,
    _object_array,
    factorise,
    normalise_header,
    read_bytes,
    read_delimited,
    source_name,
)
from .canonical import (
    _check_order,
    _Findings,
    _format_scalar,
    _parse_normalised,
    _ReadOptions,
    _sorted_findings,
    _table_from_raw,
)
from .request import _D1_FIELDS, _PD3_FIELDS, COLLEGE_LAYOUTS

__all__ = [
    "BIRTH_DATE_DIGITS",
    "DEFAULT_REQUIRED",
    "MATCHING_REQUIRED",
    "STUDENT_ALIASES",
    "SUBMISSION_FORMATS",
    "SubmissionRead",
    "read_submission",
]

SUBMISSION_FORMATS: tuple[str, ...] = (
    "csv",
    "tab",
    "xlsx",
    "nsc-request",
    "nsc-request-fixed",
    "nsc-hs-graduates",
)
"""
The formats :func:`read_submission` reads (``format=``); the request layouts are named as their
writers are.

Examples:
    >>> SUBMISSION_FORMATS
    ('csv', 'tab', 'xlsx', 'nsc-request', 'nsc-request-fixed', 'nsc-hs-graduates')
"""

DEFAULT_REQUIRED: tuple[str, ...] = ("requester_id", "first_name", "last_name", "birth_date")
"""
The fields a submitted student needs by default: an id, and what matching uses.

Examples:
    >>> import io
    >>> DEFAULT_REQUIRED
    ('requester_id', 'first_name', 'last_name', 'birth_date')
    >>> read = read_submission(io.BytesIO(b"Student ID,First Name,Last Name\\nS1,Ann,Lee\\n"), lenient=True)
    >>> print(read.status.errors[0])
    row 1, column birth_date: the required column birth_date is missing; every row is rejected (error)
"""

MATCHING_REQUIRED: tuple[str, ...] = ("requester_id", "first_name", "last_name")
"""
What matching needs (``required=MATCHING_REQUIRED``): a student without a readable birth date is
still matched on the other fields.

Examples:
    >>> import io
    >>> data = b"Student ID,First Name,Last Name\\nS1,Ann,Lee\\n"
    >>> read_submission(io.BytesIO(data), required=MATCHING_REQUIRED).table.n_rows
    1
"""

BIRTH_DATE_DIGITS = "_birth_date_digits"
"""
The private extra column that keeps the 8 digits of an impossible birth date (month 14, day 00,
``19990231``), read as missing otherwise; only the matcher reads it.

Examples:
    >>> import io
    >>> data = b"Student ID,First Name,Last Name,DOB\\nS1,Ann,Lee,1999-02-31\\n"
    >>> read = read_submission(io.BytesIO(data), required=MATCHING_REQUIRED)
    >>> read.table.values("birth_date"), read.table.values(BIRTH_DATE_DIGITS)
    ([None], ['19990231'])
"""

_DIGITS = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")

_OLDEST = 100
_YOUNGEST = 10
_FLOOR = dt.date(1900, 1, 1)
_TWO_DIGIT_YEAR = _DATE_PATTERNS[SHORT_MDY_DATE]
_SCHOOL_CODE = re.compile(r"^[0-9]{1,6}$")
_FIXED_H1 = re.compile(rb"^H1[0-9]{8}")


@frozen(eq=False)
class SubmissionRead:
    """
    What :func:`read_submission` gives: the students table and what happened to each row.

    Attributes:
        table: The accepted students in the canonical columnar form, in file order; unknown
            columns follow as extras (Y/N ones typed as booleans).
        status: Rows read, accepted, and every finding.
        row_numbers: The spreadsheet row (header = 1) of each accepted row.
        format: The format read (one of :data:`SUBMISSION_FORMATS`).
        encoding: The text encoding read (``utf-8``, ``cp1252`` ...); None for ``.xlsx``.
        columns: Each canonical field read -> the file's column it came from.
        header_record: The ``H1`` or ``PH3`` record of a request layout, else empty.

    Examples:
        >>> import io
        >>> data = b"Student ID,First Name,Last Name,DOB\\nS1,Ann,Lee,1995-01-02\\nS2,Bo,Kim,1995-02-03\\n"
        >>> read = read_submission(io.BytesIO(data))
        >>> read.table.n_rows, read.row_numbers.tolist(), read.format, read.encoding
        (2, [2, 3], 'csv', 'utf-8')
        >>> read.columns["birth_date"]
        'DOB'
    """

    table: Table
    status: FileStatus
    row_numbers: NDArray[np.int32] = field(repr=False)
    format: str
    encoding: str | None
    columns: Mapping[str, str]
    header_record: tuple[str, ...] = ()

    def to_records(self) -> tuple[Student, ...]:
        """
        The accepted students as :class:`~edoutcomes.model.Student` records.

        Examples:
            >>> import io
            >>> data = b"Student ID,First Name,Last Name,DOB\\nS1,Ann,Lee,1995-01-02\\n"
            >>> [(s.requester_id, s.birth_date) for s in read_submission(io.BytesIO(data)).to_records()]
            [('S1', datetime.date(1995, 1, 2))]
        """
        return cast(tuple[Student, ...], self.table.to_records())


def read_submission(
    source: Source,
    *,
    format: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    lenient: bool = False,
    as_of: dt.date | None = None,
    encoding: str | None = None,
    required: Collection[str] = DEFAULT_REQUIRED,
) -> SubmissionRead:
    """
    Read a submitted students file into the canonical students table, checking every row.

    Args:
        source: A path or a binary stream.
        format: One of :data:`SUBMISSION_FORMATS`; by default a workbook's or request
            layout's first bytes decide, then the suffix (``.txt``, ``.tsv``: tab-delimited),
            then the header line.
        mapping: The file's column -> the students field it holds (None drops the
            column); it overrides the aliases.
        lenient: Return the findings instead of raising when there are errors.
        as_of: The date two-digit years are read against (``20yy`` when that is no later
            than ten years after it, else ``19yy``) and birth dates are checked against.
        encoding: The text encoding; by default UTF-8 (with or without a byte-order mark),
            else Windows-1252, decided per file.
        required: Fields a row must have (``requester_id`` always is).

    Returns:
        The accepted students, the file status, and how the file was read.

    Raises:
        InvalidInputError: In strict mode, if the file or any row has an error; it carries
            every finding.
        InvalidArgumentError: If *format*, *encoding*, *mapping* or *required* is unusable.
        MissingExtraError: For ``.xlsx`` without ``openpyxl`` (``pip install 'edoutcomes[xlsx]'``).

    Examples:
        >>> data = b"Student ID,First Name,Last Name,DOB,Grad Date,Pell?\\n"
        >>> data += b"S1,Ann,Lee,1/1/95,6/7/13,Y\\nS1,Bo,Kim,2/2/95,6/7/13,N\\n"
        >>> read = read_submission(io.BytesIO(data), lenient=True, as_of=dt.date(2013, 9, 1))
        >>> read.table.values("hs_grad_date"), read.table.values("Pell?")
        ([datetime.date(2013, 6, 7)], [True])
        >>> str(read.status)
        '<input>: 2 rows read, 1 accepted, 1 rejected, 1 errors, 0 warnings'
        >>> print(read.status.errors[0])
        row 3, column requester_id, value 'S1': requester_id (the file's column 'Student ID') appears again (first in row 2); the row is rejected (error)
    """
    name = source_name(source)
    kind = _format_argument(format)
    wanted = _required(required)
    _check_encoding(encoding)
    data = read_bytes(source)
    kind = kind or _sniff(data, name)
    loaded = _load(data, kind, name, encoding)
    if not isinstance(loaded, _Loaded):
        return _unreadable(name, kind, loaded, lenient)
    raw, notes = loaded.raw, loaded.notes
    drop: tuple[str, ...] = ()
    if loaded.record or kind in _LAYOUTS or kind == "nsc-request-fixed":
        drop = _layout_dropped(raw)
        if kind in ("nsc-request", "nsc-request-fixed") or loaded.record[:1] == ("H1",):
            raw, notes_keys = _keys_for_blank_return_fields(raw)
            notes += notes_keys
    return _finish(
        raw,
        kind=kind,
        encoding=loaded.encoding,
        record=loaded.record,
        notes=notes,
        drop=drop,
        mapping=mapping,
        required=wanted,
        as_of=as_of,
        lenient=lenient,
    )


def _check_encoding(encoding: str | None) -> None:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            msg = f"encoding={encoding!r} is not a known text encoding"
            raise InvalidArgumentError(msg) from None


@frozen(eq=False)
class _Loaded:
    """A submission's raw columns, its layout record (or none), notes and text encoding."""

    raw: RawTable
    record: tuple[str, ...]
    notes: list[Finding]
    #: The text encoding read; None for a workbook.
    encoding: str | None


def _load(
    data: bytes, kind: str, name: str | None, encoding: str | None
) -> _Loaded | str | Sequence[Finding]:
    """The file's raw columns as *kind* says to read them, or why the file cannot be read."""
    if kind == "xlsx":
        sheet = _read_xlsx(data, name)
        return sheet if isinstance(sheet, str) else _Loaded(*sheet, None)
    data, text_encoding, notes = _decoded(data, name, encoding)
    record: tuple[str, ...] = ()
    try:
        if kind == "nsc-request-fixed":
            raw, record, notes_layout = _read_fixed_request(data, name)
        elif kind in _LAYOUTS:
            raw, record, notes_layout = _read_tab_request(data, name, kind)
        else:
            raw = read_delimited(io.BytesIO(data), file=name, delimiter=_DELIMITERS[kind])
            notes_layout = []
    except InvalidInputError as exc:  # a field longer than the reader takes
        return exc.findings
    notes += notes_layout
    if text_encoding is None:
        text_encoding = raw.encoding
        if raw.encoding != "utf-8":
            notes.append(_encoding_note(name, raw.encoding))
    return _Loaded(raw, record, notes, text_encoding)


def _format_argument(format: str | None) -> str | None:
    if format is None or format in SUBMISSION_FORMATS:
        return format
    aliases = {"txt": "tab", "tsv": "tab"}
    if format in aliases:
        return aliases[format]
    msg = f"format={format!r} is not one of {', '.join(SUBMISSION_FORMATS)}"
    raise InvalidArgumentError(msg)


def _required(required: Collection[str]) -> frozenset[str]:
    if isinstance(required, str):
        msg = f"required={required!r} must be a collection of field names, not one string"
        raise InvalidArgumentError(msg)
    unknown = sorted(set(required) - set(STUDENTS.names))
    if unknown:
        msg = f"required names {', '.join(unknown)} are not students columns"
        raise InvalidArgumentError(msg)
    return frozenset(required) | {"requester_id"}


_DELIMITERS = {"csv": ",", "tab": "\t"}
_TAB_SUFFIXES = (".txt", ".tsv", ".tab")


def _sniff(data: bytes, name: str | None) -> str:
    """The format of *data*: a workbook's or layout's first bytes, else suffix, else header."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    first = data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    record = first.split(b"\t", 1)[0]
    if b"\t" in first and record in (b"H1", b"PH3"):
        return "nsc-request" if record == b"H1" else "nsc-hs-graduates"
    if _FIXED_H1.match(first) and b"\t" not in first and b"," not in first:
        return "nsc-request-fixed"
    suffix = Path(name).suffix.lower() if name else ""
    if suffix == ".xlsx":
        return "xlsx"
    tabs, commas = first.count(b"\t"), first.count(b",")
    if suffix in _TAB_SUFFIXES:
        return "csv" if commas and not tabs else "tab"
    if suffix == ".csv":
        return "csv"
    return "tab" if tabs > commas else "csv"


def _decoded(
    data: bytes, name: str | None, encoding: str | None
) -> tuple[bytes, str | None, list[Finding]]:
    """*data* as UTF-8 when the caller named an encoding; otherwise left to detection."""
    if encoding is None:
        return data, None, []
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        note = Finding.make(
            Severity.WARNING,
            name,
            row,
            None,
            None,
            f"the file is not {encoding} (a character in row {row} is not); "
            "its encoding was detected instead",
        )
        return data, None, [note]
    return text.encode("utf-8"), encoding, []


def _encoding_note(name: str | None, encoding: str) -> Finding:
    label = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}.get(encoding, encoding)
    return Finding.make(
        Severity.WARNING,
        name,
        None,
        None,
        None,
        f"the file is not UTF-8; it was read as {label}: check that accented names look right",
    )


def _unreadable(
    name: str | None, kind: str, message: str | Sequence[Finding], lenient: bool
) -> SubmissionRead:
    """No row and file-level errors (lenient), or the error raised (strict)."""
    if isinstance(message, str):
        message = (Finding.make(Severity.ERROR, name, None, None, None, message),)
    status = FileStatus(name, 0, 0, tuple(message))
    if not lenient:
        raise InvalidInputError(status.findings, rows_read=0)
    table = Table.empty(STUDENTS)
    return SubmissionRead(table, status, np.empty(0, np.int32), kind, None, {})


# --------------------------------------------------------------------------------------------
# Checking and typing: the canonical reader, with aliases and the intake's own checks
# --------------------------------------------------------------------------------------------


def _finish(
    raw: RawTable,
    *,
    kind: str,
    encoding: str | None,
    record: tuple[str, ...],
    notes: list[Finding],
    drop: tuple[str, ...],
    mapping: Mapping[str, str | None] | None,
    required: frozenset[str],
    as_of: dt.date | None,
    lenient: bool,
) -> SubmissionRead:
    targets, dropped, missing = resolve_headers(raw.header, mapping)
    keep = [
        p
        for p, column in enumerate(raw.columns)
        if p not in dropped and not (column.name in drop and targets[p] is None)
    ]
    raw = evolve(raw, columns=tuple(raw.columns[p] for p in keep))
    targets = [targets[p] for p in keep]
    for key in missing:
        notes.append(
            Finding.make(
                Severity.WARNING,
                raw.file,
                1,
                None,
                None,
                f"the mapping names a column {key!r}, which the file does not have",
            )
        )
    if as_of is None:
        raw = _reject_two_digit_years(raw, targets)
    options = _ReadOptions(
        resolve=lambda position, _name: targets[position],
        required=required,
        parsers={"gender": _parse_gender, "high_school_code": _parse_school_code},
        checks=(
            functools.partial(_check_order, earlier="birth_date", later="hs_grad_date"),
            functools.partial(_check_birth_date, as_of=as_of),
        ),
    )
    read = _table_from_raw(raw, STUDENTS, as_of=as_of, bool_columns=None, options=options)
    if "birth_date" in targets:
        birth = raw.columns[targets.index("birth_date")]
        raw_rows = np.searchsorted(raw.row_numbers, read.row_numbers)
        read = evolve(read, table=_with_birth_digits(read.table, birth, raw_rows))
    columns: dict[str, str] = {}
    for position, target in enumerate(targets):
        if target is not None:
            columns.setdefault(target, raw.columns[position].name)
    findings = _sorted_findings(
        [(f.row or 0, -2, f) for f in notes] + [(f.row or 0, -1, f) for f in read.status.findings]
    )
    findings = tuple(_spelled(f, columns) for f in findings)
    status = FileStatus(
        raw.file,
        read.status.rows_read,
        read.status.rows_accepted,
        findings,
        read.status.blank_lines,
    )
    if not lenient and status.errors:
        raise InvalidInputError(status.findings, rows_read=status.rows_read)
    return SubmissionRead(read.table, status, read.row_numbers, kind, encoding, columns, record)


def _with_birth_digits(table: Table, birth: RawColumn, raw_rows: NDArray[np.intp]) -> Table:
    """*table* with :data:`BIRTH_DATE_DIGITS` where a birth date was 8 digits but no date."""
    digits: list[str | None] = []
    for value in cast(list[str], birth.distinct.tolist()):
        match = _DIGITS.match(value.strip())
        if match is None:
            digits.append(None)
            continue
        y, m, d, m2, d2, y2 = match.groups()
        digits.append(f"{y}{m}{d}" if y is not None else f"{y2}{int(m2):02d}{int(d2):02d}")
    text = np.empty(len(raw_rows), dtype=object)
    text[:] = [digits[c] for c in birth.codes[raw_rows].tolist()] if len(raw_rows) else []
    text[table.data["birth_date"] != MISSING_DAY] = None
    if not any(v is not None for v in text.tolist()):
        return table
    codes, categories = encode_text(text.tolist())
    column = Column(BIRTH_DATE_DIGITS, Kind.TEXT)
    data = {**table.data, BIRTH_DATE_DIGITS: codes}
    return Table(
        table.schema,
        data,
        {**table.categories, BIRTH_DATE_DIGITS: categories},
        (*table.extras, column),
        table.submitted,
    )


def _spelled(finding: Finding, columns: Mapping[str, str]) -> Finding:
    """The finding, its message naming the file's own column where that is spelled otherwise."""
    column = finding.column
    if column is None or column not in columns:
        return finding
    spelling = columns[column]
    if normalise_header(spelling) == normalise_header(column):
        return finding
    prefix = f"{column} "
    if not finding.message.startswith(prefix):
        return finding
    rest = finding.message[len(prefix) :]
    return evolve(finding, message=f"{column} (the file's column {spelling!r}) {rest}")


def _reject_two_digit_years(raw: RawTable, targets: Sequence[str | None]) -> RawTable:
    """Without an as-of date, a row with a two-digit year in a date field is an error."""
    broken = raw.broken.copy()
    findings = list(raw.findings)
    for column, target in zip(raw.columns, targets, strict=True):
        if target is None or STUDENTS[target].kind is not Kind.DATE:
            continue
        short = np.fromiter(
            (_TWO_DIGIT_YEAR.match(s.strip()) is not None for s in column.distinct.tolist()),
            bool,
            len(column.distinct),
        )
        if not short.any():
            continue
        rows = np.flatnonzero(short[column.codes] & ~broken)
        broken[rows] = True
        findings += _row_errors(
            raw.file,
            raw.row_numbers[rows].tolist(),
            f"{target} has a two-digit year, which can only be read with an as-of date "
            "(as_of=...); the row is rejected",
            target,
            [column.value(row) for row in rows.tolist()],
        )
    return evolve(raw, broken=broken, findings=tuple(findings))


def _normal_gender(text: str) -> str | Problem:
    member = Gender.parse(text)
    if member is Gender.UNKNOWN and text.lower() != Gender.UNKNOWN.value:
        return Problem("is not a known gender code (F, M, X)", unknown=True)
    return member.value


def _normal_school_code(text: str) -> str | Problem:
    # Spreadsheets drop an ACT/CEEB code's leading zeros: 52345 is 052345.
    if _SCHOOL_CODE.match(text) is None:
        return Problem("is not a 6-digit ACT/CEEB code")
    return text.zfill(6)


_parse_gender = functools.partial(
    _parse_normalised, column=STUDENTS["gender"], normalise=_normal_gender
)
_parse_school_code = functools.partial(
    _parse_normalised, column=STUDENTS["high_school_code"], normalise=_normal_school_code
)


def _check_birth_date(
    data: dict[str, NDArray[Any]],
    canonical: dict[str, tuple[int, RawColumn]],
    candidates: NDArray[np.bool_],
    rejected: NDArray[np.bool_],
    findings: _Findings,
    *,
    as_of: dt.date | None,
) -> None:
    """Warn about birth dates no student has: in the future, under 10 or over 100 at *as_of*."""
    if "birth_date" not in canonical:
        return
    position, raw = canonical["birth_date"]
    days = data["birth_date"]
    known = candidates & (days != MISSING_DAY)
    if as_of is None:
        rules = [(days < _day(_FLOOR), "birth_date is before 1900")]
    else:
        on = as_of.isoformat()
        rules = [
            (days > _day(as_of), f"birth_date is after the as-of date {on}"),
            (
                (days > _day(as_of - relativedelta(years=_YOUNGEST))) & (days <= _day(as_of)),
                f"birth_date makes the student younger than {_YOUNGEST} on {on}",
            ),
            (
                days <= _day(as_of - relativedelta(years=_OLDEST)),
                f"birth_date makes the student {_OLDEST} or older on {on}",
            ),
        ]
    for bad, message in rules:
        rows = np.flatnonzero(known & bad).tolist()
        findings.add(
            Severity.WARNING,
            rows,
            position,
            "birth_date",
            [raw.value(row) for row in rows],
            f"{message}; the row is kept, but check the date",
        )


# --------------------------------------------------------------------------------------------
# Request layouts
# --------------------------------------------------------------------------------------------


@frozen
class _Layout:
    header: str
    detail: str
    trailer: str
    fields: tuple[str, ...]


_LAYOUTS: dict[str, _Layout] = {
    "nsc-request": _Layout("H1", "D1", "T1", _D1_FIELDS),
    "nsc-hs-graduates": _Layout("PH3", "PD3", "PT3", _PD3_FIELDS),
}
# Layout fields that are not about the student (the submitter's code, fillers, markers).
_LAYOUT_DROPPED = ("record_type", "blank", "school_code", "branch", "end")
# A graduates file's optional columns whose meaning no public source confirms: kept as
# extra columns when they hold anything.
_UNCONFIRMED = "column_"


def _layout_dropped(raw: RawTable) -> tuple[str, ...]:
    """The layout columns to leave out: fillers, and unconfirmed columns blank on every row."""
    blank = tuple(
        column.name
        for column in raw.columns
        if column.name.startswith(_UNCONFIRMED)
        and not any(v.strip() for v in column.distinct.tolist())
    )
    return _LAYOUT_DROPPED + blank


def _keys_for_blank_return_fields(raw: RawTable) -> tuple[RawTable, list[Finding]]:
    """
    A college request whose return field is blank keys those students by spreadsheet row.

    A blank return field is legal (the clearinghouse then returns the other columns only),
    so such a row is read with the key ``row-000002`` (its row), and the file gets one
    warning instead of an error per row.
    """
    position = next((p for p, c in enumerate(raw.columns) if c.name == "requester_id"), None)
    if position is None:
        return raw, []
    column = raw.columns[position]
    blank_codes = np.flatnonzero([not v.strip() for v in column.distinct.tolist()])
    rows = np.flatnonzero(np.isin(column.codes, blank_codes) & ~raw.broken)
    if not len(rows):
        return raw, []
    values = column.distinct[column.codes].astype(object)
    values[rows] = [f"row-{n:06d}" for n in raw.row_numbers[rows].tolist()]
    keyed = factorise(column.name, values.tolist())
    columns = (*raw.columns[:position], keyed, *raw.columns[position + 1 :])
    message = (
        f"the requester return field is blank in {len(rows)} of {raw.n_rows} rows; "
        "those students are keyed by their spreadsheet row (row-000002 for row 2), "
        "which the clearinghouse's results will not carry back"
    )
    note = Finding.make(Severity.WARNING, raw.file, None, "requester_id", None, message)
    return evolve(raw, columns=columns), [note]


def _split_trailer(
    lines: list[bytes], trailer: bytes
) -> tuple[list[bytes], tuple[int, int | None] | None]:
    """The lines without a final trailer record, and the trailer's (row, count)."""
    last = len(lines) - 1
    while last > 0 and not lines[last].strip():
        last -= 1
    line = lines[last].strip(b" \r") if last > 0 else b""
    rest = line[len(trailer) :].strip(b"\t ")
    if not line.startswith(trailer) or not (rest.isdigit() or not rest):
        return lines, None
    return lines[:last], (last + 1, int(rest) if rest else None)


def _trailer_notes(
    name: str | None, layout: _Layout, trailer: tuple[int, int | None] | None, n_lines: int
) -> list[Finding]:
    if trailer is None:
        message = f"the file has no {layout.trailer} trailer record; it may have been cut short"
        return [Finding.make(Severity.WARNING, name, None, None, None, message)]
    row, count = trailer
    if count == n_lines:
        return []
    said = "no count" if count is None else f"{count} records"
    message = f"the {layout.trailer} trailer says {said}, but the file has {n_lines} records"
    return [Finding.make(Severity.WARNING, name, row, None, None, message)]


def _text_line(line: bytes) -> str:
    _, decoded, _ = _decode([[], [line.rstrip(b"\r").decode("latin-1")]])
    return decoded[0][0]


def _records(body: list[bytes]) -> int:
    """Records in a layout file: its non-blank lines, the trailer included."""
    return sum(1 for line in body if line.strip()) + 1


def _read_tab_request(
    data: bytes, name: str | None, kind: str
) -> tuple[RawTable, tuple[str, ...], list[Finding]]:
    """A tab-delimited request file: the header record is row 1, the detail rows follow."""
    layout = _LAYOUTS[kind]
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    body, trailer = _split_trailer(lines, layout.trailer.encode())
    header = "\t".join(layout.fields).encode()
    # Tools that write these files differ on trailing blank fields (a blank return field
    # may be left off the row): a row with fewer fields than the layout is padded.
    width = len(layout.fields) - 1
    padded = [
        line + b"\t" * (width - line.count(b"\t")) if 0 < line.count(b"\t") < width else line
        for line in (line.rstrip(b"\r") for line in body[1:])
    ]
    rebuilt = b"\n".join([header, *padded]) + b"\n"
    raw = read_delimited(io.BytesIO(rebuilt), file=name, delimiter="\t")
    record = tuple(_text_line(lines[0]).split("\t")) if lines else ()
    notes = _trailer_notes(name, layout, trailer, _records(body))
    return _detail_rows_only(raw, layout.detail), record, notes


def _read_fixed_request(
    data: bytes, name: str | None
) -> tuple[RawTable, tuple[str, ...], list[Finding]]:
    """A fixed-width college request file (:data:`~edoutcomes.formats.request.COLLEGE_LAYOUTS`)."""
    layout = _LAYOUTS["nsc-request"]
    detail = COLLEGE_LAYOUTS["D1"]
    width = detail.width
    lines = [line.rstrip(b"\r") for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n")]
    if lines and lines[-1] == b"":
        lines.pop()
    body, trailer = _split_trailer(lines, b"T1")
    numbers = [i + 1 for i, line in enumerate(body) if i and line.strip()]
    rows = [body[n - 1] for n in numbers]
    lengths = np.fromiter(map(len, rows), np.int64, len(rows))
    broken = lengths > width
    matrix = np.array(
        [b"" if bad else row for row, bad in zip(rows, broken.tolist(), strict=True)],
        dtype=f"S{width}",
    )
    cells = matrix.view(np.uint8).reshape(len(rows), width).copy()
    cells[cells == 0] = ord(" ")
    columns: list[tuple[str, NDArray[np.int32], list[str]]] = []
    for field_name, (first, last) in detail.positions().items():
        piece = np.ascontiguousarray(cells[:, first - 1 : last]).view(f"S{last - first + 1}")
        distinct, codes = np.unique(piece.ravel(), return_inverse=True)
        texts = [b.decode("latin-1").strip() for b in distinct.tolist()]
        columns.append((field_name, codes.astype(np.int32).ravel(), texts))
    _, decoded, encoding = _decode([[], *(texts for _, _, texts in columns)])
    raw_columns = tuple(
        RawColumn(field_name, codes, _object_array(texts))
        for (field_name, codes, _), texts in zip(columns, decoded, strict=True)
    )
    row_numbers = np.array(numbers, dtype=np.int32)
    findings = _row_errors(
        name,
        row_numbers[broken].tolist(),
        f"the row is longer than the layout's {width} characters; the row is rejected",
    )
    raw = RawTable(name, raw_columns, row_numbers, broken, findings, encoding)
    record: tuple[str, ...] = ()
    if lines:
        h1 = COLLEGE_LAYOUTS["H1"]
        record = tuple(h1.parse_line(_text_line(lines[0]).ljust(h1.width)[: h1.width]).values())
    notes = _trailer_notes(name, layout, trailer, _records(body))
    return _detail_rows_only(raw, layout.detail), record, notes


def _row_errors(
    name: str | None,
    rows: Sequence[int],
    message: str,
    column: str | None = None,
    values: Sequence[str] | None = None,
) -> tuple[Finding, ...]:
    """One error per spreadsheet row in *rows*."""
    return tuple(
        Finding.make(
            Severity.ERROR, name, row, column, None if values is None else values[k], message
        )
        for k, row in enumerate(rows)
    )


def _detail_rows_only(raw: RawTable, detail: str) -> RawTable:
    """Reject rows whose record type is not the layout's detail type."""
    column = next((c for c in raw.columns if c.name == "record_type"), None)
    if column is None:
        return raw
    wrong = np.fromiter(
        (s.strip() != detail for s in column.distinct.tolist()), bool, len(column.distinct)
    )
    rows = np.flatnonzero(wrong[column.codes] & ~raw.broken)
    if not len(rows):
        return raw
    broken = raw.broken.copy()
    broken[rows] = True
    findings = raw.findings + _row_errors(
        raw.file,
        raw.row_numbers[rows].tolist(),
        f"record_type is not {detail}, the type of a student row; the row is rejected",
        "record_type",
        [column.value(row) for row in rows.tolist()],
    )
    return evolve(raw, broken=broken, findings=findings)


# --------------------------------------------------------------------------------------------
# Excel workbooks
# --------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold (dates ISO, whole numbers without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _format_scalar(value)


def _read_xlsx(
    data: bytes, name: str | None
) -> tuple[RawTable, tuple[str, ...], list[Finding]] | str:
    """
    The first sheet of a workbook as raw columns (and its layout record), or why it cannot be read.

    A sheet whose first filled row starts with ``H1`` or ``PH3`` is a request layout with no
    column-name row, as the clearinghouse's Excel instructions build it: it is read as the
    same layout in tab-delimited text is.
    """
    openpyxl = require("openpyxl", feature="reading .xlsx submissions", extra="xlsx")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            grid = [
                (number, [_cell_text(v) for v in values])
                for number, values in enumerate(counted(sheet.iter_rows(values_only=True)), 1)
            ]
        finally:
            book.close()
    except Exception:  # a damaged workbook raises whatever its parser happens to hit
        return "the file is not a readable .xlsx workbook (save it again from the spreadsheet)"
    filled = [(number, cells) for number, cells in grid if any(c.strip() for c in cells)]
    if not filled:
        empty = Finding.make(Severity.ERROR, name, 1, None, None, "the file is empty (no header)")
        return RawTable(name, (), np.empty(0, np.int32), np.empty(0, bool), (empty,)), (), []
    first = filled[0][1][0].strip() if filled[0][1] else ""
    layout = next((v for v in _LAYOUTS.values() if v.header == first), None)
    if layout is None:
        (_, header), rows = filled[0], filled[1:]
        return _grid_table(name, header, rows), (), []
    return _xlsx_request(name, filled, layout)


def _xlsx_request(
    name: str | None, filled: list[tuple[int, list[str]]], layout: _Layout
) -> tuple[RawTable, tuple[str, ...], list[Finding]]:
    """A request layout in a sheet: header record, detail rows, trailer record."""
    (_, record_cells), rows = filled[0], filled[1:]
    record = tuple(c.strip() for c in record_cells)
    while record and not record[-1]:
        record = record[:-1]
    trailer: tuple[int, int | None] | None = None
    if rows and rows[-1][1] and rows[-1][1][0].strip() == layout.trailer:
        number, cells = rows.pop()
        count = cells[1].strip() if len(cells) > 1 else ""
        trailer = (number, int(count) if count.isdigit() else None)
        if count and not count.isdigit():
            trailer = None
    notes = _trailer_notes(name, layout, trailer, len(rows) + 2)
    raw = _grid_table(name, list(layout.fields), rows)
    return _detail_rows_only(raw, layout.detail), record, notes


def _grid_table(name: str | None, header: list[str], rows: list[tuple[int, list[str]]]) -> RawTable:
    """Sheet rows under *header* as raw columns; a row with values past the header is rejected."""
    width = max((i + 1 for i, c in enumerate(header) if c.strip()), default=0)
    broken = [any(c.strip() for c in cells[width:]) for _, cells in rows]
    padded = [
        [""] * width if bad else (cells + [""] * width)[:width]
        for (_, cells), bad in zip(rows, broken, strict=True)
    ]
    columns = tuple(
        factorise(header[j].strip(), [cells[j] for cells in padded]) for j in range(width)
    )
    numbers = np.array([number for number, _ in rows], dtype=np.int32)
    findings = _row_errors(
        name,
        numbers[np.array(broken, dtype=bool)].tolist(),
        "the row has values beyond the header's columns; the row is rejected",
    )
    return RawTable(name, columns, numbers, np.array(broken, dtype=bool), findings)
