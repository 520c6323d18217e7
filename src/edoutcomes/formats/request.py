"""
Request files sent to the clearinghouse: college ``H1/D1/T1`` and high-school ``PH3/PD3/PT3``.

:func:`college_request` and :func:`high_school_graduates` check every rule of the layouts,
fix what can be fixed without changing what a value means (accents folded to ASCII;
quotes, commas and periods removed, apostrophes and hyphens kept in names; a suffix moved
out of the last name; an SSN blanked where the inquiry does not allow it), and report each
fix as a warning finding. What cannot be fixed is an error naming the student's row and
field, never a personal value: all errors are raised together in one
:class:`~edoutcomes.errors.InvalidInputError`.

The requester return field may hold periods: the clearinghouse documents a period as the
separator of several identifiers (50 characters in all). Commas, quotes and tabs are
refused there, because the field is never altered (it links the results back).

The graduates file's ``PD3`` row spans spreadsheet columns A to AB, as the clearinghouse's
"Submit a Graduates File" guide and its Academy lessons lay it out (:data:`GRADUATES_COLUMNS`).
Confirmed by those public pages: A is ``PD3``, I the birth date and L the graduation date
(the two date columns), AA the program code, AB ``ED``; A-J hold the student-level data
(the SSN and the student id among them), K-O the high-school data (diploma type, graduation
date, FERPA block, high-school name, ACT code), P-R, W and Z demographic data, the rest of
S-Y academic data. Not confirmed, and marked so in :data:`GRADUATES_COLUMNS`: which of B-H
and J holds which name or id field, the order of K, M, N and O, and the meaning of each
of G, H and P-Z. The writer leaves the SSN and the unconfirmed optional columns blank.

Rows are numbered as in the file written (the header record is row 1), which is also the
row of the student in a canonical students table with a header line.

Examples:
    >>> import datetime as dt, io
    >>> from edoutcomes.formats import write
    >>> from edoutcomes.model import Student
    >>> people = [Student(f"S{i}", first_name="Zoë", last_name="Lee", birth_date=dt.date(1990, 1, 2))
    ...           for i in range(11)]  # the clearinghouse expects 11 students or more
    >>> request = college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
    ...                           search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16))
    >>> out = io.BytesIO()
    >>> write(request, out, "nsc-request")
    >>> out.getvalue().decode().splitlines()[1].split("\\t")
    ['D1', '', 'ZOE', '', 'LEE', '', '19900102', '20160915', '', '001817', '00', 'S0']
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import IO, Any

from attrs import field, frozen

from .._kernel._arrow import ArrowExport
from .._kernel._findings import Finding, Severity
from .._kernel._names import fold, split_suffix
from .._kernel._tables import RowTable
from ..errors import InvalidArgumentError, InvalidInputError
from ..model import Student
from .fixed import Align, FixedField, FixedWidthLayout

__all__ = [
    "COLLEGE_LAYOUTS",
    "GRADUATES_COLUMNS",
    "MIN_DETAIL_ROWS",
    "CollegeRequest",
    "HighSchoolGraduates",
    "InquiryType",
    "college_request",
    "high_school_graduates",
    "write_college_request",
    "write_college_request_fixed",
    "write_high_school_graduates",
]

MIN_DETAIL_ROWS = 11
"""
The clearinghouse expects at least this many detail rows in a request file.

Examples:
    >>> import datetime as dt
    >>> from edoutcomes.model import Student
    >>> few = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(1990, 1, 2))]
    >>> from edoutcomes.errors import InvalidInputError
    >>> try:
    ...     college_request(few, school_code="001817", school_name="Some U", inquiry="SE",
    ...                     search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16))
    ... except InvalidInputError as error:
    ...     print(error.findings[0].message)
    the clearinghouse expects at least 11 detail rows; this file has 1
    >>> MIN_DETAIL_ROWS
    11
