"""
The clearinghouse detail report (CSV, one row per enrollment term or degree): reader and writer.

:func:`read_detail` reads both variants (the college / cohort-query file of 33 columns and
the high-school file), whatever the header's spelling, into the columnar view
(:class:`~edoutcomes.model.CohortColumns`) and typed records, with a finding for every
value it could not use. :func:`write_detail` writes a cohort query's detail report in the
published 33-column layout.

Examples:
    >>> import io
    >>> text = (b"Your Unique Identifier,First Name,Last Name,Requester Return Field,Record Found Y/N,"
    ...         b"Search Date,College Code/Branch,2-year / 4-year,Enrollment Begin,Enrollment End\\n"
    ...         b",ANN,LEE,7_,Y,20160915,001817-00,4,20160829,20161215\\n")
    >>> detail = read_detail(io.BytesIO(text))
    >>> detail.variant, detail.columns.enrollments.n_rows, detail.search_date
    (<DetailVariant.COLLEGE: 'college'>, 1, datetime.date(2016, 9, 15))
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import IO, Any, cast

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._csv import CsvColumn, write_columns
from .._kernel._days import MISSING_DAY, date_of
from .._kernel._findings import FileStatus, Finding, Severity
from .._kernel._groups import first_rows
from .._kernel._values import column_strings, format_value, unique_ints
from ..cohort import DETAIL_COLUMNS, DETAIL_DEGREE_SOURCES, DETAIL_RECORD_SOURCES, DetailReport
from ..errors import InvalidInputError
from ..model import (
    DEGREES,
    ENROLLMENTS,
    STUDENTS,
    Cohort,
    CohortColumns,
    Column,
    DegreeRecord,
    EnrollmentRecord,
    Kind,
    Student,
    Table,
    TableSchema,
)
from ._detail_quirks import disagreements, pad_codes, student_key
from ._parse import DATE_FORMATS, Parsed, parse_column
from ._reader import RawColumn, RawTable, Source, normalise_header, read_delimited

__all__ = [
    "HIGH_SCHOOL_COLUMNS",
    "DetailFile",
    "DetailVariant",
    "detail_value",
    "read_detail",
    "write_detail",
    "write_high_school_detail",
]


class DetailVariant(enum.StrEnum):
    """
    Which detail report a file is: the college (cohort query) one or the high-school one.

    Examples:
        >>> DetailVariant("high_school"), [str(variant) for variant in DetailVariant]
        (<DetailVariant.HIGH_SCHOOL: 'high_school'>, ['college', 'high_school'])
    """

    COLLEGE = "college"
    HIGH_SCHOOL = "high_school"


HIGH_SCHOOL_COLUMNS: tuple[str, ...] = (
    "Your Unique Identifier",
    "First Name",
    "Middle Name",
    "Last Name",
    "Name Suffix",
    "Requester Return Field",
    "Record Found Y/N",
    "High School Code",
    "High School Grad Date",
    "College Code/Branch",
    "College Name",
    "College State",
    "2-year / 4-year",
    "Public / Private",
    "Enrollment Begin",
    "Enrollment End",
    "Enrollment Status",
    "Graduated?",
    "Graduation Date",
    "Degree Title",
    "Major",
    "College Sequence",
    "Program Code",
)
"""
The high-school detail report's columns, in the order of a real returned file (a vendor's
scrambled test data, whose headers are UPPER_SNAKE: ``RECORD_FOUND_Y/N``, ``GRADUATED``); the
reader takes either spelling, the writer writes these.

Examples:
    >>> len(HIGH_SCHOOL_COLUMNS), HIGH_SCHOOL_COLUMNS[:3]
    (23, ('Your Unique Identifier', 'First Name', 'Middle Name'))
