"""``edoutcomes read-detail``: a clearinghouse detail report to the canonical tables."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._run import (
    EXIT_CODES,
    HelpFormatter,
    RunSummary,
    add_as_of,
    add_findings_option,
    add_force,
    check_inputs,
    check_out_dir,
    check_out_file,
    progress,
    settle_findings,
)

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
        epilog="example:\n  edoutcomes read-detail returned_detail.csv --out canonical/\n\n"
        + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("detail", metavar="DETAIL.csv", help="the detail report")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="directory for the canonical tables"
    )
    add_force(parser)
    add_as_of(
        parser,
        "the date two-digit years (M/D/YY) are read against",
        optional="none: a two-digit year is an error",
    )
    add_findings_option(parser)
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="set rows with errors aside (they are summarised) instead of stopping",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read the detail report, write the canonical tables; print the date used and a summary."""
    from ..formats import read_detail, write_cohort

    summary = RunSummary("read-detail")
    check_inputs(args, "detail")
    out = check_out_dir(args.out)
    for name in ("students.csv", "enrollments.csv", "degrees.csv"):
        check_out_file(out / name, force=args.force)
    with progress(None, f"reading {Path(args.detail).name}"):
        detail = read_detail(args.detail, lenient=True, as_of=args.as_of)
    summary.read(detail.status)
    summary.dates(
        (
            "two-digit years read against (--as-of)",
            args.as_of,
            args.as_of_said or "not given: a two-digit year is an error",
        )
    )
    print(f"{args.detail}: the {str(detail.variant).replace('_', '-')} detail report")
    findings_written = settle_findings(
        detail.findings, findings_file=args.findings, lenient=args.lenient
    )
    with progress(None, "writing the tables"):
        paths = write_cohort(detail.columns, out)
    for path in paths:
        print(path)
    summary.found.append(f"{detail.columns.n_students} students")
    summary.wrote(*paths, findings_written)
    summary.finish()
    return 0
