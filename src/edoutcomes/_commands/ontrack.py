"""``edoutcomes ontrack``: Oregon's ninth-grade on-track extract and who is left out, and why."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from ..formats import write
from ..formats.canonical import read_table, write_table
from ..model import K12_SCHEMAS, K12_STUDENTS, K12Columns, Table
from ..ontrack import CreditWindow, Rule, build_extract, eligibility, validate_extract
from ._common import count_arg, date_arg, number_arg
from ._run import (
    EXIT_CODES,
    CommandError,
    HelpFormatter,
    RunSummary,
    add_as_of,
    add_findings_option,
    add_force,
    check_out_dir,
    check_out_file,
    progress,
    require_as_of,
    settle_findings,
)

__all__ = ["register"]

EXAMPLE = """\
examples:
  edoutcomes ontrack --data k12/ --year 2023-24 --as-of 2024-06-20 --out ontrack/
  edoutcomes ontrack --synthetic 1000 --year 2023-24 --as-of 2024-06-20 --format fixed \\
      --out ontrack/

"""

#: ``--format`` -> (registered writer, file suffix).
_FORMATS = {
    "csv": ("oregon-ontrack-csv", ".csv"),
    "fixed": ("oregon-ontrack-fixed", ".txt"),
    "xml": ("xml", ".xml"),
    "html": ("html", ".html"),
}
#: K12Columns argument -> canonical table name (the file is ``<name>.csv`` in ``--data``).
_TABLES = {
    "enrollments": "school_enrollments",
    "participations": "program_participations",
    "marks": "transcript_marks",
    "ontrack_records": "ontrack_records",
    "addresses": "student_addresses",
    "provisions": "school_provisions",
}


def register(subparsers: Any) -> None:
    """Add the ``ontrack`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "ontrack",
        help="Oregon ninth-grade on-track: the state extract and an explanation for every student",
        description=(
            "Read the canonical K-12 tables (k12_students.csv and, when present, "
            "school_enrollments.csv, program_participations.csv, transcript_marks.csv, "
            "ontrack_records.csv, student_addresses.csv, school_provisions.csv) from --data, "
            "or make --synthetic ones; write the extract and oregon-ontrack-explanations.csv to --out."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data", type=Path, metavar="DIR", help="folder holding the canonical K-12 CSV files"
    )
    source.add_argument(
        "--synthetic",
        type=count_arg(low=1),
        metavar="N",
        help="use N synthetic students instead (their tables are written to OUT/input)",
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=count_arg(low=0),
        default=2024,
        help="seed for --synthetic, 0 or more (default 2024)",
    )
    parser.add_argument(
        "--year", required=True, metavar="YYYY-YY", help="reporting school year, e.g. 2023-24"
    )
    add_as_of(parser, "the extract's generation date: marks and records after it are not counted")
    _add_rule_options(parser)
    parser.add_argument(
        "--format",
        choices=sorted(_FORMATS),
        default="csv",
        help="the extract's layout: csv, fixed (the state's fixed width), xml or html "
        "(default: csv)",
    )
    parser.add_argument(
        "--truncate",
        action="store_true",
        help="cut values too long for their field (listed as warnings) instead of failing",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write into"
    )
    add_force(parser)
    add_findings_option(parser)
    parser.set_defaults(func=run)


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    """The options of the on-track rule: which rule, which enrollments and marks count."""
    parser.add_argument(
        "--rule",
        choices=[r.value for r in Rule],
        default=Rule.EARNED_CREDIT.value,
        help="earned-credit: credits earned by the end of grade 9; record-based: the district's "
        "on-track records (default: earned-credit)",
    )
    parser.add_argument(
        "--snapshot-date",
        metavar="YYYY-MM-DD",
        type=date_arg,
        default=None,
        help="count only enrollments active on this date (default: any date in the year)",
    )
    parser.add_argument(
        "--credit-window",
        choices=[w.value for w in CreditWindow],
        default=CreditWindow.SCHOOL_YEAR.value,
        help="which marks count: school-year (dated in the reporting school year) or 12-months "
        "(the 12 months from first entering grade 9, so summer credit counts); "
        "default: school-year",
    )
    parser.add_argument(
        "--required-credits",
        metavar="N",
        type=number_arg(more_than=0),
        default=24.0,
        help="district diploma credits, more than 0 (default 24)",
    )
    parser.add_argument(
        "--no-transfer-credit", action="store_true", help="do not count transfer credit"
    )
    parser.add_argument(
        "--no-credit-recovery", action="store_true", help="do not count credit recovery"
    )
    parser.add_argument(
        "--no-pre-grade9-credit",
        action="store_true",
        help="do not count high-school credit dated before grade 9",
    )


def run(args: argparse.Namespace) -> int:
    """Evaluate, explain, extract, validate, write; print the dates used and counts (never names or ids)."""
    summary = RunSummary("ontrack")
    if args.data is not None and args.data.exists() and not args.data.is_dir():
        msg = f"--data {args.data} is a file; give the folder that holds the K-12 CSV files"
        raise CommandError(msg)
    out = check_out_dir(args.out)
    as_of = require_as_of(args, "the extract counts marks and records up to its generation date")
    explanations_path = check_out_file(out / "oregon-ontrack-explanations.csv", force=args.force)
    if args.synthetic is not None:
        from ..synth import synthetic_k12

        data = synthetic_k12(args.synthetic, seed=args.seed, year=args.year)
        inputs = out / "input"
        tables = data.tables()
        for name in tables:
            check_out_file(inputs / f"{name}.csv", force=args.force)
        inputs.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            with progress(table.n_rows, f"writing {name}.csv"):
                write_table(table, inputs / f"{name}.csv")
            summary.wrote(inputs / f"{name}.csv")
    else:
        data = _read(args.data, summary)
    summary.dates(
        ("generation date (--as-of)", as_of, args.as_of_said),
        (
            "snapshot date",
            args.snapshot_date,
            "given" if args.snapshot_date else "not given: any enrollment in the year",
        ),
    )
    with progress(data.n_students, "evaluating", unit="students", counts_rows=False) as bar:
        result = _evaluate(data, args, as_of)
        bar.update(len(result))
    extract = build_extract(result, truncate=args.truncate)
    writer, suffix = _FORMATS[args.format]
    extract_path = check_out_file(out / f"{extract.name}{suffix}", force=args.force)
    out.mkdir(parents=True, exist_ok=True)
    # The CSV writer tells its rows a batch at a time; the others write in one call.
    csv = args.format == "csv"
    with progress(len(extract), f"writing {extract_path.name}", counts_rows=csv) as bar:
        write(extract, extract_path, writer)
        if not csv:
            bar.update(len(extract))
    with progress(len(result), f"writing {explanations_path.name}"):
        write(result.explanations(), explanations_path, "oregon-ontrack-explanations")
    problems = validate_extract(extract, result, file=extract_path.name)
    # The validation repeats the extract's check-digit warnings; keep its truncation ones.
    findings = [*problems, *(f for f in extract.findings if f.column != "ChkDigitStdntID")]
    print(
        f"ontrack {result.year} as of {as_of.isoformat()} ({result.options.rule}): "
        f"{result.n_reported} of {len(result)} students reported"
    )
    for reason, count in result.counts().items():
        if count:
            print(f"  not reported, {reason.label}: {count}")
    summary.found.append(f"{result.n_reported} of {len(result)} students reported")
    summary.wrote(extract_path, explanations_path)
    summary.wrote(
        settle_findings(findings, findings_file=args.findings, lenient=None, what="the extract")
    )
    summary.finish()
    return 1 if any(f.is_error for f in problems) else 0


def _evaluate(data: K12Columns, args: argparse.Namespace, as_of: dt.date) -> Any:
    return eligibility(
        data,
        args.year,
        as_of=as_of,
        rule=args.rule,
        snapshot_date=args.snapshot_date,
        credit_window=args.credit_window,
        required_credits=args.required_credits,
        transfer_credit=not args.no_transfer_credit,
        credit_recovery=not args.no_credit_recovery,
        pre_grade9_credit=not args.no_pre_grade9_credit,
    )


def _read(folder: Path, summary: RunSummary) -> K12Columns:
    students = _read_one(folder / f"{K12_STUDENTS.name}.csv", K12_STUDENTS.name, summary)
    if students is None:
        msg = f"{folder / K12_STUDENTS.name}.csv does not exist (the students file is required)"
        raise FileNotFoundError(msg)
    tables = {
        argument: _read_one(folder / f"{name}.csv", name, summary)
        for argument, name in _TABLES.items()
    }
    return K12Columns.from_tables(students, **tables)


def _read_one(path: Path, name: str, summary: RunSummary) -> Table | None:
    """The table at *path* (None when there is no such file), its rows in the summary."""
    if not path.exists():
        return None
    schema, _ = K12_SCHEMAS[name]
    with progress(None, f"reading {path.name}"):
        # read_table takes any TableSchema (its annotation names the three clearinghouse tables).
        read = read_table(path, schema)  # type: ignore[arg-type]
    summary.read(read.status)
    return read.table
