"""``edoutcomes cohort-query``: canonical tables in, the clearinghouse's three result files out."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import Progress, date_arg, institution, institution_arg, report_findings, today

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``cohort-query`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "cohort-query",
        help="run a cohort query on canonical CSV tables and write the three result files",
        description=(
            "Read the canonical students, enrollments and degrees tables, run the cohort query, "
            "and write the control report (.htm), the aggregate report (.csv) and the detail "
            "report (.csv) in the clearinghouse layouts into --out."
        ),
    )
    parser.add_argument(
        "--students", required=True, metavar="S.csv", help="canonical students table"
    )
    parser.add_argument("--enrollments", metavar="E.csv", help="canonical enrollments table")
    parser.add_argument("--degrees", metavar="D.csv", help="canonical degrees table")
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
    parser.add_argument(
        "--as-of", type=date_arg, metavar="YYYY-MM-DD", help="the report date (default: today)"
    )
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
        help="the request file's creation date (default: today)",
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="directory to write the three files into"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="set bad rows aside (and list them) instead of stopping",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read, query, write; print the three paths."""
    from ..cohort import cohort_query
    from ..formats import read_cohort, write_cohort_query_files

    as_of = args.as_of or today()
    owner = institution(args.institution, args.institution_name)
    with Progress(["read", "query", "write"]) as bar:
        bar.step("reading the canonical tables")
        read = read_cohort(
            args.students, args.enrollments, args.degrees, lenient=args.lenient, as_of=as_of
        )
        bar.step("running the cohort query")
        result = cohort_query(
            read.columns, search_date=args.search_date, institution=owner, as_of=as_of
        )
        bar.step("writing the result files")
        paths = write_cohort_query_files(
            result, args.out, user=args.user, file_date=args.file_date or today()
        )
    if read.findings:
        print(
            f"edoutcomes cohort-query: {len(read.findings)} findings in the input:", file=sys.stderr
        )
        report_findings(read.findings)
    print(f"control report:   {paths.control}")
    print(f"aggregate report: {paths.aggregate}")
    print(f"detail report:    {paths.detail}")
    return 0
