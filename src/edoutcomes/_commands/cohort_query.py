"""``edoutcomes cohort-query``: a students file and the records in, the clearinghouse's three result files out."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from ._common import date_arg, institution, institution_arg
from ._run import (
    EXIT_CODES,
    HelpFormatter,
    RunSummary,
    add_as_of,
    add_findings_option,
    add_force,
    check_before,
    check_inputs,
    check_out_dir,
    check_out_file,
    progress,
    require_as_of,
    settle_findings,
    stop_on_errors,
    timestamp_arg,
    today,
)
from ._students import add_column_options, add_records_options, read_cohort_files

__all__ = ["register", "run"]

EXAMPLE = """\
example:
  edoutcomes cohort-query --students students.csv --enrollments enrollments.csv \\
      --degrees degrees.csv --search-date 2006-09-15 --institution 001817 \\
      --as-of 2013-02-20 --column requester_id="Student Number" --out results/

"""


def register(subparsers: Any) -> None:
    """Add the ``cohort-query`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "cohort-query",
        help="run a cohort query and write the control, aggregate and detail result files",
        description=(
            "Read a students file (CSV, tab-delimited, .xlsx or a request file; column names "
            "through the known aliases, --column or --mapping; only requester_id is required) "
            "and the canonical enrollments and degrees tables, run the cohort query, and write "
            "the control report (.htm), the aggregate report (.csv) and the detail report "
            "(.csv) in the clearinghouse layouts into --out."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--students", required=True, metavar="S.csv", help="the students file")
    add_column_options(parser)
    add_records_options(parser)
    parser.add_argument(
        "--search-date",
        required=True,
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the cohort's search date",
    )
    parser.add_argument(
        "--institution",
        required=True,
        type=institution_arg,
        metavar="NNNNNN[-BB]",
        help="the submitting institution's code (a branch restricts it to that branch)",
    )
    parser.add_argument(
        "--institution-name", metavar="NAME", help="the institution's name, printed in the reports"
    )
    add_as_of(parser, "the report date: the last day of the records counted")
    parser.add_argument(
        "--user",
        default="edoutcomes",
        metavar="NAME",
        help="the <user> part of the file names (default: edoutcomes)",
    )
    parser.add_argument(
        "--file-date",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the control report's file creation date (default: the run's date, printed)",
    )
    parser.add_argument(
        "--timestamp",
        type=timestamp_arg,
        metavar="YYYYMMDDHHMM",
        help="the file names' time stamp (default: the run's time, printed)",
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="folder to write the three files into"
    )
    add_force(parser)
    add_findings_option(parser)
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="set rows with errors aside (they are summarised) instead of stopping",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check, read, query, write; print the dates used and a summary."""
    from ..cohort import cohort_query
    from ..formats import write_cohort_query_files
    from ..formats.cohort_report import file_names

    summary = RunSummary("cohort-query")
    check_inputs(args, "--students", "--enrollments", "--degrees", "--mapping")
    out = check_out_dir(args.out)
    as_of = require_as_of(args, "the cohort's years and what is known end on the report date")
    check_before(args.search_date, as_of, first="the search date", second="--as-of")
    now = dt.datetime.now(dt.UTC).astimezone()
    stamp: dt.datetime = args.timestamp or now
    file_date: dt.date = args.file_date or today()
    for name in file_names(user=args.user, timestamp=stamp):
        check_out_file(out / name, force=args.force)
    owner = institution(args.institution, args.institution_name)
    columns, statuses, _ = read_cohort_files(args, required=("requester_id",), as_of=as_of)
    summary.read(*statuses)
    summary.dates(
        ("search date", args.search_date, "given"),
        ("report date (--as-of)", as_of, args.as_of_said),
        ("file creation date", file_date, "given" if args.file_date else "the run's date"),
    )
    how = "given" if args.timestamp else "the run's time"
    print(f"file names' time stamp: {stamp:%Y%m%d%H%M} ({how})", file=summary.stream)
    findings = [f for s in statuses for f in s.findings]
    stop_on_errors(findings, findings_file=args.findings, lenient=args.lenient)
    with progress(columns.n_students, "querying", unit="students", counts_rows=False) as bar:
        result = cohort_query(columns, search_date=args.search_date, institution=owner, as_of=as_of)
        bar.update(columns.n_students)
    with progress(None, "writing the reports"):
        paths = write_cohort_query_files(
            result, out, user=args.user, timestamp=stamp, file_date=file_date
        )
    findings_written = settle_findings(
        [*findings, *result.findings],
        findings_file=args.findings,
        lenient=None,
        what="the input and the query",
    )
    summary.found.append(
        f"{result.control.total} students, {result.control.found} found in the records"
    )
    print(f"control report:   {paths.control}")
    print(f"aggregate report: {paths.aggregate}")
    print(f"detail report:    {paths.detail}")
    summary.wrote(paths.control, paths.aggregate, paths.detail, findings_written)
    summary.finish()
    return 0
