"""What the subcommands share: argument types and the institution argument (runs: ``_run``)."""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable

from ..model import Institution

__all__ = [
    "count_arg",
    "date_arg",
    "institution_arg",
    "number_arg",
]


def date_arg(text: str) -> dt.date:
    """An ISO date on the command line (argparse ``type=``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date (YYYY-MM-DD)"
        raise argparse.ArgumentTypeError(msg) from None


def count_arg(*, low: int, high: int | None = None) -> Callable[[str], int]:
    """
    A whole number from *low* (to *high*, both included) on the command line (argparse ``type=``).

    Examples:
        >>> count_arg(low=1)("3"), count_arg(low=1, high=8)("8")
        (3, 8)
        >>> count_arg(low=1)("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '0' is not a whole number of at least 1
    """
    wanted = f"of at least {low}" if high is None else f"between {low} and {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            msg = f"{text!r} is not a whole number {wanted}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def number_arg(*, more_than: float, below: float | None = None) -> Callable[[str], float]:
    """
    A finite number above *more_than* (and below *below*) on the command line (argparse ``type=``).

    Examples:
        >>> number_arg(more_than=0, below=1)("0.95")
        0.95
        >>> number_arg(more_than=0, below=1)("1")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '1' is not a number between 0 and 1 (both excluded)
    """
    wanted = (
        f"more than {more_than:g}"
        if below is None
        else f"between {more_than:g} and {below:g} (both excluded)"
    )

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > more_than and (below is None or value < below)):
            msg = f"{text!r} is not a number {wanted}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def institution_arg(text: str) -> tuple[str, str | None]:
    """``NNNNNN`` or ``NNNNNN-BB`` (argparse ``type=``): the code and the branch, if given."""
    code, _, branch = text.strip().partition("-")
    if not (len(code) == 6 and code.isdigit()) or (
        branch and not (len(branch) == 2 and branch.isdigit())
    ):
        msg = f"{text!r} is not an institution code (NNNNNN or NNNNNN-BB)"
        raise argparse.ArgumentTypeError(msg)
    return code, branch or None


def institution(value: tuple[str, str | None], name: str | None) -> Institution:
    """The submitting institution from ``--institution`` and ``--institution-name``."""
    code, branch = value
    return Institution(code, name=name or "", branch=branch)
