"""
Parsing raw strings into the columnar encodings, on distinct values only.

:func:`parse_dates`, :func:`parse_flags`, :func:`parse_codes`, :func:`parse_college_codes`,
:func:`parse_cips`, :func:`parse_numbers` and :func:`parse_text` turn distinct strings into
the encodings of :mod:`edoutcomes.model._columns`; :func:`parse_column` applies the right one
for a schema :class:`~edoutcomes.model.Column` to a :class:`~._reader.RawColumn` and gathers
the result back to the rows (a few thousand dates parsed, not millions).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from attrs import field, frozen
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from .._kernel._codes import Coded
from .._kernel._days import MISSING_DAY, civil_days
from .._kernel._days import day as day_number
from ..errors import InvalidArgumentError, InvalidRecordError
from ..model import Cip, CollegeCode, Column, Kind
from ._reader import RawColumn, _object_array

__all__ = [
    "DATE_FORMATS",
    "ISO_DATE",
    "MDY_DATE",
    "SHORT_MDY_DATE",
    "YYYYMMDD_DATE",
    "Parsed",
    "Problem",
    "flag_value",
    "looks_like_flags",
    "parse_cips",
    "parse_codes",
    "parse_college_codes",
    "parse_column",
    "parse_dates",
    "parse_flags",
    "parse_numbers",
    "parse_text",
]


@frozen
class Problem:
    """What is wrong with one distinct raw value."""

    message: str
    #: An unknown code: kept as the code set's UNKNOWN member (a warning, never an error).
    unknown: bool = False


#: ``YYYY-MM-DD``, the canonical form.
ISO_DATE = "YYYY-MM-DD"
#: ``YYYYMMDD``, as the clearinghouse files write dates.
YYYYMMDD_DATE = "YYYYMMDD"
#: ``MM/DD/YYYY`` (``M/D/YYYY`` too), as spreadsheets write dates.
MDY_DATE = "MM/DD/YYYY"
#: ``M/D/YY``: two-digit years, read relative to an as-of date.
SHORT_MDY_DATE = "M/D/YY"
#: Every date format the readers know.
DATE_FORMATS: tuple[str, ...] = (ISO_DATE, YYYYMMDD_DATE, MDY_DATE, SHORT_MDY_DATE)

_DATE_PATTERNS: dict[str, re.Pattern[str]] = {
    ISO_DATE: re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    YYYYMMDD_DATE: re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    MDY_DATE: re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})$"),
    SHORT_MDY_DATE: re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2})$"),
}


def _two_digit_year(yy: int, month: int, day: int, as_of: dt.date) -> dt.date:
    # 20yy when that is no later than ten years after the as-of date, else 19yy.
    modern = dt.date(2000 + yy, month, day)
    return modern if modern <= as_of + relativedelta(years=10) else dt.date(1900 + yy, month, day)


def _parse_date(text: str, formats: Sequence[str], as_of: dt.date | None) -> dt.date | Problem:
    expected = " or ".join(formats)
    for fmt in formats:
        match = _DATE_PATTERNS[fmt].match(text)
        if match is None:
            continue
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        try:
            if fmt == SHORT_MDY_DATE:
                if as_of is None:
                    return Problem("a two-digit year needs an as-of date to be read")
                return _two_digit_year(year, month, day, as_of)
            return dt.date(year, month, day)
        except ValueError:
            return Problem(f"is not a real date ({expected})")
    return Problem(f"is not a date ({expected})")


def parse_dates(
    distinct: Sequence[str],
    *,
    formats: Sequence[str] = DATE_FORMATS,
    as_of: dt.date | None = None,
) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    """
    Day numbers for distinct date strings (``MISSING_DAY`` for blank or bad ones).

    Args:
        distinct: Raw strings.
        formats: The formats to try, in order (see :data:`DATE_FORMATS`).
        as_of: The date two-digit years are read against: ``20yy`` when that is no
            later than ten years after it, else ``19yy``. Without it, ``M/D/YY`` is a problem.

    Returns:
        The ``int32`` day numbers, and the problems by position in *distinct*.

    Examples:
        >>> days, problems = parse_dates(["1970-01-02", "", "1/1/65", "8/27/12", "2001-02-30"],
        ...                              as_of=dt.date(2013, 2, 20))
        >>> [str(dt.date(1970, 1, 1) + dt.timedelta(int(d))) for d in days[[0, 2, 3]]]
        ['1970-01-02', '1965-01-01', '2012-08-27']
        >>> sorted(problems), problems[4].message
        ([4], 'is not a real date (YYYY-MM-DD or YYYYMMDD or MM/DD/YYYY or M/D/YY)')
    """
    unknown = [f for f in formats if f not in _DATE_PATTERNS]
    if unknown:
        msg = f"formats={unknown!r} are not known; known formats: {', '.join(DATE_FORMATS)}"
        raise InvalidArgumentError(msg)
    out = np.full(len(distinct), MISSING_DAY, dtype=np.int32)
    problems: dict[int, Problem] = {}
    done = _iso_days(distinct, out) if ISO_DATE in formats else np.zeros(len(distinct), bool)
    for i in np.flatnonzero(~done).tolist():
        text = distinct[i].strip()
        if not text:
            continue
        parsed = _parse_date(text, formats, as_of)
        if isinstance(parsed, Problem):
            problems[i] = parsed
        else:
            out[i] = day_number(parsed)
    return out, problems


def _iso_days(distinct: Sequence[str], out: NDArray[np.int32]) -> NDArray[np.bool_]:
    """
    Day numbers of the real dates written exactly ``YYYY-MM-DD`` (ASCII digits, no blanks
    around), in Arrow and numpy; the others (marked False) are left to :func:`_parse_date`.
    """
    strings = pa.array(list(distinct), type=pa.string())
    exact = pc.match_substring_regex(strings, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    found: NDArray[np.bool_] = np.array(exact.to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.flatnonzero(found)
    if not len(rows):
        return found
    dates = strings.take(pa.array(rows))

    def part(start: int, stop: int) -> NDArray[np.int64]:
        digits = pc.utf8_slice_codeunits(dates, start, stop)
        return cast(NDArray[np.int64], pc.cast(digits, pa.int64()).to_numpy())

    year, month, day = part(0, 4), part(5, 7), part(8, 10)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[
        np.clip(month, 0, 12)
    ] + (leap & (month == 2))
    real = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    days = civil_days(year, month, day)
    out[rows[real]] = days[real].astype(np.int32)
    found[rows[~real]] = False
    return found


_TRUE = frozenset({"y", "yes", "1", "true", "t"})
_FALSE = frozenset({"n", "no", "0", "false", "f"})


def flag_value(text: str) -> bool | None:
    """
    Read one Y/N flag: ``Y N Yes No 1 0 True False`` (any case); None for blank.

    Raises:
        InvalidRecordError: For anything else.

    Examples:
        >>> flag_value("Yes"), flag_value("0"), flag_value(" ")
        (True, False, None)
    """
    folded = text.strip().lower()
    if not folded:
        return None
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    msg = "value is not a Y/N flag"
    raise InvalidRecordError(msg)


def looks_like_flags(distinct: Sequence[str]) -> bool:
    """
    True when every non-blank value is a Y/N flag and there is at least one.

    Examples:
        >>> looks_like_flags(["Y", "", "no"]), looks_like_flags(["", " "]), looks_like_flags(["Y", "x"])
        (True, False, False)
    """
    seen = False
    for raw in distinct:
        folded = raw.strip().lower()
        if not folded:
            continue
        if folded not in _TRUE and folded not in _FALSE:
            return False
        seen = True
    return seen


def parse_flags(distinct: Sequence[str]) -> tuple[NDArray[np.int8], dict[int, Problem]]:
    """
    Y/N flags as ``int8`` 1/0 (-1 for blank or bad).

    Examples:
        >>> flags, problems = parse_flags(["Y", "false", "", "maybe"])
        >>> flags.tolist(), sorted(problems)
        ([1, 0, -1, -1], [3])
    """
    out = np.full(len(distinct), -1, dtype=np.int8)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        try:
            value = flag_value(raw)
        except InvalidRecordError:
            problems[i] = Problem("is not a Y/N flag (Y, N, Yes, No, 1, 0, True, False)")
            continue
        if value is not None:
            out[i] = int(value)
    return out, problems


def parse_codes(
    distinct: Sequence[str], codes: type[Coded], *, blank: Coded | None = None
) -> tuple[NDArray[np.int8], dict[int, Problem]]:
    """
    The stored ``int8`` code of each value (``member.code``); blank is *blank* (or -1), unknown is UNKNOWN.

    Examples:
        >>> from edoutcomes.model import EnrollmentStatus
        >>> index, problems = parse_codes(["F", "", "Z"], EnrollmentStatus, blank=EnrollmentStatus.WITHHELD)
        >>> [EnrollmentStatus.from_code(i).name for i in index], problems[2].unknown
        (['FULL_TIME', 'WITHHELD', 'UNKNOWN'], True)
    """
    out = np.full(len(distinct), -1, dtype=np.int8)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        text = raw.strip()
        if not text:
            if blank is not None:
                out[i] = blank.code
            continue
        member = codes.parse(text)
        out[i] = member.code
        if member.value == "unknown" and text.lower() != "unknown":
            problems[i] = Problem(f"is not a known {codes.__name__} code", unknown=True)
    return out, problems


def parse_college_codes(distinct: Sequence[str]) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    """
    College codes ``NNNNNN-BB`` packed as ``int32`` ``NNNNNNBB`` (-1 for blank or bad).

    Examples:
        >>> packed, problems = parse_college_codes(["001817-00", "00181700", "1817"])
        >>> packed.tolist(), sorted(problems)
        ([181700, 181700, -1], [2])
    """
    strings = pa.array(list(distinct), type=pa.string())
    plain = pc.match_substring_regex(strings, r"^[0-9]{6}-?[0-9]{2}$").to_numpy(
        zero_copy_only=False
    )
    rows = np.flatnonzero(plain)
    rest = np.flatnonzero(~plain)
    out = np.full(len(distinct), -1, dtype=np.int32)
    if len(rows):
        # NNNNNN-BB (or NNNNNNBB) in ASCII digits packs as the eight digits.
        digits = pc.replace_substring(strings.take(pa.array(rows)), "-", "")
        out[rows] = pc.cast(digits, pa.int32()).to_numpy()
    others, problems = _parse_packed(
        [distinct[i] for i in rest.tolist()],
        lambda t: CollegeCode.parse(t).packed,
        "is not a college code (NNNNNN-BB)",
    )
    out[rest] = others
    return out, {int(rest[i]): problem for i, problem in problems.items()}


def parse_cips(distinct: Sequence[str]) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    """
    CIP codes packed as ``int32`` six digits (-1 for blank or bad).

    Examples:
        >>> parse_cips(["09.0401", "90401", "", "x"])[0].tolist()
        [90401, 90401, -1, -1]
    """
    return _parse_packed(distinct, lambda t: Cip.parse(t).packed, "is not a CIP code (NN.NNNN)")


def _parse_packed(
    distinct: Sequence[str], pack: Callable[[str], int], message: str
) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    out = np.full(len(distinct), -1, dtype=np.int32)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        if not raw.strip():
            continue
        try:
            out[i] = pack(raw)
        except InvalidRecordError:
            problems[i] = Problem(message)
    return out, problems


def parse_numbers(distinct: Sequence[str]) -> tuple[NDArray[np.float64], dict[int, Problem]]:
    """
    Decimal numbers as ``float64`` (NaN for blank or bad).

    Examples:
        >>> parse_numbers(["1.5", "", "x"])[0].tolist()[:1], sorted(parse_numbers(["x"])[1])
        ([1.5], [0])
    """
    out = np.full(len(distinct), np.nan, dtype=np.float64)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        text = raw.strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            problems[i] = Problem("is not a number")
            continue
        if not np.isfinite(value):
            problems[i] = Problem("is not a finite number")
            continue
        out[i] = value
    return out, problems


def parse_text(distinct: Sequence[str]) -> tuple[NDArray[np.int32], NDArray[np.object_]]:
    """
    Text codes into categories: blank values become missing (-1); others are kept as given.

    Examples:
        >>> remap, categories = parse_text(["a", " ", "b"])
        >>> remap.tolist(), categories.tolist()
        ([0, -1, 1], ['a', 'b'])
    """
    blank = np.fromiter((not s.strip() for s in distinct), bool, len(distinct))
    remap = np.full(len(distinct), -1, dtype=np.int32)
    remap[~blank] = np.arange(int((~blank).sum()), dtype=np.int32)
    return remap, _object_array([s for s, b in zip(distinct, blank.tolist(), strict=True) if not b])


@frozen(eq=False)
class Parsed:
    """
    One raw column parsed into its columnar encoding, with what went wrong where.

    Attributes:
        raw: The raw column.
        data: One value per row, in the encoding of the column's :class:`Kind`.
        categories: The distinct strings of a text column.
        row_blank: Per row: the raw value was blank; None when that follows from the raw
            column (see :attr:`blank`), so it is only gathered to the rows when asked for.
        problems: Problems by distinct value (index into ``raw.distinct``).
        distinct_blank: Per distinct raw value: is it blank (None: worked out from *raw*).
    """

    raw: RawColumn
    data: NDArray[Any]
    categories: NDArray[np.object_] | None
    row_blank: NDArray[np.bool_] | None = None
    problems: dict[int, Problem] = field(factory=dict)
    distinct_blank: NDArray[np.bool_] | None = field(default=None, kw_only=True)

    @property
    def blank(self) -> NDArray[np.bool_]:
        """Per row: the raw value was blank."""
        if self.row_blank is not None:
            return self.row_blank
        return self.raw.take(self._distinct_blank())

    def blank_rows(self) -> NDArray[np.int64]:
        """Rows (0-based) whose raw value was blank (no pass over the rows when none is)."""
        if self.row_blank is not None:
            return np.flatnonzero(self.row_blank)
        return self.raw.rows_where(self._distinct_blank())

    def _distinct_blank(self) -> NDArray[np.bool_]:
        return self.raw.blank_distinct() if self.distinct_blank is None else self.distinct_blank

    def problem_rows(self, *, unknown: bool | None = None) -> NDArray[np.int64]:
        """Rows (0-based) whose value has a problem (only unknown codes, or only others)."""
        chosen = [i for i, p in self.problems.items() if unknown is None or p.unknown == unknown]
        if not chosen:
            return np.empty(0, dtype=np.int64)
        flagged = np.zeros(len(self.raw.distinct), dtype=bool)
        flagged[chosen] = True
        return self.raw.rows_where(flagged)

    def problem(self, row: int) -> Problem | None:
        """The problem of row *row*, if any."""
        return self.problems.get(int(self.raw.codes[row]))


_Parser = Callable[[Sequence[str]], tuple[NDArray[Any], dict[int, Problem]]]


def parse_column(
    raw: RawColumn,
    column: Column,
    *,
    date_formats: Sequence[str] = DATE_FORMATS,
    as_of: dt.date | None = None,
) -> Parsed:
    """
    Parse a raw column as the schema *column* says, on its distinct values, then gather.

    Examples:
        >>> from edoutcomes.model import ENROLLMENTS
        >>> from edoutcomes.formats._reader import factorise
        >>> raw = factorise("begin_date", ["2006-08-21", "2006-08-21", "soon"])
        >>> parsed = parse_column(raw, ENROLLMENTS["begin_date"])
        >>> parsed.data.tolist()[:2], parsed.problem_rows().tolist()
        ([13381, 13381], [2])
    """
    blank_distinct = raw.blank_distinct()
    kind = column.kind
    if kind is Kind.TEXT:
        remap = np.full(len(blank_distinct), -1, dtype=np.int32)
        remap[~blank_distinct] = np.arange(int((~blank_distinct).sum()), dtype=np.int32)
        return Parsed(
            raw,
            raw.take(remap),
            raw.distinct[~blank_distinct],
            None,
            distinct_blank=blank_distinct,
        )
    distinct = cast(list[str], raw.distinct.tolist())
    parser: _Parser
    if kind is Kind.DATE:

        def parser(d: Sequence[str]) -> tuple[NDArray[Any], dict[int, Problem]]:
            return parse_dates(d, formats=date_formats, as_of=as_of)

    elif kind is Kind.CODE:
        assert column.codes is not None
        codes, blank_code = column.codes, column.blank

        def parser(d: Sequence[str]) -> tuple[NDArray[Any], dict[int, Problem]]:
            return parse_codes(d, codes, blank=blank_code)

    elif kind is Kind.COLLEGE_CODE:
        parser = parse_college_codes
    elif kind is Kind.CIP:
        parser = parse_cips
    elif kind is Kind.BOOL:
        parser = parse_flags
    elif kind is Kind.NUMBER:
        parser = parse_numbers
    else:  # pragma: no cover - every Kind is handled above
        msg = f"column {column.name!r} has a kind the text reader does not know: {kind}"
        raise InvalidArgumentError(msg)
    per_distinct, problems = parser(distinct)
    return Parsed(raw, raw.take(per_distinct), None, None, problems, distinct_blank=blank_distinct)
