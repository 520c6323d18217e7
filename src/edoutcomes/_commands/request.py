"""``edoutcomes request``: a clearinghouse request file from a canonical students table."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from ._common import date_arg
from ._run import (
    EXIT_CODES,
    HelpFormatter,
    RunSummary,
    add_as_of,
    add_findings_option,
    add_force,
    check_before,
    check_inputs,
    check_out_file,
    progress,
    settle_findings,
    stop_on_errors,
    today,
)
from ._students import add_column_options, column_mapping, read_students

__all__ = ["register", "run"]

#: The columns a request file needs (the spec's table).
REQUIRED = ("requester_id", "first_name", "last_name", "birth_date")

EXAMPLE = """\
examples:
  edoutcomes request --students export.csv --inquiry CO --school-code 001817 \\
      --school-name "Riverbend State University" --search-date 2006-09-15 \\
      --file-date 2013-02-20 --out request.txt
  edoutcomes request --students grads.xlsx --high-school --account-code 100200 \\
      --account-name "Lakeside High" --diploma-period 2013 --out graduates.txt

"""


def register(subparsers: Any) -> None:
    """Add the ``request`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "request",
        help="write a request file (college H1/D1/T1 or high-school PH3/PD3/PT3) from a students table",
        description=(
            "Read a students file (CSV, tab-delimited, .xlsx or a request file; column names "
            "through the known aliases such as 'Student ID', 'First Name', 'DOB', or --column "
            "and --mapping; requester_id, first_name, last_name and birth_date are required), "
            "check it against the request-file rules and write the file. Fixes (accents, "
            "punctuation, suffixes) are summarised as warnings; anything that cannot be fixed "
            "stops the command (exit 1) with every row and field in --findings."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--students", required=True, metavar="S.csv", help="the students file")
    add_column_options(parser)
    parser.add_argument("--out", required=True, metavar="FILE", help="the request file to write")
    add_force(parser)
    parser.add_argument(
        "--file-date",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the file's creation date (default: the --as-of date, printed)",
    )
    add_as_of(
        parser,
        "the run's date: a file date after it is an error, and two-digit years are read against it",
        optional="the run's date, printed",
    )
    add_findings_option(parser)
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="leave out students rows with errors (they are summarised) instead of stopping",
    )
    college = parser.add_argument_group("college request (H1/D1/T1)")
    college.add_argument(
        "--inquiry",
        choices=["SE", "PA", "DA", "SB", "CO"],
        help="inquiry type: SE subsequent enrollment, PA prior attendance, DA declined admission, SB sibling, CO cohort query",
    )
    college.add_argument(
        "--school-code", metavar="NNNNNN", help="the submitting school's 6-digit code"
    )
    college.add_argument(
        "--branch", default="00", metavar="BB", help="its 2-digit branch (default 00)"
    )
    college.add_argument("--school-name", metavar="NAME", help="its name (at most 40 characters)")
    college.add_argument(
        "--search-date", type=date_arg, metavar="YYYY-MM-DD", help="the search begin date"
    )
    college.add_argument(
        "--fixed-width", action="store_true", help="write the fixed-width layout instead of tabs"
    )
    college.add_argument(
        "--blank-return-field",
        action="store_true",
        help="leave the requester return field blank (the results then carry no id)",
    )
    high = parser.add_argument_group("high-school graduates file (PH3/PD3/PT3)")
    high.add_argument(
        "--high-school", action="store_true", help="write a high-school graduates file"
    )
    high.add_argument("--account-code", metavar="NNNNNN", help="the account's 6-digit code")
    high.add_argument("--account-name", metavar="NAME", help="the account's name")
    high.add_argument("--diploma-period", metavar="PERIOD", help="the diploma period, e.g. 2013")
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Read the students through intake, build and check the file, write it."""
    from ..formats import write

    parser: argparse.ArgumentParser = args.parser
    if args.high_school:
        needed = {
            "--account-code": args.account_code,
            "--account-name": args.account_name,
            "--diploma-period": args.diploma_period,
        }
    else:
        needed = {
            "--inquiry": args.inquiry,
            "--school-code": args.school_code,
            "--school-name": args.school_name,
            "--search-date": args.search_date,
        }
    missing = [flag for flag, value in needed.items() if value is None]
    if missing:
        parser.error(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required")
    summary = RunSummary("request")
    check_inputs(args, "--students", "--mapping")
    out = check_out_file(args.out, force=args.force)
    as_of: dt.date = args.as_of or today()
    file_date: dt.date = args.file_date or as_of
    if args.search_date is not None and not args.high_school:
        check_before(args.search_date, as_of, first="the search date", second="--as-of")
    with progress(None, f"reading {Path(args.students).name}"):
        read = read_students(
            args.students,
            "--students",
            mapping=column_mapping(args),
            required=REQUIRED,
            as_of=as_of,
            keyless=args.blank_return_field and not args.high_school,
            no_key_hint="" if args.high_school else "; or give --blank-return-field to send no ids",
        )
    summary.read(read.status)
    summary.dates(
        ("run date (--as-of)", as_of, args.as_of_said or "the run's date"),
        ("file date", file_date, "given" if args.file_date else "the --as-of date"),
    )
    if args.search_date is not None and not args.high_school:
        summary.dates(("search date", args.search_date, "given"))
    stop_on_errors(read.status.findings, findings_file=args.findings, lenient=args.lenient)
    students = read.to_records()
    with progress(len(students), "checking", unit="students", counts_rows=False) as bar:
        request, format = _build(args, students, file_date=file_date, as_of=as_of)
        bar.update(len(students))
    with progress(len(request.details), "writing", unit="students", counts_rows=False) as bar:
        write(request, out, format)
        bar.update(len(request.details))
    findings_written = settle_findings(
        [*read.status.findings, *request.findings],
        findings_file=args.findings,
        lenient=None,
        what="the students and the request rules (warnings: values fixed to fit the layout)",
    )
    print(f"request file: {out} ({len(request.details)} students)")
    summary.found.append(f"{len(request.details)} students in the request file")
    summary.wrote(out, findings_written)
    summary.finish()
    return 0


def _build(
    args: argparse.Namespace, students: Any, *, file_date: dt.date, as_of: dt.date
) -> tuple[Any, str]:
    """The checked request (college or high-school graduates) and the writer to write it with."""
    from ..formats import college_request, high_school_graduates

    if args.high_school:
        graduates = high_school_graduates(
            students,
            account_code=args.account_code,
            account_name=args.account_name,
            transmission_date=file_date,
            diploma_period=args.diploma_period,
            as_of=as_of,
        )
        return graduates, "nsc-hs-graduates"
    request = college_request(
        students,
        school_code=args.school_code,
        branch=args.branch,
        school_name=args.school_name,
        inquiry=args.inquiry,
        search_date=args.search_date,
        file_date=file_date,
        as_of=as_of,
        return_field=not args.blank_return_field,
    )
    return request, "nsc-request-fixed" if args.fixed_width else "nsc-request"
