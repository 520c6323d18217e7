"""
Cohort-query result files: control report ``.htm``, aggregate (cohort) report ``.csv``, detail ``.csv``.

The library writes all three from a :class:`~edoutcomes.cohort.CohortQueryResult` in the
clearinghouse's published layouts and file names, with the producer (``edoutcomes`` by
default) named in the title lines: these files are not the clearinghouse's. It also reads
an aggregate report the clearinghouse produced, into the same typed tables the engine
gives, so :func:`compare` can list the cells where the two disagree.

Examples:
    >>> import datetime as dt, tempfile
    >>> from edoutcomes.cohort import cohort_query
    >>> from edoutcomes.synth import synthetic_cohort
    >>> cohort = synthetic_cohort(20, seed=2)
    >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
    ...                       institution=cohort.institution, as_of=cohort.as_of)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_cohort_query_files(result, tmp)
    ...     compare(read_aggregate(files.aggregate), result)  # what we wrote reads back the same
    []
"""

from __future__ import annotations

import csv as _csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
from attrs import field, frozen

from .._kernel._csv import write_rows
from .._kernel._findings import Finding, Severity
from .._kernel._html import html_page
from .._kernel._html import text as escape_text
from .._kernel._values import format_value
from ..cohort import (
    DISPLAY_ORDER,
    TABLE_TITLES,
    AcademicYear,
    CohortQueryResult,
    ControlReport,
    Outcome,
    OutcomeTable,
    academic_years,
)
from ..errors import InvalidArgumentError, InvalidInputError
from ..model import Institution
from .detail import write_detail

__all__ = [
    "DEFAULT_PRODUCER",
    "AggregateReport",
    "CellDifference",
    "CohortQueryFiles",
    "compare",
    "file_names",
    "read_aggregate",
    "write_aggregate",
    "write_cohort_query_files",
    "write_control",
]

DEFAULT_PRODUCER = "edoutcomes"
"""
The producer named in the title lines of the files the library writes.

Examples:
    >>> DEFAULT_PRODUCER
    'edoutcomes'
"""

_TOTAL_LABEL = "Total Students Found & Included In Aggregate Report:"
_SEARCH_LABEL = "Search date provided in request File :"


