"""
Students files on the command line: submission intake, ``--column`` and ``--mapping``, and fail-fast checks.

Every command that reads a students file reads it with
:func:`edoutcomes.formats.read_submission` (aliases, encodings, ``.xlsx``, the request
layouts). A file without a required column, an empty one or one with a header only stops
the command with one line (exit 1) before any other file is read.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
from collections.abc import Collection, Mapping
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .._kernel._findings import FileStatus, Finding, Severity
from ..formats import STUDENT_ALIASES, SubmissionRead, TableRead, read_submission
from ..model import STUDENTS, CohortColumns, Table
from ._run import INPUT, CommandError, check_file, progress

__all__ = [
    "add_column_options",
    "add_records_options",
    "column_mapping",
    "read_cohort_files",
    "read_students",
    "without_private",
]


def add_column_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--column CANONICAL=THEIRS`` (repeatable) and ``--mapping FILE``."""
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="CANONICAL=THEIRS",
        help="read the students field CANONICAL from the file's column THEIRS, e.g. "
        "--column requester_id='Stu Num' (repeatable; overrides the known aliases)",
    )
    parser.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE.csv",
        help="a two-column CSV 'canonical,source' (one students field and the file's column a "
        "line); --column wins over it",
    )


def add_records_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--enrollments`` and ``--degrees`` (canonical tables; a header only is fine)."""
    for option, metavar in (("--enrollments", "E.csv"), ("--degrees", "D.csv")):
        table = option.removeprefix("--")
        parser.add_argument(
            option,
            type=Path,
            metavar=metavar,
            help=f"canonical {table} table (a header only is fine: nobody has {table})",
        )


def _normal(name: str) -> str:
    # As the intake reader compares headers: case, spaces, _ - / ? ignored.
    return "".join(ch for ch in name.lower() if ch not in " _-/?")


def _field(name: str, where: str) -> str:
    if name in STUDENTS.names:
        return name
    near = difflib.get_close_matches(name, STUDENTS.names, n=1, cutoff=0.5)
    hint = f" (did you mean {near[0]}?)" if near else ""
    msg = f"{where}: {name!r} is not a students field{hint}; the fields are {', '.join(STUDENTS.names)}"
    raise CommandError(msg)


def column_mapping(args: argparse.Namespace) -> dict[str, str]:
    """The file's column -> students field, from ``--mapping`` then ``--column`` (exit 2 if unusable)."""
    pairs: list[tuple[str, str, str]] = []
    if args.mapping is not None:
        path = check_file(args.mapping, "--mapping")
        assert path is not None
        with path.open(newline="", encoding="utf-8-sig") as f:
            for number, row in enumerate(csv.reader(f), start=1):
                cells = [c.strip() for c in row]
                if not any(cells):
                    continue
                if len(cells) != 2 or not all(cells):
                    msg = f"--mapping {path}, row {number}: expected two columns, canonical,source"
                    raise CommandError(msg)
                if number == 1 and [c.lower() for c in cells] == ["canonical", "source"]:
                    continue
                pairs.append((cells[0], cells[1], f"--mapping {path}, row {number}"))
    for text in args.column:
        canonical, sep, theirs = text.partition("=")
        if not sep or not canonical.strip() or not theirs.strip():
            msg = f"--column {text!r} is not CANONICAL=THEIRS (e.g. requester_id='Student Number')"
            raise CommandError(msg)
        pairs.append((canonical.strip(), theirs.strip(), f"--column {text!r}"))
    mapping: dict[str, str] = {}
    for canonical, theirs, where in pairs:
        field = _field(canonical, where)
        for source, known in list(mapping.items()):
            if known == field:  # a later line for the same field wins
                del mapping[source]
        mapping[theirs] = field
    return mapping


def _nearest(field: str, found: list[str]) -> tuple[str, str, float] | None:
    """The found column most like a spelling of *field*: (column, spelling, likeness)."""
    best: tuple[str, str, float] | None = None
    for column in found:
        for spelling in (field, *STUDENT_ALIASES[field]):
            ratio = difflib.SequenceMatcher(None, _normal(column), _normal(spelling)).ratio()
            if best is None or ratio > best[2]:
                best = (column, spelling, ratio)
    return best


def _missing_message(name: str, field: str, found: list[str], unread: list[str]) -> str:
    columns = ", ".join(repr(c) for c in found) or "none"
    near = _nearest(field, unread)
    if near is None:
        hint = f"its known names include {', '.join(repr(a) for a in STUDENT_ALIASES[field][:3])}"
    else:
        column, spelling, _ = near
        hint = (
            f"the nearest is {column!r}, like the alias {spelling!r}: if it holds {field}, "
            f'give --column {field}="{column}"'
        )
    return f"{name} has no {field} column (the file's columns: {columns}); {hint}"


