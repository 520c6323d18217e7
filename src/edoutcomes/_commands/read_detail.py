"""``edoutcomes read-detail``: a clearinghouse detail report to the canonical tables."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import Progress, date_arg, report_findings

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``read-detail`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "read-detail",
        help="read a clearinghouse detail report into canonical students/enrollments/degrees CSVs",
        description=(
            "Read a returned detail report (college/cohort-query or high-school variant, any header "
            "spelling) and write the canonical students, enrollments and degrees tables into --out."
        ),
    )
    parser.add_argument("detail", metavar="DETAIL.csv", help="the detail report")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="directory for the canonical tables"
    )
    parser.add_argument(
        "--as-of",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the date two-digit years (M/D/YY) are read against",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="set bad rows aside (and list them) instead of stopping",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read the detail report, write the canonical tables, print where."""
    from ..formats import read_detail, write_cohort

    with Progress(["read", "write"]) as bar:
        bar.step("reading the detail report")
        detail = read_detail(args.detail, lenient=args.lenient, as_of=args.as_of)
        bar.step("writing the canonical tables")
        paths = write_cohort(detail.columns, args.out)
    print(
        str(detail.status).replace(f"{args.detail}:", f"{args.detail} ({detail.variant}):", 1),
        file=sys.stderr,
    )
    report_findings(detail.findings)
    for path in paths:
        print(path)
    return 0
