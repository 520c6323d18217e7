"""``edoutcomes match``: link a submitted students file to a person store (the ``match`` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._common import number_arg
from ._run import (
    EXIT_CODES,
    HelpFormatter,
    RunSummary,
    add_as_of,
    add_findings_option,
    add_force,
    check_inputs,
    check_out_file,
    progress,
    settle_findings,
)
from ._students import add_column_options, column_mapping, read_students

__all__ = ["register"]

#: The columns matching needs (the spec's table): a birth date helps but is not required.
REQUIRED = ("requester_id", "first_name", "last_name")

EXAMPLE = """\
example:
  edoutcomes match --submitted export.xlsx --people people.csv --out matches.csv \\
      --column requester_id="Student Number" --as-of 2013-09-01 --findings findings.csv

"""


def register(subparsers: Any) -> None:
    """Add the ``match`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "match",
        help="match submitted students to a person store (needs the 'match' extra)",
        description=(
            "Read a submitted students file and a person store (both students files, read "
            "through the known column aliases, --column or --mapping; requester_id, first_name "
            "and last_name are required, the store's requester_id is the person id), match "
            "them, and write one row per submitted student: requester_id, person_id, "
            "match_pass, score, reason."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--submitted", required=True, type=Path, help="submitted students file")
    parser.add_argument("--people", required=True, type=Path, help="person store (a students file)")
    add_column_options(parser)
    parser.add_argument("--out", required=True, type=Path, help="matches CSV to write")
    add_force(parser)
    add_findings_option(parser)
    parser.add_argument(
        "--threshold",
        type=number_arg(more_than=0, below=1),
        default=0.9,
        help="least match probability, between 0 and 1 (default 0.9)",
    )
    parser.add_argument(
        "--lenient", action="store_true", help="skip bad rows (summarised) instead of stopping"
    )
    add_as_of(
        parser,
        "the date two-digit years (M/D/YY) are read against",
        optional="none: a two-digit year is an error",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read both files through intake, match, write the matches; print the dates and a summary."""
    from ..formats import write
    from ..match import FellegiSunterMatcher, match_students

    summary = RunSummary("match")
    check_inputs(args, "--submitted", "--people", "--mapping")
    out = check_out_file(args.out, force=args.force)
    mapping = column_mapping(args)
    reads = []
    for path, option in ((args.submitted, "--submitted"), (args.people, "--people")):
        with progress(None, f"reading {Path(path).name}"):
            reads.append(
                read_students(path, option, mapping=mapping, required=REQUIRED, as_of=args.as_of)
            )
    summary.read(*(r.status for r in reads))
    print(reads[0].status)
    print(reads[1].status)
    summary.dates(
        (
            "two-digit years read against (--as-of)",
            args.as_of,
            args.as_of_said or "not given: a two-digit year is an error",
        )
    )
    findings = [f for r in reads for f in r.status.findings]
    findings_written = settle_findings(findings, findings_file=args.findings, lenient=args.lenient)
    matcher = FellegiSunterMatcher(threshold=args.threshold)
    with progress(None, "matching", unit="students", counts_rows=False) as bar:

        def step(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        result = match_students(reads[0].table, reads[1].table, matcher=matcher, progress=step)
    with progress(len(result), f"writing {out.name}"):
        write(result.as_table(), out, "csv")
    matched = int(result.matched.sum())
    print(f"{matched} of {len(result)} submitted students matched; wrote {out}")
    for name, count in result.counts().items():
        print(f"  {_in_words(name)}: {count}")
    summary.found.append(f"{matched} of {len(result)} submitted students matched")
    summary.wrote(out, findings_written)
    summary.finish()
    return 0


def _in_words(name: str) -> str:
    """A pass or reason name of ``MatchResult.counts()`` as words: 'matched by exact SSN'."""
    from ..match import MatchPass, NoMatchReason

    if name in MatchPass.__members__:
        return f"matched by {MatchPass[name].label}"
    if name in NoMatchReason.__members__:
        return f"not matched: {NoMatchReason[name].value}"
    return name.replace("_", " ").lower()