"""


class InquiryType(enum.StrEnum):
    """
    What a college request file asks for (field 6 of its ``H1`` header).

    Examples:
        >>> InquiryType("CO"), InquiryType.SUBSEQUENT_ENROLLMENT.value
        (<InquiryType.COHORT: 'CO'>, 'SE')
    """

    SUBSEQUENT_ENROLLMENT = "SE"
    PRIOR_ATTENDANCE = "PA"
    DECLINED_ADMISSION = "DA"
    SIBLING = "SB"
    COHORT = "CO"


# Letters NFKD does not decompose, spelled as ASCII.
_EXTRA_FOLDS = str.maketrans(
    {"Ø": "O", "Æ": "AE", "Œ": "OE", "Ł": "L", "Đ": "D", "Ð": "D", "Þ": "TH", "ẞ": "SS"}
)
# Quotes (straight and typographic), commas and periods are not allowed in any field ...
_FORBIDDEN = re.compile("[\"'`,.\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00b4]")
# ... except an apostrophe in a name (O'Neil), which no published rule forbids; typographic
# apostrophes are written as the ASCII one.
_FORBIDDEN_IN_NAMES = re.compile('["`,.\u201a\u201c\u201d\u201e\u00b4]')
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'"})
# The return field: a period separates several identifiers; commas, quotes and tabs are out.
_FORBIDDEN_IN_RETURN_FIELD = re.compile(
    "[\"'`,\t\n\r\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00b4]"
)
# The graduates file's program code: any character but quotes and dashes (and, as in every
# field, commas and tabs); `.` and `_` separate several codes.
_FORBIDDEN_IN_PROGRAM_CODE = re.compile("[\"'`,\t\n\r\u2010-\u2015\u2018-\u201f\u00b4-]")
_BLANKS = re.compile(r"\s+")
_DIGITS = re.compile(r"^\d+$")


@frozen
class _Problems:
    """The findings of one build: fixes (warnings) and what cannot be fixed (errors)."""

    findings: list[Finding] = field(factory=list)

    def warn(self, row: int | None, column: str, value: object, message: str) -> None:
        self.findings.append(Finding.make(Severity.WARNING, None, row, column, value, message))

    def error(self, row: int | None, column: str | None, value: object, message: str) -> None:
        self.findings.append(Finding.make(Severity.ERROR, None, row, column, value, message))

    def raise_errors(self) -> None:
        errors = [f for f in self.findings if f.is_error]
        if errors:
            raise InvalidInputError(errors)


def _clean(
    value: str | None,
    *,
    row: int | None,
    column: str,
    width: int,
    problems: _Problems,
    who: str,
    required: bool = False,
    name: bool = False,
) -> str:
    """
    A free-text field as the layout allows it: ASCII, no quotes/commas/periods, fits *width*.

    In a person's *name* an apostrophe is kept (a typographic one written as ``'``), as are
    hyphens everywhere.
    """
    if value is None or not value.strip():
        if required:
            problems.error(row, column, None, f"{who}: {column} is required")
        return ""
    text = _BLANKS.sub(" ", value).strip()
    if name:
        text = text.translate(_APOSTROPHES)
    folded = fold(text).translate(_EXTRA_FOLDS)
    if folded != text.upper():
        problems.warn(row, column, value, f"{who}: {column} folded to ASCII")
    text = folded
    forbidden = _FORBIDDEN_IN_NAMES if name else _FORBIDDEN
    stripped = _BLANKS.sub(" ", forbidden.sub("", text)).strip()
    if stripped != text:
        problems.warn(row, column, value, f"{who}: quotes, commas or periods removed from {column}")
    text = stripped
    if not text.isascii():
        problems.error(row, column, value, f"{who}: {column} has a character with no ASCII form")
        return ""
    if not text and required:
        problems.error(row, column, value, f"{who}: {column} has nothing left once cleaned")
    if len(text) > width:
        problems.error(
            row, column, value, f"{who}: {column} has {len(text)} characters, at most {width} fit"
        )
        return ""
    return text


def _identifier(
    value: str,
    *,
    row: int | None,
    column: str,
    width: int,
    problems: _Problems,
    who: str,
    periods: bool = False,
) -> str:
    """
    An identifier the caller links results back with: never altered, so refused if unfit.

    With *periods* (the college return field), a period is allowed: it separates several
    identifiers.
    """
    forbidden = _FORBIDDEN_IN_RETURN_FIELD if periods else _FORBIDDEN
    if not value.isascii() or forbidden.search(value) or "\t" in value or "\n" in value:
        what = "quote, comma or tab" if periods else "quote, comma, period or tab"
        problems.error(
            row,
            column,
            value,
            f"{who}: {column} holds a character the layout forbids "
            f"(non-ASCII, {what}); it cannot be changed without breaking the link back",
        )
    elif len(value) > width:
        problems.error(
            row, column, value, f"{who}: {column} has {len(value)} characters, at most {width} fit"
        )
    return value


def _student_id(
    student: Student,
    *,
    row: int,
    problems: _Problems,
    seen: dict[str, int],
    periods: bool = False,
    width: int = 50,
) -> tuple[str, str]:
    """How messages name the student, and their checked, unique requester id."""
    who = f"student {student.requester_id!r}"
    rid = _identifier(
        student.requester_id,
        row=row,
        column="requester_id",
        width=width,
        problems=problems,
        who=who,
        periods=periods,
    )
    if rid in seen:
        problems.error(row, "requester_id", rid, f"{who}: requester_id repeats row {seen[rid]}")
    seen.setdefault(rid, row)
    return who, rid


def _ymd(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%Y%m%d")


def _code(value: str, digits: int, name: str) -> str:
    if not (isinstance(value, str) and len(value) == digits and _DIGITS.match(value)):
        msg = f"{name}={value!r} must be {digits} digits"
        raise InvalidArgumentError(msg)
    return value


def _name_fields(
    student: Student,
    *,
    row: int,
    problems: _Problems,
    who: str,
    widths: tuple[int, int, int, int] = (20, 99, 20, 5),
    initial: bool = True,
) -> tuple[str, str, str, str]:
    """
    First name, middle name (its initial with *initial*), last name and suffix.

    A suffix written in the last name moves to the suffix field; *widths* are the four
    fields' widths.
    """
    first = _clean(
        student.first_name,
        row=row,
        column="first_name",
        width=widths[0],
        problems=problems,
        who=who,
        required=True,
        name=True,
    )
    middle = _clean(
        student.middle_name,
        row=row,
        column="middle_name",
        width=widths[1],
        problems=problems,
        who=who,
        name=True,
    )
    if initial:
        middle = middle[:1]
    last_raw, embedded = split_suffix(student.last_name)
    suffix_raw = student.name_suffix
    if embedded is not None:
        given = fold(suffix_raw).strip(" .") if suffix_raw else ""
        if given and given != embedded:
            problems.error(
                row,
                "last_name",
                student.last_name,
                f"{who}: last_name ends in a suffix and name_suffix holds a different one",
            )
        else:
            problems.warn(
                row, "last_name", student.last_name, f"{who}: suffix moved out of last_name"
            )
            suffix_raw = embedded
    last = _clean(
        last_raw,
        row=row,
        column="last_name",
        width=widths[2],
        problems=problems,
        who=who,
        required=True,
        name=True,
    )
    suffix = _clean(
        suffix_raw, row=row, column="name_suffix", width=widths[3], problems=problems, who=who
    )
    return first, middle, last, suffix


# --- college request file: H1 / D1 / T1 -------------------------------------------------

_H1_FIELDS = ("record_type", "school_code", "branch", "school_name", "file_date", "inquiry", "flag")
_D1_FIELDS = (
    "record_type",
    "ssn",
    "first_name",
    "middle_initial",
    "last_name",
    "name_suffix",
    "birth_date",
    "search_date",
    "blank",
    "school_code",
    "branch",
    "requester_id",
)
_T1_FIELDS = ("record_type", "total_rows")

COLLEGE_LAYOUTS: Mapping[str, FixedWidthLayout] = {
    "H1": FixedWidthLayout(
        [
            FixedField("record_type", 2),
            FixedField("school_code", 6),
            FixedField("branch", 2),
            FixedField("school_name", 40),
            FixedField("file_date", 8),
            FixedField("inquiry", 2),
            FixedField("flag", 1),
        ]
    ),
    "D1": FixedWidthLayout(
        [
            FixedField("record_type", 2),
            FixedField("ssn", 9),
            FixedField("first_name", 20),
            FixedField("middle_initial", 1),
            FixedField("last_name", 20),
            FixedField("name_suffix", 5),
            FixedField("birth_date", 8),
            FixedField("search_date", 8),
            FixedField("blank", 1),
            FixedField("school_code", 6),
            FixedField("branch", 2),
            FixedField("requester_id", 50),
        ]
    ),
    # The trailer's count width is not published; 8 zero-filled digits (unconfirmed).
    "T1": FixedWidthLayout(
        [FixedField("record_type", 2), FixedField("total_rows", 8, align=Align.RIGHT, pad="0")]
    ),
}
"""
Fixed-width layouts of the three college record types (positions as published).

