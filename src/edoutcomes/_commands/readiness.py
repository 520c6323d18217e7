"""``edoutcomes readiness``: a-g completion, GPAs, indicators, findings and consent-gated releases."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..formats.canonical import write_table
from ..model import ConsentPurpose
from ._common import count_arg
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

#: The files every run writes into --out (a release adds its own).
OUTPUTS = (
    "readiness.csv",
    "readiness_indicators.csv",
    "readiness_findings.csv",
    "calgrant_gpa.csv",
)

EXAMPLE = """\
examples:
  edoutcomes readiness --data k12/ --as-of 2025-07-15 --out readiness/
  edoutcomes readiness --synthetic 1000 --as-of 2025-07-15 --recipient CSAC \\
      --purpose financial_aid --out readiness/

"""


def register(subparsers: Any) -> None:
    """Add the ``readiness`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "readiness",
        help="California college readiness: a-g, UC/CSU/Cal Grant GPAs, indicators, consented releases",
        description=(
            "Read k12_students.csv and transcript_marks.csv (and, when present, course_list.csv, "
            "student_status.csv, consents.csv, reported_gpas.csv, other_source.csv) from --data, or "
            "make --synthetic ones; write readiness.csv, readiness_indicators.csv, "
            "readiness_findings.csv, calgrant_gpa.csv and, with --recipient and --purpose, the "
            "consent-gated release to --out."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data", type=Path, metavar="DIR", help="folder holding the canonical CSV files"
    )
    source.add_argument(
        "--synthetic",
        type=count_arg(low=1),
        metavar="N",
        help="use N synthetic students (tables written to OUT/input)",
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=count_arg(low=0),
        default=2025,
        help="seed for --synthetic, 0 or more (default 2025)",
    )
    add_as_of(parser, "the evaluation date: marks and consents after it do not count")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write into"
    )
    add_force(parser)
    add_findings_option(parser)
    parser.add_argument("--recipient", help="institution code (or CSAC) a release is addressed to")
    parser.add_argument(
        "--purpose",
        choices=[p.value for p in ConsentPurpose if p is not ConsentPurpose.UNKNOWN],
        help="the release's consent purpose (with --recipient)",
    )
    parser.add_argument(
        "--attribute",
        metavar="COLUMN",
        action="append",
        default=[],
        help="a k12_students column to break the indicators down by",
    )
    parser.add_argument(
        "--min-cell",
        metavar="N",
        type=count_arg(low=1),
        default=10,
        help="small-cell suppression threshold of the indicators, 1 or more (default 10)",
    )
    parser.add_argument(
        "--no-suppression",
        action="store_true",
        help="internal indicators unsuppressed (a release stays suppressed)",
    )
    parser.add_argument(
        "--csu-grade10-honors-cap",
        type=count_arg(low=0),
        default=2,
        metavar="N",
        help="CSU grade-10 honors cap, 0 or more (default 2; 4 for the other reading)",
    )
    parser.add_argument(
        "--pass-credit-2020", action="store_true", help="count 2019-21 P/CR marks as passing"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="use the good rows of files with errors (the rest are summarised) instead of stopping",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and write; print the date used and counts (never names, ids or grades)."""
    from ..readiness import Options, evaluate, read_readiness, write_readiness

    summary = RunSummary("readiness")
    if (args.recipient is None) != (args.purpose is None):
        msg = "--recipient and --purpose go together"
        raise CommandError(msg)
    if args.data is not None and args.data.exists() and not args.data.is_dir():
        msg = f"--data {args.data} is a file; give the folder that holds the CSV files"
        raise CommandError(msg)
    out = check_out_dir(args.out)
    as_of = require_as_of(args, "a-g, GPAs and consents are evaluated on a date")
    for name in OUTPUTS:
        check_out_file(out / name, force=args.force)
    rows = None
    if args.synthetic is not None:
        from ..synth import synthetic_readiness

        data = synthetic_readiness(args.synthetic, seed=args.seed, as_of=as_of)
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
        with progress(None, f"reading {args.data}"):
            read = read_readiness(args.data, lenient=True, as_of=as_of)
        data, rows = read.data, read.rows
        summary.read(*read.statuses)
        summary.wrote(
            settle_findings(read.findings, findings_file=args.findings, lenient=args.lenient)
        )
        if read.findings:
            print(f"{len(read.findings)} input findings (summarised on stderr)")
    summary.dates(("evaluation date (--as-of)", as_of, args.as_of_said))
    options = Options(
        csu_grade10_honors_cap=args.csu_grade10_honors_cap, pass_credit_2020=args.pass_credit_2020
    )
    with progress(data.n_students, "evaluating", unit="students"):
        result = evaluate(data, as_of, options)  # a block of students at a time
    with progress(None, "writing the reports"):
        written, findings, shared = write_readiness(
            result,
            out,
            recipient=args.recipient,
            purpose=args.purpose,
            attributes=args.attribute,
            suppress_below=None if args.no_suppression else args.min_cell,
            rows=rows,
        )
    n = len(result)
    print(
        f"readiness as of {as_of.isoformat()}: {n} students, "
        f"UC a-g met {int(result.uc_met.sum())}, CSU a-g met {int(result.csu_met.sum())}"
    )
    if shared is not None:
        print(
            f"release to {shared.recipient} for {shared.purpose.value.replace('_', ' ')}: "
            f"{shared.requested} requested, {len(shared.released)} released, {shared.withheld} withheld"
        )
    counts = {k.value.replace("_", " "): v for k, v in findings.counts().items() if v}
    if counts:
        print("clean-up findings: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    summary.found.append(f"{n} students evaluated")
    summary.wrote(*written)
    summary.finish()
    return 0
