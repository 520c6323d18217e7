"""``edoutcomes readiness``: a-g completion, GPAs, indicators, findings and consent-gated releases."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..formats.canonical import write_table
from ..model import ConsentPurpose
from ._common import count_arg, date_arg, report_findings

__all__ = ["register"]


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
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="folder holding the canonical CSV files")
    source.add_argument(
        "--synthetic",
        type=count_arg(low=1),
        metavar="N",
        help="use N synthetic students (tables written to OUT/input)",
    )
    parser.add_argument(
        "--seed",
        type=count_arg(low=0),
        default=2025,
        help="seed for --synthetic, 0 or more (default 2025)",
    )
    parser.add_argument("--as-of", type=date_arg, required=True, help="evaluation date YYYY-MM-DD")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--recipient", help="institution code (or CSAC) a release is addressed to")
    parser.add_argument(
        "--purpose",
        choices=[p.value for p in ConsentPurpose if p is not ConsentPurpose.UNKNOWN],
        help="the release's consent purpose (with --recipient)",
    )
    parser.add_argument(
        "--attribute",
        action="append",
        default=[],
        help="a k12_students column to break the indicators down by",
    )
    parser.add_argument(
        "--min-cell",
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
        help="CSU grade-10 honors cap (2, or 4 for the other reading)",
    )
    parser.add_argument(
        "--pass-credit-2020", action="store_true", help="count 2019-21 P/CR marks as passing"
    )
    parser.add_argument(
        "--lenient", action="store_true", help="use the good rows of files with errors"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and write; print counts (never names, ids or grades)."""
    from ..readiness import Options, evaluate, read_readiness, write_readiness

    if (args.recipient is None) != (args.purpose is None):
        print("edoutcomes readiness: error: --recipient and --purpose go together")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    rows = None
    reader_findings: tuple[Any, ...] = ()
    if args.synthetic is not None:
        from ..synth import synthetic_readiness

        data = synthetic_readiness(args.synthetic, seed=args.seed, as_of=args.as_of)
        inputs = args.out / "input"
        inputs.mkdir(exist_ok=True)
        for name, table in data.tables().items():
            write_table(table, inputs / f"{name}.csv")
    else:
        read = read_readiness(args.data, lenient=args.lenient, as_of=args.as_of)
        data, rows, reader_findings = read.data, read.rows, read.findings
    options = Options(
        csu_grade10_honors_cap=args.csu_grade10_honors_cap, pass_credit_2020=args.pass_credit_2020
    )
    result = evaluate(data, args.as_of, options)
    written, findings, shared = write_readiness(
        result,
        args.out,
        recipient=args.recipient,
        purpose=args.purpose,
        attributes=args.attribute,
        suppress_below=None if args.no_suppression else args.min_cell,
        rows=rows,
    )
    n = len(result)
    print(
        f"readiness as of {args.as_of.isoformat()}: {n} students, "
        f"UC a-g met {int(result.uc_met.sum())}, CSU a-g met {int(result.csu_met.sum())}"
    )
    if shared is not None:
        print(
            f"release to {shared.recipient} for {shared.purpose.value}: "
            f"{shared.requested} requested, {len(shared.released)} released, {shared.withheld} withheld"
        )
    counts = {k.value: v for k, v in findings.counts().items() if v}
    if counts:
        print("clean-up findings: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for path in written:
        print(f"wrote {path}")
    if reader_findings:
        print(f"{len(reader_findings)} input findings:")
        report_findings(reader_findings)
    return 0