Examples:
    >>> sorted(COLLEGE_LAYOUTS), COLLEGE_LAYOUTS["D1"].width
    (['D1', 'H1', 'T1'], 132)
    >>> COLLEGE_LAYOUTS["H1"].positions()["school_name"]  # first and last column, 1-based
    (11, 50)
"""


@frozen
class CollegeRequest(ArrowExport):
    """
    A checked college request file: the ``H1`` header, ``D1`` detail rows and ``T1`` trailer.

    Build it with :func:`college_request`; write it with the ``nsc-request`` (tab-delimited)
    or ``nsc-request-fixed`` writer. ``findings`` lists every fix made (warnings).
    As a report table it gives the detail rows.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> people = [Student(f"S{i}", first_name="Zoë", last_name="O'Neil Jr.",
        ...                   birth_date=dt.date(1990, 1, 2)) for i in range(11)]
        >>> request = college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
        ...                           search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16))
        >>> request.header, request.trailer
        (('H1', '001817', '00', 'SOME U', '20160916', 'SE', 'I'), ('T1', '13'))
        >>> request.details[0][2:6]  # the accent folded, the suffix moved out of the last name
        ('ZOE', '', "O'NEIL", 'JR')
        >>> len(request.findings) > 0
        True
    """

    header: tuple[str, ...]
    details: tuple[tuple[str, ...], ...] = field(repr=False)
    findings: tuple[Finding, ...] = ()

    @property
    def trailer(self) -> tuple[str, str]:
        """
        ``T1`` and the total row count, header and trailer included.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> people = [Student(f"S{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1990, 1, 2))
            ...           for i in range(11)]
            >>> college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
            ...                 search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16)).trailer
            ('T1', '13')
        """
        return ("T1", str(len(self.details) + 2))

    @property
    def inquiry(self) -> InquiryType:
        """
        The inquiry type of the header.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> people = [Student(f"S{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1990, 1, 2))
            ...           for i in range(11)]
            >>> college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
            ...                 search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16)).inquiry
            <InquiryType.SUBSEQUENT_ENROLLMENT: 'SE'>
        """
        return InquiryType(self.header[5])

    def lines(self) -> list[tuple[str, ...]]:
        """
        Every record in file order, each as its fields.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> people = [Student(f"S{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1990, 1, 2))
            ...           for i in range(11)]
            >>> lines = college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
            ...                         search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16)).lines()
            >>> [line[0] for line in lines][:2], lines[-1][0], len(lines)
            (['H1', 'D1'], 'T1', 13)
        """
        return [self.header, *self.details, self.trailer]

    def as_table(self) -> RowTable:
        """
        The detail rows as a report table (columns named as the layout's fields).

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> people = [Student(f"S{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1990, 1, 2))
            ...           for i in range(11)]
            >>> table = college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
            ...                         search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16)).as_table()
            >>> table.columns[:3], len(list(table.rows()))
            (('record_type', 'ssn', 'first_name'), 11)
        """
        return RowTable("request", _D1_FIELDS, self.details)


def college_request(
    students: Iterable[Student],
    *,
    school_code: str,
    school_name: str,
    inquiry: InquiryType | str,
    search_date: dt.date | Mapping[str, dt.date],
    file_date: dt.date,
    branch: str = "00",
    enrolled: Collection[str] = (),
    as_of: dt.date | None = None,
    return_field: bool = True,
) -> CollegeRequest:
    """
    Check and build a college request file for *students*.

    Args:
        students: The students, in file order.
        school_code: The submitting school's 6-digit code.
        school_name: Its name (at most 40 characters once cleaned).
        inquiry: ``SE``, ``PA``, ``DA``, ``SB`` or ``CO``.
        search_date: The search begin date: one for every student, or one per
            ``requester_id``. A ``CO`` file must have the same date for every student.
            Each must be earlier than *file_date*.
        file_date: The file's creation date (the header's ``YYYYMMDD``); it cannot be after
            *as_of*.
        branch: The school's 2-digit branch.
        enrolled: For ``PA``: requester ids of students who are enrolled, whose SSN must not
            be sent. SSNs are only sent for ``PA``.
        as_of: The run's date: a *file_date* after it is an error. Without it that rule is
            not checked (the library never reads the clock).
        return_field: Write each student's ``requester_id`` in the requester return field
            (periods allowed, as the separator of several identifiers). False leaves the
            field blank, which the clearinghouse accepts: the results then carry the other
            columns only.

    Returns:
        The checked file; its ``findings`` list every fix made.

    Raises:
        InvalidArgumentError: If a header argument is unusable.
        InvalidInputError: With every error that cannot be fixed, each naming the row and
            field (and never a personal value), including fewer than 11 students.

    Examples:
        >>> import datetime as dt
        >>> people = [Student(f"S{i}", first_name="Zoë", last_name="O'Neil Jr.",
        ...                   birth_date=dt.date(1990, 1, 2)) for i in range(11)]
        >>> request = college_request(people, school_code="001817", school_name="Some U.",
        ...                           inquiry="CO", search_date=dt.date(2006, 9, 15),
        ...                           file_date=dt.date(2013, 9, 3))
        >>> request.header
        ('H1', '001817', '00', 'SOME U', '20130903', 'CO', 'I')
        >>> request.details[0]
        ('D1', '', 'ZOE', '', "O'NEIL", 'JR', '19900102', '20060915', '', '001817', '00', 'S0')
        >>> request.trailer
        ('T1', '13')
    """
    kind = _inquiry_type(inquiry)
    code = _code(school_code, 6, "school_code")
    branch = _code(branch, 2, "branch")
    problems = _Problems()
    name = _header_text(school_name, "school_name", 40, problems)
    _check_file_date(file_date, as_of, problems, column="file_date")
    header = ("H1", code, branch, name, _ymd(file_date), kind.value, "I")
    people = list(students)
    dates = _search_dates(people, search_date, kind, problems, file_date=file_date)
    rules = _DetailRules(kind, enrolled, return_field, code, branch)
    details = _d1_rows(people, dates, rules, problems)
    if len(details) < MIN_DETAIL_ROWS:
        problems.error(
            None,
            None,
            None,
            f"the clearinghouse expects at least {MIN_DETAIL_ROWS} detail rows; "
            f"this file has {len(details)}",
        )
    problems.raise_errors()
    return CollegeRequest(header, tuple(details), tuple(problems.findings))


def _inquiry_type(inquiry: InquiryType | str) -> InquiryType:
    try:
        return InquiryType(inquiry)
    except ValueError:
        known = ", ".join(t.value for t in InquiryType)
        msg = f"inquiry={inquiry!r} is not an inquiry type ({known})"
        raise InvalidArgumentError(msg) from None


def _header_text(value: str, column: str, width: int, problems: _Problems) -> str:
    """A required header field, cleaned as detail fields are (at most *width* characters)."""
    return _clean(
        value, row=1, column=column, width=width, problems=problems, who="header", required=True
    )


@frozen(eq=False)
class _DetailRules:
    """What every ``D1`` row of one college request shares: the inquiry, its SSN rule, the school."""

    kind: InquiryType
    #: Requester ids of enrolled students (a ``PA`` file sends no SSN for them).
    enrolled: Collection[str]
    return_field: bool
    school_code: str
    branch: str


def _d1_rows(
    people: Sequence[Student],
    dates: Sequence[dt.date | None],
    rules: _DetailRules,
    problems: _Problems,
) -> list[tuple[str, ...]]:
    """The ``D1`` rows, in file order (the first is spreadsheet row 2, below the header)."""
    seen: dict[str, int] = {}
    details = []
    for position, student in enumerate(people):
        detail = _d1_row(
            student,
            row=position + 2,
            problems=problems,
            seen=seen,
            kind=rules.kind,
            enrolled=rules.enrolled,
            return_field=rules.return_field,
        )
        details.append(
            (*detail[:7], _ymd(dates[position]), "", rules.school_code, rules.branch, detail[7])
        )
    return details


def _d1_row(
    student: Student,
    *,
    row: int,
    problems: _Problems,
    seen: dict[str, int],
    kind: InquiryType,
    enrolled: Collection[str],
    return_field: bool,
) -> tuple[str, ...]:
    """Record type, SSN, the four name fields, birth date and the return field of one student."""
    if return_field:
        who, rid = _student_id(student, row=row, problems=problems, seen=seen, periods=True)
    else:
        who, rid = f"student in row {row}", ""
    first, middle, last, suffix = _name_fields(student, row=row, problems=problems, who=who)
    if student.birth_date is None:
        problems.error(row, "birth_date", None, f"{who}: birth_date is required")
    ssn = ""
    if student.ssn is not None:
        if kind is InquiryType.PRIOR_ATTENDANCE and student.requester_id not in enrolled:
            ssn = student.ssn
        else:
            why = "enrolled" if kind is InquiryType.PRIOR_ATTENDANCE else f"a {kind} inquiry"
            problems.warn(row, "ssn", student.ssn, f"{who}: ssn left blank ({why})")
    return ("D1", ssn, first, middle, last, suffix, _ymd(student.birth_date), rid)


def _check_file_date(
    file_date: dt.date, as_of: dt.date | None, problems: _Problems, *, column: str
) -> None:
    """A file cannot be created after the run's date."""
    if as_of is not None and file_date > as_of:
        problems.error(
            1,
            column,
            file_date.isoformat(),
            f"header: {column} is after the as-of date {as_of.isoformat()}; "
            "a file cannot be dated in the future",
        )