"""

# Normalised header -> the reader's field. ``major``/``cip`` (high-school files) go to the
# enrollment or the degree, whichever the row is.
_FIELDS: dict[str, str] = {
    "youruniqueidentifier": "unique_id",
    "firstname": "first_name",
    "middleinitial": "middle_name",
    "middlename": "middle_name",
    "lastname": "last_name",
    "namesuffix": "name_suffix",
    "requesterreturnfield": "requester_id",
    "recordfoundyn": "record_found",
    "recordfound": "record_found",
    "searchdate": "search_date",
    "highschoolcode": "high_school_code",
    "highschoolgraddate": "hs_grad_date",
    "collegecodebranch": "college_code",
    "collegecode": "college_code",
    "collegename": "college_name",
    "collegestate": "college_state",
    "2year4year": "college_type",
    "publicprivate": "college_control",
    "enrollmentbegin": "begin_date",
    "enrollmentend": "end_date",
    "enrollmentstatus": "enrollment_status",
    "classlevel": "class_level",
    "enrollmentmajor1": "enrollment_major_1",
    "enrollmentcip1": "enrollment_cip_1",
    "enrollmentmajor2": "enrollment_major_2",
    "enrollmentcip2": "enrollment_cip_2",
    "graduated": "graduated",
    "graduationdate": "award_date",
    "degreetitle": "degree_title",
    "degreemajor1": "degree_major_1",
    "degreecip1": "degree_cip_1",
    "degreemajor2": "degree_major_2",
    "degreecip2": "degree_cip_2",
    "degreemajor3": "degree_major_3",
    "degreecip3": "degree_cip_3",
    "degreemajor4": "degree_major_4",
    "degreecip4": "degree_cip_4",
    "major": "major",
    "cip": "cip",
    "collegesequence": "college_sequence",
    "programcode": "program_code",
}

_TEXT = Kind.TEXT
# How each field parses (a schema column) and where it goes: (table, canonical name).
_ENROLLMENT_TARGETS: dict[str, str] = {
    "college_code": "college_code",
    "college_name": "college_name",
    "college_state": "college_state",
    "college_type": "college_type",
    "college_control": "college_control",
    "begin_date": "begin_date",
    "end_date": "end_date",
    "enrollment_status": "enrollment_status",
    "class_level": "class_level",
    "enrollment_major_1": "major_1",
    "enrollment_cip_1": "cip_1",
    "enrollment_major_2": "major_2",
    "enrollment_cip_2": "cip_2",
    "major": "major_1",
    "cip": "cip_1",
}
_DEGREE_TARGETS: dict[str, str] = {
    "college_code": "college_code",
    "college_name": "college_name",
    "college_state": "college_state",
    "college_type": "college_type",
    "college_control": "college_control",
    "award_date": "award_date",
    "degree_title": "degree_title",
    "degree_major_1": "major_1",
    "degree_cip_1": "cip_1",
    "degree_major_2": "major_2",
    "degree_cip_2": "cip_2",
    "degree_major_3": "major_3",
    "degree_cip_3": "cip_3",
    "degree_major_4": "major_4",
    "degree_cip_4": "cip_4",
    "major": "major_1",
    "cip": "cip_1",
}
_STUDENT_TARGETS: dict[str, str] = {
    "unique_id": "unique_id",
    "first_name": "first_name",
    "middle_name": "middle_name",
    "last_name": "last_name",
    "name_suffix": "name_suffix",
    "high_school_code": "high_school_code",
    "hs_grad_date": "hs_grad_date",
}
#: Columns kept on the records as extra text columns.
_EXTRA_RECORD_COLUMNS = ("college_sequence", "program_code")
_REQUIRED_RECORD = {
    "enrollments": ("college_code", "college_type", "begin_date", "end_date"),
    "degrees": ("college_code", "award_date"),
}


def _column_for(field: str) -> Column:
    """The schema column a field parses as (its canonical twin, or text)."""
    for schema, targets in ((ENROLLMENTS, _ENROLLMENT_TARGETS), (DEGREES, _DEGREE_TARGETS)):
        name = targets.get(field)
        if name is not None:
            column = schema[name]
            return Column(field, column.kind, column.codes, blank=column.blank)
    if field in _STUDENT_TARGETS:
        return Column(field, STUDENTS[_STUDENT_TARGETS[field]].kind)
    if field in ("search_date",):
        return Column(field, Kind.DATE)
    if field in ("record_found", "graduated"):
        return Column(field, Kind.BOOL)
    return Column(field, _TEXT)


@frozen(eq=False)
class DetailFile:
    """
    A detail report as read: the columnar view, the typed records, and what went wrong.

    Attributes:
        variant: College (cohort query) or high school.
        columns: Students (one per requester return field, in file order), enrollments and
            degrees as a :class:`~edoutcomes.model.CohortColumns`. Records keep
            ``college_sequence`` (and ``program_code`` in high-school files) as extra columns.
        search_date: The search date of the file (the first one given), if any.
        status: Rows read, accepted and rejected, with every finding.

    Examples:
        >>> import io
        >>> text = (b"Your Unique Identifier,First Name,Last Name,Requester Return Field,Record Found Y/N,"
        ...         b"Search Date,College Code/Branch,2-year / 4-year,Enrollment Begin,Enrollment End\\n"
        ...         b",ANN,LEE,7_,Y,20160915,001817-00,4,20160829,20161215\\n"
        ...         b",BO,NG,8_,N,20160915,,,,\\n")
        >>> detail = read_detail(io.BytesIO(text))
        >>> [s.requester_id for s in detail.students], detail.columns.enrollment_student.tolist()
        (['7', '8'], [0])
        >>> str(detail.status)
        '<input>: 2 rows read, 2 accepted, 0 rejected, 0 errors, 0 warnings'
    """

    variant: DetailVariant
    columns: CohortColumns
    search_date: dt.date | None
    status: FileStatus

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every error and warning, in file order."""
        return self.status.findings

    @property
    def students(self) -> tuple[Student, ...]:
        """The students as records."""
        return cast(tuple[Student, ...], self.columns.students.to_records())

    @property
    def enrollments(self) -> tuple[EnrollmentRecord, ...]:
        """The enrollment terms as records."""
        return cast(tuple[EnrollmentRecord, ...], self.columns.enrollments.to_records())

    @property
    def degrees(self) -> tuple[DegreeRecord, ...]:
        """The degrees as records."""
        return cast(tuple[DegreeRecord, ...], self.columns.degrees.to_records())

    def cohort(self) -> Cohort:
        """The file's students and records as a :class:`~edoutcomes.model.Cohort`."""
        # attrs types a ``converter=tuple`` field as a generic iterable mypy cannot solve.
        parts: list[Any] = [self.students, self.enrollments, self.degrees]
        return Cohort(*parts)


