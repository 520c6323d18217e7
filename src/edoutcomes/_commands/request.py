"""``edoutcomes request``: a clearinghouse request file from a canonical students table."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import Progress, date_arg, report_findings, today

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``request`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "request",
        help="write a request file (college H1/D1/T1 or high-school PH3/PD3/PT3) from a students table",
        description=(
            "Check a canonical students table against the request-file rules and write the file. "
            "Fixes (accents, punctuation, suffixes) are listed as warnings; anything that cannot be "
            "fixed stops with one line per student row and field."
        ),
    )
    parser.add_argument(
        "--students", required=True, metavar="S.csv", help="canonical students table"
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="the request file to write")
    parser.add_argument(
        "--file-date", type=date_arg, metavar="YYYY-MM-DD", help="the file's date (default: today)"
    )
    parser.add_argument(
        "--as-of",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the run's date: a file date after it is an error (default: today)",
    )
    college = parser.add_argument_group("college request (H1/D1/T1)")
    college.add_argument("--inquiry", choices=["SE", "PA", "DA", "SB", "CO"], help="inquiry type")
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
    """Read the students, build and check the file, write it."""
    from ..formats import college_request, high_school_graduates, read_records, write

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
    as_of = args.as_of or today()
    file_date = args.file_date or as_of
    with Progress(["read", "check", "write"]) as bar:
        bar.step("reading the students")
        students = read_records(args.students, "students").records
        bar.step("checking the request-file rules")
        request: Any
        if args.high_school:
            request = high_school_graduates(
                students,
                account_code=args.account_code,
                account_name=args.account_name,
                transmission_date=file_date,
                diploma_period=args.diploma_period,
                as_of=as_of,
            )
            format = "nsc-hs-graduates"
        else:
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
            format = "nsc-request-fixed" if args.fixed_width else "nsc-request"
        bar.step("writing the file")
        write(request, args.out, format)
    if request.findings:
        print(f"edoutcomes request: {len(request.findings)} values were fixed:", file=sys.stderr)
        report_findings(request.findings)
    print(f"request file: {args.out} ({len(request.details)} students)")
    return 0
