"""
``edoutcomes hs-report``: high-school outcome reports from a students table and postsecondary records.

Reads the students (with graduation dates and high schools) and the records, either as
canonical CSV tables or as one clearinghouse high-school detail report, and writes
``kpis.csv``, ``enrollment.csv``, ``persistence.csv``, ``completers.csv``, ``left_out.csv``,
``top_colleges.csv``, ``arr.csv`` and ``trends.html`` into a folder. It prints counts only: never a name, a birth date or an id.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import InvalidArgumentError
from ..model import CohortColumns
from ._common import count_arg, date_arg, report_findings

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``hs-report`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "hs-report",
        help="high-school outcome reports: KPIs, supporting counts, the ARR and a trends page",
        description=__doc__.strip().splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--students", type=Path, help="canonical students table (CSV)")
    parser.add_argument("--enrollments", type=Path, help="canonical enrollments table (CSV)")
    parser.add_argument("--degrees", type=Path, help="canonical degrees table (CSV)")
    parser.add_argument(
        "--detail",
        type=Path,
        help="a high-school detail report file (instead of the canonical tables; "
        "--students adds graduation dates and attributes when the file lacks them)",
    )
    parser.add_argument("--as-of", type=date_arg, required=True, help="report date (YYYY-MM-DD)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the reports into")
    parser.add_argument(
        "--suppress-below",
        type=count_arg(low=1),
        default=None,
        help="hide counts below N, 1 or more (default: off)",
    )
    parser.add_argument(
        "--completion-years",
        type=count_arg(low=1, high=8),
        default=6,
        help="n of completed within n years, 1 to 8 (default 6)",
    )
    parser.set_defaults(func=run)


def _read(args: argparse.Namespace) -> tuple[CohortColumns, int]:
    from ..formats import read_cohort

    if args.detail is not None:
        from ..formats import read_detail

        detail = read_detail(args.detail, lenient=True, as_of=args.as_of)
        rejected = detail.status.rows_read - detail.status.rows_accepted
        return detail.columns, rejected
    if args.students is None:
        msg = "give --students (with --enrollments/--degrees), or --detail"
        raise InvalidArgumentError(msg)
    read = read_cohort(
        args.students, args.enrollments, args.degrees, lenient=True, as_of=args.as_of
    )
    rejected = sum(s.rows_read - s.rows_accepted for s in read.statuses)
    return read.columns, rejected


def run(args: argparse.Namespace) -> int:
    """Read, measure, and write the files; print what was written."""
    from ..formats import write
    from ..highschool import high_school_outcomes

    columns, rejected = _read(args)
    outcomes = high_school_outcomes(
        columns, as_of=args.as_of, completion_years=args.completion_years
    )
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    reports = outcomes.reports(suppress_below=args.suppress_below)
    paths = list(reports.write(out))
    top_path = out / "top_colleges.csv"
    write(outcomes.top_colleges_report(suppress_below=args.suppress_below), top_path, "csv")
    paths.append(top_path)
    arr_path = out / "arr.csv"
    write(outcomes.arr(), arr_path, "csv")
    paths.append(arr_path)
    paths.append(outcomes.trends(suppress_below=args.suppress_below).write(out / "trends.html"))
    print(
        f"{columns.n_students} students, {len(outcomes.classes)} classes, "
        f"{len(outcomes.high_schools)} high schools; {outcomes.left_out} without a graduation "
        f"date left out of the class-based reports; {rejected} input rows rejected."
    )
    report_findings(outcomes.findings)
    for path in paths:
        print(f"wrote {path}")
    return 0
