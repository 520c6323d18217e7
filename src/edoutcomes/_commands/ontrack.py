"""``edoutcomes ontrack``: Oregon's ninth-grade on-track extract and who is left out, and why."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..formats import write
from ..formats.canonical import read_table, write_table
from ..model import K12_SCHEMAS, K12_STUDENTS, K12Columns, Table
from ..ontrack import CreditWindow, Rule, build_extract, eligibility, validate_extract
from ._common import count_arg, date_arg, number_arg, report_findings, today

__all__ = ["register"]

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
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="folder holding the canonical K-12 CSV files")
    source.add_argument(
        "--synthetic",
        type=count_arg(low=1),
        metavar="N",
        help="use N synthetic students instead (their tables are written to OUT/input)",
    )
    parser.add_argument(
        "--seed",
        type=count_arg(low=0),
        default=2024,
        help="seed for --synthetic, 0 or more (default 2024)",
    )
    parser.add_argument("--year", required=True, help="reporting school year, e.g. 2023-24")
    parser.add_argument(
        "--as-of", type=date_arg, default=None, help="generation date YYYY-MM-DD (default: today)"
    )
    parser.add_argument("--rule", choices=[r.value for r in Rule], default=Rule.EARNED_CREDIT.value)
    parser.add_argument(
        "--snapshot-date",
        type=date_arg,
        default=None,
        help="count only enrollments active on this date (default: any date in the year)",
    )
    parser.add_argument(
        "--credit-window",
        choices=[w.value for w in CreditWindow],
        default=CreditWindow.SCHOOL_YEAR.value,
    )
    parser.add_argument(
        "--required-credits",
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
    parser.add_argument("--format", choices=sorted(_FORMATS), default="csv")
    parser.add_argument(
        "--truncate",
        action="store_true",
        help="cut values too long for their field (listed as warnings) instead of failing",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate, explain, extract, validate, write; print counts (never names or ids)."""
    args.out.mkdir(parents=True, exist_ok=True)
    if args.synthetic is not None:
        from ..synth import synthetic_k12

        data = synthetic_k12(args.synthetic, seed=args.seed, year=args.year)
        inputs = args.out / "input"
        inputs.mkdir(exist_ok=True)
        for name, table in data.tables().items():
            write_table(table, inputs / f"{name}.csv")
    else:
        data = _read(args.data)
    as_of = args.as_of if args.as_of is not None else today()
    result = eligibility(
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
    extract = build_extract(result, truncate=args.truncate)
    writer, suffix = _FORMATS[args.format]
    extract_path = args.out / f"{extract.name}{suffix}"
    write(extract, extract_path, writer)
    explanations_path = args.out / "oregon-ontrack-explanations.csv"
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
            print(f"  not reported, {reason.code}: {count}")
    print(f"wrote {extract_path}")
    print(f"wrote {explanations_path}")
    if findings:
        errors = sum(f.is_error for f in findings)
        print(f"{len(findings) - errors} warnings, {errors} errors in the extract:")
        report_findings(findings)
    return 1 if any(f.is_error for f in problems) else 0


def _read(folder: Path) -> K12Columns:
    students = _read_one(folder / f"{K12_STUDENTS.name}.csv", K12_STUDENTS.name, required=True)
    assert students is not None
    tables = {
        argument: _read_one(folder / f"{name}.csv", name, required=False)
        for argument, name in _TABLES.items()
    }
    return K12Columns.from_tables(students, **tables)


def _read_one(path: Path, name: str, *, required: bool) -> Table | None:
    if not path.exists():
        if required:
            msg = f"{path} does not exist (the students file is required)"
            raise FileNotFoundError(msg)
        return None
    schema, _ = K12_SCHEMAS[name]
    # read_table takes any TableSchema (its annotation names the three clearinghouse tables).
    return read_table(path, schema).table  # type: ignore[arg-type]
