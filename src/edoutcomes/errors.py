"""The exceptions edoutcomes raises on purpose; every one derives from :class:`EdOutcomesError`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from ._kernel._findings import Finding, summarise

__all__ = [
    "EdOutcomesError",
    "InvalidArgumentError",
    "InvalidInputError",
    "InvalidRecordError",
    "MissingExtraError",
    "NotYetAvailableError",
    "UnknownFormatError",
]


class EdOutcomesError(Exception):
    """
    Base class for every exception edoutcomes raises on purpose.

    Catch it to handle any of them; each also derives from the built-in exception it is a
    kind of (``ValueError``, ``LookupError``, ``ImportError``), so code that catches those works too.

    Examples:
        >>> from edoutcomes.model import Institution
        >>> try:
        ...     Institution("18")
        ... except EdOutcomesError as error:
        ...     print(type(error).__name__, "-", error)
        InvalidRecordError - institution code='18' is not 6 digits
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # A cluster (Dask, Spark) pickles an error from a worker to the client; the
        # subclasses' __init__ take other arguments than the message, so rebuild without it.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[EdOutcomesError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """An error as it was pickled: its message, findings and notes, without calling __init__."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidArgumentError(EdOutcomesError, ValueError):
    """
    A function was called with an argument it cannot accept.

    Examples:
        >>> from edoutcomes.synth import synthetic_cohort
        >>> try:
        ...     synthetic_cohort(-1)
        ... except InvalidArgumentError as error:
        ...     print(error)
        n_students=-1 must be at least 1
    """


class InvalidRecordError(EdOutcomesError, ValueError):
    """
    A domain object was built with a value that breaks one of its rules.

    Examples:
        >>> from edoutcomes.model import Student
        >>> try:
        ...     Student("")
        ... except InvalidRecordError as error:
        ...     print(error)
        requester_id must not be blank
    """


class InvalidInputError(EdOutcomesError, ValueError):
    """
    An input file (or table) has values that cannot be used.

    Raised in strict mode with *every* finding of the input, not just the first;
    each finding names the file, the row (1-based, the header is row 1), the column
    and the value (redacted for personal columns).

    Examples:
        >>> import io
        >>> from edoutcomes.formats import read_table
        >>> header = b"requester_id,college_code,college_type,begin_date,end_date\\n"
        >>> csv = header + b"A1,001817-00,4,2016-08-29,2016-13-01\\n"
        >>> try:
        ...     read_table(io.BytesIO(csv), "enrollments")
        ... except InvalidInputError as error:
        ...     print(error.findings[0])
        row 2, column end_date, value '2016-13-01': end_date is not a real date
        (YYYY-MM-DD or YYYYMMDD or MM/DD/YYYY or M/D/YY); the row is rejected (error)
    """

    def __init__(self, findings: Sequence[Finding], *, rows_read: int | None = None) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.rows_read = rows_read
        n = len(self.findings)
        msg = f"{n} problem{'s' if n != 1 else ''} in the input: {summarise(self.findings)}"
        super().__init__(msg)
        for finding in self.findings[:50]:
            self.add_note(str(finding))
        if n > 50:
            self.add_note(f"... and {n - 50} more findings (see .findings)")


class UnknownFormatError(EdOutcomesError, LookupError):
    """
    No writer (or reader) is registered under the requested format name.

    Examples:
        >>> import io
        >>> from edoutcomes.formats import write
        >>> try:
        ...     write([], io.BytesIO(), "xlsx")
        ... except UnknownFormatError as error:
        ...     print(error.name, "csv" in error.known)
        xlsx True
    """

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name, self.known = name, tuple(sorted(known))
        super().__init__(
            f"no writer registered for format {name!r}; known formats: {', '.join(self.known)}"
        )


class MissingExtraError(EdOutcomesError, ImportError):
    """
    A feature needs an optional dependency that is not installed.

    Its message says what to install; ``extra`` and ``module`` say it to a program.

    Examples:
        >>> error = MissingExtraError("record matching", "match", "recordlinkage")
        >>> print(error)
        record matching needs the optional package 'recordlinkage': pip install 'edoutcomes[match]'
        >>> error.extra, isinstance(error, ImportError)
        ('match', True)
    """

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.feature, self.extra, self.module = feature, extra, module
        super().__init__(
            f"{feature} needs the optional package {module!r}: pip install 'edoutcomes[{extra}]'"
        )


class NotYetAvailableError(EdOutcomesError, LookupError):
    """
    A measure asked for before the report date lets it be known (``available_on`` says when).

    Examples:
        >>> import datetime as dt
        >>> str(NotYetAvailableError("success at 6 years", dt.date(2022, 9, 16), dt.date(2021, 1, 1)))
        'success at 6 years is not available until 2022-09-16 (the report date is 2021-01-01)'
    """

    def __init__(self, what: str, available_on: dt.date, as_of: dt.date) -> None:
        self.what, self.available_on, self.as_of = what, available_on, as_of
        super().__init__(
            f"{what} is not available until {available_on.isoformat()}"
            f" (the report date is {as_of.isoformat()})"
        )
