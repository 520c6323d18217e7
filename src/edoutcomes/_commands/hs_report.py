"""
``edoutcomes hs-report``: high-school outcome reports from a students table and postsecondary records.

Reads the students (with graduation dates and high schools) and the records, either as
canonical CSV tables or as one clearinghouse high-school detail report, and writes
``kpis.csv``, ``enrollment.csv``, ``persistence.csv``, ``completers.csv``, ``left_out.csv``,
``top_colleges.csv``, ``arr.csv`` and ``trends.html`` into a folder. It prints counts only: never a name, a birth date or an id.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from attrs import evolve
from numpy.typing import NDArray

from .._kernel._findings import Finding
from ..formats import DetailVariant
from ..model import CohortColumns
from ._common import count_arg
from ._run import (
    EXIT_CODES,
    INPUT,
    CommandError,
    HelpFormatter,
    RunSummary,
    add_as_of,
    add_findings_option,
    add_force,
    check_inputs,
    check_out_dir,
    check_out_file,
    progress,
    require_as_of,
    settle_findings,
    stop_on_errors,
)
from ._students import add_column_options, add_records_options, read_cohort_files

__all__ = ["register", "run"]

#: The files hs-report writes into --out.
OUTPUTS = (
    "kpis.csv",
    "enrollment.csv",
    "persistence.csv",
    "completers.csv",
    "left_out.csv",
    "top_colleges.csv",
    "arr.csv",
    "trends.html",
)

EXAMPLE = """\
examples:
  edoutcomes hs-report --students graduates.xlsx --enrollments enrollments.csv \\
      --degrees degrees.csv --as-of 2024-10-15 --suppress-below 11 --out reports/
  edoutcomes hs-report --detail high_school_detail.csv --as-of 2024-10-15 --out reports/

