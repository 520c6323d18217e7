"""``edoutcomes demo``: run the library's main jobs on built-in synthetic data."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo", help="generate a synthetic cohort and show what the library makes of it"
    )
    parser.add_argument(
        "--students", type=int, default=1000, help="number of synthetic students (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate a synthetic cohort and print a summary of it."""
    print(f"demo: {args.students} students, seed {args.seed} (synthetic data generator pending)")
    return 0