def _mdy(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


def _institution_line(institution: Institution) -> tuple[str, str]:
    return institution.name.upper(), institution.college_code


# --- control report ------------------------------------------------------------------------


def control_lines(
    control: ControlReport, *, file_date: dt.date, producer: str = DEFAULT_PRODUCER
) -> list[str]:
    """
    The control report's lines, in the published order.

    Examples:
        >>> from edoutcomes.cohort import ControlReport
        >>> c = ControlReport(dt.date(2006, 9, 15), dt.date(2013, 9, 9),
        ...                   Institution("001817", name="Synthetic U"), 49, 8, 41, 0, 0, 41)
        >>> for line in control_lines(c, file_date=dt.date(2013, 9, 3)):
        ...     print(line)
        Date: 09/09/2013
        edoutcomes
        STUDENTTRACKER CONTROL REPORT
        FOR SYNTHETIC U (001817-00)
        YOUR FILE CREATION DATE: 09/03/2013
        RANGE OF SEARCH DATES PROVIDED IN REQUEST FILE: 09/15/2006 -09/15/2006
        TOTAL STUDENTS IN YOUR REQUEST FILE: 49
        TOTAL STUDENTS WITH NO RESPONSE DATA AVAILABLE: 8
        TOTAL STUDENTS FOUND AND INCLUDED IN AGGREGATE REPORT: 41
        LESS: STUDENT LEVEL REPORTING BLOCKED BY SCHOOL: 0
        LESS: STUDENT LEVEL REPORTING BLOCKED BY STUDENT: 0
        TOTAL STUDENTS REPORTED AT DETAIL LEVEL: 41
    """
    name, code = _institution_line(control.institution)
    search = _mdy(control.search_date)
    lines = [
        f"Date: {_mdy(control.as_of)}",
        producer,
        "STUDENTTRACKER CONTROL REPORT",
        f"FOR {name} ({code})" if name else f"FOR ({code})",
        f"YOUR FILE CREATION DATE: {_mdy(file_date)}",
        f"RANGE OF SEARCH DATES PROVIDED IN REQUEST FILE: {search} -{search}",
    ]
    lines += [f"{description}: {count}" for description, count in control.rows()]
    return lines


def write_control(
    control: ControlReport,
    out: IO[bytes],
    /,
    *,
    file_date: dt.date | None = None,
    producer: str = DEFAULT_PRODUCER,
) -> None:
    """
    Write the control report as a self-contained ``.htm`` page, one line per published line.

    Args:
        control: The control report.
        out: A binary stream.
        file_date: The request file's creation date (default: the report date).
        producer: Named in the title line.

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> cohort = synthetic_cohort(20, seed=2)
        >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
        ...                       institution=cohort.institution, as_of=cohort.as_of)
        >>> out = io.BytesIO()
        >>> write_control(result.control, out, file_date=dt.date(2022, 9, 16))
        >>> [line for line in out.getvalue().decode().splitlines() if line.startswith("TOTAL STUDENTS IN")]
        ['TOTAL STUDENTS IN YOUR REQUEST FILE: 20']
    """
    lines = control_lines(control, file_date=file_date or control.as_of, producer=producer)
    body = "<pre>\n" + "".join(f"{escape_text(line)}\n" for line in lines) + "</pre>\n"
    out.write(html_page("STUDENTTRACKER CONTROL REPORT", body).encode("utf-8"))


# --- aggregate (cohort) report ----------------------------------------------------------


def write_aggregate(
    result: CohortQueryResult, out: IO[bytes], /, *, producer: str = DEFAULT_PRODUCER
) -> None:
    """
    Write the aggregate (cohort) report CSV: the preamble, then Tables 1, 2, 2A and 2B.

    Counts are plain integers. :func:`read_aggregate` reads it back to equal tables.

    Examples:
        >>> import io
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> cohort = synthetic_cohort(20, seed=2)
        >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
        ...                       institution=cohort.institution, as_of=cohort.as_of)
        >>> out = io.BytesIO()
        >>> write_aggregate(result, out)
        >>> out.getvalue().decode().splitlines()[:2]
        ['Date: 09/15/2022', 'edoutcomes']
        >>> read_aggregate(io.BytesIO(out.getvalue())).found == result.control.found
        True
    """
    name, code = _institution_line(result.institution)
    rows: list[list[str]] = [
        [f"Date: {_mdy(result.as_of)}"],
        [producer],
        [f"{name} ({code})", f"{_TOTAL_LABEL} {result.control.found}"],
        [f"{_SEARCH_LABEL} {_mdy(result.search_date)}"],
    ]
    for table in result.tables:
        rows += [[], [table.title]]
        if table.note:
            rows.append([table.note])
        rows.append(list(table.columns))
        rows += [[format_value(v) for v in row] for row in table.rows()]
    write_rows(out, rows)


@frozen(eq=False)
class AggregateReport:
    """
    An aggregate (cohort) report as read from a file: its preamble and the four tables.

    ``tables`` hold what the engine's would (:class:`~edoutcomes.cohort.OutcomeTable`), so
    ``compare(read_aggregate(path), cohort_query(...))`` lists differing cells.

    Attributes:
        report_date: The ``Date:`` line.
        producer: The title line (``National Student Clearinghouse`` in the service's files).
        institution_name: As printed.
        institution_code: ``NNNNNN-BB`` as printed.
        found: Total students found and included in the aggregate report.
        search_date: The search date provided in the request file.
        table1, table2, table2a, table2b: The tables (a table absent from the file is None).
        findings: Lines the reader skipped or could not read (warnings).

    Examples:
        >>> import datetime as dt, tempfile
        >>> from edoutcomes.cohort import Outcome, cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> cohort = synthetic_cohort(20, seed=2)
        >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
        ...                       institution=cohort.institution, as_of=cohort.as_of)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     report = read_aggregate(write_cohort_query_files(result, tmp).aggregate)
        >>> report.search_date, report.institution_code, report.found == result.control.found
        (datetime.date(2016, 9, 15), '001817-00', True)
        >>> report.table1.count(Outcome.RETAINED_SUBMITTING, "2016-17") == result.table1.count(Outcome.RETAINED_SUBMITTING, "2016-17")
        True
    """

    report_date: dt.date | None
    producer: str | None
    institution_name: str | None
    institution_code: str | None
    found: int | None
    search_date: dt.date
    table1: OutcomeTable | None
    table2: OutcomeTable | None
    table2a: OutcomeTable | None
    table2b: OutcomeTable | None
    findings: tuple[Finding, ...] = ()

    @property
    def tables(self) -> tuple[OutcomeTable, ...]:
        """
        The tables present, in report order.

        Examples:
            >>> import tempfile
            >>> from edoutcomes.cohort import cohort_query
            >>> from edoutcomes.synth import synthetic_cohort
            >>> cohort = synthetic_cohort(20, seed=2)
            >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
            ...                       institution=cohort.institution, as_of=cohort.as_of)
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     report = read_aggregate(write_cohort_query_files(result, tmp).aggregate)
            >>> [table.name for table in report.tables]
            ['table1', 'table2', 'table2a', 'table2b']
        """
        return tuple(
            t for t in (self.table1, self.table2, self.table2a, self.table2b) if t is not None
        )


_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TOTAL = re.compile(
    r"total\s+students\s+found\s*(?:&|and)\s*included\s+in\s+aggregate\s+report\s*:\s*([\d,]*)",
    re.IGNORECASE,
)
_SEARCH = re.compile(r"search\s+date\s+provided\s+in\s+request\s+file\s*:\s*(.*)", re.IGNORECASE)
_TABLE = re.compile(r"^table\s+(1|2|2a|2b)\s*:", re.IGNORECASE)
_INSTITUTION = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_NOTES = ("note:", "important:", "data generated")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


def _date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _count(text: str) -> int | None:
    text = text.strip().replace(" ", "")
    if not text:
        return 0
    if not _COUNT.match(text):
        return None
    return int(text.replace(",", ""))


@frozen
class _Parsed:
    """What the line scanner collects before years can be built."""

    preamble: dict[str, Any] = field(factory=dict)
    labels: dict[str, list[str]] = field(factory=dict)
    counts: dict[str, dict[Outcome, list[int]]] = field(factory=dict)
    findings: list[Finding] = field(factory=list)


def _scan(rows: Iterable[list[str]], file: str | None) -> _Parsed:
    parsed = _Parsed()
    pre = parsed.preamble
    current: str | None = None
    for number, raw in enumerate(rows, start=1):
        cells = [c.strip() for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        line = " ".join(c for c in cells if c)
        first = cells[0]
        lowered = line.lower()

        def warn(message: str, value: str = line, row: int = number) -> None:
            parsed.findings.append(Finding.make(Severity.WARNING, file, row, None, value, message))

        if lowered.startswith(_NOTES):
            continue
        if lowered.startswith("date:") and "report_date" not in pre:
            pre["report_date"] = _date(line)
            continue
        total = _TOTAL.search(line)
        if total is not None:
            digits = total.group(1)
            if not digits:
                after = line[total.end() :].split()
                digits = after[0] if after else ""
            pre["found"] = _count(digits)
            match = _INSTITUTION.match(first)
            if match is not None:
                pre["institution_name"], pre["institution_code"] = match.groups()
            continue
        search = _SEARCH.search(line)
        if search is not None:
            pre["search_date"] = _date(search.group(1))
            continue
        table = _TABLE.match(first)
        if table is not None:
            current = "table" + table.group(1).lower()
            parsed.counts[current] = {}
            continue
        if first.startswith("("):
            continue
        if first.lower() == "description":
            if current is None:
                warn("a header line before any table title")
                continue
            parsed.labels[current] = [c for c in cells[1:] if c]
            continue
        if current is not None and current in parsed.labels:
            try:
                outcome = Outcome.from_label(first)
            except InvalidArgumentError:
                warn("not a row of the cohort report; skipped")
                continue
            width = len(parsed.labels[current])
            values = [_count(c) for c in (cells[1:] + [""] * width)[:width]]
            if any(v is None for v in values):
                warn("a count is not a whole number; the row is skipped")
                continue
            parsed.counts[current][outcome] = [int(v or 0) for v in values]
            continue
        if "producer" not in pre and "report_date" in pre:
            pre["producer"] = line
            continue
        warn("an unexpected line; skipped")
    return parsed


def _years_for(labels: Sequence[str], search_date: dt.date, table: str) -> tuple[AcademicYear, ...]:
    if not labels:
        return ()
    last_start = dt.date(int(labels[-1][:4]), 1, 1) if labels[-1][:4].isdigit() else search_date
    years = academic_years(
        search_date, as_of=max(last_start.replace(month=12, day=31), search_date)
    )
    years = tuple(y for y in years if y.label in labels)
    if tuple(y.label for y in years) != tuple(labels):
        msg = (
            f"{table}: the year columns {', '.join(labels)} are not the academic years after "
            f"the search date {search_date.isoformat()}"
        )
        raise InvalidInputError([Finding.make(Severity.ERROR, None, None, None, None, msg)])
    return years


def read_aggregate(
    source: str | Path | IO[str] | IO[bytes], *, search_date: dt.date | None = None
) -> AggregateReport:
    """
    Read an aggregate (cohort) report CSV, the clearinghouse's or the library's.

    Accepts thousands separators (``11,630``), both spellings of the total line, ``File :``
    and ``File:``, older table titles (tables are known by their number), blank cells as 0,
    and skips the note lines (``Note: ...``, ``IMPORTANT: ...``, ``Data generated ...``).

    Args:
        source: A path, or a text or binary stream.
        search_date: The search date, when the file does not state it.

    Returns:
        The preamble and the four tables, typed as the engine's.

    Raises:
        InvalidInputError: If the file has no search date (and none is given), or no table.

    Examples:
        >>> text = '''Date: 11/21/2013
        ... National Student Clearinghouse
        ... SYNTHETIC U (123456-00),,,"Total Students Found & Included In Aggregate Report: 46,503"
        ... Search date provided in request File: 01/01/2008
        ... Table 1: Enrollment and Graduation Summary
        ... Description,2008-09,2009-10
        ... Retained at your institution,"11,630","12,945"
        ... Note: counts include ...
        ... '''
        >>> report = read_aggregate(io.StringIO(text))
        >>> report.found, report.table1.count(Outcome.RETAINED_SUBMITTING, "2009-10")
        (46503, 12945)
    """
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", None)
    label = name if isinstance(name, str) else None
    text = _read_text(source)
    try:
        parsed = _scan(_csv.reader(io.StringIO(text, newline="")), label)
    except _csv.Error as exc:
        msg = f"the file cannot be read as CSV ({exc})"
        raise InvalidInputError(
            [Finding.make(Severity.ERROR, label, None, None, None, msg)]
        ) from None
    pre = parsed.preamble
    search = search_date or pre.get("search_date")
    if search is None:
        msg = "the file states no search date; pass search_date="
        raise InvalidInputError([Finding.make(Severity.ERROR, name, None, None, None, msg)])
    if not parsed.labels:
        msg = "no table with a Description header line was found"
        raise InvalidInputError([Finding.make(Severity.ERROR, name, None, None, None, msg)])
    tables: dict[str, OutcomeTable | None] = dict.fromkeys(TABLE_TITLES)
    for key, labels in parsed.labels.items():
        years = _years_for(labels, search, key)
        rows = parsed.counts.get(key, {})
        counts = np.array(
            [rows.get(o, [0] * len(years)) for o in DISPLAY_ORDER], dtype=np.int64
        ).reshape(len(DISPLAY_ORDER), len(years))
        tables[key] = OutcomeTable.from_counts(key, years, counts)
    return AggregateReport(
        report_date=pre.get("report_date"),
        producer=pre.get("producer"),
        institution_name=pre.get("institution_name"),
        institution_code=pre.get("institution_code"),
        found=pre.get("found"),
        search_date=search,
        table1=tables["table1"],
        table2=tables["table2"],
        table2a=tables["table2a"],
        table2b=tables["table2b"],
        findings=tuple(parsed.findings),
    )


def _read_text(source: str | Path | IO[str] | IO[bytes]) -> str:
    if isinstance(source, str | Path):
        data: str | bytes = Path(source).read_bytes()
    else:
        data = source.read()
    if isinstance(data, bytes):
        # Spreadsheet exports are often Windows-1252; UTF-8 (with or without BOM) first.
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        return data.decode("latin-1")  # every byte decodes: bytes cp1252 leaves undefined
    return data


# --- comparing ---------------------------------------------------------------------------


@frozen
class CellDifference:
    """
    One cell where two aggregate reports disagree (None: the cell is missing on that side).

    Examples:
        >>> str(CellDifference("table1", Outcome.RETAINED_SUBMITTING, "2006-07", 12, 13))
        'table1, Retained at your institution, 2006-07: 12 != 13'
    """

    table: str
    outcome: Outcome
    year: str
    a: int | None
    b: int | None

    def __str__(self) -> str:
        return f"{self.table}, {self.outcome.label}, {self.year}: {self.a} != {self.b}"


def _tables_of(report: Any) -> dict[str, OutcomeTable]:
    if isinstance(report, OutcomeTable):
        return {report.name: report}
    tables = getattr(report, "tables", None)
    if tables is None:
        msg = f"{type(report).__name__} has no outcome tables to compare"
        raise InvalidArgumentError(msg)
    return {t.name: t for t in tables}


def compare(a: Any, b: Any) -> list[CellDifference]:
    """
    Every cell where two reports' tables differ: by table, row (outcome) and year label.

    Each side is an :class:`~edoutcomes.cohort.OutcomeTable`, a cohort-query result, or an
    :class:`AggregateReport`. A table or year present on one side only gives a difference
    for each of its cells, with None on the side that lacks it.

    Examples:
        >>> from edoutcomes.cohort import academic_years
        >>> years = academic_years(dt.date(2006, 9, 15), as_of=dt.date(2007, 1, 1))
        >>> t1 = OutcomeTable.from_counts("table1", years, np.zeros((7, 1), dtype=int))
        >>> t2 = OutcomeTable.from_counts("table1", years, np.eye(7, 1, dtype=int))
        >>> [str(d) for d in compare(t1, t2)]
        ['table1, 4-year degree from your institution, 2006-07: 0 != 1']
    """
    left, right = _tables_of(a), _tables_of(b)
    out: list[CellDifference] = []
    for name in [n for n in TABLE_TITLES if n in left or n in right]:
        ta, tb = left.get(name), right.get(name)
        labels_a = ta.year_labels if ta is not None else ()
        labels_b = tb.year_labels if tb is not None else ()
        labels = list(labels_a) + [y for y in labels_b if y not in labels_a]
        for outcome in DISPLAY_ORDER:
            for year in labels:
                va = ta.count(outcome, year) if year in labels_a and ta is not None else None
                vb = tb.count(outcome, year) if year in labels_b and tb is not None else None
                if va != vb:
                    out.append(CellDifference(name, outcome, year, va, vb))
    return out


# --- the three files ---------------------------------------------------------------------


@frozen
class CohortQueryFiles:
    """
    Where :func:`write_cohort_query_files` wrote the three files.

    Examples:
        >>> import datetime as dt, tempfile
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> cohort = synthetic_cohort(20, seed=2)
        >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
        ...                       institution=cohort.institution, as_of=cohort.as_of)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     files = write_cohort_query_files(result, tmp, timestamp=dt.datetime(2022, 9, 16, 8, 30))
        >>> files.control.name, files.aggregate.name, files.detail.name
        ('edoutcomes_T1cntlrpt.202209160830_CO.htm', 'edoutcomes_T1cohortrpt.202209160830_CO.csv', 'edoutcomes_T1.202209160830_CO.csv')
    """

    control: Path
    aggregate: Path
    detail: Path

    def __iter__(self) -> Any:
        return iter((self.control, self.aggregate, self.detail))


def file_names(
    *, user: str = DEFAULT_PRODUCER, n: int = 1, timestamp: dt.datetime
) -> tuple[str, str, str]:
    """
    The clearinghouse's names for the control, aggregate and detail files.

    Examples:
        >>> file_names(timestamp=dt.datetime(2013, 9, 9, 14, 5))
        ('edoutcomes_T1cntlrpt.201309091405_CO.htm', 'edoutcomes_T1cohortrpt.201309091405_CO.csv', 'edoutcomes_T1.201309091405_CO.csv')
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", user):
        msg = f"user={user!r} must be letters, digits, '_' or '-' (it goes into file names)"
        raise InvalidArgumentError(msg)
    if not (isinstance(n, int) and n >= 0):
        msg = f"n={n!r} must be a whole number"
        raise InvalidArgumentError(msg)
    stamp = timestamp.strftime("%Y%m%d%H%M")
    return (
        f"{user}_T{n}cntlrpt.{stamp}_CO.htm",
        f"{user}_T{n}cohortrpt.{stamp}_CO.csv",
        f"{user}_T{n}.{stamp}_CO.csv",
    )


def write_cohort_query_files(
    result: CohortQueryResult,
    directory: str | Path,
    *,
    user: str = DEFAULT_PRODUCER,
    n: int = 1,
    timestamp: dt.datetime | None = None,
    file_date: dt.date | None = None,
    producer: str = DEFAULT_PRODUCER,
) -> CohortQueryFiles:
    """
    Write the control report, the aggregate report and the detail report into *directory*.

    Args:
        result: A cohort-query result.
        directory: Where to write (created if missing).
        user: The ``<user>`` part of the file names.
        n: The ``T<n>`` part of the file names.
        timestamp: The names' ``YYYYMMDDHHMM`` (default: the time of writing).
        file_date: The control report's file creation date (default: the time of writing).
        producer: Named in the title lines.

    Returns:
        The three paths.

    Examples:
        >>> import datetime as dt, tempfile
        >>> from edoutcomes.cohort import cohort_query
        >>> from edoutcomes.synth import synthetic_cohort
        >>> cohort = synthetic_cohort(20, seed=2)
        >>> result = cohort_query(cohort.columns, search_date=cohort.search_date,
        ...                       institution=cohort.institution, as_of=cohort.as_of)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     files = write_cohort_query_files(result, tmp, user="riverbend", n=2,
        ...                                      timestamp=dt.datetime(2022, 9, 16, 8, 30))
        ...     print(files.detail.name, files.control.suffix)
        riverbend_T2.202209160830_CO.csv .htm
    """
    # File names and the creation date are the time of writing, as the service's are.
    now = dt.datetime.now(dt.UTC).astimezone()
    stamp = timestamp or now
    names = file_names(user=user, n=n, timestamp=stamp)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = CohortQueryFiles(*(folder / name for name in names))
    with open(paths.control, "wb") as out:
        write_control(result.control, out, file_date=file_date or now.date(), producer=producer)
    with open(paths.aggregate, "wb") as out:
        write_aggregate(result, out, producer=producer)
    with open(paths.detail, "wb") as out:
        write_detail(result.detail, out)
    return paths
