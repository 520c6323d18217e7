"""Findings: what a reader or validator has to say about one value of one row."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from attrs import field, frozen

__all__ = [
    "PERSONAL_COLUMNS",
    "FileStatus",
    "Finding",
    "Severity",
    "is_personal",
]

#: Columns whose values are personal data: never echoed in a message, a finding or a log.
PERSONAL_COLUMNS: frozenset[str] = frozenset(
    {
        "first_name",
        "middle_name",
        "middle_initial",
        "last_name",
        "name_suffix",
        "previous_last_name",
        "previous_first_name",
        "birth_date",
        "ssn",
        "ssn_last4",
        "address",
        "street",
        "city",
        "zip",
        "phone",
        "cell_phone",
        "other_phone",
        "legal_first_name",
        "legal_middle_name",
        "legal_last_name",
        "preferred_first_name",
        "preferred_middle_name",
        "preferred_last_name",
    }
)

_REDACTED = "<redacted>"


def is_personal(column: str | None) -> bool:
    """
    Tell whether *column* holds personal data (names, birth date, SSN, address, phone).

    A person's name columns are personal (``first_name``, ``legal_last_name``,
    ``previous_last_name`` ...); an institution's name is not (``college_name``,
    ``school_name``).

    Examples:
        >>> is_personal("birth_date"), is_personal("legal_first_name"), is_personal("college_code")
        (True, True, False)
        >>> is_personal("college_name"), is_personal("school_name")
        (False, False)
    """
    if column is None:
        return False
    name = column.lower().replace(" ", "_").replace("-", "_")
    if name in PERSONAL_COLUMNS:
        return True
    if any(part in name for part in _PERSONAL_PARTS):
        return True
    return name.endswith(_PERSON_NAME_SUFFIXES)


_PERSONAL_PARTS = ("birth", "ssn", "phone", "address", "street")
_PERSON_NAME_SUFFIXES = (
    "first_name",
    "last_name",
    "middle_name",
    "name_suffix",
    "nickname",
    "surname",
)


class Severity(enum.StrEnum):
    """
    How bad a finding is: an error means the row (or value) could not be used.

    Examples:
        >>> Severity("warning") is Severity.WARNING, str(Severity.ERROR)
        (True, 'error')
    """

    ERROR = "error"
    WARNING = "warning"


@frozen
class Finding:
    """
    One problem with one value: where it is, what it is, and what was done about it.

    The value of a personal column is never kept: it is replaced by ``<redacted>``
    when the finding is made, so a finding can be printed, logged or written safely.

    Examples:
        >>> f = Finding.make("error", "enrollments.csv", 3, "end_date", "2001-13-01", "not a date")
        >>> str(f)
        "enrollments.csv, row 3, column end_date, value '2001-13-01': not a date (error)"
        >>> Finding.make("error", "s.csv", 2, "birth_date", "1/2/3", "not a date").value
        '<redacted>'
    """

    severity: Severity = field(converter=Severity)
    file: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str

    @classmethod
    def make(
        cls,
        severity: Severity | str,
        file: str | None,
        row: int | None,
        column: str | None,
        value: object,
        message: str,
    ) -> Finding:
        """
        Build a finding, redacting the value when *column* is personal.

        Examples:
            >>> Finding.make("warning", "s.csv", 2, "gender", "Q", "unknown gender code").severity
            <Severity.WARNING: 'warning'>
            >>> Finding.make("error", "s.csv", 2, "ssn", "123456789", "not 9 digits").value  # never kept
            '<redacted>'
        """
        text = None if value is None else str(value)
        if text is not None and is_personal(column):
            text = _REDACTED
        return cls(Severity(severity), file, row, column, text, message)

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message} ({self.severity})" if prefix else self.message

    @property
    def is_error(self) -> bool:
        """
        True when the finding is an error (the row was rejected or a value unusable).

        Examples:
            >>> Finding.make("warning", "s.csv", 2, "gender", "Q", "unknown gender code").is_error
            False
        """
        return self.severity is Severity.ERROR


@frozen
class FileStatus:
    """
    What happened to each row of one input file: read = accepted + rejected, always.

    Attributes:
        file: The file's name as given.
        rows_read: Data rows read (the header is not counted).
        rows_accepted: Rows that became records.
        findings: Every error and warning, in file order.
        blank_lines: Blank lines skipped (not rows, but each keeps its spreadsheet row).

    Examples:
        >>> bad = Finding.make("error", "enrollments.csv", 3, "end_date", "2001-13-01", "not a date")
        >>> status = FileStatus("enrollments.csv", rows_read=2, rows_accepted=1, findings=(bad,))
        >>> print(status)
        enrollments.csv: 2 rows read, 1 accepted, 1 rejected, 1 errors, 0 warnings
        >>> status.rows_rejected, status.errors[0].row
        (1, 3)
    """

    file: str | None
    rows_read: int
    rows_accepted: int
    findings: tuple[Finding, ...] = ()
    blank_lines: int = 0

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.rows_accepted <= self.rows_read:
            msg = f"rows_accepted={self.rows_accepted} must be between 0 and rows_read={self.rows_read}"
            raise ValueError(msg)

    @property
    def rows_rejected(self) -> int:
        """
        Rows that did not become records; each has at least one error finding.

        Examples:
            >>> FileStatus("s.csv", rows_read=5, rows_accepted=3).rows_rejected
            2
        """
        return self.rows_read - self.rows_accepted

    @property
    def errors(self) -> tuple[Finding, ...]:
        """
        The error findings.

        Examples:
            >>> bad = Finding.make("error", "e.csv", 2, "end_date", "x", "not a date")
            >>> odd = Finding.make("warning", "e.csv", 3, "enrollment_status", "Z", "unknown code")
            >>> [f.row for f in FileStatus("e.csv", 2, 1, (bad, odd)).errors]
            [2]
        """
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """
        The warning findings.

        Examples:
            >>> bad = Finding.make("error", "e.csv", 2, "end_date", "x", "not a date")
            >>> odd = Finding.make("warning", "e.csv", 3, "enrollment_status", "Z", "unknown code")
            >>> [f.value for f in FileStatus("e.csv", 2, 1, (bad, odd)).warnings]
            ['Z']
        """
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def __str__(self) -> str:
        name = self.file or "<input>"
        return (
            f"{name}: {self.rows_read} rows read, {self.rows_accepted} accepted, "
            f"{self.rows_rejected} rejected, {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings"
            + (f", {self.blank_lines} blank lines skipped" if self.blank_lines else "")
        )

    @staticmethod
    def merge(statuses: Iterable[FileStatus]) -> tuple[Finding, ...]:
        """
        All findings of several statuses, in order.

        Examples:
            >>> a = FileStatus("a.csv", 1, 1, (Finding.make("warning", "a.csv", 2, "gender", "Q", "unknown code"),))
            >>> b = FileStatus("b.csv", 1, 0, (Finding.make("error", "b.csv", 2, "end_date", "x", "not a date"),))
            >>> [f.file for f in FileStatus.merge([a, b])]
            ['a.csv', 'b.csv']
        """
        out: list[Finding] = []
        for status in statuses:
            out.extend(status.findings)
        return tuple(out)


def summarise(findings: Sequence[Finding], *, limit: int = 5) -> str:
    """A one-paragraph summary of *findings* for an exception message."""
    head = "; ".join(str(f) for f in findings[:limit])
    more = len(findings) - limit
    return head + (f"; and {more} more" if more > 0 else "")