def _search_dates(
    people: Sequence[Student],
    search_date: dt.date | Mapping[str, dt.date],
    kind: InquiryType,
    problems: _Problems,
    *,
    file_date: dt.date,
) -> list[dt.date | None]:
    """Each student's search begin date, checked: given, one for a CO file, before the file date."""
    late = (
        "search_date {day} is not earlier than the file date "
        f"{file_date.isoformat()}; the search must begin before the file is created"
    )
    if isinstance(search_date, dt.date):
        if search_date >= file_date:
            problems.error(
                None,
                "search_date",
                search_date.isoformat(),
                late.format(day=search_date.isoformat()),
            )
        return [search_date] * len(people)
    dates = [search_date.get(s.requester_id) for s in people]
    first: dt.date | None = None
    for position, (student, day) in enumerate(zip(people, dates, strict=True)):
        who = f"student {student.requester_id!r}"
        if day is None:
            problems.error(position + 2, "search_date", None, f"{who}: search_date is required")
            continue
        first = first or day
        if kind is InquiryType.COHORT and day != first:
            problems.error(
                position + 2,
                "search_date",
                day.isoformat(),
                f"{who}: a CO file has one search date for every student "
                f"({first.isoformat()} above)",
            )
        if day >= file_date:
            problems.error(
                position + 2,
                "search_date",
                day.isoformat(),
                f"{who}: {late.format(day=day.isoformat())}",
            )
    return dates