def _fill_down(
    values: NDArray[np.int32], student: NDArray[np.int32], college: NDArray[np.int32]
) -> NDArray[np.int32]:
    """Carry the last given value down to blank rows of the same student and college."""
    n = len(values)
    rows = np.arange(n)
    given = values >= 0
    last = np.maximum.accumulate(np.where(given, rows, -1)) if n else rows
    source = np.where(last >= 0, last, 0)
    same = (last >= 0) & (student[source] == student) & (college[source] == college)
    return np.where(~given & same, values[source], values).astype(np.int32)


@frozen(eq=False)
class _DetailFields:
    """The file's columns the reader knows, keyed by field, each parsed as its canonical twin."""

    file: str | None
    rows: NDArray[Any]
    fields: dict[str, RawColumn]
    parsed: dict[str, Parsed]

    def report(
        self,
        findings: list[Finding],
        mask: NDArray[np.bool_],
        key: str,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """A finding on the field *key* for every row of *mask*."""
        column = self.fields[key].name if key in self.fields else key
        for i in np.flatnonzero(mask).tolist():
            value = self.fields[key].value(i) if key in self.fields else None
            findings.append(
                Finding.make(severity, self.file, int(self.rows[i]), column, value, message)
            )


@frozen(eq=False)
class _RowKinds:
    """What each row is: rejected so far, without a student, an enrollment or a degree."""

    rejected: NDArray[np.bool_]
    no_id: NDArray[np.bool_]
    enrollment: NDArray[np.bool_]
    degree: NDArray[np.bool_]


def _row_kinds(
    detail: _DetailFields, broken: NDArray[np.bool_], n: int, findings: list[Finding]
) -> _RowKinds:
    """Reject rows without a return field; sort the others into enrollments and degrees."""
    parsed = detail.parsed
    no_id = parsed["requester_id"].blank & ~broken
    detail.report(
        findings,
        no_id,
        "requester_id",
        "the requester return field and Your Unique Identifier are both blank, so the row "
        "names no student; the row is rejected",
    )
    rejected = broken | no_id
    found = _flag(parsed.get("record_found"), n)
    graduated = _flag(parsed.get("graduated"), n)
    has_college = ~parsed["college_code"].blank if "college_code" in parsed else np.zeros(n, bool)
    # Record Found missing (or blank): a row with a college is a found row.
    found = np.where(found < 0, has_college.astype(np.int8), found)
    return _RowKinds(
        rejected,
        no_id,
        enrollment=(found == 1) & (graduated != 1) & ~rejected,
        degree=(found == 1) & (graduated == 1) & ~rejected,
    )


def _value_problems(
    detail: _DetailFields,
    targets: dict[str, str],
    mask: NDArray[np.bool_],
    n: int,
    findings: list[Finding],
) -> NDArray[np.bool_]:
    """Findings for the record rows' unusable values (errors) and unknown codes (warnings)."""
    bad = np.zeros(n, dtype=bool)
    for key in targets:
        if key not in detail.parsed:
            continue
        column = detail.parsed[key]
        problem = np.zeros(n, dtype=bool)
        problem[column.problem_rows(unknown=False)] = True
        unknown = np.zeros(n, dtype=bool)
        unknown[column.problem_rows(unknown=True)] = True
        for flag, severity in (
            (problem & mask, Severity.ERROR),
            (unknown & mask, Severity.WARNING),
        ):
            for i in np.flatnonzero(flag).tolist():
                message = column.problem(i)
                text = message.message if message else "is not usable"
                if severity is Severity.ERROR:
                    text += "; the row is rejected"
                findings.append(
                    Finding.make(
                        severity,
                        detail.file,
                        int(detail.rows[i]),
                        detail.fields[key].name,
                        detail.fields[key].value(i),
                        text,
                    )
                )
        bad |= problem & mask
    return bad


def _missing_required(
    detail: _DetailFields,
    table: str,
    targets: dict[str, str],
    mask: NDArray[np.bool_],
    findings: list[Finding],
) -> NDArray[np.bool_]:
    """The record rows blank in a column every row of *table* needs (an error if the column is absent)."""
    bad = np.zeros(len(mask), dtype=bool)
    for canonical in _REQUIRED_RECORD[table]:
        keys = [k for k, v in targets.items() if v == canonical and k in detail.parsed]
        if not keys:
            if mask.any():
                msg = f"the file has no column for {canonical}, which every {table[:-1]} row needs"
                raise InvalidInputError(
                    [Finding.make(Severity.ERROR, detail.file, 1, None, None, msg)]
                )
            continue
        missing = detail.parsed[keys[0]].blank & mask
        article = "an" if table[0] == "e" else "a"
        detail.report(
            findings,
            missing,
            keys[0],
            f"{canonical} is required on {article} {table[:-1]} row; the row is rejected",
        )
        bad |= missing
    return bad


def _record_rows(
    detail: _DetailFields, table: str, mask: NDArray[np.bool_], n: int, findings: list[Finding]
) -> NDArray[np.bool_]:
    """The rows of *mask* that make good records of *table* (enrollments or degrees)."""
    targets = _ENROLLMENT_TARGETS if table == "enrollments" else _DEGREE_TARGETS
    bad = _value_problems(detail, targets, mask, n, findings)
    bad |= _missing_required(detail, table, targets, mask, findings)
    if table == "enrollments" and {"begin_date", "end_date"} <= set(detail.parsed):
        begin, end = detail.parsed["begin_date"].data, detail.parsed["end_date"].data
        backwards = mask & ~bad & (end < begin)
        detail.report(
            findings,
            backwards,
            "end_date",
            "the end date is before the begin date; the row is rejected",
        )
        bad |= backwards
    return mask & ~bad


def read_detail(
    source: Source,
    *,
    lenient: bool = False,
    as_of: dt.date | None = None,
    file: str | None = None,
) -> DetailFile:
    """
    Read a clearinghouse detail report (college / cohort-query or high-school variant).

    Headers match after normalising case, spaces, ``_``, ``/`` and ``?`` (``Record Found Y/N``,
    ``RECORD_FOUND_Y/N``). Dates may be ``YYYYMMDD``, ``MM/DD/YYYY`` or ``M/D/YY``; the
    requester return field loses its trailing ``_``; a blank ``College Sequence`` takes the
    value above it for the same student and college; CIP codes become ``NN.NNNN``;
    ``4-year``/``2-year``/``Less Than 2 Years`` read as ``4``/``2``/``L``.

    What real files do (each with a warning, never a rejected row): the student is keyed
    by the requester return field, else (blank, as real high-school files leave it) by
    ``Your Unique Identifier``, and the status says which; high-school and college codes
    that lost leading zeros (``53280``, ``1817-00``) get them back; a student whose rows
    disagree on the high-school code or graduation date is warned about on their first
    row, whose values count; columns the layout does not have (a state's
    ``Reporting_Year``, ``LEA``) are kept as student attributes. ``Graduated?`` may be
    ``N`` or blank on a not-found row.

    Args:
        source: A path or a binary stream.
        lenient: Collect bad rows as findings instead of raising.
        as_of: The date two-digit years (``M/D/YY``) are read against.
        file: The name findings use (default: the path).

    Returns:
        The columnar view, typed records on demand, and the file status.

    Raises:
        InvalidInputError: If a column the reader needs is missing, or (unless *lenient*)
            with every rejected value: file, row, column and value (personal values redacted).

    Examples:
        >>> import io
        >>> text = (b"Your Unique Identifier,FIRST_NAME,Last Name,Requester Return Field,"
        ...         b"Record Found Y/N,Search Date,College Code/Branch,2-year / 4-year,"
        ...         b"Enrollment Begin,Enrollment End,Enrollment Status,Graduated?,"
        ...         b"Enrollment CIP 1,College Sequence\\n"
        ...         b",ANN,LEE,7_,Y,20060915,001817-00,4,20070827,20071215,H,N,90401,1\\n"
        ...         b",ANN,LEE,7_,Y,20060915,001817-00,4,1/7/2008,4/29/2008,F,N,,\\n"
        ...         b",BO,NG,8_,N,20060915,,,,,,,,\\n")
        >>> detail = read_detail(io.BytesIO(text))
        >>> [s.requester_id for s in detail.students], len(detail.enrollments)
        (['7', '8'], 2)
        >>> e = detail.enrollments[1]
        >>> e.begin_date.isoformat(), e.attribute("college_sequence"), str(detail.enrollments[0].cip_1)
        ('2008-01-07', '1', '09.0401')
    """
    raw = read_delimited(source, file=file)
    findings: list[Finding] = list(raw.findings)
    detail, extra = _detail_fields(raw, findings, as_of)
    variant = (
        DetailVariant.HIGH_SCHOOL
        if {"high_school_code", "hs_grad_date", "major"} & set(detail.fields)
        else DetailVariant.COLLEGE
    )
    n = raw.n_rows
    kinds = _row_kinds(detail, raw.broken, n, findings)
    good = _GoodRows(
        _record_rows(detail, "enrollments", kinds.enrollment, n, findings),
        _record_rows(detail, "degrees", kinds.degree, n, findings),
    )
    rejected = kinds.rejected | (kinds.enrollment & ~good.enrollments)
    rejected |= kinds.degree & ~good.degrees
    columns = _cohort_columns(detail, extra, ~kinds.no_id & ~raw.broken, good, as_of, findings)
    search = _search_date(detail.parsed)
    ordered = sorted(findings, key=lambda f: f.row or 0)
    status = FileStatus(raw.file, n, int((~rejected).sum()), tuple(ordered), raw.blank_lines)
    if not lenient and status.errors:
        raise InvalidInputError(status.errors, rows_read=n)
    return DetailFile(variant, columns, search, status)


def _detail_fields(
    raw: RawTable, findings: list[Finding], as_of: dt.date | None
) -> tuple[_DetailFields, dict[str, RawColumn]]:
    """The known columns keyed by student and parsed (codes padded), and the extra columns."""
    name = raw.file
    fields, extra = _resolve_columns(raw, findings)
    fields["requester_id"], notes = student_key(
        fields.get("requester_id"), fields.get("unique_id"), name
    )
    findings += notes
    for key in ("high_school_code", "college_code"):
        if key in fields:
            fields[key], notes = pad_codes(fields[key], key, name, raw.row_numbers)
            findings += notes
    parsed: dict[str, Parsed] = {
        key: parse_column(col, _column_for(key), date_formats=DATE_FORMATS, as_of=as_of)
        for key, col in fields.items()
    }
    return _DetailFields(name, raw.row_numbers, fields, parsed), extra


@frozen(eq=False)
class _GoodRows:
    """The rows that make good enrollment records and good degree records."""

    enrollments: NDArray[np.bool_]
    degrees: NDArray[np.bool_]


def _cohort_columns(
    detail: _DetailFields,
    extra: dict[str, RawColumn],
    named: NDArray[np.bool_],
    good: _GoodRows,
    as_of: dt.date | None,
    findings: list[Finding],
) -> CohortColumns:
    """
    The students (every row that *named* one, even a rejected record row) and good records.

    A student whose rows disagree on a student value is warned about (in *findings*).
    """
    parsed = detail.parsed
    n = len(detail.rows)
    extras = {
        column: parse_column(col, Column(column, _TEXT), date_formats=DATE_FORMATS, as_of=as_of)
        for column, col in extra.items()
    }
    student_table, row_student = _students(parsed, parsed["requester_id"].data, named, n, extras)
    findings += disagreements(
        parsed, {k: c.name for k, c in detail.fields.items()}, row_student, detail.rows, detail.file
    )
    sequence = _sequence(parsed, row_student)
    enrollments = _records(ENROLLMENTS, _ENROLLMENT_TARGETS, parsed, good.enrollments, sequence, n)
    degrees = _records(DEGREES, _DEGREE_TARGETS, parsed, good.degrees, sequence, n)
    return CohortColumns.from_tables(student_table, enrollments, degrees)


def _search_date(parsed: dict[str, Parsed]) -> dt.date | None:
    """The file's search date: the first one given (None without the column or a date)."""
    if "search_date" not in parsed:
        return None
    days = parsed["search_date"].data[~parsed["search_date"].blank]
    good = days[days != MISSING_DAY]
    if not len(good):
        return None
    return date_of(int(good[0]))


def _flag(parsed: Parsed | None, n: int) -> NDArray[np.int8]:
    if parsed is None:
        return np.full(n, -1, dtype=np.int8)
    return cast(NDArray[np.int8], parsed.data.astype(np.int8))


def _resolve_columns(
    raw: RawTable, findings: list[Finding]
) -> tuple[dict[str, RawColumn], dict[str, RawColumn]]:
    """
    The file's columns by reader field, and the columns the layout does not have.

    Columns the layout does not have (a state's ``Reporting_Year`` first, ``LEA`` last)
    are kept as student attributes and said in one warning; a second column for one field
    is ignored with a warning.
    """
    fields: dict[str, RawColumn] = {}
    extra: dict[str, RawColumn] = {}
    for column in raw.columns:
        key = _FIELDS.get(normalise_header(column.name))
        if key is None and column.name.strip() and column.name not in STUDENTS.names:
            extra.setdefault(column.name, column)
        elif key is None or key in fields:
            message = (
                "a column the reader does not know; ignored"
                if key is None
                else "a second column for the same field; ignored"
            )
            findings.append(Finding.make(Severity.WARNING, raw.file, 1, column.name, None, message))
        else:
            fields[key] = column
    if extra:
        listed = ", ".join(repr(c) for c in extra)
        message = f"columns the detail layout does not have, kept as student attributes: {listed}"
        findings.append(Finding.make(Severity.WARNING, raw.file, 1, None, None, message))
    return fields, extra


def _students(
    parsed: dict[str, Parsed],
    codes: NDArray[np.int32],
    valid: NDArray[np.bool_],
    n: int,
    extras: Mapping[str, Parsed] | None = None,
) -> tuple[Table, NDArray[np.int32]]:
    """
    One student per distinct key, in order of first appearance, from its first row.

    *extras* (columns the layout does not have) become text attributes of the student.
    """
    size = int(codes.max()) + 2 if n else 1
    first_of_code = first_rows(np.where(valid, codes, -1), size)
    present = np.flatnonzero(first_of_code >= 0)
    # Students in order of first appearance: their codes by first row.
    present = present[np.argsort(first_of_code[present])]
    first_row = first_of_code[present]
    student_of_code = np.full(size, -1, dtype=np.int32)
    student_of_code[present] = np.arange(len(present), dtype=np.int32)
    row_student = np.where(codes >= 0, student_of_code[np.maximum(codes, 0)], -1).astype(np.int32)
    values = _RowValues.at(parsed, first_row, _STUDENT_TARGETS, extras or {})
    return values.table(STUDENTS), row_student


def _sequence(parsed: dict[str, Parsed], row_student: NDArray[np.int32]) -> Parsed | None:
    seq = parsed.get("college_sequence")
    if seq is None:
        return None
    college = (
        parsed["college_code"].data
        if "college_code" in parsed
        else np.zeros(len(row_student), np.int32)
    )
    filled = _fill_down(seq.data.astype(np.int32), row_student, college.astype(np.int32))
    return Parsed(seq.raw, filled, seq.categories, filled < 0, seq.problems)


def _records(
    schema: Any,
    targets: dict[str, str],
    parsed: dict[str, Parsed],
    mask: NDArray[np.bool_],
    sequence: Parsed | None,
    n: int,
) -> Table:
    extras = {"college_sequence": sequence, "program_code": parsed.get("program_code")}
    values = _RowValues.at(
        parsed, np.flatnonzero(mask), targets, {key: extras[key] for key in _EXTRA_RECORD_COLUMNS}
    )
    return values.table(schema)


@frozen(eq=False)
class _RowValues:
    """Parsed columns taken at some rows, as a table's arrays, categories and extra columns."""

    data: dict[str, NDArray[Any]]
    categories: dict[str, NDArray[np.object_]]
    extras: list[Column]

    @classmethod
    def at(
        cls,
        parsed: Mapping[str, Parsed],
        rows: NDArray[np.intp],
        targets: Mapping[str, str],
        extras: Mapping[str, Parsed | None],
    ) -> _RowValues:
        """
        The requester id, each parsed field under its *targets* column (the first of two
        fields for one column wins) and the *extras* as text columns (None: left out).
        """
        rid = parsed["requester_id"]
        assert rid.categories is not None
        data: dict[str, NDArray[Any]] = {"requester_id": rid.data[rows].astype(np.int32)}
        categories = {"requester_id": rid.categories}
        for key, target in targets.items():
            if key not in parsed or target in data:
                continue
            column = parsed[key]
            data[target] = column.data[rows]
            if column.categories is not None:
                categories[target] = column.categories
        kept: list[Column] = []
        for name, extra in extras.items():
            if extra is None:
                continue
            kept.append(Column(name, Kind.TEXT))
            data[name] = extra.data[rows].astype(np.int32, copy=False)
            assert extra.categories is not None
            categories[name] = extra.categories
        return cls(data, categories, kept)

    def table(self, schema: TableSchema) -> Table:
        """The values as a table of *schema*."""
        return Table.from_arrays(schema, self.data, self.categories, self.extras)


# --- writer ------------------------------------------------------------------------------


def detail_value(value: object) -> str:
    """
    A value as the detail report writes it: ``YYYYMMDD`` dates, 6-digit CIP, ``Y``/``N``, codes.

    The library's one value formatter in its ``nsc`` layout.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Cip, EnrollmentStatus
        >>> [detail_value(v) for v in (dt.date(2007, 8, 27), Cip.parse("9.0401"), True, EnrollmentStatus.WITHHELD, None, 2)]
        ['20070827', '090401', 'Y', '', '', '2']
    """
    return format_value(value, layout="nsc")


def _from_table(table: Table, name: str, rows: NDArray[np.int32]) -> CsvColumn:
    """Column *name* of *table* at *rows* (-1: blank), formatted once per distinct value."""
    if name not in table.data:
        return CsvColumn((), np.empty(0, np.int32), rows)
    column = table.column(name)
    strings, codes = column_strings(
        column, table.data[name], table.categories.get(name), layout="nsc"
    )
    return CsvColumn(strings, codes, rows)


def _either(
    first: CsvColumn, second: CsvColumn, sizes: tuple[int, int], pick: NDArray[np.bool_]
) -> CsvColumn:
    """Rows from *first* where *pick*, else from *second*; *sizes* are their tables' rows."""
    assert first.rows is not None
    assert second.rows is not None
    shift = len(first.strings)
    codes_first = first.codes if len(first.codes) == sizes[0] else np.full(sizes[0], -1, np.int32)
    codes_second = (
        np.where(second.codes >= 0, second.codes + shift, -1)
        if len(second.codes) == sizes[1]
        else np.full(sizes[1], -1)
    )
    codes = np.concatenate([codes_first, codes_second]).astype(np.int32)
    rows = np.where(pick, first.rows, np.where(second.rows >= 0, second.rows + sizes[0], -1))
    return CsvColumn([*first.strings, *second.strings], codes, rows.astype(np.int32))


@frozen(eq=False)
class _DetailRows:
    """A detail report's rows as the writers gather them: each column from its table."""

    report: DetailReport
    is_enrollment: NDArray[np.bool_]
    is_degree: NDArray[np.bool_]
    found: NDArray[np.bool_]
    enrollment_rows: NDArray[np.int32]
    degree_rows: NDArray[np.int32]

    @classmethod
    def of(cls, report: DetailReport) -> _DetailRows:
        kind = report.table
        is_e, is_d = kind == 0, kind == 1
        return cls(
            report,
            is_e,
            is_d,
            kind >= 0,
            np.where(is_e, report.record, -1).astype(np.int32),
            np.where(is_d, report.record, -1).astype(np.int32),
        )

    def student(self, name: str) -> CsvColumn:
        return _from_table(self.report.cohort.students, name, self.report.student)

    def enrollment(self, name: str) -> CsvColumn:
        return _from_table(self.report.cohort.enrollments, name, self.enrollment_rows)

    def degree(self, name: str) -> CsvColumn:
        return _from_table(self.report.cohort.degrees, name, self.degree_rows)

    def either(self, name: str) -> CsvColumn:
        """The enrollment's value on an enrollment row, the degree's on a degree row."""
        cohort = self.report.cohort
        sizes = (cohort.enrollments.n_rows, cohort.degrees.n_rows)
        return _either(self.enrollment(name), self.degree(name), sizes, self.is_enrollment)

    def sequence(self) -> CsvColumn:
        """College Sequence on found rows."""
        unique, inverse = unique_ints(self.report.sequence)
        return CsvColumn(
            [str(v) for v in unique.tolist()],
            np.where(self.found, inverse.ravel(), -1).astype(np.int32),
        )


def write_detail(report: DetailReport, out: IO[bytes], /) -> None:
    """
    Write a cohort query's detail report as the clearinghouse's 33-column CSV.

    Columnar and streaming: each column is formatted once per distinct value, and the
    kernel's CSV writer joins the rows in Arrow a batch at a time, so memory stays that of
    one batch and no Python work is done per value. The requester id goes in ``Requester
    Return Field`` as it was given (no trailing ``_``).

    Examples:
        >>> import io
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> cohort = synthetic_cohort(20, seed=2)
        >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
        ...                       institution=cohort.institution, as_of=cohort.as_of)
        >>> out = io.BytesIO()
        >>> write_detail(result.detail, out)
        >>> header = out.getvalue().decode().splitlines()[0].split(",")
        >>> len(header), header[5]
        (33, 'Requester Return Field')
        >>> read_detail(io.BytesIO(out.getvalue())).columns.n_students
        20
    """
    cohort, n = report.cohort, len(report)
    rows = _DetailRows.of(report)
    student, enrollment, degree, either = rows.student, rows.enrollment, rows.degree, rows.either
    is_e, is_d, found = rows.is_enrollment, rows.is_degree, rows.found
    categories = cohort.students.categories["middle_name"].tolist()
    middle = CsvColumn(
        [str(m)[:1] for m in categories], cohort.students.data["middle_name"], report.student
    )
    sequence = rows.sequence()
    columns = [
        student("unique_id"),
        student("first_name"),
        middle,
        student("last_name"),
        student("name_suffix"),
        student("requester_id"),
        CsvColumn(["N", "Y"], found.astype(np.int32)),
        CsvColumn.constant(detail_value(report.search_date), n),
        # The record columns in the layout's order, from the one mapping the cohort's
        # detail report uses: a column both kinds of row carry, or an enrollment's only.
        *(either(e) if d is not None else enrollment(e) for e, d in DETAIL_RECORD_SOURCES if e),
        CsvColumn(["N", "Y"], np.where(is_d, 1, np.where(is_e, 0, -1)).astype(np.int32)),
        *(degree(name) for name in DETAIL_DEGREE_SOURCES),
        sequence,
    ]
    write_columns(out, DETAIL_COLUMNS, columns)


# How high-school detail files spell the college level (the college variant writes the code).
_HS_COLLEGE_TYPES = {"4": "4-year", "2": "2-year", "L": "Less Than 2 Years"}


def write_high_school_detail(report: DetailReport, out: IO[bytes], /) -> None:
    """
    Write a detail report in the high-school layout (:data:`HIGH_SCHOOL_COLUMNS`).

    The rows are the cohort query's (FERPA-blocked records removed, one ``Record Found`` =
    ``N`` row per student without a record), laid out as StudentTracker for High Schools
    files are: the student's high-school code and graduation date on every row, the
    college level spelled ``4-year``, ``2-year``, ``Less Than 2 Years``, one ``Major``
    (the record's first), ``Graduated?`` = ``N`` on not-found rows as real files have it,
    and the program code (the student's ``program_code`` attribute, else the record's).
    The column order is a real returned file's; the header is written in the spelling
    above (real files also come in UPPER_SNAKE, which :func:`read_detail` reads).

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.model import Cohort
        >>> report = cohort_query(Cohort([Student("G1", high_school_code="380123")]),
        ...                       search_date=dt.date(2013, 6, 7), institution="001817",
        ...                       as_of=dt.date(2014, 1, 1)).detail
        >>> out = io.BytesIO()
        >>> write_high_school_detail(report, out)
        >>> out.getvalue().decode().splitlines()[1]
        ',,,,,G1,N,380123,,,,,,,,,,N,,,,,'
    """
    cohort = report.cohort
    rows = _DetailRows.of(report)
    student, enrollment, degree, either = rows.student, rows.enrollment, rows.degree, rows.either
    level = either("college_type")
    level = CsvColumn([_HS_COLLEGE_TYPES.get(v, v) for v in level.strings], level.codes, level.rows)
    program = (
        student("program_code")
        if "program_code" in cohort.students.data
        else either("program_code")
    )
    columns = [
        *(student(name) for name in ("unique_id", "first_name", "middle_name", "last_name")),
        student("name_suffix"),
        student("requester_id"),
        CsvColumn(["N", "Y"], rows.found.astype(np.int32)),
        student("high_school_code"),
        student("hs_grad_date"),
        *(either(name) for name in ("college_code", "college_name", "college_state")),
        level,
        either("college_control"),
        *(enrollment(name) for name in ("begin_date", "end_date", "enrollment_status")),
        # Real high-school files carry N on not-found rows too: only a degree row is Y.
        CsvColumn(["N", "Y"], rows.is_degree.astype(np.int32)),
        *(degree(name) for name in ("award_date", "degree_title")),
        either("major_1"),
        rows.sequence(),
        program,
    ]
    write_columns(out, HIGH_SCHOOL_COLUMNS, columns)