"""


def register(subparsers: Any) -> None:
    """Add the ``hs-report`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "hs-report",
        help="high-school outcome reports: KPIs, supporting counts, the ARR and a trends page",
        description=(
            "Read the graduates (a students file: CSV, tab-delimited, .xlsx or a request file, "
            "column names through the known aliases, --column or --mapping; requester_id is "
            "required, hs_grad_date and high_school_code give the classes and schools) with the "
            "canonical enrollments and degrees tables, or one high-school detail report, and "
            "write kpis.csv, enrollment.csv, persistence.csv, completers.csv, left_out.csv, "
            "top_colleges.csv, arr.csv and trends.html into --out. Only counts are printed: "
            "never a name, a birth date or an id."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--students", type=Path, metavar="S.csv", help="the graduates file")
    add_column_options(parser)
    add_records_options(parser)
    parser.add_argument(
        "--detail",
        type=Path,
        metavar="DETAIL.csv",
        help="a high-school detail report (instead of --students, --enrollments, --degrees)",
    )
    add_as_of(parser, "the report date: classes, windows and what is known end on it")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write the reports into"
    )
    add_force(parser)
    add_findings_option(parser)
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="set rows with errors aside (they are summarised) instead of stopping",
    )
    parser.add_argument(
        "--suppress-below",
        type=count_arg(low=1),
        default=None,
        metavar="N",
        help="hide counts below N, 1 or more (default: off in the CSV reports; the trends page "
        "is suppressed below 10 unless N is given)",
    )
    parser.add_argument(
        "--completion-years",
        type=count_arg(low=1, high=8),
        default=6,
        metavar="N",
        help="N of 'completed within N years', 1 to 8 (default 6)",
    )
    parser.set_defaults(func=run)


#: The students file's name and the spreadsheet row of each student (None for --detail).
_Located = tuple[str, NDArray[np.int32]] | None


def _read(args: argparse.Namespace, summary: RunSummary) -> tuple[CohortColumns, _Located]:
    if args.detail is not None:
        from ..formats import read_detail

        if args.students is not None or args.enrollments is not None or args.degrees is not None:
            msg = "give either --detail or --students (with --enrollments, --degrees), not both"
            raise CommandError(msg)
        with progress(None, f"reading {args.detail.name}"):
            detail = read_detail(args.detail, lenient=True, as_of=args.as_of)
        if detail.variant is not DetailVariant.HIGH_SCHOOL:
            msg = (
                f"--detail {args.detail} is a college (cohort query) detail report; hs-report "
                "needs the high-school detail report (or --students with --enrollments and "
                "--degrees)"
            )
            raise CommandError(msg, INPUT)
        if detail.status.rows_read == 0:
            msg = f"--detail {args.detail} has no student rows"
            raise CommandError(msg, INPUT)
        summary.read(detail.status)
        return detail.columns, None
    if args.students is None:
        msg = "give --students (with --enrollments/--degrees), or --detail"
        raise CommandError(msg)
    columns, statuses, rows = read_cohort_files(args, required=("requester_id",), as_of=args.as_of)
    summary.read(*statuses)
    return columns, (statuses[0].file or str(args.students), rows)


def _write(outcomes: Any, out: Path, suppress_below: int | None) -> list[Path]:
    """
    Write the eight files into *out*, a progress bar each (rows written, once the report is
    made); the trends page keeps its own suppression by default.
    """
    from ..formats import write

    out.mkdir(parents=True, exist_ok=True)
    reports = outcomes.reports(suppress_below=suppress_below)
    tables = [
        *reports,
        reports.left_out_report,
        outcomes.top_colleges_report(suppress_below=suppress_below),
        outcomes.arr(),
    ]
    paths = []
    for name, table in zip(OUTPUTS[:-1], tables, strict=True):
        with progress(len(table), f"writing {name}"):
            write(table, out / name, "csv")
        paths.append(out / name)
    # The trends page is for sharing: suppressed by default (its own default) unless N is given.
    with progress(1, "writing trends.html", unit="page", counts_rows=False) as bar:
        trends = (
            outcomes.trends()
            if suppress_below is None
            else outcomes.trends(suppress_below=suppress_below)
        )
        paths.append(trends.write(out / "trends.html"))
        bar.update(1)
    return paths


def _in_the_file(findings: Sequence[Finding], located: _Located) -> list[Finding]:
    """
    The engine's findings about students (``students``, row = position + 2) named by the file
    they came from and its spreadsheet row (rows rejected at intake or blank lines shift them).
    """
    if located is None:
        return list(findings)
    file, rows = located
    return [
        evolve(f, file=file, row=int(rows[f.row - 2]) if f.row is not None else None)
        if f.file == "students"
        else f
        for f in findings
    ]


def run(args: argparse.Namespace) -> int:
    """Read, measure, and write the files; print the date used and a summary."""
    from ..highschool import high_school_outcomes

    summary = RunSummary("hs-report")
    check_inputs(args, "--students", "--enrollments", "--degrees", "--detail", "--mapping")
    out: Path = check_out_dir(args.out)
    as_of = require_as_of(args, "the classes, windows and what is known end on the report date")
    for name in OUTPUTS:
        check_out_file(out / name, force=args.force, option="--out")
    columns, located = _read(args, summary)
    summary.dates(("report date (--as-of)", as_of, args.as_of_said))
    findings = [f for s in summary.statuses for f in s.findings]
    stop_on_errors(findings, findings_file=args.findings, lenient=args.lenient)
    with progress(columns.n_students, "measuring", unit="students", counts_rows=False) as bar:
        outcomes = high_school_outcomes(
            columns, as_of=as_of, completion_years=args.completion_years
        )
        bar.update(columns.n_students)
    paths = _write(outcomes, out, args.suppress_below)
    rejected = sum(s.rows_rejected for s in summary.statuses)
    found = int(outcomes.student_measures().record_found.sum())
    summary.found.append(
        f"{columns.n_students} students, {len(outcomes.classes)} classes, "
        f"{len(outcomes.high_schools)} high schools; {found} found in the records (record_found "
        f"Y in arr.csv); {outcomes.left_out} without a graduation "
        f"date left out of the class-based reports; {rejected} input rows rejected"
    )
    findings_written = settle_findings(
        [*findings, *_in_the_file(outcomes.findings, located)],
        findings_file=args.findings,
        lenient=None,
        what="the input and the measures",
    )
    summary.wrote(*paths, findings_written)
    summary.finish()
    return 0