def _write_tab_delimited(lines: Iterable[Sequence[str]], out: IO[bytes]) -> None:
    text = "".join("\t".join(fields) + "\n" for fields in lines)
    out.write(text.encode("ascii"))


def write_college_request(request: CollegeRequest, out: IO[bytes], /) -> None:
    """
    Write a college request file, tab-delimited (``.txt``).

    Examples:
        >>> import io, datetime as dt
        >>> people = [Student(f"S{i}", first_name="Ann", last_name="Lee",
        ...                   birth_date=dt.date(1990, 1, 2)) for i in range(11)]
        >>> buffer = io.BytesIO()
        >>> write_college_request(college_request(people, school_code="001817",
        ...     school_name="Some U", inquiry="SE", search_date=dt.date(2006, 9, 15),
        ...     file_date=dt.date(2013, 9, 3)), buffer)
        >>> buffer.getvalue().decode().splitlines()[-1]
        'T1\\t13'
    """
    _write_tab_delimited(request.lines(), out)


def write_college_request_fixed(request: CollegeRequest, out: IO[bytes], /) -> None:
    """
    Write a college request file in the fixed-width layout (:data:`COLLEGE_LAYOUTS`).

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.model import Student
        >>> people = [Student(f"S{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1990, 1, 2))
        ...           for i in range(11)]
        >>> request = college_request(people, school_code="001817", school_name="Some U", inquiry="SE",
        ...                           search_date=dt.date(2016, 9, 15), file_date=dt.date(2016, 9, 16))
        >>> out = io.BytesIO()
        >>> write_college_request_fixed(request, out)
        >>> lines = out.getvalue().splitlines()
        >>> len(lines), lines[0]
        (13, b'H100181700SOME U                                  20160916SEI')
    """
    for row, fields in enumerate(request.lines(), start=1):
        layout = COLLEGE_LAYOUTS[fields[0]]
        names = {"H1": _H1_FIELDS, "D1": _D1_FIELDS, "T1": _T1_FIELDS}[fields[0]]
        line = layout.format_line(dict(zip(names, fields, strict=True)), row=row)
        out.write(layout.encode(line, row=row))


