"""``edoutcomes match``: link a submitted students file to a person store (the ``match`` extra)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import date_arg, number_arg

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``match`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "match",
        help="match submitted students to a person store (needs the 'match' extra)",
        description=(
            "Read a submitted students file and a person store (both canonical students "
            "tables; the store's requester_id is the person id), match them, and write one "
            "row per submitted student: requester_id, person_id, match_pass, score, reason."
        ),
    )
    parser.add_argument("--submitted", required=True, type=Path, help="submitted students file")
    parser.add_argument("--people", required=True, type=Path, help="person store (students table)")
    parser.add_argument("--out", required=True, type=Path, help="matches CSV to write")
    parser.add_argument(
        "--threshold",
        type=number_arg(more_than=0, below=1),
        default=0.9,
        help="least match probability, between 0 and 1 (default 0.9)",
    )
    parser.add_argument(
        "--lenient", action="store_true", help="skip bad rows (reported) instead of stopping"
    )
    parser.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        help="date two-digit years are read against",
    )
    parser.set_defaults(func=run)


class _Bar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\rmatching [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Read both files, match, write the matches and print each file's status and the counts."""
    from ..formats import read_table, write
    from ..match import FellegiSunterMatcher, match_students

    submitted = read_table(args.submitted, "students", lenient=args.lenient, as_of=args.as_of)
    people = read_table(args.people, "students", lenient=args.lenient, as_of=args.as_of)
    print(submitted.status)
    print(people.status)
    matcher = FellegiSunterMatcher(threshold=args.threshold)
    result = match_students(submitted.table, people.table, matcher=matcher, progress=_Bar())
    write(result.as_table(), args.out, "csv")
    matched = int(result.matched.sum())
    print(f"{matched} of {len(result)} submitted students matched; wrote {args.out}")
    for name, count in result.counts().items():
        print(f"  {name}: {count}")
    return 0