def read_students(
    path: str | Path,
    option: str,
    *,
    mapping: Mapping[str, str],
    required: Collection[str],
    as_of: dt.date | None,
    keyless: bool = False,
    no_key_hint: str = "",
) -> SubmissionRead:
    """
    Read a students file through intake, leniently; stop (exit 1) when it cannot be used at all.

    A missing required column names the file's columns and the nearest alias; an empty file
    and a file with a header but no row are errors too. With *keyless*, a delimited file
    without a ``requester_id`` column is keyed by spreadsheet row (``row-000002``), as a
    request layout with blank return fields is.
    """
    file = check_file(path, option)
    assert file is not None
    read = read_submission(
        file, mapping=dict(mapping), lenient=True, as_of=as_of, required=tuple(required)
    )
    name = str(file)
    messages = [f.message for f in read.status.findings if f.row in (None, 1) and f.is_error]
    if keyless and read.status.rows_read and _missing("requester_id", messages):
        keyed = _keyed_by_row(file)
        if keyed is not None:
            read = read_submission(
                keyed, mapping=dict(mapping), lenient=True, as_of=as_of, required=tuple(required)
            )
            messages = [m for m in messages if not _missing("requester_id", [m])]
    if read.status.rows_read == 0 and any("empty" in m for m in messages):
        msg = f"{option} {name} is empty: a students file needs a header and at least one student"
        raise CommandError(msg, INPUT)
    if read.status.rows_read == 0:
        msg = f"{option} {name} has a header but no student rows"
        raise CommandError(msg, INPUT)
    extras = [c.name for c in read.table.extras if not c.name.startswith("_")]
    order = [n for n in read.table.submitted if not n.startswith("_")]
    found = [read.columns.get(n, n) for n in order] or [*read.columns.values(), *extras]
    for field in STUDENTS.names:
        if _missing(field, messages):
            hint = no_key_hint if field == "requester_id" else ""
            raise CommandError(_missing_message(name, field, found, extras) + hint, INPUT)
    other = [f for f in read.status.findings if f.row is None and f.is_error]
    if other and read.status.rows_accepted == 0:
        msg = f"{option} {name}: {other[0].message}"
        raise CommandError(msg, INPUT)
    return read


def _missing(field: str, messages: list[str]) -> bool:
    return any(m.startswith(f"the required column {field} is missing") for m in messages)


def _keyed_by_row(file: Path) -> io.BytesIO | None:
    """A delimited text file with a ``requester_id`` column of row keys first; None for others."""
    data = file.read_bytes()
    if data[:4] == b"PK\x03\x04":  # a workbook: not rewritten
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
        key = "requester_id" if number == 1 else f"row-{number:06d}"
        writer.writerow([key, *row] if row else [])
    keyed = io.BytesIO(out.getvalue().encode("utf-8"))
    keyed.name = str(file)
    return keyed


def without_private(table: Table) -> Table:
    """*table* without the intake's private columns (``_birth_date_digits``): they are for the matcher only."""
    private = {c.name for c in table.extras if c.name.startswith("_")}
    if not private:
        return table
    return Table(
        table.schema,
        {k: v for k, v in table.data.items() if k not in private},
        {k: v for k, v in table.categories.items() if k not in private},
        tuple(c for c in table.extras if c.name not in private),
        tuple(n for n in table.submitted if n not in private),
    )


def _orphans(read: TableRead, link: NDArray[np.int32]) -> FileStatus:
    """The status of a records file with a warning per record whose student is not submitted."""
    rows = read.row_numbers[link < 0].tolist()
    ids = read.table.text("requester_id")[link < 0].tolist()
    message = "requester_id is not among the students; the record is kept but not counted"
    extra = [
        Finding.make(Severity.WARNING, read.status.file, row, "requester_id", key, message)
        for row, key in zip(rows, ids, strict=True)
    ]
    status = read.status
    merged = tuple(sorted((*status.findings, *extra), key=lambda f: f.row or 0))
    return FileStatus(
        status.file, status.rows_read, status.rows_accepted, merged, status.blank_lines
    )


def read_cohort_files(
    args: argparse.Namespace, *, required: Collection[str], as_of: dt.date | None
) -> tuple[CohortColumns, list[FileStatus], NDArray[np.int32]]:
    """
    ``--students`` through intake, then ``--enrollments`` and ``--degrees`` (header-only is fine).

    Also gives the spreadsheet row of each student (the columns keep the file's order).

    The students file is read and checked first, so a bad one stops the command before the
    records files are read (and before their rows are reported as orphans).
    """
    from ..formats import read_table

    paths = [check_file(args.enrollments, "--enrollments"), check_file(args.degrees, "--degrees")]
    mapping = column_mapping(args)
    with progress(None, f"reading {Path(args.students).name}"):
        students = read_students(
            args.students, "--students", mapping=mapping, required=required, as_of=as_of
        )
    tables: list[Table | None] = []
    reads: list[TableRead | None] = []
    for name, path in zip(("enrollments", "degrees"), paths, strict=True):
        read = None
        if path is not None:
            with progress(None, f"reading {path.name}"):
                read = read_table(path, name, lenient=True, as_of=as_of)
        reads.append(read)
        tables.append(None if read is None else read.table)
    columns = CohortColumns.from_tables(without_private(students.table), *tables)
    statuses = [students.status]
    links = (columns.enrollment_student, columns.degree_student)
    for read, link in zip(reads, links, strict=True):
        if read is not None:
            statuses.append(_orphans(read, link))
    return columns, statuses, students.row_numbers