# --- high-school graduates file: PH3 / PD3 / PT3 ----------------------------------------

GRADUATES_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("A", "record_type", True),
    ("B", "ssn", False),
    ("C", "first_name", False),
    ("D", "middle_name", False),
    ("E", "last_name", False),
    ("F", "name_suffix", False),
    ("G", "column_g", False),
    ("H", "column_h", False),
    ("I", "birth_date", True),
    ("J", "requester_id", False),
    ("K", "diploma_type", False),
    ("L", "hs_grad_date", True),
    ("M", "ferpa_block", False),
    ("N", "high_school_name", False),
    ("O", "act_code", False),
    *((letter, f"column_{letter.lower()}", False) for letter in "PQRSTUVWXYZ"),
    ("AA", "program_code", True),
    ("AB", "end", True),
)
"""
The graduates file's ``PD3`` row, spreadsheet column by column (A to AB): the letter, the field
written there (``column_x``: an optional column the writer leaves blank), and whether the
clearinghouse's public instructions confirm that position. See the module docstring for what
each source settles.

Examples:
    >>> GRADUATES_COLUMNS[:3]
    (('A', 'record_type', True), ('B', 'ssn', False), ('C', 'first_name', False))
    >>> len(GRADUATES_COLUMNS), GRADUATES_COLUMNS[-1]
    (28, ('AB', 'end', True))
"""

_PD3_FIELDS = tuple(name for _, name, _ in GRADUATES_COLUMNS)


@frozen
class HighSchoolGraduates(ArrowExport):
    """
    A checked high-school graduates file: ``PH3`` header, ``PD3`` rows, ``PT3`` trailer.

    Build it with :func:`high_school_graduates`; write it with ``nsc-hs-graduates``.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> grads = [Student(f"G{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1995, 3, 4),
        ...                  hs_grad_date=dt.date(2013, 6, 7), high_school_code="380123") for i in range(2)]
        >>> hs = high_school_graduates(grads, account_code="380123", account_name="Lincoln High",
        ...                            transmission_date=dt.date(2013, 7, 1), diploma_period="2013")
        >>> hs.header, hs.trailer, len(hs.details)
        (('PH3', '380123', 'LINCOLN HIGH', 'P', '20130701', '2013'), ('PT3', '4'), 2)
    """

    header: tuple[str, ...]
    details: tuple[tuple[str, ...], ...] = field(repr=False)
    findings: tuple[Finding, ...] = ()

    @property
    def trailer(self) -> tuple[str, str]:
        """
        ``PT3`` and the total row count, header and trailer included.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> grads = [Student(f"G{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1995, 3, 4),
            ...                  hs_grad_date=dt.date(2013, 6, 7), high_school_code="380123") for i in range(2)]
            >>> high_school_graduates(grads, account_code="380123", account_name="Lincoln High",
            ...                       transmission_date=dt.date(2013, 7, 1), diploma_period="2013").trailer
            ('PT3', '4')
        """
        return ("PT3", str(len(self.details) + 2))

    def lines(self) -> list[tuple[str, ...]]:
        """
        Every record in file order, each as its fields.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> grads = [Student("G1", first_name="Ann", last_name="Lee", birth_date=dt.date(1995, 3, 4),
            ...                  hs_grad_date=dt.date(2013, 6, 7), high_school_code="380123")]
            >>> graduates = high_school_graduates(grads, account_code="380123", account_name="Lincoln High",
            ...                                   transmission_date=dt.date(2013, 7, 1), diploma_period="2013")
            >>> [line[0] for line in graduates.lines()]
            ['PH3', 'PD3', 'PT3']
        """
        return [self.header, *self.details, self.trailer]

    def as_table(self) -> RowTable:
        """
        The detail rows as a report table.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> grads = [Student("G1", first_name="Ann", last_name="Lee", birth_date=dt.date(1995, 3, 4),
            ...                  hs_grad_date=dt.date(2013, 6, 7), high_school_code="380123")]
            >>> graduates = high_school_graduates(grads, account_code="380123", account_name="Lincoln High",
            ...                                   transmission_date=dt.date(2013, 7, 1), diploma_period="2013")
            >>> table = graduates.as_table()
            >>> table.name, dict(zip(table.columns, next(iter(table.rows()))))["first_name"]
            ('graduates', 'ANN')
        """
        return RowTable("graduates", _PD3_FIELDS, self.details)


def _flag(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().upper()
    return {"Y": True, "YES": True, "N": False, "NO": False, "": None}.get(text)


def high_school_graduates(
    students: Iterable[Student],
    *,
    account_code: str,
    account_name: str,
    transmission_date: dt.date,
    diploma_period: str,
    diploma_type: str = "Regular Diploma",
    high_school_name: str | None = None,
    as_of: dt.date | None = None,
) -> HighSchoolGraduates:
    """
    Check and build a high-school graduates file (``PD3`` rows laid out as :data:`GRADUATES_COLUMNS`).

    Each student needs a first and last name, a birth date, ``hs_grad_date`` and a
    6-digit ``high_school_code`` (the ACT code). Optional student attributes:
    ``diploma_type``, ``ferpa_block`` (Y/N, default N), ``high_school_name`` and
    ``program_code`` (at most 50 characters; any but quotes and dashes, ``.`` or ``_``
    between several codes; never altered, so a code that breaks the rule is an error).

    Args:
        students: The graduates, in file order.
        account_code: The account's 6-digit code.
        account_name: The account's name.
        transmission_date: The file's date; it cannot be after *as_of*.
        diploma_period: The diploma period the file covers (e.g. ``2013``).
        diploma_type: Diploma type for students without a ``diploma_type`` attribute.
        high_school_name: High-school name for students without that attribute
            (default: *account_name*).
        as_of: The run's date (see :func:`college_request`).

    Raises:
        InvalidArgumentError: If a header argument is unusable.
        InvalidInputError: With every error that cannot be fixed, each naming row and field.

    Examples:
        >>> import datetime as dt
        >>> grads = [Student(f"G{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1995, 3, 4),
        ...                  hs_grad_date=dt.date(2013, 6, 7), high_school_code="380123",
        ...                  attributes={"program_code": "AP.FAFSA"}) for i in range(2)]
        >>> hs = high_school_graduates(grads, account_code="380123", account_name="Lincoln High",
        ...                            transmission_date=dt.date(2013, 7, 1), diploma_period="2013")
        >>> row = dict(zip((letter for letter, _, _ in GRADUATES_COLUMNS), hs.details[0]))
        >>> row["A"], row["C"], row["E"], row["I"], row["J"], row["L"], row["O"], row["AA"], row["AB"]
        ('PD3', 'ANN', 'LEE', '19950304', 'G0', '20130607', '380123', 'AP.FAFSA', 'ED')
    """
    code = _code(account_code, 6, "account_code")
    problems = _Problems()
    name = _header_text(account_name, "account_name", 40, problems)
    period = _header_text(diploma_period, "diploma_period", 20, problems)
    _check_file_date(transmission_date, as_of, problems, column="transmission_date")
    header = ("PH3", code, name, "P", _ymd(transmission_date), period)
    seen: dict[str, int] = {}
    defaults = (diploma_type, high_school_name or account_name)
    details = [
        _pd3_row(student, row=position + 2, problems=problems, seen=seen, defaults=defaults)
        for position, student in enumerate(students)
    ]
    problems.raise_errors()
    return HighSchoolGraduates(header, tuple(details), tuple(problems.findings))


def _pd3_row(
    student: Student,
    *,
    row: int,
    problems: _Problems,
    seen: dict[str, int],
    defaults: tuple[str, str],
) -> tuple[str, ...]:
    """One graduate's ``PD3`` row, A to AB (the SSN and unconfirmed optional columns blank)."""
    who, rid = _student_id(student, row=row, problems=problems, seen=seen)
    first, middle, last, suffix = _name_fields(
        student, row=row, problems=problems, who=who, widths=(40, 40, 40, 5), initial=False
    )
    for column in ("birth_date", "hs_grad_date"):
        if getattr(student, column) is None:
            problems.error(row, column, None, f"{who}: {column} is required")
    act = student.high_school_code or ""
    if not (len(act) == 6 and act.isdigit()):
        problems.error(row, "high_school_code", act, f"{who}: the ACT code must be 6 digits")
    raw_block = student.attribute("ferpa_block")
    block = _flag(raw_block)
    if block is None and raw_block not in (None, ""):
        problems.error(row, "ferpa_block", raw_block, f"{who}: ferpa_block is not Y/N")
    texts = {}
    for column, default in zip(("diploma_type", "high_school_name"), defaults, strict=True):
        texts[column] = _clean(
            str(student.attribute(column) or default),
            row=row,
            column=column,
            width=50 if column == "high_school_name" else 40,
            problems=problems,
            who=who,
            required=True,
        )
    values = {
        "record_type": "PD3",
        "first_name": first,
        "middle_name": middle,
        "last_name": last,
        "name_suffix": suffix,
        "birth_date": _ymd(student.birth_date),
        "requester_id": rid,
        "hs_grad_date": _ymd(student.hs_grad_date),
        "ferpa_block": "Y" if block else "N",
        "act_code": act,
        "program_code": _program_code(student.attribute("program_code"), row, problems, who),
        "end": "ED",
        **texts,
    }
    return tuple(values.get(name, "") for name in _PD3_FIELDS)


def _program_code(value: object, row: int, problems: _Problems, who: str) -> str:
    """The optional program code as given, or an error if it breaks the published rule."""
    if value is None or not str(value).strip():
        return ""
    text = str(value).strip()
    if not text.isascii() or _FORBIDDEN_IN_PROGRAM_CODE.search(text):
        problems.error(
            row,
            "program_code",
            text,
            f"{who}: program_code holds a character the clearinghouse forbids there "
            "(non-ASCII, quote, dash, comma or tab); separate several codes with . or _",
        )
        return ""
    if len(text) > 50:
        problems.error(
            row,
            "program_code",
            text,
            f"{who}: program_code has {len(text)} characters, at most 50 fit",
        )
        return ""
    return text


def write_high_school_graduates(graduates: HighSchoolGraduates, out: IO[bytes], /) -> None:
    """
    Write a high-school graduates file, tab-delimited.

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.model import Student
        >>> grads = [Student(f"G{i}", first_name="Ann", last_name="Lee", birth_date=dt.date(1995, 3, 4),
        ...                  hs_grad_date=dt.date(2013, 6, 7), high_school_code="380123") for i in range(2)]
        >>> graduates = high_school_graduates(grads, account_code="380123", account_name="Lincoln High",
        ...                                   transmission_date=dt.date(2013, 7, 1), diploma_period="2013")
        >>> out = io.BytesIO()
        >>> write_high_school_graduates(graduates, out)
        >>> [line.split("\\t")[0] for line in out.getvalue().decode().splitlines()]
        ['PH3', 'PD3', 'PD3', 'PT3']
    """
    _write_tab_delimited(graduates.lines(), out)
